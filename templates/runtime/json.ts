// Typed values <-> JSON values, driven by the same schema metadata as the XML codec (encode.ts,
// decode.ts): the second interpreter of those tables, for SuperOffice's REST Agents API
// (`POST {installation}/api/v1/Agents/{Agent}/{Method}`), which carries the very same carriers as
// JSON, the way .NET's Json.NET writes them:
//
//   schema                      typed value               JSON
//   xs:dateTime                 Date                      "2014-08-25T14:19:03.3883958+02:00" (any offset, 7-digit fractions)
//   xs:base64Binary             Uint8Array                base64 string
//   enumeration                 string-literal union      the value's name
//   xs:list of an enumeration   array of the union        .NET flags: "Seen, Answered" (0 or "" for none)
//                                                         (and .NET's combined names read: "FULL", DOTNET_FLAG_COMBINATIONS)
//   other xs:list               array                     array
//   ArrayOfX, repeated element  array                     array
//   dictionary (string keys)    Record<string, V>         object
//   dictionary (other keys)     { Key, Value }[]          object keyed by the key's text, as Json.NET writes
//                                                         any dictionary: { "1": "a" } (List agent's
//                                                         IntStringDictionary); a complex key: [{ "Key", "Value" }]
//   nillable                    null                      null
//   xs:char                     one-character string      one-character string (a code number is read too)
//   xs:duration (.NET TimeSpan) ISO 8601 text (`PT15M`)    Json.NET's "c" format: "00:15:00", "1.02:03:04.5000000" (ISO is read too)
//   float/double NaN, ±Infinity number                    "NaN", "Infinity", "-Infinity" (Json.NET's strings)
//   xs:anyType (.NET object)    unknown                   a scalar as itself (Date, Uint8Array as their text); an object
//                                                         of a service type with "$type"; other arrays and objects as
//                                                         plain JSON (Json.NET writes no $type unless told to)
//
// Lexical rules are not repeated here: scalars are checked and parsed by scalars.ts (the same
// range checks, date and base64 parsing as SOAP); enumeration values, list items and patterns are
// checked by schema.ts, so a bad value gets the same message as on SOAP.
// Strict about values (a DecodeError naming the property path); about properties the schema does
// not declare, lenient by default (skipped) or strict with unknownElements: 'error', as in XML.
//
// Below the values, one operation's messages on the Agents API (`restCodec(operation)`, the JSON
// side of an operation codec, and the error objects that stand for a failure). Only REST loads this
// module: the REST transport, the mock's REST side, and applications that call restCodec.
import { DecodeError, EncodeError, MAX_INNER_EXCEPTIONS, SoExceptionError, type SoExceptionInfoFields } from './errors.js';
import { setProperty, type UnknownElements } from './decode.js';
import { responseMessage, type OperationCodec } from './operation.js';
import { DURATION_RE, formatScalar, parseScalar, ScalarError, shortText } from './scalars.js';
import { enumProblem, field, listItemProblem, pathString, patternProblem, restrictionProblem, scalarKind, schemaIndex } from './schema.js';
import type { DictDesc, EnumDesc, FieldDesc, ListDesc, MessageDesc, OperationDesc, Path, RestrictedDesc, ScalarKind, SchemaIndex, TypeDesc } from './schema.js';

/** A JSON value as JSON.parse returns it and JSON.stringify writes it. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Default nesting limit of decoded objects, as the XML reader's 256 levels. */
const JSON_MAX_DEPTH = 256;

/** `-0500` (an offset without a colon, as SO-TimeZone's includeTZOffset writes it) -> `-05:00`. */
const JSON_COMPACT_OFFSET = /([+-]\d\d)(\d\d)$/;

// .NET's TimeSpan: WCF writes it as xs:duration (ISO 8601, `PT15M`), Json.NET as its constant ("c")
// format `[-][d.]hh:mm:ss[.fffffff]` and reads it with TimeSpan.Parse, which refuses `PT15M`. A real
// AppointmentEntity from SuperOffice Online's REST API reads `"AlarmLeadTime":"00:00:00"` (FieldType
// System.TimeSpan). The typed value stays the ISO text on both transports; only the JSON differs.
// Whole seconds are counted in a Number (exact far beyond TimeSpan's range), the 100-ns ticks
// below a second apart.

const TIMESPAN_C = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d\d):(\d\d)(?:\.(\d{1,7}))?$/;
/** TimeSpan.MaxValue, 10675199.02:48:05.4775807: its whole seconds and the ticks after them (MinValue has one tick more). */
const TIMESPAN_MAX_SECONDS = 922_337_203_685;
const TIMESPAN_MAX_TICKS = 4_775_807;

/** An ISO 8601 duration (already checked by formatScalar) as Json.NET writes a TimeSpan: `PT90M` -> `01:30:00`. */
function timeSpanText(iso: string): string {
  const m = DURATION_RE.exec(iso)!;
  const [, minus, years, months, days, hours, minutes, secs, fraction = ''] = m;
  if (Number(years ?? 0) !== 0 || Number(months ?? 0) !== 0) throw new ScalarError(`"${shortText(iso)}" has years or months, which a .NET TimeSpan does not (give days)`);
  if (/[1-9]/.test(fraction.slice(7))) throw new ScalarError(`"${shortText(iso)}" is finer than a TimeSpan's 100 ns (7 fractional digits)`);
  const seconds = ((Number(days ?? 0) * 24 + Number(hours ?? 0)) * 60 + Number(minutes ?? 0)) * 60 + Number(secs ?? 0);
  const ticks = Number(fraction.slice(0, 7).padEnd(7, '0'));
  const maxTicks = minus ? TIMESPAN_MAX_TICKS + 1 : TIMESPAN_MAX_TICKS;
  if (seconds > TIMESPAN_MAX_SECONDS || (seconds === TIMESPAN_MAX_SECONDS && ticks > maxTicks)) {
    throw new ScalarError(`"${shortText(iso)}" is out of range for a .NET TimeSpan (10675199 days and 02:48:05.4775807 either way)`);
  }
  const two = (n: number): string => String(n).padStart(2, '0');
  const day = Math.floor(seconds / 86_400);
  const clock = `${two(Math.floor(seconds / 3600) % 24)}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}`;
  const sign = minus && (seconds > 0 || ticks > 0) ? '-' : ''; // -PT0S is TimeSpan.Zero
  return `${sign}${day > 0 ? `${day}.` : ''}${clock}${ticks > 0 ? `.${String(ticks).padStart(7, '0')}` : ''}`;
}

