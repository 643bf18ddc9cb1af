// Lexical forms of the XSD scalars: strict parsing (an error names what was wrong; the caller
// adds the element path) and canonical writing. See the README's type mapping table.
import type { ScalarKind } from './schema.js';

/** Thrown by parse/format; the codecs turn it into a DecodeError/EncodeError with the path. */
export class ScalarError extends Error {}

const INTEGER_RANGES: Partial<Record<ScalarKind, readonly [number, number]>> = {
  byte: [-128, 127],
  short: [-32768, 32767],
  int: [-2147483648, 2147483647],
  long: [-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  unsignedByte: [0, 255],
  unsignedShort: [0, 65535],
  unsignedInt: [0, 4294967295],
  unsignedLong: [0, Number.MAX_SAFE_INTEGER],
};

const INTEGER_RE = /^[+-]?\d+$/;
const DECIMAL_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const DOUBLE_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const DATETIME_RE = /^(-?\d{4,})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)?$/;
const DURATION_RE = /^-?P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

// XSD collapses whitespace for every type but string (and its restrictions); values are trimmed.
const XML_SPACE = /^[ \t\n\r]+|[ \t\n\r]+$/g;

/** The JS value of the text of a scalar element. */
export function parseScalar(kind: ScalarKind, raw: string): unknown {
  if (kind === 'string') return raw;
  const text = hasOuterSpace(raw) ? raw.replace(XML_SPACE, '') : raw;
  switch (kind) {
    case 'boolean':
      if (text === 'true' || text === '1') return true;
      if (text === 'false' || text === '0') return false;
      throw new ScalarError(`"${shortText(text)}" is not a boolean`);
    case 'byte':
    case 'short':
    case 'int':
    case 'long':
    case 'unsignedByte':
    case 'unsignedShort':
    case 'unsignedInt':
    case 'unsignedLong': {
      if (!INTEGER_RE.test(text)) throw new ScalarError(`"${shortText(text)}" is not an integer (xs:${kind})`);
      const n = Number(text);
      checkRange(kind, n, text);
      return n === 0 ? 0 : n; // no -0
    }
    case 'float':
    case 'double':
      if (text === 'INF' || text === '+INF') return Infinity;
      if (text === '-INF') return -Infinity;
      if (text === 'NaN') return NaN;
      if (!DOUBLE_RE.test(text)) throw new ScalarError(`"${shortText(text)}" is not a number (xs:${kind})`);
      return Number(text);
    case 'decimal':
      if (!DECIMAL_RE.test(text)) throw new ScalarError(`"${shortText(text)}" is not a decimal`);
      return Number(text);
    case 'dateTime':
      return parseDateTime(text);
    case 'duration':
      if (!DURATION_RE.test(text)) throw new ScalarError(`"${shortText(text)}" is not an ISO 8601 duration`);
      return text;
    case 'base64Binary':
      return decodeBase64(text);
    case 'anyURI':
    case 'QName':
      return text;
    case 'char': {
      if (!INTEGER_RE.test(text)) throw new ScalarError(`"${shortText(text)}" is not a char code`);
      const code = Number(text);
      if (code < 0 || code > 0xffff) throw new ScalarError(`${text} is not a UTF-16 code unit`);
      return String.fromCharCode(code);
    }
  }
}

// A fast path for the most common scalars, used by the decoder: it reads the text
// straight from the document, without making a string for numbers and booleans.
// Bench: the `tricks` case, row trick-scalar-fast-path.
const FAST_KINDS: readonly ScalarKind[] = ['string', 'boolean', 'dateTime', 'byte', 'short', 'int', 'long', 'unsignedByte', 'unsignedShort', 'unsignedInt', 'unsignedLong'];
const FAST_DATETIME = 3;
const FAST_FIRST_INTEGER = 4;
const FAST_MIN: number[] = [];
const FAST_MAX: number[] = [];
FAST_KINDS.forEach((kind, i) => {
  const range = INTEGER_RANGES[kind];
  FAST_MIN[i + 1] = range ? range[0] : 0;
  FAST_MAX[i + 1] = range ? range[1] : 0;
});

/** The code parseScalarAt takes for `kind`; 0 when it has no fast path. */
export function fastScalarCode(kind: ScalarKind): number {
  return FAST_KINDS.indexOf(kind) + 1;
}

/**
 * parseScalar's fast path for a text that is exactly src[start, end) (`code` from fastScalarCode):
 * the value, or undefined when the text needs parseScalar (which also makes any error). Whatever it
 * returns, parseScalar returns the same for that text.
 */
