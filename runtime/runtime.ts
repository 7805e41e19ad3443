// The runtime that instrumented code talks to ($R). It owns:
//   - the point counter `c` every suspension point decrements (one decrement
//     and compare on the normal path; the slow path runs only when it goes
//     negative: a count window ends, a checkpoint is due, or a restore is on);
//   - capture: `u` set at a point; every frame returns at once (instrumented
//     code tests `u` after each call and records its frame, `f`), down to the
//     driver, which hands the frames to the checkpoint writer;
//   - rewind: the saved frames called again one at a time from the top; each
//     prologue takes its frame (`enter`), the top frame lands at its point
//     (`poll`) and runs on, and each frame below gets the outcome of the ones
//     above at its call site (`resume`);
//   - the driver that runs module bodies in load order.
// It imports no platform API; the host comes from the boot record.

import { functionKind, functions, inClassFactory, isProgramFunction, madeClassFactory } from './functions.js';
import type { ByteSource } from './format/streamed.js';
import type { Frame } from './frames.js';
import { UNWIND } from './frames.js';
import { CLOSURE } from './functions.js';
import { decodeFunctionTable, memberIdOf } from './function-table.js';
import type { Boot, Host, OpenFile, ProcessChanges, ProcessListener, RunConfig } from './host.js';
import { BOOT_KEY } from './host.js';
import { bindGenerators, DELEGATE_YIELD, delegateStep, drive0, drive1, Generator, PLAIN_YIELD, reenterBody, type ResumeMode } from './generators.js';
import { closeIterator, collectionIterator, delegateOf, engineIterable, forInKeys, indexable, iterate } from './iterators.js';
import { ModuleRegistry, type ModuleRecord } from './modules.js';
import { PrivateFields } from './privates.js';
import { acEvery, acFilter, acFind, acFindIndex, acForEach, acMap, acReduce, acReduceFrom, acSome, arrayCall, arrayCall1, arrayCall2 } from './array-callbacks.js';
import { asyncDelegateStep, asyncIteratorOf, awaitSignal, checkIterResult, closeAsyncIterator, delegatedValue, startAsyncGenerator } from './async-generators.js';
import { Libraries } from './libraries.js';
import { ProgramFinalizationRegistry } from './finalization.js';
import { DynamicImports, type SavedDynamicImports } from './dynamic-imports.js';
import { IntroPromise, programPromiseHas } from './promises.js';
import { Scheduler, type SchedulerState } from './scheduler.js';
import { startPlainTask, startTask } from './tasks.js';
import { ProgramProxy } from './proxies.js';
import { type Timer, Timers, type TimerState } from './timers.js';
import { timerPromises } from './timer-promises.js';
import { addDisposableResource, disposeResources } from './disposal.js';
import { esDecorate, legacyDecorate } from './decorators.js';
import { runtimeOn } from './event-on.js';
import { runtimeOnce } from './event-once.js';
import { runtimePromisify } from './promisify.js';
import { ProgramAbortController, ProgramAbortSignal, ProgramCustomEvent, ProgramEvent, ProgramEventTarget } from './event-target.js';
import { recordPristine } from './heap/pristine.js';
import { plainPrototype } from './heap/classify.js';
import { installIteratorHelpers, ITERATOR_HELPERS, nativeIteratorHelpers } from './iterator-helpers.js';
import { nativeLaterBuiltins, PROMISE_WITH_RESOLVERS, provideLaterBuiltins } from './later-builtins.js';
import { nativeWeakSymbolKeys, provideWeakSymbolKeys } from './weak-symbol-keys.js';
import { recognizeProgramValues } from './util-types.js';
import { programTargetHelper, recognizeProgramTargets, syncBuiltinExports } from './event-helpers.js';
import { runtimeCallbackify } from './callbackify.js';
import { CaptureError } from './heap/errors.js';
import { homelessMethod, homeMethods, superGet } from './home-objects.js';
import { platformPromisesAwaited } from './platform-promises.js';
import { useProxyTest } from './walkable.js';
import { consoleState, restoreConsoleState, trackConsole, type ConsoleState } from './console-state.js';
import { restoreTimeline, timelineState, type TimelineEntry } from './timeline.js';
import { continueClocks, performanceClock, readClocks, type ClockReadings, type ProgramClock } from './clocks.js';

/** Who ran the code a checkpoint was taken in: the module bodies, a job of the queue, a timer; or nothing (the program was idle). */
export type DriverKind = 'main' | 'jobs' | 'timer' | 'idle';

/** The state of the event loop a checkpoint keeps beside the stack. */
export interface AsyncState {
  driver: DriverKind;
  /** The timer whose callback was running (driver 'timer'). */
  timer?: Timer;
  jobs: SchedulerState;
  timers: TimerState;
  /** The program's listeners on the process's events (Host.processListeners); absent where the host has none. */
  process?: ProcessListener[];
  /** The exit code the program set (Host.exitCode), if any. */
  exitCode?: number | string;
  /** The working directory and environment variables the program changed (Host.processChanges), if any. */
  processChanges?: ProcessChanges;
  /** The files the program held open by descriptor number (Host.openFiles), if any; absent in older files. */
  openFiles?: OpenFile[];
  /** The program's monotonic clocks' readings (runtime/clocks.ts); absent in older files. */
  clocks?: ClockReadings;
  /** console.group depth and console.count counters (runtime/console-state.ts), when the program changed them. */
  console?: ConsoleState;
  /** The program's performance marks and measures (runtime/timeline.ts), if it made any. */
  timeline?: TimelineEntry[];
}

const WINDOW = 1 << 30;
const FOREIGN_FRAME = 'an uninstrumented frame on the stack: ';
/** The longest wait, in points, between two looks for an uninstrumented frame that stays. */
const FOREIGN_WAIT_MAX = 1023;
/**
 * The count window when the host takes checkpoint requests from outside
 * (host.pendingRequest) and cannot nudge: each window's end asks it
 * (pollRequests), and 2^14 points are microseconds of a tight loop and well
 * under a millisecond of most code, so a request is seen in time (SPEC §9:
 * < 100 ms). Not the default: a slow path that runs at all is compiled into
 * every loop as a call, which cost mandelbrot 63 % (docs/PERFORMANCE.md,
 * session 25). A host that nudges (`nudge`) keeps the wide window.
 */
const REQUEST_WINDOW = 1 << 14;

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return typeof x === 'object' && x !== null && typeof (x as { then?: unknown }).then === 'function';
}

export interface CheckpointSink {
  /** Called with the captured stack (bottom first) and the event loop's state; may throw to refuse. */
  captured(rt: Runtime, frames: Frame[], bodyIndex: number, async: AsyncState): void;
  /** Restores a checkpoint image: module state set, returns the stack to rewind and the event loop's state. */
  restore(rt: Runtime, file: Uint8Array | ByteSource): { frames: Frame[]; bodyIndex: number; async?: AsyncState };
  /** The later built-ins the checkpoint says the program had at its start (later-builtins.ts); undefined where it does not say, or cannot be read (the restore then reports it). */
  laterBuiltins(file: Uint8Array | ByteSource): readonly string[] | undefined;
  /** The modules the checkpoint's program had loaded with import(), if any (dynamic-imports.ts). */
  dynamicImports(file: Uint8Array | ByteSource): SavedDynamicImports | undefined;
}

/** `below` is a constructor that called `above` by `super()` (or constructs with the same new.target). */
function constructsThrough(below: Frame, above: Frame): boolean {
  return below.nt !== undefined && above.nt === below.nt && isClass(below.fn);
}

/** Whether `base` is on the [[Prototype]] chain of constructor `sub` (`class sub extends … base`). */
function inherits(sub: Function, base: Function): boolean {
  for (let p = Object.getPrototypeOf(sub) as object | null; p !== null; p = Object.getPrototypeOf(p) as object | null) if (p === base) return true;
  return false;
}

/** Taken at load: `$R.construct` stands in for the program's calls of it. */
const nativeConstruct = Reflect.construct;

/** What the launcher left for the runtime (host, config), read when the program starts. */
function bootOf(): Boot | undefined {
  return (globalThis as Record<string, unknown>)[BOOT_KEY] as Boot | undefined;
}

function isClass(fn: Function): boolean {
  return /^class\b/.test(Function.prototype.toString.call(fn));
}

