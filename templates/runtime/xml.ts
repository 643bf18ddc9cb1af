// A small, strict, namespace-aware XML parser for SOAP responses, plus the two escaping helpers the
// encoder needs. Self-contained on purpose: no imports, so the file runs unchanged in Node,
// browsers and Deno.
//
// Design notes
// - The input is scanned with indexOf/charCodeAt; strings are only created by slicing whole runs
//   (names, attribute values, text between markup), never character by character.
// - Security: a DOCTYPE is refused outright, so no entity is ever declared or expanded. Only the
//   five predefined entities and numeric character references are decoded. Nesting depth is
//   limited. Every check is linear in the input, including duplicate-attribute detection.
// - Positions: elements store only their offset; line and column are computed on demand from a
//   newline index that is built the first time any position is asked for.
// - Namespace scopes form a chain with one link per declaration; elements that declare nothing
//   share their parent's scope object.

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
  readonly scope: NamespaceScope;
}

export interface XmlAttribute {
  readonly ns: string;
  readonly local: string;
  readonly value: string;
}

export interface NamespaceScope {
  /**
   * The URI bound to `prefix`, or undefined when the prefix is unbound. `''` asks for the default
   * namespace, which is `''` when none is declared (or after `xmlns=""`). `xml` is always bound.
   */
  lookup(prefix: string): string | undefined;
}

export interface ParseOptions {
  /** Maximum element nesting depth; the document element is depth 1. Default 256. */
  maxDepth?: number;
}

export class XmlSyntaxError extends Error {
  readonly line: number;
  readonly column: number;
  constructor(message: string, line: number, column: number) {
    super(`${message} at line ${line}, column ${column}`);
    this.name = 'XmlSyntaxError';
    this.line = line;
    this.column = column;
  }
}

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';
const DEFAULT_MAX_DEPTH = 256;

// Candidates for characters XML 1.0 does not allow anywhere, raw: C0 controls other than
// tab/LF/CR, U+FFFE, U+FFFF, and surrogates (which are fine when properly paired). One native scan
// over the whole input; a match that is the high half of a valid pair is skipped. (A `u`-flag class
// would express this directly but is several times slower in V8.)
const SUSPECT_CHAR = /[\0-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/g;

// ASCII name characters: 1 = may start a name, 2 = may only continue one.
const NAME_ASCII = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 58) NAME_ASCII[c] = 1;
  else if ((c >= 48 && c <= 57) || c === 45 || c === 46) NAME_ASCII[c] = 2;
}

function isNonAsciiNameStart(c: number): boolean {
  return (
    (c >= 0xc0 && c <= 0xd6) ||
    (c >= 0xd8 && c <= 0xf6) ||
    (c >= 0xf8 && c <= 0x2ff) ||
    (c >= 0x370 && c <= 0x37d) ||
    (c >= 0x37f && c <= 0x1fff) ||
    c === 0x200c ||
    c === 0x200d ||
    (c >= 0x2070 && c <= 0x218f) ||
    (c >= 0x2c00 && c <= 0x2fef) ||
    (c >= 0x3001 && c <= 0xd7ff) ||
    (c >= 0xf900 && c <= 0xfdcf) ||
    (c >= 0xfdf0 && c <= 0xfffd)
  );
}

function isNonAsciiNameChar(c: number): boolean {
  return (
    isNonAsciiNameStart(c) || c === 0xb7 || (c >= 0x300 && c <= 0x36f) || c === 0x203f || c === 0x2040
  );
}

/** Code points allowed by the XML 1.0 Char production (for character references). */
function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

function isWs(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}

/** Offset of `needle` at or after `from`, or `src.length` when absent. */
function find(src: string, needle: string, from: number): number {
  const i = src.indexOf(needle, from);
  return i < 0 ? src.length : i;
}

function hex(cp: number): string {
  return 'U+' + cp.toString(16).toUpperCase().padStart(4, '0');
}

/** Lazily built index of line starts; turns offsets into 1-based line/column pairs. */
class LineMap {
  private readonly src: string;
  private starts: number[] | undefined;

  constructor(src: string) {
    this.src = src;
    this.starts = undefined;
  }

  private build(): number[] {
    const src = this.src;
    // The BOM is not a character of line 1 for column purposes.
    const starts = [src.charCodeAt(0) === 0xfeff ? 1 : 0];
    if (src.indexOf('\r') < 0) {
      for (let i = src.indexOf('\n'); i >= 0; i = src.indexOf('\n', i + 1)) starts.push(i + 1);
    } else {
      for (let i = 0, n = src.length; i < n; i++) {
        const c = src.charCodeAt(i);
        if (c === 10) starts.push(i + 1);
        else if (c === 13) {
          if (src.charCodeAt(i + 1) === 10) i++;
          starts.push(i + 1);
        }
      }
    }
    this.starts = starts;
    return starts;
  }

