// Cold start, ours: in a fresh process, from the start of importing the generated EMail client
// to the first SyncEmailAccount request envelope built. Prints one JSON line. By default the
// compiled checked-in client (dist/generated); given a folder, the copy of dist/generated in it
// (bench/lib/tricks.mjs copyRuntime: a cold-start trick's "with" and "without").
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [copy] = process.argv.slice(2);
const entry = copy ? pathToFileURL(join(copy, 'generated', 'EMail', 'index.js')).href : '../../dist/generated/EMail/index.js';
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const { EMailOperations } = await import(entry);
const xml = EMailOperations.SyncEmailAccount.encodeRequest(
  { SyncUserAccount: { AccountId: 12, AssociateName: 'jdoe & co', AssociateId: 5 } },
  { ApplicationToken: 'app-token-5f2c9e1b7d', Credentials: { Ticket: '7T:dGhpcyBpcyBhIHRpY2tldA==' } },
);
const t1 = performance.now();
const cpu = process.cpuUsage(cpu0);
process.stdout.write(JSON.stringify({ inProcessMs: t1 - t0, cpuMs: (cpu.user + cpu.system) / 1000, sinceNodeStartMs: t1, request: xml }) + '\n');
