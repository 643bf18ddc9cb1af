// An xs:anyType element (WCF `object`: StringObjectDictionary's Value in Webhook) names its value's
// type with xsi:type. WCF writes .NET's Guid, char and TimeSpan there with the types of its
// Serialization namespace (ser:guid, ser:char, ser:duration); the decoder reads them as the scalars
// the generated types give those types (a string, a one-character string, an ISO 8601 duration).
// An xsi:type in the XSD namespace that names no type the runtime reads is a DecodeError: it once
// decoded to undefined, so a dictionary entry vanished without a word.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeEnvelope } from '../../templates/runtime/decode.js';
import { DecodeError } from '../../templates/runtime/errors.js';
import { fieldLine, schema, schemaIndex } from '../../templates/runtime/schema.js';

const SER = 'http://schemas.microsoft.com/2003/10/Serialization/';
const XSD = 'http://www.w3.org/2001/XMLSchema';
const index = schemaIndex(
  schema(['urn:t'], {
    R: ['complex', 'R', 0, ['Data 0 D optional nillable']],
    D: ['dictionary', 'D', 0, 'E 0 - optional repeated', 'Key 0 xs:string nillable', 'Value 0 xs:anyType nillable'],
  }),
);
const msg = { body: fieldLine('R 0 R'), headers: [] };

function decodeValue(value: string): unknown {
  const xml =
    '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">' +
    `<s:Body><R xmlns="urn:t"><Data><E><Key>k</Key>${value}</E></Data></R></s:Body></s:Envelope>`;
  const data = decodeEnvelope(index, msg, xml, 'Op').body['Data'] as Record<string, unknown>;
  assert.ok(Object.prototype.hasOwnProperty.call(data, 'k'), 'the entry is kept');
  return data['k'];
}

test('xs:anyType: WCF Serialization types (guid, char, duration) decode as their scalars', () => {
  const guid = '6f9619ff-8b86-d011-b42d-00c04fc964ff';
  assert.equal(decodeValue(`<Value i:type="a:guid" xmlns:a="${SER}">${guid}</Value>`), guid);
  assert.equal(decodeValue(`<Value i:type="a:char" xmlns:a="${SER}">65</Value>`), 'A');
  assert.equal(decodeValue(`<Value i:type="a:duration" xmlns:a="${SER}">PT1H30M</Value>`), 'PT1H30M');
  assert.throws(() => decodeValue(`<Value i:type="a:duration" xmlns:a="${SER}">1 hour</Value>`), /not an ISO 8601 duration/);
  assert.equal(decodeValue(`<Value i:type="x:int" xmlns:x="${XSD}">5</Value>`), 5);
  assert.equal(decodeValue(`<Value i:type="x:anyType" xmlns:x="${XSD}">t</Value>`), 't');
});

test('xs:anyType: an xsi:type naming no type the runtime reads is a DecodeError, not an undefined value', () => {
  for (const [prefix, ns, local] of [['x', XSD, 'integer'], ['x', XSD, 'char'], ['x', XSD, 'toString'], ['a', SER, 'anyURI']] as const) {
    assert.throws(
      () => decodeValue(`<Value i:type="${prefix}:${local}" xmlns:${prefix}="${ns}">5</Value>`),
      (err: unknown) => err instanceof DecodeError && new RegExp(`xsi:type "${prefix}:${local}" is not a type of this service at R/Data/E\\[0\\]/Value`).test(err.message),
      `${prefix}:${local}`,
    );
  }
});
