// Running the CLI as a child process, and snapshots of output folders to prove what changed.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { cliPath } from './paths.js';

export interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

export interface RunOptions {
  readonly timeoutMs?: number;
  /** The test hook of generator/output/write.ts: SIGKILL at that point. */
  readonly crashAt?: 'staged' | 'swapping';
}

export function runCli(args: readonly string[], cwd: string, options: RunOptions = {}): Promise<Run> {
  const env = { ...process.env };
  delete env['GEN_SERVICES86_CRASH_AT'];
  if (options.crashAt) env['GEN_SERVICES86_CRASH_AT'] = options.crashAt;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
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
