// Pass 0b: the event loop's globals become the runtime's. Takes a source file
// after pass 0; gives the same file where every reference to the global
// `Promise`, `queueMicrotask`, `setTimeout`, `setInterval`, `setImmediate`
// and their clear functions (and `Proxy`, and the event classes
// `EventTarget`, `Event`, `CustomEvent`, `AbortController`, `AbortSignal`,
// `FinalizationRegistry`)
// reads the runtime's version instead (`Promise` → `$R.P`, `setTimeout` →
// `$R.setTimeout`, …; `extends` clauses included), whose promises,
// jobs and timers are data a checkpoint saves (runtime/promises.ts,
// scheduler.ts, timers.ts). Properties (`x.setTimeout`), types and a file
// that declares one of these names itself are left alone; so is
// `globalThis.setTimeout`, an explicit request for the platform's own.
// `process.nextTick` (the global `process`) becomes `$R.nextTick` likewise,
// `Reflect.construct` becomes `$R.construct` (an unwind under it is thrown),
// and calls of TypeScript's `using` and `__esDecorate` helpers the runtime's. Named imports of
// them from Node's `timers` module are the same functions, so
// they become the runtime's too (`import { setTimeout as st } from
// 'node:timers'` → `const st = $R.setTimeout`), and so do the promise
// versions of `node:timers/promises` (`$R.tp`, runtime/timer-promises.ts).

import ts = require('typescript');

const REPLACED: Record<string, string> = {
  Promise: 'P',
  queueMicrotask: 'queueMicrotask',
  setTimeout: 'setTimeout',
  setInterval: 'setInterval',
  setImmediate: 'setImmediate',
  clearTimeout: 'clearTimeout',
  clearInterval: 'clearInterval',
  clearImmediate: 'clearImmediate',
  // Not the event loop's, but a value whose parts only its maker knows (runtime/platform-values.ts).
  Proxy: 'Proxy',
  // Listeners and abort state in internal slots: the runtime's classes keep them as data (runtime/event-target.ts).
  EventTarget: 'EventTarget',
  Event: 'Event',
  CustomEvent: 'CustomEvent',
  AbortController: 'AbortController',
  AbortSignal: 'AbortSignal',
  // Registrations in internal slots too (runtime/finalization.ts).
  FinalizationRegistry: 'FinalizationRegistry',
};

/** TypeScript's `using` helpers and its decorators' (standard and legacy) → the runtime's (runtime/disposal.ts, decorators.ts). */
const TS_HELPERS: Record<string, string> = { __addDisposableResource: 'adr', __disposeResources: 'dres', __esDecorate: 'esd', __decorate: 'dec' };

export function useRuntimeEventLoop(sf: ts.SourceFile, rt: ts.Identifier, tctx: ts.TransformationContext): ts.SourceFile {
  const f = ts.factory;
  sf = timersImportsToRuntime(sf, rt);
  const declared = declaredNames(sf);
  const names = Object.keys(REPLACED).filter((n) => !declared.has(n));
  const globalProcess = !declared.has('process');
  const globalReflect = !declared.has('Reflect');
  if (names.length === 0 && !globalProcess && !globalReflect) return sf;
  const wanted = new Set(names);
  const replacement = (id: ts.Identifier) => f.createPropertyAccessExpression(rt, REPLACED[ts.idText(id)]);
  const visit = (node: ts.Node): ts.Node => {
    // `class P extends Promise`: the heritage expression is a value (ts.isTypeNode says otherwise).
    if (ts.isHeritageClause(node) && node.token === ts.SyntaxKind.ExtendsKeyword && ts.isClassLike(node.parent ?? ts.getOriginalNode(node).parent)) {
      return f.updateHeritageClause(node, node.types.map((t) => f.updateExpressionWithTypeArguments(t, ts.visitNode(t.expression, visit, ts.isExpression), t.typeArguments)));
    }
    if (ts.isTypeNode(node) || ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return node;
    // Calls of TypeScript's helpers for `using` (synthesized, so without a
    // parent to judge them by), which it prints with the platform's Promise.
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && Object.hasOwn(TS_HELPERS, ts.idText(node.expression)) && !declared.has(ts.idText(node.expression))) {
      return f.updateCallExpression(node, f.createPropertyAccessExpression(rt, TS_HELPERS[ts.idText(node.expression)]!), node.typeArguments, ts.visitNodes(node.arguments, visit, ts.isExpression));
    }
    // `process.nextTick` → `$R.nextTick`: its queue is the runtime's (scheduler.ts).
    if (globalProcess && ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && ts.idText(node.expression) === 'process'
      && ts.isIdentifier(node.name) && ts.idText(node.name) === 'nextTick' && !isAssigned(node)) {
      return f.createPropertyAccessExpression(rt, 'nextTick');
    }
    // `Reflect.construct` → `$R.construct`: with another new.target, an unwind leaves the constructor by a throw (runtime.ts `construct`).
    if (globalReflect && ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && ts.idText(node.expression) === 'Reflect'
      && ts.isIdentifier(node.name) && ts.idText(node.name) === 'construct' && !isAssigned(node)) {
      return f.createPropertyAccessExpression(rt, 'construct');
    }
    if (ts.isShorthandPropertyAssignment(node) && wanted.has(ts.idText(node.name)) && !node.objectAssignmentInitializer) {
      return f.createPropertyAssignment(node.name, replacement(node.name));
    }
    if (ts.isIdentifier(node) && wanted.has(ts.idText(node)) && isReference(node)) return replacement(node);
    return ts.visitEachChild(node, visit, tctx);
  };
  return ts.visitEachChild(sf, visit, tctx);
}

