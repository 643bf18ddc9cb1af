// The README quotes the bench's own tables (bench/readme-bench.mjs copies them from
// bench/results.md): no hand-typed figure can drift from what the bench measured.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './support/paths.js';

type Block = { name: string; quote: (resultsMd: string) => string };
type ReadmeBench = { BLOCKS: Block[]; quotedIn: (readme: string, block: Block) => { text: string } };

const importBench = async <T>(file: string): Promise<T> => (await import(pathToFileURL(join(repoRoot, 'bench', ...file.split('/'))).href)) as T;
const readme = (): string => readFileSync(join(repoRoot, 'README.md'), 'utf8');
const results = (): string => readFileSync(join(repoRoot, 'bench', 'results.md'), 'utf8');

test('README.md quotes bench/results.md: its results table and its tricks rows, as the bench wrote them', async () => {
  const { BLOCKS, quotedIn } = await importBench<ReadmeBench>('readme-bench.mjs');
  assert.deepEqual(BLOCKS.map((b) => b.name), ['results', 'tricks']);
  for (const block of BLOCKS) {
    assert.equal(quotedIn(readme(), block).text, block.quote(results()), `README.md's bench:${block.name} block; run \`node bench/readme-bench.mjs\` after the bench`);
  }
  // Between them, the two blocks quote every row of the results table, each once.
  const rows = (text: string): string[] => text.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| case |') && !l.startsWith('| ---'));
  const quoted = BLOCKS.flatMap((b) => rows(quotedIn(readme(), b).text));
  assert.deepEqual([...quoted].sort(), rows(results()).sort());
});

test('every trick the runtime keeps (bench/lib/tricks.mjs) has its row in bench/results.md, measured and kept', async () => {
  const { TRICKS } = await importBench<{ TRICKS: { title: string }[] }>('lib/tricks.mjs');
  const trickRows = results().split('\n').filter((l) => l.startsWith('| Trick:'));
  assert.deepEqual(
    trickRows.map((l) => [l.split(' | ')[0], l.trimEnd().endsWith('| yes |')]),
    TRICKS.map((t) => [`| Trick: ${t.title}`, true]),
    'bench/results.md has a kept row for each trick of bench/lib/tricks.mjs; run `node bench/run.mjs --only tricks`',
  );
});

test('a README whose quoted table differs from bench/results.md is told apart, and a missing marker named', async () => {
  const { BLOCKS, quotedIn } = await importBench<ReadmeBench>('readme-bench.mjs');
  const block = BLOCKS[0]!;
  // A ratio typed over by hand in the decode row.
  const edited = readme().replace(/(\n\| Decode 1000 EMailEnvelope items \|.*\| )([\d.]+×)( \|)/, '$1x$2$3');
  assert.notEqual(edited, readme());
  assert.notEqual(quotedIn(edited, block).text, block.quote(results()));
  assert.throws(() => quotedIn(readme().replace('<!-- /bench:results -->', ''), block), /README\.md lacks <!-- bench:results --> … <!-- \/bench:results -->/);
});
