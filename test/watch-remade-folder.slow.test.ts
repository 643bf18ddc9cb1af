// watchAndRun in process: a folder deleted and made again while a run goes. Slow tier: it waits for
// the runs to settle (300 ms without one), and a failure waits 30 s.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { watchAndRun } from '../generator/watch.js';
import { quietFor, waitUntil } from './support/wait-until.js';

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
  /** What each run read of the file ('' when it was missing). */
  const read: string[] = [];
  const { wake, until } = waitUntil({ limitMs: 30_000, pollMs: 100, state: () => `the runs read ${JSON.stringify(read)}` });
  const watching = watchAndRun({
    signal: controller.signal,
    debounceMs: 5,
    first: { files: [file] },
    run: async () => {
      const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
      // The run that first reads 'two' deletes the folder and makes it again, empty.
      if (text === 'two' && !read.includes('two')) {
        rmSync(folder, { recursive: true });
        mkdirSync(folder);
      }
      read.push(text);
      wake();
      return { files: [file] };
    },
  });
  /** Once no run has come for 300 ms: the deletion's own events start runs, which must be over before the last save. */
  const settled = (): Promise<void> => quietFor(() => read.length, 300);
  try {
    await until(() => read.length > 0, 'the first run');
    writeFileSync(file, 'two');
    await until(() => read.includes('two'), "a run that read 'two'");
    await settled();
    writeFileSync(file, 'three'); // in the folder made again
    await until(() => read.includes('three'), "a run that read 'three', saved in the folder made again");
  } finally {
    controller.abort();
    await watching;
  }
});
