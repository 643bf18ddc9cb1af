// The metadata format that generated `metadata.ts` files use to describe their types, the views
// of it that the encoder and decoder share (SchemaIndex), and the value rules of its simple types
// (enumerations, lists, patterns). One interpreter, many small tables: the tables are plain data,
// so a change in wire behaviour is a change in one tested place, not in 56 generated files.
import { formatScalar, parseScalar, ScalarError, shortText } from './scalars.js';

/** Built-in scalar kinds: the XSD primitives plus WCF's `char` (an int code on the wire). */
export type ScalarKind = 'string' | 'boolean' | 'char' | 'decimal' | 'float' | 'double' | 'dateTime' | 'duration' | 'base64Binary' | 'anyURI' | 'QName'
  | 'byte' | 'short' | 'int' | 'long' | 'unsignedByte' | 'unsignedShort' | 'unsignedInt' | 'unsignedLong';

/** An element inside a complex type, array or dictionary entry. */
export interface FieldDesc {
  /** Element local name, which is also the property name of the JS value. */
  readonly name: string;
  /** Index into `SchemaDesc.namespaces`, or -1 for an unqualified element. */
  readonly ns: number;
  /** A key of `SchemaDesc.types`, or `xs:<ScalarKind>`, or `xs:anyType`. */
  readonly type: string;
  /** minOccurs = 0: the property may be absent. */
  readonly optional: boolean;
  /** nillable: the value may be null (written as xsi:nil="true"). */
  readonly nillable: boolean;
  /** maxOccurs > 1 on a plain field: a JS array of repeated sibling elements. */
  readonly repeated: boolean;
}

export interface ComplexDesc {
  readonly kind: 'complex';
  /** The schema type's name and namespace index (used for xsi:type), as an array's and a dictionary's. */
  readonly name: string;
  readonly ns: number;
  /** Key of the base type (complexContent/extension); its fields come first. */
  readonly base?: string;
  /** Own fields in schema order. */
  readonly fields: readonly FieldDesc[];
}

/** WCF `ArrayOfX`: a wrapper element holding repeated item elements; the JS value is an array. */
export interface ArrayDesc extends Pick<ComplexDesc, 'name' | 'ns'> {
  readonly kind: 'array';
  readonly item: FieldDesc;
}

/**
 * WCF dictionary (`IsDictionary`): repeated entry elements with Key and Value. With a string key
 * the JS value is a `Record<string, V>`; otherwise an array of `{ Key, Value }` entries.
 */
export interface DictDesc extends Pick<ComplexDesc, 'name' | 'ns'> {
  readonly kind: 'dict';
  readonly entry: FieldDesc;
  readonly key: FieldDesc;
  readonly value: FieldDesc;
  readonly record: boolean;
}

export interface EnumDesc {
  readonly kind: 'enum';
  readonly values: readonly string[];
}

/** `xs:list`: space-separated items; the JS value is an array. */
export interface ListDesc {
  readonly kind: 'list';
  readonly item: string;
}

/** A restriction of a scalar (guid pattern, duration ...). */
export interface RestrictedDesc {
  readonly kind: 'restricted';
  readonly base: string;
  /** XSD patterns, already anchored and valid as JS regular expressions. */
  readonly patterns: readonly string[];
}

export type TypeDesc = ComplexDesc | ArrayDesc | DictDesc | EnumDesc | ListDesc | RestrictedDesc;

export interface SchemaDesc {
  readonly namespaces: readonly string[];
  readonly types: Readonly<Record<string, TypeDesc>>;
}

/** How an operation's request or response message looks on the wire. */
export interface MessageDesc {
  /** The body wrapper element. */
  readonly body: FieldDesc;
  /** Header blocks in declaration order, each named by its part (ApplicationToken, Credentials ...). */
  readonly headers: readonly FieldDesc[];
}

export type SoapVersion = '1.1' | '1.2';

export interface OperationDesc {
  readonly name: string;
  readonly soapAction: string;
  readonly soapVersion: SoapVersion;
  readonly input: MessageDesc;
  readonly output?: MessageDesc;
  /** REST: the request fields sent in the query string, not the JSON body (single-id Get.../Delete...: `?EMailAccountId=546`). */
  readonly query?: readonly string[];
  /** REST: the request field whose value is the whole JSON body (Save<X> methods taking the entity X). */
  readonly entity?: string;
}

/**
 * One element: `field('Address', 0, 'xs:string', 'optional nillable')`. `occurrence` lists
 * 'optional' (minOccurs=0), 'nillable' and 'repeated' (maxOccurs > 1), space-separated.
 */
