// Parsed XML → typed values, driven by the schema metadata. Namespace-aware (prefixes never
// matter), strict about values (a bad number, an unknown enum value or a nil where the schema
// forbids one is a DecodeError naming the element path), lenient about structure the schema
// does not know by default (unknown elements are skipped, so a newer server that adds fields does
// not break an older client), or strict about it: with unknownElements 'error', an element the
// schema does not declare is a DecodeError naming its path (for tests, and for the mock, which
// checks what clients send).
import { DecodeError } from './errors.js';
import { compiledPattern } from './encode.js';
import { parseScalar, ScalarError } from './scalars.js';
import type { EnumDesc, FieldDesc, ListDesc, RestrictedDesc, ScalarKind } from './schema.js';
import { pathString, scalarKind, XSD_NS, XSI_NS, type Path, type SchemaIndex } from './schema-index.js';
import { attribute, resolveQNameIn, type NamespaceScope, type XmlElement } from './xml.js';

/** What decoding does with an element the schema does not declare: skip it, or refuse the message. */
export type UnknownElements = 'ignore' | 'error';

export class Decoder {
  private readonly index: SchemaIndex;
  private readonly operation: string | undefined;
  /** Unknown elements are DecodeErrors (unknownElements: 'error'). */
  readonly strict: boolean;

  constructor(index: SchemaIndex, operation?: string, unknownElements: UnknownElements = 'ignore') {
    this.index = index;
    this.operation = operation;
    this.strict = unknownElements === 'error';
  }

  /** In strict mode, the error for `child`, which the schema does not declare inside the element at `path`. */
  private unknown(child: XmlElement, path: Path): void {
    if (!this.strict) return;
    const where = child.ns === '' ? 'in no namespace' : `in namespace "${child.ns}"`;
    this.fail(`unknown element ${child.local} ${where}: the schema does not declare it here (unknownElements: 'error')`, {
      parent: path,
      name: child.local,
      index: -1,
    });
  }

  private fail(message: string, path: Path | undefined): never {
    throw new DecodeError(message, pathString(path), this.operation);
  }

  /** The value of one element of `field` (null for xsi:nil). */
  element(el: XmlElement, field: FieldDesc, path: Path): unknown {
    if (el.attrs.length > 0 && this.isNil(el, field, path)) return null;
    return this.typed(el, field.type, path);
  }

  /** True for xsi:nil="true" on an empty element of a nillable field; a DecodeError for other nils. */
  private isNil(el: XmlElement, field: FieldDesc, path: Path): boolean {
    const nil = attribute(el, XSI_NS, 'nil');
    if (nil === undefined || !isNilFlag(nil)) return false;
    if (!field.nillable) this.fail(`xsi:nil on ${field.name}, which the schema does not allow to be nil`, path);
    if (el.children.length > 0 || el.text.trim() !== '') this.fail('an element with xsi:nil="true" must be empty', path);
    return true;
  }

  /** Reads the children of `el` as the fields of complex type `typeKey` (also used for wrappers). */
  complex(el: XmlElement, typeKey: string, path: Path): Record<string, unknown> {
    const info = this.index.complexInfo(typeKey);
    const out: Record<string, unknown> = {};
    let counts: Map<FieldDesc, number> | undefined;
    for (const child of el.children) {
      const slot = info.byName.get(child.local);
      if (slot === undefined || slot.ns !== child.ns) {
        this.unknown(child, path); // else skipped: forward compatible
        continue;
      }
      const f = slot.field;
      if (f.repeated) {
        counts ??= new Map();
        const n = counts.get(f) ?? 0;
        counts.set(f, n + 1);
        const list = n === 0 ? (setProperty(out, f.name, []) as unknown[]) : (out[f.name] as unknown[]);
        list.push(this.element(child, f, { parent: path, name: f.name, index: n }));
        continue;
      }
      if (Object.prototype.hasOwnProperty.call(out, f.name)) this.fail(`${f.name} occurs more than once`, { parent: path, name: f.name, index: -1 });
      let value: unknown;
      if (slot.scalar !== undefined) {
        // The hot path: a scalar leaf. Its xsi:type (if any) can only restate the schema.
        if (child.attrs.length > 0 && this.isNil(child, f, { parent: path, name: f.name, index: -1 })) value = null;
        else value = this.scalar(child, slot.scalar, path, f.name);
      } else {
        value = this.element(child, f, { parent: path, name: f.name, index: -1 });
      }
      setProperty(out, f.name, value);
    }
    for (const f of info.fields) {
      if (!f.optional && !Object.prototype.hasOwnProperty.call(out, f.name)) {
        this.fail(`the required element ${f.name} is missing`, path);
      }
    }
    return out;
  }

