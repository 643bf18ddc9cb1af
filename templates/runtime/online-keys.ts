// RSA keys for SuperOffice Online, imported into WebCrypto (globalThis.crypto.subtle) so the
// sign-in runs wherever WebCrypto does (Node >= 20, Deno, Bun, edge runtimes) with no dependency.
//
//   private keys (to sign the system user token): PEM "PRIVATE KEY" (PKCS#8), PEM "RSA PRIVATE KEY"
//     (PKCS#1, wrapped into PKCS#8 here, since WebCrypto reads only PKCS#8), or the RSA XML
//     (<RSAKeyValue>...) that SuperOffice's developer portal hands out (read as a JWK).
//   public keys (to verify a JWT): PEM "PUBLIC KEY" (SPKI), "RSA PUBLIC KEY" (PKCS#1), "CERTIFICATE"
//     (X.509; its SubjectPublicKeyInfo is cut out), RSA XML, or a JWK.
// Every key is imported as RSASSA-PKCS1-v1_5 with SHA-256 and is not extractable: the key material
// lives in the CryptoKey only (a CryptoKey you pass is used as given). Errors never quote the key.
import { OnlineError } from './errors.js';
import { decodeBase64, encodeBase64 } from './scalars.js';

// The WebCrypto types are named through globalThis.crypto, not as the DOM's global names
// (CryptoKey, JsonWebKey ...): a project compiled with @types/node and no "DOM" lib has the
// `crypto` global but not those names.
type WebCryptoSubtle = typeof globalThis.crypto.subtle;
/** A WebCrypto key (the DOM's CryptoKey, node's webcrypto.CryptoKey). */
export type WebCryptoKey = Awaited<ReturnType<WebCryptoSubtle['importKey']>>;

/** An RSA JSON Web Key (RFC 7517/7518), as far as these keys use it. */
export interface RsaJwk {
  kty?: string;
  kid?: string;
  use?: string;
  alg?: string;
  ext?: boolean;
  n?: string;
  e?: string;
  d?: string;
  p?: string;
  q?: string;
  dp?: string;
  dq?: string;
  qi?: string;
  x5c?: string[];
}

/** RSASSA-PKCS1-v1_5 with SHA-256: the only algorithm of the system user flow (signing, and RS256). */
const RS256_IMPORT = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

/** A key given in the options: PEM text, RSA XML text, a JWK, or a CryptoKey already imported. */
export type RsaKeyInput = string | RsaJwk | WebCryptoKey;

/**
 * A key that cannot be read. The message says what kind of input was seen, never its content. An
 * OnlineError, as the other failures of the sign-in's options and answers are.
 */
export class KeyFormatError extends OnlineError {}

function subtle(): WebCryptoSubtle {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new KeyFormatError('WebCrypto (globalThis.crypto.subtle) is not available in this runtime');
  return s;
}

/** A key read as far as it can be without WebCrypto: what importKey gets, or a CryptoKey checked. */
type ReadKey = { readonly format: 'pkcs8' | 'spki'; readonly der: Uint8Array } | { readonly format: 'jwk'; readonly jwk: RsaJwk } | { readonly format: 'crypto'; readonly key: WebCryptoKey };

/**
 * Reads the private key now, without WebCrypto (a KeyFormatError: not PEM, a PEM on one line, a
 * public key, RSA XML or a JWK without the private parts ...), so that systemUserTicket refuses a
 * bad key when it is made, not at the first call; returns its import (the key that signs system
 * user tokens), for the first sign-in.
 */
export function rsaPrivateKeyImport(key: RsaKeyInput): () => Promise<WebCryptoKey> {
  const read = readPrivateKey(key);
  return () => importRead(read, 'sign');
}

function readPrivateKey(key: RsaKeyInput): ReadKey {
  if (isCryptoKey(key)) return { format: 'crypto', key: checkKey(key, 'private', 'sign') };
  if (typeof key !== 'string') return { format: 'jwk', jwk: privateJwk(key) };
  const text = key.trim();
  if (text.startsWith('<')) return { format: 'jwk', jwk: rsaXmlToJwk(text, true) };
  const { label, der } = readPem(text);
  if (label === 'PRIVATE KEY') return { format: 'pkcs8', der: checkRsaPkcs8(der) };
  if (label === 'RSA PRIVATE KEY') return { format: 'pkcs8', der: pkcs1PrivateToPkcs8(der) };
  if (label === 'ENCRYPTED PRIVATE KEY') throw new KeyFormatError('the private key is encrypted; decrypt it first (openssl pkey -in key.pem -out plain.pem)');
  throw new KeyFormatError(`expected a private key (PEM "PRIVATE KEY" or "RSA PRIVATE KEY", or <RSAKeyValue> XML), got PEM "${label}"`);
}

