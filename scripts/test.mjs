// npm test / npm run test:all: Node's test runner over the compiled tests in dist/test/.
//
//   node scripts/test.mjs [--all] [--list] [other node --test options, passed on]
//
// The fast tier (npm test) is every dist/test/**/*.test.js except *.slow.test.js; --all (test:all,
// what CI runs) adds the slow files. The fast tier's files run in GROUPS processes, two at a time,
// not one process per file: a process per file cost each of the ≈ 60 files a Node start-up and its
// own loading of the generator and runtime modules, a third of the tier's CPU time (measured
// alternately on this 2-core machine, 2026-12-05: 97 and 108 s of CPU per file, 61 and 68 s in two
// groups). Each group is a module in dist/test/.cache/groups/<pid>/ that imports its files in
// order, so their tests run one file after another in one process, as `node --test` runs one
// file's tests. A file that fails to load (it throws at its top level) fails its whole group.
// What files of one group share, and so what a fast test file must not rely on:
//   - module instances (the runtime's lazily loaded call.ts may have been loaded by an earlier
//     file; call-loading.test.ts makes its own copies of the runtime for that reason);
//   - the root test: all top-level before() hooks run before the group's first test, all after()
//     hooks after its last, and a top-level beforeEach()/afterEach() runs around every test of the
//     group (keep those to resetting the file's own state, or put them in a describe()).
// A slow file keeps a process of its own (memory bounds, timing ratios, npm pack).
//
// The files are split by the time their tests took in a recorded run (scripts/test-durations.
// default.json, committed), longest first into the group with the least so far: the same files are
// always split the same way, on every machine, so a failure that depends on what shared its process
// runs again as it was. A file missing from the record (new since) counts as an average one; a stale
// record costs only balance, never a test. `--record-durations` runs the tests and writes their
// times there (scripts/test-durations.mjs), an explicit step like the golden files' update; by turns
// in name order instead, the run of 2026-12-05 took 31 s in one process and 48 s in the other.
// The split changes only which process runs a file, never what runs: --list prints it, and the
// runner's options ('node: ...').
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const testDir = join(root, 'dist', 'test');
const cacheDir = join(testDir, '.cache');
// One folder per run: two runs at once in one checkout do not rewrite each other's group modules.
const groupDir = join(cacheDir, 'groups', String(process.pid));
const durationsFile = join(root, 'scripts', 'test-durations.default.json');
const GROUPS = 2;
const CONCURRENCY = 2;

const args = process.argv.slice(2);
const all = args.includes('--all');
const list = args.includes('--list');
const record = args.includes('--record-durations');
const passOn = args.filter((a) => a !== '--all' && a !== '--list' && a !== '--record-durations');

/** Every *.test.js below dist/test/ (the cache aside), sorted, as paths relative to dist/test/ with '/'. */
function testFiles() {
  const found = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (path !== cacheDir) walk(path);
      } else if (entry.name.endsWith('.test.js')) found.push(relative(testDir, path).split(sep).join('/'));
    }
  };
  walk(testDir);
  return found.sort();
}

/** Milliseconds per file (relative path) recorded in `path`, or {} when there is no usable record. */
function durationsIn(path) {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8'));
    return parsed && typeof parsed === 'object' ? parsed : {};
  } catch {
    return {};
  }
}

/** `files` in `n` groups of about equal time (a file new since the record counts as an average one); each group in name order. */
function split(files, n) {
  const known = durationsIn(durationsFile);
  const times = files.map((f) => known[f]).filter((ms) => typeof ms === 'number');
  const groups = Array.from({ length: n }, () => ({ files: [], ms: 0 }));
  // Without a record every file weighs the same, which deals them out by turns in name order.
  const average = times.length > 0 ? times.reduce((a, b) => a + b, 0) / times.length : 1;
  const ms = (f) => (typeof known[f] === 'number' ? known[f] : average);
  for (const file of [...files].sort((a, b) => ms(b) - ms(a) || (a < b ? -1 : 1))) {
    const least = groups.reduce((l, g) => (g.ms < l.ms ? g : l));
    least.files.push(file);
    least.ms += ms(file);
  }
  return groups.map((g) => g.files.sort()).filter((g) => g.length > 0);
}

// A narrowed run's times cannot stand for the files' times: refused before running, not after.
if (record && passOn.length > 0) {
  process.stderr.write('test.mjs: --record-durations records a run of every test; it takes no other options\n');
  process.exit(2);
}

const files = testFiles();
const fast = files.filter((f) => !f.endsWith('.slow.test.js'));
const slow = all ? files.filter((f) => f.endsWith('.slow.test.js')) : [];
const groups = split(fast, GROUPS);

const fresh = join(groupDir, 'durations.json');
const reporter = pathToFileURL(join(root, 'scripts', 'test-durations.mjs')).href;
/** The runner's options, the same in both tiers: the spec reporter's summary ends every run. */
const runnerArgs = [
  '--test',
  `--test-concurrency=${CONCURRENCY}`,
  '--test-reporter=spec',
  '--test-reporter-destination=stdout',
  ...(record ? [`--test-reporter=${reporter}`, `--test-reporter-destination=${fresh}`] : []),
  ...passOn,
];

if (list) {
  process.stdout.write(`node: ${runnerArgs.join(' ')}\n`);
  groups.forEach((g, i) => process.stdout.write(`group ${i + 1}: ${g.join(' ')}\n`));
  for (const f of slow) process.stdout.write(`alone: ${f}\n`);
  process.exit(0);
}

mkdirSync(groupDir, { recursive: true });
const entries = groups.map((g, i) => {
  const path = join(groupDir, `group-${i + 1}.js`);
  writeFileSync(path, g.map((f) => `import ${JSON.stringify(pathToFileURL(join(testDir, f)).href)};\n`).join(''));
  return path;
});

const run = spawnSync(process.execPath, [...runnerArgs, ...entries, ...slow.map((f) => join(testDir, f))], { cwd: root, stdio: 'inherit' });

// --record-durations: this run's times replace those of the files it ran, and the record forgets
// files that are gone. Only a run of every test whose tests all passed counts.
if (record) {
  if (run.status !== 0) {
    process.stderr.write('test.mjs: durations not recorded (a test failed)\n');
  } else {
    const measured = durationsIn(fresh);
    const merged = { ...durationsIn(durationsFile), ...measured };
    for (const f of Object.keys(merged)) if (!files.includes(f)) delete merged[f];
    const sorted = Object.fromEntries(Object.keys(merged).sort().map((f) => [f, merged[f]]));
    writeFileSync(`${durationsFile}.tmp`, `${JSON.stringify(sorted, null, 1)}\n`);
    renameSync(`${durationsFile}.tmp`, durationsFile);
    process.stdout.write(`test.mjs: recorded the times of ${Object.keys(measured).length} files in ${relative(root, durationsFile)}\n`);
  }
}
rmSync(groupDir, { recursive: true, force: true });
process.exit(run.status ?? 1);
