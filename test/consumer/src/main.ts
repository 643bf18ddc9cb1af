// Builds one SyncEmailAccount request envelope with the generated EMail client and prints it.
// Nothing here touches the network: the agent is only constructed, never called.
import { EMailAgent, EMailOperations } from './generated/EMail/index.js';
import type { EMailRequestHeaders, SyncEmailAccountRequest } from './generated/EMail/index.js';

const request: SyncEmailAccountRequest = {
  SyncUserAccount: { AccountId: 0, AssociateName: '', AssociateId: 0 },
};

const headers: EMailRequestHeaders = {
  ApplicationToken: '1234567-1234-9876',
  Credentials: { Ticket: '7T:1234abcxyzExample==' },
};

const envelope: string = EMailOperations.SyncEmailAccount.encodeRequest(request, headers);
process.stdout.write(`${envelope}\n`);

// Type-checks the agent class and its options; port 9 (discard) is never contacted.
const agent = new EMailAgent({ endpoint: 'http://127.0.0.1:9/x' });
const call: (input: SyncEmailAccountRequest) => Promise<unknown> = (input) => agent.syncEmailAccount(input);
void call;
