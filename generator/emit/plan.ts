// Plans, before anything is emitted, how each schema type is shown in TypeScript (its shape)
// and under which identifier. Names are a function of the QNames and one fixed clash rule,
// never of the order in which the emitter happens to visit things.
import { compareCodeUnits } from '../code-units.js';
import { GenerateError } from '../errors.js';
import {
  qnameKey,
  shownLocal,
  type AttributeField,
  type ComplexTypeDef,
  type ElementField,
  type EnumTypeDef,
  type ListTypeDef,
  type Operation,
  type QName,
  type RestrictionTypeDef,
  type Service,
  type TypeDef,
  type TypeRef,
} from '../model/types.js';
import { commentText, isReservedTypeName, safeIdentifier, pascalSegment } from './identifiers.js';

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

/** What resolving a schema reference needs: the planned types by QName key and the namespace table. */
export interface TypeScope {
  readonly byKey: ReadonlyMap<string, PlannedType>;
  /** The namespaces used on the wire, in first-declared order (metadata indexes into it). */
  readonly namespaces: readonly string[];
}

export interface EmitPlan extends TypeScope {
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
  readonly operations: readonly PlannedOperation[];
  /**
   * Where the types are declared: in the agent's own types.ts and metadata.ts (one WSDL in the
   * run), or once for all agents in the shared module (several WSDLs in one run).
   */
  readonly layout: 'own' | 'shared';
  /**
   * The service's name and its WSDL's file name (or URL) as comment text (commentText: a `*\/` or
   * a line break in them cannot end a comment): every generated comment that shows them uses these.
   */
  readonly labels: { readonly service: string; readonly source: string };
}

/**
 * Members of the runtime's SoapAgent base class, which generated methods must not shadow, and
 * `then`: an object with a then method is a thenable, so `await agent` or returning the agent from
 * an async function would call it (a SOAP call of an operation named Then).
 */
const AGENT_MEMBERS = new Set(['constructor', 'invoke', 'endpoint', 'wsdlAddress', 'operations', 'call', 'then']);

/** The session class of the top-level index.ts and its options type: no schema type may take these names. */
export const SESSION_CLASS = 'SuperOfficeClient';
export const SESSION_OPTIONS = 'SuperOfficeClientOptions';
export const SESSION_SERVICE = 'SuperOfficeService';
/**
 * The runtime names the entry (index.ts) re-exports (emit-entry.ts writes the list from these); a
 * schema type may not take them.
 */
export const ENTRY_RUNTIME_VALUES = ['DEFAULT_CREDENTIAL_REFUSALS', 'JwtError', 'KeyFormatError', 'OnlineError', 'renewingTicket', 'systemUserTicket', 'SystemUserSignInError', 'TenantNotRunningError', 'UsernamePasswordSignInError', 'usernamePasswordTicket'] as const;
export const ENTRY_RUNTIME_TYPES = ['CallEvent', 'CredentialRefusalList', 'Hooks', 'OnlineEnvironment', 'RetryOptions', 'TicketProvider', 'TicketSource'] as const;
/** The shared module's folder (several WSDLs in one run). */
export const SHARED_FOLDER = 'shared';

/** The names of one agent's own exports. */
function agentNames(service: Service) {
  const agent = safeIdentifier(service.name);
  return {
    agent,
    agentClass: `${agent}Agent`,
    operationsConst: `${agent}Operations`,
    schemaConst: `${agent}Schema`,
    requestHeadersType: `${agent}RequestHeaders`,
    responseHeadersType: `${agent}ResponseHeaders`,
  };
}

/**
 * Plans every agent of one run together. With one WSDL, its types are its own (today's layout).
 * With several, each XSD type (namespace + name) is planned once, for a shared module, and every
 * agent refers to it; see `mergeTypes` for definitions that differ between WSDLs.
 */
