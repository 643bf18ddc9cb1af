// types.ts: one declaration per schema type, in schema order (an agent's own types.ts) or by name
// (shared/types.ts, plan.ts sharedTypes).
//   complexType EMailAddress (extension of Carrier) → export interface EMailAddress extends Carrier { … }
//   enumeration EMailPriority → export type EMailPriority = 'NoPriority' | … (EMailPriorityValues: metadata.ts)
//   xs:list EMailFlags of an inline enumeration → EMailFlagsItem union + export type EMailFlags = EMailFlagsItem[]
//   IsDictionary FieldPropertyDictionary → export type FieldPropertyDictionary = Record<string, FieldProperty | null>
//   ArrayOfEMailAddress → export type ArrayOfEMailAddress = (EMailAddress | null)[] (fields use the array directly)
import { qnameKey, shownLocal, type ElementField } from '../model/types.js';
import { docLines, jsDocBlock, propertyKey, stringLiteral } from './identifiers.js';
import { union } from './layout.js';
import { template } from './templates.js';
import type { EmitPlan, PlannedType, TypeScope } from './plan.js';
import { bare, fieldExpression, plannedType, provenance, typeExpression, typeLabel, type Qualify } from './type-expressions.js';

/** One declaration of types.ts as templates/types.ts.hbs writes it; `doc` is a JSDoc block or ''. */
interface DeclarationView {
  readonly doc: string;
  readonly name: string;
  /** An interface: its ` extends Base` and its properties (none: `{}`). */
  readonly interface?: true;
  readonly extends?: string;
  readonly props?: readonly { readonly doc: string; readonly line: string }[];
  /** An enumeration: its whole declaration, laid out; its values' array is in metadata.ts. */
  readonly union?: string;
  /** A type alias: the type after `=`. */
  readonly type?: string;
}

function typesFile(
  header: string,
  view: { declarations: readonly DeclarationView[]; sharedModule?: string; importsT?: boolean; source?: string; typeNames?: readonly string[] },
): string {
  return template('types.ts.hbs')({ sharedModule: false, importsT: false, source: '', typeNames: [], ...view, header });
}

/** An agent's types.ts when it owns its types (one WSDL in the run). */
export function emitTypes(plan: EmitPlan, header: string): string {
  const declarations = plan.types.map((t) => declaration(plan, t)).filter((d): d is DeclarationView => d !== undefined);
  declarations.push(headerTypes(plan, 'input', plan.requestHeadersType, bare), headerTypes(plan, 'output', plan.responseHeadersType, bare));
  return typesFile(header, { declarations });
}

