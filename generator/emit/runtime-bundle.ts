// The runtime as the generated code receives it: two modules assembled from the sources in
// templates/runtime/, so that importing a client loads one runtime module instead of a dozen (each
// ES module costs its own resolve, load and link on a cold start; see the bench's cold-start case).
//
//   runtime/index.ts        every client module (errors, XML reader, scalars, codecs, agent …) in
//                           dependency order, each under a banner naming its source file; the
//                           sources' relative imports are dropped, their exports kept.
//   runtime/mock-server.ts  the mock server, importing from './index.js' — kept apart so a client
//                           bundle never carries it (nor its lazy node:http import). Its parts in
//                           other mock-*.ts sources (mock-rest.ts) are appended to it, each under a
//                           banner, their imports of names mock-server.ts already imports dropped.
//
// The sources stay the unit of development and testing; the assembled text is still their
// commented source, never minified. Module-private names must be unique across the sources: the
// assembler refuses a clash rather than rename anything.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { wrapWords } from './identifiers.js';

/** The sources that are not part of the client module. */
const ENTRY = 'index.ts';
const MOCK_SERVER = 'mock-server.ts';
/** Further sources of the mock server module (`mock-rest.ts`). */
const MOCK_PART = /^mock-[\w-]+\.ts$/;

/** `import … from './x.js';` (also over several lines, also `import type`). */
const RELATIVE_IMPORT = /^import\s(?:type\s)?[^;]*?\sfrom\s+'\.\/([\w-]+)\.js';\n/gm;
/** `export { … } from './x.js';` (the entry's re-exports). */
const RELATIVE_REEXPORT = /^export\s(?:type\s)?\{([^}]*)\}\s+from\s+'\.\/([\w-]+)\.js';\n/gm;
/** A top-level declaration and its name. */
const TOP_LEVEL = /^(export\s+)?(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?(?:const|let|var|function\*?|class|interface|type|enum)\s+([A-Za-z_$][\w$]*)/gm;

export interface RuntimeModule {
  /** File name inside the runtime folder. */
  readonly name: string;
  readonly content: string;
}

/** Assembles the runtime sources of `dir` into the two generated runtime modules. */
export function bundleRuntime(dir: string): RuntimeModule[] {
  const sources = new Map<string, string>();
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.ts') && !n.endsWith('.d.ts')).sort()) {
    sources.set(name, readFileSync(join(dir, name), 'utf8'));
  }
  const entry = sources.get(ENTRY);
  const mock = sources.get(MOCK_SERVER);
  if (entry === undefined || mock === undefined) throw new Error(`internal: ${dir} lacks ${ENTRY} or ${MOCK_SERVER}`);
  const mockParts = [...sources.keys()].filter((n) => n !== MOCK_SERVER && MOCK_PART.test(n));
  const modules = [...sources.keys()].filter((n) => n !== ENTRY && n !== MOCK_SERVER && !mockParts.includes(n));

  const order = dependencyOrder(modules, (name) => importsOf(sources.get(name)!, name).filter((d) => d !== MOCK_SERVER));
  checkUniqueNames(order, sources);

  const entryHeader = leadingComment(entry);
  const publicNames = checkReexports(entry, order, sources);
  const sections = order.map((name) => {
    const body = sources.get(name)!.replace(RELATIVE_IMPORT, '').replace(/^\n+/, '');
    return `// ${'-'.repeat(94)}\n// ${name}\n// ${'-'.repeat(94)}\n\n${body.trimEnd()}\n`;
  });
  const index =
    entryHeader +
    wrapComment(`Public API (templates/runtime/${ENTRY}): ${publicNames.join(', ')}. The other exports serve the generated code, the mock server and tests.`) +
    '//\n' +
    wrapComment(`Assembled from templates/runtime/: ${order.join(', ')}.`) +
    `\n${sections.join('\n')}`;
  const mockServer = assembleMock(mock, mockParts.map((name) => ({ name, text: sources.get(name)! })));
  return [
    { name: ENTRY, content: index },
    { name: MOCK_SERVER, content: mockServer },
  ];
}

/** `import … from './x.js';` of one module, with the names it brings in (for the mock's parts). */
const IMPORT_STATEMENT = /^import\s(type\s)?\{([^}]*)\}\s+from\s+'\.\/([\w-]+)\.js';\n/gm;

/**
 * The mock server module: mock-server.ts, its imports pointing at './index.js' (its own parts'
 * imports dropped), then each part under a banner, importing only the names not imported yet.
 */
