// Several WSDLs in one run: each XSD type is declared once in shared/, every agent refers to it,
// the top-level index.ts and any two agents' index files re-export side by side without a clash,
// and definitions that differ between WSDLs are never merged silently.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sessionProperty } from '../../generator/emit/emit-entry.js';
import { MAX_LINE } from '../../generator/emit/layout.js';
import { buildFiles, GenerateError, type GeneratedFile } from '../../generator/generate.js';
import { miniWsdl } from '../support/mini-wsdl.js';
import { wsdlFixturesDir } from '../support/paths.js';
import { STRICTEST, typeCheck } from '../support/tsc.js';

const wsdlPaths = readdirSync(wsdlFixturesDir)
  .filter((f) => f.endsWith('.wsdl'))
  .sort()
  .map((f) => join(wsdlFixturesDir, f));

let workDir: string;
let files: GeneratedFile[];

/** Every `export interface X` / `export type X =` / `export const X` declaration: name → files. */
function declarations(all: readonly GeneratedFile[]): Map<string, string[]> {
  const found = new Map<string, string[]>();
  // The metadata constants (one per type, named like it) are the runtime's, not the public API:
  // no index.ts re-exports them, so they live in their own name space.
  for (const f of all.filter((f) => !f.path.endsWith('/metadata.ts'))) {
    // (`export type { A, B } from …` re-exports do not match: `{` is not a name.)
    for (const m of f.content.matchAll(/^export (?:interface|type|const|class) ([A-Za-z_$][\w$]*)/gm)) {
      found.set(m[1]!, [...(found.get(m[1]!) ?? []), f.path]);
    }
  }
  return found;
}

function writeAll(dir: string, all: readonly GeneratedFile[]): void {
  for (const f of all) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.content);
  }
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
}

before(() => {
  workDir = mkdtempSync(join(tmpdir(), 'gen-services86-shared-'));
  files = buildFiles(wsdlPaths).files;
});

after(() => rmSync(workDir, { recursive: true, force: true }));

