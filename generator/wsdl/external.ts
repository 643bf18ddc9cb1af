// Documents a WSDL pulls in by location (xs:import/xs:include schemaLocation, wsdl:import
// location). The reader stays synchronous and never touches the file system or network itself:
// it asks a DocumentResolver (implemented in input/), which applies the location rules.
import { GenerateError } from '../errors.js';
import type { ImportLink } from '../model/types.js';
import { redactLocation } from '../input/documents.js';
import { NS, attr, childElements, firstChild, location, parseXmlDocument, type XmlElement } from './dom.js';

export interface ExternalDocument {
  /** Identifies the document (absolute path or URL): one document is read once per WSDL. */
  readonly key: string;
  /** How messages name it. */
  readonly file: string;
  readonly text: string;
}

export interface DocumentResolver {
  /** The key of the WSDL itself. */
  readonly mainKey: string;
  /**
   * The document `location` names, as seen from the document `fromKey`. Throws an Error whose
   * message says why it is refused or unreadable; the reader adds where the location was found.
   */
  resolve(location: string, fromKey: string): ExternalDocument;
}

/** Every location a WSDL or schema document names: wsdl:import, and xs:import/xs:include in its schemas. */
export function referencedLocations(root: XmlElement): { location: string; element: XmlElement }[] {
  const out: { location: string; element: XmlElement }[] = [];
  const fromSchema = (schema: XmlElement) => {
    for (const child of childElements(schema, NS.xs)) {
      if (child.localName !== 'import' && child.localName !== 'include') continue;
      const location = attr(child, 'schemaLocation');
      if (location !== undefined) out.push({ location, element: child });
    }
  };
  if (root.namespaceURI === NS.xs && root.localName === 'schema') fromSchema(root);
  if (root.namespaceURI === NS.wsdl && root.localName === 'definitions') {
    for (const imp of childElements(root, NS.wsdl, 'import')) {
      const location = attr(imp, 'location');
      if (location !== undefined) out.push({ location, element: imp });
    }
    const types = firstChild(root, NS.wsdl, 'types');
    if (types) for (const schema of childElements(types, NS.xs, 'schema')) fromSchema(schema);
  }
  return out;
}

/** `wsdl:import location` or `xs:import schemaLocation`: how messages name a reference (its location follows, see describeLocated). */
function describeReference(element: XmlElement): string {
  return element.namespaceURI === NS.wsdl ? `wsdl:${element.localName} location` : `xs:${element.localName} schemaLocation`;
}

/** `xs:import schemaLocation "https://***@host/x.xsd?ticket=***"`: a reference and its location as messages show them, without secrets. */
export function describeLocated(element: XmlElement, loc: string): string {
  return `${describeReference(element)} "${redactLocation(loc)}"`;
}

/** A document an import element names, parsed; `what` is how messages name the reference. */
export interface OpenedReference {
  readonly root: XmlElement;
  readonly file: string;
  readonly key: string;
  readonly what: string;
}

/**
 * Resolves and parses the document that `el` (a wsdl:import or xs:import/xs:include, found in the
 * document `from`) names by `loc`; undefined when `seen` has it already, so each is read once.
 * Errors of resolving name the import's place; the document is parsed as brought in by this import
 * (its first), so its errors, its parse errors too, name the imports back to the WSDL. The caller
 * checks what the document is.
 */
export function openReference(
  el: XmlElement,
  loc: string,
  from: { readonly file: string; readonly key: string },
  resolver: DocumentResolver | undefined,
  seen: Set<string>,
): OpenedReference | undefined {
  const link: ImportLink = { what: describeLocated(el, loc), at: location(el, from.file) };
  if (!resolver) throw new GenerateError(`${link.what}: this reader was given no way to resolve locations`, link.at);
  let ext;
  try {
    ext = resolver.resolve(loc, from.key);
  } catch (err) {
    throw new GenerateError(`${link.what}: ${(err as Error).message}`, link.at);
  }
  if (seen.has(ext.key)) return undefined;
  seen.add(ext.key);
  return { root: parseXmlDocument(ext.text, ext.file, link), file: ext.file, key: ext.key, what: link.what };
}
