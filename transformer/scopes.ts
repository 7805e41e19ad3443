// Pass 2 — scope lowering. Takes the analysed file and rewrites where every
// variable lives, so that a function's whole state is reachable as data:
//
//   - a function's own non-captured variables (all blocks) become plain
//     `let`s hoisted to its top, renamed where blocks shadowed each other;
//   - captured variables live in environment objects, one per scope that
//     declares some (`$e3 = { x: undefined }`), made afresh on each entry of
//     that scope (so per-iteration `let` bindings keep their meaning);
//   - nested functions move into module-level factories that take the
//     environments they need and tag the closure with (factory id, envs);
//   - declarations become assignments, so later passes see no declarations.
//
//   function f(n) { let acc = []; for (let i = 0; i < n; i++) acc.push(() => i); return acc; }
//   →
//   function f(n) { let acc, $e2; acc = []; $e2 = { i: undefined }; $e2.i = 0;
//     for (; $e2.i < n; $e2 = { i: $e2.i }, $e2.i++) acc.push($mk1($e2)); return acc; }
//   function $mk1($e2) { const $self = { "": () => $e2.i }[""]; $self[$CL] = ["m#f/<arrow>", $e2]; return $self; }
//
// It guarantees: inside an instrumented function no variable declaration,
// function declaration or nested instrumented function remains; every
// identifier that named a captured variable is an env property access.

import ts = require('typescript');
import type { Analysis, Binding } from './analyze.js';
import { computedKeyOf, isFunctionLike, isReferencePosition, Scope, usesPrivateNames, usesSuper } from './analyze.js';
import { WRAPPER_CODE, type FileContext, type FunctionKind, type FunctionPlan } from './plan.js';
import { endsAbruptly, entryStatements, lineOf } from './plan.js';
import { mayCallProgram } from './linearize.js';
import { homeMethodsOf, isSuperProperty, methodOfSuper, superRead, withHome } from './home-methods.js';
import { literalSuperReadable, superCall, writtenName } from './super-homes.js';
import { memberIdOf } from '../runtime/function-table.js';

/** Instruments a lowered function body (passes 3 and 4); supplied by the pipeline. */
export type Instrument = (plan: FunctionPlan, body: ts.Statement[], node: ts.Node) => ts.Statement[];

interface FnState {
  scope: Scope;
  parent: FnState | undefined;
  plan: FunctionPlan | undefined;
  locals: string[];
  localNames: Set<string>;
  local: Map<Binding, string>;
  /** Env variables of outer functions this function (or a nested one) reads. */
  envUses: Set<string>;
  kind: FunctionKind | 'uninstrumented';
  params: Set<string>;
  /** In constructors: the local holding `this`. */
  thisLocal?: string;
  /** Locals whose value before their first assignment the code can see (FunctionPlan.startUndefined). */
  startUndefined: Set<string>;
}

/** A function made inside a class's static block: a closure factory (with its id) or a generator runner. */
interface ClassMade {
  name: string;
  decl: ts.FunctionDeclaration;
  id?: string;
}

export interface LoweredModule {
  /** Statements that stay at module level, in order. */
  hoisted: ts.Statement[];
  /** The module body's statements (to become `$body`). */
  body: ts.Statement[];
  bodyPlan: FunctionPlan;
  /** The body has a top-level `for await`: `$body` is a native async function (uninstrumented). */
  bodyAsync?: boolean;
  /** The body has top-level await: `$body` is a resumable body run as an async task (`task: true` in the registration). */
  bodyTask?: boolean;
  /** Module-level bindings saved as module state. */
  state: string[];
  /**
   * Factory declarations to place at module level, with their ids.
   * `inClass`: declared by a static block of its class (it uses the class's
   * `#names`), not at module level; `madeClass`: and that class is made at
   * run time (runtimeClass), so each class made has a factory of its own,
   * which the module registers through `$R.mcf` (by the class).
   * `runner`: the native generator function of a generator body's factory (nestedFunction).
   */
  factories: { id: string; name: string; decl: ts.FunctionDeclaration; runner?: ts.FunctionDeclaration; inClass?: boolean; madeClass?: boolean }[];
  /** Static functions of this module: id → expression naming them. */
  statics: { id: string; expr: ts.Expression }[];
  classes: { name: string; id: string; members: [string, number, string][] }[];
  /** The template objects of tagged templates, made once at module level (`$tpN`). */
  templates: ts.Statement[];
}

/** A function made where it stands, which runs nothing: `function () {…}`, `() => …`. */
const isFunctionValue = (e: ts.Node): boolean => ts.isFunctionExpression(e) || ts.isArrowFunction(e);

const PURE_CONST = (e: ts.Expression): boolean =>
  ts.isNumericLiteral(e) || ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e) || ts.isBigIntLiteral(e) ||
  e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword || e.kind === ts.SyntaxKind.NullKeyword ||
  (ts.isPrefixUnaryExpression(e) && (e.operator === ts.SyntaxKind.MinusToken || e.operator === ts.SyntaxKind.PlusToken) && ts.isNumericLiteral(e.operand));

/** Arithmetic, comparison and templates of literals (`8 * 1024`, `'v' + 2`, `!0`): computed the same at any time, running no code of the program. */
const CONSTANT_OPERATORS: ReadonlySet<ts.SyntaxKind> = new Set([
  ts.SyntaxKind.PlusToken, ts.SyntaxKind.MinusToken, ts.SyntaxKind.AsteriskToken, ts.SyntaxKind.SlashToken, ts.SyntaxKind.PercentToken, ts.SyntaxKind.AsteriskAsteriskToken,
  ts.SyntaxKind.LessThanLessThanToken, ts.SyntaxKind.GreaterThanGreaterThanToken, ts.SyntaxKind.GreaterThanGreaterThanGreaterThanToken,
  ts.SyntaxKind.AmpersandToken, ts.SyntaxKind.BarToken, ts.SyntaxKind.CaretToken, ts.SyntaxKind.LessThanToken, ts.SyntaxKind.GreaterThanToken,
  ts.SyntaxKind.LessThanEqualsToken, ts.SyntaxKind.GreaterThanEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken,
]);
const constant = (e: ts.Expression): boolean => {
  if (PURE_CONST(e)) return true;
  if (ts.isParenthesizedExpression(e)) return constant(e.expression);
  if (ts.isPrefixUnaryExpression(e)) return e.operator !== ts.SyntaxKind.PlusPlusToken && e.operator !== ts.SyntaxKind.MinusMinusToken && constant(e.operand);
  if (ts.isBinaryExpression(e)) return CONSTANT_OPERATORS.has(e.operatorToken.kind) && constant(e.left) && constant(e.right);
  if (ts.isTemplateExpression(e)) return e.templateSpans.every((sp) => constant(sp.expression));
  return false;
};

/**
 * Methods the engine calls by itself, from places that are no resume point
 * (`${x}`, `'a' + x`, `x < y`): run as no-save regions, since a frame of
 * theirs could not be resumed from the caller's.
 */
/**
 * Methods the engine calls by itself: a conversion (`${o}`, `o + 1`) or
 * `instanceof` calls them from code that is no call site of ours.
 */
const IMPLICITLY_CALLED = new Set(['toString', 'valueOf', '[Symbol.toPrimitive]', '[Symbol.hasInstance]']);

/** The statements copying `arguments` and `new.target` into their storage (lowerParams). */
const argumentsCopies = new WeakSet<ts.Node>();
const newTargetCopies = new WeakSet<ts.Node>();

export class ScopeLowering {
  private readonly f: ts.NodeFactory;
  private readonly scopesByFn = new Map<Scope, Scope[]>();
  private readonly idCounts = new Map<string, number>();
  private readonly out: LoweredModule;
  private fn!: FnState;
  private path: string[] = [];

  constructor(
    private readonly ctx: FileContext,
    private readonly a: Analysis,
    private readonly instrument: Instrument,
  ) {
    this.f = ctx.f;
    for (const s of a.scopes) {
      if (s === s.fn) continue;
      const list = this.scopesByFn.get(s.fn) ?? [];
      list.push(s);
      this.scopesByFn.set(s.fn, list);
    }
    this.out = { hoisted: [], body: [], bodyPlan: undefined as unknown as FunctionPlan, state: [], factories: [], statics: [], classes: [], templates: [] };
  }

  // ---- ids ------------------------------------------------------------------

  private uniqueId(name: string): string {
    const base = `${this.ctx.moduleId}#${[...this.path, name].join('/')}`;
    const n = (this.idCounts.get(base) ?? 0) + 1;
    this.idCounts.set(base, n);
    return n === 1 ? base : `${base}~${n}`;
  }

  // ---- storage of bindings --------------------------------------------------

  private envName(scope: Scope): string {
    return this.ctx.names.fixed(`e${scope.index}`);
  }

  /**
   * The property of its environment a captured binding lives in: its name,
   * except `new.target`'s and a binding named `__proto__` (which, as a key,
   * would set the environment's prototype), which get generated names.
   */
  private envKey(b: Binding): string {
    if (b.kind === 'newtarget') return this.ctx.names.fixed('newTarget');
    return b.name === '__proto__' ? this.ctx.names.fixed('proto') : b.name;
  }

  /** The expression that reads/writes binding `b` from the current function. */
  private access(b: Binding, original?: ts.Node): ts.Expression {
    const f = this.f;
    if (b.scope.kind === 'module' || (b.kind === 'self' && !b.captured)) {
      return original && ts.isIdentifier(original) ? f.createIdentifier(ts.idText(original)) : f.createIdentifier(b.name);
    }
    if (b.captured) {
      const env = this.envName(b.scope);
      for (let s: FnState | undefined = this.fn; s && s.scope !== b.scope.fn; s = s.parent) s.envUses.add(env);
      return f.createPropertyAccessExpression(f.createIdentifier(env), this.envKey(b));
    }
    if (b.kind === 'this' && this.fn.kind !== 'ctor' && this.fn.kind !== 'derived-ctor') return f.createThis();
    const name = this.fn.local.get(b);
    if (name === undefined) {
      // A binding of an enclosing function that was not marked captured cannot happen.
      throw new Error(`internal: no storage for ${b.name} in ${this.fn.plan?.id ?? 'function'}`);
    }
    return f.createIdentifier(name);
  }

  // ---- function states --------------------------------------------------------

  private enter(scope: Scope, kind: FnState['kind'], plan: FunctionPlan | undefined): FnState {
    const st: FnState = { scope, parent: this.fn, plan, locals: [], localNames: new Set(), local: new Map(), envUses: new Set(), kind, params: new Set(), startUndefined: new Set() };
    this.fn = st;
    // Hoist every binding of this function (its own scope and its blocks).
    const scopes = [scope, ...(this.scopesByFn.get(scope) ?? [])];
    // A block's binding hoisted to the top must not hide, elsewhere in the
    // function, a variable of the same name from outside it (module state,
    // an import, a global): `catch (e) {…} … const e = 1` at module level.
    // Nor must a body's own declaration hide one from the parameter
    // defaults, which run at the top of the body: `function f(a = x) { var x }`.
    const outside = this.namesFromOutside(scope, scopes);
    for (const s of scopes) {
      // (A class scope's env, for its name, is its enclosing function's: classExpression.)
      if (s.kind === 'module' || (s.kind === 'class' && s === scope)) continue;
      if (s.capturedBindings.length > 0) st.startUndefined.add(this.addLocal(this.envName(s)));
      for (const b of s.bindings.values()) {
        if (b.captured || b.kind === 'self') continue;
        if (b.kind === 'this') {
          if (kind === 'ctor' || kind === 'derived-ctor') {
            st.local.set(b, this.addLocal(this.ctx.names.fresh('this')));
            st.startUndefined.add(st.local.get(b)!);
          }
          continue;
        }
        const wanted = b.kind === 'arguments' ? this.ctx.names.fresh('args') : b.kind === 'newtarget' ? this.ctx.names.fresh('nt') : b.name;
        const taken = st.localNames.has(wanted) || (b.kind !== 'param' && outside.has(wanted));
        const name = this.addLocal(taken ? this.ctx.names.fresh(`${wanted}_`) : wanted);
        st.local.set(b, name);
        // A `var` reads undefined before its assignment; a `let`, `const`,
        // class or catch binding cannot be read before its declaration runs.
        if (b.kind !== 'let' && b.kind !== 'const' && b.kind !== 'class' && b.kind !== 'catch') st.startUndefined.add(name);
      }
    }
    return st;
  }

  /**
   * Of the names bound in a function (in its blocks, and in its own scope,
   * whose declarations its parameter defaults do not see), those its code
   * (nested functions included) also uses for a variable that is not one of
   * the function's locals: one of the module's (which live outside
   * `$body`), an enclosing function's, a global, or the function
   * expression's own name.
   */
  private namesFromOutside(scope: Scope, scopes: Scope[]): Set<string> {
    const blockNames = new Set<string>();
    for (const s of scopes) if (s.kind !== 'class' && s.kind !== 'module') for (const name of s.bindings.keys()) blockNames.add(name);
    const found = new Set<string>();
    if (blockNames.size === 0) return found;
    const own = (b: Binding): boolean => {
      if (scope.kind === 'module' && b.scope === scope) return false;
      if (b.kind === 'self' && !b.captured) return false; // read by its name, not a local
      for (let s: Scope | undefined = b.scope; s; s = s.parent) if (s === scope) return true;
      return false;
    };
    // (The parent is passed down: nodes TypeScript's transforms made have none.)
    const visit = (n: ts.Node, parent: ts.Node): void => {
      if (ts.isIdentifier(n) && blockNames.has(n.text) && !found.has(n.text)) {
        const b = this.a.refs.get(n);
        if (b ? !own(b) : isReferencePosition(n, parent)) found.add(n.text);
      }
      ts.forEachChild(n, (c) => visit(c, n));
    };
    ts.forEachChild(scope.node, (c) => visit(c, scope.node));
    return found;
  }

  private addLocal(name: string): string {
    if (!this.fn.localNames.has(name)) {
      this.fn.localNames.add(name);
      this.fn.locals.push(name);
    }
    return name;
  }

  private leave(st: FnState): void {
    this.fn = st.parent!;
  }

  // ---- module ---------------------------------------------------------------

