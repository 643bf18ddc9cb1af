// WSDLs from URLs, served on 127.0.0.1 the way WCF serves EMail: `?singleWsdl` (one document) and
// `?wsdl` with the schemas split out (`?xsd=xsdN`, the inner schemas importing each other by
// schemaLocation). Both must generate what the file generates. Then every way a fetch can fail
// gives one clear line, and the location rules hold (same origin, never file:).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DOMParser, XMLSerializer, type Element as XmlElement } from '@xmldom/xmldom';
import { buildFiles, buildFilesParallel, GenerateError, type GeneratedFile } from '../generator/generate.js';
import { redactUrl } from '../generator/input/documents.js';
import { runCli } from './support/cli-run.js';
import { wsdlFixturesDir } from './support/paths.js';

const XS = 'http://www.w3.org/2001/XMLSchema';
const WSDL = 'http://schemas.xmlsoap.org/wsdl/';
const SVC = '/Remote/Services86/EMail.svc';
const emailWsdl = join(wsdlFixturesDir, 'EMail.wsdl');
const emailText = readFileSync(emailWsdl, 'utf8');
const REGENERATE = 'npx gen-services86 EMail -o generated';

/**
 * EMail.wsdl split as WCF splits it for `?wsdl`: each xs:schema of wsdl:types becomes its own
 * document `?xsd=xsdN` (with the namespace declarations it inherited), its namespace-only
 * xs:imports get the schemaLocation of the schema for that namespace, and wsdl:types keeps only
 * an ".../Imports" schema that imports them all.
 */
function splitLikeWcf(text: string, base: string): { wsdl: string; xsd: string[] } {
  const doc = new DOMParser().parseFromString(text, 'text/xml');
  const root = doc.documentElement!;
  const types = root.getElementsByTagNameNS(WSDL, 'types')[0]!;
  const schemas = Array.from(types.childNodes).filter((n): n is XmlElement => n.nodeType === 1 && (n as XmlElement).localName === 'schema');
  assert.ok(schemas.length >= 3, 'EMail.wsdl has several schemas to split');
  const location = (ns: string) => {
    const i = schemas.findIndex((s) => s.getAttribute('targetNamespace') === ns);
    assert.ok(i >= 0, `a schema for ${ns}`);
    return `${base}${SVC}?xsd=xsd${i}`;
  };
  const xsd = schemas.map((schema) => {
    const copy = schema.cloneNode(true) as XmlElement;
    for (let i = 0; i < root.attributes.length; i++) {
      const a = root.attributes[i]!;
      if (a.name.startsWith('xmlns') && !copy.hasAttribute(a.name)) copy.setAttribute(a.name, a.value);
    }
    for (const imp of Array.from(copy.getElementsByTagNameNS(XS, 'import'))) imp.setAttribute('schemaLocation', location(imp.getAttribute('namespace')!));
    return `<?xml version="1.0" encoding="utf-8"?>${new XMLSerializer().serializeToString(copy)}`;
  });
  // Inner schemas must import each other by location, as WCF's do.
  assert.ok(xsd.some((x) => x.includes('schemaLocation=')), 'the split schemas import each other by schemaLocation');
  for (const s of schemas) types.removeChild(s);
  const imports = doc.createElementNS(XS, 'xsd:schema');
  imports.setAttribute('targetNamespace', `${root.getAttribute('targetNamespace')}/Imports`);
  for (const s of schemas) {
    const imp = doc.createElementNS(XS, 'xsd:import');
    imp.setAttribute('schemaLocation', location(s.getAttribute('targetNamespace')!));
    imp.setAttribute('namespace', s.getAttribute('targetNamespace')!);
    imports.appendChild(imp);
  }
  types.appendChild(imports);
  return { wsdl: new XMLSerializer().serializeToString(doc), xsd };
}

