// Waiting for something a test cannot be told of directly (a --watch child's output, an in-process
// watcher's runs), without sleeping a guessed time: each sign of progress wakes the wait at once,
// and a timer every `pollMs` makes it look again in any case.
import assert from 'node:assert/strict';

export interface WaitOptions {
  /** How long a wait may last before it fails (a loaded machine is slow: tens of seconds). */
  readonly limitMs: number;
  /** How often the condition is looked at when nothing woke the wait. */
  readonly pollMs: number;
  /** What a failed wait says after "waiting for <what>; " (the output or the runs so far). */
  readonly state: () => string;
  /** Whether to fail at once, as waiting longer cannot help (the process ended). */
  readonly hopeless?: () => boolean;
}

/** `until(done, what)` waits until `done()` holds; `wake()` is called on each sign of progress. */
export function waitUntil(options: WaitOptions): { readonly wake: () => void; readonly until: (done: () => boolean, what: string) => Promise<void> } {
  const waiters: (() => void)[] = [];
  return {
    wake: () => waiters.splice(0).forEach((w) => w()),
    until: async (done, what) => {
      const deadline = Date.now() + options.limitMs;
      while (!done()) {
        if (Date.now() > deadline || options.hopeless?.() === true) assert.fail(`waiting for ${what}; ${options.state()}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, options.pollMs);
        });
      }
    },
  };
}

/** Waits until `count()` has not changed for `ms` (whatever would change it has had its chance to). */
export async function quietFor(count: () => number, ms: number): Promise<void> {
  for (let seen = -1; seen !== count(); ) {
    seen = count();
    await new Promise((resolve) => setTimeout(resolve, ms));
  }
}
