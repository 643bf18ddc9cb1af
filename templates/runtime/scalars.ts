// Lexical forms of the XSD scalars: strict parsing (an error names what was wrong; the caller
// adds the element path) and canonical writing. See the README's type mapping table.
import type { ScalarKind } from './schema.js';
import { codePoint, isWs, notXmlChar } from './xml.js';

/** Thrown by parse/format; the codecs turn it into a DecodeError/EncodeError with the path. */
export class ScalarError extends Error {}

/** The integer kinds and their ranges; the kinds are what parseScalar's and formatScalar's switches leave to their default. */
const INTEGER_RANGES = {
  byte: [-128, 127],
  short: [-32768, 32767],
  int: [-2147483648, 2147483647],
  long: [-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  unsignedByte: [0, 255],
  unsignedShort: [0, 65535],
  unsignedInt: [0, 4294967295],
  unsignedLong: [0, Number.MAX_SAFE_INTEGER],
} as const;

const DECIMAL_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const DOUBLE_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
export const DURATION_RE: RegExp = /^(-)?P(?=\d|T\d)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:\.(\d+))?S)?)?$/; // groups read by json.ts timeSpanText
// Base64's characters, then at most two '='; with a length that is a multiple of 4, the '=' can only
// pad the last group. Not one pattern of groups of four: V8 used stack for each group, and a 4 MB
// document stream overflowed it (a RangeError, not a DecodeError; test/runtime/decode.test.ts).
const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * The JS value of the text of a scalar element. Booleans, integers and dateTime (most values of a
 * message) are read from the characters of the text, trimmed as an extent [start, end), without a
 * regular expression or a substring; the other kinds are rare and matched against their lexical
 * form. Bench: the `tricks` case, row trick-scalar-char-codes.
 */
export function parseScalar(kind: ScalarKind, src: string): unknown {
  if (kind === 'string') return src;
  // XSD collapses whitespace for every type but string (and its restrictions); values are trimmed.
  let start = 0;
  let end = src.length;
  while (start < end && isWs(src.charCodeAt(start))) start++;
  while (end > start && isWs(src.charCodeAt(end - 1))) end--;
  switch (kind) {
    case 'boolean': {
      const n = end - start;
      if ((n === 4 && src.startsWith('true', start)) || (n === 1 && src.charCodeAt(start) === 49)) return true;
      if ((n === 5 && src.startsWith('false', start)) || (n === 1 && src.charCodeAt(start) === 48)) return false;
      throw new ScalarError(`"${shortText(src.slice(start, end))}" is not a boolean`);
    }
    case 'float':
    case 'double': {
      const text = src.slice(start, end);
      if (text === 'INF' || text === '+INF') return Infinity;
      if (text === '-INF') return -Infinity;
      if (text === 'NaN') return NaN;
      if (!DOUBLE_RE.test(text)) throw new ScalarError(`"${shortText(text)}" is not a number (xs:${kind})`);
      return Number(text);
    }
    case 'decimal': {
      const text = src.slice(start, end);
      if (!DECIMAL_RE.test(text)) throw new ScalarError(`"${shortText(text)}" is not a decimal`);
      return Number(text);
    }
    case 'dateTime':
      return parseDateTime(src, start, end);
    case 'duration': {
      const text = src.slice(start, end);
      if (!DURATION_RE.test(text)) throw new ScalarError(`"${shortText(text)}" is not an ISO 8601 duration`);
      return text;
    }
    case 'base64Binary':
      return decodeBase64(src.slice(start, end));
    case 'anyURI':
    case 'QName':
      return src.slice(start, end);
    case 'char': {
      const code = integerAt(src, start, end);
      if (Number.isNaN(code)) throw new ScalarError(`"${shortText(src.slice(start, end))}" is not a char code`);
      if (code < 0 || code > 0xffff) throw new ScalarError(`${shortText(src.slice(start, end))} is not a UTF-16 code unit`);
      return String.fromCharCode(code);
    }
    default: { // the integer kinds (INTEGER_RANGES), as the type checker narrows kind here
      const n = integerAt(src, start, end);
      if (Number.isNaN(n)) throw new ScalarError(`"${shortText(src.slice(start, end))}" is not an integer (xs:${kind})`);
      if (!inRange(kind, n)) throw outOfRange(kind, shortText(src.slice(start, end)));
      return n;
    }
  }
}

/**
 * The integer written in src[start, end) (an optional sign and ASCII digits), or NaN. Exact up to
 * Number.MAX_SAFE_INTEGER; beyond it only approximately, but always beyond it, so the range check
 * refuses it.
 */
