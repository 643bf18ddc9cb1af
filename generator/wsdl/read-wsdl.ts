// WSDL 1.1 → model. Reads wsdl:types (via the schema reader), messages, the portType, its SOAP
// binding and the service address, then checks that every reference resolves, so the emitter
// never meets a dangling name.
import { GenerateError, declaredTwice } from '../errors.js';
import { carriesSecrets, carriesUserInfo, redactLocation } from '../input/documents.js';
import {
  qnameKey,
  shownLocal,
  type ElementDecl,
  type MessagePart,
  type Operation,
  type OperationMessage,
  type QName,
  type RestrictionTypeDef,
  type Service,
  type SoapVersion,
  type SourceLocation,
  type TypeDef,
  type TypeRef,
  type XsdPrimitive,
} from '../model/types.js';
import { NS, attr, attrNS, childElements, documentationText, firstChild, location, onlyOne, parseXmlDocument, resolveQName, type XmlElement } from './dom.js';
import { openReference, type DocumentResolver } from './external.js';
import { checkRangeFacets } from './facets.js';
import { emptySchemaSet, readSchema } from './schema-reader.js';

/** One wsdl:definitions document of a WSDL (the WSDL itself, or one it imports with wsdl:import). */
interface Definitions {
  readonly root: XmlElement;
  readonly file: string;
  readonly key: string;
  readonly tns: string;
}

/** The name messages use for the document an element is in. */
type FileOf = (el: XmlElement) => string;

/**
 * Reads WSDL text; `file` is the name used in messages (and the model's source locations),
 * `sourceFile` the one in headers (the file name without its folder; by default `file`).
 * `resolver` resolves the locations of wsdl:import and of imported schemas (without one, a
 * location is an error).
 */
export function readWsdl(text: string, file: string, resolver?: DocumentResolver, sourceFile = file): Service {
  if (text.trim() === '') throw new GenerateError(text === '' ? 'the file is empty' : 'the file contains only whitespace', { file });
  const root = parseXmlDocument(text, file);
  checkRoot(root, file);
  const docs = readImports({ root, file, key: resolver?.mainKey ?? file, tns: attr(root, 'targetNamespace') ?? '' }, resolver);
  const byDocument = new Map(docs.map((d) => [d.root.ownerDocument, d.file]));
  const files: FileOf = (el) => byDocument.get(el.ownerDocument) ?? file;

  const typesSections = docs.flatMap((d) => {
    // A second one's schemas would never be read (nor their imports found: external.ts reads the first).
    const types = onlyOne(childElements(d.root, NS.wsdl, 'types'), (second) => new GenerateError('a second wsdl:types in one document', location(second, d.file)));
    return types ? [{ types, d }] : [];
  });
  if (typesSections.length === 0) throw new GenerateError('the WSDL has no wsdl:types section', location(root, file));
  const set = emptySchemaSet(resolver);
  for (const { types, d } of typesSections) {
    for (const schema of childElements(types, NS.xs, 'schema')) readSchema(schema, { file: d.file, key: d.key }, set);
  }
  if (set.schemas.length === 0) throw new GenerateError('wsdl:types contains no xs:schema', location(typesSections[0]!.types, file));

  const messages = new Map<string, MessageDef>();
  for (const d of docs) readMessages(d.root, d.file, d.tns, messages);
  const portTypes = docs.flatMap((d) => childElements(d.root, NS.wsdl, 'portType').map((el) => ({ el, d })));
  const onlyPortType = onlyOne(portTypes, (second) => new GenerateError('more than one wsdl:portType in one WSDL is not supported', location(second.el, second.d.file)));
  if (!onlyPortType) throw new GenerateError('the WSDL has no wsdl:portType', location(root, file));
  const { el: portType, d: portTypeDoc } = onlyPortType;
  const portTypeName = attr(portType, 'name') ?? '';
  const targetNamespace = portTypeDoc.tns;
  const port = findPort(docs, files, { ns: targetNamespace, local: portTypeName });

  const bound = boundOperations(port.binding, files);
  const operationEls = childElements(portType, NS.wsdl, 'operation');
  refuseRepeatedNames(operationEls, files, (name) => `operation "${name}" is declared twice in wsdl:portType "${portTypeName}"`);
  const operations = operationEls.map((opEl) => readOperation(opEl, files, messages, bound));
  const service: Service = {
    sourceFile,
    label: file,
    name: portTypeName,
    targetNamespace,
    ...docOf(portType),
    soapVersion: port.soapVersion,
    ...(port.address !== undefined ? { address: port.address } : {}),
    schemas: set.schemas,
    types: set.types,
    elements: set.elements,
    operations,
  };
  checkReferences(service);
  return service;
}

