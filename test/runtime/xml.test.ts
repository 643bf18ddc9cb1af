// Tests for the runtime XML parser (templates/runtime/xml.ts): namespaces, character data,
// well-formedness errors with positions, security limits, escaping round trips and a large document.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { escapeAttribute, escapeText, XmlSyntaxError } from '../../templates/runtime/xml.js';
import { parseXml, type XmlElement } from '../support/xml-tree.js';
import { attribute, resolveQName } from '../support/xml-lookup.js';

const SOAP = 'http://schemas.xmlsoap.org/soap/envelope/';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const XML_NS = 'http://www.w3.org/XML/1998/namespace';

/** Asserts that parsing `xml` fails with an XmlSyntaxError at (line, column) matching `message`. */
function assertSyntaxError(xml: string, line: number, column: number, message: RegExp): void {
  let caught: unknown;
  try {
    parseXml(xml);
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof XmlSyntaxError, `expected XmlSyntaxError for ${JSON.stringify(xml)}, got ${String(caught)}`);
  assert.match(caught.message, message);
  assert.match(caught.message, new RegExp(`at line ${line}, column ${column}$`));
  assert.equal(caught.line, line, `line for ${JSON.stringify(xml)}: ${caught.message}`);
  assert.equal(caught.column, column, `column for ${JSON.stringify(xml)}: ${caught.message}`);
}

function child(el: XmlElement, index: number): XmlElement {
  const c = el.children[index];
  assert.ok(c, `${el.local} has no child ${index}`);
  return c;
}

function countElements(el: XmlElement): number {
  let n = 1;
  for (const c of el.children) n += countElements(c);
  return n;
}

describe('parseXml: structure', () => {
  it('parses a SOAP envelope into elements, attributes and text', () => {
    const root = parseXml(
      `<?xml version="1.0" encoding="utf-8"?>
<s:Envelope xmlns:s="${SOAP}">
  <s:Body>
    <GetResponse xmlns="urn:so" id="7">
      <Name>Acme</Name>
      <Empty/>
    </GetResponse>
  </s:Body>
</s:Envelope>`,
    );
    assert.equal(root.ns, SOAP);
    assert.equal(root.local, 'Envelope');
    assert.deepEqual(root.attrs, []);
    assert.equal(root.children.length, 1);
    const body = child(root, 0);
    assert.equal(body.local, 'Body');
    const resp = child(body, 0);
    assert.equal(resp.ns, 'urn:so');
    assert.equal(resp.local, 'GetResponse');
    assert.equal(attribute(resp, '', 'id'), '7');
    assert.equal(resp.attrs.length, 1, 'xmlns declarations are not attributes');
    assert.deepEqual(
      resp.children.map((c) => [c.ns, c.local, c.text]),
      [
        ['urn:so', 'Name', 'Acme'],
        ['urn:so', 'Empty', ''],
      ],
    );
    assert.deepEqual(child(resp, 1).children, []);
  });

  it('keeps character data exactly, concatenating the pieces around child elements', () => {
    const root = parseXml('<a>  one <b>x</b> two\t<c/>  </a>');
    assert.equal(root.text, '  one  two\t  ');
    assert.equal(child(root, 0).text, 'x');
    assert.equal(parseXml('<a>   </a>').text, '   ');
  });

  it('records 1-based line and column of each start tag', () => {
    const root = parseXml('<a>\n  <b>\n\t<c/></b>\r\n <d/>\r<e/></a>');
    assert.deepEqual([root.line, root.column], [1, 1]);
    const [b, d, e] = root.children;
    assert.ok(b && d && e);
    assert.deepEqual([b.line, b.column], [2, 3]);
    const c = child(b, 0);
    assert.deepEqual([c.line, c.column], [3, 2]);
    assert.deepEqual([d.line, d.column], [4, 2], 'CRLF is one line break');
    assert.deepEqual([e.line, e.column], [5, 1], 'a lone CR is a line break');
  });

  it('skips comments and processing instructions anywhere', () => {
    const root = parseXml('<?xml version="1.0"?><!-- c --><?pi data?>\n<a>x<!-- y -->z<?t?><b/></a><!--end--><?pi?>\n');
    assert.equal(root.text, 'xz');
    assert.equal(root.children.length, 1);
  });

  it('accepts a BOM and an XML declaration (the text is already decoded: the encoding is only checked against the BOM)', () => {
    const decl = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';
    const root = parseXml(`\uFEFF${decl}<a/>`);
    assert.equal(root.local, 'a');
    assert.deepEqual([root.line, root.column], [1, decl.length + 1], 'the BOM does not count as a column');
    assert.equal(parseXml("<?xml version='1.0'?>\n<a/>").line, 2);
  });
});

