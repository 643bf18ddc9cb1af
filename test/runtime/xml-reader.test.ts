// The pull reader under parseXml and the decoder (templates/runtime/xml.ts): its events,
// name interning (which must never change what a name is), and the characters XML
// does not allow, refused wherever they are.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XML_END, XML_EOF, XML_START, XML_TEXT, XmlReader, XmlSyntaxError } from '../../templates/runtime/xml.js';
import { isNamespaceDeclaration, parseXml, readElement, type XmlElement } from '../support/xml-tree.js';

/** The reader's events as strings, e.g. `<{urn:a}x a=1>`, `"text"`, `</x>`. */
function events(xml: string): string[] {
  const r = new XmlReader(xml);
  const out: string[] = [];
  for (;;) {
    const ev = r.next();
    if (ev === XML_EOF) return out;
    if (ev === XML_START) {
      const attrs: string[] = [];
      for (let i = 0; i < r.attrCount; i++) {
        if (!isNamespaceDeclaration(r.attrName(i))) attrs.push(` {${r.attrNs(i)}}${r.attrName(i).local}=${r.attrValue(i)}`);
      }
      // Self-closing or not is the reader's private state (no client code needs it, so no getter):
      // the events alone are the same for <a/> and <a></a>.
      out.push(`<{${r.ns}}${r.name.local}${attrs.join('')}${r['pendingEnd'] ? '/' : ''}>@${r.depth}`);
    } else if (ev === XML_TEXT) {
      out.push(JSON.stringify(r.text()));
    } else if (ev === XML_END) {
      out.push(`</${r.name.qname}>@${r.depth}`);
    }
  }
}

/** A tree as a plain value: names, attributes, text and children. */
function shape(el: XmlElement): unknown {
  return [`{${el.ns}}${el.local}`, el.attrs.map((a) => `{${a.ns}}${a.local}=${a.value}`), el.text, el.children.map(shape), el.line, el.column];
}

function outcome(fn: () => unknown): { ok: boolean; message?: string } {
  try {
    fn();
    return { ok: true };
  } catch (e) {
    assert.ok(e instanceof XmlSyntaxError, String(e));
    return { ok: false, message: e.message };
  }
}

describe('XmlReader: events', () => {
  it('start tags with namespaces and attributes, text pieces, end tags, self-closing tags', () => {
    const xml = '<?xml version="1.0"?><a xmlns="urn:a" xmlns:p="urn:p" p:x="1" y="&lt;2">t&amp;1<!--c--><![CDATA[t2]]><p:b/><c>\r\n</c></a>';
    assert.deepEqual(events(xml), [
      '<{urn:a}a {urn:p}x=1 {}y=<2>@1',
      '"t&1"',
      '"t2"',
      '<{urn:p}b/>@2',
      '</p:b>@1',
      '<{urn:a}c>@2',
      '"\\n"',
      '</c>@1',
      '</a>@0',
    ]);
  });

  it('text is given as its extent when it needs no decoding', () => {
    const r = new XmlReader('<a>plain<b/>a&amp;b</a>');
    assert.equal(r.next(), XML_START);
    assert.equal(r.next(), XML_TEXT);
    assert.equal(r['textValue'], null);
    assert.equal(r.src.slice(r['textStart'], r['textEnd']), 'plain');
    r.next(); // <b/>
    r.next(); // </b>
    assert.equal(r.next(), XML_TEXT);
    assert.equal(r['textValue'], 'a&b');
  });

  it('attribute values are given as their extent when they need no decoding', () => {
    const r = new XmlReader('<a x="abc" y="a&amp;b" z="a\tb"/>');
    r.next();
    // (the reader's private state: only text() and attrValue() read the extents, the runtime needs no more)
    const raw = (i: number): boolean => r['aValues'][i] === null;
    assert.ok(raw(0));
    assert.equal(r.src.slice(r['aStarts'][0], r['aEnds'][0]), 'abc');
    assert.ok(!raw(1) && r.attrValue(1) === 'a&b');
    assert.ok(!raw(2) && r.attrValue(2) === 'a b');
  });

  it('skipElement reads through the element (checking it), readElement makes a tree of it', () => {
    const xml = '<r><skip><x>1</x><y/></skip><keep a="1">k<z/></keep><after/></r>';
    const r = new XmlReader(xml);
    r.next();
    r.next();
    r.skipElement();
    assert.equal(r.next(), XML_START);
    const keep = readElement(r);
    assert.deepEqual(shape(keep), shape(parseXml(xml).children[1]!));
    assert.equal(keep.column, xml.indexOf('<keep') + 1);
    assert.equal(r.next(), XML_START);
    assert.equal(r.name.local, 'after');
    const bad = new XmlReader('<r><skip><x></skip></r>');
    bad.next();
    bad.next();
    assert.throws(() => bad.skipElement(), /Mismatched end tag/);
  });

  it('a subtree read with readElement equals the same element in the whole tree', () => {
    const xml = '<r xmlns:p="urn:p"><p:a p:k="v">x<b>y</b><!--c-->z</p:a><c/></r>';
    const r = new XmlReader(xml);
    r.next();
    r.next();
    assert.deepEqual(shape(readElement(r)), shape(parseXml(xml).children[0]!));
  });
});

