// Copies the tables of bench/results.md into README.md, so the README quotes the bench's own
// rows rather than hand-typed numbers: the results (machine, run and every row but the tricks)
// between <!-- bench:results --> and <!-- /bench:results -->, the tricks' rows between
// <!-- bench:tricks --> and <!-- /bench:tricks -->. bench/run.mjs calls it after writing
// results.md; run it alone with `node bench/readme-bench.mjs`. test/bench-readme.test.ts checks
// that README.md and results.md agree.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');

/** A results.md row of the tricks case. */
const isTrickRow = (line) => line.startsWith('| Trick:');

/** README.md's blocks, each a marker pair and what it quotes of a results.md text. */
export const BLOCKS = [
  { name: 'results', quote: (resultsMd) => table(resultsMd, (l) => !isTrickRow(l), true) },
  { name: 'tricks', quote: (resultsMd) => table(resultsMd, isTrickRow, false) },
];

/** The text between the markers of `block` in `readme` (without the markers' own lines' ends), or an error naming them. */
export function quotedIn(readme, block) {
  const start = `<!-- bench:${block.name} -->`;
  const end = `<!-- /bench:${block.name} -->`;
  const a = readme.indexOf(start);
  const b = readme.indexOf(end);
  if (a < 0 || b < a) throw new Error(`README.md lacks ${start} … ${end}`);
  return { before: readme.slice(0, a + start.length), text: readme.slice(a + start.length, b).trim(), after: readme.slice(b) };
}

/** The results table of a results.md text with the rows `keep` selects; `withRun`: preceded by its Machine/Run line. */
function table(resultsMd, keep, withRun) {
  const lines = resultsMd.split('\n');
  const header = lines.findIndex((l) => l.startsWith('| case |'));
  if (header < 0) throw new Error('bench/results.md has no results table');
  const rows = lines.slice(header + 2).filter((l) => l.startsWith('| ') && keep(l));
  if (rows.length === 0) throw new Error('bench/results.md has no such rows; run `npm run bench`');
  const run = lines.find((l) => l.startsWith('Machine: '));
  if (withRun && run === undefined) throw new Error('bench/results.md has no Machine line');
  return [...(withRun ? [run, ''] : []), lines[header], lines[header + 1], ...rows].join('\n');
}

export function updateReadme() {
  const readmePath = join(root, 'README.md');
  const resultsMd = readFileSync(join(root, 'bench', 'results.md'), 'utf8');
  let readme = readFileSync(readmePath, 'utf8');
  for (const block of BLOCKS) {
    const { before, after } = quotedIn(readme, block);
    readme = `${before}\n${block.quote(resultsMd)}\n${after}`;
  }
  writeFileSync(readmePath, readme);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) updateReadme();
