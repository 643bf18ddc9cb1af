// Verifying the JWT the system user exchange returns, before its ticket is used
// (validate-security-tokens.md). Only RS256 is accepted: `none`, HS256 (which an attacker could
// sign with the public key as the HMAC secret) and every other algorithm are refused before any key
// is looked at. The key is the one given in the options (public key or certificate), or the one of
// the environment's JWKS that the header names by `kid` (or, without kid, by certificate thumbprint
// `x5t`/`x5t#S256`) (from /login/.well-known/openid-configuration, cached). Then: expiry with a small clock skew, and the ticket claim.
import { arrayBuffer, base64Bytes, importJwkPublicKey, rsaPublicKeyImport, type RsaJwk, type RsaKeyInput, type WebCryptoKey } from './online-keys.js';
import { HttpError, OnlineError } from './errors.js';
import { retryAfterMs } from './http.js';
import { isJsonObject, requestJson } from './online-request.js';

/** The claim that carries the ticket. */
export const TICKET_CLAIM = 'http://schemes.superoffice.net/identity/ticket';
/** The claim that carries the tenant (context identifier). */
export const CONTEXT_CLAIM = 'http://schemes.superoffice.net/identity/ctx';
/** The claim that carries the tenant database's serial number: a system user token's audience is `spn:` + it. */
export const SERIAL_CLAIM = 'http://schemes.superoffice.net/identity/serial';

/** A JWT that is not trusted. Never carries the token. */
export class JwtError extends OnlineError {}

export interface JwtClaims {
  readonly [claim: string]: unknown;
}

/**
 * How a token's header names its key: by kid, or by the thumbprint of the key's certificate (x5t,
 * SHA-1; x5t#S256, SHA-256; RFC 7515), as tokens made with .NET's X509SigningCredentials may.
 */
export interface JwtKeyId {
  readonly kid?: string | undefined;
  readonly x5t?: string | undefined;
  readonly 'x5t#S256'?: string | undefined;
}

/** Where verification keys come from: `key(id)` gives the key a header names (else a JwtError saying why none). */
export interface JwtKeys {
  key(id: JwtKeyId): Promise<WebCryptoKey>;
  /** Loads the keys, before the exchange: a failure to get them then costs no sign-in. */
  load(): Promise<unknown>;
}

/** Checks a JWT and returns its claims. `now` in milliseconds; `skewMs` tolerance for exp/nbf. */
export async function verifyJwt(jwt: string, keys: JwtKeys, now: number, skewMs: number): Promise<JwtClaims> {
  const parts = jwt.split('.');
  if (parts.length !== 3) throw new JwtError('the token is not a JWT (three dot-separated parts)');
  const [head, body, signature] = parts as [string, string, string];
  const header = jsonPart(head, 'header') as { alg?: unknown; kid?: unknown; x5t?: unknown; 'x5t#S256'?: unknown; typ?: unknown };
  if (header.alg !== 'RS256') throw new JwtError(`the token's algorithm ${JSON.stringify(header.alg)} is refused: only RS256 is accepted`);
  for (const name of ['kid', 'x5t', 'x5t#S256'] as const) {
    if (header[name] !== undefined && typeof header[name] !== 'string') throw new JwtError(`the token header has a ${name} that is not a string`);
  }
  const id = header as JwtKeyId;
  const key = await keys.key(id);
  const valid = await globalThis.crypto.subtle.verify('RSASSA-PKCS1-v1_5', key, signatureBytes(signature), arrayBuffer(new TextEncoder().encode(`${head}.${body}`)));
  if (!valid) throw new JwtError('the token signature does not verify with the trusted key');
  const claims = jsonPart(body, 'payload') as JwtClaims;
  const exp = numericDate(claims['exp']);
  if (exp === undefined) throw new JwtError('the token has no exp claim');
  if (now - skewMs >= exp * 1000) throw new JwtError(`the token expired at ${new Date(exp * 1000).toISOString()}`);
  const nbf = numericDate(claims['nbf']);
  if (nbf !== undefined && now + skewMs < nbf * 1000) throw new JwtError(`the token is not valid before ${new Date(nbf * 1000).toISOString()}`);
  return claims;
}

/** How the header named its key, for an error: its kid, else its thumbprint. */
function keyIdText(id: JwtKeyId): string {
  if (id.kid === undefined && id.x5t !== undefined) return `x5t ${JSON.stringify(id.x5t)}`;
  if (id.kid === undefined && id['x5t#S256'] !== undefined) return `x5t#S256 ${JSON.stringify(id['x5t#S256'])}`;
  return `kid ${JSON.stringify(id.kid ?? null)}`;
}

