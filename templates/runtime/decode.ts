// The decoder: a whole SOAP envelope (text) -> typed values, in one pass over the XML reader's
// events, driven by the schema metadata. No tree is built, for the message or a Fault (envelope.ts
// readFaultFrom reads it from the same events). The mock reads requests with it too.
//
// Strict about values: a bad number, an unknown enum value or a nil the schema forbids is a
// DecodeError naming the element path, line and column. Elements the schema does not declare are
// skipped (a newer server may add fields) or, with unknownElements 'error', refused (tests, and
// the mock checking what clients send); undeclared header blocks are always skipped.
//
// The message is always read to its end, so an error costs one parse, like a success, and of
// several errors the first of these is reported: a well-formedness error (anywhere); the envelope's
// shape (not an Envelope, no Body or several, an empty Body, a Fault, the other SOAP version, the
// wrong body element); the body element's first, in document order; the header blocks' first, in
// the order the operation declares them.
//
// A leaf (an element whose value is its text: a scalar, an enumeration ...) is read at once through
// its end tag (readLeaf). An element that holds elements gets a frame on an explicit stack; its
// children's values go into it, and at its end tag its value goes to the frame below.
import { DecodeError, type SoapFaultError } from './errors.js';
import { readFaultFrom, SOAP11_NS, SOAP12_NS } from './envelope.js';
import { parseScalar, ScalarError } from './scalars.js';
import { fieldLine, ListItemError, parseSimple, scalarKind, schema, schemaIndex, segment, XSI_NS } from './schema.js';
import type { ArrayDesc, ComplexInfo, DictDesc, FieldDesc, MessageDesc, ScalarKind, SchemaIndex, SimpleDesc, Slot, SoapVersion } from './schema.js';
import { resolveQNameIn, XML_END, XML_EOF, XML_START, XML_TEXT, XmlReader, XmlSyntaxError } from './xml.js';

export interface DecodedMessage {
  readonly body: Record<string, unknown>;
  readonly headers: Record<string, unknown>;
}

/** What decoding does with an element the schema does not declare: skip it, or refuse the message. */
export type UnknownElements = 'ignore' | 'error';

export interface DecodeOptions {
  /** Nesting limit of the XML reader (default 256). */
  readonly maxDepth?: number | undefined;
  /** Elements the schema does not declare: 'ignore' (the default) or 'error' (a DecodeError naming its path). */
  readonly unknownElements?: UnknownElements | undefined;
  /**
   * The SOAP version the message must have (the operation's binding; the agent passes it for
   * responses): the other is then a DecodeError, as in WCF. Without it both are read (SuperOffice
   * documents its SOAP 1.1 services with SOAP 1.2 envelopes).
   */
  readonly soapVersion?: SoapVersion | undefined;
}

/** Decodes the envelope `xml` of message `msg`. Throws DecodeError, or SoapFaultError for a Fault. */
export function decodeEnvelope(index: SchemaIndex, msg: MessageDesc, xml: string, operation: string, options?: DecodeOptions): DecodedMessage {
  keepDecodersAlive();
  try {
    const reader = new XmlReader(xml, options?.maxDepth); // (which checks the characters and the XML declaration: in the try)
    return new EnvelopeDecoder(index, operation, reader, options?.unknownElements === 'error').decode(msg, options?.soapVersion);
  } catch (err) {
    throw notWellFormed(err, operation);
  }
}

/** The header blocks read beside a body that does not fit, by its DecodeError, when all fit (a header's own error is not reported over the body's): the SOAP transport reports their ExceptionInfo. */
const besideBody = new WeakMap<DecodeError, Readonly<Record<string, unknown>>>();
export const headersBeside = (err: DecodeError): Readonly<Record<string, unknown>> | undefined => besideBody.get(err); // (read-only elsewhere)

/** Well-formedness errors take precedence over everything (the reader throws them as it reads); the DecodeError has their line and column. */
export function notWellFormed(err: unknown, operation: string | undefined): unknown {
  return err instanceof XmlSyntaxError ? new DecodeError(`the message is not well-formed XML: ${err.reason}`, '', operation, err) : err;
}

// ---------------------------------------------------------------------------------------------
// Frames: one per open element that holds elements.

