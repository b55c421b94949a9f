// Group commit (DESIGN: storage): transactions of one event-loop turn share one COMMIT; each still rolls back
// alone; nothing is visible to another connection — nor acknowledged — before durable() resolves.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import t from 'tap';
import { Enum } from '../../src/kmip/enum.js';
import { Tag } from '../../src/kmip/tag.js';
import type { ManagedObject } from '../../src/model/managed-object.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
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

t.test('one COMMIT for the transactions of a turn; each rolls back alone', async (t) => {
  const path = join(dir, 'a.db');
  const store = openSqliteStore(path, { groupCommit: true });
  const other = new Database(path, { readonly: true });
  t.teardown(() => {
    store.close();
    other.close();
  });
  const count = (): number => (other.prepare('SELECT count(*) AS n FROM objects').get() as { n: number }).n;
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
  const path = join(dir, 'c.db');
  const store = openSqliteStore(path);
  const other = new Database(path, { readonly: true });
  t.teardown(() => {
    store.close();
    other.close();
  });
  store.transaction(() => store.insert(object('x')));
  t.equal((other.prepare('SELECT count(*) AS n FROM objects').get() as { n: number }).n, 1);
});
