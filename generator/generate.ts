// The whole pipeline as one readable function:
//   read (xmldom + locator) → model (typed IR) → plan names → emit (templates + ts-morph) → write (atomic)
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emitRun, runtimeFiles, type GeneratedFile } from './emit/emit-agent.js';
import { safeIdentifier } from './emit/identifiers.js';
import { SHARED_FOLDER } from './emit/plan.js';
import { readAgent, type AgentSummary, type ReadResult } from './generate-agent.js';
import { GenerateError } from './errors.js';
import { findStale, writeOutput, type StaleFile } from './output/write.js';
import { readInParallel } from './parallel/pool.js';

export { GenerateError } from './errors.js';
export type { GeneratedFile } from './emit/emit-agent.js';
export type { AgentSummary, ReadResult } from './generate-agent.js';

export interface GenerateOptions {
  /** WSDL files to read. */
  readonly wsdl: readonly string[];
  /** Output folder; default `generated`. */
  readonly outDir?: string;
  /** Only compare with what is on disk; write nothing. */
  readonly check?: boolean;
  /** Where the templates and runtime sources are; default: the package's own `templates/`. */
  readonly templatesDir?: string;
}

export interface GenerateResult {
  readonly agents: readonly AgentSummary[];
  /** Every file of the output, in memory (also when nothing was written). */
  readonly files: readonly GeneratedFile[];
  /** With `check`: the files that are missing, differ or are obsolete. */
  readonly stale: readonly StaleFile[];
}

/** The package root: `dist/generator/generate.js` → two levels up. */
export const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Emits the agents of one run together (in input order) with the shared module, the entry point
 * and the runtime; refuses folder clashes first.
 */
function assemble(results: readonly ReadResult[], templatesDir: string): { agents: AgentSummary[]; files: GeneratedFile[] } {
  const folders = new Map<string, string>();
  for (const { service } of results) {
    const folder = safeIdentifier(service.name);
    // Two WSDLs writing one folder (also on case-insensitive file systems) would overwrite each other.
    const clash = folders.get(folder.toLowerCase());
    if (clash) throw new GenerateError(`${service.sourceFile} and ${clash} would both write the folder ${folder}/`, { file: service.sourceFile });
    folders.set(folder.toLowerCase(), service.sourceFile);
  }
  if (folders.has('runtime')) throw new GenerateError('an agent named "runtime" would clash with the runtime folder');
  if (results.length > 1 && folders.has(SHARED_FOLDER)) {
    throw new GenerateError(`an agent named "${SHARED_FOLDER}" would clash with the folder of the shared types`);
  }
  const started = performance.now();
  const run = emitRun(
    results.map((r) => r.service),
    templatesDir,
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
    files: [...run.agents.flatMap((a) => a.files), ...run.common, ...runtimeFiles(templatesDir)],
  };
}

/** Builds every file in memory, one WSDL after the other; throws GenerateError before anything is written. */
export function buildFiles(wsdlPaths: readonly string[], templatesDir = join(packageRoot, 'templates')): {
  agents: AgentSummary[];
  files: GeneratedFile[];
} {
  if (wsdlPaths.length === 0) throw new GenerateError('no WSDL file given');
  return assemble(
    wsdlPaths.map((path) => readAgent(path)),
    templatesDir,
  );
}

/**
 * The same as buildFiles, with many WSDLs read on worker threads (one per spare core). The
 * output does not depend on the split: results are put back in input order, and the error
 * reported is the one of the first failing WSDL in input order, as in a sequential run.
 */
export async function buildFilesParallel(wsdlPaths: readonly string[], templatesDir = join(packageRoot, 'templates')): Promise<{
  agents: AgentSummary[];
  files: GeneratedFile[];
}> {
  if (wsdlPaths.length === 0) throw new GenerateError('no WSDL file given');
  const results = await readInParallel(wsdlPaths, templatesDir);
  return assemble(results, templatesDir);
}

export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const outDir = options.outDir ?? 'generated';
  const { agents, files } = await buildFilesParallel(options.wsdl, options.templatesDir);
  if (options.check) return { agents, files, stale: findStale(outDir, files) };
  writeOutput(outDir, files);
  return { agents, files, stale: [] };
}
