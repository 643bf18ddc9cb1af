// The whole pipeline as one readable function:
//   read (xmldom + locator) → model (typed IR) → plan names → emit (templates + ts-morph) → write (atomic)
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emitAgent, runtimeFiles, type GeneratedFile } from './emit/emit-agent.js';
import { GenerateError } from './errors.js';
import { findStale, writeOutput, type StaleFile } from './output/write.js';
import { readWsdl } from './wsdl/read-wsdl.js';

export { GenerateError } from './errors.js';
export type { GeneratedFile } from './emit/emit-agent.js';

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

export interface AgentSummary {
  readonly wsdl: string;
  readonly agent: string;
  readonly types: number;
  readonly operations: number;
  readonly files: number;
  readonly ms: number;
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

/** Builds every file in memory; throws GenerateError before anything is written. */
export function buildFiles(wsdlPaths: readonly string[], templatesDir = join(packageRoot, 'templates')): {
  agents: AgentSummary[];
  files: GeneratedFile[];
} {
  if (wsdlPaths.length === 0) throw new GenerateError('no WSDL file given');
  const agents: AgentSummary[] = [];
  const files: GeneratedFile[] = [];
  const folders = new Map<string, string>();
  for (const path of wsdlPaths) {
    const started = performance.now();
    const file = basename(path);
    const service = readWsdl(readWsdlText(path, file), file);
    const emitted = emitAgent(service, templatesDir);
    // Two WSDLs writing one folder (also on case-insensitive file systems) would overwrite each other.
    const clash = folders.get(emitted.folder.toLowerCase());
    if (clash) throw new GenerateError(`${file} and ${clash} would both write the folder ${emitted.folder}/`, { file });
    folders.set(emitted.folder.toLowerCase(), file);
    files.push(...emitted.files);
    agents.push({
      wsdl: file,
      agent: emitted.plan.agent,
      types: emitted.plan.types.filter((t) => t.shape.kind !== 'entry' && t.shape.kind !== 'restriction').length,
      operations: service.operations.length,
      files: emitted.files.length,
      ms: Math.round(performance.now() - started),
    });
  }
  if (folders.has('runtime')) throw new GenerateError(`an agent named "runtime" would clash with the runtime folder`);
  files.push(...runtimeFiles(templatesDir));
  return { agents, files };
}

function readWsdlText(path: string, file: string): string {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new GenerateError(`no such file: ${path}`, { file });
  }
  if (stat.isDirectory()) throw new GenerateError(`${path} is a directory, not a WSDL file`, { file });
  const bytes = readFileSync(path);
  if (bytes.length === 0) throw new GenerateError('the file is empty', { file });
  // UTF-16 WSDLs announce themselves with a BOM; anything else we read as UTF-8.
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  if (utf16 && bytes.length % 2 !== 0) throw new GenerateError('the file is truncated UTF-16 (odd number of bytes)', { file });
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
  const text = bytes.toString('utf8');
  if (text.includes('\u0000')) throw new GenerateError('the file is binary (it contains NUL bytes), not XML', { file });
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function generate(options: GenerateOptions): GenerateResult {
  const outDir = options.outDir ?? 'generated';
  const { agents, files } = buildFiles(options.wsdl, options.templatesDir);
  if (options.check) return { agents, files, stale: findStale(outDir, files) };
  writeOutput(outDir, files);
  return { agents, files, stale: [] };
}
