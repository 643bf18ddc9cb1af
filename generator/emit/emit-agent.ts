// Model → the in-memory files of the agent folders, the shared module (several WSDLs in one run),
// the top-level entry point with the session class, and the runtime folder.
//   one WSDL:   <out>/EMail/{types,metadata,operations,client,index,mock}.ts  + <out>/index.ts
//   several:    <out>/shared/{types,metadata}.ts (every schema type once)
//               <out>/<Agent>/{types,metadata,operations,client,index,mock}.ts (types.ts re-exports,
//               metadata.ts is the agent's table of the shared type constants)  + <out>/index.ts
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATED_MARK, type GeneratedFile } from '../generated-file.js';
import type { Service } from '../model/types.js';
import { emitClient, emitIndex, emitOperations } from './emit-client.js';
import { oneLine } from './identifiers.js';
import { emitEntry } from './emit-entry.js';
import { emitAgentTable, emitMetadata, emitSharedMetadata } from './emit-metadata.js';
import { emitMock } from './emit-mock.js';
import { fits } from './layout.js';
import { NO_CHECK_LINE } from './no-check.js';
import { emitAgentTypeExports, emitSharedTypes, emitTypes } from './emit-types.js';
import { planAgents, sharedTypes, SHARED_FOLDER, type EmitPlan } from './plan.js';
import { readTemplateText, TEMPLATES_DIR } from './templates.js';

export interface EmittedAgent {
  readonly plan: EmitPlan;
  readonly folder: string;
  readonly files: readonly GeneratedFile[];
}

export interface EmittedRun {
  /** One per WSDL, in input order. */
  readonly agents: readonly EmittedAgent[];
  /** The shared module (several WSDLs) and the top-level index.ts. */
  readonly common: readonly GeneratedFile[];
}

/** The start of a file's second line. One constant: headerCommand measures the line fileHeader writes. */
const REGENERATE_PREFIX = '// Regenerate with: ';

/**
 * The two header lines. `regenerate`: what the "Regenerate with" line says, as headerCommand
 * decided it: the command, or where to find it when it does not fit on one line.
 */
export function fileHeader(source: string, regenerate: string): string {
  // One line: a WSDL file name may hold a line break, which would end the // comment and leave the rest as code.
  return `${GENERATED_MARK} from ${oneLine(source)} — do not edit.\n${REGENERATE_PREFIX}${regenerate}\n`;
}

/**
 * What the headers' "Regenerate with" line says: the command (input/command.ts) when it fits on
 * the line, else where to find it. The one rule for that line, beside the code that writes it: a
 * longer command (layout.ts, the generated code's one line-length rule), or one holding a line
 * break (a WSDL file name may hold one: made one line it would be another command, and left as it
 * is it would end the // comment and make the rest code), is in the manifest only, which holds it
 * on one line.
 */
export function headerCommand(command: string): string {
  const manifest = 'the "command" in .gen-services86-manifest.json of the output folder';
  if (!fits(`${REGENERATE_PREFIX}${command}`)) return `${manifest} (too long for this line)`;
  return oneLine(command) === command ? command : `${manifest} (not one line)`;
}

/** The source of files made from several WSDLs: all names for a few, else the first and last. */
function sourcesLabel(files: readonly string[]): string {
  const sorted = [...files].sort();
  return sorted.length <= 4 ? sorted.join(' ') : `${sorted[0]} ... ${sorted[sorted.length - 1]} (${sorted.length} WSDLs)`;
}

/**
 * A watch run's memory of what it emitted (generator/emit-cache.ts): `make()` is a pure function
 * of `inputs` (the emitter's arguments), and its result is reused while they stay deep-equal.
 */
export interface EmitReuse {
  reuse<T>(slot: string, inputs: readonly unknown[], make: () => T): T;
}

/** Without a cache: emit. */
const emitAlways: EmitReuse = { reuse: (_slot, _inputs, make) => make() };

/**
 * Every file of one run but the runtime, planned together. `regenerate`: what the headers'
 * "Regenerate with" line shows (headerCommand's answer; see fileHeader). `memo`: see
 * EmitReuse; each emitter call below lists exactly its own arguments as its inputs.
 */
export function emitRun(services: readonly Service[], regenerate: string, memo: EmitReuse = emitAlways): EmittedRun {
  const plans = planAgents(services);
  const agents = plans.map((plan) => ({
    ...memo.reuse(`agent ${plan.agent}`, [plan, regenerate], () => emitAgentFiles(plan, regenerate)),
    plan,
  }));
  const common: GeneratedFile[] = [];
  const sources = sourcesLabel(services.map((s) => s.sourceFile));
  const runHeader = fileHeader(sources, regenerate);
  if (plans[0]?.layout === 'shared') {
    // Any plan resolves every reference of the shared types: the variants of one QName (different
    // operation wrappers) are never referenced by other types.
    const types = sharedTypes(plans);
    const scope = { byKey: new Map(types.map((t) => [t.key, t])), namespaces: plans[0].namespaces };
    const inputs = [scope, types, runHeader];
    common.push(
      { path: `${SHARED_FOLDER}/types.ts`, content: memo.reuse('shared types', inputs, () => emitSharedTypes(scope, types, runHeader)) },
      { path: `${SHARED_FOLDER}/metadata.ts`, content: memo.reuse('shared metadata', inputs, () => emitSharedMetadata(scope, types, runHeader)) },
    );
  }
  common.push({ path: 'index.ts', content: memo.reuse('entry', [plans, runHeader], () => emitEntry(plans, runHeader)) });
  return { agents, common };
}

function emitAgentFiles(plan: EmitPlan, regenerate: string): EmittedAgent {
  const header = fileHeader(plan.service.sourceFile, regenerate);
  const folder = plan.agent;
  // The emitters write code exactly as TypeScript's formatter would print it, which keeps TypeScript
  // out of the generator's start-up; test/support/format-oracle.ts holds them to it (generated/ in
  // npm test, every WSDL in test:all).
  const file = (name: string, content: string): GeneratedFile => ({ path: `${folder}/${name}`, content });
  const own = plan.layout === 'own';
  return {
    plan,
    folder,
    files: [
      file('types.ts', own ? emitTypes(plan, header) : emitAgentTypeExports(plan, `../${SHARED_FOLDER}/types.js`, header)),
      file('metadata.ts', own ? emitMetadata(plan, header) : emitAgentTable(plan, header)),
      file('operations.ts', emitOperations(plan, header)),
      file('client.ts', emitClient(plan, header)),
      file('index.ts', emitIndex(plan, header)),
      file('mock.ts', emitMock(plan, header)),
    ],
  };
}

export const RUNTIME_FOLDER = 'runtime';

/**
 * The runtime: each templates/runtime/*.ts copied into runtime/ as the file it is (imports kept),
 * under a generated-file header, so a stack trace points at decode.ts:300, not at one big module.
 * Every file is copied, whoever added it: the folder is the list. Each carries `// @ts-nocheck`
 * after the header: library code, checked by our tests rather than by every consumer (no-check.ts).
 */
export function runtimeFiles(): GeneratedFile[] {
  const dir = join(TEMPLATES_DIR, 'runtime');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'))
    .sort()
    .map((name) => ({
      path: `${RUNTIME_FOLDER}/${name}`,
      content: `${GENERATED_MARK} (runtime, copied from templates/runtime/${name}) — do not edit.\n\n${NO_CHECK_LINE}\n${readTemplateText(join(dir, name))}`,
    }));
}
