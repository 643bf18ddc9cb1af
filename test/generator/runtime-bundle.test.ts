// The runtime as generated code receives it: templates/runtime/ assembled into runtime/index.ts
// (every client module, in dependency order, imports dropped) and runtime/mock-server.ts
// (importing from './index.js'). The real runtime is compiled and exercised by every other test;
// these cases pin the assembler's own rules on tiny sources.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { bundleRuntime } from '../../generator/emit/runtime-bundle.js';
import { packageRoot } from '../../generator/generate.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function sources(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'gen-services86-bundle-'));
  dirs.push(dir);
  const all = { 'mock-server.ts': "import { b } from './b.js';\nexport const mock = b;\n", ...files };
  for (const [name, text] of Object.entries(all)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('runtime bundle', () => {
  test('modules come after the modules they import; imports are dropped, exports kept', () => {
    const dir = sources({
      'index.ts': "// The entry.\nexport { b } from './b.js';\n",
      'a.ts': "// a\nimport { c } from './c.js';\nexport const a = c + 1;\n",
      'b.ts': "// b\nimport {\n  a,\n} from './a.js';\nimport type { C } from './c.js';\nexport const b: C = a;\n",
      'c.ts': '// c\nexport type C = number;\nexport const c = 1;\n',
    });
    const [index, mock] = bundleRuntime(dir);
    assert.equal(index!.name, 'index.ts');
    const text = index!.content;
    assert.ok(text.startsWith('// The entry.\n// Public API (templates/runtime/index.ts): b.'), text);
    assert.ok(text.indexOf('// c.ts') < text.indexOf('// a.ts') && text.indexOf('// a.ts') < text.indexOf('// b.ts'), text);
    assert.doesNotMatch(text, /\bimport\b/);
    assert.match(text, /^export const b: C = a;$/m);
    assert.deepEqual(mock, { name: 'mock-server.ts', content: "import { b } from './index.js';\nexport const mock = b;\n" });
  });

  test('two sources declaring the same top-level name are refused', () => {
    const dir = sources({ 'index.ts': '', 'a.ts': 'function short() {}\n', 'b.ts': 'export const b = 1;\nconst short = 2;\n' });
    assert.throws(() => bundleRuntime(dir), /runtime\/a\.ts and runtime\/b\.ts both declare "short"/);
  });

  test('an import cycle, a re-export of a name that is not exported, and a rename are refused', () => {
    const cycle = sources({ 'index.ts': '', 'a.ts': "import { b } from './b.js';\nexport const a = 1;\n", 'b.ts': "import { a } from './a.js';\nexport const b = 1;\n" });
    assert.throws(() => bundleRuntime(cycle), /runtime import cycle a\.ts → b\.ts → a\.ts/);
    const hidden = sources({ 'index.ts': "export { b, hidden } from './b.js';\n", 'b.ts': 'export const b = 1;\nconst hidden = 2;\n' });
    assert.throws(() => bundleRuntime(hidden), /re-exports "hidden", which b\.ts does not export/);
    const renamed = sources({ 'index.ts': "export { b as c } from './b.js';\n", 'b.ts': 'export const b = 1;\n' });
    assert.throws(() => bundleRuntime(renamed), /renames "b as c"/);
  });

  test('the real runtime assembles: the client module has no imports, the mock server imports only ./index.js', () => {
    const [index, mock] = bundleRuntime(join(packageRoot, 'templates', 'runtime'));
    assert.doesNotMatch(index!.content, /^[ \t]*import\b|^\}[ \t]*from\b/m);
    for (const m of mock!.content.matchAll(/\bfrom\s+'([^']+)'/g)) assert.equal(m[1], './index.js');
  });
});
