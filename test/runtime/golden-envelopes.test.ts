// SuperOffice documents a request and a response envelope for each of the 80 EMail operations
// (copied into test/golden/EMail/envelopes by `npm run fixtures:update`). For every one, in both
// directions: decode the documented envelope, check the decoded JS values against the document's
// own xsi:type annotations, encode the values again, and compare canonically with the document.
// Each envelope is one test that fails on its own. Envelopes that contradict the WSDL are errata
// (test/golden/EMail/errata.json), each with the exact reason: an erratum's test passes only while
// decoding fails with that reason, so the list can neither grow nor shrink silently.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DOMParser, type Element } from '@xmldom/xmldom';
import { DecodeError, EMailAgent, EMailOperations } from '../../generated/EMail/index.js';
import { assertSameXml, canonicalize } from '../support/canonical-xml.js';
import { goldenDir } from '../support/paths.js';

const envelopesDir = join(goldenDir, 'EMail', 'envelopes');
const errata = JSON.parse(readFileSync(join(goldenDir, 'EMail', 'errata.json'), 'utf8')) as {
  envelope: string;
  reason: string;
}[];

type Codec = (typeof EMailOperations)[keyof typeof EMailOperations];
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

function elementChildren(el: Element): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) out.push(n as Element);
  return out;
}

/**
 * Checks a decoded value against the documented element, using the document's own xsi:type
 * annotations as the oracle (independent of our schema metadata).
 */
function checkValue(el: Element, value: unknown, path: string): void {
  const nil = el.getAttributeNS(XSI, 'nil');
  if (nil === 'true') return assert.equal(value, null, `${path}: xsi:nil → null`);
  const type = (el.getAttributeNS(XSI, 'type') ?? '').replace(/^.*:/, '');
  const text = el.textContent ?? '';
  const children = elementChildren(el);
  switch (type) {
    case 'int':
    case 'long':
    case 'short':
    case 'double':
    case 'decimal':
    case 'float':
    case 'byte':
    case 'unsignedByte':
    case 'unsignedInt':
    case 'unsignedLong':
    case 'unsignedShort':
      assert.equal(typeof value, 'number', `${path}: xsd:${type} → number`);
      return assert.equal(value, Number(text), path);
    case 'string':
      return assert.equal(value, text, `${path}: xsd:string → the same string`);
    case 'boolean':
      return assert.equal(value, text.trim() === 'true', `${path}: xsd:boolean → boolean`);
    case 'dateTime':
      assert.ok(value instanceof Date, `${path}: xsd:dateTime → Date`);
      return assert.equal(value.getTime(), Date.parse(text), path);
    case 'base64Binary':
      assert.ok(value instanceof Uint8Array, `${path}: xsd:base64Binary → Uint8Array`);
      return assert.equal(Buffer.from(value).toString('base64'), text.trim(), path);
  }
  if (type.startsWith('ArrayOf')) {
    assert.ok(Array.isArray(value), `${path}: ${type} → array`);
    assert.equal(value.length, children.length, `${path}: one item per element`);
    children.forEach((c, i) => checkValue(c, value[i], `${path}[${i}]`));
    return;
  }
  if (children.length > 0) {
    assert.equal(typeof value, 'object', `${path}: element with children → object`);
    for (const c of children) checkValue(c, (value as Record<string, unknown>)[c.localName!], `${path}/${c.localName}`);
    return;
  }
  // Enumerations are strings; xs:list flags are arrays of strings.
  if (Array.isArray(value)) return assert.equal(value.join(' '), text.trim(), `${path}: list`);
  assert.equal(value, text.trim(), `${path}: enumeration value`);
}

/** The body wrapper element of a documented envelope. */
function documentedBody(xml: string): Element {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const body = elementChildren(doc.documentElement!).find((e) => e.localName === 'Body')!;
  return elementChildren(body)[0]!;
}

