// Issue 15, as an attacker tries it against the generated EMail client on 127.0.0.1: redirects
// never carry credentials, one time budget covers the ticket function, no field of any error keeps
// a secret, faults cost bounded memory and text, the redaction list is bounded, limits are
// validated, and the envelope is read as strictly as WCF reads it.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { DecodeError, EMailAgent, EMailOperations, HttpError, SoapFaultError, SoExceptionError, TransportError } from '../../generated/EMail/index.js';
import { SuperOfficeClient } from '../../generated/index.js';
import * as rt from '../../generated/runtime/index.js';

const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/';
const SOAP12 = 'http://www.w3.org/2003/05/soap-envelope';
const TNS = 'http://www.superoffice.net/ws/crm/NetServer/Services86';

type Responder = (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void;
let respond: Responder = (_req, _body, res) => res.end();
let hits = 0;
let server: http.Server;
let base: string;
/** Another origin (another port): must never be reached. */
let other: http.Server;
let otherBase: string;
let otherHits = 0;

function listen(s: http.Server): Promise<string> {
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(s.address() as AddressInfo).port}`)));
}

before(async () => {
  server = http.createServer((req, res) => {
    hits++;
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => respond(req, body, res));
  });
  other = http.createServer((req, res) => {
    otherHits++;
    req.resume();
    res.end('stolen');
  });
  base = await listen(server);
  otherBase = await listen(other);
});
after(async () => {
  server.closeAllConnections();
  other.closeAllConnections();
  await Promise.all([new Promise((r) => server.close(r)), new Promise((r) => other.close(r))]);
});

function xml(res: http.ServerResponse, status: number, body: string, contentType = 'text/xml; charset=utf-8'): void {
  res.writeHead(status, { 'Content-Type': contentType, Connection: 'close' });
  res.end(body);
}

function envelope(inner: string, ns = SOAP11): string {
  return `<s:Envelope xmlns:s="${ns}"><s:Body>${inner}</s:Body></s:Envelope>`;
}

const agentAt = (options: rt.AgentOptions = {}) => new EMailAgent({ baseUrl: base, ...options });

describe('1. no redirect carries credentials', () => {
  for (const status of [301, 302, 303, 307, 308]) {
    test(`a ${status} to another origin is an HttpError naming status and Location; nothing is sent there`, async () => {
      const ticket = 'TkT-redirect-0123456789';
      otherHits = 0;
      respond = (_req, _body, res) => {
        res.writeHead(status, { Location: `${otherBase}/steal?ticket=${encodeURIComponent(ticket)}` });
        res.end();
      };
      const err = await agentAt({ ticket, applicationToken: 'AppTok-redirect-987654' }).getEMailAccount({ EMailAccountId: 1 }).catch((e: unknown) => e);
      assert.ok(err instanceof HttpError, String(err));
      assert.equal(err.status, status);
      assert.equal(err.location, `${otherBase}/steal?ticket=***`);
      assert.match(err.message, new RegExp(`HTTP ${status}.*redirect to ${otherBase}/steal\\?ticket=\\*\\*\\* not followed`));
      assert.equal(otherHits, 0, 'nothing reached the other origin');
    });
  }

  test("a Location's user:password@ is not shown, short or cut after 2000 characters", async () => {
    for (const pathLength of [10, 5000]) {
      const location = `http://carol:hunter2-pw@127.0.0.1:1/${'p'.repeat(pathLength)}`;
      const agent = new EMailAgent({ baseUrl: base, fetch: async () => new Response(null, { status: 302, headers: { Location: location } }) });
      const err = await agent.getEMailAccount({ EMailAccountId: 1 }).catch((e: unknown) => e);
      assert.ok(err instanceof HttpError, String(err));
      assert.ok(err.location?.startsWith('http://***@127.0.0.1:1/pppp'), err.location);
      assert.ok((err.location ?? '').length <= 2001, `${err.location?.length} characters`);
      assert.ok(!`${err.message}${err.location}`.includes('hunter2'), 'the password leaked');
    }
  });

  test("a Location's user info up to its last @ is not shown (a password with a raw @, as URL parsers read it)", async () => {
    const location = 'http://carol:hunter2@secret-pw@127.0.0.1:1/next';
    assert.equal(new URL(location).host, '127.0.0.1:1');
    const agent = new EMailAgent({ baseUrl: base, fetch: async () => new Response(null, { status: 302, headers: { Location: location } }) });
    const err = await agent.getEMailAccount({ EMailAccountId: 1 }).catch((e: unknown) => e);
    assert.ok(err instanceof HttpError, String(err));
    assert.equal(err.location, 'http://***@127.0.0.1:1/next');
    assert.ok(!`${err.message}${err.location}`.includes('secret-pw'), 'a part of the password leaked');
  });

  // Without its scheme, `user:password@host` is a URL of the scheme `user:` whose path is
  // `password@host`: the call showed its origin ('null') and path, the password with them. A token
  // given as the user name alone (`https://TOKEN@host/`) is the credential: fetch's refusal quoted
  // it whole. Each is now refused when the agent is made, naming the option and not the value.
  test('a baseUrl or endpoint that is not a plain http(s) URL is refused when the agent is made, without quoting it', () => {
    const refused: [keyof rt.AgentOptions, string, RegExp][] = [
      ['baseUrl', 'bob:hunter2@127.0.0.1:1', /^baseUrl \(not shown: it may hold a secret\) is not an http\(s\) URL \(no https:\/\/ at its start\)$/],
      ['baseUrl', 'mailto:bob:hunter2@x', /^baseUrl \(not shown: it may hold a secret\) is not an http\(s\) URL \(no https:\/\/ at its start\)$/],
      ['baseUrl', 'localhost:1', /^baseUrl \(not shown: it may hold a secret\) is not an http\(s\) URL \(no https:\/\/ at its start\)$/],
      ['baseUrl', 'online.superoffice.com', /^baseUrl "online\.superoffice\.com" is not an http\(s\) URL \(no https:\/\/ at its start\)$/],
      ['baseUrl', 'http://tok3n-as-user%21@127.0.0.1:1/x', /^baseUrl URL must not carry credentials, a query or a fragment$/],
      ['baseUrl', 'http://127.0.0.1:1/Cust1?hunter2=1', /^baseUrl URL must not carry credentials, a query or a fragment$/],
      ['baseUrl', 'http://carol:hunter2%40pw@127.0.0.1:1/x', /^baseUrl URL must not carry credentials, a query or a fragment$/],
      ['baseUrl', 'http://127.0.0.1:99999/x?apikey=hunter2#frag', /^baseUrl \(not shown: it may hold a secret\) is not an http\(s\) URL$/],
      ['endpoint', 'https://127.0.0.1:1/EMail.svc#hunter2', /^endpoint URL must not carry credentials, a query or a fragment$/],
      // A bare ? or # (empty search and hash): the agent's path would be appended into it (review r17a).
      ['baseUrl', 'http://127.0.0.1:1/Cust1?', /^baseUrl URL must not carry credentials, a query or a fragment$/],
      ['baseUrl', 'http://127.0.0.1:1/Cust1#', /^baseUrl URL must not carry credentials, a query or a fragment$/],
      ['endpoint', 'ftp://127.0.0.1/EMail.svc', /^endpoint \(not shown: it may hold a secret\) is not an http\(s\) URL$/],
    ];
    // The message as asked, and no secret anywhere in the error (stack, causes, fields).
    const secretFree = (e: unknown) => !/hunter2|tok3n/.test(`${(e as Error).stack}\n${inspect(e, { depth: 8 })}`);
    for (const [option, value, message] of refused) {
      assert.throws(() => new EMailAgent({ [option]: value }), (e: unknown) => e instanceof TypeError && message.test(e.message) && secretFree(e), `${option}: ${value}`);
      if (option === 'baseUrl') assert.throws(() => new rt.SoapSession({ baseUrl: value }), (e: unknown) => e instanceof TypeError && message.test(e.message) && secretFree(e), value);
    }
    // What calls go to stays as given.
    assert.equal(new EMailAgent({ baseUrl: 'http://127.0.0.1:1/Cust1/' }).endpoint, 'http://127.0.0.1:1/Cust1/Remote/Services86/EMail.svc');
    assert.equal(new EMailAgent({ endpoint: 'HTTPS://[::1]:8443/x.svc' }).endpoint, 'HTTPS://[::1]:8443/x.svc');
  });

  // A session's endpoints were taken as given and checked only when their agent was first used,
  // as `endpoint`: the error named neither the session's option nor the service.
  test('a session refuses a bad endpoints.<Service> when it is made, naming it and not quoting the value', () => {
    const refused: [unknown, RegExp][] = [
      [{ EMail: 'https://bob:pa55@127.0.0.1:1/EMail.svc' }, /^endpoints\.EMail URL must not carry credentials, a query or a fragment$/],
      [{ EMail: 'http://127.0.0.1:1/EMail.svc?key=pa55' }, /^endpoints\.EMail URL must not carry credentials, a query or a fragment$/],
      [{ EMail: 'bob:pa55@127.0.0.1:1/EMail.svc' }, /^endpoints\.EMail \(not shown: it may hold a secret\) is not an http\(s\) URL \(no https:\/\/ at its start\)$/],
      [{ EMail: 'ftp://127.0.0.1/EMail.svc' }, /^endpoints\.EMail \(not shown: it may hold a secret\) is not an http\(s\) URL$/],
      ['http://127.0.0.1:1/EMail.svc', /^endpoints must be an object of URLs keyed by service name, got string$/],
      [null, /^endpoints must be an object of URLs keyed by service name, got null$/],
    ];
    for (const [endpoints, message] of refused) {
      const named = (e: unknown) => e instanceof TypeError && message.test(e.message) && !`${e.stack}\n${inspect(e, { depth: 8 })}`.includes('pa55');
      assert.throws(() => new SuperOfficeClient({ baseUrl: 'https://127.0.0.1:1/C', endpoints: endpoints as never }), named, inspect(endpoints));
      assert.throws(() => new rt.SoapSession({ endpoints: endpoints as never }), named, inspect(endpoints));
    }
    const so = new SuperOfficeClient({ baseUrl: 'https://127.0.0.1:1/C', endpoints: { EMail: 'http://127.0.0.1:2/EMail.svc', Other: undefined } as never });
    assert.equal(so.email.endpoint, 'http://127.0.0.1:2/EMail.svc');
  });

  // The agent's checks do not cover the WSDL's soap:address (useWsdlAddress: true), so the redaction
  // of what fetch says about the address it refuses or cannot parse (http.ts) still guards calls.
  const wsdlAgent = (address: string, hooks?: rt.Hooks) =>
    new rt.SoapAgent(EMailOperations, { service: 'EMail', defaultEndpoint: address, servicePath: 'Remote/Services86/EMail.svc' }, { useWsdlAddress: true, hooks });
  const failedCall = async (address: string) => {
    const events: unknown[] = [];
    const hooks = { onAttempt: (e: unknown) => void events.push(e), onCall: (e: unknown) => void events.push(e) };
    const err = await wsdlAgent(address, hooks).invoke('GetEMailAccount', { EMailAccountId: 1 }).catch((e: unknown) => e);
    assert.ok(err instanceof TransportError, String(err));
    assert.equal(events.length, 2, address);
    return { err, text: `${err.message}\n${err.stack}\n${inspect(err, { depth: 8 })}\n${inspect(events, { depth: 8 })}` };
  };

  test('a password in the WSDL address (user:password@) is not in the error fetch makes of it, nor in its cause', async () => {
    const { text } = await failedCall('http://carol:hunter2%40pw@127.0.0.1:1/x');
    assert.ok(!text.includes('hunter2'), `the password leaked: ${text}`);
  });

  // fetch quotes the whole URL when it refuses it (user info) or cannot parse it (a bad port): a
  // short password, below the redactor's minimum length, and a key in the query string were shown.
  test('a WSDL address that fetch refuses or cannot parse is not quoted: no user info, query or fragment in the error or its causes', async () => {
    const shown: [address: string, where: string][] = [
      ['http://bob:pw@127.0.0.1:1/x?apikey=k3y-0f-the-proxy#frag-x', 'the request to http://127.0.0.1:1/x failed'],
      ['http://127.0.0.1:99999/x?apikey=k3y-0f-the-proxy#frag-x', 'the request to (invalid URL) failed'],
    ];
    for (const [address, where] of shown) {
      const { err, text } = await failedCall(address);
      for (const secret of ['bob:pw', 'k3y-0f', 'frag-x']) assert.ok(!text.includes(secret), `${secret} leaked: ${text}`);
      assert.ok(err.message.includes(where), `${where}: ${err.message}`);
    }
  });

  // A token given as the user name alone (`https://TOKEN@host/`, Basic authentication with an
  // empty password) is the credential: fetch's refusal quoted it whole, in the error and the hooks.
  test('a user name without a password in the WSDL address (TOKEN@) is not in the error nor in the hook events', async () => {
    const { text } = await failedCall('http://tok3n-as-user%21@127.0.0.1:1/x');
    assert.ok(!text.includes('tok3n'), `the token leaked: ${text}`);
  });

  // Without its scheme, `user:password@host` is a URL of the scheme `user:` whose path is
  // `password@host`: the origin ('null') and path were shown, the password with them.
  test('a WSDL address without http(s):// is named as such, its user info neither in the error nor in the hook events', async () => {
    for (const address of ['bob:hunter2@127.0.0.1:1', 'localhost:1', 'mailto:bob:hunter2@x']) {
      const { err, text } = await failedCall(address);
      assert.match(err.message, /^GetEMailAccount: the request to \(not an http\(s\) URL\) failed: /, address);
      assert.ok(!text.includes('hunter2'), `${address}: ${text}`);
    }
  });

  test('displayUrl (what errors and hook events show of an address) shows nothing of a URL that is not http(s)', async () => {
    const { displayUrl } = await import('../../generated/runtime/hooks.js');
    assert.equal(displayUrl('bob:hunter2@127.0.0.1:1/Remote/Services86/EMail.svc'), '(not an http(s) URL)');
    assert.equal(displayUrl('http://bob:hunter2@127.0.0.1:1/x?key=hunter2#f'), 'http://127.0.0.1:1/x');
    assert.equal(displayUrl('not a URL'), '(invalid URL)');
  });

  for (const status of [300, 304]) {
    test(`a ${status} without a Location is an HttpError ${status}, not a "redirect not followed"`, async () => {
      respond = (_req, _body, res) => {
        res.writeHead(status, { Connection: 'close' });
        res.end();
      };
      const err = await agentAt().getEMailAccount({ EMailAccountId: 1 }).catch((e: unknown) => e);
      assert.ok(err instanceof HttpError, String(err));
      assert.equal(err.status, status);
      assert.equal(err.location, undefined);
      assert.match(err.message, new RegExp(`HTTP ${status}`));
      assert.doesNotMatch(err.message, /redirect|credentials/);
    });
  }

  test('a body that is not the gzip its Content-Encoding says, or cut off: a network error naming the response body', async () => {
    respond = (_req, _body, res) => {
      res.writeHead(200, { 'Content-Type': 'text/xml', 'Content-Encoding': 'gzip', Connection: 'close' });
      res.end(envelope(''));
    };
    let err = await agentAt().getEMailAccount({ EMailAccountId: 1 }).catch((e: unknown) => e);
    assert.ok(err instanceof TransportError && err.reason === 'network', String(err));
    const svc = `${base}/Remote/Services86/EMail.svc`;
    assert.equal(err.message, `GetEMailAccount: the response body from ${svc} could not be read (Content-Encoding gzip): incorrect header check (Z_DATA_ERROR)`);
    respond = (_req, _body, res) => {
      res.writeHead(200, { 'Content-Type': 'text/xml', 'Content-Length': '1000' });
      res.write('<s:Envelope');
      setTimeout(() => res.socket?.destroy(), 10);
    };
    err = await agentAt().getEMailAccount({ EMailAccountId: 1 }).catch((e: unknown) => e);
    assert.ok(err instanceof TransportError && err.reason === 'network', String(err));
    assert.match(err.message, new RegExp(`^GetEMailAccount: the response body from ${svc.replace(/[.]/g, '\\.')} could not be read: other side closed \\(UND_ERR_SOCKET\\)$`));
  });

  test('https → http: a downgrade is refused the same way (never followed)', async () => {
    let seen: RequestInit | undefined;
    const agent = new EMailAgent({
      endpoint: 'https://127.0.0.1:1/Remote/Services86/EMail.svc',
      ticket: 'TkT-downgrade-0123456789',
      fetch: async (_url, init) => {
        seen = init;
        // What fetch answers with redirect: 'manual' (the real 3xx, not followed).
        return new Response(null, { status: 308, headers: { Location: `http://127.0.0.1:1/Remote/Services86/EMail.svc` } });
      },
    });
    const err = await agent.getEMailAccount({ EMailAccountId: 1 }).catch((e: unknown) => e);
    assert.equal(seen?.redirect, 'manual');
    assert.ok(err instanceof HttpError && err.status === 308 && err.location === 'http://127.0.0.1:1/Remote/Services86/EMail.svc');
  });
});

