// gen-services86.config.json: the inputs and options of a run, for repositories with many
// agents. Paths and globs in it are relative to the config file's folder, like tsconfig.json.
// Every key has the name of its command-line option (`out` ↔ `--out`, `allow-origin` ↔
// `--allow-origin`); the package ships a JSON Schema for editors (gen-services86.schema.json).
//
//   { "$schema": "./node_modules/gen-services86/gen-services86.schema.json",
//     "wsdl": ["wsdl/*.wsdl", "https://host/Remote/Services86/EMail.svc?singleWsdl"],
//     "out": "src/superoffice",
//     "allow-origin": ["https://schemas.example.com"], "fetch-timeout": 30000, "max-bytes": 67108864 }
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, parse, resolve, sep, type PlatformPath } from 'node:path';
import { compareCodeUnits } from '../code-units.js';
import { GenerateError, lineColumnAt } from '../errors.js';
import { realPath, slashRelative } from '../physical-path.js';
import { checkOrigin, isUrl, redactUrl } from './documents.js';
import { decodeUtf16WithBom, withoutByteOrderMark } from './text.js';

export const CONFIG_FILE = 'gen-services86.config.json';
/** The output folder when neither the command line nor the config file names one. */
export const DEFAULT_OUT_DIR = 'generated';

export interface ConfigFile {
  /** The JSON Schema the file follows (for editors); not read. */
  readonly $schema?: string;
  /** WSDL paths, globs (`*`, `?`, `**`) or http(s) URLs. */
  readonly wsdl: readonly string[];
  /** Output folder; default `generated`. */
  readonly out?: string;
  readonly 'allow-origin'?: readonly string[];
  readonly 'fetch-timeout'?: number;
  readonly 'max-bytes'?: number;
}

export interface LoadedConfig {
  /** The config file, as found or given. */
  readonly path: string;
  /** Inputs after glob expansion, as paths relative to the working directory or URLs, in the config's order. */
  readonly wsdl: readonly string[];
  /** Where a new file that one of its globs matches could appear (--watch watches there). */
  readonly globs: readonly GlobWatch[];
  /** Output folder relative to the working directory. */
  readonly out: string;
  readonly allowOrigins: readonly string[];
  readonly timeoutMs?: number;
  readonly maxBytes?: number;
}

/**
 * A config whose glob matches no file (a project starting with an empty wsdl/ folder): `globs` is
 * where a match may appear, which --watch watches, so the first WSDL saved there starts a run.
 */
export class NoMatchError extends GenerateError {
  constructor(
    message: string,
    file: string,
    readonly globs: readonly GlobWatch[],
  ) {
    super(message, { file });
  }
}

/** What a limit option (fetch-timeout, max-bytes) must be, on the command line and in the config file. */
export function isPositiveLimit(v: unknown): v is number {
  return typeof v === 'number' && v > 0 && Number.isFinite(v);
}

const KEYS: Record<keyof ConfigFile, string> = {
  $schema: 'a string (the path or URL of the JSON Schema)',
  wsdl: 'an array of WSDL paths, globs or URLs',
  out: 'a folder path',
  'allow-origin': 'an array of origins such as "https://host"',
  'fetch-timeout': 'a positive number of milliseconds',
  'max-bytes': 'a positive number of bytes',
};

/** Keys of earlier versions: each now has the name of its command-line option. */
const RENAMED: Readonly<Record<string, keyof ConfigFile>> = {
  allowOrigins: 'allow-origin',
  timeoutMs: 'fetch-timeout',
  maxBytes: 'max-bytes',
};

/** Glob syntax we do not support, and what it is called in messages. */
const UNSUPPORTED_GLOB: readonly [RegExp, string][] = [
  [/\[[^\]]*\]/, 'character classes ([…])'],
  [/\{[^}]*\}/, 'brace alternatives ({a,b})'],
  [/^!/, 'negation (a leading !)'],
  [/[@!+*?]\(/, 'extended globs (…(…))'],
];

