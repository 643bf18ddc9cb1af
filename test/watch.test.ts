// --watch: one child process, bounded in time, driven through its output: a line per run (files
// written / unchanged / removed, the time), a run after a WSDL or the config changed, the last good
// output kept when a run fails, a clean end on Ctrl-C (SIGINT). In process: the model cache reads
// only the WSDL that changed.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { after, before, test } from 'node:test';
import { generate } from '../generator/generate.js';
import { expandGlob } from '../generator/input/config.js';
import { FileTexts } from '../generator/file-texts.js';
import { ReadCache } from '../generator/read-cache.js';
import { watchAndRun } from '../generator/watch.js';
import { snapshot } from './support/cli-run.js';
import { miniWsdl } from './support/mini-wsdl.js';
import { quietFor, waitUntil } from './support/wait-until.js';
import { RUN_LINE, watchChild } from './support/watch-child.js';

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

    // A broken WSDL: the error is printed, then the line that sums it up; the output stays as it was.
    writeFileSync(join(dir, 'wsdl', 'Alpha.wsdl'), '<wsdl:definitions');
    await until(() => /wsdl\/Alpha\.wsdl:\d+:\d+: malformed XML/.test(watch.stderr()), 'the error of the broken WSDL');
    assert.match(watch.stderr(), /malformed XML[^\n]*\n\[\d\d:\d\d:\d\d\] gen-services86: the last good output stays; waiting for the next change$/m);
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

/** Writes `path` (and its folders) with a time long before any run: only the event counts, not its modification time. */
function put(path: string, text = 'a WSDL'): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  utimesSync(path, new Date(2020, 0, 1), new Date(2020, 0, 1));
}

/**
 * watchAndRun in process over a glob of `dir`, with runs that walk it as readConfig does (and
 * generate nothing): `runs` holds what each run found (paths relative to `dir`). `during` may
 * change files in the middle of run n, after its walk (a copy still going on).
 */
function globWatch(dir: string, glob: string, during?: (run: number) => void) {
  const controller = new AbortController();
  const runs: string[][] = [];
  const wait = waitUntil({ limitMs: 20_000, pollMs: 250, state: () => `runs: ${JSON.stringify(runs)}` });
  const watching = watchAndRun({
    signal: controller.signal,
    debounceMs: 5,
    run: async () => {
      const { files, watch } = expandGlob(dir, glob);
      runs.push(files.map((f) => relative(dir, f).split(sep).join('/')));
      during?.(runs.length);
      wait.wake();
      return { files, globs: watch };
    },
  });
  return {
    runs,
    /** Waits (on each run, up to 20 s: a loaded machine) until `done()` holds. */
    until: wait.until,
    /** Waits until no run came for `ms` (a change that does not count has had its chance to start one). */
    quiet: (ms = 150) => quietFor(() => runs.length, ms),
    /** Whether the last run found `file`. */
    found: (file: string) => runs.at(-1)?.includes(file) ?? false,
    stop: async () => {
      controller.abort();
      await watching;
    },
  };
}

test('watch: a file added where a glob of the config matches gets a run (wsdl/*.wsdl, wsdl/**/*.wsdl, in a folder made since); another file does not', async () => {
  // Only the files a glob matched were watched: a WSDL added to the folder was generated only
  // once something else changed.
  for (const [glob, added] of [
    ['wsdl/*.wsdl', 'wsdl/Beta.wsdl'],
    ['wsdl/**/*.wsdl', 'wsdl/sub/Gamma.wsdl'],
  ] as const) {
    const dir = mkdtempSync(join(work, 'glob-'));
    put(join(dir, 'wsdl', 'Alpha.wsdl'));
    mkdirSync(join(dir, 'wsdl', 'sub'));
    const w = globWatch(dir, glob);
    try {
      await w.until(() => w.runs.length === 1, 'the first run');
      // Beside the WSDLs (the folder both globs watch) and below them: neither name matches.
      put(join(dir, 'wsdl', 'notes.txt'));
      put(join(dir, 'wsdl', 'sub', 'notes.txt'));
      await w.quiet();
      assert.equal(w.runs.length, 1, `${glob}: a file it does not match`);
      put(join(dir, added));
      await w.until(() => w.found(added), `${glob}: a run after ${added} was added`);
      if (glob.includes('**')) {
        // A folder made below: a run, which watches it; then a WSDL in it.
        const before = w.runs.length;
        mkdirSync(join(dir, 'wsdl', 'new'));
        await w.until(() => w.runs.length > before, `${glob}: a run after a folder was made below it`);
        put(join(dir, 'wsdl', 'new', 'Delta.wsdl'));
        await w.until(() => w.found('wsdl/new/Delta.wsdl'), `${glob}: a run after a WSDL was saved in the folder made below it`);
      }
      // One run per change that counts, none more (a late spurious run, too).
      await w.quiet();
      assert.equal(w.runs.length, glob.includes('**') ? 4 : 2, `${glob}: runs ${JSON.stringify(w.runs)}`);
    } finally {
      await w.stop();
    }
  }
});

