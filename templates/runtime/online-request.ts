// What this client asks of SuperOffice Online's own services (the environment's origin comes from
// environmentUrl in agent.ts): one small JSON request with its own time limit, a GET for the tenant
// state, the OpenID metadata and the JWKS (no secret), a POST for the REST ticket exchange.
import { OnlineError } from './errors.js';

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
