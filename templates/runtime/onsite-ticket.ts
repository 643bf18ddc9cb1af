// On-site sign-in with a user name and password (SoPrincipal.AuthenticateUsernamePassword), as a
// self-renewing ticket. The SoPrincipal agent is the one generated from SoPrincipal.wsdl; pass one
// created without a ticket (and, when it has hooks, with `secrets: [password]`: the errors in its
// hook events would otherwise show a password a server echoes; its onXml shows no Password or
// Ticket value anyway, and its errors are cleaned here):
//
//   const principal = new SoPrincipalAgent({ baseUrl });
//   const so = new SuperOfficeClient({ baseUrl, ticket: usernamePasswordTicket({ principal, userName, password }) });
import { OnlineError } from './errors.js';
import { Redactor } from './redact.js';
import { rememberRefusals, renewingTicket, type RenewingTicketOptions, type TicketProvider } from './ticket-source.js';

/** SoPrincipal refused the user name and password (AuthenticationSucceeded not true, or no ticket). */
export class UsernamePasswordSignInError extends OnlineError {}

/** What the generated SoPrincipalAgent offers (typed by shape, so the runtime needs no SoPrincipal code). */
export interface UsernamePasswordAuthenticator {
  authenticateUsernamePassword(input: {
    UserName?: string | null | undefined;
    Password?: string | null | undefined;
  }): Promise<{ Credentials?: { Ticket?: string | null | undefined } | null | undefined; AuthenticationSucceeded?: boolean | undefined } | null | undefined>;
}

export interface UsernamePasswordTicketOptions extends RenewingTicketOptions {
  principal: UsernamePasswordAuthenticator;
  userName: string;
  /** Kept in memory only, sent only to the principal agent's address. */
  password: string;
}

/** A self-renewing ticket from SoPrincipal.AuthenticateUsernamePassword. */
export function usernamePasswordTicket(options: UsernamePasswordTicketOptions): TicketProvider {
  const { principal, userName, password } = options;
  // The principal agent was made without the password, so it cannot remove it from its errors: a
  // server that echoes it in a fault or an exception message would put it in the error thrown here.
  const redactor = new Redactor([password]);
  const signIn = async (): Promise<string> => {
    let answer: Awaited<ReturnType<UsernamePasswordAuthenticator['authenticateUsernamePassword']>>;
    try {
      answer = await principal.authenticateUsernamePassword({ UserName: userName, Password: password });
    } catch (err) {
      throw redactor.error(err);
    }
    const ticket = answer?.Credentials?.Ticket;
    if (answer?.AuthenticationSucceeded !== true || typeof ticket !== 'string' || ticket === '') {
      throw new UsernamePasswordSignInError(`sign-in of user ${JSON.stringify(userName)} refused (AuthenticationSucceeded ${String(answer?.AuthenticationSucceeded)})`);
    }
    return ticket;
  };
  // The refusals, not the principal agent's errors, are remembered.
  const isRefusal = (err: unknown) => err instanceof UsernamePasswordSignInError;
  return renewingTicket(rememberRefusals(signIn, () => '', isRefusal, options.now ?? Date.now), options);
}
