// The encoder's decisions (templates/runtime/encode.ts, the writing side of scalars.ts and xml.ts)
// through the generated EMail codecs and a small schema with dictionaries and xs:anyType: what is
// written, what is escaped, and the exact EncodeError (message and element path) for what the
// schema does not allow. Each value must also come back unchanged through the decoder.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EMailOperations, EncodeError } from '../../generated/EMail/index.js';
import { restCodec } from '../../generated/runtime/index.js';
import { Encoder } from '../../generated/runtime/encode.js';
import { field, schemaIndex, type SchemaDesc } from '../../generated/runtime/schema.js';

const send = EMailOperations.Send;
const HEADERS = { ApplicationToken: 'app', Credentials: { Ticket: 't' } };

/** The Send body's XML for these emails (between <ns0:Emails> and </ns0:Emails>). */
function emailsXml(emails: unknown[]): string {
  const xml = send.encodeRequest({ Emails: emails } as never, HEADERS);
  return xml.slice(xml.indexOf('<ns0:Emails>') + 12, xml.indexOf('</ns0:Emails>'));
}

function encodeError(run: () => unknown): EncodeError {
  try {
    run();
  } catch (err) {
    assert.ok(err instanceof EncodeError, String(err));
    return err;
  }
  assert.fail('no EncodeError');
}

// The generated types declare an optional element '?: T | undefined' (exactOptionalPropertyTypes
// code passes on values that may be undefined): both encoders must write such a property as absent.
describe('an optional element given as undefined', () => {
  test('is written as a missing one: SOAP and REST, in the body, inside an entity, and in a header', () => {
    const save = EMailOperations.SaveEMailAccount;
    const given = { EMailAccount: { EMailAccountId: 7, EMailAddress: undefined, AssociateId: undefined, IncomingCredentials: { Server: 'imap', Port: undefined } } };
    const missing = { EMailAccount: { EMailAccountId: 7, IncomingCredentials: { Server: 'imap' } } };
    const xml = save.encodeRequest(given, { ApplicationToken: 'app', Credentials: undefined, TimeZone: { SoTimeZoneId: undefined, SoTimeZoneLocationCode: 'UTC' } });
    assert.equal(xml, save.encodeRequest(missing, { ApplicationToken: 'app', TimeZone: { SoTimeZoneLocationCode: 'UTC' } }));
    assert.doesNotMatch(xml, /<ns0:(EMailAddress|AssociateId|Port|Credentials|SoTimeZoneId)>/);
    assert.deepEqual(restCodec(save).encodeRequest(given), restCodec(save).encodeRequest(missing));
    assert.doesNotMatch(restCodec(save).encodeRequest(given).body ?? '', /EMailAddress|AssociateId|Port/);
  });
});

describe('encoding scalars', () => {
  test('base64 of every length mod 3 (and none) is what Buffer writes, and reads back', () => {
    const lengths = [0, 1, 2, 3, 4, 5, 1000, 70_000];
    const streams = lengths.map((n) => Uint8Array.from({ length: n }, (_, i) => (i * 131 + n) & 255));
    const emails = [{ Attachments: streams.map((Stream) => ({ Stream })) }];
    const xml = emailsXml(emails);
    for (const s of streams) assert.ok(xml.includes(`<ns0:Stream>${Buffer.from(s).toString('base64')}</ns0:Stream>`), `${s.length} bytes`);
    const back = send.decodeRequest(send.encodeRequest({ Emails: emails } as never, HEADERS)).input.Emails![0]!.Attachments!;
    assert.deepEqual(back.map((a) => a?.Stream), streams);
  });

  test('text is escaped (& < > and CR), other characters kept, pairs of surrogates included', () => {
    const Subject = 'a&b <c> "d" \'e\'\r\n\tf \u{1F600} — ü';
    assert.equal(emailsXml([{ Subject }]), `<ns0:EMailEntity><ns0:Subject>a&amp;b &lt;c&gt; "d" 'e'&#xD;\n\tf \u{1F600} — ü</ns0:Subject></ns0:EMailEntity>`);
    assert.equal(send.decodeRequest(send.encodeRequest({ Emails: [{ Subject }] }, HEADERS)).input.Emails![0]!.Subject, Subject);
  });

  test('characters XML 1.0 cannot carry are refused with their index and the element path', () => {
    const cases: [string, string][] = [
      ['ab\uD800c', 'U+D800 at index 2'],
      ['ab\uDC00', 'U+DC00 at index 2'],
      ['\uD83D\uDE00\uDE00', 'U+DE00 at index 2'],
      ['x\u0001', 'U+0001 at index 1'],
      ['\uFFFE', 'U+FFFE at index 0'],
    ];
    for (const [Subject, where] of cases) {
      const err = encodeError(() => send.encodeRequest({ Emails: [{}, { Subject }] }, HEADERS));
      assert.equal(err.path, 'Send/Emails/EMailEntity[1]/Subject');
      assert.equal(err.message, `Send: the character ${where} cannot be written in XML 1.0 at Send/Emails/EMailEntity[1]/Subject`);
    }
  });

  test('dates: milliseconds only when there are some; years outside 0001–9999 refused', () => {
    const Sent = new Date(Date.UTC(2020, 0, 2, 3, 4, 5, 6));
    const ReceivedAt = new Date(Date.UTC(2020, 11, 31, 23, 59, 59));
    assert.equal(emailsXml([{ Sent, ReceivedAt }]), '<ns0:EMailEntity><ns0:Sent>2020-01-02T03:04:05.006Z</ns0:Sent><ns0:ReceivedAt>2020-12-31T23:59:59Z</ns0:ReceivedAt></ns0:EMailEntity>');
    assert.match(encodeError(() => emailsXml([{ Sent: new Date(Date.UTC(10000, 0, 1)) }])).message, /^Send: year 10000 is outside 0001–9999 at Send\/Emails\/EMailEntity\[0\]\/Sent$/);
    assert.match(encodeError(() => emailsXml([{ Sent: new Date(NaN) }])).message, /^Send: the Date is invalid at Send\/Emails\/EMailEntity\[0\]\/Sent$/);
  });
});

