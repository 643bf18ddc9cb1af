// What this client asks of SuperOffice Online's own services (the environment's origin comes from
// environmentUrl in agent.ts): one small JSON request with its own time limit, a GET for the tenant
// state, the OpenID metadata and the JWKS (no secret), a POST for the REST ticket exchange.
import { HttpError, OnlineError, SoapError, TransportError } from './errors.js';
import { MAX_TIMER_MS } from './agent.js';
import { readLimited } from './http.js';
import { redact } from './redact.js';
import { hasCauseCode } from './transport.js';

/**
 * The largest answer read. A state answer, the metadata, a key set or the exchange's token is a few
 * KB; a larger one is refused while it streams, as an agent's maxResponseBytes refuses a response.
 */
export const MAX_ANSWER_BYTES: number = 1024 * 1024;

/** What a request carries besides its URL and time limit. */
export interface OnlineRequestOptions {
  /** A POST of this JSON (the ticket exchange's, which carries the signed token and the application token); else a GET. */
  readonly secretBody?: string | undefined;
  /** Ends the request early: a shared sign-in or state request given up as hung (ticket-source.ts SingleFlight). */
  readonly stop?: AbortSignal | undefined;
  /**
   * The error an answer with another status than 200 stands for, read from its body when that is a
   * JSON object of at most MAX_ERROR_ANSWER_BYTES (the exchange's `400 {"IsSuccessful":false,
   * "ErrorMessage":"InvalidTimestamp"}`); undefined, or a body that is not such an object, gives the
   * plain `HTTP <status>` error -- as an outage status (5xx, 429) does whatever its body says.
   */
  readonly errorFromAnswer?: ((status: number, answer: Record<string, unknown>) => Error | undefined) | undefined;
  /** What secretBody carries, removed from what an error status's answer says in the error (its status text, its Retry-After). */
  readonly secrets?: readonly string[] | undefined;
}

/** Whether an error status says the service is down or busy (5xx, 429), not what the same request gets again (another 4xx). */
const outageStatus = (status: number): boolean => status >= 500 || status === 429;

/**
 * The failures of a connection after which the same request may well get through (Node's and undici's codes): refused,
 * reset or dropped, not answered in time, a DNS lookup to try again. Not a certificate this client does not trust, a host
 * name that does not exist (ENOTFOUND), a protocol mismatch (TLS to a plain HTTP server): every try repeats those.
 */
const CONNECTION_FAILURES: ReadonlySet<string> = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EAI_AGAIN',
  'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT',
]);

/**
 * Whether a request to SuperOffice Online's services (requestJson's, or a sign-in agent's call: signInRequestError) that
 * failed with `err` may succeed when made again, an outage being the likely reason: the `temporary` of every OnlineError
 * made of a failure, decided here alone (review r20r #3), as the retry policy acts on it alone.
 *   - An answer: its status, whatever its body (an HttpError; a refusal's body with an outage status is the outage). Not
 *     a SOAP Fault (SOAP 1.1 answers every fault with 500, which then says nothing of an outage), an SoExceptionError, an
 *     answer that does not fit or is too large: the same request gets them again.
 *   - No answer: a timeout or a request given up as hung (`ended`: its own signal ended it; an agent's TransportError
 *     'timeout' or 'aborted', its signal being the sign-in's, given up as hung), or a connection failure
 *     (CONNECTION_FAILURES, in the error's cause chain). Not another network error, nor an error of other code (a custom
 *     fetch's, an authenticator's own).
 *   - An OnlineError keeps its own (an agent routed by tenant, whose state request failed).
 */
function temporaryFailure(err: unknown, ended = false): boolean {
  if (ended) return true;
  if (err instanceof OnlineError) return err.temporary;
  if (err instanceof HttpError) return outageStatus(err.status);
  if (err instanceof TransportError && err.reason !== 'network') return err.reason === 'timeout' || err.reason === 'aborted';
  if (err instanceof SoapError && !(err instanceof TransportError)) return false; // a fault, a reported exception, a bad answer
  return hasCauseCode(err, CONNECTION_FAILURES);
}

/**
 * The error of a sign-in request that a generated agent made and that failed (system-user.ts's SOAP exchange,
 * onsite-ticket.ts's SoPrincipal call): `<what> failed (<endpoint>): <the agent's message>`, the agent's error its cause.
 * It names the sign-in's endpoint, so it is not read as a failure of the tenant host the waiting call was for, and it is
 * an OnlineError, so the retry policy reads its `temporary`, by the rule of requestJson's failures (temporaryFailure): an
 * outage status (its HttpError, Retry-After and all, stays the cause), a timeout, a connection failure.
 * One rule for both sign-ins: with two, an outage of one would be retried where the same outage of the other is not.
 */
export function signInRequestError(what: string, endpoint: string, err: unknown): OnlineError {
  return new OnlineError(`${what} failed (${endpoint}): ${err instanceof Error ? err.message : String(err)}`, { cause: err, temporary: temporaryFailure(err) });
}

