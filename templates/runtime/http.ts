// Posting one request (SOAP or REST): the call's time budget, the request with redirects refused,
// and reading the body under the size limit. call.ts orchestrates a call; this file only moves
// bytes, turns every way that can fail into a TransportError or HttpError, and reads a Retry-After.
import { callLimit, endedWhileWaiting, NOTHING_SENT } from './agent.js';
import { joinChunks } from './charset.js';
import { HttpError, TransportError } from './errors.js';
import { displayUrl } from './hooks.js';
import { shortText } from './scalars.js';

/** What came back: status and the whole body, read under the size limit; what a transport decodes. */
export interface HttpReply {
  readonly status: number;
  readonly statusText: string;
  readonly bytes: Uint8Array;
  readonly contentType: string | null;
  /** The Retry-After header, for the HttpError of an error status (transport.ts's httpError), where the retry policy reads it. */
  readonly retryAfter: string | undefined;
}

/**
 * The time budget of one call, from `started` (when the agent was asked: an agent's first call
 * loaded this file meanwhile, within the same limit) to its last byte: `timeoutMs` (0 = none) and
 * the caller's signal. Everything the call waits for -- the ticket function, the request, the body --
 * runs through `wait` or gets `signal`, so a ticket function that never settles ends the call too.
 */
export class CallBudget {
  readonly #controller = new AbortController();
  /** performance.now() when the agent was asked, and at the time limit (Infinity without one). */
  readonly #started: number;
  readonly #deadline: number;
  readonly #timeoutMs: number;
  readonly #operation: string;
  /** The call's timeout or abort, once it has come. */
  #ended: TransportError | undefined;
  /**
   * What the server did with the call so far, for what its error says (sentNote): whether the current attempt's request
   * went out (postRequest), and of the earlier attempts' requests how many it certainly did not run and whether it may
   * have run one. (Whether any request of the call went out is one of the three: none is kept besides, review r20r #8.)
   */
  #attemptSent = false;
  #notRun = 0;
  #mayHaveRun = false;
  /**
   * What the call waited for last: what `wait` names ('its ticket', 'its next attempt'), or, once a request went out, the
   * response from its URL (shown as hook events show it, as a refused connection names it, and only when the call ends
   * there) -- its body, once its status came. A timeout or abort says it (agent.ts endedWhileWaiting): a wrong or
   * unreachable baseUrl shows in a timeout too, and a server that answered but stalls is not taken for one that never did.
   */
  #waitingFor: string | { readonly responseFrom: string; readonly status?: number } = 'its first attempt';
  /** Stops the time limit and lets go of the caller's signal (callLimit). */
  readonly #release: () => void;

