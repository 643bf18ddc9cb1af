// How failed SuperOffice Online calls are reported (review r19b #7, #9, and session 20's r20a), against the fake
// Online on 127.0.0.1 through the generated client:
//   - each call rejects with its own error object, also when calls share one failed sign-in or state request, or get
//     a remembered refusal or not-running answer: its call site alone in its stack, its changes its own, its causes'
//     too -- a caller's and its redaction's (call.ts ownError);
//   - "nothing was sent" only when it is true: after earlier attempts refused unrun (a 421, 429 or 503, a refused
//     connection, a credential refusal), the error says the server did not run the call, or, for a timeout of the
//     retried request, that the earlier attempt was not run; after one that may have run, nothing (CallBudget.sentNote);
//   - an OnlineError says whether it is `temporary` (online-request.ts temporaryFailure: an outage status, 5xx or 429,
//     whatever its body; no answer within the time limit or a request given up as hung; a connection failure --
//     refused, reset, a DNS lookup to try again) or not (any other network error: an untrusted certificate, a host
//     name that does not exist; a custom fetch's own error; a refusal; a bad answer);
//   - the login host's 429/503 Retry-After is honoured by the retry policy, over the SOAP and the REST exchange alike.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import { inspect } from 'node:util';
import {
  EMailAgent,
  HttpError,
  OnlineError,
  SuperOfficeClient,
  systemUserTicket,
  SystemUserSignInError,
  TenantNotRunningError,
  TransportError,
  type CallEvent,
  type SuperOfficeClientOptions,
} from '../../generated/index.js';
import { retryDelay } from '../../generated/runtime/retry.js';
import { startFakeOnline, type FakeOnline } from '../support/fake-online.js';

let fake: FakeOnline;
before(async () => {
  fake = await startFakeOnline({
    tenants: { Cust12345: {}, CustMaint: { state: 'OfflineMaintenance', isRunning: false, validForMs: 90_000 }, CustMoving: {} },
  });
});
after(() => fake.close());
beforeEach(() => {
  fake.loginQueue.length = 0;
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
    const said = /^tenant CustMaint is not running \(State OfflineMaintenance\); ask again after \S+; nothing was sent$/;
    assertOwnErrors(errors, TenantNotRunningError, said);
    assert.deepEqual([(errors[1] as TenantNotRunningError).state, (errors[1] as TenantNotRunningError).temporary], ['OfflineMaintenance', true]);
    // The answer is kept until its ValidUntil: two calls after it get its error without asking, each its own too.
    assertOwnErrors(await oneAfterOther(() => so.email.getEMailAccount({ EMailAccountId: 1 })), TenantNotRunningError, errors[1].message);
    assert.equal(fake.counts.state - before, 1, 'the cached answer');
  });

  // Only the top-level object was copied (review r20r #2): the calls shared its cause, which one caller could change
  // and each call's redaction cleaned in place -- for every call after it, and in the memory itself.
  test("a remembered failed metadata fetch: neither one caller's change to err.cause nor one call's cleaning reaches the next call's error", async () => {
    // A 503 whose status text holds a word that is a secret of the first call alone (its Authorization header).
    fake.loginQueue.push({ path: '/login/.well-known/openid-configuration', status: 503, statusText: 'Busy word-of-call-A' });
    const so = client();
    const call = (options: { httpHeaders?: Record<string, string> } = {}) =>
      so.email.getEMailAccount({ EMailAccountId: 1 }, options).then(() => assert.fail('the call succeeded'), (e: unknown) => e as OnlineError);
    const first = await call({ httpHeaders: { Authorization: 'Bearer word-of-call-A' } });
    assert.ok(first instanceof OnlineError && first.cause instanceof HttpError, String(first));
    assert.equal(first.cause.message, 'HTTP 503 Busy ***', "the first call's secret is out of its own error");
    first.cause.message = 'changed by its caller';
    // The failed fetch is remembered (30 s without a Retry-After): the second call gets it without asking.
    const second = await call();
    assert.ok(second.cause instanceof HttpError && second.cause !== first.cause, 'its own cause');
    assert.deepEqual([second.cause.message, second.cause.statusText], ['HTTP 503 Busy word-of-call-A', 'Busy word-of-call-A']);
  });

  // ownError copied each field as it was (review r20s #2): a TenantNotRunningError's retryAt was the resolver's one
  // Date, so one caller's setTime reached the next call's error, and the retry policy's wait (retry.ts: retryAt - now).
  test("a tenant not running: one caller's change to retryAt reaches neither the next call's error nor its retry timing", async () => {
    const calls: CallEvent[] = [];
    const so = client({ tenant: 'CustMaint', retry: { safeOperations: ['GetEMailAccount'] }, hooks: { onCall: (e) => void calls.push(e) } });
    const call = () => so.email.getEMailAccount({ EMailAccountId: 1 }).then(() => assert.fail('the call succeeded'), (e: unknown) => e as TenantNotRunningError);
    const first = await call();
    assert.ok(first instanceof TenantNotRunningError, String(first));
    const retryAt = first.retryAt.getTime();
    assert.ok(retryAt > Date.now() + 60_000, 'its ValidUntil, 90 s away: past the retry policy\'s longest wait');
    first.retryAt.setTime(0);
    const second = await call();
    assert.ok(second instanceof TenantNotRunningError, String(second));
    assert.ok(second.retryAt !== first.retryAt, 'its own Date');
    assert.equal(second.retryAt.getTime(), retryAt);
    assert.deepEqual(calls.map((e) => e.attempt), [1, 1], 'neither call retried at once');
  });

  test('two calls sharing one sign-in answered 503: each its own HttpError cause', async () => {
    fake.loginQueue.push({ path: '/login/services/PartnerSystemUserService.svc', status: 503 });
    const so = client();
    const [a, b] = await twoCallers(() => so.email.getEMailAccount({ EMailAccountId: 1 }));
    assert.ok(a.cause instanceof HttpError && b.cause instanceof HttpError && a.cause.status === 503, String(a.cause));
    assert.ok(a.cause !== b.cause, 'two cause objects');
  });
});