/** A TimeSpan as Json.NET writes it (`01:30:00`) as the ISO 8601 duration of the typed value (`PT1H30M`); ISO text is read as it is. */
function isoDuration(text: string): string {
  if (/^-?P/.test(text)) return parseScalar('duration', text) as string;
  const m = TIMESPAN_C.exec(text);
  if (m === null) throw new ScalarError(`"${shortText(text)}" is not a .NET TimeSpan ([-][d.]hh:mm:ss[.fffffff]) or an ISO 8601 duration`);
  const [, minus, days, hours, minutes, secs, fraction = ''] = m;
  if (Number(hours) > 23 || Number(minutes) > 59 || Number(secs) > 59) throw new ScalarError(`"${shortText(text)}" is not a .NET TimeSpan (hours 0-23, minutes and seconds 0-59)`);
  const part = (digits: string | undefined, unit: string): string => (Number(digits ?? 0) > 0 ? `${Number(digits)}${unit}` : '');
  const fractionDigits = fraction.replace(/0+$/, '');
  const second = fractionDigits !== '' ? `${Number(secs)}.${fractionDigits}S` : part(secs, 'S');
  const time = `${part(hours, 'H')}${part(minutes, 'M')}${second}`;
  const date = part(days, 'D');
  if (date === '' && time === '') return 'PT0S';
  return `${minus ?? ''}P${date}${time === '' ? '' : `T${time}`}`;
}

function jsonDescribe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a Date';
  if (value instanceof Uint8Array) return 'a Uint8Array';
  if (typeof value === 'object') return 'an object';
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    // a BigInt: described by its digits, so the caller's EncodeError is thrown rather than a TypeError
  }
  return `${typeof value} ${shortText(text ?? String(value))}`;
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date) && !(value instanceof Uint8Array);
}

/** An object literal's kind of object (or one without a prototype): what xs:anyType writes as plain JSON. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Whether a dictionary's keys are written as property names (Json.NET writes every dictionary as
 * an object, its keys as text): string-like, number, date and enumeration keys. Only a complex
 * key, which has no such text, keeps the { Key, Value } entries.
 */
function jsonKeyedByText(index: SchemaIndex, desc: DictDesc): boolean {
  if (scalarKind(desc.key.type) !== undefined) return true;
  const kind = index.type(desc.key.type)?.kind;
  return kind === 'enum' || kind === 'restricted';
}

/**
 * The names Json.NET writes for .NET flag combinations the WSDL's enumeration does not list (a value
 * equal to a named combination is written as that name), by the list type's name: SuperOffice's
 * ETableRight and EFieldRight (SuperOffice.Data in SoCore.dll, as its reference documents them).
 * A real REST response reads `"TableRight": { "Mask": "FULL" }`, and http-headers.md documents
 * `"FieldRight": { "Mask": "Update, UIHintMandatory" }`. Read as the flags they stand for (when
 * those are the enumeration's values); written as those flags, which Json.NET reads as well.
 * EFieldRight's Nullable is the bit the WSDL names Unused4.
 */
const DOTNET_FLAG_COMBINATIONS: ReadonlyMap<string, ReadonlyMap<string, readonly string[]>> = new Map([
  [
    'ETableRight',
    new Map([
      ['None', []],
      ['R', ['Select']],
      ['F', ['Filtering']],
      ['UR', ['Select', 'Update']],
      ['RI', ['Select', 'Insert']],
      ['URI', ['Select', 'Update', 'Insert']],
      ['UDR', ['Select', 'Update', 'Delete']],
      ['FULL', ['Select', 'Update', 'Insert', 'Delete']],
      ['RF', ['Select', 'Filtering']],
      ['FI', ['Filtering', 'Insert']],
      ['URU', ['Update', 'RestrictedUpdate']],
      ['WRITE', ['Update', 'Insert', 'RestrictedUpdate']],
    ]),
  ],
  [
    'EFieldRight',
    new Map([
      ['None', []],
      ['Update', ['Read', 'Write']],
      ['FULL', ['Read', 'Write']],
      ['Nullable', ['Unused4']],
      ['UIHints', ['UIHintMandatory', 'UIHintReadOnly']],
    ]),
  ],
]);

/** The enumeration an xs:list's items come from (then the list is .NET flags), if any. */
function jsonFlagsOf(index: SchemaIndex, itemKey: string): EnumDesc | undefined {
  const desc = index.type(itemKey);
  return desc?.kind === 'enum' ? desc : undefined;
}

// ---------------------------------------------------------------------------------------------
// Typed value -> JSON value

export class JsonEncoder {
  private readonly index: SchemaIndex;
  private readonly operation: string | undefined;
  /** Plain JSON values (xs:anyType) being written, outermost first. */
  private plainDepth = 0;

  constructor(index: SchemaIndex, operation?: string) {
    this.index = index;
    this.operation = operation;
  }

  private fail(message: string, path: Path | undefined): never {
    throw new EncodeError(message, pathString(path), this.operation);
  }

  /** The JSON value of `field` holding `value` (a JSON array for a repeated field); undefined stays undefined. */
  field(field: FieldDesc, value: unknown, parent: Path | undefined): JsonValue | undefined {
    const path: Path = { parent, name: field.name, index: -1 };
    if (value === undefined) {
      if (!field.optional) this.fail(`the required element ${field.name} is missing`, path);
      return undefined;
    }
    if (!field.repeated) return this.element(field, value, path);
    if (!Array.isArray(value)) return this.fail('expected an array (the element repeats)', path);
    return value.map((item, i) => this.element(field, item, { parent, name: field.name, index: i }));
  }

  /** One value of `field` (null where the schema allows nil). */
  element(field: FieldDesc, value: unknown, path: Path): JsonValue {
    if (value === null || value === undefined) {
      if (!field.nillable) this.fail(value === null ? 'null is not allowed here (the element is not nillable)' : 'a value is required', path);
      return null;
    }
    return this.typed(field.type, value, path);
  }

  /** The properties of complex type `typeKey` holding `record`, in schema order (base fields first). */
  properties(typeKey: string, record: Record<string, unknown>, path: Path | undefined, skip?: ReadonlySet<string>): Record<string, JsonValue> {
    const out: Record<string, JsonValue> = {};
    for (const f of this.index.complexInfo(typeKey).fields) {
      if (skip?.has(f.name)) continue;
      const v = this.field(f, record[f.name], path);
      if (v !== undefined) setProperty(out, f.name, v);
    }
    return out;
  }

