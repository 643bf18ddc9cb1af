// Same inputs and options → byte-identical output, however the run was started: from another
// working directory, with the arguments in another order, or from a config file. The "Regenerate
// with" command is one line that works when pasted in the project root (or, when too long for a
// header line, it is in the manifest). --check compares code, not the header's command line.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { headerCommand } from '../generator/emit/emit-agent.js';
import { generate } from '../generator/generate.js';
import { commandAsRun, regenerateCommand } from '../generator/input/command.js';
import { runCli, snapshot } from './support/cli-run.js';
import { miniWsdl } from './support/mini-wsdl.js';
import { cliPath } from './support/paths.js';

const MANIFEST = '.gen-services86-manifest.json';

let work: string;
before(() => {
  work = mkdtempSync(join(tmpdir(), 'gen-services86-reproducible-'));
});
after(() => rmSync(work, { recursive: true, force: true }));

/** A project (with a package.json: its root) holding wsdl/Alpha.wsdl and wsdl/Beta.wsdl. */
function project(name: string, agents = ['Alpha', 'Beta']): string {
  const dir = mkdtempSync(join(work, `${name}-`));
  writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
  mkdirSync(join(dir, 'wsdl'));
  for (const a of agents) writeFileSync(join(dir, 'wsdl', `${a}.wsdl`), miniWsdl({ portType: a }));
  return dir;
}

async function ok(argv: readonly string[], cwd: string): Promise<void> {
  const r = await runCli([...argv, '-q'], cwd);
  assert.equal(r.code, 0, r.stderr);
}

