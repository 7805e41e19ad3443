// Pass 1 — scope analysis. Takes a JavaScript source file (TypeScript's
// output, types already erased) and builds side tables, never touching the
// AST: every scope, every binding in it, which identifier refers to which
// binding, and which bindings are captured by a function other than the one
// that declares them. Later passes only read these tables.
//
//   function f(a) { let x = 1; return () => a + x; }
//   → scope f: a (param, captured), x (let, captured); scope arrow: —
//
// The pseudo-bindings `this`, `arguments` and `new.target` are declared in
// every non-arrow function, so an arrow that uses them captures them like any
// other variable.

import ts = require('typescript');
import { isAssignmentOperator } from './plan.js';

export type BindingKind = 'var' | 'let' | 'const' | 'param' | 'function' | 'class' | 'catch' | 'import' | 'self' | 'this' | 'arguments' | 'newtarget';

export class Binding {
  captured = false;
  assigned = false;
  constructor(
    readonly name: string,
    readonly kind: BindingKind,
    readonly scope: Scope,
  ) {}
}

export type ScopeKind = 'module' | 'function' | 'block' | 'catch' | 'class';

export class Scope {
  readonly bindings = new Map<string, Binding>();
  /** The nearest function (or module) scope: where `var` goes, and whose frame holds these locals. */
  readonly fn: Scope;
  constructor(
    readonly kind: ScopeKind,
    readonly parent: Scope | undefined,
    readonly node: ts.Node,
    readonly index: number,
  ) {
    this.fn = kind === 'function' || kind === 'module' || parent === undefined ? this : parent.fn;
  }

  lookup(name: string): Binding | undefined {
    for (let s: Scope | undefined = this; s; s = s.parent) {
      const b = s.bindings.get(name);
      if (b) return b;
    }
    return undefined;
  }

  declare(name: string, kind: BindingKind): Binding {
    let b = this.bindings.get(name);
    if (!b) {
      b = new Binding(name, kind, this);
      this.bindings.set(name, b);
    }
    return b;
  }

  get capturedBindings(): Binding[] {
    return [...this.bindings.values()].filter((b) => b.captured);
  }
}

export interface Analysis {
  scopes: Scope[];
  module: Scope;
  /** Scope created by a node (function-like, block, for, catch clause, class). */
  scopeOf: Map<ts.Node, Scope>;
  /** Every identifier that refers to a binding (declarations included). */
  refs: Map<ts.Identifier, Binding>;
  /** `this` keywords / `arguments` identifiers / `new.target` inside arrows resolve here too. */
  pseudoRefs: Map<ts.Node, Binding>;
  /**
   * Sloppy-mode function declarations in blocks (Annex B.3.3): the `var` of
   * the same name in the enclosing function, assigned the block's function
   * where its declaration stands.
   */
  annexB: Map<ts.FunctionDeclaration, Binding>;
  /** `this` keywords and `arguments` identifiers of the module's own top level (arrows there included). */
  moduleThisArgs: Set<ts.Node>;
}

/** A "use strict" directive opens these statements. */
function hasUseStrict(statements: readonly ts.Statement[]): boolean {
  for (const st of statements) {
    if (!ts.isExpressionStatement(st) || !ts.isStringLiteral(st.expression)) return false;
    if (st.expression.text === 'use strict') return true;
  }
  return false;
}

/**
 * `super` in the function itself or in its arrows (not in nested functions,
 * nor in a nested class's members: their `super` is the class's, even in a
 * field initializer's arrow or a static block; the class's `extends` clause
 * and computed keys are evaluated in the function, so theirs count).
 */
export function usesSuper(fn: ts.Node): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (n.kind === ts.SyntaxKind.SuperKeyword) found = true;
    else if (n !== fn && ts.isClassLike(n)) {
      for (const h of n.heritageClauses ?? []) visit(h);
      for (const m of n.members) if (m.name !== undefined && ts.isComputedPropertyName(m.name)) visit(m.name);
    } else if (!(isFunctionLike(n) && !ts.isArrowFunction(n)) || n === fn) ts.forEachChild(n, visit);
  };
  visit(fn);
  return found;
}

/**
 * A `#name` inside (nested functions included) that a class around `node`
 * declares: the code only works inside that class. The `#names` of a class
 * inside `node` do not count (the class carries them wherever it is made).
 */
