// Generated TypeScript as JavaScript, for tests that import a folder they have just generated
// (session, onsite): each file through ts.transpileModule, which type-checks nothing (that is the
// compile tests' job). The result is kept in the tests' cache under the hash of the compiler
// version and the file's text, so the runtime's files — the same in every such folder and every
// run — are transpiled once, and TypeScript (≈ 0.8 s to load) is loaded only when a file is new.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { repoRoot, testCacheDir } from './paths.js';

const require = createRequire(import.meta.url);
const cacheDir = join(testCacheDir, 'transpiled');
/** More entries than this (many generator edits since the last clean build): the cache starts over. */
const MAX_ENTRIES = 2000;
const compilerVersion = (JSON.parse(readFileSync(join(repoRoot, 'node_modules', 'typescript', 'package.json'), 'utf8')) as { version: string }).version;

let ts: typeof import('typescript') | undefined;
let checkedSize = false;

/** `source` (a module) as ES2022 JavaScript, ES module syntax kept. */
export function transpile(source: string): string {
  const key = createHash('sha256').update(`typescript ${compilerVersion} ESNext ES2022\n`).update(source).digest('hex');
  const cached = join(cacheDir, `${key}.js`);
  if (existsSync(cached)) return readFileSync(cached, 'utf8');
  ts ??= require('typescript') as typeof import('typescript');
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
  if (!checkedSize && existsSync(cacheDir) && readdirSync(cacheDir).length > MAX_ENTRIES) rmSync(cacheDir, { recursive: true, force: true });
  checkedSize = true;
  mkdirSync(cacheDir, { recursive: true });
  // Written aside and renamed: a test file reading meanwhile gets the whole file or none.
  const temp = `${cached}.${process.pid}.tmp`;
  writeFileSync(temp, js);
  renameSync(temp, cached);
  return js;
}

/** Writes each generated `.ts` file below `dir` as the `.js` file its imports name. */
export function writeTranspiled(files: readonly { readonly path: string; readonly content: string }[], dir: string): void {
  for (const f of files) {
    const path = join(dir, f.path.replace(/\.ts$/, '.js'));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, transpile(f.content));
  }
}
