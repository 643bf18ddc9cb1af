// What a watch run emitted, kept for the next run: an agent whose inputs did not change is not
// emitted again. The rule is simple enough to check: each emitter is a pure function of its
// arguments (the agent's plan — its model, the planned names and shapes of every type it refers
// to, the namespace table —, the templates folder, the header's command), so its text is reused
// exactly when every argument is deep-equal to the last call's in that slot. Nothing is keyed by
// a hand-picked part of the inputs: a change in one WSDL that moves or renames a shared type
// shows up in the plans of every agent that refers to it, and those agents are emitted again.
//
// Comparing is cheap because the models of unchanged WSDLs are the very objects of the last run
// (ReadCache): most comparisons end at `Object.is`. The models are never mutated after reading
// (ReadCache relies on that already), so within a run a pair of objects compared once keeps its verdict.
import type { EmitReuse } from './emit/emit-agent.js';

/** Past this depth, two values count as different (emitted again): the models are shallow trees. */
const MAX_DEPTH = 200;

export class EmitCache implements EmitReuse {
  readonly #last = new Map<string, { readonly inputs: readonly unknown[]; readonly result: unknown }>();
  /**
   * This run's verdicts on pairs of objects: the later object → the earlier one it was compared
   * with. Each run compares its new plans with the last run's, and one object is met many times
   * (a shared type is in the plan of every agent that uses it; the entry's inputs are all plans).
   */
  #equal = new Map<object, object>();
  #unequal = new Map<object, object>();
  /** Calls answered from the cache since it was made (read by the tests). */
  hits = 0;
  /** Calls that had to emit. */
  misses = 0;

  /** The slots asked for since the run started. */
  #used = new Set<string>();

  /**
   * Starts a run: the verdicts of the last run are of objects no longer compared, and the slots it
   * did not ask for (an agent whose WSDL is no longer an input) are dropped.
   */
  startRun(): void {
    this.#equal = new Map();
    this.#unequal = new Map();
    for (const slot of this.#last.keys()) if (!this.#used.has(slot)) this.#last.delete(slot);
    this.#used = new Set();
  }

  reuse<T>(slot: string, inputs: readonly unknown[], make: () => T): T {
    this.#used.add(slot);
    const last = this.#last.get(slot);
    if (last && this.#same(last.inputs, inputs, 0)) {
      this.hits++;
      return last.result as T;
    }
    this.misses++;
    this.#last.delete(slot); // a failing make() leaves nothing behind
    const result = make();
    this.#last.set(slot, { inputs, result });
    return result;
  }

  /**
   * Deep equality of plain data: primitives by Object.is; arrays, Maps and Sets element by
   * element in order; plain objects by their own enumerable keys in order (the emitters iterate
   * them in that order). Anything else (a class instance, a function) is equal only to itself.
   */
  #same(a: unknown, b: unknown, depth: number): boolean {
    if (Object.is(a, b)) return true;
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
    if (this.#equal.get(b) === a) return true;
    if (this.#unequal.get(b) === a) return false;
    // Too deep for the models' shallow trees: not worth proving, so taken as changed (and not remembered).
    if (depth > MAX_DEPTH) return false;
    const same = Object.getPrototypeOf(a) === Object.getPrototypeOf(b) && this.#sameContent(a, b, depth + 1);
    (same ? this.#equal : this.#unequal).set(b, a);
    return same;
  }

  #sameContent(a: object, b: object, depth: number): boolean {
    if (Array.isArray(a)) {
      const bb = b as unknown[];
      if (a.length !== bb.length) return false;
      for (let i = 0; i < a.length; i++) if (!this.#same(a[i], bb[i], depth)) return false;
      return true;
    }
    if (a instanceof Map) {
      const bm = b as Map<unknown, unknown>;
      if (a.size !== bm.size) return false;
      const other = bm.entries();
      for (const [k, v] of a) {
        const [ok, ov] = other.next().value as [unknown, unknown];
        if (!this.#same(k, ok, depth) || !this.#same(v, ov, depth)) return false;
      }
      return true;
    }
    if (a instanceof Set) {
      const bs = b as Set<unknown>;
      if (a.size !== bs.size) return false;
      const other = bs.values();
      for (const v of a) if (!this.#same(v, other.next().value, depth)) return false;
      return true;
    }
    const proto = Object.getPrototypeOf(a) as unknown;
    if (proto !== Object.prototype && proto !== null) return false;
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    for (let i = 0; i < ka.length; i++) {
      const k = ka[i]!;
      if (k !== kb[i] || !this.#same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], depth)) return false;
    }
    return true;
  }
}
