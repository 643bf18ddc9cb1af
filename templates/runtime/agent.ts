// A generated agent class's base: its options, checked when it is made (a bad limit, tenant or
// environment fails the constructor, before anything is sent), and the address calls go to.
// The calls themselves (call.ts) are loaded by the agent's first call, not when the agent is
// imported (bench case cold-start); the REST transport, tenant routing and retry policy by the
// first call that needs them.
import { OnlineError, SoapError, TransportError } from './errors.js';
import type { UnknownElements } from './decode.js';
import type { Caller } from './call.js';
import type { Hooks } from './hooks.js';
import type { RetryOptions } from './retry.js';
import type { TenantResolver } from './tenant.js';
import type { CredentialRefusalList, TicketProvider } from './ticket-source.js';
import type { AnyOperationCodec, InputOf, OperationCodec, OutputOf, ResponseHeadersOf } from './operation.js';
import type { TransportKind } from './transport.js';

export interface AgentOptions {
  /** The installation's base URL, e.g. `https://online.superoffice.com/Cust12345`; the agent's path is appended. */
  baseUrl?: string | undefined;
  /** The full endpoint URL; wins over baseUrl. Either is an http(s) URL without credentials, a query or a fragment (else a TypeError). */
  endpoint?: string | undefined;
  /** SuperOffice Online environment ('sod', 'stage', 'online' or a login host's URL): for systemUserTicket and tenant routing. */
  environment?: OnlineEnvironment | undefined;
  /**
   * The tenant (`Cust12345`). Without baseUrl or endpoint, calls go to its current Endpoint from
   * `GET {environment}/api/state/{tenant}` (cached until ValidUntil, asked again after HTTP 421);
   * a tenant that is not running fails the call with TenantNotRunningError, nothing sent.
   */
  tenant?: string | undefined;
  /** Time limit of the tenant state request (default 10000 ms); it is never retried in a loop. */
  stateTimeoutMs?: number | undefined;
  /** The resolver of `tenant`, shared by the agents of a session (made by the session; rarely given by hand). */
  tenantResolver?: TenantRouting | undefined;
  /** Hooks for logging and tracing (hooks.ts): per attempt, per call, extra HTTP headers, raw XML (redacted). */
  hooks?: Hooks | undefined;
  /** Opt-in retries (retry.ts). Without it, a call is repeated only after 421 and a credential refusal, once each. */
  retry?: RetryOptions | undefined;
  /** Which replies mean "refused for its credentials" (DEFAULT_CREDENTIAL_REFUSALS for each part not given). */
  credentialRefusal?: { [K in keyof CredentialRefusalList]?: CredentialRefusalList[K] | undefined } | undefined;
  /**
   * Without baseUrl or endpoint, send calls to the WSDL's soap:address. Off by default: the WSDLs
   * carry a placeholder on a real SuperOffice host, and the ticket must not go where nobody chose.
   */
  useWsdlAddress?: boolean | undefined;
  /**
   * SuperOffice ticket (the Credentials header): the ticket, a function returning it or its
   * promise (called per request), or a TicketProvider (systemUserTicket, usernamePasswordTicket,
   * renewingTicket). After a credential refusal a function or provider is asked again and the call
   * retried once. Never appears in errors; an error thrown by the function reaches the caller.
   */
  ticket?: TicketSource | undefined;
  /** Application token (required by SuperOffice Online). Never appears in errors. */
  applicationToken?: string | undefined;
  /** Sent as the TimeZone header. */
  timeZone?: { SoTimeZoneId?: number | undefined; SoTimeZoneLocationCode?: string | null | undefined } | undefined;
  /** fetch implementation; default: the global fetch. */
  fetch?: typeof fetch | undefined;
  /** Per-call timeout in milliseconds (default 120000; 0 = none). */
  timeoutMs?: number | undefined;
  /** Largest response body accepted, in bytes (default 64 MiB); larger ones are refused while streaming. */
  maxResponseBytes?: number | undefined;
  /** Extra HTTP headers on every request. */
  httpHeaders?: Record<string, string> | undefined;
  /** More values to keep out of error messages (passwords ...). */
  secrets?: readonly string[] | undefined;
  /** Response elements the WSDL does not declare: 'ignore' (default, for newer servers) or 'error' (a DecodeError). */
  unknownElements?: UnknownElements | undefined;
  /**
   * 'soap' (default: envelopes to `{baseUrl}/Remote/Services86/{Agent}.svc`) or 'rest' (the REST
   * Agents API: JSON to `{baseUrl}/api/v1/Agents/{Agent}/{Method}`). Same methods, types, errors.
   */
  transport?: TransportKind | undefined;
}