/** shared/types.ts: every type of the run's agents, each declared once. */
export function emitSharedTypes(scope: TypeScope, types: readonly PlannedType[], header: string): string {
  const declarations = types.map((t) => declaration(scope, t)).filter((d): d is DeclarationView => d !== undefined);
  return typesFile(header, { declarations });
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
export function emitAgentTypeExports(plan: EmitPlan, sharedModule: string, header: string): string {
  const declared = plan.types.filter(isDeclared);
  // The shared module is imported as T only when a header names one of its types: an agent whose
  // headers are all built-ins (or that has none) would leave the import unused, which a consumer's
  // noUnusedLocals reports (TS6133).
  let importsT = false;
  const q: Qualify = (n) => ((importsT = true), `T.${n}`);
  const declarations = [headerTypes(plan, 'input', plan.requestHeadersType, q), headerTypes(plan, 'output', plan.responseHeadersType, q)];
  return typesFile(header, {
    sharedModule,
    importsT,
    source: plan.labels.source,
    typeNames: [...new Set(declared.map((t) => t.name))].sort(),
    declarations,
  });
}

/** A JSDoc block; one line is written compactly; none gives ''. */
function jsDoc(lines: readonly string[], indent = ''): string {
  return lines.length === 0 ? '' : jsDocBlock(lines, indent, { compact: true });
}

function declaration(plan: TypeScope, t: PlannedType): DeclarationView | undefined {
  const shape = t.shape;
  const name = t.name;
  switch (shape.kind) {
    case 'interface': {
      const def = shape.def;
      const what = def.anonymous ? `element ${shownLocal(def.name.local).replace(/\//g, ' / ')} (inline type)` : `complexType ${def.name.local}`;
      const doc = jsDoc([...docLines(def.documentation), ...(def.documentation ? [''] : []), `@xsd ${what}`]);
      const base = def.base ? ` extends ${plannedType(plan, { kind: 'named', name: def.base }).name}` : '';
      return { doc, name, interface: true, extends: base, props: def.fields.map((f) => property(plan, f)) };
    }
    case 'array': {
      const doc = jsDoc([...docLines(shape.def.documentation), `@xsd complexType ${shape.def.name.local} (array of ${shape.item.name})`]);
      return { doc, name, type: typeExpression(plan, { kind: 'named', name: shape.def.name }, bare) };
    }
    case 'dict': {
      const value = fieldExpression(plan, shape.value, bare);
      const key = fieldExpression(plan, shape.key, bare);
      const doc = jsDoc([
        ...docLines(shape.def.documentation),
        `@xsd complexType ${shape.def.name.local} (WCF dictionary of ${shape.entry.name} entries)`,
      ]);
      return { doc, name, type: shape.record ? `Record<string, ${value}>` : `{ Key: ${key}; Value: ${value}; }[]` };
    }
    case 'entry':
      return undefined;
    case 'enum': {
      const def = shape.def;
      const doc = jsDoc([...docLines(def.documentation), ...(def.documentation ? [''] : []), `@xsd simpleType ${enumLabel(def.name.local)} (enumeration)`]);
      const literals = def.values.map((v) => stringLiteral(v.value));
      return { doc, name, union: union('', `export type ${name} =`, literals, ';') };
    }
    case 'list': {
      const def = shape.def;
      const doc = jsDoc([...docLines(def.documentation), `@xsd simpleType ${def.name.local} (xs:list: space-separated on the wire)`]);
      return { doc, name, type: `${listItem(plan, t)}[]` };
    }
    case 'restriction':
      return undefined; // shown as their base type where used (guid → string, duration → string …)
  }
}

function enumLabel(local: string): string {
  return local.endsWith('/item') ? `${shownLocal(local.slice(0, -'/item'.length))} item` : local;
}

function listItem(plan: TypeScope, t: PlannedType): string {
  if (t.shape.kind !== 'list') return 'never';
  const item = typeExpression(plan, t.shape.def.item, bare);
  return /[|&\s]/.test(item) ? `(${item})` : item;
}

function property(plan: TypeScope, f: ElementField): { doc: string; line: string } {
  // `?: T | undefined`: the encoders omit undefined as they omit a missing property, so code under
  // exactOptionalPropertyTypes may pass on a value that may be undefined ({ Name: form.name }).
  const optional = f.minOccurs === 0;
  const type = `${fieldExpression(plan, f, bare)}${optional ? ' | undefined' : ''}`;
  return { doc: jsDoc([...docLines(f.documentation), `@xsd ${provenance(f, typeLabel(f.type))}`], '  '), line: `${propertyKey(f.name)}${optional ? '?' : ''}: ${type};` };
}

/** The header blocks an agent's operations send (input) or receive (output), all optional. */
function headerTypes(plan: EmitPlan, direction: 'input' | 'output', name: string, q: Qualify): DeclarationView {
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
  return {
    doc: jsDoc([`SOAP header blocks of ${plan.agent} ${what}s (soap:header parts of the binding).`]),
    name,
    interface: true,
    extends: '',
    props: [...parts.values()].map((f) => ({
      doc: jsDoc([`@xsd header ${f.name}, element ${typeLabel(f.type)}`], '  '),
      line: `${propertyKey(f.name)}?: ${fieldExpression(plan, f, q)} | undefined;`,
    })),
  };
}
