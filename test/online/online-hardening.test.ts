// What a demanding SuperOffice Online integration meets beyond the happy path, each against the
// documentation it follows: time options that would switch a check off, the system user token's
// audience (spn:{serial}), the size and time limits of the Online answers (state, metadata, keys,
// the REST exchange), an https login host sending the ticket to plain http, the hosts and URLs a
// state answer's Endpoint may name, and a login host that is down while the ticket is still valid.
// Real HTTP on 127.0.0.1 (the fake Online, or a server of the test's own); a stub fetch where no
// request may be made at all, or standing in for SuperOffice's hosts (sod) by loopback servers.
import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import v8 from 'node:v8';
import vm from 'node:vm';
import { systemUserTicket } from '../../templates/runtime/system-user.js';
import type { RsaJwk } from '../../templates/runtime/online-keys.js';
import { CONTEXT_CLAIM, JwtError, SERIAL_CLAIM, TICKET_CLAIM } from '../../templates/runtime/online-jwt.js';
import { OnlineError, TransportError } from '../../templates/runtime/errors.js';
import { TenantResolver } from '../../templates/runtime/tenant.js';
import { renewingTicket } from '../../templates/runtime/ticket-source.js';
import { startFakeOnline, type FakeOnline } from '../support/fake-online.js';
import { makeKeyPair, signJwt } from '../support/online-test-keys.js';
import { EMailAgent, EMailOperations } from '../../generated/EMail/index.js';
import { OnlineError as GeneratedOnlineError } from '../../generated/runtime/errors.js';


