// Every Services86 WSDL (and a deliberately hostile one) generates, compiles under strict
// TypeScript, is already in the pinned formatter's style, and is byte-identical when generated
// again. The committed generated/ folder is the golden tree for EMail.wsdl.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { formatTypeScript } from '../../generator/emit/format.js';
import { buildFiles, buildFilesParallel, GenerateErrors, regenerateCommand, type GeneratedFile } from '../../generator/generate.js';
import { findStale } from '../../generator/output/write.js';
import { miniWsdl } from '../support/mini-wsdl.js';
import { repoRoot, wsdlFixturesDir } from '../support/paths.js';
import { STRICTEST, typeCheck } from '../support/tsc.js';

const wsdlNames = readdirSync(wsdlFixturesDir).filter((f) => f.endsWith('.wsdl')).sort();

/** A WSDL whose names and documentation try everything that could break the output. */
function hostileWsdl(): string {
  const names = ['delete', 'class', 'default', 'Date', 'Promise', 'Object', 'Error', 'rt', 'T', '1st', 'a-b', 'a.b', 'Foo', 'foo', 'Record'];
  return miniWsdl({
    portType: 'Hostile',
    schema:
      names
        .map(
          (n) =>
            `<xs:complexType name="${n}"><xs:annotation><xs:documentation>*/ throw new Error(\`\${"x"}\`); /* &lt;/script&gt;</xs:documentation></xs:annotation>` +
            `<xs:sequence><xs:element minOccurs="0" name="${n}" nillable="true" type="tns:${n === 'Foo' ? 'foo' : 'Foo'}"/>` +
            `<xs:element minOccurs="0" name="constructor" type="xs:string"/><xs:element minOccurs="0" name="__proto__" type="xs:int"/></xs:sequence></xs:complexType>`,
        )
        .join('') +
      '<xs:simpleType name="enum"><xs:restriction base="xs:string"><xs:enumeration value="it\'s"/><xs:enumeration value="a\\b"/><xs:enumeration value="*/"/></xs:restriction></xs:simpleType>',
    operations: [
      { name: 'delete', request: '<xs:element minOccurs="0" name="class" type="tns:class"/>', response: '<xs:element minOccurs="0" name="Response" type="tns:Date"/>', documentation: '*/ }); process.exit(1); ({ /*' },
      { name: 'constructor', request: '<xs:element name="x" type="tns:enum"/>' },
      { name: 'Invoke', response: '<xs:element minOccurs="0" name="Response" nillable="true" type="xs:anyType"/>' },
      { name: 'endpoint' },
    ],
  });
}

let workDir: string;
let allFiles: GeneratedFile[];

before(() => {
  workDir = mkdtempSync(join(tmpdir(), 'gen-services86-all-'));
  writeFileSync(join(workDir, 'Hostile.wsdl'), hostileWsdl());
  allFiles = buildFiles([...wsdlNames.map((n) => join(wsdlFixturesDir, n)), join(workDir, 'Hostile.wsdl')]).files;
});

after(() => rmSync(workDir, { recursive: true, force: true }));

describe('all 56 Services86 WSDLs', () => {
  test('the fixtures are the 56 WSDLs', () => {
    assert.equal(wsdlNames.length, 56);
  });

  test('the output has one folder per WSDL, the hostile one, the runtime, the shared types and the entry point', () => {
    const top = new Set(allFiles.map((f) => f.path.split('/')[0]!));
    assert.equal(top.size, 60);
    assert.ok(top.has('shared') && top.has('index.ts') && top.has('runtime'));
  });
});

describe('each output compiles under tsc --strict (with exactOptionalPropertyTypes and noUncheckedIndexedAccess)', () => {
  /** Diagnostics of one program over all outputs, by top folder (one agent, or the runtime). */
  const byFolder = new Map<string, string[]>();

  before(() => {
    const outDir = join(workDir, 'out');
    for (const f of allFiles) {
      mkdirSync(dirname(join(outDir, f.path)), { recursive: true });
      writeFileSync(join(outDir, f.path), f.content);
    }
    writeFileSync(join(outDir, 'package.json'), '{"type":"module"}');
    for (const d of typeCheck(allFiles.map((f) => join(outDir, f.path)), outDir, STRICTEST)) {
      const folder = d.file ? d.file.split(/[\\/]/)[0]! : '(global)';
      byFolder.set(folder, [...(byFolder.get(folder) ?? []), d.text]);
    }
  });

  for (const folder of [...wsdlNames.map((n) => n.replace(/\.wsdl$/, '')), 'Hostile', 'runtime', 'shared']) {
    test(folder, () => {
      assert.ok(allFiles.some((f) => f.path.startsWith(`${folder}/`)), `${folder}/ was generated`);
      assert.deepEqual(byFolder.get(folder) ?? [], [], `${folder} compiles without errors`);
    });
  }

  test('no diagnostics outside the generated folders', () => {
    const known = new Set([...wsdlNames.map((n) => n.replace(/\.wsdl$/, '')), 'Hostile', 'runtime', 'shared']);
    assert.deepEqual([...byFolder.keys()].filter((k) => !known.has(k)), []);
  });
});