function assembleMock(mock: string, parts: readonly { name: string; text: string }[]): string {
  const partModules = new Set(parts.map((p) => p.name.replace(/\.ts$/, '')));
  const imported = new Set<string>();
  const rewrite = (text: string): string =>
    text.replace(IMPORT_STATEMENT, (_, typeOnly: string | undefined, names: string, module: string) => {
      if (partModules.has(module) || module === MOCK_SERVER.replace(/\.ts$/, '')) return '';
      const specs = names
        .split(',')
        .map((n) => n.trim())
        .filter((n) => n !== '' && !imported.has(n.replace(/^type\s+/, '')));
      for (const n of specs) imported.add(n.replace(/^type\s+/, ''));
      return specs.length === 0 ? '' : `import ${typeOnly ?? ''}{ ${specs.join(', ')} } from './index.js';\n`;
    });
  let out = rewrite(mock);
  for (const part of parts) {
    const body = rewrite(part.text).replace(/^\n+/, '');
    out += `\n// ${'-'.repeat(94)}\n// ${part.name}\n// ${'-'.repeat(94)}\n\n${body.trimEnd()}\n`;
  }
  return out;
}

/** The runtime sources a module imports (file names). */
function importsOf(text: string, name: string): string[] {
  const deps = [...text.matchAll(RELATIVE_IMPORT)].map((m) => `${m[1]}.ts`);
  if (deps.includes(name)) throw new Error(`internal: runtime/${name} imports itself`);
  return deps;
}

/** Modules before the modules that import them; ties in name order, so the output is stable. */
function dependencyOrder(modules: readonly string[], deps: (name: string) => readonly string[]): string[] {
  const done = new Set<string>();
  const visiting = new Set<string>();
  const order: string[] = [];
  const visit = (name: string, from: string[]): void => {
    if (done.has(name)) return;
    if (visiting.has(name)) throw new Error(`internal: runtime import cycle ${[...from, name].join(' → ')}`);
    if (!modules.includes(name)) throw new Error(`internal: runtime/${from.at(-1)} imports ${name}, which is not a client module`);
    visiting.add(name);
    for (const d of [...deps(name)].sort()) visit(d, [...from, name]);
    visiting.delete(name);
    done.add(name);
    order.push(name);
  };
  for (const m of modules) visit(m, []);
  return order;
}

/** One module: no two sources may declare the same top-level name. */
function checkUniqueNames(order: readonly string[], sources: ReadonlyMap<string, string>): void {
  const owner = new Map<string, string>();
  for (const name of order) {
    for (const m of sources.get(name)!.matchAll(TOP_LEVEL)) {
      const id = m[2]!;
      const first = owner.get(id);
      // An interface may be declared twice in one file (merging); across files it is a clash.
      if (first !== undefined && first !== name) throw new Error(`internal: runtime/${first} and runtime/${name} both declare "${id}"`);
      owner.set(id, name);
    }
  }
}

/**
 * Every name the entry re-exports is exported by the module it names (so the assembled module
 * exports it); returns those names, in the entry's order.
 */
function checkReexports(entry: string, order: readonly string[], sources: ReadonlyMap<string, string>): string[] {
  const names: string[] = [];
  for (const m of entry.matchAll(RELATIVE_REEXPORT)) {
    const file = `${m[2]}.ts`;
    if (!order.includes(file)) throw new Error(`internal: runtime/${ENTRY} re-exports from ${file}, which is not a client module`);
    const exported = new Set([...sources.get(file)!.matchAll(TOP_LEVEL)].filter((d) => d[1] !== undefined).map((d) => d[2]!));
    for (const spec of m[1]!.split(',')) {
      const id = spec.trim().replace(/^type\s+/, '');
      if (id === '') continue;
      if (/\sas\s/.test(id)) throw new Error(`internal: runtime/${ENTRY} renames "${id}"; the assembled module cannot`);
      if (!exported.has(id)) throw new Error(`internal: runtime/${ENTRY} re-exports "${id}", which ${file} does not export`);
      names.push(id);
    }
  }
  return names;
}

/** The comment lines a source starts with. */
function leadingComment(text: string): string {
  return /^(?:\/\/[^\n]*\n)*/.exec(text)![0];
}

/** `text` as `//` comment lines of at most 100 characters. */
function wrapComment(text: string): string {
  return wrapWords(text.split(' '), 97).map((line) => `// ${line}\n`).join('');
}
