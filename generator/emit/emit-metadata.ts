// metadata.ts: the wire description the runtime's encoder and decoder interpret: one exported
// constant per schema type, plain data (a form of the runtime's schema.ts: a bundler keeps only the
// types a program uses, and a consumer's type check reads them almost for free), one string per element:
//   complexType EMailAddress (extension of Carrier) →
//     export const EMailAddress: ri.TypeForm = ['extension', 'EMailAddress', 0, 'Carrier', [
//       'ContactId 0 xs:int optional',
//       'ContactName 0 xs:string optional nillable',
//     ]];
// and one table per agent naming its WSDL's types (`EMailSchema = ri.schema(namespaces, { … })`). With one WSDL, both live in the
// agent's metadata.ts; with several, the constants live once in shared/metadata.ts and each
// agent's metadata.ts imports the ones its table names. The file explains its notation in its
// first comment (templates/metadata.ts.hbs).
import { GenerateError } from '../errors.js';
import { shownLocal, type ElementField, type SourceLocation } from '../model/types.js';
import { stringLiteral } from './identifiers.js';
import { layout, type List } from './layout.js';
import { NO_CHECK_LINE } from './no-check.js';
import { SHARED_FOLDER, type EmitPlan, type PlannedType, type TypeScope } from './plan.js';
import { template } from './templates.js';
import { restrictionChain, restrictionMapping, runtimeTypeKey } from './type-expressions.js';

function namespaceIndex(plan: TypeScope, ns: string): number {
  if (ns === '') return -1;
  const i = plan.namespaces.indexOf(ns);
  if (i < 0) throw new GenerateError(`internal: namespace ${ns} was not planned`);
  return i;
}

/** The occurrence words of a field: 'optional' (minOccurs=0), 'nillable', 'repeated' (maxOccurs > 1). */
function occurrence(f: Pick<ElementField, 'minOccurs' | 'maxOccurs' | 'nillable'>): string[] {
  const words: string[] = [];
  if (f.minOccurs === 0) words.push('optional');
  if (f.nillable) words.push('nillable');
  if (f.maxOccurs === 'unbounded' || f.maxOccurs > 1) words.push('repeated');
  return words;
}

/**
 * One element as the runtime's `fieldLine` reads it: `'ContactId 0 xs:int optional'` (name,
 * namespace index, type key or `-` for none, occurrence words). XML names and type keys hold no spaces.
 */
export function fieldLine(plan: TypeScope, f: Pick<ElementField, 'name' | 'ns' | 'type' | 'minOccurs' | 'maxOccurs' | 'nillable'>, typeKey?: string): string {
  const type = typeKey ?? runtimeTypeKey(plan, f.type);
  return stringLiteral([f.name, String(namespaceIndex(plan, f.ns)), type === '' ? '-' : type, ...occurrence(f)].join(' '));
}

/** One constant, laid out (`export const X: ri.TypeForm = [...];`), after its `doc` (a JSDoc line or ''). */
interface TypeConstView {
  readonly doc: string;
  readonly code: string;
}

/** The table of one agent: its name, its WSDL and the constants it lists. */
interface TableView {
  readonly name: string;
  readonly source: string;
  readonly types: readonly string[];
}

function metadataFile(
  scope: TypeScope,
  header: string,
  parts: { types?: readonly PlannedType[]; imports?: readonly string[]; table?: TableView },
): string {
  const types = parts.types ?? [];
  return template('metadata.ts.hbs')({
    header,
    // Plain data for the runtime, checked by our tests, not by every consumer (no-check.ts).
    noCheck: NO_CHECK_LINE,
    imports: parts.imports ?? [],
    sharedModule: `../${SHARED_FOLDER}/metadata.js`,
    // The enumerations' `XValues` lists are typed with types.ts's unions.
    typesImport: types.some((t) => t.shape.kind === 'enum'),
    types: types.flatMap((t) => typeConsts(scope, t)),
    table: parts.table ?? false,
    namespaces: scope.namespaces.map((ns, i) => ({ literal: stringLiteral(ns), index: i })),
  });
}

/** Types that have a constant (a dictionary's entry type is folded into its dictionary). */
function described(types: readonly PlannedType[]): PlannedType[] {
  return types.filter((t) => t.shape.kind !== 'entry');
}

/** An agent's metadata.ts when it owns its types (one WSDL in the run): the constants and the table. */
export function emitMetadata(plan: EmitPlan, header: string): string {
  const types = described(plan.types);
  return metadataFile(plan, header, { types, table: { name: plan.schemaConst, source: plan.labels.source, types: types.map((t) => t.name) } });
}

/** shared/metadata.ts (several WSDLs in one run): every type's constant, once. */
export function emitSharedMetadata(scope: TypeScope, types: readonly PlannedType[], header: string): string {
  return metadataFile(scope, header, { types: described(types) });
}

/** An agent's metadata.ts when its types are shared: its table, importing the constants it names. */
export function emitAgentTable(plan: EmitPlan, header: string): string {
  const names = described(plan.types).map((t) => t.name);
  return metadataFile(plan, header, {
    imports: [...names].sort(),
    table: { name: plan.schemaConst, source: plan.labels.source, types: names },
  });
}

