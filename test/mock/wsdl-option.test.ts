// Generated mocks do not carry their WSDL: `?wsdl` serves what the `wsdl` option gives (text or a
// function read on each request), and says how to get it otherwise.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createEMailMockServer } from '../../generated/EMail/mock.js';
import { repoRoot, wsdlFixturesDir } from '../support/paths.js';

test('mock.ts does not embed the WSDL', () => {
  const mock = readFileSync(join(repoRoot, 'generated', 'EMail', 'mock.ts'), 'utf8');
  assert.doesNotMatch(mock, /wsdl:definitions|schemas\.xmlsoap\.org\/wsdl/);
});

test('without the wsdl option, ?wsdl answers 404 naming the option', async () => {
  const server = await createEMailMockServer({}).listen();
  try {
    const res = await fetch(server.wsdlUrl);
    assert.equal(res.status, 404);
    assert.equal(await res.text(), "EMail mock: no WSDL to serve; pass its text as the mock's `wsdl` option\n");
  } finally {
    await server.close();
  }
});

test('the wsdl option as text is served with the address set to the mock', async () => {
  const text = readFileSync(join(wsdlFixturesDir, 'EMail.wsdl'), 'utf8');
  let reads = 0;
  for (const wsdl of [text, () => (reads++, text)]) {
    const server = await createEMailMockServer({}, { wsdl }).listen();
    try {
      const res = await fetch(server.wsdlUrl);
      assert.equal(res.status, 200);
      const served = await res.text();
      assert.match(served, new RegExp(`<soap:address location="${server.url.replace(/\./g, '\\.')}"/>`));
      assert.equal(served.length > text.length / 2, true);
    } finally {
      await server.close();
    }
  }
  assert.equal(reads, 1, 'a function is called when ?wsdl is asked for');
});
