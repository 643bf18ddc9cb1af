// XML text → the readers' tree (xml-tree.ts), in one of two ways:
//
//   parseWellFormed: a small scanner for the documents WSDLs are — elements, attributes with the
//     five predefined entities and character references, text, comments, CDATA, an XML
//     declaration. It accepts only input xmldom accepts too, and builds the tree xmldom would
//     (the same names, namespaces, attribute values, text runs and line:column). On anything
//     else — a processing instruction, a non-ASCII name, an unusual character, every kind of
//     mistake — it gives up and returns undefined, without judging the input.
//   fromXmldom: xmldom's DOM converted to the same tree. xmldom reads whatever the scanner gave up
//     on, and its messages are the ones the generator reports for malformed XML.
//
// The scanner is ten times faster than xmldom and its tree a fraction of xmldom's DOM in memory;
// reading the 56 Services86 WSDLs spent most of its time in xmldom and its garbage.
// test/generator/xml-parse.test.ts checks the two against each other on valid and broken input.
import type { Element as XmldomElement, Node as XmldomNode } from '@xmldom/xmldom';
import { XML_NAMESPACE, XMLNS_NAMESPACE, XmlDocument, XmlElement, type XmlAttribute } from './xml-tree.js';

/** Line ends as xmldom normalises them before parsing (its `normalizeLineEndings`). */
function normalizeLineEndings(text: string): string {
  return /[\r\u0085\u2028\u2029]/.test(text) ? text.replace(/\r[\n\u0085]/g, '\n').replace(/[\r\u0085\u2028\u2029]/g, '\n') : text;
}

/**
 * Characters the scanner leaves to xmldom: those XML forbids, surrogates (xmldom's checks of
 * them differ by place), and U+FFFD, for which xmldom warns that the encoding may be wrong.
 */
const UNUSUAL_CHARACTER = /[^\t\n\x20-\uD7FF\uE000-\uFFFC]/;

/** `<?xml version="1.x" encoding="…" standalone="…"?>`, as xmldom's XMLDecl production has it. */
const XML_DECLARATION =
  /^<\?xml[ \t\n]+version[ \t\n]*=[ \t\n]*(?:'1\.\d+'|"1\.\d+")(?:[ \t\n]+encoding[ \t\n]*=[ \t\n]*(?:"[A-Za-z][-A-Za-z0-9._]*"|'[A-Za-z][-A-Za-z0-9._]*'))?(?:[ \t\n]+standalone[ \t\n]*=[ \t\n]*(?:'(?:yes|no)'|"(?:yes|no)"))?[ \t\n]*\?>/;

const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

// The scanner works tag by tag with sticky regular expressions (compiled to machine code at once)
// rather than character by character in JavaScript, which is slow until the JIT has warmed up —
// and a generator run reads each WSDL only once. Names are ASCII QNames; whitespace is the XML
// kind (after line-end normalisation: space, tab, \n).
const NAME = '[A-Za-z_][\\w.-]*(?::[A-Za-z_][\\w.-]*)?';
const VALUE = `(?:"[^"<]*"|'[^'<]*')`;
/** `<name`, attributes each after whitespace (values without `<`), then `>` or `/>`. */
const START_TAG = new RegExp(`<(${NAME})((?:[ \\t\\n]+${NAME}[ \\t\\n]*=[ \\t\\n]*${VALUE})*)[ \\t\\n]*(/?)>`, 'y');
const END_TAG = new RegExp(`</(${NAME})[ \\t\\n]*>`, 'y');
const SPACE = /[ \t\n]*/y;

const SLASH = 0x2f;
const BANG = 0x21;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09;
}