export function planAgents(services: readonly Service[]): EmitPlan[] {
  const layout = services.length > 1 ? 'shared' : 'own';
  const taken = new Set<string>();
  const reserve = (name: string): string => {
    if (taken.has(name)) throw new GenerateError(`two WSDLs would both export ${name} (agent names must differ)`);
    taken.add(name);
    return name;
  };
  // The session's names and every agent's own exports are reserved before any schema type.
  const names = services.map((s) => agentNames(s));
  for (const n of names) {
    reserve(n.agentClass);
    reserve(n.operationsConst);
    reserve(n.schemaConst);
    reserve(n.requestHeadersType);
    reserve(n.responseHeadersType);
  }
  reserve(SESSION_CLASS);
  reserve(SESSION_OPTIONS);
  reserve(SESSION_SERVICE);
  // What the entry re-exports from the runtime (templates/entry.ts.hbs).
  for (const name of [...ENTRY_RUNTIME_VALUES, ...ENTRY_RUNTIME_TYPES]) reserve(name);

  const views = planTypes(services, taken);
  const namespaces = layout === 'shared' ? sharedNamespaces(services) : undefined;
  return services.map((service, i) => {
    const view = views[i]!;
    const n = names[i]!;
    return {
      service,
      ...n,
      types: [...service.types.keys()].map((key) => view.get(key)!),
      byKey: view,
      operations: planOperations(service),
      namespaces: namespaces ?? collectNamespaces(service),
      layout,
      labels: { service: commentText(service.name), source: commentText(service.sourceFile) },
    };
  });
}

/** Every distinct planned type of the run once, in the shared module's order: by name (names are unique). */
export function sharedTypes(plans: readonly EmitPlan[]): PlannedType[] {
  const seen = new Set<PlannedType>();
  for (const p of plans) for (const t of p.types) seen.add(t);
  return [...seen].sort((a, b) => compareCodeUnits(a.name, b.name));
}

function planOperations(service: Service): PlannedOperation[] {
  const methodsTaken = new Set<string>();
  const operations = [...service.operations]
    .sort((a, b) => compareCodeUnits(a.name, b.name))
    .map((op) => {
      let method = safeIdentifier(op.name.charAt(0).toLowerCase() + op.name.slice(1), { allowReserved: true });
      if (AGENT_MEMBERS.has(method)) method += '_';
      for (let i = 2; methodsTaken.has(method); i++) method = `${method.replace(/_\d+$/, '')}_${i}`;
      methodsTaken.add(method);
      return { op, method };
    });
  const byName = new Map(operations.map((o) => [o.op, o]));
  return service.operations.map((op) => byName.get(op)!);
}

/** One definition of a QName, with the WSDLs that define it exactly so. */
interface Variant {
  readonly key: string;
  readonly def: TypeDef;
  /** The services that define it like this, sorted by agent name. */
  readonly services: Service[];
}

/**
 * Names every type of every service. Returns, per service, its QName key → planned type.
 * Priority: named types of a service namespace, then other named types, then anonymous ones;
 * inside a group, sorted by QName (and, for the variants of one QName, by agent name). The first
 * claimant keeps the plain name.
 */
function planTypes(services: readonly Service[], taken: Set<string>): Map<string, PlannedType>[] {
  const variants = mergeTypes(services);
  const serviceNamespaces = new Set(services.map((s) => s.targetNamespace));
  const group = (def: TypeDef): number =>
    def.kind === 'complex' && def.anonymous ? 2 : serviceNamespaces.has(def.name.ns) ? 0 : 1;
  const all = [...variants.values()].flat();
  all.sort((a, b) => group(a.def) - group(b.def) || compareCodeUnits(a.key, b.key) || compareCodeUnits(a.services[0]!.name, b.services[0]!.name));

  const planned = new Map<Variant, PlannedType>();
  const perService = new Map<Service, { entries: Set<string>; requests: Map<string, Operation> }>();
  for (const v of all) {
    const owner = v.services[0]!;
    let facts = perService.get(owner);
    if (!facts) {
      facts = { entries: dictionaryEntries(owner), requests: requestWrappers(owner) };
      perService.set(owner, facts);
    }
    const shape: Shape = facts.entries.has(v.key) && v.def.kind === 'complex' ? { kind: 'entry', def: v.def } : shapeOf(v.def, owner);
    const op = facts.requests.get(v.key);
    let base = op ? safeIdentifier(`${op.name}Request`) : candidateName(v.def);
    // A QName that WSDLs of this run define differently: each definition carries the agent's name.
    if (variants.get(v.key)!.length > 1) base = safeIdentifier(`${agentNames(owner).agent}${base}`);
    const companions = shape.kind === 'enum' ? ['Values'] : [];
    const name = claim(base, v.def, owner.targetNamespace, taken, companions);
    planned.set(v, { key: v.key, name, shape });
  }
  return services.map((service) => {
    const view = new Map<string, PlannedType>();
    for (const key of service.types.keys()) {
      // Most QNames have one definition, which every service defining them shares.
      const list = variants.get(key)!;
      const v = list.length === 1 ? list[0]! : list.find((x) => x.services.includes(service))!;
      view.set(key, planned.get(v)!);
    }
    return view;
  });
}

