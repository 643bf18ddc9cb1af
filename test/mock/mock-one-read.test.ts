// The mock reads each request once, through the client's decoder (decode.ts decodeRequestOf):
// one XmlReader per request, reading exactly the events the operation's codec reads for the same
// message; the operation is taken from the Body element as that reader meets it, header blocks
// are those the chosen operation declares (whichever candidate's field objects they share), and
// no tree of the envelope is built anywhere in the mock's runtime.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { EMailOperations, EMailSchema, SoapFaultError } from '../../generated/EMail/index.js';
import { createEMailMockServer } from '../../generated/EMail/mock.js';
import { DecodeError } from '../../generated/runtime/errors.js';
import * as ri from '../../generated/runtime/internal.js';
import { createMockServer, type MockHttpRequest, type MockHttpResponse } from '../../generated/runtime/mock-server.js';
import { XmlReader } from '../../generated/runtime/xml.js';
import { importClosure } from '../support/import-graph.js';
import { repoRoot } from '../support/paths.js';

const TNS = 'http://www.superoffice.net/ws/crm/NetServer/Services86';
const S11 = 'http://schemas.xmlsoap.org/soap/envelope/';
const ACTION = (op: string) => `${TNS}/EMail/${op}`;
const HEADERS = { ApplicationToken: 'app-token', Credentials: { Ticket: '7T:one-read' }, TimeZone: { SoTimeZoneId: 3, SoTimeZoneLocationCode: 'UTC' } };
const envelope = (inner: string) => `<s:Envelope xmlns:s="${S11}">${inner}</s:Envelope>`;

/** An in-memory POST to the mock's service path: no HTTP client in the process reads XML meanwhile. */
async function handle(
  mock: { handle(request: MockHttpRequest, response: MockHttpResponse): Promise<void> },
  xml: string,
  action: string | undefined,
  path = '/Remote/Services86/EMail.svc',
): Promise<{ status: number; body: string }> {
  const bytes = new TextEncoder().encode(xml);
  const headers: Record<string, string> = { 'content-type': 'text/xml; charset=utf-8' };
  if (action !== undefined) headers['soapaction'] = `"${action}"`;
  const request: MockHttpRequest = {
    method: 'POST',
    url: path,
    headers,
    async *[Symbol.asyncIterator]() {
      yield bytes;
    },
  };
  let out = { status: 0, body: '' };
  const response: MockHttpResponse = {
    statusCode: 0,
    setHeader: () => undefined,
    end(body) {
      out = { status: this.statusCode, body: typeof body === 'string' ? body : new TextDecoder().decode(body) };
    },
  };
  await mock.handle(request, response);
  return out;
}

/**
 * Runs `fn` with every XmlReader's next() counted (a test-only observation: the prototype is
 * patched for the call and restored), and returns the count per reader instance.
 */
async function readersDuring(fn: () => unknown): Promise<number[]> {
  keepAliveMade();
  const counts = new Map<XmlReader, number>();
  const next = XmlReader.prototype.next;
  XmlReader.prototype.next = function (this: XmlReader): number {
    counts.set(this, (counts.get(this) ?? 0) + 1);
    return next.call(this);
  };
  try {
    await fn();
  } finally {
    XmlReader.prototype.next = next;
  }
  return [...counts.values()];
}

/**
 * The first decode of a process also makes the decoders decode.ts keeps alive (KEEP_ALIVE), each
 * with a reader of its own; one decode before counting keeps those out of the count.
 */
function keepAliveMade(): void {
  faultReason(envelope(`<s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>warm</faultstring></s:Fault></s:Body>`));
}

function faultReason(xml: string): string {
  try {
    EMailOperations.GetEMailAccount.decodeResponse(xml);
  } catch (err) {
    if (err instanceof SoapFaultError) return err.reason;
    throw err;
  }
  throw new Error(`not a fault: ${xml.slice(0, 200)}`);
}

