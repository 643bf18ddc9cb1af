// One of the processes output-lock-race.slow.test.ts races for an output folder's lock, round
// after round: it says it is ready (<control>/ready-<round>-<pid>), waits for the go
// (<control>/go-<round>), takes the lock as a run does (it is one: writeOutput, of no files) and
// holds it <holdMs>, as a run writing the folder would. While it holds it, a file of its own in
// <holders> says so; another one there meanwhile means two processes held the lock at once. It
// prints one JSON line per round. fs.existsSync is wrapped (wrap-fs.ts) only to see when it holds
// the lock: at rollBack's first look at the old-folder area, with its own id in the lock file
// (writeOutput looks there before it locks, too). Product code has no hook.
import fs from 'node:fs';
import { join } from 'node:path';
import { writeOutput } from '../../generator/output/write.js';
import { wrapFs } from './wrap-fs.js';

export interface RacerRound {
  readonly round: number;
  readonly held: boolean;
  /** Another process held the lock while this one did. */
  readonly overlap: boolean;
  readonly error?: string;
}

const [out, holders, control, rounds, holdMs] = process.argv.slice(2) as [string, string, string, string, string];
const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
const exists = fs.existsSync;
const mine = join(holders, String(process.pid));
let held = false;
let overlap = false;

function holdTheLock(): void {
  held = true;
  fs.writeFileSync(mine, '');
  const others = () => fs.readdirSync(holders).length > 1;
  for (const until = Date.now() + Number(holdMs); Date.now() < until; sleep(1)) if (others()) overlap = true;
  if (others()) overlap = true;
  fs.rmSync(mine);
}

/** Whether the lock file holds this process's id. */
function holdsLock(): boolean {
  try {
    return fs.readFileSync(join(out, '.gen-services86-lock'), 'utf8') === `${process.pid}\n`;
  } catch {
    return false;
  }
}

wrapFs({
  existsSync: (original) => (path) => {
    if (String(path).endsWith('.gen-services86-old') && !held && holdsLock()) holdTheLock();
    return original(path);
  },
});

for (let round = 0; round < Number(rounds); round++) {
  fs.writeFileSync(join(control, `ready-${round}-${process.pid}`), '');
  while (!exists(join(control, `go-${round}`))) sleep(1);
  held = false;
  overlap = false;
  let error: string | undefined;
  try {
    writeOutput(out, []);
  } catch (err) {
    error = (err as Error).message;
  }
  const result: RacerRound = { round, held, overlap, ...(error !== undefined ? { error } : {}) };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
