// One WSDL → its model: the unit of work that generate() runs for each input, in the main thread
// or in a worker (parallel/). Emitting happens once all WSDLs are read, because several agents
// generated into one folder share their types.
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { GenerateError } from './errors.js';
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
  readonly service: Service;
  readonly ms: number;
}

/** Reads one WSDL into the model. */
export function readAgent(path: string): ReadResult {
  const started = performance.now();
  const file = basename(path);
  const text = readWsdlText(path);
  const service = readWsdl(text, file);
  return { service, ms: performance.now() - started };
}

/** The WSDL's text; file-level problems name the path as given. */
function readWsdlText(path: string): string {
  const file = path;
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new GenerateError('no such file', { file: path });
  }
  if (stat.isDirectory()) throw new GenerateError('is a directory, not a WSDL file', { file: path });
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

