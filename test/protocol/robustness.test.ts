// Garbage in, a decodable Invalid Message out, never a throw; unexpected faults inside operations become General
// Failure without internal detail; one audit record per batch item (1.4 §11.1; 2.1 §11; DESIGN: Errors, audit).
import t, { type Test } from 'tap';
import { Enum } from '../../src/kmip/enum.js';
import { Tag } from '../../src/kmip/tag.js';
import { MemoryAudit } from '../../src/protocol/audit.js';
import { OPERATIONS, type OperationDef } from '../../src/protocol/dispatch.js';
import type { KmipHandler } from '../../src/protocol/kmip-handler.js';
import { DEFAULT_PROTOCOL_OPTIONS, ProtocolHandler, type ProtocolOptions } from '../../src/protocol/handle-request.js';
import { encodeTtlv } from '../../src/ttlv/encode.js';
import { TtlvError } from '../../src/ttlv/ttlv-error.js';
import { ttlv } from '../../src/ttlv/ttlv-item.js';
import {
  exchange,
  idText,
  protocolVersionItem,
  queryItem,
  readResponse,
  reasonName,
  requestBytes,
  requestHeaderTree,
  statusName,
  TEST_CONNECTION,
  usernamePasswordAuthentication,
  type RequestSpec,
  type ResponseView,
} from '../helpers/kmip-messages.js';


const QF = Enum.QueryFunction;
const Op = Enum.Operation;
const Continuation = Enum.BatchErrorContinuationOption;

function harness(options: Partial<ProtocolOptions> = {}, operations?: readonly OperationDef[]) {
  const audit = new MemoryAudit();
  const handler = new ProtocolHandler({ ...DEFAULT_PROTOCOL_OPTIONS, ...options }, audit, operations);
  return { audit, handler, send: (r: RequestSpec | Uint8Array) => exchange(handler, r) };
}

