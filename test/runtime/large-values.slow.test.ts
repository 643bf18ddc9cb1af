// Values of several megabytes (an e-mail's source, a document's stream) are read as small ones are:
// a value, or a DecodeError naming its element, never an engine error from the size alone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EMailOperations } from '../../generated/EMail/index.js';
import { DecodeError } from '../../generated/runtime/index.js';

const codec = EMailOperations.GetEMailAsStream;

test('a base64 value of several megabytes decodes, and a damaged one is a DecodeError naming its element', () => {
  // 5 MiB: a pattern of four-character groups overflowed V8's stack from about 4 MiB (scalars.ts BASE64_RE).
  const bytes = Buffer.alloc(5 * 1024 * 1024, 'source of an e-mail ');
  const xml = codec.encodeResponse({ Response: bytes });
  assert.ok(Buffer.from(codec.decodeResponse(xml).output.Response!).equals(bytes));
  const text = bytes.toString('base64');
  assert.ok(xml.includes(`>${text}<`));
  for (const damaged of [`${text}=`, text.slice(0, -1), `=${text.slice(1)}`, `${text.slice(0, 4096)}*${text.slice(4097)}`]) {
    const message = /not valid base64 at GetEMailAsStreamResponse\/Response/;
    assert.throws(() => codec.decodeResponse(xml.replace(text, damaged)), (err) => err instanceof DecodeError && message.test(err.message));
  }
});
