// systemUserTicket against the fake Online: the exchange over SOAP (the generated
// PartnerSystemUserService client against the mock generated from the same WSDL) and over REST,
// the signature checked by the fake with node:crypto and by openssl, the JWT checked against the
// fake's JWKS, and every hostile answer refused.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { systemUserTicket, SystemUserSignInError } from '../../templates/runtime/system-user.js';
import { JwtError, SERIAL_CLAIM, TICKET_CLAIM } from '../../templates/runtime/online-jwt.js';
import { startFakeOnline, type FakeOnline } from '../support/fake-online.js';
import { OnlineError } from '../../templates/runtime/errors.js';
import { KeyFormatError, type RsaKeyInput } from '../../templates/runtime/online-keys.js';
import { makeKeyPair, opensslVerifies, signJwt, signJwtHs256, unsignedJwt } from '../support/online-test-keys.js';

let fake: FakeOnline;
let defaultMint: FakeOnline['mintJwt'];
before(async () => {
  fake = await startFakeOnline();
  defaultMint = fake.mintJwt;
});
after(() => fake.close());
beforeEach(() => {
  fake.mintJwt = defaultMint;
  fake.restRefusalStatus = 200;
});

const context = () => ({ environment: fake.origin, tenant: 'Cust12345', applicationToken: fake.applicationToken, fetch });

