// --watch's line after a failing run, as a child process: the error lines come first and the line
// that sums them up last (it came first, above the errors it summed up), and before any run of the
// watch has written, it says that nothing was generated (it said "the last good output stays",
// though there was none). Slow tier: a child process and three runs.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { miniWsdl } from './support/mini-wsdl.js';
import { watchChild } from './support/watch-child.js';

const work = mkdtempSync(join(tmpdir(), 'gen-services86-watch-messages-'));
after(() => rmSync(work, { recursive: true, force: true }));

const SUMMARY = /^\[\d\d:\d\d:\d\d\] gen-services86: (.*)$/;

test('--watch: a failing run prints its errors, then "nothing generated yet" or "the last good output stays"', { timeout: 90_000 }, async () => {
  const dir = mkdtempSync(join(work, 'first-fails-'));
  mkdirSync(join(dir, 'wsdl'));
  const watch = watchChild(['--watch', 'wsdl/Alpha.wsdl', '-o', 'gen'], dir);
  const { child, exited, lines, until } = watch;
  const stderrLines = () => watch.stderr().split('\n').filter(Boolean);
  try {
    // The first run fails: nothing was ever written.
    await until(() => stderrLines().some((l) => SUMMARY.test(l)), 'the line after the first, failing, run');
    const [error, summary] = stderrLines();
    assert.equal(error, 'gen-services86: wsdl/Alpha.wsdl: no such file');
    assert.match(summary!, /^\[\d\d:\d\d:\d\d\] gen-services86: nothing generated yet; waiting for the next change$/);

    // A run that writes; then one that fails keeps what it wrote.
    writeFileSync(join(dir, 'wsdl', 'Alpha.wsdl'), miniWsdl({ portType: 'Alpha' }));
    await until(() => lines().length === 1, 'a run once the WSDL is there');
    writeFileSync(join(dir, 'wsdl', 'Alpha.wsdl'), '<wsdl:definitions');
    const malformed = () => stderrLines().findIndex((l) => /^gen-services86: wsdl\/Alpha\.wsdl:\d+:\d+: malformed XML/.test(l));
    await until(() => malformed() >= 0 && stderrLines().length > malformed() + 1, 'the lines after the broken WSDL');
    assert.match(stderrLines()[malformed() + 1]!, /^\[\d\d:\d\d:\d\d\] gen-services86: the last good output stays; waiting for the next change$/);

    child.kill('SIGINT');
    assert.equal(await exited, 0, watch.stderr());
  } finally {
    watch.end();
  }
});

test('--watch --quiet: nothing on stdout for runs that succeed or for the end; a failing run\'s errors still on stderr', { timeout: 90_000 }, async () => {
  // --quiet was ignored under --watch: `[03:43:17] out: 42 written, …` after each run and
  // `stopped watching` at the end (review r18b).
  const dir = mkdtempSync(join(work, 'quiet-'));
  mkdirSync(join(dir, 'wsdl'));
  writeFileSync(join(dir, 'wsdl', 'Alpha.wsdl'), miniWsdl({ portType: 'Alpha' }));
  const watch = watchChild(['--watch', '--quiet', 'wsdl/Alpha.wsdl', '-o', 'gen'], dir);
  const { child, exited, until } = watch;
  const client = () => {
    try {
      return readFileSync(join(dir, 'gen', 'Alpha', 'client.ts'), 'utf8');
    } catch {
      return '';
    }
  };
  try {
    await until(() => client().includes('ping('), 'the first run');
    writeFileSync(join(dir, 'wsdl', 'Alpha.wsdl'), '<wsdl:definitions');
    await until(() => SUMMARY.test(watch.stderr().split('\n').filter(Boolean).at(-1) ?? ''), 'the lines after the broken WSDL');
    assert.match(watch.stderr(), /^gen-services86: wsdl\/Alpha\.wsdl:\d+:\d+: malformed XML.*\n\[\d\d:\d\d:\d\d\] gen-services86: the last good output stays; waiting for the next change\n$/);
    writeFileSync(join(dir, 'wsdl', 'Alpha.wsdl'), miniWsdl({ portType: 'Alpha', operations: [{ name: 'Ping' }, { name: 'Echo' }] }));
    await until(() => client().includes('echo('), 'a run after the WSDL was mended');
    child.kill('SIGINT');
    assert.equal(await exited, 0, watch.stderr());
    assert.equal(watch.stdout(), '', 'nothing on stdout');
  } finally {
    watch.end();
  }
});