let server: Server;
let base = '';
let split: { wsdl: string; xsd: string[] };
const requests: string[] = [];
/** Extra routes of one test: path+query → handler. */
const routes = new Map<string, (req: IncomingMessage, res: ServerResponse) => void>();
let work: string;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'gen-services86-url-'));
  server = createServer((req, res) => {
    const url = req.url ?? '';
    requests.push(url);
    const route = routes.get(url);
    if (route) return route(req, res);
    const xml = (body: string) => {
      res.writeHead(200, { 'content-type': 'text/xml; charset=UTF-8' });
      res.end(body);
    };
    if (url === `${SVC}?singleWsdl`) return xml(emailText);
    if (url === `${SVC}?wsdl`) return xml(split.wsdl);
    const m = /\?xsd=xsd(\d+)$/.exec(url);
    if (url.startsWith(SVC) && m && split.xsd[Number(m[1])]) return xml(split.xsd[Number(m[1])]!);
    res.writeHead(404, { 'content-type': 'text/html' });
    res.end('<html><body>Not found</body></html>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  split = splitLikeWcf(emailText, base);
});

after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(work, { recursive: true, force: true });
});

/**
 * The files with the name of their source (the file name or the URL, in headers and comments)
 * replaced by `<source>`; the runtime is the same text whatever the source, so it is kept as it is.
 */
function bodies(files: readonly GeneratedFile[], source: string): Map<string, string> {
  return new Map(files.map((f) => [f.path, f.path.startsWith('runtime/') ? f.content : f.content.split(source).join('<source>')]));
}

let emailBodies: Map<string, string> | undefined;
/** What the EMail.wsdl file generates, as bodies(): generated once for this file (generation is deterministic). */
function fromTheFile(): Map<string, string> {
  emailBodies ??= bodies(buildFiles([emailWsdl], { regenerate: REGENERATE }).files, 'EMail.wsdl');
  return emailBodies;
}


