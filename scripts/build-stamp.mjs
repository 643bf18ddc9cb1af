// The build's fingerprint: a hash of everything `npm run build` reads (the TypeScript sources tsc
// includes, the templates, tsconfig.json, this package's package.json and lock file, the compiler's
// version). `npm run build` writes it to dist/.build-stamp when it ends (after making the bin
// executable); `prepare` (npm ci, npm pack) builds only when the stamp differs, so packing a
// freshly built tree does not rebuild it (≈ 14 s → well under a second); `npm run build` itself
// (scripts/build.mjs) does nothing when it matches.
//
//   node scripts/build-stamp.mjs write   after a build: bin chmod +x, stamp written
//   node scripts/build-stamp.mjs check   exit 0 when dist/ is the build of the current sources
//                                        (stamp matches, every output of dist/.build-outputs there)
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stampPath = join(root, 'dist', '.build-stamp');
const bin = join(root, 'dist', 'generator', 'cli.js');

/** Files below `dir` (skipping folders tsc excludes), sorted. */
function files(dir, keep) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name === 'node_modules' || e.name === 'dist') continue;
      out.push(...files(p, keep));
    } else if (keep(p)) out.push(p);
  }
  return out.sort();
}

export function fingerprint() {
  const ts = (p) => p.endsWith('.ts');
  const inputs = [
    ...['generator', 'templates', 'generated', 'test', 'bench'].flatMap((d) => files(join(root, d), d === 'templates' ? () => true : ts)),
    ...['tsconfig.json', 'package.json', 'package-lock.json', 'scripts/build.mjs', 'scripts/precompile-templates.mjs', 'scripts/build-stamp.mjs'].map((f) => join(root, f)),
  ];
  const hash = createHash('sha256');
  for (const p of inputs) {
    if (!existsSync(p)) continue;
    hash.update(`${relative(root, p)}\n`).update(readFileSync(p)).update('\n');
  }
  const tsPkg = join(root, 'node_modules', 'typescript', 'package.json');
  hash.update(existsSync(tsPkg) ? JSON.parse(readFileSync(tsPkg, 'utf8')).version : 'no typescript');
  return hash.digest('hex');
}

/**
 * After a build: the bin made executable (tsc writes cli.js without the bit), the stamp written.
 * `stamp`: the fingerprint of the sources as the build started (scripts/build.mjs takes it before
 * tsc), so a file saved during the build leaves the stamp stale rather than marking an old output current.
 */
export function writeStamp(stamp = fingerprint()) {
  chmodSync(bin, 0o755);
  writeFileSync(stampPath, `${stamp}\n`);
}

/** The list of dist/ files the last build made (scripts/build.mjs writes it), one a line. */
export const outputList = join(root, 'dist', '.build-outputs');

/**
 * True when dist/ is the build of the current sources: the stamp written by the last build matches
 * and every output it listed is on disk (one deleted by hand makes dist/ stale too).
 */
export function distIsCurrent(stamp = fingerprint()) {
  const current = existsSync(stampPath) && existsSync(bin) ? readFileSync(stampPath, 'utf8').trim() : '';
  if (current !== stamp || !existsSync(outputList)) return false;
  return readFileSync(outputList, 'utf8').split('\n').every((rel) => rel === '' || existsSync(join(root, 'dist', rel)));
}

// Run as a command (not imported by scripts/build.mjs): real paths compared, a symlinked checkout included.
if (process.argv[1] && existsSync(process.argv[1]) && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const mode = process.argv[2];
  if (mode === 'write') {
    writeStamp();
  } else if (mode === 'check') {
    process.exit(distIsCurrent() ? 0 : 1);
  } else {
    process.stderr.write('usage: node scripts/build-stamp.mjs write|check\n');
    process.exit(2);
  }
}
