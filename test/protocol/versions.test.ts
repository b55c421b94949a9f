// Protocol versions through the protocol layer: each request read and answered in its header's version, unknown
// majors, newer minors, fields a version lacks, repeated fields, response header fields (1.4 §6.1, §11.1; 2.1 §11).
import t, { type Test } from 'tap';
import { Enum } from '../../src/kmip/enum.js';
import { Tag } from '../../src/kmip/tag.js';
import { KMIP_VERSIONS, versionRank, type KmipVersion } from '../../src/kmip/versions.js';
import { MemoryAudit } from '../../src/protocol/audit.js';
import { DEFAULT_PROTOCOL_OPTIONS, ProtocolHandler } from '../../src/protocol/handle-request.js';
import { ttlv } from '../../src/ttlv/ttlv-item.js';
import {
  child,
  discoverVersionsItem,
  exchange,
  idText,
  queryItem,
  reasonName,
  statusName,
  undefinedIn,
  type RequestSpec,
  type ResponseView,
  type VersionText,
} from '../helpers/kmip-messages.js';

const QF = Enum.QueryFunction;
const Status = Enum.ResultStatus;
/** A tag in the KMIP range that no version defines (the 2.1 table ends at 0x420176). */
const UNKNOWN_TAG = 0x4201a0;

function send(request: RequestSpec | Uint8Array): Promise<ResponseView> {
  return exchange(new ProtocolHandler(DEFAULT_PROTOCOL_OPTIONS, new MemoryAudit()), request);
}

/** A whole-message rejection: one batch item without Operation, Operation Failed, the given reason. */
function assertMessageRejected(t: Test, r: ResponseView, reason: string, version: string): void {
  t.equal(r.version, version, 'response header version');
  t.equal(r.batchCount, 1, 'Batch Count 1');
  t.equal(r.items.length, 1, 'one batch item');
  const item = r.items[0]!;
  t.equal(item.operation, undefined, 'no Operation');
  t.equal(statusName(item.resultStatus), 'OperationFailed');
  t.equal(reasonName(item.resultReason), reason);
  t.type(item.resultMessage, 'string', 'a Result Message');
  t.equal(item.payload, undefined, 'no payload');
}


const nowSeconds = (): bigint => BigInt(Math.floor(Date.now() / 1000));

t.test('each version is answered in that version, with only the fields it defines', async (t) => {
  for (const v of KMIP_VERSIONS) {
    const atLeast14 = versionRank(v) >= versionRank('1.4');
    const before = nowSeconds();
    const r = await send({
      version: v,
      // Client Correlation Value exists from 1.4 on; a client that sends one is given a Server Correlation Value.
      ...(atLeast14 && { clientCorrelationValue: 'client-1' }),
      items: [queryItem([QF.QueryOperations, QF.QueryServerInformation], { uniqueBatchItemID: 'q' })],
    });
    t.equal(r.version, v, `${v}: response version`);
    t.equal(r.batchCount, 1, `${v}: Batch Count`);
    t.equal(statusName(r.items[0]?.resultStatus), 'Success', `${v}: Success`);
    t.ok(r.timeStamp !== undefined && r.timeStamp >= before - 1n && r.timeStamp <= nowSeconds() + 1n, `${v}: Time Stamp is now`);
    t.equal(r.serverCorrelationValue !== undefined, atLeast14, `${v}: Server Correlation Value only in 1.4+`);
    t.same(undefinedIn(r.tree, v), [], `${v}: nothing the version does not define`);
    // Header fields in the order of the Response Header table.
    const order = [Tag.ProtocolVersion, Tag.TimeStamp, ...(atLeast14 ? [Tag.ServerCorrelationValue] : []), Tag.BatchCount];
    t.same(r.headerTags, order, `${v}: header field order`);
  }
});

t.test('without a Client Correlation Value the header is Protocol Version, Time Stamp, Batch Count (PyKMIP 0.10 reads no more)', async (t) => {
  for (const v of KMIP_VERSIONS) {
    const r = await send({ version: v, items: [queryItem([QF.QueryOperations])] });
    t.same(r.headerTags, [Tag.ProtocolVersion, Tag.TimeStamp, Tag.BatchCount], v);
  }
});

t.test('Server Correlation Values differ from message to message', async (t) => {
  const h = new ProtocolHandler(DEFAULT_PROTOCOL_OPTIONS, new MemoryAudit());
  const seen = new Set<string>();
  for (let i = 0; i < 5; i++) {
    const r = await exchange(h, { version: '2.1', clientCorrelationValue: `c${i}`, items: [queryItem([QF.QueryOperations])] });
    t.type(r.serverCorrelationValue, 'string');
    seen.add(r.serverCorrelationValue!);
  }
  t.equal(seen.size, 5);
});