function jsonPart(part: string, what: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(base64Bytes(part)));
  } catch {
    throw new JwtError(`the token ${what} is not base64url JSON`);
  }
  if (!isJsonObject(value)) throw new JwtError(`the token ${what} is not a JSON object`);
  return value;
}

/** The signature part's bytes; bad base64 is the token's fault (JwtError), not a key's. */
function signatureBytes(part: string): ArrayBuffer {
  try {
    return arrayBuffer(base64Bytes(part));
  } catch {
    throw new JwtError('the token signature is not base64url');
  }
}

/** exp/nbf/iat: a number of seconds (SuperOffice also sends numeric strings). */
function numericDate(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

/** One key given by the user (PEM public key, certificate, RSA XML, JWK, CryptoKey): used whatever the kid. */
export function fixedJwtKey(input: RsaKeyInput): JwtKeys {
  const importKey = rsaPublicKeyImport(input); // (read now: a bad key fails here, systemUserTicket's start)
  let key: Promise<WebCryptoKey> | undefined;
  // A failed import is not kept: each sign-in tries again and its call gets its own error, as with the private key.
  const load = () =>
    (key ??= importKey().catch((err: unknown) => {
      key = undefined;
      throw err;
    }));
  return { key: load, load };
}

export interface JwksOptions {
  /** Login host origin (environmentUrl()). */
  readonly origin: string;
  readonly fetch: typeof fetch;
  readonly timeoutMs: number;
  /** Time source in milliseconds. */
  readonly now: () => number;
  /** How long a fetched key set is used (default 24 hours). */
  readonly maxAgeMs?: number;
}

/**
 * The environment's keys: openid-configuration -> jwks_uri -> keys, fetched on first use and kept
 * for maxAgeMs. An unknown kid refetches once (keys rotate), at most once a minute, so a token with
 * a made-up kid cannot make us hammer the login host. The jwks_uri must be on the login host's own
 * origin: metadata cannot send us to fetch trusted keys elsewhere.
 * A failed fetch is answered again for 30 s without asking -- no longer than the Retry-After it carried
 * (a 503's, a 429's), so that a retry that waited for it asks again. The set held is kept, used on while a
 * refresh fails; a token whose key only the new set has fails with the fetch's error, and so does
 * load() -- the sign-in, before its exchange -- until a fetch, tried again every 30 s (or after
 * that Retry-After), succeeds: a token signed by that key could not be verified.
 */
export function jwksKeys(options: JwksOptions): JwtKeys {
  const maxAge = options.maxAgeMs ?? 24 * 60 * 60 * 1000;
  let held: { at: number; keys: KeySet } | undefined;
  /** `missed`: the fetch was for a key the held set does not have; answered again until `until` (failureMemoryMs). */
  let failed: { until: number; error: unknown; missed: boolean } | undefined;
  const fetchSet = async (missed: boolean): Promise<KeySet> => {
    // The one error object, as a remembered refusal is: each call rejects with its own copy (call.ts ownError).
    if (failed && options.now() < failed.until) throw failed.error;
    try {
      held = { at: options.now(), keys: await fetchKeySet(options) };
    } catch (error) {
      const at = options.now();
      failed = { until: at + failureMemoryMs(error, at), error, missed };
      throw error;
    }
    failed = undefined;
    return held.keys;
  };
  const current = async (): Promise<KeySet> => {
    if (held && options.now() - held.at < maxAge) return held.keys;
    return fetchSet(false).catch((err: unknown) => {
      if (!held) throw err;
      return held.keys;
    });
  };
  return {
    async load() {
      if (failed?.missed) await fetchSet(true);
      await current();
    },
    async key(id) {
      let keys = await current();
      // (A kid the set has but this client could not import is no rotation: no refetch.)
      if (!keyOf(keys, id) && !(id.kid !== undefined && keys.unreadable.has(id.kid)) && options.now() - held!.at >= 60_000) keys = await fetchSet(true);
      const key = keyOf(keys, id);
      const unreadable = id.kid === undefined ? undefined : keys.unreadable.get(id.kid);
      if (!key && unreadable !== undefined) throw new JwtError(`the JWKS's key of the token's ${keyIdText(id)} could not be imported: ${unreadable} (${keys.url})`);
      if (!key) throw new JwtError(`no trusted key matches the token's ${keyIdText(id)} in the JWKS (${keys.url})`);
      return key;
    },
  };
}

/** 30 s: a burst of calls and their retries (maxTotalMs) cost one request; shorter than a refusal's 60 s: an outage ends by itself. */
const KEY_FAILURE_MEMORY_MS = 30_000;

/**
 * How long a failed fetch is answered again from `now`: KEY_FAILURE_MEMORY_MS, or the Retry-After the failure carried
 * when that is shorter (on the HttpError that is its OnlineError's cause: online-request.ts). The retry policy waits for
 * that Retry-After (retry.ts): the failure remembered longer, the retry got it again without asking.
 */
function failureMemoryMs(error: unknown, now: number): number {
  const said = error instanceof OnlineError ? error.cause : undefined;
  const after = said instanceof HttpError ? retryAfterMs(said.retryAfter, now) : undefined;
  return after === undefined ? KEY_FAILURE_MEMORY_MS : Math.min(after, KEY_FAILURE_MEMORY_MS);
}

/** A JWKS's usable keys, by how a token's header can name them. */
interface KeySet {
  readonly byKid: ReadonlyMap<string, WebCryptoKey>;
  /** By `x5t:` or `x5t#S256:` and the thumbprint the JWK gives. */
  readonly byThumbprint: ReadonlyMap<string, WebCryptoKey>;
  /** The set's one key, when it has exactly one: a header naming none gets it. */
  readonly only: WebCryptoKey | undefined;
  /** The kids of the keys this client could not import, with why: a token naming one is told so. */
  readonly unreadable: ReadonlyMap<string, string>;
  readonly url: string;
}

/**
 * The key a header names: by kid when it has one (never by anything else then); without kid, by
 * x5t or x5t#S256, matched against the JWKs' own x5t / x5t#S256; else the set's only key, when it
 * has one key -- no guessing among several. A thumbprint the set's keys give too decides as a kid
 * does: one that matches none names a key the set does not hold yet (after a rotation: the caller
 * fetches the set again), not the set's only key.
 */
function keyOf(keys: KeySet, id: JwtKeyId): WebCryptoKey | undefined {
  if (id.kid !== undefined) return keys.byKid.get(id.kid);
  let named = false;
  for (const kind of ['x5t', 'x5t#S256'] as const) {
    const key = id[kind] === undefined ? undefined : keys.byThumbprint.get(`${kind}:${id[kind]}`);
    if (key !== undefined) return key;
    named ||= id[kind] !== undefined && [...keys.byThumbprint.keys()].some((k) => k.startsWith(`${kind}:`));
  }
  return named ? undefined : keys.only;
}

async function fetchKeySet(o: JwksOptions): Promise<KeySet> {
  const metadataUrl = `${o.origin}/login/.well-known/openid-configuration`;
  const metadata = (await requestJson(o.fetch, metadataUrl, 'the OpenID metadata', o.timeoutMs)) as { jwks_uri?: unknown };
  if (typeof metadata.jwks_uri !== 'string') throw new JwtError(`the OpenID metadata (${metadataUrl}) has no jwks_uri`);
  let jwksUrl: URL;
  try {
    jwksUrl = new URL(metadata.jwks_uri);
  } catch {
    throw new JwtError(`the OpenID metadata's jwks_uri is not a URL`);
  }
  if (jwksUrl.origin !== new URL(o.origin).origin) throw new JwtError(`the OpenID metadata's jwks_uri (${jwksUrl.origin}) is not on the login host ${o.origin}`);
  const set = (await requestJson(o.fetch, jwksUrl.href, 'the JWKS', o.timeoutMs)) as { keys?: unknown };
  if (!Array.isArray(set.keys)) throw new JwtError(`the JWKS (${jwksUrl.href}) has no keys`);
  const byKid = new Map<string, WebCryptoKey>();
  const byThumbprint = new Map<string, WebCryptoKey>();
  const usable = (set.keys as Record<string, unknown>[]).filter(
    (k) => k && k['kty'] === 'RSA' && (k['use'] === undefined || k['use'] === 'sig') && (k['alg'] === undefined || k['alg'] === 'RS256'),
  );
  const unreadable = new Map<string, string>();
  let only: WebCryptoKey | undefined;
  for (const k of usable) {
    // A key this client cannot read is skipped: it must not fail the tokens the others sign.
    const key = await importJwkPublicKey(k as RsaJwk).catch((err: unknown) => {
      if (typeof k['kid'] === 'string') unreadable.set(k['kid'], err instanceof Error ? err.message : String(err));
      return undefined;
    });
    if (!key) continue;
    if (typeof k['kid'] === 'string') byKid.set(k['kid'], key);
    for (const name of ['x5t', 'x5t#S256']) if (typeof k[name] === 'string') byThumbprint.set(`${name}:${k[name] as string}`, key);
    only = key;
  }
  return { byKid, byThumbprint, only: usable.length === 1 ? only : undefined, unreadable, url: jwksUrl.href };
}