  private typed(typeKey: string, value: unknown, path: Path): JsonValue {
    const kind = scalarKind(typeKey);
    if (kind) return this.scalar(kind, value, path);
    if (typeKey === 'xs:anyType') return this.any(value, path);
    const desc = this.index.type(typeKey);
    if (!desc) return this.fail(`internal: unknown type ${typeKey}`, path);
    switch (desc.kind) {
      case 'complex':
        if (!isJsonObject(value)) return this.fail(`expected an object (${desc.name}), got ${jsonDescribe(value)}`, path);
        return this.properties(typeKey, value, path);
      case 'array':
        if (!Array.isArray(value)) return this.fail(`expected an array (${desc.name}), got ${jsonDescribe(value)}`, path);
        return value.map((item, i) => this.element(desc.item, item, { parent: path.parent, name: path.name, index: i }));
      case 'dict':
        return this.dict(desc, value, path);
      case 'enum':
        return this.enumValue(desc, value, path);
      case 'list': {
        if (!Array.isArray(value)) return this.fail(`expected an array (xs:list), got ${jsonDescribe(value)}`, path);
        const items = value.map((item, i) => this.listItem(desc.item, item, { parent: path.parent, name: path.name, index: i }));
        if (jsonFlagsOf(this.index, desc.item) === undefined) return items;
        // .NET writes a [Flags] enum as its names joined by ", "; no flag at all is the number 0.
        return items.length === 0 ? 0 : items.join(', ');
      }
      case 'restricted':
        return this.restricted(desc, value, path);
    }
  }

  private scalar(kind: ScalarKind, value: unknown, path: Path): JsonValue {
    let lexical: string;
    try {
      if (kind === 'string' || kind === 'anyURI' || kind === 'QName') {
        // JSON carries every character; the XML 1.0 character check of formatScalar does not apply.
        if (typeof value !== 'string') throw new ScalarError(`expected a string, got ${jsonDescribe(value)}`);
        return value;
      }
      lexical = formatScalar(kind, value); // the type and range checks of the XML side
      if (kind === 'duration') return timeSpanText(lexical);
    } catch (err) {
      if (err instanceof ScalarError) return this.fail(err.message, path);
      throw err;
    }
    switch (kind) {
      case 'boolean':
        return value as boolean;
      case 'float':
      case 'double': {
        const n = value as number;
        if (Number.isFinite(n)) return n === 0 ? 0 : n;
        return Number.isNaN(n) ? 'NaN' : n > 0 ? 'Infinity' : '-Infinity';
      }
      case 'dateTime':
      case 'base64Binary':
        return lexical;
      case 'char':
        return value as string;
      default: // the integer kinds and decimal
        return (value as number) === 0 ? 0 : (value as number);
    }
  }

  private enumValue(desc: EnumDesc, value: unknown, path: Path): string {
    const problem = enumProblem(desc.values, value);
    return problem === undefined ? (value as string) : this.fail(problem, path);
  }

  /** One item of an xs:list: its type's value, under the list's own rule (as the XML encoder's). */
  private listItem(itemKey: string, value: unknown, path: Path): JsonValue {
    const json = this.typed(itemKey, value, path);
    const problem = typeof json === 'string' ? listItemProblem(json) : undefined;
    return problem === undefined ? json : this.fail(problem, path);
  }

  private restricted(desc: RestrictedDesc, value: unknown, path: Path): JsonValue {
    const kind = scalarKind(desc.base);
    if (!kind) return this.fail(`internal: restriction base ${desc.base} is not a scalar`, path);
    const json = this.scalar(kind, value, path);
    // The pattern is the XML lexical form's: the JSON text, except a TimeSpan's and a number's.
    const problem = patternProblem(desc.patterns, typeof json === 'string' && kind !== 'duration' ? json : formatScalar(kind, value));
    return problem === undefined ? json : this.fail(problem, path);
  }

  private dict(desc: DictDesc, value: unknown, path: Path): JsonValue {
    if (desc.record) {
      if (!isJsonObject(value)) return this.fail(`expected an object (dictionary), got ${jsonDescribe(value)}`, path);
      const out: Record<string, JsonValue> = {};
      for (const k of Object.keys(value)) setProperty(out, k, this.element(desc.value, value[k], { parent: path, name: k, index: -1 }));
      return out;
    }
    if (!Array.isArray(value)) return this.fail('expected an array of { Key, Value } entries (dictionary)', path);
    const entries = value.map((e, i) => {
      const entryPath: Path = { parent: path.parent, name: path.name, index: i };
      if (!isJsonObject(e)) return this.fail('expected a { Key, Value } entry', entryPath);
      return {
        Key: this.element(desc.key, e['Key'], { parent: entryPath, name: 'Key', index: -1 }),
        Value: this.element(desc.value, e['Value'], { parent: entryPath, name: 'Value', index: -1 }),
      };
    });
    if (!jsonKeyedByText(this.index, desc)) return entries;
    // Json.NET's form: { "1": "a" }. A key is a property name, so it can be neither null nor repeated.
    const out: Record<string, JsonValue> = {};
    entries.forEach((e, i) => {
      const keyPath: Path = { parent: { parent: path.parent, name: path.name, index: i }, name: 'Key', index: -1 };
      if (e.Key === null) this.fail('a dictionary key cannot be null (it is written as a property name)', keyPath);
      const key = typeof e.Key === 'string' ? e.Key : JSON.stringify(e.Key);
      if (Object.prototype.hasOwnProperty.call(out, key)) this.fail(`the key ${shortText(key)} is repeated (a dictionary holds each key once)`, keyPath);
      setProperty(out, key, e.Value);
    });
    return out;
  }

  /**
   * xs:anyType: strings, numbers and booleans as they are; a Date or Uint8Array as its text; an
   * object by its `$type`; an array, or an object without `$type`, as plain JSON (`plain`).
   */
  private any(value: unknown, path: Path): JsonValue {
    if (typeof value === 'string' || typeof value === 'boolean') return value;
    if (typeof value === 'number') return this.scalar('double', value, path);
    if (value instanceof Date) return this.scalar('dateTime', value, path);
    if (value instanceof Uint8Array) return this.scalar('base64Binary', value, path);
    // (Only a plain object: a Map, Set or class instance would be written as {} or by its own
    // properties, as JSON.stringify does, its contents lost without a word.)
    if (Array.isArray(value) || (isPlainObject(value) && value['$type'] === undefined)) return this.plain(value, path);
    if (isJsonObject(value) && typeof value['$type'] === 'string') {
      const key = value['$type'];
      const desc = this.index.type(key);
      if (!desc || (desc.kind !== 'complex' && desc.kind !== 'array' && desc.kind !== 'dict')) {
        return this.fail(`$type "${key}" is not a complex type of this service`, path);
      }
      const json = this.typed(key, value, path);
      if (isJsonObject(json)) return { $type: key, ...json };
      return json;
    }
    return this.fail('an xs:anyType value must be a string, number, boolean, Date, Uint8Array, null, an array or a plain object', path);
  }

