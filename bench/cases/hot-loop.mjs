// A hot loop over one of our codecs, for profiling: node --cpu-prof bench/cases/hot-loop.mjs decode|encode|reader [MS]
// (bench/profile.mjs runs it and summarises the profile).
import { REQUEST_HEADERS } from '../lib/common.mjs';
import { buildEnvelopesResponse, buildSendInput } from '../lib/fixtures.mjs';

const [what = 'decode', msArg = '4000'] = process.argv.slice(2);
const { EMailOperations } = await import('../../dist/generated/EMail/index.js');
const { parseXml } = await import('../../dist/test/support/xml-tree.js');
let fn;
if (what === 'decode' || what === 'reader') {
  const { xml } = buildEnvelopesResponse();
  fn = what === 'decode' ? () => EMailOperations.GetEMailEnvelopes.decodeResponse(xml) : () => parseXml(xml);
} else if (what === 'encode') {
  const input = buildSendInput(100);
  fn = () => EMailOperations.Send.encodeRequest(input, REQUEST_HEADERS);
} else {
  process.stderr.write('usage: hot-loop.mjs decode|encode|reader [MS]\n');
  process.exit(2);
}
const end = performance.now() + Number(msArg);
let calls = 0;
while (performance.now() < end) {
  fn();
  calls++;
}
process.stdout.write(JSON.stringify({ what, calls, msPerCall: Number(msArg) / calls }) + '\n');
