// Writing the output safely. Everything is built in memory first; then, per folder we own
// (<out>/runtime, <out>/<Agent>, <out>/shared) and file we write at the top (<out>/index.ts), the new
// one is staged beside it and swapped in by rename.
// A failing run writes nothing; an interrupted swap is rolled back at the start of the next run.
// Folders and files whose content did not change are not touched at all (incremental writes).
// Files we did not write (no generated header, not in our manifest) are never deleted: they are
// carried over into the new folder, and we refuse to overwrite one.
// The folder is owned: the manifest lists what the last run wrote (with hashes), and a run removes
// what it no longer produces — the folders of inputs no longer given included — as long as each
// file is still exactly as we wrote it. Edited or foreign files are kept and reported by name.
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { compareCodeUnits } from '../code-units.js';
import { combineErrors, GenerateError } from '../errors.js';
import { physical, slashRelative } from '../physical-path.js';
import { GENERATED_MARK, type GeneratedFile } from '../generated-file.js';
import { FileTexts } from '../file-texts.js';

export const MANIFEST = '.gen-services86-manifest.json';
const STAGING = '.gen-services86-staging';
const OLD = '.gen-services86-old';
const TRASH = '.gen-services86-trash';
/** In the old-folder area: the units a swap moved in where there was none before (one name a line), which a rollback removes. */
const ADDED = '.gen-services86-added';
/** Held by the run writing the folder: its process id. */
const LOCK = '.gen-services86-lock';
/** Held for a moment by the one run removing a lock left by a killed run (see takeOver): its process id. */
const TAKEOVER = '.gen-services86-lock-takeover';
/** What an interrupted or failed run may leave (a swap that did not finish: OLD and STAGING; a killed run its lock too), for the next run to roll back or clear. */
const WORK_AREAS = [OLD, STAGING, TRASH, LOCK, TAKEOVER];

/**
 * What the last run wrote: `sha256` holds each generated file with the hash of its content as
 * written, so a file is removed only while it is exactly what we wrote. Manifests of earlier versions
 * list the files in `files` as well, with the same hashes or (older still) without hashes: their
 * files are then recognised by their header alone.
 */
interface Manifest {
  readonly generator: 'gen-services86';
  /** The command that regenerates the folder (input/command.ts), on one line. */
  readonly command?: string;
  readonly sha256: Readonly<Record<string, string>>;
}

/** The files of the last manifest, each with its hash (undefined: an older manifest without hashes). */
function readManifest(outDir: string, seen?: FileTexts): Map<string, string | undefined> {
  const text = currentContent(join(outDir, MANIFEST), seen);
  if (text === undefined) return new Map();
  try {
    const m = JSON.parse(text) as Partial<Manifest> & { readonly files?: unknown };
    const hashes = m.sha256 && typeof m.sha256 === 'object' ? m.sha256 : {};
    const listed: unknown[] = Array.isArray(m.files) ? m.files : Object.keys(hashes);
    // Only paths inside the folder: an entry such as `../other/EMail/client.ts` (a manifest edited
    // or crafted) must not make a run remove, carry over or report anything outside it.
    const files = listed.filter((f): f is string => typeof f === 'string' && isInside(f));
    return new Map(files.map((f) => [f, typeof hashes[f] === 'string' ? hashes[f] : undefined]));
  } catch {
    return new Map(); // an unreadable manifest owns nothing: we then only trust the header
  }
}

/** A relative path below the folder, as the generator writes them: `/`-separated, no empty, `.` or `..` segment, no `\\`. */
function isInside(rel: string): boolean {
  return rel.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..' && !segment.includes('\\'));
}

function sha256(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** A file we may delete: listed in our last manifest, still carrying our header, and (when the manifest has its hash) exactly as we wrote it. */
function isOurs(path: string, manifest: ReadonlyMap<string, string | undefined>, rel: string, seen?: FileTexts): boolean {
  if (!manifest.has(rel)) return false;
  const content = currentContent(path, seen);
  if (content === undefined || !content.startsWith(GENERATED_MARK)) return false;
  const hash = manifest.get(rel);
  return hash === undefined || sha256(content) === hash;
}

/**
 * The code of a generated file: without its "Regenerate with" header lines (everything between the
 * first line and the first empty line), so `--check` compares code, not the command line.
 */
function codeOf(content: string): string {
  const blank = content.indexOf('\n\n');
  return !content.startsWith(GENERATED_MARK) || blank < 0 ? content : `${GENERATED_MARK}${content.slice(blank)}`;
}

/** Files below `dir`, relative to it, with `/` separators. */
function listFiles(dir: string, prefix = ''): string[] {
  if (!existsSync(dir) || !lstatSync(dir).isDirectory()) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(join(dir, entry.name), rel));
    else out.push(rel);
  }
  return out.sort();
}

