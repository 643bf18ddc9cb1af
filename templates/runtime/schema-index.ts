// Precomputed views of a SchemaDesc that the encoder and decoder share: each complex type's
// full field list (base fields first), a name → field lookup for decoding, namespace prefixes,
// and which types derive from which (for xsi:type). Built once per schema, on first use.
import { fastScalarCode } from './scalars.js';
import type { ComplexDesc, FieldDesc, SchemaDesc, ScalarKind, TypeDesc } from './schema.js';

export const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';
export const XSD_NS = 'http://www.w3.org/2001/XMLSchema';

/** A field with what decoding needs at hand: its namespace URI and, for scalars, the scalar kind. */
export interface FieldSlot {
  readonly field: FieldDesc;
  readonly ns: string;
  readonly scalar: ScalarKind | undefined;
  /** The description of the field's type (undefined for built-in scalars and xs:anyType). */
  readonly desc: TypeDesc | undefined;
  /** How the streaming decoder reads the element: one of the SLOT_* constants. */
  readonly mode: number;
  /** For scalars: parseScalarAt's code (0: no fast path). */
  readonly fast: number;
}

/** Slot modes. A built-in scalar: text only. */
export const SLOT_SCALAR = 0;
/** A complex type (an xsi:type may name a derived one). */
export const SLOT_COMPLEX = 1;
/** A WCF ArrayOfX wrapper. */
export const SLOT_ARRAY = 2;
/** An enumeration, xs:list or restriction: the element's own text. */
export const SLOT_SIMPLE = 3;
/** Anything else (xs:anyType, dictionaries): read into a small tree and decoded from it. */
export const SLOT_TREE = 4;

export interface ComplexInfo {
  readonly key: string;
  readonly desc: ComplexDesc;
  /** Base fields first, in schema order: the order elements are written in. */
  readonly fields: readonly FieldDesc[];
  /** Local name → field (an element is matched by local name, then by namespace). */
  readonly byName: ReadonlyMap<string, FieldSlot>;
  /** Keys of this type and all its bases. */
  readonly ancestry: ReadonlySet<string>;
  /** The fields that must occur (minOccurs ≥ 1), in `fields` order. */
  readonly required: readonly FieldDesc[];
}

export class SchemaIndex {
  readonly schema: SchemaDesc;
  /** Prefix used for each namespace index when writing (`ns0`, `ns1` …). */
  readonly prefixes: readonly string[];
  private readonly complex = new Map<string, ComplexInfo>();
  private byXmlName: Map<string, string> | undefined;
  private readonly slots = new Map<FieldDesc, FieldSlot>();

  constructor(schema: SchemaDesc) {
    this.schema = schema;
    this.prefixes = schema.namespaces.map((_, i) => `ns${i}`);
  }

  type(key: string): TypeDesc | undefined {
    return Object.prototype.hasOwnProperty.call(this.schema.types, key) ? this.schema.types[key] : undefined;
  }

  namespace(index: number): string {
    return index < 0 ? '' : this.schema.namespaces[index]!;
  }

  /** `ns0:Name`, or `Name` for unqualified elements. */
  tag(field: FieldDesc): string {
    return field.ns < 0 ? field.name : `${this.prefixes[field.ns]}:${field.name}`;
  }

  complexInfo(key: string): ComplexInfo {
    let info = this.complex.get(key);
    if (info) return info;
    const desc = this.type(key);
    if (!desc || desc.kind !== 'complex') throw new Error(`internal: ${key} is not a complex type`);
    const chain: ComplexDesc[] = [];
    const ancestry = new Set<string>();
    for (let k: string | undefined = key; k !== undefined; ) {
      const d = this.type(k);
      if (!d || d.kind !== 'complex' || ancestry.has(k)) throw new Error(`internal: bad base chain at ${k}`);
      ancestry.add(k);
      chain.unshift(d);
      k = d.base;
    }
    const fields = chain.flatMap((d) => d.fields);
    const byName = new Map(fields.map((f) => [f.name, this.slot(f)]));
    info = { key, desc, fields, byName, ancestry, required: fields.filter((f) => !f.optional) };
    this.complex.set(key, info);
    return info;
  }

  /** The slot of any field (of a complex type, an array's item, a dictionary's key or value). */
  slot(field: FieldDesc): FieldSlot {
    let slot = this.slots.get(field);
    if (slot) return slot;
    const scalar = scalarKind(field.type);
    const desc = scalar === undefined ? this.type(field.type) : undefined;
    let mode = SLOT_TREE;
    if (scalar !== undefined) mode = SLOT_SCALAR;
    else if (desc?.kind === 'complex') mode = SLOT_COMPLEX;
    else if (desc?.kind === 'array') mode = SLOT_ARRAY;
    else if (desc?.kind === 'enum' || desc?.kind === 'list' || desc?.kind === 'restricted') mode = SLOT_SIMPLE;
    slot = { field, ns: this.namespace(field.ns), scalar, desc, mode, fast: scalar === undefined ? 0 : fastScalarCode(scalar) };
    this.slots.set(field, slot);
    return slot;
  }

  /** The type key for an xsi:type naming a complex type of this schema, if any. */
  complexByXmlName(ns: string, local: string): string | undefined {
    if (!this.byXmlName) {
      this.byXmlName = new Map();
      for (const [key, t] of Object.entries(this.schema.types)) {
        if (t.kind === 'complex' || t.kind === 'array' || t.kind === 'dict') {
          this.byXmlName.set(`{${this.namespace(t.ns)}}${t.name}`, key);
        }
      }
    }
    return this.byXmlName.get(`{${ns}}${local}`);
  }
}

const indexes = new WeakMap<SchemaDesc, SchemaIndex>();

export function schemaIndex(schema: SchemaDesc): SchemaIndex {
  let index = indexes.get(schema);
  if (!index) {
    index = new SchemaIndex(schema);
    indexes.set(schema, index);
  }
  return index;
}

/** `xs:int` → `int`; undefined for keys that are not built-in scalars. */
export function scalarKind(typeKey: string): ScalarKind | undefined {
  return typeKey.startsWith('xs:') && typeKey !== 'xs:anyType' ? (typeKey.slice(3) as ScalarKind) : undefined;
}

/** Element path segments, built only when an error needs them. */
export interface Path {
  readonly parent: Path | undefined;
  readonly name: string;
  readonly index: number;
}

export function pathString(path: Path | undefined): string {
  const parts: string[] = [];
  for (let p = path; p; p = p.parent) parts.push(p.index >= 0 ? `${p.name}[${p.index}]` : p.name);
  return parts.reverse().join('/');
}