/** Every frame: its element's field, path segment (name, and index when repeated, else -1) and start tag. */
type Frame = { readonly slot: Slot; readonly name: string; readonly index: number; readonly start: number } & (
  | /** A complex value being filled; for xs:anyType, the type key to record as $type. */ { readonly kind: 'complex'; readonly info: ComplexInfo; readonly out: Record<string, unknown>; readonly anyType: string | undefined }
  | { readonly kind: 'array'; readonly item: Slot; readonly items: unknown[] }
  | /** A dictionary: its entries by key (a record, when the keys are strings) or as a list; `count` for paths. */ {
      readonly kind: 'dict';
      readonly dict: DictDesc;
      readonly entry: Slot;
      readonly record: Record<string, unknown> | undefined;
      readonly entries: { readonly Key: unknown; readonly Value: unknown }[];
      count: number;
    }
  | /** A dictionary entry: its Key and Value, ABSENT until seen (the last of each counts). */ { readonly kind: 'entry'; readonly dict: DictDesc; key: unknown; value: unknown }
);

/** A dictionary entry's Key or Value not seen (any value, undefined included, may be one). */
const ABSENT = Symbol('absent');

/**
 * How a leaf's text becomes its value: as a scalar (the field's, or xs:anyType's xsi:type), a simple
 * type, xsi:nil="true" (only whitespace) or xs:anyType's text. A scalar or simple slot is its own leaf.
 */
type Leaf = { readonly kind: 'scalar'; readonly scalar: ScalarKind } | { readonly kind: 'simple'; readonly desc: SimpleDesc } | { readonly kind: 'nil' | 'text' };

const NIL: Leaf = { kind: 'nil' };
const TEXT: Leaf = { kind: 'text' };

// ---------------------------------------------------------------------------------------------

/** What the Body holds: the body element's value or the error that stopped it (thrown once all is read), a Fault, or another element. */
type BodyOutcome = { value: Record<string, unknown> | DecodeError } | { fault: SoapFaultError } | { found: string };

/** One message's decoding (one per message: it holds the reader). Exported for decode-request.ts. */
export class EnvelopeDecoder {
  /** The open elements that hold elements, outermost first (frames beyond `sp` are stale). */
  private readonly frames: Frame[] = [];
  /** Top frame index (-1: none yet). */
  private sp = 0;
  /** The path prefix of the element being decoded ('' for the body, 'Header' for header blocks). */
  private prefix = '';
  /** The value of the leaf just read (readLeaf). */
  private leaf: unknown = undefined;
  /** The path index of the child childSlot found: the position of a repeated field's or an array's or dictionary's item, else -1. */
  private childAt = -1;
  /**
   * Set by decodeRequestOf only (the mock, before it knows the operation): called at the Body's
   * first element (unless a Fault); the message it returns is decoded, body and headers.
   */
  pick: ((ns: string, local: string, version: SoapVersion) => MessageDesc | undefined) | undefined = undefined;
  private picked: MessageDesc | undefined = undefined;

  /** `r`: a reader of the message, not yet read; `strict`: elements the schema does not declare are errors (unknownElements: 'error'). */
  constructor(
    private readonly index: SchemaIndex,
    private readonly operation: string,
    private readonly r: XmlReader,
    private readonly strict: boolean,
  ) {}

