// The generated SuperOfficeClient against the fake Online: system user sign-in, tenant routing
// (a tenant that moves, one in maintenance, a 421 loop, a hostile state answer), ticket renewal
// after a credential refusal, hooks and opt-in retries — all over real HTTP on 127.0.0.1.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  DEFAULT_CREDENTIAL_REFUSALS,
  EMailAgent,
  HttpError,
  KeyFormatError,
  OnlineError,
  SoExceptionError,
  SuperOfficeClient,
  systemUserTicket,
  SystemUserSignInError,
  TenantNotRunningError,
  TransportError,
  type CallEvent,
  type SuperOfficeClientOptions,
} from '../../generated/index.js';
import { startFakeOnline, type FakeOnline } from '../support/fake-online.js';
import { waitUntil } from '../support/wait-until.js';

let fake: FakeOnline;
before(async () => {
  fake = await startFakeOnline({
    tenants: { Cust12345: {}, CustMaint: { state: 'OfflineMaintenance', isRunning: false, validForMs: 90_000 }, CustMoving: {}, CustDeleted: { state: 'Deleted', isRunning: false, validForMs: 150 } },
  });
});
after(() => fake.close());
beforeEach(() => {
  fake.stateOverrides.clear();
  for (const h of fake.hosts) h.queue.length = 0;
});

const client = (extra: Partial<SuperOfficeClientOptions> = {}) =>
  new SuperOfficeClient({
    environment: fake.origin,
    tenant: 'Cust12345',
    applicationToken: fake.applicationToken,
    ticket: systemUserTicket({ systemUserToken: fake.systemUserToken, privateKey: fake.appKey.pkcs8Pem }),
    ...extra,
  });
const totalRequests = () => fake.hosts[0]!.requests + fake.hosts[1]!.requests;
/** A free port on 127.0.0.1 that nothing listens on (a port fetch does not block, unlike 9). */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}
// Note: fetch itself repeats a request that got HTTP 421 once on a new connection (the Fetch
// standard's "HTTP-network-or-cache fetch"), so a host answering 421 sees that request twice; the
// agent's own attempts are counted through the onAttempt hook.

