// Every Services86 WSDL (and a deliberately hostile one) generates in one run, generated once for
// this file: the layout, the headers, each schema type declared once in shared/, what the hostile
// names cannot do, and the committed generated/ folder as the golden tree for EMail.wsdl, in the
// pinned formatter's layout. The strict compile of this output, the formatter pass over all of it
// and the worker-thread run are in all-wsdls.slow.test.ts (npm run test:all).
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { MAX_LINE } from '../../generator/emit/layout.js';
import { NO_CHECK_LINE } from '../../generator/emit/no-check.js';
import { buildFiles, buildFilesParallel, GenerateErrors, regenerateCommand, type GeneratedFile } from '../../generator/generate.js';
import { findStale } from '../../generator/output/write.js';
import { formatTypeScript } from '../support/format-oracle.js';
import { codeIdentifiers, hostileWsdl } from '../support/hostile-wsdl.js';
import { miniWsdl } from '../support/mini-wsdl.js';
import { repoRoot, wsdlFixturesDir } from '../support/paths.js';

const wsdlNames = readdirSync(wsdlFixturesDir).filter((f) => f.endsWith('.wsdl')).sort();

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

let workDir: string;
let allFiles: GeneratedFile[];

before(() => {
  workDir = mkdtempSync(join(tmpdir(), 'gen-services86-all-'));
  writeFileSync(join(workDir, 'Hostile.wsdl'), hostileWsdl());
  allFiles = buildFiles([...wsdlNames.map((n) => join(wsdlFixturesDir, n)), join(workDir, 'Hostile.wsdl')]).files;
});

after(() => rmSync(workDir, { recursive: true, force: true }));

describe('all 56 Services86 WSDLs', () => {
  test('the fixtures are the 56 WSDLs', () => {
    assert.equal(wsdlNames.length, 56);
  });

  test('the output has one folder per WSDL, the hostile one, the runtime, the shared types and the entry point', () => {
    const top = new Set(allFiles.map((f) => f.path.split('/')[0]!));
    assert.equal(top.size, 60);
    assert.ok(top.has('shared') && top.has('index.ts') && top.has('runtime'));
  });
});