  line(offset: number): number {
    const starts = this.starts ?? this.build();
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  column(offset: number): number {
    const starts = this.starts ?? this.build();
    const start = Math.min(starts[this.line(offset) - 1] as number, offset);
    // Count code points, not UTF-16 units: a surrogate pair is one column.
    let col = 1;
    const src = this.src;
    for (let i = start; i < offset; i++) {
      const c = src.charCodeAt(i);
      if (c >= 0xdc00 && c <= 0xdfff && i > start) {
        const p = src.charCodeAt(i - 1);
        if (p >= 0xd800 && p <= 0xdbff) continue;
      }
      col++;
    }
    return col;
  }
}

/**
 * The bindings declared on one element, linked to the enclosing scope. The chain is at most as long
 * as the nesting depth; an element declaring many prefixes gets a Map, so lookups stay cheap even
 * for hostile documents.
 */
class Scope implements NamespaceScope {
  readonly parent: Scope | null;
  private readonly prefixes: readonly string[];
  private readonly uris: readonly string[];
  private readonly map: Map<string, string> | null;
  /** The document's line index (kept here rather than on every element, to keep elements small). */
  readonly lines: LineMap | null;
  private lastPrefix: string | undefined = undefined;
  private lastUri: string | undefined = undefined;

  constructor(parent: Scope | null, prefixes: string[], uris: string[], lines: LineMap | null) {
    this.parent = parent;
    this.prefixes = prefixes;
    this.uris = uris;
    let map: Map<string, string> | null = null;
    if (prefixes.length > 8) {
      map = new Map();
      for (let i = 0; i < prefixes.length; i++) map.set(prefixes[i] as string, uris[i] as string);
    }
    this.map = map;
    this.lines = lines;
  }

  lookup(prefix: string): string | undefined {
    // Elements sharing a scope mostly ask for the same prefix: remember the last answer.
    if (prefix === this.lastPrefix) return this.lastUri;
    const uri = this.find(prefix);
    if (uri !== undefined) {
      this.lastPrefix = prefix;
      this.lastUri = uri;
    }
    return uri;
  }

  private find(prefix: string): string | undefined {
    let s: Scope | null = this;
    do {
      if (s.map !== null) {
        const uri = s.map.get(prefix);
        if (uri !== undefined) return uri;
      } else {
        const prefixes = s.prefixes;
        for (let i = 0; i < prefixes.length; i++) {
          if (prefixes[i] === prefix) return s.uris[i];
        }
      }
      s = s.parent;
    } while (s !== null);
    return prefix === '' ? '' : undefined;
  }
}

const BUILTIN_SCOPE = new Scope(null, ['xml', 'xmlns'], [XML_NS, XMLNS_NS], null);

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
  readonly scope: NamespaceScope;
  private readonly offset: number;

  constructor(ns: string, local: string, attrs: readonly XmlAttribute[], scope: Scope, offset: number) {
    this.ns = ns;
    this.local = local;
    this.attrs = attrs;
    this.children = [];
    this.text = '';
    this.scope = scope;
    this.offset = offset;
  }

  get line(): number {
    return ((this.scope as Scope).lines as LineMap).line(this.offset);
  }

  get column(): number {
    return ((this.scope as Scope).lines as LineMap).column(this.offset);
  }
}

/** An interned qualified name (one object per distinct name per document, via Parser.intern). */
class Name {
  readonly qname: string;
  /** '' when unprefixed. */
  readonly prefix: string;
  readonly local: string;
  constructor(qname: string, colon: number) {
    this.qname = qname;
    this.prefix = colon < 0 ? '' : qname.slice(0, colon);
    this.local = colon < 0 ? qname : qname.slice(colon + 1);
  }
}

const NAME_CACHE_SIZE = 1024; // power of two

