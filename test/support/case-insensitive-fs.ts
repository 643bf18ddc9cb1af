// A case-insensitive file system below one folder, simulated on Linux (macOS APFS and Windows NTFS
// are case-insensitive by default): while installed, the node:fs functions the generator uses find
// an entry below `root` whatever the letter case of the path names it with, and a new entry keeps
// the case it was made with. Enough for the writer's swaps; not a full file system.
import fs from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { wrapFs, type FsWrappers } from './wrap-fs.js';

/** The functions patched, with how many leading arguments are paths. */
const PATH_ARGS: Readonly<Record<string, number>> = {
  appendFileSync: 1, cpSync: 2, existsSync: 1, linkSync: 2, lstatSync: 1, mkdirSync: 1, openSync: 1, readdirSync: 1,
  readFileSync: 1, realpathSync: 1, renameSync: 2, rmSync: 1, rmdirSync: 1, statSync: 1, unlinkSync: 1, utimesSync: 1, writeFileSync: 1,
};

/** Installs the simulation below `root`; returns the function that removes it. */
export function caseInsensitiveBelow(root: string): () => void {
  const readdir = fs.readdirSync as (dir: string) => string[];
  /** `path` with each part below `root` spelt as the entry on disk that matches it ignoring case, if any. */
  const fold = (path: unknown): unknown => {
    if (typeof path !== 'string') return path;
    const rel = relative(root, resolve(path));
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return path;
    let at = root;
    for (const part of rel.split(sep)) {
      let names: string[] = [];
      try {
        names = readdir(at);
      } catch {
        // not a folder (yet): the part stays as given
      }
      at = join(at, names.includes(part) ? part : (names.find((n) => n.toLowerCase() === part.toLowerCase()) ?? part));
    }
    return at;
  };
  const foldingPaths = (count: number) => (original: (...args: unknown[]) => unknown) => (...args: unknown[]) => original(...args.map((a, i) => (i < count ? fold(a) : a)));
  return wrapFs(Object.fromEntries(Object.entries(PATH_ARGS).map(([name, count]) => [name, foldingPaths(count)])) as FsWrappers);
}