describe('the output does not depend on how the run was started', () => {
  test('working directory, argument order, config file: the same bytes, manifest included', async () => {
    const dir = project('same');
    const out = join(dir, 'src', 'so');
    await ok(['wsdl/Alpha.wsdl', 'wsdl/Beta.wsdl', '-o', 'src/so'], dir);
    const reference = snapshot(out);
    assert.equal(
      readFileSync(join(out, 'Alpha', 'client.ts'), 'utf8').split('\n')[1],
      '// Regenerate with: npx gen-services86 wsdl/Alpha.wsdl wsdl/Beta.wsdl -o src/so',
    );
    const again = async (argv: readonly string[], cwd: string) => {
      rmSync(out, { recursive: true, force: true });
      await ok(argv, cwd);
      assert.deepEqual(snapshot(out), reference, `${argv.join(' ')} in ${cwd.slice(dir.length) || '.'}`);
    };
    await again(['wsdl/Beta.wsdl', 'wsdl/Alpha.wsdl', '-o', 'src/so'], dir);
    await again(['Alpha.wsdl', 'Beta.wsdl', '--out', '../src/so'], join(dir, 'wsdl'));
    await again([join(dir, 'wsdl', 'Beta.wsdl'), join(dir, 'wsdl', 'Alpha.wsdl'), '-o', out], work);
    writeFileSync(join(dir, 'gen-services86.config.json'), JSON.stringify({ wsdl: ['wsdl/*.wsdl'], out: 'src/so' }));
    await again([], dir);
    await again(['--config', '../gen-services86.config.json'], join(dir, 'wsdl'));
  });

  test("a project reached through a symbolic link: an input named by the shell's $PWD gives the same bytes as a relative one", () => {
    const dir = project('linked', ['Alpha']);
    const link = `${dir}-link`;
    symlinkSync(dir, link);
    // As a shell in the linked folder starts it: the working directory is the real folder, $PWD the link.
    const run = (args: readonly string[]) => execFileSync(process.execPath, [cliPath, ...args, '-q'], { cwd: link, env: { ...process.env, PWD: link } });
    const out = join(dir, 'out');
    run(['wsdl/Alpha.wsdl', '-o', 'out']);
    const reference = snapshot(out);
    assert.equal(readFileSync(join(out, 'Alpha', 'client.ts'), 'utf8').split('\n')[1], '// Regenerate with: npx gen-services86 wsdl/Alpha.wsdl -o out');
    rmSync(out, { recursive: true });
    run([join(link, 'wsdl', 'Alpha.wsdl'), '-o', 'out']); // "$PWD/wsdl/Alpha.wsdl" in a script
    assert.deepEqual(snapshot(out), reference);
  });

  // `..` from a folder reached through a link is its real parent (the kernel's, and process.cwd()'s, as
  // every other module resolves paths): a second notion of the working directory from $PWD made the
  // command name a project root beside the link's folder, which holds no such output.
  test("an output named with '..' from inside a linked folder: the command names the real folders", () => {
    const dir = project('parent', ['Alpha']);
    const inner = join(dir, 'sub');
    mkdirSync(inner);
    const linkParent = mkdtempSync(join(work, 'elsewhere-'));
    const link = join(linkParent, 'link');
    symlinkSync(inner, link);
    // As a shell in the linked folder starts it: the working directory is the real folder, $PWD the link.
    const saved = { cwd: process.cwd(), pwd: process.env['PWD'] };
    try {
      process.chdir(link);
      process.env['PWD'] = link;
      assert.equal(regenerateCommand({ inputs: ['../wsdl/Alpha.wsdl'], outDir: '../out' }), 'npx gen-services86 wsdl/Alpha.wsdl -o out');
    } finally {
      process.chdir(saved.cwd);
      process.env['PWD'] = saved.pwd;
    }
    // A path through the link is the real path it names.
    assert.equal(regenerateCommand({ inputs: [join(link, 'x.wsdl')], outDir: join(link, 'out'), cwd: link }), 'npx gen-services86 sub/x.wsdl -o sub/out');
  });

  // A pipe (`<(curl …)`, /dev/fd/63) was `../../dev/fd/63` from a project in /tmp/x: a path that
  // depends on how deep the project is, and not the name the header's first line gives.
  test('a path that meets the project only at the file-system root is shown absolute; one beside the project, relative', () => {
    const dir = project('outside');
    const elsewhere = '/gen-services86-nowhere/EMail.wsdl'; // (nothing there: shown as given)
    assert.equal(regenerateCommand({ inputs: [elsewhere], outDir: 'gen', cwd: dir }), `npx gen-services86 ${elsewhere} -o gen`);
    assert.equal(commandAsRun({ inputs: [elsewhere], outDir: 'gen', cwd: dir }), `gen-services86 ${elsewhere} -o gen`);
    // A repository beside the project: the same for everyone whose checkouts lie side by side.
    const beside = join(work, 'contracts', 'EMail.wsdl');
    assert.equal(regenerateCommand({ inputs: [beside], outDir: 'gen', cwd: dir }), 'npx gen-services86 ../contracts/EMail.wsdl -o gen');
    assert.equal(commandAsRun({ inputs: [beside], outDir: 'gen', cwd: join(dir, 'wsdl') }), 'gen-services86 ../../contracts/EMail.wsdl -o gen');
  });

  test('the header command, pasted in the project root, regenerates the same bytes', async () => {
    const dir = project('paste');
    await ok(['wsdl/Beta.wsdl', 'wsdl/Alpha.wsdl', '-o', 'gen'], dir);
    const out = join(dir, 'gen');
    const reference = snapshot(out);
    const line = readFileSync(join(out, 'index.ts'), 'utf8').split('\n')[1]!;
    const command = line.replace('// Regenerate with: ', '');
    assert.ok(command.startsWith('npx gen-services86 '), line);
    rmSync(out, { recursive: true });
    // `npx gen-services86` is this package's bin: run it through node, in the project root, by a shell.
    execFileSync('sh', ['-c', command.replace(/^npx gen-services86/, `'${process.execPath}' '${cliPath}'`) + ' -q'], { cwd: dir });
    assert.deepEqual(snapshot(out), reference);
  });

  test('a command too long for a header line is in the manifest, on one line, and the headers point there', async () => {
    const agents = Array.from({ length: 9 }, (_, i) => `AgentWithALongName${i}`);
    const dir = project('long', agents);
    await ok([...agents.map((a) => `wsdl/${a}.wsdl`), '-o', 'gen'], dir);
    const out = join(dir, 'gen');
    const manifest = JSON.parse(readFileSync(join(out, MANIFEST), 'utf8')) as { command: string };
    assert.equal(manifest.command, `npx gen-services86 ${agents.map((a) => `wsdl/${a}.wsdl`).join(' ')} -o gen`);
    for (const file of ['index.ts', `${agents[0]}/client.ts`, 'shared/types.ts']) {
      assert.equal(
        readFileSync(join(out, file), 'utf8').split('\n')[1],
        '// Regenerate with: the "command" in .gen-services86-manifest.json of the output folder (too long for this line)',
        file,
      );
    }
  });

  test('generate() with outDir "" writes generated/ and its manifest names that folder, as the headers do', async () => {
    const dir = project('empty-out', ['Alpha']);
    const home = process.cwd();
    process.chdir(dir);
    try {
      await generate({ wsdl: ['wsdl/Alpha.wsdl'], outDir: '' });
    } finally {
      process.chdir(home);
    }
    const out = join(dir, 'generated');
    const manifest = JSON.parse(readFileSync(join(out, MANIFEST), 'utf8')) as { command: string };
    assert.equal(manifest.command, 'npx gen-services86 wsdl/Alpha.wsdl -o generated');
    assert.equal(readFileSync(join(out, 'Alpha', 'client.ts'), 'utf8').split('\n')[1], `// Regenerate with: ${manifest.command}`);
  });

  test('regenerateCommand: options in one fixed order, origins sorted; headerCommand keeps a line within 160 characters', () => {
    const root = project('api');
    const command = regenerateCommand({
      inputs: ['https://b.example/Beta.svc?wsdl', 'wsdl/Alpha.wsdl'],
      outDir: 'gen',
      cwd: root,
      maxBytes: 1000,
      allowedOrigins: ['https://z.example', 'https://a.example/'],
      timeoutMs: 500,
    });
    assert.equal(
      command,
      "npx gen-services86 'https://b.example/Beta.svc?wsdl' wsdl/Alpha.wsdl -o gen --allow-origin https://a.example --allow-origin https://z.example --fetch-timeout 500 --max-bytes 1000",
    );
    assert.equal(headerCommand('npx gen-services86 a.wsdl -o gen'), 'npx gen-services86 a.wsdl -o gen');
    // An origin given with user info (a password), a path or a query is recorded as the origin it is.
    const origin = regenerateCommand({ inputs: ['https://a.example/A.svc'], outDir: 'gen', cwd: root, allowedOrigins: ['https://bob:HUNTER2@Schemas.example.com:443/x?k=v'] });
    assert.equal(origin, 'npx gen-services86 https://a.example/A.svc -o gen --allow-origin https://schemas.example.com');
    const long = `npx gen-services86 ${'x'.repeat(150)}.wsdl`;
    assert.match(headerCommand(long), /^the "command" in \.gen-services86-manifest\.json/);
  });
});