/** The WSDL and every document it imports with wsdl:import (each once, first imported first). */
function readImports(main: Definitions, resolver: DocumentResolver | undefined): Definitions[] {
  const docs = [main];
  const seen = new Set([main.key]);
  for (let i = 0; i < docs.length; i++) {
    const from = docs[i]!;
    for (const imp of childElements(from.root, NS.wsdl, 'import')) {
      const loc = attr(imp, 'location');
      const namespace = attr(imp, 'namespace') ?? '';
      if (loc === undefined) throw new GenerateError('wsdl:import without a location', location(imp, from.file));
      const opened = openReference(imp, loc, from, resolver, seen);
      if (!opened) continue;
      const { root, what } = opened;
      if (root.namespaceURI !== NS.wsdl || root.localName !== 'definitions') {
        throw new GenerateError(`${what} names a document whose root is <${root.tagName}>, not wsdl:definitions`, location(imp, from.file));
      }
      const tns = attr(root, 'targetNamespace') ?? '';
      if (tns !== namespace) {
        throw new GenerateError(`${what} names definitions for namespace "${tns}", but the import is for "${namespace}"`, location(imp, from.file));
      }
      docs.push({ root, file: opened.file, key: opened.key, tns });
    }
  }
  return docs;
}

function checkRoot(root: XmlElement, file: string): void {
  if (root.namespaceURI === NS.wsdl && root.localName === 'definitions') return;
  const message =
    root.namespaceURI === NS.wsdl20
      ? 'this is a WSDL 2.0 document; only WSDL 1.1 (wsdl:definitions) is supported'
      : root.namespaceURI === NS.xs && root.localName === 'schema'
        ? 'this is an XML Schema (xs:schema), not a WSDL 1.1 document (wsdl:definitions)'
        : `not a WSDL 1.1 document: the root element is <${root.tagName}>${root.namespaceURI ? ` in namespace ${root.namespaceURI}` : ''}, expected wsdl:definitions`;
  throw new GenerateError(message, location(root, file));
}

function docOf(el: XmlElement): { documentation?: string } {
  const d = firstChild(el, NS.wsdl, 'documentation');
  const text = d ? documentationText(d) : '';
  return text ? { documentation: text } : {};
}

interface MessageDef {
  readonly parts: readonly MessagePart[];
  readonly location: SourceLocation;
}

/**
 * Refuses a name given to two of `elements` (which `files` says where they are): the generated
 * code would hold two members of one name, or one would silently replace the other. The error is
 * at the second, and says where the first is.
 */
function refuseRepeatedNames(elements: readonly XmlElement[], files: FileOf, message: (name: string) => string): void {
  const first = new Map<string, XmlElement>();
  for (const el of elements) {
    const name = attr(el, 'name') ?? '';
    const earlier = first.get(name);
    if (earlier === undefined) {
      first.set(name, el);
      continue;
    }
    throw declaredTwice(message(name), location(earlier, files(earlier)), location(el, files(el)));
  }
}

/** Reads the wsdl:message elements of one document into `out` (all documents' messages, by QName). */
function readMessages(root: XmlElement, file: string, tns: string, out: Map<string, MessageDef>): void {
  for (const m of childElements(root, NS.wsdl, 'message')) {
    const partEls = childElements(m, NS.wsdl, 'part');
    refuseRepeatedNames(partEls, () => file, (name) => `wsdl:part "${name}" appears twice in wsdl:message "${attr(m, 'name') ?? ''}"`);
    const parts = partEls.map((p): MessagePart => {
      const element = attr(p, 'element');
      if (!element) {
        throw new GenerateError(
          'a wsdl:part without an element attribute (RPC style or type= parts) is not supported; only document/literal',
          location(p, file),
        );
      }
      return { name: attr(p, 'name') ?? '', element: resolveQName(p, element, file) };
    });
    const key = qnameKey({ ns: tns, local: attr(m, 'name') ?? '' });
    const loc = location(m, file);
    const earlier = out.get(key);
    if (earlier) throw declaredTwice(`wsdl:message "${attr(m, 'name') ?? ''}" is declared twice in namespace ${tns}`, earlier.location, loc);
    out.set(key, { parts, location: loc });
  }
}

