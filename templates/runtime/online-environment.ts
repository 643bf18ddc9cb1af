// Where SuperOffice Online lives: the three environments by name (app-envir.md), or the URL of a
// login host (tests with the fake Online, private clouds), and one small JSON GET with its own
// time limit, used for the tenant state, the OpenID metadata and the JWKS. None of these requests
// carries a secret.
import { SoapError } from './errors.js';

/** 'sod' (development), 'stage', 'online' (production), or the http(s) URL of a login host. */
export type OnlineEnvironment = 'sod' | 'stage' | 'online' | (string & {});

const ENVIRONMENTS: Readonly<Record<string, string>> = {
  sod: 'https://sod.superoffice.com',
  stage: 'https://qaonline.superoffice.com',
  online: 'https://online.superoffice.com',
};

/** A failure of SuperOffice Online's own services (state, metadata, keys, the ticket exchange). */
export class OnlineError extends SoapError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, undefined, options);
  }
}

/** The origin of an environment: `https://sod.superoffice.com`, or the URL given (no trailing slash). */
export function environmentUrl(environment: OnlineEnvironment): string {
  const known = ENVIRONMENTS[environment];
  if (known !== undefined) return known;
  let url: URL;
  try {
    url = new URL(environment);
  } catch {
    throw new OnlineError(`environment "${environment}" is neither sod, stage, online nor an http(s) URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new OnlineError(`environment URL must be http(s), got ${url.protocol}`);
  if (url.username || url.password || url.search || url.hash) throw new OnlineError('environment URL must not carry credentials, a query or a fragment');
  return url.href.replace(/\/+$/, '');
}

/**
 * Fails now (OnlineError) when `tenant` is not a context identifier or `environment` is not one:
 * what an agent or session with tenant routing checks when it is made, before tenant.ts is loaded.
 */
export function checkTenantRouting(tenant: string, environment: OnlineEnvironment): void {
  if (!/^[A-Za-z0-9_-]+$/.test(tenant)) throw new OnlineError(`tenant "${tenant}" is not a context identifier (e.g. Cust12345)`);
  environmentUrl(environment);
}

/** Whether the environment is one of SuperOffice's own (so its hosts must be https://*.superoffice.com). */
export function isNamedEnvironment(environment: OnlineEnvironment): boolean {
  return ENVIRONMENTS[environment] !== undefined;
}

/** GET a JSON document within `timeoutMs`; redirects are not followed. */
export async function getJson(fetchImpl: typeof fetch, url: string, what: string, timeoutMs: number): Promise<unknown> {
  let response: Response;
  try {
    response = await fetchImpl(url, { method: 'GET', headers: { Accept: 'application/json' }, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const name = (err as { name?: string }).name;
    const detail = name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (err as { cause?: { code?: string } }).cause?.code ?? String(err);
    throw new OnlineError(`${what} failed (${url}): ${detail}`, { cause: err });
  }
  const text = await response.text();
  if (response.status !== 200) throw new OnlineError(`${what} failed (${url}): HTTP ${response.status}`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new OnlineError(`${what} (${url}) is not JSON`);
  }
}
