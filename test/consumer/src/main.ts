// Uses the generated session over three agents (EMail, Person and SoPrincipal, generated into one
// folder) and prints the SyncEmailAccount request envelope it sends. Nothing touches the network:
// `fetch` is replaced by a function that keeps the request and answers as SuperOffice would.
import { EMailOperations, SuperOfficeClient } from './generated/index.js';
import type { Carrier, PersonEntity, SoPrincipalAuthenticateResponse, SyncEmailAccountRequest } from './generated/index.js';
import { EMailAgent } from './generated/EMail/index.js';
import type { CallOptions, EMailAccount, GetEMailAccountRequest } from './generated/EMail/index.js';

const sent: string[] = [];
const fakeFetch: typeof fetch = async (_url, init) => {
  sent.push(String(init?.body));
  return new Response(EMailOperations.SyncEmailAccount.encodeResponse({}), { status: 200, headers: { 'Content-Type': 'text/xml' } });
};

let ticket: string | undefined = '7T:1234abcxyzExample==';
const so = new SuperOfficeClient({
  baseUrl: 'http://127.0.0.1:9/Cust12345',
  applicationToken: '1234567-1234-9876',
  ticket: () => ticket, // called for each request: a renewed ticket is used at once
  fetch: fakeFetch,
});

const request: SyncEmailAccountRequest = {
  SyncUserAccount: { AccountId: 0, AssociateName: '', AssociateId: 0 },
};
await so.email.syncEmailAccount(request);
process.stdout.write(`${sent[0]}\n`);

// Type-checks the other agents and the shared types; none of these is called.
const login: (user: string, password: string) => Promise<SoPrincipalAuthenticateResponse> = (UserName, Password) =>
  so.soPrincipal.authenticateUsernamePassword({ UserName, Password });
const person: (id: number) => Promise<PersonEntity | null> = (PersonEntityId) => so.person.getPersonEntity({ PersonEntityId });
const carrier: Carrier = {};
ticket = undefined;
void login;
void person;
void carrier;

// A method whose input elements are all optional declares `input?:` (it declared `input = {}`, which
// a caller sees as the same signature): the input may be left out or undefined, and stays optional
// in Parameters<>; the options too. Each tuple is checked both ways.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const optionalInput: Same<Parameters<EMailAgent['getEMailAccount']>, [input?: GetEMailAccountRequest | undefined, options?: CallOptions | undefined]> = true;
const notRequired: Same<Parameters<EMailAgent['getEMailAccount']>, [input: GetEMailAccountRequest, options?: CallOptions]> = false;
const leftOut = (): unknown => [so.email.getEMailAccount(), so.email.getEMailAccount(undefined, {})]; // not called
void leftOut;
void optionalInput;
void notRequired;

// A subclass's own call by name gives a value it cannot use until it names the type (the generated
// methods' form returns Promise<never>, which fits their declared return types), never `any`.
class MyEMailAgent extends EMailAgent {
  async untyped(): Promise<unknown> {
    const account = await this.call('GetEMailAccount', {});
    // @ts-expect-error -- the value of an untyped call has no properties to read
    return account.EMailAccountId;
  }
  async typed(): Promise<number | undefined> {
    return (await this.call<EMailAccount | null>('GetEMailAccount', {}))?.EMailAccountId;
  }
}
void MyEMailAgent;
