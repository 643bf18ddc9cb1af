// Bytes of an XML message -> text, as XML 1.0 (Appendix F) and RFC 7303 (XML media types) say:
// the byte order mark, the charset parameter of the Content-Type and the encoding declaration
// decide the encoding. Never a guess and never a silent repair: bytes that are invalid in their
// encoding, two of those three that name different encodings, and encodings this runtime does not
// read are DecodeErrors, because text decoded in the wrong encoding is corrupted data that
// looks valid (`café` read as `caf\uFFFD` or `cafÃ©`).
//
// Read: UTF-8 (the default, as XML and SOAP say), UTF-16 LE/BE, ISO-8859-1, windows-1252 and
// US-ASCII. The agent reads responses and the mock reads requests through this one function.
import { DecodeError } from './errors.js';
import { shortText } from './scalars.js';

/** Encodings this runtime reads, by canonical name. */
type Encoding = 'UTF-8' | 'UTF-16' | 'UTF-16LE' | 'UTF-16BE' | 'ISO-8859-1' | 'windows-1252' | 'US-ASCII';

/** The IANA names and aliases of the encodings we read (lower case). */
const LABELS: Record<string, Encoding> = {
  'utf-8': 'UTF-8',
  utf8: 'UTF-8',
  'utf-16': 'UTF-16',
  utf16: 'UTF-16',
  'utf-16le': 'UTF-16LE',
  'utf-16be': 'UTF-16BE',
  'iso-8859-1': 'ISO-8859-1',
  'iso8859-1': 'ISO-8859-1',
  'iso_8859-1': 'ISO-8859-1',
  'iso_8859-1:1987': 'ISO-8859-1',
  'iso-ir-100': 'ISO-8859-1',
  latin1: 'ISO-8859-1',
  l1: 'ISO-8859-1',
  cp819: 'ISO-8859-1',
  ibm819: 'ISO-8859-1',
  csisolatin1: 'ISO-8859-1',
  'windows-1252': 'windows-1252',
  cp1252: 'windows-1252',
  'x-cp1252': 'windows-1252',
  'us-ascii': 'US-ASCII',
  ascii: 'US-ASCII',
  'iso646-us': 'US-ASCII',
  'ansi_x3.4-1968': 'US-ASCII',
  csascii: 'US-ASCII',
};

const SUPPORTED = 'UTF-8, UTF-16 (LE/BE), ISO-8859-1, windows-1252 and US-ASCII';

/** windows-1252's characters for the bytes 0x80-0x9F (where it differs from ISO-8859-1; the 5 unassigned bytes stay C1 controls, as in the WHATWG table). */
const CP1252_HIGH =
  '\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F' +
  '\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178';

/** Where the encoding came from, for messages. */
type Source = 'byte order mark' | 'Content-Type charset' | 'XML declaration' | 'first bytes' | 'default';

function fail(message: string, operation: string | undefined): never {
  throw new DecodeError(message, '', operation);
}

/** The charset parameter of a Content-Type header (lower case), or undefined. */
export function charsetParameter(contentType: string | null | undefined): string | undefined {
  return charsetLabel(contentType)?.toLowerCase();
}

/** The charset parameter of a Content-Type header as sent, or undefined. */
function charsetLabel(contentType: string | null | undefined): string | undefined {
  if (!contentType) return undefined;
  const m = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i.exec(contentType);
  if (!m) return undefined;
  const value = (m[1] ?? m[2] ?? '').trim();
  return value === '' ? undefined : value;
}

/**
 * The encoding a label names (in any case). An unsupported label is quoted as sent and cut
 * (shortText): the server chose it, and it may echo a secret, which the redactor finds only as
 * written (a lower-cased copy escaped it) and only whole or cut with `…`.
 */
function encodingNamed(label: string, source: Source, operation: string | undefined): Encoding {
  const enc = LABELS[label.toLowerCase()];
  if (enc === undefined) fail(`unsupported encoding "${shortText(label)}" (from the ${source}); this client reads ${SUPPORTED}`, operation);
  return enc;
}

/** Whether text in `actual` may carry the label `named` (in a declaration or a charset parameter). */
function compatible(named: Encoding, actual: Encoding): boolean {
  if (named === actual) return true;
  if (named === 'UTF-16') return actual === 'UTF-16LE' || actual === 'UTF-16BE';
  if (actual === 'UTF-16') return named === 'UTF-16LE' || named === 'UTF-16BE';
  // ASCII is a subset of the others: US-ASCII bytes mean the same in each of them.
  if (named === 'US-ASCII' || actual === 'US-ASCII') return !isUtf16(named) && !isUtf16(actual);
  return false;
}