describe('the mock reads each request once', () => {
  const mock = createEMailMockServer({
    GetEMailAccount: ({ EMailAccountId }) => ({ Response: { EMailAccountId: EMailAccountId ?? 0 } }),
    Send: () => ({}),
  });
  const send = EMailOperations.Send.encodeRequest(
    { Emails: Array.from({ length: 50 }, (_, i) => ({ Subject: `Mail ${i} & more`, To: [{ Address: `a${i}@example.com` }], Flags: ['Seen' as const] })) },
    HEADERS,
  );
  // Header blocks directly under Envelope (as SuperOffice's documentation writes them) and in Header.
  const direct = envelope(
    `<ApplicationToken xmlns="${TNS}">direct-token</ApplicationToken><s:Header><Credentials xmlns="${TNS}"><Ticket>t</Ticket></Credentials></s:Header>` +
      `<s:Body><GetEMailAccount xmlns="${TNS}"><EMailAccountId>4</EMailAccountId></GetEMailAccount></s:Body>`,
  );
  const badValue = envelope(`<s:Body><GetEMailAccount xmlns="${TNS}"><EMailAccountId>four</EMailAccountId></GetEMailAccount></s:Body>`);
  const cases: [string, string, string | undefined, 'GetEMailAccount' | 'Send', number][] = [
    ['with SOAPAction', EMailOperations.GetEMailAccount.encodeRequest({ EMailAccountId: 3 }, HEADERS), ACTION('GetEMailAccount'), 'GetEMailAccount', 200],
    ['dispatched on the Body element (no SOAPAction)', send, undefined, 'Send', 200],
    ['header blocks under Envelope and in Header', direct, undefined, 'GetEMailAccount', 200],
    ['a value the schema refuses', badValue, undefined, 'GetEMailAccount', 500],
    ['a SOAPAction naming another operation than the Body', EMailOperations.GetEMailAccount.encodeRequest({ EMailAccountId: 3 }), ACTION('Send'), 'Send', 500],
  ];
  for (const [what, xml, action, operation, status] of cases) {
    test(`${what}: one reader, the events of the codec's own decode`, async () => {
      let result = { status: 0, body: '' };
      const mockReads = await readersDuring(async () => {
        result = await handle(mock, xml, action);
      });
      assert.equal(result.status, status, result.body);
      const codecReads = await readersDuring(() => {
        try {
          EMailOperations[operation].decodeRequest(xml, { unknownElements: 'error' });
        } catch (err) {
          if (!(err instanceof DecodeError)) throw err;
        }
      });
      assert.equal(codecReads.length, 1);
      assert.deepEqual(mockReads, codecReads, 'the mock reads the request once, as the codec does');
    });
  }

  test('a request refused before any operation (a Fault, an unknown action, not SOAP) is read once too', async () => {
    const requests: [string, string | undefined][] = [
      [envelope('<s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>no</faultstring></s:Fault></s:Body>'), ACTION('GetEMailAccount')],
      [EMailOperations.GetEMailAccount.encodeRequest({ EMailAccountId: 1 }), ACTION('DeleteEverything')],
      [envelope(`<s:Body><DeleteEverything xmlns="${TNS}"/></s:Body>`), undefined],
      ['<html><body/></html>', undefined],
    ];
    for (const [xml, action] of requests) {
      let result = { status: 0, body: '' };
      const reads = await readersDuring(async () => {
        result = await handle(mock, xml, action);
      });
      assert.equal(result.status, 500, xml);
      assert.equal(reads.length, 1, `${faultReason(result.body)}: ${reads.length} readers`);
    }
  });

  test('several Bodies: the first decides, as the decoder reads an envelope (the tree reader took the last)', async () => {
    const xml = envelope(`<s:Body><GetEMailAccount xmlns="${TNS}"/></s:Body><s:Body><Send xmlns="${TNS}"/></s:Body>`);
    const result = await handle(mock, xml, undefined);
    assert.equal(result.status, 500);
    assert.equal(faultReason(result.body), 'GetEMailAccount: the SOAP envelope has 2 Body elements; SOAP allows one at Envelope');
  });

  test('a request that is not XML by its characters or its XML declaration is a Fault saying so, as any other well-formedness error', async () => {
    // The reader checks these as it is made: decodeRequestOf made it before its try, and the mock
    // answered "internal mock error: Character U+0001 ..." for them.
    const requests: [string, RegExp][] = [
      [envelope('<s:Body>\u0001</s:Body>'), /^the message is not well-formed XML: Character U\+0001 is not allowed in XML \(line 1, column \d+\)$/],
      [`<?xml version="2.0"?>${envelope('<s:Body/>')}`, /^the message is not well-formed XML: Unsupported XML version '2\.0'/],
    ];
    for (const [xml, reason] of requests) {
      const result = await handle(mock, xml, ACTION('GetEMailAccount'));
      assert.equal(result.status, 500, xml);
      assert.match(faultReason(result.body), reason);
    }
  });

  test("the mock's runtime builds no tree: no tree reader is reached from mock-server.ts", () => {
    const generated = join(repoRoot, 'generated');
    const reached = importClosure(join(generated, 'runtime', 'mock-server.ts'), generated);
    assert.ok(reached.includes('runtime/decode.ts'), reached.join(', '));
    assert.ok(!reached.some((f) => /tree|mock-envelope/.test(f)), reached.join(', '));
    for (const f of reached) {
      assert.doesNotMatch(readFileSync(join(generated, f), 'utf8'), /^export (?:function|class|interface) (?:parseXml|readElement|readEnvelope|XmlElement)\b/m, f);
    }
  });
});