describe('Online sign-in: time options, audience', () => {
  let fake: FakeOnline;
  let defaultMint: FakeOnline['mintJwt'];
  before(async () => {
    fake = await startFakeOnline();
    defaultMint = fake.mintJwt;
  });
  after(() => fake.close());
  beforeEach(() => {
    fake.mintJwt = defaultMint;
  });
  const context = () => ({ environment: fake.origin, tenant: 'Cust12345', applicationToken: fake.applicationToken, fetch });
  const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

  // NaN in `now - skew >= exp` is false: the expiry check was off, and an expired JWT gave a ticket.
  // A NaN sliding window never ends: the ticket was never renewed. As timeoutMs and maxResponseBytes
  // of an agent (SECURITY.md), they are refused when the provider is made.
  test('a time option that is NaN, Infinity or negative is a TypeError naming it, before anything is sent', () => {
    const bad: [string, number][] = [
      ['clockSkewMs', NaN],
      ['clockSkewMs', Infinity],
      ['clockSkewMs', -1],
      ['timeoutMs', NaN],
      ['slidingWindowMs', NaN],
      ['renewBeforeMs', -5],
    ];
    for (const [name, value] of bad) {
      const expected = (e: unknown) => e instanceof TypeError && e.message.startsWith(`${name} must be a finite number of at least 0`);
      assert.throws(() => systemUserTicket({ systemUserToken: fake.systemUserToken, privateKey: fake.appKey.pkcs8Pem, [name]: value }), expected, `${name} ${value}`);
      if (name === 'slidingWindowMs' || name === 'renewBeforeMs') assert.throws(() => renewingTicket(async () => 't', { [name]: value }), expected);
    }
  });

  test('with the default clock skew an expired JWT still gives no ticket (the check the NaN skew switched off)', async () => {
    fake.mintJwt = (tenant, ticket) =>
      signJwt({ alg: 'RS256', kid: 'test-key' }, { [TICKET_CLAIM]: ticket, [CONTEXT_CLAIM]: tenant, iss: 'SuperOffice AS', aud: 'spn:1234', [SERIAL_CLAIM]: '1234', exp: Math.floor(Date.now() / 1000) - 3600 }, fake.issuerKey.privateKey);
    const provider = systemUserTicket({ systemUserToken: fake.systemUserToken, privateKey: fake.appKey.pkcs8Pem });
    await assert.rejects(provider.ticket(context()), (e: unknown) => e instanceof JwtError && /expired/.test(e.message));
  });

  // validate-security-tokens.md, "Validation parameters": System User -- issuer SuperOffice AS,
  // audience spn:{serial claim value}; Connectors and Database Mirroring -- the same issuer,
  // audience spn:{Application ID}. Only the first is a system user's answer.
  const minting = (claims: Record<string, unknown>) => (tenant: string, ticket: string) =>
    signJwt({ alg: 'RS256', kid: 'test-key' }, { [TICKET_CLAIM]: ticket, [CONTEXT_CLAIM]: tenant, iss: 'SuperOffice AS', exp: inAnHour(), ...claims }, fake.issuerKey.privateKey);
  const refusedAudiences: [string, Record<string, unknown>, RegExp][] = [
    ['spn:{Application ID} (a connector or mirroring token)', { aud: 'spn:6cf25376616343b38d14ddcd804f2891', [SERIAL_CLAIM]: '1234' }, /audience "spn:6cf25376616343b38d14ddcd804f2891" is not "spn:\{serial\}" \(serial "1234"\)/],
    ['spn: with another serial', { aud: 'spn:1235', [SERIAL_CLAIM]: '1234' }, /audience "spn:1235" is not "spn:\{serial\}"/],
    ['an spn: audience without a serial claim to compare it with', { aud: 'spn:1234' }, /audience "spn:1234" is not "spn:\{serial\}" \(serial null\)/],
    ['a list of audiences without spn:{serial}', { aud: ['spn:6cf25376616343b38d14ddcd804f2891', 'spn:12345'], [SERIAL_CLAIM]: '1234' }, /audience \["spn:6cf25376616343b38d14ddcd804f2891","spn:12345"\] is not "spn:\{serial\}"/],
  ];
  for (const [name, claims, why] of refusedAudiences) {
    test(`refused: a JWT whose audience is ${name}`, async () => {
      fake.mintJwt = minting(claims);
      const provider = systemUserTicket({ systemUserToken: fake.systemUserToken, privateKey: fake.appKey.pkcs8Pem });
      await assert.rejects(provider.ticket(context()), (e: unknown) => e instanceof JwtError && why.test(e.message));
    });
  }

  // SECURITY.md: the private key is imported once into a non-extractable CryptoKey, and the text
  // (or JWK) you passed is not kept by the runtime. A JWK object can be watched with a WeakRef: once
  // the first sign-in has imported it, nothing of the provider may hold it (nor the options object).
  test('the private key passed is not kept once imported: collectable while the provider lives on', async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    let keyRef = new WeakRef<object>({});
    let optionsRef = new WeakRef<object>({});
    const provider = await (async () => {
      const jwk = createPrivateKey(fake.appKey.pkcs8Pem).export({ format: 'jwk' }) as RsaJwk;
      const options = { systemUserToken: fake.systemUserToken, privateKey: jwk };
      keyRef = new WeakRef(jwk);
      optionsRef = new WeakRef(options);
      const made = systemUserTicket(options);
      assert.ok(fake.tickets.has(await made.ticket(context())));
      return made;
    })();
    for (let i = 0; i < 10 && (keyRef.deref() !== undefined || optionsRef.deref() !== undefined); i++) {
      await new Promise((resolve) => setImmediate(resolve));
      gc();
    }
    assert.equal(keyRef.deref(), undefined, 'the JWK passed as privateKey is still referenced after its import');
    assert.equal(optionsRef.deref(), undefined, 'the options object (holding the key) is still referenced');
    const first = await provider.ticket(context());
    provider.refused(first); // the next ticket() signs in again
    const second = await provider.ticket(context());
    assert.ok(fake.tickets.has(second) && second !== first, 'the provider still signs in, with the imported key');
  });

  test('accepted: audience spn:{serial}, the serial as a string or a number, alone or in a list of audiences (RFC 7519)', async () => {
    for (const [serial, aud] of [['1801550193', 'spn:1801550193'], [1801550193, 'spn:1801550193'], ['1801550193', ['urn:other', 'spn:1801550193']]] as const) {
      fake.mintJwt = minting({ aud, [SERIAL_CLAIM]: serial });
      const provider = systemUserTicket({ systemUserToken: fake.systemUserToken, privateKey: fake.appKey.pkcs8Pem });
      assert.ok(fake.tickets.has(await provider.ticket(context())));
    }
  });
});