  /** Plain JSON in an xs:anyType slot: each item and property is an xs:anyType value again (null stays null, undefined is left out). */
  private plain(value: readonly unknown[] | Record<string, unknown>, path: Path): JsonValue {
    // A cycle would recurse until the stack ends: refused at the decoder's nesting limit instead.
    if (++this.plainDepth > JSON_MAX_DEPTH) this.fail(`the value nests arrays and objects deeper than ${JSON_MAX_DEPTH} levels (a cycle?)`, path);
    let out: JsonValue;
    if (Array.isArray(value)) {
      out = value.map((v: unknown, i) => (v === null || v === undefined ? null : this.any(v, plainItemPath(path, i))));
    } else {
      const record = value as Record<string, unknown>;
      const object: Record<string, JsonValue> = {};
      for (const k of Object.keys(record)) {
        const v = record[k];
        if (v !== undefined) setProperty(object, k, v === null ? null : this.any(v, { parent: path, name: k, index: -1 }));
      }
      out = object;
    }
    this.plainDepth--;
    return out;
  }
}

/** Where item `i` of plain JSON at `path` is: `Data/k[1]`, or `Data/k[0]/item[1]` in an array's array. */
function plainItemPath(path: Path, i: number): Path {
  return path.index < 0 ? { parent: path.parent, name: path.name, index: i } : { parent: path, name: 'item', index: i };
}

// ---------------------------------------------------------------------------------------------
// JSON value -> typed value
//
// The decoder works on what JSON.parse returned and converts it in place: strings become Dates,
// Uint8Arrays and flag arrays where the schema says so, and properties the schema does not declare
// are removed (or refused). Everything else -- numbers, booleans, strings, the objects and arrays
// themselves -- is checked and kept, so decoding allocates little beyond JSON.parse.
// Bench: the `decode-json` case (within 3× of JSON.parse alone).

/** How the decoder reads one field, derived once per field from the schema. */
interface JsonSlot {
  readonly field: FieldDesc;
  /** A built-in scalar kind; undefined for every other type. */
  readonly scalar: ScalarKind | undefined;
  /** The field's type description (undefined for scalars and xs:anyType). */
  readonly desc: TypeDesc | undefined;
  /** JSON_STRING ...: the common scalars, checked without going through `scalar`; 0 for the others. */
  readonly fast: number;
}

const JSON_STRING = 1;
const JSON_INT = 2;
const JSON_BOOLEAN = 3;
const JSON_FAST_CODES: Partial<Record<ScalarKind, number>> = { string: JSON_STRING, int: JSON_INT, boolean: JSON_BOOLEAN };

/** A complex type as the decoder reads it: its fields by property name, and the required ones. */
interface JsonComplexPlan {
  readonly slots: ReadonlyMap<string, JsonSlot>;
  readonly required: readonly FieldDesc[];
}

/** The decoder's view of one schema, built on first use and kept as long as the schema. */
class JsonPlan {
  private readonly index: SchemaIndex;
  private readonly slotsByField = new Map<FieldDesc, JsonSlot>();
  private readonly complexByKey = new Map<string, JsonComplexPlan>();
  private readonly listItems = new Map<ListDesc, JsonSlot>();

  constructor(index: SchemaIndex) {
    this.index = index;
  }

  slot(field: FieldDesc): JsonSlot {
    let slot = this.slotsByField.get(field);
    if (slot === undefined) {
      const scalar = scalarKind(field.type);
      const fast = scalar === undefined ? 0 : (JSON_FAST_CODES[scalar] ?? 0);
      slot = { field, scalar, desc: scalar === undefined ? this.index.type(field.type) : undefined, fast };
      if (scalar === undefined && slot.desc === undefined && field.type !== 'xs:anyType') throw new Error(`internal: unknown type ${field.type}`);
      this.slotsByField.set(field, slot);
    }
    return slot;
  }

  /** The slot of an xs:list's items (a list that is not .NET flags: a JSON array). */
  listItem(list: ListDesc): JsonSlot {
    let slot = this.listItems.get(list);
    if (slot === undefined) {
      slot = this.slot(field('item', -1, list.item));
      this.listItems.set(list, slot);
    }
    return slot;
  }

  complex(key: string): JsonComplexPlan {
    let plan = this.complexByKey.get(key);
    if (plan === undefined) {
      const info = this.index.complexInfo(key);
      const slots = new Map<string, JsonSlot>();
      for (const f of info.fields) slots.set(f.name, this.slot(f));
      plan = { slots, required: info.required };
      this.complexByKey.set(key, plan);
    }
    return plan;
  }
}

const jsonPlans = new WeakMap<SchemaIndex, JsonPlan>();

function jsonPlanOf(index: SchemaIndex): JsonPlan {
  let plan = jsonPlans.get(index);
  if (plan === undefined) {
    plan = new JsonPlan(index);
    jsonPlans.set(index, plan);
  }
  return plan;
}

function isParsedObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export class JsonDecoder {
  private readonly index: SchemaIndex;
  private readonly plan: JsonPlan;
  private readonly operation: string | undefined;
  private readonly strict: boolean;
  private readonly maxDepth: number;
  /** Objects being decoded, outermost first: bounded, because schema types nest (InReplyTo holds an EMailEnvelope). */
  private depth = 0;

  constructor(index: SchemaIndex, operation?: string, unknownElements?: UnknownElements, maxDepth: number = JSON_MAX_DEPTH) {
    this.index = index;
    this.plan = jsonPlanOf(index);
    this.operation = operation;
    this.strict = unknownElements === 'error';
    this.maxDepth = maxDepth;
  }

  fail(message: string, path: Path | undefined): never {
    throw new DecodeError(message, pathString(path), this.operation);
  }

  /** Fails at the child `name` (index `index`, -1 when not repeated) of `parent`: paths are made only for errors. */
  private failAt(message: string, parent: Path | undefined, name: string, index: number): never {
    return this.fail(message, { parent, name, index });
  }

  /** The typed value of `field` from its JSON value (an array of values for a repeated field). */
  field(field: FieldDesc, json: unknown, path: Path): unknown {
    return this.slotValue(this.plan.slot(field), json, path.parent, path.name, path.index);
  }

  /** One value of `field` (not the array of a repeated field). */
  element(field: FieldDesc, json: unknown, path: Path): unknown {
    return this.item(this.plan.slot(field), json, path.parent, path.name, path.index);
  }

  /**
   * The value of complex type `typeKey` from the parsed JSON object `json` (converted in place);
   * `preset` holds properties already decoded (a request's query-string parameters).
   */
  properties(typeKey: string, json: unknown, path: Path | undefined, preset?: Record<string, unknown>): Record<string, unknown> {
    if (!isParsedObject(json)) return this.fail(`expected an object, got ${jsonDescribe(json)}`, path);
    const out = this.complex(typeKey, json, path);
    if (preset) for (const k of Object.keys(preset)) setProperty(out, k, preset[k]);
    return out;
  }

  private slotValue(slot: JsonSlot, json: unknown, parent: Path | undefined, name: string, index: number): unknown {
    if (!slot.field.repeated || json === null) return this.item(slot, json, parent, name, index);
    if (!Array.isArray(json)) return this.failAt(`expected an array (the element repeats), got ${jsonDescribe(json)}`, parent, name, index);
    for (let i = 0; i < json.length; i++) json[i] = this.item(slot, json[i], parent, name, i);
    return json;
  }

  private item(slot: JsonSlot, json: unknown, parent: Path | undefined, name: string, index: number): unknown {
    if (json === null) {
      if (!slot.field.nillable) this.failAt(`null, which the schema does not allow for ${slot.field.name} (not nillable)`, parent, name, index);
      return null;
    }
    // The common scalars in their common form; anything else (and every error) goes through `scalar`.
    // Bench: the `tricks` case, row trick-json-common-scalars.
    switch (slot.fast) {
      case JSON_STRING:
        if (typeof json === 'string') return json;
        break;
      case JSON_INT:
        if (typeof json === 'number' && (json | 0) === json && (json !== 0 || 1 / json > 0)) return json;
        break;
      case JSON_BOOLEAN:
        if (typeof json === 'boolean') return json;
    }
    if (slot.scalar !== undefined) return this.scalar(slot.scalar, json, parent, name, index);
    if (slot.desc === undefined) return this.any(json, parent, name, index);
    return this.described(slot.field.type, slot.desc, json, parent, name, index);
  }

  /** A complex object, converted in place: its declared properties decoded, others removed (or refused). */
  private complex(typeKey: string, json: Record<string, unknown>, path: Path | undefined): Record<string, unknown> {
    if (++this.depth > this.maxDepth) this.fail(`the message nests objects deeper than ${this.maxDepth} levels`, path);
    const plan = this.plan.complex(typeKey);
    let requiredSeen = 0;
    for (const key in json) {
      const slot = plan.slots.get(key);
      if (slot === undefined) {
        if (this.strict) this.failAt(`unknown property ${shortText(key)}: the schema does not declare it here (unknownElements: 'error')`, path, key, -1);
        delete json[key];
        continue;
      }
      const v = json[key];
      const decoded = this.slotValue(slot, v, path, key, -1);
      // Written back only when it changed (a Date for a string ...; 0 for -0, which === cannot tell); a key "__proto__" stays data.
      if (decoded !== v || decoded === 0) setProperty(json, key, decoded);
      if (!slot.field.optional) requiredSeen++;
    }
    if (requiredSeen < plan.required.length) {
      for (const f of plan.required) {
        if (!Object.prototype.hasOwnProperty.call(json, f.name)) this.fail(`the required element ${f.name} is missing`, path);
      }
    }
    this.depth--;
    return json;
  }

  private described(typeKey: string, desc: TypeDesc, json: unknown, parent: Path | undefined, name: string, index: number): unknown {
    switch (desc.kind) {
      case 'complex':
        if (!isParsedObject(json)) return this.failAt(`expected an object (${desc.name}), got ${jsonDescribe(json)}`, parent, name, index);
        return this.complex(typeKey, json, { parent, name, index });
      case 'array': {
        if (!Array.isArray(json)) return this.failAt(`expected an array (${desc.name}), got ${jsonDescribe(json)}`, parent, name, index);
        const item = this.plan.slot(desc.item);
        for (let i = 0; i < json.length; i++) json[i] = this.item(item, json[i], parent, name, i);
        return json;
      }
      case 'dict':
        return this.dict(desc, json, { parent, name, index });
      case 'enum':
        return this.enumValue(desc, json, parent, name, index);
      case 'list': {
        const flags = jsonFlagsOf(this.index, desc.item);
        if (flags === undefined) {
          if (!Array.isArray(json)) return this.failAt(`expected an array (xs:list), got ${jsonDescribe(json)}`, parent, name, index);
          const item = this.plan.listItem(desc);
          for (let i = 0; i < json.length; i++) {
            const text = json[i];
            const problem = typeof text === 'string' ? listItemProblem(text) : undefined;
            if (problem !== undefined) this.failAt(problem, parent, name, i);
            json[i] = this.item(item, text, parent, name, i);
          }
          return json;
        }
        // .NET flags: "A, B"; 0 (or "") when no flag is set.
        if (json === 0 || json === '') return [];
        if (typeof json !== 'string') return this.failAt(`expected a string of flags ("A, B"), got ${jsonDescribe(json)}`, parent, name, index);
        const items = json.split(',');
        const combined = DOTNET_FLAG_COMBINATIONS.get(typeKey);
        if (combined !== undefined) return this.combinedFlags(flags, combined, items, parent, name);
        for (let i = 0; i < items.length; i++) items[i] = this.enumValue(flags, items[i]!.trim(), parent, name, i);
        return items;
      }
      case 'restricted':
        return this.restricted(desc, json, parent, name, index);
    }
  }

  /** The flags of .NET flag names that may include combined names (DOTNET_FLAG_COMBINATIONS), each flag once. */
  private combinedFlags(flags: EnumDesc, combined: ReadonlyMap<string, readonly string[]>, names: readonly string[], parent: Path | undefined, name: string): string[] {
    const items: string[] = [];
    for (let i = 0; i < names.length; i++) {
      const item = names[i]!.trim();
      const flagsOf = flags.values.includes(item) ? undefined : combined.get(item);
      if (flagsOf === undefined || !flagsOf.every((f) => flags.values.includes(f))) items.push(this.enumValue(flags, item, parent, name, i));
      else for (const f of flagsOf) if (!items.includes(f)) items.push(f);
    }
    return items;
  }

  private scalar(kind: ScalarKind, json: unknown, parent: Path | undefined, name: string, index: number): unknown {
    try {
      switch (kind) {
        case 'string':
        case 'anyURI':
        case 'QName':
          if (typeof json !== 'string') break;
          return json;
        case 'boolean':
          if (typeof json === 'boolean') return json;
          if (typeof json === 'string') return parseScalar(kind, json);
          break;
        case 'float':
        case 'double':
          if (typeof json === 'number') return json;
          if (json === 'Infinity') return Infinity;
          if (json === '-Infinity') return -Infinity;
          if (typeof json === 'string') return parseScalar(kind, json);
          break;
        case 'decimal':
          if (typeof json === 'number') return json;
          if (typeof json === 'string') return parseScalar(kind, json);
          break;
        case 'dateTime': {
          if (typeof json !== 'string') break;
          return parseScalar(kind, json.replace(JSON_COMPACT_OFFSET, '$1:$2'));
        }
        case 'duration':
          if (typeof json !== 'string') break;
          return isoDuration(json);
        case 'base64Binary':
          if (typeof json !== 'string') break;
          return parseScalar(kind, json);
        case 'char':
          if (typeof json === 'string' && json.length === 1) return json;
          if (typeof json === 'number') return parseScalar(kind, String(json));
          break;
        default: // the integer kinds
          if (typeof json === 'number') {
            formatScalar(kind, json); // its integer and range checks
            return json === 0 ? 0 : json;
          }
          if (typeof json === 'string') return parseScalar(kind, json);
      }
    } catch (err) {
      if (err instanceof ScalarError) return this.failAt(err.message, parent, name, index);
      throw err;
    }
    const expected = kind === 'boolean' ? 'a boolean' : kind === 'string' ? 'a string' : `a JSON value of xs:${kind}`;
    return this.failAt(`expected ${expected}, got ${jsonDescribe(json)}`, parent, name, index);
  }

  private enumValue(desc: EnumDesc, json: unknown, parent: Path | undefined, name: string, index: number): string {
    const problem = enumProblem(desc.values, json);
    return problem === undefined ? (json as string) : this.failAt(problem, parent, name, index);
  }

  private restricted(desc: RestrictedDesc, json: unknown, parent: Path | undefined, name: string, index: number): unknown {
    const kind = scalarKind(desc.base);
    if (!kind) return this.failAt(`internal: restriction base ${desc.base} is not a scalar`, parent, name, index);
    const value = this.scalar(kind, json, parent, name, index);
    if (desc.patterns.length === 0) return value;
    // The text as sent, as the XML decoder checks it; a JSON number and a TimeSpan by their XML lexical form.
    const problem = typeof json === 'string' && kind !== 'duration' ? restrictionProblem(kind, desc.patterns, json) : patternProblem(desc.patterns, formatScalar(kind, value));
    return problem === undefined ? value : this.failAt(problem, parent, name, index);
  }

  private dict(desc: DictDesc, json: unknown, path: Path): unknown {
    const value = this.plan.slot(desc.value);
    if (desc.record) {
      if (!isParsedObject(json)) return this.fail(`expected an object (dictionary), got ${jsonDescribe(json)}`, path);
      for (const key in json) setProperty(json, key, this.item(value, json[key], path, key, -1));
      return json;
    }
    const key = this.plan.slot(desc.key);
    if (jsonKeyedByText(this.index, desc)) {
      // Json.NET's form, { "1": "a" }: each property name is a key's text, read as the key's type.
      if (!isParsedObject(json)) return this.fail(`expected an object keyed by ${desc.key.type} (dictionary), got ${jsonDescribe(json)}`, path);
      return Object.keys(json).map((k) => ({ Key: this.item(key, k, path, k, -1), Value: this.item(value, json[k], path, k, -1) }));
    }
    if (!Array.isArray(json)) return this.fail(`expected an array of { Key, Value } entries (dictionary), got ${jsonDescribe(json)}`, path);
    return json.map((e: unknown, i) => {
      const entryPath: Path = { parent: path.parent, name: path.name, index: i };
      if (!isParsedObject(e)) return this.fail('expected a { Key, Value } entry', entryPath);
      if (!('Key' in e)) this.fail('a dictionary entry has no Key', entryPath);
      return { Key: this.item(key, e['Key'], entryPath, 'Key', -1), Value: this.item(value, e['Value'] ?? null, entryPath, 'Value', -1) };
    });
  }

  /**
   * xs:anyType: JSON strings, numbers and booleans as they are; an object with `$type` as the type of
   * this service it names; an array, or an object without `$type`, as plain JSON. Json.NET writes
   * a .NET `object` (Webhook's Properties and SignalEvent's Data, StringObjectDictionary) by its
   * value alone -- no `$type` without TypeNameHandling, which SuperOffice's samples never show:
   * GetWebhook's reads `"Properties": { "fieldName": {} }`.
   */
  private any(json: unknown, parent: Path | undefined, name: string, index: number): unknown {
    if (typeof json === 'string' || typeof json === 'number' || typeof json === 'boolean') return json;
    if (Array.isArray(json) || (isParsedObject(json) && json['$type'] === undefined)) return this.plain(json, { parent, name, index });
    if (isParsedObject(json) && typeof json['$type'] === 'string') {
      const key = json['$type'];
      const desc = this.index.type(key);
      if (!desc || (desc.kind !== 'complex' && desc.kind !== 'array' && desc.kind !== 'dict')) {
        return this.failAt(`$type "${shortText(key)}" is not a complex type of this service`, parent, name, index);
      }
      const { $type: _, ...rest } = json;
      const value = this.described(key, desc, rest, parent, name, index);
      return isParsedObject(value) ? { $type: key, ...value } : value;
    }
    return this.failAt('the $type of an xs:anyType object must be a string naming a type of this service', parent, name, index);
  }

  /** Plain JSON in an xs:anyType slot, kept as parsed: each item and property is an xs:anyType value again. */
  private plain(json: unknown[] | Record<string, unknown>, path: Path): unknown {
    if (++this.depth > this.maxDepth) this.fail(`the message nests objects deeper than ${this.maxDepth} levels`, path);
    if (Array.isArray(json)) {
      for (let i = 0; i < json.length; i++) {
        const item = plainItemPath(path, i);
        if (json[i] !== null) json[i] = this.any(json[i], item.parent, item.name, item.index);
      }
    } else {
      for (const key in json) {
        const v = json[key];
        const decoded = v === null ? null : this.any(v, path, key, -1);
        if (decoded !== v) setProperty(json, key, decoded);
      }
    }
    this.depth--;
    return json;
  }
}

