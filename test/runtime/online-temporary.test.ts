// Which failures of SuperOffice Online's services are `temporary` (review r20r #3): one rule, online-request.ts
// temporaryFailure, for every OnlineError made of a failed request -- the REST requests' (tenant state, OpenID metadata
// and keys, the REST exchange), the SOAP exchange's and the on-site sign-in's -- through real calls on 127.0.0.1:
//   - no answer is temporary only for a timeout, a request given up as hung or a connection failure (refused, reset,
//     a DNS lookup to try again); a certificate this client does not trust, a host name that does not exist or an
//     error of a custom fetch is not: every try repeats it, and `retry` attempted a write three times for it;
//   - an outage status (5xx, 429) is the outage whatever its body says: the REST exchange's 503 with a refusal's body
//     was a SystemUserSignInError, not retried and remembered as a refusal for 60 s.
import assert from 'node:assert/strict';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import { HttpError, OnlineError, SuperOfficeClient, systemUserTicket, SystemUserSignInError, TransportError, type CallEvent, type SuperOfficeClientOptions } from '../../generated/index.js';
import { startFakeOnline, type FakeOnline } from '../support/fake-online.js';
import { makeKeyPair, selfSignedCertificate } from '../support/online-test-keys.js';

let fake: FakeOnline;
before(async () => {
  fake = await startFakeOnline();
});
after(() => fake.close());
beforeEach(() => {
  fake.loginQueue.length = 0;
});

/** A session on the fake's tenant with `retry` (no safe operation: every call is a write to the policy) and its attempts' willRetry. */
const session = (extra: Partial<SuperOfficeClientOptions> = {}, exchange: 'soap' | 'rest' = 'soap', publicKey?: string) => {
  const attempts: CallEvent[] = [];
  const so = new SuperOfficeClient({
    environment: fake.origin,
    tenant: 'Cust12345',
    applicationToken: fake.applicationToken,
    ticket: systemUserTicket({ systemUserToken: fake.systemUserToken, privateKey: fake.appKey.pkcs8Pem, exchange, ...(publicKey ? { publicKey } : {}) }),
    retry: { baseDelayMs: 1, random: () => 0.5 },
    hooks: { onAttempt: (e) => attempts.push(e) },
    ...extra,
  });
  return { so, attempts };
};
const failure = (call: Promise<unknown>) => call.then(() => assert.fail('the call succeeded'), (e: unknown) => e as OnlineError);

