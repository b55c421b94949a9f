// Get Attributes shows an attribute only where the client's version applies it to the object's type: 1.x defines
// State and Fresh for cryptographic objects only, 2.x for all objects (1.4 §3.22, §3.34; 2.1 §4.57, §4.24).
import t from 'tap';
import { Enum } from '../../src/kmip/enum.js';
import { Tag } from '../../src/kmip/tag.js';
import { children, child } from '../helpers/kmip-messages.js';
import { opaqueObject, registerItem } from '../helpers/lifecycle-items.js';
import { byUid, makeObjectHarness, uidOf } from '../helpers/object-harness.js';

const h = makeObjectHarness();
t.teardown(() => h.close());

t.test('an Opaque Object: no State for a 1.x client, State for a 2.x client', async (t) => {
  const uid1 = uidOf(await h.ok('1.2', registerItem('1.2', Enum.ObjectType.OpaqueObject, opaqueObject(new Uint8Array([1, 2, 3])))));
  const attrs1 = await h.ok('1.2', byUid(Enum.Operation.GetAttributes, uid1));
  const names = children(attrs1, Tag.Attribute).map((a) => child(a, Tag.AttributeName)?.value);
  t.notOk(names.includes('State'), `1.2: ${JSON.stringify(names)}`);
  t.ok(names.includes('Object Type') && names.includes('Unique Identifier'));
  const uid2 = uidOf(await h.ok('2.1', registerItem('2.1', Enum.ObjectType.OpaqueObject, opaqueObject(new Uint8Array([4, 5, 6])))));
  const attrs2 = await h.ok('2.1', byUid(Enum.Operation.GetAttributes, uid2));
  t.ok(child(child(attrs2, Tag.Attributes)!, Tag.State), '2.1: State shown');
});
