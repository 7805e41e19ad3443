// Pass 3 — linearization (A-normal form, only around suspension points).
// Takes a lowered function body (pass 2: no declarations) and rewrites every
// statement so that each call that may suspend stands alone as a *call
// statement*, whose operands are already evaluated:
//
//   x = a + f(b(), c) * g();
//   →
//   $t1 = a;  $t2 = b();  $t3 = f($t2, c);  $t4 = g();  x = $t1 + $t3 * $t4;
//
// Left-to-right order is kept: whatever was evaluated before a call and is
// used after it is held in a temporary. `a && f()`, `c ? f() : g()`,
// `o?.m()` become `if`s; loops whose test or update call something become
// `for (;;)` loops with the test inside; `for-of`/`for-in` become index or
// iterator loops whose state is plain locals. A statement this pass cannot
// linearize is marked opaque: pass 4 makes it a no-save region.
//
// Guarantees (checked by tests): a call statement is `call;` or `T = call;`
// with T a local of the frame (never a variable other code shares: see
// isDirectTarget), and its callee and arguments
// contain no call; no other statement of the body contains a call.

import ts = require('typescript');
import { isFunctionLike } from './analyze.js';
import { entryStatements, isAssignmentOperator } from './plan.js';
import type { FileContext, FunctionPlan } from './plan.js';
import { ARRAY_LOOP_HELPERS } from '../runtime/callback-methods.js';

/** Runtime helpers that may call program code. */
const CALLING_HELPERS = new Set(['task', 'ptask', 'ac', 'ac1', 'ac2', ...ARRAY_LOOP_HELPERS, 'ni', 'construct']);

export interface Linearized {
  body: ts.Statement[];
  /** Does this node contain a call that may suspend (the same test pass 3 used)? */
  containsSite(node: ts.Node): boolean;
  /** Call statements: the resume points of callers. */
  calls: Set<ts.Statement>;
  /** Statements that still contain calls pass 3 could not separate. */
  opaque: Set<ts.Statement>;
  /** Expression temporaries: each lives inside one statement's expansion. */
  temps: Set<string>;
  /** The call statements that are `T = yield v` (a subset of `calls`). */
  yields: Set<ts.Statement>;
}

export class Linearizer {
  private readonly f: ts.NodeFactory;
  private readonly calls = new Set<ts.Statement>();
  private readonly opaque = new Set<ts.Statement>();
  private readonly siteMemo = new WeakMap<ts.Node, boolean>();
  private stableLocals: Set<string>;
  private readonly temps = new Set<string>();
  private readonly yields = new Set<ts.Statement>();
  /** The label of the loop statement being lowered, if it has one. */
  private loopLabel: string | undefined = undefined;

  constructor(
    private readonly ctx: FileContext,
    private readonly plan: FunctionPlan,
  ) {
    this.f = ctx.f;
    this.stableLocals = new Set([...plan.params, ...plan.locals]);
  }

  run(body: ts.Statement[]): Linearized {
    const out = this.statements(body);
    return { body: out, calls: this.calls, yields: this.yields, opaque: this.opaque, temps: this.temps, containsSite: (n) => this.containsSite(n) };
  }

  // ---- predicates ---------------------------------------------------------------

  /** A call into the program (or anything that may call back into it). */
  isSiteCall(node: ts.Node): boolean {
    return isSiteCall(node, this.ctx);
  }

  containsSite(node: ts.Node): boolean {
    const memo = this.siteMemo.get(node);
    if (memo !== undefined) return memo;
    let found = false;
    if (isFunctionLike(node)) found = false;
    // A class expression runs calls of its own while it is defined: the
    // statement holding it must not be a place to resume from (no-save).
    else if (ts.isClassLike(node)) found = classRunsCalls(node);
    else if (this.isSiteCall(node) || ts.isYieldExpression(node)) found = true;
    else ts.forEachChild(node, (c) => {
      if (!found && this.containsSite(c)) found = true;
    });
    this.siteMemo.set(node, found);
    return found;
  }

