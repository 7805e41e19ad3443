// Pass 4 — re-entry. Takes a linearized body (pass 3) and makes the function
// capturable and restorable, keeping its native control flow:
//
//   - resume points ("sites"), numbered in source order: 1 = function entry,
//     then each loop's back-edge poll and each call statement;
//   - `$l` holds the site the function is at; after each point and call,
//     `if ($R.u) break $u` leaves the body, labeled `$u`, for the frame
//     record after it (`return $R.f(self, this, new.target, $l, locals)`):
//     a capture unwinds the stack by returns, no try block in any function;
//   - on restore the prologue reloads the locals and `$r` (the site to reach,
//     which `$l` takes too); every block that contains sites starts with a
//     router that jumps, with labeled blocks, straight to the statement
//     holding `$r`; loops test `$r ||` before their condition; a call
//     statement is resumed by the router itself (`$t = $R.resume()`), then
//     execution goes on after it.
//
//   [source]                       [after]
//   while (i < n) {                 while ($r || i < n) {
//     s += f(i);                      $b1: { if ($r) switch ($r) { case 3: $r = 0; $t1 = $R.resume(); break $b1; }
//     i++;                              if (--$R.c < 0) { $l = 2; $r = $R.poll(); }
//   }                                   $l = 3; $t1 = f(i); }
//                                     s += $t1; i++; }
//
// try/finally whose finally block has sites becomes a completion record
// ($fk/$fv) so a finally block can be entered on restore; catch blocks with
// sites run after the native try, guarded by a flag. Statements pass 3 could
// not linearize run as no-save regions.

import ts = require('typescript');
import { deadTemporaries } from './liveness.js';
import { isFunctionLike } from './analyze.js';
import type { Linearized } from './linearize.js';
import type { FileContext, FunctionPlan } from './plan.js';
import { endsAbruptly, entryStatements, lineOf } from './plan.js';

interface Unit {
  out: ts.Statement[];
  lo: number;
  hi: number;
  /** Landing action for a call statement: resume the callee, then continue after the unit. */
  resume?: ts.Statement[];
}

/** A statement of a block that holds sites, and where the router lands for it: before it, or after it (a call resumed). */
interface Entry {
  unit: Unit;
  land: number;
}

const NONE = 0;
/** How many back-edges of call-free loops make one point (countedPoll). */
const COUNTED_EDGES = 128;

export class Reenter {
  private readonly f: ts.NodeFactory;
  private site = 1; // 1 is the entry
  /** Stands for the frame's value array in yields until the locals are final (see wrap). */
  private readonly frameValues: ts.Identifier;
  /** Site → the temporary a yield there suspends with (dead once it resumes). */
  private readonly yieldOperands = new Map<number, string>();
  private readonly l: ts.Identifier;
  private readonly r: ts.Identifier;
  /** The label of the function's whole body: a capture leaves it by `break $u` (unwindCheck). */
  private readonly u: ts.Identifier;
  /** Statements run before the entry point (entryStatements). */
  private entry: readonly ts.Statement[] = [];
  /** The back-edge counter of the function's call-free loops (countedPoll), once one is needed. */
  private counter: ts.Identifier | undefined = undefined;

  constructor(
    private readonly ctx: FileContext,
    private readonly plan: FunctionPlan,
    private readonly lin: Linearized,
  ) {
    this.f = ctx.f;
    this.l = this.f.createIdentifier(ctx.names.fixed('l'));
    this.r = this.f.createIdentifier(ctx.names.fixed('r'));
    this.u = this.f.createIdentifier(ctx.names.fixed('u'));
    plan.siteLines = [plan.line];
    this.frameValues = this.f.createIdentifier(ctx.names.fixed('V'));
  }

  run(): ts.Statement[] {
    const f = this.f;
    const plan = this.plan;
    let stmts = this.lin.body;
    // What only the first call can compute (`arguments`) is computed before the entry point, so a checkpoint there saves it.
    let lead = 0;
    while (lead < stmts.length && entryStatements.has(stmts[lead])) lead++;
    this.entry = stmts.slice(0, lead);
    stmts = stmts.slice(lead);
    // A restored constructor runs on a fresh object but continues the saved
    // one (`thisLocal`): every `this` of the body (environments that arrows
    // read it from included) must be that one.
    if (plan.kind === 'ctor') stmts = stmts.map((st) => thisToLocal(f, st, plan.thisLocal!));
    if (plan.kind === 'ctor' || plan.kind === 'derived-ctor') stmts = [...this.ctorReturns(stmts), f.createReturnStatement(f.createIdentifier(plan.thisLocal!))];
    const body = this.block(stmts);
    if (this.isLeaf()) return this.bare(body);
    // Its callers made no resume point at its calls: a point in it would unwind through them unrecorded.
    if (plan.predictedLeaf) throw new Error(`introspect: internal error: ${plan.name} (line ${plan.line}) was taken for a leaf function but has resume points; please report this with the program`);
    plan.deadAt = deadTemporaries(body, this.l.text, this.ctx.rt.text, [...plan.params, ...plan.locals], this.lin.temps, this.lin.calls);
    return this.wrap(body);
  }

  /**
   * A leaf has no resume point but its entry: no call that may reach the
   * program, no loop, no yield. No checkpoint can be taken inside it (code the
   * engine calls from it — getters, toString — runs as no-save regions), so
   * its frame is never on a saved stack and it needs neither the entry poll nor
   * the frame handler: it stays plain code, as small as the source, which
   * keeps it within the engine's inlining budget. The time it runs is bounded
   * by its length, so the caller's points keep the checkpoint latency bounded.
   */
  private isLeaf(): boolean {
    const kind = this.plan.kind;
    return this.site === 1 && !this.plan.generator && (kind === 'plain' || kind === 'arrow' || kind === 'method' || kind === 'ctor');
  }

