// The generated EMail mock against two independent SOAP clients: Python's zeep (strict mode,
// WS-Addressing headers on) and PHP's SoapClient. Each runs a small script in test/interop/
// that loads EMail.wsdl, calls the mock on 127.0.0.1 for SyncEmailAccount, SyncEmailAccounts,
// Send (a deep EMailEntity), GetEMailEnvelopes, GetEMailAccount, TestAuthenticate (the handler
// throws a SoExceptionError) and HasNewMail (the handler throws an Error), and prints what it
// decoded as JSON. The test checks both sides: what the handlers received (mock.calls: typed
// values, request headers, SOAPAction) and what zeep / PHP decoded from the mock's replies.
//
// The tools are required, not optional: a missing interpreter or module FAILS these tests, so CI
// cannot pass without them (.ci/run installs python3-zeep, php-cli and php-soap from Debian).
// zeep comes from Debian's python3-zeep, which only the system interpreter sees: the test runs
// /usr/bin/python3 when it exists (override with ZEEP_PYTHON), and `php` (override with PHP_CLI).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SoExceptionError, type EMailAddress, type EMailEntity, type EMailEnvelope } from '../../generated/EMail/index.js';
import { createEMailMockServer, type EMailMockCall, type ListeningMock } from '../../generated/EMail/mock.js';
import { repoRoot, wsdlFixturesDir } from '../support/paths.js';

const TNS = 'http://www.superoffice.net/ws/crm/NetServer/Services86';
const ACTION = (op: string) => `${TNS}/EMail/${op}`;
const PYTHON = process.env['ZEEP_PYTHON'] ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
const PHP = process.env['PHP_CLI'] ?? 'php';

// ── The mock and its handlers ────────────────────────────────────────────────────────────────

const address = (n: number): EMailAddress => ({ PersonId: n, Address: `p${n}@example.com`, Name: `Person ${n} <&>`, DuplicatePersonIds: [n, n + 1] });

const mock = createEMailMockServer({
  SyncEmailAccount: () => undefined,
  SyncEmailAccounts: async () => {},
  Send: async ({ Emails }) => ({ Response: Emails ? Emails.map((e) => (e ? { ...e, IsSent: true, ServerId: 77, EmailItemId: 1001 } : e)) : null }),
  GetEMailEnvelopes: async ({ MessageServerIds }) => ({
    Response: (MessageServerIds ?? []).map(
      (id): EMailEnvelope => ({
        ServerId: id,
        MessageId: `<${id}@example.com>`,
        Subject: `Subject ${id} æøå`,
        From: address(id),
        To: [address(id + 100)],
        Sent: new Date(Date.UTC(2024, 0, id, 10, 11, 12, 345)),
        Priority: 'High',
        Flags: ['Seen', 'Answered'],
        Size: 1000 + id,
      }),
    ),
  }),
  GetEMailAccount: async ({ EMailAccountId }) => ({
    Response: {
      EMailAccountId,
      EMailAddress: 'jdoe@example.com',
      AssociateId: 5,
      IncomingCredentials: { ServiceAuthId: 3, Server: 'imap.example.com', Port: 993, AuthType: 'basic', Username: 'jdoe', Password: null },
      AccountStatus: 1,
      ErrorCount: 0,
      ErrorReason: null,
    },
  }),
  TestAuthenticate: async () => {
    throw new SoExceptionError({
      ExceptionType: 'SoServerException',
      Message: 'No access',
      FriendlyText: 'Denied',
      Parameters: { AccountId: '12' },
      InnerException: { Message: 'inner' },
    });
  },
  HasNewMail: async () => {
    throw new Error('database is down');
  },
}, { wsdl: readFileSync(join(wsdlFixturesDir, 'EMail.wsdl'), 'utf8') });

let server: ListeningMock;
before(async () => {
  server = await mock.listen();
});
after(() => server.close());

// ── Running the scripts ──────────────────────────────────────────────────────────────────────

function run(command: string, args: string[], install: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd: repoRoot, timeout: 120_000, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } }, (err, stdout, stderr) => {
      if (err) {
        const missing = (err as NodeJS.ErrnoException).code === 'ENOENT' || /No module named 'zeep'|Class "SoapClient" not found/.test(stderr);
        reject(new Error(`${command} ${args[0]} failed${missing ? ` — is it installed? (${install})` : ''}: ${err.message}\n${stderr}`));
        return;
      }
      try {
        resolve(JSON.parse(stdout) as Record<string, unknown>);
      } catch {
        reject(new Error(`${command} ${args[0]} printed no JSON:\n${stdout}\n${stderr}`));
      }
    });
  });
}

