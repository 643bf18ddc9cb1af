// Elements the WSDL does not declare: skipped by default (a newer server may add fields; the
// client must not break), a DecodeError naming the element's path with unknownElements: 'error'.
// The agent is lenient unless asked; the mock is strict unless asked (it checks what clients send).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DecodeError, EMailAgent, EMailOperations } from '../../generated/EMail/index.js';
import { createEMailMockServer } from '../../generated/EMail/mock.js';

const account = EMailOperations.GetEMailAccount;
const send = EMailOperations.Send;
const base = account.encodeResponse({ Response: { EMailAccountId: 5, TableRight: { Mask: ['Select'], Reason: '' } } }, { Succeeded: true });
const sendBase = send.encodeResponse({ Response: [{ Subject: 'a' }] }, { Succeeded: true });

/** `xml` with `insert` placed right after the first occurrence of `after`. */
function inject(xml: string, after: string, insert: string): string {
  const at = xml.indexOf(after);
  assert.ok(at >= 0, after);
  return xml.slice(0, at + after.length) + insert + xml.slice(at + after.length);
}

/** The offset of the start tag of the element that `path`'s last step names (its first occurrence after the injection point). */
function elementOffset(xml: string, path: string): number {
  const local = path.slice(path.lastIndexOf('/') + 1);
  return xml.search(new RegExp(`<(?:[\\w]+:)?${local}[\\s/>]`));
}

function lineColumn(xml: string, offset: number): { line: number; column: number } {
  const before = xml.slice(0, offset);
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}

const CASES: { name: string; xml: string; path: string; element: string }[] = [
  {
    name: 'in a complex type',
    xml: inject(base, '<ns0:Response>', '<ns0:AddedInServices88>1</ns0:AddedInServices88>'),
    path: 'GetEMailAccountResponse/Response/AddedInServices88',
    element: 'unknown element AddedInServices88 in namespace "http://www.superoffice.net/ws/crm/NetServer/Services86"',
  },
  {
    name: 'a known name in another namespace',
    xml: inject(base, '<ns0:Response>', '<EMailAccountId xmlns="urn:other">6</EMailAccountId>'),
    path: 'GetEMailAccountResponse/Response/EMailAccountId',
    element: 'unknown element EMailAccountId in namespace "urn:other"',
  },
  {
    name: 'nested, in no namespace',
    xml: inject(base, '<ns0:TableRight>', '<Extra/>'),
    path: 'GetEMailAccountResponse/Response/TableRight/Extra',
    element: 'unknown element Extra in no namespace',
  },
  {
    name: 'inside a simple value (an xs:list)',
    xml: inject(base, '<ns0:Mask>Select', '<ns0:Flag/>'),
    path: 'GetEMailAccountResponse/Response/TableRight/Mask/Flag',
    element: 'unknown element Flag',
  },
  {
    name: 'in an array, beside its items',
    xml: inject(sendBase, '<ns0:Response>', '<ns0:Total>1</ns0:Total>'),
    path: 'SendResponse/Response/Total',
    element: 'unknown element Total',
  },
];

