// XSD → model. Covers exactly what WCF DataContract schemas use (sequences, complexContent
// extension, ArrayOf wrappers, enumerations with WCF annotations, xs:list flags, IsDictionary,
// simple restrictions) and refuses every other construct by name and place, so a schema we do
// not understand can never turn into a silently wrong type.
import { GenerateError, declaredTwice } from '../errors.js';
import {
  XSD_PRIMITIVES,
  qnameKey,
  type AttributeField,
  type ComplexTypeDef,
  type ElementDecl,
  type ElementField,
  type EnumerationValue,
  type QName,
  type RangeFacet,
  type SchemaInfo,
  type TypeDef,
  type TypeRef,
  type XsdPrimitive,
} from '../model/types.js';
import { NS, attr, childElements, collapsedText, documentationText, firstChild, location, onlyOne, resolveQName, type XmlElement } from './dom.js';
import { openReference, type DocumentResolver } from './external.js';

export interface SchemaSet {
  readonly schemas: SchemaInfo[];
  readonly types: Map<string, TypeDef>;
  readonly elements: Map<string, ElementDecl>;
  /** Resolves schemaLocation; without one, a schemaLocation is refused. */
  readonly resolver: DocumentResolver | undefined;
  /** Documents already read (by key), so each is read once however often it is imported. */
  readonly seen: Set<string>;
  /** Imported schemas not read yet, in the order they were first named. */
  readonly pending: { readonly schema: XmlElement; readonly doc: SchemaDocument }[];
}

/** The document a schema element is in: `file` names it in messages, `key` resolves its relative locations. */
export interface SchemaDocument {
  readonly file: string;
  readonly key: string;
}

export function emptySchemaSet(resolver?: DocumentResolver): SchemaSet {
  return { schemas: [], types: new Map(), elements: new Map(), resolver, seen: new Set(resolver ? [resolver.mainKey] : []), pending: [] };
}

const PRIMITIVES = new Set<string>(XSD_PRIMITIVES);
/** XSD built-ins that WCF schemas declare but we have no distinct mapping for; read as their base. */
const PRIMITIVE_ALIASES: Record<string, XsdPrimitive> = { ID: 'string', IDREF: 'string' };

/**
 * Reads one `xs:schema` into `set`, then every schema it imports or includes by schemaLocation.
 * Imported schemas are read after the schema that names them, first named first (as WCF orders
 * the schemas of ?singleWsdl), so the split and the single form give the same model.
 */
export function readSchema(schemaEl: XmlElement, doc: SchemaDocument, set: SchemaSet): void {
  readOneSchema(schemaEl, doc, set);
  for (let next = set.pending.shift(); next; next = set.pending.shift()) readOneSchema(next.schema, next.doc, set);
}

function readOneSchema(schemaEl: XmlElement, doc: SchemaDocument, set: SchemaSet): void {
  const file = doc.file;
  const targetNamespace = attr(schemaEl, 'targetNamespace') ?? '';
  const ctx: SchemaContext = {
    file,
    set,
    targetNamespace,
    elementQualified: attr(schemaEl, 'elementFormDefault') === 'qualified',
    attributeQualified: attr(schemaEl, 'attributeFormDefault') === 'qualified',
  };
  const info: SchemaInfo = { targetNamespace, elementFormQualified: ctx.elementQualified, location: location(schemaEl, file) };
  let declares = false;

  for (const child of childElements(schemaEl)) {
    if (child.namespaceURI !== NS.xs) continue; // foreign elements at schema level are allowed and carry no types
    switch (child.localName) {
      case 'annotation':
        break;
      case 'import':
      case 'include':
        if (attr(child, 'schemaLocation') !== undefined) queueSchemaLocation(child, doc, targetNamespace, set);
        else if (child.localName === 'include') throw new GenerateError('xs:include without schemaLocation', location(child, file));
        break;
      case 'element':
        readGlobalElement(child, ctx);
        declares = true;
        break;
      case 'complexType':
        addType(ctx, readComplexType(child, ctx, requiredName(child, file), false));
        declares = true;
        break;
      case 'simpleType':
        addType(ctx, readSimpleType(child, ctx, { ns: targetNamespace, local: requiredName(child, file) }));
        declares = true;
        break;
      case 'attribute':
        break; // global attribute declarations (WCF's Id/Ref/FactoryType) are never used by operations
      default:
        throw unsupported(child, file);
    }
  }
  // A schema that only imports others (WCF's "…/Imports" schema in a split ?wsdl) declares no
  // namespace of its own that the generated code could need.
  if (declares || childElements(schemaEl, NS.xs).every((c) => c.localName !== 'import' && c.localName !== 'include')) {
    set.schemas.push(info);
  }
}