/**
 * Groups the definitions of each QName over all services. Equal definitions (everything but the
 * source location, documentation included) become one type. Different ones are kept apart only for
 * an operation's anonymous wrapper element, which nothing else refers to (Appointment's and EMail's
 * `Save` take different arguments); any other difference is refused, naming both WSDLs and the first
 * difference, because merging would change one agent's wire format and splitting would need two
 * names for what other types reference by one QName.
 */
function mergeTypes(services: readonly Service[]): Map<string, Variant[]> {
  const variants = new Map<string, Variant[]>();
  const wrappers = new Map<Service, Set<string>>();
  const wrapperOnly = (key: string, service: Service): boolean => {
    let keys = wrappers.get(service);
    if (!keys) wrappers.set(service, (keys = wrapperOnlyTypes(service)));
    return keys.has(key);
  };
  const byAgent = [...services].sort((a, b) => compareCodeUnits(agentNames(a).agent, agentNames(b).agent) || compareCodeUnits(a.sourceFile, b.sourceFile));
  for (const service of byAgent) {
    for (const [key, def] of service.types) {
      const list = variants.get(key);
      if (!list) {
        variants.set(key, [{ key, def, services: [service] }]);
        continue;
      }
      const same = list.find((v) => differenceOf(v.def, def) === undefined);
      if (same) {
        same.services.push(service);
        continue;
      }
      const other = list[0]!;
      if (!wrapperOnly(key, service) || !wrapperOnly(key, other.services[0]!)) {
        const diff = firstDifference(other.def, def)!;
        throw new GenerateError(
          `type ${shownLocal(def.name.local)} (namespace ${def.name.ns}) is defined differently in ${other.services[0]!.label} ` +
            `and ${service.label}: ${diff}. Generate these WSDLs into separate folders`,
          def.location,
        );
      }
      list.push({ key, def, services: [service] });
    }
  }
  return variants;
}

/** The keys of a service's anonymous types of an operation's body element that no other type refers to. */
function wrapperOnlyTypes(service: Service): Set<string> {
  const bodies = new Set<string>();
  for (const op of service.operations) {
    for (const msg of [op.input, op.output]) {
      const el = msg ? service.elements.get(qnameKey(msg.body)) : undefined;
      if (el?.type.kind === 'named') bodies.add(qnameKey(el.type.name));
    }
  }
  const referenced = new Set<string>();
  for (const t of service.types.values()) for (const r of references(t)) referenced.add(r);
  const keys = new Set<string>();
  for (const key of bodies) {
    const def = service.types.get(key);
    if (def && def.kind === 'complex' && def.anonymous && !referenced.has(key)) keys.add(key);
  }
  return keys;
}

function references(def: TypeDef): string[] {
  const refs: string[] = [];
  const add = (r: TypeRef) => {
    if (r.kind === 'named') refs.push(qnameKey(r.name));
  };
  switch (def.kind) {
    case 'complex':
      if (def.base) refs.push(qnameKey(def.base));
      for (const f of def.fields) add(f.type);
      for (const a of def.attributes) add(a.type);
      break;
    case 'list':
      add(def.item);
      break;
    case 'enum':
    case 'restriction':
      add(def.base);
      break;
  }
  return refs;
}

/** Where two values differ: the keys and indexes from the root (innermost first) and the two values there. */
interface Difference {
  readonly path: (string | number)[];
  readonly a: unknown;
  readonly b: unknown;
}

/**
 * The one rule for "defined alike": the first place where `a` and `b` differ, comparing everything
 * but source locations (`location` at any depth); undefined when they are equal. Equal is the
 * common case (1,612 comparisons over the 56 Services86 WSDLs), so no path or description is built
 * until a difference is found: the path is collected on the way back, and firstDifference words it.
 */
