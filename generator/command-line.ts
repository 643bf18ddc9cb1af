// Arguments (or gen-services86.config.json) → generate() → messages and exit code. Nothing else
// lives here; cli.ts is the program that runs it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { GenerateError, GenerateErrors, generate, packageRoot, type KeptFile, type WriteSummary } from './generate.js';
import { commandAsRun } from './input/command.js';
import { CONFIG_FILE, DEFAULT_OUT_DIR, expandArguments, findConfig, isPositiveLimit, NoMatchError, readConfig, type GlobWatch, type LoadedConfig } from './input/config.js';
import { checkOrigin, isUrl, normalizeOrigin } from './input/documents.js';
import { DEFAULT_FETCH_TIMEOUT_MS, DEFAULT_MAX_DOCUMENT_BYTES } from './input/fetch.js';
import { leftovers } from './output/write.js';
import { slashRelative } from './physical-path.js';
import type { ReadCache } from './read-cache.js';
import { watchAndRun, type WatchRun } from './watch.js';

const NAME = 'gen-services86';

function version(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Where the CLI's messages go: the process's stdout and stderr, or a test running it in process. */
export interface CliOutput {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/** Ends a run with exit code 1 and these lines on stderr (each prefixed with the tool's name). */
class CliFailure extends Error {}

function fail(message: string): never {
  throw new CliFailure(message);
}

function failWith(err: GenerateError): never {
  fail(errorText(err));
}

/** A GenerateError as the lines the CLI prints: each error (several: then how many, and that nothing was written). */
function errorText(err: GenerateError): string {
  return err instanceof GenerateErrors ? `${err.describe()}\n${err.errors.length} errors; nothing was written` : err.describe();
}

/**
 * Every option, once: yargs builds --help and its errors from it, parseQuick reads it through
 * node:util (QUICK_OPTIONS), and Args takes its names and value types from it. The keys of the
 * config file are the same names (input/config.ts).
 */
const OPTIONS = {
  out: { alias: 'o', type: 'string', describe: `Output folder [default: "${DEFAULT_OUT_DIR}"]`, requiresArg: true },
  config: { type: 'string', describe: `Read inputs and options from this JSON file [default: ./${CONFIG_FILE} when no WSDL is given]`, requiresArg: true },
  check: { type: 'boolean', default: false, describe: 'Write nothing; exit 1 if the output is stale (missing, different or obsolete files)' },
  watch: { alias: 'w', type: 'boolean', default: false, describe: 'Run again whenever a local WSDL or the config file changes; Ctrl-C ends' },
  'allow-origin': { type: 'string', array: true, describe: 'For URL inputs: another origin (https://host) schemas may be imported from', requiresArg: true },
  'fetch-timeout': { type: 'number', describe: `For URL inputs: timeout per document, in ms [default: ${DEFAULT_FETCH_TIMEOUT_MS}]`, requiresArg: true },
  'max-bytes': { type: 'number', describe: `For URL inputs: the largest accepted document, in bytes [default: ${DEFAULT_MAX_DOCUMENT_BYTES}]`, requiresArg: true },
  quiet: { alias: 'q', type: 'boolean', default: false, describe: 'Print nothing on success (with --watch: no line per run, errors only)' },
} as const;

type OptionName = keyof typeof OPTIONS;
type Option = (typeof OPTIONS)[OptionName];

/** An option's value as the run reads it: a list of strings, a number, a flag or a string. */
type ValueOf<O extends Option> = O extends { array: true } ? readonly string[] : O extends { type: 'number' } ? number : O extends { type: 'boolean' } ? boolean : string;

/** The parsed command line: the inputs, and each option given (or defaulted) by its name in OPTIONS. */
type Args = { readonly wsdl: readonly string[] } & { readonly [K in OptionName]?: ValueOf<(typeof OPTIONS)[K]> };

const optionNames = Object.keys(OPTIONS) as OptionName[];
const isList = (o: Option): boolean => 'array' in o;
/** The options that take one value: given twice, they are a usage error. */
const SINGLE_VALUED = optionNames.filter((name) => OPTIONS[name].type !== 'boolean' && !isList(OPTIONS[name]));

/** OPTIONS as node:util's parseArgs reads them: a number is read as a string, and converted by parseQuick. */
const QUICK_OPTIONS: { [name: string]: { type: 'string' | 'boolean'; short?: string; multiple?: boolean } } = Object.fromEntries(
  optionNames.map((name) => {
    const o: Option = OPTIONS[name];
    return [name, { type: o.type === 'boolean' ? 'boolean' : 'string', ...('alias' in o ? { short: o.alias } : {}), ...(isList(o) ? { multiple: true } : {}) }];
  }),
);

/**
 * The plain command lines (`<wsdl…> -o dir --check -q`, the form build scripts use) parsed with
 * node:util, because loading yargs costs a generator run ≈ 50 ms. Anything else — --help,
 * --version, a mistake, yargs' extra syntaxes — returns undefined and goes to yargs, which then
 * explains it.
 */
function parseQuick(args: readonly string[]): Args | undefined {
  if (args.some((a) => a === '--' || a === '-h' || a === '--help' || a === '--version')) return undefined;
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], strict: true, allowPositionals: true, tokens: true, options: QUICK_OPTIONS });
  } catch {
    return undefined;
  }
  const seen = new Set<string>();
  for (const t of parsed.tokens ?? []) {
    if (t.kind !== 'option') continue;
    if (!isList(OPTIONS[t.name as OptionName]) && seen.has(t.name)) return undefined; // yargs decides what a repeated option means
    seen.add(t.name);
    if (t.value === '') return undefined;
  }
  const values: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(parsed.values)) {
    if (OPTIONS[name as OptionName].type !== 'number') values[name] = value;
    else if (Number.isFinite(Number(value))) values[name] = Number(value);
    else return undefined;
  }
  return { wsdl: parsed.positionals, ...values };
}

