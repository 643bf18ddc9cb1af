// The output folder is owned: each run makes it hold exactly that run's agents. A run removes the
// files and folders of inputs no longer given — only files still exactly as the manifest's hash
// says we wrote them — and keeps, naming each, what was edited or is foreign. `--check` reports the
// files a run would remove as `obsolete`. The session class lists what is on disk. The CLI runs as
// a child process; the WSDLs are small (miniWsdl) so each run is quick.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli, snapshot } from './support/cli-run.js';
import { miniWsdl } from './support/mini-wsdl.js';

const MANIFEST = '.gen-services86-manifest.json';
const AGENTS = ['Alpha', 'Beta', 'Gamma'];

let work: string;
before(() => {
  work = mkdtempSync(join(tmpdir(), 'gen-services86-ownership-'));
});
after(() => rmSync(work, { recursive: true, force: true }));

/** A project folder with wsdl/Alpha.wsdl, wsdl/Beta.wsdl and wsdl/Gamma.wsdl. */
function project(name: string): string {
  const dir = mkdtempSync(join(work, `${name}-`));
  mkdirSync(join(dir, 'wsdl'));
  for (const a of AGENTS) writeFileSync(join(dir, 'wsdl', `${a}.wsdl`), miniWsdl({ portType: a }));
  return dir;
}

const args = (...agents: string[]) => [...agents.map((a) => `wsdl/${a}.wsdl`), '-o', 'out'];

async function ok(argv: readonly string[], cwd: string) {
  const r = await runCli(argv, cwd);
  assert.equal(r.code, 0, r.stderr);
  return r;
}