describe('parseXml: namespaces', () => {
  it('resolves default and prefixed namespaces and leaves unprefixed attributes in no namespace', () => {
    const root = parseXml(
      `<root xmlns="urn:default" xmlns:p="urn:p" a="1" p:b="2"><child/><p:child c="3"/><other xmlns=""/></root>`,
    );
    assert.equal(root.ns, 'urn:default');
    assert.deepEqual(
      root.attrs.map((a) => [a.ns, a.local, a.value]),
      [
        ['', 'a', '1'],
        ['urn:p', 'b', '2'],
      ],
    );
    assert.equal(attribute(root, 'urn:p', 'b'), '2');
    assert.equal(attribute(root, '', 'b'), undefined);
    const [c1, c2, c3] = root.children;
    assert.ok(c1 && c2 && c3);
    assert.deepEqual([c1.ns, c1.local], ['urn:default', 'child']);
    assert.deepEqual([c2.ns, c2.local], ['urn:p', 'child']);
    assert.deepEqual(c2.attrs.map((a) => [a.ns, a.local]), [['', 'c']], 'no default namespace for attributes');
    assert.deepEqual([c3.ns, c3.local], ['', 'other'], 'xmlns="" undeclares the default namespace');
  });

  it('handles prefixes redeclared in nested scopes', () => {
    const root = parseXml(
      '<p:a xmlns:p="urn:one"><p:b xmlns:p="urn:two"><p:c/></p:b><p:d/><e xmlns="urn:three"><p:f/><g/></e></p:a>',
    );
    assert.equal(root.ns, 'urn:one');
    const b = child(root, 0);
    assert.equal(b.ns, 'urn:two');
    assert.equal(child(b, 0).ns, 'urn:two');
    assert.equal(child(root, 1).ns, 'urn:one', 'the redeclaration ends with its element');
    const e = child(root, 2);
    assert.equal(e.ns, 'urn:three');
    assert.equal(child(e, 0).ns, 'urn:one');
    assert.equal(child(e, 1).ns, 'urn:three');
    assert.equal(b.scope.binding('p')?.uri, 'urn:two');
    assert.equal(root.scope.binding('p')?.uri, 'urn:one');
  });

  it('exposes the scope for QName-valued attributes (xsi:type)', () => {
    const root = parseXml(
      `<r xmlns:i="${XSI}" xmlns:t="urn:types"><v i:type="t:Person"/><w i:type=" Plain "/><x i:type="u:Nope"/></r>`,
    );
    const [v, w, x] = root.children;
    assert.ok(v && w && x);
    assert.deepEqual(resolveQName(v, attribute(v, XSI, 'type') ?? ''), { ns: 'urn:types', local: 'Person' });
    assert.deepEqual(resolveQName(w, attribute(w, XSI, 'type') ?? ''), { ns: '', local: 'Plain' });
    assert.equal(resolveQName(x, 'u:Nope'), undefined, 'unbound prefix');
    assert.equal(resolveQName(x, 'a:b:c'), undefined, 'not a QName');
    assert.deepEqual(resolveQName(parseXml('<a xmlns="urn:d"/>'), 'T'), { ns: 'urn:d', local: 'T' });
  });

  it('always binds the xml prefix, and the default namespace is "" when none is declared', () => {
    const root = parseXml('<a xml:lang="nb"/>');
    assert.deepEqual(root.attrs.map((a) => [a.ns, a.local, a.value]), [[XML_NS, 'lang', 'nb']]);
    assert.equal(root.scope.binding('xml')?.uri, XML_NS);
    assert.equal(root.scope.binding('')?.uri, '');
    assert.equal(root.scope.binding('nope'), undefined);
  });

  it('shares one scope object among elements that declare nothing', () => {
    const root = parseXml('<a xmlns:p="urn:p"><b><c/></b><d xmlns:q="urn:q"/></a>');
    const b = child(root, 0);
    assert.equal(b.scope, root.scope);
    assert.equal(child(b, 0).scope, root.scope);
    assert.notEqual(child(root, 1).scope, root.scope);
  });

  it('resolves many distinct names correctly (name interning)', () => {
    const parts: string[] = [];
    for (let i = 0; i < 3000; i++) parts.push(`<n${i} a${i % 7}="${i}">${i}</n${i}><p:n${i}/>`);
    const root = parseXml(`<root xmlns:p="urn:p">${parts.join('')}</root>`);
    assert.equal(root.children.length, 6000);
    for (let i = 0; i < 3000; i++) {
      const plain = child(root, 2 * i);
      const prefixed = child(root, 2 * i + 1);
      assert.equal(plain.local, `n${i}`);
      assert.equal(plain.ns, '');
      assert.equal(plain.text, String(i));
      assert.equal(attribute(plain, '', `a${i % 7}`), String(i));
      assert.equal(prefixed.local, `n${i}`);
      assert.equal(prefixed.ns, 'urn:p');
    }
  });
});

