// Check in every version: the usage mask, usage limits and lease time, and the answers 1.x and 2.x give to a denial
// (1.4 §4.10, §11.11; 2.1 §6.1.7; OASIS BL-M-2-21, BL-M-3-21).
import t from 'tap';
import { Enum } from '../../src/kmip/enum.js';
import { Tag } from '../../src/kmip/tag.js';
import type { KmipVersion } from '../../src/kmip/versions.js';
import { ttlv, type TtlvItem } from '../../src/ttlv/ttlv-item.js';
import { opaqueObject, NOT_FOUND, reasonOf, registerAes, registerItem, testBytes, usageMask } from '../helpers/lifecycle-items.js';
import { ALL_VERSIONS, byUid, makeObjectHarness, uidOf } from '../helpers/object-harness.js';

const h = makeObjectHarness();
t.teardown(() => h.close());
const Op = Enum.Operation;
const M = { Encrypt: 0x04, Decrypt: 0x08 };

function checkItem(uid: string | undefined, fields: TtlvItem[]) {
  return { operation: Op.Check, payload: [...(uid === undefined ? [] : [ttlv.textString(Tag.UniqueIdentifier, uid)]), ...fields] };
}
const mask = (m: number): TtlvItem => ttlv.integer(Tag.CryptographicUsageMask, m);

for (const version of ALL_VERSIONS) {
  const v1 = version.startsWith('1.');
  t.test(`KMIP ${version}: Check the usage mask (BL-M-3-21)`, async (t) => {
    const uid = uidOf(await h.ok(version, registerAes(version, testBytes(16, 1), [usageMask(M.Decrypt)])));
    const ok = await h.ok(version, checkItem(uid, [mask(M.Decrypt)]));
    t.equal(uidOf(ok), uid, 'allowed: the Unique Identifier');
    const denied = await h.one(version, checkItem(uid, [mask(M.Encrypt)]));
    t.equal(reasonOf(denied), v1 ? 'PermissionDenied' : 'IncompatibleCryptographicUsageMask', 'a bit the object lacks');
    t.equal(denied.payload, undefined, 'a failed Check carries no payload');
    t.equal(reasonOf(await h.one(version, checkItem(uid, []))), undefined, 'nothing asked: allowed');
  });
}

t.test('BL-M-2-21: Activate and Check in an Undo batch, the second Check fails, all undone', async (t) => {
  const uid = uidOf(await h.ok('2.1', registerAes('2.1', testBytes(16, 2), [usageMask(M.Encrypt)])));
  const r = await h.send({
    version: '2.1',
    batchErrorContinuationOption: Enum.BatchErrorContinuationOption.Undo,
    items: [byUid(Op.Activate, uid), checkItem(uid, [mask(M.Encrypt)]), checkItem(uid, [mask(M.Decrypt)])],
  });
  t.same(r.items.map((i) => i.resultStatus), [Enum.ResultStatus.OperationUndone, Enum.ResultStatus.OperationUndone, Enum.ResultStatus.OperationFailed]);
  t.equal(reasonOf(r.items[2]!), 'IncompatibleCryptographicUsageMask');
});

t.test('Usage Limits Count and Lease Time', async (t) => {
  const limits = ttlv.structure(0, [ttlv.longInteger(Tag.UsageLimitsTotal, 100n), ttlv.enumeration(Tag.UsageLimitsUnit, Enum.UsageLimitsUnit.Byte)]);
  for (const version of ['1.2', '2.1'] as KmipVersion[]) {
    const uid = uidOf(await h.ok(version, registerAes(version, testBytes(16, 3), [usageMask(M.Encrypt), { name: 'Usage Limits', value: limits }])));
    t.equal(reasonOf(await h.one(version, checkItem(uid, [ttlv.longInteger(Tag.UsageLimitsCount, 100n)]))), undefined, 'within the limit');
    t.equal(reasonOf(await h.one(version, checkItem(uid, [ttlv.longInteger(Tag.UsageLimitsCount, 101n)]))),
      version === '1.2' ? 'PermissionDenied' : 'UsageLimitExceeded', `${version}: over the limit`);
    t.equal(reasonOf(await h.one(version, checkItem(uid, [ttlv.interval(Tag.LeaseTime, 3600)]))), undefined, 'no lease policy: any lease');
  }
});

t.test('Check errors', async (t) => {
  t.match(reasonOf(await h.one('2.1', checkItem('missing', [mask(M.Encrypt)]))), NOT_FOUND);
  const uid = uidOf(await h.ok('2.1', registerAes('2.1', testBytes(16, 4), [usageMask(M.Encrypt)])));
  t.match(reasonOf(await h.one('2.1', checkItem(uid, [mask(M.Encrypt)]), 'bob')), NOT_FOUND, "bob cannot check alice's key");
  const template = uidOf(await h.ok('1.4', registerItem('1.4', Enum.ObjectType.Template, ttlv.structure(Tag.Template, []))));
  t.equal(reasonOf(await h.one('1.4', checkItem(template, [mask(M.Encrypt)]))), 'IllegalOperation', 'a Template (1.x): Illegal Operation');
  const opaque = uidOf(await h.ok('2.1', registerItem('2.1', Enum.ObjectType.OpaqueObject, opaqueObject(testBytes(8, 5)))));
  t.equal(reasonOf(await h.one('2.1', checkItem(opaque, [mask(M.Encrypt)]))), 'IncompatibleCryptographicUsageMask', 'no mask: no use');
  await h.ok('2.1', byUid(Op.Destroy, uid));
  t.equal(reasonOf(await h.one('2.1', checkItem(uid, [mask(M.Encrypt)]))), 'ObjectDestroyed');
  t.match(reasonOf(await h.one('1.4', checkItem(uid, [mask(M.Encrypt)]))), NOT_FOUND, 'destroyed (1.x)');
  const archived = uidOf(await h.ok('1.4', registerAes('1.4', testBytes(16, 6), [usageMask(M.Encrypt)])));
  await h.ok('1.4', byUid(Op.Archive, archived));
  t.equal(reasonOf(await h.one('1.4', checkItem(archived, [mask(M.Encrypt)]))), 'ObjectArchived');
  t.equal(reasonOf(await h.one('1.4', checkItem(archived, [ttlv.integer(Tag.UsageLimitsCount, 3)]))), 'InvalidMessage', 'a count of the wrong type');
});

t.test('Check through the ID Placeholder', async (t) => {
  const r = await h.send({ version: '1.3', batchOrderOption: true, items: [registerAes('1.3', testBytes(16, 7), [usageMask(M.Encrypt | M.Decrypt)]), checkItem(undefined, [mask(M.Encrypt)]), byUid(Op.Get, undefined)] });
  t.same(r.items.map(reasonOf), [undefined, undefined, undefined]);
});
