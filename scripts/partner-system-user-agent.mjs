#!/usr/bin/env node
// The runtime's client of SuperOffice's PartnerSystemUserService (the system user ticket exchange
// over SOAP) is this generator's own output for test/fixtures/wsdl/Online/PartnerSystemUserService.wsdl:
// types.ts, metadata.ts, operations.ts and client.ts, joined into one flat runtime module
// (templates/runtime/partner-system-user-service.ts) — imports replaced by the runtime's own, the
// `rt.`/`ri.`/`T.` qualifiers dropped, and the module-private names prefixed so they cannot clash with
// another runtime file. Nothing else is changed.
//
//   node scripts/partner-system-user-agent.mjs          (after npm run build) rewrites the module
// test/online/partner-agent.test.ts checks that the committed module is up to date.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const wsdlPath = join(repoRoot, 'test', 'fixtures', 'wsdl', 'Online', 'PartnerSystemUserService.wsdl');
export const modulePath = join(repoRoot, 'templates', 'runtime', 'partner-system-user-service.ts');

/** Where each runtime name the generated files use comes from. */
const RUNTIME_SOURCES = {
  SoapAgent: 'agent',
  AgentOptions: 'agent',
  CallOptions: 'agent',
  operationFactory: 'operation',
  OperationCodec: 'operation',
  schema: 'schema',
  SchemaDesc: 'schema',
  EnumerationForm: 'schema',
  TypeForm: 'schema',
};
const TYPE_ONLY = new Set(['AgentOptions', 'CallOptions', 'OperationCodec', 'SchemaDesc', 'EnumerationForm', 'TypeForm']);
/** Module-private names of the generated files, and their names in the runtime module. */
const RENAMES = [
  [/\brequestHeaders\b/g, 'psuRequestHeaders'],
  [/\bresponseHeaders\b/g, 'psuResponseHeaders'],
  [/\bconst operation = /g, 'const psuOperation = '],
  [/\boperation\(/g, 'psuOperation('],
];

/**
 * The schema types' TypeScript names get the prefix `PartnerSystemUser`, so they cannot collide with
 * a user's own generated types (SoPrincipal's `AuthenticateRequest` …) in the same folder. Only the
 * declarations of types.ts and the `T.` references are renamed; the schema table's keys stay.
 */
const PREFIX = 'PartnerSystemUser';

/** The module text, from the generated folder `dir` (IPartnerSystemUserService/). */
export function assemble(dir) {
  const typesText = readFileSync(join(dir, 'types.ts'), 'utf8');
  const typeNames = [...typesText.matchAll(/^export (?:interface|type|const) (\w+)/gm)].map((m) => m[1]).filter((n) => !n.startsWith(`I${PREFIX}`));
  const prefixed = (text) => typeNames.reduce((t, n) => t.replace(new RegExp(`\\b${n}\\b`, 'g'), `${PREFIX}${n}`), text);
  const parts = ['types.ts', 'metadata.ts', 'operations.ts', 'client.ts'].map((name) => {
    let text = readFileSync(join(dir, name), 'utf8');
    if (name === 'types.ts') text = prefixed(text);
    // The metadata's plain-data constants (one per schema type) stay private to the module, under
    // a `psu` prefix, and the schema table names them explicitly.
    // An enumeration's `XValues` list stays exported, with the types' prefix.
    if (name === 'metadata.ts') {
      for (const [, v] of text.matchAll(/^export const (\w+Values): readonly /gm)) text = text.replace(new RegExp(`\\b${v}\\b`, 'g'), `${PREFIX}${v}`);
      const form = /^export const (\w+)((?:: ri\.\w+)?) = \[/gm;
      const constants = [...text.matchAll(form)].map((m) => m[1]);
      text = text.replace(form, 'const psu$1$2 = [');
      for (const c of constants) text = text.replace(new RegExp(`^(\\s+)${c},$`, 'm'), `$1${c}: psu${c},`);
    }
    text = text.replace(/\bT\.(\w+)/g, (_m, n) => `T.${typeNames.includes(n) ? PREFIX : ''}${n}`);
    // The file's preamble: its generated header and, in metadata.ts, the `// @ts-nocheck` line (the
    // module is checked with the runtime and, copied, skipped as a whole).
    text = text.replace(/^(?:\/\/[^\n]*\n|\n)+/, '');
    text = text.replace(/^import [^;]*;\n/gm, '').replace(/^\n+/, '');
    for (const [from, to] of RENAMES) text = text.replace(from, to);
    return text.trimEnd();
  });
  let body = parts.join('\n\n').replace(/\n{3,}/g, '\n\n');
  const code = body.replace(/^\s*(?:\/\/|\*|\/\*\*).*$/gm, ''); // comments name forms the code may not use
  const used = new Set([...code.matchAll(/\br[ti]\.(\w+)/g)].map((m) => m[1]));
  body = body.replace(/\br[ti]\.(\w+)/g, '$1').replace(/\bT\.(\w+)/g, '$1');
  const byModule = new Map();
  for (const name of [...used].sort()) {
    const from = RUNTIME_SOURCES[name];
    if (!from) throw new Error(`partner-system-user-agent: the generated code uses rt.${name}; add it to RUNTIME_SOURCES`);
    if (!byModule.has(from)) byModule.set(from, []);
    byModule.get(from).push(TYPE_ONLY.has(name) ? `type ${name}` : name);
  }
  const imports = [...byModule.keys()].sort().map((m) => `import { ${byModule.get(m).join(', ')} } from './${m}.js';`);
  return [
    '// @generated by gen-services86 from PartnerSystemUserService.wsdl — do not edit.',
    '// The client of the system user ticket exchange over SOAP: this generator\'s output for',
    '// test/fixtures/wsdl/Online/PartnerSystemUserService.wsdl (types, metadata, operations, client),',
    '// joined into one runtime module by `node scripts/partner-system-user-agent.mjs`.',
    ...imports,
    '',
    body,
    '',
  ].join('\n');
}

/** Generates the WSDL with the built generator into a temporary folder and assembles the module. */
export async function generateModule() {
  const { generate } = await import(pathToFileURL(join(repoRoot, 'dist', 'generator', 'generate.js')).href);
  const out = mkdtempSync(join(tmpdir(), 'psu-'));
  try {
    await generate({ wsdl: [wsdlPath], outDir: out });
    return assemble(join(out, 'IPartnerSystemUserService'));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(modulePath, await generateModule());
  console.log(`wrote ${modulePath}`);
}
