// The orchestrator of a generated agent class's calls: one time budget for the whole call
// (http.ts), the address (fixed, or the tenant's current host: tenant.ts), the ticket inside the
// budget (ticket-source.ts), the request built by the agent's transport (SOAP envelopes,
// transport-soap.ts, or the REST Agents API's JSON, transport-rest.ts) with the operation's codec,
// posted with redirects refused and the body read under the size limit (http.ts), the reply
// decoded by the transport into the typed result or one of the typed errors, and every error
// cleaned of secrets (redact.ts).
//
// One call is a loop of attempts (#call → #attempt). An attempt is repeated only when the server
// certainly did not run it: once after HTTP 421 with the tenant re-resolved, once after a refusal
// for credentials with the ticket renewed, and — only with the `retry` option — after 429/503 or a
// refused connection, or any failure of an operation marked safe (retry.ts). Hooks (hooks.ts) see
// every attempt and every call.
//
// What only some agents use is loaded by the first call that needs it, not when the agent is
// imported: the REST transport (`transport: 'rest'`), tenant routing (`tenant` without baseUrl) and
// the retry policy (`retry`). A SOAP agent with a baseUrl never loads them (cold start: bench case
// cold-start).
import { HttpError, SoapError } from './errors.js';
import { CallBudget, checkLimitOption, postSoap } from './http.js';
import { Redactor } from './redact.js';
import type { UnknownElements } from './decode.js';
import { displayUrl, notify, requestHeadersFromHook, type CallEvent, type Hooks } from './hooks.js';
import { checkTenantRouting, type OnlineEnvironment } from './online-environment.js';
import type { RetryOptions } from './retry.js';
import type { TenantResolver, TenantResolverOptions } from './tenant.js';
import { DEFAULT_CREDENTIAL_REFUSALS, isCredentialRefusal, isTicketProvider, type CredentialRefusalList, type TicketProvider } from './ticket-source.js';
import type { AnyOperationCodec, InputOf, OperationCodec, OutputOf, ResponseHeadersOf } from './operation.js';
import { responseBodyText, type Transport, type TransportKind } from './transport.js';
import { soapTransport } from './transport-soap.js';

export interface AgentOptions {
  /** The installation's base URL, e.g. `https://online.superoffice.com/Cust12345`; the agent's path is appended. */
  baseUrl?: string;
  /** The full endpoint URL; wins over baseUrl. */
  endpoint?: string;
  /**
   * SuperOffice Online environment: 'sod', 'stage', 'online', or the http(s) URL of a login host.
   * Needed by systemUserTicket and, with `tenant` and no baseUrl/endpoint, for tenant routing.
   */
  environment?: OnlineEnvironment;
  /**
   * The tenant (context identifier, `Cust12345`). With no baseUrl or endpoint, calls go to the
   * tenant's current Endpoint from `GET {environment}/api/state/{tenant}`, cached until its
   * ValidUntil, asked again once after HTTP 421; a tenant that is not running fails the call with
   * TenantNotRunningError before anything is sent.
   */
  tenant?: string;
  /** Time limit of the tenant state request (default 10000 ms); it is never retried in a loop. */
  stateTimeoutMs?: number;
  /** The resolver of `tenant`, shared by the agents of a session (made by the session; rarely given by hand). */
  tenantResolver?: TenantRouting;
  /** Hooks for logging and tracing (hooks.ts): per attempt, per call, extra HTTP headers, raw XML (redacted). */
  hooks?: Hooks;
  /** Opt-in retries (retry.ts). Without it, a call is repeated only after 421 and a credential refusal, once each. */
  retry?: RetryOptions;
  /** Which replies mean "refused for its credentials" (default DEFAULT_CREDENTIAL_REFUSALS). */
  credentialRefusal?: CredentialRefusalList;
  /**
   * Without baseUrl or endpoint, send calls to the WSDL's soap:address. Off by default: a call
   * without an address fails before anything is sent, because SuperOffice's WSDLs carry a
   * placeholder address on a real SuperOffice host (`https://sod.superoffice.com/Cust12345/…`),
   * and the ticket and application token must not go to an address nobody chose.
   */
  useWsdlAddress?: boolean;
  /**
   * SuperOffice ticket, sent as the Credentials header: the ticket; a function returning it (or a
   * promise of it), called once for each request; or a TicketProvider (systemUserTicket,
   * usernamePasswordTicket, renewingTicket) that caches and renews it. When a call is refused for
   * its credentials, a function or provider is asked again and the call retried once. Never
   * appears in errors. An error thrown by the function reaches the caller unchanged.
   */
  ticket?: TicketSource;
  /** Application token (required by SuperOffice Online). Never appears in errors. */
  applicationToken?: string;
  /** Sent as the TimeZone header. */
  timeZone?: { SoTimeZoneId?: number; SoTimeZoneLocationCode?: string | null };
  /** fetch implementation; default: the global fetch. */
  fetch?: typeof fetch;
  /** Per-call timeout in milliseconds (default 120000; 0 = none). */
  timeoutMs?: number;
  /** Largest response body accepted, in bytes (default 64 MiB); larger ones are refused while streaming. */
  maxResponseBytes?: number;
  /** Extra HTTP headers on every request. */
  httpHeaders?: Record<string, string>;
  /** More values to keep out of error messages (passwords …). */
  secrets?: readonly string[];
  /**
   * Response elements the WSDL does not declare: 'ignore' (default: skipped, so a newer server
   * that adds fields does not break this client) or 'error' (a DecodeError naming the element).
   */
  unknownElements?: UnknownElements;
  /**
   * The wire format: 'soap' (default: SOAP envelopes to `{baseUrl}/Remote/Services86/{Agent}.svc`)
   * or 'rest' (SuperOffice's REST Agents API: JSON to `{baseUrl}/api/v1/Agents/{Agent}/{Method}`,
   * the ticket as `Authorization: SOTicket …`, the token as `SO-AppToken`, the time zone as
   * `SO-TimeZone`). The same methods, types and errors either way.
   */
  transport?: TransportKind;
}

