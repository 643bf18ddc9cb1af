// A small, strict, namespace-aware XML reader for SOAP messages, plus the two escaping helpers the
// encoder needs. Self-contained on purpose: no imports, so the file runs unchanged in Node,
// browsers and Deno.
//
// Design notes
// - XmlReader is a pull reader: next() returns start tag, text and end tag events. All checking
//   happens there, so its consumers see the same errors: the decoder (decode.ts) turns them into
//   typed values directly (the client's responses and the mock's requests alike); only the tests'
//   own tree builder (test/support/xml-tree.ts) makes trees of them.
// - The input is scanned with indexOf/charCodeAt; strings are only created by slicing whole runs
//   (names, attribute values, text between markup), never character by character, and text and
//   attribute values that need no decoding are handed out as extents of the input.
// - Names are interned per document (one XmlName per distinct name, as a compact interned string).
// - Security: a DOCTYPE is refused outright, so no entity is ever declared or expanded. Only the
//   five predefined entities and numeric character references are decoded. Nesting depth is
//   limited. Every check is linear in the input, including duplicate-attribute detection.
// - Positions: elements store only their offset; line and column are computed on demand from a
//   newline index that is built the first time any position is asked for.
// - Namespace scopes form a chain with one link per declaration; elements that declare nothing
//   share their parent's scope object.

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
/**
 * Longest element, attribute or processing-instruction name accepted, in UTF-16 units (libxml2's
 * default limit is 50000). Below V8's 16384, beyond which a string's hash is its length alone, so
 * every Map and Set the reader keys by name keeps its constant time on hostile input.
 */
export const MAX_NAME_LENGTH = 10_000;

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

/** Encoding names that a byte order mark can go with. */
const UNICODE_ENCODING = /^(utf-?(8|16|32)(le|be)?|ucs-?[24]|iso-10646-ucs-[24])$/i;

function isWs(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}

const INTERN: Record<string, number> = Object.create(null) as Record<string, number>;

/**
 * The same text as a string that compares fast: compact (one byte per character, when it can be)
 * and interned, so that comparing it with a literal or another interned name is one pointer test.
 * (Every engine has some such representation; in V8 a property key is interned, and a string made
 * by String.fromCharCode from codes below 256 is compact.) For names and namespace URIs: things
 * made once per document and compared many times. Bench: the `tricks` case, row trick-canonical-names.
 */
function canonical(s: string): string {
  const n = s.length;
  if (n === 0 || n > 256) return s;
  const codes: number[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c > 255) {
      codes.length = 0;
      break;
    }
    codes[i] = c;
  }
  const flat = codes.length === n ? String.fromCharCode.apply(null, codes) : s;
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

/** One namespace binding: the URI and its per-document id (equal URIs, equal ids; see UriIds). */
interface Binding {
  readonly uri: string;
  readonly id: number;
}

const EMPTY_BINDING: Binding = { uri: '', id: -3 };

/**
 * The bindings declared on one element, linked to the enclosing scope. The chain is at most as long
 * as the nesting depth; an element declaring many prefixes gets a Map, so lookups stay cheap even
 * for hostile documents. A lookup that had to walk far leaves its answer in the parent scope's
 * memo, so the siblings and descendants that ask next stop there: a deep chain of scopes costs one
 * walk per prefix and parent, not one per lookup.
 */
class Scope implements NamespaceScope {
  readonly parent: Scope | null;
  private readonly prefixes: readonly string[];
  private readonly bindings: readonly Binding[];
  private readonly map: Map<string, Binding> | null;
  /** Bindings found beyond this scope by earlier long walks (see binding()). */
  private memo: Map<string, Binding> | null = null;
  /** The document's line index (kept here rather than on every element, to keep elements small). */
  readonly lines: LineMap | null;
  private lastPrefix: string | undefined = undefined;
  private lastBinding: Binding | undefined = undefined;

  constructor(parent: Scope | null, prefixes: string[], bindings: Binding[], lines: LineMap | null) {
    this.parent = parent;
    this.prefixes = prefixes;
    this.bindings = bindings;
    let map: Map<string, Binding> | null = null;
    if (prefixes.length > 8) {
      map = new Map();
      for (let i = 0; i < prefixes.length; i++) map.set(prefixes[i] as string, bindings[i] as Binding);
    }
    this.map = map;
    this.lines = lines;
  }