  private isStable(e: ts.Expression, assigned: Set<string>): boolean {
    if (ts.isLiteralExpression(e) || e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword || e.kind === ts.SyntaxKind.NullKeyword || e.kind === ts.SyntaxKind.ThisKeyword) return true;
    if (ts.isVoidExpression(e) && ts.isLiteralExpression(e.expression)) return true;
    if (ts.isIdentifier(e)) {
      const n = ts.idText(e);
      if (n === 'undefined' || n === ts.idText(this.ctx.rt)) return true;
      if (n.startsWith(this.ctx.names.prefix + 'e') && /^\d+$/.test(n.slice(this.ctx.names.prefix.length + 1))) return true;
      return this.stableLocals.has(n) && !assigned.has(n);
    }
    // A runtime helper's or a factory's call on stable names: what it gives
    // cannot change before the statement uses it. Not the key helpers (their
    // ToPropertyKey may run the program's toString), nor a leaf built-in
    // (`Object.keys(o)` reads what a later call may change, `Math.max(o)`
    // converts o where it stands).
    if (ts.isCallExpression(e) && !this.isSiteCall(e) && this.isQuietHelperCall(e)) return e.arguments.every((a) => ts.isIdentifier(a) && this.isStable(a, assigned));
    // An object literal's accessor placeholder (`$R.PH`, scopes.ts): read in
    // place, never spilled, since `$R.acc` knows it by identity and a
    // temporary saved across a checkpoint would come back as another object.
    if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) && ts.idText(e.expression) === ts.idText(this.ctx.rt) && ts.idText(e.name) === 'PH') return true;
    return false;
  }

  /** A call of a runtime helper that converts nothing, a closure's factory or a generator body's runner. */
  private isQuietHelperCall(e: ts.CallExpression): boolean {
    const callee = e.expression;
    if (ts.isIdentifier(callee)) {
      const n = ts.idText(callee);
      return n.startsWith(this.ctx.names.fixed('mk')) || isRunnerName(n, this.ctx);
    }
    return isRuntimeHelper(callee, this.ctx) && !KEY_HELPERS.has(ts.idText(callee.name));
  }

  /**
   * `e` evaluated now as a property key (ToPropertyKey, which may call the
   * program's toString or Symbol.toPrimitive), into a temporary: a computed
   * key is converted before the value after it is evaluated.
   */
  private spillKey(e: ts.Expression, out: ts.Statement[]): ts.Expression {
    const f = this.f;
    if (ts.isStringLiteral(e) || ts.isNumericLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return e;
    if (ts.isCallExpression(e) && isRuntimeHelper(e.expression, this.ctx) && KEY_HELPERS.has(ts.idText(e.expression.name))) return this.spill(e, out);
    return this.spill(f.createCallExpression(f.createPropertyAccessExpression(this.ctx.rt, 'pk'), undefined, [e]), out);
  }

  // ---- temporaries ----------------------------------------------------------------

  /** A temporary that lives inside one statement's expansion (see liveness.ts). */
  private temp(): ts.Identifier {
    const t = this.loopTemp();
    this.temps.add(t.text);
    return t;
  }

  /** A temporary a loop keeps across its iterations (iterator, key list, index). */
  private loopTemp(): ts.Identifier {
    const name = this.ctx.names.fresh('t');
    this.plan.locals.push(name);
    this.stableLocals.add(name);
    return this.f.createIdentifier(name);
  }

  private spill(e: ts.Expression, out: ts.Statement[]): ts.Identifier {
    const t = this.temp();
    out.push(this.f.createExpressionStatement(this.f.createAssignment(t, e)));
    return t;
  }

  private emitCall(call: ts.Expression, out: ts.Statement[], target?: ts.Expression): ts.Expression {
    const f = this.f;
    const t = target ?? this.temp();
    const st = f.createExpressionStatement(f.createAssignment(t, call));
    this.calls.add(st);
    out.push(st);
    return t;
  }

  // ---- statements -------------------------------------------------------------------

  statements(list: readonly ts.Statement[]): ts.Statement[] {
    const out: ts.Statement[] = [];
    for (const s of list) this.statement(s, out);
    return out;
  }

  private block(s: ts.Statement): ts.Block {
    const out: ts.Statement[] = [];
    if (ts.isBlock(s)) for (const x of s.statements) this.statement(x, out);
    else this.statement(s, out);
    return this.f.createBlock(out, true);
  }

  private statement(s: ts.Statement, out: ts.Statement[]): void {
    // Copies of what only the first call has (`arguments`): run as they are, before the entry point (reenter.ts).
    if (entryStatements.has(s)) return void out.push(s);
    const f = this.f;
    const label = this.loopLabel; // set by a label on this very statement only
    this.loopLabel = undefined;
    const assigned = assignedNames(s);
    const lin = (e: ts.Expression) => this.expr(e, out, assigned);
    if (ts.isExpressionStatement(s)) {
      const e = skipParens(s.expression);
      if (!this.containsSite(e)) return void out.push(s);
      if (this.isSiteCall(e)) {
        const call = this.linCall(e as ts.CallExpression, out, assigned);
        const st = f.createExpressionStatement(call);
        this.calls.add(st);
        return void out.push(st);
      }
      if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken && this.isDirectTarget(e.left) && this.isSiteCall(skipParens(e.right))) {
        const call = this.linCall(skipParens(e.right) as ts.CallExpression, out, assigned);
        this.emitCall(call, out, e.left);
        return;
      }
      const r = this.expr(e, out, assigned, true);
      if (r && !isTrivial(r)) out.push(f.createExpressionStatement(r));
      return;
    }
    if (ts.isReturnStatement(s)) return void out.push(s.expression && this.containsSite(s.expression) ? f.updateReturnStatement(s, lin(s.expression)) : s);
    if (ts.isThrowStatement(s)) return void out.push(this.containsSite(s.expression) ? f.updateThrowStatement(s, lin(s.expression)) : s);
    if (ts.isIfStatement(s)) {
      const cond = this.containsSite(s.expression) ? lin(s.expression) : s.expression;
      return void out.push(f.updateIfStatement(s, cond, this.block(s.thenStatement), s.elseStatement && (ts.isIfStatement(s.elseStatement) ? this.elseIf(s.elseStatement) : this.block(s.elseStatement))));
    }
    if (ts.isBlock(s)) return void out.push(this.block(s));
    if (ts.isLabeledStatement(s) && ts.isForOfStatement(s.statement) && !s.statement.awaitModifier) {
      // The label goes on the loop itself, inside the try that closes the iterator.
      return void out.push(...this.forOf(s.statement, out, s.label));
    }
    if (ts.isLabeledStatement(s)) {
      const inner: ts.Statement[] = [];
      // A `continue <label>` of a loop lowered by testedLoop must reach its update and test.
      if (ts.isIterationStatement(s.statement, false)) this.loopLabel = ts.idText(s.label);
      this.statement(s.statement, inner);
      const last = inner.pop()!;
      out.push(...inner, f.updateLabeledStatement(s, s.label, last));
      return;
    }
    if (ts.isWhileStatement(s)) {
      if (!this.containsSite(s.expression)) return void out.push(f.updateWhileStatement(s, s.expression, this.block(s.statement)));
      return void out.push(this.testedLoop(s.expression, undefined, s.statement, false, label));
    }
    if (ts.isDoStatement(s)) {
      if (!this.containsSite(s.expression)) return void out.push(f.updateDoStatement(s, this.block(s.statement), s.expression));
      return void out.push(this.testedLoop(s.expression, undefined, s.statement, true, label));
    }
    if (ts.isForStatement(s)) {
      if (s.initializer) {
        const init = s.initializer as ts.Expression;
        if (this.containsSite(init)) this.statement(f.createExpressionStatement(init), out);
        else out.push(f.createExpressionStatement(init));
      }
      const testSites = !!s.condition && this.containsSite(s.condition);
      const updSites = !!s.incrementor && this.containsSite(s.incrementor);
      if (!testSites && !updSites) return void out.push(f.updateForStatement(s, undefined, s.condition, s.incrementor, this.block(s.statement)));
      return void out.push(this.testedLoop(s.condition, s.incrementor, s.statement, false, label));
    }
    if (ts.isForOfStatement(s) && !s.awaitModifier) return void out.push(...this.forOf(s, out));
    if (ts.isForInStatement(s)) return void out.push(...this.forIn(s, out));
    if (ts.isSwitchStatement(s)) {
      const disc = this.containsSite(s.expression) ? lin(s.expression) : s.expression;
      if (s.caseBlock.clauses.some((c) => ts.isCaseClause(c) && this.containsSite(c.expression))) {
        // Case tests that call stay in place (a no-save region); the discriminant, already evaluated above, is not evaluated again.
        const opaque = disc === s.expression ? s : f.updateSwitchStatement(s, disc, s.caseBlock);
        this.opaque.add(opaque);
        return void out.push(opaque);
      }
      const clauses = s.caseBlock.clauses.map((c) => (ts.isCaseClause(c) ? f.updateCaseClause(c, c.expression, this.statements(c.statements)) : f.updateDefaultClause(c, this.statements(c.statements))));
      return void out.push(f.updateSwitchStatement(s, disc, f.updateCaseBlock(s.caseBlock, clauses)));
    }
    if (ts.isTryStatement(s)) {
      const cc = s.catchClause;
      return void out.push(f.updateTryStatement(s, this.block(s.tryBlock), cc && f.updateCatchClause(cc, cc.variableDeclaration, this.block(cc.block)), s.finallyBlock && this.block(s.finallyBlock)));
    }
    if (this.containsSite(s)) this.opaque.add(s);
    out.push(s);
  }

  private elseIf(s: ts.IfStatement): ts.Statement {
    const out: ts.Statement[] = [];
    this.statement(s, out);
    return out.length === 1 ? out[0] : this.f.createBlock(out, true);
  }

  /**
   * May `T = call` assign the call's result straight to T? Only when T is a
   * local of this frame (a parameter, a local, a temporary): a call that
   * unwinds for a checkpoint returns a marker, which `T = call` stores before
   * the unwind check. In a frame's own local nobody sees it (the restore
   * assigns the real result); in a variable other code shares (an
   * environment's property, a module variable) it would clobber the value
   * that code reads while the call is resumed, and be saved in the
   * checkpoint. Those get `$t = call; T = $t`, the assignment after the check.
   */
  private isDirectTarget(e: ts.Expression): boolean {
    if (!ts.isIdentifier(e)) return false;
    const name = ts.idText(e);
    return this.plan.locals.includes(name) || this.plan.params.includes(name);
  }

  /**
   *   while (f(x)) body        →  for (;;) { $t = f(x); if (!$t) break; body }
   *   for (; t(); u()) body    →  for (;;) { …t…; if (!…) break; $c: { body } u(); }
   *
   * A `continue` of the loop (unlabeled, or to `ownLabel`, the label on the
   * loop) becomes `break $c`, so the update and the test still run.
   */
  private testedLoop(test: ts.Expression | undefined, update: ts.Expression | undefined, body: ts.Statement, testAfterBody: boolean, ownLabel: string | undefined): ts.Statement {
    const f = this.f;
    const inner: ts.Statement[] = [];
    const testStmts: ts.Statement[] = [];
    if (test) {
      const v = this.expr(test, testStmts, assignedNames(test));
      testStmts.push(f.createIfStatement(f.createLogicalNot(v), f.createBreakStatement()));
    }
    const label = f.createIdentifier(this.ctx.names.fresh('c'));
    const lowered = this.block(body);
    const bodyBlock = f.createLabeledStatement(label, f.createBlock(rewriteContinues(f, lowered.statements, label, ownLabel), true));
    if (!testAfterBody) inner.push(...testStmts);
    inner.push(bodyBlock);
    if (update) this.statement(f.createExpressionStatement(update), inner);
    if (testAfterBody) inner.push(...testStmts);
    return f.createForStatement(undefined, undefined, undefined, f.createBlock(inner, true));
  }

  /**
   *   for (x of xs) body  →  $a = $R.arr(xs); $j = 0; $i = $a === void 0 ? $R.iter(xs) : void 0; $s = void 0;
   *                          for (;;) {
   *                            if ($a !== void 0) { if ($j >= $a.length) break; x = $a[$j++]; }
   *                            else { $s = $i.next(); if ($s.done) break; x = $s.value; }
   *                            body
   *                          }
   *
   * An array (with the built-in iteration), a typed array or a string is
   * walked by index: its position is two locals of the frame, and a step
   * costs what native iteration costs. Anything else goes through its
   * iterator (the runtime's savable ones for collections and generators), and
   * each step is a call site.
   */
  private forOf(s: ts.ForOfStatement, out: ts.Statement[], loopLabel?: ts.Identifier): ts.Statement[] {
    const f = this.f;
    const rt = this.ctx.rt;
    let iterable = this.containsSite(s.expression) ? this.expr(s.expression, out, new Set()) : s.expression;
    if (!ts.isIdentifier(iterable)) iterable = this.spill(iterable, out);
    const arr = this.loopTemp();
    const idx = this.loopTemp();
    const it = this.loopTemp();
    const step = this.temp();
    const assign = (e: ts.Expression) => f.createExpressionStatement(f.createAssignment(e, f.createVoidZero()));
    out.push(f.createExpressionStatement(f.createAssignment(arr, f.createCallExpression(f.createPropertyAccessExpression(rt, 'arr'), undefined, [iterable]))));
    out.push(f.createExpressionStatement(f.createAssignment(idx, f.createNumericLiteral(0))));
    out.push(f.createExpressionStatement(f.createAssignment(it, f.createConditionalExpression(f.createStrictEquality(arr, f.createVoidZero()), undefined, f.createCallExpression(f.createPropertyAccessExpression(rt, 'iter'), undefined, [iterable]), undefined, f.createVoidZero()))));
    out.push(assign(step));
    // Each branch assigns the loop variable itself; a pattern (code of its own) is assigned once, from a temporary.
    const target = s.initializer as ts.Expression;
    const simple = ts.isIdentifier(target) || (ts.isPropertyAccessExpression(target) && ts.isIdentifier(target.expression));
    const value = simple ? undefined : this.temp();
    const indexed: ts.Statement[] = [
      f.createIfStatement(f.createGreaterThanEquals(idx, f.createPropertyAccessExpression(arr, 'length')), f.createBreakStatement()),
      f.createExpressionStatement(f.createAssignment(value ?? target, f.createElementAccessExpression(arr, f.createPostfixIncrement(idx)))),
    ];
    // No step while `next` runs: an iterator whose `next` throws is not closed.
    const stepped: ts.Statement[] = [assign(step)];
    this.emitCall(f.createCallExpression(f.createPropertyAccessExpression(it, 'next'), undefined, []), stepped, step);
    stepped.push(f.createIfStatement(f.createPropertyAccessExpression(step, 'done'), f.createBreakStatement()));
    stepped.push(f.createExpressionStatement(f.createAssignment(value ?? target, f.createPropertyAccessExpression(step, 'value'))));
    const inner: ts.Statement[] = [f.createIfStatement(f.createStrictInequality(arr, f.createVoidZero()), f.createBlock(indexed, true), f.createBlock(stepped, true))];
    if (value) this.statement(f.createExpressionStatement(f.createAssignment(target, value)), inner);
    const label = f.createIdentifier(this.ctx.names.fresh('c'));
    const lowered = this.block(s.statement);
    inner.push(f.createLabeledStatement(label, f.createBlock(rewriteContinues(f, lowered.statements, label), true)));
    const loop: ts.Statement = f.createForStatement(undefined, undefined, undefined, f.createBlock(inner, true));
    // Leaving the loop early (break, return, throw) closes the iterator, as
    // for…of does natively: a generator's finally blocks run. (An indexed
    // walk leaves the step undefined: nothing to close.) Left by an
    // exception, the iterator is closed in the catch, where that exception
    // stays the completion whatever `return` does; the finally then finds
    // no step.
    const close = (thrown: boolean) => f.createExpressionStatement(f.createCallExpression(f.createPropertyAccessExpression(rt, 'close'), undefined, thrown ? [it, step, f.createNumericLiteral(1)] : [it, step]));
    const caught = f.createIdentifier(this.ctx.names.fixed('x'));
    const closer = f.createTryStatement(
      f.createBlock([loopLabel ? f.createLabeledStatement(loopLabel, loop) : loop], true),
      f.createCatchClause(f.createVariableDeclaration(caught), f.createBlock([close(true), assign(step), f.createThrowStatement(caught)], true)),
      f.createBlock([close(false)], true),
    );
    return [closer];
  }

  /**
   *   for (k in o) body  →  $o = o; $k = $R.keys($o);
   *                         for ($i = 0; $i < $k.length; $i++) { if (!$R.kin($o, $k[$i])) continue; k = $k[$i]; body }
   * A key deleted before the loop reaches it is skipped, as natively.
   */
  private forIn(s: ts.ForInStatement, out: ts.Statement[]): ts.Statement[] {
    const f = this.f;
    const obj = this.loopTemp();
    out.push(f.createExpressionStatement(f.createAssignment(obj, this.containsSite(s.expression) ? this.expr(s.expression, out, new Set()) : s.expression)));
    const keys = this.loopTemp();
    const i = this.loopTemp();
    out.push(f.createExpressionStatement(f.createAssignment(keys, f.createCallExpression(f.createPropertyAccessExpression(this.ctx.rt, 'keys'), undefined, [obj]))));
    out.push(f.createExpressionStatement(f.createAssignment(i, f.createNumericLiteral(0))));
    const inner: ts.Statement[] = [
      f.createIfStatement(f.createLogicalNot(f.createCallExpression(f.createPropertyAccessExpression(this.ctx.rt, 'kin'), undefined, [obj, f.createElementAccessExpression(keys, i)])), f.createContinueStatement()),
    ];
    this.statement(f.createExpressionStatement(f.createAssignment(s.initializer as ts.Expression, f.createElementAccessExpression(keys, i))), inner);
    const lowered = this.block(s.statement);
    inner.push(...lowered.statements);
    return [f.createForStatement(undefined, f.createLessThan(i, f.createPropertyAccessExpression(keys, 'length')), f.createPostfixIncrement(i), f.createBlock(inner, true))];
  }

  // ---- expressions --------------------------------------------------------------------

  /** Returns a call-free expression equal to `e`, pushing what it needs onto `out`. */
  expr(e: ts.Expression, out: ts.Statement[], assigned: Set<string>, discard = false): ts.Expression {
    const f = this.f;
    if (!this.containsSite(e)) return e;
    if (ts.isParenthesizedExpression(e)) {
      // `(0, o.m)(…)`: keep the this-less shape around the callee.
      return f.createParenthesizedExpression(this.expr(e.expression, out, assigned, discard));
    }
    if (this.isSiteCall(e)) return this.emitCall(this.linCall(e as ts.CallExpression, out, assigned), out);
    // A call that is not a resume point (a leaf built-in) around ones that are: `Math.abs(f(x))`.
    if (ts.isCallExpression(e) && !ts.isOptionalChain(e)) return this.linCall(e, out, assigned);
    if (ts.isYieldExpression(e)) return e.asteriskToken ? this.delegate(e, out, assigned) : this.yieldPoint(e, out, assigned);
    if (ts.isBinaryExpression(e)) return this.binary(e, out, assigned, discard);
    if (ts.isConditionalExpression(e)) {
      const cond = this.expr(e.condition, out, assigned);
      const t = discard ? undefined : this.temp();
      const branch = (x: ts.Expression) => {
        const b: ts.Statement[] = [];
        const v = this.expr(x, b, assigned, discard);
        if (t) b.push(f.createExpressionStatement(f.createAssignment(t, v)));
        else if (!isTrivial(v)) b.push(f.createExpressionStatement(v));
        return f.createBlock(b, true);
      };
      out.push(f.createIfStatement(cond, branch(e.whenTrue), branch(e.whenFalse)));
      return t ?? f.createVoidZero();
    }
    if (ts.isCommaListExpression(e)) {
      const parts = e.elements;
      for (let i = 0; i < parts.length - 1; i++) {
        const v = this.expr(parts[i], out, assigned, true);
        if (!isTrivial(v)) out.push(f.createExpressionStatement(v));
      }
      return this.expr(parts[parts.length - 1], out, assigned, discard);
    }
    if (ts.isPrefixUnaryExpression(e) || ts.isPostfixUnaryExpression(e)) {
      if (e.operator === ts.SyntaxKind.PlusPlusToken || e.operator === ts.SyntaxKind.MinusMinusToken) {
        const target = this.lvalue(e.operand, out, assigned);
        return ts.isPrefixUnaryExpression(e) ? f.updatePrefixUnaryExpression(e, target) : f.updatePostfixUnaryExpression(e, target);
      }
      return ts.isPrefixUnaryExpression(e) ? f.updatePrefixUnaryExpression(e, this.expr(e.operand, out, assigned)) : f.updatePostfixUnaryExpression(e, this.expr(e.operand, out, assigned));
    }
    if (ts.isTypeOfExpression(e)) return f.updateTypeOfExpression(e, this.expr(e.expression, out, assigned));
    if (ts.isVoidExpression(e)) return f.updateVoidExpression(e, this.expr(e.expression, out, assigned));
    if (ts.isDeleteExpression(e)) return f.updateDeleteExpression(e, this.lvalue(e.expression, out, assigned));
    if (ts.isPropertyAccessExpression(e) && !ts.isOptionalChain(e)) return f.updatePropertyAccessExpression(e, this.expr(e.expression, out, assigned), e.name);
    if (ts.isElementAccessExpression(e) && !ts.isOptionalChain(e)) {
      const [o, k] = this.children([e.expression, e.argumentExpression], out, assigned);
      return f.updateElementAccessExpression(e, o, k);
    }
    if (ts.isOptionalChain(e)) return this.optionalChain(e, out, assigned);
    if (ts.isTemplateExpression(e)) {
      // Each substitution is converted to a string before the next one is
      // evaluated: one before a later call is held as its string.
      let last = -1;
      e.templateSpans.forEach((s, i) => {
        if (this.containsSite(s.expression)) last = i;
      });
      const vals = e.templateSpans.map((s, i) => {
        const v = this.expr(s.expression, out, assigned);
        if (i >= last || ts.isStringLiteral(v) || ts.isNumericLiteral(v) || ts.isNoSubstitutionTemplateLiteral(v)) return v;
        return this.spill(f.createTemplateExpression(f.createTemplateHead(''), [f.createTemplateSpan(v, f.createTemplateTail(''))]), out);
      });
      return f.updateTemplateExpression(e, e.head, e.templateSpans.map((s, i) => f.updateTemplateSpan(s, vals[i], s.literal)));
    }
    if (ts.isArrayLiteralExpression(e)) {
      const vals = this.children(e.elements as readonly ts.Expression[], out, assigned, true);
      return f.updateArrayLiteralExpression(e, vals);
    }
    if (ts.isObjectLiteralExpression(e)) return this.objectLiteral(e, out, assigned);
    if (ts.isSpreadElement(e)) return f.updateSpreadElement(e, this.expr(e.expression, out, assigned));
    if (ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isTypeAssertionExpression(e) || ts.isSatisfiesExpression(e)) return this.expr(e.expression, out, assigned, discard);
    // Anything else: leave it, and let pass 4 make it a no-save region.
    return e;
  }

  /** Evaluates `list` left to right; what precedes the last call-bearing element is held in temps. */
  private children(list: readonly ts.Expression[], out: ts.Statement[], assigned: Set<string>, spreads = false): ts.Expression[] {
    const f = this.f;
    let last = -1;
    list.forEach((x, i) => {
      if (this.containsSite(x)) last = i;
    });
    return list.map((x, i) => {
      if (ts.isOmittedExpression(x)) return x;
      if (ts.isSpreadElement(x)) {
        const v = this.expr(x.expression, out, assigned);
        // A spread before a later call is taken now, as the original would.
        return f.createSpreadElement(i < last ? this.spill(f.createArrayLiteralExpression([f.createSpreadElement(v)]), out) : v);
      }
      const v = this.expr(x, out, assigned);
      return i < last && !this.isStable(v, assigned) ? this.spill(v, out) : v;
    });
  }

  /**
   *   yield v  →  $t = yield v; if ($t === $R.RT) return $R.rv;
   * A call statement of its own kind: pass 4 suspends there and resumes with
   * the value sent in; `gen.return(x)` resumes with the RT marker, and the
   * return runs the generator's finally blocks as natively.
   */
  private yieldPoint(e: ts.YieldExpression, out: ts.Statement[], assigned: Set<string>): ts.Expression {
    const f = this.f;
    const rt = this.ctx.rt;
    const value = e.expression ? this.expr(e.expression, out, assigned) : undefined;
    const t = this.temp();
    this.emitYield(f.updateYieldExpression(e, undefined, value), out, t);
    out.push(f.createIfStatement(f.createStrictEquality(t, f.createPropertyAccessExpression(rt, 'RT')), f.createReturnStatement(f.createPropertyAccessExpression(rt, 'rv'))));
    return t;
  }

  private emitYield(y: ts.YieldExpression, out: ts.Statement[], target: ts.Identifier): void {
    const st = this.f.createExpressionStatement(this.f.createAssignment(target, y));
    this.calls.add(st);
    this.yields.add(st);
    out.push(st);
  }

  /**
   *   yield* x  →  $d = $R.dg(x);
   *                $s = $R.ds($d, "next", void 0);               (a call site)
   *                if ($s.done) $v = $s.value;
   *                else { $v = yield $R.yd($d, $s); if ($v === $R.RT) return $R.rv; }
   *                … $v
   *
   * The yield suspends the body with its delegate: the runtime's generator
   * forwards every later next/throw/return to `$d` itself (no re-entry of
   * this body per value; the delegate's own result objects are passed on),
   * and resumes the body here only when the delegate is done (with its
   * value, or by `return` if it finished a return) or threw.
   *
   * In an async generator (pass 0c wrote `yield* $R.adg(x)`), the delegate is
   * async and the loop stays in the body: each step is awaited
   * (`$s = $R.ais(yield $R.aw($R.ads($d, $m, $v)))`) and its values are
   * passed on as they are, not awaited again (`yield $R.dy($s.value)`), as
   * ECMA-262's async yield* does.
   */
  private delegate(e: ts.YieldExpression, out: ts.Statement[], assigned: Set<string>): ts.Expression {
    const f = this.f;
    const rt = this.ctx.rt;
    const call = (name: string, args: ts.Expression[]) => f.createCallExpression(f.createPropertyAccessExpression(rt, name), undefined, args);
    const operand = e.expression!;
    const isAsync = ts.isCallExpression(operand) && ts.isPropertyAccessExpression(operand.expression) && ts.isIdentifier(operand.expression.expression) && ts.idText(operand.expression.expression) === ts.idText(rt) && ts.idText(operand.expression.name as ts.Identifier) === 'adg';
    const source = this.expr(operand, out, assigned);
    if (!isAsync) return this.syncDelegate(source, out);
    const d = this.loopTemp();
    const m = this.loopTemp();
    const v = this.loopTemp();
    const step = this.loopTemp();
    out.push(f.createExpressionStatement(f.createAssignment(d, source)));
    out.push(f.createExpressionStatement(f.createAssignment(m, f.createStringLiteral('next'))));
    out.push(f.createExpressionStatement(f.createAssignment(v, f.createVoidZero())));
    const body: ts.Statement[] = [];
    const settled = this.yieldPoint(f.createYieldExpression(undefined, call('aw', [call('ads', [d, m, v])])), body, assigned);
    body.push(f.createExpressionStatement(f.createAssignment(step, call('ais', [settled]))));
    const value = f.createPropertyAccessExpression(step, 'value');
    body.push(f.createIfStatement(f.createPropertyAccessExpression(step, 'done'), f.createBlock([
      f.createIfStatement(f.createStrictEquality(m, f.createStringLiteral('return')), f.createReturnStatement(value)),
      f.createBreakStatement(),
    ], true)));
    const y = f.createYieldExpression(undefined, call('dy', [value]));
    this.emitYield(y, body, v);
    body.push(f.createExpressionStatement(f.createAssignment(m, f.createPropertyAccessExpression(rt, 'sm'))));
    out.push(f.createForStatement(undefined, undefined, undefined, f.createBlock(body, true)));
    return f.createPropertyAccessExpression(step, 'value');
  }

  private syncDelegate(source: ts.Expression, out: ts.Statement[]): ts.Expression {
    const f = this.f;
    const rt = this.ctx.rt;
    const call = (name: string, args: ts.Expression[]) => f.createCallExpression(f.createPropertyAccessExpression(rt, name), undefined, args);
    const d = this.temp();
    const step = this.temp();
    const result = this.temp();
    out.push(f.createExpressionStatement(f.createAssignment(d, call('dg', [source]))));
    const first = f.createExpressionStatement(f.createAssignment(step, call('ds', [d, f.createStringLiteral('next'), f.createVoidZero()])));
    this.calls.add(first);
    out.push(first);
    const suspended: ts.Statement[] = [];
    this.emitYield(f.createYieldExpression(undefined, call('yd', [d, step])), suspended, result);
    suspended.push(f.createIfStatement(f.createStrictEquality(result, f.createPropertyAccessExpression(rt, 'RT')), f.createReturnStatement(f.createPropertyAccessExpression(rt, 'rv'))));
    out.push(f.createIfStatement(
      f.createPropertyAccessExpression(step, 'done'),
      f.createExpressionStatement(f.createAssignment(result, f.createPropertyAccessExpression(step, 'value'))),
      f.createBlock(suspended, true),
    ));
    return result;
  }

  private linCall(e: ts.CallExpression | ts.NewExpression | ts.TaggedTemplateExpression, out: ts.Statement[], assigned: Set<string>): ts.Expression {
    const f = this.f;
    if (ts.isTaggedTemplateExpression(e)) {
      const tpl = e.template;
      if (ts.isNoSubstitutionTemplateLiteral(tpl)) return f.updateTaggedTemplateExpression(e, this.expr(e.tag, out, assigned), undefined, tpl);
      const [tag, ...vals] = this.children([e.tag, ...tpl.templateSpans.map((s) => s.expression)], out, assigned);
      return f.updateTaggedTemplateExpression(e, tag, undefined, f.updateTemplateExpression(tpl, tpl.head, tpl.templateSpans.map((s, i) => f.updateTemplateSpan(s, vals[i], s.literal))));
    }
    const args = e.arguments ?? [];
    // A leaf built-in (`Math.imul`, `parseInt`) is read after its arguments,
    // not held in a temporary first: `$t.imul(…)` would no longer be known
    // as one and would make its statement a no-save region (a try/finally
    // per evaluation; FNV over a string ran 3.4× plain, 2.2× without it).
    // Only a program whose arguments replace `Math.imul` itself can tell.
    const argsHaveSites = args.some((a) => this.containsSite(a)) && !(ts.isCallExpression(e) && isLeafBuiltinCall(e.expression, this.ctx.shadowedGlobals));
    let callee: ts.Expression = e.expression;
    if (ts.isCallExpression(e) && ts.isOptionalChain(e)) return this.optionalChain(e, out, assigned);
    if ((ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee)) && callee.expression.kind !== ts.SyntaxKind.SuperKeyword) {
      // Keep `o.m(…)` a member call; evaluate `o` (and the key) first.
      let obj = this.expr(callee.expression, out, assigned);
      if (argsHaveSites && !this.isStable(obj, assigned)) obj = this.spill(obj, out);
      if (ts.isPropertyAccessExpression(callee)) callee = f.updatePropertyAccessExpression(callee, obj, callee.name);
      else {
        let key = this.expr(callee.argumentExpression, out, assigned);
        if (argsHaveSites && !this.isStable(key, assigned)) key = this.spill(key, out);
        callee = f.updateElementAccessExpression(callee, obj, key);
      }
    } else if (isSuperProperty(callee)) {
      // `super.m(…)` must stay a member call on `this`; only a computed key is
      // evaluated first. The method is looked up after the arguments, which
      // only a program that swaps prototype methods inside its arguments sees.
      if (ts.isElementAccessExpression(callee)) {
        let key = this.expr(callee.argumentExpression, out, assigned);
        if (argsHaveSites && !this.isStable(key, assigned)) key = this.spill(key, out);
        callee = f.updateElementAccessExpression(callee, callee.expression, key);
      }
    } else if (callee.kind !== ts.SyntaxKind.SuperKeyword && callee.kind !== ts.SyntaxKind.ImportKeyword) {
      callee = this.expr(callee, out, assigned);
      if (argsHaveSites && !this.isStable(skipParens(callee), assigned) && !ts.isParenthesizedExpression(callee)) callee = this.spill(callee, out);
      else if (argsHaveSites && ts.isParenthesizedExpression(callee)) {
        const inner = skipParens(callee);
        if (!this.isStable(inner, assigned)) callee = f.createParenthesizedExpression(f.createComma(f.createNumericLiteral(0), this.spill(ts.isCommaListExpression(inner) || ts.isBinaryExpression(inner) ? lastOfComma(inner) : inner, out)));
      }
    }
    const newArgs = this.children(args, out, assigned, true);
    if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.name) && DRIVING_METHODS.has(callee.name.text) && callee.expression.kind !== ts.SyntaxKind.SuperKeyword && newArgs.length <= 1 && !newArgs.some(ts.isSpreadElement)) {
      // `it.next(v)` and co. through the runtime, which tells a generator it
      // is driven from a resume point (native iteration, e.g. a spread, is
      // not). Those methods take at most one argument; a call with more is no
      // generator's and stays as written.
      return f.createCallExpression(f.createPropertyAccessExpression(this.ctx.rt, newArgs.length === 0 ? 'gn0' : 'gn1'), undefined, [callee.expression, f.createStringLiteral(callee.name.text), ...newArgs]);
    }
    return ts.isNewExpression(e) ? f.updateNewExpression(e, callee, undefined, newArgs) : f.updateCallExpression(e, callee, undefined, newArgs);
  }

  private binary(e: ts.BinaryExpression, out: ts.Statement[], assigned: Set<string>, discard: boolean): ts.Expression {
    const f = this.f;
    const op = e.operatorToken.kind;
    if (op === ts.SyntaxKind.CommaToken) {
      const l = this.expr(e.left, out, assigned, true);
      if (!isTrivial(l)) out.push(f.createExpressionStatement(l));
      return this.expr(e.right, out, assigned, discard);
    }
    if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken) {
      if (!this.containsSite(e.right)) return f.updateBinaryExpression(e, this.expr(e.left, out, assigned), e.operatorToken, e.right);
      const t = this.temp();
      out.push(f.createExpressionStatement(f.createAssignment(t, this.expr(e.left, out, assigned))));
      const body: ts.Statement[] = [];
      body.push(f.createExpressionStatement(f.createAssignment(t, this.expr(e.right, body, assigned))));
      out.push(f.createIfStatement(shortCircuitTest(f, op, t), f.createBlock(body, true)));
      return t;
    }
    if (op === ts.SyntaxKind.EqualsToken) {
      if (ts.isObjectLiteralExpression(e.left) || ts.isArrayLiteralExpression(e.left)) {
        if (this.containsSite(e.left)) {
          this.opaque.add(f.createExpressionStatement(e));
          return e;
        }
        return f.updateBinaryExpression(e, e.left, e.operatorToken, this.expr(e.right, out, assigned));
      }
      const target = this.lvalue(e.left, out, assigned, this.containsSite(e.right));
      if (this.isDirectTarget(target) && this.isSiteCall(skipParens(e.right))) {
        this.emitCall(this.linCall(skipParens(e.right) as ts.CallExpression, out, assigned), out, target);
        return target;
      }
      return f.updateBinaryExpression(e, target, e.operatorToken, this.expr(e.right, out, assigned));
    }
    if (isAssignmentOperator(op)) {
      // x op= f()  →  $old = x; $v = f(); x = $old op $v   (logical ones: if)
      const target = this.lvalue(e.left, out, assigned, true);
      if (op === ts.SyntaxKind.AmpersandAmpersandEqualsToken || op === ts.SyntaxKind.BarBarEqualsToken || op === ts.SyntaxKind.QuestionQuestionEqualsToken) {
        const logical = op === ts.SyntaxKind.AmpersandAmpersandEqualsToken ? ts.SyntaxKind.AmpersandAmpersandToken : op === ts.SyntaxKind.BarBarEqualsToken ? ts.SyntaxKind.BarBarToken : ts.SyntaxKind.QuestionQuestionToken;
        const body: ts.Statement[] = [];
        if (discard || ts.isIdentifier(target)) {
          body.push(f.createExpressionStatement(f.createAssignment(target, this.expr(e.right, body, assigned))));
          out.push(f.createIfStatement(shortCircuitTest(f, logical, target), f.createBlock(body, true)));
          return discard ? f.createVoidZero() : target;
        }
        // a property is read once (a getter or a Proxy sees one get), and the
        // expression's value is what was read or assigned, not a second read
        const t = this.temp();
        out.push(f.createExpressionStatement(f.createAssignment(t, target)));
        body.push(f.createExpressionStatement(f.createAssignment(t, this.expr(e.right, body, assigned))));
        body.push(f.createExpressionStatement(f.createAssignment(target, t)));
        out.push(f.createIfStatement(shortCircuitTest(f, logical, t), f.createBlock(body, true)));
        return t;
      }
      const old = this.isStable(target, assigned) ? target : this.spill(target, out);
      const v = this.expr(e.right, out, assigned);
      return f.createAssignment(target, f.createBinaryExpression(old, compoundToBinary(op), v));
    }
    const [l, r] = this.children([e.left, e.right], out, assigned);
    return f.updateBinaryExpression(e, l, e.operatorToken, r);
  }

  /** An assignment target whose object and key are evaluated now (held if `hold`). */
  private lvalue(e: ts.Expression, out: ts.Statement[], assigned: Set<string>, hold = true): ts.Expression {
    const f = this.f;
    e = skipParens(e);
    if (ts.isPropertyAccessExpression(e) && e.expression.kind !== ts.SyntaxKind.SuperKeyword) {
      let o = this.expr(e.expression, out, assigned);
      if (hold && !this.isStable(o, assigned)) o = this.spill(o, out);
      return f.updatePropertyAccessExpression(e, o, e.name);
    }
    if (ts.isElementAccessExpression(e) && e.expression.kind !== ts.SyntaxKind.SuperKeyword) {
      let o = this.expr(e.expression, out, assigned);
      if (!this.isStable(o, assigned)) o = this.spill(o, out);
      let k = this.expr(e.argumentExpression, out, assigned);
      if (hold && !this.isStable(k, assigned)) k = this.spill(k, out);
      return f.updateElementAccessExpression(e, o, k);
    }
    return e;
  }

  private objectLiteral(e: ts.ObjectLiteralExpression, out: ts.Statement[], assigned: Set<string>): ts.Expression {
    const f = this.f;
    let last = -1;
    e.properties.forEach((p, i) => {
      if (this.containsSite(p) || (p.name && ts.isComputedPropertyName(p.name) && this.containsSite(p.name))) last = i;
    });
    const props = e.properties.map((p, i) => {
      const hold = (v: ts.Expression) => (i < last && !this.isStable(v, assigned) ? this.spill(v, out) : v);
      if (ts.isPropertyAssignment(p)) {
        // The key is converted before the value (and what follows) is evaluated.
        const key = (k: ts.Expression) => (i < last || this.containsSite(p.initializer) ? this.spillKey(k, out) : k);
        const name = ts.isComputedPropertyName(p.name) ? f.updateComputedPropertyName(p.name, key(this.expr(p.name.expression, out, assigned))) : p.name;
        return f.updatePropertyAssignment(p, name, hold(this.expr(p.initializer, out, assigned)));
      }
      if (ts.isSpreadAssignment(p)) {
        const v = this.expr(p.expression, out, assigned);
        return f.updateSpreadAssignment(p, i < last ? this.spill(f.createObjectLiteralExpression([f.createSpreadAssignment(v)]), out) : v);
      }
      if (ts.isShorthandPropertyAssignment(p)) return i < last ? f.createPropertyAssignment(p.name, hold(f.createIdentifier(ts.idText(p.name)))) : p;
      // A getter, setter or method left as it is (its body is not this
      // function's) under a computed key: the key too is taken in order.
      if (p.name && ts.isComputedPropertyName(p.name) && (i < last || this.containsSite(p.name))) {
        const k = this.expr(p.name.expression, out, assigned);
        const name = f.updateComputedPropertyName(p.name, i < last ? this.spillKey(k, out) : k);
        if (ts.isGetAccessorDeclaration(p)) return f.updateGetAccessorDeclaration(p, p.modifiers, name, p.parameters, p.type, p.body);
        if (ts.isSetAccessorDeclaration(p)) return f.updateSetAccessorDeclaration(p, p.modifiers, name, p.parameters, p.body);
        if (ts.isMethodDeclaration(p)) return f.updateMethodDeclaration(p, p.modifiers, p.asteriskToken, name, p.questionToken, p.typeParameters, p.parameters, p.type, p.body);
      }
      return p;
    });
    return f.updateObjectLiteralExpression(e, props);
  }

  /**
   *   a?.b.m(f())  →  $t = a; if ($t != null) { $t2 = f(); $t = $t.b.m($t2) } else $t = undefined
   */
  private optionalChain(e: ts.Expression, out: ts.Statement[], assigned: Set<string>): ts.Expression {
    const f = this.f;
    // Split the chain into its base and links, outermost last.
    const links: ts.Expression[] = [];
    let base: ts.Expression = e;
    while (ts.isPropertyAccessExpression(base) || ts.isElementAccessExpression(base) || ts.isCallExpression(base) || ts.isNonNullExpression(base)) {
      links.unshift(base);
      base = base.expression;
    }
    // What comes before the first `?.` is an ordinary expression: evaluated
    // as one (a call in it stays a call of its own, `$R.ac(…)` included),
    // keeping the member access a first `?.()` calls as its `this`.
    let first = links.findIndex((l) => (l as ts.PropertyAccessExpression).questionDotToken !== undefined);
    if (first > 0 && ts.isCallExpression(links[first]) && (ts.isPropertyAccessExpression(links[first - 1]) || ts.isElementAccessExpression(links[first - 1]))) first--;
    if (first > 0) {
      base = (links[first] as ts.PropertyAccessExpression).expression;
      links.splice(0, first);
    }
    const result = this.temp();
    out.push(f.createExpressionStatement(f.createAssignment(result, this.expr(base, out, assigned))));
    let sink = out;
    let thisValue: ts.Expression | undefined;
    for (const link of links) {
      const q = (link as ts.PropertyAccessExpression).questionDotToken;
      if (q) {
        const inner: ts.Statement[] = [];
        sink.push(f.createIfStatement(f.createEquality(result, f.createNull()), f.createExpressionStatement(f.createAssignment(result, f.createVoidZero())), f.createBlock(inner, true)));
        sink = inner;
      }
      if (ts.isPropertyAccessExpression(link)) {
        thisValue = this.spill(result, sink);
        sink.push(f.createExpressionStatement(f.createAssignment(result, f.createPropertyAccessExpression(thisValue, link.name))));
      } else if (ts.isElementAccessExpression(link)) {
        thisValue = this.spill(result, sink);
        const k = this.expr(link.argumentExpression, sink, assigned);
        sink.push(f.createExpressionStatement(f.createAssignment(result, f.createElementAccessExpression(thisValue, k))));
      } else if (ts.isCallExpression(link)) {
        const args = this.children(link.arguments, sink, assigned, true);
        const fn = result;
        const call = thisValue
          ? f.createCallExpression(f.createPropertyAccessExpression(fn, 'call'), undefined, [thisValue, ...args])
          : f.createCallExpression(fn, undefined, args);
        this.emitCall(call, sink, result);
        thisValue = undefined;
      }
    }
    return result;
  }
}

