// Starting the reader threads (pool.ts uses them). A thread takes a while to start — a fresh V8
// isolate loading Node's internals and the reader's modules, ≈ 50 ms on a quiet machine and
// several times that on a busy one —, so the CLI starts them first thing (prestartWorkers), before
// it loads the generator's own modules, and the pool takes them over when the run begins. This
// module imports nothing of the generator for that reason.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/** Below this many WSDLs, starting a worker costs more than it saves. */
const MIN_WSDLS_FOR_WORKERS = 6;

/** A started worker and its end: resolved when it exits normally, rejected when it fails (also before it was given work). */
export interface Started {
  readonly worker: Worker;
  readonly ended: Promise<void>;
}

/** How many workers a run over `inputs` inputs uses: one per spare core and per 6 inputs, three at most. */
export function workersFor(inputs: number): number {
  return Math.max(0, Math.min(availableParallelism() - 1, 3, Math.floor(inputs / MIN_WSDLS_FOR_WORKERS)));
}

function startWorker(): Started {
  const worker = new Worker(new URL('./worker.js', import.meta.url));
  // Until it is given work, a worker does not keep the process alive.
  worker.unref();
  const ended = new Promise<void>((resolve, reject) => {
    worker.on('error', reject);
    worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`a generator worker exited with code ${code}`))));
  });
  ended.catch(() => {}); // reported by the pool, when the worker's results are awaited
  return { worker, ended };
}

/** Workers started before the run that will use them. */
const early: Started[] = [];

/** Starts the workers a run over about `inputs` inputs will use, ahead of it. */
export function prestartWorkers(inputs: number): void {
  while (early.length < workersFor(inputs)) early.push(startWorker());
}

/** `count` started workers: those started ahead first (any left over are stopped), then new ones. */
export function takeWorkers(count: number): Started[] {
  const taken = early.splice(0, count);
  for (const { worker } of early.splice(0)) void worker.terminate();
  while (taken.length < count) taken.push(startWorker());
  return taken;
}
