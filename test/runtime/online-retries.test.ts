// The retry policy and SuperOffice Online's own services (session 20's s20f), against the fake Online on 127.0.0.1
// through the generated client. The policy retries only what cannot run an operation twice, and never hammers a
// service that said no:
//   - a temporary failure before the operation's request went out (the sign-in exchange, the OpenID metadata or JWKS,
//     the tenant state: 5xx, 429, the network, a timeout) is retried for every operation, a write too: nothing reached
//     the tenant host; a refusal or another 4xx is not;
//   - an OnlineError that is not `temporary` (a state answer about another tenant, a metadata 404, a sign-in's 400) is
//     never retried, also for an operation marked safe;
//   - a failed metadata or JWKS fetch is remembered no longer than the Retry-After it carried (else 30 s): a retry
//     that waited for that Retry-After asks again.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { HttpError, OnlineError, SuperOfficeClient, systemUserTicket, SystemUserSignInError, type CallEvent, type SuperOfficeClientOptions } from '../../generated/index.js';
import { jwksKeys } from '../../generated/runtime/online-jwt.js';
import { retryDelay } from '../../generated/runtime/retry.js';
import { startFakeOnline, type FakeOnline } from '../support/fake-online.js';

describe('retries around SuperOffice Online (s20f)', () => {
  let fake: FakeOnline;
  /** The EMailAccountIds the tenant host deleted (DeleteEMailAccount: a write, never marked safe here). */
  const deleted: (number | undefined)[] = [];
  before(async () => {
    fake = await startFakeOnline();
    fake.email.handlers.DeleteEMailAccount = (input, ctx) => {
      if (!ctx.ticket || !fake.tickets.has(ctx.ticket)) throw { soExceptionInfo: { Message: 'Invalid or expired ticket', ExceptionType: 'SuperOffice.Exceptions.SoSecurityException' } };
      deleted.push(input.EMailAccountId);
      return {};
    };
  });
  after(() => fake.close());
  beforeEach(() => {
    fake.loginQueue.length = 0;
    fake.stateOverrides.clear();
    deleted.length = 0;
  });

  const SOAP_EXCHANGE = '/login/services/PartnerSystemUserService.svc';
  const REST_EXCHANGE = '/Login/api/PartnerSystemUser/Authenticate';
  const METADATA = '/login/.well-known/openid-configuration';

  /** A session on the fake with `retry` (no wait to speak of: backoff of at most 1 ms) and its attempts' events. */
  const session = (retry: SuperOfficeClientOptions['retry'], exchange: 'soap' | 'rest' = 'soap', systemUserToken = fake.systemUserToken) => {
    const attempts: (CallEvent & { at: number })[] = [];
    const so = new SuperOfficeClient({
      environment: fake.origin,
      tenant: 'Cust12345',
      applicationToken: fake.applicationToken,
      ticket: systemUserTicket({ systemUserToken, privateKey: fake.appKey.pkcs8Pem, exchange }),
      retry: { baseDelayMs: 1, random: () => 0.5, ...retry },
      hooks: { onAttempt: (e) => attempts.push({ ...e, at: Date.now() }) },
    });
    return { so, attempts };
  };
  const requestsToTenantHost = () => fake.hosts[0]!.requests;

  describe('a temporary failure before the request went out is retried for every operation', () => {
    // The sign-in's 503 was retried only for operations marked safe: a write failed, though nothing had reached the tenant host.
    for (const [what, path, exchange] of [
      ['SOAP exchange', SOAP_EXCHANGE, 'soap'],
      ['REST exchange', REST_EXCHANGE, 'rest'],
      ['tenant state request', '/api/state/Cust12345', 'soap'],
    ] as const) {
      test(`a write whose ${what} answers 503 once is retried, and reaches the tenant host once`, async () => {
        fake.loginQueue.push({ path, status: 503, body: 'Service Unavailable' });
        const { so, attempts } = session({}, exchange);
        const sent = requestsToTenantHost();
        await so.email.deleteEMailAccount({ EMailAccountId: 7 });
        assert.deepEqual(deleted, [7]);
        assert.equal(requestsToTenantHost() - sent, 1, 'one request to the tenant host');
        assert.deepEqual(attempts.map((a) => [a.attempt, a.willRetry, a.status]), [[1, true, undefined], [2, false, 200]]);
        const first = attempts[0]!.error;
        assert.ok(first instanceof OnlineError && first.temporary && first.cause instanceof HttpError && first.cause.status === 503, String(first));
        assert.equal(attempts[0]!.requestBytes, 0, 'the first attempt sent nothing');
      });
    }

    test("a write waits for the login host's Retry-After, as a safe read does", async () => {
      fake.loginQueue.push({ path: SOAP_EXCHANGE, status: 429, headers: { 'Retry-After': '1' } });
      const { so, attempts } = session({});
      await so.email.deleteEMailAccount({ EMailAccountId: 8 });
      assert.deepEqual(deleted, [8]);
      assert.deepEqual(attempts.map((a) => a.willRetry), [true, false]);
      assert.ok(attempts[1]!.startTime - attempts[0]!.at >= 950, `waited ${attempts[1]!.startTime - attempts[0]!.at} ms, not the 1 s asked for`);
    });

    test('a refused sign-in, or one answered 400, is not retried for a write (nothing reaches the tenant host)', async () => {
      const refused = session({}, 'soap', 'Other App-z');
      const sent = requestsToTenantHost();
      await assert.rejects(refused.so.email.deleteEMailAccount({ EMailAccountId: 9 }), (e: unknown) => e instanceof SystemUserSignInError && !e.temporary);
      assert.deepEqual(refused.attempts.map((a) => a.willRetry), [false]);
      fake.loginQueue.push({ path: REST_EXCHANGE, status: 400, body: '{"Message":"bad request"}' });
      const bad = session({}, 'rest');
      await assert.rejects(bad.so.email.deleteEMailAccount({ EMailAccountId: 9 }), (e: unknown) => e instanceof OnlineError && !e.temporary && /HTTP 400$/.test(e.message));
      assert.deepEqual(bad.attempts.map((a) => a.willRetry), [false]);
      assert.equal(requestsToTenantHost() - sent, 0);
      assert.deepEqual(deleted, []);
    });

    test('the policy: only when the call says its request was not sent (notSent), and only a temporary OnlineError', () => {
      const outage = new OnlineError('system user sign-in failed: HTTP 503', { temporary: true, cause: new HttpError(503, 'Service Unavailable', '') });
      const failure = { error: outage, service: 'EMail', operation: 'DeleteEMailAccount', attempt: 1, notSent: false, elapsedMs: 0, remainingMs: Infinity, now: Date.now() };
      const options = { baseDelayMs: 100, random: () => 0.5 };
      assert.equal(retryDelay(options, { ...failure, notSent: true }), 50);
      assert.equal(retryDelay(options, failure), undefined, 'a request that may have gone out: not for a write');
      assert.equal(retryDelay(options, { ...failure, notSent: true, error: new OnlineError('the state answer is refused') }), undefined, 'not temporary');
      assert.equal(retryDelay({ ...options, maxAttempts: 1 }, { ...failure, notSent: true }), undefined, 'within maxAttempts');
      const tooLong = new OnlineError('HTTP 503', { temporary: true, cause: new HttpError(503, '', '', undefined, { retryAfter: '60' }) });
      assert.equal(retryDelay(options, { ...failure, notSent: true, error: tooLong }), undefined, 'a Retry-After over maxRetryAfterMs is not waited for');
    });
  });

  describe('an OnlineError that is not temporary is never retried', () => {
    // A safe read was attempted three times for a state answer about another tenant, a metadata 404, a sign-in's 400.
    test('a safe read whose state answer is about another tenant is not retried (one state request)', async () => {
      fake.stateOverrides.set('Cust12345', { ContextIdentifier: 'Cust999', Endpoint: `${fake.hosts[0]!.url}/Cust999`, State: 'Running', IsRunning: true, ValidUntil: new Date(Date.now() + 60_000).toISOString() });
      const { so, attempts } = session({ safeOperations: ['GetEMailAccount'] });
      const asked = fake.counts.state;
      await assert.rejects(so.email.getEMailAccount({ EMailAccountId: 1 }), (e: unknown) => e instanceof OnlineError && !e.temporary && /it is about "Cust999"/.test(e.message));
      assert.deepEqual(attempts.map((a) => a.willRetry), [false]);
      assert.equal(fake.counts.state - asked, 1);
    });

    for (const [what, path, status, exchange] of [
      ['OpenID metadata answers 404', METADATA, 404, 'soap'],
      ['REST exchange answers 400 without a refusal', REST_EXCHANGE, 400, 'rest'],
    ] as const) {
      test(`a safe read whose ${what} is not retried`, async () => {
        fake.loginQueue.push({ path, status });
        const { so, attempts } = session({ safeOperations: ['GetEMailAccount'] }, exchange);
        await assert.rejects(so.email.getEMailAccount({ EMailAccountId: 1 }), (e: unknown) => e instanceof OnlineError && !e.temporary && new RegExp(`HTTP ${status}$`).test(e.message));
        assert.deepEqual(attempts.map((a) => a.willRetry), [false]);
      });
    }

    test('the policy: not for a safe operation either, whatever was sent; a temporary one still is', () => {
      const failure = { service: 'EMail', operation: 'GetEMailAccount', attempt: 1, notSent: false, elapsedMs: 0, remainingMs: Infinity, now: Date.now() };
      const options = { safeOperations: ['GetEMailAccount'], baseDelayMs: 100, random: () => 0.5 };
      for (const notSent of [false, true]) {
        assert.equal(retryDelay(options, { ...failure, notSent, error: new OnlineError('the OpenID metadata failed: HTTP 404', { cause: new HttpError(404, 'Not Found', '') }) }), undefined);
        assert.equal(retryDelay(options, { ...failure, notSent, error: new OnlineError('the state answer is refused') }), undefined);
        assert.equal(retryDelay(options, { ...failure, notSent, error: new OnlineError('no answer within 10000 ms', { temporary: true }) }), 50);
      }
    });
  });

  describe("a failed metadata or JWKS fetch is remembered no longer than its Retry-After", () => {
    // The failure was remembered for 30 s whatever it said: the retry that waited for Retry-After: 1 got it again.
    test('a safe read whose OpenID metadata answers 503 Retry-After: 1, then 200, succeeds on the retry', async () => {
      fake.loginQueue.push({ path: METADATA, status: 503, headers: { 'Retry-After': '1' } });
      const { so, attempts } = session({ safeOperations: ['GetEMailAccount'] });
      const got = await so.email.getEMailAccount({ EMailAccountId: 3 });
      assert.equal(got?.EMailAccountId, 3);
      assert.deepEqual(attempts.map((a) => a.willRetry), [true, false]);
      assert.ok(attempts[1]!.startTime - attempts[0]!.at >= 950, `waited ${attempts[1]!.startTime - attempts[0]!.at} ms, not the 1 s asked for`);
    });

    test('by the clock: a Retry-After of 5 s is remembered 5 s; none, or a longer one, 30 s', async () => {
      let now = Date.now();
      const keysFor = () => jwksKeys({ origin: fake.origin, fetch, timeoutMs: 5_000, now: () => now });
      const cases: { headers: Record<string, string>; remembered: number }[] = [
        { headers: { 'Retry-After': '5' }, remembered: 5_000 },
        { headers: {}, remembered: 30_000 },
        { headers: { 'Retry-After': '120' }, remembered: 30_000 },
      ];
      for (const { headers, remembered } of cases) {
        const keys = keysFor();
        fake.loginQueue.push({ path: METADATA, status: 503, headers });
        const fetched = fake.counts.metadata;
        await assert.rejects(keys.load(), (e: unknown) => e instanceof OnlineError && e.temporary && /HTTP 503$/.test(e.message));
        now += remembered - 1;
        await assert.rejects(keys.load(), (e: unknown) => e instanceof OnlineError && /HTTP 503$/.test(e.message), `remembered for ${remembered - 1} ms`);
        assert.equal(fake.counts.metadata, fetched, 'not asked again meanwhile');
        now += 1;
        await keys.load();
        assert.equal(fake.counts.metadata, fetched + 1, `asked again after ${remembered} ms`);
      }
    });
  });
});
