// The generated EMailAgent against the generated EMail mock, over HTTP on 127.0.0.1, for every one
// of the 80 operations. The values are built from the schema metadata: every element of every
// type is filled (to a nesting depth of 5), with XML-special and non-ASCII text, boundary
// numbers, dates with milliseconds, enumeration and flag lists, base64 bytes, dictionaries and
// null array items. Each test checks what the handler received (input and request headers), what
// the mock recorded, and what the typed client method returned.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { EMailAgent, EMailOperations, EMailSchema } from '../../generated/EMail/index.js';
import { createEMailMockServer, type ListeningMock } from '../../generated/EMail/mock.js';
import type { FieldDesc, TypeDesc } from '../../generated/runtime/internal.js';

const TICKET = '7T:bW9jayB0aWNrZXQ=';
const TOKEN = 'app-token-0c5e';
const TIME_ZONE = { SoTimeZoneId: 287, SoTimeZoneLocationCode: 'NO' };

/** Depth below which optional elements are still filled (the schema is recursive). */
const MAX_DEPTH = 5;

/** Deterministic, non-trivial values of any EMail schema type. */
class Sampler {
  private n = 0;

  private next(): number {
    return ++this.n;
  }

  scalar(type: string, path: string): unknown {
    const n = this.next();
    switch (type) {
      case 'xs:string':
        return n % 3 === 0 ? `  ${path} <&> "quoted" 'single' ]]> æøå 😀\r\n\ttab  ` : `${path} #${n} & <x/>`;
      case 'xs:boolean':
        return n % 2 === 0;
      case 'xs:int':
        return n % 4 === 0 ? -2147483648 : n % 4 === 1 ? 2147483647 : n * 1009;
      case 'xs:short':
        return n % 2 === 0 ? -32768 : 32767;
      case 'xs:long':
        return n % 2 === 0 ? Number.MAX_SAFE_INTEGER : -n;
      case 'xs:double':
        return n % 2 === 0 ? 1234.5625 : -0.125e-10;
      case 'xs:dateTime':
        return new Date(Date.UTC(2024, n % 12, (n % 28) + 1, n % 24, n % 60, 7, n % 1000));
      case 'xs:duration':
        return `P${n}DT2H3M4.5S`;
      case 'xs:base64Binary':
        return Uint8Array.from({ length: 5 + (n % 7) }, (_, i) => (i * 37 + n) % 256);
      case 'xs:char':
        return n % 2 === 0 ? 'Ø' : 'x';
      case 'xs:anyType':
        return n % 2 === 0 ? `any ${n}` : n;
      default:
        throw new Error(`no sample for ${type} at ${path}`);
    }
  }

  value(type: string, path: string, depth: number): unknown {
    if (type.startsWith('xs:')) return this.scalar(type, path);
    const desc: TypeDesc | undefined = EMailSchema.types[type];
    if (!desc) throw new Error(`unknown type ${type}`);
    switch (desc.kind) {
      case 'enum':
        return desc.values[this.next() % desc.values.length];
      case 'list':
        return [this.value(desc.item, path, depth), this.value(desc.item, path, depth)].filter((v, i, a) => a.indexOf(v) === i);
      case 'restricted':
        if (desc.patterns.some((p) => p.includes('[\\da-fA-F]{8}'))) return `0c5e6a7b-1d2e-4f30-8a4b-${String(this.next()).padStart(12, '0')}`;
        return this.value(desc.base, path, depth);
      case 'array': {
        const items = [this.item(desc.item, `${path}/${desc.item.name}`, depth + 1), this.item(desc.item, `${path}/${desc.item.name}`, depth + 1)];
        if (desc.item.nillable) items.push(null);
        return items;
      }
      case 'dict': {
        if (!desc.record) {
          return [{ Key: this.item(desc.key, `${path}/Key`, depth + 1), Value: this.item(desc.value, `${path}/Value`, depth + 1) }];
        }
        const out: Record<string, unknown> = {};
        out[`key ${this.next()} <&>`] = this.item(desc.value, `${path}/Value`, depth + 1);
        out[`key-${this.next()}`] = desc.value.nillable ? null : this.item(desc.value, `${path}/Value`, depth + 1);
        return out;
      }
      case 'complex':
        return this.complex(type, path, depth);
    }
  }

  private item(f: FieldDesc, path: string, depth: number): unknown {
    if (depth > MAX_DEPTH && f.nillable) return null;
    return this.value(f.type, path, depth);
  }

  complex(type: string, path: string, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const f of fieldsOf(type)) {
      if (f.optional && depth >= MAX_DEPTH) continue;
      const one = () => this.item(f, `${path}/${f.name}`, depth + 1);
      out[f.name] = f.repeated ? [one(), one()] : one();
    }
    return out;
  }
}

function fieldsOf(type: string): FieldDesc[] {
  const desc = EMailSchema.types[type];
  if (!desc || desc.kind !== 'complex') throw new Error(`${type} is not complex`);
  return [...(desc.base ? fieldsOf(desc.base) : []), ...desc.fields];
}

