// On-site sign-in: usernamePasswordTicket over the generated SoPrincipal agent and mock (EMail and
// SoPrincipal generated into one folder): one sign-in for many calls, a refused ticket renewed and
// the call retried once, a wrong password an OnlineError that never shows the password; a sign-in
// request that fails (an error status, the network, a timeout, a fault) an OnlineError naming the
// SoPrincipal endpoint, `temporary` for an outage, which `retry` retries for a write too; a sign-in
// given up as hung has its request aborted, and a call's own abort ends only its wait.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import { buildFiles } from '../../generator/generate.js';
import { wsdlFixturesDir } from '../support/paths.js';
import { tempDir } from '../support/temp-dir.js';
import { writeTranspiled } from '../support/transpile.js';
import { waitUntil } from '../support/wait-until.js';

interface Listening {
  url: string;
  close(): Promise<void>;
}
/** A generated mock: a node:http request listener. */
type Mock = http.RequestListener;
type Handler = (input: Record<string, unknown>, ctx: { ticket: string | undefined }) => unknown;
interface Lib {
  SuperOfficeClient: new (options: object) => {
    email: {
      getEMailAccount(input: { EMailAccountId: number }, options?: { signal?: AbortSignal }): Promise<{ EMailAddress?: string | null } | null>;
      deleteEMailAccount(input: { EMailAccountId: number }): Promise<unknown>;
    };
  };
  SoPrincipalAgent: new (options: object) => unknown;
  usernamePasswordTicket(options: object): unknown;
  OnlineError: OnlineErrorClass;
  UsernamePasswordSignInError: OnlineErrorClass;
}
type OnlineErrorClass = new (...args: never[]) => Error & { temporary: boolean; operation: string | undefined };
type ErrorClass = new (...args: never[]) => Error;
interface Errors {
  HttpError: new (...args: never[]) => Error & { status: number };
  TransportError: new (...args: never[]) => Error & { reason: string };
  SoExceptionError: ErrorClass;
  DecodeError: ErrorClass;
}

let dir: string;
let lib: Lib;
let errors: Errors;
let servers: Listening[];
let signIns = 0;
const valid = new Set<string>();
/** Requests that reached the EMail host (the service the calls are for). */
let serviceRequests = 0;
/** The EMailAccountIds the EMail host deleted (DeleteEMailAccount: a write, never marked safe here). */
const deleted: number[] = [];
/**
 * What the SoPrincipal host answers instead of its mock, once each, in order: an error status, a
 * connection dropped before any answer ('drop'), no answer at all ('stall', until the test ends), or
 * none yet ('hold': the request is kept in `held`, for the test to answer with the mock or not at all).
 */
type Canned = { status: number; statusText?: string; body?: string; headers?: Record<string, string> } | 'drop' | 'stall' | 'hold';
const principalQueue: Canned[] = [];
/**
 * The requests held ('hold'): `closed` settles when the response closes (the client closed the connection before an
 * answer, or the answer was written); `answer()` runs the mock; `events` is what happened to it, in order: 'answered'
 * (answer() called), then 'closed after the answer was written' or 'closed before an answer was written'.
 */
const held: { closed: Promise<void>; answer(): void; events: string[] }[] = [];
/** Requests that reached the SoPrincipal host, canned or not. */
let principalRequests = 0;

