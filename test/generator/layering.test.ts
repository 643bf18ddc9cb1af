// The layers of the generator, input → emit → output, by what each module's imports reach.
// The writer knows nothing of the emitters nor of a watch run's caches: what it shares with them (a
// generated file's shape, its first line, the order of paths, the texts of files already read) lives
// in neutral modules (generated-file.ts, code-units.ts, file-texts.ts). Type imports count too: a
// type taken from read-cache.ts would name the emit cache, and through it every emitter.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { importClosure } from '../support/import-graph.js';
import { repoRoot } from '../support/paths.js';

/** What the writer must not reach: the emitters, and the caches of the reader and of the emitters. */
const notTheWriters = (f: string) => f.startsWith('generator/emit/') || f === 'generator/read-cache.ts' || f === 'generator/emit-cache.ts';

for (const typeOnly of [false, true]) {
  test(`output/write.ts ${typeOnly ? 'names' : 'loads'} no emitter and no cache (closure with${typeOnly ? '' : 'out'} type imports)`, () => {
    const loaded = importClosure(join(repoRoot, 'generator', 'output', 'write.ts'), repoRoot, { typeOnly });
    assert.deepEqual(loaded.filter(notTheWriters), []);
    for (const neutral of ['generator/generated-file.ts', 'generator/code-units.ts', 'generator/file-texts.ts']) assert.ok(loaded.includes(neutral), `${neutral} missing from\n${loaded.join('\n')}`);
  });
}

test('generator/input/ names no module of generator/emit/ (closure with type imports)', () => {
  // The input stage comes before the emitters: the command that regenerates the output is worked
  // out here, and whether a header line shows it is decided where that line is written
  // (headerCommand beside fileHeader in emit/emit-agent.ts), not by measuring it here.
  const dir = join(repoRoot, 'generator', 'input');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const loaded = importClosure(join(dir, file), repoRoot, { typeOnly: true });
    assert.deepEqual(loaded.filter((f) => f.startsWith('generator/emit/')), [], `generator/input/${file}`);
  }
});
