// The batch loop: Batch Error Continuation Option, Unique Batch Item ID, result fields, Batch Count, message
// extensions, Maximum Response Size, Authentication (1.4 §6.3, §6.4, §6.13–6.16, §7; 2.1 §8, §11).
import t, { type Test } from 'tap';
import { Enum } from '../../src/kmip/enum.js';
import { Tag } from '../../src/kmip/tag.js';
import type { KmipVersion } from '../../src/kmip/versions.js';
import { MemoryAudit } from '../../src/protocol/audit.js';
import { DEFAULT_PROTOCOL_OPTIONS, ProtocolHandler, type ProtocolOptions } from '../../src/protocol/handle-request.js';
import type { ConnectionContext } from '../../src/protocol/kmip-handler.js';
import { ttlv, type TtlvItem } from '../../src/ttlv/ttlv-item.js';
import {
  child,
  exchange,
  idText,
  queryItem,
  reasonName,
  statusName,
  TEST_CONNECTION,
  undefinedIn,
  usernamePasswordAuthentication,
  type BatchItemSpec,
  type RequestSpec,
  type ResponseItemView,
  type ResponseView,
} from '../helpers/kmip-messages.js';


const QF = Enum.QueryFunction;
const Op = Enum.Operation;
const Continuation = Enum.BatchErrorContinuationOption;

function send(request: RequestSpec, options: Partial<ProtocolOptions> = {}): Promise<ResponseView> {
  return exchange(new ProtocolHandler({ ...DEFAULT_PROTOCOL_OPTIONS, ...options }, new MemoryAudit()), request);
}

const ok = (id: string): BatchItemSpec => queryItem([QF.QueryOperations], { uniqueBatchItemID: id });
/** Fails with Operation Not Supported: no such operation. */
const unknownOp = (id: string): BatchItemSpec => ({ operation: 0x000000ff, uniqueBatchItemID: id, payload: [] });
/** Fails with Operation Not Supported: a real operation kmipd does not implement (yet). */
// Certify is a real operation kmipd does not implement: Operation Not Supported.
const createOp = (id: string): BatchItemSpec => ({ operation: Op.Certify, uniqueBatchItemID: id, payload: [] });

function assertSuccess(t: Test, item: ResponseItemView | undefined, id: string): void {
  t.equal(statusName(item?.resultStatus), 'Success', `${id}: Success`);
  t.equal(idText(item?.uniqueBatchItemID), id, `${id}: Unique Batch Item ID echoed`);
  t.equal(item?.resultReason, undefined, `${id}: no Result Reason on success`);
  t.equal(item?.resultMessage, undefined, `${id}: no Result Message on success`);
  t.ok(item?.payload !== undefined, `${id}: a Response Payload`);
}

function assertFailed(t: Test, item: ResponseItemView | undefined, id: string, reason: string): void {
  t.equal(statusName(item?.resultStatus), 'OperationFailed', `${id}: Operation Failed`);
  t.equal(idText(item?.uniqueBatchItemID), id, `${id}: Unique Batch Item ID echoed`);
  t.equal(reasonName(item?.resultReason), reason, `${id}: ${reason}`);
  t.type(item?.resultMessage, 'string', `${id}: a Result Message`);
  t.equal(item?.payload, undefined, `${id}: no Response Payload on failure`);
}

const VERSIONS: readonly KmipVersion[] = ['1.0', '1.2', '1.4', '2.0', '2.1'];

t.test('Stop is the default: items up to and including the failed one', async (t) => {
  for (const v of VERSIONS) {
    for (const option of [undefined, Continuation.Stop]) {
      const r = await send({
        version: v,
        ...(option !== undefined && { batchErrorContinuationOption: option }),
        items: [ok('a'), unknownOp('b'), ok('c')],
      });
      t.equal(r.batchCount, 2, `${v}: Batch Count is the items returned`);
      t.equal(r.items.length, 2, `${v}: two items`);
      assertSuccess(t, r.items[0], 'a');
      assertFailed(t, r.items[1], 'b', 'OperationNotSupported');
      t.equal(r.items[1]?.operation, 0xff, 'the Operation is echoed');
    }
  }
});

t.test('Continue: every item answered', async (t) => {
  for (const v of VERSIONS) {
    const r = await send({
      version: v,
      batchErrorContinuationOption: Continuation.Continue,
      items: [unknownOp('a'), ok('b'), createOp('c'), ok('d')],
    });
    t.equal(r.batchCount, 4, v);
    t.same(
      r.items.map((i) => idText(i.uniqueBatchItemID)),
      ['a', 'b', 'c', 'd'],
      `${v}: in request order`,
    );
    assertFailed(t, r.items[0], 'a', 'OperationNotSupported');
    assertSuccess(t, r.items[1], 'b');
    assertFailed(t, r.items[2], 'c', 'OperationNotSupported');
    t.equal(r.items[2]?.operation, Op.Certify);
    assertSuccess(t, r.items[3], 'd');
  }
});

