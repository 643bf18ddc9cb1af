// types.ts: one declaration per schema type, in schema order.
//   complexType EMailAddress (extension of Carrier) → export interface EMailAddress extends Carrier { … }
//   enumeration EMailPriority → export type EMailPriority = 'NoPriority' | …; export const EMailPriorityValues
//   xs:list EMailFlags of an inline enumeration → EMailFlagsItem union + export type EMailFlags = EMailFlagsItem[]
//   IsDictionary FieldPropertyDictionary → export type FieldPropertyDictionary = Record<string, FieldProperty | null>
//   ArrayOfEMailAddress → export type ArrayOfEMailAddress = (EMailAddress | null)[] (fields use the array directly)
import { qnameKey, type ElementField } from '../model/types.js';
import { docLines, jsDocBlock, propertyKey, stringLiteral } from './identifiers.js';
import { fits } from './layout.js';
import type { EmitPlan, PlannedType, TypeScope } from './plan.js';
import { bare, fieldExpression, plannedType, provenance, typeExpression, typeLabel, type Qualify } from './type-expressions.js';

/** An agent's types.ts when it owns its types (one WSDL in the run). */
export function emitTypes(plan: EmitPlan): string {
  const out: string[] = [];
  for (const t of plan.types) {
    const decl = declaration(plan, t);
    if (decl) out.push(decl);
  }
  out.push(headerTypes(plan, 'input', plan.requestHeadersType, bare), headerTypes(plan, 'output', plan.responseHeadersType, bare));
  return out.join('\n\n') + '\n';
}

/** shared/types.ts: every type of the run's agents, each declared once. */
export function emitSharedTypes(scope: TypeScope, types: readonly PlannedType[]): string {
  const out: string[] = [];
  for (const t of types) {
    const decl = declaration(scope, t);
    if (decl) out.push(decl);
  }
  return out.join('\n\n') + '\n';
}

/** Whether a planned type is declared (restrictions and dictionary entries are folded into others). */
function isDeclared(t: PlannedType): boolean {
  return t.shape.kind !== 'entry' && t.shape.kind !== 'restriction';
}

/**
 * An agent's types.ts when its types live in the shared module: it re-exports the ones its WSDL
 * defines (the same declarations, so two agents' index files can be re-exported side by side),
 * and declares its own header interfaces.
 */
export function emitAgentTypeExports(plan: EmitPlan, sharedModule: string): string {
  const declared = plan.types.filter(isDeclared);
  const types = [...new Set(declared.map((t) => t.name))].sort();
  const values = [...new Set(declared.filter((t) => t.shape.kind === 'enum').map((t) => `${t.name}Values`))].sort();
  const block = (keyword: string, names: readonly string[]) =>
    names.length === 0 ? [] : [`${keyword} {\n${names.map((n) => `  ${n},`).join('\n')}\n} from '${sharedModule}';`];
  return [
    `import type * as T from '${sharedModule}';`,
    '',
    `/** The schema types of ${plan.service.sourceFile}; declared once for all agents in ${sharedModule}. */`,
    ...block('export type', types),
    ...(values.length ? ['', '/** Every value of each enumeration, in schema order. */', ...block('export', values)] : []),
    '',
    headerTypes(plan, 'input', plan.requestHeadersType, (n) => `T.${n}`),
    '',
    headerTypes(plan, 'output', plan.responseHeadersType, (n) => `T.${n}`),
    '',
  ].join('\n');
}

/** A JSDoc block followed by a newline; one line is written compactly; none gives nothing. */
function jsDoc(lines: readonly string[], indent = ''): string {
  return lines.length === 0 ? '' : `${jsDocBlock(lines, indent, { compact: true })}\n`;
}