describe('Online answers: size and time limits', () => {
  let server: http.Server;
  let origin: string;
  /** How the server answers a path: a body of `bytes` bytes, or headers and then nothing. */
  const behaviour = new Map<string, { bytes?: number; stall?: boolean; contentLength?: boolean }>();
  /** The bytes of body the last answer had sent when its connection closed (the client stopped reading). */
  let sentWhenClosed: Promise<number> = Promise.resolve(0);
  /** The client read at most a few MiB of a 64 MiB answer: what the socket buffers hold, not the body. */
  const assertNotReadWhole = async (): Promise<void> => {
    const closed = await Promise.race([sentWhenClosed, new Promise<string>((r) => setTimeout(() => r('the connection was not closed'), 5_000))]);
    assert.ok(typeof closed === 'number' && closed < 24 * 1024 * 1024, `refused at the limit, not after reading 64 MiB: ${closed}`);
  };
  before(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      const b = behaviour.get((req.url ?? '').split('?')[0]!) ?? {};
      const head = '{"ContextIdentifier":"Cust1","pad":"';
      const total = b.bytes ?? 0;
      res.writeHead(200, { 'content-type': 'application/json', ...(b.contentLength ? { 'content-length': String(total) } : {}) });
      if (b.stall) return void res.write(head); // the rest never comes
      // Streamed in 64 KiB pieces, as long as the client reads.
      let sent = 0;
      res.write(head);
      sent += head.length;
      const pump = (): void => {
        while (sent < total - 2) {
          const n = Math.min(65_536, total - 2 - sent);
          sent += n;
          if (!res.write(Buffer.alloc(n, 'x'))) return void res.once('drain', pump);
        }
        res.end('"}');
      };
      sentWhenClosed = new Promise((closed) =>
        res.on('close', () => {
          closed(sent);
          sent = total; // stop pumping
        }),
      );
      pump();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))));

  // A state answer, the metadata, a key set or the exchange's token is a few KB: a larger one is
  // refused while it streams, as maxResponseBytes refuses a large response of an agent.
  for (const contentLength of [false, true]) {
    test(`a state answer over 1 MiB is refused (${contentLength ? 'from its Content-Length' : 'while streaming'}), not read whole`, async () => {
      behaviour.set('/api/state/Cust1', { bytes: 64 * 1024 * 1024, contentLength });
      const resolver = new TenantResolver({ environment: origin, tenant: 'Cust1', fetch, timeoutMs: 20_000 });
      await assert.rejects(resolver.endpoint(), (e: unknown) => e instanceof OnlineError && /the state of tenant Cust1 \(.*\) is larger than 1048576 bytes/.test(e.message));
      await assertNotReadWhole();
    });
  }

  // The default exchange goes over SOAP, through the generated PartnerSystemUserService agent: its
  // answer is as small as the REST one's and is held to the same 1 MiB (SECURITY.md), not to an
  // agent's default maxResponseBytes of 64 MiB.
  for (const contentLength of [false, true]) {
    test(`a SOAP exchange answer over 1 MiB is refused (${contentLength ? 'from its Content-Length' : 'while streaming'}), not read whole`, async () => {
      behaviour.set('/login/services/PartnerSystemUserService.svc', { bytes: 64 * 1024 * 1024, contentLength });
      const provider = systemUserTicket({ systemUserToken: 'Test App-x', privateKey: makeKeyPair().pkcs8Pem, publicKey: makeKeyPair().spkiPem, timeoutMs: 20_000 }); // (publicKey: no JWKS to load before the exchange)
      await assert.rejects(provider.ticket({ environment: origin, tenant: 'Cust1', applicationToken: 'app-token-0123456789', fetch }), (e: unknown) => {
        assert.ok(e instanceof OnlineError && e.cause instanceof TransportError && e.cause.reason === 'too-large', `too-large, not ${String(e)}`);
        assert.match(e.message, /^system user sign-in failed \(.*\/login\/services\/PartnerSystemUserService\.svc\): .*larger than the limit of 1048576 bytes/);
        return true;
      });
      await assertNotReadWhole();
    });
  }

  // The options allow any finite number >= 0; AbortSignal.timeout takes only whole milliseconds up
  // to 2^32 - 1, and its timer fires after 1 ms past 2^31 - 1: 0.1 * 3 * 1000 (300.00000000000006)
  // or 2^32 made every state request fail, 2^31 each one slower than 1 ms.
  test('a time limit that is not a whole number of ms, or longer than a timer can wait, still works (a stub fetch answering after 30 ms unless aborted)', async () => {
    const stub = (async (_url: string, init: RequestInit) => {
      await new Promise((resolve, reject) => {
        const timer = setTimeout(resolve, 30);
        init.signal!.addEventListener('abort', () => (clearTimeout(timer), reject(init.signal!.reason)));
      });
      return Response.json({ ContextIdentifier: 'Cust1', Endpoint: 'http://127.0.0.1:10/Cust1', State: 'Running', IsRunning: true, ValidUntil: new Date(Date.now() + 60_000).toISOString() });
    }) as unknown as typeof fetch;
    for (const timeoutMs of [0.1 * 3 * 1000, 2 ** 31, 2 ** 32, 1e12]) {
      assert.equal(await new TenantResolver({ environment: 'http://127.0.0.1:9', tenant: 'Cust1', fetch: stub, timeoutMs }).endpoint(), 'http://127.0.0.1:10/Cust1', `timeoutMs ${timeoutMs}`);
    }
  });

  test('an answer whose body stops after the headers ends with the timeout as an OnlineError (GET and the REST exchange)', async () => {
    behaviour.set('/api/state/Cust1', { stall: true });
    await assert.rejects(new TenantResolver({ environment: origin, tenant: 'Cust1', fetch, timeoutMs: 200 }).endpoint(), (e: unknown) => e instanceof OnlineError && /the state of tenant Cust1 failed \(.*\): no answer within 200 ms/.test(e.message));
    behaviour.set('/Login/api/PartnerSystemUser/Authenticate', { stall: true });
    const provider = systemUserTicket({ systemUserToken: 'Test App-x', privateKey: makeKeyPair().pkcs8Pem, publicKey: makeKeyPair().spkiPem, exchange: 'rest', timeoutMs: 200 });
    await assert.rejects(provider.ticket({ environment: origin, tenant: 'Cust1', applicationToken: 'app-token-0123456789', fetch }), (e: unknown) => {
      assert.ok(e instanceof OnlineError, `an OnlineError, not ${String(e)}`);
      assert.match(e.message, /system user sign-in failed \(.*\): no answer within 200 ms/);
      assert.equal(e.cause, undefined, 'the POST carried the signed token: no foreign cause');
      return true;
    });
  });
});

