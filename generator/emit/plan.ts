// Plans, before anything is emitted, how each schema type is shown in TypeScript (its shape)
// and under which identifier. Names are a function of the QNames and one fixed clash rule,
// never of the order in which the emitter happens to visit things.
import { GenerateError } from '../errors.js';
import {
  qnameKey,
  type ComplexTypeDef,
  type ElementField,
  type EnumTypeDef,
  type ListTypeDef,
  type Operation,
  type RestrictionTypeDef,
  type Service,
  type TypeDef,
} from '../model/types.js';
import { isReservedTypeName, safeIdentifier, pascalSegment } from './identifiers.js';

export type Shape =
  | { readonly kind: 'interface'; readonly def: ComplexTypeDef }
  /** WCF `ArrayOfX`: one repeated element; shown as `X[]`. */
  | { readonly kind: 'array'; readonly def: ComplexTypeDef; readonly item: ElementField }
  /** WCF dictionary: shown as Record<string, V> (string keys) or an array of { Key, Value }. */
  | {
      readonly kind: 'dict';
      readonly def: ComplexTypeDef;
      readonly entry: ElementField;
      readonly key: ElementField;
      readonly value: ElementField;
      readonly record: boolean;
    }
  /** The anonymous Key/Value entry type of a dictionary: folded into the dictionary. */
  | { readonly kind: 'entry'; readonly def: ComplexTypeDef }
  | { readonly kind: 'enum'; readonly def: EnumTypeDef }
  | { readonly kind: 'list'; readonly def: ListTypeDef }
  | { readonly kind: 'restriction'; readonly def: RestrictionTypeDef };

export interface PlannedType {
  readonly key: string;
  readonly name: string;
  readonly shape: Shape;
}

export interface PlannedOperation {
  readonly op: Operation;
  /** camelCase method name on the agent class. */
  readonly method: string;
}

export interface EmitPlan {
  readonly service: Service;
  /** Identifier-safe agent name, used for the folder and exported names (EMail). */
  readonly agent: string;
  readonly agentClass: string;
  readonly operationsConst: string;
  readonly schemaConst: string;
  readonly requestHeadersType: string;
  readonly responseHeadersType: string;
  /** Planned types in schema order. */
  readonly types: readonly PlannedType[];
  readonly byKey: ReadonlyMap<string, PlannedType>;
  readonly operations: readonly PlannedOperation[];
  /** The namespaces used on the wire, in first-declared order (metadata indexes into it). */
  readonly namespaces: readonly string[];
}

/** Members of the runtime's SoapAgent base class: generated methods must not shadow them. */
const AGENT_MEMBERS = new Set(['constructor', 'invoke', 'endpoint', 'operations']);

export function planEmit(service: Service): EmitPlan {
  const agent = safeIdentifier(service.name);
  const taken = new Set<string>();
  const reserve = (name: string): string => {
    taken.add(name);
    return name;
  };
  const agentClass = reserve(`${agent}Agent`);
  const operationsConst = reserve(`${agent}Operations`);
  const schemaConst = reserve(`${agent}Schema`);
  const requestHeadersType = reserve(`${agent}RequestHeaders`);
  const responseHeadersType = reserve(`${agent}ResponseHeaders`);

  const shapes = new Map<string, Shape>();
  for (const [key, def] of service.types) shapes.set(key, shapeOf(def, service));
  for (const shape of shapes.values()) {
    if (shape.kind === 'dict') {
      const entryRef = shape.entry.type;
      if (entryRef.kind === 'named') {
        const entryDef = service.types.get(qnameKey(entryRef.name));
        if (entryDef?.kind === 'complex') shapes.set(qnameKey(entryDef.name), { kind: 'entry', def: entryDef });
      }
    }
  }

  // Which anonymous wrapper belongs to which operation input: those become `<Op>Request`.
  const requestOf = new Map<string, Operation>();
  for (const op of service.operations) {
    const el = service.elements.get(qnameKey(op.input.body));
    if (el?.type.kind === 'named') requestOf.set(qnameKey(el.type.name), op);
  }

  // Priority: named types of the service namespace, then other named types, then anonymous
  // ones; inside a group, sorted by QName. The first claimant keeps the plain name.
  const group = (def: TypeDef): number =>
    def.kind === 'complex' && def.anonymous ? 2 : def.name.ns === service.targetNamespace ? 0 : 1;
  const order = [...service.types.keys()].sort((a, b) => {
    const ga = group(service.types.get(a)!);
    const gb = group(service.types.get(b)!);
    return ga !== gb ? ga - gb : a < b ? -1 : a > b ? 1 : 0;
  });
  const names = new Map<string, string>();
  for (const key of order) {
    const def = service.types.get(key)!;
    const shape = shapes.get(key)!;
    const op = requestOf.get(key);
    const base = op ? safeIdentifier(`${op.name}Request`) : candidateName(def);
    const companions = shape.kind === 'enum' ? ['Values'] : [];
    names.set(key, claim(base, def, service.targetNamespace, taken, companions));
  }

  const types = [...service.types.keys()].map((key) => ({ key, name: names.get(key)!, shape: shapes.get(key)! }));
  const methodsTaken = new Set<string>();
  const operations = [...service.operations]
    .map((op) => op)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((op) => {
      let method = safeIdentifier(op.name.charAt(0).toLowerCase() + op.name.slice(1), { allowReserved: true });
      if (AGENT_MEMBERS.has(method)) method += '_';
      for (let i = 2; methodsTaken.has(method); i++) method = `${method.replace(/_\d+$/, '')}_${i}`;
      methodsTaken.add(method);
      return { op, method };
    });
  const byName = new Map(operations.map((o) => [o.op, o]));

  return {
    service,
    agent,
    agentClass,
    operationsConst,
    schemaConst,
    requestHeadersType,
    responseHeadersType,
    types,
    byKey: new Map(types.map((t) => [t.key, t])),
    operations: service.operations.map((op) => byName.get(op)!),
    namespaces: collectNamespaces(service),
  };
}

