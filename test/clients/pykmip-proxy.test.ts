// PyKMIP 0.10's lower-level client, KMIPProxy (kmip.services.kmip_client), against a live kmipd over mTLS in each
// version it speaks (1.0–2.0): Discover Versions, Query, Create, Get, Locate, Destroy, and a Get after the Destroy.
// KMIPProxy hands back each answer's result status, reason and payload as decoded in the client's own version, so
// anything kmipd sends that the version lacks fails the decode here. (ProxyKmipClient is covered in test/interop.)
import { join } from 'node:path';
import t from 'tap';
import { runPyKmip, startLiveServer } from '../helpers/live-server.js';

const server = await startLiveServer();
t.teardown(() => server.close());

const VERSIONS = ['1.0', '1.1', '1.2', '1.3', '1.4', '2.0'] as const;

const script = `
from kmip.services.kmip_client import KMIPProxy
from kmip.core.factories.attributes import AttributeFactory
from kmip.core import objects as cobjects
af = AttributeFactory()

def nm(x, enum=None):
    # PyKMIP hands back enums, primitives wrapping enums, or bare ints depending on the field.
    while hasattr(x, 'value') and not hasattr(x, 'name'):
        x = x.value
    if isinstance(x, int) and enum is not None and not hasattr(x, 'name'):
        x = enum(x)
    return getattr(x, 'name', x)

def status(r):
    return nm(r.result_status, enums.ResultStatus)

def reason(r):
    return None if r.result_reason is None else nm(r.result_reason, enums.ResultReason)

out = {}
for v in ${JSON.stringify(VERSIONS)}:
    e = {}
    p = KMIPProxy(host='127.0.0.1', port=${server.port},
                  certfile='${join(server.certs, 'alice.crt')}', keyfile='${join(server.certs, 'alice.key')}',
                  ca_certs='${join(server.certs, 'ca.crt')}', config_file='${join(server.dir, 'pykmip-empty.conf')}',
                  kmip_version=VERSIONS[v])
    p.open()
    try:
        r = p.discover_versions()
        e['discover'] = status(r)
        e['versions'] = ['%d.%d' % (x.major, x.minor) for x in (r.protocol_versions or [])]

        r = p.query(query_functions=[enums.QueryFunction.QUERY_OPERATIONS, enums.QueryFunction.QUERY_OBJECTS])
        e['query'] = status(r)
        e['operations'] = [nm(o, enums.Operation) for o in (r.operations or [])]
        e['object_types'] = [nm(o, enums.ObjectType) for o in (r.object_types or [])]

        name = 'proxy-' + v
        template = cobjects.TemplateAttribute(attributes=[
            af.create_attribute(enums.AttributeType.CRYPTOGRAPHIC_ALGORITHM, enums.CryptographicAlgorithm.AES),
            af.create_attribute(enums.AttributeType.CRYPTOGRAPHIC_LENGTH, 256),
            af.create_attribute(enums.AttributeType.CRYPTOGRAPHIC_USAGE_MASK,
                                [enums.CryptographicUsageMask.ENCRYPT, enums.CryptographicUsageMask.DECRYPT]),
            af.create_attribute(enums.AttributeType.NAME, name),
        ])
        r = p.create(enums.ObjectType.SYMMETRIC_KEY, template)
        e['create'] = status(r)
        uid = r.uuid if isinstance(r.uuid, str) else getattr(r.uuid, 'value', None)
        e['create_object_type'] = None if r.object_type is None else nm(r.object_type, enums.ObjectType)

        r = p.get(uid)
        e['get'] = status(r)
        e['get_uid_matches'] = (r.uuid if isinstance(r.uuid, str) else getattr(r.uuid, 'value', None)) == uid
        e['key_length'] = len(r.secret.key_block.key_value.key_material.value) if r.secret is not None else None

        r = p.locate(attributes=[af.create_attribute(enums.AttributeType.NAME, name)])
        e['locate'] = status(r)
        e['located'] = [u if isinstance(u, str) else u.value for u in (r.uuids or [])] == [uid]

        r = p.destroy(uid)
        e['destroy'] = status(r)

        r = p.get(uid)
        e['get_after_destroy'] = [status(r), reason(r)]
    except Exception as ex:
        import traceback
        e['error'] = type(ex).__name__ + ': ' + str(ex)[:300] + ' @ ' + traceback.format_exc().splitlines()[-3].strip()
    finally:
        p.close()
    out[v] = e
print(json.dumps(out))
`;

t.test('KMIPProxy in 1.0 … 2.0: discover, query, create, get, locate, destroy', async (t) => {
  const r = await runPyKmip(server, script, 60_000);
  t.equal(r.code, 0, `python exited 0 (stderr: ${r.stderr.slice(-2000)})`);
  if (r.code !== 0) return;
  const out = JSON.parse(r.stdout) as Record<string, Record<string, unknown>>;
  for (const v of VERSIONS) {
    const e = out[v]!;
    t.equal(e.error, undefined, `${v}: no client exception`);
    t.equal(e.discover, 'SUCCESS', `${v}: Discover Versions`);
    t.ok((e.versions as string[] | undefined)?.includes(v), `${v}: Discover Versions lists ${v}`);
    t.equal(e.query, 'SUCCESS', `${v}: Query`);
    for (const op of ['CREATE', 'GET', 'LOCATE', 'DESTROY', 'QUERY', 'DISCOVER_VERSIONS']) {
      // Discover Versions is a 1.1 operation: a 1.0 answer must not list it.
      if (v === '1.0' && op === 'DISCOVER_VERSIONS') continue;
      t.ok((e.operations as string[] | undefined)?.includes(op), `${v}: Query lists ${op}`);
    }
    if (v === '1.0') t.notOk((e.operations as string[] | undefined)?.includes('DISCOVER_VERSIONS'), '1.0: Query omits Discover Versions');
    t.ok((e.object_types as string[] | undefined)?.includes('SYMMETRIC_KEY'), `${v}: Query lists Symmetric Key`);
    t.equal(e.create, 'SUCCESS', `${v}: Create`);
    t.equal(e.create_object_type, 'SYMMETRIC_KEY', `${v}: Create answers Symmetric Key`);
    t.equal(e.get, 'SUCCESS', `${v}: Get`);
    t.equal(e.get_uid_matches, true, `${v}: Get answers the UID`);
    t.equal(e.key_length, 32, `${v}: Get returns 32 key bytes`);
    t.equal(e.locate, 'SUCCESS', `${v}: Locate`);
    t.equal(e.located, true, `${v}: Locate by Name finds the key alone`);
    t.equal(e.destroy, 'SUCCESS', `${v}: Destroy`);
    const expectedReason = v === '2.0' ? 'OBJECT_DESTROYED' : 'ITEM_NOT_FOUND';
    t.same(e.get_after_destroy, ['OPERATION_FAILED', expectedReason], `${v}: Get after Destroy fails with ${expectedReason}`);
  }
});
