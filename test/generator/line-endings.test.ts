// The package as a Windows checkout holds it: git's core.autocrlf (on by default in Git for
// Windows) turns every LF of templates/ into CRLF when the package is installed from a git URL
// or cloned. The generator must write exactly the files it writes from LF templates — otherwise
// two machines generate different bytes from one WSDL, and --check fails on one of them. Every
// reader of templates/ (the .hbs templates, the runtime files, the precompile script) reads
// through readTemplateText, so that rule is what is tested, with the runtime files over a copy of
// the package (its compiled generator beside CRLF templates/: the generator reads the templates/
// next to it, as an installed package's does).
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { runtimeFiles } from '../../generator/emit/emit-agent.js';
import { readTemplateText } from '../../generator/emit/templates.js';
import { repoRoot } from '../support/paths.js';

let work: string;
before(() => {
  work = mkdtempSync(join(tmpdir(), 'gen-services86-crlf-'));
  cpSync(join(repoRoot, 'templates'), join(work, 'templates'), { recursive: true });
  toCrlf(join(work, 'templates'));
  cpSync(join(repoRoot, 'dist', 'generator'), join(work, 'dist', 'generator'), { recursive: true });
  cpSync(join(repoRoot, 'package.json'), join(work, 'package.json'));
  symlinkSync(join(repoRoot, 'node_modules'), join(work, 'node_modules'), 'junction');
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

test('readTemplateText: a template with CRLF line ends (a Windows checkout) reads as with LF ones', () => {
  const lines = join(work, 'lines.hbs');
  writeFileSync(lines, 'a\r\n{{b}}\r\n');
  assert.equal(readTemplateText(lines), 'a\n{{b}}\n');
  const names = readdirSync(join(repoRoot, 'templates')).filter((n) => n.endsWith('.hbs'));
  assert.ok(names.length > 0);
  for (const name of names) {
    const crlf = join(work, 'templates', name);
    assert.ok(readFileSync(crlf, 'utf8').includes('\r\n'), `the copy of ${name} has CRLF line ends`);
    const text = readTemplateText(crlf);
    assert.ok(!text.includes('\r'), `${name} has no CR`);
    assert.equal(text, readTemplateText(join(repoRoot, 'templates', name)), name);
  }
});

test('the runtime files copied from CRLF sources: the same bytes as from LF ones, no CR anywhere', async () => {
  assert.ok(readFileSync(join(work, 'templates', 'runtime', 'xml.ts'), 'utf8').includes('\r\n'), 'the copy has CRLF line ends');
  const expected = runtimeFiles();
  const copy = (await import(pathToFileURL(join(work, 'dist', 'generator', 'emit', 'emit-agent.js')).href)) as typeof import('../../generator/emit/emit-agent.js');
  const actual = copy.runtimeFiles();
  assert.deepEqual(
    actual.map((f) => f.path),
    expected.map((f) => f.path),
  );
  for (const [i, file] of actual.entries()) {
    assert.ok(!file.content.includes('\r'), `${file.path} has no CR`);
    assert.equal(file.content, expected[i]!.content, file.path);
  }
});
