// types.ts: one declaration per schema type, in schema order.
//   complexType EMailAddress (extension of Carrier) → export interface EMailAddress extends Carrier { … }
//   enumeration EMailPriority → export type EMailPriority = 'NoPriority' | …; export const EMailPriorityValues
//   xs:list EMailFlags of an inline enumeration → EMailFlagsItem union + export type EMailFlags = EMailFlagsItem[]
//   IsDictionary FieldPropertyDictionary → export type FieldPropertyDictionary = Record<string, FieldProperty | null>
//   ArrayOfEMailAddress → export type ArrayOfEMailAddress = (EMailAddress | null)[] (fields use the array directly)
import { qnameKey, type ElementField } from '../model/types.js';
import { docLines, jsDocBlock, propertyKey, stringLiteral } from './identifiers.js';
import type { EmitPlan, PlannedType } from './plan.js';
import { bare, fieldExpression, plannedType, provenance, typeExpression, typeLabel } from './type-expressions.js';

export function emitTypes(plan: EmitPlan): string {
  const out: string[] = [];
  for (const t of plan.types) {
    const decl = declaration(plan, t);
    if (decl) out.push(decl);
  }
  out.push(headerTypes(plan, 'input', plan.requestHeadersType), headerTypes(plan, 'output', plan.responseHeadersType));
  return out.join('\n\n') + '\n';
}

/** A JSDoc block followed by a newline; one line is written compactly; none gives nothing. */
function jsDoc(lines: readonly string[], indent = ''): string {
  return lines.length === 0 ? '' : `${jsDocBlock(lines, indent, { compact: true })}\n`;
}

function declaration(plan: EmitPlan, t: PlannedType): string | undefined {
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
      const union = def.values.length ? def.values.map((v) => stringLiteral(v.value)).join(' | ') : 'never';
      const valuesDoc = jsDoc([`Every value of {@link ${t.name}}, in schema order.`]);
      return (
        `${doc}export type ${t.name} = ${union};\n\n` +
        `${valuesDoc}export const ${t.name}Values: readonly ${t.name}[] = [${def.values.map((v) => stringLiteral(v.value)).join(', ')}];`
      );
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

function listItem(plan: EmitPlan, t: PlannedType): string {
  if (t.shape.kind !== 'list') return 'never';
  const item = typeExpression(plan, t.shape.def.item, bare);
  return /[|&\s]/.test(item) ? `(${item})` : item;
}

function property(plan: EmitPlan, f: ElementField): string {
  const doc = jsDoc([...docLines(f.documentation), `@xsd ${provenance(f, typeLabel(f.type))}`], '  ');
  const optional = f.minOccurs === 0 ? '?' : '';
  return `${doc}  ${propertyKey(f.name)}${optional}: ${fieldExpression(plan, f, bare)};`;
}

/** The header blocks an agent's operations send (input) or receive (output), all optional. */
function headerTypes(plan: EmitPlan, direction: 'input' | 'output', name: string): string {
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
    .map((f) => `${jsDoc([`@xsd header ${f.name}, element ${typeLabel(f.type)}`], '  ')}  ${propertyKey(f.name)}?: ${fieldExpression(plan, f, bare)};`)
    .join('\n');
  return body ? `${doc}export interface ${name} {\n${body}\n}` : `${doc}export interface ${name} {}`;
}
