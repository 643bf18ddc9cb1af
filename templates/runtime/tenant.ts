// Tenant routing (check-status.md, status-page.md): a tenant's Endpoint moves between hosts
// (sod2 -> sod3) routinely, so with `tenant` and no `baseUrl` the session asks
// `GET {environment}/api/state/{tenant}` and sends calls to Endpoint + the service path.
//
//   - the answer is kept until its ValidUntil (at least 5 s, at most 1 h), one request however many
//     calls wait for it (one unanswered after 5 minutes -- timeoutMs 0 or over 5 minutes -- is given up);
//   - IsRunning false -> TenantNotRunningError before anything is sent, carrying State and when to
//     ask again (ValidUntil); that answer is cached too, so a tenant in maintenance is not hammered;
//     a state that does not end within minutes (Deleted, Suspended, MigrationPending ...) says so
//     and is not retried -- but Unknown after a running answer is an incident, which ends;
//   - the state endpoint giving no answer (down, a timeout, an error status) after a running answer:
//     its Endpoint goes on being used, up to an hour past that answer's ValidUntil, the state asked
//     again every 30 s meanwhile (stale-if-error); an error only when no such Endpoint is known;
//   - the state request has its own timeout and is not retried here: the agent re-resolves once after
//     HTTP 421; with `retry`, a call ended by TenantNotRunningError is retried at its retryAt (within
//     maxRetryAfterMs), and one whose state request failed for an outage (5xx, 429, a connection failure, a
//     timeout: `temporary`) whatever its operation, as nothing was sent; a refused answer never (retry.ts);
//   - the answer must be about the tenant asked for, and its Endpoint an http(s) URL whose last path
//     segment is that tenant -- on https://*.superoffice.com for a named environment -- so a wrong or
//     hostile answer cannot send tickets to another host or tenant.
import { checkTenantRouting, environmentUrl, namedOrigin, type OnlineEnvironment } from './agent.js';
import { OnlineError } from './errors.js';
import { requestJson } from './online-request.js';
import { abortable, SingleFlight } from './ticket-source.js';

/**
 * The states status-page.md describes that do not end within minutes, and why: a call waiting for
 * them (a retry at ValidUntil) would get the same answer. OfflineMaintenance ("usually takes
 * minutes"), Provisioning ("ready in a short time") and any state not listed here are temporary.
 */
const LASTING_STATES: ReadonlyMap<string, string> = new Map([
  ['unknown', 'SuperOffice Online does not know it (a wrong context identifier?) or has an incident'],
  ['deleted', 'it has been deleted'],
  ['deleting', 'it is being deleted'],
  ['deletefailed', 'its deletion failed and will be done again'],
  ['provisioningfailed', 'its provisioning failed'],
  ['suspended', 'it is in termination until its subscription is reactivated'],
  ['migrationpending', 'its migration to Online is not complete, often for days or weeks'],
]);

/**
 * The tenant is not running (maintenance, suspended, deleted ...). Its message says nothing of what was sent, which only
 * a call knows: the call it ends adds that, once (call.ts withSentNote) -- nothing, or after an earlier attempt went
 * out (a 421), that the server did not run the call.
 */
export class TenantNotRunningError extends OnlineError {
  /** The tenant (context identifier). */
  readonly tenant: string;
  /** The State of the answer: 'OfflineMaintenance', 'Suspended', 'Provisioning' ... */
  readonly state: string;
  /** When to ask again (the answer's ValidUntil). */
  readonly retryAt: Date;
  /**
   * Whether the state usually ends within minutes (OfflineMaintenance, Provisioning, a state this
   * client does not know): only then does the retry policy wait for retryAt. False for Deleted,
   * Deleting, DeleteFailed, ProvisioningFailed, Suspended, MigrationPending and Unknown (but true
   * for Unknown after a running answer: `seenRunning`).
   */
  declare readonly temporary: boolean;
  /**
   * `seenRunning`: the tenant was running in an earlier answer. Unknown is then an incident, which
   * ends (status-page.md: "If the customer was previously in another state, we probably have an
   * incident"), not a context identifier Online does not know.
   */
  constructor(tenant: string, state: string, retryAt: Date, seenRunning = false) {
    const incident = seenRunning && state.toLowerCase() === 'unknown';
    const lasting = incident ? undefined : LASTING_STATES.get(state.toLowerCase());
    super(
      lasting === undefined
        ? `tenant ${tenant} is not running (State ${state}${incident ? ' after running: probably an incident' : ''}); ask again after ${retryAt.toISOString()}`
        : `tenant ${tenant} is ${state}: calls cannot succeed (${lasting})`,
      { temporary: lasting === undefined },
    );
    this.tenant = tenant;
    this.state = state;
    this.retryAt = retryAt;
  }
}

