// A time limit longer than a timer can wait. The options allow any finite number >= 0, and a very
// large one is a natural way to say "practically no limit"; but Node fires a timer of more than
// 2^31 - 1 ms (24.8 days) after 1 ms (TimeoutOverflowWarning), so every call failed at once with
// "no complete response within 9007199254740991 ms". Against a real server on 127.0.0.1.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { EMailAgent, EMailOperations } from '../../generated/EMail/index.js';

let server: http.Server;
let endpoint = '';
before(async () => {
  server = http.createServer((req, res) => {
    req.resume();
    // Answers after 30 ms: longer than the 1 ms an overflowing timer waits.
    req.on('end', () =>
      setTimeout(() => {
        res.writeHead(200, { 'Content-Type': 'text/xml; charset=utf-8' });
        res.end(EMailOperations.GetEMailAccount.encodeResponse({ Response: { EMailAccountId: 1 } }, { Succeeded: true }));
      }, 30),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/Remote/Services86/EMail.svc`;
});
after(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));

test('timeoutMs of 2^31 ms or Number.MAX_SAFE_INTEGER: the call waits for its answer, no timer overflows', async () => {
  const overflows: string[] = [];
  const onWarning = (w: Error) => void (w.name === 'TimeoutOverflowWarning' && overflows.push(w.message));
  process.on('warning', onWarning);
  try {
    for (const timeoutMs of [2 ** 31, Number.MAX_SAFE_INTEGER]) {
      // A new agent each time: its first call loads call.ts under the same limit (agent.ts firstLoad).
      const agent = new EMailAgent({ endpoint, timeoutMs });
      assert.equal((await agent.getEMailAccount({ EMailAccountId: 1 }))?.EMailAccountId, 1, `agent timeoutMs ${timeoutMs}`);
      assert.equal((await new EMailAgent({ endpoint }).getEMailAccount({ EMailAccountId: 1 }, { timeoutMs }))?.EMailAccountId, 1, `call timeoutMs ${timeoutMs}`);
    }
    await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
  } finally {
    process.off('warning', onWarning);
  }
  assert.deepEqual(overflows, []);
});
