// Typed values -> XML text, driven by the schema metadata. Elements are written in schema order
// (base-type fields first); an undefined field is omitted (an EncodeError if required); null, and undefined
// in an array, become xsi:nil="true" where the schema allows it and an EncodeError (naming the path) where not.
import { EncodeError } from './errors.js';
import { formatScalar, ScalarError } from './scalars.js';
import { formatSimple, ListItemError, pathString, type FieldDesc, type Path, type ScalarKind, type SchemaIndex, type Slot, type TypeDesc } from './schema.js';
import { escapeText } from './xml.js';

export class Encoder {
  /** The XML written so far: elements append to it rather than return their text. */
  private out = '';

  constructor(
    private readonly index: SchemaIndex,
    private readonly operation?: string,
  ) {}

  /**
   * The header blocks of a message: each declared header whose value is given, in declaration
   * order (what the client sends and the mock answers with).
   */
  headerBlocks(fields: readonly FieldDesc[], values: Readonly<Record<string, unknown>> | null | undefined): string {
    if (values === undefined || values === null) return '';
    this.out = '';
    const header: Path = { parent: undefined, name: 'Header', index: -1 };
    for (const f of fields) this.field(this.index.slot(f), values[f.name], header);
    return this.out;
  }

  /** One element for `field` holding `value` (null -> xsi:nil) at `path`. */
  element(field: FieldDesc, value: unknown, path: Path): string {
    this.out = '';
    this.write(this.index.slot(field), value, path.parent, path.index);
    return this.out;
  }

  private fail(message: string, path: Path | undefined): never {
    throw new EncodeError(message, pathString(path), this.operation);
  }

  /** The element(s) of a field holding `value` (none for undefined). */
  private field(slot: Slot, value: unknown, parent: Path | undefined): void {
    const field = slot.field;
    if (value === undefined) {
      if (!field.optional) this.fail(`the required element ${field.name} is missing`, { parent, name: field.name, index: -1 });
    } else if (!field.repeated) {
      this.write(slot, value, parent, -1);
    } else {
      if (!Array.isArray(value)) this.fail('expected an array (the element repeats)', { parent, name: field.name, index: -1 });
      for (let i = 0; i < value.length; i++) this.write(slot, value[i], parent, i);
    }
  }

  /**
   * One element of `slot` holding `value`, at path parent/name[index]. Its path object is made
   * only for an error or for the children of a structured value: most elements are scalars.
   */
  private write(slot: Slot, value: unknown, parent: Path | undefined, index: number, name = slot.field.name): void {
    if (value === null || value === undefined) {
      if (!slot.field.nillable) {
        this.fail(value === null ? 'null is not allowed here (the element is not nillable)' : 'a value is required', { parent, name, index });
      }
      this.out += `<${slot.tag} xsi:nil="true"/>`;
      return;
    }
    if (slot.kind === 'scalar') {
      try {
        this.out += slot.open + escapeText(formatScalar(slot.scalar, value)) + slot.close;
      } catch (err) {
        this.rethrow(err, { parent, name, index });
      }
      return;
    }
    const path: Path = { parent, name, index };
    if (slot.kind === 'any') this.any(slot.tag, value, path);
    else if (slot.kind !== 'entry') this.typed(slot.open, slot.close, slot.field.type, slot.desc, value, path);
    else this.fail('internal: a dictionary entry is written by its dictionary', path);
  }

  /** An element of a schema type between the tags `open` and `close`. */
  private typed(open: string, close: string, typeKey: string, desc: TypeDesc, value: unknown, path: Path): void {
    switch (desc.kind) {
      case 'complex': {
        if (typeof value !== 'object' || Array.isArray(value) || value instanceof Date || value instanceof Uint8Array) {
          return this.fail(`expected an object (${desc.name})`, path);
        }
        const record = value as Record<string, unknown>;
        this.out += open;
        for (const f of this.index.complexInfo(typeKey).fields) this.field(this.index.slot(f), record[f.name], path);
        this.out += close;
        return;
      }
      case 'array': {
        if (!Array.isArray(value)) return this.fail(`expected an array (${desc.name})`, path);
        const item = this.index.slot(desc.item);
        this.out += open;
        for (let i = 0; i < value.length; i++) this.write(item, value[i], path, i);
        this.out += close;
        return;
      }
      case 'dict': {
        const entries = desc.record ? this.recordEntries(value, path) : this.entryList(value, path);
        const entry = this.index.slot(desc.entry);
        const key = this.index.slot(desc.key);
        const val = this.index.slot(desc.value);
        this.out += open;
        for (let i = 0; i < entries.length; i++) {
          const entryPath: Path = { parent: path, name: desc.entry.name, index: i };
          const [k, v] = entries[i]!;
          this.out += entry.open;
          this.write(key, k, entryPath, -1, 'Key'); // named as in the JS value
          this.write(val, v, entryPath, -1, 'Value');
          this.out += entry.close;
        }
        this.out += close;
        return;
      }
      default: {
        // An enumeration, xs:list or restriction: its text, as the decoder's parseSimple reads it back.
        let text: string;
        try {
          text = formatSimple(this.index, desc, value);
        } catch (err) {
          return this.rethrow(err, err instanceof ListItemError ? { parent: path, name: 'item', index: err.item } : path);
        }
        this.out += open + escapeText(text) + close;
      }
    }
  }

  /** A ScalarError as an EncodeError at `path`; anything else as it is. */
  private rethrow(err: unknown, path: Path): never {
    if (err instanceof ScalarError) this.fail(err.message, path);
    throw err;
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

  /** xs:anyType: the value's JS type picks the xsi:type (a built-in scalar, or the `$type` of an object). */
  private any(tag: string, value: unknown, path: Path): void {
    let kind: ScalarKind;
    if (typeof value === 'string') kind = 'string';
    else if (typeof value === 'boolean') kind = 'boolean';
    else if (typeof value === 'number') {
      if (Number.isInteger(value) && value >= -2147483648 && value <= 2147483647) kind = 'int';
      else if (Number.isSafeInteger(value)) kind = 'long';
      else kind = 'double';
    } else if (value instanceof Date) kind = 'dateTime';
    else if (value instanceof Uint8Array) kind = 'base64Binary';
    else if (typeof value === 'object' && value !== null && typeof (value as { $type?: unknown }).$type === 'string') {
      const key = (value as { $type: string }).$type;
      const desc = this.index.type(key);
      if (!desc || (desc.kind !== 'complex' && desc.kind !== 'array' && desc.kind !== 'dict')) {
        return this.fail(`$type "${key}" is not a complex type of this service`, path);
      }
      const xsi = desc.ns < 0 ? desc.name : `${this.index.prefixes[desc.ns]}:${desc.name}`;
      return this.typed(`<${tag} xsi:type="${xsi}">`, `</${tag}>`, key, desc, value, path);
    } else {
      return this.fail('an xs:anyType value must be a string, number, boolean, Date, Uint8Array, null or an object with $type', path);
    }
    try {
      this.out += `<${tag} xsi:type="xsd:${kind}">` + escapeText(formatScalar(kind, value)) + `</${tag}>`;
    } catch (err) {
      this.rethrow(err, path);
    }
  }
}
