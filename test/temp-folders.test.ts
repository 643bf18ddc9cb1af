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
  for (const file of sources) {
    readFileSync(join(testDir, file), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        // A folder named from the repository root, as mkdtemp or mkdir of join(repoRoot, 'dist', …) (code, not comments).
        if (!/^\s*(\/\/|\*)/.test(line) && /\b(mkdtempSync|mkdirSync)\((.*\b)?(repoRoot|distDir)\b/.test(line)) inRepository.push(`test/${file}:${i + 1}: ${line.trim()}`);
      });
  }
  assert.deepEqual(inRepository, []);
});
