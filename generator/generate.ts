// The whole pipeline as one readable function:
//   input (read files, fetch URLs and their imports; refuse folder clashes)
//   → read (XML scanner, else xmldom; line:column kept) → model (typed IR) → plan names (all agents
//     of the run together, shared types) → emit → write (atomic, incremental)
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emitRun, headerCommand, RUNTIME_FOLDER, runtimeFiles } from './emit/emit-agent.js';
import type { EmitCache } from './emit-cache.js';
import { safeIdentifier } from './emit/identifiers.js';
import { SHARED_FOLDER } from './emit/plan.js';
import { combineErrors, GenerateError } from './errors.js';
import type { GeneratedFile } from './generated-file.js';
import { readAgent, type AgentSummary, type ReadResult } from './generate-agent.js';
import { ReadCache } from './read-cache.js';
import { regenerateCommand } from './input/command.js';
import { DEFAULT_OUT_DIR } from './input/config.js';
import { checkOrigin } from './input/documents.js';
import { loadInput, loadLocalInput, type InputOptions, type LoadedInput } from './input/load.js';
import { findStale, writeOutput, type StaleFile, type WriteSummary } from './output/write.js';
import { ReaderPool } from './parallel/pool.js';
import { fromFailure, toOutcome, type Outcome } from './parallel/protocol.js';

export { GenerateError, GenerateErrors } from './errors.js';
export type { GeneratedFile } from './generated-file.js';
export type { AgentSummary, ReadResult } from './generate-agent.js';
export type { KeptFile, StaleFile, WriteSummary } from './output/write.js';
export { headerCommand } from './emit/emit-agent.js';
export { projectRoot, regenerateCommand, type InvocationInfo } from './input/command.js';
export { ReadCache } from './read-cache.js';

export interface GenerateOptions {
  /** WSDL files or http(s) URLs to read. */
  readonly wsdl: readonly string[];
  /** Output folder; default `generated`. */
  readonly outDir?: string;
  /** Only compare with what is on disk; write nothing. */
  readonly check?: boolean;
  /**
   * The command the generated files' "Regenerate with" line shows. Default: the command that
   * regenerates this output (`npx gen-services86 <wsdl…> -o <outDir> [options]`, inputs sorted, paths
   * relative to the project root; see input/command.ts), the same however the run was started.
   * One that does not fit on the line, or holds a line break, is not shown: the line points to the
   * manifest, as for the default (headerCommand).
   */
  readonly regenerate?: string;
  /**
   * Models of earlier runs, by WSDL content (watch mode): an input whose text is unchanged is not
   * read again (inputs that import other documents are always read), and an agent whose emitter
   * arguments are unchanged is not emitted again (emit-cache.ts).
   */
  readonly cache?: ReadCache;
  /** For URL inputs: per-document timeout (default 30 000 ms). */
  readonly timeoutMs?: number;
  /** For URL inputs: the largest accepted document (default 64 MiB). */
  readonly maxBytes?: number;
  /** For URL inputs: other origins (`https://host`) their schemas may be imported from. */
  readonly allowedOrigins?: readonly string[];
}

export interface GenerateResult {
  readonly agents: readonly AgentSummary[];
  /** Every file of the output, in memory (also when nothing was written). */
  readonly files: readonly GeneratedFile[];
  /** With `check`: the files that are missing, differ or are obsolete. */
  readonly stale: readonly StaleFile[];
  /** Without `check`: which files were written and which were already up to date. */
  readonly written?: WriteSummary;
}

export interface BuildOptions {
  /** See GenerateOptions.regenerate; default: the command for these inputs and `-o generated`. */
  readonly regenerate?: string;
  /** See GenerateOptions.cache. */
  readonly cache?: ReadCache;
}

/** The package root: `dist/generator/generate.js` → two levels up. */
export const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

// ---------------------------------------------------------------------------------------------
// Input phase: everything is read (or fetched) first; every failing input is reported at once.

/** Loads every input; returns the loaded ones (undefined where loading failed) and the errors. */
async function loadAll(inputs: readonly string[], options: InputOptions & { readonly cache?: ReadCache }): Promise<{ loaded: (LoadedInput | undefined)[]; errors: (GenerateError | undefined)[] }> {
  if (inputs.length === 0) throw new GenerateError('no WSDL file given');
  const errors: (GenerateError | undefined)[] = new Array(inputs.length);
  const loaded: (LoadedInput | undefined)[] = new Array(inputs.length);
  // A few inputs at a time: local files load at once, and a config listing many URLs does not
  // open dozens of connections to one server.
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let i = next++; i < inputs.length; i = next++) {
      try {
        loaded[i] = await loadInput(inputs[i]!, { ...options, files: options.cache?.files });
      } catch (err) {
        if (!(err instanceof GenerateError)) throw err;
        errors[i] = err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, inputs.length) }, lane));
  return { loaded, errors };
}