t.test('Undo: earlier items Operation Undone with their payloads, the failed one failed, later ones omitted', async (t) => {
  for (const v of VERSIONS) {
    const r = await send({
      version: v,
      batchErrorContinuationOption: Continuation.Undo,
      items: [ok('a'), ok('b'), createOp('c'), ok('d')],
    });
    t.equal(r.batchCount, 3, `${v}: Batch Count`);
    t.equal(r.items.length, 3, `${v}: three items`);
    for (const [i, id] of ['a', 'b'].entries()) {
      const item = r.items[i];
      t.equal(statusName(item?.resultStatus), 'OperationUndone', `${v} ${id}: Undone`);
      t.equal(idText(item?.uniqueBatchItemID), id);
      t.equal(item?.operation, Op.Query);
      t.ok(item?.payload !== undefined, `${v} ${id}: keeps its payload`);
    }
    assertFailed(t, r.items[2], 'c', 'OperationNotSupported');
    t.same(undefinedIn(r.tree, v), [], `${v}: nothing the version lacks`);
  }
});

t.test('a batch whose first item fails under Undo has nothing to undo', async (t) => {
  const r = await send({ version: '1.4', batchErrorContinuationOption: Continuation.Undo, items: [unknownOp('a'), ok('b')] });
  t.equal(r.items.length, 1);
  assertFailed(t, r.items[0], 'a', 'OperationNotSupported');
});

t.test('Unique Batch Item ID: echoed when sent, absent when not, binary kept exactly', async (t) => {
  const binary = new Uint8Array([0, 0xff, 0x10, 0x80, 0x7f]);
  const r = await send({
    version: '2.1',
    batchErrorContinuationOption: Continuation.Continue,
    items: [queryItem([QF.QueryOperations]), queryItem([QF.QueryOperations], { uniqueBatchItemID: binary }), unknownOp('x')],
  });
  t.equal(r.items[0]?.uniqueBatchItemID, undefined);
  t.same([...(r.items[1]?.uniqueBatchItemID ?? [])], [...binary]);
  t.equal(idText(r.items[2]?.uniqueBatchItemID), 'x');
  // Response Batch Item field order (1.4 Table 285 / 2.1 Table 399).
  t.same(r.items[1]?.tags, [Tag.Operation, Tag.UniqueBatchItemID, Tag.ResultStatus, Tag.ResponsePayload]);
  t.same(r.items[2]?.tags, [Tag.Operation, Tag.UniqueBatchItemID, Tag.ResultStatus, Tag.ResultReason, Tag.ResultMessage]);
});

t.test('Batch Count must equal the number of batch items', async (t) => {
  for (const [batchCount, n] of [
    [2, 1],
    [1, 2],
    [0, 1],
    [-1, 1],
  ] as const) {
    const items = Array.from({ length: n }, (_, i) => ok(`i${i}`));
    const r = await send({ version: '1.4', batchCount, items });
    t.equal(r.items.length, 1, `${batchCount} for ${n}: one item`);
    t.equal(r.items[0]?.operation, undefined, 'without Operation');
    t.equal(reasonName(r.items[0]?.resultReason), 'InvalidMessage', `${batchCount} for ${n}: Invalid Message`);
    t.equal(r.version, '1.4');
  }
});

t.test('zero batch items: Invalid Message', async (t) => {
  for (const v of ['1.0', '1.4', '2.1'] as const) {
    const r = await send({ version: v, items: [] });
    t.equal(r.version, v);
    t.equal(r.items.length, 1);
    t.equal(r.items[0]?.operation, undefined);
    t.equal(reasonName(r.items[0]?.resultReason), 'InvalidMessage', v);
  }
});

t.test('more than maxBatchItems: Invalid Message; exactly the limit is served', async (t) => {
  const items = (n: number): BatchItemSpec[] => Array.from({ length: n }, (_, i) => ok(`i${i}`));
  const atLimit = await send({ version: '2.1', items: items(3) }, { maxBatchItems: 3 });
  t.equal(atLimit.items.length, 3);
  t.ok(atLimit.items.every((i) => statusName(i.resultStatus) === 'Success'));
  const over = await send({ version: '2.1', items: items(4) }, { maxBatchItems: 3 });
  t.equal(over.items.length, 1);
  t.equal(over.items[0]?.operation, undefined);
  t.equal(reasonName(over.items[0]?.resultReason), 'InvalidMessage');
  // The default bound.
  const dflt = await send({ version: '1.4', items: items(DEFAULT_PROTOCOL_OPTIONS.maxBatchItems + 1) });
  t.equal(reasonName(dflt.items[0]?.resultReason), 'InvalidMessage');
});

