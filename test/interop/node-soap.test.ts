// Interop with a real, independent SOAP peer: node-soap (the `soap` dev dependency) serves
// EMail.wsdl on 127.0.0.1 and the generated EMailAgent calls it over HTTP.
//
// For every call the test checks three things:
//   1. what node-soap's handler received, in node-soap's own representation (it applies the
//      WSDL's xs:int/xs:boolean/xs:dateTime types to body elements, but not to SOAP headers;
//      wrapper arrays arrive as `{ Item: [...] }`; base64 and xs:list values stay strings);
//   2. the SOAP headers the handler saw (ticket, application token, time zone) and the
//      SOAPAction HTTP header;
//   3. the typed value the generated client returned (numbers, Date, Uint8Array, arrays).
//
// node-soap 1.13.0 has a few serialisation defects of its own. The handlers below work around
// them so that node-soap writes the XML a WCF server would; our client is never loosened:
//   Q1. A Date in a reply is written as an empty element (`<Sent></Sent>`): objectToXML treats a
//       Date as an object without properties. Replies carry ISO strings instead.
//   Q2. An array given for an xs:list element (EMailFlags, ETableRight) is written as repeated
//       elements (`<Flags>Seen</Flags><Flags>Flagged</Flags>`) instead of one space-separated
//       value. Replies carry the space-separated string (what node-soap itself parses them to).
//   Q3. Items of the WCF Arrays namespace (ArrayOfint `int`, ArrayOfstring `string`) are written
//       in the parent's default namespace (tns) instead of
//       http://schemas.microsoft.com/2003/10/Serialization/Arrays. (Our decoder skips items in a
//       foreign namespace, so such an array would silently decode as [].) Replies declare an own
//       prefix on the container and use `arr:int` / `arr:string` keys.
//   Q4. A null value is written as `xsi:nil="true"` without declaring the xsi prefix anywhere
//       (the envelope only declares the WSDL's prefixes), which is not namespace-well-formed XML.
//       Replies that contain nulls declare xmlns:xsi on the response element via `attributes`.
//   Q5. Elements of a reply are written in the order of the handler's object keys, not in the
//       schema's xs:sequence order (node-soap finds no sequence for this WSDL's types). Replies
//       are written in schema order.
//   Q6. A fault thrown without `statusCode` is sent with HTTP 200 (SOAP 1.1 requires 500).
//       One fault test keeps node-soap's default on purpose, the other sets statusCode 500.
//   Q7. A null item of an array is written as an empty element without xsi:nil (it would decode
//       as an empty object, not null). The replies here contain no null array items.
// And in what the handler receives (asserted as they are, not worked around):
//   R1. Elements sent with xsi:nil="true" are dropped from the parsed args (no handleNilAsNull);
//       so are null items of an array. The test checks the nil markers in the raw request XML.
//   R2. An empty element (empty array, empty xs:list) is parsed as null.
//   R3. SOAP header values are not typed: SoTimeZoneId arrives as the string "42".
//   R4. Leading/trailing whitespace of text is trimmed by node-soap's parser.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import * as soap from 'soap';
import {
  EMailAgent,
  SoapFaultError,
  SoExceptionError,
  type EMailEntity,
  type EMailEnvelope,
} from '../../generated/EMail/index.js';
import { wsdlFixturesDir } from '../support/paths.js';

const TNS = 'http://www.superoffice.net/ws/crm/NetServer/Services86';
const ARRAYS_NS = 'http://schemas.microsoft.com/2003/10/Serialization/Arrays';
const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';
const SERVICE_PATH = '/Remote/Services86/EMail.svc';
const ACTION_BASE = `${TNS}/EMail/`;

const TICKET = '7T:dGhpcyBpcyBhIHRpY2tldA==';
const TOKEN = 'app-token-5f2c9e1b7d';

/** One call as node-soap's handler saw it. */
interface Received {
  readonly op: string;
  readonly args: unknown;
  readonly headers: unknown;
  readonly soapAction: string | undefined;
  readonly contentType: string | undefined;
  /** The raw request body, from node-soap's log hook. */
  readonly xml: string;
}

