// Message bytes → text (templates/runtime/charset.ts), per XML 1.0 Appendix F and RFC 7303: the
// byte order mark, the Content-Type charset and the XML declaration decide; invalid bytes,
// contradictions and unsupported encodings are DecodeErrors. Unit cases first, then the same rules
// end to end: EMailAgent reading responses from a loopback server, and the generated mock reading
// requests.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { DecodeError, EMailAgent, EMailOperations, HttpError, type EMailAccount } from '../../generated/EMail/index.js';
import { createEMailMockServer } from '../../generated/EMail/mock.js';
// The generated copy of the runtime, so that its DecodeError is the one the agent throws.
import { charsetParameter, decodeXmlBytes } from '../../generated/runtime/index.js';

const TEXT = 'café € Ærø';
const CP1252_EURO = 0x80;

function latin1(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => {
    const code = c.charCodeAt(0);
    assert.ok(code < 256, `not Latin-1: ${c}`);
    return code;
  });
}

function cp1252(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => (c === '€' ? CP1252_EURO : latin1(c)[0] as number));
}

function utf16le(s: string, bom = true): Uint8Array {
  return new Uint8Array(Buffer.from((bom ? '\uFEFF' : '') + s, 'utf16le'));
}

function utf16be(s: string, bom = true): Uint8Array {
  const le = utf16le(s, bom);
  const be = new Uint8Array(le.length);
  for (let i = 0; i < le.length; i += 2) {
    be[i] = le[i + 1] as number;
    be[i + 1] = le[i] as number;
  }
  return be;
}

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const concat = (...parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));
const doc = (encoding?: string): string => `<?xml version="1.0"${encoding ? ` encoding="${encoding}"` : ''}?><a>${TEXT}</a>`;

function decodeError(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof DecodeError, `expected a DecodeError, got ${String(err)}`);
    assert.match(err.message, message);
    return true;
  });
}

describe('decodeXmlBytes: which encoding', () => {
  test('UTF-8 by default, with or without a byte order mark (which is removed)', () => {
    assert.equal(decodeXmlBytes(utf8(doc()), undefined), doc());
    assert.equal(decodeXmlBytes(utf8(`<a>${TEXT}</a>`), 'text/xml'), `<a>${TEXT}</a>`);
    assert.equal(decodeXmlBytes(concat(Uint8Array.of(0xef, 0xbb, 0xbf), utf8(doc('UTF-8'))), 'text/xml; charset=utf-8'), doc('UTF-8'));
  });

  test('ISO-8859-1 and windows-1252, from the charset parameter or the declaration alone', () => {
    assert.equal(decodeXmlBytes(latin1(doc('ISO-8859-1').replace('€', 'E')), 'text/xml; charset=ISO-8859-1'), doc('ISO-8859-1').replace('€', 'E'));
    assert.equal(decodeXmlBytes(latin1(`<a>café</a>`), 'text/xml; charset="latin1"'), '<a>café</a>');
    assert.equal(decodeXmlBytes(latin1(doc('iso-8859-1').replace('€', 'E')), undefined), doc('iso-8859-1').replace('€', 'E'));
    assert.equal(decodeXmlBytes(cp1252(doc('windows-1252')), 'application/soap+xml; charset=windows-1252; action="x"'), doc('windows-1252'));
    assert.equal(decodeXmlBytes(cp1252(doc('windows-1252')), undefined), doc('windows-1252'));
    // ISO-8859-1 is not windows-1252: byte 0x80 is U+0080 there.
    assert.equal(decodeXmlBytes(Uint8Array.of(0x3c, 0x61, 0x3e, 0x80, 0x3c, 0x2f, 0x61, 0x3e), 'text/xml; charset=iso-8859-1'), '<a>\u0080</a>');
  });

  test('UTF-16 LE and BE with a byte order mark, and without one from the charset or the first bytes', () => {
    const text = doc('UTF-16') + '\u{1F600}';
    assert.equal(decodeXmlBytes(utf16le(text), 'text/xml; charset=utf-16'), text);
    assert.equal(decodeXmlBytes(utf16be(text), 'text/xml; charset=UTF-16'), text);
    assert.equal(decodeXmlBytes(utf16le(text), undefined), text);
    assert.equal(decodeXmlBytes(utf16be(text), undefined), text);
    assert.equal(decodeXmlBytes(utf16le(`<a>${TEXT}</a>`, false), 'text/xml; charset=utf-16le'), `<a>${TEXT}</a>`);
    assert.equal(decodeXmlBytes(utf16be(`<a>${TEXT}</a>`, false), 'text/xml; charset=utf-16be'), `<a>${TEXT}</a>`);
    assert.equal(decodeXmlBytes(utf16le(doc('UTF-16'), false), undefined), doc('UTF-16'), 'Appendix F: 3C 00 3F 00');
    assert.equal(decodeXmlBytes(utf16be(doc('UTF-16'), false), undefined), doc('UTF-16'), 'Appendix F: 00 3C 00 3F');
  });

  test('the charset parameter: quoted or not, any case, among other parameters', () => {
    assert.equal(charsetParameter('text/xml; charset=UTF-8'), 'utf-8');
    assert.equal(charsetParameter('application/soap+xml; action="urn:a;b"; charset="Windows-1252"'), 'windows-1252');
    assert.equal(charsetParameter('text/xml'), undefined);
    assert.equal(charsetParameter(undefined), undefined);
  });
});

