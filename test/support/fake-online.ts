// A fake SuperOffice Online on 127.0.0.1, for tests (README "Tests with the fake Online"):
//
//   login host (`origin`)   GET  /api/state/{tenant}                         tenant state (moves, maintenance)
//                           GET  /login/.well-known/openid-configuration    OpenID metadata
//                           GET  /login/.well-known/jwks                     the test issuer's key (kid test-key)
//                           POST /login/services/PartnerSystemUserService.svc  the exchange over SOAP: the mock
//                                generated from PartnerSystemUserService.wsdl (runtime/partner-system-user-service.ts)
//                           POST /Login/api/PartnerSystemUser/Authenticate   the exchange over REST
//                           any path: first a canned answer of `loginQueue` naming it (503 with Retry-After …)
//   tenant hosts (`hosts`)  POST /{tenant}/Remote/Services86/EMail.svc       the generated EMail mock; HTTP 421
//                                when the tenant is not on this host; a SoSecurityException for an unknown ticket
//
// The exchange checks the signed token as SuperOffice does: the application's public key over
// token.timestamp (node:crypto, not the runtime's code), a timestamp within 5 minutes, the
// application token and the tenant. Each accepted exchange issues a new ticket in a JWT signed
// by the issuer key; `mintJwt` can be replaced to hand out hostile tokens.
import { createVerify } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMockServer } from '../../templates/runtime/mock-server.js';
import { IPartnerSystemUserServiceOperations, type PartnerSystemUserAuthenticationResponse as AuthenticationResponse } from '../../templates/runtime/partner-system-user-service.js';
import { CONTEXT_CLAIM, SERIAL_CLAIM, TICKET_CLAIM } from '../../templates/runtime/online-jwt.js';
import { createEMailMockServer, type EMailMockServer } from '../../generated/EMail/mock.js';
import { makeKeyPair, signJwt, type TestKeyPair } from './online-test-keys.js';


export interface FakeTenant {
  /** Index into `hosts` of the host that serves the tenant now. */
  host: number;
  state: string;
  isRunning: boolean;
  /** How long a state answer is valid (ValidUntil = now + this). */
  validForMs: number;
}

export interface FakeHost {
  readonly url: string;
  requests: number;
  /** The HTTP headers of the last request. */
  lastHeaders: http.IncomingHttpHeaders | undefined;
  /** Canned answers given (and removed) before anything else: 503 with Retry-After, 500 … */
  readonly queue: { status: number; headers?: Record<string, string>; body?: string }[];
}

export interface FakeOnline {
  readonly origin: string;
  readonly hosts: readonly FakeHost[];
  readonly systemUserToken: string;
  readonly applicationToken: string;
  /** The application's key pair (its private key signs; the fake verifies with the public one). */
  readonly appKey: TestKeyPair;
  /** The issuer's key pair (signs the JWTs; published in the JWKS). */
  readonly issuerKey: TestKeyPair;
  readonly tenants: Map<string, FakeTenant>;
  /** Tickets the tenant hosts accept. */
  readonly tickets: Set<string>;
  /** Answers of the state endpoint, replaced for a tenant when set (hostile cases). */
  readonly stateOverrides: Map<string, unknown>;
  readonly email: EMailMockServer;
  /** Counters: state requests, sign-ins by kind, signed tokens seen. */
  readonly counts: { state: number; soapSignIns: number; restSignIns: number; metadata: number; jwks: number };
  readonly signedTokens: string[];
  /** The HTTP status of a refused REST exchange's answer (default 200; the login host may answer 400 with the same body). */
  restRefusalStatus: number;
  /**
   * Canned answers of the login host (503 with Retry-After …): each is given, and removed, to the first request whose
   * path it names (case-insensitive: `/login/services/PartnerSystemUserService.svc`), before anything else.
   */
  readonly loginQueue: { path: string; status: number; statusText?: string; headers?: Record<string, string>; body?: string }[];
  /** Makes the JWT for an accepted exchange (default: RS256 by the issuer key, kid test-key, 1 h). */
  mintJwt: (tenant: string, ticket: string) => string;
  close(): Promise<void>;
}

const JSON_TYPE = 'application/json; charset=utf-8';

