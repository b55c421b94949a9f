// Log and Interop (2.1 §6.1.29, §6.1.26): the message reaches the server log; Interop answers only in test mode and
// is never listed by Query.
import t from 'tap';
import { Enum } from '../../src/kmip/enum.js';
import { Tag } from '../../src/kmip/tag.js';
import { MemoryAudit } from '../../src/protocol/audit.js';
import { DEFAULT_PROTOCOL_OPTIONS, ProtocolHandler } from '../../src/protocol/handle-request.js';
import { ttlv } from '../../src/ttlv/ttlv-item.js';
import { children, exchange, queryItem, reasonName } from '../helpers/kmip-messages.js';

const Op = Enum.Operation;
const interopItem = (fn: number) => ({
  operation: Op.Interop,
  payload: [ttlv.enumeration(Tag.InteropFunction, fn), ttlv.textString(Tag.InteropIdentifier, 'BL-M-1-21')],
});

t.test('Log writes the message to the server log', async (t) => {
  const audit = new MemoryAudit();
  const h = new ProtocolHandler(DEFAULT_PROTOCOL_OPTIONS, audit);
  const r = await exchange(h, { version: '2.1', items: [{ operation: Op.Log, payload: [ttlv.textString(Tag.LogMessage, 'Registered a symmetric key.')] }] });
  t.equal(r.items[0]?.resultStatus, Enum.ResultStatus.Success);
  t.same(audit.notes, [{ connectionId: 1, identity: 'alice', event: 'client-log', fields: { message: 'Registered a symmetric key.' } }]);
  const missing = await exchange(h, { version: '2.1', items: [{ operation: Op.Log, payload: [] }] });
  t.equal(reasonName(missing.items[0]?.resultReason), 'InvalidMessage', 'no Log Message: Invalid Message');
  const old = await exchange(h, { version: '1.4', items: [{ operation: Op.Log, payload: [] }] });
  t.equal(reasonName(old.items[0]?.resultReason), 'OperationNotSupported', 'Log is 2.0+');
});

t.test('Interop: only in test mode, never listed', async (t) => {
  const prod = new ProtocolHandler(DEFAULT_PROTOCOL_OPTIONS, new MemoryAudit());
  const refused = await exchange(prod, { version: '2.1', items: [interopItem(Enum.InteropFunction.Begin)] });
  t.equal(reasonName(refused.items[0]?.resultReason), 'OperationNotSupported', 'production: Operation Not Supported');
  const audit = new MemoryAudit();
  const test = new ProtocolHandler({ ...DEFAULT_PROTOCOL_OPTIONS, testMode: true }, audit);
  for (const fn of [Enum.InteropFunction.Begin, Enum.InteropFunction.End, Enum.InteropFunction.Reset]) {
    const r = await exchange(test, { version: '2.1', items: [interopItem(fn)] });
    t.equal(r.items[0]?.resultStatus, Enum.ResultStatus.Success);
  }
  t.equal(audit.notes.length, 3, 'each marked in the log');
  const bad = await exchange(test, { version: '2.1', items: [interopItem(0x77)] });
  t.equal(reasonName(bad.items[0]?.resultReason), 'InvalidField', 'unknown function: Invalid Field');
  const q = await exchange(test, { version: '2.1', items: [queryItem([Enum.QueryFunction.QueryOperations])] });
  const ops = children(q.items[0]!.payload!, Tag.Operation).map((o) => o.value);
  t.notOk(ops.includes(Op.Interop), 'Query never lists Interop');
  t.ok(ops.includes(Op.Log), 'Query lists Log in 2.1');
});