type Handler = (args: unknown, headers: unknown) => unknown;

const OPERATIONS = ['SyncEmailAccount', 'SyncEmailAccounts', 'Send', 'GetEMailEnvelopes', 'GetEMailAccount'] as const;

let httpServer: HttpServer;
let endpoint = '';
const received: Received[] = [];
const replies: string[] = [];
let lastRequestXml = '';
const handlers = new Map<string, Handler>();
/** Raw SOAP header blocks node-soap adds to the next replies (see addSoapHeader below). */
let replyHeaderXml = '';

function agent(): EMailAgent {
  return new EMailAgent({
    endpoint,
    ticket: TICKET,
    applicationToken: TOKEN,
    timeZone: { SoTimeZoneId: 42, SoTimeZoneLocationCode: 'Europe/Oslo' },
    timeoutMs: 5000,
  });
}

/** The one call the handler got during `fn` (fails on zero or several). */
async function onlyCall(fn: () => Promise<unknown>): Promise<Received> {
  const before = received.length;
  await fn();
  assert.equal(received.length - before, 1, 'the server handled exactly one call');
  return received[received.length - 1]!;
}

function expectStandardHeaders(call: Received, op: string): void {
  // R3: node-soap does not type header content, so SoTimeZoneId is the string "42".
  assert.deepEqual(call.headers, {
    ApplicationToken: TOKEN,
    Credentials: { Ticket: TICKET },
    TimeZone: { SoTimeZoneId: '42', SoTimeZoneLocationCode: 'Europe/Oslo' },
  });
  assert.equal(call.soapAction, `"${ACTION_BASE}${op}"`);
  assert.equal(call.contentType, 'text/xml; charset=utf-8');
}

/**
 * A value node-soap's handler received, made ready to be sent back (an echo) so that node-soap
 * writes correct XML: Q1 (Date → ISO string) and Q3 (Arrays-namespace items). The only elements
 * named `int` or `string` in EMail.wsdl are the items of ArrayOfint and ArrayOfstring.
 */
function forNodeSoapReply(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(forNodeSoapReply);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    const only = entries.length === 1 ? entries[0] : undefined;
    if (only && (only[0] === 'int' || only[0] === 'string') && Array.isArray(only[1])) {
      return arraysNs(only[0], only[1]);
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, forNodeSoapReply(v)]));
  }
  return value;
}

/** Q3: an ArrayOfint/ArrayOfstring content whose items node-soap puts in the right namespace. */
function arraysNs(item: 'int' | 'string', values: readonly unknown[]): Record<string, unknown> {
  return { attributes: { 'xmlns:arr': ARRAYS_NS }, [`arr:${item}`]: [...values] };
}

/** Q4: reply content with the xsi prefix declared, so that node-soap's xsi:nil is well-formed. */
function withXsi(content: Record<string, unknown>): Record<string, unknown> {
  return { attributes: { 'xmlns:xsi': XSI_NS }, ...content };
}


function base64(data: Uint8Array): string {
  return Buffer.from(data).toString('base64');
}

