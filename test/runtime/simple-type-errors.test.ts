// parseSimple (schema.ts) and its "internal:" failures: reached by users, so typed errors.
//
// parseSimple reads the text of an xs:list or a pattern restriction by its item type or base, and
// fails "internal:" when the item type is not simple or the base is not a scalar. The generator now
// refuses such a WSDL (read-wsdl.ts checkTypeDef; constructs.test.ts), but earlier versions accepted
// an xs:list of a complex type and a restriction of xs:anyType and wrote them into metadata.ts as
// they were, and a user may still run that output. A server's reply holding such an element then
// reaches parseSimple, in the call of a user who did nothing wrong. So the failure is a DecodeError
// with the element path, like every failure of a call, never a plain Error escaping the agent.
// The fixture is that older output: the types generated readable, then their metadata forms
// edited to what the older generator wrote.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import { buildFiles } from '../../generator/generate.js';
import { miniWsdl, TNS } from '../support/mini-wsdl.js';
import { tempDir } from '../support/temp-dir.js';
import { writeTranspiled } from '../support/transpile.js';

const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/';

/** A list and a pattern restriction the generator accepts; FORMS makes them what older versions wrote. */
const SCHEMA = `
<xs:complexType name="Box"><xs:sequence><xs:element name="A" type="xs:int"/></xs:sequence></xs:complexType>
<xs:simpleType name="Boxes"><xs:list itemType="xs:int"/></xs:simpleType>
<xs:simpleType name="Anything"><xs:restriction base="xs:string"><xs:pattern value="a.*"/></xs:restriction></xs:simpleType>`;
/** Each metadata.ts form as generated → as an older generator wrote it for itemType="tns:Box" and base="xs:anyType". */
const FORMS: readonly (readonly [string, string])[] = [
  ["export const Boxes: ri.TypeForm = ['list', 'xs:int'];", "export const Boxes: ri.TypeForm = ['list', 'Box'];"],
  ["export const Anything: ri.TypeForm = ['restricted', 'xs:string', ['^(?:a.*)$']];", "export const Anything: ri.TypeForm = ['restricted', 'xs:anyType', ['^(?:a.*)$']];"],
];
const RESPONSE = '<xs:element name="L" type="tns:Boxes" minOccurs="0"/><xs:element name="R" type="tns:Anything" minOccurs="0"/>';

interface Codec {
  decodeResponse(xml: string): { output: unknown };
  encodeRequest(input: unknown): string;
}
interface Lib {
  TestOperations: { Get: Codec };
  TestAgent: new (options: object) => { get(input: object): Promise<unknown> };
  DecodeError: new (...args: never[]) => Error & { path: string; operation: string | undefined };
  SoapError: new (...args: never[]) => Error;
}

let dir: string;
let lib: Lib;
let server: http.Server;
let endpoint = '';
let body = '';

function response(content: string): string {
  return `<s:Envelope xmlns:s="${SOAP11}"><s:Body><GetResponse xmlns="${TNS}">${content}</GetResponse></s:Body></s:Envelope>`;
}

before(async () => {
  dir = tempDir('simple-type-errors');
  const wsdl = join(dir, 'Test.wsdl');
  writeFileSync(wsdl, miniWsdl({ schema: SCHEMA, operations: [{ name: 'Get', request: '', response: RESPONSE }] }));
  const files = buildFiles([wsdl]).files.map((f) => {
    if (f.path !== 'Test/metadata.ts') return f;
    let content = f.content;
    for (const [generated, older] of FORMS) {
      assert.ok(content.includes(generated), `Test/metadata.ts holds ${generated}`);
      content = content.replace(generated, () => older);
    }
    return { ...f, content };
  });
  const metadata = files.find((f) => f.path === 'Test/metadata.ts')!.content;
  for (const [generated, older] of FORMS) assert.ok(!metadata.includes(generated) && metadata.includes(older), `Test/metadata.ts holds ${older}`);
  writeTranspiled(files, join(dir, 'out'));
  lib = (await import(pathToFileURL(join(dir, 'out', 'Test', 'index.js')).href)) as Lib;
  server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'text/xml; charset=utf-8', Connection: 'close' });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/Test.svc`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

/** `fn`'s error, which must be exactly DecodeError at `path`, naming the operation. */
async function decodeError(fn: () => unknown, path: string, message: RegExp): Promise<void> {
  let caught: unknown;
  try {
    await fn();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof Error && Object.getPrototypeOf(caught) === lib.DecodeError.prototype, `expected a DecodeError, got ${inspect(caught)}`);
  const err = caught as InstanceType<Lib['DecodeError']>;
  assert.equal(err.path, path);
  assert.equal(err.operation, 'Get');
  assert.match(err.message, message);
}

describe('parseSimple on types an older generator accepted but the runtime cannot read: a DecodeError with the path', () => {
  test('a list of a complex type: decoding its text fails at the list item', async () => {
    await decodeError(() => lib.TestOperations.Get.decodeResponse(response('<L>1 2</L>')), 'GetResponse/L/item[0]', /internal: list item type Box is not simple/);
  });

  test('a restriction of xs:anyType: decoding its text fails at the element', async () => {
    await decodeError(() => lib.TestOperations.Get.decodeResponse(response('<R>abc</R>')), 'GetResponse/R', /internal: restriction base xs:anyType is not a scalar/);
  });

  test("over HTTP: the agent's caller gets the DecodeError, not a plain Error", async () => {
    body = response('<L>1</L>');
    await decodeError(() => new lib.TestAgent({ endpoint }).get({}), 'GetResponse/L/item[0]', /^Get: internal: list item type Box is not simple/);
    body = response('<R>abc</R>');
    await decodeError(() => new lib.TestAgent({ endpoint }).get({}), 'GetResponse/R', /^Get: internal: restriction base xs:anyType is not a scalar/);
  });

  test('the same types with no text to read decode: an empty list, absent elements', () => {
    assert.deepEqual(lib.TestOperations.Get.decodeResponse(response('<L> </L>')).output, { L: [] });
    assert.deepEqual(lib.TestOperations.Get.decodeResponse(response('')).output, {});
  });
});
