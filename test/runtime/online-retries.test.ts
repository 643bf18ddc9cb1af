// The retry policy and SuperOffice Online's own services (session 20's s20f), against the fake Online on 127.0.0.1
// through the generated client. The policy retries only what cannot run an operation twice, and never hammers a
// service that said no:
//   - an OnlineError that is not `temporary` (a state answer about another tenant, a metadata 404, a sign-in's 400) is
//     never retried, also for an operation marked safe;
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { HttpError, OnlineError, SuperOfficeClient, systemUserTicket, type CallEvent, type SuperOfficeClientOptions } from '../../generated/index.js';
import { retryDelay } from '../../generated/runtime/retry.js';
import { startFakeOnline, type FakeOnline } from '../support/fake-online.js';

describe('retries around SuperOffice Online (s20f)', () => {
  let fake: FakeOnline;
  before(async () => {
    fake = await startFakeOnline();
  });
  after(() => fake.close());
  beforeEach(() => {
    fake.loginQueue.length = 0;
    fake.stateOverrides.clear();
  });

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

    test('the policy: not for a safe operation either; a temporary one still is', () => {
      const failure = { service: 'EMail', operation: 'GetEMailAccount', attempt: 1, elapsedMs: 0, remainingMs: Infinity, now: Date.now() };
      const options = { safeOperations: ['GetEMailAccount'], baseDelayMs: 100, random: () => 0.5 };
      assert.equal(retryDelay(options, { ...failure, error: new OnlineError('the OpenID metadata failed: HTTP 404', { cause: new HttpError(404, 'Not Found', '') }) }), undefined);
      assert.equal(retryDelay(options, { ...failure, error: new OnlineError('the state answer is refused') }), undefined);
      assert.equal(retryDelay(options, { ...failure, error: new OnlineError('no answer within 10000 ms', { temporary: true }) }), 50);
    });
  });

});
