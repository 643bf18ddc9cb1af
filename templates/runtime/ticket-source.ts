// A ticket that renews itself (best-practices.md, "Credential management"): SuperOffice tickets
// live 6 hours from their last use (a sliding window), and the docs ask apps to cache the ticket and
// sign in again only when it has expired or is about to -- never once per call.
//
//   renewingTicket(fetchTicket)   cache + single flight (one sign-in however many calls wait; one
//                                 still running after 5 minutes is given up as hung) +
//                                 renewal before the window ends (in the background: calls go on with
//                                 the ticket while it lasts, and a failed renewal keeps it) +
//                                 `refused(ticket)` after a call was refused for its credentials, so
//                                 the next call signs in again.
//   isCredentialRefusal(err)      which replies count as "refused for its credentials" (the agent
//                                 then renews the ticket and retries that call once).
// The ticket lives in this object's memory only; it is never logged.
import { checkLimitOption, notify } from './agent.js';
import { HttpError, SoapFaultError, SoExceptionError } from './errors.js';

/** What a ticket provider gets from the session it serves. */
export interface TicketContext {
  /** The session's environment ('sod' | 'stage' | 'online' | login host URL), when it has one. */
  readonly environment?: string | undefined;
  /** The tenant (context identifier), when the session has one. */
  readonly tenant?: string | undefined;
  readonly applicationToken?: string | undefined;
  readonly fetch: typeof fetch;
  /**
   * When to stop. TicketProvider.ticket() gets the call's own signal (its timeout or abort). The
   * sign-in function of renewingTicket gets another: a sign-in shared by several calls is not cut by
   * one caller, and its signal aborts only when it is given up as hung (SIGN_IN_LIMIT_MS).
   */
  readonly signal?: AbortSignal | undefined;
}

/** A managed ticket: what `renewingTicket`, `systemUserTicket` and `usernamePasswordTicket` return. */
export interface TicketProvider {
  /** The current ticket: the cached one, or a new one (one sign-in however many calls wait). */
  ticket(context: TicketContext): Promise<string>;
  /** A call sent `ticket` and was refused for its credentials: forget it, so the next ticket() signs in again. */
  refused(ticket: string): void;
  /**
   * The cached ticket when it is still good (counted as a use), else undefined -- the agent's fast
   * path: a call with a cached ticket waits for no promise (bench case online-session).
   */
  cached?: (() => string | undefined) | undefined;
}

/**
 * A ticket or sign-in option that cannot work (a wrong kind of ticket, a missing applicationToken):
 * a TypeError, as every bad option is, which every attempt would repeat, so never retried
 * (retry.ts knows it by name; a TypeError of your own ticket function, such as fetch's, is retried as before).
 */
export class TicketOptionError extends TypeError {
  override name = 'TicketOptionError';
}

export function isTicketProvider(value: unknown): value is TicketProvider {
  return typeof value === 'object' && value !== null && typeof (value as TicketProvider).ticket === 'function' && typeof (value as TicketProvider).refused === 'function';
}

export interface RenewingTicketOptions {
  /** The ticket's sliding window: how long it stays valid after its last use (default 6 hours). */
  slidingWindowMs?: number | undefined;
  /** Sign in again this long before the window would end (default 10 minutes). */
  renewBeforeMs?: number | undefined;
  /** Time source in milliseconds (tests). */
  now?: (() => number) | undefined;
  /**
   * Told of a renewal that failed in the background, which no call reports (the ticket stays in use
   * while it lasts): for logs and alerts, as an application whose access was revoked shows here first.
   * The error is the one a waiting call would get, before the call removes its own secrets: each call cleans its own
   * copy, its causes too (call.ts ownError), never this object. A hook's own failure is dropped.
   */
  onRenewalError?: ((error: unknown) => void) | undefined;
}

const SIX_HOURS = 6 * 60 * 60 * 1000;
/**
 * A sign-in still running after this long is given up as hung: the next call starts another (and
 * the hung one's signal aborts). Far above a bounded sign-in's time (systemUserTicket's three
 * requests of 30 s each, a principal agent's 120 s), so a slow one is still shared, not repeated.
 */