  constructor(timeoutMs: number, caller: AbortSignal | undefined, operation: string, started: number = performance.now()) {
    this.#started = started;
    this.#deadline = timeoutMs > 0 ? started + timeoutMs : Infinity;
    this.#timeoutMs = timeoutMs;
    this.#operation = operation;
    // The time limit and the caller's signal by the rule the first call's load of call.ts kept
    // (agent.ts callLimit; an aborted signal throws here).
    this.#release = callLimit(timeoutMs, caller, operation, started, (err) => {
      this.#ended = err;
      this.#controller.abort();
    });
  }

  /** Aborted when the call times out or the caller aborts. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /**
   * Where the call stands, from one reading of the budget's clock (performance.now()): the ms
   * since the agent was asked (the retry policy's maxTotalMs counts them) and the ms left until the
   * time limit (Infinity without one; a retry waits only within it). Both from the same start and
   * reading: with a limit, elapsedMs + remainingMs is the call's timeoutMs.
   */
  times(): { elapsedMs: number; remainingMs: number } {
    const now = performance.now();
    return { elapsedMs: now - this.#started, remainingMs: this.#deadline - now };
  }

  /**
   * The error that ends the call now: timeout or abort when the budget is spent, else a network
   * failure, said as `what` (e.g. that the response body could not be read) and the cause's code.
   */
  failure(err: unknown, what = 'the request failed'): TransportError {
    if (err instanceof TransportError) return err;
    if (this.#ended) {
      const w = this.#waitingFor;
      const what =
        typeof w === 'string' ? w
        : w.status === undefined ? `the response from ${displayUrl(w.responseFrom)}`
        : `the response body from ${displayUrl(w.responseFrom)} (HTTP ${w.status} received)`;
      return endedWhileWaiting(this.#ended, this.#timeoutMs, what, this.#anySent(), this.sentNote());
    }
    const e = err as { cause?: { code?: string } };
    // undici's code for response headers over Node's limit, which says nothing to most readers.
    if (e?.cause?.code === 'UND_ERR_HEADERS_OVERFLOW') what = "the response's headers are larger than Node reads (16 KiB unless node --max-http-header-size)";
    return new TransportError('network', `${what}: ${failureDetail(err)}`, this.#operation, err);
  }

  /**
   * `promise`, or the budget's TransportError as soon as the budget is spent (for waits that take
   * no signal, such as the ticket function). An error of `promise` itself passes unchanged.
   * `waitingFor` ('its ticket', 'its next attempt') is what that error names.
   */
  wait<T>(promise: Promise<T> | T, waitingFor: string): Promise<T> {
    this.#waitingFor = waitingFor;
    const signal = this.signal;
    if (signal.aborted) return Promise.reject(this.failure(undefined));
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => reject(this.failure(undefined));
      signal.addEventListener('abort', onAbort, { once: true });
      Promise.resolve(promise).then(
        (v) => {
          signal.removeEventListener('abort', onAbort);
          resolve(v);
        },
        (e: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      );
    });
  }

  /** A request of this call is going out to `url`: from now on the server may have it. */
  sending(url: string): void {
    this.#attemptSent = true;
    this.#waitingFor = { responseFrom: url };
  }

  /**
   * Whether the current attempt's request has gone out (`sending`). While it has not, a failure of the attempt -- the
   * tenant state, the sign-in, the onRequest hook -- came before anything reached the service's host (the retry policy's
   * AttemptFailure.notSent).
   */
  get attemptSent(): boolean {
    return this.#attemptSent;
  }

  /** The response to the request sent last came with `status`: what the call waits for now is its body. */
  answered(status: number): void {
    if (typeof this.#waitingFor !== 'string') this.#waitingFor = { responseFrom: this.#waitingFor.responseFrom, status };
  }

  /**
   * The attempt that failed is followed by another (call.ts). `notRun`: the server certainly did not run it (421, 429,
   * 503, a credential refusal, a refused connection); said only of an attempt whose request went out.
   */
  nextAttempt(notRun: boolean): void {
    if (this.#attemptSent && notRun) this.#notRun++;
    else if (this.#attemptSent) this.#mayHaveRun = true;
    this.#attemptSent = false;
  }

  /**
   * What the call's error says of what the server did with it (review r19b #7). While the current attempt has sent
   * nothing: 'nothing was sent' when no attempt has; 'the server did not run the call' when every earlier one that went
   * out was refused unrun. Once it went out, that the earlier ones were not run. '' when one may have run: not said.
   */
  sentNote(): string {
    if (!this.#anySent()) return NOTHING_SENT;
    if (this.#mayHaveRun || this.#notRun === 0) return '';
    if (!this.#attemptSent) return 'the server did not run the call';
    return this.#notRun === 1 ? 'the earlier attempt was not run' : `the ${this.#notRun} earlier attempts were not run`;
  }

  /** Whether any attempt of the call went out (its timeout then says "no result", not "no request sent"). */
  #anySent(): boolean {
    return this.#attemptSent || this.#notRun > 0 || this.#mayHaveRun;
  }

  /** Stops the timer and lets go of the caller's signal. */
  end(): void {
    this.#release();
  }
}

/**
 * What a network failure's cause says, for its message: the text and the code (`other side closed
 * (UND_ERR_SOCKET)`, `incorrect header check (Z_DATA_ERROR)`), as a code alone says little to most
 * readers; the code alone when the text only repeats it (`connect ECONNREFUSED 127.0.0.1:8080`).
 * The text is on one line (OpenSSL's ends in a line break) and cut after 200 characters with `…`,
 * which the redactor sees as a cut (secrets are removed from the whole error later).
 */
function failureDetail(err: unknown): string {
  const e = err as { cause?: { code?: unknown; message?: unknown }; message?: unknown } | undefined;
  const code = typeof e?.cause?.code === 'string' ? e.cause.code : undefined;
  const said = typeof e?.cause?.message === 'string' && e.cause.message !== '' ? e.cause.message : undefined;
  const text = shortText((said ?? (typeof e?.message === 'string' ? e.message : String(err))).replace(/\s+/g, ' ').trim(), 200);
  if (code === undefined) return text;
  // TLS spoken to a server that answered in plain HTTP: OpenSSL's words do not say that.
  const hint = code === 'ERR_SSL_WRONG_VERSION_NUMBER' ? '; is the server plain http? check http:// against https:// in the address' : '';
  return `${said === undefined || said.includes(code) ? code : `${text} (${code})`}${hint}`;
}

/**
 * RFC 9110's HTTP-date forms: IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), RFC 850
 * (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime (`Sun Nov  6 08:49:37 1994`, GMT by definition).
 * Only these go to Date.parse, which reads almost anything as a date: `1.5` is 1 May 2001.
 */
const HTTP_DATE = /^[A-Za-z]{3,9}, \d{1,2}[ -][A-Za-z]{3}[ -]\d{2}(?:\d{2})? \d{2}:\d{2}:\d{2} GMT$/;
const ASCTIME_DATE = /^[A-Za-z]{3} [A-Za-z]{3} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/;

/**
 * Retry-After as milliseconds from `now`: delta-seconds or an HTTP date; undefined when absent or
 * unreadable (the backoff applies then, not an immediate retry). Several delta-seconds (two
 * headers, which fetch joins with `, `): the longest wait asked for. The retry policy's wait
 * (retry.ts), and how long a failed key fetch is remembered (online-jwt.ts).
 */
export function retryAfterMs(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+(?:\s*,\s*\d+)*$/.test(v)) return Math.max(...v.split(',').map(Number)) * 1000;
  const date = HTTP_DATE.test(v) ? Date.parse(v) : ASCTIME_DATE.test(v) ? Date.parse(`${v} GMT`) : NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The statuses fetch follows as redirects (its "redirect status"). */
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** What has arrived of a response so far (the hook events' status and responseBytes), also when reading it fails. */
export interface Arrived {
  status: number | undefined;
  responseBytes: number;
}

/**
 * POSTs `body` and reads the reply, noting in `arrived` its status once its headers came and the
 * body's bytes as they are read. Redirects are never followed (`redirect: 'manual'`): the
 * request carries the ticket and application token, which go only to the address the user named;
 * a 3xx is an HttpError naming the status and the Location (secrets removed later, with every
 * error), and nothing is sent anywhere else.
 */
export async function postRequest(
  fetchImpl: typeof fetch,
  url: string,
  headers: Record<string, string>,
  body: string | undefined,
  maxResponseBytes: number,
  budget: CallBudget,
  operation: string,
  arrived: Arrived,
): Promise<HttpReply> {
  let response: Response;
  budget.sending(url);
  try {
    response = await fetchImpl(url, { method: 'POST', headers, body: body ?? null, signal: budget.signal, redirect: 'manual' });
  } catch (err) {
    // Where it went, so a wrong baseUrl or port shows in the message: the URL as hook events show
    // it (no user info, query or fragment). fetch quotes the whole URL when it refuses one with user
    // info or cannot parse it: that error is told with the URL as shown, and not kept as the cause,
    // which holds the URL again (a short password or a key in the query escapes the redactor).
    const quoted = err instanceof Error && err.message.includes(url);
    throw budget.failure(quoted ? new Error(err.message.split(url).join(displayUrl(url))) : err, `the request to ${displayUrl(url)} failed`);
  }
  arrived.status = response.status;
  budget.answered(response.status);
  // A redirect is a status fetch would follow (301, 302, 303, 307, 308) or any 3xx naming a Location;
  // a 304 or a bare 300 is not one, and is an error status like any other (transport.ts).
  const raw = response.headers.get('location');
  if (REDIRECTS.has(response.status) || (raw !== null && response.status >= 300 && response.status < 400) || response.type === 'opaqueredirect') {
    await response.body?.cancel().catch(() => undefined);
    const location = raw === null ? undefined : withoutUserInfo(raw);
    throw new HttpError(
      response.status,
      response.statusText,
      `redirect${location !== undefined ? ` to ${location}` : ''} not followed: the request carries credentials, which go only to the address you named`,
      operation,
      { location },
    );
  }
  let bytes: Uint8Array;
  try {
    const tooLarge = () => new TransportError('too-large', `the response is larger than the limit of ${maxResponseBytes} bytes (maxResponseBytes)`, operation);
    bytes = await readLimited(response, maxResponseBytes, tooLarge, (received) => (arrived.responseBytes = received));
  } catch (err) {
    // The request was answered: name the body (and its compression, whose errors are bare zlib codes).
    const coding = response.headers.get('content-encoding');
    throw budget.failure(err, `the response body from ${displayUrl(url)} could not be read${coding ? ` (Content-Encoding ${coding.slice(0, 100)})` : ''}`);
  }
  return {
    status: response.status,
    statusText: response.statusText,
    bytes,
    contentType: response.headers.get('content-type'),
    retryAfter: response.headers.get('retry-after') ?? undefined,
  };
}

/**
 * A Location without `user:password@`, cut after 2000 characters (secrets of the call itself are
 * removed with the whole error). The user info goes first, so a long Location loses it too. It ends
 * at the authority's last `@`, as URL parsers read it: a password may hold a raw `@`.
 */
function withoutUserInfo(location: string): string {
  const clean = location.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1***@');
  return shortText(clean, 2000);
}

/**
 * The body's bytes, refused (and cancelled) with the error `tooLarge` makes, from its Content-Length or as soon as it
 * passes `limit` bytes; `received` is told how many were read so far. A call's response's, and an Online answer's (online-request.ts).
 */
export async function readLimited(response: Response, limit: number, tooLarge: () => Error, received?: (bytes: number) => void): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let read = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    read += value.byteLength;
    received?.(read);
    if (read > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return joinChunks(chunks, read);
}
