// The output design before shared types (commit 5157e48: one self-contained folder per agent,
// the WSDL embedded in every mock.ts, one-line metadata), built from git so `npm run bench` can
// compare the output of all 56 WSDLs side by side with today's: bytes written, and the time a
// consuming project's `tsc --noEmit --strict` spends on it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './common.mjs';

export const PREVIOUS_DESIGN_COMMIT = '5157e48';

/**
 * Extracts the previous design's sources with `git archive` (no worktree, nothing changes in the
 * repository), links this checkout's node_modules and builds it. Returns its CLI and a cleanup.
 */
export function buildPreviousDesign() {
  const dir = mkdtempSync(join(os.tmpdir(), 'gen-services86-previous-design-'));
  const archive = execFileSync('git', ['archive', '--format=tar', PREVIOUS_DESIGN_COMMIT, 'generator', 'templates', 'package.json', 'tsconfig.json'], {
    cwd: repoRoot,
    maxBuffer: 256 * 1024 * 1024,
  });
  execFileSync('tar', ['-x', '-C', dir], { input: archive });
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
  // Only the generator: its tests and golden tree are not part of the archive.
  execFileSync(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--rootDir', '.', '--outDir', 'dist'], {
    cwd: dir,
    stdio: 'pipe',
  });
  return { dir, cli: join(dir, 'dist', 'generator', 'cli.js'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Bytes of every file below `dir` (the manifest included: it is written too). */
export function folderBytes(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? folderBytes(path) : statSync(path).size;
  }
  return total;
}

/**
 * A tsconfig that type-checks a whole generated folder as a consumer would: strict with the
 * stricter flags the generated code promises, skipLibCheck (as usual in projects), no emit.
 */
export function writeConsumerTsconfig(outDir) {
  const config = {
    compilerOptions: {
      strict: true,
      noEmit: true,
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      lib: ['ES2022', 'DOM'],
      types: [],
      skipLibCheck: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      noPropertyAccessFromIndexSignature: true,
    },
    include: ['**/*.ts'],
  };
  writeFileSync(join(outDir, 'tsconfig.json'), JSON.stringify(config, null, 2));
  writeFileSync(join(outDir, 'package.json'), '{"type":"module"}\n');
  return join(outDir, 'tsconfig.json');
}

export const TSC = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
