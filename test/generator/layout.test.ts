// The one line-layout rule (generator/emit/layout.ts), and every construct it lays out, as the
// exact text it generates in both its forms. The 56 Services86 WSDLs never break some of these
// constructs (the codec type, an operation's extras), so a template or view edit that spoiled one
// would go unnoticed but here: the long names of test/support/long-names-wsdl.ts break them all.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { layout, MAX_LINE, union, type List } from '../../generator/emit/layout.js';
import { buildFiles } from '../../generator/generate.js';
import { CODE_PATTERN, EMPTY, LONG, longName, longNamesWsdl, NAMED, ODD_ACTION, SEND } from '../support/long-names-wsdl.js';
import { tempDir } from '../support/temp-dir.js';

describe('layout.ts', () => {
  const call = (items: readonly (string | List)[], options: Partial<List> = {}): List => ({ open: 'f(', items, close: ');', ...options });

  test(`one line when it has at most ${MAX_LINE} characters, indentation included; else one item per line, one step deeper`, () => {
    const item = 'a'.repeat(MAX_LINE - '  f(, b);'.length);
    assert.equal(layout('  ', call([item, 'b'])), `  f(${item}, b);`);
    assert.equal(layout('  ', call([`${item}a`, 'b'])), `  f(\n    ${item}a,\n    b,\n  );`);
  });

  test('options: spaced, no trailing comma, always broken (but an empty list is [] and breaks nothing)', () => {
    const long = 'x'.repeat(MAX_LINE);
    assert.equal(layout('', { open: 'export {', items: ['a', 'b'], close: "} from './m.js';", spaced: true }), "export { a, b } from './m.js';");
    assert.equal(layout('', { open: 'T<', items: ['A', long], close: '>;', trailingComma: false }), `T<\n  A,\n  ${long}\n>;`);
    assert.equal(layout('', call(['a'], { broken: true })), 'f(\n  a,\n);');
    assert.equal(layout('', call([], { broken: true })), 'f();');
    assert.equal(layout('', call(['x', { open: '[', items: [], close: ']', broken: true }])), 'f(x, []);');
  });

  test('a list inside a broken list is laid out on its own line, or broken with it (breakInner); an always broken one breaks its parent', () => {
    const long = 'x'.repeat(MAX_LINE);
    const inner: List = { open: '{', items: ['a', 'b'], close: '}', spaced: true };
    assert.equal(layout('', call([long, inner])), `f(\n  ${long},\n  { a, b },\n);`);
    assert.equal(layout('', call([long, inner], { breakInner: true })), `f(\n  ${long},\n  {\n    a,\n    b,\n  },\n);`);
    assert.equal(layout('', call(['x', { ...inner, broken: true }])), 'f(\n  x,\n  {\n    a,\n    b,\n  },\n);');
  });

  test('hugLast: the last list broken alone while the first line fits', () => {
    const items = ['a'.repeat(80), 'b'.repeat(80)];
    const form = (first: string): List => ({ open: '[', items: [first, { open: '[', items, close: ']' }], close: '];', hugLast: true });
    assert.equal(layout('', form("'x'")), `['x', [\n  ${items[0]},\n  ${items[1]},\n]];`);
    const long = 'x'.repeat(MAX_LINE);
    assert.equal(layout('', form(long)), `[\n  ${long},\n  [\n    ${items[0]},\n    ${items[1]},\n  ],\n];`);
  });

  test('union: one line when it fits, else one `| T` per line; none is never', () => {
    assert.equal(union('', 'export type A =', ["'a'", "'b'"], ';'), "export type A = 'a' | 'b';");
    const long = `'${'x'.repeat(MAX_LINE)}'`;
    assert.equal(union('', 'export type A =', ["'a'", long], ';'), `export type A =\n  | 'a'\n  | ${long};`);
    assert.equal(union('', 'export type A =', [], ';'), 'export type A = never;');
  });
});