describe('2. one time budget per call, the ticket function included', () => {
  // The message said "no complete response within 200 ms" although no request had gone out: the
  // reader looked at the server, and a caller could not tell that a write was certainly not sent.
  test('timeoutMs ends a call whose ticket function never settles, before anything is sent, and says so', async () => {
    hits = 0;
    const started = Date.now();
    const err = await agentAt({ ticket: () => new Promise<string>(() => undefined), timeoutMs: 200 })
      .getEMailAccount({ EMailAccountId: 1 })
      .catch((e: unknown) => e);
    assert.ok(err instanceof TransportError, String(err));
    assert.equal(err.reason, 'timeout');
    assert.equal(err.message, 'GetEMailAccount: no request sent within 200 ms: the call was still waiting for its ticket (nothing was sent)');
    // The message quotes the option; the time shows its limit ended the call, not the default
    // 120 s: 200 ms, and the rest of the 5 s for a loaded machine.
    const ms = Date.now() - started;
    assert.ok(ms < 5000, `${ms} ms`);
    assert.equal(hits, 0);
  });

  test("the caller's signal ends it too (aborted)", async () => {
    hits = 0;
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const err = await agentAt({ ticket: () => new Promise<string>(() => undefined), timeoutMs: 0 })
      .getEMailAccount({ EMailAccountId: 1 }, { signal: controller.signal })
      .catch((e: unknown) => e);
    assert.ok(err instanceof TransportError && err.reason === 'aborted', String(err));
    assert.equal(err.message, 'GetEMailAccount: the call was aborted while it waited for its ticket (nothing was sent)');
    assert.equal(hits, 0);
  });

  test('the budget starts before the ticket: a slow ticket and a slow body share one timeout', async () => {
    respond = (_req, _body, res) => {
      res.writeHead(200, { 'Content-Type': 'text/xml' });
      res.write('<s:Envelope');
      setTimeout(() => res.end(), 1000).unref();
    };
    const err = await agentAt({ ticket: () => new Promise<string>((r) => setTimeout(() => r('TkT-slow-0123456789'), 150)), timeoutMs: 300 })
      .getEMailAccount({ EMailAccountId: 1 })
      .catch((e: unknown) => e);
    assert.ok(err instanceof TransportError && err.reason === 'timeout', String(err));
    // The request was sent: the message names where to, as a refused connection's does (review u3),
    // and that the status had come (r19a #6: the server answered; its body stalled).
    assert.equal(err.message, `GetEMailAccount: no result within 300 ms: the call was still waiting for the response body from ${base}/Remote/Services86/EMail.svc (HTTP 200 received)`);
  });

  test("the caller's abort after the request went out names where it went, and keeps the caller's reason", async () => {
    respond = () => undefined; // no answer at all (a stalled body: the test above)
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('shutting down')), 150);
    const err = await agentAt({ ticket: 'TkT-sent-0123456789' }).getEMailAccount({ EMailAccountId: 1 }, { signal: controller.signal }).catch((e: unknown) => e);
    assert.ok(err instanceof TransportError && err.reason === 'aborted', String(err));
    assert.equal(err.message, `GetEMailAccount: the call was aborted while it waited for the response from ${base}/Remote/Services86/EMail.svc`);
    assert.equal((err.cause as Error | undefined)?.message, 'shutting down');
  });

  test("the caller's abort while the body comes names the body and the status received", async () => {
    respond = (_req, _body, res) => {
      res.writeHead(200, { 'Content-Type': 'text/xml' });
      res.write('<s:Envelope'); // …and stalls
    };
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('shutting down')), 150);
    const err = await agentAt({ ticket: 'TkT-sent-0123456789' }).getEMailAccount({ EMailAccountId: 1 }, { signal: controller.signal }).catch((e: unknown) => e);
    assert.ok(err instanceof TransportError && err.reason === 'aborted', String(err));
    assert.equal(err.message, `GetEMailAccount: the call was aborted while it waited for the response body from ${base}/Remote/Services86/EMail.svc (HTTP 200 received)`);
    assert.equal((err.cause as Error | undefined)?.message, 'shutting down');
  });
});