/** A file no longer generated that a run leaves in place, and why. */
export interface KeptFile {
  readonly path: string;
  /**
   * `edited`: we wrote it, but it changed since (or lost its header); `foreign`: we never wrote it;
   * `linked`: its folder in the output is now a symbolic link, which a run does not delete through.
   */
  readonly reason: 'edited' | 'foreign' | 'linked';
}

/**
 * A path of the last manifest as this run spells it: on a case-insensitive file system (macOS,
 * Windows) a folder of the last run whose name differs from one of this run only in case
 * (MailBox → Mailbox, a renamed service) is that folder, not one to remove beside it.
 */
function sameFolderSpellings(outDir: string, liveFolders: ReadonlySet<string>, manifest: ReadonlyMap<string, string | undefined>): (rel: string) => string {
  const byCase = new Map([...liveFolders].map((f) => [f.toLowerCase(), f]));
  const live = new Map<string, string>();
  for (const rel of manifest.keys()) {
    const folder = rel.split('/')[0]!;
    const other = byCase.get(folder.toLowerCase());
    if (!rel.includes('/') || other === undefined || other === folder || live.has(folder)) continue;
    if (sameEntry(join(outDir, folder), join(outDir, other))) live.set(folder, other);
  }
  if (live.size === 0) return (rel) => rel;
  return (rel) => {
    const folder = rel.split('/')[0]!;
    return live.has(folder) ? `${live.get(folder)}${rel.slice(folder.length)}` : rel;
  };
}

/** Whether a folder on the way from `outDir` to `rel` is a symbolic link. */
function throughLink(outDir: string, rel: string): boolean {
  const parts = rel.split('/').slice(0, -1);
  return parts.some((_, i) => lstatSync(join(outDir, ...parts.slice(0, i + 1)), { throwIfNoEntry: false })?.isSymbolicLink() ?? false);
}

