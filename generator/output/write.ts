// Writing the output safely. Everything is built in memory first; then, per folder we own
// (<out>/runtime, <out>/<Agent>, <out>/shared) and file we write at the top (<out>/index.ts), the new
// one is staged beside it and swapped in by rename.
// A failing run writes nothing; an interrupted swap is rolled back at the start of the next run.
// Folders and files whose content did not change are not touched at all (incremental writes).
// Files we did not write (no generated header, not in our manifest) are never deleted: they are
// carried over into the new folder, and we refuse to overwrite one.
import { cpSync, existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { combineErrors, GenerateError } from '../errors.js';
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
  /** `foreign`: the file exists without our header, so a normal run would refuse to overwrite it. */
  readonly reason: 'missing' | 'differs' | 'obsolete' | 'foreign';
}

/** What `--check` reports: generated files that are missing or differ, obsolete ones we own, and foreign files in the way. */
export function findStale(outDir: string, files: readonly GeneratedFile[]): StaleFile[] {
  const stale: StaleFile[] = [];
  const wanted = new Set(files.map((f) => f.path));
  const manifest = readManifest(outDir);
  for (const f of files) {
    const path = join(outDir, f.path);
    if (!pathExists(path)) stale.push({ path: f.path, reason: 'missing' });
    else if (!hasGeneratedHeader(path)) stale.push({ path: f.path, reason: 'foreign' });
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

export interface WriteSummary {
  /** Files written because they were new or their content changed. */
  readonly written: readonly string[];
  /** Our files deleted because the WSDL no longer produces them. */
  readonly removed: readonly string[];
  /** Files already up to date: left untouched (same inode, same mtime). */
  readonly unchanged: number;
}

/** The file's content when it is a regular file, else undefined. */
function currentContent(path: string): string | undefined {
  try {
    return lstatSync(path).isFile() ? readFileSync(path, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Writes the output, touching only what changed. A folder whose files are all up to date is left
 * alone. A folder with changes is staged beside it and swapped in by rename (readers see the old
 * or the new folder, never a mix); in the staged copy, every file that stays as it is is a hard
 * link to the current one, so unchanged files keep their inode and mtime and watchers and
 * incremental builds see only the files that really changed.
 */
export function writeOutput(outDir: string, files: readonly GeneratedFile[]): WriteSummary {
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
      throw new GenerateError(
        `cannot create the folder ${folder}/: something else of that name exists; move or delete it, or choose another -o, and run again`,
        { file: current },
      );
    }
  }
  const topLevel = topLevelFilesOf(files);
  for (const name of topLevel) {
    const current = join(outDir, name);
    if (existsSync(current) && lstatSync(current).isDirectory()) {
      throw new GenerateError(`cannot write the file ${name}: a folder of that name exists; move or delete it, or choose another -o, and run again`, {
        file: current,
      });
    }
  }
  const refused: string[] = [];
  for (const f of files) {
    const path = join(outDir, f.path);
    if (pathExists(path) && !hasGeneratedHeader(path)) refused.push(f.path);
  }
  if (refused.length > 0) throw refusal(outDir, refused, manifest);

  // 2. What changes, per folder.
  const written: string[] = [];
  const removed: string[] = [];
  let unchanged = 0;
  const changedFolders: string[] = [];
  const wanted = new Set(files.map((f) => f.path));
  for (const folder of folders) {
    let changed = false;
    for (const f of files) {
      if (!f.path.startsWith(`${folder}/`)) continue;
      if (currentContent(join(outDir, f.path)) === f.content) unchanged++;
      else {
        written.push(f.path);
        changed = true;
      }
    }
    for (const rel of listFiles(join(outDir, folder), folder)) {
      if (!wanted.has(rel) && isOurs(join(outDir, rel), manifest, rel)) {
        removed.push(rel);
        changed = true;
      }
    }
    if (changed) changedFolders.push(folder);
  }
  // Top-level files are units of their own: each changed one is staged and swapped like a folder.
  const changedTopLevel: string[] = [];
  for (const f of files) {
    if (f.path.includes('/')) continue;
    if (currentContent(join(outDir, f.path)) === f.content) unchanged++;
    else {
      written.push(f.path);
      changedTopLevel.push(f.path);
    }
  }

  // 3. Stage each changed folder completely: what is there (unchanged files and foreign files
  //    linked, links and empty folders kept), minus our obsolete files, plus the new content.
  const changedFiles = new Set(written);
  const removedFiles = new Set(removed);
  try {
    for (const folder of changedFolders) {
      const current = join(outDir, folder);
      const staged = join(staging, folder);
      mkdirSync(staged, { recursive: true });
      if (existsSync(current)) linkTree(current, staged, folder, (rel) => changedFiles.has(rel) || removedFiles.has(rel));
    }
    for (const f of files) if (changedFiles.has(f.path)) copyInto(staging, f.path, f.content);
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    throw err;
  }

  // 4. Swap: move each old folder (or top-level file) aside, move the staged one in. Then the
  //    manifest, then cleanup.
  const units = [...changedFolders, ...changedTopLevel];
  if (units.length > 0) {
    const oldArea = join(outDir, OLD);
    mkdirSync(oldArea, { recursive: true });
    for (const unit of units) {
      const current = join(outDir, unit);
      if (existsSync(current)) renameSync(current, join(oldArea, unit));
      renameSync(join(staging, unit), current);
    }
    // Renaming the old area away is the commit point: from here on, recovery keeps the new tree.
    renameSync(oldArea, join(outDir, TRASH));
    rmSync(join(outDir, TRASH), { recursive: true, force: true });
  }
  const previous = [...manifest].filter((rel) => !folders.includes(rel.split('/')[0]!) && !topLevel.includes(rel));
  const nextManifest: Manifest = { generator: 'gen-services86', files: [...new Set([...previous, ...files.map((f) => f.path)])].sort() };
  const manifestText = JSON.stringify(nextManifest, null, 2) + '\n';
  if (currentContent(join(outDir, MANIFEST)) !== manifestText) {
    mkdirSync(staging, { recursive: true });
    writeFileSync(join(staging, MANIFEST), manifestText);
    renameSync(join(staging, MANIFEST), join(outDir, MANIFEST));
  }
  if (existsSync(staging)) rmSync(staging, { recursive: true, force: true });
  return { written, removed, unchanged };
}

/** The overwrite refusal: one line per file, saying why and what to do. */
function refusal(outDir: string, refused: readonly string[], manifest: Set<string>): GenerateError {
  return combineErrors(
    refused.map(
      (rel) =>
        new GenerateError(
          manifest.has(rel)
            ? `refusing to overwrite: gen-services86 wrote this file, but its first line "${GENERATED_MARK} …" was removed or changed, ` +
                'so it may hold your edits; save them elsewhere, delete the file, and run again'
            : `refusing to overwrite: the file was not written by gen-services86 (its first line is not "${GENERATED_MARK} …"); ` +
                'move or delete it, or choose another output folder with -o, and run again',
          { file: join(outDir, rel) },
        ),
    ),
  );
}

/**
 * Recreates the tree below `from` at `to`: regular files as hard links (falling back to a copy
 * with the same mtime where links are not possible), symbolic links as they are, folders
 * including empty ones. Files for which `skip(rel)` is true are left out.
 */
function linkTree(from: string, to: string, prefix: string, skip: (rel: string) => boolean): void {
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const rel = `${prefix}/${entry.name}`;
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory()) {
      mkdirSync(target, { recursive: true });
      linkTree(source, target, rel, skip);
    } else if (skip(rel)) {
      continue;
    } else if (entry.isFile()) {
      try {
        linkSync(source, target);
      } catch {
        cpSync(source, target, { preserveTimestamps: true });
      }
    } else {
      cpSync(source, target, { verbatimSymlinks: true, preserveTimestamps: true });
    }
  }
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