export class Runtime {
  // ---- read by instrumented code (short names: they are on every hot path) ----
  /** Countdown to the next slow-path event. */
  c = WINDOW;
  /** No-save depth: >0 while code we cannot capture is running. */
  ns = 0;
  /** True while an unwind is in flight (native finally blocks skip their body). */
  u = false;
  /** True while frames are being restored (field initializers skip side effects). */
  rs = false;
  readonly U = UNWIND;
  readonly CL = CLOSURE;

  /** Runs `fn` as a no-save region: code we reach from a place that is no resume point (a field initializer). */
  nsv<T>(fn: () => T): T {
    this.ns++;
    try {
      return fn();
    } finally {
      this.ns--;
    }
  }

  // ---- state ----
  readonly modules = new ModuleRegistry();
  /** Namespaces of the uninstrumented modules the program imports (libraries.ts). */
  readonly libraries = new Libraries();
  /** What the program loaded with import() (dynamic-imports.ts); its namespaces named as `pns` names static ones. */
  readonly dynamicImports = new DynamicImports((importer, spec, ns) => this.pns(importer, spec, ns), (id) => this.modules.byId(id));
  /** `$R.lib(spec, ns)`: an instrumented module registers an import from outside the program. */
  lib(spec: string, ns: unknown): void {
    // before the registry reads the exports: the wrappers are their baseline
    if (recognizeProgramTargets(spec, ns)) syncBuiltinExports(this.host ?? bootOf()?.host);
    this.libraries.register(spec, ns);
    recognizeProgramValues(spec, ns);
  }

  /**
   * The program's `Reflect.construct` (pass 0b). Given a subclass as
   * new.target, a frame that unwinds throws UNWIND (`f`: under `super()` a
   * return would run the subclass's field initializers); called
   * this way, no subclass constructor's `super()` site is there to catch
   * it, so the unwind becomes this call's return, which its site checks.
   */
  readonly construct = (target: Function, args: ArrayLike<unknown>, newTarget: Function = target): unknown => {
    try {
      return nativeConstruct(target, args, newTarget);
    } catch (e) {
      if (e === UNWIND && this.u) return UNWIND;
      throw e;
    }
  };

  /** Whether a `for…in` key is still there when the loop reaches it. */
  kin(o: unknown, key: string): boolean {
    return o !== null && o !== undefined && key in Object(o);
  }

  /** A tagged template site's strings object, made once at load and saved by name. */
  tpl(id: string, strings: TemplateStringsArray): TemplateStringsArray {
    this.libraries.registerNamed('tpl', id, strings);
    return strings;
  }

  /** The tag that yields the strings object of its site (see `tpl`). */
  readonly tso = (strings: TemplateStringsArray): TemplateStringsArray => strings;

  /** `import * as m from './m.js'` in module `importer`: m is saved by name (runtime/libraries.ts). */
  pns(importer: string, spec: string, ns: unknown): void {
    this.libraries.registerNamed('ns', JSON.stringify([importer, spec]), ns);
  }

  /** `import(spec)` in module `importer` (transformer/dynamic-imports.ts): its namespace is named as `pns` names a static one. */
  dimp(importer: string, spec: unknown, load: (spec: unknown) => unknown): unknown {
    return this.dynamicImports.load(importer, spec, load);
  }

  /** The data of the program's JSON module `id` (its default export), as an importer sees it: saved by name, contents and all (runtime/libraries.ts). */
  json(id: string, data: unknown): void {
    this.libraries.registerNamed('json', id, data);
  }
  host: Host | undefined;
  config: RunConfig = {};
  sink: CheckpointSink | undefined;
  /**
   * The later built-ins the program had when it started (later-builtins.ts):
   * the engine's own on a fresh run, the checkpoint's list on a restart
   * (undefined: it had none, so all were provided). Every checkpoint records it.
   */
  laterBuiltins: readonly string[] | undefined;
  private started = false;
  /** A restart is importing the modules the checkpoint's program loaded with import() (dynamic-imports.ts). */
  private reloading: 'no' | 'importing' | 'done' = 'no';
  private armed = WINDOW;
  /** WINDOW, or REQUEST_WINDOW when the host takes requests. */
  private window = WINDOW;
  /** Points reached before the current window. */
  private base = 0;
  /** The absolute point at which a checkpoint is due (Infinity: none). */
  private target = Infinity;
  private requested = false;
  /** A nudge said a request waits: the window ends at the next point, which asks the host. */
  private nudged = false;
  /** The host nudges when a request comes: no window needs to end for it to be seen. */
  private nudging = false;
  private captured: Frame[] = [];
  private rframes: Frame[] = [];
  private fi = 0;
  private landing = false;
  private bodyIndex = 0;
  /** `onRestore` hooks: saved with the checkpoint, run after each restart (before the program goes on). */
  readonly restoreHooks: (() => void)[] = [];
  /** Drivers running (module bodies, the job queue, a timer): requests are taken only under one. */
  driving = 0;

  /** The end of a driver's run; the outermost one lets a drain held back meanwhile go ahead (scheduler.ts). */
  leaveDrive(): void {
    if (--this.driving === 0) this.jobs.afterDrive();
  }

  // ---- the event loop the program sees (scheduler.ts, timers.ts, promises.ts, tasks.ts) ----
  readonly jobs = new Scheduler(this);
  readonly timers = new Timers(this);
  readonly P = IntroPromise;
  readonly Proxy = ProgramProxy;
  readonly task = startTask;
  readonly ptask = startPlainTask;
  readonly ac = arrayCall;
  readonly ac1 = arrayCall1;
  readonly ac2 = arrayCall2;
  readonly acMap = acMap;
  readonly acForEach = acForEach;
  readonly acFilter = acFilter;
  readonly acSome = acSome;
  readonly acEvery = acEvery;
  readonly acFind = acFind;
  readonly acFindIndex = acFindIndex;
  readonly acReduce = acReduce;
  readonly acReduceFrom = acReduceFrom;
  readonly agen = startAsyncGenerator;
  readonly aw = awaitSignal;
  readonly ai = asyncIteratorOf;
  readonly ais = checkIterResult;
  readonly aret = closeAsyncIterator;
  readonly adg = asyncIteratorOf;
  readonly ads = asyncDelegateStep;
  readonly dy = delegatedValue;
  readonly setTimeout = this.timers.setTimeout;
  readonly setInterval = this.timers.setInterval;
  readonly setImmediate = this.timers.setImmediate;
  readonly clearTimeout = this.timers.clearTimeout;
  readonly clearInterval = this.timers.clearInterval;
  readonly clearImmediate = this.timers.clearImmediate;
  readonly queueMicrotask = (fn: unknown): void => this.jobs.queueMicrotask(fn);
  /** `process.nextTick` of the program (pass 0b). */
  readonly nextTick = (fn: unknown, ...args: unknown[]): void => this.jobs.nextTick(fn, args);
  /** The event classes of the program (pass 0b; event-target.ts). */
  readonly EventTarget = ProgramEventTarget;
  readonly Event = ProgramEvent;
  readonly CustomEvent = ProgramCustomEvent;
  readonly AbortController = ProgramAbortController;
  readonly AbortSignal = ProgramAbortSignal;
  /** The program's FinalizationRegistry, whose registrations a checkpoint can save (pass 0b; finalization.ts). */
  readonly FinalizationRegistry = ProgramFinalizationRegistry;
  /** TypeScript's `using` helpers, as the program calls them (pass 0b; disposal.ts). */
  readonly adr = addDisposableResource;
  readonly dres = disposeResources;
  readonly esd = esDecorate;
  readonly dec = legacyDecorate;
  readonly eonce = runtimeOnce;
  readonly eon = runtimeOn;
  /** node:events' listener helpers, for the program's EventTargets too (event-helpers.ts). */
  readonly egl = programTargetHelper('getEventListeners');
  readonly egm = programTargetHelper('getMaxListeners');
  readonly esm = programTargetHelper('setMaxListeners');
  /** `util.promisify` (pass 0b'' points its imports here): what it makes is saved as made again. */
  readonly prm = runtimePromisify;
  /** `util.callbackify` (pass 0b'' points its imports here): savable, and calling the program's promises' own `then`. */
  readonly cbf = runtimeCallbackify;
  /** node:module's `createRequire` (pass 0b'' points its imports here): the host's wrapper, whose functions a checkpoint saves by their base. */
  readonly crq = (native: unknown): unknown => (this.host ?? bootOf()?.host)?.requires?.createRequire ?? native;
  /** node:fs's descriptor functions (pass 0b'' points the program's imports of them here): a forwarder to the host's wrappers, which Bun's and Deno's imports do not see. */
  readonly fsd = (native: unknown, name: string): unknown => (this.host ?? bootOf()?.host)?.fsFunction?.(native, name) ?? native;
  /** `super` in object-literal methods (runtime/home-objects.ts). */
  readonly home = homeMethods;
  readonly homeless = homelessMethod;
  readonly hsg = superGet;
  /** The promise versions of the timers (pass 0b points imports of Node's timers-promises module here). */
  readonly tp = timerPromises;