describe('system user sign-in', () => {
  for (const exchange of ['soap', 'rest'] as const) {
    test(`over ${exchange.toUpperCase()}: signs, exchanges, verifies the JWT against the JWKS, returns the ticket claim`, async () => {
      const before = { ...fake.counts };
      const provider = systemUserTicket({ systemUserToken: fake.systemUserToken, privateKey: fake.appKey.rsaXml, exchange });
      const ticket = await provider.ticket(context());
      assert.ok(fake.tickets.has(ticket), 'a ticket the fake issued');
      assert.equal(fake.counts[exchange === 'soap' ? 'soapSignIns' : 'restSignIns'], before[exchange === 'soap' ? 'soapSignIns' : 'restSignIns'] + 1);
      const signed = fake.signedTokens.at(-1)!;
      const cut = signed.lastIndexOf('.');
      assert.ok(opensslVerifies(fake.appKey.spkiPem, signed.slice(0, cut), signed.slice(cut + 1)), 'openssl dgst -sha256 -verify accepts the signed token');
      assert.equal(await provider.ticket(context()), ticket, 'cached: no second exchange');
      assert.equal(fake.counts[exchange === 'soap' ? 'soapSignIns' : 'restSignIns'], before[exchange === 'soap' ? 'soapSignIns' : 'restSignIns'] + 1);
    });
  }

  test('the SOAP exchange carries ApplicationToken and ContextIdentifier as SOAP headers (as documented)', async () => {
    const provider = systemUserTicket({ systemUserToken: fake.systemUserToken, privateKey: fake.appKey.pkcs1Pem });
    await provider.ticket(context());
    // The fake's exchange() refuses an unknown application token or tenant, so a ticket means both arrived.
    assert.equal(fake.counts.soapSignIns > 0, true);
  });

  test('IsSuccessful false becomes SystemUserSignInError with ErrorMessage (a key the fake does not know)', async () => {
    const provider = systemUserTicket({ systemUserToken: fake.systemUserToken, privateKey: makeKeyPair().pkcs8Pem });
    await assert.rejects(provider.ticket(context()), (e: unknown) => e instanceof SystemUserSignInError && e.errorMessage === 'InvalidSignature');
    const wrongToken = systemUserTicket({ systemUserToken: 'Other App-x', privateKey: fake.appKey.pkcs8Pem, exchange: 'rest' });
    await assert.rejects(wrongToken.ticket(context()), (e: unknown) => e instanceof SystemUserSignInError && e.errorMessage === 'Revoked');
  });

  const other = makeKeyPair();
  const claims = (ticket: string, exp = Math.floor(Date.now() / 1000) + 3600) => ({ [TICKET_CLAIM]: ticket, [SERIAL_CLAIM]: '1234', iss: 'SuperOffice AS', aud: 'spn:1234', exp });
  // best-practices.md: "Do not invoke the system user flow before each and every call". A revoked
  // token signed in again for every call: one exchange (and signing) per API call, all refused alike.
  test('a refusal is remembered for 60 s: the calls in that time get the same refusal without signing in; the first after it signs in again', async () => {
    let offset = 0;
    for (const exchange of ['soap', 'rest'] as const) {
      const counter = exchange === 'soap' ? 'soapSignIns' : 'restSignIns';
      const provider = systemUserTicket({ systemUserToken: 'Other App-x', privateKey: fake.appKey.pkcs8Pem, exchange, now: () => Date.now() + offset });
      const before = fake.counts[counter];
      const errors: unknown[] = [];
      for (let i = 0; i < 3; i++) await provider.ticket(context()).catch((e: unknown) => errors.push(e));
      assert.ok(errors.length === 3 && errors.every((e) => e instanceof SystemUserSignInError && e.errorMessage === 'Revoked'));
      // The one refusal, as it was made: a call rejects with its own copy of it (call.ts ownError, r20a),
      // which its redaction and its caller change (test/runtime/online-errors.test.ts).
      assert.ok(errors[1] === errors[0] && errors[2] === errors[0], 'the refusal remembered');
      assert.equal(fake.counts[counter] - before, 1, 'one exchange for three calls');
      offset += 59_000;
      await assert.rejects(provider.ticket(context()), SystemUserSignInError);
      assert.equal(fake.counts[counter] - before, 1, 'still remembered after 59 s');
      offset += 1_000;
      await assert.rejects(provider.ticket(context()), (e: unknown) => e instanceof SystemUserSignInError && e !== errors[0]);
      assert.equal(fake.counts[counter] - before, 2, 'signed in again after 60 s');
      // Another tenant or application token is not answered with this refusal.
      await assert.rejects(provider.ticket({ ...context(), applicationToken: 'another-app-token' }), /Unknown application token/);
      assert.equal(fake.counts[counter] - before, 3);
    }
  });

  test('a token that does not verify (JwtError) is remembered too; a failure to reach the login host is not', async () => {
    fake.mintJwt = (_t, ticket) => signJwt({ alg: 'RS256', kid: 'test-key' }, claims(ticket, Math.floor(Date.now() / 1000) - 600), fake.issuerKey.privateKey);
    const provider = systemUserTicket({ systemUserToken: fake.systemUserToken, privateKey: fake.appKey.pkcs8Pem });
    const before = fake.counts.soapSignIns;
    await assert.rejects(provider.ticket(context()), /expired/);
    await assert.rejects(provider.ticket(context()), /expired/);
    assert.equal(fake.counts.soapSignIns - before, 1);
    let sent = 0;
    const down = (async () => (sent++, Promise.reject(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } })))) as unknown as typeof fetch;
    // (publicKey: the exchange is what fails; a failed key fetch is remembered 30 s, signin-failures.test.ts.)
    const unreachable = systemUserTicket({ systemUserToken: fake.systemUserToken, privateKey: fake.appKey.pkcs8Pem, publicKey: fake.issuerKey.spkiPem });
    await assert.rejects(unreachable.ticket({ ...context(), fetch: down }), /ECONNREFUSED/);
    await assert.rejects(unreachable.ticket({ ...context(), fetch: down }), /ECONNREFUSED/);
    assert.equal(sent, 2, 'a network failure is tried again by the next call');
  });

  const hostile: [string, (tenant: string, ticket: string) => string, RegExp][] = [
    ['a JWT signed by another key', (_t, ticket) => signJwt({ alg: 'RS256', kid: 'test-key' }, claims(ticket), other.privateKey), /does not verify/],
    ['an expired JWT', (_t, ticket) => signJwt({ alg: 'RS256', kid: 'test-key' }, claims(ticket, Math.floor(Date.now() / 1000) - 600), fake.issuerKey.privateKey), /expired/],
    ['alg none', (_t, ticket) => unsignedJwt(claims(ticket)), /"none" is refused/],
    ['HS256 with the public key as secret', (_t, ticket) => signJwtHs256({ kid: 'test-key' }, claims(ticket), fake.issuerKey.spkiPem), /"HS256" is refused/],
    ['a kid the JWKS does not have', (_t, ticket) => signJwt({ alg: 'RS256', kid: 'rotated-away' }, claims(ticket), fake.issuerKey.privateKey), /no trusted key matches/],
    ['a JWT for another tenant', (_t, ticket) => signJwt({ alg: 'RS256', kid: 'test-key' }, { ...claims(ticket), 'http://schemes.superoffice.net/identity/ctx': 'Cust999' }, fake.issuerKey.privateKey), /for tenant "Cust999"/],
    ['an OpenID id_token signed by the same key (iss https://…, aud the application ID)', (_t, ticket) => signJwt({ alg: 'RS256', kid: 'test-key' }, { ...claims(ticket), iss: fake.origin, aud: '6cf25376616343b38d14ddcd804f2891' }, fake.issuerKey.privateKey), /issuer ".*" is not "SuperOffice AS"/],
    ['a JWT without iss', (_t, ticket) => signJwt({ alg: 'RS256', kid: 'test-key' }, { [TICKET_CLAIM]: ticket, [SERIAL_CLAIM]: '1234', aud: 'spn:1234', exp: Math.floor(Date.now() / 1000) + 3600 }, fake.issuerKey.privateKey), /issuer null is not/],
    ['a JWT for another audience', (_t, ticket) => signJwt({ alg: 'RS256', kid: 'test-key' }, { ...claims(ticket), aud: 'someone-else' }, fake.issuerKey.privateKey), /audience "someone-else" is not "spn:\{serial\}"/],
  ];
  for (const [name, mint, why] of hostile) {
    test(`refused: ${name}; no ticket is handed out`, async () => {
      fake.mintJwt = mint;
      const provider = systemUserTicket({ systemUserToken: fake.systemUserToken, privateKey: fake.appKey.pkcs8Pem });
      await assert.rejects(provider.ticket(context()), (e: unknown) => e instanceof JwtError && why.test(e.message) && !e.message.includes('7T:'));
    });
  }

  test('with publicKey given, the JWKS is not fetched', async () => {
    const before = fake.counts.jwks;
    const provider = systemUserTicket({ systemUserToken: fake.systemUserToken, privateKey: fake.appKey.pkcs8Pem, publicKey: fake.issuerKey.spkiPem });
    assert.ok(fake.tickets.has(await provider.ticket(context())));
    assert.equal(fake.counts.jwks, before);
  });

  // A code alone ("InvalidSignature") does not say what to check: the message adds what
  // troubleshooting.md says of it; a code it does not list, or one that names an Object member, stays bare.
  test("a refusal's message says what troubleshooting.md's code means and what to check", () => {
    assert.equal(new SystemUserSignInError('InvalidSignature').message, "system user sign-in refused: InvalidSignature: the signature is invalid: check that privateKey is the application's key");
    assert.equal(new SystemUserSignInError('Revoked', 400).message, "system user sign-in refused: Revoked: the application's access to the tenant has been revoked (HTTP 400)");
    for (const code of ['Expired', 'Denied', 'NeedsReapproval', 'InvalidTimestamp']) assert.match(new SystemUserSignInError(code).message, new RegExp(`^system user sign-in refused: ${code}: \\S`));
    for (const code of ['SomethingNew', 'constructor', '__proto__', '']) assert.doesNotMatch(new SystemUserSignInError(code).message, /refused: .*: /);
  });

  // troubleshooting.md's codes (Revoked, InvalidTimestamp, InvalidSignature ...) are what a user
  // needs; a REST refusal with an error status lost them: "system user sign-in failed (...): HTTP 400".
  test('a REST refusal with an error status (400 {"IsSuccessful":false,"ErrorMessage":…}) is a SystemUserSignInError with the status', async () => {
    fake.restRefusalStatus = 400;
    const skewed = systemUserTicket({ systemUserToken: fake.systemUserToken, privateKey: fake.appKey.pkcs8Pem, exchange: 'rest', now: () => Date.now() - 10 * 60_000 });
    await assert.rejects(skewed.ticket(context()), (e: unknown) => {
      assert.ok(e instanceof SystemUserSignInError, String(e));
      assert.equal(e.errorMessage, 'InvalidTimestamp');
      assert.equal(e.httpStatus, 400);
      assert.equal(e.message, "system user sign-in refused: InvalidTimestamp: the signed token's timestamp is invalid: check this machine's clock (HTTP 400)");
      return true;
    });
    const answering = (status: number, body: string) => (async () => new Response(body, { status, headers: { 'content-type': 'application/json' } })) as unknown as typeof fetch;
    const provider = () => systemUserTicket({ systemUserToken: fake.systemUserToken, privateKey: fake.appKey.pkcs8Pem, publicKey: fake.issuerKey.spkiPem, exchange: 'rest' });
    // An ErrorMessage alone counts too; a secret quoted in it is removed.
    await assert.rejects(
      provider().ticket({ ...context(), fetch: answering(401, JSON.stringify({ ErrorMessage: `Revoked for ${fake.applicationToken}` })) }),
      (e: unknown) => e instanceof SystemUserSignInError && e.httpStatus === 401 && e.errorMessage === 'Revoked for ***' && !e.message.includes(fake.applicationToken),
    );
    // Anything else is the status alone: an error page, a JSON object that is no refusal, a body over 16 KiB.
    for (const body of ['<html>Bad gateway</html>', JSON.stringify({ Message: 'An error has occurred.' }), JSON.stringify({ IsSuccessful: false, ErrorMessage: 'x'.repeat(20_000) })]) {
      await assert.rejects(
        provider().ticket({ ...context(), fetch: answering(502, body) }),
        (e: unknown) => e instanceof OnlineError && !(e instanceof SystemUserSignInError) && /^system user sign-in failed \(.*\): HTTP 502$/.test(e.message),
      );
    }
    // With 200, IsSuccessful false is the same error, with no status.
    fake.restRefusalStatus = 200;
    const skewedAgain = systemUserTicket({ systemUserToken: fake.systemUserToken, privateKey: fake.appKey.pkcs8Pem, exchange: 'rest', now: () => Date.now() - 10 * 60_000 });
    await assert.rejects(skewedAgain.ticket(context()), (e: unknown) => e instanceof SystemUserSignInError && e.errorMessage === 'InvalidTimestamp' && e.httpStatus === undefined);
  });

  test('a REST answer that is null, an array or has a non-string ErrorMessage is a clear error, not a TypeError', async () => {
    const answering = (body: unknown) => (async () => Response.json(body)) as unknown as typeof fetch;
    const provider = () => systemUserTicket({ systemUserToken: fake.systemUserToken, privateKey: fake.appKey.pkcs8Pem, publicKey: fake.issuerKey.spkiPem, exchange: 'rest' });
    for (const body of [null, []]) {
      await assert.rejects(provider().ticket({ ...context(), fetch: answering(body) }), (e: unknown) => e instanceof OnlineError && /system user sign-in \(.*\) is not a JSON object/.test(e.message));
    }
    await assert.rejects(
      provider().ticket({ ...context(), fetch: answering({ IsSuccessful: false, ErrorMessage: { x: 1 } }) }),
      (e: unknown) => e instanceof SystemUserSignInError && e.errorMessage === '',
    );
  });

  // A bad key was reported only at the first call (and again at each), never when the provider was
  // made at startup; and KeyFormatError was no OnlineError, unlike every other sign-in failure.
  test('a key that cannot be read fails when systemUserTicket() is made: a KeyFormatError, an OnlineError, never quoting the key', () => {
    const oneLine = fake.appKey.pkcs8Pem.trim().split('\n').join('\\n');
    const bad: [string, RsaKeyInput, RegExp][] = [
      ['a PEM on one line (literal \\n)', oneLine, /is all on one line/],
      ['a file name', 'private-key.xml', /not its file name$/],
      ['a public key', fake.appKey.spkiPem, /got PEM "PUBLIC KEY"/],
      ['RSA XML without the private parts', fake.appKey.rsaXmlPublic, /public key was given/],
      ['RSA XML of another shape', '<RSAKey><Modulus>AQAB</Modulus></RSAKey>', /must be one <RSAKeyValue> element/],
      ['a JWK without d', { kty: 'RSA', n: fake.appKey.jwk.n, e: fake.appKey.jwk.e }, /JWK without "d"/],
    ];
    for (const [what, privateKey, message] of bad) {
      assert.throws(
        () => systemUserTicket({ systemUserToken: fake.systemUserToken, privateKey }),
        (e: unknown) => e instanceof KeyFormatError && e instanceof OnlineError && message.test(e.message) && !e.message.includes('MII') && !e.message.includes(fake.appKey.jwk.n.slice(0, 20)),
        what,
      );
    }
    assert.throws(() => systemUserTicket({ systemUserToken: fake.systemUserToken, privateKey: fake.appKey.pkcs8Pem, publicKey: 'issuer.pem' }), (e: unknown) => e instanceof KeyFormatError && /not its file name$/.test(e.message));
    // Every form that reads is accepted when made (WebCrypto imports it at the first sign-in).
    for (const privateKey of [fake.appKey.pkcs8Pem, fake.appKey.pkcs1Pem, fake.appKey.rsaXml]) {
      assert.doesNotThrow(() => systemUserTicket({ systemUserToken: fake.systemUserToken, privateKey, publicKey: fake.issuerKey.spkiPem }));
    }
  });

  test('missing session options are named', async () => {
    const provider = systemUserTicket({ systemUserToken: fake.systemUserToken, privateKey: fake.appKey.pkcs8Pem });
    const optionError = (message: string) => (e: unknown) => e instanceof TypeError && e.name === 'TicketOptionError' && e.message === message;
    await assert.rejects(provider.ticket({ fetch }), optionError('systemUserTicket needs the session options environment, tenant, applicationToken (missing or empty)'));
    // README's example reads the token as process.env['SO_CLIENT_SECRET'] ?? '': unset, it is '', refused before anything is sent.
    let sent = 0;
    const counting = (async () => (sent++, Response.json({}))) as unknown as typeof fetch;
    await assert.rejects(provider.ticket({ ...context(), applicationToken: '', fetch: counting }), optionError('systemUserTicket needs the session option applicationToken (missing or empty)'));
    assert.equal(sent, 0);
    assert.throws(() => systemUserTicket({ systemUserToken: '', privateKey: 'x' }), /systemUserToken is required/);
  });
});
