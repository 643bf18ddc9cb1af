// The README's TypeScript must compile the way the README tells users to compile, so the
// documentation cannot drift from the code:
// - every ```ts block compiles, in ONE program, under the compiler options of the README's own
//   copy-paste tsconfig.json (strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess,
//   noPropertyAccessFromIndexSignature): blocks that import `./…/EMail/index.js` (or mock.js)
//   against the committed generated/EMail, the "Several agents" blocks (`./superoffice/index.js`)
//   against EMail, Person and SoPrincipal generated into one folder, the programmatic API
//   (`'gen-services86'`) against the package's declarations;
// - the README's package.json is an ES module package;
// - what the README says about CommonJS: with verbatimModuleSyntax off, a CommonJS package
//   compiles and runs the output; with `tsc --init`'s verbatimModuleSyntax, the first error tsc
//   prints is TS1295, which says to set "type" in package.json.
// Slow tier: each tsc run loads TypeScript and its libraries.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import ts from 'typescript';
import { buildFiles } from '../generator/generate.js';
import { repoRoot, wsdlFixturesDir } from './support/paths.js';
import { tempDir } from './support/temp-dir.js';

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const tsBlocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
const jsonBlocks = [...readme.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]!) as Record<string, unknown>);
const tscBin = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');

/** Blocks that import a folder's entry point (`./superoffice/index.js`) use several agents. */
const SEVERAL_AGENTS = /from '\.\/superoffice\/index\.js'/;
const EMAIL_IMPORT = /from '\.\/[\w/]*EMail\/(index|mock)\.js'/g;
const API_IMPORT = /from 'gen-services86'/g;

/** The README's tsconfig.json block: the one with compilerOptions. */
function readmeTsconfig(): { compilerOptions: Record<string, unknown> } {
  const found = jsonBlocks.filter((b) => 'compilerOptions' in b);
  assert.equal(found.length, 1, 'the README shows one tsconfig.json');
  return found[0] as { compilerOptions: Record<string, unknown> };
}

/** The README's package.json block: the one with devDependencies. */
function readmePackageJson(): Record<string, unknown> {
  const found = jsonBlocks.filter((b) => 'devDependencies' in b);
  assert.equal(found.length, 1, 'the README shows one package.json');
  return found[0]!;
}

/** Names the README's snippets use without declaring them, declared only where a block does not. */
function prelude(block: string): string {
  const lines: string[] = [];
  for (const name of ['ticket', 'applicationToken']) {
    if (new RegExp(`\\b${name}\\b`).test(block) && !new RegExp(`\\b(?:const|let|var) ${name}\\b`).test(block)) lines.push(`declare const ${name}: string;`);
  }
  // A block that only continues an earlier one reuses its agent.
  if (/\bemail\./.test(block) && !/\bconst email\b/.test(block)) {
    lines.push(`declare const email: import('${join(repoRoot, 'generated', 'EMail', 'index.js')}').EMailAgent;`);
  }
  return lines.map((l) => `${l}\n`).join('');
}

let work: string;

before(() => {
  work = tempDir('readme');
  // The hooks example imports @opentelemetry/api, as a user's project with it installed does.
  mkdirSync(join(work, 'node_modules'));
  symlinkSync(join(repoRoot, 'node_modules', '@opentelemetry'), join(work, 'node_modules', '@opentelemetry'));
});

after(() => rmSync(work, { recursive: true, force: true }));

