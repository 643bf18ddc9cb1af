// Streaming decoding of a whole SOAP envelope: the XML reader's events go straight into a stack
// of typed frames driven by the schema metadata, so no tree is built for the body.
//
// The tree decoder (decode.ts over parseXml) stays the reference: this is only a faster way to
// the same values. It never reports an error itself. Whenever anything is not exactly as expected
// (a well-formedness error, a value the schema does not allow, a Fault, a structure it does not
// stream) it gives up, returning undefined, and the caller decodes the message with the tree
// decoder, which then produces the result or the error. So a decoding error costs a second pass,
// and the streaming path has one duty: for every message the tree decoder accepts, either the same
// value, or giving up; and never a value where the tree decoder fails.
//
// What is streamed: complex types (including an xsi:type naming a derived type), WCF arrays,
// built-in scalars, enumerations, xs:list, restrictions and xsi:nil. Header blocks, xs:anyType
// values and dictionaries are read into small trees and decoded by the tree decoder.
import { isNilFlag, setProperty, type Decoder } from './decode.js';
import { SOAP11_NS, SOAP12_NS } from './envelope.js';
import { parseScalar, parseScalarAt } from './scalars.js';
import type { ArrayDesc, ComplexDesc, EnumDesc, ListDesc, MessageDesc, RestrictedDesc } from './schema.js';
import {
  SLOT_ARRAY,
  SLOT_COMPLEX,
  SLOT_SCALAR,
  SLOT_SIMPLE,
  XSI_NS,
  type ComplexInfo,
  type FieldSlot,
  type Path,
  type SchemaIndex,
} from './schema-index.js';
import { readElement, XML_END, XML_EOF, XML_START, XML_TEXT, XmlReader, type XmlElement, type XmlName } from './xml.js';

/** Thrown inside this module to give up; never escapes it. */
const GIVE_UP: unknown = Object.freeze({ giveUp: true });

/** The tree decoder's errors are never shown from here, so its paths need no detail. */
const NO_PATH: Path = { parent: undefined, name: '', index: -1 };

// Frame kinds.
const F_COMPLEX = 0;
const F_ARRAY = 1;
const F_SCALAR = 2;
const F_SIMPLE = 3;
const F_NIL = 4;

const NO_FIELDS: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;
const NO_ITEMS: unknown[] = Object.freeze([]) as unknown as unknown[];

/** One open element. Frames are reused from one element to the next at the same depth. */
class Frame {
  kind = F_COMPLEX;
  /** What this element is in its parent (null for the body element). */
  slot: FieldSlot | null = null;
  /** F_COMPLEX: the type's fields, and the value being filled. */
  info: ComplexInfo | null = null;
  out: Record<string, unknown> = NO_FIELDS;
  /** F_ARRAY: the item field, the array type (the key of the per-name cache), and the items. */
  item: FieldSlot | null = null;
  array: ArrayDesc | null = null;
  items: unknown[] = NO_ITEMS;
  /** F_SCALAR, F_SIMPLE, F_NIL: the text so far; while `raw`, it is src[tStart, tEnd). */
  pieces = 0;
  raw = false;
  tStart = 0;
  tEnd = 0;
  text = '';
}

/** One live Frame and Decoder keep their hidden classes, and the code using them, alive (see KEEP_ALIVE in xml.ts). */
const keepAlive: { frame: Frame; decoder: Decoder | undefined } = { frame: new Frame(), decoder: undefined };

/**
 * Decodes a request or response envelope for message `msg`, as the tree decoder would; undefined
 * when this path gives up (see above), and then only the tree decoder can say what is wrong.
 */
export function decodeStreaming(
  index: SchemaIndex,
  decoder: Decoder,
  msg: MessageDesc,
  xml: string,
  maxDepth: number | undefined,
): { body: Record<string, unknown>; headers: Record<string, unknown> } | undefined {
  keepAlive.decoder ??= decoder;
  try {
    return decodeEnvelope(index, decoder, msg, xml, maxDepth);
  } catch {
    return undefined;
  }
}

