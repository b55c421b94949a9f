// kmipd for the server benchmark: `kmipd serve` as the CLI runs it (configuration from KMIPD_* variables,
// startKmipd, SIGTERM stops it gracefully), plus an event-loop delay monitor the benchmark reads over IPC.
// src/ has no such probe, and the generator runs in another process, so this small variant carries it.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadConfig } from '../../src/config.js';
import { startKmipd } from '../../src/main.js';

type Command = { readonly cmd: 'loop-start' } | { readonly cmd: 'loop-stop' };

const send = (m: unknown): void => void process.send?.(m);
const config = loadConfig({ env: process.env, argv: process.argv.slice(2), cwd: process.cwd() });
const running = await startKmipd(config);
/** node records whole timer intervals: the resolution is subtracted from each figure below. */
const RESOLUTION_MS = 5;
const loop = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
let cpu0 = process.cpuUsage();
let wall0 = performance.now();

process.on('message', (m: Command) => {
  if (m.cmd === 'loop-start') {
    loop.reset();
    loop.enable();
    cpu0 = process.cpuUsage();
    wall0 = performance.now();
  } else if (m.cmd === 'loop-stop') {
    loop.disable();
    const cpu = process.cpuUsage(cpu0);
    const ms = (ns: number): number => Number(Math.max(0, ns / 1e6 - RESOLUTION_MS).toFixed(2));
    send({
      loop: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) },
      cpu: (cpu.user + cpu.system) / 1000 / (performance.now() - wall0),
    });
  }
});
process.once('SIGTERM', () => {
  void running.close().then(() => process.exit(0), () => process.exit(1));
});
send({ listening: running.port });