/** Reads an RSA public key that verifies RS256 signatures now (as rsaPrivateKeyImport); returns its import. */
export function rsaPublicKeyImport(key: RsaKeyInput): () => Promise<WebCryptoKey> {
  const read = readPublicKey(key);
  return () => importRead(read, 'verify');
}

function readPublicKey(key: RsaKeyInput): ReadKey {
  if (isCryptoKey(key)) return { format: 'crypto', key: checkKey(key, 'public', 'verify') };
  if (typeof key !== 'string') return publicJwk(key);
  const text = key.trim();
  if (text.startsWith('<')) return { format: 'jwk', jwk: rsaXmlToJwk(text, false) };
  const { label, der } = readPem(text);
  if (label === 'PUBLIC KEY') return { format: 'spki', der };
  if (label === 'RSA PUBLIC KEY') return { format: 'spki', der: pkcs1PublicToSpki(der) };
  if (label === 'CERTIFICATE') return { format: 'spki', der: certificateSpki(der) };
  throw new KeyFormatError(`expected a public key (PEM "PUBLIC KEY", "RSA PUBLIC KEY" or "CERTIFICATE", or <RSAKeyValue> XML), got PEM "${label}"`);
}

/** Imports a key read by readPrivateKey / readPublicKey, not extractable, for `usage` only. */
async function importRead(read: ReadKey, usage: 'sign' | 'verify'): Promise<WebCryptoKey> {
  if (read.format === 'crypto') return read.key;
  try {
    if (read.format === 'jwk') return await subtle().importKey('jwk', { ...read.jwk, alg: 'RS256' }, RS256_IMPORT, false, [usage]);
    return await subtle().importKey(read.format, arrayBuffer(read.der), RS256_IMPORT, false, [usage]);
  } catch (err) {
    throw new KeyFormatError(`WebCrypto could not import the ${usage === 'sign' ? 'private' : 'public'} key: ${(err as Error).message}`);
  }
}

/** A KeyFormatError when `jwk` is not an RSA key (WebCrypto's own error would not say so). */
function checkRsaJwk(jwk: RsaJwk): void {
  if (jwk.kty !== 'RSA') throw new KeyFormatError(`the key is not an RSA key (kty ${String(jwk.kty)})`);
}

/** A JWK given as the private key: refused as the RSA XML is when it is not an RSA private key. */
function privateJwk(jwk: RsaJwk): RsaJwk {
  checkRsaJwk(jwk);
  if (typeof jwk.d !== 'string') throw new KeyFormatError('JWK without "d": a public key was given where the private key is needed');
  return jwk;
}

/** A JWK of a JWKS: its n/e, or else the first certificate of its x5c chain. Only RSA keys. */
export async function importJwkPublicKey(jwk: RsaJwk): Promise<WebCryptoKey> {
  return importRead(publicJwk(jwk), 'verify');
}

function publicJwk(jwk: RsaJwk): ReadKey {
  checkRsaJwk(jwk);
  if (typeof jwk.n === 'string' && typeof jwk.e === 'string') return { format: 'jwk', jwk: { kty: 'RSA', n: jwk.n, e: jwk.e, ext: true } };
  const cert = jwk.x5c?.[0];
  if (typeof cert === 'string') return { format: 'spki', der: certificateSpki(base64Bytes(cert)) };
  throw new KeyFormatError('the RSA key has neither n/e nor an x5c certificate');
}

/** A CryptoKey already imported (it has the fields every WebCrypto key has). */
function isCryptoKey(key: unknown): key is WebCryptoKey {
  const k = key as { type?: unknown; algorithm?: unknown; usages?: unknown } | null;
  return typeof k === 'object' && k !== null && typeof k.type === 'string' && typeof k.algorithm === 'object' && Array.isArray(k.usages);
}

