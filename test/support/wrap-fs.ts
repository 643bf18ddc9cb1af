// Wrapping node:fs functions to watch or steer what product code does with files (it has no hooks
// for tests): crash-at.ts kills a CLI run mid-write, lock-racer.ts sees when a run holds the lock,
// case-insensitive-fs.ts simulates macOS/Windows letter case, output-lock-takeover.test.ts plays a
// second run between two lock operations. Code that imports the functions as ESM bindings
// (`import { renameSync } from 'node:fs'`) sees a replaced property of the default export only
// after syncBuiltinESMExports(); wrapFs does that on both wrapping and putting back.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

type Fs = typeof fs;
/** The names of node:fs's functions. */
type FsFunctionName = { [K in keyof Fs]: Fs[K] extends (...args: never[]) => unknown ? K : never }[keyof Fs];

/** For each node:fs function to wrap: what to put in its place, made from the function it replaces. */
export type FsWrappers = { readonly [K in FsFunctionName]?: (original: Fs[K]) => Fs[K] };

/**
 * Puts each wrapper's function in the place of the node:fs function it names, for the default
 * export and the ESM bindings alike. Returns the function that puts the originals back (once).
 */
export function wrapFs(wrappers: FsWrappers): () => void {
  const functions = fs as unknown as Record<string, unknown>;
  const originals = new Map<string, unknown>();
  for (const [name, wrap] of Object.entries(wrappers) as [string, (original: unknown) => unknown][]) {
    originals.set(name, functions[name]);
    functions[name] = wrap(functions[name]);
  }
  syncBuiltinESMExports();
  return () => {
    for (const [name, original] of originals) functions[name] = original;
    originals.clear(); // a second call puts nothing back: another wrapping may have come since
    syncBuiltinESMExports();
  };
}
