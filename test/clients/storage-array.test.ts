// A storage array's KMIP 1.0 client replayed against a live kmipd over mTLS: ONE request of four items — Query, Locate
// by two custom attributes, Get in Opaque format, Get Attributes — the last two reaching the located object through
// the ID Placeholder (PyKMIP #459; 1.0 §4.8, §4.10, §4.11, §4.24; ID Placeholder §4). The array registered its
// Secret Data (Opaque) with those custom attributes earlier.
import { randomBytes } from 'node:crypto';
import t from 'tap';
import { Enum } from '../../src/kmip/enum.js';
import { Tag } from '../../src/kmip/tag.js';
import { ItemType } from '../../src/ttlv/item-type.js';
import { ttlv } from '../../src/ttlv/ttlv-item.js';
import {
  attribute1x,
  attributes1x,
  checkAnswer,
  getAttributes1x,
  keyBlockOf,
  keyMaterialOf,
  openSession,
  secretData,
  success,
  textOf,
  valueOf,
} from '../helpers/client-sequences.js';
import { child, children, queryItem } from '../helpers/kmip-messages.js';
import { startLiveServer } from '../helpers/live-server.js';
import { attributesFor, uidOf } from '../helpers/object-harness.js';

const server = await startLiveServer();
t.teardown(() => server.close());
const Op = Enum.Operation;
const QF = Enum.QueryFunction;
const V = '1.0';

const SYSTEM = '351538';
const text = (v: string) => ttlv.textString(0, v);

t.test('storage array 1.0: Query → Locate (x-ResourceID, x-SystemID) → Get Opaque → Get Attributes in one batch', async (t) => {
  const s = await openSession(server, V);
  t.teardown(() => s.close());

  // Earlier: the array registered one secret per resource of this system; the batch must find the right one.
  const registered = new Map<string, { uid: string; material: Buffer }>();
  for (const resource of [`san01-pod1 ${SYSTEM}/351539`, `san01-pod1 ${SYSTEM}/351540`]) {
    const material = randomBytes(32);
    const r = await s.request([
      {
        operation: Op.Register,
        payload: [
          ttlv.enumeration(Tag.ObjectType, Enum.ObjectType.SecretData),
          attributesFor(V, [
            { name: 'Cryptographic Usage Mask', value: ttlv.integer(0, 0x0c) },
            { name: 'x-ResourceID', value: text(resource) },
            { name: 'x-SystemID', value: text(SYSTEM) },
          ]),
          secretData(Enum.SecretDataType.Password, Enum.KeyFormatType.Opaque, material),
        ],
      },
    ]);
    checkAnswer(t, r, V, [Op.Register], `Register ${resource}`);
    registered.set(resource, { uid: uidOf(success(t, r.items[0], `Register ${resource}`)), material });
  }
  const [resource, wanted] = [...registered][0]!;

  const names = ['Unique Identifier', 'Object Type', 'Initial Date', 'State', 'x-ResourceID', 'x-SystemID'];
  const r = await s.request([
    queryItem([QF.QueryOperations, QF.QueryObjects, QF.QueryServerInformation, QF.QueryApplicationNamespaces]),
    { operation: Op.Locate, payload: [attribute1x('x-ResourceID', text(resource)), attribute1x('x-SystemID', text(SYSTEM))] },
    { operation: Op.Get, payload: [ttlv.enumeration(Tag.KeyFormatType, Enum.KeyFormatType.Opaque)] },
    getAttributes1x(undefined, names),
  ]);
  checkAnswer(t, r, V, [Op.Query, Op.Locate, Op.Get, Op.GetAttributes], 'the batch');

  const query = success(t, r.items[0], 'Query');
  const ops = children(query, Tag.Operation).map(valueOf);
  for (const op of [Op.Query, Op.Locate, Op.Get, Op.GetAttributes, Op.Register]) t.ok(ops.includes(op), `Query lists 0x${op.toString(16)}`);
  t.ok(children(query, Tag.ObjectType).map(valueOf).includes(Enum.ObjectType.SecretData), 'Query lists Secret Data');
  t.ok((textOf(child(query, Tag.VendorIdentification)) ?? '') !== '', 'Query: a Vendor Identification');

  const located = children(success(t, r.items[1], 'Locate'), Tag.UniqueIdentifier).map(textOf);
  t.same(located, [wanted.uid], 'Locate: the one secret with both attributes');

  const got = success(t, r.items[2], 'Get (ID Placeholder)');
  t.equal(textOf(child(got, Tag.UniqueIdentifier)), wanted.uid, 'Get: the located object');
  t.equal(valueOf(child(got, Tag.ObjectType)), Enum.ObjectType.SecretData, 'Get: Secret Data');
  const block = keyBlockOf(got, Tag.SecretData);
  t.equal(valueOf(child(block!, Tag.KeyFormatType)), Enum.KeyFormatType.Opaque, 'Get: in Opaque format');
  t.ok(keyMaterialOf(block)?.equals(wanted.material), 'Get: the registered bytes');

  const attrsPayload = success(t, r.items[3], 'Get Attributes (ID Placeholder)');
  t.equal(textOf(child(attrsPayload, Tag.UniqueIdentifier)), wanted.uid, 'Get Attributes: the located object');
  const attrs = attributes1x(attrsPayload);
  t.same([...attrs.keys()].sort(), [...names].sort(), 'Get Attributes: each asked attribute');
  t.equal(textOf(attrs.get('Unique Identifier')?.[0]), wanted.uid, 'Unique Identifier');
  t.equal(valueOf(attrs.get('Object Type')?.[0]), Enum.ObjectType.SecretData, 'Object Type');
  t.equal(attrs.get('Initial Date')?.[0]?.type, ItemType.DateTime, 'Initial Date is a Date-Time');
  t.equal(valueOf(attrs.get('State')?.[0]), Enum.State.PreActive, 'State Pre-Active');
  t.same(attrs.get('x-ResourceID')?.map(textOf), [resource], 'x-ResourceID');
  t.same(attrs.get('x-SystemID')?.map(textOf), [SYSTEM], 'x-SystemID');
});

t.test('storage array 1.0: the same batch when two objects match — the placeholder is emptied (1.0 §4.8)', async (t) => {
  const s = await openSession(server, V);
  t.teardown(() => s.close());
  const r = await s.request([
    { operation: Op.Locate, payload: [attribute1x('x-SystemID', text(SYSTEM))] },
    { operation: Op.Get, payload: [ttlv.enumeration(Tag.KeyFormatType, Enum.KeyFormatType.Opaque)] },
  ]);
  t.equal(r.version, V, 'answered in 1.0');
  t.equal(children(success(t, r.items[0], 'Locate'), Tag.UniqueIdentifier).length, 2, 'Locate: both objects');
  t.equal(r.items[1]?.resultStatus, Enum.ResultStatus.OperationFailed, 'Get without a placeholder fails');
});
