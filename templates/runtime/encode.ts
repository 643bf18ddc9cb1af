// Typed values → XML text, driven by the schema metadata. Elements are written in schema order
// (base-type fields first); undefined is omitted; null becomes xsi:nil="true" where the schema
// allows it and an EncodeError (naming the path) where it does not.
import { EncodeError } from './errors.js';
import { formatScalar, ScalarError } from './scalars.js';
import type { FieldDesc, ScalarKind } from './schema.js';
import { pathString, scalarKind, type Path, type SchemaIndex } from './schema-index.js';
import { escapeText } from './xml.js';
import { enumProblem, listItemProblem, patternProblem } from './facets.js';

export class Encoder {
  private readonly index: SchemaIndex;
  private readonly operation: string | undefined;

  constructor(index: SchemaIndex, operation?: string) {
    this.index = index;
    this.operation = operation;
  }

  /**
   * The header blocks of a message: each declared header whose value is given, in declaration
   * order (what the client sends and the mock answers with).
   */
  headerBlocks(fields: readonly FieldDesc[], values: Readonly<Record<string, unknown>> | null | undefined): string {
    let xml = '';
    if (values === undefined || values === null) return xml;
    for (const f of fields) xml += this.field(f, values[f.name], { parent: undefined, name: 'Header', index: -1 });
    return xml;
  }

  private fail(message: string, path: Path | undefined): never {
    throw new EncodeError(message, pathString(path), this.operation);
  }

  /** Writes the element(s) of `field` holding `value` (none for undefined). */
  field(field: FieldDesc, value: unknown, parent: Path | undefined): string {
    if (value === undefined) {
      if (!field.optional) this.fail(`the required element ${field.name} is missing`, { parent, name: field.name, index: -1 });
      return '';
    }
    if (field.repeated) {
      if (!Array.isArray(value)) this.fail('expected an array (the element repeats)', { parent, name: field.name, index: -1 });
      let out = '';
      for (let i = 0; i < value.length; i++) out += this.element(field, value[i], { parent, name: field.name, index: i });
      return out;
    }
    return this.element(field, value, { parent, name: field.name, index: -1 });
  }

  /** One element for `field` holding `value` (null → xsi:nil). */
  element(field: FieldDesc, value: unknown, path: Path): string {
    const tag = this.index.tag(field);
    if (value === null || value === undefined) {
      if (!field.nillable) this.fail(value === null ? 'null is not allowed here (the element is not nillable)' : 'a value is required', path);
      return `<${tag} xsi:nil="true"/>`;
    }
    return this.typed(tag, field.type, value, path);
  }

  private typed(tag: string, typeKey: string, value: unknown, path: Path, xsiType = ''): string {
    const kind = scalarKind(typeKey);
    if (kind) return `<${tag}${xsiType}>${this.scalar(kind, value, path)}</${tag}>`;
    if (typeKey === 'xs:anyType') return this.any(tag, value, path);
    const desc = this.index.type(typeKey);
    if (!desc) return this.fail(`internal: unknown type ${typeKey}`, path);
    switch (desc.kind) {
      case 'complex': {
        if (typeof value !== 'object' || Array.isArray(value) || value instanceof Date || value instanceof Uint8Array) {
          return this.fail(`expected an object (${desc.name})`, path);
        }
        const record = value as Record<string, unknown>;
        let inner = '';
        for (const f of this.index.complexInfo(typeKey).fields) inner += this.field(f, record[f.name], path);
        return `<${tag}${xsiType}>${inner}</${tag}>`;
      }
      case 'array': {
        if (!Array.isArray(value)) return this.fail(`expected an array (${desc.name})`, path);
        let inner = '';
        for (let i = 0; i < value.length; i++) {
          inner += this.element(desc.item, value[i], { parent: path, name: desc.item.name, index: i });
        }
        return `<${tag}${xsiType}>${inner}</${tag}>`;
      }
      case 'dict': {
        const entries = desc.record ? this.recordEntries(value, path) : this.entryList(value, path);
        const entryTag = this.index.tag(desc.entry);
        let inner = '';
        for (let i = 0; i < entries.length; i++) {
          const entryPath: Path = { parent: path, name: desc.entry.name, index: i };
          const [k, v] = entries[i]!;
          inner += `<${entryTag}>${this.element(desc.key, k, { parent: entryPath, name: 'Key', index: -1 })}${this.element(desc.value, v, { parent: entryPath, name: 'Value', index: -1 })}</${entryTag}>`;
        }
        return `<${tag}${xsiType}>${inner}</${tag}>`;
      }
      case 'enum':
        return `<${tag}${xsiType}>${escapeText(this.enumValue(desc.values, value, path))}</${tag}>`;
      case 'list': {
        if (!Array.isArray(value)) return this.fail('expected an array (xs:list)', path);
        const items = value.map((item, i) => this.listItem(desc.item, item, { parent: path, name: 'item', index: i }));
        return `<${tag}${xsiType}>${escapeText(items.join(' '))}</${tag}>`;
      }
      case 'restricted':
        return `<${tag}${xsiType}>${escapeText(this.restricted(desc.base, desc.patterns, value, path))}</${tag}>`;
    }
  }

