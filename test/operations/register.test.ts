// Register in every version, every object type and format kmipd registers, and its errors, against a real SoftHSM
// token and SQLite file (1.4 §4.3, §11.4; 2.1 §6.1.43; OASIS OMOS-M-1, BL-M-3/4/10/13).
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import t from 'tap';
import { Enum } from '../../src/kmip/enum.js';
import { Tag } from '../../src/kmip/tag.js';
import type { KmipVersion } from '../../src/kmip/versions.js';
import { REGISTERED_OBJECT_TYPES } from '../../src/operations/register.js';
import { encodeTtlv } from '../../src/ttlv/encode.js';
import { ItemType } from '../../src/ttlv/item-type.js';
import { ttlv, type TtlvItem } from '../../src/ttlv/ttlv-item.js';
import {
  algorithmAttr, attributeValues, dateAttr, dateAttributeOf, keyBlock, lengthAttr, nameAttr, NOT_FOUND, opaqueObject, reasonOf, registerAes, registerItem,
  secretData, stateOf, symmetricKey, testBytes, usageMask,
} from '../helpers/lifecycle-items.js';
import { child } from '../helpers/kmip-messages.js';
import { ALL_VERSIONS, byUid, makeObjectHarness, uidOf } from '../helpers/object-harness.js';

const h = makeObjectHarness();
t.teardown(() => h.close());
const Op = Enum.Operation;
const OT = Enum.ObjectType;
const F = Enum.KeyFormatType;
const A = Enum.CryptographicAlgorithm;
const VECTORS = new URL('../../../shared/kmip-vectors/oasis-profiles/', import.meta.url);

/** Get `uid` in `version` and return the object structure. */
async function getObject(version: KmipVersion, uid: string): Promise<TtlvItem> {
  const got = await h.ok(version, byUid(Op.Get, uid));
  const object = got.type === ItemType.Structure ? got.value.find((c) => c.tag !== Tag.ObjectType && c.tag !== Tag.UniqueIdentifier) : undefined;
  if (object === undefined) throw new Error('Get returned no object');
  return object;
}

const same = (a: TtlvItem, b: TtlvItem): boolean => Buffer.from(encodeTtlv(a)).equals(Buffer.from(encodeTtlv(b)));

for (const version of ALL_VERSIONS) {
  t.test(`KMIP ${version}: Register an AES key, Get it back as registered, its attributes set`, async (t) => {
    const key = testBytes(32, 1 + version.charCodeAt(2));
    const uid = uidOf(await h.ok(version, registerAes(version, key, [usageMask(0x0c), nameAttr(`reg-${version}`)])));
    const object = await getObject(version, uid);
    t.ok(same(object, symmetricKey(key, A.AES, 256)), 'the object comes back exactly as registered');
    t.equal((await attributeValues(h, version, uid, 'Cryptographic Algorithm'))[0]?.value, A.AES, 'algorithm from the Key Block');
    t.equal((await attributeValues(h, version, uid, 'Cryptographic Length'))[0]?.value, 256, 'length from the Key Block');
    t.equal(await stateOf(h, uid, version), Enum.State.PreActive, 'Pre-Active without an Activation Date');
    const [digest] = await attributeValues(h, version, uid, 'Digest');
    const { createHash } = await import('node:crypto');
    t.same(Buffer.from(child(digest!, Tag.DigestValue)!.value as Uint8Array), createHash('sha256').update(key).digest(), 'Digest over the key bytes');
  });

  t.test(`KMIP ${version}: batch Register → Activate → Get through the ID Placeholder`, async (t) => {
    const key = testBytes(16, 200 + version.charCodeAt(2));
    const r = await h.send({ version, items: [registerAes(version, key), byUid(Op.Activate, undefined), byUid(Op.Get, undefined)] });
    t.same(r.items.map(reasonOf), [undefined, undefined, undefined]);
    const uid = uidOf(r.items[0]!.payload!);
    t.equal(uidOf(r.items[1]!.payload!), uid, 'Activate acted on the registered object');
    t.equal(uidOf(r.items[2]!.payload!), uid);
    t.equal(await stateOf(h, uid), Enum.State.Active);
  });

  t.test(`KMIP ${version}: Opaque Object (OMOS-M-1) and Secret Data register, come back, and destroy`, async (t) => {
    const opaque = opaqueObject(testBytes(40, 7));
    const uid = uidOf(await h.ok(version, registerItem(version, OT.OpaqueObject, opaque, [nameAttr(`omos-${version}`)])));
    t.ok(same(await getObject(version, uid), opaque));
    t.equal(reasonOf(await h.one(version, byUid(Op.Destroy, uid))), undefined, 'a registered Opaque Object can be destroyed');
    const secret = secretData(testBytes(24, 8), Enum.SecretDataType.Password, F.Opaque);
    const sid = uidOf(await h.ok(version, registerItem(version, OT.SecretData, secret, [usageMask(0)])));
    t.ok(same(await getObject(version, sid), secret));
  });
}