const SIGN_IN_LIMIT_MS = 5 * 60 * 1000;

/**
 * Wraps any sign-in (`fetchTicket`) into a cached, self-renewing ticket. The sliding window restarts
 * each time the ticket is handed out for a call, as SuperOffice's does each time the ticket is used.
 */
export function renewingTicket(fetchTicket: (context: TicketContext) => Promise<string>, options: RenewingTicketOptions = {}): TicketProvider {
  // A NaN window never ends (the ticket would never be renewed): refused, as an agent's limits are.
  checkLimitOption('slidingWindowMs', options.slidingWindowMs);
  checkLimitOption('renewBeforeMs', options.renewBeforeMs);
  const windowMs = options.slidingWindowMs ?? SIX_HOURS;
  const renewBefore = Math.min(options.renewBeforeMs ?? 10 * 60 * 1000, windowMs / 2);
  const now = options.now ?? Date.now;
  const onRenewalError = options.onRenewalError; // (not `options`, which may hold a private key: SECURITY.md)
  let current: { ticket: string; lastUsed: number } | undefined;
  const signIns = new SingleFlight<string>(SIGN_IN_LIMIT_MS, now);
  let watched: Promise<string> | undefined; // the background renewal whose failure onRenewalError is told
  const cached = (): string | undefined => {
    const t = now();
    if (!current || t - current.lastUsed >= windowMs - renewBefore) return undefined;
    current.lastUsed = t;
    return current.ticket;
  };
  return {
    cached,
    async ticket(context) {
      const ticket = cached();
      if (ticket !== undefined) return ticket;
      // An expired ticket is dropped: the call waits for a sign-in.
      if (current && now() - current.lastUsed >= windowMs) current = undefined;
      // Calls arriving while a sign-in runs share it (SingleFlight): one caller giving up does not
      // fail the others, and one that never settles is given up after SIGN_IN_LIMIT_MS.
      const signedIn = signIns.join((signal) =>
        fetchTicket({ ...context, signal }).then((ticket) => {
          current = { ticket, lastUsed: now() };
          return ticket;
        }),
      );
      const held = current;
      if (held === undefined) return context.signal ? abortable(signedIn, context.signal) : signedIn;
      // About to expire, but still good: the call goes on with it at once and the renewal runs in
      // the background. A slow or hung login host (best-practices.md: its availability "is
      // independent of the tenant") must not fail calls while the ticket lasts; a failed renewal
      // leaves the ticket in use (this use restarts its window, as the server's does) and the next
      // renewal comes when it is about to expire again.
      // (No call's error, and never an unhandled rejection; told once, however many calls join the renewal.)
      if (signedIn !== watched) (watched = signedIn).catch((err: unknown) => notify(onRenewalError, err));
      held.lastUsed = now();
      return held.ticket;
    },
    refused(ticket) {
      if (current?.ticket === ticket) current = undefined;
    },
  };
}

/** How long a refused sign-in is remembered (rememberRefusals). */
const REFUSAL_MEMORY_MS = 60_000;

/**
 * `signIn`, whose refusals (a revoked token, a wrong password) are remembered: the calls that ask the
 * same (`asked`) within REFUSAL_MEMORY_MS get the refusal again without signing in (best-practices.md:
 * do not sign in before every call; a wrong password sent by every call can lock the account).
 * `isRefusal` tells a refusal from other errors, such as a failure to reach the server, which the next
 * call retries. The refusal is thrown as the one object it is: each call rejects with its own copy, its
 * runtime causes copied too (call.ts ownError), which its redaction, its call site and its caller change.
 */
export function rememberRefusals(
  signIn: (context: TicketContext) => Promise<string>,
  asked: (context: TicketContext) => string,
  isRefusal: (err: unknown) => boolean,
  now: () => number,
): (context: TicketContext) => Promise<string> {
  let last: { readonly error: unknown; readonly at: number; readonly asked: string } | undefined;
  return async (context) => {
    const key = asked(context);
    if (last !== undefined && last.asked === key && now() - last.at < REFUSAL_MEMORY_MS) throw last.error;
    try {
      return await signIn(context);
    } catch (err) {
      if (isRefusal(err)) last = { error: err, at: now(), asked: key };
      throw err;
    }
  };
}

