// Discover Versions and Query through the protocol layer, in every version (1.1 §4.26, 1.4 §4.25–4.26;
// 2.1 §6.1.19, §6.1.37): intersections in our order, Query Functions per version, no field outside its version.
import t, { type Test } from 'tap';
import { ENUMERATIONS } from '../../src/kmip/enumerations.js';
import { Enum } from '../../src/kmip/enum.js';
import { Tag } from '../../src/kmip/tag.js';
import { definedIn, KMIP_VERSIONS, versionRank, type KmipVersion } from '../../src/kmip/versions.js';
import { MemoryAudit } from '../../src/protocol/audit.js';
import { DEFAULT_PROTOCOL_OPTIONS, ProtocolHandler, type ProtocolOptions } from '../../src/protocol/handle-request.js';
import { ItemType } from '../../src/ttlv/item-type.js';
import type { TtlvItem } from '../../src/ttlv/ttlv-item.js';
import {
  child,
  children,
  discoverVersionsItem,
  exchange,
  queryItem,
  reasonName,
  statusName,
  undefinedIn,
  type RequestSpec,
  type ResponseView,
  type VersionText,
} from '../helpers/kmip-messages.js';

const QF = Enum.QueryFunction;
const Op = Enum.Operation;

function send(request: RequestSpec, options: Partial<ProtocolOptions> = {}): Promise<ResponseView> {
  return exchange(new ProtocolHandler({ ...DEFAULT_PROTOCOL_OPTIONS, ...options }, new MemoryAudit()), request);
}

/** The successful payload of the single item of `r`. */
function payloadOf(t: Test, r: ResponseView, what: string): TtlvItem {
  t.equal(r.items.length, 1, `${what}: one item`);
  const item = r.items[0]!;
  t.equal(statusName(item.resultStatus), 'Success', `${what}: Success (${reasonName(item.resultReason)} ${item.resultMessage ?? ''})`);
  return item.payload ?? { tag: Tag.ResponsePayload, type: ItemType.Structure, value: [] };
}

function versionsIn(payload: TtlvItem): string[] {
  return children(payload, Tag.ProtocolVersion).map((pv) => {
    const major = child(pv, Tag.ProtocolVersionMajor);
    const minor = child(pv, Tag.ProtocolVersionMinor);
    return `${major?.value as number}.${minor?.value as number}`;
  });
}

const enumValues = (payload: TtlvItem, tag: number): number[] =>
  children(payload, tag).map((i) => (i.type === ItemType.Enumeration ? i.value : NaN));

const OURS = ['2.1', '2.0', '1.4', '1.3', '1.2', '1.1', '1.0'];

t.test('Discover Versions', async (t) => {
  for (const v of KMIP_VERSIONS) {
    await t.test(`under a ${v} header`, async (t) => {
      const all = payloadOf(t, await send({ version: v, items: [discoverVersionsItem([])] }), 'no list');
      t.same(versionsIn(all), OURS, 'no list: all of ours, newest first');

      const some = payloadOf(t, await send({ version: v, items: [discoverVersionsItem(['1.2', '3.0', '2.1', '1.4', '1.0'])] }), 'a list');
      t.same(versionsIn(some), ['2.1', '1.4', '1.2', '1.0'], 'the intersection, in our order of preference');

      const none = await send({ version: v, items: [discoverVersionsItem(['3.0', '1.7', '0.9'] as VersionText[])] });
      const empty = payloadOf(t, none, 'no match');
      t.same(versionsIn(empty), [], 'no match: an empty list');
      t.ok(none.items[0]?.payload !== undefined, 'no match: the Response Payload is still there');
      // Under 1.0 the echoed Operation is Discover Versions itself (a 1.1 value), the deliberate exception.
      const allow = v === '1.0' ? ['BatchItem/Operation=0x1e'] : [];
      t.same(undefinedIn(none.tree, v, allow), [], 'only fields the version defines');
      t.equal(none.items[0]?.operation, Op.DiscoverVersions);
    });
  }
});