export function usesPrivateNames(node: ts.Node): boolean {
  let found = false;
  const inner: Set<string>[] = [];
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isPrivateIdentifier(n)) {
      if (!inner.some((names) => names.has(n.text))) found = true;
    } else if (ts.isClassLike(n) && n !== node) {
      const names = new Set<string>();
      for (const m of n.members) if (m.name && ts.isPrivateIdentifier(m.name)) names.add(m.name.text);
      inner.push(names);
      ts.forEachChild(n, visit);
      inner.pop();
    } else ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

export function isFunctionLike(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node)
  );
}

/**
 * A method's or accessor's computed key (`[await k()]() {}`, `get [yield]()`
 * in a class or literal): evaluated where the member is defined, so its
 * awaits and yields are the enclosing function's, though its body is not.
 */
export function computedKeyOf(n: ts.FunctionLikeDeclaration): ts.ComputedPropertyName | undefined {
  return n.name !== undefined && ts.isComputedPropertyName(n.name) ? n.name : undefined;
}

/**
 * `sloppy`: the file is a script or CommonJS module with no "use strict"
 * (ES modules are strict); functions with their own directive and classes
 * are strict inside it all the same.
 */
export function analyze(sf: ts.SourceFile, sloppy = false): Analysis {
  const scopes: Scope[] = [];
  const scopeOf = new Map<ts.Node, Scope>();
  const refs = new Map<ts.Identifier, Binding>();
  const pseudoRefs = new Map<ts.Node, Binding>();
  const annexB = new Map<ts.FunctionDeclaration, Binding>();
  const moduleThisArgs = new Set<ts.Node>();
  const newScope = (kind: ScopeKind, parent: Scope | undefined, node: ts.Node) => {
    const s = new Scope(kind, parent, node, scopes.length);
    scopes.push(s);
    scopeOf.set(node, s);
    return s;
  };
  const module = newScope('module', undefined, sf);

  // ---- declarations -------------------------------------------------------
  const declarePattern = (name: ts.BindingName, scope: Scope, kind: BindingKind) => {
    if (ts.isIdentifier(name)) {
      refs.set(name, scope.declare(ts.idText(name), kind));
      return;
    }
    for (const el of name.elements) if (!ts.isOmittedExpression(el)) declarePattern(el.name, scope, kind);
  };

  // `var` declarations and (in function bodies) nothing else hoist to the function scope.
  const hoistVars = (node: ts.Node, fnScope: Scope) => {
    const visit = (n: ts.Node): void => {
      if (isFunctionLike(n) || ts.isClassLike(n)) return;
      if (ts.isVariableDeclarationList(n) && !(n.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const | ts.NodeFlags.Using))) {
        for (const d of n.declarations) declarePattern(d.name, fnScope, 'var');
      }
      ts.forEachChild(n, visit);
    };
    ts.forEachChild(node, visit);
  };

  // Annex B.3.3: in sloppy code, a function declared in a block is also a
  // `var` of the function (or script) around it, unless a `let`, `const` or
  // class of that name between them, or a parameter, would clash.
  // (Transformed nodes have no parents: strictness and ancestors are tracked here.)
  const strictScopes = new Set<Scope>();
  if (!sloppy || hasUseStrict(sf.statements)) strictScopes.add(module);
  const isStrict = (scope: Scope): boolean => {
    for (let s: Scope | undefined = scope; s; s = s.parent) if (s.kind === 'class' || strictScopes.has(s)) return true;
    return false;
  };
  const lexicallyDeclares = (n: ts.Node, name: string, except: ts.Node): boolean => {
    const statements = ts.isBlock(n) ? n.statements : ts.isCaseBlock(n) ? n.clauses.flatMap((c) => [...c.statements]) : [];
    for (const st of statements) {
      if (st === except) continue;
      if (ts.isClassDeclaration(st) && st.name && ts.idText(st.name) === name) return true;
      if (ts.isVariableStatement(st) && st.declarationList.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const | ts.NodeFlags.Using) && st.declarationList.declarations.some((d) => bindsName(d.name, name))) return true;
    }
    if ((ts.isForStatement(n) || ts.isForInStatement(n) || ts.isForOfStatement(n)) && n.initializer && ts.isVariableDeclarationList(n.initializer) && n.initializer.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const | ts.NodeFlags.Using)) {
      return n.initializer.declarations.some((d) => bindsName(d.name, name));
    }
    return false;
  };
  const hoistBlockFunctions = (body: ts.Node, fnScope: Scope) => {
    if (isStrict(fnScope)) return;
    const ancestors: ts.Node[] = [];
    const visit = (n: ts.Node): void => {
      if (ts.isFunctionDeclaration(n) && n.name && n.body && ancestors.length > 0) {
        const name = ts.idText(n.name);
        const clash = ancestors.some((a) => lexicallyDeclares(a, name, n));
        const existing = fnScope.bindings.get(name);
        if (!clash && (existing === undefined || existing.kind === 'var')) annexB.set(n, existing ?? fnScope.declare(name, 'var'));
      }
      if (isFunctionLike(n) || ts.isClassLike(n)) return;
      ancestors.push(n);
      ts.forEachChild(n, visit);
      ancestors.pop();
    };
    ts.forEachChild(body, visit);
  };

  const declareLexical = (statements: readonly ts.Statement[], scope: Scope) => {
    for (const st of statements) {
      if (ts.isVariableStatement(st) && st.declarationList.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const)) {
        const kind = st.declarationList.flags & ts.NodeFlags.Const ? 'const' : 'let';
        for (const d of st.declarationList.declarations) declarePattern(d.name, scope, kind);
      } else if (ts.isFunctionDeclaration(st) && st.name) {
        refs.set(st.name, scope.declare(ts.idText(st.name), 'function'));
      } else if (ts.isClassDeclaration(st) && st.name) {
        refs.set(st.name, scope.declare(ts.idText(st.name), 'class'));
      } else if (ts.isImportDeclaration(st) && st.importClause) {
        const c = st.importClause;
        if (c.name) refs.set(c.name, scope.declare(ts.idText(c.name), 'import'));
        const nb = c.namedBindings;
        if (nb && ts.isNamespaceImport(nb)) refs.set(nb.name, scope.declare(ts.idText(nb.name), 'import'));
        if (nb && ts.isNamedImports(nb)) for (const el of nb.elements) refs.set(el.name, scope.declare(ts.idText(el.name), 'import'));
      } else if (ts.isImportEqualsDeclaration(st)) {
        refs.set(st.name, scope.declare(ts.idText(st.name), 'import'));
      }
    }
  };

  // ---- references ---------------------------------------------------------
  // Function scopes whose parameter list is being visited. A parameter
  // list has a scope of its own (ECMA-262 FunctionDeclarationInstantiation,
  // with parameter expressions): a default sees the parameters and the
  // function's own name, not what the body declares (`function f(a = x) {
  // var x }` reads the outer x).
  const inParameters = new Set<Scope>();
  const PARAMETER_SCOPE: ReadonlySet<BindingKind> = new Set(['param', 'self', 'this', 'arguments', 'newtarget']);
  const reference = (id: ts.Identifier, scope: Scope, write: boolean) => {
    let b: Binding | undefined;
    for (let s: Scope | undefined = scope; s && !b; s = s.parent) {
      b = s.bindings.get(ts.idText(id));
      if (b && inParameters.has(s) && !PARAMETER_SCOPE.has(b.kind)) b = undefined;
    }
    if (!b) return; // a global
    refs.set(id, b);
    if (write) b.assigned = true;
    // Module-level bindings are module state, read in place by every function.
    if (b.scope.kind !== 'module' && b.scope.fn !== scope.fn) b.captured = true;
  };

  // The function whose `this`/`arguments`/`new.target` an arrow sees.
  const thisScope = (scope: Scope): Scope => {
    let s: Scope = scope.fn;
    while (s.kind === 'function' && ts.isArrowFunction(s.node)) s = s.parent!.fn;
    return s;
  };
  // A binding the program declared named `arguments`, if one is nearer than the
  // function whose own `arguments` the identifier would otherwise be (every
  // non-arrow function has one, shadowing its outer functions' pseudo-bindings).
  const declaredArguments = (scope: Scope): Binding | undefined => {
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      const b = s.bindings.get('arguments');
      if (b) return b.kind === 'arguments' ? undefined : b;
      if (s.kind === 'function' && !ts.isArrowFunction(s.node)) return undefined;
    }
    return undefined;
  };
  const pseudo = (node: ts.Node, scope: Scope, kind: 'this' | 'arguments' | 'newtarget') => {
    const owner = thisScope(scope);
    if (owner.kind === 'module') {
      if (kind !== 'newtarget') moduleThisArgs.add(node);
      return;
    }
    const b = owner.declare(kind === 'newtarget' ? 'new.target' : kind, kind);
    pseudoRefs.set(node, b);
    if (owner !== scope.fn) b.captured = true;
  };

  const isWriteTarget = (node: ts.Node, parent: ts.Node | undefined): boolean => {
    if (!parent) return false;
    if (ts.isBinaryExpression(parent) && parent.left === node && isAssignmentOperator(parent.operatorToken.kind)) return true;
    if ((ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) && (parent.operator === ts.SyntaxKind.PlusPlusToken || parent.operator === ts.SyntaxKind.MinusMinusToken)) return true;
    if ((ts.isForInStatement(parent) || ts.isForOfStatement(parent)) && parent.initializer === node) return true;
    return false;
  };

  const visit = (node: ts.Node, parent: ts.Node | undefined, scope: Scope): void => {
    if (ts.isIdentifier(node)) {
      if (parent && !isReferencePosition(node, parent)) return;
      if (ts.idText(node) === 'arguments' && !declaredArguments(scope)) {
        pseudo(node, scope, 'arguments');
        return;
      }
      if (!refs.has(node)) reference(node, scope, isWriteTarget(node, parent));
      else {
        // One identifier node in several places (TypeScript's own emit reuses
        // them, as in its decorator helpers): each place counts.
        const b = refs.get(node)!;
        if (isWriteTarget(node, parent)) b.assigned = true;
        if (b.scope.kind !== 'module' && b.scope.fn !== scope.fn) b.captured = true;
      }
      return;
    }
    if (node.kind === ts.SyntaxKind.ThisKeyword) {
      pseudo(node, scope, 'this');
      return;
    }
    if (ts.isMetaProperty(node) && node.keywordToken === ts.SyntaxKind.NewKeyword) {
      pseudo(node, scope, 'newtarget');
      return;
    }
    if (isFunctionLike(node)) {
      // Computed names and decorators belong to the enclosing scope.
      if (node.name && ts.isComputedPropertyName(node.name)) visit(node.name.expression, node.name, scope);
      const fs = newScope('function', scope, node);
      for (const p of node.parameters) declarePattern(p.name, fs, 'param');
      if (node.body && ts.isBlock(node.body)) {
        if (hasUseStrict(node.body.statements)) strictScopes.add(fs);
        hoistVars(node.body, fs);
        declareLexical(node.body.statements, fs);
        hoistBlockFunctions(node.body, fs);
      }
      // A function expression's own name is a binding outside its parameters
      // and body: a parameter, `var`, `let` or inner function of that name
      // hides it (and is an ordinary, writable variable).
      if (ts.isFunctionExpression(node) && node.name && !fs.bindings.has(ts.idText(node.name))) refs.set(node.name, fs.declare(ts.idText(node.name), 'self'));
      inParameters.add(fs);
      for (const p of node.parameters) {
        if (!ts.isIdentifier(p.name)) visitPattern(p.name, fs);
        if (p.initializer) visit(p.initializer, p, fs);
      }
      inParameters.delete(fs);
      if (node.body) {
        if (ts.isBlock(node.body)) {
          for (const st of node.body.statements) visit(st, node.body, fs);
        } else visit(node.body, node, fs);
      }
      return;
    }
    if (ts.isClassLike(node)) {
      if (node.heritageClauses) for (const h of node.heritageClauses) for (const t of h.types) visit(t.expression, t, scope);
      const cs = newScope('class', scope, node);
      if (node.name && ts.isClassExpression(node)) refs.set(node.name, cs.declare(ts.idText(node.name), 'self'));
      for (const m of node.members) visit(m, node, cs);
      return;
    }
    if (ts.isPropertyDeclaration(node) || ts.isClassStaticBlockDeclaration(node)) {
      // Initializers and static blocks behave like methods: own `this`.
      if (ts.isPropertyDeclaration(node) && ts.isComputedPropertyName(node.name)) visit(node.name.expression, node.name, scope);
      const fs = newScope('function', scope, node);
      if (ts.isPropertyDeclaration(node) && node.initializer) visit(node.initializer, node, fs);
      if (ts.isClassStaticBlockDeclaration(node)) {
        hoistVars(node.body, fs);
        declareLexical(node.body.statements, fs);
        for (const st of node.body.statements) visit(st, node.body, fs);
      }
      return;
    }
    if (ts.isSourceFile(node)) {
      hoistVars(node, module);
      declareLexical(node.statements, module);
      hoistBlockFunctions(node, module);
      for (const st of node.statements) visit(st, node, module);
      return;
    }
    if (ts.isBlock(node) || ts.isCaseBlock(node)) {
      const bs = newScope('block', scope, node);
      const statements = ts.isBlock(node) ? node.statements : node.clauses.flatMap((c) => [...c.statements]);
      declareLexical(statements, bs);
      ts.forEachChild(node, (c) => visit(c, node, bs));
      return;
    }
    if (ts.isForStatement(node) || ts.isForInStatement(node) || ts.isForOfStatement(node)) {
      const ls = newScope('block', scope, node);
      const init = node.initializer;
      if (init && ts.isVariableDeclarationList(init) && init.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const)) {
        for (const d of init.declarations) declarePattern(d.name, ls, init.flags & ts.NodeFlags.Const ? 'const' : 'let');
      }
      ts.forEachChild(node, (c) => visit(c, node, ls));
      return;
    }
    if (ts.isCatchClause(node)) {
      const cs = newScope('catch', scope, node);
      if (node.variableDeclaration) declarePattern(node.variableDeclaration.name, cs, 'catch');
      if (node.variableDeclaration && !ts.isIdentifier(node.variableDeclaration.name)) visitPattern(node.variableDeclaration.name, cs);
      visit(node.block, node, cs);
      return;
    }
    if (ts.isVariableDeclaration(node)) {
      if (!ts.isIdentifier(node.name)) visitPattern(node.name, scope);
      if (node.initializer) visit(node.initializer, node, scope);
      return;
    }
    ts.forEachChild(node, (c) => visit(c, node, scope));
  };

  // Default values and computed keys inside a binding pattern are expressions.
  const visitPattern = (pattern: ts.BindingPattern, scope: Scope) => {
    for (const el of pattern.elements) {
      if (ts.isOmittedExpression(el)) continue;
      if (el.propertyName && ts.isComputedPropertyName(el.propertyName)) visit(el.propertyName.expression, el.propertyName, scope);
      if (el.initializer) visit(el.initializer, el, scope);
      if (!ts.isIdentifier(el.name)) visitPattern(el.name, scope);
    }
  };

  visit(sf, undefined, module);
  return { scopes, module, scopeOf, refs, pseudoRefs, annexB, moduleThisArgs };
}

