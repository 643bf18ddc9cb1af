// Keeping secrets (ticket, application token, the caller's `secrets`) out of every error the
// runtime throws: its message, stack, every own field (strings, and the keys and values of
// objects such as ExceptionInfo's Parameters) and its whole `cause` chain. A hostile server can
// echo a secret in any form, so a secret is matched whatever mix of forms spells its characters:
// raw, XML entity or numeric character reference (`&amp;`, `&#65;`, `&#x41;`), URL escape
// (`%41`, `%4a`/`%4A`) and JSON escape (`\u0041`, `\"`). The list is bounded: the fixed secrets,
// the current and previous ticket, and the ticket of the failing call (issue 15: an agent shared
// by many users sees a new ticket per call, and keeping them all made each failure slower).
import { SoapError } from './errors.js';

/** Secrets shorter than this are not redacted (they would match ordinary text). */
const MIN_SECRET_LENGTH = 4;

/** A regular expression source matching `ch` in any of the forms above. */
function charPattern(ch: string): string {
  const code = ch.codePointAt(0) as number;
  const hex = code.toString(16);
  const forms = [ch.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&'), `&#0*${code};`, `&#[xX]0*${caseless(hex)};`];
  if (code < 0x80) forms.push(`%${caseless(hex.padStart(2, '0'))}`);
  if (code <= 0xffff) forms.push(`\\\\[uU]${caseless(hex.padStart(4, '0'))}`);
  const named = ({ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' } as Record<string, string>)[ch];
  if (named !== undefined) forms.push(`&${named};`);
  if (ch === '"' || ch === '\\' || ch === '/') forms.push(`\\\\\\${ch}`);
  return `(?:${forms.join('|')})`;
}

function caseless(hex: string): string {
  return hex.replace(/[a-f]/g, (c) => `[${c}${c.toUpperCase()}]`);
}

/**
 * The pattern of one secret: the whole secret in any mix of forms, or — where an excerpt or a
 * capped fault text was cut off (`…`) — a beginning of it of at least 4 characters before the cut mark.
 */
function secretPattern(secret: string): string {
  const chars = Array.from(secret).map(charPattern);
  let cut = '';
  for (let k = chars.length - 2; k >= MIN_SECRET_LENGTH; k--) cut = `(?:${chars[k]}${cut})?`;
  return `${chars.join('')}|${chars.slice(0, MIN_SECRET_LENGTH).join('')}${cut}(?=…)`;
}

/** One compiled matcher for a list of secrets (undefined when there is nothing to match). */
function compile(secrets: readonly string[]): RegExp | undefined {
  const usable = secrets.filter((s) => s.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  return usable.length === 0 ? undefined : new RegExp(usable.map(secretPattern).join('|'), 'g');
}

/** Replaces every secret `pattern` matches with `***`. */
function scrub(text: string, patterns: readonly RegExp[]): string {
  let out = text;
  for (const p of patterns) out = out.replace(p, '***');
  return out;
}

/**
 * The secrets of one agent: fixed ones given at construction, and the current and previous ticket
 * (a ticket function may return a new one per call; older tickets are forgotten).
 */
export class Redactor {
  readonly #fixed: RegExp | undefined;
  #current: string | undefined;
  #previous: string | undefined;
  /** Compiled patterns of the current and previous ticket, made when an error first needs them. */
  readonly #compiled = new Map<string, RegExp | undefined>();

  constructor(fixed: readonly unknown[]) {
    this.#fixed = compile(fixed.filter((s): s is string => typeof s === 'string'));
  }

  /** Notes the ticket a call is about to send: it becomes the current one, the last one the previous. */
  noteTicket(ticket: string | undefined): void {
    if (ticket === undefined || ticket === this.#current) return;
    this.#previous = this.#current;
    this.#current = ticket;
    for (const t of this.#compiled.keys()) if (t !== this.#current && t !== this.#previous) this.#compiled.delete(t);
  }

  /** The patterns for one call: fixed, current, previous, and the call's own ticket if neither. */
  #patterns(callTicket: string | undefined): RegExp[] {
    const out: RegExp[] = [];
    if (this.#fixed) out.push(this.#fixed);
    for (const t of new Set([this.#current, this.#previous, callTicket])) {
      if (t === undefined) continue;
      let p = this.#compiled.get(t);
      if (p === undefined && !this.#compiled.has(t)) {
        p = compile([t]);
        if (t === this.#current || t === this.#previous) this.#compiled.set(t, p);
      }
      if (p) out.push(p);
    }
    return out;
  }

  /** `text` with every secret replaced by `***`. */
  text(text: string, callTicket?: string): string {
    return scrub(text, this.#patterns(callTicket));
  }

  /** `err` with every secret removed from it and its cause chain (see redactError). */
  error(err: unknown, callTicket?: string): unknown {
    const patterns = this.#patterns(callTicket);
    return patterns.length === 0 ? err : redactError(err, (s) => scrub(s, patterns), 0);
  }
}

/** Causes deeper than this are cut off (a cycle or a hostile chain). */
const MAX_CAUSE_DEPTH = 8;

/**
 * A runtime error (SoapError) is cleaned in place: message, stack, every own field. Anything else
 * in a cause chain (a fetch failure quoting the request …) is replaced by a plain Error carrying
 * its cleaned name, message, code and stack, so no field of a foreign object survives unread.
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
  if ('cause' in err) define(err, 'cause', depth >= MAX_CAUSE_DEPTH ? undefined : redactError(err.cause, clean, depth + 1));
  return err;
}

function foreignCause(cause: unknown, clean: (s: string) => string, depth: number): unknown {
  if (cause === undefined || cause === null) return cause;
  if (typeof cause !== 'object') return deep(cause, clean);
  const c = cause as { name?: unknown; message?: unknown; code?: unknown; stack?: unknown; cause?: unknown };
  const out = new Error(clean(String(c.message ?? '')));
  define(out, 'name', clean(String(c.name ?? 'Error')));
  define(out, 'stack', typeof c.stack === 'string' ? clean(c.stack) : `${out.name}: ${out.message}`);
  if (typeof c.code === 'string' || typeof c.code === 'number') define(out, 'code', deep(c.code, clean), true);
  if (c.cause !== undefined && depth < MAX_CAUSE_DEPTH) define(out, 'cause', foreignCause(c.cause, clean, depth + 1));
  return out;
}

function define(obj: object, key: string, value: unknown, enumerable = false): void {
  Object.defineProperty(obj, key, { value, enumerable, writable: true, configurable: true });
}

/** A copy of `value` with every string (also object keys) cleaned. */
function deep(value: unknown, clean: (s: string) => string, depth = 0): unknown {
  if (typeof value === 'string') return clean(value);
  if (depth > 64 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => deep(v, clean, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    Object.defineProperty(out, clean(k), { value: deep(v, clean, depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