export function parseScalarAt(code: number, src: string, start: number, end: number): unknown {
  if (code === 1) return src.slice(start, end);
  const n = end - start;
  if (code === 2) {
    if (n === 4 && src.startsWith('true', start)) return true;
    if (n === 5 && src.startsWith('false', start)) return false;
    if (n === 1) {
      const c = src.charCodeAt(start);
      if (c === 49) return true;
      if (c === 48) return false;
    }
    return undefined;
  }
  if (code === FAST_DATETIME) return dateTimeAt(src, start, end);
  if (code < FAST_FIRST_INTEGER) return undefined;
  // Integers: an optional sign and 1 to 15 ASCII digits (exact in a double), within range.
  let p = start;
  const sign = src.charCodeAt(p);
  if (sign === 45 || sign === 43) p++;
  if (end - p < 1 || end - p > 15) return undefined;
  let value = 0;
  for (; p < end; p++) {
    const d = src.charCodeAt(p) - 48;
    if (d < 0 || d > 9) return undefined;
    value = value * 10 + d;
  }
  if (sign === 45) value = -value;
  if (value < (FAST_MIN[code] as number) || value > (FAST_MAX[code] as number)) return undefined;
  return value === 0 ? 0 : value; // no -0
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

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * parseDateTime's fast path: `YYYY-MM-DDThh:mm:ss[.f…][Z|±hh:mm]` with a year from 0100 to 9999
 * and an hour below 24, a valid date, and fractions that do not round up to a whole second. Anything
 * else (other years, hour 24, invalid dates, whitespace) is left to parseDateTime: undefined.
 */
function dateTimeAt(src: string, start: number, end: number): Date | undefined {
  if (end - start < 19) return undefined;
  const year = digitsAt(src, start, 4);
  const month = digitsAt(src, start + 5, 2);
  const day = digitsAt(src, start + 8, 2);
  const hour = digitsAt(src, start + 11, 2);
  const minute = digitsAt(src, start + 14, 2);
  const second = digitsAt(src, start + 17, 2);
  if (
    src.charCodeAt(start + 4) !== 45 ||
    src.charCodeAt(start + 7) !== 45 ||
    src.charCodeAt(start + 10) !== 84 ||
    src.charCodeAt(start + 13) !== 58 ||
    src.charCodeAt(start + 16) !== 58 ||
    year < 100 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59 ||
    second < 0 ||
    second > 59
  ) {
    return undefined;
  }
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (DAYS_IN_MONTH[month - 1] as number) + (leap ? 1 : 0)) return undefined;
  let p = start + 19;
  let ms = 0;
  if (src.charCodeAt(p) === 46 /* . */) {
    const dot = p;
    for (p++; p < end; p++) {
      const c = src.charCodeAt(p);
      if (c < 48 || c > 57) break;
    }
    if (p === dot + 1) return undefined;
    ms = Math.round(Number(src.slice(dot, p)) * 1000); // as parseDateTime rounds `0.f…`
    if (ms > 999) return undefined;
  }
  let offset = 0;
  if (p < end) {
    const c = src.charCodeAt(p);
    if (c === 90 /* Z */) {
      p++;
    } else if ((c === 43 || c === 45) && end - p === 6 && src.charCodeAt(p + 3) === 58) {
      const h = digitsAt(src, p + 1, 2);
      const m = digitsAt(src, p + 4, 2);
      if (h < 0 || m < 0) return undefined;
      offset = (c === 45 ? -1 : 1) * (h * 60 + m);
      p += 6;
    }
    if (p !== end) return undefined;
  }
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms) - offset * 60000);
}

function isXmlSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

function hasOuterSpace(text: string): boolean {
  return text.length > 0 && (isXmlSpace(text.charCodeAt(0)) || isXmlSpace(text.charCodeAt(text.length - 1)));
}

function checkRange(kind: ScalarKind, n: number, shown: string): void {
  const range = INTEGER_RANGES[kind]!;
  if (n < range[0] || n > range[1]) {
    const why = kind === 'long' || kind === 'unsignedLong' ? ' (beyond Number.MAX_SAFE_INTEGER a JS number loses digits)' : '';
    throw new ScalarError(`${shown} is out of range for xs:${kind}${why}`);
  }
}

