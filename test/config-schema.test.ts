// The config file has one name per option, the same as on the command line; the JSON Schema
// shipped in the package describes exactly those keys and is accepted via "$schema"; keys of
// earlier versions get a "renamed" error; unsupported glob syntax is named as such. Also: the
// one error-location form, and the bin's execute bit after a build.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { GenerateError } from '../generator/errors.js';
import { DEFAULT_OUT_DIR, readConfig, unsupportedGlob } from '../generator/input/config.js';
import { DEFAULT_FETCH_TIMEOUT_MS, DEFAULT_MAX_DOCUMENT_BYTES } from '../generator/input/fetch.js';
import { runCli } from './support/cli-run.js';
import { miniWsdl } from './support/mini-wsdl.js';
import { cliPath, repoRoot } from './support/paths.js';

let work: string;
before(() => {
  work = mkdtempSync(join(tmpdir(), 'gen-services86-config-schema-'));
});
after(() => rmSync(work, { recursive: true, force: true }));

function project(name: string, config: unknown): string {
  const dir = mkdtempSync(join(work, `${name}-`));
  mkdirSync(join(dir, 'wsdl'));
  writeFileSync(join(dir, 'wsdl', 'Alpha.wsdl'), miniWsdl({ portType: 'Alpha' }));
  writeFileSync(join(dir, 'gen-services86.config.json'), typeof config === 'string' ? config : JSON.stringify(config));
  return dir;
}

const schema = JSON.parse(readFileSync(join(repoRoot, 'gen-services86.schema.json'), 'utf8')) as {
  properties: Record<string, { default?: unknown }>;
  required: string[];
  additionalProperties: boolean;
};

/** `gen-services86 --help`, run once (a child process: yargs exits after it). */
let helpRun: Promise<string> | undefined;
const help = (): Promise<string> => (helpRun ??= runCli(['--help'], work).then((r) => r.stdout));

describe('config keys = option names', () => {
  test('the schema is in the package and lists exactly the keys the config reader accepts', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { files: string[] };
    assert.ok(pkg.files.includes('gen-services86.schema.json'), 'package.json "files" ships the schema');
    assert.deepEqual(Object.keys(schema.properties).sort(), ['$schema', 'allow-origin', 'fetch-timeout', 'max-bytes', 'out', 'wsdl']);
    assert.deepEqual(schema.required, ['wsdl']);
    assert.equal(schema.additionalProperties, false);
    // Every key but $schema and wsdl (the positional arguments) is a command-line option of the same name.
    return help().then((text) => {
      for (const key of Object.keys(schema.properties).filter((k) => k !== '$schema' && k !== 'wsdl')) {
        assert.match(text, new RegExp(`--${key}\\b`), `--help lists --${key}`);
      }
    });
  });

  test('the schema states the defaults a run uses, as --help does', async () => {
    const defaults = { out: DEFAULT_OUT_DIR, 'fetch-timeout': DEFAULT_FETCH_TIMEOUT_MS, 'max-bytes': DEFAULT_MAX_DOCUMENT_BYTES };
    const text = await help();
    for (const [key, value] of Object.entries(defaults)) {
      assert.equal(schema.properties[key]!.default, value, `the schema's default of "${key}"`);
      assert.match(text, new RegExp(`--${key}\\b[^\\n]*\\[default: ${JSON.stringify(value)}\\]`), `--help states the default of --${key}`);
    }
  });

  test('a config with $schema and every option is read; the options have their values', () => {
    const dir = project('all', {
      $schema: './node_modules/gen-services86/gen-services86.schema.json',
      wsdl: ['wsdl/*.wsdl'],
      out: 'gen',
      'allow-origin': ['https://schemas.example.com'],
      'fetch-timeout': 5000,
      'max-bytes': 1000000,
    });
    const config = readConfig(join(dir, 'gen-services86.config.json'));
    assert.deepEqual(config.allowOrigins, ['https://schemas.example.com']);
    assert.equal(config.timeoutMs, 5000);
    assert.equal(config.maxBytes, 1000000);
    assert.equal(config.wsdl.length, 1);
  });

  test('a config with $schema generates', async () => {
    const dir = project('run', { $schema: './node_modules/gen-services86/gen-services86.schema.json', wsdl: ['wsdl/Alpha.wsdl'], out: 'gen' });
    const r = await runCli(['-q'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(readdirSync(join(dir, 'gen')).includes('Alpha'));
  });

  for (const [old, now] of [['allowOrigins', 'allow-origin'], ['timeoutMs', 'fetch-timeout'], ['maxBytes', 'max-bytes']] as const) {
    test(`the old key "${old}" gets a targeted error naming "${now}"`, async () => {
      const dir = project(old, { wsdl: ['wsdl/Alpha.wsdl'], [old]: old === 'allowOrigins' ? ['https://x.example'] : 5 });
      const r = await runCli([], dir);
      assert.equal(r.code, 1);
      assert.equal(r.stderr, `gen-services86: gen-services86.config.json: the key "${old}" was renamed "${now}", the name of the command-line option --${now}\n`);
      assert.deepEqual(readdirSync(dir).sort(), ['gen-services86.config.json', 'wsdl'], 'nothing written');
    });
  }

  test('--max-bytes exists on the command line and is checked like --fetch-timeout', async () => {
    const r = await runCli(['x.wsdl', '--max-bytes', '0'], work);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^gen-services86: --max-bytes must be a positive number of bytes\n/);
  });

  test('a limit of Infinity is refused on the command line as in the config file (it would disable the limit)', async () => {
    for (const option of ['--max-bytes', '--fetch-timeout']) {
      const r = await runCli(['x.wsdl', option, 'Infinity'], work);
      assert.equal(r.code, 1, option);
      assert.match(r.stderr, new RegExp(`^gen-services86: ${option} must be a positive number of `), option);
    }
  });
});

