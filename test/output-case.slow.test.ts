// Output names that differ only in letter case. Two inputs of one run whose folders differ only in
// case are refused (test/incremental.test.ts); here, a later run whose agent folder is the last
// run's in another case (a service renamed MailBox → Mailbox): on Linux the old folder goes and the
// new one comes; on a case-insensitive file system (macOS, Windows; simulated) they are one folder.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { generate } from '../generator/generate.js';
import { caseInsensitiveBelow } from './support/case-insensitive-fs.js';
import { miniWsdl } from './support/mini-wsdl.js';

const work = mkdtempSync(join(tmpdir(), 'gen-services86-case-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** Generates `portType`'s mini WSDL into `dir`/out, as `dir`/Box.wsdl (the same input, renamed service). */
async function run(dir: string, portType: string) {
  writeFileSync(join(dir, 'Box.wsdl'), miniWsdl({ portType }));
  return generate({ wsdl: [join(dir, 'Box.wsdl')], outDir: join(dir, 'out') });
}

/** The folders of the output (not the runtime) and the agent class each client.ts exports. */
function agents(out: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(out, { withFileTypes: true })
      .filter((e) => e.isDirectory() && e.name !== 'runtime' && !e.name.startsWith('.'))
      .map((e) => [e.name, /export class (\w+)/.exec(readFileSync(join(out, e.name, 'client.ts'), 'utf8'))?.[1] ?? '']),
  );
}

test('an agent folder renamed only in case by a later run: the new folder replaces the old (Linux)', async () => {
  const dir = mkdtempSync(join(work, 'linux-'));
  await run(dir, 'MailBox');
  assert.deepEqual(agents(join(dir, 'out')), { MailBox: 'MailBoxAgent' });
  const second = await run(dir, 'Mailbox');
  assert.deepEqual(agents(join(dir, 'out')), { Mailbox: 'MailboxAgent' });
  assert.ok(second.written!.removed.every((f) => f.startsWith('MailBox/')) && second.written!.removed.length > 0, second.written!.removed.join(', '));
});

test('an agent folder renamed only in case by a later run, on a case-insensitive file system: the run succeeds and the folder holds the new files', async () => {
  // The swap moved the old folder aside under the new name, moved the new one in, then moved the
  // "removed" old name aside too, which on such a file system is the new folder: the rename into
  // the area of old folders failed (directory not empty), and every run after it failed the same way.
  const dir = mkdtempSync(join(work, 'insensitive-'));
  const restore = caseInsensitiveBelow(dir);
  try {
    await run(dir, 'MailBox');
    assert.deepEqual(agents(join(dir, 'out')), { MailBox: 'MailBoxAgent' });
    await run(dir, 'Mailbox');
    assert.deepEqual(agents(join(dir, 'out')), { Mailbox: 'MailboxAgent' });
    const manifest = JSON.parse(readFileSync(join(dir, 'out', '.gen-services86-manifest.json'), 'utf8')) as { sha256: Record<string, string> };
    assert.deepEqual(Object.keys(manifest.sha256).filter((f) => /^mailbox\//i.test(f)), ['Mailbox/client.ts', 'Mailbox/index.ts', 'Mailbox/metadata.ts', 'Mailbox/mock.ts', 'Mailbox/operations.ts', 'Mailbox/types.ts']);
    // And back, with a file of the user's in the folder: it stays there (the run failed with
    // "cp returned EINVAL (src and dest cannot be the same)": both spellings were staged, as one folder).
    writeFileSync(join(dir, 'out', 'Mailbox', 'notes.txt'), 'mine');
    const back = await run(dir, 'MailBox');
    assert.deepEqual(agents(join(dir, 'out')), { MailBox: 'MailBoxAgent' });
    assert.equal(readFileSync(join(dir, 'out', 'MailBox', 'notes.txt'), 'utf8'), 'mine');
    assert.deepEqual([back.written!.removed, back.written!.kept], [[], []], 'nothing removed or kept: the folder is the same');
  } finally {
    restore();
  }
});
