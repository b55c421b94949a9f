// The store's cache of decoded objects never shows what the database no longer holds: writes through the
// store, rolled-back transactions (plain, savepoint and group commit) and commits by another connection.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import t, { type Test } from 'tap';
import { Enum } from '../../src/kmip/enum.js';
import { Tag } from '../../src/kmip/tag.js';
import type { ManagedObject } from '../../src/model/managed-object.js';
import { OBJECT_CACHE_ENTRIES, ObjectCache, WRITTEN_ENTRIES } from '../../src/store/object-cache.js';
import { openSqliteStore, type SqliteObjectStore } from '../../src/store/sqlite-store.js';
import { ttlv } from '../../src/ttlv/ttlv-item.js';

const dir = mkdtempSync(join(tmpdir(), 'kmipd-cache-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

function open(t: Test, groupCommit = false): { store: SqliteObjectStore; path: string } {
  const path = join(dir, `cache-${++files}.db`);
  const store = openSqliteStore(path, { groupCommit });
  t.teardown(() => store.close());
  return { store, path };
}

const object = (uid: string, state: number = Enum.State.PreActive): ManagedObject => ({
  uid,
  objectType: Enum.ObjectType.SecretData,
  owner: 'alice',
  state,
  attributes: [
    { name: 'UniqueIdentifier', index: 0, value: ttlv.textString(Tag.UniqueIdentifier, uid) },
    { name: 'State', index: 0, value: ttlv.enumeration(Tag.State, state) },
  ],
  material: { blob: new Uint8Array([1, 2, 3]), kekVersion: 1 },
});

t.test('a read is served from the cache until the store writes the object', (t) => {
  const { store } = open(t);
  store.insert(object('a'));
  const first = store.get('a')!;
  t.equal(store.get('a'), first, 'the second read is the same decoded object');
  store.update(object('a', Enum.State.Active));
  t.equal(store.get('a')!.state, Enum.State.Active, 'an update is seen at once');
  store.replaceMaterial('a', { blob: new Uint8Array([1, 2, 3]), kekVersion: 1 }, { blob: new Uint8Array([4, 5]), kekVersion: 2 });
  t.same([...store.get('a')!.material!.blob], [4, 5], 'a re-sealed blob is seen at once');
  t.end();
});

t.test('a rolled-back transaction leaves no entry that shows what it undid', (t) => {
  const { store } = open(t);
  store.insert(object('a'));
  t.throws(() =>
    store.transaction(() => {
      store.update(object('a', Enum.State.Active));
      t.equal(store.get('a')!.state, Enum.State.Active, 'the transaction sees its own write (and the cache holds it)');
      throw new Error('undo');
    }),
  );
  t.equal(store.get('a')!.state, Enum.State.PreActive, 'after the rollback the old state is read');
  store.transaction(() => {
    try {
      store.transaction(() => {
        store.insert(object('b'));
        t.ok(store.get('b'));
        throw new Error('inner');
      });
    } catch {
      // the savepoint is undone, the outer transaction goes on
    }
  });
  t.equal(store.get('b'), undefined, 'a savepoint rolled back: its insert is not served from the cache');
  t.end();
});

t.test('with group commit, a failed item is not served from the cache', async (t) => {
  const { store } = open(t, true);
  store.transaction(() => store.insert(object('a')));
  await store.durable();
  t.throws(() =>
    store.transaction(() => {
      store.update(object('a', Enum.State.Deactivated));
      store.get('a');
      throw new Error('item fails');
    }),
  );
  t.equal(store.get('a')!.state, Enum.State.PreActive);
  await store.durable();
  t.equal(store.get('a')!.state, Enum.State.PreActive);
});

t.test('a commit by another connection (another process: kmipd token rotate-kek) is seen', async (t) => {
  const { store, path } = open(t);
  store.insert(object('a'));
  t.same([...store.get('a')!.material!.blob], [1, 2, 3]);
  const other = new Database(path);
  t.teardown(() => other.close());
  other.prepare('UPDATE objects SET material = ?, kek_version = 2 WHERE uid = ?').run(Buffer.from([7, 7]), 'a');
  store.transaction(() => {
    t.same([...store.get('a')!.material!.blob], [7, 7], 'at once inside a write transaction, which a write builds on');
  });
  other.prepare('UPDATE objects SET material = ?, kek_version = 3 WHERE uid = ?').run(Buffer.from([8, 8]), 'a');
  await new Promise((resolve) => setTimeout(resolve, 5));
  const after = store.get('a')!;
  t.same([...after.material!.blob], [8, 8], 'within a millisecond by a plain read');
  t.equal(after.material!.kekVersion, 3);
  other.prepare('DELETE FROM attributes WHERE uid = ?').run('a');
  other.prepare('DELETE FROM objects WHERE uid = ?').run('a');
  await new Promise((resolve) => setTimeout(resolve, 5));
  t.equal(store.get('a'), undefined, 'a row deleted elsewhere is gone here too');
});

t.test('an object cached as it is written holds copies, not views of the caller\'s bytes', (t) => {
  const { store } = open(t);
  const request = new Uint8Array([1, 2, 3, 4]); // say, part of a request buffer the connection reuses
  const o = object('w');
  store.insert({ ...o, attributes: [...o.attributes, { name: 'x-Blob', index: 0, value: ttlv.byteString(Tag.AttributeValue, request.subarray(1, 3)) }] });
  request.fill(0);
  const blob = store.get('w')!.attributes.find((a) => a.name === 'x-Blob')!.value;
  t.same([...(blob.value as Uint8Array)], [2, 3], 'the value as stored');
  t.not((blob.value as Uint8Array).buffer, request.buffer);
  t.equal(store.get('w')!.sequence, 1, 'the sequence the insert was given');
  t.end();
});

t.test('the cache is bounded: past 4,096 objects the oldest goes', (t) => {
  let version = 1;
  const cache = new ObjectCache(() => version);
  t.equal(OBJECT_CACHE_ENTRIES, 4096);
  for (let i = 0; i <= OBJECT_CACHE_ENTRIES; i++) cache.set(object(`o${i}`));
  t.equal(cache.get('o0', false), undefined, 'the first one left');
  t.ok(cache.get('o1', false) && cache.get(`o${OBJECT_CACHE_ENTRIES}`, false), 'the rest stayed');
  version = 2;
  t.equal(cache.get('o1', true), undefined, 'another connection committed: all gone');
  t.end();
});

t.test('objects just written wait in their own short queue: a stream of writes never pushes out what was read', (t) => {
  let version = 1;
  const cache = new ObjectCache(() => version);
  for (let i = 0; i < 100; i++) cache.set(object(`read${i}`));
  t.equal(WRITTEN_ENTRIES, 256);
  for (let i = 0; i <= 10 * WRITTEN_ENTRIES; i++) cache.setWritten(object(`w${i}`));
  t.ok([...Array(100).keys()].every((i) => cache.get(`read${i}`, false) !== undefined), 'every object read is still cached');
  t.equal(cache.get('w0', false), undefined, 'the oldest written ones left');
  t.ok(cache.get(`w${10 * WRITTEN_ENTRIES}`, false) && cache.get(`w${9 * WRITTEN_ENTRIES + 1}`, false), 'the last 256 written stayed');
  t.equal(cache.get(`w${9 * WRITTEN_ENTRIES}`, false), undefined, 'no more than 256');

  // one entry per object: a write replaces what was read, a read from the database replaces what was written
  const before = object('read0');
  cache.setWritten(before);
  t.equal(cache.get('read0', false), before, 'the written version is the one returned');
  const reread = object('read0');
  cache.set(reread);
  t.equal(cache.get('read0', false), reread, 'the version read since');
  for (let i = 0; i <= WRITTEN_ENTRIES; i++) cache.setWritten(object(`x${i}`));
  t.equal(cache.get('read0', false), reread, 'kept among the objects read, not lost with the written queue');
  cache.delete('read0');
  cache.delete(`x${WRITTEN_ENTRIES}`);
  t.equal(cache.get('read0', false), undefined, 'deleted');
  t.equal(cache.get(`x${WRITTEN_ENTRIES}`, false), undefined, 'deleted from the written queue too');

  cache.clear();
  t.equal(cache.get(`x${WRITTEN_ENTRIES - 1}`, false), undefined, 'a rollback empties both');
  cache.setWritten(object('y'));
  version = 2;
  t.equal(cache.get('y', true), undefined, 'another connection committed: both emptied');
  t.end();
});
