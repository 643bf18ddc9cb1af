// System user sign-in (system-user-flow.md): sign the system user token, exchange it at the login
// host for a JWT, verify the JWT, and use its ticket claim -- cached and renewed by renewingTicket.
//
//   const so = new SuperOfficeClient({ environment: 'online', tenant: 'Cust12345', applicationToken,
//                                      ticket: systemUserTicket({ systemUserToken, privateKey }) });
//
// The exchange goes over SOAP with the client this generator makes from PartnerSystemUserService.wsdl
// (partner-system-user-service.ts), or over the documented REST endpoint (`exchange: 'rest'`).
// The private key is imported once into a non-extractable CryptoKey (a CryptoKey you pass is used as
// given); it, the signed token, the application token and the ticket stay in memory and out of every
// error message.
import { redact } from './redact.js';
import { rsaPrivateKeyImport, type RsaKeyInput, type WebCryptoKey } from './online-keys.js';
import { signSystemUserToken } from './online-sign.js';
import { CONTEXT_CLAIM, fixedJwtKey, jwksKeys, JwtError, SERIAL_CLAIM, TICKET_CLAIM, verifyJwt, type JwtKeys } from './online-jwt.js';
import { checkLimitOption, environmentUrl } from './agent.js';
import { OnlineError } from './errors.js';
import { MAX_ANSWER_BYTES, requestJson, signInRequestError } from './online-request.js';
import { IPartnerSystemUserServiceAgent, type PartnerSystemUserAuthenticationResponse } from './partner-system-user-service.js';
import { rememberRefusals, renewingTicket, TicketOptionError, type RenewingTicketOptions, type TicketContext, type TicketProvider } from './ticket-source.js';

export interface SystemUserTicketOptions extends RenewingTicketOptions {
  /** The system user token of the application and tenant (the system_token claim; "AppName-xxxxxxxx"). */
  systemUserToken: string;
  /** The application's RSA private key: PEM (PKCS#1 or PKCS#8), the portal's <RSAKeyValue> XML, a JWK or a CryptoKey. */
  privateKey: RsaKeyInput;
  /** 'soap' (default: the PartnerSystemUserService agent) or 'rest' (POST /Login/api/PartnerSystemUser/Authenticate). */
  exchange?: 'soap' | 'rest' | undefined;
  /**
   * The key that signs the returned JWT (PEM public key or certificate, RSA XML, JWK). Default: the
   * environment's JWKS, found through /login/.well-known/openid-configuration.
   */
  publicKey?: RsaKeyInput | undefined;
  /** Tolerated clock difference for the JWT's exp/nbf (default 60 s). */
  clockSkewMs?: number | undefined;
  /** Time limit of each sign-in request (default 30 s; 0 = none). */
  timeoutMs?: number | undefined;
}

/** The issuer of system user tokens (validate-security-tokens.md). */
const SYSTEM_USER_ISSUER = 'SuperOffice AS';

/** What troubleshooting.md's refusal codes mean, and what to check: the code alone does not say. */
const REFUSALS = new Map([
  ['Revoked', "the application's access to the tenant has been revoked"],
  ['Expired', 'the application authorization on this tenant has expired'],
  ['Denied', "the application's access to this tenant has been denied"],
  ['NeedsReapproval', 'the authorization needs to be re-approved for this tenant'],
  ['InvalidTimestamp', "the signed token's timestamp is invalid: check this machine's clock"],
  ['InvalidSignature', "the signature is invalid: check that privateKey is the application's key"],
]);

/**
 * The exchange answered IsSuccessful false (troubleshooting.md's codes: Revoked, Expired, Denied,
 * NeedsReapproval, InvalidTimestamp, InvalidSignature ...), with HTTP 200 or an error status that is no
 * outage: with 5xx or 429 the same body is the outage, a temporary OnlineError (online-request.ts temporaryFailure).
 */
export class SystemUserSignInError extends OnlineError {
  /** The ErrorMessage of the answer. */
  readonly errorMessage: string;
  /** The HTTP status of a REST answer that was not 200 (`400 {"IsSuccessful":false,...}`); else undefined. */
  readonly httpStatus: number | undefined;
  constructor(errorMessage: string, httpStatus?: number) {
    const meaning = REFUSALS.get(errorMessage);
    super(`system user sign-in refused: ${errorMessage || '(no ErrorMessage)'}${meaning ? `: ${meaning}` : ''}${httpStatus === undefined ? '' : ` (HTTP ${httpStatus})`}`);
    this.errorMessage = errorMessage;
    this.httpStatus = httpStatus;
  }
}

