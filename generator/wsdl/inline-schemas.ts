// A WSDL whose schemas come from other documents (WCF's split ?wsdl + ?xsd=xsdN) made into one
// self-contained document, as WCF's ?singleWsdl is: every imported schema is appended to
// wsdl:types, schemaLocation attributes are dropped and xs:include elements removed. The mock
// serves this text at ?wsdl, so SOAP tools pointed at the mock never reach the real server.
// Definitions imported with wsdl:import are not merged: such a WSDL is served as it was read.
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { NS, childElements, firstChild, type XmlElement } from './dom.js';
import type { ExternalDocument } from './external.js';

export function inlineSchemas(wsdlText: string, imported: readonly ExternalDocument[]): string {
  const parser = new DOMParser();
  const roots = imported.map((ext) => parser.parseFromString(ext.text, 'text/xml').documentElement as unknown as XmlElement | null);
  if (roots.some((r) => !r || r.namespaceURI !== NS.xs || r.localName !== 'schema')) return wsdlText;
  const doc = parser.parseFromString(wsdlText, 'text/xml');
  const root = doc.documentElement!;
  const types = firstChild(root as unknown as XmlElement, NS.wsdl, 'types');
  if (!types) return wsdlText;
  const defaultNs = root.getAttribute('xmlns');
  for (const schema of childElements(types, NS.xs, 'schema')) unlink(schema);
  for (const schemaRoot of roots) {
    const copy = doc.importNode(schemaRoot as never, true) as unknown as XmlElement;
    // The schema was a document root: no declaration of the WSDL's root may change its names.
    if (defaultNs && !copy.hasAttribute('xmlns')) copy.setAttribute('xmlns', '');
    unlink(copy);
    types.appendChild(copy);
  }
  return new XMLSerializer().serializeToString(doc);
}

/** Drops schemaLocation from xs:import and removes xs:include (its schema is inlined too). */
function unlink(schema: XmlElement): void {
  for (const child of childElements(schema, NS.xs)) {
    if (child.localName === 'import') child.removeAttribute('schemaLocation');
    else if (child.localName === 'include') schema.removeChild(child);
  }
}
