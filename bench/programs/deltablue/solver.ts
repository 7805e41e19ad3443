// DeltaBlue's solver core: strengths, variables, the constraint base class
// (unary when it has one variable, binary with a direction when it has two)
// and the incremental planner. Constraints register with the current planner
// (setPlanner), as in the original's global.

export const enum Strength {
  Required = 0, StrongPreferred = 1, Preferred = 2, StrongDefault = 3, Normal = 4, WeakDefault = 5, Weakest = 6,
}
export const enum Direction { None, Forward, Backward }

let planner: Planner;
export function setPlanner(p: Planner): Planner {
  planner = p;
  return p;
}

export class Variable {
  constraints: Constraint[] = [];
  determinedBy: Constraint | null = null;
  mark = 0;
  walkStrength: Strength = Strength.Weakest;
  stay = true;
  constructor(public value: number) {}

  addConstraint(c: Constraint): void {
    this.constraints.push(c);
  }

  removeConstraint(c: Constraint): void {
    this.constraints = this.constraints.filter((d) => d !== c);
    if (this.determinedBy === c) this.determinedBy = null;
  }
}

/** v2 === null: a unary constraint on v1 (stay, edit); else binary between v1 and v2. */
export abstract class Constraint {
  direction = Direction.None;
  private satisfied = false;
  constructor(readonly strength: Strength, readonly v1: Variable = null!, readonly v2: Variable | null = null) {}

  protected get unary(): boolean {
    return this.v2 === null;
  }

  isInput(): boolean {
    return false;
  }

  execute(): void {}

  addConstraint(): void {
    this.addToGraph();
    planner.incrementalAdd(this);
  }

  destroyConstraint(): void {
    if (this.isSatisfied()) planner.incrementalRemove(this);
    else this.removeFromGraph();
  }

  addToGraph(): void {
    this.v1.addConstraint(this);
    if (this.v2 !== null) this.v2.addConstraint(this);
    this.direction = Direction.None;
    this.satisfied = false;
  }

  removeFromGraph(): void {
    this.v1.removeConstraint(this);
    if (this.v2 !== null) this.v2.removeConstraint(this);
    this.direction = Direction.None;
    this.satisfied = false;
  }

  /** Satisfies this constraint if possible; returns the constraint it overrode, if any. */
  satisfy(mark: number): Constraint | null {
    this.chooseMethod(mark);
    if (!this.isSatisfied()) {
      if (this.strength === Strength.Required) throw new Error('could not satisfy a required constraint');
      return null;
    }
    this.markInputs(mark);
    const out = this.output();
    const overridden = out.determinedBy;
    if (overridden !== null) overridden.markUnsatisfied();
    out.determinedBy = this;
    if (!planner.addPropagate(this, mark)) throw new Error('cycle encountered');
    out.mark = mark;
    return overridden;
  }

  chooseMethod(mark: number): void {
    if (this.unary) {
      this.satisfied = this.v1.mark !== mark && this.strength < this.v1.walkStrength;
      return;
    }
    const v1 = this.v1, v2 = this.v2!;
    if (v1.mark === mark) {
      this.direction = v2.mark !== mark && this.strength < v2.walkStrength ? Direction.Forward : Direction.None;
    } else if (v2.mark === mark) {
      this.direction = v1.mark !== mark && this.strength < v1.walkStrength ? Direction.Backward : Direction.None;
    } else if (v1.walkStrength > v2.walkStrength) {
      this.direction = this.strength < v1.walkStrength ? Direction.Backward : Direction.None;
    } else {
      this.direction = this.strength < v2.walkStrength ? Direction.Forward : Direction.Backward;
    }
  }

  isSatisfied(): boolean {
    return this.unary ? this.satisfied : this.direction !== Direction.None;
  }

  markUnsatisfied(): void {
    this.satisfied = false;
    this.direction = Direction.None;
  }

  markInputs(mark: number): void {
    if (!this.unary) this.input().mark = mark;
  }

  input(): Variable {
    return this.direction === Direction.Forward ? this.v1 : this.v2!;
  }

  output(): Variable {
    return this.unary || this.direction === Direction.Backward ? this.v1 : this.v2!;
  }

  inputsKnown(mark: number): boolean {
    if (this.unary) return true;
    const i = this.input();
    return i.mark === mark || i.stay || i.determinedBy === null;
  }

  recalculate(): void {
    if (this.unary) {
      this.v1.walkStrength = this.strength;
      this.v1.stay = !this.isInput();
      if (this.v1.stay) this.execute();
      return;
    }
    const input = this.input();
    const out = this.output();
    out.walkStrength = Math.max(this.strength, input.walkStrength);
    out.stay = input.stay;
    if (out.stay) this.execute();
  }
}

export class Plan {
  constructor(private readonly list: Constraint[]) {}
  execute(): void {
    for (const c of this.list) c.execute();
  }
}

export class Planner {
  private currentMark = 0;

  private newMark(): number {
    return ++this.currentMark;
  }

  incrementalAdd(c: Constraint): void {
    const mark = this.newMark();
    let overridden = c.satisfy(mark);
    while (overridden !== null) overridden = overridden.satisfy(mark);
  }

  incrementalRemove(c: Constraint): void {
    const out = c.output();
    c.markUnsatisfied();
    c.removeFromGraph();
    const unsatisfied = this.removePropagateFrom(out);
    for (let strength = Strength.Required; strength <= Strength.Weakest; strength++) {
      for (const u of unsatisfied) if (u.strength === strength) this.incrementalAdd(u);
    }
  }

  extractPlanFromConstraints(constraints: Constraint[]): Plan {
    const sources = constraints.filter((c) => c.isInput() && c.isSatisfied());
    return this.makePlan(sources);
  }

  private makePlan(sources: Constraint[]): Plan {
    const mark = this.newMark();
    const plan: Constraint[] = [];
    const todo = sources.slice();
    for (let i = 0; i < todo.length; i++) {
      const c = todo[i];
      if (c.output().mark !== mark && c.inputsKnown(mark)) {
        plan.push(c);
        c.output().mark = mark;
        this.addConstraintsConsumingTo(c.output(), todo);
      }
    }
    return new Plan(plan);
  }

  addPropagate(c: Constraint, mark: number): boolean {
    const todo = [c];
    while (todo.length > 0) {
      const d = todo.pop()!;
      if (d.output().mark === mark) {
        this.incrementalRemove(c);
        return false;
      }
      d.recalculate();
      this.addConstraintsConsumingTo(d.output(), todo);
    }
    return true;
  }

  private removePropagateFrom(out: Variable): Constraint[] {
    out.determinedBy = null;
    out.walkStrength = Strength.Weakest;
    out.stay = true;
    const unsatisfied: Constraint[] = [];
    const todo = [out];
    while (todo.length > 0) {
      const v = todo.pop()!;
      for (const c of v.constraints) if (!c.isSatisfied()) unsatisfied.push(c);
      const determining = v.determinedBy;
      for (const next of v.constraints) {
        if (next !== determining && next.isSatisfied()) {
          next.recalculate();
          todo.push(next.output());
        }
      }
    }
    return unsatisfied;
  }

  private addConstraintsConsumingTo(v: Variable, coll: Constraint[]): void {
    const determining = v.determinedBy;
    for (const c of v.constraints) if (c !== determining && c.isSatisfied()) coll.push(c);
  }
}
