// The session over the generated mocks: EMail, Person and SoPrincipal generated into one folder,
// one SuperOfficeClient with one options object, a ticket function called once per request that
// carries a ticket, and the application token on every call.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { buildFiles } from '../generator/generate.js';
import { wsdlFixturesDir } from './support/paths.js';
import { tempDir } from './support/temp-dir.js';
import { writeTranspiled } from './support/transpile.js';

// The generated folder is compiled for this test only (type-checking it is the job of the
// compile tests), so the shapes used here are spelled out.
interface Recorded {
  readonly operation: string;
  readonly headers: { readonly ApplicationToken?: string | null; readonly Credentials?: { readonly Ticket?: string | null } | null };
}
interface Ctx {
  readonly ticket: string | undefined;
  readonly applicationToken: string | undefined;
}
type Handler = (input: Record<string, unknown>, ctx: Ctx) => unknown;
interface Mock {
  readonly calls: readonly Recorded[];
  listen(): Promise<{ url: string; close(): Promise<void> }>;
}
interface EMailAgentLike {
  getEMailAccount(input: { EMailAccountId: number }): Promise<{ EMailAddress?: string | null } | null>;
}
interface PersonAgentLike {
  getPersonEntity(input: { PersonEntityId: number }): Promise<{ Firstname?: string | null } | null>;
}
interface SoPrincipalAgentLike {
  authenticateUsernamePassword(input: { UserName: string; Password: string }): Promise<{
    Credentials?: { Ticket?: string | null } | null;
    AuthenticationSucceeded?: boolean;
  }>;
}
interface Session {
  readonly email: EMailAgentLike;
  readonly person: PersonAgentLike;
  readonly soPrincipal: SoPrincipalAgentLike;
}
interface Generated {
  SuperOfficeClient: new (options: object) => Session;
  EMailAgent: new (options: object) => EMailAgentLike;
  SoapFaultError: new (...args: never[]) => Error;
}
type MockFactory = (handlers: Record<string, Handler>) => Mock;

let dir: string;
let lib: Generated;
let mocks: { email: Mock; person: Mock; soPrincipal: Mock };
let servers: { url: string; close(): Promise<void> }[];
let endpoints: { EMail: string; Person: string; SoPrincipal: string };
/** What each handler saw: operation, ticket, application token. */
const seen: [string, string | undefined, string | undefined][] = [];

before(async () => {
  const { files } = buildFiles(['EMail', 'Person', 'SoPrincipal'].map((n) => join(wsdlFixturesDir, `${n}.wsdl`)));
  dir = tempDir('session');
  writeTranspiled(files, dir);
  const load = async <T>(path: string): Promise<T> => (await import(pathToFileURL(join(dir, path)).href)) as T;
  lib = await load<Generated>('index.js');
  const note = (operation: string): Handler => (_input, ctx) => {
    seen.push([operation, ctx.ticket, ctx.applicationToken]);
  };
  mocks = {
    email: (await load<{ createEMailMockServer: MockFactory }>('EMail/mock.js')).createEMailMockServer({
      GetEMailAccount: (input, ctx) => {
        note('GetEMailAccount')(input, ctx);
        if (ctx.ticket === 'leaky') throw new Error(`no account for ticket ${ctx.ticket}`);
        return { Response: { EMailAccountId: input['EMailAccountId'], EMailAddress: 'support@example.com' } };
      },
    }),
    person: (await load<{ createPersonMockServer: MockFactory }>('Person/mock.js')).createPersonMockServer({
      GetPersonEntity: (input, ctx) => {
        note('GetPersonEntity')(input, ctx);
        return { Response: { PersonId: input['PersonEntityId'], Firstname: 'Anna' } };
      },
    }),
    soPrincipal: (await load<{ createSoPrincipalMockServer: MockFactory }>('SoPrincipal/mock.js')).createSoPrincipalMockServer({
      AuthenticateUsernamePassword: (input, ctx) => {
        note('AuthenticateUsernamePassword')(input, ctx);
        const ok = input['UserName'] === 'jdoe' && input['Password'] === 'secret';
        return { Credentials: ok ? { Ticket: '7T:abc' } : null, AuthenticationSucceeded: ok };
      },
    }),
  };
  servers = [await mocks.email.listen(), await mocks.person.listen(), await mocks.soPrincipal.listen()];
  endpoints = { EMail: servers[0]!.url, Person: servers[1]!.url, SoPrincipal: servers[2]!.url };
});

