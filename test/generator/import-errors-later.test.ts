// An error in a schema that a WSDL imports reads the same whichever stage finds it: reading, or
// later, planning the model or emitting code. Each names the schema at its line:column and every
// import back to the WSDL (`main.wsdl:3:9: xs:import schemaLocation "a.xsd": a.xsd:3:3: xs:import
// schemaLocation "b.xsd": b.xsd:5:5: …`). The planner's and the emitter's errors named b.xsd alone,
// which did not say which WSDL brought it in, nor how. Run through the CLI: one line, exit 1,
// nothing written.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { GenerateError } from '../../generator/errors.js';
import { readAgent } from '../../generator/generate-agent.js';
import { loadLocalInput } from '../../generator/input/load.js';
import { fromFailure, toOutcome } from '../../generator/parallel/protocol.js';
import { runCli } from '../support/cli-run.js';
import { miniWsdl } from '../support/mini-wsdl.js';
import { tempDir } from '../support/temp-dir.js';

const work = tempDir('import-errors-later');
after(() => rmSync(work, { recursive: true, force: true }));

const XS = 'http://www.w3.org/2001/XMLSchema';
const SER = 'http://schemas.microsoft.com/2003/10/Serialization/';
/** The schema of a WSDL that imports a.xsd. */
const IMPORTER = `<xs:schema targetNamespace="urn:importer"><xs:import namespace="urn:a" schemaLocation="a.xsd"/></xs:schema>`;
/** A WSDL whose wsdl:types holds one more schema, which imports a.xsd. */
const IMPORTS_A = miniWsdl({ extraSchemas: IMPORTER });
const schema = (ns: string, body: string) => `<?xml version="1.0"?>\n<xs:schema xmlns:xs="${XS}" xmlns:b="urn:b" targetNamespace="${ns}">\n${body}</xs:schema>\n`;
/** a.xsd: imports b.xsd (at 3:3). */
const A_IMPORTS_B = schema('urn:a', '  <xs:import namespace="urn:b" schemaLocation="b.xsd"/>\n');

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** `line:column` of the first `what` in `text`. */
function positionOf(text: string, what: string): string {
  const before = text.slice(0, text.indexOf(what)).split('\n');
  return `${before.length}:${before.at(-1)!.length + 1}`;
}

/**
 * The one stderr line for `message` at `place` (line:column) and `path` in b.xsd, which a.xsd
 * imports (or includes: `by`), which the WSDL `wsdl` (its text `text`) imports: each import's
 * place before what it names, each one's element path after.
 */
function viaChain(place: string, message: string, path: string, { wsdl = 'main.wsdl', text = IMPORTS_A, by = 'import' } = {}): RegExp {
  return new RegExp(
    `^gen-services86: ${esc(wsdl)}:${positionOf(text, '<xs:import')}: xs:import schemaLocation "a\\.xsd": ` +
      `a\\.xsd:3:3: xs:${by} schemaLocation "b\\.xsd": b\\.xsd:${place}: ${message} \\(at ${esc(path)}\\) ` +
      `\\(at /schema/${by}\\) \\(at /definitions\\[@name='TestService'\\]/types/schema\\[2\\]/import\\)\\n$`,
  );
}

let cases = 0;
/** Writes `files` (name → text) to a folder of their own, runs the CLI there on `inputs` with `-o out`, and returns its stderr. */
async function run(files: Readonly<Record<string, string>>, inputs = ['main.wsdl']): Promise<string> {
  const dir = join(work, `case-${++cases}`);
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const result = await runCli([...inputs, '-o', 'out'], dir);
  assert.equal(result.code, 1, `exit code (stderr: ${result.stderr})`);
  assert.equal(result.stdout, '');
  assert.ok(!existsSync(join(dir, 'out')), 'nothing written');
  return result.stderr;
}

/** The CLI's line for `b` (b.xsd's schema body) under main.wsdl → a.xsd → b.xsd. */
const stderrFor = (b: string) => run({ 'main.wsdl': IMPORTS_A, 'a.xsd': A_IMPORTS_B, 'b.xsd': schema('urn:b', b) });

test('the planner: attributes on a complex type in an XSD that an imported XSD imports name both imports, up to the WSDL', async () => {
  const b = '  <xs:complexType name="B">\n    <xs:sequence/>\n    <xs:attribute name="id" type="xs:int"/>\n  </xs:complexType>\n';
  assert.match(await stderrFor(b), viaChain('5:5', 'unsupported XSD construct: attributes on complex type "B" \\(xs:attribute id\\)', "/schema/complexType[@name='B']/attribute[@name='id']"));
});

test('the planner: a malformed IsDictionary type in an XSD that an imported XSD imports names both imports', async () => {
  const b =
    `  <xs:complexType name="D">\n    <xs:annotation><xs:appinfo><IsDictionary xmlns="${SER}">true</IsDictionary></xs:appinfo></xs:annotation>\n` +
    '    <xs:sequence><xs:element name="X" type="xs:int"/></xs:sequence>\n  </xs:complexType>\n';
  assert.match(await stderrFor(b), viaChain('3:3', 'type "D" is marked IsDictionary but is not a sequence of repeated Key/Value entries', "/schema/complexType[@name='D']"));
});

test('the emitter: an XSD pattern it cannot translate, in an XSD that an imported XSD imports, names both imports', async () => {
  const b = '  <xs:simpleType name="P">\n    <xs:restriction base="xs:string"><xs:pattern value="[a-"/></xs:restriction>\n  </xs:simpleType>\n';
  assert.match(await stderrFor(b), viaChain('3:3', 'unsupported XSD pattern "\\[a-" \\(not a valid regular expression here\\)', "/schema/simpleType[@name='P']"));
});

