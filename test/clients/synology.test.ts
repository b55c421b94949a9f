// Synology DSM's KMIP client (KMIP 1.2) replayed against a live kmipd over mTLS: a new TLS connection for each
// operation; Register of Secret Data in Opaque format with Operation Policy Name "default" (read back with Get
// Attributes); Locate by Name; Modify Attribute of Name with the changed attribute echoed back; Get; Queries from
// several connections at once (Cosmian kms #760, #796, #820, #933; 1.2 §4.3, §4.9, §4.11, §4.12, §4.16, §4.25).
import { randomBytes, randomUUID } from 'node:crypto';
import t from 'tap';
import { Enum, Mask } from '../../src/kmip/enum.js';
import { Tag } from '../../src/kmip/tag.js';
import { ttlv } from '../../src/ttlv/ttlv-item.js';
import {
  attribute1x,
  attributes1x,
  checkAnswer,
  getAttributes1x,
  keyBlockOf,
  keyMaterialOf,
  oneShot,
  secretData,
  success,
  textOf,
  valueOf,
} from '../helpers/client-sequences.js';
import { child, children, queryItem } from '../helpers/kmip-messages.js';
import { startLiveServer } from '../helpers/live-server.js';
import { attributesFor, byUid, nameValue, uidOf } from '../helpers/object-harness.js';

const server = await startLiveServer();
t.teardown(() => server.close());
const Op = Enum.Operation;
const V = '1.2';

t.test('Synology 1.2: Register, read back, Locate, rename, Get — one connection per operation', async (t) => {
  // DSM names its volume key by a long hex identifier and stores 72 opaque bytes.
  const keyName = randomBytes(64).toString('hex');
  const material = randomBytes(72);

  let r = await oneShot(server, V, [
    {
      operation: Op.Register,
      payload: [
        ttlv.enumeration(Tag.ObjectType, Enum.ObjectType.SecretData),
        attributesFor(V, [
          { name: 'Cryptographic Usage Mask', value: ttlv.integer(0, Mask.CryptographicUsageMask.Verify) },
          { name: 'Operation Policy Name', value: ttlv.textString(0, 'default') },
          { name: 'Name', value: nameValue(keyName) },
        ]),
        secretData(Enum.SecretDataType.Password, Enum.KeyFormatType.Opaque, material),
      ],
    },
  ]);
  checkAnswer(t, r, V, [Op.Register], 'Register');
  const uid = uidOf(success(t, r.items[0], 'Register'));

  r = await oneShot(server, V, [getAttributes1x(uid, ['Operation Policy Name'])]);
  checkAnswer(t, r, V, [Op.GetAttributes], 'Get Attributes Operation Policy Name');
  const policy = attributes1x(success(t, r.items[0], 'Get Attributes Operation Policy Name'));
  t.same(policy.get('Operation Policy Name')?.map(textOf), ['default'], 'Operation Policy Name "default" read back');

  r = await oneShot(server, V, [{ operation: Op.Locate, payload: [attribute1x('Name', nameValue(keyName))] }]);
  checkAnswer(t, r, V, [Op.Locate], 'Locate by Name');
  const located = success(t, r.items[0], 'Locate by Name');
  t.same(children(located, Tag.UniqueIdentifier).map(textOf), [uid], 'Locate: the registered secret, alone');

  // The key is retired by renaming it: Modify Attribute of Name, index 0.
  const retired = `${randomUUID()}-deprecated-${Date.now()}`;
  r = await oneShot(server, V, [
    { operation: Op.ModifyAttribute, payload: [ttlv.textString(Tag.UniqueIdentifier, uid), attribute1x('Name', nameValue(retired), 0)] },
  ]);
  checkAnswer(t, r, V, [Op.ModifyAttribute], 'Modify Attribute Name');
  const modified = success(t, r.items[0], 'Modify Attribute Name');
  t.equal(textOf(child(modified, Tag.UniqueIdentifier)), uid, 'Modify Attribute: the UID');
  const echoed = attributes1x(modified).get('Name')?.[0];
  t.ok(echoed !== undefined, 'Modify Attribute: the changed attribute echoed');
  t.equal(textOf(child(echoed ?? ttlv.structure(0, []), Tag.NameValue)), retired, 'Modify Attribute: with its new value');
  t.equal(
    valueOf(child(echoed ?? ttlv.structure(0, []), Tag.NameType)),
    Enum.NameType.UninterpretedTextString,
    'Modify Attribute: and its Name Type',
  );

  r = await oneShot(server, V, [getAttributes1x(uid, ['Name'])]);
  checkAnswer(t, r, V, [Op.GetAttributes], 'Get Attributes Name');
  const names = attributes1x(success(t, r.items[0], 'Get Attributes Name')).get('Name') ?? [];
  t.same(names.map((n) => textOf(child(n, Tag.NameValue))), [retired], 'the new name replaced the old one');

  r = await oneShot(server, V, [byUid(Op.Get, uid)]);
  checkAnswer(t, r, V, [Op.Get], 'Get');
  const got = success(t, r.items[0], 'Get');
  const block = keyBlockOf(got, Tag.SecretData);
  t.equal(valueOf(child(block!, Tag.KeyFormatType)), Enum.KeyFormatType.Opaque, 'Get: in its Opaque format');
  t.ok(keyMaterialOf(block)?.equals(material), 'Get: the 72 registered bytes');
});

t.test('Synology 1.2: Queries from several connections at once', async (t) => {
  const QF = Enum.QueryFunction;
  const answers = await Promise.all(
    Array.from({ length: 6 }, () => oneShot(server, V, [queryItem([QF.QueryOperations, QF.QueryObjects])])),
  );
  answers.forEach((r, i) => {
    checkAnswer(t, r, V, [Op.Query], `Query ${i}`);
    const p = success(t, r.items[0], `Query ${i}`);
    const ops = children(p, Tag.Operation).map(valueOf);
    for (const op of [Op.Register, Op.Locate, Op.Get, Op.GetAttributes, Op.ModifyAttribute, Op.Query]) {
      t.ok(ops.includes(op), `Query ${i}: lists operation 0x${op.toString(16)}`);
    }
    t.ok(children(p, Tag.ObjectType).map(valueOf).includes(Enum.ObjectType.SecretData), `Query ${i}: lists Secret Data`);
  });
});