  // ---- counting ----------------------------------------------------------------------

  pointsReached(): number {
    return this.base + (this.armed - this.c);
  }

  /** Ends the running window at the next point; its points so far stay counted (--count-points and --checkpoint-at K stay exact). */
  private endWindow(): void {
    if (this.c >= 0) this.base += this.armed - this.c;
    this.c = this.armed = 0;
  }

  private rearm(): void {
    const left = this.requested || this.nudged ? 1 : Math.min(this.target - this.base, this.window);
    this.c = this.armed = Math.max(left, 1) - 1;
  }

  /**
   * A point's slow path: the restore lands here at the top frame's point
   * (`landing`: poll() and lp() come here), else count, and maybe
   * checkpoint. Too large for the engine to inline, which lp() needs.
   */
  private event(): void {
    if (this.landing) {
      this.finishRestore();
      return;
    }
    if (!this.started) {
      this.c = this.armed = WINDOW;
      return;
    }
    this.base += this.armed - this.c;
    const nudged = this.nudged;
    this.nudged = false;
    if (!this.requested) this.pollRequests(nudged);
    const due = this.requested || this.base >= this.target;
    this.rearm();
    if (!due) return;
    // From here the program's timeline stands still (Timers.pause): the
    // checks below, the unwind, the write and the rewind are not its time.
    this.timers.pause();
    if (this.waitingOnPlatform() && this.quiesceExpired()) {
      this.timers.resume();
      return;
    }
    const notHere = this.whyNotHere();
    if (notHere !== undefined) {
      this.timers.resume();
      // Not here: the next point where nothing foreign is on the stack.
      this.deferral ??= { by: notHere, point: this.base };
      this.c = this.armed = 0;
      if (notHere.startsWith(FOREIGN_FRAME) && ++this.foreignSeen > 64) {
        // A frame of the engine's (a native sort calling the comparator)
        // that stays for many points: finding it takes a stack trace, so
        // after 64 looks, look again after 1, 3, 7 … ~1000 points, not at
        // every one (the checkpoint then lands a little after it is gone).
        // At the longest the wait shrinks by a point per look: a program
        // that calls a library at a steady rhythm (one immer `produce` per
        // round of 12 points) would otherwise be looked at in the same few
        // places of its round every time (1023 ≡ 3 mod 12: 4 of the 12),
        // maybe never where the library's frame is gone; drifting waits
        // reach every place of the round.
        this.c = this.armed = this.foreignWait < FOREIGN_WAIT_MAX ? this.foreignWait : FOREIGN_WAIT_MAX - (this.foreignSeen % 256);
        this.foreignWait = Math.min(2 * this.foreignWait + 1, FOREIGN_WAIT_MAX);
      }
      return;
    }
    this.foreignSeen = this.foreignWait = 0;
    this.requested = false;
    // A requested checkpoint leaves --checkpoint-at K's to come.
    if (this.base >= this.target) this.target = Infinity;
    this.quiesceSince = undefined;
    this.rearm();
    this.captured = [];
    this.u = true;
  }

  /**
   * A due checkpoint must wait: the platform still owes the program a
   * settlement (a promise it awaits) or a callback (I/O in flight).
   */
  private waitingOnPlatform(): boolean {
    return this.jobs.foreign > 0 || this.platformWork() > 0;
  }

  /** Operations of the platform in flight that will call the program back (Host.platformWorkInFlight). */
  private platformWork(): number {
    return this.host?.platformWorkInFlight?.() ?? 0;
  }

  /** When a due checkpoint began to wait for the platform's promises (quiesce). */
  private quiesceSince: number | undefined = undefined;

  /**
   * A due checkpoint waits while the program awaits promises of the platform
   * (their settlement is not the program's to save); past the quiesce
   * timeout it fails, saying so, and the program goes on.
   */
  private quiesceExpired(): boolean {
    const now = this.timers.now();
    this.quiesceSince ??= now;
    const limit = this.config.quiesceTimeout ?? 10_000;
    if (now - this.quiesceSince <= limit) return false;
    this.quiesceSince = undefined;
    this.requested = false;
    this.target = Infinity;
    this.rearm();
    const work = this.platformWork();
    const what = [
      ...(this.jobs.foreign > 0 ? [`${this.jobs.foreign} promise(s) of the platform or of a library`] : []),
      ...(work > 0 ? [`${work} callback(s) of platform I/O`] : []),
    ].join(' and ');
    this.checkpointFailed(new Error(`the program still awaited ${what} (I/O in flight) after ${limit} ms (--quiesce-timeout); their results cannot be saved, so the checkpoint waits for them, and gave up`));
    return true;
  }

  /**
   * A request from outside the program (a signal, a timer, another process),
   * seen through the host. Only while the driver runs a module body: outside
   * it (timer callbacks, after the main run) no checkpoint can be taken yet,
   * so the request stays with the host, which answers it.
   */
  private pollRequests(nudged: boolean): void {
    if (this.driving === 0) {
      // The request waits for a driver: ask at the end of short windows
      // until one takes it (a nudge comes once per request).
      if (nudged) this.window = REQUEST_WINDOW;
      return;
    }
    // Back to the wide window after a fallback to short ones, whether this
    // takes the request or the event loop took it while the program was idle.
    if (this.nudging) this.window = WINDOW;
    if (this.host?.pendingRequest?.()) this.requested = true;
  }

  /**
   * From the host, between two steps of the program (Node: the request
   * worker's inspector session evaluates it on this thread, as an engine
   * interrupt, even during a long synchronous loop). "request": one waits;
   * the window ends at the next point, as request() ends it. "narrow": the
   * host cannot nudge after all (Host.nudges); windows are short from the
   * next point on. An interrupt may come in the middle of the runtime's own
   * bookkeeping: only a running window is ended here; otherwise the flag
   * makes the next rearm (or the end of a restore) short.
   */
  nudge(what: 'request' | 'narrow'): void {
    if (what === 'narrow') {
      this.nudging = false;
      this.window = REQUEST_WINDOW;
    }
    this.nudged = true;
    if (this.started && !this.rs && !this.u && this.c >= 0) this.endWindow();
  }

  /**
   * A module body with top-level await has not finished (it runs natively,
   * uninstrumented): outside the bodies' own driver no checkpoint can be
   * taken until it has, since the bodies after it would be lost.
   */
  private bodyPending(): boolean {
    if (this.inBodies > 0 || this.bodyIndex >= this.modules.list.length) return false;
    const body = this.modules.list[this.bodyIndex];
    // An instrumented top-level await is a suspended task like any other. A
    // module import() loaded after the bodies ended sits where bodyIndex
    // points (past the static ones): its body ran as it loaded.
    return !body.task && !body.dynamic;
  }

  /** The module bodies after one whose top-level await has settled. */
  continueBodies(index: number): void {
    this.__introspect_drive__(index);
  }

  /** >0 while the driver of module bodies runs. */
  private inBodies = 0;

  /** Function entry, slow path: a restore takes its frame here, else a point. */
  enter(): unknown[] | undefined {
    if (this.rs) return this.popFrame();
    this.event();
    return undefined;
  }

  /** A point inside a function, slow path. Returns the new `$r` (always 0). */
  poll(): number {
    this.event();
    return 0;
  }

  /**
   * The point of a call-free loop that works on unsigned 32-bit values (the
   * transform's `if ($R.lp()) { $l = n; break $u; } $r = 0;`): true when the
   * frame is to unwind. V8 keeps such a value unboxed only in a loop it
   * peels, and it does not peel a loop with code that never ran, as a
   * loop's own slow path is (a `>>> 0` hash loop ran 5.5× slower). Here the
   * slow path is a call inside this function, shared by every such loop and
   * run before the program (warmPoints), so it inlines with none. Not every
   * loop's point: a call in a loop, even one never taken, makes V8 spill its
   * floating-point values around it (docs/PERFORMANCE.md §3).
   */
  lp(): boolean {
    if (--this.c >= 0) return false;
    this.event();
    return this.u;
  }

