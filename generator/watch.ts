// Watch mode: run, then run again whenever a local WSDL or the config file changes. Changes are
// debounced (an editor's save is several events), runs never overlap, and a failing run leaves the
// last good output as it is (a run writes nothing unless it succeeds). Each WSDL's model is kept by
// content (ReadCache), so a run after one file changed reads only that file, and each agent's files
// by their emitter's arguments (EmitCache), so it emits only what that change reaches.
import { existsSync, statSync, watch as watchFile, type FSWatcher } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { entries, isDir, isFile, segmentMatcher, type GlobWatch } from './input/config.js';
import { isUrl } from './input/documents.js';
import { ReadCache } from './read-cache.js';

/** What one run of the watch loop needs: the files to watch and the run itself. */
export interface WatchRun {
  /** Local files whose change triggers a run (the WSDLs, the config file). */
  readonly files: readonly string[];
  /**
   * Where a file that a glob of the inputs (a config's `wsdl/*.wsdl`) could match may appear, as
   * expandGlob found it: an entry appearing there that could lead to a match triggers a run too,
   * so a WSDL added to the folder (or to a folder made since) is generated.
   */
  readonly globs?: readonly GlobWatch[];
}

export interface WatchOptions {
  /**
   * One run. It gets the cache to pass to generate(), and returns the files to watch from then on
   * (a changed config may name other WSDLs); it reports its own outcome (a line, an error) and
   * throws only on a bug.
   */
  readonly run: (cache: ReadCache) => Promise<WatchRun>;
  /** Ends the loop: the watchers close and the returned promise settles after a run in progress. */
  readonly signal: AbortSignal;
  /**
   * What to watch while the first run goes, as far as it is known before it (the WSDLs given, the
   * config file and what it names): a save or a deletion while the first run reads gets a run of
   * its own, like one during any later run. Default: nothing.
   */
  readonly first?: WatchRun;
  /** Quiet time after the last change before a run starts. Default 100 ms. */
  readonly debounceMs?: number;
}

/** How far file modification times may lag behind Date.now() (a tick of the kernel's coarse clock, with room to spare). */
const COARSE_CLOCK_MS = 20;