/** What the typed method returns for a response element's content (see client.ts). */
function methodResult(type: string, output: Record<string, unknown>): unknown {
  const fields = fieldsOf(type);
  if (fields.length === 0) return undefined;
  if (fields.length === 1 && fields[0]!.name === 'Response') return output['Response'] ?? (fields[0]!.nillable ? null : undefined);
  return output;
}

/** Counts the leaves of a value: how much a sample actually carries. */
function leaves(value: unknown): number {
  if (value === null || typeof value !== 'object' || value instanceof Date || value instanceof Uint8Array) return 1;
  return Object.values(value).reduce<number>((sum, v) => sum + leaves(v), 0);
}

const names = Object.keys(EMailOperations) as (keyof typeof EMailOperations)[];

let listening: ListeningMock;
const mock = createEMailMockServer();
const email = new EMailAgent({ ticket: TICKET, applicationToken: TOKEN, timeZone: TIME_ZONE, timeoutMs: 20_000 });
let agent: EMailAgent;

before(async () => {
  listening = await mock.listen();
  agent = new EMailAgent({ baseUrl: listening.baseUrl, ticket: TICKET, applicationToken: TOKEN, timeZone: TIME_ZONE, timeoutMs: 20_000 });
});
after(() => listening.close());

describe('EMailAgent ↔ generated EMail mock: all operations', () => {
  test('the EMail agent has 80 operations, all with a response', () => {
    assert.equal(names.length, 80);
    assert.ok(names.every((n) => EMailOperations[n].desc.output !== undefined));
    // No address given: none is used (the WSDL's is only a placeholder; see useWsdlAddress).
    assert.equal(email.endpoint, undefined);
    assert.equal(email.wsdlAddress, 'https://sod.superoffice.com/Cust12345/Remote/Services86/EMail.svc');
  });

  for (const name of names) {
    test(name, async () => {
      const codec = EMailOperations[name];
      const sampler = new Sampler();
      const input = sampler.complex(codec.desc.input.body.type, name, 0);
      const output = sampler.complex(codec.desc.output!.body.type, `${name}Response`, 0);
      const inputLeaves = leaves(input);
      const outputLeaves = leaves(output);
      if (fieldsOf(codec.desc.input.body.type).length > 0) assert.ok(inputLeaves >= 1, 'the request sample carries values');
      if (fieldsOf(codec.desc.output!.body.type).length > 0) assert.ok(outputLeaves >= 1, 'the response sample carries values');

      const seen: { input: unknown; ctx: { ticket?: string | undefined; applicationToken?: string | undefined; soapAction?: string | undefined; headers: unknown } }[] = [];
      const handlers = mock.handlers as Record<string, unknown>;
      handlers[name] = async (received: unknown, ctx: { ticket: string | undefined; applicationToken: string | undefined; soapAction: string | undefined; headers: unknown }) => {
        seen.push({ input: received, ctx: { ticket: ctx.ticket, applicationToken: ctx.applicationToken, soapAction: ctx.soapAction, headers: ctx.headers } });
        return output;
      };
      mock.reset();
      try {
        const method = (name.charAt(0).toLowerCase() + name.slice(1)) as keyof EMailAgent;
        const call = agent[method] as unknown as (this: EMailAgent, input: unknown) => Promise<unknown>;
        const result = await call.call(agent, input);

        assert.equal(seen.length, 1, 'the handler ran once');
        assert.deepStrictEqual(seen[0]!.input, input, 'the handler received the input');
        assert.equal(seen[0]!.ctx.ticket, TICKET);
        assert.equal(seen[0]!.ctx.applicationToken, TOKEN);
        assert.equal(seen[0]!.ctx.soapAction, codec.soapAction);
        assert.deepStrictEqual(seen[0]!.ctx.headers, { ApplicationToken: TOKEN, Credentials: { Ticket: TICKET }, TimeZone: TIME_ZONE });
        assert.deepStrictEqual(mock.calls, [
          { operation: name, input, headers: { ApplicationToken: TOKEN, Credentials: { Ticket: TICKET }, TimeZone: TIME_ZONE }, soapAction: codec.soapAction },
        ]);
        assert.deepStrictEqual(result, methodResult(codec.desc.output!.body.type, output), 'the method returned the handler output');

        // The whole reply, with the response headers the mock adds.
        const whole = await agent.invoke(name, input as never);
        assert.deepStrictEqual(whole.output, output);
        assert.deepStrictEqual(whole.headers, { Succeeded: true, TimeZone: TIME_ZONE });
        assert.equal(whole.httpStatus, 200);
      } finally {
        delete handlers[name];
      }
    });
  }

  test('the samples are non-trivial: every Response is filled, over 10 000 values in all', () => {
    let total = 0;
    for (const name of names) {
      const out = new Sampler().complex(EMailOperations[name].desc.output!.body.type, name, 0);
      if (fieldsOf(EMailOperations[name].desc.output!.body.type).length > 0) assert.notEqual(out['Response'], undefined, name);
      total += leaves(out) + leaves(new Sampler().complex(EMailOperations[name].desc.input.body.type, name, 0));
    }
    assert.ok(total > 10_000, `${total} values in all samples`);
  });
});