describe('parseXml: character data', () => {
  it('decodes the predefined entities and character references in text and attributes', () => {
    const root = parseXml('<a v="&lt;&gt;&amp;&quot;&apos;&#65;&#x42;&#x1F600;">&lt;&gt;&amp;&quot;&apos;&#65;&#x42;&#x1f600;&#0000067;</a>');
    assert.equal(root.text, '<>&"\'AB\u{1F600}C');
    assert.equal(attribute(root, '', 'v'), '<>&"\'AB\u{1F600}');
  });

  it('treats CDATA sections as character data', () => {
    const root = parseXml('<a>x<![CDATA[<b>&amp;]]]]><![CDATA[>]]>y<![CDATA[]]></a>');
    assert.equal(root.text, 'x<b>&amp;]]>y');
    assert.equal(root.children.length, 0);
  });

  it('normalises line endings in text, CDATA and attribute values', () => {
    const root = parseXml('<a v="1\r\n2\r3\n4\t5">x\r\ny\rz\n<![CDATA[c\r\nd\re]]></a>');
    assert.equal(root.text, 'x\ny\nz\nc\nd\ne');
    assert.equal(attribute(root, '', 'v'), '1 2 3 4 5', 'attribute values: each newline/tab becomes a space');
  });

  it('keeps whitespace given as character references', () => {
    const root = parseXml('<a v="&#x9;&#xA;&#xD;&#32;">&#xD;&#xA;&#13;</a>');
    assert.equal(attribute(root, '', 'v'), '\t\n\r ');
    assert.equal(root.text, '\r\n\r');
  });

  it('handles astral characters in text, attributes and names, counting columns in code points', () => {
    const root = parseXml('<a t="\u{1F600}\u{10348}">\u{1F600} \u{20BB7}<\u{10000}x\u{E0100}/><b/></a>');
    assert.equal(root.text, '\u{1F600} \u{20BB7}');
    assert.equal(attribute(root, '', 't'), '\u{1F600}\u{10348}');
    const [odd, b] = root.children;
    assert.ok(odd && b);
    assert.equal(odd.local, '\u{10000}x\u{E0100}');
    assert.equal(odd.column, 14);
    assert.equal(b.column, 20);
  });

  it('parses non-ASCII names', () => {
    const root = parseXml('<æøå:Ärger xmlns:æøå="urn:x" ñ="1"><名前>値</名前></æøå:Ärger>');
    assert.equal(root.local, 'Ärger');
    assert.equal(root.ns, 'urn:x');
    assert.equal(attribute(root, '', 'ñ'), '1');
    assert.equal(child(root, 0).text, '値');
  });
});