  lowerModule(sf: ts.SourceFile, isCommonJs: boolean): LoweredModule {
    const f = this.f;
    const moduleScope = this.a.module;
    const bodyPlan: FunctionPlan = { id: `${this.ctx.moduleId}#<body>`, kind: 'body', line: 1, name: '<module body>', params: [], locals: [], self: f.createIdentifier(this.ctx.names.fixed('body')), siteLines: [] };
    this.fn = undefined as unknown as FnState;
    const st = this.enter(moduleScope, 'body', bodyPlan);
    // Module-level declarations stay module-level; their bindings are module state.
    const body: ts.Statement[] = [];
    const declared = new Set<string>();
    const declareState = (name: string, isVar: boolean) => {
      if (declared.has(name)) return;
      declared.add(name);
      this.out.state.push(name);
      this.out.hoisted.push(f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(name)], isVar ? ts.NodeFlags.None : ts.NodeFlags.Let)));
    };
    this.programImports = programImports(sf);
    this.moduleThisArgs = isCommonJs ? {} : undefined;
    for (const stmt of sf.statements) {
      if (ts.isImportDeclaration(stmt) || ts.isImportEqualsDeclaration(stmt) || (ts.isExportDeclaration(stmt)) || ts.isExportAssignment(stmt) && !stmt.isExportEquals && this.isPureExport(stmt)) {
        this.out.hoisted.push(stmt);
        continue;
      }
      if (ts.isExpressionStatement(stmt) && ts.isStringLiteral(stmt.expression)) {
        this.out.hoisted.push(stmt); // "use strict"
        continue;
      }
      if (isCommonJs && this.isCommonJsPlumbing(stmt)) {
        this.out.hoisted.push(this.hasFunctionValue(stmt) ? f.createExpressionStatement(this.expr((stmt as ts.ExpressionStatement).expression)) : stmt);
        continue;
      }
      if (ts.isFunctionDeclaration(stmt)) {
        this.out.hoisted.push(this.lowerTopLevelFunction(stmt));
        continue;
      }
      if (ts.isClassDeclaration(stmt) && stmt.name && !hasModifier(stmt, ts.SyntaxKind.DefaultKeyword) && this.definedFromModuleState(stmt)) {
        // Its `extends` or a computed key needs values the module body makes:
        // defined where it is, as a class of a function body would be.
        const name = ts.idText(stmt.name);
        this.inPlaceClasses.add(name);
        if (hasModifier(stmt, ts.SyntaxKind.ExportKeyword)) {
          this.out.hoisted.push(f.createVariableStatement([f.createModifier(ts.SyntaxKind.ExportKeyword)], f.createVariableDeclarationList([f.createVariableDeclaration(name)], ts.NodeFlags.Let)));
          declared.add(name);
          this.out.state.push(name);
        } else declareState(name, false);
        body.push(...this.classDeclaredAt(stmt, f.createIdentifier(name)));
        continue;
      }
      if (ts.isClassDeclaration(stmt) && !stmt.name && hasModifier(stmt, ts.SyntaxKind.DefaultKeyword)) {
        // `export default class { … }`: made where it stands, as the default export, named "default" as natively.
        const name = this.ctx.names.fixed('default');
        declareState(name, false);
        this.out.hoisted.push(f.createExportDeclaration(undefined, false, f.createNamedExports([f.createExportSpecifier(false, name, 'default')])));
        body.push(...this.classDeclaredAt(stmt, f.createIdentifier(name), 'default'));
        continue;
      }
      if (ts.isClassDeclaration(stmt) && stmt.name) {
        const lowered = this.lowerTopLevelClass(stmt);
        this.out.hoisted.push(...lowered.hoisted);
        body.push(...lowered.inPlace);
        continue;
      }
      if (ts.isVariableStatement(stmt)) {
        const exported = stmt.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ?? false;
        const isConst = !!(stmt.declarationList.flags & ts.NodeFlags.Const);
        const isVar = !(stmt.declarationList.flags & (ts.NodeFlags.Const | ts.NodeFlags.Let));
        const allPure = isConst && stmt.declarationList.declarations.every((d) => ts.isIdentifier(d.name) && d.initializer && PURE_CONST(d.initializer));
        if (allPure || (isCommonJs && this.isRequireDeclaration(stmt))) {
          for (const d of stmt.declarationList.declarations) if (ts.isIdentifier(d.name)) this.hoistedConsts.add(ts.idText(d.name));
          this.out.hoisted.push(stmt);
          continue;
        }
        const names: string[] = [];
        for (const d of stmt.declarationList.declarations) collectNames(d.name, names);
        if (exported) {
          this.out.hoisted.push(f.createVariableStatement([f.createModifier(ts.SyntaxKind.ExportKeyword)], f.createVariableDeclarationList(names.filter((n) => !declared.has(n)).map((n) => f.createVariableDeclaration(n)), isVar ? ts.NodeFlags.None : ts.NodeFlags.Let)));
          for (const n of names) {
            declared.add(n);
            this.out.state.push(n);
          }
        } else for (const n of names) declareState(n, isVar);
        body.push(...this.lowerVariableStatement(stmt));
        continue;
      }
      if (ts.isExportAssignment(stmt) && !stmt.isExportEquals) {
        const name = this.ctx.names.fixed('default');
        declareState(name, false);
        this.out.hoisted.push(f.createExportDeclaration(undefined, false, f.createNamedExports([f.createExportSpecifier(false, name, 'default')])));
        // (`export default () => …`, `export default (class {})`: an anonymous definition is named "default", as natively)
        const value = unwrapped(stmt.expression);
        const made = isAnonymousDefinition(value) ? this.expr(value, 'default') : this.expr(stmt.expression);
        body.push(f.createExpressionStatement(f.createAssignment(f.createIdentifier(name), made)));
        continue;
      }
      body.push(...this.stmt(stmt));
    }
    // `var`s of the module nested in blocks are module state too.
    for (const b of moduleScope.bindings.values()) if (b.kind === 'var' && !declared.has(b.name)) declareState(b.name, true);
    bodyPlan.locals = st.locals;
    bodyPlan.startUndefined = st.startUndefined;
    const topLevelAwait = hasTopLevelAwait(sf);
    const decls = topLevelAwait ? this.localDecls(st) : [];
    this.leave(st);
    this.out.bodyPlan = bodyPlan;
    if (topLevelAwait && hasTopLevelAwait(sf, true)) {
      // A top-level `for await`: the body becomes a native async function,
      // not instrumented (its calls are no-save regions).
      this.out.bodyAsync = true;
      this.out.body = [...decls, ...body.map((s) => markCallsNoSave(f, this.ctx.rt, s))];
    } else if (topLevelAwait) {
      // Top-level await: the body is a resumable body, as an async
      // function's (generators.ts): its awaits are yields, and the runtime
      // runs it as a task (`$R.task($body)`), so it can be suspended and saved.
      bodyPlan.generator = true;
      this.out.bodyTask = true;
      this.out.body = this.instrument(bodyPlan, body.map((s) => ownAwaitsToYields(f, s)), sf);
    } else this.out.body = this.instrument(bodyPlan, body, sf);
    this.ctx.plans.unshift(bodyPlan);
    const copies = Object.entries(this.moduleThisArgs ?? {}).map(([kind, name]) => f.createVariableDeclaration(name, undefined, undefined, kind === 'this' ? f.createThis() : f.createIdentifier('arguments')));
    if (copies.length > 0) {
      let at = 0;
      while (at < this.out.hoisted.length && ts.isExpressionStatement(this.out.hoisted[at]!) && ts.isStringLiteral((this.out.hoisted[at] as ts.ExpressionStatement).expression)) at++;
      this.out.hoisted.splice(at, 0, f.createVariableStatement(undefined, f.createVariableDeclarationList(copies, ts.NodeFlags.Const)));
    }
    return this.out;
  }

  /**
   * `export default x` that can be exported before the body runs: a
   * constant, or a name that has its value by then (a function declaration,
   * an import, a constant or class defined at the top, a global). A module
   * variable gets its value in the body: its default export is the value
   * it has where the statement stands (`$default = x` there).
   */
  private isPureExport(stmt: ts.ExportAssignment): boolean {
    const e = stmt.expression;
    if (PURE_CONST(e)) return true;
    if (!ts.isIdentifier(e)) return false;
    const name = ts.idText(e);
    const b = this.a.module.bindings.get(name);
    if (b === undefined || b.kind === 'function' || b.kind === 'import') return true;
    if (b.kind === 'class') return !this.inPlaceClasses.has(name);
    return b.kind === 'const' && this.hoistedConsts.has(name);
  }

  private isRequireDeclaration(stmt: ts.VariableStatement): boolean {
    let found = false;
    const visit = (n: ts.Node): void => {
      if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && ts.idText(n.expression) === 'require') found = true;
      else ts.forEachChild(n, visit);
    };
    for (const d of stmt.declarationList.declarations) if (d.initializer) visit(d.initializer);
    return found;
  }

  // `Object.defineProperty(exports, "__esModule", …)`, `exports.x = void 0`,
  // `exports.f = f`, and `module.exports = C` (`export = C`), and what
  // hand-written CommonJS makes its exports of (`exports.f = function () {…}`,
  // `module.exports = { m() {…}, g: () => … }`): run as the module loads,
  // since `require` returns the exports before the deferred body runs (and
  // an importer may copy them then: `__importStar`, `const { f } = require`).
  // Computed constants count (`8 * 64`, `'v' + 2`, nested objects and arrays of
  // them); an export computed by a call stays in the body.
  private isCommonJsPlumbing(stmt: ts.Statement): boolean {
    if (!ts.isExpressionStatement(stmt)) return false;
    const e = stmt.expression;
    if (ts.isCallExpression(e) && e.arguments.some((x) => ts.isStringLiteral(x) && x.text === '__esModule')) return true;
    const named = (x: ts.Expression, name: string): boolean => ts.isIdentifier(x) && ts.idText(x) === name;
    const isExportsTarget = (x: ts.Expression): boolean => ts.isPropertyAccessExpression(x) && (named(x.expression, 'exports') || (named(x.expression, 'module') && ts.idText(x.name) === 'exports'));
    let x: ts.Expression = e;
    while (ts.isBinaryExpression(x) && x.operatorToken.kind === ts.SyntaxKind.EqualsToken && isExportsTarget(x.left)) x = x.right;
    if (x === e) return false;
    if (ts.isVoidExpression(x)) return true;
    const loaded = (v: ts.Expression): boolean => {
      if (isFunctionValue(v) || constant(v)) return true;
      if (ts.isParenthesizedExpression(v)) return loaded(v.expression);
      // `{ parse, format, limits: { max: 8 * 1024 }, names: ['a', 'b'] }`: made of the same, at any depth
      if (ts.isObjectLiteralExpression(v)) {
        return v.properties.every((p) => (ts.isShorthandPropertyAssignment(p) && !p.objectAssignmentInitializer && loaded(p.name)) || (ts.isPropertyAssignment(p) && !ts.isComputedPropertyName(p.name) && loaded(p.initializer)) || (ts.isMethodDeclaration(p) && !ts.isComputedPropertyName(p.name) && !p.asteriskToken));
      }
      if (ts.isArrayLiteralExpression(v)) return v.elements.every((el) => !ts.isSpreadElement(el) && !ts.isOmittedExpression(el) && loaded(el));
      if (!ts.isIdentifier(v)) return false;
      const b = this.a.module.bindings.get(ts.idText(v));
      return !!b && (b.kind === 'function' || b.kind === 'class' || b.kind === 'import');
    };
    return loaded(x);
  }

  /** CommonJS plumbing that makes a function (`exports.f = function () {…}`): lowered, as the body would. */
  private hasFunctionValue(stmt: ts.Statement): boolean {
    let found = false;
    const visit = (n: ts.Node): void => {
      if (isFunctionValue(n as ts.Expression) || ts.isMethodDeclaration(n)) found = true;
      else ts.forEachChild(n, visit);
    };
    visit(stmt);
    return found;
  }

  private lowerTopLevelFunction(node: ts.FunctionDeclaration): ts.Statement {
    if (!node.name) return this.lowerUninstrumented(node) as ts.Statement;
    const name = ts.idText(node.name);
    const id = this.uniqueId(name);
    if (node.asteriskToken || hasModifier(node, ts.SyntaxKind.AsyncKeyword)) return this.lowerUninstrumented(node) as ts.Statement;
    if (this.implicitlyCalled().has(name)) {
      // Called by the engine (a getter, setter, trap, toString/valueOf):
      // no call site of ours could resume it, so it runs as a no-save
      // region, as a function written in those places does; it stays in
      // the function table, since objects hold it.
      this.out.statics.push({ id, expr: this.withKind(node, this.f.createIdentifier(name)) });
      return this.lowerUninstrumented(node) as ts.Statement;
    }
    // Its name, where nothing can make it mean another function by the time
    // a frame is recorded (a smaller frame record: see reenter.ts wrap).
    const own = this.a.scopeOf.get(node);
    const rebound = this.a.module.bindings.get(name)?.assigned !== false || this.a.scopes.some((sc) => sc.fn === own && sc.bindings.has(name));
    const self = rebound ? this.staticRef(id) : this.f.createIdentifier(name);
    this.out.statics.push({ id, expr: this.withKind(node, this.f.createIdentifier(name)) });
    return this.lowerFunction(node, 'plain', id, name, self) as ts.Statement;
  }

  /** What an async or generator function pass 0c made plain was written as (plan.ts WRAPPER_CODE); 0 for any other. */
  private wrapperCode(node: ts.Node): number {
    const kind = this.ctx.wrapperKinds.get(node);
    return kind === undefined ? 0 : WRAPPER_CODE[kind];
  }

  /** `fn`, or `$R.fk(fn, code)` for such a function: it gets its kind's prototype where it is made. */
  private withKind(node: ts.Node, fn: ts.Expression): ts.Expression {
    const code = this.wrapperCode(node);
    return code === 0 ? fn : this.f.createCallExpression(this.f.createPropertyAccessExpression(this.ctx.rt, 'fk'), undefined, [fn, this.f.createNumericLiteral(code)]);
  }

  private implicitNames: Set<string> | undefined;

  /** Top-level functions the program hands to the engine to call by name (`{ get: double }`, see calledByTheEngine). */
  private implicitlyCalled(): Set<string> {
    if (this.implicitNames !== undefined) return this.implicitNames;
    const names = new Set<string>();
    for (const [id, b] of this.a.refs) {
      if (b.scope === this.a.module && b.kind === 'function' && (calledByTheEngine(id) || isImplicitlyCalledValue(id))) names.add(b.name);
    }
    return (this.implicitNames = names);
  }

  private staticRef(id: string): ts.Expression {
    const f = this.f;
    return f.createCallExpression(f.createPropertyAccessExpression(this.ctx.rt, 'sf'), undefined, [f.createStringLiteral(id)]);
  }

  // ---- classes ---------------------------------------------------------------

  /**
   * A top-level class is defined when the module loads (hoisted: functions
   * and other classes refer to it, and it is registered before anything
   * runs), but its static initializers and static blocks must run where the
   * class is in the module's code, after the statements before it. When one
   * of them does more than store a literal, all of them move, in order, into
   * an arrow the class makes in a static block (so `this` and `#names` still
   * work), which the module body calls at the class's place: `inPlace`. The
   * static fields stay declared (`static x;`), so their order is kept. The
   * arrow runs as a no-save region.
   */
  private lowerTopLevelClass(node: ts.ClassDeclaration): { hoisted: ts.Statement[]; inPlace: ts.Statement[] } {
    const f = this.f;
    const name = ts.idText(node.name!);
    const classId = this.uniqueId(name);
    const outerFactories = this.classFactories;
    const inClass: ClassMade[] = [];
    this.classFactories = { list: inClass, made: false };
    const keyVars: string[] = [];
    this.classKeyVars = keyVars;
    const { members: newMembers, instrumented: members } = this.lowerMembers(node, classId, name, f.createIdentifier(name), (id) => this.staticRef(id));
    this.classFactories = outerFactories;
    this.classKeyVars = undefined;
    // The static initialization's arrow and the factories of closures that
    // use the class's `#names` are made by its first static block (before
    // any static initializer could need one) into module variables declared
    // ahead of the class.
    const declared: string[] = [];
    const made: ts.Statement[] = [];
    const inPlace: ts.Statement[] = [];
    const init = this.deferStaticInitializers(newMembers);
    if (init) {
      const si = this.ctx.names.fresh('si');
      declared.push(si);
      made.push(f.createExpressionStatement(f.createAssignment(f.createIdentifier(si), init.thunk)));
      inPlace.push(f.createExpressionStatement(f.createCallExpression(f.createIdentifier(si), undefined, [])));
      newMembers.splice(0, newMembers.length, ...init.members);
    }
    // Registered when the class is defined, restore included (not deferred).
    const privates = privateStateBlock(f, this.ctx.rt, node);
    if (privates) newMembers.push(privates);
    for (const x of inClass) {
      declared.push(x.name);
      made.unshift(this.madeInClass(x, false));
    }
    const factoryDecls: ts.Statement[] = [];
    if (keyVars.length > 0) factoryDecls.push(f.createVariableStatement(undefined, f.createVariableDeclarationList(keyVars.map((n) => f.createVariableDeclaration(n)), ts.NodeFlags.Let)));
    if (made.length > 0) {
      factoryDecls.push(f.createVariableStatement(undefined, f.createVariableDeclarationList(declared.map((n) => f.createVariableDeclaration(n)), ts.NodeFlags.Let)));
      newMembers.unshift(f.createClassStaticBlockDeclaration(f.createBlock(made, true)));
    }
    this.out.classes.push({ name, id: classId, members });
    const heritage = node.heritageClauses?.map((h) => f.updateHeritageClause(h, h.types.map((t) => f.updateExpressionWithTypeArguments(t, this.expr(t.expression), t.typeArguments))));
    const cls = f.updateClassDeclaration(node, node.modifiers, node.name, node.typeParameters, heritage, newMembers);
    const register = f.createExpressionStatement(
      f.createCallExpression(f.createPropertyAccessExpression(this.ctx.rt, 'cls'), undefined, [
        f.createIdentifier(name),
        f.createStringLiteral(classId),
        // A member's id is left out where the runtime derives it (Runtime.cls).
        f.createArrayLiteralExpression(members.map(([k, s, id]) => f.createArrayLiteralExpression([f.createStringLiteral(k), f.createNumericLiteral(s), ...(id === memberIdOf(classId, k, s) ? [] : [f.createStringLiteral(id)])]))),
      ]),
    );
    return { hoisted: [...factoryDecls, cls, register], inPlace };
  }

  /**
   * A class's members: the constructor and plain methods instrumented (their
   * frames saved with `ctorSelf` and `methodSelf(id, index)` as the function),
   * the rest lowered as no-save regions. A derived class without a
   * constructor gets one spelled out: a native default constructor would be
   * a frame we cannot capture. `instrumented` lists [key, flags, id]:
   * flags are 1 for a static member, plus the code of the kind of function
   * it was written as, shifted by one (wrapperCode).
   */
  private lowerMembers(node: ts.ClassLikeDeclaration, classId: string, name: string, ctorSelf: ts.Expression, methodSelf: (id: string, index: number) => ts.Expression): { members: ts.ClassElement[]; instrumented: [string, number, string][] } {
    const f = this.f;
    const derived = node.heritageClauses?.some((h) => h.token === ts.SyntaxKind.ExtendsKeyword) ?? false;
    const instrumented: [string, number, string][] = [];
    this.path.push(name || '<class>');
    let hasCtor = false;
    const members: ts.ClassElement[] = [];
    for (const m of node.members) {
      if (ts.isConstructorDeclaration(m)) {
        hasCtor = true;
        members.push(this.lowerFunction(m, derived ? 'derived-ctor' : 'ctor', classId, name, ctorSelf) as ts.ClassElement);
        continue;
      }
      const isStatic = hasModifier(m, ts.SyntaxKind.StaticKeyword);
      const key = m.name && (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name) || ts.isNumericLiteral(m.name)) ? m.name.text : undefined;
      if (ts.isMethodDeclaration(m) && key !== undefined && !m.asteriskToken && !hasModifier(m, ts.SyntaxKind.AsyncKeyword) && m.body) {
        const id = this.uniqueId((isStatic ? 'static ' : '') + key);
        if (IMPLICITLY_CALLED.has(key)) {
          members.push(this.lowerUninstrumented(m) as ts.ClassElement);
          continue;
        }
        instrumented.push([key, (isStatic ? 1 : 0) | (this.wrapperCode(m) << 1), id]);
        members.push(this.lowerFunction(m, 'method', id, key, methodSelf(id, instrumented.length - 1)) as ts.ClassElement);
        continue;
      }
      members.push(this.lowerClassElement(m));
    }
    if (!hasCtor && derived) {
      const args = f.createIdentifier('args');
      const ctor = f.createConstructorDeclaration(undefined, [f.createParameterDeclaration(undefined, f.createToken(ts.SyntaxKind.DotDotDotToken), args)], f.createBlock([f.createExpressionStatement(f.createCallExpression(f.createSuper(), undefined, [f.createSpreadElement(args)]))], true));
      const scope = this.syntheticCtorScope(ctor);
      members.unshift(this.lowerFunction(ctor, 'derived-ctor', classId, name, ctorSelf, scope) as ts.ClassElement);
    }
    this.path.pop();
    return { members, instrumented };
  }

  /** Object-literal methods whose `super` is rewritten (transformer/home-methods.ts). */
  private readonly homeMethods = new WeakSet<ts.Node>();

  /** (Earlier passes may have replaced the nodes: the set holds the originals.) */
  private isHomeMethod(node: ts.Node | undefined): boolean {
    return node !== undefined && this.homeMethods.has(ts.getOriginalNode(node));
  }

  /** Names the module imports from other modules of the program (relative specifiers). */
  private programImports = new Set<string>();
  /**
   * CommonJS: the top level's `this` (the first module.exports) and
   * `arguments` (the module wrapper's), read as the module loads: the body
   * runs later, inside a function of its own, where both would be its own.
   */
  private moduleThisArgs: { this?: string; arguments?: string } | undefined;

  /**
   * Whether the class's `extends` clause or a computed member key reads a
   * module variable that the body assigns, or its `extends` makes a class
   * (`extends Tagged(Base)`, a mixin): a restart's load would make another
   * one, not the parent the saved objects and statics belong to. Or whether
   * a computed key has an effect (a call, an assignment): hoisted, it would
   * run before the statements above the class.
   */
  private definedFromModuleState(node: ts.ClassDeclaration): boolean {
    let found = false;
    const makes = (n: ts.Node): void => {
      if (found) return;
      if (ts.isCallExpression(n) || ts.isNewExpression(n) || ts.isClassExpression(n) || ts.isTaggedTemplateExpression(n)) found = true;
      else if (!isFunctionLike(n)) ts.forEachChild(n, makes);
    };
    for (const h of node.heritageClauses ?? []) for (const t of h.types) makes(t.expression);
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (ts.isIdentifier(n)) {
        const b = this.a.refs.get(n);
        if (b && b.scope === this.a.module && (b.kind === 'let' || b.kind === 'const' || b.kind === 'var') && !this.hoistedConsts.has(b.name)) found = true;
        if (b && b.scope === this.a.module && b.kind === 'class' && this.inPlaceClasses.has(b.name)) found = true;
        // another module of the program: its binding may be state its body assigns
        // (`export const Base = class {}`, a mixin's result), undefined until that body ran
        if (b && b.scope === this.a.module && b.kind === 'import' && this.programImports.has(b.name)) found = true;
        return;
      }
      if (isFunctionLike(n) || ts.isClassLike(n)) return;
      ts.forEachChild(n, visit);
    };
    // A computed key that does something (`[key('k')]`, `[(log('k'), 'k')]`, `[n++]`) must run after the statements before the class.
    const acts = (n: ts.Node): void => {
      if (found) return;
      if (ts.isCallExpression(n) || ts.isNewExpression(n) || ts.isClassExpression(n) || ts.isTaggedTemplateExpression(n) || ts.isDeleteExpression(n) || ts.isAwaitExpression(n) || ts.isYieldExpression(n)) found = true;
      else if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)) found = true;
      else if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment) found = true;
      else if (!isFunctionLike(n)) ts.forEachChild(n, acts);
    };
    for (const h of node.heritageClauses ?? []) for (const t of h.types) visit(t.expression);
    for (const m of node.members) {
      if (m.name && ts.isComputedPropertyName(m.name)) {
        visit(m.name.expression);
        acts(m.name.expression);
      }
    }
    return found;
  }

  /** See lowerTopLevelClass: the members with the static initialization taken out, and the arrow that does it. */
  private deferStaticInitializers(members: ts.ClassElement[]): { members: ts.ClassElement[]; thunk: ts.Expression } | undefined {
    const f = this.f;
    // A computed key counts when it is a name (a made class's key, evaluated
    // where the class is and passed to its factory): read again, it is the same key.
    const isStaticField = (m: ts.ClassElement): m is ts.PropertyDeclaration => ts.isPropertyDeclaration(m) && hasModifier(m, ts.SyntaxKind.StaticKeyword) && !hasModifier(m, ts.SyntaxKind.AccessorKeyword) &&
      (!ts.isComputedPropertyName(m.name) || ts.isIdentifier(m.name.expression));
    /** `this.x`, `this.#x`, `this["x"]`, `this[k]`: the field on the class, in the thunk. */
    const staticTarget = (m: ts.PropertyDeclaration): ts.Expression => {
      const name = m.name as ts.Identifier | ts.PrivateIdentifier | ts.StringLiteral | ts.NumericLiteral | ts.ComputedPropertyName;
      return ts.isIdentifier(name) || ts.isPrivateIdentifier(name) ? f.createPropertyAccessExpression(f.createThis(), name)
        : f.createElementAccessExpression(f.createThis(), ts.isComputedPropertyName(name) ? f.createIdentifier(ts.idText(name.expression as ts.Identifier)) : name);
    };
    const effectful = members.some((m) => ts.isClassStaticBlockDeclaration(m) || (isStaticField(m) && m.initializer !== undefined && !PURE_CONST(m.initializer)));
    if (!effectful) return undefined;
    const steps: ts.Statement[] = [];
    const kept: ts.ClassElement[] = [];
    for (const m of members) {
      if (ts.isClassStaticBlockDeclaration(m)) {
        steps.push(m.body);
        continue;
      }
      if (isStaticField(m) && m.initializer !== undefined) {
        const target = staticTarget(m);
        const fieldName = fieldNameOf(m);
        if (fieldName) this.fieldNames.set(ts.getOriginalNode(m.initializer), fieldName);
        steps.push(f.createExpressionStatement(f.createAssignment(target, m.initializer)));
        kept.push(f.updatePropertyDeclaration(m, m.modifiers, m.name, m.questionToken ?? m.exclamationToken, m.type, undefined));
        continue;
      }
      // `static { C.x = 1 } static x;`: the field, defined after the block, makes x undefined again.
      if (isStaticField(m) && this.ctx.defineFields && steps.length > 0 && !hasModifier(m, ts.SyntaxKind.DeclareKeyword)) {
        steps.push(f.createExpressionStatement(f.createAssignment(staticTarget(m), f.createVoidZero())));
      }
      kept.push(m);
    }
    const arrow = (body: ts.ConciseBody) => f.createArrowFunction(undefined, undefined, [], undefined, undefined, body);
    const thunk = arrow(f.createCallExpression(f.createPropertyAccessExpression(this.ctx.rt, 'nsv'), undefined, [arrow(f.createBlock(steps, true))]));
    return { members: kept, thunk };
  }

  private syntheticCtorScope(ctor: ts.ConstructorDeclaration): Scope {
    // The synthesized constructor has no analysed scope: give it an empty one
    // whose only binding is the rest parameter.
    const s = new Scope('function', this.a.module, ctor, this.a.scopes.length);
    this.a.scopes.push(s);
    this.a.scopeOf.set(ctor, s);
    const b = s.declare('args', 'param');
    this.a.refs.set(ctor.parameters[0].name as ts.Identifier, b);
    const spread = ((ctor.body!.statements[0] as ts.ExpressionStatement).expression as ts.CallExpression).arguments[0] as ts.SpreadElement;
    this.a.refs.set(spread.expression as ts.Identifier, b);
    return s;
  }

  /** Class members we do not instrument: lowered for scopes, run as no-save regions. */
  private lowerClassElement(m: ts.ClassElement): ts.ClassElement {
    if (isFunctionLike(m)) return this.lowerUninstrumented(m) as ts.ClassElement;
    if (ts.isPropertyDeclaration(m) || ts.isClassStaticBlockDeclaration(m)) return this.lowerInitializerLike(m);
    return m;
  }

  private lowerInitializerLike(m: ts.PropertyDeclaration | ts.ClassStaticBlockDeclaration): ts.ClassElement {
    const f = this.f;
    const scope = this.a.scopeOf.get(m)!;
    const st = this.enter(scope, 'uninstrumented', undefined);
    let result: ts.ClassElement;
    if (ts.isPropertyDeclaration(m)) {
      let name = ts.isComputedPropertyName(m.name) ? f.updateComputedPropertyName(m.name, this.computedKey(m.name)) : m.name;
      let init = m.initializer ? this.expr(m.initializer, fieldNameOf(m)) : undefined;
      if (init && m.initializer && ts.isComputedPropertyName(name) && definesAnonymous(m.initializer)) {
        // `[k] = () => {}`: the function is named after the field's key, as natively.
        const key = this.fieldKeyRef(name);
        if (key) {
          name = key.name;
          init = this.rtCall('nameAs', [init, key.ref]);
        }
      }
      if (init && st.locals.length > 0) init = this.wrapInArrow(st, init);
      // Field initializers re-run on the fresh object `new` makes while a
      // constructor frame is being restored; that object is thrown away, so
      // skip their side effects then.
      if (init && !PURE_CONST(init) && !hasModifier(m, ts.SyntaxKind.StaticKeyword)) {
        // It runs inside `new`, with no frame of ours between the caller's
        // call site and what it calls: no checkpoint in there.
        if (m.initializer && mayCallProgram(m.initializer, this.ctx)) init = f.createCallExpression(f.createPropertyAccessExpression(this.ctx.rt, 'nsv'), undefined, [f.createArrowFunction(undefined, undefined, [], undefined, undefined, init)]);
        init = f.createConditionalExpression(f.createPropertyAccessExpression(this.ctx.rt, 'rs'), undefined, f.createVoidZero(), undefined, init);
      }
      result = f.updatePropertyDeclaration(m, m.modifiers, name, m.questionToken ?? m.exclamationToken, m.type, init);
    } else {
      const body = this.block(m.body.statements, scope);
      result = f.updateClassStaticBlockDeclaration(m, f.createBlock([...this.localDecls(st), ...this.envInits(scope), ...this.thisInit(scope), ...body], true));
    }
    this.leave(st);
    return result;
  }

  /**
   * A computed field key, read again by the initializer that names its
   * function: a name (a made class's key parameter, a hoisted class's
   * constant) is read again; another key of a hoisted class is kept in a
   * module variable declared ahead of the class (classKeyVars).
   */
  private fieldKeyRef(name: ts.ComputedPropertyName): { name: ts.ComputedPropertyName; ref: ts.Expression } | undefined {
    const f = this.f;
    const e = name.expression;
    if (ts.isIdentifier(e)) return { name, ref: f.createIdentifier(ts.idText(e)) };
    if (this.classKeyVars === undefined) return undefined;
    const v = this.ctx.names.fresh('fk');
    this.classKeyVars.push(v);
    return { name: f.updateComputedPropertyName(name, f.createAssignment(f.createIdentifier(v), e)), ref: f.createIdentifier(v) };
  }

  /** Module variables that hold computed field keys of the top-level class being lowered (fieldKeyRef). */
  private classKeyVars: string[] | undefined;

  /** An initializer that needed locals (env objects) runs inside an arrow that declares them. */
  private wrapInArrow(st: FnState, init: ts.Expression): ts.Expression {
    const f = this.f;
    return f.createCallExpression(f.createParenthesizedExpression(f.createArrowFunction(undefined, undefined, [], undefined, undefined, f.createBlock([...this.localDecls(st), ...this.envInits(st.scope), ...this.thisInit(st.scope), f.createReturnStatement(init)], true))), undefined, []);
  }

  /** A captured `this` of a field initializer or static block goes into its environment (functions do it in their prologue). */
  private thisInit(scope: Scope): ts.Statement[] {
    const th = scope.bindings.get('this');
    if (!th || !th.captured) return [];
    return [this.f.createExpressionStatement(this.f.createAssignment(this.access(th), this.f.createThis()))];
  }

  // ---- functions ----------------------------------------------------------------

  /**
   * Lowers an instrumented function in place (top-level functions, class
   * members) and runs the instrumenting passes on its body.
   */
  private lowerFunction(node: ts.FunctionLikeDeclaration, kind: FunctionKind, id: string, name: string, self: ts.Expression, scopeOverride?: Scope): ts.Node {
    const f = this.f;
    const scope = scopeOverride ?? this.a.scopeOf.get(node)!;
    const plan: FunctionPlan = { id, kind, line: lineOf(this.ctx, node), name, params: [], locals: [], self, siteLines: [], generator: this.ctx.generatorBodies.has(node), predictedLeaf: this.ctx.leafDeclarations.has(node) };
    this.ctx.plans.push(plan);
    this.path.push(name);
    const st = this.enter(scope, kind, plan);
    if (kind === 'ctor' || kind === 'derived-ctor') {
      const tb = scope.bindings.get('this');
      plan.thisLocal = tb && !tb.captured ? st.local.get(tb)! : this.addLocal(this.ctx.names.fresh('this'));
      st.thisLocal = plan.thisLocal;
      st.startUndefined.add(plan.thisLocal);
    }
    const { params, prologue } = this.lowerParams(node, scope);
    const statements = node.body && ts.isBlock(node.body) ? this.block(node.body.statements, scope, true) : node.body ? [f.createReturnStatement(this.expr(node.body as ts.Expression))] : [];
    const ntBinding = scope.bindings.get('new.target');
    if (kind === 'ctor' || kind === 'derived-ctor') plan.newTargetLocal = ntBinding && !ntBinding.captured ? st.local.get(ntBinding) : undefined;
    const inits = this.envInits(scope);
    // The copies of `arguments` and `new.target` run before the entry point:
    // a restore re-enters the function by a plain call, without either.
    const lastCopy = prologue.reduce((last, x, i) => (argumentsCopies.has(x) || newTargetCopies.has(x) ? i : last), -1);
    if (lastCopy >= 0) for (const x of [...inits, ...prologue.slice(0, lastCopy + 1)]) entryStatements.add(x);
    plan.params = params.map((p) => ts.idText(p.name as ts.Identifier));
    plan.locals = st.locals.filter((n) => !plan.params.includes(n));
    plan.startUndefined = st.startUndefined;
    const body = this.instrument(plan, [...inits, ...prologue, ...statements], node);
    this.lastLowered = st;
    this.leave(st);
    this.path.pop();
    const block = f.createBlock(body, true);
    // A generator body (pass 0c) runs as a native generator (runtime/generators.ts):
    // the arrow it was has had its `this` and `arguments` moved to environments.
    if (plan.generator && ts.isArrowFunction(node)) return f.createFunctionExpression(undefined, f.createToken(ts.SyntaxKind.AsteriskToken), undefined, undefined, params, undefined, block);
    return updateFunctionLike(f, node, params, block, node.name && ts.isComputedPropertyName(node.name) ? f.updateComputedPropertyName(node.name, this.computedKey(node.name)) : undefined);
  }

  /** Functions we leave uninstrumented: lowered for scopes, made no-save regions. */
  private lowerUninstrumented(node: ts.FunctionLikeDeclaration): ts.Node {
    const f = this.f;
    // A computed key is evaluated where the member is, not inside it.
    const name = node.name && ts.isComputedPropertyName(node.name) ? f.updateComputedPropertyName(node.name, this.computedKey(node.name)) : node.name;
    const scope = this.a.scopeOf.get(node)!;
    const st = this.enter(scope, 'uninstrumented', undefined);
    this.path.push(node.name && ts.isIdentifier(node.name) ? ts.idText(node.name) : '<fn>');
    const { params, prologue } = this.lowerParams(node, scope);
    let statements = node.body && ts.isBlock(node.body) ? this.block(node.body.statements, scope, true) : node.body ? [f.createReturnStatement(this.expr(node.body as ts.Expression))] : [];
    st.params = new Set(params.map((p) => ts.idText(p.name as ts.Identifier)));
    statements = [...this.localDecls(st), ...this.envInits(scope), ...prologue, ...statements];
    this.path.pop();
    this.lastLowered = st;
    this.leave(st);
    const isGen = !!(node as ts.FunctionDeclaration).asteriskToken;
    const isAsync = hasModifier(node, ts.SyntaxKind.AsyncKeyword);
    if (!isGen && !isAsync && statements.some((st) => mayCallProgram(st, this.ctx))) {
      // A synchronous function we cannot capture: no checkpoint while it runs
      // (one that cannot reach the program stays as it is: nothing to guard).
      const rt = this.ctx.rt;
      const ns = f.createPropertyAccessExpression(rt, 'ns');
      statements = [
        f.createExpressionStatement(f.createPostfixIncrement(ns)),
        f.createTryStatement(f.createBlock(statements, true), undefined, f.createBlock([f.createExpressionStatement(f.createPostfixDecrement(f.createPropertyAccessExpression(rt, 'ns')))], true)),
      ];
    } else if (isGen || isAsync) {
      // Generators and async functions (instrumented in a later version):
      // any call they make runs as a no-save region.
      statements = statements.map((s) => markCallsNoSave(f, this.ctx.rt, s));
    }
    return updateFunctionLike(f, node, params, f.createBlock(statements, true), name);
  }

  private localDecls(st: FnState): ts.Statement[] {
    if (st.locals.length === 0) return [];
    const f = this.f;
    const names = st.locals.filter((n) => !st.params.has(n));
    if (names.length === 0) return [];
    return [f.createVariableStatement(undefined, f.createVariableDeclarationList(names.map((n) => f.createVariableDeclaration(n)), ts.NodeFlags.Let))];
  }

  private lowerParams(node: ts.FunctionLikeDeclaration, scope: Scope): { params: ts.ParameterDeclaration[]; prologue: ts.Statement[] } {
    const f = this.f;
    const params: ts.ParameterDeclaration[] = [];
    const prologue: ts.Statement[] = [];
    for (const p of node.parameters) {
      let name: ts.Identifier;
      if (ts.isIdentifier(p.name)) {
        const b = this.a.refs.get(p.name)!;
        name = b && !b.captured ? f.createIdentifier(this.fn.local.get(b) ?? ts.idText(p.name)) : f.createIdentifier(this.ctx.names.fresh('p'));
        if (b && b.captured) prologue.push(f.createExpressionStatement(f.createAssignment(this.access(b), name)));
      } else name = f.createIdentifier(this.ctx.names.fresh('p'));
      let init: ts.Expression | undefined;
      if (p.initializer && isVoidZero(p.initializer)) {
        // `= void 0` only keeps `length` (generators.ts guardParameters): nothing to run.
        init = p.initializer;
      } else if (p.initializer) {
        // Defaults run in the body (they may call); keep `= undefined` so `length` is unchanged.
        const target = ts.isIdentifier(p.name) ? this.identifierTarget(p.name) : name;
        prologue.push(f.createIfStatement(f.createStrictEquality(target, f.createVoidZero()), f.createExpressionStatement(f.createAssignment(target, this.expr(p.initializer, namedBy(p.name))))));
        init = f.createVoidZero();
      }
      if (!ts.isIdentifier(p.name)) {
        prologue.push(f.createExpressionStatement(f.createAssignment(this.patternToTarget(p.name), ts.isArrayBindingPattern(p.name) ? this.engineIterated(name) : name)));
      }
      params.push(f.createParameterDeclaration(undefined, p.dotDotDotToken, name, undefined, undefined, init));
    }
    // `arguments` and `new.target`, when used, are copied into their storage at entry.
    const args = scope.bindings.get('arguments');
    if (args && args.kind === 'arguments') {
      const copy = f.createExpressionStatement(f.createAssignment(this.access(args), f.createIdentifier('arguments')));
      argumentsCopies.add(copy);
      prologue.unshift(copy);
    }
    const nt = scope.bindings.get('new.target');
    if (nt && (nt.captured || this.fn.local.has(nt))) {
      const copy = f.createExpressionStatement(f.createAssignment(this.access(nt), f.createMetaProperty(ts.SyntaxKind.NewKeyword, f.createIdentifier('target'))));
      newTargetCopies.add(copy);
      prologue.unshift(copy);
    }
    const th = scope.bindings.get('this');
    if (th && th.captured && this.fn.kind !== 'derived-ctor') prologue.unshift(f.createExpressionStatement(f.createAssignment(this.access(th), f.createThis())));
    return { params, prologue };
  }

  private identifierTarget(id: ts.Identifier): ts.Expression {
    const b = this.a.refs.get(id);
    return b ? this.access(b, id) : this.f.createIdentifier(ts.idText(id));
  }

  /** Creates the environment objects of `scope` (function-level ones: at entry). */
  private envInits(scope: Scope): ts.Statement[] {
    const captured = scope.capturedBindings;
    if (scope.kind === 'module' || captured.length === 0) return [];
    const f = this.f;
    return [f.createExpressionStatement(f.createAssignment(f.createIdentifier(this.envName(scope)), this.envLiteral(captured, true)))];
  }

  private envLiteral(bindings: Binding[], entry: boolean, copyFrom?: string): ts.Expression {
    const f = this.f;
    return f.createObjectLiteralExpression(
      bindings.map((b) => {
        let value: ts.Expression = f.createVoidZero();
        if (copyFrom) value = f.createPropertyAccessExpression(f.createIdentifier(copyFrom), this.envKey(b));
        else if (entry && b.kind === 'self') value = f.createIdentifier(b.name);
        return f.createPropertyAssignment(f.createStringLiteral(this.envKey(b)), value);
      }),
      false,
    );
  }

  /**
   * A nested function: lowered, instrumented, moved into a module-level
   * factory; returns the expression that makes the closure here.
   */
  private nestedFunction(node: ts.FunctionLikeDeclaration, inferredName: string): ts.Expression {
    const f = this.f;
    const isGen = !!(node as ts.FunctionExpression).asteriskToken;
    const isAsync = hasModifier(node, ts.SyntaxKind.AsyncKeyword);
    // A function that uses `super` needs the home object it was written in.
    if (usesSuper(node) && !this.isHomeMethod(node)) return asExpression(f, this.lowerUninstrumented(node));
    // One that uses `#names` must be made inside their class: its factory
    // goes into the class (classFactories), where there is one to go into.
    const privateNames = usesPrivateNames(node);
    if (privateNames && this.classFactories === undefined) return asExpression(f, this.lowerUninstrumented(node));
    const accessor = ts.isGetAccessor(node) || ts.isSetAccessor(node);
    const name = node.name && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name)) ? node.name.text : inferredName || (ts.isArrowFunction(node) ? '<arrow>' : '<anonymous>');
    const id = this.uniqueId(accessor ? `${ts.isGetAccessor(node) ? 'get' : 'set'} ${name}` : name);
    const self = f.createIdentifier(this.ctx.names.fixed('self'));
    const kind: FunctionKind = ts.isArrowFunction(node) ? 'arrow' : 'plain';
    // Generators, async functions and accessors run uninstrumented (no-save
    // regions) but are still made by a factory: as values in the heap they
    // are saved and re-made like any closure.
    const implicit = (ts.isMethodDeclaration(node) && IMPLICITLY_CALLED.has(name)) || isImplicitlyCalledValue(node) || calledByTheEngine(node);
    let lowered = asExpression(f, isGen || isAsync || accessor || implicit ? this.lowerUninstrumented(node) : this.lowerFunction(node, kind, id, name, self));
    const st = this.lastLowered!;
    const envs = [...st.envUses].sort();
    const factoryName = this.ctx.names.fresh('mk');
    let runner: ts.FunctionDeclaration | undefined;
    let taskRunner: string | undefined;
    if (ts.isFunctionExpression(lowered) && lowered.asteriskToken && this.ctx.generatorBodies.has(node)) {
      // A generator body: the closure calls one native generator function
      // made once, beside the factory. A generator function made per call
      // would give its generator objects a hidden class of their own (V8: the
      // closure's own initial map), and every body would run megamorphic.
      const runnerName = this.ctx.names.fresh('g');
      const args = [self.text, ...envs];
      // An async function's body is made per call: its runner is called
      // directly (`$R.task($g(void 0, envs))`), and makes the closure only
      // where a frame names it (`$R.fb`, `$R.yf`), so a call allocates no closure.
      taskRunner = this.ctx.generatorBodies.get(node) === 'task' ? runnerName : undefined;
      const body = taskRunner === undefined ? lowered.body : selfMadeWhereUsed(lowered.body, self, f.createCallExpression(f.createIdentifier(factoryName), undefined, envs.map((e) => f.createIdentifier(e))));
      runner = f.createFunctionDeclaration(undefined, f.createToken(ts.SyntaxKind.AsteriskToken), runnerName, undefined, args.map((a) => f.createParameterDeclaration(undefined, undefined, a)), undefined, body);
      lowered = f.createArrowFunction(undefined, undefined, [], undefined, f.createToken(ts.SyntaxKind.EqualsGreaterThanToken), f.createCallExpression(f.createIdentifier(runnerName), undefined, args.map((a) => f.createIdentifier(a))));
    }
    const key = inferredName;
    const member = ts.isMethodDeclaration(node) || accessor;
    if (accessor && ts.isComputedPropertyName(node.name!)) {
      // An object literal's accessor under a computed key (literalWithAccessors):
      // made under a stand-in key, never evaluating the key again; $R.acc names it.
      const a = lowered as unknown as ts.AccessorDeclaration;
      const standIn = f.createStringLiteral(key);
      lowered = (ts.isGetAccessor(a) ? f.updateGetAccessorDeclaration(a, a.modifiers, standIn, a.parameters, a.type, a.body) : f.updateSetAccessorDeclaration(a, a.modifiers, standIn, a.parameters, a.body)) as unknown as ts.Expression;
    }
    const memberKey = member && !ts.isComputedPropertyName(node.name!) ? (node.name as ts.Identifier | ts.StringLiteral).text : key;
    const holder = member
      ? f.createObjectLiteralExpression([lowered as unknown as ts.ObjectLiteralElementLike])
      : f.createObjectLiteralExpression([f.createPropertyAssignment(ownKey(f, key), lowered as ts.Expression)]);
    // The holder gets a variable of its own: `({ k: f })["k"]` in one
    // expression is folded to `f` by Bun's transpiler, which then names the
    // function after the variable it lands in instead of the key.
    const hold = f.createIdentifier(this.ctx.names.fixed('hold'));
    const made = accessor
      ? f.createCallExpression(f.createPropertyAccessExpression(this.ctx.rt, 'accessorOf'), undefined, [holder, f.createStringLiteral(memberKey), ts.isGetAccessor(node) ? f.createTrue() : f.createFalse()])
      : f.createElementAccessExpression(hold, f.createStringLiteral(memberKey));
    const tag = f.createExpressionStatement(f.createAssignment(f.createElementAccessExpression(self, f.createIdentifier(this.ctx.names.fixed('CL'))), f.createArrayLiteralExpression([f.createStringLiteral(id), ...envs.map((e) => f.createIdentifier(e))])));
    const decl = f.createFunctionDeclaration(undefined, undefined, factoryName, undefined, envs.map((e) => f.createParameterDeclaration(undefined, undefined, e)), undefined, f.createBlock([
      ...(accessor ? [] : [f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(hold, undefined, undefined, holder)], ts.NodeFlags.Const))]),
      f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(self, undefined, undefined, made)], ts.NodeFlags.Const)),
      tag,
      ...(this.wrapperCode(node) === 0 ? [] : [f.createExpressionStatement(this.withKind(node, self))]),
      // (a method that reads super from its home: homeless until its literal's $R.home, which marks only such)
      ...(this.isHomeMethod(node) ? [f.createExpressionStatement(this.rtCall('homeless', [self]))] : []),
      f.createReturnStatement(self),
    ], true));
    const inClass = privateNames ? this.classFactories : undefined;
    this.out.factories.push({ id, name: factoryName, decl, runner, inClass: inClass !== undefined, madeClass: inClass?.made });
    if (inClass !== undefined) {
      inClass.list.push({ name: factoryName, decl, id });
      if (runner) inClass.list.push({ name: ts.idText(runner.name!), decl: runner });
    }
    const envArgs = envs.map((e) => f.createIdentifier(e));
    if (taskRunner !== undefined) return f.createCallExpression(f.createIdentifier(taskRunner), undefined, [f.createVoidZero(), ...envArgs]);
    return f.createCallExpression(f.createIdentifier(factoryName), undefined, envArgs);
  }

  /** `$R.name(args)`. */
  private rtCall(name: string, args: ts.Expression[]): ts.Expression {
    return this.f.createCallExpression(this.f.createPropertyAccessExpression(this.ctx.rt, name), undefined, args);
  }

  /** A computed member key: where it is, or the factory parameter a made class's key was passed in. */
  private computedKey(name: ts.ComputedPropertyName): ts.Expression {
    return this.computedKeys.get(name) ?? this.expr(name.expression);
  }

  /** The computed keys of made classes, evaluated where the class is and passed to its factory. */
  private readonly computedKeys = new Map<ts.ComputedPropertyName, ts.Expression>();
  /** A static field's anonymous function or class, moved out of its field (deferStaticInitializers): the field's name, which names it. */
  private readonly fieldNames = new WeakMap<ts.Node, string>();
  private lastLowered: FnState | undefined;
  /** Module constants declared so far that stay at the top level (literals, requires): defined before any code runs. */
  private readonly hoistedConsts = new Set<string>();
  /** Top-level classes defined where they are (definedFromModuleState), so module state too. */
  private readonly inPlaceClasses = new Set<string>();
  /**
   * While a class's members are lowered: the factories (with their id) and
   * generator runners that must be made inside it; `made`: a class made at
   * run time (runtimeClass), not a top-level one.
   */
  private classFactories: { list: ClassMade[]; made: boolean } | undefined;

  // ---- statements ---------------------------------------------------------------

  /** Lowers a block's statements: its env first, then hoisted functions, then the rest. */
  private block(statements: readonly ts.Statement[], scope: Scope | undefined, isFunctionBody = false): ts.Statement[] {
    const f = this.f;
    const out: ts.Statement[] = [];
    if (scope && !isFunctionBody && scope.kind !== 'function') {
      const captured = scope.capturedBindings;
      if (captured.length > 0) out.push(f.createExpressionStatement(f.createAssignment(f.createIdentifier(this.envName(scope)), this.envLiteral(captured, false))));
    }
    // Function declarations are initialized on entry to their block.
    for (const s of statements) {
      if (ts.isFunctionDeclaration(s) && s.name && s.body) {
        const b = this.a.refs.get(s.name)!;
        out.push(f.createExpressionStatement(f.createAssignment(this.access(b, s.name), this.nestedFunction(s, ts.idText(s.name)))));
      }
    }
    for (const s of statements) out.push(...this.stmt(s)); // (a function declaration: only its Annex B assignment)
    return out;
  }

  private stmt(node: ts.Statement): ts.Statement[] {
    const f = this.f;
    if (ts.isVariableStatement(node)) return this.lowerVariableStatement(node);
    if (ts.isFunctionDeclaration(node)) {
      // hoisted by block(); in sloppy code (Annex B) its statement also sets the function's `var` of that name
      const outer = this.a.annexB.get(node);
      if (outer === undefined || !node.name) return [];
      return [f.createExpressionStatement(f.createAssignment(this.access(outer), this.access(this.a.refs.get(node.name)!, node.name)))];
    }
    if (ts.isClassDeclaration(node)) {
      const b = node.name ? this.a.refs.get(node.name) : undefined;
      return this.classDeclaredAt(node, b ? this.access(b, node.name) : undefined);
    }
    if (ts.isBlock(node)) return [f.createBlock(this.block(node.statements, this.a.scopeOf.get(node)), true)];
    if (ts.isForStatement(node)) return this.lowerFor(node);
    if (ts.isForInStatement(node) || ts.isForOfStatement(node)) return [this.lowerForInOf(node)];
    if (ts.isLabeledStatement(node)) {
      const inner = this.stmt(node.statement);
      const last = inner.pop()!;
      return [...inner, f.updateLabeledStatement(node, node.label, last)];
    }
    if (ts.isTryStatement(node)) {
      const tryBlock = f.createBlock(this.block(node.tryBlock.statements, this.a.scopeOf.get(node.tryBlock)), true);
      let catchClause: ts.CatchClause | undefined;
      if (node.catchClause) {
        const cc = node.catchClause;
        const cs = this.a.scopeOf.get(cc)!;
        const caught = f.createIdentifier(this.addLocal(this.ctx.names.fresh('c')));
        const pre: ts.Statement[] = [];
        const captured = cs.capturedBindings;
        if (captured.length > 0) pre.push(f.createExpressionStatement(f.createAssignment(f.createIdentifier(this.envName(cs)), this.envLiteral(captured, false))));
        if (cc.variableDeclaration) pre.push(f.createExpressionStatement(f.createAssignment(this.patternToTarget(cc.variableDeclaration.name), caught)));
        const inner = this.block(cc.block.statements, this.a.scopeOf.get(cc.block));
        // Past its catch block the binding is dead, but a hoisted local would
        // keep the error for every later frame record: a checkpoint would try
        // to save it (a platform error may not be savable at all).
        const name = cc.variableDeclaration?.name;
        const bound = name !== undefined && ts.isIdentifier(name) ? cs.bindings.get(ts.idText(name)) : undefined;
        if (!endsAbruptly(inner)) {
          inner.push(f.createExpressionStatement(f.createAssignment(caught, f.createVoidZero())));
          if (bound !== undefined && !bound.captured) inner.push(f.createExpressionStatement(f.createAssignment(this.access(bound), f.createVoidZero())));
        }
        catchClause = f.createCatchClause(f.createVariableDeclaration(caught), f.createBlock([...pre, ...inner], true));
      }
      const fin = node.finallyBlock ? f.createBlock(this.block(node.finallyBlock.statements, this.a.scopeOf.get(node.finallyBlock)), true) : undefined;
      return [f.createTryStatement(tryBlock, catchClause, fin)];
    }
    if (ts.isSwitchStatement(node)) {
      const cb = node.caseBlock;
      const scope = this.a.scopeOf.get(cb);
      const pre: ts.Statement[] = [];
      if (scope && scope.capturedBindings.length > 0) pre.push(f.createExpressionStatement(f.createAssignment(f.createIdentifier(this.envName(scope)), this.envLiteral(scope.capturedBindings, false))));
      const funcs: ts.Statement[] = [];
      const clauses = cb.clauses.map((c) => {
        for (const s of c.statements) if (ts.isFunctionDeclaration(s) && s.name) {
          const b = this.a.refs.get(s.name)!;
          funcs.push(f.createExpressionStatement(f.createAssignment(this.access(b, s.name), this.nestedFunction(s, ts.idText(s.name)))));
        }
        const stmts = c.statements.flatMap((s) => this.stmt(s));
        return ts.isCaseClause(c) ? f.updateCaseClause(c, this.expr(c.expression), stmts) : f.updateDefaultClause(c, stmts);
      });
      const sw = f.updateSwitchStatement(node, this.expr(node.expression), f.updateCaseBlock(cb, clauses));
      return pre.length + funcs.length ? [f.createBlock([...pre, ...funcs, sw], true)] : [sw];
    }
    return [ts.visitEachChild(node, this.visitor, undefined as unknown as ts.TransformationContext) as ts.Statement];
  }

  private lowerVariableStatement(node: ts.VariableStatement): ts.Statement[] {
    const f = this.f;
    const out: ts.Statement[] = [];
    const isLexical = !!(node.declarationList.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const));
    for (const d of node.declarationList.declarations) {
      if (d.initializer) {
        const init = this.expr(d.initializer, namedBy(d.name));
        out.push(f.createExpressionStatement(f.createAssignment(this.patternToTarget(d.name), ts.isArrayBindingPattern(d.name) ? this.engineIterated(init) : init)));
      } else if (isLexical) {
        // `let x;` in a loop body starts every iteration as undefined.
        out.push(f.createExpressionStatement(f.createAssignment(this.patternToTarget(d.name), f.createVoidZero())));
      }
    }
    return out;
  }

  private lowerFor(node: ts.ForStatement): ts.Statement[] {
    const f = this.f;
    const scope = this.a.scopeOf.get(node)!;
    const pre: ts.Statement[] = [];
    const captured = scope.capturedBindings;
    const env = captured.length > 0 ? this.envName(scope) : undefined;
    if (env) pre.push(f.createExpressionStatement(f.createAssignment(f.createIdentifier(env), this.envLiteral(captured, false))));
    let init: ts.ForInitializer | undefined = node.initializer;
    if (init && ts.isVariableDeclarationList(init)) {
      const closesOver = env !== undefined && containsFunction(init);
      const stmts = this.lowerVariableStatement(f.createVariableStatement(undefined, init));
      pre.push(...stmts);
      // A closure made in the initializer keeps the bindings it saw there;
      // the first iteration gets copies (ECMA-262 CreatePerIterationEnvironment).
      if (closesOver) pre.push(f.createExpressionStatement(f.createAssignment(f.createIdentifier(env), this.envLiteral(captured, false, env))));
      init = undefined;
    } else if (init) init = this.expr(init as ts.Expression);
    let incr = node.incrementor ? this.expr(node.incrementor) : undefined;
    if (env) {
      // Per-iteration bindings: copy the environment before the update.
      const copy = f.createAssignment(f.createIdentifier(env), this.envLiteral(captured, false, env));
      incr = incr ? f.createComma(copy, incr) : copy;
    }
    const loop = f.updateForStatement(node, init, node.condition ? this.expr(node.condition) : undefined, incr, this.loopBody(node.statement));
    return [...pre, loop];
  }

  private loopBody(s: ts.Statement): ts.Statement {
    const out = this.stmt(s);
    return out.length === 1 ? out[0] : this.f.createBlock(out, true);
  }

  private lowerForInOf(node: ts.ForInStatement | ts.ForOfStatement): ts.Statement {
    const f = this.f;
    const scope = this.a.scopeOf.get(node)!;
    const init = node.initializer;
    let head: ts.Expression;
    const bodyPre: ts.Statement[] = [];
    if (ts.isVariableDeclarationList(init)) {
      const pattern = init.declarations[0].name;
      const captured = scope.capturedBindings;
      if (captured.length > 0) {
        const tmp = f.createIdentifier(this.ctx.names.fresh('v'));
        this.addLocal(ts.idText(tmp));
        head = tmp;
        bodyPre.push(f.createExpressionStatement(f.createAssignment(f.createIdentifier(this.envName(scope)), this.envLiteral(captured, false))));
        bodyPre.push(f.createExpressionStatement(f.createAssignment(this.patternToTarget(pattern), tmp)));
      } else head = this.patternToTarget(pattern);
    } else head = this.expr(init);
    const body = this.stmt(node.statement);
    const block = f.createBlock([...bodyPre, ...(body.length === 1 && ts.isBlock(body[0]) ? body[0].statements : body)], true);
    return ts.isForInStatement(node)
      ? f.updateForInStatement(node, head as ts.ForInitializer, this.expr(node.expression), block)
      : f.updateForOfStatement(node, node.awaitModifier, head as ts.ForInitializer, this.expr(node.expression), block);
  }

  /**
   * `$mk7 = function $mk7(…) {…}` in a class's static block; in a class made
   * at run time a factory is `$mk7 = $R.icf(this, "id", function $mk7(…) {…})`,
   * which tags each closure it makes with the class too.
   */
  private madeInClass(x: ClassMade, madeClass: boolean): ts.Statement {
    const f = this.f;
    const fn = f.createFunctionExpression(undefined, x.decl.asteriskToken, x.name, undefined, x.decl.parameters, undefined, x.decl.body!);
    const value = madeClass && x.id !== undefined ? f.createCallExpression(f.createPropertyAccessExpression(this.ctx.rt, 'icf'), undefined, [f.createThis(), f.createStringLiteral(x.id), fn]) : fn;
    return f.createExpressionStatement(f.createAssignment(f.createIdentifier(x.name), value));
  }

  /**
   * A class made at run time (declared in a function, a class expression, a
   * mixin's result): made by a module-level factory from the environments
   * its members use, its base class and its computed keys (all evaluated
   * here, in order), like a closure, so a checkpoint
   * saves it as (factory id, environments) and restore makes it again. The
   * runtime tags the class and its members (`$R.rcls`); its static
   * initialization runs where the class is (`$R.csi`), never on restore.
   *   function $mk3($e1, $b) { let $si; const $self = class Name extends $b {…};
   *     const $ms = $R.rcls($self, "id", [$e1, $b], [["m", 0]], $si); return $self; }
   *   … Name = $mk3($e1, Base); $R.csi(Name);
   * `statics` tells whether it has static initialization to run.
   */
  private runtimeClass(node: ts.ClassLikeDeclaration, inferredName: string): { made: ts.Expression; statics: boolean } {
    const f = this.f;
    // (A name pass 0c' gave an anonymous class is its binding only: the class is named as it would have been.)
    const binding = node.name ? ts.idText(node.name) : undefined;
    const givenName = binding !== undefined && writtenName(node) === undefined;
    const name = binding !== undefined && !givenName ? binding : inferredName;
    const classId = this.uniqueId(name || '<class>');
    const ext = node.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
    const baseArg = ext ? this.expr(ext.expression) : undefined;
    const keyArgs: ts.Expression[] = [];
    const keyParams: ts.Identifier[] = [];
    for (const m of node.members) {
      if (!m.name || !ts.isComputedPropertyName(m.name)) continue;
      // ToPropertyKey here, once and in order, as the class would: the
      // class reads the key again (a deferred static field, a field's name).
      const e = m.name.expression;
      keyArgs.push(ts.isStringLiteral(e) || ts.isNumericLiteral(e) ? this.expr(e) : this.rtCall('pk', [this.expr(e)]));
      const param = f.createIdentifier(this.ctx.names.fresh('key'));
      keyParams.push(param);
      this.computedKeys.set(m.name, param);
    }
    const base = f.createIdentifier(this.ctx.names.fixed('base'));
    const self = f.createIdentifier(this.ctx.names.fixed('self'));
    const ms = f.createIdentifier(this.ctx.names.fixed('ms'));
    const si = f.createIdentifier(this.ctx.names.fixed('si'));
    const st = this.enter(this.a.scopeOf.get(node)!, 'uninstrumented', undefined);
    const outerFactories = this.classFactories;
    const outerKeyVars = this.classKeyVars;
    const inClass: ClassMade[] = [];
    this.classFactories = { list: inClass, made: true };
    this.classKeyVars = undefined; // (its keys are parameters of its factory)
    const lowered = this.lowerMembers(node, classId, name, self, (_id, i) => f.createElementAccessExpression(ms, i));
    this.classFactories = outerFactories;
    this.classKeyVars = outerKeyVars;
    this.leave(st);
    let members = lowered.members;
    const init = this.deferStaticInitializers(members);
    if (init) members = [f.createClassStaticBlockDeclaration(f.createBlock([f.createExpressionStatement(f.createAssignment(si, init.thunk))], true)), ...init.members];
    // The factories of closures that use the class's `#names`, made by its
    // first static block into variables of the class's factory: each class
    // made has its own, registered with the runtime by the class.
    if (inClass.length > 0) members = [f.createClassStaticBlockDeclaration(f.createBlock(inClass.map((x) => this.madeInClass(x, true)), true)), ...members];
    const privates = privateStateBlock(f, this.ctx.rt, node);
    if (privates) members.push(privates);
    const envs = [...st.envUses].sort().map((e) => f.createIdentifier(e));
    const params = [...envs, ...(baseArg ? [base] : []), ...keyParams];
    const heritage = baseArg ? [f.createHeritageClause(ts.SyntaxKind.ExtendsKeyword, [f.createExpressionWithTypeArguments(base, undefined)])] : undefined;
    const cls = f.createClassExpression(undefined, binding !== undefined ? f.createIdentifier(binding) : undefined, undefined, heritage, members);
    const constDecl = (id: ts.Identifier, value: ts.Expression) => f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(id, undefined, undefined, value)], ts.NodeFlags.Const));
    // An anonymous class takes its name from where it lands, as it would
    // have: from a property of a holder object, read in a statement of its
    // own (Bun's transpiler folds `{ k: class {} }[k]` into a binding, which
    // names the class after `$self`).
    const hold = f.createIdentifier(this.ctx.names.fixed('hold'));
    const holder = binding !== undefined ? [] : [constDecl(hold, f.createObjectLiteralExpression([f.createPropertyAssignment(f.createStringLiteral(name), cls)]))];
    const made = binding !== undefined ? cls : f.createElementAccessExpression(hold, f.createStringLiteral(name));
    const renamed = givenName ? [f.createExpressionStatement(this.rtCall('cname', [self, f.createStringLiteral(binding), f.createStringLiteral(name)]))] : [];
    const register = f.createCallExpression(f.createPropertyAccessExpression(this.ctx.rt, 'rcls'), undefined, [
      self,
      f.createStringLiteral(classId),
      f.createArrayLiteralExpression(params),
      f.createArrayLiteralExpression(lowered.instrumented.map(([k, s]) => f.createArrayLiteralExpression([f.createStringLiteral(k), f.createNumericLiteral(s)]))),
      init ? si : f.createVoidZero(),
    ]);
    const factoryName = this.ctx.names.fresh('mk');
    const decl = f.createFunctionDeclaration(undefined, undefined, factoryName, undefined, params.map((p) => f.createParameterDeclaration(undefined, undefined, p)), undefined, f.createBlock([
      ...this.localDecls(st),
      ...(init || inClass.length > 0 ? [f.createVariableStatement(undefined, f.createVariableDeclarationList([...(init ? [si.text] : []), ...inClass.map((x) => x.name)].map((n) => f.createVariableDeclaration(n)), ts.NodeFlags.Let))] : []),
      ...holder,
      constDecl(self, made),
      ...renamed,
      lowered.instrumented.length > 0 ? constDecl(ms, register) : f.createExpressionStatement(register),
      f.createReturnStatement(self),
    ], true));
    this.out.factories.push({ id: classId, name: factoryName, decl });
    return { made: f.createCallExpression(f.createIdentifier(factoryName), undefined, [...envs, ...(baseArg ? [baseArg] : []), ...keyArgs]), statics: init !== undefined };
  }

  /**
   * A class declared in a body: assigned first, then its static
   * initialization runs (which may name it), as in `class` evaluation.
   */
  private classDeclaredAt(node: ts.ClassLikeDeclaration, target: ts.Expression | undefined, inferredName = node.name ? ts.idText(node.name) : ''): ts.Statement[] {
    const f = this.f;
    const { made, statics } = this.runtimeClass(node, inferredName);
    if (target === undefined) return [f.createExpressionStatement(statics ? this.runStatics(made) : made)];
    const out = [f.createExpressionStatement(f.createAssignment(target, made))];
    if (statics) out.push(f.createExpressionStatement(this.runStatics(target)));
    return out;
  }

  /**
   * A class expression: the class, its static initialization run. Its name,
   * when a closure in it uses it (one the class's factory or a factory of
   * its own makes), is kept in an env made where the class is, as a block's:
   * `($e5 = { Inner: void 0 }, $e5.Inner = $mk3($e5, …))`.
   */
  private classExpression(node: ts.ClassExpression, inferredName: string): ts.Expression {
    const f = this.f;
    const { made, statics } = this.runtimeClass(node, inferredName);
    const scope = this.a.scopeOf.get(node)!;
    const captured = scope.capturedBindings;
    let value = made;
    if (captured.length > 0) {
      const init = f.createAssignment(f.createIdentifier(this.envName(scope)), this.envLiteral(captured, false));
      value = f.createParenthesizedExpression(f.createComma(init, f.createAssignment(this.access(captured[0]), made)));
    }
    return statics ? this.runStatics(value) : value;
  }

  private movedFieldName(node: ts.Node): string {
    return this.fieldNames.get(ts.getOriginalNode(node)) ?? '';
  }

  private runStatics(cls: ts.Expression): ts.Expression {
    return this.f.createCallExpression(this.f.createPropertyAccessExpression(this.ctx.rt, 'csi'), undefined, [cls]);
  }

  // ---- expressions ----------------------------------------------------------------

  private expr(node: ts.Expression, inferredName = ''): ts.Expression {
    if (isFunctionLike(node)) return this.nestedFunction(node, inferredName || this.movedFieldName(node));
    if (ts.isClassExpression(node)) return this.classExpression(node, inferredName || this.movedFieldName(node));
    return ts.visitNode(node, this.visitor) as ts.Expression;
  }

  /** A top-level `this`/`arguments` of a CommonJS module: the name of its load-time copy (see moduleThisArgs). */
  private moduleLevel(node: ts.Node, kind: 'this' | 'arguments'): ts.Node {
    if (this.moduleThisArgs === undefined || !this.a.moduleThisArgs.has(node)) return node;
    const name = (this.moduleThisArgs[kind] ??= this.ctx.names.fixed(kind === 'this' ? 'mthis' : 'margs'));
    return this.f.createIdentifier(name);
  }

  private readonly visitor = (node: ts.Node): ts.Node => {
    const f = this.f;
    if (ts.isIdentifier(node)) {
      const b = this.a.refs.get(node);
      if (b) return this.access(b, node);
      const p = this.a.pseudoRefs.get(node);
      if (p) return this.access(p, node);
      return this.moduleLevel(node, 'arguments');
    }
    if (node.kind === ts.SyntaxKind.ThisKeyword) {
      const p = this.a.pseudoRefs.get(node);
      return p ? this.access(p, node) : this.moduleLevel(node, 'this');
    }
    if (ts.isMetaProperty(node)) {
      const p = this.a.pseudoRefs.get(node);
      return p ? this.access(p, node) : node;
    }
    if (ts.isShorthandPropertyAssignment(node)) {
      const b = this.a.refs.get(node.name);
      const value = b ? this.access(b, node.name) : node.name;
      if (ts.isIdentifier(value) && ts.idText(value) === ts.idText(node.name) && !node.objectAssignmentInitializer) return node;
      const init = node.objectAssignmentInitializer ? f.createAssignment(value, this.expr(node.objectAssignmentInitializer, ts.idText(node.name))) : value;
      return f.createPropertyAssignment(ts.idText(node.name), init);
    }
    if (ts.isVariableDeclaration(node)) throw new Error('internal: declaration in expression');
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.SuperKeyword && this.fn.kind === 'derived-ctor' && this.fn.thisLocal) {
      // `super(…)` in a derived constructor also sets our `this` local (and its env copy).
      const call = ts.visitEachChild(node, this.visitor, undefined as unknown as ts.TransformationContext);
      let e: ts.Expression = f.createAssignment(f.createIdentifier(this.fn.thisLocal), call);
      const tb = this.fn.scope.bindings.get('this');
      if (tb?.captured) e = f.createAssignment(this.access(tb), e);
      return f.createParenthesizedExpression(e);
    }
    if (isCollectionIteratorCall(node)) {
      // `xs.entries()` and co. on arrays, Maps and Sets, `xs[Symbol.iterator]()`,
      // `s.matchAll(re)`: a savable iterator (runtime/iterators.ts) instead
      // of a native one, whose position cannot be read.
      const callee = node.expression as ts.PropertyAccessExpression | ts.ElementAccessExpression;
      const name = ts.isPropertyAccessExpression(callee) ? ts.idText(callee.name as ts.Identifier) : '@@iterator';
      return f.createCallExpression(f.createPropertyAccessExpression(this.ctx.rt, 'ni'), undefined, [this.expr(callee.expression), f.createStringLiteral(name), ...node.arguments.map((a) => this.expr(a))]);
    }
    if (ts.isCallExpression(node) && isSuperProperty(node.expression) && this.isHomeMethod(methodOfSuper(node.expression))) {
      // super.m(a) in an object-literal method → $R.hsg($self, "m", this).call(this, a): still a call site
      const read = this.visitor(node.expression) as ts.Expression;
      return superCall(f, read, node, ts.visitNodes(node.arguments, this.visitor, ts.isExpression));
    }
    if (isSuperProperty(node) && this.isHomeMethod(methodOfSuper(node))) {
      const key = ts.isPropertyAccessExpression(node) ? f.createStringLiteral(ts.idText(node.name as ts.Identifier)) : this.expr(node.argumentExpression);
      return superRead(f, this.ctx.rt, f.createIdentifier(this.ctx.names.fixed('self')), key);
    }
    if (ts.isObjectLiteralExpression(node)) {
      const original = ts.getOriginalNode(node);
      const homes = ts.isObjectLiteralExpression(original) ? homeMethodsOf(original) : [];
      for (const m of homes) this.homeMethods.add(ts.getOriginalNode(m));
      const accessors = savableAccessors(node);
      if (accessors.size > 0 || homes.length > 0) {
        const literal = accessors.size > 0 ? this.literalWithAccessors(node, accessors) : ts.visitEachChild(node, this.visitor, undefined as unknown as ts.TransformationContext);
        return homes.length > 0 ? withHome(f, this.ctx.rt, literal, homes) : literal;
      }
    }
    if (ts.isMethodDeclaration(node) && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name)) && (!usesSuper(node) || this.isHomeMethod(node))) {
      // An object-literal method: made by a factory, kept a method (no [[Construct]]).
      return f.createPropertyAssignment(ownKey(f, node.name.text), this.nestedFunction(node, node.name.text));
    }
    if (ts.isMethodDeclaration(node) && ts.isComputedPropertyName(node.name) && !usesSuper(node)) {
      // `[Symbol.iterator]() {…}`: the key is evaluated here, the method made
      // by a factory under a stand-in key that gives it the same name.
      const key = this.expr(node.name.expression);
      const e = node.name.expression;
      const standIn = ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'Symbol' ? `[Symbol.${ts.idText(e.name)}]` : '';
      this.computedKeys.set(node.name, f.createStringLiteral(standIn));
      if (standIn !== '') return f.createPropertyAssignment(f.createComputedPropertyName(key), this.nestedFunction(node, standIn));
      // Any other key: named after it when the literal is evaluated, as natively.
      return f.createPropertyAssignment(f.createComputedPropertyName(this.rtCall('nk', [key])), this.rtCall('named', [this.nestedFunction(node, '')]));
    }
    // Others (`super` users, whose home object is this literal) stay methods of it, uninstrumented.
    if (ts.isMethodDeclaration(node) || ts.isGetAccessor(node) || ts.isSetAccessor(node)) return this.lowerUninstrumented(node);
    if (isFunctionLike(node)) return this.nestedFunction(node, inferName(node) || this.movedFieldName(node));
    if (ts.isClassExpression(node)) return this.classExpression(node, inferName(node) || this.movedFieldName(node));
    if (ts.isPropertyAssignment(node) && (isFunctionLike(unwrapped(node.initializer)) || ts.isClassExpression(unwrapped(node.initializer)))) {
      // (parentheses and type assertions around the definition name it all the same)
      const init = unwrapped(node.initializer);
      const key = ts.isIdentifier(node.name) || ts.isStringLiteral(node.name) || ts.isNumericLiteral(node.name) ? node.name.text : '';
      if (ts.isComputedPropertyName(node.name) && isAnonymousDefinition(init)) {
        // `{ [k]: () => {} }`: the function is named after k's value, as natively.
        const name = f.updateComputedPropertyName(node.name, this.rtCall('nk', [this.expr(node.name.expression)]));
        return f.updatePropertyAssignment(node, name, this.rtCall('named', [this.expr(init, '')]));
      }
      const name = ts.isComputedPropertyName(node.name) ? f.updateComputedPropertyName(node.name, this.expr(node.name.expression)) : node.name;
      return f.updatePropertyAssignment(node, name, this.expr(init, key));
    }
    if (ts.isTaggedTemplateExpression(node)) return this.taggedTemplate(node);
    if (ts.isSpreadElement(node) && !inAssignmentTarget(node)) return f.updateSpreadElement(node, this.engineIterated(this.expr(node.expression)));
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isArrayLiteralExpression(node.left)) {
      return f.updateBinaryExpression(node, this.expr(node.left), node.operatorToken, this.engineIterated(this.expr(node.right)));
    }
    if (ts.isBinaryExpression(node) && NAMING_ASSIGNMENTS.has(node.operatorToken.kind) && ts.isIdentifier(node.left) && (isFunctionLike(node.right) || ts.isClassExpression(node.right))) {
      return f.updateBinaryExpression(node, this.expr(node.left), node.operatorToken, this.expr(node.right, ts.idText(node.left)));
    }
    if (ts.isBlock(node) || ts.isForStatement(node) || ts.isForInStatement(node) || ts.isForOfStatement(node) || ts.isTryStatement(node) || ts.isSwitchStatement(node) || ts.isLabeledStatement(node) || ts.isVariableStatement(node) || ts.isClassDeclaration(node)) {
      const out = this.stmt(node as ts.Statement);
      return out.length === 1 ? out[0] : f.createBlock(out, true);
    }
    if (ts.isIfStatement(node) || ts.isWhileStatement(node) || ts.isDoStatement(node)) {
      return ts.visitEachChild(node, (c) => (ts.isStatement(c) ? this.loopBody(c as ts.Statement) : this.visitor(c)), undefined as unknown as ts.TransformationContext);
    }
    return ts.visitEachChild(node, this.visitor, undefined as unknown as ts.TransformationContext);
  };

  /**
   * A call site's template object is one object for the life of the program
   * (caches key on it), so it must be the same object after a restart. The
   * site's is made once at module level, named for the checkpoint, and the
   * tagged template becomes the call it stands for:
   *   tag`a${x}b`  →  tag($tp1, x)   with   const $tp1 = $R.tpl("main.ts#tpl1", $R.tso`a${0}b`);
   */
  private taggedTemplate(node: ts.TaggedTemplateExpression): ts.Expression {
    const f = this.f;
    const name = f.createIdentifier(this.ctx.names.fresh('tp'));
    const t = node.template;
    const blank = ts.isNoSubstitutionTemplateLiteral(t) ? t : f.createTemplateExpression(t.head, t.templateSpans.map((s) => f.createTemplateSpan(f.createNumericLiteral(0), s.literal)));
    const made = f.createCallExpression(f.createPropertyAccessExpression(this.ctx.rt, 'tpl'), undefined, [
      f.createStringLiteral(`${this.ctx.moduleId}#${ts.idText(name)}`),
      f.createTaggedTemplateExpression(f.createPropertyAccessExpression(this.ctx.rt, 'tso'), undefined, blank),
    ]);
    this.out.templates.push(f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(name, undefined, undefined, made)], ts.NodeFlags.Const)));
    const values = ts.isNoSubstitutionTemplateLiteral(t) ? [] : t.templateSpans.map((s) => this.expr(s.expression));
    return f.createCallExpression(this.expr(node.tag), undefined, [name, ...values]);
  }

  /**
   * What a spread or array destructuring iterates: the engine calls a custom
   * iterator's `next()` from no call site of ours, so `$R.nsi` steps it in
   * no-save regions (arrays and other built-ins pass through unchanged).
   */
  private engineIterated(e: ts.Expression): ts.Expression {
    if (ts.isArrayLiteralExpression(e)) return e;
    return this.f.createCallExpression(this.f.createPropertyAccessExpression(this.ctx.rt, 'nsi'), undefined, [e]);
  }

  /**
   * `{ a, get v() {…}, b }` → `$R.acc({ a, v: $R.PH, b }, [["v", get, set]])`:
   * the accessors come from factories (so they can be saved), and defining
   * them over a placeholder keeps the property order of the literal.
   */
  private literalWithAccessors(node: ts.ObjectLiteralExpression, accessors: Map<string, ts.AccessorDeclaration[]>): ts.Expression {
    const f = this.f;
    const placed = new Set<string>();
    const props: ts.ObjectLiteralElementLike[] = [];
    const computed = new Map<string, ts.Identifier>();
    node.properties.forEach((p, i) => {
      const key = (ts.isGetAccessor(p) || ts.isSetAccessor(p)) ? accessorKey(p) ?? computedAccessorKey(p, i) : undefined;
      if (key === undefined || !accessors.has(key)) {
        props.push(this.visitor(p) as ts.ObjectLiteralElementLike);
      } else if (p.name !== undefined && ts.isComputedPropertyName(p.name)) {
        // `get [k]() {…}`: the key (ToPropertyKey, once, in order) kept in a
        // local of the function for $R.acc, which defines the accessor there.
        const local = f.createIdentifier(this.addLocal(this.ctx.names.fresh('ak')));
        computed.set(key, local);
        props.push(f.createPropertyAssignment(f.createComputedPropertyName(f.createAssignment(local, this.rtCall('pk', [this.expr((p.name as ts.ComputedPropertyName).expression)]))), f.createPropertyAccessExpression(this.ctx.rt, 'PH')));
      } else if (!placed.has(key)) {
        placed.add(key);
        props.push(f.createPropertyAssignment(f.createStringLiteral(key), f.createPropertyAccessExpression(this.ctx.rt, 'PH')));
      }
    });
    const defs = [...accessors].map(([key, list]) => {
      const local = computed.get(key);
      const fn = (get: boolean) => {
        const a = list.find((x) => ts.isGetAccessor(x) === get);
        return a ? this.nestedFunction(a, local ? '' : key) : f.createVoidZero();
      };
      return f.createArrayLiteralExpression(local ? [local, fn(true), fn(false), f.createTrue()] : [f.createStringLiteral(key), fn(true), fn(false)]);
    });
    return f.createCallExpression(f.createPropertyAccessExpression(this.ctx.rt, 'acc'), undefined, [f.createObjectLiteralExpression(props, node.properties.hasTrailingComma || props.length > 1), f.createArrayLiteralExpression(defs)]);
  }

  /** A binding pattern (of a declaration) as an assignment target for the same bindings. */
  private patternToTarget(name: ts.BindingName): ts.Expression {
    const f = this.f;
    if (ts.isIdentifier(name)) return this.identifierTarget(name);
    if (ts.isObjectBindingPattern(name)) {
      return f.createObjectLiteralExpression(
        name.elements.map((el) => {
          const target = this.patternToTarget(el.name);
          const value = el.initializer ? f.createAssignment(target, this.expr(el.initializer, namedBy(el.name))) : target;
          if (el.dotDotDotToken) return f.createSpreadAssignment(target);
          const key = el.propertyName ?? (el.name as ts.Identifier);
          const keyNode = ts.isComputedPropertyName(key) ? f.createComputedPropertyName(this.expr(key.expression)) : ts.isIdentifier(key) ? f.createIdentifier(ts.idText(key)) : key;
          return f.createPropertyAssignment(keyNode as ts.PropertyName, value);
        }),
      );
    }
    return f.createArrayLiteralExpression(
      name.elements.map((el) => {
        if (ts.isOmittedExpression(el)) return f.createOmittedExpression();
        const target = this.patternToTarget(el.name);
        if (el.dotDotDotToken) return f.createSpreadElement(target);
        return el.initializer ? f.createAssignment(target, this.expr(el.initializer, namedBy(el.name))) : target;
      }),
    );
  }
}