before(async () => {
  const wsdlXml = readFileSync(join(wsdlFixturesDir, 'EMail.wsdl'), 'utf8');
  const port: soap.IServicePort = {};
  for (const op of OPERATIONS) {
    port[op] = (args: unknown, _callback?: unknown, headers?: unknown, req?: IncomingMessage) => {
      received.push({
        op,
        args,
        headers,
        soapAction: req?.headers['soapaction'] as string | undefined,
        contentType: req?.headers['content-type'],
        xml: lastRequestXml,
      });
      const handler = handlers.get(op);
      if (!handler) throw { Fault: { faultcode: 's:Server', faultstring: `no handler for ${op} in this test`, statusCode: 500 } };
      return handler(args, headers);
    };
  }
  const services: soap.IServices = { WcfEMailService: { BasicHttpBinding_EMail: port } };

  httpServer = createServer((_req, res) => {
    // node-soap takes over requests for its path; anything else is a test mistake.
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(0, '127.0.0.1', () => resolve());
  });
  const soapServer = await new Promise<soap.Server>((resolve, reject) => {
    const s: soap.Server = soap.listen(httpServer, SERVICE_PATH, services, wsdlXml, (err: unknown) => {
      if (err) reject(err instanceof Error ? err : new Error(String(err)));
      else resolve(s);
    });
  });
  soapServer.log = (type: string, data: unknown) => {
    if (type === 'received') lastRequestXml = String(data);
    if (type === 'replied') replies.push(String(data));
  };
  // Reply header blocks (Succeeded, ExtraInfo, ExceptionInfo) as a WCF server writes them.
  soapServer.addSoapHeader(() => replyHeaderXml);
  const { port: listening } = httpServer.address() as AddressInfo;
  endpoint = `http://127.0.0.1:${listening}${SERVICE_PATH}`;
});

after(async () => {
  await new Promise<void>((resolve) => {
    httpServer.closeAllConnections();
    httpServer.close(() => resolve());
  });
});

beforeEach(() => {
  handlers.clear();
  replyHeaderXml = '';
});

