// Keeping secrets (ticket, application token, the caller's `secrets`) out of every error the
// runtime throws: its message, stack, every own field (strings, and the keys and values of
// objects such as ExceptionInfo's Parameters) and its whole `cause` chain. A hostile server can
// echo a secret in any form, so a secret is matched whatever mix of forms spells its characters:
// raw, XML entity or numeric character reference (`&amp;`, `&#65;`, `&#x41;`, `&#0065;`), URL escape
// (`%41`, `%4a`/`%4A`) and JSON escape (`\u0041`, `\"`), split by CDATA section boundaries or
// comments (XML joins `7T:ab<![CDATA[cd]]>` and `7T:ab<!-- -->cd` into the text `7T:abcd`): the
// text is read with those escapes undone and that markup left out (and, when it has such markup,
// once more with it kept: a secret may be inside a comment, or spell `]]>` itself), the secrets are
// looked for in that plain view, and matches are replaced in the original text. The list is
// bounded: the fixed secrets, the current and previous ticket, and the ticket of the failing call
// (issue 15: an agent shared by many users sees a new ticket per call, and keeping them all made
// each failure slower).
import { SoapError, TransportError } from './errors.js';

/** Secrets shorter than this are not redacted (they would match ordinary text). */
const MIN_SECRET_LENGTH = 4;

/**
 * The escapes a secret's characters may hide behind, and the markup that may split them (a CDATA
 * section's start or end, a comment's start): one fixed expression, nothing is compiled per secret.
 */
const ESCAPE = /&#0*([0-9]{1,7});|&#[xX]0*([0-9a-fA-F]{1,6});|&(amp|lt|gt|quot|apos);|%([0-9a-fA-F]{2})|\\[uU]([0-9a-fA-F]{4})|\\(["\\/])|(<!\[CDATA\[|\]\]>)|<!--/g;
/** The same, matched at one offset only: how long the escape of one character is (sourceEnd). */
const ESCAPE_AT = new RegExp(ESCAPE.source, 'y');
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
/**
 * An escape or markup start that a cut left unfinished at the end of a text (`&#00`, `&am`, `%4`,
 * `\u00`, `<!-`, `<![CDA`, `]]`): the plain view keeps it as text, so it stands between a secret's
 * beginning and the cut's `…` (found() steps back over it).
 */