export function field(name: string, ns: number, type: string, occurrence = ''): FieldDesc {
  return { name, ns, type, optional: occurrence.includes('optional'), nillable: occurrence.includes('nillable'), repeated: occurrence.includes('repeated') };
}

/**
 * One element as generated tables write it, `'Address 0 xs:string optional nillable'`: the words of
 * `field` separated by spaces (XML names and type keys hold none). The type `-` is a dictionary
 * entry's, which has no type of its own (the dictionary describes it).
 */
export function fieldLine(line: string): FieldDesc {
  const words = line.split(' ');
  const type = words[2] ?? '';
  return field(words[0] ?? '', Number(words[1]), type === '-' ? '' : type, words.slice(3).join(' '));
}

/**
 * A type as a generated metadata.ts writes it (its header explains the forms): the form's name,
 * then its arguments, elements as `fieldLine` strings, e.g. `['extension', 'EMailAddress', 0,
 * 'Carrier', ['ContactId 0 xs:int optional']]`. Plain arrays rather than calls: a bundler drops
 * every one a program does not use, and a consumer's type check reads thousands of them almost
 * for free.
 */
export type TypeForm = readonly (string | number | readonly string[])[];

/**
 * An enumeration's form, `['enumeration', XValues]` (XValues typed with the generated union). The
 * annotation keeps a consumer's type check cheap: without it each form is an array literal whose
 * element union TypeScript reduces by comparing `string` with `readonly X[]` member by member.
 */
export type EnumerationForm = readonly ['enumeration', readonly string[]];

/**
 * One agent's table: its namespaces and types, each built from its form when first asked for, so
 * importing a table costs only the types a program uses (bench case cold-start).
 */
export function schema(namespaces: readonly string[], forms: Readonly<Record<string, TypeForm>>): SchemaDesc {
  return new FormTable(namespaces, forms);
}

/**
 * A SchemaDesc of forms: SchemaIndex asks for one type at a time; `types` (all of them) is built when
 * read, which SchemaIndex does only for the first xsi:type it meets (complexByXmlName).
 */
class FormTable implements SchemaDesc {
  readonly #forms: Readonly<Record<string, TypeForm>>;
  readonly #built = new Map<string, TypeDesc>();
  #all: Readonly<Record<string, TypeDesc>> | undefined;

  constructor(readonly namespaces: readonly string[], forms: Readonly<Record<string, TypeForm>>) {
    this.#forms = forms;
  }

