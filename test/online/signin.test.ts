// The pieces of the system user sign-in, each against an independent tool: key import in every
// form the runtime accepts (PEM PKCS#1/PKCS#8, the portal's RSA XML, certificates), the signed
// token checked by `openssl dgst -sha256 -verify`, and JWT verification refusing every hostile
// token (another key, expired, alg none, HS256 with the public key as secret, a kid that matches
// nothing, a tampered payload).
import assert from 'node:assert/strict';
import { createVerify } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { KeyFormatError, rsaPrivateKeyImport, rsaPublicKeyImport, type RsaKeyInput } from '../../templates/runtime/online-keys.js';

/** A key read and imported at once (a form the reader refuses rejects, as an import does). */
const importRsaPrivateKey = async (key: RsaKeyInput) => rsaPrivateKeyImport(key)();
const importRsaPublicKey = async (key: RsaKeyInput) => rsaPublicKeyImport(key)();
import { signSystemUserToken, systemUserTimestamp } from '../../templates/runtime/online-sign.js';
import { fixedJwtKey, jwksKeys, JwtError, TICKET_CLAIM, verifyJwt } from '../../templates/runtime/online-jwt.js';
import { makeKeyPair, opensslVerifies, selfSignedCertificate, signJwt, signJwtHs256, unsignedJwt, type TestKeyPair } from '../support/online-test-keys.js';

let app: TestKeyPair;
let issuer: TestKeyPair;
let stranger: TestKeyPair;
before(() => {
  app = makeKeyPair();
  issuer = makeKeyPair();
  stranger = makeKeyPair();
});