t.test('an unknown major version is Invalid Message under the request version', async (t) => {
  for (const v of ['3.0', '0.9', '4.2', '9.0'] as VersionText[]) {
    const r = await send({ version: v, items: [queryItem([QF.QueryOperations])] });
    assertMessageRejected(t, r, 'InvalidMessage', v);
    t.ok(r.timeStamp !== undefined, `${v}: Time Stamp`);
  }
  // Discover Versions, the operation a client uses to negotiate, gets the same answer.
  const r = await send({ version: '3.0', items: [discoverVersionsItem(['3.0', '2.1'])] });
  assertMessageRejected(t, r, 'InvalidMessage', '3.0');
});

t.test('a minor version older than any we know of a known major is not a newer minor', async (t) => {
  const r = await send({ version: '1.-1' as VersionText, items: [queryItem([QF.QueryOperations])] });
  assertMessageRejected(t, r, 'InvalidMessage', '1.-1');
});

t.test('a newer minor is processed as our highest of that major, unknown fields ignored', async (t) => {
  const cases: [VersionText, KmipVersion][] = [
    ['1.5', '1.4'],
    ['1.9', '1.4'],
    ['2.2', '2.1'],
    ['2.7', '2.1'],
  ];
  for (const [sent, answered] of cases) {
    const r = await send({
      version: sent,
      clientCorrelationValue: 'c-1',
      headerExtra: [ttlv.textString(UNKNOWN_TAG, 'a header field from the future')],
      items: [
        queryItem([QF.QueryOperations], {
          uniqueBatchItemID: 'i1',
          // Ephemeral is unknown to 1.4; the unknown tag to every version we speak.
          extra: [ttlv.boolean(Tag.Ephemeral, false), ttlv.integer(UNKNOWN_TAG, 7)],
        }),
      ],
      messageExtra: [ttlv.textString(UNKNOWN_TAG, 'a message-level field from the future')],
    });
    t.equal(r.version, answered, `${sent}: answered as ${answered}`);
    t.equal(r.batchCount, 1, `${sent}: Batch Count counts batch items only`);
    t.equal(statusName(r.items[0]?.resultStatus), 'Success', `${sent}: processed`);
    t.equal(idText(r.items[0]?.uniqueBatchItemID), 'i1');
    t.same(undefinedIn(r.tree, answered), [], `${sent}: answered in ${answered} fields only`);
  }
});

t.test(
  'a newer minor ignores unknown fields inside the request payload too (1.4 §11.1: "ignore unknown fields, process rest normally")',
  async (t) => {
    const r = await send({
      version: '2.2',
      items: [{ operation: Enum.Operation.Query, payload: [ttlv.enumeration(Tag.QueryFunction, QF.QueryOperations), ttlv.integer(UNKNOWN_TAG, 1)] }],
    });
    t.equal(r.version, '2.1');
    t.equal(statusName(r.items[0]?.resultStatus), 'Success', `got ${reasonName(r.items[0]?.resultReason)}: ${r.items[0]?.resultMessage}`);
  },
);

t.test(
  'a message-level error in a newer-minor message is answered as our highest of that major',
  async (t) => {
    const r = await send({ version: '1.5', batchCount: 2, items: [queryItem([QF.QueryOperations])] });
    assertMessageRejected(t, r, 'InvalidMessage', '1.4');
  },
);

t.test('same major and minor, a field the version does not define: Invalid Field', async (t) => {
  await t.test('Client Correlation Value in a 1.0–1.3 header rejects the message', async (t) => {
    for (const v of ['1.0', '1.1', '1.2', '1.3'] as const) {
      const r = await send({ version: v, clientCorrelationValue: 'c', items: [queryItem([QF.QueryOperations])] });
      assertMessageRejected(t, r, 'InvalidField', v);
      t.equal(r.serverCorrelationValue, undefined, `${v}: no Server Correlation Value`);
    }
    const ok = await send({ version: '1.4', clientCorrelationValue: 'c', items: [queryItem([QF.QueryOperations])] });
    t.equal(statusName(ok.items[0]?.resultStatus), 'Success', 'accepted in 1.4');
  });

  await t.test('an unknown tag in the header', async (t) => {
    const r = await send({ version: '1.4', headerExtra: [ttlv.integer(UNKNOWN_TAG, 1)], items: [queryItem([QF.QueryOperations])] });
    assertMessageRejected(t, r, 'InvalidField', '1.4');
  });

  await t.test('Ephemeral in a 1.4 batch item fails that item', async (t) => {
    const r = await send({
      version: '1.4',
      batchErrorContinuationOption: Enum.BatchErrorContinuationOption.Continue,
      items: [
        queryItem([QF.QueryOperations], { uniqueBatchItemID: 'bad', extra: [ttlv.boolean(Tag.Ephemeral, false)] }),
        queryItem([QF.QueryOperations], { uniqueBatchItemID: 'good' }),
      ],
    });
    t.equal(r.version, '1.4');
    t.equal(r.items.length, 2);
    const [bad, good] = r.items;
    t.equal(statusName(bad?.resultStatus), 'OperationFailed');
    t.equal(reasonName(bad?.resultReason), 'InvalidField');
    t.equal(bad?.operation, Enum.Operation.Query, 'Operation echoed');
    t.equal(idText(bad?.uniqueBatchItemID), 'bad', 'Unique Batch Item ID echoed');
    t.equal(statusName(good?.resultStatus), 'Success');
    const ok = await send({ version: '2.0', items: [{ ...queryItem([QF.QueryOperations]), ephemeral: false }] });
    t.equal(statusName(ok.items[0]?.resultStatus), 'Success', 'Ephemeral accepted in 2.0');
  });

  await t.test('a message-level item other than a Batch Item', async (t) => {
    const r = await send({ version: '2.1', items: [queryItem([QF.QueryOperations])], messageExtra: [ttlv.integer(UNKNOWN_TAG, 1)] });
    t.equal(r.version, '2.1');
    t.equal(r.items.length, 1);
    t.equal(statusName(r.items[0]?.resultStatus), 'OperationFailed');
    t.equal(r.items[0]?.operation, undefined);
  });
});