describe('an option that changes nothing for the inputs is not in the command', () => {
  const defaults = { timeoutMs: 30_000, maxBytes: 64 * 1024 * 1024 }; // (fetch.ts; the README's generate() sample gives the first)
  const url = 'https://a.example/A.svc?wsdl';

  test('regenerateCommand: a fetch option at its default, and every fetch option without a URL input, is left out', () => {
    const root = project('options');
    const local = { inputs: ['wsdl/Alpha.wsdl'], outDir: 'gen', cwd: root };
    const plain = 'npx gen-services86 wsdl/Alpha.wsdl -o gen';
    assert.equal(regenerateCommand({ ...local, ...defaults }), plain);
    // A local WSDL never fetches (it may import local files only): no fetch option changes what it reads.
    assert.equal(regenerateCommand({ ...local, timeoutMs: 500, maxBytes: 1000, allowedOrigins: ['https://a.com'] }), plain);
    // With a URL input the defaults still change nothing; other values do.
    assert.equal(regenerateCommand({ ...local, inputs: [url], ...defaults }), `npx gen-services86 '${url}' -o gen`);
    assert.equal(
      regenerateCommand({ ...local, inputs: [url], timeoutMs: 500, maxBytes: 1000, allowedOrigins: ['https://a.com'] }),
      `npx gen-services86 '${url}' -o gen --allow-origin https://a.com --fetch-timeout 500 --max-bytes 1000`,
    );
  });

  test('local WSDLs with --fetch-timeout 30000 (the default), --max-bytes or --allow-origin: the same bytes as without', async () => {
    const dir = project('no-op-options', ['Alpha']);
    const out = join(dir, 'gen');
    await ok(['wsdl/Alpha.wsdl', '-o', 'gen'], dir);
    const reference = snapshot(out);
    await ok(['wsdl/Alpha.wsdl', '-o', 'gen', '--fetch-timeout', '30000', '--max-bytes', '1000', '--allow-origin', 'https://a.com'], dir);
    assert.deepEqual(snapshot(out), reference);
    // generate() as the README shows it.
    const home = process.cwd();
    process.chdir(dir);
    try {
      await generate({ wsdl: ['wsdl/Alpha.wsdl'], outDir: 'gen', ...defaults });
    } finally {
      process.chdir(home);
    }
    assert.deepEqual(snapshot(out), reference);
  });
});

describe('--check compares code, not the command line', () => {
  test('headers with another command line still check as up to date; a normal run brings them back', async () => {
    const dir = project('check');
    await ok(['wsdl/Alpha.wsdl', 'wsdl/Beta.wsdl', '-o', 'gen'], dir);
    const out = join(dir, 'gen');
    const reference = snapshot(out);
    // As an older version wrote them: the run's own command line, over several lines.
    const rewrite = (folder: string) => {
      for (const name of readdirSync(folder, { recursive: true }) as string[]) {
        const path = join(folder, name);
        if (!name.endsWith('.ts')) continue;
        const text = readFileSync(path, 'utf8');
        writeFileSync(path, text.replace(/^(\/\/ @generated[^\n]*\n)\/\/ Regenerate with: [^\n]*\n/, '$1// Regenerate with:\n//   npx gen-services86 --config \\\n//     x.json\n'));
      }
    };
    rewrite(out);
    const check = await runCli(['wsdl/Beta.wsdl', 'wsdl/Alpha.wsdl', '-o', 'gen', '--check'], dir);
    assert.equal(check.code, 0, check.stderr);
    assert.match(check.stdout, /^gen-services86: gen is up to date \(\d+ files, /);
    // Code that differs is still found.
    const client = join(out, 'Alpha', 'client.ts');
    const code = readFileSync(client, 'utf8');
    const edited = code.replace('\n  ping(', '\n  pong(');
    assert.notEqual(edited, code, 'the method to rename is in client.ts');
    writeFileSync(client, edited);
    const stale = await runCli(['wsdl/Alpha.wsdl', 'wsdl/Beta.wsdl', '-o', 'gen', '--check'], dir);
    assert.equal(stale.code, 1);
    assert.match(stale.stderr, /^ {2}differs {2}Alpha\/client\.ts$/m);
    await ok(['wsdl/Alpha.wsdl', 'wsdl/Beta.wsdl', '-o', 'gen'], dir);
    assert.deepEqual(snapshot(out), reference);
  });
});
