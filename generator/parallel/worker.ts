// A generator worker: reads its share of the WSDLs in order and posts each outcome, failures
// included, so every failing input is reported.
import { parentPort, workerData } from 'node:worker_threads';
import { readAgent } from '../generate-agent.js';
import { toOutcome, type WorkerRequest } from './protocol.js';

const request = workerData as WorkerRequest;
for (let k = 0; k < request.inputs.length; k++) {
  const outcome = toOutcome(() => readAgent(request.inputs[k]!));
  parentPort!.postMessage({ index: request.indexes[k], outcome });
}
