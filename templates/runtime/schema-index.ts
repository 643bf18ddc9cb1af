// Precomputed views of a SchemaDesc that the encoder and decoder share: each complex type's
// full field list (base fields first), its required fields, namespace prefixes,
// and which types derive from which (for xsi:type). Built once per schema, on first use.
import type { ComplexDesc, FieldDesc, SchemaDesc, ScalarKind, TypeDesc } from './schema.js';

export const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';
export const XSD_NS = 'http://www.w3.org/2001/XMLSchema';

export interface ComplexInfo {
  readonly key: string;
  readonly desc: ComplexDesc;
  /** Base fields first, in schema order: the order elements are written in. */
  readonly fields: readonly FieldDesc[];
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
    info = { key, desc, fields, ancestry, required: fields.filter((f) => !f.optional) };
    this.complex.set(key, info);
    return info;
  }

  /** The key of the complex, array or dictionary type of this schema named {`ns`}`local`, if any (for xsiType). */
  private complexByXmlName(ns: string, local: string): string | undefined {
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

  /**
   * The type key an xsi:type naming {`ns`}`local` selects on an element declared of type
   * `declared`: for xs:anyType a scalar (`xs:…`) or any type of this schema; elsewhere a type
   * derived from `declared`, or `declared` itself when it is not complex (xsi:type then merely
   * restates it). Undefined when xsi:type contradicts a complex `declared`, or names no type of
   * this schema for xs:anyType.
   */
  xsiType(ns: string, local: string, declared: string): string | undefined {
    const complex = this.type(declared)?.kind === 'complex';
    if (ns === XSD_NS) {
      if (declared === 'xs:anyType') return `xs:${local === 'anyType' ? 'string' : local}`;
      return complex ? undefined : declared;
    }
    const key = this.complexByXmlName(ns, local);
    if (declared === 'xs:anyType') return key;
    if (key !== undefined && (key === declared || (complex && this.type(key)?.kind === 'complex' && this.complexInfo(key).ancestry.has(declared)))) return key;
    return complex ? undefined : declared;
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
