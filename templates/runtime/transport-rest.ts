// The REST transport: the same operations, types and errors over SuperOffice's Agents WebAPI
// (`POST {installation}/api/v1/Agents/{Agent}/{Method}`, JSON both ways), chosen with
// `transport: 'rest'`. The JSON itself is json.ts's; this module adds HTTP:
//
//   request   URL from the installation address (baseUrl, or the SOAP endpoint without its
//             service path), query-string parameters, and the credentials SOAP sends as header
//             blocks sent as HTTP headers: `Authorization: SOTicket <ticket>`, `SO-AppToken`,
//             `SO-TimeZone` (the time zone's location code, else its id, with includeTZOffset).
//   response  2xx: the codec's value; an error object (also with HTTP 200) or a null the result
//             does not allow: SoExceptionError, as SOAP's ExceptionInfo; another status: the
//             error object's SoExceptionError when the body is one, else HttpError -- except the
//             statuses the call acts on (STATUS_ERRORS), always HttpError; a 2xx body that is not
//             JSON: DecodeError (a page, `<...`, with its Content-Type and start).
import { NOTHING_SENT } from './agent.js';
import { DecodeError, SoapError, SoExceptionError } from './errors.js';
import { restCodec, restErrorInfo } from './json.js';
import type { AnyOperationCodec } from './operation.js';
import { actedOnStatus, bodyExcerpt, httpError, responseBodyText, type RequestHeaderBlocks, type Transport, type TransportAddress, type WireRequest } from './transport.js';

/** The installation address of `address`: the SOAP endpoint without the agent's service path. */
function restBase(address: TransportAddress, operation: string): string {
  const endpoint = address.endpoint.replace(/[?#].*$/s, '').replace(/\/+$/, '');
  const path = `/${address.servicePath.replace(/^\/+/, '')}`;
  if (!endpoint.toLowerCase().endsWith(path.toLowerCase())) {
    throw new SoapError(
      `transport 'rest' needs the installation address: pass baseUrl (e.g. https://online.superoffice.com/Cust12345), or an endpoint ending in ${path} (${NOTHING_SENT})`,
      operation,
    );
  }
  return endpoint.slice(0, endpoint.length - path.length);
}

/** `{base}/api/v1/Agents/{Agent}/{Method}` with the query string. */
function restUrl(base: string, service: string, operation: string, query: Readonly<Record<string, string>>): string {
  const search = new URLSearchParams(query).toString();
  return `${base}/api/v1/Agents/${encodeURIComponent(service)}/${encodeURIComponent(operation)}${search ? `?${search}` : ''}`;
}

/** The credentials of the SOAP header blocks as the Agents API's HTTP headers. */
function restAuthHeaders(blocks: RequestHeaderBlocks): Record<string, string> {
  const headers: Record<string, string> = {};
  const credentials = blocks['Credentials'] as { Ticket?: unknown } | null | undefined;
  if (typeof credentials?.Ticket === 'string' && credentials.Ticket !== '') headers['Authorization'] = `SOTicket ${credentials.Ticket}`;
  const token = blocks['ApplicationToken'];
  if (typeof token === 'string' && token !== '') headers['SO-AppToken'] = token;
  const zone = blocks['TimeZone'] as { SoTimeZoneId?: unknown; SoTimeZoneLocationCode?: unknown } | null | undefined;
  const zoneValue = typeof zone?.SoTimeZoneLocationCode === 'string' && zone.SoTimeZoneLocationCode !== '' ? zone.SoTimeZoneLocationCode : zone?.SoTimeZoneId;
  // Dates come back in that zone; without includeTZOffset "without a time zone specifier"
  // (http-headers.md), which a Date would read as UTC: a wrong instant.
  if (typeof zoneValue === 'string' || typeof zoneValue === 'number') headers['SO-TimeZone'] = `${zoneValue}, includeTZOffset`;
  return headers;
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

export const restTransport: Transport = {
  kind: 'rest',

  request(codec: AnyOperationCodec, input: unknown, address: TransportAddress, blocks: RequestHeaderBlocks): WireRequest {
    const { query, body } = restCodec(codec).encodeRequest(input);
    const url = restUrl(restBase(address, codec.name), address.service, codec.name, query);
    const headers: Record<string, string> = { Accept: 'application/json', ...restAuthHeaders(blocks) };
    if (body !== undefined) headers['Content-Type'] = 'application/json; charset=utf-8';
    return { url, headers, body };
  },

  response(codec, response, context) {
    const { status } = response;
    const operation = context.operation;
    const text = responseBodyText(response, operation);
    if (isSuccess(status)) {
      // A page instead of JSON (a proxy's or a sign-in page; XML where Accept was ignored): say so,
      // with its start, rather than what JSON.parse minds in it. No JSON text starts with `<`.
      if (/^\s*</.test(text)) {
        const type = response.contentType?.trim().slice(0, 100) ?? 'none';
        throw new DecodeError(`the message is not JSON (Content-Type ${type}): ${bodyExcerpt(text, context.clean)}`, '', operation);
      }
      const { output } = restCodec(codec).decodeResponse(text, { unknownElements: context.unknownElements });
      return { output, headers: {} };
    }
    // An error status: SuperOffice's error object says what failed; anything else is an HTTP error.
    if (actedOnStatus(status, context.refusalStatuses)) throw httpError(response, text, context);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const info = restErrorInfo(json);
    if (info !== undefined) throw new SoExceptionError(info, operation);
    throw httpError(response, text, context);
  },
};
