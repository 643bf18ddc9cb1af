// An output folder that cannot be made, where Node's recursive mkdir does not end: in procfs a
// folder exists but refuses new ones with ENOENT, and `mkdirSync('/proc/x', { recursive: true })`
// retried for ever (`-o /proc/x` ran at full CPU until killed). A child process: the old code
// blocked the thread it ran on, so only a process can be timed out.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cliPath, fixturesDir } from './support/paths.js';

const wsdl = join(fixturesDir, 'bad', 'valid-minimal.wsdl');

test('-o in procfs (/proc/x, /proc/x/y): one error line naming the folder and exit 1, not a run that never ends', { skip: !existsSync('/proc/self') && 'no procfs here' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'gen-services86-unmakeable-'));
  try {
    for (const out of ['/proc/gen-services86-out', '/proc/gen-services86-out/below']) {
      const run = spawnSync(process.execPath, [cliPath, wsdl, '-o', out], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
      assert.equal(run.signal, null, `ended by itself (the old code ran until killed): ${out}`);
      assert.equal(run.status, 1, run.stderr);
      assert.equal(run.stderr, `gen-services86: cannot write ${out}: ENOENT: no such file or directory, mkdir '/proc/gen-services86-out'\n`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