describe('Online tenant routing: no downgrade to http', () => {
  const stateAnswer = (endpoint: string) =>
    (async () => Response.json({ ContextIdentifier: 'Cust1', Endpoint: endpoint, State: 'Running', IsRunning: true, ValidUntil: new Date(Date.now() + 60_000).toISOString() })) as unknown as typeof fetch;
  // best-practices.md, Security: "deny network traffic over un-secure connections". A login host
  // the user reached over https must not send the ticket and application token over http.
  test('an https login host whose state answer names an http Endpoint is refused (no request is made: a stub fetch)', async () => {
    await assert.rejects(
      new TenantResolver({ environment: 'https://login.example.test', tenant: 'Cust1', fetch: stateAnswer('http://tenant.example.test/Cust1') }).endpoint(),
      (e: unknown) => e instanceof OnlineError && /Endpoint http:\/\/tenant\.example\.test is not https, as the environment is/.test(e.message),
    );
    assert.equal(await new TenantResolver({ environment: 'https://login.example.test', tenant: 'Cust1', fetch: stateAnswer('https://tenant.example.test/Cust1') }).endpoint(), 'https://tenant.example.test/Cust1');
    assert.equal(await new TenantResolver({ environment: 'http://127.0.0.1:9', tenant: 'Cust1', fetch: stateAnswer('http://127.0.0.1:10/Cust1') }).endpoint(), 'http://127.0.0.1:10/Cust1', 'an http login host (a test) may name http');
  });
});

