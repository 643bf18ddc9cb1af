#!/usr/bin/env node
// Arguments (or gen-services86.config.json) → generate() → messages and exit code. Nothing else lives here.
import { readFileSync, realpathSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { GenerateError, GenerateErrors, generate, packageRoot, regenerateCommand } from './generate.js';
import { CONFIG_FILE, findConfig, readConfig, type LoadedConfig } from './input/config.js';
import { interruptedWrite } from './output/write.js';

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
  fail(err instanceof GenerateErrors ? `${err.describe()}\n${err.errors.length} errors; nothing was written` : err.describe());
}

/** The parsed command line. */
interface Args {
  readonly wsdl: readonly string[];
  readonly out: string | undefined;
  readonly config: string | undefined;
  readonly check: boolean;
  readonly quiet: boolean;
  readonly allowOrigin: readonly string[];
  readonly fetchTimeout: number | undefined;
}

/** Every option, once: yargs builds --help and its errors from it; parseQuick reads the same names. */
const OPTIONS = {
  out: { alias: 'o', type: 'string', describe: 'Output folder [default: "generated"]', requiresArg: true },
  config: { type: 'string', describe: `Read inputs and options from this JSON file [default: ./${CONFIG_FILE} when no WSDL is given]`, requiresArg: true },
  check: { type: 'boolean', default: false, describe: 'Write nothing; exit 1 if the output is stale' },
  'allow-origin': { type: 'string', array: true, describe: 'For URL inputs: another origin (https://host) schemas may be imported from', requiresArg: true },
  'fetch-timeout': { type: 'number', describe: 'For URL inputs: timeout per document, in ms [default: 30000]', requiresArg: true },
  quiet: { alias: 'q', type: 'boolean', default: false, describe: 'Print nothing on success' },
} as const;

/**
 * The plain command lines (`<wsdl…> -o dir --check -q`, the form build scripts use) parsed with
 * node:util, because loading yargs costs a generator run ≈ 50 ms. Anything else — --help,
 * --version, a mistake, yargs' extra syntaxes — returns undefined and goes to yargs, which then
 * explains it; both read the option names of OPTIONS.
 */
function parseQuick(args: readonly string[]): Args | undefined {
  if (args.some((a) => a === '--' || a === '-h' || a === '--help' || a === '--version')) return undefined;
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: true,
      tokens: true,
      options: {
        out: { type: 'string', short: 'o' },
        config: { type: 'string' },
        check: { type: 'boolean' },
        'allow-origin': { type: 'string', multiple: true },
        'fetch-timeout': { type: 'string' },
        quiet: { type: 'boolean', short: 'q' },
      },
    });
  } catch {
    return undefined;
  }
  const seen = new Set<string>();
  for (const t of parsed.tokens ?? []) {
    if (t.kind !== 'option') continue;
    if (t.name !== 'allow-origin' && seen.has(t.name)) return undefined; // yargs decides what a repeated option means
    seen.add(t.name);
    if (t.value === '') return undefined;
  }
  const v = parsed.values;
  const timeout = v['fetch-timeout'] === undefined ? undefined : Number(v['fetch-timeout']);
  if (timeout !== undefined && !Number.isFinite(timeout)) return undefined;
  return {
    wsdl: parsed.positionals,
    out: v.out,
    config: v.config,
    check: v.check ?? false,
    quiet: v.quiet ?? false,
    allowOrigin: v['allow-origin'] ?? [],
    fetchTimeout: timeout,
  };
}

async function parseWithYargs(args: readonly string[]): Promise<Args> {
  const { default: yargs } = await import('yargs');
  const argv = await yargs([...args])
    .scriptName(NAME)
    .usage(
      `$0 [wsdl...] [options]\n\nGenerate typed TypeScript SOAP clients from SuperOffice Services86 WSDLs (files or http(s) URLs).\n` +
        `Without WSDL arguments, the inputs and options come from ${CONFIG_FILE} in the working directory\n` +
        `(or the file --config names): { "wsdl": ["wsdl/*.wsdl"], "out": "src/superoffice" }.`,
    )
    .command('$0 [wsdl...]', false)
    .positional('wsdl', { type: 'string', array: true, describe: 'WSDL files or http(s) URLs to read' })
    .options(OPTIONS)
    .example('$0 EMail.wsdl', 'writes generated/EMail/ and generated/runtime/')
    .example('$0 wsdl/*.wsdl -o src/superoffice', 'several agents in one run')
    .example("$0 'https://host/EMail.svc?wsdl'", 'from the service (?wsdl or ?singleWsdl)')
    .example('$0 EMail.wsdl --check', 'in CI: fail when generated code is out of date')
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
  for (const name of ['out', 'config', 'fetch-timeout'] as const) {
    if (Array.isArray(argv[name])) fail(`--${name} is given more than once\nRun "${NAME} --help" for usage.`);
  }
  return {
    wsdl: (argv.wsdl ?? []) as string[],
    out: argv.out,
    config: argv.config,
    check: argv.check,
    quiet: argv.quiet,
    allowOrigin: (argv['allow-origin'] ?? []) as string[],
    fetchTimeout: argv['fetch-timeout'],
  };
}