describe('SuperOfficeClient on SuperOffice Online', () => {
  test('first call: one state request, one sign-in; later calls reuse both', async () => {
    const so = client();
    const before = { ...fake.counts };
    const [a, b, c] = await Promise.all([1, 2, 3].map((id) => so.email.getEMailAccount({ EMailAccountId: id })));
    assert.deepEqual([a?.EMailAddress, b?.EMailAddress, c?.EMailAddress], ['account1@example.com', 'account2@example.com', 'account3@example.com']);
    assert.equal(fake.counts.state - before.state, 1, 'one state request for three concurrent calls');
    assert.equal(fake.counts.soapSignIns - before.soapSignIns, 1, 'one sign-in for three concurrent calls');
    await so.email.getEMailAccount({ EMailAccountId: 4 });
    assert.equal(fake.counts.state - before.state, 1);
    assert.equal(fake.counts.soapSignIns - before.soapSignIns, 1);
  });

  test('the tenant moves (sod2 → sod3): HTTP 421, re-resolved once, the call succeeds on the new host', async () => {
    const t = fake.tenants.get('CustMoving')!;
    t.host = 0;
    const attempts: CallEvent[] = [];
    const so = client({ tenant: 'CustMoving', hooks: { onAttempt: (e) => attempts.push(e) } });
    await so.email.getEMailAccount({ EMailAccountId: 1 });
    const [h1, states] = [fake.hosts[1]!.requests, fake.counts.state];
    t.host = 1;
    attempts.length = 0;
    const got = await so.email.getEMailAccount({ EMailAccountId: 2 });
    assert.equal(got?.EMailAddress, 'account2@example.com');
    assert.deepEqual(
      attempts.map((e) => [e.url, e.status]),
      [
        [`${fake.hosts[0]!.url}/CustMoving/Remote/Services86/EMail.svc`, 421],
        [`${fake.hosts[1]!.url}/CustMoving/Remote/Services86/EMail.svc`, 200],
      ],
    );
    assert.equal(fake.hosts[1]!.requests - h1, 1, 'the new host ran the call');
    assert.equal(fake.counts.state - states, 1, 'asked once where the tenant is now');
  });

  // A host that answers 421 with a SOAP Fault (WCF writes one for any error) has not run the call
  // either: the call re-routes as after a bare 421, and does not end with the fault.
  test('the tenant moves and the old host answers 421 with a SOAP Fault: re-resolved once, the call succeeds', async () => {
    const t = fake.tenants.get('CustMoving')!;
    t.host = 0;
    const attempts: CallEvent[] = [];
    const so = client({ tenant: 'CustMoving', hooks: { onAttempt: (e) => attempts.push(e) } });
    await so.email.getEMailAccount({ EMailAccountId: 1 });
    t.host = 1;
    attempts.length = 0;
    const fault =
      '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode>s:Client</faultcode>' +
      '<faultstring>The tenant is not served by this host</faultstring></s:Fault></s:Body></s:Envelope>';
    // Twice: fetch repeats a 421 once on its own (see above).
    for (let i = 0; i < 2; i++) fake.hosts[0]!.queue.push({ status: 421, headers: { 'content-type': 'text/xml; charset=utf-8' }, body: fault });
    const got = await so.email.getEMailAccount({ EMailAccountId: 2 });
    assert.equal(got?.EMailAddress, 'account2@example.com');
    assert.deepEqual(attempts.map((e) => [e.status, (e.error as Error | undefined)?.message]), [
      [421, 'GetEMailAccount: HTTP 421 Misdirected Request: SOAP fault s:Client: The tenant is not served by this host'],
      [200, undefined],
    ]);
  });

  test('a 421 loop ends after one re-resolution with the HttpError', async () => {
    const so = client();
    await so.email.getEMailAccount({ EMailAccountId: 1 });
    // The state now names a host that does not serve the tenant, every time.
    fake.stateOverrides.set('Cust12345', { ContextIdentifier: 'Cust12345', Endpoint: `${fake.hosts[1]!.url}/Cust12345`, State: 'Running', IsRunning: true, ValidUntil: new Date(Date.now() + 60_000).toISOString() });
    fake.tenants.get('Cust12345')!.host = 0;
    const attempts: CallEvent[] = [];
    const so2 = client({ hooks: { onAttempt: (e) => attempts.push(e) } });
    const states = fake.counts.state;
    await assert.rejects(so2.email.getEMailAccount({ EMailAccountId: 1 }), (e: unknown) => e instanceof HttpError && e.status === 421);
    assert.deepEqual(attempts.map((e) => [e.status, e.willRetry]), [[421, true], [421, false]], 'two attempts, no more');
    assert.equal(fake.counts.state - states, 2, 'two state requests, no more');
  });

  test('a tenant in maintenance: TenantNotRunningError with State and when to ask again; nothing sent', async () => {
    const so = client({ tenant: 'CustMaint' });
    const [requests, signIns] = [totalRequests(), fake.counts.soapSignIns];
    await assert.rejects(so.email.getEMailAccount({ EMailAccountId: 1 }), (e: unknown) => {
      assert.ok(e instanceof TenantNotRunningError);
      assert.equal(e.state, 'OfflineMaintenance');
      assert.ok(e.retryAt.getTime() > Date.now() + 60_000);
      return true;
    });
    assert.equal(totalRequests(), requests, 'no request reached a tenant host');
    assert.equal(fake.counts.soapSignIns, signIns, 'no sign-in either');
  });

  // status-page.md: ValidUntil is "when to check next time"; until then the resolver answers from
  // its cache. A safe read was retried on the backoff (3 attempts, the same cached error each time,
  // the backoff's waits for nothing); a wait until ValidUntil is a wait the server asked for, as a
  // Retry-After is: waited for only within maxRetryAfterMs and the call's time left.
  test('a tenant in maintenance is not retried before ValidUntil (90 s away): one attempt, no backoff, one state request', async () => {
    const attempts: CallEvent[] = [];
    const so = client({ tenant: 'CustMaint', retry: { safeOperations: ['GetEMailAccount'], baseDelayMs: 100, random: () => 1 }, hooks: { onAttempt: (e) => attempts.push(e) } });
    const states = fake.counts.state;
    await assert.rejects(so.email.getEMailAccount({ EMailAccountId: 1 }), TenantNotRunningError);
    // One attempt, told it is not retried: no backoff was waited (a wall-clock bound would only flake).
    assert.deepEqual(attempts.map((e) => [e.attempt, e.willRetry]), [[1, false]]);
    assert.equal(fake.counts.state - states, 1);
  });

  // status-page.md: Deleted means "forget all about it". A deleted tenant was told "ask again after
  // ..." and, with retry, waited and asked again up to maxAttempts times, as for a maintenance.
  test('a deleted tenant: the message says calls cannot succeed, and it is not retried at ValidUntil (150 ms away)', async () => {
    const attempts: CallEvent[] = [];
    const so = client({ tenant: 'CustDeleted', retry: { maxRetryAfterMs: 1_000 }, hooks: { onAttempt: (e) => attempts.push(e) } });
    const states = fake.counts.state;
    await assert.rejects(so.email.getEMailAccount({ EMailAccountId: 1 }), (e: unknown) => {
      assert.ok(e instanceof TenantNotRunningError);
      assert.equal(e.state, 'Deleted');
      assert.equal(e.temporary, false);
      assert.equal(e.message, 'tenant CustDeleted is Deleted: calls cannot succeed (it has been deleted); nothing was sent');
      return true;
    });
    assert.deepEqual(attempts.map((e) => [e.attempt, e.willRetry]), [[1, false]]);
    assert.equal(fake.counts.state - states, 1);
    // A tenant the login host does not know (State Unknown) alike.
    await assert.rejects(client({ tenant: 'CustNowhere', retry: {} }).email.getEMailAccount({ EMailAccountId: 1 }), /^TenantNotRunningError: tenant CustNowhere is Unknown: calls cannot succeed \(SuperOffice Online does not know it/);
  });

  test('a tenant back within maxRetryAfterMs is asked again at ValidUntil, not sooner, for an operation not marked safe too (nothing was sent)', async () => {
    fake.tenants.get('Cust12345')!.host = 0;
    let asked = 0;
    let retryAt = 0;
    // ValidUntil's distance: 150 ms for a wait within maxRetryAfterMs (1 s); 60 s for one beyond it
    // (100 ms), so no pause of a loaded machine between the answer and the retry decision brings it inside.
    let validFor = 150;
    // What a TenantResolver answers (tenant.ts): not running until ValidUntil, then the Endpoint.
    const tenantResolver = {
      cachedEndpoint: () => undefined,
      endpoint: async () => {
        if (++asked > 1) return `${fake.hosts[0]!.url}/Cust12345`;
        retryAt = Date.now() + validFor;
        throw new TenantNotRunningError('Cust12345', 'OfflineMaintenance', new Date(retryAt));
      },
      invalidate: () => undefined,
    };
    const attempts: CallEvent[] = [];
    const so = client({ tenantResolver, retry: { maxRetryAfterMs: 1_000 }, hooks: { onAttempt: (e) => attempts.push(e) } });
    const requests = totalRequests();
    assert.equal((await so.email.getEMailAccount({ EMailAccountId: 3 }))?.EMailAddress, 'account3@example.com');
    assert.deepEqual(attempts.map((e) => [e.attempt, e.willRetry]), [[1, true], [2, false]]);
    assert.ok(attempts[1]!.startTime >= retryAt, `the second attempt started ${retryAt - attempts[1]!.startTime} ms before ValidUntil`);
    assert.equal(totalRequests() - requests, 1, 'one request: the second attempt');
    // Beyond maxRetryAfterMs: the error at once, as for a Retry-After past it.
    asked = 0;
    validFor = 60_000;
    attempts.length = 0;
    const strict = client({ tenantResolver, retry: { maxRetryAfterMs: 100 }, hooks: { onAttempt: (e) => attempts.push(e) } });
    await assert.rejects(strict.email.getEMailAccount({ EMailAccountId: 3 }), TenantNotRunningError);
    assert.deepEqual(attempts.map((e) => [e.attempt, e.willRetry]), [[1, false]]);
  });

  // README: "while that sign-in fails -- the login host down -- calls go on with the ticket until
  // its window ends". After 5 h 51 min idle the renewal began and every call waited for it: with the
  // login host hung, a call of timeoutMs 1 s failed "still waiting for its ticket" with 9 min left.
  test('a hung login host does not hold calls while the ticket lasts: the renewal runs in the background', async () => {
    let offset = 0;
    let loginHangs = false;
    const hung: AbortSignal[] = [];
    // The login host hangs for the exchange (a request pending until its signal aborts, as fetch's is).
    const fetchThrough = (async (url: string | URL | Request, init?: RequestInit) => {
      if (loginHangs && String(url).startsWith(fake.origin) && String(url).toLowerCase().includes('partnersystemuser')) {
        hung.push(init!.signal!);
        return new Promise<Response>((_resolve, reject) => init!.signal!.addEventListener('abort', () => reject(init!.signal!.reason)));
      }
      return fetch(url, init);
    }) as typeof fetch;
    const so = client({
      fetch: fetchThrough,
      timeoutMs: 1_000,
      ticket: systemUserTicket({ systemUserToken: fake.systemUserToken, privateKey: fake.appKey.pkcs8Pem, now: () => Date.now() + offset }),
    });
    const signIns = fake.counts.soapSignIns;
    assert.equal((await so.email.getEMailAccount({ EMailAccountId: 1 }))?.EMailAddress, 'account1@example.com');
    loginHangs = true;
    offset = (5 * 60 + 51) * 60_000;
    assert.equal((await so.email.getEMailAccount({ EMailAccountId: 2 }))?.EMailAddress, 'account2@example.com');
    assert.equal((await so.email.getEMailAccount({ EMailAccountId: 3 }))?.EMailAddress, 'account3@example.com');
    // The renewal began in the background; it reaches the login host after its signing, which on a
    // loaded machine may come after both calls: wait for it (5 s at most, then a failure saying so), then count.
    await waitUntil({ limitMs: 5_000, pollMs: 10, state: () => `${hung.length} exchange request(s) pending at the login host` }).until(
      () => hung.length > 0,
      'the background renewal to reach the login host',
    );
    assert.equal(hung.length, 1, 'one renewal, begun in the background, still pending');
    assert.equal(fake.counts.soapSignIns - signIns, 1, 'only the first sign-in reached the login host');
  });

  // The login host's refusal (a revoked system user token) came back on each attempt of a safe read:
  // three sign-ins, each with its signing and exchange, and the backoff's waits, for one call.
  test('a refused system user sign-in is not retried for a safe read: one attempt, one exchange', async () => {
    const attempts: CallEvent[] = [];
    const so = client({
      ticket: systemUserTicket({ systemUserToken: 'App-revoked000', privateKey: fake.appKey.pkcs8Pem }),
      retry: { safeOperations: ['GetEMailAccount'], baseDelayMs: 1 },
      hooks: { onAttempt: (e) => attempts.push(e) },
    });
    const signIns = fake.counts.soapSignIns;
    await assert.rejects(so.email.getEMailAccount({ EMailAccountId: 1 }), (e: unknown) => e instanceof SystemUserSignInError && /Revoked/.test(e.message));
    assert.deepEqual(attempts.map((e) => [e.attempt, e.willRetry]), [[1, false]]);
    assert.equal(fake.counts.soapSignIns - signIns, 1);
  });

  test('a state answer pointing at another host for a different tenant is refused; nothing sent', async () => {
    fake.stateOverrides.set('Cust12345', { ContextIdentifier: 'Cust999', Endpoint: `${fake.hosts[1]!.url}/Cust999`, State: 'Running', IsRunning: true, ValidUntil: new Date(Date.now() + 60_000).toISOString() });
    const so = client();
    const requests = totalRequests();
    await assert.rejects(so.email.getEMailAccount({ EMailAccountId: 1 }), (e: unknown) => e instanceof OnlineError && /refused: it is about "Cust999"/.test(e.message));
    assert.equal(totalRequests(), requests);
  });

  test('a refused ticket is renewed once and the call retried; a second refusal is the error', async () => {
    fake.tenants.get('Cust12345')!.host = 0;
    const so = client();
    await so.email.getEMailAccount({ EMailAccountId: 1 });
    const signIns = fake.counts.soapSignIns;
    fake.tickets.clear(); // the server forgot every ticket (expired)
    assert.equal((await so.email.getEMailAccount({ EMailAccountId: 5 }))?.EMailAddress, 'account5@example.com');
    assert.equal(fake.counts.soapSignIns - signIns, 1, 'signed in again once');
    // A ticket function the user wrote gets the same renewal: called again, the call retried once.
    let calls = 0;
    const good = [...fake.tickets][0]!;
    const so2 = client({ ticket: () => (++calls === 1 ? '7T:stale==' : good) });
    assert.equal((await so2.email.getEMailAccount({ EMailAccountId: 6 }))?.EMailAddress, 'account6@example.com');
    assert.equal(calls, 2);
    const so3 = client({ ticket: () => '7T:never-valid==' });
    const requests = totalRequests();
    await assert.rejects(so3.email.getEMailAccount({ EMailAccountId: 7 }), (e: unknown) => e instanceof SoExceptionError && !String(e.message).includes('never-valid'));
    assert.equal(totalRequests() - requests, 2, 'one renewal, not a loop');
  });

  // With `retry`, a safe read refused for its credentials went on to the backoff: a fixed ticket was
  // sent three times (twice after the refusal said it is no good), a renewed one refused again a third time.
  test('a credential refusal is not retried on the backoff for a safe read: a fixed ticket once, a renewable one twice (the renewal)', async () => {
    fake.tenants.get('Cust12345')!.host = 0;
    for (const [ticket, expected] of [['7T:never-valid==', 1], [() => '7T:never-valid==', 2]] as const) {
      const so = client({ ticket, retry: { safeOperations: ['GetEMailAccount'], baseDelayMs: 1 } });
      const requests = totalRequests();
      await assert.rejects(so.email.getEMailAccount({ EMailAccountId: 7 }), SoExceptionError);
      assert.equal(totalRequests() - requests, expected, typeof ticket);
    }
  });

  // ticket-source.ts: "Override any part in the session options (`credentialRefusal`)". A list
  // giving one part (JavaScript, or a cast past its type, which asked for all three) failed every
  // SoExceptionError of a call with a ticket function with "TypeError: Cannot read properties of
  // undefined (reading 'some')", in place of the server's error.
  // README tells users to build on DEFAULT_CREDENTIAL_REFUSALS and to catch KeyFormatError; the
  // entry point did not export them (TS2305 importing them from './superoffice/index.js').
  test('the entry point exports DEFAULT_CREDENTIAL_REFUSALS and KeyFormatError; a bad key fails when the session is set up', () => {
    assert.deepEqual(DEFAULT_CREDENTIAL_REFUSALS.httpStatuses, [401, 403]);
    const credentialRefusal = { ...DEFAULT_CREDENTIAL_REFUSALS, httpStatuses: [...DEFAULT_CREDENTIAL_REFUSALS.httpStatuses, 419] };
    assert.doesNotThrow(() => client({ credentialRefusal }));
    assert.throws(() => client({ ticket: systemUserTicket({ systemUserToken: fake.systemUserToken, privateKey: 'private-key.xml' }) }), (e: unknown) => e instanceof KeyFormatError && e instanceof OnlineError);
  });

  test('a credentialRefusal list giving only some parts keeps the defaults for the others', async () => {
    fake.tenants.get('Cust12345')!.host = 0;
    const credentialRefusal = { httpStatuses: [401, 403, 419] };
    const so = client();
    await so.email.getEMailAccount({ EMailAccountId: 1 });
    const good = [...fake.tickets][0]!;
    let calls = 0;
    const renewed = client({ credentialRefusal, ticket: () => (++calls === 1 ? '7T:stale==' : good) });
    assert.equal((await renewed.email.getEMailAccount({ EMailAccountId: 6 }))?.EMailAddress, 'account6@example.com');
    assert.equal(calls, 2, 'the SoSecurityException was a refusal by the default exceptionTypes: renewed');
    await assert.rejects(client({ credentialRefusal, ticket: '7T:never-valid==' }).email.getEMailAccount({ EMailAccountId: 7 }), SoExceptionError);
  });

  // A call may carry its own ticket (`headers: { Credentials: { Ticket } }`, merged over the
  // session's): when the server refused that one, the session's ticket -- never sent -- was marked
  // refused (a needless system user sign-in for every later call) and the same refused ticket sent again.
  test("a call's own Credentials refused: the session's ticket is neither fetched for it nor renewed, and the call is not repeated", async () => {
    fake.tenants.get('Cust12345')!.host = 0;
    const so = client();
    await so.email.getEMailAccount({ EMailAccountId: 1 });
    const signIns = fake.counts.soapSignIns;
    const requests = totalRequests();
    const own = { headers: { Credentials: { Ticket: '7T:a-user-ticket-long-expired==' } } };
    await assert.rejects(so.email.getEMailAccount({ EMailAccountId: 2 }, own), (e: unknown) => e instanceof SoExceptionError && !e.message.includes('long-expired'));
    assert.equal(totalRequests() - requests, 1, 'the refused ticket is not sent again');
    assert.equal((await so.email.getEMailAccount({ EMailAccountId: 3 }))?.EMailAddress, 'account3@example.com');
    assert.equal(fake.counts.soapSignIns - signIns, 0, "the session's ticket is still good: no sign-in");
  });

  // 0 is "no limit" for an agent's timeoutMs, and was for the sign-in's SOAP exchange (an agent),
  // but the JSON requests beside it (tenant state, OpenID metadata, JWKS) read it as 0 ms: every
  // state request and every sign-in failed at once with "no answer within 0 ms".
  test('timeoutMs 0 means no limit everywhere: the tenant state (stateTimeoutMs) and every request of the sign-in', async () => {
    fake.tenants.get('Cust12345')!.host = 0;
    const ticket = systemUserTicket({ systemUserToken: fake.systemUserToken, privateKey: fake.appKey.pkcs8Pem, timeoutMs: 0 });
    for (const exchange of ['soap', 'rest'] as const) {
      const so = client({ timeoutMs: 0, stateTimeoutMs: 0, ticket: exchange === 'soap' ? ticket : systemUserTicket({ systemUserToken: fake.systemUserToken, privateKey: fake.appKey.pkcs8Pem, timeoutMs: 0, exchange }) });
      assert.equal((await so.email.getEMailAccount({ EMailAccountId: 4 }))?.EMailAddress, 'account4@example.com', exchange);
    }
  });

  test('hooks: one event per attempt and per call, extra headers, redacted XML', async () => {
    fake.tenants.get('Cust12345')!.host = 0;
    const attempts: CallEvent[] = [];
    const calls: CallEvent[] = [];
    const xml: string[] = [];
    const so = client({
      hooks: {
        onAttempt: (e) => attempts.push(e),
        onCall: (e) => calls.push(e),
        onRequest: (info) => ({ traceparent: `00-${'1'.repeat(32)}-${'2'.repeat(16)}-01`, 'x-attempt': String(info.attempt) }),
        onXml: (e) => xml.push(`${e.direction}:${e.xml}`),
      },
      retry: { baseDelayMs: 1 },
    });
    fake.hosts[0]!.queue.push({ status: 503, headers: { 'retry-after': '0' }, body: 'busy' });
    await so.email.getEMailAccount({ EMailAccountId: 8 });
    assert.equal(attempts.length, 2);
    assert.deepEqual(attempts.map((e) => [e.attempt, e.status, e.willRetry]), [[1, 503, true], [2, 200, false]]);
    assert.equal(calls.length, 1);
    const call = calls[0]!;
    assert.equal(call.service, 'EMail');
    assert.equal(call.operation, 'GetEMailAccount');
    assert.equal(call.url, `${fake.hosts[0]!.url}/Cust12345/Remote/Services86/EMail.svc`);
    assert.equal(call.attempt, 2);
    assert.equal(call.status, 200);
    assert.ok(call.requestBytes > 200 && call.responseBytes > 200);
    assert.equal(call.error, undefined);
    assert.equal(fake.hosts[0]!.lastHeaders?.['traceparent'], `00-${'1'.repeat(32)}-${'2'.repeat(16)}-01`);
    assert.equal(fake.hosts[0]!.lastHeaders?.['x-attempt'], '2');
    const all = xml.join('\n');
    assert.match(all, /^request:<\?xml|^request:</);
    assert.ok(!all.includes(fake.applicationToken), 'no application token in hook XML');
    for (const ticket of fake.tickets) assert.ok(!all.includes(ticket), 'no ticket in hook XML');
    assert.match(all, /<ns0:Ticket>\*\*\*<\/ns0:Ticket>/, 'the ticket is replaced by ***');
    assert.ok(!JSON.stringify(attempts).includes(fake.applicationToken));
  });

  test('retries: 503 with a too long Retry-After is not waited for; a write is not retried after 500; a safe read is', async () => {
    fake.tenants.get('Cust12345')!.host = 0;
    const so = client({ retry: { baseDelayMs: 1, maxRetryAfterMs: 1000 } });
    await so.email.getEMailAccount({ EMailAccountId: 1 });
    let requests = totalRequests();
    fake.hosts[0]!.queue.push({ status: 503, headers: { 'retry-after': '120' } });
    await assert.rejects(so.email.getEMailAccount({ EMailAccountId: 1 }), (e: unknown) => e instanceof HttpError && e.status === 503);
    assert.equal(totalRequests() - requests, 1);
    requests = totalRequests();
    fake.hosts[0]!.queue.push({ status: 500, body: 'oops' });
    await assert.rejects(so.email.getEMailAccount({ EMailAccountId: 1 }), (e: unknown) => e instanceof HttpError && e.status === 500);
    assert.equal(totalRequests() - requests, 1, 'not marked safe: not retried');
    const safe = client({ retry: { baseDelayMs: 1, safeOperations: ['GetEMailAccount'] } });
    await safe.email.getEMailAccount({ EMailAccountId: 1 });
    requests = totalRequests();
    fake.hosts[0]!.queue.push({ status: 500, body: 'oops' });
    assert.equal((await safe.email.getEMailAccount({ EMailAccountId: 9 }))?.EMailAddress, 'account9@example.com');
    assert.equal(totalRequests() - requests, 2);
  });

  test('retries: a refused connection is retried up to maxAttempts; the signal ends the wait', async () => {
    const closed = `http://127.0.0.1:${await closedPort()}`;
    const attempts: CallEvent[] = [];
    const agent = new EMailAgent({ baseUrl: closed, ticket: 't', retry: { maxAttempts: 3, baseDelayMs: 1 }, hooks: { onAttempt: (e) => attempts.push(e) } });
    await assert.rejects(agent.getEMailAccount({ EMailAccountId: 1 }), (e: unknown) => e instanceof TransportError && e.reason === 'network');
    assert.equal(attempts.length, 3);
    const slow = new EMailAgent({ baseUrl: closed, ticket: 't', retry: { maxAttempts: 5, baseDelayMs: 60_000, maxDelayMs: 60_000, maxTotalMs: 600_000, random: () => 1 } });
    const ac = new AbortController();
    const started = Date.now();
    setTimeout(() => ac.abort(), 50);
    await assert.rejects(slow.getEMailAccount({ EMailAccountId: 1 }, { signal: ac.signal }), (e: unknown) => e instanceof TransportError && e.reason === 'aborted');
    assert.ok(Date.now() - started < 5_000);
  });
});