  decode(msg: MessageDesc, expected: SoapVersion | undefined): DecodedMessage {
    const r = this.r;
    r.next(); // the document element's start tag: the reader refuses anything else first
    const envNs = r.ns;
    const version: SoapVersion | undefined = envNs === SOAP11_NS ? '1.1' : envNs === SOAP12_NS ? '1.2' : undefined;
    if (r.name.local !== 'Envelope' || version === undefined) {
      const what = r.name.local === 'Envelope' ? `an Envelope in namespace "${envNs}"` : `<${r.name.local}>`;
      this.finish();
      throw new DecodeError(`not a SOAP envelope: the root element is ${what}`, '', this.operation);
    }

    // Header blocks: children of Header, then (as SuperOffice's documentation writes them) other
    // children of Envelope. For each declared header, the first such block counts.
    const headers = new Map<FieldDesc, { value: unknown; inHeader: boolean }>();
    let bodies = 0;
    let body: BodyOutcome | undefined;
    for (let ev = r.next(); ev !== XML_END; ev = r.next()) {
      if (ev !== XML_START) continue; // text between the envelope's children
      const local: string = r.name.local;
      if (r.ns === envNs && local === 'Header') {
        for (let e = r.next(); e !== XML_END; e = r.next()) {
          if (e === XML_START) this.headerBlock(msg, headers, true);
        }
      } else if (r.ns === envNs && local === 'Body') {
        // A second Body is refused below (as WCF does); it is only read for well-formedness.
        if (++bodies === 1) body = this.body(msg, envNs, version);
        else r.skipElement();
      } else {
        this.headerBlock(msg, headers, false);
      }
    }
    this.finish();
    if (this.picked !== undefined) msg = this.picked; // decodeRequestOf: the headers of the message the body element named

    if (bodies === 0) throw new DecodeError('the SOAP envelope has no Body', 'Envelope', this.operation);
    if (bodies > 1) throw new DecodeError(`the SOAP envelope has ${bodies} Body elements; SOAP allows one`, 'Envelope', this.operation);
    if (body === undefined) throw new DecodeError('the SOAP Body is empty', 'Envelope/Body', this.operation);
    if ('fault' in body) throw body.fault;
    if (expected !== undefined && version !== expected) {
      // As WCF: an operation bound to one SOAP version does not read the other's envelope. A
      // Fault of either version is still reported as the fault it is (above): it says why.
      throw new DecodeError(`the operation uses SOAP ${expected}, but the message is a SOAP ${version} envelope ("${envNs}")`, 'Envelope', this.operation);
    }
    if ('found' in body) {
      const expected = `{${this.index.namespace(msg.body.ns)}}${msg.body.name}`;
      throw new DecodeError(`expected the body element ${expected}, found ${body.found}`, 'Envelope/Body', this.operation);
    }
    const out: Record<string, unknown> = {}; // (one rule for the headers whether the body fits or not: besideBody)
    for (const f of msg.headers) {
      const h = headers.get(f);
      if (h === undefined) continue;
      if (h.value instanceof DecodeError) throw body.value instanceof DecodeError ? body.value : h.value;
      out[f.name] = h.value;
    }
    if (body.value instanceof DecodeError) {
      besideBody.set(body.value, out);
      throw body.value;
    }
    return { body: body.value, headers: out };
  }

  /** After Body's start tag: reads through its end tag; what its first element is. */
  private body(msg: MessageDesc, envNs: string, version: SoapVersion): BodyOutcome | undefined {
    const r = this.r;
    let result: BodyOutcome | undefined;
    for (let ev = r.next(); ev !== XML_END; ev = r.next()) {
      if (ev !== XML_START) continue;
      const fault = r.name.local === 'Fault' && r.ns === envNs;
      if (result === undefined && this.pick !== undefined && !fault) {
        this.picked = this.pick(r.ns, r.name.local, version); // decodeRequestOf: this element names the message
        if (this.picked !== undefined) msg = this.picked;
      }
      if (result !== undefined) {
        r.skipElement(); // only the first element in Body counts
      } else if (fault) {
        result = { fault: readFaultFrom(r, version, this.operation) };
      } else if (r.name.local === msg.body.name && r.ns === this.index.namespace(msg.body.ns)) {
        result = { value: this.decodeElement(this.index.slot(msg.body), true) as Record<string, unknown> | DecodeError };
      } else {
        result = { found: `{${r.ns}}${r.name.local}` };
        r.skipElement();
      }
    }
    return result;
  }

  /** At a header block's start tag: decodes it if the operation declares it (and it is the first of its name), else skips it. */
  private headerBlock(msg: MessageDesc, headers: Map<FieldDesc, { value: unknown; inHeader: boolean }>, inHeader: boolean): void {
    const r = this.r;
    const field = msg.headers.find((f) => f.name === r.name.local && this.index.namespace(f.ns) === r.ns);
    const seen = field && headers.get(field);
    // A block inside Header counts before any directly under Envelope, wherever they are.
    if (field === undefined || (seen !== undefined && (seen.inHeader || !inHeader))) {
      r.skipElement();
      return;
    }
    headers.set(field, { value: this.decodeElement(this.index.slot(field), false), inHeader });
  }

  /** Reads the rest of the document, which the reader checks: a well-formedness error anywhere wins. */
  private finish(): void {
    while (this.r.next() !== XML_EOF) {
      // nothing: the events after the point of interest are only checked
    }
  }