/** An error answer's body is read only up to this size (a reason is a few hundred bytes; an error page is not read). */
const MAX_ERROR_ANSWER_BYTES = 16 * 1024;

/**
 * One JSON request within `timeoutMs` (0 = none, as for an agent), its body included. Redirects are
 * not followed. The answer must be a JSON object of at most MAX_ANSWER_BYTES, so a server answering
 * `null`, `[]` or an endless body gets a clear OnlineError, not a TypeError or a full memory.
 */
export async function requestJson(fetchImpl: typeof fetch, url: string, what: string, timeoutMs: number, options: OnlineRequestOptions = {}): Promise<Record<string, unknown>> {
  const { secretBody, stop } = options;
  const post = secretBody !== undefined;
  // The options allow any finite number >= 0 (a computed 300.00000000000006 too), as the agents' do;
  // AbortSignal.timeout takes whole ms only, and at most the longest timer Node keeps.
  const timeout = timeoutMs > 0 ? AbortSignal.timeout(Math.min(Math.ceil(timeoutMs), MAX_TIMER_MS)) : undefined;
  const signal = timeout && stop ? AbortSignal.any([timeout, stop]) : (timeout ?? stop);
  let text: string;
  try {
    const response = await fetchImpl(url, {
      method: post ? 'POST' : 'GET',
      headers: post ? { 'Content-Type': 'application/json', Accept: 'application/json' } : { Accept: 'application/json' },
      ...(post ? { body: secretBody } : {}),
      redirect: 'manual',
      ...(signal ? { signal } : {}),
    });
    if (response.status !== 200) {
      const failed = statusError(response, `${what} failed (${url})`, options.secrets ?? []);
      // An outage status is the outage whatever its body says (a 503 with a refusal's body is no refusal: not remembered
      // as one, retried); only another status's body may name the error.
      throw (await errorOfAnswer(response, failed.temporary ? undefined : options.errorFromAnswer)) ?? failed;
    }
    text = await readAnswer(response, `${what} (${url})`, MAX_ANSWER_BYTES);
  } catch (err) {
    if (err instanceof OnlineError) throw err;
    const code = (err as { cause?: { code?: string } }).cause?.code;
    // Its own signal ended it: the time limit, or the request given up as hung (`stop`). Not an error's name: a custom
    // fetch's own TimeoutError is its error, after no time of ours, as the SOAP exchange reads it (review r20s #3).
    const ended = signal?.aborted === true;
    // The error of a fetch the user wrapped could quote a POST's body: then only its code, no cause.
    const detail = stop?.aborted ? 'given up as hung' : ended ? `no answer within ${timeoutMs} ms` : code ?? (post ? 'network error' : String(err));
    const temporary = temporaryFailure(err, ended);
    throw new OnlineError(`${what} failed (${url}): ${detail}`, post ? { temporary } : { cause: err, temporary });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new OnlineError(`${what} (${url}) is not JSON`);
  }
  if (!isJsonObject(value)) throw new OnlineError(`${what} (${url}) is not a JSON object`);
  return value;
}

/**
 * The error of a status other than 200 whose answer names no error of its own (errorFromAnswer): `HTTP <status>`, its
 * HttpError the cause, as the SOAP exchange's is (system-user.ts) -- where the retry policy reads a 429's or 503's
 * Retry-After -- its status text and Retry-After without `secrets` (a POST's body's); temporary for an outage status.
 */
function statusError(response: Response, failed: string, secrets: readonly string[]): OnlineError {
  const retryAfter = response.headers.get('retry-after');
  const said = new HttpError(response.status, redact(response.statusText, secrets), '', undefined, { retryAfter: retryAfter === null ? undefined : redact(retryAfter, secrets) });
  return new OnlineError(`${failed}: HTTP ${response.status}`, { cause: said, temporary: temporaryFailure(said) });
}

/** A parsed JSON value that is an object (not null, not an array): what every Online answer and a JWT's parts are. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The error `errorFromAnswer` makes of an answer that is not 200, or undefined; the body is read only for it. */
async function errorOfAnswer(response: Response, errorFromAnswer: OnlineRequestOptions['errorFromAnswer']): Promise<Error | undefined> {
  if (errorFromAnswer === undefined) {
    await response.body?.cancel().catch(() => undefined);
    return undefined;
  }
  let answer: unknown;
  try {
    answer = JSON.parse(await readAnswer(response, 'the error answer', MAX_ERROR_ANSWER_BYTES));
  } catch {
    return undefined; // not JSON, too large, or cut off: the status is all there is to tell
  }
  return isJsonObject(answer) ? errorFromAnswer(response.status, answer) : undefined;
}

/** The body as UTF-8 text, refused (and cancelled) from its Content-Length or as soon as it passes `limit` bytes. */
async function readAnswer(response: Response, what: string, limit: number): Promise<string> {
  return new TextDecoder('utf-8').decode(await readLimited(response, limit, () => new OnlineError(`${what} is larger than ${limit} bytes`)));
}