function integerAt(src: string, start: number, end: number): number {
  const sign = src.charCodeAt(start);
  const p = sign === 45 || sign === 43 ? start + 1 : start;
  const value = p === end ? -1 : digitsAt(src, p, end - p);
  if (value < 0) return NaN;
  return sign === 45 && value !== 0 ? -value : value; // no -0
}

/** The value of the ASCII digits src[p, p + n), or -1 if any is not a digit. */
function digitsAt(src: string, p: number, n: number): number {
  let value = 0;
  for (let end = p + n; p < end; p++) {
    const d = src.charCodeAt(p) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

function inRange(kind: keyof typeof INTEGER_RANGES, n: number): boolean {
  const range = INTEGER_RANGES[kind];
  return n >= range[0] && n <= range[1];
}

function outOfRange(kind: ScalarKind, shown: string): ScalarError {
  const why = kind === 'long' || kind === 'unsignedLong' ? ' (beyond Number.MAX_SAFE_INTEGER a JS number loses digits)' : '';
  return new ScalarError(`${shown} is out of range for xs:${kind}${why}`);
}

/** The lexical form of a JS value, or a ScalarError saying why it does not fit. */
export function formatScalar(kind: ScalarKind, value: unknown): string {
  switch (kind) {
    case 'string':
    case 'anyURI':
    case 'QName': {
      if (typeof value !== 'string') throw typeError('a string', value);
      const bad = notXmlChar(value);
      if (bad >= 0) throw new ScalarError(`the character ${codePoint(value.charCodeAt(bad))} at index ${bad} cannot be written in XML 1.0`);
      return value;
    }
    case 'boolean':
      if (typeof value !== 'boolean') throw typeError('a boolean', value);
      return value ? 'true' : 'false';
    case 'float':
    case 'double':
      if (typeof value !== 'number') throw typeError('a number', value);
      if (value === Infinity) return 'INF';
      if (value === -Infinity) return '-INF';
      return Object.is(value, -0) ? '-0' : String(value); // NaN as 'NaN' too
    case 'decimal':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw typeError('a finite number (xs:decimal)', value);
      return plainDecimal(value);
    case 'dateTime':
      if (!(value instanceof Date)) throw typeError('a Date', value);
      return formatDateTime(value);
    case 'duration':
      if (typeof value !== 'string') throw typeError('a string (ISO 8601 duration)', value);
      if (!DURATION_RE.test(value)) throw new ScalarError(`"${shortText(value)}" is not an ISO 8601 duration`);
      return value;
    case 'base64Binary':
      if (!(value instanceof Uint8Array)) throw typeError('a Uint8Array', value);
      return encodeBase64(value);
    case 'char':
      if (typeof value !== 'string' || value.length !== 1) throw typeError('a one-character string (WCF char)', value);
      return String(value.charCodeAt(0));
    default: // the integer kinds (INTEGER_RANGES), as the type checker narrows kind here
      if (typeof value !== 'number' || !Number.isInteger(value)) throw typeError(`an integer (xs:${kind})`, value, true);
      if (!inRange(kind, value)) throw outOfRange(kind, String(value));
      return String(value === 0 ? 0 : value);
  }
}

function typeError(expected: string, value: unknown, numberShown = false): ScalarError {
  const got = value === null ? 'null' : value instanceof Date ? 'Date' : Array.isArray(value) ? 'array' : typeof value;
  return new ScalarError(`expected ${expected}, got ${numberShown && typeof value === 'number' ? value : got}`);
}

/** A value as quoted in a message: at most `max` characters, a cut marked with … (schema.ts's value rules, http.ts's errors quote with it too). */
export function shortText(text: string, max = 40): string {
  return text.length > max ? `${text.slice(0, max)}\u2026` : text;
}

/**
 * Decimal notation without exponent (String(1e21) would be "1e+21", which xs:decimal forbids),
 * made from the shortest round-trip digits, so reading it back gives exactly the same number.
 */
function plainDecimal(n: number): string {
  const s = String(n === 0 ? 0 : n);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  // Read by index: destructuring a RegExpExecArray makes a consumer's tsc relate it to ReadonlyArray.
  const sign = m[1]!;
  const digits = m[2]! + (m[3] ?? '');
  const exp = m[4];
  const point = 1 + Number(exp); // position of the decimal point within `digits`
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/**
 * `[-]YYYY[Y...]-MM-DDThh:mm:ss[.f...][Z|±hh:mm]` in src[start, end) (already trimmed). Hour 24 is
 * the next day's midnight; a date that does not exist is refused. Digits past milliseconds are cut,
 * not rounded, so WCF's end of a day (23:59:59.9999999, DateTime.MaxValue) stays in its day.
 */
function parseDateTime(src: string, start: number, end: number): Date {
  const bad = (why: string): ScalarError => new ScalarError(`"${shortText(src.slice(start, end))}" ${why}`);
  let p = start;
  const negative = src.charCodeAt(p) === 45;
  if (negative) p++;
  const yearStart = p;
  while (p < end && digitsAt(src, p, 1) >= 0) p++;
  const yearDigits = p - yearStart;
  if (yearDigits < 4 || end - p < 15) throw bad('is not an xs:dateTime');
  const year = (negative ? -1 : 1) * Number(src.slice(yearStart, p));
  const month = digitsAt(src, p + 1, 2);
  const day = digitsAt(src, p + 4, 2);
  const hour = digitsAt(src, p + 7, 2);
  const minute = digitsAt(src, p + 10, 2);
  const second = digitsAt(src, p + 13, 2);
  if (
    src.charCodeAt(p) !== 45 /* - */ ||
    src.charCodeAt(p + 3) !== 45 ||
    src.charCodeAt(p + 6) !== 84 /* T */ ||
    src.charCodeAt(p + 9) !== 58 /* : */ ||
    src.charCodeAt(p + 12) !== 58 ||
    Math.min(month, day, hour, minute, second) < 0 // a field that is not two digits
  ) {
    throw bad('is not an xs:dateTime');
  }
  p += 15;
  let ms = 0;
  if (p < end && src.charCodeAt(p) === 46 /* . */) {
    const dot = p;
    for (p++; p < end && digitsAt(src, p, 1) >= 0; p++);
    if (p === dot + 1) throw bad('is not an xs:dateTime');
    ms = Number(src.slice(dot + 1, Math.min(p, dot + 4)).padEnd(3, '0'));
  }
  let offset = 0;
  if (p < end) {
    const c = src.charCodeAt(p);
    if (c === 90 /* Z */) {
      p++;
    } else if ((c === 43 || c === 45) && end - p === 6 && src.charCodeAt(p + 3) === 58) {
      const h = digitsAt(src, p + 1, 2);
      const m = digitsAt(src, p + 4, 2);
      if (h < 0 || m < 0) throw bad('is not an xs:dateTime');
      offset = (c === 45 ? -1 : 1) * (h * 60 + m);
      p += 6;
    }
    if (p !== end) throw bad('is not an xs:dateTime');
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 || second > 59) throw bad('is not a valid date and time');
  let date: Date;
  if (year >= 100) {
    date = new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms));
  } else {
    // Date.UTC reads years 0-99 as 1900-1999; setUTCFullYear does not (WCF sends 0001-01-01 as MinValue).
    date = new Date(0);
    date.setUTCFullYear(year, month - 1, day);
    date.setUTCHours(hour, minute, second, ms);
  }
  if (date.getUTCDate() !== day && hour !== 24) throw bad('is not a valid date');
  if (offset !== 0) date.setTime(date.getTime() - offset * 60000);
  return date;
}

/** `2023-02-15T13:13:12Z`, with `.mmm` only when there are milliseconds. */
function formatDateTime(date: Date): string {
  const t = date.getTime();
  if (Number.isNaN(t)) throw new ScalarError('the Date is invalid');
  const year = date.getUTCFullYear();
  if (year < 1 || year > 9999) throw new ScalarError(`year ${year} is outside 0001\u20139999`);
  // Within those years toISOString is `YYYY-MM-DDThh:mm:ss.mmmZ`.
  const iso = date.toISOString();
  return date.getUTCMilliseconds() === 0 ? `${iso.slice(0, 19)}Z` : iso;
}

/** Characters per String.fromCharCode call: an engine takes only so many arguments in one call. */
const CHUNK = 8192;

/** Base64 of `bytes`: btoa of the string whose character codes are the bytes. */
export function encodeBase64(bytes: Uint8Array): string {
  let binary = '';
  // apply takes the typed array itself as its argument list, CHUNK bytes at a time.
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK) as unknown as number[]);
  return btoa(binary);
}

/** The bytes of base64 `text`, white space allowed anywhere; checked first, as atob would also take it unpadded. */
export function decodeBase64(text: string): Uint8Array {
  const clean = text.replace(/[ \t\n\r]+/g, '');
  if (clean.length % 4 !== 0 || !BASE64_RE.test(clean)) throw new ScalarError('the text is not valid base64');
  const binary = atob(clean);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
