// vCenter's KMS client (KMIP 1.1) replayed over mTLS against a live kmipd: Discover Versions as a keep-alive, Create
// AES-256, its custom attributes added three to a batch, Get Attributes one name at a time (State first), Activate,
// Get (1.1 §4.1, §4.11, §4.12, §4.13, §4.19, §4.26; vpxd's "Get, Attributes, Id=…, Names=State" in PyKMIP #218).
import t from 'tap';
import { Enum } from '../../src/kmip/enum.js';
import { Tag } from '../../src/kmip/tag.js';
import { ttlv } from '../../src/ttlv/ttlv-item.js';
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
} from '../helpers/client-sequences.js';
import { child, children, discoverVersionsItem } from '../helpers/kmip-messages.js';
import { startLiveServer } from '../helpers/live-server.js';
import { byUid, createAes, uidOf } from '../helpers/object-harness.js';

const server = await startLiveServer();
t.teardown(() => server.close());
const Op = Enum.Operation;
const V = '1.1';

// What vpxd tags a VM key with: the product, vendor and KMS cluster name, then the component and its identifier.
const FIRST = [
  ['x-Product', 'VMware vSphere'],
  ['x-Vendor', 'VMware, Inc.'],
  ['x-Name', 'cluster-kms-01'],
] as const;
const SECOND = [
  ['x-Component', 'Virtual Machine'],
  ['x-Identifier', '564d7a1c-0e2b-4b3c-9f10-7a1e2d3c4b5a'],
] as const;

const addAttribute = (uid: string, name: string, value: string) => ({
  operation: Op.AddAttribute,
  payload: [ttlv.textString(Tag.UniqueIdentifier, uid), attribute1x(name, ttlv.textString(0, value))],
});

t.test('vCenter 1.1: keep-alive, Create, tag, read back, Activate, Get', async (t) => {
  const s = await openSession(server, V);
  t.teardown(() => s.close());

  // Keep-alive: Discover Versions offering only the version it speaks.
  let r = await s.request([discoverVersionsItem([V])]);
  checkAnswer(t, r, V, [Op.DiscoverVersions], 'Discover Versions');
  let p = success(t, r.items[0], 'Discover Versions');
  const offered = children(p, Tag.ProtocolVersion);
  t.equal(offered.length, 1, 'one version agreed');
  t.equal(valueOf(child(offered[0]!, Tag.ProtocolVersionMinor)), 1, 'and it is 1.1');

  r = await s.request([createAes(V, 256)]);
  checkAnswer(t, r, V, [Op.Create], 'Create');
  p = success(t, r.items[0], 'Create');
  t.equal(valueOf(child(p, Tag.ObjectType)), Enum.ObjectType.SymmetricKey, 'Create: Symmetric Key');
  const uid = uidOf(p);

  for (const batch of [FIRST, SECOND]) {
    r = await s.request(batch.map(([n, v]) => addAttribute(uid, n, v)));
    checkAnswer(t, r, V, batch.map(() => Op.AddAttribute), `Add Attribute ×${batch.length}`);
    batch.forEach(([name, value], i) => {
      const added = success(t, r.items[i], `Add Attribute ${name}`);
      t.equal(textOf(child(added, Tag.UniqueIdentifier)), uid, `${name}: the key's UID echoed`);
      const echoed = attributes1x(added).get(name);
      t.same(echoed?.map(textOf), [value], `${name}: the added attribute echoed`);
      // 1.1 §4.14: the response gives the new instance's index, which MAY be omitted when it is 0.
      const index = child(children(added, Tag.Attribute)[0] ?? added, Tag.AttributeIndex);
      t.ok(index === undefined || valueOf(index) === 0, `${name}: index 0 (or omitted)`);
    });
  }

  // Get Attributes, one name per request, as vpxd does.
  const state = async (): Promise<unknown> => {
    const a = await s.request([getAttributes1x(uid, ['State'])]);
    checkAnswer(t, a, V, [Op.GetAttributes], 'Get Attributes State');
    const got = success(t, a.items[0], 'Get Attributes State');
    t.equal(textOf(child(got, Tag.UniqueIdentifier)), uid, 'Get Attributes: the UID');
    return valueOf(attributes1x(got).get('State')?.[0]);
  };
  t.equal(await state(), Enum.State.PreActive, 'a new key is Pre-Active');
  for (const [name, value] of [...FIRST, ...SECOND]) {
    const a = await s.request([getAttributes1x(uid, [name])]);
    checkAnswer(t, a, V, [Op.GetAttributes], `Get Attributes ${name}`);
    const got = attributes1x(success(t, a.items[0], `Get Attributes ${name}`));
    t.same([...got.keys()], [name], `${name}: only the asked attribute`);
    t.same(got.get(name)?.map(textOf), [value], `${name}: its value`);
  }

  r = await s.request([byUid(Op.Activate, uid)]);
  checkAnswer(t, r, V, [Op.Activate], 'Activate');
  t.equal(textOf(child(success(t, r.items[0], 'Activate'), Tag.UniqueIdentifier)), uid, 'Activate: the UID');
  t.equal(await state(), Enum.State.Active, 'Active after Activate');

  r = await s.request([byUid(Op.Get, uid)]);
  checkAnswer(t, r, V, [Op.Get], 'Get');
  p = success(t, r.items[0], 'Get');
  t.equal(valueOf(child(p, Tag.ObjectType)), Enum.ObjectType.SymmetricKey, 'Get: Symmetric Key');
  t.equal(textOf(child(p, Tag.UniqueIdentifier)), uid, 'Get: the UID');
  const block = keyBlockOf(p, Tag.SymmetricKey);
  t.equal(valueOf(child(block!, Tag.KeyFormatType)), Enum.KeyFormatType.Raw, 'Get: Raw key format');
  t.equal(valueOf(child(block!, Tag.CryptographicAlgorithm)), Enum.CryptographicAlgorithm.AES, 'Get: AES');
  t.equal(valueOf(child(block!, Tag.CryptographicLength)), 256, 'Get: 256 bits');
  t.equal(keyMaterialOf(block)?.length, 32, 'Get: 32 key bytes');

  // The keep-alive again, on the same connection, after the work.
  r = await s.request([discoverVersionsItem()]);
  checkAnswer(t, r, V, [Op.DiscoverVersions], 'Discover Versions (all)');
  success(t, r.items[0], 'Discover Versions (all)');
});