/** The fields of a state answer this client reads. */
export interface TenantState {
  readonly ContextIdentifier: string;
  readonly Endpoint: string;
  readonly State: string;
  readonly IsRunning: boolean;
  readonly ValidUntil: string;
}

export interface TenantResolverOptions {
  readonly environment: OnlineEnvironment;
  readonly tenant: string;
  readonly fetch: typeof fetch;
  /** Time limit of the state request (default 10 s; 0 = none). */
  readonly timeoutMs?: number | undefined;
  readonly now?: (() => number) | undefined;
}

const MIN_CACHE_MS = 5_000;
const MAX_CACHE_MS = 60 * 60 * 1000;
/**
 * When the state endpoint gives no answer (down, a network error, a timeout, an error status), the
 * last Endpoint it gave for a running tenant is used for up to this long past that answer's
 * ValidUntil (stale-if-error): the routing service is not the tenant (best-practices.md: the
 * login-side services' "availability is independent of the tenant"), and a host that no longer
 * serves the tenant answers 421, which drops it.
 */
const STALE_IF_ERROR_MS = 60 * 60 * 1000;
/** While the last Endpoint stands in for an unanswered state request, the state is asked again after this long. */
const ASK_AGAIN_AFTER_FAILURE_MS = 30_000;
/** A state request unanswered after this long (possible with timeoutMs 0 or above it) is given up: the next caller asks again. */
const GIVE_UP_MS = 5 * 60 * 1000;

/** Resolves and caches one tenant's Endpoint. */
export class TenantResolver {
  readonly tenant: string;
  readonly #options: TenantResolverOptions;
  readonly #now: () => number;
  /**
   * The last answer, used until `until`: the Endpoint of a running tenant, which may also stand in for
   * an unanswered state request until `usableUntil`, or, for one that is not running, its error. That
   * one object is thrown to every caller until then: a call rejects with its own copy (call.ts
   * ownError), so what one caller changes in it does not reach the calls after it.
   */
  #cached: { until: number; usableUntil: number; endpoint?: string; notRunning?: TenantNotRunningError } | undefined;
  /** Whether an answer said the tenant is running: a later Unknown is then an incident (TenantNotRunningError). */
  #seenRunning = false;
  /** The state request in flight, shared by every caller waiting for it. */
  readonly #stateRequests: SingleFlight<string>;

  constructor(options: TenantResolverOptions) {
    checkTenantRouting(options.tenant, options.environment); // fails now, not at the first call
    this.tenant = options.tenant;
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#stateRequests = new SingleFlight(GIVE_UP_MS, this.#now);
  }

  /** The cached Endpoint while it is valid, else undefined (the agent's fast path: no promise). */
  cachedEndpoint(): string | undefined {
    const c = this.#cached;
    return c && c.endpoint !== undefined && this.#now() < c.until ? c.endpoint : undefined;
  }