const UNFINISHED_ESCAPE = /(?:&(?:#[xX]?[0-9a-fA-F]*|[a-zA-Z]*)|%[0-9a-fA-F]?|\\(?:[uU][0-9a-fA-F]{0,3})?|<(?:!(?:-|\[[CDAT]*)?)?|\]\]?)$/;
/** The markup the plain view leaves out (ESCAPE's group 7 and comments). */
const MARKUP = /<!\[CDATA\[|\]\]>|<!--/;

/**
 * `text` with every escape above replaced by its character and, when `dropMarkup`, the splitting
 * markup (CDATA section boundaries, whole comments) left out, and for each character of that plain
 * view the offset in `text` where it starts (plus the end), so a match maps back to the original.
 */
function plainView(text: string, dropMarkup: boolean): { plain: string; starts: number[] } | undefined {
  ESCAPE.lastIndex = 0;
  if (!ESCAPE.test(text)) return undefined;
  ESCAPE.lastIndex = 0;
  let plain = '';
  const starts: number[] = [];
  let last = 0;
  // Once a comment is not closed, none after it is; once no cut follows, none does: no second
  // search to the end (linear time).
  let commentsClosed = true;
  let cutsAhead = true;
  for (let m = ESCAPE.exec(text); m !== null; m = ESCAPE.exec(text)) {
    let skipTo = m.index + m[0].length;
    if (m[0] === '<!--') {
      const close = commentsClosed && dropMarkup ? text.indexOf('-->', skipTo) : -1;
      // A comment that an excerpt's (or a capped fault text's) cut `…` left open may have ended
      // after the cut, a secret going on there: left out up to the cut, so the secret's beginning meets it.
      const cut: number = close < 0 && dropMarkup && cutsAhead ? text.indexOf('\u2026', skipTo) : -1;
      if (close < 0 && dropMarkup) {
        commentsClosed = false;
        cutsAhead = cut >= 0;
      }
      if (close < 0 && cut < 0) {
        ESCAPE.lastIndex = m.index + 1; // an unclosed `<!--` is text, as all markup when it is kept
        continue;
      }
      skipTo = ESCAPE.lastIndex = close >= 0 ? close + 3 : cut;
    } else if (m[7] !== undefined && !dropMarkup) {
      ESCAPE.lastIndex = m.index + 1;
      continue;
    }
    for (let i = last; i < m.index; i++) starts.push(i);
    plain += text.slice(last, m.index);
    last = skipTo;
    if (m[7] !== undefined || m[0] === '<!--') continue; // markup: no character
    let ch: string;
    if (m[1] !== undefined || m[2] !== undefined) {
      const code = m[1] !== undefined ? Number(m[1]) : parseInt(m[2] as string, 16);
      ch = code <= 0x10ffff ? String.fromCodePoint(code) : m[0];
    } else if (m[3] !== undefined) ch = NAMED[m[3]] as string;
    else if (m[4] !== undefined) ch = String.fromCharCode(parseInt(m[4], 16));
    else if (m[5] !== undefined) ch = String.fromCharCode(parseInt(m[5], 16));
    else ch = m[6] as string;
    for (let i = 0; i < ch.length; i++) starts.push(m.index);
    plain += ch;
  }
  for (let i = last; i < text.length; i++) starts.push(i);
  plain += text.slice(last);
  starts.push(text.length);
  return { plain, starts };
}

/** The end of the character spelled at `start`: its escape (`&amp;`, `%2F` ...), or the one character. */
function sourceEnd(text: string, start: number): number {
  ESCAPE_AT.lastIndex = start;
  const m = ESCAPE_AT.exec(text);
  return m !== null && m[7] === undefined && m[0] !== '<!--' ? start + m[0].length : start + 1;
}

/**
 * Replaces every secret with `***`, whatever mix of forms spells it, and -- where an excerpt or a
 * capped fault text was cut off (`...`) -- a beginning of a secret of at least 4 characters before the cut.
 */
function scrub(text: string, secrets: readonly string[]): string {
  const ranges = found(text, secrets, plainView(text, true));
  // A secret split by markup is found with it left out; one inside a comment, or spelling `]]>`, with it kept.
  if (MARKUP.test(text)) ranges.push(...found(text, secrets, plainView(text, false)));
  // A secret whose own characters read as an escape (`%cd` of the password `ab%cdefgh`) is found as written.
  if (ESCAPE_START.test(text)) ranges.push(...found(text, secrets, undefined));
  if (ranges.length === 0) return text;
  ranges.sort((x, y) => x[0] - y[0]);
  let out = '';
  let pos = 0;
  for (const [start, end] of ranges) {
    if (end <= pos) continue;
    out += text.slice(pos, Math.max(pos, start)) + (start >= pos ? '***' : '');
    pos = end;
  }
  return out + text.slice(pos);
}

/** A character an escape or markup starts with (ESCAPE, MARKUP). */
const ESCAPE_START = /[&%\\<\]]/;

/** Where `secrets` (and their beginnings before a cut) are in `text`: offsets in `text`, from `view` (undefined: the text as written). */
function found(text: string, secrets: readonly string[], view: ReturnType<typeof plainView>): [number, number][] {
  const plain = view?.plain ?? text;
  const at = (i: number) => (view ? (view.starts[i] as number) : i);
  // Where the last character's own spelling ends: markup after it (`]]>`, a comment) is kept.
  const range = (from: number, to: number): [number, number] => [at(from), view ? sourceEnd(text, at(to - 1)) : to];
  const ranges: [number, number][] = [];
  // Where the text before each cut (an excerpt, a quoted value, a capped text, whatever made it)
  // ends: at the cut, and before an escape the cut left unfinished -- which may also be the secret's
  // own `&`, `%`, `\` (`P&ss…` of `P&ssw0rd`), so both ends are tried.
  const ends: [cut: number, end: number][] = [];
  for (let cut = plain.indexOf('\u2026'); cut >= 0; cut = plain.indexOf('\u2026', cut + 1)) {
    const end = cut - (UNFINISHED_ESCAPE.exec(plain.slice(Math.max(0, cut - 32), cut))?.[0].length ?? 0);
    ends.push([cut, cut]);
    if (end !== cut) ends.push([cut, end]);
  }
  for (const s of secrets) {
    for (let i = plain.indexOf(s); i >= 0; i = plain.indexOf(s, i + s.length)) ranges.push(range(i, i + s.length));
    for (const [cut, end] of ends) {
      for (let k = Math.min(s.length - 1, end); k >= MIN_SECRET_LENGTH; k--) {
        if (plain.startsWith(s.slice(0, k), end - k)) {
          ranges.push(range(end - k, cut));
          break;
        }
      }
    }
  }
  return ranges;
}

/**
 * `text` with every secret (ticket, token, password ...; those under 4 characters are skipped) replaced
 * by `***`, in any of the forms above, and a secret's beginning where an excerpt was cut off (`...`).
 * The one rule for redacting text: agents use it through Redactor, sign-in code directly.
 */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  const usable = secrets.filter((s): s is string => s !== undefined && s.length >= MIN_SECRET_LENGTH);
  return scrub(text, [...new Set(usable)].sort((a, b) => b.length - a.length));
}