describe('parseXml: well-formedness errors carry line and column', () => {
  it('mismatched end tag', () => {
    assertSyntaxError('<a>\n  <b></c>\n</a>', 2, 6, /Mismatched end tag: expected <\/b>, found <\/c>/);
    assertSyntaxError('<a></ab>', 1, 4, /Mismatched end tag/);
    assertSyntaxError('<ab></a>', 1, 5, /Mismatched end tag/);
    assertSyntaxError('<a></a', 1, 7, /Expected '>'/);
  });

  it('unclosed element', () => {
    assertSyntaxError('<a>\n<b></b>', 2, 8, /Unclosed element <a> \(opened at line 1, column 1\)/);
    assertSyntaxError('<a', 1, 3, /Unexpected end of input/);
    assertSyntaxError('<a x="1"', 1, 9, /Unexpected end of input/);
  });

  it('end tag without a start tag', () => {
    assertSyntaxError('</a>', 1, 1, /Unexpected end tag/);
    assertSyntaxError('<a/></a>', 1, 5, /Unexpected end tag/);
  });

  it('text or a second element after the document element, text before it', () => {
    assertSyntaxError('<a/>\n  x', 2, 3, /Text is not allowed after the document element/);
    assertSyntaxError('<a/><b/>', 1, 5, /Only one document element/);
    assertSyntaxError('x<a/>', 1, 1, /Text is not allowed before the document element/);
    assertSyntaxError('<a/>&amp;', 1, 5, /Text is not allowed after/);
    assertSyntaxError('<![CDATA[x]]><a/>', 1, 1, /CDATA section outside the document element/);
    assert.equal(parseXml(' \r\n\t<a/> \n').local, 'a', 'whitespace around the document element is fine');
  });

  it('no document element', () => {
    assertSyntaxError('', 1, 1, /No document element/);
    assertSyntaxError('<!-- only -->\n', 2, 1, /No document element/);
  });

  it('attribute values without quotes, without a value, or not separated', () => {
    assertSyntaxError('<a x=1/>', 1, 6, /Value of attribute 'x' must be quoted/);
    assertSyntaxError('<a x/>', 1, 5, /Expected '=' after attribute name 'x'/);
    assertSyntaxError('<a x="1"y="2"/>', 1, 9, /Expected whitespace/);
    assertSyntaxError('<a x="1/>', 1, 6, /Unterminated attribute value/);
  });

  it('duplicate attributes, by raw name and by expanded name', () => {
    assertSyntaxError('<a x="1" x="2"/>', 1, 10, /Duplicate attribute 'x'/);
    assertSyntaxError(
      '<a xmlns:p="urn:u" xmlns:q="urn:u"\n   p:x="1" q:x="2"/>',
      2,
      12,
      /Duplicate attribute 'q:x' \(expanded name \{urn:u\}x\)/,
    );
    assertSyntaxError('<a xmlns:p="urn:1" xmlns:p="urn:2"/>', 1, 20, /Duplicate attribute 'xmlns:p'/);
    // The same local name in different namespaces, or with and without a namespace, is fine.
    const ok = parseXml('<a xmlns:p="urn:1" xmlns:q="urn:2" x="0" p:x="1" q:x="2"/>');
    assert.deepEqual(ok.attrs.map((a) => a.value), ['0', '1', '2']);
    // Many attributes take the Set path.
    const many = Array.from({ length: 40 }, (_, i) => `x${i}="${i}"`).join(' ');
    assert.equal(parseXml(`<a ${many}/>`).attrs.length, 40);
    assertSyntaxError(`<a ${many} x7="again"/>`, 1, 3 + many.length + 2, /Duplicate attribute 'x7'/);
    const manyNs = Array.from({ length: 20 }, (_, i) => `xmlns:p${i}="urn:same" p${i}:y="${i}"`).join(' ');
    assertSyntaxError(`<a ${manyNs}/>`, 1, 3 + manyNs.indexOf('p1:y') + 1, /Duplicate attribute 'p1:y'/);
  });

  it('unbound prefixes and reserved namespace misuse', () => {
    assertSyntaxError('<a>\n <p:b/></a>', 2, 3, /Unbound namespace prefix 'p' in <p:b>/);
    assertSyntaxError('<a q:x="1"/>', 1, 4, /Unbound namespace prefix 'q' in attribute 'q:x'/);
    assertSyntaxError('<a><b xmlns:p="urn:p"/><p:c/></a>', 1, 25, /Unbound namespace prefix 'p'/);
    assertSyntaxError('<a xmlns:p=""/>', 1, 4, /cannot be undeclared/);
    assertSyntaxError('<a xmlns:xml="urn:x"/>', 1, 4, /'xml' can only be bound/);
    assertSyntaxError(`<a xmlns:x="${XML_NS}"/>`, 1, 4, /Only the prefix 'xml'/);
    assertSyntaxError('<a xmlns:xmlns="urn:x"/>', 1, 4, /'xmlns' must not be declared/);
    assertSyntaxError('<xmlns:a/>', 1, 2, /must not use the prefix 'xmlns'/);
    assertSyntaxError('<a:b:c/>', 1, 2, /more than one ':'/);
    assertSyntaxError('<a: x="1"/>', 1, 2, /must not end with ':'/);
    assertSyntaxError('<:a/>', 1, 2, /must not start with ':'/);
    // A prefixed name's local part is an NCName: it starts as a name does (found against expat, xml-expat.slow.test.ts).
    assertSyntaxError('<a:-b xmlns:a="u"/>', 1, 2, /Invalid element name: the part after ':' must start as a name does/);
    assertSyntaxError('<r xmlns:a="u" a:1b="x"/>', 1, 16, /Invalid attribute name: the part after ':' must start as a name does/);
    assertSyntaxError('<r xmlns:.a="u"/>', 1, 4, /Invalid attribute name: the part after ':' must start as a name does/);
    assertSyntaxError('<a:\u0300b xmlns:a="u"/>', 1, 2, /the part after ':' must start as a name does/);
    assert.doesNotThrow(() => parseXml('<a.1-b:c-1.d xmlns:a.1-b="u" xmlns:\u00e9="v" \u00e9:_x="1"/>'));
  });

  it("'<' in attribute values", () => {
    assertSyntaxError('<a x="a<b"/>', 1, 8, /'<' is not allowed in attribute values/);
    assert.equal(attribute(parseXml('<a x="a&lt;b>"/>'), '', 'x'), 'a<b>');
  });

  it('invalid character references', () => {
    assertSyntaxError('<a>&#0;</a>', 1, 4, /Character reference to U\+0000 is not allowed/);
    assertSyntaxError('<a>\n x&#x1;</a>', 2, 3, /U\+0001/);
    assertSyntaxError('<a>&#xD800;</a>', 1, 4, /U\+D800/);
    assertSyntaxError('<a>&#xDE00;</a>', 1, 4, /U\+DE00/);
    assertSyntaxError('<a>&#xD83D;&#xDE00;</a>', 1, 4, /U\+D83D/);
    assertSyntaxError('<a>&#xFFFE;</a>', 1, 4, /U\+FFFE/);
    assertSyntaxError('<a>&#x110000;</a>', 1, 4, /beyond U\+10FFFF/);
    assertSyntaxError('<a>&#99999999999999999999;</a>', 1, 4, /beyond U\+10FFFF/);
    assertSyntaxError('<a>&#;</a>', 1, 4, /Malformed character reference/);
    assertSyntaxError('<a>&#x;</a>', 1, 4, /Malformed character reference/);
    assertSyntaxError('<a>&#12a;</a>', 1, 4, /Malformed character reference/);
    assertSyntaxError('<a>&#65</a>', 1, 4, /Malformed character reference/);
    assertSyntaxError('<a v="&#0;"/>', 1, 7, /U\+0000/);
  });

  it('unknown entities and bare ampersands', () => {
    assertSyntaxError('<a>&nbsp;</a>', 1, 4, /Unknown entity '&nbsp;'/);
    assertSyntaxError('<a>x &copy;</a>', 1, 6, /Unknown entity '&copy;'/);
    assertSyntaxError('<a v="&foo;"/>', 1, 7, /Unknown entity '&foo;'/);
    assertSyntaxError('<a>fish & chips</a>', 1, 9, /'&' must start an entity/);
    assertSyntaxError('<a>&amp</a>', 1, 4, /'&' must start an entity/);
    assertSyntaxError('<a v="a&b"/>', 1, 8, /'&' must start an entity/);
  });

  it('characters XML 1.0 does not allow', () => {
    assertSyntaxError('<a>\u0001</a>', 1, 4, /Character U\+0001 is not allowed/);
    assertSyntaxError('<a>\n\u{1F600}\uD800</a>', 2, 2, /Unpaired surrogate U\+D800/);
    assertSyntaxError('<a>\uDC00</a>', 1, 4, /Unpaired surrogate U\+DC00/);
    assertSyntaxError('<a v="\uFFFF"/>', 1, 7, /Character U\+FFFF/);
  });

  it("']]>' in text, comments with '--', unterminated constructs", () => {
    assertSyntaxError('<a>x]]>y</a>', 1, 5, /']]>' is not allowed in character data/);
    assertSyntaxError('<a><!-- a -- b --></a>', 1, 11, /'--' is not allowed inside a comment/);
    assertSyntaxError('<a><!-- x</a>', 1, 4, /Unterminated comment/);
    assertSyntaxError('<a><![CDATA[x</a>', 1, 4, /Unterminated CDATA/);
    assertSyntaxError('<a><?pi x</a>', 1, 4, /Unterminated processing instruction/);
    assertSyntaxError('<a><!ELEMENT a ANY></a>', 1, 4, /Unexpected '<!'/);
    assertSyntaxError('<a>< b/></a>', 1, 5, /Invalid element name/);
    assertSyntaxError('<a><1b/></a>', 1, 5, /Invalid element name/);
  });

  it('XML declaration: version 1.x only, and only at the very start', () => {
    assertSyntaxError('<?xml version="2.0"?><a/>', 1, 15, /Unsupported XML version '2\.0' \(1\.x is read as 1\.0\)/);
    assertSyntaxError('<?xml version="1"?><a/>', 1, 15, /Unsupported XML version/);
    assertSyntaxError(' <?xml version="1.0"?><a/>', 1, 2, /XML declaration is only allowed at the very start/);
    assertSyntaxError('<a/><?xml version="1.0"?>', 1, 5, /XML declaration is only allowed/);
    assertSyntaxError('<?xml encoding="utf-8"?><a/>', 1, 7, /Unexpected 'encoding'/);
    assertSyntaxError('<?xml version="1.0" standalone="maybe"?><a/>', 1, 32, /standalone/);
  });
});

