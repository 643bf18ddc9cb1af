// The whole pipeline as one readable function:
//   read (xmldom + locator) → model (typed IR) → plan names → emit (templates + ts-morph) → write (atomic)
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runtimeFiles, type GeneratedFile } from './emit/emit-agent.js';
import { generateAgent, type AgentResult, type AgentSummary } from './generate-agent.js';
import { GenerateError } from './errors.js';
import { findStale, writeOutput, type StaleFile } from './output/write.js';
import { generateInParallel } from './parallel/pool.js';

export { GenerateError } from './errors.js';
export type { GeneratedFile } from './emit/emit-agent.js';
export type { AgentResult, AgentSummary } from './generate-agent.js';

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

/** Puts the agents' results together (in input order) with the runtime; refuses folder clashes. */
function assemble(results: readonly AgentResult[], templatesDir: string): { agents: AgentSummary[]; files: GeneratedFile[] } {
  const folders = new Map<string, string>();
  for (const r of results) {
    // Two WSDLs writing one folder (also on case-insensitive file systems) would overwrite each other.
    const clash = folders.get(r.folder.toLowerCase());
    if (clash) throw new GenerateError(`${r.summary.wsdl} and ${clash} would both write the folder ${r.folder}/`, { file: r.summary.wsdl });
    folders.set(r.folder.toLowerCase(), r.summary.wsdl);
  }
  if (folders.has('runtime')) throw new GenerateError('an agent named "runtime" would clash with the runtime folder');
  return {
    agents: results.map((r) => r.summary),
    files: [...results.flatMap((r) => r.files), ...runtimeFiles(templatesDir)],
  };
}

/** Builds every file in memory, one WSDL after the other; throws GenerateError before anything is written. */
export function buildFiles(wsdlPaths: readonly string[], templatesDir = join(packageRoot, 'templates')): {
  agents: AgentSummary[];
  files: GeneratedFile[];
} {
  if (wsdlPaths.length === 0) throw new GenerateError('no WSDL file given');
  return assemble(
    wsdlPaths.map((path) => generateAgent(path, templatesDir)),
    templatesDir,
  );
}

/**
 * The same as buildFiles, with many WSDLs spread over worker threads (one per spare core). The
 * output does not depend on the split: results are put back in input order, and the error
 * reported is the one of the first failing WSDL in input order, as in a sequential run.
 */
export async function buildFilesParallel(wsdlPaths: readonly string[], templatesDir = join(packageRoot, 'templates')): Promise<{
  agents: AgentSummary[];
  files: GeneratedFile[];
}> {
  if (wsdlPaths.length === 0) throw new GenerateError('no WSDL file given');
  const results = await generateInParallel(wsdlPaths, templatesDir);
  return assemble(results, templatesDir);
}

export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const outDir = options.outDir ?? 'generated';
  const { agents, files } = await buildFilesParallel(options.wsdl, options.templatesDir);
  if (options.check) return { agents, files, stale: findStale(outDir, files) };
  writeOutput(outDir, files);
  return { agents, files, stale: [] };
}