/** A ticket, a function returning the current one (undefined: send none), or a renewing provider. */
export type TicketSource = string | (() => string | undefined | Promise<string | undefined>) | TicketProvider;

/** Per-call options of every generated method: abort signal, timeout, extra SOAP and HTTP headers. */
export interface CallOptions {
  signal?: AbortSignal | undefined;
  /** This call's time limit in milliseconds, instead of the agent's timeoutMs (0 = none). */
  timeoutMs?: number | undefined;
  /** SOAP header blocks for this call, merged over those from the agent options. */
  headers?: Record<string, unknown> | undefined;
  httpHeaders?: Record<string, string> | undefined;
}

export interface ServiceInfo {
  readonly service: string;
  readonly defaultEndpoint: string | undefined;
  /** Path of the service below an installation's base URL (`Remote/Services86/EMail.svc`). */
  readonly servicePath: string;
}

export interface CallResult<O, H> {
  readonly output: O;
  readonly headers: H;
  readonly httpStatus: number;
}

/** What an agent asks of a tenant resolver: a TenantResolver (tenant.ts), or the session's, loaded on first use. */
export type TenantRouting = Pick<TenantResolver, 'cachedEndpoint' | 'endpoint' | 'invalidate'>;

export class SoapAgent<Ops extends Record<string, AnyOperationCodec>> {
  /** Where calls go: from endpoint, baseUrl or (with useWsdlAddress) the WSDL; undefined when none was given. */
  readonly endpoint: string | undefined;
  /** The WSDL's soap:address (used only with the useWsdlAddress option). */
  readonly wsdlAddress: string | undefined;
  readonly #options: AgentOptions;
  readonly #service: string;
  /** This agent's calls (call.ts), loaded and made by the first call; `#caller` once made. */
  readonly #loadCaller: () => Promise<Caller>;
  #caller: Caller | undefined;

  constructor(readonly operations: Ops, info: ServiceInfo, options: AgentOptions = {}) {
    checkAgentOptions(options);
    checkSafeOperations(options.retry?.safeOperations, operations, info.service, true);
    this.#options = options;
    this.wsdlAddress = info.defaultEndpoint;
    this.#service = info.service;
    const endpoint = (this.endpoint = endpointOf(options, info));
    if (endpoint === undefined) checkTenantOptions(options);
    this.#loadCaller = loadOnce(() => loadCalls().then((m) => (this.#caller = new m.Caller({ operations, info, options, endpoint }))));
  }