t.test('Discover Versions with a malformed payload fails the item', async (t) => {
  const r = await send({
    version: '1.1',
    items: [{ operation: Op.DiscoverVersions, payload: [{ tag: Tag.ProtocolVersion, type: ItemType.Integer, value: 1 }] }],
  });
  t.equal(statusName(r.items[0]?.resultStatus), 'OperationFailed');
  t.equal(reasonName(r.items[0]?.resultReason), 'InvalidMessage');
});

t.test('Query Operations lists Query always, Discover Versions from 1.1', async (t) => {
  for (const v of KMIP_VERSIONS) {
    const r = await send({ version: v, items: [queryItem([QF.QueryOperations])] });
    const ops = enumValues(payloadOf(t, r, v), Tag.Operation);
    t.ok(ops.includes(Op.Query), `${v}: Query listed`);
    t.equal(ops.includes(Op.DiscoverVersions), v !== '1.0', `${v}: Discover Versions listed only from 1.1`);
    t.equal(new Set(ops).size, ops.length, `${v}: no duplicates`);
    t.same(undefinedIn(r.tree, v), [], `${v}: every listed operation exists in ${v}`);
  }
});

t.test('every operation Query lists is answered', async (t) => {
  for (const v of KMIP_VERSIONS) {
    const ops = enumValues(payloadOf(t, await send({ version: v, items: [queryItem([QF.QueryOperations])] }), v), Tag.Operation);
    for (const op of ops) {
      const r = await send({ version: v, items: [{ operation: op, payload: [] }] });
      t.not(reasonName(r.items[0]?.resultReason), 'OperationNotSupported', `${v}: 0x${op.toString(16)} is wired`);
    }
  }
});

t.test('Query Objects lists the object layer’s types, none until it is wired', async (t) => {
  const none = await send({ version: '1.4', items: [queryItem([QF.QueryObjects])] });
  t.same(enumValues(payloadOf(t, none, 'default'), Tag.ObjectType), []);
  const OT = Enum.ObjectType;
  const withTypes = await send(
    { version: '2.1', items: [queryItem([QF.QueryObjects])] },
    { objectTypes: (v) => (v === '2.1' ? [OT.SymmetricKey, OT.SecretData] : []) },
  );
  t.same(enumValues(payloadOf(t, withTypes, 'objectTypes'), Tag.ObjectType), [OT.SymmetricKey, OT.SecretData]);
});

t.test('Query Server Information', async (t) => {
  for (const v of KMIP_VERSIONS) {
    const r = await send({ version: v, items: [queryItem([QF.QueryServerInformation])] }, { productVersion: '9.8.7' });
    const p = payloadOf(t, r, v);
    t.same(children(p, Tag.VendorIdentification).map((i) => i.value), ['kmipd'], `${v}: Vendor Identification`);
    t.equal(child(p, Tag.ServerInformation)?.type, ItemType.Structure, `${v}: a Server Information structure`);
    t.same(undefinedIn(r.tree, v), [], `${v}: only fields the version defines`);
    if (v.startsWith('2.')) {
      const info = child(p, Tag.ServerInformation)!;
      t.equal(child(info, Tag.ServerVersion)?.value, '9.8.7', `${v}: Server Version is the product version`);
      t.equal(child(info, Tag.ProductName)?.value, 'kmipd');
    }
  }
});

/** Query Functions each version defines (from the enumeration table). */
function functionsOf(v: KmipVersion): number[] {
  const def = ENUMERATIONS.find((e) => e.name === 'QueryFunction')!;
  return def.values.filter((f) => definedIn(v, f.since, 'until' in f ? (f.until as KmipVersion) : undefined)).map((f) => f.value);
}

