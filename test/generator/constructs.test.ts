// One XSD construct in → the exact TypeScript out. Each case is a small WSDL in the WCF style.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { emitClient, emitIndex, emitOperations } from '../../generator/emit/emit-client.js';
import { emitRun } from '../../generator/emit/emit-agent.js';
import { emitMetadata } from '../../generator/emit/emit-metadata.js';
import { emitTypes } from '../../generator/emit/emit-types.js';
import { planAgents, type EmitPlan } from '../../generator/emit/plan.js';
import { GenerateError } from '../../generator/errors.js';
import { readWsdl } from '../../generator/wsdl/read-wsdl.js';
import { buildFiles } from '../../generator/generate.js';
import { codeIdentifiers, commentBreakingWsdl } from '../support/hostile-wsdl.js';
import { miniWsdl, TNS, type MiniWsdlOptions } from '../support/mini-wsdl.js';
import { tempDir } from '../support/temp-dir.js';
import { repoRoot } from '../support/paths.js';
import { patternProblem } from '../../templates/runtime/schema.js';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { writeTranspiled } from '../support/transpile.js';
import { join } from 'node:path';

const ARRAYS_NS = 'http://schemas.microsoft.com/2003/10/Serialization/Arrays';
const SER_NS = 'http://schemas.microsoft.com/2003/10/Serialization/';

/** The plan of one WSDL generated alone (its types in its own folder), as a run of one plans it. */
function planEmit(service: Parameters<typeof planAgents>[0][number]): EmitPlan {
  return planAgents([service])[0]!;
}

function typesOf(options: MiniWsdlOptions): string {
  return emitTypes(planEmit(readWsdl(miniWsdl(options), 'Test.wsdl')), '');
}

/** Asserts that `block` (lines, indentation included) occurs in `output` as consecutive lines. */
function assertBlock(output: string, block: string): void {
  const want = block.replace(/^\n/, '').replace(/\n\s*$/, '');
  if (!output.includes(want)) {
    assert.fail(`expected this block in the output:\n${want}\n\n--- output ---\n${output}`);
  }
}

function assertGenerateError(options: MiniWsdlOptions | string, pattern: RegExp): GenerateError {
  const text = typeof options === 'string' ? options : miniWsdl(options);
  try {
    emitTypes(planEmit(readWsdl(text, 'Test.wsdl')), '');
  } catch (err) {
    assert.ok(err instanceof GenerateError, `expected a GenerateError, got ${String(err)}`);
    assert.match(err.describe(), pattern);
    return err;
  }
  assert.fail('expected a GenerateError');
}

describe('complex types', () => {
  test('sequence: required, optional and nillable elements', () => {
    const out = typesOf({
      schema:
        '<xs:complexType name="Person"><xs:sequence>' +
        '<xs:element name="Id" type="xs:int"/>' +
        '<xs:element minOccurs="0" name="Name" nillable="true" type="xs:string"/>' +
        '<xs:element minOccurs="0" name="Born" type="xs:dateTime"/>' +
        '</xs:sequence></xs:complexType>',
    });
    assertBlock(
      out,
      `
/** @xsd complexType Person */
export interface Person {
  /** @xsd element Id, xs:int */
  Id: number;
  /** @xsd element Name, xs:string, minOccurs=0, nillable */
  Name?: string | null | undefined;
  /** @xsd element Born, xs:dateTime, minOccurs=0 */
  Born?: Date | undefined;
}`,
    );
  });

  test('complexContent extension → extends, base fields stay on the base', () => {
    const out = typesOf({
      schema:
        '<xs:complexType name="Carrier"><xs:sequence><xs:element minOccurs="0" name="TableRight" nillable="true" type="xs:string"/></xs:sequence></xs:complexType>' +
        '<xs:complexType name="Entity"><xs:complexContent mixed="false"><xs:extension base="tns:Carrier"><xs:sequence>' +
        '<xs:element minOccurs="0" name="EntityId" type="xs:int"/></xs:sequence></xs:extension></xs:complexContent></xs:complexType>',
    });
    assertBlock(
      out,
      `
export interface Entity extends Carrier {
  /** @xsd element EntityId, xs:int, minOccurs=0 */
  EntityId?: number | undefined;
}`,
    );
  });

  test('repeated element in a sequence → array property', () => {
    const out = typesOf({
      schema: '<xs:complexType name="Bag"><xs:sequence><xs:element minOccurs="0" maxOccurs="unbounded" name="Item" type="xs:string"/><xs:element name="Count" type="xs:int"/></xs:sequence></xs:complexType>',
    });
    assertBlock(out, '  Item?: string[] | undefined;');
  });

  test('documentation becomes JSDoc, and cannot close the comment or start a tag', () => {
    const out = typesOf({
      schema:
        '<xs:complexType name="Doc"><xs:annotation><xs:documentation>Evil */ export const pwned = `${1}`; /* &lt;/script&gt;\n@deprecated</xs:documentation></xs:annotation>' +
        '<xs:sequence><xs:element minOccurs="0" name="A" type="xs:int"/></xs:sequence></xs:complexType>',
    });
    assertBlock(
      out,
      `
/**
 * Evil *\\/ export const pwned = \`\${1}\`; /* </script> @deprecated
 *
 * @xsd complexType Doc
 */
export interface Doc {`,
    );
    assert.doesNotMatch(out, /^export const pwned/m);
  });

  // SuperOffice's WSDLs carry .NET doc markup escaped into the text (Find, Document, Configuration,
  // Preference …), and Previews an ampersand escaped twice: they reached the comments as `<para/>`
  // and `&amp;` (review of the 56 agents' output).
  test('escaped .NET doc markup becomes paragraph and line breaks; a twice-escaped ampersand one &', () => {
    const out = typesOf({
      schema:
        '<xs:complexType name="Doc"><xs:annotation><xs:documentation>First. &lt;para/&gt;Second&lt;br/&gt;third &lt;p/&gt; {id=1&amp;amp;mode=simple}</xs:documentation></xs:annotation>' +
        '<xs:sequence><xs:element minOccurs="0" name="A" type="xs:int"/></xs:sequence></xs:complexType>',
    });
    assertBlock(
      out,
      `
/**
 * First.
 *
 * Second
 * third
 *
 * {id=1&mode=simple}
 *
 * @xsd complexType Doc
 */
export interface Doc {`,
    );
  });
});

