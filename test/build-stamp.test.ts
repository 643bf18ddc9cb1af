// scripts/build-stamp.mjs check (what `prepare` and `npm run build` ask before skipping a build):
// dist/ is current only when the stamp matches the sources AND every output the last build listed
// is there. Run on a throwaway copy of the script, whose root is the temp folder.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { repoRoot } from './support/paths.js';

const root = mkdtempSync(join(tmpdir(), 'gen-services86-stamp-'));
after(() => rmSync(root, { recursive: true, force: true }));

const stamp = (mode: 'write' | 'check') => spawnSync(process.execPath, [join(root, 'scripts', 'build-stamp.mjs'), mode]).status;

test('check: the stamp must match the sources and every listed output must exist', () => {
  mkdirSync(join(root, 'scripts'));
  copyFileSync(join(repoRoot, 'scripts', 'build-stamp.mjs'), join(root, 'scripts', 'build-stamp.mjs'));
  mkdirSync(join(root, 'generator'));
  writeFileSync(join(root, 'generator', 'a.ts'), 'export const a = 1;\n');
  mkdirSync(join(root, 'dist', 'generator'), { recursive: true });
  writeFileSync(join(root, 'dist', 'generator', 'cli.js'), '');
  writeFileSync(join(root, 'dist', 'generator', 'a.js'), '');
  writeFileSync(join(root, 'dist', '.build-outputs'), 'generator/a.js\ngenerator/cli.js\n');
  assert.equal(stamp('write'), 0);
  assert.equal(stamp('check'), 0, 'as built');

  rmSync(join(root, 'dist', 'generator', 'a.js'));
  assert.equal(stamp('check'), 1, 'a listed output deleted by hand');
  writeFileSync(join(root, 'dist', 'generator', 'a.js'), '');
  assert.equal(stamp('check'), 0);
  rmSync(join(root, 'dist', '.build-outputs'));
  assert.equal(stamp('check'), 1, 'no list of outputs (a build by an older script, or interrupted)');
  writeFileSync(join(root, 'dist', '.build-outputs'), 'generator/a.js\ngenerator/cli.js\n');
  assert.equal(stamp('check'), 0);

  writeFileSync(join(root, 'generator', 'a.ts'), 'export const a = 2;\n');
  assert.equal(stamp('check'), 1, 'a source changed since the build');
});