function declaration(plan: TypeScope, t: PlannedType): string | undefined {
  const shape = t.shape;
  switch (shape.kind) {
    case 'interface': {
      const def = shape.def;
      const what = def.anonymous ? `element ${def.name.local.replace(/^\//, '').replace(/\//g, ' / ')} (inline type)` : `complexType ${def.name.local}`;
      const doc = jsDoc([...docLines(def.documentation), ...(def.documentation ? [''] : []), `@xsd ${what}`]);
      const base = def.base ? ` extends ${plannedType(plan, { kind: 'named', name: def.base }).name}` : '';
      const body = def.fields.map((f) => property(plan, f)).join('\n');
      return body ? `${doc}export interface ${t.name}${base} {\n${body}\n}` : `${doc}export interface ${t.name}${base} {}`;
    }
    case 'array': {
      const doc = jsDoc([...docLines(shape.def.documentation), `@xsd complexType ${shape.def.name.local} (array of ${shape.item.name})`]);
      return `${doc}export type ${t.name} = ${typeExpression(plan, { kind: 'named', name: shape.def.name }, bare)};`;
    }
    case 'dict': {
      const value = fieldExpression(plan, shape.value, bare);
      const key = fieldExpression(plan, shape.key, bare);
      const doc = jsDoc([
        ...docLines(shape.def.documentation),
        `@xsd complexType ${shape.def.name.local} (WCF dictionary of ${shape.entry.name} entries)`,
      ]);
      const type = shape.record ? `Record<string, ${value}>` : `{ Key: ${key}; Value: ${value}; }[]`;
      return `${doc}export type ${t.name} = ${type};`;
    }
    case 'entry':
      return undefined;
    case 'enum': {
      const def = shape.def;
      const doc = jsDoc([...docLines(def.documentation), ...(def.documentation ? [''] : []), `@xsd simpleType ${enumLabel(def.name.local)} (enumeration)`]);
      const literals = def.values.map((v) => stringLiteral(v.value));
      const valuesDoc = jsDoc([`Every value of {@link ${t.name}}, in schema order.`]);
      // One line when it fits; else one value per line.
      const typeHead = `export type ${t.name} =`;
      const union = !literals.length ? ' never' : fits(`${typeHead} ${literals.join(' | ')};`) ? ` ${literals.join(' | ')}` : `\n${literals.map((l) => `  | ${l}`).join('\n')}`;
      const valuesHead = `export const ${t.name}Values: readonly ${t.name}[] = `;
      const values = fits(`${valuesHead}[${literals.join(', ')}];`) ? `[${literals.join(', ')}]` : `[\n${literals.map((l) => `  ${l},`).join('\n')}\n]`;
      return `${doc}${typeHead}${union};\n\n${valuesDoc}${valuesHead}${values};`;
    }
    case 'list': {
      const def = shape.def;
      const doc = jsDoc([...docLines(def.documentation), `@xsd simpleType ${def.name.local} (xs:list: space-separated on the wire)`]);
      return `${doc}export type ${t.name} = ${listItem(plan, t)}[];`;
    }
    case 'restriction':
      return undefined; // shown as their base type where used (guid → string, duration → string …)
  }
}

function enumLabel(local: string): string {
  return local.endsWith('/item') ? `${local.slice(0, -'/item'.length).replace(/^\//, '')} item` : local;
}

function listItem(plan: TypeScope, t: PlannedType): string {
  if (t.shape.kind !== 'list') return 'never';
  const item = typeExpression(plan, t.shape.def.item, bare);
  return /[|&\s]/.test(item) ? `(${item})` : item;
}

function property(plan: TypeScope, f: ElementField): string {
  const doc = jsDoc([...docLines(f.documentation), `@xsd ${provenance(f, typeLabel(f.type))}`], '  ');
  const optional = f.minOccurs === 0 ? '?' : '';
  return `${doc}  ${propertyKey(f.name)}${optional}: ${fieldExpression(plan, f, bare)};`;
}

/** The header blocks an agent's operations send (input) or receive (output), all optional. */
function headerTypes(plan: EmitPlan, direction: 'input' | 'output', name: string, q: Qualify): string {
  const parts = new Map<string, ElementField>();
  for (const { op } of plan.operations) {
    const msg = direction === 'input' ? op.input : op.output;
    for (const h of msg?.headers ?? []) {
      // The header's JS key is its element's name (WCF makes part and element names equal).
      const el = plan.service.elements.get(qnameKey(h.element))!;
      if (parts.has(el.name.local)) continue;
      parts.set(el.name.local, {
        name: el.name.local,
        ns: el.name.ns,
        type: el.type,
        minOccurs: 0,
        maxOccurs: 1,
        nillable: el.nillable,
        location: el.location,
      });
    }
  }
  const what = direction === 'input' ? 'request' : 'response';
  const doc = jsDoc([`SOAP header blocks of ${plan.agent} ${what}s (soap:header parts of the binding).`]);
  const body = [...parts.values()]
    .map((f) => `${jsDoc([`@xsd header ${f.name}, element ${typeLabel(f.type)}`], '  ')}  ${propertyKey(f.name)}?: ${fieldExpression(plan, f, q)};`)
    .join('\n');
  return body ? `${doc}export interface ${name} {\n${body}\n}` : `${doc}export interface ${name} {}`;
}
