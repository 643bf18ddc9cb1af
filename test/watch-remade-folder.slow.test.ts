// watchAndRun in process: a folder deleted and made again while a run goes. Slow tier: it waits for
// the runs to settle (300 ms without one) twice.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { watchAndRun } from '../generator/watch.js';

const work = mkdtempSync(join(tmpdir(), 'gen-services86-watch-remade-'));
after(() => rmSync(work, { recursive: true, force: true }));

// A run kept the watcher of a folder whose names had not changed, also when the folder had been
// deleted and made again meanwhile (a branch switch while a run went): the kept watcher watched
// the deleted folder, and a WSDL saved in the new one started no run (a flaky CLI test showed it).
test('watchAndRun: a folder deleted and made again while a run goes is watched anew', async () => {
  const dir = mkdtempSync(join(work, 'remade-'));
  const folder = join(dir, 'wsdl');
  const file = join(folder, 'Alpha.wsdl');
  mkdirSync(folder);
  writeFileSync(file, 'one');
  const controller = new AbortController();
  let runs = 0;
  const watching = watchAndRun({
    signal: controller.signal,
    debounceMs: 5,
    first: { files: [file] },
    run: async () => {
      runs++;
      if (runs === 2) {
        rmSync(folder, { recursive: true });
        mkdirSync(folder);
      }
      return { files: [file] };
    },
  });
  /** The number of runs once none has come for 300 ms. */
  const settled = async (): Promise<number> => {
    for (let seen = -1; seen !== runs; ) {
      seen = runs;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    return runs;
  };
  try {
    await settled();
    writeFileSync(file, 'two'); // the second run deletes the folder and makes it again, empty
    const before = await settled();
    assert.ok(before >= 2, `runs: ${before}`);
    writeFileSync(file, 'three'); // in the new folder
    const deadline = Date.now() + 5_000;
    while (runs === before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.ok(runs > before, `no run after the WSDL was saved in the folder made again (${runs} runs)`);
  } finally {
    controller.abort();
    await watching;
  }
});