function decodeEnvelope(
  index: SchemaIndex,
  decoder: Decoder,
  msg: MessageDesc,
  xml: string,
  maxDepth: number | undefined,
): { body: Record<string, unknown>; headers: Record<string, unknown> } {
  // Characters are checked as read: any error only means giving up, so which one comes first does not matter.
  const r = new XmlReader(xml, maxDepth !== undefined ? { maxDepth } : undefined, true);
  if (r.next() !== XML_START) throw GIVE_UP;
  const envNs = r.ns;
  const rootName: XmlName = r.name;
  if (rootName.local !== 'Envelope' || (envNs !== SOAP11_NS && envNs !== SOAP12_NS)) throw GIVE_UP;
  // Header blocks as readEnvelope orders them: children of Header, then other children of Envelope.
  const inHeader: XmlElement[] = [];
  const direct: XmlElement[] = [];
  let body: Record<string, unknown> | undefined;
  for (let ev = r.next(); ev !== XML_END; ev = r.next()) {
    if (ev === XML_EOF) throw GIVE_UP; // (the reader reports an unclosed element first)
    if (ev !== XML_START) continue; // text between the envelope's children
    const local = r.name.local;
    if (local === 'Header' && r.ns === envNs) {
      for (let e = r.next(); e !== XML_END; e = r.next()) {
        if (e === XML_START) inHeader.push(readElement(r));
        else if (e === XML_EOF) throw GIVE_UP;
      }
    } else if (local === 'Body' && r.ns === envNs) {
      if (body !== undefined) throw GIVE_UP; // a second Body: readEnvelope takes the last one
      body = decodeBody(r, index, decoder, msg);
    } else {
      direct.push(readElement(r));
    }
  }
  if (r.next() !== XML_EOF || body === undefined) throw GIVE_UP;
  const blocks = direct.length > 0 ? inHeader.concat(direct) : inHeader;
  return { body, headers: decoder.headers(msg.headers, blocks) };
}

/** After Body's XML_START: the first element in it, decoded; reads through Body's end tag. */
function decodeBody(r: XmlReader, index: SchemaIndex, decoder: Decoder, msg: MessageDesc): Record<string, unknown> {
  const field = msg.body;
  let value: Record<string, unknown> | undefined;
  for (let ev = r.next(); ev !== XML_END; ev = r.next()) {
    if (ev === XML_EOF) throw GIVE_UP;
    if (ev !== XML_START) continue;
    if (value !== undefined) {
      r.skipElement(); // only the first element in Body counts
      continue;
    }
    // Not the expected element (a Fault, in the envelope's namespace, never is): the tree decoder says what it is.
    if (r.name.local !== field.name || r.ns !== index.namespace(field.ns)) throw GIVE_UP;
    value = decodeComplex(r, index, decoder, index.complexInfo(field.type));
  }
  if (value === undefined) throw GIVE_UP;
  return value;
}

/** The slot of a child element `name` in namespace `ns` of complex type `info`, or null (unknown: skipped). */
function complexSlot(info: ComplexInfo, name: XmlName, ns: string): FieldSlot | null {
  if (name.cacheOwner === info && name.cacheUri === ns) return name.cacheValue as FieldSlot | null;
  const s = info.byName.get(name.local);
  const slot = s !== undefined && s.ns === ns ? s : null;
  name.cacheOwner = info;
  name.cacheUri = ns;
  name.cacheValue = slot;
  return slot;
}

/** For a child element of an array: 1 = an item, 0 = something else (skipped), 2 = an item in a wrong namespace. */
function arrayMatch(array: ArrayDesc, item: FieldSlot, name: XmlName, ns: string): number {
  if (name.cacheOwner === array && name.cacheUri === ns) return name.cacheValue as number;
  const m = name.local !== item.field.name ? 0 : ns !== item.ns ? 2 : 1;
  name.cacheOwner = array;
  name.cacheUri = ns;
  name.cacheValue = m;
  return m;
}

/**
 * After the XML_START of an element of complex type `info` (read as Decoder.complex reads it:
 * no xsi:nil or xsi:type of its own): its value; reads through its end tag.
 */
