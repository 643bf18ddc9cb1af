// Memory of the decode case in a fresh process: node bench/cases/decode-memory.mjs ours|peer FILE [N]
// Sets up the decoder (ours: import the generated client; node-soap: createClientAsync on
// EMail.wsdl), reads the GetEMailEnvelopes response from FILE, decodes it N times (default 10;
// only the latest result stays reachable) and prints the peak RSS (VmHWM) after setup and at the
// end, as one JSON line.
import { readFileSync } from 'node:fs';
import { memoryKb } from '../lib/common.mjs';

const [which, file, n = '10'] = process.argv.slice(2);
if ((which !== 'ours' && which !== 'peer') || !file) {
  process.stderr.write('usage: decode-memory.mjs ours|peer FILE [N]\n');
  process.exit(2);
}
let decode;
if (which === 'ours') {
  const { EMailOperations } = await import('../../dist/generated/EMail/index.js');
  decode = (xml) => EMailOperations.GetEMailEnvelopes.decodeResponse(xml).output.Response.length;
} else {
  const { createPeerClient } = await import('../lib/peer.mjs');
  const { client } = await createPeerClient();
  decode = (xml) => client.wsdl.xmlToObject(xml).Body.GetEMailEnvelopesResponse.Response.EMailEnvelope.length;
}
const xml = readFileSync(file, 'utf8');
const setup = memoryKb();
let items = 0;
for (let i = 0; i < Number(n); i++) items = decode(xml);
const end = memoryKb();
process.stdout.write(JSON.stringify({ which, items, setupPeakKb: setup.peakKb, peakKb: end.peakKb, rssKb: end.rssKb, source: end.source }) + '\n');
