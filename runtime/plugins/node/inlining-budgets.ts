// V8's inlining budgets, scaled for instrumented code. Takes nothing;
// guarantees that on Node (not Bun, whose engine is JavaScriptCore, nor Deno,
// which does not take V8 flags at run time) TurboFan weighs an instrumented
// function as it weighs the plain one, and that nothing else changes.
//
// TurboFan inlines a callee of at most 460 bytes of bytecode, and at most 920
// bytes in all into one function (the same on Node 18 to 24). An
// instrumented function also carries its restore prologue, its resume router
// and its capture tail: code that runs only around a checkpoint, but which
// the budget counts. Its bytecode is 4 to 10 times the plain one's (a method
// `scaled(k) { return this.value() * k; }`: 22 bytes plain, 227
// instrumented), so calls that V8 inlines in the plain program stay calls in
// the instrumented one, polymorphic ones first (`o.scaled(2)` over three
// classes of one hierarchy with super calls: 3.4x plain, 1.9x with these
// budgets). The flags are read when a function is optimized, so setting
// them at start, before the program runs, is enough. INTROSPECT_V8_INLINING=default
// in the environment keeps V8's own budgets (to compare, or should a
// program's compile times matter more than its speed).

import { loadBuiltin } from './builtin-modules.js';

/** Four times V8's defaults: the bulk of the instrumented bytecode is cold. */
const SCALED_BUDGETS = [
  '--max-inlined-bytecode-size=1840',
  '--max-inlined-bytecode-size-cumulative=3680',
  '--max-inlined-bytecode-size-absolute=18400',
];

export function scaleInliningBudgets(): void {
  const versions = process.versions as Record<string, string | undefined>;
  if (versions.bun !== undefined || versions.deno !== undefined || process.env.INTROSPECT_V8_INLINING === 'default') return;
  try {
    const v8 = loadBuiltin('node:v8') as { setFlagsFromString?: (flags: string) => void };
    for (const flag of SCALED_BUDGETS) v8.setFlagsFromString?.(flag);
  } catch {
    // an engine without them keeps its own budgets: only speed is at stake
  }
}
