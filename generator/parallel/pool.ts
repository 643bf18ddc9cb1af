// Reads many WSDLs on worker threads: one per spare core, plus the main thread. Each WSDL is
// independent, so the split only changes the wall time, never the output: outcomes are returned
// in input order, one per input, failures included (every failing input is reported).
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { readAgent } from '../generate-agent.js';
import type { LoadedInput } from '../input/load.js';
import { toOutcome, type Outcome, type WorkerRequest } from './protocol.js';

/** Below this many WSDLs, starting a worker costs more than it saves. */
const MIN_WSDLS_FOR_WORKERS = 6;

export async function readInParallel(inputs: readonly LoadedInput[]): Promise<Outcome[]> {
  const workers = Math.min(availableParallelism() - 1, 3, Math.floor(inputs.length / MIN_WSDLS_FOR_WORKERS));
  if (workers <= 0) return inputs.map((input) => toOutcome(() => readAgent(input)));

  // Largest inputs first, each to the least-loaded lane; lane 0 is the main thread.
  const lanes = Array.from({ length: workers + 1 }, () => ({ load: 0, indexes: [] as number[] }));
  const order = inputs.map((input, i) => ({ i, size: input.text.length })).sort((a, b) => b.size - a.size || a.i - b.i);
  for (const { i, size } of order) {
    const lane = lanes.reduce((min, l) => (l.load < min.load ? l : min));
    lane.indexes.push(i);
    lane.load += size + 50_000; // a fixed cost per WSDL, so many small files spread too
  }
  for (const lane of lanes) lane.indexes.sort((a, b) => a - b);

  const outcomes: Outcome[] = new Array(inputs.length);
  const jobs = lanes.slice(1).map((lane) => runWorker(lane.indexes, inputs, outcomes));
  // The main thread does its share meanwhile.
  for (const i of lanes[0]!.indexes) outcomes[i] = toOutcome(() => readAgent(inputs[i]!));
  await Promise.all(jobs);
  for (let i = 0; i < inputs.length; i++) {
    outcomes[i] ??= { failure: { kind: 'internal', message: `a generator worker returned no result for ${inputs[i]!.input}` } };
  }
  return outcomes;
}

function runWorker(indexes: readonly number[], inputs: readonly LoadedInput[], outcomes: Outcome[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const request: WorkerRequest = { indexes: [...indexes], inputs: indexes.map((i) => inputs[i]!) };
    const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: request });
    worker.on('message', (m: { index: number; outcome: Outcome }) => {
      outcomes[m.index] = m.outcome;
    });
    worker.on('error', reject);
    worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`a generator worker exited with code ${code}`))));
  });
}
