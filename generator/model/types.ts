// The typed intermediate model (IR) between reading a WSDL and emitting TypeScript.
// It holds XSD/WSDL facts only — names as the schema spells them, occurrence constraints,
// namespaces, documentation and where each thing was declared. Every TypeScript decision
// (identifier names, the TS type a primitive maps to, file layout) belongs to the emitter.

/** A namespace-qualified name, as XSD and WSDL use them. */
export interface QName {
  readonly ns: string;
  readonly local: string;
}

/** Where a node was declared, for error messages: file name, 1-based line/column, element path. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly path: string;
  /**
   * In a document the WSDL imports (not in the WSDL itself): the import that brought it in, one
   * object for the whole document. Through it an error found at any stage names every import
   * back to the WSDL (errors.ts), not the imported file alone.
   */
  readonly importedBy?: ImportLink;
}

/**
 * An import by location (xs:import/xs:include schemaLocation, wsdl:import location): how messages
 * name it, and where it stands in the importing document, which may itself be imported (`at`'s
 * own importedBy), so following the links from any location ends at the WSDL.
 */
export interface ImportLink {
  /** `xs:import schemaLocation "a.xsd"` (without secrets). */
  readonly what: string;
  readonly at: SourceLocation;
}

/** The XSD built-in types this generator understands (namespace http://www.w3.org/2001/XMLSchema). */
export const XSD_PRIMITIVES = [
  'string',
  'boolean',
  'byte',
  'short',
  'int',
  'long',
  'unsignedByte',
  'unsignedShort',
  'unsignedInt',
  'unsignedLong',
  'float',
  'double',
  'decimal',
  'dateTime',
  'duration',
  'base64Binary',
  'anyURI',
  'QName',
  'anyType',
] as const;
export type XsdPrimitive = (typeof XSD_PRIMITIVES)[number];

/** A reference from a field or element to a type: an XSD built-in or a named schema type. */
export type TypeRef =
  | { readonly kind: 'primitive'; readonly name: XsdPrimitive }
  | { readonly kind: 'named'; readonly name: QName };

/** One element particle of a sequence: `<xs:element name=… type=… minOccurs maxOccurs nillable>`. */
export interface ElementField {
  readonly name: string;
  /** Namespace of the element on the wire: the schema's target namespace when qualified, else ''. */
  readonly ns: string;
  readonly type: TypeRef;
  readonly minOccurs: number;
  /** 'unbounded' or a count ≥ 1. */
  readonly maxOccurs: number | 'unbounded';
  readonly nillable: boolean;
  readonly documentation?: string;
  readonly location: SourceLocation;
}

/** `<xs:attribute>` on a complex type. */
export interface AttributeField {
  readonly name: string;
  readonly ns: string;
  readonly type: TypeRef;
  readonly required: boolean;
  readonly location: SourceLocation;
}

/** A named (or, for wrapper elements, anonymous) complex type with a sequence. */
export interface ComplexTypeDef {
  readonly kind: 'complex';
  readonly name: QName;
  /** `complexContent/extension` base; its fields come first on the wire. */
  readonly base?: QName;
  /** The type's own sequence, in schema order (base fields excluded). */
  readonly fields: readonly ElementField[];
  readonly attributes: readonly AttributeField[];
  /** Marked with the WCF `IsDictionary` annotation. */
  readonly isDictionary: boolean;
  /** Declared inline inside an element (e.g. operation wrappers, dictionary entries). */
  readonly anonymous: boolean;
  readonly documentation?: string;
  readonly location: SourceLocation;
}

export interface EnumerationValue {
  readonly value: string;
  /** The WCF `EnumerationValue` annotation: the numeric value behind the name, when given. */
  readonly numeric?: string;
  readonly documentation?: string;
}

/** `xs:simpleType` with `xs:restriction` holding enumerations. */
export interface EnumTypeDef {
  readonly kind: 'enum';
  readonly name: QName;
  readonly base: TypeRef;
  readonly values: readonly EnumerationValue[];
  readonly documentation?: string;
  readonly location: SourceLocation;
}

/** `xs:simpleType` with `xs:list`: a space-separated list (WCF [Flags] enums). */
export interface ListTypeDef {
  readonly kind: 'list';
  readonly name: QName;
  /** The item type: a named type, or an inline enumeration (given its own name by the reader). */
  readonly item: TypeRef;
  readonly documentation?: string;
  readonly location: SourceLocation;
}

/** `xs:simpleType` restricting a primitive without enumerations (guid, char, duration …). */
export interface RestrictionTypeDef {
  readonly kind: 'restriction';
  readonly name: QName;
  readonly base: TypeRef;
  readonly patterns: readonly string[];
  /**
   * Read and checked when generating (a literal of the base built-in, min ≤ max: wsdl/facets.ts),
   * not enforced at run time: WCF's ser:duration carries them and no Services86 type else does.
   */
  readonly minInclusive?: RangeFacet;
  readonly maxInclusive?: RangeFacet;
  readonly documentation?: string;
  readonly location: SourceLocation;
}

/** `<xs:minInclusive value="…"/>` or `<xs:maxInclusive …/>`: its literal, and where it is. */
export interface RangeFacet {
  readonly value: string;
  readonly location: SourceLocation;
}

export type TypeDef = ComplexTypeDef | EnumTypeDef | ListTypeDef | RestrictionTypeDef;

/** A global `xs:element`. */
export interface ElementDecl {
  readonly name: QName;
  readonly type: TypeRef;
  readonly nillable: boolean;
  readonly location: SourceLocation;
}

export interface SchemaInfo {
  readonly targetNamespace: string;
  readonly elementFormQualified: boolean;
  readonly location: SourceLocation;
}

/** A header or body part bound to an operation message. */
export interface MessagePart {
  /** The part name (for headers this is what users see: ApplicationToken, Credentials …). */
  readonly name: string;
  readonly element: QName;
}

export interface OperationMessage {
  /** The body's wrapper element (document/literal wrapped). */
  readonly body: QName;
  readonly headers: readonly MessagePart[];
  /** WS-Addressing action from the portType (`wsaw:Action`), if any. */
  readonly action?: string;
}

export interface Operation {
  readonly name: string;
  readonly documentation?: string;
  readonly soapAction: string;
  readonly input: OperationMessage;
  readonly output?: OperationMessage;
  readonly location: SourceLocation;
}

export type SoapVersion = '1.1' | '1.2';

export interface Service {
  /** The WSDL file name (not its path): how generated headers name it. */
  readonly sourceFile: string;
  /**
   * How messages name it, as every source location in the model does: its path as given
   * (relative to the working directory), or its URL without secrets.
   */
  readonly label: string;
  /** The portType name: the agent's name (EMail, Person …). */
  readonly name: string;
  readonly targetNamespace: string;
  readonly documentation?: string;
  readonly soapVersion: SoapVersion;
  readonly address?: string;
  readonly schemas: readonly SchemaInfo[];
  /** Every named type and every anonymous one the reader named, keyed by `qnameKey`. */
  readonly types: ReadonlyMap<string, TypeDef>;
  readonly elements: ReadonlyMap<string, ElementDecl>;
  readonly operations: readonly Operation[];
}

/** A type's local name as messages and code show it: an inline type's path (`/Elem/Field`) without its leading '/'. */
export function shownLocal(local: string): string {
  return local.replace(/^\//, '');
}

/** `{ns}local` — the key under which types and elements are stored. */
export function qnameKey(name: QName): string {
  return `{${name.ns}}${name.local}`;
}
