// A generator worker: waits for the run's inputs, then reads the next one not yet taken (by the
// main thread or another worker) until none is left, posting each outcome, failures included, so
// every failing input is reported; then it says it is done (the run goes on) and ends.
import { parentPort } from 'node:worker_threads';
import { readAgent } from '../generate-agent.js';
import { toOutcome, type WorkerMessage, type WorkerRequest } from './protocol.js';

parentPort!.once('message', (request: WorkerRequest) => {
  const next = new Int32Array(request.next);
  for (let k = Atomics.add(next, 0, 1); k < request.inputs.length; k = Atomics.add(next, 0, 1)) {
    const message: WorkerMessage = { index: request.indexes[k]!, outcome: toOutcome(() => readAgent(request.inputs[k]!)) };
    parentPort!.postMessage(message);
  }
  parentPort!.postMessage({ done: true } satisfies WorkerMessage);
  parentPort!.close();
});
