// What a frame slot's name means. The function table names every slot of a
// frame; most are the program's own variables, some the transformer made
// (transformer/names.ts): every generated name starts with the module's
// prefix — `$`, or `$$`… when the module itself uses names of that shape —
// then a base and a number: `$t3` temporaries, `$e2` environments, `$p1`
// captured parameters, `$args1` `arguments`, `$nt1` `new.target`, `$this1`
// a constructor's `this`, `$i_1` a second binding named `i` in the same
// function. Takes the slot names of one module; gives each slot's role.

export type SlotRole =
  | { kind: 'variable'; name: string }
  /** a second binding with this name in the function (e.g. a loop's `let i`) */
  | { kind: 'renamed'; name: string }
  | { kind: 'environment' }
  | { kind: 'generated' };

const SHAPE = /^(\$+)(?:([A-Za-z]+)\d+|([A-Za-z_$][\w$]*)_\d+)$/;

/** The module's generated-name prefix, inferred from all of its slot names ('' when it has none). */
export function generatedPrefix(slotNames: Iterable<string>): string {
  let prefix = '';
  for (const name of slotNames) {
    const m = SHAPE.exec(name);
    if (m && m[1]!.length > prefix.length) prefix = m[1]!;
  }
  return prefix;
}

export function slotRole(name: string, prefix: string): SlotRole {
  if (prefix === '') return { kind: 'variable', name };
  const m = SHAPE.exec(name);
  if (m === null || m[1] !== prefix) return { kind: 'variable', name };
  if (m[3] !== undefined) return { kind: 'renamed', name: m[3] };
  switch (m[2]) {
    case 'e': return { kind: 'environment' };
    case 'args': return { kind: 'renamed', name: 'arguments' };
    case 'nt': return { kind: 'renamed', name: 'new.target' };
    default: return { kind: 'generated' };
  }
}