describe('URL inputs: WCF single and split forms', () => {
  let fromFile: Map<string, string>;
  before(() => {
    fromFile = fromTheFile();
  });

  test('?singleWsdl generates exactly what the file generates', async () => {
    const url = `${base}${SVC}?singleWsdl`;
    const { files, agents } = await buildFilesParallel([url], { regenerate: REGENERATE });
    assert.equal(agents[0]!.wsdl, url);
    assert.match(files[0]!.content, new RegExp(`^// @generated by gen-services86 from ${url.replace(/[.?]/g, '\\$&')} — do not edit\\.\n`));
    assert.deepEqual(bodies(files, url), fromFile);
  });

  test('?wsdl with ?xsd=xsdN imports generates the same code', async () => {
    requests.length = 0;
    const url = `${base}${SVC}?wsdl`;
    const { files } = await buildFilesParallel([url], { regenerate: REGENERATE });
    assert.deepEqual(
      [...new Set(requests)].sort(),
      [`${SVC}?wsdl`, ...split.xsd.map((_, i) => `${SVC}?xsd=xsd${i}`)].sort(),
      'the WSDL and each schema are fetched',
    );
    assert.equal(requests.length, 1 + split.xsd.length, 'each document is fetched once');
    // Generated mocks carry no WSDL (their ?wsdl serves the mock's `wsdl` option), so every file is equal.
    assert.deepEqual(bodies(files, url), fromFile);
  });

  test('the CLI takes a URL and writes its header with the URL, quoted for the shell', async () => {
    const dir = mkdtempSync(join(work, 'cli-'));
    const url = `${base}${SVC}?wsdl`;
    const r = await runCli([url, '-o', 'out'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^${url.replace(/[.?]/g, '\\$&')} → out/EMail/: \\d+ types, 80 operations`));
    const header = readFileSync(join(dir, 'out', 'EMail', 'types.ts'), 'utf8').split('\n')[1];
    assert.equal(header, `// Regenerate with: npx gen-services86 '${url}' -o out`);
  });
});

/**
 * The split WSDL split once more, as WCF does when the binding's namespace differs from the
 * contract's: `?wsdl` keeps the binding and the service and imports `?wsdl=wsdl0` (wsdl:import),
 * which holds the types, messages and the portType.
 */
function splitDefinitions(splitWsdl: string, base: string): { main: string; wsdl0: string } {
  const serialize = (keep: (local: string) => boolean, extra?: (doc: ReturnType<DOMParser['parseFromString']>) => void): string => {
    const doc = new DOMParser().parseFromString(splitWsdl, 'text/xml');
    const root = doc.documentElement!;
    for (const child of Array.from(root.childNodes)) {
      if (child.nodeType === 1 && !keep((child as XmlElement).localName!)) root.removeChild(child);
    }
    extra?.(doc);
    return new XMLSerializer().serializeToString(doc);
  };
  const contract = new Set(['types', 'message', 'portType']);
  const main = serialize(
    (local) => !contract.has(local),
    (doc) => {
      const root = doc.documentElement!;
      const imp = doc.createElementNS(WSDL, 'wsdl:import');
      imp.setAttribute('namespace', root.getAttribute('targetNamespace')!);
      imp.setAttribute('location', `${base}${SVC}?wsdl=wsdl0`);
      root.insertBefore(imp, root.firstChild);
    },
  );
  return { main, wsdl0: serialize((local) => contract.has(local)) };
}

describe('URL inputs: WCF wsdl:import', () => {
  test('?wsdl importing ?wsdl=wsdl0 (contract) and ?xsd=xsdN (schemas) generates the same code as the file', async () => {
    const { main, wsdl0 } = splitDefinitions(split.wsdl, base);
    assert.match(main, /<wsdl:import /);
    assert.doesNotMatch(main, /<wsdl:portType /);
    routes.set('/Imports/EMail.svc?wsdl', (_req, res) => res.end(main.replaceAll(`${base}${SVC}?wsdl=wsdl0`, `${base}/Imports/EMail.svc?wsdl=wsdl0`)));
    routes.set('/Imports/EMail.svc?wsdl=wsdl0', (_req, res) => res.end(wsdl0));
    const url = `${base}/Imports/EMail.svc?wsdl`;
    const { files } = await buildFilesParallel([url], { regenerate: REGENERATE });
    const got = bodies(files, url);
    const want = fromTheFile();
    assert.deepEqual(got, want);
  });

  test('a wsdl:import of a document that is not wsdl:definitions is refused by name', async () => {
    routes.set('/bad-import?wsdl', (_req, res) =>
      res.end(emailText.replace('<wsdl:types>', `<wsdl:import namespace="urn:x" location="${base}${SVC}?xsd=xsd0"/><wsdl:types>`)),
    );
    try {
      await buildFilesParallel([`${base}/bad-import?wsdl`]);
      assert.fail('accepted');
    } catch (err) {
      assert.ok(err instanceof GenerateError);
      assert.match(err.describe(), /^http:\/\/127\.0\.0\.1:\d+\/bad-import\?wsdl:1:\d+: wsdl:import location "[^"]+xsd=xsd0" names a document whose root is <xs:schema>, not wsdl:definitions/);
    }
  });
});

describe('URL inputs: one clear line for each failure', () => {
  const errorOf = async (url: string, options: Parameters<typeof buildFilesParallel>[1] = {}): Promise<string> => {
    try {
      await buildFilesParallel([url], options);
    } catch (err) {
      assert.ok(err instanceof GenerateError, String(err));
      const line = err.describe();
      assert.ok(!line.includes('\n'), `one line: ${line}`);
      return line;
    }
    assert.fail(`${url} was accepted`);
  };

  test('connection refused', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const line = await errorOf(`http://127.0.0.1:${port}${SVC}?wsdl`);
    assert.equal(line, `http://127.0.0.1:${port}${SVC}?wsdl: cannot connect to 127.0.0.1:${port}: connection refused (ECONNREFUSED)`);
  });

  test('timeout', async () => {
    routes.set('/slow?wsdl', () => undefined); // never answers
    const started = performance.now();
    const line = await errorOf(`${base}/slow?wsdl`, { timeoutMs: 300 });
    assert.equal(line, `${base}/slow?wsdl: no complete answer within 300 ms (timeout)`);
    assert.ok(performance.now() - started < 10_000, 'gives up at the timeout');
  });

  test('a timeout longer than a timer holds (2^31 ms and more, "no timeout" to a user) waits for the answer', async () => {
    routes.set('/late/EMail.svc?singleWsdl', (_req, res) => void setTimeout(() => res.end(emailText), 100));
    for (const timeoutMs of [2 ** 31, 1e12]) {
      const { agents } = await buildFilesParallel([`${base}/late/EMail.svc?singleWsdl`], { timeoutMs });
      assert.equal(agents[0]!.operations, 80, `timeoutMs ${timeoutMs}`);
    }
  });

  test('a body that stalls half-way is a timeout too', async () => {
    routes.set('/stall?wsdl', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.write('<wsdl:definitions');
    });
    assert.equal(await errorOf(`${base}/stall?wsdl`, { timeoutMs: 300 }), `${base}/stall?wsdl: no complete answer within 300 ms (timeout)`);
  });

  test('HTTP error status, with the status', async () => {
    assert.equal(await errorOf(`${base}/nothing-here?wsdl`), `${base}/nothing-here?wsdl: HTTP 404 Not Found`);
    routes.set('/boom?wsdl', (_req, res) => {
      res.writeHead(500, 'Internal Server Error');
      res.end('<s:Envelope/>');
    });
    assert.equal(await errorOf(`${base}/boom?wsdl`), `${base}/boom?wsdl: HTTP 500 Internal Server Error`);
  });

  test('not XML', async () => {
    routes.set('/json?wsdl', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"error":"use ?singleWsdl"}');
    });
    assert.equal(
      await errorOf(`${base}/json?wsdl`),
      `${base}/json?wsdl: the response is not XML (Content-Type: application/json); it starts with "{" (JSON?), not '<'`,
    );
  });

  test('oversize, declared or streamed', async () => {
    routes.set('/big?wsdl', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/xml', 'content-length': '5000' });
      res.end(`<x>${'a'.repeat(4993)}</x>`);
    });
    routes.set('/chunked?wsdl', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/xml' });
      for (let i = 0; i < 10; i++) res.write(`<!--${'b'.repeat(993)}-->`);
      res.end();
    });
    assert.equal(await errorOf(`${base}/big?wsdl`, { maxBytes: 1000 }), `${base}/big?wsdl: the response is larger than the limit of 1000 bytes`);
    assert.equal(await errorOf(`${base}/chunked?wsdl`, { maxBytes: 1000 }), `${base}/chunked?wsdl: the response is larger than the limit of 1000 bytes`);
  });

  test('redirect loop', async () => {
    routes.set('/a?wsdl', (_req, res) => {
      res.writeHead(302, { location: '/b?wsdl' });
      res.end();
    });
    routes.set('/b?wsdl', (_req, res) => {
      res.writeHead(301, { location: `${base}/a?wsdl` });
      res.end();
    });
    assert.equal(await errorOf(`${base}/a?wsdl`), `${base}/a?wsdl: redirect loop: ${base}/a?wsdl → ${base}/b?wsdl → ${base}/a?wsdl`);
  });

  test('a redirect is followed', async () => {
    routes.set('/old/EMail.svc?singleWsdl', (_req, res) => {
      res.writeHead(301, { location: `${SVC}?singleWsdl` });
      res.end();
    });
    const { agents } = await buildFilesParallel([`${base}/old/EMail.svc?singleWsdl`]);
    assert.equal(agents[0]!.operations, 80);
  });

  test('user:password in a URL is sent as Basic authentication and never reaches a message', async () => {
    let authorization: string | undefined;
    routes.set('/private?wsdl&ticket=7T:secret', (req, res) => {
      authorization = req.headers.authorization;
      res.writeHead(401, 'Unauthorized');
      res.end();
    });
    const line = await errorOf(`http://user:hunter2@127.0.0.1:${new URL(base).port}/private?wsdl&ticket=7T:secret`);
    assert.equal(authorization, `Basic ${Buffer.from('user:hunter2').toString('base64')}`);
    assert.equal(line, `http://***@127.0.0.1:${new URL(base).port}/private?wsdl&ticket=***: HTTP 401 Unauthorized`);
  });

  test('several failing URLs: every one is reported, in order', async () => {
    try {
      await buildFilesParallel([`${base}/nothing-1?wsdl`, `${base}${SVC}?singleWsdl`, `${base}/nothing-2?wsdl`]);
      assert.fail('accepted');
    } catch (err) {
      assert.ok(err instanceof GenerateError);
      assert.deepEqual(err.describe().split('\n'), [`${base}/nothing-1?wsdl: HTTP 404 Not Found`, `${base}/nothing-2?wsdl: HTTP 404 Not Found`]);
    }
  });
});