describe('"nothing was sent" only when true (review r19b #7)', () => {
  // After a 421 the call asks where the tenant is now; a tenant that is then not running was told as
  // "nothing was sent", though the first attempt had been sent (and not run).
  test('HTTP 421, then the tenant is not running: the error says the server did not run the call', async () => {
    const t = fake.tenants.get('CustMoving')!;
    Object.assign(t, { host: 0, isRunning: true, state: 'Running' });
    const attempts: CallEvent[] = [];
    const so = client({ tenant: 'CustMoving', hooks: { onAttempt: (e) => attempts.push(e) } });
    await so.email.getEMailAccount({ EMailAccountId: 1 });
    Object.assign(t, { host: 1, isRunning: false, state: 'OfflineMaintenance' });
    attempts.length = 0;
    const err = await so.email.getEMailAccount({ EMailAccountId: 2 }).then(() => assert.fail('the call succeeded'), (e: unknown) => e);
    assert.ok(err instanceof TenantNotRunningError, String(err));
    assert.match(err.message, /^tenant CustMoving is not running \(State OfflineMaintenance\); ask again after \S+; the server did not run the call$/);
    assert.ok(err.stack!.startsWith(`TenantNotRunningError: ${err.message}\n`), err.stack);
    assert.deepEqual(attempts.map((e) => [e.status, e.willRetry, (e.error as Error).message === err.message]), [[421, true, false], [undefined, false, true]]);
    // A call that finds the answer cached sends nothing: said so.
    await assert.rejects(so.email.getEMailAccount({ EMailAccountId: 3 }), (e: unknown) => e instanceof TenantNotRunningError && /; ask again after \S+; nothing was sent$/.test(e.message));
  });

  // The note was put in by searching the message for "nothing was sent" and rewriting it (review r20r #1): in any
  // error, the server's own words too -- an HttpError's excerpt said what the server never did.
  test("a server's own text saying \"nothing was sent\" reaches the error as it was said, after a credential refusal or a retried 500", async () => {
    const said = 'Storage error: nothing was sent to the mail queue; nothing was sent';
    const replies: [number, string][] = [];
    const server = createServer((_req, res) => {
      const [status, body] = replies.shift() ?? [500, 'no reply left'];
      res.writeHead(status, { 'Content-Type': 'text/plain' }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/Remote/Services86/EMail.svc`;
    try {
      let tickets = 0;
      const cases = [
        // Refused for its credentials (not run), the renewed ticket's attempt answered 500: the note would be the earlier attempt's.
        { first: [401, ''] as [number, string], agent: new EMailAgent({ endpoint, ticket: () => `ticket-${++tickets}-abcdef` }) },
        // A safe read's 500 (it may have run), retried: the note is '' -- "; nothing was sent" was cut out.
        { first: [500, 'busy'] as [number, string], agent: new EMailAgent({ endpoint, retry: { safeOperations: ['GetEMailAccount'], maxAttempts: 2, baseDelayMs: 1 } }) },
      ];
      for (const { first, agent } of cases) {
        replies.push(first, [500, said]);
        const err = await agent.getEMailAccount({ EMailAccountId: 1 }).then(() => assert.fail('the call succeeded'), (e: unknown) => e as HttpError);
        assert.ok(err instanceof HttpError && err.status === 500, String(err));
        assert.equal(err.bodyExcerpt, said);
        assert.equal(err.message, `GetEMailAccount: HTTP 500 Internal Server Error: ${said}`);
        assert.ok(err.stack!.startsWith(`HttpError: ${err.message}\n`), err.stack);
      }
    } finally {
      await new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r())));
    }
  });

  /** An agent on the fake's tenant host whose ticket function gives a ticket the host refuses first, then `next()`. */
  const refusedThen = (next: () => Promise<string>, fetchImpl: typeof fetch = fetch) => {
    let asked = 0;
    return new EMailAgent({
      endpoint: `${fake.hosts[0]!.url}/Cust12345/Remote/Services86/EMail.svc`,
      applicationToken: fake.applicationToken,
      ticket: () => (++asked === 1 ? '7T:refused-ticket==' : next()),
      timeoutMs: 1000,
      fetch: fetchImpl,
    });
  };

  // A call refused for its credentials (not run) and timing out while it waited for its renewed ticket
  // read "no result within …: … waiting for its ticket", as if the first attempt might have run.
  test('a credential refusal, then a timeout while the renewed ticket is awaited: the server did not run the call', async () => {
    const email = refusedThen(() => new Promise<string>(() => undefined));
    const err = await email.getEMailAccount({ EMailAccountId: 1 }).then(() => assert.fail('the call succeeded'), (e: unknown) => e);
    assert.ok(err instanceof TransportError && err.reason === 'timeout', String(err));
    assert.equal(err.message, 'GetEMailAccount: no result within 1000 ms: the call was still waiting for its ticket (the server did not run the call)');
  });

  test('a credential refusal, then a timeout of the retried request: the earlier attempt was not run', async () => {
    const ticket = '7T:renewed-ticket==';
    fake.tickets.add(ticket);
    let posts = 0;
    // The retried request is never answered (the first goes to the fake's host on 127.0.0.1).
    const hangsSecond = ((url: string | URL, init?: RequestInit) =>
      ++posts === 1 ? fetch(url, init) : new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)))) as typeof fetch;
    const email = refusedThen(async () => ticket, hangsSecond);
    const err = await email.getEMailAccount({ EMailAccountId: 1 }).then(() => assert.fail('the call succeeded'), (e: unknown) => e);
    assert.ok(err instanceof TransportError && err.reason === 'timeout', String(err));
    assert.equal(posts, 2);
    assert.equal(
      err.message,
      `GetEMailAccount: no result within 1000 ms: the call was still waiting for the response from ${fake.hosts[0]!.url}/Cust12345/Remote/Services86/EMail.svc (the earlier attempt was not run)`,
    );
  });
});

describe('OnlineError `temporary` (review r19b #9)', () => {
  /** The error a session's call rejects with. */
  const failure = (so: SuperOfficeClient) => so.email.getEMailAccount({ EMailAccountId: 1 }).then(() => assert.fail('the call succeeded'), (e: unknown) => e as OnlineError);

  test('an outage is temporary: the OpenID metadata, the SOAP exchange, the REST exchange answering 503; the login host not answering', async () => {
    fake.loginQueue.push({ path: '/login/.well-known/openid-configuration', status: 503, body: 'Service Unavailable' });
    const metadata = await failure(client());
    assert.ok(metadata instanceof OnlineError && /^the OpenID metadata failed \(.*\): HTTP 503$/.test(metadata.message), String(metadata));
    assert.equal(metadata.temporary, true);
    assert.ok(metadata.cause instanceof HttpError && metadata.cause.status === 503, 'its HttpError the cause, as over SOAP');
    for (const exchange of ['soap', 'rest'] as const) {
      fake.loginQueue.push({ path: exchange === 'soap' ? '/login/services/PartnerSystemUserService.svc' : '/Login/api/PartnerSystemUser/Authenticate', status: 503 });
      const signIn = await failure(client({}, fake.systemUserToken, exchange));
      assert.ok(signIn instanceof OnlineError && /^system user sign-in failed \(.*\): .*HTTP 503/.test(signIn.message), String(signIn));
      assert.equal(signIn.temporary, true, exchange);
    }
    // (A fetch that fails as fetch does for a host that does not answer.)
    const down = (async () => Promise.reject(new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) }))) as unknown as typeof fetch;
    const unreachable = await failure(client({ fetch: down }));
    assert.ok(unreachable instanceof OnlineError && /^the state of tenant Cust12345 failed \(.*\): ECONNREFUSED$/.test(unreachable.message), String(unreachable));
    assert.equal(unreachable.temporary, true);
  });

  test('a refusal, a bad answer, a 4xx and a bad option are not temporary', async () => {
    const refused = await failure(client({}, 'Other App-y'));
    assert.ok(refused instanceof SystemUserSignInError && refused.temporary === false, String(refused));
    fake.stateOverrides.set('Cust12345', { ContextIdentifier: 'Cust999', Endpoint: `${fake.hosts[0]!.url}/Cust999`, State: 'Running', IsRunning: true, ValidUntil: new Date(Date.now() + 60_000).toISOString() });
    try {
      const hostile = await failure(client());
      assert.ok(hostile instanceof OnlineError && /refused: it is about "Cust999"/.test(hostile.message) && hostile.temporary === false, String(hostile));
    } finally {
      fake.stateOverrides.clear();
    }
    fake.loginQueue.push({ path: '/login/.well-known/openid-configuration', status: 404 });
    const missing = await failure(client());
    assert.ok(missing instanceof OnlineError && /HTTP 404$/.test(missing.message) && missing.temporary === false, String(missing));
    assert.throws(
      () => client({ environment: 'nowhere' }),
      (e: unknown) => e instanceof OnlineError && /neither sod, stage, online/.test(e.message) && e.temporary === false,
    );
  });
});

describe("the login host's Retry-After (r20a)", () => {
  // The REST exchange's error status now keeps its status text and Retry-After (on its HttpError cause): a login host
  // echoing the request's secrets there does not put them in the error, which the call's redaction does not know.
  test("a REST exchange's error status echoing the system user token: neither its status text nor its Retry-After shows it", async () => {
    const echoed = fake.systemUserToken;
    fake.loginQueue.push({ path: '/Login/api/PartnerSystemUser/Authenticate', status: 503, statusText: `Busy for ${echoed}`, headers: { 'Retry-After': `1, ${echoed}` } });
    const err = await client({}, fake.systemUserToken, 'rest').email.getEMailAccount({ EMailAccountId: 1 }).then(() => assert.fail('the call succeeded'), (e: unknown) => e as OnlineError);
    assert.ok(err instanceof OnlineError && err.cause instanceof HttpError, String(err));
    assert.deepEqual([err.cause.status, err.cause.statusText, err.cause.retryAfter], [503, 'Busy for ***', '1, ***']);
    assert.ok(!inspect(err, { depth: null }).includes(echoed) && !err.stack!.includes(echoed));
  });


  // The SOAP exchange's OnlineError kept the 503's HttpError (and its Retry-After) only as its cause, which
  // the retry policy did not read: a sign-in answered 503 Retry-After: 1 was retried on the backoff, at once.
  for (const exchange of ['soap', 'rest'] as const) {
    test(`a sign-in over ${exchange.toUpperCase()} answered 503 Retry-After: 1 is retried after it, for a safe read`, async () => {
      const path = exchange === 'soap' ? '/login/services/PartnerSystemUserService.svc' : '/Login/api/PartnerSystemUser/Authenticate';
      fake.loginQueue.push({ path, status: 503, headers: { 'Retry-After': '1' } });
      const attempts: (CallEvent & { at: number })[] = [];
      const so = client({ retry: { safeOperations: ['GetEMailAccount'], baseDelayMs: 1, random: () => 0.5 }, hooks: { onAttempt: (e) => attempts.push({ ...e, at: Date.now() }) } }, fake.systemUserToken, exchange);
      const got = await so.email.getEMailAccount({ EMailAccountId: 7 });
      assert.equal(got?.EMailAccountId, 7);
      assert.deepEqual(attempts.map((a) => a.willRetry), [true, false]);
      const first = attempts[0]!;
      assert.ok(first.error instanceof OnlineError && first.error.temporary, String(first.error));
      assert.ok(first.error.cause instanceof HttpError && first.error.cause.retryAfter === '1', 'the Retry-After on its HttpError cause');
      // The second attempt starts after the wait (it began within a few ms of the first's event).
      assert.ok(attempts[1]!.startTime - first.at >= 950, `waited ${attempts[1]!.startTime - first.at} ms, not the 1 s asked for`);
      // The policy's decision for that error, and for one asking longer than maxRetryAfterMs (not waited for, as for a tenant host's).
      const failure = { error: first.error, service: 'EMail', operation: 'GetEMailAccount', attempt: 1, notSent: false, elapsedMs: 0, remainingMs: Infinity, now: Date.now() };
      assert.equal(retryDelay({ safeOperations: ['GetEMailAccount'], baseDelayMs: 100, random: () => 0.5 }, failure), 1000);
      assert.equal(retryDelay({ safeOperations: ['GetEMailAccount'], maxRetryAfterMs: 500 }, failure), undefined);
      assert.equal(retryDelay({}, failure), undefined, 'a write whose request may have gone out is not retried for it');
      assert.equal(retryDelay({}, { ...failure, notSent: true }), 1000, 'one whose request did not go out (the sign-in failed before it) is (s20f)');
    });
  }
});