/** The refusal an exchange's answer carries (its ErrorMessage without the request's secrets). */
function refusal(answer: { readonly ErrorMessage?: unknown }, secrets: readonly string[], httpStatus?: number): SystemUserSignInError {
  return new SystemUserSignInError(redact(typeof answer.ErrorMessage === 'string' ? answer.ErrorMessage : '', secrets), httpStatus);
}

/** The refusals rememberRefusals keeps: the login host's (SystemUserSignInError) and a token that does not verify (JwtError). */
const isRefusal = (err: unknown): boolean => err instanceof SystemUserSignInError || err instanceof JwtError;

/** A self-renewing system user ticket; environment, tenant and application token come from the session. */
export function systemUserTicket(options: SystemUserTicketOptions): TicketProvider {
  // The closure below reads these copies, never `options`: it must not keep the key passed (SECURITY.md).
  const { systemUserToken, exchange, clockSkewMs, timeoutMs } = options;
  if (typeof systemUserToken !== 'string' || systemUserToken === '') throw new OnlineError('systemUserTicket: systemUserToken is required');
  const given = options.privateKey as RsaKeyInput | null | undefined;
  if (given === undefined || given === null || given === '') throw new OnlineError('systemUserTicket: privateKey is required');
  // A key that cannot be read (a PEM on one line, a file name, a public key ...) fails now, at
  // startup, not at the first call and again at each (KeyFormatError); WebCrypto imports it at the
  // first sign-in, from what was read here.
  let importPrivateKey: (() => Promise<WebCryptoKey>) | undefined = rsaPrivateKeyImport(given); // dropped once imported
  const fixedKeys = options.publicKey !== undefined ? fixedJwtKey(options.publicKey) : undefined;
  // NaN would switch a check off (`now - NaN >= exp` is false: an expired JWT would pass), as for an agent's limits.
  checkLimitOption('clockSkewMs', clockSkewMs);
  checkLimitOption('timeoutMs', timeoutMs);
  const now = options.now ?? Date.now;
  let key: Promise<WebCryptoKey> | undefined;
  const keysByOrigin = new Map<string, JwtKeys>();
  // A refusal (revoked, denied, a token that does not verify ...) is answered again for 60 s to the
  // same environment, tenant and application token, without signing in (rememberRefusals).
  const asked = ({ environment, tenant, applicationToken }: TicketContext): string => `${environment}\n${tenant}\n${applicationToken}`;
  return renewingTicket(rememberRefusals((context) => {
    const { environment, tenant, applicationToken } = context;
    // A bad option: a TypeError (TicketOptionError), not retried. Empty is missing too (`process.env['SO_CLIENT_SECRET'] ?? ''`).
    const missing = (['environment', 'tenant', 'applicationToken'] as const).filter((name) => !context[name]);
    if (missing.length > 0) throw new TicketOptionError(`systemUserTicket needs the session option${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (missing or empty)`);
    return signIn(context, environment!, tenant!, applicationToken!);
  }, asked, isRefusal, now), options);

  /** One sign-in: load the keys, sign, exchange, verify; the ticket claim. */
  async function signIn(context: TicketContext, environment: string, tenant: string, applicationToken: string): Promise<string> {
    const origin = environmentUrl(environment);
    let keys = keysByOrigin.get(origin);
    if (!keys) {
      keys = fixedKeys ?? jwksKeys({ origin, fetch: context.fetch, timeoutMs: timeoutMs ?? 30_000, now });
      keysByOrigin.set(origin, keys);
    }
    await keys.load(); // first: without keys (metadata or JWKS down) each call would sign in for nothing
    key ??= importPrivateKey!();
    key.then(() => (importPrivateKey = undefined), () => (key = undefined));
    const signed = await signSystemUserToken(systemUserToken, await key, new Date(now()));
    const secrets = [signed, applicationToken, systemUserToken];
    const request: ExchangeRequest = { fetch: context.fetch, origin, tenant, applicationToken, signed, timeoutMs: timeoutMs ?? 30_000, signal: context.signal };
    const answer = exchange === 'rest' ? await exchangeRest(request, secrets) : await exchangeSoap(request, secrets);
    if (answer.IsSuccessful !== true) throw refusal(answer, secrets);
    if (typeof answer.Token !== 'string' || answer.Token === '') throw new JwtError('the sign-in answer has no Token');
    const claims = await verifyJwt(answer.Token, keys, now(), clockSkewMs ?? 60_000);
    const ctx = claims[CONTEXT_CLAIM];
    if (ctx !== undefined && (typeof ctx !== 'string' || ctx.toLowerCase() !== tenant.toLowerCase())) {
      throw new JwtError(`the token is for tenant ${JSON.stringify(ctx)}, not ${tenant}`);
    }
    // validate-security-tokens.md, "Validation parameters": a system user token is issued by
    // "SuperOffice AS" to "spn:{serial claim value}". The same keys sign the OpenID id_tokens (iss
    // https://{env}.superoffice.com, aud the application ID), and connector and mirroring tokens
    // (iss "SuperOffice AS", aud "spn:{Application ID}"): those are not a system user's answer.
    if (claims['iss'] !== SYSTEM_USER_ISSUER) throw new JwtError(`the token's issuer ${JSON.stringify(claims['iss'] ?? null)} is not "${SYSTEM_USER_ISSUER}"`);
    // (RFC 7519: aud is one string, or an array of them when a token has several audiences.)
    const serial = claims[SERIAL_CLAIM];
    const audiences: unknown[] = Array.isArray(claims['aud']) ? claims['aud'] : [claims['aud']];
    if ((typeof serial !== 'string' && typeof serial !== 'number') || serial === '' || !audiences.includes(`spn:${serial}`)) {
      throw new JwtError(`the token's audience ${JSON.stringify(claims['aud'] ?? null)} is not "spn:{serial}" (serial ${JSON.stringify(serial ?? null)})`);
    }
    const ticket = claims[TICKET_CLAIM];
    if (typeof ticket !== 'string' || ticket === '') throw new JwtError(`the token has no ${TICKET_CLAIM} claim`);
    return ticket;
  }
}

