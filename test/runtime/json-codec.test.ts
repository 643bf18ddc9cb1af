// The JSON codec's decisions, one by one, through the generated EMail codecs: how each schema form
// is written and read (flags, dictionaries, nil, numbers JSON cannot hold, .NET offsets), what it
// refuses and where, and that data cannot reach a prototype.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DecodeError, EMailOperations, EncodeError } from '../../generated/EMail/index.js';
import { Encoder } from '../../generated/runtime/encode.js';
import { JsonDecoder, JsonEncoder, restCodec, restErrorInfo } from '../../generated/runtime/json.js';
import { field, schema, schemaIndex } from '../../generated/runtime/schema.js';

const envelopes = restCodec(EMailOperations.GetEMailEnvelopes);
const send = restCodec(EMailOperations.Send);

function decodeError(fn: () => unknown): DecodeError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof DecodeError, String(err));
    return err;
  }
  return assert.fail('expected a DecodeError');
}

describe('JSON codec', () => {
  test('flags: .NET\'s "A, B" ↔ an array; none is 0 (and "" is read as none too)', () => {
    const { body } = send.encodeRequest({ Emails: [{ Flags: ['Seen', 'Flagged'] }, { Flags: [] }] });
    assert.deepEqual(JSON.parse(body!), { Emails: [{ Flags: 'Seen, Flagged' }, { Flags: 0 }] });
    const { input } = send.decodeRequest('', '{"Emails":[{"Flags":"Seen,Flagged"},{"Flags":0},{"Flags":""}]}');
    assert.deepEqual(input, { Emails: [{ Flags: ['Seen', 'Flagged'] }, { Flags: [] }, { Flags: [] }] });
    assert.match(decodeError(() => send.decodeRequest('', '{"Emails":[{"Flags":"Seen, harum"}]}')).message, /"harum" is not a known value .* at Send\/Emails\[0\]\/Flags\[1\]/);
  });

  // Json.NET writes a [Flags] value that equals a named combination by that name. SuperOffice's
  // ETableRight and EFieldRight (SuperOffice.Data) have such names, which the WSDL does not list: a
  // real REST response reads "TableRight": { "Mask": "FULL" }, and http-headers.md documents
  // "FieldRight": { "Mask": "Update, UIHintMandatory" }. Each was a DecodeError for the whole entity.
  test('flags: .NET\'s combined names of ETableRight and EFieldRight (FULL, Update, ...) are read as the flags they stand for', () => {
    const account = restCodec(EMailOperations.GetEMailAccount);
    const text = (table: string, field: string) =>
      JSON.stringify({ EMailAccountId: 1, TableRight: { Mask: table, Reason: '' }, FieldProperties: { Name: { FieldRight: { Mask: field, Reason: '[SR_MANDATORY_FIELD_1281]' }, FieldType: 'System.String', FieldLength: 219 } } });
    const masks = (table: string, field: string) => {
      const r = account.decodeResponse(text(table, field)).output.Response!;
      return [r.TableRight!.Mask, r.FieldProperties!['Name']!.FieldRight!.Mask];
    };
    assert.deepEqual(masks('FULL', 'Update, UIHintMandatory'), [['Select', 'Update', 'Insert', 'Delete'], ['Read', 'Write', 'UIHintMandatory']]);
    assert.deepEqual(masks('URU, Filtering', 'FULL'), [['Update', 'RestrictedUpdate', 'Filtering'], ['Read', 'Write']]);
    assert.deepEqual(masks('R, UDR', 'UIHints'), [['Select', 'Update', 'Delete'], ['UIHintMandatory', 'UIHintReadOnly']]);
    assert.deepEqual(masks('None', 'None'), [[], []]);
    // Written as the WSDL's names, which Json.NET reads too.
    const written = JSON.parse(account.encodeResponse(account.decodeResponse(text('FULL', 'Update, UIHintMandatory')).output));
    assert.equal(written.TableRight.Mask, 'Select, Update, Insert, Delete');
    assert.equal(written.FieldProperties.Name.FieldRight.Mask, 'Read, Write, UIHintMandatory');
    // A name that is neither a value nor such a combination is still refused; so is an alias of another enumeration.
    assert.match(decodeError(() => account.decodeResponse(text('Uninitialized', 'Read'))).message, /"Uninitialized" is not a known value .* at GetEMailAccountResponse\/Response\/TableRight\/Mask\[0\]$/);
    assert.match(decodeError(() => send.decodeRequest('', '{"Emails":[{"Flags":"FULL"}]}')).message, /"FULL" is not a known value/);
  });

  test('date-times: offsets with and without a colon, 7-digit fractions, no offset as UTC; written as UTC', () => {
    const text = '[{"Sent":"2014-08-25T14:19:03.3883958+02:00"},{"Sent":"2018-12-24T07:34:45-0500"},{"Sent":"2019-09-23T12:34:45"}]';
    const out = envelopes.decodeResponse(text).output.Response!;
    assert.deepEqual(
      out.map((e) => e!.Sent!.toISOString()),
      ['2014-08-25T12:19:03.388Z', '2018-12-24T12:34:45.000Z', '2019-09-23T12:34:45.000Z'],
    );
    assert.equal(JSON.parse(envelopes.encodeResponse({ Response: [{ Sent: new Date('2018-12-24T12:34:45Z') }] }))[0].Sent, '2018-12-24T12:34:45Z');
  });

  test('null where the schema allows nil, a DecodeError naming the path where it does not', () => {
    assert.deepEqual(send.decodeRequest('', '{"Emails":[{"Subject":null,"From":null}]}').input, { Emails: [{ Subject: null, From: null }] });
    assert.match(decodeError(() => send.decodeRequest('', '{"Emails":[{"Size":null}]}')).message, /null, which the schema does not allow for Size \(not nillable\) at Send\/Emails\[0\]\/Size/);
  });

  test('numbers: integers range-checked as in XML; NaN and infinities as Json.NET writes them', () => {
    assert.match(decodeError(() => send.decodeRequest('', '{"Emails":[{"Size":2147483648}]}')).message, /2147483648 is out of range for xs:int at Send\/Emails\[0\]\/Size/);
    assert.match(decodeError(() => send.decodeRequest('', '{"Emails":[{"Size":1.5}]}')).message, /expected an integer \(xs:int\)/);
    assert.equal(Object.is(send.decodeRequest('', '{"Emails":[{"Size":-0}]}').input.Emails![0]!.Size, 0), true, '-0 is read as 0');
    const index = schemaIndex(schema(['urn:t'], { T: ['complex', 'T', 0, ['D 0 xs:double optional repeated']] }));
    const root = { parent: undefined, name: 'T', index: -1 };
    const written = new JsonEncoder(index).properties('T', { D: [1.5, NaN, Infinity, -Infinity] }, root);
    assert.deepEqual(written, { D: [1.5, 'NaN', 'Infinity', '-Infinity'] });
    const read = new JsonDecoder(index).properties('T', JSON.parse(JSON.stringify(written)), root);
    assert.deepEqual(read, { D: [1.5, NaN, Infinity, -Infinity] });
  });

  test('dictionaries with string keys are Records; a key "__proto__" stays data and never becomes a prototype', () => {
    const text = '[{"Subject":"x","To":[{"FieldProperties":{"__proto__":{"FieldType":"System.Int32","FieldLength":4},"name":{"FieldRight":null}}}]}]';
    const value = envelopes.decodeResponse(text).output.Response![0]!;
    const props = value.To![0]!.FieldProperties!;
    assert.equal(Object.getPrototypeOf(props), Object.prototype);
    assert.deepEqual(Object.keys(props), ['__proto__', 'name']);
    assert.deepEqual(Object.getOwnPropertyDescriptor(props, '__proto__')!.value, { FieldType: 'System.Int32', FieldLength: 4 });
    assert.equal(({} as Record<string, unknown>)['FieldType'], undefined, 'Object.prototype untouched');
    // …and is written back as data.
    assert.deepEqual(JSON.parse(envelopes.encodeResponse({ Response: [value] }))[0].To[0].FieldProperties.__proto__, { FieldType: 'System.Int32', FieldLength: 4 });
  });

  // Json.NET writes every dictionary as an object. SuperOffice's page of List.GetDocumentTypesForPlugin
  // (an IntStringDictionary, Dictionary<int, string>) documents the response { "1": "magni", "2": "consequatur" }.
  test('dictionaries with other keys are { Key, Value }[] in TypeScript and objects keyed by the key\'s text in JSON, as Json.NET writes them', () => {
    const index = schemaIndex(
      schema(['urn:t'], {
        T: ['complex', 'T', 0, ['Types 0 IntStringDictionary optional nillable', 'Rules 0 DateDictionary optional nillable']],
        IntStringDictionary: ['dictionary', 'IntStringDictionary', 0, 'IntStringKeyValuePair 0 - optional repeated', 'Key 0 xs:int', 'Value 0 xs:string nillable'],
        DateDictionary: ['dictionary', 'DateDictionary', 0, 'DateKeyValuePair 0 - optional repeated', 'Key 0 xs:dateTime', 'Value 0 xs:int'],
      }),
    );
    const root = { parent: undefined, name: 'T', index: -1 };
    const documented = '{"Types":{"1":"magni","2":"consequatur"},"Rules":{"2020-03-29T01:00:00Z":60}}';
    const read = new JsonDecoder(index).properties('T', JSON.parse(documented), root);
    assert.deepEqual(read, {
      Types: [
        { Key: 1, Value: 'magni' },
        { Key: 2, Value: 'consequatur' },
      ],
      Rules: [{ Key: new Date('2020-03-29T01:00:00Z'), Value: 60 }],
    });
    assert.deepEqual(new JsonEncoder(index).properties('T', read, root), JSON.parse(documented));
    assert.match(decodeError(() => new JsonDecoder(index).properties('T', { Types: { one: 'x' } }, root)).message, /"one" is not an integer \(xs:int\) at T\/Types\/one$/);
    assert.match(decodeError(() => new JsonDecoder(index).properties('T', { Types: [{ Key: 1, Value: 'x' }] }, root)).message, /expected an object keyed by xs:int \(dictionary\), got an array at T\/Types$/);
    const twice = () => new JsonEncoder(index).properties('T', { Types: [{ Key: 1, Value: 'a' }, { Key: 1, Value: 'b' }] }, root);
    assert.throws(twice, (err: unknown) => err instanceof EncodeError && /the key 1 is repeated .* at T\/Types\[1\]\/Key$/.test(err.message));
  });

  // WCF writes .NET's TimeSpan as xs:duration (`PT15M`); Json.NET as its constant format
  // `[-][d.]hh:mm:ss[.fffffff]`, and reads it back with TimeSpan.Parse, which refuses `PT15M`. A real
  // AppointmentEntity from SuperOffice Online's REST API has `"AlarmLeadTime":"00:00:00"` (FieldType
  // System.TimeSpan). The typed value stays the ISO text on both transports.
  test('TimeSpan (xs:duration): read from Json.NET\'s hh:mm:ss form (and ISO), written in it, range-checked', () => {
    const index = schemaIndex(
      schema(['urn:t'], {
        T: ['complex', 'T', 0, ['AlarmLeadTime 0 duration optional repeated', 'Plain 0 xs:duration optional']],
        duration: ['restricted', 'xs:duration', ['^(?:\\-?P(\\d*D)?(T(\\d*H)?(\\d*M)?(\\d*(\\.\\d*)?S)?)?)$']],
      }),
    );
    const root = { parent: undefined, name: 'T', index: -1 };
    const sent = ['00:00:00', '00:15:00', '1.02:03:04.5000000', '-00:00:01', '10675199.02:48:05.4775807', '-00:00:00.0000001', 'PT30M'];
    const read = new JsonDecoder(index).properties('T', { AlarmLeadTime: [...sent] }, root);
    const iso = ['PT0S', 'PT15M', 'P1DT2H3M4.5S', '-PT1S', 'P10675199DT2H48M5.4775807S', '-PT0.0000001S', 'PT30M'];
    assert.deepEqual(read, { AlarmLeadTime: iso });
    const written = new JsonEncoder(index).properties('T', { AlarmLeadTime: [...iso, 'PT90M', 'P2D', '-PT0S', 'PT0.25S'] }, root);
    assert.deepEqual(written, { AlarmLeadTime: [...sent.slice(0, -1), '00:30:00', '01:30:00', '2.00:00:00', '00:00:00', '00:00:00.2500000'] });
    const encodeError = (value: unknown) => {
      try {
        new JsonEncoder(index).properties('T', value as Record<string, unknown>, root);
      } catch (err) {
        assert.ok(err instanceof EncodeError, String(err));
        return err.message;
      }
      return assert.fail('expected an EncodeError');
    };
    assert.match(encodeError({ Plain: 'P1Y' }), /"P1Y" has years or months, which a \.NET TimeSpan does not \(give days\) at T\/Plain$/);
    assert.match(encodeError({ Plain: 'PT0.00000001S' }), /"PT0\.00000001S" is finer than a TimeSpan's 100 ns .* at T\/Plain$/);
    assert.match(encodeError({ Plain: 'P10675200D' }), /"P10675200D" is out of range for a \.NET TimeSpan .* at T\/Plain$/);
    assert.match(encodeError({ AlarmLeadTime: ['00:15:00'] }), /"00:15:00" is not an ISO 8601 duration at T\/AlarmLeadTime\[0\]$/);
    for (const [bad, why] of [['24:00:00', /"24:00:00" is not a \.NET TimeSpan/], ['1:5:00', /"1:5:00" is not a \.NET TimeSpan/], ['quaerat', /"quaerat" is not a \.NET TimeSpan \(\[-\]\[d\.\]hh:mm:ss\[\.fffffff\]\) or an ISO 8601 duration/]] as const) {
      assert.match(decodeError(() => new JsonDecoder(index).properties('T', { AlarmLeadTime: [bad] }, root)).message, why);
    }
  });

  // Webhook's Properties and SignalEvent's Data are StringObjectDictionary: a .NET `object` per key,
  // which Json.NET writes by its value alone (no `$type` unless TypeNameHandling asks; no SuperOffice
  // sample has one). GetWebhook's documented response: `"Properties": { "fieldName": {} }`.
  test('xs:anyType: arrays and objects without $type are plain JSON both ways; an object of a service type keeps its $type', () => {
    const index = schemaIndex(
      schema(['urn:t'], {
        Webhook: ['complex', 'Webhook', 0, ['Properties 0 StringObjectDictionary optional nillable']],
        StringObjectDictionary: ['dictionary', 'StringObjectDictionary', 0, 'StringObjectKeyValuePair 0 - optional repeated', 'Key 0 xs:string nillable', 'Value 0 xs:anyType nillable'],
        Link: ['complex', 'Link', 0, ['Id 0 xs:int optional']],
      }),
    );
    const root = { parent: undefined, name: 'Webhook', index: -1 };
    const documented = { Properties: { fieldName: {} } };
    assert.deepEqual(new JsonDecoder(index).properties('Webhook', structuredClone(documented), root), documented);
    const sent = { Properties: { tags: ['a', 1, true, null, { x: [2, []] }], nested: { a: { b: null } }, link: { $type: 'Link', Id: 7 }, n: 5 } };
    const read = new JsonDecoder(index).properties('Webhook', structuredClone(sent), root);
    assert.deepEqual(read, sent);
    assert.deepEqual(new JsonEncoder(index).properties('Webhook', read, root), sent);
    // Dates and bytes in plain JSON are written as text; an array read over SOAP (its $type not enumerable) is a plain array.
    const soapArray = Object.defineProperty(['x'], '$type', { value: 'ArrayOfstring', enumerable: false });
    const written = new JsonEncoder(index).properties('Webhook', { Properties: { at: [new Date('2024-01-02T03:04:05Z'), new Uint8Array([1])], list: soapArray, gone: { u: undefined } } }, root);
    assert.deepEqual(written, { Properties: { at: ['2024-01-02T03:04:05Z', 'AQ=='], list: ['x'], gone: {} } });
    // A cycle is an EncodeError at its path, not a stack overflow; a bad $type inside plain JSON is named where it is.
    const cycle: Record<string, unknown> = {};
    cycle['self'] = cycle;
    assert.throws(() => new JsonEncoder(index).properties('Webhook', { Properties: { c: cycle } }, root), (err: unknown) => err instanceof EncodeError && /nests arrays and objects deeper than 256 levels \(a cycle\?\) at Webhook\/Properties\/c(\/self)+$/.test(err.message));
    assert.match(decodeError(() => new JsonDecoder(index).properties('Webhook', { Properties: { k: [{ $type: 'Nope' }] } }, root)).message, /\$type "Nope" is not a complex type of this service at Webhook\/Properties\/k\[0\]$/);
    // Plain JSON is arrays and plain objects: a Map, a Set or a boxed string would be written as {}
    // or by its indexes (as JSON.stringify does), their contents lost without a word. Refused at their path.
    class Point {
      constructor(readonly x: number) {}
    }
    for (const [odd, at] of [[new Map([['a', 1]]), 'm'], [new Set(['a']), 's'], [Object('ab'), 'b'], [[new Point(1)], 'p\\[0\\]']] as const) {
      const key = at.replace(/\\.*$/, '');
      assert.throws(
        () => new JsonEncoder(index).properties('Webhook', { Properties: { [key]: odd } }, root),
        (err: unknown) => err instanceof EncodeError && new RegExp(`an xs:anyType value must be .* at Webhook/Properties/${at}$`).test(err.message),
        key,
      );
    }
    assert.deepEqual(new JsonEncoder(index).properties('Webhook', { Properties: { o: Object.assign(Object.create(null), { a: 1 }) } }, root), { Properties: { o: { a: 1 } } });
  });

  test('properties the schema does not declare: skipped by default, a DecodeError with unknownElements: error', () => {
    assert.deepEqual(envelopes.decodeResponse('[{"Subject":"s","NewerField":1}]').output, { Response: [{ Subject: 's' }] });
    const err = decodeError(() => envelopes.decodeResponse('[{"Subject":"s","NewerField":1}]', { unknownElements: 'error' }));
    assert.match(err.message, /unknown property NewerField: .* at GetEMailEnvelopesResponse\/Response\[0\]\/NewerField/);
  });

  test('binary: base64 ↔ Uint8Array; a placeholder is refused', () => {
    const { body } = send.encodeRequest({ Emails: [{ Attachments: [{ Stream: new Uint8Array([0, 255, 1]) }] }] });
    assert.equal(JSON.parse(body!).Emails[0].Attachments[0].Stream, 'AP8B');
    assert.deepEqual(send.decodeRequest('', body).input.Emails![0]!.Attachments![0]!.Stream, new Uint8Array([0, 255, 1]));
    assert.match(decodeError(() => send.decodeRequest('', '{"Emails":[{"Attachments":[{"Stream":"GIF89....File contents as raw bytes..."}]}]}')).message, /not valid base64 at Send\/Emails\[0\]\/Attachments\[0\]\/Stream/);
  });

  test('wrong JSON types are refused with what came instead', () => {
    assert.match(decodeError(() => send.decodeRequest('', '{"Emails":{"Subject":"s"}}')).message, /expected an array \(ArrayOfEMailEntity\), got an object at Send\/Emails/);
    assert.match(decodeError(() => send.decodeRequest('', '{"Emails":[{"IsSent":"yes"}]}')).message, /"yes" is not a boolean at Send\/Emails\[0\]\/IsSent/);
    assert.match(decodeError(() => send.decodeRequest('', '{"Emails":[')).message, /the message is not JSON/);
  });

  // A dictionary result (Document's GetDocumentProperties, Quote's GetConnectionConfigFields: a
  // StringDictionary) may hold any key, "message" too: its entries are the result, not ASP.NET's
  // error object, which the camelCase reading of error objects took them for. "Error": true still
  // is one (a value no StringDictionary holds), spelled either way.
  test("a dictionary result whose keys are ASP.NET's error properties is the result, not an error object", () => {
    const index = schemaIndex(schema(['urn:t'], { StringDictionary: ['dictionary', 'StringDictionary', 0, 'StringKeyValuePair 0 - optional repeated', 'Key 0 xs:string nillable', 'Value 0 xs:string nillable'] }));
    const result = field('Response', 0, 'StringDictionary', 'optional nillable');
    assert.equal(restErrorInfo({ message: 'Hello', stacktrace: 'none' }, index, result), undefined);
    assert.equal(restErrorInfo({ Message: 'Hello' }, index, result), undefined);
    assert.deepEqual(restErrorInfo({ error: true, errorMessage: 'No such document' }, index, result), { Message: 'No such document' });
    assert.deepEqual(restErrorInfo({ message: 'The request is invalid.' }), { Message: 'The request is invalid.' });
  });

  test('an "Error": true object takes its text from Message (any case) only where ErrorMessage is missing', () => {
    assert.deepEqual(restErrorInfo({ Error: true, Message: 'Contact id 9 not found' }), { Message: 'Contact id 9 not found' });
    assert.deepEqual(restErrorInfo({ error: true, errorType: 'SoNotFoundException', message: 'Contact id 9 not found' }), {
      Message: 'Contact id 9 not found',
      ExceptionType: 'SoNotFoundException',
    });
    assert.deepEqual(restErrorInfo({ Error: true, ErrorMessage: 'the text', Message: 'another text' }), { Message: 'the text' });
    assert.deepEqual(restErrorInfo({ Error: true, Message: 5 }), { Message: 'the Agents API reported an error without a message' });
    assert.deepEqual(restErrorInfo({ Error: true }), { Message: 'the Agents API reported an error without a message' });
  });

  test('encoding refuses what the schema does not allow, with the path', () => {
    assert.throws(() => send.encodeRequest({ Emails: [{ Size: 'big' as unknown as number }] }), (err: unknown) => err instanceof EncodeError && /expected an integer \(xs:int\), got string at Send\/Emails\[0\]\/Size/.test(err.message));
    assert.throws(() => send.encodeRequest({ Emails: [{ Sent: 'today' as unknown as Date }] }), (err: unknown) => err instanceof EncodeError && /expected a Date/.test(err.message));
    // A BigInt (JSON.stringify throws on one) is described, not a TypeError.
    assert.throws(() => send.encodeRequest({ Emails: [{ Subject: 5n as unknown as string }] }), (err: unknown) => err instanceof EncodeError && /expected a string, got bigint 5 at Send\/Emails\[0\]\/Subject$/.test(err.message));
    assert.throws(() => send.encodeRequest({ Emails: [{ Flags: 5n as unknown as [] }] }), (err: unknown) => err instanceof EncodeError && /expected an array \(xs:list\), got bigint 5 at Send\/Emails\[0\]\/Flags$/.test(err.message));
  });
});

describe('JSON codec: the value rules and messages of the XML codec (schema.ts)', () => {
  /** What an EncodeError or DecodeError says, without where (the paths differ: `Flags/item[1]` in XML, `Flags[1]` in JSON). */
  function what(fn: () => unknown): string {
    try {
      fn();
    } catch (err) {
      assert.ok(err instanceof EncodeError || err instanceof DecodeError, String(err));
      return err.message.slice(0, err.message.lastIndexOf(' at '));
    }
    return assert.fail('expected an EncodeError or a DecodeError');
  }

  test('a bad enumeration value: the same message on SOAP and REST, encoding and decoding', () => {
    const soap = EMailOperations.Send;
    for (const flags of [['Seen', 'Shiny'], ['Seen', 3]]) {
      const input = { Emails: [{ Flags: flags as 'Seen'[] }] };
      const message = what(() => soap.encodeRequest(input));
      assert.match(message, /^Send: (?:"Shiny" is not a known value|3 is not a string) \(expected one of Seen, Deleted, Recent, Flagged, Draft, Answered\)$/);
      assert.equal(what(() => send.encodeRequest(input)), message);
    }
    const xml = soap.encodeRequest({ Emails: [{ Flags: ['Seen', 'Answered'] }] });
    assert.ok(xml.includes('>Seen Answered<'), xml);
    const fromXml = what(() => soap.decodeRequest(xml.replace('>Seen Answered<', '>Seen harum<')));
    assert.equal(fromXml, 'Send: "harum" is not a known value (expected one of Seen, Deleted, Recent, Flagged, Draft, Answered)');
    assert.equal(what(() => send.decodeRequest('', '{"Emails":[{"Flags":"Seen, harum"}]}')), fromXml);
  });

  test('a pattern, a list item and an enumeration of a restriction: the same message from both encoders and the JSON decoder', () => {
    const index = schemaIndex(
      schema(['urn:t'], {
        T: ['complex', 'T', 0, ['Code 0 Hex4 optional', 'Words 0 Words optional', 'Kind 0 Kind optional']],
        Hex4: ['restricted', 'xs:string', ['^[0-9A-F]{4}$']],
        Words: ['list', 'xs:string'],
        Kind: ['enumeration', ['A', 'B']],
      }),
    );
    const t = field('T', 0, 'T');
    const root = { parent: undefined, name: 'T', index: -1 };
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ Code: '0a1f' }, /^"0a1f" does not match the pattern \^\[0-9A-F\]\{4\}\$$/],
      [{ Words: ['one', 'two words'] }, /^a list item cannot be empty or contain whitespace$/],
      [{ Words: ['one', ''] }, /^a list item cannot be empty or contain whitespace$/],
      [{ Kind: 'C' }, /^"C" is not a known value \(expected one of A, B\)$/],
      [{ Kind: 1 }, /^1 is not a string \(expected one of A, B\)$/],
    ];
    for (const [value, expected] of cases) {
      const message = what(() => new Encoder(index).element(t, value, root));
      assert.match(message, expected);
      assert.equal(what(() => new JsonEncoder(index).element(t, value, root)), message, JSON.stringify(value));
      assert.equal(what(() => new JsonDecoder(index).element(t, JSON.parse(JSON.stringify(value)), root)), message, JSON.stringify(value));
    }
  });
});

describe('JSON codec limits', () => {
  test('objects nested deeper than 256 levels (a type that holds itself) are a DecodeError, not a stack overflow', () => {
    const index = schemaIndex(schema(['urn:t'], { T: ['complex', 'T', 0, ['Next 0 T optional nillable']] }));
    const root = { parent: undefined, name: 'T', index: -1 };
    const deep = (n: number): string => (n === 0 ? '{}' : `{"Next":${deep(n - 1)}}`);
    assert.doesNotThrow(() => new JsonDecoder(index).properties('T', JSON.parse(deep(250)), root));
    const err = decodeError(() => new JsonDecoder(index).properties('T', JSON.parse(deep(5000)), root));
    assert.match(err.message, /nests objects deeper than 256 levels at T(\/Next){256}$/);
  });
});