  /**
   * The tenant's Endpoint (`https://sod3.superoffice.com/Cust12345`), from the cache or asked now.
   * `signal` ends this caller's wait only: the state request is shared by every caller waiting for
   * it, so one caller giving up does not fail the others.
   */
  endpoint(signal?: AbortSignal): Promise<string> {
    const c = this.#cached;
    if (c && this.#now() < c.until) return c.notRunning ? Promise.reject(c.notRunning) : Promise.resolve(c.endpoint!);
    // The callers waiting for one state request share what it throws, one error object, as those of one
    // sign-in do; each call rejects with its own copy of it (call.ts ownError).
    const request = this.#stateRequests.join((stop) => this.#resolve(stop));
    return signal ? abortable(request, signal) : request;
  }

  /** The host at `endpoint` refused the tenant (HTTP 421): forget it, so the next endpoint() asks again. */
  invalidate(endpoint: string): void {
    if (this.#cached?.endpoint === endpoint) this.#cached = undefined;
  }

  /** Asks the state now; `stop` aborts the request when it is given up as hung (SingleFlight). */
  async #resolve(stop: AbortSignal): Promise<string> {
    const o = this.#options;
    const origin = environmentUrl(o.environment);
    const url = `${origin}/api/state/${encodeURIComponent(this.tenant)}`;
    let answer: Record<string, unknown>;
    try {
      answer = await requestJson(o.fetch, url, `the state of tenant ${this.tenant}`, o.timeoutMs ?? 10_000, { stop });
    } catch (err) {
      return this.#lastKnownEndpoint(err);
    }
    // (An answer that is refused -- about another tenant, another host -- is no outage: it is the error.)
    const state = checkState(answer, this.tenant, o.environment, origin);
    const validUntil = Date.parse(state.ValidUntil);
    const until = Math.min(Math.max(Number.isNaN(validUntil) ? 0 : validUntil, this.#now() + MIN_CACHE_MS), this.#now() + MAX_CACHE_MS);
    if (!state.IsRunning) {
      const notRunning = new TenantNotRunningError(this.tenant, state.State, new Date(until), this.#seenRunning);
      this.#cached = { until, usableUntil: until, notRunning };
      throw notRunning;
    }
    this.#seenRunning = true;
    const endpoint = state.Endpoint.replace(/\/+$/, '');
    this.#cached = { until, usableUntil: until + STALE_IF_ERROR_MS, endpoint };
    return endpoint;
  }

  /**
   * The state request got no answer (`err`): the last running answer's Endpoint while it may stand
   * in (STALE_IF_ERROR_MS), kept for ASK_AGAIN_AFTER_FAILURE_MS so that the calls meanwhile neither
   * ask nor wait; else `err`.
   */
  #lastKnownEndpoint(err: unknown): string {
    const last = this.#cached;
    const now = this.#now();
    if (last?.endpoint === undefined || now >= last.usableUntil) throw err;
    this.#cached = { ...last, until: Math.min(now + ASK_AGAIN_AFTER_FAILURE_MS, last.usableUntil) };
    return last.endpoint;
  }
}

function checkState(value: unknown, tenant: string, environment: OnlineEnvironment, origin: string): TenantState {
  const s = value as Partial<TenantState> | null;
  const bad = (why: string) => new OnlineError(`the state answer for tenant ${tenant} is refused: ${why}`);
  if (!s || typeof s !== 'object') throw bad('not a JSON object');
  if (typeof s.ContextIdentifier !== 'string') throw bad('no ContextIdentifier');
  if (s.ContextIdentifier.toLowerCase() !== tenant.toLowerCase()) throw bad(`it is about ${JSON.stringify(s.ContextIdentifier)}`);
  if (typeof s.IsRunning !== 'boolean' || typeof s.State !== 'string') throw bad('IsRunning or State missing');
  if (!s.IsRunning) return s as TenantState;
  if (typeof s.Endpoint !== 'string') throw bad('no Endpoint');
  let url: URL;
  try {
    url = new URL(s.Endpoint);
  } catch {
    throw bad('Endpoint is not a URL');
  }
  const named = namedOrigin(environment) !== undefined;
  if (named ? url.protocol !== 'https:' || !url.hostname.endsWith('.superoffice.com') : url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw bad(`Endpoint ${url.origin} is not ${named ? 'an https://*.superoffice.com host' : 'http(s)'}`);
  }
  // A login host asked over https does not send the ticket and application token over http
  // (best-practices.md: "deny network traffic over un-secure connections"); an http one (a test's) may.
  if (url.protocol !== 'https:' && origin.startsWith('https:')) throw bad(`Endpoint ${url.origin} is not https, as the environment is`);
  // (A bare ? or # leaves search and hash empty, but the service path appended would land in them, as httpUrl says.)
  if (url.username || url.password || /[?#]/.test(url.href)) throw bad('Endpoint carries credentials, a query or a fragment');
  const last = url.pathname.replace(/\/+$/, '').split('/').pop() ?? '';
  if (last.toLowerCase() !== tenant.toLowerCase()) throw bad(`Endpoint ${url.href} is not the tenant's path`);
  return s as TenantState;
}
