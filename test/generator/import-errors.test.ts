// An error inside a document that a WSDL imports by location (xs:import/xs:include schemaLocation,
// wsdl:import location) names the document, at its line:column, and every import that brought it
// in, up to the WSDL: `main.wsdl:3:9: xs:import schemaLocation "a.xsd": a.xsd:3:3: xs:import
// schemaLocation "b.xsd": b.xsd:3:3: malformed XML: …`. A schema imported by another schema, and
// any error but a parse error of the document the WSDL itself imports, named the schema alone.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { GenerateError } from '../../generator/errors.js';
import { readAgent } from '../../generator/generate-agent.js';
import { docLabel } from '../../generator/input/documents.js';
import { loadLocalInput } from '../../generator/input/load.js';
import { TNS, miniWsdl } from '../support/mini-wsdl.js';
import { tempDir } from '../support/temp-dir.js';

const work = tempDir('import-errors');
after(() => rmSync(work, { recursive: true, force: true }));

const XS = 'http://www.w3.org/2001/XMLSchema';
/** A WSDL whose wsdl:types holds one more schema, which imports a.xsd. */
const IMPORTS_A = miniWsdl({ extraSchemas: `<xs:schema targetNamespace="urn:importer"><xs:import namespace="urn:a" schemaLocation="a.xsd"/></xs:schema>` });
const schema = (ns: string, body: string) => `<?xml version="1.0"?>\n<xs:schema xmlns:xs="${XS}" targetNamespace="${ns}">\n${body}</xs:schema>\n`;

let cases = 0;
/** describe() of the error reading `main` with `files` (name → text) beside it, in a folder of its own; and how messages name a file there. */
function errorOf(main: string, files: Readonly<Record<string, string>>): { message: string; label: (name: string) => string } {
  const dir = join(work, `case-${++cases}`);
  mkdirSync(dir);
  const label = (name: string) => docLabel({ kind: 'file', path: join(dir, name) });
  writeFileSync(join(dir, 'main.wsdl'), main);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  try {
    readAgent(loadLocalInput(join(dir, 'main.wsdl')));
  } catch (err) {
    assert.ok(err instanceof GenerateError, String(err));
    return { message: err.describe(), label };
  }
  return assert.fail('the WSDL was read');
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** `line:column` of the first `what` in `text`. */
function positionOf(text: string, what: string): string {
  const before = text.slice(0, text.indexOf(what)).split('\n');
  return `${before.length}:${before.at(-1)!.length + 1}`;
}
/** The start of the message for an error in a.xsd: the WSDL's import of it, at its line:column, then a.xsd's place. */
const viaMain = (label: (name: string) => string) =>
  `^${esc(label('main.wsdl'))}:${positionOf(IMPORTS_A, '<xs:import')}: xs:import schemaLocation "a\\.xsd": ${esc(label('a.xsd'))}:`;

test('an XML syntax error in an XSD the WSDL imports names the XSD at its line:column, and the WSDL at the import', () => {
  const { message, label } = errorOf(IMPORTS_A, { 'a.xsd': schema('urn:a', '  <xs:complexType name="A">\n    <xs:sequence>\n  </xs:complexType>\n') });
  assert.match(message, new RegExp(`${viaMain(label)}4:18: malformed XML: Opening and ending tag mismatch`));
});

test('an XML syntax error in an XSD that an imported XSD imports names both imports, up to the WSDL', () => {
  const { message, label } = errorOf(IMPORTS_A, {
    'a.xsd': schema('urn:a', '  <xs:import namespace="urn:b" schemaLocation="b.xsd"/>\n'),
    'b.xsd': schema('urn:b', '  <xs:complexType name="B"\n'),
  });
  assert.match(message, new RegExp(`${viaMain(label)}3:3: xs:import schemaLocation "b\\.xsd": ${esc(label('b.xsd'))}:3:3: malformed XML: `));
});

test('a construct the reader refuses in an imported XSD names the WSDL that imports it', () => {
  const { message, label } = errorOf(IMPORTS_A, { 'a.xsd': schema('urn:a', '  <xs:complexType name="A">\n    <xs:choice/>\n  </xs:complexType>\n') });
  assert.match(message, new RegExp(`${viaMain(label)}4:5: unsupported XSD construct: xs:choice \\(at /schema/complexType\\[@name='A'\\]/choice\\) \\(at `));
});

test('a reference that does not resolve in an imported XSD names the WSDL that imports it', () => {
  // Checked once every document is read (read-wsdl.ts checkReferences), not while reading a.xsd.
  const { message, label } = errorOf(IMPORTS_A, { 'a.xsd': schema('urn:a', '  <xs:element name="E" xmlns:a="urn:a" type="a:Missing"/>\n') });
  assert.match(message, new RegExp(`${viaMain(label)}3:3: type "Missing" \\(namespace urn:a\\) is not defined; used by element E`));
});

test('an error in an XSD that a wsdl:import-ed WSDL imports names the chain from the WSDL itself', () => {
  const imported =
    `<wsdl:definitions targetNamespace="${TNS}" xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:xs="${XS}">\n` +
    `<wsdl:types><xs:schema targetNamespace="urn:importer"><xs:import namespace="urn:a" schemaLocation="a.xsd"/></xs:schema></wsdl:types>\n` +
    `</wsdl:definitions>\n`;
  const main = miniWsdl({}).replace('<wsdl:types>', `<wsdl:import namespace="${TNS}" location="imported.wsdl"/><wsdl:types>`);
  const { message, label } = errorOf(main, {
    'imported.wsdl': imported,
    'a.xsd': schema('urn:a', '  <xs:complexType name="A">\n    <xs:choice/>\n  </xs:complexType>\n'),
  });
  const chain =
    `^${esc(label('main.wsdl'))}:${positionOf(main, '<wsdl:import')}: wsdl:import location "imported\\.wsdl": ` +
    `${esc(label('imported.wsdl'))}:${positionOf(imported, '<xs:import')}: xs:import schemaLocation "a\\.xsd": ` +
    `${esc(label('a.xsd'))}:4:5: unsupported XSD construct: xs:choice`;
  assert.match(message, new RegExp(chain));
});
