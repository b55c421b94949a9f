// A live kmipd over real mTLS, spoken to in raw TTLV: what any client (or garbage) gets back, and what the logs hold
// (1.4 §11.1; 2.1 §11; DESIGN: errors, audit).
import t from 'tap';
import { Enum } from '../../src/kmip/enum.js';
import { Tag } from '../../src/kmip/tag.js';
import { ttlv } from '../../src/ttlv/ttlv-item.js';
import { child, queryItem, readResponse, reasonName, requestBytes, usernamePasswordAuthentication } from '../helpers/kmip-messages.js';
import { startLiveServer } from '../helpers/live-server.js';
import { rawClient } from '../helpers/raw-client.js';

const server = await startLiveServer();
t.teardown(() => server.close());
const QF = Enum.QueryFunction;

t.test('malformed requests get a KMIP answer and the connection stays usable', async (t) => {
  const c = await rawClient(server.port, server.certs);
  t.teardown(() => c.close());
  // Wrong Batch Count.
  c.send(requestBytes({ version: '1.4', batchCount: 3, items: [queryItem([QF.QueryOperations])] }));
  let r = readResponse(await c.next());
  t.equal(reasonName(r.items[0]?.resultReason), 'InvalidMessage', 'wrong batch count: Invalid Message');
  t.equal(r.version, '1.4', 'answered in the request version');
  // Unknown operation: that item only.
  c.send(requestBytes({ version: '2.1', batchErrorContinuationOption: Enum.BatchErrorContinuationOption.Continue, items: [{ operation: 0xfe, payload: [] }, queryItem([QF.QueryObjects])] }));
  r = readResponse(await c.next());
  t.equal(reasonName(r.items[0]?.resultReason), 'OperationNotSupported');
  t.equal(r.items[1]?.resultStatus, Enum.ResultStatus.Success);
  // An undecodable body inside intact framing: a Boolean of 2 where Batch Count should be.
  const bad = requestBytes({ version: '1.2', items: [queryItem([QF.QueryOperations])] });
  const boolAt = bad.indexOf(Buffer.from([0x42, 0x00, 0x0d]));
  bad[boolAt + 3] = 0x06; // type Boolean
  bad.writeUInt32BE(2, boolAt + 12);
  c.send(bad);
  r = readResponse(await c.next());
  t.equal(reasonName(r.items[0]?.resultReason), 'InvalidMessage', 'undecodable body: Invalid Message');
  t.equal(r.version, '1.2', 'its version read from the raw header');
  // Still usable.
  c.send(requestBytes({ version: '1.0', items: [queryItem([QF.QueryOperations])] }));
  r = readResponse(await c.next());
  t.equal(r.items[0]?.resultStatus, Enum.ResultStatus.Success, 'the connection still works');
});

t.test('an oversize header is answered Invalid Message, then the connection is closed', async (t) => {
  const c = await rawClient(server.port, server.certs);
  const header = Buffer.from('42007801ffffff00', 'hex');
  c.send(header);
  const r = readResponse(await c.next());
  t.equal(reasonName(r.items[0]?.resultReason), 'InvalidMessage');
  await c.closed;
  t.pass('closed');
});

t.test('200 pipelined requests are answered in order', async (t) => {
  const c = await rawClient(server.port, server.certs);
  t.teardown(() => c.close());
  const all = [];
  for (let i = 0; i < 200; i++) all.push(requestBytes({ version: '1.4', items: [{ ...queryItem([QF.QueryServerInformation]), uniqueBatchItemID: `n${i}` }] }));
  c.send(Buffer.concat(all));
  for (let i = 0; i < 200; i++) {
    const r = readResponse(await c.next());
    if (Buffer.from(r.items[0]!.uniqueBatchItemID!).toString() !== `n${i}`) {
      t.fail(`response ${i} out of order`);
      return;
    }
  }
  t.pass('all 200 in order');
});

t.test('Message Extensions: non-critical ignored, critical refused', async (t) => {
  const c = await rawClient(server.port, server.certs);
  t.teardown(() => c.close());
  const ext = (critical: boolean) => ({ vendorIdentification: 'acme', criticalityIndicator: critical, vendorExtension: [ttlv.textString(0x540001, 'x')] });
  c.send(requestBytes({ version: '1.4', batchErrorContinuationOption: Enum.BatchErrorContinuationOption.Continue, items: [
    { ...queryItem([QF.QueryOperations]), messageExtensions: [ext(false)] },
    { ...queryItem([QF.QueryOperations]), messageExtensions: [ext(true)] },
  ] }));
  const r = readResponse(await c.next());
  t.equal(r.items[0]?.resultStatus, Enum.ResultStatus.Success, 'non-critical: ignored');
  t.equal(reasonName(r.items[1]?.resultReason), 'FeatureNotSupported', 'critical: Feature Not Supported');
});