async function parseWithYargs(args: readonly string[]): Promise<Args> {
  const { default: yargs } = await import('yargs');
  const argv = await yargs([...args])
    .scriptName(NAME)
    .usage(
      `$0 [wsdl...] [options]\n\nGenerate typed TypeScript SOAP clients from SuperOffice Services86 WSDLs (files or http(s) URLs).\n` +
        `Without WSDL arguments, the inputs and options come from ${CONFIG_FILE} in the working directory\n` +
        `(or the file --config names): { "wsdl": ["wsdl/*.wsdl"], "out": "src/superoffice" }; its keys are the option names below.\n` +
        `The output folder is one project: each run makes it hold exactly that run's agents.`,
    )
    .command('$0 [wsdl...]', false)
    .positional('wsdl', { type: 'string', array: true, describe: 'WSDL files, globs (*, ?, **) or http(s) URLs to read' })
    .options(OPTIONS)
    .example('$0 EMail.wsdl', `writes ${DEFAULT_OUT_DIR}/EMail/ and ${DEFAULT_OUT_DIR}/runtime/`)
    .example('$0 wsdl/*.wsdl -o src/superoffice', 'several agents in one run')
    .example("$0 'https://host/EMail.svc?wsdl'", 'from the service (?wsdl or ?singleWsdl)')
    .example('$0 EMail.wsdl --check', 'in CI: fail when generated code is out of date')
    .example('$0 --watch', `regenerate what ${CONFIG_FILE} lists on every change`)
    .example('$0', `everything ${CONFIG_FILE} lists`)
    .strict()
    .version(version())
    .help()
    .alias('h', 'help')
    .wrap(Math.min(110, process.stdout.columns || 110))
    .fail((message, err) => {
      // yargs reports its own usage errors (e.g. a missing option value) through err as well.
      if (err && err.name !== 'YError') throw err;
      fail(`${message ?? err?.message}\nRun "${NAME} --help" for usage.`);
    })
    .parseAsync();
  for (const name of SINGLE_VALUED) {
    if (Array.isArray(argv[name])) fail(`--${name} is given more than once\nRun "${NAME} --help" for usage.`);
  }
  return { wsdl: (argv.wsdl ?? []) as string[], ...Object.fromEntries(optionNames.map((name) => [name, argv[name]])) };
}

/** One run's inputs and options, from the arguments and the config file. */
interface RunSettings {
  readonly wsdl: readonly string[];
  /** Where a new file that one of the globs (config file or arguments) matches could appear (watched in --watch). */
  readonly globs: readonly GlobWatch[];
  readonly out: string;
  readonly allowedOrigins: readonly string[];
  readonly timeoutMs: number | undefined;
  readonly maxBytes: number | undefined;
  /** The config file read, if any. */
  readonly configPath: string | undefined;
  /**
   * The run as the user made it, for messages: worked out only when one needs it (--check finding
   * stale files), as it resolves every input's real path — for the 56 Services86 WSDLs ≈ 7.5 ms,
   * which every run spent before it could start its reader thread.
   */
  readonly asRun: () => string;
}

