// --watch: one child process, bounded in time, driven through its output: a line per run (files
// written / unchanged / removed, the time), a run after a WSDL or the config changed, the last good
// output kept when a run fails, a clean end on Ctrl-C (SIGINT). In process: the model cache reads
// only the WSDL that changed.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { generate } from '../generator/generate.js';
import { FileTexts, ReadCache } from '../generator/read-cache.js';
import { watchAndRun } from '../generator/watch.js';
import { snapshot } from './support/cli-run.js';
import { miniWsdl } from './support/mini-wsdl.js';
import { cliPath } from './support/paths.js';

let work: string;
before(() => {
  work = mkdtempSync(join(tmpdir(), 'gen-services86-watch-'));
});
after(() => rmSync(work, { recursive: true, force: true }));

const wsdlText = (portType: string, doc = 'Pings.') => miniWsdl({ portType, operations: [{ name: 'Ping', request: '', response: '', documentation: doc }] });

function project(name: string): string {
  const dir = mkdtempSync(join(work, `${name}-`));
  mkdirSync(join(dir, 'wsdl'));
  writeFileSync(join(dir, 'wsdl', 'Alpha.wsdl'), wsdlText('Alpha'));
  writeFileSync(join(dir, 'wsdl', 'Beta.wsdl'), wsdlText('Beta'));
  writeFileSync(join(dir, 'gen-services86.config.json'), JSON.stringify({ wsdl: ['wsdl/*.wsdl'], out: 'gen' }));
  return dir;
}

const RUN_LINE = /^\[\d\d:\d\d:\d\d\] gen: (\d+) written, (\d+) unchanged, (\d+) removed \(\d+(?: ms|\.\d s)\)$/;

