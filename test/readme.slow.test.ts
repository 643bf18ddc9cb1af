// The README's TypeScript examples must compile against the committed generated client, so the
// documentation cannot drift from the code. Each ```ts block that imports a generated agent is
// compiled strictly, with its import pointed at generated/EMail; the "Several agents" example is
// compiled against EMail, Person and SoPrincipal generated into one folder.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { buildFiles } from '../generator/generate.js';
import { repoRoot, wsdlFixturesDir } from './support/paths.js';
import { typeCheck } from './support/tsc.js';

/** Blocks that import a folder's entry point (`./superoffice/index.js`) use several agents. */
const SEVERAL_AGENTS = /from '\.\/superoffice\/index\.js'/;

/** Names the README's snippets use without declaring them. */
const PRELUDE = 'declare const ticket: string;\ndeclare const applicationToken: string;\n';

test('README examples of the programmatic API compile against the generator', () => {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((b) => /from 'gen-services86'/.test(b));
  assert.ok(blocks.length >= 1, 'the README shows the programmatic API');
  const dir = mkdtempSync(join(repoRoot, 'dist', 'readme-api-check-'));
  try {
    const files = blocks.map((block, i) => {
      const path = join(dir, `api${i}.ts`);
      writeFileSync(path, `${block.replace(/from 'gen-services86'/g, `from '${join(repoRoot, 'generator', 'generate.js')}'`)}\nexport {};\n`);
      return path;
    });
    assert.deepEqual(typeCheck(files, dir).map((d) => d.text), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('README TypeScript examples compile against generated/EMail', () => {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)]
    .map((m) => m[1]!)
    .filter((b) => /from '\.\/[\w/]*EMail\/(index|mock)\.js'/.test(b) && !SEVERAL_AGENTS.test(b));
  assert.ok(blocks.length >= 2, 'the README shows the client');
  const dir = mkdtempSync(join(repoRoot, 'dist', 'readme-check-'));
  try {
    const files = blocks.map((block, i) => {
      const path = join(dir, `example${i}.ts`);
      const source = block.replace(/from '\.\/[\w/]*EMail\/(index|mock)\.js'/g, (_m, f: string) => `from '${join(repoRoot, 'generated', 'EMail', `${f}.js`)}'`);
      // A block that only continues an earlier one reuses its agent.
      const prelude = /new EMailAgent/.test(block) || !/email\./.test(block) ? PRELUDE : `${PRELUDE}declare const email: import('${join(repoRoot, 'generated', 'EMail', 'index.js')}').EMailAgent;\n`;
      writeFileSync(path, `${prelude}${source}\nexport {};\n`);
      return path;
    });
    const messages = typeCheck(files, dir).map((d) => d.text);
    assert.deepEqual(messages, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('README "Several agents" examples compile against EMail, Person and SoPrincipal generated into one folder', () => {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((b) => SEVERAL_AGENTS.test(b));
  assert.ok(blocks.length >= 1, 'the README shows the session');
  const dir = mkdtempSync(join(repoRoot, 'dist', 'readme-several-'));
  try {
    const { files } = buildFiles(['EMail', 'Person', 'SoPrincipal'].map((n) => join(wsdlFixturesDir, `${n}.wsdl`)));
    for (const f of files) {
      mkdirSync(dirname(join(dir, 'superoffice', f.path)), { recursive: true });
      writeFileSync(join(dir, 'superoffice', f.path), f.content);
    }
    const examples = blocks.map((block, i) => {
      const path = join(dir, `example${i}.ts`);
      writeFileSync(path, `${block}\nexport {};\n`);
      return path;
    });
    assert.deepEqual(
      typeCheck(examples, dir).map((d) => d.text),
      [],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