/** Whether two paths name one entry on disk (the same folder in two letter cases). */
function sameEntry(a: string, b: string): boolean {
  try {
    const x = lstatSync(a, { throwIfNoEntry: false });
    const y = lstatSync(b, { throwIfNoEntry: false });
    return x !== undefined && y !== undefined && x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

/**
 * The files a run with these `files` no longer produces: every file of the last manifest that is
 * not among them. Those still exactly as we wrote them are removed; edited ones stay. In a folder
 * that no run produces any more (an agent whose WSDL is no longer an input), foreign files stay too,
 * and with them the folder. Both kinds are reported by name.
 */
function obsoleteFiles(outDir: string, files: readonly GeneratedFile[], manifest: ReadonlyMap<string, string | undefined>, seen?: FileTexts): { removable: string[]; kept: KeptFile[]; goneFolders: string[] } {
  const wanted = new Set(files.map((f) => f.path));
  const liveFolders = new Set(foldersOf(files));
  const respell = sameFolderSpellings(outDir, liveFolders, manifest);
  const removable: string[] = [];
  const kept: KeptFile[] = [];
  for (const rel of [...manifest.keys()].sort()) {
    const live = respell(rel);
    if (wanted.has(live)) continue;
    const path = join(outDir, rel);
    if (!pathExists(path)) continue;
    // A folder replaced by a link (to one outside, say) is not ours: its files were counted as
    // removed, yet stayed where the link leads, and the next run no longer knew them.
    if (throughLink(outDir, rel)) kept.push({ path: live, reason: 'linked' });
    else if (isOurs(path, manifest, rel, seen)) removable.push(live);
    else kept.push({ path: live, reason: 'edited' });
  }
  const goneFolders = [...new Set([...manifest.keys()].filter((rel) => rel.includes('/') && !wanted.has(respell(rel))).map((rel) => respell(rel).split('/')[0]!))]
    .filter((folder) => !liveFolders.has(folder) && existsSync(join(outDir, folder)) && lstatSync(join(outDir, folder)).isDirectory())
    .sort();
  for (const folder of goneFolders) {
    for (const rel of listFiles(join(outDir, folder), folder)) {
      if (!manifest.has(rel)) kept.push({ path: rel, reason: 'foreign' });
    }
  }
  return { removable, kept: kept.sort((a, b) => compareCodeUnits(a.path, b.path)), goneFolders };
}

/**
 * Restores what an interrupted swap left in the old-folder area, and removes what it had moved in
 * where there was nothing before: the folder is then exactly as before that run. Every run that
 * takes the lock does this first (writeLocked), and a swap that fails half-way at once.
 */
function rollBack(outDir: string): void {
  const oldArea = join(outDir, OLD);
  if (existsSync(oldArea)) {
    const added = join(oldArea, ADDED);
    if (existsSync(added)) {
      for (const unit of readFileSync(added, 'utf8').split('\n')) if (unit !== '') rmSync(join(outDir, unit), { recursive: true, force: true });
      rmSync(added);
    }
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

/**
 * Makes this process the only one writing `outDir` until the returned function is called. Two
 * runs writing one folder at once would each take the other's staging and old-folder area for an
 * interrupted run's and undo them: one run fails half-way, and a folder can end up missing, or
 * without the user files the other run had carried over. The lock file holds the writer's process
 * id; a lock whose process no longer exists (a run that was killed) is taken over.
 */
function lockOutput(outDir: string): () => void {
  const path = join(outDir, LOCK);
  let claimant: number | 'unknown' | undefined;
  for (let attempt = 0; ; attempt++) {
    if (createLock(path)) {
      const release = () => rmSync(path, { force: true });
      try {
        clearAbandonedTakeover(outDir);
      } catch (err) {
        release();
        throw err;
      }
      return release;
    }
    const holder = lockHolder(path);
    if (attempt < 2 && holder === 'gone') continue; // the run that held it has just ended
    if (attempt < 2 && typeof holder === 'number' && !isRunning(holder)) {
      claimant = takeOver(outDir, holder);
      // (Read again: a claimant that has since finished its takeover, and maybe its whole run, was not killed.)
      if (typeof claimant === 'number' && !isRunning(claimant) && lockHolder(join(outDir, TAKEOVER)) === claimant) {
        throw abandonedTakeover(outDir, holder, claimant);
      }
      continue; // the lock is gone now, or another run is taking it over and will hold it
    }
    if (claimant !== undefined && typeof holder === 'number' && !isRunning(holder)) throw takingOver(outDir, holder, claimant);
    // (An empty lock is one being written: its run has only just started.)
    const who = typeof holder === 'number' ? `another gen-services86 run (process ${holder})` : 'another gen-services86 run';
    throw new GenerateError(`${who} is writing this folder; run again when it has ended (if no run is going on, delete ${join(outDir, LOCK)})`, {
      file: outDir,
    });
  }
}

/** Makes the lock file if there is none: false when there is one. */
function createLock(path: string): boolean {
  try {
    writeFileSync(path, `${process.pid}\n`, { flag: 'wx' });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return false;
  }
}

/**
 * Removes the lock of `dead`, a run that was killed, so that this run can make its own. Two runs
 * doing so at once must not both remove it: the second could remove the lock the first had just
 * made, and both would write the folder. So only the run that made the takeover file (made like
 * the lock: only if there is none) removes the lock, and only while it still names `dead`; no live
 * lock can appear in between, as one is made only where there is none.
 * Returns undefined when this run may try to lock again, else who holds the takeover file.
 */
function takeOver(outDir: string, dead: number): number | 'unknown' | undefined {
  const claim = join(outDir, TAKEOVER);
  if (!createLock(claim)) {
    const claimant = lockHolder(claim);
    return claimant === 'gone' ? undefined : claimant; // 'gone': that run has just finished its takeover
  }
  try {
    const lock = join(outDir, LOCK);
    if (lockHolder(lock) === dead) rmSync(lock, { force: true });
  } finally {
    rmSync(claim, { force: true });
  }
  return undefined;
}

/**
 * Removes a takeover file left by a run killed while taking over a lock (it holds one only for a
 * moment). For the run that holds the lock: no other run removes a takeover file of a run that no
 * longer exists, or makes one while it is there, so it is still the same file when removed.
 */
function clearAbandonedTakeover(outDir: string): void {
  const claim = join(outDir, TAKEOVER);
  const claimant = lockHolder(claim);
  if (typeof claimant === 'number' && !isRunning(claimant)) rmSync(claim);
}

/** A lock being taken over by another run: this run is refused, as it would be by the lock that run makes. */
function takingOver(outDir: string, dead: number, claimant: number | 'unknown'): GenerateError {
  const who = typeof claimant === 'number' ? `another gen-services86 run (process ${claimant})` : 'another gen-services86 run';
  return new GenerateError(
    `${who} is taking over the lock left by a run that was killed (process ${dead}) to write this folder; run again when it has ended ` +
      `(if no run is going on, delete ${join(outDir, LOCK)} and ${join(outDir, TAKEOVER)})`,
    { file: outDir },
  );
}

/**
 * A run killed while taking over the lock of a run killed before: its takeover file stays, and no
 * run may remove the old lock without it (two could then remove it at once, see takeOver).
 */
function abandonedTakeover(outDir: string, dead: number, claimant: number): GenerateError {
  return new GenerateError(
    `a gen-services86 run (process ${claimant}) was killed while taking over the lock left by a run killed before (process ${dead}); ` +
      `no run is writing this folder: delete ${join(outDir, LOCK)} and ${join(outDir, TAKEOVER)}, and run again`,
    { file: outDir },
  );
}

/** The process id in a lock file; 'gone' when there is no lock file any more, 'unknown' when it holds none (yet). */
function lockHolder(path: string): number | 'gone' | 'unknown' {
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'gone' : 'unknown';
  }
  const pid = Number(text.trim());
  return text.trim() !== '' && Number.isSafeInteger(pid) && pid > 0 ? pid : 'unknown';
}

function isRunning(pid: number): boolean {
  // A run holds the lock only while it writes, synchronously, and releases it before anything else
  // runs: a lock with this process's id was left by an earlier process that had it (a reused pid).
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // it exists, but is another user's
  }
}

export interface StaleFile {
  readonly path: string;
  /** `foreign`: the file exists without our header, so a normal run would refuse to overwrite it. */
  readonly reason: 'missing' | 'differs' | 'obsolete' | 'foreign';
}

/**
 * What `--check` reports: generated files that are missing or whose code differs (the "Regenerate
 * with" header lines are not compared), files a run would remove (`obsolete`), and foreign files in
 * the way.
 */
export function findStale(outDir: string, files: readonly GeneratedFile[]): StaleFile[] {
  // A run could not write there: saying "stale, run …" would send the user to a command that fails.
  checkOutputFolder(outDir, files);
  const stale: StaleFile[] = [];
  const manifest = readManifest(outDir);
  for (const f of files) {
    const path = join(outDir, f.path);
    // Read once (undefined: missing, or not a regular file), as writeOutput does.
    const content = currentContent(path);
    if (isForeign(path, content)) stale.push({ path: f.path, reason: 'foreign' });
    else if (content === undefined) stale.push({ path: f.path, reason: 'missing' });
    else if (codeOf(content) !== codeOf(f.content)) stale.push({ path: f.path, reason: 'differs' });
  }
  for (const rel of obsoleteFiles(outDir, files, manifest).removable) stale.push({ path: rel, reason: 'obsolete' });
  return stale.sort((a, b) => compareCodeUnits(a.path, b.path));
}

/**
 * Whether a file the run would write is in the way: something is at `path` that is not a regular
 * file with our header (`content`: what currentContent read there). A run refuses to overwrite it
 * and --check reports it `foreign`: one rule, so the two never disagree.
 */
function isForeign(path: string, content: string | undefined): boolean {
  return content === undefined ? pathExists(path) : !content.startsWith(GENERATED_MARK);
}

/** The top-level folders `files` go into, sorted. */
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
  /** Our files deleted because the run no longer produces them (their folders go with them). */
  readonly removed: readonly string[];
  /** Files the run no longer produces, left in place because they were edited or are not ours. */
  readonly kept: readonly KeptFile[];
  /** Files already up to date: left untouched (same inode, same mtime). */
  readonly unchanged: number;
}

/** The file's content when it is a regular file, else undefined. */
function currentContent(path: string, seen?: FileTexts): string | undefined {
  try {
    if (seen) return seen.text(path, false, () => readFileSync(path, 'utf8'));
    // (No exception for a missing file: a first run asks this for every file.)
    return lstatSync(path, { throwIfNoEntry: false })?.isFile() ? readFileSync(path, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Says in words why the output folder cannot be made or used, if so: writeOutput then makes it,
 * and --check (findStale) does not send the user to a run that would fail. mkdir's own errors named
 * neither a file on the way (`-o notes.txt/out`: "ENOTDIR: not a directory, mkdir") nor a link to
 * nowhere (`-o out` with out → a deleted folder: "ENOENT: no such file or directory").
 */
function checkOutputFolder(outDir: string, files: readonly GeneratedFile[]): void {
  checkNotNested(outDir, files);
  // The output path, else the nearest part of it that exists: it must be a folder (or a link to one).
  for (let path = outDir; ; path = dirname(path)) {
    if (pathExists(path)) {
      const here = path === outDir;
      if (!existsSync(path)) {
        const link = `a symbolic link to ${readlinkSync(path)}, which does not exist`;
        throw new GenerateError(here ? `the output path is ${link}: make that folder, or choose another -o` : `cannot make the output folder: ${path} is ${link}`, { file: outDir });
      }
      if (statSync(path).isDirectory()) return;
      throw new GenerateError(here ? 'the output path is not a directory' : `cannot make the output folder: ${path} is a file, not a folder`, { file: outDir });
    }
    if (dirname(path) === path) return;
  }
}

/**
 * One run's output is not inside another's, nor holds one where it writes: a run there would write
 * over files the other owns (an agent folder's index.ts, by its entry point), and each run would
 * list the other's files as foreign. Compared by real path, so a link into another output counts.
 */
function checkNotNested(outDir: string, files: readonly GeneratedFile[]): void {
  const real = physical(resolve(outDir));
  const refuse = (dir: string, how: string): never => {
    const where = slashRelative(physical(process.cwd()), dir); // (dir is a real path)
    throw new GenerateError(`the output folder ${how} the output of another run (${where}, see its ${MANIFEST}): choose a folder beside it, or delete that output if it is no longer used`, { file: outDir });
  };
  for (let dir = dirname(real); dir !== real; dir = dirname(dir)) {
    if (existsSync(join(dir, MANIFEST))) refuse(dir, 'is inside');
    if (dirname(dir) === dir) break;
  }
  for (const folder of foldersOf(files)) if (existsSync(join(real, folder, MANIFEST))) refuse(join(real, folder), 'would write over');
}

/**
 * `mkdir -p`, one level at a time: Node 20's recursive mkdir never returns where a folder exists but
 * refuses to hold new ones with ENOENT (`-o /proc/x` ran at full CPU until killed).
 */
function makeFolders(path: string): void {
  if (existsSync(path)) return;
  if (dirname(path) !== path) makeFolders(dirname(path));
  try {
    mkdirSync(path);
  } catch (err) {
    // Made meanwhile by another program: what was asked for is there.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

/**
 * Writes the output, touching only what changed. A folder whose files are all up to date is left
 * alone. A folder with changes is staged beside it and swapped in by rename (readers see the old
 * or the new folder, never a mix); in the staged copy, every file that stays as it is is a hard
 * link to the current one, so unchanged files keep their inode and mtime and watchers and
 * incremental builds see only the files that really changed.
 */
export function writeOutput(
  outDir: string,
  files: readonly GeneratedFile[],
  options: { readonly command?: string; /** Output files as last read (watch mode, see FileTexts). */ readonly seen?: FileTexts } = {},
): WriteSummary {
  checkOutputFolder(outDir, files);
  makeFolders(outDir);
  // (The files as read by the first pass are reused by the second while their stat is the same.)
  const seen = options.seen ?? new FileTexts();
  // Each file's UTF-8 bytes, made once: the manifest hashes them and the staging writes them. The
  // emitted texts hold non-ASCII characters (the header's dash), and encoding such a string is most
  // of the cost of hashing or writing it: hashing and then writing the strings encoded each twice.
  const bytes = new Map(files.map((f) => [f.path, Buffer.from(f.content, 'utf8')]));
  // Made once for both passes: it depends on the files and the command only, not on the disk.
  const planned = { manifestText: manifestTextOf(files, bytes, options.command), bytes, seen };
  // A run with nothing to write takes no lock: it changes nothing, not even the folder's time.
  if (!WORK_AREAS.some((name) => existsSync(join(outDir, name)))) {
    const summary = writeLocked(outDir, files, planned, false);
    if (summary) return summary;
  }
  const release = lockOutput(outDir);
  try {
    return writeLocked(outDir, files, planned, true)!;
  } finally {
    release();
  }
}

/** The manifest of this run: exactly its files, with their hashes (runs into one folder are one project, README). */
function manifestTextOf(files: readonly GeneratedFile[], bytes: ReadonlyMap<string, Buffer>, command: string | undefined): string {
  const sorted = [...files].sort((a, b) => compareCodeUnits(a.path, b.path));
  const manifest: Manifest = {
    generator: 'gen-services86',
    ...(command !== undefined ? { command } : {}),
    sha256: Object.fromEntries(sorted.map((f) => [f.path, sha256(bytes.get(f.path)!)])),
  };
  return JSON.stringify(manifest, null, 2) + '\n';
}

/**
 * writeOutput, for the run that holds the folder's lock (`locked`). Without the lock it only
 * plans: it returns the summary when there is nothing to write, else undefined.
 */
function writeLocked(
  outDir: string,
  files: readonly GeneratedFile[],
  options: { readonly manifestText: string; /** Each file's content as UTF-8. */ readonly bytes: ReadonlyMap<string, Buffer>; readonly seen: FileTexts },
  locked: boolean,
): WriteSummary | undefined {
  if (locked) rollBack(outDir);
  const manifest = readManifest(outDir, options.seen);
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
  // What each file holds now (undefined: missing, or not a regular file), read once: for the
  // header check here and the comparison below — a --watch run compares every file.
  const onDisk = new Map(files.map((f) => [f.path, currentContent(join(outDir, f.path), options.seen)]));
  const refused = files.filter((f) => isForeign(join(outDir, f.path), onDisk.get(f.path))).map((f) => f.path);
  if (refused.length > 0) throw refusal(outDir, refused, manifest);

  // 2. What changes, per folder. Files of the last run that this one no longer produces go when
  //    they are still exactly ours; a folder no run produces any more goes with them, unless
  //    something edited or foreign is left in it.
  const { removable, kept, goneFolders } = obsoleteFiles(outDir, files, manifest, options.seen);
  const removedFiles = new Set(removable);
  const written: string[] = [];
  let unchanged = 0;
  const changedFolders: string[] = [];
  for (const folder of folders) {
    let changed = removable.some((rel) => rel.startsWith(`${folder}/`));
    for (const f of files) {
      if (!f.path.startsWith(`${folder}/`)) continue;
      if (onDisk.get(f.path) === f.content) unchanged++;
      else {
        written.push(f.path);
        changed = true;
      }
    }
    if (changed) changedFolders.push(folder);
  }
  const keptFolders = new Set(kept.map((k) => k.path.split('/')[0]!));
  // A gone folder with nothing to keep is removed whole; one with kept files is staged without our files.
  const removedUnits = goneFolders.filter((folder) => !keptFolders.has(folder));
  changedFolders.push(...goneFolders.filter((folder) => keptFolders.has(folder) && removable.some((rel) => rel.startsWith(`${folder}/`))));
  removedUnits.push(...removable.filter((rel) => !rel.includes('/')));
  // Top-level files are units of their own: each changed one is staged and swapped like a folder.
  const changedTopLevel: string[] = [];
  for (const f of files) {
    if (f.path.includes('/')) continue;
    if (onDisk.get(f.path) === f.content) unchanged++;
    else {
      written.push(f.path);
      changedTopLevel.push(f.path);
    }
  }

  // The manifest is swapped in with the folders, so a rollback restores the old one and after the
  // commit point it lists what is on disk.
  const manifestText = options.manifestText;
  if (currentContent(join(outDir, MANIFEST), options.seen) !== manifestText) changedTopLevel.push(MANIFEST);
  // Removed units go aside first: on a case-insensitive file system (macOS, Windows) an agent folder
  // renamed only in case (MailBox → Mailbox) is one folder, so moving the old name aside after the
  // new folder came in would move the new one.
  const units = [...removedUnits, ...changedFolders, ...changedTopLevel];
  if (!locked) return units.length === 0 ? { written, removed: removable, kept, unchanged } : undefined;

  // 3. Stage each changed folder completely: what is there (unchanged files and foreign files
  //    linked, links and empty folders kept), minus our obsolete files, plus the new content.
  const changedFiles = new Set(written);
  try {
    for (const folder of changedFolders) {
      const current = join(outDir, folder);
      const staged = join(staging, folder);
      mkdirSync(staged, { recursive: true });
      if (existsSync(current)) linkTree(current, staged, folder, (rel) => changedFiles.has(rel) || removedFiles.has(rel));
    }
    const made = new Set<string>();
    for (const f of files) if (changedFiles.has(f.path)) copyInto(staging, f.path, options.bytes.get(f.path)!, made);
    if (changedTopLevel.includes(MANIFEST)) copyInto(staging, MANIFEST, manifestText, made);
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    throw err;
  }

  // 4. Swap: move each old folder (or top-level file, the manifest included) aside, move the
  //    staged one in (a removed unit has none; one that did not exist is noted, for a rollback to
  //    remove). Then cleanup. A swap that fails half-way (a folder that cannot be moved) is
  //    rolled back at once: a failed run changes nothing.
  if (units.length > 0) {
    const oldArea = join(outDir, OLD);
    mkdirSync(oldArea, { recursive: true });
    try {
      for (const unit of units) {
        const current = join(outDir, unit);
        if (pathExists(current)) renameSync(current, join(oldArea, unit));
        else if (!removedUnits.includes(unit)) appendFileSync(join(oldArea, ADDED), `${unit}\n`);
        if (!removedUnits.includes(unit)) renameSync(join(staging, unit), current);
      }
    } catch (err) {
      try {
        rollBack(outDir);
      } catch {
        // What is left, the next run rolls back before anything else.
      }
      throw err;
    }
    // Renaming the old area away is the commit point: from here on, recovery keeps the new tree.
    renameSync(oldArea, join(outDir, TRASH));
    rmSync(join(outDir, TRASH), { recursive: true, force: true });
  }
  if (existsSync(staging)) rmSync(staging, { recursive: true, force: true });
  return { written, removed: removable, kept, unchanged };
}

/** The overwrite refusal: one line per file, saying why and what to do. */
function refusal(outDir: string, refused: readonly string[], manifest: ReadonlyMap<string, string | undefined>): GenerateError {
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

/**
 * What earlier runs left in `outDir` that the next normal run clears before it writes: the work
 * folders of an interrupted write (also the trash of one interrupted after its swap) and the lock
 * of a run that was killed, by name. `writing`: the process id of a run that holds the lock now.
 * A takeover file alone is not one: it says nothing of the output (see takeOver).
 */
export function leftovers(outDir: string): { readonly names: readonly string[]; readonly writing?: number } {
  const names = WORK_AREAS.filter((name) => name !== TAKEOVER && pathExists(join(outDir, name)));
  const holder = names.includes(LOCK) ? lockHolder(join(outDir, LOCK)) : undefined;
  return typeof holder === 'number' && isRunning(holder) ? { names, writing: holder } : { names };
}

/** Exists as anything, including a broken symbolic link. */
function pathExists(path: string): boolean {
  try {
    return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false;
  }
}

/** Writes `content` to `root`/`rel`, making its folder first unless `made` lists it. */
function copyInto(root: string, rel: string, content: string | Buffer, made: Set<string>): void {
  const path = join(root, rel);
  const dir = dirname(path);
  if (!made.has(dir)) {
    mkdirSync(dir, { recursive: true });
    made.add(dir);
  }
  writeFileSync(path, content);
}