  /** The values of the header fields from the header blocks (for each field, the first block of its name counts). */
  headers(fields: readonly FieldDesc[], blocks: readonly XmlElement[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const f of fields) {
      const ns = this.index.namespace(f.ns);
      const block = blocks.find((b) => b.local === f.name && b.ns === ns);
      if (block) out[f.name] = this.element(block, f, { parent: { parent: undefined, name: 'Header', index: -1 }, name: f.name, index: -1 });
    }
    return out;
  }

  private typed(el: XmlElement, declared: string, path: Path): unknown {
    let typeKey = declared;
    // xsi:type matters only where the schema leaves room: anyType, or a complex type with subtypes.
    if (el.attrs.length > 0 && (declared === 'xs:anyType' || this.index.type(declared)?.kind === 'complex')) {
      const xsiType = attribute(el, XSI_NS, 'type');
      if (xsiType !== undefined) typeKey = this.resolveXsiType(el.scope, xsiType, declared, path);
    }

    const kind = scalarKind(typeKey);
    if (kind) return this.scalar(el, kind, path, undefined);
    if (typeKey === 'xs:anyType') return el.children.length > 0 ? this.fail('an xs:anyType value with elements needs an xsi:type', path) : el.text;
    const desc = this.index.type(typeKey);
    if (!desc) return this.fail(`internal: unknown type ${typeKey}`, path);
    switch (desc.kind) {
      case 'complex': {
        const value = this.complex(el, typeKey, path);
        // A value whose type the schema left open carries its type's name, so it can be written back.
        if (declared === 'xs:anyType') setProperty(value, '$type', typeKey);
        return value;
      }
      case 'array': {
        const items: unknown[] = [];
        const item = desc.item;
        const ns = this.index.namespace(item.ns);
        for (const child of el.children) {
          if (child.local !== item.name) {
            this.unknown(child, path);
            continue;
          }
          if (child.ns !== ns) {
            // An item in the wrong namespace is a peer's bug; skipping it would lose data silently.
            return this.fail(`array item ${item.name} is in namespace "${child.ns}", expected "${ns}"`, { parent: path, name: item.name, index: items.length });
          }
          items.push(this.element(child, item, { parent: path, name: item.name, index: items.length }));
        }
        return items;
      }
      case 'dict': {
        const entryNs = this.index.namespace(desc.entry.ns);
        const keyNs = this.index.namespace(desc.key.ns);
        const valueNs = this.index.namespace(desc.value.ns);
        const record: Record<string, unknown> = {};
        const list: { Key: unknown; Value: unknown }[] = [];
        let i = 0;
        for (const entry of el.children) {
          if (entry.local !== desc.entry.name || entry.ns !== entryNs) {
            this.unknown(entry, path);
            continue;
          }
          const entryPath: Path = { parent: path, name: desc.entry.name, index: i++ };
          let keyEl: XmlElement | undefined;
          let valueEl: XmlElement | undefined;
          for (const c of entry.children) {
            if (c.local === 'Key' && c.ns === keyNs) keyEl = c;
            else if (c.local === 'Value' && c.ns === valueNs) valueEl = c;
            else this.unknown(c, entryPath);
          }
          if (!keyEl) return this.fail('a dictionary entry has no Key', entryPath);
          const key = this.element(keyEl, desc.key, { parent: entryPath, name: 'Key', index: -1 });
          const value = valueEl ? this.element(valueEl, desc.value, { parent: entryPath, name: 'Value', index: -1 }) : null;
          if (!valueEl && !desc.value.nillable) return this.fail('a dictionary entry has no Value', entryPath);
          if (desc.record) {
            if (typeof key !== 'string') return this.fail('a dictionary key is nil', entryPath);
            setProperty(record, key, value);
          } else list.push({ Key: key, Value: value });
        }
        return desc.record ? record : list;
      }
      case 'enum':
      case 'list':
      case 'restricted':
        if (el.children.length > 0) this.unknown(el.children[0] as XmlElement, path);
        return this.simple(desc, el.text, path);
    }
  }

