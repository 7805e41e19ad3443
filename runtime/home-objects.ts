// `super` in an object-literal method. The engine looks `super.x` up from the
// method's home object, the literal it was written in; a method made again by
// its factory on restore (or made by one at all) would have the factory's
// literal as its home. So the transform writes such a method's `super.x` as
// `$R.sg($self, "x", this)` (and `super.x(…)` as a `.call` of that), and
// marks the methods of the literal with their home (`$R.home`), and its
// getters and setters alike. Takes the literal and the keys of its methods
// and accessors that use `super`; guarantees that each
// method holds its home under a registered symbol (an own property, so it is
// saved and restored with the function), and that `sg` reads the property
// from the home's current prototype with `this` as the receiver, as `super.x`
// does.

const HOME = Symbol.for('introspect.home');

export function homeMethods<T extends object>(literal: T, keys: readonly string[]): T {
  for (const key of keys) {
    const descriptor = Object.getOwnPropertyDescriptor(literal, key);
    // (a method's value; a getter's or setter's get and set)
    for (const fn of [descriptor?.value, descriptor?.get, descriptor?.set]) {
      if (typeof fn === 'function') Object.defineProperty(fn, HOME, { value: literal, configurable: true });
    }
  }
  return literal;
}

/** `super[key]` in `method`, with `receiver` as `this`. */
export function superGet(method: Function, key: PropertyKey, receiver: unknown): unknown {
  const home = (method as unknown as Record<symbol, object | undefined>)[HOME];
  if (home === undefined) throw new TypeError(`'super' keyword unexpected here (the method ${method.name} was taken off its object literal by Object.assign or a spread before introspect marked it)`);
  const proto = Object.getPrototypeOf(home) as object | null;
  if (proto === null) throw new TypeError(`Cannot read properties of null (reading '${String(key)}')`);
  return Reflect.get(proto, key, receiver);
}
