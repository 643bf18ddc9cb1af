// Session 18's hostile servers on 127.0.0.1, against the generated EMail client: answers that made
// a secret survive in an error, or made one failing call cost seconds and gigabytes, or were
// accepted when they should not be. Each test fails without the fix it names.
import assert from 'node:assert/strict';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { inspect } from 'node:util';
import { gzipSync } from 'node:zlib';
import { DecodeError, EMailAgent, HttpError, SoapError, SoExceptionError, TransportError } from '../../generated/EMail/index.js';
import type * as rt from '../../generated/runtime/index.js';
import { redact, Redactor } from '../../generated/runtime/redact.js';
import { bodyExcerpt, EXCERPT_SOURCE_LENGTH } from '../../generated/runtime/transport.js';

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

/** Answers with `status`, `headers` and `body`, and closes the connection (a kept one may be closed by the server's keep-alive timeout as the next test reuses it: ECONNRESET). */
function answer(status: number, body: string | Buffer, headers: http.OutgoingHttpHeaders = { 'Content-Type': 'text/xml; charset=utf-8' }): Responder {
  return (_req, res) => {
    res.writeHead(status, { ...headers, Connection: 'close' });
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

/** The shortest beginning of a secret the redactor removes before a cut (redact.ts MIN_SECRET_LENGTH). */
const MIN_SHOWN = 4;

describe('2. a large error body costs bounded work: only its start is redacted, then cut', () => {
  const clean = (text: string) => redact(text, [TICKET, TOKEN]);
  const code = (c: string) => c.charCodeAt(0);
  const each = (s: string, f: (c: string) => string) => [...s].map(f).join('');
  /** The forms a secret may take that the redactor reads, and markup that splits it. */
  const spellings: Record<string, (s: string) => string> = {
    raw: (s) => s,
    decimal: (s) => each(s, (c) => `&#${code(c)};`),
    'zero-padded': (s) => each(s, (c) => `&#${'0'.repeat(12)}${code(c)};`),
    hex: (s) => each(s, (c) => `&#x${code(c).toString(16)};`),
    url: (s) => each(s, (c) => `%${code(c).toString(16).toUpperCase()}`),
    json: (s) => each(s, (c) => `\\u${code(c).toString(16).padStart(4, '0')}`),
    mixed: (s) => each(s, (c) => (code(c) % 3 === 0 ? `&#${code(c)};` : code(c) % 3 === 1 ? `%${code(c).toString(16)}` : c)),
    'split by a comment': (s) => `${s.slice(0, 8)}<!-- ${' '.repeat(20)} -->${s.slice(8)}`,
    'split by CDATA': (s) => `${s.slice(0, 8)}]]><![CDATA[${s.slice(8)}`,
  };

  test('a secret the cut splits, in every form and at every point, is not shown', () => {
    for (const [name, spell] of Object.entries(spellings)) {
      for (const secret of [TICKET, TOKEN]) {
        const spelled = spell(secret);
        for (let k = 1; k < spelled.length; k++) {
          // Whitespace before it (joined to one space) brings the cut into the 500 characters shown.
          const at = EXCERPT_SOURCE_LENGTH - k;
          const excerpt = bodyExcerpt(`start${' '.repeat(at - 5)}${spelled}${' tail'.repeat(2000)}`, clean);
          assert.ok(excerpt.startsWith('start '), excerpt);
          assert.ok(excerpt.endsWith('\u2026'), excerpt);
          assertNoPiece(new Error(excerpt), `${name}, cut ${k} characters into it`);
        }
      }
    }
  });

  // Every cut, not only the excerpt's: a quoted value cut with shortText (an unsupported charset, an
  // integer out of range), an end tag's name, a network error's text. An escape the cut left
  // unfinished (`%5`, `&#8`) stood between the secret's beginning and the `…`, so it showed, decoded,
  // but for one character (review of session 18's diff).
  test('any text cut with …: a secret the cut splits, in every form and at every point, is not shown', () => {
    const hex = (h: string) => String.fromCharCode(parseInt(h, 16));
    // The output as a reader would decode it, unfinished escapes included.
    const decoded = (t: string) =>
      t.replace(/&#[xX]([0-9a-fA-F]+);?/g, (_, h: string) => hex(h)).replace(/&#([0-9]+);?/g, (_, d: string) => String.fromCharCode(Number(d))).replace(/%([0-9a-fA-F]{2})/g, (_, h: string) => hex(h)).replace(/\\u([0-9a-fA-F]{4})/g, (_, h: string) => hex(h));
    for (const [name, spell] of Object.entries(spellings)) {
      for (const secret of [TICKET, TOKEN]) {
        const spelled = spell(secret);
        for (let k = 1; k < spelled.length; k++) {
          const shown = clean(`value "${spelled.slice(0, k)}\u2026"`);
          assertNoPiece(new Error(decoded(shown)), `${name}, cut ${k} characters into it: ${shown}`);
        }
      }
    }
  });

  // A password may hold the characters an escape starts with: stepping back over what looked like an
  // unfinished escape before the cut (`&`, `%`, `\`, `<`, `]`) left its own beginning shown (review of session 19's diff).
  test('a secret that itself holds &, %, \\, < or ] is not shown, whole or cut', () => {
    for (const secret of ['x&SuperSecretLetters', 'P&ssw0rd-long', 'ab%cdefgh', 'abc\\u12ab-xyz', 'pw<!-secret', 'pw]]secret']) {
      // Whole, too: `%cd` was read as an escape, so `ab%cdefgh` as written was not found at all.
      assert.equal(redact(`value "${secret}"`, [secret]), 'value "***"', secret);
      for (let k = MIN_SHOWN; k < secret.length; k++) {
        const shown = redact(`value "${secret.slice(0, k)}\u2026"`, [secret]);
        assert.equal(shown, 'value "***\u2026"', `${secret} cut after ${k} characters`);
      }
    }
  });

  test('a comment that splits a secret and goes on past the cut', () => {
    const spelled = `${TICKET.slice(0, 8)}<!--${'c'.repeat(6000)}-->${TICKET.slice(8)}`;
    for (const k of [8, 9, 10, 11, 12, 100, 3000]) {
      const excerpt = bodyExcerpt(`start${' '.repeat(EXCERPT_SOURCE_LENGTH - k - 5)}${spelled}`, clean);
      assertNoPiece(new Error(excerpt), `cut ${k} characters into it`);
    }
  });

  test("a comment a capped fault text's cut left open: the secret's beginning before it goes too", () => {
    const capped = `reason ${TICKET.slice(0, 9)}<!--${'c'.repeat(100)}\u2026 (40000 characters in all)`;
    assert.equal(redact(capped, [TICKET]), `reason ***<!--${'c'.repeat(100)}\u2026 (40000 characters in all)`);
  });

  test(`the redactor reads at most ${EXCERPT_SOURCE_LENGTH} characters of a 20 MB body that starts with an escape or markup`, () => {
    for (const start of ['&amp;', '%41', '<!--', '&#65;', '\\u0041']) {
      const read: number[] = [];
      const excerpt = bodyExcerpt(`${start}${'x'.repeat(20_000_000)}`, (text) => {
        read.push(text.length);
        return clean(text);
      });
      assert.ok(read.length === 1 && (read[0] as number) <= EXCERPT_SOURCE_LENGTH + 1, `${start}: the redactor read ${read.join(', ')} characters`);
      assert.equal(excerpt.length, 501);
    }
  });

  test('over HTTP: a 20 MB HTTP 500 starting with &amp; is an HttpError with a 500-character excerpt, the ticket in it removed', async () => {
    const body = `&amp; ${TICKET} ${'&amp;'.repeat(4_000_000)}`;
    respond = answer(500, body, { 'Content-Type': 'text/plain' });
    const err = await failure(agentAt().getEMailAccount({ EMailAccountId: 1 }));
    assert.ok(err instanceof HttpError, String(err));
    assert.equal(err.bodyExcerpt.length, 501);
    assert.ok(err.bodyExcerpt.startsWith('&amp; *** &amp;'), err.bodyExcerpt.slice(0, 40));
    assertNoPiece(err, 'HttpError');
  });
});

describe('3. secret fragments the redactor did not see as cut off', () => {
  test("REST: a body that is not JSON is told by what V8 says of the error and its position, never V8's quote of the text cut with '...'", async () => {
    const cases: [string, string][] = [
      [`{"EMailAccountId": ${TICKET}}`, "Unexpected token 'S'"],
      [`{"EMailAccountId":\n  "${TICKET}\u0001"}`, 'Bad control character in string literal in JSON at position 39'],
      [`{"EMailAccountId": 1,}`, 'Expected double-quoted property name in JSON at position 21'],
      [`{"EMailAccountId": 1} ${TICKET}`, 'Unexpected non-whitespace character after JSON at position 22'],
      [`{"EMailAccountId": [1, 2, {"x": "\\q"}]}`, 'Bad escaped character in JSON at position 34'],
      [`{"EMailAccountId": 012}`, 'Unexpected number in JSON at position 20'],
      [`{"EMailAccountId": "${TICKET}`, 'Unterminated string in JSON at position 37'],
      ['{"EMailAccountId"', "Expected ':' after property name in JSON at position 17"],
    ];
    for (const [body, said] of cases) {
      respond = answer(200, body, { 'Content-Type': 'application/json; charset=utf-8' });
      const err = await failure(agentAt({ transport: 'rest' }).getEMailAccount({ EMailAccountId: 1 }));
      assert.ok(err instanceof DecodeError, String(err));
      assert.equal(err.message, `GetEMailAccount: the message is not JSON: ${said}`, body);
      assertNoPiece(err, body);
    }
  });
});

describe('3b. SOAP: a mismatched end tag longer than the 200 characters shown', () => {
  test('is cut with …, so a secret the cut splits is removed', async () => {
    respond = answer(200, `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body></${'Q'.repeat(190)}${TICKET}></s:Body></s:Envelope>`);
    const err = await failure(agentAt().getEMailAccount({ EMailAccountId: 1 }));
    assert.ok(err instanceof DecodeError, String(err));
    assert.match(err.message, new RegExp(`Mismatched end tag: expected </s:Body>, found </Q{190}\\*\\*\\*\u2026> \\(line 1, column \\d+\\)`));
    assertNoPiece(err, 'mismatched end tag');
  });
});

describe('3c. an unsupported Content-Type charset', () => {
  test('is quoted as sent (the redactor finds a secret as written), cut after 40 characters', async () => {
    respond = answer(200, '<x/>', { 'Content-Type': `text/xml; charset=${TICKET}` });
    const err = await failure(agentAt().getEMailAccount({ EMailAccountId: 1 }));
    assert.ok(err instanceof DecodeError, String(err));
    assert.equal(err.message, 'GetEMailAccount: unsupported encoding "***" (from the Content-Type charset); this client reads UTF-8, UTF-16 (LE/BE), ISO-8859-1, windows-1252 and US-ASCII');
    assertNoPiece(err, 'charset');
    respond = answer(200, '<x/>', { 'Content-Type': `text/xml; charset=X-${'A'.repeat(8000)}` });
    const long = await failure(agentAt().getEMailAccount({ EMailAccountId: 1 }));
    assert.ok(long instanceof DecodeError, String(long));
    assert.match(long.message, new RegExp(`unsupported encoding "X-A{38}\u2026" \\(from the Content-Type charset\\)`));
  });
});

describe('4. a huge out-of-range integer', () => {
  const response = (value: string) =>
    `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><GetEMailAccountResponse xmlns="${TNS}"><Response><EMailAccountId>${value}</EMailAccountId></Response></GetEMailAccountResponse></s:Body></s:Envelope>`;

  test('SOAP: 1 MB of digits is quoted as its first 40 characters and …', async () => {
    respond = answer(200, response('9'.repeat(1_000_000)));
    const err = await failure(agentAt().getEMailAccount({ EMailAccountId: 1 }));
    assert.ok(err instanceof DecodeError, String(err));
    assert.match(err.message, new RegExp(`9{40}\u2026 is out of range for xs:int`));
    assert.ok(err.message.length < 300, `${err.message.length} characters`);
  });

  test('REST: 100,000 digits in a string, the same', async () => {
    respond = answer(200, `{"EMailAccountId": "${'9'.repeat(100_000)}"}`, { 'Content-Type': 'application/json' });
    const err = await failure(agentAt({ transport: 'rest' }).getEMailAccount({ EMailAccountId: 1 }));
    assert.ok(err instanceof DecodeError, String(err));
    assert.match(err.message, new RegExp(`9{40}\u2026 is out of range for xs:int`));
    assert.ok(err.message.length < 300, `${err.message.length} characters`);
  });
});

describe('7. a network failure says what went wrong, not only undici\'s code', () => {
  /** A server that answers every connection with `reply` (raw bytes), then closes it. */
  async function rawServer(reply: string): Promise<{ url: string; close: () => Promise<void> }> {
    const sockets = new Set<net.Socket>();
    const s = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.once('data', () => socket.end(reply));
    });
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    return {
      url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`,
      close: async () => {
        for (const socket of sockets) socket.destroy();
        await new Promise((r) => s.close(r));
      },
    };
  }

  for (const [name, reply, said] of [
    ['a connection closed before the body ends', 'HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 1000\r\n\r\n<s:Envelope', 'could not be read: other side closed (UND_ERR_SOCKET)'],
    ['an answer that is not HTTP', 'SSH-2.0-OpenSSH_9.6\r\n\r\n', 'failed: Response does not match the HTTP/1.1 protocol (Expected HTTP/) (HPE_INVALID_CONSTANT)'],
  ] as const) {
    test(`${name}: the cause's text and code`, async () => {
      const server = await rawServer(reply);
      try {
        const err = await failure(new EMailAgent({ baseUrl: server.url, ticket: TICKET }).getEMailAccount({ EMailAccountId: 1 }));
        assert.ok(err instanceof TransportError && err.reason === 'network', String(err));
        assert.ok(err.message.endsWith(said), err.message);
      } finally {
        await server.close();
      }
    });
  }
});