t.test('the object types and formats kmipd registers', async (t) => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const der = (k: { export(o: object): Buffer | string }, type: string): Uint8Array => k.export({ type, format: 'der' }) as Buffer;
  const asym = (tag: number, format: number, bytes: Uint8Array, alg: number, bits: number): TtlvItem =>
    ttlv.structure(tag, [keyBlock(format, ttlv.byteString(0, bytes), alg, bits)]);
  const transparentRsaPublic = ttlv.structure(Tag.PublicKey, [keyBlock(F.TransparentRSAPublicKey, ttlv.structure(Tag.KeyMaterial, [
    ttlv.bigInteger(Tag.Modulus, 0xc0ffee0000000000000000000000000000000001n), ttlv.bigInteger(Tag.PublicExponent, 65537n),
  ]), A.RSA, 160)]);
  const cases: [string, KmipVersion, number, TtlvItem, { name: string; value: TtlvItem }[]][] = [
    ['AES-128 Raw', '1.0', OT.SymmetricKey, symmetricKey(testBytes(16, 11), A.AES, 128), [usageMask(0x0c)]],
    ['AES-192 Raw', '1.4', OT.SymmetricKey, symmetricKey(testBytes(24, 12), A.AES, 192), [usageMask(0x0c)]],
    ['AES-256 Transparent (BL-M-3)', '2.1', OT.SymmetricKey, symmetricKey(testBytes(32, 13), A.AES, 256, F.TransparentSymmetricKey), [usageMask(0x08)]],
    ['3DES-168 in 24 bytes', '1.2', OT.SymmetricKey, symmetricKey(testBytes(24, 14), A.DES3, 168), [usageMask(0x0c)]],
    ['3DES given as attributes only', '2.0', OT.SymmetricKey, symmetricKey(testBytes(16, 15)), [algorithmAttr(A.DES3), lengthAttr(112), usageMask(0x0c)]],
    ['HMAC-SHA256 key', '1.4', OT.SymmetricKey, symmetricKey(testBytes(32, 16), A.HMAC_SHA256, 256), [usageMask(0x80)]],
    ['Secret Data Password Raw (BL-M-4)', '2.1', OT.SecretData, secretData(testBytes(8, 17), Enum.SecretDataType.Password, F.Raw), []],
    ['Secret Data Seed', '1.1', OT.SecretData, secretData(testBytes(32, 18), Enum.SecretDataType.Seed, F.Raw), [usageMask(0)]],
    ['RSA private PKCS#1', '1.4', OT.PrivateKey, asym(Tag.PrivateKey, F.PKCS_1, der(rsa.privateKey, 'pkcs1'), A.RSA, 2048), [usageMask(0x01)]],
    ['RSA private PKCS#8 (BL-M-11)', '2.1', OT.PrivateKey, asym(Tag.PrivateKey, F.PKCS_8, der(rsa.privateKey, 'pkcs8'), A.RSA, 2048), [usageMask(0x01)]],
    ['RSA public PKCS#1', '1.0', OT.PublicKey, asym(Tag.PublicKey, F.PKCS_1, der(rsa.publicKey, 'pkcs1'), A.RSA, 2048), [usageMask(0x02)]],
    ['RSA public X.509', '1.3', OT.PublicKey, asym(Tag.PublicKey, F.X_509, der(rsa.publicKey, 'spki'), A.RSA, 2048), [usageMask(0x02)]],
    ['EC private PKCS#8', '2.0', OT.PrivateKey, asym(Tag.PrivateKey, F.PKCS_8, der(ec.privateKey, 'pkcs8'), A.EC, 256), [usageMask(0x01)]],
    ['EC public X.509', '1.2', OT.PublicKey, asym(Tag.PublicKey, F.X_509, der(ec.publicKey, 'spki'), A.EC, 256), [usageMask(0x02)]],
    ['RSA public Transparent', '1.4', OT.PublicKey, transparentRsaPublic, [usageMask(0x02)]],
    ['Split Key', '1.4', OT.SplitKey, ttlv.structure(Tag.SplitKey, [
      ttlv.integer(Tag.SplitKeyParts, 3), ttlv.integer(Tag.KeyPartIdentifier, 1), ttlv.integer(Tag.SplitKeyThreshold, 2),
      ttlv.enumeration(Tag.SplitKeyMethod, Enum.SplitKeyMethod.XOR), keyBlock(F.Raw, ttlv.byteString(0, testBytes(32, 19)), A.AES, 256),
    ]), [usageMask(0x0c)]],
  ];
  for (const [what, version, type, object, list] of cases) {
    const r = await h.one(version, registerItem(version, type, object, list));
    t.equal(reasonOf(r), undefined, `${what} registers (${r.resultMessage ?? ''})`);
    if (r.payload !== undefined) t.ok(same(await getObject(version, uidOf(r.payload)), object), `${what} comes back as registered`);
  }
  t.same([...REGISTERED_OBJECT_TYPES('1.4')].sort(), [OT.Certificate, OT.SymmetricKey, OT.PublicKey, OT.PrivateKey, OT.SplitKey, OT.Template, OT.SecretData, OT.OpaqueObject].sort());
  t.notOk(REGISTERED_OBJECT_TYPES('2.1').includes(OT.Template), 'no Template in 2.x');
});

