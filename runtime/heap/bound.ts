// Bound functions: what `f.bind(t, ...args)` was made from. JavaScript cannot
// read a bound function's [[BoundTargetFunction]], [[BoundThis]] and
// [[BoundArguments]], so Function.prototype.bind is wrapped (once, when this
// module loads, i.e. when the runtime loads, before the program runs) to note
// them in a WeakMap. Takes nothing; guarantees every function bound after
// that has its parts recorded, that `bind` behaves exactly as before (same
// result, name "bind", length 1), and that the reader can rebind with the
// engine's own bind.
//
//   const g = f.bind(obj, 1)   →   boundParts(g) = { target: f, thisArg: obj, args: [1] }

export interface BoundParts {
  target: Function;
  thisArg: unknown;
  args: readonly unknown[];
}

const NATIVE = Symbol.for('introspect.nativeBind');
const PARTS = Symbol.for('introspect.boundParts');
const weakMapGet = WeakMap.prototype.get;
const weakMapSet = WeakMap.prototype.set;

type Bind = (this: Function, thisArg: unknown, ...args: unknown[]) => Function;
/** What an installed wrapper carries, so a second copy of this module shares it. */
type Wrapper = Bind & { [NATIVE]?: Bind; [PARTS]?: WeakMap<Function, BoundParts> };

const current = Function.prototype.bind as Wrapper;
/** The engine's own Function.prototype.bind (before wrapping). */
export const nativeBind: Bind = current[NATIVE] ?? current;
const parts: WeakMap<Function, BoundParts> = current[PARTS] ?? new WeakMap();

/** The parts of a bound function made since tracking began, or undefined. */
export function boundParts(fn: Function): BoundParts | undefined {
  return Reflect.apply(weakMapGet, parts, [fn]) as BoundParts | undefined;
}

/** Whether this engine's bind gives the bound function its target's prototype (asked once: a proxy's trap would see a second ask). */
const bindKeepsPrototype = ((): boolean => {
  const probe = Object.setPrototypeOf(function probe() {}, Object.create(Function.prototype) as object) as Function;
  return Object.getPrototypeOf(Reflect.apply(nativeBind, probe, [null])) === Object.getPrototypeOf(probe);
})();

/**
 * Binds `target` with the engine's bind and records the parts (the wrapper
 * and the reader alike). The bound function gets its target's prototype, as
 * ECMA-262 BoundFunctionCreate has it: QuickJS gives every bound function
 * Function.prototype, so a bound async function would stop saying it is one.
 */
export function bindAgain(target: Function, thisArg: unknown, args: unknown[]): Function {
  const bound = Reflect.apply(nativeBind, target, [thisArg, ...args]) as Function;
  if (!bindKeepsPrototype) {
    const proto = Object.getPrototypeOf(target) as object | null;
    if (Object.getPrototypeOf(bound) !== proto) Object.setPrototypeOf(bound, proto);
  }
  Reflect.apply(weakMapSet, parts, [bound, { target, thisArg, args }]);
  return bound;
}

let installed = false;

/**
 * Wraps Function.prototype.bind so bound functions can be saved (idempotent;
 * runs when this module loads). A function bound before this ran cannot be
 * saved: the capture names it.
 */
export function trackBoundFunctions(): void {
  if (installed) return;
  installed = true;
  const descriptor = Object.getOwnPropertyDescriptor(Function.prototype, 'bind');
  if (descriptor === undefined || !descriptor.configurable || !descriptor.writable) return;
  if ((descriptor.value as Wrapper)[NATIVE] !== undefined) return;
  const wrapper = {
    bind(this: Function, thisArg: unknown, ...args: unknown[]): Function {
      return bindAgain(this, thisArg, args);
    },
  }.bind;
  Object.defineProperty(wrapper, NATIVE, { value: nativeBind });
  Object.defineProperty(wrapper, PARTS, { value: parts });
  Object.defineProperty(Function.prototype, 'bind', { ...descriptor, value: wrapper });
}

trackBoundFunctions();