  private scalar(kind: ScalarKind, value: unknown, path: Path): string {
    try {
      return escapeText(formatScalar(kind, value));
    } catch (err) {
      if (err instanceof ScalarError) return this.fail(err.message, path);
      throw err;
    }
  }

  private enumValue(values: readonly string[], value: unknown, path: Path): string {
    if (typeof value !== 'string') return this.fail(`${JSON.stringify(value)} is not a string (expected one of ${values.join(', ')})`, path);
    const problem = enumProblem(values, value);
    return problem === undefined ? value : this.fail(problem, path);
  }

  private listItem(itemKey: string, value: unknown, path: Path): string {
    const kind = scalarKind(itemKey);
    let text: string;
    if (kind) text = this.rawScalar(kind, value, path);
    else {
      const desc = this.index.type(itemKey);
      if (desc?.kind === 'enum') text = this.enumValue(desc.values, value, path);
      else if (desc?.kind === 'restricted') text = this.restricted(desc.base, desc.patterns, value, path);
      else return this.fail(`internal: list item type ${itemKey} is not simple`, path);
    }
    const problem = listItemProblem(text);
    return problem === undefined ? text : this.fail(problem, path);
  }

  private rawScalar(kind: ScalarKind, value: unknown, path: Path): string {
    try {
      return formatScalar(kind, value);
    } catch (err) {
      if (err instanceof ScalarError) return this.fail(err.message, path);
      throw err;
    }
  }

  private restricted(base: string, patterns: readonly string[], value: unknown, path: Path): string {
    const kind = scalarKind(base);
    if (!kind) return this.fail(`internal: restriction base ${base} is not a scalar`, path);
    const text = this.rawScalar(kind, value, path);
    const problem = patternProblem(patterns, text);
    return problem === undefined ? text : this.fail(problem, path);
  }

  private recordEntries(value: unknown, path: Path): [string, unknown][] {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return this.fail('expected an object (dictionary)', path);
    return Object.keys(value).map((k) => [k, (value as Record<string, unknown>)[k]]);
  }

  private entryList(value: unknown, path: Path): [unknown, unknown][] {
    if (!Array.isArray(value)) return this.fail('expected an array of { Key, Value } entries (dictionary)', path);
    return value.map((e, i) => {
      if (typeof e !== 'object' || e === null) return this.fail('expected a { Key, Value } entry', { parent: path, name: 'entry', index: i });
      const entry = e as { Key?: unknown; Value?: unknown };
      return [entry.Key, entry.Value];
    });
  }

  /** xs:anyType: the value's JS type picks the xsi:type. */
  private any(tag: string, value: unknown, path: Path): string {
    let key: string;
    let xsi: string;
    if (typeof value === 'string') [key, xsi] = ['xs:string', 'xsd:string'];
    else if (typeof value === 'boolean') [key, xsi] = ['xs:boolean', 'xsd:boolean'];
    else if (typeof value === 'number') {
      if (Number.isInteger(value) && value >= -2147483648 && value <= 2147483647) [key, xsi] = ['xs:int', 'xsd:int'];
      else if (Number.isSafeInteger(value)) [key, xsi] = ['xs:long', 'xsd:long'];
      else [key, xsi] = ['xs:double', 'xsd:double'];
    } else if (value instanceof Date) [key, xsi] = ['xs:dateTime', 'xsd:dateTime'];
    else if (value instanceof Uint8Array) [key, xsi] = ['xs:base64Binary', 'xsd:base64Binary'];
    else if (typeof value === 'object' && value !== null && typeof (value as { $type?: unknown }).$type === 'string') {
      key = (value as { $type: string }).$type;
      const desc = this.index.type(key);
      if (!desc || (desc.kind !== 'complex' && desc.kind !== 'array' && desc.kind !== 'dict')) {
        return this.fail(`$type "${key}" is not a complex type of this service`, path);
      }
      xsi = desc.ns < 0 ? desc.name : `${this.index.prefixes[desc.ns]}:${desc.name}`;
    } else {
      return this.fail('an xs:anyType value must be a string, number, boolean, Date, Uint8Array, null or an object with $type', path);
    }
    return this.typed(tag, key, value, path, ` xsi:type="${xsi}"`);
  }
}