describe('signing the system user token', () => {
  test('the timestamp is yyyyMMddHHmm in UTC with leading zeros', () => {
    assert.equal(systemUserTimestamp(new Date(Date.UTC(2026, 0, 2, 3, 4, 59))), '202601020304');
    assert.equal(systemUserTimestamp(new Date('2026-12-31T23:59:00-05:00')), '202701010459');
  });

  for (const form of ['pkcs8Pem', 'pkcs1Pem', 'rsaXml'] as const) {
    test(`a key given as ${form} signs token.timestamp; openssl dgst -sha256 -verify accepts it`, async () => {
      const key = await importRsaPrivateKey(app[form]);
      const now = new Date(Date.UTC(2026, 11, 4, 7, 5));
      const signed = await signSystemUserToken('My App-pzqc70604i', key, now);
      const [token, stamp, signature] = [signed.slice(0, signed.indexOf('.')), ...signed.slice(signed.indexOf('.') + 1).split('.')] as [string, string, string];
      assert.equal(token, 'My App-pzqc70604i');
      assert.equal(stamp, '202612040705');
      assert.match(signature, /^[A-Za-z0-9+/]+={0,2}$/, 'standard base64, not base64url');
      assert.ok(opensslVerifies(app.spkiPem, `${token}.${stamp}`, signature), 'openssl verifies the signature over token.timestamp');
      assert.ok(!opensslVerifies(app.spkiPem, `${token}.202612040706`, signature), 'and not over another timestamp');
      assert.ok(!opensslVerifies(stranger.spkiPem, `${token}.${stamp}`, signature), 'nor with another key');
    });
  }

  // The docs' C# sample reads the key with .NET's RSA.FromXmlString, which accepts a key file that
  // starts with an XML declaration; such a file was refused "RSA XML must be one <RSAKeyValue> element".
  test('RSA XML after an XML declaration, comments and a byte order mark is read; text after the element is not', async () => {
    const declared = `\uFEFF<?xml version="1.0" encoding="utf-8"?>\r\n<!-- app key -->\n${app.rsaXml}\n`;
    const signed = await signSystemUserToken('My App-x', await importRsaPrivateKey(declared), new Date(0));
    assert.ok(opensslVerifies(app.spkiPem, 'My App-x.197001010000', signed.slice(signed.lastIndexOf('.') + 1)));
    const publicKey = await importRsaPublicKey(`<?xml version="1.0"?>${app.rsaXmlPublic}`);
    assert.equal(publicKey.type, 'public');
    await assert.rejects(importRsaPrivateKey(`<?xml version="1.0"?>${app.rsaXml}<RSAKeyValue/>`), /must be one <RSAKeyValue> element/);
    await assert.rejects(importRsaPrivateKey(`<?xml version="1.0"?><Other/>`), /must be one <RSAKeyValue> element/);
  });

  test('a token with non-ASCII characters is signed as UTF-8', async () => {
    const key = await importRsaPrivateKey(app.pkcs8Pem);
    const signed = await signSystemUserToken('Søknad Æ-x', key, new Date(0));
    const signature = signed.slice(signed.lastIndexOf('.') + 1);
    const ok = createVerify('SHA256').update(Buffer.from('Søknad Æ-x.197001010000', 'utf8')).verify(app.publicKey, Buffer.from(signature, 'base64'));
    assert.ok(ok);
  });

  test('unreadable keys are refused with what was seen, never the key', async () => {
    await assert.rejects(importRsaPrivateKey('not a key at all'), (e: unknown) => e instanceof KeyFormatError && /neither PEM/.test(e.message));
    await assert.rejects(importRsaPrivateKey(app.spkiPem), (e: unknown) => e instanceof KeyFormatError && /got PEM "PUBLIC KEY"/.test(e.message));
    await assert.rejects(importRsaPrivateKey(app.rsaXmlPublic), (e: unknown) => e instanceof KeyFormatError && /public key was given/.test(e.message) && !e.message.includes(app.jwk.n.slice(0, 20)));
    const encrypted = '-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIBvTBXBgkqhkiG9w0BBQ0wSjApBgkqhkiG9w0BBQwwHAQI\n-----END ENCRYPTED PRIVATE KEY-----';
    await assert.rejects(importRsaPrivateKey(encrypted), /encrypted; decrypt it first/);
  });

  test("a user's likely mistakes with the key are named: a cut-short PEM, text around it, a key on one line (literal \\n, spaces) or in quotes, a JWK as JSON text or without d, a file name", async () => {
    const refused = async (key: Parameters<typeof importRsaPrivateKey>[0], message: RegExp) =>
      assert.rejects(importRsaPrivateKey(key), (e: unknown) => e instanceof KeyFormatError && message.test(e.message) && !e.message.includes(app.jwk.n.slice(0, 20)) && !e.message.includes('MII'));
    await refused(app.pkcs8Pem.slice(0, 300), /^the PEM "PRIVATE KEY" has no -----END PRIVATE KEY----- line \(cut short\?\)$/);
    await refused(`Bag Attributes\n${app.pkcs8Pem}`, /^expected exactly one PEM block, with nothing before or after it$/);
    await refused(`${app.pkcs8Pem}${app.spkiPem}`, /^expected exactly one PEM block/);
    // Two blocks of one label (a key pasted twice): the same message, not "invalid base64" (review r17a).
    await refused(`${app.pkcs8Pem}\n${app.pkcs8Pem}`, /^expected exactly one PEM block, with nothing before or after it$/);
    // A key from an env file or a JSON string: its line breaks written as the two characters \n,
    // or lost to spaces, and the whole sometimes still in quotes.
    const oneLine = (separator: string) => app.pkcs8Pem.trim().split('\n').join(separator);
    const literal = /^the PEM "PRIVATE KEY" is all on one line, with no line break between BEGIN and END: it holds the two characters \\n where its line breaks belong \(a key read from an env file\?\): replace them with line breaks/;
    const lost = /^the PEM "PRIVATE KEY" is all on one line, with no line break between BEGIN and END: its line breaks were lost \(spaces, or a literal \\n, where they belong\?\): put them back/;
    await refused(oneLine('\\n'), new RegExp(`${literal.source}$`));
    await refused(`"${oneLine('\\n')}"`, new RegExp(`${literal.source}, and remove the quotes around it$`));
    await refused(`'${oneLine('\\r\\n')}'\n`, new RegExp(`${literal.source}, and remove the quotes around it$`));
    await refused(oneLine(' '), new RegExp(`${lost.source}$`));
    await refused(oneLine(''), new RegExp(`${lost.source}$`));
    await refused(`"${app.pkcs8Pem.trim()}"`, /^the PEM "PRIVATE KEY" is wrapped in quotes: pass the key without them$/);
    await assert.rejects(importRsaPublicKey(app.spkiPem.trim().split('\n').join('\\n')), (e: unknown) => e instanceof KeyFormatError && /^the PEM "PUBLIC KEY" is all on one line, .* the two characters \\n /.test(e.message) && !e.message.includes('MII'));
    await refused(JSON.stringify(app.jwk), /a JWK is passed as an object \(JSON\.parse it first\)$/);
    await refused({ kty: 'RSA', n: app.jwk.n, e: app.jwk.e }, /^JWK without "d": a public key was given where the private key is needed$/);
    await refused({ kty: 'EC' }, /^the key is not an RSA key \(kty EC\)$/);
    await refused('private-key.xml', /pass the key itself, not its file name$/);
  });

  test('a key whose base64 is cut short or mangled is a KeyFormatError (one base64 rule with base64Binary, scalars.ts)', async () => {
    const body = app.pkcs8Pem.split('\n').slice(1, -2).join('');
    const pem = (b64: string) => `-----BEGIN PRIVATE KEY-----\n${b64}\n-----END PRIVATE KEY-----`;
    // One character past a whole group (length 4n + 1) cannot be base64 at all; a '=' inside the text neither.
    for (const bad of [body.slice(0, 4 * 100 + 1), `${body.slice(0, 40)}=${body.slice(41)}`, body.replace(/[A-Z]/, '*')]) {
      await assert.rejects(importRsaPrivateKey(pem(bad)), (e: unknown) => e instanceof KeyFormatError && e.message === 'invalid base64 in the key', bad.slice(0, 12));
    }
    // Unpadded and URL-safe base64 of the same bytes reads as the padded standard form does.
    const spki = issuer.spkiPem.split('\n').slice(1, -2).join('');
    const urlSafe = spki.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
    const key = await importRsaPublicKey(`-----BEGIN PUBLIC KEY-----\n${urlSafe}\n-----END PUBLIC KEY-----`);
    const jwt = signJwt({ alg: 'RS256' }, { [TICKET_CLAIM]: 't', exp: Date.now() / 1000 + 60 }, issuer.privateKey);
    assert.equal((await verifyJwt(jwt, fixedJwtKey(key), Date.now(), 60_000))[TICKET_CLAIM], 't');
  });
});

