// The files a module pulls in: its relative imports and re-exports, static and dynamic, followed
// transitively. Used to prove what a client import carries (no mock server) and to count the
// runtime lines of the client path.
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** `from './x.js'` of an import or export (type-only ones included: they name a file too), and `import('./x.js')`. */
const SPECIFIER = /\bfrom\s+'(\.{1,2}\/[^']+)'|\bimport\s*\(\s*'(\.{1,2}\/[^']+)'\s*\)/g;

/**
 * Every .ts file reached from `entry` (absolute path), as paths relative to `root`, sorted. Without
 * `dynamic`, `import('./x.js')` is not followed: what loading `entry` itself loads.
 */
export function importClosure(entry: string, root: string, options: { typeOnly?: boolean; dynamic?: boolean } = {}): string[] {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of specifiers(readFileSync(file, 'utf8'), options.typeOnly ?? true, options.dynamic ?? true)) {
      visit(join(dirname(file), spec.replace(/\.js$/, '.ts')));
    }
  };
  visit(entry);
  return [...seen].map((f) => relative(root, f)).sort();
}

/** Specifiers of a module; without `typeOnly`, `import type`/`export type` lines (erased at run time) are left out. */
function specifiers(text: string, typeOnly: boolean, dynamic: boolean): string[] {
  const out: string[] = [];
  // One statement per match: from `import`/`export` to its `from '…'`.
  for (const m of text.matchAll(/^(import|export)\s(type\s)?[^;]*?\bfrom\s+'(\.{1,2}\/[^']+)'/gm)) {
    if (m[2] !== undefined && !typeOnly) continue;
    out.push(m[3]!);
  }
  if (dynamic) for (const m of text.matchAll(SPECIFIER)) if (m[2] !== undefined) out.push(m[2]);
  return out;
}

/** Lines of a file, counted as `wc -l` does. */
export function lineCount(file: string): number {
  return readFileSync(file, 'utf8').split('\n').length - 1;
}