t.test('Asynchronous Indicator: a Boolean in 1.x', async (t) => {
  const r = await send({ version: '1.4', asynchronousIndicator: false, items: [queryItem([QF.QueryOperations])] });
  t.equal(statusName(r.items[0]?.resultStatus), 'Success');
});

t.test(
  'Asynchronous Indicator: an Enumeration in 2.x (2.0 §9.2, 2.1 §9.2 Table 401)',
  async (t) => {
    for (const v of ['2.0', '2.1'] as const) {
      const r = await send({ version: v, asynchronousIndicator: Enum.AsynchronousIndicator.Prohibited, items: [queryItem([QF.QueryOperations])] });
      t.equal(statusName(r.items[0]?.resultStatus), 'Success', `${v}: ${reasonName(r.items[0]?.resultReason)} ${r.items[0]?.resultMessage ?? ''}`);
    }
  },
);

t.test('a field repeated that may not repeat: Invalid Message', async (t) => {
  const q = queryItem([QF.QueryOperations], { uniqueBatchItemID: 'x' });
  await t.test('in the header: the message is rejected', async (t) => {
    for (const headerExtra of [
      [ttlv.integer(Tag.BatchCount, 1)],
      [ttlv.integer(Tag.MaximumResponseSize, 1000), ttlv.integer(Tag.MaximumResponseSize, 1000)],
      [ttlv.structure(Tag.ProtocolVersion, [ttlv.integer(Tag.ProtocolVersionMajor, 1), ttlv.integer(Tag.ProtocolVersionMinor, 4)])],
    ]) {
      const r = await send({ version: '1.4', headerExtra, items: [q] });
      assertMessageRejected(t, r, 'InvalidMessage', '1.4');
    }
  });
  await t.test('in a batch item: that item fails', async (t) => {
    for (const extra of [
      [ttlv.enumeration(Tag.Operation, Enum.Operation.Query)],
      [ttlv.byteString(Tag.UniqueBatchItemID, new Uint8Array([1]))],
      [ttlv.structure(Tag.RequestPayload, [])],
    ]) {
      const r = await send({ version: '2.1', items: [{ ...q, extra }] });
      t.equal(r.items.length, 1);
      t.equal(statusName(r.items[0]?.resultStatus), 'OperationFailed');
      t.equal(reasonName(r.items[0]?.resultReason), 'InvalidMessage');
    }
  });
  await t.test('in a payload: that item fails', async (t) => {
    const r = await send({
      version: '1.2',
      items: [{ operation: Enum.Operation.DiscoverVersions, payload: [ttlv.structure(Tag.ProtocolVersion, [ttlv.integer(Tag.ProtocolVersionMajor, 1), ttlv.integer(Tag.ProtocolVersionMajor, 2), ttlv.integer(Tag.ProtocolVersionMinor, 0)])] }],
    });
    t.equal(statusName(r.items[0]?.resultStatus), 'OperationFailed');
    t.equal(reasonName(r.items[0]?.resultReason), 'InvalidMessage');
  });
});

t.test('a wrong item type for a header field: Invalid Message', async (t) => {
  const r = await send({ version: '1.3', batchCount: null, headerExtra: [ttlv.boolean(Tag.BatchCount, true)], items: [queryItem([QF.QueryOperations])] });
  assertMessageRejected(t, r, 'InvalidMessage', '1.3');
});

t.test('a header without Batch Count: Invalid Message', async (t) => {
  const r = await send({ version: '2.0', batchCount: null, items: [queryItem([QF.QueryOperations])] });
  assertMessageRejected(t, r, 'InvalidMessage', '2.0');
});

t.test('a batch item without Operation or Request Payload fails', async (t) => {
  const r = await send({
    version: '1.4',
    batchErrorContinuationOption: Enum.BatchErrorContinuationOption.Continue,
    items: [{ payload: [] }, { operation: Enum.Operation.Query, payload: null }],
  });
  t.equal(r.items.length, 2);
  for (const item of r.items) {
    t.equal(item.resultStatus, Status.OperationFailed);
    t.equal(reasonName(item.resultReason), 'InvalidMessage');
  }
  t.equal(r.items[0]?.operation, undefined);
  t.equal(r.items[1]?.operation, Enum.Operation.Query);
  t.same(child(r.tree, Tag.ResponseHeader) !== undefined, true);
});
