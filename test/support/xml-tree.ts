// XML as a tree, for tests (and the bench's reader row): parseXml and readElement build elements
// from the runtime's XmlReader events. The runtime itself builds no tree: the decoder reads events
// straight into typed values, for the client and the mock alike.
import { XmlReader, XML_END, XML_START, XML_TEXT, type Scope, type XmlName } from '../../templates/runtime/xml.js';

/** A parsed element. Namespaces are resolved while parsing. */
export interface XmlElement {
  /** Namespace URI ('' when none). */
  readonly ns: string;
  /** Local name. */
  readonly local: string;
  /** Attributes in document order; xmlns declarations are NOT included. */
  readonly attrs: readonly XmlAttribute[];
  /** Child elements in document order. */
  readonly children: XmlElement[];
  /** Concatenated character data directly inside this element (entities decoded, CDATA included). */
  text: string;
  /** 1-based line of the '<' of the start tag. */
  readonly line: number;
  /** 1-based column (in characters, i.e. code points) of the '<' of the start tag. */
  readonly column: number;
  /** In-scope prefix bindings, for resolving QName-valued attributes such as xsi:type. */
  readonly scope: Scope;
}

export interface XmlAttribute {
  readonly ns: string;
  readonly local: string;
  readonly value: string;
}

class AttributeNode implements XmlAttribute {
  readonly ns: string;
  readonly local: string;
  readonly value: string;
  constructor(ns: string, local: string, value: string) {
    this.ns = ns;
    this.local = local;
    this.value = value;
  }
}

const NO_ATTRS: readonly XmlAttribute[] = Object.freeze([]);

class ElementNode implements XmlElement {
  readonly ns: string;
  readonly local: string;
  readonly attrs: readonly XmlAttribute[];
  children: XmlElement[];
  text: string;
  readonly scope: Scope;
  private readonly reader: XmlReader;
  private readonly offset: number;

  /** The reader's current start tag (without children or text). */
  constructor(r: XmlReader) {
    this.ns = r.ns;
    this.local = r.name.local;
    this.attrs = attributesOf(r);
    this.children = [];
    this.text = '';
    this.scope = r.scope;
    this.reader = r;
    this.offset = r.start;
  }

  get line(): number {
    return this.reader.lineColumn(this.offset).line;
  }

  get column(): number {
    return this.reader.lineColumn(this.offset).column;
  }
}

/** xmlns or xmlns:p: a namespace declaration, not an attribute of the element. */
export function isNamespaceDeclaration(name: XmlName): boolean {
  return name.prefix === 'xmlns' || name.qname === 'xmlns';
}

/** The non-declaration attributes of the reader's current start tag, as nodes. */
function attributesOf(r: XmlReader): readonly XmlAttribute[] {
  const list: AttributeNode[] = [];
  for (let i = 0; i < r.attrCount; i++) {
    if (!isNamespaceDeclaration(r.attrName(i))) list.push(new AttributeNode(r.attrNs(i), r.attrName(i).local, r.attrValue(i)));
  }
  return list.length === 0 ? NO_ATTRS : list;
}

/**
 * After XML_START: reads the element and everything in it, through its end tag, into a tree.
 * Children and text pieces are collected on shared stacks, and each element's array and string
 * are made once, at its end tag: exactly sized arrays and flat strings.
 */
export function readElement(r: XmlReader): XmlElement {
  const root = new ElementNode(r);
  let cur = root;
  const stack: ElementNode[] = [root];
  const kidStarts: number[] = [0];
  const textStarts: number[] = [0];
  const kids: ElementNode[] = [];
  const texts: string[] = [];
  // Logical tops of `kids` and `texts` (cheaper than truncating the arrays through .length).
  let kidsTop = 0;
  let textsTop = 0;
  for (;;) {
    const ev = r.next();
    if (ev === XML_START) {
      const el = new ElementNode(r);
      kids[kidsTop++] = el;
      stack.push(el);
      kidStarts.push(kidsTop);
      textStarts.push(textsTop);
      cur = el;
    } else if (ev === XML_TEXT) {
      texts[textsTop++] = r.text();
      // Many text pieces in one element (text between thousands of children): join them in
      // batches, so that they are not all kept alive as separate strings (see append; guarded by
      // xml-scaling.slow.test.ts, family "many tiny text nodes").
      const ts = textStarts[textStarts.length - 1] as number;
      if (textsTop - ts > 256) {
        texts[ts] = (texts[ts] as string) + texts.slice(ts + 1, textsTop).join('');
        textsTop = ts + 1;
      }
    } else if (ev === XML_END) {
      const ks = kidStarts.pop() as number;
      if (ks < kidsTop) {
        cur.children = kids.slice(ks, kidsTop);
        kidsTop = ks;
      }
      const ts = textStarts.pop() as number;
      const pieces = textsTop - ts;
      if (pieces === 1) cur.text = texts[ts] as string;
      else if (pieces > 1) cur.text = texts.slice(ts, textsTop).join('');
      textsTop = ts;
      stack.pop();
      if (stack.length === 0) return root;
      cur = stack[stack.length - 1] as ElementNode;
    } else {
      throw new Error('internal: the XML reader ended inside an element');
    }
  }
}

/** Parses a complete XML document and returns its document element. Throws XmlSyntaxError. */
export function parseXml(text: string, options?: { maxDepth?: number }): XmlElement {
  const r = new XmlReader(text, options?.maxDepth);
  r.next(); // the document element's start tag: the reader refuses anything else first
  const root = readElement(r);
  r.next(); // XML_EOF: the reader refuses anything but comments, PIs and whitespace after it
  return root;
}
