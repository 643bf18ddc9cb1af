#!/usr/bin/env node
// `npm run bench`: gen-services86 against its peers, wsdl-tsclient (generation) and node-soap
// (run time). Every case runs ours and the peer alternately, rounds after a warm-up, and reports
// min/median/max and the ratio of medians (peer ÷ ours; above 1 means ours is faster/smaller).
//
//   node bench/run.mjs [--rounds N] [--only case[,case…]]
//
// Cases: generate-email, generate-all, watch (one WSDL of 56 changed under --watch), cold-start, decode, decode-json, encode, memory, output, online-session (`generate` = both
// generate cases; `output` = bytes and consumer type-check time of all 56 against the design
// before shared types, built from git; `bundle` = one call bundled with esbuild from a folder of all
// 56 agents and from a folder of that agent alone). Writes bench/results.md and bench/results.json and prints the table. With
// --only, the other cases' earlier results are kept in the files (each row has its own date).
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import os from 'node:os';
import { gzipSync } from 'node:zlib';
import { basename, join } from 'node:path';
import {
  alternate,
  benchDir,
  distDir,
  emailWsdl,
  fmt,
  gc,
  REQUEST_HEADERS,
  repoRoot,
  requireFromRoot,
  runNode,
  stats,
  wsdlDir,
} from './lib/common.mjs';
import { buildEnvelopesResponse, buildSendInput, DECODE_ITEMS, ENCODE_ITEMS, toPeerArgs } from './lib/fixtures.mjs';
import { measureOnlineSession, ONLINE_ROUNDS } from './lib/online.mjs';
import { createPeerClient, peerRequest } from './lib/peer.mjs';
import { TRICKS } from './lib/tricks.mjs';
import { updateReadme } from './readme-bench.mjs';
import { buildPreviousDesign, folderBytes, PREVIOUS_DESIGN_COMMIT, TSC, writeConsumerTsconfig } from './lib/design.mjs';

const CASES = ['generate-email', 'generate-all', 'watch', 'cold-start', 'decode', 'decode-json', 'encode', 'memory', 'tricks', 'output', 'bundle', 'online-session'];
const MIN_ROUNDS = 10;
/** WSDLs wsdl-tsclient 1.7.1 cannot generate (it reports the error, carries on and exits 1). */
const PEER_GENERATE_FAILURES = new Set(['List.wsdl']);

// ---------------------------------------------------------------------------------------------
// Options

function parseArgs(argv) {
  const opts = { rounds: MIN_ROUNDS, only: [...CASES] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined) usage(`${a} needs a value`);
      return v;
    };
    if (a === '--rounds' || a.startsWith('--rounds=')) {
      opts.rounds = Number(value());
      if (!Number.isInteger(opts.rounds) || opts.rounds < 1) usage('--rounds must be a positive integer');
    } else if (a === '--only' || a.startsWith('--only=')) {
      const names = value().split(',').flatMap((n) => (n === 'generate' ? ['generate-email', 'generate-all'] : [n]));
      for (const n of names) if (!CASES.includes(n)) usage(`unknown case "${n}" (cases: ${CASES.join(', ')}, generate)`);
      opts.only = CASES.filter((c) => names.includes(c));
    } else if (a === '--help' || a === '-h') {
      usage();
    } else {
      usage(`unknown argument ${a}`);
    }
  }
  return opts;
}

function usage(error) {
  const text = `usage: node bench/run.mjs [--rounds N] [--only case[,case…]]\ncases: ${CASES.join(', ')}, generate (= both generate cases)\n`;
  if (error) {
    process.stderr.write(`bench: ${error}\n${text}`);
    process.exit(2);
  }
  process.stdout.write(text);
  process.exit(0);
}

const log = (line) => process.stdout.write(`${line}\n`);

// ---------------------------------------------------------------------------------------------
// 6. The runtime's speed tricks (bench/lib/tricks.mjs): the decode case with each trick knocked
// out, each trick in its own process (bench/cases/trick-ab.mjs), with and without alternating.

/** The fewest alternating rounds a trick is judged on. */
const TRICK_ROUNDS = 30;

function iqr(s) {
  return `${fmt(s.q1)}–${fmt(s.q3)}`;
}

/**
 * A bench/cases/trick-ab.mjs process for `trick`, started and warmed up: `round()` times one
 * round and resolves with its { with, without } samples; `end()` lets the process exit.
 */
async function startTrick(trick) {
  // --single-threaded: V8's GC and compilers work on the main thread, so the CPU time is that of
  // the decodes alone, not of helper threads that run or wait as the machine's load allows.
  const child = spawn(process.execPath, ['--single-threaded', join(benchDir, 'cases', 'trick-ab.mjs'), trick.id], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
  const stderr = [];
  child.stderr.on('data', (d) => stderr.push(d));
  const waiting = [];
  let buffered = '';
  const failed = (why) => new Error(`bench: trick-ab.mjs ${trick.id} ${why}:\n${Buffer.concat(stderr).toString('utf8')}`);
  child.stdout.on('data', (d) => {
    buffered += d.toString('utf8');
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      waiting.shift()?.resolve(JSON.parse(line));
    }
  });
  child.on('exit', (code) => {
    for (const w of waiting.splice(0)) w.reject(failed(`exited (${code})`));
  });
  const next = () => new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  const ready = await next();
  return {
    batch: ready.batch,
    repeats: ready.repeats,
    round() {
      child.stdin.write('round\n');
      return next();
    },
    end() {
      child.stdin.end('end\n');
    },
  };
}

async function tricksCase(rounds) {
  rounds = Math.max(rounds, TRICK_ROUNDS);
  log(`\ntricks: the case each trick targets (decode of ${DECODE_ITEMS} items, as XML or JSON, or encode of ${ENCODE_ITEMS}) with and without each trick of the runtime, ${rounds} alternating rounds of CPU time, one process per trick (node --single-threaded), round r of every trick before round r + 1 of any`);
  const procs = [];
  for (const trick of TRICKS) procs.push(await startTrick(trick));
  const samples = TRICKS.map(() => ({ with: [], without: [] }));
  try {
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < TRICKS.length; i++) {
        const s = await procs[i].round();
        samples[i].with.push(s.with);
        samples[i].without.push(s.without);
      }
      log(`  round ${r + 1}/${rounds}: ` + TRICKS.map((t, i) => `${t.id.replace('trick-', '')} ${fmt(samples[i].with.at(-1))}/${fmt(samples[i].without.at(-1))}`).join(', ') + ' ms CPU with/without');
    }
  } finally {
    for (const p of procs) p.end();
  }
  return TRICKS.map((trick, i) => {
    const ours = stats(samples[i].with);
    const peer = stats(samples[i].without);
    const r = row({
      id: trick.id,
      title: `Trick: ${trick.title}`,
      unit: 'ms CPU',
      ours,
      oursLabel: `${trick.encode ? 'encode' : 'decode'}, with every trick`,
      peer,
      peerLabel: `${trick.encode ? 'encode' : 'decode'} without this trick`,
      // The smallest benefit we keep extra runtime code for; below it a trick is noise, and goes.
      target: 1.05,
      targetText: '≥ 1.05×, IQRs apart (else the trick goes)',
      separated: true,
      notes: [
        `conditions: ${trick.conditions}`,
        `interquartile ranges: with ${iqr(ours)}, without ${iqr(peer)} ms CPU per ${trick.encode ? 'encode' : 'decode'}; a sample is the fastest of ${procs[i].repeats} batches, each the CPU time of ${procs[i].batch} ${trick.encode ? 'encodes' : 'decodes'}${trick.gcBetween ? ', each after an untimed gc()' : ' after a gc()'}, in node --single-threaded`,
      ],
    });
    log(`  ${r.met ? 'kept' : 'GOES'}  ${r.case}: ${ratioText(r.ratio)} (${r.notes[1]})`);
    return r;
  });
}

