// The slow part of all-wsdls.test.ts (npm run test:all): all 56 Services86 WSDLs and the hostile
// one, generated in one run, compile under the strictest flags (isolatedDeclarations included: a
// library emitting declarations compiles the runtime and metadata too) in ONE TypeScript program (each
// agent folder is a test of its own), together with a file that re-exports two agents' index
// files side by side and one that uses the session; every file is already in the pinned
// formatter's style; generating again on worker threads is byte-identical.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildFiles, buildFilesParallel, type GeneratedFile } from '../../generator/generate.js';
import { formatTypeScript } from '../support/format-oracle.js';
import { hostileWsdl } from '../support/hostile-wsdl.js';
import { wsdlFixturesDir } from '../support/paths.js';
import { STRICTEST, typeCheck } from '../support/tsc.js';

const wsdlNames = readdirSync(wsdlFixturesDir).filter((f) => f.endsWith('.wsdl')).sort();

let workDir: string;
let allFiles: GeneratedFile[];
let inputs: string[];

before(() => {
  workDir = mkdtempSync(join(tmpdir(), 'gen-services86-all-slow-'));
  writeFileSync(join(workDir, 'Hostile.wsdl'), hostileWsdl());
  inputs = [...wsdlNames.map((n) => join(wsdlFixturesDir, n)), join(workDir, 'Hostile.wsdl')];
  allFiles = buildFiles(inputs).files;
});

after(() => rmSync(workDir, { recursive: true, force: true }));

/** Uses the entry point and the session of all agents, and two agents' types side by side. */
const USE_TS = [
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
].join('\n');

describe('each output compiles under tsc --strict (with exactOptionalPropertyTypes, noUncheckedIndexedAccess and isolatedDeclarations)', () => {
  /** Diagnostics of one program over all outputs and the two files above, by top folder (one agent, or the runtime). */
  const byFolder = new Map<string, string[]>();

  before(() => {
    const outDir = join(workDir, 'out');
    for (const f of allFiles) {
      mkdirSync(dirname(join(outDir, f.path)), { recursive: true });
      writeFileSync(join(outDir, f.path), f.content);
    }
    writeFileSync(join(outDir, 'package.json'), '{"type":"module"}');
    // Shared types: every agent's index re-exports the same declarations, so `export *` of two side by side compiles.
    writeFileSync(join(outDir, 'two-agents.ts'), "export * from './EMail/index.js';\nexport * from './Person/index.js';\nexport * from './Contact/index.js';\n");
    writeFileSync(join(outDir, 'use.ts'), USE_TS);
    const roots = [...allFiles.map((f) => join(outDir, f.path)), join(outDir, 'two-agents.ts'), join(outDir, 'use.ts')];
    for (const d of typeCheck(roots, outDir, STRICTEST)) {
      const folder = d.file ? d.file.split(/[\\/]/)[0]! : '(global)';
      byFolder.set(folder, [...(byFolder.get(folder) ?? []), d.text]);
    }
  });

  for (const folder of [...wsdlNames.map((n) => n.replace(/\.wsdl$/, '')), 'Hostile', 'runtime', 'shared']) {
    test(folder, () => {
      assert.ok(allFiles.some((f) => f.path.startsWith(`${folder}/`)), `${folder}/ was generated`);
      assert.deepEqual(byFolder.get(folder) ?? [], [], `${folder} compiles without errors`);
    });
  }

  test('two agents\' index files re-exported side by side, and the session over all agents', () => {
    assert.deepEqual([...(byFolder.get('two-agents.ts') ?? []), ...(byFolder.get('use.ts') ?? [])], []);
  });

  test('no diagnostics outside the generated folders', () => {
    const known = new Set([...wsdlNames.map((n) => n.replace(/\.wsdl$/, '')), 'Hostile', 'runtime', 'shared', 'two-agents.ts', 'use.ts']);
    assert.deepEqual([...byFolder.keys()].filter((k) => !known.has(k)), []);
  });
});

describe('generated files', () => {
  test('every generated file is already formatted as the pinned printer prints it', () => {
    for (const f of allFiles.filter((f) => !f.path.startsWith('runtime/'))) {
      assert.equal(formatTypeScript(f.path, f.content), f.content, `${f.path} is not in the pinned format`);
    }
  });

  test('generating again, spread over worker threads, gives byte-identical output', async () => {
    const again = (await buildFilesParallel(inputs)).files;
    assert.equal(again.length, allFiles.length);
    for (let i = 0; i < again.length; i++) {
      assert.equal(again[i]!.path, allFiles[i]!.path);
      assert.ok(again[i]!.content === allFiles[i]!.content, `${again[i]!.path} differs between two runs`);
    }
  });
});