/** Arguments (+ config file) → the settings of a run. Throws GenerateError for a bad config. */
function settingsFrom(argv: Args): RunSettings {
  let config: LoadedConfig | undefined;
  if (argv.config !== undefined) {
    if (argv.wsdl.length > 0) throw new GenerateError(`give WSDLs as arguments or with --config, not both\nRun "${NAME} --help" for usage.`);
    config = readConfig(argv.config);
  } else if (argv.wsdl.length === 0) {
    const found = findConfig();
    // Thrown, not exited: in watch mode a config that disappears is an error of that run only.
    if (!found) throw new GenerateError(`no WSDL given, and there is no ${CONFIG_FILE} in ${process.cwd()}\nRun "${NAME} --help" for usage.`);
    config = readConfig(found);
  }
  const args = config ? undefined : expandArguments(argv.wsdl);
  const wsdl = config ? config.wsdl : args!.wsdl;
  const out = argv.out ?? config?.out ?? DEFAULT_OUT_DIR;
  const extraArgs = [
    ...(config && argv.out !== undefined ? ['-o', argv.out] : []),
    ...(argv['allow-origin'] ?? []).flatMap((o) => ['--allow-origin', normalizeOrigin(o)]), // (never its user info)
    ...(argv['fetch-timeout'] !== undefined ? ['--fetch-timeout', String(argv['fetch-timeout'])] : []),
    ...(argv['max-bytes'] !== undefined ? ['--max-bytes', String(argv['max-bytes'])] : []),
  ];
  return {
    wsdl,
    globs: config ? config.globs : args!.globs,
    out,
    allowedOrigins: [...(config?.allowOrigins ?? []), ...(argv['allow-origin'] ?? [])],
    timeoutMs: argv['fetch-timeout'] ?? config?.timeoutMs,
    maxBytes: argv['max-bytes'] ?? config?.maxBytes,
    configPath: config?.path,
    asRun: () => commandAsRun({ inputs: wsdl, outDir: out, extraArgs, ...(config ? { configFile: config.path } : {}) }),
  };
}

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** The summary of a run that wrote: `out: 3 written, 30 unchanged, 7 removed (1.2 s)`. */
function summaryLine(outLabel: string, written: WriteSummary, ms: number): string {
  return `${outLabel}: ${written.written.length} written, ${written.unchanged} unchanged, ${written.removed.length} removed (${seconds(ms)})`;
}

/** Files a run left in place although it no longer generates them: one line each, on stderr. */
function keptLines(outLabel: string, kept: readonly KeptFile[]): string {
  return kept
    .map(
      (k) =>
        `${NAME}: ${outLabel}/${k.path}: kept, although no longer generated: ` +
        (k.reason === 'edited'
          ? 'it changed since gen-services86 wrote it (maybe edited by hand); save any edits elsewhere and delete it\n'
          : k.reason === 'linked'
            ? 'its folder is a symbolic link, which gen-services86 does not delete through; delete the file or the link yourself\n'
            : 'gen-services86 did not write it, and its folder belongs to an agent no longer generated; move or delete it\n'),
    )
    .join('');
}

