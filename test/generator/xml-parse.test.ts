// The generator's two XML parsers (generator/wsdl/xml-parse.ts) against each other: whatever the
// fast scanner accepts, xmldom accepts too and reads into the same tree (names, namespaces,
// attributes, text runs, line:column); the rest the scanner leaves to xmldom. Checked on every
// Services86 WSDL, on hand-made cases, and on thousands of seeded mutations of small documents.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DOMParser } from '@xmldom/xmldom';
import { fromXmldom, parseWellFormed } from '../../generator/wsdl/xml-parse.js';
import type { XmlElement } from '../../generator/wsdl/xml-tree.js';
import { fixturesDir, wsdlFixturesDir } from '../support/paths.js';

/** A tree as plain data, for deepEqual (the parent and document links are implied by nesting). */
function plain(el: XmlElement): unknown {
  return {
    tagName: el.tagName,
    namespaceURI: el.namespaceURI,
    localName: el.localName,
    at: `${el.lineNumber}:${el.columnNumber}`,
    attributes: el.attributes.map((a) => ({ ...a })),
    namespaces: el.namespaces === null ? null : { ...el.namespaces },
    children: el.children.map((c) => (typeof c === 'string' ? c : plain(c))),
  };
}

/** xmldom's reading, as the generator configures it (every warning and error refuses the input); undefined when refused. */
function viaXmldom(text: string): XmlElement | undefined {
  const parser = new DOMParser({
    locator: true,
    onError: (_level, message) => {
      throw new Error(message);
    },
  });
  try {
    const root = parser.parseFromString(text, 'text/xml').documentElement;
    return root ? fromXmldom(root) : undefined;
  } catch {
    return undefined;
  }
}

/** The property both parsers must have; returns whether the fast path took the input. */
function agree(text: string): boolean {
  const fast = parseWellFormed(text);
  if (fast === undefined) return false;
  const slow = viaXmldom(text);
  assert.ok(slow, `the scanner accepted what xmldom refuses: ${JSON.stringify(text.slice(0, 300))}`);
  // As JSON text: deepEqual over the trees of the large WSDLs takes seconds.
  const [a, b] = [JSON.stringify(plain(fast)), JSON.stringify(plain(slow))];
  if (a !== b) assert.deepEqual(plain(fast), plain(slow), `the trees differ for ${JSON.stringify(text.slice(0, 300))}`);
  return true;
}

