// --watch with a config glob whose wildcard is a folder (`test/*/wsdl/*.wsdl`): a WSDL saved in a
// matching folder made after the watch began is generated, whether the folder came at once with
// its WSDL (a copied folder) or below a folder that had none.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { miniWsdl } from './support/mini-wsdl.js';
import { watchChild } from './support/watch-child.js';

const work = mkdtempSync(join(tmpdir(), 'gen-services86-watch-glob-'));
after(() => rmSync(work, { recursive: true, force: true }));

const wsdlText = (portType: string) => miniWsdl({ portType, operations: [{ name: 'Ping', request: '', response: '', documentation: `Pings ${portType}.` }] });

test('--watch, config glob test/*/wsdl/*.wsdl: a WSDL in a matching folder made later is generated', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(work, 'project-'));
  mkdirSync(join(dir, 'test', 'a', 'wsdl'), { recursive: true });
  mkdirSync(join(dir, 'test', 'b'));
  writeFileSync(join(dir, 'test', 'a', 'wsdl', 'Alpha.wsdl'), wsdlText('Alpha'));
  writeFileSync(join(dir, 'gen-services86.config.json'), JSON.stringify({ wsdl: ['test/*/wsdl/*.wsdl'], out: 'gen' }));
  const watch = watchChild(['--watch'], dir);
  const client = (agent: string) => join(dir, 'gen', agent, 'client.ts');
  try {
    await watch.until(() => watch.lines().length === 1, 'the first run');
    assert.ok(existsSync(client('Alpha')));
    // A new folder with its WSDL, made at once.
    mkdirSync(join(dir, 'test', 'c', 'wsdl'), { recursive: true });
    writeFileSync(join(dir, 'test', 'c', 'wsdl', 'Gamma.wsdl'), wsdlText('Gamma'));
    await watch.until(() => existsSync(client('Gamma')), 'gen/Gamma/client.ts');
    // A wsdl/ folder made in a folder that had none, then a WSDL saved in it.
    mkdirSync(join(dir, 'test', 'b', 'wsdl'));
    writeFileSync(join(dir, 'test', 'b', 'wsdl', 'Beta.wsdl'), wsdlText('Beta'));
    await watch.until(() => existsSync(client('Beta')), 'gen/Beta/client.ts');
    assert.match(readFileSync(client('Beta'), 'utf8'), /Pings Beta\./);
    watch.child.kill('SIGINT');
    assert.equal(await watch.exited, 0, watch.stderr());
  } finally {
    watch.end();
  }
});

test('--watch, a config glob that matches nothing yet (an empty wsdl/ folder): the first WSDL saved there is generated', { timeout: 120_000 }, async () => {
  // The run failed ("matches no file") and watched only the config file: "waiting for the next
  // change" waited for ever while WSDLs were added to wsdl/.
  const dir = mkdtempSync(join(work, 'empty-'));
  mkdirSync(join(dir, 'wsdl'));
  writeFileSync(join(dir, 'gen-services86.config.json'), JSON.stringify({ wsdl: ['wsdl/*.wsdl'], out: 'gen' }));
  const watch = watchChild(['--watch'], dir);
  try {
    await watch.until(() => /"wsdl\/\*\.wsdl" matches no file/.test(watch.stderr()), 'the error of the empty folder');
    writeFileSync(join(dir, 'wsdl', 'Alpha.wsdl'), wsdlText('Alpha'));
    await watch.until(() => watch.lines().length === 1, 'a run after wsdl/Alpha.wsdl was saved');
    assert.ok(existsSync(join(dir, 'gen', 'Alpha', 'client.ts')));
    watch.child.kill('SIGINT');
    assert.equal(await watch.exited, 0, watch.stderr());
  } finally {
    watch.end();
  }
});

test('--watch with a glob argument (quoted, or from PowerShell or cmd): a WSDL saved later where it matches is generated', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(work, 'argument-'));
  mkdirSync(join(dir, 'wsdl'));
  writeFileSync(join(dir, 'wsdl', 'Alpha.wsdl'), wsdlText('Alpha'));
  const watch = watchChild(['wsdl/*.wsdl', '-o', 'gen', '--watch'], dir);
  try {
    await watch.until(() => watch.lines().length === 1, 'the first run');
    assert.ok(existsSync(join(dir, 'gen', 'Alpha', 'client.ts')));
    writeFileSync(join(dir, 'wsdl', 'Beta.wsdl'), wsdlText('Beta'));
    await watch.until(() => existsSync(join(dir, 'gen', 'Beta', 'client.ts')), 'gen/Beta/client.ts');
    assert.ok(existsSync(join(dir, 'gen', 'Alpha', 'client.ts')), 'Alpha is kept: the glob still matches it');
    watch.child.kill('SIGINT');
    assert.equal(await watch.exited, 0, watch.stderr());
  } finally {
    watch.end();
  }
});
