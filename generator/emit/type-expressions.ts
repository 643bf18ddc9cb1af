// TypeScript type expressions and runtime metadata keys for schema references. Both the types
// file and the client use these, so a field's TS type and its codec can never disagree.
import { GenerateError } from '../errors.js';
import { qnameKey, shownLocal, type ElementField, type RestrictionTypeDef, type TypeRef } from '../model/types.js';
import type { PlannedType, TypeScope } from './plan.js';
import { CHAR_MAPPING, MS_SERIALIZATION_NS, PRIMITIVE_MAPPING, type PrimitiveMapping } from './type-mapping.js';

/** How a type name is written where it is used: bare in types.ts, `T.Name` elsewhere. */
export type Qualify = (name: string) => string;
export const bare: Qualify = (name) => name;

export function plannedType(plan: TypeScope, ref: TypeRef & { kind: 'named' }): PlannedType {
  const t = plan.byKey.get(qnameKey(ref.name));
  if (!t) throw new GenerateError(`internal: type ${ref.name.local} was not planned`);
  return t;
}

/** The primitive a restriction's chain ends at (WCF's char, at any level, is its own mapping); `chain` when the caller has it. */
export function restrictionMapping(plan: TypeScope, t: PlannedType, chain = restrictionChain(plan, t)): PrimitiveMapping {
  if (chain.some((d) => d.name.ns === MS_SERIALIZATION_NS && d.name.local === 'char')) return CHAR_MAPPING;
  const last = chain[chain.length - 1]?.base;
  if (last?.kind !== 'primitive') throw new GenerateError(`internal: the restriction chain of ${t.name} does not end at a built-in`);
  return PRIMITIVE_MAPPING[last.name];
}

/**
 * A restriction and the restrictions it restricts, itself first. A value must match the patterns
 * of every one of them (XSD), while the patterns of one of them are alternatives.
 */
export function restrictionChain(plan: TypeScope, t: PlannedType): RestrictionTypeDef[] {
  const chain: RestrictionTypeDef[] = [];
  for (let shape = t.shape; shape.kind === 'restriction'; ) {
    chain.push(shape.def);
    if (shape.def.base.kind !== 'named') break;
    shape = plannedType(plan, shape.def.base).shape;
  }
  return chain;
}

/** The TS type of one value of `ref` (not counting optionality, nil or repetition). */
export function typeExpression(plan: TypeScope, ref: TypeRef, q: Qualify): string {
  if (ref.kind === 'primitive') return PRIMITIVE_MAPPING[ref.name].ts;
  const t = plannedType(plan, ref);
  switch (t.shape.kind) {
    case 'array':
      return arrayOf(itemExpression(plan, t.shape.item, q));
    case 'restriction':
      return restrictionMapping(plan, t).ts;
    case 'interface':
    case 'dict':
    case 'enum':
    case 'list':
    case 'entry':
      return q(t.name);
  }
}

/** The TS type of a field's property value (repetition and nil included, optionality not). */
export function fieldExpression(plan: TypeScope, f: ElementField, q: Qualify): string {
  const item = itemExpression(plan, f, q);
  return f.maxOccurs === 'unbounded' || f.maxOccurs > 1 ? arrayOf(item) : item;
}

/** One value of a field (a list's item, or a field's one value): nil adds `| null`, except to unknown, which holds null already. */
function itemExpression(plan: TypeScope, item: ElementField, q: Qualify): string {
  const t = typeExpression(plan, item.type, q);
  return item.nillable && t !== 'unknown' ? `${t} | null` : t;
}

function arrayOf(element: string): string {
  return /[|&\s]/.test(element) ? `(${element})[]` : `${element}[]`;
}

/** The runtime metadata key for a reference: `xs:int`, `xs:char`, or a planned type name. */
export function runtimeTypeKey(plan: TypeScope, ref: TypeRef): string {
  if (ref.kind === 'primitive') return PRIMITIVE_MAPPING[ref.name].runtime;
  return plannedType(plan, ref).name;
}

/** `element ContactId, xs:int, minOccurs=0, nillable` — where a property came from. */
export function provenance(f: ElementField, typeLabel: string): string {
  const parts = [`element ${f.name}`, typeLabel];
  if (f.minOccurs !== 1) parts.push(`minOccurs=${f.minOccurs}`);
  if (f.maxOccurs !== 1) parts.push(`maxOccurs=${f.maxOccurs}`);
  if (f.nillable) parts.push('nillable');
  return parts.join(', ');
}

export function typeLabel(ref: TypeRef): string {
  return ref.kind === 'primitive' ? `xs:${ref.name}` : shownLocal(ref.name.local);
}
