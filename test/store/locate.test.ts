// Locate on the SQLite store: each filter kind, structure and custom attributes, owners, storage classes,
// ordering and paging, the SQL shapes, and indexed plans at 100,000 objects (1.4 §4.9; 2.1 §6.1.27).
import t, { type Test } from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore, type SqliteObjectStore } from '../../src/store/sqlite-store.js';
import { buildLocateSql } from '../../src/store/locate-sql.js';
import type { AttributeFilter, LocateQuery } from '../../src/store/locate-query.js';
import type { ManagedObject } from '../../src/model/managed-object.js';
import type { AttributeInstance } from '../../src/model/attribute.js';
import { Tag } from '../../src/kmip/tag.js';
import { Enum, Mask } from '../../src/kmip/enum.js';
import { ttlv, type TtlvItem } from '../../src/ttlv/index.js';

const dir = mkdtempSync(join(tmpdir(), 'kmipd-locate-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
function open(t: Test): SqliteObjectStore {
  const store = openSqliteStore(join(dir, `locate-${++files}.db`));
  t.teardown(() => store.close());
  return store;
}

const ONLINE = { online: true, archived: false, destroyed: false } as const;
const ALL = { online: true, archived: true, destroyed: true } as const;
const q = (filters: AttributeFilter[], over: Partial<LocateQuery> = {}): LocateQuery => ({ owner: undefined, filters, include: ONLINE, ...over });
const eq = (name: string, value: TtlvItem): AttributeFilter => ({ kind: 'equals', name, value });

const name = (value: string, type: number = Enum.NameType.UninterpretedTextString): TtlvItem =>
  ttlv.structure(Tag.Name, [ttlv.textString(Tag.NameValue, value), ttlv.enumeration(Tag.NameType, type)]);
const nameValueOnly = (value: string): TtlvItem => ttlv.structure(Tag.Name, [ttlv.textString(Tag.NameValue, value)]);

interface Spec {
  owner?: string;
  state?: number;
  archived?: boolean;
  objectType?: number;
  names?: TtlvItem[];
  extra?: [string, TtlvItem][];
}
/** An object with its State/ObjectType attributes mirrored, Names, and any extra attributes. */
function object(uid: string, s: Spec = {}): ManagedObject {
  const state = s.state ?? Enum.State.Active;
  const objectType = s.objectType ?? Enum.ObjectType.SymmetricKey;
  const counts = new Map<string, number>();
  const attributes: AttributeInstance[] = [
    ['UniqueIdentifier', ttlv.textString(Tag.UniqueIdentifier, uid)] as [string, TtlvItem],
    ['ObjectType', ttlv.enumeration(Tag.ObjectType, objectType)] as [string, TtlvItem],
    ['State', ttlv.enumeration(Tag.State, state)] as [string, TtlvItem],
    ...(s.names ?? []).map((n): [string, TtlvItem] => ['Name', n]),
    ...(s.extra ?? []),
  ].map(([n, value]) => {
    const index = counts.get(n) ?? 0;
    counts.set(n, index + 1);
    return { name: n, index, value };
  });
  return {
    uid, objectType, owner: s.owner ?? 'alice', state, archived: s.archived ?? false, attributes,
    material: { blob: new Uint8Array([1, 2, 3]), kekVersion: 1 },
  };
}

t.test('the SQL shapes (pure builder)', (t) => {
  const byName = buildLocateSql(q([eq('Name', nameValueOnly('k'))], { owner: 'alice' }));
  t.match(byName.sql, /o\.uid IN \(SELECT uid FROM attributes WHERE name = \? AND key = \? AND item_type = \? AND item_type != 9 AND key IS NOT NULL\)/,
    'the partial index\'s WHERE terms, verbatim');
  t.match(byName.sql, /\+o\.owner = \?/, 'owner check does not steal the plan from the attribute index');
  t.match(byName.sql, /o\.sequence < \? ORDER BY o\.sequence DESC LIMIT \?$/, 'structure: paged candidates');
  t.same(byName.params, ['Name', 'k', 1, 'alice'], 'the caller appends the sequence bound and the page size');
  t.equal(byName.confirm.length, 1, 'a structure is confirmed in JS');

  const scalar = buildLocateSql(q([eq('x-Product', ttlv.textString(Tag.AttributeValue, 'w'))], { offsetItems: 5, maxItems: 10 }));
  t.same(scalar.confirm, [], 'an exact scalar key needs no confirmation');
  t.match(scalar.sql, /ORDER BY o\.sequence DESC LIMIT \? OFFSET \?$/);
  t.same(scalar.params.slice(-2), [10, 5]);

  const keyless = buildLocateSql(q([eq('Name', ttlv.structure(Tag.Name, [ttlv.enumeration(Tag.NameType, 2)]))]));
  t.match(keyless.sql, /EXISTS \(SELECT 1 FROM attributes a WHERE a\.uid = o\.uid AND a\.name = \? AND a\.item_type = \?\)/);
  t.equal(keyless.confirm.length, 1);

  const range = buildLocateSql(q([{ kind: 'range', name: 'ActivationDate', from: 10n, to: 20n }]));
  t.match(range.sql, /name = \? AND item_type = 9 AND num BETWEEN \? AND \?/, 'item_type names the partial dates index');
  t.same(range.params.slice(-5, -2), ['ActivationDate', 10n, 20n]);

  const oneDate = buildLocateSql(q([eq('ActivationDate', ttlv.dateTime(Tag.ActivationDate, 15n))]));
  t.match(oneDate.sql, /name = \? AND item_type = 9 AND num BETWEEN \? AND \?/, 'one date: the dates index');
  t.same(oneDate.params.slice(-5, -2), ['ActivationDate', 15n, 15n]);
  t.same(oneDate.confirm, []);

  const common = buildLocateSql(q([eq('CryptographicAlgorithm', ttlv.enumeration(Tag.CryptographicAlgorithm, 3))], { maxItems: 1 }));
  t.match(common.sql, /instr\(o\.unkeyed, \?\) > 0/, 'an unkeyed attribute: a test of the object\'s searchable text, newest first');
  t.notMatch(common.sql, /attributes/, 'it has no rows');
  t.same(common.params.slice(0, 1), ['\u001fCryptographicAlgorithm\u001e5\u001e3\u001f'], 'name, item type and key, delimited');
  t.same(common.confirm, [], 'its key is exact: nothing to confirm');
  const unkeyedStructure = buildLocateSql(q([eq('RandomNumberGenerator', ttlv.structure(Tag.RandomNumberGenerator, []))]));
  t.same(unkeyedStructure.params.slice(0, 1), ['\u001fRandomNumberGenerator\u001e1\u001e'], 'no key: any instance of the name and type');
  t.equal(unkeyedStructure.confirm.length, 1, 'then confirmed in JS');

  const byUid = buildLocateSql(q([eq('UniqueIdentifier', ttlv.textString(Tag.UniqueIdentifier, 'u-1'))]));
  t.match(byUid.sql, /o\.uid = \?/, 'Unique Identifier reads the objects column');
  t.notMatch(byUid.sql, /attributes/);

  const mask = buildLocateSql(q([{ kind: 'maskSuperset', name: 'CryptographicUsageMask', mask: 12 }]));
  t.match(mask.sql, /\(o\.usage_mask & \?\) = \?/, 'the usage mask column');
  t.notMatch(mask.sql, /attributes/);
  const rowMask = buildLocateSql(q([{ kind: 'maskSuperset', name: 'x-Mask', mask: 3 }]));
  t.match(rowMask.sql, /EXISTS \(SELECT 1 FROM attributes a WHERE a\.uid = o\.uid AND a\.name = \? AND \(a\.num & \?\) = \?\)/, 'a mask with rows: bit-tested in them');
  t.throws(() => buildLocateSql(q([{ kind: 'maskSuperset', name: 'ProtectionStorageMask', mask: 1 }])), /ProtectionStorageMask is kept in no column and no rows/,
    'a mask with neither: refused, not answered "no match"');

  const columns = buildLocateSql(q([eq('State', ttlv.enumeration(Tag.State, 2)), eq('ObjectType', ttlv.enumeration(Tag.ObjectType, 2))], { owner: 'bob' }));
  t.match(columns.sql, /o\.state = \? AND o\.object_type = \?/, 'State and ObjectType read the objects columns');
  t.match(columns.sql, / o\.owner = \?/, 'no attribute subquery: the owner index may drive');
  t.notMatch(columns.sql, /attributes/);

  t.notMatch(buildLocateSql(q([], { include: ALL })).sql, /WHERE/, 'every class, no filter: no predicate');
  t.match(buildLocateSql(q([], { include: { online: false, archived: false, destroyed: false } })).sql, /WHERE 0/);
  t.match(buildLocateSql(q([], { include: { online: false, archived: true, destroyed: true } })).sql, /o\.archived = 1 .* OR o\.state IN \(5, 6\)/);
  t.end();
});

t.test('equality: Name, x- custom attribute, scalars, ObjectType/State columns', (t) => {
  const store = open(t);
  store.insert(object('a', { names: [name('alpha')], extra: [['x-Product', ttlv.textString(Tag.AttributeValue, 'widget')]] }));
  store.insert(object('b', {
    names: [name('beta'), name('alpha-2')],
    objectType: Enum.ObjectType.SecretData,
    extra: [['x-Product', ttlv.textString(Tag.AttributeValue, '5')], ['CryptographicAlgorithm', ttlv.enumeration(Tag.CryptographicAlgorithm, Enum.CryptographicAlgorithm.AES)]],
  }));
  store.insert(object('c', {
    state: Enum.State.PreActive,
    extra: [['x-Product', ttlv.integer(Tag.AttributeValue, 5)], ['Fresh', ttlv.boolean(Tag.Fresh, false)], ['x-Blob', ttlv.byteString(Tag.AttributeValue, new Uint8Array([0xde, 0xad]))]],
  }));
  t.same(store.locate(q([eq('Name', name('alpha'))])), ['a']);
  t.same(store.locate(q([eq('Name', name('alpha-2'))])), ['b'], 'second instance of a multi-valued attribute');
  t.same(store.locate(q([eq('Name', name('nobody'))])), []);
  t.same(store.locate(q([eq('x-Product', ttlv.textString(Tag.AttributeValue, 'widget'))])), ['a']);
  t.same(store.locate(q([eq('x-Product', ttlv.textString(Tag.AttributeValue, '5'))])), ['b'], 'text "5" is not integer 5');
  t.same(store.locate(q([eq('x-Product', ttlv.integer(Tag.AttributeValue, 5))])), ['c']);
  t.same(store.locate(q([eq('x-Blob', ttlv.byteString(Tag.AttributeValue, new Uint8Array([0xde, 0xad])))])), ['c']);
  t.same(store.locate(q([eq('Fresh', ttlv.boolean(Tag.Fresh, false))])), ['c']);
  t.same(store.locate(q([eq('CryptographicAlgorithm', ttlv.enumeration(Tag.CryptographicAlgorithm, Enum.CryptographicAlgorithm.AES))])), ['b']);
  t.same(store.locate(q([eq('ObjectType', ttlv.enumeration(Tag.ObjectType, Enum.ObjectType.SymmetricKey))])), ['c', 'a']);
  t.same(store.locate(q([eq('State', ttlv.enumeration(Tag.State, Enum.State.PreActive))])), ['c']);
  t.end();
});

t.test('structure filters match on the fields given', (t) => {
  const store = open(t);
  store.insert(object('text', { names: [name('k1')] }));
  store.insert(object('uri', { names: [name('k1', Enum.NameType.URI)] }));
  store.insert(object('other', { names: [name('k2', Enum.NameType.URI)] }));
  t.same(store.locate(q([eq('Name', nameValueOnly('k1'))])), ['uri', 'text'], 'NameValue alone: either type');
  t.same(store.locate(q([eq('Name', name('k1'))])), ['text'], 'NameValue + NameType');
  t.same(store.locate(q([eq('Name', name('k1', Enum.NameType.URI))])), ['uri']);
  t.same(
    store.locate(q([eq('Name', ttlv.structure(Tag.Name, [ttlv.enumeration(Tag.NameType, Enum.NameType.URI)]))])),
    ['other', 'uri'],
    'NameType alone (no key to narrow by): confirmed from the name',
  );
  t.same(store.locate(q([eq('Name', ttlv.structure(Tag.Name, [ttlv.textString(Tag.NameValue, 'k1'), ttlv.textString(Tag.NameType, 'x')]))])), [], 'field of another type');
  t.end();
});

t.test('two filters ANDed; date range inclusive; mask superset', (t) => {
  const store = open(t);
  const date = (v: bigint): [string, TtlvItem] => ['ActivationDate', ttlv.dateTime(Tag.ActivationDate, v)];
  const mask = (v: number): [string, TtlvItem] => ['CryptographicUsageMask', ttlv.integer(Tag.CryptographicUsageMask, v)];
  const { Encrypt, Decrypt, Sign, WrapKey } = Mask.CryptographicUsageMask;
  store.insert(object('d100', { names: [name('n')], extra: [date(100n), mask(Encrypt | Decrypt)] }));
  store.insert(object('d200', { names: [name('n')], extra: [date(200n), mask(Encrypt | Decrypt | WrapKey)] }));
  store.insert(object('d300', { names: [name('m')], extra: [date(300n), mask(Sign)] }));
  store.insert(object('nodate', { names: [name('n')] }));
  const range = (from: bigint, to: bigint): AttributeFilter => ({ kind: 'range', name: 'ActivationDate', from, to });
  const superset = (m: number): AttributeFilter => ({ kind: 'maskSuperset', name: 'CryptographicUsageMask', mask: m });
  t.same(store.locate(q([range(100n, 200n)])), ['d200', 'd100'], 'both ends included');
  t.same(store.locate(q([range(101n, 299n)])), ['d200']);
  t.same(store.locate(q([range(300n, 300n)])), ['d300']);
  t.same(store.locate(q([range(301n, 400n)])), []);
  t.same(store.locate(q([superset(Encrypt)])), ['d200', 'd100']);
  t.same(store.locate(q([superset(Encrypt | WrapKey)])), ['d200']);
  t.same(store.locate(q([superset(Sign | Encrypt)])), []);
  t.same(store.locate(q([eq('Name', nameValueOnly('n')), range(150n, 400n)])), ['d200'], 'Name AND range');
  t.same(store.locate(q([eq('Name', nameValueOnly('m')), superset(Sign)])), ['d300'], 'Name AND mask');
  t.same(store.locate(q([eq('Name', nameValueOnly('m')), superset(Encrypt)])), []);
  t.same(store.locate(q([range(0n, 1000n), superset(Decrypt), eq('ObjectType', ttlv.enumeration(Tag.ObjectType, Enum.ObjectType.SymmetricKey))])), ['d200', 'd100'], 'three kinds ANDed');
  t.end();
});

t.test('owner isolation', (t) => {
  const store = open(t);
  store.insert(object('a1', { owner: 'alice', names: [name('shared')] }));
  store.insert(object('b1', { owner: 'bob', names: [name('shared')] }));
  store.insert(object('b2', { owner: 'bob', names: [name('bob-only')] }));
  t.same(store.locate(q([eq('Name', name('shared'))], { owner: 'alice' })), ['a1']);
  t.same(store.locate(q([eq('Name', name('bob-only'))], { owner: 'alice' })), [], "alice never sees bob's objects");
  t.same(store.locate(q([], { owner: 'alice' })), ['a1']);
  t.same(store.locate(q([], { owner: 'bob' })), ['b2', 'b1']);
  t.same(store.locate(q([eq('Name', name('shared'))], { owner: 'bob' })), ['b1']);
  t.same(store.locate(q([eq('Name', name('shared'))])), ['b1', 'a1'], 'owner undefined (administrator) sees all');
  t.same(store.locate(q([])), ['b2', 'b1', 'a1']);
  t.end();
});

t.test('storage classes: online, archived, destroyed', (t) => {
  const store = open(t);
  store.insert(object('active', {}));
  store.insert(object('deactivated', { state: Enum.State.Deactivated }));
  store.insert(object('archived', { archived: true }));
  store.insert(object('destroyed', { state: Enum.State.Destroyed }));
  store.insert(object('destroyed-compromised', { state: Enum.State.DestroyedCompromised }));
  const with_ = (online: boolean, archived: boolean, destroyed: boolean) => store.locate(q([], { include: { online, archived, destroyed } }));
  t.same(with_(true, false, false), ['deactivated', 'active']);
  t.same(with_(false, true, false), ['archived']);
  t.same(with_(false, false, true), ['destroyed-compromised', 'destroyed']);
  t.same(with_(true, true, false), ['archived', 'deactivated', 'active']);
  t.same(with_(true, true, true), ['destroyed-compromised', 'destroyed', 'archived', 'deactivated', 'active']);
  t.same(with_(false, false, false), []);
  // archiving moves an object between classes
  store.update({ ...store.get('active')!, archived: true });
  t.same(with_(true, false, false), ['deactivated']);
  t.same(with_(false, true, false), ['archived', 'active']);
  t.end();
});

t.test('newest first; offset and max; paged confirmation honours both', (t) => {
  const store = open(t);
  const n = 300;
  store.transaction(() => {
    for (let i = 0; i < n; i++) {
      // every third object has a URI name, so the structure filter below rejects a third of its candidates
      store.insert(object(`o${i}`, { names: [name(i % 2 === 0 ? 'even' : 'odd', i % 3 === 0 ? Enum.NameType.URI : Enum.NameType.UninterpretedTextString)] }));
    }
  });
  const all = Array.from({ length: n }, (_, i) => `o${n - 1 - i}`);
  t.same(store.locate(q([])), all, 'newest first');
  t.same(store.locate(q([], { maxItems: 5 })), all.slice(0, 5));
  t.same(store.locate(q([], { offsetItems: 295, maxItems: 10 })), all.slice(295));
  t.same(store.locate(q([], { offsetItems: 400 })), []);
  t.same(store.locate(q([], { maxItems: 0 })), []);

  const textNames = all.filter((u) => Number(u.slice(1)) % 3 !== 0);
  const byType = q([eq('Name', ttlv.structure(Tag.Name, [ttlv.enumeration(Tag.NameType, Enum.NameType.UninterpretedTextString)]))]);
  t.same(store.locate(byType), textNames, 'keyless structure filter over several pages of candidates');
  for (const [offset, max] of [[0, 1], [0, 70], [63, 2], [70, 100], [150, 500], [199, 1], [200, 5]] as const) {
    t.same(store.locate({ ...byType, offsetItems: offset, maxItems: max }), textNames.slice(offset, offset + max), `offset ${offset} max ${max}`);
  }
  const evenText = all.filter((u) => Number(u.slice(1)) % 2 === 0 && Number(u.slice(1)) % 3 !== 0);
  t.same(store.locate(q([eq('Name', name('even'))], { offsetItems: 10, maxItems: 20 })), evenText.slice(10, 30), 'keyed structure filter, paged');
  t.end();
});

t.test('scale: 100,000 objects, Locate by Name is indexed', (t) => {
  const store = open(t);
  const n = 100_000;
  const seedStart = process.hrtime.bigint();
  store.transaction(() => {
    for (let i = 0; i < n; i++) {
      store.insert(object(`uid-${i}`, {
        owner: i % 2 === 0 ? 'alice' : 'bob',
        names: [name(`key-${i}`)],
        extra: [
          ['CryptographicAlgorithm', ttlv.enumeration(Tag.CryptographicAlgorithm, Enum.CryptographicAlgorithm.AES)],
          ['ActivationDate', ttlv.dateTime(Tag.ActivationDate, 1_700_000_000n + BigInt(i))],
          ['ObjectGroup', ttlv.textString(Tag.ObjectGroup, `group-${i % 1000}`)],
        ],
      }));
    }
  });
  const seedMs = Number(process.hrtime.bigint() - seedStart) / 1e6;
  t.comment(`seeded ${n} objects (7 attributes each) in ${seedMs.toFixed(0)} ms (${((seedMs * 1000) / n).toFixed(1)} µs/object)`);

  const timed = (label: string, query: LocateQuery, expect: string[]): void => {
    store.locate(query); // prepare once
    const runs = 50;
    const start = process.hrtime.bigint();
    let got: string[] = [];
    for (let i = 0; i < runs; i++) got = store.locate(query);
    const ms = Number(process.hrtime.bigint() - start) / 1e6 / runs;
    t.comment(`${label}: ${ms.toFixed(3)} ms`);
    t.same(got, expect, label);
    t.ok(ms < 50, `${label} is fast (target < 5 ms; loose bound for a loaded machine)`);

    const { sql, params, confirm } = buildLocateSql(query);
    const all = confirm.length > 0 ? [...params, Number.MAX_SAFE_INTEGER, 64] : params;
    const plan = (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...all) as { detail: string }[]).map((p) => p.detail);
    t.comment(`${label} plan: ${plan.join(' | ')}`);
    t.notOk(plan.some((d) => /^SCAN (o|objects|a|attributes)\b/.test(d)), `${label}: no scan of objects or attributes`);
    t.ok(plan.some((d) => /SEARCH attributes USING COVERING INDEX attributes_name_(key|date)/.test(d)), `${label}: attribute index`);
    t.ok(plan.some((d) => /SEARCH o USING INDEX sqlite_autoindex_objects_1 \(uid=\?/.test(d)), `${label}: objects by uid`);
  };
  timed('Locate by Name (NameValue + NameType)', q([eq('Name', name('key-77777'))]), ['uid-77777']);
  timed('Locate by Name (NameValue only), owner bob', q([eq('Name', nameValueOnly('key-77777'))], { owner: 'bob' }), ['uid-77777']);
  timed('Locate by Name, owner alice (not hers)', q([eq('Name', nameValueOnly('key-77777'))], { owner: 'alice' }), []);
  timed('Locate by ObjectGroup (100 matches) AND Name', q([eq('ObjectGroup', ttlv.textString(Tag.ObjectGroup, 'group-777')), eq('Name', nameValueOnly('key-50777'))]), ['uid-50777']);
  timed('Locate by ObjectGroup (100 matches)', q([eq('ObjectGroup', ttlv.textString(Tag.ObjectGroup, 'group-5'))], { maxItems: 3 }), ['uid-99005', 'uid-98005', 'uid-97005']);
  timed('Locate by ActivationDate range (11 matches)', q([{ kind: 'range', name: 'ActivationDate', from: 1_700_050_000n, to: 1_700_050_010n }]),
    Array.from({ length: 11 }, (_, i) => `uid-${50_010 - i}`));
  t.end();
});

t.test('mask with bit 31 set (a negative Integer on the wire)', (t) => {
  const store = open(t);
  store.insert(object('hi', { extra: [['CryptographicUsageMask', ttlv.integer(Tag.CryptographicUsageMask, 0x80000004 | 0)]] }));
  store.insert(object('lo', { extra: [['CryptographicUsageMask', ttlv.integer(Tag.CryptographicUsageMask, 0x4)]] }));
  const superset = (mask: number) => store.locate(q([{ kind: 'maskSuperset', name: 'CryptographicUsageMask', mask }]));
  t.same(superset(0x80000000), ['hi']);
  t.same(superset(0x80000000 | 0), ['hi'], 'the same bit given as a signed number');
  t.same(superset(0x4), ['lo', 'hi']);
  t.end();
});
