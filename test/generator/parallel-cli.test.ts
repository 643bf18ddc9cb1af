// The program over many WSDLs reads them on worker threads too, started before the inputs load,
// and a run goes on once each worker has posted its last outcome, not when the thread has ended
// (parallel/pool.ts). As a real child process: the same bytes as a run on one thread, every
// failing input reported in input order with nothing written, and a prompt exit whatever the
// threads are doing.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { buildFiles, headerCommand, regenerateCommand } from '../../generator/generate.js';
import { MANIFEST } from '../../generator/output/write.js';
import { runCli, snapshot } from '../support/cli-run.js';
import { miniWsdl } from '../support/mini-wsdl.js';
import { tempDir } from '../support/temp-dir.js';

let work: string;
before(() => {
  work = tempDir('parallel-cli');
});
after(() => rmSync(work, { recursive: true, force: true }));

/**
 * A project with `n` WSDLs of distinct agents, `wsdl/Agent0.wsdl` …; returns their relative paths.
 * Each is larger than Node's pooled buffers (4 KB), so its bytes move to a worker rather than its
 * text; one is UTF-16 with a BOM and the documentation texts are not ASCII, so the worker decodes
 * what the main thread decoded.
 */
function project(name: string, n: number): { dir: string; inputs: string[] } {
  const dir = join(work, name);
  mkdirSync(join(dir, 'wsdl'), { recursive: true });
  const inputs = Array.from({ length: n }, (_, i) => {
    const rel = `wsdl/Agent${i}.wsdl`;
    const schema = `<xs:complexType name="Shared"><xs:sequence><xs:element name="Id" type="xs:int"/></xs:sequence></xs:complexType><xs:complexType name="Own${i}"><xs:sequence><xs:element name="S" type="tns:Shared"/></xs:sequence></xs:complexType>`;
    const documentation = `Henter én post — «${i}» ${'æøå '.repeat(1500)}`;
    const text = miniWsdl({ portType: `Agent${i}`, schema, operations: [{ name: `Get${i}`, request: '', response: `<xs:element name="R" type="tns:Own${i}"/>`, documentation }] });
    writeFileSync(join(dir, rel), i === 3 ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text.replace('encoding="utf-8"', 'encoding="utf-16"'), 'utf16le')]) : text);
    return rel;
  });
  return { dir, inputs };
}

test('the program over 12 WSDLs (on reader threads) writes what one thread builds', async () => {
  const { dir, inputs } = project('same', 12);
  const run = await runCli([...inputs, '-o', 'gen', '-q'], dir, { process: true });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout + run.stderr, '');
  // The same files, built in this thread alone (buildFiles uses no workers), with the command the CLI writes.
  const home = process.cwd();
  process.chdir(dir);
  let files;
  try {
    files = buildFiles(inputs, { regenerate: headerCommand(regenerateCommand({ inputs, outDir: 'gen' })) }).files;
  } finally {
    process.chdir(home);
  }
  const reference = join(work, 'reference');
  for (const f of files) {
    mkdirSync(dirname(join(reference, f.path)), { recursive: true });
    writeFileSync(join(reference, f.path), f.content);
  }
  const written = snapshot(join(dir, 'gen'));
  delete written[MANIFEST]; // written by the run, not built
  assert.deepEqual(written, snapshot(reference));
});

test('the program over 12 WSDLs, three failing: each reported in input order, nothing written, a prompt exit', async () => {
  const { dir, inputs } = project('failing', 12);
  writeFileSync(join(dir, 'wsdl', 'Broken.wsdl'), miniWsdl({ portType: 'Broken', schema: '<xs:complexType name="A"><xs:sequence><xs:element name="B" type="tns:Missing"/></xs:sequence></xs:complexType>' }));
  writeFileSync(join(dir, 'wsdl', 'Bad.wsdl'), '<wsdl:definitions');
  const args = ['wsdl/missing.wsdl', ...inputs.slice(0, 6), 'wsdl/Broken.wsdl', ...inputs.slice(6), 'wsdl/Bad.wsdl', '-o', 'gen'];
  const started = performance.now();
  const run = await runCli(args, dir, { process: true, timeoutMs: 60_000 });
  const seconds = (performance.now() - started) / 1000;
  assert.equal(run.code, 1, run.stderr);
  assert.equal(run.signal, null);
  assert.ok(seconds < 15, `the program took ${seconds.toFixed(1)} s to exit (a thread left running keeps it alive)`);
  const lines = run.stderr.trimEnd().split('\n');
  assert.match(lines[0]!, /^gen-services86: wsdl\/missing\.wsdl: no such file$/);
  assert.match(lines[1]!, /^gen-services86: wsdl\/Broken\.wsdl:\d+:\d+: type "Missing"/);
  assert.match(lines[2]!, /^gen-services86: wsdl\/Bad\.wsdl:\d+:\d+: malformed XML/);
  assert.equal(lines[3], 'gen-services86: 3 errors; nothing was written');
  assert.equal(lines.length, 4, run.stderr);
  assert.ok(!existsSync(join(dir, 'gen')), 'nothing written');
});

test('a run that names many WSDLs but stops before reading (a bad option value) writes nothing', async () => {
  const { dir, inputs } = project('stops', 12);
  // A child process: a thread started before the options are checked would keep it alive until
  // runCli's kill (signal SIGKILL), which an in-process run could not show.
  const run = await runCli([...inputs, '--fetch-timeout', '0'], dir, { process: true });
  assert.equal(run.signal, null, 'the run exited by itself');
  assert.equal(run.code, 1);
  assert.match(run.stderr, /--fetch-timeout must be a positive number of milliseconds/);
  assert.ok(statSync(dir).isDirectory() && !existsSync(join(dir, 'generated')));
});
