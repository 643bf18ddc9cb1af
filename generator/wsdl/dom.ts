// Reading XML for the generator: XML text → the tree of xml-tree.ts (fast path, else xmldom; see
// xml-parse.ts), in which every node we build the model from can say where it came from. DOCTYPEs
// are refused before parsing: a WSDL has no business declaring entities, and refusing them means
// no entity is ever expanded or fetched.
import { createRequire } from 'node:module';
import type { DOMParser as XmldomParser } from '@xmldom/xmldom';
import { GenerateError, inImportedDocument, lineColumnAt, notXmlStart } from '../errors.js';
import type { ImportLink, QName, SourceLocation } from '../model/types.js';
import { fromXmldom, parseWellFormed } from './xml-parse.js';
import type { XmlElement } from './xml-tree.js';

export type { XmlElement };

export const NS = {
  wsdl: 'http://schemas.xmlsoap.org/wsdl/',
  soap11: 'http://schemas.xmlsoap.org/wsdl/soap/',
  soap12: 'http://schemas.xmlsoap.org/wsdl/soap12/',
  xs: 'http://www.w3.org/2001/XMLSchema',
  wsdl20: 'http://www.w3.org/ns/wsdl',
  msSerialization: 'http://schemas.microsoft.com/2003/10/Serialization/',
  wsaw: 'http://www.w3.org/2006/05/addressing/wsdl',
  wsam: 'http://www.w3.org/2007/05/addressing/metadata',
} as const;

const require = createRequire(import.meta.url);

/**
 * Parses `text` into a document element; malformed XML becomes a GenerateError with line:column.
 * `importedBy`: the document is one a WSDL imports (a schema, a WSDL), brought in by that import;
 * messages say so, and every location in it carries the import (see location).
 */
export function parseXmlDocument(text: string, file: string, importedBy?: ImportLink): XmlElement {
  let root: XmlElement;
  try {
    root = parseText(text, file, importedBy !== undefined);
  } catch (err) {
    // Found before the document's locations could carry its import: given it here.
    throw err instanceof GenerateError && importedBy ? inImportedDocument(err, importedBy) : err;
  }
  root.ownerDocument.importedBy = importedBy;
  return root;
}

function parseText(text: string, file: string, imported: boolean): XmlElement {
  // Not XML at all (JSON, plain text): said so, with how it starts, as for a fetched document
  // (input/fetch.ts); xmldom would say only "missing root element".
  const what = notXmlStart(text);
  if (what !== undefined) throw new GenerateError(`not XML: the file ${what}`, { file });
  refuseDoctype(text, file, imported);
  return parseWellFormed(text) ?? parseWithXmldom(text, file);
}

/** What the fast path leaves: xmldom decides, and its first complaint is the error. Loaded only then. */
function parseWithXmldom(text: string, file: string): XmlElement {
  const { DOMParser } = require('@xmldom/xmldom') as { DOMParser: typeof XmldomParser };
  let firstError: { message: string; line: number; column: number } | undefined;
  const parser = new DOMParser({
    locator: true,
    // xmldom reports warnings (e.g. an undeclared entity) and errors alike; both make the WSDL unusable.
    onError: (_level, message, context) => {
      if (firstError) return;
      const locator = (context as { locator?: { lineNumber?: number; columnNumber?: number } } | undefined)?.locator;
      firstError = { message: cleanXmldomMessage(message), line: locator?.lineNumber ?? 0, column: locator?.columnNumber ?? 0 };
      throw new Error(message);
    },
  });
  let doc;
  try {
    doc = parser.parseFromString(text, 'text/xml');
  } catch (err) {
    const e = firstError ?? { message: cleanXmldomMessage((err as Error).message), line: 0, column: 0 };
    const outside = outsideRootError(e.message, text);
    if (outside) throw new GenerateError(`malformed XML: ${outside.message}`, { file, ...lineColumnAt(text, outside.offset), path: '' });
    throw new GenerateError(`malformed XML: ${e.message}`, { file, line: e.line, column: e.column, path: '' });
  }
  const root = doc.documentElement;
  if (!root) throw new GenerateError('malformed XML: no root element', { file });
  return fromXmldom(root);
}

/**
 * xmldom's complaints about content outside the document element, in our words and at their place
 * (xmldom's said "HierarchyRequestError: Only one element can be added and only after doctype",
 * "Extra content at the end of the document" at the last element's line, or "Unexpected content
 * outside root element" with no line at all); undefined for any other message. Only the first
 * character of stray text is shown, as for a file that is not XML (it may be a key).
 */