// ---- helpers ------------------------------------------------------------------------

function collectNames(name: ts.BindingName, out: string[]): void {
  if (ts.isIdentifier(name)) out.push(ts.idText(name));
  else for (const el of name.elements) if (!ts.isOmittedExpression(el)) collectNames(el.name, out);
}

export function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return (ts.canHaveModifiers(node) && ts.getModifiers(node)?.some((m) => m.kind === kind)) ?? false;
}

/**
 * A class's private fields, made readable to the runtime without being
 * visible to the program: a static block that hands the runtime a reader and
 * a writer of them (they can only be written inside the class), for instance
 * fields and then, if any, for static ones:
 *   static { $R.priv(this, (o) => #a in o ? [o.#a, o.#b] : void 0, (o, v) => { o.#a = v[0]; o.#b = v[1]; }, () => [this.#s], (v) => { this.#s = v[0]; }); }
 * A class with private methods or accessors and no instance fields hands a
 * brand check (`(o) => #m in o ? [] : void 0`) and a writer that does nothing.
 */
function privateStateBlock(f: ts.NodeFactory, rt: ts.Identifier, node: ts.ClassLikeDeclaration): ts.ClassStaticBlockDeclaration | undefined {
  const fields = node.members.filter((m): m is ts.PropertyDeclaration => ts.isPropertyDeclaration(m) && ts.isPrivateIdentifier(m.name) && !hasModifier(m, ts.SyntaxKind.AccessorKeyword));
  const names = fields.filter((m) => !hasModifier(m, ts.SyntaxKind.StaticKeyword)).map((m) => (m.name as ts.PrivateIdentifier).text);
  const statics = fields.filter((m) => hasModifier(m, ts.SyntaxKind.StaticKeyword)).map((m) => (m.name as ts.PrivateIdentifier).text);
  // Private methods and accessors carry no state, but an object has them (its
  // brand) only if its class constructed it: an object of a class with only
  // those is saved with empty hidden state, so a restore constructs it too.
  const branded = node.members.find((m) => (ts.isMethodDeclaration(m) || ts.isGetAccessor(m) || ts.isSetAccessor(m)) && ts.isPrivateIdentifier(m.name) && !hasModifier(m, ts.SyntaxKind.StaticKeyword));
  if (names.length === 0 && statics.length === 0 && branded === undefined) return undefined;
  const o = f.createIdentifier('o');
  const v = f.createIdentifier('v');
  const staticArgs: ts.Expression[] = [];
  if (statics.length > 0) {
    // Static private fields: read and written on the class itself (`this` of the block).
    const sfield = (n: string) => f.createPropertyAccessExpression(f.createThis(), f.createPrivateIdentifier(n));
    staticArgs.push(
      f.createArrowFunction(undefined, undefined, [], undefined, undefined, f.createArrayLiteralExpression(statics.map(sfield))),
      f.createArrowFunction(undefined, undefined, [f.createParameterDeclaration(undefined, undefined, v)], undefined, undefined, f.createBlock(statics.map((n, i) => f.createExpressionStatement(f.createAssignment(sfield(n), f.createElementAccessExpression(v, i)))), true)),
    );
  }
  const instanceArgs: ts.Expression[] = [f.createVoidZero(), f.createVoidZero()];
  if (names.length > 0) {
    const field = (n: string) => f.createPropertyAccessExpression(o, f.createPrivateIdentifier(n));
    instanceArgs[0] = f.createArrowFunction(undefined, undefined, [f.createParameterDeclaration(undefined, undefined, o)], undefined, undefined,
      f.createConditionalExpression(f.createBinaryExpression(f.createPrivateIdentifier(names[0]), ts.SyntaxKind.InKeyword, o), undefined, f.createArrayLiteralExpression(names.map(field)), undefined, f.createVoidZero()));
    instanceArgs[1] = f.createArrowFunction(undefined, undefined, [f.createParameterDeclaration(undefined, undefined, o), f.createParameterDeclaration(undefined, undefined, v)], undefined, undefined,
      f.createBlock(names.map((n, i) => f.createExpressionStatement(f.createAssignment(field(n), f.createElementAccessExpression(v, i)))), true));
  } else if (branded !== undefined) {
    const brand = (branded.name as ts.PrivateIdentifier).text;
    instanceArgs[0] = f.createArrowFunction(undefined, undefined, [f.createParameterDeclaration(undefined, undefined, o)], undefined, undefined,
      f.createConditionalExpression(f.createBinaryExpression(f.createPrivateIdentifier(brand), ts.SyntaxKind.InKeyword, o), undefined, f.createArrayLiteralExpression([]), undefined, f.createVoidZero()));
    instanceArgs[1] = f.createArrowFunction(undefined, undefined, [], undefined, undefined, f.createBlock([], false));
  }
  return f.createClassStaticBlockDeclaration(f.createBlock([f.createExpressionStatement(f.createCallExpression(f.createPropertyAccessExpression(rt, 'priv'), undefined, [f.createThis(), ...instanceArgs, ...staticArgs]))], true));
}

