// Opt-in retries that never repeat a write by accident. A call is retried automatically only when
// the server certainly did not run it:
//   - HTTP 429 and 503 (an HttpError whatever the body, a SOAP Fault too: transport.ts
//     NOT_RUN_STATUSES), after Retry-After (seconds or an HTTP date) when it is within
//     maxRetryAfterMs and the time left of the call -- a longer wait is not retried, the
//     HttpError (with its retryAfter) reaches the caller at once;
//   - a connection refused before any byte was sent (ECONNREFUSED);
//   - a tenant that is not running for minutes only (TenantNotRunningError `temporary`: maintenance,
//     provisioning; nothing was sent), once its state may have changed: the state is cached until
//     ValidUntil, "when to check next time" (status-page.md), so an earlier attempt would get the
//     same answer; that wait is bounded as a Retry-After is (maxRetryAfterMs, the time left of the
//     call), never the backoff. A deleted, suspended, not yet migrated ... tenant is not retried;
//   - a temporary failure of SuperOffice Online's services before the attempt's request went out
//     (AttemptFailure.notSent, the call's own knowledge): the sign-in exchange, the OpenID metadata or
//     JWKS, the tenant state, the on-site sign-in (SoPrincipal) answering 5xx or 429, unreachable, timed
//     out (an OnlineError `temporary`), for every operation, a write too -- nothing reached the service's
//     host -- after a 429's or 503's Retry-After as above, else the backoff;
//   (and, in the agent, HTTP 421 -> re-resolve the tenant, and a credential refusal -> renew the
//   ticket: each once, whether or not retries are on; a credential refusal never reaches this policy).
// Any other failure (timeout, reset, 5xx, fault) is retried only for operations marked safe
// (`safeOperations`), since the server may have run it, except what every attempt would repeat
// alike: an input that does not fit the schema (EncodeError), which nothing sent, a response over
// maxResponseBytes (TransportError too-large: the same answer is as large again), a ticket option that
// cannot work (TicketOptionError), and an OnlineError that is not `temporary`: a refusal of SuperOffice
// Online's services (a system user sign-in refused, SystemUserSignInError; a token that does not verify,
// JwtError; an on-site sign-in refused, UsernamePasswordSignInError; a tenant deleted, suspended ...),
// a bad answer (a state answer about another tenant), another 4xx (a metadata 404), a bad option or a key
// WebCrypto refuses (KeyFormatError): a service that said no is not asked again. Waits grow
// exponentially with full jitter, the whole call stops at maxTotalMs, and the caller's signal ends
// any wait at once. No wait is begun that the call's own time limit (timeoutMs) would end: the
// call would fail with a timeout instead of what the server said. (A wait ending just inside the
// limit is begun; the attempt after it may still run out of time.)
import { EncodeError, HttpError, OnlineError, TransportError } from './errors.js';
import { MAX_TIMER_MS } from './agent.js';
import { retryAfterMs } from './http.js';
import { refusedConnection } from './transport.js';
import type { TenantNotRunningError } from './tenant.js';

export interface RetryOptions {
  /** Most attempts per call, the first included (default 3). */
  maxAttempts?: number | undefined;
  /** First backoff step (default 200 ms); doubles each attempt, up to maxDelayMs (default 5 s). */
  baseDelayMs?: number | undefined;
  maxDelayMs?: number | undefined;
  /** No attempt starts after this many ms since the call started, counted as timeoutMs is (default 30 s). */
  maxTotalMs?: number | undefined;
  /** A longer Retry-After is not waited for (default 30 s). */
  maxRetryAfterMs?: number | undefined;
  /** Operations the server may safely run twice (reads): WSDL names ('GetEMailAccount', checked when the agent is made), or a test of service and operation. */
  safeOperations?: readonly string[] | ((service: string, operation: string) => boolean) | undefined;
  /** Random source for the jitter (tests). */
  random?: (() => number) | undefined;
}

/** What the agent knows of a failed attempt besides the error. */
export interface AttemptFailure {
  /** The attempt's error; a 429/503 HttpError carries the response's Retry-After. */
  readonly error: unknown;
  readonly service: string;
  readonly operation: string;
  /** 1-based number of the attempt that failed. */
  readonly attempt: number;
  /** Milliseconds since the call started, by the call budget's clock (CallBudget.times in http.ts). */
  readonly elapsedMs: number;
  /** Milliseconds left of the call's time limit (Infinity without one), by the same clock and start. */
  readonly remainingMs: number;
  /** Wall-clock time (Date.now()), to read a Retry-After given as an HTTP date. */
  readonly now: number;
  /**
   * True when the call knows that this attempt's request did not go out (it failed before: the tenant state, the
   * sign-in, the onRequest hook), so the server cannot have run it; false: it may have gone out. Required (review r20r
   * #9): a caller that forgot it would turn the rule for writes off without a word.
   */
  readonly notSent: boolean;
}