// review r20t #1, #2: which Endpoints a state answer may name was tested with an obviously foreign
// host only: a host that merely contains "superoffice.com", or an Endpoint with a query or a
// fragment (the service path would land in them), went through no test. Each case here is a call
// of an agent routed by tenant, as an application makes it.
describe('Online tenant routing: the Endpoint a state answer may name', () => {
  const TICKET = '7T:ZW5kcG9pbnQtdGVzdC10aWNrZXQ=';
  const TOKEN = 'endpoint-test-app-token';
  let loginHost: http.Server;
  let tenantHost: http.Server;
  let loginOrigin: string;
  let tenantOrigin: string;
  /** The Endpoint the login host's state answer names (for the tenant asked). */
  let endpointAnswer = '';
  /** What the tenant host received: method, path and query as sent, and the ticket in the envelope. */
  let sent: { url: string; ticket: string | undefined }[] = [];
  before(async () => {
    loginHost = http.createServer((req, res) => {
      req.resume();
      const tenant = decodeURIComponent((req.url ?? '').replace('/api/state/', ''));
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ ContextIdentifier: tenant, Endpoint: endpointAnswer, State: 'Running', IsRunning: true, ValidUntil: new Date(Date.now() + 60_000).toISOString() }));
    });
    tenantHost = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        sent.push({ url: `${req.method} ${req.url}`, ticket: /<(?:\w+:)?Ticket(?:\s[^>]*)?>([^<]*)</.exec(Buffer.concat(chunks).toString('utf8'))?.[1] });
        res.setHeader('content-type', 'text/xml; charset=utf-8');
        res.end(EMailOperations.GetEMailAccount.encodeResponse({ Response: { EMailAccountId: 7 } }, { Succeeded: true }));
      });
    });
    for (const server of [loginHost, tenantHost]) await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    loginOrigin = `http://127.0.0.1:${(loginHost.address() as AddressInfo).port}`;
    tenantOrigin = `http://127.0.0.1:${(tenantHost.address() as AddressInfo).port}`;
  });
  after(() => Promise.all([loginHost, tenantHost].map((s) => new Promise<void>((r) => (s.closeAllConnections(), s.close(() => r()))))));
  beforeEach(() => {
    sent = [];
  });

  /**
   * The fetch of an agent in the named environment 'sod', nothing leaving 127.0.0.1: the login host
   * (https://sod.superoffice.com) and the tenant host https://sod3.superoffice.com are the two
   * loopback servers above, reached by the same path; every URL asked is recorded in `asked`, and
   * any other origin is refused here, never sent.
   */
  const sodFetch = (asked: string[]): typeof fetch =>
    (async (input: string | URL | Request, init?: RequestInit) => {
      const url = new URL(input instanceof Request ? input.url : input);
      asked.push(url.href);
      const stand = url.origin === 'https://sod.superoffice.com' ? loginOrigin : url.origin === 'https://sod3.superoffice.com' ? tenantOrigin : undefined;
      if (stand === undefined) throw new TypeError(`not sent: ${url.origin} is no host of this test`);
      return fetch(`${stand}${url.pathname}${url.search}`, init);
    }) as typeof fetch;
  const stateUrl = 'https://sod.superoffice.com/api/state/Cust7';

  test('environment sod: an Endpoint not on https://*.superoffice.com (a look-alike host, plain http) is refused, nothing sent; the genuine host is called', async () => {
    for (const endpoint of ['https://sod3.superoffice.com.evil.example/Cust7', 'https://evilsuperoffice.com/Cust7', 'http://sod3.superoffice.com/Cust7']) {
      endpointAnswer = endpoint;
      const asked: string[] = [];
      const email = new EMailAgent({ environment: 'sod', tenant: 'Cust7', ticket: TICKET, applicationToken: TOKEN, fetch: sodFetch(asked) });
      await assert.rejects(email.getEMailAccount({ EMailAccountId: 7 }), (e: unknown) => {
        assert.ok(e instanceof GeneratedOnlineError, `${endpoint}: ${String(e)}`);
        assert.equal(e.message, `the state answer for tenant Cust7 is refused: Endpoint ${new URL(endpoint).origin} is not an https://*.superoffice.com host`);
        return true;
      });
      assert.deepEqual(asked, [stateUrl], `${endpoint}: only the state was asked`);
    }
    assert.deepEqual(sent, []);
    // The same answer naming SuperOffice's own host is followed: the refusals above are about the host.
    endpointAnswer = 'https://sod3.superoffice.com/Cust7';
    const asked: string[] = [];
    const email = new EMailAgent({ environment: 'sod', tenant: 'Cust7', ticket: TICKET, applicationToken: TOKEN, fetch: sodFetch(asked) });
    assert.deepEqual(await email.getEMailAccount({ EMailAccountId: 7 }), { EMailAccountId: 7 });
    assert.deepEqual(asked, [stateUrl, 'https://sod3.superoffice.com/Cust7/Remote/Services86/EMail.svc']);
    assert.deepEqual(sent, [{ url: 'POST /Cust7/Remote/Services86/EMail.svc', ticket: TICKET }]);
  });

  test('an Endpoint with a query, a fragment or user info is refused and nothing reaches it; the same Endpoint without them is called', async () => {
    const password = 'S3cret-in-endpoint';
    // A bare ? or # (empty query or fragment) too: the service path appended would land in them all the same.
    for (const endpoint of [`${tenantOrigin}/Cust7?x=1`, `${tenantOrigin}/Cust7#f`, `${tenantOrigin}/Cust7?`, `${tenantOrigin}/Cust7#`, tenantOrigin.replace('//', `//bob:${password}@`) + '/Cust7']) {
      endpointAnswer = endpoint;
      const email = new EMailAgent({ environment: loginOrigin, tenant: 'Cust7', ticket: TICKET, applicationToken: TOKEN });
      await assert.rejects(email.getEMailAccount({ EMailAccountId: 7 }), (e: unknown) => {
        assert.ok(e instanceof GeneratedOnlineError, `${endpoint}: ${String(e)}`);
        assert.equal(e.message, 'the state answer for tenant Cust7 is refused: Endpoint carries credentials, a query or a fragment');
        assert.ok(!`${e.stack}${JSON.stringify(e)}`.includes(password), 'the user info is not quoted');
        return true;
      }, endpoint);
      assert.deepEqual(sent, [], `${endpoint}: nothing reached the tenant host`);
    }
    endpointAnswer = `${tenantOrigin}/Cust7`;
    const email = new EMailAgent({ environment: loginOrigin, tenant: 'Cust7', ticket: TICKET, applicationToken: TOKEN });
    assert.deepEqual(await email.getEMailAccount({ EMailAccountId: 7 }), { EMailAccountId: 7 });
    assert.deepEqual(sent, [{ url: 'POST /Cust7/Remote/Services86/EMail.svc', ticket: TICKET }]);
  });
});

