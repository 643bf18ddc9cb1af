// Tests make their work folders in the OS temp folder (support/temp-dir.ts), never in the checkout:
// a test killed before its after() leaves nothing in the repository, and `npm run build`, which
// removes from dist/ whatever is not its output, cannot delete a folder under a running test.
// Checked on the test sources: every call that makes a folder, and what it names.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from './support/paths.js';

const testDir = join(repoRoot, 'test');

/** The test sources: .ts files below test/, without installed packages and the example consumer project. */
function testSources(): string[] {
  return readdirSync(testDir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.split(/[\\/]/).includes('node_modules') && f.split(/[\\/]/)[0] !== 'consumer')
    .sort();
}

test('no test makes a folder inside the repository (dist/ included): each is made in the OS temp folder', () => {
  const sources = testSources();
  assert.ok(sources.includes('temp-folders.test.ts') && sources.length > 50, `the test sources are found (${sources.length})`);
  const inRepository: string[] = [];
  let temporary = 0;
  for (const file of sources.filter((f) => f !== 'temp-folders.test.ts')) {
    const text = readFileSync(join(testDir, file), 'utf8');
    const where = (offset: number) => `test/${file}:${text.slice(0, offset).split('\n').length}`;
    // Every mkdtempSync names the OS temp folder, or `work`, a folder this file made there.
    const workInTemp = /\bwork = (mkdtempSync\(join\(tmpdir\(\)|tempDir\()/.test(text);
    for (const m of text.matchAll(/\bmkdtempSync\(\s*([^,)]*)/g)) {
      const root = m[1]!.trim();
      if (/^join\((os\.)?tmpdir\($/.test(root) || (root === 'join(work' && workInTemp)) temporary++;
      else inRepository.push(`${where(m.index)}: mkdtempSync(${root}`);
    }
    // A folder named from the repository root, as mkdir of join(repoRoot, 'dist', …) (code, not comments).
    text.split('\n').forEach((line, i) => {
      if (!/^\s*(\/\/|\*)/.test(line) && /\bmkdirSync\((.*\b)?repoRoot\b/.test(line)) inRepository.push(`test/${file}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.ok(temporary > 20, `the temp folders made with mkdtempSync are found (${temporary})`);
  assert.deepEqual(inRepository, []);
});
