// Cold start, ours: in a fresh process, from the start of importing the generated EMail client
// to the first SyncEmailAccount request envelope built. Prints one JSON line.
const t0 = performance.now();
const { EMailOperations } = await import('../../dist/generated/EMail/index.js');
const xml = EMailOperations.SyncEmailAccount.encodeRequest(
  { SyncUserAccount: { AccountId: 12, AssociateName: 'jdoe & co', AssociateId: 5 } },
  { ApplicationToken: 'app-token-5f2c9e1b7d', Credentials: { Ticket: '7T:dGhpcyBpcyBhIHRpY2tldA==' } },
);
const t1 = performance.now();
process.stdout.write(JSON.stringify({ inProcessMs: t1 - t0, sinceNodeStartMs: t1, request: xml }) + '\n');
