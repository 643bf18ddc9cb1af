// `gen-services86 --watch` as a child process, driven through its output (test/watch*.test.ts).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cliPath } from './paths.js';

/** The line --watch prints after each run. */
export const RUN_LINE = /^\[\d\d:\d\d:\d\d\] gen: (\d+) written, (\d+) unchanged, (\d+) removed \(\d+(?: ms|\.\d s)\)$/;

/** `gen-services86 <args>` as a child process in `cwd`, driven through its output. */
export function watchChild(args: readonly string[], cwd: string) {
  const child = spawn(process.execPath, [cliPath, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const killer = setTimeout(() => child.kill('SIGKILL'), 80_000);
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  let stdout = '';
  let stderr = '';
  const waiters: (() => void)[] = [];
  const poke = () => waiters.splice(0).forEach((w) => w());
  child.stdout.setEncoding('utf8').on('data', (d: string) => ((stdout += d), poke()));
  child.stderr.setEncoding('utf8').on('data', (d: string) => ((stderr += d), poke()));
  return {
    child,
    exited,
    stdout: () => stdout,
    stderr: () => stderr,
    /** The run lines so far. */
    lines: () => stdout.split('\n').filter((l) => RUN_LINE.test(l)),
    /** Waits until `done()` holds; fails when the process ended first, or after 30 s. */
    until: async (done: () => boolean, what: string) => {
      const deadline = Date.now() + 30_000;
      while (!done()) {
        if (Date.now() > deadline || child.exitCode !== null) assert.fail(`waiting for ${what}; stdout: ${stdout}\nstderr: ${stderr}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
    },
    end: () => {
      clearTimeout(killer);
      child.kill('SIGKILL');
    },
  };
}
