// The function table as a module emits it: the transform (index.ts) encodes
// its rows ([id, name, line, slot names, line of each site, dead
// temporaries per site?], modules.ts FunctionRow) in a shorter spelling,
// and the runtime decodes them when the module registers, so the table in
// memory and in checkpoint headers is what it always was. The table was an
// eighth of the emitted code (docs/PERFORMANCE.md, session 28). Each field
// is shortened only where decoding gives exactly the original back:
//
//   id     `#Towers/push` for `main.ts#Towers/push` (the module's own prefix)
//   name   0 where it is the id's last part (`push`; `go` of `f/go~2`)
//   slots  one string, the names joined by commas (identifiers have none)
//   lines  each site's line as the step from the one before (the first from the function's)
//   dead   per site 0 for none, 1 for the same list as the site before
//
// The same holds for the methods a class registers (`$R.cls`): a method's
// id is left out where it is memberIdOf's.

import type { FunctionRow } from './modules.js';

/** The JSON text the module registers its table with. */
export function encodeFunctionTable(moduleId: string, rows: readonly FunctionRow[]): string {
  return JSON.stringify(rows.map((row) => encodeRow(moduleId, row)));
}

/** The rows back from the parsed JSON of encodeFunctionTable. */
export function decodeFunctionTable(moduleId: string, rows: readonly unknown[][]): FunctionRow[] {
  return rows.map(([id, name, line, slots, steps, dead]) => {
    const fullId = (id as string).startsWith('#') ? moduleId + (id as string) : (id as string);
    let at = line as number;
    const row: FunctionRow = [
      fullId,
      name === 0 ? nameOfId(fullId) : (name as string),
      line as number,
      typeof slots === 'string' ? (slots === '' ? [] : slots.split(',')) : (slots as string[]),
      (steps as number[]).map((d) => (at += d)),
    ];
    if (dead !== undefined) {
      const lists: (number[] | null)[] = [];
      for (const d of dead as (0 | 1 | number[])[]) lists.push(d === 0 ? null : d === 1 ? [...lists[lists.length - 1]!] : d);
      row.push(lists);
    }
    return row;
  });
}

/** The id a class's method has unless made unique (transformer/scopes.ts uniqueId): flags & 1 for a static one. */
export function memberIdOf(classId: string, key: string, flags: number): string {
  return `${classId}/${flags & 1 ? 'static ' : ''}${key}`;
}

/** The name the runtime derives from an id: what follows its last `/` or `#`, less a `~n` suffix. */
export function nameOfId(id: string): string {
  return id.slice(Math.max(id.lastIndexOf('/'), id.lastIndexOf('#')) + 1).replace(/~\d+$/, '');
}

function encodeRow(moduleId: string, [id, name, line, slots, sites, dead]: FunctionRow): unknown[] {
  const prefix = `${moduleId}#`;
  const out: unknown[] = [
    id.startsWith(prefix) ? id.slice(moduleId.length) : id,
    nameOfId(id) === name ? 0 : name,
    line,
    slots.some((s) => s.includes(',') || s === '') ? slots : slots.join(','),
    sites.map((n, i) => n - (i === 0 ? line : sites[i - 1]!)),
  ];
  if (dead !== undefined) {
    const same = (a: number[] | null | undefined, b: number[] | null | undefined) => a != null && b != null && a.length === b.length && a.every((x, i) => x === b[i]);
    // JSON would write a hole (a site with none dead) as null; 0 is shorter.
    out.push(Array.from(dead, (d, i) => (d == null ? 0 : i > 0 && same(d, dead[i - 1]) ? 1 : d)));
  }
  return out;
}
