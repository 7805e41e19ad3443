// Pass 0a: `continue` names the loop's innermost label. Takes a source file;
// gives the same file where, for a loop with several labels
// (`outer: inner: for (…) { … continue outer; … }`), every `continue` to one
// of them names the one written last (`continue inner`). The language lets
// `continue` name any label of the loop's label set, and so does V8, but
// esbuild, which makes the restart bundles of engines without Node APIs
// (cli/platform/bundle.ts), rejects all but the innermost. `break` may name
// any label, as before.

import ts = require('typescript');

export function innermostContinueLabels(sf: ts.SourceFile, tctx: ts.TransformationContext): ts.SourceFile {
  if (!sf.text.includes('continue')) return sf;
  const f = ts.factory;
  /** label → the innermost label of the loop it stands on, for stacked labels in scope */
  const renamed = new Map<string, string>();
  const visit = (node: ts.Node): ts.Node => {
    if (ts.isLabeledStatement(node) && ts.isLabeledStatement(node.statement)) {
      const chain: string[] = [];
      let at: ts.Statement = node;
      while (ts.isLabeledStatement(at)) {
        chain.push(ts.idText(at.label));
        at = at.statement;
      }
      if (!ts.isIterationStatement(at, false)) return ts.visitEachChild(node, visit, tctx);
      const innermost = chain[chain.length - 1]!;
      const saved = chain.map((label) => [label, renamed.get(label)] as const);
      for (const label of chain) renamed.set(label, innermost);
      const result = ts.visitEachChild(node, visit, tctx);
      for (const [label, before] of saved) {
        if (before === undefined) renamed.delete(label);
        else renamed.set(label, before);
      }
      return result;
    }
    if (ts.isLabeledStatement(node) && renamed.has(ts.idText(node.label))) {
      // an inner statement reusing a label shadows the outer one
      const label = ts.idText(node.label);
      const before = renamed.get(label)!;
      renamed.delete(label);
      const result = ts.visitEachChild(node, visit, tctx);
      renamed.set(label, before);
      return result;
    }
    if (ts.isContinueStatement(node) && node.label !== undefined) {
      const to = renamed.get(ts.idText(node.label));
      if (to !== undefined && to !== ts.idText(node.label)) return f.updateContinueStatement(node, f.createIdentifier(to));
      return node;
    }
    if (ts.isFunctionLike(node) && renamed.size > 0) {
      // labels do not reach into functions
      const saved = new Map(renamed);
      renamed.clear();
      const result = ts.visitEachChild(node, visit, tctx);
      for (const [k, v] of saved) renamed.set(k, v);
      return result;
    }
    return ts.visitEachChild(node, visit, tctx);
  };
  return ts.visitEachChild(sf, visit, tctx);
}