const TIMERS_MODULES = new Set(['timers', 'node:timers']);
const TIMER_PROMISES_MODULES = new Set(['timers/promises', 'node:timers/promises']);
const TIMER_PROMISES_EXPORTS = new Set(['setTimeout', 'setImmediate', 'setInterval', 'scheduler']);

/**
 * `import { setTimeout as st, clearTimeout } from 'node:timers'` → `const st = $R.setTimeout, clearTimeout = $R.clearTimeout`;
 * `import { setTimeout as delay } from 'node:timers/promises'` → `const delay = $R.tp.setTimeout`
 * (and `import * as tp` or a default import of it → `const tp = $R.tp`).
 */
function timersImportsToRuntime(sf: ts.SourceFile, rt: ts.Identifier): ts.SourceFile {
  const f = ts.factory;
  let changed = false;
  const statements = sf.statements.flatMap((st): ts.Statement[] => {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) return [st];
    const promises = TIMER_PROMISES_MODULES.has(st.moduleSpecifier.text);
    if (!promises && !TIMERS_MODULES.has(st.moduleSpecifier.text)) return [st];
    const clause = st.importClause;
    if (!clause || clause.isTypeOnly) return [st];
    const named = clause.namedBindings;
    const source = promises ? f.createPropertyAccessExpression(rt, 'tp') : rt;
    const importedName = (e: ts.ImportSpecifier) => ts.idText(e.propertyName && ts.isIdentifier(e.propertyName) ? e.propertyName : e.name);
    const isOurs = (e: ts.ImportSpecifier) => !e.isTypeOnly && (promises ? TIMER_PROMISES_EXPORTS.has(importedName(e)) : importedName(e) !== 'Promise' && Object.hasOwn(REPLACED, importedName(e)));
    const ours = named && ts.isNamedImports(named) ? named.elements.filter(isOurs) : [];
    const wholeModule = promises ? [clause.name, named && ts.isNamespaceImport(named) ? named.name : undefined].filter((n) => n !== undefined) : [];
    if (ours.length === 0 && wholeModule.length === 0) return [st];
    changed = true;
    const declarations = [
      ...wholeModule.map((name) => f.createVariableDeclaration(f.createIdentifier(ts.idText(name)), undefined, undefined, source)),
      ...ours.map((e) => {
        const member = promises ? importedName(e) : REPLACED[importedName(e)];
        return f.createVariableDeclaration(f.createIdentifier(ts.idText(e.name)), undefined, undefined, f.createPropertyAccessExpression(source, member));
      }),
    ];
    const decl = f.createVariableStatement(undefined, f.createVariableDeclarationList(declarations, ts.NodeFlags.Const));
    const rest = named && ts.isNamedImports(named) ? named.elements.filter((e) => !ours.includes(e)) : [];
    const keptDefault = promises ? undefined : clause.name;
    const kept = rest.length > 0 || keptDefault ? [f.updateImportDeclaration(st, st.modifiers, f.updateImportClause(clause, false, keptDefault, rest.length > 0 ? f.updateNamedImports(named as ts.NamedImports, rest) : undefined), st.moduleSpecifier, st.attributes)] : [];
    return [...kept, decl];
  });
  return changed ? f.updateSourceFile(sf, statements) : sf;
}

/** `e = …` (a synthesized `e` is judged by the parsed node it comes from). */
export function isAssigned(e: ts.Expression): boolean {
  const original = ts.getOriginalNode(e);
  const p = e.parent ?? original.parent;
  return p !== undefined && ts.isBinaryExpression(p) && (p.left === e || p.left === original) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken;
}

/** An identifier in a position that reads a variable (not a property name, label or declaration). */
function isReference(id: ts.Identifier): boolean {
  // Synthesized nodes have no parent: the parsed node they come from tells; one of ours (`$R.setTimeout`) has none.
  const p = id.parent ?? ts.getOriginalNode(id).parent;
  if (!p) return false;
  if (ts.isPropertyAccessExpression(p) && p.name === id) return false;
  if (ts.isQualifiedName(p) && p.right === id) return false;
  if ((ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isGetAccessorDeclaration(p) || ts.isSetAccessorDeclaration(p) || ts.isEnumMember(p) || ts.isPropertySignature(p)) && p.name === id) return false;
  if (ts.isBindingElement(p) && p.propertyName === id) return false;
  if ((ts.isLabeledStatement(p) || ts.isBreakOrContinueStatement(p)) && p.label === id) return false;
  if (ts.isMetaProperty(p)) return false;
  return true;
}

/** Every name the file binds anywhere (a file that declares `setTimeout` means its own); without its imports' names if `imports` is false. */
export function declaredNames(sf: ts.SourceFile, imports = true): Set<string> {
  const out = new Set<string>();
  const addBinding = (name: ts.BindingName | undefined): void => {
    if (!name) return;
    if (ts.isIdentifier(name)) out.add(ts.idText(name));
    else for (const e of name.elements) if (!ts.isOmittedExpression(e)) addBinding(e.name);
  };
  const visit = (n: ts.Node): void => {
    if (ts.isVariableDeclaration(n) || ts.isParameter(n) || ts.isBindingElement(n)) addBinding(n.name);
    else if ((ts.isFunctionDeclaration(n) || ts.isClassDeclaration(n) || ts.isFunctionExpression(n) || ts.isClassExpression(n)) && n.name) out.add(ts.idText(n.name));
    else if (!imports && ts.isImportDeclaration(n)) return;
    else if (ts.isImportClause(n) && n.name) out.add(ts.idText(n.name));
    else if (ts.isImportSpecifier(n) || ts.isNamespaceImport(n) || ts.isImportEqualsDeclaration(n)) out.add(ts.idText(n.name));
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}