export function readConfig(path: string): LoadedConfig {
  const file = path;
  let text: string;
  try {
    if (statSync(path).isDirectory()) throw new GenerateError('is a directory, not a config file', { file });
    // UTF-16 with a byte order mark is what Windows PowerShell 5 writes (`>`, Out-File), decoded as
    // a WSDL's is; else UTF-8. Without a byte order mark: Windows editors write one, and JSON.parse refuses it.
    const bytes = readFileSync(path);
    text = withoutByteOrderMark(decodeUtf16WithBom(bytes, file) ?? bytes.toString('utf8'));
  } catch (err) {
    if (err instanceof GenerateError) throw err;
    throw new GenerateError('no such config file', { file });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    const offset = jsonErrorOffset(text);
    const at = offset !== undefined ? lineColumnAt(text, offset) : undefined;
    const first = (err as Error).message.split('\n')[0]!.replace(/,? ?(?:\.\.\.|in JSON at position).*$/, '');
    const message = `not valid JSON: ${first}`;
    throw new GenerateError(message, at ? { file, line: at.line, column: at.column, path: '' } : { file });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new GenerateError('must be a JSON object: { "wsdl": [...], "out": "..." }', { file });
  const obj = json as Record<string, unknown>;
  const bad = (key: keyof ConfigFile): never => {
    throw new GenerateError(`"${key}" must be ${KEYS[key]}`, { file });
  };
  for (const key of Object.keys(obj)) {
    // Own keys only: "constructor", "toString" or "__proto__" (an own key after JSON.parse) are
    // found on every object, and read as renamed keys ("renamed [object Object]").
    if (Object.hasOwn(RENAMED, key)) {
      const renamed = RENAMED[key]!;
      throw new GenerateError(`the key "${key}" was renamed "${renamed}", the name of the command-line option --${renamed}`, { file });
    }
    if (!Object.hasOwn(KEYS, key)) throw new GenerateError(`unknown key "${key}" (known: ${Object.keys(KEYS).join(', ')})`, { file });
  }
  if (obj['$schema'] !== undefined && typeof obj['$schema'] !== 'string') bad('$schema');
  const strings = (key: keyof ConfigFile): string[] | undefined => {
    const v = obj[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' && x !== '')) return bad(key);
    return v as string[];
  };
  const positive = (key: keyof ConfigFile): number | undefined => {
    const v = obj[key];
    if (v === undefined) return undefined;
    return isPositiveLimit(v) ? v : bad(key);
  };
  const patterns = strings('wsdl');
  if (!patterns || patterns.length === 0) throw new GenerateError('"wsdl" must list at least one WSDL path, glob or URL', { file });
  if (obj['out'] !== undefined && (typeof obj['out'] !== 'string' || obj['out'] === '')) bad('out');

  const base = dirname(resolve(path));
  const cwdRelative = (p: string) => slashRelative(process.cwd(), p);
  const wsdl: string[] = [];
  const globs: GlobWatch[] = [];
  const urlMessage = (url: string) => `"wsdl": "${url.slice('https://'.length)}" is not a file; a URL needs its https:// (${url})`;
  for (const pattern of patterns) {
    if (isUrl(pattern)) wsdl.push(pattern);
    else if (unsupportedGlob(pattern) !== undefined) {
      throw new GenerateError(`"wsdl": the pattern "${pattern}" uses ${unsupportedGlob(pattern)}, which is not supported: only *, ? and ** are`, { file });
    } else if (!/[*?]/.test(pattern)) {
      const url = urlWithoutScheme(pattern, base);
      if (url !== undefined) throw new GenerateError(urlMessage(url), { file });
      wsdl.push(cwdRelative(resolve(base, pattern)));
    } else {
      const { files: matches, watch: where } = expandGlob(base, pattern);
      globs.push(...where);
      if (matches.length === 0) {
        const url = urlWithoutScheme(pattern, base);
        throw new NoMatchError(url !== undefined ? urlMessage(url) : `"wsdl": the pattern "${pattern}" matches no file (relative to ${cwdRelative(base)}/)`, file, globs);
      }
      wsdl.push(...matches.map(cwdRelative));
    }
  }
  // Checked here, naming the file and key: the run's check (generate.ts) would name --allow-origin.
  const allowOrigins = strings('allow-origin') ?? [];
  for (const origin of allowOrigins) checkOrigin(origin, '"allow-origin":', file);
  const timeoutMs = positive('fetch-timeout');
  const maxBytes = positive('max-bytes');
  return {
    path,
    wsdl: eachFileOnce(wsdl, process.cwd()),
    globs,
    out: cwdRelative(resolve(base, (obj['out'] as string | undefined) ?? DEFAULT_OUT_DIR)),
    allowOrigins,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(maxBytes !== undefined ? { maxBytes } : {}),
  };
}

/**
 * The WSDL arguments of a command line → the inputs of the run. A path or URL stays as given. A glob
 * (`*`, `?`, `**`) is expanded as in a config file, relative to `cwd`: PowerShell and cmd pass it on
 * unexpanded, and so does a shell when it is quoted or matches nothing. A file named twice
 * (`EMail.wsdl 'wsdl/*.wsdl'`, or through a link) is read once, where it is first named. `globs`:
 * where a new match of a glob could appear (--watch watches there).
 */
export function expandArguments(args: readonly string[], cwd = process.cwd()): { readonly wsdl: string[]; readonly globs: GlobWatch[] } {
  const wsdl: string[] = [];
  const globs: GlobWatch[] = [];
  for (const arg of args) {
    // A file whose name holds a * or ? (possible outside Windows) is that file.
    // A path is kept as given, also a missing one: its run says "no such file", and --watch watches
    // where it would appear (refused here, it left --watch nothing to watch). A missing one in glob
    // syntax this reader does not take (`wsdl/[ab].wsdl`) is refused as a config entry is.
    if (isUrl(arg) || existsSync(resolve(cwd, arg)) || (!/[*?]/.test(arg) && unsupportedGlob(arg) === undefined)) {
      wsdl.push(arg);
      continue;
    }
    const unsupported = unsupportedGlob(arg);
    if (unsupported !== undefined) throw new GenerateError(`the pattern uses ${unsupported}, which is not supported: only *, ? and ** are`, { file: arg });
    const { files, watch } = expandGlob(cwd, arg);
    globs.push(...watch);
    if (files.length === 0) {
      const url = urlWithoutScheme(arg, cwd);
      if (url !== undefined) throw new NoMatchError(urlHint(url), url.slice('https://'.length), globs);
      throw new NoMatchError(`the pattern matches no file${isAbsolute(arg) ? '' : ' (relative to the working directory)'}`, arg, globs);
    }
    for (const f of files) wsdl.push(isAbsolute(arg) ? f : slashRelative(cwd, f));
  }
  return { wsdl: eachFileOnce(wsdl, cwd), globs };
}

/**
 * `inputs` (paths relative to `cwd`, URLs) with each file once, where it is first named: two names
 * of one file (`EMail.wsdl` and `./EMail.wsdl`, or a path through a link: `wsdl/current/EMail.wsdl`
 * with `current` → `v86` and `wsdl/v86/EMail.wsdl`) are one input; read twice, they were two
 * agents of one name, refused as a folder clash. A path to no file is kept, so that it is
 * reported when read ("no such file").
 */
function eachFileOnce(inputs: readonly string[], cwd: string): string[] {
  const seen = new Set<string>();
  return inputs.filter((input) => {
    const key = isUrl(input) ? input : (realPath(resolve(cwd, input)) ?? resolve(cwd, input));
    return !seen.has(key) && (seen.add(key), true);
  });
}

/** A WSDL URL's query: `?wsdl`, `?singleWsdl`, in any case, maybe followed by other parameters (`?wsdl&ticket=…`). */
const WSDL_QUERY = /\?(?:single)?wsdl(?:&|$)/i;
/** A host name (`crm.example.com`, `localhost`, `10.0.0.5`), maybe with user info and a port, and a `/`. */
const HOST_AND_SLASH = /^(?:[^/\\@]*@)?(?:localhost|(?:[a-z\d](?:[a-z\d-]*[a-z\d])?\.)+[a-z]{2,}|\d{1,3}(?:\.\d{1,3}){3})(?::\d{1,5})?\//i;

/**
 * What `text`, when it names no file relative to `base`, seems to be: a WSDL URL without its
 * scheme (`crm.example.com/Cust1/Remote/Services86/EMail.svc?singleWsdl`, copied from an address
 * bar that hides it), said "the pattern matches no file" (its `?` read as a glob) or "no such
 * file". Such a text ends in `?wsdl` or `?singleWsdl`, or starts with a host name and a `/` (and
 * there is no folder of that name) and names a `.svc`. Returned with `https://` and as messages show URLs (redactUrl):
 * without user info or a ticket in the query. Undefined for a text that does not look like one.
 */
export function urlWithoutScheme(text: string, base: string): string | undefined {
  if (isAbsolute(text)) return undefined;
  // A host name first, and a service (`.svc`) after it: `wsdl.old/EMail.wsdl` is a folder's name.
  const hostFirst = HOST_AND_SLASH.test(text) && /\.svc(?:[/?]|$)/i.test(text) && !existsSync(resolve(base, text.slice(0, text.indexOf('/'))));
  if (!(WSDL_QUERY.test(text) || hostFirst) || existsSync(resolve(base, text))) return undefined;
  return redactUrl(`https://${text}`);
}

/** What a run says of an input that names no file but seems a WSDL URL typed without its `https://` (urlWithoutScheme's). */
export function urlHint(url: string): string {
  return `not a file; a URL needs its https:// (${url})`;
}

/** The name of the glob syntax `pattern` uses that expandGlob does not support; undefined when there is none. */
export function unsupportedGlob(pattern: string): string | undefined {
  return UNSUPPORTED_GLOB.find(([re]) => re.test(pattern))?.[1];
}

/** The config file of the working directory, when there is one. */
export function findConfig(cwd = process.cwd()): string | undefined {
  return existsSync(join(cwd, CONFIG_FILE)) ? CONFIG_FILE : undefined;
}

/**
 * Where JSON text first goes wrong (Node 20's JSON.parse messages do not always say): a small
 * recursive scanner over the JSON grammar; undefined when it finds nothing wrong.
 */
function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail();
      }
    }
    if (c === '"') return string();
    const m = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
    if (!m) fail();
    i += m![0].length;
  };
  const string = (): void => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') i++;
      else if (text.charCodeAt(i) < 0x20) fail();
      i++;
    }
    if (i >= text.length) fail();
    i++;
  };
  try {
    value();
    ws();
    return i < text.length ? i : undefined;
  } catch (at) {
    return typeof at === 'number' ? Math.min(at, text.length) : undefined;
  }
}

