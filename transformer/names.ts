// Generated names. Takes the set of identifiers a file already uses and hands
// out names that cannot collide with any of them: every generated name starts
// with a prefix ("$" by default, "$$" … if the file itself uses names of that
// shape). Counters are per file and deterministic, so the same input always
// yields the same output (resume points and ids are persisted).

import ts = require('typescript');

export class NameGen {
  readonly prefix: string;
  private counters = new Map<string, number>();

  constructor(used: ReadonlySet<string>) {
    let prefix = '$';
    const clashes = (p: string) => [...used].some((n) => n.startsWith(p) && /^[A-Za-z_]/.test(n.slice(p.length)) && !n.slice(p.length).startsWith('$'));
    while (clashes(prefix)) prefix += '$';
    this.prefix = prefix;
  }

  /** A fixed well-known name such as `R` (the runtime) → `$R`. */
  fixed(base: string): string {
    return this.prefix + base;
  }

  /** A fresh numbered name: `t` → `$t1`, `$t2`, … */
  fresh(base: string): string {
    const n = (this.counters.get(base) ?? 0) + 1;
    this.counters.set(base, n);
    return `${this.prefix}${base}${n}`;
  }
}

export function collectIdentifiers(sf: ts.SourceFile): Set<string> {
  const used = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) used.add(ts.idText(node as ts.Identifier));
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return used;
}
