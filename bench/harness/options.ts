// Command line of `npm run bench`: takes process.argv after the script;
// guarantees a complete BenchOptions (sizes and repetitions for the chosen
// mode) or throws with a usage message.

export interface BenchOptions {
  quick: boolean;
  big: boolean;
  /** Benchmark names to run (all when empty). */
  only: string[];
  /** Interleaved plain/instrumented run pairs per benchmark. */
  rounds: number;
  /** Environment handed to every benchmark program (BENCH_SCALE, ...). */
  programEnv: Record<string, string>;
  /** Builds per benchmark and variant (the median is reported). */
  buildRepeats: number;
  /** Heap sizes for the checkpoint figures, in MB. */
  heapSizesMB: number[];
  skipCheckpoint: boolean;
}

export const USAGE = `usage: npm run bench -- [--quick] [--big] [--only a,b] [--rounds N] [--no-checkpoint]
  --quick          small sizes, one round, 10 MB heaps only: the whole run in about a minute
  --big            add a 1 GB heap to the checkpoint figures
  --only a,b       run only these benchmarks
  --rounds N       interleaved plain/instrumented runs per benchmark (default 3, quick 1)
  --no-checkpoint  skip the checkpoint figures`;

export function parseOptions(argv: readonly string[]): BenchOptions {
  let quick = false, big = false, skipCheckpoint = false;
  let only: string[] = [];
  let rounds: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--quick') quick = true;
    else if (arg === '--big') big = true;
    else if (arg === '--no-checkpoint') skipCheckpoint = true;
    else if (arg === '--only') only = (argv[++i] ?? '').split(',').filter(Boolean);
    else if (arg === '--rounds') {
      rounds = Number(argv[++i]);
      if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds needs a positive integer\n${USAGE}`);
    } else throw new Error(`unknown argument ${arg}\n${USAGE}`);
  }
  const programEnv: Record<string, string> = quick
    ? { BENCH_SCALE: '0.1', BENCH_WARMUP: '1', BENCH_ITERATIONS: '3' }
    : { BENCH_SCALE: '1', BENCH_WARMUP: '3', BENCH_ITERATIONS: '10' };
  const heapSizesMB = quick ? [10] : [10, 100];
  if (big) heapSizesMB.push(1024);
  return { quick, big, only, rounds: rounds ?? (quick ? 1 : 3), programEnv, buildRepeats: quick ? 1 : 3, heapSizesMB, skipCheckpoint };
}