describe('decodeXmlBytes: refused', () => {
  test('invalid UTF-8 is a DecodeError with the byte offset (an encoded surrogate, a stray continuation byte, a truncated sequence, an overlong form)', () => {
    const prefix = utf8('<a>ok ');
    for (const bad of [[0xed, 0xa0, 0x80], [0x80], [0xe2, 0x82], [0xc0, 0xaf], [0xf5, 0x80, 0x80, 0x80]]) {
      const bytes = concat(prefix, Uint8Array.from(bad), utf8('</a>'));
      decodeError(() => decodeXmlBytes(bytes, 'text/xml; charset=utf-8'), new RegExp(`not valid UTF-8: invalid byte sequence at byte offset ${prefix.length}$`));
    }
    // The offset counts the byte order mark too.
    decodeError(() => decodeXmlBytes(concat(Uint8Array.of(0xef, 0xbb, 0xbf), prefix, Uint8Array.of(0xff)), undefined), /at byte offset 9$/);
  });

  test('invalid UTF-16: an unpaired surrogate, an odd length', () => {
    const lone = concat(utf16le('<a>'), Uint8Array.of(0x00, 0xd8), utf16le('</a>', false));
    decodeError(() => decodeXmlBytes(lone, undefined), /not valid UTF-16: unpaired surrogate or odd length at byte offset 8$/);
    decodeError(() => decodeXmlBytes(concat(utf16le('<a/>'), Uint8Array.of(0x20)), undefined), /not valid UTF-16.*at byte offset 10$/);
  });

  test('a byte order mark, a charset and a declaration that name different encodings', () => {
    decodeError(() => decodeXmlBytes(utf16le(doc('UTF-16')), 'text/xml; charset=iso-8859-1'), /the Content-Type charset "iso-8859-1" contradicts the byte order mark \(UTF-16LE\)/);
    decodeError(() => decodeXmlBytes(utf16le(doc('UTF-8')), undefined), /the XML declaration says encoding="UTF-8", but the byte order mark says UTF-16LE/);
    decodeError(() => decodeXmlBytes(concat(Uint8Array.of(0xef, 0xbb, 0xbf), utf8(doc('ISO-8859-1'))), undefined), /encoding="ISO-8859-1", but the byte order mark says UTF-8/);
    decodeError(() => decodeXmlBytes(latin1(doc('UTF-8').replace('€', 'E')), 'text/xml; charset=iso-8859-1'), /encoding="UTF-8", but the Content-Type charset says ISO-8859-1/);
    decodeError(() => decodeXmlBytes(utf8(doc('windows-1252')), 'text/xml; charset=utf-8'), /encoding="windows-1252", but the Content-Type charset says UTF-8/);
    decodeError(() => decodeXmlBytes(utf16le(doc('UTF-8'), false), undefined), /encoding="UTF-8", but the first bytes say UTF-16LE/);
    // Readable as single bytes, a declaration cannot truthfully say UTF-16 (without a mark or a charset).
    decodeError(() => decodeXmlBytes(utf8(doc('UTF-16')), undefined), /encoding="UTF-16", but the message starts in single-byte characters/);
  });

  test('unsupported encodings: named by the charset or the declaration, UTF-32, EBCDIC', () => {
    decodeError(() => decodeXmlBytes(utf8('<a/>'), 'text/xml; charset=koi8-r'), /unsupported encoding "koi8-r" \(from the Content-Type charset\); this client reads UTF-8, UTF-16/);
    decodeError(() => decodeXmlBytes(utf8(doc('Shift_JIS')), undefined), /unsupported encoding "Shift_JIS" \(from the XML declaration\)/);
    decodeError(() => decodeXmlBytes(utf8(doc('Shift_JIS')), 'text/xml; charset=utf-8'), /encoding="Shift_JIS", but the Content-Type charset says UTF-8/);
    decodeError(() => decodeXmlBytes(Uint8Array.of(0xff, 0xfe, 0, 0, 0x3c, 0, 0, 0), undefined), /UTF-32/);
    decodeError(() => decodeXmlBytes(Uint8Array.of(0x4c, 0x6f, 0xa7, 0x94), undefined), /EBCDIC/);
    decodeError(() => decodeXmlBytes(concat(utf8('<a>'), Uint8Array.of(0xe9), utf8('</a>')), 'text/xml; charset=us-ascii'), /not US-ASCII: byte 0xE9 at byte offset 3/);
  });
});