t.test('audit records and no secrets in the log', async (t) => {
  const c = await rawClient(server.port, server.certs);
  t.teardown(() => c.close());
  const password = 'hunter2-very-secret';
  c.send(requestBytes({ version: '1.2', authentication: usernamePasswordAuthentication('fortigate', password), items: [queryItem([QF.QueryOperations])] }));
  readResponse(await c.next());
  // Create and Get a key, then look for its bytes in the log.
  c.send(requestBytes({ version: '2.1', items: [{ operation: Enum.Operation.Create, payload: [
    ttlv.enumeration(Tag.ObjectType, Enum.ObjectType.SymmetricKey),
    ttlv.structure(Tag.Attributes, [ttlv.enumeration(Tag.CryptographicAlgorithm, Enum.CryptographicAlgorithm.AES), ttlv.integer(Tag.CryptographicLength, 256)]),
  ] }, { operation: Enum.Operation.Get, payload: [] }] }));
  const r = readResponse(await c.next());
  const key = r.items[1]!.payload!;
  const bytes = findByteString(key, Tag.KeyMaterial)!;
  t.equal(bytes.length, 32);
  await new Promise((res) => setTimeout(res, 50));
  const log = server.logText();
  t.notOk(log.includes(password), 'the password is not in the log');
  t.notOk(log.includes(Buffer.from(bytes).toString('hex')), 'the key (hex) is not in the log');
  t.notOk(log.includes(Buffer.from(bytes).toString('base64')), 'the key (base64) is not in the log');
  const records = server.logRecords().filter((l) => l.audit === 'batch-item');
  const create = records.find((l) => l.operation === 'Create');
  t.ok(create, 'an audit record per batch item');
  t.match(create, { identity: 'alice', version: '2.1', status: 'Success' });
  t.ok(Array.isArray(create?.uniqueIdentifiers) && (create?.uniqueIdentifiers as string[]).length === 1, 'with the object UID');
  t.ok(server.logRecords().some((l) => l.audit === 'connection-opened' && l.identity === 'alice'), 'connections audited');
});

function findByteString(item: ReturnType<typeof ttlv.structure>, tag: number): Uint8Array | undefined {
  if (item.tag === tag && item.value instanceof Uint8Array) return item.value;
  if (Array.isArray(item.value)) {
    for (const c of item.value) {
      const f = findByteString(c, tag);
      if (f) return f;
    }
  }
  return undefined;
}

t.test('one batch over TLS: Create → Activate → Get chained by the ID Placeholder; Undo leaves nothing behind', async (t) => {
  const c = await rawClient(server.port, server.certs);
  t.teardown(() => c.close());
  const create = {
    operation: Enum.Operation.Create,
    payload: [
      ttlv.enumeration(Tag.ObjectType, Enum.ObjectType.SymmetricKey),
      ttlv.structure(Tag.TemplateAttribute, [
        ttlv.structure(Tag.Attribute, [ttlv.textString(Tag.AttributeName, 'Cryptographic Algorithm'), ttlv.enumeration(Tag.AttributeValue, Enum.CryptographicAlgorithm.AES)]),
        ttlv.structure(Tag.Attribute, [ttlv.textString(Tag.AttributeName, 'Cryptographic Length'), ttlv.integer(Tag.AttributeValue, 128)]),
        ttlv.structure(Tag.Attribute, [ttlv.textString(Tag.AttributeName, 'Name'), ttlv.structure(Tag.AttributeValue, [
          ttlv.textString(Tag.NameValue, 'undo-me'), ttlv.enumeration(Tag.NameType, Enum.NameType.UninterpretedTextString)])]),
      ]),
    ],
  };
  c.send(requestBytes({ version: '1.2', items: [create, { operation: Enum.Operation.Activate, payload: [] }, { operation: Enum.Operation.Get, payload: [] }] }));
  let r = readResponse(await c.next());
  t.same(r.items.map((i) => i.resultStatus), [0, 0, 0], 'all three succeed');
  const uid = child(r.items[0]!.payload!, Tag.UniqueIdentifier)!.value;
  t.equal(child(r.items[2]!.payload!, Tag.UniqueIdentifier)?.value, uid, 'Get used the placeholder');

  // Undo: a Create that succeeds, then a Get of a missing object: the Create is undone and does not persist.
  const createUndo = { ...create, payload: [create.payload[0]!, ttlv.structure(Tag.TemplateAttribute, (create.payload[1] as { value: ReturnType<typeof ttlv.structure>[] }).value.slice(0, 2))] };
  c.send(requestBytes({ version: '1.2', batchErrorContinuationOption: Enum.BatchErrorContinuationOption.Undo, items: [createUndo, { operation: Enum.Operation.Get, payload: [ttlv.textString(Tag.UniqueIdentifier, 'no-such')] }] }));
  r = readResponse(await c.next());
  t.same(r.items.map((i) => i.resultStatus), [Enum.ResultStatus.OperationUndone, Enum.ResultStatus.OperationFailed]);
  const undone = child(r.items[0]!.payload!, Tag.UniqueIdentifier)!.value as string;
  c.send(requestBytes({ version: '1.2', items: [{ operation: Enum.Operation.Get, payload: [ttlv.textString(Tag.UniqueIdentifier, undone)] }] }));
  r = readResponse(await c.next());
  t.equal(reasonName(r.items[0]?.resultReason), 'ItemNotFound', 'the undone Create left no object');
});
