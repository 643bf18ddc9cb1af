// Several WSDLs in one run: definitions that differ between WSDLs are never merged silently, and
// the session's property names. (All 56 in one folder — each type declared once, two agents'
// index files side by side, the session — are checked in all-wsdls.test.ts and its slow part,
// on the one generation of all 56 that each of those files makes.)
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sessionProperty } from '../../generator/emit/identifiers.js';
import { buildFiles, GenerateError } from '../../generator/generate.js';
import { miniWsdl } from '../support/mini-wsdl.js';
import { runCli } from '../support/cli-run.js';

function esc(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

let workDir: string;

before(() => {
  workDir = mkdtempSync(join(tmpdir(), 'gen-services86-shared-'));
});

after(() => rmSync(workDir, { recursive: true, force: true }));

describe('definitions that differ between WSDLs', () => {
  const write = (name: string, text: string): string => {
    const path = join(workDir, name);
    writeFileSync(path, text);
    return path;
  };
  const address = (extra: string) =>
    `<xs:complexType name="Address"><xs:sequence><xs:element minOccurs="0" name="Street" nillable="true" type="xs:string"/>${extra}</xs:sequence></xs:complexType>`;

  test('a named type defined differently is refused, naming both WSDLs and the first difference', () => {
    const a = write('Alpha.wsdl', miniWsdl({ portType: 'Alpha', schema: address('') }));
    const b = write('Beta.wsdl', miniWsdl({ portType: 'Beta', schema: address('<xs:element name="Zip" type="xs:int"/>') }));
    assert.throws(
      () => buildFiles([a, b]),
      (err: unknown) => {
        assert.ok(err instanceof GenerateError);
        assert.match(
          err.describe(),
          // Named as given (docLabel: outside the working directory, by their absolute paths), as the reader's errors name them.
          new RegExp(
            `^${esc(b)}:\\d+:\\d+: ${esc(`type Address (namespace http://example.com/test) is defined differently in ${a} and ${b}: its element Zip is in the other only. Generate these WSDLs into separate folders`)}`,
          ),
        );
        return true;
      },
    );
  });

  // One rule decides "defined alike" and words the difference (plan.ts differenceOf): source
  // locations at every depth are ignored, anything else below the type counts.
  test('the first difference is named at its depth: an element by its name, then the property', () => {
    const a = write('Alpha.wsdl', miniWsdl({ portType: 'Alpha', schema: address('<xs:element name="Zip" type="xs:int"/>') }));
    const b = write('Beta.wsdl', miniWsdl({ portType: 'Beta', schema: address('<xs:element minOccurs="0" name="Zip" type="xs:int"/>') }));
    assert.throws(
      () => buildFiles([a, b]),
      (err: unknown) =>
        err instanceof GenerateError &&
        err.message ===
          `type Address (namespace http://example.com/test) is defined differently in ${a} and ${b}: ` +
            'its element Zip has minOccurs 1 in one and 0 in the other. Generate these WSDLs into separate folders',
    );
  });

  test('the difference in the words of the schema, not of the model (review r18b: "fields[1] (Text).type.name is …")', () => {
    const cases: [string, string, string][] = [
      [address('<xs:element name="Zip" type="xs:string"/>'), address('<xs:element name="Zip" type="xs:int"/>'), 'its element Zip is xs:string in one and xs:int in the other'],
      [address('<xs:element name="Zip" type="xs:int"/>'), address('<xs:element name="Zip" nillable="true" type="xs:int"/>'), 'its element Zip is nillable in the other only'],
      [address('<xs:element name="Zip" type="xs:int"/>'), address('<xs:element name="Post" type="xs:int"/>'), 'its element number 2 is Zip in one and Post in the other'],
      [address('<xs:element name="Zip" type="xs:int"/>'), address('<xs:element maxOccurs="unbounded" name="Zip" type="xs:int"/>'), 'its element Zip has maxOccurs 1 in one and unbounded in the other'],
      [
        '<xs:simpleType name="Address"><xs:restriction base="xs:string"><xs:enumeration value="A"/></xs:restriction></xs:simpleType>',
        '<xs:simpleType name="Address"><xs:restriction base="xs:string"><xs:enumeration value="A"/><xs:enumeration value="B"/></xs:restriction></xs:simpleType>',
        'its enumeration value "B" is in the other only',
      ],
      [address(''), '<xs:simpleType name="Address"><xs:restriction base="xs:string"><xs:enumeration value="A"/></xs:restriction></xs:simpleType>', 'it is a complex type in one and an enumeration in the other'],
    ];
    for (const [one, other, words] of cases) {
      const a = write('Alpha.wsdl', miniWsdl({ portType: 'Alpha', schema: one }));
      const b = write('Beta.wsdl', miniWsdl({ portType: 'Beta', schema: other }));
      assert.throws(
        () => buildFiles([a, b]),
        (err: unknown) => err instanceof GenerateError && err.message === `type Address (namespace http://example.com/test) is defined differently in ${a} and ${b}: ${words}. Generate these WSDLs into separate folders`,
        words,
      );
    }
  });

  test('errors of emitting and assembling name a WSDL as given, as the reader\'s errors do (review r18b: "Other.wsdl:23:7" for y/Other.wsdl)', async () => {
    const dir = join(workDir, 'as-given');
    mkdirSync(dir);
    mkdirSync(join(dir, 'x'));
    mkdirSync(join(dir, 'y'));
    writeFileSync(join(dir, 'x', 'Alpha.wsdl'), miniWsdl({ portType: 'Alpha', schema: address('<xs:element name="Text" type="xs:string"/>') }));
    writeFileSync(join(dir, 'y', 'Beta.wsdl'), miniWsdl({ portType: 'Beta', schema: address('<xs:element name="Text" type="xs:int"/>') }));
    const differ = await runCli(['x/Alpha.wsdl', 'y/Beta.wsdl', '-o', 'out'], dir);
    assert.equal(differ.code, 1);
    assert.match(
      differ.stderr,
      /^gen-services86: y\/Beta\.wsdl:\d+:\d+: type Address \(namespace http:\/\/example\.com\/test\) is defined differently in x\/Alpha\.wsdl and y\/Beta\.wsdl: its element Text is xs:string in one and xs:int in the other\. Generate these WSDLs into separate folders \(at /m,
    );
    // An error of the emitter (a pattern it cannot translate) names the WSDL as given too.
    writeFileSync(join(dir, 'y', 'Pattern.wsdl'), miniWsdl({ portType: 'Pattern', schema: '<xs:simpleType name="P"><xs:restriction base="xs:string"><xs:pattern value="[a-"/></xs:restriction></xs:simpleType>', operations: [{ name: 'Get', response: '<xs:element name="X" type="tns:P"/>' }] }));
    const pattern = await runCli(['y/Pattern.wsdl', '-o', 'out'], dir);
    assert.equal(pattern.code, 1);
    assert.match(pattern.stderr, /^gen-services86: y\/Pattern\.wsdl:\d+:\d+: unsupported XSD pattern "\[a-" /);
    assert.ok(!existsSync(join(dir, 'out')), 'nothing written');
  });

  test('types alike but for where they are declared (line, column, element path) are one type', () => {
    const a = write('Alpha.wsdl', miniWsdl({ portType: 'Alpha', schema: address('<xs:element name="Zip" type="xs:int"/>') }));
    const moved = `\n\n<xs:simpleType name="Other"><xs:restriction base="xs:string"/></xs:simpleType>\n  ${address('\n  <xs:element name="Zip" type="xs:int"/>')}`;
    const b = write('Beta.wsdl', miniWsdl({ portType: 'Beta', schema: moved }));
    const types = buildFiles([a, b]).files.find((f) => f.path === 'shared/types.ts')!.content;
    assert.equal(types.match(/^export interface Address \{/gm)?.length, 1);
  });

  test('equal types are shared, differing operation wrappers are kept apart under the agent name', () => {
    const ping = (request: string) => [{ name: 'Ping', request, response: '<xs:element minOccurs="0" name="Response" type="tns:Address"/>' }];
    const a = write('Alpha.wsdl', miniWsdl({ portType: 'Alpha', schema: address(''), operations: ping('<xs:element name="Id" type="xs:int"/>') }));
    const b = write('Beta.wsdl', miniWsdl({ portType: 'Beta', schema: address(''), operations: ping('<xs:element name="Name" type="xs:string"/>') }));
    // The header's "Regenerate with" line repeats the inputs in the order given; everything else must not depend on it.
    const regenerate = 'npx gen-services86 Alpha.wsdl Beta.wsdl';
    const out = buildFiles([a, b], { regenerate }).files;
    const types = out.find((f) => f.path === 'shared/types.ts')!.content;
    assert.equal(types.match(/^export interface Address \{/gm)?.length, 1);
    assert.match(types, /^export interface AlphaPingRequest \{\n {2}\/\*\* @xsd element Id, xs:int \*\/\n {2}Id: number;\n\}/m);
    assert.match(types, /^export interface BetaPingRequest \{\n {2}\/\*\* @xsd element Name, xs:string \*\/\n {2}Name: string;\n\}/m);
    // The equal response wrapper keeps its plain name.
    assert.match(types, /^export interface PingResponse \{/m);
    assert.match(out.find((f) => f.path === 'Beta/client.ts')!.content, /^ {2}ping\(input: T\.BetaPingRequest, options\?: rt\.CallOptions\): Promise<T\.Address \| undefined> \{\n {4}return this\.call\('Ping', input, options\);/m);
    // The same names whatever the input order.
    assert.deepEqual(
      buildFiles([b, a], { regenerate }).files.find((f) => f.path === 'shared/types.ts')!.content,
      types,
    );
  });

  test('one WSDL alone still owns its types: no shared folder, today\'s names', () => {
    const a = write('Alpha.wsdl', miniWsdl({ portType: 'Alpha', schema: address('') }));
    const out = buildFiles([a]).files;
    assert.deepEqual(out.filter((f) => !f.path.startsWith('runtime/')).map((f) => f.path).sort(), [
      'Alpha/client.ts',
      'Alpha/index.ts',
      'Alpha/metadata.ts',
      'Alpha/mock.ts',
      'Alpha/operations.ts',
      'Alpha/types.ts',
      'index.ts',
    ]);
    assert.match(out.find((f) => f.path === 'Alpha/types.ts')!.content, /^export interface PingRequest \{\}$/m);
  });
});

describe('session properties', () => {
  test('agent names become lowerCamelCase properties', () => {
    const cases: [string, string][] = [
      ['EMail', 'email'],
      ['Person', 'person'],
      ['SoPrincipal', 'soPrincipal'],
      ['CRMScript', 'crmScript'],
      ['MDO', 'mdo'],
      ['BLOB', 'blob'],
      ['BlobManager', 'blobManager'],
      ['UserDefinedFieldInfo', 'userDefinedFieldInfo'],
    ];
    assert.deepEqual(
      cases.map(([agent]) => [agent, sessionProperty(agent)]),
      cases,
    );
  });

  // It read `const result = await so.email....;`, which is not code: a user's editor shows it on hover.
  test("the session's @example calls the first agent's first method, as an agent's own example does", () => {
    const path = join(workDir, 'Beta.wsdl');
    writeFileSync(path, miniWsdl({ portType: 'Beta', operations: [{ name: 'Find', request: '<xs:element name="Id" type="xs:int"/>' }, { name: 'Ping' }] }));
    const files = buildFiles([path]).files;
    const entry = files.find((f) => f.path === 'index.ts')!.content;
    const client = files.find((f) => f.path === 'Beta/client.ts')!.content;
    assert.match(client, /^ \* const result = await beta\.find\(\{ \.\.\. \}\);$/m);
    assert.match(entry, /^ \* const result = await so\.beta\.find\(\{ \.\.\. \}\);$/m);
    assert.doesNotMatch(entry, /\.\.\.\.;/);
  });

});
