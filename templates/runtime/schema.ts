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
}

/** Shorthand the generated metadata uses to keep the tables small: f(name, ns, type, flags). */
export function field(name: string, ns: number, type: string, flags = ''): FieldDesc {
  return {
    name,
    ns,
    type,
    optional: flags.includes('?'),
    nillable: flags.includes('n'),
    repeated: flags.includes('*'),
  };
}
