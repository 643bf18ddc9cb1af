// The metadata format that generated `metadata.ts` files use to describe their types, and that
// the encoder and decoder interpret. One interpreter, many small tables: the tables are plain
// data, so a change in wire behaviour is a change in one tested place, not in 56 generated files.

/** Built-in scalar kinds: the XSD primitives plus WCF's `char` (an int code on the wire). */
export type ScalarKind =
  | 'string'
  | 'boolean'
  | 'byte'
  | 'short'
  | 'int'
  | 'long'
  | 'unsignedByte'
  | 'unsignedShort'
  | 'unsignedInt'
  | 'unsignedLong'
  | 'float'
  | 'double'
  | 'decimal'
  | 'dateTime'
  | 'duration'
  | 'base64Binary'
  | 'anyURI'
  | 'QName'
  | 'char';

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
  /** The schema type's name and namespace index (used for xsi:type). */
  readonly name: string;
  readonly ns: number;
  /** Key of the base type (complexContent/extension); its fields come first. */
  readonly base?: string;
  /** Own fields in schema order. */
  readonly fields: readonly FieldDesc[];
}

/** WCF `ArrayOfX`: a wrapper element holding repeated item elements; the JS value is an array. */
export interface ArrayDesc {
  readonly kind: 'array';
  readonly name: string;
  readonly ns: number;
  readonly item: FieldDesc;
}

/**
 * WCF dictionary (`IsDictionary`): repeated entry elements with Key and Value. With a string key
 * the JS value is a `Record<string, V>`; otherwise an array of `{ Key, Value }` entries.
 */
export interface DictDesc {
  readonly kind: 'dict';
  readonly name: string;
  readonly ns: number;
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

/** A restriction of a scalar (guid pattern, duration …). */
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
  /** Header blocks, keyed by part name (ApplicationToken, Credentials …). */
  readonly headers: readonly FieldDesc[];
}

export type SoapVersion = '1.1' | '1.2';

export interface OperationDesc {
  readonly name: string;
  readonly soapAction: string;
  readonly soapVersion: SoapVersion;
  readonly input: MessageDesc;
  readonly output?: MessageDesc;
  /**
   * REST (Agents API): the request fields sent as query-string parameters rather than in the JSON
   * body. The generator lists them only for single-id Get…/Delete… methods (`?EMailAccountId=546`).
   */
  readonly query?: readonly string[];
  /** REST: the request field whose value is the whole JSON body (Save<X> methods taking the entity X). */
  readonly entity?: string;
}

// The forms generated metadata.ts files are written in (see TypeForm below): one per type, one
// string per element. Each builds the plain descriptor above; they exist so that a table reads like
// the schema and costs a consumer's type check almost nothing (string literals, not a call or an
// object per element).

/**
 * One element: `field('Address', 0, 'xs:string', 'optional nillable')`. `occurrence` lists
 * 'optional' (minOccurs=0), 'nillable' and 'repeated' (maxOccurs > 1), space-separated.
 */
export function field(name: string, ns: number, type: string, occurrence = ''): FieldDesc {
  return {
    name,
    ns,
    type,
    optional: occurrence.includes('optional'),
    nillable: occurrence.includes('nillable'),
    repeated: occurrence.includes('repeated'),
  };
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
 * A complexType with a sequence, its elements as `fieldLine` strings. They are parsed when the
 * type is first used, so importing a table costs only the types a program actually sends or reads.
 */
export function complex(name: string, ns: number, lines: readonly string[]): ComplexDesc {
  let fields: readonly FieldDesc[] | undefined;
  return {
    kind: 'complex',
    name,
    ns,
    get fields() {
      return (fields ??= lines.map(fieldLine));
    },
  };
}

/** A complexType extending `base` (complexContent/extension): the base's fields come first. */
export function extension(name: string, ns: number, base: string, lines: readonly string[]): ComplexDesc {
  let fields: readonly FieldDesc[] | undefined;
  return {
    kind: 'complex',
    name,
    ns,
    base,
    get fields() {
      return (fields ??= lines.map(fieldLine));
    },
  };
}

/** WCF `ArrayOfX`: `item` is a `fieldLine`. */
export function array(name: string, ns: number, item: string): ArrayDesc {
  return { kind: 'array', name, ns, item: fieldLine(item) };
}

/** WCF dictionary (`fieldLine`s); a Record when the key is a string (`xs:string`), else an array of { Key, Value }. */
export function dictionary(name: string, ns: number, entry: string, key: string, value: string): DictDesc {
  const k = fieldLine(key);
  return { kind: 'dict', name, ns, entry: fieldLine(entry), key: k, value: fieldLine(value), record: k.type === 'xs:string' };
}

export function enumeration(values: readonly string[]): EnumDesc {
  return { kind: 'enum', values };
}

export function list(item: string): ListDesc {
  return { kind: 'list', item };
}

export function restricted(base: string, patterns: readonly string[]): RestrictedDesc {
  return { kind: 'restricted', base, patterns };
}

/**
 * A type as a generated metadata.ts writes it: the arguments of one of the forms above, led by the
 * form's name, e.g. `['extension', 'EMailAddress', 0, 'Carrier', ['ContactId 0 xs:int optional']]`.
 * Plain arrays rather than calls: a bundler drops every one a program does not use, and a
 * consumer's type check reads thousands of them almost for free.
 */
export type TypeForm = readonly (string | number | readonly string[])[];

/** One agent's table: its namespaces and its types, each built from its form. */
export function schema(namespaces: readonly string[], forms: Readonly<Record<string, TypeForm>>): SchemaDesc {
  const types: Record<string, TypeDesc> = {};
  for (const key of Object.keys(forms)) types[key] = typeOf(key, forms[key]!);
  return { namespaces, types };
}

/**
 * One form's type. The form's items are read by position rather than spread into its builder: a
 * table is built once, at import, by code not yet optimized, where spreading an array walks its
 * iterator (reading by position builds the EMail table in ≈ 2/3 of the time, minima of fresh
 * processes).
 */
function typeOf(key: string, f: TypeForm): TypeDesc {
  switch (f[0]) {
    case 'complex':
      return complex(f[1] as string, f[2] as number, f[3] as readonly string[]);
    case 'extension':
      return extension(f[1] as string, f[2] as number, f[3] as string, f[4] as readonly string[]);
    case 'array':
      return array(f[1] as string, f[2] as number, f[3] as string);
    case 'dictionary':
      return dictionary(f[1] as string, f[2] as number, f[3] as string, f[4] as string, f[5] as string);
    case 'enumeration':
      return enumeration(f[1] as readonly string[]);
    case 'list':
      return list(f[1] as string);
    case 'restricted':
      return restricted(f[1] as string, f[2] as readonly string[]);
  }
  throw new Error(`internal: type ${key} has no known form (${String(f[0])})`);
}
