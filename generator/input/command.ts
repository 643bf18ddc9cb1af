// The command line written into every generated file's "Regenerate with" header: the run as the
// user made it, with paths relative to the working directory, so it regenerates the same files
// when pasted in the same place.
import { relative, resolve, sep } from 'node:path';
import { isUrl, redactUrl } from './documents.js';

export interface InvocationInfo {
  /** The inputs as given (paths, URLs). */
  readonly inputs: readonly string[];
  readonly outDir: string;
  /** When the run came from a config file: its path. The command then names only that file. */
  readonly configFile?: string;
  /** Extra arguments (e.g. `--allow-origin …`, or `-o` beside a config file), already split. */
  readonly extraArgs?: readonly string[];
  /** Default: process.cwd(). */
  readonly cwd?: string;
}

export function regenerateCommand(info: InvocationInfo): string {
  const cwd = info.cwd ?? process.cwd();
  const rel = (p: string) => (isUrl(p) ? redactUrl(p) : (relative(cwd, resolve(cwd, p)) || '.').split(sep).join('/'));
  if (info.configFile !== undefined) {
    return ['npx', 'gen-services86', '--config', rel(info.configFile), ...(info.extraArgs ?? [])].map(shellWord).join(' ');
  }
  return ['npx', 'gen-services86', ...info.inputs.map(rel), '-o', rel(info.outDir), ...(info.extraArgs ?? [])].map(shellWord).join(' ');
}

/** Quotes a word for a POSIX shell when it needs it (`?wsdl` URLs, spaces). */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