function isCollectionIteratorCall(node: ts.Node): node is ts.CallExpression {
  if (!ts.isCallExpression(node) || node.questionDotToken) return false;
  const callee = node.expression;
  if (callee.kind === ts.SyntaxKind.SuperKeyword || (ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee)) && (callee.questionDotToken || callee.expression.kind === ts.SyntaxKind.SuperKeyword)) return false;
  if (ts.isElementAccessExpression(callee)) {
    // `o[Symbol.iterator]()`
    const key = callee.argumentExpression;
    return node.arguments.length === 0 && ts.isPropertyAccessExpression(key) && ts.isIdentifier(key.expression) && key.expression.text === 'Symbol' && key.name.text === 'iterator';
  }
  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.name)) return false;
  if (callee.name.text === 'matchAll') return node.arguments.length === 1 && !ts.isSpreadElement(node.arguments[0]);
  return node.arguments.length === 0 && ['entries', 'values', 'keys'].includes(callee.name.text);
}

function accessorKey(p: ts.AccessorDeclaration): string | undefined {
  return ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) || ts.isNumericLiteral(p.name) ? p.name.text : undefined;
}

/** A stand-in key for the accessor under a computed key at `index` of its literal: each is one of its own (savableAccessors). */
function computedAccessorKey(p: ts.AccessorDeclaration, index: number): string | undefined {
  return ts.isComputedPropertyName(p.name) ? `\0computed ${index}` : undefined;
}