/**
 * A folder where a file that a glob matches may appear, or a folder that may hold one: `segment`
 * is the glob's segment that an entry of the folder is matched against (its last one, for a file;
 * an earlier one, for a folder a match may be below: a literal name not there yet, `*`, `**`).
 */
export interface GlobWatch {
  readonly folder: string;
  readonly segment: string;
  /** Whether an entry matching `segment` matters as a file (the last segment), or only as a folder. */
  readonly file: boolean;
}

/**
 * Files matching `pattern` below `base`, sorted: `*` and `?` within one path segment, `**` for
 * any number of folders. Hidden entries and node_modules are only matched when named literally.
 * `watch`: where the walk found that a new match could appear (--watch watches those folders and
 * no other): each folder it listed for a wildcard segment, each folder a match may be in, and
 * where a literal folder it looked for is missing (a match may appear once it is made).
 * `test/*\/wsdl/*.wsdl` watches `test/` for new folders, each `test/x/wsdl/` for WSDLs and each
 * `test/x/` without a `wsdl/` for one, not every folder below `test/`.
 * A link to a folder is followed, by `**` as by `*` or a literal name: `wsdl/**\/*.wsdl` finds the
 * WSDLs of a folder linked in as `wsdl/*\/*.wsdl` does. A `**` walks each folder once (a folder's
 * links after its folders, so `wsdl/**` names the WSDLs of `v86` with a link `current` → `v86`
 * beside it as `wsdl/v86/…`), and follows no link back up to where it started or above (a loop).
 * One file may still match under two names (`wsdl/*\/*.wsdl` there, or `wsdl/*\/**\/*.wsdl`, whose
 * `*` takes `current` first by name order): each is read once all the same (eachFileOnce).
 */
