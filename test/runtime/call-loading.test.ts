// The modules a call loads on first use, through their real dynamic imports: agent.ts loads
// call.ts on an agent's first call, call.ts loads retry.ts on the first failure that may be
// retried and transport-rest.ts on the first REST call. Each test runs a fresh copy of the
// compiled EMail agent and runtime (dist/generated) in its own temp folder (tempDir), in which one
// module is missing, throws when it is evaluated, or waits on a gate before it finishes loading,
// against a real HTTP server on 127.0.0.1. Where a test's time limit races a load, the test waits
// for the load's own signs (started, ended), not for a time it guesses: on a machine under load
// (load average 20-30) reading a module and what it imports takes longer than 150 ms. What must hold: the call's time limit and signal cover
// the loads (an aborted signal fails at once, a timeout during a load is the usual timeout error),
// a failed load names the operation, and a retry policy that cannot be loaded leaves the caller
// the server's error (the hooks get the load failure), with no secret in any of it.
import assert from 'node:assert/strict';
import { cpSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type * as EMail from '../../generated/EMail/index.js';
import type { CallEvent } from '../../generated/runtime/hooks.js';
import { repoRoot } from '../support/paths.js';
import { tempDir } from '../support/temp-dir.js';

const TICKET = '7T:loadingTicketExample==';
const TOKEN = 'app-token-4f1e2d3c';
const SERVICE_PATH = '/Remote/Services86/EMail.svc';

type Lib = typeof EMail;
interface Copy {
  readonly lib: Lib;
  readonly runtime: string;
  /** Lets a gated module finish loading. */
  readonly open: () => void;
  /** How many times a gated module has started to load. */
  readonly loads: () => number;
  /** Settles when a gated module has started to load (the importer asked for it). */
  readonly loadStarted: Promise<void>;
  /** When (performance.now()) a gated module finished loading, the gate opened; undefined before. */
  readonly loadEnded: () => number | undefined;
}

const distGenerated = join(repoRoot, 'dist', 'generated');
const copies: string[] = [];
const gates: (() => void)[] = [];
let copyCount = 0;

/**
 * A fresh copy of the compiled EMail agent and runtime, changed by `edit` before anything of it is
 * imported (a copy is a new set of module URLs: nothing is shared with other copies or tests).
 */
async function freshCopy(edit: (runtime: string, gate: (file: string) => Promise<void>) => void | Promise<void> = () => undefined): Promise<Copy> {
  const dir = tempDir('call-loading');
  copies.push(dir);
  cpSync(join(distGenerated, 'EMail'), join(dir, 'EMail'), { recursive: true });
  cpSync(join(distGenerated, 'runtime'), join(dir, 'runtime'), { recursive: true });
  const runtime = join(dir, 'runtime');
  const key = `call-loading gate ${process.pid} ${++copyCount}`;
  const state = globalThis as unknown as Record<string, unknown>;
  let open!: () => void;
  state[key] = new Promise<void>((resolve) => (open = resolve));
  state[`${key} loads`] = 0;
  const loadStarted = new Promise<void>((resolve) => (state[`${key} started`] = resolve));
  gates.push(open);
  // The gated module: renamed, and in its place one that counts its load first thing -- it imports
  // the real module dynamically, as a static import (`export * from`) would be read, with all it
  // imports, before this module's first line runs -- then loads the real module, waits for the gate
  // (a top-level await: the importer's import() stays pending), notes when the load ended and
  // re-exports the real module's exports (their names read from the compiled runtime).
  const gate = async (file: string): Promise<void> => {
    const real = file.replace(/\.js$/, '.real.js');
    const names = Object.keys(await import(pathToFileURL(join(distGenerated, 'runtime', file)).href));
    renameSync(join(runtime, file), join(runtime, real));
    const k = JSON.stringify(key);
    const lines = [
      `globalThis[${k} + ' loads']++;`,
      `globalThis[${k} + ' started']();`,
      `const real = await import('./${real}');`,
      `await globalThis[${k}];`,
      `globalThis[${k} + ' ended'] = performance.now();`,
      `export const { ${names.join(', ')} } = real;`,
    ];
    writeFileSync(join(runtime, file), `${lines.join('\n')}\n`);
  };
  await edit(runtime, gate);
  const lib = (await import(pathToFileURL(join(dir, 'EMail', 'index.js')).href)) as Lib;
  return { lib, runtime, open, loads: () => state[`${key} loads`] as number, loadStarted, loadEnded: () => state[`${key} ended`] as number | undefined };
}

/** Puts back a runtime file the test removed or replaced. */
function restore(runtime: string, file: string): void {
  cpSync(join(distGenerated, 'runtime', file), join(runtime, file));
}

// ---------------------------------------------------------------------------------------------
// The server.

type Handler = (res: http.ServerResponse) => void;
let server: http.Server;
let endpoint = '';
let baseUrl = '';
let handler: Handler;
let requests = 0;

function replyXml(res: http.ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/xml; charset=utf-8', 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

function success(lib: Lib): Handler {
  return (res) => replyXml(res, 200, lib.EMailOperations.GetEMailAccount.encodeResponse({ Response: null }, { Succeeded: true }));
}

/** 503 with Retry-After: 0, which the retry policy retries at once; the body echoes the secrets. */
const busy: Handler = (res) => {
  const body = `busy (ticket ${TICKET}, token ${TOKEN})`;
  res.writeHead(503, { 'Retry-After': '0', 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
};

before(async () => {
  server = http.createServer((req, res) => {
    res.setHeader('Connection', 'close');
    req.resume();
    req.on('end', () => {
      requests++;
      handler(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  endpoint = `${baseUrl}${SERVICE_PATH}`;
});

beforeEach(() => {
  requests = 0;
  handler = (res) => replyXml(res, 500, 'no handler set for this test');
});

after(async () => {
  for (const open of gates) open();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// Assertions.

const NOT_SETTLED = Symbol('not settled');

/** What `promise` settles with (its value or its error), or NOT_SETTLED after `ms`. */
async function settledWithin(promise: Promise<unknown>, ms: number): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([promise.catch((err: unknown) => err), new Promise((resolve) => (timer = setTimeout(resolve, ms, NOT_SETTLED)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** `err` is exactly `cls` (not a subclass) of GetEMailAccount, with no secret in anything a log would show. */
function assertCallError<E extends Error>(err: unknown, cls: abstract new (...args: never[]) => E): asserts err is E {
  assert.ok(err !== NOT_SETTLED, `the call did not settle in time (expected ${cls.name})`);
  assert.ok(err instanceof Error && Object.getPrototypeOf(err) === cls.prototype, `expected exactly ${cls.name}, got ${inspect(err)}`);
  assert.equal((err as { operation?: unknown }).operation, 'GetEMailAccount');
  assert.match(err.message, /^GetEMailAccount: /);
  assertNoSecrets(err);
}

function assertNoSecrets(value: unknown): void {
  const shown = [inspect(value, { depth: null }), JSON.stringify(value) ?? '', String(value)];
  for (const text of shown) {
    for (const secret of [TICKET, TOKEN]) assert.ok(!text.includes(secret), `a secret leaked: ${text.slice(0, 400)}`);
  }
}

/** Date.now() just before a method was called, and just after it returned its promise (the call had started). */
interface AskedWithin {
  readonly asked: number;
  readonly askedBy: number;
}

/**
 * An event's startTime is when the method was called: within `when`. A loaded machine may pause the
 * test between the two readings (by 40 ms and more), so startTime is held to both, not to the first
 * alone. Date.now() and the budget's clock (performance.now()) may disagree by a millisecond or two.
 */
function assertAskedWithin(startTime: number, { asked, askedBy }: AskedWithin): void {
  assert.ok(startTime >= asked - 20 && startTime <= askedBy + 20, `startTime ${startTime - asked} ms after the method call, which returned after ${askedBy - asked} ms`);
}

function agentOf(lib: Lib, options: EMail.AgentOptions = {}): EMail.EMailAgent {
  return new lib.EMailAgent({ endpoint, ticket: TICKET, applicationToken: TOKEN, ...options });
}

// ---------------------------------------------------------------------------------------------

describe("an agent's first call loads call.ts within the call's time limit and signal", () => {
  test('an already-aborted signal rejects at once with TransportError "aborted", before call.ts is loaded', async () => {
    const { lib, loads } = await freshCopy((_runtime, gate) => gate('call.js'));
    const heard: CallEvent[] = [];
    const hooks = { onCall: (e: CallEvent) => void heard.push(e), onAttempt: (e: CallEvent) => void heard.push(e) };
    const err = await settledWithin(agentOf(lib, { hooks }).getEMailAccount({ EMailAccountId: 5 }, { signal: AbortSignal.abort() }), 2_000);
    assertCallError(err, lib.TransportError);
    assert.equal(err.reason, 'aborted');
    assert.equal(loads(), 0, 'call.ts was loaded for a call that was aborted before it started');
    // onCall hears of it after no attempt, as of a later call aborted before it started (hooks.test.ts).
    assert.deepEqual(heard.map((e) => [e.attempt, e.error]), [[0, err]], 'onCall once, with attempt 0 and the error the caller gets; no onAttempt');
    assert.equal(requests, 0);
  });

  // A missing address is the configuration, not this call: reported before any load, so a time
  // limit that would end during the load (1 ms, call.ts held) cannot hide it behind a timeout.
  test('a missing address is reported before call.ts is loaded, whatever the time limit', async () => {
    const { lib, loads } = await freshCopy((_runtime, gate) => gate('call.js'));
    const err = await settledWithin(new lib.EMailAgent({ ticket: TICKET, applicationToken: TOKEN }).getEMailAccount({ EMailAccountId: 5 }, { timeoutMs: 1 }), 2_000);
    assertCallError(err, lib.SoapError);
    assert.match(err.message, /^GetEMailAccount: no address: pass baseUrl/);
    assert.equal(loads(), 0, 'call.ts was loaded for a call that has no address');
    assert.equal(requests, 0);
  });

  test('a timeout that fires while call.ts loads rejects with the usual timeout error; the load goes on for the next call', async () => {
    const { lib, open, loads, loadStarted } = await freshCopy((_runtime, gate) => gate('call.js'));
    handler = success(lib);
    const agent = agentOf(lib);
    const started = performance.now();
    const err = await settledWithin(agent.getEMailAccount({ EMailAccountId: 5 }, { timeoutMs: 150 }), 3_000);
    const elapsed = performance.now() - started;
    assertCallError(err, lib.TransportError);
    assert.equal(err.reason, 'timeout');
    assert.equal(err.message, 'GetEMailAccount: no request sent within 150 ms: the call was still waiting for call.ts to load (nothing was sent)');
    assert.ok(elapsed >= 140, `timed out after ${elapsed} ms`);
    // The call asked for call.ts at once; on a loaded machine the loader may reach the file only after the 150 ms.
    assert.notEqual(await settledWithin(loadStarted, 5_000), NOT_SETTLED, 'the call did not start loading call.ts');
    assert.equal(loads(), 1);
    assert.equal(requests, 0, 'nothing is sent by a call that timed out while loading');
    open();
    assert.equal(await agent.getEMailAccount({ EMailAccountId: 5 }), null);
    assert.equal(loads(), 1, 'the load was not started again');
    assert.equal(requests, 1);
  });

  test('an abort while call.ts loads rejects with TransportError "aborted"', async () => {
    const { lib } = await freshCopy((_runtime, gate) => gate('call.js'));
    const controller = new AbortController();
    const call = agentOf(lib).getEMailAccount({ EMailAccountId: 5 }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const err = await settledWithin(call, 3_000);
    assertCallError(err, lib.TransportError);
    assert.equal(err.reason, 'aborted');
    assert.equal(err.message, 'GetEMailAccount: the call was aborted while it waited for call.ts to load (nothing was sent)');
    assert.equal(requests, 0);
  });

  // The limit counts from the call, not from the end of the load: a 300 ms load leaves 700 ms of
  // a 1000 ms limit for a server that answers 850 ms after the request, so the call times out; a
  // budget started after the load would end at 1300 ms and the call, answered at 1150 ms, would
  // succeed. A slow machine can only make the timeout come sooner, never turn this into a success.
  test("the load counts against the call's time limit", async (t) => {
    const { lib, open, loadEnded } = await freshCopy((_runtime, gate) => gate('call.js'));
    const pending: NodeJS.Timeout[] = [];
    handler = (res) => void pending.push(setTimeout(() => success(lib)(res), 850));
    const started = performance.now();
    const opened = setTimeout(open, 300);
    const err = await settledWithin(agentOf(lib).getEMailAccount({ EMailAccountId: 5 }, { timeoutMs: 1_000 }), 5_000);
    const elapsed = performance.now() - started;
    const loadedAfter = (loadEnded() ?? Infinity) - started; // ms after the call: when the load ended
    clearTimeout(opened);
    for (const t of pending) clearTimeout(t);
    assertCallError(err, lib.TransportError);
    assert.equal(err.reason, 'timeout');
    assert.ok(elapsed >= 950, `timed out after ${Math.round(elapsed)} ms; the limit is 1000 ms from the call`);
    // A load that ended well inside the limit (400 ms or more before it; a request takes a few ms)
    // leaves time to send the request (one, never retried); only a machine so slow that the load
    // ended near the limit may time out before sending. The load's end is the gated module's own,
    // not the gate's opening: on a loaded machine reading call.ts may go on after the 300 ms.
    if (loadedAfter < 600) assert.equal(requests, 1, `the load ended after ${Math.round(loadedAfter)} ms`);
    else {
      // Said in the run's report (review r20t #8): a machine that always takes this branch checks less, and shows it.
      t.diagnostic(`the weaker check: the load ended ${Math.round(loadedAfter)} ms after the call (600 ms or later), so only "at most one request" was asserted (${requests})`);
      assert.ok(requests <= 1, `${requests} requests`);
    }
  });

  // The retry policy's maxTotalMs counts from the same start as timeoutMs (the call budget's): a
  // 1000 ms load leaves no room in maxTotalMs 800 for another attempt, so the 503 (Retry-After: 0)
  // ends the call after one request. A policy timed from the first attempt would see a few ms
  // elapsed and retry at once. The next call, with nothing to load, is retried: the same policy
  // retries when the time allows. A slow machine only adds to the elapsed time of the first call.
  test("the load counts against the retry policy's maxTotalMs too", async () => {
    const { lib, open } = await freshCopy((_runtime, gate) => gate('call.js'));
    handler = busy;
    const agent = agentOf(lib, { retry: { maxTotalMs: 800 } });
    const opened = setTimeout(open, 1_000);
    const err = await settledWithin(agent.getEMailAccount({ EMailAccountId: 5 }, { timeoutMs: 10_000 }), 8_000);
    clearTimeout(opened);
    assertCallError(err, lib.HttpError);
    assert.equal(err.status, 503);
    assert.equal(requests, 1, 'retried as if the call had started when call.ts was loaded');
    let calls = 0;
    handler = (res) => (++calls === 1 ? busy(res) : success(lib)(res));
    requests = 0;
    assert.equal(await agent.getEMailAccount({ EMailAccountId: 5 }, { timeoutMs: 10_000 }), null);
    assert.equal(requests, 2);
  });

  // onCall's startTime and durationMs span the call as its time limit does, from the method call:
  // a 300 ms load is inside them. Timed from the end of the load, startTime would be >= 300 ms late.
  test("onCall's startTime is when the agent was asked, before the load; durationMs covers the load", async () => {
    const { lib, open } = await freshCopy((_runtime, gate) => gate('call.js'));
    handler = success(lib);
    const calls: CallEvent[] = [];
    const attempts: CallEvent[] = [];
    const agent = agentOf(lib, { hooks: { onCall: (e) => void calls.push(e), onAttempt: (e) => void attempts.push(e) } });
    const asked = Date.now();
    const answer = agent.getEMailAccount({ EMailAccountId: 5 });
    const askedBy = Date.now(); // the method has returned: the call has started
    const opened = setTimeout(open, 300); // after the call: its load ends 300 ms after it or later
    assert.equal(await answer, null);
    const answered = Date.now();
    clearTimeout(opened);
    assert.equal(calls.length, 1);
    const call = calls[0]!;
    assertAskedWithin(call.startTime, { asked, askedBy });
    assert.ok(call.durationMs >= 290 && call.startTime + call.durationMs <= answered + 20, `durationMs ${call.durationMs}`);
    assert.ok(attempts[0]!.startTime >= asked + 290, 'the attempt started after the load');
  });

  test('a failed load is a SoapError naming the operation, with the import error as cause; the next call loads again', async () => {
    const { lib, runtime } = await freshCopy((dir) => rmSync(join(dir, 'call.js')));
    handler = success(lib);
    const agent = agentOf(lib);
    const err = await settledWithin(agent.getEMailAccount({ EMailAccountId: 5 }), 3_000);
    assertCallError(err, lib.SoapError);
    assert.match(err.message, /a runtime module could not be loaded: .*call\.js/);
    assert.equal((err.cause as { code?: unknown }).code, 'ERR_MODULE_NOT_FOUND');
    assert.equal(requests, 0);
    restore(runtime, 'call.js');
    assert.equal(await agent.getEMailAccount({ EMailAccountId: 5 }), null);
    assert.equal(requests, 1);
  });
});

// A call that ends while its agent's first call loads call.ts is a call as any other: its time
// limit counts from the method call and the load is inside it. onCall hears of it as of any failed
// call -- the error the caller gets, startTime when the method was called -- after no attempt
// (attempt 0, no url, status or bytes: nothing was sent); onAttempt does not, as there was none.
describe('a call that ends while call.ts loads reaches onCall', () => {
  function recording(): { calls: CallEvent[]; attempts: CallEvent[]; hooks: EMail.AgentOptions['hooks'] } {
    const calls: CallEvent[] = [];
    const attempts: CallEvent[] = [];
    return { calls, attempts, hooks: { onCall: (e) => void calls.push(e), onAttempt: (e) => void attempts.push(e) } };
  }

  /** The one onCall event of a call that made no attempt, which ended with `err`, asked within `when`. */
  function assertEndedBeforeAttempt(calls: readonly CallEvent[], attempts: readonly CallEvent[], err: unknown, when: AskedWithin, minDurationMs: number): void {
    assert.equal(attempts.length, 0, 'no attempt was made');
    assert.equal(calls.length, 1, 'onCall heard of the call once');
    const { error, startTime, durationMs, callId, ...rest } = calls[0]!;
    assert.equal(error, err, 'onCall gets the error the caller gets');
    assert.ok(Number.isSafeInteger(callId) && callId > 0, `callId ${callId}: the call's number, as a call that made attempts has`);
    assert.deepEqual(rest, { service: 'EMail', operation: 'GetEMailAccount', url: undefined, attempt: 0, status: undefined, requestBytes: 0, responseBytes: 0 });
    assertAskedWithin(startTime, when);
    assert.ok(durationMs >= minDurationMs && startTime + durationMs <= Date.now() + 20, `durationMs ${durationMs}`);
  }

  // Both on one copy, at once: the call.ts load is one for all agents of the copy, held until open().
  test('a timeout, and an abort, while call.ts loads', async () => {
    const { lib, open } = await freshCopy((_runtime, gate) => gate('call.js'));
    const timedOut = recording();
    const aborted = recording();
    const controller = new AbortController();
    const asked = Date.now();
    const calls = [
      settledWithin(agentOf(lib, { hooks: timedOut.hooks }).getEMailAccount({ EMailAccountId: 5 }, { timeoutMs: 150 }), 3_000),
      settledWithin(agentOf(lib, { hooks: aborted.hooks }).getEMailAccount({ EMailAccountId: 5 }, { signal: controller.signal }), 3_000),
    ];
    const askedBy = Date.now();
    setTimeout(() => controller.abort(), 50);
    const [timeout, abort] = await Promise.all(calls);
    open();
    assertCallError(timeout, lib.TransportError);
    assert.equal(timeout.reason, 'timeout');
    assertEndedBeforeAttempt(timedOut.calls, timedOut.attempts, timeout, { asked, askedBy }, 140);
    assertCallError(abort, lib.TransportError);
    assert.equal(abort.reason, 'aborted');
    assertEndedBeforeAttempt(aborted.calls, aborted.attempts, abort, { asked, askedBy }, 40);
    assert.equal(requests, 0);
  });

  // What a user tracing with OpenTelemetry sees (test/online/opentelemetry.test.ts wires the hooks
  // the same way): the call that failed earliest is a span with the error status, not a gap.
  test('a failed load: onCall, and in OpenTelemetry a span with the error status; a hook that throws changes nothing', async () => {
    const { lib } = await freshCopy((dir) => rmSync(join(dir, 'call.js')));
    const { calls, attempts, hooks } = recording();
    const asked = Date.now();
    const answer = settledWithin(agentOf(lib, { hooks }).getEMailAccount({ EMailAccountId: 5 }), 3_000);
    const askedBy = Date.now();
    const err = await answer;
    assertCallError(err, lib.SoapError);
    assert.match(err.message, /a runtime module could not be loaded: .*call\.js/);
    assertEndedBeforeAttempt(calls, attempts, err, { asked, askedBy }, 0);

    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const tracer = provider.getTracer('gen-services86-test');
    const tracing = {
      onCall(event: CallEvent) {
        const span = tracer.startSpan(`${event.service}/${event.operation}`, { kind: SpanKind.CLIENT, startTime: event.startTime, attributes: { 'rpc.system': 'soap' } });
        if (event.error !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: (event.error as Error).message });
        span.end(event.startTime + event.durationMs);
      },
    };
    const traced = await settledWithin(agentOf(lib, { hooks: tracing }).getEMailAccount({ EMailAccountId: 5 }), 3_000);
    assertCallError(traced, lib.SoapError);
    assert.deepEqual(exporter.getFinishedSpans().map((s) => [s.name, s.status.code, s.status.message]), [['EMail/GetEMailAccount', SpanStatusCode.ERROR, traced.message]]);
    await provider.shutdown();

    const failing = { onCall: (): void => { throw new Error('a logging bug'); } };
    assertCallError(await settledWithin(agentOf(lib, { hooks: failing }).getEMailAccount({ EMailAccountId: 5 }), 3_000), lib.SoapError);
    assert.equal(requests, 0);
  });
});

describe('the retry policy (retry.ts) failing to load after a failed attempt', () => {
  interface Seen {
    readonly attempts: CallEvent[];
    readonly calls: CallEvent[];
  }
  function recording(): { seen: Seen; hooks: EMail.AgentOptions['hooks'] } {
    const seen: Seen = { attempts: [], calls: [] };
    return { seen, hooks: { onAttempt: (e) => void seen.attempts.push(e), onCall: (e) => void seen.calls.push(e) } };
  }

  test("the caller gets the server's error, the hooks the load failure; the next call loads it and retries", async () => {
    const { lib, runtime } = await freshCopy((dir) => rmSync(join(dir, 'retry.js')));
    handler = busy;
    const { seen, hooks } = recording();
    const agent = agentOf(lib, { retry: { maxAttempts: 2 }, hooks });
    const err = await settledWithin(agent.getEMailAccount({ EMailAccountId: 5 }), 3_000);
    assertCallError(err, lib.HttpError);
    assert.equal(err.status, 503);
    assert.equal(requests, 1);
    assert.equal(seen.attempts.length, 1);
    assert.equal(seen.calls.length, 1);
    for (const event of [seen.attempts[0]!, seen.calls[0]!]) {
      assert.equal(event.error, err, 'the hooks see the error the caller gets');
      const loadErr = event.retryError;
      assertCallError(loadErr, lib.SoapError);
      assert.match(loadErr.message, /a runtime module could not be loaded: .*retry\.js/);
      assert.equal((loadErr.cause as { code?: unknown }).code, 'ERR_MODULE_NOT_FOUND');
    }
    assert.equal(seen.attempts[0]!.willRetry, false);

    // A failed load is not kept: with retry.js back, the next call loads it and retries.
    restore(runtime, 'retry.js');
    let calls = 0;
    handler = (res) => (++calls === 1 ? busy(res) : success(lib)(res));
    requests = 0;
    assert.equal(await agent.getEMailAccount({ EMailAccountId: 5 }), null);
    assert.equal(requests, 2);
    assert.equal(seen.attempts.at(-2)!.willRetry, true);
    assert.equal(seen.attempts.at(-2)!.retryError, undefined);
  });

  test('a load failure quoting a secret: neither the caller nor the hooks see it', async () => {
    const { lib } = await freshCopy((dir) =>
      writeFileSync(join(dir, 'retry.js'), `throw new Error(${JSON.stringify(`cannot read /run/keys/${TICKET}/${TOKEN}`)});\n`),
    );
    handler = busy;
    const { seen, hooks } = recording();
    const err = await settledWithin(agentOf(lib, { retry: {}, hooks }).getEMailAccount({ EMailAccountId: 5 }), 3_000);
    assertCallError(err, lib.HttpError);
    assert.equal(requests, 1);
    const loadErr = seen.calls[0]?.retryError;
    assertCallError(loadErr, lib.SoapError);
    assert.match(loadErr.message, /could not be loaded: cannot read \/run\/keys\/\*\*\*\/\*\*\*/);
    assertNoSecrets(loadErr.cause);
  });

  test('without hooks, the caller gets the same server error', async () => {
    const { lib } = await freshCopy((dir) => rmSync(join(dir, 'retry.js')));
    handler = busy;
    const err = await settledWithin(agentOf(lib, { retry: {} }).getEMailAccount({ EMailAccountId: 5 }), 3_000);
    assertCallError(err, lib.HttpError);
    assert.equal(err.status, 503);
    assert.equal(requests, 1);
  });
});

describe('the REST transport (transport-rest.ts) loads within the call budget', () => {
  test('a timeout while it loads is the usual timeout error, and nothing is sent', async () => {
    const { lib, open } = await freshCopy((_runtime, gate) => gate('transport-rest.js'));
    const agent = new lib.EMailAgent({ baseUrl, transport: 'rest', ticket: TICKET, applicationToken: TOKEN });
    const err = await settledWithin(agent.getEMailAccount({ EMailAccountId: 5 }, { timeoutMs: 150 }), 3_000);
    open();
    assertCallError(err, lib.TransportError);
    assert.equal(err.reason, 'timeout');
    assert.equal(requests, 0);
  });

  test('a failed load is a SoapError naming the operation', async () => {
    const { lib } = await freshCopy((dir) => rmSync(join(dir, 'transport-rest.js')));
    const agent = new lib.EMailAgent({ baseUrl, transport: 'rest', ticket: TICKET, applicationToken: TOKEN });
    const err = await settledWithin(agent.getEMailAccount({ EMailAccountId: 5 }), 3_000);
    assertCallError(err, lib.SoapError);
    assert.match(err.message, /a runtime module could not be loaded: .*transport-rest\.js/);
    assert.equal(requests, 0);
  });
});
