// An xs:anyType element (WCF `object`: StringObjectDictionary's Value in Webhook) names its value's
// type with xsi:type. WCF writes .NET's Guid, char and TimeSpan there with the types of its
// Serialization namespace (ser:guid, ser:char, ser:duration); the decoder reads them as the scalars
// the generated types give those types (a string, a one-character string, an ISO 8601 duration).
// An xsi:type in the XSD namespace that names no type the runtime reads is a DecodeError: it once
// decoded to undefined, so a dictionary entry vanished without a word. And what is read can be
// written back: an array or dictionary read by its xsi:type carries it as `$type` (not enumerable),
// as a complex value does (GetWebhook, then SaveWebhook of the same Webhook once failed to encode).
// WCF writes an enum in an object field with its contract's name (i:type="b:WebhookState"): read as
// the enumeration's value (a string), or its flags (an array), checked against its values.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeEnvelope } from '../../templates/runtime/decode.js';
import { Encoder } from '../../templates/runtime/encode.js';
import { DecodeError } from '../../templates/runtime/errors.js';
import { fieldLine, schema, schemaIndex } from '../../templates/runtime/schema.js';

const SER = 'http://schemas.microsoft.com/2003/10/Serialization/';
const XSD = 'http://www.w3.org/2001/XMLSchema';
const index = schemaIndex(
  schema(['urn:t', 'http://schemas.microsoft.com/2003/10/Serialization/Arrays'], {
    R: ['complex', 'R', 0, ['Data 0 D optional nillable']],
    D: ['dictionary', 'D', 0, 'E 0 - optional repeated', 'Key 0 xs:string nillable', 'Value 0 xs:anyType nillable'],
    ArrayOfstring: ['array', 'ArrayOfstring', 1, 'string 1 xs:string optional nillable repeated'],
    IntDict: ['dictionary', 'IntDict', 0, 'P 0 - optional repeated', 'Key 0 xs:int', 'Value 0 xs:string nillable'],
    State: ['enumeration', ['Active', 'Stopped']],
    Rights: ['list', 'State'],
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

test('xs:anyType: an array, a dictionary and a complex value read by their xsi:type are written back with it', () => {
  const data =
    '<E><Key>list</Key><Value i:type="b:ArrayOfstring" xmlns:b="http://schemas.microsoft.com/2003/10/Serialization/Arrays"><b:string>x</b:string><b:string i:nil="true"/></Value></E>' +
    '<E><Key>self</Key><Value i:type="D"><E><Key>n</Key><Value i:type="x:int" xmlns:x="http://www.w3.org/2001/XMLSchema">1</Value></E></Value></E>' +
    '<E><Key>ints</Key><Value i:type="IntDict"><P><Key>7</Key><Value>seven</Value></P></Value></E>' +
    '<E><Key>r</Key><Value i:type="R"/></E>';
  const xml = (body: string) =>
    '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">' +
    `<s:Body><R xmlns="urn:t"><Data>${body}</Data></R></s:Body></s:Envelope>`;
  const first = decodeEnvelope(index, msg, xml(data), 'Op').body;
  const values = first['Data'] as Record<string, unknown>;
  // The values are what the types say; $type is not an item, nor a key (JSON and Object.keys do not see it).
  assert.equal(JSON.stringify(values), '{"list":["x",null],"self":{"n":1},"ints":[{"Key":7,"Value":"seven"}],"r":{"$type":"R"}}');
  assert.deepEqual([(values['list'] as { $type?: unknown }).$type, (values['self'] as { $type?: unknown }).$type, (values['ints'] as { $type?: unknown }).$type], ['ArrayOfstring', 'D', 'IntDict']);
  const written = new Encoder(index, 'Op').element(fieldLine('R 0 R'), first, { parent: undefined, name: 'R', index: -1 });
  const envelope =
    '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"' +
    ` xmlns:xsd="${XSD}" xmlns:ns0="urn:t" xmlns:ns1="http://schemas.microsoft.com/2003/10/Serialization/Arrays"><s:Body>${written}</s:Body></s:Envelope>`;
  const again = decodeEnvelope(index, msg, envelope, 'Op').body;
  assert.equal(JSON.stringify(again), JSON.stringify(first));
  assert.equal((((again['Data'] as Record<string, unknown>)['list']) as { $type?: unknown }).$type, 'ArrayOfstring');
});

test('xs:anyType: a dictionary read by its xsi:type whose data holds a key "$type" keeps it as data (no TypeError)', () => {
  const value = decodeValue('<Value i:type="D"><E><Key>$type</Key><Value>x</Value></E><E><Key>__proto__</Key><Value>y</Value></E></Value>');
  assert.equal(JSON.stringify(value), '{"$type":"x","__proto__":"y"}');
});

test('xs:anyType: an enumeration or xs:list (flags) of the service by its xsi:type decodes as its value', () => {
  assert.equal(decodeValue('<Value i:type="b:State" xmlns:b="urn:t">Active</Value>'), 'Active');
  assert.deepEqual(decodeValue('<Value i:type="Rights">Active Stopped</Value>'), ['Active', 'Stopped']);
  assert.throws(() => decodeValue('<Value i:type="State">Gone</Value>'), /"Gone" is not a known value .* at R\/Data\/E\[0\]\/Value/);
  assert.throws(() => decodeValue('<Value i:type="b:State" xmlns:b="urn:other">Active</Value>'), /xsi:type "b:State" is not a type of this service/);
});
