#!/usr/bin/env node
// Where our time goes: runs one case under `node --cpu-prof` and prints the functions with the
// most self time (and the totals per file).
//   node bench/profile.mjs decode|encode|reader|cold-start|generate-email|generate-all [--ms N] [--top N] [--keep]
// (decode/encode/reader loop for --ms, default 4000; the others profile one fresh process.)
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchDir, distDir, emailWsdl, repoRoot, runNode, wsdlDir } from './lib/common.mjs';

const args = process.argv.slice(2);
const what = args.find((a) => !a.startsWith('--')) ?? 'decode';
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const top = opt('top', 25);
const ms = opt('ms', 4000);
const keep = args.includes('--keep');

const dir = mkdtempSync(join(os.tmpdir(), 'gen-services86-prof-'));
const out = join(dir, 'out');
const wsdls = what === 'generate-all' ? readdirSync(wsdlDir).filter((f) => f.endsWith('.wsdl')).map((f) => join(wsdlDir, f)) : [emailWsdl];
const scripts = {
  'cold-start': [join(benchDir, 'cases', 'cold-ours.mjs')],
  'generate-email': [join(distDir, 'generator', 'cli.js'), ...wsdls, '-o', out, '-q'],
  'generate-all': [join(distDir, 'generator', 'cli.js'), ...wsdls, '-o', out, '-q'],
};
if (!scripts[what] && !['decode', 'encode', 'reader'].includes(what)) {
  process.stderr.write('usage: node bench/profile.mjs decode|encode|reader|cold-start|generate-email|generate-all [--ms N] [--top N] [--keep]\n');
  process.exit(2);
}
const script = scripts[what] ?? [join(benchDir, 'cases', 'hot-loop.mjs'), what, String(ms)];
const res = await runNode(script, { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=100'] });
if (res.code !== 0) throw new Error(res.stderr);
const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
if (!file) throw new Error(`no profile written in ${dir}`);
const profile = JSON.parse(readFileSync(join(dir, file), 'utf8'));

// Self time per node = number of samples × mean interval.
const counts = new Map();
for (const id of profile.samples) counts.set(id, (counts.get(id) ?? 0) + 1);
const totalSamples = profile.samples.length;
const totalMs = (profile.endTime - profile.startTime) / 1000;
const where = (cf) => {
  let url = cf.url || '';
  if (url.startsWith('file://')) url = relative(repoRoot, fileURLToPath(url));
  return url ? `${url}:${cf.lineNumber + 1}` : '';
};
const byFn = new Map();
const byFile = new Map();
for (const node of profile.nodes) {
  const n = counts.get(node.id) ?? 0;
  if (n === 0) continue;
  const cf = node.callFrame;
  const key = `${cf.functionName || '(anonymous)'} ${where(cf)}`;
  byFn.set(key, (byFn.get(key) ?? 0) + n);
  const fileKey = cf.url ? where({ ...cf, lineNumber: -1 }).replace(/:0$/, '') : cf.functionName;
  byFile.set(fileKey, (byFile.get(fileKey) ?? 0) + n);
}
const pct = (n) => `${((100 * n) / totalSamples).toFixed(1).padStart(5)}%`;
const msOf = (n) => `${((totalMs * n) / totalSamples).toFixed(0).padStart(6)} ms`;
process.stdout.write(`${what}: ${res.stdout.trim().slice(0, 200)}\nprofile: ${totalSamples} samples over ${totalMs.toFixed(0)} ms${keep ? ` (${join(dir, file)})` : ''}\n\n`);
process.stdout.write(`top ${top} functions by self time:\n`);
for (const [k, n] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, top)) process.stdout.write(`${pct(n)} ${msOf(n)}  ${k}\n`);
// Inclusive time: each sample counts once for every distinct function on its stack.
const parent = new Map();
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const keyOf = (n) => `${n.callFrame.functionName || '(anonymous)'} ${where(n.callFrame)}`;
const inclusive = new Map();
for (const [id, n] of counts) {
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const node = byId.get(cur);
    if (!node.callFrame.url || node.callFrame.url.startsWith('node:')) continue;
    const k = keyOf(node);
    if (seen.has(k)) continue;
    seen.add(k);
    inclusive.set(k, (inclusive.get(k) ?? 0) + n);
  }
}
process.stdout.write(`\ntop ${top} functions (outside node:internal) by inclusive time:\n`);
for (const [k, n] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top)) process.stdout.write(`${pct(n)} ${msOf(n)}  ${k}\n`);
process.stdout.write(`\nself time per file:\n`);
for (const [k, n] of [...byFile].sort((a, b) => b[1] - a[1]).slice(0, 12)) process.stdout.write(`${pct(n)} ${msOf(n)}  ${k}\n`);
if (!keep) rmSync(dir, { recursive: true, force: true });
