// Private #fields of program class instances. The transform gives every
// top-level class with private instance fields a static block that registers
// a reader and a writer of them (`$R.priv`), so the heap can save them as the
// object's hidden state without the program seeing anything new. On restore an
// object of such a class must carry the class's private names, which only its
// constructor can add: it is made by "blank construction" — the class is
// constructed with `$R.bk` set, every instrumented constructor returns at
// once (a derived one after `super()`), field initializers with side effects
// are skipped (`$R.rs`), and the saved fields are written afterwards.

import type { HeapContext } from './heap/index.js';

type Reader = (o: object) => unknown[] | undefined;
type Writer = (o: object, values: unknown[]) => void;

export class PrivateFields {
  private readonly byClass = new Map<Function, { read: Reader; write: Writer }>();
  private readonly staticsByClass = new Map<Function, { read: () => unknown[]; write: (v: unknown[]) => void }>();

  /** Per prototype: the registered classes up its chain (the heap asks once per object). */
  private readonly chains = new WeakMap<object, { C: Function; read: Reader }[]>();

  register(C: Function, read: Reader | undefined, write: Writer | undefined, readStatic?: () => unknown[], writeStatic?: (v: unknown[]) => void): void {
    if (read && write) this.byClass.set(C, { read, write });
    if (readStatic && writeStatic) this.staticsByClass.set(C, { read: readStatic, write: writeStatic });
  }

  /** Static private fields of every registered class: [class, values, …]. */
  captureStatics(): unknown[] {
    const out: unknown[] = [];
    for (const [C, { read }] of this.staticsByClass) out.push(C, read());
    return out;
  }

  restoreStatics(state: unknown[] | undefined): void {
    if (!state) return;
    for (let i = 0; i + 1 < state.length; i += 2) this.staticsByClass.get(state[i] as Function)?.write(state[i + 1] as unknown[]);
  }

  /** [class, values] for every class up the prototype chain whose private fields `o` has. */
  hidden(o: object): unknown {
    if (this.byClass.size === 0) return undefined;
    const proto = Object.getPrototypeOf(o) as object | null;
    if (proto === null) return undefined;
    let out: unknown[] | undefined;
    for (const { C, read } of this.chainOf(proto)) {
      const values = read(o);
      if (values !== undefined) (out ??= []).push(C, values);
    }
    return out;
  }

  private chainOf(proto: object): { C: Function; read: Reader }[] {
    let chain = this.chains.get(proto);
    if (chain === undefined) {
      chain = [];
      for (let p: object | null = proto; p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) {
        const C = ownConstructor(p);
        const entry = C && this.byClass.get(C);
        if (C && entry) chain.push({ C, read: entry.read });
      }
      this.chains.set(proto, chain);
    }
    return chain;
  }

  restoreHidden(o: object, state: unknown): void {
    const list = state as unknown[];
    for (let i = 0; i + 1 < list.length; i += 2) {
      const C = list[i] as Function;
      const entry = this.byClass.get(C);
      if (!entry) throw new Error(`private fields saved for class ${C.name || '(anonymous)'}, which does not register them in this build`);
      try {
        entry.write(o, list[i + 1] as unknown[]);
      } catch (e) {
        throw new Error(`cannot restore the private fields of a ${C.name || '(anonymous)'} object: ${e instanceof Error ? e.message : String(e)} (its class or a base class could not be blank-constructed)`);
      }
    }
  }

  /** Does an object with this prototype need blank construction? */
  needsConstruction(proto: object): Function | undefined {
    if (this.byClass.size === 0 || this.chainOf(proto).length === 0) return undefined;
    return ownConstructor(proto);
  }

  /**
   * An object saved inside its constructor's `super()` call has the private
   * fields of its base classes only (or none yet): it must be made by a base
   * class, or the fields its own class adds after `super()` returns would
   * be there twice. The class to make it with: the one whose fields come
   * first in `hidden`, as steps up the prototype chain; 0: no construction;
   * undefined: its own class (every other object).
   */
  constructBase(o: object, hidden: unknown): number | undefined {
    if (this.byClass.size === 0) return undefined;
    const proto = Object.getPrototypeOf(o) as object | null;
    if (proto === null) return undefined;
    const chain = this.chainOf(proto);
    if (chain.length === 0) return undefined;
    const first = (hidden as unknown[] | undefined)?.[0];
    if (first === chain[0]!.C) return undefined;
    if (first === undefined) return 0;
    let steps = 0;
    for (let p: object | null = proto; p !== null; p = Object.getPrototypeOf(p) as object | null, steps++) {
      if (ownConstructor(p) === first) return steps;
    }
    return undefined;
  }

  /** The heap hooks: save hidden state, make blank objects, write the state back. */
  hooks(construct: (C: Function, newTarget: Function) => object): Pick<HeapContext, 'hidden' | 'restoreHidden' | 'construct' | 'constructBase'> {
    return {
      hidden: (o) => this.hidden(o),
      restoreHidden: (o, state) => this.restoreHidden(o, state),
      constructBase: (o, hidden) => this.constructBase(o, hidden),
      construct: (proto, base) => {
        const C = this.needsConstruction(proto);
        if (C === undefined || base === 0) return undefined;
        let p: object | null = proto;
        for (let n = base ?? 0; n > 0 && p !== null; n--) p = Object.getPrototypeOf(p) as object | null;
        const from = p === null ? undefined : ownConstructor(p);
        return from ? construct(from, C) : undefined;
      },
    };
  }
}

function ownConstructor(proto: object): Function | undefined {
  const d = Object.getOwnPropertyDescriptor(proto, 'constructor');
  return d && typeof d.value === 'function' ? (d.value as Function) : undefined;
}