/** The same for local files only, synchronously (buildFiles). */
function loadAllLocal(paths: readonly string[]): { loaded: (LoadedInput | undefined)[]; errors: (GenerateError | undefined)[] } {
  if (paths.length === 0) throw new GenerateError('no WSDL file given');
  const errors: (GenerateError | undefined)[] = new Array(paths.length);
  const loaded = paths.map((path, i): LoadedInput | undefined => {
    try {
      return loadLocalInput(path);
    } catch (err) {
      if (!(err instanceof GenerateError)) throw err;
      errors[i] = err;
      return undefined;
    }
  });
  return { loaded, errors };
}

/**
 * The agent folder an input will write, read cheaply from its text (the portType's name) so
 * folder clashes are refused before any generating. The exact check after generating (assemble)
 * remains the authority; this one only makes the common case fast.
 */
function predictedFolder(text: string): string | undefined {
  const m = /<(?:[A-Za-z_][\w.-]*:)?portType\b[^>]*?\sname\s*=\s*(["'])([^"']*)\1/.exec(text);
  return m ? safeIdentifier(m[2]!) : undefined;
}

function clashMessage(first: string, second: string, folder: string): string {
  return (
    `${first} and ${second} would both write the folder ${folder}/: ` +
    'generate them into separate output folders (a separate run with its own -o per NetServer version, ' +
    'e.g. -o src/superoffice-v86 and -o src/superoffice-v88, side by side), or drop one of them'
  );
}

/** Refuses two inputs writing one folder (also on case-insensitive file systems), before generating. */
function checkFolderClashes(loaded: readonly (LoadedInput | undefined)[], outDir: string): GenerateError[] {
  const errors: GenerateError[] = [];
  const folders = new Map<string, string>();
  for (const input of loaded) {
    if (!input) continue;
    const folder = predictedFolder(input.text);
    if (folder === undefined) continue;
    if (folder.toLowerCase() === RUNTIME_FOLDER) {
      errors.push(new GenerateError(`its agent "${folder}" would write the folder ${join(outDir, folder)}/, which is the runtime's`, { file: input.input }));
      continue;
    }
    const clash = folders.get(folder.toLowerCase());
    if (clash !== undefined) errors.push(new GenerateError(clashMessage(clash, input.input, join(outDir, folder))));
    else folders.set(folder.toLowerCase(), input.input);
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Generating and assembling.

/**
 * Emits the agents of one run together (in input order) with the shared module, the entry point
 * and the runtime; refuses folder clashes first (the exact check, from the services' names).
 */
function assemble(
  results: readonly ReadResult[],
  regenerate: string,
  memo?: EmitCache,
): { agents: AgentSummary[]; files: GeneratedFile[] } {
  const folders = new Map<string, string>();
  const errors: GenerateError[] = [];
  for (const r of results) {
    const folder = safeIdentifier(r.service.name);
    // Two WSDLs writing one folder (also on case-insensitive file systems) would overwrite each other.
    const clash = folders.get(folder.toLowerCase());
    if (clash !== undefined) errors.push(new GenerateError(clashMessage(clash, r.input, folder)));
    else folders.set(folder.toLowerCase(), r.input);
  }
  if (folders.has(RUNTIME_FOLDER)) errors.push(new GenerateError(`an agent named "${RUNTIME_FOLDER}" would clash with the runtime folder`, { file: folders.get(RUNTIME_FOLDER)! }));
  if (results.length > 1 && folders.has(SHARED_FOLDER)) {
    errors.push(new GenerateError(`an agent named "${SHARED_FOLDER}" would clash with the folder of the shared types`, { file: folders.get(SHARED_FOLDER)! }));
  }
  if (errors.length > 0) throw combineErrors(errors);
  const started = performance.now();
  memo?.startRun();
  const run = emitRun(
    results.map((r) => r.service),
    regenerate,
    memo,
  );
  // Emitting is done for all agents at once; each agent's line shows its reading time plus an equal share.
  const emitShare = (performance.now() - started) / results.length;
  return {
    agents: run.agents.map((a, i) => ({
      wsdl: a.plan.service.sourceFile,
      agent: a.plan.agent,
      types: a.plan.types.filter((t) => t.shape.kind !== 'entry' && t.shape.kind !== 'restriction').length,
      operations: a.plan.service.operations.length,
      files: a.files.length,
      ms: Math.round(results[i]!.ms + emitShare),
    })),
    files: [...run.agents.flatMap((a) => a.files), ...run.common, ...runtimeFiles()],
  };
}

/** Outcomes and earlier errors, in input order → the results, or every error at once. */
function collect(outcomes: readonly (Outcome | undefined)[], errors: readonly (GenerateError | undefined)[]): ReadResult[] {
  const results: ReadResult[] = [];
  const failures: GenerateError[] = [];
  for (let i = 0; i < errors.length; i++) {
    const earlier = errors[i];
    const outcome = outcomes[i];
    if (earlier) failures.push(earlier);
    else if (!outcome) continue;
    else if ('failure' in outcome) {
      const err = fromFailure(outcome.failure);
      if (!(err instanceof GenerateError)) throw err; // a bug: reported as an internal error
      failures.push(err);
    } else results.push(outcome.result);
  }
  if (failures.length > 0) throw combineErrors(failures);
  return results;
}

/** Builds every file in memory from local WSDL files, in this thread; throws GenerateError (every failing input) before anything is written. */
export function buildFiles(wsdlPaths: readonly string[], options: BuildOptions = {}): { agents: AgentSummary[]; files: GeneratedFile[] } {
  const { regenerate } = options;
  const { loaded, errors } = loadAllLocal(wsdlPaths);
  const clashes = checkFolderClashes(loaded, DEFAULT_OUT_DIR);
  if (clashes.length > 0) throw combineErrors([...errors.filter((e): e is GenerateError => !!e), ...clashes]);
  const outcomes = loaded.map((input) => (input ? toOutcome(() => readAgent(input)) : undefined));
  return assemble(collect(outcomes, errors), headerCommand(regenerate ?? regenerateCommand({ inputs: wsdlPaths, outDir: DEFAULT_OUT_DIR })));
}

/**
 * The same as buildFiles, for files and URLs, with many WSDLs spread over worker threads (one per
 * spare core). The output does not depend on the split: results are put back in input order, and
 * every failing input is reported, in input order.
 */
export async function buildFilesParallel(
  inputs: readonly string[],
  options: BuildOptions & InputOptions & { readonly outDir?: string } = {},
): Promise<{ agents: AgentSummary[]; files: GeneratedFile[]; /** The manifest's command (regenerateCommand). */ command: string }> {
  const { regenerate, cache } = options;
  const outDir = options.outDir || DEFAULT_OUT_DIR;
  for (const origin of options.allowedOrigins ?? []) checkOrigin(origin);
  // Without a cache every input is read, so the workers can start while the inputs load.
  let pool = cache ? undefined : ReaderPool.start(inputs.length);
  try {
    const { loaded, errors } = await loadAll(inputs, options);
    const clashes = checkFolderClashes(loaded, outDir);
    if (clashes.length > 0) throw combineErrors([...errors.filter((e): e is GenerateError => !!e), ...clashes]);
    const byIndex: (Outcome | undefined)[] = new Array(inputs.length);
    // Inputs whose model an earlier run (watch mode) already read from the same text are not read again.
    const present = loaded.flatMap((input, i) => {
      const known = input && cache?.get(input);
      if (known) byIndex[i] = { result: known };
      return input && !known ? [{ input, i }] : [];
    });
    pool ??= ReaderPool.start(present.length);
    const outcomes = await pool.read(present.map((p) => p.input));
    present.forEach((p, k) => {
      const outcome = outcomes[k]!;
      byIndex[p.i] = outcome;
      if (cache && 'result' in outcome) cache.set(p.input, outcome.result);
    });
    // Worked out once, for the manifest and (as its header line) the files; after the reads, as it
    // resolves every input's real path and would otherwise hold back the reader threads' start.
    const command = regenerateCommand({ ...options, inputs, outDir });
    return { ...assemble(collect(byIndex, errors), headerCommand(regenerate ?? command), cache?.emits), command };
  } finally {
    pool?.close();
  }
}

export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const outDir = options.outDir || DEFAULT_OUT_DIR; // (as buildFilesParallel reads it: '' is the default too)
  const { agents, files, command } = await buildFilesParallel(options.wsdl, { ...options, outDir });
  if (options.check) return { agents, files, stale: findStale(outDir, files) };
  const written = writeOutput(outDir, files, { command, seen: options.cache?.files });
  return { agents, files, stale: [], written };
}
