// node:fs' Stats objects as Bun and Deno make them, saved as Node's are:
// an object of their own properties under `fs.Stats.prototype` (named by
// the host library `host:node:fs`), made again on restore under the
// restarting platform's prototype, whose methods answer from those
// properties. Takes node:fs; guarantees what the heap needs of their Stats:
// - Bun's Stats class is native, which the heap takes for a class whose
//   objects keep their state in internal slots, yet everything a Stats
//   answers (isDirectory() from `mode`, `mtime` from `mtimeMs`) comes from
//   its own properties: `plainPrototypes` lists its prototype, checked once
//   by copying a real Stats and asking the copy;
// - Deno puts own closures on each Stats (`isFile`, `isDirectory`,
//   `isSymbolicLink`, over the file info it was made from), which no
//   checkpoint can save, while its prototype's methods give the same answers
//   from `mode`: the prototype lists them as transient fields
//   (Symbol.for('introspect.transient'), heap/writer.ts), left out of a
//   checkpoint;
// - Node keeps a Stats' dates as own properties, where Bun's prototype
//   computes them from `mtimeMs` and the like: `repairStats` gives a Stats
//   restored on such a platform without them its own dates from those.

type Fs = typeof import('node:fs');

const TRANSIENT = Symbol.for('introspect.transient');
const TESTS = ['isFile', 'isDirectory', 'isSymbolicLink', 'isFIFO', 'isSocket', 'isBlockDevice', 'isCharacterDevice'] as const;

/** The prototypes whose objects are plain though the platform made their class natively (Bun's fs.Stats). */
export function plainStatsPrototypes(fs: Fs): object[] {
  const prototype = fs.Stats?.prototype as object | undefined;
  if (prototype === undefined) return [];
  let stats: import('node:fs').Stats;
  try {
    stats = fs.statSync('.');
  } catch {
    return [];
  }
  if (Object.getPrototypeOf(stats) !== prototype) return [];
  const closures = TESTS.filter((key) => Object.hasOwn(stats, key) && typeof (stats as unknown as Record<string, unknown>)[key] === 'function');
  const copy = Object.create(prototype) as Record<string, unknown>;
  for (const key of Object.keys(stats)) if (!closures.includes(key as (typeof TESTS)[number])) copy[key] = (stats as unknown as Record<string, unknown>)[key];
  try {
    const same = TESTS.every((key) => (copy[key] as () => boolean).call(copy) === stats[key]()) && (copy.mtime as Date).getTime() === stats.mtime.getTime();
    if (!same) return [];
  } catch {
    return [];
  }
  if (closures.length > 0) Object.defineProperty(prototype, TRANSIENT, { value: closures, configurable: true });
  return [prototype];
}

const DATES = ['atime', 'mtime', 'ctime', 'birthtime'] as const;

/** What Host.repairRestored does for Stats objects here, or undefined where a Stats needs no own dates. */
export function repairStats(fs: Fs): ((objects: readonly unknown[]) => void) | undefined {
  const prototype = fs.Stats?.prototype as object | undefined;
  let stats: import('node:fs').Stats;
  try {
    stats = fs.statSync('.');
  } catch {
    return undefined;
  }
  if (prototype === undefined || !DATES.every((key) => Object.hasOwn(stats, key))) return undefined;
  return (objects) => {
    for (const o of objects) {
      if (typeof o !== 'object' || o === null || Object.getPrototypeOf(o) !== prototype) continue;
      const saved = o as Record<string, unknown>;
      for (const key of DATES) if (!Object.hasOwn(o, key) && typeof saved[`${key}Ms`] === 'number') saved[key] = new Date(saved[`${key}Ms`] as number);
    }
  };
}