  lookup(prefix: string): string | undefined {
    return this.binding(prefix)?.uri;
  }

  /** The binding of `prefix` in this scope, or undefined when it is unbound. */
  binding(prefix: string): Binding | undefined {
    // Elements sharing a scope mostly ask for the same prefix: remember the last answer.
    if (prefix === this.lastPrefix) return this.lastBinding;
    let s: Scope = this;
    let steps = 0;
    let found: Binding | undefined;
    for (;;) {
      found = s.own(prefix);
      if (found !== undefined) break;
      if (s.memo !== null) {
        found = s.memo.get(prefix);
        if (found !== undefined) break;
      }
      const up = s.parent;
      if (up === null) {
        found = prefix === '' ? EMPTY_BINDING : undefined;
        break;
      }
      s = up;
      steps++;
    }
    if (found !== undefined) {
      this.lastPrefix = prefix;
      this.lastBinding = found;
      // Found beyond the parent: the parent does not declare it, so the answer holds there too.
      // Memoised only past a few steps (short walks are cheaper than the map): a guard of linear
      // time in xml-scaling.slow.test.ts, family "a deep chain of scopes", not a speed trick.
      if (steps > 4 && this.parent !== null) (this.parent.memo ??= new Map()).set(prefix, found);
    }
    return found;
  }

  /** The binding this scope itself declares for `prefix`, or undefined. */
  private own(prefix: string): Binding | undefined {
    if (this.map !== null) return this.map.get(prefix);
    const prefixes = this.prefixes;
    for (let i = 0; i < prefixes.length; i++) {
      if (prefixes[i] === prefix) return this.bindings[i];
    }
    return undefined;
  }
}

const BUILTIN_SCOPE = new Scope(null, ['xml', 'xmlns'], [{ uri: XML_NS, id: -1 }, { uri: XMLNS_NS, id: -2 }], null);

/**
 * Per-document ids for namespace URIs: equal URIs get equal ids, so attributes' namespaces are
 * compared as numbers. Comparing the strings could cost their length every time (a hostile
 * document binds two prefixes to equal 200 KB URIs), and V8 hashes strings longer than 16383
 * characters by their length alone, so a Map keyed by such URIs degrades to a list. URIs are
 * hashed here instead, once per declaration, with a seed chosen per document.
 */
class UriIds {
  private readonly buckets = new Map<number, number[]>();
  private readonly uris: string[] = [];
  private readonly seed = (Math.random() * 0x100000000) | 0;

  /** The id of `uri`; a URI seen for the first time is kept as `keep(uri)` (see uri()). */
  id(uri: string, keep: (uri: string) => string = (u) => u): number {
    let h = this.seed ^ uri.length;
    for (let i = 0; i < uri.length; i++) {
      h = Math.imul(h ^ uri.charCodeAt(i), 0x5bd1e995);
      h ^= h >>> 13;
    }
    const bucket = this.buckets.get(h);
    if (bucket === undefined) {
      this.buckets.set(h, [this.uris.length]);
    } else {
      for (const id of bucket) if (this.uris[id] === uri) return id;
      bucket.push(this.uris.length);
    }
    this.uris.push(keep(uri));
    return this.uris.length - 1;
  }

  /** The URI of `id`, as kept when first seen: every binding to it shares that one string. */
  uri(id: number): string {
    return this.uris[id] as string;
  }
}

/**
 * An interned qualified name: one object per distinct name per document (see XmlReader.intern),
 * so names can be compared by identity.
 */
export class XmlName {
  readonly qname: string;
  /** '' when unprefixed. */
  readonly prefix: string;
  readonly local: string;
  /** Hash of the qualified name (computed while scanning it; 30 bits). */
  readonly hash: number;
  /** The scope `uri` was resolved in (resolution cache; see XmlReader.resolve). */
  scope: Scope | null = null;
  uri = '';
  /** The id of `uri` (see UriIds), cached with it. */
  uriId = 0;

