// The orchestrator of a generated agent class's calls: one time budget for the whole call
// (http.ts), the ticket inside it, the request built by its transport (SOAP envelopes,
// transport-soap.ts, or the REST Agents API's JSON, transport-rest.ts) with the operation's codec, posted with
// redirects refused and the body read under the size limit (http.ts), the reply decoded, every
// failure turned into one of the typed errors and every error cleaned of secrets (redact.ts).
// Never retries: a SOAP call may not be idempotent.
import { SoapError } from './errors.js';
import { CallBudget, checkLimitOption, postSoap } from './http.js';
import { Redactor } from './redact.js';
import type { UnknownElements } from './decode.js';
import type { AnyOperationCodec, InputOf, OperationCodec, OutputOf, ResponseHeadersOf } from './operation.js';
import type { TransportKind } from './transport.js';
import { restTransport } from './transport-rest.js';
import { soapTransport } from './transport-soap.js';

export interface AgentOptions {
  /** The installation's base URL, e.g. `https://online.superoffice.com/Cust12345`; the agent's path is appended. */
  baseUrl?: string;
  /** The full endpoint URL; wins over baseUrl. */
  endpoint?: string;
  /**
   * Without baseUrl or endpoint, send calls to the WSDL's soap:address. Off by default: a call
   * without an address fails before anything is sent, because SuperOffice's WSDLs carry a
   * placeholder address on a real SuperOffice host (`https://sod.superoffice.com/Cust12345/…`),
   * and the ticket and application token must not go to an address nobody chose.
   */
  useWsdlAddress?: boolean;
  /**
   * SuperOffice ticket, sent as the Credentials header: the ticket, or a function returning it (or
   * a promise of it), called once for each request, so an expired ticket can be renewed. Never
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
 * A ticket, or a function that returns the current one (called for each request); a function
 * may return undefined while there is none (before logging in): the call then sends no ticket.
 */
export type TicketSource = string | (() => string | undefined | Promise<string | undefined>);

export interface CallOptions {
  signal?: AbortSignal;
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

const DEFAULT_TIMEOUT_MS = 120_000;
const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

export class SoapAgent<Ops extends Record<string, AnyOperationCodec>> {
  readonly operations: Ops;
  /** Where calls go: from endpoint, baseUrl or (with useWsdlAddress) the WSDL; undefined when none was given. */
  readonly endpoint: string | undefined;
  /** The WSDL's soap:address (used only with the useWsdlAddress option). */
  readonly wsdlAddress: string | undefined;
  readonly #options: AgentOptions;
  readonly #info: ServiceInfo;
  readonly #redactor: Redactor;

  constructor(operations: Ops, info: ServiceInfo, options: AgentOptions = {}) {
    checkAgentOptions(options);
    this.operations = operations;
    this.#options = options;
    this.#info = info;
    this.wsdlAddress = info.defaultEndpoint;
    this.endpoint = endpointOf(options, info);
    this.#redactor = new Redactor([typeof options.ticket === 'string' ? options.ticket : undefined, options.applicationToken, ...(options.secrets ?? [])]);
  }

  /**
   * The ticket for one request: the fixed one, or what the ticket function returns now — inside
   * the call's time budget, so a function that never settles ends with the call's timeout or abort.
   */
  async #ticket(budget: CallBudget, call: { ticket?: string | undefined }): Promise<string | undefined> {
    const source = this.#options.ticket;
    if (typeof source !== 'function') return source;
    const ticket = await budget.wait(source());
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
   * What generated methods call: `invoke` for one of this agent's own codecs, returning what the
   * codec's `result` makes of the output. Taking the codec rather than its name, and returning its
   * result type, keeps type-checking of large generated clients cheap: a method is one plain call
   * whose types are read off the codec (no await, no destructuring per method).
   */
  protected async call<I, O, IH, OH, R>(codec: OperationCodec<I, O, IH, OH, R>, input: I, options?: CallOptions): Promise<R> {
    const { output } = await this.invoke(codec.name, input as never, options);
    return codec.result(output as O);
  }

  async #call<K extends keyof Ops & string>(
    name: K,
    input: InputOf<Ops[K]>,
    options: CallOptions,
    call: { ticket?: string | undefined },
  ): Promise<CallResult<OutputOf<Ops[K]>, ResponseHeadersOf<Ops[K]>>> {
    const codec = this.operations[name];
    if (!codec) throw new SoapError(`unknown operation`, name);
    const endpoint = this.endpoint;
    if (!endpoint) throw new SoapError(this.#noAddress(), name);
    checkLimitOption('timeoutMs', options.timeoutMs);
    // One budget from the first await on: the ticket function, the request and the body.
    const budget = new CallBudget(options.timeoutMs ?? this.#options.timeoutMs ?? DEFAULT_TIMEOUT_MS, options.signal, name);
    try {
      return await this.#send(codec, name, input, options, budget, endpoint, call);
    } finally {
      budget.end();
    }
  }

  async #send<K extends keyof Ops & string>(
    codec: Ops[K],
    name: K,
    input: InputOf<Ops[K]>,
    options: CallOptions,
    budget: CallBudget,
    endpoint: string,
    call: { ticket?: string | undefined },
  ): Promise<CallResult<OutputOf<Ops[K]>, ResponseHeadersOf<Ops[K]>>> {
    // The transport writes the request and reads the response; the agent does the HTTP.
    const transport = this.#options.transport === 'rest' ? restTransport : soapTransport;
    const address = { endpoint, service: this.#info.service, servicePath: this.#info.servicePath };
    const wire = transport.request(codec, input, address, await this.#requestHeaders(codec, options, budget, call));
    const httpHeaders: Record<string, string> = { ...this.#options.httpHeaders, ...options.httpHeaders, ...wire.headers };
    const fetchImpl = this.#options.fetch ?? globalThis.fetch;
    const limit = this.#options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    const response = await postSoap(fetchImpl, wire.url, httpHeaders, wire.body, limit, budget, name);
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
  ): Promise<Record<string, unknown>> {
    const o = this.#options;
    const declared = new Set(codec.desc.input.headers.map((h) => h.name));
    const headers: Record<string, unknown> = {};
    if (declared.has('ApplicationToken') && o.applicationToken !== undefined) headers['ApplicationToken'] = o.applicationToken;
    if (declared.has('Credentials') && o.ticket !== undefined) {
      const ticket = await this.#ticket(budget, call);
      if (ticket !== undefined) headers['Credentials'] = { Ticket: ticket };
    }
    if (declared.has('TimeZone') && o.timeZone !== undefined) headers['TimeZone'] = o.timeZone;
    return { ...headers, ...options.headers };
  }

  /** Text with the secrets removed, before anything cuts or reflows it. */
  #clean(text: string, callTicket: string | undefined): string {
    return this.#redactor.text(text, callTicket);
  }
}

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
    this.#options = options;
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
function checkAgentOptions(options: { timeoutMs?: number; maxResponseBytes?: number; transport?: TransportKind }): void {
  checkLimitOption('timeoutMs', options.timeoutMs);
  checkLimitOption('maxResponseBytes', options.maxResponseBytes);
  const transport: unknown = options.transport;
  if (transport !== undefined && transport !== 'soap' && transport !== 'rest') {
    throw new TypeError(`transport must be 'soap' or 'rest', not ${JSON.stringify(transport) ?? String(transport)}`);
  }
}