/** How long to wait before the next attempt, or undefined for no retry. */
export function retryDelay(options: RetryOptions, f: AttemptFailure): number | undefined {
  // Written so that a NaN limit means no retry, as NaN in the other options does (a comparison with NaN is false).
  if (!(f.attempt < (options.maxAttempts ?? 3)) || sameAnswerAgain(f.error)) return undefined;
  const backoff = jitteredBackoff(options, f.attempt);
  let delay: number | undefined;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
  // A 429's or 503's Retry-After, else the backoff; a longer one than maxRetryAfterMs is not waited for.
  const busy = (http: HttpError): number | undefined => {
    const after = retryAfterMs(http.retryAfter, f.now);
    return after === undefined ? backoff : after <= maxRetryAfterMs ? after : undefined;
  };
  // The login host's or state endpoint's busy answer: an OnlineError whose cause is its HttpError (SOAP and REST alike).
  const online = f.error instanceof OnlineError && f.error.cause instanceof HttpError && busyStatus(f.error.cause) ? f.error.cause : undefined;
  if (f.error instanceof HttpError && busyStatus(f.error)) {
    delay = busy(f.error);
  } else if (f.error instanceof OnlineError && f.error.name === 'TenantNotRunningError') {
    // (By name: retries of an agent with a fixed address do not load tenant routing's code.)
    // Temporary (sameAnswerAgain): a tenant deleted, suspended, not yet migrated ... would give the same answer at retryAt.
    const after = Math.max(0, (f.error as TenantNotRunningError).retryAt.getTime() - f.now);
    if (after <= maxRetryAfterMs) delay = after;
  } else if (refusedConnection(f.error)) {
    delay = backoff;
  } else if ((f.notSent && f.error instanceof OnlineError) || isSafe(options, f.service, f.operation)) {
    // An outage of Online's services before the request went out (temporary: sameAnswerAgain), or any failure of a safe
    // operation; a 429 or 503 of the login host or state endpoint after its Retry-After (see the header).
    delay = online ? busy(online) : backoff;
  }
  if (delay === undefined || delay >= f.remainingMs) return undefined;
  return f.elapsedMs + delay <= (options.maxTotalMs ?? 30_000) ? delay : undefined;
}

/** 429 or 503: too busy, so not run (transport.ts NOT_RUN_STATUSES but 421, which the agent acts on). */
const busyStatus = (err: HttpError): boolean => err.status === 429 || err.status === 503;

/**
 * A failure every attempt would repeat alike (see the header): an input the schema refuses, a response too large, a
 * ticket option that cannot work (ticket-source.ts TicketOptionError, a TypeError: by name, as retries do not load the
 * sign-in's code), and any OnlineError that is not `temporary` -- a refusal (the sign-in's, a tenant not running for
 * long), a bad answer, another 4xx, a bad option or key: one rule, its `temporary`, for all of SuperOffice Online's errors.
 */
function sameAnswerAgain(err: unknown): boolean {
  if (err instanceof EncodeError) return true;
  if (err instanceof TransportError && err.reason === 'too-large') return true;
  if (err instanceof OnlineError && !err.temporary) return true;
  return (err as Error | undefined)?.name === 'TicketOptionError';
}

function isSafe(options: RetryOptions, service: string, operation: string): boolean {
  const safe = options.safeOperations;
  if (!safe) return false;
  return typeof safe === 'function' ? safe(service, operation) : safe.includes(operation);
}

/** Full jitter: a random wait between 0 and min(maxDelay, base · 2^(attempt-1)). */
function jitteredBackoff(options: RetryOptions, attempt: number): number {
  const cap = Math.min(options.maxDelayMs ?? 5_000, (options.baseDelayMs ?? 200) * 2 ** (attempt - 1));
  return Math.floor((options.random ?? Math.random)() * cap);
}

/**
 * Waits `ms` by the wall clock (Date.now()), or rejects as soon as `signal` aborts. A timer may
 * fire a little early by that clock, which a Retry-After date and a tenant's retryAt are on (the
 * resolver's cached refusal holds while Date.now() is before it): it is then set again for the rest.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  const until = Date.now() + ms;
  return new Promise((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const wait = (left: number): void => {
      timer = setTimeout(() => {
        const rest = until - Date.now();
        if (rest > 0 && rest < ms) return wait(rest); // (more than `ms` left: the clock was set back; not waited for)
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.min(left, MAX_TIMER_MS));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    wait(ms);
  });
}