describe('unknownElements', () => {
  for (const c of CASES) {
    test(`${c.name}: skipped by default, a DecodeError naming its path with 'error'`, () => {
      const codec = c.path.startsWith('Send') ? send : account;
      const lenient = codec.decodeResponse(c.xml);
      assert.deepEqual(lenient, codec.decodeResponse(c.path.startsWith('Send') ? sendBase : base), 'the unknown element changes nothing');
      const strict = () => codec.decodeResponse(c.xml, { unknownElements: 'error' });
      assert.throws(strict, (err: unknown) => {
        assert.ok(err instanceof DecodeError, String(err));
        assert.equal(err.path, c.path);
        assert.ok(err.message.startsWith(`${codec.name}: ${c.element}`), err.message);
        assert.match(err.message, /the schema does not declare it here \(unknownElements: 'error'\) at /);
        return true;
      });
      // …and says where the element starts.
      assert.throws(strict, (err: unknown) => {
        const offset = elementOffset(c.xml, c.path);
        const expected = lineColumn(c.xml, offset);
        return err instanceof DecodeError && err.line === expected.line && err.column === expected.column;
      });
      // A document without unknown elements decodes the same in both modes.
      const clean = c.path.startsWith('Send') ? sendBase : base;
      assert.deepEqual(codec.decodeResponse(clean, { unknownElements: 'error' }), codec.decodeResponse(clean));
    });
  }

  test('SOAP header blocks the WSDL does not declare are ignored in both modes', () => {
    const xml = inject(base, '<s:Header>', '<wsa:Action xmlns:wsa="http://www.w3.org/2005/08/addressing">x</wsa:Action>');
    assert.deepEqual(account.decodeResponse(xml, { unknownElements: 'error' }), account.decodeResponse(base));
  });

  test("the agent is lenient by default; unknownElements: 'error' makes it strict", async () => {
    const xml = CASES[0]!.xml;
    const fetch = async () => new Response(xml, { status: 200, headers: { 'Content-Type': 'text/xml; charset=utf-8' } });
    const lenient = new EMailAgent({ endpoint: 'http://127.0.0.1:9/x', fetch });
    assert.equal((await lenient.getEMailAccount({ EMailAccountId: 5 }))?.EMailAccountId, 5);
    const strict = new EMailAgent({ endpoint: 'http://127.0.0.1:9/x', fetch, unknownElements: 'error' });
    await assert.rejects(strict.getEMailAccount({ EMailAccountId: 5 }), (err: unknown) => err instanceof DecodeError && err.path === CASES[0]!.path);
  });
});

describe('the mock: strict by default', () => {
  const handlers = { GetEMailAccount: async ({ EMailAccountId }: { EMailAccountId?: number }) => ({ Response: { EMailAccountId: EMailAccountId ?? 0 } }) };
  const strictMock = createEMailMockServer(handlers);
  const lenientMock = createEMailMockServer(handlers, { unknownElements: 'ignore' });
  const urls: string[] = [];
  const closers: (() => Promise<void>)[] = [];
  before(async () => {
    for (const m of [strictMock, lenientMock]) {
      const l = await m.listen();
      urls.push(l.url);
      closers.push(l.close);
    }
  });
  after(async () => {
    for (const c of closers) await c();
  });

  // A request with an element the WSDL does not declare, and a WS-Addressing header block.
  const request = inject(account.encodeRequest({ EMailAccountId: 7 }), '<ns0:GetEMailAccount>', '<ns0:AccountIdTypo>7</ns0:AccountIdTypo>').replace(
    '<s:Body>',
    '<s:Header><wsa:To xmlns:wsa="http://www.w3.org/2005/08/addressing">x</wsa:To></s:Header><s:Body>',
  );
  const post = (url: string) =>
    fetch(url, { method: 'POST', headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: `"${account.soapAction}"` }, body: request });

  test('an element the WSDL does not declare is a Client fault naming its path; header blocks are still ignored', async () => {
    const res = await post(urls[0]!);
    assert.equal(res.status, 500);
    const text = await res.text();
    assert.match(text, /<faultcode>s:Client<\/faultcode>/);
    assert.match(text, /unknown element AccountIdTypo in namespace "http:\/\/www\.superoffice\.net\/ws\/crm\/NetServer\/Services86": the schema does not declare it here \(unknownElements: 'error'\) at GetEMailAccount\/AccountIdTypo/);
    assert.deepEqual(strictMock.calls, []);
  });

  test("unknownElements: 'ignore' skips it, as a tolerant server would", async () => {
    const res = await post(urls[1]!);
    assert.equal(res.status, 200, await res.clone().text());
    assert.deepEqual(lenientMock.calls.map((c) => c.input), [{ EMailAccountId: 7 }]);
  });
});