describe('generated files', () => {
  // `const import = new ImportAgent(…)` was Import's example: a SyntaxError for anyone who pasted it
  // (the variable was the agent's name lowercased; now its session property, `_` after a reserved word).
  test('every doc example makes its agent in a variable JavaScript accepts, named as the session property', () => {
    const examples = allFiles
      .filter((f) => /\/(client|mock)\.ts$/.test(f.path))
      .flatMap((f) => [...f.content.matchAll(/^ \* const (\S+) = new (\w+)Agent\(/gm)].map((m) => ({ file: f.path, variable: m[1]!, agent: m[2]! })));
    assert.ok(examples.length >= 2 * 56, `${examples.length} examples`);
    for (const { file, variable } of examples) assert.doesNotThrow(() => new Function(`const ${variable} = 1; return ${variable};`), `${file}: const ${variable}`);
    const of = (agent: string) => examples.filter((e) => e.agent === agent).map((e) => e.variable);
    assert.deepEqual(of('Import'), ['import_', 'import_']);
    assert.deepEqual(of('BlobManager'), ['blobManager', 'blobManager']);
    assert.deepEqual(of('EMail'), ['email', 'email']);
  });

  test('in parallel runs, every failing WSDL is reported, in input order', async () => {
    const broken = join(workDir, 'Broken.wsdl');
    writeFileSync(broken, miniWsdl({ portType: 'BrokenOne', schema: '<xs:complexType name="A"><xs:sequence><xs:element name="B" type="tns:Missing"/></xs:sequence></xs:complexType>' }));
    // The 12 smallest WSDLs: enough for worker threads (one per 6 inputs, up to the cores less one, three at most);
    // all 56 on workers, byte-identical to one thread, is all-wsdls.slow.test.ts's.
    const inputs = wsdlNames
      .map((n) => join(wsdlFixturesDir, n))
      .sort((a, b) => statSync(a).size - statSync(b).size || a.localeCompare(b))
      .slice(0, 12)
      .sort();
    // Three failures: a missing file first, Broken.wsdl in the middle (on whichever thread), and Broken.wsdl's copy at the end.
    const broken2 = join(workDir, 'Broken2.wsdl');
    writeFileSync(broken2, miniWsdl({ portType: 'BrokenTwo', schema: '<xs:element name="X" type="xs:choice"/>' }));
    const paths = [join(workDir, 'missing.wsdl'), ...inputs.slice(0, 6), broken, ...inputs.slice(6), broken2];
    await assert.rejects(buildFilesParallel(paths), (err: unknown) => {
      assert.ok(err instanceof GenerateErrors, String(err));
      const lines = err.describe().split('\n');
      assert.equal(lines.length, 3, err.describe());
      assert.match(lines[0]!, /missing\.wsdl: no such file$/);
      // Each WSDL named as given (docLabel: relative to the working directory when inside it), then line:column.
      assert.ok(lines[1]!.startsWith(`${broken}:`) && /\/Broken\.wsdl:\d+:\d+: type "Missing"/.test(lines[1]!), lines[1]);
      assert.ok(lines[2]!.startsWith(`${broken2}:`) && /\/Broken2\.wsdl:\d+:\d+: /.test(lines[2]!), lines[2]);
      return true;
    });
  });

  test('every file starts with the generated-file header naming its WSDL', () => {
    for (const f of allFiles) {
      if (f.path.startsWith('runtime/')) assert.match(f.content, /^\/\/ @generated by gen-services86 \(runtime/);
      // The shared types and the entry point come from all WSDLs of the run.
      else if (f.path.startsWith('shared/') || f.path === 'index.ts') assert.match(f.content, /^\/\/ @generated by gen-services86 from Appointment\.wsdl \.\.\. Webhook\.wsdl \(57 WSDLs\) — do not edit\.\n/);
      else assert.match(f.content, /^\/\/ @generated by gen-services86 from [A-Za-z0-9]+\.wsdl — do not edit\.\n/);
    }
  });

  test("a method's doc names its request element only when it is not the operation's, which its @xsd line names", () => {
    const params = allFiles.filter((f) => f.path.endsWith('/client.ts')).flatMap((f) => f.content.match(/^ {3}\* @param input .*$/gm) ?? []);
    // The 56's 1,461 methods and the hostile WSDL's 4: each request element is named as its operation (document/literal wrapped).
    assert.equal(params.length, 1461 + 4);
    assert.deepEqual([...new Set(params)], ['   * @param input The content of the request element.']);
    // PartnerSystemUserService's Authenticate takes an AuthenticationRequest (scripts/partner-system-user-agent.mjs).
    assert.match(readFileSync(join(repoRoot, 'templates', 'runtime', 'partner-system-user-service.ts'), 'utf8'), /^ {3}\* @param input The content of the AuthenticationRequest request element\.$/m);
  });

  test('the runtime and metadata files, and only they, carry the @ts-nocheck line, right after the header', () => {
    for (const f of allFiles) {
      const skipped = f.path.startsWith('runtime/') || f.path.endsWith('/metadata.ts');
      const lines = f.content.split('\n');
      // The header's lines, an empty line, then the directive with its reason: among the comments
      // before the first statement, where TypeScript reads it.
      // Any line comment TypeScript could read as the directive (`// @ts-nocheck…`), not a mention in a doc comment.
      assert.equal(lines.filter((l) => /^\s*\/\/\/?\s*@ts-nocheck\b/.test(l)).length, skipped ? 1 : 0, f.path);
      if (skipped) assert.equal(lines[lines.indexOf('') + 1], NO_CHECK_LINE, f.path);
    }
  });

  test('every name a checked file takes from a metadata file is declared there with its type, not inferred', () => {
    // A @ts-nocheck file's exports are still read; an annotation keeps what client.ts, operations.ts
    // and index.ts (and so a consumer) see independent of the unchecked literal behind it.
    const byPath = new Map(allFiles.map((f) => [f.path, f.content]));
    let names = 0;
    for (const f of allFiles.filter((f) => !f.path.startsWith('runtime/') && !f.path.endsWith('/metadata.ts'))) {
      for (const m of f.content.matchAll(/^(?:import|export) (?:type )?\{([^}]*)\} from '(\.{1,2}\/[\w/]*metadata)\.js';$/gm)) {
        const target = posix.join(f.path, '..', `${m[2]!}.ts`);
        const metadata = byPath.get(target);
        assert.ok(metadata, `${f.path} imports ${target}`);
        for (const name of m[1]!.split(',').map((n) => n.trim()).filter((n) => n !== '')) {
          names++;
          assert.match(metadata, new RegExp(`^export const ${name}: `, 'm'), `${target}: ${name} (used by ${f.path})`);
        }
      }
    }
    assert.ok(names > 400, `${names} names checked`);
  });

  test("an agent's types.ts imports the shared types as T only when it uses them (noUnusedLocals)", () => {
    // The hostile WSDL has no SOAP headers: its types.ts names no shared type, and an unused
    // `import type * as T` failed a consumer's tsc --noUnusedLocals (TS6133), a flag the output
    // is promised to pass (output-check.test.ts, PICKY).
    const agentTypes = allFiles.filter((f) => /^[^/]+\/types\.ts$/.test(f.path) && !f.path.startsWith('shared/'));
    assert.ok(agentTypes.length >= 57, `${agentTypes.length} agents' types.ts`);
    for (const f of agentTypes) {
      const imports = /^import type \* as T from /m.test(f.content);
      assert.equal(imports, /\bT\.[A-Za-z_$]/.test(f.content.replace(/^import .*$/gm, '')), `${f.path}: imports T ${imports ? 'without using' : 'and uses'} it`);
    }
    assert.ok(!/^import type \* as T/m.test(allFiles.find((f) => f.path === 'Hostile/types.ts')!.content));
  });

  test('no text from the hostile WSDL escapes into code', () => {
    // Its documentation (`*/ throw new Error(…)`, `*/ }); process.exit(1)`) lands inside JSDoc, in
    // Hostile/ and in shared/ (its types): only a scanner of what is code sees it get out, as a
    // comment-closing `*/` would let it. No generated file but the runtime uses either word as code.
    const files = allFiles.filter((f) => !f.path.startsWith('runtime/'));
    assert.ok(files.some((f) => f.content.includes('throw new Error(')) && files.some((f) => f.content.includes('process.exit(1)')), 'the hostile text is there, as comment text');
    const escaped = files.flatMap((f) => codeIdentifiers(f.content).filter((id) => id === 'throw' || id === 'process').map((id) => `${f.path}: ${id}`));
    assert.deepEqual(escaped, []);
  });
});

describe('all 56 (and the hostile one) into one folder: shared types', () => {
  test('each schema type is declared once, in shared/types.ts (Carrier in exactly one file)', () => {
    const decls = declarations(allFiles);
    assert.deepEqual(decls.get('Carrier'), ['shared/types.ts']);
    assert.deepEqual(decls.get('SoCredentials'), ['shared/types.ts']);
    const twice = [...decls].filter(([, paths]) => paths.length > 1);
    assert.deepEqual(twice, [], 'no name is declared in two files');
    // The agents declare only their own header interfaces; everything else comes from shared/.
    for (const f of allFiles.filter((f) => /^[A-Za-z]+\/types\.ts$/.test(f.path) && !f.path.startsWith('shared/'))) {
      const own = [...f.content.matchAll(/^export interface (\w+)/gm)].map((m) => m[1]);
      const agent = f.path.split('/')[0]!;
      assert.deepEqual(own, [`${agent}RequestHeaders`, `${agent}ResponseHeaders`], f.path);
    }
    // The metadata is shared too: an agent's metadata.ts is only its table of the shared constants.
    for (const f of allFiles.filter((f) => /^[A-Za-z]+\/metadata\.ts$/.test(f.path) && !f.path.startsWith('shared/'))) {
      assert.doesNotMatch(f.content, /^export const (?!\w+Schema: ri\.SchemaDesc = ri\.schema\()/m, f.path);
      assert.match(f.content, /^\} from '\.\.\/shared\/metadata\.js';$/m, f.path);
    }
  });

  test('operation wrappers that differ between agents get the agent name; equal ones are shared', () => {
    const types = allFiles.find((f) => f.path === 'shared/types.ts')!.content;
    // Appointment's and EMail's Save take different arguments; SoPrincipal's Authenticate reply differs from EMail's.
    for (const name of ['AppointmentSaveRequest', 'EMailSaveRequest', 'EMailAuthenticateResponse', 'SoPrincipalAuthenticateResponse']) {
      assert.match(types, new RegExp(`^export interface ${name} \\{`, 'm'), name);
    }
    assert.doesNotMatch(types, /^export interface SaveRequest \{/m);
    const appointmentClient = allFiles.find((f) => f.path === 'Appointment/client.ts')!.content;
    assert.match(appointmentClient, /^ {2}save\(input\?: T\.AppointmentSaveRequest/m);
  });

  test(`the output is lean: at most 4.4 MB, no WSDL in mock.ts, no code line over ${MAX_LINE} characters`, () => {
    const bytes = allFiles.reduce((n, f) => n + Buffer.byteLength(f.content), 0);
    assert.ok(bytes <= 4_400_000, `${bytes} bytes`);
    for (const f of allFiles.filter((f) => f.path.endsWith('/mock.ts'))) {
      assert.doesNotMatch(f.content, /wsdl:definitions/, f.path);
      assert.ok(f.content.length < 5000, `${f.path} is small`);
    }
    for (const f of allFiles.filter((f) => !f.path.startsWith('runtime/'))) {
      f.content.split('\n').forEach((line, i) => {
        // Documentation text (JSDoc and line comments) may be as long as the WSDL wrote it.
        if (line.length > MAX_LINE && !/^\s*(\/\*\*|\*|\/\/)/.test(line)) assert.fail(`${f.path}:${i + 1} has ${line.length} characters`);
      });
    }
  });

  test('metadata explains its notation, one element per line', () => {
    const meta = allFiles.find((f) => f.path === 'shared/metadata.ts')!.content;
    assert.match(meta, /^\/\/ How to read these constants/m);
    assert.match(meta, /^\/\/ and occurrence lists 'optional' \(minOccurs=0\), 'nillable' \(xsi:nil allowed\) and 'repeated'$/m);
    assert.match(meta, /^export const Carrier: ri\.TypeForm = \['complex', 'Carrier', 0, \[\n {2}'TableRight 0 TableRight optional nillable',\n {2}'FieldProperties 0 FieldPropertyDictionary optional nillable',\n\]\];$/m);
    assert.match(meta, /^export const EMailAddress: ri\.TypeForm = \['extension', 'EMailAddress', 0, 'Carrier', \[\n {2}'ContactId 0 xs:int optional',\n/m);
    // Every complex or extension form with elements, short or long: adding an element adds a line.
    const oneLine = meta.split('\n').filter((l) => /^export const \w+: ri\.TypeForm = \['(complex|extension)', .*\[.+\]\];$/.test(l));
    assert.deepEqual(oneLine, []);
    assert.match(meta, /^export const SoCredentials: ri\.TypeForm = \['complex', 'SoCredentials', 0, \[\n {2}'Ticket 0 xs:string optional nillable',\n\]\];$/m);
    // The header descriptors are defined once per agent and given once to the factory, not per operation.
    const ops = allFiles.find((f) => f.path === 'EMail/operations.ts')!.content;
    assert.equal(ops.match(/'ApplicationToken 0 xs:string optional nillable'/g)?.length, 1);
    assert.equal(ops.match(/\{ input: requestHeaders, output: responseHeaders \}/g)?.length, 1);
    assert.equal(ops.match(/\b(request|response)Headers\b/g)?.length, 4); // requestHeaders and responseHeaders: defined, then given to the factory
    assert.equal(ops.match(/^ {4}'Send 0 SendRequest',$/gm)?.length, 1);
  });

  test('the entry of all 56 and the hostile one has one getter per agent', () => {
    const entry = allFiles.find((f) => f.path === 'index.ts')!.content;
    const getters = [...entry.matchAll(/^ {2}get (\w+)\(\): (\w+)Agent \{$/gm)].map((m) => m[1]);
    assert.equal(getters.length, 57);
    for (const p of ['email', 'person', 'contact', 'list', 'appointment', 'soPrincipal', 'crmScript', 'blob', 'mdo', 'hostile']) assert.ok(getters.includes(p), p);
  });
});

describe('golden tree', () => {
  test('generated/ is exactly what EMail.wsdl generates (update: npm run golden:update)', () => {
    // As `npm run golden:update` runs it, from the repository root.
    const wsdl = join(wsdlFixturesDir, 'EMail.wsdl');
    const regenerate = regenerateCommand({ inputs: [wsdl], outDir: join(repoRoot, 'generated'), cwd: repoRoot });
    assert.equal(regenerate, 'npx gen-services86 test/fixtures/wsdl/EMail.wsdl -o generated');
    const { files } = buildFiles([wsdl], { regenerate });
    assert.deepEqual(findStale(join(repoRoot, 'generated'), files), []);
  });

  test('generated/ (EMail and the entry point) is laid out as the pinned formatter prints it', () => {
    // Layout (indentation, spacing, where a line breaks) is what an emitter gets wrong silently:
    // tsc accepts it. ≈ 1.2 s for these 0.23 MB, and 0.3 s to load ts-morph; all 56 WSDLs in the slow tier.
    const generated = join(repoRoot, 'generated');
    const files = ['index.ts', ...readdirSync(join(generated, 'EMail')).map((f) => `EMail/${f}`)];
    assert.equal(files.length, 7);
    for (const path of files) {
      const content = readFileSync(join(generated, path), 'utf8');
      assert.equal(formatTypeScript(path, content), content, `${path} is not in the pinned format`);
    }
  });
});