// ---------------------------------------------------------------------------------------------
// End to end: EMailAgent ↔ a loopback server answering in various encodings.

const codec = EMailOperations.GetEMailAccount;
const account: EMailAccount = { EMailAccountId: 5, EMailAddress: 'café@example.com', ErrorReason: 'Ærlig talt' };

/** The encoded response, its declaration saying `declared`. */
function responseText(declared: string, errorReason = 'Ærlig talt'): string {
  const xml = codec.encodeResponse({ Response: { ...account, ErrorReason: errorReason } }, { Succeeded: true });
  assert.ok(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>'));
  return xml.replace('encoding="utf-8"', `encoding="${declared}"`);
}

let server: http.Server;
let endpoint = '';
let answer: { status: number; contentType: string; body: Uint8Array } = { status: 500, contentType: 'text/plain', body: new Uint8Array() };

before(async () => {
  server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(answer.status, { 'Content-Type': answer.contentType, 'Content-Length': answer.body.length, Connection: 'close' });
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/Remote/Services86/EMail.svc`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('EMailAgent: response charsets', () => {
  const call = () => new EMailAgent({ endpoint }).getEMailAccount({ EMailAccountId: 5 });

  test('a Latin-1 response (charset=iso-8859-1, encoding="ISO-8859-1") gives the right text', async () => {
    answer = { status: 200, contentType: 'text/xml; charset=iso-8859-1', body: latin1(responseText('ISO-8859-1')) };
    const got = await call();
    assert.equal(got?.EMailAddress, 'café@example.com');
    assert.equal(got?.ErrorReason, 'Ærlig talt');
    // windows-1252 too (the euro sign is 0x80 there, and not in Latin-1 at all).
    answer = { status: 200, contentType: 'text/xml; charset=windows-1252', body: cp1252(responseText('windows-1252', 'koster 5 €')) };
    assert.equal((await call())?.ErrorReason, 'koster 5 €');
  });

  test('a UTF-16 response (byte order mark, charset=utf-16) gives the right text, both byte orders', async () => {
    for (const encode of [utf16le, utf16be]) {
      answer = { status: 200, contentType: 'text/xml; charset=utf-16', body: encode(responseText('utf-16')) };
      const got = await call();
      assert.equal(got?.EMailAddress, 'café@example.com');
      assert.equal(got?.ErrorReason, 'Ærlig talt');
    }
  });

  test('an invalid UTF-8 response is a DecodeError with the byte offset, not replacement characters', async () => {
    const text = responseText('utf-8');
    const at = utf8(text.slice(0, text.indexOf('café'))).length + 3;
    const body = concat(utf8(text.slice(0, text.indexOf('café') + 3)), Uint8Array.of(0xed, 0xa0, 0x80), utf8(text.slice(text.indexOf('café') + 4)));
    answer = { status: 200, contentType: 'text/xml; charset=utf-8', body };
    await assert.rejects(call(), (err: unknown) => {
      assert.ok(err instanceof DecodeError, String(err));
      assert.equal(err.message, `GetEMailAccount: the message is not valid UTF-8: invalid byte sequence at byte offset ${at}`);
      assert.equal(err.operation, 'GetEMailAccount');
      return true;
    });
  });

  test('a Latin-1 response labelled UTF-8 is refused, not corrupted', async () => {
    answer = { status: 200, contentType: 'text/xml; charset=utf-8', body: latin1(responseText('utf-8')) };
    await assert.rejects(call(), (err: unknown) => err instanceof DecodeError && /not valid UTF-8/.test(err.message));
    // ASCII only, so the bytes are valid UTF-8 too: the contradiction itself is what is refused.
    const ascii = codec
      .encodeResponse({ Response: { EMailAccountId: 5, EMailAddress: 'a@example.com' } }, { Succeeded: true })
      .replace('encoding="utf-8"', 'encoding="ISO-8859-1"');
    answer = { status: 200, contentType: 'text/xml; charset=utf-8', body: latin1(ascii) };
    await assert.rejects(
      call(),
      (err: unknown) => err instanceof DecodeError && /the XML declaration says encoding="ISO-8859-1", but the Content-Type charset says UTF-8/.test(err.message),
    );
  });

  test('an error status with a body in an unreadable encoding is still the HttpError it is', async () => {
    answer = { status: 503, contentType: 'text/html; charset=koi8-r', body: utf8('<html>down</html>') };
    await assert.rejects(call(), (err: unknown) => err instanceof HttpError && err.status === 503 && err.bodyExcerpt === '<html>down</html>');
  });
});

describe('the mock reads requests by the same rules', () => {
  const mock = createEMailMockServer({ GetEMailAccount: async ({ EMailAccountId }) => ({ Response: { EMailAccountId, EMailAddress: 'ok' } }) });
  let url = '';
  let close: () => Promise<void> = async () => {};
  before(async () => {
    const listening = await mock.listen();
    url = listening.url;
    close = listening.close;
  });
  after(() => close());

  const request = (declared: string, name = 'Ærø') =>
    codec
      .encodeRequest({ EMailAccountId: 7 }, { ApplicationToken: name })
      .replace('encoding="utf-8"', `encoding="${declared}"`);
  const post = (body: Uint8Array, contentType: string) =>
    fetch(url, { method: 'POST', headers: { 'Content-Type': contentType, SOAPAction: `"${codec.soapAction}"` }, body: new Uint8Array(body) });

  test('Latin-1 and UTF-16 requests are read, with their non-ASCII text', async () => {
    mock.reset();
    const latin = await post(latin1(request('ISO-8859-1')), 'text/xml; charset=ISO-8859-1');
    assert.equal(latin.status, 200, await latin.text());
    const wide = await post(utf16be(request('UTF-16')), 'text/xml; charset=utf-16');
    assert.equal(wide.status, 200, await wide.text());
    assert.deepEqual(
      mock.calls.map((c) => [c.operation, c.headers.ApplicationToken]),
      [
        ['GetEMailAccount', 'Ærø'],
        ['GetEMailAccount', 'Ærø'],
      ],
    );
  });

  test('invalid UTF-8 and contradictions are Client faults naming the problem', async () => {
    const bad = concat(utf8(request('utf-8', 'x')).subarray(0, 50), Uint8Array.of(0xed, 0xa0, 0x80), utf8(request('utf-8', 'x')).subarray(50));
    const res = await post(bad, 'text/xml; charset=utf-8');
    assert.equal(res.status, 500);
    const text = await res.text();
    assert.match(text, /<faultcode>s:Client<\/faultcode>/);
    assert.match(text, /not valid UTF-8: invalid byte sequence at byte offset 50/);
    const contradiction = await post(utf16le(request('UTF-16')), 'text/xml; charset=iso-8859-1');
    assert.match(await contradiction.text(), /the Content-Type charset "iso-8859-1" contradicts the byte order mark/);
  });
});