t.test('a Certificate (BL-M-10-21): parsed, its X.509 attributes set', async (t) => {
  const xml = readFileSync(new URL('v2.1/mandatory/BL-M-10-21.xml', VECTORS), 'utf8');
  const der = Buffer.from(/CertificateValue type="ByteString" value="([0-9a-f]+)"/.exec(xml)![1]!, 'hex');
  const cert = ttlv.structure(Tag.Certificate, [ttlv.enumeration(Tag.CertificateType, Enum.CertificateType.X_509), ttlv.byteString(Tag.CertificateValue, der)]);
  const uid = uidOf(await h.ok('2.1', registerItem('2.1', OT.Certificate, cert, [{ name: 'Certificate Type', value: ttlv.enumeration(0, Enum.CertificateType.X_509) }])));
  const r = await h.ok('2.1', {
    operation: Op.GetAttributes,
    payload: [ttlv.textString(Tag.UniqueIdentifier, uid), ttlv.enumeration(Tag.AttributeReference, Tag.CertificateSubjectCN), ttlv.enumeration(Tag.AttributeReference, Tag.CertificateLength)],
  });
  const set = child(r, Tag.Attributes)!;
  t.equal(child(set, Tag.CertificateSubjectCN)?.value, 'CN', 'Certificate Subject CN');
  t.equal(child(set, Tag.CertificateLength)?.value, 1043, 'Certificate Length');
  t.ok(same(await getObject('2.1', uid), cert));
  const uid14 = uidOf(await h.ok('1.4', registerItem('1.4', OT.Certificate, cert)));
  t.equal((await attributeValues(h, '1.4', uid14, 'Certificate Type'))[0]?.value, Enum.CertificateType.X_509);
  t.equal((await attributeValues(h, '1.4', uid14, 'Digital Signature Algorithm'))[0]?.value, Enum.DigitalSignatureAlgorithm.SHA_256WithRSAEncryption);
  t.equal((await attributeValues(h, '1.4', uid14, 'Cryptographic Algorithm'))[0]?.value, A.RSA);
  const x509id = (await attributeValues(h, '1.4', uid14, 'X.509 Certificate Identifier'))[0]!;
  t.same(Buffer.from(child(x509id, Tag.CertificateSerialNumber)!.value as Uint8Array).toString('hex'), '00e31cb99f91cb07ed', 'serial number bytes');
  const bad = await h.one('2.1', registerItem('2.1', OT.Certificate, ttlv.structure(Tag.Certificate, [
    ttlv.enumeration(Tag.CertificateType, Enum.CertificateType.X_509), ttlv.byteString(Tag.CertificateValue, testBytes(100, 3)),
  ])));
  t.equal(reasonOf(bad), 'InvalidField', 'bytes that are no certificate: Invalid Field');
});

