// One agent's calls, loaded by its first call (agent.ts), so that importing an agent loads none of
// this: one time budget for the whole call (http.ts), the address (fixed, or the tenant's current
// host: tenant-routing.ts, tenant.ts), the ticket inside the budget (ticket-source.ts), the request built by the
// agent's transport (SOAP envelopes, transport-soap.ts, or the REST Agents API's JSON,
// transport-rest.ts) with the operation's codec, posted with redirects refused and the body read
// under the size limit (http.ts), the reply decoded by the transport into the typed result or one
// of the typed errors, and every error made the call's own object (ownError) and cleaned of secrets (redact.ts).
//
// One call is a loop of attempts (#call -> #attempts). An attempt is repeated only when the server
// certainly did not run it: once after HTTP 421 with the tenant re-resolved, once after a refusal
// for credentials with the ticket renewed, and -- only with the `retry` option -- after 429/503, a
// refused connection or a tenant not running (at its ValidUntil), a temporary failure of SuperOffice
// Online's services before the attempt's request went out (the sign-in, the keys, the tenant state:
// AttemptFailure.notSent), or any failure of an operation marked safe but a refusal (retry.ts). Hooks
// (hooks.ts) see every attempt and every call.
//
// The REST transport and the retry policy are loaded further on, by the first call that needs
// them (within its budget): a SOAP agent without `retry` never loads them. (agent.ts, which loads
// this file, is loaded before it: importing its loadOnce and types from it adds nothing.)
import { DEFAULT_TIMEOUT_MS, loadOnce, nextCallId, notify, type AgentOptions, type CallOptions, type CallResult, type ServiceInfo, type TenantRouting } from './agent.js';
import { HttpError, OnlineError, SoapError, TransportError } from './errors.js';
import { CallBudget, postRequest } from './http.js';
import { displayUrl, requestHeadersFromHook, withoutCredentials, type CallEvent, type Hooks } from './hooks.js';
import type { AnyOperationCodec } from './operation.js';
import { MAX_CAUSE_DEPTH, Redactor } from './redact.js';
import { decodeBase64 } from './scalars.js';
import { DEFAULT_CREDENTIAL_REFUSALS, isCredentialRefusal, isTicketProvider, TicketOptionError } from './ticket-source.js';
import { attemptNotRun, responseBodyText, type Transport } from './transport.js';
import { resolverOf } from './tenant-routing.js';
import { soapTransport } from './transport-soap.js';

const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** What an agent knows when its first call loads this file: all of it fixed at construction. */
export interface CallerSetup {
  readonly operations: Readonly<Record<string, AnyOperationCodec>>;
  readonly info: ServiceInfo;
  readonly options: AgentOptions;
  /** Where calls go, or undefined when they are routed by tenant (tenant-routing.ts). */
  readonly endpoint: string | undefined;
}

/** The calls of one agent. Its checks (operation, address, timeout) were made by SoapAgent.invoke. */
export class Caller {
  readonly #setup: CallerSetup;
  readonly #options: AgentOptions;
  readonly #redactor: Redactor;
  /** Where the tenant lives now, when calls are routed by tenant (no baseUrl or endpoint). */
  readonly #resolver: TenantRouting | undefined;

