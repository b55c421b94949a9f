// Per-operation latency samples and error counts of one benchmark cell, and their percentiles.

export interface OpFigures {
  readonly count: number;
  readonly errors: number;
  readonly p50: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
}

class Samples {
  values = new Float64Array(1024);
  n = 0;
  errors = 0;

  add(ms: number): void {
    if (this.n === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.n++] = ms;
  }

  figures(): OpFigures {
    const sorted = this.values.subarray(0, this.n).slice().sort();
    // nearest-rank percentile: the smallest sample with at least q of the samples at or below it
    const at = (q: number): number => (this.n === 0 ? NaN : sorted[Math.min(this.n - 1, Math.ceil(q * this.n) - 1)]!);
    return { count: this.n, errors: this.errors, p50: at(0.5), p99: at(0.99), p999: at(0.999), max: at(1) };
  }
}

/**
 * Latencies in milliseconds, kept whole (no binning) per operation; errors by operation and by reason. Only what
 * completes inside the measuring window [from, to) counts (performance.now() times), so warm-up and the requests
 * still in flight when the window shuts are left out of both the rates and the percentiles.
 */
export class Recorder {
  private readonly ops = new Map<string, Samples>();
  readonly reasons = new Map<string, number>();
  /** Whole units of work done (a Create with its Activate is one unit). */
  units = 0;
  from = Infinity;
  to = Infinity;

  inWindow(t: number): boolean {
    return t >= this.from && t < this.to;
  }

  /** Samples of whole units (start of its first request to the end of its last). */
  readonly unitSamples = new Samples();

  unit(t0: number, t1: number): void {
    if (!this.inWindow(t1)) return;
    this.units++;
    this.unitSamples.add(t1 - t0);
  }

  private samples(op: string): Samples {
    let s = this.ops.get(op);
    if (s === undefined) this.ops.set(op, (s = new Samples()));
    return s;
  }

  ok(op: string, t0: number, t1: number): void {
    if (this.inWindow(t1)) this.samples(op).add(t1 - t0);
  }

  error(op: string, reason: string, t1: number): void {
    if (!this.inWindow(t1)) return;
    this.samples(op).errors++;
    const key = `${op}:${reason}`;
    this.reasons.set(key, (this.reasons.get(key) ?? 0) + 1);
  }

  figures(): Record<string, OpFigures> {
    return Object.fromEntries([...this.ops].map(([op, s]) => [op, s.figures()]));
  }

  get requests(): number {
    let n = 0;
    for (const s of this.ops.values()) n += s.n;
    return n;
  }

  get errors(): number {
    let n = 0;
    for (const s of this.ops.values()) n += s.errors;
    return n;
  }
}
