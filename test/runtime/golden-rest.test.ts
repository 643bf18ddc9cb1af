// SuperOffice documents a sample request and response for each method of the REST Agents API
// (copied from docs/rest/EMail/v1EMailAgent_<Op>.md into test/golden/EMail/rest by
// `npm run fixtures:update`). For every EMail operation, in both directions: decode the documented
// JSON with the operation's JSON codec (strict: an undeclared property is an error), encode the
// typed value again, and compare with the document as JSON values (dates by instant, numbers by
// value, properties in any order). Samples that contradict the WSDL (the pages' values are
// generated: unknown enumeration values, placeholder binaries …) are errata
// (test/golden/EMail/rest-errata.json), each with the exact reason; the list must match exactly.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DecodeError, EMailOperations } from '../../generated/EMail/index.js';
import { restCodec } from '../../generated/runtime/index.js';
import { goldenDir } from '../support/paths.js';

const restDir = join(goldenDir, 'EMail', 'rest');
const errata = JSON.parse(readFileSync(join(goldenDir, 'EMail', 'rest-errata.json'), 'utf8')) as { sample: string; reason: string }[];

type Codec = (typeof EMailOperations)[keyof typeof EMailOperations];

interface HttpSample {
  /** Request line or status line. */
  readonly start: string;
  readonly headers: Map<string, string>;
  /** The text after the blank line; undefined when there is none. */
  readonly body: string | undefined;
}

function readHttp(file: string): HttpSample {
  const text = readFileSync(join(restDir, file), 'utf8');
  const blank = text.indexOf('\n\n');
  const head = (blank < 0 ? text : text.slice(0, blank)).trimEnd().split('\n');
  const headers = new Map<string, string>();
  for (const line of head.slice(1)) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const body = blank < 0 ? undefined : text.slice(blank + 2).trim();
  return { start: head[0]!, headers, body: body === '' ? undefined : body };
}

// An ISO 8601 date-time as .NET writes it (up to 7 fraction digits, optional offset).
const DATE_TIME = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)?$/;

/** The instant of a documented date-time in milliseconds, with the sub-millisecond fraction kept (independent of the runtime's parser). */
function instant(text: string): number | undefined {
  const m = DATE_TIME.exec(text);
  if (!m) return undefined;
  const whole = Date.parse(`${m[1]}${m[3] ?? 'Z'}`);
  return whole + (m[2] ? Number(`0${m[2]}`) * 1000 : 0);
}

/** JSON values equal: objects by their properties in any order, numbers by value, date-times by instant (within the millisecond a Date holds). */
function assertSameJson(actual: unknown, documented: unknown, path: string): void {
  if (typeof documented === 'string' && typeof actual === 'string') {
    const a = instant(actual);
    const d = instant(documented);
    if (a !== undefined && d !== undefined) {
      assert.ok(Math.abs(a - d) < 1, `${path}: ${actual} is not the instant ${documented}`);
      return;
    }
  }
  if (Array.isArray(documented)) {
    assert.ok(Array.isArray(actual), `${path}: expected an array`);
    assert.equal(actual.length, documented.length, `${path}: length`);
    documented.forEach((d, i) => assertSameJson(actual[i], d, `${path}[${i}]`));
    return;
  }
  if (typeof documented === 'object' && documented !== null) {
    assert.ok(typeof actual === 'object' && actual !== null && !Array.isArray(actual), `${path}: expected an object`);
    assert.deepEqual(Object.keys(actual).sort(), Object.keys(documented).sort(), `${path}: properties`);
    for (const k of Object.keys(documented)) assertSameJson((actual as Record<string, unknown>)[k], (documented as Record<string, unknown>)[k], `${path}/${k}`);
    return;
  }
  assert.equal(actual, documented, path);
}

/** Every documented date-time decodes to a Date, every other value to its JSON type (an oracle independent of the schema tables). */
function checkTyped(value: unknown, documented: unknown, path: string): void {
  if (typeof documented === 'string' && instant(documented) !== undefined) {
    assert.ok(value instanceof Date, `${path}: a date-time decodes to a Date`);
  } else if (Array.isArray(documented) && Array.isArray(value)) {
    documented.forEach((d, i) => checkTyped(value[i], d, `${path}[${i}]`));
  } else if (typeof documented === 'object' && documented !== null && typeof value === 'object' && value !== null) {
    for (const k of Object.keys(documented)) checkTyped((value as Record<string, unknown>)[k], (documented as Record<string, unknown>)[k], `${path}/${k}`);
  } else if (typeof documented === 'number' || typeof documented === 'boolean') {
    assert.equal(value, documented, path);
  }
}

interface Outcome {
  sample: string;
  equal: boolean;
  reason?: string;
}

