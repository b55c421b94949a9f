// Timing helpers for the benchmarks: warm-up, time-boxed loops on process.hrtime.bigint, median of runs.

export interface MeasureOptions {
  /** Time spent running `fn` before measuring, so that V8 has optimised it. */
  readonly warmupMs: number;
  /** Length of each timed loop. */
  readonly runMs: number;
  /** Number of timed loops; the median is reported. */
  readonly runs: number;
}

export interface Measurement {
  /** Median operations per second of wall-clock time over the runs. */
  readonly opsPerSec: number;
  /**
   * Median operations per second of this process's CPU time (user + system, all its threads, so GC helper
   * threads count against it). On a shared machine it moves much less than the wall-clock figure.
   */
  readonly opsPerCpuSec: number;
  /** Every run's wall-clock operations per second, in run order. */
  readonly runs: readonly number[];
}

export interface Rate {
  readonly wall: number;
  readonly cpu: number;
}

/** Written by every loop so that V8 cannot drop a call whose result is unused. */
let sink: unknown;

/** Operations per second of `fn` over about `ms` milliseconds; calls are batched so the clock costs nothing. */
export function opsPerSecond(fn: () => unknown, ms: number): Rate {
  const budget = BigInt(Math.round(ms * 1e6));
  // Grow the batch until one batch takes ≥ 1/50 of the budget, then count whole batches until the budget is spent.
  let batch = 1;
  let ops = 0;
  const cpu0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  let now = start;
  while (now - start < budget) {
    const t0 = now;
    for (let i = 0; i < batch; i++) sink = fn();
    ops += batch;
    now = process.hrtime.bigint();
    if ((now - t0) * 50n < budget) batch *= 2;
  }
  const cpu = process.cpuUsage(cpu0);
  return { wall: ops / (Number(now - start) / 1e9), cpu: ops / ((cpu.user + cpu.system) / 1e6) };
}

export function measure(fn: () => unknown, options: MeasureOptions): Measurement {
  opsPerSecond(fn, options.warmupMs);
  const rates: Rate[] = [];
  for (let i = 0; i < options.runs; i++) rates.push(opsPerSecond(fn, options.runMs));
  const runs = rates.map((r) => r.wall);
  return { opsPerSec: median(runs), opsPerCpuSec: median(rates.map((r) => r.cpu)), runs };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The last value a timed function returned; read it once so that the sink is observably used. */
export function lastResult(): unknown {
  return sink;
}
