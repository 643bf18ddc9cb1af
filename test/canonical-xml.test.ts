// Tests of the canonical XML form used by the golden envelope tests (test/support/canonical-xml.ts).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { assertSameXml, canonicalize, type CanonicalOptions } from './support/canonical-xml.js';
import { goldenDir } from './support/paths.js';

const S11 = 'http://schemas.xmlsoap.org/soap/envelope/';
const S12 = 'http://www.w3.org/2003/05/soap-envelope';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const XSD = 'http://www.w3.org/2001/XMLSchema';
const TNS = 'http://www.superoffice.net/ws/crm/NetServer/Services86';

/** A SOAP 1.1 envelope with the given header blocks and body content, prefixes soap/tns/xsi/xsd. */
function envelope(body: string, header?: string): string {
  return (
    `<soap:Envelope xmlns:soap="${S11}" xmlns:tns="${TNS}" xmlns:xsi="${XSI}" xmlns:xsd="${XSD}">` +
    (header === undefined ? '' : `<soap:Header>${header}</soap:Header>`) +
    `<soap:Body>${body}</soap:Body></soap:Envelope>`
  );
}

function same(a: string, b: string, options?: CanonicalOptions): void {
  assert.equal(canonicalize(a, options), canonicalize(b, options));
  assertSameXml(a, b, options);
}

function different(a: string, b: string, options?: CanonicalOptions): void {
  assert.notEqual(canonicalize(a, options), canonicalize(b, options));
  assert.throws(() => assertSameXml(a, b, options), { name: 'AssertionError' });
}

