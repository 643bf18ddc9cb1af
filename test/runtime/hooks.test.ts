// Hooks observe, they never decide (hooks.ts): a hook that fails does not change the call. That
// includes an async hook -- `onAttempt`, `onCall` and `onXml` are typed as returning void, which
// an async function satisfies -- whose promise rejects: the rejection is dropped, not left
// unhandled (Node ends the process for an unhandled rejection). Against a real server on 127.0.0.1.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { DecodeError, EMailAgent, EMailOperations, HttpError, TransportError } from '../../generated/EMail/index.js';
import type { CallEvent } from '../../generated/runtime/index.js';
import { withoutCredentials } from '../../templates/runtime/hooks.js';

let server: http.Server;
let endpoint = '';
let status = 200;
/** When set, answers instead of `status` (the hook events of replies that fail). */
let custom: ((res: http.ServerResponse) => void) | undefined;

before(async () => {
  server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (custom) return custom(res);
      const body = status === 200 ? EMailOperations.GetEMailAccount.encodeResponse({ Response: null }, { Succeeded: true }) : 'down';
      res.writeHead(status, { 'Content-Type': status === 200 ? 'text/xml; charset=utf-8' : 'text/plain', Connection: 'close' });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/Remote/Services86/EMail.svc`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Runs `fn` and returns the unhandled rejections seen meanwhile and shortly after. */
async function unhandledDuring(fn: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const onRejection = (reason: unknown): void => void seen.push(reason);
  process.on('unhandledRejection', onRejection);
  try {
    await fn();
    // Unhandled rejections are reported after the microtask queue drains: let two turns pass.
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 20));
  } finally {
    process.off('unhandledRejection', onRejection);
  }
  return seen;
}

test('async hooks that reject change nothing and leave no unhandled rejection', async () => {
  const called: string[] = [];
  const failing = (name: string) => async (): Promise<void> => {
    called.push(name);
    throw new Error(`the log sink of ${name} is down`);
  };
  const hooks = { onAttempt: failing('onAttempt'), onCall: failing('onCall'), onXml: failing('onXml') };
  const unhandled = await unhandledDuring(async () => {
    status = 200;
    assert.equal(await new EMailAgent({ endpoint, hooks }).getEMailAccount({ EMailAccountId: 1 }), null);
    status = 503;
    await assert.rejects(new EMailAgent({ endpoint, hooks }).getEMailAccount({ EMailAccountId: 1 }), (e: unknown) => e instanceof HttpError && e.status === 503);
  });
  assert.deepEqual(called.sort(), ['onAttempt', 'onAttempt', 'onCall', 'onCall', 'onXml', 'onXml', 'onXml', 'onXml']);
  assert.deepEqual(unhandled.map(String), []);
});

test('onXml text: every Ticket and Password value is ***, in XML and JSON; empty, nil and complex elements kept; linear on hostile text', () => {
  assert.equal(
    withoutCredentials('<a:Ticket>7T:x</a:Ticket><Ticket xsi:nil="true"/><Ticket><Id>5</Id></Ticket><TicketId>9</TicketId><Password><![CDATA[pw]]></Password><b:Password></b:Password>'),
    '<a:Ticket>***</a:Ticket><Ticket xsi:nil="true"/><Ticket><Id>5</Id></Ticket><TicketId>9</TicketId><Password>***</Password><b:Password></b:Password>',
  );
  assert.equal(
    withoutCredentials(JSON.stringify({ Credentials: { Ticket: '7T:x"y' }, Password: 'p', TicketId: 3, Ticket2: 'k', Other: null })),
    '{"Credentials":{"Ticket":"***"},"Password":"***","TicketId":3,"Ticket2":"k","Other":null}',
  );
  // A value of several parts -- text and CDATA, CDATA sections, a comment inside -- is one value to
  // XML (a pretty-printed `<Ticket>\n  <![CDATA[…]]>\n</Ticket>` is the ticket): it was shown whole.
  for (const value of ['\n  <![CDATA[7T:abc]]>\n', '<![CDATA[7T:a]]><![CDATA[bc]]>', '7T:ab<!-- c -->cd', '7T:<![CDATA[abc]]>', '<![CDATA[pa]ss]]>', '7T:ab<!-- a>b - c -->cd']) {
    assert.equal(withoutCredentials(`<s:Ticket>${value}</s:Ticket><Password>pw<![CDATA[x]]></Password>`), '<s:Ticket>***</s:Ticket><Password>***</Password>', JSON.stringify(value));
  }
  // A CDATA section or comment holding a '<' (which the first pattern does not read): all up to the end tag, or the text's end.
  for (const value of ['<![CDATA[p<w]]>', '<!-- <x> -->7T:y', '7T:<![CDATA[a<b]]>c']) {
    assert.equal(withoutCredentials(`<a:Password>${value}</a:Password><Ticket>t</Ticket><Id>1</Id>`), '<a:Password>***</a:Password><Ticket>***</Ticket><Id>1</Id>', value);
  }
  assert.equal(withoutCredentials('<Ticket><![CDATA[7T:<abc'), '<Ticket>***');
  // An end tag's text inside the value's CDATA section or comment is not its end (the rest was shown).
  assert.equal(withoutCredentials('<a><Password><![CDATA[p<w</Password>SECRETTAIL]]></Password></a>'), '<a><Password>***</Password></a>');
  // A processing instruction may hold one as text too (review r17a).
  assert.equal(withoutCredentials('<a><Password><?pi </Password> ?>SECRETTAIL</Password></a>'), '<a><Password>***</Password></a>');
  assert.equal(withoutCredentials('<a><Password><?x?>SECRET</Password></a>'), '<a><Password>***</Password></a>');
  assert.equal(withoutCredentials('<a><Password><![CDATA[<]]><?pi </Password> ?>SECRETTAIL</Password></a>'), '<a><Password>***</Password></a>');
  assert.equal(withoutCredentials('<Ticket><!-- </Ticket> -->7T:<x>SECRETTAIL</Ticket><Id>1</Id>'), '<Ticket>***</Ticket><Id>1</Id>');
  // Unclosed starts, CDATA and strings, each repeated: a pattern that scanned past the next `<`
  // for each of them took minutes (quadratic); this one takes milliseconds.
  for (const hostile of ['<Ticket '.repeat(200_000), '<Ticket><![CDATA['.repeat(200_000), '{"Ticket":"'.repeat(300_000), `<a:Ticket>${'x'.repeat(3_000_000)}`, `<Ticket>${'x<![CDATA[y]]>'.repeat(50_000)}`, '<Ticket>x<!-- '.repeat(50_000), `<Ticket><![CDATA[${']'.repeat(1_000_000)}`, `<Ticket><!--${'-'.repeat(1_000_000)}`]) {
    const started = performance.now();
    withoutCredentials(hostile);
    assert.ok(performance.now() - started < 5_000, `${hostile.slice(0, 20)}…: ${Math.round(performance.now() - started)} ms`);
  }
});

// The retry decision runs the user's code -- a safeOperations function, a ticket provider's
// refused() -- between the attempt and the hooks: when that code threw, its error replaced what the
// server said, and neither onAttempt nor onCall saw the call (a span never ended).
test("a safeOperations function or a provider's refused() that throws: the call ends with the server's error, and the hooks see it with retryError", async () => {
  const events: unknown[] = [];
  const hooks = {
    onAttempt: (e: CallEvent) => void events.push(['attempt', e.attempt, e.willRetry, (e.error as HttpError).status, String(e.retryError)]),
    onCall: (e: CallEvent) => void events.push(['call', e.attempt, (e.error as HttpError).status, String(e.retryError)]),
  };
  const isServers = (want: number) => (e: unknown) => e instanceof HttpError && e.status === want;
  status = 500;
  const predicateBug = new TypeError('SAFE[service] is undefined');
  const throwing = { safeOperations: (): boolean => { throw predicateBug; } };
  await assert.rejects(new EMailAgent({ endpoint, hooks, retry: throwing }).getEMailAccount({ EMailAccountId: 1 }), isServers(500));
  assert.deepEqual(events, [['attempt', 1, false, 500, String(predicateBug)], ['call', 1, 500, String(predicateBug)]]);
  events.length = 0;
  status = 401;
  const providerBug = new Error('refused() bug');
  const ticket = { ticket: async () => '7T:ticket-1', refused: (): void => { throw providerBug; } };
  await assert.rejects(new EMailAgent({ endpoint, hooks, ticket }).getEMailAccount({ EMailAccountId: 1 }), isServers(401));
  assert.deepEqual(events, [['attempt', 1, false, 401, String(providerBug)], ['call', 1, 401, String(providerBug)]]);
});

// A span per call: a call whose signal was aborted before it started (the agent's calls already
// loaded) failed without onCall -- the one call no span ended for.
test('a call aborted before it started: onCall once, with no attempt and the abort as its error', async () => {
  status = 200;
  const events: CallEvent[] = [];
  const agent = new EMailAgent({ endpoint, hooks: { onAttempt: (e) => void events.push(e), onCall: (e) => void events.push(e) } });
  await agent.getEMailAccount({ EMailAccountId: 1 }); // loads the agent's calls
  events.length = 0;
  const ac = new AbortController();
  ac.abort();
  const err = await agent.getEMailAccount({ EMailAccountId: 1 }, { signal: ac.signal }).catch((e: unknown) => e);
  assert.ok(err instanceof TransportError && err.reason === 'aborted', String(err));
  assert.equal(events.length, 1, 'onCall only: no attempt was made');
  const [call] = events;
  assert.equal(call!.attempt, 0);
  assert.equal(call!.error, err);
  assert.equal(call!.url, undefined);
  assert.equal(call!.willRetry, undefined, 'an onCall event');
});

test('an attempt that fails before its request is sent (an EncodeError, a ticket function that throws): that attempt, with its error, no status and 0 bytes', async () => {
  status = 200;
  let requests = 0;
  const count = (): void => void requests++;
  server.on('request', count);
  try {
    for (const [options, input, name] of [
      [{}, { EMailAccountId: 'seven' }, 'EncodeError'],
      [{ ticket: () => Promise.reject(new Error('the vault is sealed')) }, { EMailAccountId: 1 }, 'Error'],
    ] as const) {
      const attempts: CallEvent[] = [];
      const calls: CallEvent[] = [];
      const agent = new EMailAgent({ endpoint, ...options, hooks: { onAttempt: (e) => void attempts.push(e), onCall: (e) => void calls.push(e) } });
      const err = await agent.getEMailAccount(input as never).catch((e: unknown) => e);
      assert.equal((err as Error).name, name);
      for (const [event] of [attempts, calls]) {
        assert.equal(event!.attempt, 1, name);
        assert.equal(event!.status, undefined, name);
        assert.equal(event!.requestBytes, 0, name);
        assert.equal(event!.responseBytes, 0, name);
        assert.equal((event!.error as Error).name, name);
      }
      assert.deepEqual([attempts.length, calls.length], [1, 1], name);
    }
    assert.equal(requests, 0, 'nothing was sent');
  } finally {
    server.off('request', count);
  }
});

// Review r19a #5: onXml never saw a response whose bytes are not the charset they declare, and
// with onXml given the call's error was thrown by the hook's decoding instead of the transport's.
test("a response that is not the charset it declares: onXml sees it read leniently (secrets removed), and the call's error is the transport's as without onXml", async () => {
  const ticket = '7T:charset-ticket-0123456789';
  custom = (res) => {
    res.writeHead(200, { 'Content-Type': 'text/xml; charset=utf-8', Connection: 'close' });
    res.end(Buffer.from(`<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><x>caf\xe9 ${ticket}</x></s:Body></s:Envelope>`, 'latin1'));
  };
  try {
    const xml: { direction: string; xml: string }[] = [];
    const without = await new EMailAgent({ endpoint, ticket }).getEMailAccount({ EMailAccountId: 1 }).catch((e: unknown) => e);
    const withHook = await new EMailAgent({ endpoint, ticket, hooks: { onXml: (e) => void xml.push(e) } }).getEMailAccount({ EMailAccountId: 1 }).catch((e: unknown) => e);
    assert.ok(without instanceof DecodeError && withHook instanceof DecodeError, String(withHook));
    assert.equal(withHook.message, without.message);
    assert.match(withHook.stack!, /transport-soap/);
    assert.deepEqual(xml.map((e) => e.direction), ['request', 'response']);
    assert.ok(xml[1]!.xml.includes('<x>caf\uFFFD ***</x>'), xml[1]!.xml);
  } finally {
    custom = undefined;
  }
});

// Review r19a #6: an attempt whose response arrived but failed after its headers (a redirect, a
// body that stalls or passes maxResponseBytes) reported status undefined and 0 bytes, and a
// stalled body was told as "waiting for the response".
test('a response that fails after its headers: the hooks report its status and the bytes read; a stalled body is named', async () => {
  const chunk = '<s:Envelope';
  const replies: Record<string, (res: http.ServerResponse) => void> = {
    redirect: (res) => (res.writeHead(302, { Location: 'https://elsewhere.example.com/login', Connection: 'close' }), res.end()),
    stalled: (res) => (res.writeHead(200, { 'Content-Type': 'text/xml' }), res.write(chunk)),
    tooLarge: (res) => (res.writeHead(200, { 'Content-Type': 'text/xml', Connection: 'close' }), res.write(chunk), setTimeout(() => res.end('x'.repeat(2000)), 20)),
  };
  try {
    const seen: Record<string, [string, number | undefined, number]> = {};
    for (const [name, reply] of Object.entries(replies)) {
      custom = reply;
      let attempt: CallEvent | undefined;
      const agent = new EMailAgent({ endpoint, timeoutMs: 300, maxResponseBytes: 1000, hooks: { onAttempt: (e) => void (attempt = e) } });
      const err = await agent.getEMailAccount({ EMailAccountId: 1 }).catch((e: unknown) => e);
      seen[name] = [(err as Error).message, attempt?.status, attempt?.responseBytes ?? -1];
    }
    assert.deepEqual(seen['redirect']!.slice(1), [302, 0]);
    assert.deepEqual(seen['stalled'], [`GetEMailAccount: no result within 300 ms: the call was still waiting for the response body from ${endpoint} (HTTP 200 received)`, 200, chunk.length]);
    assert.equal(seen['tooLarge']![1], 200);
    assert.ok(seen['tooLarge']![2] > 1000, String(seen['tooLarge']![2]));
  } finally {
    custom = undefined;
  }
});
