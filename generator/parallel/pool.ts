// Reads many WSDLs on worker threads (one per spare core and per MIN_WSDLS_FOR_WORKERS inputs,
// MAX_WORKERS at most) and the main thread. Each WSDL is independent, so the split only changes the wall time, never the
// output: outcomes are returned in input order, one per input, failures included (every failing
// input is reported).
//
// The workers are started before the inputs are loaded (ReaderPool.start), so the start-up of a
// thread — a fresh V8 isolate loading Node's internals and the reader's modules — overlaps the
// loading instead of delaying the reading.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { readAgent } from '../generate-agent.js';
import { takeFileBytes, type LoadedInput } from '../input/load.js';
import { toOutcome, type Outcome, type WorkerMessage, type WorkerRequest } from './protocol.js';

/** Below this many WSDLs, starting a worker costs more than it saves. */
const MIN_WSDLS_FOR_WORKERS = 6;
const MAX_WORKERS = 3;

/** A started worker and its end: resolved when it exits normally, rejected when it fails (also before it was given work). */
interface Started {
  readonly worker: Worker;
  readonly ended: Promise<void>;
}

function startWorker(): Started {
  const worker = new Worker(new URL('./worker.js', import.meta.url));
  // Until it is given work, a worker does not keep the process alive.
  worker.unref();
  const ended = new Promise<void>((resolve, reject) => {
    worker.on('error', reject);
    worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`a generator worker exited with code ${code}`))));
  });
  ended.catch(() => {}); // reported by read(), when the worker's results are awaited
  return { worker, ended };
}

export class ReaderPool {
  readonly #workers: Started[];

  private constructor(workers: Started[]) {
    this.#workers = workers;
  }

  /** A pool for about `count` inputs: one worker per spare core and per MIN_WSDLS_FOR_WORKERS inputs, MAX_WORKERS at most (none for a few, or on one core). */
  static start(count: number): ReaderPool {
    const n = Math.min(availableParallelism() - 1, MAX_WORKERS, Math.floor(count / MIN_WSDLS_FOR_WORKERS));
    return new ReaderPool(Array.from({ length: Math.max(0, n) }, startWorker));
  }

  /**
   * Reads `inputs` on the main thread and the pool's workers; each worker serves one call. The
   * threads take the next input from one shared counter (largest inputs first), so however fast
   * each thread turns out to be, none waits while another still has a queue.
   */
  async read(inputs: readonly LoadedInput[]): Promise<Outcome[]> {
    const workers = this.#workers.splice(0);
    if (workers.length === 0) return inputs.map((input) => toOutcome(() => readAgent(input)));

    const order = inputs.map((input, i) => ({ i, size: input.text.length })).sort((a, b) => b.size - a.size || a.i - b.i);
    // A local file's bytes go to the workers instead of its text: moving them costs nothing, while
    // copying the texts (≈ 6 MB for the 56 Services86 WSDLs) kept the workers waiting.
    const moved: ArrayBuffer[] = [];
    const request: WorkerRequest = {
      indexes: order.map((o) => o.i),
      inputs: order.map((o) => {
        const input = inputs[o.i]!;
        const bytes = workers.length === 1 ? takeFileBytes(input) : undefined; // one worker: the bytes can go to it alone
        if (!bytes) return input;
        moved.push(bytes.buffer as ArrayBuffer);
        const { text: _text, ...rest } = input;
        return { ...rest, bytes };
      }),
      next: new SharedArrayBuffer(4),
    };
    const outcomes: Outcome[] = new Array(inputs.length);
    const jobs = workers.map((worker) => runWorker(worker, request, outcomes, moved));
    // The main thread takes its share meanwhile. After each input it lets the workers' outcomes
    // that have arrived in: receiving one (deserialising a model) is work of this thread too, and
    // done here it counts in the shared split, instead of piling up after the last input while the
    // workers idle.
    const next = new Int32Array(request.next);
    for (let k = Atomics.add(next, 0, 1); k < order.length; k = Atomics.add(next, 0, 1)) {
      outcomes[request.indexes[k]!] = toOutcome(() => readAgent(inputs[request.indexes[k]!]!));
      await new Promise(setImmediate);
    }
    await Promise.all(jobs);
    for (let i = 0; i < inputs.length; i++) {
      outcomes[i] ??= { failure: { kind: 'internal', message: `a generator worker returned no result for ${inputs[i]!.input}` } };
    }
    return outcomes;
  }

  /** Stops the workers that were given no work (a run that failed before reading). */
  close(): void {
    for (const { worker } of this.#workers.splice(0)) void worker.terminate();
  }
}

/**
 * Sets a started worker to work on `request`; resolves once it has posted all its outcomes (its
 * `done` message) — not when it has ended: tearing a thread down takes a while (≈ 40 ms, more on
 * a busy machine), and the run need not wait for it. Rejects when the worker fails first.
 */
function runWorker({ worker, ended }: Started, request: WorkerRequest, outcomes: Outcome[], transfer: ArrayBuffer[]): Promise<void> {
  worker.ref();
  const posted = new Promise<void>((resolve, reject) => {
    worker.on('message', (m: WorkerMessage) => {
      if ('done' in m) {
        worker.unref(); // it ends by itself; nothing waits for that
        resolve();
      } else outcomes[m.index] = m.outcome;
    });
    // An ending without `done` leaves outcomes missing: read() reports them.
    ended.then(resolve, reject);
  });
  worker.postMessage(request, transfer);
  return posted;
}