t.test('client interop: libmongocrypt and Synology Secret Data', async (t) => {
  // libmongocrypt: KMIP 1.0, a 96-byte Secret Data with Cryptographic Usage Mask 0, then Activate and Get.
  const seed = testBytes(96, 42);
  const mongo = secretData(seed, Enum.SecretDataType.Seed, F.Raw);
  const r = await h.send({ version: '1.0', items: [registerItem('1.0', OT.SecretData, mongo, [usageMask(0)])] });
  t.equal(reasonOf(r.items[0]!), undefined, 'libmongocrypt Register');
  const uid = uidOf(r.items[0]!.payload!);
  await h.ok('1.0', byUid(Op.Activate, uid));
  t.ok(same(await getObject('1.0', uid), mongo), 'the 96 bytes come back');
  // Synology: KMIP 1.2, Secret Data in Opaque format with Operation Policy Name "default".
  const secret = secretData(testBytes(32, 43), Enum.SecretDataType.Password, F.Opaque);
  const syn = await h.one('1.2', registerItem('1.2', OT.SecretData, secret, [usageMask(0x0c), { name: 'Operation Policy Name', value: ttlv.textString(0, 'default') }]));
  t.equal(reasonOf(syn), undefined, 'Synology Register');
  t.ok(same(await getObject('1.2', uidOf(syn.payload!)), secret));
});

t.test('a 1.x Template holds attributes; one with a Name inside is refused', async (t) => {
  const template = ttlv.structure(Tag.Template, [
    ttlv.structure(Tag.Attribute, [ttlv.textString(Tag.AttributeName, 'Cryptographic Algorithm'), ttlv.enumeration(Tag.AttributeValue, A.AES)]),
    ttlv.structure(Tag.Attribute, [ttlv.textString(Tag.AttributeName, 'Cryptographic Length'), ttlv.integer(Tag.AttributeValue, 256)]),
  ]);
  const uid = uidOf(await h.ok('1.2', registerItem('1.2', OT.Template, template, [nameAttr('tmpl-1')])));
  t.ok(same(await getObject('1.2', uid), template));
  const named = ttlv.structure(Tag.Template, [ttlv.structure(Tag.Attribute, [ttlv.textString(Tag.AttributeName, 'Name'), { ...nameAttr('x').value, tag: Tag.AttributeValue } as TtlvItem])]);
  t.equal(reasonOf(await h.one('1.2', registerItem('1.2', OT.Template, named))), 'InvalidField', 'a Name inside the Template: Invalid Field');
  t.equal(reasonOf(await h.one('2.1', registerItem('2.1', OT.Template, undefined))), 'InvalidObjectType', 'no Template in 2.x');

  // A Create naming the template by its Name in the Template-Attribute takes the template's attributes
  // (1.4 §2.1.8); an attribute the request gives replaces a single-valued one from the template.
  const fromTemplate = await h.ok('1.2', {
    operation: Enum.Operation.Create,
    payload: [
      ttlv.enumeration(Tag.ObjectType, OT.SymmetricKey),
      ttlv.structure(Tag.TemplateAttribute, [ttlv.structure(Tag.Name, [ttlv.textString(Tag.NameValue, 'tmpl-1'), ttlv.enumeration(Tag.NameType, Enum.NameType.UninterpretedTextString)])]),
    ],
  });
  const created = await h.ok('1.2', byUid(Enum.Operation.GetAttributes, uidOf(fromTemplate), [ttlv.textString(Tag.AttributeName, 'Cryptographic Length')]));
  t.equal(child(child(created, Tag.Attribute)!, Tag.AttributeValue)?.value, 256, 'Create used the template: AES-256');
  const overridden = await h.ok('1.2', {
    operation: Enum.Operation.Create,
    payload: [
      ttlv.enumeration(Tag.ObjectType, OT.SymmetricKey),
      ttlv.structure(Tag.TemplateAttribute, [
        ttlv.structure(Tag.Name, [ttlv.textString(Tag.NameValue, 'tmpl-1'), ttlv.enumeration(Tag.NameType, Enum.NameType.UninterpretedTextString)]),
        ttlv.structure(Tag.Attribute, [ttlv.textString(Tag.AttributeName, 'Cryptographic Length'), ttlv.integer(Tag.AttributeValue, 128)]),
      ]),
    ],
  });
  const got = await h.ok('1.2', byUid(Enum.Operation.GetAttributes, uidOf(overridden), [ttlv.textString(Tag.AttributeName, 'Cryptographic Length')]));
  t.equal(child(child(got, Tag.Attribute)!, Tag.AttributeValue)?.value, 128, 'the request\'s own length wins');
  const missing = await h.one('1.2', {
    operation: Enum.Operation.Create,
    payload: [
      ttlv.enumeration(Tag.ObjectType, OT.SymmetricKey),
      ttlv.structure(Tag.TemplateAttribute, [ttlv.structure(Tag.Name, [ttlv.textString(Tag.NameValue, 'no-such-template'), ttlv.enumeration(Tag.NameType, Enum.NameType.UninterpretedTextString)])]),
    ],
  });
  t.equal(reasonOf(missing), 'ItemNotFound', 'an unknown template: Item Not Found (1.4 §11.2)');
});