const NOW = Date.UTC(2026, 11, 4, 12, 0, 0);
const claims = (extra: Record<string, unknown> = {}) => ({ [TICKET_CLAIM]: '7T:ticket==', exp: NOW / 1000 + 300, ...extra });

describe('verifying the returned JWT', () => {
  for (const form of ['spkiPem', 'pkcs1PublicPem', 'rsaXmlPublic', 'jwk', 'certificate'] as const) {
    test(`a token signed by the trusted key (given as ${form}) verifies and yields its claims`, async () => {
      const trusted = form === 'certificate' ? selfSignedCertificate(issuer) : issuer[form];
      const jwt = signJwt({ alg: 'RS256' }, claims(), issuer.privateKey);
      const got = await verifyJwt(jwt, fixedJwtKey(trusted), NOW, 60_000);
      assert.equal(got[TICKET_CLAIM], '7T:ticket==');
    });
  }

  const refused: [string, () => string, RegExp][] = [
    ['signed by another key', () => signJwt({ alg: 'RS256' }, claims(), stranger.privateKey), /does not verify/],
    ['expired (beyond the skew)', () => signJwt({ alg: 'RS256' }, claims({ exp: NOW / 1000 - 61 }), issuer.privateKey), /expired/],
    ['without exp', () => signJwt({ alg: 'RS256' }, { [TICKET_CLAIM]: 'x' }, issuer.privateKey), /no exp/],
    ['not yet valid (nbf)', () => signJwt({ alg: 'RS256' }, claims({ nbf: NOW / 1000 + 120 }), issuer.privateKey), /not valid before/],
    ['alg none', () => unsignedJwt(claims()), /"none" is refused/],
    ['HS256 with the public key PEM as HMAC secret', () => signJwtHs256({}, claims(), issuer.spkiPem), /"HS256" is refused/],
    ['a tampered payload', () => {
      const [h, , s] = signJwt({ alg: 'RS256' }, claims(), issuer.privateKey).split('.');
      return `${h}.${Buffer.from(JSON.stringify(claims({ [TICKET_CLAIM]: 'stolen' }))).toString('base64url')}.${s}`;
    }, /does not verify/],
    ['not a JWT', () => 'abc.def', /not a JWT/],
    ['a signature that is not base64url', () => `${signJwt({ alg: 'RS256' }, claims(), issuer.privateKey).split('.').slice(0, 2).join('.')}.not*base64`, /signature is not base64url/],
  ];
  for (const [name, make, why] of refused) {
    test(`refused: ${name}`, async () => {
      await assert.rejects(verifyJwt(make(), fixedJwtKey(issuer.spkiPem), NOW, 60_000), (e: unknown) => e instanceof JwtError && why.test(e.message));
    });
  }

  test('expiry within the clock skew is accepted', async () => {
    const jwt = signJwt({ alg: 'RS256' }, claims({ exp: NOW / 1000 - 30 }), issuer.privateKey);
    assert.ok(await verifyJwt(jwt, fixedJwtKey(issuer.spkiPem), NOW, 60_000));
  });

  test('JWKS: the key is chosen by kid; a kid that matches nothing is refused after one refetch', async () => {
    let fetches = 0;
    let t = NOW;
    const fakeFetch = (async (url: string | URL) => {
      fetches++;
      const u = String(url);
      if (u.endsWith('/openid-configuration')) return Response.json({ jwks_uri: 'http://127.0.0.1:9/login/.well-known/jwks' });
      return Response.json({ keys: [{ kid: 'k1', use: 'sig', ...stranger.jwk }, { kid: 'k2', use: 'sig', ...issuer.jwk }] });
    }) as typeof fetch;
    const keys = jwksKeys({ origin: 'http://127.0.0.1:9', fetch: fakeFetch, timeoutMs: 1000, now: () => t });
    const good = signJwt({ alg: 'RS256', kid: 'k2' }, claims(), issuer.privateKey);
    assert.equal((await verifyJwt(good, keys, NOW, 0))[TICKET_CLAIM], '7T:ticket==');
    assert.equal(fetches, 2, 'metadata + JWKS, once');
    await verifyJwt(good, keys, NOW, 0);
    assert.equal(fetches, 2, 'cached');
    const wrongKid = signJwt({ alg: 'RS256', kid: 'k1' }, claims(), issuer.privateKey);
    await assert.rejects(verifyJwt(wrongKid, keys, NOW, 0), /does not verify/);
    const unknownKid = signJwt({ alg: 'RS256', kid: 'k9' }, claims(), issuer.privateKey);
    await assert.rejects(verifyJwt(unknownKid, keys, NOW, 0), /no trusted key matches the token's kid "k9"/);
    assert.equal(fetches, 2, 'a fresh set is not refetched for an unknown kid');
    t += 61_000;
    await assert.rejects(verifyJwt(unknownKid, keys, NOW, 0), /no trusted key/);
    assert.equal(fetches, 4, 'an older set is refetched once for an unknown kid');
    const noKid = signJwt({ alg: 'RS256' }, claims(), issuer.privateKey);
    await assert.rejects(verifyJwt(noKid, keys, NOW, 0), /no trusted key/, 'no kid and two keys: no guessing');
  });

  // A token may name its key by the thumbprint of the key's certificate alone (RFC 7515 x5t, as
  // .NET's X509SigningCredentials writes it): with several keys it was refused "no trusted key
  // matches the token's kid null".
  test('JWKS: without kid, the key is chosen by x5t or x5t#S256; a kid, when given, decides alone', async () => {
    const fakeFetch = (async (url: string | URL) => {
      if (String(url).endsWith('/openid-configuration')) return Response.json({ jwks_uri: 'http://127.0.0.1:9/login/.well-known/jwks' });
      return Response.json({
        keys: [
          { kid: 'k1', x5t: 'c3RyYW5nZXItc2hhMQ', use: 'sig', ...stranger.jwk },
          { kid: 'k2', x5t: 'aXNzdWVyLXNoYTE', 'x5t#S256': 'aXNzdWVyLXNoYTI1Ng', use: 'sig', ...issuer.jwk },
        ],
      });
    }) as typeof fetch;
    const keys = jwksKeys({ origin: 'http://127.0.0.1:9', fetch: fakeFetch, timeoutMs: 1000, now: () => NOW });
    const signed = (header: Record<string, string>) => signJwt({ alg: 'RS256', ...header }, claims(), issuer.privateKey);
    assert.equal((await verifyJwt(signed({ x5t: 'aXNzdWVyLXNoYTE' }), keys, NOW, 0))[TICKET_CLAIM], '7T:ticket==');
    assert.equal((await verifyJwt(signed({ 'x5t#S256': 'aXNzdWVyLXNoYTI1Ng' }), keys, NOW, 0))[TICKET_CLAIM], '7T:ticket==');
    await assert.rejects(verifyJwt(signed({ x5t: 'c3RyYW5nZXItc2hhMQ' }), keys, NOW, 0), /does not verify/, "the stranger's thumbprint: the stranger's key");
    await assert.rejects(verifyJwt(signed({ x5t: 'dW5rbm93bg' }), keys, NOW, 0), /^JwtError: no trusted key matches the token's x5t "dW5rbm93bg" in the JWKS \(http:\/\/127\.0\.0\.1:9\/login\/\.well-known\/jwks\)$/);
    await assert.rejects(verifyJwt(signed({ kid: 'k1', x5t: 'aXNzdWVyLXNoYTE' }), keys, NOW, 0), /does not verify/, 'the kid decides, not the x5t');
    await assert.rejects(verifyJwt(signJwt({ alg: 'RS256', x5t: 42 }, claims(), issuer.privateKey), keys, NOW, 0), /x5t that is not a string/);
  });

  // One key in the set, then the login host rotates it: a token naming the new key by x5t got the
  // old key (the set's only one), "does not verify", and the set was never fetched again (review of
  // session 18's diff). A thumbprint the set's keys give decides as a kid does.
  test('JWKS: an x5t the set does not hold, after a rotation, fetches the set again instead of taking its only key', async () => {
    let t = NOW;
    let rotated = false;
    let fetches = 0;
    const fakeFetch = (async (url: string | URL) => {
      fetches++;
      if (String(url).endsWith('/openid-configuration')) return Response.json({ jwks_uri: 'http://127.0.0.1:9/login/.well-known/jwks' });
      const key = rotated ? { x5t: 'bmV3', use: 'sig', ...issuer.jwk } : { x5t: 'b2xk', use: 'sig', ...stranger.jwk };
      return Response.json({ keys: [key] });
    }) as typeof fetch;
    const keys = jwksKeys({ origin: 'http://127.0.0.1:9', fetch: fakeFetch, timeoutMs: 1000, now: () => t });
    await assert.rejects(verifyJwt(signJwt({ alg: 'RS256', x5t: 'b2xk' }, claims(), issuer.privateKey), keys, NOW, 0), /does not verify/, 'the old key, named');
    assert.equal(fetches, 2);
    rotated = true;
    t += 61_000;
    const signed = signJwt({ alg: 'RS256', x5t: 'bmV3' }, claims(), issuer.privateKey);
    assert.equal((await verifyJwt(signed, keys, NOW, 0))[TICKET_CLAIM], '7T:ticket==');
    assert.equal(fetches, 4, 'the set fetched again once');
    // A set whose keys give no thumbprint: its only key is still used (as before x5t was matched).
    const plain = jwksKeys({ origin: 'http://127.0.0.1:9', fetch: (async (url: string | URL) => (String(url).endsWith('/openid-configuration') ? Response.json({ jwks_uri: 'http://127.0.0.1:9/jwks' }) : Response.json({ keys: [{ use: 'sig', ...issuer.jwk }] }))) as typeof fetch, timeoutMs: 1000, now: () => NOW });
    assert.equal((await verifyJwt(signed, plain, NOW, 0))[TICKET_CLAIM], '7T:ticket==');
  });

  test('JWKS: metadata pointing the keys at another origin is refused', async () => {
    const fakeFetch = (async () => Response.json({ jwks_uri: 'http://127.0.0.2:9/jwks' })) as unknown as typeof fetch;
    const keys = jwksKeys({ origin: 'http://127.0.0.1:9', fetch: fakeFetch, timeoutMs: 1000, now: () => NOW });
    await assert.rejects(verifyJwt(signJwt({ alg: 'RS256' }, claims(), issuer.privateKey), keys, NOW, 0), /jwks_uri \(http:\/\/127\.0\.0\.2:9\) is not on the login host/);
  });

  test('a public key is not accepted where the private key is needed, nor the reverse', async () => {
    await assert.rejects(importRsaPublicKey(issuer.pkcs8Pem), /got PEM "PRIVATE KEY"/);
  });
});