  private bare(body: ts.Statement[]): ts.Statement[] {
    const f = this.f;
    const plan = this.plan;
    plan.siteLines = [];
    const out: ts.Statement[] = [];
    if (plan.locals.length > 0) out.push(f.createVariableStatement(undefined, f.createVariableDeclarationList(plan.locals.map((n) => f.createVariableDeclaration(n)), ts.NodeFlags.Let)));
    if (plan.kind === 'ctor') out.push(...this.ctorEntry());
    return [...out, ...this.entry, ...body];
  }

  private local(base: string): ts.Identifier {
    const name = this.ctx.names.fresh(base);
    this.plan.locals.push(name);
    return this.f.createIdentifier(name);
  }

  private nextSite(node: ts.Node | undefined): number {
    const n = ++this.site;
    this.plan.siteLines[n - 1] = node ? lineOf(this.ctx, node) || this.plan.line : this.plan.line;
    return n;
  }

  // ---- prologue, handler ------------------------------------------------------------

  private wrap(body: ts.Statement[]): ts.Statement[] {
    const f = this.f;
    const plan = this.plan;
    const rt = this.ctx.rt;
    const values = [...plan.params, ...plan.locals];
    if (plan.generator) body = this.fillFrameValues(body, values);
    const s = f.createIdentifier(this.ctx.names.fixed('s'));
    // `$l = $r`: until the router lands, the frame is at the point it resumes
    // (a second capture inside a resumed callee must find it there), so the
    // router's resume of a call needs no `$l = n` of its own.
    const restore: ts.Statement[] = [f.createExpressionStatement(f.createAssignment(this.l, f.createAssignment(this.r, f.createElementAccessExpression(s, 0))))];
    values.forEach((v, i) => restore.push(f.createExpressionStatement(f.createAssignment(f.createIdentifier(v), f.createElementAccessExpression(s, i + 1)))));
    const entry = f.createIfStatement(
      f.createLessThan(f.createPrefixDecrement(f.createPropertyAccessExpression(rt, 'c')), f.createNumericLiteral(0)),
      // `$l` starts at 1, the entry point, which is where this unwinds.
      f.createBlock([
        f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(s, undefined, undefined, f.createCallExpression(f.createPropertyAccessExpression(rt, 'enter'), undefined, []))], ts.NodeFlags.Const)),
        f.createIfStatement(s, f.createBlock(restore, true), this.unwindCheck()),
      ], true),
    );
    const pre: ts.Statement[] = [];
    // Blank construction (runtime/privates.ts): the restore makes an object
    // of this class only for its private fields; the body must not run.
    const blank = f.createPropertyAccessExpression(rt, 'bk');
    if (plan.kind === 'ctor') pre.push(...this.ctorEntry());
    pre.push(...this.entry);
    if (plan.kind === 'derived-ctor') pre.push(f.createIfStatement(blank, f.createBlock([f.createExpressionStatement(f.createCallExpression(f.createSuper(), undefined, [])), f.createReturnStatement()], true)));
    // A function that never reads its `this` is re-entered without one: the
    // record reads `this` and `new.target` only where the body does, since
    // SpiderMonkey gives a function that reads either a much larger frame
    // (a recursion ~20 % less deep). A plain function may be called with
    // `new` (an ES5-style constructor), which it would notice only by `this`.
    const ctor = plan.kind === 'ctor' || plan.kind === 'derived-ctor';
    const ownThis = !ctor && (plan.kind === 'plain' || plan.kind === 'method') && readsOwnThis(body);
    const thisValue = ctor ? f.createIdentifier(plan.thisLocal!) : ownThis ? f.createThis() : f.createVoidZero();
    const nt = ctor || (plan.kind === 'plain' && ownThis) ? f.createMetaProperty(ts.SyntaxKind.NewKeyword, f.createIdentifier('target')) : f.createVoidZero();
    const valueArray = f.createArrayLiteralExpression(values.map((v) => f.createIdentifier(v)));
    const record = f.createReturnStatement(plan.generator
      ? f.createCallExpression(f.createPropertyAccessExpression(rt, 'fb'), undefined, [plan.self, this.l, valueArray])
      : f.createCallExpression(f.createPropertyAccessExpression(rt, 'f'), undefined, [plan.self, thisValue, nt, this.l, valueArray]));
    const decls = [
      f.createVariableDeclaration(this.l, undefined, undefined, f.createNumericLiteral(1)),
      f.createVariableDeclaration(this.r, undefined, undefined, f.createNumericLiteral(0)),
      ...plan.locals.map((n) => f.createVariableDeclaration(n, undefined, undefined, startsAtZero(plan, n) ? f.createNumericLiteral(0) : undefined)),
    ];
    return [
      f.createVariableStatement(undefined, f.createVariableDeclarationList(decls, ts.NodeFlags.Let)),
      f.createLabeledStatement(this.u, f.createBlock([...pre, entry, ...body, ...(endsAbruptly(body) ? [] : [f.createReturnStatement()])], true)),
      record,
    ];
  }

  /**
   * The `$V<n>` placeholders of yields become the frame's value array, now
   * that the locals are final; the temporaries dead at that yield (liveness.ts)
   * are left out (`void 0`), so a suspended body holds nothing the program no
   * longer does (a library function a call was about to be made with, say).
   */
  private fillFrameValues(body: ts.Statement[], values: string[]): ts.Statement[] {
    const f = this.f;
    const prefix = this.frameValues.text;
    const visit = (node: ts.Node): ts.Node => {
      if (ts.isIdentifier(node) && node.text.startsWith(prefix) && /^\d+$/.test(node.text.slice(prefix.length))) {
        const n = Number(node.text.slice(prefix.length));
        const dead = new Set(this.plan.deadAt?.[n - 1] ?? []);
        const operand = this.yieldOperands.get(n);
        if (operand !== undefined) dead.add(values.indexOf(operand));
        return f.createArrayLiteralExpression(values.map((v, i) => (dead.has(i) ? f.createVoidZero() : f.createIdentifier(v))));
      }
      return ts.visitEachChild(node, visit, undefined as unknown as ts.TransformationContext);
    };
    return body.map((st) => visit(st) as ts.Statement);
  }

  // ---- blocks and the router ----------------------------------------------------------

  private block(list: readonly ts.Statement[]): ts.Statement[] {
    const units = list.map((s) => this.unit(s));
    return this.dispatch(units);
  }

  /**
   * The router of one block: on the normal path one test of `$r`; restoring,
   * it jumps to the statement holding site `$r` by `break` out of labeled
   * blocks (a call statement's own site: resumes it, then lands after it).
   * Two shapes, whichever prints shorter (routerShape):
   *
   *   if ($r) switch ($r) {              if ($r)
   *   case 3: $r = 0; $t1 = $R.resume();   if ($r <= 2) break $b1;
   *     break $b2;                         else if ($r <= 3) { $r = 0; $t1 = $R.resume(); break $b2; }
   *   case 4: …                            else { … }
   *   }
   *
   * In the switch, a site that lands before the block's first statement (a
   * loop body's poll) needs no case: it matches none and falls out of the
   * switch there. Single sites are cases; statements holding several sites
   * (a nested loop) share `default`, a `<=` ladder over just those.
   */
  private dispatch(units: Unit[]): ts.Statement[] {
    const f = this.f;
    const entries: Entry[] = [];
    units.forEach((u, j) => {
      if (u.lo !== NONE) entries.push({ unit: u, land: u.resume ? j + 1 : j });
    });
    const flat = () => units.flatMap((u) => u.out);
    if (entries.length === 0 || entries.every((e) => e.land === 0 && !e.unit.resume)) return flat();
    if (entries.length === 1) return this.guard(units, entries[0]!);
    const here = (e: Entry) => e.land === 0 && !e.unit.resume;
    const single = (e: Entry) => e.unit.lo === e.unit.hi && !here(e);
    const useSwitch = routerShape(entries, single, here) === 'switch';
    // In the switch, what lands here needs no label: it leaves the switch.
    const lands = [...new Set(entries.filter((e) => !(useSwitch && here(e))).map((e) => e.land))].sort((a, b) => a - b);
    const labels = new Map(lands.map((p) => [p, f.createIdentifier(this.ctx.names.fresh('b'))]));
    const action = (e: Entry): ts.Statement[] => {
      if (useSwitch && here(e)) return [f.createBreakStatement()];
      const out: ts.Statement[] = [];
      if (e.unit.resume) out.push(f.createExpressionStatement(f.createAssignment(this.r, f.createNumericLiteral(0))), ...e.unit.resume);
      out.push(f.createBreakStatement(labels.get(e.land)!));
      return out;
    };
    // `if ($r <= hi) A else if … else Z` over entries in site order.
    const ladder = (list: Entry[]): ts.Statement => {
      let chain: ts.Statement | undefined;
      for (let i = list.length - 1; i >= 0; i--) {
        const then = action(list[i]!);
        const body = then.length === 1 ? then[0]! : f.createBlock(then, true);
        chain = chain === undefined ? body : f.createIfStatement(f.createLessThanEquals(this.r, f.createNumericLiteral(list[i]!.unit.hi)), body, chain);
      }
      return chain!;
    };
    let route: ts.Statement;
    if (!useSwitch) route = ladder(entries);
    else {
      const clauses: ts.CaseOrDefaultClause[] = entries.filter(single).map((e) => f.createCaseClause(f.createNumericLiteral(e.unit.lo), action(e)));
      const rest = entries.filter((e) => !single(e));
      if (rest.some((e) => !here(e))) clauses.push(f.createDefaultClause([ladder(rest)]));
      route = f.createSwitchStatement(this.r, f.createCaseBlock(clauses));
    }
    const router = f.createIfStatement(this.r, route);
    let inner: ts.Statement[] = [router];
    let next = 0;
    for (const p of lands) {
      for (; next < p; next++) inner.push(...units[next].out);
      inner = [f.createLabeledStatement(labels.get(p)!, f.createBlock(inner, true))];
    }
    for (; next < units.length; next++) inner.push(...units[next].out);
    return inner;
  }

  /**
   * A block with one statement to land at needs no label: what a restore
   * skips runs under `if (!$r)`, or is the `else` of resuming the call.
   *
   *   if (!$r) { i = 0; }  for (; $r || …)      if ($r) { $r = 0; $t1 = $R.resume(); }
   *                                              else { …; $l = 3; $t1 = f(); if ($R.u) break $u; }
   */
  private guard(units: Unit[], e: Entry): ts.Statement[] {
    const f = this.f;
    const skipped = f.createBlock(units.slice(0, e.land).flatMap((u) => u.out), true);
    const rest = units.slice(e.land).flatMap((u) => u.out);
    if (!e.unit.resume) return [f.createIfStatement(f.createLogicalNot(this.r), skipped), ...rest];
    const resume = f.createBlock([f.createExpressionStatement(f.createAssignment(this.r, f.createNumericLiteral(0))), ...e.unit.resume], true);
    return [f.createIfStatement(this.r, resume, skipped), ...rest];
  }

  private range(units: Unit[]): [number, number] {
    let lo = NONE;
    let hi = NONE;
    for (const u of units) {
      if (u.lo === NONE) continue;
      if (lo === NONE) lo = u.lo;
      hi = u.hi;
    }
    return [lo, hi];
  }

  private poll(node: ts.Node | undefined): Unit {
    const f = this.f;
    const n = this.nextSite(node);
    const rt = this.ctx.rt;
    const st = f.createIfStatement(
      f.createLessThan(f.createPrefixDecrement(f.createPropertyAccessExpression(rt, 'c')), f.createNumericLiteral(0)),
      f.createBlock([f.createExpressionStatement(f.createAssignment(this.l, f.createNumericLiteral(n))), f.createExpressionStatement(f.createAssignment(this.r, f.createCallExpression(f.createPropertyAccessExpression(rt, 'poll'), undefined, []))), this.unwindCheck()], true),
    );
    return { out: [st], lo: n, hi: n };
  }

  /**
   * The back-edge of a loop whose body has no resume point of its own (no
   * call, no yield): a point only every COUNTED_EDGES-th time, counted in a
   * local (`$k`, one per function, saved with the frame) instead of the
   * runtime's counter, a memory store per iteration that was most of the
   * cost of tight loops. Deterministic, so the oracle's K still names one
   * place; restoring (`$r` set), the poll runs at once to land.
   *
   *   if (--$k < 0 || $r) { $k = 127; if (--$R.c < 0) { $l = n; $r = $R.poll(); } }
   *
   * (or callPoll() inside, for a loop that works on uint32 values).
   */
  private countedPoll(node: ts.Node, body: ts.Statement): Unit {
    const f = this.f;
    const inner = usesUnsignedShift(body) ? this.callPoll(node) : this.poll(node);
    if (this.counter === undefined) {
      this.counter = this.local('k');
      this.plan.counter = this.counter.text;
    }
    const k = this.counter;
    const st = f.createIfStatement(
      f.createLogicalOr(f.createLessThan(f.createPrefixDecrement(k), f.createNumericLiteral(0)), this.r),
      f.createBlock([f.createExpressionStatement(f.createAssignment(k, f.createNumericLiteral(COUNTED_EDGES - 1))), ...inner.out], true),
    );
    return { out: [st], lo: inner.lo, hi: inner.hi };
  }

  /**
   * The point of a call-free loop whose body shifts right unsigned (`>>>`,
   * the one operator that makes uint32 values: hashes, PRNGs): the count and
   * the slow path in the runtime's `lp()`, which the engine inlines, so the
   * loop has no slow path of its own, which V8 would compile as a
   * deoptimization that keeps it from peeling the loop, and without peeling
   * it boxes a uint32 loop variable on every iteration (5.5× on a hash loop).
   * Other loops keep poll(): a call in them, even one never taken, makes V8
   * spill their floating-point values around it (PERFORMANCE §3). Reached
   * with `$r` set, this is the point a restore lands at; `lp()` ends the
   * restore, and `$r = 0` lets the loop run on.
   *
   *   if ($R.lp()) { $l = n; break $u; } $r = 0;
   */
  private callPoll(node: ts.Node): Unit {
    const f = this.f;
    const n = this.nextSite(node);
    const st = f.createIfStatement(
      f.createCallExpression(f.createPropertyAccessExpression(this.ctx.rt, 'lp'), undefined, []),
      f.createBlock([f.createExpressionStatement(f.createAssignment(this.l, f.createNumericLiteral(n))), this.leaveBody()], true),
    );
    return { out: [st, f.createExpressionStatement(f.createAssignment(this.r, f.createNumericLiteral(0)))], lo: n, hi: n };
  }

  private loopBody(body: ts.Statement, node: ts.Node): { block: ts.Block; lo: number; hi: number } {
    const poll = this.lin.containsSite(body) ? this.poll(node) : this.countedPoll(node, body);
    const units = [poll, ...(ts.isBlock(body) ? body.statements : [body]).map((s) => this.unit(s))];
    const [lo, hi] = this.range(units);
    return { block: this.f.createBlock(this.dispatch(units), true), lo, hi };
  }

  // ---- statements ----------------------------------------------------------------------

  private unit(s: ts.Statement): Unit {
    const f = this.f;
    if (this.lin.yields.has(s)) return this.yieldUnit(s as ts.ExpressionStatement);
    if (this.lin.calls.has(s)) {
      const n = this.nextSite(callOf(s));
      const setL = f.createExpressionStatement(f.createAssignment(this.l, f.createNumericLiteral(n)));
      // Resuming the callee, `$l` is n already: the prologue set it to `$r`.
      if (isSuperCall(s)) return { out: [setL, this.superSite(s)], lo: n, hi: n, resume: [this.superSite(this.resumeOf(s))] };
      return { out: [setL, s, this.unwindCheck()], lo: n, hi: n, resume: [this.resumeOf(s)] };
    }
    if (this.lin.opaque.has(s)) return { out: [this.noSave(s)], lo: NONE, hi: NONE };
    if (ts.isBlock(s)) {
      const units = s.statements.map((x) => this.unit(x));
      const [lo, hi] = this.range(units);
      return { out: [f.createBlock(this.dispatch(units), true)], lo, hi };
    }
    if (ts.isLabeledStatement(s)) {
      const u = this.unit(s.statement);
      const last = u.out.pop()!;
      return { out: [...u.out, f.updateLabeledStatement(s, s.label, last)], lo: u.lo, hi: u.hi };
    }
    if (ts.isIfStatement(s)) {
      const thenU = this.blockUnit(s.thenStatement);
      const elseU = s.elseStatement ? this.blockUnit(s.elseStatement) : undefined;
      const [lo, hi] = this.range([thenU, ...(elseU ? [elseU] : [])]);
      let cond = s.expression;
      if (thenU.lo !== NONE && elseU && elseU.lo !== NONE) cond = f.createConditionalExpression(this.r, undefined, f.createLessThanEquals(this.r, f.createNumericLiteral(thenU.hi)), undefined, cond);
      else if (thenU.lo !== NONE) cond = f.createLogicalOr(this.r, cond);
      else if (elseU && elseU.lo !== NONE) cond = f.createLogicalAnd(f.createLogicalNot(this.r), cond);
      return { out: [f.updateIfStatement(s, cond, thenU.out[0], elseU?.out[0])], lo, hi };
    }
    if (ts.isWhileStatement(s)) {
      const b = this.loopBody(s.statement, s);
      return { out: [f.updateWhileStatement(s, f.createLogicalOr(this.r, s.expression), b.block)], lo: b.lo, hi: b.hi };
    }
    if (ts.isDoStatement(s)) {
      const b = this.loopBody(s.statement, s);
      return { out: [f.updateDoStatement(s, b.block, s.expression)], lo: b.lo, hi: b.hi };
    }
    if (ts.isForStatement(s)) {
      const b = this.loopBody(s.statement, s);
      const test = s.condition ? f.createLogicalOr(this.r, s.condition) : undefined;
      const out: ts.Statement[] = [];
      if (s.initializer) out.push(f.createExpressionStatement(s.initializer as ts.Expression));
      out.push(f.updateForStatement(s, undefined, test, s.incrementor, b.block));
      return { out, lo: b.lo, hi: b.hi };
    }
    if (ts.isTryStatement(s)) return this.tryUnit(s);
    if (ts.isSwitchStatement(s)) return this.switchUnit(s);
    if (ts.isForInStatement(s) || ts.isForOfStatement(s)) return { out: [this.noSave(s)], lo: NONE, hi: NONE };
    if (this.lin.containsSite(s)) return { out: [this.noSave(s)], lo: NONE, hi: NONE };
    return { out: [s], lo: NONE, hi: NONE };
  }

  private blockUnit(s: ts.Statement): Unit {
    const units = (ts.isBlock(s) ? s.statements : [s]).map((x) => this.unit(x));
    const [lo, hi] = this.range(units);
    return { out: [this.f.createBlock(this.dispatch(units), true)], lo, hi };
  }

  /**
   * `T = yield v` in a generator body, which runs as a native generator
   * (runtime/generators.ts): the yield stays a native yield. After it, and
   * after the router's yield that a restored body is primed at (`$R.pr()`),
   * a checkpoint asking for the frame (`T` is the CAPTURE marker) gets it
   * yielded as data, and the body suspends again at the same place:
   *
   *   $l = n; T = yield v; for (; T === $R.CAPTURE;) T = yield $R.yf(n, [values]);
   */
  private yieldUnit(s: ts.ExpressionStatement): Unit {
    const f = this.f;
    const rt = this.ctx.rt;
    const assignment = s.expression as ts.BinaryExpression;
    const target = assignment.left;
    const y = assignment.right as ts.YieldExpression;
    const n = this.nextSite(y);
    const setL = f.createExpressionStatement(f.createAssignment(this.l, f.createNumericLiteral(n)));
    // The operand temporary is read by the yield itself, never after it resumes.
    const value = y.expression;
    if (value && ts.isIdentifier(value) && this.lin.temps.has(value.text)) this.yieldOperands.set(n, value.text);
    const call = (name: string, args: ts.Expression[]) => f.createCallExpression(f.createPropertyAccessExpression(rt, name), undefined, args);
    const answer = () => f.createForStatement(
      undefined,
      f.createStrictEquality(target, f.createPropertyAccessExpression(rt, 'CAPTURE')),
      undefined,
      f.createExpressionStatement(f.createAssignment(target, f.createYieldExpression(undefined, call('yf', [f.createNumericLiteral(n), f.createIdentifier(`${this.frameValues.text}${n}`), this.plan.self])))),
    );
    const primed = f.createExpressionStatement(f.createAssignment(target, f.createYieldExpression(undefined, call('pr', []))));
    return { out: [setL, s, answer()], lo: n, hi: n, resume: [primed, answer()] };
  }

  /** How the router resumes call statement `s`: same target, the callee frame resumed. */
  private resumeOf(s: ts.Statement): ts.Statement {
    const f = this.f;
    const e = (s as ts.ExpressionStatement).expression;
    const resumed = isSuperCall(s)
      ? f.createCallExpression(f.createSuper(), undefined, [])
      : f.createCallExpression(f.createPropertyAccessExpression(this.ctx.rt, 'resume'), undefined, []);
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken) return f.createExpressionStatement(f.createAssignment(e.left, resumed));
    return f.createExpressionStatement(resumed);
  }

  /**
   * After a point or a call: a capture in progress (`$R.u`, set where the
   * checkpoint was due and kept while the frames return) leaves the body for
   * the frame record after it. Unwinding by return keeps try blocks out of
   * every function (SpiderMonkey gives a function with one several times the
   * native stack; V8 runs it slower).
   */
  private unwindCheck(): ts.Statement {
    return this.f.createIfStatement(this.f.createPropertyAccessExpression(this.ctx.rt, 'u'), this.leaveBody());
  }

  /** `break $u`, which rewriteEscapes leaves alone. */
  private leaveBody(): ts.Statement {
    const leave = this.f.createBreakStatement(this.u);
    unwindBreaks.add(leave);
    return leave;
  }

  /**
   * `super(…)`: a base constructor that unwinds throws instead of returning
   * (runtime.ts `f`), since a return would bind `this` and run this
   * class's field initializers; the throw is turned back into a return here.
   */
  private superSite(s: ts.Statement): ts.Statement {
    const f = this.f;
    const x = f.createIdentifier(this.ctx.names.fixed('x'));
    const leave = this.leaveBody();
    // A base of the runtime's (a Promise subclass) returns with `u` set.
    return f.createBlock([
      f.createTryStatement(
        f.createBlock([s], true),
        f.createCatchClause(f.createVariableDeclaration(x), f.createBlock([f.createIfStatement(f.createStrictEquality(x, this.ctx.unwind), leave), f.createThrowStatement(x)], true)),
        undefined,
      ),
      this.unwindCheck(),
    ], true);
  }

  /** No checkpoint while `s` runs: it is deferred to the next point after it. */
  private noSave(s: ts.Statement): ts.Statement {
    const f = this.f;
    const rt = this.ctx.rt;
    return f.createTryStatement(
      f.createBlock([f.createExpressionStatement(f.createPostfixIncrement(f.createPropertyAccessExpression(rt, 'ns'))), s], true),
      undefined,
      f.createBlock([f.createExpressionStatement(f.createPostfixDecrement(f.createPropertyAccessExpression(rt, 'ns')))], true),
    );
  }

  // ---- try ---------------------------------------------------------------------------

  private tryUnit(s: ts.TryStatement): Unit {
    const f = this.f;
    const a = this.blockUnit(s.tryBlock);
    const cc = s.catchClause;
    const b = cc ? this.blockUnit(cc.block) : undefined;
    const c = s.finallyBlock ? this.blockUnit(s.finallyBlock) : undefined;
    const [lo, hi] = this.range([a, ...(b ? [b] : []), ...(c ? [c] : [])]);
    const x = f.createIdentifier(this.ctx.names.fixed('x'));
    const caughtVar = cc?.variableDeclaration ? f.createIdentifier(ts.idText(cc.variableDeclaration.name as ts.Identifier)) : undefined;
    const bind = caughtVar ? [f.createExpressionStatement(f.createAssignment(caughtVar, x))] : [];

    // try { A } catch { B }: B is lifted out of the native catch when it has sites.
    let core: ts.Statement[];
    if (!cc) core = a.out;
    else if (b!.lo === NONE) core = [f.createTryStatement(a.out[0] as ts.Block, f.createCatchClause(f.createVariableDeclaration(x), f.createBlock([...bind, ...(b!.out[0] as ts.Block).statements], true)), undefined)];
    else {
      const k = this.local('k');
      const nativeTry = f.createTryStatement(a.out[0] as ts.Block, f.createCatchClause(f.createVariableDeclaration(x), f.createBlock([...bind, f.createExpressionStatement(f.createAssignment(k, f.createNumericLiteral(1)))], true)), undefined);
      core = [
        f.createExpressionStatement(f.createAssignment(k, f.createNumericLiteral(0))),
        a.lo !== NONE ? f.createIfStatement(f.createLogicalOr(f.createLogicalNot(this.r), f.createLessThanEquals(this.r, f.createNumericLiteral(a.hi))), nativeTry) : f.createIfStatement(f.createLogicalNot(this.r), nativeTry),
        f.createIfStatement(f.createConditionalExpression(this.r, undefined, f.createGreaterThan(this.r, f.createNumericLiteral(a.lo === NONE ? 0 : a.hi)), undefined, k), b!.out[0]),
      ];
    }
    if (!c) return { out: [f.createBlock(core, true)], lo, hi };
    if (c.lo === NONE) {
      // Finally without sites stays native; it must not run while unwinding.
      const guarded = f.createBlock([f.createIfStatement(f.createLogicalNot(f.createPropertyAccessExpression(this.ctx.rt, 'u')), c.out[0])], true);
      return { out: [f.createTryStatement(f.createBlock(core, true), undefined, guarded)], lo, hi };
    }
    // Finally with sites: a completion record, so the finally block is plain code.
    const fk = this.local('fk');
    const fv = this.local('fv');
    const T = f.createIdentifier(this.ctx.names.fresh('T'));
    const jumps: ts.Statement[] = [];
    const escaped = rewriteEscapes(f, core, T, fk, fv, jumps);
    const guardedBody = f.createLabeledStatement(T, f.createBlock([
      f.createIfStatement(f.createLogicalAnd(this.r, f.createGreaterThanEquals(this.r, f.createNumericLiteral(c.lo))), f.createBreakStatement(T)),
      f.createExpressionStatement(f.createAssignment(fk, f.createNumericLiteral(0))),
      f.createTryStatement(f.createBlock(escaped, true), f.createCatchClause(f.createVariableDeclaration(x), f.createBlock([f.createExpressionStatement(f.createAssignment(fk, f.createNumericLiteral(1))), f.createExpressionStatement(f.createAssignment(fv, x))], true)), undefined),
    ], true));
    const after: ts.Statement[] = [
      f.createIfStatement(f.createStrictEquality(fk, f.createNumericLiteral(1)), f.createThrowStatement(fv)),
      f.createIfStatement(f.createStrictEquality(fk, f.createNumericLiteral(2)), f.createReturnStatement(fv)),
      ...jumps.map((j, i) => f.createIfStatement(f.createStrictEquality(fk, f.createNumericLiteral(3 + i)), j)),
    ];
    // The finally block is entered on restore by the router of the enclosing block.
    const units: Unit[] = [{ out: [guardedBody], lo: a.lo !== NONE ? a.lo : b?.lo ?? NONE, hi: b && b.lo !== NONE ? b.hi : a.hi }, c, { out: after, lo: NONE, hi: NONE }];
    if (units[0].lo === NONE) units[0].hi = NONE;
    return { out: [f.createBlock(this.dispatch(units), true)], lo, hi };
  }

  // ---- switch -------------------------------------------------------------------------

  private switchUnit(s: ts.SwitchStatement): Unit {
    const f = this.f;
    const clauses = s.caseBlock.clauses.map((c) => {
      const units = c.statements.map((x) => this.unit(x));
      const [lo, hi] = this.range(units);
      return { c, stmts: this.dispatch(units), lo, hi };
    });
    const [lo, hi] = this.range(clauses.map((c) => ({ out: [], lo: c.lo, hi: c.hi })));
    if (lo === NONE) {
      return { out: [f.updateSwitchStatement(s, s.expression, f.updateCaseBlock(s.caseBlock, clauses.map(({ c, stmts }) => (ts.isCaseClause(c) ? f.updateCaseClause(c, c.expression, stmts) : f.updateDefaultClause(c, stmts)))))], lo, hi };
    }
    // Route by clause index: the discriminant is matched once, into $ci.
    const sw = this.local('sw');
    const ci = this.local('ci');
    const defaultIndex = clauses.findIndex(({ c }) => ts.isDefaultClause(c));
    let match: ts.Expression = num(f, defaultIndex);
    for (let i = clauses.length - 1; i >= 0; i--) {
      const c = clauses[i].c;
      if (ts.isCaseClause(c)) match = f.createConditionalExpression(f.createStrictEquality(sw, c.expression), undefined, f.createNumericLiteral(i), undefined, match);
    }
    let route: ts.Expression = num(f, -1);
    for (let i = clauses.length - 1; i >= 0; i--) {
      if (clauses[i].lo === NONE) continue;
      route = f.createConditionalExpression(f.createLessThanEquals(this.r, f.createNumericLiteral(clauses[i].hi)), undefined, f.createNumericLiteral(i), undefined, route);
    }
    const pick = f.createIfStatement(f.createLogicalNot(this.r), f.createBlock([f.createExpressionStatement(f.createAssignment(sw, s.expression)), f.createExpressionStatement(f.createAssignment(ci, match))], true));
    const cases = clauses.map(({ stmts }, i) => f.createCaseClause(f.createNumericLiteral(i), stmts));
    const newSwitch = f.createSwitchStatement(f.createConditionalExpression(this.r, undefined, route, undefined, ci), f.createCaseBlock(cases));
    return { out: [f.createBlock([pick, newSwitch], true)], lo, hi };
  }

  // ---- constructors ----------------------------------------------------------------------

  /** A base constructor's first statements: skip the body in a blank construction, `this` into its local. */
  private ctorEntry(): ts.Statement[] {
    const f = this.f;
    return [
      f.createIfStatement(f.createPropertyAccessExpression(this.ctx.rt, 'bk'), f.createReturnStatement()),
      f.createExpressionStatement(f.createAssignment(f.createIdentifier(this.plan.thisLocal!), f.createThis())),
    ];
  }

  /** In constructors `return;` → `return $this;`, `return e` → `return $R.ctorResult(e, $this)`. */
  private ctorReturns(stmts: readonly ts.Statement[]): ts.Statement[] {
    const f = this.f;
    const self = f.createIdentifier(this.plan.thisLocal!);
    const visit = (n: ts.Node): ts.Node => {
      if (isFunctionLike(n) || ts.isClassLike(n)) return n;
      if (ts.isReturnStatement(n)) {
        return f.createReturnStatement(n.expression ? f.createCallExpression(f.createPropertyAccessExpression(this.ctx.rt, 'ctorResult'), undefined, [n.expression, self]) : self);
      }
      return ts.visitEachChild(n, visit, undefined as unknown as ts.TransformationContext);
    };
    return stmts.map((s) => visit(s) as ts.Statement);
  }
}

