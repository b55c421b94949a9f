// VAST Data's external key management (KMIP 1.4) replayed against a live kmipd over mTLS: Discover Versions, Create
// AES-256, Add Attribute ×3 (Name, Object Group, Operation Policy Name), Activate, Locate by Name, Get, State and
// Activation Date polled, ReKey (the name moves to the replacement), Check, Revoke, Destroy (Cosmian's "VAST Data"
// integration page; 1.4 §4.1, §4.4, §4.9, §4.11, §4.12, §4.13, §4.19, §4.20, §4.21, §4.23, §4.26).
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { Enum, Mask } from '../../src/kmip/enum.js';
import { Tag } from '../../src/kmip/tag.js';
import { ItemType } from '../../src/ttlv/item-type.js';
import { ttlv, type TtlvItem } from '../../src/ttlv/ttlv-item.js';
import {
  attribute1x,
  attributes1x,
  checkAnswer,
  getAttributes1x,
  keyBlockOf,
  keyMaterialOf,
  openSession,
  success,
  textOf,
  valueOf,
  type Checker,
  type Session,
} from '../helpers/client-sequences.js';
import { child, children, discoverVersionsItem, type BatchItemSpec, type ResponseView } from '../helpers/kmip-messages.js';
import { startLiveServer } from '../helpers/live-server.js';
import { byUid, createAes, nameValue, uidOf } from '../helpers/object-harness.js';

const server = await startLiveServer();
t.teardown(() => server.close());
const Op = Enum.Operation;
const V = '1.4';

type T = Checker;

async function one(t: T, s: Session, item: BatchItemSpec, op: number, what: string): Promise<TtlvItem> {
  const r: ResponseView = await s.request([item]);
  checkAnswer(t, r, V, [op], what);
  return success(t, r.items[0], what);
}

/** VAST's poll: State and Activation Date of a key. */
async function poll(t: T, s: Session, uid: string, what: string): Promise<{ state: unknown; activation: unknown }> {
  const attrs = attributes1x(await one(t, s, getAttributes1x(uid, ['State', 'Activation Date']), Op.GetAttributes, what));
  return { state: valueOf(attrs.get('State')?.[0]), activation: attrs.get('Activation Date')?.[0]?.type };
}

t.test('VAST 1.4: create and tag, activate, find, fetch, rotate, check, retire', async (t) => {
  const s = await openSession(server, V);
  t.teardown(() => s.close());
  const name = `VAST_EKM_KEY_2_${randomUUID()}_0`;

  await one(t, s, discoverVersionsItem([V]), Op.DiscoverVersions, 'Discover Versions');
  const uid = uidOf(await one(t, s, createAes(V, 256), Op.Create, 'Create'));

  for (const [attr, value] of [
    ['Name', nameValue(name)],
    ['Object Group', ttlv.textString(0, 'vast-encryption-group-1')],
    ['Operation Policy Name', ttlv.textString(0, 'default')],
  ] as const) {
    const added = await one(t, s, { operation: Op.AddAttribute, payload: [ttlv.textString(Tag.UniqueIdentifier, uid), attribute1x(attr, value)] }, Op.AddAttribute, `Add Attribute ${attr}`);
    t.ok(attributes1x(added).has(attr), `Add Attribute ${attr}: echoed`);
  }

  await one(t, s, byUid(Op.Activate, uid), Op.Activate, 'Activate');
  t.same(await poll(t, s, uid, 'poll after Activate'), { state: Enum.State.Active, activation: ItemType.DateTime }, 'Active, with an Activation Date');

  const locate = async (what: string): Promise<(string | undefined)[]> =>
    children(await one(t, s, { operation: Op.Locate, payload: [attribute1x('Name', nameValue(name))] }, Op.Locate, what), Tag.UniqueIdentifier).map(textOf);
  t.same(await locate('Locate by Name'), [uid], 'Locate: the key by its VAST name');

  const got = await one(t, s, byUid(Op.Get, uid), Op.Get, 'Get');
  const oldMaterial = keyMaterialOf(keyBlockOf(got, Tag.SymmetricKey));
  t.equal(oldMaterial?.length, 32, 'Get: 32 key bytes');

  // Rotation.
  const rekeyed = await one(t, s, byUid(Op.ReKey, uid), Op.ReKey, 'ReKey');
  const newUid = uidOf(rekeyed);
  t.not(newUid, uid, 'ReKey: a new Unique Identifier');
  t.same(await poll(t, s, newUid, 'poll the replacement'), { state: Enum.State.Active, activation: ItemType.DateTime }, 'the replacement is Active (Activation Date copied)');
  t.same(await locate('Locate by Name after ReKey'), [newUid], 'the name moved to the replacement');
  const links = attributes1x(await one(t, s, getAttributes1x(uid, ['Link']), Op.GetAttributes, 'Get Attributes Link')).get('Link') ?? [];
  t.same(
    links.map((l) => [valueOf(child(l, Tag.LinkType)), textOf(child(l, Tag.LinkedObjectIdentifier))]),
    [[Enum.LinkType.ReplacementObjectLink, newUid]],
    'the old key links to its replacement',
  );
  const newMaterial = keyMaterialOf(keyBlockOf(await one(t, s, byUid(Op.Get, newUid), Op.Get, 'Get the replacement'), Tag.SymmetricKey));
  t.equal(newMaterial?.length, 32, 'the replacement: 32 key bytes');
  t.notOk(newMaterial?.equals(oldMaterial ?? Buffer.alloc(0)), 'the replacement: new key material');

  const checked = await one(
    t,
    s,
    byUid(Op.Check, newUid, [ttlv.integer(Tag.CryptographicUsageMask, Mask.CryptographicUsageMask.Encrypt)]),
    Op.Check,
    'Check for Encrypt',
  );
  t.equal(textOf(child(checked, Tag.UniqueIdentifier)), newUid, 'Check: the UID');
  t.equal(child(checked, Tag.CryptographicUsageMask), undefined, 'Check: passed (no usage mask sent back)');

  // Decommissioning: the old key, then the replacement.
  for (const [key, what] of [[uid, 'old key'], [newUid, 'replacement']] as const) {
    await one(
      t,
      s,
      byUid(Op.Revoke, key, [ttlv.structure(Tag.RevocationReason, [ttlv.enumeration(Tag.RevocationReasonCode, Enum.RevocationReasonCode.CessationOfOperation)])]),
      Op.Revoke,
      `Revoke ${what}`,
    );
    t.equal((await poll(t, s, key, `poll ${what} after Revoke`)).state, Enum.State.Deactivated, `${what}: Deactivated`);
    await one(t, s, byUid(Op.Destroy, key), Op.Destroy, `Destroy ${what}`);
    t.equal((await poll(t, s, key, `poll ${what} after Destroy`)).state, Enum.State.Destroyed, `${what}: Destroyed`);
  }

  const r = await s.request([byUid(Op.Get, newUid)]);
  checkAnswer(t, r, V, [Op.Get], 'Get after Destroy');
  t.equal(r.items[0]?.resultStatus, Enum.ResultStatus.OperationFailed, 'Get after Destroy fails');
});