  /** Throws `message` at the top frame's element and path segments `tail`, located at `offset` (default: the frame's start tag). */
  private fail(message: string, tail = '', offset = this.frames[this.sp]!.start): never {
    const parts: string[] = this.prefix ? [this.prefix] : [];
    for (let i = 0; i <= this.sp; i++) parts.push(segment(this.frames[i]!.name, this.frames[i]!.index));
    if (tail) parts.push(tail);
    throw new DecodeError(message, parts.join('/'), this.operation, this.r.lineColumn(offset));
  }

  /**
   * The error `message` at child `name`/`index` of the top frame's element (or at its list item
   * `item`), located at its start tag `start` (default: the one the reader is at).
   */
  private failHere(message: string, name: string, index: number, start = this.r.start, item = -1): never {
    const tail = segment(name, index);
    return this.fail(message, item >= 0 ? `${tail}/item[${item}]` : tail, start);
  }

  /** In strict mode: the error for the element at the reader's start tag, which the schema does not declare in the top frame's element (or in its child `within`). */
  private unknown(within = ''): never {
    const r = this.r;
    const where = r.ns === '' ? 'in no namespace' : `in namespace "${r.ns}"`;
    const message = `unknown element ${r.name.local} ${where}: the schema does not declare it here (unknownElements: 'error')`;
    return this.fail(message, within + r.name.local, r.start);
  }

  /** At the body element's or a header block's start tag: its value, or the DecodeError that stopped it; reads through its end tag either way. */
  private decodeElement(slot: Slot, isBody: boolean): unknown {
    const depth = this.r.depth;
    this.prefix = isBody ? '' : 'Header';
    try {
      this.sp = -1; // no frame yet: an error in a header block's start tag names the block alone
      // The body element's own attributes (xsi:nil, xsi:type) are not read: it is the operation's wrapper.
      const frame = isBody ? this.complexFrame(slot, slot.field.name, -1, slot.field.type, undefined) : this.open(slot, slot.field.name, -1);
      if (frame === null) return this.leaf;
      this.frames[(this.sp = 0)] = frame;
      return this.run();
    } catch (err) {
      if (!(err instanceof DecodeError)) throw err;
      while (this.r.depth >= depth) this.r.next(); // through its end tag: the reader still checks everything in it
      return err;
    }
  }

  /** Reads events until the element of frame 0 ends; its value. */
  private run(): unknown {
    const r = this.r;
    const frames = this.frames;
    let top = frames[this.sp]!;
    for (;;) {
      const ev = r.next();
      if (ev === XML_START) {
        const slot = this.childSlot(top);
        if (slot === null) {
          if (this.strict) this.unknown();
          r.skipElement(); // an element the schema does not have here: forward compatible
          continue;
        }
        const child = top.kind === 'dict' ? this.entryFrame(slot, top.dict, this.childAt) : this.open(slot, slot.field.name, this.childAt);
        if (child === null) {
          deliver(top, slot, this.leaf, null); // a leaf, read through its end tag
        } else {
          frames[++this.sp] = child;
          top = child;
        }
      } else if (ev === XML_END) {
        // The end of the innermost open element: its value, delivered to its parent.
        const value = this.close(top);
        if (this.sp === 0) return value;
        const child = top;
        top = frames[--this.sp]!;
        deliver(top, child.slot, value, child);
      } else if (ev !== XML_TEXT) {
        throw new Error('internal: the XML reader ended inside an element');
      } // (text between a container's elements is ignored)
    }
  }