// ---------------------------------------------------------------------------------------------
// One operation's messages on SuperOffice's REST Agents API (`POST .../api/v1/Agents/{Agent}/{Method}`),
// read and written by the codecs above from the same schema tables as its SOAP envelopes:
//
//   request   the request element's fields as a JSON object keyed by the WSDL's parameter names;
//             the fields the generator marks as query parameters (a single-id Get.../Delete...:
//             `?EMailAccountId=546`) go in the query string instead. No field left: no body.
//             A Save<X> method taking the entity X has that entity as the whole body (`entity`).
//   response  the value of the response element's one field (`Response`) as the whole body; a
//             response element without fields is HTTP 204 with no content.
//   failure   what the Agents API sends instead of a value: an error object, either
//             `{ "Error": true, "ErrorType", "ErrorMessage", "ErrorSource" }` (the text in `Message`
//             where `ErrorMessage` is missing) or ASP.NET's
//             `{ "Message", "MessageDetail" }`, or `null` where the method's result cannot be null.
//             decodeResponse throws the same SoExceptionError a SOAP ExceptionInfo header becomes.

export interface JsonDecodeOptions {
  /** Properties the schema does not declare: 'ignore' (default: skipped) or 'error' (a DecodeError naming the path). */
  readonly unknownElements?: UnknownElements | undefined;
  /** Nesting limit of objects (default 256, as the XML reader's). */
  readonly maxDepth?: number | undefined;
}

/** A request on the Agents API: its query-string parameters and its JSON body (undefined: no body). */
export interface JsonRequest {
  readonly query: Readonly<Record<string, string>>;
  readonly body: string | undefined;
}

/** Query-string parameters as a server receives them. */
export type JsonQuery = URLSearchParams | Readonly<Record<string, string | undefined>> | string;