/** One normal (or --check) run: generate, report. Returns the exit code. */
async function runOnce(argv: Args, settings: RunSettings, io: CliOutput, cache?: ReadCache): Promise<{ code: number; line: string }> {
  const { out } = settings;
  const started = performance.now();
  const result = await generate({
    wsdl: settings.wsdl,
    outDir: out,
    check: argv.check,
    allowedOrigins: settings.allowedOrigins,
    ...(settings.timeoutMs !== undefined ? { timeoutMs: settings.timeoutMs } : {}),
    ...(settings.maxBytes !== undefined ? { maxBytes: settings.maxBytes } : {}),
    ...(cache ? { cache } : {}),
  });
  const ms = performance.now() - started;
  const outLabel = slashRelative(process.cwd(), out);
  if (argv.check) {
    // What an interrupted run left there, or a run writing there now: the folder is not as a run
    // leaves it, whether its files are stale or not.
    const left = leftovers(out);
    if (left.writing !== undefined) {
      io.err(`${NAME}: another gen-services86 run (process ${left.writing}) is writing ${outLabel}; check again when it has ended\n`);
      return { code: 1, line: `${outLabel} is being written` };
    }
    if (result.stale.length > 0) {
      const command = settings.asRun();
      if (left.names.length > 0) {
        io.err(`${NAME}: an earlier run writing ${outLabel} was interrupted; a normal run recovers it first\n`);
      }
      const foreign = result.stale.filter((s) => s.reason === 'foreign');
      const how =
        foreign.length === 0
          ? `run "${command}" to update it`
          : `${plural(foreign.length, 'file')} lost the generated header (maybe edited by hand), so a run would refuse to overwrite ` +
            `${foreign.length === 1 ? 'it' : 'them'}: save any edits elsewhere, delete ${foreign.length === 1 ? 'it' : 'them'}, then run "${command}"`;
      io.err(
        `${NAME}: ${outLabel} is stale (${plural(result.stale.length, 'file')}); ${how}:\n` +
          result.stale.map((s) => `  ${s.reason.padEnd(8)} ${s.path}\n`).join(''),
      );
      return { code: 1, line: `${outLabel} is stale (${plural(result.stale.length, 'file')})` };
    }
    // The files are right, but a run was interrupted there: "up to date" was said beside its lock,
    // staging and trash.
    if (left.names.length > 0) {
      io.err(
        `${NAME}: an earlier run writing ${outLabel} was interrupted and left ${left.names.join(', ')}; ` +
          `run "${settings.asRun()}" to finish its cleanup\n`,
      );
      return { code: 1, line: `${outLabel} holds what an interrupted run left` };
    }
    const line = `${outLabel} is up to date (${result.files.length} files, ${seconds(ms)})`;
    if (!argv.quiet && !argv.watch) io.out(`${NAME}: ${line}\n`);
    return { code: 0, line };
  }
  const written = result.written!;
  if (written.kept.length > 0) io.err(keptLines(outLabel, written.kept));
  const line = summaryLine(outLabel, written, ms);
  if (!argv.quiet && !argv.watch) {
    for (const a of result.agents) {
      io.out(
        `${a.wsdl} → ${outLabel}/${a.agent}/: ${plural(a.types, 'type')}, ${plural(a.operations, 'operation')}, ${plural(a.files, 'file')}, ${a.ms} ms\n`,
      );
    }
    io.out(`${NAME}: ${line}\n`);
  }
  return { code: 0, line };
}

/** A run's failure as the lines the CLI prints (without exiting). */
function failureText(err: unknown, out: string): string {
  if (err instanceof GenerateError) return errorText(err);
  const e = err as NodeJS.ErrnoException;
  if (e && typeof e.code === 'string' && typeof e.message === 'string') return `cannot write ${out}: ${e.message}`;
  return `internal error: ${(err as Error)?.stack ?? String(err)}`;
}

/**
 * --watch: a line per run (`[12:03:04] out: 1 written, 32 unchanged, 0 removed (140 ms)`), errors as
 * they come, until Ctrl-C. With --quiet, as without --watch, nothing on success: no run line and no
 * "stopped watching"; a failing run's errors and the line after them are still shown (on stderr).
 */
async function watchMode(argv: Args, io: CliOutput): Promise<number> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const clock = () => new Date().toTimeString().slice(0, 8);
  const config = argv.config ?? (argv.wsdl.length === 0 ? CONFIG_FILE : undefined);
  /** The WSDLs, config file and globs of the last reading of the settings that succeeded. */
  let last: WatchRun = { files: [] };
  /** The settings read now, and `last` with them; or why they could not be read (the run reports it). */
  const readSettings = (): { settings: RunSettings } | { failure: unknown } => {
    try {
      const settings = settingsFrom(argv);
      last = { files: [...settings.wsdl, ...(settings.configPath !== undefined ? [settings.configPath] : [])], globs: settings.globs };
      return { settings };
    } catch (failure) {
      return { failure };
    }
  };
  /**
   * What to watch after a run: the config file always; the WSDLs and globs of `last`; and after a
   * config whose glob matched nothing (`failure`), where a match may appear.
   */
  const watching = (failure: unknown): WatchRun => {
    const globs = [...(last.globs ?? []), ...(failure instanceof NoMatchError ? failure.globs : [])];
    return { files: [...new Set([...last.files, ...(config !== undefined ? [config] : [])])], globs };
  };
  // Read once, for what the first run watches and for that run itself (the config is watched from
  // the start, so a save after this reading gets a run of its own); later runs read them anew.
  let pending: ReturnType<typeof readSettings> | undefined = readSettings();
  /** Whether a run of this watch has written its output: until one has, a failure has no good output to keep. */
  let generated = false;
  await watchAndRun({
    signal: controller.signal,
    // Watched from the start: a WSDL saved or deleted while the first run reads gets a run of its own.
    first: watching('failure' in pending ? pending.failure : undefined),
    run: async (cache) => {
      let settings: RunSettings | undefined;
      let failure: unknown;
      const read = pending ?? readSettings();
      pending = undefined;
      try {
        if ('failure' in read) throw read.failure; // reported below, as any run's
        settings = read.settings;
        const { line } = await runOnce(argv, settings, io, cache);
        generated = true;
        if (!argv.quiet) io.out(`[${clock()}] ${line}\n`);
      } catch (err) {
        failure = err;
        const text = failureText(err, settings?.out ?? argv.out ?? DEFAULT_OUT_DIR);
        // The errors, then the line that sums them up (as a run that succeeds ends with its line).
        const outcome = generated ? 'the last good output stays' : 'nothing generated yet';
        io.err(text.split('\n').map((l) => `${NAME}: ${l}\n`).join('') + `[${clock()}] ${NAME}: ${outcome}; waiting for the next change\n`);
      }
      return watching(failure);
    },
  });
  process.removeListener('SIGINT', stop);
  process.removeListener('SIGTERM', stop);
  if (!argv.quiet) io.out(`${NAME}: stopped watching\n`);
  return 0;
}