/** The `XValues` lists of the enumerations among `types`, sorted (what an agent's index.ts re-exports). */
export function enumValueNames(types: readonly PlannedType[]): string[] {
  return [...new Set(types.filter((t) => t.shape.kind === 'enum').map((t) => `${t.name}Values`))].sort();
}

/**
 * Every type's constant is annotated (a schema type's `: ri.TypeForm`): a declaration file
 * (isolatedDeclarations) cannot infer an array's type, and nothing the table or a user reads
 * depends on the literal's own type.
 */
const TYPE_FORM = ': ri.TypeForm';

/** The constant `name` of a form `[…args]`, with its annotation. */
function constant(name: string, form: Omit<List, 'open' | 'close'>, annotation = TYPE_FORM): string {
  return layout('', { ...form, open: `export const ${name}${annotation} = [`, close: '];' });
}

/** A form `[…args]`. */
function form(name: string, args: readonly string[], annotation = TYPE_FORM): string {
  return constant(name, { items: args }, annotation);
}

/**
 * A form whose last argument is a list (elements, patterns): that list one item per line when the
 * whole does not fit, or always (`broken`); also one argument per line when even its first line
 * would not fit.
 */
function listForm(name: string, args: readonly string[], items: readonly string[], broken = false): string {
  return constant(name, { items: [...args, { open: '[', items, close: ']', broken }], hugLast: true, breakInner: true });
}

/** A type's constant; an enumeration's is preceded by its `XValues` list, which it names. */
function typeConsts(plan: TypeScope, t: PlannedType): TypeConstView[] {
  if (t.shape.kind !== 'enum') {
    const code = typeConst(plan, t);
    return code ? [{ doc: '', code }] : [];
  }
  const literals = t.shape.def.values.map((v) => stringLiteral(v.value));
  const values = `${t.name}Values`;
  return [
    { doc: `/** Every value of {@link T.${t.name}}, in schema order. */`, code: form(values, literals, `: readonly T.${t.name}[]`) },
    { doc: '', code: `export const ${t.name}: ri.EnumerationForm = ['enumeration', ${values}];` },
  ];
}

function typeConst(plan: TypeScope, t: PlannedType): string | undefined {
  const s = t.shape;
  const xmlName = (local: string, ns: string) => [stringLiteral(shownLocal(local)), String(namespaceIndex(plan, ns))];
  switch (s.kind) {
    case 'interface': {
      const def = s.def;
      // One element per line, always: a schema update that adds an element to a type is then one
      // added line in a review of metadata.ts, not the type's line rewritten once it crosses 160.
      const lines = def.fields.map((f) => fieldLine(plan, f));
      if (!def.base) return listForm(t.name, [`'complex'`, ...xmlName(def.name.local, def.name.ns)], lines, true);
      const base = stringLiteral(plan.byKey.get(`{${def.base.ns}}${def.base.local}`)!.name);
      return listForm(t.name, [`'extension'`, ...xmlName(def.name.local, def.name.ns), base], lines, true);
    }
    case 'array':
      return form(t.name, [`'array'`, ...xmlName(s.def.name.local, s.def.name.ns), fieldLine(plan, s.item)]);
    case 'dict':
      return form(t.name, [`'dictionary'`, ...xmlName(s.def.name.local, s.def.name.ns), fieldLine(plan, s.entry, ''), fieldLine(plan, s.key), fieldLine(plan, s.value)]);
    case 'entry':
      return undefined;
    case 'enum':
      return undefined; // typeConsts
    case 'list':
      return form(t.name, [`'list'`, stringLiteral(runtimeTypeKey(plan, s.def.item))]);
    case 'restriction': {
      // Every level of the chain holds (the runtime checks each pattern); one level's patterns are alternatives.
      const chain = restrictionChain(plan, t);
      const patterns = chain.filter((d) => d.patterns.length > 0).map((d) => stringLiteral(levelPattern(d.patterns, d.location)));
      return listForm(t.name, [`'restricted'`, stringLiteral(restrictionMapping(plan, t, chain).runtime)], patterns);
    }
  }
}

/**
 * The patterns of one restriction as one anchored JS regular expression: XSD patterns match the
 * whole value and have no anchors, and several on one restriction are alternatives.
 */
function levelPattern(patterns: readonly string[], location: SourceLocation): string {
  return `^(?:${patterns.map((p) => jsPattern(p, location)).join('|')})$`;
}

/**
 * An XSD pattern as JS regular expression syntax (levelPattern anchors it), checked to compile
 * anchored; the XSD-only escapes (\i \c) and class subtraction have no JS equivalent and are
 * refused rather than approximated.
 */
function jsPattern(pattern: string, location: SourceLocation): string {
  const translated = escapeAnchorsOutsideClasses(pattern);
  if (translated === undefined) {
    throw new GenerateError(`unsupported XSD pattern "${pattern}" (XSD-only regular expression syntax)`, location);
  }
  try {
    new RegExp(`^(?:${translated})$`);
  } catch {
    throw new GenerateError(`unsupported XSD pattern "${pattern}" (not a valid regular expression here)`, location);
  }
  return translated;
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