test('the emitter: a body element of an imported XSD that is not a sequence type names both imports', async () => {
  // Ping's request is b:Ping, whose type is an ArrayOf-like list: a type, but not the sequence a wrapper must be.
  const wsdl = IMPORTS_A.replace('element="tns:Ping"', 'element="b:Ping" xmlns:b="urn:b"');
  const b =
    '  <xs:complexType name="Ints"><xs:sequence><xs:element name="I" type="xs:int" maxOccurs="unbounded"/></xs:sequence></xs:complexType>\n' +
    '  <xs:element name="Ping" type="b:Ints"/>\n';
  const stderr = await run({ 'main.wsdl': wsdl, 'a.xsd': A_IMPORTS_B, 'b.xsd': schema('urn:b', b) });
  const message = 'operation "Ping": body element "Ping" must have a sequence type \\(document/literal wrapped\\)';
  assert.match(stderr, viaChain('4:3', message, "/schema/element[@name='Ping']", { text: wsdl }));
});

test('the planner, two WSDLs: a type of an imported XSD defined differently in the other WSDL names the imports of the one it is in', async () => {
  const b = '  <xs:complexType name="T">\n    <xs:sequence><xs:element name="X" type="xs:int"/></xs:sequence>\n  </xs:complexType>\n';
  const inline = `<xs:schema targetNamespace="urn:b"><xs:complexType name="T"><xs:sequence><xs:element name="X" type="xs:string"/></xs:sequence></xs:complexType></xs:schema>`;
  // Zeta (agent name) is planned after Alpha, so the error is at Zeta's definition: the one in b.xsd.
  const zeta = miniWsdl({ portType: 'Zeta', extraSchemas: IMPORTER });
  const alpha = miniWsdl({ portType: 'Alpha', extraSchemas: inline });
  const stderr = await run({ 'zeta.wsdl': zeta, 'alpha.wsdl': alpha, 'a.xsd': A_IMPORTS_B, 'b.xsd': schema('urn:b', b) }, ['zeta.wsdl', 'alpha.wsdl']);
  const message =
    'type T \\(namespace urn:b\\) is defined differently in alpha\\.wsdl and zeta\\.wsdl: its element X is xs:string in one and xs:int in the other\\. ' +
    'Generate these WSDLs into separate folders';
  assert.match(stderr, viaChain('3:3', message, "/schema/complexType[@name='T']", { wsdl: 'zeta.wsdl', text: zeta }));
});

test('the reader, as before: a minInclusive that is no literal of its base, in an XSD that an imported XSD imports, names both imports', async () => {
  const b = '  <xs:simpleType name="R">\n    <xs:restriction base="xs:int"><xs:minInclusive value="x"/></xs:restriction>\n  </xs:simpleType>\n';
  const at = positionOf(schema('urn:b', b), '<xs:minInclusive');
  assert.match(await stderrFor(b), viaChain(at, 'xs:minInclusive value "x" of type R is not an xs:int literal', "/schema/simpleType[@name='R']/restriction/minInclusive"));
});

test('the reader, as before: a type declared in an imported XSD and again in the XSD it includes names the imports of the second', async () => {
  const a = schema('urn:a', '  <xs:include schemaLocation="b.xsd"/>\n  <xs:complexType name="X"><xs:sequence/></xs:complexType>\n');
  const b = schema('urn:a', '  <xs:complexType name="X"><xs:sequence/></xs:complexType>\n');
  const stderr = await run({ 'main.wsdl': IMPORTS_A, 'a.xsd': a, 'b.xsd': b });
  assert.match(stderr, viaChain('3:3', 'type "X" is declared twice in namespace urn:a \\(the first at a\\.xsd:4:3\\)', "/schema/complexType[@name='X']", { by: 'include' }));
});

test('an error in the WSDL itself reads as it did: its place, the message, its path, no import', async () => {
  const wsdl = miniWsdl({ schema: '<xs:complexType name="A"><xs:sequence/><xs:attribute name="id" type="xs:int"/></xs:complexType>' });
  const stderr = await run({ 'main.wsdl': wsdl });
  const at = positionOf(wsdl, '<xs:attribute');
  assert.equal(
    stderr,
    `gen-services86: main.wsdl:${at}: unsupported XSD construct: attributes on complex type "A" (xs:attribute id) ` +
      `(at /definitions[@name='TestService']/types/schema/complexType[@name='A']/attribute[@name='id'])\n`,
  );
});

test("a reading error's imports cross from a reader thread to the main thread whole", () => {
  const dir = join(work, `case-${++cases}`);
  mkdirSync(dir);
  writeFileSync(join(dir, 'main.wsdl'), IMPORTS_A);
  writeFileSync(join(dir, 'a.xsd'), A_IMPORTS_B);
  writeFileSync(join(dir, 'b.xsd'), schema('urn:b', '  <xs:complexType name="B"><xs:choice/></xs:complexType>\n'));
  const outcome = toOutcome(() => readAgent(loadLocalInput(join(dir, 'main.wsdl'))));
  assert.ok('failure' in outcome);
  let direct: GenerateError | undefined;
  try {
    readAgent(loadLocalInput(join(dir, 'main.wsdl')));
  } catch (err) {
    direct = err as GenerateError;
  }
  const crossed = fromFailure(structuredClone(outcome.failure));
  assert.ok(crossed instanceof GenerateError && direct instanceof GenerateError);
  assert.match(crossed.describe(), /xs:import schemaLocation "a\.xsd": .*xs:import schemaLocation "b\.xsd": .*b\.xsd:3:28: unsupported XSD construct: xs:choice/);
  assert.equal(crossed.describe(), direct.describe());
});