describe('parseXml: security', () => {
  it('refuses any DOCTYPE', () => {
    assertSyntaxError('<!DOCTYPE a><a/>', 1, 1, /DOCTYPE is not allowed/);
    assertSyntaxError('<?xml version="1.0"?>\n<!DOCTYPE a SYSTEM "file:///etc/passwd"><a/>', 2, 1, /DOCTYPE is not allowed/);
  });

  it('refuses a billion-laughs document without expanding anything', () => {
    const lines = ['<?xml version="1.0"?>', '<!DOCTYPE lolz [', ' <!ENTITY lol "lol">'];
    for (let i = 1; i <= 9; i++) {
      const prev = i === 1 ? 'lol' : `lol${i - 1}`;
      lines.push(` <!ENTITY lol${i} "${Array.from({ length: 10 }, () => `&${prev};`).join('')}">`);
    }
    lines.push(']>', '<lolz>&lol9;</lolz>');
    assertSyntaxError(lines.join('\n'), 2, 1, /DOCTYPE is not allowed/);
  });

  it('refuses an entity reference that a DOCTYPE would have declared', () => {
    assertSyntaxError('<a>&lol9;</a>', 1, 4, /Unknown entity '&lol9;'/);
  });

  it('limits nesting depth (default 256)', () => {
    const nested = (n: number): string => '<e>'.repeat(n) + '</e>'.repeat(n);
    assert.equal(parseXml(nested(256)).local, 'e');
    assertSyntaxError(nested(257), 1, 256 * 3 + 1, /nesting deeper than 256 levels/);
  });

  it('honours maxDepth, counting self-closing elements too', () => {
    assert.equal(parseXml('<a><b/></a>', { maxDepth: 2 }).children.length, 1);
    assert.throws(() => parseXml('<a><b><c/></b></a>', { maxDepth: 2 }), (e: unknown) => {
      assert.ok(e instanceof XmlSyntaxError);
      assert.match(e.message, /deeper than 2 levels at line 1, column 7$/);
      return true;
    });
    assert.equal(parseXml(`${'<e>'.repeat(1000)}${'</e>'.repeat(1000)}`, { maxDepth: 1000 }).local, 'e');
    assert.throws(() => parseXml('<a/>', { maxDepth: 0 }), RangeError);
  });

  it('stays linear on a deeply hostile namespace setup', () => {
    // Thousands of declarations on the root and many elements below it: lookups must not walk
    // every declaration (no timing assertion; a quadratic implementation would take minutes).
    const decls = Array.from({ length: 5000 }, (_, i) => `xmlns:p${i}="urn:${i}"`).join(' ');
    const body = '<p0:x/><y/>'.repeat(20000);
    const root = parseXml(`<r ${decls}>${body}</r>`);
    assert.equal(root.children.length, 40000);
    assert.equal(child(root, 0).ns, 'urn:0');
    assert.equal(child(root, 1).ns, '');
  });
});

