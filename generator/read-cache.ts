// Models of WSDLs already read, by content: watch mode regenerates after one file changed, and
// re-reads only that one. The key is the input and a hash of every text it was read from (the
// WSDL, and for a URL input the documents fetched with it). A local WSDL that imports other local
// documents is not cached: those are read while reading, so their texts are not part of the key.
import { createHash } from 'node:crypto';
import { EmitCache } from './emit-cache.js';
import { FileTexts } from './file-texts.js';
import type { ReadResult } from './generate-agent.js';
import type { LoadedInput } from './input/load.js';

/** An xs:import / xs:include / wsdl:import naming a location: the document depends on another one. */
const IMPORTS_BY_LOCATION = /<(?:[A-Za-z_][\w.-]*:)?(?:import|include|redefine)\b[^>]*?\s(?:schemaLocation|location)\s*=/;

export class ReadCache {
  readonly #results = new Map<string, ReadResult>();
  /** How many inputs were served from the cache since it was made (for the watch line and the bench). */
  hits = 0;
  /** Local WSDL texts and output files as last read (see FileTexts). */
  readonly files = new FileTexts();
  /** What the last run emitted, reused for the agents whose inputs are unchanged (see EmitCache). */
  readonly emits = new EmitCache();
  /**
   * Each local input's key as last worked out, with the text it is of: get() and set() ask for the
   * same input's key, and a watch run for every input again, mostly with the very text FileTexts kept.
   */
  readonly #lastKey = new Map<string, { readonly text: string; readonly key: string | undefined }>();

  /** The model read earlier from exactly this input's text; undefined when it must be read. */
  get(input: LoadedInput): ReadResult | undefined {
    const key = this.#keyOf(input);
    const result = key === undefined ? undefined : this.#results.get(key);
    if (result) this.hits++;
    return result && { ...result, ms: 0 };
  }

  set(input: LoadedInput, result: ReadResult): void {
    const key = this.#keyOf(input);
    if (key === undefined) return;
    // One entry per input: the model of an older text of the same input is dropped.
    for (const k of this.#results.keys()) if (k.startsWith(`${input.input}\n`)) this.#results.delete(k);
    this.#results.set(key, result);
  }

  /** keyOf(input), hashed once per local input and text (a URL input's documents are hashed each time). */
  #keyOf(input: LoadedInput): string | undefined {
    const local = Object.keys(input.documents).length === 0;
    const last = local ? this.#lastKey.get(input.input) : undefined;
    const key = last !== undefined && last.text === input.text ? last.key : keyOf(input);
    if (local) this.#lastKey.set(input.input, { text: input.text, key });
    return key;
  }
}

function keyOf(input: LoadedInput): string | undefined {
  if (input.ref.kind === 'file' && IMPORTS_BY_LOCATION.test(input.text)) return undefined;
  const hash = createHash('sha256').update(input.text);
  for (const url of Object.keys(input.documents).sort()) hash.update(`\n${url}\n`).update(input.documents[url]!);
  return `${input.input}\n${hash.digest('hex')}`;
}
