// Every error the runtime throws is one of these classes or their subclasses, so callers can branch with instanceof; only a bad option (TypeError,
// RangeError) and your ticket function's own error are not. Messages name the operation (Online errors do not) and, for data errors, the path; never
// the ticket or a secret (`redact`). They hold only public own data fields, string-keyed (no #private, no accessor): call.ts ownError copies those.

/** Base class of all errors thrown by generated clients and codecs. */
export class SoapError extends Error {
  /** The WSDL operation name, when the error belongs to a call or codec of one operation. */
  readonly operation: string | undefined;
  constructor(message: string, operation?: string, options?: { cause?: unknown }) {
    super(operation ? `${operation}: ${message}` : message, options);
    this.name = new.target.name;
    this.operation = operation;
  }
}

/** A value does not fit the schema while writing a message (wrong type, null where not nillable ...). */
export class EncodeError extends SoapError {
  /** Element path from the message root, e.g. `Send/Emails/EMailEntity[0]/Sent`. */
  readonly path: string;
  constructor(message: string, path: string, operation?: string) {
    super(`${message} at ${path}`, operation);
    this.path = path;
  }
}

/** A received message is not what the schema allows (bad number, nil where not nillable, not XML ...). */
export class DecodeError extends SoapError {
  /** The element the error is about, e.g. `GetEMailAccountResponse/Response/AccountId` ('' for the whole message). */
  readonly path: string;
  /** Where that element starts in the message (1-based; a surrogate pair is one column), when known. */
  readonly line: number | undefined;
  readonly column: number | undefined;
  constructor(message: string, path: string, operation?: string, position?: { readonly line: number; readonly column: number }) {
    const where = position ? ` (line ${position.line}, column ${position.column})` : '';
    super(path ? `${message} at ${path}${where}` : `${message}${where}`, operation);
    this.path = path;
    this.line = position?.line;
    this.column = position?.column;
  }
}

/** A SOAP Fault (SOAP 1.1 or 1.2), whatever the HTTP status -- but with 421, 429 or 503 it is the cause of the HttpError. */
export class SoapFaultError extends SoapError {
  /** faultcode (1.1) or Code/Value (1.2), e.g. `s:Client`. */
  readonly code: string;
  /** faultstring (1.1) or the first Reason/Text (1.2). */
  readonly reason: string;
  /** Text content of the detail element, if any. */
  readonly detail: string | undefined;
  readonly httpStatus: number | undefined;
  constructor(fault: { code: string; reason: string; detail?: string | undefined }, operation?: string, httpStatus?: number) {
    super(`SOAP fault ${fault.code}: ${fault.reason}`, operation);
    this.code = fault.code;
    this.reason = fault.reason;
    this.detail = fault.detail;
    this.httpStatus = httpStatus;
  }
}

/** SuperOffice's SoExceptionInfo header fields. */
export interface SoExceptionInfoFields {
  Message?: string | null | undefined;
  StackTrace?: string | null | undefined;
  FriendlyText?: string | null | undefined;
  ExceptionType?: string | null | undefined;
  Source?: string | null | undefined;
  InnerException?: SoExceptionInfoFields | null | undefined;
  Parameters?: Record<string, string | null> | null | undefined;
}

/** How many InnerException levels an error keeps, on both transports: SuperOffice nests a few; a longer chain is a broken or hostile answer. */
export const MAX_INNER_EXCEPTIONS = 16;

/**
 * The service answered, but reported failure: `Succeeded` false and/or an `ExceptionInfo` header.
 * Carries the SoExceptionInfo fields, including the inner exception chain; its cause, the body's DecodeError when that did not fit.
 */
export class SoExceptionError extends SoapError {
  readonly exceptionType: string | undefined;
  readonly friendlyText: string | undefined;
  readonly source: string | undefined;
  readonly serverStackTrace: string | undefined;
  readonly parameters: Record<string, string | null> | undefined;
  readonly inner: SoExceptionInfoFields | undefined;
  /** The whole ExceptionInfo header as received (undefined when only Succeeded=false came). */
  readonly info: SoExceptionInfoFields | undefined;
  constructor(info: SoExceptionInfoFields | undefined, operation?: string, options?: { cause?: unknown }) {
    const message = info?.Message ?? info?.FriendlyText ?? 'the service reported Succeeded=false without ExceptionInfo';
    // The innermost exception is named too: it is the root cause, which the outer ones (SoServerException ...)
    // often only wrap, and a log line shows only the message.
    let inner = info?.InnerException;
    for (let depth = 1; inner?.InnerException && depth < MAX_INNER_EXCEPTIONS; depth++) inner = inner.InnerException;
    const said = [inner?.ExceptionType, inner?.Message ?? inner?.FriendlyText].filter((text) => text).join(': '); // (either may be absent)
    super(`${info?.ExceptionType ? `${info.ExceptionType}: ` : ''}${message}${said ? ` (innermost: ${said})` : ''}`, operation, options);
    this.exceptionType = info?.ExceptionType ?? undefined;
    this.friendlyText = info?.FriendlyText ?? undefined;
    this.source = info?.Source ?? undefined;
    this.serverStackTrace = info?.StackTrace ?? undefined;
    this.parameters = info?.Parameters ?? undefined;
    this.inner = info?.InnerException ?? undefined;
    this.info = info;
  }
}

/** An error status without a Fault (REST: an error object); 421/429/503 (REST: 401/403 too) whatever the body, a Fault its cause; a redirect (never followed). */
export class HttpError extends SoapError {
  readonly status: number;
  readonly statusText: string;
  /** The start of the response body (500 characters on one line, then `…`), secrets removed; what a Fault or ExceptionInfo it carried says; for a redirect, why it was not followed. */
  readonly bodyExcerpt: string;
  /** A redirect's Location (3xx), which the agent never follows (secrets removed). */
  readonly location: string | undefined;
  /** The response's Retry-After header, as sent (undefined when it had none); the retry policy reads it here. */
  readonly retryAfter: string | undefined;
  constructor(status: number, statusText: string, bodyExcerpt: string, operation?: string, headers?: { location?: string | undefined; retryAfter?: string | undefined; cause?: unknown }) {
    super(`HTTP ${status}${statusText ? ` ${statusText}` : ''}${bodyExcerpt ? `: ${bodyExcerpt}` : ''}`, operation, headers?.cause === undefined ? undefined : { cause: headers.cause });
    this.status = status;
    this.statusText = statusText;
    this.bodyExcerpt = bodyExcerpt;
    this.location = headers?.location;
    this.retryAfter = headers?.retryAfter;
  }
}

export type TransportFailure = 'timeout' | 'aborted' | 'network' | 'too-large';

/** The request did not complete: timeout, abort, network failure, or a response over the size limit. */
export class TransportError extends SoapError {
  constructor(readonly reason: TransportFailure, message: string, operation?: string, cause?: unknown) {
    super(message, operation, cause === undefined ? undefined : { cause });
  }
}

/** A failure of SuperOffice Online's own services (tenant state, OpenID metadata, keys, sign-in) or options for them. */
export class OnlineError extends SoapError {
  /** Whether an outage is the likely reason (HTTP 5xx or 429, a connection refused or dropped, a timeout): a later try may succeed. False for a refusal, a bad answer, option or key, another 4xx, an untrusted certificate (online-request.ts temporaryFailure). */
  readonly temporary: boolean;
  constructor(message: string, options?: { cause?: unknown; temporary?: boolean | undefined }) {
    super(message, undefined, options);
    this.temporary = options?.temporary ?? false;
  }
}
