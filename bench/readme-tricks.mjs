// Copies the tricks table of bench/results.md into README.md, between the markers
// <!-- bench:tricks --> and <!-- /bench:tricks -->, so the README quotes the bench's own rows
// rather than hand-typed numbers. bench/run.mjs calls it after writing results.md; run it alone
// with `node bench/readme-tricks.mjs`. test/bench-readme.test.ts checks the two agree.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');
export const START = '<!-- bench:tricks -->';
export const END = '<!-- /bench:tricks -->';

/** The table header and the `Trick:` rows of a results.md text. */
export function tricksTable(resultsMd) {
  const lines = resultsMd.split('\n');
  const header = lines.findIndex((l) => l.startsWith('| case |'));
  if (header < 0) throw new Error('bench/results.md has no results table');
  const rows = lines.filter((l) => l.startsWith('| Trick:'));
  if (rows.length === 0) throw new Error('bench/results.md has no Trick rows; run `node bench/run.mjs --only tricks`');
  return [lines[header], lines[header + 1], ...rows].join('\n');
}

export function updateReadme() {
  const readmePath = join(root, 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) throw new Error(`README.md lacks ${START} … ${END}`);
  const table = tricksTable(readFileSync(join(root, 'bench', 'results.md'), 'utf8'));
  writeFileSync(readmePath, `${readme.slice(0, a + START.length)}\n${table}\n${readme.slice(b)}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) updateReadme();