// ---- helpers ----------------------------------------------------------------------------

function skipParens(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  return e;
}

function lastOfComma(e: ts.Expression): ts.Expression {
  while (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.CommaToken) e = e.right;
  return e;
}

function isTrivial(e: ts.Expression): boolean {
  return ts.isIdentifier(e) || ts.isLiteralExpression(e) || (ts.isVoidExpression(e) && ts.isLiteralExpression(e.expression));
}

function shortCircuitTest(f: ts.NodeFactory, op: ts.SyntaxKind, t: ts.Expression): ts.Expression {
  if (op === ts.SyntaxKind.AmpersandAmpersandToken) return t;
  if (op === ts.SyntaxKind.BarBarToken) return f.createLogicalNot(t);
  return f.createEquality(t, f.createNull());
}

const COMPOUND_TO_BINARY: Partial<Record<ts.SyntaxKind, ts.BinaryOperator>> = {
  [ts.SyntaxKind.PlusEqualsToken]: ts.SyntaxKind.PlusToken,
  [ts.SyntaxKind.MinusEqualsToken]: ts.SyntaxKind.MinusToken,
  [ts.SyntaxKind.AsteriskEqualsToken]: ts.SyntaxKind.AsteriskToken,
  [ts.SyntaxKind.AsteriskAsteriskEqualsToken]: ts.SyntaxKind.AsteriskAsteriskToken,
  [ts.SyntaxKind.SlashEqualsToken]: ts.SyntaxKind.SlashToken,
  [ts.SyntaxKind.PercentEqualsToken]: ts.SyntaxKind.PercentToken,
  [ts.SyntaxKind.LessThanLessThanEqualsToken]: ts.SyntaxKind.LessThanLessThanToken,
  [ts.SyntaxKind.GreaterThanGreaterThanEqualsToken]: ts.SyntaxKind.GreaterThanGreaterThanToken,
  [ts.SyntaxKind.GreaterThanGreaterThanGreaterThanEqualsToken]: ts.SyntaxKind.GreaterThanGreaterThanGreaterThanToken,
  [ts.SyntaxKind.AmpersandEqualsToken]: ts.SyntaxKind.AmpersandToken,
  [ts.SyntaxKind.BarEqualsToken]: ts.SyntaxKind.BarToken,
  [ts.SyntaxKind.CaretEqualsToken]: ts.SyntaxKind.CaretToken,
};

