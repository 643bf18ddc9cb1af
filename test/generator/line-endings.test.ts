// The package as a Windows checkout holds it: git's core.autocrlf (on by default in Git for
// Windows) turns every LF of templates/ into CRLF when the package is installed from a git URL
// or cloned. The generator must write exactly the files it writes from LF templates — otherwise
// two machines generate different bytes from one WSDL, and --check fails on one of them.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { emitRun, runtimeFiles, type GeneratedFile } from '../../generator/emit/emit-agent.js';
import { readAgent } from '../../generator/generate-agent.js';
import { loadLocalInput } from '../../generator/input/load.js';
import { repoRoot, wsdlFixturesDir } from '../support/paths.js';

let work: string;
before(() => {
  work = mkdtempSync(join(tmpdir(), 'gen-services86-crlf-'));
});
after(() => rmSync(work, { recursive: true, force: true }));

/** Every file below `dir` rewritten with CRLF line ends. */
function toCrlf(dir: string): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) toCrlf(path);
    else writeFileSync(path, readFileSync(path, 'utf8').replace(/\r?\n/g, '\r\n'));
  }
}

/** Everything a run of these services writes, from these templates. */
function output(services: Parameters<typeof emitRun>[0], templates: string): GeneratedFile[] {
  const run = emitRun(services, templates, 'npx gen-services86 Database.wsdl Tooltips.wsdl -o generated');
  return [...run.agents.flatMap((a) => a.files), ...run.common, ...runtimeFiles(templates)];
}

test('templates with CRLF line ends (a Windows checkout): the same bytes as from LF templates, no CR anywhere', () => {
  const crlf = join(work, 'templates');
  cpSync(join(repoRoot, 'templates'), crlf, { recursive: true });
  toCrlf(crlf);
  assert.ok(readFileSync(join(crlf, 'runtime', 'xml.ts'), 'utf8').includes('\r\n'), 'the copy has CRLF line ends');
  const services = ['Database.wsdl', 'Tooltips.wsdl'].map((f) => readAgent(loadLocalInput(join(wsdlFixturesDir, f))).service);
  const expected = output(services, join(repoRoot, 'templates'));
  const actual = output(services, crlf);
  assert.deepEqual(
    actual.map((f) => f.path),
    expected.map((f) => f.path),
  );
  for (const [i, file] of actual.entries()) {
    assert.ok(!file.content.includes('\r'), `${file.path} has no CR`);
    assert.equal(file.content, expected[i]!.content, file.path);
  }
});
