// The program's performance timeline across a restart: the marks and
// measures of User Timing (`performance.mark`, `performance.measure`). The
// platform keeps them out of reach, and a restart is a new process whose
// timeline is empty, so `performance.measure('phase', 'start')` after a
// restore would throw that the mark does not exist. Takes the timeline at
// the checkpoint; guarantees that after the restore the same marks and
// measures are there, with their names, times (on the program's clock,
// clocks.ts) and details, in their order. A PerformanceMark or
// PerformanceMeasure the program holds (`const m = performance.measure(…)`)
// is saved as which entry it is (platform-values.ts), and is that entry of
// the restored timeline.

import { PlatformValue } from './transient.js';
import { functions } from './functions.js';

type Perf = {
  getEntriesByType?(type: string): { name: string; startTime: number; duration: number; detail?: unknown }[];
  mark?(name: string, options?: { startTime?: number; detail?: unknown }): unknown;
  measure?(name: string, options?: { start?: number; duration?: number; detail?: unknown }): unknown;
};

/** A mark (duration 0) or a measure, as saved. */
export interface TimelineEntry {
  kind: 'mark' | 'measure';
  name: string;
  startTime: number;
  duration: number;
  detail: unknown;
}

function performanceOf(): Perf | undefined {
  const perf = (globalThis as { performance?: Perf }).performance;
  return typeof perf?.getEntriesByType === 'function' ? perf : undefined;
}

/** What a checkpoint saves; undefined when the program made no mark or measure. */
export function timelineState(): TimelineEntry[] | undefined {
  const perf = performanceOf();
  if (perf === undefined) return undefined;
  const entries: TimelineEntry[] = [];
  for (const kind of ['mark', 'measure'] as const) {
    for (const e of perf.getEntriesByType!(kind)) entries.push({ kind, name: e.name, startTime: e.startTime, duration: e.duration, detail: e.detail ?? null });
  }
  return entries.length > 0 ? entries : undefined;
}

/** Makes the saved marks and measures again (after the clocks read on from the checkpoint's readings). */
export function restoreTimeline(saved: TimelineEntry[] | undefined): void {
  if (saved === undefined || performanceOf() === undefined) return;
  for (const e of saved) entryOf(e.kind, e.name, e.startTime, e.duration, e.detail);
}

/** The timeline's entry of this kind, name and times, made if it is not there yet (a held entry may have made it first). */
function entryOf(kind: 'mark' | 'measure', name: string, startTime: number, duration: number, detail: unknown): unknown {
  const perf = performanceOf();
  // An engine without the User Timing API (QuickJS, jsc, gjs): the entry's fields, as the program reads them.
  if (perf?.getEntriesByType === undefined) return { name, entryType: kind, startTime, duration, detail };
  const there = perf.getEntriesByType(kind).find((e) => e.name === name && e.startTime === startTime && e.duration === duration);
  if (there !== undefined) return there;
  const options = { detail: detail === null ? undefined : detail };
  return kind === 'mark' ? perf.mark?.(name, { ...options, startTime }) : perf.measure?.(name, { ...options, start: startTime, duration });
}

let entryPrototypes: Map<object, 'mark' | 'measure'> | undefined;

/** The transient standing for a PerformanceMark or PerformanceMeasure (not a subclass's), if `v` is one. */
export function timelineEntryValue(v: object): PlatformValue | undefined {
  if (entryPrototypes === undefined) {
    entryPrototypes = new Map();
    const g = globalThis as Record<string, unknown>;
    for (const [name, kind] of [['PerformanceMark', 'mark'], ['PerformanceMeasure', 'measure']] as const) {
      const C = g[name] as Function | undefined;
      if (typeof C === 'function' && typeof C.prototype === 'object' && C.prototype !== null) entryPrototypes.set(C.prototype as object, kind);
    }
  }
  const kind = entryPrototypes.get(Object.getPrototypeOf(v) as object);
  if (kind === undefined) return undefined;
  const e = v as { name: string; startTime: number; duration: number; detail?: unknown };
  return new PlatformValue(entryOf.bind(undefined, kind, e.name, e.startTime, e.duration, e.detail ?? null));
}

functions.registerStatic('introspect:timelineEntry', entryOf);
