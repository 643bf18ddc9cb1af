// Cold start, node-soap: in a fresh process, from require('soap') through createClientAsync on
// EMail.wsdl to the first SyncEmailAccount request envelope built (captured by a recording HTTP
// client, no network). Prints one JSON line.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(new URL('../../package.json', import.meta.url));
const TNS = 'http://www.superoffice.net/ws/crm/NetServer/Services86';

const t0 = performance.now();
const soap = require('soap');
let request;
const httpClient = { request: (_url, data) => void (request = data) };
const client = await soap.createClientAsync(`${repoRoot}test/fixtures/wsdl/EMail.wsdl`, {
  httpClient,
  endpoint: 'http://127.0.0.1:9/Remote/Services86/EMail.svc',
});
client.addSoapHeader({ ApplicationToken: 'app-token-5f2c9e1b7d' }, '', 'tns', TNS);
client.addSoapHeader({ Credentials: { Ticket: '7T:dGhpcyBpcyBhIHRpY2tldA==' } }, '', 'tns', TNS);
client.SyncEmailAccount({ SyncUserAccount: { AccountId: 12, AssociateName: 'jdoe & co', AssociateId: 5 } }, () => {});
const t1 = performance.now();
if (request === undefined) throw new Error('node-soap did not build the request synchronously');
process.stdout.write(JSON.stringify({ inProcessMs: t1 - t0, sinceNodeStartMs: t1, request }) + '\n');
