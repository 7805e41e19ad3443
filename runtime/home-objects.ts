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
// does. A method keeps the first home it gets, as the engine's [[HomeObject]]
// is fixed: the factory makes it homeless (`$R.homeless`), and `home` marks
// only homeless methods, so a key a later spread or property of the literal
// gave another value (another literal's method, with its own home; a frozen
// or a library's function) is left alone.

const HOME = Symbol.for('introspect.home');

/** `$R.homeless(fn)`: a method the factory just made, whose literal gives it its home. */
export function homelessMethod(fn: Function): void {
  Object.defineProperty(fn, HOME, { value: null, configurable: true });
}

export function homeMethods<T extends object>(literal: T, keys: readonly string[]): T {
  for (const key of keys) {
    const descriptor = Object.getOwnPropertyDescriptor(literal, key);
    // (a method's value; a getter's or setter's get and set)
    for (const fn of [descriptor?.value, descriptor?.get, descriptor?.set]) {
      if (typeof fn === 'function' && Object.getOwnPropertyDescriptor(fn, HOME)?.value === null) Object.defineProperty(fn, HOME, { value: literal, configurable: true });
    }
  }
  return literal;
}

/** `super[key]` in `method`, with `receiver` as `this`. */
export function superGet(method: Function, key: PropertyKey, receiver: unknown): unknown {
  const home = (method as unknown as Record<symbol, object | null | undefined>)[HOME];
  if (home === undefined || home === null) throw new TypeError(`'super' keyword unexpected here (the method ${method.name} was taken off its object literal by Object.assign or a spread before introspect marked it)`);
  const proto = Object.getPrototypeOf(home) as object | null;
  if (proto === null) throw new TypeError(`Cannot read properties of null (reading '${String(key)}')`);
  return Reflect.get(proto, key, receiver);
}
