// Test harness: a real kmipd (startKmipd) on an ephemeral port with its own data directory, SoftHSM token,
// development certificates and a log file; and a PyKMIP runner. Start it at most once per test file: SoftHSM reads
// SOFTHSM2_CONF once per process.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { ensureDevCerts } from '../../src/certs/dev-certs.js';
import { loadConfig, type KmipdConfig } from '../../src/config.js';
import { startKmipd, type RunningKmipd } from '../../src/main.js';

export interface LiveServer {
  readonly port: number;
  readonly dir: string;
  readonly certs: string;
  readonly logFile: string;
  readonly config: KmipdConfig;
  readonly running: RunningKmipd;
  /** Every log line so far, parsed. */
  logRecords(): Record<string, unknown>[];
  /** The log file's text. */
  logText(): string;
  close(): Promise<void>;
}

/** Starts kmipd; `env` adds KMIPD_* settings (e.g. KMIPD_ADMINS, KMIPD_TEST_MODE). Clients alice, bob, carol. */
export async function startLiveServer(env: Record<string, string> = {}): Promise<LiveServer> {
  const dir = mkdtempSync(join(tmpdir(), 'kmipd-live-'));
  const certs = join(dir, 'certs');
  ensureDevCerts(certs, ['alice', 'bob', 'carol']);
  const config = loadConfig({
    env: {
      KMIPD_HOST: '127.0.0.1',
      KMIPD_PORT: '0',
      KMIPD_DATA_DIR: join(dir, 'data'),
      KMIPD_TLS_CERT: join(certs, 'server.crt'),
      KMIPD_TLS_KEY: join(certs, 'server.key'),
      KMIPD_TLS_CA: join(certs, 'ca.crt'),
      KMIPD_LOG_LEVEL: 'info',
      ...env,
    },
    argv: [],
    cwd: dir,
  });
  const logFile = join(dir, 'kmipd.log');
  writeFileSync(logFile, '');
  const log = pino({ level: 'info', base: { service: 'kmipd' } }, pino.destination({ dest: logFile, sync: true }));
  const running = await startKmipd(config, log);
  return {
    port: running.port,
    dir,
    certs,
    logFile,
    config,
    running,
    logText: () => readFileSync(logFile, 'utf8'),
    logRecords: () =>
      readFileSync(logFile, 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    async close() {
      await running.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The Python PyKMIP runs under: Debian's python3-pykmip is installed for /usr/bin/python3 only. */
export const PYTHON = '/usr/bin/python3';

export interface PythonResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a Python script with PyKMIP. The script gets `client(version_text, identity='alice')` returning a
 * ProxyKmipClient bound to the live server (config_file points at an empty file so ~/.pykmip is never read),
 * and `enums` from kmip.core. Asynchronous, so the in-process server keeps serving.
 */
export function runPyKmip(server: LiveServer, body: string, timeoutMs = 120_000): Promise<PythonResult> {
  const emptyConf = join(server.dir, 'pykmip-empty.conf');
  writeFileSync(emptyConf, '');
  const prelude = `
import sys, json, logging
logging.disable(logging.CRITICAL)
from kmip.pie.client import ProxyKmipClient
from kmip.pie import objects
from kmip.core import enums
VERSIONS = {'1.0': enums.KMIPVersion.KMIP_1_0, '1.1': enums.KMIPVersion.KMIP_1_1, '1.2': enums.KMIPVersion.KMIP_1_2,
            '1.3': enums.KMIPVersion.KMIP_1_3, '1.4': enums.KMIPVersion.KMIP_1_4, '2.0': enums.KMIPVersion.KMIP_2_0}
def client(version='1.2', identity='alice'):
    return ProxyKmipClient(hostname='127.0.0.1', port=${server.port},
        cert='${server.certs}/' + identity + '.crt', key='${server.certs}/' + identity + '.key',
        ca='${join(server.certs, 'ca.crt')}', config_file='${emptyConf}', kmip_version=VERSIONS[version])
`;
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, ['-c', prelude + body], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
