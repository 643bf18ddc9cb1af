// A 10 MB WSDL (EMail.wsdl plus ~6,000 filler complex types) generates in one process with
// memory within a fixed budget per input byte (the DOM of xmldom dominates). The shape is the one
// a 50 MB input has; 10 MB keeps the test in seconds. One size bounds the cost per byte at that
// size, not the growth rate (50 MB measured ≈ 2.4 GB, i.e. ≈ 48 bytes per byte, within the same budget).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cliPath, wsdlFixturesDir } from '../support/paths.js';

const TARGET_BYTES = 10_000_000;
/** Peak RSS allowed: Node and the generator's modules, plus 64 bytes per input byte. */
const MAX_RSS_BYTES = 256 * 1024 ** 2 + 64 * TARGET_BYTES;

test('a 10 MB WSDL generates with memory bounded by a multiple of its size', { timeout: 180_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'gen-services86-large-'));
  try {
    const base = readFileSync(join(wsdlFixturesDir, 'EMail.wsdl'), 'utf8');
    const cut = base.indexOf('</xs:schema>');
    const fields = Array.from({ length: 20 }, (_, k) => `<xs:element minOccurs="0" name="Field${k}" nillable="true" type="xs:string"/>`).join('');
    const parts: string[] = [];
    let size = base.length;
    for (let n = 0; size < TARGET_BYTES; n++) {
      const t = `<xs:complexType name="Filler${n}"><xs:sequence>${fields}</xs:sequence></xs:complexType>`;
      parts.push(t);
      size += t.length;
    }
    const wsdl = join(dir, 'EMail.wsdl');
    writeFileSync(wsdl, base.slice(0, cut) + parts.join('') + base.slice(cut));
    assert.ok(statSync(wsdl).size >= TARGET_BYTES);

    // The child reports its own peak RSS when it exits.
    const reporter = join(dir, 'rss.mjs');
    writeFileSync(reporter, "process.on('exit', () => process.stderr.write(`maxRSS=${process.resourceUsage().maxRSS * 1024}\\n`));\n");
    const run = spawnSync(process.execPath, ['--import', reporter, cliPath, wsdl, '-o', join(dir, 'out')], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`^EMail\\.wsdl → .*: ${parts.length + 242} types, 80 operations, 6 files`));
    const rss = Number(/maxRSS=(\d+)/.exec(run.stderr)?.[1]);
    assert.ok(rss > 0 && rss < MAX_RSS_BYTES, `peak RSS ${(rss / 1024 ** 2).toFixed(0)} MB, limit ${(MAX_RSS_BYTES / 1024 ** 2).toFixed(0)} MB`);
    process.stdout.write(`# large-wsdl: ${(TARGET_BYTES / 1e6).toFixed(0)} MB input, peak RSS ${(rss / 1024 ** 2).toFixed(0)} MB\n`);
    assert.match(readFileSync(join(dir, 'out', 'EMail', 'types.ts'), 'utf8'), /export interface Filler6000 \{/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a device that never ends (/dev/zero) is refused as too large once it passes the limit, not read forever', { timeout: 120_000 }, () => {
  // Its size is 0 (a character device), so the size check let it through and it was read until
  // memory ran out. The limit is the size check's: twice a string's most characters (~1 GiB).
  const dir = mkdtempSync(join(tmpdir(), 'gen-services86-zero-'));
  try {
    const run = spawnSync(process.execPath, [cliPath, '/dev/zero', '-o', join(dir, 'out')], { encoding: 'utf8', timeout: 90_000 });
    assert.equal(run.signal, null, 'ended by itself');
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /^gen-services86: \/dev\/zero: the file is too large to read as text \(more than \d+ bytes; a WSDL is read as one string of at most \d+ characters\)\n/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
