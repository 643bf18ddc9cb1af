// Incremental writes, every error at once, and how --check and the overwrite refusal say how to
// proceed. The CLI runs in process (support/cli-run.ts).
import assert from 'node:assert/strict';
import { copyFileSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli, snapshot } from './support/cli-run.js';
import { fixturesDir, wsdlFixturesDir } from './support/paths.js';

const OLD_DOC = 'Loading default values into a new EMailAddress.';

let work: string;
before(() => {
  work = mkdtempSync(join(tmpdir(), 'gen-services86-incremental-'));
});
after(() => {
  rmSync(work, { recursive: true, force: true });
});

/** inode and mtime of every entry below `dir` (folders included). */
function identities(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (abs: string, rel: string) => {
    for (const name of readdirSync(abs).sort()) {
      const a = join(abs, name);
      const r = rel ? `${rel}/${name}` : name;
      const st = lstatSync(a);
      out[r] = `${st.ino} ${st.mtimeMs}`;
      if (st.isDirectory()) walk(a, r);
    }
  };
  walk(dir, '');
  return out;
}

function project(name: string): string {
  const dir = mkdtempSync(join(work, `${name}-`));
  mkdirSync(join(dir, 'wsdl'));
  copyFileSync(join(wsdlFixturesDir, 'EMail.wsdl'), join(dir, 'wsdl', 'EMail.wsdl'));
  copyFileSync(join(wsdlFixturesDir, 'Tooltips.wsdl'), join(dir, 'wsdl', 'Tooltips.wsdl'));
  return dir;
}

const ARGS = ['wsdl/EMail.wsdl', 'wsdl/Tooltips.wsdl', '-o', 'out', '-q'];

describe('incremental writes', () => {
  test('a run with nothing changed touches no file and no folder (same inode, same mtime)', async () => {
    const dir = project('same');
    assert.equal((await runCli(ARGS, dir)).code, 0);
    const before = identities(join(dir, 'out'));
    await new Promise((resolve) => setTimeout(resolve, 20)); // a rewrite would get a later mtime
    const r = await runCli(ARGS, dir);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(identities(join(dir, 'out')), before);
  });

  test('a changed WSDL rewrites only the files whose content changed; the other agent folder is not touched', async () => {
    const dir = project('changed');
    assert.equal((await runCli(ARGS, dir)).code, 0);
    const out = join(dir, 'out');
    const before = identities(out);
    const snapBefore = snapshot(out);
    const text = readFileSync(join(dir, 'wsdl', 'EMail.wsdl'), 'utf8');
    assert.ok(text.includes(OLD_DOC));
    writeFileSync(join(dir, 'wsdl', 'EMail.wsdl'), text.replace(OLD_DOC, 'Another text.'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const r = await runCli(ARGS, dir);
    assert.equal(r.code, 0, r.stderr);
    const after = identities(out);
    const snapAfter = snapshot(out);
    const changed = Object.keys(after).filter((k) => after[k] !== before[k] && k !== '.gen-services86-manifest.json').sort();
    const contentChanged = Object.keys(snapAfter).filter((k) => snapAfter[k] !== snapBefore[k] && !k.endsWith('/') && k !== '.gen-services86-manifest.json').sort();
    // The documentation is EMail's: it lives in EMail/ or, with two agents in one folder, in the shared types.
    assert.ok(contentChanged.length > 0 && contentChanged.every((k) => k.startsWith('EMail/') || k.startsWith('shared/')), contentChanged.join(', '));
    // Exactly the files with new content, plus the folders holding them (each swapped in atomically).
    const folders = [...new Set(contentChanged.map((k) => k.split('/')[0]!))];
    assert.deepEqual(changed, [...folders, ...contentChanged].sort());
    // The manifest holds each file's hash, so it is rewritten with them; nothing else is touched.
    assert.notEqual(after['.gen-services86-manifest.json'], before['.gen-services86-manifest.json'], 'the manifest has the new hashes');
    for (const unchanged of ['Tooltips/client.ts', 'runtime/index.ts', 'index.ts', 'Tooltips', 'runtime']) {
      assert.equal(after[unchanged], before[unchanged], `${unchanged} kept its inode and mtime`);
    }
    assert.deepEqual(readdirSync(out).sort(), ['.gen-services86-manifest.json', 'EMail', 'Tooltips', 'index.ts', 'runtime', 'shared'], 'no work folders left');
  });

  test('a foreign file in a changed folder keeps its inode, mtime and mode', async () => {
    const dir = project('foreign');
    assert.equal((await runCli(ARGS, dir)).code, 0);
    const notes = join(dir, 'out', 'EMail', 'notes.md');
    writeFileSync(notes, 'mine\n', { mode: 0o600 });
    const before = statSync(notes);
    const text = readFileSync(join(dir, 'wsdl', 'EMail.wsdl'), 'utf8');
    writeFileSync(join(dir, 'wsdl', 'EMail.wsdl'), text.replace(OLD_DOC, 'Another text.'));
    assert.equal((await runCli(ARGS, dir)).code, 0);
    const after = statSync(notes);
    assert.deepEqual([after.ino, after.mtimeMs, after.mode], [before.ino, before.mtimeMs, before.mode]);
    assert.equal(readFileSync(notes, 'utf8'), 'mine\n');
  });
});

describe('every error at once', () => {
  test('several bad WSDLs: one line each, in input order, exit 1, nothing written', async () => {
    const dir = project('errors');
    const bad = join(fixturesDir, 'bad');
    // Both fixtures name their portType "Note"; one is renamed so they do not clash.
    writeFileSync(join(dir, 'unresolved-type.wsdl'), readFileSync(join(bad, 'unresolved-type.wsdl'), 'utf8').replace(/portType name="Note"/, 'portType name="Other"').replace('<wsdl:binding name="BasicHttpBinding_Note" type="tns:Note">', '<wsdl:binding name="BasicHttpBinding_Note" type="tns:Other">'));
    const r = await runCli([join(bad, 'unsupported-choice.wsdl'), 'wsdl/EMail.wsdl', 'missing.wsdl', 'unresolved-type.wsdl', '-o', 'out'], dir);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 4, r.stderr);
    // Each WSDL is named as given (relative to the working directory when inside it), line:column after it.
    assert.ok(lines[0]!.startsWith(`gen-services86: ${join(bad, 'unsupported-choice.wsdl')}:`), lines[0]);
    assert.match(lines[0]!, /\/unsupported-choice\.wsdl:\d+:\d+: unsupported XSD construct/);
    assert.match(lines[1]!, /^gen-services86: missing\.wsdl: no such file$/);
    assert.match(lines[2]!, /^gen-services86: unresolved-type\.wsdl:\d+:\d+: type "RichText"/);
    assert.equal(lines[3], 'gen-services86: 3 errors; nothing was written');
    assert.deepEqual(readdirSync(dir).sort(), ['unresolved-type.wsdl', 'wsdl']);
  });

  test('a folder clash is refused before generating, naming both inputs in full and the way out', async () => {
    const dir = project('clash');
    mkdirSync(join(dir, 'v88'));
    copyFileSync(join(dir, 'wsdl', 'EMail.wsdl'), join(dir, 'v88', 'EMail.wsdl'));
    // Other inputs, one of them broken in its schema: had anything been generated, its error would
    // be reported too. Only the clash is: it was found before generating.
    mkdirSync(join(dir, 'many'));
    const many = Array.from({ length: 8 }, (_, i) => {
      let text = readFileSync(join(dir, 'wsdl', 'EMail.wsdl'), 'utf8').replace(/portType name="EMail"/, `portType name="EMail${i}"`);
      if (i === 5) text = text.replace('<xs:sequence>', '<xs:choice>').replace('</xs:sequence>', '</xs:choice>');
      writeFileSync(join(dir, 'many', `Copy${i}.wsdl`), text);
      return `many/Copy${i}.wsdl`;
    });
    const r = await runCli(['wsdl/EMail.wsdl', ...many, 'v88/EMail.wsdl', '-o', 'out'], dir);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      'gen-services86: wsdl/EMail.wsdl and v88/EMail.wsdl would both write the folder out/EMail/: generate them into separate output folders ' +
        '(a separate run with its own -o per NetServer version, e.g. -o src/superoffice-v86 and -o src/superoffice-v88, side by side), or drop one of them\n',
    );
    assert.ok(!readdirSync(dir).includes('out'));
  });
});

