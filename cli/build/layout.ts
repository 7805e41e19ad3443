// Names in a built program's directory that both `build` (which writes them)
// and `restart` (which checks them) rely on. No TypeScript import here, so
// run/restart stay fast to start.

export type ModuleFormat = 'esm' | 'cjs';

/** <outDir>/__introspect/ holds the runtime copies a built program imports. */
export const RUNTIME_DIR = '__introspect';

export const RUNTIME_FILES: Record<ModuleFormat, string> = { esm: 'runtime.mjs', cjs: 'runtime.cjs' };