/** The documented envelope decoded and encoded again; a DecodeError is returned, anything else thrown. */
function roundTrip(codec: Codec, direction: 'request' | 'response'): DecodeError | undefined {
  const documented = readFileSync(join(envelopesDir, `${codec.name}.${direction}.xml`), 'utf8');
  let encoded: string;
  let decoded: Record<string, unknown>;
  try {
    if (direction === 'request') {
      const { input, headers } = codec.decodeRequest(documented);
      decoded = input as Record<string, unknown>;
      encoded = (codec.encodeRequest as (i: unknown, h: unknown) => string)(input, headers);
    } else {
      const { output, headers } = codec.decodeResponse(documented);
      decoded = output as Record<string, unknown>;
      encoded = (codec.encodeResponse as (o: unknown, h: unknown) => string)(output, headers);
    }
  } catch (err) {
    if (err instanceof DecodeError) return err;
    throw err;
  }
  const body = documentedBody(documented);
  for (const c of elementChildren(body)) checkValue(c, decoded[c.localName!], `${body.localName}/${c.localName}`);
  assertSameXml(encoded, documented);
  return undefined;
}

describe('EMail golden envelopes (SuperOffice documentation)', () => {
  const codecs = Object.values(EMailOperations) as Codec[];
  const envelopes = codecs.flatMap((c) => [`${c.name}.request`, `${c.name}.response`]);

  test('the corpus has a request and a response for each of the 80 operations', () => {
    assert.equal(codecs.length, 80);
    const files = readdirSync(envelopesDir).filter((f) => f.endsWith('.xml')).sort();
    assert.deepEqual(files, envelopes.map((e) => `${e}.xml`).sort());
  });

  test('errata: each entry names a documented envelope, once, in order', () => {
    const names = errata.map((e) => e.envelope);
    assert.deepEqual(names.filter((n) => !envelopes.includes(n)), [], 'errata for envelopes that do not exist');
    assert.deepEqual(names, [...new Set(names)].sort(), 'errata are sorted and listed once');
  });

  // Each envelope is its own test: one that is not in the errata must round-trip exactly; one
  // that is must fail to decode with exactly the listed reason (so a fixed erratum fails too).
  for (const codec of codecs) {
    for (const direction of ['request', 'response'] as const) {
      const envelope = `${codec.name}.${direction}`;
      const erratum = errata.find((e) => e.envelope === envelope);
      if (erratum === undefined) {
        test(`${envelope}: decode → typed values → encode ≡ documented`, () => {
          const failure = roundTrip(codec, direction);
          assert.equal(failure, undefined, `${envelope} does not decode: ${failure?.message}`);
        });
      } else {
        test(`${envelope} (erratum): decoding fails with the listed reason`, () => {
          const failure = roundTrip(codec, direction);
          assert.ok(failure, `${envelope} is listed in test/golden/EMail/errata.json but now decodes: remove it from the list`);
          assert.equal(failure.message, erratum.reason);
        });
      }
    }
  }
});

describe('SyncEmailAccount through the client', () => {
  test('syncEmailAccount(...) with ticket and token sends exactly the documented request', async () => {
    let sent: { url: string; init: RequestInit } | undefined;
    // SuperOffice documents its SOAP 1.1 services with SOAP 1.2 envelopes; a real server answers in
    // the binding's version, and the agent refuses the other one (issue 15), so the reply is 1.1 here.
    const response = readFileSync(join(envelopesDir, 'SyncEmailAccount.response.xml'), 'utf8').replace(
      'xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope"',
      'xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"',
    );
    assert.match(response, /xmlns:SOAP-ENV="http:\/\/schemas\.xmlsoap\.org\/soap\/envelope\/"/);
    const email = new EMailAgent({
      endpoint: 'http://127.0.0.1:9/Remote/Services86/EMail.svc',
      ticket: '7T:1234abcxyzExample==',
      applicationToken: '1234567-1234-9876',
      fetch: async (url, init) => {
        sent = { url: String(url), init: init! };
        return new Response(response, { status: 200, headers: { 'Content-Type': 'text/xml; charset=utf-8' } });
      },
    });
    const result = await email.syncEmailAccount({ SyncUserAccount: { AccountId: 0, AssociateName: '', AssociateId: 0 } });
    assert.equal(result, undefined);
    assert.ok(sent);
    const documented = readFileSync(join(envelopesDir, 'SyncEmailAccount.request.xml'), 'utf8');
    assert.equal(canonicalize(String(sent.init.body)), canonicalize(documented));
    const headers = new Headers(sent.init.headers);
    assert.equal(headers.get('content-type'), 'text/xml; charset=utf-8');
    assert.equal(headers.get('soapaction'), '"http://www.superoffice.net/ws/crm/NetServer/Services86/EMail/SyncEmailAccount"');
  });
});
