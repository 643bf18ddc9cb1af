// metadata.ts: the wire description the runtime's encoder/decoder interprets.
//   complexType EMailAddress → EMailAddress: { kind: 'complex', name: 'EMailAddress', ns: 0, base: 'Carrier',
//                                fields: [f('ContactId', 0, 'xs:int', '?'), …] }
//   flags: '?' minOccurs=0, 'n' nillable, '*' repeated (maxOccurs > 1)
import { GenerateError } from '../errors.js';
import type { ElementField, SourceLocation } from '../model/types.js';
import { propertyKey, stringLiteral } from './identifiers.js';
import type { EmitPlan, PlannedType } from './plan.js';
import { restrictionMapping, runtimeTypeKey } from './type-expressions.js';

export function namespaceIndex(plan: EmitPlan, ns: string): number {
  if (ns === '') return -1;
  const i = plan.namespaces.indexOf(ns);
  if (i < 0) throw new GenerateError(`internal: namespace ${ns} was not planned`);
  return i;
}

/** `f('ContactId', 0, 'xs:int', '?')` */
export function fieldCall(plan: EmitPlan, f: Pick<ElementField, 'name' | 'ns' | 'type' | 'minOccurs' | 'maxOccurs' | 'nillable'>, typeKey?: string): string {
  const flags =
    (f.minOccurs === 0 ? '?' : '') + (f.nillable ? 'n' : '') + (f.maxOccurs === 'unbounded' || f.maxOccurs > 1 ? '*' : '');
  const args = [stringLiteral(f.name), String(namespaceIndex(plan, f.ns)), stringLiteral(typeKey ?? runtimeTypeKey(plan, f.type))];
  if (flags) args.push(stringLiteral(flags));
  return `f(${args.join(', ')})`;
}

export function emitMetadata(plan: EmitPlan): string {
  const entries: string[] = [];
  for (const t of plan.types) {
    const desc = descriptor(plan, t);
    if (desc) entries.push(`    ${propertyKey(t.name)}: ${desc},`);
  }
  return [
    "import * as rt from '../runtime/index.js';",
    '',
    'const f = rt.field;',
    '',
    `/** How the types of ${plan.service.sourceFile} look on the wire; read by the runtime's encoder and decoder. */`,
    `export const ${plan.schemaConst}: rt.SchemaDesc = {`,
    `  namespaces: [${plan.namespaces.map(stringLiteral).join(', ')}],`,
    '  types: {',
    ...entries,
    '  },',
    '};',
    '',
  ].join('\n');
}

function descriptor(plan: EmitPlan, t: PlannedType): string | undefined {
  const s = t.shape;
  switch (s.kind) {
    case 'interface': {
      const def = s.def;
      const base = def.base ? `, base: ${stringLiteral(plan.byKey.get(`{${def.base.ns}}${def.base.local}`)!.name)}` : '';
      const fields = def.fields.map((f) => fieldCall(plan, f)).join(', ');
      return `{ kind: 'complex', name: ${stringLiteral(def.name.local.replace(/^\//, ''))}, ns: ${namespaceIndex(plan, def.name.ns)}${base}, fields: [${fields}] }`;
    }
    case 'array':
      return `{ kind: 'array', name: ${stringLiteral(s.def.name.local)}, ns: ${namespaceIndex(plan, s.def.name.ns)}, item: ${fieldCall(plan, s.item)} }`;
    case 'dict':
      return (
        `{ kind: 'dict', name: ${stringLiteral(s.def.name.local)}, ns: ${namespaceIndex(plan, s.def.name.ns)}, ` +
        `entry: ${fieldCall(plan, s.entry, '')}, key: ${fieldCall(plan, s.key)}, value: ${fieldCall(plan, s.value)}, record: ${s.record} }`
      );
    case 'entry':
      return undefined;
    case 'enum':
      return `{ kind: 'enum', values: [${s.def.values.map((v) => stringLiteral(v.value)).join(', ')}] }`;
    case 'list':
      return `{ kind: 'list', item: ${stringLiteral(runtimeTypeKey(plan, s.def.item))} }`;
    case 'restriction': {
      const patterns = s.def.patterns.map((p) => stringLiteral(jsPattern(p, s.def.location)));
      return `{ kind: 'restricted', base: ${stringLiteral(restrictionMapping(plan, t).runtime)}, patterns: [${patterns.join(', ')}] }`;
    }
  }
}

/**
 * An XSD pattern as an anchored JS regular expression. XSD patterns match the whole value and
 * have no anchors; the XSD-only escapes (\i \c) and class subtraction have no JS equivalent and
 * are refused rather than approximated.
 */
function jsPattern(pattern: string, location: SourceLocation): string {
  const translated = escapeAnchorsOutsideClasses(pattern);
  if (translated === undefined) {
    throw new GenerateError(`unsupported XSD pattern "${pattern}" (XSD-only regular expression syntax)`, location);
  }
  const js = `^(?:${translated})$`;
  try {
    new RegExp(js);
  } catch {
    throw new GenerateError(`unsupported XSD pattern "${pattern}" (not a valid regular expression here)`, location);
  }
  return js;
}

/**
 * In XSD, `^` and `$` outside a character class are ordinary characters; in JS they are anchors,
 * so they are escaped. Returns undefined for XSD-only syntax: `\i \c \I \C` and class
 * subtraction (`[a-z-[aeiou]]`).
 */
function escapeAnchorsOutsideClasses(pattern: string): string | undefined {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\') {
      const next = pattern[i + 1] ?? '';
      if ('icIC'.includes(next) && next !== '') return undefined;
      out += ch + next;
      i++;
    } else if (inClass && ch === '-' && pattern[i + 1] === '[') {
      return undefined;
    } else if (ch === '[') {
      inClass = true;
      out += ch;
    } else if (ch === ']') {
      inClass = false;
      out += ch;
    } else {
      out += !inClass && (ch === '^' || ch === '$') ? `\\${ch}` : ch;
    }
  }
  return out;
}
