// README's second way to install the package, as a git dependency, builds dist/ on install: npm's
// git fetcher clones the repository, installs its devDependencies and runs its `prepare` script
// (not `prepack`: a change to prepack once left a git install without dist/ and without its bin).
// `npm pack git+file://…` runs that fetcher alone and leaves the tarball it would install: the
// repository is cloned bare into a temp folder and packed offline. The clone's install takes every
// package from npm's cache by its lock file (which `npm ci` filled); installing the tarball into a
// project is the consumer test's part (a project without a lock file would need the registry's
// package documents to resolve the generator's dependencies, which `npm ci` does not cache).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { npmChildEnv } from './support/npm-env.js';
import { repoRoot } from './support/paths.js';

test('npm pack git+file://… (what a git install runs) builds dist/ and ships the bin', { timeout: 420_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'gen-services86-git-install-'));
  try {
    const commit = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).stdout.trim();
    assert.match(commit, /^[0-9a-f]{40}$/, 'the repository has a commit to install');
    const bare = join(dir, 'gen-services86.git');
    const clone = spawnSync('git', ['clone', '--quiet', '--bare', repoRoot, bare], { encoding: 'utf8' });
    assert.equal(clone.status, 0, clone.stderr);

    const out = join(dir, 'out');
    mkdirSync(out);
    const spec = `git+${pathToFileURL(bare).href}#${commit}`;
    const pack = spawnSync('npm', ['pack', spec, '--pack-destination', out], { cwd: dir, env: npmChildEnv({ npm_config_offline: 'true' }), encoding: 'utf8', timeout: 400_000 });
    assert.equal(pack.status, 0, `npm pack ${spec} failed:\n${pack.stderr.slice(-4000)}`);

    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string; bin: Record<string, string> };
    const tarball = join(out, `${pkg.name}-${pkg.version}.tgz`);
    assert.ok(existsSync(tarball), `npm pack wrote no ${tarball}`);
    const list = spawnSync('tar', ['-tzf', tarball], { encoding: 'utf8' });
    assert.equal(list.status, 0, list.stderr);
    const entries = new Set(list.stdout.split('\n'));
    for (const bin of Object.values(pkg.bin)) {
      const path = `package/${bin.replace(/^\.\//, '')}`;
      assert.ok(entries.has(path), `the git install would have no ${path}: its prepare script did not build dist/`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