/** `gen-services86 <args>` as a child process in `cwd`, driven through its output. */
function watchChild(args: readonly string[], cwd: string) {
  const child = spawn(process.execPath, [cliPath, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const killer = setTimeout(() => child.kill('SIGKILL'), 80_000);
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  let stdout = '';
  let stderr = '';
  const waiters: (() => void)[] = [];
  const poke = () => waiters.splice(0).forEach((w) => w());
  child.stdout.setEncoding('utf8').on('data', (d: string) => ((stdout += d), poke()));
  child.stderr.setEncoding('utf8').on('data', (d: string) => ((stderr += d), poke()));
  return {
    child,
    exited,
    stdout: () => stdout,
    stderr: () => stderr,
    /** The run lines so far. */
    lines: () => stdout.split('\n').filter((l) => RUN_LINE.test(l)),
    /** Waits until `done()` holds; fails when the process ended first, or after 30 s. */
    until: async (done: () => boolean, what: string) => {
      const deadline = Date.now() + 30_000;
      while (!done()) {
        if (Date.now() > deadline || child.exitCode !== null) assert.fail(`waiting for ${what}; stdout: ${stdout}\nstderr: ${stderr}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
    },
    end: () => {
      clearTimeout(killer);
      child.kill('SIGKILL');
    },
  };
}

test('--watch: a line per run, runs on changes, keeps the last good output on error, ends on SIGINT', { timeout: 90_000 }, async () => {
  const dir = project('cli');
  const watch = watchChild(['--watch'], dir);
  const { child, exited, lines, until } = watch;
  const counts = (line: string) => RUN_LINE.exec(line)!.slice(1, 4).map(Number);
  try {
    await until(() => lines().length === 1, 'the first run');
    const [written, unchanged, removed] = counts(lines()[0]!);
    assert.ok(written! > 0 && unchanged === 0 && removed === 0, lines()[0]);
    const out = join(dir, 'gen');

    // A WSDL changes: one more run, which rewrites only some files.
    writeFileSync(join(dir, 'wsdl', 'Alpha.wsdl'), wsdlText('Alpha', 'Pings, now documented differently.'));
    await until(() => lines().length === 2, 'a run after Alpha.wsdl changed');
    const [w2, u2] = counts(lines()[1]!);
    assert.ok(w2! > 0 && u2! > 0, lines()[1]);
    const good = snapshot(out);

    // A broken WSDL: the error is printed, the output stays as it was.
    writeFileSync(join(dir, 'wsdl', 'Alpha.wsdl'), '<wsdl:definitions');
    await until(() => /wsdl\/Alpha\.wsdl:\d+:\d+: malformed XML/.test(watch.stderr()), 'the error of the broken WSDL');
    assert.match(watch.stderr(), /^\[\d\d:\d\d:\d\d\] gen-services86: the last good output stays; waiting for the next change$/m);
    assert.deepEqual(snapshot(out), good);

    // Fixed again; then the config drops Beta: its folder goes.
    writeFileSync(join(dir, 'wsdl', 'Alpha.wsdl'), wsdlText('Alpha'));
    await until(() => lines().length === 3, 'a run after the fix');
    writeFileSync(join(dir, 'gen-services86.config.json'), JSON.stringify({ wsdl: ['wsdl/Alpha.wsdl'], out: 'gen' }));
    await until(() => lines().length === 4, 'a run after the config changed');
    assert.ok(counts(lines()[3]!)[2]! > 0, `files removed: ${lines()[3]}`);
    assert.ok(!Object.keys(snapshot(out)).some((k) => k.startsWith('Beta/')), 'Beta/ is gone');

    child.kill('SIGINT');
    assert.equal(await exited, 0, watch.stderr());
    assert.match(watch.stdout(), /gen-services86: stopped watching\n$/);
  } finally {
    watch.end();
  }
});

test('--watch: a WSDL folder deleted and made again (a branch switch, a script re-creating it) is watched again', { timeout: 90_000 }, async () => {
  const dir = mkdtempSync(join(work, 'folder-gone-'));
  mkdirSync(join(dir, 'wsdl'));
  writeFileSync(join(dir, 'wsdl', 'Alpha.wsdl'), wsdlText('Alpha'));
  const watch = watchChild(['--watch', 'wsdl/Alpha.wsdl', '-o', 'gen'], dir);
  const { exited, lines, until } = watch;
  try {
    await until(() => lines().length === 1, 'the first run');
    // A change first: from then on a watcher is in place while a run goes (the first run's files are known only when it ends).
    writeFileSync(join(dir, 'wsdl', 'Alpha.wsdl'), wsdlText('Alpha', 'Pings, changed.'));
    await until(() => lines().length === 2, 'a run after Alpha.wsdl changed');
    rmSync(join(dir, 'wsdl'), { recursive: true });
    await until(() => /wsdl\/Alpha\.wsdl: no such file/.test(watch.stderr()), 'the error of the missing WSDL');
    mkdirSync(join(dir, 'wsdl'));
    writeFileSync(join(dir, 'wsdl', 'Alpha.wsdl'), wsdlText('Alpha', 'Pings, from the folder made again.'));
    await until(() => lines().length === 3, 'a run once the WSDL is back');
    assert.match(readFileSync(join(dir, 'gen', 'Alpha', 'client.ts'), 'utf8'), /from the folder made again/);
    watch.child.kill('SIGINT');
    assert.equal(await exited, 0, watch.stderr());
    assert.match(watch.stdout(), /gen-services86: stopped watching\n$/);
  } finally {
    watch.end();
  }
});

/**
 * watchAndRun in process, with a run that changes `file` while it goes (the first run, or the one
 * numbered `during`): resolves with the number of runs once a second run has happened, or after 3 s.
 */
async function runsAfterChangeDuring(change: (file: string) => void, during = 1): Promise<number> {
  const dir = mkdtempSync(join(work, 'during-'));
  const file = join(dir, 'Alpha.wsdl');
  writeFileSync(file, 'one');
  utimesSync(file, new Date(2020, 0, 1), new Date(2020, 0, 1)); // saved long before the run: only the change counts
  const controller = new AbortController();
  let runs = 0;
  let enough: () => void = () => {};
  const ran = new Promise<void>((resolve) => (enough = resolve));
  const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 15));
  const watching = watchAndRun({
    signal: controller.signal,
    debounceMs: 5,
    first: { files: [file] },
    run: async () => {
      runs++;
      if (runs < during) writeFileSync(file, `saved during run ${runs}`); // an ordinary save: the next run
      if (runs === during) {
        await tick(); // the run reads the file here …
        change(file);
        await tick(); // … and goes on a while
      }
      if (runs === during + 1) enough();
      return { files: [file] };
    },
  });
  const giveUp = setTimeout(enough, 3_000);
  await ran;
  clearTimeout(giveUp);
  controller.abort();
  await watching;
  return runs;
}

/** A save by renaming a copy over the file, with the copy's older time (mv, cp -p, an unpacked archive). */
const saveOlderCopy = (file: string) => {
  writeFileSync(`${file}.new`, 'two');
  utimesSync(`${file}.new`, new Date(2020, 0, 1), new Date(2020, 0, 1));
  renameSync(`${file}.new`, file);
};

test('watch: a WSDL deleted or saved while the first run reads gets a run of its own, as during any later run', async () => {
  // The first run's files used to be watched only once it ended: a deletion then, or a save that
  // left an older modification time, was seen by nobody, and --watch waited for a change that had happened.
  assert.equal(await runsAfterChangeDuring((f) => rmSync(f)), 2, 'deleted during the first run');
  assert.equal(await runsAfterChangeDuring(saveOlderCopy), 2, 'an older copy saved over it during the first run');
  // (A plain save was seen before too, by its modification time after the run began: changedSince.)
  assert.equal(await runsAfterChangeDuring((f) => writeFileSync(f, 'two')), 2, 'saved during the first run');
  assert.equal(await runsAfterChangeDuring(saveOlderCopy, 2), 3, 'an older copy saved over it during the second run');
});

test("watch: a file added where a glob of the config matches gets a run (wsdl/*.wsdl, wsdl/**/*.wsdl, in a folder made since); another file does not", async () => {
  // Only the files a glob matched were watched: a WSDL added to the folder was generated only
  // once something else changed.
  const dir = mkdtempSync(join(work, 'glob-'));
  mkdirSync(join(dir, 'wsdl', 'sub'), { recursive: true });
  const alpha = join(dir, 'wsdl', 'Alpha.wsdl');
  writeFileSync(alpha, 'one');
  utimesSync(alpha, new Date(2020, 0, 1), new Date(2020, 0, 1)); // saved long before the run
  const tick = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  for (const [glob, added] of [
    ['wsdl/*.wsdl', 'wsdl/Beta.wsdl'],
    ['wsdl/**/*.wsdl', 'wsdl/sub/Gamma.wsdl'],
  ] as const) {
    const controller = new AbortController();
    let runs = 0;
    let ran: () => void = () => {};
    const watching = watchAndRun({
      signal: controller.signal,
      debounceMs: 5,
      run: async () => {
        runs++;
        ran();
        return { files: [alpha], globs: [join(dir, glob)] };
      },
    });
    const nextRun = () => new Promise<void>((resolve) => (ran = resolve));
    try {
      await tick(20); // the first run, and its watchers
      assert.equal(runs, 1);
      // Beside the WSDLs (the folder both globs watch) and below them: neither name matches.
      writeFileSync(join(dir, 'wsdl', `notes-${runs}.txt`), 'not a match');
      writeFileSync(join(dir, 'wsdl', 'sub', `notes-${runs}.txt`), 'not a match');
      await tick(60);
      assert.equal(runs, 1, `${glob}: a file it does not match`);
      const second = nextRun();
      writeFileSync(join(dir, added), 'two');
      await Promise.race([second, tick(3_000)]);
      assert.equal(runs, 2, `${glob}: ${added} was added`);
      if (glob.includes('**')) {
        // A folder made below: a run, which watches it; then a WSDL in it.
        const third = nextRun();
        mkdirSync(join(dir, 'wsdl', 'new'));
        await Promise.race([third, tick(3_000)]);
        await tick(10);
        const fourth = nextRun();
        writeFileSync(join(dir, 'wsdl', 'new', 'Delta.wsdl'), 'three');
        await Promise.race([fourth, tick(3_000)]);
        assert.equal(runs, 4, `${glob}: a folder made below it, then a WSDL in it`);
      }
    } finally {
      controller.abort();
      await watching;
    }
  }
});

test('the model cache: a second run reads only the WSDL whose text changed, and writes the same as a run without it', async () => {
  const dir = mkdtempSync(join(work, 'cache-'));
  const names = ['Alpha', 'Beta', 'Gamma'];
  const paths = names.map((n) => {
    const p = join(dir, `${n}.wsdl`);
    writeFileSync(p, wsdlText(n));
    return p;
  });
  const cache = new ReadCache();
  const out = join(dir, 'gen');
  await generate({ wsdl: paths, outDir: out, cache });
  assert.equal(cache.hits, 0);
  writeFileSync(paths[1]!, wsdlText('Beta', 'Another text.'));
  const second = await generate({ wsdl: paths, outDir: out, cache });
  assert.equal(cache.hits, 2, 'Alpha and Gamma came from the cache');
  assert.ok(second.written!.written.length > 0 && second.written!.written.every((f) => f.startsWith('Beta/') || f.startsWith('shared/')), second.written!.written.join(', '));
  const cached = snapshot(out);
  rmSync(out, { recursive: true });
  await generate({ wsdl: paths, outDir: out });
  assert.deepEqual(cached, snapshot(out), 'the same bytes as a run without the cache');
});

test('FileTexts: a file is read again only when its stat changed; an edited output file is seen by the next watch run', async () => {
  const dir = join(work, 'file-texts');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'a.txt');
  writeFileSync(path, 'one');
  const texts = new FileTexts();
  let reads = 0;
  const read = (): string => (reads++, readFileSync(path, 'utf8'));
  assert.equal(texts.text(path, true, read), 'one');
  assert.equal(texts.text(path, true, read), 'one');
  assert.equal(reads, 1, 'an unchanged file is not read again');
  writeFileSync(path, 'two!');
  assert.equal(texts.text(path, true, read), 'two!');
  assert.equal(reads, 2);
  rmSync(path);
  mkdirSync(path);
  assert.equal(texts.text(path, false, read), undefined, 'a folder is not a file');

  // Through generate(): a generated file edited between two runs that share a cache is restored.
  const project = join(work, 'file-texts-project');
  mkdirSync(project, { recursive: true });
  const wsdl = join(project, 'Pinger.wsdl');
  writeFileSync(wsdl, wsdlText('Pinger'));
  const cache = new ReadCache();
  const outDir = join(project, 'out');
  const first = await generate({ wsdl: [wsdl], outDir, cache });
  const clientPath = first.files.map((f) => f.path).find((p) => p.endsWith('/client.ts'));
  assert.ok(clientPath, first.files.map((f) => f.path).join(', '));
  const client = join(outDir, clientPath);
  const original = readFileSync(client, 'utf8');
  writeFileSync(client, original.replace('do not edit', 'do not edit (edited)'));
  const second = await generate({ wsdl: [wsdl], outDir, cache });
  assert.deepEqual(second.written?.written, [clientPath], 'only the edited file is written again');
  assert.equal(readFileSync(client, 'utf8'), original);
});