describe('generated files', () => {
  test('every generated file is already formatted as the pinned printer prints it', () => {
    for (const f of allFiles.filter((f) => !f.path.startsWith('runtime/'))) {
      assert.equal(formatTypeScript(f.path, f.content), f.content, `${f.path} is not in the pinned format`);
    }
  });

  test('generating again, spread over worker threads, gives byte-identical output', async () => {
    const again = (await buildFilesParallel([...wsdlNames.map((n) => join(wsdlFixturesDir, n)), join(workDir, 'Hostile.wsdl')])).files;
    assert.equal(again.length, allFiles.length);
    for (let i = 0; i < again.length; i++) {
      assert.equal(again[i]!.path, allFiles[i]!.path);
      assert.ok(again[i]!.content === allFiles[i]!.content, `${again[i]!.path} differs between two runs`);
    }
  });

  test('in parallel runs, every failing WSDL is reported, in input order', async () => {
    const broken = join(workDir, 'Broken.wsdl');
    writeFileSync(broken, miniWsdl({ portType: 'BrokenOne', schema: '<xs:complexType name="A"><xs:sequence><xs:element name="B" type="tns:Missing"/></xs:sequence></xs:complexType>' }));
    const inputs = wsdlNames.map((n) => join(wsdlFixturesDir, n));
    // Three failures: a missing file first, Broken.wsdl in the middle (on whichever thread), and Broken.wsdl's copy at the end.
    const broken2 = join(workDir, 'Broken2.wsdl');
    writeFileSync(broken2, miniWsdl({ portType: 'BrokenTwo', schema: '<xs:element name="X" type="xs:choice"/>' }));
    const paths = [join(workDir, 'missing.wsdl'), ...inputs.slice(0, 30), broken, ...inputs.slice(30), broken2];
    await assert.rejects(buildFilesParallel(paths), (err: unknown) => {
      assert.ok(err instanceof GenerateErrors, String(err));
      const lines = err.describe().split('\n');
      assert.equal(lines.length, 3, err.describe());
      assert.match(lines[0]!, /missing\.wsdl: no such file$/);
      // Each WSDL named as given (docLabel: relative to the working directory when inside it), then line:column.
      assert.ok(lines[1]!.startsWith(`${broken}:`) && /\/Broken\.wsdl:\d+:\d+: type "Missing"/.test(lines[1]!), lines[1]);
      assert.ok(lines[2]!.startsWith(`${broken2}:`) && /\/Broken2\.wsdl:\d+:\d+: /.test(lines[2]!), lines[2]);
      return true;
    });
  });

  test('every file starts with the generated-file header naming its WSDL', () => {
    for (const f of allFiles) {
      if (f.path.startsWith('runtime/')) assert.match(f.content, /^\/\/ @generated by gen-services86 \(runtime/);
      // The shared types and the entry point come from all WSDLs of the run.
      else if (f.path.startsWith('shared/') || f.path === 'index.ts') assert.match(f.content, /^\/\/ @generated by gen-services86 from Appointment\.wsdl … Webhook\.wsdl \(57 WSDLs\) — do not edit\.\n/);
      else assert.match(f.content, /^\/\/ @generated by gen-services86 from [A-Za-z0-9]+\.wsdl — do not edit\.\n/);
    }
  });

  test('no text from the hostile WSDL escapes into code', () => {
    const hostile = allFiles.filter((f) => f.path.startsWith('Hostile/'));
    for (const f of hostile) {
      assert.doesNotMatch(f.content, /^\s*throw new Error/m, f.path);
      assert.doesNotMatch(f.content, /^\s*\}\); process\.exit/m, f.path);
    }
  });
});

describe('golden tree', () => {
  test('generated/ is exactly what EMail.wsdl generates (update: npm run golden:update)', () => {
    // As `npm run golden:update` runs it, from the repository root.
    const wsdl = join(wsdlFixturesDir, 'EMail.wsdl');
    const regenerate = regenerateCommand({ inputs: [wsdl], outDir: join(repoRoot, 'generated'), cwd: repoRoot });
    assert.equal(regenerate, 'npx gen-services86 test/fixtures/wsdl/EMail.wsdl -o generated');
    const { files } = buildFiles([wsdl], { regenerate });
    assert.deepEqual(findStale(join(repoRoot, 'generated'), files), []);
  });
});
