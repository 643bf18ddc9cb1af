// Running the CLI — in this process by default (the fast tier: no Node start, no module loading
// per run), or as a child process where a test needs a real process — and snapshots of output
// folders to prove what changed.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cliPath, repoRoot } from './paths.js';

export interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

export interface RunOptions {
  readonly timeoutMs?: number;
  /** Run as a child process and SIGKILL it (pause it, make it fail) at that point of writing (see support/crash-at.ts). */
  readonly crashAt?: 'staged' | 'swapping' | 'added' | 'committed' | 'interrupt-staged' | 'pause-staged' | 'fail-aside-2';
  /** With crashAt 'pause-staged': the path the paused run signals on (`<path>.reached`) and waits for (`<path>.go`). */
  readonly pauseFile?: string;
  /** Run as a real child process (`node dist/generator/cli.js …`) rather than in this process. */
  readonly process?: boolean;
}

/**
 * Runs `gen-services86 <args>` in `cwd`. In process unless `options` asks for a child, or the
 * arguments are --help / --version, after which yargs ends the process itself. In-process runs
 * are queued one at a time: each changes the working directory while it runs.
 */
export function runCli(args: readonly string[], cwd: string, options: RunOptions = {}): Promise<Run> {
  const exitsItself = args.some((a) => a === '--help' || a === '-h' || a === '--version');
  if (options.process || options.crashAt || exitsItself) return runChild(args, cwd, options);
  const run = queue.then(() => runInProcess(args, cwd));
  queue = run.then(
    () => undefined,
    () => undefined,
  );
  return run;
}

let queue: Promise<void> = Promise.resolve();

async function runInProcess(args: readonly string[], cwd: string): Promise<Run> {
  const { runCommand } = (await import(pathToFileURL(join(dirname(cliPath), 'command-line.js')).href)) as typeof import('../../generator/command-line.js');
  let stdout = '';
  let stderr = '';
  const started = performance.now();
  const home = process.cwd();
  process.chdir(cwd);
  try {
    const code = await runCommand(args, { out: (t) => (stdout += t), err: (t) => (stderr += t) });
    return { code, signal: null, stdout, stderr, ms: performance.now() - started };
  } finally {
    process.chdir(home);
  }
}

function runChild(args: readonly string[], cwd: string, options: RunOptions): Promise<Run> {
  const env = { ...process.env };
  delete env['GEN_SERVICES86_TEST_CRASH_AT'];
  delete env['GEN_SERVICES86_TEST_PAUSE'];
  delete env['NODE_TEST_CONTEXT'];
  const preload: string[] = [];
  if (options.crashAt) {
    env['GEN_SERVICES86_TEST_CRASH_AT'] = options.crashAt;
    if (options.pauseFile !== undefined) env['GEN_SERVICES86_TEST_PAUSE'] = options.pauseFile;
    preload.push('--import', pathToFileURL(join(repoRoot, 'dist', 'test', 'support', 'crash-at.js')).href);
  }
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...preload, cliPath, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: performance.now() - started });
    });
  });
}

function walk(dir: string, visit: (abs: string, rel: string) => boolean): void {
  const go = (abs: string, rel: string): void => {
    for (const name of readdirSync(abs).sort()) {
      const a = join(abs, name);
      const r = rel ? `${rel}/${name}` : name;
      if (visit(a, r)) go(a, r);
    }
  };
  if (existsSync(dir)) go(dir, '');
}

/** Every entry below `dir` (dotfiles included): folders as `dir`, links by target, files by mode and content hash. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  walk(dir, (abs, rel) => {
    const st = lstatSync(abs);
    if (st.isSymbolicLink()) out[rel] = `symlink → ${readlinkSync(abs)}`;
    else if (st.isDirectory()) out[`${rel}/`] = 'dir';
    else out[rel] = `${(st.mode & 0o777).toString(8)} ${createHash('sha256').update(readFileSync(abs)).digest('hex')}`;
    return st.isDirectory() && !st.isSymbolicLink();
  });
  return out;
}

/** Modification times of every entry below `dir`, to prove that nothing was rewritten. */
export function mtimes(dir: string): Record<string, number> {
  const out: Record<string, number> = {};
  walk(dir, (abs, rel) => {
    const st = lstatSync(abs);
    out[rel] = st.mtimeMs;
    return st.isDirectory() && !st.isSymbolicLink();
  });
  return out;
}
