// Several WSDLs in one run: definitions that differ between WSDLs are never merged silently, and
// the session's property names. (All 56 in one folder — each type declared once, two agents'
// index files side by side, the session — are checked in all-wsdls.test.ts and its slow part,
// on the one generation of all 56 that each of those files makes.)
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sessionProperty } from '../../generator/emit/identifiers.js';
import { buildFiles, GenerateError } from '../../generator/generate.js';
import { miniWsdl } from '../support/mini-wsdl.js';

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
          /^Beta\.wsdl:\d+:\d+: type Address \(namespace http:\/\/example\.com\/test\) is defined differently in Alpha\.wsdl and Beta\.wsdl: fields\[1\] is absent in one and .*"name":"Zip".* in the other\. Generate these WSDLs into separate folders/,
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
          ('type Address (namespace http://example.com/test) is defined differently in Alpha.wsdl and Beta.wsdl: ' +
            'fields[1] (Zip).minOccurs is 1 in one and 0 in the other. Generate these WSDLs into separate folders'),
    );
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
