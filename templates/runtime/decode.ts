// The decoder: a whole SOAP envelope (text) → typed values, in one pass over the XML reader's
// events, driven by the schema metadata. No tree is built for the message; the only trees are a
// Fault's (read to report it).
//
// Strict about values (a bad number, an unknown enum value, a nil where the schema forbids one is
// a DecodeError naming the element path, line and column). About elements the schema does not
// declare, lenient by default (they are skipped, so a newer server that adds fields does not break
// an older client) or strict with unknownElements 'error' (a DecodeError naming the element: for
// tests, and for the mock, which checks what clients send). Header blocks the operation does not
// declare are always skipped.
//
// Which error is reported when a message has several: the message is always read to its end, so
//   1. a well-formedness error (anywhere) comes first, then
//   2. the envelope's shape: not an Envelope, the other SOAP version, no Body or several, an empty
//      Body, a Fault, the wrong body element, then
//   3. the first error in the body element, in document order, then
//   4. the first error in the header blocks, in the order the operation declares its headers.
// An error therefore costs one parse, like a success.
//
// How values are read: an explicit stack of frames, one per open element of the body (or of a
// header block). A frame knows what its element is (a complex value, an array, a dictionary, a
// scalar …); reader events fill it, and at the element's end tag its value goes to the frame below.
import { DecodeError, type SoapFaultError } from './errors.js';
import { enumProblem, listItems, patternProblem } from './facets.js';
import { readFaultFrom, SOAP11_NS, SOAP12_NS } from './envelope.js';
import { fastScalarCode, parseScalar, parseScalarAt, ScalarError } from './scalars.js';
import { field, type ArrayDesc, type DictDesc, type EnumDesc, type FieldDesc, type ListDesc, type MessageDesc, type RestrictedDesc, type ScalarKind, type SchemaDesc, type SoapVersion, type TypeDesc } from './schema.js';
import { scalarKind, schemaIndex, XSD_NS, XSI_NS, type SchemaIndex } from './schema-index.js';
import { resolveQNameIn, XML_END, XML_EOF, XML_START, XML_TEXT, XmlReader, XmlSyntaxError, type NamespaceScope } from './xml.js';

export interface DecodedMessage {
  readonly body: Record<string, unknown>;
  readonly headers: Record<string, unknown>;
}

/** What decoding does with an element the schema does not declare: skip it, or refuse the message. */
export type UnknownElements = 'ignore' | 'error';

export interface DecodeOptions {
  /** Nesting limit of the XML reader (default 256). */
  readonly maxDepth?: number | undefined;
  /**
   * Elements the schema does not declare: 'ignore' (the default: skipped, so a newer server that
   * adds fields does not break this client) or 'error' (a DecodeError naming the element's path).
   * SOAP header blocks the WSDL does not declare are always ignored.
   */
  readonly unknownElements?: UnknownElements | undefined;
  /**
   * The SOAP version the message must have (the operation's binding): an envelope of the other
   * version is then a DecodeError, as in WCF. The agent passes it for responses; without it both
   * versions are read (SuperOffice documents its SOAP 1.1 services with SOAP 1.2 envelopes).
   */
  readonly soapVersion?: SoapVersion | undefined;
}

/**
 * Decodes the envelope `xml` of message `msg` (an operation's request or response). Throws
 * DecodeError for anything the schema or XML does not allow, SoapFaultError for a Fault.
 */