  /**
   * lp()'s slow path runs here, before the program: V8 records what a call
   * site called only after a function's first few calls. Not started,
   * event() only re-arms the count.
   */
  private warmPoints(): void {
    for (let i = 0; i < 32; i++) {
      this.c = 0;
      this.lp();
    }
  }

  // ---- capture ------------------------------------------------------------------------

  /**
   * Records the frame of a function an unwind is leaving, which then returns
   * what this returns. A constructor called by a subclass's `super()` throws
   * instead: returning would bind the subclass's `this` and run its field
   * initializers; the `super()` site turns the throw back into a return.
   */
  f(fn: Function, self: unknown, nt: Function | undefined, pc: number, values: unknown[]): unknown {
    // Resumed by a stand-in (standInFor), it runs without its new.target.
    const standing = this.standingIn;
    if (nt === undefined && standing !== undefined && standing.fn === fn && standing.self === self) nt = standing.nt;
    this.captured.push({ fn, self, nt, pc, values });
    // Under super() new.target is a subclass of `fn`. Another new.target (a
    // Proxy of the class, `new`'s own) takes the return: `new` yields UNWIND.
    if (nt !== undefined && nt !== fn && inherits(nt, fn)) throw UNWIND;
    return UNWIND;
  }

  /** The frame record of a generator body (generators.ts): re-entered by running a new native body. */
  fb(fn: Function, pc: number, values: unknown[]): unknown {
    this.captured.push({ fn, self: undefined, nt: undefined, pc, values, body: true });
    return UNWIND;
  }

  /**
   * The first point where a due checkpoint could not be taken, and why; the
   * checkpoint's header carries it (`deferred`), so `inspect` shows which
   * frame held it back.
   */
  private deferral: { by: string; point: number } | undefined = undefined;

  /** Says why a due checkpoint was deferred (once taken, the record is cleared). */
  takeDeferral(): { by: string; point: number } | undefined {
    const d = this.deferral;
    this.deferral = undefined;
    return d;
  }

  /** `step` of a restore; if it throws, the restart ends with exit code 3, saying why (SPEC §3). */
  private orRestartFails<T>(step: () => T): T {
    try {
      return step();
    } catch (e) {
      this.restartFailed(e instanceof Error ? e.message : String(e));
      throw e;
    }
  }

  /** The restart ends with exit code 3, saying why (without a host, the caller's exception says it). */
  private restartFailed(message: string): void {
    if (this.host) {
      this.host.log(`cannot restart: ${message}`);
      this.host.exit(3);
    }
  }

  /** Why no checkpoint can be taken at this point, or undefined if one can. */
  private whyNotHere(): string | undefined {
    if (this.u) return 'an unwind in progress';
    if (this.ns > 0) return 'code that cannot be resumed is running (a generator stepped by a built-in, a spread or destructuring, or the runtime\'s own step)';
    if (this.waitingOnPlatform()) return 'the program awaits promises or callbacks of the platform or a library (I/O in flight)';
    if (this.bodyPending()) return 'a module body with native top-level await is running';
    const foreign = this.foreignFrame();
    return foreign === undefined ? undefined : `${FOREIGN_FRAME}${foreign}`;
  }

  /** Looks that found a foreign frame in a row, and points to pass before the next (event). */
  private foreignSeen = 0;
  private foreignWait = 0;

