// The control-flow graph for the Havlak benchmark: blocks are numbers, with
// in- and out-edge lists, and the builders of diamonds, straight runs and
// nested base loops that make up the test graph.

export class ControlFlowGraph {
  readonly out: number[][] = [];
  readonly in: number[][] = [];

  node(n: number): void {
    while (this.out.length <= n) {
      this.out.push([]);
      this.in.push([]);
    }
  }

  edge(from: number, to: number): void {
    this.node(from);
    this.node(to);
    this.out[from].push(to);
    this.in[to].push(from);
  }

  size(): number {
    return this.out.length;
  }
}

function diamond(cfg: ControlFlowGraph, start: number): number {
  cfg.edge(start, start + 1);
  cfg.edge(start, start + 2);
  cfg.edge(start + 1, start + 3);
  cfg.edge(start + 2, start + 3);
  return start + 3;
}

function straight(cfg: ControlFlowGraph, start: number, n: number): number {
  for (let i = 0; i < n; i++) cfg.edge(start + i, start + i + 1);
  return start + n;
}

function baseLoop(cfg: ControlFlowGraph, from: number): number {
  const header = straight(cfg, from, 1);
  const diamond1 = diamond(cfg, header);
  const d11 = straight(cfg, diamond1, 1);
  const diamond2 = diamond(cfg, d11);
  let footer = straight(cfg, diamond2, 1);
  cfg.edge(diamond2, d11);
  cfg.edge(diamond1, header);
  cfg.edge(footer, from);
  footer = straight(cfg, footer, 1);
  return footer;
}

/** The test graph: `par` trees of `ppar` loops, each holding `pppar` base loops. */
export function buildGraph(cfg: ControlFlowGraph, par: number, ppar: number, pppar: number): void {
  cfg.node(0);
  baseLoop(cfg, 0);
  cfg.node(1);
  cfg.edge(0, 2);
  let n = 2;
  for (let p = 0; p < par; p++) {
    cfg.node(n + 1);
    cfg.edge(2, n + 1);
    n = n + 1;
    for (let i = 0; i < ppar; i++) {
      const top = n;
      n = straight(cfg, n, 1);
      for (let j = 0; j < pppar; j++) n = baseLoop(cfg, n);
      const bottom = straight(cfg, n, 1);
      cfg.edge(n, top);
      n = bottom;
    }
    cfg.edge(n, 1);
  }
}
