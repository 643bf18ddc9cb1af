// Writing the output safely. Everything is built in memory first; then, per folder we own
// (<out>/runtime, <out>/<Agent>, <out>/shared) and file we write at the top (<out>/index.ts), the new
// one is staged beside it and swapped in by rename.
// A failing run writes nothing; an interrupted swap is rolled back at the start of the next run.
// Files we did not write (no generated header, not in our manifest) are never deleted: they are
// carried over into the new folder, and we refuse to overwrite one.
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GenerateError } from '../errors.js';
import { GENERATED_MARK, type GeneratedFile } from '../emit/emit-agent.js';

export const MANIFEST = '.gen-services86-manifest.json';
const STAGING = '.gen-services86-staging';
const OLD = '.gen-services86-old';
const TRASH = '.gen-services86-trash';

interface Manifest {
  readonly generator: 'gen-services86';
  readonly files: readonly string[];
}

function readManifest(outDir: string): Set<string> {
  const path = join(outDir, MANIFEST);
  if (!existsSync(path)) return new Set();
  try {
    const m = JSON.parse(readFileSync(path, 'utf8')) as Partial<Manifest>;
    return new Set(Array.isArray(m.files) ? m.files.filter((f): f is string => typeof f === 'string') : []);
  } catch {
    return new Set(); // an unreadable manifest owns nothing: we then only trust the header
  }
}

/** A file we may delete: listed in our last manifest and still carrying our header. */
function isOurs(path: string, manifest: Set<string>, rel: string): boolean {
  return manifest.has(rel) && hasGeneratedHeader(path);
}

/** A regular file (not a link) whose first line is our generated-file mark. */
function hasGeneratedHeader(path: string): boolean {
  try {
    return lstatSync(path).isFile() && readFileSync(path, 'utf8').startsWith(GENERATED_MARK);
  } catch {
    return false;
  }
}

/** Files below `dir`, relative to it, with `/` separators. */
function listFiles(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(join(dir, entry.name), rel));
    else out.push(rel);
  }
  return out.sort();
}

/** Restores folders left in the old-folder area by an interrupted swap. */
export function recoverInterruptedWrite(outDir: string): void {
  const oldArea = join(outDir, OLD);
  if (existsSync(oldArea)) {
    for (const folder of readdirSync(oldArea)) {
      const target = join(outDir, folder);
      rmSync(target, { recursive: true, force: true });
      renameSync(join(oldArea, folder), target);
    }
    rmSync(oldArea, { recursive: true, force: true });
  }
  rmSync(join(outDir, STAGING), { recursive: true, force: true });
  rmSync(join(outDir, TRASH), { recursive: true, force: true });
}

export interface StaleFile {
  readonly path: string;
  readonly reason: 'missing' | 'differs' | 'obsolete';
}

/** What `--check` reports: generated files that are missing or differ, and obsolete ones we own. */
export function findStale(outDir: string, files: readonly GeneratedFile[]): StaleFile[] {
  const stale: StaleFile[] = [];
  const wanted = new Set(files.map((f) => f.path));
  const manifest = readManifest(outDir);
  for (const f of files) {
    const path = join(outDir, f.path);
    if (!existsSync(path)) stale.push({ path: f.path, reason: 'missing' });
    else if (readFileSync(path, 'utf8') !== f.content) stale.push({ path: f.path, reason: 'differs' });
  }
  for (const folder of foldersOf(files)) {
    for (const rel of listFiles(join(outDir, folder), folder)) {
      if (!wanted.has(rel) && isOurs(join(outDir, rel), manifest, rel)) stale.push({ path: rel, reason: 'obsolete' });
    }
  }
  return stale.sort((a, b) => (a.path < b.path ? -1 : 1));
}

function foldersOf(files: readonly GeneratedFile[]): string[] {
  return [...new Set(files.filter((f) => f.path.includes('/')).map((f) => f.path.split('/')[0]!))].sort();
}