/**
 * One run at a time, shared by every caller that asks while it goes (single flight): a sign-in, a
 * tenant state request. A caller giving up (abortable) does not end it for the others; one still
 * unsettled after `giveUpMs` is given up as hung -- its signal aborts and the next caller starts
 * another -- so a run that never settles cannot hold every later call.
 */
export class SingleFlight<T> {
  #flight: { readonly promise: Promise<T>; readonly started: number; readonly stop: AbortController } | undefined;

  constructor(
    private readonly giveUpMs: number,
    private readonly now: () => number,
  ) {}

  /** The run in flight, or a new one: `start(signal)`, `signal` aborting if it is given up. */
  join(start: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const hung = this.#flight;
    if (hung !== undefined && this.now() - hung.started >= this.giveUpMs) {
      hung.stop.abort(new Error(`given up: it did not settle within ${this.giveUpMs} ms`));
      this.#flight = undefined;
    }
    if (this.#flight === undefined) {
      const stop = new AbortController();
      const flight = {
        promise: start(stop.signal).finally(() => {
          if (this.#flight === flight) this.#flight = undefined;
        }),
        started: this.now(),
        stop,
      };
      this.#flight = flight;
    }
    return this.#flight.promise;
  }
}

/** `promise`, or the signal's reason as soon as `signal` aborts (the promise itself runs on). */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Which replies mean "refused for its credentials" -- the server did not run the call, and a new
 * ticket may get it through. Override any part in the session options (`credentialRefusal`): the
 * parts not given keep these.
 */
export interface CredentialRefusalList {
  /** HTTP statuses (REST and IIS answer 401 for a missing or expired ticket; best-practices.md renews on 403). */
  readonly httpStatuses: readonly number[];
  /**
   * SoExceptionInfo ExceptionType names (the last dot-separated segment is compared,
   * case-insensitively), as NetServer reports an invalid or expired ticket in the ExceptionInfo
   * header with Succeeded=false.
   */
  readonly exceptionTypes: readonly string[];
  /** SOAP fault codes (local part, e.g. 'FailedAuthentication' of WS-Security). */
  readonly faultCodes: readonly string[];
}

export const DEFAULT_CREDENTIAL_REFUSALS: CredentialRefusalList = {
  httpStatuses: [401, 403],
  exceptionTypes: ['SoSecurityException', 'SoCredentialsException', 'SoInvalidTicketException', 'SoTicketExpiredException', 'SecurityTokenException'],
  faultCodes: ['FailedAuthentication', 'InvalidSecurityToken'],
};

/**
 * Whether `err` is a refusal for credentials, by `list`: each part it does not give is
 * DEFAULT_CREDENTIAL_REFUSALS's (a list of HTTP statuses alone keeps the default exception types).
 */
export function isCredentialRefusal(err: unknown, list: { [K in keyof CredentialRefusalList]?: CredentialRefusalList[K] | undefined } = DEFAULT_CREDENTIAL_REFUSALS): boolean {
  const { httpStatuses = DEFAULT_CREDENTIAL_REFUSALS.httpStatuses, exceptionTypes = DEFAULT_CREDENTIAL_REFUSALS.exceptionTypes, faultCodes = DEFAULT_CREDENTIAL_REFUSALS.faultCodes } = list;
  // A 421/429/503 whose body was a SOAP Fault, or a 401/403/421/429/503 with ExceptionInfo, is an
  // HttpError with the fault or SoExceptionError as cause (transport-soap.ts).
  if (err instanceof HttpError) return httpStatuses.includes(err.status) || ((err.cause instanceof SoapFaultError || err.cause instanceof SoExceptionError) && isCredentialRefusal(err.cause, list));
  if (err instanceof SoExceptionError) {
    const type = (err.exceptionType ?? '').split('.').pop()!.toLowerCase();
    return type !== '' && exceptionTypes.some((t) => t.toLowerCase() === type);
  }
  if (err instanceof SoapFaultError) {
    const local = err.code.split(':').pop()!;
    return faultCodes.includes(local) || (err.httpStatus !== undefined && httpStatuses.includes(err.httpStatus));
  }
  return false;
}
