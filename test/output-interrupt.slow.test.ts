// A run that is interrupted, as a child process: Ctrl-C (SIGINT) or SIGTERM gets one line and the
// exit code a shell gives (130, 143), and never leaves a write half-done; --check reports what a
// killed run left rather than "up to date". Slow tier: each test starts a process or two.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli, snapshot } from './support/cli-run.js';
import { miniWsdl } from './support/mini-wsdl.js';
import { watchChild } from './support/watch-child.js';

const MANIFEST = '.gen-services86-manifest.json';

let work: string;
/** A clean generation of old/Alpha.wsdl and of new/Alpha.wsdl (one more operation), each into `out`. */
let oldTree: string;
let newSnap: Record<string, string>;

function workFolders(dir: string): string[] {
  return readdirSync(dir).filter((n) => n.startsWith('.gen-services86-') && n !== MANIFEST).sort();
}

/** A working folder whose `out` is a copy of the old clean generation. */
function withOldOutput(name: string): { dir: string; out: string } {
  const dir = mkdtempSync(join(work, `${name}-`));
  cpSync(oldTree, join(dir, 'out'), { recursive: true });
  return { dir, out: join(dir, 'out') };
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'gen-services86-interrupt-'));
  for (const [name, operations] of [['old', [{ name: 'Ping' }]], ['new', [{ name: 'Ping' }, { name: 'Echo' }]]] as const) {
    mkdirSync(join(work, name));
    writeFileSync(join(work, name, 'Alpha.wsdl'), miniWsdl({ portType: 'Alpha', operations }));
    const dir = mkdtempSync(join(work, `${name}-tree-`));
    const r = await runCli([`../${name}/Alpha.wsdl`, '-o', 'out', '--quiet'], dir);
    assert.equal(r.code, 0, r.stderr);
    if (name === 'old') oldTree = join(dir, 'out');
    else newSnap = snapshot(join(dir, 'out'));
  }
});

after(() => rmSync(work, { recursive: true, force: true }));

/** Waits (polling) until `ready()` holds, at most 20 s. */
async function waitFor(ready: () => boolean): Promise<void> {
  for (const until = Date.now() + 20_000; !ready(); ) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('--check after a SIGKILL at "staged" (the visible tree complete and right) reports the interrupted run, not "up to date"', async () => {
  // It said `out is up to date (374 files)` beside the lock and staging the killed run left: it
  // looked for them only when a file was stale (review r18b).
  const { dir, out } = withOldOutput('check-leftovers');
  const r = await runCli(['../new/Alpha.wsdl', '-o', 'out'], dir, { crashAt: 'staged' });
  assert.equal(r.signal, 'SIGKILL');
  assert.deepEqual(workFolders(out), ['.gen-services86-lock', '.gen-services86-staging']);
  const before = snapshot(out);
  const check = await runCli(['../old/Alpha.wsdl', '-o', 'out', '--check'], dir);
  assert.equal(check.code, 1, check.stdout);
  assert.equal(check.stdout, '');
  assert.equal(
    check.stderr,
    'gen-services86: an earlier run writing out was interrupted and left .gen-services86-staging, .gen-services86-lock; run "gen-services86 ../old/Alpha.wsdl -o out" to finish its cleanup\n',
  );
  assert.deepEqual(snapshot(out), before, '--check changed nothing');
  // The run it names clears them; then --check is content.
  const next = await runCli(['../old/Alpha.wsdl', '-o', 'out', '--quiet'], dir);
  assert.equal(next.code, 0, next.stderr);
  assert.deepEqual(workFolders(out), []);
  assert.equal((await runCli(['../old/Alpha.wsdl', '-o', 'out', '--check', '--quiet'], dir)).code, 0);
});

test('Ctrl-C (SIGINT) or SIGTERM while reading: one line, exit 130 or 143, the output folder as it was', async () => {
  // The process ended silently (review r18b). A URL that never answers keeps the run reading.
  let requests = 0;
  const server = createServer(() => void requests++); // never answers
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
      const { dir, out } = withOldOutput(`interrupt-${signal}`);
      const before = snapshot(out);
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/Alpha.svc?wsdl`;
      const run = watchChild([url, '-o', 'out'], dir);
      try {
        // Reading has begun once the server has the request.
        const asked = requests;
        await waitFor(() => requests > asked || run.child.exitCode !== null);
        run.child.kill(signal);
        assert.equal(await run.exited, code, run.stderr());
        assert.equal(run.stderr(), `gen-services86: interrupted (${signal}); nothing was written, out holds what it held before\n`);
        assert.equal(run.stdout(), '');
        assert.deepEqual(snapshot(out), before);
      } finally {
        run.end();
        server.closeAllConnections();
      }
    }
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test('Ctrl-C (SIGINT) while the output is written: the write completes (a signal is handled between synchronous steps), nothing is left half-done', async () => {
  // Killed there by the default handler, the run left its lock and staging folder.
  const { dir, out } = withOldOutput('interrupt-staged');
  const r = await runCli(['../new/Alpha.wsdl', '-o', 'out', '--quiet'], dir, { crashAt: 'interrupt-staged' });
  assert.equal(r.signal, null, r.stderr);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '', 'the run had done its work: nothing to report');
  assert.deepEqual(snapshot(out), newSnap, 'the new tree, no lock or staging left');
});