after(async () => {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

describe('SuperOfficeClient over the mocks', () => {
  test('log in, then two agents with one options object: the ticket function is called once per request', async () => {
    seen.length = 0;
    let ticket: string | undefined;
    const asked: (string | undefined)[] = [];
    const so = new lib.SuperOfficeClient({
      endpoints,
      applicationToken: 'app-token',
      ticket: async () => {
        asked.push(ticket);
        return ticket;
      },
    });

    const login = await so.soPrincipal.authenticateUsernamePassword({ UserName: 'jdoe', Password: 'secret' });
    assert.equal(login.AuthenticationSucceeded, true);
    ticket = login.Credentials?.Ticket ?? undefined;
    assert.equal(ticket, '7T:abc');

    assert.equal((await so.email.getEMailAccount({ EMailAccountId: 12 }))?.EMailAddress, 'support@example.com');
    assert.equal((await so.person.getPersonEntity({ PersonEntityId: 5 }))?.Firstname, 'Anna');
    ticket = '7T:renewed';
    await so.email.getEMailAccount({ EMailAccountId: 13 });

    // SoPrincipal's login carries no Credentials header, so the function was asked three times.
    assert.deepEqual(asked, ['7T:abc', '7T:abc', '7T:renewed']);
    assert.deepEqual(seen, [
      ['AuthenticateUsernamePassword', undefined, 'app-token'],
      ['GetEMailAccount', '7T:abc', 'app-token'],
      ['GetPersonEntity', '7T:abc', 'app-token'],
      ['GetEMailAccount', '7T:renewed', 'app-token'],
    ]);
    // The application token went as a SOAP header on every call, to every agent.
    for (const call of [...mocks.email.calls, ...mocks.person.calls, ...mocks.soPrincipal.calls]) {
      assert.equal(call.headers.ApplicationToken, 'app-token', call.operation);
    }
  });

  test('each agent is created once, on first use', () => {
    const so = new lib.SuperOfficeClient({ endpoints });
    assert.equal(so.email, so.email);
    assert.equal(so.person, so.person);
    assert.notEqual(so.email as unknown, so.person as unknown);
  });

  test('baseUrl joins each agent path; endpoints win for the agents they name', async () => {
    const requested: string[] = [];
    const fetchSpy = async (url: string | URL | Request, init?: RequestInit) => {
      requested.push(String(url));
      return fetch(url.toString().startsWith('https://so.example') ? endpoints.EMail : url, init);
    };
    const so = new lib.SuperOfficeClient({ baseUrl: 'https://so.example/Cust1/', endpoints: { Person: endpoints.Person }, fetch: fetchSpy, ticket: 't' });
    await so.email.getEMailAccount({ EMailAccountId: 1 });
    await so.person.getPersonEntity({ PersonEntityId: 1 });
    assert.deepEqual(requested, ['https://so.example/Cust1/Remote/Services86/EMail.svc', endpoints.Person]);
  });

  test('an option given as undefined is an option not given (the types allow it: exactOptionalPropertyTypes code passes values on)', async () => {
    const names = ['baseUrl', 'environment', 'tenant', 'stateTimeoutMs', 'tenantResolver', 'hooks', 'retry', 'credentialRefusal', 'useWsdlAddress', 'ticket'];
    names.push('applicationToken', 'timeZone', 'fetch', 'timeoutMs', 'maxResponseBytes', 'httpHeaders', 'secrets', 'unknownElements', 'transport');
    const undefinedOptions = Object.fromEntries(names.map((n) => [n, undefined]));
    const so = new lib.SuperOfficeClient({ ...undefinedOptions, endpoints });
    const before = mocks.email.calls.length;
    assert.equal((await so.email.getEMailAccount({ EMailAccountId: 4 }))?.EMailAddress, 'support@example.com');
    const agent = new lib.EMailAgent({ ...undefinedOptions, endpoint: endpoints.EMail });
    assert.equal((await agent.getEMailAccount({ EMailAccountId: 5 }))?.EMailAddress, 'support@example.com');
    // Sent as without them: no ticket, no token, SOAP.
    assert.deepEqual(mocks.email.calls.slice(before).map((c) => [c.operation, c.headers.Credentials, c.headers.ApplicationToken]), [
      ['GetEMailAccount', undefined, undefined],
      ['GetEMailAccount', undefined, undefined],
    ]);
  });
});

describe('a ticket function in a single agent', () => {
  test('is called for each request; a renewed ticket is kept out of errors', async () => {
    const tickets = ['first', 'leaky'];
    let calls = 0;
    const email = new lib.EMailAgent({ endpoint: endpoints.EMail, ticket: () => tickets[calls++] });
    await email.getEMailAccount({ EMailAccountId: 1 });
    // The mock's fault message contains the ticket; the client's error must not.
    const err = await email.getEMailAccount({ EMailAccountId: 2 }).then(
      () => assert.fail('expected a fault'),
      (e: unknown) => e,
    );
    assert.equal(calls, 2);
    assert.ok(err instanceof lib.SoapFaultError);
    assert.doesNotMatch(`${err.message} ${String(err.stack)} ${JSON.stringify(err)}`, /leaky/);
  });

  test('an error thrown by the function reaches the caller unchanged and nothing is sent', async () => {
    const before = mocks.email.calls.length;
    const failure = new Error('cannot renew the ticket');
    const email = new lib.EMailAgent({ endpoint: endpoints.EMail, ticket: async () => Promise.reject(failure) });
    await assert.rejects(email.getEMailAccount({ EMailAccountId: 1 }), (e) => e === failure);
    assert.equal(mocks.email.calls.length, before);
  });
});