// ---------------------------------------------------------------------------------------------
// Result rows

/**
 * One row of the results. `ours`/`peer` are {min, median, max} in `unit`; `ratio` is
 * peer.median ÷ ours.median; `target` is the minimum ratio wanted (undefined: for information).
 */
function row({ id, title, unit, ours, peer, oursLabel, peerLabel, target, targetText, notes = [], extra = {}, separated = false }) {
  const ratio = peer.median / ours.median;
  // `separated`: the target also needs the interquartile ranges apart (ours' q3 below peer's q1).
  const met = target === undefined ? null : ratio >= target && (!separated || ours.q3 < peer.q1);
  return {
    case: id,
    title,
    unit,
    ours: pick(ours),
    peer: pick(peer),
    ratio,
    oursLabel,
    peerLabel,
    target: target ?? null,
    targetText: targetText ?? null,
    met,
    notes,
    measuredAt: new Date().toISOString(),
    rounds: ours.n,
    ...extra,
  };
}

function pick(s) {
  return { min: s.min, median: s.median, max: s.max };
}

// ---------------------------------------------------------------------------------------------
// 1. Generate: whole process, from `node` start to files written.

const OUR_CLI = join(distDir, 'generator', 'cli.js');
const PEER_CLI = join(repoRoot, 'node_modules', '.bin', 'wsdl-tsclient');