/** Replaces the predefined entities and character references; undefined for any other `&`. */
function decodeReferences(raw: string): string | undefined {
  let amp = raw.indexOf('&');
  if (amp < 0) return raw;
  let out = '';
  let from = 0;
  while (amp >= 0) {
    const semicolon = raw.indexOf(';', amp + 1);
    if (semicolon < 0) return undefined;
    const name = raw.slice(amp + 1, semicolon);
    let replacement = PREDEFINED[name];
    if (replacement === undefined) {
      const code = /^#[0-9]{1,7}$/.test(name) ? parseInt(name.slice(1), 10) : /^#x[0-9a-fA-F]{1,6}$/.test(name) ? parseInt(name.slice(2), 16) : -1;
      const valid = code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
      if (!valid) return undefined;
      replacement = String.fromCodePoint(code);
    }
    out += raw.slice(from, amp) + replacement;
    from = semicolon + 1;
    amp = raw.indexOf('&', from);
  }
  return out + raw.slice(from);
}

/** The end of the comment starting at `p` (`<!--`), or -1 when xmldom would refuse it (`--` inside, `--->`). */
function commentEnd(text: string, p: number): number {
  const end = text.indexOf('-->', p + 4);
  if (end < 0) return -1;
  const body = text.slice(p + 4, end);
  return body.includes('--') || body.endsWith('-') ? -1 : end + 3;
}

/** After whitespace and comments from `p` (outside the document element): the next position, or -1. */
function skipMisc(text: string, p: number): number {
  for (;;) {
    SPACE.lastIndex = p;
    SPACE.test(text);
    p = SPACE.lastIndex;
    if (!text.startsWith('<!--', p)) return p;
    p = commentEnd(text, p);
    if (p < 0) return -1;
  }
}

/**
 * Beyond these the scanner leaves the document to xmldom: it checks attribute names and looks up
 * namespaces by walking lists, which is quick for what WSDLs hold (a few attributes, a few dozen
 * levels) and quadratic for what they do not (a tag with thousands of attributes, thousands of
 * nested elements); xmldom reads such input in linear time.
 */
const MAX_ATTRIBUTES = 32;
const MAX_DEPTH = 128;

/** Scratch space for one start tag's attributes (names and values), reused from tag to tag. */
const names: string[] = [];
const values: string[] = [];

/**
 * The URI `prefix` is bound to at an element that declares `declared`, below `parent`: null for
 * none ('' is "no default namespace"), undefined for an unbound prefix.
 */
function namespaceOf(prefix: string, declared: Record<string, string> | null, parent: XmlElement | null): string | null | undefined {
  if (declared !== null && Object.hasOwn(declared, prefix)) return declared[prefix];
  for (let el = parent; el !== null; el = el.parentNode) {
    const d = el.namespaces;
    if (d !== null && Object.hasOwn(d, prefix)) return d[prefix];
  }
  return prefix === '' ? null : prefix === 'xml' ? XML_NAMESPACE : undefined;
}

/**
 * The element of a START_TAG match (name, attribute text), with its namespaces resolved as
 * xmldom resolves them; undefined where xmldom would refuse it or might differ.
 */
