// Taking over the output folder's lock left by a run that was killed. Two runs may find that lock
// at once; only one may then write the folder: the other must never remove the lock the first has
// just made. Two real processes hit that window rarely (output-lock-race.slow.test.ts races them),
// so the first test here plays every interleaving: the second run goes, whole, between any two
// file operations the first makes on the lock. As in support/crash-at.ts, the writer is observed
// by wrapping node:fs functions (support/wrap-fs.ts); product code has no hook.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { MANIFEST, writeOutput } from '../generator/output/write.js';
import { runCli, snapshot } from './support/cli-run.js';
import { miniWsdl } from './support/mini-wsdl.js';
import { wrapFs, type FsWrappers } from './support/wrap-fs.js';

const LOCK = '.gen-services86-lock';
const TAKEOVER = '.gen-services86-lock-takeover';
/** No process has this id (above any system's largest): the run that left a lock was killed. */
const DEAD = 0x7ffffffe;
/** Another id of no process: a run killed while it took over a lock. */
const DEAD_TAKER = 0x7ffffffd;

let work: string;
let wsdl: string;
/** Two live processes standing for two runs (this process's own id counts as a dead earlier run's). */
let sleepers: ChildProcess[];
let firstPid: number;
let secondPid: number;

before(() => {
  work = mkdtempSync(join(tmpdir(), 'gen-services86-lock-takeover-'));
  wsdl = join(work, 'Alpha.wsdl');
  writeFileSync(wsdl, miniWsdl({ portType: 'Alpha' }));
  // Alive until after() kills them (or this process ends: their stdin closes), however late a test
  // group reaches this file's tests; a timer would let them die first, and their ids read as dead runs.
  sleepers = [0, 1].map(() => spawn(process.execPath, ['-e', 'process.stdin.resume()'], { stdio: ['pipe', 'ignore', 'ignore'] }));
  [firstPid, secondPid] = sleepers.map((s) => s.pid!) as [number, number];
});

