// Bytes → XML text, for files and fetched documents alike: UTF-16 with a BOM, else UTF-8 (UTF-32,
// and UTF-16 without a BOM, are named and refused); a file with NUL bytes is binary, not XML. File-level problems name the document as given.
import { constants } from 'node:buffer';
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { GenerateError, lineColumnAt } from '../errors.js';

export function decodeXmlBytes(bytes: Uint8Array, file: string): string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length === 0) throw new GenerateError('the file is empty', { file });
  const unread = unreadEncoding(buf);
  if (unread !== undefined) throw new GenerateError(unread, { file });
  // UTF-16 WSDLs announce themselves with a BOM; anything else we read as UTF-8.
  let text: string;
  try {
    const utf16 = decodeUtf16WithBom(buf, file);
    if (utf16 !== undefined) return utf16;
    text = buf.toString('utf8');
  } catch (err) {
    // More characters than a JavaScript string holds (~512 MiB): the error named neither the file
    // nor reading ("cannot write <out>: Cannot create a string longer than 0x1fffffe8 characters").
    if ((err as NodeJS.ErrnoException).code === 'ERR_STRING_TOO_LONG') throw tooLarge(`${buf.length} bytes`, file);
    throw err;
  }
  if (text.includes('\u0000')) throw new GenerateError('the file is binary (it contains NUL bytes), not XML', { file });
  // Invalid bytes decode to U+FFFD (so does a real U+FFFD, rarely): only then is the file checked.
  if (text.includes('\ufffd')) refuseInvalidUtf8(buf, text, file);
  return withoutByteOrderMark(text);
}

/** `text` without the one byte order mark (U+FEFF) it may start with, which decoding UTF-8 leaves in (a second one stays, for the reader to refuse). */
export function withoutByteOrderMark(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** `<` and XML's white space: what a document's first character can be. */
const FIRST_CHARACTERS = new Set([0x3c, 0x20, 0x09, 0x0a, 0x0d]);

/**
 * Why bytes are in an encoding this reader does not take, told by their first four (XML 1.0
 * Appendix F); undefined for any other start. UTF-32, with or without a byte order mark; UTF-16
 * without one, which XML requires of UTF-16 (§4.3.3). Read as UTF-8, either was called "binary
 * (it contains NUL bytes)" or "not XML: the file starts with "\u0000"".
 */
function unreadEncoding(buf: Buffer): string | undefined {
  const starts = (...bytes: number[]) => buf.length >= bytes.length && bytes.every((b, i) => buf[i] === b);
  if (starts(0x00, 0x00, 0xfe, 0xff) || starts(0xff, 0xfe, 0x00, 0x00) || starts(0x00, 0x00, 0x00, 0x3c) || starts(0x3c, 0x00, 0x00, 0x00)) {
    return 'the file is UTF-32, which gen-services86 does not read: save it as UTF-8';
  }
  if (buf.length < 4) return undefined;
  const le = FIRST_CHARACTERS.has(buf[0]!) && buf[1] === 0 && buf[2] !== 0 && buf[3] === 0;
  const be = buf[0] === 0 && FIRST_CHARACTERS.has(buf[1]!) && buf[2] === 0 && buf[3] !== 0;
  if (!le && !be) return undefined;
  return `the file is UTF-16 (${le ? 'little' : 'big'}-endian) without a byte order mark, which XML requires of UTF-16: save it as UTF-8, or as UTF-16 with a byte order mark`;
}

/**
 * The text of bytes that start with a UTF-16 byte order mark (LE: FF FE, BE: FE FF), without it;
 * undefined when they start with none. What Windows PowerShell 5 writes with `>` and Out-File.
 */
export function decodeUtf16WithBom(buf: Buffer, file: string): string | undefined {
  const le = buf[0] === 0xff && buf[1] === 0xfe;
  const be = buf[0] === 0xfe && buf[1] === 0xff;
  if (!le && !be) return undefined;
  if (buf.length % 2 !== 0) throw new GenerateError('the file is truncated UTF-16 (odd number of bytes)', { file });
  return le ? buf.subarray(2).toString('utf16le') : Buffer.from(buf.subarray(2)).swap16().toString('utf16le');
}

/**
 * Throws at the first invalid UTF-8 sequence, naming its line, column and byte offset, and the
 * encoding the XML declaration names, if not UTF-8 (a WSDL saved as ISO-8859-1 or windows-1252).
 */
function refuseInvalidUtf8(buf: Buffer, text: string, file: string): void {
  let offset = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.codePointAt(i)!;
    // Up to the first invalid sequence every character is what its bytes say, so the offset is exact.
    if (code === 0xfffd && !(buf[offset] === 0xef && buf[offset + 1] === 0xbf && buf[offset + 2] === 0xbd)) {
      const { line, column } = lineColumnAt(text, i);
      const declared = /^\ufeff?<\?xml[^>]*?\sencoding\s*=\s*["']([^"']*)["']/.exec(text)?.[1];
      const advice = declared !== undefined && !/^utf-?8$/i.test(declared) ? `; it declares encoding="${declared}", which gen-services86 does not read: save it as UTF-8` : '';
      throw new GenerateError(`the file is not valid UTF-8 (an invalid byte sequence at byte offset ${offset})${advice}`, {
        file,
        line,
        column,
        path: '',
      });
    }
    offset += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (code >= 0x10000) i++;
  }
}

