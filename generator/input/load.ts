// The input phase: every WSDL named on the command line or in the config, read or fetched into
// memory before any generating starts. A URL input is fetched together with every schema it
// imports by schemaLocation (under the rules of documents.ts), so the reader, which is
// synchronous and may run on a worker thread, never waits for the network.
import { basename, resolve as resolvePath } from 'node:path';
import { GenerateError, inImportedDocument } from '../errors.js';
import type { ImportLink } from '../model/types.js';
import { location, parseXmlDocument } from '../wsdl/dom.js';
import { describeLocated, referencedLocations, type DocumentResolver, type ExternalDocument } from '../wsdl/external.js';
import { urlHint, urlWithoutScheme } from './config.js';
import { docKey, docLabel, isUrl, originsFor, redactUrl, resolveLocation, type DocRef, type FetchPolicy } from './documents.js';
import { fetchXml, type FetchLimits } from './fetch.js';
import { decodeXmlBytes, isStream, readLocalBytes, readLocalXml } from './text.js';
import type { FileTexts } from '../file-texts.js';

export interface InputOptions extends FetchPolicy, FetchLimits {}

/** One input, in memory. Plain data: it crosses to worker threads as is. */
export interface LoadedInput {
  /** As the user gave it. */
  readonly input: string;
  /** How messages and generated headers name the WSDL: the file name, or the URL without secrets. */
  readonly file: string;
  readonly ref: DocRef;
  readonly text: string;
  /** Documents fetched for a URL input, by URL. */
  readonly documents: Readonly<Record<string, string>>;
  /** Origins its imports may come from. */
  readonly origins: readonly string[];
}

/** At most this many documents per URL input (a WSDL and its schemas): a guard against import loops and floods. */
const MAX_DOCUMENTS = 100;

/**
 * The bytes a local input's text was decoded from, while nothing else holds them: a worker thread
 * that reads the input gets them moved (not copied) and decodes them itself, which costs less than
 * sending it the text (parallel/pool.ts).
 */
const fileBytes = new WeakMap<LoadedInput, Uint8Array>();

/** The bytes of `input` (see fileBytes), handed over once; undefined when there are none to move. */
export function takeFileBytes(input: LoadedInput): Uint8Array | undefined {
  const bytes = fileBytes.get(input);
  fileBytes.delete(input);
  return bytes;
}

/** The text of bytes from takeFileBytes: what the thread that loaded them decoded, exactly. */
export function textOfFileBytes(bytes: Uint8Array, ref: DocRef): string {
  return decodeXmlBytes(bytes, docLabel(ref));
}

/** A local WSDL file, read (its imports are read when the WSDL is, relative to it). */
export function loadLocalInput(input: string, files?: FileTexts): LoadedInput {
  const path = resolvePath(input);
  const ref: DocRef = { kind: 'file', path };
  // Messages name the file as docLabel does (relative to the working directory); headers by its name.
  let bytes: Uint8Array | undefined;
  const read = (): string => {
    // A command-line argument kept as given though it names no file (--watch watches where it would
    // appear) may be a WSDL URL typed without its https://: said so, its user info and ticket not shown.
    const url = urlWithoutScheme(input, process.cwd());
    if (url !== undefined) throw new GenerateError(urlHint(url), { file: url.slice('https://'.length) });
    const raw = readLocalBytes(path, docLabel(ref));
    const text = textOfFileBytes(raw, ref);
    bytes = raw;
    return text;
  };
  const text = files ? (files.text(path, true, read) ?? read()) : read();
  // A pipe (`<(curl …)` gives /dev/fd/63) has no file name of its own, "63" was its label: it is
  // named as given, as its messages name it, and the same every run (the command too: command.ts).
  const file = isStream(path) ? docLabel(ref) : basename(input);
  const loaded: LoadedInput = { input, file, ref, text, documents: {}, origins: [] };
  // Only bytes with an ArrayBuffer of their own can be moved (small files share Node's buffer pool).
  if (bytes && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) fileBytes.set(loaded, bytes);
  return loaded;
}