// ---- helpers ------------------------------------------------------------------------------

/**
 * A local that starts at 0 rather than undefined. Only a local the code
 * cannot read before assigning it: its first value is then seen only by a
 * restore's jump into a loop (or a capture), where V8 merges it with the
 * values the loop computes. Starting undefined, it made those loops' numbers
 * boxed in every call after the first restore or continued checkpoint
 * (mandelbrot 2.8× slower than before the checkpoint; docs/PERFORMANCE.md).
 */
function startsAtZero(plan: FunctionPlan, local: string): boolean {
  return local === plan.counter || (plan.startUndefined !== undefined && !plan.startUndefined.has(local));
}

/**
 * Which router prints shorter, by the printer's line lengths (labels and
 * site numbers of two digits): the switch pays its `switch ($r) {` and a
 * `case n:` per single site, the ladder a `$r <= n` test per entry and a
 * labeled block for each entry that lands before the block's first
 * statement, which the switch leaves by falling out.
 */
function routerShape(entries: readonly Entry[], single: (e: Entry) => boolean, here: (e: Entry) => boolean): 'switch' | 'ladder' {
  const label = 8 + 2 + 12; // `$b12: {`, `}`, `break $b12;`
  const ladderArm = 24; // `else if ($r <= 12) {` and `}`
  const ladderCost = (list: readonly Entry[], breakHere: number) => list.reduce((n, e, i) => n + (i === list.length - 1 ? 9 : ladderArm) + (here(e) ? breakHere : 0), 0);
  const ladder = ladderCost(entries, label);
  const rest = entries.filter((e) => !single(e));
  const needsDefault = rest.some((e) => !here(e));
  const sw = 15 + 9 * entries.filter(single).length + (needsDefault ? 9 + ladderCost(rest, 7) : 0);
  return sw < ladder ? 'switch' : 'ladder';
}

