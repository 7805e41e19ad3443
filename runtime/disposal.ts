// `using` and `await using` as TypeScript lowers them: the block's resources
// go onto `env.stack` (`__addDisposableResource`), and its end disposes them
// (`__disposeResources`). TypeScript prints those two helpers itself, after
// every transformer, with the platform's `Promise` and closures of their own,
// so an `await using` in flight could never be saved. Pass 0b points the
// program's calls of them here: the same steps (ECMA-262 DisposeResources,
// as TypeScript's helpers take them), with the runtime's promises, and the
// pending disposal's state in a plain object whose continuations are
// closures of registered factories. The program's dispose methods run as
// no-save regions (no call site of the program's is below them).

import { CLOSURE, functions } from './functions.js';
import { IntroPromise } from './promises.js';
import type { Runtime } from './runtime.js';

let rt: Runtime;

export function bindDisposal(runtime: Runtime): void {
  rt = runtime;
}

interface Resource {
  value?: unknown;
  dispose?: Function;
  async: boolean;
}

interface DisposableEnv {
  stack: Resource[];
  error: unknown;
  hasError: boolean;
}

/** `__addDisposableResource(env, value, async)`. */
export function addDisposableResource(env: DisposableEnv, value: unknown, async: boolean): unknown {
  if (value !== null && value !== undefined) {
    if (typeof value !== 'object' && typeof value !== 'function') throw new TypeError('Object expected.');
    let dispose: unknown;
    let inner: unknown;
    if (async) dispose = (value as Record<symbol, unknown>)[Symbol.asyncDispose];
    if (dispose === undefined) {
      dispose = (value as Record<symbol, unknown>)[Symbol.dispose];
      if (async) inner = dispose;
    }
    if (typeof dispose !== 'function') throw new TypeError('Object not disposable.');
    if (inner !== undefined) dispose = syncDisposer(inner as Function);
    env.stack.push({ value, dispose: dispose as Function, async });
  } else if (async) {
    env.stack.push({ async: true });
  }
  return value;
}

/** An async resource with only a sync dispose: its throw becomes a rejection. */
function syncDisposer(inner: Function): Function {
  const fn = function (this: unknown): unknown {
    try {
      inner.call(this);
    } catch (e) {
      return IntroPromise.reject(e);
    }
    return undefined;
  };
  (fn as unknown as Record<symbol, unknown>)[CLOSURE] = [SYNC_DISPOSER, inner];
  return fn;
}

interface Disposal {
  env: DisposableEnv;
  /** 1: a sync resource was met in an async disposal; 2: an async one. */
  s: number;
}

/** `__disposeResources(env)`: undefined, or a promise when a resource is async. */
export function disposeResources(env: DisposableEnv): unknown {
  return next({ env, s: 0 });
}

function next(d: Disposal): unknown {
  const env = d.env;
  let r: Resource | undefined;
  while ((r = env.stack.pop()) !== undefined) {
    try {
      if (!r.async && d.s === 1) {
        d.s = 0;
        env.stack.push(r);
        return (IntroPromise.resolve(undefined) as IntroPromise).then(continuation(d, false));
      }
      if (r.dispose !== undefined) {
        const resource = r;
        const result = rt.nsv(() => resource.dispose!.call(resource.value));
        if (r.async) {
          d.s |= 2;
          return (IntroPromise.resolve(result) as IntroPromise).then(continuation(d, false), continuation(d, true));
        }
      } else d.s |= 1;
    } catch (e) {
      fail(env, e);
    }
  }
  if (d.s === 1) return env.hasError ? IntroPromise.reject(env.error) : IntroPromise.resolve(undefined);
  if (env.hasError) throw env.error;
  return undefined;
}

function fail(env: DisposableEnv, e: unknown): void {
  env.error = env.hasError ? suppressedError(e, env.error) : e;
  env.hasError = true;
}

/** The reaction that goes on with the disposal (`failed`: after recording the rejection). */
function continuation(d: Disposal, failed: boolean): (v: unknown) => unknown {
  const fn = (v: unknown): unknown => {
    if (failed) fail(d.env, v);
    return next(d);
  };
  (fn as unknown as Record<symbol, unknown>)[CLOSURE] = [CONTINUATION, d, failed];
  return fn;
}

function suppressedError(error: unknown, suppressed: unknown): unknown {
  const S = (globalThis as { SuppressedError?: new (e: unknown, s: unknown, m?: string) => unknown }).SuppressedError;
  if (typeof S === 'function') return new S(error, suppressed, 'An error was suppressed during disposal.');
  const e = new Error('An error was suppressed during disposal.') as Error & { error: unknown; suppressed: unknown };
  e.name = 'SuppressedError';
  e.error = error;
  e.suppressed = suppressed;
  return e;
}

const SYNC_DISPOSER = 'introspect:disposal.syncDisposer';
const CONTINUATION = 'introspect:disposal.continuation';
functions.registerFactory(SYNC_DISPOSER, syncDisposer as (...envs: any[]) => Function);
functions.registerFactory(CONTINUATION, continuation as (...envs: any[]) => Function);
functions.registerStatic('introspect:disposal.add', addDisposableResource);
functions.registerStatic('introspect:disposal.dispose', disposeResources);