/** Resolves an xs:import/xs:include schemaLocation, checks what it names, and queues its schema. */
function queueSchemaLocation(el: XmlElement, doc: SchemaDocument, targetNamespace: string, set: SchemaSet): void {
  const opened = openReference(el, attr(el, 'schemaLocation') ?? '', doc, set.resolver, set.seen);
  if (!opened) return;
  const { root, what } = opened;
  if (root.namespaceURI !== NS.xs || root.localName !== 'schema') {
    throw new GenerateError(`${what} names a document whose root is <${root.tagName}>, not xs:schema`, location(el, doc.file));
  }
  const theirs = attr(root, 'targetNamespace') ?? '';
  if (el.localName === 'import') {
    const expected = attr(el, 'namespace') ?? '';
    if (theirs !== expected) {
      throw new GenerateError(`${what} names a schema for namespace "${theirs}", but the import is for "${expected}"`, location(el, doc.file));
    }
  } else if (theirs !== targetNamespace) {
    throw new GenerateError(
      theirs === ''
        ? `${what} names a schema without targetNamespace (a "chameleon" include), which is not supported`
        : `${what} names a schema for namespace "${theirs}"; an include must have the including schema's namespace "${targetNamespace}"`,
      location(el, doc.file),
    );
  }
  set.pending.push({ schema: root, doc: { file: opened.file, key: opened.key } });
}

interface SchemaContext {
  readonly file: string;
  readonly set: SchemaSet;
  readonly targetNamespace: string;
  readonly elementQualified: boolean;
  readonly attributeQualified: boolean;
}

function unsupported(el: XmlElement, file: string, what?: string): GenerateError {
  return new GenerateError(`unsupported XSD construct: ${what ?? `xs:${el.localName}`}`, location(el, file));
}

/** The child `xs:<local>` of `el`, if any; a second one is refused (onlyOne). */
function onlyXsChild(el: XmlElement, local: string, file: string): XmlElement | undefined {
  return onlyOne(childElements(el, NS.xs, local), (second) => unsupported(second, file, `a second xs:${local} in one xs:${el.localName}`));
}

/**
 * Refuses the xs:element attributes that change what an element means but that the generated
 * code would not carry out: a substitution group (other elements in its place), a fixed or default
 * value, an abstract element.
 */
function rejectElementAttributes(el: XmlElement, file: string): void {
  for (const name of ['substitutionGroup', 'fixed', 'default', 'abstract']) {
    const value = attr(el, name);
    if (value !== undefined && !(name === 'abstract' && value === 'false')) throw unsupported(el, file, `xs:element ${name}="${value}"`);
  }
}

function requiredName(el: XmlElement, file: string): string {
  const name = attr(el, 'name');
  if (!name) throw new GenerateError(`xs:${el.localName} has no name`, location(el, file));
  // Not an XML name, and the metadata tables separate an element's name from its namespace and
  // type by spaces: a value of element "a b" was dropped from every request without a word.
  if (el.localName === 'element' && /\s/.test(name)) {
    throw new GenerateError(`xs:element name "${name}" holds white space: not an XML name, so never an element on the wire`, location(el, file));
  }
  return name;
}

function addType(ctx: SchemaContext, def: TypeDef): void {
  const key = qnameKey(def.name);
  const earlier = ctx.set.types.get(key);
  if (earlier) throw declaredTwice(`type "${def.name.local}" is declared twice in namespace ${def.name.ns}`, earlier.location, def.location);
  ctx.set.types.set(key, def);
}

function documentationOf(el: XmlElement): string | undefined {
  const annotation = firstChild(el, NS.xs, 'annotation');
  if (!annotation) return undefined;
  const docs = childElements(annotation, NS.xs, 'documentation').map(documentationText).filter(Boolean);
  return docs.length ? docs.join('\n') : undefined;
}

