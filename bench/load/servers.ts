// The servers the benchmark drives, each in its own process: kmipd (bench/load/kmipd-child.ts, i.e. `kmipd serve`
// with an event-loop probe), PyKMIP 0.10's `pykmip-server` with its own configuration, certificates and SQLite
// file, and the bare-TLS ceiling server. Their output goes to files, so the generator never spends CPU on it.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer, connect as tcpConnect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Probe } from './driver.js';

export const PYKMIP_SERVER = '/usr/bin/pykmip-server';

export interface RunningServer {
  readonly port: number;
  readonly child: ChildProcess;
  readonly probe?: Probe;
  stop(): Promise<void>;
}

function waitExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** A node child with an IPC channel that says `{ listening: port }` once it serves; stdout/stderr to `logFile`. */
function forkServer(script: string, args: string[], env: Record<string, string>, logFile: string): Promise<{ child: ChildProcess; port: number }> {
  const fd = openSync(logFile, 'a');
  const child = fork(fileURLToPath(new URL(script, import.meta.url)), args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', fd, fd, 'ipc'],
  });
  closeSync(fd);
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null): void => reject(new Error(`${script} exited (${code}) before listening: see ${logFile}`));
    child.once('exit', onExit);
    child.on('message', function first(m: { listening?: number }) {
      if (m.listening === undefined) return;
      child.off('message', first);
      child.off('exit', onExit);
      resolve({ child, port: m.listening });
    });
  });
}

/** kmipd reads the same KMIPD_* variables as `kmipd serve`; with `profileDir`, each measuring window is profiled. */
export async function startKmipd(dir: string, certs: string, logFile: string, profileDir?: string): Promise<RunningServer> {
  const env = {
    KMIPD_HOST: '127.0.0.1',
    KMIPD_PORT: '0',
    KMIPD_DATA_DIR: dir,
    KMIPD_TLS_CERT: join(certs, 'server.crt'),
    KMIPD_TLS_KEY: join(certs, 'server.key'),
    KMIPD_TLS_CA: join(certs, 'ca.crt'),
    KMIPD_LOG_LEVEL: process.env.BENCH_KMIPD_LOG_LEVEL ?? 'info',
    KMIPD_DEV_CERTS: 'false',
    ...(profileDir === undefined ? {} : { BENCH_PROFILE_DIR: profileDir }),
  };
  const { child, port } = await forkServer('./kmipd-child.js', [], env, logFile);
  const probe: Probe = {
    start: () => void child.send({ cmd: 'loop-start' }),
    stop: () =>
      new Promise((resolve) => {
        child.once('message', (m: { loop: { p50: number; p99: number; max: number }; cpu: number; busy: number; gc: { max: number; share: number }; rss: { start: number; q1: number; half: number; q3: number; end: number; max: number } }) =>
          resolve({
            loop_p50_ms: m.loop.p50, loop_p99_ms: m.loop.p99, loop_max_ms: m.loop.max, cpu: m.cpu, loop_busy: m.busy,
            gc_max_ms: m.gc.max, gc_share: m.gc.share,
            rss_start_mb: m.rss.start / 2 ** 20, rss_q1_mb: m.rss.q1 / 2 ** 20, rss_half_mb: m.rss.half / 2 ** 20,
            rss_q3_mb: m.rss.q3 / 2 ** 20, rss_end_mb: m.rss.end / 2 ** 20, rss_max_mb: m.rss.max / 2 ** 20,
          }),
        );
        child.send({ cmd: 'loop-stop' });
      }),
  };
  return {
    port,
    child,
    probe,
    async stop() {
      child.kill('SIGTERM');
      if (!(await waitExit(child, 30_000))) child.kill('SIGKILL');
    },
  };
}

export async function startCeilingServer(configFile: string, logFile: string): Promise<RunningServer> {
  const { child, port } = await forkServer('./ceiling-server.js', [configFile], {}, logFile);
  return {
    port,
    child,
    async stop() {
      child.kill('SIGTERM');
      if (!(await waitExit(child, 5_000))) child.kill('SIGKILL');
    },
  };
}

/** A TCP port free right now (PyKMIP takes its port from its configuration file, not from the kernel). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a !== null ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`pykmip-server exited with ${child.exitCode}`);
    const up = await new Promise<boolean>((resolve) => {
      const s = tcpConnect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (up) return;
    await sleep(100);
  }
  throw new Error(`pykmip-server did not listen on port ${port} within ${ms} ms`);
}

/**
 * PyKMIP's server with the settings its config.py reads: TLS 1.2 suite, client certificates required (identity
 * from the single CN, EKU clientAuth), INFO logging to its own file, its own SQLite file and (empty) policy
 * directory. Run in its own process group: it forks a multiprocessing manager, stopped with it.
 */
export async function startPykmip(dir: string, certs: string): Promise<RunningServer> {
  mkdirSync(join(dir, 'policies'), { recursive: true });
  const port = await freePort();
  const conf = join(dir, 'server.conf');
  writeFileSync(
    conf,
    [
      '[server]',
      'hostname=127.0.0.1',
      `port=${port}`,
      `certificate_path=${join(certs, 'server.crt')}`,
      `key_path=${join(certs, 'server.key')}`,
      `ca_path=${join(certs, 'ca.crt')}`,
      'auth_suite=TLS1.2',
      `policy_path=${join(dir, 'policies')}`,
      'enable_tls_client_auth=True',
      'logging_level=INFO',
      `database_path=${join(dir, 'pykmip.db')}`,
      '',
    ].join('\n'),
  );
  const fd = openSync(join(dir, 'stdout.log'), 'a');
  const child = spawn(PYKMIP_SERVER, ['--config_path', conf, '--log_path', join(dir, 'server.log')], {
    stdio: ['ignore', fd, fd],
    detached: true,
  });
  closeSync(fd);
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (e) => reject(new Error(`cannot run ${PYKMIP_SERVER}: ${e.message}; install Debian's python3-pykmip`)));
  });
  await waitForPort(port, child, 60_000);
  return {
    port,
    child,
    async stop() {
      // SIGINT breaks its accept loop at once (SIGTERM waits for the 10 s accept timeout)
      try {
        process.kill(-child.pid!, 'SIGINT');
      } catch {
        return;
      }
      if (!(await waitExit(child, 15_000))) {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    },
  };
}
