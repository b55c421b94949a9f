// FortiGate's KMIP client (KMIP 1.0) replayed against a live kmipd over mTLS: each IPsec key resolved by Locate on
// its Name — the filter wrapped in a Template-Attribute — then fetched with Get, a username/password credential in
// every request header (a kmipd without a credentials file ignores it). Each name must find its own key, never
// another's (Cosmian kms #824). (1.0 §4.8, §4.10; §6.6 Authentication.)
import t from 'tap';
import { Enum } from '../../src/kmip/enum.js';
import { Tag } from '../../src/kmip/tag.js';
import {
  checkAnswer,
  fortigateKeyNames,
  fortigateLocate,
  keyBlockOf,
  keyMaterialOf,
  openSession,
  success,
  textOf,
} from '../helpers/client-sequences.js';
import { children, usernamePasswordAuthentication } from '../helpers/kmip-messages.js';
import { startLiveServer } from '../helpers/live-server.js';
import { byUid, createAes, nameValue, uidOf } from '../helpers/object-harness.js';

const server = await startLiveServer();
t.teardown(() => server.close());
const Op = Enum.Operation;
const V = '1.0';

t.test('FortiGate 1.0: Locate by Name (Template-Attribute filter) and Get, credential in the header', async (t) => {
  // The administrator provisions the tunnel's keys first.
  const names = fortigateKeyNames('vpn-hq');
  const admin = await openSession(server, '1.4');
  const uids = new Map<string, string>();
  for (const name of names) {
    const r = await admin.request([createAes('1.4', 256, [{ name: 'Name', value: nameValue(name) }]), byUid(Op.Activate, undefined)]);
    uids.set(name, uidOf(success(t, r.items[0], `provision ${name}`)));
    success(t, r.items[1], `activate ${name}`);
  }
  admin.close();

  const s = await openSession(server, V);
  t.teardown(() => s.close());
  const authentication = usernamePasswordAuthentication('fortigate', 'any password: not checked here');
  for (const name of names) {
    let r = await s.request([fortigateLocate(name)], { authentication });
    checkAnswer(t, r, V, [Op.Locate], `Locate ${name}`);
    const located = children(success(t, r.items[0], `Locate ${name}`), Tag.UniqueIdentifier).map(textOf);
    t.same(located, [uids.get(name)], `Locate ${name}: its own key, alone`);

    r = await s.request([byUid(Op.Get, located[0])], { authentication });
    checkAnswer(t, r, V, [Op.Get], `Get ${name}`);
    const block = keyBlockOf(success(t, r.items[0], `Get ${name}`), Tag.SymmetricKey);
    t.equal(keyMaterialOf(block)?.length, 32, `Get ${name}: 32 key bytes`);
  }

  const r = await s.request([fortigateLocate('vpn-hq-no-such-key')], { authentication });
  checkAnswer(t, r, V, [Op.Locate], 'Locate of an unknown name');
  t.same(children(success(t, r.items[0], 'Locate of an unknown name'), Tag.UniqueIdentifier), [], 'finds nothing');
});