describe('every broken construct of the generated files', () => {
  // FIRST breaks every construct of its agent (and, with SECOND, the entry's union); SECOND's
  // super call does not fit, but its object would on a line of its own.
  const FIRST = longName('First', 120);
  const SECOND = 'Second';
  let dir: string;
  let files: Map<string, string>;
  before(() => {
    dir = tempDir('layout');
    const paths = [FIRST, SECOND].map((name) => {
      const path = join(dir, `${name}.wsdl`);
      writeFileSync(path, longNamesWsdl(name));
      return path;
    });
    files = new Map(buildFiles(paths).files.map((f) => [f.path, f.content]));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** Asserts that `block` occurs in the file as whole consecutive lines. */
  function assertBlock(path: string, block: string): void {
    const content = files.get(path);
    assert.ok(content !== undefined, `${path} is generated`);
    if (!`\n${content}`.includes(`\n${block}\n`)) assert.fail(`expected in ${path}:\n${block}\n\n--- ${path} ---\n${content}`);
  }

  test('operations.ts: the factory call, the codec type, an operation\'s codec types and its extras object', () => {
    const ops = `${FIRST}/operations.ts`;
    assertBlock(ops, `const operation = ri.operationFactory(\n  ${FIRST}Schema,\n  '1.1',\n  'http://example.com/test/',\n);`);
    assertBlock(ops, `type Codec<I, O, R> = ri.OperationCodec<\n  I,\n  O,\n  T.${FIRST}RequestHeaders,\n  T.${FIRST}ResponseHeaders,\n  R\n>;`);
    assertBlock(
      ops,
      [
        `type ${FIRST}OperationCodecs = {`,
        '  Ping: Codec<T.PingRequest, T.PingResponse, void>;',
        `  ${SEND}: Codec<`,
        `    T.${SEND}Request,`,
        `    T.${SEND}Response,`,
        `    T.${SEND}Response`,
        '  >;',
        '  Odd: Codec<T.OddRequest, T.OddResponse, void>;',
        '};',
      ].join('\n'),
    );
    assertBlock(ops, `  Ping: operation(\n    'Ping 0 PingRequest',\n    'PingResponse 0 PingResponse',\n    'nothing',\n  ),`);
    assertBlock(
      ops,
      `  Odd: operation(\n    'Odd 0 OddRequest',\n    'OddResponse 0 OddResponse',\n    'nothing',\n    {\n      soapAction: '${ODD_ACTION}',\n    },\n  ),`,
    );
  });

  test("client.ts: the super call, its object broken with it; a method's signature", () => {
    const client = `${FIRST}/client.ts`;
    assertBlock(
      `${SECOND}/client.ts`,
      [
        '    super(',
        `      ${SECOND}Operations,`,
        '      {',
        `        service: '${SECOND}',`,
        "        defaultEndpoint: 'http://127.0.0.1:8080/Remote/Services86/Test.svc',",
        "        servicePath: 'Remote/Services86/Test.svc',",
        '      },',
        '      options,',
        '    );',
      ].join('\n'),
    );
    assertBlock(client, '  ping(input?: T.PingRequest, options?: rt.CallOptions): Promise<void> {');
    const method = SEND[0]!.toLowerCase() + SEND.slice(1);
    assertBlock(client, `  ${method}(\n    input: T.${SEND}Request,\n    options?: rt.CallOptions,\n  ): Promise<T.${SEND}Response> {`);
  });

  test('mock.ts: the signature, the call, its object broken too when it does not fit on a line of its own', () => {
    // The object was a text item, kept on one line at 183 characters. It still stays whole when it
    // fits on its own line (UserDefinedFieldInfo's call is broken, its object is not).
    assertBlock(
      `${FIRST}/mock.ts`,
      [
        `export function create${FIRST}MockServer(`,
        `  handlers: ${FIRST}MockHandlers = {},`,
        '  options: rtm.MockServerOptions = {},',
        `): ${FIRST}MockServer {`,
        '  return rtm.createMockServer(',
        `    ${FIRST}Operations,`,
        '    handlers,',
        '    {',
        `      service: '${FIRST}',`,
        "      servicePath: 'Remote/Services86/Test.svc',",
        '    },',
        '    options,',
        '  );',
        '}',
      ].join('\n'),
    );
    assertBlock(`${SECOND}/mock.ts`, `  return rtm.createMockServer(${SECOND}Operations, handlers, { service: '${SECOND}', servicePath: 'Remote/Services86/Test.svc' }, options);`);
  });

  test("index.ts: an agent's export lists, the entry's union of services", () => {
    const index = `${FIRST}/index.ts`;
    assertBlock(index, `export { ${FIRST}Schema } from './metadata.js';`);
    assertBlock(index, `export {\n  ${LONG}KindValues,\n  ${LONG}ModeValues,\n  ${LONG}SideValues,\n} from '../shared/metadata.js';`);
    assertBlock('index.ts', `export type SuperOfficeService =\n  | '${FIRST}'\n  | '${SECOND}';`);
  });

  test("index.ts: the session's agent getter calls this.agent(...), broken when it does not fit", () => {
    // The template wrote the call on one line: 273 characters for FIRST.
    assertBlock('index.ts', `  get ${FIRST[0]!.toLowerCase()}${FIRST.slice(1)}(): ${FIRST}Agent {\n    return this.agent(\n      '${FIRST}',\n      ${FIRST}Agent,\n    );\n  }`);
    assertBlock('index.ts', `  get second(): ${SECOND}Agent {\n    return this.agent('${SECOND}', ${SECOND}Agent);\n  }`);
  });

  test(`no code line has more than ${MAX_LINE} characters but those one name or literal makes long (layout.ts)`, () => {
    // What layout.ts leaves to the templates as a line of its own, whatever its length: an import
    // or export of one name, a declaration's head, a property of one string literal. Anything else
    // past MAX_LINE is a list written outside layout(). Comment lines are not wrapped.
    const oneNameOrLiteral = [
      /^(import|export) \{ [\w$]+ \} from '[^']+';$/,
      /^export class [\w$]+ extends [\w$.]+<typeof [\w$]+> \{$/,
      /^export type [\w$]+ = [\w$.]+<typeof [\w$]+>;$/,
      /^export const [\w$]+: [\w$.]+ = (\{|[\w$.]+\()$/,
      /^ {2}get [\w$]+\(\): [\w$]+ \{$/,
      /^ +[\w$]+: '[^']*',$/,
    ];
    const long: string[] = [];
    for (const [path, content] of files) {
      if (path.startsWith('runtime/')) continue;
      content.split('\n').forEach((line, i) => {
        if (line.length > MAX_LINE && !/^\s*(\/\/|\/\*\*|\*)/.test(line) && !oneNameOrLiteral.some((shape) => shape.test(line))) long.push(`${path}:${i + 1} (${line.length}): ${line}`);
      });
    }
    assert.deepEqual(long, []);
  });

  test('types.ts: an enumeration union', () => {
    const values = Array.from({ length: 10 }, (_, i) => `  | 'Value${i}'`).join('\n');
    assertBlock('shared/types.ts', `export type ${LONG}Kind =\n${values};`);
    assertBlock('shared/types.ts', `export type ${LONG}Mode = 'Value0' | 'Value1';`);
  });

  test('metadata.ts: each form on one line, its last list broken, or every argument broken', () => {
    const meta = 'shared/metadata.ts';
    const element = (name: string) => `'${name} 0 xs:string optional nillable'`;
    const values = Array.from({ length: 10 }, (_, i) => `  'Value${i}',`).join('\n');
    assertBlock(meta, `export const ${LONG}KindValues: readonly T.${LONG}Kind[] = [\n${values}\n];`);
    assertBlock(meta, `export const ${LONG}ModeValues: readonly T.${LONG}Mode[] = ['Value0', 'Value1'];`);
    // A complex or extension form with elements: one element per line, whether or not it would fit on one.
    assertBlock(meta, `export const Few: ri.TypeForm = ['complex', 'Few', 0, [\n  ${element('Few0')},\n  ${element('Few1')},\n]];`);
    assertBlock(meta, `export const Many: ri.TypeForm = ['complex', 'Many', 0, [\n${[0, 1, 2, 3].map((i) => `  ${element(`Many${i}`)},`).join('\n')}\n]];`);
    assertBlock(
      meta,
      `export const Derived: ri.TypeForm = ['extension', 'Derived', 0, 'Few', [\n${[0, 1, 2, 3].map((i) => `  ${element(`Derived${i}`)},`).join('\n')}\n]];`,
    );
    assertBlock(meta, `export const ${NAMED}: ri.TypeForm = [\n  'complex',\n  '${NAMED}',\n  0,\n  [\n    ${element(`${NAMED}0`)},\n  ],\n];`);
    assertBlock(meta, `export const ${EMPTY}: ri.TypeForm = [\n  'complex',\n  '${EMPTY}',\n  0,\n  [],\n];`);
    assertBlock(meta, "export const OddRequest: ri.TypeForm = ['complex', 'Odd', 0, []];");
    assertBlock(meta, `export const ArrayOf${LONG}: ri.TypeForm = [\n  'array',\n  'ArrayOf${LONG}',\n  0,\n  '${LONG} 0 Few optional nillable repeated',\n];`);
    assertBlock(
      meta,
      `export const ${LONG}Map: ri.TypeForm = [\n  'dictionary',\n  '${LONG}Map',\n  0,\n  '${LONG}MapKeyValuePair 0 - optional repeated',\n  'Key 0 xs:string nillable',\n  'Value 0 xs:string nillable',\n];`,
    );
    assertBlock(meta, `export const Code: ri.TypeForm = ['restricted', 'xs:string', [\n  '^(?:${CODE_PATTERN})$',\n]];`);
  });
});
