// Real processes racing for one output folder's lock, left by a run that was killed: at no moment
// may two of them hold it (see lockOutput in generator/output/write.ts). Before takeovers were
// made under a takeover file, a run could remove the lock another had just made when taking it
// over: this race showed it in about one round in three with 8 processes on 2 cores.
// output-lock-takeover.test.ts plays the same interleavings deterministically.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { RacerRound } from './support/lock-racer.js';
import { repoRoot } from './support/paths.js';

const RACERS = 8;
const ROUNDS = 30;
const HOLD_MS = 20;
/** No process has this id: the run that left the lock was killed. */
const DEAD = 0x7ffffffe;

const work = mkdtempSync(join(tmpdir(), 'gen-services86-lock-race-'));
after(() => rmSync(work, { recursive: true, force: true }));

test(`${RACERS} processes taking over a killed run's lock at once, ${ROUNDS} rounds: never two holders`, async () => {
  const out = join(work, 'out');
  const holders = join(work, 'holders');
  const control = join(work, 'control');
  for (const dir of [out, holders, control]) mkdirSync(dir);
  const racer = join(repoRoot, 'dist', 'test', 'support', 'lock-racer.js');
  const children: ChildProcess[] = [];
  const runs = Array.from({ length: RACERS }, () => {
    const child = spawn(process.execPath, [racer, out, holders, control, String(ROUNDS), String(HOLD_MS)], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    return new Promise<RacerRound[]>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve(stdout.trim().split('\n').map((line) => JSON.parse(line) as RacerRound)) : reject(new Error(`racer exited ${code}: ${stderr}`))));
    });
  });
  const finished = Promise.all(runs);
  let failed: unknown;
  finished.catch((err: unknown) => (failed = err));
  let results: RacerRound[];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const until = Date.now() + 60_000; readdirSync(control).filter((f) => f.startsWith(`ready-${round}-`)).length < RACERS; ) {
        if (failed !== undefined || Date.now() > until) throw failed ?? new Error(`round ${round}: the racers did not get ready`);
        await new Promise((ok) => setTimeout(ok, 2));
      }
      rmSync(join(out, '.gen-services86-lock'), { force: true });
      writeFileSync(join(out, '.gen-services86-lock'), `${DEAD}\n`);
      writeFileSync(join(control, `go-${round}`), '');
    }
    results = (await finished).flat();
  } finally {
    // A failed round left the others waiting for a go that never comes: they would keep this file's process, and the run, alive.
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  const overlapping = [...new Set(results.filter((r) => r.overlap).map((r) => r.round))];
  assert.deepEqual(overlapping, [], `rounds in which two processes held the lock at once`);
  const refusals = results.filter((r) => r.error !== undefined && !/^another gen-services86 run (?:\(process \d+\) )?is (?:writing this folder|taking over the lock)/.test(r.error));
  assert.deepEqual(refusals, [], 'a process that did not get the lock was refused because another run had it');
  for (let round = 0; round < ROUNDS; round++) {
    assert.ok(results.some((r) => r.round === round && r.held), `round ${round}: a process got the lock`);
  }
  assert.deepEqual(readdirSync(out), ['.gen-services86-manifest.json'], 'no lock or takeover file is left');
});
