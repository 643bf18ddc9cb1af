// One rule for "this address carries user info" on both sides (review r20s #1): the generator
// refuses such a soap:address (documents.ts USER_INFO, which redactLocation hides too), and the runtime's no-address error leaves the
// user info out of the WSDL address it names (agent.ts #noAddress). The runtime cannot import the
// generator, so each side writes the rule once; this file gives both the same addresses. An address
// without `scheme://` (`admin:pw@host/...`, which new URL reads as the scheme `admin:`, or
// `//admin:pw@host/...`, which new URL refuses) got through both. No address here is called.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { EMailOperations } from '../generated/EMail/index.js';
import * as rt from '../generated/runtime/index.js';
import { GenerateError } from '../generator/errors.js';
import { readWsdl } from '../generator/wsdl/read-wsdl.js';
import { fixturesDir } from './support/paths.js';

const SECRET = 'S3cret';
const HOST = 'sod.superoffice.com';
const PATH = 'Cust12345/Remote/Services86/Note.svc';

/** Addresses with user info: each holds SECRET in it, as the password or the user name. */
const withUserInfo = [
  `https://admin:${SECRET}@${HOST}/${PATH}`,
  `admin:${SECRET}@${HOST}/${PATH}`,
  `//admin:${SECRET}@${HOST}/${PATH}`,
  `${SECRET}@${HOST}/${PATH}`,
  `  https://admin:${SECRET}@${HOST}/${PATH}`,
  `https:\\\\admin:${SECRET}@${HOST}/${PATH}`,
  `https:/admin:${SECRET}@${HOST}/${PATH}`,
  `ht\tt\nps://admin:${SECRET}@${HOST}/${PATH}`,
  `https://ad@min:${SECRET}@${HOST}/${PATH}?q=a@b`,
  `https://admin:${SECRET}%40x@${HOST}/${PATH}`,
  `http://admin:${SECRET}@127.0.0.1:8080/${PATH}`,
];

/** Addresses without: an '@' in the path, query or fragment, %40, IPv6, a bare host. */
const withoutUserInfo = [
  `https://${HOST}/${PATH}`,
  `https://${HOST}/Cust12345/a@b/Note.svc`,
  `https://${HOST}/${PATH}?x=a@b`,
  `https://${HOST}/${PATH}#a@b`,
  `https://${HOST}/Cust12345/a%40b/Note.svc`,
  `https://[::1]:8443/${PATH}`,
  `http://127.0.0.1:8080/${PATH}?user=a@b#c@d`,
  `${HOST}/${PATH}`,
  `${HOST}/a@b`,
  HOST,
];

const escaped = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');
const minimal = readFileSync(join(fixturesDir, 'bad', 'valid-minimal.wsdl'), 'utf8');

/** The generator's reading of a WSDL whose soap:address is `address`: the address it keeps, or the error. */
function generatorReads(address: string): string | GenerateError {
  assert.ok(minimal.includes(`location="https://${HOST}/${PATH}"`));
  const text = minimal.replace(`location="https://${HOST}/${PATH}"`, () => `location="${escaped(address)}"`);
  try {
    return readWsdl(text, 'X.wsdl').address ?? '(none)';
  } catch (err) {
    assert.ok(err instanceof GenerateError, String(err));
    return err;
  }
}

/** The WSDL address as the runtime's no-address error names it (an agent given neither baseUrl nor endpoint). */
async function runtimeNames(address: string): Promise<string> {
  const agent = new rt.SoapAgent(EMailOperations, { service: 'EMail', defaultEndpoint: address, servicePath: 'Remote/Services86/EMail.svc' }, {});
  const err = await agent.invoke('GetEMailAccount', { EMailAccountId: 1 }).catch((e: unknown) => e);
  assert.ok(err instanceof rt.SoapError, String(err));
  const named = /call the WSDL's soap:address \(([^]*)\) \(nothing was sent\)$/.exec(err.message);
  assert.ok(named, err.message);
  return named[1]!;
}

describe('a soap:address with user info', () => {
  for (const address of withUserInfo) {
    test(`${JSON.stringify(address)}: refused by the generator, left out by the runtime`, async () => {
      // (The rule agrees with the URL parser wherever that finds user info.)
      const parsed = URL.canParse(address) ? new URL(address) : undefined;
      if (parsed && parsed.protocol.startsWith('http')) assert.ok(parsed.username !== '' || parsed.password !== '', `new URL finds no user info in ${address}`);
      const read = generatorReads(address);
      assert.ok(read instanceof GenerateError, `not refused: ${read}`);
      assert.match(read.message, /carries user info \(user:password@\)/);
      assert.doesNotMatch(read.message, new RegExp(`${SECRET}|admin|ad@`));
      const named = await runtimeNames(address);
      assert.doesNotMatch(named, new RegExp(`${SECRET}|admin|@`));
      assert.ok(named.includes(HOST) || named.includes('127.0.0.1'), named);
    });
  }
});

describe('a soap:address without user info', () => {
  for (const address of withoutUserInfo) {
    test(`${JSON.stringify(address)}: kept by the generator, named whole by the runtime (but its query and fragment)`, async () => {
      const parsed = URL.canParse(address) ? new URL(address) : undefined;
      if (parsed) assert.ok(parsed.username === '' && parsed.password === '', `new URL finds user info in ${address}`);
      assert.equal(generatorReads(address), address);
      assert.equal(await runtimeNames(address), address.replace(/[?#][^]*$/, ''));
    });
  }
});

/**
 * Addresses with a secret in the query (a name documents.ts SECRET_PARAM knows, as messages redact
 * it): the generated client.ts would hold it as it would a password, so the same refusal covers it
 * (review r20x #2). A query without one is kept (the addresses above, and `?wsdl&x=1` here).
 */
const withSecretQuery = [
  `https://${HOST}/${PATH}?ticket=7T:${SECRET}`,
  `https://${HOST}/${PATH}?wsdl&token=${SECRET}`,
  `https://${HOST}/${PATH}?Session=${SECRET}#x`,
  `https://${HOST}/${PATH}?%74icket=${SECRET}`,
  `${HOST}/${PATH}?api_key=${SECRET}`,
];

describe('a soap:address with a secret in its query', () => {
  for (const address of withSecretQuery) {
    test(`${JSON.stringify(address)}: refused by the generator, named without the secret`, () => {
      const read = generatorReads(address);
      assert.ok(read instanceof GenerateError, `not refused: ${read}`);
      assert.match(read.message, /carries a secret in its query \(a ticket, token, key or password\): the generated client would hold it in its source/);
      assert.doesNotMatch(read.message, new RegExp(SECRET));
    });
  }
  test('a query without one is kept', () => {
    assert.equal(generatorReads(`https://${HOST}/${PATH}?wsdl&x=1`), `https://${HOST}/${PATH}?wsdl&x=1`);
  });
});
