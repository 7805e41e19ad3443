// Promises of the platform (a `readFile` of node:fs/promises, a library's)
// that the program keeps after they settled: `const pending = readFile(f);
// const text = await pending;` leaves `pending` in module state. JavaScript
// cannot read a promise's state, so the runtime notes the outcome of every
// platform promise it sees settle — those the program awaits (the
// scheduler's thenable job) and those a capture finds in the heap (observed
// from then on). Takes such a promise; guarantees that once its outcome is
// known, a checkpoint saves it as one of the program's promises settled the
// same way, and that until then the capture fails with a reason the runtime
// retries (Runtime.retryLater).

import { fulfill, IntroPromise, isPlatformPromise, newInternalPromise, reject } from './promises.js';
import { HANDLED } from './hidden-fields.js';

const NativePromise = Promise;
const nativeThen = NativePromise.prototype.then;

interface Outcome {
  fulfilled: boolean;
  value: unknown;
}

const outcomes = new WeakMap<object, Outcome>();
const observed = new WeakSet<object>();
let waiting = 0;

export function noteOutcome(promise: object, fulfilled: boolean, value: unknown): void {
  if (!outcomes.has(promise)) outcomes.set(promise, { fulfilled, value });
}

/** Platform promises a capture found unsettled as far as the runtime knows, whose outcome is not in yet. */
export function platformPromisesAwaited(): number {
  return waiting;
}

/**
 * What a capture saves for `value`: a settled promise of the program's for a
 * platform promise whose outcome is known; undefined for anything else (a
 * platform promise not known to be settled is observed from now on, and
 * fails this capture).
 */
export function settledStandIn(value: object): IntroPromise | undefined {
  if (!isPlatformPromise(value)) return undefined;
  const outcome = outcomes.get(value);
  if (outcome === undefined) {
    if (!observed.has(value)) {
      observed.add(value);
      waiting++;
      const done = (fulfilled: boolean) => (v: unknown) => {
        waiting--;
        noteOutcome(value, fulfilled, v);
      };
      Reflect.apply(nativeThen, value, [done(true), done(false)]);
    }
    return undefined;
  }
  const standIn = newInternalPromise();
  standIn[HANDLED] = true; // a rejection the program already saw is not reported again
  if (outcome.fulfilled) fulfill(standIn, outcome.value);
  else reject(standIn, outcome.value);
  return standIn;
}
