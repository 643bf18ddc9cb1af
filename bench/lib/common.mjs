// Shared helpers of the benchmark: paths, statistics, timing, child processes.
// Plain ESM JavaScript so that `node bench/run.mjs` runs right after `npm run build`.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import v8 from 'node:v8';

export const benchDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = resolve(benchDir, '..');
export const distDir = join(repoRoot, 'dist');
export const wsdlDir = join(repoRoot, 'test', 'fixtures', 'wsdl');
export const emailWsdl = join(wsdlDir, 'EMail.wsdl');
export const goldenDir = join(repoRoot, 'test', 'golden', 'EMail', 'envelopes');

/** `require` that resolves from the repository root (node-soap, wsdl-tsclient, sax). */
export const requireFromRoot = createRequire(join(repoRoot, 'package.json'));

export const TNS = 'http://www.superoffice.net/ws/crm/NetServer/Services86';
export const ARRAYS_NS = 'http://schemas.microsoft.com/2003/10/Serialization/Arrays';
export const SOAP11_NS = 'http://schemas.xmlsoap.org/soap/envelope/';

/** The request headers every SuperOffice call carries (same values for ours and node-soap). */
export const REQUEST_HEADERS = Object.freeze({
  ApplicationToken: 'app-token-5f2c9e1b7d',
  Credentials: Object.freeze({ Ticket: '7T:dGhpcyBpcyBhIHRpY2tldA==' }),
});

export function readGolden(name) {
  return readFileSync(join(goldenDir, name), 'utf8');
}

/** `global.gc`, without requiring `node --expose-gc` on the command line. */
export const gc = (() => {
  if (typeof globalThis.gc === 'function') return globalThis.gc;
  v8.setFlagsFromString('--expose_gc');
  return runInNewContext('gc');
})();

export function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const n = s.length;
  const median = n % 2 === 1 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  // Quartiles by the median of each half (Tukey's hinges): an interquartile range is [q1, q3].
  const half = (a) => (a.length % 2 === 1 ? a[(a.length - 1) / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2);
  const lower = s.slice(0, Math.floor(n / 2));
  const upper = s.slice(Math.ceil(n / 2));
  return { min: s[0], q1: n > 1 ? half(lower) : s[0], median, q3: n > 1 ? half(upper) : s[0], max: s[n - 1], n };
}

function nowMs() {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** CPU time of this process (user + system) in ms: what a knock-out saves, whatever else runs on the machine. */
export function cpuMs() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * Times `fn` in batches of `iters` calls after a forced GC (not timed) and returns the time per
 * call in ms. Batching keeps each sample well above timer and scheduling noise.
 */
function timeBatch(fn, iters, clock = nowMs) {
  gc();
  let sink;
  const t0 = clock();
  for (let i = 0; i < iters; i++) sink = fn();
  const t1 = clock();
  if (sink === undefined) throw new Error('a benchmarked function returned nothing');
  return (t1 - t0) / iters;
}

/** Warms `fn` up (JIT) for about `warmMs` and picks a batch size so one batch takes about `batchMs`. */
function calibrate(fn, { warmMs = 400, batchMs = 120, minIters = 1 } = {}) {
  const start = nowMs();
  let calls = 0;
  do {
    fn();
    calls++;
  } while (nowMs() - start < warmMs || calls < 3);
  const per = timeBatch(fn, Math.max(1, Math.min(calls, 5)));
  return Math.max(minIters, Math.round(batchMs / per));
}

/**
 * Runs the contenders alternately: every round times each once, the order rotating from round
 * to round so that no contender always follows the same one.
 */
export function alternate(contenders, rounds, { batchMs = 120, warmMs = 400, log, clock = nowMs } = {}) {
  const iters = new Map();
  for (const c of contenders) iters.set(c.key, calibrate(c.fn, { batchMs, warmMs }));
  const samples = new Map(contenders.map((c) => [c.key, []]));
  for (let r = 0; r < rounds; r++) {
    const order = contenders.map((_, i) => contenders[(i + r) % contenders.length]);
    for (const c of order) samples.get(c.key).push(timeBatch(c.fn, iters.get(c.key), clock));
    log?.(`  round ${r + 1}/${rounds}: ` + contenders.map((c) => `${c.key} ${fmt(samples.get(c.key).at(-1))} ms`).join(', '));
  }
  const out = {};
  for (const c of contenders) out[c.key] = { ...stats(samples.get(c.key)), iters: iters.get(c.key), samples: samples.get(c.key) };
  return out;
}

/** Spawns `node args…` in the repository root; resolves with the wall time from spawn to exit. */
export function runNode(args, { cwd = repoRoot, env = process.env, nodeArgs = [] } = {}) {
  return new Promise((resolvePromise, reject) => {
    const t0 = nowMs();
    const child = spawn(process.execPath, [...nodeArgs, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let exitMs = 0;
    let code = null;
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.on('error', reject);
    child.on('exit', (c) => {
      exitMs = nowMs() - t0;
      code = c;
    });
    child.on('close', () => {
      resolvePromise({ ms: exitMs, code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

export function fmt(x, digits) {
  if (x === undefined || x === null || Number.isNaN(x)) return '—';
  const d = digits ?? (Math.abs(x) >= 100 ? 0 : Math.abs(x) >= 10 ? 1 : Math.abs(x) >= 1 ? 2 : 3);
  return x.toFixed(d);
}

/** Reads peak and current RSS (kB) of this process: VmHWM/VmRSS, or resourceUsage as a fallback. */
export function memoryKb() {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const hwm = /^VmHWM:\s+(\d+) kB/m.exec(status);
    const rss = /^VmRSS:\s+(\d+) kB/m.exec(status);
    if (hwm && rss) return { peakKb: Number(hwm[1]), rssKb: Number(rss[1]), source: '/proc/self/status VmHWM' };
  } catch {
    // not Linux
  }
  return { peakKb: process.resourceUsage().maxRSS, rssKb: Math.round(process.memoryUsage.rss() / 1024), source: 'process.resourceUsage().maxRSS' };
}