function checkKey(key: WebCryptoKey, type: 'private' | 'public', usage: 'sign' | 'verify'): WebCryptoKey {
  const alg = key.algorithm as { name?: string; hash?: { name?: string } };
  if (key.type !== type || alg.name !== 'RSASSA-PKCS1-v1_5' || alg.hash?.name !== 'SHA-256' || !key.usages.includes(usage)) {
    throw new KeyFormatError(`the CryptoKey must be an RSASSA-PKCS1-v1_5 SHA-256 ${type} key usable to ${usage}`);
  }
  return key;
}

/** PEM -> its label and DER bytes. Exactly one PEM block is expected. */
function readPem(text: string): { label: string; der: Uint8Array } {
  const m = /^-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)\r?\n?-----END \1-----\s*$/.exec(text);
  // (A body holding ----- spans two blocks of one label: a key pasted twice, a certificate chain.)
  if (!m || m[2]!.includes('-----')) throw new KeyFormatError(notPemReason(text));
  const body = m[2]!;
  if (/^[A-Za-z-]+:/m.test(body)) throw new KeyFormatError(`the PEM "${m[1]}" has headers (a legacy encrypted key?); convert it to unencrypted PKCS#8`);
  return { label: m[1]!, der: base64Bytes(body) };
}

/** Why a key text is not one PEM block, for the most likely mistakes; never quoting the text. */
function notPemReason(text: string): string {
  const begin = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(text);
  if (begin) {
    const label = begin[1]!;
    const end = text.indexOf(`-----END ${label}-----`, begin.index);
    if (end < 0) return `the PEM "${label}" has no -----END ${label}----- line (cut short?)`;
    // Quotes kept from an env file or JSON, around the whole key.
    const inQuotes = /^["'`]/.test(text) && /["'`]$/.test(text) ? ', and remove the quotes around it' : '';
    // An env file or a JSON string holds a key on one line, its line breaks written as the two
    // characters \n, which are read as such unless something turns them back into line breaks.
    if (!/[\r\n]/.test(text.slice(begin.index, end))) {
      const cause = text.includes('\\n')
        ? 'it holds the two characters \\n where its line breaks belong (a key read from an env file?): replace them with line breaks'
        : 'its line breaks were lost (spaces, or a literal \\n, where they belong?): put them back';
      return `the PEM "${label}" is all on one line, with no line break between BEGIN and END: ${cause}${inQuotes}`;
    }
    if (inQuotes) return `the PEM "${label}" is wrapped in quotes: pass the key without them`;
    return 'expected exactly one PEM block, with nothing before or after it';
  }
  if (text.startsWith('{')) return 'the key is text in braces: a JWK is passed as an object (JSON.parse it first)';
  return 'the key is neither PEM (-----BEGIN \u2026-----) nor RSA XML (<RSAKeyValue>); pass the key itself, not its file name';
}

/** Standard or URL-safe base64, padded or not (whitespace ignored) -> bytes, by the runtime's one base64 rule (scalars.ts). */
export function base64Bytes(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/');
  try {
    return decodeBase64(clean.length % 4 === 0 ? clean : clean.padEnd(clean.length + 4 - (clean.length % 4), '='));
  } catch {
    throw new KeyFormatError('invalid base64 in the key');
  }
}

/** The bytes as an ArrayBuffer of their own (what WebCrypto's typings ask for in every TypeScript version). */
export function arrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/**
 * What may stand before the <RSAKeyValue> element of a key file (the text is trimmed): an XML
 * declaration (`<?xml version="1.0" encoding="utf-8"?>`, which .NET's FromXmlString accepts) and
 * comments, with whitespace between.
 */
const XML_PROLOG = /^(?:<\?xml\s[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*)*/;

/** The RSA XML of .NET (RSACryptoServiceProvider.ToXmlString) as a JWK: the same numbers, base64url. */
function rsaXmlToJwk(text: string, wantPrivate: boolean): RsaJwk {
  const xml = text.replace(XML_PROLOG, '');
  if (!/^<RSAKeyValue>/.test(xml) || !/<\/RSAKeyValue>$/.test(xml)) throw new KeyFormatError('RSA XML must be one <RSAKeyValue> element');
  const part = (name: string): string | undefined => {
    const m = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml);
    return m ? base64Url(m[1]!) : undefined;
  };
  const n = part('Modulus');
  const e = part('Exponent');
  if (!n || !e) throw new KeyFormatError('RSA XML without <Modulus> or <Exponent>');
  const jwk: RsaJwk = { kty: 'RSA', n, e, alg: 'RS256', ext: true };
  if (!wantPrivate) return jwk;
  const fields = { d: 'D', p: 'P', q: 'Q', dp: 'DP', dq: 'DQ', qi: 'InverseQ' } as const;
  for (const [jwkName, xmlName] of Object.entries(fields)) {
    const v = part(xmlName);
    if (!v) throw new KeyFormatError(`RSA XML without <${xmlName}>: a public key was given where the private key is needed`);
    (jwk as Record<string, unknown>)[jwkName] = v;
  }
  return jwk;
}

function base64Url(b64: string): string {
  return encodeBase64(base64Bytes(b64)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

// --- DER, only as much as these keys need -------------------------------------------------------

/** AlgorithmIdentifier { rsaEncryption (1.2.840.113549.1.1.1), NULL }. */
const RSA_ALGORITHM = Uint8Array.of(0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00);

function derLength(length: number): number[] {
  if (length < 0x80) return [length];
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

function der(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const length = parts.reduce((sum, p) => sum + p.length, 0);
  const head = [tag, ...derLength(length)];
  const out = new Uint8Array(head.length + length);
  out.set(head);
  let at = head.length;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A PKCS#8 key of another algorithm (EC ...) is refused now, not by WebCrypto at the first sign-in. */
function checkRsaPkcs8(der: Uint8Array): Uint8Array {
  let oid = '';
  try {
    const at = derElement(der, derElement(der, 0).start).end + 2; // PrivateKeyInfo { version, AlgorithmIdentifier { OID
    oid = der.subarray(at, derElement(der, at).end).join();
  } catch {
    // not DER: not an RSA key either
  }
  if (oid !== RSA_ALGORITHM.subarray(2, 13).join()) throw new KeyFormatError('the private key (PEM "PRIVATE KEY") is not an RSA key: its algorithm is not rsaEncryption');
  return der;
}

/** PrivateKeyInfo { version 0, rsaEncryption, OCTET STRING { RSAPrivateKey } } (RFC 5208). */
function pkcs1PrivateToPkcs8(pkcs1: Uint8Array): Uint8Array {
  return der(0x30, Uint8Array.of(0x02, 0x01, 0x00), RSA_ALGORITHM, der(0x04, pkcs1));
}

/** SubjectPublicKeyInfo { rsaEncryption, BIT STRING { RSAPublicKey } } (RFC 5280). */
function pkcs1PublicToSpki(pkcs1: Uint8Array): Uint8Array {
  return der(0x30, RSA_ALGORITHM, der(0x03, Uint8Array.of(0), pkcs1));
}

/** One DER element at `at`: its tag, where its content starts and where the element ends. */
function derElement(bytes: Uint8Array, at: number): { tag: number; start: number; end: number } {
  const fail = () => new KeyFormatError('the certificate is not valid DER');
  if (at + 2 > bytes.length) throw fail();
  const tag = bytes[at]!;
  let length = bytes[at + 1]!;
  let start = at + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4 || start + count > bytes.length) throw fail();
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[start + i]!;
    start += count;
  }
  if (start + length > bytes.length) throw fail();
  return { tag, start, end: start + length };
}

/**
 * The SubjectPublicKeyInfo of an X.509 certificate: Certificate { TBSCertificate { [0] version
 * (optional), serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo ... } ... }.
 * The certificate's own signature and validity are not checked: it is given by the user as the
 * key to trust, as the .NET samples do with CertificateValidator.None.
 */
function certificateSpki(cert: Uint8Array): Uint8Array {
  const outer = derElement(cert, 0);
  const tbs = derElement(cert, outer.start);
  if (outer.tag !== 0x30 || tbs.tag !== 0x30) throw new KeyFormatError('the certificate is not an X.509 certificate');
  let at = tbs.start;
  if (derElement(cert, at).tag === 0xa0) at = derElement(cert, at).end;
  for (let skip = 0; skip < 5; skip++) at = derElement(cert, at).end; // serial, signature, issuer, validity, subject
  const spki = derElement(cert, at);
  if (spki.tag !== 0x30) throw new KeyFormatError('the certificate has no SubjectPublicKeyInfo');
  return cert.subarray(at, spki.end);
}
