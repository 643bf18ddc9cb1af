// Fetching one document over http(s) for the generator: a timeout for the whole exchange, a size
// limit enforced while streaming, redirects followed by hand (so each hop is checked and a loop
// is named), and one clear sentence for each way it can fail. Nothing here ever reads a file.
import { GenerateError, notXmlStart } from '../errors.js';
import { redactUrl } from './documents.js';
import { decodeXmlBytes } from './text.js';

export interface FetchLimits {
  /** For each document, connection to last byte. Default 30 s. */
  readonly timeoutMs?: number;
  /** Largest accepted document. Default 64 MiB. */
  readonly maxBytes?: number;
  /** Redirects followed per document. Default 5. */
  readonly maxRedirects?: number;
}

export const DEFAULT_FETCH_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_DOCUMENT_BYTES = 64 * 1024 * 1024;
const DEFAULT_MAX_REDIRECTS = 5;
/** The longest wait a timer holds (≈ 24.8 days): a longer one would fire at once (Node sets it to 1 ms), or throw. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface Fetched {
  /** The URL the document finally came from (after redirects). */
  readonly url: string;
  readonly text: string;
}

/**
 * Fetches `url` as XML text. `checkRedirect` may refuse a redirect target (it throws an Error
 * whose message says why). Every failure is a GenerateError naming the URL (without secrets).
 */
export async function fetchXml(url: string, limits: FetchLimits = {}, checkRedirect?: (target: string) => void): Promise<Fetched> {
  const timeoutMs = limits.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_DOCUMENT_BYTES;
  const maxRedirects = limits.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  // A larger --fetch-timeout (a user's "no timeout") waits as long as a timer can.
  const signal = AbortSignal.timeout(Math.min(timeoutMs, MAX_TIMER_MS));
  const file = redactUrl(url);
  const fail = (message: string): never => {
    throw new GenerateError(message, { file });
  };
  const seen = [url];
  let current = url;
  for (;;) {
    let res: Response;
    try {
      res = await fetch(withoutCredentials(current), { redirect: 'manual', signal, headers: requestHeaders(current) });
    } catch (err) {
      return fail(describeFetchFailure(err, timeoutMs, current));
    }
    if (res.status >= 300 && res.status < 400 && res.headers.has('location')) {
      await res.body?.cancel().catch(() => undefined);
      let target: string;
      try {
        target = new URL(res.headers.get('location')!, current).href;
      } catch {
        return fail(`HTTP ${res.status} redirects to an invalid URL`);
      }
      if (!/^https?:$/.test(new URL(target).protocol)) return fail(`HTTP ${res.status} redirects to ${redactUrl(target)}: only http(s) is followed`);
      if (seen.includes(target)) return fail(`redirect loop: ${[...seen, target].map(redactUrl).join(' → ')}`);
      if (seen.length > maxRedirects) return fail(`more than ${maxRedirects} redirects: ${seen.map(redactUrl).join(' → ')} → …`);
      try {
        checkRedirect?.(target);
      } catch (err) {
        return fail(`HTTP ${res.status} redirects to ${(err as Error).message}`);
      }
      seen.push(target);
      current = target;
      continue;
    }
    if (res.status < 200 || res.status >= 300) {
      await res.body?.cancel().catch(() => undefined);
      const where = current === url ? '' : ` (from ${redactUrl(current)})`;
      return fail(`HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}${where}`);
    }
    const bytes = await readBody(res, maxBytes, timeoutMs, fail);
    const text = decodeXmlBytes(bytes, file);
    if (text.trim() === '') fail('the response is empty');
    const what = notXmlStart(text);
    if (what !== undefined) {
      const type = res.headers.get('content-type');
      fail(`the response is not XML${type ? ` (Content-Type: ${type})` : ''}; it ${what}`);
    }
    return { url: current, text };
  }
}

/** `https://user:pass@host/…` → Basic authentication (fetch refuses URLs with credentials). */
function requestHeaders(url: string): Record<string, string> {
  const headers: Record<string, string> = { accept: 'text/xml, application/xml, */*;q=0.5' };
  const u = new URL(url);
  if (u.username || u.password) {
    const user = decodeURIComponent(u.username);
    const password = decodeURIComponent(u.password);
    headers['authorization'] = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  }
  return headers;
}

function withoutCredentials(url: string): string {
  const u = new URL(url);
  u.username = '';
  u.password = '';
  return u.href;
}

async function readBody(res: Response, maxBytes: number, timeoutMs: number, fail: (m: string) => never): Promise<Uint8Array> {
  const tooLarge = () => fail(`the response is larger than the limit of ${maxBytes} bytes`);
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    tooLarge();
  }
  if (!res.body) return new Uint8Array(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        tooLarge();
      }
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof GenerateError) throw err;
    fail(describeFetchFailure(err, timeoutMs, res.url));
  }
  return Buffer.concat(chunks, total);
}

/** One sentence for a failed fetch: refused, timed out, unknown host, reset, TLS. */
function describeFetchFailure(err: unknown, timeoutMs: number, url: string): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string; name?: string } };
  if (e?.name === 'TimeoutError' || e?.cause?.name === 'TimeoutError') return `no complete answer within ${timeoutMs} ms (timeout)`;
  const code = e?.cause?.code;
  const host = (() => {
    try {
      return new URL(url).host;
    } catch {
      return url;
    }
  })();
  switch (code) {
    case 'ECONNREFUSED':
      return `cannot connect to ${host}: connection refused (ECONNREFUSED)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot connect: the host ${host} is unknown (${code})`;
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return `the connection to ${host} was closed before the answer was complete (${code})`;
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return `cannot connect to ${host}: no answer (${code})`;
    default: {
      // Library messages may quote the URL, in any of its forms (as given, normalised, without
      // credentials): every http(s) URL in them is shown redacted.
      const message = `${e?.cause?.message ?? e?.message ?? String(err)}`.replace(/https?:\/\/[^\s'"<>]+/g, (u) => redactUrl(u));
      return `cannot fetch: ${code ? `${code} ` : ''}${message}`;
    }
  }
}