  /** `compact`: make the strings canonical (see canonical()); worth it for names that repeat. */
  constructor(qname: string, colon: number, hash: number, compact = true) {
    const c = compact ? canonical : (s: string) => s;
    this.qname = c(qname);
    this.prefix = colon < 0 ? '' : c(qname.slice(0, colon));
    this.local = colon < 0 ? this.qname : c(qname.slice(colon + 1));
    this.hash = hash;
  }
}

// Reader events (XmlReader.next).
/** End of the document (everything after the document element was checked too). */
export const XML_EOF = 0;
/** A start tag: name, ns, scope, attributes. A self-closing tag is followed by its XML_END. */
export const XML_START = 1;
/** An end tag (or the end of a self-closing tag). */
export const XML_END = 2;
/** Character data inside an element: a run between markup, or a CDATA section. */
export const XML_TEXT = 3;

const NAME_CACHE_SIZE = 2048; // power of two
const NAME_PROBES = 4;

/**
 * A pull reader over a whole document: `next()` returns the next event (XML_START, XML_TEXT,
 * XML_END, XML_EOF) and leaves its details in fields. Every well-formedness check happens here,
 * in document order, so any consumer (the decoder, envelope.ts's Fault reader, the tests' trees)
 * sees exactly the same errors at exactly the same places; consumers only decide what to keep.
 */
export class XmlReader {
  readonly src: string;
  private readonly len: number;
  private readonly maxDepth: number;
  private readonly lines: LineMap;
  private readonly rootScope: Scope;
  private pos: number;
  private rootSeen = false;
  /** The last START was self-closing: the next call returns its END without reading. */
  private pendingEnd = false;
  // Open elements: names (for end tags), start offsets (for messages) and scopes, by depth - 1.
  private readonly openNames: XmlName[] = [];
  private readonly openStarts: number[] = [];
  private readonly openScopes: Scope[] = [];
  // Cached offsets of the next '&', '\r' and ']]>' (src.length when none), so that plain text runs
  // are recognised without scanning them character by character.
  private nextAmp = -1;
  private nextCr = -1;
  private nextCdEnd = -1;
  /** Set by scanName: offset of the name's colon, or -1; and the name's hash. */
  private colon = -1;
  private hash = 0;
  /** Set by decodeRef: offset of the reference's ';'. */
  private refEnd = 0;
  /** Pieces appended to the text being decoded since the last flattening (see append). */
  private pieces = 0;
  /** Flattened parts of the text being decoded (see append). */
  private readonly asides: string[] = [];
  /**
   * Open-addressed cache of names seen in this document. Documents repeat a few dozen names many
   * thousand times; sharing one object per name saves memory and string comparisons.
   */
  private readonly names: (XmlName | undefined)[] = new Array(NAME_CACHE_SIZE);
  /**
   * How many more names and namespace URIs are made canonical. Making a string canonical costs
   * about a microsecond, repaid when the name recurs; a real message has a few hundred distinct
   * names, while a hostile one can have a new name in every tag, and those are left as they are.
   */
  private compactLeft = NAME_CACHE_SIZE;
  /** How a namespace URI declared for the first time is kept (see UriIds.id). */
  private readonly keepUri = (uri: string): string => (this.compactLeft-- > 0 ? canonical(uri) : uri);

  // ---- The current event (valid until the next call) -------------------------------------------
  /** Nesting depth: after XML_START the element's own depth (the document element is 1). */
  depth = 0;
  /** XML_START / XML_END: the element's name. */
  name: XmlName;
  /** XML_START: the element's namespace URI. */
  ns = '';
  /** XML_START: the element's in-scope namespaces. */
  scope: Scope;
  /** XML_START: offset of the '<' of the start tag. */
  start = 0;
  /** XML_START: the tag was self-closing. */
  selfClosing = false;
  /** XML_START: number of attributes, namespace declarations included (see attrIsDecl). */
  attrCount = 0;
  /** XML_START: number of attributes that are not namespace declarations. */
  plainAttrCount = 0;
  /** XML_TEXT: the text's extent in `src`. */
  textStart = 0;
  textEnd = 0;
  /** XML_TEXT: the decoded text, or null when it is exactly src[textStart, textEnd). */
  textValue: string | null = null;