function requestRoundTrip(codec: Codec): Outcome {
  const rest = restCodec(codec);
  const sample = `${codec.name}.request`;
  const documented = readHttp(`${sample}.http`);
  assert.equal(documented.start, `POST /api/v1/Agents/EMail/${codec.name}`);
  // The query-string parameters come from the page's example request line, the body from its sample request.
  const queryFile = `${codec.name}.query.http`;
  const hasQuery = readdirSync(restDir).includes(queryFile);
  const queryLine = hasQuery ? readHttp(queryFile).start : undefined;
  const documentedQuery = new URLSearchParams(queryLine?.slice(queryLine.indexOf('?') + 1) ?? '');
  assert.deepEqual(
    [...documentedQuery.keys()].map((k) => k.toLowerCase()),
    rest.query.map((k) => k.toLowerCase()),
    'the generator marks exactly the documented query parameters',
  );
  let encoded: { query: Readonly<Record<string, string>>; body: string | undefined };
  try {
    const { input } = rest.decodeRequest(documentedQuery, documented.body, { unknownElements: 'error' });
    const fields = input as Record<string, unknown>;
    if (rest.entity !== undefined) checkTyped(fields[rest.entity], JSON.parse(documented.body ?? 'null'), codec.name);
    else if (documented.body !== undefined) checkTyped(fields, JSON.parse(documented.body), codec.name);
    encoded = (rest.encodeRequest as (i: unknown) => typeof encoded)(input);
  } catch (err) {
    if (err instanceof DecodeError) return { sample, equal: false, reason: err.message };
    throw err;
  }
  for (const [k, v] of documentedQuery) {
    const name = Object.keys(encoded.query).find((q) => q.toLowerCase() === k.toLowerCase());
    assert.ok(name !== undefined, `query parameter ${k} is sent`);
    assert.equal(Number(encoded.query[name]), Number(v), `query parameter ${k}`);
  }
  assert.equal(Object.keys(encoded.query).length, [...documentedQuery.keys()].length);
  if (documented.body === undefined) {
    // No body documented: the request has no body fields, or (all optional) none were given.
    if (encoded.body !== undefined) assert.deepEqual(JSON.parse(encoded.body), {});
  } else {
    assert.ok(encoded.body !== undefined, 'a body is sent');
    assertSameJson(JSON.parse(encoded.body), JSON.parse(documented.body), codec.name);
  }
  return { sample, equal: true };
}

function responseRoundTrip(codec: Codec): Outcome {
  const rest = restCodec(codec);
  const sample = `${codec.name}.response`;
  const documented = readHttp(`${sample}.http`);
  const status = Number(documented.start.split(' ')[1]);
  assert.equal(status, rest.noContent ? 204 : 200, 'the documented status: 204 exactly when the response has no fields');
  let encoded: string;
  try {
    const { output } = rest.decodeResponse(documented.body ?? '', { unknownElements: 'error' });
    if (!rest.noContent) checkTyped((output as { Response?: unknown }).Response, JSON.parse(documented.body ?? 'null'), codec.name);
    encoded = (rest.encodeResponse as (o: unknown) => string)(output);
  } catch (err) {
    if (err instanceof DecodeError) return { sample, equal: false, reason: err.message };
    throw err;
  }
  if (rest.noContent) {
    // The pages show a 204's empty body as `null`.
    assert.equal(encoded, '');
    assert.ok(documented.body === undefined || documented.body === 'null');
  } else {
    assertSameJson(JSON.parse(encoded), JSON.parse(documented.body ?? 'null'), codec.name);
  }
  return { sample, equal: true };
}

describe('EMail REST samples (SuperOffice Agents API documentation)', () => {
  const codecs = Object.values(EMailOperations) as Codec[];
  const outcomes: Outcome[] = [];

  test('the corpus has a sample request and response for each of the 80 operations', () => {
    assert.equal(codecs.length, 80);
    const files = readdirSync(restDir).filter((f) => /\.(request|response)\.http$/.test(f)).sort();
    assert.deepEqual(files, codecs.flatMap((c) => [`${c.name}.request.http`, `${c.name}.response.http`]).sort());
  });

  for (const codec of codecs) {
    test(`${codec.name}: documented request → typed values → JSON ≡ documented`, () => {
      outcomes.push(requestRoundTrip(codec));
    });
    test(`${codec.name}: documented response → typed values → JSON ≡ documented`, () => {
      outcomes.push(responseRoundTrip(codec));
    });
  }

  test('errata: exactly the listed samples contradict the WSDL, for exactly the listed reasons', (t) => {
    assert.equal(outcomes.length, 160);
    const failed = outcomes
      .filter((o) => !o.equal)
      .map(({ sample, reason }) => ({ sample, reason }))
      .sort((a, b) => (a.sample < b.sample ? -1 : 1));
    t.diagnostic(`REST golden: ${outcomes.length - failed.length} of 160 samples equal; ${failed.length} errata`);
    assert.deepEqual(failed, errata);
  });
});