// ---------------------------------------------------------------------------------------------
// 3. Redaction reaches every field

/** Every form a hostile server may echo a secret in; `mix` picks one form per character. */
const forms: Record<string, (s: string) => string> = {
  raw: (s) => s,
  xmlDecimal: (s) => [...s].map((c) => `&#${c.codePointAt(0)};`).join(''),
  xmlHex: (s) => [...s].map((c) => `&#x${c.codePointAt(0)!.toString(16)};`).join(''),
  urlUpper: (s) => [...s].map((c) => `%${c.codePointAt(0)!.toString(16).toUpperCase()}`).join(''),
  urlLower: (s) => [...s].map((c) => `%${c.codePointAt(0)!.toString(16).toLowerCase()}`).join(''),
  json: (s) => [...s].map((c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`).join(''),
  mix: (s) => [...s].map((c, i) => [(x: string) => x, forms['xmlHex']!, forms['urlLower']!, forms['json']!][i % 4]!(c)).join(''),
};
/** XML text carrying `s` so that, read, it is the form (`&` of character references escaped). */
const inText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

function assertNoPiece(err: unknown, secrets: readonly string[], where: string): void {
  const e = err as Error;
  const texts = { inspect: inspect(err, { depth: null }), json: JSON.stringify(err), stack: String(e.stack) };
  for (const [name, text] of Object.entries(texts)) {
    for (const s of secrets) {
      for (let i = 0; i + 8 <= s.length; i++) {
        assert.ok(!text.includes(s.slice(i, i + 8)), `${where}: "${s.slice(i, i + 8)}" of a secret survives in ${name}:\n${text.slice(0, 3000)}`);
      }
      for (const [formName, form] of Object.entries(forms)) {
        assert.ok(!text.includes(form(s)), `${where}: the ${formName} form of a secret survives in ${name}`);
      }
    }
  }
}

// Characters drawn one by one (fc.stringMatching favours words such as "hasOwnProperty", which
// stack frames contain): a secret that also is an XML name, so it can name an unknown element.
const secretArb = fc
  .tuple(fc.constantFrom(...'ABCDEFGHKMNPQRSTXYZ'), fc.array(fc.constantFrom(...'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789'), { minLength: 11, maxLength: 31 }))
  .map(([a, b]) => a + b.join(''));

describe('3. secrets leave no trace in any error field', () => {
  test('property: ticket and token planted in every field a hostile server controls, in every form', async () => {
    const scenarios: { name: string; run: (ticket: string, token: string, form: (s: string) => string) => Promise<unknown> }[] = [
      {
        name: 'fault reason, detail and code',
        run: (t, k, f) => {
          respond = (_q, _b, res) =>
            xml(res, 500, envelope(`<s:Fault><faultcode>s:${t}</faultcode><faultstring>${inText(f(t))} / ${inText(f(k))}</faultstring><detail><x>${inText(f(k))}</x>${inText(f(t))}</detail></s:Fault>`));
          return agentAt({ ticket: () => t, applicationToken: k }).getEMailAccount({ EMailAccountId: 1 });
        },
      },
      {
        name: 'HTTP body excerpt and status text',
        run: (t, k, f) => {
          respond = (_q, _b, res) => {
            res.writeHead(502, `Bad ${t}`, { 'Content-Type': 'text/plain' });
            res.end(`upstream said ${f(t)} and ${f(k)}`);
          };
          return agentAt({ ticket: t, applicationToken: k }).getEMailAccount({ EMailAccountId: 1 });
        },
      },
      {
        name: 'DecodeError path (an unknown element named after the secret) and message',
        run: (t, k) => {
          respond = (_q, _b, res) =>
            xml(res, 200, envelope(`<GetEMailAccountResponse xmlns="${TNS}"><Response><${t}>1</${t}><${k}/></Response></GetEMailAccountResponse>`));
          return agentAt({ ticket: () => t, applicationToken: k, unknownElements: 'error' }).getEMailAccount({ EMailAccountId: 1 });
        },
      },
      {
        name: 'ExceptionInfo: message, stack, inner, Parameters keys and values',
        run: (t, k, f) => {
          const info = {
            Message: `bad ticket ${f(t)}`,
            StackTrace: `at ${f(k)}`,
            FriendlyText: f(t),
            ExceptionType: k,
            Source: f(k),
            InnerException: { Message: f(t), Parameters: { [t]: f(k) } },
            Parameters: { [k]: f(t), plain: t },
          };
          respond = (_q, _b, res) =>
            xml(res, 200, EMailOperations.GetEMailAccount.encodeResponse({ Response: null }, { Succeeded: false, ExceptionInfo: info }));
          return agentAt({ ticket: () => t, applicationToken: k }).getEMailAccount({ EMailAccountId: 1 });
        },
      },
      {
        name: 'redirect Location',
        run: (t, k, f) => {
          respond = (_q, _b, res) => {
            res.writeHead(307, { Location: `${otherBase}/${f(t)}?k=${f(k)}` });
            res.end();
          };
          return agentAt({ ticket: t, applicationToken: k }).getEMailAccount({ EMailAccountId: 1 });
        },
      },
      {
        name: 'a foreign cause chain (a fetch wrapper quoting the request)',
        run: (t, k, f) => {
          const fetchImpl: typeof fetch = async (_url, init) => {
            const inner = Object.assign(new Error(`socket said ${f(k)}`), { code: `E_${t}`, request: String(init?.body) });
            throw new Error(`proxy refused: ${String(init?.body)}`, { cause: inner });
          };
          return agentAt({ ticket: () => t, applicationToken: k, fetch: fetchImpl }).getEMailAccount({ EMailAccountId: 1 });
        },
      },
    ];
    await fc.assert(
      fc.asyncProperty(secretArb, secretArb, fc.constantFrom(...Object.keys(forms)), async (ticket, token, formName) => {
        fc.pre(!ticket.includes(token) && !token.includes(ticket));
        for (const s of scenarios) {
          const err = await s.run(ticket, token, forms[formName]!).then(
            () => assert.fail(`${s.name}: the call succeeded`),
            (e: unknown) => e,
          );
          assert.ok(err instanceof rt.SoapError, `${s.name}: ${String(err)}`);
          assertNoPiece(err, [ticket, token], `${s.name} (${formName})`);
        }
      }),
      { numRuns: 25, seed: 20261204 },
    );
  });

  test('each kind of error seen above is the one expected (the property is not vacuous)', async () => {
    respond = (_q, _b, res) => xml(res, 200, EMailOperations.GetEMailAccount.encodeResponse({ Response: null }, { Succeeded: false, ExceptionInfo: { Message: 'm', Parameters: { a: 'b' } } }));
    const so = await agentAt().getEMailAccount({ EMailAccountId: 1 }).catch((e: unknown) => e);
    assert.ok(so instanceof SoExceptionError);
    assert.deepEqual(so.parameters, { a: 'b' });
  });

  // Review r19a #4: with a ticket or token set, every cause was replaced by a plain Error copy --
  // also the caller's own abort reason (cause === reason false) and fetch's TypeError.
  class UserCancelled extends Error {
    override name = 'UserCancelled';
  }
  const ticket = 'TkT-cause-0123456789';
  const token = 'AppTok-cause-987654';
  async function abortedWith(reason: unknown, hooks?: rt.Hooks): Promise<TransportError> {
    respond = (_req, _body, res) => {
      res.writeHead(200, { 'Content-Type': 'text/xml' });
      res.write('<s:Envelope'); // …and stalls
    };
    const controller = new AbortController();
    setTimeout(() => controller.abort(reason), 100);
    const err = await agentAt({ ticket, applicationToken: token, hooks }).getEMailAccount({ EMailAccountId: 1 }, { signal: controller.signal }).catch((e: unknown) => e);
    assert.ok(err instanceof TransportError && err.reason === 'aborted', String(err));
    return err;
  }

  test("the caller's abort reason is the cause itself (the same object) when it holds no secret, also in hook events", async () => {
    const reason = new UserCancelled('the user closed the dialog');
    let hookError: unknown;
    const err = await abortedWith(reason, { onCall: (e) => void (hookError = e.error) });
    assert.equal(err.cause, reason);
    assert.equal((hookError as Error).cause, reason);
  });

  test("an abort reason that holds a secret is a copy of its class with the secret removed (it is not the caller's object then)", async () => {
    for (const reason of [new UserCancelled(`closing the session of ${ticket}`), Object.assign(new UserCancelled('closing'), { session: { token } })]) {
      const err = await abortedWith(reason);
      assert.notEqual(err.cause, reason);
      assert.ok(err.cause instanceof UserCancelled, inspect(err.cause));
      assert.equal(err.cause.message, reason.message.replace(ticket, '***'));
      assertNoPiece(err, [ticket, token], 'abort reason');
    }
  });

  // Review r20x #2: holdsSecret read an object once per path to it, so a reason of a few shared objects took seconds,
  // synchronously, on every aborted call. The leaf's getter counts its reads: once per depth now, 10^7 times before.
  test("an abort reason of shared objects 8 deep, 10 keys each, is read once per object: kept without a secret, copied with one", async () => {
    for (const secret of [undefined, token]) {
      let reads = 0;
      const leaf = Object.defineProperty({}, 'note', { enumerable: true, get: () => (reads++, secret ?? 'nothing secret') });
      let node: object = leaf;
      for (let level = 0; level < 7; level++) node = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, node]));
      const reason = Object.assign(new UserCancelled('closing'), { context: node });
      const err = await abortedWith(reason);
      assert.ok(reads <= 10, `the leaf was read ${reads} times`);
      if (secret === undefined) assert.equal(err.cause, reason);
      else {
        assert.notEqual(err.cause, reason);
        assertNoPiece(err, [ticket, token], 'shared abort reason');
      }
    }
  });

  test('a foreign cause keeps its class, a secret in its message removed; a refused connection is a TypeError as without secrets', async () => {
    const fetchImpl: typeof fetch = async () => {
      throw new TypeError(`fetch failed for ${ticket}`, { cause: Object.assign(new Error(`token ${token}`), { code: 'E_PROXY' }) });
    };
    const err = await agentAt({ ticket, applicationToken: token, fetch: fetchImpl }).getEMailAccount({ EMailAccountId: 1 }).catch((e: unknown) => e);
    assert.ok(err instanceof TransportError && err.cause instanceof TypeError, inspect(err));
    assert.equal(err.cause.message, 'fetch failed for ***');
    assert.equal((err.cause.cause as Error).message, 'token ***');
    assertNoPiece(err, [ticket, token], 'foreign cause');

    const refused = await new EMailAgent({ endpoint: 'http://127.0.0.1:1/x', ticket, applicationToken: token }).getEMailAccount({ EMailAccountId: 1 }).catch((e: unknown) => e);
    assert.ok(refused instanceof TransportError && refused.cause instanceof TypeError, inspect(refused));
  });
});

describe('4. bounded faults', () => {
  test('a 2 MiB faultstring and 200,000 detail children: capped text naming the original length, message under 64 KiB', async () => {
    const reason = 'r'.repeat(2 * 1024 * 1024);
    const detail = '<i>d</i>'.repeat(200_000);
    respond = (_q, _b, res) => xml(res, 500, envelope(`<s:Fault><faultcode>s:Server</faultcode><faultstring>${reason}</faultstring><detail>${detail}</detail></s:Fault>`));
    const err = await agentAt().getEMailAccount({ EMailAccountId: 1 }).catch((e: unknown) => e);
    assert.ok(err instanceof SoapFaultError, String(err));
    assert.ok(err.message.length < 64 * 1024, `${err.message.length} characters`);
    assert.ok(err.reason.endsWith(`… (${reason.length} characters in all)`), err.reason.slice(-80));
    assert.equal(err.reason.slice(0, 32 * 1024), reason.slice(0, 32 * 1024));
    assert.ok(err.detail!.endsWith('… (200000 characters in all)'), err.detail!.slice(-80));
    assert.ok(err.detail!.length < 33 * 1024);
  });

  test('SOAP 1.2: the first Reason/Text and Code/Value, capped the same way', async () => {
    const fault = `<s:Fault><s:Code><s:Value>s:Receiver</s:Value></s:Code><s:Reason><s:Text xml:lang="en">${'x'.repeat(40_000)}</s:Text><s:Text xml:lang="no">nei</s:Text></s:Reason><s:Detail><a>1</a><b>2</b></s:Detail></s:Fault>`;
    respond = (_q, _b, res) => xml(res, 500, envelope(fault, SOAP12), 'application/soap+xml');
    const err = await agentAt().getEMailAccount({ EMailAccountId: 1 }).catch((e: unknown) => e);
    assert.ok(err instanceof SoapFaultError, String(err));
    assert.equal(err.code, 's:Receiver');
    assert.ok(err.reason.startsWith('xxxx') && err.reason.endsWith('… (40000 characters in all)'));
    assert.equal(err.detail, '12');
  });
});

describe('5. the redaction list is bounded', () => {
  test('after 2,000 tickets only the current and previous one (and the call\'s own) are kept', async () => {
    const N = 2_000;
    let n = 0;
    const ticketOf = (i: number) => `Ticket-${String(i).padStart(6, '0')}-abcdefgh`;
    let echo = '';
    const agent = new EMailAgent({
      endpoint: `${base}/Remote/Services86/EMail.svc`,
      ticket: () => ticketOf(++n),
      fetch: async () =>
        new Response(envelope(`<s:Fault><faultcode>s:Server</faultcode><faultstring>${echo}</faultstring></s:Fault>`), { status: 500, headers: { 'Content-Type': 'text/xml' } }),
    });
    echo = 'x';
    for (let i = 0; i < N; i++) await agent.getEMailAccount({ EMailAccountId: 1 }).catch(() => undefined);
    // The next call's own ticket (N + 1) and the previous (N) are redacted; the one before (N - 1) and ticket 1 are forgotten.
    echo = `${ticketOf(N + 1)} ${ticketOf(N)} ${ticketOf(N - 1)} ${ticketOf(1)}`;
    const err = await agent.getEMailAccount({ EMailAccountId: 1 }).catch((e: unknown) => e);
    assert.ok(err instanceof SoapFaultError);
    assert.equal(err.reason, `*** *** ${ticketOf(N - 1)} ${ticketOf(1)}`);
  });
});

describe('6. options validated at construction', () => {
  for (const [name, value] of [
    ['timeoutMs', Number.NaN],
    ['timeoutMs', -1],
    ['timeoutMs', Number.POSITIVE_INFINITY],
    ['maxResponseBytes', Number.NaN],
    ['maxResponseBytes', -5],
    ['maxResponseBytes', 0], // refused every response (review u7): 0 is "none" only for time limits
    ['maxResponseBytes', 1.5],
  ] as const) {
    test(`${name}: ${value} is a TypeError naming the option (agent and session)`, () => {
      assert.throws(() => new EMailAgent({ baseUrl: base, [name]: value }), (e: unknown) => e instanceof TypeError && e.message.startsWith(`${name} must be`));
      assert.throws(() => new rt.SoapSession({ [name]: value }), (e: unknown) => e instanceof TypeError && e.message.includes(name));
    });
  }
  // For JavaScript callers, whom the types do not hold: 'strict' was taken and read as 'ignore';
  // a number as the ticket failed each call with "source is not a function".
  test('unknownElements other than ignore or error is a TypeError; a ticket of another type fails the call naming the option, not its value', async () => {
    assert.throws(() => new EMailAgent({ baseUrl: base, unknownElements: 'strict' as 'error' }), /^TypeError: unknownElements must be 'ignore' or 'error', not "strict"$/);
    assert.throws(() => new rt.SoapSession({ unknownElements: 7 as never }), /unknownElements must be 'ignore' or 'error', not 7/);
    for (const [ticket, type] of [[5, 'number'], [null, 'null'], [{ Ticket: 'hunter2' }, 'object']] as const) {
      const err = await new EMailAgent({ baseUrl: base, ticket: ticket as never }).getEMailAccount({ EMailAccountId: 1 }).catch((e: unknown) => e);
      assert.ok(err instanceof TypeError, String(err));
      assert.equal(err.message, `the ticket option must be a string, a function or a ticket provider (renewingTicket ...), got ${type}`);
      assert.ok(!inspect(err).includes('hunter2'));
    }
  });
  test('a per-call timeoutMs: NaN is refused too; 0 and finite values pass', async () => {
    await assert.rejects(agentAt().getEMailAccount({ EMailAccountId: 1 }, { timeoutMs: Number.NaN }), TypeError);
    assert.ok(new EMailAgent({ baseUrl: base, timeoutMs: 0, maxResponseBytes: 10 }));
  });
  // Each of these was taken when the agent was made, and bent the retries of every failed call:
  // maxAttempts Infinity retried until maxTotalMs (4 requests in 0.5 s against a 503), 2.5 made 3
  // attempts, a negative delay retried at once with no backoff (3 requests in 20 ms), a string
  // was compared as a number, a string safeOperations matched by substring ('GetEMailAccountList'
  // made GetEMailAccount safe), a Set failed every retry decision, a non-function random switched
  // retries off -- the last two seen only in onAttempt's retryError, at call time.
  const badRetry: [string, unknown][] = [
    ['maxAttempts', Number.NaN],
    ['maxAttempts', 0],
    ['maxAttempts', -1],
    ['maxAttempts', 2.5],
    ['maxAttempts', Number.POSITIVE_INFINITY],
    ['maxAttempts', '5'],
    ['baseDelayMs', -100],
    ['baseDelayMs', Number.POSITIVE_INFINITY],
    ['maxDelayMs', -1],
    ['maxDelayMs', Number.NaN],
    ['maxTotalMs', Number.POSITIVE_INFINITY],
    ['maxTotalMs', '100'],
    ['maxRetryAfterMs', Number.NaN],
    ['maxRetryAfterMs', -1],
    ['safeOperations', 'GetEMailAccountList'],
    ['safeOperations', new Set(['GetEMailAccount'])],
    ['safeOperations', ['GetEMailAccount', 7]],
    ['random', 0.5],
  ];
  test('a bad retry option is a TypeError naming it when the agent or session is made, before anything is sent', () => {
    const before = hits;
    for (const [name, value] of badRetry) {
      const named = (e: unknown) => e instanceof TypeError && e.message.startsWith(`retry.${name} must be`);
      assert.throws(() => new EMailAgent({ baseUrl: base, retry: { [name]: value } }), named, `${name}: ${inspect(value)}`);
      assert.throws(() => new rt.SoapSession({ retry: { [name]: value } }), named, `session ${name}: ${inspect(value)}`);
    }
    for (const retry of [5, 'yes', true]) {
      assert.throws(() => new EMailAgent({ baseUrl: base, retry: retry as never }), (e: unknown) => e instanceof TypeError && e.message.startsWith('retry must be'));
    }
    assert.equal(hits, before, 'nothing was sent');
  });
  // A name that is not a WSDL operation never made a call safe, silently (review r18a): the method's
  // name `getEMailAccount`, or `EMail.GetEMailAccount`, left reads unretried.
  test('retry.safeOperations: a name that is no operation of the agent is a TypeError naming it, and the WSDL name meant', () => {
    const before = hits;
    const refused = (name: string, meant?: string) => (e: unknown) =>
      e instanceof TypeError && e.message === `retry.safeOperations: '${name}' is not an operation of EMail${meant === undefined ? '' : `; use its WSDL name '${meant}'`}`;
    for (const name of ['getEMailAccount', 'EMail.GetEMailAccount', 'EMail.getEMailAccount', 'GetEmailAccount']) {
      assert.throws(() => new EMailAgent({ baseUrl: base, retry: { safeOperations: ['SaveEMailAccount', name] } }), refused(name, 'GetEMailAccount'), name);
    }
    assert.throws(() => new EMailAgent({ baseUrl: base, retry: { safeOperations: ['GetPerson'] } }), refused('GetPerson'), 'another agent’s operation, given to this one alone');
    assert.ok(new EMailAgent({ baseUrl: base, retry: { safeOperations: ['GetEMailAccount', 'SaveEMailAccount'] } }));
    assert.equal(hits, before, 'nothing was sent');
  });
  test('invoke by a name that is no operation says so as retry.safeOperations does, with the WSDL name meant (review r19a #10)', async () => {
    const before = hits;
    const email = new EMailAgent({ baseUrl: base });
    const refused = (message: string) => (e: unknown) => e instanceof rt.SoapError && e.message === message;
    await assert.rejects(email.invoke('getEMailAccount' as never, {} as never), refused("getEMailAccount: not an operation of EMail; use its WSDL name 'GetEMailAccount'"));
    await assert.rejects(email.invoke('GetPerson' as never, {} as never), refused('GetPerson: not an operation of EMail'));
    assert.equal(hits, before, 'nothing was sent');
  });
  test("retry.safeOperations in a session names all its agents' operations: an agent refuses only one of its own written otherwise, when it is made", async () => {
    const before = hits;
    // GetPerson is the Person agent's (not in this output): the EMail agent lets it be.
    const so = new SuperOfficeClient({ baseUrl: base, retry: { safeOperations: ['GetPerson', 'GetEMailAccount'], baseDelayMs: 1 } });
    const miswritten = new SuperOfficeClient({ baseUrl: base, retry: { safeOperations: ['GetPerson', 'getEMailAccount'] } });
    assert.throws(() => miswritten.email, (e: unknown) => e instanceof TypeError && e.message === "retry.safeOperations: 'getEMailAccount' is not an operation of EMail; use its WSDL name 'GetEMailAccount'");
    assert.equal(hits, before, 'nothing was sent');
    // The names still make their operations safe: a 502 of GetEMailAccount is retried.
    let failures = 1;
    respond = (_req, _body, res) => (failures-- > 0 ? xml(res, 502, 'Bad Gateway', 'text/plain') : xml(res, 200, envelope(`<GetEMailAccountResponse xmlns="${TNS}"><Response><EMailAccountId>7</EMailAccountId></Response></GetEMailAccountResponse>`)));
    assert.equal((await so.email.getEMailAccount({ EMailAccountId: 7 }))?.EMailAccountId, 7);
    assert.equal(hits, before + 2, 'retried once');
  });
  test('good retry options pass: whole attempts from 1, finite delays from 0, names or a test, a random function', () => {
    const retry = { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0.5, maxTotalMs: 0, maxRetryAfterMs: 60_000, safeOperations: [] as string[], random: () => 0 };
    assert.ok(new EMailAgent({ baseUrl: base, retry }));
    assert.ok(new EMailAgent({ baseUrl: base, retry: { maxAttempts: 10, safeOperations: (_s, op) => op.startsWith('Get') } }));
    assert.ok(new rt.SoapSession({ retry: {} }));
  });
});

describe('7. envelope strictness, as WCF', () => {
  const ok = `<GetEMailAccountResponse xmlns="${TNS}"><Response><EMailAccountId>1</EMailAccountId></Response></GetEMailAccountResponse>`;
  const cases: [string, () => string, RegExp][] = [
    ['two Bodies', () => `<s:Envelope xmlns:s="${SOAP11}"><s:Body>${ok}</s:Body><s:Body>${ok}</s:Body></s:Envelope>`, /the SOAP envelope has 2 Body elements; SOAP allows one at Envelope/],
    ['a SOAP 1.2 envelope answering a SOAP 1.1 operation', () => envelope(ok, SOAP12), /the operation uses SOAP 1\.1, but the message is a SOAP 1\.2 envelope/],
    [
      'xsi:type="xs:string" on the complex Response',
      () =>
        envelope(`<GetEMailAccountResponse xmlns="${TNS}" xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns:xs="http://www.w3.org/2001/XMLSchema"><Response i:type="xs:string">text</Response></GetEMailAccountResponse>`),
      /xsi:type "xs:string" contradicts the declared type EMailAccount at GetEMailAccountResponse\/Response/,
    ],
  ];
  for (const [name, body, message] of cases) {
    test(`${name} is a DecodeError naming what was found`, async () => {
      respond = (_q, _b, res) => xml(res, 200, body());
      const err = await agentAt().getEMailAccount({ EMailAccountId: 1 }).catch((e: unknown) => e);
      assert.ok(err instanceof DecodeError, String(err));
      assert.match(err.message, message);
    });
  }
  test('the same envelope with one Body and the right version decodes', async () => {
    respond = (_q, _b, res) => xml(res, 200, envelope(ok));
    assert.deepEqual(await agentAt().getEMailAccount({ EMailAccountId: 1 }), { EMailAccountId: 1 });
  });

  const utf16le = (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);
  for (const [name, bytes, message] of [
    ['eduni/misc 007-style: a UTF-8 byte order mark with encoding="US-ASCII"', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`<?xml version="1.0" encoding="US-ASCII"?>${envelope(ok)}`)]), /encoding="US-ASCII", but the byte order mark says UTF-8/],
    ['eduni/misc 008-style: a UTF-16 byte order mark with encoding="UTF-16LE"', utf16le(`<?xml version="1.0" encoding="UTF-16LE"?>${envelope(ok)}`), /encoding="UTF-16LE", but the byte order mark says UTF-16LE/],
  ] as const) {
    test(`${name} is refused`, async () => {
      respond = (_q, _b, res) => {
        res.writeHead(200, { 'Content-Type': 'text/xml' });
        res.end(bytes);
      };
      const err = await agentAt().getEMailAccount({ EMailAccountId: 1 }).catch((e: unknown) => e);
      assert.ok(err instanceof DecodeError, String(err));
      assert.match(err.message, message);
    });
  }
  test('a UTF-16 byte order mark with encoding="UTF-16" is still read', async () => {
    respond = (_q, _b, res) => {
      res.writeHead(200, { 'Content-Type': 'text/xml' });
      res.end(utf16le(`<?xml version="1.0" encoding="UTF-16"?>${envelope(ok)}`));
    };
    assert.deepEqual(await agentAt().getEMailAccount({ EMailAccountId: 1 }), { EMailAccountId: 1 });
  });
});

describe('a 200 that is an HTML page (a proxy sign-in page, a web server default page)', () => {
  const page = '<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><form><input name=user><br></form></body></html>';

  test('is a DecodeError saying so, with the start of the page; not an XML complaint about its DOCTYPE', async () => {
    respond = (_req, _body, res) => xml(res, 200, page, 'text/html; charset=utf-8');
    const err = await agentAt().getEMailAccount({ EMailAccountId: 1 }).catch((e: unknown) => e);
    assert.ok(err instanceof DecodeError, String(err));
    assert.match(err.message, /the response is an HTML page \(Content-Type text\/html; charset=utf-8\), not a SOAP envelope: <!DOCTYPE html> <html><head><title>Sign in/);
    assert.doesNotMatch(err.message, /DOCTYPE is not allowed/);
  });

  test('a SOAP envelope sent as text/html is still read; a DOCTYPE under text/xml is still refused as before', async () => {
    const ok = `<GetEMailAccountResponse xmlns="${TNS}"><Response><EMailAccountId>1</EMailAccountId></Response></GetEMailAccountResponse>`;
    respond = (_req, _body, res) => xml(res, 200, envelope(ok), 'text/html');
    assert.deepEqual(await agentAt().getEMailAccount({ EMailAccountId: 1 }), { EMailAccountId: 1 });
    respond = (_req, _body, res) => xml(res, 200, page);
    const err = await agentAt().getEMailAccount({ EMailAccountId: 1 }).catch((e: unknown) => e);
    assert.ok(err instanceof DecodeError && /DOCTYPE is not allowed/.test(err.message), String(err));
  });
});

describe('response headers over the limit Node reads', () => {
  test('a TransportError saying so (with undici\'s text and code), not a bare "the request failed"', async () => {
    respond = (_req, _body, res) => {
      res.setHeader('X-Padding', 'a'.repeat(40_000));
      xml(res, 200, envelope(`<GetEMailAccountResponse xmlns="${TNS}"/>`));
    };
    const err = await agentAt().getEMailAccount({ EMailAccountId: 1 }).catch((e: unknown) => e);
    assert.ok(err instanceof TransportError && err.reason === 'network', String(err));
    assert.match(err.message, /^GetEMailAccount: the response's headers are larger than Node reads \(16 KiB unless node --max-http-header-size\): Headers Overflow Error \(UND_ERR_HEADERS_OVERFLOW\)$/);
  });
});