interface BoundPort {
  readonly binding: XmlElement;
  readonly soapVersion: SoapVersion;
  readonly address?: string;
}

/** The service port for the portType: the first one with a SOAP 1.1 binding, else SOAP 1.2. */
function findPort(docs: readonly Definitions[], files: FileOf, portType: QName): BoundPort {
  // A port names its binding by QName: of two bindings of one name, it would find the first.
  for (const tns of new Set(docs.map((d) => d.tns))) {
    const sameNamespace = docs.filter((d) => d.tns === tns).flatMap((d) => childElements(d.root, NS.wsdl, 'binding'));
    refuseRepeatedNames(sameNamespace, files, (name) => `wsdl:binding "${name}" is declared twice in namespace ${tns}`);
  }
  const bindings = docs.flatMap((d) =>
    childElements(d.root, NS.wsdl, 'binding')
      .filter((b) => {
        const type = attr(b, 'type');
        return type !== undefined && qnameKey(resolveQName(b, type, d.file)) === qnameKey(portType);
      })
      .map((b) => ({ b, key: qnameKey({ ns: d.tns, local: attr(b, 'name') ?? '' }) })),
  );
  const soapVersionOf = (b: XmlElement): SoapVersion | undefined =>
    firstChild(b, NS.soap11, 'binding') ? '1.1' : firstChild(b, NS.soap12, 'binding') ? '1.2' : undefined;
  const candidates: BoundPort[] = [];
  for (const d of docs) {
    for (const service of childElements(d.root, NS.wsdl, 'service')) {
      for (const port of childElements(service, NS.wsdl, 'port')) {
        const bindingName = attr(port, 'binding');
        if (!bindingName) continue;
        const key = qnameKey(resolveQName(port, bindingName, d.file));
        const binding = bindings.find((x) => x.key === key)?.b;
        const version = binding && soapVersionOf(binding);
        if (!binding || !version) continue;
        const addressEl = firstChild(port, version === '1.1' ? NS.soap11 : NS.soap12, 'address');
        const address = addressEl ? attr(addressEl, 'location') : undefined;
        if (addressEl && address !== undefined) refuseCredentials(address, addressEl, d.file);
        candidates.push({ binding, soapVersion: version, ...(address !== undefined ? { address } : {}) });
      }
    }
  }
  // A binding without a service port still tells us how to talk; the address then comes from the user.
  for (const { b: binding } of bindings) {
    const version = soapVersionOf(binding);
    if (version && !candidates.some((c) => c.binding === binding)) candidates.push({ binding, soapVersion: version });
  }
  const chosen = candidates.find((c) => c.soapVersion === '1.1') ?? candidates[0];
  if (!chosen) {
    throw new GenerateError(`no SOAP 1.1 or SOAP 1.2 wsdl:binding for portType "${portType.local}"`, location(docs[0]!.root, docs[0]!.file));
  }
  const soapBinding = firstChild(chosen.binding, chosen.soapVersion === '1.1' ? NS.soap11 : NS.soap12, 'binding')!;
  const style = attr(soapBinding, 'style');
  if (style !== undefined && style !== 'document') {
    throw new GenerateError(`binding style "${style}" is not supported; only document/literal`, location(soapBinding, files(soapBinding)));
  }
  return chosen;
}

/** What every operation of a binding looks up: its SOAP namespace and its wsdl:operation elements by name. */
interface BoundOperations {
  readonly soapNs: string;
  /** The wsdl:operation of each name (a name is bound once). */
  readonly byName: ReadonlyMap<string, XmlElement>;
}

/**
 * Indexes the binding's operations once: searching them for each operation of the portType took
 * time quadratic in their number (List.wsdl binds 260 operations).
 */
