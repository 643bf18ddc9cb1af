// The hooks wired into OpenTelemetry (dev dependency only): one CLIENT span per call, from onCall,
// with the RPC semantic-convention attributes and the error status — against the fake Online.
import assert from 'node:assert/strict';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { after, before, test } from 'node:test';
import { HttpError, SuperOfficeClient, systemUserTicket, type Hooks } from '../../generated/index.js';
import { startFakeOnline, type FakeOnline } from '../support/fake-online.js';

let fake: FakeOnline;
before(async () => {
  fake = await startFakeOnline();
});
after(() => fake.close());

/** What a user writes: the hooks as an OpenTelemetry instrumentation. */
function openTelemetryHooks(tracer: ReturnType<BasicTracerProvider['getTracer']>): Hooks {
  return {
    onCall(event) {
      const url = event.url === undefined ? undefined : new URL(event.url);
      const span = tracer.startSpan(`${event.service}/${event.operation}`, {
        kind: SpanKind.CLIENT,
        startTime: event.startTime,
        attributes: {
          'rpc.system': 'soap',
          'rpc.service': event.service,
          'rpc.method': event.operation,
          ...(url ? { 'server.address': url.hostname, 'server.port': Number(url.port), 'url.full': event.url } : {}),
          ...(event.status === undefined ? {} : { 'http.response.status_code': event.status }),
          'gen_services86.attempts': event.attempt,
          'http.request.body.size': event.requestBytes,
          'http.response.body.size': event.responseBytes,
        },
      });
      if (event.error !== undefined) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: (event.error as Error).message });
        span.recordException(event.error as Error);
      }
      span.end(event.startTime + event.durationMs);
    },
  };
}

test('OpenTelemetry: one span per call with rpc.system, rpc.service, rpc.method, server.address and the error status', async () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const so = new SuperOfficeClient({
    environment: fake.origin,
    tenant: 'Cust12345',
    applicationToken: fake.applicationToken,
    ticket: systemUserTicket({ systemUserToken: fake.systemUserToken, privateKey: fake.appKey.pkcs8Pem }),
    hooks: openTelemetryHooks(provider.getTracer('gen-services86-test')),
    retry: { baseDelayMs: 1 },
  });
  await so.email.getEMailAccount({ EMailAccountId: 1 });
  fake.hosts[0]!.queue.push({ status: 503, headers: { 'retry-after': '0' } });
  await so.email.getEMailAccount({ EMailAccountId: 2 }); // two attempts, still one span
  fake.hosts[0]!.queue.push({ status: 500, body: `<html>error for ${fake.applicationToken}</html>` });
  await assert.rejects(so.email.getEMailAccount({ EMailAccountId: 3 }), HttpError);

  const spans = exporter.getFinishedSpans();
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
  await provider.shutdown();
});