  /** Calls an operation by WSDL name; returns the whole response content and its SOAP headers. */
  async invoke<K extends keyof Ops & string>(
    name: K,
    input: InputOf<Ops[K]>,
    options: CallOptions = {},
  ): Promise<CallResult<OutputOf<Ops[K]>, ResponseHeadersOf<Ops[K]>>> {
    const started = performance.now();
    // What fails before anything is loaded or sent: no such operation, no address, a bad time limit.
    if (!this.operations[name]) throw new SoapError(`not an operation of ${this.#service}${wsdlNameHint(name, this.operations)}`, name);
    const o = this.#options;
    if (this.endpoint === undefined && o.tenant === undefined && o.tenantResolver === undefined) throw new SoapError(this.#noAddress(), name);
    checkLimitOption('timeoutMs', options.timeoutMs);
    try {
      const caller = this.#caller !== undefined && options.signal?.aborted !== true ? this.#caller : await this.#beforeAttempt(name, options, started);
      return (await caller.invoke(name, input, options, started)) as CallResult<OutputOf<Ops[K]>, ResponseHeadersOf<Ops[K]>>;
    } catch (err) {
      // (A ticket function's own error reaches the caller unchanged: README.)
      if (err instanceof SoapError) withCallSite(err);
      throw err;
    }
  }

  /**
   * What generated methods call: `invoke` by WSDL name, returning the codec's `result` of the
   * output, typed by the method's declared return type alone. A type argument inferred from that
   * return type checked nothing and cost a consumer's tsc in every method (bench case output).
   * `Promise<never>` fits any declared return type, and its value cannot be used without one: a
   * subclass gives the type argument, or passes the codec itself (the earlier form).
   */
  protected call(operation: keyof Ops & string, input: unknown, options?: CallOptions): Promise<never>;
  protected call<R>(operation: keyof Ops & string, input: unknown, options?: CallOptions): Promise<R>;
  protected call<R>(codec: OperationCodec<unknown, unknown, unknown, unknown, R>, input: unknown, options?: CallOptions): Promise<R>;
  protected async call(operation: string | AnyOperationCodec, input: unknown, options?: CallOptions): Promise<unknown> {
    const name = typeof operation === 'string' ? operation : operation.name;
    const { output } = await this.invoke(name as keyof Ops & string, input as never, options);
    // invoke has found the codec by this name, or thrown.
    return (typeof operation === 'string' ? this.operations[name]! : operation).result(output);
  }

  /**
   * The agent's calls (call.ts, loaded by its first call) within the call's time limit and signal.
   * A call that ends here -- an already-aborted signal (any call), the load's timeout, abort or
   * failure (the first) -- reaches onCall as any failed call, after no attempt (hooks.ts).
   */
  async #beforeAttempt(operation: string, options: CallOptions, started: number): Promise<Caller> {
    try {
      return await new Promise<Caller>((resolve, reject) => {
        const timeoutMs = options.timeoutMs ?? this.#options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
        const release = callLimit(timeoutMs, options.signal, operation, started, (err) => reject(endedWhileWaiting(err, timeoutMs, 'call.ts to load')));
        this.#loadCaller().then((c) => (release(), resolve(c)), (e: SoapError) => (release(), reject(new SoapError(e.message, operation, { cause: e.cause })))); // a failed load names the operation
      });
    } catch (error) {
      const durationMs = performance.now() - started;
      notify(this.#options.hooks?.onCall, { callId: nextCallId(), service: this.#service, operation, url: undefined, attempt: 0, status: undefined, startTime: Date.now() - durationMs, durationMs, requestBytes: 0, responseBytes: 0, error });
      throw error;
    }
  }

  /** Why a call cannot be made without an address, and the ways to give one (tenant too: an Online user who gave only environment). Nothing has been sent. */
  #noAddress(): string {
    if (this.#options.useWsdlAddress === true) return `no address: the WSDL has no soap:address; pass baseUrl or endpoint in the agent options (${NOTHING_SENT})`;
    const wsdl = this.wsdlAddress !== undefined ? ` (${this.wsdlAddress.replace(/[\t\n\r]/g, '').replace(USER_INFO, '$1').replace(/[?#][^]*$/, '')})` : ''; // (no user info: USER_INFO; no query or fragment: hooks.ts displayUrl)
    return `no address: pass baseUrl (the installation URL) or endpoint in the agent options, tenant with environment (SuperOffice Online), or useWsdlAddress: true to call the WSDL's soap:address${wsdl} (${NOTHING_SENT})`;
  }
}

/**
 * Adds the call site to a runtime error's stack, under `--- the call ---`: the async frames that awaited the call, the
 * caller's code among them, where the engine captures stacks (V8). The error's own frames end in the runtime (decode.ts's
 * alone fill Node's 10). In place: the hooks have this same object, the call's own (call.ts ownError), no other call's.
 * The frames hold no secret; the rest was redacted.
 */
function withCallSite(err: SoapError): void {
  if (typeof err.stack !== 'string') return;
  const here: { stack?: unknown } = {};
  (Error as { captureStackTrace?: (target: object, from: unknown) => void }).captureStackTrace?.(here, withCallSite); // (from its caller)
  const frames = typeof here.stack === 'string' ? /\n[^]*/.exec(here.stack)?.[0] : undefined; // (its first line is no frame)
  if (frames !== undefined) err.stack += '\n    --- the call ---' + frames;
}

/** Refuses tenant routing that cannot work (no environment, a bad tenant or environment): checked when an agent or session is made. */
export function checkTenantOptions(options: AgentOptions): void {
  if (options.tenantResolver || options.tenant === undefined) return;
  if (options.environment === undefined) throw new SoapError('tenant routing needs the environment option (sod, stage, online or a login host URL) besides tenant');
  checkTenantRouting(options.tenant, options.environment);
}

/**
 * `load()` run once, its promise shared -- unless it fails: a failed load (a file briefly
 * unreadable) is forgotten so the next call loads again, instead of failing every call of the
 * process. The failure reaches the call as a SoapError, the import's error as its cause.
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () =>
    (loading ??= load().catch((err: unknown) => {
      loading = undefined;
      if (err instanceof SoapError) throw err;
      throw new SoapError(`a runtime module could not be loaded: ${err instanceof Error ? err.message : String(err)}`, undefined, { cause: err });
    }));
}

/** The call loop (call.ts), loaded by the first call of any agent. */
const loadCalls = loadOnce(() => import('./call.js'));
/** The hooks' callId (hooks.ts) of a new call: here, as a call may end in the agent before call.ts is loaded. */
let lastCallId = 0;
export const nextCallId = (): number => ++lastCallId;
export const DEFAULT_TIMEOUT_MS = 120_000;
export const MAX_TIMER_MS: number = 2 ** 31 - 1; // the longest timer Node keeps (24.8 days): it fires a longer one after 1 ms

/**
 * A call's time limit and signal, one rule for the first call's load of call.ts and for CallBudget (http.ts): `onEnd` gets
 * the TransportError of `timeoutMs` (0 = none, from `started`) or of the abort, unless `release` (returned) came first. An aborted signal throws at once.
 * That error says only what ended: its callers word what the call was waiting for instead (endedWhileWaiting).
 */
export function callLimit(timeoutMs: number, signal: AbortSignal | undefined, operation: string, started: number, onEnd: (err: TransportError) => void): () => void {
  if (signal?.aborted) throw new TransportError('aborted', 'the call was aborted before it started', operation, signal.reason);
  const release = (): void => (clearTimeout(timer), signal?.removeEventListener('abort', onAbort));
  const onAbort = (): void => (release(), onEnd(new TransportError('aborted', 'the call was aborted', operation, signal?.reason)));
  const onTimeout = (): void => (release(), onEnd(new TransportError('timeout', `the time limit of ${timeoutMs} ms passed`, operation)));
  const timer = timeoutMs > 0 ? setTimeout(onTimeout, Math.min(Math.max(0, started + timeoutMs - performance.now()), MAX_TIMER_MS)) : undefined;
  signal?.addEventListener('abort', onAbort, { once: true });
  return release;
}

/**
 * callLimit's error `ended` as the call tells it: what it waited for, whether any attempt was `sent`, and `note`, what the server
 * did with the call (CallBudget.sentNote; '' when it may have run it): nothing sent (its first call's load, CallBudget before postRequest)
 * -- not "no complete response", which sends the reader to the server and leaves a caller unsure whether a write may have
 * run -- or that the server did not run its earlier attempts. After a request, what it waited for names where it went.
 */
export function endedWhileWaiting(ended: TransportError, timeoutMs: number, waitingFor: string, sent = false, note: string = sent ? '' : NOTHING_SENT): TransportError {
  const what = ended.reason === 'timeout' ? `no ${sent ? 'result' : 'request sent'} within ${timeoutMs} ms: the call was still waiting for` : 'the call was aborted while it waited for';
  return new TransportError(ended.reason, `${what} ${waitingFor}${note ? ` (${note})` : ''}`, ended.operation, ended.cause);
}
export const NOTHING_SENT = 'nothing was sent'; // (every error made before sending says it in these words; call.ts adds them to a TenantNotRunningError)
const USER_INFO = /^[\0- ]*((?:[a-z][a-z\d+.-]*:)?[\\/]+)?[^/?#]*@/i; // a URL's user:password@, which #noAddress leaves out of the WSDL address it names: generator/input/documents.ts USER_INFO's rule, copied as the runtime cannot import the generator (soap-address-user-info.test.ts gives both the same addresses)

/**
 * Calls a hook; a hook's own failure is dropped -- also an async hook's rejected promise (a `void`
 * hook may be an async function), which would otherwise be an unhandled rejection: Node ends the
 * process for one. Its home is here, not in hooks.ts: an agent tells onCall of a call that ended
 * while its first call loaded call.ts.
 */
export function notify<E>(hook: ((event: E) => void) | undefined, event: E): void {
  if (!hook) return;
  try {
    const result: unknown = hook(event);
    if (result !== undefined) Promise.resolve(result).catch(() => undefined);
  } catch {
    // Hooks observe, they never decide (hooks.ts).
  }
}

/** `endpoint`, else `baseUrl` + the service path, else (useWsdlAddress only) the WSDL's soap:address. */
function endpointOf(options: AgentOptions, info: ServiceInfo): string | undefined {
  if (options.endpoint !== undefined) return options.endpoint;
  if (options.baseUrl !== undefined) return `${options.baseUrl.replace(/\/+$/, '')}/${info.servicePath}`;
  return options.useWsdlAddress === true ? info.defaultEndpoint : undefined;
}

/** 'sod' (development), 'stage', 'online' (production), or the http(s) URL of a login host. */
export type OnlineEnvironment = 'sod' | 'stage' | 'online' | (string & {});

/** SuperOffice Online's three environments by name (app-envir.md), and their origins. */
const ENVIRONMENTS: Readonly<Record<string, string>> = { sod: 'https://sod.superoffice.com', stage: 'https://qaonline.superoffice.com', online: 'https://online.superoffice.com' };
/** The origin of one of SuperOffice's own environments (whose hosts must be https://*.superoffice.com); undefined for a URL. */
export const namedOrigin = (environment: string): string | undefined => (Object.prototype.hasOwnProperty.call(ENVIRONMENTS, environment) ? ENVIRONMENTS[environment] : undefined);

/** The origin of an environment: `https://sod.superoffice.com`, or the URL given (no trailing slash). */
export function environmentUrl(environment: OnlineEnvironment): string {
  const known = namedOrigin(environment);
  return known ?? httpUrl('environment', environment, OnlineError, 'neither sod, stage, online nor an http(s) URL').href.replace(/\/+$/, '');
}

/**
 * The URL option `name` gives, parsed, checked when the agent or session is made rather than at its first
 * call: http(s), without credentials (which go in the ticket or headers), a query or a fragment
 * (a baseUrl's path is appended). Else an error of `kind`, not quoting a value that may be a secret
 * (`bob:pa55@host`, without its `https://`, parses as the scheme `bob:`).
 */
export function httpUrl(name: string, value: string, kind: new (message: string) => Error, notUrl = 'not an http(s) URL'): URL {
  const refused = (): Error => new kind(`${name} ${quoted(value)} is ${notUrl}${/^[a-z][a-z\d+.-]*:\/\//i.test(value) ? '' : ' (no https:// at its start)'}`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw refused();
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw refused();
  // (A bare ? or # leaves search and hash empty, but the path appended would land in them.)
  if (url.username || url.password || /[?#]/.test(url.href)) throw new kind(`${name} URL must not carry credentials, a query or a fragment`);
  return url;
}

/**
 * A refused option value as its error quotes it: only a short word (a mistyped name) or a host
 * name. Anything else may be a ticket, token or password put in the wrong option, or a URL
 * carrying one, and is not shown.
 */
function quoted(value: string): string {
  const hostName = value.length <= 253 && /^([A-Za-z\d-]{1,63}\.)+[A-Za-z]{2,63}(:\d{1,5})?$/.test(value); // (not a JWT: dotted too)
  return /^[A-Za-z]{1,12}$/.test(value) || hostName ? `"${value}"` : '(not shown: it may hold a secret)';
}

/** Fails (OnlineError) for a bad tenant or environment: checked when an agent or session is made. */
export function checkTenantRouting(tenant: string, environment: OnlineEnvironment): void {
  if (!/^[A-Za-z0-9_-]+$/.test(tenant)) throw new OnlineError(`tenant ${quoted(tenant)} is not a context identifier (e.g. Cust12345)`);
  environmentUrl(environment);
}

/** Refuses options that would silently disable a limit or bend every call's retries (NaN, Infinity, negative, another type): a TypeError naming the option. */
export function checkAgentOptions(options: AgentOptions): void {
  for (const [name, url] of [['baseUrl', options.baseUrl], ['endpoint', options.endpoint]] as const) if (url !== undefined) httpUrl(name, url, TypeError);
  for (const name of ['timeoutMs', 'maxResponseBytes', 'stateTimeoutMs'] as const) checkLimitOption(name, options[name], name === 'maxResponseBytes');
  const retry: { readonly [K in keyof RetryOptions]?: unknown } = options.retry ?? {};
  if (typeof retry !== 'object') throw new TypeError(`retry must be an object of retry options, got ${typeof retry}`);
  for (const name of ['maxAttempts', 'baseDelayMs', 'maxDelayMs', 'maxTotalMs', 'maxRetryAfterMs'] as const) checkLimitOption(`retry.${name}`, retry[name], name === 'maxAttempts');
  const { safeOperations: safe, random } = retry;
  if (safe !== undefined && typeof safe !== 'function' && !(Array.isArray(safe) && safe.every((op) => typeof op === 'string'))) throw new TypeError('retry.safeOperations must be an array of operation names or a function');
  if (random !== undefined && typeof random !== 'function') throw new TypeError(`retry.random must be a function, got ${typeof random}`);
  for (const [name, allowed] of [['transport', ['soap', 'rest']], ['unknownElements', ['ignore', 'error']]] as const) {
    const value: unknown = options[name];
    if (value !== undefined && !(allowed as readonly unknown[]).includes(value)) throw new TypeError(`${name} must be '${allowed.join("' or '")}', not ${JSON.stringify(value) ?? String(value)}`);
  }
}

/**
 * Refuses a retry.safeOperations name that is no operation of the agent (it would never make a call safe), naming
 * the operation meant when it is one written otherwise (wsdlNameHint). With `all` false (a session's agent: the
 * names are for all its agents) only such a one: no two Services86 operations differ in case alone.
 */
export function checkSafeOperations(safe: RetryOptions['safeOperations'], operations: object, service: string, all: boolean): void {
  for (const name of typeof safe === 'object' ? safe : []) {
    if (Object.prototype.hasOwnProperty.call(operations, name)) continue;
    const hint = wsdlNameHint(name, operations);
    if (hint !== '' || all) throw new TypeError(`retry.safeOperations: '${name}' is not an operation of ${service}${hint}`);
  }
}

/** `; use its WSDL name 'GetEMailAccount'` when `name` is an operation written otherwise (`getEMailAccount`, `EMail.GetEMailAccount`), else ''. */
function wsdlNameHint(name: string, operations: object): string {
  const bare = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  const meant = Object.keys(operations).find((op) => op.toLowerCase() === bare);
  return meant === undefined ? '' : `; use its WSDL name '${meant}'`;
}

/** Checks a numeric option: finite and not negative -- a `count` (of attempts, of bytes), a whole number of at least 1 -- else a TypeError naming it. */
export function checkLimitOption(name: string, value: unknown, count = false): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !(count ? Number.isInteger(value) && value >= 1 : Number.isFinite(value) && value >= 0)) {
    throw new TypeError(`${name} must be ${count ? 'a whole number of at least 1' : 'a finite number of at least 0'}, got ${typeof value === 'number' ? String(value) : typeof value}`);
  }
}
