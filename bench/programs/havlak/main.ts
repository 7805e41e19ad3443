// Havlak benchmark: Havlak's loop-recognition algorithm (union-find, DFS
// numbering, reducible/irreducible loops) on a synthetic control-flow graph
// of nested loops. Checksum: loops and loop members found.

import { ControlFlowGraph, buildGraph } from './graph.js';

const enum BlockType { NonHeader, Reducible, Self, Irreducible, Dead }
const UNVISITED = -1;
const MAX_NON_BACK_PREDS = 32 * 1024;

class SimpleLoop {
  readonly blocks: number[] = [];
  parent: SimpleLoop | null = null;
  constructor(readonly header: number, readonly reducible: boolean) {}
}

class UnionFindNode {
  parent: UnionFindNode = this;
  block = -1;
  dfsNumber = 0;
  loop: SimpleLoop | null = null;

  init(block: number, dfsNumber: number): void {
    this.parent = this;
    this.block = block;
    this.dfsNumber = dfsNumber;
    this.loop = null;
  }

  /** The set's representative, compressing the path to it. */
  findSet(): UnionFindNode {
    const path: UnionFindNode[] = [];
    let node: UnionFindNode = this;
    while (node !== node.parent) {
      if (node.parent !== node.parent.parent) path.push(node);
      node = node.parent;
    }
    for (const n of path) n.parent = node.parent;
    return node;
  }
}

class LoopFinder {
  private readonly number: number[];
  private readonly last: number[];
  private readonly nodes: UnionFindNode[];
  loops: SimpleLoop[] = [];

  constructor(private readonly cfg: ControlFlowGraph) {
    const size = cfg.size();
    this.number = new Array<number>(size).fill(UNVISITED);
    this.last = new Array<number>(size).fill(0);
    this.nodes = [];
    for (let i = 0; i < size; i++) this.nodes.push(new UnionFindNode());
  }

  private isAncestor(w: number, v: number): boolean {
    return w <= v && v <= this.last[w];
  }

  private dfs(block: number, current: number): number {
    this.nodes[current].init(block, current);
    this.number[block] = current;
    let lastId = current;
    for (const target of this.cfg.out[block]) {
      if (this.number[target] === UNVISITED) lastId = this.dfs(target, lastId + 1);
    }
    this.last[this.number[block]] = lastId;
    return lastId;
  }

  findLoops(): number {
    const size = this.cfg.size();
    const nonBackPreds: Set<number>[] = [];
    const backPreds: number[][] = [];
    const types = new Array<BlockType>(size).fill(BlockType.NonHeader);
    for (let i = 0; i < size; i++) {
      nonBackPreds.push(new Set());
      backPreds.push([]);
    }
    this.dfs(0, 0);

    for (let w = 0; w < size; w++) {
      const block = this.nodes[w].block;
      if (block < 0) {
        types[w] = BlockType.Dead;
        continue;
      }
      for (const v of this.cfg.in[block]) {
        const vNum = this.number[v];
        if (vNum === UNVISITED) continue;
        if (this.isAncestor(w, vNum)) backPreds[w].push(vNum);
        else nonBackPreds[w].add(vNum);
      }
    }

    for (let w = size - 1; w >= 0; w--) {
      const nodeW = this.nodes[w];
      if (nodeW.block < 0) continue;
      const pool: UnionFindNode[] = [];
      for (const v of backPreds[w]) {
        if (v !== w) pool.push(this.nodes[v].findSet());
        else types[w] = BlockType.Self;
      }
      const work = pool.slice();
      if (pool.length > 0) types[w] = BlockType.Reducible;
      for (let k = 0; k < work.length; k++) {
        const x = work[k];
        if (nonBackPreds[x.dfsNumber].size > MAX_NON_BACK_PREDS) return this.loops.length;
        for (const iter of nonBackPreds[x.dfsNumber]) {
          const ydash = this.nodes[iter].findSet();
          if (!this.isAncestor(w, ydash.dfsNumber)) {
            types[w] = BlockType.Irreducible;
            nonBackPreds[w].add(ydash.dfsNumber);
          } else if (ydash.dfsNumber !== w && !pool.includes(ydash)) {
            work.push(ydash);
            pool.push(ydash);
          }
        }
      }
      if (pool.length > 0 || types[w] === BlockType.Self) {
        const loop = new SimpleLoop(nodeW.block, types[w] !== BlockType.Irreducible);
        this.loops.push(loop);
        nodeW.loop = loop;
        for (const node of pool) {
          node.parent = nodeW;
          if (node.loop !== null) node.loop.parent = loop;
          else loop.blocks.push(node.block);
        }
      }
    }
    return this.loops.length;
  }
}

function findLoops(cfg: ControlFlowGraph): number {
  const finder = new LoopFinder(cfg);
  const count = finder.findLoops();
  let members = 0;
  for (const loop of finder.loops) members += loop.blocks.length + (loop.parent === null ? 1 : 0);
  return count * 100000 + members;
}

function iteration(inner: number): number {
  const cfg = new ControlFlowGraph();
  buildGraph(cfg, 10, 10, 5);
  let result = 0;
  for (let i = 0; i < inner; i++) result = findLoops(cfg);
  return result;
}

// ---- harness (the same in every benchmark program) ----
// BENCH_SCALE multiplies the work per iteration, BENCH_WARMUP and
// BENCH_ITERATIONS set the number of untimed and timed iterations. Prints one
// deterministic CHECKSUM line and one machine-readable BENCH line.
function benchEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  const v = raw === undefined || raw === '' ? NaN : Number(raw);
  return Number.isFinite(v) && v >= 0 ? v : fallback;
}

function runBench(name: string, innerDefault: number, iteration: (inner: number) => number | string): void {
  const inner = Math.max(1, Math.round(innerDefault * benchEnv('BENCH_SCALE', 1)));
  const warmup = benchEnv('BENCH_WARMUP', 3);
  const count = Math.max(1, benchEnv('BENCH_ITERATIONS', 10));
  const times: number[] = [];
  let check: number | string = '';
  for (let i = 0; i < warmup + count; i++) {
    const t0 = performance.now();
    const result = iteration(inner);
    const ms = performance.now() - t0;
    if (i === 0) check = result;
    else if (result !== check) throw new Error(`${name}: iteration ${i} gave ${result}, the first gave ${check}`);
    if (i >= warmup) times.push(Math.round(ms * 1000) / 1000);
  }
  console.log(`CHECKSUM ${name} inner=${inner} ${check}`);
  console.log(`BENCH ${JSON.stringify({ name, inner, warmup, iterations: times })}`);
}

runBench('havlak', 30, iteration);
