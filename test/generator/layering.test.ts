// The writer knows nothing of the emitters: what they share (a generated file's shape, its first
// line, the order of paths) lives in neutral modules (generated-file.ts, code-units.ts).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { importClosure } from '../support/import-graph.js';
import { repoRoot } from '../support/paths.js';

test('output/write.ts loads no module of generator/emit/', () => {
  const loaded = importClosure(join(repoRoot, 'generator', 'output', 'write.ts'), repoRoot, { typeOnly: false });
  assert.ok(loaded.includes('generator/generated-file.ts') && loaded.includes('generator/code-units.ts'), loaded.join('\n'));
  assert.deepEqual(loaded.filter((f) => f.startsWith('generator/emit/')), []);
});