describe('glob syntax', () => {
  for (const [pattern, name] of [
    ['wsdl/[AB]*.wsdl', 'character classes'],
    ['wsdl/{Alpha,Beta}.wsdl', 'brace alternatives'],
    ['!wsdl/Old.wsdl', 'negation'],
    ['wsdl/@(Alpha).wsdl', 'extended globs'],
  ] as const) {
    test(`"${pattern}" is refused as ${name}, not as "matches no file"`, async () => {
      const dir = project('glob', { wsdl: [pattern] });
      const r = await runCli([], dir);
      assert.equal(r.code, 1);
      assert.equal(
        r.stderr,
        `gen-services86: gen-services86.config.json: "wsdl": the pattern "${pattern}" uses ${unsupportedGlob(pattern)}, which is not supported: only *, ? and ** are\n`,
      );
      assert.ok(unsupportedGlob(pattern)!.startsWith(name));
    });
  }
  test('*, ? and ** are supported', () => {
    for (const p of ['wsdl/*.wsdl', 'wsdl/?lpha.wsdl', '**/*.wsdl', 'wsdl/Alpha.wsdl']) assert.equal(unsupportedGlob(p), undefined, p);
  });
});

describe('one error-location form', () => {
  test('file:line:column when both are known, file:line with a line only, file: without one; never 0:0', () => {
    const at = (line: number, column: number) => new GenerateError('bad', { file: 'a/X.wsdl', line, column, path: '' }).describe();
    assert.equal(at(3, 7), 'a/X.wsdl:3:7: bad');
    assert.equal(at(3, 0), 'a/X.wsdl:3: bad');
    assert.equal(at(0, 0), 'a/X.wsdl: bad');
    assert.equal(new GenerateError('bad', { file: 'a/X.wsdl' }).describe(), 'a/X.wsdl: bad');
  });

  test('from the CLI: a WSDL is named by its path as given, whatever the error', async () => {
    const dir = mkdtempSync(join(work, 'errors-'));
    mkdirSync(join(dir, 'bad'));
    writeFileSync(join(dir, 'bad', 'Text.wsdl'), 'just some text\n');
    writeFileSync(join(dir, 'bad', 'Empty.wsdl'), '');
    writeFileSync(join(dir, 'bad', 'Truncated.wsdl'), miniWsdl({ portType: 'T' }).slice(0, 200));
    const r = await runCli(['bad/Text.wsdl', 'bad/Empty.wsdl', 'bad/Truncated.wsdl', '-o', 'out'], dir);
    assert.equal(r.code, 1);
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 4, r.stderr);
    assert.equal(lines[0], `gen-services86: bad/Text.wsdl: not XML: the file starts with "j", not '<'`);
    assert.equal(lines[1], 'gen-services86: bad/Empty.wsdl: the file is empty');
    assert.match(lines[2]!, /^gen-services86: bad\/Truncated\.wsdl:[1-9]\d*:[1-9]\d*: malformed XML/);
    assert.doesNotMatch(r.stderr, /:0:0|:0:/);
  });
});

test('the bin keeps its execute bit after a build, and the build stamp matches the sources', async () => {
  assert.ok((statSync(cliPath).mode & 0o111) !== 0, `${cliPath} is executable`);
  const { execFileSync } = await import('node:child_process');
  // Exits 1 when dist/ is not the build of the current sources: `prepare` (npm pack) would rebuild.
  execFileSync(process.execPath, [join(repoRoot, 'scripts', 'build-stamp.mjs'), 'check'], { stdio: 'ignore' });
});