after(() => {
  for (const s of sleepers) s.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

let folders = 0;
/** A fresh output folder holding `files` (name → content). */
function folderWith(files: Record<string, string>): string {
  const out = join(work, `out-${folders++}`);
  mkdirSync(out);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(out, name), content);
  return out;
}

type Outcome = 'locked' | string;

/**
 * A run over `out` (writeOutput, as the CLI's, of no files: it writes only the manifest): 'locked'
 * when it got the lock, else its error. A run takes no lock only when it has nothing to write and
 * no run left anything; each run here starts with a lock or takeover file there, or the manifest
 * still to write, so one that succeeds has taken the lock.
 */
function recover(out: string): Outcome {
  try {
    writeOutput(out, []);
    return 'locked';
  } catch (err) {
    return (err as Error).message;
  }
}

const WRAPPED = ['writeFileSync', 'readFileSync', 'rmSync', 'existsSync', 'lstatSync', 'statSync', 'unlinkSync', 'renameSync', 'linkSync', 'openSync'] as const;

/**
 * Runs the first run (recover on `out`, as process firstPid) and, just before its
 * operation number `at` on the lock or takeover file, the whole second run (as secondPid). The
 * second run keeps the lock if it gets it: it stands for a run still writing the folder. Returns
 * both outcomes and how many lock operations the first run made.
 */
function interleave(out: string, at: number): { first: Outcome; second: Outcome; operations: number } {
  const lockFiles = new Set([join(out, LOCK), join(out, TAKEOVER)]);
  let operations = 0;
  let inSecond = false;
  let second: Outcome = 'did not run';
  const asPid = (data: unknown) => (typeof data === 'string' ? data.replace(`${process.pid}`, String(inSecond ? secondPid : firstPid)) : data);
  /** node:fs's `name` wrapped: on the lock files it counts the first run's operations and plays the second run before number `at`. */
  const playingSecondRun = (name: (typeof WRAPPED)[number]) => (original: (...args: unknown[]) => unknown) => (...args: unknown[]) => {
    const onLock = lockFiles.has(String(args[0]));
    if (onLock && !inSecond && operations++ === at) {
      inSecond = true;
      try {
        second = recover(out);
      } finally {
        inSecond = false;
      }
    }
    // Each run writes its own id into the lock files (process ids as above).
    if (onLock && name === 'writeFileSync') args[1] = asPid(args[1]);
    // The second run does not let go of a lock it holds (its "release" is left out).
    if (onLock && inSecond && name === 'rmSync' && String(args[0]).endsWith(LOCK) && readFileSync(String(args[0]), 'utf8') === `${secondPid}\n`) return undefined;
    return original(...args);
  };
  const unwrap = wrapFs(Object.fromEntries(WRAPPED.map((name) => [name, playingSecondRun(name)])) as FsWrappers);
  try {
    return { first: recover(out), second, operations };
  } finally {
    unwrap();
  }
}

describe('taking over the lock of a run that was killed', () => {
  test('two runs taking it over at once: wherever the second comes in, exactly one gets the lock, and its lock stays', () => {
    let operations = Infinity;
    const seen = new Set<string>();
    for (let at = 0; at <= operations; at++) {
      const out = folderWith({ [LOCK]: `${DEAD}\n` });
      const r = interleave(out, at);
      operations = r.operations;
      const where = `second run before the first run's lock operation ${at} of ${r.operations}: first ${r.first}; second ${r.second}`;
      if (r.second === 'did not run') continue;
      seen.add(`${r.first === 'locked' ? 'first' : 'second'} run locked`);
      assert.ok((r.first === 'locked') !== (r.second === 'locked'), `exactly one run gets the lock (${where})`);
      if (r.second === 'locked') {
        assert.equal(readFileSync(join(out, LOCK), 'utf8'), `${secondPid}\n`, `the second run's lock stays while it writes (${where})`);
        assert.match(r.first, new RegExp(`^another gen-services86 run \\(process ${secondPid}\\) is writing this folder`), where);
      } else {
        assert.equal(existsSync(join(out, LOCK)), false, `the first run released its lock (${where})`);
        assert.match(r.second, new RegExp(`^another gen-services86 run \\(process ${firstPid}\\) is (?:writing this folder|taking over the lock)`), where);
      }
      assert.equal(existsSync(join(out, TAKEOVER)), false, `no takeover file is left (${where})`);
    }
    assert.ok(operations >= 4, `the first run took the lock over in ${operations} operations on it`);
    assert.deepEqual([...seen].sort(), ['first run locked', 'second run locked'], 'both ways the race can go were played');
  });

  test('a takeover file of a live run stops a takeover: it is refused, and both files are named; nothing is removed', () => {
    const out = folderWith({ [LOCK]: `${DEAD}\n`, [TAKEOVER]: `${firstPid}\n` });
    const before = snapshot(out);
    assert.equal(
      recover(out),
      `another gen-services86 run (process ${firstPid}) is taking over the lock left by a run that was killed (process ${DEAD}) to write this folder; ` +
        `run again when it has ended (if no run is going on, delete ${join(out, LOCK)} and ${join(out, TAKEOVER)})`,
    );
    assert.deepEqual(snapshot(out), before);
  });

  test('a takeover file of a run killed while taking over: refused, both files named; once deleted, a run gets the lock', () => {
    const out = folderWith({ [LOCK]: `${DEAD}\n`, [TAKEOVER]: `${DEAD_TAKER}\n` });
    const before = snapshot(out);
    assert.equal(
      recover(out),
      `a gen-services86 run (process ${DEAD_TAKER}) was killed while taking over the lock left by a run killed before (process ${DEAD}); ` +
        `no run is writing this folder: delete ${join(out, LOCK)} and ${join(out, TAKEOVER)}, and run again`,
    );
    assert.deepEqual(snapshot(out), before, 'neither file is removed: two runs doing so at once could remove a new lock');
    rmSync(join(out, LOCK));
    rmSync(join(out, TAKEOVER));
    assert.equal(recover(out), 'locked');
    assert.deepEqual(readdirSync(out), [MANIFEST]);
  });

  test('a takeover file left after the old lock was removed: the next run holding the lock removes it; one of a live run stays', () => {
    const out = folderWith({ [TAKEOVER]: `${DEAD_TAKER}\n` });
    assert.equal(recover(out), 'locked');
    assert.deepEqual(readdirSync(out), [MANIFEST], 'the killed run\'s takeover file is gone, and the lock released');
    // A live run's takeover file is its own: that run removes it in a moment.
    writeFileSync(join(out, TAKEOVER), `${firstPid}\n`);
    assert.equal(recover(out), 'locked');
    assert.deepEqual(readdirSync(out).sort(), [MANIFEST, TAKEOVER].sort());
  });

  test('the CLI: a left takeover file is neither reported by --check nor left by a run with nothing to write', async () => {
    const dir = mkdtempSync(join(work, 'cli-'));
    const first = await runCli([wsdl, '-o', 'out', '--quiet'], dir);
    assert.equal(first.code, 0, first.stderr);
    const out = join(dir, 'out');
    const clean = snapshot(out);
    writeFileSync(join(out, TAKEOVER), `${DEAD_TAKER}\n`);
    const check = await runCli([wsdl, '-o', 'out', '--check'], dir);
    assert.equal(check.code, 0, `up to date: ${check.stderr}`);
    assert.ok(existsSync(join(out, TAKEOVER)), '--check writes nothing');
    const again = await runCli([wsdl, '-o', 'out'], dir);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /out: 0 written, \d+ unchanged, 0 removed/);
    assert.deepEqual(snapshot(out), clean);
    // With the old lock still there, the CLI says what to delete.
    writeFileSync(join(out, LOCK), `${DEAD}\n`);
    writeFileSync(join(out, TAKEOVER), `${DEAD_TAKER}\n`);
    const stuck = await runCli([wsdl, '-o', 'out'], dir);
    assert.equal(stuck.code, 1);
    assert.equal(
      stuck.stderr,
      `gen-services86: out: a gen-services86 run (process ${DEAD_TAKER}) was killed while taking over the lock left by a run killed before ` +
        `(process ${DEAD}); no run is writing this folder: delete out/${LOCK} and out/${TAKEOVER}, and run again\n`,
    );
  });
});
