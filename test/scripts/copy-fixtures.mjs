#!/usr/bin/env node
// Copies the test inputs gen-services86 needs from the shared data directory into the repository,
// so that a clone without ../shared can still run the tests.
//
//   node test/scripts/copy-fixtures.mjs [sharedDir]      (default: <repo>/../shared)
//
// - wsdl/Services86/*.wsdl            -> test/fixtures/wsdl/<Name>.wsdl (byte for byte)
// - wsdl/Online/PartnerSystemUserService.wsdl
//                                     -> test/fixtures/wsdl/Online/PartnerSystemUserService.wsdl
//   (the system user exchange; the runtime's partner-system-user-service.ts is generated from it)
// - docs/Services86/EMail/<Op>.md     -> test/golden/EMail/envelopes/<Op>.request.xml
//                                        test/golden/EMail/envelopes/<Op>.response.xml
//   (the ```xml block under "## <Op> Request" / "## <Op> Response", verbatim, one final newline)
// - docs/rest/EMail/v1EMailAgent_<Op>.md -> test/golden/EMail/rest/<Op>.request.http
//                                        test/golden/EMail/rest/<Op>.response.http
//                                        test/golden/EMail/rest/<Op>.query.http (only pages with query parameters)
//   (the REST Agents API page of each operation of EMail.wsdl: the ```http! block under
//   "## Sample request", the ```http_ block under "## Sample response", and the example request
//   line with the method's own query parameters, not $select, under "## Query String Parameters";
//   verbatim, one final newline. Pages of methods EMail.wsdl does not declare are not copied.)
//
// Everything is read and checked before anything is written; any problem prints
// "copy-fixtures: <what> (<file>)" and exits with code 1. Stale envelope files in the envelopes
// directory (operations that no longer exist) are removed; other files there are left alone.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

class FixtureError extends Error {
  /** @param {string} what @param {string} file */
  constructor(what, file) {
    super(`copy-fixtures: ${what} (${file})`);
    this.name = 'FixtureError';
  }
}

/** @param {string} path */
function isDirectory(path) {
  return existsSync(path) && statSync(path).isDirectory();
}

/**
 * A path as shown in messages: relative to the current directory when that is shorter.
 * @param {string} path
 */
function show(path) {
  const rel = relative(process.cwd(), path);
  return rel && rel.length < path.length ? rel : path;
}

/**
 * The body of the first ```xml fence that follows the heading line `## <heading>` and comes before
 * the next `## ` heading, or undefined. Lines are split on \n; a \r before it stays part of the
 * content (verbatim), but is ignored when recognising headings and fences.
 * @param {string[]} lines
 * @param {string} heading
 */
function xmlBlockUnder(lines, heading) {
  return fencedBlockUnder(lines, heading, '```xml');
}

/**
 * The body of the first fence opened by `fence` after the heading line `## <heading>`, before the
 * next `## ` heading, or undefined.
 * @param {string[]} lines
 * @param {string} heading
 * @param {string} fence
 */
function fencedBlockUnder(lines, heading, fence) {
  const stripCr = (/** @type {string} */ s) => s.replace(/\r$/, '');
  const start = lines.findIndex((line) => stripCr(line).trimEnd() === `## ${heading}`);
  if (start < 0) return undefined;
  for (let i = start + 1; i < lines.length; i++) {
    const line = stripCr(/** @type {string} */ (lines[i]));
    if (line.startsWith('## ')) return undefined;
    if (line.trimEnd() !== fence) continue;
    for (let j = i + 1; j < lines.length; j++) {
      if (stripCr(/** @type {string} */ (lines[j])).trimEnd() === '```') {
        const body = lines.slice(i + 1, j).join('\n');
        // Drop trailing blank lines, then end with exactly one newline.
        const trimmed = body.replace(/(?:\r?\n[ \t]*)+$/, '').replace(/^(?:[ \t]*\r?\n)+/, '');
        return trimmed === '' ? '' : `${trimmed}\n`;
      }
    }
    return undefined; // unterminated fence
  }
  return undefined;
}

/**
 * Operation names declared in the portType(s) of a WSDL, by a simple regex scan.
 * @param {string} wsdlText
 */
function portTypeOperations(wsdlText) {
  const names = [];
  for (const portType of wsdlText.matchAll(/<wsdl:portType\b[\s\S]*?<\/wsdl:portType>/g)) {
    for (const op of portType[0].matchAll(/<wsdl:operation name="([^"]*)"/g)) names.push(/** @type {string} */ (op[1]));
  }
  return names;
}