/**
 * A ticket, a function that returns the current one (called for each request), or a provider that
 * caches and renews it; a function may return undefined while there is none (before logging in):
 * the call then sends no ticket.
 */
export type TicketSource = string | (() => string | undefined | Promise<string | undefined>) | TicketProvider;

/** Per-call options of every generated method: abort signal, timeout, extra SOAP and HTTP headers. */
export interface CallOptions {
  signal?: AbortSignal;
  /** This call's time limit in milliseconds, instead of the agent's timeoutMs (0 = none). */
  timeoutMs?: number;
  /** SOAP header blocks for this call, merged over those from the agent options. */
  headers?: Record<string, unknown>;
  httpHeaders?: Record<string, string>;
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

const DEFAULT_TIMEOUT_MS = 120_000;
const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

export class SoapAgent<Ops extends Record<string, AnyOperationCodec>> {
  readonly operations: Ops;
  /** Where calls go: from endpoint, baseUrl or (with useWsdlAddress) the WSDL; undefined when none was given. */
  readonly endpoint: string | undefined;
  /** The WSDL's soap:address (used only with the useWsdlAddress option). */
  readonly wsdlAddress: string | undefined;
  readonly #options: AgentOptions;
  readonly #redactor: Redactor;
  readonly #info: ServiceInfo;
  /** Where the tenant lives now, when calls are routed by tenant (no baseUrl or endpoint). */
  readonly #resolver: TenantRouting | undefined;

