// An https server on 127.0.0.1 whose certificate no client trusts: self-signed, made at run time (a minimal X.509 v1
// certificate, DER written here, signed with node:crypto), so no key is kept in the repository. What a user meets with
// an environment or endpoint behind a certificate their machine does not trust (a proxy's, a test server's).
import { generateKeyPairSync, sign } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { RequestListener } from 'node:http';

/** A DER element: its tag, its length (short or long form), its contents. */
function der(tag: number, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const n = body.length;
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff]; // (nothing here reaches 64 KiB)
  return Buffer.concat([Buffer.from([tag, ...length]), body]);
}
const seq = (...parts: Buffer[]) => der(0x30, ...parts);
const utcTime = (d: Date) => der(0x17, Buffer.from(`${d.toISOString().slice(2, 19).replace(/[-T:]/g, '')}Z`));
/** sha256WithRSAEncryption (1.2.840.113549.1.1.11), with its NULL parameters. */
const SHA256_WITH_RSA = seq(Buffer.from('06092a864886f70d01010b', 'hex'), Buffer.from('0500', 'hex'));
/** The name CN=127.0.0.1 (2.5.4.3). */
const NAME = seq(der(0x31, seq(Buffer.from('0603550403', 'hex'), der(0x0c, Buffer.from('127.0.0.1')))));

/** A self-signed certificate for 127.0.0.1 and its key, as PEM. */
export function selfSignedCertificate(): { key: string; cert: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const now = Date.now();
  const tbs = seq(
    der(0x02, Buffer.from([0x01])), // serial number
    SHA256_WITH_RSA,
    NAME, // issuer
    seq(utcTime(new Date(now - 3_600_000)), utcTime(new Date(now + 86_400_000))),
    NAME, // subject
    publicKey.export({ type: 'spki', format: 'der' }),
  );
  const signature = sign('sha256', tbs, privateKey);
  const certificate = seq(tbs, SHA256_WITH_RSA, der(0x03, Buffer.from([0]), signature));
  const lines = certificate.toString('base64').match(/.{1,64}/g)!.join('\n');
  return { key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), cert: `-----BEGIN CERTIFICATE-----\n${lines}\n-----END CERTIFICATE-----\n` };
}

/** An https server on 127.0.0.1 with a self-signed certificate, answering with `handler`: its origin and server. */
export async function startUntrustedHttps(handler: RequestListener): Promise<{ origin: string; server: Server; close(): Promise<void> }> {
  const server = createServer(selfSignedCertificate(), handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    origin: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}