  get types(): Readonly<Record<string, TypeDesc>> {
    return (this.#all ??= Object.fromEntries(Object.keys(this.#forms).map((key) => [key, this.type(key)!])));
  }

  type(key: string): TypeDesc | undefined {
    let desc = this.#built.get(key);
    if (desc === undefined && Object.prototype.hasOwnProperty.call(this.#forms, key)) this.#built.set(key, (desc = typeOf(key, this.#forms[key]!)));
    return desc;
  }
}

/** One form's type, from its arguments by position (the header of a generated metadata.ts lists the forms). */
function typeOf(key: string, f: TypeForm): TypeDesc {
  switch (f[0]) {
    case 'complex':
      return { kind: 'complex', name: f[1] as string, ns: f[2] as number, fields: (f[3] as readonly string[]).map(fieldLine) };
    case 'extension': // complexContent/extension: the base's fields come first
      return { kind: 'complex', name: f[1] as string, ns: f[2] as number, base: f[3] as string, fields: (f[4] as readonly string[]).map(fieldLine) };
    case 'array':
      return { kind: 'array', name: f[1] as string, ns: f[2] as number, item: fieldLine(f[3] as string) };
    case 'dictionary': {
      const keyField = fieldLine(f[4] as string); // string keys: a Record, others: { Key, Value } entries
      return { kind: 'dict', name: f[1] as string, ns: f[2] as number, entry: fieldLine(f[3] as string), key: keyField, value: fieldLine(f[5] as string), record: keyField.type === 'xs:string' };
    }
    case 'enumeration':
      return { kind: 'enum', values: f[1] as readonly string[] };
    case 'list':
      return { kind: 'list', item: f[1] as string };
    case 'restricted':
      return { kind: 'restricted', base: f[1] as string, patterns: f[2] as readonly string[] };
  }
  throw new Error(`internal: type ${key} has no known form (${String(f[0])})`);
}

// ---------------------------------------------------------------------------------------------
// Precomputed views of a SchemaDesc that the encoder and decoder share: each field's Slot, each
// complex type's full field list (base fields first), its required fields and its slots by name,
// namespace prefixes, and which types derive from which (for xsi:type). Built once per schema, on
// first use.

export const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';
export const XSD_NS = 'http://www.w3.org/2001/XMLSchema';
/** What an xsi:type on an xs:anyType element may name as a scalar, by `{namespace}local`: XSD's, and WCF's char, duration, guid (.NET char, TimeSpan, Guid). */
const ANY_SCALARS = new Map([['char', 'xs:char'], ['duration', 'xs:duration'], ['guid', 'xs:string']].map(([k, v]) => [`{http://schemas.microsoft.com/2003/10/Serialization/}${k}`, v!]));
for (const k of 'anyType string boolean decimal float double dateTime duration base64Binary anyURI QName byte short int long unsignedByte unsignedShort unsignedInt unsignedLong'.split(' ')) ANY_SCALARS.set(`{${XSD_NS}}${k}`, k === 'anyType' ? 'xs:string' : `xs:${k}`);

export interface ComplexInfo {
  /** Base fields first, in schema order: the order elements are written in. */
  readonly fields: readonly FieldDesc[];
  /** Keys of this type and all its bases. */
  readonly ancestry: ReadonlySet<string>;
  /** The fields that must occur (minOccurs >= 1), in `fields` order. */
  readonly required: readonly FieldDesc[];
  /** The fields' slots by element name: what the decoder looks a child element up in. */
  readonly slots: ReadonlyMap<string, Slot>;
}

/**
 * A field as the encoder writes it and the decoder reads it: its element's namespace URI and tags,
 * and how its value is read, by `kind`. Worked out once per schema (SchemaIndex.slot).
 */
export type Slot = { readonly field: FieldDesc; readonly ns: string; readonly tag: string; readonly open: string; readonly close: string } & (
  | /** A built-in scalar (xs:int ...): its text. */ { readonly kind: 'scalar'; readonly scalar: ScalarKind }
  | /** An enumeration, xs:list or restriction: the element's own text. */ { readonly kind: 'simple'; readonly desc: SimpleDesc }
  | { readonly kind: 'complex'; readonly desc: ComplexDesc }
  | { readonly kind: 'array'; readonly desc: ArrayDesc }
  | { readonly kind: 'dict'; readonly desc: DictDesc }
  | /** xs:anyType: its xsi:type says what it is (without one, text). */ { readonly kind: 'any' }
  | /** A dictionary's entry element: it holds Key and Value. */ { readonly kind: 'entry' }
);

export class SchemaIndex {
  /** Prefix used for each namespace index when writing (`ns0`, `ns1` ...). */
  readonly prefixes: readonly string[];
  private readonly complex = new Map<string, ComplexInfo>();
  private byXmlName: Map<string, string> | undefined;
  /**
   * The slots of the fields written or read so far. Bounded: the keys are the FieldDescs of the
   * schema's own tables (the fields of its types and messages), one Slot each. A speed trick: its
   * bench row is `trick-encode-slots` (bench/lib/tricks.mjs).
   */
  private readonly slots = new Map<FieldDesc, Slot>();

  constructor(readonly schema: SchemaDesc) {
    this.prefixes = schema.namespaces.map((_, i) => `ns${i}`);
  }

  type(key: string): TypeDesc | undefined {
    if (this.schema instanceof FormTable) return this.schema.type(key);
    return Object.prototype.hasOwnProperty.call(this.schema.types, key) ? this.schema.types[key] : undefined;
  }

  namespace(index: number): string {
    return index < 0 ? '' : this.schema.namespaces[index]!;
  }

  slot(field: FieldDesc): Slot {
    let slot = this.slots.get(field);
    if (slot === undefined) this.slots.set(field, (slot = this.newSlot(field)));
    return slot;
  }

  private newSlot(field: FieldDesc): Slot {
    const ns = this.namespace(field.ns);
    const tag = field.ns < 0 ? field.name : `${this.prefixes[field.ns]}:${field.name}`;
    const open = `<${tag}>`;
    const close = `</${tag}>`;
    // Whole literals, not `{ ...common, kind }`: V8 keeps a spread's members beyond the copied
    // object's own slots out of line, and the codecs read `kind` on every element (A/B: encode 8 %,
    // decode 6 % slower with the spread).
    const scalar = scalarKind(field.type);
    if (scalar !== undefined) return { field, ns, tag, open, close, kind: 'scalar', scalar };
    if (field.type === 'xs:anyType') return { field, ns, tag, open, close, kind: 'any' };
    if (field.type === '') return { field, ns, tag, open, close, kind: 'entry' };
    const desc = this.type(field.type);
    if (desc === undefined) throw new Error(`internal: unknown type ${field.type}`);
    if (desc.kind === 'complex') return { field, ns, tag, open, close, kind: 'complex', desc };
    if (desc.kind === 'array') return { field, ns, tag, open, close, kind: 'array', desc };
    if (desc.kind === 'dict') return { field, ns, tag, open, close, kind: 'dict', desc };
    return { field, ns, tag, open, close, kind: 'simple', desc };
  }

  complexInfo(key: string): ComplexInfo {
    let info = this.complex.get(key);
    if (info) return info;
    const chain: ComplexDesc[] = [];
    const ancestry = new Set<string>();
    for (let k: string | undefined = key; k !== undefined; ) {
      const d = this.type(k);
      if (!d || d.kind !== 'complex' || ancestry.has(k)) throw new Error(`internal: ${k} is not a complex type, or its base chain loops (of ${key})`);
      ancestry.add(k);
      chain.unshift(d);
      k = d.base;
    }
    const fields = chain.flatMap((d) => d.fields);
    info = { fields, ancestry, required: fields.filter((f) => !f.optional), slots: new Map(fields.map((f) => [f.name, this.slot(f)])) };
    this.complex.set(key, info);
    return info;
  }

  /** The key of the complex, array or dictionary type of this schema named {`ns`}`local`, if any (for xsiType). */
  private complexByXmlName(ns: string, local: string): string | undefined {
    if (!this.byXmlName) {
      this.byXmlName = new Map();
      for (const [key, t] of Object.entries(this.schema.types)) {
        if (t.kind === 'complex' || t.kind === 'array' || t.kind === 'dict') this.byXmlName.set(`{${this.namespace(t.ns)}}${t.name}`, key);
      }
    }
    return this.byXmlName.get(`{${ns}}${local}`);
  }

  /**
   * The type key an xsi:type naming {`ns`}`local` selects on an element declared `declared`: for
   * xs:anyType a scalar (`xs:...`, ANY_SCALARS) or any type of this schema (an enumeration or list by key); elsewhere a type derived from
   * `declared`, or `declared` itself when it is not complex (xsi:type merely restates it). Undefined
   * when it contradicts a complex `declared`, or names no type of this schema for xs:anyType.
   */
  xsiType(ns: string, local: string, declared: string): string | undefined {
    if (declared === 'xs:anyType') {
      const found = ANY_SCALARS.get(`{${ns}}${local}`) ?? this.complexByXmlName(ns, local);
      if (found !== undefined) return found;
      // An enumeration or list of this schema (WCF writes an enum in an object slot by its own name), read as a leaf.
      const kind = this.schema.namespaces.includes(ns) ? this.type(local)?.kind : undefined;
      return kind === 'enum' || kind === 'list' ? local : undefined;
    }
    const complex = this.type(declared)?.kind === 'complex';
    if (ns === XSD_NS) return complex ? undefined : declared;
    const key = this.complexByXmlName(ns, local);
    if (key !== undefined && (key === declared || (complex && this.type(key)?.kind === 'complex' && this.complexInfo(key).ancestry.has(declared)))) return key;
    return complex ? undefined : declared;
  }
}

const indexes = new WeakMap<SchemaDesc, SchemaIndex>();

export function schemaIndex(schema: SchemaDesc): SchemaIndex {
  let index = indexes.get(schema);
  if (!index) indexes.set(schema, (index = new SchemaIndex(schema)));
  return index;
}

/** `xs:int` -> `int`; undefined for keys that are not built-in scalars. */
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
  for (let p = path; p; p = p.parent) parts.push(segment(p.name, p.index));
  return parts.reverse().join('/');
}

/** A path segment: `name`, or `name[index]` for a repeated element or an item. */
export function segment(name: string, index: number): string {
  return index >= 0 ? `${name}[${index}]` : name;
}

// ---------------------------------------------------------------------------------------------
// The value rules of simple types (enumeration values, list items, patterns), one place for the
// XML codecs and the JSON codec, so a bad value gets the same message on SOAP and REST. A check
// returns what is wrong (the codec adds the path) or undefined; parseSimple reads a simple value and
// formatSimple writes one, for the XML codecs.

/** Restriction patterns, compiled once per process. */
const patternCache = new Map<string, RegExp>();

/**
 * `value` as one of an enumeration's `values`: the text of an XML element, or a typed or JSON value
 * (which may be anything: a number is not an enumeration value, whatever its digits).
 */
export function enumProblem(values: readonly string[], value: unknown): string | undefined {
  if (typeof value !== 'string') return `${shown(value)} is not a string (expected one of ${values.join(', ')})`;
  if (values.includes(value)) return undefined;
  return `"${shortText(value)}" is not a known value (expected one of ${values.join(', ')})`;
}

/** The lexical form `text` against every pattern of a restriction. */
export function patternProblem(patterns: readonly string[], text: string): string | undefined {
  for (const p of patterns) {
    let re = patternCache.get(p);
    if (!re) patternCache.set(p, (re = new RegExp(p)));
    if (!re.test(text)) return `"${shortText(text)}" does not match the pattern ${p}`;
  }
  return undefined;
}

/**
 * The text `raw` of a restriction of the scalar `kind` against its patterns: a string's text as it
 * is, another type's without its leading and trailing whitespace (XSD's whiteSpace collapse).
 */
export function restrictionProblem(kind: ScalarKind, patterns: readonly string[], raw: string): string | undefined {
  return patterns.length === 0 ? undefined : patternProblem(patterns, kind === 'string' ? raw : raw.trim());
}

/** One item of an xs:list as written: items are separated by whitespace, so none can hold any. */
export function listItemProblem(text: string): string | undefined {
  return text === '' || /[ \t\n\r]/.test(text) ? 'a list item cannot be empty or contain whitespace' : undefined;
}

/** A ScalarError in item `item` of an xs:list. */
export class ListItemError extends ScalarError {
  constructor(message: string, readonly item: number) {
    super(message);
  }
}

/** An enumeration, xs:list or restriction: a type whose value is an element's text. */
export type SimpleDesc = EnumDesc | ListDesc | RestrictedDesc;

/**
 * The value of the text `raw` of an enumeration (the value), xs:list (its items) or restriction
 * (its base's scalar, matching every pattern). Throws ScalarError, ListItemError for an item --
 * also for a type it cannot read (a WSDL the generator accepted may hold one): a call's DecodeError.
 */
export function parseSimple(index: SchemaIndex, desc: SimpleDesc, raw: string): unknown {
  switch (desc.kind) {
    case 'enum': {
      const text = raw.trim();
      check(enumProblem(desc.values, text));
      return text;
    }
    case 'list': {
      // Items are separated by whitespace; none when the text is blank.
      const text = raw.trim();
      const items = text === '' ? [] : text.split(/[ \t\n\r]+/);
      return eachItem(index, desc, items, (type, text) => (typeof type === 'string' ? parseScalar(type, text) : parseSimple(index, type, text)));
    }
    case 'restricted': {
      const kind = baseKind(desc);
      const value = parseScalar(kind, raw);
      check(restrictionProblem(kind, desc.patterns, raw));
      return value;
    }
  }
}

/**
 * The text of `value` as an enumeration, xs:list or restriction (its base's lexical form, matching
 * every pattern): the text parseSimple reads back. Throws as parseSimple does.
 */
export function formatSimple(index: SchemaIndex, desc: SimpleDesc, value: unknown): string {
  switch (desc.kind) {
    case 'enum':
      check(enumProblem(desc.values, value));
      return value as string;
    case 'list': {
      if (!Array.isArray(value)) throw new ScalarError('expected an array (xs:list)');
      return eachItem(index, desc, value, (type, item) => {
        const text = typeof type === 'string' ? formatScalar(type, item) : formatSimple(index, type, item);
        check(listItemProblem(text));
        return text;
      }).join(' ');
    }
    case 'restricted': {
      const text = formatScalar(baseKind(desc), value);
      check(patternProblem(desc.patterns, text));
      return text;
    }
  }
}

/** `each` of an xs:list's items, with the list's item type; a ScalarError in one is its ListItemError. */
function eachItem<T, R>(index: SchemaIndex, list: ListDesc, items: readonly T[], each: (type: ScalarKind | EnumDesc | RestrictedDesc, item: T) => R): R[] {
  const type = scalarKind(list.item) ?? index.type(list.item);
  return items.map((item, i) => {
    try {
      if (typeof type === 'string' || type?.kind === 'enum' || type?.kind === 'restricted') return each(type, item);
      throw new ScalarError(`internal: list item type ${list.item} is not simple`);
    } catch (err) {
      throw err instanceof ScalarError ? new ListItemError(err.message, i) : err;
    }
  });
}

function baseKind(desc: RestrictedDesc): ScalarKind {
  const kind = scalarKind(desc.base);
  if (kind === undefined) throw new ScalarError(`internal: restriction base ${desc.base} is not a scalar`);
  return kind;
}

/** A value rule's problem, if any, as the ScalarError the codecs turn into theirs (with the path). */
function check(problem: string | undefined): void {
  if (problem !== undefined) throw new ScalarError(problem);
}

/** A value that is not a string, as quoted in a message: its JSON, else its type (a BigInt, a function). */
function shown(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    // a BigInt, or an object that refers to itself
  }
  return shortText(text ?? typeof value);
}