/** `<xs:appinfo><X xmlns="…/Serialization/">value</X></xs:appinfo>` — the WCF annotations. */
function wcfAnnotation(el: XmlElement, name: string): XmlElement | undefined {
  const annotation = firstChild(el, NS.xs, 'annotation');
  if (!annotation) return undefined;
  for (const appinfo of childElements(annotation, NS.xs, 'appinfo')) {
    const found = firstChild(appinfo, NS.msSerialization, name);
    if (found) return found;
  }
  return undefined;
}

function isDictionary(complexTypeEl: XmlElement): boolean {
  const marker = wcfAnnotation(complexTypeEl, 'IsDictionary');
  return marker !== undefined && collapsedText(marker) === 'true';
}

function typeRef(el: XmlElement, value: string, file: string): TypeRef {
  const name = resolveQName(el, value, file);
  if (name.ns === NS.xs) {
    const local = PRIMITIVE_ALIASES[name.local] ?? name.local;
    if (PRIMITIVES.has(local)) return { kind: 'primitive', name: local as XsdPrimitive };
    throw new GenerateError(`unsupported XSD built-in type xs:${name.local}`, location(el, file));
  }
  return { kind: 'named', name };
}

function readGlobalElement(el: XmlElement, ctx: SchemaContext): void {
  const name: QName = { ns: ctx.targetNamespace, local: requiredName(el, ctx.file) };
  rejectUnknownChildren(el, ctx.file, ['annotation', 'complexType']);
  rejectElementAttributes(el, ctx.file);
  const key = qnameKey(name);
  const loc = location(el, ctx.file);
  const earlier = ctx.set.elements.get(key);
  // Checked before its type is read: an inline type of the second would be "type /X declared twice".
  if (earlier) throw declaredTwice(`element "${name.local}" is declared twice in namespace ${name.ns}`, earlier.location, loc);
  const type = elementType(el, ctx, `/${name.local}`);
  ctx.set.elements.set(key, { name, type, nillable: attr(el, 'nillable') === 'true', location: loc });
}

/**
 * The type of an element: its `type` attribute, or its inline complexType, which is stored under
 * `anonymousName` — a name with a "/" in it, so it can never clash with a schema's own NCNames.
 */
function elementType(el: XmlElement, ctx: SchemaContext, anonymousName: string): TypeRef {
  const typeAttr = attr(el, 'type');
  const inline = onlyXsChild(el, 'complexType', ctx.file);
  if (attr(el, 'ref') !== undefined) throw unsupported(el, ctx.file, 'xs:element ref');
  if (firstChild(el, NS.xs, 'simpleType')) throw unsupported(el, ctx.file, 'inline xs:simpleType in an element');
  if (typeAttr !== undefined && inline) {
    throw new GenerateError('an element has both a type attribute and an inline type', location(el, ctx.file));
  }
  if (typeAttr !== undefined) return typeRef(el, typeAttr, ctx.file);
  if (inline) {
    const def = readComplexType(inline, ctx, anonymousName, true);
    addType(ctx, def);
    return { kind: 'named', name: def.name };
  }
  // No type at all means xs:anyType (XSD 1.0 §3.3.2).
  return { kind: 'primitive', name: 'anyType' };
}

function rejectUnknownChildren(el: XmlElement, file: string, allowed: readonly string[]): void {
  for (const child of childElements(el)) {
    if (child.namespaceURI === NS.xs && !allowed.includes(child.localName ?? '')) throw unsupported(child, file);
  }
}