function boundOperations(binding: XmlElement, files: FileOf): BoundOperations {
  const ops = childElements(binding, NS.wsdl, 'operation');
  refuseRepeatedNames(ops, files, (name) => `operation "${name}" is bound twice in wsdl:binding "${attr(binding, 'name') ?? ''}"`);
  const byName = new Map<string, XmlElement>();
  for (const op of ops) byName.set(attr(op, 'name') ?? '', op);
  return { soapNs: firstChild(binding, NS.soap11, 'binding') ? NS.soap11 : NS.soap12, byName };
}

function readOperation(opEl: XmlElement, files: FileOf, messages: Map<string, MessageDef>, bound: BoundOperations): Operation {
  const name = attr(opEl, 'name') ?? '';
  const loc = location(opEl, files(opEl));
  const bindingOp = bound.byName.get(name);
  if (!bindingOp) throw new GenerateError(`operation "${name}" has no wsdl:operation in the binding`, loc);
  const soapNs = bound.soapNs;
  const soapOp = firstChild(bindingOp, soapNs, 'operation');
  const style = soapOp ? attr(soapOp, 'style') : undefined;
  if (style !== undefined && style !== 'document') {
    throw new GenerateError(`operation style "${style}" is not supported; only document/literal`, location(soapOp!, files(soapOp!)));
  }
  const inputEl = inputOrOutput(opEl, 'input', files);
  if (!inputEl) throw new GenerateError(`operation "${name}" has no wsdl:input`, loc);
  const outputEl = inputOrOutput(opEl, 'output', files);
  const input = readOperationMessage(inputEl, inputOrOutput(bindingOp, 'input', files), files, messages, soapNs, name);
  const output = outputEl
    ? readOperationMessage(outputEl, inputOrOutput(bindingOp, 'output', files), files, messages, soapNs, name)
    : undefined;
  return {
    name,
    ...docOf(opEl),
    soapAction: (soapOp && attr(soapOp, 'soapAction')) ?? '',
    input,
    ...(output ? { output } : {}),
    location: loc,
  };
}

/** The wsdl:input or wsdl:output of an operation, if any; a second one (which would be ignored) is refused. */
function inputOrOutput(opEl: XmlElement, local: 'input' | 'output', files: FileOf): XmlElement | undefined {
  return onlyOne(
    childElements(opEl, NS.wsdl, local),
    (second) => new GenerateError(`operation "${attr(opEl, 'name') ?? ''}" has a second wsdl:${local}`, location(second, files(second))),
  );
}

function readOperationMessage(
  portTypeMsg: XmlElement,
  bindingMsg: XmlElement | undefined,
  files: FileOf,
  messages: Map<string, MessageDef>,
  soapNs: string,
  opName: string,
): OperationMessage {
  const message = lookupMessage(portTypeMsg, files, messages, opName);
  const body = bindingMsg ? firstChild(bindingMsg, soapNs, 'body') : undefined;
  if (body && attr(body, 'use') === 'encoded') {
    throw new GenerateError('SOAP encoding (use="encoded") is not supported; only literal', location(body, files(body)));
  }
  const bodyPartNames = body && attr(body, 'parts') !== undefined ? (attr(body, 'parts') ?? '').split(/\s+/).filter(Boolean) : undefined;
  const headers: MessagePart[] = [];
  for (const h of bindingMsg ? childElements(bindingMsg, soapNs, 'header') : []) {
    const headerMessage = lookupMessage(h, files, messages, opName);
    const partName = attr(h, 'part') ?? '';
    const part = headerMessage.parts.find((p) => p.name === partName);
    if (!part) throw new GenerateError(`soap:header names part "${partName}", which its message does not have`, location(h, files(h)));
    headers.push(part);
  }
  // The body is the message's parts that are not bound as headers (or those soap:body names).
  const bodyParts = message.parts.filter((p) => (bodyPartNames ? bodyPartNames.includes(p.name) : !headers.includes(p)));
  if (bodyParts.length !== 1) {
    throw new GenerateError(
      `operation "${opName}": the ${portTypeMsg.localName} message has ${bodyParts.length} body parts; ` +
        'only document/literal wrapped (exactly one element part) is supported',
      location(portTypeMsg, files(portTypeMsg)),
    );
  }
  const action = attrNS(portTypeMsg, NS.wsaw, 'Action') ?? attrNS(portTypeMsg, NS.wsam, 'Action');
  return { body: bodyParts[0]!.element, headers, ...(action !== undefined ? { action } : {}) };
}

