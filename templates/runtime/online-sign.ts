// Signing the system user token, exactly as SuperOffice documents it (sign-system-user-token.md):
//
//   signThis = systemUserToken + "." + yyyyMMddHHmm      (UTC, leading zeros)
//   signed   = signThis + "." + base64(RSASSA-PKCS1-v1_5(SHA-256, UTF-8 bytes of signThis))
//
// Standard base64 with padding (Convert.ToBase64String), not base64url.
import { arrayBuffer, type WebCryptoKey } from './online-keys.js';
import { encodeBase64 } from './scalars.js';

/** `yyyyMMddHHmm` of `date` in UTC, with leading zeros. */
export function systemUserTimestamp(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${date.getUTCFullYear()}${two(date.getUTCMonth() + 1)}${two(date.getUTCDate())}${two(date.getUTCHours())}${two(date.getUTCMinutes())}`;
}

/** The SignedSystemToken for the exchange: token, timestamp and signature, joined by periods. */
export async function signSystemUserToken(systemUserToken: string, privateKey: WebCryptoKey, now: Date = new Date()): Promise<string> {
  const signThis = `${systemUserToken}.${systemUserTimestamp(now)}`;
  const signature = await globalThis.crypto.subtle.sign('RSASSA-PKCS1-v1_5', privateKey, arrayBuffer(new TextEncoder().encode(signThis)));
  return `${signThis}.${encodeBase64(new Uint8Array(signature))}`;
}