class Parser {
  private readonly src: string;
  private readonly len: number;
  private readonly maxDepth: number;
  private readonly lines: LineMap;
  private readonly rootScope: Scope;
  // Cached offsets of the next '&', '\r' and ']]>' (src.length when none), so that plain text runs
  // are recognised without scanning them character by character.
  private nextAmp = -1;
  private nextCr = -1;
  private nextCdEnd = -1;
  /** Set by scanName: offset of the name's colon, or -1. */
  private colon = -1;
  /** Set by decodeRef: offset of the reference's ';'. */
  private refEnd = 0;
  /**
   * Direct-mapped cache of names seen in this document. Documents repeat a few dozen names many
   * thousand times; sharing one string per name keeps the tree small, which matters more for speed
   * than anything else here (the cost of parsing is dominated by garbage collection of the tree).
   */
  private readonly names: (Name | undefined)[] = new Array(NAME_CACHE_SIZE);
  // Scratch storage for the attributes of the start tag being parsed.
  private readonly aNames: Name[] = [];
  private readonly aValues: string[] = [];
  private readonly aOffsets: number[] = [];
  private readonly aListIndex: number[] = [];

  constructor(src: string, maxDepth: number) {
    this.src = src;
    this.len = src.length;
    this.maxDepth = maxDepth;
    this.lines = new LineMap(src);
    this.rootScope = new Scope(BUILTIN_SCOPE, [], [], this.lines);
  }

  private error(message: string, offset: number): XmlSyntaxError {
    return new XmlSyntaxError(message, this.lines.line(offset), this.lines.column(offset));
  }

  /** The Name for src[start, end), a valid QName whose colon (or -1) is `colon`. */
  private intern(start: number, end: number, colon: number): Name {
    const src = this.src;
    const n = end - start;
    const h =
      (n * 37 + src.charCodeAt(end - 1) * 11 + src.charCodeAt(start + (n >> 1)) * 3 + src.charCodeAt(start)) &
      (NAME_CACHE_SIZE - 1);
    const hit = this.names[h];
    if (hit !== undefined && hit.qname.length === n && src.startsWith(hit.qname, start)) return hit;
    const name = new Name(src.slice(start, end), colon < 0 ? -1 : colon - start);
    this.names[h] = name;
    return name;
  }

