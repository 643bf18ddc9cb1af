// `gen-services86 --watch` as a child process, driven through its output (test/watch*.test.ts).
import { spawn } from 'node:child_process';
import { cliPath } from './paths.js';
import { waitUntil } from './wait-until.js';

/** The line --watch prints after each run. */
export const RUN_LINE = /^\[\d\d:\d\d:\d\d\] gen: (\d+) written, (\d+) unchanged, (\d+) removed \(\d+(?: ms|\.\d s)\)$/;

/** `gen-services86 <args>` as a child process in `cwd`, driven through its output. */
export function watchChild(args: readonly string[], cwd: string) {
  const child = spawn(process.execPath, [cliPath, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const killer = setTimeout(() => child.kill('SIGKILL'), 80_000);
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  let stdout = '';
  let stderr = '';
  const wait = waitUntil({ limitMs: 30_000, pollMs: 200, state: () => `stdout: ${stdout}\nstderr: ${stderr}`, hopeless: () => child.exitCode !== null });
  child.stdout.setEncoding('utf8').on('data', (d: string) => ((stdout += d), wait.wake()));
  child.stderr.setEncoding('utf8').on('data', (d: string) => ((stderr += d), wait.wake()));
  return {
    child,
    exited,
    stdout: () => stdout,
    stderr: () => stderr,
    /** The run lines so far. */
    lines: () => stdout.split('\n').filter((l) => RUN_LINE.test(l)),
    /** Waits until `done()` holds; fails when the process ended first, or after 30 s. */
    until: wait.until,
    end: () => {
      clearTimeout(killer);
      child.kill('SIGKILL');
    },
  };
}