function isUtf16(e: Encoding): boolean {
  return e === 'UTF-16' || e === 'UTF-16LE' || e === 'UTF-16BE';
}

/** The encoding a byte order mark at the start of `bytes` announces, and its length; refuses UTF-32. */
function byteOrderMark(bytes: Uint8Array, operation: string | undefined): { enc: Encoding; length: number } | undefined {
  const [b0, b1, b2, b3] = [bytes[0], bytes[1], bytes[2], bytes[3]];
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return { enc: 'UTF-8', length: 3 };
  if ((b0 === 0xff && b1 === 0xfe && b2 === 0 && b3 === 0) || (b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff)) {
    fail(`the message is UTF-32 (byte order mark); this client reads ${SUPPORTED}`, operation);
  }
  if (b0 === 0xfe && b1 === 0xff) return { enc: 'UTF-16BE', length: 2 };
  if (b0 === 0xff && b1 === 0xfe) return { enc: 'UTF-16LE', length: 2 };
  return undefined;
}

/**
 * Without a byte order mark or charset (XML 1.0 Appendix F): `<?` in UTF-16 without a mark, or
 * the encoding named by a declaration in ASCII-compatible bytes; else UTF-8.
 */
function sniff(bytes: Uint8Array, operation: string | undefined): { enc: Encoding; source: Source } {
  const [b0, b1, b2, b3] = [bytes[0], bytes[1], bytes[2], bytes[3]];
  if (b0 === 0x3c && b1 === 0 && b2 === 0x3f && b3 === 0) return { enc: 'UTF-16LE', source: 'first bytes' };
  if (b0 === 0 && b1 === 0x3c && b2 === 0 && b3 === 0x3f) return { enc: 'UTF-16BE', source: 'first bytes' };
  if (b0 === 0x4c && b1 === 0x6f && b2 === 0xa7 && b3 === 0x94) fail(`the message is EBCDIC; this client reads ${SUPPORTED}`, operation);
  const declared = declaredEncoding(latin1(bytes.subarray(0, 1024)));
  if (declared !== undefined) {
    const enc = encodingNamed(declared, 'XML declaration', operation);
    // A declaration readable as single bytes cannot be in UTF-16: it contradicts itself (Appendix F).
    if (isUtf16(enc)) fail(`the XML declaration says encoding="${declared}", but the message starts in single-byte characters`, operation);
    return { enc, source: 'XML declaration' };
  }
  return { enc: 'UTF-8', source: 'default' };
}

/** The encoding name of the XML declaration at the start of `text`, or undefined. */
function declaredEncoding(text: string): string | undefined {
  const m = /^<\?xml\s+version\s*=\s*(?:"[^"]*"|'[^']*')\s+encoding\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(text);
  return m ? (m[1] ?? m[2]) : undefined;
}

/**
 * Bytes as ISO-8859-1 (each byte the code point of the same value). By hand because
 * TextDecoder('iso-8859-1') is windows-1252 under the WHATWG rules, which maps 0x80-0x9F elsewhere.
 */
function latin1(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    text += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192) as unknown as number[]);
  }
  return text;
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence (only called after a failure). */
function invalidUtf8At(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    // Continuation bytes after this lead byte, and the smallest code point that needs that many.
    const n = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : 0;
    if (n === 0) return i;
    const min = n === 1 ? 0x80 : n === 2 ? 0x800 : 0x10000;
    let cp = b & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    // Overlong forms, encoded surrogates (ED A0 80 ...) and values beyond U+10FFFF.
    if (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) return i;
    i += n + 1;
  }
  return bytes.length;
}

/** Offset (in `bytes`, UTF-16LE) of an odd trailing byte or an unpaired surrogate (only called after a failure). */
function invalidUtf16At(bytes: Uint8Array): number {
  const units = bytes.length >> 1;
  for (let u = 0; u < units; u++) {
    const c = (bytes[2 * u] as number) | ((bytes[2 * u + 1] as number) << 8);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = u + 1 < units ? (bytes[2 * u + 2] as number) | ((bytes[2 * u + 3] as number) << 8) : -1;
      if (d >= 0xdc00 && d <= 0xdfff) {
        u++;
        continue;
      }
      return 2 * u;
    }
    if (c >= 0xdc00 && c <= 0xdfff) return 2 * u;
  }
  return bytes.length & 1 ? bytes.length - 1 : bytes.length;
}

