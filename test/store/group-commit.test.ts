// Group commit (DESIGN: storage): transactions of one event-loop turn (or of every turn while a sync runs) share
// one COMMIT; each still rolls back alone; nothing is visible to another connection — nor acknowledged — before durable() resolves.
import { fdatasync, fdatasyncSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import t, { type Test } from 'tap';
import { Enum } from '../../src/kmip/enum.js';
import { Tag } from '../../src/kmip/tag.js';
import type { ManagedObject } from '../../src/model/managed-object.js';
import { openSqliteStore, type SqliteStoreOptions } from '../../src/store/sqlite-store.js';
import { ttlv } from '../../src/ttlv/ttlv-item.js';

const dir = mkdtempSync(join(tmpdir(), 'kmipd-group-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

const object = (uid: string): ManagedObject => ({
  uid,
  objectType: Enum.ObjectType.SecretData,
  owner: 'alice',
  state: Enum.State.PreActive,
  attributes: [{ name: 'UniqueIdentifier', index: 0, value: ttlv.textString(Tag.UniqueIdentifier, uid) }],
  material: { blob: new Uint8Array([1, 2, 3]), kekVersion: 1 },
});

/** A store on a new file (group commit unless told otherwise), and its object count as another connection sees it. */
function openWatched(t: Test, name: string, options: SqliteStoreOptions = {}) {
  const path = join(dir, name);
  const store = openSqliteStore(path, { groupCommit: true, ...options });
  const other = new Database(path, { readonly: true });
  t.teardown(() => {
    store.close();
    other.close();
  });
  return { path, store, count: (): number => (other.prepare('SELECT count(*) AS n FROM objects').get() as { n: number }).n };
}

/** The real fdatasync for the thread pool, each one held until the test releases it. */
function heldSyncs() {
  const held: (() => void)[] = [];
  const syncs = {
    held,
    /** Syncs begun: counted as they start, since one on a busy disk may not have returned yet. */
    started: 0,
    syncWal(fd: number, done: (e: NodeJS.ErrnoException | null) => void): void {
      syncs.started++;
      fdatasync(fd, (e) => held.push(() => done(e)));
    },
    /** Lets the oldest sync return, once it has. */
    async release(): Promise<void> {
      while (held.length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
      held.shift()!();
    },
  };
  return syncs;
}

t.test('one COMMIT for the transactions of a turn; each rolls back alone', async (t) => {
  const { store, count } = openWatched(t, 'a.db');
  store.transaction(() => store.insert(object('a')));
  t.throws(() => store.transaction(() => {
    store.insert(object('b'));
    throw new Error('this item fails');
  }));
  store.transaction(() => store.insert(object('c')));
  t.equal(count(), 0, 'nothing committed yet: another connection sees nothing');
  t.ok(store.get('a') && store.get('c'), 'the store itself reads its own uncommitted writes');
  t.equal(store.get('b'), undefined, 'the failed transaction is rolled back alone');
  await store.durable();
  t.equal(count(), 2, 'after durable(): both committed, in one group');
  t.equal(store.db.inTransaction, false);
  await store.durable();
  t.pass('durable() with nothing pending resolves');
});

t.test('close() commits an open group', async (t) => {
  const path = join(dir, 'b.db');
  const store = openSqliteStore(path, { groupCommit: true });
  store.transaction(() => store.insert(object('z')));
  store.close();
  const again = openSqliteStore(path);
  t.ok(again.get('z'), 'committed on close');
  again.close();
});

t.test('without group commit, transaction() commits before it returns', async (t) => {
  const { store, count } = openWatched(t, 'c.db', { groupCommit: false });
  store.transaction(() => store.insert(object('x')));
  t.equal(count(), 1);
});

t.test('a group is durable only once the WAL is synced: COMMIT without fsync, then fdatasync off the event loop', async (t) => {
  const { store, count } = openWatched(t, 'sync.db');
  t.equal(store.db.pragma('synchronous', { simple: true }), 1, 'NORMAL: the COMMIT itself does not wait for the disk');
  store.transaction(() => store.insert(object('s1')));
  const first = store.durable();
  await new Promise((resolve) => setImmediate(resolve));
  t.equal(count(), 1, 'the group has committed');
  const pending = Symbol('pending');
  t.equal(await Promise.race([first, Promise.resolve(pending)]), pending, 'but is not durable before its fdatasync returns');
  t.equal(store.durable(), first, 'durable() waits for that sync');
  await first;
  t.pass('the sync returned');
  // a second group committed while the first syncs is covered by its own, later sync
  store.transaction(() => store.insert(object('s2')));
  const second = store.durable();
  await second;
  t.ok(store.get('s2'));
  await store.durable();
  t.pass('nothing pending: resolved');
});

t.test('while a sync runs, the next group stays open across turns and commits once that sync returns', async (t) => {
  const syncs = heldSyncs();
  const { held } = syncs;
  const { store, count } = openWatched(t, 'pipeline.db', { syncWal: syncs.syncWal });
  store.transaction(() => store.insert(object('p1')));
  const first = store.durable();
  await new Promise((resolve) => setImmediate(resolve));
  t.equal(count(), 1, 'the first group committed at the end of its turn; its sync runs');
  const turns: Promise<void>[] = [];
  for (const uid of ['p2', 'p3', 'p4']) {
    store.transaction(() => store.insert(object(uid)));
    turns.push(store.durable());
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  t.equal(count(), 1, 'nothing more committed while the sync runs');
  t.equal(turns[0], turns[2], 'the three turns share one group');
  t.ok(store.db.inTransaction, 'which is open');
  t.equal(syncs.started, 1, 'one sync at a time');
  await syncs.release();
  await first;
  t.equal(count(), 4, 'the waiting group committed as soon as the sync returned');
  while (held.length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
  const pending = Symbol('pending');
  t.equal(await Promise.race([turns[0], Promise.resolve(pending)]), pending, 'and is durable only after its own sync');
  held.shift()!();
  await Promise.all(turns);
  t.equal(store.db.inTransaction, false, 'no group left open');
  await store.durable();
  t.pass('nothing pending: resolved');
});

t.test('durable(true) commits and syncs the open group at once, on the event loop; durable() on the pool', async (t) => {
  const seen: string[] = [];
  const syncs = heldSyncs();
  const syncWal = (fd: number, done: (e: NodeJS.ErrnoException | null) => void): void => {
    seen.push('pool');
    syncs.syncWal(fd, done);
  };
  const syncWalNow = (fd: number): void => {
    seen.push('here');
    fdatasyncSync(fd);
  };
  const { store, count } = openWatched(t, 'now.db', { syncWal, syncWalNow });
  store.transaction(() => store.insert(object('n1')));
  const now = store.durable(true);
  t.same(seen, ['here'], 'synced before durable(true) returned');
  t.equal(count(), 1, 'and committed');
  await now;
  store.transaction(() => store.insert(object('n2')));
  const later = store.durable();
  t.equal(count(), 1, 'durable(): committed at the end of the turn');
  await new Promise((resolve) => setImmediate(resolve));
  t.same(seen, ['here', 'pool'], 'and synced on the pool');
  // with a sync running, durable(true) waits for it like any other
  store.transaction(() => store.insert(object('n3')));
  const waiting = store.durable(true);
  t.same(seen, ['here', 'pool'], 'no sync here while one runs');
  await syncs.release();
  await later;
  await syncs.release();
  await waiting;
  t.equal(count(), 3, 'the waiting group committed after that sync, and synced on the pool');
  await store.durable(true);
  t.pass('nothing pending: resolved');
});

t.test('a sync on the event loop that fails is answered as failed, and the store goes on', async (t) => {
  const path = join(dir, 'lone-fail.db');
  let fail = true;
  const syncWalNow = (fd: number): void => {
    if (fail) throw Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
    fdatasyncSync(fd);
  };
  const store = openSqliteStore(path, { groupCommit: true, syncWalNow });
  t.teardown(() => store.close());
  store.transaction(() => store.insert(object('f1')));
  await t.rejects(store.durable(true), /EIO/, 'durable(true) rejects: the client is told it failed');
  fail = false;
  store.transaction(() => store.insert(object('f2')));
  await store.durable(true);
  t.ok(store.get('f1') && store.get('f2'), 'committed (maybe not on disk for f1, whose client was told so), and the store reads on');
});

t.test('close() while a group waits for a sync commits it', async (t) => {
  const path = join(dir, 'pipeline-close.db');
  const store = openSqliteStore(path, { groupCommit: true, syncWal: () => undefined }); // a sync that never returns
  store.transaction(() => store.insert(object('q1')));
  await new Promise((resolve) => setImmediate(resolve));
  store.transaction(() => store.insert(object('q2')));
  store.close();
  const again = openSqliteStore(path);
  t.ok(again.get('q1') && again.get('q2'), 'both committed on close');
  again.close();
});

t.test('a worker thread checkpoints the WAL into the database file (the server thread does not)', async (t) => {
  const path = join(dir, 'checkpoint.db');
  const store = openSqliteStore(path, { groupCommit: true, onWarning: (m) => t.fail(m) });
  t.teardown(() => store.close());
  t.equal(store.db.pragma('wal_autocheckpoint', { simple: true }), 0, 'no automatic checkpoint on the server thread');
  const before = statSync(path).size;
  for (let i = 0; i < 200; i++) store.transaction(() => store.insert(object(`c${i}`)));
  await store.durable();
  const deadline = Date.now() + 30_000;
  while (statSync(path).size === before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  t.ok(statSync(path).size > before, `the database file grew from ${before} to ${statSync(path).size} bytes: pages were copied from the WAL`);
  t.ok(store.get('c199'), 'and the store reads on');
});

t.test('under a steady stream of groups the WAL stays within its bound and is rewound', async (t) => {
  const path = join(dir, 'bounded.db');
  const limit = 512 * 1024;
  const store = openSqliteStore(path, { groupCommit: true, walLimitBytes: limit, onWarning: (m) => t.fail(m) });
  t.teardown(() => store.close());
  t.equal(store.db.pragma('journal_size_limit', { simple: true }), limit, 'a rewound WAL is cut back to the bound');
  const big = (uid: string): ManagedObject => ({ ...object(uid), material: { blob: new Uint8Array(3000).fill(7), kekVersion: 1 } });
  let largest = 0;
  // ~12 MB of rows, a group per turn with no pause between groups: the worker alone never catches up
  for (let g = 0; g < 800; g++) {
    for (let i = 0; i < 5; i++) store.transaction(() => store.insert(big(`w${g}-${i}`)));
    await store.durable();
    largest = Math.max(largest, statSync(`${path}-wal`).size);
  }
  // between two looks at its size (every 32 COMMITs) the WAL may pass the bound by what those groups wrote
  t.ok(largest < limit + 4 * 2 ** 20, `the WAL peaked at ${largest} bytes for ~12 MB written`);
  t.ok(statSync(path).size > 10 * 2 ** 20, 'the rows reached the database file');
  t.ok(store.get('w799-4'), 'and the store reads on');
  const other = new Database(path, { readonly: true });
  t.teardown(() => other.close());
  t.equal((other.prepare('SELECT count(*) AS n FROM objects').get() as { n: number }).n, 4000, 'every row committed');
});
