// After pass 4: which expression temporaries are dead at each resume point.
// Takes a function's final statements, the `$l` identifier that marks resume
// points (`$l = n`), the runtime's name (`$R`), and the frame's value names (params then locals) with the
// subset that pass 3 created as expression temporaries; gives, per resume
// point, the indices of temporaries the resumed code never reads.
//
// Why: a temporary keeps a value only between two steps of one statement
// (`$t1 = m.keys(); $t2 = [...$t1]`), but the frame record saves every local,
// so a checkpoint at a later point of the same function would try to save a
// value the program no longer holds (a native iterator, say) and fail. The
// runtime clears the dead ones before writing.
//
// Soundness rests on how pass 3 makes expression temporaries: every one is
// defined and read inside the expansion of one original statement, reads after
// definitions, never across a loop back-edge. So textual order is flow order
// for them: a temporary is live at point s iff it is defined somewhere before s
// and read somewhere after s. A call statement's callee and arguments are
// read as the call starts, before its own point (`$l = n; t = f($t1)`): a
// restore resumes the call (`t = $R.resume()`) and never reads them again,
// so what only they read is dead at that point; its assignment target is
// read after. A yield's result (`t = yield v`, and the router's `t = yield
// $R.pr()` where a restored body resumes) is defined where the body
// resumes, so it counts as defined from the start. Other locals are always
// treated as live.

import ts = require('typescript');

export function deadTemporaries(body: readonly ts.Statement[], siteMarker: string, runtime: string, values: readonly string[], temps: ReadonlySet<string>, calls: ReadonlySet<ts.Statement>): number[][] {
  const index = new Map<string, number>();
  values.forEach((v, i) => {
    if (temps.has(v)) index.set(v, i);
  });
  if (index.size === 0) return [];
  const firstDef = new Map<string, number>();
  const lastUse = new Map<string, number>();
  const sites: { n: number; at: number }[] = [];
  let at = 0;
  // The call of each call statement (its right side when it assigns); not a yield, whose operand is a value it suspends with.
  const callParts = new Set<ts.Node>();
  for (const s of calls) {
    if (!ts.isExpressionStatement(s)) continue;
    const e = s.expression;
    const part = ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken ? e.right : e;
    if (!ts.isYieldExpression(part)) callParts.add(part);
  }
  let marker = 0;
  /** While visiting a call statement's call: where its reads count (just before its point). */
  let readsAt: number | undefined;
  const visit = (node: ts.Node): void => {
    at++;
    if (callParts.has(node) && readsAt === undefined) {
      readsAt = marker - 0.5;
      visit(node);
      readsAt = undefined;
      return;
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(node.left)) {
      const name = node.left.text;
      if (name === siteMarker && ts.isNumericLiteral(node.right)) {
        sites.push({ n: Number(node.right.text), at });
        marker = at;
        return;
      }
      if (index.has(name)) {
        // A router's `t = $R.resume()` runs only when resuming the point that
        // the call itself follows; its textual place (the block's head) is not
        // where the value flows from.
        // A yield's result: count t as defined from the start (conservative).
        if (ts.isYieldExpression(node.right)) firstDef.set(name, 0);
        else if (!firstDef.has(name) && !isResume(node.right, runtime)) firstDef.set(name, at);
        visit(node.right);
        return;
      }
    }
    if (ts.isIdentifier(node) && index.has(node.text)) lastUse.set(node.text, Math.max(lastUse.get(node.text) ?? 0, readsAt ?? at));
    ts.forEachChild(node, visit);
  };
  for (const s of body) visit(s);
  const dead: number[][] = [];
  for (const { n, at: s } of sites) {
    const list: number[] = [];
    for (const [name, i] of index) {
      const def = firstDef.get(name);
      const use = lastUse.get(name);
      if (def === undefined || def > s || use === undefined || use < s) list.push(i);
    }
    if (list.length > 0) dead[n - 1] = list.sort((a, b) => a - b);
  }
  return dead;
}

function isResume(e: ts.Expression, runtime: string): boolean {
  return isRuntimeCall(e, runtime, ['resume']);
}

function isRuntimeCall(e: ts.Expression, runtime: string, names: string[]): boolean {
  return ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && ts.isIdentifier(e.expression.expression) && e.expression.expression.text === runtime && names.includes(e.expression.name.text);
}
