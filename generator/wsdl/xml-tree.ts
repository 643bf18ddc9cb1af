// The XML tree the WSDL and schema readers walk: elements with their attributes, namespace
// declarations, character data and the line:column where each starts. Nothing else of XML is
// kept (comments and processing instructions carry no types).
//
// Two parsers build it (xml-parse.ts): a fast one for the well-formed documents WSDLs are, and
// xmldom for everything else, whose messages the generator reports. Both give the same tree.

import type { ImportLink } from '../model/types.js';

export const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
export const XMLNS_NAMESPACE = 'http://www.w3.org/2000/xmlns/';

export interface XmlAttribute {
  /** As written: `name`, `wsaw:Action`, `xmlns:tns`. */
  readonly name: string;
  readonly value: string;
  /** null for an attribute without a prefix. */
  readonly namespaceURI: string | null;
  readonly localName: string;
}

/** One parsed document: every element points to it, so a reader can tell which document an element came from. */
export class XmlDocument {
  /**
   * For a document a WSDL imports, the import that brought it in (set by parseXmlDocument): every
   * location in it carries it (dom.ts location), so errors name the imports back to the WSDL.
   */
  importedBy: ImportLink | undefined = undefined;
}

export class XmlElement {
  /** Child elements and character data (a string per text run or CDATA section), in document order. */
  readonly children: (XmlElement | string)[] = [];
  /**
   * The element's path (dom.ts elementPath), once asked for: a path extends its parent's, and
   * reading a WSDL asks for many. Kept here rather than in a WeakMap beside the tree, whose
   * tens of thousands of entries every garbage collection had to walk.
   */
  path: string | undefined = undefined;

  constructor(
    readonly ownerDocument: XmlDocument,
    readonly parentNode: XmlElement | null,
    /** The qualified name as written (`xs:element`). */
    readonly tagName: string,
    /** null when the element is in no namespace. */
    readonly namespaceURI: string | null,
    readonly localName: string,
    readonly attributes: readonly XmlAttribute[],
    /** The namespaces this element declares: prefix ('' for the default namespace) → URI; null when none. */
    readonly namespaces: Readonly<Record<string, string>> | null,
    /** 1-based, of the element's `<` (after line ends are normalised to \n). */
    readonly lineNumber: number,
    readonly columnNumber: number,
  ) {}

  /** The URI `prefix` is bound to here (declared on this element or an ancestor), or null. */
  lookupNamespaceURI(prefix: string): string | null {
    for (let el: XmlElement | null = this; el; el = el.parentNode) {
      const declared = el.namespaces;
      if (declared !== null && Object.hasOwn(declared, prefix)) return declared[prefix]!;
    }
    return null;
  }
}
