// Reads many WSDLs on worker threads: one per spare core, plus the main thread. Each WSDL is
// independent, so the split only changes the wall time, never the output: results are returned
// in input order, and a failure is reported for the first failing WSDL in input order.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { GenerateError } from '../errors.js';
import { readAgent, type ReadResult } from '../generate-agent.js';
import { statSync } from 'node:fs';
import { toOutcome, fromFailure, type Outcome, type WorkerRequest } from './protocol.js';

/** Below this many WSDLs, starting a worker costs more than it saves. */
const MIN_WSDLS_FOR_WORKERS = 6;

export async function readInParallel(paths: readonly string[], templatesDir: string): Promise<ReadResult[]> {
  const workers = Math.min(availableParallelism() - 1, 3, Math.floor(paths.length / MIN_WSDLS_FOR_WORKERS));
  if (workers <= 0) return paths.map((p) => readAgent(p));

  // Largest files first, each to the least-loaded lane; lane 0 is the main thread.
  const lanes = Array.from({ length: workers + 1 }, () => ({ load: 0, indexes: [] as number[] }));
  const sizeOf = (p: string) => {
    try {
      return statSync(p).size;
    } catch {
      return 0;
    }
  };
  const order = paths.map((p, i) => ({ i, size: sizeOf(p) })).sort((a, b) => b.size - a.size || a.i - b.i);
  for (const { i, size } of order) {
    const lane = lanes.reduce((min, l) => (l.load < min.load ? l : min));
    lane.indexes.push(i);
    lane.load += size + 50_000; // a fixed cost per WSDL, so many small files spread too
  }
  for (const lane of lanes) lane.indexes.sort((a, b) => a - b);

  const outcomes: Outcome[] = new Array(paths.length);
  const jobs = lanes.slice(1).map((lane) => runWorker(lane.indexes, paths, templatesDir, outcomes));
  // The main thread does its share meanwhile (it stops at its first failure, like a worker).
  for (const i of lanes[0]!.indexes) {
    outcomes[i] = toOutcome(() => readAgent(paths[i]!));
    if ('failure' in outcomes[i]!) break;
  }
  await Promise.all(jobs);

  const results: ReadResult[] = [];
  for (let i = 0; i < paths.length; i++) {
    const outcome = outcomes[i];
    // A lane stops at its first failure; a missing outcome is after a failure in the same lane.
    if (!outcome) continue;
    if ('failure' in outcome) throw fromFailure(outcome.failure);
    results.push(outcome.result);
  }
  if (results.length !== paths.length) throw new GenerateError('internal error: a worker returned no result');
  return results;
}

function runWorker(indexes: readonly number[], paths: readonly string[], templatesDir: string, outcomes: Outcome[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const request: WorkerRequest = { indexes: [...indexes], paths: indexes.map((i) => paths[i]!), templatesDir };
    const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: request });
    worker.on('message', (m: { index: number; outcome: Outcome }) => {
      outcomes[m.index] = m.outcome;
    });
    worker.on('error', reject);
    worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`a generator worker exited with code ${code}`))));
  });
}
