// What this client asks of SuperOffice Online's own services (the environment's origin comes from
// environmentUrl in agent.ts): one small JSON request with its own time limit, a GET for the tenant
// state, the OpenID metadata and the JWKS (no secret), a POST for the REST ticket exchange.
import { OnlineError } from './errors.js';
import { MAX_TIMER_MS } from './agent.js';

/**
 * The largest answer read. A state answer, the metadata, a key set or the exchange's token is a few
 * KB; a larger one is refused while it streams, as an agent's maxResponseBytes refuses a response.
 */
export const MAX_ANSWER_BYTES: number = 1024 * 1024;

/**
 * One JSON request within `timeoutMs` (0 = none, as for an agent), its body included: a GET, or a POST of `secretBody` (the
 * ticket exchange's JSON, which carries the signed token and the application token), ended early
 * by `stop` (a shared sign-in or state request given up as hung: ticket-source.ts SingleFlight). Redirects are
 * not followed. The answer must be a JSON object of at most MAX_ANSWER_BYTES, so a server answering
 * `null`, `[]` or an endless body gets a clear OnlineError, not a TypeError or a full memory.
 */
export async function requestJson(fetchImpl: typeof fetch, url: string, what: string, timeoutMs: number, secretBody?: string, stop?: AbortSignal): Promise<Record<string, unknown>> {
  const post = secretBody !== undefined;
  // The options allow any finite number >= 0 (a computed 300.00000000000006 too), as the agents' do;
  // AbortSignal.timeout takes whole ms only, and at most the longest timer Node keeps.
  const timeout = timeoutMs > 0 ? AbortSignal.timeout(Math.min(Math.ceil(timeoutMs), MAX_TIMER_MS)) : undefined;
  const signal = timeout && stop ? AbortSignal.any([timeout, stop]) : (timeout ?? stop);
  let text: string;
  try {
    const response = await fetchImpl(url, {
      method: post ? 'POST' : 'GET',
      headers: post ? { 'Content-Type': 'application/json', Accept: 'application/json' } : { Accept: 'application/json' },
      ...(post ? { body: secretBody } : {}),
      redirect: 'manual',
      ...(signal ? { signal } : {}),
    });
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => undefined);
      throw new OnlineError(`${what} failed (${url}): HTTP ${response.status}`);
    }
    text = await readAnswer(response, `${what} (${url})`);
  } catch (err) {
    if (err instanceof OnlineError) throw err;
    const name = (err as { name?: string }).name;
    const code = (err as { cause?: { code?: string } }).cause?.code;
    // The error of a fetch the user wrapped could quote a POST's body: then only its code, no cause.
    const detail = stop?.aborted ? 'given up as hung' : signal?.aborted || name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : code ?? (post ? 'network error' : String(err));
    throw new OnlineError(`${what} failed (${url}): ${detail}`, post ? undefined : { cause: err });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new OnlineError(`${what} (${url}) is not JSON`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new OnlineError(`${what} (${url}) is not a JSON object`);
  return value as Record<string, unknown>;
}

/** The body as UTF-8 text, refused (and cancelled) from its Content-Length or as soon as it passes MAX_ANSWER_BYTES. */
async function readAnswer(response: Response, what: string): Promise<string> {
  const tooLarge = () => new OnlineError(`${what} is larger than ${MAX_ANSWER_BYTES} bytes`);
  if (Number(response.headers.get('content-length')) > MAX_ANSWER_BYTES) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder('utf-8');
  let text = '';
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    received += value.byteLength;
    if (received > MAX_ANSWER_BYTES) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    text += decoder.decode(value, { stream: true });
  }
}