  /** The first frame between here and the driver that is not instrumented code (its stack-trace line), or undefined. */
  private foreignFrame(): string | undefined {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = Infinity;
    const stack = new Error().stack;
    Error.stackTraceLimit = limit;
    if (typeof stack !== 'string') return undefined;
    const lines = stack.split('\n').filter((l) => /\S/.test(l) && !/^Error\b/.test(l));
    const ownFile = fileOfFrame(lines[0] ?? '');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      if (line.includes('__introspect_drive__')) return undefined;
      const file = fileOfFrame(line);
      if (file !== undefined && (file === ownFile || this.modules.hasFile(file))) continue;
      // The engine's resumption of a generator body, by the runtime's generator object (generators.ts).
      if (NATIVE_RESUMPTION.test(line) && fileOfFrame(lines[i + 1] ?? '') === ownFile) continue;
      return line.trim();
    }
    // No driver below: a callback the engine called with nothing of its own
    // on the trace (a promise reaction, a microtask). Its caller cannot be
    // resumed, so not here.
    return 'a callback the engine called (no driver of the runtime below it)';
  }

  // ---- rewind -------------------------------------------------------------------------

  private popFrame(): unknown[] {
    const fr = this.rframes[this.fi++];
    if (fr === undefined) throw new Error('introspect: restore ran past the saved stack (the program differs from the checkpoint)');
    const r = fr.pc === 1 ? 0 : fr.pc;
    if (this.fi < this.rframes.length) {
      // Within a group (rewind): the callee's entry takes the next frame.
      this.c = -1;
    } else if (this.pending === undefined) {
      // The top frame: the restore ends at its point, and the program's time goes on.
      this.rs = false;
      this.timers.resume();
      if (r === 0) this.finishRestore();
      else {
        this.landing = true;
        this.c = 0;
      }
    }
    // Otherwise a frame below the top: its router goes straight to its call
    // site, where `resume()` hands it the outcome of the frame above.
    return [r, ...fr.values];
  }

  /** The outcome of the frames above the group being re-entered (rewind); undefined outside a rewind. */
  private pending: { threw: boolean; value: unknown } | undefined = undefined;
  /** The point countdown (`c`) to take up again when a restore ends: where the frames above a re-entered frame left it, or where a suspended body was resumed from. */
  private countdown = 0;

  /** The router of a caller being restored: the callee's frame re-entered, or what the frames above returned (or threw). */
  resume(): unknown {
    const fr = this.rframes[this.fi];
    if (fr !== undefined) {
      this.c = -1;
      return this.reenter(fr);
    }
    if (this.pending === undefined) throw new Error('introspect: restore found no callee frame to resume');
    const o = this.pending;
    this.pending = undefined;
    // The count goes on where the frames above left it: a fresh window per
    // re-entered frame would never end if each ran less than a window.
    this.endRestore(this.countdown);
    if (o.threw) throw o.value;
    return o.value;
  }

  /** A function-style constructor's frame resumed by a stand-in (standInFor), which the call's new.target cannot name. */
  private standingIn: Frame | undefined = undefined;

  /**
   * A function-style constructor restored under a class's `super()`:
   * `super()` would run it on a new object, so for that one call the class's
   * parent is a stand-in that resumes the saved frame on the object it was
   * constructing and returns it, which `super()` binds. Returns the undo.
   */
  private standInFor(sub: Function, fr: Frame): (() => void) | undefined {
    const base = fr.fn;
    const self = fr.self;
    if (Object.getPrototypeOf(sub) !== base || typeof self !== 'object' || self === null) return undefined;
    const rt = this;
    const undo = (): void => {
      if (Object.getPrototypeOf(sub) === standIn) Object.setPrototypeOf(sub, base);
    };
    function standIn(): unknown {
      undo();
      const outer = rt.standingIn;
      rt.standingIn = fr;
      try {
        const made = Reflect.apply(base, self, []);
        return (typeof made === 'object' && made !== null) || typeof made === 'function' ? made : self;
      } finally {
        rt.standingIn = outer;
      }
    }
    Object.setPrototypeOf(sub, standIn);
    return undo;
  }

  /** Calls a saved frame's function again (its prologue takes the frame), as it was called. */
  private reenter(fr: Frame): unknown {
    if (fr.body === true) return reenterBody(fr.fn);
    if (fr.self === undefined && fr.nt === undefined) {
      // A plain call, not Reflect.apply: SpiderMonkey's interpreter runs a
      // call through a native function in a new C++ activation, several
      // times the native stack of a JS-to-JS call, and a restore makes one
      // such call per restored frame (deep recursion, DESIGN §4). `this` is
      // undefined either way (or the global object, for sloppy code, which
      // is what it was too).
      const fn = fr.fn as () => unknown;
      return fn();
    }
    if (fr.nt !== undefined) {
      if (isClass(fr.fn)) return Reflect.construct(fr.fn, [], fr.nt);
      // A plain function called with `new`: it goes on with the object it
      // was constructing, which `new` yields unless it returns an object.
      const made = Reflect.apply(fr.fn, fr.self, []);
      return (typeof made === 'object' && made !== null) || typeof made === 'function' ? made : fr.self;
    }
    return Reflect.apply(fr.fn, fr.self, []);
  }

  private finishRestore(): void {
    this.endRestore(undefined);
  }

  /** The restore is over: counting goes on from `countdown`, or in a fresh window. */
  private endRestore(countdown: number | undefined): void {
    this.landing = false;
    this.rs = false;
    this.rframes = [];
    this.fi = 0;
    if (countdown === undefined || this.nudged) {
      if (countdown !== undefined) this.base += this.armed - countdown;
      this.rearm();
    } else this.c = countdown;
    this.tailFrom = this.pointsReached();
    this.timers.resume();
  }

  /** The points reached when the last restore ended: its frame's tail began there (pauseAfterTail). */
  private tailFrom = 0;

  /** A re-entered frame returned or threw to the rewind: the timeline stands still again (rewindFrames). */
  private pauseAfterTail(): void {
    if (this.pointsReached() === this.tailFrom) this.timers.pauseAfterStraightTail();
    else this.timers.pause();
  }

  /** The frames an unwind collected (bottom first); the unwind is over. */
  takeCaptured(): Frame[] {
    this.u = false;
    const frames = this.captured.reverse();
    this.captured = [];
    return frames;
  }

  /**
   * The frames of an unwind a driver caught: `byReturn`, it came back to
   * the driver by returns, as every unwind should. Else a frame threw UNWIND
   * (a constructor, `f`) and no `super()` site caught it, so the frames
   * between it and the driver were never recorded, and the program's own
   * stack is gone with them. Writing what was recorded would restart a
   * different program; going on would skip the rest of it. Stop, saying so.
   */
  takeUnwound(byReturn: boolean): Frame[] {
    if (!byReturn) this.stackLost();
    return this.takeCaptured();
  }

  private stackLost(): never {
    const names = this.takeCaptured().map((fr) => fr.fn.name || '<anonymous>').reverse().join(' < ');
    const text = `checkpoint failed, nothing written: the program's stack could not be recorded (the unwind was thrown out of ${names} with no call site to catch it: a constructor reached by an unusual new.target). The program cannot go on; please report this with the program (exiting with code 4)`;
    if (this.host === undefined) throw new Error(`introspect: ${text}`);
    this.host.log(text);
    this.host.exit(4, isProgramFunction);
    throw new Error(`introspect: ${text}`);
  }

  /** A driver caught a capture: write the checkpoint. */
  captureAt(driver: DriverKind, frames: Frame[], timer: Timer | undefined): void {
    this.onCaptured(frames, driver, timer);
  }

  /**
   * Rewinds a captured stack; returns what its bottom frame returns (a
   * top-level await's task promise, say). The frames are re-entered from the
   * top down, one at a time: the top one goes on from its point and runs
   * until it returns or throws; that outcome is handed to the call site of
   * the frame below, re-entered next, and so on down. So the saved frames
   * never nest on the native stack — a recursion restored 10,000 deep leaves
   * the program its whole stack (SpiderMonkey runs re-entered frames with
   * several times the native stack of a plain call) — and a capture taken
   * while one of them runs records the frames still waiting below it as they
   * were saved. Constructors chained by `super()` are re-entered together,
   * nested as they were: a `super()` call can only bind `this` by running
   * the base constructor, and no class's fields may be initialized twice.
   */
  rewind(frames: Frame[]): unknown {
    this.timers.holdArming();
    try {
      return this.rewindFrames(frames);
    } finally {
      this.timers.releaseArming();
    }
  }

  private rewindFrames(frames: Frame[]): unknown {
    let outcome: { threw: boolean; value: unknown } | undefined;
    for (let hi = frames.length - 1; hi >= 0; ) {
      let lo = hi;
      while (lo > 0 && constructsThrough(frames[lo - 1], frames[lo])) lo--;
      this.rframes = frames.slice(lo, hi + 1);
      this.fi = 0;
      this.pending = outcome;
      if (outcome !== undefined) this.countdown = this.c;
      this.rs = true;
      this.c = -1;
      let unwinding: boolean;
      const undoStandIn = hi > lo && !isClass(frames[hi].fn) ? this.standInFor(frames[hi - 1].fn, frames[hi]) : undefined;
      // The frames above returned: natively their caller goes on at once.
      // Re-entering it (the engine may compile it first; its router runs)
      // is the runtime's time, not the program's: the timeline stands still
      // (from the first thing done here, before any allocation that may
      // start a collection) until the caller's call site has the outcome
      // (resume → endRestore), or a timer the frames above set would fire
      // early against the ones the caller sets next.
      try {
        const value = this.reenter(frames[lo]);
        if (lo > 0 && !this.u) this.pauseAfterTail();
        outcome = { threw: false, value };
        unwinding = this.u;
      } catch (e) {
        if (lo > 0 && e !== UNWIND) this.pauseAfterTail();
        outcome = { threw: true, value: e };
        unwinding = e === UNWIND;
      } finally {
        undoStandIn?.();
      }
      if (unwinding) {
        for (let j = lo - 1; j >= 0; j--) this.captured.push(frames[j]);
        return UNWIND;
      }
      hi = lo - 1;
    }
    this.pending = undefined;
    if (frames.length > 1) this.timers.resume();
    if (outcome === undefined) return undefined;
    if (outcome.threw) throw outcome.value;
    return outcome.value;
  }

  // ---- the driver ---------------------------------------------------------------------

  /** Runs module bodies from `index` on; a capture is written, then rewound or ended. */
  private __introspect_drive__(index: number, resumeFrames?: Frame[]): void {
    this.driving++;
    this.inBodies++;
    // ES modules are evaluated inside the platform's microtask processing
    // (a URL, not a CommonJS __filename): it decides when their ticks run.
    const esm = /^[a-z][a-z0-9+.-]+:/i.test(this.modules.list[index]?.url ?? '');
    if (esm) this.jobs.evaluatingModules(true);
    try {
      this.driveBodies(index, resumeFrames);
    } finally {
      this.inBodies--;
      if (esm) this.jobs.evaluatingModules(false);
      this.leaveDrive();
    }
  }

  private driveBodies(index: number, resumeFrames?: Frame[]): void {
    const list = this.modules.list;
    for (let i = index; i < list.length; i++) {
      if (list[i].dynamic) continue;
      this.bodyIndex = i;
      let next: () => unknown = resumeFrames && i === index ? () => this.rewind(resumeFrames) : list[i].task ? () => startTask(list[i].body) : () => list[i].body();
      for (;;) {
        let returned = false;
        try {
          const result = next();
          returned = true;
          if (this.u) throw UNWIND;
          if (isThenable(result)) {
            // A module with top-level await: the modules after it wait, as in
            // ESM evaluation. A rejection stays unhandled, as natively. The
            // continuation is a bound registered function: a checkpoint
            // taken while the body is suspended saves it.
            if (!list[i].task) list[i].done = true;
            void result.then(continueBodies.bind(undefined, i + 1));
            return;
          }
          break;
        } catch (e) {
          if (e !== UNWIND) throw e;
          const frames = this.takeUnwound(returned);
          this.onCaptured(frames, 'main', undefined);
          next = () => this.rewind(frames);
        }
      }
      list[i].done = true;
    }
    // A checkpoint due with no safe point after it (deferred inside callbacks,
    // timers or async code, which run after the bodies): take it once the
    // program has ended, with an empty stack; restarting it finishes at once.
    // Not at the end of the bodies while work is still queued: that state
    // would restart without the work.
    this.bodiesDone();
  }

  private bodiesDone(): void {
    this.bodyIndex = this.modules.list.length;
    if (this.host?.whenIdle) this.host.whenIdle(() => this.takeFinalCheckpoint());
    else this.takeFinalCheckpoint();
  }

  /**
   * A request that came while the program waits in the event loop: nothing
   * of it runs, so the checkpoint is its event loop alone (jobs, timers,
   * suspended tasks), with an empty stack. Returns why it cannot be taken.
   */
  /**
   * `createRequire(import.meta.url)`'s functions are saved by the module
   * whose URL they were made from (`require:main.ts`), or by their base where
   * it is no module of the program, and made again from it on restore; where
   * the platform has no createRequire, one that says so when called. What
   * they load by package name is named like an imported library's exports.
   */
  private nameRequireFunctions(): void {
    const requires = this.host?.requires;
    requires?.watch(
      (require, base) => this.libraries.registerNamed('require', this.modules.at(base)?.id ?? base, require),
      // a package or a built-in is a library, as if imported; a file of the program's is data
      (id, exports) => {
        if (!/^(\.{0,2}\/|file:)/.test(id)) this.libraries.register(id, exports);
      },
    );
    // A library a require function loaded is required again when the restore first meets it.
    if (requires !== undefined) this.libraries.loadMissing = (id) => requires.make(this.modules.entry?.url ?? '/')(id) as object;
    this.libraries.makeWith('require', (key) => {
      const base = this.modules.byId(key)?.url ?? key;
      if (requires !== undefined) return requires.make(base);
      return function require(id: string): never {
        throw new Error(`introspect: require('${id}'): this platform has no require function (the program made it with createRequire(${JSON.stringify(base)}) before the checkpoint)`);
      };
    });
  }

  private idleCheckpoint(): string | undefined {
    if (!this.started || this.driving > 0) return 'the program is starting';
    if (this.bodyPending()) return 'a module with top-level await is still running';
    if (!this.host?.pendingRequest?.()) return undefined;
    if (this.waitingOnPlatform()) {
      // Taken at the first point once the I/O is done (its results run program code), or failed at the quiesce timeout.
      this.request();
      this.quiesceSince = this.timers.now();
      this.timers.watchdog(() => {
        if (this.requested && this.driving === 0 && this.waitingOnPlatform()) this.quiesceExpired();
      }, (this.config.quiesceTimeout ?? 10_000) + 1);
      return undefined;
    }
    this.onCaptured([], 'idle', undefined);
    return undefined;
  }

  private takeFinalCheckpoint(): void {
    if (this.started && (this.requested || this.pointsReached() >= this.target || this.retry !== undefined)) {
      this.requested = false;
      this.target = Infinity;
      this.onCaptured([], 'idle', undefined);
    }
  }

  private programClocks(): ProgramClock[] {
    // The host's first: an engine's performance.now() may read them (Node 18's reads process.hrtime).
    const perf = performanceClock();
    return [...(this.host?.clocks?.() ?? []), ...(perf ? [perf] : [])];
  }

  private onCaptured(frames: Frame[], driver: DriverKind, timer: Timer | undefined): void {
    if (!this.sink) return;
    // the timeline stands still from the unwind (or here) until the program goes on:
    // after the write, or after the rewind of its frames (endRestore)
    this.timers.pause();
    try {
      const process = this.host?.processListeners?.(isProgramFunction);
      const exitCode = this.host?.exitCode?.();
      const processChanges = this.host?.processChanges?.();
      const openFiles = this.host?.openFiles?.();
      const clocks = readClocks(this.programClocks());
      const console = consoleState();
      const timeline = timelineState();
      this.sink.captured(this, frames, this.bodyIndex, {
        driver, timer, jobs: this.jobs.capture(), timers: this.timers.capture(), clocks,
        ...(process?.length ? { process } : {}), ...(exitCode !== undefined ? { exitCode } : {}), ...(processChanges ? { processChanges } : {}), ...(openFiles ? { openFiles } : {}), ...(console ? { console } : {}), ...(timeline ? { timeline } : {}),
      });
      this.retry = undefined;
    } catch (e) {
      if (!this.retryLater(e)) this.checkpointFailed(e);
    }
    if (frames.length === 0) this.timers.resume();
  }

  /** A capture that failed on a value running code holds, being retried: since when, and after how many points next. */
  private retry: { since: number; after: number } | undefined = undefined;

  /** A capture is being retried (retryLater): the checkpoint now written is later than asked. */
  get retrying(): boolean {
    return this.retry !== undefined;
  }

  /**
   * A value that cannot be saved (a crypto Hash, a stream) held by a frame
   * or a suspended task is often gone a little later: the function returns,
   * the loop ends. Then the checkpoint is tried again, after 2, 4, 8… more
   * points (each try walks the heap), until one succeeds or the quiesce
   * timeout passes, and only then fails, with the last error. A module
   * variable or a global does not go away: that fails at once, as before.
   */
  private retryLater(e: unknown): boolean {
    // a platform promise a module holds: retried once its outcome is in (platform-promises.ts)
    const awaitedPromise = platformPromisesAwaited() > 0;
    if (!(e instanceof CaptureError) || (/^(module|global) /.test(e.path) && !awaitedPromise)) return false;
    const now = this.timers.now();
    this.retry ??= { since: now, after: 1 };
    if (now - this.retry.since > (this.config.quiesceTimeout ?? 10_000)) {
      this.retry = undefined;
      return false;
    }
    this.deferral ??= { by: `a value running code holds cannot be saved (${e.message}); tried again until it was gone`, point: this.pointsReached() };
    this.retry.after = Math.min(this.retry.after * 2, 1 << 20);
    this.target = this.pointsReached() + this.retry.after;
    this.rearm();
    return true;
  }

  /** A checkpoint that cannot be written never stops the program. */
  private checkpointFailed(e: unknown): void {
    const message = e instanceof Error ? e.message : String(e);
    // Asked to stop after the checkpoint, the program stops all the same,
    // with a non-zero exit code, since what it should have left is missing.
    const stop = this.config.exitAfterCheckpoint === true && this.host !== undefined;
    const text = `checkpoint failed, nothing written: ${message}${stop ? ' (exiting with code 4: --exit-after-checkpoint was asked)' : ''}`;
    if (this.host) this.host.log(text);
    else console.error(`introspect: ${text}`);
    this.host?.checkpointFailed?.(e);
    if (stop) this.host!.exit(4, isProgramFunction);
  }

  // ---- boot ------------------------------------------------------------------------------

  /** Each instrumented module registers once as it loads; the first schedules the start. */
  module(record: ModuleRecord): void {
    if (typeof record.functions === 'string') record.functions = decodeFunctionTable(record.id, JSON.parse(record.functions) as unknown[][]);
    if (this.started) return this.dynamicModule(record);
    if (this.reloading === 'importing') {
      // loaded by import() before the checkpoint: its body ran then, its state comes from the checkpoint
      record.dynamic = true;
      record.done = true;
    }
    this.modules.add(record);
    // The name stack traces give the module's frames, which is not always
    // its URL: Deno maps them through the source map to the .ts source. The
    // stack check (foreignFrame) must know that name too, or it would take
    // the module for foreign code and defer every checkpoint inside it.
    const reported = callerFile();
    if (reported !== undefined) this.modules.addFile(reported);
    if (this.modules.list.length === 1) queueMicrotask(() => this.start());
  }

  /**
   * A module registering once the program runs was loaded by `import()`:
   * its body runs now, during its evaluation, as natively (its own static
   * imports registered and ran just before it), or once the body of one of
   * them that is at a top-level await has ended (DynamicImports.evaluate).
   * No checkpoint is taken inside its synchronous part (no driver below);
   * one after it lists the module in the file's header, and a restart loads
   * it again before the program resumes (`reloadDynamicImports`). One due
   * while an `import()` is still in flight waits until it has landed.
   */
  private dynamicModule(record: ModuleRecord): void {
    record.dynamic = true;
    record.done = true;
    this.modules.add(record);
    const reported = callerFile();
    if (reported !== undefined) this.modules.addFile(reported);
    this.dynamicImports.evaluate(record);
  }

  private start(): void {
    if (this.reloadDynamicImports()) return;
    // before the program's first statement, and before a restart re-applies its changes;
    // the console's wrappers first, so that they are what the pristine view holds
    const boot = bootOf();
    // The later built-ins are the program's where they were when it started
    // (later-builtins.ts): a fresh run asks the engine, before anything is
    // provided; a restart provides what the checkpoint lists.
    const restore = boot?.config?.restore;
    const had = restore === undefined ? [...nativeLaterBuiltins(), ...nativeIteratorHelpers(), ...nativeWeakSymbolKeys()] : this.sink?.laterBuiltins(restore);
    this.laterBuiltins = had;
    if (restore !== undefined) {
      provideLaterBuiltins(had);
      provideWeakSymbolKeys(had);
    }
    installIteratorHelpers(restore !== undefined && (had === undefined || had.includes(ITERATOR_HELPERS)));
    programPromiseHas(had === undefined || had.includes(PROMISE_WITH_RESOLVERS));
    trackConsole(boot?.host?.builtins?.console);
    recordPristine();
    this.host = boot?.host;
    for (const [name, value] of Object.entries(this.host?.named ?? {})) this.libraries.registerNamed('platform', name, value);
    for (const [name, read] of Object.entries(this.host?.namedLazily ?? {})) this.libraries.registerLazily('platform', name, read);
    useProxyTest(this.host?.isProxy);
    this.host?.whenIdle?.(() => {
      // bodies not all run, and nothing left that could settle the await they wait on
      const pending = this.modules.list[this.bodyIndex];
      if (pending !== undefined && !pending.done) this.host?.unsettledTopLevelAwait?.(pending.url);
    });
    for (const [key, ns] of Object.entries(this.host?.libraries ?? {})) this.libraries.register(key, ns, { getters: false });
    for (const p of this.host?.plainPrototypes ?? []) plainPrototype(p);
    this.nameRequireFunctions();
    this.config = boot?.config ?? {};
    this.timers.use(this.host?.timers);
    this.host?.onIdleRequests?.(() => this.idleCheckpoint());
    this.nudging = this.host?.nudges === true;
    if (this.host?.pendingRequest && !this.nudging) this.window = REQUEST_WINDOW;
    if (this.config.checkpointAt !== undefined) this.target = this.config.checkpointAt;
    this.warmPoints();
    this.started = true;
    this.base = 0;
    this.rearm();
    if (this.config.restore) {
      if (!this.sink) throw new Error('introspect: this runtime has no checkpoint reader');
      const sink = this.sink;
      const file = this.config.restore;
      const restored = this.orRestartFails(() => sink.restore(this, file));
      // before anything reads them: the hooks, the timers (their due times are on the same clock)
      continueClocks(this.programClocks(), restored.async?.clocks);
      restoreTimeline(restored.async?.timeline);
      restoreConsoleState(restored.async?.console);
      for (let i = 0; i < restored.bodyIndex; i++) this.modules.list[i].done = true;
      const async = restored.async;
      const driver = async?.driver ?? 'main';
      this.jobs.restore(async?.jobs, driver !== 'jobs');
      this.timers.restore(async?.timers);
      if (async?.process) this.host?.addProcessListeners?.(async.process);
      if (async?.exitCode !== undefined) this.host?.setExitCode?.(async.exitCode);
      if (async?.processChanges) this.host?.applyProcessChanges?.(async.processChanges);
      // after the working directory: the paths are absolute, but a warning reads better in the process as restored
      const openFiles = async?.openFiles;
      if (openFiles) this.orRestartFails(() => this.host?.reopenFiles?.(openFiles));
      // The hooks run in the process as restored (its jobs, timers, working
      // directory): what they queue or set comes after what was saved.
      for (const hook of [...this.restoreHooks]) hook();
      if (driver === 'main') {
        this.__introspect_drive__(restored.bodyIndex, restored.frames);
        return;
      }
      // Taken outside the bodies' driver: the bodies before bodyIndex are done,
      // and the one at it, if any, is a suspended top-level-await task whose
      // continuation (the bodies after it) was restored with the jobs; so no
      // body runs again here. Where all were done, the final checkpoint is
      // armed as the driver would have armed it.
      this.bodyIndex = restored.bodyIndex;
      const pendingBody = this.modules.list[restored.bodyIndex];
      if (pendingBody === undefined) this.bodiesDone();
      else if (!pendingBody.task) this.__introspect_drive__(restored.bodyIndex);
      if (driver === 'jobs') this.jobs.__introspect_drive__(restored.frames);
      else if (driver === 'timer') this.timers.resumeIn(async!.timer!, restored.frames);
      return;
    }
    this.__introspect_drive__(0);
  }

  /**
   * A restart of a program that had loaded modules with import(): imports
   * them again first, then starts (true: started later, once they are in).
   */
  private reloadDynamicImports(): boolean {
    const restore = bootOf()?.config?.restore;
    if (this.reloading !== 'no' || restore === undefined) return false;
    const saved: SavedDynamicImports | undefined = this.sink?.dynamicImports(restore);
    const entry = this.modules.entry;
    if (saved === undefined || entry === undefined) return false;
    this.reloading = 'importing';
    this.dynamicImports.reload(saved, entry.url, bootOf()?.host?.importModule).then(
      () => {
        this.reloading = 'done';
        this.start();
      },
      (e: unknown) => {
        this.host = bootOf()?.host;
        this.restartFailed(`a module the program had loaded with import() cannot be loaded again: ${(e as Error)?.message ?? String(e)}`);
      },
    );
    return true;
  }

  // ---- helpers called by instrumented code --------------------------------------------

  /** An async or generator function the transform made plain: its kind's prototype back (functions.ts functionKind). */
  readonly fk = functionKind;

  /** A static function by id (a frame's `self` for methods and top-level functions). */
  sf(id: string): Function {
    const fn = functions.staticFunction(id);
    if (!fn) throw new Error(`introspect: unknown function ${id}`);
    return fn;
  }

  /** Registers a top-level class and its instrumented methods as static functions (a method's id given where it is not memberIdOf's). */
  cls(C: Function, id: string, members: [string, number, string?][]): void {
    functions.registerStatic(id, C);
    for (const [key, flags, mid = memberIdOf(id, key, flags)] of members) {
      const holder = flags & 1 ? C : C.prototype;
      const d = Object.getOwnPropertyDescriptor(holder, key);
      if (d && typeof d.value === 'function') functions.registerStatic(mid, functionKind(d.value, flags >> 1));
    }
    functions.registerClassMembers(id, C);
  }

  /** Closure factories inside a class made at run time (functions.ts inClassFactory, madeClassFactory). */
  readonly icf = inClassFactory;
  readonly mcf = madeClassFactory;

  /** A class a factory made (scopes.ts runtimeClass): registered like a closure; see functions.ts. */
  rcls(C: Function, id: string, envs: unknown[], instrumented: [string, number][], staticInit: (() => void) | undefined): Function[] {
    if (staticInit !== undefined) this.pendingStatics.set(C, staticInit);
    return functions.registerMadeClass(C, id, envs, instrumented);
  }

  /**
   * Names a class the transform gave a binding name of its own (super-homes.ts)
   * as the program's anonymous class was named (`shown`: from where it
   * landed, or ''); runs before its static initialization, which may read
   * it. A static `name` member the class defined itself stays.
   */
  cname(C: Function, given: string, shown: string): void {
    const d = Object.getOwnPropertyDescriptor(C, 'name');
    if (d !== undefined && d.value === given) Object.defineProperty(C, 'name', { value: shown });
  }

  /** Runs a made class's static initialization where the program defines it (never on restore). */
  csi<C extends Function>(C: C): C {
    const init = this.pendingStatics.get(C);
    if (init !== undefined) {
      this.pendingStatics.delete(C);
      init();
    }
    return C;
  }

  private readonly pendingStatics = new WeakMap<Function, () => void>();

  /** Where an object literal's accessor goes until `acc` defines it. */
  readonly PH: unknown = Object.freeze({ placeholder: 'introspect accessor' });

  // ---- private fields (privates.ts) ----------------------------------------------------

  readonly privates = new PrivateFields();
  /** True during blank construction: instrumented constructors return at once. */
  bk = false;

  priv(C: Function, read?: (o: object) => unknown[] | undefined, write?: (o: object, v: unknown[]) => void, readStatic?: () => unknown[], writeStatic?: (v: unknown[]) => void): void {
    this.privates.register(C, read, write, readStatic, writeStatic);
  }

  /** An object of class C carrying its private names, its constructor bodies not run. */
  blankConstruct(C: Function, newTarget: Function = C): object {
    const { bk, rs } = this;
    this.bk = true;
    this.rs = true;
    try {
      return Reflect.construct(C, [], newTarget) as object;
    } finally {
      this.bk = bk;
      this.rs = rs;
    }
  }

  // ---- generators (generators.ts) ----------------------------------------------------

  /** Sent into a yield by `gen.return(v)`: the body returns `rv`. */
  readonly RT: unknown = Object.freeze({ introspect: 'return' });
  rv: unknown = undefined;
  /** Sent into a suspended body by a checkpoint (generators.ts `settle`): it yields its frame record and suspends again. */
  readonly CAPTURE: unknown = Object.freeze({ introspect: 'capture' });
  /** Yielded by a restored body primed at its yield (generators.ts `prime`). */
  readonly PRIMED: unknown = Object.freeze({ introspect: 'primed' });
  /** How the last yield was resumed (read by async `yield*` loops). */
  sm: ResumeMode = 'next';
  /** The kind of the yield a body is stopping at (generators.ts PLAIN_YIELD…), and a `yield*`'s delegate. */
  yk = PLAIN_YIELD;
  ydel: unknown = undefined;

  gen(body: Function): Generator {
    return new Generator(body);
  }

  /**
   * The operand of a `yield*`'s yield: the body suspends with `d` as its
   * generator's delegate, and the delegate's result object `step` is what
   * the generator's `next` returns (ECMA-262 GeneratorYield(innerResult)).
   */
  yd(d: unknown, step: unknown): unknown {
    this.yk = DELEGATE_YIELD;
    this.ydel = d;
    return step;
  }

  /** What a suspended body yields when asked for its frame (CAPTURE): its resume point and values. */
  yf(pc: number, values: unknown[], fn: Function): { pc: number; values: unknown[]; fn: Function } {
    // The yield's own target holds the marker now; it is assigned on resumption.
    for (let i = 0; i < values.length; i++) if (values[i] === this.CAPTURE) values[i] = undefined;
    return { pc, values, fn };
  }

  /** A suspended body is about to be primed: a one-frame rewind to its yield. */
  resumeSuspended(frame: Frame): void {
    this.countdown = this.c;
    this.rframes = [frame];
    this.fi = 0;
    this.rs = true;
    this.c = -1;
  }

  /** The router of a primed yield: the rewind is over; the body suspends there (PRIMED). */
  pr(): unknown {
    this.endRestore(this.countdown);
    return this.PRIMED;
  }

  dg = delegateOf;
  ds = delegateStep;
  gn0 = drive0;
  gn1 = drive1;
  /** Set by `gn0`/`gn1` and co. just before a generator step: it is driven from a resume point. */
  direct = false;

  /** A suspension point reached outside instrumented code (a generator's resumption). */
  point(): void {
    this.event();
  }

  /**
   * Defines an object literal's accessors (made by factories) over their
   * placeholders. A def under a computed key (`computed`: its key is the one
   * the literal's ToPropertyKey gave) is one getter or setter, named after
   * the key as natively; a getter and a setter whose computed keys turn out
   * equal make one accessor.
   */
  acc<T extends object>(o: T, defs: ([PropertyKey, Function | undefined, Function | undefined] | [PropertyKey, Function | undefined, Function | undefined, true])[]): T {
    let defined: Map<PropertyKey, PropertyDescriptor> | undefined;
    for (const [key, get, set, computed] of defs) {
      const mine = defined?.get(key);
      // A later property of the literal (spread, computed key) replaced it.
      if (mine === undefined && Object.getOwnPropertyDescriptor(o, key)?.value !== this.PH) continue;
      if (computed) {
        if (get) this.nameAccessor(get, 'get', key);
        if (set) this.nameAccessor(set, 'set', key);
      }
      const d = { get: get ?? mine?.get, set: set ?? mine?.set, enumerable: true, configurable: true } as PropertyDescriptor;
      Object.defineProperty(o, key, d);
      if (computed) (defined ??= new Map()).set(key, d);
    }
    return o;
  }

  private nameAccessor(fn: Function, kind: 'get' | 'set', key: PropertyKey): void {
    Object.defineProperty(fn, 'name', { value: `${kind} ${keyName(typeof key === 'symbol' ? key : String(key))}`, configurable: true });
  }

  /**
   * A computed key of an object literal whose value is an anonymous function
   * or class, made by a factory (which names it by a stand-in key): the key
   * as the literal uses it (ToPropertyKey, once), kept for `named`, which
   * runs next, before any code of the program can.
   */
  private litKey: string | symbol = '';

  nk(key: unknown): string | symbol {
    this.litKey = Reflect.ownKeys({ [key as PropertyKey]: 0 })[0];
    return this.litKey;
  }

  /** The made function named after the computed key `nk` took, as the literal would name it natively. */
  named<F extends Function>(fn: F): F {
    return this.nameAs(fn, this.litKey);
  }

  /** A computed key as a property key (ToPropertyKey), taken once where a made class's key is evaluated. */
  pk(key: unknown): string | symbol {
    return Reflect.ownKeys({ [key as PropertyKey]: 0 })[0];
  }

  /** A made anonymous function or class named after the key of the computed class field (or literal property) it defines. */
  nameAs<F extends Function>(fn: F, key: unknown): F {
    if (fn.name !== '') return fn;
    const name = keyName(typeof key === 'symbol' ? key : this.pk(key));
    if (name !== '') Object.defineProperty(fn, 'name', { value: name, configurable: true });
    return fn;
  }

  /** The getter or setter a one-member object literal holds (used by factories). */
  accessorOf(holder: object, key: string, getter: boolean): Function {
    const d = Object.getOwnPropertyDescriptor(holder, key)!;
    return (getter ? d.get : d.set)!;
  }

  /** `super[key]` of a method whose home object is `home`, read for `receiver` (transformer/generators.ts superReads). */
  sg(home: object, key: PropertyKey, receiver: unknown): unknown {
    return Reflect.get(Object.getPrototypeOf(home) as object, key, receiver);
  }

  /** End of a no-save region around one call in generator/async code. */
  nx(_depth: number, value: unknown): unknown {
    this.ns--;
    return value;
  }

  ctorResult(value: unknown, self: unknown): unknown {
    return value !== null && (typeof value === 'object' || typeof value === 'function') ? value : self;
  }

  iter = iterate;
  arr = indexable;
  ni = collectionIterator;
  /** Closes a `for…of` iterator left early: a program's `return()` runs as a no-save region (the loop's pending completion lives in a native finally). */
  close(it: unknown, step: Parameters<typeof closeIterator>[1], thrown?: 1): void {
    if (step === undefined || step.done) return; // ran to its end: nothing to close
    this.ns++;
    try {
      closeIterator(it, step, thrown === 1);
    } finally {
      this.ns--;
    }
  }

  /** The operand of a spread or of array destructuring (iterators.ts engineIterable). */
  nsi(x: unknown): unknown {
    return engineIterable(x);
  }
  keys = forInKeys;

  // ---- public API ---------------------------------------------------------------------------

  /** Asks for a checkpoint at the next point where one can be taken. */
  request(): void {
    this.requested = true;
    this.endWindow();
  }

  onRestore(fn: () => void): void {
    this.restoreHooks.push(fn);
  }

  get currentBody(): number {
    return this.bodyIndex;
  }
}

