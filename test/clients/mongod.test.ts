// mongod's KMIP master-key management replayed against a live kmipd over mTLS: Create AES-256, Activate, the key's
// State polled with Get Attributes, Get — in KMIP 1.2 (MongoDB Enterprise) and 1.0 (as Percona Server for MongoDB's
// libkmip sends it; PSMDB docs "Key state polling"). 1.0 answers must hold no attribute 1.0 lacks (Cosmian kms #687:
// a 1.0 client handed "Fresh" fails). (1.0/1.2 §4.1, §4.10/§4.11, §4.11/§4.12, §4.19.)
import t from 'tap';
import { Enum } from '../../src/kmip/enum.js';
import { Tag } from '../../src/kmip/tag.js';
import type { KmipVersion } from '../../src/kmip/versions.js';
import {
  ATTRIBUTES_1_0,
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
import { child } from '../helpers/kmip-messages.js';
import { startLiveServer } from '../helpers/live-server.js';
import { byUid, createAes, uidOf } from '../helpers/object-harness.js';

const server = await startLiveServer();
t.teardown(() => server.close());
const Op = Enum.Operation;

for (const V of ['1.2', '1.0'] as const satisfies readonly KmipVersion[]) {
  t.test(`mongod ${V}: Create, Activate, poll State, Get`, async (t) => {
    const s = await openSession(server, V);
    t.teardown(() => s.close());

    let r = await s.request([createAes(V, 256)]);
    checkAnswer(t, r, V, [Op.Create], 'Create');
    let p = success(t, r.items[0], 'Create');
    t.equal(valueOf(child(p, Tag.ObjectType)), Enum.ObjectType.SymmetricKey, 'Create: Symmetric Key');
    const uid = uidOf(p);

    const poll = async (what: string): Promise<unknown> => {
      const a = await s.request([getAttributes1x(uid, ['State'])]);
      checkAnswer(t, a, V, [Op.GetAttributes], `${what}: Get Attributes State`);
      const got = success(t, a.items[0], `${what}: Get Attributes State`);
      t.equal(textOf(child(got, Tag.UniqueIdentifier)), uid, `${what}: the UID`);
      const attrs = attributes1x(got);
      t.same([...attrs.keys()], ['State'], `${what}: State alone`);
      return valueOf(attrs.get('State')?.[0]);
    };
    t.equal(await poll('before Activate'), Enum.State.PreActive, 'Pre-Active before Activate');

    r = await s.request([byUid(Op.Activate, uid)]);
    checkAnswer(t, r, V, [Op.Activate], 'Activate');
    t.equal(textOf(child(success(t, r.items[0], 'Activate'), Tag.UniqueIdentifier)), uid, 'Activate: the UID');

    // The polling loop: the same question, again and again, on the one connection.
    for (let i = 1; i <= 3; i++) t.equal(await poll(`poll ${i}`), Enum.State.Active, `poll ${i}: Active`);

    r = await s.request([byUid(Op.Get, uid)]);
    checkAnswer(t, r, V, [Op.Get], 'Get');
    p = success(t, r.items[0], 'Get');
    t.equal(textOf(child(p, Tag.UniqueIdentifier)), uid, 'Get: the UID');
    const block = keyBlockOf(p, Tag.SymmetricKey);
    t.equal(valueOf(child(block!, Tag.KeyFormatType)), Enum.KeyFormatType.Raw, 'Get: Raw');
    t.equal(valueOf(child(block!, Tag.CryptographicAlgorithm)), Enum.CryptographicAlgorithm.AES, 'Get: AES');
    t.equal(keyMaterialOf(block)?.length, 32, 'Get: 32 key bytes');

    // Every attribute at once (what a client dumping a key sees): names its version defines, custom ones aside.
    r = await s.request([getAttributes1x(uid)]);
    checkAnswer(t, r, V, [Op.GetAttributes], 'Get Attributes (all)');
    const all = attributes1x(success(t, r.items[0], 'Get Attributes (all)'));
    t.same(valueOf(all.get('State')?.[0]), Enum.State.Active, 'all: State Active');
    t.equal(valueOf(all.get('Cryptographic Length')?.[0]), 256, 'all: Cryptographic Length 256');
    if (V === '1.0') {
      const foreign = [...all.keys()].filter((n) => !ATTRIBUTES_1_0.has(n) && !/^[xy]-/.test(n));
      t.same(foreign, [], '1.0: no attribute 1.0 does not define (Fresh, Original Creation Date …)');
    }
  });
}