describe('URL inputs: where imports may come from', () => {
  const wsdlImporting = (schemaLocation: string) =>
    emailText.replace(
      '<xs:import namespace="http://schemas.microsoft.com/2003/10/Serialization/Arrays"/>',
      `<xs:import namespace="http://schemas.microsoft.com/2003/10/Serialization/Arrays" schemaLocation="${schemaLocation}"/>`,
    );

  test('a fetched WSDL never reaches a file: location', async () => {
    requests.length = 0;
    routes.set('/file-import?wsdl', (_req, res) => res.end(wsdlImporting('file:///etc/passwd')));
    try {
      await buildFilesParallel([`${base}/file-import?wsdl`]);
      assert.fail('accepted');
    } catch (err) {
      assert.ok(err instanceof GenerateError);
      assert.match(err.describe(), /^http:\/\/127\.0\.0\.1:\d+\/file-import\?wsdl:1:\d+: xs:import schemaLocation "file:\/\/\/etc\/passwd": .*never file: ones/);
      assert.doesNotMatch(err.describe(), /root:/);
    }
  });

  test('the user info and ticket of an import location a fetched WSDL names are never shown', async () => {
    // Refused as from another origin, the location was quoted as written (review r18b).
    const other = base.replace('127.0.0.1', 'localhost');
    routes.set('/cred-import?wsdl', (_req, res) => res.end(wsdlImporting(`${other.replace('//', '//admin:HUNTER2@')}/x.xsd?ticket=7T:abc`)));
    try {
      await buildFilesParallel([`${base}/cred-import?wsdl`]);
      assert.fail('accepted');
    } catch (err) {
      assert.ok(err instanceof GenerateError);
      const shown = `${other.replace('//', '//***@')}/x.xsd?ticket=***`.replace(/[.?*]/g, '\\$&');
      assert.match(err.describe(), new RegExp(`^http://127\\.0\\.0\\.1:\\d+/cred-import\\?wsdl:1:\\d+: xs:import schemaLocation "${shown}": "${shown}" is refused: it is on another origin`));
      assert.doesNotMatch(err.describe(), /HUNTER2|7T:abc/);
    }
  });

  test('an import that cannot be fetched is named with the import that asked for it', async () => {
    // It was only `http://…/missing.xsd?…: HTTP 404 Not Found`, with no importing WSDL or element (review r18b).
    routes.set('/missing-import?wsdl', (_req, res) => res.end(wsdlImporting('missing.xsd?ticket=7T:abc&amp;x=1')));
    try {
      await buildFilesParallel([`${base}/missing-import?wsdl`]);
      assert.fail('accepted');
    } catch (err) {
      assert.ok(err instanceof GenerateError);
      const at = /\(at \/definitions\[@name='WcfEMailService'\]\/types\/schema\[\d+\]\/import\[\d+\]\)$/.source;
      assert.match(
        err.describe(),
        new RegExp(`^${base.replace(/[.]/g, '\\.')}/missing-import\\?wsdl:1:\\d+: xs:import schemaLocation "missing\\.xsd\\?ticket=\\*\\*\\*&x=1": ${base.replace(/[.]/g, '\\.')}/missing\\.xsd\\?ticket=\\*\\*\\*&x=1: HTTP 404 Not Found ${at}`),
      );
      assert.doesNotMatch(err.describe(), /7T:abc/);
    }
  });

  test('an import of an imported schema that cannot be fetched is named with every import up to the WSDL', async () => {
    // It named the importing schema alone: `http://…/outer.xsd:2:3: xs:import schemaLocation "inner.xsd": …: HTTP 404 Not Found`.
    routes.set('/chain-import?wsdl', (_req, res) => res.end(wsdlImporting('outer.xsd?ticket=7T:abc')));
    routes.set('/outer.xsd?ticket=7T:abc', (_req, res) =>
      res.end(
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="http://schemas.microsoft.com/2003/10/Serialization/Arrays">\n' +
          '  <xs:import namespace="urn:inner" schemaLocation="inner.xsd"/>\n</xs:schema>\n',
      ),
    );
    try {
      await buildFilesParallel([`${base}/chain-import?wsdl`]);
      assert.fail('accepted');
    } catch (err) {
      assert.ok(err instanceof GenerateError);
      const b = base.replace(/[.]/g, '\\.');
      assert.match(
        err.describe(),
        new RegExp(
          `^${b}/chain-import\\?wsdl:1:\\d+: xs:import schemaLocation "outer\\.xsd\\?ticket=\\*\\*\\*": ` +
            `${b}/outer\\.xsd\\?ticket=\\*\\*\\*:2:3: xs:import schemaLocation "inner\\.xsd": ${b}/inner\\.xsd: HTTP 404 Not Found \\(at /schema/import\\) \\(at `,
        ),
      );
      assert.doesNotMatch(err.describe(), /7T:abc/);
    }
  });

  test('another origin is refused by default and allowed when named', async () => {
    // localhost and 127.0.0.1 are different origins, though the same server.
    const other = base.replace('127.0.0.1', 'localhost');
    const arrays = split.xsd.findIndex((x) => x.includes('targetNamespace="http://schemas.microsoft.com/2003/10/Serialization/Arrays"'));
    routes.set('/cross?wsdl', (_req, res) => res.end(wsdlImporting(`${other}${SVC}?xsd=xsd${arrays}`).replace(/<xs:schema[^>]*Serialization\/Arrays"[^>]*>.*?<\/xs:schema>/s, '')));
    try {
      await buildFilesParallel([`${base}/cross?wsdl`]);
      assert.fail('accepted');
    } catch (err) {
      assert.ok(err instanceof GenerateError);
      assert.match(err.describe(), new RegExp(`is on another origin than the WSDL \\(${base.replace(/[.]/g, '\\.')}\\); allow it with --allow-origin ${other.replace(/[.]/g, '\\.')} \\(at `));
    }
    const { agents } = await buildFilesParallel([`${base}/cross?wsdl`], { allowedOrigins: [other] });
    assert.equal(agents[0]!.operations, 80);
  });

  test('a local WSDL imports local schemas relative to itself', () => {
    const dir = mkdtempSync(join(work, 'local-'));
    const { wsdl, xsd } = splitLikeWcf(emailText, 'LOCAL');
    const local = (text: string) => text.replace(/LOCAL\/Remote\/Services86\/EMail\.svc\?xsd=(xsd\d+)/g, 'schemas/$1.xsd');
    writeFileSync(join(dir, 'EMail.wsdl'), local(wsdl));
    mkdirSync(join(dir, 'schemas'));
    // Inside schemas/, the schemas import each other relative to their own folder.
    xsd.forEach((text, i) => writeFileSync(join(dir, 'schemas', `xsd${i}.xsd`), local(text).replace(/schemas\/(xsd\d+)\.xsd/g, '$1.xsd')));
    const got = bodies(buildFiles([join(dir, 'EMail.wsdl')], { regenerate: REGENERATE }).files, 'EMail.wsdl');
    const want = fromTheFile();
    for (const [path, content] of want) {
      if (path.endsWith('/mock.ts')) continue;
      assert.equal(got.get(path), content, path);
    }
  });
});

test('a URL the parser cannot read is shown without its user info, query and fragment', () => {
  assert.equal(redactUrl('https://carol:hunter2@[bad/Remote/EMail.svc?wsdl&token=s3cr3t#x'), 'https://***@[bad/Remote/EMail.svc?***');
  assert.equal(redactUrl('https://[bad/EMail.svc'), 'https://[bad/EMail.svc');
  assert.equal(redactUrl('https://carol:hunter2@example.com/EMail.svc?token=s3cr3t'), 'https://***@example.com/EMail.svc?token=***');
});