// ── Expected values ──────────────────────────────────────────────────────────────────────────

type Client = 'zeep' | 'php';

const TICKETS: Record<Client, string> = { zeep: '7T:emVlcC10aWNrZXQ=', php: '7T:cGhwLXRpY2tldA==' };
const TOKENS: Record<Client, string> = { zeep: 'zeep-app-token', php: 'php-app-token' };
const TIME_ZONE = { SoTimeZoneId: 287, SoTimeZoneLocationCode: 'Europe/Oslo' };
const OPERATIONS = ['SyncEmailAccount', 'SyncEmailAccounts', 'Send', 'GetEMailEnvelopes', 'GetEMailAccount', 'TestAuthenticate', 'HasNewMail'];

const bytes = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
const base64 = (data: Uint8Array) => ({ base64: Buffer.from(data).toString('base64') });

/** What each client sends for Send, as the handler must receive it (typed values). */
function sentEmail(client: Client): EMailEntity {
  return {
    To: [
      { PersonId: 7, Address: 'anna@example.com', DuplicatePersonIds: [7, 8], Name: 'Anna Ås' },
      { Address: 'bo@example.com', Name: 'Bo <b>' },
    ],
    Cc: [{ Address: 'cc@example.com' }],
    Subject: 'Quarterly report & <figures>',
    HTMLBody: '<p>Hello</p>',
    From: { AssociateId: 5, Address: 'me@example.com', Name: 'Me' },
    Sent: new Date('2024-05-06T07:08:09.123Z'),
    Size: 2048,
    Priority: 'High',
    Flags: ['Seen', 'Flagged'],
    MessageID: '<abc@example.com>',
    IsSent: false,
    Attachments: [{ Description: 'notes', Filename: 'notes.txt', Size: 11, Type: 'text/plain', Stream: bytes(`hello\u0000\u00ff${client}`) }],
    CustomHeaderList: [{ Name: 'X-Mailer', Values: [client, client === 'zeep' ? 'strict' : 'SoapClient'] }],
    // Both send 09:00 at +02:00.
    ReceivedAt: new Date('2024-05-06T07:00:00.000Z'),
  };
}

/** What each handler received, in order. */
function expectedCalls(client: Client): EMailMockCall[] {
  const headers = { ApplicationToken: TOKENS[client], Credentials: { Ticket: TICKETS[client] }, TimeZone: TIME_ZONE };
  const call = <C extends EMailMockCall>(operation: C['operation'], input: C['input']) =>
    ({ operation, input, headers, soapAction: ACTION(operation) }) as EMailMockCall;
  return [
    call('SyncEmailAccount', { SyncUserAccount: { AccountId: 12, AssociateName: `jdoe <${client}> & co`, AssociateId: 5 } }),
    call('SyncEmailAccounts', {
      SyncUserAccounts: [
        { AccountId: 1, AssociateName: 'first', AssociateId: 11 },
        { AccountId: 2, AssociateName: 'second ÆØÅ', AssociateId: 22 },
      ],
    }),
    call('Send', { Emails: [sentEmail(client)] }),
    call('GetEMailEnvelopes', {
      ConnectionInfo: { ServerName: 'imap.example.com', UserName: 'jdoe', Password: 'secret', Folder: 'INBOX', UseSSL: true },
      MessageServerIds: [3, 5],
    }),
    call('GetEMailAccount', { EMailAccountId: 42 }),
    call('TestAuthenticate', {}),
    call('HasNewMail', {}),
  ];
}

/**
 * The replies as a WSDL-driven client shows them: WCF arrays as `{ ItemName: [...] }`, dates as
 * Date (each client's rendering is applied below), flags as arrays, bytes as base64, nil as null.
 */
function wireAddress(n: number) {
  return { PersonId: n, Address: `p${n}@example.com`, Name: `Person ${n} <&>`, DuplicatePersonIds: { int: [n, n + 1] } };
}

