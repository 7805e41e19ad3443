// The runtime's stand-ins for objects of the platform (promises, generator
// and async generator objects) keep their state in own fields, where the
// heap saves it. What the program can print shows the platform's object
// instead: `JSON.stringify` skips those fields (a `toJSON` of the prototype
// that keeps only the program's own properties), and Node's console shows
// what it shows for the native object. Object.keys and for-in still see the
// fields (README limits): hiding them would cost every promise and generator
// a slower shape.

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * `internal`: the fields of the runtime's class. `inspect`: what Node's
 * util.inspect prints (a string), given the object and the inspect function
 * for its parts; undefined keeps the class's own.
 */
export function lookLikePlatform(proto: object, internal: readonly string[], inspect?: (self: object, show: (v: unknown) => string) => string): void {
  const hidden = new Set(internal);
  Object.defineProperty(proto, 'toJSON', {
    value(this: object): Record<string, unknown> {
      const own: Record<string, unknown> = {};
      for (const key of Object.keys(this)) if (!hidden.has(key)) own[key] = (this as Record<string, unknown>)[key];
      return own;
    },
    writable: true,
    configurable: true,
  });
  if (inspect === undefined) return;
  Object.defineProperty(proto, INSPECT, {
    value(this: object, _depth: number, options: unknown, show: (v: unknown, o: unknown) => string): string {
      return inspect(this, (v) => (typeof show === 'function' ? show(v, options) : String(v)));
    },
    writable: true,
    configurable: true,
  });
}