/** Is this identifier a variable reference (not a property name, label, or key)? */
export function isReferencePosition(id: ts.Identifier, parent: ts.Node): boolean {
  if (ts.isPropertyAccessExpression(parent) && parent.name === id) return false;
  if (ts.isQualifiedName(parent) && parent.right === id) return false;
  if ((ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent) || ts.isMethodDeclaration(parent) || ts.isGetAccessorDeclaration(parent) || ts.isSetAccessorDeclaration(parent) || ts.isPropertySignature(parent) || ts.isMethodSignature(parent) || ts.isEnumMember(parent)) && parent.name === id) return false;
  if (ts.isBindingElement(parent) && parent.propertyName === id) return false;
  if ((ts.isLabeledStatement(parent) || ts.isBreakOrContinueStatement(parent)) && parent.label === id) return false;
  if ((ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent)) && parent.propertyName === id) return false;
  if (ts.isExportSpecifier(parent) && parent.name === id && parent.propertyName) return false;
  if (ts.isMetaProperty(parent)) return false;
  if (ts.isJsxAttribute(parent)) return false;
  return true;
}

function bindsName(name: ts.BindingName, wanted: string): boolean {
  if (ts.isIdentifier(name)) return ts.idText(name) === wanted;
  return name.elements.some((el) => !ts.isOmittedExpression(el) && bindsName(el.name, wanted));
}