  parse(): XmlElement {
    const src = this.src;
    const len = this.len;
    this.checkChars();
    let pos = src.charCodeAt(0) === 0xfeff ? 1 : 0;
    if (src.startsWith('<?xml', pos) && isWs(src.charCodeAt(pos + 5))) pos = this.xmlDecl(pos);

    let root: ElementNode | null = null;
    let cur: ElementNode | null = null;
    // Open elements, their qualified names, and where their children and text pieces start in
    // `kids` and `texts`. Collecting children and text on shared stacks and building each
    // element's array and string once, at its end tag, gives exactly sized arrays and flat strings
    // (rather than over-allocated arrays and chains of concatenations).
    const stack: ElementNode[] = [];
    const qnames: string[] = [];
    const kidStarts: number[] = [];
    const textStarts: number[] = [];
    const kids: ElementNode[] = [];
    const texts: string[] = [];
    // Logical tops of `kids` and `texts` (cheaper than truncating the arrays through .length).
    let kidsTop = 0;
    let textsTop = 0;

    for (;;) {
      const lt = src.indexOf('<', pos);
      const textEnd = lt < 0 ? len : lt;
      if (textEnd > pos) {
        if (cur !== null) texts[textsTop++] = this.text(pos, textEnd);
        else this.outsideText(pos, textEnd, root !== null);
      }
      if (lt < 0) break;
      const c = src.charCodeAt(lt + 1);

      if (c === 47 /* / */) {
        if (cur === null) throw this.error('Unexpected end tag', lt);
        const qname = qnames[qnames.length - 1] as string;
        let p = lt + 2 + qname.length;
        const after = src.charCodeAt(p);
        if (
          !src.startsWith(qname, lt + 2) ||
          (after < 128 ? NAME_ASCII[after] !== 0 : isNonAsciiNameChar(after) || (after >= 0xd800 && after <= 0xdb7f))
        ) {
          const end = this.scanNameLoose(lt + 2);
          throw this.error(`Mismatched end tag: expected </${qname}>, found </${src.slice(lt + 2, end)}>`, lt);
        }
        while (isWs(src.charCodeAt(p))) p++;
        if (src.charCodeAt(p) !== 62) throw this.error(`Expected '>' to close end tag </${qname}>`, p);
        pos = p + 1;
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
        qnames.pop();
        cur = stack.length > 0 ? (stack[stack.length - 1] as ElementNode) : null;
      } else if (c === 33 /* ! */) {
        if (src.startsWith('--', lt + 2)) {
          const end = src.indexOf('-->', lt + 4);
          if (end < 0) throw this.error('Unterminated comment', lt);
          const dd = src.indexOf('--', lt + 4);
          if (dd < end) throw this.error("'--' is not allowed inside a comment", dd);
          pos = end + 3;
        } else if (src.startsWith('[CDATA[', lt + 2)) {
          if (cur === null) throw this.error('CDATA section outside the document element', lt);
          const start = lt + 9;
          const end = src.indexOf(']]>', start);
          if (end < 0) throw this.error('Unterminated CDATA section', lt);
          texts[textsTop++] = this.normaliseNewlines(start, end);
          pos = end + 3;
        } else if (src.startsWith('DOCTYPE', lt + 2)) {
          throw this.error('DOCTYPE is not allowed', lt);
        } else {
          throw this.error("Unexpected '<!'", lt);
        }
      } else if (c === 63 /* ? */) {
        pos = this.processingInstruction(lt);
      } else {
        // Start tag.
        if (cur === null && root !== null) throw this.error('Only one document element is allowed', lt);
        if (stack.length >= this.maxDepth) {
          throw this.error(`Element nesting deeper than ${this.maxDepth} levels`, lt);
        }
        const nameStart = lt + 1;
        const nameEnd = this.scanName(nameStart, 'element name');
        const name = this.intern(nameStart, nameEnd, this.colon);
        let p = nameEnd;
        let count = 0;
        let selfClosing = false;
        for (;;) {
          let ch = src.charCodeAt(p);
          if (ch === 62 /* > */) {
            p++;
            break;
          }
          if (ch === 47 /* / */) {
            if (src.charCodeAt(p + 1) !== 62) throw this.error("Expected '>' after '/'", p + 1);
            p += 2;
            selfClosing = true;
            break;
          }
          if (!isWs(ch)) {
            if (p >= len) throw this.error(`Unexpected end of input in start tag <${name.qname}>`, p);
            throw this.error(`Expected whitespace, '>' or '/>' in start tag <${name.qname}>`, p);
          }
          do ch = src.charCodeAt(++p);
          while (isWs(ch));
          if (ch === 62 || ch === 47) continue;
          // Attribute.
          const aStart = p;
          const aEnd = this.scanName(p, 'attribute name');
          const aName = this.intern(aStart, aEnd, this.colon);
          p = aEnd;
          while (isWs(src.charCodeAt(p))) p++;
          if (src.charCodeAt(p) !== 61 /* = */) {
            throw this.error(`Expected '=' after attribute name '${aName.qname}'`, p);
          }
          p++;
          while (isWs(src.charCodeAt(p))) p++;
          const q = src.charCodeAt(p);
          if (q !== 34 && q !== 39) throw this.error(`Value of attribute '${aName.qname}' must be quoted`, p);
          const vEnd = src.indexOf(q === 34 ? '"' : "'", p + 1);
          if (vEnd < 0) throw this.error('Unterminated attribute value', p);
          this.aNames[count] = aName;
          this.aValues[count] = this.attrValue(p + 1, vEnd);
          this.aOffsets[count] = aStart;
          count++;
          p = vEnd + 1;
        }
        const el = this.element(name, lt, count, cur !== null ? (cur.scope as Scope) : this.rootScope);
        if (cur !== null) kids[kidsTop++] = el;
        else root = el;
        if (!selfClosing) {
          stack.push(el);
          qnames.push(name.qname);
          kidStarts.push(kidsTop);
          textStarts.push(textsTop);
          cur = el;
        }
        pos = p;
      }
    }
    if (cur !== null) {
      const qname = qnames[qnames.length - 1] as string;
      throw this.error(`Unclosed element <${qname}> (opened at line ${cur.line}, column ${cur.column})`, len);
    }
    if (root === null) throw this.error('No document element', len);
    return root;
  }

