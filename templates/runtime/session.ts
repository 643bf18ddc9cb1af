// A generated session class's base (the SuperOfficeClient of the output's index.ts): one set of
// options for every agent, each agent made on first use. Only the session file imports it, so an
// application that imports one agent does not load it.
import { checkAgentOptions, checkSafeOperations, httpUrl, type AgentOptions } from './agent.js';
import { resolverOf } from './tenant-routing.js';

/** Options of a session (a generated SuperOfficeClient): every agent's options, given once. */
export interface SessionOptions<Service extends string> extends Omit<AgentOptions, 'endpoint'> {
  /**
   * Full endpoint URLs of agents that are not below `baseUrl`, keyed by service name
   * (`{ EMail: 'http://127.0.0.1:8080/EMail.svc' }`); they win over baseUrl.
   */
  endpoints?: Partial<Record<Service, string>> | undefined;
}

/**
 * The base of generated session classes: holds the options, and creates each agent on first use
 * with them, then keeps it. Agents share what the options hold (the ticket provider, the session's one
 * tenant resolver) and nothing else: each call is independent.
 */
export class SoapSession<Service extends string> {
  readonly #options: SessionOptions<Service>;
  /** retry.safeOperations when it is a list of names. */
  readonly #safeOperations: readonly string[] | undefined;
  readonly #agents = new Map<Service, unknown>();

  constructor(options: SessionOptions<Service> = {}) {
    checkAgentOptions(options);
    checkEndpoints(options.endpoints);
    // One tenant resolver for all agents: one state request, one cache.
    const tenantResolver = options.baseUrl === undefined ? resolverOf(options) : undefined;
    const withResolver = tenantResolver ? { ...options, tenantResolver } : options;
    // retry.safeOperations names the operations of all the session's agents: each agent gets them
    // as a test, which it does not check against its own operations, and this session checks them
    // against each agent's when it makes it (agent()).
    const safe = options.retry?.safeOperations;
    this.#safeOperations = typeof safe === 'object' ? safe : undefined;
    this.#options = typeof safe === 'object' ? { ...withResolver, retry: { ...options.retry, safeOperations: (_service, operation) => safe.includes(operation) } } : withResolver;
  }

  /**
   * The agent of `service`, created with the session's options the first time it is asked for.
   * Then a retry.safeOperations name that writes one of its operations otherwise is refused.
   */
  protected agent<A extends { readonly operations: object }>(service: Service, create: new (options: AgentOptions) => A): A {
    let agent = this.#agents.get(service) as A | undefined;
    if (agent === undefined) {
      const { endpoints, ...shared } = this.#options;
      const endpoint = endpoints?.[service];
      agent = new create(endpoint !== undefined ? { ...shared, endpoint } : shared);
      checkSafeOperations(this.#safeOperations, agent.operations, service, false);
      this.#agents.set(service, agent);
    }
    return agent;
  }
}

/**
 * Each of a session's `endpoints` checked as an agent's `endpoint` is, but when the session is made
 * rather than when its agent is first used, the error naming `endpoints.<Service>`.
 */
function checkEndpoints(endpoints: Partial<Record<string, string>> | undefined): void {
  if (endpoints === undefined) return;
  if (typeof endpoints !== 'object' || endpoints === null) throw new TypeError(`endpoints must be an object of URLs keyed by service name, got ${endpoints === null ? 'null' : typeof endpoints}`);
  for (const service of Object.keys(endpoints)) {
    const url = endpoints[service];
    if (url !== undefined) httpUrl(`endpoints.${service}`, url, TypeError);
  }
}