function openElement(doc: XmlDocument, parent: XmlElement | null, tagName: string, attributeText: string, line: number, column: number): XmlElement | undefined {
  names.length = 0;
  values.length = 0;
  let declared: Record<string, string> | null = null;
  // START_TAG has checked the attributes' syntax, so they are split here without a second regular
  // expression: whitespace, the name up to `=`, whitespace, the quoted value.
  for (let p = 0; p < attributeText.length; ) {
    while (isSpace(attributeText.charCodeAt(p))) p++;
    const equals = attributeText.indexOf('=', p);
    let nameEnd = equals;
    while (isSpace(attributeText.charCodeAt(nameEnd - 1))) nameEnd--;
    const name = attributeText.slice(p, nameEnd);
    if (names.length === MAX_ATTRIBUTES || names.includes(name)) return undefined;
    p = equals + 1;
    while (isSpace(attributeText.charCodeAt(p))) p++;
    const close = attributeText.indexOf(attributeText[p]!, p + 1);
    const raw = attributeText.slice(p + 1, close);
    p = close + 1;
    // Attribute-value normalisation: each tab and line end becomes a space, before references are replaced.
    const value = decodeReferences(raw.includes('\t') || raw.includes('\n') ? raw.replace(/[\t\n]/g, ' ') : raw);
    if (value === undefined) return undefined;
    names.push(name);
    values.push(value);
    // A namespace declaration: xmlns="…" (the default namespace) or xmlns:prefix="…".
    // Binding the xml or xmlns namespace URI is refused by xmldom; it decides.
    if ((name === 'xmlns' || name.startsWith('xmlns:')) && (value === XML_NAMESPACE || value === XMLNS_NAMESPACE)) return undefined;
    if (name === 'xmlns') (declared ??= Object.create(null) as Record<string, string>)[''] = value;
    else if (name.startsWith('xmlns:')) {
      const prefix = name.slice(6);
      if (prefix === 'xml' || prefix === 'xmlns' || value === '') return undefined;
      (declared ??= Object.create(null) as Record<string, string>)[prefix] = value;
    }
  }
  const colon = tagName.indexOf(':');
  let namespaceURI: string | null;
  if (colon < 0) namespaceURI = namespaceOf('', declared, parent) || null;
  else {
    const prefix = tagName.slice(0, colon);
    if (prefix === 'xml' || prefix === 'xmlns') return undefined;
    namespaceURI = namespaceOf(prefix, declared, parent) || null;
    if (namespaceURI === null) return undefined;
  }
  // Made at its final length: an array grown by push from [] reserves room for 17 entries, ≈ 150
  // bytes per element for its one to three attributes, and a big WSDL's tree lives through several
  // garbage collections, each copying it. Trees 15 % smaller (10 Services86 WSDLs: 7.4 → 6.3 MB).
  const attributes: XmlAttribute[] = new Array<XmlAttribute>(names.length);
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    const c = name.indexOf(':');
    let uri: string | null = null;
    if (c >= 0) {
      const prefix = name.slice(0, c);
      uri = prefix === 'xmlns' ? XMLNS_NAMESPACE : namespaceOf(prefix, declared, parent) || null;
      if (uri === null) return undefined;
    } else if (name === 'xmlns') uri = XMLNS_NAMESPACE;
    const localName = c < 0 ? name : name.slice(c + 1);
    // Two prefixes bound to one URI can give two attributes one expanded name (a:x and b:x), which
    // xmldom merges into one; it decides.
    if (c >= 0 && attributes.some((other) => other.namespaceURI === uri && other.localName === localName)) return undefined;
    attributes[i] = { name, value: values[i]!, namespaceURI: uri, localName };
  }
  const localName = colon < 0 ? tagName : tagName.slice(colon + 1);
  return new XmlElement(doc, parent, tagName, namespaceURI, localName, attributes, declared, line, column);
}

/**
 * The scanner's state between pieces. Each piece (text run, start tag, end tag, comment, CDATA)
 * is one small method call: V8 optimises small, often-called methods early, and a rare piece
 * that meets optimised code without type feedback costs one bail-out for that piece only — in
 * one long loop it sent the rest of the document back to the interpreter.
 */
class Scanner {
  readonly doc = new XmlDocument();
  /** The open elements, innermost last. */
  readonly open: XmlElement[] = [];
  root: XmlElement | undefined = undefined;
  // Line and column of the element starts, which only move forward.
  line = 1;
  lineStart = 0;
  nextNewline: number;

  constructor(
    readonly text: string,
    public p: number,
  ) {
    this.nextNewline = text.indexOf('\n');
  }

  /** Reads the next piece; false to leave the document to xmldom. */
  step(): boolean {
    const lt = this.text.indexOf('<', this.p);
    if (lt < 0) return false;
    if (lt > this.p && !this.characters(lt)) return false;
    const next = this.text.charCodeAt(lt + 1);
    return next === SLASH ? this.endTag() : next === BANG ? this.markup() : this.startTag();
  }

  /** Character data up to `lt`: only inside the document element. */
  characters(lt: number): boolean {
    const parent = this.open[this.open.length - 1];
    const data = parent === undefined ? undefined : decodeReferences(this.text.slice(this.p, lt));
    if (data === undefined) return false;
    parent!.children.push(data);
    this.p = lt;
    return true;
  }

  /** `</name>` closing the innermost open element. */
  endTag(): boolean {
    END_TAG.lastIndex = this.p;
    const m = END_TAG.exec(this.text);
    const parent = this.open[this.open.length - 1];
    if (!m || parent === undefined || m[1] !== parent.tagName) return false;
    this.p = END_TAG.lastIndex;
    this.open.pop();
    return true;
  }

