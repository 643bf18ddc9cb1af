// The hooks wired into OpenTelemetry (dev dependencies only) as README shows: one CLIENT span per
// call, started by the call's first request and ended by onCall, found by the events' callId. Its
// trace context goes out with each of the call's requests, so the server's spans are children of
// the call's span -- also with calls running at once, and retries. Against the fake Online and a
// mock EMail server on 127.0.0.1 that records the headers it receives.
import assert from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type ContextManager, type Span, type Tracer } from '@opentelemetry/api';
import { parseTraceParent, W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { after, before, test } from 'node:test';
import { EMailAgent, HttpError, SuperOfficeClient, systemUserTicket, TransportError, type Hooks } from '../../generated/index.js';
import { createEMailMockServer } from '../../generated/EMail/mock.js';
import { startFakeOnline, type FakeOnline } from '../support/fake-online.js';

/**
 * The context manager an OpenTelemetry Node SDK installs (@opentelemetry/context-async-hooks'
 * AsyncLocalStorageContextManager, not a dependency here), reduced to what these tests use: the
 * active context follows the async calls made inside `with`.
 */
class AsyncLocalStorageContextManager implements ContextManager {
  readonly #storage = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.#storage.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(ctx: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    return this.#storage.run(ctx, () => fn.call(thisArg, ...args));
  }
  bind<T>(_ctx: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    return this;
  }
}

let fake: FakeOnline;
before(async () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  fake = await startFakeOnline();
});
after(async () => {
  await fake.close();
  context.disable();
  propagation.disable();
});

/**
 * What a user writes (README): the hooks as an OpenTelemetry instrumentation, and the map of the
 * spans of the calls under way (`open`: empty whenever no call runs).
 */
function openTelemetryHooks(tracer: Tracer): { hooks: Hooks; open: ReadonlyMap<number, Span> } {
  const spans = new Map<number, Span>();
  /**
   * The call's span: started by its first request -- in the caller's context, so a child of the
   * caller's active span, and from the call's start -- or, for a call that ended before any
   * request (an aborted signal, a ticket that could not be had), by onCall.
   */
  const spanOf = (callId: number, service: string, operation: string, startTime: number): Span => {
    let span = spans.get(callId);
    if (span === undefined) {
      const attributes = { 'rpc.system': 'soap', 'rpc.service': service, 'rpc.method': operation };
      span = tracer.startSpan(`${service}/${operation}`, { kind: SpanKind.CLIENT, startTime, attributes });
      spans.set(callId, span);
    }
    return span;
  };
  const hooks: Hooks = {
    // Synchronous up to spans.set: onCall, which comes once per call after every onRequest of it, finds the span.
    onRequest(info) {
      const span = spanOf(info.callId, info.service, info.operation, info.callStartTime);
      const headers: Record<string, string> = {};
      propagation.inject(trace.setSpan(context.active(), span), headers); // traceparent: this call's span
      return headers;
    },
    onCall(event) {
      const span = spanOf(event.callId, event.service, event.operation, event.startTime);
      spans.delete(event.callId);
      const url = event.url === undefined ? undefined : new URL(event.url);
      span.setAttributes({
        ...(url ? { 'server.address': url.hostname, 'server.port': Number(url.port), 'url.full': event.url } : {}),
        ...(event.status === undefined ? {} : { 'http.response.status_code': event.status }),
        'gen_services86.attempts': event.attempt,
        'http.request.body.size': event.requestBytes,
        'http.response.body.size': event.responseBytes,
      });
      if (event.error !== undefined) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: (event.error as Error).message });
        span.recordException(event.error as Error);
      }
      span.end(event.startTime + event.durationMs);
    },
  };
  return { hooks, open: spans };
}

/** A tracer whose finished spans the test reads. */
function testTracer(): { tracer: Tracer; finished: () => ReadableSpan[]; provider: BasicTracerProvider } {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  return { tracer: provider.getTracer('gen-services86-test'), finished: () => exporter.getFinishedSpans(), provider };
}

