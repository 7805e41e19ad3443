// CD benchmark: collision detection between simulated aircraft. Each frame
// turns positions into motions, maps every motion onto the 2-D voxels it
// crosses (a red-black tree keyed by voxel), and tests the motions sharing a
// voxel pairwise for a close approach. Checksum: collisions over 200 frames.

import { RedBlackTree } from './rbtree.js';
import { Vector2D, Vector3D } from './vector.js';

const MIN_X = 0, MIN_Y = 0, MAX_X = 1000, MAX_Y = 1000, MIN_Z = 0, MAX_Z = 10;
const PROXIMITY_RADIUS = 1;
const VOXEL = PROXIMITY_RADIUS * 2;

class Motion {
  constructor(readonly callsign: number, readonly from: Vector3D, readonly to: Vector3D) {}

  delta(): Vector3D {
    return this.to.minus(this.from);
  }

  /** Where the two come within PROXIMITY_RADIUS during this frame, or null. */
  findIntersection(other: Motion): Vector3D | null {
    const init1 = this.from, init2 = other.from;
    const vec1 = this.delta(), vec2 = other.delta();
    const radius = PROXIMITY_RADIUS;
    const a = vec2.minus(vec1).squaredMagnitude();
    if (a !== 0) {
      const b = 2 * init1.minus(init2).dot(vec1.minus(vec2));
      const c = -radius * radius + init2.minus(init1).squaredMagnitude();
      const discr = b * b - 4 * a * c;
      if (discr < 0) return null;
      const v1 = (-b - Math.sqrt(discr)) / (2 * a);
      const v2 = (-b + Math.sqrt(discr)) / (2 * a);
      if (v1 <= v2 && ((v1 <= 1 && 1 <= v2) || (v1 <= 0 && 0 <= v2) || (0 <= v1 && v2 <= 1))) {
        const v = v1 <= 0 ? 0 : v1;
        const result = init1.plus(vec1.times(v)).plus(init2.plus(vec2.times(v))).times(0.5);
        if (result.x >= MIN_X && result.x <= MAX_X && result.y >= MIN_Y && result.y <= MAX_Y && result.z >= MIN_Z && result.z <= MAX_Z) {
          return result;
        }
      }
      return null;
    }
    return init2.minus(init1).magnitude() <= radius ? init1.plus(init2).times(0.5) : null;
  }
}

function voxelOf(p: Vector3D): Vector2D {
  return new Vector2D(VOXEL * Math.floor(p.x / VOXEL), VOXEL * Math.floor(p.y / VOXEL));
}

function inRange(lo: number, hi: number): boolean {
  return (lo <= 1 && 1 <= hi) || (lo <= 0 && 0 <= hi) || (0 <= lo && hi <= 1);
}

function isInVoxel(voxel: Vector2D, motion: Motion): boolean {
  if (voxel.x > MAX_X || voxel.x < MIN_X || voxel.y > MAX_Y || voxel.y < MIN_Y) return false;
  const r = PROXIMITY_RADIUS / 2;
  const x0 = motion.from.x, xv = motion.to.x - x0;
  const y0 = motion.from.y, yv = motion.to.y - y0;
  let lowX = (voxel.x - r - x0) / xv, highX = (voxel.x + VOXEL + r - x0) / xv;
  if (xv < 0) [lowX, highX] = [highX, lowX];
  let lowY = (voxel.y - r - y0) / yv, highY = (voxel.y + VOXEL + r - y0) / yv;
  if (yv < 0) [lowY, highY] = [highY, lowY];
  return ((xv === 0 && voxel.x <= x0 + r && x0 - r <= voxel.x + VOXEL) || inRange(lowX, highX))
    && ((yv === 0 && voxel.y <= y0 + r && y0 - r <= voxel.y + VOXEL) || inRange(lowY, highY))
    && (xv === 0 || yv === 0 || (lowY <= highX && highX <= highY) || (lowY <= lowX && lowX <= highY) || (lowX <= lowY && highY <= highX));
}

const NEIGHBOURS: [number, number][] = [[-1, 0], [1, 0], [0, -1], [0, 1], [-1, -1], [-1, 1], [1, -1], [1, 1]];

function drawMotion(map: RedBlackTree<Vector2D, Motion[]>, seen: RedBlackTree<Vector2D, boolean>, voxel: Vector2D, motion: Motion): void {
  if (!isInVoxel(voxel, motion)) return;
  if (seen.put(voxel, true) !== undefined) return;
  const list = map.get(voxel);
  if (list === undefined) map.put(voxel, [motion]);
  else list.push(motion);
  for (const [dx, dy] of NEIGHBOURS) drawMotion(map, seen, new Vector2D(voxel.x + dx * VOXEL, voxel.y + dy * VOXEL), motion);
}

class CollisionDetector {
  private readonly state = new Map<number, Vector3D>();

  handleNewFrame(frame: { callsign: number; position: Vector3D }[]): number {
    const motions: Motion[] = [];
    for (const aircraft of frame) {
      const old = this.state.get(aircraft.callsign) ?? aircraft.position;
      this.state.set(aircraft.callsign, aircraft.position);
      motions.push(new Motion(aircraft.callsign, old, aircraft.position));
    }
    const map = new RedBlackTree<Vector2D, Motion[]>();
    for (const motion of motions) drawMotion(map, new RedBlackTree(), voxelOf(motion.from), motion);
    let collisions = 0;
    map.forEach((_voxel, group) => {
      for (let i = 0; i < group.length; i++) {
        for (let j = i + 1; j < group.length; j++) if (group[i].findIntersection(group[j]) !== null) collisions++;
      }
    });
    return collisions;
  }
}

function simulate(aircraft: number, time: number): { callsign: number; position: Vector3D }[] {
  const frame: { callsign: number; position: Vector3D }[] = [];
  for (let i = 0; i < aircraft; i += 2) {
    frame.push({ callsign: i, position: new Vector3D(time, Math.cos(time) * 2 + i * 3, 10) });
    frame.push({ callsign: i + 1, position: new Vector3D(time, Math.sin(time) * 2 + i * 3, 10) });
  }
  return frame;
}

function iteration(inner: number): number {
  const detector = new CollisionDetector();
  let collisions = 0;
  for (let f = 0; f < 200; f++) collisions += detector.handleNewFrame(simulate(inner, f / 10));
  return collisions;
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

runBench('cd', 200, iteration);
