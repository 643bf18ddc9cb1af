// One WSDL → its agent folder, in memory: the unit of work that generate() runs for each input,
// in the main thread or in a worker (parallel/).
import { emitAgent, type GeneratedFile } from './emit/emit-agent.js';
import { createResolver, type LoadedInput } from './input/load.js';
import { inlineSchemas } from './wsdl/inline-schemas.js';
import { readWsdl } from './wsdl/read-wsdl.js';

export interface AgentSummary {
  readonly wsdl: string;
  readonly agent: string;
  readonly types: number;
  readonly operations: number;
  readonly files: number;
  readonly ms: number;
}

/** One WSDL's share of the output: its agent folder's files and its summary line. */
export interface AgentResult {
  /** The input as the user gave it (path or URL). */
  readonly input: string;
  readonly summary: AgentSummary;
  readonly folder: string;
  readonly files: readonly GeneratedFile[];
}

export interface AgentOptions {
  /** The command the "Regenerate with" header line shows. */
  readonly regenerate?: string;
}

/** Reads one (loaded) WSDL and emits its agent folder, in memory. */
export function generateAgent(input: LoadedInput, templatesDir: string, options: AgentOptions = {}): AgentResult {
  const started = performance.now();
  const resolver = createResolver(input);
  const service = readWsdl(input.text, input.file, resolver);
  // The mock serves the WSDL at ?wsdl: with its imported schemas inlined, it needs no other document.
  const imported = resolver.resolved();
  const wsdlText = imported.length > 0 ? inlineSchemas(input.text, imported) : input.text;
  const emitted = emitAgent(service, templatesDir, wsdlText, options.regenerate);
  return {
    input: input.input,
    folder: emitted.folder,
    files: emitted.files,
    summary: {
      wsdl: input.file,
      agent: emitted.plan.agent,
      types: emitted.plan.types.filter((t) => t.shape.kind !== 'entry' && t.shape.kind !== 'restriction').length,
      operations: service.operations.length,
      files: emitted.files.length,
      ms: Math.round(performance.now() - started),
    },
  };
}
