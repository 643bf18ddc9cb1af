// What the main thread and the generator workers send each other. Errors cross the thread
// boundary as plain data and become the same GenerateError (or internal error) again.
import { GenerateError } from '../errors.js';
import type { ReadResult } from '../generate-agent.js';
import type { LoadedInput } from '../input/load.js';

/** A local input whose file's bytes travel instead of its text (moved, not copied); the worker decodes them. */
export type MovedInput = Omit<LoadedInput, 'text'> & { readonly bytes: Uint8Array };

/** Every input of a run (largest first), its index in the run, and the counter from which each thread takes the next. */
export interface WorkerRequest {
  readonly indexes: readonly number[];
  readonly inputs: readonly (LoadedInput | MovedInput)[];
  /** An Int32: the position in `inputs` the next thread to ask reads. */
  readonly next: SharedArrayBuffer;
}

/** What a worker posts: each input's outcome as it is read, then `done` once it has taken its last one. */
export type WorkerMessage = { readonly index: number; readonly outcome: Outcome } | { readonly done: true };

export type Failure =
  | { readonly kind: 'generate'; readonly message: string; readonly file?: string; readonly line?: number; readonly column?: number; readonly path?: string }
  | { readonly kind: 'internal'; readonly message: string; readonly stack?: string };

export type Outcome = { readonly result: ReadResult } | { readonly failure: Failure };

export function toOutcome(run: () => ReadResult): Outcome {
  try {
    return { result: run() };
  } catch (err) {
    if (err instanceof GenerateError) {
      const loc = err.location;
      return {
        failure: loc
          ? { kind: 'generate', message: err.message, file: loc.file, line: loc.line, column: loc.column, path: loc.path }
          : { kind: 'generate', message: err.message, ...(err.file !== undefined ? { file: err.file } : {}) },
      };
    }
    const e = err as Error;
    return { failure: { kind: 'internal', message: String(e?.message ?? err), ...(e?.stack ? { stack: e.stack } : {}) } };
  }
}

export function fromFailure(f: Failure): Error {
  if (f.kind === 'internal') {
    const err = new Error(f.message);
    if (f.stack) err.stack = f.stack;
    return err;
  }
  if (f.line !== undefined && f.file !== undefined) {
    return new GenerateError(f.message, { file: f.file, line: f.line, column: f.column ?? 0, path: f.path ?? '' });
  }
  return new GenerateError(f.message, f.file !== undefined ? { file: f.file } : undefined);
}