t.test('initial state, Fresh, Usage Limits', async (t) => {
  const past = h.clock - 3600n;
  const active = uidOf(await h.ok('2.1', registerAes('2.1', testBytes(16, 50), [usageMask(4), dateAttr('Activation Date', past)])));
  t.equal(await stateOf(h, active), Enum.State.Active, 'Activation Date past: Active');
  t.equal(await dateAttributeOf(h, active, 'Activation Date'), past, 'the given Activation Date is kept');
  const gone = uidOf(await h.ok('2.1', registerAes('2.1', testBytes(16, 51), [usageMask(4), dateAttr('Activation Date', past - 60n), dateAttr('Deactivation Date', past)])));
  t.equal(await stateOf(h, gone), Enum.State.Deactivated, 'Deactivation Date past too: Deactivated (BL-M-7-21)');
  const future = uidOf(await h.ok('1.4', registerAes('1.4', testBytes(16, 52), [usageMask(4), dateAttr('Activation Date', h.clock + 100n)])));
  t.equal(await stateOf(h, future), Enum.State.PreActive);

  const fresh = uidOf(await h.ok('2.1', registerAes('2.1', testBytes(16, 53))));
  t.equal((await attributeValues(h, '2.1', fresh, 'Fresh'))[0]?.value, true, 'a registered object is Fresh');
  const stale = uidOf(await h.ok('2.1', registerAes('2.1', testBytes(16, 54), [usageMask(4), { name: 'Fresh', value: ttlv.boolean(0, false) }])));
  t.equal((await attributeValues(h, '2.1', stale, 'Fresh'))[0]?.value, false, 'unless the client says False (2.1 §4.24)');
  await h.ok('2.1', byUid(Op.Get, fresh));
  t.equal((await attributeValues(h, '2.1', fresh, 'Fresh'))[0]?.value, false, 'Get makes it not Fresh (BL-M-13-21)');

  const limits = ttlv.structure(0, [
    ttlv.longInteger(Tag.UsageLimitsTotal, 500n), ttlv.longInteger(Tag.UsageLimitsCount, 3n), ttlv.enumeration(Tag.UsageLimitsUnit, Enum.UsageLimitsUnit.Object),
  ]);
  const limited = uidOf(await h.ok('1.4', registerAes('1.4', testBytes(16, 55), [usageMask(4), { name: 'Usage Limits', value: limits }])));
  const [ul] = await attributeValues(h, '1.4', limited, 'Usage Limits');
  t.equal(child(ul!, Tag.UsageLimitsCount)?.value, 500n, 'the Count starts at the Total (1.4 §3.21)');
});