describe('no answer: temporary only for a timeout or a connection failure (review r20r #3)', () => {
  /** An https server on 127.0.0.1 whose certificate is self-signed (no client trusts it), and how many connections it got, for `run`. */
  async function untrusted(run: (origin: string, connections: () => number) => Promise<void>): Promise<void> {
    let connections = 0;
    const pair = makeKeyPair();
    const server = createServer({ key: pair.pkcs8Pem, cert: selfSignedCertificate(pair) }, (_req, res) => res.end('{}'));
    server.on('connection', () => connections++);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      await run(`https://127.0.0.1:${(server.address() as AddressInfo).port}`, () => connections);
    } finally {
      await new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r())));
    }
  }

  test('an environment behind a certificate this client does not trust: the state request is not temporary, a write attempted once', () =>
    untrusted(async (origin, connections) => {
      // The state request (tenant routing) is the first to go there.
      const { so, attempts } = session({ environment: origin });
      const err = await failure(so.email.getEMailAccount({ EMailAccountId: 1 }));
      assert.ok(err instanceof OnlineError, String(err));
      assert.match(err.message, /^the state of tenant Cust12345 failed \(https:\/\/127\.0\.0\.1:\d+\/api\/state\/Cust12345\): [A-Z_]*(CERT|SIGNATURE)[A-Z_]*$/);
      assert.equal(err.temporary, false, 'every try repeats it');
      assert.deepEqual(attempts.map((a) => a.willRetry), [false]);
      assert.equal(connections(), 1, 'one connection: not retried');
    }));

  test('…and the SOAP exchange there: its OnlineError (the agent\'s TransportError its cause) is not temporary either', () =>
    untrusted(async (origin, connections) => {
      // The tenant host on plain http and the JWT's key given: the exchange is the first request to the login host.
      const { so, attempts } = session({ environment: origin, baseUrl: `${fake.hosts[0]!.url}/Cust12345` }, 'soap', fake.issuerKey.spkiPem);
      const err = await failure(so.email.getEMailAccount({ EMailAccountId: 1 }));
      assert.ok(err instanceof OnlineError && err.cause instanceof TransportError && err.cause.reason === 'network', String(err));
      assert.match(err.message, /^system user sign-in failed \(https:\/\/127\.0\.0\.1:\d+\/login\/services\/PartnerSystemUserService\.svc\): /);
      assert.equal(err.temporary, false);
      assert.deepEqual(attempts.map((a) => a.willRetry), [false]);
      assert.equal(connections(), 1);
    }));

  test('a connection refused is temporary: a write is attempted again (nothing reached the tenant host)', async () => {
    // A fixed privileged port that nothing listens on, as transport-safety.test's 127.0.0.1:1: no test can get it (they
    // listen on port 0, whose ports come from the ephemeral range, 32768 and up). A port listened on, closed and reused
    // could be taken meanwhile by a test file running in parallel. Not port 1 itself: fetch refuses it as a "bad port"
    // (the Fetch standard's list) without connecting, a TypeError with no ECONNREFUSED; port 2 is not on that list.
    const { so, attempts } = session({ environment: 'http://127.0.0.1:2' });
    const err = await failure(so.email.getEMailAccount({ EMailAccountId: 1 }));
    assert.ok(err instanceof OnlineError && /: ECONNREFUSED$/.test(err.message), String(err));
    assert.equal(err.temporary, true);
    assert.deepEqual(attempts.map((a) => a.willRetry), [true, true, false]);
  });

  // A host name that does not exist, or a custom fetch's own error, the way fetch reports it (no lookup leaves 127.0.0.1).
  for (const [what, thrown, temporary] of [
    ['a host name that does not exist (ENOTFOUND)', new TypeError('fetch failed', { cause: Object.assign(new Error('getaddrinfo ENOTFOUND login.example'), { code: 'ENOTFOUND' }) }), false],
    ["a custom fetch's own error", new TypeError('my fetch cannot do that'), false],
    ['a DNS lookup to try again (EAI_AGAIN)', new TypeError('fetch failed', { cause: Object.assign(new Error('getaddrinfo EAI_AGAIN login.example'), { code: 'EAI_AGAIN' }) }), true],
    ['a connection reset (ECONNRESET)', new TypeError('fetch failed', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) }), true],
  ] as const) {
    test(`${what}: temporary ${temporary}`, async () => {
      const failing = (async () => Promise.reject(thrown)) as unknown as typeof fetch;
      const { so, attempts } = session({ fetch: failing });
      const err = await failure(so.email.getEMailAccount({ EMailAccountId: 1 }));
      assert.ok(err instanceof OnlineError && /^the state of tenant Cust12345 failed /.test(err.message), String(err));
      assert.equal(err.temporary, temporary);
      assert.deepEqual(attempts.map((a) => a.willRetry), temporary ? [true, true, false] : [false]);
    });
  }

  // requestJson took any error named TimeoutError for its own time limit (review r20s #3): a custom fetch's, thrown at
  // once, was "no answer within 30000 ms" and temporary, where the SOAP exchange reads the same error as not temporary.
  // Only the request's own signal ending makes a timeout.
  test("a custom fetch's own TimeoutError, thrown at once: not temporary, and no time limit named, for a REST request and the SOAP exchange alike", async () => {
    const timedOut = () => Promise.reject(new DOMException('my own timeout', 'TimeoutError'));
    const stateFails = (async () => timedOut()) as unknown as typeof fetch;
    const signInFails = (async (input: RequestInfo | URL, init?: RequestInit) => (String(input).includes('/PartnerSystemUserService.svc') ? timedOut() : fetch(input, init))) as typeof fetch;
    for (const [extra, said] of [
      [{ fetch: stateFails }, /^the state of tenant Cust12345 failed \(http:\/\/127\.0\.0\.1:\d+\/api\/state\/Cust12345\): /],
      [{ fetch: signInFails, baseUrl: `${fake.hosts[0]!.url}/Cust12345` }, /^system user sign-in failed \(http:\/\/127\.0\.0\.1:\d+\/login\/services\/PartnerSystemUserService\.svc\): /],
    ] as const) {
      const { so, attempts } = session(extra, 'soap', fake.issuerKey.spkiPem);
      const err = await failure(so.email.getEMailAccount({ EMailAccountId: 1 }));
      assert.ok(err instanceof OnlineError, String(err));
      assert.match(err.message, said);
      assert.doesNotMatch(err.message, /within \d+ ms/);
      assert.equal(err.temporary, false, err.message);
      assert.deepEqual(attempts.map((a) => a.willRetry), [false]);
    }
  });
});