function differenceOf(a: unknown, b: unknown): Difference | undefined {
  if (Object.is(a, b)) return undefined;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) {
    return { path: [], a, b };
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const d = below(i, a[i], b[i]);
      if (d) return d;
    }
    return undefined;
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  for (const k of Object.keys(ra)) {
    const d = k === 'location' ? undefined : below(k, ra[k], rb[k]);
    if (d) return d;
  }
  for (const k of Object.keys(rb)) {
    const d = k === 'location' || Object.hasOwn(ra, k) ? undefined : below(k, undefined, rb[k]);
    if (d) return d;
  }
  return undefined;
}

/** differenceOf(x, y) of the values at `key` of two arrays or records, `key` added to its path. */
function below(key: string | number, x: unknown, y: unknown): Difference | undefined {
  const d = differenceOf(x, y);
  d?.path.push(key);
  return d;
}

/**
 * Where two definitions of one type first differ (differenceOf's rule; undefined when they are
 * equal), in the words of the schema: `its element Zip has minOccurs 1 in one and 0 in the
 * other`, `its element Text is xs:string in one and xs:int in the other`, `its element Zip is in
 * the other only`. A difference the schema has no short words for is named by its place in the
 * model (`patterns[0] is "a" in one and "b" in the other`).
 */
function firstDifference(a: TypeDef, b: TypeDef): string | undefined {
  const d = differenceOf(a, b);
  if (!d) return undefined;
  const steps = [...d.path].reverse();
  return wordedDifference(a, b, steps) ?? modelPathDifference(a, steps, d);
}

const KIND_TEXT: Readonly<Record<TypeDef['kind'], string>> = {
  complex: 'a complex type',
  enum: 'an enumeration',
  list: 'an xs:list',
  restriction: 'a simple type restriction',
};

/** `X in one and Y in the other`, each side as `show` words it: how every difference of two definitions is told. */
function inOneAndOther<T>(x: T, y: T, show: (v: T) => string): string {
  return `${show(x)} in one and ${show(y)} in the other`;
}

/** `in one only` or `in the other only`: a part that one definition has and the other lacks. */
function inOneOnly(inTheFirst: boolean): string {
  return `in ${inTheFirst ? 'one' : 'the other'} only`;
}

/** A value of the model as differences show it: JSON, cut at 80 characters; `absent` for none. */
function shownValue(v: unknown): string {
  return v === undefined ? 'absent' : JSON.stringify(v).slice(0, 80);
}

/** `X in one and Y in the other`, for two type references (a base, an element's type); the namespace is added where the names alone are equal. */
function twoTypes(x: TypeRef | QName | undefined, y: TypeRef | QName | undefined): string {
  const qname = (r: TypeRef | QName | undefined): QName | undefined =>
    r === undefined ? undefined : 'kind' in r ? (r.kind === 'primitive' ? { ns: 'http://www.w3.org/2001/XMLSchema', local: r.name } : r.name) : r;
  const [qx, qy] = [qname(x), qname(y)];
  const withNs = qx !== undefined && qy !== undefined && qx.local === qy.local;
  return inOneAndOther(qx, qy, (q) => {
    if (q === undefined) return 'none';
    const local = q.ns === 'http://www.w3.org/2001/XMLSchema' ? `xs:${q.local}` : shownLocal(q.local);
    return withNs ? `${local} (namespace ${q.ns})` : local;
  });
}

