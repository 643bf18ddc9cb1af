// A 50 MB WSDL (EMail.wsdl plus ~32,000 filler complex types) generates in one process with
// memory bounded by a fixed multiple of the input (the DOM of xmldom dominates).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cliPath, wsdlFixturesDir } from '../support/paths.js';

const TARGET_BYTES = 50_000_000;
/** Peak RSS allowed for a 50 MB input; measured ≈ 2.4 GB. */
const MAX_RSS_BYTES = 4 * 1024 ** 3;

test('a 50 MB WSDL generates with bounded memory', { timeout: 180_000 }, () => {
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
    assert.ok(rss > 0 && rss < MAX_RSS_BYTES, `peak RSS ${(rss / 1024 ** 2).toFixed(0)} MB`);
    assert.match(readFileSync(join(dir, 'out', 'EMail', 'types.ts'), 'utf8'), /export interface Filler31000 \{/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