  constructor(operations: Ops, info: ServiceInfo, options: AgentOptions = {}) {
    checkAgentOptions(options);
    this.operations = operations;
    this.#options = options;
    this.#info = info;
    this.wsdlAddress = info.defaultEndpoint;
    this.endpoint = endpointOf(options, info);
    this.#resolver = this.endpoint === undefined ? resolverOf(options) : undefined;
    this.#redactor = new Redactor([
      typeof options.ticket === 'string' ? options.ticket : undefined,
      options.applicationToken,
      ...passwordOf(this.endpoint),
      ...(options.secrets ?? []),
    ]);
  }

  /**
   * The ticket for one request: the fixed one, or what the ticket function returns now — inside
   * the call's time budget, so a function that never settles ends with the call's timeout or abort.
   */
  async #ticket(budget: CallBudget, call: { ticket?: string | undefined }): Promise<string | undefined> {
    const o = this.#options;
    const source = o.ticket;
    if (typeof source === 'string' || source === undefined) return source;
    const cached = isTicketProvider(source) ? source.cached?.() : undefined;
    const ticket = cached ?? (await budget.wait(
      isTicketProvider(source)
        ? source.ticket({ environment: o.environment, tenant: o.tenant, applicationToken: o.applicationToken, fetch: o.fetch ?? globalThis.fetch, signal: budget.signal })
        : source(),
    ));
    // A renewed ticket is as secret as the first one; the agent keeps the current and previous one.
    if (typeof ticket === 'string') {
      call.ticket = ticket;
      this.#redactor.noteTicket(ticket);
    }
    return ticket;
  }

  /** Calls an operation by WSDL name; returns the whole response content and its SOAP headers. */
  async invoke<K extends keyof Ops & string>(
    name: K,
    input: InputOf<Ops[K]>,
    options: CallOptions = {},
  ): Promise<CallResult<OutputOf<Ops[K]>, ResponseHeadersOf<Ops[K]>>> {
    const call: { ticket?: string | undefined } = {};
    try {
      return await this.#call(name, input, options, call);
    } catch (err) {
      throw this.#redactor.error(err, call.ticket);
    }
  }

  /**
   * What generated methods call: `invoke` of one of this agent's operations, by its WSDL name,
   * returning what the operation's codec (`result`) makes of the output. Its result type is the
   * generated method's declared return type (the generator writes both from the same schema), so a
   * method is one plain call that a consumer's tsc checks without relating codec types: no await,
   * no destructuring, no codec per method (bench case output). The name must be one of `Ops`.
   * Passing the codec itself (the earlier form) works too.
   */
  protected call<R>(operation: keyof Ops & string, input: unknown, options?: CallOptions): Promise<R>;
  protected call<R>(codec: OperationCodec<unknown, unknown, unknown, unknown, R>, input: unknown, options?: CallOptions): Promise<R>;
  protected async call(operation: string | AnyOperationCodec, input: unknown, options?: CallOptions): Promise<unknown> {
    const name = typeof operation === 'string' ? operation : operation.name;
    const { output } = await this.invoke(name as keyof Ops & string, input as never, options);
    // invoke has found the codec by this name, or thrown.
    return (typeof operation === 'string' ? this.operations[name]! : operation).result(output);
  }

  async #call<K extends keyof Ops & string>(
    name: K,
    input: InputOf<Ops[K]>,
    options: CallOptions,
    call: { ticket?: string | undefined },
  ): Promise<CallResult<OutputOf<Ops[K]>, ResponseHeadersOf<Ops[K]>>> {
    const codec = this.operations[name];
    if (!codec) throw new SoapError(`unknown operation`, name);
    if (this.endpoint === undefined && this.#resolver === undefined) throw new SoapError(this.#noAddress(), name);
    checkLimitOption('timeoutMs', options.timeoutMs);
    // One budget from the first await on, for all attempts: the tenant state, the ticket, the
    // requests, the bodies and the waits between attempts.
    const budget = new CallBudget(options.timeoutMs ?? this.#options.timeoutMs ?? DEFAULT_TIMEOUT_MS, options.signal, name);
    try {
      return await this.#attempts(codec, name, input, options, budget, call);
    } finally {
      budget.end();
    }
  }

  /**
   * The attempts of one call (see the header): each failure is either the call's error, or — when
   * the server certainly did not run it, or the operation is marked safe — a reason to try again.
   */
  async #attempts<K extends keyof Ops & string>(
    codec: Ops[K],
    name: K,
    input: InputOf<Ops[K]>,
    options: CallOptions,
    budget: CallBudget,
    call: { ticket?: string | undefined },
  ): Promise<CallResult<OutputOf<Ops[K]>, ResponseHeadersOf<Ops[K]>>> {
    const o = this.#options;
    const hooks = o.hooks;
    const started = Date.now();
    let rerouted = false;
    let renewed = false;
    for (let attempt = 1; ; attempt++) {
      const a: Attempt = { number: attempt, started: Date.now(), url: undefined, base: undefined, status: undefined, requestBytes: 0, responseBytes: 0, retryAfter: null, ticket: undefined };
      try {
        const result = await this.#send(codec, name, input, options, budget, call, a);
        if (hooks) this.#report(hooks, name, a, started, undefined, false);
        return result;
      } catch (err) {
        let delay: number | undefined;
        if (err instanceof HttpError && err.status === 421 && this.#resolver && a.base !== undefined && !rerouted) {
          // The host does not serve the tenant (it moved): ask where it is now, once.
          rerouted = true;
          this.#resolver.invalidate(a.base);
          delay = 0;
        } else if (!renewed && a.ticket !== undefined && typeof o.ticket !== 'string' && isCredentialRefusal(err, o.credentialRefusal ?? DEFAULT_CREDENTIAL_REFUSALS)) {
          // Refused for its credentials, so not run: renew the ticket and try once more.
          renewed = true;
          if (isTicketProvider(o.ticket)) o.ticket.refused(a.ticket);
          delay = 0;
        } else if (o.retry && !budget.signal.aborted) {
          const { retryDelay } = await retryPolicy();
          delay = retryDelay(o.retry, { error: err, service: this.#info.service, operation: name, attempt, retryAfter: a.retryAfter, elapsedMs: Date.now() - started, now: Date.now() });
        }
        if (hooks) this.#report(hooks, name, a, started, err, delay !== undefined);
        if (delay === undefined) throw err;
        if (delay > 0) {
          // Only the retry policy waits (421 and a renewed ticket try again at once), so it is loaded.
          const { sleep } = await retryPolicy();
          try {
            await sleep(delay, budget.signal);
          } catch {
            // The call's timeout or the caller's abort, while waiting: the call ends here, and onCall says so.
            const failure = budget.failure(undefined);
            if (hooks) this.#reportCall(hooks, this.#event(name, a, failure), started);
            throw failure;
          }
        }
      }
    }
  }

  /** The hook events of an attempt (and, when it is the last one, of the call). */
  #report(hooks: Hooks, operation: string, a: Attempt, callStarted: number, err: unknown, willRetry: boolean): void {
    const event = this.#event(operation, a, err);
    notify(hooks.onAttempt, { ...event, willRetry });
    if (!willRetry) this.#reportCall(hooks, event, callStarted);
  }

  /** onCall: the last attempt's event, timed from the start of the call. */
  #reportCall(hooks: Hooks, event: CallEvent, callStarted: number): void {
    notify(hooks.onCall, { ...event, startTime: callStarted, durationMs: Date.now() - callStarted });
  }

  /** What the hooks are told of an attempt; secrets removed. */
  #event(operation: string, a: Attempt, err: unknown): CallEvent {
    const error = err === undefined ? undefined : this.#redactor.error(err, a.ticket);
    return {
      service: this.#info.service,
      operation,
      url: a.url === undefined ? undefined : this.#clean(displayUrl(a.url), a.ticket),
      attempt: a.number,
      status: a.status,
      startTime: a.started,
      durationMs: Date.now() - a.started,
      requestBytes: a.requestBytes,
      responseBytes: a.responseBytes,
      ...(error === undefined ? {} : { error }),
    };
  }

  /** Where this attempt goes: the fixed endpoint, or the tenant's current Endpoint + the service path. */
  async #address(a: Attempt, budget: CallBudget): Promise<string> {
    if (this.endpoint !== undefined) return this.endpoint;
    a.base = this.#resolver!.cachedEndpoint() ?? (await budget.wait(this.#resolver!.endpoint(budget.signal)));
    return `${a.base}/${this.#info.servicePath}`;
  }

  /** One HTTP attempt: address, ticket, request, response, decoding. */
  async #send<K extends keyof Ops & string>(
    codec: Ops[K],
    name: K,
    input: InputOf<Ops[K]>,
    options: CallOptions,
    budget: CallBudget,
    call: { ticket?: string | undefined },
    a: Attempt,
  ): Promise<CallResult<OutputOf<Ops[K]>, ResponseHeadersOf<Ops[K]>>> {
    const endpoint = await this.#address(a, budget);
    a.url = endpoint;
    // The transport writes the request and reads the response; the agent does the HTTP.
    const transport = this.#options.transport === 'rest' ? await restTransport() : soapTransport;
    const address = { endpoint, service: this.#info.service, servicePath: this.#info.servicePath };
    const wire = transport.request(codec, input, address, await this.#requestHeaders(codec, options, budget, call, a));
    a.url = wire.url; // REST: the Agents API URL, not the SOAP endpoint it is made from
    const hooks = this.#options.hooks;
    const service = this.#info.service;
    if (hooks?.onXml && wire.body !== undefined) {
      notify(hooks.onXml, { service, operation: name, attempt: a.number, direction: 'request', xml: this.#clean(wire.body, a.ticket) });
    }

    const fromHook = hooks ? await requestHeadersFromHook(hooks, { service, operation: name, url: this.#clean(displayUrl(wire.url), a.ticket), attempt: a.number }) : {};
    const httpHeaders: Record<string, string> = { ...this.#options.httpHeaders, ...options.httpHeaders, ...fromHook, ...wire.headers };
    const fetchImpl = this.#options.fetch ?? globalThis.fetch;
    const limit = this.#options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    // Only hooks report sizes: a call without hooks does not encode its body a second time to count it.
    if (hooks && wire.body !== undefined) a.requestBytes = new TextEncoder().encode(wire.body).byteLength;
    const response = await postSoap(fetchImpl, wire.url, httpHeaders, wire.body, limit, budget, name);
    a.status = response.status;
    a.responseBytes = response.bytes.byteLength;
    a.retryAfter = response.retryAfter;
    if (hooks?.onXml) {
      const text = responseBodyText(response, name);
      notify(hooks.onXml, { service, operation: name, attempt: a.number, direction: 'response', xml: this.#clean(text, a.ticket) });
    }
    const context = { operation: name, clean: (text: string) => this.#clean(text, call.ticket), unknownElements: this.#options.unknownElements };
    const decoded = transport.response(codec, response, context);
    return { output: decoded.output as OutputOf<Ops[K]>, headers: decoded.headers as ResponseHeadersOf<Ops[K]>, httpStatus: response.status };
  }

  /** Why a call cannot be made without an address, and the three ways to give one. Nothing has been sent. */
  #noAddress(): string {
    const o = this.#options;
    if (o.useWsdlAddress === true) return 'no address: the WSDL has no soap:address; pass baseUrl or endpoint in the agent options (nothing was sent)';
    const wsdl = this.wsdlAddress !== undefined ? ` (${this.wsdlAddress})` : '';
    return `no address: pass baseUrl (the installation URL) or endpoint in the agent options, or useWsdlAddress: true to call the WSDL's soap:address${wsdl} (nothing was sent)`;
  }

  async #requestHeaders(
    codec: AnyOperationCodec,
    options: CallOptions,
    budget: CallBudget,
    call: { ticket?: string | undefined },
    a: Attempt,
  ): Promise<Record<string, unknown>> {
    const o = this.#options;
    const headers: Record<string, unknown> = {};
    // The blocks the operation declares, filled from the agent's options.
    for (const { name } of codec.desc.input.headers) {
      if (name === 'ApplicationToken' && o.applicationToken !== undefined) headers[name] = o.applicationToken;
      else if (name === 'Credentials' && o.ticket !== undefined) {
        const ticket = await this.#ticket(budget, call);
        a.ticket = ticket;
        if (ticket !== undefined) headers[name] = { Ticket: ticket };
      } else if (name === 'TimeZone' && o.timeZone !== undefined) headers[name] = o.timeZone;
    }
    return { ...headers, ...options.headers };
  }

  /** Text with the secrets removed, before anything cuts or reflows it. */
  #clean(text: string, callTicket: string | undefined): string {
    return this.#redactor.text(text, callTicket);
  }
}

/**
 * The password of a `user:password@` address, as written and decoded: fetch refuses such a URL with
 * an error quoting it whole, and a custom fetch may accept it and quote it in its own errors.
 */
function passwordOf(url: string | undefined): string[] {
  let password = '';
  try {
    password = url === undefined ? '' : new URL(url).password;
    return password === '' ? [] : [password, decodeURIComponent(password)];
  } catch {
    return password === '' ? [] : [password];
  }
}

/** What the call loop and the hooks know of one attempt. */
interface Attempt {
  readonly number: number;
  readonly started: number;
  url: string | undefined;
  /** The tenant Endpoint the attempt used (tenant routing only). */
  base: string | undefined;
  status: number | undefined;
  requestBytes: number;
  responseBytes: number;
  retryAfter: string | null;
  ticket: string | undefined;
}

/** The tenant resolver of an agent without baseUrl/endpoint: the session's, or one of its own for `tenant`. */
function resolverOf(options: AgentOptions): TenantRouting | undefined {
  if (options.tenantResolver) return options.tenantResolver;
  if (options.tenant === undefined) return undefined;
  if (options.environment === undefined) throw new SoapError('tenant routing needs the environment option (sod, stage, online or a login host URL) besides tenant');
  checkTenantRouting(options.tenant, options.environment);
  return new LazyTenantResolver({
    environment: options.environment,
    tenant: options.tenant,
    fetch: options.fetch ?? globalThis.fetch,
    ...(options.stateTimeoutMs === undefined ? {} : { timeoutMs: options.stateTimeoutMs }),
  });
}

/**
 * A TenantResolver made on the first call (tenant.ts is loaded then, not when the agent is
 * imported). Its options are checked before (checkTenantRouting), so a bad tenant or environment
 * fails when the agent or session is made, as with a TenantResolver.
 */
class LazyTenantResolver implements TenantRouting {
  readonly #options: TenantResolverOptions;
  readonly #resolver = loadOnce(() => import('./tenant.js').then((m) => (this.#loaded = new m.TenantResolver(this.#options))));
  #loaded: TenantResolver | undefined;

  constructor(options: TenantResolverOptions) {
    this.#options = options;
  }

  cachedEndpoint(): string | undefined {
    return this.#loaded?.cachedEndpoint();
  }

  async endpoint(signal?: AbortSignal): Promise<string> {
    return (await this.#resolver()).endpoint(signal);
  }

  invalidate(endpoint: string): void {
    this.#loaded?.invalidate(endpoint);
  }
}

/**
 * `load()` run once, its promise shared by every caller — unless it fails: a failed load (a file
 * briefly unreadable, too many open files) is forgotten, so the next call loads again, as a plain
 * dynamic import would, instead of failing every call of the process.
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () =>
    (loading ??= load().catch((err: unknown) => {
      loading = undefined;
      throw err;
    }));
}

/** The REST transport (transport-rest.ts and the JSON codecs' error reading), loaded by the first REST call. */
const restTransport: () => Promise<Transport> = loadOnce(() => import('./transport-rest.js').then((m) => m.restTransport));

/** The retry policy (retry.ts), loaded by the first failed attempt of an agent with the `retry` option. */
const retryPolicy = loadOnce(() => import('./retry.js'));

/**
 * The address calls go to: `endpoint`, else `baseUrl` plus the service path, else — only when the
 * user opted in with useWsdlAddress — the WSDL's soap:address; otherwise undefined, and calls fail
 * before anything is sent.
 */
function endpointOf(options: AgentOptions, info: ServiceInfo): string | undefined {
  if (options.endpoint !== undefined) return options.endpoint;
  if (options.baseUrl !== undefined) return `${options.baseUrl.replace(/\/+$/, '')}/${info.servicePath}`;
  return options.useWsdlAddress === true ? info.defaultEndpoint : undefined;
}

/** Options of a session (a generated SuperOfficeClient): every agent's options, given once. */
export interface SessionOptions<Service extends string> extends Omit<AgentOptions, 'endpoint'> {
  /**
   * Full endpoint URLs of agents that are not below `baseUrl`, keyed by service name
   * (`{ EMail: 'http://127.0.0.1:8080/EMail.svc' }`); they win over baseUrl.
   */
  endpoints?: Partial<Record<Service, string>>;
}

/**
 * The base of generated session classes: holds the options, and creates each agent on first use
 * with them, then keeps it. Agents share nothing else: each call is independent.
 */
export class SoapSession<Service extends string> {
  readonly #options: SessionOptions<Service>;
  readonly #agents = new Map<Service, unknown>();

  constructor(options: SessionOptions<Service> = {}) {
    checkAgentOptions(options);
    // One tenant resolver for all agents: one state request, one cache.
    const needsResolver = options.baseUrl === undefined && options.tenant !== undefined && options.tenantResolver === undefined;
    const tenantResolver = needsResolver ? resolverOf(options) : undefined;
    this.#options = tenantResolver ? { ...options, tenantResolver } : options;
  }

  /** The agent of `service`, created with the session's options the first time it is asked for. */
  protected agent<A>(service: Service, create: new (options: AgentOptions) => A): A {
    let agent = this.#agents.get(service) as A | undefined;
    if (agent === undefined) {
      const { endpoints, ...shared } = this.#options;
      const endpoint = endpoints?.[service];
      agent = new create(endpoint !== undefined ? { ...shared, endpoint } : shared);
      this.#agents.set(service, agent);
    }
    return agent;
  }
}

/** Refuses options that would silently disable a limit (NaN, Infinity, negative): a TypeError naming the option. */
function checkAgentOptions(options: { timeoutMs?: number; maxResponseBytes?: number; stateTimeoutMs?: number; transport?: TransportKind }): void {
  checkLimitOption('timeoutMs', options.timeoutMs);
  checkLimitOption('maxResponseBytes', options.maxResponseBytes);
  checkLimitOption('stateTimeoutMs', options.stateTimeoutMs);
  const transport: unknown = options.transport;
  if (transport !== undefined && transport !== 'soap' && transport !== 'rest') {
    throw new TypeError(`transport must be 'soap' or 'rest', not ${JSON.stringify(transport) ?? String(transport)}`);
  }
}