describe('XmlReader: names', () => {
  it('an interned name never stands in for a different name', () => {
    // Each sibling sequence is seen twice, the second time with names that share prefixes with
    // the first ones, extend them, or differ only after their length.
    const first = '<s><ab/><abc/><a:b xmlns:a="urn:a"/><x y="1" yz="2"/><é/></s>';
    const second = '<s><abc/><ab/><a:bc xmlns:a="urn:a"/><x yz="1" y="2"/><éé/></s>';
    const root = parseXml(`<r>${first}${second}${first}</r>`);
    const names = (el: XmlElement) => el.children.map((c) => `${c.local}[${c.attrs.map((a) => a.local).join(',')}]`);
    assert.deepEqual(names(root.children[0]!), ['ab[]', 'abc[]', 'b[]', 'x[y,yz]', 'é[]']);
    assert.deepEqual(names(root.children[1]!), ['abc[]', 'ab[]', 'bc[]', 'x[yz,y]', 'éé[]']);
    assert.deepEqual(names(root.children[2]!), names(root.children[0]!));
  });

  it('a name followed by a name character, or by an astral name character, is another name', () => {
    const root = parseXml('<r><a/><b/><a/><b\u{10000}/><a/><b-/><a/><b/></r>');
    assert.deepEqual(root.children.map((c) => c.local), ['a', 'b', 'a', 'b\u{10000}', 'a', 'b-', 'a', 'b']);
  });

  it('thousands of distinct names (more than the name table holds), repeated', () => {
    const names = Array.from({ length: 5000 }, (_, i) => `n${i.toString(36)}${'x'.repeat(i % 7)}`);
    const body = names.map((n) => `<${n} ${n}="${n}"/>`).join('');
    const root = parseXml(`<r>${body}${body}</r>`);
    assert.equal(root.children.length, 10000);
    root.children.forEach((c, i) => {
      const n = names[i % 5000]!;
      assert.equal(c.local, n);
      assert.equal(c.attrs[0]!.local, n);
      assert.equal(c.attrs[0]!.value, n);
    });
  });

  it('names that collide in the hash table stay distinct', () => {
    // Brute-force a few names with equal hashes (the reader's polynomial hash, reduced to the table).
    const hash = (s: string) => {
      let h = s.charCodeAt(0);
      for (let i = 1; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
      return h & 2047;
    };
    const bySlot = new Map<number, string[]>();
    for (let i = 0; i < 40000; i++) {
      const n = `q${i}`;
      const slot = hash(n);
      bySlot.set(slot, [...(bySlot.get(slot) ?? []), n]);
    }
    const colliding = [...bySlot.values()].find((v) => v.length >= 8)!;
    const body = colliding.map((n) => `<${n}/>`).join('');
    const root = parseXml(`<r>${body}${[...colliding].reverse().map((n) => `<${n}/>`).join('')}${body}</r>`);
    assert.deepEqual(
      root.children.map((c) => c.local),
      [...colliding, ...[...colliding].reverse(), ...colliding],
    );
  });
});

describe('XmlReader: a start tag read by comparison with the one kept for its name', () => {
  // The second <p:x> of each document is read by comparison (start-tag prediction); what depends on
  // the scope it is in must be worked out again, not taken from the first.
  it('a predicted tag under another binding of its prefix has that binding, for the element and its attributes', () => {
    assert.deepEqual(events('<r><s xmlns:p="urn:1"><p:x p:y="1"/></s><s xmlns:p="urn:2"><p:x p:y="1"/></s></r>').filter((e) => e.startsWith('<{urn:')), [
      '<{urn:1}x {urn:1}y=1/>@3',
      '<{urn:2}x {urn:2}y=1/>@3',
    ]);
  });

  it('a predicted tag whose prefixed attributes collide only in its new scope is refused there', () => {
    const ok = '<s xmlns:p="urn:1" xmlns:q="urn:2"><x p:a="1" q:a="2"/></s>';
    const clash = '<s xmlns:p="urn:1" xmlns:q="urn:1"><x p:a="1" q:a="2"/></s>';
    assert.deepEqual(outcome(() => parseXml(`<r>${ok}${ok}</r>`)), { ok: true });
    const result = outcome(() => parseXml(`<r>${ok}${clash}</r>`));
    assert.equal(result.ok, false);
    const column = '<r>'.length + ok.length + clash.indexOf('q:a') + 1; // at the second attribute, the duplicate
    assert.equal(result.message, `Duplicate attribute 'q:a' (expanded name {urn:1}a) at line 1, column ${column}`);
  });

  it('a predicted tag whose prefix is unbound in its new scope is refused there', () => {
    const result = outcome(() => parseXml('<r><s xmlns:p="urn:1"><p:x/></s><s><p:x/></s></r>'));
    assert.equal(result.ok, false);
    assert.match(result.message!, /Unbound namespace prefix 'p' in <p:x> at line 1, column 37/);
  });

  it('tags of one name that keep changing (nil or not, an attribute per item) are all read as written', () => {
    const items = Array.from({ length: 12 }, (_, i) => `<v${i % 2 ? ' i:nil="true"' : ''} n="${i}"/>`).join('');
    const root = parseXml(`<r xmlns:i="http://www.w3.org/2001/XMLSchema-instance">${items}</r>`);
    assert.deepEqual(
      root.children.map((c) => c.attrs.map((a) => `${a.local}=${a.value}`).join(' ')),
      Array.from({ length: 12 }, (_, i) => (i % 2 ? `nil=true n=${i}` : `n=${i}`)),
    );
  });

  // Kept start tags and names' end tags are compared as patterns (xml.ts literal): their text must
  // match as written, never as a regular expression would read it.
  it('a kept tag matches only its own text: regular expression characters in names and values are plain characters', () => {
    // The third tag is compared with the second, kept: read as a pattern, `a.b` and "a.c" would match `aXb` and "abc".
    const root = parseXml('<r><a.b v="abc"/><a.b v="a.c"/><aXb v="abc"/><e v="(x*)+$\\[1]{2}|^?"/><e v="(x*)+$\\[1]{2}|^?"/></r>');
    assert.deepEqual(
      root.children.map((c) => `${c.local} ${c.attrs[0]!.value}`),
      ['a.b abc', 'a.b a.c', 'aXb abc', 'e (x*)+$\\[1]{2}|^?', 'e (x*)+$\\[1]{2}|^?'],
    );
  });

  it("an end tag matches its name's pattern only as written, else it is read to its error", () => {
    assert.deepEqual(events('<r><a.b>t</a.b \n></r>'), ['<{}r>@1', '<{}a.b>@2', '"t"', '</a.b>@1', '</r>@0']);
    assert.equal(outcome(() => parseXml('<r><a.b>t</aXb></r>')).message, 'Mismatched end tag: expected </a.b>, found </aXb> at line 1, column 10');
    assert.equal(outcome(() => parseXml('<r><a.b>t</a.bc></r>')).message, 'Mismatched end tag: expected </a.b>, found </a.bc> at line 1, column 10');
    assert.equal(outcome(() => parseXml('<r><a.b>t</a.b x></r>')).message, "Expected '>' to close end tag </a.b> at line 1, column 16");
  });

  it('names and tags too long for a pattern are read the long way, with the same checks', () => {
    const name = 'n'.repeat(1100);
    const long = `<${name} v="${'x'.repeat(1100)}"/>`;
    const root = parseXml(`<r>${long}${long}<${name}>t</${name}></r>`);
    assert.deepEqual(root.children.map((c) => [c.local === name, c.attrs.length, c.text]), [[true, 1, ''], [true, 1, ''], [true, 0, 't']]);
    assert.match(outcome(() => parseXml(`<r><${name}>t</${name}x></r>`)).message!, /^Mismatched end tag: expected <\/n{1100}>, found <\/n{200}\u2026> at line 1, column 1107$/); // (the name found is cut at 200 characters, marked with …)
  });
});

describe('XmlReader: characters XML does not allow are refused wherever they are', () => {
  const doc =
    '<?xml version="1.0" encoding="utf-8"?>\n<!-- lead -->\n<?pi data?>\n<p:r xmlns:p="urn:p" p:a="v&amp;w" b=\'x\ty\'>' +
    'text &#x41; <![CDATA[cd]]><!-- c --><?t d?><é\u{10000}>\u{10348}</é\u{10000}><e/>\r\n</p:r>\n<!-- tail -->';

  it('the document itself is read', () => {
    assert.deepEqual(events(doc), ['<{urn:p}r {urn:p}a=v&w {}b=x y>@1', '"text A "', '"cd"', '<{}é\u{10000}>@2', '"\u{10348}"', '</é\u{10000}>@1', '<{}e/>@2', '</e>@1', '"\\n"', '</p:r>@0']);
  });

  it('every character XML does not allow, inserted at every offset', () => {
    const bad = ['\u0000', '\u0008', '\u000B', '\u000C', '\u001F', '\uFFFE', '\uFFFF', '\uD800', '\uDBFF', '\uDC00', '\uDFFF'];
    for (let i = 0; i <= doc.length; i++) {
      for (const ch of bad) {
        const xml = doc.slice(0, i) + ch + doc.slice(i);
        assert.equal(outcome(() => events(xml)).ok, false, `${JSON.stringify(ch)} at ${i} accepted`);
      }
    }
  });
});