function lookupMessage(el: XmlElement, files: FileOf, messages: Map<string, MessageDef>, opName: string): MessageDef {
  const ref = attr(el, 'message');
  if (!ref) throw new GenerateError(`operation "${opName}": wsdl:${el.localName} has no message attribute`, location(el, files(el)));
  const message = messages.get(qnameKey(resolveQName(el, ref, files(el))));
  if (!message) throw new GenerateError(`operation "${opName}": message "${ref}" is not defined`, location(el, files(el)));
  return message;
}

/**
 * Every type and element reference must resolve, extension and restriction chains must end (no
 * cycles), and list items and restrictions must be types the runtime reads from text.
 */
function checkReferences(service: Service): void {
  const checkType = (ref: TypeRef, usedBy: string, loc: SourceLocation): void => {
    if (ref.kind === 'named' && !service.types.has(qnameKey(ref.name))) {
      throw new GenerateError(`type "${ref.name.local}" (namespace ${ref.name.ns}) is not defined; used by ${usedBy}`, loc);
    }
  };
  const checkElement = (name: QName, usedBy: string, loc: SourceLocation): ElementDecl => {
    const el = service.elements.get(qnameKey(name));
    if (!el) throw new GenerateError(`element "${name.local}" (namespace ${name.ns}) is not defined; used by ${usedBy}`, loc);
    return el;
  };
  for (const el of service.elements.values()) checkType(el.type, `element ${el.name.local}`, el.location);
  for (const def of service.types.values()) checkTypeDef(def, service, checkType);
  for (const op of service.operations) {
    for (const msg of [op.input, op.output]) {
      if (!msg) continue;
      const body = checkElement(msg.body, `operation ${op.name}`, op.location);
      const bodyType = body.type.kind === 'named' ? service.types.get(qnameKey(body.type.name)) : undefined;
      if (!bodyType || bodyType.kind !== 'complex') {
        throw new GenerateError(
          `operation "${op.name}": body element "${msg.body.local}" is not a complex type (document/literal wrapped expected)`,
          body.location,
        );
      }
      for (const h of msg.headers) checkElement(h.element, `header ${h.name} of operation ${op.name}`, op.location);
    }
  }
}

function checkTypeDef(
  def: TypeDef,
  service: Service,
  checkType: (ref: TypeRef, usedBy: string, loc: SourceLocation) => void,
): void {
  const what = `type ${shownLocal(def.name.local)}`;
  switch (def.kind) {
    case 'complex': {
      for (const f of def.fields) checkType(f.type, `element ${f.name} of ${what}`, f.location);
      for (const a of def.attributes) checkType(a.type, `attribute ${a.name} of ${what}`, a.location);
      checkChainEnds(def, def.base, 'extension', what, (base) => {
        const baseDef = service.types.get(qnameKey(base));
        if (!baseDef) throw new GenerateError(`base type "${base.local}" (namespace ${base.ns}) is not defined; used by ${what}`, def.location);
        if (baseDef.kind !== 'complex') throw new GenerateError(`base type "${base.local}" of ${what} is not a complex type`, def.location);
        // An extension's elements follow its base's, and each becomes a property of one object: an
        // element named like one of a base (refused within one sequence too) would be two values of
        // one property, and `interface A extends B` with another type for it does not compile.
        const twice = def.fields.find((f) => baseDef.fields.some((b) => b.name === f.name));
        if (twice) {
          throw new GenerateError(`element "${twice.name}" of ${what} is also an element of its base type ${shownLocal(base.local)}`, twice.location);
        }
        return baseDef.base;
      });
      break;
    }
    case 'list': {
      checkType(def.item, what, def.location);
      const item = unreadable(def.item, service, 'item');
      if (item) {
        throw new GenerateError(
          `the item type of xs:list ${what} is ${item}; a list item must be an enumeration, a restriction, or an XSD built-in other than xs:anyType`,
          def.location,
        );
      }
      break;
    }
    case 'enum':
      checkType(def.base, what, def.location);
      break;
    case 'restriction': {
      checkType(def.base, what, def.location);
      const base = unreadable(def.base, service, 'base');
      if (base) {
        throw new GenerateError(
          `the base of xs:restriction ${what} is ${base}; a restriction without enumerations must restrict another such restriction, or an XSD built-in other than xs:anyType`,
          def.location,
        );
      }
      // The emitter and the runtime follow a restriction of a restriction to its built-in: it must end.
      const named = (ref: TypeRef): QName | undefined => (ref.kind === 'named' ? ref.name : undefined);
      checkChainEnds(def, named(def.base), 'restriction', what, (next) => {
        const nextDef = service.types.get(qnameKey(next));
        return nextDef?.kind === 'restriction' ? named(nextDef.base) : undefined;
      });
      if (def.minInclusive || def.maxInclusive) {
        const builtin = builtinOf(def, service);
        if (builtin) checkRangeFacets(def, builtin, what);
      }
      break;
    }
  }
}

