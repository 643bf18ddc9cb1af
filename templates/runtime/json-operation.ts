// One operation's messages on SuperOffice's REST Agents API (`POST …/api/v1/Agents/{Agent}/{Method}`),
// read and written by json.ts from the same schema tables as its SOAP envelopes:
//
//   request   the request element's fields as a JSON object keyed by the WSDL's parameter names;
//             the fields the generator marks as query parameters (a single-id Get…/Delete…:
//             `?EMailAccountId=546`) go in the query string instead. No field left: no body.
//             A Save<X> method taking the entity X has that entity as the whole body (`entity`).
//   response  the value of the response element's one field (`Response`) as the whole body; a
//             response element without fields is HTTP 204 with no content.
//   failure   what the Agents API sends instead of a value: an error object, either
//             `{ "Error": true, "ErrorType", "ErrorMessage", "ErrorSource" }` or ASP.NET's
//             `{ "Message", "MessageDetail" }`, or `null` where the method's result cannot be null.
//             decodeResponse throws the same SoExceptionError a SOAP ExceptionInfo header becomes.
import { DecodeError, SoExceptionError, type SoExceptionInfoFields } from './errors.js';
import type { UnknownElements } from './decode.js';
import { JsonDecoder, JsonEncoder, type JsonValue } from './json.js';
import type { FieldDesc, MessageDesc, OperationDesc } from './schema.js';
import type { Path, SchemaIndex } from './schema-index.js';

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

/** The JSON side of an operation codec (`EMailOperations.Send.json`), for clients, servers, mocks and tests. */
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

export function jsonOperation<I, O>(index: () => SchemaIndex, desc: OperationDesc): JsonOperationCodec<I, O> {
  const name = desc.name;
  const queryNames = desc.query ?? [];
  const skip = new Set(queryNames);
  const inputType = desc.input.body.type;
  const output = (): MessageDesc => {
    if (!desc.output) throw new DecodeError('the operation is one-way: it has no response', '', name);
    return desc.output;
  };
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
      for (const f of index().complexInfo(inputType).fields) {
        if (!skip.has(f.name)) continue;
        // ASP.NET binds query parameters by name, ignoring case (the docs write both eMailAccountId and EMailAccountId).
        const text = params.get(f.name.toLowerCase());
        if (text !== undefined) preset[f.name] = decoder.element(f, text, { parent: path, name: f.name, index: -1 });
      }
      const empty = body === undefined || body.trim() === '';
      const entity = entityField(index().complexInfo(inputType).fields, desc.entity);
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
        if (json !== null) decoder.fail(`expected no content (the response has no fields), got ${trimmed.length > 40 ? `${trimmed.slice(0, 40)}…` : trimmed}`, root(msg));
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

function parseJson(text: string, operation: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch (err) {
    throw new DecodeError(`the message is not JSON: ${(err as Error).message}`, '', operation);
  }
}

/** Query parameters by lower-cased name (the first of each name counts). */
function queryEntries(query: JsonQuery): Map<string, string> {
  const out = new Map<string, string>();
  const add = (k: string, v: string | undefined) => {
    if (v !== undefined && !out.has(k.toLowerCase())) out.set(k.toLowerCase(), v);
  };
  if (typeof query === 'string' || query instanceof URLSearchParams) {
    // forEach, not for…of: iterating URLSearchParams needs lib DOM.Iterable, which a consumer with
    // `"lib": ["ES2022", "DOM"]` (the README's setting) does not have.
    new URLSearchParams(query).forEach((v, k) => add(k, v));
  } else {
    for (const k of Object.keys(query)) add(k, query[k]);
  }
  return out;
}

/** The property names of ASP.NET's error object (`Message`, `MessageDetail` …). */
const ASPNET_ERROR_KEYS = new Set(['Message', 'MessageDetail', 'ExceptionMessage', 'ExceptionType', 'StackTrace', 'InnerException', 'ModelState']);

/**
 * The exception info of an Agents API error object, or undefined when `json` is not one. An
 * object counts as an error object only where the expected result could not be one: with
 * `"Error": true`, or made only of ASP.NET's error properties with a string `Message`, unless the
 * result's own type declares that property (`Error` or `Message`).
 */
export function restErrorInfo(json: unknown, index?: SchemaIndex, result?: FieldDesc): SoExceptionInfoFields | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const o = json as Record<string, unknown>;
  const declares = (prop: string): boolean => {
    if (!index || !result) return false;
    const t = index.type(result.type);
    return t?.kind === 'complex' && index.complexInfo(result.type).fields.some((f) => f.name === prop);
  };
  const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  if (o['Error'] === true && !declares('Error')) {
    const info: SoExceptionInfoFields = { Message: text(o['ErrorMessage']) ?? 'the Agents API reported an error without a message' };
    if (text(o['ErrorType']) !== undefined) info.ExceptionType = text(o['ErrorType'])!;
    if (text(o['ErrorSource']) !== undefined) info.Source = text(o['ErrorSource'])!;
    return info;
  }
  const keys = Object.keys(o);
  if (typeof o['Message'] === 'string' && keys.every((k) => ASPNET_ERROR_KEYS.has(k)) && !declares('Message')) {
    return aspNetErrorInfo(o, 0);
  }
  return undefined;
}

function aspNetErrorInfo(o: Record<string, unknown>, depth: number): SoExceptionInfoFields {
  const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const message = text(o['Message']);
  const detail = text(o['MessageDetail']);
  const exceptionMessage = text(o['ExceptionMessage']);
  const info: SoExceptionInfoFields = {
    Message: exceptionMessage ?? ([message, detail].filter((s) => s !== undefined).join(' ') || 'the Agents API reported an error without a message'),
  };
  if (exceptionMessage !== undefined && message !== undefined) info.FriendlyText = message;
  if (text(o['ExceptionType']) !== undefined) info.ExceptionType = text(o['ExceptionType'])!;
  if (text(o['StackTrace']) !== undefined) info.StackTrace = text(o['StackTrace'])!;
  const inner = o['InnerException'];
  if (depth < 16 && typeof inner === 'object' && inner !== null && !Array.isArray(inner)) {
    info.InnerException = aspNetErrorInfo(inner as Record<string, unknown>, depth + 1);
  }
  return info;
}

/** The error object the Agents API sends for a refused call (what the mock answers for a SoExceptionError). */
export function restErrorObject(info: SoExceptionInfoFields | undefined): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = { Error: true };
  out['ErrorType'] = info?.ExceptionType ?? 'SoException';
  out['ErrorMessage'] = info?.Message ?? info?.FriendlyText ?? 'the call failed';
  if (info?.Source !== undefined && info.Source !== null) out['ErrorSource'] = info.Source;
  return out;
}
