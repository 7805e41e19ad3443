// Direct `eval(…)` in the program's sources. Takes the program; gives a
// warning diagnostic at each call. The code a direct eval runs is compiled at
// run time, outside the transform: it runs uninstrumented (no checkpoint
// inside it), and it sees the function's variables as the transform left
// them, so a variable that a closure shares, or a parameter, is not there
// under its name (ReferenceError). SPEC §4 allows refusing direct eval;
// a warning keeps the programs whose evaluated code reads only globals
// building, and tells the others why they fail.

import ts = require('typescript');

/** A diagnostic code of our own, outside TypeScript's ranges. */
const DIRECT_EVAL = 99001;

export function directEvalWarnings(program: ts.Program, sources: readonly ts.SourceFile[]): ts.Diagnostic[] {
  const checker = program.getTypeChecker();
  const found: ts.Diagnostic[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && ts.idText(node.expression) === 'eval' && isGlobalEval(checker, node.expression)) {
      found.push({
        category: ts.DiagnosticCategory.Warning,
        code: DIRECT_EVAL,
        file: node.getSourceFile(),
        start: node.getStart(),
        length: node.getWidth(),
        messageText: 'direct eval: the code it evaluates runs uninstrumented (no checkpoint inside it), and a local variable that a closure shares, or a parameter, may not be visible to it by its name; use indirect eval, (0, eval)(code), or new Function with the values as arguments',
      });
    }
    ts.forEachChild(node, visit);
  };
  for (const sf of sources) visit(sf);
  return found;
}

/** `eval` naming the global function, not a binding of the program's. */
function isGlobalEval(checker: ts.TypeChecker, id: ts.Identifier): boolean {
  const declarations = checker.getSymbolAtLocation(id)?.declarations;
  return declarations === undefined || declarations.every((d) => d.getSourceFile().isDeclarationFile);
}
