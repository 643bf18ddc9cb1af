// The system user sign-in when something on the login host's side fails (review r19b): the OpenID
// metadata or the JWKS down, a JWKS key this client cannot read, the SOAP exchange failing, a
// private key that is not RSA, a session option missing. Each failure is said once, named for what
// failed, and costs the login host no sign-in it could not use. The fake Online on 127.0.0.1;
// a fetch in front of it answers for the part that is down and counts what reaches the login host.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { HttpError, JwtError, KeyFormatError, OnlineError, SoapError, SuperOfficeClient, systemUserTicket, type CallEvent, type SuperOfficeClientOptions } from '../../generated/index.js';
// (jwksKeys alone, from the runtime's source: its errors are that copy's classes.)
import { jwksKeys, JwtError as RuntimeJwtError, SERIAL_CLAIM, TICKET_CLAIM, verifyJwt } from '../../templates/runtime/online-jwt.js';
import { OnlineError as RuntimeOnlineError } from '../../templates/runtime/errors.js';
import { startFakeOnline, type FakeOnline } from '../support/fake-online.js';
import { makeKeyPair, signJwt } from '../support/online-test-keys.js';

let fake: FakeOnline;
before(async () => {
  fake = await startFakeOnline();
});
after(() => fake.close());

/** A fetch to the fake that answers `down(path)` instead when it gives a Response, and counts each request by path. */
function through(down: (path: string) => Response | undefined) {
  const asked = { metadata: 0, jwks: 0, exchange: 0 };
  const fetchImpl = (async (url: string | URL, init?: RequestInit) => {
    const path = new URL(String(url)).pathname;
    if (path.endsWith('/openid-configuration')) asked.metadata++;
    else if (path.endsWith('/jwks')) asked.jwks++;
    else if (/PartnerSystemUser/i.test(path)) asked.exchange++;
    return down(path) ?? fetch(url, init);
  }) as typeof fetch;
  return { asked, fetch: fetchImpl };
}

const session = (extra: Partial<SuperOfficeClientOptions>, ticket: Partial<Parameters<typeof systemUserTicket>[0]> = {}) =>
  new SuperOfficeClient({
    environment: fake.origin,
    tenant: 'Cust12345',
    applicationToken: fake.applicationToken,
    ticket: systemUserTicket({ systemUserToken: fake.systemUserToken, privateKey: fake.appKey.pkcs8Pem, ...ticket }),
    ...extra,
  });