t.test('Query Capabilities: 1.3+, Batch Undo / Continue only from 1.4', async (t) => {
  for (const v of KMIP_VERSIONS) {
    const fns = [QF.QueryOperations, ...(versionRank(v) >= versionRank('1.3') ? [QF.QueryCapabilities] : [])];
    const r = await send({ version: v, items: [queryItem(fns)] });
    const caps = children(payloadOf(t, r, v), Tag.CapabilityInformation);
    if (versionRank(v) < versionRank('1.3')) {
      t.equal(caps.length, 0, `${v}: none`);
      continue;
    }
    t.equal(caps.length, 1, `${v}: one Capability Information`);
    const c = caps[0]!;
    const has14 = versionRank(v) >= versionRank('1.4');
    t.equal(child(c, Tag.BatchUndoCapability)?.value, has14 ? true : undefined, `${v}: Batch Undo Capability`);
    t.equal(child(c, Tag.BatchContinueCapability)?.value, has14 ? true : undefined, `${v}: Batch Continue Capability`);
    t.same(undefinedIn(r.tree, v), [], `${v}: only fields the version defines`);
  }
});

t.test('Query RNGs: 1.3+', async (t) => {
  for (const v of KMIP_VERSIONS) {
    if (versionRank(v) < versionRank('1.3')) continue;
    const r = await send({ version: v, items: [queryItem([QF.QueryRNGs])] });
    const rngs = children(payloadOf(t, r, v), Tag.RNGParameters);
    t.equal(rngs.length, 1, `${v}: one RNG Parameters`);
    t.equal(child(rngs[0]!, Tag.RNGAlgorithm)?.type, ItemType.Enumeration, `${v}: an RNG Algorithm`);
    t.same(undefinedIn(r.tree, v), [], v);
  }
});

t.test('every Query Function of a version at once: only fields that version defines, in table order', async (t) => {
  // Response payload field order (1.4 Table 182 / 2.1 Table 283).
  const ORDER = [
    Tag.Operation,
    Tag.ObjectType,
    Tag.VendorIdentification,
    Tag.ServerInformation,
    Tag.ApplicationNamespace,
    Tag.ExtensionInformation,
    Tag.AttestationType,
    Tag.RNGParameters,
    Tag.ProfileInformation,
    Tag.ValidationInformation,
    Tag.CapabilityInformation,
    Tag.ClientRegistrationMethod,
    Tag.DefaultsInformation,
    Tag.ProtectionStorageMasks,
  ];
  for (const v of KMIP_VERSIONS) {
    const r = await send({ version: v, items: [queryItem(functionsOf(v))] }, { objectTypes: () => [Enum.ObjectType.SymmetricKey] });
    const p = payloadOf(t, r, v);
    t.same(undefinedIn(r.tree, v), [], `${v}: nothing outside ${v}`);
    const ranks = p.type === ItemType.Structure ? p.value.map((i) => ORDER.indexOf(i.tag)) : [];
    t.notOk(ranks.includes(-1), `${v}: only Query response fields`);
    t.same(ranks, [...ranks].sort((a, b) => a - b), `${v}: fields in table order`);
  }
});

t.test('Query Functions a version does not define are not answered with fields it lacks', async (t) => {
  // A 1.0 client naming 1.3+ functions: whatever the server says, it says it in 1.0.
  const r = await send({ version: '1.0', items: [queryItem([QF.QueryOperations, QF.QueryCapabilities, QF.QueryRNGs, QF.QueryStorageProtectionMasks])] });
  t.same(undefinedIn(r.tree, '1.0', ['ResponseMessage/BatchItem/Operation']), []);
});

t.test('an empty Query and an unknown Query Function', async (t) => {
  const empty = await send({ version: '2.1', items: [queryItem([])] });
  t.equal(statusName(empty.items[0]?.resultStatus), 'Success');
  const unknown = await send({ version: '2.1', items: [queryItem([0x7777])] });
  t.equal(unknown.items.length, 1);
  t.same(undefinedIn(unknown.tree, '2.1'), []);
});