  /** At a child's start tag: the slot it fills in `top` (its path index in `childAt`), or null to skip it; an error when it may not be there. */
  private childSlot(top: Frame): Slot | null {
    const r = this.r;
    switch (top.kind) {
      case 'complex': {
        const s = top.info.slots.get(r.name.local);
        if (s === undefined || s.ns !== r.ns) return null;
        const f = s.field;
        if (!f.repeated && Object.prototype.hasOwnProperty.call(top.out, f.name)) this.failHere(`${f.name} occurs more than once`, f.name, -1);
        const list = f.repeated ? top.out[f.name] : undefined;
        this.childAt = Array.isArray(list) ? list.length : f.repeated ? 0 : -1;
        return s;
      }
      case 'array': {
        const item = top.item;
        if (r.name.local !== item.field.name) return null;
        this.childAt = top.items.length;
        // An item in the wrong namespace is a peer's bug; skipping it would lose data silently.
        if (r.ns !== item.ns) this.failHere(`array item ${item.field.name} is in namespace "${r.ns}", expected "${item.ns}"`, item.field.name, this.childAt);
        return item;
      }
      case 'dict':
        this.childAt = top.count;
        return r.name.local === top.entry.field.name && r.ns === top.entry.ns ? top.entry : null;
      case 'entry': {
        this.childAt = -1;
        const key = this.index.slot(top.dict.key);
        if (r.name.local === 'Key' && r.ns === key.ns) return key;
        const value = this.index.slot(top.dict.value);
        return r.name.local === 'Value' && r.ns === value.ns ? value : null;
      }
    }
  }

  /** At the start tag of an element of `slot` (path segment `name`/`index`): its frame, or null for a leaf, then read (value in `leaf`). */
  private open(slot: Slot, name: string, index: number): Frame | null {
    const r = this.r;
    const field = slot.field;
    // xsi:nil and xsi:type (whose value is read only where it can matter).
    let nil = false;
    let typeAt = -1;
    for (let i = 0, n = r.attrCount; i < n; i++) {
      const local = r.attrName(i).local;
      if (local === 'nil' && r.attrNs(i) === XSI_NS) nil = NIL_FLAG.test(r.attrValue(i));
      else if (local === 'type' && r.attrNs(i) === XSI_NS) typeAt = i;
    }
    if (nil) {
      if (!field.nillable) this.failHere(`xsi:nil on ${field.name}, which the schema does not allow to be nil`, name, index);
      return this.readLeaf(NIL, name, index);
    }
    switch (slot.kind) {
      case 'scalar': // (a scalar's or simple type's xsi:type can only restate the schema)
      case 'simple':
        return this.readLeaf(slot, name, index);
      case 'complex': // xsi:type may name a type derived from the declared one
        return this.complexFrame(slot, name, index, typeAt < 0 ? field.type : this.xsiType(r.attrValue(typeAt), field.type, name, index), undefined);
      case 'array':
        return this.arrayFrame(slot, name, index, slot.desc);
      case 'dict':
        return this.dictFrame(slot, name, index, slot.desc);
      case 'any':
        return typeAt < 0 ? this.readLeaf(TEXT, name, index) : this.anyFrame(slot, name, index, r.attrValue(typeAt));
      case 'entry':
        return this.failHere('internal: a dictionary entry outside a dictionary', name, index);
    }
  }

  private complexFrame(slot: Slot, name: string, index: number, key: string, anyType: string | undefined): Frame & { readonly kind: 'complex' } {
    return { kind: 'complex', slot, name, index, start: this.r.start, info: this.index.complexInfo(key), out: {}, anyType };
  }

  private arrayFrame(slot: Slot, name: string, index: number, array: ArrayDesc): Frame & { readonly kind: 'array' } {
    return { kind: 'array', slot, name, index, start: this.r.start, item: this.index.slot(array.item), items: [] };
  }

  private dictFrame(slot: Slot, name: string, index: number, dict: DictDesc): Frame & { readonly kind: 'dict' } {
    return { kind: 'dict', slot, name, index, start: this.r.start, dict, entry: this.index.slot(dict.entry), record: dict.record ? {} : undefined, entries: [], count: 0 };
  }

  private entryFrame(slot: Slot, dict: DictDesc, index: number): Frame {
    return { kind: 'entry', slot, name: slot.field.name, index, start: this.r.start, dict, key: ABSENT, value: ABSENT };
  }

  /** An xs:anyType element with xsi:type `value`: a scalar, or a type of this service (an enumeration or list: a leaf too). */
  private anyFrame(slot: Slot, name: string, index: number, value: string): Frame | null {
    const key = this.xsiType(value, 'xs:anyType', name, index);
    const scalar = scalarKind(key);
    if (scalar !== undefined) return this.readLeaf({ kind: 'scalar', scalar }, name, index);
    const desc = this.index.type(key);
    if (desc?.kind === 'enum' || desc?.kind === 'list') return this.readLeaf({ kind: 'simple', desc }, name, index);
    if (desc?.kind === 'complex') return this.complexFrame(slot, name, index, key, key);
    if (desc?.kind !== 'array' && desc?.kind !== 'dict') return this.failHere(`internal: xsi:type ${key} is not a complex type`, name, index);
    // An array or dictionary carries its type's name too, to be written back: not enumerable (not an item, nor a key).
    const frame = desc.kind === 'array' ? this.arrayFrame(slot, name, index, desc) : this.dictFrame(slot, name, index, desc);
    Object.defineProperty(frame.kind === 'array' ? frame.items : (frame.record ?? frame.entries), '$type', { value: key, writable: true, configurable: true });
    return frame;
  }

