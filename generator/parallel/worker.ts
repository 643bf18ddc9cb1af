// A generator worker: reads its share of the WSDLs in order and posts each outcome; stops at
// its first failure, as a sequential run would.
import { parentPort, workerData } from 'node:worker_threads';
import { readAgent } from '../generate-agent.js';
import { toOutcome, type WorkerRequest } from './protocol.js';

const request = workerData as WorkerRequest;
for (let k = 0; k < request.paths.length; k++) {
  const outcome = toOutcome(() => readAgent(request.paths[k]!));
  parentPort!.postMessage({ index: request.indexes[k], outcome });
  if ('failure' in outcome) break;
}