function main() {
  const sharedDir = resolve(process.argv[2] ?? join(repoRoot, '..', 'shared'));
  if (!isDirectory(sharedDir)) throw new FixtureError('shared data directory not found', show(sharedDir));
  const wsdlSrc = join(sharedDir, 'wsdl', 'Services86');
  const docsSrc = join(sharedDir, 'docs', 'Services86', 'EMail');
  if (!isDirectory(wsdlSrc)) throw new FixtureError('WSDL directory not found', show(wsdlSrc));
  if (!isDirectory(docsSrc)) throw new FixtureError('EMail docs directory not found', show(docsSrc));
  const partnerWsdl = join(sharedDir, 'wsdl', 'Online', 'PartnerSystemUserService.wsdl');
  if (!existsSync(partnerWsdl)) throw new FixtureError('PartnerSystemUserService.wsdl not found', show(partnerWsdl));

  const wsdlNames = readdirSync(wsdlSrc).filter((f) => f.endsWith('.wsdl')).sort();
  if (wsdlNames.length === 0) throw new FixtureError('no .wsdl files', show(wsdlSrc));
  const emailWsdl = join(wsdlSrc, 'EMail.wsdl');
  if (!existsSync(emailWsdl)) throw new FixtureError('EMail.wsdl not found', show(emailWsdl));
  const declared = portTypeOperations(readFileSync(emailWsdl, 'utf8'));
  if (declared.length === 0) throw new FixtureError('no <wsdl:operation> inside <wsdl:portType>', show(emailWsdl));

  /** @type {{ op: string, request: string, response: string }[]} */
  const envelopes = [];
  const pages = readdirSync(docsSrc).filter((f) => f.endsWith('.md') && f !== 'index.md').sort();
  for (const page of pages) {
    const op = page.slice(0, -'.md'.length);
    const file = join(docsSrc, page);
    const lines = readFileSync(file, 'utf8').split('\n');
    const request = xmlBlockUnder(lines, `${op} Request`);
    if (!request) throw new FixtureError(`no \`\`\`xml block under "## ${op} Request"`, show(file));
    const response = xmlBlockUnder(lines, `${op} Response`);
    if (!response) throw new FixtureError(`no \`\`\`xml block under "## ${op} Response"`, show(file));
    envelopes.push({ op, request, response });
  }

  if (envelopes.length !== declared.length) {
    throw new FixtureError(
      `${envelopes.length} EMail operation pages, but the portType of EMail.wsdl declares ${declared.length} operations`,
      show(docsSrc),
    );
  }
  const declaredSet = new Set(declared);
  const undeclared = envelopes.map((e) => e.op).filter((op) => !declaredSet.has(op));
  if (undeclared.length > 0) {
    throw new FixtureError(`operation pages not in the portType of EMail.wsdl: ${undeclared.join(', ')}`, show(docsSrc));
  }

  // The REST Agents API pages (issue 19): one per operation of EMail.wsdl.
  const restSrc = join(sharedDir, 'docs', 'rest', 'EMail');
  if (!isDirectory(restSrc)) throw new FixtureError('REST EMail docs directory not found', show(restSrc));
  /** @type {{ op: string, request: string, response: string, query: string | undefined }[]} */
  const restPages = [];
  for (const op of [...declared].sort()) {
    const file = join(restSrc, `v1EMailAgent_${op}.md`);
    if (!existsSync(file)) throw new FixtureError(`no REST page for the operation ${op}`, show(file));
    const lines = readFileSync(file, 'utf8').split('\n');
    const request = fencedBlockUnder(lines, 'Sample request', '```http!');
    if (!request) throw new FixtureError('no ```http! block under "## Sample request"', show(file));
    const response = fencedBlockUnder(lines, 'Sample response', '```http_');
    if (!response) throw new FixtureError('no ```http_ block under "## Sample response"', show(file));
    const examples = fencedBlockUnder(lines, 'Query String Parameters', '```http');
    const withQuery = (examples ?? '').split('\n').filter((l) => /\?(?!\$)/.test(l));
    restPages.push({ op, request, response, query: withQuery.length > 0 ? `${withQuery.join('\n')}\n` : undefined });
  }

  // All checks passed: write.
  const wsdlDest = join(repoRoot, 'test', 'fixtures', 'wsdl');
  mkdirSync(wsdlDest, { recursive: true });
  for (const name of wsdlNames) copyFileSync(join(wsdlSrc, name), join(wsdlDest, name));
  mkdirSync(join(wsdlDest, 'Online'), { recursive: true });
  copyFileSync(partnerWsdl, join(wsdlDest, 'Online', 'PartnerSystemUserService.wsdl'));

  const envDest = join(repoRoot, 'test', 'golden', 'EMail', 'envelopes');
  mkdirSync(envDest, { recursive: true });
  const written = new Set();
  for (const { op, request, response } of envelopes) {
    for (const [suffix, text] of /** @type {const} */ ([['request', request], ['response', response]])) {
      const name = `${op}.${suffix}.xml`;
      writeFileSync(join(envDest, name), text);
      written.add(name);
    }
  }
  let removed = 0;
  for (const name of readdirSync(envDest)) {
    if (/\.(request|response)\.xml$/.test(name) && !written.has(name)) {
      rmSync(join(envDest, name));
      removed++;
    }
  }

  const restDest = join(repoRoot, 'test', 'golden', 'EMail', 'rest');
  mkdirSync(restDest, { recursive: true });
  const restWritten = new Set();
  for (const { op, request, response, query } of restPages) {
    for (const [suffix, text] of /** @type {const} */ ([['request', request], ['response', response], ['query', query]])) {
      if (text === undefined) continue;
      const name = `${op}.${suffix}.http`;
      writeFileSync(join(restDest, name), text);
      restWritten.add(name);
    }
  }
  for (const name of readdirSync(restDest)) {
    if (/\.(request|response|query)\.http$/.test(name) && !restWritten.has(name)) {
      rmSync(join(restDest, name));
      removed++;
    }
  }

  console.log(
    `copied ${wsdlNames.length} Services86 WSDLs and PartnerSystemUserService.wsdl, ${written.size} envelopes of ${envelopes.length} EMail operations, ${restWritten.size} REST samples of ${restPages.length} operations` +
      (removed > 0 ? ` (removed ${removed} stale envelope files)` : ''),
  );
}

try {
  main();
} catch (error) {
  console.error(error instanceof FixtureError ? error.message : `copy-fixtures: ${error instanceof Error ? error.message : String(error)} (unexpected error)`);
  process.exitCode = 1;
}