  /** Refuses characters that XML 1.0 does not allow (raw, anywhere in the document). */
  private checkChars(): void {
    const src = this.src;
    SUSPECT_CHAR.lastIndex = 0;
    for (let m = SUSPECT_CHAR.exec(src); m !== null; m = SUSPECT_CHAR.exec(src)) {
      const i = m.index;
      const c = src.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff) {
        const d = src.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          SUSPECT_CHAR.lastIndex = i + 2;
          continue;
        }
      }
      SUSPECT_CHAR.lastIndex = 0;
      const what = c >= 0xd800 && c <= 0xdfff ? `Unpaired surrogate ${hex(c)}` : `Character ${hex(c)}`;
      throw this.error(`${what} is not allowed in XML`, i);
    }
  }

  /** Builds an element from the scanned start tag: namespace declarations, names, attributes. */
  private element(name: Name, lt: number, count: number, parentScope: Scope): ElementNode {
    const names = this.aNames;
    const values = this.aValues;
    const offsets = this.aOffsets;
    let scope = parentScope;
    let plain = 0; // attributes that are not namespace declarations

    // Duplicate raw names. Small tags compare pairwise; large
    // ones use a Set, so the check stays linear.
    if (count > 1) {
      if (count <= 12) {
        for (let i = 1; i < count; i++) {
          const n = names[i] as Name;
          for (let j = 0; j < i; j++) {
            if ((names[j] as Name).qname === n.qname) {
              throw this.error(`Duplicate attribute '${n.qname}'`, offsets[i] as number);
            }
          }
        }
      } else {
        const seen = new Set<string>();
        for (let i = 0; i < count; i++) {
          const n = (names[i] as Name).qname;
          if (seen.has(n)) throw this.error(`Duplicate attribute '${n}'`, offsets[i] as number);
          seen.add(n);
        }
      }
    }

    let declared: string[] | null = null;
    let declaredUris: string[] | null = null;
    for (let i = 0; i < count; i++) {
      const n = names[i] as Name;
      if (n.prefix === 'xmlns' || n.qname === 'xmlns') {
        const prefix = n.prefix === '' ? '' : n.local;
        const uri = this.checkDeclaration(prefix, values[i] as string, offsets[i] as number);
        if (declared === null || declaredUris === null) {
          declared = [prefix];
          declaredUris = [uri];
        } else {
          declared.push(prefix);
          declaredUris.push(uri);
        }
      } else {
        plain++;
      }
    }
    if (declared !== null && declaredUris !== null) scope = new Scope(scope, declared, declaredUris, this.lines);

    let ns: string;
    if (name.prefix === '') {
      ns = scope.lookup('') as string; // the default namespace is always bound ('' when undeclared)
    } else {
      if (name.prefix === 'xmlns') throw this.error("Element names must not use the prefix 'xmlns'", lt + 1);
      const uri = scope.lookup(name.prefix);
      if (uri === undefined) {
        throw this.error(`Unbound namespace prefix '${name.prefix}' in <${name.qname}>`, lt + 1);
      }
      ns = uri;
    }

    let attrs = NO_ATTRS;
    if (plain > 0) {
      const list: AttributeNode[] = new Array(plain);
      const rawIndex = this.aListIndex;
      let k = 0;
      let prefixed = 0;
      for (let i = 0; i < count; i++) {
        const n = names[i] as Name;
        if (n.prefix === '') {
          if (n.qname !== 'xmlns') {
            rawIndex[k] = i;
            list[k++] = new AttributeNode('', n.local, values[i] as string);
          }
        } else if (n.prefix !== 'xmlns') {
          const uri = scope.lookup(n.prefix);
          if (uri === undefined) {
            throw this.error(`Unbound namespace prefix '${n.prefix}' in attribute '${n.qname}'`, offsets[i] as number);
          }
          rawIndex[k] = i;
          list[k++] = new AttributeNode(uri, n.local, values[i] as string);
          prefixed++;
        }
      }
      // Duplicates by expanded name can only arise between prefixed attributes (a prefixed
      // attribute always has a non-empty namespace; unprefixed ones were checked by raw name).
      if (prefixed > 1) this.checkExpandedDuplicates(list, rawIndex);
      attrs = list;
    }
    return new ElementNode(ns, name.local, attrs, scope, lt);
  }

  /** Throws if two attributes in `list` share an expanded name; `rawIndex` maps list → scratch index. */
  private checkExpandedDuplicates(list: AttributeNode[], rawIndex: number[]): void {
    const fail = (k: number): XmlSyntaxError => {
      const a = list[k] as AttributeNode;
      const raw = (this.aNames[rawIndex[k] as number] as Name).qname;
      return this.error(
        `Duplicate attribute '${raw}' (expanded name {${a.ns}}${a.local})`,
        this.aOffsets[rawIndex[k] as number] as number,
      );
    };
    if (list.length <= 12) {
      for (let i = 1; i < list.length; i++) {
        const a = list[i] as AttributeNode;
        if (a.ns === '') continue;
        for (let j = 0; j < i; j++) {
          const b = list[j] as AttributeNode;
          if (b.local === a.local && b.ns === a.ns) throw fail(i);
        }
      }
    } else {
      const seen = new Set<string>();
      for (let i = 0; i < list.length; i++) {
        const a = list[i] as AttributeNode;
        if (a.ns === '') continue;
        const key = a.ns + '}' + a.local;
        if (seen.has(key)) throw fail(i);
        seen.add(key);
      }
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
    if (prefix !== '' && uri === '') {
      throw this.error(`The prefix '${prefix}' cannot be undeclared in XML 1.0`, offset);
    }
    return uri;
  }

  /**
   * Scans an XML Name starting at `p`; returns the offset after it. Enforces a namespace-valid
   * QName shape (at most one colon, not first or last) and records the colon in `this.colon`.
   */
  private scanName(p: number, what: string): number {
    const src = this.src;
    const start = p;
    let colon = -1;
    if (p >= this.len) throw this.error(`Unexpected end of input, expected ${what}`, p);
    let c = src.charCodeAt(p);
    if (c < 128) {
      if (NAME_ASCII[c] !== 1) throw this.error(`Invalid ${what}`, p);
    } else if (c >= 0xd800 && c <= 0xdb7f) {
      p++; // high surrogate of a U+10000..U+EFFFF name character; pairing was checked up front
    } else if (!isNonAsciiNameStart(c)) {
      throw this.error(`Invalid ${what}`, p);
    }
    if (c === 58) throw this.error(`Invalid ${what}: a name must not start with ':'`, p);
    for (p++; ; p++) {
      c = src.charCodeAt(p);
      if (c < 128) {
        if (NAME_ASCII[c] === 0) break;
        if (c === 58) {
          if (colon >= 0) throw this.error(`Invalid ${what}: more than one ':'`, start);
          colon = p;
        }
      } else if (c >= 0xd800 && c <= 0xdb7f) {
        p++;
      } else if (!isNonAsciiNameChar(c)) {
        break; // includes NaN at end of input
      }
    }
    if (colon === p - 1) throw this.error(`Invalid ${what}: a name must not end with ':'`, start);
    this.colon = colon;
    return p;
  }

  /** For error messages only: the extent of whatever name-like run starts at `p`. */
  private scanNameLoose(p: number): number {
    const src = this.src;
    let c = src.charCodeAt(p);
    const limit = Math.min(this.len, p + 200);
    while (p < limit && !isWs(c) && c !== 62 && c !== 60) c = src.charCodeAt(++p);
    return p;
  }

  private outsideText(start: number, end: number, afterRoot: boolean): void {
    const src = this.src;
    for (let i = start; i < end; i++) {
      if (!isWs(src.charCodeAt(i))) {
        throw this.error(
          afterRoot ? 'Text is not allowed after the document element' : 'Text is not allowed before the document element',
          i,
        );
      }
    }
  }

  /** Character data between markup: entities decoded, line endings normalised. */
  private text(start: number, end: number): string {
    const src = this.src;
    if (this.nextAmp < start) this.nextAmp = find(src, '&', start);
    if (this.nextCr < start) this.nextCr = find(src, '\r', start);
    if (this.nextCdEnd < start) this.nextCdEnd = find(src, ']]>', start);
    if (this.nextCdEnd < end) throw this.error("']]>' is not allowed in character data", this.nextCdEnd);
    if (this.nextAmp >= end && this.nextCr >= end) return src.slice(start, end);
    let out = '';
    let seg = start;
    for (let i = start; i < end; i++) {
      const c = src.charCodeAt(i);
      if (c === 38) {
        out += src.slice(seg, i) + this.decodeRef(i, end);
        i = this.refEnd;
        seg = i + 1;
      } else if (c === 13) {
        out += src.slice(seg, i) + '\n';
        if (src.charCodeAt(i + 1) === 10) i++;
        seg = i + 1;
      }
    }
    return out + src.slice(seg, end);
  }

  /** CDATA content: only line endings change. */
  private normaliseNewlines(start: number, end: number): string {
    const src = this.src;
    if (this.nextCr < start) this.nextCr = find(src, '\r', start);
    if (this.nextCr >= end) return src.slice(start, end);
    let out = '';
    let seg = start;
    for (let i = this.nextCr; i < end; i++) {
      if (src.charCodeAt(i) === 13) {
        out += src.slice(seg, i) + '\n';
        if (src.charCodeAt(i + 1) === 10) i++;
        seg = i + 1;
      }
    }
    return out + src.slice(seg, end);
  }

  /** Attribute value: references decoded, whitespace normalised as for CDATA-typed attributes. */
  private attrValue(start: number, end: number): string {
    const src = this.src;
    let out = '';
    let seg = start;
    for (let i = start; i < end; i++) {
      const c = src.charCodeAt(i);
      if (c > 60 || (c > 13 && c !== 38 && c !== 60)) continue;
      if (c === 38) {
        out += src.slice(seg, i) + this.decodeRef(i, end);
        i = this.refEnd;
        seg = i + 1;
      } else if (c === 60) {
        throw this.error("'<' is not allowed in attribute values", i);
      } else if (c === 9 || c === 10) {
        out += src.slice(seg, i) + ' ';
        seg = i + 1;
      } else if (c === 13) {
        out += src.slice(seg, i) + ' ';
        if (src.charCodeAt(i + 1) === 10) i++;
        seg = i + 1;
      }
    }
    return seg === start ? src.slice(start, end) : out + src.slice(seg, end);
  }

  /** Decodes the reference whose '&' is at `amp` (not beyond `end`); sets `this.refEnd` to its ';'. */
  private decodeRef(amp: number, end: number): string {
    const src = this.src;
    let p = amp + 1;
    if (src.charCodeAt(p) === 35 /* # */) {
      p++;
      let cp = 0;
      let digits = 0;
      if (src.charCodeAt(p) === 120 /* x */) {
        p++;
        for (; p < end; p++, digits++) {
          const c = src.charCodeAt(p);
          let d: number;
          if (c >= 48 && c <= 57) d = c - 48;
          else if (c >= 97 && c <= 102) d = c - 87;
          else if (c >= 65 && c <= 70) d = c - 55;
          else break;
          cp = Math.min(cp * 16 + d, 0x110000);
        }
      } else {
        for (; p < end; p++, digits++) {
          const c = src.charCodeAt(p);
          if (c < 48 || c > 57) break;
          cp = Math.min(cp * 10 + (c - 48), 0x110000);
        }
      }
      if (digits === 0 || p >= end || src.charCodeAt(p) !== 59) {
        throw this.error('Malformed character reference', amp);
      }
      if (!isXmlChar(cp)) {
        const shown = cp > 0x10ffff ? 'beyond U+10FFFF' : hex(cp);
        throw this.error(`Character reference to ${shown} is not allowed in XML`, amp);
      }
      this.refEnd = p;
      return String.fromCodePoint(cp);
    }
    const limit = Math.min(end, amp + 6);
    for (; p < limit; p++) {
      const c = src.charCodeAt(p);
      if (c === 59) break;
    }
    if (p < end && src.charCodeAt(p) === 59) {
      const name = src.slice(amp + 1, p);
      let value: string | undefined;
      switch (name) {
        case 'lt':
          value = '<';
          break;
        case 'gt':
          value = '>';
          break;
        case 'amp':
          value = '&';
          break;
        case 'quot':
          value = '"';
          break;
        case 'apos':
          value = "'";
          break;
      }
      if (value !== undefined) {
        this.refEnd = p;
        return value;
      }
    }
    // Report the whole name when it looks like one, so the message is useful.
    let q = amp + 1;
    while (q < end && q < amp + 64) {
      const c = src.charCodeAt(q);
      if (c < 128 ? NAME_ASCII[c] === 0 : false) break;
      q++;
    }
    if (q > amp + 1 && src.charCodeAt(q) === 59) {
      throw this.error(`Unknown entity '&${src.slice(amp + 1, q)};'`, amp);
    }
    throw this.error("'&' must start an entity or character reference (escape it as &amp;)", amp);
  }

  /** Skips a processing instruction whose '<' is at `lt`; returns the offset after '?>'. */
  private processingInstruction(lt: number): number {
    const src = this.src;
    const end = this.scanName(lt + 2, 'processing instruction target');
    const target = src.slice(lt + 2, end);
    if (target.length === 3 && target.toLowerCase() === 'xml') {
      throw this.error('The XML declaration is only allowed at the very start of the document', lt);
    }
    if (!src.startsWith('?>', end) && !isWs(src.charCodeAt(end))) {
      throw this.error('Invalid processing instruction target', lt + 2);
    }
    const close = src.indexOf('?>', end);
    if (close < 0) throw this.error('Unterminated processing instruction', lt);
    return close + 2;
  }

  /** Parses `<?xml version="1.0" encoding="…" standalone="…"?>` at `start`; returns the offset after it. */
  private xmlDecl(start: number): number {
    const src = this.src;
    let p = start + 5;
    let seen = 0; // 1 = version, 2 = encoding, 3 = standalone
    for (;;) {
      const wsStart = p;
      while (isWs(src.charCodeAt(p))) p++;
      if (src.startsWith('?>', p)) {
        if (seen === 0) throw this.error('The XML declaration must specify a version', p);
        return p + 2;
      }
      if (p === wsStart) throw this.error("Expected whitespace or '?>' in the XML declaration", p);
      const nameStart = p;
      const nameEnd = this.scanName(p, 'XML declaration attribute');
      const name = src.slice(nameStart, nameEnd);
      p = nameEnd;
      while (isWs(src.charCodeAt(p))) p++;
      if (src.charCodeAt(p) !== 61) throw this.error("Expected '=' in the XML declaration", p);
      p++;
      while (isWs(src.charCodeAt(p))) p++;
      const q = src.charCodeAt(p);
      if (q !== 34 && q !== 39) throw this.error('XML declaration values must be quoted', p);
      const vEnd = src.indexOf(q === 34 ? '"' : "'", p + 1);
      const close = src.indexOf('?>', p);
      if (vEnd < 0 || (close >= 0 && vEnd > close)) throw this.error('Unterminated XML declaration value', p);
      const value = src.slice(p + 1, vEnd);
      if (name === 'version' && seen === 0) {
        if (value !== '1.0') throw this.error(`Unsupported XML version '${value}' (only 1.0 is supported)`, p);
        seen = 1;
      } else if (name === 'encoding' && seen === 1) {
        if (!/^[A-Za-z][A-Za-z0-9._-]*$/.test(value)) throw this.error(`Invalid encoding name '${value}'`, p);
        seen = 2;
      } else if (name === 'standalone' && (seen === 1 || seen === 2)) {
        if (value !== 'yes' && value !== 'no') throw this.error("standalone must be 'yes' or 'no'", p);
        seen = 3;
      } else {
        throw this.error(`Unexpected '${name}' in the XML declaration`, nameStart);
      }
      p = vEnd + 1;
    }
  }
}