function outsideRootError(message: string, text: string): { message: string; offset: number } | undefined {
  const start = afterMisc(text, 0);
  if (/^Unexpected content outside root element/.test(message) && start < text.length && text[start] !== '<') {
    if (text.charCodeAt(start) === 0xfeff) {
      const message = start === 0 ? 'a second byte order mark (U+FEFF) at the start of the file: save it again with one or none' : 'a byte order mark (U+FEFF) before the document element: remove it';
      return { message, offset: start };
    }
    return { message: `text before the document element (it starts with ${JSON.stringify(String.fromCodePoint(text.codePointAt(start)!))})`, offset: start };
  }
  if (!/HierarchyRequestError|^Extra content at the end of the document|^Unexpected content outside root element/.test(message)) return undefined;
  // After the document element's end tag (the last one of its name): the first thing that is not white space, a comment or a processing instruction.
  const root = /^<([^\s/>]+)/.exec(text.slice(start))?.[1];
  const endTag = root === undefined ? -1 : text.lastIndexOf(`</${root}`);
  const after = endTag < 0 ? -1 : afterMisc(text, text.indexOf('>', endTag) + 1);
  if (endTag < 0 || after <= 0 || after >= text.length) return undefined;
  return { message: `content after the end of the document element </${root}> (a document has one root element)`, offset: after };
}

/** From `p`, past white space, comments and processing instructions (what may stand outside the document element). */
function afterMisc(text: string, p: number): number {
  for (;;) {
    while (p < text.length && ' \t\r\n'.includes(text[p]!)) p++;
    const end = endOfCommentOrPi(text, p);
    if (end === undefined) return p;
    p = end;
  }
}

/**
 * Where the comment or processing instruction that starts at `p` ends (just past its `-->` or
 * `?>`); undefined when none starts there, or it never ends. The one rule for skipping them, for
 * the prolog (refuseDoctype) and around the document element (afterMisc).
 */
function endOfCommentOrPi(text: string, p: number): number | undefined {
  const delimiters = COMMENT_OR_PI.find(([open]) => text.startsWith(open, p));
  if (delimiters === undefined) return undefined;
  const [open, close] = delimiters;
  // Looked for after the opening: `<!-->` opens a comment and does not end it.
  const end = text.indexOf(close, p + open.length);
  return end < 0 ? undefined : end + close.length;
}

const COMMENT_OR_PI = [
  ['<?', '?>'],
  ['<!--', '-->'],
] as const;

function cleanXmldomMessage(message: string): string {
  return message
    .replace(/\s*\n?@#\[line:\d+,col:\d+\]/g, '')
    .replace(/^\[xmldom \w+\]\s*/, '')
    .replace(/\bError: /g, '')
    .split('\n')[0]!
    .trim();
}

/** Finds a `<!DOCTYPE` in the prolog (before the root element) without parsing it. */
function refuseDoctype(text: string, file: string, imported: boolean): void {
  let i = 0;
  for (;;) {
    i = text.indexOf('<', i);
    if (i < 0) return;
    const end = endOfCommentOrPi(text, i);
    if (end !== undefined) {
      i = end;
      continue;
    }
    if (/^<!DOCTYPE/i.test(text.slice(i, i + 9))) {
      const { line, column } = lineColumnAt(text, i);
      const html = /^<!DOCTYPE\s+html\b/i.test(text.slice(i, i + 20));
      const what = imported ? 'an imported schema or WSDL' : 'a WSDL';
      const message = html
        ? `not ${what}: this is an HTML document (<!DOCTYPE html>) — was an error page saved instead of ${imported ? 'the document' : 'the WSDL'}?`
        : `a DOCTYPE is not allowed in ${what} (entities are never expanded or fetched)`;
      throw new GenerateError(message, {
        file,
        line,
        column,
        path: '',
      });
    }
    return;
  }
}


/** Child elements, optionally only those in namespace `ns` (and with local name `local`). */
export function childElements(parent: XmlElement, ns?: string, local?: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const n of parent.children) {
    if (typeof n === 'string') continue;
    if (ns !== undefined && n.namespaceURI !== ns) continue;
    if (local !== undefined && n.localName !== local) continue;
    out.push(n);
  }
  return out;
}