  /** The type key an xsi:type `value` selects (SchemaIndex.xsiType); `elName`/`elIndex`: the element's path segment, for errors. */
  private xsiType(value: string, declared: string, elName: string, elIndex: number): string {
    const index = this.index;
    const scope = this.r.scope;
    const desc = index.type(declared);
    // The common case (WCF and SuperOffice's documentation annotate everything): xsi:type names the declared type (bench row trick-xsi-type-declared).
    if (desc?.kind === 'complex') {
      const colon = value.indexOf(':');
      if (value.slice(colon + 1) === desc.name && scope.binding(colon < 0 ? '' : value.slice(0, colon))?.uri === index.namespace(desc.ns)) {
        return declared;
      }
    }
    const name = resolveQNameIn(scope, value); // (which ignores surrounding whitespace)
    if (!name) return this.failHere(`xsi:type "${value}" uses an undeclared prefix`, elName, elIndex);
    const key = index.xsiType(name.ns, name.local, declared);
    if (key !== undefined) return key;
    if (declared === 'xs:anyType') return this.failHere(`xsi:type "${value}" is not a type of this service`, elName, elIndex);
    // On a complex type, an xsi:type naming anything but it or a type derived from it contradicts
    // the schema (WCF refuses it): reading on would drop the element's content silently.
    return this.failHere(`xsi:type "${value}" contradicts the declared type ${desc?.kind === 'complex' ? desc.name : declared}`, elName, elIndex);
  }

  /**
   * After a leaf's start tag: reads through its end tag, its value in `leaf`; null (no frame).
   * Elements inside are errors, except in a simple value (ignored, or unknown in strict mode).
   */
  private readLeaf(leaf: Leaf, name: string, index: number): null {
    const r = this.r;
    const start = r.start;
    const text = r.textOnly() ?? this.mixedText(leaf, name, index, start);
    if (leaf.kind === 'nil' && text.trim() !== '') this.failHere('an element with xsi:nil="true" must be empty', name, index, start);
    try {
      if (leaf.kind === 'scalar') this.leaf = parseScalar(leaf.scalar, text);
      else if (leaf.kind === 'simple') this.leaf = parseSimple(this.index, leaf.desc, text);
      else this.leaf = leaf.kind === 'nil' ? null : text;
    } catch (err) {
      if (!(err instanceof ScalarError)) throw err;
      this.failHere(err.message, name, index, start, err instanceof ListItemError ? err.item : -1);
    }
    return null;
  }

  /** The text of a leaf that holds more than text, read event by event through its end tag; `start`: the leaf's start tag. */
  private mixedText(leaf: Leaf, name: string, index: number, start: number): string {
    const r = this.r;
    let text = '';
    for (let ev = r.next(); ev !== XML_END; ev = r.next()) {
      if (ev === XML_TEXT) text += r.text();
      else if (leaf.kind === 'simple' && this.strict) this.unknown(`${segment(name, index)}/`);
      else if (leaf.kind === 'simple') r.skipElement();
      else if (leaf.kind === 'scalar') this.failHere(`expected text (xs:${leaf.scalar}), found element ${r.name.local}`, name, index, r.start);
      else if (leaf.kind === 'nil') this.failHere('an element with xsi:nil="true" must be empty', name, index, start);
      else this.failHere('an xs:anyType value with elements needs an xsi:type', name, index, start);
    }
    return text;
  }

