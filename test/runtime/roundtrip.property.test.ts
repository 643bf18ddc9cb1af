// Property-based round trips over the whole EMail schema: for every operation (request and
// response, with headers) and every complex type, random values encode → decode → deep-equal.
// CI runs a fixed seed with 200 runs each; `npm run fuzz` runs longer with a random seed
// (FUZZ_RUNS, FUZZ_SEED), and prints the seed of any failure so it can be replayed.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { EMailOperations, EMailSchema } from '../../generated/EMail/index.js';
// The runtime the EMail agent imports (generated/runtime/, templates/runtime/ copied under a header,
// see runtime-files.test.ts), not a second copy of it: one set of functions for the JIT to warm.
import { defineOperation } from '../../generated/runtime/operation.js';
import { field, type FieldDesc, type MessageDesc } from '../../generated/runtime/schema.js';
import { complexArbitrary } from '../support/arbitraries.js';

const runs = Number(process.env['FUZZ_RUNS'] ?? 200);
const seed = process.env['FUZZ_SEED'] === 'random' ? Date.now() | 0 : Number(process.env['FUZZ_SEED'] ?? 20261128);
const params = { numRuns: runs, seed, endOnFailure: true };

type Codec = (typeof EMailOperations)[keyof typeof EMailOperations];

describe(`EMail operations round-trip (seed ${seed}, ${runs} runs each)`, () => {
  for (const codec of Object.values(EMailOperations) as Codec[]) {
    const { input, output } = codec.desc;
    test(`${codec.name}: request and response`, () => {
      // Header blocks are a complex type of their own for the arbitrary: every block optional.
      const headerShape = (fields: readonly FieldDesc[]) =>
        complexArbitrary({ namespaces: EMailSchema.namespaces, types: { ...EMailSchema.types, $headers: { kind: 'complex', name: '$headers', ns: 0, fields } } }, '$headers');
      /** encode → decode → the same value and headers, for one direction of the operation. */
      const roundTrip = (msg: MessageDesc, encode: (v: unknown, h: unknown) => string, decode: (xml: string) => { value: unknown; headers: unknown }) =>
        fc.assert(
          fc.property(complexArbitrary(EMailSchema, msg.body.type), headerShape(msg.headers), (value, headers) => {
            const back = decode(encode(value, headers));
            assert.deepStrictEqual(back.value, value);
            assert.deepStrictEqual(back.headers, headers);
          }),
          params,
        );
      roundTrip(input, codec.encodeRequest as (v: unknown, h: unknown) => string, (xml) => {
        const { input: value, headers } = codec.decodeRequest(xml);
        return { value, headers };
      });
      if (output) {
        roundTrip(output, codec.encodeResponse as (v: unknown, h: unknown) => string, (xml) => {
          const { output: value, headers } = codec.decodeResponse(xml);
          return { value, headers };
        });
      }
    });
  }
});

describe(`EMail complex types round-trip (seed ${seed}, ${runs} runs each)`, () => {
  const complexKeys = Object.keys(EMailSchema.types).filter((k) => EMailSchema.types[k]!.kind === 'complex');

  test('the schema has complex types to test', () => assert.ok(complexKeys.length > 50));

  for (const key of complexKeys) {
    test(key, () => {
      // A request whose body holds one nillable element of the type: the whole codec path.
      const schema = {
        namespaces: EMailSchema.namespaces,
        types: { ...EMailSchema.types, $Holder: { kind: 'complex' as const, name: 'Holder', ns: 0, fields: [field('Value', 0, key, 'nillable')] } },
      };
      const codec = defineOperation<{ Value: unknown }, unknown, unknown, unknown>(schema, {
        name: 'Hold',
        soapAction: 'urn:hold',
        soapVersion: '1.1',
        input: { body: field('Holder', 0, '$Holder'), headers: [] },
      });
      fc.assert(
        fc.property(complexArbitrary(EMailSchema, key), (value) => {
          assert.deepStrictEqual(codec.decodeRequest(codec.encodeRequest({ Value: value })).input, { Value: value });
        }),
        { ...params, numRuns: Math.max(20, Math.round(runs / 4)) },
      );
    });
  }
});