/**
 * The accessors of an object literal we can make savable, by key: plain keys
 * and no `super`. Whatever follows them in the literal (a spread, a computed
 * key) may still replace them: `$R.acc` defines an accessor only where its
 * placeholder survived, as the literal itself would have.
 */
function savableAccessors(node: ts.ObjectLiteralExpression): Map<string, ts.AccessorDeclaration[]> {
  const byKey = new Map<string, ts.AccessorDeclaration[]>();
  // A key with one native half keeps both native: the pair is one property,
  // and defining the savable half over the placeholder would drop the other.
  const native = new Set<string>();
  node.properties.forEach((p, i) => {
    if (!ts.isGetAccessor(p) && !ts.isSetAccessor(p)) return;
    const key = accessorKey(p) ?? computedAccessorKey(p, i);
    if (key === undefined) return;
    // (`super` read through the home object: super-homes.ts literalSuperReadable)
    if (usesSuper(p) && !literalSuperReadable(p)) native.add(key);
    const list = byKey.get(key) ?? [];
    list.push(p);
    byKey.set(key, list);
  });
  for (const key of native) byKey.delete(key);
  return byKey;
}

function propertyKeyText(name: ts.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) ? name.text : undefined;
}

/** A function declaration moved into an expression position becomes a function expression. */
function asExpression(f: ts.NodeFactory, node: ts.Node): ts.Expression {
  if (!ts.isFunctionDeclaration(node)) return node as ts.Expression;
  return f.createFunctionExpression(ts.getModifiers(node)?.filter((m) => m.kind === ts.SyntaxKind.AsyncKeyword) as ts.Modifier[] | undefined, node.asteriskToken, node.name, undefined, node.parameters, undefined, node.body!);
}

