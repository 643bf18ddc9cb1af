// A canonical text form of SOAP envelopes, for golden tests that compare what our encoder writes
// with what SuperOffice documents (and with what a loopback peer receives).
//
// The form is one element per line, indented two spaces per depth:
//
//   {soap}Envelope
//     {soap}Header
//       {http://www.superoffice.net/ws/crm/NetServer/Services86}ApplicationToken = "1234567-1234-9876"
//     {soap}Body
//       {http://www.superoffice.net/ws/crm/NetServer/Services86}Count [{xsi}nil=true]
//
// Rules (see CanonicalOptions for the one knob):
// - Names are {namespace URI}local name; prefixes never matter. An element in no namespace is
//   written {}local, an attribute in no namespace just local. The SOAP 1.1 and SOAP 1.2 envelope
//   namespaces are both written {soap}; the XML Schema instance and XML Schema namespaces are
//   abbreviated {xsi} and {xsd}.
// - Header blocks standing directly under Envelope (SuperOffice's docs put ApplicationToken and
//   Credentials there) are moved into Header, in document order; an empty or absent Header is
//   dropped.
// - xmlns declarations, comments, processing instructions and the XML declaration are ignored.
// - Attributes are sorted by their written name and kept with their value as-is (JSON-quoted),
//   except: xsi:nil "true"/"1" -> nil=true and "false"/"0" -> dropped; xsi:type is dropped unless
//   options.keepXsiType says otherwise, in which case its QName value is resolved to {ns}local.
// - Whitespace-only text between elements is ignored. The text of a leaf element is kept exactly
//   (not trimmed), JSON-quoted after " = ". An element without text (<a/>, <a></a>) has no " = ".
//   Exception: a leaf whose text is whitespace only AND contains a line break is pretty-printer
//   indentation (<R>\n  </R>, as in many documented responses) and counts as empty.
// - CDATA sections are text. Non-whitespace text next to child elements (mixed content, which
//   SOAP envelopes should not have) is kept as "#text" lines in document order.
import { AssertionError } from 'node:assert';
import { DOMParser, MIME_TYPE, type Element, type Node } from '@xmldom/xmldom';

export interface CanonicalOptions {
  /**
   * Keep xsi:type on an element when this returns true (default: drop every xsi:type, since our
   * encoder only writes it where the schema leaves the type open). Args: the element's namespace
   * URI ('' when none) and local name, and its path of local names from Envelope: the element's
   * canonical position, starting with 'Envelope' and ending with the element's own local name
   * (a header block moved out of Envelope has path ['Envelope', 'Header', local, …]).
   */
  keepXsiType?: (ns: string, local: string, path: readonly string[]) => boolean;
}

export const SOAP11_ENVELOPE_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const SOAP12_ENVELOPE_NS = 'http://www.w3.org/2003/05/soap-envelope';
const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';
const XSD_NS = 'http://www.w3.org/2001/XMLSchema';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;

/** Written form of a namespace URI inside the braces. */
function nsLabel(ns: string): string {
  if (ns === SOAP11_ENVELOPE_NS || ns === SOAP12_ENVELOPE_NS) return 'soap';
  if (ns === XSI_NS) return 'xsi';
  if (ns === XSD_NS) return 'xsd';
  return ns;
}

function isSoapEnvelopeNs(ns: string): boolean {
  return ns === SOAP11_ENVELOPE_NS || ns === SOAP12_ENVELOPE_NS;
}

/** "line:column" of a node, when the parser recorded it. */
function where(node: Node): string {
  const located = node as Node & { lineNumber?: number; columnNumber?: number };
  return located.lineNumber === undefined ? '?:?' : `${located.lineNumber}:${located.columnNumber ?? '?'}`;
}

/** The parsed tree, already reduced to what the canonical form shows. */
interface CanonNode {
  ns: string;
  local: string;
  /** Written attributes, `name=value` with value already quoted, sorted. */
  attrs: string[];
  /** Element children and mixed-content text runs, in document order. */
  children: (CanonNode | string)[];
  /** Leaf text; undefined when there is none (or the element has element children). */
  text: string | undefined;
}

