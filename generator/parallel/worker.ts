// A generator worker: waits for the run's inputs, then reads the next one not yet taken (by the
// main thread or another worker) until none is left, posting each outcome, failures included, so
// every failing input is reported; then it says it is done (the run goes on) and ends.
import { parentPort } from 'node:worker_threads';
import { readAgent } from '../generate-agent.js';
import { textOfFileBytes, type LoadedInput } from '../input/load.js';
import { toOutcome, type MovedInput, type WorkerMessage, type WorkerRequest } from './protocol.js';

parentPort!.once('message', (request: WorkerRequest) => {
  const next = new Int32Array(request.next);
  for (let k = Atomics.add(next, 0, 1); k < request.inputs.length; k = Atomics.add(next, 0, 1)) {
    const input = request.inputs[k]!;
    const message: WorkerMessage = { index: request.indexes[k]!, outcome: toOutcome(() => readAgent(loadedInput(input))) };
    parentPort!.postMessage(message);
  }
  parentPort!.postMessage({ done: true } satisfies WorkerMessage);
  parentPort!.close();
});

/** The input as the main thread loaded it: a moved file's bytes decoded as they were there. */
function loadedInput(input: LoadedInput | MovedInput): LoadedInput {
  if (!('bytes' in input)) return input;
  const { bytes, ...rest } = input;
  return { ...rest, text: textOfFileBytes(bytes, rest.ref) };
}