  // Attributes of the current start tag, by index in document order.
  private readonly aNames: XmlName[] = [];
  /** Decoded value, or null when the value is exactly src[aStarts[i], aEnds[i]). */
  private readonly aValues: (string | null)[] = [];
  private readonly aStarts: number[] = [];
  private readonly aEnds: number[] = [];
  /** Offset of the attribute's name. */
  private readonly aOffsets: number[] = [];
  /** Namespace URI of a plain attribute; null for a namespace declaration. */
  private readonly aNs: (string | null)[] = [];
  /** Id of a prefixed attribute's namespace URI (see UriIds), for the duplicate check. */
  private readonly aNsIds: number[] = [];
  /** Created with the document's first namespace declaration. */
  private uriIds: UriIds | null = null;

  constructor(src: string, options?: ParseOptions) {
    const maxDepth = options?.maxDepth ?? DEFAULT_MAX_DEPTH;
    if (!(maxDepth >= 1) || (maxDepth !== Infinity && !Number.isInteger(maxDepth))) {
      throw new RangeError(`maxDepth must be a positive integer, not ${maxDepth}`);
    }
    this.src = src;
    this.len = src.length;
    this.maxDepth = maxDepth;
    this.lines = new LineMap(src);
    this.rootScope = new Scope(BUILTIN_SCOPE, [], [], this.lines);
    this.scope = this.rootScope;
    this.name = new XmlName('', -1, 0);
    this.checkChars();
    let pos = src.charCodeAt(0) === 0xfeff ? 1 : 0;
    if (src.startsWith('<?xml', pos) && isWs(src.charCodeAt(pos + 5))) pos = this.xmlDecl(pos);
    this.pos = pos;
  }

  /** The 1-based line and column of `offset` (a surrogate pair is one column). */
  lineColumn(offset: number): { line: number; column: number } {
    return { line: this.lines.line(offset), column: this.lines.column(offset) };
  }

  /** An XmlSyntaxError at `offset`. */
  error(message: string, offset: number): XmlSyntaxError {
    return new XmlSyntaxError(message, this.lines.line(offset), this.lines.column(offset));
  }

  /** The current text event's string. */
  text(): string {
    return this.textValue ?? this.src.slice(this.textStart, this.textEnd);
  }

  /** Whether attribute `i` of the current start tag is a namespace declaration. */
  attrIsDecl(i: number): boolean {
    return this.aNs[i] === null;
  }

  attrName(i: number): XmlName {
    return this.aNames[i] as XmlName;
  }

  /** Namespace URI of attribute `i` ('' for unprefixed attributes and declarations). */
  attrNs(i: number): string {
    return this.aNs[i] ?? '';
  }

  attrValue(i: number): string {
    return this.aValues[i] ?? this.src.slice(this.aStarts[i] as number, this.aEnds[i] as number);
  }

  /** Extent of attribute `i`'s value in `src`; meaningful only when attrValueIsRaw(i). */
  attrValueStart(i: number): number {
    return this.aStarts[i] as number;
  }

  attrValueEnd(i: number): number {
    return this.aEnds[i] as number;
  }

  /** Whether attribute `i`'s value is exactly its extent in `src` (no references, no normalisation). */
  attrValueIsRaw(i: number): boolean {
    return this.aValues[i] === null;
  }

  /** After XML_START: reads through the element's end tag, ignoring (but checking) everything in it. */
  skipElement(): void {
    const depth = this.depth;
    while (this.next() !== XML_END || this.depth >= depth) {
      // nothing: every event inside is read and checked, none is kept
    }
  }

  /** The URI `name`'s prefix is bound to in `scope` (cached on the name with its id), or undefined. */
  private resolve(name: XmlName, scope: Scope): string | undefined {
    if (name.scope === scope) return name.uri;
    const binding = scope.binding(name.prefix);
    if (binding === undefined) return undefined;
    name.scope = scope;
    name.uri = binding.uri;
    name.uriId = binding.id;
    return binding.uri;
  }