/** What both exchanges send: the signed token, the application token and the tenant, to the login host. */
interface ExchangeRequest {
  readonly fetch: typeof fetch;
  readonly origin: string;
  readonly tenant: string;
  readonly applicationToken: string;
  readonly signed: string;
  readonly timeoutMs: number;
  /** Aborts the exchange when the sign-in is given up as hung (renewingTicket). */
  readonly signal: AbortSignal | undefined;
}

/** Its agent's failures name the login host, as exchangeRest's do (not read as the tenant host's). */
async function exchangeSoap(r: ExchangeRequest, secrets: string[]): Promise<PartnerSystemUserAuthenticationResponse> {
  const endpoint = `${r.origin}/login/services/PartnerSystemUserService.svc`;
  const agent = new IPartnerSystemUserServiceAgent({
    endpoint,
    applicationToken: r.applicationToken,
    fetch: r.fetch,
    timeoutMs: r.timeoutMs,
    maxResponseBytes: MAX_ANSWER_BYTES, // a token is a few KB, as over REST: not an agent's 64 MiB
    secrets,
  });
  try {
    return await agent.authenticate({ SignedSystemToken: r.signed, ReturnTokenType: 'Jwt' }, { headers: { ContextIdentifier: r.tenant }, signal: r.signal });
  } catch (err) {
    throw signInRequestError('system user sign-in', endpoint, err);
  }
}

/**
 * The documented REST endpoint; the body carries the signed token and the application token, so
 * never along a redirect. The login host may refuse with an error status and the same answer
 * (`400 {"IsSuccessful":false,"ErrorMessage":"InvalidTimestamp"}`, or an ErrorMessage alone): that is
 * the refusal it names -- but not with an outage status (5xx, 429), which requestJson reports as the outage.
 */
async function exchangeRest(r: ExchangeRequest, secrets: readonly string[]): Promise<PartnerSystemUserAuthenticationResponse> {
  const secretBody = JSON.stringify({ SignedSystemToken: r.signed, ApplicationToken: r.applicationToken, ContextIdentifier: r.tenant, ReturnTokenType: 'JWT' });
  const refused = (answer: Record<string, unknown>) => answer['IsSuccessful'] === false || (answer['IsSuccessful'] === undefined && typeof answer['ErrorMessage'] === 'string');
  const errorFromAnswer = (status: number, answer: Record<string, unknown>) => (refused(answer) ? refusal(answer, secrets, status) : undefined);
  const answer = await requestJson(r.fetch, `${r.origin}/Login/api/PartnerSystemUser/Authenticate`, 'system user sign-in', r.timeoutMs, { secretBody, stop: r.signal, errorFromAnswer, secrets });
  return answer as PartnerSystemUserAuthenticationResponse;
}