/** A local file's text; `file` is how messages name it. */
export function readLocalXml(path: string, file: string): string {
  return decodeXmlBytes(readLocalBytes(path, file), file);
}

/** A local file's bytes, refused as readLocalXml refuses it (missing, a folder, unreadable). */
export function readLocalBytes(path: string, file: string): Uint8Array {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new GenerateError('no such file', { file });
  }
  if (stat.isDirectory()) throw new GenerateError('is a directory, not a WSDL file', { file });
  // A pipe or a device (`<(curl …)` is /dev/fd/63) has no size until it ends, and some never do
  // (/dev/zero hung, growing until memory ran out): read up to the limit, refused past it.
  if (!stat.isFile()) return readStreamBytes(path, file, MAX_BYTES);
  // Even at two bytes a character (UTF-16, or UTF-8's densest) more than one string holds: refused
  // unread (reading it took seconds and as much memory, and past 2 GiB said ERR_FS_FILE_TOO_LARGE).
  if (stat.size > MAX_BYTES) throw tooLarge(`${stat.size} bytes`, file);
  let bytes;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw cannotRead(err, file);
  }
  return bytes;
}

/** Whether `path` is a pipe or a device (read as it streams, named as given), not a file or folder. */
export function isStream(path: string): boolean {
  try {
    const stat = statSync(path);
    return !stat.isFile() && !stat.isDirectory();
  } catch {
    return false;
  }
}

/** The most bytes a WSDL may have: two bytes a character, a string's most characters. */
const MAX_BYTES = 2 * constants.MAX_STRING_LENGTH;

/** What a pipe or device gives until it ends, refused as soon as it gives more than `maxBytes`. */
export function readStreamBytes(path: string, file: string, maxBytes: number): Uint8Array {
  const chunks: Buffer[] = [];
  const buffer = Buffer.allocUnsafe(1 << 20);
  let total = 0;
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      total += n;
      if (total > maxBytes) throw tooLarge(`more than ${maxBytes} bytes`, file);
      chunks.push(Buffer.from(buffer.subarray(0, n)));
    }
  } catch (err) {
    throw err instanceof GenerateError ? err : cannotRead(err, file);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return Buffer.concat(chunks, total);
}

function cannotRead(err: unknown, file: string): GenerateError {
  return new GenerateError(`cannot read the file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { file });
}

function tooLarge(size: string, file: string): GenerateError {
  return new GenerateError(`the file is too large to read as text (${size}; a WSDL is read as one string of at most ${constants.MAX_STRING_LENGTH} characters)`, { file });
}
