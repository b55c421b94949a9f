// Runs one benchmark cell: N workers (one per connection) for a warm-up and a measuring window, each either as
// fast as its server answers (closed loop) or at a fixed pace (latency counted from the planned start, so a
// stalled server cannot hide its queue); reports rates, percentiles and the generator's own CPU.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Recorder, type OpFigures } from './latency.js';
import type { Step } from './workloads.js';

export interface Timing {
  readonly warmupMs: number;
  readonly durationMs: number;
}

/** Something measured on the server side over the same window (e.g. kmipd's event-loop delay). */
export interface Probe {
  start(): void;
  stop(): Promise<Record<string, number>>;
}

export interface CellResult {
  readonly seconds: number;
  readonly unitsPerSec: number;
  readonly requestsPerSec: number;
  readonly requests: number;
  readonly errors: number;
  readonly errorReasons: Record<string, number>;
  readonly ops: Record<string, OpFigures>;
  /** Latency of whole units: the request for get/poll/locate, Create + Activate, connect + Get, a handshake. */
  readonly unit: OpFigures;
  /** The generator's CPU time (user + system, all threads) as a share of one core over the window. */
  readonly clientCpu: number;
  /** The generator's own event-loop delay p99 (ms): high means the generator, not the server, is late. */
  readonly clientLoopP99: number;
  /** The generator's longest event-loop stall in the window: a stall here is latency the server did not cause. */
  readonly clientLoopMax: number;
  readonly probe: Record<string, number>;
}

/**
 * `makeSteps(rec)` builds the workers' steps on the cell's recorder. `ratePerSec`: paced run, each of the N workers
 * planning its units at rate/N per second.
 */
/** setTimeout's granularity in node: waits below it are not worth a timer. */
const TIMER_GRANULARITY_MS = 1;

export async function runCell(makeSteps: (rec: Recorder) => Step[], timing: Timing, ratePerSec?: number, probe?: Probe): Promise<CellResult> {
  const rec = new Recorder();
  const steps = makeSteps(rec);
  const t0 = performance.now();
  rec.from = t0 + timing.warmupMs;
  rec.to = rec.from + timing.durationMs;
  let cpu0 = process.cpuUsage();
  const loop = monitorEventLoopDelay({ resolution: 5 });
  const opened = sleep(timing.warmupMs).then(() => {
    cpu0 = process.cpuUsage();
    loop.enable();
    probe?.start();
  });
  let cpu: NodeJS.CpuUsage | undefined;
  let probed: Promise<Record<string, number>> = Promise.resolve({});
  const shut = sleep(timing.warmupMs + timing.durationMs).then(() => {
    cpu = process.cpuUsage(cpu0);
    loop.disable();
    if (probe !== undefined) probed = probe.stop();
  });
  const period = ratePerSec === undefined ? 0 : (1000 * steps.length) / ratePerSec;
  await Promise.all(
    steps.map(async (step, i) => {
      // paced workers are spread over one period so that their requests do not arrive in bursts
      let planned = t0 + (period * i) / steps.length;
      for (;;) {
        const now = performance.now();
        if (now >= rec.to) return;
        if (period === 0) {
          await step();
          continue;
        }
        // Timers fire a millisecond late at best: a wait shorter than that would make this worker fall behind
        // its plan (and count its own lateness as the server's latency), so it sends at once. Latency then
        // counts from the send, never from a plan later than it.
        if (planned - now >= TIMER_GRANULARITY_MS) await sleep(planned - now);
        if (planned >= rec.to) return;
        try {
          await step(Math.min(planned, performance.now()));
        } catch {
          return;
        }
        planned += period;
      }
    }).map((p) => p.catch(() => undefined)),
  );
  await opened;
  await shut;
  const seconds = timing.durationMs / 1000;
  const used = cpu!;
  return {
    seconds,
    unitsPerSec: rec.units / seconds,
    requestsPerSec: rec.requests / seconds,
    requests: rec.requests,
    errors: rec.errors,
    errorReasons: Object.fromEntries(rec.reasons),
    ops: rec.figures(),
    unit: rec.unitSamples.figures(),
    clientCpu: (used.user + used.system) / 1000 / timing.durationMs,
    // node records whole timer intervals: less the 5 ms resolution, what is left is the delay
    clientLoopP99: loop.count > 0 ? Math.max(0, loop.percentile(99) / 1e6 - 5) : NaN,
    clientLoopMax: loop.count > 0 ? Math.max(0, loop.max / 1e6 - 5) : NaN,
    probe: await probed,
  };
}