test('OpenTelemetry: one span per call with rpc.system, rpc.service, rpc.method, server.address and the error status', async () => {
  const { tracer, finished, provider } = testTracer();
  const { hooks, open } = openTelemetryHooks(tracer);
  const so = new SuperOfficeClient({
    environment: fake.origin,
    tenant: 'Cust12345',
    applicationToken: fake.applicationToken,
    ticket: systemUserTicket({ systemUserToken: fake.systemUserToken, privateKey: fake.appKey.pkcs8Pem }),
    hooks,
    retry: { baseDelayMs: 1 },
  });
  await so.email.getEMailAccount({ EMailAccountId: 1 });
  fake.hosts[0]!.queue.push({ status: 503, headers: { 'retry-after': '0' } });
  await so.email.getEMailAccount({ EMailAccountId: 2 }); // two attempts, still one span
  fake.hosts[0]!.queue.push({ status: 500, body: `<html>error for ${fake.applicationToken}</html>` });
  await assert.rejects(so.email.getEMailAccount({ EMailAccountId: 3 }), HttpError);

  const spans = finished();
  assert.equal(spans.length, 3, 'one span per call, not per attempt');
  for (const span of spans) {
    assert.equal(span.name, 'EMail/GetEMailAccount');
    assert.equal(span.kind, SpanKind.CLIENT);
    assert.equal(span.attributes['rpc.system'], 'soap');
    assert.equal(span.attributes['rpc.service'], 'EMail');
    assert.equal(span.attributes['rpc.method'], 'GetEMailAccount');
    assert.equal(span.attributes['server.address'], '127.0.0.1');
  }
  assert.deepEqual(spans.map((s) => s.attributes['gen_services86.attempts']), [1, 2, 1]);
  assert.deepEqual(spans.map((s) => s.status.code), [SpanStatusCode.UNSET, SpanStatusCode.UNSET, SpanStatusCode.ERROR]);
  assert.equal(spans[2]!.attributes['http.response.status_code'], 500);
  assert.match(spans[2]!.status.message ?? '', /HTTP 500/);
  assert.ok(!JSON.stringify(spans.map((s) => [s.attributes, s.status, s.events])).includes(fake.applicationToken), 'no secret in any span');
  assert.equal(open.size, 0, 'no span left open');
  await provider.shutdown();
});

test('OpenTelemetry: calls at once inside a span are each its child, and each sends its own span as traceparent, on every attempt', async () => {
  const { tracer, finished, provider } = testTracer();
  const { hooks: spanHooks, open } = openTelemetryHooks(tracer);
  // Every event's callId, by hook, to see that one call's events share one and two calls' differ.
  const ids: Record<string, Set<number>> = { onRequest: new Set(), onXml: new Set(), onAttempt: new Set(), onCall: new Set() };
  const hooks: Hooks = {
    onRequest: (info) => (ids['onRequest']!.add(info.callId), spanHooks.onRequest!(info)),
    onXml: (event) => void ids['onXml']!.add(event.callId),
    onAttempt: (event) => void ids['onAttempt']!.add(event.callId),
    onCall: (event) => (ids['onCall']!.add(event.callId), spanHooks.onCall!(event)),
  };
  // The server answers no first request before both calls' first requests have come: they run at
  // once. Account 2's first attempt fails (a fault, HTTP 500), and is retried: a read listed as safe.
  const traceparents: { account: number; traceparent: string }[] = [];
  let bothArrived: () => void = () => undefined;
  const arrived = new Promise<void>((resolve) => (bothArrived = resolve));
  let failedOnce = false;
  const mock = createEMailMockServer({
    GetEMailAccount: async ({ EMailAccountId = 0 }, ctx) => {
      traceparents.push({ account: EMailAccountId, traceparent: String(ctx.request.headers['traceparent']) });
      if (traceparents.length === 2) bothArrived();
      await arrived;
      if (EMailAccountId === 2 && !failedOnce) {
        failedOnce = true;
        throw new Error('busy');
      }
      return { Response: { EMailAccountId } };
    },
  });
  const server = await mock.listen();
  try {
    const email = new EMailAgent({ endpoint: server.url, ticket: 'a-ticket', hooks, retry: { safeOperations: ['GetEMailAccount'], baseDelayMs: 1 } });
    const job = await tracer.startActiveSpan('job', async (span) => {
      await Promise.all([email.getEMailAccount({ EMailAccountId: 1 }), email.getEMailAccount({ EMailAccountId: 2 })]);
      span.end();
      return span.spanContext();
    });

    const calls = finished().filter((s) => s.name === 'EMail/GetEMailAccount');
    assert.equal(calls.length, 2, 'one span per call');
    for (const span of calls) {
      assert.equal(span.kind, SpanKind.CLIENT);
      assert.equal(span.spanContext().traceId, job.traceId);
      assert.equal(span.parentSpanContext?.spanId, job.spanId, "each call's span is a child of the caller's span");
    }
    const spanOfAccount = new Map(calls.map((s) => [s.attributes['gen_services86.attempts'] === 2 ? 2 : 1, s.spanContext()]));
    assert.equal(spanOfAccount.size, 2, 'one call took one attempt, the other two');
    assert.deepEqual(traceparents.map((t) => t.account).sort(), [1, 2, 2]);
    for (const { account, traceparent } of traceparents) {
      const sent = parseTraceParent(traceparent);
      assert.equal(sent?.traceId, job.traceId, traceparent);
      assert.equal(sent?.spanId, spanOfAccount.get(account)!.spanId, `account ${account}'s requests name its call's span (${traceparent})`);
    }
    assert.notEqual(spanOfAccount.get(1)!.spanId, spanOfAccount.get(2)!.spanId);

    for (const [hook, seen] of Object.entries(ids)) assert.equal(seen.size, 2, `${hook}: one callId per call, ${[...seen].join(', ')}`);
    assert.deepEqual([...ids['onRequest']!].sort(), [...ids['onCall']!].sort());
    assert.deepEqual([...ids['onAttempt']!].sort(), [...ids['onCall']!].sort());
    assert.equal(open.size, 0, 'no span left open');
  } finally {
    await server.close();
    await provider.shutdown();
  }
});