  /** The XmlName for src[start, end), a valid QName whose colon (or -1) is `colon` and hash `hash`. */
  private intern(start: number, end: number, colon: number, hash: number): XmlName {
    const src = this.src;
    const names = this.names;
    const n = end - start;
    const home = hash & (NAME_CACHE_SIZE - 1);
    let slot = home;
    for (let probe = 0; probe < NAME_PROBES; probe++) {
      const hit = names[slot];
      if (hit === undefined) break;
      if (hit.hash === hash && hit.qname.length === n && src.startsWith(hit.qname, start)) return hit;
      slot = (slot + 1) & (NAME_CACHE_SIZE - 1);
    }
    const name = new XmlName(src.slice(start, end), colon < 0 ? -1 : colon - start, hash, this.compactLeft-- > 0);
    // A free slot among the probed ones, else the home slot is reused.
    names[names[slot] === undefined ? slot : home] = name;
    return name;
  }

  /** Reads up to and including the next event; see XML_START, XML_TEXT, XML_END, XML_EOF. */
  next(): number {
    if (this.pendingEnd) {
      this.pendingEnd = false;
      this.pop();
      return XML_END;
    }
    const src = this.src;
    const len = this.len;
    for (;;) {
      const pos = this.pos;
      // Markup often follows markup or text directly: no search needed then.
      const lt = src.charCodeAt(pos) === 60 ? pos : src.indexOf('<', pos);
      const textEnd = lt < 0 ? len : lt;
      if (textEnd > pos) {
        if (this.depth > 0) {
          this.textValue = this.charData(pos, textEnd);
          this.textStart = pos;
          this.textEnd = textEnd;
          this.pos = textEnd;
          return XML_TEXT;
        }
        this.outsideText(pos, textEnd, this.rootSeen);
      }
      if (lt < 0) {
        this.pos = len;
        if (this.depth > 0) {
          const qname = (this.openNames[this.depth - 1] as XmlName).qname;
          const opened = this.openStarts[this.depth - 1] as number;
          throw this.error(
            `Unclosed element <${qname}> (opened at line ${this.lines.line(opened)}, column ${this.lines.column(opened)})`,
            len,
          );
        }
        if (!this.rootSeen) throw this.error('No document element', len);
        return XML_EOF;
      }
      const c = src.charCodeAt(lt + 1);

      if (c === 47 /* / */) {
        if (this.depth === 0) throw this.error('Unexpected end tag', lt);
        const name = this.openNames[this.depth - 1] as XmlName;
        const qname = name.qname;
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
        this.pos = p + 1;
        this.pop();
        return XML_END;
      }
      if (c === 33 /* ! */) {
        if (src.startsWith('--', lt + 2)) {
          const end = src.indexOf('-->', lt + 4);
          if (end < 0) throw this.error('Unterminated comment', lt);
          const dd = src.indexOf('--', lt + 4);
          if (dd < end) throw this.error("'--' is not allowed inside a comment", dd);
          this.pos = end + 3;
          continue;
        }
        if (src.startsWith('[CDATA[', lt + 2)) {
          if (this.depth === 0) throw this.error('CDATA section outside the document element', lt);
          const start = lt + 9;
          const end = src.indexOf(']]>', start);
          if (end < 0) throw this.error('Unterminated CDATA section', lt);
          this.textValue = this.normaliseNewlines(start, end);
          this.textStart = start;
          this.textEnd = end;
          this.pos = end + 3;
          return XML_TEXT;
        }
        if (src.startsWith('DOCTYPE', lt + 2)) throw this.error('DOCTYPE is not allowed', lt);
        throw this.error("Unexpected '<!'", lt);
      }
      if (c === 63 /* ? */) {
        this.pos = this.processingInstruction(lt);
        continue;
      }
      this.startTag(lt);
      return XML_START;
    }
  }

  /** Closes the innermost open element. */
  private pop(): void {
    const depth = --this.depth;
    this.name = this.openNames[depth] as XmlName;
    this.scope = depth > 0 ? (this.openScopes[depth - 1] as Scope) : this.rootScope;
  }

