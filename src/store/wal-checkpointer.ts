// Checkpoints the store's WAL from a worker thread with its own connection (SQLite "Write-Ahead Logging" §
// Checkpointing): copying WAL pages into the database file and syncing both happen off the event loop.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * How often the worker checkpoints. Under a stream of Creates the WAL grows by a few thousand pages a second;
 * a checkpoint every 50 ms keeps it to a few MiB, and one with nothing to copy costs microseconds.
 */
const CHECKPOINT_INTERVAL_MS = 50;

/**
 * The worker's program: CommonJS, handed to it as text so that it runs the same from dist/ and under tsx.
 * PASSIVE never waits for the server's readers or writer; the next write transaction rewinds the WAL once a
 * checkpoint has copied all of it. synchronous = FULL: the WAL is synced before pages are copied and the
 * database file after, so a crash in the middle loses nothing.
 */
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.sqlite);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = FULL');
let timer;
const tick = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort.postMessage({ error: String(error) });
  }
  timer = setTimeout(tick, workerData.intervalMs);
};
parentPort.on('message', () => {
  clearTimeout(timer);
  db.close();
  parentPort.close();
});
tick();
`;

export interface WalCheckpointer {
  /** Asks the worker to close its connection and end; does not wait (the server's own close syncs the WAL). */
  stop(): void;
}

/**
 * Starts checkpointing `path` from a worker. `onFailure` runs once, at the first failed checkpoint or if the worker
 * fails or ends on its own; the worker is then stopped (the caller turns SQLite's automatic checkpoints back on),
 * so a failing disk is reported once, not every 50 ms. The error text never holds data from the database.
 */
export function startWalCheckpointer(path: string, onFailure: (reason: string) => void): WalCheckpointer {
  const sqlite = createRequire(import.meta.url).resolve('better-sqlite3');
  // none of the parent's flags (a test runner's loaders, --input-type): its text is plain CommonJS
  const worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], workerData: { path, sqlite, intervalMs: CHECKPOINT_INTERVAL_MS } });
  worker.unref();
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    worker.postMessage('stop');
  };
  const fail = (reason: string): void => {
    if (stopping) return;
    stop();
    onFailure(reason);
  };
  worker.on('message', (m: { error?: string }) => {
    if (m.error !== undefined) fail(`checkpoint failed: ${m.error}`);
  });
  worker.on('error', (e) => fail(`checkpoint worker failed: ${e.message}`));
  worker.on('exit', (code) => fail(`checkpoint worker ended (exit code ${code})`));
  return { stop };
}
