// Tenant resolution, the self-renewing ticket and the retry policy, each on its own: a real HTTP
// state endpoint on 127.0.0.1 for the resolver; counted sign-ins and a controllable clock for the
// ticket; the retry decisions for every kind of failure.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { SoapAgent, type AgentOptions } from '../../templates/runtime/agent.js';
import { SoapSession } from '../../templates/runtime/session.js';
import { TenantNotRunningError, TenantResolver } from '../../templates/runtime/tenant.js';
import { OnlineError } from '../../templates/runtime/errors.js';
import { isCredentialRefusal, renewingTicket } from '../../templates/runtime/ticket-source.js';
import { CallBudget, retryAfterMs } from '../../templates/runtime/http.js';
import { retryDelay, sleep } from '../../templates/runtime/retry.js';
import { EncodeError, HttpError, SoapFaultError, SoExceptionError, TransportError } from '../../templates/runtime/errors.js';
import * as generated from '../../generated/runtime/index.js';
import { EMailAgent } from '../../generated/EMail/index.js';

describe('tenant resolver', () => {
  let server: http.Server;
  let origin: string;
  const answers = new Map<string, () => unknown>();
  let requests = 0;
  let delayMs = 0;
  /** Tenants whose state the server answers with 503 (the state endpoint down). */
  const unavailable = new Set<string>();
  before(async () => {
    server = http.createServer((req, res) => {
      requests++;
      const tenant = decodeURIComponent(req.url!.replace('/api/state/', ''));
      if (unavailable.has(tenant)) {
        res.statusCode = 503;
        res.end('Service Unavailable');
        return;
      }
      const answer = answers.get(tenant);
      const timer = setTimeout(() => {
        res.statusCode = answer ? 200 : 404;
        res.setHeader('content-type', 'application/json');
        res.end(answer ? JSON.stringify(answer()) : '{}');
      }, delayMs);
      // A client that gave up closes the connection: no answer is due, and the timer would hold the process open.
      res.on('close', () => clearTimeout(timer));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  const running = (tenant: string, host: string, validUntil: string) => ({
    ContextIdentifier: tenant,
    Endpoint: `${host}/${tenant}`,
    State: 'Running',
    IsRunning: true,
    ValidUntil: validUntil,
  });

  test('asks once, caches until ValidUntil, one request for concurrent callers, then asks again', async () => {
    let now = Date.UTC(2026, 11, 4, 12);
    answers.set('Cust1', () => running('Cust1', 'http://127.0.0.1:1111', new Date(now + 60_000).toISOString()));
    const r = new TenantResolver({ environment: origin, tenant: 'Cust1', fetch, now: () => now });
    requests = 0;
    const all = await Promise.all([r.endpoint(), r.endpoint(), r.endpoint()]);
    assert.deepEqual(all, Array(3).fill('http://127.0.0.1:1111/Cust1'));
    assert.equal(requests, 1);
    now += 59_000;
    await r.endpoint();
    assert.equal(requests, 1, 'still valid');
    answers.set('Cust1', () => running('Cust1', 'http://127.0.0.1:2222', new Date(now + 60_000).toISOString()));
    now += 2_000;
    assert.equal(await r.endpoint(), 'http://127.0.0.1:2222/Cust1', 'the tenant moved');
    assert.equal(requests, 2);
    r.invalidate('http://127.0.0.1:2222/Cust1');
    await r.endpoint();
    assert.equal(requests, 3, 'invalidate (after a 421) asks again');
  });

  test('not running: a typed error with State and when to ask again; the answer is cached', async () => {
    const now = Date.UTC(2026, 11, 4, 12);
    const until = new Date(now + 120_000).toISOString();
    answers.set('Cust2', () => ({ ContextIdentifier: 'Cust2', Endpoint: '', State: 'OfflineMaintenance', IsRunning: false, ValidUntil: until }));
    const r = new TenantResolver({ environment: origin, tenant: 'Cust2', fetch, now: () => now });
    requests = 0;
    for (let i = 0; i < 2; i++) {
      await assert.rejects(r.endpoint(), (e: unknown) => {
        assert.ok(e instanceof TenantNotRunningError);
        assert.equal(e.state, 'OfflineMaintenance');
        assert.equal(e.retryAt.toISOString(), until);
        // (The resolver says nothing of what was sent: only a call knows, and adds it.)
        assert.equal(e.message, `tenant Cust2 is not running (State OfflineMaintenance); ask again after ${until}`);
        return true;
      });
    }
    assert.equal(requests, 1);
  });

  // r19b finding 4: the cached error was one object for every call until ValidUntil (up to an hour):
  // a caller that added to its message changed what the next calls read, and the agent appends the
  // call site to a stack, so the next calls showed the first caller's. The resolver keeps that one
  // object; each call rejects with its own copy (call.ts ownError, r20a), so this goes through calls.
  test('a cached not-running answer is a new error for each call: what one caller changes does not reach the next', async () => {
    const now = Date.UTC(2026, 11, 4, 12);
    answers.set('CustCopy', () => ({ ContextIdentifier: 'CustCopy', Endpoint: '', State: 'OfflineMaintenance', IsRunning: false, ValidUntil: new Date(now + 120_000).toISOString() }));
    // (The generated runtime's resolver and agent: one copy of the runtime, as an application has.)
    const r = new generated.TenantResolver({ environment: origin, tenant: 'CustCopy', fetch, now: () => now });
    const email = new EMailAgent({ tenantResolver: r });
    requests = 0;
    const errors: TenantNotRunningError[] = [];
    for (let i = 0; i < 3; i++) {
      await email.getEMailAccount({ EMailAccountId: 1 }).catch((e: TenantNotRunningError) => {
        errors.push(e);
        e.message = `sync ${i} failed: ${e.message}`;
        e.stack += '\n    --- the call ---\n    at caller' + i;
      });
    }
    const [first, second, third] = errors as [TenantNotRunningError, TenantNotRunningError, TenantNotRunningError];
    assert.ok(first !== second && second !== third && third instanceof generated.TenantNotRunningError);
    assert.equal(requests, 1, 'the answer is cached: one state request for three calls');
    assert.equal(third.message, 'sync 2 failed: tenant CustCopy is not running (State OfflineMaintenance); ask again after 2026-12-04T12:02:00.000Z; nothing was sent');
    assert.ok(!third.stack!.includes('caller0') && !third.stack!.includes('caller1'), third.stack);
    assert.deepEqual([third.state, third.retryAt.getTime(), third.temporary], [first.state, first.retryAt.getTime(), first.temporary]);
  });

  test('hostile answers are refused: another tenant, another tenant path, a non-superoffice host for a named environment', async () => {
    answers.set('Cust3', () => running('Cust4', 'http://127.0.0.1:3333', new Date(Date.now() + 60_000).toISOString()));
    await assert.rejects(new TenantResolver({ environment: origin, tenant: 'Cust3', fetch }).endpoint(), /refused: it is about "Cust4"/);
    // An answer without the name (here camelCase, as another JSON serializer writes it) says so, not 'it is about undefined'.
    answers.set('Cust8', () => ({ contextIdentifier: 'Cust8', state: 'Running', isRunning: true, endpoint: 'http://127.0.0.1:3333/Cust8' }));
    await assert.rejects(new TenantResolver({ environment: origin, tenant: 'Cust8', fetch }).endpoint(), /^OnlineError: the state answer for tenant Cust8 is refused: no ContextIdentifier$/);
    answers.set('Cust5', () => ({ ...running('Cust5', 'http://127.0.0.1:3333', ''), Endpoint: 'http://127.0.0.1:3333/Cust6' }));
    await assert.rejects(new TenantResolver({ environment: origin, tenant: 'Cust5', fetch }).endpoint(), /is not the tenant's path/);
    const fakeFetch = (async () => Response.json(running('Cust7', 'https://evil.example.com', ''))) as unknown as typeof fetch;
    await assert.rejects(new TenantResolver({ environment: 'sod', tenant: 'Cust7', fetch: fakeFetch }).endpoint(), /not an https:\/\/\*\.superoffice\.com host/);
    assert.throws(() => new TenantResolver({ environment: 'ftp://x', tenant: 'Cust1', fetch }), /^OnlineError: environment \(not shown: it may hold a secret\) is neither sod, stage, online nor an http\(s\) URL$/);
    assert.throws(() => new TenantResolver({ environment: origin, tenant: '../x', fetch }), /not a context identifier/);
  });

  test('an agent or session routed by tenant refuses a bad tenant or environment when it is made, before tenant.ts is loaded', () => {
    for (const make of [(o: AgentOptions) => new SoapAgent({}, { service: 'EMail', defaultEndpoint: '', servicePath: 'Remote/Services86/EMail.svc' }, o), (o: AgentOptions) => new SoapSession(o)]) {
      assert.throws(() => make({ tenant: '../x', environment: origin }), (e: unknown) => e instanceof OnlineError && /not a context identifier/.test(e.message));
      assert.throws(() => make({ tenant: 'Cust1', environment: 'ftp://x' }), (e: unknown) => e instanceof OnlineError && /is neither sod, stage, online nor an http\(s\) URL$/.test(e.message));
      assert.throws(() => make({ tenant: 'Cust1', environment: 'nowhere' }), (e: unknown) => e instanceof OnlineError && /neither sod, stage, online/.test(e.message));
      // A login host without its scheme: the message says what is missing.
      assert.throws(() => make({ tenant: 'Cust1', environment: 'sod.superoffice.com' }), (e: unknown) => e instanceof OnlineError && /^environment "sod\.superoffice\.com" is neither sod, stage, online nor an http\(s\) URL \(no https:\/\/ at its start\)$/.test(e.message));
      assert.throws(
        () => make({ tenant: 'Cust1', environment: 'https://carol:hunter2@[sod' }),
        (e: unknown) => e instanceof OnlineError && /neither sod, stage, online/.test(e.message) && !e.message.includes('hunter2'),
      );
      assert.throws(
        () => make({ tenant: 'Cust1', environment: 'login.example.com/?apikey=s3cr3t' }),
        (e: unknown) => e instanceof OnlineError && /neither sod, stage, online/.test(e.message) && !e.message.includes('s3cr3t'),
      );
      assert.throws(() => make({ tenant: 'Cust1', environment: 'nowhere' }), (e: unknown) => e instanceof OnlineError && e.message.includes('"nowhere"'));
      // A ticket or token put in the wrong option is not quoted; a host name is.
      const ticket = '7T:dGhpcyBpcyBhIHRpY2tldA==';
      assert.throws(() => make({ tenant: ticket, environment: origin }), (e: unknown) => e instanceof OnlineError && /not a context identifier/.test(e.message) && !e.message.includes('dGhpcyBp'));
      const token = 'a3f9c2e1b7d45e6f8a9b0c1d2e3f4a5b';
      assert.throws(() => make({ tenant: 'Cust1', environment: token }), (e: unknown) => e instanceof OnlineError && /neither sod/.test(e.message) && !e.message.includes(token));
      assert.throws(() => make({ tenant: 'Cust1', environment: 'online.superoffice.cm' }), (e: unknown) => e instanceof OnlineError && e.message.includes('"online.superoffice.cm"'));
      // Dotted, but no host name: a JWT (its last part is no top-level domain), a password with an underscore.
      for (const secret of ['eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW0ifQ.c2lnbmF0dXJlX3NlY3JldA', 's3cret-pass.word_1']) {
        assert.throws(() => make({ tenant: 'Cust1', environment: secret }), (e: unknown) => e instanceof OnlineError && /\(not shown: it may hold a secret\)/.test(e.message) && !e.message.includes(secret));
      }
      assert.doesNotThrow(() => make({ tenant: 'Cust1', environment: origin }));
    }
  });

  test('one caller giving up does not fail the others waiting for the same state request', async () => {
    answers.set('Cust9', () => running('Cust9', 'http://127.0.0.1:9999', new Date(Date.now() + 60_000).toISOString()));
    delayMs = 100;
    requests = 0;
    try {
      const r = new TenantResolver({ environment: origin, tenant: 'Cust9', fetch });
      const ac = new AbortController();
      const first = r.endpoint(ac.signal);
      const second = r.endpoint();
      ac.abort(new Error('caller gave up'));
      await assert.rejects(first, /caller gave up/);
      assert.equal(await second, 'http://127.0.0.1:9999/Cust9');
    } finally {
      delayMs = 0;
    }
    assert.equal(requests, 1);
  });

  // With stateTimeoutMs 0 (no limit) a state request that is never answered was shared by every
  // later call: none of them could ask again (as a sign-in that never settles, ticket-source.ts).
  test('a state request unanswered after 5 minutes (stateTimeoutMs 0) is given up: the next call asks again', async () => {
    let now = Date.UTC(2026, 11, 4, 12);
    let asked = 0;
    let hungSignal: AbortSignal | undefined;
    const hangsFirst = (async (_url: string, init?: RequestInit) => {
      if (++asked === 1) {
        // Like a real fetch: pending until its signal aborts.
        hungSignal = init?.signal ?? undefined;
        return new Promise<Response>((_resolve, reject) => hungSignal?.addEventListener('abort', () => reject(hungSignal!.reason)));
      }
      return new Response(JSON.stringify(running('Cust7', 'http://127.0.0.1:9999', new Date(now + 60_000).toISOString())), { headers: { 'content-type': 'application/json' } });
    }) as typeof fetch;
    const r = new TenantResolver({ environment: origin, tenant: 'Cust7', fetch: hangsFirst, timeoutMs: 0, now: () => now });
    const waitShortly = (p: Promise<string>): Promise<string> => Promise.race([p, sleep(100).then(() => 'still waiting')]);
    const first = r.endpoint();
    first.catch(() => undefined);
    assert.equal(await waitShortly(first), 'still waiting');
    now += 4 * 60_000;
    assert.equal(await waitShortly(r.endpoint()), 'still waiting', 'a slow answer is still shared');
    now += 60_000;
    assert.equal(await r.endpoint(), 'http://127.0.0.1:9999/Cust7');
    assert.equal(asked, 2);
    // The hung request is ended, not left open: its callers get why.
    assert.equal(hungSignal?.aborted, true, 'the hung state request was aborted');
    await assert.rejects(first, (e: unknown) => e instanceof OnlineError && /given up as hung/.test(e.message));
  });

  // best-practices.md: the login-side services' "availability is independent of the tenant". An
  // outage of /api/state failed every call once ValidUntil passed, though the tenant's host was up.
  test('the state endpoint down (503, a network error, a timeout): the last running Endpoint is used for up to an hour past its ValidUntil, asked again every 30 s', async () => {
    let now = Date.UTC(2026, 11, 4, 12);
    const validUntil = now + 60_000;
    answers.set('CustDown', () => running('CustDown', 'http://127.0.0.1:4444', new Date(validUntil).toISOString()));
    let failure: 'network' | undefined;
    const failing = ((url: string, init?: RequestInit) =>
      failure === 'network' ? Promise.reject(new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) })) : fetch(url, init)) as typeof fetch;
    const r = new TenantResolver({ environment: origin, tenant: 'CustDown', fetch: failing, timeoutMs: 200, now: () => now });
    requests = 0;
    assert.equal(await r.endpoint(), 'http://127.0.0.1:4444/CustDown');
    try {
      unavailable.add('CustDown');
      now = validUntil + 1_000;
      assert.equal(await r.endpoint(), 'http://127.0.0.1:4444/CustDown', '503: the last Endpoint');
      assert.equal(requests, 2);
      assert.equal(r.cachedEndpoint(), 'http://127.0.0.1:4444/CustDown', 'kept: the calls meanwhile neither ask nor wait');
      now += 29_000;
      await r.endpoint();
      assert.equal(requests, 2);
      now += 1_000;
      assert.equal(await r.endpoint(), 'http://127.0.0.1:4444/CustDown', 'asked again after 30 s, still 503');
      assert.equal(requests, 3);
      failure = 'network';
      now += 30_000;
      assert.equal(await r.endpoint(), 'http://127.0.0.1:4444/CustDown', 'a network error');
      failure = undefined;
      unavailable.delete('CustDown');
      delayMs = 3_000;
      now += 30_000;
      assert.equal(await r.endpoint(), 'http://127.0.0.1:4444/CustDown', 'a timeout');
      delayMs = 0;
      unavailable.add('CustDown');
      // An hour past ValidUntil the last answer is too old: the state endpoint's error.
      now = validUntil + 60 * 60_000;
      await assert.rejects(r.endpoint(), (e: unknown) => e instanceof OnlineError && /^the state of tenant CustDown failed \(.*\): HTTP 503$/.test(e.message));
      // No running answer known: the error at once, as before.
      await assert.rejects(new TenantResolver({ environment: origin, tenant: 'CustDown', fetch, now: () => now }).endpoint(), /HTTP 503/);
    } finally {
      unavailable.delete('CustDown');
      delayMs = 0;
    }
  });

  // r19b finding 10 (status-page.md, Unknown: "If the customer was previously in another state, we
  // probably have an incident"): a tenant seen running, then Unknown, was told "calls cannot
  // succeed (... a wrong context identifier?)", temporary false, and a retry never waited for it.
  test('Unknown after a running answer is an incident: temporary, retried at retryAt; a first Unknown is not', async () => {
    let now = Date.UTC(2026, 11, 4, 12);
    let state = 'Running';
    const answer = (tenant: string) => () => ({ ...running(tenant, 'http://127.0.0.1:5555', new Date(now + 60_000).toISOString()), State: state, IsRunning: state === 'Running' });
    answers.set('CustIncident', answer('CustIncident'));
    answers.set('CustNeverRan', answer('CustNeverRan'));
    const r = new TenantResolver({ environment: origin, tenant: 'CustIncident', fetch, now: () => now });
    assert.equal(await r.endpoint(), 'http://127.0.0.1:5555/CustIncident');
    state = 'Unknown';
    now += 61_000;
    const retry = { service: 'EMail', operation: 'SaveEMail', attempt: 1, notSent: false, elapsedMs: 0, remainingMs: Infinity, now };
    for (let i = 0; i < 2; i++) {
      // (The second from the cache.)
      await assert.rejects(r.endpoint(), (e: unknown) => {
        assert.ok(e instanceof TenantNotRunningError);
        assert.equal(e.temporary, true);
        assert.equal(e.message, 'tenant CustIncident is not running (State Unknown after running: probably an incident); ask again after 2026-12-04T12:02:01.000Z');
        assert.equal(retryDelay({ maxRetryAfterMs: 120_000, maxTotalMs: 120_000 }, { ...retry, error: e }), 60_000);
        return true;
      });
    }
    // Never seen running: a context identifier Online does not know (or an incident), not waited for.
    await assert.rejects(new TenantResolver({ environment: origin, tenant: 'CustNeverRan', fetch, now: () => now }).endpoint(), (e: unknown) => {
      assert.ok(e instanceof TenantNotRunningError && e.temporary === false);
      assert.match(e.message, /^tenant CustNeverRan is Unknown: calls cannot succeed \(SuperOffice Online does not know it \(a wrong context identifier\?\)/);
      assert.equal(retryDelay({ maxRetryAfterMs: 120_000, maxTotalMs: 120_000, safeOperations: () => true }, { ...retry, error: e }), undefined);
      return true;
    });
  });

  test('stale-if-error never outlives a 421 or an answer that the tenant is not running', async () => {
    let now = Date.UTC(2026, 11, 4, 12);
    let state = 'Running';
    answers.set('CustGone', () => ({ ...running('CustGone', 'http://127.0.0.1:5555', new Date(now + 60_000).toISOString()), State: state, IsRunning: state === 'Running' }));
    const r = new TenantResolver({ environment: origin, tenant: 'CustGone', fetch, now: () => now });
    try {
      assert.equal(await r.endpoint(), 'http://127.0.0.1:5555/CustGone');
      // The host answered 421: that Endpoint is wrong, whatever the state endpoint can say.
      r.invalidate('http://127.0.0.1:5555/CustGone');
      unavailable.add('CustGone');
      await assert.rejects(r.endpoint(), /HTTP 503/);
      unavailable.delete('CustGone');
      assert.equal(await r.endpoint(), 'http://127.0.0.1:5555/CustGone');
      state = 'OfflineMaintenance';
      now += 61_000;
      await assert.rejects(r.endpoint(), TenantNotRunningError);
      // The last answer said not running: an outage afterwards does not bring the old Endpoint back.
      unavailable.add('CustGone');
      now += 61_000;
      await assert.rejects(r.endpoint(), /HTTP 503/);
    } finally {
      unavailable.delete('CustGone');
    }
  });

  test('the state request has its own timeout and is not retried', async () => {
    answers.set('Cust8', () => running('Cust8', 'http://127.0.0.1:1', ''));
    delayMs = 3000;
    requests = 0;
    try {
      await assert.rejects(new TenantResolver({ environment: origin, tenant: 'Cust8', fetch, timeoutMs: 100 }).endpoint(), (e: unknown) => e instanceof OnlineError && /no answer within 100 ms/.test(e.message));
    } finally {
      delayMs = 0;
    }
    assert.equal(requests, 1);
  });
});

describe('renewing ticket', () => {
  /** Waits (up to 5 s) until `done()` holds: a renewal running in the background has settled. */
  const waitUntil = async (done: () => boolean): Promise<void> => {
    for (const start = Date.now(); !done(); await sleep(5)) assert.ok(Date.now() - start < 5_000, 'the background renewal did not settle');
  };
  const fetchStub = (() => Promise.reject(new Error('unused'))) as unknown as typeof fetch;
  test('one sign-in for concurrent callers; reused within the sliding window; renewed before it ends', async () => {
    let now = 0;
    let signIns = 0;
    const provider = renewingTicket(
      async () => {
        signIns++;
        await sleep(20);
        return `ticket-${signIns}`;
      },
      { now: () => now, slidingWindowMs: 6 * 3600_000, renewBeforeMs: 600_000 },
    );
    const ctx = { fetch: fetchStub };
    assert.deepEqual(await Promise.all([1, 2, 3, 4].map(() => provider.ticket(ctx))), Array(4).fill('ticket-1'));
    assert.equal(signIns, 1);
    now += 5 * 3600_000; // used 5 h later: still inside 6 h − 10 min; the window restarts
    assert.equal(await provider.ticket(ctx), 'ticket-1');
    now += 5.9 * 3600_000; // 5 h 54 min since the last use: inside the 10 min renewal margin
    assert.equal(await provider.ticket(ctx), 'ticket-1', 'still good: used at once, renewed in the background');
    await waitUntil(() => signIns === 2 && provider.cached?.() === 'ticket-2');
    assert.equal(await provider.ticket(ctx), 'ticket-2');
    provider.refused('ticket-1'); // an old ticket refused: nothing to forget
    assert.equal(await provider.ticket(ctx), 'ticket-2');
    provider.refused('ticket-2');
    assert.equal(await provider.ticket(ctx), 'ticket-3', 'a refused ticket is renewed');
  });

  // A ticket about to expire was renewed while every call waited for the sign-in: with the login
  // host hung, a call whose timeoutMs was under the sign-in's 30 s failed "still waiting for its
  // ticket" although the ticket had minutes left (README: calls go on with it while it lasts).
  test('about to expire: calls use the ticket at once while one renewal runs in the background; only an expired ticket waits', async () => {
    let now = 0;
    let signIns = 0;
    const pending: { resolve: (t: string) => void; reject: (e: Error) => void }[] = [];
    const provider = renewingTicket(
      () => {
        signIns++;
        if (signIns === 1) return Promise.resolve('ticket-1');
        return new Promise<string>((resolve, reject) => pending.push({ resolve, reject }));
      },
      { now: () => now },
    );
    // A call's 200 ms time limit (a timer of its own: AbortSignal.timeout's does not keep the test alive).
    const call = () => {
      const limit = new AbortController();
      setTimeout(() => limit.abort(new DOMException('the call timed out', 'TimeoutError')), 200);
      return { fetch: fetchStub, signal: limit.signal };
    };
    assert.equal(await provider.ticket(call()), 'ticket-1');
    now += 5 * 3600_000 + 51 * 60_000; // 5 h 51 min idle: 9 min left
    // The login host hangs: the calls neither wait for it nor fail with their timeout.
    assert.equal(await provider.ticket(call()), 'ticket-1');
    now += 60_000;
    assert.equal(await provider.ticket(call()), 'ticket-1');
    assert.equal(signIns, 2, 'one renewal, not one per call');
    // The renewal fails (login host down): nothing is thrown at anyone, the ticket stays in use.
    pending.shift()!.reject(new Error('login host down'));
    await sleep(10);
    assert.equal(await provider.ticket(call()), 'ticket-1');
    // Idle again until it is about to expire: the next renewal succeeds in the background.
    now += 5 * 3600_000 + 55 * 60_000;
    assert.equal(await provider.ticket(call()), 'ticket-1');
    assert.equal(signIns, 3);
    pending.shift()!.resolve('ticket-3');
    await waitUntil(() => provider.cached?.() === 'ticket-3');
    // Expired (6 h idle): nothing valid is held, so the call waits for the sign-in -- and its own
    // timeout ends that wait.
    now += 6 * 3600_000;
    await assert.rejects(provider.ticket(call()), (e: unknown) => (e as Error).name === 'TimeoutError');
    assert.equal(signIns, 4);
    pending.shift()!.resolve('ticket-4');
    assert.equal(await provider.ticket(call()), 'ticket-4');
  });

  test('a failed sign-in is not cached; one caller giving up does not fail the others', async () => {
    let attempt = 0;
    const provider = renewingTicket(async () => {
      attempt++;
      await sleep(30);
      if (attempt === 1) throw new Error('down');
      return 'ok';
    });
    await assert.rejects(provider.ticket({ fetch: fetchStub }), /down/);
    const ac = new AbortController();
    const first = provider.ticket({ fetch: fetchStub, signal: ac.signal });
    const second = provider.ticket({ fetch: fetchStub });
    ac.abort(new Error('caller gave up'));
    await assert.rejects(first, /caller gave up/);
    assert.equal(await second, 'ok');
  });

  // The single flight shared every later call with a sign-in that never settles (a custom sign-in
  // with no timeout, a principal agent with timeoutMs 0): each call timed out waiting for it, and no
  // call ever signed in again -- the process needed a restart.
  test('a sign-in that never settles is given up after 5 minutes: the next call signs in again, the hung one is told to stop', async () => {
    let now = 0;
    const signals: (AbortSignal | undefined)[] = [];
    const provider = renewingTicket(
      async ({ signal }) => {
        signals.push(signal);
        return signals.length === 1 ? new Promise<string>(() => undefined) : `ticket-${signals.length}`;
      },
      { now: () => now },
    );
    const waitShortly = (p: Promise<string>): Promise<string> => Promise.race([p, sleep(200).then(() => 'still waiting')]);
    const first = new AbortController();
    const hung = provider.ticket({ fetch: fetchStub, signal: first.signal });
    first.abort(new Error('the call timed out'));
    await assert.rejects(hung, /the call timed out/);
    now += 4 * 60_000;
    assert.equal(await waitShortly(provider.ticket({ fetch: fetchStub })), 'still waiting', 'a slow sign-in is still shared');
    assert.equal(signals.length, 1);
    now += 60_000;
    assert.equal(await provider.ticket({ fetch: fetchStub }), 'ticket-2');
    assert.equal(signals.length, 2);
    assert.equal(signals[0]?.aborted, true, 'the hung sign-in is told to stop');
    assert.equal(signals[1]?.aborted, false);
    assert.equal(await provider.ticket({ fetch: fetchStub }), 'ticket-2', 'cached');
  });

  test('credential refusals: by HTTP status, SoExceptionInfo type, fault code; the list is overridable', () => {
    assert.ok(isCredentialRefusal(new HttpError(401, 'Unauthorized', '', 'Op')));
    assert.ok(!isCredentialRefusal(new HttpError(500, 'Error', '', 'Op')));
    assert.ok(isCredentialRefusal(new SoExceptionError({ ExceptionType: 'SuperOffice.Exceptions.SoSecurityException', Message: 'bad ticket' } as never, 'Op')));
    assert.ok(!isCredentialRefusal(new SoExceptionError({ ExceptionType: 'SoNotFoundException' } as never, 'Op')));
    assert.ok(isCredentialRefusal(new SoapFaultError({ code: 'wsse:FailedAuthentication', reason: 'x' }, 'Op')));
    assert.ok(isCredentialRefusal(new SoExceptionError({ ExceptionType: 'MyTicketGone' } as never, 'Op'), { httpStatuses: [], exceptionTypes: ['MyTicketGone'], faultCodes: [] }));
    assert.ok(!isCredentialRefusal(new HttpError(401, '', '', 'Op'), { httpStatuses: [], exceptionTypes: [], faultCodes: [] }));
    // A 503 (or 421/429) whose envelope had ExceptionInfo: the SoExceptionError is its cause (transport-soap.ts).
    const expired = new SoExceptionError({ ExceptionType: 'SoTicketExpiredException' } as never, 'Op');
    assert.ok(isCredentialRefusal(new HttpError(503, '', '', 'Op', { cause: expired })));
    assert.ok(!isCredentialRefusal(new HttpError(503, '', '', 'Op', { cause: new SoExceptionError({ ExceptionType: 'SoNotFoundException' } as never, 'Op') })));
  });
});

describe('retry policy', () => {
  const base = { service: 'EMail', operation: 'SaveEMail', attempt: 1, notSent: false, elapsedMs: 0, remainingMs: Infinity, now: 0 };
  /** An HttpError with the response's Retry-After on it, where the policy reads it (the one place it is kept). */
  const httpError = (status: number, retryAfter?: string) => new HttpError(status, '', '', 'Op', { retryAfter });
  const opts = { random: () => 0.5, baseDelayMs: 100 };
  const refused = new TransportError('network', 'refused', 'Op', new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) }));
  test('retried without marking: 429/503 (Retry-After within bounds), a refused connection', () => {
    assert.equal(retryDelay(opts, { ...base, error: httpError(503, '2') }), 2000);
    assert.equal(retryDelay(opts, { ...base, error: httpError(429, 'Thu, 01 Jan 1970 00:00:03 GMT'), now: 1000 }), 2000, 'an HTTP date, from now');
    assert.equal(retryDelay(opts, { ...base, error: httpError(429) }), 50, 'no Retry-After: jittered backoff');
    assert.equal(retryDelay(opts, { ...base, error: httpError(429, '3600') }), undefined, 'too long a wait is not retried');
    assert.equal(retryDelay(opts, { ...base, error: refused }), 50);
  });
  test('anything else only for operations marked safe; never past maxAttempts or maxTotalMs', () => {
    const timeout = new TransportError('timeout', 'slow', 'Op');
    const reset = new TransportError('network', 'reset', 'Op', new Error('x', { cause: { code: 'ECONNRESET' } }));
    for (const error of [timeout, reset, new HttpError(500, '', '', 'Op'), new HttpError(502, '', '', 'Op')]) {
      assert.equal(retryDelay(opts, { ...base, error }), undefined, `${String(error)} is not retried for a write`);
      assert.equal(retryDelay({ ...opts, safeOperations: ['SaveEMail'] }, { ...base, error }), 50);
    }
    assert.equal(retryDelay({ ...opts, safeOperations: (_s, op) => op.startsWith('Get') }, { ...base, operation: 'GetEMail', error: timeout }), 50);
    assert.equal(retryDelay(opts, { ...base, attempt: 2, error: refused }), 100, 'exponential');
    assert.equal(retryDelay(opts, { ...base, attempt: 3, error: refused }), undefined, 'maxAttempts 3');
    assert.equal(retryDelay({ ...opts, maxTotalMs: 1000 }, { ...base, elapsedMs: 990, error: refused }), undefined);
  });
  // status-page.md: only OfflineMaintenance ("usually takes minutes") and Provisioning ("ready in a
  // short time") end soon; a retry at ValidUntil of a deleted or suspended tenant gets the same answer.
  test('a tenant not running is retried at retryAt only in a state that ends within minutes', () => {
    const notRunning = (state: string) => new TenantNotRunningError('Cust1', state, new Date(2_000));
    for (const state of ['OfflineMaintenance', 'Provisioning', 'SomeNewState']) {
      assert.equal(notRunning(state).temporary, true, state);
      assert.equal(retryDelay(opts, { ...base, error: notRunning(state), now: 1_000 }), 1_000, state);
    }
    for (const state of ['Deleted', 'Deleting', 'DeleteFailed', 'ProvisioningFailed', 'Suspended', 'MigrationPending', 'Unknown']) {
      const error = notRunning(state);
      assert.equal(error.temporary, false, state);
      assert.match(error.message, new RegExp(`^tenant Cust1 is ${state}: calls cannot succeed \\(.+\\)$`));
      assert.equal(retryDelay({ ...opts, safeOperations: () => true }, { ...base, error, now: 1_000 }), undefined, state);
    }
  });
  // An input that does not fit the schema fails the same way every time, before anything is sent:
  // a safe operation's EncodeError was tried maxAttempts times, with the backoff between (0.5 s of
  // waiting, three attempts in the hooks, for a typo).
  test('an EncodeError is never retried, also for an operation marked safe', () => {
    const error = new EncodeError('expected an integer (xs:int), got string', 'SaveEMail/Id', 'Op');
    assert.equal(retryDelay({ ...opts, safeOperations: ['SaveEMail'] }, { ...base, error }), undefined);
    assert.equal(retryDelay({ ...opts, safeOperations: () => true }, { ...base, error }), undefined);
  });
  // Every other NaN option of the policy already meant "no retry" (each comparison with NaN is
  // false); a NaN maxAttempts (Number of an unset variable) meant no limit: 25 attempts in 28 s.
  test('a NaN option never means unlimited retries: maxAttempts NaN retries nothing, as NaN in the other options does', () => {
    for (const bad of [{ maxAttempts: NaN }, { maxTotalMs: NaN }, { baseDelayMs: NaN }, { maxDelayMs: NaN }]) {
      assert.equal(retryDelay({ ...opts, ...bad }, { ...base, error: refused }), undefined, JSON.stringify(Object.keys(bad)));
    }
    assert.equal(retryDelay({ ...opts, maxRetryAfterMs: NaN }, { ...base, error: httpError(503, '1') }), undefined);
  });
  test("no wait the call's time limit would end: Retry-After or backoff at or past the time left is not retried", () => {
    assert.equal(retryDelay(opts, { ...base, error: httpError(503, '2'), remainingMs: 2001 }), 2000);
    assert.equal(retryDelay(opts, { ...base, error: httpError(503, '2'), remainingMs: 2000 }), undefined, 'the wait would end with the time limit');
    assert.equal(retryDelay(opts, { ...base, error: httpError(503, '5'), remainingMs: 3000 }), undefined);
    assert.equal(retryDelay(opts, { ...base, error: refused, remainingMs: 51 }), 50);
    assert.equal(retryDelay(opts, { ...base, error: refused, remainingMs: 50 }), undefined, 'backoff too');
  });
  // What call.ts hands the policy: both times from one reading of the budget's clock, counted from
  // when the agent was asked (the start timeoutMs counts from), not from the first attempt.
  test('elapsedMs and remainingMs come from the call budget: one clock, one start', () => {
    const asked = performance.now() - 400;
    const limited = new CallBudget(1_000, undefined, 'Op', asked);
    const unlimited = new CallBudget(0, undefined, 'Op', asked);
    try {
      const { elapsedMs, remainingMs } = limited.times();
      assert.ok(elapsedMs >= 400 && elapsedMs < 5_000, `elapsedMs ${elapsedMs} counts from when the agent was asked`);
      assert.ok(Math.abs(elapsedMs + remainingMs - 1_000) < 1e-6, `${elapsedMs} + ${remainingMs} is the time limit`);
      const free = unlimited.times();
      assert.ok(free.elapsedMs >= 400, `elapsedMs ${free.elapsedMs}`);
      assert.equal(free.remainingMs, Infinity);
    } finally {
      limited.end();
      unlimited.end();
    }
  });
  // Date.parse reads almost anything as a date: '1.5' is 1 May 2001, '-1' the year -1, '1 2' and
  // '5, 10' (two Retry-After headers, joined by fetch) dates long past -- each a wait of 0, an
  // immediate retry the server asked not to get. Only delta-seconds and RFC 9110's date forms count.
  test('Retry-After that is neither delta-seconds nor an HTTP date is unreadable: the backoff, not an immediate retry', () => {
    for (const garbage of ['1.5', '-1', '1 2', '+3', '0x10', 'Mon', '12 Nov']) {
      assert.equal(retryAfterMs(garbage, 1e12), undefined, JSON.stringify(garbage));
      assert.equal(retryDelay(opts, { ...base, error: httpError(503, garbage), now: 1e12 }), 50, `${JSON.stringify(garbage)}: backoff`);
    }
    // Two headers of seconds (fetch joins them with ', '): the longest wait the server asked for.
    assert.equal(retryAfterMs('5, 10', 0), 10_000);
    assert.equal(retryAfterMs('10,5', 0), 10_000);
    // RFC 9110's three date forms (IMF-fixdate, RFC 850, asctime), all in GMT.
    const at = Date.UTC(1994, 10, 6, 8, 49, 37);
    assert.equal(retryAfterMs('Sun, 06 Nov 1994 08:49:37 GMT', at - 3000), 3000);
    assert.equal(retryAfterMs('Sunday, 06-Nov-94 08:49:37 GMT', at - 3000), 3000);
    assert.equal(retryAfterMs('Sun Nov  6 08:49:37 1994', at - 3000), 3000);
    assert.equal(retryAfterMs('Sun, 06 Nov 1994 08:49:37 GMT', at + 1000), 0, 'a date in the past: at once');
  });
  test('Retry-After as seconds or HTTP date; sleep ends at once on abort', async () => {
    assert.equal(retryAfterMs('7', 0), 7000);
    assert.equal(retryAfterMs('Thu, 01 Jan 1970 00:00:10 GMT', 4000), 6000);
    assert.equal(retryAfterMs('soon', 0), undefined);
    const ac = new AbortController();
    const started = Date.now();
    setTimeout(() => ac.abort(new Error('stop')), 20);
    await assert.rejects(sleep(10_000, ac.signal), /stop/);
    assert.ok(Date.now() - started < 2000);
  });

  // A timer may fire a little early by Date.now(), the clock of a Retry-After date and of a
  // tenant's retryAt: the retry after a TenantNotRunningError then came while the resolver's
  // cached answer (valid while Date.now() < until) still held, and got the same refusal. Here the
  // wall clock runs at half the timers' speed: sleep ends only when Date.now() has moved by `ms`.
  test('sleep waits by the wall clock (Date.now()), not only by its timer', async () => {
    const realNow = Date.now;
    const t0 = realNow();
    Date.now = () => t0 + Math.floor((realNow() - t0) / 2);
    try {
      const from = Date.now();
      await sleep(40);
      assert.ok(Date.now() - from >= 40, `woke after ${Date.now() - from} ms of wall-clock time`);
    } finally {
      Date.now = realNow;
    }
  });
});
