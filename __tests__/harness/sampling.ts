// Which suspension points k to checkpoint at (SPEC §3): every one for small
// programs, a deterministic sample (seeded by the fixture's name) plus the
// first, the middle and the last point for bigger ones.
import { createHash } from 'node:crypto';

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Integers below `n` from mulberry32: the same cases on every run of a randomized test. */
export function randomInts(seed: number): (n: number) => number {
  const rng = mulberry32(seed);
  return (n) => Math.floor(rng() * n);
}

export function seedFor(name: string, seed: number): number {
  return createHash('sha256').update(`${seed}:${name}`).digest().readUInt32LE(0);
}

/**
 * ks in 1..n, ascending: all of them when n <= limit, otherwise `samples`
 * distinct random ones plus 1, floor(n/2) and n.
 */
export function chooseKs(n: number, limit: number, samples: number, name: string, seed = 1): number[] {
  if (!Number.isInteger(n) || n < 1) return [];
  if (n <= limit) return Array.from({ length: n }, (_, i) => i + 1);
  const rng = mulberry32(seedFor(name, seed));
  const ks = new Set<number>([1, Math.max(1, Math.floor(n / 2)), n]);
  const target = Math.min(n, ks.size + samples);
  while (ks.size < target) ks.add(1 + Math.floor(rng() * n));
  return [...ks].sort((a, b) => a - b);
}
