// A small, strict, namespace-aware XML pull reader for SOAP messages, and the two escaping helpers
// the encoder needs. No imports: the file runs unchanged in Node, browsers and Deno.
//
// - XmlReader.next() returns start tag, text and end tag events and leaves their details in fields.
//   Every well-formedness check happens there, in document order, so all its readers (the decoder,
//   the Fault reader, the tests' trees) see the same errors at the same places.
// - The input is scanned with indexOf/charCodeAt; text and attribute values that need no decoding
//   are kept as extents of the input, sliced only when asked for. Names are interned per document
//   and, as messages repeat their structure, start tags predicted: a predicted tag is only compared.
// - Security: a DOCTYPE is refused, so no entity is ever declared or expanded (only the five
//   predefined ones and character references are decoded). Depth and name length are limited,
//   and every check is linear in the input (xml-scaling.slow.test.ts).
// - Positions are offsets; lines and columns are counted only for error messages.

export class XmlSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${reason} at line ${line}, column ${column}`);
    this.name = 'XmlSyntaxError';
  }
}

/**
 * Longest name accepted, in UTF-16 units: below V8's 16384, beyond which a string's hash is its
 * length alone, so every Map and Set keyed by name keeps its constant time on hostile input.
 */
export const MAX_NAME_LENGTH = 10_000;

// Reader events (XmlReader.next).
/** End of the document (everything after the document element was checked too). */
export const XML_EOF = 0;
/** A start tag: name, ns, scope, attributes. A self-closing tag is followed by its XML_END. */
export const XML_START = 1;
/** An end tag (or the end of a self-closing tag). */
export const XML_END = 2;
/** Character data inside an element: a run between markup, or a CDATA section. */
export const XML_TEXT = 3;

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

// Characters XML 1.0 does not allow anywhere, raw: C0 controls but tab/LF/CR, U+FFFE, U+FFFF, and
// surrogates that are not part of a pair. One native scan over the whole input (notXmlChar); a
// `u`-flag class would say it directly but is several times slower in V8.
const SUSPECT_CHAR = /[\0-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/g;

/** The offset of the first character of `s` that XML 1.0 does not allow, even escaped, or -1 (the reader's input, the encoder's strings). */
export function notXmlChar(s: string): number {
  SUSPECT_CHAR.lastIndex = 0;
  for (let m = SUSPECT_CHAR.exec(s); m !== null; m = SUSPECT_CHAR.exec(s)) {
    const c = s.charCodeAt(m.index);
    const d = s.charCodeAt(m.index + 1);
    if (!(c >= 0xd800 && c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff)) return m.index;
    SUSPECT_CHAR.lastIndex = m.index + 2; // a valid pair
  }
  return -1;
}

// ASCII name characters: 1 = may start a name, 2 = may only continue one.
const NAME_ASCII = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 58) NAME_ASCII[c] = 1;
  else if ((c >= 48 && c <= 57) || c === 45 || c === 46) NAME_ASCII[c] = 2;
}

/** NameStartChar of XML 1.0 beyond ASCII, in the BMP (astral ones are taken by their high surrogate). */
function isNameStartHigh(c: number): boolean {
  return (
    (c >= 0xc0 && c <= 0x2ff && c !== 0xd7 && c !== 0xf7) || (c >= 0x370 && c <= 0x1fff && c !== 0x37e) || c === 0x200c || c === 0x200d ||
    (c >= 0x2070 && c <= 0x218f) || (c >= 0x2c00 && c <= 0x2fef) || (c >= 0x3001 && c <= 0xd7ff) || (c >= 0xf900 && c <= 0xfdcf) || (c >= 0xfdf0 && c <= 0xfffd)
  );
}

/** NameChar of XML 1.0 beyond ASCII, in the BMP. */
function isNameCharHigh(c: number): boolean {
  return isNameStartHigh(c) || c === 0xb7 || (c >= 0x300 && c <= 0x36f) || c === 0x203f || c === 0x2040;
}

/** A high surrogate of a U+10000..U+EFFFF name character (that it is paired was checked up front). */
function isNameSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdb7f;
}

/** XML's white space (the S production), which is also what XSD's whiteSpace facet collapses. */
export function isWs(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}

/** Code points of the XML 1.0 Char production (what a character reference may stand for). */
function isXmlChar(cp: number): boolean {
  return cp === 9 || cp === 10 || cp === 13 || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

// What a run of characters is (XmlReader.decoded).
const TEXT = 0;
const ATTRIBUTE = 1;
const CDATA = 2;

/** The XML declaration's pseudo-attributes, in the only order allowed, and what each value must be. */
const DECLARATION: readonly (readonly [string, RegExp, (value: string) => string])[] = [
  // XML 1.0 (5th edition, 2.8): a 1.0 processor reads a document of another 1.x version as if it
  // were 1.0. So 1.1 is read by the 1.0 rules: what only 1.1 allows is refused or read as 1.0
  // reads it (test/runtime/xml-decisions.test.ts).
  ['version', /^1\.[0-9]+$/, (v) => `Unsupported XML version '${v}' (1.x is read as 1.0)`],
  ['encoding', /^[A-Za-z][A-Za-z0-9._-]*$/, (v) => `Invalid encoding name '${v}'`],
  ['standalone', /^(yes|no)$/, () => "standalone must be 'yes' or 'no'"],
];

/** The five predefined entities, by name. */
const ENTITIES = new Map([['amp', '&'], ['lt', '<'], ['gt', '>'], ['quot', '"'], ['apos', "'"]]);

/** A character reference after its '&#': hexadecimal or decimal digits, and the ';'. */
const CHAR_REFERENCE = /x[0-9A-Fa-f]+;|[0-9]+;/y;

/** Encoding names that a byte order mark can go with. */
const UNICODE_ENCODING = /^(utf-?(8|16|32)(le|be)?|ucs-?[24]|iso-10646-ucs-[24])$/i;

const INTERN: Record<string, number> = Object.create(null) as Record<string, number>;

/**
 * The same text as a string that compares fast: compact (one byte per character, when it can be:
 * String.fromCharCode of codes below 256) and interned (in V8 a property key is), so comparing it
 * with a literal or another interned name is one pointer test. For names and namespace URIs, made
 * once per document and compared many times. Bench: the `tricks` case, row trick-canonical-names.
 */
function canonical(s: string): string {
  if (s.length === 0 || s.length > 256) return s;
  let flat = s;
  if (!/[^\0-\xff]/.test(s)) {
    const codes: number[] = [];
    for (let i = 0; i < s.length; i++) codes.push(s.charCodeAt(i));
    flat = String.fromCharCode.apply(null, codes);
  }
  INTERN[flat] = 0;
  const key = Object.keys(INTERN)[0] as string;
  delete INTERN[flat];
  return key;
}

/** Offset of `needle` at or after `from`, or `src.length` when absent. */
function find(src: string, needle: string, from: number): number {
  const i = src.indexOf(needle, from);
  return i < 0 ? src.length : i;
}

/**
 * A sticky pattern for `text` as it is, then `then` (a pattern): how a kept start tag and a name's
 * end tag are compared (matchAt). Irregexp compares several characters per load, startsWith one at
 * a time, so a tag of 40 characters compares about 5 times faster. Bench: row trick-tag-patterns.
 */
function literal(text: string, then = ''): RegExp {
  return new RegExp(text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&') + then, 'y');
}

/** The offset after the match of `pattern` (from literal) at `offset` in `src`, or -1. */
function matchAt(pattern: RegExp, src: string, offset: number): number {
  pattern.lastIndex = offset;
  return pattern.test(src) ? pattern.lastIndex : -1;
}

/** `U+00E9`: a code point as messages write it. */
export function codePoint(cp: number): string {
  return 'U+' + cp.toString(16).toUpperCase().padStart(4, '0');
}

/** A namespace binding: one per distinct URI and document (XmlReader.bindingOf); `id` numbers it, for keys. */
interface Binding {
  readonly uri: string;
  readonly id: number;
}

/** The namespaces in scope: an element's declarations, then its parent's. Elements that declare nothing share their parent's. */
export class Scope {
  constructor(
    readonly parent: Scope | null,
    /** The bindings declared here, and those found beyond here by earlier long walks (see binding()). */
    private readonly known: Map<string, Binding>,
  ) {}

  /** The binding of `prefix` in this scope (undefined: unbound; `xml` always is); `''` asks for the default namespace (URI '' when none). */
  binding(prefix: string): Binding | undefined {
    let found: Binding | undefined;
    let steps = 0;
    for (let s: Scope | null = this; s !== null && (found = s.known.get(prefix)) === undefined; s = s.parent) steps++;
    if (found === undefined) return undefined;
    // Found far up: the answer holds at the parent too, so the siblings and descendants asking next
    // stop there. A deep chain of scopes costs one walk per prefix and parent, not per lookup: a
    // guard of linear time (xml-scaling.slow.test.ts, "a deep chain of scopes"), not a speed trick.
    if (steps > 4 && this.parent !== null) this.parent.known.set(prefix, found);
    return found;
  }
}

/** Every document's outermost scope: the two built-in prefixes and the empty default namespace. */
const ROOT_SCOPE = new Scope(
  null,
  new Map<string, Binding>().set('', { uri: '', id: -3 }).set('xml', { uri: XML_NS, id: -1 }).set('xmlns', { uri: XMLNS_NS, id: -2 }),
);

/** A qualified name: one object per distinct name per document (XmlReader.intern), so names compare by identity. */
export class XmlName {
  readonly qname: string;
  /** '' when unprefixed. */
  readonly prefix: string;
  readonly local: string;
  /** The binding of the prefix, and the scope it was looked up in (a cache: see XmlReader.resolve). */
  binding: Binding | undefined = undefined;
  scope: Scope | null = null;
  /** Tag predictions (XmlReader.startTag): the element that last followed this one as its next sibling, and last its first child. */
  nextSibling: XmlName | null = null;
  firstChild: XmlName | null = null;
  /** The start tag of this name kept for comparison (XmlReader.readTag says which), and how many were kept. */
  tag: Tag | null = null;
  kept = 0;
  /** The usual end tag, `</qname>` (white space before the '>' allowed), as a pattern (XmlReader.endTag); null when not compact. */
  readonly endTag: RegExp | null;

  /** `hash`: of the qualified name, computed while scanning it (30 bits). `compact`: make the strings canonical, and the end tag's pattern. */
  constructor(qname: string, colon: number, readonly hash: number, compact: boolean) {
    const c = compact ? canonical : (s: string) => s;
    this.qname = c(qname);
    this.prefix = colon < 0 ? '' : c(qname.slice(0, colon));
    this.local = colon < 0 ? this.qname : c(qname.slice(colon + 1));
    this.endTag = compact && qname.length <= MAX_PATTERN_LENGTH ? literal(`</${qname}`, '[\\t\\n\\r ]*>') : null;
  }
}

/** A start tag as read once: its text, from '<' to '>', as a pattern, and its attributes' names, offsets from the '<' and values. */
type Tag = { readonly pattern: RegExp; readonly names: readonly XmlName[]; readonly offsets: readonly number[]; readonly values: readonly string[] };

/** Whether a character may need decoding: '&', '<', or a control (tab, LF, CR: the others were refused up front). */
function needsDecoding(c: number): boolean {
  return c < 32 || c === 38 || c === 60;
}

/** Whether an attribute is a namespace declaration (xmlns or xmlns:p). */
function isDecl(n: XmlName): boolean {
  return n.prefix === 'xmlns' || n.qname === 'xmlns';
}

/** A prefixed attribute's namespace binding (once resolved), or undefined for the others. */
function prefixedBinding(n: XmlName): Binding | undefined {
  return n.prefix === '' || n.prefix === 'xmlns' ? undefined : n.binding;
}

const NAME_CACHE_SIZE = 2048; // power of two
const MAX_KEPT_TAGS = 4;
/** Longest tag kept as a pattern (literal), in UTF-16 units: real tags are far shorter, and a longer one costs more to compile than it saves. */
const MAX_PATTERN_LENGTH = 256;
const NAME_PROBES = 4;

/**
 * A pull reader over a whole document: `next()` returns the next event (XML_START, XML_TEXT,
 * XML_END, XML_EOF) and leaves its details in the fields below, valid until the next call.
 */
export class XmlReader {
  private readonly len: number;
  private readonly maxDepth: number;
  private pos: number;
  private rootSeen = false;
  /** The last START was self-closing: the next call returns its END without reading. */
  private pendingEnd = false;
  /** The element closed last, while its parent is the innermost open element; else null. */
  private prevSibling: XmlName | null = null;
  // Open elements, by depth - 1: names (for end tags), start offsets (for messages), scopes.
  private readonly openNames: XmlName[] = [];
  private readonly openStarts: number[] = [];
  private readonly openScopes: Scope[] = [];
  // Offsets of the next '&', '\r' and ']]>' (src.length when none), each searched for once and kept
  // until passed, so that plain text is recognised without looking at its characters.
  private nextAmp = -1;
  private nextCr = -1;
  private nextCdEnd = -1;
  /** Set by scanName: offset of the name's colon (or -1), and the name's hash; by reference: the offset of its ';'. */
  private colon = -1;
  private hash = 0;
  private refEnd = 0;
  /** Names seen in this document, open-addressed by hash: documents repeat a few dozen names many thousand times. */
  private readonly names: (XmlName | undefined)[] = new Array(NAME_CACHE_SIZE);
  /** Bindings declared in this document, by a hash of their URI (see bindingOf). */
  private readonly bindings = new Map<number, Binding[]>();
  private bindingCount = 0;
  private readonly seed = (Math.random() * 0x100000000) | 0;
  /**
   * How many more names and namespace URIs are made canonical, and start tags kept as patterns (a
   * few microseconds each, repaid when one recurs): a real message has a few hundred, a hostile
   * one a new name in every tag.
   */
  private compactLeft = NAME_CACHE_SIZE;

  // ---- The current event ----------------------------------------------------------------------
  /** Nesting depth: after XML_START the element's own depth (the document element is 1). */
  depth = 0;
  /** XML_START / XML_END: the element's name. */
  name: XmlName = new XmlName('', -1, 0, false);
  /** XML_START: the element's namespace URI. */
  ns = '';
  /** XML_START: the element's in-scope namespaces. */
  scope: Scope = ROOT_SCOPE;
  /** XML_START: offset of the '<' of the start tag. */
  start = 0;
  /** XML_START: number of attributes, namespace declarations (xmlns, xmlns:p) included. */
  attrCount = 0;
  // XML_TEXT: the text's extent in `src`, and its decoded text, or null when it is exactly that
  // extent (read it with text()).
  private textStart = 0;
  private textEnd = 0;
  private textValue: string | null = null;

  // Attributes of the current start tag, by index in document order: name, offset of the name,
  // extent of the value, and the decoded value (null when it is exactly its extent).
  private readonly aNames: XmlName[] = [];
  private readonly aOffsets: number[] = [];
  private readonly aStarts: number[] = [];
  private readonly aEnds: number[] = [];
  private readonly aValues: (string | null)[] = [];

  /** `maxDepth`: the deepest element nesting read; the document element is depth 1. */
  constructor(readonly src: string, maxDepth = 256) {
    if (!(maxDepth >= 1) || (maxDepth !== Infinity && !Number.isInteger(maxDepth))) {
      throw new RangeError(`maxDepth must be a positive integer, not ${maxDepth}`);
    }
    this.len = src.length;
    this.maxDepth = maxDepth;
    this.checkChars();
    const pos = src.charCodeAt(0) === 0xfeff ? 1 : 0;
    this.pos = src.startsWith('<?xml', pos) && isWs(src.charCodeAt(pos + 5)) ? this.xmlDecl(pos) : pos;
  }

  /**
   * The 1-based line and column of `offset`: lines end at LF, CR LF or a lone CR, a surrogate pair
   * is one column, a BOM none. Counted each time: only an error asks.
   */
  lineColumn(offset: number): { line: number; column: number } {
    const src = this.src;
    let line = 1;
    let start = src.charCodeAt(0) === 0xfeff ? 1 : 0; // of the line of `offset`
    if (src.indexOf('\r') < 0) {
      for (let i = src.indexOf('\n'); i >= 0 && i < offset; i = src.indexOf('\n', i + 1)) {
        line++;
        start = i + 1;
      }
    } else {
      const lineEnd = /\r\n?|\n/g; // (a CR LF whose LF is at `offset` ends no line before it)
      while (lineEnd.test(src) && lineEnd.lastIndex <= offset) {
        line++;
        start = lineEnd.lastIndex;
      }
    }
    const first = Math.min(start, offset);
    let column = 1;
    for (let i = first; i < offset; i++) {
      const c = src.charCodeAt(i);
      const p = src.charCodeAt(i - 1);
      if (!(c >= 0xdc00 && c <= 0xdfff && i > first && p >= 0xd800 && p <= 0xdbff)) column++; // not the low half of a pair
    }
    return { line, column };
  }

  /** An XmlSyntaxError at `offset`. */
  error(message: string, offset: number): XmlSyntaxError {
    const { line, column } = this.lineColumn(offset);
    return new XmlSyntaxError(message, line, column);
  }

  /** The current text event's string. */
  text(): string {
    return this.textValue ?? this.src.slice(this.textStart, this.textEnd);
  }

  attrName(i: number): XmlName {
    return this.aNames[i] as XmlName;
  }

  /** Namespace URI of attribute `i` ('' for unprefixed attributes and declarations). */
  attrNs(i: number): string {
    return prefixedBinding(this.aNames[i] as XmlName)?.uri ?? '';
  }

  attrValue(i: number): string {
    return this.aValues[i] ?? this.src.slice(this.aStarts[i] as number, this.aEnds[i] as number);
  }

  /** After XML_START: reads through the element's end tag, ignoring (but checking) everything in it. */
  skipElement(): void {
    const depth = this.depth;
    while (this.depth >= depth) this.next(); // (its end tag leaves the depth below its own)
  }

  /** After XML_START: the element's text when it holds nothing else, read through its end tag; else null, nothing read. */
  textOnly(): string | null {
    if (this.pendingEnd) {
      this.next(); // the self-closing tag's XML_END
      return '';
    }
    const src = this.src;
    const pos = this.pos;
    const lt = src.indexOf('<', pos);
    if (lt < 0 || src.charCodeAt(lt + 1) !== 47 /* / */) return null;
    let text = '';
    if (lt > pos) {
      this.textRun(pos, lt);
      text = this.text();
    }
    this.endTag(lt);
    return text;
  }

  /** Reads up to and including the next event; see XML_START, XML_TEXT, XML_END, XML_EOF. */
  next(): number {
    if (this.pendingEnd) {
      this.pendingEnd = false;
      this.pop();
      return XML_END;
    }
    const src = this.src;
    for (;;) {
      const pos = this.pos;
      // Markup often follows markup directly: no search needed then.
      const lt = src.charCodeAt(pos) === 60 ? pos : src.indexOf('<', pos);
      const end = lt < 0 ? this.len : lt;
      if (end > pos) {
        if (this.depth > 0) return this.textRun(pos, end);
        const notWs = this.skipWs(pos); // at `end` (the '<' or the end of input) when all is white space
        if (notWs < end) throw this.error(`Text is not allowed ${this.rootSeen ? 'after' : 'before'} the document element`, notWs);
      }
      if (lt < 0) return this.endOfInput();
      const c = src.charCodeAt(lt + 1);
      if (c === 47 /* / */) return this.endTag(lt);
      if (c === 33 /* ! */) {
        if (!src.startsWith('--', lt + 2)) return this.cdata(lt);
        this.comment(lt);
      } else if (c === 63 /* ? */) {
        this.processingInstruction(lt);
      } else {
        this.startTag(lt);
        return XML_START;
      }
    }
  }

  /** No markup is left: the end of the document, if the document element was there and is closed. */
  private endOfInput(): number {
    this.pos = this.len;
    if (this.depth > 0) {
      const opened = this.lineColumn(this.openStarts[this.depth - 1] as number);
      const qname = (this.openNames[this.depth - 1] as XmlName).qname;
      throw this.error(`Unclosed element <${qname}> (opened at line ${opened.line}, column ${opened.column})`, this.len);
    }
    if (!this.rootSeen) throw this.error('No document element', this.len);
    return XML_EOF;
  }

  /** The start tag whose '<' is at `lt`: its name and attributes; opens its element. */
  private startTag(lt: number): void {
    const src = this.src;
    const depth = this.depth;
    if (depth === 0 && this.rootSeen) throw this.error('Only one document element is allowed', lt);
    if (depth >= this.maxDepth) throw this.error(`Element nesting deeper than ${this.maxDepth} levels`, lt);
    // Messages repeat their structure: the name is most likely the one that followed the previous
    // sibling last time (or was the parent's first child), and most often the whole tag is the one
    // kept for that name, attributes and all. Then it reads as that one did, with one comparison
    // (its namespaces, which depend on the scope, are resolved below). Bench: row trick-tag-prediction.
    const prev = this.prevSibling;
    const parent = depth > 0 ? (this.openNames[depth - 1] as XmlName) : null;
    const guess = prev !== null ? prev.nextSibling : parent !== null ? parent.firstChild : null;
    const tag = guess !== null ? guess.tag : null;
    let name: XmlName;
    let count = 0;
    // After the tag's '>'. (A substring compared instead of the pattern made one string per tag:
    // peak RSS of the memory case grew ~7 MB and decode times became bimodal.)
    let end = tag === null ? -1 : matchAt(tag.pattern, src, lt);
    if (tag !== null && end >= 0) {
      name = guess as XmlName;
      for (; count < tag.names.length; count++) {
        this.aNames[count] = tag.names[count] as XmlName;
        this.aOffsets[count] = lt + (tag.offsets[count] as number);
        this.aValues[count] = tag.values[count] as string;
      }
    } else {
      [name, count, end] = this.readTag(lt, prev, parent);
    }
    const selfClosing = src.charCodeAt(end - 2) === 47;
    this.namespaces(name, lt, count);
    this.rootSeen = true;
    this.name = name;
    this.start = lt;
    this.pendingEnd = selfClosing;
    this.openNames[depth] = name;
    this.openStarts[depth] = lt;
    this.openScopes[depth] = this.scope;
    this.depth = depth + 1;
    this.prevSibling = null;
    this.pos = end;
  }

  /**
   * Reads the start tag whose '<' is at `lt` the long way: its name (scanned, and then the
   * prediction after `prev` or as `parent`'s first child) and attributes. Returns the name, the
   * number of attributes and the offset after the '>'.
   */
  private readTag(lt: number, prev: XmlName | null, parent: XmlName | null): [XmlName, number, number] {
    const src = this.src;
    let p = this.scanName(lt + 1, 'element name');
    const name = this.intern(lt + 1, p, this.colon, this.hash);
    if (prev !== null) prev.nextSibling = name;
    else if (parent !== null) parent.firstChild = name;
    let count = 0;
    for (let c = src.charCodeAt(p); c !== 62 /* > */ && c !== 47 /* / */; c = src.charCodeAt(p)) {
      if (!isWs(c)) {
        if (p >= this.len) throw this.error(`Unexpected end of input in start tag <${name.qname}>`, p);
        throw this.error(`Expected whitespace, '>' or '/>' in start tag <${name.qname}>`, p);
      }
      p = this.skipWs(p + 1);
      c = src.charCodeAt(p);
      if (c === 62 || c === 47) break;
      // An attribute: name = "value" or 'value'.
      const at = p;
      p = this.scanName(at, 'attribute name');
      const aName = this.intern(at, p, this.colon, this.hash);
      p = this.skipWs(p);
      if (src.charCodeAt(p) !== 61 /* = */) throw this.error(`Expected '=' after attribute name '${aName.qname}'`, p);
      p = this.skipWs(p + 1);
      const quote = src.charCodeAt(p);
      if (quote !== 34 && quote !== 39) throw this.error(`Value of attribute '${aName.qname}' must be quoted`, p);
      const close = src.indexOf(quote === 34 ? '"' : "'", p + 1);
      if (close < 0) throw this.error('Unterminated attribute value', p);
      let special = p + 1; // the first character that needs decoding, if any
      while (special < close && !needsDecoding(src.charCodeAt(special))) special++;
      this.aNames[count] = aName;
      this.aOffsets[count] = at;
      this.aStarts[count] = p + 1;
      this.aEnds[count] = close;
      this.aValues[count++] = special < close ? this.decoded(p + 1, close, ATTRIBUTE, special) : null;
      p = close + 1;
    }
    const selfClosing = src.charCodeAt(p) === 47;
    if (selfClosing && src.charCodeAt(p + 1) !== 62) throw this.error("Expected '>' after '/'", p + 1);
    const end = selfClosing ? p + 2 : p + 1;
    // The tag read last is kept for comparison (unless longer than a pattern may be, or past
    // compactLeft), for the first MAX_KEPT_TAGS of the name's tags read this way: a name whose tags
    // keep changing (nil and not, an id in an attribute) then stops costing a pattern per tag.
    if (name.kept < MAX_KEPT_TAGS && end - lt <= MAX_PATTERN_LENGTH && this.compactLeft-- > 0) {
      name.tag = this.tagOf(lt, end, count);
      name.kept++;
    }
    return [name, count, end];
  }

  /** The start tag src[lt, end) just read, with its `count` attributes, as a Tag (attributes' offsets from `lt`). */
  private tagOf(lt: number, end: number, count: number): Tag {
    const values = Array.from({ length: count }, (_, i) => this.attrValue(i));
    return { pattern: literal(this.src.slice(lt, end)), names: this.aNames.slice(0, count), offsets: this.aOffsets.slice(0, count).map((o) => o - lt), values };
  }

  /**
   * The namespaces of the tag just scanned, checked in the order Namespaces in XML 1.0 implies:
   * attributes unique by raw name, its declarations (a new scope if any), prefixes bound,
   * attributes unique by expanded name. Sets ns, scope and attrCount.
   */
  private namespaces(name: XmlName, lt: number, count: number): void {
    const names = this.aNames;
    if (count > 1) this.checkDuplicates(count, false);
    let declared: Map<string, Binding> | null = null;
    for (let i = 0; i < count; i++) {
      const n = names[i] as XmlName;
      if (!isDecl(n)) continue;
      const prefix = n.prefix === '' ? '' : n.local;
      (declared ??= new Map()).set(prefix, this.bindingOf(this.checkDeclaration(prefix, this.attrValue(i), this.aOffsets[i] as number)));
    }
    const scope = declared === null ? this.scope : new Scope(this.scope, declared);
    if (name.prefix === 'xmlns') throw this.error("Element names must not use the prefix 'xmlns'", lt + 1);
    const ns = this.resolve(name, scope); // the default namespace is always bound ('' when undeclared)
    if (ns === undefined) throw this.error(`Unbound namespace prefix '${name.prefix}' in <${name.qname}>`, lt + 1);
    let prefixed = 0;
    for (let i = 0; i < count; i++) {
      const n = names[i] as XmlName;
      if (n.prefix === '' || isDecl(n)) continue; // unprefixed: in no namespace
      if (this.resolve(n, scope) === undefined) {
        throw this.error(`Unbound namespace prefix '${n.prefix}' in attribute '${n.qname}'`, this.aOffsets[i] as number);
      }
      prefixed++;
    }
    // Only prefixed attributes can share an expanded name: an unprefixed one is in no namespace,
    // a prefixed one never in none, and unprefixed ones were compared by raw name.
    if (prefixed > 1) this.checkDuplicates(count, true);
    this.ns = ns;
    this.scope = scope;
    this.attrCount = count;
  }

  /**
   * Throws at the first attribute whose raw name (`expanded`: prefixed ones' namespace and local
   * name) an earlier one has.
   */
  private checkDuplicates(count: number, expanded: boolean): void {
    const names = this.aNames;
    const seen = new Set<string>();
    for (let i = 0; i < count; i++) {
      const n = names[i] as XmlName;
      const ns = expanded ? prefixedBinding(n) : undefined;
      if (expanded && ns === undefined) continue;
      const key = ns === undefined ? n.qname : ns.id + '}' + n.local;
      if (seen.has(key)) {
        const expandedName = ns === undefined ? '' : ` (expanded name {${ns.uri}}${n.local})`;
        throw this.error(`Duplicate attribute '${n.qname}'${expandedName}`, this.aOffsets[i] as number);
      }
      seen.add(key);
    }
  }

  /** Validates a namespace declaration per Namespaces in XML 1.0 and returns the URI. */
  private checkDeclaration(prefix: string, uri: string, offset: number): string {
    if (prefix === 'xmlns') throw this.error("The prefix 'xmlns' must not be declared", offset);
    if (prefix === 'xml') {
      if (uri !== XML_NS) throw this.error(`The prefix 'xml' can only be bound to ${XML_NS}`, offset);
      return uri;
    }
    if (uri === XML_NS) throw this.error(`Only the prefix 'xml' can be bound to ${XML_NS}`, offset);
    if (uri === XMLNS_NS) throw this.error(`The namespace ${XMLNS_NS} must not be declared`, offset);
    if (prefix !== '' && uri === '') throw this.error(`The prefix '${prefix}' cannot be undeclared in XML 1.0`, offset);
    return uri;
  }

  /**
   * The binding of a declared URI: one object for equal URIs, made canonical once (WCF repeats
   * declarations on every item). Hashed here with a per-document seed, not used as a Map key: V8
   * hashes a string longer than 16383 characters by its length alone.
   */
  private bindingOf(uri: string): Binding {
    let h = this.seed ^ uri.length;
    for (let i = 0; i < uri.length; i++) {
      h = Math.imul(h ^ uri.charCodeAt(i), 0x5bd1e995);
      h ^= h >>> 13;
    }
    const bucket = this.bindings.get(h) ?? [];
    for (const b of bucket) if (b.uri === uri) return b;
    const binding = { uri: this.compactLeft-- > 0 ? canonical(uri) : uri, id: this.bindingCount++ };
    if (bucket.push(binding) === 1) this.bindings.set(h, bucket);
    return binding;
  }

  /** The URI `name`'s prefix is bound to in `scope` (cached on the name), or undefined. */
  private resolve(name: XmlName, scope: Scope): string | undefined {
    if (name.scope !== scope) {
      const binding = scope.binding(name.prefix);
      if (binding === undefined) return undefined;
      name.scope = scope;
      name.binding = binding;
    }
    return (name.binding as Binding).uri;
  }

  /** The XmlName for src[start, end), a valid QName whose colon (or -1) is `colon` and hash `hash`. */
  private intern(start: number, end: number, colon: number, hash: number): XmlName {
    const src = this.src;
    const names = this.names;
    const home = hash & (NAME_CACHE_SIZE - 1);
    let slot = home;
    for (let probe = 0; probe < NAME_PROBES; probe++) {
      const hit = names[slot];
      if (hit === undefined) break;
      if (hit.hash === hash && hit.qname.length === end - start && src.startsWith(hit.qname, start)) return hit;
      slot = (slot + 1) & (NAME_CACHE_SIZE - 1);
    }
    const name = new XmlName(src.slice(start, end), colon < 0 ? -1 : colon - start, hash, this.compactLeft-- > 0);
    names[names[slot] === undefined ? slot : home] = name; // a free slot among the probed ones, else the home slot
    return name;
  }

  /** The end tag whose '<' is at `lt`: it must close the innermost open element. */
  private endTag(lt: number): number {
    const src = this.src;
    if (this.depth === 0) throw this.error('Unexpected end tag', lt);
    const open = this.openNames[this.depth - 1] as XmlName;
    const qname = open.qname;
    // Most end tags match their name's pattern; the others are read the long way, to their error if any.
    let end = open.endTag === null ? -1 : matchAt(open.endTag, src, lt);
    if (end < 0) {
      const c = src.charCodeAt(lt + 2 + qname.length); // (no name character: the name ends there)
      if (!src.startsWith(qname, lt + 2) || (c < 128 ? NAME_ASCII[c] !== 0 : isNameCharHigh(c) || isNameSurrogate(c))) {
        const found = (/^[^\t\n\r <>]*/.exec(src.slice(lt + 2, lt + 203)) as RegExpExecArray)[0]; // 200 shown, `…` if more
        throw this.error(`Mismatched end tag: expected </${qname}>, found </${found.length > 200 ? `${found.slice(0, 200)}\u2026` : found}>`, lt);
      }
      const p = this.skipWs(lt + 2 + qname.length);
      if (src.charCodeAt(p) !== 62) throw this.error(`Expected '>' to close end tag </${qname}>`, p);
      end = p + 1;
    }
    this.pos = end;
    this.pop();
    return XML_END;
  }

  /** Closes the innermost open element. */
  private pop(): void {
    const depth = --this.depth;
    this.name = this.openNames[depth] as XmlName;
    this.prevSibling = this.name;
    this.scope = depth > 0 ? (this.openScopes[depth - 1] as Scope) : ROOT_SCOPE;
  }

  /** Text between markup, src[start, end), as the current event. */
  private textRun(start: number, end: number): number {
    const src = this.src;
    if (this.nextAmp < start) this.nextAmp = find(src, '&', start);
    if (this.nextCr < start) this.nextCr = find(src, '\r', start);
    if (this.nextCdEnd < start) this.nextCdEnd = find(src, ']]>', start);
    if (this.nextCdEnd < end) throw this.error("']]>' is not allowed in character data", this.nextCdEnd);
    const from = Math.min(this.nextAmp, this.nextCr);
    return this.textEvent(start, end, end, from < end ? this.decoded(start, end, TEXT, from) : null);
  }

  /** The CDATA section whose '<' is at `lt` as the current event, or the refusal of other '<!' markup. */
  private cdata(lt: number): number {
    const src = this.src;
    if (!src.startsWith('[CDATA[', lt + 2)) {
      // No DOCTYPE, so no entity can be declared: nothing can make the reader expand one.
      throw this.error(src.startsWith('DOCTYPE', lt + 2) ? 'DOCTYPE is not allowed' : "Unexpected '<!'", lt);
    }
    if (this.depth === 0) throw this.error('CDATA section outside the document element', lt);
    const start = lt + 9;
    const end = src.indexOf(']]>', start);
    if (end < 0) throw this.error('Unterminated CDATA section', lt);
    if (this.nextCr < start) this.nextCr = find(src, '\r', start);
    return this.textEvent(start, end, end + 3, this.nextCr < end ? this.decoded(start, end, CDATA, this.nextCr) : null);
  }

  /** Makes src[start, end) the current XML_TEXT, decoded as `value` (null: as it is); reading goes on at `next`. */
  private textEvent(start: number, end: number, next: number, value: string | null): number {
    this.textStart = start;
    this.textEnd = end;
    this.textValue = value;
    this.pos = next;
    return XML_TEXT;
  }

  /**
   * src[start, end) as XML reads it, from `from` on, where there is something to decode. Text:
   * references decoded, CR LF and CR read as LF. An attribute value: also tab and line ends as a
   * space, '<' refused. CDATA: only line ends.
   */
  private decoded(start: number, end: number, kind: number, from: number): string {
    const src = this.src;
    // Appending makes a rope, one live object per piece, so millions of references would make
    // garbage collection grow faster than the text: every 256 pieces the rope is flattened (reading
    // a character does that in V8) and set aside. A guard of linear time and memory
    // (xml-scaling.slow.test.ts, "many character references").
    let asides: string[] | null = null;
    let pieces = 0;
    let out = '';
    let seg = start;
    for (let i = from; i < end; i++) {
      const c = src.charCodeAt(i);
      if (!needsDecoding(c)) continue;
      const at = i;
      let piece: string;
      if (c === 13) {
        piece = kind === ATTRIBUTE ? ' ' : '\n';
        if (src.charCodeAt(i + 1) === 10) i++;
      } else if (kind === CDATA) {
        continue;
      } else if (c === 38 /* & */) {
        piece = this.reference(i, end);
        i = this.refEnd;
      } else if (kind === TEXT) {
        continue;
      } else if (c === 60) {
        throw this.error("'<' is not allowed in attribute values", i);
      } else {
        piece = ' '; // tab or LF (other controls were refused up front)
      }
      out += src.slice(seg, at) + piece;
      seg = i + 1;
      if (++pieces % 256 === 0) {
        out.charCodeAt(0);
        (asides ??= []).push(out);
        out = '';
      }
    }
    out += src.slice(seg, end);
    return asides === null ? out : asides.join('') + out;
  }

  /** Decodes the reference whose '&' is at `amp` (before `end`); sets `refEnd` to its ';'. */
  private reference(amp: number, end: number): string {
    const src = this.src;
    let p = amp + 1;
    if (src.charCodeAt(p) === 35 /* # */) {
      CHAR_REFERENCE.lastIndex = p + 1; // (no match can pass `end`: a '<' or a quote, which no reference holds)
      if (!CHAR_REFERENCE.test(src)) throw this.error('Malformed character reference', amp);
      const semi = CHAR_REFERENCE.lastIndex - 1;
      const hex = src.charCodeAt(p + 1) === 120; /* x */
      const cp = hex ? parseInt(src.slice(p + 2, semi), 16) : Number(src.slice(p + 1, semi)); // Infinity when too long: beyond U+10FFFF too
      if (!isXmlChar(cp)) throw this.error(`Character reference to ${cp > 0x10ffff ? 'beyond U+10FFFF' : codePoint(cp)} is not allowed in XML`, amp);
      this.refEnd = semi;
      return String.fromCodePoint(cp);
    }
    // One of the five predefined entities (no DOCTYPE can declare more)?
    const limit = Math.min(end, amp + 6);
    while (p < limit && src.charCodeAt(p) !== 59) p++;
    const entity = p < end && src.charCodeAt(p) === 59 ? ENTITIES.get(src.slice(amp + 1, p)) : undefined;
    if (entity !== undefined) {
      this.refEnd = p;
      return entity;
    }
    // Report the whole name when it looks like one, so the message is useful.
    let q = amp + 1;
    while (q < end && q < amp + 64 && !(src.charCodeAt(q) < 128 && NAME_ASCII[src.charCodeAt(q)] === 0)) q++;
    if (q > amp + 1 && src.charCodeAt(q) === 59) throw this.error(`Unknown entity '&${src.slice(amp + 1, q)};'`, amp);
    throw this.error("'&' must start an entity or character reference (escape it as &amp;)", amp);
  }

  /** Skips the comment whose '<' is at `lt`. */
  private comment(lt: number): void {
    const end = this.src.indexOf('-->', lt + 4);
    if (end < 0) throw this.error('Unterminated comment', lt);
    const dashes = this.src.indexOf('--', lt + 4);
    if (dashes < end) throw this.error("'--' is not allowed inside a comment", dashes);
    this.pos = end + 3;
  }

  /** Skips the processing instruction whose '<' is at `lt`. */
  private processingInstruction(lt: number): void {
    const src = this.src;
    const end = this.scanName(lt + 2, 'processing instruction target');
    // Namespaces in XML 1.0 (section 7): no colon in PI targets.
    if (this.colon >= 0) throw this.error("Invalid processing instruction target: ':' is not allowed (Namespaces in XML)", this.colon);
    if (end - lt === 5 && src.slice(lt + 2, end).toLowerCase() === 'xml') {
      throw this.error('The XML declaration is only allowed at the very start of the document', lt);
    }
    if (!src.startsWith('?>', end) && !isWs(src.charCodeAt(end))) throw this.error('Invalid processing instruction target', lt + 2);
    const close = src.indexOf('?>', end);
    if (close < 0) throw this.error('Unterminated processing instruction', lt);
    this.pos = close + 2;
  }

  private skipWs(p: number): number {
    while (isWs(this.src.charCodeAt(p))) p++;
    return p;
  }

  /**
   * Scans an XML Name at `p`; returns the offset after it. Enforces a QName's shape (at most one
   * colon, not first, and a name's first character after it) and records the colon in `this.colon`, the name's hash in `this.hash`.
   */
  private scanName(p: number, what: string): number {
    const src = this.src;
    const start = p;
    let colon = -1;
    if (p >= this.len) throw this.error(`Unexpected end of input, expected ${what}`, p);
    let c = src.charCodeAt(p);
    let h = c;
    if (c < 128 ? NAME_ASCII[c] !== 1 : !isNameSurrogate(c) && !isNameStartHigh(c)) throw this.error(`Invalid ${what}`, p);
    if (c === 58) throw this.error(`Invalid ${what}: a name must not start with ':'`, p);
    if (isNameSurrogate(c)) p++;
    for (p++; ; p++) {
      c = src.charCodeAt(p);
      if (c < 128) {
        if (NAME_ASCII[c] === 0) break;
        if (c === 58) {
          if (colon >= 0) throw this.error(`Invalid ${what}: more than one ':'`, start);
          colon = p;
        }
      } else if (isNameSurrogate(c)) {
        p++;
      } else if (!isNameCharHigh(c)) {
        break; // includes NaN at end of input
      }
      h = (Math.imul(h, 31) + c) | 0;
    }
    // After the colon, an NCName (Namespaces in XML 1.0): it starts as a name does, so not with '-', '.' or a digit.
    const d = src.charCodeAt(colon + 1);
    if (colon >= 0 && (d < 128 ? NAME_ASCII[d] !== 1 : !isNameSurrogate(d) && !isNameStartHigh(d))) throw this.error(`Invalid ${what}: ${colon === p - 1 ? "a name must not end with ':'" : "the part after ':' must start as a name does"}`, start);
    if (p - start > MAX_NAME_LENGTH) throw this.error(`Invalid ${what}: longer than ${MAX_NAME_LENGTH} characters`, start);
    this.colon = colon;
    this.hash = h & 0x3fffffff; // 30 bits: a small integer in V8, so the field never becomes a boxed number
    return p;
  }

  /** Refuses characters that XML 1.0 does not allow (raw, anywhere in the document). */
  private checkChars(): void {
    const i = notXmlChar(this.src);
    if (i < 0) return;
    const c = this.src.charCodeAt(i);
    throw this.error(`${c >= 0xd800 && c <= 0xdfff ? 'Unpaired surrogate' : 'Character'} ${codePoint(c)} is not allowed in XML`, i);
  }

  /** Reads `<?xml version="1.0" encoding="..." standalone="..."?>` at `start` (1 after a BOM); returns the offset after it. */
  private xmlDecl(start: number): number {
    const src = this.src;
    let p = start + 5;
    let seen = 0; // how many of DECLARATION's entries are behind
    for (;;) {
      const wsStart = p;
      p = this.skipWs(p);
      if (src.startsWith('?>', p)) {
        if (seen === 0) throw this.error('The XML declaration must specify a version', p);
        return p + 2;
      }
      if (p === wsStart) throw this.error("Expected whitespace or '?>' in the XML declaration", p);
      const nameStart = p;
      p = this.scanName(p, 'XML declaration attribute');
      const name = src.slice(nameStart, p);
      p = this.skipWs(p);
      if (src.charCodeAt(p) !== 61) throw this.error("Expected '=' in the XML declaration", p);
      p = this.skipWs(p + 1);
      const q = src.charCodeAt(p);
      if (q !== 34 && q !== 39) throw this.error('XML declaration values must be quoted', p);
      const vEnd = src.indexOf(q === 34 ? '"' : "'", p + 1);
      const close = src.indexOf('?>', p);
      if (vEnd < 0 || (close >= 0 && vEnd > close)) throw this.error('Unterminated XML declaration value', p);
      const value = src.slice(p + 1, vEnd);
      // version first, then encoding and standalone, each optional.
      const k = DECLARATION.findIndex((entry) => entry[0] === name);
      const rule = DECLARATION[k];
      if (rule === undefined || (k === 0 ? seen !== 0 : seen === 0 || seen > k)) throw this.error(`Unexpected '${name}' in the XML declaration`, nameStart);
      if (!rule[1].test(value)) throw this.error(rule[2](value), p);
      // A byte order mark exists only in the Unicode encodings: with it, any other name is a contradiction.
      if (k === 1 && start > 0 && !UNICODE_ENCODING.test(value)) throw this.error(`The encoding '${value}' contradicts the byte order mark`, p);
      seen = k + 1;
      p = vEnd + 1;
    }
  }
}

/**
 * Resolves a QName-valued string (an xsi:type value, surrounding whitespace ignored) in a scope; an
 * unprefixed name takes the default namespace. Undefined when the prefix is unbound or not a QName.
 */
export function resolveQNameIn(scope: Scope, qname: string): { ns: string; local: string } | undefined {
  const s = qname.trim();
  const colon = s.indexOf(':');
  if (s === '' || colon === 0 || colon === s.length - 1 || (colon > 0 && s.indexOf(':', colon + 1) >= 0)) return undefined;
  const ns = scope.binding(colon < 0 ? '' : s.slice(0, colon))?.uri;
  return ns === undefined ? undefined : { ns, local: colon < 0 ? s : s.slice(colon + 1) };
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\t': '&#x9;', '\n': '&#xA;', '\r': '&#xD;' };
const escapeChar = (ch: string): string => ESCAPES[ch]!;
const TEXT_SPECIAL = /[&<>\r]/g;
const ATTR_SPECIAL = /[&<>"\t\n\r]/g;

/** Escapes character data: & < > and \r (as &#xD;, which line-ending normalisation would lose). */
export function escapeText(s: string): string {
  return s.replace(TEXT_SPECIAL, escapeChar);
}

/** Escapes a value for a double-quoted attribute: & < > " and \t \n \r as character references. */
export function escapeAttribute(s: string): string {
  return s.replace(ATTR_SPECIAL, escapeChar);
}