function compoundToBinary(op: ts.SyntaxKind): ts.BinaryOperator {
  return COMPOUND_TO_BINARY[op]!;
}

/** Names assigned anywhere in `node` (outside nested functions): not stable within it. */
export function assignedNames(node: ts.Node): Set<string> {
  const out = new Set<string>();
  const visit = (n: ts.Node): void => {
    if (isFunctionLike(n)) return;
    if (ts.isBinaryExpression(n) && isAssignmentOperator(n.operatorToken.kind)) collectTargets(n.left, out);
    if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)) collectTargets(n.operand, out);
    ts.forEachChild(n, visit);
  };
  visit(node);
  return out;
}

function collectTargets(e: ts.Node, out: Set<string>): void {
  if (ts.isIdentifier(e)) out.add(ts.idText(e));
  else if (ts.isArrayLiteralExpression(e) || ts.isObjectLiteralExpression(e) || ts.isSpreadElement(e) || ts.isSpreadAssignment(e) || ts.isPropertyAssignment(e) || ts.isShorthandPropertyAssignment(e) || ts.isParenthesizedExpression(e) || (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken)) {
    ts.forEachChild(e, (c) => collectTargets(c, out));
  }
}

/** Calls a class definition makes itself: in `extends`, computed keys, static initializers and blocks. */
function classRunsCalls(node: ts.ClassLikeDeclaration): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || isFunctionLike(n) || ts.isClassLike(n)) return;
    if (ts.isCallExpression(n) || ts.isNewExpression(n) || ts.isTaggedTemplateExpression(n)) found = true;
    else ts.forEachChild(n, visit);
  };
  for (const h of node.heritageClauses ?? []) for (const t of h.types) visit(t.expression);
  for (const m of node.members) {
    if (m.name && ts.isComputedPropertyName(m.name)) visit(m.name.expression);
    const isStatic = ts.canHaveModifiers(m) && (ts.getModifiers(m) ?? []).some((x) => x.kind === ts.SyntaxKind.StaticKeyword);
    if (ts.isPropertyDeclaration(m) && isStatic && m.initializer) visit(m.initializer);
    if (ts.isClassStaticBlockDeclaration(m)) ts.forEachChild(m.body, visit);
  }
  return found;
}

