// One speed trick of the runtime, with and without: node bench/cases/trick-ab.mjs TRICK-ID.
// bench/run.mjs (case `tricks`) starts one such process per trick, so no trick's copies share a
// heap, JIT feedback or interned strings with another's, and drives them round by round: each
// stdin line "round" times one round and answers one JSON line { with, without } (CPU ms per
// decode); "end" ends the process. Round r of every trick runs before round r + 1 of any, so a
// burst of load from a neighbour on this shared machine spoils a round or two of each trick rather
// than a whole run of one.
//
// Both contenders are copies of the compiled runtime made the same way (bench/lib/tricks.mjs):
// "with" unchanged, "without" with the trick's code replaced by the plain way. Each is checked to
// decode the bench's response to the same values and warmed up on its own before the first round
// ("ready" is printed then). In a round both are timed, alternately, in an order that swaps every
// round. A batch is a fixed number of decodes after a forced GC, timed in CPU time per decode:
// large enough that its scavenges and a timer tick are a small part of it. For a trick that
// targets decodes after a full GC (gcBetween), every decode of the batch follows a gc() that is not
// timed. A round's sample of each contender is the fastest of REPEATS batches: CPU time still
// grows when a neighbour shares the core (this machine's two CPUs are shared by four engineers'
// builds), and only ever grows, so the fastest batch is the one closest to what the code costs.
import assert from 'node:assert/strict';
import { createInterface } from 'node:readline';
import { cpuMs, gc, REQUEST_HEADERS } from '../lib/common.mjs';
import { buildEnvelopesResponse, buildSendInput, DECODE_ITEMS, ENCODE_ITEMS } from '../lib/fixtures.mjs';
import { copyRuntime, importCopy, importCopyRuntime, TRICKS } from '../lib/tricks.mjs';

/** Batches per contender and round, alternating; the fastest counts. */
const REPEATS = 3;
/** Warm-up per contender: decodes before any sample (the optimizing compiler settles). */
const WARM_UP = 40;

const [id] = process.argv.slice(2);
const trick = TRICKS.find((t) => t.id === id);
if (!trick) {
  process.stderr.write(`usage: trick-ab.mjs ${TRICKS.map((t) => t.id).join('|')}\n`);
  process.exit(2);
}
/**
 * Calls per sample (≈ 0.2–0.3 s of CPU on this machine); a JSON decode costs about a sixth of an XML
 * one, and an encode of the bench's Send request (trick.encode) about a quarter.
 */
const BATCH = trick.json ? 48 : trick.encode ? 32 : 8;

const { xml } = buildEnvelopesResponse(DECODE_ITEMS);
const contenders = [];
/** A JSON trick (trick.json) decodes the same response as the Agents API sends it, written by the "with" copy's JSON codec. */
let json;
for (const [key, replace] of [
  ['with', []],
  ['without', trick.replace],
]) {
  const dir = copyRuntime(`${trick.id}-${key}`, replace);
  const op = (await importCopy(dir)).EMailOperations.GetEMailEnvelopes;
  if (trick.encode) {
    const send = (await importCopy(dir)).EMailOperations.Send;
    const input = buildSendInput(ENCODE_ITEMS);
    contenders.push({ key, decode: () => send.encodeRequest(input, REQUEST_HEADERS) });
  } else if (trick.json) {
    const rest = (await importCopyRuntime(dir, 'json.js')).restCodec(op);
    json ??= rest.encodeResponse(op.decodeResponse(xml).output);
    contenders.push({ key, decode: () => rest.decodeResponse(json).output });
  } else {
    contenders.push({ key, decode: () => op.decodeResponse(xml).output });
  }
}
assert.deepStrictEqual(contenders[1].decode(), contenders[0].decode(), `${trick.id}: the knocked-out runtime decodes (or encodes) the same values`);

/** CPU ms per decode over one batch. */
function sample(decode) {
  gc();
  let sink;
  let spent = 0;
  if (trick.gcBetween) {
    for (let i = 0; i < BATCH; i++) {
      gc();
      const t0 = cpuMs();
      sink = decode();
      spent += cpuMs() - t0;
    }
  } else {
    const t0 = cpuMs();
    for (let i = 0; i < BATCH; i++) sink = decode();
    spent = cpuMs() - t0;
  }
  if (sink === undefined) throw new Error('a decode returned nothing');
  return spent / BATCH;
}

for (const c of contenders) for (let i = 0; i < WARM_UP; i++) c.decode();
process.stdout.write(JSON.stringify({ ready: true, batch: BATCH, repeats: REPEATS }) + '\n');
let round = 0;
for await (const line of createInterface({ input: process.stdin })) {
  if (line !== 'round') break;
  const order = round++ % 2 === 0 ? contenders : [...contenders].reverse();
  const out = { with: Infinity, without: Infinity };
  for (let i = 0; i < REPEATS; i++) for (const c of order) out[c.key] = Math.min(out[c.key], sample(c.decode));
  process.stdout.write(JSON.stringify(out) + '\n');
}