  /** At the end tag of frame `fr`'s element: its value (an entry's Key and Value stay in its frame, see deliver). */
  private close(fr: Frame): unknown {
    switch (fr.kind) {
      case 'complex': {
        const out = fr.out;
        for (const f of fr.info.required) {
          if (!Object.prototype.hasOwnProperty.call(out, f.name)) this.fail(`the required element ${f.name} is missing`);
        }
        // A value whose type the schema left open carries its type's name, so it can be written back.
        if (fr.anyType !== undefined) setProperty(out, '$type', fr.anyType);
        return out;
      }
      case 'array':
        return fr.items;
      case 'dict':
        return fr.record ?? fr.entries;
      case 'entry':
        if (fr.key === ABSENT) this.fail('a dictionary entry has no Key');
        if (fr.value === ABSENT && !fr.dict.value.nillable) this.fail('a dictionary entry has no Value');
        if (fr.dict.record && typeof fr.key !== 'string') this.fail('a dictionary key is nil');
        return undefined;
    }
  }
}

/** Stores `value`, of field `slot` (a leaf's, or the just closed frame `child`'s), in its parent's frame. */
function deliver(parent: Frame, slot: Slot, value: unknown, child: Frame | null): void {
  switch (parent.kind) {
    case 'complex': {
      const f = slot.field;
      const list = f.repeated ? parent.out[f.name] : undefined;
      if (Array.isArray(list)) list.push(value);
      else setProperty(parent.out, f.name, f.repeated ? [value] : value);
      return;
    }
    case 'array':
      parent.items.push(value);
      return;
    case 'dict':
      parent.count++;
      if (child?.kind !== 'entry') return; // (a dictionary's children are its entries)
      if (parent.record !== undefined) setProperty(parent.record, String(child.key), child.value === ABSENT ? null : child.value);
      else parent.entries.push({ Key: child.key, Value: child.value === ABSENT ? null : child.value });
      return;
    case 'entry':
      // Key or Value (the last of each counts).
      if (slot.field === parent.dict.key) parent.key = value;
      else parent.value = value;
  }
}

// ---------------------------------------------------------------------------------------------

/**
 * Decoders kept alive for the life of the module, with their readers, names, scopes and frames.
 * Optimized code relies on the hidden classes (V8's "maps") of the objects it handles; a full GC
 * between two messages drops the maps no live object has, and with them the optimized code, so the
 * next message was decoded several times slower. One live instance of each kind keeps them (each
 * message below leaves frames of other kinds). Made by the first decode, not at load (bench case
 * cold-start). Bench: the `tricks` case, row trick-keep-alive.
 */
let KEEP_ALIVE: unknown;

export function keepDecodersAlive(): void {
  KEEP_ALIVE ??= decodersToKeep();
}

function decodersToKeep(): unknown {
  const types = schema(['urn:k'], {
    K: ['complex', 'K', 0, ['s 0 xs:string optional nillable', 'i 0 xs:int optional repeated', 'a 0 A optional', 'e 0 E optional', 'd 0 D optional', 't 0 xs:anyType optional']],
    A: ['array', 'A', 0, 'K 0 K nillable'],
    E: ['enumeration', ['x']],
    D: ['dictionary', 'D', 0, 'E 0 -', 'Key 0 xs:string', 'Value 0 xs:string nillable'],
  });
  const msg: MessageDesc = { body: fieldLine('K 0 K'), headers: [fieldLine('K 0 K optional')] };
  const bodies = ['<s>t &amp; t</s><i>1</i><i>2</i>', '<e>x</e>', '<a><K i:nil="true"/><K><t>x</t></K></a>', '<d><E><Key>k</Key><Value>v</Value></E></d>', '<s i:nil="true"/>'];
  return bodies.map((body) => {
    const xml =
      '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">' +
      `<s:Header><K xmlns="urn:k"><s>h</s></K></s:Header><s:Body><K xmlns="urn:k">${body}</K></s:Body></s:Envelope>`;
    const decoder = new EnvelopeDecoder(schemaIndex(types), 'KeepAlive', new XmlReader(xml), false);
    return [decoder, decoder.decode(msg, undefined)];
  });
}

/** An xsi:nil attribute value that says "nil": true or 1, whitespace around it ignored (`\s` is what String.prototype.trim removes). */
const NIL_FLAG = /^\s*(?:true|1)\s*$/;

/** Sets a property without ever touching the prototype (a key "__proto__" from a server is data), nor `$type` (a key "$type" too). */
export function setProperty(obj: Record<string, unknown>, key: string, value: unknown): unknown {
  if (key === '__proto__' || key === '$type') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
  return value;
}
