// The generated EMailAgent with `transport: 'rest'` against a real HTTP server on 127.0.0.1: the
// request it sends to the Agents API (path, query, body, credentials as HTTP headers), the values
// it returns, and each way the Agents API reports a failure — an error object with HTTP 200 or an
// error status, ASP.NET's Message/MessageDetail object, null where the result cannot be null, an
// HTML error page, a body that is not JSON — as the same typed errors as SOAP, with the ticket and
// token (which the server echoes back) removed.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { DecodeError, EMailAgent, EMailOperations, EncodeError, HttpError, SoapError, SoExceptionError, TransportError } from '../../generated/EMail/index.js';
import { restCodec } from '../../generated/runtime/index.js';

const TICKET = '7T:cmVzdCB0aWNrZXQ/Kw==';
const TOKEN = 'rest-app-token-91';

interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

let server: http.Server;
let base = '';
let received: Received[] = [];
let answer: (req: Received, res: http.ServerResponse) => void = (_req, res) => res.end();

before(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(r);
      answer(r, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function json(status: number, body: string, contentType = 'application/json; charset=utf-8') {
  return (_req: Received, res: http.ServerResponse) => {
    res.statusCode = status;
    res.setHeader('Content-Type', contentType);
    res.end(body);
  };
}

function agent(extra: Partial<ConstructorParameters<typeof EMailAgent>[0]> = {}) {
  received = [];
  return new EMailAgent({ baseUrl: `${base}/Cust12345/`, ticket: TICKET, applicationToken: TOKEN, transport: 'rest', ...extra });
}

async function failure(call: Promise<unknown>): Promise<Error> {
  return call.then(
    () => assert.fail('the call should have failed'),
    (err: unknown) => err as Error,
  );
}

function assertNoSecrets(err: Error): void {
  const text = `${err.message}\n${err.stack}\n${JSON.stringify(err)}`;
  for (const s of [TICKET, TOKEN, encodeURIComponent(TICKET), JSON.stringify(TICKET).slice(1, -1)]) assert.ok(!text.includes(s), `"${s}" leaked: ${text}`);
}

describe("transport: 'rest' — the request", () => {
  test('a single-id Get takes its id in the query string, no body; credentials, token and time zone as HTTP headers', async () => {
    answer = json(200, '{"EMailAccountId":546,"EMailAddress":"anna@example.com","AccountStatus":1,"ErrorCount":0,"TableRight":null,"FieldProperties":{}}');
    const account = await agent({ timeZone: { SoTimeZoneId: 261 } }).getEMailAccount({ EMailAccountId: 546 });
    assert.deepEqual(account, { EMailAccountId: 546, EMailAddress: 'anna@example.com', AccountStatus: 1, ErrorCount: 0, TableRight: null, FieldProperties: {} });
    const [r] = received;
    assert.equal(r!.method, 'POST');
    assert.equal(r!.url, '/Cust12345/api/v1/Agents/EMail/GetEMailAccount?EMailAccountId=546');
    assert.equal(r!.body, '');
    assert.equal(r!.headers['authorization'], `SOTicket ${TICKET}`);
    assert.equal(r!.headers['so-apptoken'], TOKEN);
    assert.equal(r!.headers['so-timezone'], '261, includeTZOffset');
    assert.equal(r!.headers['accept'], 'application/json');
    assert.equal(r!.headers['content-type'], undefined);
    assert.equal(r!.headers['soapaction'], undefined);
  });

  test('other methods send a JSON body keyed by the WSDL parameter names: dates as ISO instants, flags as .NET\'s "A, B", bytes as base64', async () => {
    answer = json(200, '[]');
    const sent = new Date('2024-05-06T07:08:09.123Z');
    const result = await agent({ timeZone: { SoTimeZoneLocationCode: 'NO' } }).send({
      Emails: [{ Subject: 'Hi', Sent: sent, Flags: ['Seen', 'Answered'], Attachments: [{ Filename: 'a.txt', Stream: new Uint8Array([104, 105]) }], From: null }],
    });
    assert.deepEqual(result, []);
    const [r] = received;
    assert.equal(r!.url, '/Cust12345/api/v1/Agents/EMail/Send');
    assert.equal(r!.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(r!.headers['so-timezone'], 'NO, includeTZOffset');
    assert.deepEqual(JSON.parse(r!.body), {
      Emails: [{ Subject: 'Hi', From: null, Sent: '2024-05-06T07:08:09.123Z', Flags: 'Seen, Answered', Attachments: [{ Filename: 'a.txt', Stream: 'aGk=' }] }],
    });
  });

  test('SaveEMailAccount sends the entity itself as the body', async () => {
    answer = json(200, '{"EMailAccountId":3}');
    const saved = await agent().saveEMailAccount({ EMailAccount: { EMailAccountId: 3, EMailAddress: 'x@example.com' } });
    assert.deepEqual(saved, { EMailAccountId: 3 });
    assert.deepEqual(JSON.parse(received[0]!.body), { EMailAccountId: 3, EMailAddress: 'x@example.com' });
  });

  test('an input the schema does not allow is an EncodeError before anything is sent', async () => {
    const err = await failure(agent().send({ Emails: [{ Flags: ['Shiny' as 'Seen'] }] }));
    assert.ok(err instanceof EncodeError, String(err));
    assert.match(err.message, /"Shiny" is not a known value \(expected one of Seen, .*\) at Send\/Emails\[0\]\/Flags\[0\]/);
    assert.equal(received.length, 0);
  });

  test('an endpoint that does not end in the service path cannot be turned into an installation address: SoapError, nothing sent', async () => {
    const err = await failure(agent({ baseUrl: undefined, endpoint: `${base}/somewhere/else` }).getCurrentAccountId());
    assert.ok(err instanceof SoapError && !(err instanceof HttpError), String(err));
    assert.match(err.message, /transport 'rest' needs the installation address/);
    assert.equal(received.length, 0);
  });

  test('an endpoint ending in the service path works: the installation address is what precedes it', async () => {
    answer = json(200, '42');
    const id = await agent({ baseUrl: undefined, endpoint: `${base}/Cust9/Remote/Services86/EMail.svc` }).getCurrentAccountId();
    assert.equal(id, 42);
    assert.equal(received[0]!.url, '/Cust9/api/v1/Agents/EMail/GetCurrentAccountId');
  });
});

describe("transport: 'rest' — responses and failures", () => {
  test('204 No Content: a void method returns undefined', async () => {
    answer = (_req, res) => {
      res.statusCode = 204;
      res.end();
    };
    assert.equal(await agent().deleteEMailAccount({ EMailAccountId: 447 }), undefined);
    assert.equal(received[0]!.url, '/Cust12345/api/v1/Agents/EMail/DeleteEMailAccount?EMailAccountId=447');
  });

  test('null for a nillable result is null ("nothing to return")', async () => {
    answer = json(200, 'null');
    assert.equal(await agent().getEMailAccount({ EMailAccountId: 9999 }), null);
  });

  test('null where the result cannot be null is the failure the Agents API means by it: SoExceptionError', async () => {
    answer = json(200, 'null');
    const err = await failure(agent().getCurrentAccountId());
    assert.ok(err instanceof SoExceptionError, String(err));
    assert.match(err.message, /answered null, which GetCurrentAccountId cannot return/);
  });

  test('HTTP 200 with an error object is a SoExceptionError, the ticket echoed in it removed', async () => {
    answer = json(200, JSON.stringify({ Error: true, ErrorType: 'SoNotFoundException', ErrorMessage: `no account for ticket ${TICKET}`, ErrorSource: 'SuperOffice.Services' }));
    const err = await failure(agent().getEMailAccount({ EMailAccountId: 1 }));
    assert.ok(err instanceof SoExceptionError, String(err));
    assert.equal(err.exceptionType, 'SoNotFoundException');
    assert.equal(err.source, 'SuperOffice.Services');
    assert.equal(err.operation, 'GetEMailAccount');
    assert.match(err.message, /^GetEMailAccount: SoNotFoundException: no account for ticket \*\*\*$/);
    assertNoSecrets(err);
  });

  test("ASP.NET's { Message, MessageDetail } object is a SoExceptionError with both texts", async () => {
    answer = json(200, JSON.stringify({ Message: 'The request is invalid.', MessageDetail: "The parameters dictionary contains a null entry for parameter 'eMailAccountId'." }));
    const err = await failure(agent().getEMailAccount({ EMailAccountId: 1 }));
    assert.ok(err instanceof SoExceptionError, String(err));
    assert.equal(err.message, "GetEMailAccount: The request is invalid. The parameters dictionary contains a null entry for parameter 'eMailAccountId'.");
  });

  // ASP.NET and Json.NET bind property names ignoring case; a server writing camelCase (ASP.NET Core's
  // default) sends the same error objects as `error`/`errorMessage`, `message`/`messageDetail`. They
  // were read as a result with no known property: an empty object, with HTTP 200 no error at all.
  test('error objects in camelCase are the same SoExceptionError, with HTTP 200 or an error status', async () => {
    for (const status of [200, 500]) {
      answer = json(status, JSON.stringify({ error: true, errorType: 'SoNotFoundException', errorMessage: `EMailAccount id 1 not found (${TICKET})`, errorSource: 'SuperOffice.Services' }));
      let err = await failure(agent().getEMailAccount({ EMailAccountId: 1 }));
      assert.ok(err instanceof SoExceptionError, `${status}: ${String(err)}`);
      assert.equal(err.message, 'GetEMailAccount: SoNotFoundException: EMailAccount id 1 not found (***)');
      assert.equal(err.source, 'SuperOffice.Services');
      answer = json(status, JSON.stringify({ message: 'The request is invalid.', messageDetail: 'No account.', modelState: { id: ['Bad.'] }, innerException: { message: 'inner' } }));
      err = await failure(agent().getEMailAccount({ EMailAccountId: 1 }));
      assert.ok(err instanceof SoExceptionError, `${status}: ${String(err)}`);
      assert.equal(err.message, 'GetEMailAccount: The request is invalid. No account. id: Bad. (innermost: inner)');
      assert.deepEqual(err.inner, { Message: 'inner' });
    }
  });

  // An "Error": true object may carry its text in `Message` instead of `ErrorMessage`; the user was told
  // 'the Agents API reported an error without a message' while the answer held one.
  test('an "Error": true object with Message instead of ErrorMessage: the SoExceptionError says that Message', async () => {
    for (const [status, body] of [
      [200, { Error: true, Message: `Contact id 9 not found (${TICKET})` }],
      [404, { error: true, errorType: 'SoNotFoundException', message: `Contact id 9 not found (${TICKET})` }],
    ] as const) {
      answer = json(status, JSON.stringify(body));
      const err = await failure(agent().getEMailAccount({ EMailAccountId: 9 }));
      assert.ok(err instanceof SoExceptionError, `${status}: ${String(err)}`);
      assert.match(err.message, /^GetEMailAccount: (?:SoNotFoundException: )?Contact id 9 not found \(\*\*\*\)$/);
      assertNoSecrets(err);
    }
    // ErrorMessage, where there is one, is the text, as before.
    answer = json(200, JSON.stringify({ Error: true, ErrorMessage: 'the text', Message: 'another text' }));
    assert.match((await failure(agent().getEMailAccount({ EMailAccountId: 9 }))).message, /^GetEMailAccount: (?:SoException: )?the text$/);
    answer = json(200, JSON.stringify({ Error: true }));
    assert.match((await failure(agent().getEMailAccount({ EMailAccountId: 9 }))).message, /the Agents API reported an error without a message$/);
  });

  // ASP.NET's answer to a request its model binding refuses (the Agents API page's `?contactEntityId=glops`):
  // what is wrong is only in ModelState, by parameter.
  test("400 with ASP.NET's ModelState: the message says what each parameter got wrong, Parameters holds it by name", async () => {
    answer = json(
      400,
      JSON.stringify({
        Message: 'The request is invalid.',
        ModelState: { eMailAccountId: ["The value 'glops' is not valid for Int32."], 'request.Emails[0].Size': ['Required.', 'Too large.'] },
      }),
    );
    const err = await failure(agent().getEMailAccount({ EMailAccountId: 1 }));
    assert.ok(err instanceof SoExceptionError, String(err));
    assert.equal(
      err.message,
      "GetEMailAccount: The request is invalid. eMailAccountId: The value 'glops' is not valid for Int32. request.Emails[0].Size: Required. Too large.",
    );
    assert.deepEqual(err.parameters, { eMailAccountId: "The value 'glops' is not valid for Int32.", 'request.Emails[0].Size': 'Required. Too large.' });
  });

  test('an error status with an error object is a SoExceptionError; the JSON-escaped token echoed in it removed', async () => {
    answer = json(500, JSON.stringify({ Error: true, ErrorType: 'SoSecurityException', ErrorMessage: `bad token "${TOKEN}" / ${TICKET}` }));
    const err = await failure(agent().getEMailAccount({ EMailAccountId: 1 }));
    assert.ok(err instanceof SoExceptionError, String(err));
    assert.equal(err.exceptionType, 'SoSecurityException');
    assertNoSecrets(err);
  });

  test('an error status with any other body is an HttpError with a redacted excerpt', async () => {
    answer = json(401, `<html><body>ticket ${TICKET} expired</body></html>`, 'text/html; charset=utf-8');
    const err = await failure(agent().getEMailAccount({ EMailAccountId: 1 }));
    assert.ok(err instanceof HttpError, String(err));
    assert.equal(err.status, 401);
    assert.equal(err.bodyExcerpt, '<html><body>ticket *** expired</body></html>');
    assertNoSecrets(err);
  });

  // The Retry-After reaches the caller and the retry policy on the HttpError alone: 10 s is under the
  // policy's cap (maxRetryAfterMs, 30 s) but past the 5 s left, so no wait is begun (a policy that
  // did not see it would back off for ~200 ms and send again).
  test("a 503's Retry-After is on the HttpError, where the retry policy reads it: 10 s past the time left is not waited for, one request", async () => {
    answer = (_req, res) => {
      res.writeHead(503, { 'Retry-After': '10', 'Content-Type': 'text/plain' });
      res.end('busy');
    };
    const err = await failure(agent({ timeoutMs: 5_000, retry: { random: () => 0 } }).getEMailAccount({ EMailAccountId: 1 }));
    assert.ok(err instanceof HttpError, String(err));
    assert.equal(err.status, 503);
    assert.equal(err.retryAfter, '10');
    assert.equal(received.length, 1);
  });

  test('a 2xx body that is not JSON is a DecodeError', async () => {
    answer = json(200, '<EMailAccount/>', 'application/xml');
    const err = await failure(agent().getEMailAccount({ EMailAccountId: 1 }));
    assert.ok(err instanceof DecodeError, String(err));
    assert.match(err.message, /the message is not JSON/);
  });

  // A sign-in page answered with 200 (a proxy's, or a signed-out session's): the SOAP transport says
  // "an HTML page"; REST said only JSON.parse's complaint about its first character.
  test('a 2xx HTML page is a DecodeError that names its Content-Type and shows its start, secrets removed', async () => {
    answer = json(200, `<!DOCTYPE html>\n<html><head><title>SuperOffice - Sign in</title></head><body><form action="/login?t=${TICKET}">`, 'text/html; charset=utf-8');
    const err = await failure(agent().getEMailAccount({ EMailAccountId: 1 }));
    assert.ok(err instanceof DecodeError, String(err));
    assert.match(err.message, /^GetEMailAccount: the message is not JSON \(Content-Type text\/html; charset=utf-8\): <!DOCTYPE html> <html><head><title>SuperOffice - Sign in<\/title>.*t=\*\*\*">$/);
    assertNoSecrets(err);
  });

  test('a value the schema does not allow is a DecodeError naming the property path', async () => {
    answer = json(200, '{"EMailAccountId":"five"}');
    const err = await failure(agent().getEMailAccount({ EMailAccountId: 1 }));
    assert.ok(err instanceof DecodeError, String(err));
    assert.match(err.message, /"five" is not an integer \(xs:int\) at GetEMailAccountResponse\/Response\/EMailAccountId/);
  });

  test('.NET date-times with offsets and 7-digit fractions become the right instants', async () => {
    answer = json(200, '{"EMailSOInfoId":1,"ArchivedAt":"2014-08-25T14:19:03.3883958+02:00"}');
    const info = await agent().getEMailSOInfo({ EMailSOInfoId: 57 });
    assert.ok(info?.ArchivedAt instanceof Date);
    assert.equal(info.ArchivedAt.toISOString(), '2014-08-25T12:19:03.388Z');
    assert.equal(received[0]!.url, '/Cust12345/api/v1/Agents/EMail/GetEMailSOInfo?EMailSOInfoId=57');
  });

  // http-headers.md: with SO-TimeZone the server converts dates to that zone "but it will leave the
  // dates without a time zone specifier" -- read as UTC, a wrong instant -- unless includeTZOffset
  // asks for the offsets: `SO-TimeZone: US-NY, includeTZOffset` -> "2018-12-24T07:34:45-0500".
  test('with a time zone, the offsets are asked for (includeTZOffset): dates in that zone become the right instants', async () => {
    answer = (req, res) => {
      const flags = String(req.headers['so-timezone']).split(',').map((s) => s.trim());
      const sent = flags.includes('includeTZOffset') ? '2018-12-24T07:34:45-0500' : '2018-12-24T07:34:45';
      json(200, JSON.stringify([{ Sent: sent }]))(req, res);
    };
    const [envelope] = (await agent({ timeZone: { SoTimeZoneLocationCode: 'US-NY' } }).getEMailEnvelopes({}))!;
    assert.equal(envelope!.Sent!.toISOString(), '2018-12-24T12:34:45.000Z');
    assert.equal(received[0]!.headers['so-timezone'], 'US-NY, includeTZOffset');
  });

  test('a refused connection is a TransportError, as on SOAP', async () => {
    const err = await failure(new EMailAgent({ baseUrl: 'http://127.0.0.1:9', ticket: TICKET, transport: 'rest' }).getCurrentAccountId());
    assert.ok(err instanceof TransportError, String(err));
    assert.equal(err.reason, 'network');
  });

  test('the codec is the public JSON side of each operation', () => {
    const { query, body } = restCodec(EMailOperations.DeleteEMailAccount).encodeRequest({ EMailAccountId: 447 });
    assert.deepEqual(query, { EMailAccountId: '447' });
    assert.equal(body, undefined);
    assert.deepEqual(restCodec(EMailOperations.DeleteEMailAccount).decodeRequest('eMailAccountId=447', undefined).input, { EMailAccountId: 447 });
    assert.equal(restCodec(EMailOperations.DeleteEMailAccount).encodeResponse({}), '');
    assert.equal(restCodec(EMailOperations.DeleteEMailAccount), restCodec(EMailOperations.DeleteEMailAccount), 'made once per operation');
  });
});

// ASP.NET answers the statuses the call acts on with its own error object too (`[Authorize]`: 401
// `{ "Message": "Authorization has been denied for this request." }`). The status, not that text,
// says what the call does: renew the ticket (401, 403), ask where the tenant is now (421), wait and
// try again (429, 503). So these are HttpErrors whatever the body, as on SOAP.
describe("transport: 'rest' — error statuses the call acts on, whatever the body", () => {
  const DENIED = '{"Message":"Authorization has been denied for this request."}';

  test("401 with ASP.NET's { Message } object is a credential refusal: the ticket is renewed and the call sent again", async () => {
    const tickets = ['7T:Zmlyc3QgdGlja2V0', '7T:c2Vjb25kIHRpY2tldA=='];
    let asked = 0;
    answer = (req, res) => (req.headers['authorization'] === `SOTicket ${tickets[0]}` ? json(401, DENIED) : json(200, '42'))(req, res);
    assert.equal(await agent({ ticket: () => tickets[asked++] }).getCurrentAccountId(), 42);
    assert.deepEqual(
      received.map((r) => r.headers['authorization']),
      tickets.map((t) => `SOTicket ${t}`),
    );
  });

  test('a 401 that renewing does not cure is an HttpError 401 whose excerpt keeps the server\'s words', async () => {
    answer = json(401, DENIED);
    const err = await failure(agent().getCurrentAccountId());
    assert.ok(err instanceof HttpError, String(err));
    assert.equal(err.status, 401);
    assert.equal(err.bodyExcerpt, DENIED);
    assert.equal(received.length, 1, 'a fixed ticket is not renewed');
  });

  test('429 with a JSON error object and Retry-After: retried after it (retry option), the second answer returned', async () => {
    answer = (req, res) => {
      if (received.length > 1) return json(200, '42')(req, res);
      res.writeHead(429, { 'Retry-After': '0', 'Content-Type': 'application/json; charset=utf-8' });
      res.end('{"Message":"Too many requests."}');
    };
    assert.equal(await agent({ retry: { random: () => 0 } }).getCurrentAccountId(), 42);
    assert.equal(received.length, 2);
  });

  test("503 with an error object keeps its Retry-After on the HttpError", async () => {
    answer = (_req, res) => {
      res.writeHead(503, { 'Retry-After': '120', 'Content-Type': 'application/json; charset=utf-8' });
      res.end('{"Error":true,"ErrorType":"ServiceUnavailable","ErrorMessage":"down for maintenance"}');
    };
    const err = await failure(agent().getCurrentAccountId());
    assert.ok(err instanceof HttpError, String(err));
    assert.equal(err.status, 503);
    assert.equal(err.retryAfter, '120');
    assert.match(err.message, /down for maintenance/);
  });

  test('421 with an error object: the tenant is asked again and the call goes to where it is now', async () => {
    const invalidated: string[] = [];
    let where = `${base}/OldHost`;
    const tenantResolver = {
      cachedEndpoint: () => where,
      endpoint: async () => where,
      invalidate: (endpoint: string) => {
        invalidated.push(endpoint);
        where = `${base}/NewHost`;
      },
    };
    answer = (req, res) => (req.url.startsWith('/OldHost/') ? json(421, '{"Message":"The tenant is not served here."}') : json(200, '42'))(req, res);
    assert.equal(await agent({ baseUrl: undefined, tenantResolver }).getCurrentAccountId(), 42);
    assert.deepEqual(invalidated, [`${base}/OldHost`]);
    // Node's fetch itself sends a request answered 421 once more (on a new connection) before it
    // returns the 421: the old host sees it once or twice, the new one once, last.
    const urls = received.map((r) => r.url);
    assert.equal(urls.at(-1), '/NewHost/api/v1/Agents/EMail/GetCurrentAccountId');
    assert.ok(urls.length <= 3 && urls.slice(0, -1).every((u) => u === '/OldHost/api/v1/Agents/EMail/GetCurrentAccountId'), urls.join(', '));
  });

  test('another error status with an error object is still the SoExceptionError it reports', async () => {
    answer = json(404, '{"Error":true,"ErrorType":"SoNotFoundException","ErrorMessage":"EMailAccount id 9 not found"}');
    const err = await failure(agent().getEMailAccount({ EMailAccountId: 9 }));
    assert.ok(err instanceof SoExceptionError, String(err));
    assert.equal(err.exceptionType, 'SoNotFoundException');
  });
});

describe("transport: 'rest' — safety shared with SOAP", () => {
  test('a redirect is not followed (the request carries the ticket): HttpError with the location', async () => {
    answer = (_req, res) => {
      res.statusCode = 302;
      res.setHeader('Location', 'http://127.0.0.1:9/elsewhere');
      res.end();
    };
    const err = await failure(agent().getCurrentAccountId());
    assert.ok(err instanceof HttpError, String(err));
    assert.equal(err.status, 302);
    assert.equal(received.length, 1, 'only the first request was made');
  });

  test('the time budget covers REST calls: a server that never answers is a timeout', async () => {
    answer = () => undefined; // never answers
    const err = await failure(agent({ timeoutMs: 200 }).getCurrentAccountId());
    assert.ok(err instanceof TransportError, String(err));
    assert.equal(err.reason, 'timeout');
  });

  test('hooks name the URL the request went to: the Agents API, not the SOAP endpoint', async () => {
    answer = json(200, '{"EMailAccountId":546,"EMailAddress":"anna@example.com","AccountStatus":1,"ErrorCount":0,"TableRight":null,"FieldProperties":{}}');
    const urls: (string | undefined)[] = [];
    await agent({ hooks: { onRequest: (info) => void urls.push(info.url), onAttempt: (e) => void urls.push(e.url), onCall: (e) => void urls.push(e.url) } }).getEMailAccount({
      EMailAccountId: 546,
    });
    assert.deepEqual(urls, Array(3).fill(`${base}/Cust12345/api/v1/Agents/EMail/GetEMailAccount`));
  });

  // README: "pass httpHeaders: { Authorization: 'Bearer …' } without a ticket" -- that token is as secret as a ticket.
  test('an access token sent in httpHeaders (Bearer, Basic) is removed from errors like the ticket', async () => {
    for (const authorization of ['Bearer 8A:Cust12345.c2VjcmV0LWFjY2Vzcy10b2tlbg==', 'Basic dGplMDpUamUwLXNlY3JldA==']) {
      const credentials = authorization.split(' ')[1]!;
      answer = (req, res) => json(500, `rejected: ${req.headers['authorization']}`, 'text/plain; charset=utf-8')(req, res);
      const err = await failure(agent({ ticket: undefined, httpHeaders: { authorization } }).getCurrentAccountId());
      assert.ok(err instanceof HttpError, String(err));
      assert.equal(received[0]!.headers['authorization'], authorization, 'sent as given');
      const text = `${err.message}\n${err.stack}\n${JSON.stringify(err)}`;
      assert.ok(!text.includes(credentials), `the credentials leaked: ${text}`);
      assert.match(err.bodyExcerpt, /rejected: (Bearer|Basic) \*\*\*/);
    }
  });

  // Basic's base64 is only an encoding: a proxy or server quoting the user and password it decoded
  // ("login tje0:Tje0-secret refused") showed the password, which SECURITY.md says is removed.
  test('the password of a Basic Authorization is removed as decoded too (or the user name, when it is the only credential)', async () => {
    for (const [user, password, secret] of [['tje0', 'Tje0-secret-pw', 'Tje0-secret-pw'], ['Tok3n-as-user-name', '', 'Tok3n-as-user-name']] as const) {
      const authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
      answer = (req, res) => json(500, `login ${Buffer.from(req.headers['authorization']!.split(' ')[1]!, 'base64').toString()} refused`, 'text/plain; charset=utf-8')(req, res);
      const err = await failure(agent({ ticket: undefined, httpHeaders: { authorization } }).getCurrentAccountId());
      assert.ok(err instanceof HttpError, String(err));
      const text = `${err.message}\n${err.stack}\n${JSON.stringify(err)}`;
      assert.ok(!text.includes(secret), `the credential leaked: ${text}`);
    }
  });

  // One agent serving many users: each call (or the onRequest hook) brings its user's token.
  test("a call's own httpHeaders and the onRequest hook's credentials are removed from its errors and hook events too", async () => {
    const perCall = 'Bearer 8A:Cust12345.cGVyLWNhbGwtdG9rZW4=';
    const fromHook = 'Bearer 8A:Cust12345.aG9vay10b2tlbi0xMjM=';
    answer = (req, res) => json(500, `rejected: ${req.headers['authorization']} / ${req.headers['x-other']}`, 'text/plain; charset=utf-8')(req, res);
    const events: unknown[] = [];
    const hooks = { onRequest: () => ({ 'X-Other': 'x', Authorization: fromHook }), onAttempt: (e: unknown) => void events.push(e) };
    for (const [options, sent] of [
      [{}, perCall],
      [{ hooks }, fromHook],
    ] as const) {
      const err = await failure(agent({ ticket: undefined, ...options }).getCurrentAccountId({}, { httpHeaders: { Authorization: perCall } }));
      assert.ok(err instanceof HttpError, String(err));
      assert.equal(received[0]!.headers['authorization'], sent, 'sent as given');
      const text = `${err.message}\n${err.stack}\n${JSON.stringify(err)}\n${JSON.stringify(events.map((e) => String((e as { error?: unknown }).error)))}`;
      for (const token of [perCall, fromHook]) assert.ok(!text.includes(token.split(' ')[1]!), `${token} leaked: ${text}`);
      assert.match(err.bodyExcerpt, /^rejected: Bearer \*\*\* \//);
    }
    assert.equal(events.length, 1);
  });

  // review r20t #3: a proxy's credentials (Proxy-Authorization, Basic or Bearer) are as secret as an
  // Authorization's, and credentialsIn() says so, but no test sent one: dropping it failed nothing.
  test('a Proxy-Authorization in httpHeaders (the agent\'s, the call\'s, the onRequest hook\'s) is removed from errors and hook events, its Basic password decoded too', async () => {
    const password = 'Pr0xy-pa55word';
    const proxyAuthorization = `Basic ${Buffer.from(`proxyuser:${password}`).toString('base64')}`;
    const credentials = proxyAuthorization.split(' ')[1]!;
    // A proxy quoting what it was sent, and what it decoded.
    answer = (req, res) => {
      const sent = String(req.headers['proxy-authorization']);
      json(500, `proxy refused ${sent} (${Buffer.from(sent.split(' ')[1] ?? '', 'base64').toString()})`, 'text/plain; charset=utf-8')(req, res);
    };
    const header = { 'Proxy-Authorization': proxyAuthorization };
    const cases: [string, NonNullable<ConstructorParameters<typeof EMailAgent>[0]>, { httpHeaders?: Record<string, string> }][] = [
      ['agent', { httpHeaders: header }, {}],
      ['call', {}, { httpHeaders: header }],
      ['onRequest hook', { hooks: { onRequest: () => header } }, {}],
    ];
    for (const [from, options, callOptions] of cases) {
      const events: { error?: unknown }[] = [];
      const hooks = { ...options.hooks, onAttempt: (e: { error?: unknown }) => void events.push(e), onCall: (e: { error?: unknown }) => void events.push(e) };
      const err = await failure(agent({ ticket: undefined, ...options, hooks }).getCurrentAccountId({}, callOptions));
      assert.ok(err instanceof HttpError, String(err));
      assert.equal(received[0]!.headers['proxy-authorization'], proxyAuthorization, `${from}: sent as given`);
      assert.equal(err.bodyExcerpt, 'proxy refused Basic *** (proxyuser:***)', from);
      assert.equal(events.length, 2, `${from}: onAttempt and onCall`);
      const eventTexts = events.flatMap((e) => [JSON.stringify(e), String(e.error), (e.error as Error).stack]);
      const text = [err.message, err.stack, JSON.stringify(err), ...eventTexts].join('\n');
      for (const secret of [credentials, password]) assert.ok(!text.includes(secret), `${from}: ${secret} leaked: ${text}`);
    }
  });

  test("a call's own Credentials and ApplicationToken header blocks (sent as HTTP headers on REST, in the envelope on SOAP) are removed from its errors", async () => {
    const ticket = '7T:cGVyLWNhbGwgdGlja2V0';
    const token = 'per-call-app-token-77';
    answer = (req, res) => json(500, `echo ${req.headers['authorization']} ${req.headers['so-apptoken']} ${req.body}`, 'text/plain; charset=utf-8')(req, res);
    for (const transport of ['rest', 'soap'] as const) {
      const err = await failure(agent({ ticket: undefined, applicationToken: undefined, transport }).getCurrentAccountId({}, { headers: { Credentials: { Ticket: ticket }, ApplicationToken: token } }));
      assert.ok(err instanceof HttpError, String(err));
      assert.ok(received[0]!.headers['authorization'] === `SOTicket ${ticket}` || received[0]!.body.includes(ticket), `${transport}: the ticket was sent`);
      const text = `${err.message}\n${err.stack}\n${JSON.stringify(err)}`;
      for (const secret of [ticket, token]) assert.ok(!text.includes(secret), `${transport}: ${secret} leaked: ${text}`);
    }
  });

  test("an unknown transport is refused when the agent is built", () => {
    assert.throws(() => new EMailAgent({ transport: 'grpc' as 'rest' }), /transport must be 'soap' or 'rest', not "grpc"/);
  });
});
