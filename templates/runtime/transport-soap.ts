// The SOAP transport (the default): a SOAP 1.1/1.2 envelope to the agent's endpoint, and the
// response envelope back to the typed output -- a Fault becomes SoapFaultError, `Succeeded` false
// or an `ExceptionInfo` header SoExceptionError (whatever the status: the server explained the
// failure), and any other error status HttpError.
// A Fault with 421, 429 or 503 (NOT_RUN_STATUSES) is the HttpError of that status, the fault its
// cause and in its excerpt: the server did not run the operation, which the call re-routes or
// retries. A Fault with 401 or 403 stays a SoapFaultError: the credential refusal list reads its
// code and its httpStatus (ticket-source.ts), and the ticket is renewed either way. An
// ExceptionInfo with those five statuses is their HttpError, the SoExceptionError its cause and in
// its excerpt: a SoExceptionError has no httpStatus for the refusal list to read.
// Headers that report a failure beside a body that does not fit the schema (a bad value, an unknown
// element with unknownElements 'error', a missing element) are that failure too, the body's
// DecodeError its cause: the server's own reason is what the caller needs (review r19a #2). Headers
// that do not fit stay the DecodeError they are, and so does an envelope of the wrong shape (no
// Body, an empty one, another body element, the other SOAP version): not a reply of the operation.
import { headersBeside } from './decode.js';
import { DecodeError, MAX_INNER_EXCEPTIONS, SoapFaultError, SoExceptionError, type SoExceptionInfoFields } from './errors.js';
import { actedOnStatus, bodyExcerpt, httpError, NOT_RUN_STATUSES, responseBodyText, withoutOperation, type Transport, type TransportContext } from './transport.js';
import type { HttpReply } from './http.js';

export const soapTransport: Transport = {
  kind: 'soap',

  request(codec, input, address, blocks) {
    const body = codec.encodeRequest(input, blocks);
    const headers: Record<string, string> = {};
    if (codec.soapVersion === '1.2') {
      headers['Content-Type'] = `application/soap+xml; charset=utf-8; action="${codec.soapAction}"`;
    } else {
      headers['Content-Type'] = 'text/xml; charset=utf-8';
      headers['SOAPAction'] = `"${codec.soapAction}"`;
    }
    return { url: address.endpoint, headers, body };
  },

  response(codec, response, context) {
    const { status } = response;
    const name = context.operation;
    const text = responseBodyText(response, name);
    const failed = status < 200 || status >= 300;
    if (!/^\s*</.test(text)) {
      if (failed) throw httpError(response, text, context);
      if (text.trim() === '') throw new DecodeError(`the response body is empty (HTTP ${status})`, '', name);
      throw new DecodeError(`the response is not XML: ${bodyExcerpt(text, context.clean)}`, '', name);
    }
    let decoded;
    try {
      decoded = codec.decodeResponse(text, { unknownElements: context.unknownElements, soapVersion: codec.soapVersion });
    } catch (err) {
      if (err instanceof SoapFaultError) {
        // The decoder read the fault from the text alone: this copy adds the HTTP status it came with.
        const fault = new SoapFaultError(err, name, status);
        throw NOT_RUN_STATUSES.has(status) ? httpError(response, `SOAP fault ${fault.code}: ${fault.reason}`, context, fault) : fault;
      }
      if (err instanceof DecodeError) {
        // The headers the decoder read beside that body, when every one fits (else the body's error stands): one rule, decode.ts's.
        const beside = headersBeside(err);
        const reported = beside && reportedFailure(beside, name, err);
        if (reported) throw failure(reported, response, context);
      }
      if (failed) throw httpError(response, text, context);
      // A page instead of an envelope (a proxy's sign-in page): say so, not what the XML reader minds in it.
      const type = response.contentType?.trim().slice(0, 100) ?? '';
      if (/^text\/html\s*(;|$)/i.test(type)) {
        throw new DecodeError(`the response is an HTML page (Content-Type ${type}), not a SOAP envelope: ${bodyExcerpt(text, context.clean)}`, '', name);
      }
      throw err;
    }
    const reported = reportedFailure(decoded.headers, name);
    if (reported) throw failure(reported, response, context);
    if (failed) throw httpError(response, text, context);
    return decoded;
  },
};

/**
 * The failure response headers report (`Succeeded` false and/or an `ExceptionInfo`), if they do;
 * `cause`: the DecodeError of the body beside them, which did not fit the schema.
 */
function reportedFailure(headers: Readonly<Record<string, unknown>>, operation: string, cause?: DecodeError): SoExceptionError | undefined {
  const { Succeeded, ExceptionInfo } = headers as { Succeeded?: boolean; ExceptionInfo?: SoExceptionInfoFields | null };
  if (Succeeded !== false && (ExceptionInfo === undefined || ExceptionInfo === null)) return undefined;
  return new SoExceptionError(keptInnerExceptions(ExceptionInfo ?? undefined), operation, cause && { cause });
}

/** The error a reported failure is with this response's status: itself, or the HttpError of a status the call acts on, it the cause. */
function failure(reported: SoExceptionError, response: HttpReply, context: TransportContext): Error {
  if (!actedOnStatus(response.status, context.refusalStatuses)) return reported;
  // The excerpt: its message without the operation's name, which the HttpError's message starts with.
  return httpError(response, withoutOperation(reported), context, reported);
}

/**
 * `info` with its InnerException chain cut after MAX_INNER_EXCEPTIONS levels, in place (the decoded
 * header is this call's own): a longer chain (the XML reader allows 256 levels) must not make every
 * error the runtime redacts and the caller logs that deep.
 */
function keptInnerExceptions(info: SoExceptionInfoFields | undefined): SoExceptionInfoFields | undefined {
  let level = info;
  for (let depth = 0; level?.InnerException && depth < MAX_INNER_EXCEPTIONS; depth++) level = level.InnerException;
  if (level?.InnerException) delete level.InnerException; // (cut by the limit; a null at the end of a short chain stays)
  return info;
}