describe('renewing ticket: the login host is down during the renewal margin', () => {
  const fetchStub = (() => Promise.reject(new Error('unused'))) as unknown as typeof fetch;
  // best-practices.md: sign in again "only when the current one has expired or is about to"; the
  // login host's availability "is independent of the tenant". A ticket still inside its window
  // keeps working while its early renewal fails; once the window has ended, the failure is the call's.
  test('a failed early renewal hands out the still-valid ticket; after the window the failure reaches the caller', async () => {
    let now = 0;
    let down = false;
    let signIns = 0;
    const provider = renewingTicket(
      async () => {
        signIns++;
        if (down) throw new Error('login host down');
        return `ticket-${signIns}`;
      },
      { now: () => now, slidingWindowMs: 6 * 3600_000, renewBeforeMs: 600_000 },
    );
    const ctx = { fetch: fetchStub };
    assert.equal(await provider.ticket(ctx), 'ticket-1');
    down = true;
    now += 6 * 3600_000 - 300_000; // 5 min before the window ends: renewal due
    assert.equal(await provider.ticket(ctx), 'ticket-1', 'the renewal failed; the ticket is valid for 5 more minutes');
    assert.equal(signIns, 2, 'a renewal was tried');
    now += 6 * 3600_000 - 60_000; // that use restarted the window: again inside the margin
    assert.equal(await provider.ticket(ctx), 'ticket-1');
    now += 6 * 3600_000; // not used for 6 h: expired
    await assert.rejects(provider.ticket(ctx), /login host down/);
    down = false;
    assert.equal(await provider.ticket(ctx), 'ticket-5');
  });

  // A failed background renewal is no call's error, so it showed nowhere: an application whose
  // access was revoked went on working until its ticket ended, with no trace before.
  test('onRenewalError is told of a failed background renewal, once however many calls join it; a throwing hook changes nothing', async () => {
    let now = 0;
    let down = false;
    let release: (() => void) | undefined;
    const told: unknown[] = [];
    const provider = renewingTicket(
      async () => {
        if (!down) return 'ticket-1';
        await new Promise<void>((resolve) => (release = resolve)); // the login host answers late, then refuses
        throw new Error('access revoked');
      },
      {
        now: () => now,
        onRenewalError: (error) => {
          told.push(error);
          throw new Error('a hook that fails');
        },
      },
    );
    const ctx = { fetch: fetchStub };
    assert.equal(await provider.ticket(ctx), 'ticket-1');
    down = true;
    now += 6 * 3600_000 - 60_000; // inside the renewal margin
    for (let i = 0; i < 3; i++) assert.equal(await provider.ticket(ctx), 'ticket-1', 'calls go on with the ticket while the renewal runs');
    release!();
    for (let i = 0; i < 10 && told.length === 0; i++) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(told.length, 1, 'told once for one renewal joined by three calls');
    assert.match(String(told[0]), /access revoked/);
    assert.equal(await provider.ticket(ctx), 'ticket-1', 'the ticket stays in use');
  });

  test('a refused ticket is not handed out again when its renewal fails', async () => {
    let now = 0;
    let down = false;
    const provider = renewingTicket(
      async () => {
        if (down) throw new Error('login host down');
        return 'ticket-1';
      },
      { now: () => now },
    );
    const ctx = { fetch: fetchStub };
    assert.equal(await provider.ticket(ctx), 'ticket-1');
    down = true;
    now += 6 * 3600_000 - 60_000;
    // Still good: handed out at once while its renewal runs in the background...
    assert.equal(await provider.ticket(ctx), 'ticket-1');
    provider.refused('ticket-1'); // ...when a call with it is refused
    await assert.rejects(provider.ticket(ctx), /login host down/);
    await assert.rejects(provider.ticket(ctx), /login host down/);
  });
});
