// libmongocrypt's "kmip" KMS provider (MongoDB drivers' client-side field level encryption) replayed against a live
// kmipd over mTLS, in KMIP 1.4 as it sends: Register a 96-byte Secret Data (type Seed, Raw) with Cryptographic Usage
// Mask 0, Activate, Get — the 96 bytes must come back unchanged (libmongocrypt PRs #202, #603; 1.4 §4.3, §4.11, §4.19).
import { randomBytes } from 'node:crypto';
import t from 'tap';
import { Enum } from '../../src/kmip/enum.js';
import { Tag } from '../../src/kmip/tag.js';
import { ttlv } from '../../src/ttlv/ttlv-item.js';
import { checkAnswer, keyBlockOf, keyMaterialOf, openSession, secretData, success, textOf, valueOf } from '../helpers/client-sequences.js';
import { child } from '../helpers/kmip-messages.js';
import { startLiveServer } from '../helpers/live-server.js';
import { attributesFor, byUid, uidOf } from '../helpers/object-harness.js';

const server = await startLiveServer();
t.teardown(() => server.close());
const Op = Enum.Operation;
const V = '1.4';

t.test('libmongocrypt 1.4: Register a 96-byte key encryption key, Activate, Get', async (t) => {
  const kek = randomBytes(96);
  const s = await openSession(server, V);
  t.teardown(() => s.close());

  let r = await s.request([
    {
      operation: Op.Register,
      payload: [
        ttlv.enumeration(Tag.ObjectType, Enum.ObjectType.SecretData),
        attributesFor(V, [{ name: 'Cryptographic Usage Mask', value: ttlv.integer(0, 0) }]),
        secretData(Enum.SecretDataType.Seed, Enum.KeyFormatType.Raw, kek),
      ],
    },
  ]);
  checkAnswer(t, r, V, [Op.Register], 'Register');
  const uid = uidOf(success(t, r.items[0], 'Register'));

  r = await s.request([byUid(Op.Activate, uid)]);
  checkAnswer(t, r, V, [Op.Activate], 'Activate');
  success(t, r.items[0], 'Activate');

  r = await s.request([byUid(Op.Get, uid)]);
  checkAnswer(t, r, V, [Op.Get], 'Get');
  const p = success(t, r.items[0], 'Get');
  t.equal(valueOf(child(p, Tag.ObjectType)), Enum.ObjectType.SecretData, 'Get: Secret Data');
  t.equal(textOf(child(p, Tag.UniqueIdentifier)), uid, 'Get: the UID');
  t.equal(valueOf(child(child(p, Tag.SecretData)!, Tag.SecretDataType)), Enum.SecretDataType.Seed, 'Get: type Seed');
  const block = keyBlockOf(p, Tag.SecretData);
  t.equal(valueOf(child(block!, Tag.KeyFormatType)), Enum.KeyFormatType.Raw, 'Get: Raw');
  const material = keyMaterialOf(block);
  t.equal(material?.length, 96, 'Get: 96 bytes');
  t.ok(material?.equals(kek), 'Get: the registered bytes');
});
