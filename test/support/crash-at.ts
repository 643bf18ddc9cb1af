// Preloaded (`node --import`) into a CLI child process by runCli({ crashAt }) to kill it with
// SIGKILL in the middle of writing its output, so tests can prove that an interrupted write is
// rolled back. It wraps (wrap-fs.ts) fs.renameSync (the only way the writer changes the visible
// tree) and fs.mkdirSync, and recognises the writer's steps by the work folders they touch; product code has
// no hook.
//   staged        when staging is complete: before the area for old folders is made or anything moves
//   swapping      just after the first old folder (or file) was moved aside, before the new one is in
//   added         just after the first new folder (or file) that had no old one was moved in
//   committed     just after the old-folder area was renamed to the trash (the swap's commit point)
//   interrupt-staged  at "staged", sends itself SIGINT (Ctrl-C) instead of SIGKILL and goes on
//   pause-staged  at "staged", instead of dying: creates <GEN_SERVICES86_TEST_PAUSE>.reached and
//                 waits until <GEN_SERVICES86_TEST_PAUSE>.go exists (a second run can go meanwhile)
//   fail-aside-2  the second move aside fails with EACCES, as moving a folder the user may not
//                 write fails (a folder a container made as root, for a user who is not)
import fs from 'node:fs';
import { basename, sep } from 'node:path';
import { wrapFs } from './wrap-fs.js';

const point = process.env['GEN_SERVICES86_TEST_CRASH_AT'];
const pauseFile = process.env['GEN_SERVICES86_TEST_PAUSE'];
const STAGING = `${sep}.gen-services86-staging${sep}`;
const OLD_NAME = '.gen-services86-old';
const OLD = `${sep}${OLD_NAME}${sep}`;

/** What this process does at "staged": die, or (pause-staged) wait for the test's go. */
function atStaged(): void {
  if (point === 'staged') process.kill(process.pid, 'SIGKILL');
  if (point === 'interrupt-staged') process.kill(process.pid, 'SIGINT');
  if (point !== 'pause-staged' || pauseFile === undefined) return;
  fs.writeFileSync(`${pauseFile}.reached`, String(process.pid));
  const sleep = new Int32Array(new SharedArrayBuffer(4));
  for (const until = Date.now() + 30_000; !fs.existsSync(`${pauseFile}.go`) && Date.now() < until; ) Atomics.wait(sleep, 0, 0, 10);
}

if (point !== undefined) {
  let pausedOnce = false;
  const staged = () => {
    if (pausedOnce) return;
    pausedOnce = true;
    atStaged();
  };
  const movedAside = new Set<string>();
  wrapFs({
    mkdirSync: (mkdir) =>
      ((path: fs.PathLike, options?: fs.MakeDirectoryOptions) => {
        const text = String(path);
        if (text.endsWith(`${sep}${OLD_NAME}`) || text.includes(OLD)) staged();
        return mkdir(path, options);
      }) as typeof fs.mkdirSync,
    renameSync: (rename) => (from, to) => {
      const movesIn = String(from).includes(STAGING);
      const movesAside = String(to).includes(OLD);
      if (movesIn || movesAside) staged();
      if (point === 'fail-aside-2' && movesAside && movedAside.size === 1) {
        throw Object.assign(new Error(`EACCES: permission denied, rename '${String(from)}' -> '${String(to)}'`), { code: 'EACCES', syscall: 'rename' });
      }
      rename(from, to);
      if (movesAside) movedAside.add(basename(String(to)));
      if (point === 'swapping' && movesAside) process.kill(process.pid, 'SIGKILL');
      if (point === 'added' && movesIn && !movedAside.has(basename(String(to)))) process.kill(process.pid, 'SIGKILL');
      if (point === 'committed' && String(to).endsWith(`${sep}.gen-services86-trash`)) process.kill(process.pid, 'SIGKILL');
    },
  });
}