/**
 * A function the engine calls from property accesses rather than from a call
 * site: `get`/`set` of a descriptor literal given to Object.defineProperty,
 * Reflect.defineProperty, Object.defineProperties or Object.create, and the
 * traps of a handler literal given to `new Proxy`. It runs as a no-save region.
 */
/** A function given as the value of a `toString`/`valueOf` property (`{ toString: () => … }`, a class field): the engine calls it too. */
function isImplicitlyCalledValue(fn: ts.Node): boolean {
  // the value as written, parentheses and type assertions around it included
  let value = ts.getOriginalNode(fn);
  while (value.parent && (ts.isParenthesizedExpression(value.parent) || ts.isAsExpression(value.parent) || ts.isSatisfiesExpression(value.parent) || ts.isTypeAssertionExpression(value.parent))) value = value.parent;
  const p = value.parent;
  // `Money.prototype.toString = function () {…}`, `o[Symbol.toPrimitive] = f`: the ES5 way to write one.
  if (p && ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && p.right === value) {
    if (ts.isPropertyAccessExpression(p.left)) return IMPLICITLY_CALLED.has(ts.idText(p.left.name));
    return ts.isElementAccessExpression(p.left) && isImplicitlyCalledKey(p.left.argumentExpression);
  }
  if (!p || !(ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p)) || p.initializer !== value) return false;
  if (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) return IMPLICITLY_CALLED.has(p.name.text);
  return ts.isComputedPropertyName(p.name) && isImplicitlyCalledKey(p.name.expression);
}