describe('escapeText / escapeAttribute', () => {
  const tricky = 'a&b<c>d"e\'f\tg\nh\r\ni\rj]]>k &amp; &#x41; \u{1F600} \u00E6 end ';

  it('escape exactly the specified characters', () => {
    assert.equal(escapeText('a&b<c>d"e\'\t\n\r'), 'a&amp;b&lt;c&gt;d"e\'\t\n&#xD;');
    assert.equal(escapeAttribute('a&b<c>d"e\'\t\n\r'), 'a&amp;b&lt;c&gt;d&quot;e\'&#x9;&#xA;&#xD;');
    assert.equal(escapeText('plain'), 'plain');
    assert.equal(escapeAttribute(''), '');
  });

  it('round-trip every XML-special character through parseXml', () => {
    const root = parseXml(`<r a="${escapeAttribute(tricky)}">${escapeText(tricky)}</r>`);
    assert.equal(root.text, tricky);
    assert.equal(attribute(root, '', 'a'), tricky);
  });

  it('round-trip all printable ASCII and whitespace', () => {
    let s = '\t\n\r';
    for (let c = 0x20; c < 0x7f; c++) s += String.fromCharCode(c);
    const root = parseXml(`<r a="${escapeAttribute(s)}">${escapeText(s)}</r>`);
    assert.equal(root.text, s);
    assert.equal(attribute(root, '', 'a'), s);
  });
});