function candidateName(def: TypeDef): string {
  // Anonymous names look like "/Element" or "/Outer/Inner" or "List/item": join the segments.
  if (!def.name.local.includes('/')) return safeIdentifier(def.name.local);
  const segments = def.name.local.split('/').filter(Boolean);
  return safeIdentifier(segments.map(pascalSegment).join(''));
}

/**
 * Claims `base` (and `base + companion` for each companion, e.g. an enum's `Values` list).
 * On a clash: types outside the service namespace add their namespace's last segment; after that
 * (and for everyone else) a counter `_2`, `_3` … in QName order.
 */
function claim(base: string, def: TypeDef, serviceNs: string, taken: Set<string>, companions: readonly string[]): string {
  const free = (n: string) => !taken.has(n) && !isReservedTypeName(n) && companions.every((c) => !taken.has(n + c));
  const attempts = [base];
  if (def.name.ns !== serviceNs) {
    const seg = def.name.ns.replace(/[/#]+$/, '').split(/[/#:]/).pop() ?? '';
    if (seg) attempts.push(`${base}_${safeIdentifier(pascalSegment(seg))}`);
  }
  let chosen = attempts.find(free);
  for (let i = 2; !chosen; i++) if (free(`${base}_${i}`)) chosen = `${base}_${i}`;
  taken.add(chosen);
  for (const c of companions) taken.add(chosen + c);
  return chosen;
}

function shapeOf(def: TypeDef, service: Service): Shape {
  switch (def.kind) {
    case 'enum':
      return { kind: 'enum', def };
    case 'list':
      return { kind: 'list', def };
    case 'restriction':
      return { kind: 'restriction', def };
    case 'complex':
      break;
  }
  if (def.attributes.length > 0) {
    throw new GenerateError(
      `unsupported XSD construct: attributes on complex type "${def.name.local}" (xs:attribute ${def.attributes[0]!.name})`,
      def.attributes[0]!.location,
    );
  }
  const repeated = (f: ElementField) => f.maxOccurs === 'unbounded' || f.maxOccurs > 1;
  if (def.isDictionary) {
    const entry = def.fields[0];
    const entryDef = entry?.type.kind === 'named' ? service.types.get(qnameKey(entry.type.name)) : undefined;
    const key = entryDef?.kind === 'complex' ? entryDef.fields.find((f) => f.name === 'Key') : undefined;
    const value = entryDef?.kind === 'complex' ? entryDef.fields.find((f) => f.name === 'Value') : undefined;
    if (!entry || def.fields.length !== 1 || def.base || !repeated(entry) || entryDef?.kind !== 'complex' || !key || !value || entryDef.fields.length !== 2) {
      throw new GenerateError(
        `type "${def.name.local}" is marked IsDictionary but is not a sequence of repeated Key/Value entries`,
        def.location,
      );
    }
    const record = key.type.kind === 'primitive' && key.type.name === 'string';
    return { kind: 'dict', def, entry, key, value, record };
  }
  const only = def.fields[0];
  if (!def.base && def.fields.length === 1 && only && repeated(only) && !def.anonymous) {
    return { kind: 'array', def, item: only };
  }
  return { kind: 'interface', def };
}

function collectNamespaces(service: Service): string[] {
  const seen = new Set<string>();
  const add = (ns: string) => {
    if (ns) seen.add(ns);
  };
  add(service.targetNamespace);
  for (const s of service.schemas) add(s.targetNamespace);
  return [...seen];
}