/** The JSON side of an operation codec (`restCodec(EMailOperations.Send)`), for clients, servers, mocks and tests. */
export interface JsonOperationCodec<I, O> {
  /** The request fields sent as query-string parameters (names as in the WSDL; servers match them case-insensitively). */
  readonly query: readonly string[];
  /** The request field whose value is the whole body (Save<X> methods taking the entity X), if any. */
  readonly entity: string | undefined;
  /** The response has no content (HTTP 204): the response element has no fields. */
  readonly noContent: boolean;
  encodeRequest(input: I): JsonRequest;
  /** `body` is the request's JSON text ('' or undefined when it has none). */
  decodeRequest(query: JsonQuery, body: string | undefined, options?: JsonDecodeOptions): { input: I };
  /** The response body: JSON text, or '' when the operation answers 204 No Content. */
  encodeResponse(output: O): string;
  /** Throws SoExceptionError for an error object (or a null the result does not allow), DecodeError for anything the schema does not allow. */
  decodeResponse(text: string, options?: JsonDecodeOptions): { output: O };
}

const restCodecs = new WeakMap<object, JsonOperationCodec<unknown, unknown>>();

/**
 * The same operation on SuperOffice's REST Agents API: `restCodec(EMailOperations.Send)` encodes and
 * decodes its JSON bodies and query-string parameters from the codec's schema tables. Made on first
 * use and kept as long as the operation codec.
 */
export function restCodec<I, O>(operation: OperationCodec<I, O, unknown, unknown, unknown>): JsonOperationCodec<I, O> {
  let codec = restCodecs.get(operation);
  if (codec === undefined) {
    codec = jsonOperation<unknown, unknown>(() => schemaIndex(operation.schema), operation.desc);
    restCodecs.set(operation, codec);
  }
  return codec as JsonOperationCodec<I, O>;
}

function jsonOperation<I, O>(index: () => SchemaIndex, desc: OperationDesc): JsonOperationCodec<I, O> {
  const name = desc.name;
  const queryNames = desc.query ?? [];
  const skip = new Set(queryNames);
  const inputType = desc.input.body.type;
  const output = (): MessageDesc => responseMessage(desc);
  const root = (msg: MessageDesc): Path => ({ parent: undefined, name: msg.body.name, index: -1 });
  return {
    query: queryNames,
    entity: desc.entity,
    get noContent() {
      return desc.output === undefined || responseFields(index(), desc.output).length === 0;
    },
    encodeRequest(input) {
      const encoder = new JsonEncoder(index(), name);
      const record = (input ?? {}) as Record<string, unknown>;
      const path = root(desc.input);
      const query: Record<string, string> = {};
      const fields = index().complexInfo(inputType).fields;
      for (const f of fields) {
        if (!skip.has(f.name)) continue;
        const v = encoder.field(f, record[f.name], path);
        if (v !== undefined && v !== null) query[f.name] = typeof v === 'string' ? v : JSON.stringify(v);
      }
      const entity = entityField(fields, desc.entity);
      if (entity !== undefined) {
        const v = encoder.field(entity, record[entity.name], path);
        return { query, body: JSON.stringify(v === undefined ? null : v) };
      }
      const hasBody = fields.some((f) => !skip.has(f.name));
      return { query, body: hasBody ? JSON.stringify(encoder.properties(inputType, record, path, skip)) : undefined };
    },
    decodeRequest(query, body, options) {
      const decoder = new JsonDecoder(index(), name, options?.unknownElements, options?.maxDepth);
      const path = root(desc.input);
      const preset: Record<string, unknown> = {};
      const params = queryEntries(query);
      const fields = index().complexInfo(inputType).fields;
      for (const f of fields) {
        if (!skip.has(f.name)) continue;
        // ASP.NET binds query parameters by name, ignoring case (the docs write both eMailAccountId and EMailAccountId).
        const text = params.get(f.name.toLowerCase());
        if (text !== undefined) preset[f.name] = decoder.element(f, text, { parent: path, name: f.name, index: -1 });
      }
      const empty = body === undefined || body.trim() === '';
      const entity = entityField(fields, desc.entity);
      if (entity !== undefined) {
        // The body is the entity itself; no body (or null) is a null entity.
        const json = empty ? null : parseJson(body, name);
        return { input: { ...preset, [entity.name]: decoder.field(entity, json, { parent: path, name: entity.name, index: -1 }) } as I };
      }
      const json = empty ? {} : parseJson(body, name);
      return { input: decoder.properties(inputType, json === null ? {} : json, path, preset) as I };
    },
    encodeResponse(out) {
      const msg = output();
      const fields = responseFields(index(), msg);
      const encoder = new JsonEncoder(index(), name);
      const record = (out ?? {}) as Record<string, unknown>;
      if (fields.length === 0) return '';
      if (fields.length === 1) {
        const f = fields[0]!;
        const v = encoder.field(f, record[f.name], root(msg));
        return JSON.stringify(v === undefined ? null : v);
      }
      return JSON.stringify(encoder.properties(msg.body.type, record, root(msg)));
    },
    decodeResponse(text, options) {
      const msg = output();
      const fields = responseFields(index(), msg);
      const trimmed = text.trim();
      const json = trimmed === '' ? null : parseJson(trimmed, name);
      const only = fields.length === 1 ? fields[0]! : undefined;
      const info = restErrorInfo(json, index(), only);
      if (info !== undefined) throw new SoExceptionError(info, name);
      const decoder = new JsonDecoder(index(), name, options?.unknownElements, options?.maxDepth);
      if (fields.length === 0) {
        if (json !== null) decoder.fail(`expected no content (the response has no fields), got ${shortText(trimmed)}`, root(msg));
        return { output: {} as O };
      }
      if (only === undefined) return { output: decoder.properties(msg.body.type, json, root(msg)) as O };
      if (json === null && !only.nillable) {
        // The Agents API answers a failed call with null ("check the response object, not just the status").
        throw new SoExceptionError({ Message: `the Agents API answered null, which ${name} cannot return (its result is not nillable): the call failed` }, name);
      }
      return { output: { [only.name]: decoder.field(only, json, { parent: root(msg), name: only.name, index: -1 }) } as O };
    },
  };
}

/** The field named by the operation's `entity` (the whole request body), if any. */
function entityField(fields: readonly FieldDesc[], entity: string | undefined): FieldDesc | undefined {
  return entity === undefined ? undefined : fields.find((f) => f.name === entity);
}

function responseFields(index: SchemaIndex, msg: MessageDesc): readonly FieldDesc[] {
  return index.complexInfo(msg.body.type).fields;
}

/**
 * JSON.parse, its failure told without the text V8's message quotes around the error: that quote is
 * cut with `...`, which redact.ts does not read as a cut, so a piece of a secret there would show
 * (`Unexpected token 'S', "{"a": SECRET-TIC"... is not valid JSON`). What V8 says of the error and
 * its position is kept, in Node 20's words: later versions add ` (line 1 column 22)`, left out so the
 * message is the same on every Node the package runs on.
 */