describe('encoding errors name the element path', () => {
  const cases: [string, unknown, string, string][] = [
    ['a scalar deep in arrays', [null, { InReplyTo: { To: [{ Address: 'a' }, null, { Address: 5 }] } }], 'Send/Emails/EMailEntity[1]/InReplyTo/To/EMailAddress[2]/Address', 'expected a string, got number'],
    ['an array item of another namespace', [{ CustomHeaderList: [{ Name: 'n', Values: ['a', 7] }] }], 'Send/Emails/EMailEntity[0]/CustomHeaderList/EMailCustomHeader[0]/Values/string[1]', 'expected a string, got number'],
    ['a list item', [{ Flags: ['Seen', 'Nope'] }], 'Send/Emails/EMailEntity[0]/Flags/item[1]', '"Nope" is not a known value (expected one of Seen, Deleted, Recent, Flagged, Draft, Answered)'],
    ['an enumeration', [{ Priority: 3 }], 'Send/Emails/EMailEntity[0]/Priority', '3 is not a string (expected one of NoPriority, Highest, High, Normal, Low, Lowest)'],
    ['null where not nillable', [{ Priority: null }], 'Send/Emails/EMailEntity[0]/Priority', 'null is not allowed here (the element is not nillable)'],
    ['an object that is an array', [{ EMailSOInfo: [] }], 'Send/Emails/EMailEntity[0]/EMailSOInfo', 'expected an object (EMailSOInfo)'],
    ['an array that is an object', [{ To: {} }], 'Send/Emails/EMailEntity[0]/To', 'expected an array (ArrayOfEMailAddress)'],
    ['an integer out of range', [{ EMailSOInfo: { DocumentId: 2 ** 31 } }], 'Send/Emails/EMailEntity[0]/EMailSOInfo/DocumentId', '2147483648 is out of range for xs:int'],
    // A number that is not an integer is named by its value: "got number" said nothing about Number('abc').
    ['NaN for an integer', [{ EMailSOInfo: { DocumentId: Number('abc') } }], 'Send/Emails/EMailEntity[0]/EMailSOInfo/DocumentId', 'expected an integer (xs:int), got NaN'],
    ['a fraction for an integer', [{ Size: 1.5 }], 'Send/Emails/EMailEntity[0]/Size', 'expected an integer (xs:int), got 1.5'],
    ['a string for an integer', [{ Size: '12' }], 'Send/Emails/EMailEntity[0]/Size', 'expected an integer (xs:int), got string'],
  ];
  for (const [name, emails, path, message] of cases) {
    test(name, () => {
      const err = encodeError(() => send.encodeRequest({ Emails: emails } as never, HEADERS));
      assert.equal(err.path, path);
      assert.equal(err.message, `Send: ${message} at ${path}`);
    });
  }

  test('a header block', () => {
    const err = encodeError(() => send.encodeRequest({}, { Credentials: { Ticket: 42 } } as never));
    assert.equal(err.path, 'Header/Credentials/Ticket');
  });
});

