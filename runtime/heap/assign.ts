// When the reader may create a property by plain assignment (fast) instead
// of Object.defineProperty. Takes a prototype; guarantees that assignment is
// only used for keys no object on the prototype chain intercepts — no
// inherited setter (so no code runs, and `__proto__` is never assigned) and
// no inherited read-only property (which would make assignment fail).

const INDEX_KEY = /^(?:0|[1-9]\d*)$/;

export interface AssignRule {
  /** string keys that must go through defineProperty */
  unsafe: Set<string>;
  /** some array index is intercepted: elements must go through defineProperty */
  indexesUnsafe: boolean;
}

export class AssignRules {
  private readonly rules = new Map<object | null, AssignRule>();
  private lastProto: object | null | undefined = undefined;
  private last: AssignRule | undefined;

  /** The rule for objects whose prototype is `proto` (cached; consecutive objects usually share one). */
  of(proto: object | null): AssignRule {
    if (proto === this.lastProto && this.last !== undefined) return this.last;
    let rule = this.rules.get(proto);
    if (rule === undefined) {
      rule = compute(proto);
      this.rules.set(proto, rule);
    }
    this.lastProto = proto;
    this.last = rule;
    return rule;
  }
}

function compute(proto: object | null): AssignRule {
  const unsafe = new Set<string>(['__proto__']);
  let indexesUnsafe = false;
  for (let p = proto, depth = 0; p !== null && depth < 10000; p = Object.getPrototypeOf(p) as object | null, depth++) {
    for (const key of Object.getOwnPropertyNames(p)) {
      const d = Object.getOwnPropertyDescriptor(p, key)!;
      if (!('value' in d) || !d.writable) {
        unsafe.add(key);
        if (INDEX_KEY.test(key)) indexesUnsafe = true;
      }
    }
  }
  return { unsafe, indexesUnsafe };
}
