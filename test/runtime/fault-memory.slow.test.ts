// Issue 15, item 4: a Fault is read by the streaming reader, so its cost is bounded by its size.
// A 60 MiB Fault with ~7.5 million `detail` children (under the 64 MiB default response limit)
// is decoded in a child process of its own, so that the peak resident memory measured is the
// decode's and nothing else's: it must stay within 8× the message's size, and the error's message
// within 64 KiB. (Before the streaming Fault reader: 8–10 s and 1.7 GiB for this input.)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../support/paths.js';

const CHILD = `
const { EMailOperations } = await import(process.argv[1]);
const head = '<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode>s:Server</faultcode><faultstring>' + 'r'.repeat(20 * 1024 * 1024) + '</faultstring><detail>';
const tail = '</detail></s:Fault></s:Body></s:Envelope>';
const target = 60 * 1024 * 1024;
const children = Math.ceil((target - head.length - tail.length) / 8);
const xml = head + '<a>x</a>'.repeat(children) + tail;
let error;
try { EMailOperations.GetEMailAccount.decodeResponse(xml); } catch (e) { error = e; }
process.stdout.write(JSON.stringify({
  bytes: xml.length,
  errorName: error?.constructor?.name,
  messageLength: String(error?.message).length,
  reasonLength: error?.reason?.length,
  maxRssBytes: process.resourceUsage().maxRSS * 1024,
}));
`;

test('a 60 MiB Fault decodes with peak memory within 8× its size and a message under 64 KiB', { timeout: 120_000 }, () => {
  const operations = pathToFileURL(join(repoRoot, 'dist', 'generated', 'EMail', 'operations.js')).href;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', CHILD, operations], { encoding: 'utf8' });
  assert.equal(child.status, 0, child.stderr);
  const r = JSON.parse(child.stdout) as { bytes: number; errorName: string; messageLength: number; reasonLength: number; maxRssBytes: number };
  assert.ok(r.bytes >= 60 * 1024 * 1024, `the Fault is ${r.bytes} bytes`);
  assert.equal(r.errorName, 'SoapFaultError');
  assert.ok(r.messageLength < 64 * 1024, `the message has ${r.messageLength} characters`);
  assert.ok(r.reasonLength < 64 * 1024, `the reason has ${r.reasonLength} characters`);
  const ratio = r.maxRssBytes / r.bytes;
  assert.ok(ratio <= 8, `peak RSS ${(r.maxRssBytes / 2 ** 20).toFixed(0)} MiB is ${ratio.toFixed(2)}× the ${(r.bytes / 2 ** 20).toFixed(0)} MiB Fault (at most 8×)`);
  console.log(`# fault-memory: ${(r.bytes / 2 ** 20).toFixed(0)} MiB Fault, peak RSS ${(r.maxRssBytes / 2 ** 20).toFixed(0)} MiB (${ratio.toFixed(2)}×), message ${r.messageLength} characters`);
});