export function expandGlob(base: string, pattern: string): { readonly files: string[]; readonly watch: GlobWatch[] } {
  const { root, segments } = globStart(base, pattern, { isAbsolute, parse });
  const out: string[] = [];
  const watch: GlobWatch[] = [];
  /** The folders (real paths) a `**` has walked, with its segment's index: `2 /home/me/wsdl`. */
  const walkedByGlobstar = new Set<string>();
  /** `**` (segment i) from `start`: the rest of the pattern from each folder below, each folder once (by its real path), the links last. */
  const globstar = (start: string, i: number): void => {
    const from = realPath(start);
    if (from === undefined) return;
    const links: string[] = [];
    const visit = (dir: string, real: string): void => {
      if (walkedByGlobstar.has(`${i} ${real}`)) return;
      walkedByGlobstar.add(`${i} ${real}`);
      watch.push({ folder: dir, segment: '**', file: false });
      walk(dir, i + 1);
      for (const e of entries(dir)) {
        if (hidden(e.name)) continue;
        if (e.isDirectory()) visit(join(dir, e.name), join(real, e.name));
        else if (e.isSymbolicLink()) links.push(join(dir, e.name));
      }
    };
    visit(start, from);
    // Links found in linked folders join the list.
    for (let n = 0; n < links.length; n++) {
      const target = isDir(links[n]!) ? realPath(links[n]!) : undefined;
      const backUp = target !== undefined && (from === target || from.startsWith(target.endsWith(sep) ? target : target + sep));
      if (target !== undefined && !backUp) visit(links[n]!, target);
    }
  };
  const walk = (dir: string, i: number): void => {
    if (i === segments.length) return;
    const seg = segments[i]!;
    const last = i === segments.length - 1;
    if (seg === '**') {
      if (!last) globstar(dir, i); // ending in a folder, it matches no file
      return;
    }
    if (!/[*?]/.test(seg)) {
      const next = join(dir, seg);
      if (last) {
        watch.push({ folder: dir, segment: seg, file: true });
        if (isFile(next)) out.push(next);
      } else if (isDir(next)) walk(next, i + 1);
      else watch.push({ folder: dir, segment: seg, file: false });
      return;
    }
    watch.push({ folder: dir, segment: seg, file: last });
    const matches = segmentMatcher(seg);
    for (const e of entries(dir)) {
      if (!matches(e.name)) continue;
      const next = join(dir, e.name);
      if (last) {
        if (isFile(next)) out.push(next);
      } else if (isDir(next)) walk(next, i + 1);
    }
  };
  walk(root, 0);
  const seen = new Set<string>();
  const unique = watch.filter((w) => {
    const key = `${w.folder}\0${w.segment}\0${w.file}`;
    return !seen.has(key) && (seen.add(key), true);
  });
  return { files: [...new Set(out)].sort(), watch: unique };
}