/** A node:http server on 127.0.0.1 serving `path` with `handler`: the mocks, behind a counter or a canned answer. */
async function listen(handler: http.RequestListener, path: string): Promise<Listening> {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

before(async () => {
  const { files } = buildFiles(['EMail', 'SoPrincipal'].map((n) => join(wsdlFixturesDir, `${n}.wsdl`)));
  dir = tempDir('onsite');
  writeTranspiled(files, dir);
  const load = async <T>(path: string): Promise<T> => (await import(pathToFileURL(join(dir, path)).href)) as T;
  lib = await load<Lib>('index.js');
  errors = await load<Errors>('runtime/errors.js');
  const expired = { soExceptionInfo: { Message: 'ticket expired', ExceptionType: 'SuperOffice.Exceptions.SoSecurityException' } };
  const email = (await load<{ createEMailMockServer(h: Record<string, Handler>): Mock }>('EMail/mock.js')).createEMailMockServer({
    GetEMailAccount: (input, ctx) => {
      if (!ctx.ticket || !valid.has(ctx.ticket)) throw expired;
      return { Response: { EMailAccountId: input['EMailAccountId'], EMailAddress: 'a@example.com' } };
    },
    DeleteEMailAccount: (input, ctx) => {
      if (!ctx.ticket || !valid.has(ctx.ticket)) throw expired;
      deleted.push(input['EMailAccountId'] as number);
      return {};
    },
  });
  const principal = (await load<{ createSoPrincipalMockServer(h: Record<string, Handler>): Mock }>('SoPrincipal/mock.js')).createSoPrincipalMockServer({
    AuthenticateUsernamePassword: (input) => {
      signIns++;
      if (input['UserName'] === 'echo') throw { soExceptionInfo: { Message: `bad password ${String(input['Password'])}`, ExceptionType: 'SoException' } };
      const ok = input['UserName'] === 'jdoe' && input['Password'] === 's3cret-pw';
      const ticket = `7T:onsite-${signIns}`;
      if (ok) valid.add(ticket);
      return { Credentials: ok ? { Ticket: ticket } : null, AuthenticationSucceeded: ok };
    },
  });
  servers = [
    await listen((req, res) => {
      serviceRequests++;
      email(req, res);
    }, '/Remote/Services86/EMail.svc'),
    await listen((req, res) => {
      principalRequests++;
      const canned = principalQueue.shift();
      if (canned === undefined) return principal(req, res);
      if (canned === 'drop') return req.socket.destroy();
      if (canned === 'stall') return req.resume(); // answered by nothing; closed with the server
      if (canned === 'hold') {
        const events: string[] = [];
        const closed = new Promise<void>((r) =>
          res.once('close', () => {
            events.push(res.writableFinished ? 'closed after the answer was written' : 'closed before an answer was written');
            r();
          }),
        );
        return void held.push({ closed, events, answer: () => (events.push('answered'), principal(req, res)) });
      }
      req.resume();
      res.statusCode = canned.status;
      if (canned.statusText !== undefined) res.statusMessage = canned.statusText;
      for (const [k, v] of Object.entries(canned.headers ?? {})) res.setHeader(k, v);
      res.end(canned.body ?? '');
    }, '/Remote/Services86/SoPrincipal.svc'),
  ];
});
beforeEach(() => {
  principalQueue.length = 0;
  held.length = 0;
  deleted.length = 0;
});
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

test('usernamePasswordTicket: one sign-in for many calls; renewed once after a refusal', async () => {
  const so = new lib.SuperOfficeClient({
    endpoints: { EMail: servers[0]!.url },
    ticket: lib.usernamePasswordTicket({ principal: new lib.SoPrincipalAgent({ endpoint: servers[1]!.url }), userName: 'jdoe', password: 's3cret-pw' }),
  });
  signIns = 0;
  await Promise.all([1, 2, 3].map((id) => so.email.getEMailAccount({ EMailAccountId: id })));
  assert.equal(signIns, 1);
  valid.clear(); // the server restarted: every ticket is gone
  assert.equal((await so.email.getEMailAccount({ EMailAccountId: 4 }))?.EMailAddress, 'a@example.com');
  assert.equal(signIns, 2, 'signed in again once');
});

test('usernamePasswordTicket: a refused sign-in is an OnlineError without the password', async () => {
  const so = new lib.SuperOfficeClient({
    endpoints: { EMail: servers[0]!.url },
    ticket: lib.usernamePasswordTicket({ principal: new lib.SoPrincipalAgent({ endpoint: servers[1]!.url }), userName: 'jdoe', password: 'wrong-pw' }),
  });
  await assert.rejects(so.email.getEMailAccount({ EMailAccountId: 1 }), (e: unknown) => e instanceof lib.OnlineError && /sign-in of user "jdoe" refused/.test(e.message) && !e.message.includes('wrong-pw'));
});

// A wrong password sent again by every call can lock the account (and best-practices.md asks not to
// sign in before every call): a refusal is answered again for 60 s, each call its own error.
test('usernamePasswordTicket: a refused sign-in is remembered for 60 s, without sending the password again; the first call after it signs in again', async () => {
  let offset = 0;
  const so = new lib.SuperOfficeClient({
    endpoints: { EMail: servers[0]!.url },
    ticket: lib.usernamePasswordTicket({ principal: new lib.SoPrincipalAgent({ endpoint: servers[1]!.url }), userName: 'jdoe', password: 'wrong-pw', now: () => Date.now() + offset }),
  });
  signIns = 0;
  const errors: unknown[] = [];
  for (let i = 0; i < 3; i++) await so.email.getEMailAccount({ EMailAccountId: i }).catch((e: unknown) => errors.push(e));
  assert.ok(errors.length === 3 && errors.every((e) => e instanceof lib.OnlineError && /sign-in of user "jdoe" refused/.test(e.message)), String(errors));
  assert.ok(errors[1] !== errors[0] && errors[2] !== errors[1], 'an error object per call');
  assert.equal(signIns, 1, 'one sign-in for three calls');
  offset += 59_000;
  await assert.rejects(so.email.getEMailAccount({ EMailAccountId: 4 }), lib.OnlineError);
  assert.equal(signIns, 1, 'still remembered after 59 s');
  offset += 1_000;
  await assert.rejects(so.email.getEMailAccount({ EMailAccountId: 5 }), lib.OnlineError);
  assert.equal(signIns, 2, 'signed in again after 60 s');
});

// r19b finding 8: the retry policy knew a refusal by its error's name (then retry.ts SIGN_IN_REFUSALS; now by its
// `temporary`, false), and this one was a plain OnlineError: a safe read was attempted 3 times, with a second of
// backoff, for the same remembered refusal.
test('usernamePasswordTicket: a refused sign-in is a UsernamePasswordSignInError, not retried, also for a safe operation', async () => {
  const attempts: { attempt: number; willRetry: boolean }[] = [];
  const so = new lib.SuperOfficeClient({
    endpoints: { EMail: servers[0]!.url },
    ticket: lib.usernamePasswordTicket({ principal: new lib.SoPrincipalAgent({ endpoint: servers[1]!.url }), userName: 'jdoe', password: 'wrong-pw' }),
    retry: { safeOperations: ['GetEMailAccount'], baseDelayMs: 1 },
    hooks: { onAttempt: (e: { attempt: number; willRetry: boolean }) => attempts.push({ attempt: e.attempt, willRetry: e.willRetry }) },
  });
  await assert.rejects(so.email.getEMailAccount({ EMailAccountId: 1 }), (e: unknown) => e instanceof lib.UsernamePasswordSignInError && e instanceof lib.OnlineError && e.name === 'UsernamePasswordSignInError');
  assert.deepEqual(attempts, [{ attempt: 1, willRetry: false }]);
});

// A failure of the sign-in call itself (here an exception the server reports) is no refusal: the next call tries again.
test('usernamePasswordTicket: a failed sign-in call is not remembered', async () => {
  const so = new lib.SuperOfficeClient({
    endpoints: { EMail: servers[0]!.url },
    ticket: lib.usernamePasswordTicket({ principal: new lib.SoPrincipalAgent({ endpoint: servers[1]!.url }), userName: 'echo', password: 'pw' }),
  });
  signIns = 0;
  await assert.rejects(so.email.getEMailAccount({ EMailAccountId: 1 }));
  await assert.rejects(so.email.getEMailAccount({ EMailAccountId: 2 }));
  assert.equal(signIns, 2);
});

/** Every text of `err` and its causes that a log could show: no piece of `secret` may be among them. */
const everything = (err: unknown): string =>
  [inspect(err, { depth: null }), JSON.stringify(err), (err as Error).stack, JSON.stringify({ ...(err as object), message: (err as Error).message, stack: (err as Error).stack })].join('\n');

// The principal agent here has no `secrets`: the server's echo of the password reaches the error
// the sign-in throws (its message, stack, the agent's error that is its cause), which must clean it.
test('usernamePasswordTicket: a sign-in failure that echoes the password does not carry it (a fault, an error page)', async () => {
  for (const [user, canned, said] of [
    ['echo', undefined, /^on-site sign-in failed \(.*\/SoPrincipal\.svc\): AuthenticateUsernamePassword: SoException: bad password \*\*\*$/],
    ['jdoe', { status: 500, body: '<html>bad password echoed-pw-123</html>' }, /^on-site sign-in failed \(.*\/SoPrincipal\.svc\): AuthenticateUsernamePassword: HTTP 500 Internal Server Error: <html>bad password \*\*\*<\/html>$/],
  ] as const) {
    if (canned) principalQueue.push(canned);
    const so = new lib.SuperOfficeClient({
      endpoints: { EMail: servers[0]!.url },
      ticket: lib.usernamePasswordTicket({ principal: new lib.SoPrincipalAgent({ endpoint: servers[1]!.url }), userName: user, password: 'echoed-pw-123' }),
    });
    await assert.rejects(so.email.getEMailAccount({ EMailAccountId: 1 }), (e: unknown) => {
      assert.ok(e instanceof lib.OnlineError, String(e));
      assert.match(e.message, said);
      assert.ok(!everything(e).includes('echoed-pw'), everything(e));
      return true;
    });
  }
});

// r20 (s20h): a failed sign-in request threw the principal agent's own error (HttpError, TransportError, SoExceptionError,
// DecodeError), which read as the tenant host's (its operation, AuthenticateUsernamePassword, beside the call's URL),
// was no OnlineError with a `temporary`, and was retried only for operations marked safe -- though the call had sent
// nothing to its own host. It is now an OnlineError as systemUserTicket's SOAP exchange's is, by the same rule.
const session = (retry?: object, principalOptions: object = {}) => {
  const attempts: { attempt: number; willRetry: boolean; error?: unknown }[] = [];
  const so = new lib.SuperOfficeClient({
    endpoints: { EMail: servers[0]!.url },
    ticket: lib.usernamePasswordTicket({ principal: new lib.SoPrincipalAgent({ endpoint: servers[1]!.url, ...principalOptions }), userName: 'jdoe', password: 's3cret-pw' }),
    ...(retry ? { retry: { baseDelayMs: 1, random: () => 0.5, ...retry } } : {}),
    hooks: { onAttempt: (e: { attempt: number; willRetry: boolean; error?: unknown }) => attempts.push({ attempt: e.attempt, willRetry: e.willRetry, error: e.error }) },
  });
  return { so, attempts };
};

for (const [what, canned, cause] of [
  ['answers 503', { status: 503, body: 'Service Unavailable' }, (e: unknown) => e instanceof errors.HttpError && e.status === 503],
  ['answers 500', { status: 500, body: '<html>boom</html>' }, (e: unknown) => e instanceof errors.HttpError && e.status === 500],
  ['loses its connection', 'drop', (e: unknown) => e instanceof errors.TransportError && e.reason === 'network'],
] as const) {
  test(`usernamePasswordTicket: a write whose sign-in ${what} once is retried and succeeds; one request reaches the service host`, async () => {
    principalQueue.push(canned);
    const { so, attempts } = session({});
    const sent = serviceRequests;
    await so.email.deleteEMailAccount({ EMailAccountId: 7 });
    assert.deepEqual(deleted, [7]);
    assert.equal(serviceRequests - sent, 1, 'one request to the service host');
    assert.deepEqual(attempts.map((a) => [a.attempt, a.willRetry]), [[1, true], [2, false]]);
    const first = attempts[0]!.error;
    assert.ok(first instanceof lib.OnlineError && first.temporary && cause(first.cause), String(first));
    assert.ok(first.message.startsWith(`on-site sign-in failed (${servers[1]!.url}): AuthenticateUsernamePassword: `), first.message);
  });
}

test('usernamePasswordTicket: a sign-in answered 500 is an OnlineError naming the SoPrincipal endpoint, temporary, its HttpError the cause; not remembered', async () => {
  principalQueue.push({ status: 500, body: '<html>boom</html>' });
  const { so } = session();
  await assert.rejects(so.email.getEMailAccount({ EMailAccountId: 1 }), (e: unknown) => {
    assert.ok(e instanceof lib.OnlineError && !(e instanceof lib.UsernamePasswordSignInError), String(e));
    assert.equal(e.message, `on-site sign-in failed (${servers[1]!.url}): AuthenticateUsernamePassword: HTTP 500 Internal Server Error: <html>boom</html>`);
    assert.equal(e.temporary, true);
    assert.equal(e.operation, undefined, "not the tenant host's operation");
    assert.ok(e.cause instanceof errors.HttpError && e.cause.status === 500);
    return true;
  });
  const asked = principalRequests;
  assert.equal((await so.email.getEMailAccount({ EMailAccountId: 2 }))?.EMailAddress, 'a@example.com', 'the next call signs in');
  assert.equal(principalRequests - asked, 1);
});

test('usernamePasswordTicket: a sign-in with no answer within the principal agent\'s timeoutMs is a temporary OnlineError', async () => {
  principalQueue.push('stall');
  const { so } = session(undefined, { timeoutMs: 100 });
  await assert.rejects(
    so.email.getEMailAccount({ EMailAccountId: 1 }),
    (e: unknown) => e instanceof lib.OnlineError && e.temporary && e.cause instanceof errors.TransportError && e.cause.reason === 'timeout' && /^on-site sign-in failed \(/.test(e.message),
  );
});

/** `promise`'s outcome within `ms`, else 'still pending' (what would hang without a fix does not hold the test). */
const within = <T>(promise: Promise<T>, ms: number): Promise<{ value: T } | { error: unknown } | 'still pending'> =>
  Promise.race([promise.then((value) => ({ value }), (error: unknown) => ({ error })), new Promise<'still pending'>((r) => setTimeout(() => r('still pending'), ms).unref())]);
/** Until the sign-in request is held by the SoPrincipal host: 5 s at most (a loaded machine), then a failure saying so. */
const signInHeld = (): Promise<void> =>
  waitUntil({ limitMs: 5_000, pollMs: 5, state: () => `${held.length} request(s) held, ${principalRequests} SoPrincipal request(s)` }).until(
    () => held.length === 1,
    'the sign-in request to reach the SoPrincipal host and be held',
  );

// r20 (s20l): the sign-in got no signal, so a sign-in given up as hung (renewingTicket: the first call after 5 minutes
// signs in again) left the principal agent's request open until its own timeoutMs (120 s by default; none with 0).
// It now gets the sign-in's signal: the request is aborted, and the calls that waited for it fail at once.
test('usernamePasswordTicket: a sign-in given up as hung aborts the principal agent\'s request; its caller gets a temporary OnlineError', async () => {
  let offset = 0;
  principalQueue.push('hold');
  const so = new lib.SuperOfficeClient({
    endpoints: { EMail: servers[0]!.url },
    ticket: lib.usernamePasswordTicket({ principal: new lib.SoPrincipalAgent({ endpoint: servers[1]!.url }), userName: 'jdoe', password: 's3cret-pw', now: () => Date.now() + offset }),
  });
  const first = so.email.getEMailAccount({ EMailAccountId: 1 });
  first.catch(() => undefined); // (read below, once the sign-in is given up)
  await signInHeld();
  assert.equal(held.length, 1, 'the sign-in request reached the server');
  offset += 5 * 60 * 1000; // the sign-in has run 5 minutes: the next call gives it up and signs in again
  assert.equal((await so.email.getEMailAccount({ EMailAccountId: 2 }))?.EMailAddress, 'a@example.com');
  assert.deepEqual(await within(held[0]!.closed, 2_000), { value: undefined }, 'the server sees the hung sign-in request closed');
  const outcome = await within(first, 2_000);
  assert.ok(typeof outcome === 'object' && 'error' in outcome, `the call that waited for the hung sign-in: ${JSON.stringify(outcome)}`);
  const e = outcome.error;
  assert.ok(e instanceof lib.OnlineError && e.temporary, String(e));
  assert.ok(e.message.startsWith(`on-site sign-in failed (${servers[1]!.url}): AuthenticateUsernamePassword: the call was aborted`), e.message);
  assert.ok(e.cause instanceof errors.TransportError && e.cause.reason === 'aborted', String(e.cause));
  assert.ok(!everything(e).includes('s3cret'), everything(e));
});

// The call's own signal (or timeout) is not the sign-in's: other calls may join a sign-in, so it runs on even when the
// one call that waited for it gives up, and its ticket serves the next call.
test('usernamePasswordTicket: aborting the only call that waits for a sign-in ends that call, not the sign-in; its ticket serves the next call', async () => {
  principalQueue.push('hold');
  const { so } = session();
  const caller = new AbortController();
  const first = so.email.getEMailAccount({ EMailAccountId: 1 }, { signal: caller.signal });
  await signInHeld();
  const asked = principalRequests;
  caller.abort(new Error('the user left'));
  const outcome = await within(first, 2_000);
  assert.ok(typeof outcome === 'object' && 'error' in outcome && outcome.error instanceof errors.TransportError && outcome.error.reason === 'aborted', `the aborted call: ${String(typeof outcome === 'object' && 'error' in outcome ? outcome.error : outcome)}`);
  held[0]!.answer();
  assert.equal((await so.email.getEMailAccount({ EMailAccountId: 2 }))?.EMailAddress, 'a@example.com');
  assert.equal(principalRequests - asked, 0, "the next call used the aborted call's sign-in");
  // The sign-in request stayed open after the abort, however long the abort took to act (no time bound): the response
  // closed only once answer() had written it, never before.
  assert.deepEqual(await within(held[0]!.closed, 2_000), { value: undefined }, 'the answered sign-in request closed');
  assert.deepEqual(held[0]!.events, ['answered', 'closed after the answer was written'], 'the sign-in request stays open until answered');
});

// What the same request would get again: not temporary, so never retried -- also for an operation marked safe, which
// was attempted three times (any failure of a safe operation is retried, and these were the agent's own errors).
for (const [what, canned, cause] of [
  ['answers 404', { status: 404, body: 'Not Found' }, (e: unknown) => e instanceof errors.HttpError && e.status === 404],
  ['answers what is not XML', { status: 200, body: 'hello', headers: { 'Content-Type': 'text/xml' } }, (e: unknown) => e instanceof errors.DecodeError],
  ['reports an exception', undefined, (e: unknown) => e instanceof errors.SoExceptionError],
] as const) {
  test(`usernamePasswordTicket: a sign-in that ${what} is an OnlineError that is not temporary, not retried for a safe read`, async () => {
    if (canned) principalQueue.push(canned);
    const attempts: boolean[] = [];
    const so = new lib.SuperOfficeClient({
      endpoints: { EMail: servers[0]!.url },
      // (the mock's 'echo' user makes AuthenticateUsernamePassword report an SoException)
      ticket: lib.usernamePasswordTicket({ principal: new lib.SoPrincipalAgent({ endpoint: servers[1]!.url }), userName: canned ? 'jdoe' : 'echo', password: 's3cret-pw' }),
      retry: { safeOperations: ['GetEMailAccount'], baseDelayMs: 1 },
      hooks: { onAttempt: (e: { willRetry: boolean }) => attempts.push(e.willRetry) },
    });
    const asked = principalRequests;
    await assert.rejects(so.email.getEMailAccount({ EMailAccountId: 1 }), (e: unknown) => e instanceof lib.OnlineError && !e.temporary && cause(e.cause) && /^on-site sign-in failed \(/.test(e.message));
    assert.deepEqual(attempts, [false]);
    assert.equal(principalRequests - asked, 1, 'one sign-in request');
  });
}

// An authenticator of your own (UsernamePasswordAuthenticator is a shape) may have no endpoint, and throw what it likes.
test("usernamePasswordTicket: an authenticator's own error is the cause of an OnlineError, not temporary unless it is a temporary OnlineError; the password removed", async () => {
  const OnlineError = lib.OnlineError as unknown as new (message: string, options: { temporary: boolean }) => Error;
  for (const [thrown, temporary] of [
    [new Error('cannot sign in with s3cret-pw'), false],
    [new OnlineError('the state request failed: HTTP 503', { temporary: true }), true],
  ] as const) {
    const so = new lib.SuperOfficeClient({
      endpoints: { EMail: servers[0]!.url },
      ticket: lib.usernamePasswordTicket({ principal: { authenticateUsernamePassword: () => Promise.reject(thrown) }, userName: 'jdoe', password: 's3cret-pw' }),
    });
    await assert.rejects(so.email.getEMailAccount({ EMailAccountId: 1 }), (e: unknown) => {
      assert.ok(e instanceof lib.OnlineError && e.temporary === temporary, String(e));
      assert.match(e.message, /^on-site sign-in failed \(the principal agent\): /);
      assert.ok(!everything(e).includes('s3cret'), everything(e));
      return true;
    });
  }
});

// Its endpoint is shown as every URL in an error is (hooks.ts displayUrl): no user info, query or fragment.
test("usernamePasswordTicket: a failed sign-in's error names the principal's endpoint without its user info, query or fragment", async () => {
  const so = new lib.SuperOfficeClient({
    endpoints: { EMail: servers[0]!.url },
    ticket: lib.usernamePasswordTicket({
      principal: { endpoint: 'https://bob:url-pw-77@principal.example/Remote/Services86/SoPrincipal.svc?ticket=tkt-in-query#frag-9', authenticateUsernamePassword: () => Promise.reject(new Error('unreachable')) },
      userName: 'jdoe',
      password: 's3cret-pw',
    }),
  });
  await assert.rejects(so.email.getEMailAccount({ EMailAccountId: 1 }), (e: unknown) => {
    assert.ok(e instanceof lib.OnlineError, String(e));
    assert.match(e.message, /^on-site sign-in failed \(https:\/\/principal\.example\/Remote\/Services86\/SoPrincipal\.svc\): unreachable/);
    for (const hidden of ['bob', 'url-pw-77', 'tkt-in-query', 'frag-9']) assert.ok(!everything(e).includes(hidden), everything(e));
    return true;
  });
});

test('usernamePasswordTicket: a refusal stays a UsernamePasswordSignInError, not retried for a write; nothing reaches the service host', async () => {
  const attempts: boolean[] = [];
  const so = new lib.SuperOfficeClient({
    endpoints: { EMail: servers[0]!.url },
    ticket: lib.usernamePasswordTicket({ principal: new lib.SoPrincipalAgent({ endpoint: servers[1]!.url }), userName: 'jdoe', password: 'wrong-pw' }),
    retry: { baseDelayMs: 1 },
    hooks: { onAttempt: (e: { willRetry: boolean }) => attempts.push(e.willRetry) },
  });
  const sent = serviceRequests;
  await assert.rejects(so.email.deleteEMailAccount({ EMailAccountId: 9 }), (e: unknown) => e instanceof lib.UsernamePasswordSignInError && !e.temporary && !e.message.includes('wrong-pw'));
  assert.deepEqual(attempts, [false]);
  assert.equal(serviceRequests - sent, 0);
  assert.deepEqual(deleted, []);
});

// onRenewalError is told "the error a waiting call would get, before the call removes its own secrets": that is now
// the OnlineError too, and the password (known to the sign-in, not only to the call) is out of it already.
test('usernamePasswordTicket: a failed background renewal reaches onRenewalError as that OnlineError, without the password; the call goes on', async () => {
  let offset = 0;
  const told: unknown[] = [];
  const so = new lib.SuperOfficeClient({
    endpoints: { EMail: servers[0]!.url },
    ticket: lib.usernamePasswordTicket({
      principal: new lib.SoPrincipalAgent({ endpoint: servers[1]!.url }),
      userName: 'jdoe',
      password: 's3cret-pw',
      now: () => Date.now() + offset,
      onRenewalError: (e: unknown) => told.push(e),
    }),
  });
  await so.email.getEMailAccount({ EMailAccountId: 1 });
  offset += 6 * 60 * 60 * 1000 - 5 * 60 * 1000; // within the last 10 minutes of the window: renewed in the background
  principalQueue.push({ status: 502, body: 'bad gateway for s3cret-pw' });
  assert.equal((await so.email.getEMailAccount({ EMailAccountId: 2 }))?.EMailAddress, 'a@example.com');
  // The renewal runs in the background: wait for its failure to be told (5 s at most, a loaded machine), then count.
  await waitUntil({ limitMs: 5_000, pollMs: 10, state: () => `onRenewalError told ${told.length} time(s)` }).until(() => told.length > 0, 'onRenewalError (the failed background renewal)');
  assert.equal(told.length, 1, 'onRenewalError told once');
  const e = told[0];
  assert.ok(e instanceof lib.OnlineError && e.temporary && e.cause instanceof errors.HttpError && e.cause.status === 502, String(e));
  assert.match(e.message, /^on-site sign-in failed \(.*\): AuthenticateUsernamePassword: HTTP 502 Bad Gateway: bad gateway for \*\*\*$/);
  assert.ok(!everything(e).includes('s3cret'), everything(e));
});

// The sign-in's answer carries a ticket no agent knows yet, so no redaction list can hold it: a
// principal agent given hooks (with secrets: [password], as README says) logged it in onXml.
test('onXml never shows a Ticket or Password element, also one no agent knows as a secret (the sign-in answer)', async () => {
  const xml: string[] = [];
  const hooks = { onXml: (e: { service: string; direction: string; xml: string }) => xml.push(`${e.service} ${e.direction}: ${e.xml}`) };
  const principal = new lib.SoPrincipalAgent({ endpoint: servers[1]!.url, hooks });
  const so = new lib.SuperOfficeClient({ endpoints: { EMail: servers[0]!.url }, hooks, ticket: lib.usernamePasswordTicket({ principal, userName: 'jdoe', password: 's3cret-pw' }) });
  signIns = 0;
  await so.email.getEMailAccount({ EMailAccountId: 1 });
  assert.equal(xml.length, 4, xml.join('\n'));
  const all = xml.join('\n');
  assert.ok(!all.includes('7T:onsite-'), `a ticket in onXml:\n${all}`);
  assert.ok(!all.includes('s3cret-pw'), 'no password in onXml, even without secrets: [password]');
  assert.match(xml[0]!, /^SoPrincipal request: .*<(\w+:)?Password>\*\*\*<\/(\w+:)?Password>/);
  assert.match(xml[1]!, /^SoPrincipal response: .*<(\w+:)?Ticket>\*\*\*<\/(\w+:)?Ticket>/);
  assert.match(xml[2]!, /^EMail request: .*<(\w+:)?Ticket>\*\*\*<\/(\w+:)?Ticket>/);
  assert.match(xml[1]!, /<(\w+:)?AuthenticationSucceeded>true</, 'the rest of the envelope is shown');
});
