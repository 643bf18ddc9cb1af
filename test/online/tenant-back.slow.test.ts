// A tenant in maintenance that is running again by its ValidUntil, against the fake Online and the
// real tenant resolver (tenant.ts): the state answer is cached for at least 5 s, so this takes 5 s.
// With `retry`, the call waits until ValidUntil -- when the cached answer is dropped -- and asks
// again; it is not retried on the backoff before then (session-online.test.ts), when it would get
// the cached answer again.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SuperOfficeClient, systemUserTicket, type CallEvent } from '../../generated/index.js';
import { startFakeOnline, type FakeOnline } from '../support/fake-online.js';

let fake: FakeOnline;
before(async () => {
  fake = await startFakeOnline({ tenants: { CustBack: { state: 'OfflineMaintenance', isRunning: false, validForMs: 0 } } });
});
after(() => fake.close());

test('a tenant running again at ValidUntil: one state request before, one after, and the call succeeds', async () => {
  const attempts: CallEvent[] = [];
  const so = new SuperOfficeClient({
    environment: fake.origin,
    tenant: 'CustBack',
    applicationToken: fake.applicationToken,
    ticket: systemUserTicket({ systemUserToken: fake.systemUserToken, privateKey: fake.appKey.pkcs8Pem }),
    retry: {},
    hooks: { onAttempt: (e) => attempts.push(e) },
  });
  const states = fake.counts.state;
  const started = Date.now();
  const call = so.email.getEMailAccount({ EMailAccountId: 2 });
  // The maintenance is over as soon as the first state request has been answered.
  while (fake.counts.state === states) await new Promise((r) => setTimeout(r, 5));
  Object.assign(fake.tenants.get('CustBack')!, { state: 'Running', isRunning: true, validForMs: 60_000 });
  assert.equal((await call)?.EMailAddress, 'account2@example.com');
  assert.deepEqual(attempts.map((e) => [e.attempt, e.willRetry]), [[1, true], [2, false]]);
  assert.equal(fake.counts.state - states, 2, 'asked again once, when the cached answer had expired');
  assert.ok(Date.now() - started >= 5_000, 'not before ValidUntil (at least 5 s: the cache keeps any answer that long)');
});
