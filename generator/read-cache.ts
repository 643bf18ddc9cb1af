// Models of WSDLs already read, by content: watch mode regenerates after one file changed, and
// re-reads only that one. The key is the input and a hash of every text it was read from (the
// WSDL, and for a URL input the documents fetched with it). A local WSDL that imports other local
// documents is not cached: those are read while reading, so their texts are not part of the key.
import { createHash } from 'node:crypto';
import type { ReadResult } from './generate-agent.js';
import type { LoadedInput } from './input/load.js';

/** An xs:import / xs:include / wsdl:import naming a location: the document depends on another one. */
const IMPORTS_BY_LOCATION = /<(?:[A-Za-z_][\w.-]*:)?(?:import|include|redefine)\b[^>]*?\s(?:schemaLocation|location)\s*=/;

export class ReadCache {
  readonly #results = new Map<string, ReadResult>();
  /** How many inputs were served from the cache since it was made (for the watch line and the bench). */
  hits = 0;

  /** The model read earlier from exactly this input's text; undefined when it must be read. */
  get(input: LoadedInput): ReadResult | undefined {
    const key = keyOf(input);
    const result = key === undefined ? undefined : this.#results.get(key);
    if (result) this.hits++;
    return result && { ...result, ms: 0 };
  }

  set(input: LoadedInput, result: ReadResult): void {
    const key = keyOf(input);
    if (key === undefined) return;
    // One entry per input: the model of an older text of the same input is dropped.
    for (const k of this.#results.keys()) if (k.startsWith(`${input.input}\n`)) this.#results.delete(k);
    this.#results.set(key, result);
  }
}

function keyOf(input: LoadedInput): string | undefined {
  if (input.ref.kind === 'file' && IMPORTS_BY_LOCATION.test(input.text)) return undefined;
  const hash = createHash('sha256').update(input.text);
  for (const url of Object.keys(input.documents).sort()) hash.update(`\n${url}\n`).update(input.documents[url]!);
  return `${input.input}\n${hash.digest('hex')}`;
}