/** Parses a complete XML document and returns its document element. Throws XmlSyntaxError. */
export function parseXml(text: string, options?: ParseOptions): XmlElement {
  const maxDepth = options?.maxDepth ?? DEFAULT_MAX_DEPTH;
  if (!(maxDepth >= 1) || (maxDepth !== Infinity && !Number.isInteger(maxDepth))) {
    throw new RangeError(`maxDepth must be a positive integer, not ${maxDepth}`);
  }
  return new Parser(text, maxDepth).parse();
}

/** The value of the attribute {ns}local, or undefined. Use ns '' for unprefixed attributes. */
export function attribute(el: XmlElement, ns: string, local: string): string | undefined {
  const attrs = el.attrs;
  for (let i = 0; i < attrs.length; i++) {
    const a = attrs[i] as XmlAttribute;
    if (a.local === local && a.ns === ns) return a.value;
  }
  return undefined;
}

/**
 * Resolves a QName-valued string (such as an xsi:type value) against the element's in-scope
 * namespaces. An unprefixed name takes the default namespace ('' when none). Returns undefined
 * when the prefix is unbound or the string is not a QName. Surrounding whitespace is ignored.
 */
export function resolveQName(el: XmlElement, qname: string): { ns: string; local: string } | undefined {
  const s = qname.trim();
  const colon = s.indexOf(':');
  if (s === '' || colon === 0 || colon === s.length - 1 || (colon > 0 && s.indexOf(':', colon + 1) >= 0)) {
    return undefined;
  }
  const prefix = colon < 0 ? '' : s.slice(0, colon);
  const ns = el.scope.lookup(prefix);
  if (ns === undefined) return undefined;
  return { ns, local: colon < 0 ? s : s.slice(colon + 1) };
}

const TEXT_SPECIAL = /[&<>\r]/;
const TEXT_SPECIAL_ALL = /[&<>\r]/g;
const ATTR_SPECIAL = /[&<>"\t\n\r]/;
const ATTR_SPECIAL_ALL = /[&<>"\t\n\r]/g;

function replaceSpecial(ch: string): string {
  switch (ch) {
    case '&':
      return '&amp;';
    case '<':
      return '&lt;';
    case '>':
      return '&gt;';
    case '"':
      return '&quot;';
    case '\t':
      return '&#x9;';
    case '\n':
      return '&#xA;';
    default:
      return '&#xD;';
  }
}

/** Escapes character data: & < > and \r (as &#xD;, which line-ending normalisation would lose). */
export function escapeText(s: string): string {
  return TEXT_SPECIAL.test(s) ? s.replace(TEXT_SPECIAL_ALL, replaceSpecial) : s;
}

/** Escapes a value for a double-quoted attribute: & < > " and \t \n \r as character references. */
export function escapeAttribute(s: string): string {
  return ATTR_SPECIAL.test(s) ? s.replace(ATTR_SPECIAL_ALL, replaceSpecial) : s;
}