describe('generated EMail client against a node-soap server', () => {
  test('SyncEmailAccount: one SyncUserAccount, empty reply', async () => {
    handlers.set('SyncEmailAccount', () => ({}));
    let result: unknown = 'not called';
    const call = await onlyCall(async () => {
      result = await agent().syncEmailAccount({
        SyncUserAccount: { AccountId: 12, AssociateName: '  Åse Ørnulf <admin> & co\n', AssociateId: 7 },
      });
    });
    // R4: node-soap trims the text; the request carried it whole (and escaped).
    assert.deepEqual(call.args, {
      SyncUserAccount: { AccountId: 12, AssociateName: 'Åse Ørnulf <admin> & co', AssociateId: 7 },
    });
    assert.ok(call.xml.includes('AssociateName>  Åse Ørnulf &lt;admin&gt; &amp; co\n</'), call.xml);
    expectStandardHeaders(call, 'SyncEmailAccount');
    assert.equal(result, undefined);
  });

  test('SyncEmailAccounts: an ArrayOfSyncUserAccount; invoke() reports status and no headers', async () => {
    handlers.set('SyncEmailAccounts', () => ({}));
    let result: unknown;
    const call = await onlyCall(async () => {
      result = await agent().invoke('SyncEmailAccounts', {
        SyncUserAccounts: [
          { AccountId: 1, AssociateName: 'Ann', AssociateId: 101 },
          { AccountId: 2, AssociateName: 'Bob', AssociateId: 102 },
          { AccountId: 3, AssociateName: 'Cecilie', AssociateId: 103 },
        ],
      });
    });
    assert.deepEqual(call.args, {
      SyncUserAccounts: {
        SyncUserAccount: [
          { AccountId: 1, AssociateName: 'Ann', AssociateId: 101 },
          { AccountId: 2, AssociateName: 'Bob', AssociateId: 102 },
          { AccountId: 3, AssociateName: 'Cecilie', AssociateId: 103 },
        ],
      },
    });
    expectStandardHeaders(call, 'SyncEmailAccounts');
    assert.deepEqual(result, { output: {}, headers: {}, httpStatus: 200 });
  });

  test('Send: a deep EMailEntity goes out and comes back echoed', async () => {
    const allBytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    const text = new TextEncoder().encode('hello, världen\n');
    const sent = new Date('2024-05-17T08:30:15.250Z');
    const receivedAt = new Date('2024-05-17T08:29:59Z');
    const repliedAt = new Date('0001-01-01T00:00:00Z'); // WCF DateTime.MinValue
    const archivedAt = new Date('2023-12-31T23:59:59.999Z');
    const inReplyToSent = new Date('2024-05-16T17:00:00Z');

    const email: EMailEntity = {
      TableRight: { Mask: ['Select', 'Update', 'Delete'], Reason: 'owner' },
      FieldProperties: {
        Subject: { FieldRight: { Mask: ['Read', 'Write'], Reason: '' }, FieldType: 'System.String', FieldLength: 255 },
        Priority: { FieldRight: { Mask: ['Read'] }, FieldType: 'EMailPriority', FieldLength: 0 },
      },
      To: [
        { ContactId: 4, ContactName: 'Acme AS', PersonId: 40, PersonName: 'Kari Nordmann', Address: 'kari@acme.example', Name: 'Kari Nordmann' },
        { Address: 'ola@acme.example', Name: 'Ola', DuplicatePersonIds: [41, 42, 43] },
      ],
      Cc: null,
      Bcc: [],
      Subject: 'Møte om «budsjett» – 💰 <draft> & more',
      HTMLBody: '<p>Hei &amp; <b>velkommen</b></p>',
      From: { AssociateId: 9, Address: 'me@superoffice.example', Name: 'Me Myself', EmailId: 900, DuplicatePersonIds: [] },
      Sent: sent,
      Size: 4096,
      Priority: 'High',
      Flags: ['Seen', 'Answered', 'Flagged'],
      MessageID: '<abc.123@mail.example>',
      PlainBody: 'Line one\nLine two & <three>',
      IsSent: true,
      EMailSOInfo: { DocumentId: 77, AppointmentId: 0, ProjectId: 5, SaleId: 6, Archived: true, ArchivedAt: archivedAt, ArchivedBy: 9, ArchivedDisplayName: 'Me' },
      ServerId: 31337,
      Attachments: [
        { Description: 'all bytes', Filename: 'bytes.bin', Size: 256, Type: 'application/octet-stream', Encoding: 'base64', Id: 'att-1', Disposition: 'attachment', Stream: allBytes },
        { Filename: 'hello.txt', Size: text.length, Type: 'text/plain', Stream: text },
      ],
      CustomHeaderList: [
        { Name: 'X-Mailer', Values: ['gen-services86'] },
        { Name: 'Received', Values: ['from a.example by b.example', 'from b.example by c.example'] },
      ],
      FolderName: 'Sent Items',
      EmailItemId: 555,
      AccountId: 3,
      ReceivedAt: receivedAt,
      InReplyTo: {
        ServerId: 30000,
        MessageId: '<parent@mail.example>',
        Subject: 'Re: budsjett',
        From: { Address: 'kari@acme.example' },
        To: [{ Address: 'me@superoffice.example' }],
        Sent: inReplyToSent,
        Priority: 'Normal',
        Flags: ['Seen'],
        Size: 1200,
      },
      RepliedAt: repliedAt,
    };

    handlers.set('Send', (args) => {
      // Echo what arrived, as the single-element array the reply declares.
      const emails = (args as { Emails: { EMailEntity: unknown[] } }).Emails.EMailEntity;
      return withXsi({ Response: { EMailEntity: forNodeSoapReply(emails) } });
    });
    let result: unknown;
    const call = await onlyCall(async () => {
      result = await agent().send({ Emails: [email, null] });
    });

    // What node-soap parsed. Typed: xs:int → number, xs:boolean → boolean, xs:dateTime → Date.
    // As text: base64Binary, xs:list (EMailFlags, ETableRight, EFieldRight), enums.
    // R1: Cc (nil) and the null second EMailEntity are gone; R2: empty Bcc/DuplicatePersonIds are null.
    // FieldPropertyDictionary arrives in its wire form, a list of Key/Value pairs.
    const expectedArgs = {
      Emails: {
        EMailEntity: [
          {
            TableRight: { Mask: 'Select Update Delete', Reason: 'owner' },
            FieldProperties: {
              FieldPropertyDictionaryKeyValuePair: [
                { Key: 'Subject', Value: { FieldRight: { Mask: 'Read Write', Reason: '' }, FieldType: 'System.String', FieldLength: 255 } },
                { Key: 'Priority', Value: { FieldRight: { Mask: 'Read' }, FieldType: 'EMailPriority', FieldLength: 0 } },
              ],
            },
            To: {
              EMailAddress: [
                { ContactId: 4, ContactName: 'Acme AS', PersonId: 40, PersonName: 'Kari Nordmann', Address: 'kari@acme.example', Name: 'Kari Nordmann' },
                { Address: 'ola@acme.example', DuplicatePersonIds: { int: [41, 42, 43] }, Name: 'Ola' },
              ],
            },
            Bcc: null,
            Subject: 'Møte om «budsjett» – 💰 <draft> & more',
            HTMLBody: '<p>Hei &amp; <b>velkommen</b></p>',
            From: { AssociateId: 9, Address: 'me@superoffice.example', EmailId: 900, DuplicatePersonIds: null, Name: 'Me Myself' },
            Sent: sent,
            Size: 4096,
            Priority: 'High',
            Flags: 'Seen Answered Flagged',
            MessageID: '<abc.123@mail.example>',
            PlainBody: 'Line one\nLine two & <three>',
            IsSent: true,
            EMailSOInfo: { DocumentId: 77, AppointmentId: 0, ProjectId: 5, SaleId: 6, Archived: true, ArchivedAt: archivedAt, ArchivedBy: 9, ArchivedDisplayName: 'Me' },
            ServerId: 31337,
            Attachments: {
              EMailAttachment: [
                { Description: 'all bytes', Filename: 'bytes.bin', Size: 256, Type: 'application/octet-stream', Encoding: 'base64', Id: 'att-1', Disposition: 'attachment', Stream: base64(allBytes) },
                { Filename: 'hello.txt', Size: text.length, Type: 'text/plain', Stream: base64(text) },
              ],
            },
            CustomHeaderList: {
              EMailCustomHeader: [
                { Name: 'X-Mailer', Values: { string: ['gen-services86'] } },
                { Name: 'Received', Values: { string: ['from a.example by b.example', 'from b.example by c.example'] } },
              ],
            },
            FolderName: 'Sent Items',
            EmailItemId: 555,
            AccountId: 3,
            ReceivedAt: receivedAt,
            InReplyTo: {
              ServerId: 30000,
              MessageId: '<parent@mail.example>',
              Subject: 'Re: budsjett',
              From: { Address: 'kari@acme.example' },
              To: { EMailAddress: [{ Address: 'me@superoffice.example' }] },
              Sent: inReplyToSent,
              Priority: 'Normal',
              Flags: 'Seen',
              Size: 1200,
            },
            RepliedAt: repliedAt,
          },
        ],
      },
    };
    assert.deepEqual(call.args, expectedArgs);
    const first = (call.args as typeof expectedArgs).Emails.EMailEntity[0]!;
    assert.ok(first.Sent instanceof Date && first.RepliedAt instanceof Date);
    assert.deepEqual(new Uint8Array(Buffer.from(first.Attachments.EMailAttachment[0]!.Stream, 'base64')), allBytes);
    expectStandardHeaders(call, 'Send');

    // R1: the nils node-soap dropped are on the wire.
    assert.match(call.xml, /<(\w+:)?Cc xsi:nil="true"\s*\/>/);
    assert.match(call.xml, /<\/(\w+:)?EMailEntity><(\w+:)?EMailEntity xsi:nil="true"\s*\/><\/(\w+:)?Emails>/);

    // What the client decoded from node-soap's echo: the input, except what node-soap lost
    // (Cc; the null entity) or turned into nil (the empty Bcc and DuplicatePersonIds, R2).
    const { Cc: _cc, ...rest } = email;
    const expectedEcho: EMailEntity = {
      ...rest,
      Bcc: null,
      From: { ...email.From, DuplicatePersonIds: null },
    };
    assert.deepEqual(result, [expectedEcho]);
    const echoed = (result as EMailEntity[])[0]!;
    assert.ok(echoed.Sent instanceof Date);
    assert.equal(echoed.Sent.getTime(), sent.getTime());
    assert.equal(echoed.RepliedAt?.getUTCFullYear(), 1);
    assert.equal(echoed.RepliedAt?.getTime(), repliedAt.getTime());
    assert.ok(echoed.Attachments?.[0]?.Stream instanceof Uint8Array);
    assert.deepEqual(echoed.Attachments?.[0]?.Stream, allBytes);
    assert.deepEqual(echoed.Attachments?.[1]?.Stream, text);
    assert.deepEqual(echoed.Flags, ['Seen', 'Answered', 'Flagged']);
    assert.equal(typeof echoed.Size, 'number');
    assert.deepEqual(echoed.CustomHeaderList?.[1]?.Values, ['from a.example by b.example', 'from b.example by c.example']);
    assert.deepEqual(echoed.To?.[1]?.DuplicatePersonIds, [41, 42, 43]);
  });

  test('GetEMailEnvelopes: three envelopes with dates, flags and senders', async () => {
    const envelopes = [
      {
        ServerId: 101,
        MessageId: '<m101@mail.example>',
        Subject: 'Quarterly report',
        From: { PersonId: 40, Address: 'kari@acme.example', Name: 'Kari Nordmann' },
        To: { EMailAddress: [{ Address: 'me@superoffice.example' }, { Address: 'team@superoffice.example' }] },
        Sent: '2024-05-17T10:30:15+02:00', // offset: 08:30:15 UTC
        Priority: 'High',
        Flags: 'Seen Flagged',
        Size: 20480,
      },
      {
        ServerId: 102,
        MessageId: '<m102@mail.example>',
        Subject: null, // nillable: written as xsi:nil (Q4)
        From: { Address: 'noreply@example.com', DuplicatePersonIds: arraysNs('int', [7, 8]) },
        Sent: '2024-05-17T08:31:00.1234567Z', // WCF's seven fraction digits
        Priority: 'Normal',
        Flags: '', // an empty xs:list
        Size: 512,
        EMailSOInfo: { DocumentId: 900, Archived: true, ArchivedAt: '2024-05-18T00:00:00Z', ArchivedBy: 9 },
      },
      {
        ServerId: 103,
        Subject: 'Draft',
        Sent: '2024-05-17T08:32:00', // no zone: read as UTC
        Priority: 'Lowest',
        Flags: 'Draft Recent Deleted',
        Size: 0,
      },
    ];
    handlers.set('GetEMailEnvelopes', () => withXsi({ Response: { EMailEnvelope: envelopes } }));
    let result: (EMailEnvelope | null)[] | null = null;
    const call = await onlyCall(async () => {
      result = await agent().getEMailEnvelopes({
        ConnectionInfo: { ServerName: 'imap.example.com', UserName: 'me', Password: 'hunter2', Folder: 'INBOX', UseSSL: true },
        MessageServerIds: [101, 102, 103],
      });
    });
    assert.deepEqual(call.args, {
      ConnectionInfo: { ServerName: 'imap.example.com', UserName: 'me', Password: 'hunter2', Folder: 'INBOX', UseSSL: true },
      MessageServerIds: { int: [101, 102, 103] },
    });
    expectStandardHeaders(call, 'GetEMailEnvelopes');

    const list = result as unknown as EMailEnvelope[];
    assert.ok(Array.isArray(list));
    assert.equal(list.length, 3);
    assert.deepEqual(list, [
      {
        ServerId: 101,
        MessageId: '<m101@mail.example>',
        Subject: 'Quarterly report',
        From: { PersonId: 40, Address: 'kari@acme.example', Name: 'Kari Nordmann' },
        To: [{ Address: 'me@superoffice.example' }, { Address: 'team@superoffice.example' }],
        Sent: new Date('2024-05-17T08:30:15Z'),
        Priority: 'High',
        Flags: ['Seen', 'Flagged'],
        Size: 20480,
      },
      {
        ServerId: 102,
        MessageId: '<m102@mail.example>',
        Subject: null,
        From: { Address: 'noreply@example.com', DuplicatePersonIds: [7, 8] },
        Sent: new Date('2024-05-17T08:31:00.123Z'),
        Priority: 'Normal',
        Flags: [],
        Size: 512,
        EMailSOInfo: { DocumentId: 900, Archived: true, ArchivedAt: new Date('2024-05-18T00:00:00Z'), ArchivedBy: 9 },
      },
      {
        ServerId: 103,
        Subject: 'Draft',
        Sent: new Date('2024-05-17T08:32:00Z'),
        Priority: 'Lowest',
        Flags: ['Draft', 'Recent', 'Deleted'],
        Size: 0,
      },
    ]);
    for (const env of list) {
      assert.ok(env.Sent instanceof Date, 'Sent is a Date');
      assert.equal(typeof env.ServerId, 'number');
      assert.ok(Array.isArray(env.Flags));
    }
  });

  test('GetEMailAccount: an EMailAccount with credentials, plus Succeeded/ExtraInfo reply headers', async () => {
    handlers.set('GetEMailAccount', () =>
      withXsi({
        Response: {
          TableRight: { Mask: 'Select Update', Reason: null },
          EMailAccountId: 17,
          EMailAddress: 'me@superoffice.example',
          AssociateId: 9,
          IncomingCredentials: { ServiceAuthId: 1, Server: 'imap.example.com', Port: 993, AuthType: 'imap', Username: 'me', Password: null },
          OutgoingCredentials: { ServiceAuthId: 2, Server: 'smtp.example.com', Port: 587, AuthType: 'smtp', Username: 'me' },
          AccountStatus: -1,
          ErrorCount: 2,
          ErrorReason: 'Login failed twice',
        },
      }),
    );
    replyHeaderXml =
      `<Succeeded xmlns="${TNS}">true</Succeeded>` +
      `<ExtraInfo xmlns="${TNS}"><ExtraInfoNameValuePair><Key>server</Key><Value>node-soap</Value></ExtraInfoNameValuePair>` +
      `<ExtraInfoNameValuePair><Key>empty</Key><Value xmlns:i="${XSI_NS}" i:nil="true"/></ExtraInfoNameValuePair></ExtraInfo>`;

    const client = agent();
    let direct: unknown;
    let invoked: Awaited<ReturnType<EMailAgent['invoke']>> | undefined;
    const call = await onlyCall(async () => {
      direct = await client.getEMailAccount({ EMailAccountId: 17 });
    });
    assert.deepEqual(call.args, { EMailAccountId: 17 });
    expectStandardHeaders(call, 'GetEMailAccount');
    await onlyCall(async () => {
      invoked = await client.invoke('GetEMailAccount', { EMailAccountId: 17 });
    });

    const expected = {
      TableRight: { Mask: ['Select', 'Update'], Reason: null },
      EMailAccountId: 17,
      EMailAddress: 'me@superoffice.example',
      AssociateId: 9,
      IncomingCredentials: { ServiceAuthId: 1, Server: 'imap.example.com', Port: 993, AuthType: 'imap', Username: 'me', Password: null },
      OutgoingCredentials: { ServiceAuthId: 2, Server: 'smtp.example.com', Port: 587, AuthType: 'smtp', Username: 'me' },
      AccountStatus: -1,
      ErrorCount: 2,
      ErrorReason: 'Login failed twice',
    };
    assert.deepEqual(direct, expected);
    assert.ok(invoked);
    assert.deepEqual(invoked.output, { Response: expected });
    assert.equal(invoked.httpStatus, 200);
    assert.deepEqual(invoked.headers, { Succeeded: true, ExtraInfo: { server: 'node-soap', empty: null } });
  });

  test('a SOAP fault from the handler becomes SoapFaultError (node-soap default HTTP 200, Q6)', async () => {
    handlers.set('GetEMailAccount', () => {
      throw { Fault: { faultcode: 's:Client', faultstring: 'EMail account 404 does not exist', detail: 'SoDataException: no row' } };
    });
    let caught: unknown;
    const call = await onlyCall(async () => {
      await agent().getEMailAccount({ EMailAccountId: 404 }).catch((err: unknown) => (caught = err));
    });
    assert.deepEqual(call.args, { EMailAccountId: 404 });
    expectStandardHeaders(call, 'GetEMailAccount');
    assert.ok(caught instanceof SoapFaultError, `expected SoapFaultError, got ${String(caught)}`);
    assert.equal(caught.code, 's:Client');
    assert.equal(caught.reason, 'EMail account 404 does not exist');
    assert.equal(caught.detail, 'SoDataException: no row');
    assert.equal(caught.httpStatus, 200);
    assert.equal(caught.operation, 'GetEMailAccount');
    assert.match(caught.message, /s:Client/);
    assert.match(caught.message, /EMail account 404 does not exist/);
    assert.ok(!caught.message.includes(TICKET) && !caught.message.includes(TOKEN));
  });

  test('a SOAP fault (HTTP 500) that echoes the ticket and token: neither appears in the error', async () => {
    handlers.set('SyncEmailAccount', (_args, headers) => {
      const h = headers as { ApplicationToken: string; Credentials: { Ticket: string } };
      throw {
        Fault: {
          faultcode: 's:Server',
          faultstring: `Ticket ${h.Credentials.Ticket} is expired (application ${h.ApplicationToken})`,
          detail: `ticket=${h.Credentials.Ticket}; token=${h.ApplicationToken}`,
          statusCode: 500,
        },
      };
    });
    let caught: unknown;
    const call = await onlyCall(async () => {
      await agent().syncEmailAccount({ SyncUserAccount: { AccountId: 1 } }).catch((err: unknown) => (caught = err));
    });
    assert.deepEqual(call.args, { SyncUserAccount: { AccountId: 1 } });
    expectStandardHeaders(call, 'SyncEmailAccount');
    // The server really did put the secrets into the fault.
    const reply = replies[replies.length - 1]!;
    assert.ok(reply.includes(TICKET) && reply.includes(TOKEN));

    assert.ok(caught instanceof SoapFaultError, `expected SoapFaultError, got ${String(caught)}`);
    assert.equal(caught.code, 's:Server');
    assert.equal(caught.httpStatus, 500);
    assert.equal(caught.reason, 'Ticket *** is expired (application ***)');
    assert.equal(caught.detail, 'ticket=***; token=***');
    for (const text of [caught.message, caught.reason, caught.detail ?? '', String(caught.stack)]) {
      assert.ok(!text.includes(TICKET), `the ticket leaks into: ${text}`);
      assert.ok(!text.includes(TOKEN), `the token leaks into: ${text}`);
    }
  });

  test('an ExceptionInfo reply header becomes SoExceptionError', async () => {
    handlers.set('GetEMailAccount', () => ({}));
    replyHeaderXml =
      `<ExceptionInfo xmlns="${TNS}"><Message>Account is locked</Message><FriendlyText>Kontoen er låst</FriendlyText>` +
      `<ExceptionType>SoSecurityException</ExceptionType><Source>NetServer</Source>` +
      `<InnerException><Message>inner cause</Message></InnerException></ExceptionInfo>` +
      `<Succeeded xmlns="${TNS}">false</Succeeded>`;
    let caught: unknown;
    await onlyCall(async () => {
      await agent().getEMailAccount({ EMailAccountId: 18 }).catch((err: unknown) => (caught = err));
    });
    assert.ok(caught instanceof SoExceptionError, `expected SoExceptionError, got ${String(caught)}`);
    assert.equal(caught.exceptionType, 'SoSecurityException');
    assert.equal(caught.friendlyText, 'Kontoen er låst');
    assert.equal(caught.source, 'NetServer');
    assert.deepEqual(caught.inner, { Message: 'inner cause' });
    assert.match(caught.message, /Account is locked/);
  });
});