async function main(args: readonly string[], io: CliOutput): Promise<number> {
  const argv = parseQuick(args) ?? (await parseWithYargs(args));
  const positional = argv.wsdl;
  const allowOrigins = argv.allowOrigin;
  const fetchTimeout = argv.fetchTimeout;
  if (fetchTimeout !== undefined && !(fetchTimeout > 0)) fail(`--fetch-timeout must be a positive number of milliseconds\nRun "${NAME} --help" for usage.`);

  // Inputs: the arguments, or the config file (named, or found in the working directory).
  let config: LoadedConfig | undefined;
  try {
    if (argv.config !== undefined) {
      if (positional.length > 0) fail(`give WSDLs as arguments or with --config, not both\nRun "${NAME} --help" for usage.`);
      config = readConfig(argv.config);
    } else if (positional.length === 0) {
      const found = findConfig();
      if (!found) fail(`no WSDL given, and there is no ${CONFIG_FILE} in ${process.cwd()}\nRun "${NAME} --help" for usage.`);
      config = readConfig(found);
    }
  } catch (err) {
    if (err instanceof GenerateError) failWith(err);
    throw err;
  }
  const wsdl = config ? config.wsdl : positional;
  const out = argv.out ?? config?.out ?? 'generated';
  const extraArgs = [
    ...(config && argv.out !== undefined ? ['-o', argv.out] : []),
    ...allowOrigins.flatMap((o) => ['--allow-origin', o]),
    ...(fetchTimeout !== undefined ? ['--fetch-timeout', String(fetchTimeout)] : []),
  ];
  const regenerate = regenerateCommand({ inputs: wsdl, outDir: out, extraArgs, ...(config ? { configFile: config.path } : {}) });
  const timeoutMs = fetchTimeout ?? config?.timeoutMs;

  let result;
  try {
    result = await generate({
      wsdl,
      outDir: out,
      check: argv.check,
      regenerate,
      allowedOrigins: [...(config?.allowOrigins ?? []), ...allowOrigins],
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      ...(config?.maxBytes !== undefined ? { maxBytes: config.maxBytes } : {}),
    });
  } catch (err) {
    if (err instanceof GenerateError) failWith(err);
    const e = err as NodeJS.ErrnoException;
    if (e && typeof e.code === 'string' && typeof e.message === 'string') fail(`cannot write ${out}: ${e.message}`);
    fail(`internal error: ${(err as Error)?.stack ?? String(err)}`);
  }
  const outLabel = relative(process.cwd(), out) || '.';
  const command = regenerate.replace(/^npx gen-services86/, NAME);
  if (argv.check) {
    if (result.stale.length > 0) {
      if (interruptedWrite(out)) {
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
      return 1;
    }
    if (!argv.quiet) io.out(`${NAME}: ${outLabel} is up to date (${result.files.length} files)\n`);
    return 0;
  }
  if (!argv.quiet) {
    for (const a of result.agents) {
      io.out(
        `${a.wsdl} → ${outLabel}/${a.agent}/: ${plural(a.types, 'type')}, ${plural(a.operations, 'operation')}, ${plural(a.files, 'file')}, ${a.ms} ms\n`,
      );
    }
  }
  return 0;
}

/**
 * Runs the command line `args` in the working directory and returns the exit code. `--help`,
 * `--version` and yargs' own exits end the process (yargs exits itself), so tests run those as a
 * child process.
 */
export async function runCommand(args: readonly string[], io: CliOutput): Promise<number> {
  try {
    return await main(args, io);
  } catch (err) {
    const message = err instanceof CliFailure ? err.message : `internal error: ${(err as Error)?.stack ?? String(err)}`;
    io.err(message.split('\n').map((line) => `${NAME}: ${line}\n`).join(''));
    return 1;
  }
}

/** True when this module is the program node was started with (through npm's bin link, too). */
function isEntryPoint(): boolean {
  const started = process.argv[1];
  if (started === undefined) return false;
  try {
    return realpathSync(started) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  const code = await runCommand(process.argv.slice(2), { out: (t) => void process.stdout.write(t), err: (t) => void process.stderr.write(t) });
  if (code !== 0) process.exit(code);
}