/** The agent getters of the generated SuperOfficeClient, e.g. ['alpha', 'beta']. */
function sessionAgents(out: string): string[] {
  const index = readFileSync(join(out, 'index.ts'), 'utf8');
  return [...index.matchAll(/^ {2}get (\w+)\(\): \w+Agent \{/gm)].map((m) => m[1]!).sort();
}

describe('a dropped input', () => {
  test('its folder goes; --check first reports each of its files as obsolete; the session lists what is on disk', async () => {
    const dir = project('drop');
    const out = join(dir, 'out');
    await ok(args('Alpha', 'Beta', 'Gamma'), dir);
    assert.deepEqual(sessionAgents(out), ['alpha', 'beta', 'gamma']);
    const gammaFiles = readdirSync(join(out, 'Gamma')).sort();

    const before = snapshot(out);
    const check = await runCli([...args('Alpha', 'Beta'), '--check'], dir);
    assert.equal(check.code, 1, check.stdout);
    for (const f of gammaFiles) assert.match(check.stderr, new RegExp(`^  obsolete Gamma/${f.replace('.', '\\.')}$`, 'm'));
    assert.deepEqual(snapshot(out), before, '--check writes nothing');

    const run = await ok(args('Alpha', 'Beta'), dir);
    assert.equal(run.stderr, '');
    assert.match(run.stdout, new RegExp(`^gen-services86: out: \\d+ written, \\d+ unchanged, ${gammaFiles.length} removed \\(`, 'm'));
    assert.deepEqual(readdirSync(out).sort(), [MANIFEST, 'Alpha', 'Beta', 'index.ts', 'runtime', 'shared']);
    assert.deepEqual(sessionAgents(out), ['alpha', 'beta']);
    const manifest = JSON.parse(readFileSync(join(out, MANIFEST), 'utf8')) as { files?: unknown; sha256: Record<string, string> };
    assert.ok(!Object.keys(manifest.sha256).some((f) => f.startsWith('Gamma/')), 'the manifest no longer lists Gamma');
    assert.equal(manifest.files, undefined, 'the files are listed once, with their hashes');
    const after = await runCli([...args('Alpha', 'Beta'), '--check'], dir);
    assert.equal(after.code, 0, after.stderr);
  });

  // Earlier versions wrote the manifest with a `files` list (beside the hashes, or alone): a folder
  // one of them wrote is still owned, its dropped agent's files removed.
  for (const [format, rewrite] of [
    ['a files list beside the hashes', (m: { sha256: Record<string, string> }) => ({ ...m, files: Object.keys(m.sha256) })],
    ['a files list without hashes', (m: { sha256: Record<string, string> }) => ({ generator: 'gen-services86', files: Object.keys(m.sha256) })],
  ] as const) {
    test(`a manifest of an earlier version (${format}): its files are ours`, async () => {
      const dir = project('earlier-manifest');
      const out = join(dir, 'out');
      await ok(args('Alpha', 'Beta', 'Gamma'), dir);
      const gammaFiles = readdirSync(join(out, 'Gamma')).length;
      const manifest = JSON.parse(readFileSync(join(out, MANIFEST), 'utf8')) as { sha256: Record<string, string> };
      writeFileSync(join(out, MANIFEST), JSON.stringify(rewrite(manifest), null, 2) + '\n');
      const run = await ok(args('Alpha', 'Beta'), dir);
      assert.equal(run.stderr, '');
      assert.match(run.stdout, new RegExp(`^gen-services86: out: \\d+ written, \\d+ unchanged, ${gammaFiles} removed \\(`, 'm'));
      assert.ok(!existsSync(join(out, 'Gamma')));
    });
  }

  test('two runs into one folder are one project: the second run replaces the agent set, and says what it removed', async () => {
    const dir = project('replace');
    const out = join(dir, 'out');
    await ok(args('Alpha', 'Beta'), dir);
    const r = await ok(args('Gamma'), dir);
    assert.match(r.stdout, /^gen-services86: out: \d+ written, \d+ unchanged, [1-9]\d* removed/m);
    // One agent alone owns its types again: no shared folder, no Alpha/ or Beta/.
    assert.deepEqual(readdirSync(out).sort(), [MANIFEST, 'Gamma', 'index.ts', 'runtime']);
    assert.deepEqual(sessionAgents(out), ['gamma']);
    // Adding means listing them all: then the session has every agent.
    await ok(args('Alpha', 'Beta', 'Gamma'), dir);
    assert.deepEqual(sessionAgents(out), ['alpha', 'beta', 'gamma']);
    assert.deepEqual(readdirSync(out).sort(), [MANIFEST, 'Alpha', 'Beta', 'Gamma', 'index.ts', 'runtime', 'shared']);
  });

  test('an edited file and a foreign file in the dropped folder are kept and named; our unedited files go', async () => {
    const dir = project('edited');
    const out = join(dir, 'out');
    await ok(args('Alpha', 'Beta', 'Gamma'), dir);
    const client = join(out, 'Gamma', 'client.ts');
    // Still carries the generated header, but no longer what we wrote: the manifest's hash differs.
    const edited = readFileSync(client, 'utf8') + '\n// my fix\n';
    writeFileSync(client, edited);
    writeFileSync(join(out, 'Gamma', 'notes.md'), 'mine\n');

    const check = await runCli([...args('Alpha', 'Beta'), '--check'], dir);
    assert.equal(check.code, 1);
    assert.match(check.stderr, /^ {2}obsolete Gamma\/types\.ts$/m);
    assert.doesNotMatch(check.stderr, /Gamma\/client\.ts|notes\.md/, 'a run would not remove them, so they are not obsolete');

    const r = await ok(args('Alpha', 'Beta'), dir);
    assert.deepEqual(r.stderr.trimEnd().split('\n'), [
      'gen-services86: out/Gamma/client.ts: kept, although no longer generated: it changed since gen-services86 wrote it (maybe edited by hand); save any edits elsewhere and delete it',
      'gen-services86: out/Gamma/notes.md: kept, although no longer generated: gen-services86 did not write it, and its folder belongs to an agent no longer generated; move or delete it',
    ]);
    assert.deepEqual(readdirSync(join(out, 'Gamma')).sort(), ['client.ts', 'notes.md']);
    assert.equal(readFileSync(client, 'utf8'), edited);
    assert.deepEqual(sessionAgents(out), ['alpha', 'beta']);
    // They are the user's now: the next run neither removes nor reports them.
    const again = await ok(args('Alpha', 'Beta'), dir);
    assert.equal(again.stderr, '');
    assert.ok(existsSync(client));
  });

  test('a dropped agent folder that is now a symbolic link (moved elsewhere and linked): its files are kept and named, not counted as removed', async () => {
    // The run counted the files behind the link as removed ("8 removed"), left them where the link
    // leads (it deletes nothing through one), and the next run no longer knew them.
    const dir = project('linked');
    const out = join(dir, 'out');
    await ok(args('Alpha', 'Gamma'), dir);
    renameSync(join(out, 'Gamma'), join(dir, 'Gamma-elsewhere'));
    symlinkSync(join('..', 'Gamma-elsewhere'), join(out, 'Gamma'));
    const before = snapshot(join(dir, 'Gamma-elsewhere'));
    const r = await ok(args('Alpha'), dir);
    assert.match(r.stdout, /^gen-services86: out: \d+ written, \d+ unchanged, 2 removed /m, 'the shared module only (shared/metadata.ts, shared/types.ts)');
    const lines = r.stderr.trimEnd().split('\n');
    assert.deepEqual(lines, Object.keys(before).sort().map((f) => `gen-services86: out/Gamma/${f}: kept, although no longer generated: its folder is a symbolic link, which gen-services86 does not delete through; delete the file or the link yourself`));
    assert.deepEqual(snapshot(join(dir, 'Gamma-elsewhere')), before, 'nothing changed where the link leads');
    const manifest = JSON.parse(readFileSync(join(out, MANIFEST), 'utf8')) as { sha256: Record<string, string> };
    assert.ok(!Object.keys(manifest.sha256).some((f) => f.startsWith('Gamma/')), 'the files are no longer ours');
  });

  test('a file the user added into a live agent folder stays and is not reported', async () => {
    const dir = project('live');
    const out = join(dir, 'out');
    await ok(args('Alpha', 'Beta'), dir);
    writeFileSync(join(out, 'Alpha', 'extra.ts'), 'export const mine = 1;\n');
    const r = await ok(args('Alpha'), dir);
    assert.equal(r.stderr, '');
    assert.equal(readFileSync(join(out, 'Alpha', 'extra.ts'), 'utf8'), 'export const mine = 1;\n');
    assert.ok(!existsSync(join(out, 'Beta')) && !existsSync(join(out, 'shared')));
  });
});