/** `continue` (unlabeled, or to `loopLabel`) of this loop → `break <label>` of the body block. */
function rewriteContinues(f: ts.NodeFactory, statements: readonly ts.Statement[], label: ts.Identifier, loopLabel?: string): ts.Statement[] {
  const visit = (n: ts.Node, inNestedLoop: boolean): ts.Node => {
    if (isFunctionLike(n) || ts.isClassLike(n)) return n;
    if (ts.isContinueStatement(n) && !n.label && !inNestedLoop) return f.createBreakStatement(label);
    if (ts.isContinueStatement(n) && n.label && ts.idText(n.label) === loopLabel) return f.createBreakStatement(label);
    const nested = inNestedLoop || ts.isIterationStatement(n, false);
    return ts.visitEachChild(n, (c) => visit(c, nested), undefined as unknown as ts.TransformationContext);
  };
  return statements.map((s) => visit(s, false) as ts.Statement);
}

function isSuperProperty(e: ts.Expression): e is ts.PropertyAccessExpression | ts.ElementAccessExpression {
  return (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) && e.expression.kind === ts.SyntaxKind.SuperKeyword;
}

/** Methods that drive an iterator; called from a resume point through `$R.gn0`/`$R.gn1`. */
const DRIVING_METHODS = new Set(['next', 'return', 'throw']);

