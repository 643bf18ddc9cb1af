// One WSDL → its model: the unit of work that generate() runs for each input, in the main thread
// or in a worker (parallel/). Emitting happens once all WSDLs are read, because several agents
// generated into one folder share their types.
import { docLabel } from './input/documents.js';
import { createResolver, type LoadedInput } from './input/load.js';
import type { Service } from './model/types.js';
import { readWsdl } from './wsdl/read-wsdl.js';

export interface AgentSummary {
  readonly wsdl: string;
  readonly agent: string;
  readonly types: number;
  readonly operations: number;
  readonly files: number;
  readonly ms: number;
}

/** One WSDL read into the model, with the time it took. */
export interface ReadResult {
  /** The input as the user gave it (path or URL). */
  readonly input: string;
  readonly service: Service;
  readonly ms: number;
}

/** Reads one loaded WSDL (its imports resolved under the input rules) into the model. */
export function readAgent(input: LoadedInput): ReadResult {
  const started = performance.now();
  // Messages name a local WSDL as given (docLabel: relative to the working directory), the headers by its file name.
  const label = input.ref.kind === 'file' ? docLabel(input.ref) : input.file;
  const service = readWsdl(input.text, label, createResolver(input), input.file);
  return { input: input.input, service, ms: performance.now() - started };
}
