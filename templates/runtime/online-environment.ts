// Where SuperOffice Online lives: the three environments by name (app-envir.md), or the URL of a
// login host (tests with the fake Online, private clouds), and one small JSON request with its own
// time limit: GET for the tenant state, the OpenID metadata and the JWKS (no secret), POST for the
// REST ticket exchange.
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

/**
 * One JSON request within `timeoutMs`: a GET, or a POST of `secretBody` (the ticket exchange's JSON,
 * which carries the signed token and the application token). Redirects are not followed. The answer
 * must be a JSON object, so a server answering `null` or `[]` gets a clear error, not a TypeError.
 */
export async function requestJson(fetchImpl: typeof fetch, url: string, what: string, timeoutMs: number, secretBody?: string): Promise<Record<string, unknown>> {
  const post = secretBody !== undefined;
  let response: Response;
  try {
    response = await fetchImpl(url, {
      method: post ? 'POST' : 'GET',
      headers: post ? { 'Content-Type': 'application/json', Accept: 'application/json' } : { Accept: 'application/json' },
      ...(post ? { body: secretBody } : {}),
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const name = (err as { name?: string }).name;
    const code = (err as { cause?: { code?: string } }).cause?.code;
    // The error of a fetch the user wrapped could quote a POST's body: then only its code, no cause.
    const detail = name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : code ?? (post ? 'network error' : String(err));
    throw new OnlineError(`${what} failed (${url}): ${detail}`, post ? undefined : { cause: err });
  }
  const text = await response.text();
  if (response.status !== 200) throw new OnlineError(`${what} failed (${url}): HTTP ${response.status}`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new OnlineError(`${what} (${url}) is not JSON`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new OnlineError(`${what} (${url}) is not a JSON object`);
  return value as Record<string, unknown>;
}
