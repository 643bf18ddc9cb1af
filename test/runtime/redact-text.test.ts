// The public redact(): the one text rule the agents use through Redactor and sign-in code calls
// directly (a sign-in refusal's ErrorMessage may echo the signed token in any escaped form).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redact } from '../../generated/runtime/index.js';

const TOKEN = 'SYS-token&secret/42';

test('redact removes a secret raw, XML-, URL- and JSON-escaped, and a cut-off beginning', () => {
  const forms = [
    TOKEN,
    'SYS-token&amp;secret/42',
    'SYS-token&#38;secret&#x2F;42',
    encodeURIComponent(TOKEN),
    encodeURIComponent(TOKEN).replace('%2F', '%2f'),
    JSON.stringify(TOKEN).slice(1, -1).replace('/', '\\/'),
  ];
  for (const form of forms) assert.equal(redact(`refused: ${form}.`, [TOKEN]), 'refused: ***.', form);
  assert.equal(redact(`echo SYS-token&s…`, [TOKEN]), 'echo ***…');
});

// XML allows any number of leading zeros in a character reference (`&#0000000083;` is `S`); the
// expression read at most 7 digits (6 hex), so a secret spelled so passed, in onXml and excerpts.
test('redact removes a secret spelled with character references padded with zeros', () => {
  const decimal = [...TOKEN].map((c) => `&#${'0'.repeat(9)}${c.codePointAt(0)};`).join('');
  const hex = [...TOKEN].map((c) => `&#X${'0'.repeat(9)}${c.codePointAt(0)!.toString(16)};`).join('');
  for (const form of [decimal, hex]) assert.equal(redact(`refused: ${form}.`, [TOKEN]), 'refused: ***.', form);
  assert.equal(redact(`&#${'0'.repeat(100_000)}83;`, [TOKEN]), `&#${'0'.repeat(100_000)}83;`, 'no secret, and no quadratic scan');
});

test('redact skips undefined and short secrets and leaves other text alone', () => {
  assert.equal(redact('abc and SYS-token&secret/42', [undefined, 'abc', TOKEN]), 'abc and ***');
  assert.equal(redact('nothing here', [TOKEN]), 'nothing here');
});

// XML joins the text around a CDATA section boundary or a comment: `7T:ab<![CDATA[cd]]>` and
// `7T:ab<!-- -->cd` are the text `7T:abcd`, which the decoded fault reason carries -- and onXml,
// which gets the raw envelope, and an HTML page's excerpt, saw the secret spelled so unredacted.
test('redact removes a secret split by CDATA section boundaries or comments, and keeps the markup whole', () => {
  // Each form whole, as redacted: a check for the word "secret" alone could not fail on the third,
  // which never spells it in one piece.
  const split: [string, string][] = [
    ['SYS-token&secret<![CDATA[/42]]>', '***]]>'],
    ['<![CDATA[SYS-tok]]><![CDATA[en&secret/42]]>', '<![CDATA[***]]>'],
    ['SYS-token&amp;sec<!-- hidden -->ret&#x2F;42', '***'],
    ['SYS-<!---->token&secret/42', '***'],
  ];
  for (const [form, redacted] of split) assert.equal(redact(`refused: ${form}.`, [TOKEN]), `refused: ${redacted}.`, form);
  assert.equal(redact('<r><![CDATA[SYS-token&secret/42]]></r>', [TOKEN]), '<r><![CDATA[***]]></r>', 'a secret inside one CDATA section: the section kept');
  assert.equal(redact('<r>SYS-token&amp;secret/42<!-- c --></r>', [TOKEN]), '<r>***<!-- c --></r>', 'a comment after the secret is kept');
  // A comment hides no secret inside it either (an HTML error page's debug comment).
  assert.equal(redact('<html><!-- debug: SYS-token&amp;secret/42 --><p>x</p></html>', [TOKEN]), '<html><!-- debug: *** --><p>x</p></html>');
  assert.equal(redact('<!-- a SYS-token&secret/42 --> SYS-to<!---->ken&secret/42', [TOKEN]), '<!-- a *** --> ***');
  // A secret that spells such markup itself (a password with `]]>` or `<!--` in it) is still found as written.
  assert.equal(redact('pw p]]>ss<!--w0rd and SYS-tok]]>en&secret/42', ['p]]>ss<!--w0rd', TOKEN]), 'pw *** and ***');
  // An unclosed comment hides nothing, and text with many of them is read in linear time.
  assert.equal(redact('<!-- SYS-token&secret/42', [TOKEN]), '<!-- ***');
  const hostile = '<!--'.repeat(50_000) + TOKEN;
  const started = performance.now();
  assert.equal(redact(hostile, [TOKEN]), `${'<!--'.repeat(50_000)}***`);
  assert.ok(performance.now() - started < 1_500, `${performance.now() - started} ms`);
});