describe('canonicalize', () => {
  it('writes one element per line, indented, with {ns}local and JSON-quoted leaf text', () => {
    const xml = envelope('<tns:Get><tns:Id>7</tns:Id><tns:Name>a "b"\n</tns:Name></tns:Get>');
    assert.equal(
      canonicalize(xml),
      [
        '{soap}Envelope',
        '  {soap}Body',
        `    {${TNS}}Get`,
        `      {${TNS}}Id = "7"`,
        `      {${TNS}}Name = "a \\"b\\"\\n"`,
        '',
      ].join('\n'),
    );
  });

  it('compares by namespace URI, not by prefix (including default namespaces)', () => {
    const a = envelope('<tns:Get><tns:Id>7</tns:Id></tns:Get>');
    const b =
      `<e:Envelope xmlns:e="${S11}"><e:Body>` +
      `<Get xmlns="${TNS}"><x:Id xmlns:x="${TNS}">7</x:Id></Get>` +
      `</e:Body></e:Envelope>`;
    same(a, b);
  });

  it('treats the SOAP 1.1 and SOAP 1.2 envelope namespaces as one', () => {
    const a = envelope('<tns:Get/>', '<tns:ApplicationToken>t</tns:ApplicationToken>');
    const b =
      `<env:Envelope xmlns:env="${S12}" xmlns:tns="${TNS}">` +
      `<env:Header><tns:ApplicationToken>t</tns:ApplicationToken></env:Header>` +
      `<env:Body><tns:Get/></env:Body></env:Envelope>`;
    same(a, b);
    assert.match(canonicalize(b), /^\{soap\}Envelope\n {2}\{soap\}Header\n/);
    // …but a third "envelope" namespace is not the SOAP envelope.
    different(a, b.replaceAll(S12, 'http://example.com/not-soap'));
  });

  it('moves header blocks standing directly under Envelope into Header', () => {
    const inHeader = envelope(
      '<tns:Get/>',
      '<tns:ApplicationToken>t</tns:ApplicationToken><tns:Credentials><tns:Ticket>7T:x</tns:Ticket></tns:Credentials>',
    );
    const outside =
      `<soap:Envelope xmlns:soap="${S12}" xmlns:tns="${TNS}">` +
      `<tns:ApplicationToken>t</tns:ApplicationToken>` +
      `<tns:Credentials><tns:Ticket>7T:x</tns:Ticket></tns:Credentials>` +
      `<soap:Body><tns:Get/></soap:Body></soap:Envelope>`;
    same(inHeader, outside);
    // Split between Header and Envelope: still one Header, in document order.
    const split =
      `<soap:Envelope xmlns:soap="${S11}" xmlns:tns="${TNS}">` +
      `<soap:Header><tns:ApplicationToken>t</tns:ApplicationToken></soap:Header>` +
      `<tns:Credentials><tns:Ticket>7T:x</tns:Ticket></tns:Credentials>` +
      `<soap:Body><tns:Get/></soap:Body></soap:Envelope>`;
    same(inHeader, split);
    // The header content still matters.
    different(inHeader, outside.replace('7T:x', '7T:y'));
  });

  it('drops an empty or absent Header', () => {
    const none = envelope('<tns:Get/>');
    same(none, envelope('<tns:Get/>', ''));
    same(none, envelope('<tns:Get/>', '<!-- nothing -->\n  '));
    assert.doesNotMatch(canonicalize(envelope('<tns:Get/>', '')), /Header/);
    different(none, envelope('<tns:Get/>', '<tns:TimeZone/>'));
  });

  it('ignores whitespace between elements, comments, PIs, the XML declaration and xmlns', () => {
    const compact = envelope('<tns:Get><tns:Id>7</tns:Id><tns:Flag>true</tns:Flag></tns:Get>');
    const pretty =
      `<?xml version="1.0" encoding="UTF-8"?>\n<!-- doc -->\n` +
      `<soap:Envelope\n xmlns:soap="${S11}"\n xmlns:unused="urn:unused"\n xmlns:tns="${TNS}">\n` +
      ` <soap:Body>\n  <?pi data?>\n  <tns:Get>\n   <tns:Id>7</tns:Id>\n   <!-- c -->\n` +
      `   <tns:Flag>true</tns:Flag>\n  </tns:Get>\n </soap:Body>\n</soap:Envelope>\n`;
    same(compact, pretty);
  });

  it('keeps leaf text exactly: different text, and leading/trailing spaces, are differences', () => {
    const leaf = (text: string): string => envelope(`<tns:Name>${text}</tns:Name>`);
    different(leaf('abc'), leaf('abd'));
    different(leaf('abc'), leaf(' abc'));
    different(leaf('abc'), leaf('abc '));
    different(leaf('abc'), leaf('abc\n'));
    different(leaf(' '), leaf('')); // a space is a value, not formatting
    same(leaf('a&amp;b'), leaf('a&#38;b'));
  });

  it('treats <a/>, <a></a> and indentation-only <a>\\n  </a> as the same empty element', () => {
    same(envelope('<tns:Get/>'), envelope('<tns:Get></tns:Get>'));
    same(envelope('<tns:GetResponse>\n  </tns:GetResponse>'), envelope('<tns:GetResponse/>'));
    assert.match(canonicalize(envelope('<tns:Get></tns:Get>')), new RegExp(`\\{${TNS}\\}Get\\n`));
  });

  it('treats CDATA as text', () => {
    same(envelope('<tns:Body><![CDATA[<b>&x]]></tns:Body>'), envelope('<tns:Body>&lt;b&gt;&amp;x</tns:Body>'));
    same(envelope('<tns:Body>a<![CDATA[b]]>c</tns:Body>'), envelope('<tns:Body>abc</tns:Body>'));
  });

  it('detects element order differences', () => {
    different(
      envelope('<tns:Get><tns:A>1</tns:A><tns:B>2</tns:B></tns:Get>'),
      envelope('<tns:Get><tns:B>2</tns:B><tns:A>1</tns:A></tns:Get>'),
    );
  });

  it('detects namespace differences', () => {
    const other = 'http://schemas.microsoft.com/2003/10/Serialization/Arrays';
    different(envelope('<tns:Get><tns:int>1</tns:int></tns:Get>'), envelope(`<tns:Get><a:int xmlns:a="${other}">1</a:int></tns:Get>`));
    // Unqualified (no namespace) vs qualified: the classic elementFormDefault mistake.
    different(envelope('<tns:Get><tns:Id>1</tns:Id></tns:Get>'), envelope('<tns:Get><Id>1</Id></tns:Get>'));
    assert.match(canonicalize(envelope('<tns:Get><Id>1</Id></tns:Get>')), /\n {6}\{\}Id = "1"\n/);
  });

  it('sorts other attributes by {ns}local and keeps their values', () => {
    same(
      envelope('<tns:Get b="2" a="1" xmlns:q="urn:q" q:c="3"/>'),
      envelope('<tns:Get xmlns:p="urn:q" p:c="3" a="1" b="2"/>'),
    );
    assert.match(canonicalize(envelope('<tns:Get b="2" a="1"/>')), /Get \[a="1" b="2"\]/);
    different(envelope('<tns:Get a="1"/>'), envelope('<tns:Get a="2"/>'));
    different(envelope('<tns:Get a="1"/>'), envelope('<tns:Get xmlns:q="urn:q" q:a="1"/>'));
  });

  it('drops xsi:type by default', () => {
    same(envelope('<tns:Id xsi:type="xsd:int">1</tns:Id>'), envelope('<tns:Id>1</tns:Id>'));
    assert.doesNotMatch(canonicalize(envelope('<tns:Id xsi:type="xsd:int">1</tns:Id>')), /type/);
  });

  it('keeps xsi:type resolved to {ns}local when keepXsiType says so', () => {
    const seen: string[] = [];
    const keepValue: CanonicalOptions = {
      keepXsiType: (ns, local, path) => {
        seen.push(`${ns}|${local}|${path.join('/')}`);
        return local === 'Value';
      },
    };
    const a = envelope(`<tns:Set><tns:Value xsi:type="xsd:int">1</tns:Value><tns:Id xsi:type="xsd:int">2</tns:Id></tns:Set>`);
    const b = envelope(`<tns:Set><tns:Value xmlns:s="${XSD}" xsi:type="s:int">1</tns:Value><tns:Id>2</tns:Id></tns:Set>`);
    same(a, b, keepValue);
    assert.match(canonicalize(a, keepValue), new RegExp(`\\{${TNS}\\}Value \\[\\{xsi\\}type=\\{xsd\\}int\\] = "1"`));
    assert.ok(seen.includes(`${TNS}|Value|Envelope/Body/Set/Value`), seen.join('\n'));
    // Header blocks are asked about at their canonical place, even when written outside Header.
    const outside = `<s:Envelope xmlns:s="${S12}" xmlns:xsi="${XSI}" xmlns:tns="${TNS}"><tns:Token xsi:type="tns:T">t</tns:Token><s:Body/></s:Envelope>`;
    seen.length = 0;
    canonicalize(outside, keepValue);
    assert.ok(seen.includes(`${TNS}|Token|Envelope/Header/Token`), seen.join('\n'));
    // Different resolved types are differences; an unprefixed QName uses the default namespace.
    const keepAll: CanonicalOptions = { keepXsiType: () => true };
    different(envelope('<tns:V xsi:type="xsd:int">1</tns:V>'), envelope('<tns:V xsi:type="xsd:long">1</tns:V>'), keepAll);
    different(envelope('<tns:V xsi:type="xsd:int">1</tns:V>'), envelope('<tns:V xsi:type="tns:int">1</tns:V>'), keepAll);
    same(envelope(`<tns:V xsi:type="tns:Carrier"/>`), envelope(`<V xmlns="${TNS}" xsi:type="Carrier"/>`), keepAll);
    assert.throws(() => canonicalize(envelope('<tns:V xsi:type="nope:int">1</tns:V>'), keepAll), /undeclared prefix "nope"/);
  });

  it('normalises xsi:nil: true/1 are nil, false is dropped', () => {
    const nil = (v: string): string => envelope(`<tns:Get><tns:V xsi:nil="${v}"/></tns:Get>`);
    const plain = envelope('<tns:Get><tns:V/></tns:Get>');
    same(nil('true'), nil('1'));
    same(nil('true'), envelope(`<tns:Get><tns:V xmlns:i="${XSI}" i:nil="true"></tns:V></tns:Get>`));
    same(nil('false'), plain);
    same(nil('0'), plain);
    different(nil('true'), plain);
    assert.match(canonicalize(nil('1')), /V \[\{xsi\}nil=true\]\n/);
    // A nil attribute in another namespace is just an attribute.
    different(nil('true'), envelope('<tns:Get><tns:V xmlns:n="urn:n" n:nil="true"/></tns:Get>'));
  });

  it('throws an Error with line:column on malformed XML', () => {
    assert.throws(() => canonicalize('<a>\n  <b>\n</a>'), /canonical-xml: malformed XML at 2:\d+: .*mismatch/);
    assert.throws(() => canonicalize('<a>\n\n  <p:b/>\n</a>'), /malformed XML at 3:\d+:/);
    assert.throws(() => canonicalize('<a x="1" x="2"/>'), /malformed XML at 1:\d+: .*redefined/);
    assert.throws(() => canonicalize('<a>&nbsp;</a>'), /malformed XML at 1:\d+:/);
    assert.throws(() => canonicalize(''), /malformed XML at 1:1:/);
    assert.throws(() => assertSameXml('<a>', '<a/>'), /assertSameXml: actual: canonical-xml: malformed XML at \d+:\d+/);
  });
});

