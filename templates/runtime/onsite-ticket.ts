// On-site sign-in with a user name and password (SoPrincipal.AuthenticateUsernamePassword), as a
// self-renewing ticket. The SoPrincipal agent is the one generated from SoPrincipal.wsdl; pass one
// created without a ticket (and, when it has hooks, with `secrets: [password]`: the errors in its
// hook events would otherwise show a password a server echoes; its onXml shows no Password or
// Ticket value anyway, and its errors are cleaned here). A sign-in request that fails is an
// OnlineError naming the principal's endpoint, as the system user's exchange is (online-request.ts
// signInRequestError), not the principal agent's error: the call that waited for the ticket never
// reached its own host, and the error says so, `temporary` for an outage, which the retry policy
// then retries for any operation:
//
//   const principal = new SoPrincipalAgent({ baseUrl });
//   const so = new SuperOfficeClient({ baseUrl, ticket: usernamePasswordTicket({ principal, userName, password }) });
import { OnlineError } from './errors.js';
import { displayUrl } from './hooks.js';
import { signInRequestError } from './online-request.js';
import { Redactor } from './redact.js';
import { rememberRefusals, renewingTicket, type RenewingTicketOptions, type TicketContext, type TicketProvider } from './ticket-source.js';

/** SoPrincipal refused the user name and password (AuthenticationSucceeded not true, or no ticket). */
export class UsernamePasswordSignInError extends OnlineError {}

/** What the generated SoPrincipalAgent offers (typed by shape, so the runtime needs no SoPrincipal code). */
export interface UsernamePasswordAuthenticator {
  /** Where the sign-in goes (a SoapAgent's), named by the error of a sign-in request that fails. */
  readonly endpoint?: string | undefined;
  /**
   * The sign-in. `options.signal` (a generated agent's CallOptions) aborts when the sign-in is given
   * up as hung (the first call to come after it ran 5 minutes starts another: renewingTicket), so its
   * request is ended, not left open until the agent's own timeoutMs. It is not the signal of a call waiting for the ticket: a call that times out or is
   * aborted stops waiting, but the sign-in, which other calls may share, runs on (its ticket is kept).
   * An authenticator of your own may ignore the second argument: a hung one is given up all the same
   * (the next call signs in again), but what its request holds stays open.
   */
  authenticateUsernamePassword(
    input: {
      UserName?: string | null | undefined;
      Password?: string | null | undefined;
    },
    options?: { signal?: AbortSignal | undefined },
  ): Promise<{ Credentials?: { Ticket?: string | null | undefined } | null | undefined; AuthenticationSucceeded?: boolean | undefined } | null | undefined>;
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
  // The principal agent may have been made without the password, so it cannot remove it from its
  // errors: a server that echoes it in a fault, an exception message or an error page would put it
  // in the error thrown here (its message, its stack, its cause's fields), all of which is cleaned.
  const redactor = new Redactor([password]);
  // (An agent routed by tenant has no fixed endpoint; one of your own may not say.) Shown as every URL
  // in an error is (displayUrl): one of your own, or an agent made with useWsdlAddress, may carry
  // user info, a query or a fragment, which the redactor, knowing only the password, would keep.
  const endpoint = principal.endpoint === undefined ? 'the principal agent' : displayUrl(principal.endpoint);
  const signIn = async ({ signal }: TicketContext): Promise<string> => {
    let answer: Awaited<ReturnType<UsernamePasswordAuthenticator['authenticateUsernamePassword']>>;
    try {
      // `signal`: the sign-in's own (renewingTicket), aborted when it is given up as hung -- not a waiting call's.
      answer = await principal.authenticateUsernamePassword({ UserName: userName, Password: password }, { signal });
    } catch (err) {
      throw redactor.error(signInRequestError('on-site sign-in', endpoint, err));
    }
    const ticket = answer?.Credentials?.Ticket;
    if (answer?.AuthenticationSucceeded !== true || typeof ticket !== 'string' || ticket === '') {
      throw new UsernamePasswordSignInError(`sign-in of user ${JSON.stringify(userName)} refused (AuthenticationSucceeded ${String(answer?.AuthenticationSucceeded)})`);
    }
    return ticket;
  };
  // The refusals are remembered, not a sign-in request that failed (an OnlineError of another class): the next call tries again.
  const isRefusal = (err: unknown) => err instanceof UsernamePasswordSignInError;
  return renewingTicket(rememberRefusals(signIn, () => '', isRefusal, options.now ?? Date.now), options);
}
