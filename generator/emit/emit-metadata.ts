// metadata.ts: the wire description the runtime's encoder/decoder interprets, one line per element.
//   complexType EMailAddress (extension of Carrier) →
//     EMailAddress: ri.extension('EMailAddress', 0, 'Carrier', [
//       f('ContactId', 0, 'xs:int', 'optional'),
//       f('ContactName', 0, 'xs:string', 'optional nillable'),
//     ]),
// The file explains its own notation in its first comment (METADATA_LEGEND).
import { GenerateError } from '../errors.js';
import type { ElementField, SourceLocation } from '../model/types.js';
import { propertyKey, stringLiteral } from './identifiers.js';
import type { EmitPlan, PlannedType, TypeScope } from './plan.js';
import { restrictionMapping, runtimeTypeKey } from './type-expressions.js';

export function namespaceIndex(plan: TypeScope, ns: string): number {
  if (ns === '') return -1;
  const i = plan.namespaces.indexOf(ns);
  if (i < 0) throw new GenerateError(`internal: namespace ${ns} was not planned`);
  return i;
}

/** The occurrence words of a field: 'optional' (minOccurs=0), 'nillable', 'repeated' (maxOccurs > 1). */
function occurrence(f: Pick<ElementField, 'minOccurs' | 'maxOccurs' | 'nillable'>): string {
  const words: string[] = [];
  if (f.minOccurs === 0) words.push('optional');
  if (f.nillable) words.push('nillable');
  if (f.maxOccurs === 'unbounded' || f.maxOccurs > 1) words.push('repeated');
  return words.join(' ');
}

/** `f('ContactId', 0, 'xs:int', 'optional')` */
export function fieldCall(plan: TypeScope, f: Pick<ElementField, 'name' | 'ns' | 'type' | 'minOccurs' | 'maxOccurs' | 'nillable'>, typeKey?: string): string {
  const args = [stringLiteral(f.name), String(namespaceIndex(plan, f.ns)), stringLiteral(typeKey ?? runtimeTypeKey(plan, f.type))];
  const words = occurrence(f);
  if (words) args.push(stringLiteral(words));
  return `f(${args.join(', ')})`;
}

/** The notation of metadata tables, written at the top of every metadata.ts. */
export const METADATA_LEGEND = [
  '// How to read this table (the runtime\'s schema.ts defines each form):',
  '//   ri.complex(xml name, namespace, [fields])              a complexType with a sequence',
  '//   ri.extension(xml name, namespace, base, [fields])      the same, extending base (whose fields come first)',
  '//   ri.array(xml name, namespace, item)                     WCF ArrayOfX: repeated item elements, a JS array',
  '//   ri.dictionary(xml name, namespace, entry, key, value)   WCF dictionary: Record<string, V> for string keys',
  '//   ri.enumeration([values])   ri.list(item type)   ri.restricted(base type, [anchored patterns])',
  '// One element per line: f(element name, namespace, type, occurrence), where namespace is an index',
  '// into `namespaces` (-1: unqualified), type is a key of `types` or xs:<built-in>, and occurrence',
  '// lists \'optional\' (minOccurs=0), \'nillable\' (xsi:nil allowed) and \'repeated\' (maxOccurs > 1).',
].join('\n');

/**
 * A metadata table: `constName` describes `types` (each once) for the encoder and decoder.
 * `source` names what the table describes in its comment (EMail.wsdl, or the WSDLs of a run).
 */
export function emitSchemaTable(scope: TypeScope, types: readonly PlannedType[], constName: string, source: string, runtimeImport: string): string {
  const entries: string[] = [];
  for (const t of types) {
    const desc = descriptor(scope, t);
    if (desc) entries.push(`    ${propertyKey(t.name)}: ${desc},`);
  }
  return [
    `import * as ri from '${runtimeImport}';`,
    '',
    METADATA_LEGEND,
    'const f = ri.field;',
    '',
    `/** How the types of ${source} look on the wire; read by the runtime's encoder and decoder. */`,
    `export const ${constName}: ri.SchemaDesc = {`,
    '  namespaces: [',
    ...scope.namespaces.map((ns, i) => `    ${stringLiteral(ns)}, // ${i}`),
    '  ],',
    '  types: {',
    ...entries,
    '  },',
    '};',
    '',
  ].join('\n');
}

/** An agent's metadata.ts when it owns its types (one WSDL in the run). */
export function emitMetadata(plan: EmitPlan): string {
  return emitSchemaTable(plan, plan.types, plan.schemaConst, plan.service.sourceFile, '../runtime/internal.js');
}

/** Items one per line at `indent` + 2, each with a comma, between a line break and `indent`. */
function itemLines(items: readonly string[], indent: string): string {
  return `\n${items.map((i) => `${indent}  ${i},`).join('\n')}\n${indent}`;
}

/** A list of call lines at `indent`: `[` + one item per line + `]`, or `[]`. */
function lines(items: readonly string[], indent: string): string {
  return items.length === 0 ? '[]' : `[${itemLines(items, indent)}]`;
}

/** Values on one line unless that passes 200 characters, else one per line. */
function valueList(values: readonly string[], indent: string, head: number): string {
  const oneLine = `[${values.join(', ')}]`;
  return head + oneLine.length + 2 <= 200 ? oneLine : lines(values, indent);
}

function descriptor(plan: TypeScope, t: PlannedType): string | undefined {
  const s = t.shape;
  const head = 4 + t.name.length + 2;
  switch (s.kind) {
    case 'interface': {
      const def = s.def;
      const name = stringLiteral(def.name.local.replace(/^\//, ''));
      const ns = namespaceIndex(plan, def.name.ns);
      const fields = lines(def.fields.map((f) => fieldCall(plan, f)), '    ');
      if (!def.base) return `ri.complex(${name}, ${ns}, ${fields})`;
      return `ri.extension(${name}, ${ns}, ${stringLiteral(plan.byKey.get(`{${def.base.ns}}${def.base.local}`)!.name)}, ${fields})`;
    }
    case 'array':
      return `ri.array(${stringLiteral(s.def.name.local)}, ${namespaceIndex(plan, s.def.name.ns)}, ${fieldCall(plan, s.item)})`;
    case 'dict':
      return (
        `ri.dictionary(${stringLiteral(s.def.name.local)}, ${namespaceIndex(plan, s.def.name.ns)},` +
        itemLines([fieldCall(plan, s.entry, ''), fieldCall(plan, s.key), fieldCall(plan, s.value)], '    ') +
        ')'
      );
    case 'entry':
      return undefined;
    case 'enum':
      return `ri.enumeration(${valueList(s.def.values.map((v) => stringLiteral(v.value)), '    ', head + 'ri.enumeration('.length)})`;
    case 'list':
      return `ri.list(${stringLiteral(runtimeTypeKey(plan, s.def.item))})`;
    case 'restriction': {
      const patterns = s.def.patterns.map((p) => stringLiteral(jsPattern(p, s.def.location)));
      const base = stringLiteral(restrictionMapping(plan, t).runtime);
      return `ri.restricted(${base}, ${valueList(patterns, '    ', head + 'ri.restricted('.length + base.length + 2)})`;
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
