// The durability ceiling: how many durable commits per second an SQLite file on this disk takes, in kmipd's own
// mode (WAL, synchronous=FULL: the WAL is fsynced at every commit), one small insert per transaction.
import Database from 'better-sqlite3';
import { join } from 'node:path';

export interface FsyncFigures {
  readonly commitsPerSec: number;
  readonly p50: number;
  readonly p99: number;
}

export function measureFsync(dir: string, ms: number): FsyncFigures {
  const db = new Database(join(dir, 'fsync-ceiling.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v BLOB)');
  const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
  const commit = db.transaction((v: Buffer) => insert.run(v));
  const row = Buffer.alloc(200, 7);
  const times: number[] = [];
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    const t0 = now;
    commit(row);
    now = performance.now();
    times.push(now - t0);
  }
  db.close();
  times.sort((a, b) => a - b);
  const at = (q: number): number => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)]!;
  return { commitsPerSec: times.length / ((now - start) / 1000), p50: at(0.5), p99: at(0.99) };
}
