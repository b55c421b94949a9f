// kmipd for the server benchmark: `kmipd serve` as the CLI runs it (configuration from KMIPD_* variables,
// startKmipd, SIGTERM stops it gracefully), plus an event-loop probe the benchmark reads over IPC, and with
// BENCH_PROFILE_DIR a CPU profile of each measuring window only (not of the set-up before it).
// src/ has no such probe, and the generator runs in another process, so this small variant carries it.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance, PerformanceObserver, type EventLoopUtilization } from 'node:perf_hooks';
import { loadConfig } from '../../src/config.js';
import { tuneHeap } from '../../src/heap-tuning.js';
import { startKmipd } from '../../src/main.js';

type Command = { readonly cmd: 'loop-start' } | { readonly cmd: 'loop-stop' };

const send = (m: unknown): void => void process.send?.(m);
const config = loadConfig({ env: process.env, argv: process.argv.slice(2), cwd: process.cwd() });
tuneHeap(); // as `kmipd serve` does
const running = await startKmipd(config);
/** node records whole timer intervals: the resolution is subtracted from each figure below. */
const RESOLUTION_MS = 5;
const loop = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
let cpu0 = process.cpuUsage();
let wall0 = performance.now();
let elu0: EventLoopUtilization = performance.eventLoopUtilization();
/** Resident set size at the start of the window, and sampled through it: memory must stay flat over a long run. */
let rss0 = process.memoryUsage.rss();
const RSS_SAMPLE_MS = 5_000;
let rssSamples: number[] = [];
let rssTimer: NodeJS.Timeout | undefined;

/**
 * Garbage-collection pauses in the window: the longest and their sum. A stall of the event loop (its max above) is
 * either one of these or kmipd's own work, and the two call for different fixes.
 */
let gcMax = 0;
let gcTotal = 0;
const gc = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    gcMax = Math.max(gcMax, e.duration);
    gcTotal += e.duration;
  }
});

const profileDir = process.env.BENCH_PROFILE_DIR;
const inspector = profileDir === undefined ? undefined : new Session();
let profiles = 0;
if (inspector !== undefined) {
  inspector.connect();
  await inspector.post('Profiler.enable');
}

process.on('message', (m: Command) => void onCommand(m));

async function onCommand(m: Command): Promise<void> {
  if (m.cmd === 'loop-start') {
    await inspector?.post('Profiler.start');
    loop.reset();
    loop.enable();
    cpu0 = process.cpuUsage();
    wall0 = performance.now();
    elu0 = performance.eventLoopUtilization();
    rss0 = process.memoryUsage.rss();
    rssSamples = [];
    rssTimer = setInterval(() => rssSamples.push(process.memoryUsage.rss()), RSS_SAMPLE_MS);
    gcMax = 0;
    gcTotal = 0;
    gc.observe({ entryTypes: ['gc'] });
  } else if (m.cmd === 'loop-stop') {
    loop.disable();
    gc.disconnect();
    const cpu = process.cpuUsage(cpu0);
    const wall = performance.now() - wall0;
    // the main thread's busy share: near 1 means kmipd's one JavaScript thread is the limit
    const busy = performance.eventLoopUtilization(elu0).utilization;
    const rss = process.memoryUsage.rss();
    clearInterval(rssTimer);
    const series = [rss0, ...rssSamples, rss];
    const at = (f: number): number => series[Math.round(f * (series.length - 1))]!;
    if (inspector !== undefined) {
      const { profile } = await inspector.post('Profiler.stop');
      writeFileSync(join(profileDir!, `window-${String(++profiles).padStart(2, '0')}.cpuprofile`), JSON.stringify(profile));
    }
    const ms = (ns: number): number => Number(Math.max(0, ns / 1e6 - RESOLUTION_MS).toFixed(2));
    send({
      loop: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) },
      cpu: (cpu.user + cpu.system) / 1000 / wall,
      busy,
      gc: { max: Number(gcMax.toFixed(2)), share: gcTotal / wall },
      rss: { start: rss0, q1: at(0.25), half: at(0.5), q3: at(0.75), end: rss, max: Math.max(...series) },
    });
  }
}
process.once('SIGTERM', () => {
  void running.close().then(() => process.exit(0), () => process.exit(1));
});
send({ listening: running.port });