describe('properties the WSDL does not declare (README: "not sent")', () => {
  test('an input with properties of its own is sent as the declared fields alone, at any depth', () => {
    const declared = { Subject: 'Hi', To: [{ Address: 'a@example.com', Name: 'A' }] };
    const own = { Subject: 'Hi', internalId: 17, To: [{ Address: 'a@example.com', Name: 'A', crmContactId: 'x' }], sendLater: new Date(0) };
    assert.equal(emailsXml([own]), emailsXml([declared]));
    // Not a way around the checks: a declared field of the wrong type is still refused.
    assert.equal(encodeError(() => emailsXml([{ ...own, Subject: 5 }])).path, 'Send/Emails/EMailEntity[0]/Subject');
  });
});

describe('dictionaries and xs:anyType', () => {
  const schema: SchemaDesc = {
    namespaces: ['urn:t'],
    types: {
      Dict: { kind: 'dict', name: 'Dict', ns: 0, entry: field('Pair', 0, '', 'optional repeated'), key: field('Key', 0, 'xs:string', 'nillable'), value: field('Amount', 0, 'xs:int', 'nillable'), record: true },
      ByInt: { kind: 'dict', name: 'ByInt', ns: 0, entry: field('Pair', 0, '', 'optional repeated'), key: field('Key', 0, 'xs:int'), value: field('Value', 0, 'xs:string', 'nillable'), record: false },
      Box: { kind: 'complex', name: 'Box', ns: 0, fields: [field('D', 0, 'Dict', 'optional'), field('I', 0, 'ByInt', 'optional'), field('Any', 0, 'xs:anyType', 'optional repeated nillable')] },
    },
  };
  const box = field('Box', 0, 'Box');
  const root = { parent: undefined, name: 'Box', index: -1 };
  const encode = (value: unknown) => new Encoder(schemaIndex(schema), 'Op').element(box, value, root);

  test('entries in order; a record and a list of { Key, Value }', () => {
    assert.equal(
      encode({ D: { a: 1, 'b&': null }, I: [{ Key: 2, Value: 'x' }] }),
      '<ns0:Box><ns0:D><ns0:Pair><ns0:Key>a</ns0:Key><ns0:Amount>1</ns0:Amount></ns0:Pair><ns0:Pair><ns0:Key>b&amp;</ns0:Key><ns0:Amount xsi:nil="true"/></ns0:Pair></ns0:D>' +
        '<ns0:I><ns0:Pair><ns0:Key>2</ns0:Key><ns0:Value>x</ns0:Value></ns0:Pair></ns0:I></ns0:Box>',
    );
    const err = encodeError(() => encode({ D: { a: 1, b: 'two' } }));
    assert.equal(err.path, 'Box/D/Pair[1]/Value'); // Key and Value, as the JS entry names them
    assert.equal(encodeError(() => encode({ I: [{ Key: 'k' }] })).path, 'Box/I/Pair[0]/Key');
    assert.equal(encodeError(() => encode({ I: [5] })).path, 'Box/I/entry[0]');
  });

  test('xs:anyType: the JS type picks the xsi:type', () => {
    const bytes = new Uint8Array([1, 2]);
    assert.equal(
      encode({ Any: ['s<', true, 7, 2 ** 40, 0.5, new Date(0), bytes, { $type: 'Box', D: { k: 1 } }, null] }),
      '<ns0:Box><ns0:Any xsi:type="xsd:string">s&lt;</ns0:Any><ns0:Any xsi:type="xsd:boolean">true</ns0:Any><ns0:Any xsi:type="xsd:int">7</ns0:Any>' +
        '<ns0:Any xsi:type="xsd:long">1099511627776</ns0:Any><ns0:Any xsi:type="xsd:double">0.5</ns0:Any><ns0:Any xsi:type="xsd:dateTime">1970-01-01T00:00:00Z</ns0:Any>' +
        '<ns0:Any xsi:type="xsd:base64Binary">AQI=</ns0:Any><ns0:Any xsi:type="ns0:Box"><ns0:D><ns0:Pair><ns0:Key>k</ns0:Key><ns0:Amount>1</ns0:Amount></ns0:Pair></ns0:D></ns0:Any>' +
        '<ns0:Any xsi:nil="true"/></ns0:Box>',
    );
    assert.equal(encodeError(() => encode({ Any: [1, { $type: 'Nope' }] })).message, 'Op: $type "Nope" is not a complex type of this service at Box/Any[1]');
    assert.equal(encodeError(() => encode({ Any: [[1]] })).path, 'Box/Any[0]');
  });
});
