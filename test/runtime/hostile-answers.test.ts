// Session 18's hostile servers on 127.0.0.1, against the generated EMail client: answers that made
// a secret survive in an error, or made one failing call cost seconds and gigabytes, or were
// accepted when they should not be. Each test fails without the fix it names.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { inspect } from 'node:util';
import { EMailAgent, SoapError, SoExceptionError } from '../../generated/EMail/index.js';
import type * as rt from '../../generated/runtime/index.js';
import { Redactor } from '../../generated/runtime/redact.js';

const TNS = 'http://www.superoffice.net/ws/crm/NetServer/Services86';
const TICKET = 'SECRET-TICKET-123';
const TOKEN = 'SECRET-APP-TOKEN';

type Responder = (req: http.IncomingMessage, res: http.ServerResponse) => void;
let respond: Responder = (_req, res) => res.end();
let requests = 0;
let server: http.Server;
let base: string;

before(async () => {
  server = http.createServer((req, res) => {
    requests++;
    req.resume();
    req.on('end', () => respond(req, res));
  });
  base = await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
});
after(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

function answer(status: number, body: string | Buffer, headers: http.OutgoingHttpHeaders = { 'Content-Type': 'text/xml; charset=utf-8' }): Responder {
  return (_req, res) => {
    res.writeHead(status, headers);
    res.end(body);
  };
}

const agentAt = (options: rt.AgentOptions = {}) => new EMailAgent({ baseUrl: base, ticket: TICKET, applicationToken: TOKEN, ...options });

async function failure(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    (v) => assert.fail(`the call succeeded: ${inspect(v)}`),
    (e: unknown) => e,
  );
}

/** No 8-character piece of the ticket or token in the error, however it is shown. */
function assertNoPiece(err: unknown, where: string): void {
  const texts = { inspect: inspect(err, { depth: null }), json: JSON.stringify(err), stack: String((err as Error).stack) };
  for (const [name, text] of Object.entries(texts)) {
    for (const s of [TICKET, TOKEN]) {
      for (let i = 0; i + 8 <= s.length; i++) {
        assert.ok(!text.includes(s.slice(i, i + 8)), `${where}: "${s.slice(i, i + 8)}" survives in ${name}:\n${text.slice(0, 2000)}`);
      }
    }
  }
}

describe('1. a deep InnerException chain keeps no secret', () => {
  const chain = (levels: number) =>
    `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header><ExceptionInfo xmlns="${TNS}"><Message>outer</Message>` +
    `${'<InnerException><Message>ticket was SECRET-TICKET-123</Message>'.repeat(levels)}${'</InnerException>'.repeat(levels)}` +
    `</ExceptionInfo></s:Header><s:Body><GetEMailAccountResponse xmlns="${TNS}"/></s:Body></s:Envelope>`;

  test('SOAP, 66 levels: info and inner keep 16 inner levels, none with the ticket, in the error and the onCall event', async () => {
    respond = answer(200, chain(66));
    let hookError: unknown;
    const err = await failure(agentAt({ hooks: { onCall: (e) => void (hookError = e.error) } }).getEMailAccount({ EMailAccountId: 1 }));
    assert.ok(err instanceof SoExceptionError, String(err));
    assertNoPiece(err, 'error');
    assertNoPiece(hookError, 'onCall error');
    let levels = 0;
    for (let i = err.info?.InnerException; i; i = i.InnerException) {
      assert.equal(i.Message, 'ticket was ***');
      levels++;
    }
    assert.equal(levels, 16, 'the REST transport keeps 16 too (json.ts)');
    assert.equal(err.inner?.Message, 'ticket was ***');
  });

  test('the redactor never hands back an object nested deeper than it copies: a placeholder stands for it', () => {
    let deepest: Record<string, unknown> = { Message: `ticket ${TICKET}` };
    for (let i = 0; i < 100; i++) deepest = { Message: `level ${i}: ${TICKET}`, InnerException: deepest };
    const err = Object.assign(new SoapError('deep'), { info: deepest });
    new Redactor([TICKET]).error(err);
    assertNoPiece(err, 'redacted error');
    let cut: unknown = err.info;
    while (typeof cut === 'object' && cut !== null) cut = (cut as Record<string, unknown>)['InnerException'];
    assert.equal(cut, '(deeper levels not kept)');
  });
});