describe('assertSameXml', () => {
  it('passes on equal documents and fails with a line diff of the canonical forms', () => {
    assertSameXml(envelope('<tns:A>1</tns:A>'), envelope('<tns:A>1</tns:A>'));
    const expected = envelope('<tns:Get><tns:A>1</tns:A><tns:B>2</tns:B><tns:C>3</tns:C></tns:Get>');
    const actual = envelope('<tns:Get><tns:A>1</tns:A><tns:B>two</tns:B><tns:C>3</tns:C></tns:Get>');
    assert.throws(
      () => assertSameXml(actual, expected),
      (error: unknown) => {
        assert.ok(error instanceof assert.AssertionError);
        assert.match(error.message, /^XML differs/);
        assert.match(error.message, new RegExp(`\\n- {7}\\{${TNS}\\}B = "2"\\n\\+ {7}\\{${TNS}\\}B = "two"\\n`));
        assert.match(error.message, new RegExp(`\\n {8}\\{${TNS}\\}A = "1"\\n`)); // context line
        assert.equal(error.actual, canonicalize(actual));
        assert.equal(error.expected, canonicalize(expected));
        return true;
      },
    );
  });
});

describe('documented EMail envelopes (test/golden/EMail/envelopes)', () => {
  const dir = join(goldenDir, 'EMail', 'envelopes');
  const files = readdirSync(dir).filter((f) => f.endsWith('.xml')).sort();

  it('canonicalises all 160 request and response envelopes', () => {
    assert.equal(files.length, 160, 'expected 80 operations × (request, response); run node test/scripts/copy-fixtures.mjs');
    for (const file of files) {
      const canonical = canonicalize(readFileSync(join(dir, file), 'utf8'));
      assert.match(canonical, /^\{soap\}Envelope\n(?: {2}\{soap\}Header\n(?: {4}.*\n)+)? {2}\{soap\}Body\n/, file);
    }
  });

  it('puts the SyncEmailAccount request Ticket inside {soap}Header', () => {
    const lines = canonicalize(readFileSync(join(dir, 'SyncEmailAccount.request.xml'), 'utf8')).split('\n');
    const header = lines.indexOf('  {soap}Header');
    assert.ok(header > 0, lines.join('\n'));
    let end = header + 1;
    while (end < lines.length && lines[end]!.startsWith('    ')) end++;
    const headerLines = lines.slice(header + 1, end);
    assert.ok(
      headerLines.some((l) => l.trim() === `{${TNS}}Ticket = "7T:1234abcxyzExample=="`),
      headerLines.join('\n'),
    );
    assert.ok(headerLines.some((l) => l === `    {${TNS}}Credentials`), headerLines.join('\n'));
  });
});