export function firstChild(parent: XmlElement, ns: string, local: string): XmlElement | undefined {
  for (const n of parent.children) {
    if (typeof n !== 'string' && n.namespaceURI === ns && n.localName === local) return n;
  }
  return undefined;
}

/**
 * The first of `found` (the elements one lookup found: a child of one name, say), if any; a second
 * is refused with the error `refuse` makes of it. The reader reads one, and what another held (a
 * second sequence's elements, a second wsdl:types' schemas) would vanish without a word.
 */
export function onlyOne<T>(found: readonly T[], refuse: (second: T, first: T) => Error): T | undefined {
  const [first, second] = found;
  if (second !== undefined) throw refuse(second, first!);
  return first;
}

export function attr(el: XmlElement, name: string): string | undefined {
  for (const a of el.attributes) if (a.name === name) return a.value;
  return undefined;
}

export function attrNS(el: XmlElement, ns: string, local: string): string | undefined {
  for (const a of el.attributes) if (a.namespaceURI === ns && a.localName === local) return a.value;
  return undefined;
}

/**
 * An annotation's text as a doc comment shows it: whitespace collapsed, and the .NET doc markup
 * that SuperOffice's WSDLs carry escaped inside the text (`&lt;para/&gt;`, `&lt;p/&gt;`,
 * `&lt;br/&gt;`, read as `<para/>` …) made the paragraph or line break it stands for. An
 * ampersand escaped twice (`&amp;amp;`, read as `&amp;`) is one ampersand.
 */
export function documentationText(el: XmlElement): string {
  return collapsedText(el)
    .replace(/ ?<(?:para|p) ?\/> ?/g, '\n\n')
    .replace(/ ?<br ?\/> ?/g, '\n')
    .replace(/&amp;/g, '&')
    .trim();
}

/** Character data of an element and its descendants, whitespace collapsed (for documentation). */
export function collapsedText(el: XmlElement): string {
  const parts: string[] = [];
  const walk = (n: XmlElement): void => {
    for (const c of n.children) {
      if (typeof c === 'string') parts.push(c);
      else walk(c);
    }
  };
  walk(el);
  return parts.join(' ').replace(/\s+/g, ' ').trim();
}

export function location(el: XmlElement, file: string): SourceLocation {
  // The path is computed now (from its parent's, see elementPath), not when an error asks for it:
  // holding the element for later would keep the whole document alive as long as the model.
  const loc = { file, line: el.lineNumber, column: el.columnNumber, path: elementPath(el) };
  // In an imported document, the one import object of the whole document: whatever stage refuses
  // what is declared here, its error names the imports back to the WSDL (errors.ts).
  const importedBy = el.ownerDocument.importedBy;
  return importedBy ? { ...loc, importedBy } : loc;
}

/** `/definitions/types/schema[1]/complexType[@name='X']`: names where the element has one, else positions. */
export function elementPath(el: XmlElement): string {
  if (el.path !== undefined) return el.path;
  const parent = el.parentNode;
  const name = attr(el, 'name');
  let step: string;
  if (name) step = `${el.localName}[@name='${name}']`;
  else {
    let index = 0;
    let count = 0;
    if (parent) {
      const ns = el.namespaceURI ?? '';
      for (const sib of parent.children) {
        if (typeof sib === 'string' || sib.namespaceURI !== ns || sib.localName !== el.localName) continue;
        count++;
        if (sib === el) index = count;
      }
    }
    step = count > 1 ? `${el.localName}[${index}]` : el.localName;
  }
  return (el.path = `${parent ? elementPath(parent) : ''}/${step}`);
}

/**
 * Resolves a QName-valued attribute (`type="q1:ArrayOfint"`) against the namespaces in scope
 * at `el`. An unprefixed name is read as in no namespace — as the generator always has (xmldom's
 * lookupNamespaceURI(null) found no binding), although XSD gives it the default namespace.
 */
export function resolveQName(el: XmlElement, value: string, file: string): QName {
  const colon = value.indexOf(':');
  if (colon < 0) return { ns: '', local: value };
  const prefix = value.slice(0, colon);
  const ns = el.lookupNamespaceURI(prefix);
  if (!ns) throw new GenerateError(`the prefix "${prefix}" in "${value}" is not bound to a namespace`, location(el, file));
  return { ns, local: value.slice(colon + 1) };
}