export function decodeEnvelope(index: SchemaIndex, msg: MessageDesc, xml: string, operation: string, options?: DecodeOptions): DecodedMessage {
  try {
    return new EnvelopeDecoder(index, operation, xml, options?.maxDepth, options?.unknownElements === 'error').decode(msg, options?.soapVersion);
  } catch (err) {
    // Well-formedness errors take precedence over everything (the reader throws them as it reads).
    if (err instanceof XmlSyntaxError) throw new DecodeError(`the message is not well-formed XML: ${err.message}`, '', operation);
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// What the decoder knows about a field: derived once per schema from its metadata.

/** How an element is read. */
const K_COMPLEX = 0;
const K_ARRAY = 1;
const K_DICT = 2;
/** A built-in scalar (xs:int …): its text. */
const K_SCALAR = 3;
/** An enumeration, xs:list or restriction: the element's own text (elements inside are ignored). */
const K_SIMPLE = 4;
/** xs:anyType: its xsi:type says what it is; without one, text. */
const K_ANY = 5;
/** A dictionary's entry element (the metadata gives it no type of its own: it holds Key and Value). */
const K_ENTRY = 6;

interface Slot {
  readonly field: FieldDesc;
  /** The element's namespace URI. */
  readonly ns: string;
  readonly kind: number;
  /** K_SCALAR: the scalar kind and parseScalarAt's code for it (0: no fast path). */
  readonly scalar: ScalarKind | undefined;
  readonly fast: number;
  /** The description of the field's type (undefined for scalars and xs:anyType). */
  readonly desc: TypeDesc | undefined;
}

/** A complex type as the decoder reads it: its fields by element name, and the required ones. */
interface ComplexPlan {
  readonly key: string;
  readonly slots: ReadonlyMap<string, Slot>;
  readonly required: readonly FieldDesc[];
}

/** The decoder's view of one schema, built on first use and kept as long as the schema. */
class Plan {
  private readonly index: SchemaIndex;
  private readonly slotsByField = new Map<FieldDesc, Slot>();
  private readonly complexByKey = new Map<string, ComplexPlan>();

  constructor(index: SchemaIndex) {
    this.index = index;
  }

  slot(field: FieldDesc): Slot {
    let slot = this.slotsByField.get(field);
    if (slot === undefined) {
      const scalar = scalarKind(field.type);
      const desc = scalar === undefined ? this.index.type(field.type) : undefined;
      slot = { field, ns: this.index.namespace(field.ns), kind: kindOf(field.type, scalar, desc), scalar, fast: scalar ? fastScalarCode(scalar) : 0, desc };
      this.slotsByField.set(field, slot);
    }
    return slot;
  }

  complex(key: string): ComplexPlan {
    let plan = this.complexByKey.get(key);
    if (plan === undefined) {
      const info = this.index.complexInfo(key);
      plan = { key, slots: new Map(info.fields.map((f) => [f.name, this.slot(f)])), required: info.required };
      this.complexByKey.set(key, plan);
    }
    return plan;
  }
}

function kindOf(type: string, scalar: ScalarKind | undefined, desc: TypeDesc | undefined): number {
  if (scalar !== undefined) return K_SCALAR;
  if (type === 'xs:anyType') return K_ANY;
  if (type === '') return K_ENTRY;
  switch (desc?.kind) {
    case 'complex':
      return K_COMPLEX;
    case 'array':
      return K_ARRAY;
    case 'dict':
      return K_DICT;
    case 'enum':
    case 'list':
    case 'restricted':
      return K_SIMPLE;
    default:
      throw new Error(`internal: unknown type ${type}`);
  }
}

const plans = new WeakMap<SchemaIndex, Plan>();

function planOf(index: SchemaIndex): Plan {
  let plan = plans.get(index);
  if (plan === undefined) {
    plan = new Plan(index);
    plans.set(index, plan);
  }
  return plan;
}

// ---------------------------------------------------------------------------------------------
// Frames

/** Frame kinds: what the open element's value is being built as. */
const F_COMPLEX = 0;
const F_ARRAY = 1;
const F_DICT = 2;
const F_ENTRY = 3;
const F_SCALAR = 4;
const F_SIMPLE = 5;
const F_NIL = 6;
/** xs:anyType without xsi:type: text only. */
const F_TEXT = 7;

const NO_FIELDS: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;
const NO_ITEMS: unknown[] = Object.freeze([]) as unknown as unknown[];

/** One open element. Frames are reused from one element to the next at the same depth. */
class Frame {
  kind = F_COMPLEX;
  /** For error messages: the element's path segment (field name and index, -1 when not repeated) and the offset of its start tag. */
  name = '';
  index = -1;
  start = 0;
  /** What this element is in its parent. */
  slot: Slot | null = null;
  /** F_COMPLEX: the type, the value being filled, and (for xs:anyType) the type key to record as $type. */
  complex: ComplexPlan | null = null;
  out: Record<string, unknown> = NO_FIELDS;
  anyType: string | undefined = undefined;
  /** F_ARRAY: the item slot and the items. F_DICT: the entries (in `items`, or in `out` for a record) and their count. */
  item: Slot | null = null;
  items: unknown[] = NO_ITEMS;
  count = 0;
  /** F_DICT, F_ENTRY: the dictionary type. */
  dict: DictDesc | null = null;
  /** F_ENTRY: Key and Value, when seen. */
  key: unknown = undefined;
  hasKey = false;
  value: unknown = undefined;
  hasValue = false;
  /** F_SCALAR: the kind and fast-path code (from the field, or from xsi:type for xs:anyType). */
  scalar: ScalarKind = 'string';
  fast = 0;
  /** F_SIMPLE: the simple type. */
  simple: EnumDesc | ListDesc | RestrictedDesc | null = null;
  /** Text so far (F_SCALAR, F_SIMPLE, F_NIL, F_TEXT): while `raw`, exactly src[tStart, tEnd). */
  pieces = 0;
  raw = false;
  tStart = 0;
  tEnd = 0;
  text = '';
}

// ---------------------------------------------------------------------------------------------

/**
 * What the (last) Body holds: the decoded body element, or the error that stopped its decoding
 * (reported only once the whole message has been read), a Fault, or another element.
 */
type BodyOutcome = { value: Record<string, unknown> | DecodeError } | { fault: SoapFaultError } | { found: string };

class EnvelopeDecoder {
  private readonly plan: Plan;
  private readonly index: SchemaIndex;
  private readonly operation: string;
  private readonly r: XmlReader;
  private readonly frames: Frame[] = [new Frame()];
  /** Top frame index. */
  private sp = 0;
  /** The path prefix of the element being decoded ('' for the body, 'Header' for header blocks). */
  private prefix = '';
  /** Elements the schema does not declare are errors (unknownElements: 'error'). */
  private readonly strict: boolean;
  /**
   * Set by decodeRequestOf only (a server reading a request before it knows the operation):
   * called at the Body's first element (unless a Fault) with its name and the envelope's
   * version; the message it returns is the one decoded, body and headers. `picked` keeps it.
   */
  pick: ((ns: string, local: string, version: SoapVersion) => MessageDesc | undefined) | undefined = undefined;
  private picked: MessageDesc | undefined = undefined;

  constructor(index: SchemaIndex, operation: string, xml: string, maxDepth: number | undefined, strict: boolean) {
    this.index = index;
    this.plan = planOf(index);
    this.operation = operation;
    this.strict = strict;
    // Characters XML does not allow are found as the text is read (one pass over the message).
    this.r = new XmlReader(xml, maxDepth !== undefined ? { maxDepth } : undefined, true);
  }

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
    if (body.value instanceof DecodeError) throw body.value;
    const out: Record<string, unknown> = {};
    for (const f of msg.headers) {
      const h = headers.get(f);
      if (h === undefined) continue;
      if (h.value instanceof DecodeError) throw h.value;
      out[f.name] = h.value;
    }
    return { body: body.value, headers: out };
  }

  /** After Body's start tag: reads through its end tag; what its first element is. */
  private body(msg: MessageDesc, envNs: string, version: SoapVersion): BodyOutcome | undefined {
    const r = this.r;
    let result: BodyOutcome | undefined;
    for (let ev = r.next(); ev !== XML_END; ev = r.next()) {
      if (ev !== XML_START) continue;
      if (result === undefined && this.pick !== undefined && !(r.name.local === 'Fault' && r.ns === envNs)) {
        this.picked = this.pick(r.ns, r.name.local, version); // decodeRequestOf: this element names the message
        if (this.picked !== undefined) msg = this.picked;
      }
      if (result !== undefined) {
        r.skipElement(); // only the first element in Body counts
      } else if (r.name.local === 'Fault' && r.ns === envNs) {
        result = { fault: readFaultFrom(r, version, this.operation) };
      } else if (r.name.local === msg.body.name && r.ns === this.index.namespace(msg.body.ns)) {
        this.prefix = '';
        // The body element's own attributes (xsi:nil, xsi:type) are not read: it is the operation's wrapper.
        result = { value: this.decodeElement(this.plan.slot(msg.body), true) as Record<string, unknown> | DecodeError };
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
    this.prefix = 'Header';
    headers.set(field, { value: this.decodeElement(this.plan.slot(field), false), inHeader });
  }

  /** Reads the rest of the document, which the reader checks: a well-formedness error anywhere wins. */
  private finish(): void {
    const r = this.r;
    while (r.next() !== XML_EOF) {
      // nothing: the events after the point of interest are only checked
    }
  }

  /** The error `message` at the element of frame `depth` (or a child of it named `child`). */
  private fail(message: string, depth: number, child?: string, childIndex = -1, offset?: number): never {
    const parts: string[] = this.prefix ? [this.prefix] : [];
    for (let i = 0; i <= depth; i++) {
      const f = this.frames[i] as Frame;
      parts.push(f.index >= 0 ? `${f.name}[${f.index}]` : f.name);
    }
    if (child !== undefined) parts.push(childIndex >= 0 ? `${child}[${childIndex}]` : child);
    const at = this.r.lineColumn(offset ?? (this.frames[depth] as Frame).start);
    throw new DecodeError(message, parts.join('/'), this.operation, at);
  }

  /**
   * At the start tag of an element of `slot` (the body wrapper when `wrapper`): its value, or the
   * DecodeError that stopped it; reads through its end tag either way.
   */
  private decodeElement(slot: Slot, wrapper: boolean): unknown {
    const r = this.r;
    const depth = r.depth;
    this.sp = 0;
    try {
      const fr = this.frames[0] as Frame;
      fr.name = slot.field.name;
      fr.index = -1;
      if (wrapper) this.openComplex(fr, slot, this.plan.complex(slot.field.type), undefined);
      else this.open(fr, slot);
      return this.run();
    } catch (err) {
      if (!(err instanceof DecodeError)) throw err;
      // Read through the element's end tag (the reader's depth drops below the element's only
      // there); the reader still checks everything in it.
      while (r.depth >= depth) r.next();
      return err;
    }
  }

  /** Reads events until the element of frame 0 ends; its value. */
  private run(): unknown {
    const r = this.r;
    const src = r.src;
    const frames = this.frames;
    let top = frames[this.sp] as Frame;
    for (;;) {
      const ev = r.next();
      if (ev === XML_TEXT) {
        if (top.kind >= F_SCALAR) addText(top, r);
        continue;
      }
      if (ev === XML_START) {
        const child = this.childSlot(top);
        if (child === null) {
          if (this.strict) this.unknown();
          r.skipElement(); // an element the schema does not have here: forward compatible
          continue;
        }
        if (++this.sp === frames.length) frames.push(new Frame());
        const fr = frames[this.sp] as Frame;
        fr.name = child.field.name;
        fr.index = this.childIndex(top, child);
        if (top.kind === F_DICT) this.openEntry(fr, child, top.dict as DictDesc);
        else this.open(fr, child);
        top = fr;
        continue;
      }
      if (ev !== XML_END) throw new Error('internal: the XML reader ended inside an element');

      // The end of the innermost open element: its value, delivered to its parent.
      const value = this.close(top, src);
      if (this.sp === 0) return value;
      const slot = top.slot as Slot;
      top = frames[--this.sp] as Frame;
      deliver(top, slot, value);
    }
  }

  /**
   * At a child's start tag: the slot the child fills in `top`, or null when it is skipped. Errors
   * for a child that may not be there.
   */
  private childSlot(top: Frame): Slot | null {
    const r = this.r;
    const sp = this.sp;
    switch (top.kind) {
      case F_COMPLEX: {
        const s = (top.complex as ComplexPlan).slots.get(r.name.local);
        if (s === undefined || s.ns !== r.ns) return null;
        const f = s.field;
        if (!f.repeated && Object.prototype.hasOwnProperty.call(top.out, f.name)) this.fail(`${f.name} occurs more than once`, sp, f.name, -1, r.start);
        return s;
      }
      case F_ARRAY: {
        const item = top.item as Slot;
        if (r.name.local !== item.field.name) return null;
        if (r.ns !== item.ns) {
          // An item in the wrong namespace is a peer's bug; skipping it would lose data silently.
          this.fail(`array item ${item.field.name} is in namespace "${r.ns}", expected "${item.ns}"`, sp, item.field.name, top.items.length, r.start);
        }
        return item;
      }
      case F_DICT: {
        const entry = this.plan.slot((top.dict as DictDesc).entry);
        return r.name.local === entry.field.name && r.ns === entry.ns ? entry : null;
      }
      case F_ENTRY: {
        const dict = top.dict as DictDesc;
        const key = this.plan.slot(dict.key);
        if (r.name.local === 'Key' && r.ns === key.ns) return key;
        const value = this.plan.slot(dict.value);
        if (r.name.local === 'Value' && r.ns === value.ns) return value;
        return null;
      }
      case F_SIMPLE:
        return null; // elements inside a simple value are ignored, with their text
      case F_SCALAR:
        return this.fail(`expected text (xs:${top.scalar}), found element ${r.name.local}`, sp, undefined, -1, r.start);
      case F_NIL:
        return this.fail('an element with xsi:nil="true" must be empty', sp);
      default: // F_TEXT
        return this.fail('an xs:anyType value with elements needs an xsi:type', sp);
    }
  }

  /** In strict mode: the error for the element at the reader's start tag, which the schema does not declare inside `top`'s. */
  private unknown(): never {
    const r = this.r;
    const where = r.ns === '' ? 'in no namespace' : `in namespace "${r.ns}"`;
    return this.fail(`unknown element ${r.name.local} ${where}: the schema does not declare it here (unknownElements: 'error')`, this.sp, r.name.local, -1, r.start);
  }

  /** The index of a new child in its parent's path: the position of a repeated field's or an array's item. */
  private childIndex(parent: Frame, child: Slot): number {
    if (parent.kind === F_ARRAY) return parent.items.length;
    if (parent.kind === F_DICT) return parent.count;
    if (parent.kind === F_COMPLEX && child.field.repeated) {
      const list = parent.out[child.field.name] as unknown[] | undefined;
      return list === undefined ? 0 : list.length;
    }
    return -1;
  }

  /** Sets up frame `fr` for the element at the reader's current start tag, of field `slot`. */
  private open(fr: Frame, slot: Slot): void {
    const r = this.r;
    fr.slot = slot;
    fr.start = r.start;
    fr.pieces = 0;
    const field = slot.field;

    // xsi:nil and xsi:type.
    let nil = false;
    let xsiType: string | undefined;
    if (r.plainAttrCount > 0) {
      for (let i = 0, n = r.attrCount; i < n; i++) {
        const local = r.attrName(i).local;
        if (local === 'nil' && r.attrNs(i) === XSI_NS) nil = isNilFlag(r.attrValue(i));
        else if (local === 'type' && r.attrNs(i) === XSI_NS) xsiType = r.attrValue(i);
      }
    }
    if (nil) {
      if (!field.nillable) this.fail(`xsi:nil on ${field.name}, which the schema does not allow to be nil`, this.sp);
      fr.kind = F_NIL;
      return;
    }
    switch (slot.kind) {
      case K_SCALAR:
        // A scalar's xsi:type can only restate the schema.
        fr.kind = F_SCALAR;
        fr.scalar = slot.scalar as ScalarKind;
        fr.fast = slot.fast;
        return;
      case K_COMPLEX: {
        // xsi:type may name a type derived from the declared one.
        const key = xsiType === undefined ? field.type : this.xsiType(r.scope, xsiType, field.type);
        this.openComplex(fr, slot, this.plan.complex(key), undefined);
        return;
      }
      case K_ARRAY:
        this.openArray(fr, slot.desc as ArrayDesc);
        return;
      case K_DICT:
        this.openDict(fr, slot.desc as DictDesc);
        return;
      case K_SIMPLE:
        fr.kind = F_SIMPLE;
        fr.simple = slot.desc as EnumDesc | ListDesc | RestrictedDesc;
        return;
      default:
        this.openAny(fr, slot, xsiType);
    }
  }

  private openComplex(fr: Frame, slot: Slot, plan: ComplexPlan, anyType: string | undefined): void {
    fr.kind = F_COMPLEX;
    fr.slot = slot;
    fr.start = this.r.start;
    fr.complex = plan;
    fr.out = {};
    fr.anyType = anyType;
  }

  private openArray(fr: Frame, array: ArrayDesc): void {
    fr.kind = F_ARRAY;
    fr.item = this.plan.slot(array.item);
    fr.items = [];
  }

  private openDict(fr: Frame, dict: DictDesc): void {
    fr.kind = F_DICT;
    fr.dict = dict;
    fr.count = 0;
    if (dict.record) fr.out = {};
    else fr.items = [];
  }

  private openEntry(fr: Frame, slot: Slot, dict: DictDesc): void {
    fr.kind = F_ENTRY;
    fr.slot = slot;
    fr.start = this.r.start;
    fr.dict = dict;
    fr.hasKey = fr.hasValue = false;
    fr.key = fr.value = undefined;
  }

  /** An xs:anyType element: what its xsi:type names (a scalar, or a type of this service), or text. */
  private openAny(fr: Frame, slot: Slot, xsiType: string | undefined): void {
    if (xsiType === undefined) {
      fr.kind = F_TEXT;
      return;
    }
    const key = this.xsiType(this.r.scope, xsiType, 'xs:anyType');
    const scalar = scalarKind(key);
    if (scalar !== undefined) {
      fr.kind = F_SCALAR;
      fr.scalar = scalar;
      fr.fast = fastScalarCode(scalar);
      return;
    }
    const desc = this.index.type(key);
    if (desc?.kind === 'complex') this.openComplex(fr, slot, this.plan.complex(key), key);
    else if (desc?.kind === 'array') this.openArray(fr, desc);
    else if (desc?.kind === 'dict') this.openDict(fr, desc);
    else this.fail(`internal: xsi:type ${key} is not a complex type`, this.sp);
  }

  /**
   * The type key an xsi:type value selects: for xs:anyType a scalar or any type of this service;
   * elsewhere a type derived from `declared`, or `declared` itself when it names anything else.
   */
  private xsiType(scope: NamespaceScope, value: string, declared: string): string {
    const index = this.index;
    const desc = index.type(declared);
    // The common case (WCF and SuperOffice's documentation annotate everything): xsi:type names the declared type.
    if (desc?.kind === 'complex') {
      const colon = value.indexOf(':');
      if (value.slice(colon + 1) === desc.name && scope.lookup(colon < 0 ? '' : value.slice(0, colon)) === index.namespace(desc.ns)) {
        return declared;
      }
    }
    const name = resolveQNameIn(scope, value.trim());
    if (!name) return this.fail(`xsi:type "${value}" uses an undeclared prefix`, this.sp);
    // On a complex type, an xsi:type naming anything but it or a type derived from it contradicts
    // the schema (WCF refuses it): reading on would drop the element's content silently.
    const contradicts = (): never =>
      this.fail(`xsi:type "${value}" contradicts the declared type ${desc?.kind === 'complex' ? desc.name : declared}`, this.sp);
    if (name.ns === XSD_NS) {
      // For anyType the scalar type comes from xsi:type; elsewhere it merely restates the schema.
      if (declared === 'xs:anyType') return `xs:${name.local === 'anyType' ? 'string' : name.local}`;
      return desc?.kind === 'complex' ? contradicts() : declared;
    }
    const key = index.complexByXmlName(name.ns, name.local);
    if (key === undefined) {
      if (declared === 'xs:anyType') return this.fail(`xsi:type "${value}" is not a type of this service`, this.sp);
      return desc?.kind === 'complex' ? contradicts() : declared;
    }
    if (declared === 'xs:anyType') return key;
    if (key === declared || (index.type(key)?.kind === 'complex' && desc?.kind === 'complex' && index.complexInfo(key).ancestry.has(declared))) return key;
    return desc?.kind === 'complex' ? contradicts() : declared;
  }

  /** At the end tag of frame `fr`'s element: its value. */
  private close(fr: Frame, src: string): unknown {
    const sp = this.sp;
    switch (fr.kind) {
      case F_COMPLEX: {
        const out = fr.out;
        const required = (fr.complex as ComplexPlan).required;
        for (let i = 0; i < required.length; i++) {
          const name = (required[i] as FieldDesc).name;
          if (!Object.prototype.hasOwnProperty.call(out, name)) this.fail(`the required element ${name} is missing`, sp);
        }
        // A value whose type the schema left open carries its type's name, so it can be written back.
        if (fr.anyType !== undefined) setProperty(out, '$type', fr.anyType);
        fr.out = NO_FIELDS;
        return out;
      }
      case F_ARRAY: {
        const items = fr.items;
        fr.items = NO_ITEMS;
        return items;
      }
      case F_DICT: {
        const dict = fr.dict as DictDesc;
        const value = dict.record ? fr.out : fr.items;
        fr.items = NO_ITEMS;
        fr.out = NO_FIELDS;
        return value;
      }
      case F_ENTRY: {
        const dict = fr.dict as DictDesc;
        if (!fr.hasKey) this.fail('a dictionary entry has no Key', sp);
        if (!fr.hasValue && !dict.value.nillable) this.fail('a dictionary entry has no Value', sp);
        if (dict.record && typeof fr.key !== 'string') this.fail('a dictionary key is nil', sp);
        const entry = { Key: fr.key, Value: fr.hasValue ? fr.value : null };
        fr.key = fr.value = undefined;
        return entry;
      }
      case F_SCALAR: {
        const value = fr.pieces === 1 && fr.raw ? parseScalarAt(fr.fast, src, fr.tStart, fr.tEnd) : undefined;
        return value !== undefined ? value : this.scalar(fr.scalar, textOf(fr, src), sp);
      }
      case F_SIMPLE:
        return this.simple(fr.simple as EnumDesc | ListDesc | RestrictedDesc, textOf(fr, src), sp);
      case F_NIL:
        if (fr.pieces > 0 && textOf(fr, src).trim() !== '') this.fail('an element with xsi:nil="true" must be empty', sp);
        return null;
      default: // F_TEXT
        return textOf(fr, src);
    }
  }

  private scalar(kind: ScalarKind, text: string, depth: number, item?: number): unknown {
    try {
      return parseScalar(kind, text);
    } catch (err) {
      if (err instanceof ScalarError) return this.fail(err.message, depth, item === undefined ? undefined : 'item', item ?? -1);
      throw err;
    }
  }

  /** The value of a simple-typed element (enumeration, xs:list, restriction) with text `raw`. */
  private simple(desc: EnumDesc | ListDesc | RestrictedDesc, raw: string, depth: number): unknown {
    switch (desc.kind) {
      case 'enum':
        return this.enumValue(desc, raw.trim(), depth);
      case 'list':
        return listItems(raw).map((item, i) => this.listItem(desc.item, item, depth, i));
      case 'restricted':
        return this.restricted(desc, raw, depth);
    }
  }

  private enumValue(desc: EnumDesc, text: string, depth: number, item?: number): string {
    const problem = enumProblem(desc.values, text);
    return problem === undefined ? text : this.fail(problem, depth, item === undefined ? undefined : 'item', item ?? -1);
  }

  private listItem(itemKey: string, text: string, depth: number, i: number): unknown {
    const kind = scalarKind(itemKey);
    if (kind) return this.scalar(kind, text, depth, i);
    const desc = this.index.type(itemKey);
    if (desc?.kind === 'enum') return this.enumValue(desc, text, depth, i);
    if (desc?.kind === 'restricted') return this.restricted(desc, text, depth, i);
    return this.fail(`internal: list item type ${itemKey} is not simple`, depth);
  }

  private restricted(desc: RestrictedDesc, raw: string, depth: number, item?: number): unknown {
    const kind = scalarKind(desc.base);
    if (!kind) return this.fail(`internal: restriction base ${desc.base} is not a scalar`, depth);
    const value = this.scalar(kind, raw, depth, item);
    const lexical = kind === 'string' ? raw : raw.trim();
    const problem = patternProblem(desc.patterns, lexical);
    return problem === undefined ? value : this.fail(problem, depth, item === undefined ? undefined : 'item', item ?? -1);
  }
}

/** Stores a child's value in its parent's frame. */
function deliver(parent: Frame, slot: Slot, value: unknown): void {
  switch (parent.kind) {
    case F_COMPLEX: {
      const f = slot.field;
      if (!f.repeated) setProperty(parent.out, f.name, value);
      else if (Object.prototype.hasOwnProperty.call(parent.out, f.name)) (parent.out[f.name] as unknown[]).push(value);
      else setProperty(parent.out, f.name, [value]);
      return;
    }
    case F_ARRAY:
      parent.items.push(value);
      return;
    case F_DICT: {
      const entry = value as { Key: unknown; Value: unknown };
      parent.count++;
      if ((parent.dict as DictDesc).record) setProperty(parent.out, entry.Key as string, entry.Value);
      else parent.items.push(entry);
      return;
    }
    default: {
      // F_ENTRY: Key or Value (the last of each counts).
      if (slot.field === (parent.dict as DictDesc).key) {
        parent.key = value;
        parent.hasKey = true;
      } else {
        parent.value = value;
        parent.hasValue = true;
      }
    }
  }
}

function addText(fr: Frame, r: XmlReader): void {
  if (fr.pieces === 0) {
    const decoded = r.textValue;
    if (decoded === null) {
      fr.raw = true;
      fr.tStart = r.textStart;
      fr.tEnd = r.textEnd;
    } else {
      fr.raw = false;
      fr.text = decoded;
    }
  } else {
    fr.text = textOf(fr, r.src) + r.text();
    fr.raw = false;
  }
  fr.pieces++;
}

function textOf(fr: Frame, src: string): string {
  return fr.pieces === 0 ? '' : fr.raw ? src.slice(fr.tStart, fr.tEnd) : fr.text;
}

// ---------------------------------------------------------------------------------------------

/**
 * One decoder kept alive for the life of the module, with its reader, names, scopes and frames.
 * Optimized code relies on the hidden classes (V8's "maps") of the objects it handles; a full
 * garbage collection drops the maps that no live object has any more — between two messages,
 * every per-message class — and with them the optimized code, so the next message was decoded by
 * unoptimized code, about three times slower. Keeping one instance of each alive keeps the maps
 * and the code. It matters in a long-running process where a full GC runs between calls (a service
 * that calls SuperOffice now and then); back-to-back decodes show no difference.
 * Bench: the `tricks` case, row trick-keep-alive.
 */
export const KEEP_ALIVE: unknown = keepDecoderAlive();

function keepDecoderAlive(): unknown {
  const schema: SchemaDesc = {
    namespaces: ['urn:k'],
    types: {
      K: { kind: 'complex', name: 'K', ns: 0, fields: [field('s', 0, 'xs:string', 'optional nillable'), field('i', 0, 'xs:int', 'optional repeated'), field('a', 0, 'A', 'optional nillable'), field('e', 0, 'E', 'optional')] },
      A: { kind: 'array', name: 'A', ns: 0, item: field('K', 0, 'K', 'nillable') },
      E: { kind: 'enum', values: ['x'] },
    },
  };
  const msg: MessageDesc = { body: field('K', 0, 'K'), headers: [field('K', 0, 'K', 'optional')] };
  const xml =
    '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">' +
    '<s:Header><K xmlns="urn:k"><s>h</s></K></s:Header><s:Body><K xmlns="urn:k"><s>t &amp; t</s><i>1</i><i>2</i>' +
    '<a><K i:nil="true"/><K><e>x</e></K></a></K></s:Body></s:Envelope>';
  const decoder = new EnvelopeDecoder(schemaIndex(schema), 'KeepAlive', xml, undefined, false);
  return [decoder, decoder.decode(msg, undefined)];
}

/** Whether an xsi:nil attribute value says "nil". */
export function isNilFlag(value: string): boolean {
  const flag = value.trim();
  return flag === 'true' || flag === '1';
}

/** Sets a property without ever touching the prototype (a key "__proto__" from a server is data). */
export function setProperty(obj: Record<string, unknown>, key: string, value: unknown): unknown {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
  return value;
}

// ---------------------------------------------------------------------------------------------
// A request whose operation is known by its body element only (the mock server): read once, by
// the same decoder, which chooses the message as it meets the Body's first element.

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
  const set = requestSetOf(index, messages);
  const decoder = new EnvelopeDecoder(index, '', xml, options?.maxDepth, options?.unknownElements === 'error');
  let met: { version: SoapVersion; element: string } | undefined;
  decoder.pick = (ns, local, version) => {
    met = { version, element: `{${ns}}${local}` };
    return set.byElement.get(met.element);
  };
  const otherwise = options?.otherwise;
  let decoded: DecodedMessage | DecodeError;
  try {
    decoded = decoder.decode({ body: otherwise?.body ?? NO_ELEMENT, headers: set.headers }, undefined);
  } catch (err) {
    if (err instanceof XmlSyntaxError) throw new DecodeError(`the message is not well-formed XML: ${err.message}`, '', undefined); // as decodeEnvelope
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