  constructor(setup: CallerSetup) {
    this.#setup = setup;
    const o = (this.#options = setup.options);
    // Known before any call, so that no error of any call can carry them (a renewed ticket is added per call).
    this.#redactor = new Redactor([
      typeof o.ticket === 'string' ? o.ticket : undefined,
      o.applicationToken,
      ...passwordOf(setup.endpoint),
      ...credentialsIn(o.httpHeaders),
      ...(o.secrets ?? []),
    ]);
    this.#resolver = setup.endpoint === undefined ? resolverOf(o) : undefined;
  }

  /** One call (asked of the agent at `started`, performance.now()): its result, or its error with every secret removed. */
  async invoke(name: string, input: unknown, options: CallOptions, started?: number): Promise<CallResult<unknown, unknown>> {
    const call: CallSecrets = { headers: [...credentialsIn(options.httpHeaders), ...blockSecrets(options.headers)] };
    try {
      return await this.#call(name, input, options, call, started);
    } catch (err) {
      throw this.#redactor.error(err, call.ticket, call.headers);
    }
  }

  /**
   * The ticket for one request: the fixed one, or what the ticket function returns now -- inside
   * the call's time budget, so a function that never settles ends with the call's timeout or abort.
   */
  async #ticket(budget: CallBudget, call: CallSecrets): Promise<string | undefined> {
    const o = this.#options;
    const source = o.ticket;
    if (typeof source === 'string' || source === undefined) return source;
    if (typeof source !== 'function' && !isTicketProvider(source)) throw new TicketOptionError(`the ticket option must be a string, a function or a ticket provider (renewingTicket ...), got ${source === null ? 'null' : typeof source}`);
    const cached = isTicketProvider(source) ? source.cached?.() : undefined;
    const ticket = cached ?? (await budget.wait(
      isTicketProvider(source)
        ? source.ticket({ environment: o.environment, tenant: o.tenant, applicationToken: o.applicationToken, fetch: o.fetch ?? globalThis.fetch, signal: budget.signal })
        : source(),
      'its ticket',
    ));
    // A renewed ticket is as secret as the first one; the agent keeps the current and previous one.
    if (typeof ticket === 'string') {
      call.ticket = ticket;
      this.#redactor.noteTicket(ticket);
    }
    return ticket;
  }

  async #call(name: string, input: unknown, options: CallOptions, call: CallSecrets, started?: number): Promise<CallResult<unknown, unknown>> {
    // invoke has checked that the operation exists.
    const codec = this.#setup.operations[name]!;
    // One budget from the moment the agent was asked (an agent's first call loaded this file
    // within the same limit), for all attempts: the tenant state, the ticket, the modules loaded
    // on first use, the requests, the bodies and the waits between attempts.
    // (A call whose signal was aborted before it started is the agent's, agent.ts #beforeAttempt.)
    const budget = new CallBudget(options.timeoutMs ?? this.#options.timeoutMs ?? DEFAULT_TIMEOUT_MS, options.signal, name, started);
    try {
      return await this.#attempts(codec, name, input, options, budget, call);
    } finally {
      budget.end();
    }
  }

  /**
   * The attempts of one call (see the header): each failure is either the call's error, or -- when
   * the server certainly did not run it, or the operation is marked safe -- a reason to try again.
   */
  async #attempts(
    codec: AnyOperationCodec,
    name: string,
    input: unknown,
    options: CallOptions,
    budget: CallBudget,
    call: CallSecrets,
  ): Promise<CallResult<unknown, unknown>> {
    const o = this.#options;
    const resolver = this.#resolver;
    const hooks = o.hooks;
    // The hooks' onCall startTime (epoch ms): when the agent was asked, as the budget counts (an
    // agent's first call loaded this file since); the retry policy's times come from the budget too.
    const started = Date.now() - budget.times().elapsedMs;
    const callId = nextCallId();
    let rerouted = false;
    let renewed = false;
    for (let attempt = 1; ; attempt++) {
      const a: Attempt = { callId, callStarted: started, number: attempt, started: Date.now(), url: undefined, base: undefined, status: undefined, requestBytes: 0, responseBytes: 0, ticket: undefined, headers: call.headers };
      try {
        const result = await this.#send(codec, name, input, options, budget, call, a);
        if (hooks) this.#report(hooks, name, a, undefined, false);
        return result;
      } catch (caught) {
        const err = ownError(caught);
        let delay: number | undefined;
        // Whether the server certainly did not run this attempt, when it is retried: what the call's error says then
        // (transport.ts attemptNotRun; and a refusal for credentials, below).
        let notRun = attemptNotRun(err);
        let policy: RetryPolicy | undefined;
        // The retry policy could not be loaded, or the caller's code it runs (safeOperations, a
        // provider's refused) threw: no retry, and the hooks are told why.
        let retryError: unknown;
        if (err instanceof HttpError && err.status === 421 && resolver && a.base !== undefined && !rerouted) {
          // The host does not serve the tenant (it moved): ask where it is now, once.
          rerouted = true;
          resolver.invalidate(a.base);
          delay = 0;
        } else if (isCredentialRefusal(err, o.credentialRefusal ?? DEFAULT_CREDENTIAL_REFUSALS)) {
          // Refused for its credentials, so not run: renew the ticket and try once more. Not the
          // retry policy's: the same credentials -- a fixed ticket, the call's own, a renewed one
          // refused again -- would be refused again.
          notRun = true;
          if (!renewed && a.ticket !== undefined && typeof o.ticket !== 'string') {
            renewed = true;
            try {
              if (isTicketProvider(o.ticket)) o.ticket.refused(a.ticket);
              delay = 0;
            } catch (refusedErr) {
              retryError = refusedErr;
            }
          }
        } else if (o.retry && !budget.signal.aborted) {
          // Loaded by the first failure that may be retried. When it cannot be loaded (or the
          // budget runs out meanwhile) or its decision throws, the call ends with this attempt's
          // error -- what the server said, which is what the caller handles -- and not the
          // loader's or the caller's predicate's: the hooks are told why there was no retry
          // (retryError), and the next call loads it again (loadOnce).
          try {
            policy = await loadWithin(retryPolicy, budget, name);
            // elapsedMs and remainingMs: one reading of the budget's clock, from when the agent was
            // asked (as timeoutMs counts); a 429/503's Retry-After is on its HttpError (err, or an OnlineError's cause).
            // notSent: this attempt failed before its request went out (postRequest), so it cannot have run.
            const failure = { error: err, service: this.#setup.info.service, operation: name, attempt, notSent: !budget.attemptSent };
            delay = policy.retryDelay(o.retry, { ...failure, ...budget.times(), now: Date.now() });
          } catch (policyErr) {
            retryError = policyErr;
          }
        }
        if (hooks) this.#report(hooks, name, a, err, delay !== undefined, retryError);
        if (delay === undefined) throw err;
        budget.nextAttempt(notRun);
        if (delay > 0) {
          try {
            // Only the retry policy waits (421 and a renewed ticket try again at once), so it is loaded.
            await budget.wait(policy!.sleep(delay, budget.signal), 'its next attempt');
          } catch {
            // The call's timeout or the caller's abort, while waiting: the call ends here, and onCall says so.
            const failure = budget.failure(undefined);
            if (hooks) this.#reportCall(hooks, a, this.#event(name, a, failure));
            throw failure;
          }
        }
      }
    }
  }

  /** The hook events of an attempt (and, when it is the last one, of the call). */
  #report(hooks: Hooks, operation: string, a: Attempt, err: unknown, willRetry: boolean, retryError?: unknown): void {
    const event = this.#event(operation, a, err, retryError);
    notify(hooks.onAttempt, { ...event, willRetry });
    if (!willRetry) this.#reportCall(hooks, a, event);
  }

  /** onCall: the last attempt `a`'s event, timed from the start of the call. */
  #reportCall(hooks: Hooks, a: Attempt, event: CallEvent): void {
    notify(hooks.onCall, { ...event, startTime: a.callStarted, durationMs: Date.now() - a.callStarted });
  }

  /** What the hooks are told of an attempt; secrets removed. */
  #event(operation: string, a: Attempt, err: unknown, retryError?: unknown): CallEvent {
    const error = err === undefined ? undefined : this.#redactor.error(err, a.ticket, a.headers);
    return {
      callId: a.callId,
      service: this.#setup.info.service,
      operation,
      url: a.url === undefined ? undefined : this.#clean(displayUrl(a.url), a.ticket, a.headers),
      attempt: a.number,
      status: a.status,
      startTime: a.started,
      durationMs: Date.now() - a.started,
      requestBytes: a.requestBytes,
      responseBytes: a.responseBytes,
      ...(error === undefined ? {} : { error }),
      ...(retryError === undefined ? {} : { retryError: this.#redactor.error(retryError, a.ticket, a.headers) }),
    };
  }

  /** Where this attempt goes: the fixed endpoint, or the tenant's current Endpoint + the service path. */
  async #address(a: Attempt, budget: CallBudget): Promise<string> {
    const { endpoint, info } = this.#setup;
    const resolver = this.#resolver;
    if (endpoint !== undefined) return endpoint;
    try {
      a.base = resolver!.cachedEndpoint() ?? (await budget.wait(resolver!.endpoint(budget.signal), "the tenant's state"));
    } catch (err) {
      throw withSentNote(err, budget.sentNote());
    }
    return `${a.base}/${info.servicePath}`;
  }

  /** One HTTP attempt: address, ticket, request, response, decoding. */
  async #send(
    codec: AnyOperationCodec,
    name: string,
    input: unknown,
    options: CallOptions,
    budget: CallBudget,
    call: CallSecrets,
    a: Attempt,
  ): Promise<CallResult<unknown, unknown>> {
    const endpoint = await this.#address(a, budget);
    a.url = endpoint;
    const { service, servicePath } = this.#setup.info;
    // The transport writes the request and reads the response; this Caller does the HTTP (http.ts).
    const transport = this.#options.transport === 'rest' ? await loadWithin(restTransport, budget, name) : soapTransport;
    const address = { endpoint, service, servicePath };
    const wire = transport.request(codec, input, address, await this.#requestHeaders(codec, options, budget, call, a));
    a.url = wire.url; // REST: the Agents API URL, not the SOAP endpoint it is made from
    const hooks = this.#options.hooks;
    if (hooks?.onXml && wire.body !== undefined) {
      notify(hooks.onXml, { callId: a.callId, service, operation: name, attempt: a.number, direction: 'request', xml: withoutCredentials(this.#clean(wire.body, a.ticket, a.headers)) });
    }

    // Inside the budget: a hook that never settles ends with the call's timeout or abort.
    let fromHook: Record<string, string> = {};
    if (hooks) {
      const info = { callId: a.callId, callStartTime: a.callStarted, service, operation: name, url: this.#clean(displayUrl(wire.url), a.ticket, a.headers), attempt: a.number };
      fromHook = await budget.wait(requestHeadersFromHook(hooks, info), 'the onRequest hook');
    }
    call.headers.push(...credentialsIn(fromHook));
    const httpHeaders: Record<string, string> = { ...this.#options.httpHeaders, ...options.httpHeaders, ...fromHook, ...wire.headers };
    const fetchImpl = this.#options.fetch ?? globalThis.fetch;
    const limit = this.#options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    // Only hooks report sizes: a call without hooks does not encode its body a second time to count it.
    if (hooks && wire.body !== undefined) a.requestBytes = new TextEncoder().encode(wire.body).byteLength;
    // postRequest notes the status and the bytes read in `a` as they arrive: the hooks report them also when the body fails.
    const response = await postRequest(fetchImpl, wire.url, httpHeaders, wire.body, limit, budget, name, a);
    if (hooks?.onXml) {
      let text: string;
      try {
        text = responseBodyText(response, name);
      } catch {
        // Bytes that are not the charset they declare: the hook sees them as UTF-8 (U+FFFD where
        // they are not), and the transport throws the decoding error below, as without the hook.
        text = new TextDecoder().decode(response.bytes);
      }
      notify(hooks.onXml, { callId: a.callId, service, operation: name, attempt: a.number, direction: 'response', xml: withoutCredentials(this.#clean(text, a.ticket, a.headers)) });
    }
    const refusalStatuses = this.#options.credentialRefusal?.httpStatuses ?? DEFAULT_CREDENTIAL_REFUSALS.httpStatuses;
    const context = { operation: name, clean: (text: string) => this.#clean(text, call.ticket, call.headers), unknownElements: this.#options.unknownElements, refusalStatuses };
    const decoded = transport.response(codec, response, context);
    return { output: decoded.output, headers: decoded.headers, httpStatus: response.status };
  }

  async #requestHeaders(
    codec: AnyOperationCodec,
    options: CallOptions,
    budget: CallBudget,
    call: CallSecrets,
    a: Attempt,
  ): Promise<Record<string, unknown>> {
    const o = this.#options;
    const headers: Record<string, unknown> = {};
    const own = options.headers ?? {};
    // The blocks the operation declares, filled from the agent's options -- except those the call
    // gives itself: a call with its own Credentials sends its ticket, not the agent's, so the
    // agent's is neither fetched nor (a.ticket stays undefined) renewed when the server refuses it.
    for (const { name } of codec.desc.input.headers) {
      if (Object.prototype.hasOwnProperty.call(own, name)) continue;
      if (name === 'ApplicationToken' && o.applicationToken !== undefined) headers[name] = o.applicationToken;
      else if (name === 'Credentials' && o.ticket !== undefined) {
        const ticket = await this.#ticket(budget, call);
        a.ticket = ticket;
        if (ticket !== undefined) headers[name] = { Ticket: ticket };
      } else if (name === 'TimeZone' && o.timeZone !== undefined) headers[name] = o.timeZone;
    }
    return { ...headers, ...own };
  }

  /** Text with the secrets removed, before anything cuts or reflows it. */
  #clean(text: string, callTicket: string | undefined, callHeaders: readonly string[]): string {
    return this.#redactor.text(text, callTicket, callHeaders);
  }
}

/**
 * The password of a `user:password@` address -- or the user name of a `token@` one, which is then
 * the credential -- as written and decoded. Only the WSDL's soap:address (useWsdlAddress) can be
 * one: baseUrl, endpoint and a session's endpoints with user info are refused when made (agent.ts
 * httpUrl), a tenant's Endpoint when its state is read (tenant.ts). fetch's own refusal of such a
 * URL is told without it (http.ts postRequest); a custom fetch may accept it and quote it in its errors.
 */
function passwordOf(url: string | undefined): string[] {
  let password = '';
  try {
    const u = url === undefined ? undefined : new URL(url);
    password = u === undefined ? '' : u.password || u.username;
    return password === '' ? [] : [password, decodeURIComponent(password)];
  } catch {
    return password === '' ? [] : [password];
  }
}

/**
 * The credentials among HTTP headers given by the user -- the agent's and the call's httpHeaders,
 * the onRequest hook's: an `Authorization: Bearer …` access token (what README says to send on
 * REST instead of a ticket), `Basic` user and password, an `SO-AppToken` -- as secret as the
 * ticket: an Authorization's credentials without their scheme, a token's value, and Basic's
 * password decoded (base64 hides nothing: a server may quote what it decoded).
 */
function credentialsIn(headers: Readonly<Record<string, string>> | undefined): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(headers ?? {})) {
    const key = name.toLowerCase();
    if (key === 'so-apptoken') out.push(value);
    else if (key === 'authorization' || key === 'proxy-authorization') {
      const [, scheme, credentials] = /^\s*(\S+)\s+(\S.*?)\s*$/s.exec(value) ?? [];
      out.push(credentials ?? value);
      if (scheme?.toLowerCase() === 'basic' && credentials !== undefined) out.push(...basicPassword(credentials));
    }
  }
  return out;
}

/** The password of Basic credentials (`user:password` in base64) -- or the user name when there is none: then it is the credential. */
function basicPassword(credentials: string): string[] {
  let plain: string;
  try {
    plain = new TextDecoder().decode(decodeBase64(credentials));
  } catch {
    return []; // not base64: the value itself is redacted
  }
  const colon = plain.indexOf(':');
  const secret = colon < 0 ? plain : plain.slice(colon + 1) || plain.slice(0, colon);
  return secret === '' ? [] : [secret];
}

/**
 * The ticket and application token of a call's own header blocks (`headers: { Credentials: { Ticket } }`),
 * which the REST transport sends as HTTP headers and SOAP in the envelope.
 */
function blockSecrets(blocks: Readonly<Record<string, unknown>> | undefined): string[] {
  const ticket = (blocks?.['Credentials'] as { Ticket?: unknown } | null | undefined)?.Ticket;
  return [ticket, blocks?.['ApplicationToken']].filter((s): s is string => typeof s === 'string');
}

/** The secrets of one call besides the agent's: its ticket, and the credentials of its own headers. */
interface CallSecrets {
  ticket?: string | undefined;
  /** From the call's httpHeaders and the onRequest hook's headers (credentialsIn), and its own header blocks (blockSecrets). */
  readonly headers: string[];
}

/** What the call loop and the hooks know of one attempt. */
interface Attempt {
  /** The call's number for the hooks (CallEvent.callId), and when it started (epoch ms, onCall's startTime). */
  readonly callId: number;
  readonly callStarted: number;
  readonly number: number;
  readonly started: number;
  url: string | undefined;
  /** The tenant Endpoint the attempt used (tenant routing only). */
  base: string | undefined;
  status: number | undefined;
  requestBytes: number;
  responseBytes: number;
  ticket: string | undefined;
  /** The call's header credentials (CallSecrets.headers). */
  readonly headers: readonly string[];
}

/**
 * The error of a failed attempt as this call's own object (review r20a): a copy of a runtime error -- its class, its own
 * fields -- and of each runtime error in its cause chain (review r20r #2). The runtime hands one error object to several
 * calls: the calls awaiting one sign-in or tenant state request (ticket-source.ts SingleFlight), and the calls after a
 * refusal, a failed key fetch or a not-running answer that is remembered (ticket-source.ts rememberRefusals,
 * online-jwt.ts, tenant.ts). And a call changes the error it rejects with -- its redaction, in place, causes and all
 * (redact.ts), its call site (agent.ts withCallSite), what it says it sent (withSentNote) -- as its caller may,
 * `err.cause` too. So no call rejects with an object, or a runtime cause, that another call holds or a memory keeps: one
 * rule here, for every error, rather than a copy made by each place that shares one. It copies as deep as redaction
 * cleans in place (MAX_CAUSE_DEPTH). A cause of other code (fetch's error, the caller's abort reason -- unless that is
 * a runtime error: copied as any runtime cause) is kept as the object it is: redaction replaces such a cause with a
 * cleaned copy, never changes it. An error of the caller's own code (a ticket function's) is theirs: as it is.
 * A field's Date, array or plain object is copied too (ownValue; review r20s #2): a TenantNotRunningError's retryAt, which
 * the retry policy reads, a SoExceptionError's info, inner and parameters.
 * The copy is the error's prototype with its own string-keyed properties (review r20r #11), as redaction cleans them:
 * so a runtime error class (errors.ts, and the Online ones: TenantNotRunningError ...) holds only public own data fields
 * -- no #private field, which its methods would not find on the copy, no accessor reading state the copy does not have,
 * no symbol-keyed field.
 */
function ownError(err: unknown, depth = 0): unknown {
  if (!(err instanceof SoapError || err instanceof TicketOptionError) || depth > MAX_CAUSE_DEPTH) return err;
  // A real Error object, as structuredClone and util.types.isNativeError tell one (not Object.create): its own stack capture goes unused.
  const copy = Object.setPrototypeOf(new Error(), Object.getPrototypeOf(err) as object) as Error;
  const seen = new Map<object, unknown>();
  for (const key of Object.getOwnPropertyNames(err)) {
    if (key === 'stack') continue;
    const field = Object.getOwnPropertyDescriptor(err, key)!;
    Object.defineProperty(copy, key, 'value' in field ? { ...field, value: ownValue(field.value, seen) } : field);
  }
  // The stack as the text it is (an engine may keep it behind an accessor that reads the object's own capture).
  Object.defineProperty(copy, 'stack', { value: err.stack, writable: true, configurable: true });
  if (Object.prototype.hasOwnProperty.call(err, 'cause')) Object.defineProperty(copy, 'cause', { value: ownError(err.cause, depth + 1), writable: true, configurable: true });
  return copy;
}

/**
 * An error field's value as the copy's own: a Date, an array or a plain object (or one without a prototype: decoded
 * data) copied, its members too; an object met twice (info.InnerException is inner) copied once. Anything else as it
 * is: a primitive, or an object of a class (not data the runtime made; a runtime cause is copied by ownError).
 */
function ownValue(value: unknown, seen: Map<object, unknown>): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return seen.get(value);
  if (value instanceof Date) return new Date(value.getTime());
  const proto = Object.getPrototypeOf(value) as object | null;
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return value;
  const copy: object = Array.isArray(value) ? [] : Object.create(proto);
  seen.set(value, copy);
  // (Defined, not assigned: a member named __proto__ stays a member.)
  for (const [key, member] of Object.entries(value)) Object.defineProperty(copy, key, { value: ownValue(member, seen), enumerable: true, writable: true, configurable: true });
  return copy;
}

/**
 * The resolver's TenantNotRunningError -- one object for every call that asks until its ValidUntil -- as this call's
 * own, saying what the call sent (review r19b #7, r20r #1), which its message leaves out: `note` (CallBudget.sentNote),
 * nothing sent, or that the server did not run the call's earlier attempts (a 421 ...); when one of them may have run,
 * nothing is said (''). Added once, to the end of the message and of the stack's first line: no text is searched or
 * rewritten, so no server's words are (an HttpError's excerpt, a fault's reason). Any other error passes as it is.
 * (By name: routing loads tenant.ts only with its first state request.) The note is of the call that routed: a principal
 * agent's (onsite-ticket.ts, routed by tenant) stays in the on-site sign-in error that quotes it, whose prefix names that
 * agent -- accepted (review r20s #4). #attempts copies the returned error again (ownError): harmless.
 */
function withSentNote(err: unknown, note: string): unknown {
  if (!(err instanceof OnlineError && err.name === 'TenantNotRunningError') || note === '') return err;
  const own = ownError(err) as OnlineError;
  const head = `${own.name}: ${own.message}`;
  own.message = `${own.message}; ${note}`;
  if (typeof own.stack === 'string' && own.stack.startsWith(head)) own.stack = `${head}; ${note}${own.stack.slice(head.length)}`;
  return own;
}

/** The REST transport (transport-rest.ts and the JSON codecs' error reading), loaded by the first REST call. */
const restTransport: () => Promise<Transport> = loadOnce(() => import('./transport-rest.js').then((m) => m.restTransport));

type RetryPolicy = typeof import('./retry.js');

/** The retry policy (retry.ts), loaded by the first failed attempt of an agent with the `retry` option. */
const retryPolicy: () => Promise<RetryPolicy> = loadOnce(() => import('./retry.js'));

/**
 * A module loaded on first use (`load`, made by loadOnce), awaited within the call's budget: a
 * load slower than the call's time limit or signal ends the call as any wait does, and a failed
 * load (loadOnce's SoapError) names the call's operation, as every error of a call does.
 */
async function loadWithin<T>(load: () => Promise<T>, budget: CallBudget, operation: string): Promise<T> {
  try {
    return await budget.wait(load(), 'a runtime module to load');
  } catch (err) {
    if (err instanceof TransportError || !(err instanceof SoapError) || err.operation !== undefined) throw err;
    throw new SoapError(err.message, operation, { cause: err.cause });
  }
}