/**
 * Built-ins that never call back into the program (`Math.max`, `parseInt`,
 * `Array.isArray`…): a call to one is not a resume point, which keeps small
 * hot functions small. Only when the file does not declare the name itself.
 */
const LEAF_BUILTINS: Record<string, true | ReadonlySet<string>> = {
  Math: true,
  Number: new Set(['isInteger', 'isFinite', 'isNaN', 'isSafeInteger', 'parseFloat', 'parseInt']),
  Array: new Set(['isArray']),
  Object: new Set(['is', 'keys', 'getPrototypeOf', 'isFrozen', 'isSealed', 'isExtensible']),
  String: new Set(['fromCharCode', 'fromCodePoint']),
};
const LEAF_FUNCTIONS = new Set(['parseInt', 'parseFloat', 'isNaN', 'isFinite']);

function isRunnerName(name: string, ctx: FileContext): boolean {
  const prefix = ctx.names.fixed('g');
  return name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length));
}

/** A call into the program (or anything that may call back into it): a resume point. */
export function isSiteCall(node: ts.Node, ctx: FileContext): boolean {
  if (ts.isNewExpression(node)) return !isLeafBuiltinNew(node, ctx.shadowedGlobals);
  if (ts.isTaggedTemplateExpression(node)) return true;
  if (!ts.isCallExpression(node)) return false;
  const callee = node.expression;
  // `import(…)` evaluates the module in a later job, never inside the call.
  if (callee.kind === ts.SyntaxKind.ImportKeyword) return false;
  // A factory makes a closure; a generator body's runner (`$g1(void 0, envs)`, an async call's) only makes its generator object.
  if (ts.isIdentifier(callee) && (ts.idText(callee).startsWith(ctx.names.fixed('mk')) || isRunnerName(ts.idText(callee), ctx))) return false;
  // The runtime's helpers never call back into the program, but `$R.task`
  // (an async body), `$R.ac` (an array method's callbacks) and `$R.ni`
  // (`o.keys()` and co. on an object of the program's own).
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && ts.idText(callee.expression) === ts.idText(ctx.rt)) return CALLING_HELPERS.has(ts.idText(callee.name));
  if (isLeafBuiltinCall(callee, ctx.shadowedGlobals)) return false;
  if (isLeafFunctionCall(node, ctx)) return false;
  return true;
}