/** `"toString"`, or `Symbol.toPrimitive`, as a computed key. */
function isImplicitlyCalledKey(key: ts.Expression): boolean {
  if (ts.isStringLiteralLike(key)) return IMPLICITLY_CALLED.has(key.text);
  return ts.isPropertyAccessExpression(key) && ts.isIdentifier(key.expression) && key.expression.text === 'Symbol' && IMPLICITLY_CALLED.has(`[Symbol.${ts.idText(key.name)}]`);
}

function calledByTheEngine(fn: ts.Node): boolean {
  // Earlier passes may have rebuilt the tree around it: ask the parsed one.
  const node = ts.getOriginalNode(fn);
  let holder: ts.Node | undefined;
  let key: string | undefined;
  if (ts.isMethodDeclaration(node) && node.parent && ts.isObjectLiteralExpression(node.parent)) {
    holder = node.parent;
    key = ts.isIdentifier(node.name) || ts.isStringLiteral(node.name) ? node.name.text : undefined;
  } else if (node.parent && ts.isPropertyAssignment(node.parent) && node.parent.initializer === node && ts.isObjectLiteralExpression(node.parent.parent)) {
    holder = node.parent.parent;
    key = ts.isIdentifier(node.parent.name) || ts.isStringLiteral(node.parent.name) ? node.parent.name.text : undefined;
  }
  if (holder === undefined) return false;
  const use = holder.parent;
  // `new Proxy(…)`, which pass 0b made `new $R.Proxy(…)`.
  const proxyName = use && ts.isNewExpression(use) ? (ts.isIdentifier(use.expression) ? use.expression.text : ts.isPropertyAccessExpression(use.expression) && ts.isIdentifier(use.expression.name) ? use.expression.name.text : undefined) : undefined;
  if (proxyName === 'Proxy' && (use as ts.NewExpression).arguments?.[1] === holder) return true;
  if (key !== 'get' && key !== 'set') return false;
  const isCallOf = (call: ts.Node | undefined, names: string[], arg: number, of: ts.Node): boolean => {
    if (!call || !ts.isCallExpression(call) || call.arguments[arg] !== of) return false;
    const callee = call.expression;
    return ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && names.includes(`${callee.expression.text}.${callee.name.text}`);
  };
  if (isCallOf(use, ['Object.defineProperty', 'Reflect.defineProperty'], 2, holder)) return true;
  // An object that can only be a property descriptor or an accessor
  // decorator's result (`return { get() { … } }`), wherever it goes.
  if (looksLikeDescriptor(holder as ts.ObjectLiteralExpression)) return true;
  // Object.defineProperties(o, { k: { get … } }), Object.create(p, { k: { get … } })
  const entry = use && ts.isPropertyAssignment(use) ? use.parent : undefined;
  return entry !== undefined && ts.isObjectLiteralExpression(entry) && isCallOf(entry.parent, ['Object.defineProperties', 'Object.create'], 1, entry);
}