test('watch: test/*/wsdl/*.wsdl watches exactly the folders where a match can appear, and generates a WSDL saved in a matching folder made later', async () => {
  // globWatchTarget walked the glob a second time and, below its first wildcard, watched every
  // folder: a WSDL saved in test/a/other/ or test/fixtures/deep/ started a run that found nothing new.
  const dir = mkdtempSync(join(work, 'glob-deep-'));
  put(join(dir, 'test', 'a', 'wsdl', 'Alpha.wsdl'));
  mkdirSync(join(dir, 'test', 'a', 'wsdl', 'old'));
  mkdirSync(join(dir, 'test', 'a', 'other'));
  mkdirSync(join(dir, 'test', 'b'));
  mkdirSync(join(dir, 'test', 'fixtures', 'deep', 'er'), { recursive: true });
  mkdirSync(join(dir, 'test', '.hidden', 'wsdl'), { recursive: true });
  const glob = 'test/*/wsdl/*.wsdl';
  const at = (folder: string) => join(dir, ...folder.split('/'));
  assert.deepEqual(
    expandGlob(dir, glob).watch.map((w) => ({ ...w, folder: relative(dir, w.folder).split(sep).join('/') })),
    [
      { folder: 'test', segment: '*', file: false }, // a new folder here may get a wsdl/
      { folder: 'test/a/wsdl', segment: '*.wsdl', file: true }, // where the matches are
      { folder: 'test/b', segment: 'wsdl', file: false }, // a wsdl/ made here may hold one
      { folder: 'test/fixtures', segment: 'wsdl', file: false },
    ],
  );
  assert.ok(existsSync(at('test/a/other')));
  const w = globWatch(dir, glob);
  try {
    await w.until(() => w.runs.length === 1, 'the first run');
    assert.deepEqual(w.runs[0], ['test/a/wsdl/Alpha.wsdl']);
    // Where the glob cannot match: no run.
    for (const stray of ['test/a/other', 'test/a/wsdl/old', 'test/fixtures/deep', 'test/fixtures/deep/er', 'test/.hidden/wsdl', 'test']) put(join(at(stray), 'Stray.wsdl'));
    mkdirSync(at('test/a/other/wsdl'));
    mkdirSync(at('test/b/other'));
    await w.quiet();
    assert.equal(w.runs.length, 1, `a WSDL or folder where the glob cannot match: ${JSON.stringify(w.runs)}`);
    // A matching folder made later, at once with its WSDL (mkdir -p, a copied folder) …
    put(join(at('test/c/wsdl'), 'Gamma.wsdl'));
    await w.until(() => w.found('test/c/wsdl/Gamma.wsdl'), 'a run that finds test/c/wsdl/Gamma.wsdl');
    // … or below a folder that was there without one.
    mkdirSync(at('test/b/wsdl'));
    await w.until(() => w.runs.at(-1)!.length === 2 && w.runs.length >= 3, 'a run after test/b/wsdl/ was made');
    put(join(at('test/b/wsdl'), 'Beta.wsdl'));
    await w.until(() => w.found('test/b/wsdl/Beta.wsdl'), 'a run that finds test/b/wsdl/Beta.wsdl');
    assert.deepEqual(w.runs.at(-1), ['test/a/wsdl/Alpha.wsdl', 'test/b/wsdl/Beta.wsdl', 'test/c/wsdl/Gamma.wsdl']);
  } finally {
    await w.stop();
  }
});