/**
 * Where the walk of `pattern` starts and the segments it matches from there: an absolute pattern
 * from its own root (`/`, `C:\`, `\\server\share\`), a relative one from `base`. `paths` is the
 * platform's path module (a parameter, so that a test checks Windows' rules on any system). Taking
 * only a leading `/` for a root, `C:\proj\wsdl\*.wsdl` was walked as the segments `C:`, `proj`, …
 * below the working directory, and matched nothing.
 */
export function globStart(base: string, pattern: string, paths: Pick<PlatformPath, 'isAbsolute' | 'parse'>): { readonly root: string; readonly segments: string[] } {
  const root = paths.isAbsolute(pattern) ? paths.parse(pattern).root : '';
  const segments = pattern
    .slice(root.length)
    .split(/[\\/]+/)
    .filter((s) => s !== '' && s !== '.');
  return { root: root || base, segments };
}

/**
 * Whether an entry named `name` matches one segment of a glob, as expandGlob matches it: a literal
 * name exactly; `*` and `?` within the name, a hidden one (or node_modules) only when the segment
 * starts with a dot; `**` any folder but hidden ones.
 */
export function segmentMatcher(seg: string): (name: string) => boolean {
  if (seg === '**') return (name) => !hidden(name);
  if (!/[*?]/.test(seg)) return (name) => name === seg;
  const re = segmentRegExp(seg);
  return (name) => (!hidden(name) || seg.startsWith('.')) && re.test(name);
}

function segmentRegExp(seg: string): RegExp {
  const body = seg.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  return new RegExp(`^${body}$`);
}

/** A folder a glob does not walk into: hidden ones and node_modules. */
function hidden(name: string): boolean {
  return name.startsWith('.') || name === 'node_modules';
}

/** A folder's entries in name order; none when it cannot be read (the glob walk, --watch). */
export function entries(dir: string) {
  try {
    return readdirSync(dir, { withFileTypes: true }).sort((a, b) => compareCodeUnits(a.name, b.name));
  } catch {
    return [];
  }
}

/**
 * What a path is, following links; false when it cannot be told (gone, or a link loop: ELOOP, which
 * thrown out of --watch's event handler had ended the watch).
 */
export function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

export function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