/** The continuation of module bodies after a top-level await (bound to the next index; saved as such). */
function continueBodies(index: number): void {
  (globalThis as Record<symbol, Runtime>)[Symbol.for('introspect.runtime')].continueBodies(index);
}
functions.registerStatic('introspect:continueBodies', continueBodies);

/** The file (URL or path) of one stack-trace line, or undefined for a native frame. */
/** The file stack traces name for the code that called the runtime here, or undefined. */
function callerFile(): string | undefined {
  const stack = new Error().stack;
  if (typeof stack !== 'string') return undefined;
  const files = stack.split('\n').map(fileOfFrame).filter((f) => f !== undefined);
  return files.find((f) => f !== files[0]);
}

/** A native generator's `next`/`throw` in a stack trace: V8 (`at $g3.next (<anonymous>)`), QuickJS (`at next (native)`); JavaScriptCore and SpiderMonkey list none. */
const NATIVE_RESUMPTION = /^\s*at (?:[\w$]+\.)?(?:next|throw) \((?:<anonymous>|native)\)\s*$/;

export function fileOfFrame(line: string): string | undefined {
  const m = /(?:\(|@|at )((?:file|https?|node|blob):[^\s()]*?|\/[^\s()]*?|[A-Za-z]:\\[^\s()]*?):\d+:\d+\)?\s*$/.exec(line);
  return m ? m[1] : undefined;
}

/** The name a function defined under a property key gets natively (SetFunctionName): the string, or a symbol's `[description]`. */
function keyName(key: string | symbol): string {
  return typeof key === 'symbol' ? (key.description === undefined ? '' : `[${key.description}]`) : key;
}