  /** The value of a simple-typed element (enumeration, xs:list, restriction) with text `raw`. */
  simple(desc: EnumDesc | ListDesc | RestrictedDesc, raw: string, path: Path): unknown {
    switch (desc.kind) {
      case 'enum': {
        const text = raw.trim();
        if (!desc.values.includes(text)) return this.fail(`"${short(text)}" is not a known value (expected one of ${desc.values.join(', ')})`, path);
        return text;
      }
      case 'list': {
        const text = raw.trim();
        if (text === '') return [];
        return text.split(/[ \t\n\r]+/).map((item, i) => this.listItem(desc.item, item, { parent: path, name: 'item', index: i }));
      }
      case 'restricted':
        return this.restricted(desc.base, desc.patterns, raw, path);
    }
  }

  /**
   * The type key an xsi:type selects: a scalar for anyType, or a type derived from `declared`.
   * `scope` is the element's (for the xsi:type value's prefix).
   */
  resolveXsiType(scope: NamespaceScope, value: string, declared: string, path: Path): string {
    // The common case (WCF and SuperOffice's docs annotate everything): xsi:type names the declared type.
    const desc = this.index.type(declared);
    if (desc?.kind === 'complex') {
      const colon = value.indexOf(':');
      if (value.slice(colon + 1) === desc.name && scope.lookup(colon < 0 ? '' : value.slice(0, colon)) === this.index.namespace(desc.ns)) {
        return declared;
      }
    }
    const name = resolveQNameIn(scope, value.trim());
    if (!name) return this.fail(`xsi:type "${value}" uses an undeclared prefix`, path);
    if (name.ns === XSD_NS) {
      // For anyType the scalar type comes from xsi:type; elsewhere it merely restates the schema.
      return declared === 'xs:anyType' ? `xs:${name.local === 'anyType' ? 'string' : name.local}` : declared;
    }
    const key = this.index.complexByXmlName(name.ns, name.local);
    if (key === undefined) {
      return declared === 'xs:anyType' ? this.fail(`xsi:type "${value}" is not a type of this service`, path) : declared;
    }
    if (declared === 'xs:anyType') return key;
    if (this.index.type(key)?.kind === 'complex' && desc?.kind === 'complex' && this.index.complexInfo(key).ancestry.has(declared)) {
      return key;
    }
    return declared;
  }

  /** A scalar element's value; `name` is set when `path` is the parent's path (hot path, no allocation). */
  private scalar(el: XmlElement, kind: ScalarKind, path: Path, name: string | undefined): unknown {
    const at = (): Path => (name === undefined ? path : { parent: path, name, index: -1 });
    if (el.children.length > 0) return this.fail(`expected text (xs:${kind}), found element ${el.children[0]!.local}`, at());
    try {
      return parseScalar(kind, el.text);
    } catch (err) {
      if (err instanceof ScalarError) return this.fail(err.message, at());
      throw err;
    }
  }

  private listItem(itemKey: string, text: string, path: Path): unknown {
    const kind = scalarKind(itemKey);
    if (kind) {
      try {
        return parseScalar(kind, text);
      } catch (err) {
        if (err instanceof ScalarError) return this.fail(err.message, path);
        throw err;
      }
    }
    const desc = this.index.type(itemKey);
    if (desc?.kind === 'enum') {
      if (!desc.values.includes(text)) return this.fail(`"${short(text)}" is not a known value (expected one of ${desc.values.join(', ')})`, path);
      return text;
    }
    if (desc?.kind === 'restricted') return this.restricted(desc.base, desc.patterns, text, path);
    return this.fail(`internal: list item type ${itemKey} is not simple`, path);
  }

  private restricted(base: string, patterns: readonly string[], raw: string, path: Path): unknown {
    const kind = scalarKind(base);
    if (!kind) return this.fail(`internal: restriction base ${base} is not a scalar`, path);
    let value: unknown;
    try {
      value = parseScalar(kind, raw);
    } catch (err) {
      if (err instanceof ScalarError) return this.fail(err.message, path);
      throw err;
    }
    const lexical = kind === 'string' ? raw : raw.trim();
    for (const p of patterns) {
      if (!compiledPattern(p).test(lexical)) return this.fail(`"${short(lexical)}" does not match the pattern ${p}`, path);
    }
    return value;
  }
}

/** Whether an xsi:nil attribute value says "nil". */
export function isNilFlag(value: string): boolean {
  const flag = value.trim();
  return flag === 'true' || flag === '1';
}

function short(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** Sets a property without ever touching the prototype (a key "__proto__" from a server is data). */
export function setProperty(obj: Record<string, unknown>, key: string, value: unknown): unknown {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
  return value;
}