function readComplexType(el: XmlElement, ctx: SchemaContext, local: string, anonymous: boolean): ComplexTypeDef {
  const name: QName = { ns: ctx.targetNamespace, local };
  if (attr(el, 'mixed') === 'true') throw unsupported(el, ctx.file, 'mixed content (mixed="true")');
  if (attr(el, 'abstract') === 'true') throw unsupported(el, ctx.file, 'abstract complexType');
  rejectUnknownChildren(el, ctx.file, ['annotation', 'sequence', 'complexContent', 'attribute']);

  let base: QName | undefined;
  let particleParent = el;
  const complexContent = onlyXsChild(el, 'complexContent', ctx.file);
  if (complexContent) {
    // The type's elements and attributes are then its extension's: any beside it would vanish.
    const beside = childElements(el, NS.xs).find((c) => c.localName === 'sequence' || c.localName === 'attribute');
    if (beside) throw unsupported(beside, ctx.file, `xs:${beside.localName} beside xs:complexContent`);
    if (attr(complexContent, 'mixed') === 'true') throw unsupported(complexContent, ctx.file, 'mixed content (mixed="true")');
    rejectUnknownChildren(complexContent, ctx.file, ['annotation', 'extension']);
    const extension = onlyXsChild(complexContent, 'extension', ctx.file);
    if (!extension) throw unsupported(complexContent, ctx.file, 'xs:complexContent without xs:extension');
    rejectUnknownChildren(extension, ctx.file, ['annotation', 'sequence', 'attribute']);
    const baseAttr = attr(extension, 'base');
    if (!baseAttr) throw new GenerateError('xs:extension has no base', location(extension, ctx.file));
    const baseRef = typeRef(extension, baseAttr, ctx.file);
    if (baseRef.kind !== 'named') throw unsupported(extension, ctx.file, `extension of the built-in xs:${baseRef.name}`);
    base = baseRef.name;
    particleParent = extension;
  }

  const fields: ElementField[] = [];
  const sequence = onlyXsChild(particleParent, 'sequence', ctx.file);
  if (sequence) {
    for (const attrName of ['minOccurs', 'maxOccurs']) {
      const v = attr(sequence, attrName);
      if (v !== undefined && v !== '1') throw unsupported(sequence, ctx.file, `xs:sequence ${attrName}="${v}"`);
    }
    rejectUnknownChildren(sequence, ctx.file, ['annotation', 'element']);
    for (const fieldEl of childElements(sequence, NS.xs, 'element')) {
      fields.push(readField(fieldEl, ctx, local));
    }
  }
  const attributes = childElements(particleParent, NS.xs, 'attribute').map((a) => readAttribute(a, ctx));

  const names = new Set<string>();
  for (const f of fields) {
    if (names.has(f.name)) {
      throw new GenerateError(`element "${f.name}" appears twice in the sequence of ${local}`, f.location);
    }
    names.add(f.name);
  }

  const documentation = documentationOf(el);
  return {
    kind: 'complex',
    name,
    ...(base ? { base } : {}),
    fields,
    attributes,
    isDictionary: isDictionary(el),
    anonymous,
    ...(documentation ? { documentation } : {}),
    location: location(el, ctx.file),
  };
}

function readOccurs(el: XmlElement, file: string): { minOccurs: number; maxOccurs: number | 'unbounded' } {
  const min = attr(el, 'minOccurs') ?? '1';
  const max = attr(el, 'maxOccurs') ?? '1';
  if (!/^\d+$/.test(min)) throw new GenerateError(`minOccurs="${min}" is not a count`, location(el, file));
  if (max !== 'unbounded' && !/^\d+$/.test(max)) throw new GenerateError(`maxOccurs="${max}" is not a count`, location(el, file));
  const maxOccurs = max === 'unbounded' ? 'unbounded' : Number(max);
  if (maxOccurs !== 'unbounded' && (maxOccurs < 1 || maxOccurs < Number(min))) {
    throw new GenerateError(`maxOccurs="${max}" is less than minOccurs="${min}" or zero`, location(el, file));
  }
  return { minOccurs: Number(min), maxOccurs };
}

function readField(el: XmlElement, ctx: SchemaContext, ownerLocal: string): ElementField {
  const name = requiredName(el, ctx.file);
  rejectUnknownChildren(el, ctx.file, ['annotation', 'complexType']);
  rejectElementAttributes(el, ctx.file);
  const form = attr(el, 'form');
  const qualified = form ? form === 'qualified' : ctx.elementQualified;
  const anonymousBase = ownerLocal.startsWith('/') ? ownerLocal : `/${ownerLocal}`;
  const documentation = documentationOf(el);
  return {
    name,
    ns: qualified ? ctx.targetNamespace : '',
    type: elementType(el, ctx, `${anonymousBase}/${name}`),
    ...readOccurs(el, ctx.file),
    nillable: attr(el, 'nillable') === 'true',
    ...(documentation ? { documentation } : {}),
    location: location(el, ctx.file),
  };
}

function readAttribute(el: XmlElement, ctx: SchemaContext): AttributeField {
  const name = requiredName(el, ctx.file);
  const typeAttr = attr(el, 'type');
  if (!typeAttr) throw unsupported(el, ctx.file, 'xs:attribute without a type');
  const form = attr(el, 'form');
  const qualified = form ? form === 'qualified' : ctx.attributeQualified;
  return {
    name,
    ns: qualified ? ctx.targetNamespace : '',
    type: typeRef(el, typeAttr, ctx.file),
    required: attr(el, 'use') === 'required',
    location: location(el, ctx.file),
  };
}