  /** Reads the start tag whose '<' is at `lt`, and opens its element. */
  private startTag(lt: number): void {
    const src = this.src;
    const len = this.len;
    const depth = this.depth;
    if (depth === 0 && this.rootSeen) throw this.error('Only one document element is allowed', lt);
    if (depth >= this.maxDepth) throw this.error(`Element nesting deeper than ${this.maxDepth} levels`, lt);
    const nameStart = lt + 1;
    let p = this.scanName(nameStart, 'element name');
    const name = this.intern(nameStart, p, this.colon, this.hash);
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
      p = this.scanName(aStart, 'attribute name');
      const aName = this.intern(aStart, p, this.colon, this.hash);
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
      this.aValues[count] = this.attrValueText(p + 1, vEnd);
      this.aStarts[count] = p + 1;
      this.aEnds[count] = vEnd;
      this.aOffsets[count] = aStart;
      count++;
      p = vEnd + 1;
    }
    this.attributesOf(name, lt, count, depth > 0 ? (this.openScopes[depth - 1] as Scope) : this.rootScope);
    this.rootSeen = true;
    this.name = name;
    this.start = lt;
    this.selfClosing = selfClosing;
    this.openNames[depth] = name;
    this.openStarts[depth] = lt;
    this.openScopes[depth] = this.scope;
    this.depth = depth + 1;
    this.pendingEnd = selfClosing;
    this.pos = p;
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

  /**
   * Processes the scanned start tag's attributes: namespace declarations (making a new scope when
   * there are any), the element's namespace, attribute namespaces and duplicates. Sets `ns`,
   * `scope`, `attrCount` and `plainAttrCount`.
   */
  private attributesOf(name: XmlName, lt: number, count: number, parentScope: Scope): void {
    const names = this.aNames;
    const offsets = this.aOffsets;
    const nsOf = this.aNs;
    let scope = parentScope;
    let plain = 0; // attributes that are not namespace declarations

    // Duplicate raw names. Small tags compare pairwise; large
    // ones use a Set, so the check stays linear.
    if (count > 1) {
      if (count <= 12) {
        for (let i = 1; i < count; i++) {
          const n = names[i] as XmlName;
          for (let j = 0; j < i; j++) {
            if ((names[j] as XmlName).qname === n.qname) {
              throw this.error(`Duplicate attribute '${n.qname}'`, offsets[i] as number);
            }
          }
        }
      } else {
        const seen = new Set<string>();
        for (let i = 0; i < count; i++) {
          const n = (names[i] as XmlName).qname;
          if (seen.has(n)) throw this.error(`Duplicate attribute '${n}'`, offsets[i] as number);
          seen.add(n);
        }
      }
    }

    let declared: string[] | null = null;
    let declaredUris: Binding[] | null = null;
    for (let i = 0; i < count; i++) {
      const n = names[i] as XmlName;
      if (n.prefix === 'xmlns' || n.qname === 'xmlns') {
        const prefix = n.prefix === '' ? '' : n.local;
        const uri = this.checkDeclaration(prefix, this.attrValue(i), offsets[i] as number);
        // A URI is made canonical once, when first declared: repeated declarations (WCF puts
        // xmlns on every item) neither pay for it again nor use up the budget of names.
        const ids = (this.uriIds ??= new UriIds());
        const id = ids.id(uri, this.keepUri);
        const binding: Binding = { uri: ids.uri(id), id };
        nsOf[i] = null;
        if (declared === null || declaredUris === null) {
          declared = [prefix];
          declaredUris = [binding];
        } else {
          declared.push(prefix);
          declaredUris.push(binding);
        }
      } else {
        plain++;
      }
    }
    if (declared !== null && declaredUris !== null) scope = new Scope(scope, declared, declaredUris, this.lines);

    let ns: string;
    if (name.prefix === '') {
      ns = this.resolve(name, scope) as string; // the default namespace is always bound ('' when undeclared)
    } else {
      if (name.prefix === 'xmlns') throw this.error("Element names must not use the prefix 'xmlns'", lt + 1);
      const uri = this.resolve(name, scope);
      if (uri === undefined) {
        throw this.error(`Unbound namespace prefix '${name.prefix}' in <${name.qname}>`, lt + 1);
      }
      ns = uri;
    }

    if (plain > 0) {
      let prefixed = 0;
      for (let i = 0; i < count; i++) {
        const n = names[i] as XmlName;
        if (n.prefix === '') {
          if (n.qname !== 'xmlns') nsOf[i] = '';
        } else if (n.prefix !== 'xmlns') {
          const uri = this.resolve(n, scope);
          if (uri === undefined) {
            throw this.error(`Unbound namespace prefix '${n.prefix}' in attribute '${n.qname}'`, offsets[i] as number);
          }
          nsOf[i] = uri;
          this.aNsIds[i] = n.uriId;
          prefixed++;
        }
      }
      // Duplicates by expanded name can only arise between prefixed attributes (a prefixed
      // attribute always has a non-empty namespace; unprefixed ones were checked by raw name).
      if (prefixed > 1) this.checkExpandedDuplicates(count);
    }
    this.ns = ns;
    this.scope = scope;
    this.attrCount = count;
    this.plainAttrCount = plain;
  }