describe('system user sign-in: failures on the login host', () => {
  // A metadata request answering 503 cost a full sign-in per call (the keys were loaded only after
  // the exchange), 3 per call with retries, and was asked again by every call.
  test('the metadata down: the keys are loaded before the exchange, and the failure is answered again for 30 s without asking or signing in', async () => {
    let metadataDown = true;
    const { asked, fetch } = through((path) => (metadataDown && path.endsWith('/openid-configuration') ? new Response('<html>Service Unavailable</html>', { status: 503 }) : undefined));
    let offset = 0;
    const attempts: CallEvent[] = [];
    const so = session({ fetch, retry: { safeOperations: ['GetEMailAccount'], baseDelayMs: 1 }, hooks: { onAttempt: (e) => attempts.push(e) } }, { now: () => Date.now() + offset });
    const errors: unknown[] = [];
    for (let i = 0; i < 5; i++) await so.email.getEMailAccount({ EMailAccountId: 1 }).catch((e: unknown) => errors.push(e));
    assert.equal(errors.length, 5);
    for (const e of errors) assert.ok(e instanceof OnlineError && /^the OpenID metadata failed \(.*\/login\/\.well-known\/openid-configuration\): HTTP 503$/.test(e.message), String(e));
    assert.ok(errors[1] !== errors[0], 'each call its own error object');
    assert.deepEqual(asked, { metadata: 1, jwks: 0, exchange: 0 }, 'one metadata request for 5 calls (15 attempts), and no sign-in');
    assert.equal(attempts.length, 15);
    offset += 29_000;
    await assert.rejects(so.email.getEMailAccount({ EMailAccountId: 1 }), /OpenID metadata failed/);
    assert.equal(asked.metadata, 1, 'still remembered after 29 s');
    metadataDown = false;
    offset += 1_000;
    assert.equal((await so.email.getEMailAccount({ EMailAccountId: 1 }))?.EMailAccountId, 1);
    assert.deepEqual(asked, { metadata: 2, jwks: 1, exchange: 1 }, 'after 30 s: asked again, then one sign-in');
  });

  // A refresh that failed threw the set away: every later call fetched it again (and had signed in first).
  test('a failed refresh keeps the set held: its keys verify on; a token whose key only the new set has fails with the fetch error, remembered 30 s', async () => {
    const issuer = makeKeyPair();
    const rotated = makeKeyPair();
    let t = 1_000_000_000_000;
    let jwksDown = false;
    let fetches = 0;
    const fakeFetch = (async (url: string | URL) => {
      fetches++;
      if (String(url).endsWith('/openid-configuration')) return Response.json({ jwks_uri: 'http://127.0.0.1:9/login/.well-known/jwks' });
      return jwksDown ? new Response('bad gateway', { status: 502 }) : Response.json({ keys: [{ kid: 'k1', use: 'sig', ...issuer.jwk }] });
    }) as typeof fetch;
    const keys = jwksKeys({ origin: 'http://127.0.0.1:9', fetch: fakeFetch, timeoutMs: 1000, now: () => t });
    const claims = () => ({ [TICKET_CLAIM]: '7T:t==', [SERIAL_CLAIM]: '1', iss: 'SuperOffice AS', aud: 'spn:1', exp: t / 1000 + 3600 });
    const old = () => signJwt({ alg: 'RS256', kid: 'k1' }, claims(), issuer.privateKey);
    const renewed = () => signJwt({ alg: 'RS256', kid: 'k2' }, claims(), rotated.privateKey);
    await keys.load();
    assert.ok(await verifyJwt(old(), keys, t, 0));
    assert.equal(fetches, 2);
    jwksDown = true;
    t += 61_000;
    const jwksFailed = (e: unknown) => e instanceof RuntimeOnlineError && !(e instanceof RuntimeJwtError) && /^the JWKS failed \(.*\): HTTP 502$/.test(e.message);
    await assert.rejects(verifyJwt(renewed(), keys, t, 0), jwksFailed, 'the kid only the new set has');
    assert.equal(fetches, 4);
    assert.ok(await verifyJwt(old(), keys, t, 0), 'the held set still verifies its keys');
    await assert.rejects(keys.load(), jwksFailed, 'before the next exchange: the set held missed the last token');
    await assert.rejects(verifyJwt(renewed(), keys, t, 0), jwksFailed);
    assert.equal(fetches, 4, 'not asked again within 30 s');
    t += 30_000;
    jwksDown = false;
    await keys.load();
    assert.equal(fetches, 6, 'after 30 s, load() fetches the set the last token needed, before the next exchange');
    await assert.rejects(verifyJwt(renewed(), keys, t, 0), /no trusted key matches the token's kid "k2"/);
    assert.equal(fetches, 6);
    // A set older than maxAge whose refresh fails is used on; its refresh is asked again after 30 s.
    t += 24 * 60 * 60 * 1000;
    jwksDown = true;
    await keys.load();
    assert.ok(await verifyJwt(old(), keys, t, 0));
    assert.equal(fetches, 8, 'one refresh tried');
    t += 29_000;
    await keys.load();
    assert.equal(fetches, 8);
  });

  // One key of the JWKS that this client cannot read (x5c garbage) broke every sign-in, as a
  // KeyFormatError, which README keeps for the user's own key.
  test('a JWKS key that cannot be read is skipped; a token naming it is a JwtError saying so, naming the JWKS URL and the kid', async () => {
    const broken = { kty: 'RSA', kid: 'broken', use: 'sig', x5c: ['AAAA'] };
    let mintBroken = false;
    const { asked, fetch } = through((path) =>
      path.endsWith('/jwks') ? Response.json({ keys: [broken, { ...fake.issuerKey.jwk, kid: 'test-key', use: 'sig', alg: 'RS256' }] }) : undefined,
    );
    const provider = systemUserTicket({ systemUserToken: fake.systemUserToken, privateKey: fake.appKey.pkcs8Pem });
    const context = { environment: fake.origin, tenant: 'Cust12345', applicationToken: fake.applicationToken, fetch };
    assert.ok(fake.tickets.has(await provider.ticket(context)), 'signed in with the readable key');
    assert.deepEqual(asked, { metadata: 1, jwks: 1, exchange: 1 });
    const defaultMint = fake.mintJwt;
    fake.mintJwt = (tenant, ticket) => (mintBroken ? signJwt({ alg: 'RS256', kid: 'broken' }, JSON.parse(Buffer.from(defaultMint(tenant, ticket).split('.')[1]!, 'base64url').toString()) as Record<string, unknown>, fake.issuerKey.privateKey) : defaultMint(tenant, ticket));
    mintBroken = true;
    try {
      const other = systemUserTicket({ systemUserToken: fake.systemUserToken, privateKey: fake.appKey.pkcs8Pem });
      await assert.rejects(other.ticket(context), (e: unknown) => {
        assert.ok(e instanceof JwtError && !(e instanceof KeyFormatError), String(e));
        // Not "no trusted key matches": the set has that kid; this client could not import its key.
        assert.match(e.message, /^the JWKS's key of the token's kid "broken" could not be imported: .+ \(http:\/\/127\.0\.0\.1:\d+\/login\/\.well-known\/jwks\)$/);
        return true;
      });
    } finally {
      fake.mintJwt = defaultMint;
    }
  });

  // The SOAP exchange's failures came out as the agent's own (HttpError "Authenticate: HTTP 503",
  // a fault, a timeout), read as the tenant host's; the REST exchange's were OnlineErrors naming the login host.
  test('a SOAP exchange that fails is an OnlineError naming the login endpoint, the agent error its cause', async () => {
    const { fetch } = through((path) => (/PartnerSystemUserService/i.test(path) ? new Response('<html>Service Unavailable</html>', { status: 503 }) : undefined));
    const provider = systemUserTicket({ systemUserToken: fake.systemUserToken, privateKey: fake.appKey.pkcs8Pem });
    await assert.rejects(provider.ticket({ environment: fake.origin, tenant: 'Cust12345', applicationToken: fake.applicationToken, fetch }), (e: unknown) => {
      assert.ok(e instanceof OnlineError && (e as SoapError).operation === undefined, String(e));
      assert.equal(e.message, `system user sign-in failed (${fake.origin}/login/services/PartnerSystemUserService.svc): Authenticate: HTTP 503: <html>Service Unavailable</html>`);
      assert.ok(e.cause instanceof HttpError && e.cause.status === 503);
      assert.ok(!String(e.stack).includes(fake.applicationToken));
      return true;
    });
  });

  // A PKCS#8 key of another algorithm passed systemUserTicket(), and every call then threw a bare
  // DOMException "Invalid key type" (retried, no operation, no hint).
  test('a private key that is not RSA is a KeyFormatError when systemUserTicket() is made; a WebCrypto import failure at sign-in is one too', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    assert.throws(() => systemUserTicket({ systemUserToken: fake.systemUserToken, privateKey: ec }), (e: unknown) => e instanceof KeyFormatError && /^the private key \(PEM "PRIVATE KEY"\) is not an RSA key: its algorithm is not rsaEncryption$/.test(e.message));
    const provider = systemUserTicket({ systemUserToken: fake.systemUserToken, privateKey: { kty: 'RSA', n: 'AA', e: 'AQAB', d: 'AA' } });
    await assert.rejects(provider.ticket({ environment: fake.origin, tenant: 'Cust12345', applicationToken: fake.applicationToken, fetch }), (e: unknown) => {
      assert.ok(e instanceof KeyFormatError, String(e));
      assert.match(e.message, /^WebCrypto could not import the private key: /);
      return true;
    });
  });

  // A public key WebCrypto refuses (an EC key in PEM passes the form check) was one rejected import
  // kept for good: every call got the same error object, and a safe read was retried for it.
  test('a public key WebCrypto refuses is a KeyFormatError for each call, its own each time, never retried', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const attempts: CallEvent[] = [];
    const so = session({ retry: { safeOperations: ['GetEMailAccount'], baseDelayMs: 1 }, hooks: { onAttempt: (e) => attempts.push(e) } }, { publicKey: ec });
    const errors: unknown[] = [];
    for (let i = 0; i < 2; i++) await so.email.getEMailAccount({ EMailAccountId: 1 }).catch((e: unknown) => errors.push(e));
    assert.ok(errors.length === 2 && errors.every((e) => e instanceof KeyFormatError), errors.map(String).join('; '));
    assert.notEqual(errors[0], errors[1], 'an error object per call');
    assert.deepEqual(attempts.map((a) => a.willRetry), [false, false]);
  });

  // README's example reads the token as process.env['SO_CLIENT_SECRET'] ?? '': unset, every call
  // failed after 3 attempts and their backoff, saying all three options were needed.
  test('a missing session option is a TypeError naming only it, never retried', async () => {
    const attempts: CallEvent[] = [];
    const so = session({ applicationToken: '', retry: { safeOperations: ['GetEMailAccount'], baseDelayMs: 1 }, hooks: { onAttempt: (e) => attempts.push(e) } });
    await assert.rejects(so.email.getEMailAccount({ EMailAccountId: 1 }), (e: unknown) => e instanceof TypeError && e.message === 'systemUserTicket needs the session option applicationToken (missing or empty)');
    assert.deepEqual(attempts.map((a) => a.willRetry), [false]);
    const provider = systemUserTicket({ systemUserToken: fake.systemUserToken, privateKey: fake.appKey.pkcs8Pem });
    await assert.rejects(provider.ticket({ applicationToken: 'x', fetch }), (e: unknown) => e instanceof TypeError && String(e) === 'TicketOptionError: systemUserTicket needs the session options environment, tenant (missing or empty)');
  });

  // Only that option error is never retried: a TypeError of the user's own ticket function (fetch's
  // "fetch failed" on a network blip) is retried for a safe operation, as any failure before sending.
  test("a TypeError the user's ticket function throws is retried for a safe operation", async () => {
    const attempts: CallEvent[] = [];
    let asked = 0;
    const signedIn = systemUserTicket({ systemUserToken: fake.systemUserToken, privateKey: fake.appKey.pkcs8Pem });
    const ticket = async () => {
      if (++asked === 1) throw new TypeError('fetch failed');
      return signedIn.ticket({ environment: fake.origin, tenant: 'Cust12345', applicationToken: fake.applicationToken, fetch });
    };
    const so = session({ ticket, retry: { safeOperations: ['GetEMailAccount'], baseDelayMs: 1 }, hooks: { onAttempt: (e) => attempts.push(e) } });
    assert.ok(await so.email.getEMailAccount({ EMailAccountId: 1 }));
    assert.deepEqual(attempts.map((a) => a.willRetry), [true, false], 'the attempt the ticket function failed is retried, and the next succeeds');
  });
});