describe('README: the project setup it recommends', () => {
  test('package.json is an ES module package that generates in prebuild', () => {
    const pkg = readmePackageJson();
    assert.equal(pkg['type'], 'module');
    assert.match(String((pkg['scripts'] as Record<string, string>)['prebuild']), /^gen-services86 /);
  });

  test('tsconfig.json has the flags the generated code is tested with, and ES2022 + NodeNext', () => {
    const options = readmeTsconfig().compilerOptions;
    for (const flag of ['strict', 'exactOptionalPropertyTypes', 'noUncheckedIndexedAccess', 'noPropertyAccessFromIndexSignature']) {
      assert.equal(options[flag], true, flag);
    }
    assert.equal(options['module'], 'NodeNext');
    assert.equal(options['target'], 'ES2022');
    assert.equal(options['verbatimModuleSyntax'], undefined, 'the README says verbatimModuleSyntax is off in its tsconfig');
  });

  test('test/consumer (the example project the consumer test builds) uses exactly that tsconfig.json', () => {
    assert.deepEqual(JSON.parse(readFileSync(join(repoRoot, 'test', 'consumer', 'tsconfig.json'), 'utf8')), readmeTsconfig());
  });

  test('every TypeScript block compiles under that tsconfig.json', () => {
    // The "Several agents" blocks use a folder of three agents.
    const several = join(work, 'several');
    for (const f of buildFiles(['EMail', 'Person', 'SoPrincipal'].map((n) => join(wsdlFixturesDir, `${n}.wsdl`))).files) {
      mkdirSync(dirname(join(several, 'superoffice', f.path)), { recursive: true });
      writeFileSync(join(several, 'superoffice', f.path), f.content);
    }
    const roots = tsBlocks.map((block, i) => {
      let source = block;
      let dir = work;
      if (SEVERAL_AGENTS.test(block)) dir = several;
      else {
        source = source.replace(EMAIL_IMPORT, (_m, f: string) => `from '${join(repoRoot, 'generated', 'EMail', `${f}.js`)}'`);
        // The package's entry point, as a consumer's tsc sees it: its declarations.
        source = source.replace(API_IMPORT, `from '${join(repoRoot, 'dist', 'generator', 'generate.js')}'`);
      }
      const path = join(dir, `block${i + 1}.ts`);
      writeFileSync(path, `${prelude(block)}${source}\nexport {};\n`);
      return path;
    });
    assert.ok(tsBlocks.length >= 6, `the README has its examples (${tsBlocks.length} blocks)`);

    const parsed = ts.convertCompilerOptionsFromJson(readmeTsconfig().compilerOptions, work);
    assert.deepEqual(parsed.errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')), []);
    // rootDir/outDir are for the user's src/; here nothing is emitted.
    const options: ts.CompilerOptions = { ...parsed.options, noEmit: true, typeRoots: [join(repoRoot, 'node_modules', '@types')] };
    delete options.rootDir;
    delete options.outDir;
    const program = ts.createProgram({ rootNames: roots, options });
    const messages = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file && d.start !== undefined ? `${d.file.fileName.slice(work.length + 1)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}` : '';
      return `${where} TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    assert.deepEqual(messages, []);
  });
});

describe('README: CommonJS packages', () => {
  /** A CommonJS package with the generated EMail client and a main.ts that uses it. */
  function cjsProject(name: string, compilerOptions: Record<string, unknown>): string {
    const dir = join(work, name);
    mkdirSync(join(dir, 'src'), { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', type: 'commonjs' }));
    cpSync(join(repoRoot, 'generated'), join(dir, 'src', 'superoffice'), { recursive: true });
    writeFileSync(
      join(dir, 'src', 'main.ts'),
      [
        "import { EMailOperations } from './superoffice/EMail/index.js';",
        'const xml = EMailOperations.SyncEmailAccount.encodeRequest({ SyncUserAccount: { AccountId: 7 } });',
        'console.log(xml.includes(">7</") ? "encoded" : xml);',
        '',
      ].join('\n'),
    );
    const typeRoots = [join(repoRoot, 'node_modules', '@types')];
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...compilerOptions, typeRoots, outDir: 'dist', rootDir: 'src' }, include: ['src/**/*.ts'] }));
    return dir;
  }

  test('with verbatimModuleSyntax off (the README tsconfig), the output compiles to require() calls and runs', () => {
    const dir = cjsProject('cjs-plain', readmeTsconfig().compilerOptions);
    const built = spawnSync(process.execPath, [tscBin, '-p', 'tsconfig.json'], { cwd: dir, encoding: 'utf8' });
    assert.equal(built.status, 0, built.stdout + built.stderr);
    assert.match(readFileSync(join(dir, 'dist', 'main.js'), 'utf8'), /require\("\.\/superoffice\/EMail\/index\.js"\)/);
    assert.equal(execFileSync(process.execPath, [join(dir, 'dist', 'main.js')], { encoding: 'utf8' }), 'encoded\n');
  });

  test("with tsc --init's verbatimModuleSyntax, the first error says to set \"type\" in package.json", () => {
    // What `tsc --init` (5.9) writes, minus JSX, plus the fetch typings the README asks for.
    const dir = cjsProject('cjs-init', {
      module: 'nodenext',
      target: 'esnext',
      types: ['node'],
      strict: true,
      noUncheckedIndexedAccess: true,
      exactOptionalPropertyTypes: true,
      verbatimModuleSyntax: true,
      isolatedModules: true,
      noUncheckedSideEffectImports: true,
      moduleDetection: 'force',
      skipLibCheck: true,
    });
    const built = spawnSync(process.execPath, [tscBin, '-p', 'tsconfig.json', '--pretty', 'false'], { cwd: dir, encoding: 'utf8' });
    assert.notEqual(built.status, 0);
    const first = built.stdout.split('\n')[0]!;
    assert.match(first, /error TS1295: ECMAScript imports and exports cannot be written in a CommonJS file under 'verbatimModuleSyntax'\. Adjust the 'type' field in the nearest 'package\.json' to make this file an ECMAScript module/);
    // The README quotes it.
    assert.ok(readme.includes('error TS1295: ECMAScript imports and exports cannot be written in a CommonJS file under \'verbatimModuleSyntax\'. Adjust the \'type\' field in the nearest \'package.json\' to make this file an ECMAScript module'));
  });
});