function decodeComplex(r: XmlReader, index: SchemaIndex, decoder: Decoder, info: ComplexInfo): Record<string, unknown> {
  const src = r.src;
  const frames: Frame[] = [new Frame()];
  let sp = 0;
  let top = frames[0] as Frame;
  top.info = info;
  top.out = {};
  for (;;) {
    const ev = r.next();
    if (ev === XML_TEXT) {
      if (top.kind >= F_SCALAR) addText(top, r);
      continue;
    }
    if (ev === XML_START) {
      // Which field is this element?
      let slot: FieldSlot;
      const kind = top.kind;
      if (kind === F_COMPLEX) {
        const s = complexSlot(top.info as ComplexInfo, r.name, r.ns);
        if (s === null) {
          if (decoder.strict) throw GIVE_UP; // the tree decoder names it
          r.skipElement(); // unknown element: forward compatible
          continue;
        }
        const f = s.field;
        const out = top.out;
        if (f.repeated) {
          if (!Object.prototype.hasOwnProperty.call(out, f.name)) setProperty(out, f.name, []);
        } else if (Object.prototype.hasOwnProperty.call(out, f.name)) {
          throw GIVE_UP; // occurs more than once
        }
        slot = s;
      } else if (kind === F_ARRAY) {
        const item = top.item as FieldSlot;
        const m = arrayMatch(top.array as ArrayDesc, item, r.name, r.ns);
        if (m === 0) {
          if (decoder.strict) throw GIVE_UP;
          r.skipElement();
          continue;
        }
        if (m === 2) throw GIVE_UP;
        slot = item;
      } else if (kind === F_SIMPLE) {
        if (decoder.strict) throw GIVE_UP;
        r.skipElement(); // elements inside a simple value are ignored (their text too)
        continue;
      } else {
        throw GIVE_UP; // an element inside a scalar or a nil
      }

      // xsi:nil and xsi:type.
      let nil = false;
      let xsiType = -1;
      if (r.plainAttrCount > 0) {
        for (let i = 0, n = r.attrCount; i < n; i++) {
          const local = r.attrName(i).local;
          if (local === 'type') {
            if (r.attrNs(i) === XSI_NS) xsiType = i;
          } else if (local === 'nil') {
            if (r.attrNs(i) === XSI_NS && isNilFlag(r.attrValue(i))) nil = true;
          }
        }
      }
      const mode = slot.mode;
      if (mode > SLOT_SIMPLE) {
        // xs:anyType, dictionaries: a small tree, decoded as the tree decoder does.
        deliver(top, slot, decoder.element(readElement(r), slot.field, NO_PATH));
        continue;
      }

      // Open a frame for it.
      if (++sp === frames.length) frames.push(new Frame());
      const fr = frames[sp] as Frame;
      fr.slot = slot;
      if (nil) {
        if (!slot.field.nillable) throw GIVE_UP;
        fr.kind = F_NIL;
        fr.pieces = 0;
      } else if (mode === SLOT_SCALAR) {
        fr.kind = F_SCALAR;
        fr.pieces = 0;
      } else if (mode === SLOT_COMPLEX) {
        fr.kind = F_COMPLEX;
        fr.info = index.complexInfo(xsiType < 0 ? slot.field.type : xsiTypeKey(r, index, decoder, slot, xsiType));
        fr.out = {};
      } else if (mode === SLOT_ARRAY) {
        const array = slot.desc as ArrayDesc;
        fr.kind = F_ARRAY;
        fr.array = array;
        fr.item = index.slot(array.item);
        fr.items = [];
      } else {
        fr.kind = F_SIMPLE;
        fr.pieces = 0;
      }
      top = fr;
      continue;
    }
    if (ev !== XML_END) throw GIVE_UP;

    // The end of the innermost open element: its value.
    let value: unknown;
    switch (top.kind) {
      case F_COMPLEX: {
        const out = top.out;
        const required = (top.info as ComplexInfo).required;
        for (let i = 0; i < required.length; i++) {
          if (!Object.prototype.hasOwnProperty.call(out, required[i]!.name)) throw GIVE_UP;
        }
        value = out;
        top.out = NO_FIELDS;
        break;
      }
      case F_ARRAY:
        value = top.items;
        top.items = NO_ITEMS;
        break;
      case F_SCALAR: {
        const slot = top.slot as FieldSlot;
        value = top.pieces === 1 && top.raw ? parseScalarAt(slot.fast, src, top.tStart, top.tEnd) : undefined;
        if (value === undefined) value = parseScalar(slot.scalar!, textOf(top, src));
        break;
      }
      case F_SIMPLE:
        value = decoder.simple((top.slot as FieldSlot).desc as EnumDesc | ListDesc | RestrictedDesc, textOf(top, src), NO_PATH);
        break;
      default: // F_NIL
        if (top.pieces > 0 && textOf(top, src).trim() !== '') throw GIVE_UP;
        value = null;
    }
    if (sp === 0) return value as Record<string, unknown>;
    const slot = top.slot as FieldSlot;
    top = frames[--sp] as Frame;
    deliver(top, slot, value);
  }
}

/** Stores a child's value in its parent (a complex value or an array). */
function deliver(parent: Frame, slot: FieldSlot, value: unknown): void {
  if (parent.kind === F_COMPLEX) {
    const f = slot.field;
    if (f.repeated) (parent.out[f.name] as unknown[]).push(value);
    else setProperty(parent.out, f.name, value);
  } else {
    parent.items.push(value);
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

/**
 * The complex type an element of complex field `slot` has, given its xsi:type (attribute `i`).
 * The common case, xsi:type naming the declared type with the element's own prefix, is checked in
 * place; anything else goes through the tree decoder's resolution.
 */
function xsiTypeKey(r: XmlReader, index: SchemaIndex, decoder: Decoder, slot: FieldSlot, i: number): string {
  const declared = slot.field.type;
  const desc = slot.desc as ComplexDesc;
  if (r.attrValueIsRaw(i)) {
    const src = r.src;
    const prefix = r.name.prefix;
    let p = r.attrValueStart(i);
    const end = r.attrValueEnd(i);
    const ok = prefix === '' || (src.startsWith(prefix, p) && src.charCodeAt(p + prefix.length) === 58);
    if (ok) {
      if (prefix !== '') p += prefix.length + 1;
      // The prefix is the element's own, so it resolves to the element's namespace.
      if (end - p === desc.name.length && src.startsWith(desc.name, p) && r.ns === index.namespace(desc.ns)) return declared;
    }
  }
  return decoder.resolveXsiType(r.scope, r.attrValue(i), declared, NO_PATH);
}
