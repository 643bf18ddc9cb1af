// Lookups on the runtime's XML tree (parseXml) that only tests need: the runtime itself reads
// attributes and QNames while streaming (decode.ts), not from a tree.
import { resolveQNameIn } from '../../templates/runtime/xml.js';
import type { XmlElement } from './xml-tree.js';

/** The value of the attribute {ns}local, or undefined. Use ns '' for unprefixed attributes. */
export function attribute(el: XmlElement, ns: string, local: string): string | undefined {
  return el.attrs.find((a) => a.local === local && a.ns === ns)?.value;
}

/** A QName-valued string (such as an xsi:type value) resolved against the element's in-scope namespaces. */
export function resolveQName(el: XmlElement, qname: string): { ns: string; local: string } | undefined {
  return resolveQNameIn(el.scope, qname);
}