function parseJson(text: string, operation: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch (err) {
    const said = (err as Error).message.replace(/, .* is not valid JSON$/s, '').replace(/ \(line \d+ column \d+\)$/, '');
    throw new DecodeError(`the message is not JSON: ${said}`, '', operation);
  }
}

/** Query parameters by lower-cased name (the first of each name counts). */
function queryEntries(query: JsonQuery): Map<string, string> {
  const out = new Map<string, string>();
  const add = (k: string, v: string | undefined) => {
    if (v !== undefined && !out.has(k.toLowerCase())) out.set(k.toLowerCase(), v);
  };
  if (typeof query === 'string' || query instanceof URLSearchParams) {
    // forEach, not for...of: iterating URLSearchParams needs lib DOM.Iterable, which a consumer with
    // `"lib": ["ES2022", "DOM"]` (the README's setting) does not have.
    new URLSearchParams(query).forEach((v, k) => add(k, v));
  } else {
    for (const k of Object.keys(query)) add(k, query[k]);
  }
  return out;
}

/** The property names of ASP.NET's error object (`Message`, `MessageDetail` ...), lower-cased. */
const ASPNET_ERROR_KEYS = new Set(['message', 'messagedetail', 'exceptionmessage', 'exceptiontype', 'stacktrace', 'innerexception', 'modelstate']);

/**
 * The exception info of an Agents API error object, or undefined when `json` is not one. An
 * object counts as an error object only where the expected result could not be one: with
 * `"Error": true`, or made only of ASP.NET's error properties with a string `Message`, unless the
 * result's own type declares that property (`Error` or `Message`) or, for ASP.NET's, is a
 * dictionary. Property names are matched ignoring case, as ASP.NET and Json.NET bind them: a
 * server that writes camelCase (`"error": true, "errorMessage"`, as ASP.NET Core does by default)
 * reports the same failure, which was otherwise read as a result with no known property (an
 * empty object).
 */
export function restErrorInfo(json: unknown, index?: SchemaIndex, result?: FieldDesc): SoExceptionInfoFields | undefined {
  // Most answers are no error object: without a property Error or Message (any case) nothing more is read.
  if (!isParsedObject(json) || !Object.keys(json).some((k) => ERROR_OBJECT_KEY.test(k))) return undefined;
  const o = byLowerCaseName(json);
  const declares = (prop: string): boolean => {
    if (!index || !result) return false;
    const t = index.type(result.type);
    return t?.kind === 'complex' && index.complexInfo(result.type).fields.some((f) => f.name.toLowerCase() === prop);
  };
  if (o.get('error') === true && !declares('error')) {
    // Some servers put the text in ASP.NET's `Message` rather than `ErrorMessage`: without it the
    // user would read that there was no message while the answer held one.
    const message = stringProp(o.get('errormessage')) ?? stringProp(o.get('message'));
    const info: SoExceptionInfoFields = { Message: message ?? 'the Agents API reported an error without a message' };
    if (stringProp(o.get('errortype')) !== undefined) info.ExceptionType = stringProp(o.get('errortype'))!;
    if (stringProp(o.get('errorsource')) !== undefined) info.Source = stringProp(o.get('errorsource'))!;
    return info;
  }
  // A dictionary result may hold any key, "message" too (GetDocumentProperties' StringDictionary):
  // such an object is its entries. ("Error": true is a value none of them holds.)
  const dictionary = index !== undefined && result !== undefined && index.type(result.type)?.kind === 'dict';
  if (typeof o.get('message') === 'string' && [...o.keys()].every((k) => ASPNET_ERROR_KEYS.has(k)) && !declares('message') && !dictionary) {
    return aspNetErrorInfo(o, 0);
  }
  return undefined;
}

/** The property an error object has: `Error` (with `"Error": true`) or ASP.NET's `Message`, in any case. */
const ERROR_OBJECT_KEY = /^(?:error|message)$/i;

/** An object's properties by lower-cased name (the first of names that differ only in case counts). */
function byLowerCaseName(o: Record<string, unknown>): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const k of Object.keys(o)) if (!out.has(k.toLowerCase())) out.set(k.toLowerCase(), o[k]);
  return out;
}

/** A property of an error object, if it is a string. */
function stringProp(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function aspNetErrorInfo(o: Map<string, unknown>, depth: number): SoExceptionInfoFields {
  const message = stringProp(o.get('message'));
  const detail = stringProp(o.get('messagedetail'));
  const exceptionMessage = stringProp(o.get('exceptionmessage'));
  const invalid = modelStateErrors(o.get('modelstate'));
  const parts = [message, detail, ...Object.entries(invalid ?? {}).map(([k, v]) => `${k}: ${v}`)];
  const info: SoExceptionInfoFields = {
    Message: exceptionMessage ?? (parts.filter((s) => s !== undefined).join(' ') || 'the Agents API reported an error without a message'),
  };
  if (invalid !== undefined) info.Parameters = invalid;
  if (exceptionMessage !== undefined && message !== undefined) info.FriendlyText = message;
  if (stringProp(o.get('exceptiontype')) !== undefined) info.ExceptionType = stringProp(o.get('exceptiontype'))!;
  if (stringProp(o.get('stacktrace')) !== undefined) info.StackTrace = stringProp(o.get('stacktrace'))!;
  const inner = o.get('innerexception');
  if (depth < MAX_INNER_EXCEPTIONS && isParsedObject(inner)) info.InnerException = aspNetErrorInfo(byLowerCaseName(inner), depth + 1);
  return info;
}

/**
 * ASP.NET's ModelState -- what model binding refused, by parameter: `{ "eMailAccountId": ["The
 * value 'glops' is not valid for Int32."] }` (the only place a 400 says what was wrong) -- as
 * each parameter's messages joined; undefined when there is none.
 */
function modelStateErrors(state: unknown): Record<string, string> | undefined {
  if (!isParsedObject(state)) return undefined;
  const out: Record<string, string> = {};
  for (const key of Object.keys(state)) {
    const said = state[key];
    const messages = (Array.isArray(said) ? said : [said]).filter((m): m is string => typeof m === 'string');
    if (messages.length > 0) setProperty(out, key, messages.join(' '));
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The error object the Agents API sends for a refused call (what the mock answers for a SoExceptionError). */
export function restErrorObject(info: SoExceptionInfoFields | undefined): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = { Error: true };
  out['ErrorType'] = info?.ExceptionType ?? 'SoException';
  out['ErrorMessage'] = info?.Message ?? info?.FriendlyText ?? 'the call failed';
  if (info?.Source !== undefined && info.Source !== null) out['ErrorSource'] = info.Source;
  return out;
}