describe('dispatch among operations that declare different header blocks', () => {
  // Send declares no request headers here; GetEMailAccount declares its own, and Send2 the same
  // header elements as separate field objects (the decoder matches them by element, not by object).
  type In = Record<string, unknown>;
  const get = EMailOperations.GetEMailAccount.desc;
  const sendDesc = EMailOperations.Send.desc;
  const ops = {
    GetEMailAccount: ri.defineOperation<In, In, In, In>(EMailSchema, get),
    Send: ri.defineOperation<In, In, In, In>(EMailSchema, { ...sendDesc, input: { ...sendDesc.input, headers: [] } }),
    Send2: ri.defineOperation<In, In, In, In>(EMailSchema, {
      ...EMailOperations.SyncEmailAccount.desc,
      name: 'Send2',
      soapAction: ACTION('Send2'),
      input: { ...EMailOperations.SyncEmailAccount.desc.input, headers: get.input.headers.map((f) => ({ ...f })) },
    }),
  };
  const seen: [string, unknown][] = [];
  const mock = createMockServer(
    ops,
    { GetEMailAccount: (_, ctx) => void seen.push(['GetEMailAccount', ctx.headers]), Send: (_, ctx) => void seen.push(['Send', ctx.headers]), Send2: (_, ctx) => void seen.push(['Send2', ctx.headers]) },
    { service: 'Mixed', servicePath: 'Mixed.svc' },
  );

  // A Credentials block no operation could read (Ticket twice), and a good TimeZone.
  const headerBlocks =
    `<s:Header><Credentials xmlns="${TNS}"><Ticket>a</Ticket><Ticket>b</Ticket></Credentials>` +
    `<TimeZone xmlns="${TNS}"><SoTimeZoneId>3</SoTimeZoneId><SoTimeZoneLocationCode>UTC</SoTimeZoneLocationCode></TimeZone></s:Header>`;
  const goodHeaders = `<s:Header><TimeZone xmlns="${TNS}"><SoTimeZoneId>3</SoTimeZoneId><SoTimeZoneLocationCode>UTC</SoTimeZoneLocationCode></TimeZone></s:Header>`;
  const body = (op: string) => `<s:Body><${op} xmlns="${TNS}"/></s:Body>`;

  test('a header block only another operation declares is skipped, with its errors, as the codec skips it', async () => {
    const xml = envelope(headerBlocks + body('Send'));
    const result = await handle(mock, xml, undefined, '/Mixed.svc');
    assert.equal(result.status, 200, result.body);
    assert.deepEqual(seen.pop(), ['Send', {}]);
    assert.deepEqual(ops.Send.decodeRequest(xml).headers, {});
  });

  test('the chosen operation gets its header blocks and their errors, as its codec decodes them', async () => {
    for (const op of ['GetEMailAccount', 'Send2'] as const) {
      const bad = envelope(headerBlocks + body(op === 'Send2' ? 'SyncEmailAccount' : op));
      const refused = await handle(mock, bad, undefined, '/Mixed.svc');
      assert.equal(refused.status, 500, op);
      const expected = (() => {
        try {
          ops[op].decodeRequest(bad, { unknownElements: 'error' });
        } catch (err) {
          if (err instanceof DecodeError) return err.message;
          throw err;
        }
        return 'decoded';
      })();
      assert.match(expected, /^\w+: Ticket occurs more than once at Header\/Credentials\/Ticket/);
      assert.equal(faultReason(refused.body), expected, op);

      const good = envelope(goodHeaders + body(op === 'Send2' ? 'SyncEmailAccount' : op));
      const accepted = await handle(mock, good, undefined, '/Mixed.svc');
      assert.equal(accepted.status, 200, accepted.body);
      assert.deepEqual(seen.pop(), [op, ops[op].decodeRequest(good).headers]);
      assert.deepEqual(ops[op].decodeRequest(good).headers, { TimeZone: { SoTimeZoneId: 3, SoTimeZoneLocationCode: 'UTC' } });
    }
  });

  test('operations of different schemas cannot share one mock (its one reader reads one schema)', () => {
    const copy = { ...EMailSchema };
    assert.throws(
      () => createMockServer({ A: ops.GetEMailAccount, B: ri.defineOperation(copy, EMailOperations.Send.desc) }, {}, { service: 'X', servicePath: 'X.svc' }),
      /the operations of one mock must share one schema \(one agent's\), but B's differs from A's/,
    );
  });
});