function num(f: ts.NodeFactory, n: number): ts.Expression {
  return n < 0 ? f.createPrefixUnaryExpression(ts.SyntaxKind.MinusToken, f.createNumericLiteral(-n)) : f.createNumericLiteral(n);
}

/** The statements read the function's own `this`, `super` or `new.target` (arrows and classes included: conservative). */
function readsOwnThis(stmts: readonly ts.Statement[]): boolean {
  const visit = (n: ts.Node): boolean => {
    if (n.kind === ts.SyntaxKind.ThisKeyword || n.kind === ts.SyntaxKind.SuperKeyword || ts.isMetaProperty(n)) return true;
    if (ts.isFunctionLike(n) && !ts.isArrowFunction(n)) return false;
    return ts.forEachChild(n, visit) ?? false;
  };
  return stmts.some(visit);
}

function isSuperCall(s: ts.Statement): boolean {
  const call = callOf(s);
  return call !== undefined && ts.isCallExpression(call) && call.expression.kind === ts.SyntaxKind.SuperKeyword;
}


function callOf(s: ts.Statement): ts.Expression | undefined {
  let e = (s as ts.ExpressionStatement).expression;
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken) e = e.right;
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  return e;
}

/** Whether `body` (not the functions in it) has `>>>` or `>>>=`. */
function usesUnsignedShift(body: ts.Node): boolean {
  const visit = (n: ts.Node): boolean => {
    if (n !== body && (isFunctionLike(n) || ts.isClassLike(n))) return false;
    if (ts.isBinaryExpression(n) && (n.operatorToken.kind === ts.SyntaxKind.GreaterThanGreaterThanGreaterThanToken || n.operatorToken.kind === ts.SyntaxKind.GreaterThanGreaterThanGreaterThanEqualsToken)) return true;
    return ts.forEachChild(n, visit) ?? false;
  };
  return visit(body);
}

