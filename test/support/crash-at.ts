// Preloaded (`node --import`) into a CLI child process by runCli({ crashAt }) to kill it with
// SIGKILL in the middle of writing its output, so tests can prove that an interrupted write is
// rolled back. It wraps fs.renameSync (the only way the writer changes the visible tree) and
// fs.mkdirSync, and recognises the writer's steps by the work folders they touch; product code has
// no hook.
//   staged    when staging is complete: before the area for old folders is made or anything moves
//   swapping  just after the first old folder (or file) was moved aside, before the new one is in
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { sep } from 'node:path';

const point = process.env['GEN_SERVICES86_TEST_CRASH_AT'];
const STAGING = `${sep}.gen-services86-staging${sep}`;
const OLD_NAME = '.gen-services86-old';
const OLD = `${sep}${OLD_NAME}${sep}`;

if (point === 'staged' || point === 'swapping') {
  const mkdir = fs.mkdirSync;
  fs.mkdirSync = ((path: fs.PathLike, options?: fs.MakeDirectoryOptions) => {
    const text = String(path);
    if (point === 'staged' && (text.endsWith(`${sep}${OLD_NAME}`) || text.includes(OLD))) process.kill(process.pid, 'SIGKILL');
    return mkdir(path, options);
  }) as typeof fs.mkdirSync;
  const rename = fs.renameSync;
  fs.renameSync = (from: fs.PathLike, to: fs.PathLike): void => {
    const movesIn = String(from).includes(STAGING);
    const movesAside = String(to).includes(OLD);
    if (point === 'staged' && (movesIn || movesAside)) process.kill(process.pid, 'SIGKILL');
    rename(from, to);
    if (point === 'swapping' && movesAside) process.kill(process.pid, 'SIGKILL');
  };
  syncBuiltinESMExports();
}