describe('WCF shapes', () => {
  test('ArrayOfX → X[] (nillable items → (X | null)[]); ArrayOfint in the Arrays namespace → number[]', () => {
    const out = typesOf({
      schema:
        '<xs:complexType name="Person"><xs:sequence><xs:element minOccurs="0" name="Id" type="xs:int"/></xs:sequence></xs:complexType>' +
        '<xs:complexType name="ArrayOfPerson"><xs:sequence><xs:element minOccurs="0" maxOccurs="unbounded" name="Person" nillable="true" type="tns:Person"/></xs:sequence></xs:complexType>' +
        `<xs:complexType name="Team"><xs:sequence><xs:element minOccurs="0" name="Members" nillable="true" type="tns:ArrayOfPerson"/>` +
        `<xs:element minOccurs="0" name="Ids" nillable="true" type="q1:ArrayOfint" xmlns:q1="${ARRAYS_NS}"/></xs:sequence></xs:complexType>`,
      extraSchemas: `<xs:schema elementFormDefault="qualified" targetNamespace="${ARRAYS_NS}" xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:complexType name="ArrayOfint"><xs:sequence><xs:element minOccurs="0" maxOccurs="unbounded" name="int" type="xs:int"/></xs:sequence></xs:complexType></xs:schema>`,
    });
    assertBlock(out, '  Members?: (Person | null)[] | null | undefined;');
    assertBlock(out, '  Ids?: number[] | null | undefined;');
    assertBlock(out, 'export type ArrayOfPerson = (Person | null)[];');
  });

  test('enumeration → string-literal union in types.ts; its readonly list of values in metadata.ts', () => {
    const wsdl = miniWsdl({
      schema: '<xs:simpleType name="Priority"><xs:restriction base="xs:string"><xs:enumeration value="Low"/><xs:enumeration value="High"/></xs:restriction></xs:simpleType>',
    });
    const plan = planEmit(readWsdl(wsdl, 'Test.wsdl'));
    const types = emitTypes(plan, '');
    assertBlock(
      types,
      `
/** @xsd simpleType Priority (enumeration) */
export type Priority = 'Low' | 'High';`,
    );
    assert.doesNotMatch(types, /^export const /m, 'types.ts declares types only');
    const metadata = emitMetadata(plan, '');
    assertBlock(metadata, "import type * as T from './types.js';");
    assertBlock(
      metadata,
      `
/** Every value of {@link T.Priority}, in schema order. */
export const PriorityValues: readonly T.Priority[] = ['Low', 'High'];
export const Priority: ri.EnumerationForm = ['enumeration', PriorityValues];`,
    );
    assertBlock(emitIndex(plan, ''), "export type * from './types.js';\nexport { TestSchema, PriorityValues } from './metadata.js';");
  });

  test('xs:list of an inline enumeration (WCF flags) → array of the item union', () => {
    const out = typesOf({
      schema:
        '<xs:simpleType name="Flags"><xs:list><xs:simpleType><xs:restriction base="xs:string"><xs:enumeration value="Seen"/><xs:enumeration value="Draft"/></xs:restriction></xs:simpleType></xs:list></xs:simpleType>' +
        '<xs:complexType name="Mail"><xs:sequence><xs:element minOccurs="0" name="Flags" type="tns:Flags"/></xs:sequence></xs:complexType>',
    });
    assertBlock(out, "export type FlagsItem = 'Seen' | 'Draft';");
    assertBlock(out, 'export type Flags = FlagsItem[];');
    assertBlock(out, '  Flags?: Flags | undefined;');
  });

  test('IsDictionary with string keys → Record<string, V>; other keys → { Key, Value }[]', () => {
    const dict = (name: string, key: string, value: string) =>
      `<xs:complexType name="${name}"><xs:annotation><xs:appinfo><IsDictionary xmlns="${SER_NS}">true</IsDictionary></xs:appinfo></xs:annotation>` +
      `<xs:sequence><xs:element minOccurs="0" maxOccurs="unbounded" name="${name}KeyValuePair"><xs:complexType><xs:sequence>` +
      `<xs:element name="Key" nillable="true" type="${key}"/><xs:element name="Value" nillable="true" type="${value}"/>` +
      `</xs:sequence></xs:complexType></xs:element></xs:sequence></xs:complexType>`;
    const out = typesOf({ schema: dict('StringMap', 'xs:string', 'xs:string') + dict('DateMap', 'xs:dateTime', 'xs:int') });
    assertBlock(out, 'export type StringMap = Record<string, string | null>;');
    assertBlock(out, 'export type DateMap = { Key: Date | null; Value: number | null; }[];');
    assert.doesNotMatch(out, /KeyValuePair \{/, 'the entry type is folded into the dictionary');
  });

  test('primitive mapping: long, decimal, base64Binary, anyType, guid, char, duration', () => {
    const out = typesOf({
      schema:
        '<xs:complexType name="Prims"><xs:sequence>' +
        '<xs:element name="L" type="xs:long"/><xs:element name="D" type="xs:decimal"/><xs:element name="B" type="xs:base64Binary"/>' +
        '<xs:element name="A" nillable="true" type="xs:anyType"/>' +
        `<xs:element name="G" type="ser:guid" xmlns:ser="${SER_NS}"/><xs:element name="C" type="ser:char" xmlns:ser="${SER_NS}"/>` +
        `<xs:element name="T" type="ser:duration" xmlns:ser="${SER_NS}"/>` +
        '</xs:sequence></xs:complexType>',
      extraSchemas:
        `<xs:schema targetNamespace="${SER_NS}" xmlns:xs="http://www.w3.org/2001/XMLSchema">` +
        '<xs:simpleType name="char"><xs:restriction base="xs:int"/></xs:simpleType>' +
        '<xs:simpleType name="duration"><xs:restriction base="xs:duration"/></xs:simpleType>' +
        '<xs:simpleType name="guid"><xs:restriction base="xs:string"><xs:pattern value="[\\da-fA-F]{8}-[\\da-fA-F]{4}-[\\da-fA-F]{4}-[\\da-fA-F]{4}-[\\da-fA-F]{12}"/></xs:restriction></xs:simpleType>' +
        '</xs:schema>',
    }).replace(/\n\s*\/\*\*[^\n]*\*\//g, '');
    assertBlock(
      out,
      `
export interface Prims {
  L: number;
  D: number;
  B: Uint8Array;
  A: unknown;
  G: string;
  C: string;
  T: string;
}`.replace(/^\n/, ''),
    );
  });
});

describe('names', () => {
  const hostileNames = ['delete', 'class', 'Date', 'Promise', '1Thing', 'my-type', 'my.type', 'Foo', 'foo', 'string'];
  const hostileSchema = (names: readonly string[]) =>
    names
      .map((n) => `<xs:complexType name="${n}"><xs:sequence><xs:element minOccurs="0" name="delete" type="xs:int"/><xs:element minOccurs="0" name="my-prop" type="xs:int"/></xs:sequence></xs:complexType>`)
      .join('') + '<xs:complexType name="PingRequest"><xs:sequence/></xs:complexType>';
  const hostile = {
    schema: hostileSchema(hostileNames),
    operations: [{ name: 'Ping', request: '<xs:element minOccurs="0" name="when" type="tns:Date"/>' }, { name: 'delete' }, { name: 'Invoke' }, { name: 'WsdlAddress' }, { name: 'Call' }],
  } satisfies MiniWsdlOptions;

  test('reserved words, globals, digits, punctuation and case get fixed, deterministic names', () => {
    const out = typesOf(hostile);
    for (const name of ['delete_', 'class_', 'Date_', 'Promise_', '_1Thing', 'my_type', 'my_type_2', 'Foo', 'foo', 'string_']) {
      assert.match(out, new RegExp(`^export interface ${name.replace(/\$/g, '\\$')} \\{`, 'm'), name);
    }
    assertBlock(out, '  delete?: number | undefined;');
    assertBlock(out, '  "my-prop"?: number | undefined;');
    // A schema type named PingRequest keeps its name; the operation's wrapper yields to it.
    assert.match(out, /^export interface PingRequest \{\}/m);
    assert.match(out, /^export interface PingRequest_2 \{/m);
    assertBlock(out, '  when?: Date_ | undefined;');
  });

  test("a type named like a namespace the files import (ri, rtm, rt, T) gets a _: metadata.ts declares a constant per type", () => {
    // metadata.ts imports the runtime as `ri` and declares `export const <Type>`: a type named ri
    // made `export const ri` beside `import * as ri`, and loading the module threw a SyntaxError.
    const types = ['ri', 'rtm', 'rt', 'T'];
    const plan = planEmit(
      readWsdl(
        miniWsdl({
          schema: types.map((n) => `<xs:complexType name="${n}"><xs:sequence><xs:element minOccurs="0" name="v" type="xs:int"/></xs:sequence></xs:complexType>`).join(''),
          operations: [{ name: 'Ping', request: types.map((n) => `<xs:element minOccurs="0" name="f${n}" type="tns:${n}"/>`).join('') }],
        }),
        'Test.wsdl',
      ),
    );
    const metadata = emitMetadata(plan, '');
    for (const n of types) {
      assert.match(metadata, new RegExp(`^export const ${n}_: ri\\.TypeForm = \\['complex', '${n}',`, 'm'), n);
      assert.doesNotMatch(metadata, new RegExp(`^export const ${n}[: ]`, 'm'), n);
    }
    assert.match(metadata, /^import \* as ri from /m);
  });

  test('operation names become camelCase methods; reserved words are legal method names', () => {
    const plan = planEmit(readWsdl(miniWsdl(hostile), 'Test.wsdl'));
    assert.deepEqual(
      plan.operations.map((o) => o.method),
      // Members of the SoapAgent base class (invoke, wsdlAddress, call …) get a `_`.
      ['ping', 'delete', 'invoke_', 'wsdlAddress_', 'call_'],
    );
    const client = emitClient(plan, '// header\n');
    assert.match(client, /delete\(input\?: T\.deleteRequest, options\?: rt\.CallOptions\): Promise<void>/);
  });

  test('an operation named Then becomes then_: the agent is not a thenable (await or an async return would call it)', async () => {
    // With a method `then`, returning the agent from an async function called agent.then(resolve,
    // reject): a SOAP call, and the promise waited on its answer (review r18b).
    const dir = tempDir('then-operation');
    writeFileSync(join(dir, 'Test.wsdl'), miniWsdl({ operations: [{ name: 'Then' }, { name: 'Ping' }] }));
    const { files } = buildFiles([join(dir, 'Test.wsdl')]);
    writeTranspiled(files, join(dir, 'out'));
    const requests: string[] = [];
    const server = createServer((req, res) => {
      requests.push(req.url ?? '');
      res.writeHead(500).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const lib = (await import(pathToFileURL(join(dir, 'out', 'Test', 'index.js')).href)) as { TestAgent: new (o: object) => object };
      const agent = new lib.TestAgent({ endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/Test.svc` });
      assert.equal(typeof (agent as { then?: unknown }).then, 'undefined');
      assert.equal(typeof (agent as { then_?: unknown }).then_, 'function');
      const made = async () => agent;
      assert.equal(await made(), agent, 'an async function returns the agent itself');
      assert.equal(await agent, agent);
      assert.deepEqual(requests, [], 'nothing was sent');
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  test('a name with */ in it (any WSDL name, in any comment it is shown in) stays comment text, never code', () => {
    // Names were copied into JSDoc as they are (`@xsd element <name>`, the class and mock docs, the
    // header lists): `N*\/globalThis.injected3=1;/*` closed the comment, and the assignment ran
    // when the generated file was imported. A fetched WSDL could put code into a build that way.
    const dir = tempDir('comment-breaking');
    after(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'Breaking.wsdl'), commentBreakingWsdl());
    writeFileSync(join(dir, 'Other.wsdl'), miniWsdl({ portType: 'Other' }));
    // Alone (the agent owns its types), and beside another WSDL (the types in shared/).
    for (const inputs of [['Breaking.wsdl'], ['Breaking.wsdl', 'Other.wsdl']]) {
      const { files } = buildFiles(inputs.map((f) => join(dir, f)));
      const injected = files
        .filter((f) => !f.path.startsWith('runtime/'))
        .flatMap((f) => codeIdentifiers(f.content).filter((id) => /^injected\d+$/.test(id)).map((id) => `${f.path}: ${id}`));
      assert.deepEqual(injected, [], `${inputs.join(' ')}: WSDL text that became code`);
      // The names are there, as data and as (escaped) comment text.
      const client = files.find((f) => f.path.endsWith('/client.ts'))!.content;
      assert.ok(client.includes("this.call('N*/globalThis.injected17=1;/*', input, options)"), client);
      assert.ok(client.includes('@xsd operation N*\\/globalThis.injected17=1;/*'), client);
    }
  });

  test('a source name with */ and line breaks (a URL, a file name) stays comment text in the file of every template', () => {
    // The WSDL's file name (or URL) is shown in comments of most templates (the header, the types,
    // metadata, mock and entry docs), each through its own call: every template must get it right.
    const source = 'N*/globalThis.injected30=1;/*\nglobalThis.injected31=1;//\u2028globalThis.injected32=1;//.wsdl';
    const services = [readWsdl(commentBreakingWsdl(), source), readWsdl(miniWsdl({ portType: 'Other' }), `Other${source}`)];
    const run = emitRun(services, 'npx gen-services86 Breaking.wsdl');
    const files = [...run.agents.flatMap((a) => a.files), ...run.common];
    const templates = readdirSync(join(repoRoot, 'templates')).filter((f) => f.endsWith('.ts.hbs')).map((f) => f.replace(/\.hbs$/, ''));
    const made = new Set(files.map((f) => (f.path === 'index.ts' ? 'entry.ts' : f.path.split('/').at(-1)!)));
    assert.deepEqual(templates.filter((t) => !made.has(t)), [], 'a file of every template');
    const injected = files.flatMap((f) => codeIdentifiers(f.content).filter((id) => /^injected\d+$/.test(id)).map((id) => `${f.path}: ${id}`));
    assert.deepEqual(injected, [], 'source-name text that became code');
    const headers = files.map((f) => f.content.split('\n')[0]!).filter((line) => !/^\/\/ @generated by gen-services86 from .*injected30=1;\/\* globalThis\.injected31=1;\/\/ globalThis\.injected32/.test(line));
    assert.deepEqual(headers, [], 'each header names the source on one line');
  });

  test('names do not depend on the order of the schema (no traversal-order state)', () => {
    // Reversed, my.type comes before my-type: a planner naming in the order it meets the types
    // would give my.type the plain my_type.
    const a = planEmit(readWsdl(miniWsdl(hostile), 'Test.wsdl'));
    const b = planEmit(readWsdl(miniWsdl({ ...hostile, schema: hostileSchema([...hostileNames].reverse()) }), 'Test.wsdl'));
    const names = (plan: EmitPlan) => Object.fromEntries(plan.types.map((t) => [t.key, t.name]));
    assert.deepEqual(names(b), names(a));
    assert.equal(names(a)[`{${TNS}}my-type`], 'my_type');
  });
});

describe('bindings', () => {
  test('a SOAP 1.2 binding gives SOAP 1.2 codecs; SOAP 1.1 is chosen when both exist', () => {
    const soap12 = planEmit(readWsdl(miniWsdl({ soap12: true }), 'Test.wsdl'));
    assert.equal(soap12.service.soapVersion, '1.2');
    const ops12 = emitOperations(soap12, '');
    // WCF's SOAPAction convention: the base is given once; no operation needs its own.
    assert.match(ops12, /ri\.operationFactory\(TestSchema, '1\.2', 'http:\/\/example\.com\/test\/'\);/);
    assert.doesNotMatch(ops12, /soapAction:/);
    const both = miniWsdl({}).replace(
      '</wsdl:definitions>',
      '<wsdl:binding name="Binding12" type="tns:Test" xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/"><soap12:binding transport="http://schemas.xmlsoap.org/soap/http"/></wsdl:binding></wsdl:definitions>',
    );
    const plan = planEmit(readWsdl(both, 'Test.wsdl'));
    assert.equal(plan.service.soapVersion, '1.1');
    assert.match(emitOperations(plan, ''), /ri\.operationFactory\(TestSchema, '1\.1', 'http:\/\/example\.com\/test\/'\);/);
  });
});

describe('header lists', () => {
  test("the factory gets the agent's usual header lists; an operation with others names them", async () => {
    const email = readFileSync(join(repoRoot, 'test', 'fixtures', 'wsdl', 'EMail.wsdl'), 'utf8');
    // TestAuthenticate's request without its SOAP headers: the one operation whose list differs.
    const input = /(<wsdl:input name="TestAuthenticateRequest">)((?:<soap:header [^>]*\/>)+)/;
    assert.match(email, input);
    const plan = planEmit(readWsdl(email.replace(input, '$1'), 'EMail.wsdl'));
    const ops = emitOperations(plan, '');
    assert.match(ops, /^ {2}\{ input: requestHeaders, output: responseHeaders \},$/m);
    assert.equal(ops.match(/inputHeaders: \[\]/g)?.length, 1);
    assert.match(ops, /TestAuthenticate: operation\(\n {4}'TestAuthenticate 0 TestAuthenticateRequest',\n[^\n]*\n[^\n]*\n {4}\{ inputHeaders: \[\] \},\n {2}\),/);
    assert.doesNotMatch(ops, /outputHeaders/);
    // What the factory makes of it: the usual list for the others, the operation's own (none) for it.
    const { operationFactory } = await import('../../generated/runtime/operation.js');
    const { EMailSchema } = await import('../../generated/EMail/metadata.js');
    const operation = operationFactory(EMailSchema, '1.1', 'urn:x/', { input: ['ApplicationToken 0 xs:string optional nillable'], output: [] });
    const usual = operation('GetCurrentAccountId 0 GetCurrentAccountIdRequest', undefined, 'nothing');
    const own = operation('TestAuthenticate 0 TestAuthenticateRequest', undefined, 'nothing', { inputHeaders: [] });
    assert.deepEqual(usual.desc.input.headers.map((h) => h.name), ['ApplicationToken']);
    assert.deepEqual(own.desc.input.headers, []);
    assert.equal(own.soapAction, 'urn:x/TestAuthenticate');
    // Named as its request element, unless it names itself (the partner service's Authenticate).
    assert.equal(usual.name, 'GetCurrentAccountId');
    const named = operation('AuthenticationRequest 0 TestAuthenticateRequest', undefined, 'nothing', { name: 'Authenticate' });
    assert.deepEqual([named.name, named.soapAction, named.desc.name], ['Authenticate', 'urn:x/Authenticate', 'Authenticate']);
    assert.match(usual.encodeRequest({}, { ApplicationToken: 'app' }), /<ns0:ApplicationToken>app<\/ns0:ApplicationToken>/);
    assert.doesNotMatch(own.encodeRequest({}, { ApplicationToken: 'app' }), /ApplicationToken/);
  });
});

describe('refused constructs', () => {
  test('xs:choice', () => {
    assertGenerateError(
      { schema: '<xs:complexType name="C"><xs:choice><xs:element name="A" type="xs:int"/></xs:choice></xs:complexType>' },
      /^Test\.wsdl:\d+:\d+: unsupported XSD construct: xs:choice \(at \/definitions\[@name='TestService'\]\/types\/schema\/complexType\[@name='C'\]\/choice\)$/,
    );
  });
  test('xs:union', () => {
    assertGenerateError({ schema: '<xs:simpleType name="U"><xs:union memberTypes="xs:int xs:string"/></xs:simpleType>' }, /unsupported XSD construct: xs:union/);
  });
  test('attributes on a complex type', () => {
    assertGenerateError(
      { schema: '<xs:complexType name="A"><xs:sequence/><xs:attribute name="id" type="xs:int"/></xs:complexType>' },
      /unsupported XSD construct: attributes on complex type "A"/,
    );
  });
  test('an unresolvable type names the type and its user', () => {
    assertGenerateError(
      { schema: '<xs:complexType name="A"><xs:sequence><xs:element name="B" type="tns:Missing"/></xs:sequence></xs:complexType>' },
      /type "Missing" \(namespace http:\/\/example\.com\/test\) is not defined; used by element B of type A/,
    );
  });
  // The runtime reads list items and restrictions from text (schema.ts parseSimple); a type it
  // cannot read that way is refused here, where it is declared, not at a user's first reply.
  /** The error `options` must give: `message` at `needle`'s line and column, with the element path `path`. */
  function assertRefusedAt(options: MiniWsdlOptions, needle: string, message: string, path: string): void {
    const text = miniWsdl(options);
    const at = text.indexOf(needle);
    assert.notEqual(at, -1, `${needle} is in the WSDL`);
    const before = text.slice(0, at);
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    const err = assertGenerateError(options, new RegExp(`^${escape(`Test.wsdl:${line}:${column}: ${message} (at /definitions[@name='TestService']/types/schema/${path})`)}$`));
    assert.deepEqual([err.location?.line, err.location?.column], [line, column]);
  }
  const BOX = '<xs:complexType name="Box"><xs:sequence><xs:element name="A" type="xs:int"/></xs:sequence></xs:complexType>';
  const INTS = '<xs:simpleType name="Ints"><xs:list itemType="xs:int"/></xs:simpleType>';
  const E = '<xs:simpleType name="E"><xs:restriction base="xs:string"><xs:enumeration value="a"/></xs:restriction></xs:simpleType>';
  const LIST_RULE = 'a list item must be an enumeration, a restriction, or an XSD built-in other than xs:anyType';
  const BASE_RULE = 'a restriction without enumerations must restrict another such restriction, or an XSD built-in other than xs:anyType';
  test('an xs:list of a complex type, of xs:anyType, of another list', () => {
    for (const [item, what] of [
      ['tns:Box', '"Box" (a complex type)'],
      ['xs:anyType', 'xs:anyType (not a simple type)'],
      ['tns:Ints', '"Ints" (an xs:list)'],
    ] as const) {
      assertRefusedAt(
        { schema: `${BOX}${INTS}<xs:simpleType name="L"><xs:list itemType="${item}"/></xs:simpleType>` },
        '<xs:simpleType name="L">',
        `the item type of xs:list type L is ${what}; ${LIST_RULE}`,
        "simpleType[@name='L']",
      );
    }
  });
  test("an extension's element named like one of a base type's (any level up)", () => {
    // An extension's elements follow its base's on the wire, as one object's properties: a second
    // "A" was a second value of one property, and with another type `interface C extends Box` did
    // not compile (TS2430) after a run that exited 0. Within one sequence it was refused already.
    const ext = (name: string, base: string, element: string) =>
      `<xs:complexType name="${name}"><xs:complexContent><xs:extension base="tns:${base}"><xs:sequence>${element}</xs:sequence></xs:extension></xs:complexContent></xs:complexType>`;
    for (const type of ['xs:string', 'xs:int']) {
      assertRefusedAt(
        { schema: `${BOX}${ext('Mid', 'Box', '<xs:element name="M" type="xs:int"/>')}${ext('C', 'Mid', `<xs:element minOccurs="0" name="A" type="${type}"/>`)}` },
        `<xs:element minOccurs="0" name="A" type="${type}"/>`,
        'element "A" of type C is also an element of its base type Box',
        "complexType[@name='C']/complexContent/extension/sequence/element[@name='A']",
      );
    }
  });
  test('an element name with white space in it (not an XML name), in a type or at the top', () => {
    // The metadata tables write an element as 'name namespace type occurrence': the value of an
    // element "a b" was dropped from every request, silently, after a run that exited 0.
    assertRefusedAt(
      { schema: '<xs:complexType name="W"><xs:sequence><xs:element minOccurs="0" name="a b" type="xs:int"/></xs:sequence></xs:complexType>' },
      '<xs:element minOccurs="0" name="a b"',
      'xs:element name "a b" holds white space: not an XML name, so never an element on the wire',
      "complexType[@name='W']/sequence/element[@name='a b']",
    );
    assertRefusedAt(
      { schema: '<xs:element name="top level" type="xs:int"/>' },
      '<xs:element name="top level"',
      'xs:element name "top level" holds white space: not an XML name, so never an element on the wire',
      "element[@name='top level']",
    );
  });
  test('an inline list item type that restricts xs:anyType is refused where it is declared', () => {
    assertRefusedAt(
      { schema: '<xs:simpleType name="L"><xs:list><xs:simpleType><xs:restriction base="xs:anyType"/></xs:simpleType></xs:list></xs:simpleType>' },
      '<xs:simpleType><xs:restriction',
      `the base of xs:restriction type L/item is xs:anyType (not a simple type); ${BASE_RULE}`,
      "simpleType[@name='L']/list/simpleType",
    );
  });
  test('an xs:restriction of xs:anyType, of a complex type, of an enumeration, of a list', () => {
    for (const [base, what] of [
      ['xs:anyType', 'xs:anyType (not a simple type)'],
      ['tns:Box', '"Box" (a complex type)'],
      ['tns:E', '"E" (an enumeration)'],
      ['tns:Ints', '"Ints" (an xs:list)'],
    ] as const) {
      assertRefusedAt(
        { schema: `${BOX}${INTS}${E}<xs:simpleType name="R"><xs:restriction base="${base}"><xs:pattern value="a.*"/></xs:restriction></xs:simpleType>` },
        '<xs:simpleType name="R">',
        `the base of xs:restriction type R is ${what}; ${BASE_RULE}`,
        "simpleType[@name='R']",
      );
    }
  });
  test('a circular chain of restrictions', () => {
    assertRefusedAt(
      { schema: '<xs:simpleType name="A"><xs:restriction base="tns:B"/></xs:simpleType><xs:simpleType name="B"><xs:restriction base="tns:A"/></xs:simpleType>' },
      '<xs:simpleType name="A">',
      'the restriction chain of type A is circular',
      "simpleType[@name='A']",
    );
  });
  test('what the runtime can read stays accepted: lists of built-ins, enumerations and restrictions; restrictions of restrictions', () => {
    const out = typesOf({
      schema:
        '<xs:simpleType name="E"><xs:restriction base="xs:string"><xs:enumeration value="a"/></xs:restriction></xs:simpleType>' +
        '<xs:simpleType name="R"><xs:restriction base="xs:int"/></xs:simpleType>' +
        '<xs:simpleType name="RR"><xs:restriction base="tns:R"><xs:pattern value="1.*"/></xs:restriction></xs:simpleType>' +
        '<xs:simpleType name="LI"><xs:list itemType="xs:int"/></xs:simpleType>' +
        '<xs:simpleType name="LE"><xs:list itemType="tns:E"/></xs:simpleType>' +
        '<xs:simpleType name="LR"><xs:list itemType="tns:RR"/></xs:simpleType>',
      operations: [{ name: 'Get', request: '', response: '<xs:element name="X" type="tns:RR"/><xs:element name="Y" type="tns:LR"/><xs:element name="Z" type="tns:LE"/><xs:element name="W" type="tns:LI"/>' }],
    });
    assert.match(out, /export type LR = number\[\];/);
    assert.match(out, /export type LE = E\[\];/);
  });
  test('a restriction of a restriction checks the patterns of both; the patterns of one restriction are alternatives', () => {
    const plan = planEmit(
      readWsdl(
        miniWsdl({
          schema:
            '<xs:simpleType name="R"><xs:restriction base="xs:string"><xs:pattern value="[0-9]+"/></xs:restriction></xs:simpleType>' +
            '<xs:simpleType name="RR"><xs:restriction base="tns:R"><xs:pattern value="1.*"/></xs:restriction></xs:simpleType>' +
            '<xs:simpleType name="AB"><xs:restriction base="xs:string"><xs:pattern value="a+"/><xs:pattern value="b+"/></xs:restriction></xs:simpleType>',
          operations: [{ name: 'Get', request: '', response: '<xs:element name="X" type="tns:RR"/><xs:element name="Y" type="tns:AB"/>' }],
        }),
        'Test.wsdl',
      ),
    );
    const metadata = emitMetadata(plan, '');
    // The patterns of a restricted form (the string literals' values), checked by the runtime's own rule.
    const patternsOf = (name: string): string[] => {
      const form = new RegExp(`^export const ${name}: ri\\.TypeForm = \\['restricted', 'xs:string', \\[(.*)\\]\\];$`, 'm').exec(metadata);
      assert.ok(form, `no restricted form of ${name} in:\n${metadata}`);
      return [...form[1]!.matchAll(/'((?:[^'\\]|\\.)*)'/g)].map((m) => m[1]!.replace(/\\\\/g, '\\'));
    };
    const matches = (patterns: string[], value: string): boolean => patternProblem(patterns, value) === undefined;
    const rr = patternsOf('RR');
    assert.equal(rr.length, 2);
    assert.ok(matches(rr, '123'));
    assert.ok(!matches(rr, '1abc'), "RR's base R allows digits only");
    assert.ok(!matches(rr, '23'), 'RR allows only what starts with 1');
    const ab = patternsOf('AB');
    assert.equal(ab.length, 1);
    assert.ok(matches(ab, 'aa') && matches(ab, 'bb'), 'either pattern of one restriction');
    assert.ok(!matches(ab, 'ab'));
  });
  test('an unknown XSD built-in', () => {
    assertGenerateError(
      { schema: '<xs:complexType name="A"><xs:sequence><xs:element name="B" type="xs:gYearMonth"/></xs:sequence></xs:complexType>' },
      /unsupported XSD built-in type xs:gYearMonth/,
    );
  });
  // Each was read in part and the rest dropped without a word (review r18b): the second sequence's
  // elements, the elements beside a complexContent, a second extension or restriction, an element's
  // substitution group or fixed value, a pattern beside enumerations.
  test('a second particle or derivation, a particle beside complexContent, a facet beside enumerations', () => {
    const seq = (name: string) => `<xs:sequence><xs:element name="${name}" type="xs:int"/></xs:sequence>`;
    const ext = (extra = '') => `<xs:complexContent><xs:extension base="tns:Box">${seq('X')}</xs:extension>${extra}</xs:complexContent>`;
    for (const [schema, needle, message, path] of [
      [`<xs:complexType name="T">${seq('A')}${seq('Lost')}</xs:complexType>`, `${seq('Lost')}`, 'a second xs:sequence in one xs:complexType', "complexType[@name='T']/sequence[2]"],
      [`<xs:complexType name="T">${seq('Lost')}${ext()}</xs:complexType>`, `${seq('Lost')}`, 'xs:sequence beside xs:complexContent', "complexType[@name='T']/sequence"],
      [`<xs:complexType name="T">${ext()}<xs:attribute name="a" type="xs:int"/></xs:complexType>`, '<xs:attribute name="a"', 'xs:attribute beside xs:complexContent', "complexType[@name='T']/attribute[@name='a']"],
      [`<xs:complexType name="T">${ext('<xs:extension base="tns:Other"/>')}</xs:complexType>`, '<xs:extension base="tns:Other"', 'a second xs:extension in one xs:complexContent', "complexType[@name='T']/complexContent/extension[2]"],
      [`<xs:complexType name="T"><xs:complexContent><xs:extension base="tns:Box">${seq('X')}${seq('Lost')}</xs:extension></xs:complexContent></xs:complexType>`, `${seq('Lost')}`, 'a second xs:sequence in one xs:extension', "complexType[@name='T']/complexContent/extension/sequence[2]"],
      ['<xs:element name="T"><xs:complexType><xs:sequence/></xs:complexType><xs:complexType><xs:sequence/></xs:complexType></xs:element>', '<xs:complexType><xs:sequence/></xs:complexType></xs:element>', 'a second xs:complexType in one xs:element', "element[@name='T']/complexType[2]"],
      ['<xs:simpleType name="S"><xs:restriction base="xs:string"/><xs:restriction base="xs:int"/></xs:simpleType>', '<xs:restriction base="xs:int"', 'a second xs:restriction in one xs:simpleType', "simpleType[@name='S']/restriction[2]"],
      ['<xs:simpleType name="S"><xs:list itemType="xs:int"/><xs:restriction base="xs:int"/></xs:simpleType>', '<xs:restriction base="xs:int"', 'xs:restriction beside xs:list', "simpleType[@name='S']/restriction"],
      ['<xs:simpleType name="S"><xs:restriction base="xs:int"><xs:minInclusive value="1"/><xs:minInclusive value="2"/></xs:restriction></xs:simpleType>', '<xs:minInclusive value="2"', 'a second xs:minInclusive in one xs:restriction', "simpleType[@name='S']/restriction/minInclusive[2]"],
      ['<xs:simpleType name="S"><xs:restriction base="xs:string"><xs:enumeration value="a"/><xs:pattern value="b"/></xs:restriction></xs:simpleType>', '<xs:pattern', 'xs:pattern beside xs:enumeration', "simpleType[@name='S']/restriction/pattern"],
    ] as const) {
      assertRefusedAt({ schema: `${BOX}<xs:complexType name="Other"><xs:sequence/></xs:complexType>${schema}` }, needle, `unsupported XSD construct: ${message}`, path);
    }
  });
  test('a second wsdl:types (its schemas were never read)', () => {
    const text = miniWsdl({}).replace('</wsdl:types>', '</wsdl:types><wsdl:types/>');
    assert.throws(() => readWsdl(text, 'Test.wsdl'), (err: unknown) => err instanceof GenerateError && /^Test\.wsdl:\d+:\d+: a second wsdl:types in one document \(at \/definitions\[@name='TestService'\]\/types\[2\]\)$/.test(err.describe()));
  });
  test('xs:element substitutionGroup, fixed, default and abstract, in a type or at the top', () => {
    for (const [attribute, value] of [['substitutionGroup', 'tns:Head'], ['fixed', 'abc'], ['default', 'abc'], ['abstract', 'true']] as const) {
      const element = `<xs:element minOccurs="0" name="Text" ${attribute}="${value}" type="xs:string"/>`;
      assertRefusedAt({ schema: `<xs:complexType name="T"><xs:sequence>${element}</xs:sequence></xs:complexType>` }, element, `unsupported XSD construct: xs:element ${attribute}="${value}"`, "complexType[@name='T']/sequence/element[@name='Text']");
      const top = `<xs:element name="Top" ${attribute}="${value}" type="xs:string"/>`;
      assertRefusedAt({ schema: top }, top, `unsupported XSD construct: xs:element ${attribute}="${value}"`, "element[@name='Top']");
    }
    // abstract="false" says what no attribute says: accepted.
    assert.match(typesOf({ schema: '<xs:complexType name="T"><xs:sequence><xs:element name="A" abstract="false" type="xs:int"/></xs:sequence></xs:complexType>' }), /A: number;/);
  });
  test('xs:minInclusive/xs:maxInclusive: a literal of the base built-in, the minimum not above the maximum', () => {
    const range = (base: string, facets: string) => `<xs:simpleType name="R"><xs:restriction base="${base}">${facets}</xs:restriction></xs:simpleType>`;
    const at = (facet: string) => `simpleType[@name='R']/restriction/${facet}`;
    for (const [base, facets, needle, message, path] of [
      ['xs:int', '<xs:minInclusive value="abc"/>', '<xs:minInclusive', 'xs:minInclusive value "abc" of type R is not an xs:int literal', at('minInclusive')],
      ['xs:int', '<xs:maxInclusive value="2147483648"/>', '<xs:maxInclusive', 'xs:maxInclusive value "2147483648" of type R is not an xs:int literal', at('maxInclusive')],
      ['xs:decimal', '<xs:minInclusive value="1e3"/>', '<xs:minInclusive', 'xs:minInclusive value "1e3" of type R is not an xs:decimal literal', at('minInclusive')],
      ['xs:duration', '<xs:minInclusive value="P"/>', '<xs:minInclusive', 'xs:minInclusive value "P" of type R is not an xs:duration literal', at('minInclusive')],
      ['xs:dateTime', '<xs:maxInclusive value="2024-13-01T00:00:00"/>', '<xs:maxInclusive', 'xs:maxInclusive value "2024-13-01T00:00:00" of type R is not an xs:dateTime literal', at('maxInclusive')],
      ['xs:string', '<xs:minInclusive value="5"/>', '<xs:minInclusive', 'xs:minInclusive does not apply to type R: its base xs:string has no order', at('minInclusive')],
      ['xs:int', '<xs:minInclusive value="10"/><xs:maxInclusive value="1"/>', '<xs:minInclusive', 'xs:minInclusive value "10" of type R is above its xs:maxInclusive value "1": no value is allowed', at('minInclusive')],
      ['xs:decimal', '<xs:minInclusive value="0.25"/><xs:maxInclusive value="0.2"/>', '<xs:minInclusive', 'xs:minInclusive value "0.25" of type R is above its xs:maxInclusive value "0.2": no value is allowed', at('minInclusive')],
      ['xs:duration', '<xs:minInclusive value="PT2H"/><xs:maxInclusive value="PT90M"/>', '<xs:minInclusive', 'xs:minInclusive value "PT2H" of type R is above its xs:maxInclusive value "PT90M": no value is allowed', at('minInclusive')],
    ] as const) {
      assertRefusedAt({ schema: range(base, facets) }, needle, message, path);
    }
    // Through a restriction of a restriction, the literal is one of the built-in the chain ends at.
    assertRefusedAt(
      { schema: `${range('xs:unsignedByte', '')}<xs:simpleType name="RR"><xs:restriction base="tns:R"><xs:maxInclusive value="-1"/></xs:restriction></xs:simpleType>` },
      '<xs:maxInclusive',
      'xs:maxInclusive value "-1" of type RR is not an xs:unsignedByte literal',
      "simpleType[@name='RR']/restriction/maxInclusive",
    );
    // What WCF's ser:duration declares stays accepted, and so does an order XSD leaves open (P1M against P30D).
    for (const [base, facets] of [
      ['xs:duration', '<xs:minInclusive value="-P10675199DT2H48M5.4775808S"/><xs:maxInclusive value="P10675199DT2H48M5.4775807S"/>'],
      ['xs:duration', '<xs:minInclusive value="P1M"/><xs:maxInclusive value="P30D"/>'],
      ['xs:long', '<xs:minInclusive value="-9223372036854775808"/><xs:maxInclusive value="9223372036854775807"/>'],
      ['xs:double', '<xs:minInclusive value="-INF"/><xs:maxInclusive value="1.5e3"/>'],
      ['xs:dateTime', '<xs:minInclusive value="2000-01-01T00:00:00Z"/><xs:maxInclusive value="2000-01-01T00:00:00"/>'],
      ['xs:int', '<xs:minInclusive value=" 5 "/><xs:maxInclusive value="5"/>'],
    ] as const) {
      const schema = range(base, facets);
      assert.doesNotThrow(() => typesOf({ schema, operations: [{ name: 'Get', response: '<xs:element name="X" type="tns:R"/>' }] }), schema);
    }
  });
});

describe('a name declared twice is refused where the second is, naming where the first is', () => {
  // Each was taken silently: two operations of one name gave operations.ts two keys of one name
  // (TS1117) and client.ts getNote and getNote_2; a second message, binding or binding operation
  // of one name replaced the first or was never read, and the code called the wrong thing.
  const text = miniWsdl({ operations: [{ name: 'Get' }, { name: 'Put' }] });
  /** `line:column` of the `nth` (0-based) occurrence of `needle` in `wsdl`. */
  function at(wsdl: string, needle: string, nth = 0): { line: number; column: number } {
    let i = -1;
    for (let k = 0; k <= nth; k++) i = wsdl.indexOf(needle, i + 1);
    assert.notEqual(i, -1, `${needle} (#${nth + 1}) is in the WSDL`);
    const before = wsdl.slice(0, i);
    return { line: before.split('\n').length, column: before.length - before.lastIndexOf('\n') };
  }
  /** `wsdl` must be refused at the second `needle`, with `message` and "(the first at …)" naming the first. */
  function assertTwice(wsdl: string, needle: string, message: string, path: string): void {
    const first = at(wsdl, needle, 0);
    const second = at(wsdl, needle, 1);
    const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    const want = `Test.wsdl:${second.line}:${second.column}: ${message} (the first at line ${first.line}, column ${first.column}) (at /definitions[@name='TestService']/${path})`;
    try {
      readWsdl(wsdl, 'Test.wsdl');
    } catch (err) {
      assert.ok(err instanceof GenerateError, String(err));
      assert.match(err.describe(), new RegExp(`^${escape(want)}$`));
      return;
    }
    assert.fail(`accepted; expected ${want}`);
  }
  const getOp = '<wsdl:operation name="Get"><wsdl:input message="tns:GetRequest"/><wsdl:output message="tns:GetResponse"/></wsdl:operation>';

  test('an operation of the portType', () => {
    assert.ok(text.includes(getOp));
    assertTwice(text.replace('</wsdl:portType>', `${getOp}</wsdl:portType>`), '<wsdl:operation name="Get"><wsdl:input', 'operation "Get" is declared twice in wsdl:portType "Test"', "portType[@name='Test']/operation[@name='Get']");
  });
  test('an operation of the binding', () => {
    const bound = /<wsdl:operation name="Get"><soap:operation.*?<\/wsdl:operation>/.exec(text)![0];
    assertTwice(text.replace('</wsdl:binding>', `${bound}</wsdl:binding>`), '<wsdl:operation name="Get"><soap:operation', 'operation "Get" is bound twice in wsdl:binding "Binding"', "binding[@name='Binding']/operation[@name='Get']");
  });
  test('a message, and a part of one message', () => {
    const message = /<wsdl:message name="GetRequest">.*?<\/wsdl:message>/.exec(text)![0];
    assertTwice(
      text.replace(message, `${message}${message.replace('element="tns:Get"', 'element="tns:Put"')}`),
      '<wsdl:message name="GetRequest">',
      `wsdl:message "GetRequest" is declared twice in namespace ${TNS}`,
      "message[@name='GetRequest']",
    );
    const part = '<wsdl:part name="parameters" element="tns:Get"/>';
    assertTwice(text.replace(part, `${part}${part}`), part, 'wsdl:part "parameters" appears twice in wsdl:message "GetRequest"', "message[@name='GetRequest']/part[@name='parameters']");
  });
  test('a binding', () => {
    const binding = /<wsdl:binding .*?<\/wsdl:binding>/.exec(text)![0];
    assertTwice(text.replace(binding, `${binding}${binding}`), '<wsdl:binding name="Binding"', `wsdl:binding "Binding" is declared twice in namespace ${TNS}`, "binding[@name='Binding']");
  });
  test('a global element or type of one schema', () => {
    const get = /<xs:element name="Get">.*?<\/xs:element>/.exec(text)![0];
    assertTwice(text.replace(get, `${get}${get}`), '<xs:element name="Get">', `element "Get" is declared twice in namespace ${TNS}`, "types/schema/element[@name='Get']");
    const box = '<xs:complexType name="Box"><xs:sequence/></xs:complexType>';
    assertTwice(miniWsdl({ schema: `${box}${box}` }), box, `type "Box" is declared twice in namespace ${TNS}`, "types/schema/complexType[@name='Box']");
  });
  test('a second wsdl:input or wsdl:output of an operation (portType or binding) is refused', () => {
    for (const [from, to, path] of [
      ['<wsdl:input message="tns:GetRequest"/>', '<wsdl:input message="tns:GetRequest"/><wsdl:input message="tns:PutRequest"/>', "portType[@name='Test']/operation[@name='Get']/input[2]"],
      ['<wsdl:output message="tns:GetResponse"/>', '<wsdl:output message="tns:GetResponse"/><wsdl:output message="tns:PutResponse"/>', "portType[@name='Test']/operation[@name='Get']/output[2]"],
      ['style="document"/><wsdl:input><soap:body use="literal"/></wsdl:input>', 'style="document"/><wsdl:input><soap:body use="literal"/></wsdl:input><wsdl:input><soap:body use="encoded"/></wsdl:input>', "binding[@name='Binding']/operation[@name='Get']/input[2]"],
    ] as const) {
      assert.ok(text.includes(from));
      const wsdl = text.replace(from, to);
      assert.throws(() => readWsdl(wsdl, 'Test.wsdl'), (err: unknown) => {
        assert.ok(err instanceof GenerateError);
        assert.match(err.describe(), new RegExp(`^Test\\.wsdl:\\d+:\\d+: operation "Get" has a second wsdl:(input|output) \\(at /definitions\\[@name='TestService'\\]/${path.replace(/[[\]@'/]/g, '\\$&')}\\)$`));
        return true;
      });
    }
  });
});
