// The two header lines of every generated file: "do not edit", and the command that regenerates
// it. A long command (many inputs) is written once, wrapped with shell continuations, at the top
// of the entry point index.ts; the other files point there.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { MAX_LINE } from '../../generator/emit/layout.js';
import { buildFiles } from '../../generator/generate.js';
import { headerCommand } from '../../generator/input/command.js';
import { miniWsdl } from '../support/mini-wsdl.js';

const dir = mkdtempSync(join(tmpdir(), 'gen-services86-headers-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const inputs = ['Alpha', 'Beta'].map((name) => {
  const path = join(dir, `${name}.wsdl`);
  writeFileSync(path, miniWsdl({ portType: name }));
  return path;
});

test('the header line limit is the one line-length rule of generated code', () => {
  // A command whose "// Regenerate with: …" line has exactly MAX_LINE characters is kept; one more and it is not.
  const command = (lineLength: number) => `npx gen-services86 ${'x'.repeat(lineLength - '// Regenerate with: npx gen-services86 '.length)}`;
  assert.equal(`// Regenerate with: ${command(MAX_LINE)}`.length, MAX_LINE);
  assert.equal(headerCommand(command(MAX_LINE)), command(MAX_LINE));
  assert.match(headerCommand(command(MAX_LINE + 1)), /^the "command" in \.gen-services86-manifest\.json/);
});

test('a short command is the second line of every file', () => {
  const { files } = buildFiles(inputs, { regenerate: 'npx gen-services86 Alpha.wsdl Beta.wsdl -o out' });
  for (const f of files.filter((f) => !f.path.startsWith('runtime/'))) {
    assert.equal(f.content.split('\n')[1], '// Regenerate with: npx gen-services86 Alpha.wsdl Beta.wsdl -o out', f.path);
  }
});

test('a long command is written once, in index.ts, over shell-continued lines; quoted words stay whole', () => {
  const words = [...Array.from({ length: 12 }, (_, i) => `wsdl/Agent${i}.wsdl`), "'my dir/X.wsdl'", '-o', 'out'];
  const command = `npx gen-services86 ${words.join(' ')}`;
  const { files } = buildFiles(inputs, { regenerate: command });
  const index = files.find((f) => f.path === 'index.ts')!.content;
  const lines = index.split('\n');
  const end = lines.findIndex((l, i) => i > 1 && !l.endsWith(' \\'));
  const wrapped = lines.slice(2, end + 1);
  assert.equal(lines[1], '// Regenerate with:');
  assert.ok(wrapped.length > 1 && wrapped.every((l) => l.startsWith('//   ') && l.length <= 100), wrapped.join('\n'));
  // Unwrapped, the lines give the command back, word for word.
  assert.equal(wrapped.map((l) => l.slice(2).replace(/ \\$/, '').trim()).join(' '), command);
  assert.ok(wrapped.some((l) => l.includes("'my dir/X.wsdl'")));
  for (const f of files.filter((f) => f.path !== 'index.ts' && !f.path.startsWith('runtime/'))) {
    assert.equal(f.content.split('\n')[1], '// Regenerate with: the command at the top of index.ts in the output folder.', f.path);
  }
});