/** What the program (cli.ts) adds to a run; a test running the CLI in process gives none. */
export interface CommandHooks {
  /**
   * Called once the command line is read, before a run that is not --watch starts reading, with
   * how far the run gets (kept up to date; for a Ctrl-C).
   */
  readonly beforeOneRun?: (progress: RunProgress) => void;
}

/** How far a run (not --watch) has got: its output folder as messages name it, once read; done once it has written or checked. */
export interface RunProgress {
  out: string | undefined;
  done: boolean;
}

async function main(args: readonly string[], io: CliOutput, hooks: CommandHooks): Promise<number> {
  const argv = parseQuick(args) ?? (await parseWithYargs(args));
  if (argv['fetch-timeout'] !== undefined && !isPositiveLimit(argv['fetch-timeout'])) fail(`--fetch-timeout must be a positive number of milliseconds\nRun "${NAME} --help" for usage.`);
  if (argv['max-bytes'] !== undefined && !isPositiveLimit(argv['max-bytes'])) fail(`--max-bytes must be a positive number of bytes\nRun "${NAME} --help" for usage.`);
  // Before --watch starts: no change to a file can mend an option (it waited for one for ever).
  for (const origin of argv['allow-origin'] ?? []) {
    try {
      checkOrigin(origin);
    } catch (err) {
      failWith(err as GenerateError);
    }
  }
  // An empty value (`-o "$OUT"` with OUT unset) is a mistake, not the default: a run into "generated" named "." in every message.
  if (argv.out === '') fail(`--out is given an empty value: name the output folder (without --out: "${DEFAULT_OUT_DIR}")\nRun "${NAME} --help" for usage.`);
  if (argv.config === '') fail(`--config is given an empty value: name the config file\nRun "${NAME} --help" for usage.`);
  if (argv.watch && argv.check) fail(`--watch and --check do not go together: --check is for CI, --watch for editing\nRun "${NAME} --help" for usage.`);
  // Without a local file to watch (URLs are not watched, README), --watch would run once and end.
  if (argv.watch && argv.config === undefined && argv.wsdl.length > 0 && argv.wsdl.every(isUrl)) {
    fail(`--watch has nothing to watch: WSDLs from URLs are not watched (give local WSDL files, or a config file)\nRun "${NAME} --help" for usage.`);
  }
  if (argv.watch) return watchMode(argv, io);
  const progress: RunProgress = { out: undefined, done: false };
  hooks.beforeOneRun?.(progress);

  let settings: RunSettings;
  try {
    settings = settingsFrom(argv);
  } catch (err) {
    if (err instanceof GenerateError) failWith(err);
    throw err;
  }
  progress.out = slashRelative(process.cwd(), settings.out);
  let outcome;
  try {
    outcome = await runOnce(argv, settings, io);
  } catch (err) {
    fail(failureText(err, settings.out));
  } finally {
    progress.done = true;
  }
  return outcome.code;
}

/**
 * Runs the command line `args` in the working directory and returns the exit code. `--help`,
 * `--version` and yargs' own exits end the process (yargs exits itself), so tests run those as a
 * child process.
 */
export async function runCommand(args: readonly string[], io: CliOutput, hooks: CommandHooks = {}): Promise<number> {
  try {
    return await main(args, io, hooks);
  } catch (err) {
    const message = err instanceof CliFailure ? err.message : `internal error: ${(err as Error)?.stack ?? String(err)}`;
    io.err(message.split('\n').map((line) => `${NAME}: ${line}\n`).join(''));
    return 1;
  }
}
