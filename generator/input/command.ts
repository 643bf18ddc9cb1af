// The command that regenerates an output folder, as written into its files' "Regenerate with"
// header and its manifest. It depends only on what was generated and where — never on how the run
// was started — so the same inputs and options give byte-identical files whatever the working
// directory, the order of the arguments, or whether they came from a config file:
//
// - paths are relative to the project root: the nearest folder at or above the output folder
//   that holds a package.json (without one: the output folder's parent) — the folder to paste
//   the command in — as slashRelative shows them: a path that meets the root only at the
//   file-system root (a pipe's /dev/fd/63) is absolute, as given;
// - inputs are sorted; options come in one fixed order, each written once;
// - an option is written only when it changes what is read: not at its default value, and not the
//   fetch options (--allow-origin, --fetch-timeout, --max-bytes) when no input is a URL — a local
//   WSDL never fetches, as it may import local files only (documents.ts) — so a run that gives
//   them for local WSDLs, the README's generate() sample with `timeoutMs: 30_000` among them, writes
//   the same files as one that does not;
// - it is one line, held by the manifest (`"command"`). Whether the headers show it too, or point
//   to the manifest (too long for the line, or a line break in a file name), is decided beside the
//   code that writes them (headerCommand, emit/emit-agent.ts), and nowhere in this input stage.
//
// The messages of a run (`--check`'s "run … to update it") use commandAsRun instead: the run as the
// user made it, relative to the working directory.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { physical, slashRelative } from '../physical-path.js';
import { isUrl, normalizeOrigin, redactUrl } from './documents.js';
import { DEFAULT_FETCH_TIMEOUT_MS, DEFAULT_MAX_DOCUMENT_BYTES } from './fetch.js';

/** The options of a run that may be part of its command (the ones that may change what is read: see optionArgs). */
export interface CommandOptions {
  readonly allowedOrigins?: readonly string[];
  readonly timeoutMs?: number;
  readonly maxBytes?: number;
}

export interface InvocationInfo extends CommandOptions {
  /** The inputs as given (paths relative to `cwd`, or URLs). */
  readonly inputs: readonly string[];
  readonly outDir: string;
  /** What relative paths in `inputs` and `outDir` are relative to. Default: process.cwd(). */
  readonly cwd?: string;
}

/**
 * The project root of an output folder: the nearest folder at or above it with a package.json
 * (where `npx gen-services86` runs); without one, the output folder's parent.
 */
export function projectRoot(outDir: string): string {
  const out = resolve(outDir);
  for (let dir = out; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return dirname(out);
  }
}

/**
 * An input or output argument as a command shows it: a URL redacted, a path relative to the real
 * folder `base` (given relative to `cwd`), with forward slashes on every platform.
 */
function commandWord(p: string, cwd: string, base: string): string {
  return isUrl(p) ? redactUrl(p) : slashRelative(base, physical(resolve(cwd, p)));
}

/** The command that regenerates this output, relative to its project root (see the top of this file). */
export function regenerateCommand(info: InvocationInfo): string {
  const cwd = info.cwd ?? process.cwd();
  const root = projectRoot(physical(resolve(cwd, info.outDir)));
  const rel = (p: string) => commandWord(p, cwd, root);
  const inputs = [...new Set(info.inputs.map(rel))].sort();
  return ['npx', 'gen-services86', ...inputs, '-o', rel(info.outDir), ...optionArgs(info)].map(shellWord).join(' ');
}

/** The run as the user made it, for messages: its config file (and extra arguments), or its arguments, relative to `cwd`. */
export function commandAsRun(info: { readonly inputs: readonly string[]; readonly outDir: string; readonly configFile?: string; readonly extraArgs?: readonly string[]; readonly cwd?: string }): string {
  const cwd = info.cwd ?? process.cwd();
  const realCwd = physical(cwd);
  const rel = (p: string) => commandWord(p, cwd, realCwd);
  const words =
    info.configFile !== undefined
      ? ['gen-services86', '--config', rel(info.configFile), ...(info.extraArgs ?? [])]
      : ['gen-services86', ...info.inputs.map(rel), '-o', rel(info.outDir), ...(info.extraArgs ?? [])];
  return words.map(shellWord).join(' ');
}

/**
 * The options that change what is read, as command-line arguments, in one fixed order, origins
 * sorted and normalised. All three govern fetching only (load.ts, fetch.ts: a local file's size
 * limit is not --max-bytes), so without a URL input none is written.
 */
function optionArgs(options: InvocationInfo): string[] {
  if (!options.inputs.some(isUrl)) return [];
  // As the fetcher compares them (normalizeOrigin): an origin's user info, path or query (a password) is never recorded.
  const origins = [...new Set((options.allowedOrigins ?? []).map(normalizeOrigin))].sort();
  const { timeoutMs = DEFAULT_FETCH_TIMEOUT_MS, maxBytes = DEFAULT_MAX_DOCUMENT_BYTES } = options;
  return [
    ...origins.flatMap((o) => ['--allow-origin', o]),
    ...(timeoutMs !== DEFAULT_FETCH_TIMEOUT_MS ? ['--fetch-timeout', String(timeoutMs)] : []),
    ...(maxBytes !== DEFAULT_MAX_DOCUMENT_BYTES ? ['--max-bytes', String(maxBytes)] : []),
  ];
}

/** Quotes a word for a POSIX shell when it needs it (`?wsdl` URLs, spaces). */
function shellWord(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
