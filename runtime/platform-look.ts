// What the program can print of the runtime's stand-ins for objects of the
// platform (promises, generator and async generator objects, iterators)
// shows the platform's object. Their state is in symbol-keyed fields
// (hidden-fields.ts), which Object.keys, for-in and JSON.stringify skip as
// they skip a native object's internal slots; Node's console, which would
// print symbol keys, is given what it shows for the native object.

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** `inspect`: what Node's util.inspect prints (a string), given the object and the inspect function for its parts. */
export function lookLikePlatform(proto: object, inspect: (self: object, show: (v: unknown) => string) => string): void {
  Object.defineProperty(proto, INSPECT, {
    value(this: object, _depth: number, options: unknown, show: (v: unknown, o: unknown) => string): string {
      return inspect(this, (v) => (typeof show === 'function' ? show(v, options) : String(v)));
    },
    writable: true,
    configurable: true,
  });
}

/** The properties the program gave a stand-in (its own enumerable string keys), as Node shows them after the tag. */
export function programProperties(self: object): Record<string, unknown> {
  const own: Record<string, unknown> = {};
  for (const key of Object.keys(self)) own[key] = (self as Record<string, unknown>)[key];
  return own;
}
