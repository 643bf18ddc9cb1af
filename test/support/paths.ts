// Paths the tests share. Tests run compiled from dist/test/, so the repository root is found by
// walking up to the package.json rather than by a fixed number of "../".
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRepoRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'generator'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`gen-services86 tests: no repository root above ${start}`);
    dir = parent;
  }
}

export const repoRoot = findRepoRoot(dirname(fileURLToPath(import.meta.url)));
export const fixturesDir = join(repoRoot, 'test', 'fixtures');
export const wsdlFixturesDir = join(fixturesDir, 'wsdl');
export const goldenDir = join(repoRoot, 'test', 'golden');
export const cliPath = join(repoRoot, 'dist', 'generator', 'cli.js');
/**
 * What test files share with each other and with later runs (RSA keys, …): inside dist/, so a
 * clean build starts it afresh, and never committed.
 */
export const testCacheDir = join(repoRoot, 'dist', 'test', '.cache');
