// The ts-patch entry: `"plugins": [{ "transform": "introspect/transformer" }]`
// in a project's tsconfig.json. ts-patch calls the default export with the
// Program and the plugin's config and takes the slot the entry names:
//   - `"after": true`: our transform runs as an `after` transformer;
//   - no slot (SPEC §2's form): ts-patch puts it in `before`, where the code
//     still has types. The transform needs TypeScript's output, so from the
//     `before` slot it only asks to be told when a file is printed and
//     transforms the file TypeScript's own transforms produced, just before
//     printing. Same transform, same output.
// The runtime is imported from the installed package ("introspect/runtime").

import ts = require('typescript');
import { createTransformer, isProgramCode } from './index.js';

interface PluginConfig {
  /** Module specifier of the runtime (default: "introspect/runtime"). */
  runtime?: string;
}

export default function introspectPlugin(program: ts.Program, config: PluginConfig = {}) {
  const options = program.getCompilerOptions();
  const rootDir = options.rootDir ?? program.getCurrentDirectory();
  // Below ES2022 TypeScript turns async functions and generators into
  // helpers before the transform sees them (`introspect build` raises the
  // target; tsc's own run cannot be changed from here).
  if (options.target !== undefined && options.target < ts.ScriptTarget.ES2022) {
    console.warn(`introspect: warning: "target": "${ts.ScriptTarget[options.target]}" is below ES2022: TypeScript's async and generator helpers run outside the transform, and a checkpoint inside them fails; set "target": "ES2022" or later (with "useDefineForClassFields": false to keep the older class-field semantics)`);
  }
  const after = createTransformer({ runtimeImport: () => config.runtime ?? 'introspect/runtime', rootDir });
  const before = (tctx: ts.TransformationContext) => {
    // At print time the compilation's transformation context is closed; the
    // transform gets a fresh one that only answers the compiler options.
    const printTime = { ...(ts as unknown as { nullTransformationContext: ts.TransformationContext }).nullTransformationContext, getCompilerOptions: () => tctx.getCompilerOptions() };
    const transform = after(printTime);
    const done = new WeakMap<ts.SourceFile, ts.SourceFile>();
    const previous = tctx.onEmitNode;
    tctx.enableEmitNotification(ts.SyntaxKind.SourceFile);
    tctx.onEmitNode = (hint, node, emit) => {
      if (ts.isSourceFile(node) && isProgramCode(node)) {
        let out = done.get(node);
        if (out === undefined) done.set(node, (out = transform(node)));
        node = out;
      }
      previous(hint, node, emit);
    };
    return (sf: ts.SourceFile) => sf;
  };
  return { before, after };
}
