// What a transport is: the part of a call that knows the wire format. The agent's Caller (call.ts)
// owns the call -- address, ticket, time budget, posting, size limit, redaction -- and asks its transport
// two things: the HTTP request for an operation's input, and the typed result (or typed error) for
// the HTTP response. Two transports speak to the same agents with the same codecs and schema
// tables: SOAP (transport-soap.ts, the default) and SuperOffice's REST Agents API
// (transport-rest.ts, `transport: 'rest'`).
import { decodeXmlBytes } from './charset.js';
import { DecodeError, HttpError, TransportError, type SoapError } from './errors.js';
import { shortText } from './scalars.js';
import type { UnknownElements } from './decode.js';
import type { HttpReply } from './http.js';
import type { AnyOperationCodec } from './operation.js';

/** Which wire format an agent speaks: SOAP 1.1/1.2 envelopes (default) or the REST Agents API's JSON. */
export type TransportKind = 'soap' | 'rest';

/** Where an agent's calls go. */
export interface TransportAddress {
  /** The SOAP endpoint (from endpoint, baseUrl + servicePath, the tenant's Endpoint + servicePath, or the WSDL). */
  readonly endpoint: string;
  /** The agent's name in the REST path (`EMail`). */
  readonly service: string;
  /** The SOAP service path below the installation (`Remote/Services86/EMail.svc`). */
  readonly servicePath: string;
}

/**
 * What a request carries besides its input: the SOAP header blocks the agent assembled
 * (ApplicationToken, Credentials with the ticket, TimeZone, and the call's own). The REST transport
 * sends only ApplicationToken, Credentials and TimeZone, as HTTP headers; it drops any other block.
 */
export type RequestHeaderBlocks = Readonly<Record<string, unknown>>;

export interface WireRequest {
  readonly url: string;
  readonly headers: Record<string, string>;
  /** The request body; undefined when there is none (a REST call with only query parameters). */
  readonly body: string | undefined;
}

export interface TransportContext {
  readonly operation: string;
  /** Removes the agent's secrets from text that goes into an error. */
  readonly clean: (text: string) => string;
  readonly unknownElements: UnknownElements | undefined;
  /** The HTTP statuses the agent's credentialRefusal counts as a refusal (its httpStatuses, else the default's): actedOnStatus. */
  readonly refusalStatuses: readonly number[];
}

export interface Transport {
  readonly kind: TransportKind;
  request(codec: AnyOperationCodec, input: unknown, address: TransportAddress, blocks: RequestHeaderBlocks): WireRequest;
  /** The typed output and response headers; throws the typed error the response means. */
  response(codec: AnyOperationCodec, response: HttpReply, context: TransportContext): { output: unknown; headers: unknown };
}

/**
 * How much of a body's start an excerpt is made from: `clean` reads this much at most, so a huge
 * error body costs bounded work whatever it holds (cleaning a whole 60 MB body that starts with an
 * escape took seconds of blocked event loop and gigabytes). Far more than the 500 characters shown,
 * as cleaning and joining whitespace shorten the text.
 */
export const EXCERPT_SOURCE_LENGTH = 4096;
// (The cut is marked with `…`, before which the redactor removes a secret's beginning, also one
// spelled with escapes that the cut left unfinished, redact.ts found().)

/** A runtime error's message without its `Operation: ` start, for a text that names the operation already. */
export function withoutOperation(err: SoapError): string {
  const prefix = err.operation ? `${err.operation}: ` : '';
  return err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
}

/** The first 500 characters of a body, on one line, secrets removed by `clean`, for error messages. */
export function bodyExcerpt(text: string, clean: (text: string) => string): string {
  const cleaned = text.length <= EXCERPT_SOURCE_LENGTH ? clean(text) : clean(`${text.slice(0, EXCERPT_SOURCE_LENGTH)}\u2026`);
  const oneLine = cleaned.replace(/\s+/g, ' ').trim();
  return shortText(oneLine, 500);
}