test('OpenTelemetry: a call that ends before any request, or fails, or times out, is one span, and none is left open', async () => {
  const { tracer, finished, provider } = testTracer();
  const { hooks, open } = openTelemetryHooks(tracer);
  const mock = createEMailMockServer({
    GetEMailAccount: async ({ EMailAccountId = 0 }) => {
      if (EMailAccountId === 9) await new Promise((resolve) => setTimeout(resolve, 1_000)); // longer than the call's time limit
      if (EMailAccountId === 5) throw new Error('not today');
      return { Response: { EMailAccountId } };
    },
  });
  const server = await mock.listen();
  try {
    const email = new EMailAgent({ endpoint: server.url, ticket: 'a-ticket', hooks });
    const noTicket = new EMailAgent({ endpoint: server.url, hooks, ticket: () => Promise.reject(new Error('the ticket store is down')) });
    const job = await tracer.startActiveSpan('job', async (span) => {
      await assert.rejects(email.getEMailAccount({ EMailAccountId: 1 }, { signal: AbortSignal.abort() }), TransportError); // attempt 0: the agent's onCall
      await assert.rejects(noTicket.getEMailAccount({ EMailAccountId: 2 }), /the ticket store is down/); // attempt 1, no request sent
      await assert.rejects(email.getEMailAccount({ EMailAccountId: 5 }), /not today/); // a fault
      await assert.rejects(email.getEMailAccount({ EMailAccountId: 9 }, { timeoutMs: 100 }), TransportError); // sent, no answer in time
      assert.equal((await email.getEMailAccount({ EMailAccountId: 3 }))?.EMailAccountId, 3);
      span.end();
      return span.spanContext();
    });

    const calls = finished().filter((s) => s.name === 'EMail/GetEMailAccount');
    assert.deepEqual(calls.map((s) => s.attributes['gen_services86.attempts']), [0, 1, 1, 1, 1], 'one span per call, in order');
    assert.deepEqual(calls.map((s) => s.status.code), [SpanStatusCode.ERROR, SpanStatusCode.ERROR, SpanStatusCode.ERROR, SpanStatusCode.ERROR, SpanStatusCode.UNSET]);
    for (const span of calls) assert.equal(span.parentSpanContext?.spanId, job.spanId, 'also a call without a request is a child of the caller');
    assert.equal(new Set(calls.map((s) => s.spanContext().spanId)).size, 5);
    assert.equal(open.size, 0, 'no span left open');
  } finally {
    await server.close();
    await provider.shutdown();
  }
});