/** Runs once, then on every change until `signal` aborts. */
export async function watchAndRun(options: WatchOptions): Promise<void> {
  const cache = new ReadCache();
  const debounceMs = options.debounceMs ?? 100;
  /** A watcher per folder, with the key of the names and segments it was made for. */
  let watchers = new Map<string, FolderWatch>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;

  const closeWatchers = () => {
    for (const { watcher } of watchers.values()) watcher.close();
    watchers = new Map();
  };
  /** The files the watchers are for. */
  let watched: readonly string[] = [];
  /** `afterRun`: the files and globs come from a run that has just ended (not from before the first). */
  const arm = ({ files, globs = [] }: WatchRun, afterRun = false) => {
    watched = files;
    // The folder of each file is watched rather than the file: editors that save by writing a new
    // file and renaming it over the old one would otherwise end a file watch after the first save.
    /** Per folder: the names in it, and the glob segments an entry (or a folder) in it may match. */
    const byFolder = new Map<string, { names: Set<string>; files: Set<string>; folders: Set<string> }>();
    const target = (folder: string) => {
      if (!byFolder.has(folder)) byFolder.set(folder, { names: new Set(), files: new Set(), folders: new Set() });
      return byFolder.get(folder)!;
    };
    // A folder that does not exist (deleted by a branch switch, not made yet): the nearest one
    // that does is watched for the name that leads there, so making it again starts a run —
    // and with nothing watched, the process would end.
    const addPath = (path: string) => {
      let folder = dirname(resolve(path));
      let name = basename(resolve(path));
      if (byFolder.has(folder)) return void target(folder).names.add(name); // found already (56 WSDLs of one folder: one stat)
      while (!isDir(folder) && dirname(folder) !== folder) {
        name = basename(folder);
        folder = dirname(folder);
      }
      target(folder).names.add(name);
    };
    for (const f of files) if (!isUrl(f)) addPath(f);
    // A glob: the folders its walk found a match may appear in or below (each watched by itself:
    // a recursive watch would walk node_modules and .git too); a folder made there starts a run,
    // whose walk finds it and watches it from then on. One gone since the walk: as a file's folder.
    for (const { folder, segment, file } of globs) {
      if (!byFolder.has(folder) && !isDir(folder)) addPath(folder);
      else (file ? target(folder).files : target(folder).folders).add(segment);
    }
    const found = new Set(files.filter((f) => !isUrl(f)).map((f) => resolve(f)));
    /** The folders the walk listed, and every folder above one: a Set (a list searched per entry took seconds for 4,000 folders). */
    const walked = new Set<string>();
    for (const { folder } of globs) for (let f = folder; !walked.has(f) && dirname(f) !== f; f = dirname(f)) walked.add(f);
    /** An entry of `folder` the walk would have followed had it been there: a file not among the run's, a folder with nothing walked in it. */
    const addedSinceWalk = (folder: string, fileMatch: readonly Matcher[], folderMatch: readonly Matcher[]) =>
      entries(folder).some((entry) => {
        const { name } = entry;
        const path = join(folder, name);
        const folderEntry = entry.isDirectory();
        // A file as the walk takes one (through a link; not a link to nowhere, a FIFO): others it skips.
        if (fileMatch.some((m) => m(name)) && !folderEntry) return !found.has(path) && isFile(path);
        return folderEntry && folderMatch.some((m) => m(name)) && !walked.has(path);
      });
    // A watcher for the same folder and names is kept, not made again: closing it would drop the
    // events it has not delivered yet (a save while a run ended without giving them a turn).
    const kept = new Map<string, FolderWatch>();
    for (const [folder, { names, files: fileSegments, folders: folderSegments }] of byFolder) {
      // The folder itself (device and inode) is in the key, not only its path; and a watcher told
      // of its own folder's deletion is not kept, as a folder made again at once may get the same
      // inode (ext4, tmpfs): either way, a kept watcher would watch the deleted folder.
      const key = [folderId(folder), ...[...names].sort(), '', ...[...fileSegments].sort(), '', ...[...folderSegments].sort()].join('\n');
      const old = watchers.get(folder);
      if (old?.key === key && !old.gone()) {
        kept.set(folder, old);
        watchers.delete(folder);
        continue;
      }
      const fileMatch = [...fileSegments].map(segmentMatcher);
      const folderMatch = [...folderSegments].map(segmentMatcher);
      const own = basename(folder);
      try {
        let gone = false;
        const watcher = watchFile(folder, (_event, entry) => {
          const name = entry?.toString();
          if (name === own) gone = true; // the folder itself deleted or moved (or an entry of its name): made anew by the next run
          if (name === undefined || name === own || names.has(name) || fileMatch.some((m) => m(name))) schedule();
          else if (folderMatch.some((m) => m(name)) && isDir(join(folder, name))) schedule();
        });
        watcher.on('error', () => schedule());
        kept.set(folder, { key, watcher, gone: () => gone });
        // Watched from now on, but the run's walk read it earlier: a match added in between (a
        // folder copied in over a while, `mkdir -p new/wsdl` then a save in it) gets a run of its own.
        if (afterRun && (fileSegments.size > 0 || folderSegments.size > 0) && addedSinceWalk(folder, fileMatch, folderMatch)) schedule();
      } catch {
        // A folder that vanished since: the next run reports the missing file.
      }
    }
    closeWatchers();
    watchers = kept;
  };
  const runOnce = async () => {
    // File times come from the kernel's coarse clock, up to a tick (≤ 10 ms) behind Date.now(): a
    // file saved just after the run started can carry an earlier time. At worst this runs once more.
    const started = Date.now() - COARSE_CLOCK_MS;
    const existed = new Set(watched.filter((f) => !isUrl(f) && existsSync(f)));
    const next = await options.run(cache);
    const { files } = next;
    if (options.signal.aborted) return;
    arm(next, true);
    // A file saved while the run was reading before its folder was watched (one the run named
    // anew: a changed config), or deleted meanwhile, gets a run of its own.
    if (files.some((f) => !isUrl(f) && changedSince(f, started, existed.has(f)))) schedule();
  };
  /** Runs now, and again while changes came during the run; one at a time (schedule waits for it). */
  const runs = (): Promise<void> =>
    (running = (async () => {
      do {
        again = false;
        await runOnce();
      } while (again && !options.signal.aborted);
    })().finally(() => (running = undefined)));
  const schedule = () => {
    if (options.signal.aborted) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (options.signal.aborted) return;
      if (running) again = true;
      else void runs();
    }, debounceMs);
  };

  // The files known before the first run are watched while it reads, like those of any later run.
  arm(options.first ?? { files: [] });
  await runs();
  if (options.signal.aborted) {
    clearTimeout(timer);
    closeWatchers();
    return;
  }
  await new Promise<void>((resolveDone) => {
    options.signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        closeWatchers();
        void (running ?? Promise.resolve()).then(() => resolveDone());
      },
      { once: true },
    );
  });
}

type Matcher = (name: string) => boolean;

/** A folder's watcher, the key it was made for, and whether it was told of its folder's deletion. */
interface FolderWatch {
  readonly key: string;
  readonly watcher: FSWatcher;
  readonly gone: () => boolean;
}

/** Which folder is at `path` now (device and inode); '' when it cannot be told. */
function folderId(path: string): string {
  try {
    const stat = statSync(path);
    return `${stat.dev}:${stat.ino}`;
  } catch {
    return ''; // gone or unreadable: watchFile below fails too, or the key differs once and the watcher is made anew
  }
}

/** Whether `file` was saved at or after `time`, or is gone when it `existed` before: one stat. */
function changedSince(file: string, time: number, existed: boolean): boolean {
  let mtime: number | undefined;
  try {
    mtime = statSync(file, { throwIfNoEntry: false })?.mtimeMs;
  } catch {
    return false; // unreadable (a folder on its path gone strange): the next event or run reports it
  }
  if (mtime === undefined) return existed;
  return mtime >= time && mtime <= Date.now(); // a time in the future (clock skew) would rerun forever
}