describe('parseXml: large documents', () => {
  /** A 40-element record (1 wrapper + 39 descendants) with entities, attributes and CRLF-free text. */
  function record(i: number): string {
    const fields: string[] = [];
    for (let f = 0; f < 24; f++) fields.push(`<b:F${f}>value ${i}.${f} &amp; more text to make it realistic</b:F${f}>`);
    fields.push(`<b:Nil i:nil="true"/>`);
    fields.push(`<b:Typed i:type="b:Thing">${i}</b:Typed>`);
    fields.push(`<b:Desc><![CDATA[<p>${i}</p>]]> &lt;ok&gt; ${'lorem ipsum '.repeat(50)}</b:Desc>`);
    for (let k = 0; k < 3; k++) {
      fields.push(`<b:Addr><b:Street>Road ${i}</b:Street><b:City>Oslo</b:City><b:Zip>${k}</b:Zip></b:Addr>`);
    }
    return `\n    <b:Rec id="${i}">\n      ${fields.join('\n      ')}\n    </b:Rec>`;
  }

  it('parses a 2.7 MB envelope with 40,000 elements correctly', () => {
    const records: string[] = [];
    for (let i = 0; i < 1000; i++) records.push(record(i));
    const xml = `<?xml version="1.0" encoding="utf-8"?>\n<s:Envelope xmlns:s="${SOAP}"><s:Body><R xmlns="urn:so" xmlns:b="urn:so:b" xmlns:i="${XSI}">${records.join('')}\n  </R></s:Body></s:Envelope>`;
    assert.ok(xml.length > 2_500_000 && xml.length < 3_000_000, `document is ${xml.length} characters`);
    const root = parseXml(xml);
    const list = child(child(root, 0), 0);
    assert.equal(list.children.length, 1000);
    assert.equal(countElements(root), 3 + 1000 * 40);
    const rec = child(list, 999);
    assert.equal(attribute(rec, '', 'id'), '999');
    assert.equal(rec.children.length, 30);
    assert.equal(child(rec, 3).text, 'value 999.3 & more text to make it realistic');
    assert.equal(attribute(child(rec, 24), XSI, 'nil'), 'true');
    assert.deepEqual(resolveQName(child(rec, 25), attribute(child(rec, 25), XSI, 'type') ?? ''), {
      ns: 'urn:so:b',
      local: 'Thing',
    });
    assert.ok(child(rec, 26).text.startsWith('<p>999</p> <ok> lorem'));
    assert.equal(child(child(rec, 29), 2).text, '2');
    assert.equal(rec.line, 3 + 999 * 32);
    assert.equal(rec.column, 5);
  });
});