describe('an outage status is the outage, whatever its body says (review r20r #3)', () => {
  const REST_EXCHANGE = '/Login/api/PartnerSystemUser/Authenticate';
  const refusalShaped = JSON.stringify({ IsSuccessful: false, ErrorMessage: 'The service is temporarily unavailable' });

  test("the REST exchange's 503 with a refusal's body: a temporary OnlineError, its HttpError the cause; a write retried, and succeeds", async () => {
    fake.loginQueue.push({ path: REST_EXCHANGE, status: 503, headers: { 'Content-Type': 'application/json', 'Retry-After': '0' }, body: refusalShaped });
    const { so, attempts } = session({}, 'rest');
    const signIns = fake.counts.restSignIns;
    assert.equal((await so.email.getEMailAccount({ EMailAccountId: 5 }))?.EMailAccountId, 5);
    assert.deepEqual(attempts.map((a) => a.willRetry), [true, false]);
    const first = attempts[0]!.error;
    assert.ok(first instanceof OnlineError && !(first instanceof SystemUserSignInError), String(first));
    assert.match(first.message, /^system user sign-in failed \(.*\/Login\/api\/PartnerSystemUser\/Authenticate\): HTTP 503$/);
    assert.equal(first.temporary, true);
    assert.ok(first.cause instanceof HttpError && first.cause.status === 503 && first.cause.retryAfter === '0', 'its HttpError, Retry-After and all');
    assert.equal(fake.counts.restSignIns - signIns, 1, 'one exchange answered by the fake (the canned 503 aside)');
  });

  test('…not remembered as a refusal: the next call signs in; a 429 likewise; a 400 with that body is the refusal it names', async () => {
    for (const status of [503, 429]) {
      fake.loginQueue.push({ path: REST_EXCHANGE, status, headers: { 'Content-Type': 'application/json' }, body: refusalShaped });
      const { so } = session({ retry: undefined }, 'rest');
      const err = await failure(so.email.getEMailAccount({ EMailAccountId: 1 }));
      assert.ok(err instanceof OnlineError && !(err instanceof SystemUserSignInError) && err.temporary, `${status}: ${String(err)}`);
      const signIns = fake.counts.restSignIns;
      assert.equal((await so.email.getEMailAccount({ EMailAccountId: 2 }))?.EMailAccountId, 2, 'the next call signs in');
      assert.equal(fake.counts.restSignIns - signIns, 1);
    }
    fake.loginQueue.push({ path: REST_EXCHANGE, status: 400, headers: { 'Content-Type': 'application/json' }, body: refusalShaped });
    const refused = await failure(session({ retry: undefined }, 'rest').so.email.getEMailAccount({ EMailAccountId: 1 }));
    assert.ok(refused instanceof SystemUserSignInError && refused.httpStatus === 400 && !refused.temporary, String(refused));
  });
});