/** The `break $u` of unwind checks: a capture leaving the function, not a completion either. */
const unwindBreaks = new WeakSet<ts.Node>();

/**
 * Inside a try whose finally became plain code: `return e`, and `break`/
 * `continue` that leave the try, record the completion and leave via `break T`.
 */
function rewriteEscapes(f: ts.NodeFactory, stmts: ts.Statement[], T: ts.Identifier, fk: ts.Identifier, fv: ts.Identifier, jumps: ts.Statement[]): ts.Statement[] {
  const innerLabels = new Set<string>();
  const visit = (n: ts.Node, loops: number, switches: number): ts.Node => {
    if (isFunctionLike(n) || ts.isClassLike(n)) return n;
    if (ts.isReturnStatement(n)) {
      return f.createBlock([f.createExpressionStatement(f.createAssignment(fv, n.expression ?? f.createVoidZero())), f.createExpressionStatement(f.createAssignment(fk, f.createNumericLiteral(2))), f.createBreakStatement(T)], true);
    }
    if (unwindBreaks.has(n)) return n;
    if (ts.isBreakStatement(n) || ts.isContinueStatement(n)) {
      const label = n.label ? ts.idText(n.label) : undefined;
      const internal = label ? innerLabels.has(label) || label === ts.idText(T) : ts.isBreakStatement(n) ? loops + switches > 0 : loops > 0;
      if (internal) return n;
      jumps.push(n);
      return f.createBlock([f.createExpressionStatement(f.createAssignment(fk, f.createNumericLiteral(2 + jumps.length))), f.createBreakStatement(T)], true);
    }
    if (ts.isLabeledStatement(n)) innerLabels.add(ts.idText(n.label));
    const isLoop = ts.isIterationStatement(n, false);
    return ts.visitEachChild(n, (c) => visit(c, loops + (isLoop ? 1 : 0), switches + (ts.isSwitchStatement(n) ? 1 : 0)), undefined as unknown as ts.TransformationContext);
  };
  return stmts.map((s) => visit(s, 0, 0) as ts.Statement);
}

/** `this` in a base constructor's own statements → its local (not inside nested functions or classes, which have their own). */
function thisToLocal(f: ts.NodeFactory, st: ts.Statement, local: string): ts.Statement {
  const visit = (n: ts.Node): ts.Node => {
    if (n.kind === ts.SyntaxKind.ThisKeyword) return f.createIdentifier(local);
    if ((ts.isFunctionLike(n) && !ts.isArrowFunction(n)) || ts.isClassLike(n)) return n;
    return ts.visitEachChild(n, visit, undefined as unknown as ts.TransformationContext);
  };
  return visit(st) as ts.Statement;
}
