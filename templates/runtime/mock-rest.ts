// The REST side of the mock server (mock-server.ts): the Agents API's requests
// (`POST .../api/v1/Agents/{Agent}/{Method}`, JSON) read into the same decoded call a SOAP request
// becomes, and a handler's outcome written as the Agents API answers. The mock runs the same typed
// handlers for both, so a consumer's tests can run on either transport. Pure functions, no
// node:http: the mock server does the HTTP.
//
// What the mock answers on REST:
//   a value               200 with the JSON of the result (204 with no body when the response has no fields)
//   a SoExceptionError    500 with SuperOffice's error object { Error, ErrorType, ErrorMessage, ErrorSource }
//   a request the schema does not allow, or unparsable JSON   400 with ASP.NET's { Message, MessageDetail }
//   a body whose Content-Type is not JSON, or a Content-Encoding   415;  not a POST   405;  too large   413
//   an unknown method   404;  no handler   501
//   any other failure     its HTTP status (a SoapFaultError's, else 500) with the message as text
import { DecodeError, type SoExceptionInfoFields } from './errors.js';
import type { UnknownElements } from './decode.js';
import { restCodec, restErrorObject } from './json.js';
import type { AnyOperationCodec } from './operation.js';

/** An HTTP answer of the REST side. */
export interface RestMockReply {
  readonly status: number;
  readonly body: string;
  readonly contentType: string;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const TEXT_TYPE = 'text/plain; charset=utf-8';

/**
 * The method name of an Agents API path for `service` below the installation path `prefix`
 * (`/api/v1/Agents/EMail/Send` -> `Send`), or undefined when the path is not one.
 */
export function restMethodOf(pathname: string, prefix: string, service: string): string | undefined {
  const start = `${prefix}/api/v1/Agents/${service}/`.toLowerCase();
  if (!pathname.toLowerCase().startsWith(start)) return undefined;
  const method = pathname.slice(start.length).replace(/\/$/, '');
  if (method === '' || method.includes('/')) return undefined;
  try {
    return decodeURIComponent(method);
  } catch {
    return method; // a malformed escape names no operation: answered 404 as such
  }
}

/** The operation a REST method name selects: by exact name, else ignoring case (as ASP.NET routes). */
export function restOperationOf<Ops extends Record<string, AnyOperationCodec>>(operations: Ops, method: string): string | undefined {
  if (Object.prototype.hasOwnProperty.call(operations, method)) return method;
  const lower = method.toLowerCase();
  return Object.keys(operations).find((n) => n.toLowerCase() === lower);
}

/**
 * The SOAP header blocks a REST request's HTTP headers stand for -- `Authorization: SOTicket ...` ->
 * Credentials, `SO-AppToken` -> ApplicationToken, `SO-TimeZone` -> TimeZone -- as far as the
 * operation declares them, so handlers see the same `ctx.headers` on both transports.
 */
export function restRequestHeaders(codec: AnyOperationCodec, header: (name: string) => string | undefined): Record<string, unknown> {
  const declared = new Set(codec.desc.input.headers.map((h) => h.name));
  const out: Record<string, unknown> = {};
  const auth = /^\s*SOTicket\s+(\S.*?)\s*$/i.exec(header('authorization') ?? '');
  if (auth && declared.has('Credentials')) out['Credentials'] = { Ticket: auth[1]! };
  const token = header('so-apptoken');
  if (token !== undefined && declared.has('ApplicationToken')) out['ApplicationToken'] = token;
  // `NO, includeTZOffset` (offsets wanted in the JSON's dates): the zone is what precedes the comma.
  const zone = header('so-timezone')?.split(',')[0]!.trim();
  if (zone !== undefined && zone !== '' && declared.has('TimeZone')) {
    out['TimeZone'] = /^\d+$/.test(zone) ? { SoTimeZoneId: Number(zone) } : { SoTimeZoneLocationCode: zone };
  }
  return out;
}

/** Decodes a REST request's query and JSON body: the input, or the reply for a request the schema does not allow. */
export function decodeRestRequest(
  codec: AnyOperationCodec,
  search: string,
  contentType: string,
  body: string,
  unknownElements: UnknownElements,
): { input: unknown } | { reply: RestMockReply } {
  const media = contentType.split(';')[0]!.trim().toLowerCase();
  if (body.trim() !== '' && media !== 'application/json' && media !== 'text/json') {
    return { reply: restReply(415, `${codec.name}: expected Content-Type application/json, got "${contentType}"`) };
  }
  try {
    return { input: restCodec(codec).decodeRequest(search, body, { unknownElements }).input };
  } catch (err) {
    if (err instanceof DecodeError) return { reply: restJsonReply(400, { Message: 'The request is invalid.', MessageDetail: err.message }) };
    throw err;
  }
}

/** The reply for a handler's result. */
export function restOutputReply(codec: AnyOperationCodec, output: unknown): RestMockReply {
  const json = restCodec(codec);
  const body = json.encodeResponse(output ?? {});
  return json.noContent ? { status: 204, body: '', contentType: JSON_TYPE } : { status: 200, body, contentType: JSON_TYPE };
}

/** The reply for a SoExceptionError (or `soExceptionInfo`) a handler threw: SuperOffice's error object. */
export function restExceptionReply(info: SoExceptionInfoFields | undefined): RestMockReply {
  return restJsonReply(500, restErrorObject(info));
}

function restJsonReply(status: number, value: unknown): RestMockReply {
  return { status, body: JSON.stringify(value), contentType: JSON_TYPE };
}

/** A plain-text reply (failures that are not SuperOffice exceptions: the agent reports them as HttpError). */
export function restReply(status: number, message: string): RestMockReply {
  return { status, body: `${message}\n`, contentType: TEXT_TYPE };
}
