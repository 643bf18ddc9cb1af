// How failed SuperOffice Online calls are reported (session 20's r20a), against the fake
// Online on 127.0.0.1 through the generated client:
//   - each call rejects with its own error object, also when calls share one failed sign-in or state request, or get
//     a remembered refusal or not-running answer: its call site alone in its stack, its changes its own (call.ts ownError).
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  SuperOfficeClient,
  systemUserTicket,
  SystemUserSignInError,
  TenantNotRunningError,
  type SuperOfficeClientOptions,
} from '../../generated/index.js';
import { startFakeOnline, type FakeOnline } from '../support/fake-online.js';

let fake: FakeOnline;
before(async () => {
  fake = await startFakeOnline({
    tenants: { Cust12345: {}, CustMaint: { state: 'OfflineMaintenance', isRunning: false, validForMs: 90_000 } },
  });
});
after(() => fake.close());
beforeEach(() => {
  for (const h of fake.hosts) h.queue.length = 0;
});

const client = (extra: Partial<SuperOfficeClientOptions> = {}, systemUserToken = fake.systemUserToken, exchange: 'soap' | 'rest' = 'soap') =>
  new SuperOfficeClient({
    environment: fake.origin,
    tenant: 'Cust12345',
    applicationToken: fake.applicationToken,
    ticket: systemUserTicket({ systemUserToken, privateKey: fake.appKey.pkcs8Pem, exchange }),
    ...extra,
  });

/** Two calls made at once by two named functions, each settled with the error it rejected with. */
async function twoCallers(call: () => Promise<unknown>): Promise<[Error, Error]> {
  async function firstCaller(): Promise<unknown> {
    return await call();
  }
  async function secondCaller(): Promise<unknown> {
    return await call();
  }
  const results = await Promise.allSettled([firstCaller(), secondCaller()]);
  return results.map((r) => (r.status === 'rejected' ? (r.reason as Error) : assert.fail('the call succeeded'))) as [Error, Error];
}

/** Two calls one after the other, by two named functions. */
async function oneAfterOther(call: () => Promise<unknown>): Promise<[Error, Error]> {
  async function firstCaller(): Promise<unknown> {
    return await call();
  }
  async function secondCaller(): Promise<unknown> {
    return await call();
  }
  const first = await firstCaller().then(() => assert.fail('the call succeeded'), (e: Error) => e);
  first.message = `changed by its caller: ${first.message}`; // what a caller may do; it must not reach the next call
  return [first, await secondCaller().then(() => assert.fail('the call succeeded'), (e: Error) => e)];
}

/** Two errors of one failure, each its call's own: distinct objects of `cls` with `message`, each with one call site, its own caller's. */
function assertOwnErrors([a, b]: [Error, Error], cls: abstract new (...args: never[]) => Error, message: string | RegExp): void {
  assert.ok(a !== b, 'two error objects');
  for (const [err, own, other] of [[a, 'firstCaller', 'secondCaller'], [b, 'secondCaller', 'firstCaller']] as const) {
    assert.ok(err instanceof cls, `${String(err)} is a ${cls.name}`);
    assert.equal(Object.getPrototypeOf(err), cls.prototype);
    const said = err.message.replace(/^changed by its caller: /, '');
    if (typeof message === 'string') assert.equal(said, message);
    else assert.match(said, message);
    const [, site = '', more] = err.stack!.split('\n    --- the call ---\n');
    assert.equal(more, undefined, `one call site: ${err.stack}`);
    assert.match(site, new RegExp(`^ {4}at async ${own} `, 'm'), err.stack);
    assert.doesNotMatch(site, new RegExp(other), err.stack);
  }
  assert.doesNotMatch(b.message, /changed by its caller/, 'what the first caller changed is its own');
}

describe('each call its own error object (r20a)', () => {
  // The calls awaiting one sign-in or one state request got the same object: what one caller changed
  // (its message) the other saw, and the second's stack showed the first caller's call site, not its own.
  test('two calls sharing one refused sign-in: two SystemUserSignInErrors, each with its own call site', async () => {
    const so = client({}, 'Other App-x');
    const before = fake.counts.soapSignIns;
    const errors = await twoCallers(() => so.email.getEMailAccount({ EMailAccountId: 1 }));
    assert.equal(fake.counts.soapSignIns - before, 1, 'one sign-in for both calls');
    assertOwnErrors(errors, SystemUserSignInError, /^system user sign-in refused: Revoked: /);
    assert.equal((errors[1] as SystemUserSignInError).errorMessage, 'Revoked');
    // The refusal is remembered for 60 s: two calls after it get it without signing in, each its own too.
    assertOwnErrors(await oneAfterOther(() => so.email.getEMailAccount({ EMailAccountId: 1 })), SystemUserSignInError, errors[1].message);
    assert.equal(fake.counts.soapSignIns - before, 1, 'the remembered refusal');
  });

  test('two calls sharing one state request of a tenant not running: two TenantNotRunningErrors, each with its own call site', async () => {
    const so = client({ tenant: 'CustMaint' });
    const before = fake.counts.state;
    const errors = await twoCallers(() => so.email.getEMailAccount({ EMailAccountId: 1 }));
    assert.equal(fake.counts.state - before, 1, 'one state request for both calls');
    const said = /^tenant CustMaint is not running \(State OfflineMaintenance\); nothing was sent; ask again after \S+$/;
    assertOwnErrors(errors, TenantNotRunningError, said);
    assert.deepEqual([(errors[1] as TenantNotRunningError).state, (errors[1] as TenantNotRunningError).temporary], ['OfflineMaintenance', true]);
    // The answer is kept until its ValidUntil: two calls after it get its error without asking, each its own too.
    assertOwnErrors(await oneAfterOther(() => so.email.getEMailAccount({ EMailAccountId: 1 })), TenantNotRunningError, errors[1].message);
    assert.equal(fake.counts.state - before, 1, 'the cached answer');
  });
});
