// Keys and tokens for the SuperOffice Online tests, made with node:crypto (the tests' own tool,
// independent of the runtime's WebCrypto code they check): RSA key pairs in every form the runtime
// reads, a self-signed certificate (openssl), and JWTs signed properly or in the hostile ways a
// verifier must refuse.
import { execFileSync } from 'node:child_process';
import { createHmac, createPrivateKey, createPublicKey, createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testCacheDir } from './paths.js';

export interface TestKeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** PEM "PRIVATE KEY" (PKCS#8). */
  readonly pkcs8Pem: string;
  /** PEM "RSA PRIVATE KEY" (PKCS#1). */
  readonly pkcs1Pem: string;
  /** PEM "PUBLIC KEY" (SPKI). */
  readonly spkiPem: string;
  /** PEM "RSA PUBLIC KEY" (PKCS#1). */
  readonly pkcs1PublicPem: string;
  /** <RSAKeyValue> with the private parts, as .NET's ToXmlString(true) writes it. */
  readonly rsaXml: string;
  /** <RSAKeyValue> with Modulus and Exponent only. */
  readonly rsaXmlPublic: string;
  /** The public JWK (kty, n, e). */
  readonly jwk: { kty: string; n: string; e: string };
}

let keysMade = 0;

/**
 * A 2048-bit RSA private key, a different one at each call in this process. Making one costs
 * 0.2–1 s of CPU, so the n-th key of a process is kept in the tests' cache and read back by the
 * next test file that asks for its n-th key (test keys only: they protect nothing).
 */
function rsaPrivateKey(): KeyObject {
  const path = join(testCacheDir, `rsa-2048-${keysMade++}.pem`);
  if (existsSync(path)) return createPrivateKey(readFileSync(path, 'utf8'));
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  mkdirSync(testCacheDir, { recursive: true });
  // Written aside and renamed: a test file starting meanwhile reads the whole key or none.
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, privateKey.export({ format: 'pem', type: 'pkcs8' }));
  renameSync(temp, path);
  return privateKey;
}

export function makeKeyPair(): TestKeyPair {
  const privateKey = rsaPrivateKey();
  const publicKey = createPublicKey(privateKey);
  const jwk = privateKey.export({ format: 'jwk' }) as Record<string, string>;
  const b64 = (s: string) => Buffer.from(s, 'base64url').toString('base64');
  const pub = `<Modulus>${b64(jwk['n']!)}</Modulus><Exponent>${b64(jwk['e']!)}</Exponent>`;
  const priv = `<P>${b64(jwk['p']!)}</P><Q>${b64(jwk['q']!)}</Q><DP>${b64(jwk['dp']!)}</DP><DQ>${b64(jwk['dq']!)}</DQ><InverseQ>${b64(jwk['qi']!)}</InverseQ><D>${b64(jwk['d']!)}</D>`;
  return {
    privateKey,
    publicKey,
    pkcs8Pem: privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
    pkcs1Pem: privateKey.export({ format: 'pem', type: 'pkcs1' }) as string,
    spkiPem: publicKey.export({ format: 'pem', type: 'spki' }) as string,
    pkcs1PublicPem: publicKey.export({ format: 'pem', type: 'pkcs1' }) as string,
    rsaXml: `<RSAKeyValue>${pub}${priv}</RSAKeyValue>`,
    rsaXmlPublic: `<RSAKeyValue>${pub}</RSAKeyValue>`,
    jwk: { kty: 'RSA', n: jwk['n']!, e: jwk['e']! },
  };
}

/** A self-signed certificate of `pair` (openssl req -x509), PEM. */
export function selfSignedCertificate(pair: TestKeyPair): string {
  const dir = mkdtempSync(join(tmpdir(), 'so-cert-'));
  try {
    writeFileSync(join(dir, 'key.pem'), pair.pkcs8Pem);
    execFileSync('openssl', ['req', '-x509', '-new', '-key', join(dir, 'key.pem'), '-subj', '/CN=SuperOffice test', '-days', '2', '-out', join(dir, 'cert.pem')], {
      stdio: 'pipe',
    });
    return readFileSync(join(dir, 'cert.pem'), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `openssl dgst -sha256 -verify` of `data` against `signatureBase64`: true when openssl says "Verified OK". */
export function opensslVerifies(publicKeyPem: string, data: string, signatureBase64: string): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'so-verify-'));
  try {
    writeFileSync(join(dir, 'pub.pem'), publicKeyPem);
    writeFileSync(join(dir, 'data'), data, 'utf8');
    writeFileSync(join(dir, 'sig'), Buffer.from(signatureBase64, 'base64'));
    try {
      const out = execFileSync('openssl', ['dgst', '-sha256', '-verify', join(dir, 'pub.pem'), '-signature', join(dir, 'sig'), join(dir, 'data')], { stdio: 'pipe' });
      return out.toString().includes('Verified OK');
    } catch {
      return false;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const b64url = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** A JWT signed RS256 with `key`. */
export function signJwt(header: Record<string, unknown>, payload: Record<string, unknown>, key: KeyObject): string {
  const input = `${b64url({ typ: 'JWT', ...header })}.${b64url(payload)}`;
  const signature = createSign('SHA256').update(input).sign(key).toString('base64url');
  return `${input}.${signature}`;
}

/** A JWT "signed" HS256 with `secret` (the classic confusion attack uses the public key PEM). */
export function signJwtHs256(header: Record<string, unknown>, payload: Record<string, unknown>, secret: string): string {
  const input = `${b64url({ typ: 'JWT', ...header, alg: 'HS256' })}.${b64url(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

/** An unsigned JWT (alg none). */
export function unsignedJwt(payload: Record<string, unknown>): string {
  return `${b64url({ typ: 'JWT', alg: 'none' })}.${b64url(payload)}.`;
}