/**
 * The error statuses that say the server did not run the operation, which the call acts on by
 * their number: 421 (the tenant moved: re-routed), 429 and 503 (too busy: retried after
 * Retry-After). Both transports make them an HttpError whatever the body -- also a SOAP Fault or
 * the REST error object, which would hide the status from the call and the caller (an IIS/WCF
 * service too busy answers 503 with a Fault); the body's text stays in the excerpt.
 */
export const NOT_RUN_STATUSES: ReadonlySet<number> = new Set([421, 429, 503]);

/**
 * Whether the call acts on an error `status` by its number, so both transports make it an HttpError whatever the body
 * says -- a SOAP ExceptionInfo, the REST error object (ASP.NET answers 401 with `{ "Message": "Authorization has been
 * denied for this request." }`), which stays the cause and the excerpt: NOT_RUN_STATUSES (re-route, retry), and a
 * credential refusal (the ticket is renewed): 401, 403, and any status the agent's credentialRefusal.httpStatuses adds
 * (README's 419), which as a SoExceptionError the refusal list would not read (it reads its exceptionTypes only).
 * (A 401/403 SOAP Fault stays a SoapFaultError: its fault code is what the refusal list reads there.) One rule for both.
 */
export function actedOnStatus(status: number, refusalStatuses: readonly number[]): boolean {
  return NOT_RUN_STATUSES.has(status) || status === 401 || status === 403 || refusalStatuses.includes(status);
}

/**
 * Whether the server certainly did not run an attempt that failed with `err`, by the error alone: a status that says so
 * (NOT_RUN_STATUSES) or a connection refused. What the call's error says of that attempt once it is retried
 * (CallBudget.nextAttempt); the one rule of it (review r20r #8), beside the call's own knowledge of a credential refusal.
 */
export function attemptNotRun(err: unknown): boolean {
  return (err instanceof HttpError && NOT_RUN_STATUSES.has(err.status)) || refusedConnection(err);
}

/** A connection that was refused (ECONNREFUSED in a network TransportError's causes): nothing reached the server. */
export function refusedConnection(err: unknown): boolean {
  return err instanceof TransportError && err.reason === 'network' && hasCauseCode(err.cause, REFUSED);
}

const REFUSED: ReadonlySet<string> = new Set(['ECONNREFUSED']);

/**
 * Whether `first` or one of its causes, 4 errors in all, has a `code` in `codes` (Node's and undici's: fetch's TypeError
 * holds the socket's error as its cause). The one walk of a failure's cause chain: refusedConnection's, and
 * online-request.ts's connection failures, so what a write retries and what is `temporary` read the same chain.
 */
export function hasCauseCode(first: unknown, codes: ReadonlySet<string>): boolean {
  for (let e = first, depth = 0; e !== null && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && codes.has(code)) return true;
  }
  return false;
}

/**
 * The HttpError of an error status whose body is not the transport's own error report (or whose
 * status is one of NOT_RUN_STATUSES): the status, the start of `text` (secrets removed), the
 * response's Retry-After, which the retry policy and the caller read from this error (the one
 * place it is kept), and the error the body itself meant (a SOAP Fault) as cause.
 */
export function httpError(response: HttpReply, text: string, context: TransportContext, cause?: unknown): HttpError {
  const excerpt = bodyExcerpt(text, context.clean);
  return new HttpError(response.status, response.statusText, excerpt, context.operation, { retryAfter: response.retryAfter, cause });
}

/**
 * The response body as text, in the encoding its byte order mark, Content-Type charset and XML
 * declaration give (charset.ts; a DecodeError when they contradict each other or the bytes are
 * invalid; JSON has no declaration and is read the same way). An error status with a body that
 * cannot be read so (an HTML error page in some other encoding) is still reported as the
 * HttpError it is: its body is then read leniently as UTF-8, for the excerpt.
 */
export function responseBodyText(response: HttpReply, operation: string): string {
  try {
    return decodeXmlBytes(response.bytes, response.contentType, operation);
  } catch (err) {
    if ((response.status >= 200 && response.status < 300) || !(err instanceof DecodeError)) throw err;
    return new TextDecoder('utf-8').decode(response.bytes);
  }
}
