// A request whose operation is known by its body element only (the mock server): read once, by
// the client's decoder (decode.ts), which chooses the message as it meets the Body's first
// element. Only the mock imports this file.
import { EnvelopeDecoder, keepDecodersAlive, notWellFormed, type DecodedMessage, type UnknownElements } from './decode.js';
import { DecodeError } from './errors.js';
import { field, type FieldDesc, type MessageDesc, type SchemaIndex, type SoapVersion } from './schema.js';
import { XmlReader, XmlSyntaxError } from './xml.js';

/** What decodeRequestOf read. */
export interface DecodedRequest {
  /** The envelope's SOAP version. */
  readonly version: SoapVersion;
  /** The Body's first element, as `{namespace}local`. */
  readonly element: string;
  /**
   * The body and headers of the message that element names in `messages` (else `otherwise`), or
   * the first DecodeError in them, in decodeEnvelope's order; undefined when neither has one.
   */
  readonly decoded: DecodedMessage | DecodeError | undefined;
}

export interface RequestDecodeOptions {
  readonly maxDepth?: number | undefined;
  readonly unknownElements?: UnknownElements | undefined;
  /** The message to decode when `messages` has none for the body element (its error names the element expected). */
  readonly otherwise?: MessageDesc | undefined;
}

/**
 * Decodes a request envelope as whichever of `messages` (request messages keyed by their body
 * element, `{namespace}local`) its Body's first element names: one pass over the XML, as
 * decodeEnvelope. Header blocks are decoded as they come (before the Body, so for any of the
 * messages that declares them) and the result keeps those of the message chosen. Throws what
 * makes it no request at all, before any message is chosen: DecodeError (not well-formed XML,
 * not a SOAP envelope, no Body, an empty Body) and SoapFaultError (a Fault). The rest is returned,
 * so that the caller can check the version and the operation first. Error messages name no
 * operation (the caller knows which it chose).
 */
export function decodeRequestOf(index: SchemaIndex, messages: ReadonlyMap<string, MessageDesc>, xml: string, options?: RequestDecodeOptions): DecodedRequest {
  keepDecodersAlive();
  const set = requestSetOf(index, messages);
  let met: { version: SoapVersion; element: string } | undefined;
  const otherwise = options?.otherwise;
  let decoded: DecodedMessage | DecodeError;
  try {
    // The reader is made in the try: it checks the characters and the XML declaration as it is made.
    const decoder = new EnvelopeDecoder(index, '', new XmlReader(xml, options?.maxDepth), options?.unknownElements === 'error');
    decoder.pick = (ns, local, version) => {
      met = { version, element: `{${ns}}${local}` };
      return set.byElement.get(met.element);
    };
    decoded = decoder.decode({ body: otherwise?.body ?? NO_ELEMENT, headers: set.headers }, undefined);
  } catch (err) {
    if (err instanceof XmlSyntaxError) throw notWellFormed(err, undefined);
    // Before the body element: the envelope's errors. After it: the message's (several Bodies,
    // the wrong body element, its values, its header blocks).
    if (met === undefined || !(err instanceof DecodeError)) throw err;
    decoded = err;
  }
  if (met === undefined) throw new Error('internal: a request decoded without a body element');
  const known = messages.has(met.element) || otherwise !== undefined;
  return { version: met.version, element: met.element, decoded: known ? decoded : undefined };
}

/** A body element no message has (an element's name is never empty). */
const NO_ELEMENT: FieldDesc = field('', -1, '');

/**
 * `messages` as the decoder reads them: by body element, their header fields made one object per
 * header element (the decoder matches a header's value to its message by field identity, and the
 * blocks are read before the message is known). Built once per map.
 */
interface RequestSet {
  readonly byElement: ReadonlyMap<string, MessageDesc>;
  readonly headers: readonly FieldDesc[];
}

const requestSets = new WeakMap<ReadonlyMap<string, MessageDesc>, RequestSet>();

function requestSetOf(index: SchemaIndex, messages: ReadonlyMap<string, MessageDesc>): RequestSet {
  let set = requestSets.get(messages);
  if (set === undefined) {
    const headers = new Map<string, FieldDesc>();
    const one = (f: FieldDesc): FieldDesc => {
      const key = `{${index.namespace(f.ns)}}${f.name}`;
      const first = headers.get(key);
      if (first !== undefined) return first;
      headers.set(key, f);
      return f;
    };
    const byElement = new Map<string, MessageDesc>();
    for (const [element, msg] of messages) {
      const own = msg.headers.map(one);
      byElement.set(element, own.every((f, i) => f === msg.headers[i]) ? msg : { body: msg.body, headers: own });
    }
    set = { byElement, headers: [...headers.values()] };
    requestSets.set(messages, set);
  }
  return set;
}