export async function loadInput(input: string, options: InputOptions & { readonly files?: FileTexts } = {}): Promise<LoadedInput> {
  if (!isUrl(input)) return loadLocalInput(input, options.files);
  let parsed: URL;
  try {
    parsed = new URL(input);
  } catch {
    throw new GenerateError('not a valid URL', { file: redactUrl(input) });
  }
  const origins = originsFor({ kind: 'url', url: parsed.href }, options);
  // The WSDL itself may be redirected anywhere http(s) (e.g. http → https); its final origin
  // then counts as its own.
  const main = await fetchXml(parsed.href, options);
  origins.add(new URL(main.url).origin);
  const ref: DocRef = { kind: 'url', url: main.url };
  const documents: Record<string, string> = {};
  // Each fetched document with the import that first named it (ImportLink): a failure in one names the imports up to the WSDL.
  const queue: { ref: DocRef; text: string; file: string; importedBy?: ImportLink }[] = [{ ref, text: main.text, file: redactUrl(input) }];
  const seen = new Set([docKey(ref)]);
  for (let doc = queue.shift(); doc; doc = queue.shift()) {
    // Parsed here only to find what it imports; the reader parses it again (and reports its errors).
    let root;
    try {
      root = parseXmlDocument(doc.text, doc.file, doc.importedBy);
    } catch {
      continue;
    }
    for (const { location: loc, element } of referencedLocations(root)) {
      const link: ImportLink = { what: describeLocated(element, loc), at: location(element, doc.file) };
      let target: DocRef;
      try {
        target = resolveLocation(loc, doc.ref, origins);
      } catch (err) {
        throw new GenerateError(`${link.what}: ${(err as Error).message}`, link.at);
      }
      const key = docKey(target);
      if (seen.has(key) || target.kind !== 'url') continue;
      seen.add(key);
      if (seen.size > MAX_DOCUMENTS) throw new GenerateError(`imports more than ${MAX_DOCUMENTS} documents`, { file: redactUrl(input) });
      let fetched;
      try {
        fetched = await fetchXml(target.url, options, (redirect) => void resolveLocation(redirect, doc.ref, origins));
      } catch (err) {
        // Named with the import that asked for it, as a location refused above is.
        if (!(err instanceof GenerateError)) throw err;
        throw inImportedDocument(err, link);
      }
      documents[key] = fetched.text;
      queue.push({ ref: target, text: fetched.text, file: redactUrl(target.url), importedBy: link });
    }
  }
  return { input, file: redactUrl(input), ref, text: main.text, documents, origins: [...origins] };
}

/** Resolves the locations a loaded input's documents name: local files are read now, URLs come from what was fetched. */
export function createResolver(input: LoadedInput): DocumentResolver {
  const mainKey = docKey(input.ref);
  const refs = new Map<string, DocRef>([[mainKey, input.ref]]);
  const origins = new Set(input.origins);
  /** Local documents already read (a schema imported from several places is read once). */
  const localTexts = new Map<string, ExternalDocument>();
  return {
    mainKey,
    resolve(loc: string, fromKey: string) {
      const from = refs.get(fromKey);
      if (!from) throw new Error('internal error: an import from an unknown document');
      const ref = resolveLocation(loc, from, origins);
      const key = docKey(ref);
      refs.set(key, ref);
      const file = docLabel(ref);
      if (ref.kind === 'url') {
        const text = input.documents[key];
        if (text === undefined) throw new Error(`${file} was not fetched`);
        return { key, file, text };
      }
      try {
        let doc = localTexts.get(key);
        if (doc === undefined) localTexts.set(key, (doc = { key, file, text: readLocalXml(ref.path, file) }));
        return doc;
      } catch (err) {
        throw new Error(err instanceof GenerateError ? `${file}: ${err.message}` : (err as Error).message);
      }
    },
  };
}
