// Conformance decisions of the XML reader (templates/runtime/xml.ts), each with its reason in the
// README ("Errors") and SECURITY.md:
// - XML 1.x: read as 1.0, as XML 1.0 (5th edition, 2.8) tells a 1.0 processor to; 1.1-only
//   features are then refused (or read) exactly as 1.0 would.
// - No colon in a processing-instruction target (Namespaces in XML 1.0, section 7).
// - A BOM with an encoding declaration that cannot go with one is a contradiction.
// - Names are limited to MAX_NAME_LENGTH characters (see xml-scaling.slow.test.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { XML_EOF, XmlReader, XmlSyntaxError } from '../../templates/runtime/xml.js';
import { parseXml } from '../support/xml-tree.js';

/** Both ways of reading must refuse the same document with the same message. */
function refused(xml: string, message: RegExp): void {
  for (const read of [() => parseXml(xml), () => drain(new XmlReader(xml))]) {
    assert.throws(read, (err: unknown) => {
      assert.ok(err instanceof XmlSyntaxError, String(err));
      assert.match(err.message, message);
      return true;
    });
  }
}

function drain(r: XmlReader): void {
  while (r.next() !== XML_EOF) {
    // read everything
  }
}

describe('XML reader decisions', () => {
  test('version 1.1 (any 1.x) is read by the XML 1.0 rules', () => {
    assert.equal(parseXml('<?xml version="1.1"?><a>x</a>').text, 'x');
    assert.equal(parseXml('<?xml version="1.7" encoding="UTF-8"?><a/>').local, 'a');
    // 1.1-only features are not 1.1 here: a reference to U+0001 is refused, NEL is not a line end.
    refused('<?xml version="1.1"?><a>&#x1;</a>', /Character reference to U\+0001 is not allowed in XML at line 1, column 25/);
    assert.equal(parseXml('<?xml version="1.1"?><a>x\u0085y</a>').text, 'x\u0085y');
    refused('<?xml version="2.0"?><a/>', /Unsupported XML version '2\.0' \(1\.x is read as 1\.0\) at line 1, column 15/);
  });

  test('a processing-instruction target with a colon is refused (Namespaces in XML)', () => {
    refused('<a><?my:pi data?></a>', /Invalid processing instruction target: ':' is not allowed \(Namespaces in XML\) at line 1, column 8/);
    refused('<?x:y?><a/>', /':' is not allowed/);
    assert.equal(parseXml('<a><?my-pi data?></a>').local, 'a');
  });

  test('a byte order mark with an encoding declaration other than a Unicode one is a contradiction', () => {
    refused('\uFEFF<?xml version="1.0" encoding="ISO-8859-1"?><a/>', /The encoding 'ISO-8859-1' contradicts the byte order mark at line 1, column 30/);
    refused('\uFEFF<?xml version="1.0" encoding="windows-1252"?><a/>', /contradicts the byte order mark/);
    for (const enc of ['UTF-8', 'utf-16', 'UTF-16LE', 'utf-16be']) {
      assert.equal(parseXml(`\uFEFF<?xml version="1.0" encoding="${enc}"?><a/>`).local, 'a', enc);
    }
    // Without a BOM the text was decoded by someone else (see charset.ts); the name is not checked.
    assert.equal(parseXml('<?xml version="1.0" encoding="ISO-8859-1"?><a/>').local, 'a');
  });
});