/**
 * The secrets of one agent: fixed ones given at construction, and the current and previous ticket
 * (a ticket function may return a new one per call; older tickets are forgotten).
 */
export class Redactor {
  readonly #fixed: readonly string[];
  #current: string | undefined;
  #previous: string | undefined;

  constructor(fixed: readonly unknown[]) {
    this.#fixed = fixed.filter((s): s is string => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH);
  }

  /** Notes the ticket a call is about to send: it becomes the current one, the last one the previous. */
  noteTicket(ticket: string | undefined): void {
    if (ticket === undefined || ticket === this.#current) return;
    this.#previous = this.#current;
    this.#current = ticket;
  }

  /** The secrets for one call: fixed, current, previous, the call's own ticket and other secrets of its own (longest first). */
  #secrets(callTicket: string | undefined, callSecrets: readonly string[]): string[] {
    const all = new Set(this.#fixed);
    for (const t of [this.#current, this.#previous, callTicket, ...callSecrets]) if (typeof t === 'string' && t.length >= MIN_SECRET_LENGTH) all.add(t);
    return [...all].sort((a, b) => b.length - a.length);
  }

  /** `text` with every secret replaced by `***`. */
  text(text: string, callTicket?: string, callSecrets: readonly string[] = []): string {
    return scrub(text, this.#secrets(callTicket, callSecrets));
  }

  /** `err` with every secret removed from it and its cause chain (see redactError). */
  error(err: unknown, callTicket?: string, callSecrets: readonly string[] = []): unknown {
    const secrets = this.#secrets(callTicket, callSecrets);
    return secrets.length === 0 ? err : redactError(err, (s) => scrub(s, secrets), 0);
  }
}

/** Causes deeper than this are cut off (a cycle or a hostile chain); call.ts ownError copies a call's error as deep. */
export const MAX_CAUSE_DEPTH = 8;

/**
 * A runtime error (SoapError) is cleaned in place: message, stack, every own field -- the call's own copy, its runtime
 * causes too (call.ts ownError), so no other call's error, nor a failure a memory keeps, is changed. Anything else
 * in a cause chain (a fetch failure quoting the request ...) is replaced by an Error of its class
 * carrying its cleaned name, message, code and stack, so no field of a foreign object survives unread.
 * The caller's own abort reason (the cause of an 'aborted' TransportError, agent.ts callLimit) is
 * passed on as the object they gave, so they can recognise it -- unless some text in it holds a
 * secret: then it is cleaned like any foreign cause (a copy of its class, not their object).
 */
function redactError(err: unknown, clean: (s: string) => string, depth: number): unknown {
  if (!(err instanceof SoapError)) {
    if (depth === 0) return err; // an error of the caller's own code (a ticket function) reaches them unchanged
    return foreignCause(err, clean, depth);
  }
  define(err, 'message', clean(err.message));
  // The stack text starts with the message; whenever it was first formatted, clean it too.
  if (typeof err.stack === 'string') define(err, 'stack', clean(err.stack));
  for (const key of Object.keys(err)) {
    const v = (err as unknown as Record<string, unknown>)[key];
    define(err, key, deep(v, clean), true);
  }
  if (!('cause' in err)) return err;
  const callersReason = err instanceof TransportError && err.reason === 'aborted' && !holdsSecret(err.cause, clean, 0);
  if (!callersReason) define(err, 'cause', depth >= MAX_CAUSE_DEPTH ? undefined : redactError(err.cause, clean, depth + 1));
  return err;
}

/**
 * Whether any text in `value` -- its name, message, stack, keys and fields, its causes -- holds a secret (too deep to read
 * counts as one). `clear` holds each object found to hold none, with the greatest depth it was read from: an object shared
 * by many paths (the caller's reason is any graph) is read once per depth, not once per path, which took seconds for a
 * few small objects 8 deep, 10 keys each (review r20x #2). An object clear from depth d is clear from any lesser depth
 * (nothing was too deep below it), so the answer is what reading every path would give; a cycle is still too deep.
 */
function holdsSecret(value: unknown, clean: (s: string) => string, depth: number, clear = new Map<object, number>()): boolean {
  if (typeof value === 'string') return clean(value) !== value;
  if (value === null || typeof value !== 'object') return false;
  if (depth > MAX_CAUSE_DEPTH) return true;
  if ((clear.get(value) ?? -1) >= depth) return false;
  const v = value as Record<string, unknown>;
  if ([v['name'], v['message'], v['stack'], v['cause'], ...Object.keys(v), ...Object.values(v)].some((x) => holdsSecret(x, clean, depth + 1, clear))) return true;
  clear.set(value, depth);
  return false;
}

function foreignCause(cause: unknown, clean: (s: string) => string, depth: number): unknown {
  if (cause === undefined || cause === null) return cause;
  if (typeof cause !== 'object') return deep(cause, clean);
  const c = cause as { name?: unknown; message?: unknown; code?: unknown; stack?: unknown; cause?: unknown };
  const out = new Error(clean(String(c.message ?? '')));
  // Of the cause's class (TypeError, DOMException, the caller's own), so instanceof still tells what
  // failed: its prototype holds methods, not the object's data, which this copy leaves behind.
  if (cause instanceof Error) Object.setPrototypeOf(out, Object.getPrototypeOf(cause));
  define(out, 'name', clean(String(c.name ?? 'Error')));
  define(out, 'stack', typeof c.stack === 'string' ? clean(c.stack) : `${out.name}: ${out.message}`);
  if (typeof c.code === 'string' || typeof c.code === 'number') define(out, 'code', deep(c.code, clean), true);
  if (c.cause !== undefined && depth < MAX_CAUSE_DEPTH) define(out, 'cause', foreignCause(c.cause, clean, depth + 1));
  return out;
}

function define(obj: object, key: string, value: unknown, enumerable = false): void {
  Object.defineProperty(obj, key, { value, enumerable, writable: true, configurable: true });
}

/** How deep deep() copies a field's objects; nothing the runtime makes nests this far. */
const MAX_FIELD_DEPTH = 64;
/** What stands for an object deeper than MAX_FIELD_DEPTH: it is never handed back uncleaned. */
const DEEPER_LEVELS_NOT_KEPT = '(deeper levels not kept)';

/** A copy of `value` with every string (also object keys) cleaned; objects nested deeper than MAX_FIELD_DEPTH are dropped. */
function deep(value: unknown, clean: (s: string) => string, depth = 0): unknown {
  if (typeof value === 'string') return clean(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_FIELD_DEPTH) return DEEPER_LEVELS_NOT_KEPT;
  // A Date holds no text (TenantNotRunningError.retryAt): kept as the Date it is.
  if (value instanceof Date) return value;
  if (Array.isArray(value)) return value.map((v) => deep(v, clean, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    Object.defineProperty(out, clean(k), { value: deep(v, clean, depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