function parse(xml: string): Element {
  let problem: Error | undefined;
  const parser = new DOMParser({
    locator: true,
    onError(level, message, context: unknown) {
      // Any report — warning, error or fatal — makes the input unusable as a golden envelope.
      const locator = (context as { locator?: { lineNumber?: number; columnNumber?: number } } | undefined)?.locator;
      const line = locator?.lineNumber !== undefined && locator.lineNumber >= 1 ? locator.lineNumber : 1;
      const column = locator?.columnNumber !== undefined && locator.columnNumber >= 1 ? locator.columnNumber : 1;
      const at = `${line}:${column}`;
      problem ??= new Error(`canonical-xml: malformed XML at ${at}: ${message.trim()} (${level})`);
      throw problem;
    },
  });
  let doc;
  try {
    doc = parser.parseFromString(xml, MIME_TYPE.XML_APPLICATION);
  } catch (error) {
    if (problem) throw problem;
    throw new Error(`canonical-xml: malformed XML: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const root = doc.documentElement;
  if (!root) throw new Error('canonical-xml: malformed XML at 1:1: no root element');
  return root;
}

/** Resolves an xsi:type QName value against the namespaces in scope at `el`. */
function resolveQName(value: string, el: Element): string {
  const trimmed = value.trim();
  const colon = trimmed.indexOf(':');
  const prefix = colon < 0 ? null : trimmed.slice(0, colon);
  const local = colon < 0 ? trimmed : trimmed.slice(colon + 1);
  // xmldom finds the default namespace under '' (not null, as the DOM spec has it).
  const ns = el.lookupNamespaceURI(prefix ?? '');
  if (prefix !== null && ns === null) {
    throw new Error(`canonical-xml: xsi:type="${value}" at ${where(el)} uses the undeclared prefix "${prefix}"`);
  }
  return `{${nsLabel(ns ?? '')}}${local}`;
}

function buildAttrs(el: Element, path: readonly string[], options: CanonicalOptions): string[] {
  const ns = el.namespaceURI ?? '';
  const local = el.localName ?? el.nodeName;
  const attrs: string[] = [];
  for (let i = 0; i < el.attributes.length; i++) {
    const attr = el.attributes.item(i);
    if (!attr) continue;
    const attrNs = attr.namespaceURI ?? '';
    if (attrNs === XMLNS_NS || attr.name === 'xmlns' || attr.name.startsWith('xmlns:')) continue;
    const attrLocal = attr.localName ?? attr.name;
    const name = attrNs === '' ? attrLocal : `{${nsLabel(attrNs)}}${attrLocal}`;
    if (attrNs === XSI_NS && attrLocal === 'nil') {
      const v = attr.value.trim();
      if (v === 'true' || v === '1') attrs.push(`${name}=true`);
      else if (v !== 'false' && v !== '0') attrs.push(`${name}=${JSON.stringify(attr.value)}`); // invalid: show as-is
      continue;
    }
    if (attrNs === XSI_NS && attrLocal === 'type') {
      if (options.keepXsiType?.(ns, local, path)) attrs.push(`${name}=${resolveQName(attr.value, el)}`);
      continue;
    }
    attrs.push(`${name}=${JSON.stringify(attr.value)}`);
  }
  return attrs.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Element children (built with `childPath`) and mixed-content text runs of `el`, in document
 * order, plus all its text concatenated. Whitespace-only runs are dropped from the list.
 */
function buildContent(
  el: Element,
  childPath: (child: Element) => readonly string[],
  options: CanonicalOptions,
): { children: (CanonNode | string)[]; hasElementChild: boolean; allText: string } {
  const children: (CanonNode | string)[] = [];
  let hasElementChild = false;
  let allText = '';
  let run = '';
  const flushRun = (): void => {
    if (run.trim() !== '') children.push(run);
    run = '';
  };
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === ELEMENT_NODE) {
      const child = n as Element;
      flushRun();
      hasElementChild = true;
      children.push(buildNode(child, childPath(child), options));
    } else if (n.nodeType === TEXT_NODE || n.nodeType === CDATA_SECTION_NODE) {
      const data = (n as Node & { data: string }).data;
      run += data;
      allText += data;
    }
    // Comments, processing instructions and anything else: ignored.
  }
  flushRun();
  return { children, hasElementChild, allText };
}

function localOf(el: Element): string {
  return el.localName ?? el.nodeName;
}

function buildNode(el: Element, path: readonly string[], options: CanonicalOptions): CanonNode {
  const ns = el.namespaceURI ?? '';
  const local = localOf(el);
  const attrs = buildAttrs(el, path, options);
  const content = buildContent(el, (child) => [...path, localOf(child)], options);
  if (content.hasElementChild) return { ns, local, attrs, children: content.children, text: undefined };
  const all = content.allText;
  const indentationOnly = all.trim() === '' && /[\r\n]/.test(all);
  return { ns, local, attrs, children: [], text: all === '' || indentationOnly ? undefined : all };
}

function isSoap(el: Element, local: string): boolean {
  return isSoapEnvelopeNs(el.namespaceURI ?? '') && localOf(el) === local;
}

function buildEnvelope(root: Element, options: CanonicalOptions): CanonNode {
  if (!isSoap(root, 'Envelope')) return buildNode(root, [localOf(root)], options);

  // Header blocks — from Header elements, or misplaced directly under Envelope — go into one
  // Header, in document order; Body (and any mixed-in text) follow in order.
  let headerAttrs: string[] | undefined;
  const headerBlocks: (CanonNode | string)[] = [];
  const content = buildContent(
    root,
    (child) => (isSoap(child, 'Header') || isSoap(child, 'Body') ? ['Envelope', localOf(child)] : ['Envelope', 'Header', localOf(child)]),
    options,
  );
  const rest: (CanonNode | string)[] = [];
  for (const child of content.children) {
    if (typeof child === 'string') rest.push(child);
    else if (isSoapEnvelopeNs(child.ns) && child.local === 'Header') {
      headerAttrs ??= child.attrs;
      headerBlocks.push(...child.children);
    } else if (isSoapEnvelopeNs(child.ns) && child.local === 'Body') rest.push(child);
    else headerBlocks.push(child);
  }
  const children: (CanonNode | string)[] = [];
  if (headerBlocks.length > 0) {
    children.push({ ns: SOAP11_ENVELOPE_NS, local: 'Header', attrs: headerAttrs ?? [], children: headerBlocks, text: undefined });
  }
  children.push(...rest);
  return { ns: root.namespaceURI ?? '', local: 'Envelope', attrs: buildAttrs(root, ['Envelope'], options), children, text: undefined };
}

function write(node: CanonNode, depth: number, out: string[]): void {
  const indent = '  '.repeat(depth);
  let line = `${indent}{${nsLabel(node.ns)}}${node.local}`;
  if (node.attrs.length > 0) line += ` [${node.attrs.join(' ')}]`;
  if (node.text !== undefined) line += ` = ${JSON.stringify(node.text)}`;
  out.push(line);
  for (const child of node.children) {
    if (typeof child === 'string') out.push(`${indent}  #text ${JSON.stringify(child)}`);
    else write(child, depth + 1, out);
  }
}

/** The canonical text form of an XML document (see the rules at the top of this file). */
export function canonicalize(xml: string, options: CanonicalOptions = {}): string {
  const root = parse(xml);
  const out: string[] = [];
  write(buildEnvelope(root, options), 0, out);
  return `${out.join('\n')}\n`;
}

/**
 * A line diff of two texts: hunks of "-" (expected) and "+" (actual) lines with `context` lines
 * around them, like a unified diff without line numbers. Exact (LCS) for texts up to a few
 * thousand differing lines; beyond that the differing middle is shown as one block.
 */
export function lineDiff(expected: string, actual: string, context = 3, maxLines = 120): string {
  const a = expected.replace(/\n$/, '').split('\n');
  const b = actual.replace(/\n$/, '').split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);

  // Edit script over the differing middle: ' ' keep, '-' expected only, '+' actual only.
  const ops: [' ' | '-' | '+', string][] = [];
  if (midA.length * midB.length <= 4_000_000) {
    const n = midA.length;
    const m = midB.length;
    const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--) {
      const row = lcs[i]!;
      const next = lcs[i + 1]!;
      for (let j = m - 1; j >= 0; j--) {
        row[j] = midA[i] === midB[j] ? next[j + 1]! + 1 : Math.max(next[j]!, row[j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && midA[i] === midB[j]) {
        ops.push([' ', midA[i]!]);
        i++;
        j++;
      } else if (i < n && (j === m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) ops.push(['-', midA[i++]!]);
      else ops.push(['+', midB[j++]!]);
    }
  } else {
    for (const l of midA) ops.push(['-', l]);
    for (const l of midB) ops.push(['+', l]);
  }
  const all: [' ' | '-' | '+', string][] = [
    ...a.slice(0, start).map((l): [' ', string] => [' ', l]),
    ...ops,
    ...a.slice(endA).map((l): [' ', string] => [' ', l]),
  ];

  // Keep changed lines and `context` lines around them; mark gaps with "@@".
  const keep = new Array<boolean>(all.length).fill(false);
  all.forEach(([op], k) => {
    if (op === ' ') return;
    for (let c = Math.max(0, k - context); c <= Math.min(all.length - 1, k + context); c++) keep[c] = true;
  });
  const lines: string[] = [];
  let lastKept = -1;
  let expectedLine = 0; // 1-based number of the current line in `expected`
  for (let k = 0; k < all.length; k++) {
    const [op, text] = all[k]!;
    if (op !== '+') expectedLine++;
    if (!keep[k]) continue;
    if (lastKept === -1 || k !== lastKept + 1) lines.push(`@@ expected line ${op === '+' ? expectedLine + 1 : expectedLine} @@`);
    lines.push(`${op} ${text}`);
    lastKept = k;
  }
  if (lines.length > maxLines) {
    const hidden = lines.length - maxLines;
    lines.length = maxLines;
    lines.push(`… ${hidden} more diff lines`);
  }
  return lines.join('\n');
}

/**
 * Asserts that two XML documents have the same canonical form; otherwise throws an
 * AssertionError whose message is a line diff (- expected, + actual) of the canonical forms.
 */
export function assertSameXml(actual: string, expected: string, options: CanonicalOptions = {}): void {
  const label = (which: string, xml: string): string => {
    try {
      return canonicalize(xml, options);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`assertSameXml: ${which}: ${message}`, { cause: error });
    }
  };
  const canonActual = label('actual', actual);
  const canonExpected = label('expected', expected);
  if (canonActual === canonExpected) return;
  throw new AssertionError({
    message: `XML differs (canonical form, - expected, + actual):\n${lineDiff(canonExpected, canonActual)}`,
    actual: canonActual,
    expected: canonExpected,
    operator: 'assertSameXml',
  });
}