/**
 * The built-in a restriction's chain of restrictions ends at (checked to end); undefined when a
 * type along it is missing or not a restriction, which is refused where that type is checked.
 */
function builtinOf(def: RestrictionTypeDef, service: Service): XsdPrimitive | undefined {
  let base = def.base;
  while (base.kind === 'named') {
    const next = service.types.get(qnameKey(base.name));
    if (next?.kind !== 'restriction') return undefined;
    base = next.base;
  }
  return base.name;
}

/**
 * Follows a chain of base types from `def` (`first`, then `next` of each) and fails when it comes
 * back to a type already passed: extension and restriction chains must end. `next` may throw for a
 * base that cannot be one.
 */
function checkChainEnds(def: TypeDef, first: QName | undefined, chain: string, what: string, next: (base: QName) => QName | undefined): void {
  const seen = new Set<string>([qnameKey(def.name)]);
  for (let base = first; base; ) {
    if (seen.has(qnameKey(base))) throw new GenerateError(`the ${chain} chain of ${what} is circular`, def.location);
    seen.add(qnameKey(base));
    base = next(base);
  }
}

/**
 * Why the runtime could not read a value of `ref` from text as a list item or a restriction's
 * base (schema.ts parseSimple), as "<type> (what it is)"; undefined when it can. A restriction is
 * read as the built-in its chain of restrictions ends at; whether that chain ends well is checked
 * with the restriction itself (every type is checked).
 */
function unreadable(ref: TypeRef, service: Service, role: 'item' | 'base'): string | undefined {
  if (ref.kind === 'primitive') return ref.name === 'anyType' ? 'xs:anyType (not a simple type)' : undefined;
  const def = service.types.get(qnameKey(ref.name));
  const name = `"${shownLocal(ref.name.local)}"`;
  switch (def?.kind) {
    case undefined: // refused by checkType
    case 'restriction':
      return undefined;
    case 'enum':
      return role === 'item' ? undefined : `${name} (an enumeration)`;
    case 'list':
      return `${name} (an xs:list)`;
    case 'complex':
      return `${name} (a complex type)`;
  }
}

/**
 * A soap:address with user info (`https://user:password@host/...`, `user:password@host/...`) or a
 * secret in its query (`?ticket=…`; documents.ts carriesSecrets, the rule messages redact by) is
 * refused: the generated client.ts would hold the secret in its source, which is committed and
 * shared. Credentials are given at run time (ticket, httpHeaders), never written into generated
 * code. The message shows the address as every message does (redactLocation): `***` for the secrets.
 */
function refuseCredentials(address: string, at: XmlElement, file: string): void {
  if (!carriesSecrets(address)) return;
  const what = carriesUserInfo(address) ? 'user info (user:password@)' : 'a secret in its query (a ticket, token, key or password)';
  throw new GenerateError(
    `soap:address location "${redactLocation(address)}" carries ${what}: the generated client would hold it in its source; remove it from the WSDL and give credentials at run time`,
    location(at, file),
  );
}
