// The tenant resolver of an agent routed by tenant (no baseUrl or endpoint), made without loading
// tenant.ts, which the first call that needs the tenant's address loads. A session makes one for
// all its agents (one state request, one cache); an agent without the session's makes its own when
// its first call loads call.ts. Neither agent.ts nor an agent's import loads this file.
import { checkTenantOptions, loadOnce, type AgentOptions, type TenantRouting } from './agent.js';
import type { TenantResolver, TenantResolverOptions } from './tenant.js';

/** The tenant resolver of an agent without baseUrl/endpoint: the session's, or one of its own for `tenant`. */
export function resolverOf(options: AgentOptions): TenantRouting | undefined {
  checkTenantOptions(options);
  if (options.tenantResolver) return options.tenantResolver;
  // (checkTenantOptions has refused a tenant without an environment: the second test is for the type checker.)
  if (options.tenant === undefined || options.environment === undefined) return undefined;
  return lazyTenantResolver({
    environment: options.environment,
    tenant: options.tenant,
    fetch: options.fetch ?? globalThis.fetch,
    ...(options.stateTimeoutMs === undefined ? {} : { timeoutMs: options.stateTimeoutMs }),
  });
}

/** A TenantResolver made (tenant.ts loaded) on the first call; its options were checked before. */
function lazyTenantResolver(options: TenantResolverOptions): TenantRouting {
  let loaded: TenantResolver | undefined;
  const load = loadOnce(() => import('./tenant.js').then((m) => (loaded = new m.TenantResolver(options))));
  return {
    cachedEndpoint: () => loaded?.cachedEndpoint(),
    endpoint: async (signal) => (await load()).endpoint(signal),
    invalidate: (endpoint) => loaded?.invalidate(endpoint),
  };
}