function expectedBodies(client: Client): Record<string, unknown> {
  const email = sentEmail(client);
  return {
    Send: {
      Response: {
        EMailEntity: [
          {
            To: {
              EMailAddress: [
                { PersonId: 7, Address: 'anna@example.com', DuplicatePersonIds: { int: [7, 8] }, Name: 'Anna Ås' },
                { Address: 'bo@example.com', Name: 'Bo <b>' },
              ],
            },
            Cc: { EMailAddress: [{ Address: 'cc@example.com' }] },
            Subject: 'Quarterly report & <figures>',
            HTMLBody: '<p>Hello</p>',
            From: { AssociateId: 5, Address: 'me@example.com', Name: 'Me' },
            Sent: new Date('2024-05-06T07:08:09.123Z'),
            Size: 2048,
            Priority: 'High',
            Flags: ['Seen', 'Flagged'],
            MessageID: '<abc@example.com>',
            IsSent: true,
            ServerId: 77,
            Attachments: { EMailAttachment: [{ Description: 'notes', Filename: 'notes.txt', Size: 11, Type: 'text/plain', Stream: base64(email.Attachments![0]!.Stream!) }] },
            CustomHeaderList: { EMailCustomHeader: [{ Name: 'X-Mailer', Values: { string: email.CustomHeaderList![0]!.Values } }] },
            EmailItemId: 1001,
            ReceivedAt: new Date('2024-05-06T07:00:00.000Z'),
          },
        ],
      },
    },
    GetEMailEnvelopes: {
      Response: {
        EMailEnvelope: [3, 5].map((id) => ({
          ServerId: id,
          MessageId: `<${id}@example.com>`,
          Subject: `Subject ${id} æøå`,
          From: wireAddress(id),
          To: { EMailAddress: [wireAddress(id + 100)] },
          Sent: new Date(Date.UTC(2024, 0, id, 10, 11, 12, 345)),
          Priority: 'High',
          Flags: ['Seen', 'Answered'],
          Size: 1000 + id,
        })),
      },
    },
    GetEMailAccount: {
      Response: {
        EMailAccountId: 42,
        EMailAddress: 'jdoe@example.com',
        AssociateId: 5,
        IncomingCredentials: { ServiceAuthId: 3, Server: 'imap.example.com', Port: 993, AuthType: 'basic', Username: 'jdoe', Password: null },
        AccountStatus: 1,
        ErrorCount: 0,
        ErrorReason: null,
      },
    },
  };
}

const SUCCEEDED = { Succeeded: true, TimeZone: TIME_ZONE };
const EXCEPTION_HEADERS = {
  ExceptionInfo: {
    Message: 'No access',
    FriendlyText: 'Denied',
    ExceptionType: 'SoServerException',
    InnerException: { Message: 'inner' },
    Parameters: { SoExceptionInfoParametersKeyValuePair: [{ Key: 'AccountId', Value: '12' }] },
  },
  Succeeded: false,
  TimeZone: TIME_ZONE,
};
const FAULT = { fault: { code: 's:Server', message: 'database is down' } };

/** zeep's rendering: every element of the type is present (absent and nil both as None), so nulls are dropped; dates as ISO with ms. */
function zeepView(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(zeepView);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== null)
        .map(([k, v]) => [k, zeepView(v)]),
    );
  }
  return value;
}

/** PHP's rendering: absent elements are missing, nil ones null; dateTime and xs:list values stay the text on the wire. */
function phpView(value: unknown, key = ''): unknown {
  if (value instanceof Date) return value.toISOString().replace('.000Z', 'Z');
  if (Array.isArray(value)) return key === 'Flags' ? value.join(' ') : value.map((v) => phpView(v));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, phpView(v, k)]));
  return value;
}

// ── The tests ────────────────────────────────────────────────────────────────────────────────

