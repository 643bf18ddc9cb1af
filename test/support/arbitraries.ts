// fast-check arbitraries derived from a generated schema's metadata: random values of any type
// of the service, shaped exactly as the generated TypeScript types describe them. Values are
// chosen so that the round trip is exact by the mapping's own rules (see README): strings keep
// every XML-special and astral character, dates keep milliseconds, nulls appear where nillable.
import fc from 'fast-check';
import type { FieldDesc, SchemaDesc, TypeDesc } from '../../templates/runtime/schema.js';

/** Text XML 1.0 can carry, biased towards the characters that break naive writers. */
const xmlText = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: fc.string({ unit: 'grapheme-composite', maxLength: 8 }) },
      { weight: 2, arbitrary: fc.constantFrom('<', '>', '&', '"', "'", ']]>', '&amp;', '\r\n', '\r', '\t', ' ', '\n', '${x}', '`', '*/') },
      { weight: 1, arbitrary: fc.constantFrom('😀', '𝄞', 'æøå', '\u00a0', '\u2028', '\ufeff') },
    ),
    { maxLength: 6 },
  )
  .map((parts) => parts.join(''))
  .filter((s) => !/[\0-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s));

const int = (min: number, max: number) => fc.oneof(fc.integer({ min, max }), fc.constantFrom(min, max, 0));

const scalars: Record<string, fc.Arbitrary<unknown>> = {
  'xs:string': xmlText,
  'xs:boolean': fc.boolean(),
  'xs:byte': int(-128, 127),
  'xs:short': int(-32768, 32767),
  'xs:int': int(-2147483648, 2147483647),
  'xs:long': int(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
  'xs:unsignedByte': int(0, 255),
  'xs:unsignedShort': int(0, 65535),
  'xs:unsignedInt': int(0, 4294967295),
  'xs:unsignedLong': int(0, Number.MAX_SAFE_INTEGER),
  'xs:float': fc.double(),
  'xs:double': fc.double(),
  'xs:decimal': fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n)),
  'xs:dateTime': fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }),
  'xs:duration': fc
    .tuple(fc.nat(400), fc.nat(23), fc.nat(59), fc.nat(59), fc.boolean())
    .map(([d, h, m, s, neg]) => `${neg ? '-' : ''}P${d}DT${h}H${m}M${s}S`),
  'xs:base64Binary': fc.uint8Array({ maxLength: 40 }),
  'xs:anyURI': fc.webUrl(),
  'xs:QName': fc.constantFrom('tns:Name', 'xs:int', 'local'),
  'xs:char': fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
  'xs:anyType': fc.oneof(xmlText, fc.boolean(), int(-2147483648, 2147483647), fc.date({ noInvalidDate: true, min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59.999Z') }), fc.uint8Array({ maxLength: 8 })),
};

/** Depth after which optional fields are left out and nillable ones are null (schemas are recursive). */
const MAX_DEPTH = 4;

export function valueArbitrary(schema: SchemaDesc, typeKey: string, depth = 0): fc.Arbitrary<unknown> {
  const scalar = scalars[typeKey];
  if (scalar) return scalar;
  const desc = schema.types[typeKey];
  if (!desc) throw new Error(`no arbitrary for ${typeKey}`);
  return typeArbitrary(schema, desc, typeKey, depth);
}

function typeArbitrary(schema: SchemaDesc, desc: TypeDesc, key: string, depth: number): fc.Arbitrary<unknown> {
  switch (desc.kind) {
    case 'enum':
      return fc.constantFrom(...desc.values);
    case 'list':
      return fc.array(valueArbitrary(schema, desc.item, depth), { maxLength: 4 });
    case 'restricted':
      if (desc.patterns.some((p) => p.includes('[\\da-fA-F]{8}'))) return fc.uuid();
      return valueArbitrary(schema, desc.base, depth);
    case 'array':
      return fc.array(itemArbitrary(schema, desc.item, depth + 1), { maxLength: depth >= MAX_DEPTH ? 0 : 3 });
    case 'dict':
      if (desc.record) {
        return fc
          .array(fc.tuple(xmlText.filter((k) => k !== '__proto__'), itemArbitrary(schema, desc.value, depth + 1)), { maxLength: depth >= MAX_DEPTH ? 0 : 3 })
          .map((entries) => Object.fromEntries(entries));
      }
      return fc.array(
        fc.record({ Key: itemArbitrary(schema, desc.key, depth + 1), Value: itemArbitrary(schema, desc.value, depth + 1) }, { noNullPrototype: true }),
        { maxLength: depth >= MAX_DEPTH ? 0 : 2 },
      );
    case 'complex':
      return complexArbitrary(schema, key, depth);
  }
}

/** One element's value: null sometimes where nillable. */
function itemArbitrary(schema: SchemaDesc, f: FieldDesc, depth: number): fc.Arbitrary<unknown> {
  if (depth > MAX_DEPTH && f.nillable) return fc.constant(null);
  const value = valueArbitrary(schema, f.type, depth);
  return f.nillable ? fc.option(value, { nil: null, freq: 5 }) : value;
}

export function fieldsOf(schema: SchemaDesc, key: string): FieldDesc[] {
  const desc = schema.types[key];
  if (!desc || desc.kind !== 'complex') throw new Error(`${key} is not complex`);
  return [...(desc.base ? fieldsOf(schema, desc.base) : []), ...desc.fields];
}

export function complexArbitrary(schema: SchemaDesc, key: string, depth = 0): fc.Arbitrary<Record<string, unknown>> {
  const fields = fieldsOf(schema, key);
  const shape: Record<string, fc.Arbitrary<unknown>> = {};
  const required: string[] = [];
  for (const f of fields) {
    if (f.optional && depth >= MAX_DEPTH) continue;
    const one = itemArbitrary(schema, f, depth + 1);
    // A repeated element that occurs zero times reads back as absent, so arrays are non-empty.
    shape[f.name] = f.repeated ? fc.array(one, { minLength: 1, maxLength: 3 }) : one;
    if (!f.optional) required.push(f.name);
  }
  return fc.record(shape, { requiredKeys: required, noNullPrototype: true }) as fc.Arbitrary<Record<string, unknown>>;
}
