// DeltaBlue benchmark: an incremental one-way constraint solver (Maloney &
// Freeman-Benson) over a chain of equality constraints and a projection of
// scale constraints: polymorphic calls, arrays of objects, planning.
// Checksum: values read back after the two tests, over `inner`-sized runs.

import { Constraint, Direction, Planner, Strength, Variable, setPlanner } from './solver.js';

class StayConstraint extends Constraint {
  constructor(v: Variable, strength: Strength) {
    super(strength, v);
    this.addConstraint();
  }
}

class EditConstraint extends Constraint {
  constructor(v: Variable, strength: Strength) {
    super(strength, v);
    this.addConstraint();
  }
  override isInput(): boolean {
    return true;
  }
}

/** Keeps dest = src * scale + offset, in either direction. */
class ScaleConstraint extends Constraint {
  constructor(src: Variable, readonly scale: Variable, readonly offset: Variable, dest: Variable, strength: Strength) {
    super(strength, src, dest);
    this.addConstraint();
  }

  override addToGraph(): void {
    super.addToGraph();
    this.scale.addConstraint(this);
    this.offset.addConstraint(this);
  }

  override removeFromGraph(): void {
    super.removeFromGraph();
    this.scale.removeConstraint(this);
    this.offset.removeConstraint(this);
  }

  override markInputs(mark: number): void {
    super.markInputs(mark);
    this.scale.mark = this.offset.mark = mark;
  }

  override execute(): void {
    if (this.direction === Direction.Forward) {
      this.v2!.value = this.v1.value * this.scale.value + this.offset.value;
    } else {
      this.v1.value = (this.v2!.value - this.offset.value) / this.scale.value;
    }
  }

  override recalculate(): void {
    const input = this.input();
    const out = this.output();
    out.walkStrength = Math.max(this.strength, input.walkStrength);
    out.stay = input.stay && this.scale.stay && this.offset.stay;
    if (out.stay) this.execute();
  }
}

class EqualityConstraint extends Constraint {
  constructor(a: Variable, b: Variable, strength: Strength) {
    super(strength, a, b);
    this.addConstraint();
  }
  override execute(): void {
    this.output().value = this.input().value;
  }
}

function change(planner: Planner, v: Variable, value: number): void {
  const edit = new EditConstraint(v, Strength.Preferred);
  const plan = planner.extractPlanFromConstraints([edit]);
  for (let i = 0; i < 10; i++) {
    v.value = value;
    plan.execute();
  }
  edit.destroyConstraint();
}

function chainTest(n: number): number {
  const planner = setPlanner(new Planner());
  let prev: Variable | null = null;
  let first: Variable | null = null;
  let last: Variable | null = null;
  for (let i = 0; i <= n; i++) {
    const v = new Variable(0);
    if (prev !== null) new EqualityConstraint(prev, v, Strength.Required);
    if (i === 0) first = v;
    if (i === n) last = v;
    prev = v;
  }
  new StayConstraint(last!, Strength.StrongDefault);
  const edit = new EditConstraint(first!, Strength.Preferred);
  const plan = planner.extractPlanFromConstraints([edit]);
  let sum = 0;
  for (let i = 0; i < 100; i++) {
    first!.value = i;
    plan.execute();
    if (last!.value !== i) throw new Error(`chain test failed: ${last!.value} !== ${i}`);
    sum += last!.value;
  }
  edit.destroyConstraint();
  return sum;
}

function projectionTest(n: number): number {
  const planner = setPlanner(new Planner());
  const scale = new Variable(10);
  const offset = new Variable(1000);
  let src: Variable | null = null;
  let dst: Variable | null = null;
  const dests: Variable[] = [];
  for (let i = 0; i < n; i++) {
    src = new Variable(i);
    dst = new Variable(i);
    dests.push(dst);
    new StayConstraint(src, Strength.Normal);
    new ScaleConstraint(src, scale, offset, dst, Strength.Required);
  }
  change(planner, src!, 17);
  if (dst!.value !== 1170) throw new Error('projection 1 failed');
  change(planner, dst!, 1050);
  if (src!.value !== 5) throw new Error('projection 2 failed');
  change(planner, scale, 5);
  for (let i = 0; i < n - 1; i++) if (dests[i].value !== i * 5 + 1000) throw new Error('projection 3 failed');
  change(planner, offset, 2000);
  for (let i = 0; i < n - 1; i++) if (dests[i].value !== i * 5 + 2000) throw new Error('projection 4 failed');
  return dests[n - 1].value + src!.value;
}

function iteration(inner: number): number {
  let sum = 0;
  for (let i = 0; i < 20; i++) sum += chainTest(inner) + projectionTest(inner);
  return sum;
}

// ---- harness (the same in every benchmark program) ----
// BENCH_SCALE multiplies the work per iteration, BENCH_WARMUP and
// BENCH_ITERATIONS set the number of untimed and timed iterations. Prints one
// deterministic CHECKSUM line and one machine-readable BENCH line.
function benchEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  const v = raw === undefined || raw === '' ? NaN : Number(raw);
  return Number.isFinite(v) && v >= 0 ? v : fallback;
}

function runBench(name: string, innerDefault: number, iteration: (inner: number) => number | string): void {
  const inner = Math.max(1, Math.round(innerDefault * benchEnv('BENCH_SCALE', 1)));
  const warmup = benchEnv('BENCH_WARMUP', 3);
  const count = Math.max(1, benchEnv('BENCH_ITERATIONS', 10));
  const times: number[] = [];
  let check: number | string = '';
  for (let i = 0; i < warmup + count; i++) {
    const t0 = performance.now();
    const result = iteration(inner);
    const ms = performance.now() - t0;
    if (i === 0) check = result;
    else if (result !== check) throw new Error(`${name}: iteration ${i} gave ${result}, the first gave ${check}`);
    if (i >= warmup) times.push(Math.round(ms * 1000) / 1000);
  }
  console.log(`CHECKSUM ${name} inner=${inner} ${check}`);
  console.log(`BENCH ${JSON.stringify({ name, inner, warmup, iterations: times })}`);
}

runBench('deltablue', 1500, iteration);