/** A small deterministic generator (mulberry32), so a failing mutation can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SAMPLES = [
  '<?xml version="1.0" encoding="utf-8"?>\n<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:xs="http://www.w3.org/2001/XMLSchema" name="S">\n  <wsdl:types>\n    <xs:schema targetNamespace="urn:t" xmlns:tns="urn:t">\n      <xs:element name="A" type="tns:B"/>\n    </xs:schema>\n  </wsdl:types>\n</wsdl:definitions>\n',
  '<a xmlns="urn:d" xmlns:p="urn:p" p:x="1 &amp; 2" y=\'&lt;&#65;&#x42;&gt;\'>\n\ttext &quot;q&quot; &apos;s&apos;<!-- c -->more<![CDATA[<raw> & ]]><b xmlns=""><p:c/></b>\n</a>',
  '<!-- before --><root a="x\ty\nz" b="&#10;"><x:y xmlns:x="urn:x"><z/></x:y>  </root><!-- after -->\n',
  '<r>\r\n<a/>\r<b>x\u2028y\u0085z</b>\r\n</r>\r\n',
  '<doc xml:lang="en"><xs:documentation xmlns:xs="urn:xs">Line one\n   line two &#x1F600; <em>and</em> three</xs:documentation></doc>',
];

describe('the fast XML scanner agrees with xmldom', () => {
  test('it reads every Services86 WSDL itself; into the tree xmldom builds for EMail, List and those with references', () => {
    const files = readdirSync(wsdlFixturesDir).filter((f) => f.endsWith('.wsdl'));
    assert.ok(files.length >= 56);
    let compared = 0;
    for (const f of files) {
      const text = readFileSync(join(wsdlFixturesDir, f), 'utf8');
      // xmldom takes seconds over all 56 on a loaded machine; the others are covered by the
      // generator's output, which must not change (golden and all-WSDL tests).
      if (f === 'EMail.wsdl' || f === 'List.wsdl' || text.includes('&')) {
        assert.ok(agree(text), `${f}: the scanner left it to xmldom`);
        compared++;
      } else assert.ok(parseWellFormed(text), `${f}: the scanner left it to xmldom`);
    }
    assert.ok(compared >= 10);
  });

  test('hand-made documents: entities, character references, namespaces, comments, CDATA, line ends', () => {
    for (const s of SAMPLES) assert.ok(agree(s), `left to xmldom: ${JSON.stringify(s)}`);
  });

  test('the broken WSDLs of the test fixtures are never taken by the scanner unless xmldom takes them too', () => {
    const dir = join(fixturesDir, 'bad');
    for (const f of readdirSync(dir)) agree(readFileSync(join(dir, f), 'latin1'));
  });

  test('what the scanner leaves to xmldom: malformed input and constructs it does not handle', () => {
    const left = [
      '<a>', // unclosed
      '<a></b>', // mismatched
      '<a x="1" x="2"/>', // duplicate attribute
      '<a>&nbsp;</a>', // unknown entity
      '<a>a & b</a>', // bare ampersand (xmldom keeps it; the scanner does not judge)
      '<p:a/>', // unbound prefix
      '<a b="<"/>', // < in an attribute value
      '<a/><b/>', // two roots
      'x<a/>', // text before the root
      '<a/>x', // text after the root
      '<a><?pi data?></a>', // processing instruction
      '<a><!-- x -- y --></a>', // -- inside a comment
      '<a b=c/>', // unquoted value
      '<a b="1"c="2"/>', // no space between attributes
      '<é/>', // non-ASCII name
      '<a>\uFFFD</a>', // replacement character
      '<a>\u0001</a>', // control character
      ' <?xml version="1.0"?><a/>', // declaration not at the start
      '<a/ >',
      '<r xmlns="http://www.w3.org/2000/xmlns/"/>', // the xmlns namespace bound (xmldom refuses)
      '<p:r xmlns:p="http://www.w3.org/2000/xmlns/"/>',
      '<r xmlns:p="http://www.w3.org/2000/xmlns/" p:x="1"/>',
      '<r xmlns:p="http://www.w3.org/XML/1998/namespace"/>', // the xml namespace bound to another prefix
      '<r xmlns:a="u" xmlns:b="u" a:x="1" b:x="2"/>', // one expanded name twice (xmldom keeps one)
      '<r xmlns:a="u"><s xmlns:b="u" a:x="1" b:x="2"/></r>',
      `<r ${Array.from({ length: 40 }, (_, i) => `a${i}="${i}"`).join(' ')}/>`, // more attributes than WSDLs have
      '<a>'.repeat(200) + '</a>'.repeat(200), // deeper than WSDLs go
    ];
    for (const s of left) assert.equal(parseWellFormed(s), undefined, JSON.stringify(s.slice(0, 120)));
  });

  test('seeded mutations of small documents: accepted only when xmldom accepts them, with the same tree', () => {
    const rnd = random(0x17e);
    const pieces = ['<', '>', '/', '&', ';', '"', "'", '=', '!', '-', '[', ']', ':', ' ', '\n', '\r', '\t', 'x', '#', '?', 'xmlns', 'amp', '&#', '<!--', '-->', ']]>', 'p:', '\u2028'];
    let accepted = 0;
    const rounds = 4000;
    for (let i = 0; i < rounds; i++) {
      let s = SAMPLES[i % SAMPLES.length]!;
      const edits = 1 + Math.floor(rnd() * 3);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rnd() * (s.length + 1));
        const kind = rnd();
        const piece = pieces[Math.floor(rnd() * pieces.length)]!;
        if (kind < 0.4) s = s.slice(0, at) + piece + s.slice(at);
        else if (kind < 0.7) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(rnd() * 3));
        else s = s.slice(0, at) + piece + s.slice(at + piece.length);
      }
      if (agree(s)) accepted++;
    }
    // Enough of the mutants stay well-formed for the comparison to mean something.
    assert.ok(accepted > rounds / 10, `only ${accepted} of ${rounds} mutants were taken by the scanner`);
  });
});
