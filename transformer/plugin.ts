// The ts-patch entry: `"plugins": [{ "transform": "introspect/transformer" }]`
// in a project's tsconfig.json. ts-patch calls the default export with the
// Program and the plugin's config; we register as an `after` transformer and
// import the runtime from the installed package.

import type ts from 'typescript';
import { createTransformer } from './index.js';

interface PluginConfig {
  /** Module specifier of the runtime (default: "introspect/runtime"). */
  runtime?: string;
}

export default function introspectPlugin(program: ts.Program, config: PluginConfig = {}) {
  const options = program.getCompilerOptions();
  const rootDir = options.rootDir ?? program.getCurrentDirectory();
  return { after: createTransformer({ runtimeImport: () => config.runtime ?? 'introspect/runtime', rootDir }) };
}
