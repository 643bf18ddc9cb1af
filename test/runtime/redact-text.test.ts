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

test('redact skips undefined and short secrets and leaves other text alone', () => {
  assert.equal(redact('abc and SYS-token&secret/42', [undefined, 'abc', TOKEN]), 'abc and ***');
  assert.equal(redact('nothing here', [TOKEN]), 'nothing here');
});