/** Files written directly in the output folder (the entry point index.ts): each is swapped in by rename. */
function topLevelFilesOf(files: readonly GeneratedFile[]): string[] {
  return files.filter((f) => !f.path.includes('/')).map((f) => f.path).sort();
}

/** Hook for tests of interrupted writes: exits hard at a named point. Never set in normal use. */
function crashPoint(name: string): void {
  if (process.env['GEN_SERVICES86_CRASH_AT'] === name) process.kill(process.pid, 'SIGKILL');
}

export function writeOutput(outDir: string, files: readonly GeneratedFile[]): void {
  if (existsSync(outDir) && !statSync(outDir).isDirectory()) {
    throw new GenerateError('the output path is not a directory', { file: outDir });
  }
  mkdirSync(outDir, { recursive: true });
  recoverInterruptedWrite(outDir);
  const manifest = readManifest(outDir);
  const folders = foldersOf(files);
  const staging = join(outDir, STAGING);

  // 1. Check before touching anything: we overwrite only regular files that carry our header.
  for (const folder of folders) {
    const current = join(outDir, folder);
    if (existsSync(current) && !lstatSync(current).isDirectory()) {
      throw new GenerateError(`cannot create the folder ${folder}/: something else of that name exists`, { file: current });
    }
  }
  const topLevel = topLevelFilesOf(files);
  for (const name of topLevel) {
    const current = join(outDir, name);
    if (existsSync(current) && lstatSync(current).isDirectory()) {
      throw new GenerateError(`cannot write the file ${name}: a folder of that name exists`, { file: current });
    }
  }
  for (const f of files) {
    const path = join(outDir, f.path);
    if (pathExists(path) && !hasGeneratedHeader(path)) {
      throw new GenerateError('refusing to overwrite: the file was not written by gen-services86', { file: path });
    }
  }

  // 2. Stage every owned folder completely: a copy of what is there (foreign files keep their
  //    modes, links and empty folders), minus our obsolete files, plus our new files.
  try {
    for (const folder of folders) {
      const current = join(outDir, folder);
      const staged = join(staging, folder);
      if (existsSync(current)) {
        cpSync(current, staged, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
        for (const rel of listFiles(current, folder)) {
          if (isOurs(join(outDir, rel), manifest, rel)) rmSync(join(staging, rel), { force: true });
        }
      }
    }
    for (const f of files) copyInto(staging, f.path, f.content);
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    throw err;
  }
  crashPoint('staged');

  // 3. Swap: move each old folder aside, move the staged one in. Then the manifest, then cleanup.
  const oldArea = join(outDir, OLD);
  mkdirSync(oldArea, { recursive: true });
  for (const unit of [...folders, ...topLevel]) {
    const current = join(outDir, unit);
    if (existsSync(current)) renameSync(current, join(oldArea, unit));
    crashPoint('swapping');
    renameSync(join(staging, unit), current);
  }
  // Renaming the old area away is the commit point: from here on, recovery keeps the new tree.
  renameSync(oldArea, join(outDir, TRASH));
  rmSync(join(outDir, TRASH), { recursive: true, force: true });
  const previous = [...manifest].filter((rel) => !folders.includes(rel.split('/')[0]!) && !topLevel.includes(rel));
  const nextManifest: Manifest = { generator: 'gen-services86', files: [...new Set([...previous, ...files.map((f) => f.path)])].sort() };
  writeFileSync(join(staging, MANIFEST), JSON.stringify(nextManifest, null, 2) + '\n');
  renameSync(join(staging, MANIFEST), join(outDir, MANIFEST));
  rmSync(staging, { recursive: true, force: true });
}

/** True when an earlier write was interrupted (the next normal run recovers it). */
export function interruptedWrite(outDir: string): boolean {
  return existsSync(join(outDir, OLD)) || existsSync(join(outDir, STAGING));
}

/** Exists as anything, including a broken symbolic link. */
function pathExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function copyInto(root: string, rel: string, content: string | Buffer): void {
  const path = join(root, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}