describe("5, 6. what Node's fetch does itself (documented in SECURITY.md: if this changes, so must it)", () => {
  test('a compressed body cut short but framed as complete: a bare REST number comes back shorter; SOAP is a DecodeError; identity can be asked for', async () => {
    let acceptEncoding: string | undefined;
    const gzipped = (text: string, cut: number): Responder => (req, res) => {
      acceptEncoding = req.headers['accept-encoding'];
      const full = gzipSync(text, { level: 0 }); // stored: which bytes hold which digits does not depend on zlib
      res.writeHead(200, { 'Content-Type': req.url?.includes('/api/') ? 'application/json' : 'text/xml', 'Content-Encoding': 'gzip', Connection: 'close' });
      res.end(full.subarray(0, full.length - cut));
    };
    respond = gzipped('1234567890', 11);
    assert.equal(await agentAt({ transport: 'rest' }).getCurrentAccountId(), 1234567);
    assert.match(String(acceptEncoding), /gzip/);
    respond = gzipped(`<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><GetEMailAccountResponse xmlns="${TNS}"><Response><EMailAccountId>7</EMailAccountId></Response></GetEMailAccountResponse></s:Body></s:Envelope>`, 20);
    assert.ok((await failure(agentAt().getEMailAccount({ EMailAccountId: 1 }))) instanceof DecodeError);
    await failure(agentAt({ httpHeaders: { 'Accept-Encoding': 'identity' } }).getEMailAccount({ EMailAccountId: 1 }));
    assert.equal(acceptEncoding, 'identity');
  });

  test('HTTP 421: the server receives each request twice, the hooks report one attempt', async () => {
    respond = answer(421, 'misdirected', { 'Content-Type': 'text/plain' });
    for (const transport of ['soap', 'rest'] as const) {
      let attempts = 0;
      requests = 0;
      const err = await failure(agentAt({ transport, hooks: { onAttempt: () => void attempts++ } }).deleteEMailAccount({ EMailAccountId: 1 }));
      assert.ok(err instanceof HttpError && err.status === 421, String(err));
      assert.deepEqual({ requests, attempts }, { requests: 2, attempts: 1 }, transport);
    }
  });
});
