// The runtime as instrumented code and programs see it. One instance per
// process, kept on globalThis, so every module (ESM or CommonJS copy of this
// bundle) talks to the same one.

import { checkpointSink } from './checkpoint.js';
import { bindArrayCallbacks } from './array-callbacks.js';
import { bindWalks } from './walks/index.js';
import { bindAsyncGenerators } from './async-generators.js';
import { bindGenerators } from './generators.js';
import { bindNoSave } from './no-save.js';
import { functions } from './functions.js';
import { bindPromises } from './promises.js';
import { Runtime } from './runtime.js';
import { bindTasks } from './tasks.js';
import { bindDisposal } from './disposal.js';
import { bindDecorators } from './decorators.js';
import { bindEventTargets } from './event-target.js';
import { bindCallbackify } from './callbackify.js';
import { bindTimerPromises, delay, immediate, timerPromises } from './timer-promises.js';

const KEY = Symbol.for('introspect.runtime');
const existing = (globalThis as Record<symbol, unknown>)[KEY] as Runtime | undefined;

export const runtime: Runtime = existing ?? new Runtime();
bindGenerators(runtime);
bindNoSave(runtime);
bindTasks(runtime);
bindAsyncGenerators(runtime);
bindArrayCallbacks(runtime);
bindWalks(runtime);
bindPromises(runtime.jobs, runtime);
bindTimerPromises(runtime);
bindEventTargets(runtime);
bindCallbackify(runtime);
bindDisposal(runtime);
bindDecorators(runtime);
// The event loop's functions the program reaches as globals (pass 0b) may be
// kept in its data (`const later = setTimeout`, `const make = Reflect.construct`): saved by these names.
for (const name of ['setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'clearImmediate', 'queueMicrotask', 'nextTick', 'construct'] as const) {
  functions.registerStatic(`introspect:${name}`, runtime[name]);
}
// `util.promisify(setTimeout)` gives what Node's setTimeout names there: the
// promise version, here the runtime's (timer-promises.ts).
const PROMISIFY_CUSTOM = Symbol.for('nodejs.util.promisify.custom');
Object.defineProperty(runtime.setTimeout, PROMISIFY_CUSTOM, { value: delay, configurable: true });
Object.defineProperty(runtime.setImmediate, PROMISIFY_CUSTOM, { value: immediate, configurable: true });
runtime.libraries.registerNamed('ns', 'introspect:timerPromises', timerPromises);
runtime.libraries.registerNamed('ns', 'introspect:timerPromises.scheduler', timerPromises.scheduler);
if (!existing) {
  runtime.sink = checkpointSink;
  Object.defineProperty(globalThis, KEY, { value: runtime, configurable: true });
}

/** Take a checkpoint at the next point where one can be taken. */
export function checkpoint(): void {
  runtime.request();
}

/** Run `fn` once, after the program has been restored from a checkpoint. */
export function onRestore(fn: () => void): void {
  runtime.onRestore(fn);
}

/** `value`, rebuilt by `recreate()` after a restart instead of being saved (runtime/transient.ts). */
export { transient } from './transient.js';

export type { Runtime };
