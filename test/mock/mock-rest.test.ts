// The mock's REST side over HTTP on 127.0.0.1: what it answers for requests the Agents API would
// refuse, and where it listens. (Equal results on both transports: test/runtime/rest-switch.test.ts.)
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { EMailAgent, HttpError, SoapFaultError } from '../../generated/EMail/index.js';
import { createEMailMockServer, type ListeningMock } from '../../generated/EMail/mock.js';

describe('mock: the REST Agents API side', () => {
  const mock = createEMailMockServer({
    GetCurrentAccountId: () => ({ Response: 12 }),
    GetEMailAccount: () => {
      throw new Error('handler bug');
    },
    GetEMailAccountFromEMailAddress: () => ({ Response: { EMailAccountId: 1.5 } }),
  });
  let server: ListeningMock;
  before(async () => {
    server = await mock.listen();
  });
  after(async () => {
    await server.close();
  });
  const post = (path: string, body?: string, headers: Record<string, string> = {}) =>
    fetch(`${server.baseUrl}${path}`, { method: 'POST', headers: body === undefined ? headers : { 'Content-Type': 'application/json', ...headers }, ...(body === undefined ? {} : { body }) });

  test('a method answers its JSON; the method name matches ignoring case, as ASP.NET routes', async () => {
    for (const path of ['/api/v1/Agents/EMail/GetCurrentAccountId', '/api/v1/agents/email/getcurrentaccountid']) {
      const res = await post(path);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
      assert.equal(await res.text(), '12');
    }
  });

  test('an unknown method is 404, a missing handler 501, another agent\'s path 404', async () => {
    const unknown = await post('/api/v1/Agents/EMail/NoSuchMethod');
    assert.equal(unknown.status, 404);
    assert.match(await unknown.text(), /no EMail operation is named "NoSuchMethod"/);
    const missing = await post('/api/v1/Agents/EMail/GetCurrentAccount');
    assert.equal(missing.status, 501);
    assert.match(await missing.text(), /not implemented: GetCurrentAccount/);
    assert.equal((await post('/api/v1/Agents/Person/GetPerson')).status, 404);
  });

  // README (mock, REST transport): REST has no fault, so what SOAP answers as a SoapFaultError with
  // its httpStatus reaches a REST client as an HttpError with its status.
  test('through a REST agent: a missing handler is an HttpError of status 501, a throwing one of 500 with its message', async () => {
    const email = new EMailAgent({ baseUrl: server.baseUrl, transport: 'rest' });
    const missing = await email.getCurrentAccount().catch((e: unknown) => e);
    assert.ok(missing instanceof HttpError && !(missing instanceof SoapFaultError), String(missing));
    assert.equal(missing.status, 501);
    assert.match(missing.bodyExcerpt, /not implemented: GetCurrentAccount/);
    const throwing = await email.getEMailAccount({ EMailAccountId: 1 }).catch((e: unknown) => e);
    assert.ok(throwing instanceof HttpError, String(throwing));
    assert.equal(throwing.status, 500);
    assert.match(throwing.bodyExcerpt, /handler bug/);
  });

  test('a handler output the schema does not allow is 500 naming the operation once (review r19a #13)', async () => {
    const res = await post('/api/v1/Agents/EMail/GetEMailAccountFromEMailAddress', '{}');
    assert.equal(res.status, 500);
    const text = await res.text();
    assert.match(text, /the GetEMailAccountFromEMailAddress handler returned a value the schema does not allow: expected an integer \(xs:int\), got 1\.5 at /);
    assert.equal(text.split('GetEMailAccountFromEMailAddress').length, 3, text); // the handler, and the element path
  });

  test('a body the schema does not allow is 400 with ASP.NET\'s error object; not JSON is 415; GET is 405', async () => {
    const bad = await post('/api/v1/Agents/EMail/Send', '{"Emails":[{"Size":"big"}]}');
    assert.equal(bad.status, 400);
    const error = (await bad.json()) as { Message: string; MessageDetail: string };
    assert.equal(error.Message, 'The request is invalid.');
    assert.match(error.MessageDetail, /"big" is not an integer \(xs:int\) at Send\/Emails\[0\]\/Size/);
    const xml = await fetch(`${server.baseUrl}/api/v1/Agents/EMail/Send`, { method: 'POST', headers: { 'Content-Type': 'text/xml' }, body: '<Send/>' });
    assert.equal(xml.status, 415);
    assert.equal((await fetch(`${server.baseUrl}/api/v1/Agents/EMail/Send`)).status, 405);
  });

  // http-headers.md: `SO-TimeZone: NO, includeTZOffset` asks for offsets in the JSON; the zone is what precedes the comma.
  test('SO-TimeZone with includeTZOffset: the handler sees the zone, by location code or id', async () => {
    const seen: unknown[] = [];
    const zoned = await createEMailMockServer({
      GetCurrentAccountId: (_input, ctx) => {
        seen.push(ctx.headers.TimeZone);
        return { Response: 1 };
      },
    }).listen();
    try {
      for (const zone of ['NO, includeTZOffset', '261,includeTZOffset', 'US-NY']) {
        const res = await fetch(`${zoned.baseUrl}/api/v1/Agents/EMail/GetCurrentAccountId`, { method: 'POST', headers: { 'SO-TimeZone': zone } });
        assert.equal(res.status, 200);
      }
    } finally {
      await zoned.close();
    }
    assert.deepEqual(seen, [{ SoTimeZoneLocationCode: 'NO' }, { SoTimeZoneId: 261 }, { SoTimeZoneLocationCode: 'US-NY' }]);
  });
});