export async function startFakeOnline(options: { tenants?: Record<string, Partial<FakeTenant>> } = {}): Promise<FakeOnline> {
  const appKey = makeKeyPair();
  const issuerKey = makeKeyPair();
  const servers: http.Server[] = [];
  const listen = async (handler: http.RequestListener): Promise<string> => {
    const server = http.createServer(handler);
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  let issued = 0;
  const tenants = new Map<string, FakeTenant>();
  for (const [name, t] of Object.entries(options.tenants ?? { Cust12345: {} })) {
    tenants.set(name, { host: 0, state: 'Running', isRunning: true, validForMs: 60_000, ...t });
  }

  const email = createEMailMockServer({
    GetEMailAccount: (input) => ({ Response: { EMailAccountId: input.EMailAccountId ?? 0, EMailAddress: `account${input.EMailAccountId}@example.com` } }),
  });

  const fake: FakeOnline = {
    origin: '',
    hosts: [],
    systemUserToken: 'Test App-pzqc70604i',
    applicationToken: 'app-token-0123456789',
    appKey,
    issuerKey,
    tenants,
    tickets: new Set(),
    stateOverrides: new Map(),
    email,
    counts: { state: 0, soapSignIns: 0, restSignIns: 0, metadata: 0, jwks: 0 },
    signedTokens: [],
    restRefusalStatus: 200,
    loginQueue: [],
    mintJwt: (tenant, ticket) =>
      signJwt(
        { alg: 'RS256', kid: 'test-key' },
        { [TICKET_CLAIM]: ticket, [CONTEXT_CLAIM]: tenant, [SERIAL_CLAIM]: '1234', iss: 'SuperOffice AS', aud: 'spn:1234', exp: Math.floor(Date.now() / 1000) + 3600 },
        issuerKey.privateKey,
      ),
    close: async () => {
      await Promise.all(servers.map((s) => new Promise<void>((r) => (s.closeAllConnections(), s.close(() => r())))));
    },
  };

  /** The exchange's checks; an accepted one issues a fresh ticket. */
  const exchange = (signed: string | null | undefined, appToken: string | null | undefined, tenant: string | null | undefined): AuthenticationResponse => {
    fake.signedTokens.push(String(signed));
    if (appToken !== fake.applicationToken) return { IsSuccessful: false, ErrorMessage: 'Unknown application token' };
    if (!tenant || !tenants.has(tenant)) return { IsSuccessful: false, ErrorMessage: 'Unknown context identifier' };
    const m = /^(.*)\.(\d{12})\.([A-Za-z0-9+/]+={0,2})$/.exec(signed ?? '');
    if (!m || m[1] !== fake.systemUserToken) return { IsSuccessful: false, ErrorMessage: 'Revoked' };
    const stamp = m[2]!;
    const at = Date.UTC(+stamp.slice(0, 4), +stamp.slice(4, 6) - 1, +stamp.slice(6, 8), +stamp.slice(8, 10), +stamp.slice(10, 12));
    if (Math.abs(Date.now() - at) > 5 * 60_000) return { IsSuccessful: false, ErrorMessage: 'InvalidTimestamp' };
    const ok = createVerify('SHA256').update(`${m[1]}.${stamp}`, 'utf8').verify(appKey.publicKey, Buffer.from(m[3]!, 'base64'));
    if (!ok) return { IsSuccessful: false, ErrorMessage: 'InvalidSignature' };
    const ticket = `7T:ticket-${++issued}==`;
    fake.tickets.add(ticket);
    return { IsSuccessful: true, Token: fake.mintJwt(tenant, ticket), ErrorMessage: null };
  };

  const psu = createMockServer(
    IPartnerSystemUserServiceOperations,
    {
      Authenticate: (input, ctx) => {
        fake.counts.soapSignIns++;
        return exchange(input.SignedSystemToken, ctx.headers.ApplicationToken, ctx.headers.ContextIdentifier);
      },
    },
    { service: 'IPartnerSystemUserService', servicePath: 'login/services/PartnerSystemUserService.svc' },
  );

  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.statusCode = status;
    res.setHeader('content-type', JSON_TYPE);
    res.end(JSON.stringify(body));
  };
  const readBody = async (req: http.IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  };

  const origin = await listen((req, res) => {
    const path = (req.url ?? '').split('?')[0]!;
    const at = fake.loginQueue.findIndex((c) => c.path.toLowerCase() === path.toLowerCase());
    if (at >= 0) {
      const [canned] = fake.loginQueue.splice(at, 1);
      req.resume();
      res.statusCode = canned!.status;
      if (canned!.statusText !== undefined) res.statusMessage = canned!.statusText;
      for (const [k, v] of Object.entries(canned!.headers ?? {})) res.setHeader(k, v);
      return res.end(canned!.body ?? '');
    }
    const state = /^\/api\/state\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && state) {
      fake.counts.state++;
      const name = decodeURIComponent(state[1]!);
      if (fake.stateOverrides.has(name)) return json(res, 200, fake.stateOverrides.get(name));
      const t = tenants.get(name);
      if (!t) return json(res, 200, { ContextIdentifier: name, State: 'Unknown', IsRunning: false, Endpoint: '', ValidUntil: new Date(Date.now() + 60_000).toISOString() });
      return json(res, 200, {
        ContextIdentifier: name,
        Endpoint: `${fake.hosts[t.host]!.url}/${name}`,
        State: t.state,
        IsRunning: t.isRunning,
        ValidUntil: new Date(Date.now() + t.validForMs).toISOString(),
        Api: `${fake.hosts[t.host]!.url}/${name}/api`,
      });
    }
    if (req.method === 'GET' && path === '/login/.well-known/openid-configuration') {
      fake.counts.metadata++;
      return json(res, 200, { issuer: fake.origin, jwks_uri: `${fake.origin}/login/.well-known/jwks`, id_token_signing_alg_values_supported: ['RS256'] });
    }
    if (req.method === 'GET' && path === '/login/.well-known/jwks') {
      fake.counts.jwks++;
      return json(res, 200, { keys: [{ ...issuerKey.jwk, kid: 'test-key', use: 'sig', alg: 'RS256' }] });
    }
    if (req.method === 'POST' && path.toLowerCase() === '/login/services/partnersystemuserservice.svc') return psu(req, res);
    if (req.method === 'POST' && path === '/Login/api/PartnerSystemUser/Authenticate') {
      fake.counts.restSignIns++;
      void readBody(req).then((text) => {
        let body: Record<string, string | undefined>;
        try {
          body = JSON.parse(text) as Record<string, string | undefined>;
        } catch {
          return json(res, 400, { Message: 'not JSON' });
        }
        const answer = exchange(body['SignedSystemToken'], body['ApplicationToken'], body['ContextIdentifier']);
        json(res, answer.IsSuccessful ? 200 : fake.restRefusalStatus, answer);
      });
      return;
    }
    json(res, 404, { Message: `no route ${req.method} ${path}` });
  });
  (fake as { origin: string }).origin = origin;

  const hosts: FakeHost[] = [];
  for (let i = 0; i < 2; i++) {
    const host: { -readonly [K in keyof FakeHost]: FakeHost[K] } = { url: '', requests: 0, lastHeaders: undefined, queue: [] };
    host.url = await listen((req, res) => {
      host.requests++;
      host.lastHeaders = req.headers;
      const canned = host.queue.shift();
      if (canned) {
        req.resume();
        res.statusCode = canned.status;
        for (const [k, v] of Object.entries(canned.headers ?? {})) res.setHeader(k, v);
        return res.end(canned.body ?? '');
      }
      const m = /^\/([^/]+)\/Remote\/Services86\/EMail\.svc$/.exec((req.url ?? '').split('?')[0]!);
      const t = m ? tenants.get(m[1]!) : undefined;
      if (!m || !t || fake.hosts[t.host] !== host) {
        res.statusCode = 421;
        res.setHeader('content-type', 'text/plain');
        return res.end('Misdirected Request: this host does not serve that tenant');
      }
      // The EMail mock serves /Remote/Services86/EMail.svc; the tenant prefix is this host's routing.
      req.url = req.url!.slice(m[1]!.length + 1);
      return email(req, res);
    });
    hosts.push(host);
  }
  (fake as unknown as { hosts: typeof hosts }).hosts = hosts;
  // Every EMail call is checked for a ticket this fake issued (SuperOffice reports a bad ticket
  // as a SoSecurityException in the ExceptionInfo header, with Succeeded false).
  for (const [name, handler] of Object.entries(email.handlers)) {
    (email.handlers as Record<string, unknown>)[name] = (input: unknown, ctx: { ticket: string | undefined; applicationToken: string | undefined }) => {
      if (!ctx.ticket || !fake.tickets.has(ctx.ticket) || ctx.applicationToken !== fake.applicationToken) {
        throw { soExceptionInfo: { Message: 'Invalid or expired ticket', ExceptionType: 'SuperOffice.Exceptions.SoSecurityException' } };
      }
      return (handler as (i: unknown, c: unknown) => unknown)(input, ctx);
    };
  }
  return fake;
}