/** The runtime's helpers that run ToPropertyKey on their argument. */
const KEY_HELPERS = new Set(['pk', 'nk']);

/** `$R.name`: a helper of the runtime. */
function isRuntimeHelper(callee: ts.Expression, ctx: FileContext): callee is ts.PropertyAccessExpression & { name: ts.Identifier } {
  return ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && ts.idText(callee.expression) === ts.idText(ctx.rt) && ts.isIdentifier(callee.name);
}

/** A call of one of the file's leaf functions (leaf-functions.ts): no site, but program code with effects of its own, so not stable. */
function isLeafFunctionCall(node: ts.CallExpression, ctx: FileContext): boolean {
  return ts.isIdentifier(node.expression) && !node.questionDotToken && ctx.leafFunctions.has(ts.idText(node.expression));
}

/**
 * Whether running `node` can call into the program other than through code
 * that is a no-save region anyway (getters, setters, toString, Proxy traps):
 * a site, a yield or await, or an iteration the engine drives (a spread, an
 * array pattern, for…of) of what may be the program's own iterator.
 */
export function mayCallProgram(node: ts.Node, ctx: FileContext): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || isFunctionLike(n)) return;
    if (isSiteCall(n, ctx) || ts.isYieldExpression(n) || ts.isAwaitExpression(n) || ts.isSpreadElement(n) || ts.isArrayBindingPattern(n) || ts.isForOfStatement(n) || ts.isClassLike(n) ||
      (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isArrayLiteralExpression(skipParens(n.left)))) {
      found = true;
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

/**
 * `new` of a built-in that calls no program code but the no-save kind (a
 * `toString` or `valueOf` converting an argument): `new Error(m)`, `new
 * Map()`, `new Float64Array(n)`. Collections given an iterable, and typed
 * arrays given anything but a number, iterate it, and stay sites.
 */
function isLeafBuiltinNew(node: ts.NewExpression, shadowed: ReadonlySet<string>): boolean {
  if (!ts.isIdentifier(node.expression) || shadowed.has(node.expression.text)) return false;
  const name = node.expression.text;
  const args = node.arguments ?? [];
  if (args.some((a) => ts.isSpreadElement(a))) return false;
  if (LEAF_CONSTRUCTORS.has(name)) return true;
  if (COLLECTIONS.has(name)) return args.length === 0;
  if (TYPED_ARRAYS.has(name)) return args.length === 0 || (args.length === 1 && isNumeric(args[0]));
  return false;
}

const LEAF_CONSTRUCTORS = new Set(['Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'EvalError', 'URIError', 'Array', 'Object', 'Date', 'RegExp', 'ArrayBuffer', 'DataView']);
const COLLECTIONS = new Set(['Map', 'Set', 'WeakMap', 'WeakSet']);
const TYPED_ARRAYS = new Set(['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array']);
const ARITHMETIC = new Set([ts.SyntaxKind.MinusToken, ts.SyntaxKind.AsteriskToken, ts.SyntaxKind.SlashToken, ts.SyntaxKind.PercentToken, ts.SyntaxKind.LessThanLessThanToken, ts.SyntaxKind.GreaterThanGreaterThanToken, ts.SyntaxKind.GreaterThanGreaterThanGreaterThanToken, ts.SyntaxKind.BarToken, ts.SyntaxKind.AmpersandToken, ts.SyntaxKind.CaretToken, ts.SyntaxKind.AsteriskAsteriskToken]);

/** An expression whose value is a number whatever its operands hold (never an object to iterate). */
function isNumeric(e: ts.Expression): boolean {
  e = skipParens(e);
  if (ts.isNumericLiteral(e)) return true;
  if (ts.isPrefixUnaryExpression(e)) return e.operator !== ts.SyntaxKind.ExclamationToken;
  if (ts.isBinaryExpression(e)) return ARITHMETIC.has(e.operatorToken.kind) || (e.operatorToken.kind === ts.SyntaxKind.PlusToken && isNumeric(e.left) && isNumeric(e.right));
  return false;
}

function isLeafBuiltinCall(callee: ts.Expression, shadowed: ReadonlySet<string>): boolean {
  if (ts.isIdentifier(callee)) return LEAF_FUNCTIONS.has(callee.text) && !shadowed.has(callee.text);
  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression) || !ts.isIdentifier(callee.name)) return false;
  const owner = callee.expression.text;
  const methods = LEAF_BUILTINS[owner];
  if (methods === undefined || shadowed.has(owner)) return false;
  return methods === true || methods.has(callee.name.text);
}
