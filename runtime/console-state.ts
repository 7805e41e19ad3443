// The console's own state across a restart: how deep `console.group` has
// indented, and the `console.count` counters. The platform keeps both inside
// its console, out of reach, and a restart is a new console, so output after
// the restart came out unindented and counts started again at 1.
// Takes the platform's console at the runtime's start (before the pristine
// globals are recorded, so the wrappers are what a restore names too);
// guarantees that group/groupEnd/count/countReset behave as the platform's
// while tracking what they change, and that after a restore the group depth
// is entered again (a `group()` without a label prints nothing) and counts go
// on from the saved values, printed as every platform prints them
// ("label: n", through console.log).

export interface ConsoleState {
  depth: number;
  counts: [string, number][];
}

type ConsoleFn = (...args: unknown[]) => void;

interface Tracker {
  depth: number;
  counts: Map<string, number>;
  /** After a restore the platform's counters are not ours: count ourselves. */
  ownCounts: boolean;
  group: ConsoleFn;
}

let tracker: Tracker | undefined;

/** The console the program prints with: the host's (gjs hands the script one of its own), else the global one. */
let tracked: Record<string, unknown> | undefined;

/** Wraps the console's group and count methods, once per realm; no-op where they are missing. */
export function trackConsole(programConsole?: unknown): void {
  const console = (programConsole ?? (globalThis as unknown as { console?: Record<string, unknown> }).console) as Record<string, unknown> | undefined;
  if (tracker !== undefined || console === undefined) return;
  tracked = console;
  const group = console.group, collapsed = console.groupCollapsed, groupEnd = console.groupEnd;
  const count = console.count, countReset = console.countReset;
  if (typeof group !== 'function' || typeof groupEnd !== 'function' || typeof count !== 'function' || typeof countReset !== 'function') return;
  const t: Tracker = (tracker = { depth: 0, counts: new Map(), ownCounts: false, group: group as ConsoleFn });
  const methods: Record<string, ConsoleFn> = {
    group(...label) {
      Reflect.apply(group, this, label);
      t.depth++;
    },
    groupEnd() {
      Reflect.apply(groupEnd, this, []);
      if (t.depth > 0) t.depth--;
    },
    count(label = 'default') {
      const key = `${label}`;
      const n = (t.counts.get(key) ?? 0) + 1;
      t.counts.set(key, n);
      if (t.ownCounts) (console.log as ConsoleFn)(`${key}: ${n}`);
      else Reflect.apply(count, this, [key]);
    },
    countReset(label = 'default') {
      const key = `${label}`;
      const counted = t.counts.has(key);
      if (counted) t.counts.set(key, 0);
      // the platform's counter too, unless we count ourselves (it warns of a label it never counted)
      if (!(t.ownCounts && counted)) Reflect.apply(countReset, this, [key]);
    },
  };
  if (typeof collapsed === 'function') {
    methods.groupCollapsed = function groupCollapsed(...label) {
      Reflect.apply(collapsed, this, label);
      t.depth++;
    };
  }
  for (const [name, fn] of Object.entries(methods)) {
    const descriptor = Object.getOwnPropertyDescriptor(console, name);
    if (descriptor === undefined || !('value' in descriptor) || !descriptor.writable) continue;
    Object.defineProperty(console, name, { ...descriptor, value: fn });
  }
}

/** What a checkpoint saves; undefined when the program has not changed the console's state. */
export function consoleState(): ConsoleState | undefined {
  if (tracker === undefined || (tracker.depth === 0 && tracker.counts.size === 0)) return undefined;
  return { depth: tracker.depth, counts: [...tracker.counts] };
}

export function restoreConsoleState(saved: ConsoleState | undefined): void {
  if (tracker === undefined || saved === undefined) return;
  const console = tracked;
  for (let i = tracker.depth; i < saved.depth; i++) Reflect.apply(tracker.group, console, []);
  tracker.depth = Math.max(tracker.depth, saved.depth);
  if (saved.counts.length > 0) {
    tracker.counts = new Map(saved.counts);
    tracker.ownCounts = true;
  }
}