test('watch: a WSDL saved in a new matching folder after the run walked the glob, before the folder was watched, gets a run of its own', async () => {
  // The folder is watched only once the run that found it ends: a save in between (a folder
  // copied in over a while) was seen by nobody, and --watch waited for a change that had happened.
  const dir = mkdtempSync(join(work, 'glob-late-'));
  put(join(dir, 'test', 'a', 'wsdl', 'Alpha.wsdl'));
  const w = globWatch(dir, 'test/*/wsdl/*.wsdl', (run) => {
    if (run === 2) put(join(dir, 'test', 'b', 'wsdl', 'Late.wsdl')); // after run 2's walk found test/b/wsdl/Beta.wsdl
  });
  try {
    await w.until(() => w.runs.length === 1, 'the first run');
    put(join(dir, 'test', 'b', 'wsdl', 'Beta.wsdl'));
    await w.until(() => w.found('test/b/wsdl/Beta.wsdl'), 'a run that finds test/b/wsdl/Beta.wsdl');
    assert.deepEqual(w.runs[1], ['test/a/wsdl/Alpha.wsdl', 'test/b/wsdl/Beta.wsdl'], 'run 2 walked before Late.wsdl was saved');
    await w.until(() => w.found('test/b/wsdl/Late.wsdl'), 'a run that finds test/b/wsdl/Late.wsdl');
  } finally {
    await w.stop();
  }
});

test('watch: an entry a glob names but no file (a link to nowhere, a link to a folder, a FIFO) does not start run after run', async () => {
  // The check for a match added while a run walked the glob took every entry that is no folder
  // for a file the walk had missed: the walk skips these, so each run scheduled the next, forever.
  const dir = mkdtempSync(join(work, 'glob-nofile-'));
  put(join(dir, 'wsdl', 'Alpha.wsdl'));
  mkdirSync(join(dir, 'elsewhere'));
  symlinkSync(join(dir, 'gone.wsdl'), join(dir, 'wsdl', 'Dangling.wsdl'));
  symlinkSync(join(dir, 'elsewhere'), join(dir, 'wsdl', 'Folder.wsdl'));
  execFileSync('mkfifo', [join(dir, 'wsdl', 'Pipe.wsdl')]);
  const w = globWatch(dir, 'wsdl/*.wsdl');
  try {
    await w.until(() => w.runs.length === 1, 'the first run');
    await w.quiet();
    assert.equal(w.runs.length, 1, `one run, not one after another: ${w.runs.length}`);
    put(join(dir, 'wsdl', 'Beta.wsdl'));
    await w.until(() => w.found('wsdl/Beta.wsdl'), 'a run after Beta.wsdl was added');
  } finally {
    await w.stop();
  }
});

test('watch: a symbolic link loop made in a watched folder (where ** or a WSDL name matches) neither ends the watch nor stops later runs', async () => {
  // Its stat throws ELOOP, not ENOENT: the watcher's "is it a folder?" threw out of the event
  // handler and ended the process.
  const dir = mkdtempSync(join(work, 'glob-loop-'));
  put(join(dir, 'wsdl', 'Alpha.wsdl'));
  const w = globWatch(dir, 'wsdl/**/*.wsdl');
  try {
    await w.until(() => w.runs.length === 1, 'the first run');
    symlinkSync('loop', join(dir, 'wsdl', 'loop'));
    symlinkSync('Loop.wsdl', join(dir, 'wsdl', 'Loop.wsdl'));
    await w.quiet();
    put(join(dir, 'wsdl', 'Beta.wsdl'));
    await w.until(() => w.found('wsdl/Beta.wsdl'), 'a run after Beta.wsdl was added');
    assert.deepEqual(w.runs.at(-1), ['wsdl/Alpha.wsdl', 'wsdl/Beta.wsdl']);
  } finally {
    await w.stop();
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
