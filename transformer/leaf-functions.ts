// Pass 1b — leaf functions. Takes the source file pass 1 analyzed and its
// scope tables; gives the names of the top-level function declarations that
// can never reach a resume point, so that a call of one is no resume point
// either (linearize.ts `isSiteCall`), as a call of `Math.abs` is not:
//
//   function rotr(x, n) { return (x >>> n) | (x << (32 - n)); }
//   …  s0 = rotr(a, 2) ^ rotr(a, 13);    // no `$l = n`, no `if ($R.u) break $u`
//
// A leaf has no loop, no yield or await, and makes no call that may reach
// the program other than calls of leaves (a least fixpoint: a recursive
// function is never one, so the time a leaf runs stays bounded by the code).
// Pass 4 leaves such a function plain (reenter.ts `isLeaf`, which checks the
// prediction), so no checkpoint can begin inside a call of it; what the
// engine calls from it (getters, toString) runs as no-save regions anyway.
//
// Only a name that is a top-level `function` declaration (never assigned) or
// a top-level `const` holding a function written in place, declared nowhere
// else in the file, so that every call by that name in the file is a call of
// that function.

import ts = require('typescript');
import { isFunctionLike, type Analysis } from './analyze.js';
import { mayCallProgram } from './linearize.js';
import type { FileContext } from './plan.js';

type LeafCandidate = ts.FunctionDeclaration | ts.ArrowFunction | ts.FunctionExpression;

/** The file's leaves: their names (for `ctx.leafFunctions`) and declarations (for `ctx.leafDeclarations`). */
export function findLeafFunctions(sf: ts.SourceFile, analysis: Analysis, ctx: FileContext): { names: Set<string>; declarations: Set<ts.Node> } {
  const declaredIn = new Map<string, number>();
  for (const s of analysis.scopes) for (const name of s.bindings.keys()) declaredIn.set(name, (declaredIn.get(name) ?? 0) + 1);
  const candidates = new Map<string, LeafCandidate>();
  const topLevelDeclarations = new Map<string, number>();
  const consider = (name: string, fn: LeafCandidate, kind: 'function' | 'const'): void => {
    topLevelDeclarations.set(name, (topLevelDeclarations.get(name) ?? 0) + 1);
    const binding = analysis.module.bindings.get(name);
    const plain = fn.body !== undefined && fn.asteriskToken === undefined && !ts.getModifiers(fn)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
    if (plain && binding?.kind === kind && !binding.assigned && declaredIn.get(name) === 1) candidates.set(name, fn);
  };
  for (const st of sf.statements) {
    if (ts.isFunctionDeclaration(st) && st.name !== undefined) consider(ts.idText(st.name), st, 'function');
    // `const clamp = (x: number) => …`: the binding never holds another function.
    if (ts.isVariableStatement(st) && st.declarationList.flags & ts.NodeFlags.Const) {
      for (const d of st.declarationList.declarations) {
        const init = d.initializer && skipParens(d.initializer);
        if (ts.isIdentifier(d.name) && init !== undefined && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) consider(ts.idText(d.name), init, 'const');
      }
    }
  }
  // Calls of the leaves found so far are no sites while the rest are judged.
  const names = new Set<string>();
  const declarations = new Set<ts.Node>();
  const judging: FileContext = { ...ctx, leafFunctions: names };
  for (let grew = true; grew; ) {
    grew = false;
    for (const [name, fn] of candidates) {
      if (names.has(name) || topLevelDeclarations.get(name) !== 1 || !isLeafBody(fn, judging)) continue;
      names.add(name);
      declarations.add(fn);
      grew = true;
    }
  }
  return { names, declarations };
}

/** No loop, and nothing that may call the program (mayCallProgram: sites, yields, awaits, engine-driven iteration, classes). */
function isLeafBody(fn: LeafCandidate, ctx: FileContext): boolean {
  return ![...fn.parameters, fn.body!].some((part) => containsLoop(part) || mayCallProgram(part, ctx));
}

function containsLoop(node: ts.Node): boolean {
  if (isFunctionLike(node)) return false;
  return ts.isIterationStatement(node, false) || (ts.forEachChild(node, (c) => containsLoop(c) || undefined) ?? false);
}

function skipParens(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  return e;
}