async function generateOnce(which, wsdls) {
  const out = mkdtempSync(join(os.tmpdir(), `gen-services86-bench-${which}-`));
  try {
    const args = which === 'ours' ? [OUR_CLI, ...wsdls, '-o', out, '-q'] : [PEER_CLI, ...wsdls, '-o', out, '--quiet'];
    const res = await runNode(args);
    checkGenerated(which, wsdls, out, res);
    return res.ms;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function checkGenerated(which, wsdls, out, res) {
  const dirs = new Set(existsSync(out) ? readdirSync(out, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name.toLowerCase()) : []);
  const names = wsdls.map((w) => basename(w, '.wsdl'));
  const fail = (msg) => {
    throw new Error(`${which === 'ours' ? 'gen-services86' : 'wsdl-tsclient'}: ${msg}\n${res.stdout}\n${res.stderr}`);
  };
  if (which === 'ours') {
    if (res.code !== 0) fail(`exit code ${res.code}`);
    const missing = names.filter((n) => !dirs.has(n.toLowerCase()));
    if (missing.length > 0 || !dirs.has('runtime')) fail(`no output for ${missing.join(', ') || 'runtime'}`);
    return;
  }
  const missing = names.filter((n) => !dirs.has(n.toLowerCase()));
  const expectedMissing = wsdls.filter((w) => PEER_GENERATE_FAILURES.has(basename(w))).map((w) => basename(w, '.wsdl'));
  if (missing.join() !== expectedMissing.join()) fail(`output missing for ${missing.join(', ') || 'none'}, expected missing: ${expectedMissing.join(', ') || 'none'}`);
  if (res.code !== (expectedMissing.length > 0 ? 1 : 0)) fail(`exit code ${res.code}`);
}

async function generateCase(id, title, wsdls, rounds, target) {
  log(`\n${title}: ${wsdls.length} WSDL${wsdls.length === 1 ? '' : 's'}, ${rounds} rounds after a warm-up`);
  const warm = { ours: await generateOnce('ours', wsdls), peer: await generateOnce('peer', wsdls) };
  log(`  warm-up: ours ${fmt(warm.ours)} ms, wsdl-tsclient ${fmt(warm.peer)} ms`);
  const notes = [];
  if (warm.ours + warm.peer > 60_000 && rounds > MIN_ROUNDS) {
    notes.push(`a round took ${fmt((warm.ours + warm.peer) / 1000)} s, so rounds were reduced from ${rounds} to ${MIN_ROUNDS}`);
    rounds = MIN_ROUNDS;
  }
  const samples = { ours: [], peer: [] };
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? ['ours', 'peer'] : ['peer', 'ours'];
    for (const which of order) samples[which].push(await generateOnce(which, wsdls));
    log(`  round ${r + 1}/${rounds}: ours ${fmt(samples.ours.at(-1))} ms, wsdl-tsclient ${fmt(samples.peer.at(-1))} ms`);
  }
  const failing = wsdls.filter((w) => PEER_GENERATE_FAILURES.has(basename(w))).map((w) => basename(w));
  if (failing.length > 0) {
    notes.push(`wsdl-tsclient fails on ${failing.join(', ')} ("Error while parsing Subdefinition…"), carries on with the rest and exits 1; its time still covers all ${wsdls.length} inputs`);
  }
  notes.push('both quiet (-q / --quiet), each into a fresh temp folder; wall time from spawn to exit');
  return row({
    id,
    title,
    unit: 'ms',
    ours: stats(samples.ours),
    peer: stats(samples.peer),
    oursLabel: 'gen-services86 CLI',
    peerLabel: 'wsdl-tsclient CLI',
    target,
    targetText: `≥ ${target}×`,
    notes,
  });
}

// ---------------------------------------------------------------------------------------------
// 1a. Watch: all 56 WSDLs under `--watch`, one of them changed (a documentation text, so its
//     output changes); the time from the write to the watch's run line, against a full cold run
//     of all 56 (whole process, as generate-all measures ours). Target: at most 25 % of the cold run.

const WATCH_WSDL = 'Contact.wsdl';
const WATCH_TEXT = 'Loading default values into a new ContactEntity.';

async function watchCase(wsdls, rounds) {
  log(`\nwatch: ${wsdls.length} WSDLs watched, ${WATCH_WSDL} changed; ${rounds} rounds against a full cold run`);
  const project = mkdtempSync(join(os.tmpdir(), 'gen-services86-bench-watch-'));
  const child = { proc: undefined };
  try {
    cpSync(wsdlDir, join(project, 'wsdl'), { recursive: true, filter: (src) => !src.includes('/wsdl/') || src.endsWith('.wsdl') });
    writeFileSync(join(project, 'gen-services86.config.json'), JSON.stringify({ wsdl: wsdls.map((w) => `wsdl/${basename(w)}`), out: 'out' }));
    const target = join(project, 'wsdl', WATCH_WSDL);
    const original = readFileSync(target, 'utf8');
    if (!original.includes(WATCH_TEXT)) throw new Error(`${WATCH_WSDL} no longer holds the text the watch case changes`);
    const proc = spawn(process.execPath, [OUR_CLI, '--watch'], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] });
    child.proc = proc;
    let stdout = '';
    let stderr = '';
    proc.stderr.on('data', (d) => (stderr += d));
    let onLine;
    proc.stdout.setEncoding('utf8').on('data', (d) => {
      stdout += d;
      const lines = stdout.split('\n');
      stdout = lines.pop();
      for (const line of lines) onLine?.(line);
    });
    const nextRun = (timeoutMs = 300_000) =>
      new Promise((resolveLine, reject) => {
        const timer = setTimeout(() => reject(new Error(`watch: no run line within ${timeoutMs} ms\n${stderr}`)), timeoutMs);
        onLine = (line) => {
          if (!/^\[\d\d:\d\d:\d\d\] out: /.test(line)) return;
          clearTimeout(timer);
          onLine = undefined;
          resolveLine({ line, at: performance.now() });
        };
      });
    log(`  first run: ${(await nextRun()).line}`);
    const update = async (r) => {
      const pending = nextRun();
      const t0 = performance.now();
      writeFileSync(target, original.replace(WATCH_TEXT, `Loading default values into a new ContactEntity (round ${r}).`));
      const { line, at } = await pending;
      const m = /: (\d+) written, (\d+) unchanged, (\d+) removed/.exec(line);
      if (!m || Number(m[1]) === 0) throw new Error(`watch: the change wrote nothing: ${line}`);
      return { ms: at - t0, line };
    };
    log(`  warm-up: ${(await update(0)).line}`);
    const samples = { ours: [], peer: [] };
    for (let r = 1; r <= rounds; r++) {
      const order = r % 2 === 0 ? ['ours', 'peer'] : ['peer', 'ours'];
      for (const which of order) {
        if (which === 'ours') {
          const u = await update(r);
          samples.ours.push(u.ms);
        } else samples.peer.push(await generateOnce('ours', wsdls));
      }
      log(`  round ${r}/${rounds}: one changed under --watch ${fmt(samples.ours.at(-1))} ms, full cold run ${fmt(samples.peer.at(-1))} ms`);
    }
    proc.kill('SIGINT');
    const code = await new Promise((resolveExit) => proc.on('close', resolveExit));
    if (code !== 0) throw new Error(`watch: exit code ${code} after SIGINT\n${stderr}`);
    return row({
      id: 'watch',
      title: `One of ${wsdls.length} WSDLs changed under --watch, against a full cold run of all ${wsdls.length}`,
      unit: 'ms',
      ours: stats(samples.ours),
      peer: stats(samples.peer),
      oursLabel: 'gen-services86 --watch, one WSDL changed (write → run line)',
      peerLabel: 'gen-services86, full cold run (whole process)',
      target: 4,
      targetText: '≥ 4× (≤ 25 %)',
      notes: [
        `the watched run includes the 100 ms debounce and the file-system event; ${WATCH_WSDL} gets a new documentation text each round, so its files are rewritten`,
        'the "peer" column is our own full cold run of all WSDLs (fresh process, fresh folder), not another tool',
      ],
    });
  } finally {
    child.proc?.kill('SIGKILL');
    rmSync(project, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// 1b. Output of all 56 WSDLs in one run, against the design before shared types (built from git):
//     bytes written, and a consumer's `tsc --noEmit` over the whole output.

/** At most this many tsc rounds per side: one takes 10–25 s. */
const OUTPUT_TSC_ROUNDS = 5;

async function outputCase(wsdls, rounds) {
  log(`\nOutput of all ${wsdls.length} WSDLs: ours vs the design of ${PREVIOUS_DESIGN_COMMIT} (built from git)`);
  const previous = buildPreviousDesign();
  const root = mkdtempSync(join(os.tmpdir(), 'gen-services86-bench-output-'));
  try {
    const outs = { ours: join(root, 'ours'), peer: join(root, 'previous') };
    for (const [which, cli] of [['ours', OUR_CLI], ['peer', previous.cli]]) {
      const res = await runNode([cli, ...wsdls, '-o', outs[which], '-q']);
      if (res.code !== 0) throw new Error(`${which} generation failed (exit ${res.code})\n${res.stderr}`);
    }
    const bytes = { ours: folderBytes(outs.ours), peer: folderBytes(outs.peer) };
    log(`  bytes: ours ${bytes.ours}, previous design ${bytes.peer} (${((100 * bytes.ours) / bytes.peer).toFixed(1)} %)`);
    const configs = { ours: writeConsumerTsconfig(outs.ours), peer: writeConsumerTsconfig(outs.peer) };
    const tsc = async (which) => {
      const res = await runNode([TSC, '-p', configs[which]]);
      if (res.code !== 0) throw new Error(`tsc over the ${which === 'ours' ? 'current' : 'previous'} output failed:\n${res.stdout}${res.stderr}`);
      return res.ms;
    };
    const n = Math.min(rounds, OUTPUT_TSC_ROUNDS);
    await tsc('ours');
    await tsc('peer');
    const samples = { ours: [], peer: [] };
    for (let r = 0; r < n; r++) {
      const order = r % 2 === 0 ? ['ours', 'peer'] : ['peer', 'ours'];
      for (const which of order) samples[which].push(await tsc(which));
      log(`  tsc round ${r + 1}/${n}: ours ${fmt(samples.ours.at(-1))} ms, previous design ${fmt(samples.peer.at(-1))} ms`);
    }
    const one = (x) => ({ min: x, median: x, max: x, n: 1 });
    const label = `gen-services86 at ${PREVIOUS_DESIGN_COMMIT}`;
    return [
      row({
        id: 'output-bytes',
        title: `Output bytes, all ${wsdls.length} WSDLs in one run`,
        unit: 'B',
        ours: one(bytes.ours),
        peer: one(bytes.peer),
        oursLabel: 'gen-services86',
        peerLabel: label,
        target: 2.5,
        targetText: '≥ 2.5× (ours ≤ 40 %)',
        notes: [`ours is ${((100 * bytes.ours) / bytes.peer).toFixed(1)} % of the previous design; every file written, the manifest included`],
      }),
      row({
        id: 'output-tsc',
        title: `Consumer tsc --noEmit --strict of all ${wsdls.length} agents (whole process)`,
        unit: 'ms',
        ours: stats(samples.ours),
        peer: stats(samples.peer),
        oursLabel: 'gen-services86',
        peerLabel: label,
        target: 1 / 0.6,
        targetText: '≥ 1.67× (ours ≤ 60 %)',
        notes: [
          `node tsc -p over the whole output (mock.ts files included) with strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess, noPropertyAccessFromIndexSignature, skipLibCheck; ${n} alternating rounds after a warm-up`,
        ],
      }),
    ];
  } finally {
    rmSync(root, { recursive: true, force: true });
    previous.cleanup();
  }
}

// ---------------------------------------------------------------------------------------------
// 1c. Bundle size of one call (esbuild, minified, gzip): the same program importing EMailAgent from a
//     folder of all 56 agents and from a folder holding only EMail. The metadata is one plain-data
//     constant per type and each agent's table imports only its own, so the bundler keeps what
//     EMail uses and drops the rest; wanted: the 56-agent bundle at most 1.1× the one-agent bundle.

/** The program bundled: one call of one agent, as an application (or an edge function) would make it. */
const ONE_CALL = [
  "import { EMailAgent } from './EMail/index.js';",
  "const email = new EMailAgent({ baseUrl: 'https://online.superoffice.com/Cust12345', ticket: 'ticket' });",
  'console.log(await email.getEMailEnvelopes({ Ids: [1] }));',
  '',
].join('\n');

async function bundleCase(wsdls) {
  log(`\nBundle of one call (EMailAgent.getEMailEnvelopes): a folder of ${wsdls.length} agents vs a folder of EMail alone`);
  const { build } = requireFromRoot('esbuild');
  const root = mkdtempSync(join(os.tmpdir(), 'gen-services86-bench-bundle-'));
  try {
    const sizes = {};
    for (const [which, inputs] of [['all', wsdls], ['one', [emailWsdl]]]) {
      const out = join(root, which);
      const res = await runNode([OUR_CLI, ...inputs, '-o', out, '-q']);
      if (res.code !== 0) throw new Error(`generation for the bundle case failed (exit ${res.code})\n${res.stderr}`);
      const result = await build({
        stdin: { contents: ONE_CALL, resolveDir: out, sourcefile: 'app.ts', loader: 'ts' },
        bundle: true,
        minify: true,
        format: 'esm',
        platform: 'browser',
        target: 'es2022',
        external: ['node:*'],
        write: false,
        logLevel: 'silent',
      });
      const bytes = result.outputFiles[0].contents;
      sizes[which] = { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
      log(`  ${which === 'all' ? `${wsdls.length} agents` : 'EMail alone'}: ${sizes[which].raw} B minified, ${sizes[which].gzip} B gzip`);
    }
    const one = (x) => ({ min: x, median: x, max: x, n: 1 });
    return [
      row({
        id: 'bundle-one-call',
        title: `One call bundled (esbuild, minified, gzip) from a folder of ${wsdls.length} agents vs from a folder of that agent alone`,
        unit: 'B',
        ours: one(sizes.all.gzip),
        peer: one(sizes.one.gzip),
        oursLabel: `EMailAgent from a folder of ${wsdls.length} agents`,
        peerLabel: 'EMailAgent from a folder of EMail alone',
        target: 1 / 1.1,
        targetText: '≥ 0.91× (ours ≤ 1.1× the one-agent bundle)',
        notes: [
          `esbuild ${packageVersion('esbuild')}, bundle + minify, ESM for the browser (node: built-ins external), gzip level 9; minified: ${sizes.all.raw} B vs ${sizes.one.raw} B`,
        ],
      }),
    ];
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// 2. Cold start: fresh processes; in-process time and whole-process time.

async function coldStartCase(rounds) {
  log(`\ncold start: fresh processes, ${rounds} rounds after a warm-up`);
  const scripts = {
    ours: join(benchDir, 'cases', 'cold-ours.mjs'),
    peer: join(benchDir, 'cases', 'cold-peer.mjs'),
    empty: join(benchDir, 'cases', 'cold-empty.mjs'),
  };
  const once = async (which) => {
    const res = await runNode([scripts[which]]);
    if (res.code !== 0) throw new Error(`cold start (${which}) failed: ${res.stderr}`);
    const line = JSON.parse(res.stdout.trim().split('\n').at(-1));
    return { processMs: res.ms, inProcessMs: line.inProcessMs, request: line.request };
  };
  const keys = ['ours', 'peer', 'empty'];
  const first = {};
  for (const k of keys) first[k] = await once(k); // warm-up (file cache), also the requests to check
  await verifyColdRequests(first.ours.request, first.peer.request);
  const samples = Object.fromEntries(keys.map((k) => [k, { inProcess: [], process: [] }]));
  for (let r = 0; r < rounds; r++) {
    const order = keys.map((_, i) => keys[(i + r) % keys.length]);
    for (const k of order) {
      const s = await once(k);
      samples[k].inProcess.push(s.inProcessMs);
      samples[k].process.push(s.processMs);
    }
    log(`  round ${r + 1}/${rounds}: in process ours ${fmt(samples.ours.inProcess.at(-1))} ms, node-soap ${fmt(samples.peer.inProcess.at(-1))} ms; whole process ours ${fmt(samples.ours.process.at(-1))} ms, node-soap ${fmt(samples.peer.process.at(-1))} ms, empty node ${fmt(samples.empty.process.at(-1))} ms`);
  }
  const empty = stats(samples.empty.process);
  return [
    row({
      id: 'cold-start',
      title: 'Cold start, in process: import → first SyncEmailAccount request',
      unit: 'ms',
      ours: stats(samples.ours.inProcess),
      peer: stats(samples.peer.inProcess),
      oursLabel: 'import dist/generated/EMail + encodeRequest',
      peerLabel: "require('soap') + createClientAsync(EMail.wsdl) + SyncEmailAccount",
      target: 10,
      targetText: '≥ 10×',
      notes: ['both build the request with the ApplicationToken and Credentials headers; node-soap\'s request is captured by a recording httpClient (no network)'],
    }),
    row({
      id: 'cold-start-process',
      title: 'Cold start, whole process (spawn → exit)',
      unit: 'ms',
      ours: stats(samples.ours.process),
      peer: stats(samples.peer.process),
      oursLabel: 'node bench/cases/cold-ours.mjs',
      peerLabel: 'node bench/cases/cold-peer.mjs',
      notes: [`an empty node process takes ${fmt(empty.min)} / ${fmt(empty.median)} / ${fmt(empty.max)} ms (min/median/max); beyond it: ours ${fmt(stats(samples.ours.process).median - empty.median)} ms, node-soap ${fmt(stats(samples.peer.process).median - empty.median)} ms`],
      extra: { emptyNode: pick(empty) },
    }),
  ];
}

/** Both cold-start requests must carry the same call: decoded with our codec, they are equal. */
async function verifyColdRequests(oursXml, peerXml) {
  const { EMailOperations } = await import('../dist/generated/EMail/index.js');
  const a = EMailOperations.SyncEmailAccount.decodeRequest(oursXml);
  const b = EMailOperations.SyncEmailAccount.decodeRequest(peerXml);
  assert.deepEqual(b, a, 'the cold-start requests of ours and node-soap differ');
  assert.equal(a.input.SyncUserAccount.AccountId, 12);
  assert.equal(a.headers.Credentials.Ticket, REQUEST_HEADERS.Credentials.Ticket);
}

// ---------------------------------------------------------------------------------------------
// 3. Decode: a GetEMailEnvelopes response with DECODE_ITEMS (1,000) EMailEnvelope items.

/** A bare tokenizer pass: indexOf from tag to tag, counting start tags (no names, no text). */
function scanTags(xml) {
  let elements = 0;
  let i = xml.indexOf('<');
  while (i >= 0) {
    const c = xml.charCodeAt(i + 1);
    const end = xml.indexOf('>', i + 1);
    if (end < 0) throw new Error('unterminated tag');
    // Not an end tag (/), PI (?) or declaration/comment (!), and not self-closing.
    if (c !== 47 && c !== 63 && c !== 33) elements++;
    i = xml.indexOf('<', end + 1);
  }
  return elements;
}

function saxPass(sax, xml) {
  const parser = sax.parser(true, null);
  let n = 0;
  parser.onopentag = () => void n++;
  parser.onclosetag = noop;
  parser.ontext = noop;
  parser.write(xml).close();
  return n;
}

function noop() {}

async function decodeCase(rounds) {
  const { EMailOperations } = await import('../dist/generated/EMail/index.js');
  const { parseXml } = await import('../dist/test/support/xml-tree.js');
  const { client } = await createPeerClient();
  const sax = requireFromRoot('sax');
  const saxVersion = packageVersion('sax');

  const { xml, expected } = buildEnvelopesResponse(DECODE_ITEMS);
  const bytes = Buffer.byteLength(xml);
  log(`\ndecode: GetEMailEnvelopes response, ${DECODE_ITEMS} items, ${fmt(bytes / 1e6, 2)} MB, ${rounds} rounds after a warm-up`);

  const op = EMailOperations.GetEMailEnvelopes;
  const oursDecode = () => op.decodeResponse(xml).output;
  const peerDecode = () => client.wsdl.xmlToObject(xml);
  // The same response made invalid at its very end (the last int value is not a number): an
  // error must cost about what a success costs (one parse).
  const lastInt = xml.lastIndexOf('xsd:int">') + 'xsd:int">'.length;
  const invalidXml = `${xml.slice(0, lastInt)}x${xml.slice(lastInt)}`;
  const oursInvalid = () => {
    try {
      op.decodeResponse(invalidXml);
    } catch (err) {
      return err;
    }
    throw new Error('the invalid response decoded');
  };
  assert.match(oursInvalid().message, /is not an integer \(xs:int\) at GetEMailEnvelopesResponse\/Response\/EMailEnvelope\[\d+\]/);

  // Both decoders must accept the bytes and see the same items before anything is timed.
  const ours = oursDecode();
  const peer = peerDecode();
  verifyDecoded(ours, peer, expected);
  const json = JSON.stringify(ours); // Dates become ISO strings
  const jsonBytes = Buffer.byteLength(json);
  const tags = scanTags(xml);
  assert.equal(saxPass(sax, xml), tags, 'sax and the tag scan count the same elements');

  const result = alternate(
    [
      { key: 'ours', fn: oursDecode },
      { key: 'peer', fn: peerDecode },
      { key: 'invalid', fn: oursInvalid },
      { key: 'json', fn: () => JSON.parse(json) },
      { key: 'scan', fn: () => scanTags(xml) },
      { key: 'sax', fn: () => saxPass(sax, xml) },
      { key: 'reader', fn: () => parseXml(xml) },
    ],
    rounds,
    { log },
  );
  const size = `${fmt(bytes / 1e6, 2)} MB XML, ${tags} elements`;
  const base = { unit: 'ms', ours: result.ours, oursLabel: 'EMailOperations.GetEMailEnvelopes.decodeResponse' };
  return [
    row({
      ...base,
      id: 'decode',
      title: `Decode ${DECODE_ITEMS} EMailEnvelope items`,
      peer: result.peer,
      peerLabel: 'node-soap client.wsdl.xmlToObject',
      target: 15,
      targetText: '≥ 15×',
      notes: [`${size}; ours yields typed values (numbers, booleans, Date, string[] flags); node-soap yields {attributes, $value} objects for every element (it keeps the xsi:type attributes)`],
      extra: { bytes, items: DECODE_ITEMS, iterations: { ours: result.ours.iters, peer: result.peer.iters } },
    }),
    row({
      id: 'decode-invalid-at-end',
      title: 'Decode the same response made invalid at its last value (to its DecodeError) vs the valid one',
      unit: 'ms',
      ours: result.invalid,
      oursLabel: 'decodeResponse → DecodeError',
      peer: result.ours,
      peerLabel: 'ours, the valid response',
      target: 1 / 1.3,
      targetText: '≥ 0.77× (an error costs ≤ 1.3× a success)',
    }),
    row({
      ...base,
      id: 'decode-vs-json',
      title: 'Decode vs JSON.parse of the same data',
      peer: result.json,
      peerLabel: `JSON.parse (${fmt(jsonBytes / 1e6, 2)} MB JSON of our decoded value)`,
      target: 1 / 3,
      targetText: '≥ 0.33× (ours within 3× of JSON.parse)',
      extra: { jsonBytes },
    }),
    row({
      ...base,
      id: 'decode-floor-tokenizer',
      title: 'Decode vs a bare tokenizer pass over the same bytes',
      peer: result.scan,
      peerLabel: 'indexOf tag scan (counts start tags)',
    }),
    row({
      ...base,
      id: 'decode-floor-sax',
      title: "Decode vs node-soap's own XML tokenizer alone",
      peer: result.sax,
      peerLabel: `sax ${saxVersion} (node-soap's parser), no-op handlers`,
    }),
    row({
      ...base,
      id: 'decode-xml-reader',
      title: "Decode vs our XML reader alone (share of decode spent reading XML)",
      peer: result.reader,
      peerLabel: 'our parseXml(text) only (no typed decoding)',
    }),
  ];
}

// ---------------------------------------------------------------------------------------------
// 3b. Decode JSON: the same 1,000-EMailEnvelope response as the REST Agents API sends it.

async function decodeJsonCase(rounds) {
  const { EMailOperations } = await import('../dist/generated/EMail/index.js');
  const { restCodec } = await import('../dist/generated/runtime/json.js');
  const op = EMailOperations.GetEMailEnvelopes;
  const rest = restCodec(op);
  const { xml } = buildEnvelopesResponse(DECODE_ITEMS);
  // The JSON body of the same data, written by the JSON codec as the Agents API writes it
  // (.NET date-times, flags as "A, B"), and checked to decode to what the SOAP side decodes.
  const fromSoap = op.decodeResponse(xml).output;
  const text = rest.encodeResponse(fromSoap);
  assert.deepEqual(rest.decodeResponse(text).output, fromSoap, 'the JSON decodes to the same typed value as the XML');
  const bytes = Buffer.byteLength(text);
  log(`\ndecode-json: GetEMailEnvelopes response as the Agents API sends it, ${DECODE_ITEMS} items, ${fmt(bytes / 1e6, 2)} MB JSON, ${rounds} rounds after a warm-up`);
  const result = alternate(
    [
      { key: 'ours', fn: () => rest.decodeResponse(text).output },
      { key: 'json', fn: () => JSON.parse(text) },
    ],
    rounds,
    { log },
  );
  return [
    row({
      id: 'decode-json-vs-json-parse',
      title: `Decode ${DECODE_ITEMS} EMailEnvelope items from JSON (REST) vs JSON.parse of it`,
      unit: 'ms',
      ours: result.ours,
      oursLabel: 'restCodec(EMailOperations.GetEMailEnvelopes).decodeResponse',
      peer: result.json,
      peerLabel: `JSON.parse (${fmt(bytes / 1e6, 2)} MB)`,
      target: 1 / 3,
      targetText: '≥ 0.33× (ours within 3× of JSON.parse)',
      notes: ['ours = JSON.parse plus the typed pass over the schema tables (Date, string[] flags, checks); JSON.parse alone yields strings for dates and flags'],
      extra: { bytes, items: DECODE_ITEMS },
    }),
  ];
}

function verifyDecoded(ours, peer, expected) {
  const items = ours.Response;
  assert.equal(items.length, DECODE_ITEMS, 'ours decodes every item');
  const peerItems = peer.Body.GetEMailEnvelopesResponse.Response.EMailEnvelope;
  assert.equal(peerItems.length, DECODE_ITEMS, 'node-soap decodes every item');
  const text = (v) => (v && typeof v === 'object' ? (v.$value ?? '') : (v ?? ''));
  for (const e of expected) {
    const o = items[e.i];
    assert.equal(o.ServerId, e.serverId);
    assert.equal(o.Subject, e.subject);
    assert.deepEqual(o.Flags, e.flags);
    // Sub-millisecond digits (WCF writes 7) may be rounded or truncated: allow 1 ms.
    assert.ok(o.Sent instanceof Date && Math.abs(o.Sent.getTime() - new Date(e.sent).getTime()) <= 1, `Sent of item ${e.i}`);
    assert.equal(o.To.length, e.nTo);
    assert.equal(String(text(peerItems[e.i].Subject)), e.subject, `node-soap's Subject of item ${e.i}`);
    assert.equal(Number(text(peerItems[e.i].ServerId)), e.serverId);
  }
}

// ---------------------------------------------------------------------------------------------
// 4. Encode: a Send request with 100 full EMailEntity values.


async function encodeCase(rounds) {
  const { EMailOperations } = await import('../dist/generated/EMail/index.js');
  const { client, httpClient } = await createPeerClient();
  const input = buildSendInput(ENCODE_ITEMS);
  const args = toPeerArgs(input); // node-soap's form, converted once (not timed)
  const op = EMailOperations.Send;
  const oursEncode = () => op.encodeRequest(input, REQUEST_HEADERS);
  const peerEncode = () => peerRequest(client, httpClient, 'Send', args);

  const oursXml = oursEncode();
  const peerXml = peerEncode();
  // The same request: both envelopes decode (with our codec) to the input and the headers.
  const a = op.decodeRequest(oursXml);
  const b = op.decodeRequest(peerXml);
  assert.deepEqual(a.input, input, 'our Send request round-trips');
  assert.deepEqual(b, a, "node-soap's Send request carries the same values");
  log(`\nencode: Send request, ${ENCODE_ITEMS} EMailEntity values (ours ${fmt(oursXml.length / 1e3)} kB, node-soap ${fmt(peerXml.length / 1e3)} kB), ${rounds} rounds after a warm-up`);

  const result = alternate(
    [
      { key: 'ours', fn: oursEncode },
      { key: 'peer', fn: peerEncode },
    ],
    rounds,
    { log },
  );
  return [
    row({
      id: 'encode',
      title: `Encode a Send request with ${ENCODE_ITEMS} full EMailEntity values`,
      unit: 'ms',
      ours: result.ours,
      peer: result.peer,
      oursLabel: 'EMailOperations.Send.encodeRequest',
      peerLabel: 'node-soap client.Send (request captured, no network)',
      target: 6,
      targetText: '≥ 6×',
      notes: [
        `ours ${oursXml.length} chars, node-soap ${peerXml.length} chars; both decode (with our codec) to the same values and headers`,
        "node-soap gets its arguments pre-converted (ISO date strings, base64 strings, space-joined flags, {Item: [...]} wrappers) outside the timing; ours converts Date/Uint8Array/string[] inside",
      ],
      extra: { oursChars: oursXml.length, peerChars: peerXml.length, iterations: { ours: result.ours.iters, peer: result.peer.iters } },
    }),
  ];
}

// ---------------------------------------------------------------------------------------------
// 7. SuperOffice Online: a call through the session (cached ticket and tenant state) against a
// plain agent with a fixed baseUrl and ticket (bench/lib/online.mjs). Target: ≤ 1.1× the plain call.
async function onlineSessionCase(rounds) {
  log(`\nonline-session: GetEMailAccount through SuperOfficeClient (environment + tenant + systemUserTicket, cached) vs a plain EMailAgent (baseUrl + ticket); in-memory fetch, CPU time, ${Math.max(rounds, ONLINE_ROUNDS)} rounds`);
  const result = await measureOnlineSession(rounds, log);
  return [
    row({
      id: 'online-session',
      title: 'A call through the Online session (cached ticket and tenant state) vs a plain agent',
      unit: 'µs CPU',
      ours: result.ours,
      peer: result.peer,
      oursLabel: 'SuperOfficeClient({ environment, tenant, ticket: systemUserTicket(…) }).email.getEMailAccount',
      peerLabel: 'new EMailAgent({ baseUrl, ticket }).getEMailAccount',
      target: 1 / 1.1,
      targetText: '≥ 0.91× (session ≤ 1.1× plain)',
      notes: [`both through the same in-memory fetch (canned response); batches of ${result.calls} sequential calls timed in CPU time, ${result.rounds} alternating rounds; the session signed in and resolved the tenant once, before timing, against the fake Online`],
    }),
  ];
}

// ---------------------------------------------------------------------------------------------
// 5. Memory: peak RSS of the decode case, fresh process each.

async function memoryCase(rounds) {
  const tmp = mkdtempSync(join(os.tmpdir(), 'gen-services86-bench-mem-'));
  try {
    const file = join(tmp, 'GetEMailEnvelopes.response.xml');
    writeFileSync(file, buildEnvelopesResponse(DECODE_ITEMS).xml);
    const script = join(benchDir, 'cases', 'decode-memory.mjs');
    const once = async (which, n) => {
      const res = await runNode([script, which, file, String(n)]);
      if (res.code !== 0) throw new Error(`memory (${which}) failed: ${res.stderr}`);
      const line = JSON.parse(res.stdout.trim());
      assert.equal(line.items, DECODE_ITEMS);
      return line;
    };
    const rows = [];
    for (const n of [10, 1]) {
      log(`\nmemory: peak RSS of a fresh process decoding the ${DECODE_ITEMS}-item response ${n === 1 ? 'once' : `${n} times`}, ${rounds} rounds after a warm-up`);
      await once('ours', n);
      await once('peer', n);
      const samples = { ours: [], peer: [], oursSetup: [], peerSetup: [] };
      let source = '';
      for (let r = 0; r < rounds; r++) {
        const order = r % 2 === 0 ? ['ours', 'peer'] : ['peer', 'ours'];
        for (const which of order) {
          const line = await once(which, n);
          samples[which].push(line.peakKb / 1024);
          samples[`${which}Setup`].push(line.setupPeakKb / 1024);
          source = line.source;
        }
        log(`  round ${r + 1}/${rounds}: ours ${fmt(samples.ours.at(-1))} MB, node-soap ${fmt(samples.peer.at(-1))} MB`);
      }
      const os_ = stats(samples.oursSetup);
      const ps = stats(samples.peerSetup);
      rows.push(
        row({
          id: n === 1 ? 'memory-single-decode' : 'memory',
          title: n === 1 ? 'Peak RSS, one decode (for information)' : `Peak RSS of the decode case (${n} decodes)`,
          unit: 'MB',
          ours: stats(samples.ours),
          peer: stats(samples.peer),
          oursLabel: 'fresh process: import client, read file, decode',
          peerLabel: 'fresh process: createClientAsync, read file, xmlToObject',
          target: n === 1 ? undefined : 2,
          targetText: n === 1 ? null : '≥ 2× (at most half of node-soap)',
          notes: [
            `${source}; peak after setup and reading the file (before decoding), median: ours ${fmt(os_.median)} MB, node-soap ${fmt(ps.median)} MB — so decoding added ${fmt(stats(samples.ours).median - os_.median)} MB (ours) vs ${fmt(stats(samples.peer).median - ps.median)} MB (node-soap)`,
          ],
          extra: { decodes: n, setup: { ours: pick(os_), peer: pick(ps) } },
        }),
      );
    }
    return rows;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Report

function machine() {
  const cpus = os.cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    cpu: cpus[0]?.model?.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString(),
    peers: {
      'wsdl-tsclient': packageVersion('wsdl-tsclient'),
      soap: packageVersion('soap'),
    },
  };
}

function packageVersion(name) {
  return JSON.parse(readFileSync(join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')).version;
}

function range(s, unit) {
  const d = unit === 'MB' ? 0 : undefined;
  return `${fmt(s.min, d)} / **${fmt(s.median, d)}** / ${fmt(s.max, d)}`;
}

function ratioText(r) {
  return r >= 10 ? `${r.toFixed(1)}×` : `${r.toFixed(2)}×`;
}

function gapNote(r) {
  if (r.met !== false) return undefined;
  const needOurs = r.peer.median / r.target;
  const factor = r.ours.median / needOurs;
  const what = r.unit === 'MB' ? 'smaller' : 'faster';
  return `**${r.case}** missed: ${ratioText(r.ratio)} measured, ${r.targetText} wanted — ours (median ${fmt(r.ours.median)} ${r.unit}) must get to ≤ ${fmt(needOurs)} ${r.unit}, i.e. ${factor.toFixed(2)}× ${what}.`;
}

function markdown(rows, info, opts) {
  const lines = [];
  lines.push('# gen-services86 benchmark');
  lines.push('');
  lines.push('Generated by `npm run bench` (`node bench/run.mjs`); do not edit by hand.');
  lines.push('Ratio = peer median ÷ ours median (above 1: ours is faster / smaller). Times in ms, memory in MB; min / **median** / max over the rounds.');
  lines.push('');
  lines.push(`Machine: Node ${info.node} (V8 ${info.v8}), ${info.cpu}, ${info.cores} cores, ${info.memoryGb} GB, ${info.os}. Peers: wsdl-tsclient ${info.peers['wsdl-tsclient']}, soap (node-soap) ${info.peers.soap}. Run: ${info.date}, ${opts.rounds} rounds${opts.only.length < CASES.length ? ` (this run: ${opts.only.join(', ')}; other rows from earlier runs)` : ''}.`);
  lines.push('');
  lines.push('| case | ours min / median / max | peer | peer min / median / max | ratio (peer ÷ ours) | target | met? |');
  lines.push('| --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    const met = r.met === null ? '—' : r.met ? 'yes' : '**no**';
    lines.push(`| ${r.title} | ${range(r.ours, r.unit)} ${r.unit} | ${r.peerLabel} | ${range(r.peer, r.unit)} ${r.unit} | ${ratioText(r.ratio)} | ${r.targetText ?? '—'} | ${met} |`);
  }
  const missed = rows.map(gapNote).filter(Boolean);
  lines.push('');
  lines.push('## Missed targets');
  lines.push('');
  if (missed.length === 0) lines.push('None.');
  for (const m of missed) lines.push(`- ${m}`);
  lines.push('');
  lines.push('## Notes');
  lines.push('');
  for (const r of rows) for (const n of r.notes) lines.push(`- ${r.case}: ${n}`);
  lines.push('');
  lines.push('## Method');
  lines.push('');
  lines.push('- Every case runs ours and the peer alternately (the order rotating per round) after a warm-up; in-process cases time batches of calls after a forced GC and report time per call.');
  lines.push('- Generate: `node dist/generator/cli.js <wsdl…> -o <fresh tmp> -q` vs `node node_modules/.bin/wsdl-tsclient <wsdl…> -o <fresh tmp> --quiet`, wall time from spawn to exit.');
  lines.push('- Cold start: `bench/cases/cold-ours.mjs` / `cold-peer.mjs` in fresh processes; the in-process time is measured inside the child, the whole-process time by the parent.');
  lines.push(`- Decode/encode inputs: \`bench/lib/fixtures.mjs\` (the decode response is templated from the documented GetEMailEnvelopes response, SOAP 1.1, xsi:type on every element, values varied). Both sides are checked to produce/accept the same data before timing.`);
  lines.push('- Ours at run time is the compiled checked-in client: `dist/generated/EMail/` and its runtime copy `dist/generated/runtime/` (copied from `templates/runtime/` by the generator). After changing `templates/runtime/`, regenerate `generated/` (`npm run golden:update`) before benchmarking.');
  lines.push('- Profile ours: `node bench/profile.mjs decode|encode|reader|cold-start|generate-email|generate-all`.');
  lines.push('- Tricks: `bench/cases/trick-ab.mjs` per trick, in `node --single-threaded` processes driven round by round (round r of every trick before round r + 1 of any); with and without the trick alternate, a sample is the fastest of a few batches of decodes in CPU time, each batch after a forced GC (the counts are in the notes of each row); a trick is kept only if it wins ≥ 1.05× with the interquartile ranges apart.');
  lines.push('- Memory: `bench/cases/decode-memory.mjs` in fresh processes; peak RSS is VmHWM from /proc/self/status at the end of the child.');
  lines.push(`- Output: the generator of commit ${PREVIOUS_DESIGN_COMMIT} (before shared types) is extracted with \`git archive\` into a temp folder and built (\`bench/lib/design.mjs\`); both generate all 56 WSDLs in one run, then \`tsc -p\` type-checks each output as a consumer project would.`);
  lines.push('');
  return lines.join('\n');
}

function printTable(rows) {
  const header = ['case', 'ours median', 'peer median', 'ratio', 'target', 'met'];
  const body = rows.map((r) => [r.case, `${fmt(r.ours.median)} ${r.unit}`, `${fmt(r.peer.median)} ${r.unit}`, ratioText(r.ratio), r.targetText ?? '—', r.met === null ? '—' : r.met ? 'yes' : 'NO']);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  log('');
  log(line(header));
  log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const b of body) log(line(b));
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  for (const f of [OUR_CLI, join(distDir, 'generated', 'EMail', 'index.js'), join(distDir, 'generated', 'runtime', 'index.js')]) {
    if (!existsSync(f)) {
      process.stderr.write(`bench: ${f} is missing; run "npm run build" first\n`);
      process.exit(1);
    }
  }
  if (opts.rounds < MIN_ROUNDS) log(`note: ${opts.rounds} rounds is below the ${MIN_ROUNDS} the benchmark is specified with`);
  const info = machine();
  log(`gen-services86 bench — Node ${info.node}, ${info.cpu} (${info.cores} cores), rounds ${opts.rounds}, cases ${opts.only.join(', ')}`);
  const started = Date.now();

  const allWsdls = readdirSync(wsdlDir).filter((f) => f.endsWith('.wsdl')).sort().map((f) => join(wsdlDir, f));
  const rows = [];
  for (const c of opts.only) {
    if (c === 'generate-email') rows.push(await generateCase(c, 'Generate EMail.wsdl (whole process)', [emailWsdl], opts.rounds, 3));
    if (c === 'generate-all') rows.push(await generateCase(c, `Generate all ${allWsdls.length} Services86 WSDLs in one run (whole process)`, allWsdls, opts.rounds, 5));
    if (c === 'watch') rows.push(await watchCase(allWsdls, opts.rounds));
    if (c === 'cold-start') rows.push(...(await coldStartCase(opts.rounds)));
    if (c === 'decode') rows.push(...(await decodeCase(opts.rounds)));
    if (c === 'decode-json') rows.push(...(await decodeJsonCase(opts.rounds)));
    if (c === 'encode') rows.push(...(await encodeCase(opts.rounds)));
    if (c === 'memory') rows.push(...(await memoryCase(opts.rounds)));
    if (c === 'tricks') rows.push(...(await tricksCase(opts.rounds)));
    if (c === 'output') rows.push(...(await outputCase(allWsdls, opts.rounds)));
    if (c === 'bundle') rows.push(...(await bundleCase(allWsdls)));
    if (c === 'online-session') rows.push(...(await onlineSessionCase(opts.rounds)));
  }

  // Keep earlier rows of cases this run did not measure (with --only).
  const jsonPath = join(benchDir, 'results.json');
  let merged = rows;
  if (opts.only.length < CASES.length && existsSync(jsonPath)) {
    try {
      const earlier = JSON.parse(readFileSync(jsonPath, 'utf8'));
      const order = ['generate-email', 'generate-all', 'watch', 'cold-start', 'cold-start-process', 'decode', 'decode-invalid-at-end', 'decode-vs-json', 'decode-floor-tokenizer', 'decode-floor-sax', 'decode-xml-reader', 'decode-json-vs-json-parse', 'encode', 'memory', 'memory-single-decode', ...TRICKS.map((t) => t.id), 'output-bytes', 'output-tsc', 'bundle-one-call', 'online-session'];
      // Rows of cases that no longer exist (a trick that was removed) are dropped.
      const byCase = new Map(earlier.filter((r) => order.includes(r.case)).map((r) => [r.case, r]));
      for (const r of rows) byCase.set(r.case, r);
      merged = [...byCase.values()].sort((a, b) => order.indexOf(a.case) - order.indexOf(b.case));
    } catch {
      // unreadable earlier results: write this run's rows only
    }
  }
  const jsonRows = merged.map((r) => ({ ...r, machine: r.machine ?? info }));
  writeFileSync(jsonPath, JSON.stringify(jsonRows, null, 2) + '\n');
  writeFileSync(join(benchDir, 'results.md'), markdown(merged, info, opts));
  updateReadme(); // README.md quotes the tables of results.md (bench/readme-bench.mjs)
  printTable(merged);
  const missed = merged.map(gapNote).filter(Boolean);
  for (const m of missed) log(m.replace(/\*\*/g, ''));
  log(`\nwrote bench/results.md and bench/results.json (${((Date.now() - started) / 1000).toFixed(0)} s)`);
}

main().catch((err) => {
  process.stderr.write(`bench: ${err?.stack ?? err}\n`);
  process.exit(1);
});