t.test('Message Extensions', async (t) => {
  const ext = (critical: boolean) => ({
    vendorIdentification: 'acme',
    criticalityIndicator: critical,
    vendorExtension: [ttlv.textString(0x540001, 'vendor data'), ttlv.integer(0x540002, 5)],
  });
  for (const v of ['1.0', '1.4', '2.1'] as const) {
    const r = await send({
      version: v,
      batchErrorContinuationOption: Continuation.Continue,
      items: [
        queryItem([QF.QueryOperations], { uniqueBatchItemID: 'plain', messageExtensions: [ext(false)] }),
        queryItem([QF.QueryOperations], { uniqueBatchItemID: 'critical', messageExtensions: [ext(false), ext(true)] }),
        ok('after'),
      ],
    });
    t.equal(r.items.length, 3, v);
    assertSuccess(t, r.items[0], 'plain');
    assertFailed(t, r.items[1], 'critical', 'FeatureNotSupported');
    t.equal(r.items[1]?.operation, Op.Query);
    assertSuccess(t, r.items[2], 'after');
    t.equal(child(r.items[0]!.tree, Tag.MessageExtension), undefined, 'no extension echoed');
  }
});

t.test('Maximum Response Size', async (t) => {
  const query = queryItem([QF.QueryOperations, QF.QueryObjects], { uniqueBatchItemID: 'q' });
  for (const v of ['1.0', '1.4', '2.1'] as const) {
    const small = await send({ version: v, maximumResponseSize: 16, items: [query] });
    t.equal(small.items.length, 1);
    assertFailed(t, small.items[0], 'q', 'ResponseTooLarge');
    t.equal(small.items[0]?.operation, Op.Query);
    const large = await send({ version: v, maximumResponseSize: 100_000, items: [query] });
    assertSuccess(t, large.items[0], 'q');
  }
  // Every item of a batch that would be too large is told so.
  const two = await send({ version: '2.1', maximumResponseSize: 16, items: [ok('a'), ok('b')] });
  t.same(
    two.items.map((i) => reasonName(i.resultReason)),
    ['ResponseTooLarge', 'ResponseTooLarge'],
  );
});

t.test('Authentication', async (t) => {
  const auth = usernamePasswordAuthentication('alice', 's3cret');
  await t.test('a checkAuthentication that refuses: Authentication Not Successful', async (t) => {
    const seen: [TtlvItem, ConnectionContext][] = [];
    const options = {
      checkAuthentication: (a: TtlvItem, c: ConnectionContext) => {
        seen.push([a, c]);
        return false;
      },
    };
    for (const v of ['1.0', '1.4', '2.1'] as const) {
      const r = await send({ version: v, authentication: auth, items: [ok('a')] }, options);
      t.equal(r.version, v);
      t.equal(r.items.length, 1);
      t.equal(statusName(r.items[0]?.resultStatus), 'OperationFailed');
      t.equal(reasonName(r.items[0]?.resultReason), 'AuthenticationNotSuccessful', v);
      t.equal(r.items[0]?.payload, undefined);
    }
    t.equal(seen.length, 3, 'asked once per message');
    t.same(seen[0]?.[0], auth, 'given the Authentication structure');
    t.equal(seen[0]?.[1], TEST_CONNECTION, 'given the connection');
  });
  await t.test('a checkAuthentication that accepts', async (t) => {
    const r = await send({ version: '1.4', authentication: auth, items: [ok('a')] }, { checkAuthentication: () => true });
    assertSuccess(t, r.items[0], 'a');
  });
  await t.test(
    'a checkAuthentication option and a header without Authentication: Authentication Not Successful',
    async (t) => {
      const r = await send({ version: '1.4', items: [ok('a')] }, { checkAuthentication: () => false });
      t.equal(r.items.length, 1);
      t.equal(reasonName(r.items[0]?.resultReason), 'AuthenticationNotSuccessful');
    },
  );
  await t.test('no checkAuthentication option: accepted', async (t) => {
    const r = await send({ version: '1.2', authentication: auth, items: [ok('a')] });
    assertSuccess(t, r.items[0], 'a');
  });
});