describe('all 56 WSDLs into one folder', () => {
  test('each schema type is declared once, in shared/types.ts (Carrier in exactly one file)', () => {
    const decls = declarations(files);
    assert.deepEqual(decls.get('Carrier'), ['shared/types.ts']);
    assert.deepEqual(decls.get('SoCredentials'), ['shared/types.ts']);
    const twice = [...decls].filter(([, paths]) => paths.length > 1);
    assert.deepEqual(twice, [], 'no name is declared in two files');
    // The agents declare only their own header interfaces; everything else comes from shared/.
    for (const f of files.filter((f) => /^[A-Za-z]+\/types\.ts$/.test(f.path) && !f.path.startsWith('shared/'))) {
      const own = [...f.content.matchAll(/^export interface (\w+)/gm)].map((m) => m[1]);
      const agent = f.path.split('/')[0]!;
      assert.deepEqual(own, [`${agent}RequestHeaders`, `${agent}ResponseHeaders`], f.path);
    }
    // The metadata is shared too: an agent's metadata.ts is only its table of the shared constants.
    for (const f of files.filter((f) => /^[A-Za-z]+\/metadata\.ts$/.test(f.path) && !f.path.startsWith('shared/'))) {
      assert.doesNotMatch(f.content, /^export const (?!\w+Schema: rt\.SchemaDesc = rt\.schema\()/m, f.path);
      assert.match(f.content, /^\} from '\.\.\/shared\/metadata\.js';$/m, f.path);
    }
  });

  test('operation wrappers that differ between agents get the agent name; equal ones are shared', () => {
    const types = files.find((f) => f.path === 'shared/types.ts')!.content;
    // Appointment's and EMail's Save take different arguments; SoPrincipal's Authenticate reply differs from EMail's.
    for (const name of ['AppointmentSaveRequest', 'EMailSaveRequest', 'EMailAuthenticateResponse', 'SoPrincipalAuthenticateResponse']) {
      assert.match(types, new RegExp(`^export interface ${name} \\{`, 'm'), name);
    }
    assert.doesNotMatch(types, /^export interface SaveRequest \{/m);
    const appointmentClient = files.find((f) => f.path === 'Appointment/client.ts')!.content;
    assert.match(appointmentClient, /^ {2}save\(input: T\.AppointmentSaveRequest/m);
  });

  test('the entry point, two agents re-exported side by side and the session compile strictly', () => {
    const dir = join(workDir, 'all');
    writeAll(dir, files);
    writeFileSync(
      join(dir, 'two-agents.ts'),
      "export * from './EMail/index.js';\nexport * from './Person/index.js';\nexport * from './Contact/index.js';\n",
    );
    writeFileSync(
      join(dir, 'use.ts'),
      [
        "import { SuperOfficeClient, SoExceptionError, type Carrier, type PersonEntity } from './index.js';",
        "import type { Person as ContactsPerson } from './Contact/index.js';",
        "import type { Person as PersonsPerson } from './Person/index.js';",
        '',
        "const so = new SuperOfficeClient({ baseUrl: 'http://127.0.0.1:1', ticket: async () => 'ticket', endpoints: { EMail: 'http://127.0.0.1:2/EMail.svc' } });",
        '// One declaration: the Person of the Person agent is the Person of the Contact agent.',
        'const p: PersonsPerson = {} as ContactsPerson;',
        'const c: Carrier = {};',
        'export async function use(): Promise<PersonEntity | null> {',
        '  try {',
        '    await so.email.getEMailAccount({ EMailAccountId: 1 });',
        '    await so.crmScript.getCRMScriptEntity({ CRMScriptEntityId: 1 });',
        '    return await so.person.getPersonEntity({ PersonEntityId: 1 });',
        '  } catch (err) {',
        '    if (err instanceof SoExceptionError) return null;',
        '    throw err;',
        '  }',
        '}',
        'void p;',
        'void c;',
        '',
      ].join('\n'),
    );
    const roots = [...files.map((f) => join(dir, f.path)), join(dir, 'two-agents.ts'), join(dir, 'use.ts')];
    assert.deepEqual(
      typeCheck(roots, dir, STRICTEST).map((d) => d.text),
      [],
    );
  });

  test(`the output is lean: at most 4.4 MB, no WSDL in mock.ts, no code line over ${MAX_LINE} characters`, () => {
    const bytes = files.reduce((n, f) => n + Buffer.byteLength(f.content), 0);
    assert.ok(bytes <= 4_400_000, `${bytes} bytes`);
    for (const f of files.filter((f) => f.path.endsWith('/mock.ts'))) {
      assert.doesNotMatch(f.content, /wsdl:definitions/, f.path);
      assert.ok(f.content.length < 5000, `${f.path} is small`);
    }
    for (const f of files.filter((f) => !f.path.startsWith('runtime/'))) {
      f.content.split('\n').forEach((line, i) => {
        // Documentation text (JSDoc and line comments) may be as long as the WSDL wrote it.
        if (line.length > MAX_LINE && !/^\s*(\/\*\*|\*|\/\/)/.test(line)) assert.fail(`${f.path}:${i + 1} has ${line.length} characters`);
      });
    }
  });

  test('metadata explains its notation, one element per line', () => {
    const meta = files.find((f) => f.path === 'shared/metadata.ts')!.content;
    assert.match(meta, /^\/\/ How to read these constants/m);
    assert.match(meta, /^\/\/ and occurrence lists 'optional' \(minOccurs=0\), 'nillable' \(xsi:nil allowed\) and 'repeated'$/m);
    assert.match(meta, /^export const Carrier = \['complex', 'Carrier', 0, \['TableRight 0 TableRight optional nillable', 'FieldProperties 0 FieldPropertyDictionary optional nillable'\]\];$/m);
    assert.match(meta, /^export const EMailAddress = \['extension', 'EMailAddress', 0, 'Carrier', \[\n {2}'ContactId 0 xs:int optional',\n/m);
    // The header descriptors are defined once per agent, not per operation.
    const ops = files.find((f) => f.path === 'EMail/operations.ts')!.content;
    assert.equal(ops.match(/'ApplicationToken 0 xs:string optional nillable'/g)?.length, 1);
    assert.equal(ops.match(/headers: requestHeaders/g)?.length, 80);
  });
});

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
    assert.match(out.find((f) => f.path === 'Beta/client.ts')!.content, /^ {2}ping\(input: T\.BetaPingRequest, options\?: rt\.CallOptions\): Promise<T\.Address \| undefined> \{\n {4}return this\.call\(BetaOperations\.Ping, input, options\);/m);
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

  test('the entry of all 56 has one getter per agent', () => {
    const entry = files.find((f) => f.path === 'index.ts')!.content;
    const getters = [...entry.matchAll(/^ {2}get (\w+)\(\): (\w+)Agent \{$/gm)].map((m) => m[1]);
    assert.equal(getters.length, 56);
    for (const p of ['email', 'person', 'contact', 'list', 'appointment', 'soPrincipal', 'crmScript', 'blob', 'mdo']) assert.ok(getters.includes(p), p);
  });
});