/** A deterministic byte source (xorshift32), so that a failure can be replayed. */
function randomBytesFrom(seed: number, length: number): Buffer {
  let x = seed >>> 0 || 1;
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

/** Response bytes must decode as a message-level Invalid Message in `version`. */
function assertInvalidMessage(t: Test, r: ResponseView, version: string, what: string): void {
  t.equal(r.version, version, `${what}: response version ${version}`);
  t.equal(r.batchCount, 1, `${what}: Batch Count 1`);
  t.equal(r.items.length, 1, `${what}: one item`);
  t.equal(r.items[0]?.operation, undefined, `${what}: no Operation`);
  t.equal(statusName(r.items[0]?.resultStatus), 'OperationFailed', `${what}: Operation Failed`);
  t.equal(reasonName(r.items[0]?.resultReason), 'InvalidMessage', `${what}: Invalid Message`);
  t.ok(r.timeStamp !== undefined, `${what}: a Time Stamp`);
}

/** Run `handle` on raw bytes; the promise must resolve to a decodable Response Message. */
async function answer(t: Test, handler: ProtocolHandler, bytes: Buffer, what: string): Promise<ResponseView | undefined> {
  try {
    return readResponse(await handler.handle(bytes, TEST_CONNECTION));
  } catch (e) {
    t.fail(`${what}: ${(e as Error).message}`);
    return undefined;
  }
}

const valid14 = requestBytes({ version: '1.4', items: [queryItem([QF.QueryOperations], { uniqueBatchItemID: 'q' })] });

t.test('random bytes: Invalid Message under a 1.0 header', async (t) => {
  const { handler } = harness();
  for (let seed = 1; seed <= 60; seed++) {
    const bytes = randomBytesFrom(seed, (seed * 37) % 300);
    const r = await answer(t, handler, bytes, `seed ${seed}`);
    if (r !== undefined) assertInvalidMessage(t, r, '1.0', `seed ${seed}`);
  }
  const empty = await answer(t, handler, Buffer.alloc(0), 'empty');
  if (empty) assertInvalidMessage(t, empty, '1.0', 'empty');
});

t.test('a valid header followed by garbage: Invalid Message in the header’s version', async (t) => {
  const { handler } = harness();
  for (const v of ['1.2', '2.1', '3.0'] as const) {
    const head = requestBytes({ version: v, items: [queryItem([QF.QueryOperations])] }).subarray(0, 56);
    for (let seed = 1; seed <= 10; seed++) {
      const r = await answer(t, handler, Buffer.concat([head, randomBytesFrom(seed, 40 + seed)]), `${v} seed ${seed}`);
      if (r !== undefined) assertInvalidMessage(t, r, v, `${v} seed ${seed}`);
    }
  }
});

t.test('every truncation of a valid message: Invalid Message, in its version once the version is readable', async (t) => {
  const { handler } = harness();
  for (let n = 0; n < valid14.length; n++) {
    const r = await answer(t, handler, valid14.subarray(0, n), `first ${n} bytes`);
    if (r !== undefined) assertInvalidMessage(t, r, n >= 56 ? '1.4' : '1.0', `first ${n} bytes`);
  }
});

t.test('every single-byte corruption of a valid message: a decodable response', async (t) => {
  const { handler } = harness();
  let failures = 0;
  for (let i = 0; i < valid14.length; i++) {
    for (const mask of [0xff, 0x01, 0x80]) {
      const bytes = Buffer.from(valid14);
      bytes[i]! ^= mask;
      const r = await answer(t, handler, bytes, `byte ${i} ^ 0x${mask.toString(16)}`);
      if (r === undefined) failures++;
      else if (r.items.length === 0) t.fail(`byte ${i}: no batch item`);
    }
  }
  t.equal(failures, 0, 'every corruption answered');
});

t.test('a root other than a Request Message', async (t) => {
  const { handler, send } = harness();
  // A Response Message with a perfectly good header.
  const response = ttlv.structure(Tag.ResponseMessage, [
    ttlv.structure(Tag.ResponseHeader, [protocolVersionItem('1.2'), ttlv.dateTime(Tag.TimeStamp, 0n), ttlv.integer(Tag.BatchCount, 0)]),
  ]);
  assertInvalidMessage(t, await send(encodeTtlv(response)), '1.2', 'a Response Message');
  // Primitive roots.
  for (const root of [ttlv.integer(Tag.RequestMessage, 1), ttlv.textString(Tag.RequestMessage, 'hello'), ttlv.integer(Tag.BatchCount, 1)]) {
    const r = await answer(t, handler, encodeTtlv(root), `root type ${root.type}`);
    if (r) assertInvalidMessage(t, r, '1.0', `root type ${root.type}`);
  }
  // An empty Request Message, and one whose first child is not the header.
  assertInvalidMessage(t, await send(encodeTtlv(ttlv.structure(Tag.RequestMessage, []))), '1.0', 'empty Request Message');
  const noHeader = ttlv.structure(Tag.RequestMessage, [ttlv.structure(Tag.BatchItem, [ttlv.enumeration(Tag.Operation, Op.Query)])]);
  assertInvalidMessage(t, await send(encodeTtlv(noHeader)), '1.0', 'batch item first');
  // A Protocol Version whose Major is not an Integer: no version can be read.
  const badMajor = ttlv.structure(Tag.RequestMessage, [
    ttlv.structure(Tag.RequestHeader, [
      ttlv.structure(Tag.ProtocolVersion, [ttlv.enumeration(Tag.ProtocolVersionMajor, 1), ttlv.integer(Tag.ProtocolVersionMinor, 4)]),
      ttlv.integer(Tag.BatchCount, 1),
    ]),
    ttlv.structure(Tag.BatchItem, [ttlv.enumeration(Tag.Operation, Op.Query), ttlv.structure(Tag.RequestPayload, [])]),
  ]);
  assertInvalidMessage(t, await send(encodeTtlv(badMajor)), '1.0', 'Major as an Enumeration');
});

t.test('a Boolean where Batch Count should be: Invalid Message', async (t) => {
  const { send } = harness();
  for (const v of ['1.0', '1.4', '2.1'] as const) {
    const r = await send({ version: v, batchCount: null, headerExtra: [ttlv.boolean(Tag.BatchCount, true)], items: [queryItem([QF.QueryOperations])] });
    assertInvalidMessage(t, r, v, v);
  }
});

t.test('a Batch Item that is not a Structure fails that item, the message still answered', async (t) => {
  const { send } = harness();
  const tree = ttlv.structure(Tag.RequestMessage, [
    requestHeaderTree({ version: '2.1', batchErrorContinuationOption: Continuation.Continue, batchCount: 2, items: [] }),
    ttlv.integer(Tag.BatchItem, 5),
    ttlv.structure(Tag.BatchItem, [ttlv.enumeration(Tag.Operation, Op.Query), ttlv.structure(Tag.RequestPayload, [])]),
  ]);
  const r = await send(encodeTtlv(tree));
  t.equal(r.items.length, 2);
  t.equal(reasonName(r.items[0]?.resultReason), 'InvalidMessage');
  t.equal(statusName(r.items[1]?.resultStatus), 'Success');
});

t.test('a message over the TTLV size limit: Invalid Message', async (t) => {
  const { send } = harness({ ttlvLimits: { ...DEFAULT_PROTOCOL_OPTIONS.ttlvLimits, maxMessageBytes: 64 } });
  assertInvalidMessage(t, await send(valid14), '1.4', 'over the size limit');
});

t.test('framingError: a decodable Invalid Message, in the version of the header read so far', async (t) => {
  const handler: KmipHandler = harness().handler;
  const err = new TtlvError(4, 'message length 99999999 exceeds the limit');
  assertInvalidMessage(t, readResponse(handler.framingError(err, valid14.subarray(0, 8), TEST_CONNECTION)), '1.0', '8 bytes');
  assertInvalidMessage(t, readResponse(handler.framingError(err, valid14.subarray(0, 64), TEST_CONNECTION)), '1.4', '64 bytes');
  assertInvalidMessage(t, readResponse(handler.framingError(err, Buffer.alloc(0), TEST_CONNECTION)), '1.0', 'nothing');
});

// ---- unexpected faults ------------------------------------------------------------------------------

const BOOM = 0x000000fe;
const faulty = (run: OperationDef['run']): OperationDef[] => [...OPERATIONS, { operation: BOOM, name: 'Boom', since: '1.0', run }];

t.test('an operation that throws a plain Error: General Failure "internal error", fault recorded, next item and message work', async (t) => {
  const secret = new Error('disk /var/lib/kmipd/secret.db is corrupt at page 7');
  for (const [label, run] of [
    ['throws', (): never => { throw secret; }],
    ['throws a string', (): never => { throw 'a string'; }],
  ] as [string, OperationDef['run']][]) {
    await t.test(label, async (t) => {
      const { audit, send } = harness({}, faulty(run));
      const r = await send({
        version: '1.4',
        batchErrorContinuationOption: Continuation.Continue,
        items: [{ operation: BOOM, uniqueBatchItemID: 'boom', payload: [] }, queryItem([QF.QueryOperations], { uniqueBatchItemID: 'next' })],
      });
      t.equal(r.version, '1.4');
      const [boom, next] = r.items;
      t.equal(statusName(boom?.resultStatus), 'OperationFailed');
      t.equal(reasonName(boom?.resultReason), 'GeneralFailure');
      t.equal(boom?.resultMessage, 'internal error', 'nothing internal told');
      t.equal(idText(boom?.uniqueBatchItemID), 'boom');
      t.equal(statusName(next?.resultStatus), 'Success', 'the next item works');
      t.ok(audit.faults.length >= 1, 'the fault is recorded');
      t.equal(audit.faults[0], label === 'throws a string' ? 'a string' : secret);
      const again = await send({ version: '2.1', items: [queryItem([QF.QueryOperations])] });
      t.equal(statusName(again.items[0]?.resultStatus), 'Success', 'the next message works');
      t.notMatch(JSON.stringify(audit.records), /secret\.db/, 'the error text stays out of the audit records');
    });
  }
});

/** A payload that cannot be encoded: an Integer beyond 32 bits. */
const unencodable: OperationDef['run'] = () => ({ payload: ttlv.structure(Tag.ResponsePayload, [ttlv.integer(Tag.BatchCount, 2 ** 40)]) });

t.test('an operation whose payload cannot be encoded: still a decodable General Failure, fault recorded', async (t) => {
  const { audit, send } = harness({}, faulty(unencodable));
  const r = await send({ version: '2.1', items: [{ operation: BOOM, payload: [] }] });
  t.equal(reasonName(r.items[0]?.resultReason), 'GeneralFailure');
  t.equal(r.items[0]?.resultMessage, 'internal error');
  t.equal(audit.faults.length, 1);
  const again = await send({ version: '2.1', items: [queryItem([QF.QueryOperations])] });
  t.equal(statusName(again.items[0]?.resultStatus), 'Success', 'the next message works');
});

t.test(
  'an operation whose payload cannot be encoded fails only its own item',
  async (t) => {
    const { send } = harness({}, faulty(unencodable));
    const r = await send({
      version: '2.1',
      batchErrorContinuationOption: Continuation.Continue,
      items: [queryItem([QF.QueryOperations], { uniqueBatchItemID: 'before' }), { operation: BOOM, uniqueBatchItemID: 'boom', payload: [] }],
    });
    t.equal(r.items.length, 2);
    t.equal(statusName(r.items[0]?.resultStatus), 'Success');
    t.equal(idText(r.items[1]?.uniqueBatchItemID), 'boom');
    t.equal(reasonName(r.items[1]?.resultReason), 'GeneralFailure');
  },
);

t.test('a fault under Stop stops the batch', async (t) => {
  const { send } = harness({}, faulty(() => { throw new Error('x'); }));
  const r = await send({ version: '2.1', items: [{ operation: BOOM, payload: [] }, queryItem([QF.QueryOperations])] });
  t.equal(r.items.length, 1);
  t.equal(reasonName(r.items[0]?.resultReason), 'GeneralFailure');
});

t.test('a checkAuthentication that throws: General Failure, never a rejection', async (t) => {
  const { audit, send } = harness({ checkAuthentication: () => { throw new Error('ldap down'); } });
  const r = await send({ version: '1.4', authentication: usernamePasswordAuthentication('u', 'p'), items: [queryItem([QF.QueryOperations])] });
  t.equal(r.items.length, 1);
  t.equal(reasonName(r.items[0]?.resultReason), 'GeneralFailure');
  t.equal(r.items[0]?.resultMessage, 'internal error');
  t.equal(audit.faults.length, 1);
  t.equal(r.version, '1.4');
});

// ---- audit ------------------------------------------------------------------------------------------

t.test('one audit record per batch item answered', async (t) => {
  const { audit, send } = harness();
  const r = await send({
    version: '1.4',
    clientCorrelationValue: 'corr-7',
    batchErrorContinuationOption: Continuation.Continue,
    items: [queryItem([QF.QueryOperations]), { operation: 0xff, payload: [] }, { operation: Op.Certify, payload: [] }],
  });
  t.equal(audit.records.length, 3);
  t.same(
    audit.records.map((a) => [a.operation, a.status, a.reason]),
    [
      ['Query', 'Success', undefined],
      ['0xff', 'OperationFailed', 'OperationNotSupported'],
      ['Certify', 'OperationFailed', 'OperationNotSupported'],
    ],
  );
  for (const a of audit.records) {
    t.equal(a.connectionId, 1);
    t.equal(a.peer, '127.0.0.1');
    t.equal(a.identity, 'alice');
    t.equal(a.version, '1.4');
    t.ok(Number.isFinite(a.durationMs) && a.durationMs >= 0, 'a duration');
    t.equal(a.durationMs, Math.round(a.durationMs * 1000) / 1000, 'to the microsecond');
    t.equal(a.clientCorrelationValue, 'corr-7');
    t.equal(a.serverCorrelationValue, r.serverCorrelationValue, 'the Server Correlation Value sent');
    t.same(a.uniqueIdentifiers, []);
  }
  t.equal(audit.records[0]?.message, undefined, 'no message on success');
  t.type(audit.records[1]?.message, 'string');
});

t.test('audit under Stop: the items answered', async (t) => {
  const { audit, send } = harness();
  await send({ version: '2.1', items: [queryItem([QF.QueryOperations]), { operation: 0xff, payload: [] }, queryItem([QF.QueryOperations])] });
  t.same(audit.records.map((a) => a.status), ['Success', 'OperationFailed']);
});

t.test('a rejected message is audited once, operation "none"', async (t) => {
  const { audit, send } = harness();
  await send({ version: '3.0', items: [queryItem([QF.QueryOperations])] });
  await send(randomBytesFrom(3, 50));
  t.equal(audit.records.length, 2);
  t.same(
    audit.records.map((a) => [a.operation, a.status, a.reason, a.version]),
    [
      ['none', 'OperationFailed', 'InvalidMessage', '3.0'],
      ['none', 'OperationFailed', 'InvalidMessage', 'unknown'],
    ],
  );
  t.ok(audit.records.every((a) => a.identity === 'alice' && a.durationMs >= 0));
});

t.test('credentials never reach the audit records', async (t) => {
  const { audit, send } = harness({ checkAuthentication: () => false });
  await send({ version: '1.4', authentication: usernamePasswordAuthentication('bob', 'hunter2-password'), items: [queryItem([QF.QueryOperations])] });
  const { audit: audit2, send: send2 } = harness();
  await send2({ version: '1.4', authentication: usernamePasswordAuthentication('bob', 'hunter2-password'), items: [queryItem([QF.QueryOperations])] });
  for (const a of [audit, audit2]) {
    t.equal(a.records.length, 1);
    t.notMatch(JSON.stringify(a.records), /hunter2/);
  }
  t.equal(audit.records[0]?.reason, 'AuthenticationNotSuccessful');
});
