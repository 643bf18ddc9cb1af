// Verifying the JWT the system user exchange returns, before its ticket is used
// (validate-security-tokens.md). Only RS256 is accepted: `none`, HS256 (which an attacker could
// sign with the public key as the HMAC secret) and every other algorithm are refused before any key
// is looked at. The key is the one given in the options (public key or certificate), or the one of
// the environment's JWKS whose `kid` the header names (from /login/.well-known/openid-configuration,
// cached). Then: expiry with a small clock skew, and the ticket claim.
import { arrayBuffer, base64Bytes, importJwkPublicKey, importRsaPublicKey, type RsaJwk, type RsaKeyInput, type WebCryptoKey } from './online-keys.js';
import { OnlineError } from './errors.js';
import { requestJson } from './online-request.js';

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

/** Where verification keys come from: `key(kid)` gives the key for a header's kid (or none). */
export interface JwtKeys {
  key(kid: string | undefined): Promise<WebCryptoKey | undefined>;
}

/** Checks a JWT and returns its claims. `now` in milliseconds; `skewMs` tolerance for exp/nbf. */
export async function verifyJwt(jwt: string, keys: JwtKeys, now: number, skewMs: number): Promise<JwtClaims> {
  const parts = jwt.split('.');
  if (parts.length !== 3) throw new JwtError('the token is not a JWT (three dot-separated parts)');
  const [head, body, signature] = parts as [string, string, string];
  const header = jsonPart(head, 'header') as { alg?: unknown; kid?: unknown; typ?: unknown };
  if (header.alg !== 'RS256') throw new JwtError(`the token's algorithm ${JSON.stringify(header.alg)} is refused: only RS256 is accepted`);
  if (header.kid !== undefined && typeof header.kid !== 'string') throw new JwtError('the token header has a kid that is not a string');
  const key = await keys.key(header.kid);
  if (!key) throw new JwtError(`no trusted key matches the token's kid ${JSON.stringify(header.kid ?? null)}`);
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

function jsonPart(part: string, what: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(base64Bytes(part)));
  } catch {
    throw new JwtError(`the token ${what} is not base64url JSON`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new JwtError(`the token ${what} is not a JSON object`);
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
  let key: Promise<WebCryptoKey> | undefined;
  return { key: () => (key ??= importRsaPublicKey(input)) };
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
 */
export function jwksKeys(options: JwksOptions): JwtKeys {
  let cached: { at: number; keys: Promise<Map<string | undefined, WebCryptoKey>> } | undefined;
  const load = (): Promise<Map<string | undefined, WebCryptoKey>> => {
    const promise = fetchKeySet(options);
    cached = { at: options.now(), keys: promise };
    promise.catch(() => {
      if (cached?.keys === promise) cached = undefined; // a failed fetch is not cached
    });
    return promise;
  };
  const maxAge = options.maxAgeMs ?? 24 * 60 * 60 * 1000;
  return {
    async key(kid) {
      let keys = cached && options.now() - cached.at < maxAge ? await cached.keys : await load();
      if (!keys.has(kid) && cached && options.now() - cached.at >= 60_000) keys = await load();
      return keys.get(kid);
    },
  };
}

async function fetchKeySet(o: JwksOptions): Promise<Map<string | undefined, WebCryptoKey>> {
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
  const keys = new Map<string | undefined, WebCryptoKey>();
  const usable = (set.keys as Record<string, unknown>[]).filter(
    (k) => k && k['kty'] === 'RSA' && (k['use'] === undefined || k['use'] === 'sig') && (k['alg'] === undefined || k['alg'] === 'RS256'),
  );
  for (const k of usable) keys.set(typeof k['kid'] === 'string' ? k['kid'] : undefined, await importJwkPublicKey(k as RsaJwk));
  // A token without kid is accepted only when the set has exactly one key: no guessing among several.
  if (usable.length === 1 && !keys.has(undefined)) keys.set(undefined, [...keys.values()][0]!);
  if (usable.length > 1) keys.delete(undefined);
  return keys;
}
