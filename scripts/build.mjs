// npm run build: makes dist/ the build of the current sources, doing only the work that changed
// (a full build costs ≈ 13 s of CPU; `npm test` starts with one).
//
//   1. dist/.build-stamp matches the sources and every output listed in
//      dist/.build-outputs is there (scripts/build-stamp.mjs distIsCurrent): nothing to do (`prepare` makes the same
//      test before `npm pack`).
//   2. tsc, incremental (its state in dist/.tsbuildinfo): it re-checks and re-emits only what
//      changed and starts over by itself for a new compiler version or changed options.
//   3. Every file in dist/ that is not the output of a current source goes — a deleted test file
//      must not run from dist/test/, and nothing else may linger — except the tests' cache
//      (dist/test/.cache, see test/support/paths.ts).
//   4. An output missing although tsc thinks it up to date (deleted by hand): tsc once more,
//      from scratch.
//   5. The templates precompiled, the list of outputs and the stamp written.
//
// `node scripts/build.mjs --clean` (or deleting dist/) builds from nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { distIsCurrent, fingerprint, outputList, writeStamp } from './build-stamp.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const buildInfo = join(dist, '.tsbuildinfo');
const require = createRequire(import.meta.url);

if (process.argv.includes('--clean')) rmSync(dist, { recursive: true, force: true });
// The sources as this build reads them: a file saved while tsc runs must leave the stamp stale.
const stamp = fingerprint();
if (distIsCurrent(stamp)) {
  process.stdout.write('build: dist/ is the build of the current sources\n');
  process.exit(0);
}

// tsc writes its outputs even when it fails (a type error): until this build ends well, the stamp
// must not say that dist/ is the build of sources it matched before.
rmSync(join(dist, '.build-stamp'), { force: true });
const tsc = () => {
  const r = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json', '--incremental', '--tsBuildInfoFile', buildInfo], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
tsc();

// What tsc emits for the sources tsconfig.json includes: X.ts → dist/X.js and dist/X.d.ts.
const ts = require('typescript');
const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
const outputs = new Set();
for (const file of config.fileNames) {
  if (file.endsWith('.d.ts')) continue;
  const out = join(dist, relative(root, file)).replace(/\.ts$/, '');
  outputs.add(`${out}.js`).add(`${out}.d.ts`);
}
const precompiled = join(dist, 'generator', 'emit', 'templates.precompiled.cjs');
const keep = new Set([buildInfo, outputList, join(dist, '.build-stamp'), precompiled]);
const cache = join(dist, 'test', '.cache') + sep;

/** Removes what is neither an output nor kept below `dir`; true when `dir` is left empty. */
function prune(dir) {
  let empty = true;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (`${path}${sep}` === cache) empty = false;
    else if (entry.isDirectory() && !entry.isSymbolicLink()) {
      if (prune(path)) rmdirSync(path);
      else empty = false;
    } else if (outputs.has(path) || keep.has(path)) empty = false;
    else rmSync(path, { force: true });
  }
  return empty;
}
prune(dist);

if ([...outputs].some((out) => !existsSync(out))) {
  process.stdout.write('build: outputs were missing; compiling everything again\n');
  rmSync(buildInfo, { force: true });
  tsc();
}

await import('./precompile-templates.mjs');
// The precompiled templates are listed too: without them a run compiles every template (and npm pack would ship none).
writeFileSync(outputList, [...outputs, precompiled].map((out) => relative(dist, out)).sort().join('\n') + '\n');
writeStamp(stamp);
