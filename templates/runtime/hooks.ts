// Hooks for logging and tracing, with no dependency: plain functions the session or agent calls.
//
//   onRequest(info)   before each HTTP attempt; may return HTTP headers to add (trace context ...),
//                     awaited within the call's timeout and abort
//   onAttempt(event)  after each HTTP attempt (its status, sizes, duration, error)
//   onCall(event)     once per call, after its last attempt (what a span or a log line wants) --
//                     also a call that ended before any attempt (an already-aborted signal; or,
//                     while its agent's first call loaded call.ts, its timeout, its abort, a
//                     failed load): attempt 0, no url, status or bytes (nothing was sent). An
//                     attempt that fails before its request is sent (an EncodeError, a ticket
//                     function that throws) is that attempt, with its error, no status and 0
//                     bytes; a ticket function's own error is passed on unchanged, not redacted
//                     (SECURITY.md). A call refused before it started (an unknown operation, no
//                     address, a bad timeoutMs) is thrown at once and reaches no hook.
//   onXml(xml)        the raw request and response envelopes -- only when this hook is given, and
//                     with every secret (ticket, application token, ...) and every Ticket and
//                     Password value replaced by ***
//
// Every event of one call carries its `callId`, so that what a hook starts for a call (a tracing
// span) can be found by the call's other hooks, also while other calls run: a user keeps it in a
// Map by callId from the first onRequest, and takes it out at onCall. onCall comes once per call,
// after every onRequest of the call (also when the call ends while onRequest is still awaited),
// so a span made at the start of onRequest, before any await, is always ended and removed.
// onRequest runs in the async context of the caller (OpenTelemetry's context.active() there is the
// caller's context, not a span's); the trace context it sends is the span the hook made.
//
// Events never carry a ticket, token or password: the URL is shown without query or credentials,
// and every text passes the agent's redaction. A hook that throws does not change the outcome of
// the call: its error is dropped (a logging bug must not fail business calls).

export interface CallEvent {
  /**
   * The call this event is of: the same number in every event of one call (its onRequest, onXml,
   * onAttempt and onCall events), unique among the calls of this process (of this runtime copy).
   */
  readonly callId: number;
  /** The agent's service name ('EMail'). */
  readonly service: string;
  /** The WSDL operation name. */
  readonly operation: string;
  /**
   * Where the attempt's request went (origin and path only) -- or was to go, when it failed before
   * it was sent: a ticket that could not be had (a system user sign-in the login host refused) is
   * reported with the tenant host's URL, not the login host's. Undefined when it failed before an
   * address was known (the tenant's state).
   */
  readonly url: string | undefined;
  /** 1 for the first attempt; in onCall, the number of attempts made (0: the call ended before any attempt). */
  readonly attempt: number;
  /** HTTP status of the (last) response; undefined when none arrived. */
  readonly status: number | undefined;
  /** When the call (onCall) or attempt (onAttempt) started, epoch milliseconds. */
  readonly startTime: number;
  readonly durationMs: number;
  /** Bytes of the request body sent (last attempt). */
  readonly requestBytes: number;
  /** Bytes of the response body read (last attempt). */
  readonly responseBytes: number;
  /** The error the call (or attempt) ended with, already redacted (redact.ts: your abort reason, its cause, stays your object unless it holds a secret). */
  readonly error?: unknown;
  /** onAttempt only: whether another attempt follows. */
  readonly willRetry?: boolean | undefined;
  /**
   * Why a failed attempt was not retried although it may have been, already redacted: the retry
   * policy (retry.ts, loaded by the first failure that may be retried) could not be loaded, or
   * your code it asks threw (a `safeOperations` function, a ticket provider's `refused`). The call
   * then ends with the attempt's `error`, as without retries.
   */
  readonly retryError?: unknown;
}

export interface HookRequestInfo {
  /** The call this request is of (CallEvent.callId): the same for each attempt of the call. */
  readonly callId: number;
  /** When the call started, epoch milliseconds: onCall's startTime (a span started here with it covers the whole call). */
  readonly callStartTime: number;
  readonly service: string;
  readonly operation: string;
  readonly url: string;
  readonly attempt: number;
}

export interface XmlEvent {
  /** The call this envelope is of (CallEvent.callId). */
  readonly callId: number;
  readonly service: string;
  readonly operation: string;
  readonly attempt: number;
  readonly direction: 'request' | 'response';
  /** The envelope, secrets replaced by `***`. */
  readonly xml: string;
}