  /** A comment or a CDATA section inside the document element. */
  markup(): boolean {
    const { text, p } = this;
    const parent = this.open[this.open.length - 1];
    if (parent === undefined) return false;
    if (text.startsWith('<!--', p)) {
      this.p = commentEnd(text, p);
      return this.p >= 0;
    }
    if (!text.startsWith('<![CDATA[', p)) return false;
    const end = text.indexOf(']]>', p + 9);
    if (end < 0) return false;
    if (end > p + 9) parent.children.push(text.slice(p + 9, end));
    this.p = end + 3;
    return true;
  }

  /** A start tag: the element, added to its parent (or as the root) and, unless `/>`, opened. */
  startTag(): boolean {
    const { text, p } = this;
    START_TAG.lastIndex = p;
    const m = START_TAG.exec(text);
    if (!m) return false;
    while (this.nextNewline >= 0 && this.nextNewline < p) {
      this.line++;
      this.lineStart = this.nextNewline + 1;
      this.nextNewline = text.indexOf('\n', this.lineStart);
    }
    if (this.open.length === MAX_DEPTH) return false;
    const parent = this.open.length > 0 ? this.open[this.open.length - 1]! : null;
    const element = openElement(this.doc, parent, m[1]!, m[2]!, this.line, p - this.lineStart + 1);
    if (!element) return false;
    this.p = START_TAG.lastIndex;
    if (parent) parent.children.push(element);
    else this.root = element;
    if (m[3] !== '/') this.open.push(element);
    return true;
  }
}

/**
 * The fast path: the document element of `source`, or undefined when the scanner leaves the
 * input to xmldom (see the top of this file). Never throws for bad input.
 */
export function parseWellFormed(source: string): XmlElement | undefined {
  const text = normalizeLineEndings(source);
  if (UNUSUAL_CHARACTER.test(text)) return undefined;
  let p = 0;
  if (text.startsWith('<?')) {
    const declaration = XML_DECLARATION.exec(text);
    if (!declaration) return undefined;
    p = declaration[0].length;
  }
  p = skipMisc(text, p);
  if (p < 0) return undefined;
  // The document element (the first piece must be its start tag), then everything inside it.
  const scanner = new Scanner(text, p);
  do {
    if (!scanner.step()) return undefined;
  } while (scanner.open.length > 0);
  // After the document element: whitespace and comments only.
  return skipMisc(text, scanner.p) === text.length ? scanner.root : undefined;
}

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;

/** xmldom's document element as the readers' tree (the path for everything parseWellFormed leaves to xmldom). */
export function fromXmldom(root: XmldomElement): XmlElement {
  const doc = new XmlDocument();
  const convert = (el: XmldomElement, parent: XmlElement | null): XmlElement => {
    const attributes: XmlAttribute[] = [];
    let declared: Record<string, string> | null = null;
    for (let i = 0; i < el.attributes.length; i++) {
      const a = el.attributes[i]!;
      attributes.push({ name: a.name, value: a.value, namespaceURI: a.namespaceURI, localName: a.localName ?? a.name });
      // As xmldom records declarations for lookupNamespaceURI: by prefix, '' for xmlns="…".
      if (a.namespaceURI === XMLNS_NAMESPACE) (declared ??= Object.create(null) as Record<string, string>)[a.prefix ? (a.localName ?? '') : ''] = a.value;
    }
    const located = el as unknown as { lineNumber?: number; columnNumber?: number };
    const out = new XmlElement(doc, parent, el.tagName, el.namespaceURI, el.localName ?? el.tagName, attributes, declared, located.lineNumber ?? 0, located.columnNumber ?? 0);
    for (let c: XmldomNode | null = el.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === ELEMENT_NODE) out.children.push(convert(c as XmldomElement, out));
      else if (c.nodeType === TEXT_NODE || c.nodeType === CDATA_SECTION_NODE) out.children.push(c.nodeValue ?? '');
    }
    return out;
  };
  return convert(root, null);
}