/** `bytes` (after the byte order mark, which is `skip` bytes long) in `enc`; invalid sequences are DecodeErrors. */
function decodeAs(enc: Encoding, bytes: Uint8Array, skip: number, operation: string | undefined): string {
  const body = bytes.subarray(skip);
  switch (enc) {
    case 'UTF-8':
      try {
        return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
      } catch {
        return fail(`the message is not valid UTF-8: invalid byte sequence at byte offset ${skip + invalidUtf8At(body)}`, operation);
      }
    case 'UTF-16':
    case 'UTF-16LE':
    case 'UTF-16BE': {
      // Without a byte order mark, "UTF-16" is big-endian (RFC 2781), unless the first bytes say otherwise.
      const little = enc === 'UTF-16LE' || (enc === 'UTF-16' && body[0] === 0x3c && body[1] === 0);
      let le = body;
      if (!little) {
        le = new Uint8Array(body.length);
        for (let i = 0; i + 1 < body.length; i += 2) {
          le[i] = body[i + 1] as number;
          le[i + 1] = body[i] as number;
        }
        if (body.length & 1) le[body.length - 1] = body[body.length - 1] as number;
      }
      try {
        return new TextDecoder('utf-16le', { fatal: true, ignoreBOM: true }).decode(le);
      } catch {
        return fail(`the message is not valid UTF-16: unpaired surrogate or odd length at byte offset ${skip + invalidUtf16At(le)}`, operation);
      }
    }
    case 'US-ASCII': {
      const i = body.findIndex((b) => b >= 0x80);
      if (i >= 0) fail(`the message is not US-ASCII: byte 0x${(body[i] as number).toString(16).toUpperCase()} at byte offset ${skip + i}`, operation);
      return latin1(body);
    }
    case 'ISO-8859-1':
      return latin1(body);
    case 'windows-1252':
      return latin1(body).replace(/[\x80-\x9f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80] as string);
  }
}

/**
 * The text of an XML message from its bytes and its Content-Type header (undefined when there is
 * none). The byte order mark is removed. Throws DecodeError (path '') when the encoding is
 * unsupported, when the bytes are invalid in it (with the byte offset), or when the byte order
 * mark, the charset parameter and the XML declaration name different encodings.
 */
export function decodeXmlBytes(bytes: Uint8Array, contentType: string | null | undefined, operation?: string): string {
  const bom = byteOrderMark(bytes, operation);
  const label = charsetLabel(contentType);
  const charset = label === undefined ? undefined : encodingNamed(label, 'Content-Type charset', operation);
  let enc: Encoding;
  let source: Source;
  if (bom !== undefined) {
    if (charset !== undefined && !compatible(charset, bom.enc)) {
      fail(`the Content-Type charset "${label}" contradicts the byte order mark (${bom.enc})`, operation);
    }
    enc = bom.enc;
    source = 'byte order mark';
  } else if (charset !== undefined) {
    enc = charset;
    source = 'Content-Type charset';
  } else {
    ({ enc, source } = sniff(bytes, operation));
  }
  const text = decodeAs(enc, bytes, bom?.length ?? 0, operation);
  const declared = declaredEncoding(text);
  if (declared !== undefined && source !== 'XML declaration') {
    const named = LABELS[declared.toLowerCase()];
    // With a byte order mark the declaration must name the mark's own encoding: US-ASCII after a
    // UTF-8 mark, or UTF-16LE/BE after a UTF-16 mark (whose labels forbid a mark), contradict it
    // (XML 1.0 Appendix F; the W3C suite's eduni/misc 007 and 008).
    const bomOk = named !== undefined && (enc === 'UTF-8' ? named === 'UTF-8' : named === 'UTF-16');
    if (named === undefined || !compatible(named, enc) || (source === 'byte order mark' && !bomOk)) {
      const how = source === 'default' ? 'it is read as UTF-8 (the default)' : `the ${source} ${source === 'first bytes' ? 'say' : 'says'} ${enc}`;
      fail(`the XML declaration says encoding="${declared}", but ${how}`, operation);
    }
  }
  return text;
}

/** The chunks of a body read piece by piece, as one array of `total` bytes. */
export function joinChunks(chunks: readonly Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1 && (chunks[0] as Uint8Array).byteLength === total) return chunks[0] as Uint8Array;
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}