describe('zeep (python3-zeep, strict) against the generated mock', () => {
  let out: Record<string, unknown> = {};
  let calls: EMailMockCall[] = [];
  let failure: unknown;
  before(async () => {
    mock.reset();
    // zeep loads the WSDL from the mock itself (?wsdl), so the served WSDL is parsed by zeep too.
    try {
      out = await run(PYTHON, [join('test', 'interop', 'zeep_client.py'), server.wsdlUrl, server.url], 'apt-get install python3-zeep');
    } catch (err) {
      failure = err;
    }
    calls = [...mock.calls];
  });

  test('the zeep script ran (python3-zeep is installed)', () => {
    if (failure) throw failure;
  });

  test('the handlers received the typed values, headers and SOAPAction zeep sent', () => {
    assert.deepEqual(calls.map((c) => c.operation), OPERATIONS);
    const expected = expectedCalls('zeep');
    for (let i = 0; i < expected.length; i++) assert.deepStrictEqual(calls[i], expected[i], OPERATIONS[i]);
  });

  test('zeep sent WS-Addressing header blocks, which the mock ignored', () => {
    assert.deepEqual(out['sentHeaderBlocks'], [
      `{${TNS}}ApplicationToken`,
      `{${TNS}}Credentials`,
      `{${TNS}}TimeZone`,
      '{http://www.w3.org/2005/08/addressing}Action',
      '{http://www.w3.org/2005/08/addressing}MessageID',
      '{http://www.w3.org/2005/08/addressing}To',
    ]);
    assert.deepEqual(out['sentHttpHeaders'], { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: `"${ACTION('GetEMailAccount')}"` });
  });

  test('the served WSDL carries the mock address', () => {
    assert.equal(out['wsdlAddress'], server.url);
  });

  test('zeep decoded the replies (strict mode: order and names as the schema says)', () => {
    const bodies = expectedBodies('zeep');
    assert.deepStrictEqual(zeepView(out['SyncEmailAccount']), { header: SUCCEEDED });
    assert.deepStrictEqual(zeepView(out['SyncEmailAccounts']), { header: SUCCEEDED });
    for (const op of ['Send', 'GetEMailEnvelopes', 'GetEMailAccount']) {
      assert.deepStrictEqual(zeepView(out[op]), { body: zeepView(bodies[op]), header: SUCCEEDED }, op);
    }
    // Nil elements arrive as None.
    const account = (out['GetEMailAccount'] as { body: { Response: Record<string, unknown> } }).body.Response;
    assert.equal(account['ErrorReason'], null);
  });

  test('a SoExceptionError reached zeep as Succeeded=false with ExceptionInfo; an Error as a SOAP Fault', () => {
    assert.deepStrictEqual(zeepView(out['TestAuthenticate']), { body: {}, header: EXCEPTION_HEADERS });
    assert.deepStrictEqual(out['HasNewMail'], FAULT);
  });
});

describe("PHP's SoapClient (php-soap) against the generated mock", () => {
  let out: Record<string, unknown> = {};
  let calls: EMailMockCall[] = [];
  let failure: unknown;
  before(async () => {
    mock.reset();
    // PHP loads the WSDL file and sends to the mock (the `location` option).
    try {
      out = await run(PHP, [join('test', 'interop', 'php_client.php'), join(wsdlFixturesDir, 'EMail.wsdl'), server.url], 'apt-get install php-cli php-soap');
    } catch (err) {
      failure = err;
    }
    calls = [...mock.calls];
  });

  test('the PHP script ran (php-cli and php-soap are installed)', () => {
    if (failure) throw failure;
  });

  test('the handlers received the typed values, headers and SOAPAction PHP sent', () => {
    assert.deepEqual(calls.map((c) => c.operation), OPERATIONS);
    const expected = expectedCalls('php');
    for (let i = 0; i < expected.length; i++) assert.deepStrictEqual(calls[i], expected[i], OPERATIONS[i]);
    assert.match(String(out['lastRequestHeaders']), /\r\nContent-Type: text\/xml; charset=utf-8\r\n/);
  });

  test('PHP decoded the replies', () => {
    const bodies = expectedBodies('php');
    assert.deepStrictEqual(out['SyncEmailAccount'], { body: [], header: SUCCEEDED });
    assert.deepStrictEqual(out['SyncEmailAccounts'], { body: [], header: SUCCEEDED });
    for (const op of ['Send', 'GetEMailEnvelopes', 'GetEMailAccount']) {
      assert.deepStrictEqual(out[op], { body: phpView(bodies[op]), header: SUCCEEDED }, op);
    }
  });

  test('a SoExceptionError reached PHP as Succeeded=false with ExceptionInfo; an Error as a SoapFault', () => {
    assert.deepStrictEqual(out['TestAuthenticate'], { body: [], header: EXCEPTION_HEADERS });
    assert.deepStrictEqual(out['HasNewMail'], FAULT);
  });
});