describe('how to proceed', () => {
  test('a generated file whose header was removed: --check says to delete it, the run refuses and says the same', async () => {
    const dir = project('header-removed');
    assert.equal((await runCli(ARGS, dir)).code, 0);
    const types = join(dir, 'out', 'EMail', 'types.ts');
    writeFileSync(types, readFileSync(types, 'utf8').split('\n').slice(2).join('\n'));
    const check = await runCli(['wsdl/EMail.wsdl', 'wsdl/Tooltips.wsdl', '-o', 'out', '--check'], dir);
    assert.equal(check.code, 1);
    assert.equal(
      check.stderr,
      'gen-services86: out is stale (1 file); 1 file lost the generated header (maybe edited by hand), so a run would refuse to overwrite it: ' +
        'save any edits elsewhere, delete it, then run "gen-services86 wsdl/EMail.wsdl wsdl/Tooltips.wsdl -o out":\n' +
        '  foreign  EMail/types.ts\n',
    );
    const run = await runCli(ARGS, dir);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^gen-services86: out\/EMail\/types\.ts: refusing to overwrite: .*save them elsewhere, delete the file, and run again\n$/);
    // Following the advice works.
    rmSync(types);
    assert.equal((await runCli(ARGS, dir)).code, 0);
    assert.equal((await runCli([...ARGS.slice(0, -1), '--check'], dir)).code, 0);
  });

  test('--check names the exact command to run', async () => {
    const dir = project('check-command');
    const r = await runCli(['wsdl/EMail.wsdl', '-o', 'out', '--check'], dir);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^gen-services86: out is stale \(\d+ files\); run "gen-services86 wsdl\/EMail\.wsdl -o out" to update it:\n/);
  });
});