/** The words for the first difference `steps` (keys and indexes from the definition down) leads to; undefined when there are none. */
function wordedDifference(a: TypeDef, b: TypeDef, steps: readonly (string | number)[]): string | undefined {
  const [first, index, property] = steps;
  if (a.kind !== b.kind) return `it is ${inOneAndOther(a.kind, b.kind, (k) => KIND_TEXT[k])}`;
  if (first === 'documentation') return 'its documentation differs';
  if (first === 'base' && (a.kind === 'complex' || a.kind === 'enum' || a.kind === 'restriction')) {
    return `its base type is ${twoTypes(a.base, (b as typeof a).base)}`;
  }
  if (first === 'item' && a.kind === 'list' && b.kind === 'list') return `its item type is ${twoTypes(a.item, b.item)}`;
  if (first === 'isDictionary' && a.kind === 'complex') return `it is a WCF dictionary (IsDictionary) ${inOneOnly(a.isDictionary)}`;
  if ((first === 'fields' || first === 'attributes') && typeof index === 'number' && a.kind === 'complex' && b.kind === 'complex') {
    const what = first === 'fields' ? 'element' : 'attribute';
    const x: ElementField | AttributeField | undefined = a[first][index];
    const y: ElementField | AttributeField | undefined = b[first][index];
    if (!x || !y) return `its ${what} ${(x ?? y)!.name} is ${inOneOnly(x !== undefined)}`;
    const field = (f: ElementField | AttributeField, key: string): unknown => (f as unknown as Record<string, unknown>)[key];
    switch (property) {
      case 'name':
        return `its ${what} number ${index + 1} is ${inOneAndOther(x.name, y.name, String)}`;
      case 'type':
        return `its ${what} ${x.name} is ${twoTypes(x.type, y.type)}`;
      case 'minOccurs':
      case 'maxOccurs':
        return `its ${what} ${x.name} has ${property} ${inOneAndOther(field(x, property), field(y, property), String)}`;
      case 'nillable':
      case 'required':
        return `its ${what} ${x.name} is ${property} ${inOneOnly(Boolean(field(x, property)))}`;
      case 'ns':
        return `its ${what} ${x.name} is ${inOneAndOther(x.ns, y.ns, (ns) => (ns ? `in namespace ${ns}` : 'unqualified'))}`;
      case 'documentation':
        return `the documentation of its ${what} ${x.name} differs`;
    }
  }
  if (first === 'values' && typeof index === 'number' && a.kind === 'enum' && b.kind === 'enum') {
    const x = a.values[index];
    const y = b.values[index];
    if (!x || !y) return `its enumeration value ${shownValue((x ?? y)!.value)} is ${inOneOnly(x !== undefined)}`;
    switch (property) {
      case 'value':
        return `its enumeration value number ${index + 1} is ${inOneAndOther(x.value, y.value, shownValue)}`;
      case 'numeric':
        return `its enumeration value ${shownValue(x.value)} stands for ${inOneAndOther(x.numeric, y.numeric, (n) => n ?? 'no number')}`;
      case 'documentation':
        return `the documentation of its enumeration value ${shownValue(x.value)} differs`;
    }
  }
  return undefined;
}

/** A difference named by its place in the model: `patterns[0] is "a" in one and "b" in the other` (an array element by its name where it has one). */
function modelPathDifference(a: TypeDef, steps: readonly (string | number)[], d: Difference): string {
  let path = '';
  let node: unknown = a;
  for (const step of steps) {
    node = (node as Record<string | number, unknown> | undefined)?.[step];
    if (typeof step === 'string') path = path ? `${path}.${step}` : step;
    else {
      const name = (node as { name?: unknown } | undefined)?.name;
      path = `${path}[${step}]${typeof name === 'string' ? ` (${name})` : ''}`;
    }
  }
  return `${path || 'the definition'} is ${inOneAndOther(d.a, d.b, shownValue)}`;
}

/** Which anonymous wrapper belongs to which operation input: those become `<Op>Request`. */
function requestWrappers(service: Service): Map<string, Operation> {
  const requestOf = new Map<string, Operation>();
  for (const op of service.operations) {
    const el = service.elements.get(qnameKey(op.input.body));
    if (el?.type.kind === 'named') requestOf.set(qnameKey(el.type.name), op);
  }
  return requestOf;
}

/** The keys of a service's dictionary entry types (validating each dictionary): they fold into their dictionary. */
function dictionaryEntries(service: Service): Set<string> {
  const entries = new Set<string>();
  for (const def of service.types.values()) {
    if (def.kind !== 'complex' || !def.isDictionary) continue;
    const shape = shapeOf(def, service); // throws on a malformed dictionary
    if (shape.kind === 'dict' && shape.entry.type.kind === 'named') entries.add(qnameKey(shape.entry.type.name));
  }
  return entries;
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

/** The union of the services' namespaces, services in agent-name order: the shared module's table. */
function sharedNamespaces(services: readonly Service[]): string[] {
  const sorted = [...services].sort((a, b) => compareCodeUnits(agentNames(a).agent, agentNames(b).agent));
  return [...new Set(sorted.flatMap((s) => collectNamespaces(s)))];
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