const DESCRIPTOR_KEYS = new Set(['get', 'set', 'init', 'enumerable', 'configurable']);

function looksLikeDescriptor(o: ts.ObjectLiteralExpression): boolean {
  return o.properties.every((p) => p.name !== undefined && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && DESCRIPTOR_KEYS.has(p.name.text));
}

/** Whether a spread element is the rest target of a destructuring assignment (`[a, ...rest] = xs`), not a spread. */
function inAssignmentTarget(spread: ts.Node): boolean {
  const node = ts.getOriginalNode(spread);
  let child = node;
  for (let p = node.parent; p !== undefined; child = p, p = p.parent) {
    if (ts.isBinaryExpression(p)) return p.operatorToken.kind === ts.SyntaxKind.EqualsToken && p.left === child;
    if ((ts.isForOfStatement(p) || ts.isForInStatement(p)) && p.initializer === child) return true;
    if (!(ts.isArrayLiteralExpression(p) || ts.isObjectLiteralExpression(p) || ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p) || ts.isSpreadElement(p) || ts.isSpreadAssignment(p) || ts.isParenthesizedExpression(p))) return false;
  }
  return false;
}

/** Assignments whose anonymous function or class on the right is named after the identifier on the left (NamedEvaluation). */
const NAMING_ASSIGNMENTS = new Set([ts.SyntaxKind.EqualsToken, ts.SyntaxKind.QuestionQuestionEqualsToken, ts.SyntaxKind.BarBarEqualsToken, ts.SyntaxKind.AmpersandAmpersandEqualsToken]);

/** The name a default value's anonymous function or class gets from its binding: the identifier's, else none. */
function namedBy(name: ts.BindingName): string {
  return ts.isIdentifier(name) ? ts.idText(name) : '';
}

/** The expression inside parentheses and type assertions. */
function unwrapped(node: ts.Expression): ts.Expression {
  let e = node;
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isTypeAssertionExpression(e) || ts.isNonNullExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
  return e;
}

/** An anonymous function or class expression: one that takes its name from where it is defined. */
function isAnonymousDefinition(e: ts.Expression): boolean {
  return ts.isArrowFunction(e) || ((ts.isFunctionExpression(e) || ts.isClassExpression(e)) && writtenName(e) === undefined);
}

/**
 * The name a field's anonymous function or class initializer gets (`handler =
 * () => …` is "handler", `#h = …` "#h"); none for a computed key, whose
 * value only the running program knows.
 */
function fieldNameOf(m: ts.PropertyDeclaration): string {
  if (!m.initializer || !(isFunctionLike(m.initializer) || ts.isClassExpression(m.initializer))) return '';
  const n = m.name;
  return ts.isIdentifier(n) || ts.isPrivateIdentifier(n) ? ts.idText(n) : ts.isStringLiteral(n) || ts.isNumericLiteral(n) ? n.text : '';
}

/** Whether a field's initializer is a function or class that takes its name from the field (NamedEvaluation). */
function definesAnonymous(init: ts.Expression): boolean {
  const e = unwrapped(init);
  return (ts.isArrowFunction(e) || ts.isFunctionExpression(e) || ts.isClassExpression(e)) && writtenName(e) === undefined;
}

function inferName(node: ts.FunctionLikeDeclaration | ts.ClassExpression): string {
  const name = writtenName(node);
  return name ? ts.idText(name as ts.Identifier) : '';
}

function updateFunctionLike(f: ts.NodeFactory, node: ts.FunctionLikeDeclaration, params: ts.ParameterDeclaration[], body: ts.Block, key?: ts.PropertyName): ts.Node {
  const mods = ts.canHaveModifiers(node) ? ts.getModifiers(node) : undefined;
  const name = (key ?? node.name) as ts.PropertyName;
  switch (node.kind) {
    case ts.SyntaxKind.FunctionDeclaration:
      return f.updateFunctionDeclaration(node, mods, node.asteriskToken, node.name, undefined, params, undefined, body);
    case ts.SyntaxKind.FunctionExpression:
      return f.updateFunctionExpression(node, mods, node.asteriskToken, node.name, undefined, params, undefined, body);
    case ts.SyntaxKind.ArrowFunction:
      return f.updateArrowFunction(node, mods, undefined, params, undefined, node.equalsGreaterThanToken, body);
    case ts.SyntaxKind.MethodDeclaration:
      return f.updateMethodDeclaration(node, mods, node.asteriskToken, name, node.questionToken, undefined, params, undefined, body);
    case ts.SyntaxKind.Constructor:
      return f.updateConstructorDeclaration(node, mods, params, body);
    case ts.SyntaxKind.GetAccessor:
      return f.updateGetAccessorDeclaration(node, mods, name, params, undefined, body);
    case ts.SyntaxKind.SetAccessor:
      return f.updateSetAccessorDeclaration(node, mods, name, params, body);
    default:
      throw new Error(`internal: unexpected function kind ${ts.SyntaxKind[(node as ts.Node).kind]}`);
  }
}

/** In generators/async functions: `f(x)` → `$R.nx(++$R.ns, f(x))`, a no-save region per call. */
/** `await` (or `for await`; only that with `forAwaitOnly`) in the module's own statements, outside any function. */
function hasTopLevelAwait(sf: ts.SourceFile, forAwaitOnly = false): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    // (A class's computed keys and heritage are the module's; its bodies are not.)
    if (isFunctionLike(n)) {
      const key = computedKeyOf(n);
      if (key) visit(key);
      return;
    }
    if ((!forAwaitOnly && ts.isAwaitExpression(n)) || (ts.isForOfStatement(n) && n.awaitModifier)) found = true;
    else ts.forEachChild(n, visit);
  };
  for (const s of sf.statements) visit(s);
  return found;
}

/** The module body's own `await x` become `yield x` (functions keep theirs; a member's computed key and a class's heritage are the module's). */
function ownAwaitsToYields(f: ts.NodeFactory, s: ts.Statement): ts.Statement {
  const visit = (n: ts.Node): ts.Node => {
    if (isFunctionLike(n)) {
      const key = computedKeyOf(n);
      return key ? ts.visitEachChild(n, (c) => (c === key ? visit(c) : c), undefined as unknown as ts.TransformationContext) : n;
    }
    const v = ts.visitEachChild(n, visit, undefined as unknown as ts.TransformationContext);
    return ts.isAwaitExpression(v) ? f.createYieldExpression(undefined, v.expression) : v;
  };
  return visit(s) as ts.Statement;
}

function markCallsNoSave(f: ts.NodeFactory, rt: ts.Identifier, s: ts.Statement): ts.Statement {
  const visit = (n: ts.Node): ts.Node => {
    if (isFunctionLike(n) || ts.isClassLike(n)) return n;
    const v = ts.visitEachChild(n, visit, undefined as unknown as ts.TransformationContext);
    if ((ts.isCallExpression(v) && v.expression.kind !== ts.SyntaxKind.SuperKeyword) || ts.isNewExpression(v)) {
      return f.createCallExpression(f.createPropertyAccessExpression(rt, 'nx'), undefined, [f.createPrefixIncrement(f.createPropertyAccessExpression(rt, 'ns')), v as ts.Expression]);
    }
    return v;
  };
  return visit(s) as ts.Statement;
}

function isVoidZero(e: ts.Expression): boolean {
  return ts.isVoidExpression(e) && ts.isNumericLiteral(e.expression) && e.expression.text === '0';
}

/**
 * A literal's key for an own property named `name`: `"__proto__": v` would
 * set the prototype instead (a method named `__proto__` is an own property),
 * so that one key is computed.
 */
function ownKey(f: ts.NodeFactory, name: string): ts.PropertyName {
  return name === '__proto__' ? f.createComputedPropertyName(f.createStringLiteral(name)) : f.createStringLiteral(name);
}

/** The local names of `import … from './x'` (a module of the program, not a package or the platform's). */
function programImports(sf: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier) || st.importClause === undefined || st.importClause.isTypeOnly) continue;
    const specifier = st.moduleSpecifier.text;
    if (!specifier.startsWith('.') && !specifier.startsWith('/')) continue;
    const clause = st.importClause;
    if (clause.name) names.add(ts.idText(clause.name));
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) names.add(ts.idText(bindings.name));
    if (bindings && ts.isNamedImports(bindings)) for (const el of bindings.elements) if (!el.isTypeOnly) names.add(ts.idText(el.name));
  }
  return names;
}

/** `body` with each use of `self` (a frame's function) made `(self ??= make)`: the closure is made the first time a frame needs it. */
function selfMadeWhereUsed(body: ts.Block, self: ts.Identifier, make: ts.Expression): ts.Block {
  const f = ts.factory;
  const visit = (n: ts.Node): ts.Node => {
    if (n === self) return f.createParenthesizedExpression(f.createBinaryExpression(f.createIdentifier(ts.idText(self)), ts.SyntaxKind.QuestionQuestionEqualsToken, make));
    return ts.visitEachChild(n, visit, undefined as unknown as ts.TransformationContext);
  };
  return visit(body) as ts.Block;
}

/** Whether a function or class is written somewhere inside `node` (it may close over bindings there). */
function containsFunction(node: ts.Node): boolean {
  return ts.forEachChild(node, (n) => isFunctionLike(n) || ts.isClassLike(n) || containsFunction(n)) === true;
}