function readSimpleType(el: XmlElement, ctx: SchemaContext, name: QName): TypeDef {
  rejectUnknownChildren(el, ctx.file, ['annotation', 'restriction', 'list']);
  const documentation = documentationOf(el);
  const doc = documentation ? { documentation } : {};
  const loc = location(el, ctx.file);
  // One derivation: of two, the second would vanish.
  const derivation = onlyOne(
    childElements(el, NS.xs).filter((c) => c.localName === 'restriction' || c.localName === 'list'),
    (second, first) =>
      unsupported(second, ctx.file, second.localName === first.localName ? `a second xs:${second.localName} in one xs:simpleType` : `xs:${second.localName} beside xs:${first.localName}`),
  );
  const list = derivation?.localName === 'list' ? derivation : undefined;
  if (list) {
    rejectUnknownChildren(list, ctx.file, ['annotation', 'simpleType']);
    const itemTypeAttr = attr(list, 'itemType');
    const inlineItem = onlyXsChild(list, 'simpleType', ctx.file);
    if (itemTypeAttr !== undefined && inlineItem) throw new GenerateError('xs:list has both an itemType and an inline simpleType', location(list, ctx.file));
    let item: TypeRef;
    if (itemTypeAttr !== undefined) {
      item = typeRef(list, itemTypeAttr, ctx.file);
    } else if (inlineItem) {
      const itemName: QName = { ns: name.ns, local: `${name.local.startsWith('/') ? '' : '/'}${name.local}/item` };
      const itemDef = readSimpleType(inlineItem, ctx, itemName);
      addType(ctx, itemDef);
      item = { kind: 'named', name: itemName };
    } else {
      throw new GenerateError('xs:list has neither itemType nor an inline simpleType', location(list, ctx.file));
    }
    return { kind: 'list', name, item, ...doc, location: loc };
  }
  const restriction = derivation;
  if (!restriction) throw unsupported(el, ctx.file, 'xs:simpleType without xs:restriction or xs:list');
  rejectUnknownChildren(restriction, ctx.file, ['annotation', 'enumeration', 'pattern', 'minInclusive', 'maxInclusive']);
  const baseAttr = attr(restriction, 'base');
  if (!baseAttr) throw unsupported(restriction, ctx.file, 'xs:restriction without a base');
  const base = typeRef(restriction, baseAttr, ctx.file);
  const enumerations = childElements(restriction, NS.xs, 'enumeration');
  if (enumerations.length > 0) {
    // The values are the type; another facet beside them would be neither emitted nor checked.
    const other = childElements(restriction, NS.xs).find((c) => c.localName !== 'annotation' && c.localName !== 'enumeration');
    if (other) throw unsupported(other, ctx.file, `xs:${other.localName} beside xs:enumeration`);
    const values: EnumerationValue[] = enumerations.map((e) => {
      const value = attr(e, 'value');
      if (value === undefined) throw new GenerateError('xs:enumeration has no value', location(e, ctx.file));
      const numericEl = wcfAnnotation(e, 'EnumerationValue');
      const valueDoc = documentationOf(e);
      return {
        value,
        ...(numericEl ? { numeric: collapsedText(numericEl) } : {}),
        ...(valueDoc ? { documentation: valueDoc } : {}),
      };
    });
    return { kind: 'enum', name, base, values, ...doc, location: loc };
  }
  const facet = (local: string): RangeFacet | undefined => {
    const f = onlyXsChild(restriction, local, ctx.file);
    if (!f) return undefined;
    const value = attr(f, 'value');
    if (value === undefined) throw new GenerateError(`xs:${local} has no value`, location(f, ctx.file));
    return { value, location: location(f, ctx.file) };
  };
  const minInclusive = facet('minInclusive');
  const maxInclusive = facet('maxInclusive');
  return {
    kind: 'restriction',
    name,
    base,
    patterns: childElements(restriction, NS.xs, 'pattern').map((p) => attr(p, 'value') ?? ''),
    ...(minInclusive !== undefined ? { minInclusive } : {}),
    ...(maxInclusive !== undefined ? { maxInclusive } : {}),
    ...doc,
    location: loc,
  };
}