  /**
   * Throws if two prefixed attributes of the current tag share an expanded name. Namespaces are
   * compared by id, never as strings: a URI can be long, and comparing or hashing it once per
   * attribute made a 383 KB document take seconds.
   */
  private checkExpandedDuplicates(count: number): void {
    const names = this.aNames;
    const nsOf = this.aNs;
    const ids = this.aNsIds;
    const fail = (i: number): XmlSyntaxError => {
      const n = names[i] as XmlName;
      return this.error(`Duplicate attribute '${n.qname}' (expanded name {${nsOf[i] as string}}${n.local})`, this.aOffsets[i] as number);
    };
    if (count <= 12) {
      for (let i = 1; i < count; i++) {
        const a = nsOf[i];
        if (a === null || a === '' || a === undefined) continue;
        const id = ids[i];
        const local = (names[i] as XmlName).local;
        for (let j = 0; j < i; j++) {
          const b = nsOf[j];
          if (b !== null && b !== '' && ids[j] === id && (names[j] as XmlName).local === local) throw fail(i);
        }
      }
    } else {
      const seen = new Set<string>();
      for (let i = 0; i < count; i++) {
        const a = nsOf[i];
        if (a === null || a === '' || a === undefined) continue;
        const key = (ids[i] as number) + '}' + (names[i] as XmlName).local;
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
   * QName shape (at most one colon, not first or last) and records the colon in `this.colon` and
   * a hash of the name in `this.hash`.
   */
  private scanName(p: number, what: string): number {
    const src = this.src;
    const start = p;
    let colon = -1;
    if (p >= this.len) throw this.error(`Unexpected end of input, expected ${what}`, p);
    let c = src.charCodeAt(p);
    let h = c;
    if (c < 128) {
      if (NAME_ASCII[c] !== 1) throw this.error(`Invalid ${what}`, p);
    } else if (c >= 0xd800 && c <= 0xdb7f) {
      // High surrogate of a U+10000..U+EFFFF name character (its pairing was checked up front).
      p++;
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
      h = (Math.imul(h, 31) + c) | 0;
    }
    if (colon === p - 1) throw this.error(`Invalid ${what}: a name must not end with ':'`, start);
    if (p - start > MAX_NAME_LENGTH) throw this.error(`Invalid ${what}: longer than ${MAX_NAME_LENGTH} characters`, start);
    this.colon = colon;
    this.hash = h & 0x3fffffff; // 30 bits: a small integer in V8, so the field never becomes a boxed number
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

  /**
   * `out + piece`, for decoded text built piece by piece. Appending makes a rope: one live object
   * per piece until the result is read, so text with millions of references would keep millions of
   * them alive and garbage collection would grow faster than the text. Every 256 pieces the rope is
   * therefore flattened (reading a character does that in V8) and set aside; joinAside joins the
   * parts. A guard of linear time and memory, not a speed trick: test/runtime/xml-scaling.slow.test.ts,
   * family "many character references".
   */
  private append(out: string, piece: string): string {
    out += piece;
    if (++this.pieces < 256) return out;
    out.charCodeAt(0);
    this.asides.push(out);
    this.pieces = 0;
    return '';
  }

  private joinAside(last: string): string {
    const asides = this.asides;
    this.pieces = 0;
    if (asides.length === 0) return last;
    asides.push(last);
    const text = asides.join('');
    asides.length = 0;
    return text;
  }

  /**
   * Character data between markup: entities decoded, line endings normalised. Returns null when
   * the text is exactly src[start, end) (no reference, no carriage return), so no string is made.
   */
  private charData(start: number, end: number): string | null {
    const src = this.src;
    if (this.nextAmp < start) this.nextAmp = find(src, '&', start);
    if (this.nextCr < start) this.nextCr = find(src, '\r', start);
    if (this.nextCdEnd < start) this.nextCdEnd = find(src, ']]>', start);
    if (this.nextCdEnd < end) throw this.error("']]>' is not allowed in character data", this.nextCdEnd);
    if (this.nextAmp >= end && this.nextCr >= end) return null;
    let out = '';
    let seg = start;
    for (let i = start; i < end; i++) {
      const c = src.charCodeAt(i);
      if (c === 38) {
        out = this.append(out, src.slice(seg, i) + this.decodeRef(i, end));
        i = this.refEnd;
        seg = i + 1;
      } else if (c === 13) {
        out = this.append(out, src.slice(seg, i) + '\n');
        if (src.charCodeAt(i + 1) === 10) i++;
        seg = i + 1;
      }
    }
    return this.joinAside(out + src.slice(seg, end));
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
        out = this.append(out, src.slice(seg, i) + '\n');
        if (src.charCodeAt(i + 1) === 10) i++;
        seg = i + 1;
      }
    }
    return this.joinAside(out + src.slice(seg, end));
  }

  /**
   * Attribute value: references decoded, whitespace normalised as for CDATA-typed attributes.
   * Returns null when the value is exactly src[start, end), so no string is made.
   */
  private attrValueText(start: number, end: number): string | null {
    const src = this.src;
    let out = '';
    let seg = start;
    for (let i = start; i < end; i++) {
      const c = src.charCodeAt(i);
      if (c > 60 || (c >= 32 && c !== 38 && c !== 60)) continue;
      if (c === 38) {
        out = this.append(out, src.slice(seg, i) + this.decodeRef(i, end));
        i = this.refEnd;
        seg = i + 1;
      } else if (c === 60) {
        throw this.error("'<' is not allowed in attribute values", i);
      } else if (c === 9 || c === 10) {
        out = this.append(out, src.slice(seg, i) + ' ');
        seg = i + 1;
      } else if (c === 13) {
        out = this.append(out, src.slice(seg, i) + ' ');
        if (src.charCodeAt(i + 1) === 10) i++;
        seg = i + 1;
      }
    }
    return seg === start ? null : this.joinAside(out + src.slice(seg, end));
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
    // Namespaces in XML 1.0 (section 7): no colon in PI targets.
    if (this.colon >= 0) throw this.error("Invalid processing instruction target: ':' is not allowed (Namespaces in XML)", this.colon);
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

  /** Parses `<?xml version="1.0" encoding="…" standalone="…"?>` at `start` (1 after a BOM); returns the offset after it. */
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
        // XML 1.0 (5th edition, 2.8): a 1.0 processor reads a document of another 1.x version as
        // if it were 1.0. So 1.1 is read by the 1.0 rules: what only 1.1 allows is refused or read
        // as 1.0 reads it (test/runtime/xml-decisions.test.ts).
        if (!/^1\.[0-9]+$/.test(value)) throw this.error(`Unsupported XML version '${value}' (1.x is read as 1.0)`, p);
        seen = 1;
      } else if (name === 'encoding' && seen === 1) {
        if (!/^[A-Za-z][A-Za-z0-9._-]*$/.test(value)) throw this.error(`Invalid encoding name '${value}'`, p);
        // A byte order mark exists only in the Unicode encodings: with it, any other name is a contradiction.
        if (start > 0 && !UNICODE_ENCODING.test(value)) {
          throw this.error(`The encoding '${value}' contradicts the byte order mark`, p);
        }
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

/**
 * Resolves a QName-valued string (such as an xsi:type value) against a namespace scope (such as
 * XmlReader.scope or an element's). An unprefixed name takes the default namespace ('' when
 * none). Returns undefined when the prefix is unbound or the string is not a QName. Surrounding
 * whitespace is ignored.
 */
export function resolveQNameIn(scope: NamespaceScope, qname: string): { ns: string; local: string } | undefined {
  const s = qname.trim();
  const colon = s.indexOf(':');
  if (s === '' || colon === 0 || colon === s.length - 1 || (colon > 0 && s.indexOf(':', colon + 1) >= 0)) {
    return undefined;
  }
  const prefix = colon < 0 ? '' : s.slice(0, colon);
  const ns = scope.lookup(prefix);
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