export interface Hooks {
  onRequest?: ((info: HookRequestInfo) => Record<string, string> | void | Promise<Record<string, string> | void>) | undefined;
  onAttempt?: ((event: CallEvent) => void) | undefined;
  onCall?: ((event: CallEvent) => void) | undefined;
  onXml?: ((event: XmlEvent) => void) | undefined;
}

/**
 * A Ticket or Password element with a value and the value: `$1` the start tag. The value is text,
 * CDATA sections and comments in any mix (XML joins them into one value); a CDATA section or
 * comment may hold any character but `<`. Elements with child elements (a customer service Ticket
 * entity) do not match. No part reads past the next `<`, and each run must be followed by a CDATA
 * section or comment to repeat, so no text is read twice however the match fails: a hostile
 * envelope costs linear time.
 */
const CREDENTIAL_ELEMENT = /(<((?:[A-Za-z_][\w.-]*:)?(?:Ticket|Password))(?:\s[^<>]*)?(?<!\/)>)(?=[^<]|<!)(?:[^<]*(?:<!\[CDATA\[(?:[^\]<]|\](?!\]>))*\]\]>|<!--(?:[^<-]|-(?!->))*-->))*[^<]*(?=<\/\2\s*>)/g;
/**
 * A Ticket or Password start tag that CREDENTIAL_ELEMENT left, whose value begins with a CDATA
 * section, comment or processing instruction: one holding a `<`, which that pattern does not read.
 * `$1` the element's name.
 */
const CREDENTIAL_MARKUP_START = /<((?:[A-Za-z_][\w.-]*:)?(?:Ticket|Password))(?:\s[^<>]*)?(?<!\/)>(?=[^<]*<[!?])/g;
/** The same as a JSON property (the REST transport's bodies): `$1` the name and colon. */
const CREDENTIAL_PROPERTY = /("(?:Ticket|Password)"\s*:\s*)"(?:[^"\\]|\\.)+"/g;

/**
 * The text onXml gets, beyond the agent's redaction of the secrets it knows: every Ticket and
 * Password value replaced by `***` -- a sign-in's answer carries a ticket no agent has seen yet
 * (SoPrincipal's AuthenticateUsernamePassword), and a request may carry a password the agent was
 * not given in `secrets`.
 */
export function withoutCredentials(text: string): string {
  return withoutMarkedUpValues(text.replace(CREDENTIAL_ELEMENT, '$1***')).replace(CREDENTIAL_PROPERTY, '$1"***"');
}

/**
 * What CREDENTIAL_ELEMENT leaves of a value with a CDATA section or comment holding a `<`: all up to
 * the element's end tag (or the end of the text) is `***` -- a hook may see less, never the secret.
 * Each search for a start tag begins after the last end tag found: linear time.
 */
function withoutMarkedUpValues(text: string): string {
  let out = '';
  let kept = 0;
  CREDENTIAL_MARKUP_START.lastIndex = 0;
  for (let m = CREDENTIAL_MARKUP_START.exec(text); m !== null; m = CREDENTIAL_MARKUP_START.exec(text)) {
    const value = m.index + m[0].length;
    out += `${text.slice(kept, value)}***`;
    kept = valueEnd(text, value, m[1]!);
    CREDENTIAL_MARKUP_START.lastIndex = kept;
  }
  return kept === 0 ? text : out + text.slice(kept);
}

/**
 * Where a value from `from` ends: at its element's end tag past CDATA sections, comments and
 * processing instructions (each may hold one as text), else the text's end.
 */
function valueEnd(text: string, from: number, name: string): number {
  for (let i = text.indexOf('<', from); i >= 0; i = text.indexOf('<', i + 1)) {
    const close = text.startsWith('<![CDATA[', i) ? ']]>' : text.startsWith('<!--', i) ? '-->' : text.startsWith('<?', i) ? '?>' : '';
    if (close === '' && text.startsWith(`</${name}`, i)) return i;
    if (close !== '') i = text.indexOf(close, i);
    if (i < 0) break;
  }
  return text.length;
}

/**
 * `url` without credentials, query or fragment. Of a URL that is not http(s), nothing: a baseUrl
 * missing its `https://` (`bob:pa55@host`) parses as the scheme `bob:` and the path `pa55@host`.
 */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? `${u.origin}${u.pathname}` : '(not an http(s) URL)';
  } catch {
    return '(invalid URL)';
  }
}

/** The headers onRequest adds (none when it is absent or fails). */
export async function requestHeadersFromHook(hooks: Hooks | undefined, info: HookRequestInfo): Promise<Record<string, string>> {
  if (!hooks?.onRequest) return {};
  try {
    return (await hooks.onRequest(info)) ?? {};
  } catch {
    return {};
  }
}
