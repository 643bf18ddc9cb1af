// The README quotes the bench's own tricks table (bench/readme-tricks.mjs copies it from
// bench/results.md): no hand-typed ratio can drift from what the bench measured.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from './support/paths.js';

test('README.md quotes the tricks rows of bench/results.md', () => {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const block = readme.slice(readme.indexOf('<!-- bench:tricks -->'), readme.indexOf('<!-- /bench:tricks -->'));
  const results = readFileSync(join(repoRoot, 'bench', 'results.md'), 'utf8');
  const rows = (text: string): string[] => text.split('\n').filter((l) => l.startsWith('| Trick:'));
  assert.ok(rows(results).length >= 1, 'bench/results.md has the tricks rows');
  assert.deepEqual(rows(block), rows(results), 'run `node bench/readme-tricks.mjs` after the bench');
});
