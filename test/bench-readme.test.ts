// The README quotes the bench's own tricks table (bench/readme-tricks.mjs copies it from
// bench/results.md): no hand-typed ratio can drift from what the bench measured.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './support/paths.js';

test('README.md quotes the tricks rows of bench/results.md', async () => {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const block = readme.slice(readme.indexOf('<!-- bench:tricks -->'), readme.indexOf('<!-- /bench:tricks -->'));
  const results = readFileSync(join(repoRoot, 'bench', 'results.md'), 'utf8');
  const rows = (text: string): string[] => text.split('\n').filter((l) => l.startsWith('| Trick:'));
  // Every trick the runtime keeps (bench/lib/tricks.mjs) has its row, measured and kept ("yes").
  const { TRICKS } = (await import(pathToFileURL(join(repoRoot, 'bench', 'lib', 'tricks.mjs')).href)) as { TRICKS: { title: string }[] };
  assert.deepEqual(
    rows(results).map((l) => [l.split(' | ')[0], l.trimEnd().endsWith('| yes |')]),
    TRICKS.map((t) => [`| Trick: ${t.title}`, true]),
    'bench/results.md has a kept row for each trick of bench/lib/tricks.mjs; run `node bench/run.mjs --only tricks`',
  );
  assert.deepEqual(rows(block), rows(results), 'run `node bench/readme-tricks.mjs` after the bench');
});