t.test('Register errors', async (t) => {
  const aes = symmetricKey(testBytes(32, 60), A.AES, 256);
  const cases: [string, KmipVersion, Parameters<typeof registerItem>, string][] = [
    ['object type kmipd does not register (PGP Key)', '2.1', ['2.1', OT.PGPKey, ttlv.structure(Tag.PGPKey, []), []], 'InvalidField'],
    ['no object', '2.1', ['2.1', OT.SymmetricKey, undefined, [usageMask(4)]], 'InvalidMessage'],
    ['no object (1.x)', '1.4', ['1.4', OT.SymmetricKey, undefined, [usageMask(4)]], 'InvalidMessage'],
    ['object of another type', '2.1', ['2.1', OT.SymmetricKey, secretData(testBytes(8, 1)), []], 'InvalidField'],
    ['object of another type (1.x)', '1.2', ['1.2', OT.SecretData, aes, []], 'InvalidField'],
    ['PKCS#1 for a symmetric key', '2.1', ['2.1', OT.SymmetricKey, symmetricKey(testBytes(32, 2), A.AES, 256, F.PKCS_1), []], 'InvalidField'],
    ['16 bytes for AES-256', '2.1', ['2.1', OT.SymmetricKey, symmetricKey(testBytes(16, 3), A.AES, 256), []], 'InvalidField'],
    ['16 bytes for AES-256 (1.x)', '1.0', ['1.0', OT.SymmetricKey, symmetricKey(testBytes(16, 3), A.AES, 256), []], 'InvalidField'],
    ['algorithm disagreeing with the Key Block', '1.4', ['1.4', OT.SymmetricKey, aes, [algorithmAttr(A.DES3)]], 'InvalidField'],
    ['no algorithm anywhere', '2.1', ['2.1', OT.SymmetricKey, symmetricKey(testBytes(32, 4)), [usageMask(4)]], 'MissingData'],
    ['State given by the client', '2.1', ['2.1', OT.SymmetricKey, aes, [{ name: 'State', value: ttlv.enumeration(0, Enum.State.Active) }]], 'ReadOnlyAttribute'],
    ['State given by the client (1.x)', '1.3', ['1.3', OT.SymmetricKey, aes, [{ name: 'State', value: ttlv.enumeration(0, Enum.State.Active) }]], 'PermissionDenied'],
    ['unknown Secret Data Type', '2.1', ['2.1', OT.SecretData, secretData(testBytes(8, 5), 0x77), []], 'InvalidField'],
  ];
  for (const [what, version, args, reason] of cases) {
    const r = await h.one(version, registerItem(...args));
    t.equal(reasonOf(r), reason, `${what}: ${reason} (${r.resultMessage ?? ''})`);
  }
  t.equal(reasonOf(await h.one('1.4', registerItem('1.4', 0x77, aes))), 'InvalidField', 'unknown Object Type (1.x): Invalid Field');
  t.equal(reasonOf(await h.one('2.1', registerItem('2.1', OT.PGPKey, undefined))), 'InvalidObjectType', 'Object Type not registered (2.x): Invalid Object Type');

  await h.ok('2.1', registerAes('2.1', testBytes(16, 70), [usageMask(4), nameAttr('taken')]));
  t.equal(reasonOf(await h.one('2.1', registerAes('2.1', testBytes(16, 71), [usageMask(4), nameAttr('taken')]))), 'NonUniqueNameAttribute');
  // 1.4 §11.2 and §11.4 say Invalid Field; result-reason.ts maps Non Unique Name to Illegal Operation (reported).
  const dup1x = reasonOf(await h.one('1.4', registerAes('1.4', testBytes(16, 71), [usageMask(4), nameAttr('taken')])));
  t.equal(dup1x, 'InvalidField', '1.x: Invalid Field (1.4 §11.4)');
  t.equal(reasonOf(await h.one('2.1', registerAes('2.1', testBytes(16, 72), [usageMask(4), nameAttr('taken')]), 'bob')), undefined, 'bob has his own names');
});

t.test("bob cannot read alice's registered object", async (t) => {
  const uid = uidOf(await h.ok('2.1', registerAes('2.1', testBytes(32, 80))));
  t.match(reasonOf(await h.one('2.1', byUid(Op.Get, uid), 'bob')), NOT_FOUND);
  t.match(reasonOf(await h.one('1.4', byUid(Op.GetAttributes, uid), 'bob')), NOT_FOUND);
});

t.test('registered key bytes never appear in the database files', async (t) => {
  const keys = [testBytes(32, 90), testBytes(96, 91), testBytes(40, 92)];
  await h.ok('2.1', registerAes('2.1', keys[0]!));
  await h.ok('1.0', registerItem('1.0', OT.SecretData, secretData(keys[1]!, Enum.SecretDataType.Seed, F.Raw), [usageMask(0)]));
  await h.ok('1.4', registerItem('1.4', OT.OpaqueObject, opaqueObject(keys[2]!)));
  for (const f of ['kmipd.db', 'kmipd.db-wal']) {
    const path = `${h.dir}/${f}`;
    if (!existsSync(path)) continue;
    const bytes = readFileSync(path);
    for (const [i, key] of keys.entries()) t.equal(bytes.indexOf(Buffer.from(key)), -1, `${f} does not hold secret ${i}`);
  }
});
