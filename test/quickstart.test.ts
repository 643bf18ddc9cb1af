// The README's Quickstart, package.json's test scripts and .ci/run tell one story: `npm test` is
// the fast tier (every test file but *.slow.test.*, run by scripts/test.mjs in a few processes),
// `npm run test:all` both tiers, CI runs the README's test:all command after the README's apt line.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from './support/paths.js';

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const ciRun = readFileSync(join(repoRoot, '.ci', 'run'), 'utf8');
const scripts = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

/** The commands of the Quickstart's sh block, comments removed. */
function quickstart(): string[] {
  const section = readme.slice(readme.indexOf('## Quickstart'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(block, 'the Quickstart has a sh block');
  return block
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter((l) => l !== '');
}

test('the Quickstart names both tiers, after the apt line', () => {
  const lines = quickstart();
  const apt = lines.findIndex((l) => l.includes('apt-get install'));
  const fast = lines.indexOf('npm test');
  const all = lines.indexOf('npm run test:all');
  assert.ok(apt >= 0 && fast >= 0 && all >= 0, lines.join('\n'));
  assert.ok(apt < fast && apt < all, 'the apt line comes before the test commands');
});

test('.ci/run installs the Quickstart apt packages and runs exactly its test:all command, last', () => {
  const packages = (line: string) => line.slice(line.indexOf('install')).split(/\s+/).filter((w) => /^[a-z0-9][a-z0-9.+-]*$/.test(w) && w !== 'install');
  const readmeApt = quickstart().find((l) => l.includes('apt-get install'))!;
  const ciApt = ciRun.split('\n').find((l) => l.includes('apt-get install'));
  assert.ok(ciApt, '.ci/run installs the apt packages');
  assert.deepEqual(packages(ciApt).sort(), packages(readmeApt).sort());
  const commands = ciRun.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  assert.equal(commands.at(-1), 'npm run test:all');
  const install = commands.indexOf('npm ci --no-audit --no-fund');
  assert.ok(install >= 0 && install < commands.length - 1, 'dependencies are installed first');
});

test('npm test takes every test file except *.slow.test.js, each once; test:all takes them all, each slow file in a process of its own', () => {
  assert.equal(scripts['test'], 'npm run build && node scripts/test.mjs');
  assert.equal(scripts['test:all'], 'npm run build && node scripts/test.mjs --all');
  const testDir = join(repoRoot, 'dist', 'test');
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory() && e.name !== '.cache') walk(join(dir, e.name));
      else if (e.name.endsWith('.test.js')) files.push(relative(testDir, join(dir, e.name)).split(sep).join('/'));
    }
  };
  walk(testDir);
  const fast = files.filter((f) => !f.endsWith('.slow.test.js')).sort();
  const slow = files.filter((f) => f.endsWith('.slow.test.js')).sort();
  assert.ok(fast.includes('quickstart.test.js') && slow.includes('consumer.slow.test.js'), files.join(' '));
  /** What scripts/test.mjs would run: the files of each group, and the files run alone. */
  const plan = (...args: string[]) => {
    const r = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'test.mjs'), ...args, '--list'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    const grouped = lines.filter((l) => l.startsWith('group ')).map((l) => l.replace(/^group \d+: /, '').split(' '));
    const runner = lines.find((l) => l.startsWith('node: '))?.split(' ') ?? [];
    return { grouped, runner, alone: lines.filter((l) => l.startsWith('alone: ')).map((l) => l.slice('alone: '.length)) };
  };
  const [fastPlan, allPlan] = [plan(), plan('--all')];
  for (const { grouped } of [fastPlan, allPlan]) {
    assert.ok(grouped.length >= 2 && grouped.every((g) => g.length > 0), 'two processes at least, none empty');
    assert.deepEqual(grouped.flat().sort(), fast, 'each fast file in exactly one group');
  }
  assert.deepEqual(fastPlan.alone, []);
  assert.deepEqual(allPlan.alone.sort(), slow);
  // Both end with the runner's own summary: the spec reporter, to stdout.
  for (const { runner } of [fastPlan, allPlan]) {
    assert.ok(runner.includes('--test-reporter=spec') && runner.includes('--test-reporter-destination=stdout'), runner.join(' '));
  }
});

test("the Quickstart's output of npm run generate counts the files a fresh clone's generated/ holds", () => {
  // `npm run generate` on a fresh clone rewrites nothing: every file of generated/ (the manifest's
  // list) is "unchanged", and the agent line counts EMail/'s files.
  const files = Object.keys((JSON.parse(readFileSync(join(repoRoot, 'generated', '.gen-services86-manifest.json'), 'utf8')) as { sha256: Record<string, string> }).sha256);
  const section = readme.slice(readme.indexOf('`npm run generate` runs'));
  const output = /```\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  const agent = /^EMail\.wsdl → generated\/EMail\/: 242 types, 80 operations, (\d+) files, \d+ ms$/m.exec(output);
  const summary = /^gen-services86: generated: 0 written, (\d+) unchanged, 0 removed \(\d+ ms\)$/m.exec(output);
  assert.ok(agent && summary, output);
  assert.equal(Number(agent[1]), files.filter((f) => f.startsWith('EMail/')).length);
  assert.equal(Number(summary[1]), files.length);
});

test("trying test/consumer/ by hand (its README) leaves the checkout clean: the WSDLs it copies in are ignored, and the install saves nothing", () => {
  const consumer = join(repoRoot, 'test', 'consumer');
  const prebuild = (JSON.parse(readFileSync(join(consumer, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['prebuild'] ?? '';
  const wsdls = prebuild.split(/\s+/).filter((w) => w.endsWith('.wsdl'));
  assert.ok(wsdls.length >= 3, prebuild);
  const ignored = readFileSync(join(consumer, '.gitignore'), 'utf8').split('\n').map((l) => l.trim());
  for (const w of wsdls) assert.ok(ignored.includes(w), `${w} is not in test/consumer/.gitignore`);
  const byHand = readFileSync(join(consumer, 'README.md'), 'utf8');
  for (const w of wsdls) assert.ok(byHand.includes(`\`${w}\``), `the README's by-hand steps copy ${w}`);
  assert.match(byHand, /`npm install --no-save \.\.\/\.\.\/gen-services86-<version>\.tgz`/, 'the install keeps package.json as committed');
});