/** The lexical form of a JS value, or a ScalarError saying why it does not fit. */
export function formatScalar(kind: ScalarKind, value: unknown): string {
  switch (kind) {
    case 'string':
    case 'anyURI':
    case 'QName':
      if (typeof value !== 'string') throw typeError('a string', value);
      checkXmlChars(value);
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw typeError('a boolean', value);
      return value ? 'true' : 'false';
    case 'byte':
    case 'short':
    case 'int':
    case 'long':
    case 'unsignedByte':
    case 'unsignedShort':
    case 'unsignedInt':
    case 'unsignedLong':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw typeError(`an integer (xs:${kind})`, value);
      checkRange(kind, value, String(value));
      return String(value === 0 ? 0 : value);
    case 'float':
    case 'double':
      if (typeof value !== 'number') throw typeError('a number', value);
      if (Number.isNaN(value)) return 'NaN';
      if (value === Infinity) return 'INF';
      if (value === -Infinity) return '-INF';
      return Object.is(value, -0) ? '-0' : String(value);
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
  }
}

// Characters XML 1.0 cannot carry at all (not even escaped), and unpaired surrogates.
const NOT_XML_CHAR = /[\0-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function checkXmlChars(value: string): void {
  const m = NOT_XML_CHAR.exec(value);
  if (m) {
    const code = m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    throw new ScalarError(`the character U+${code} at index ${m.index} cannot be written in XML 1.0`);
  }
}

function typeError(expected: string, value: unknown): ScalarError {
  const got = value === null ? 'null' : value instanceof Date ? 'Date' : Array.isArray(value) ? 'array' : typeof value;
  return new ScalarError(`expected ${expected}, got ${got}`);
}

function shortText(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/**
 * Decimal notation without exponent (String(1e21) would be "1e+21", which xs:decimal forbids),
 * made from the shortest round-trip digits, so reading it back gives exactly the same number.
 */
function plainDecimal(n: number): string {
  const s = String(n === 0 ? 0 : n);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const [, sign, lead, frac = '', exp] = m;
  const digits = lead! + frac;
  const point = 1 + Number(exp); // position of the decimal point within `digits`
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

function parseDateTime(text: string): Date {
  const m = DATETIME_RE.exec(text);
  if (!m) throw new ScalarError(`"${shortText(text)}" is not an xs:dateTime`);
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 || second > 59) {
    throw new ScalarError(`"${shortText(text)}" is not a valid date and time`);
  }
  const ms = frac ? Math.round(Number(`0${frac}`) * 1000) : 0;
  // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear does not (WCF sends 0001-01-01 as MinValue).
  const date = new Date(0);
  date.setUTCFullYear(Number(y), month - 1, day);
  date.setUTCHours(hour, minute, second, ms);
  if (date.getUTCDate() !== day && hour !== 24) throw new ScalarError(`"${shortText(text)}" is not a valid date`);
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const offset = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
    date.setTime(date.getTime() - offset * 60000);
  }
  return date;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** `2023-02-15T13:13:12Z`, with `.mmm` only when there are milliseconds. */
function formatDateTime(date: Date): string {
  const t = date.getTime();
  if (Number.isNaN(t)) throw new ScalarError('the Date is invalid');
  const year = date.getUTCFullYear();
  if (year < 1 || year > 9999) throw new ScalarError(`year ${year} is outside 0001–9999`);
  const ms = date.getUTCMilliseconds();
  return (
    `${pad(year, 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}` +
    `T${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}` +
    `${ms ? `.${pad(ms, 3)}` : ''}Z`
  );
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_INDEX[B64.charCodeAt(i)] = i;

export function encodeBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  let chunk = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    chunk += B64[n >> 18]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + B64[n & 63]!;
    if (chunk.length >= 8192) {
      parts.push(chunk);
      chunk = '';
    }
  }
  if (i < bytes.length) {
    const rest = bytes.length - i;
    const n = (bytes[i]! << 16) | (rest === 2 ? bytes[i + 1]! << 8 : 0);
    chunk += B64[n >> 18]! + B64[(n >> 12) & 63]! + (rest === 2 ? B64[(n >> 6) & 63]! : '=') + '=';
  }
  parts.push(chunk);
  return parts.join('');
}

export function decodeBase64(text: string): Uint8Array {
  const clean = text.replace(/[ \t\n\r]+/g, '');
  if (clean.length % 4 !== 0 || !BASE64_RE.test(clean)) throw new ScalarError('the text is not valid base64');
  const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((clean.length / 4) * 3 - padding);
  let o = 0;
  for (let i = 0; i < clean.length; i += 4) {
    const a = B64_INDEX[clean.charCodeAt(i)]!;
    const b = B64_INDEX[clean.charCodeAt(i + 1)]!;
    const c = clean[i + 2] === '=' ? 0 : B64_INDEX[clean.charCodeAt(i + 2)]!;
    const d = clean[i + 3] === '=' ? 0 : B64_INDEX[clean.charCodeAt(i + 3)]!;
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = n >> 16;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}
