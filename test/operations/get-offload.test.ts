// Get with its unseal on the key store's worker (runAsync): batches keep their order, placeholders and error
// handling across the wait; an Undo batch stays on the event loop; a write made meanwhile is never undone; the
// 'busy' policy keeps a lone request on the event loop (1.4 §4.11, §6.12; DESIGN: key custody).
import t from 'tap';
import { Enum } from '../../src/kmip/enum.js';
import { Tag } from '../../src/kmip/tag.js';
import type { KeyStore } from '../../src/keystore/key-store.js';
import { MemoryAudit } from '../../src/protocol/audit.js';
import { SUPPORTED_OBJECT_TYPES } from '../../src/protocol/dispatch.js';
import { DEFAULT_PROTOCOL_OPTIONS, ProtocolHandler } from '../../src/protocol/handle-request.js';
import { ItemType } from '../../src/ttlv/item-type.js';
import { child, exchange, reasonName } from '../helpers/kmip-messages.js';
import { byUid, connection, createAes, makeObjectHarness, uidOf } from '../helpers/object-harness.js';

const Op = Enum.Operation;
const h = makeObjectHarness(); // offload: 'always'
t.teardown(() => h.close());

/** The key store as the handler sees it, counting which open it was asked for. */
function counting(): { keys: KeyStore; calls: { open: number; openAsync: number } } {
  const calls = { open: 0, openAsync: 0 };
  const keys = new Proxy(h.services.keys, {
    get(target, prop, receiver) {
      const real = Reflect.get(target, prop, receiver) as unknown;
      if (typeof real !== 'function') return real;
      return (...args: unknown[]) => {
        if (prop === 'open' || prop === 'openAsync') calls[prop]++;
        return (real as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { keys, calls };
}

function handlerWith(keys: KeyStore, offload: 'busy' | 'always' | 'never'): ProtocolHandler {
  return new ProtocolHandler({ ...DEFAULT_PROTOCOL_OPTIONS, services: { ...h.services, keys }, objectTypes: SUPPORTED_OBJECT_TYPES, offload }, new MemoryAudit());
}

const keyMaterial = (payload: unknown): string => {
  const key = child(payload as never, Tag.SymmetricKey);
  const block = key === undefined ? undefined : child(key, Tag.KeyBlock);
  const value = block === undefined ? undefined : child(block, Tag.KeyValue);
  const material = value === undefined ? undefined : child(value, Tag.KeyMaterial);
  return material?.type === ItemType.ByteString ? Buffer.from(material.value).toString('hex') : '';
};

t.test('a batch waits for its Get and goes on in order: ID Placeholder, then the next item', async (t) => {
  const { keys, calls } = counting();
  const handler = handlerWith(keys, 'always');
  const r = await exchange(handler, { version: '1.4', items: [createAes('1.4'), byUid(Op.Get, undefined), byUid(Op.Activate, undefined), byUid(Op.Get, undefined)] }, connection('alice'));
  t.same(r.items.map((i) => i.resultStatus), [0, 0, 0, 0], 'all four succeed');
  t.same(r.items.map((i) => i.operation), [Op.Create, Op.Get, Op.Activate, Op.Get], 'answered in order');
  const uid = uidOf(r.items[0]!.payload!);
  t.equal(uidOf(r.items[1]!.payload!), uid, 'the Get used the placeholder the Create set');
  t.equal(keyMaterial(r.items[1]!.payload), keyMaterial(r.items[3]!.payload), 'the same key both times');
  t.equal(calls.openAsync, 2, 'both unseals on the worker');
  t.equal(h.store.get(uid)!.state, Enum.State.Active, 'the Activate between them ran');
});

t.test('Continue and Stop around a failing Get', async (t) => {
  const handler = handlerWith(h.services.keys, 'always');
  const uid = uidOf(await h.ok('1.4', createAes('1.4')));
  const cont = await exchange(handler, {
    version: '1.4', batchErrorContinuationOption: Enum.BatchErrorContinuationOption.Continue,
    items: [byUid(Op.Get, 'no-such-uid'), byUid(Op.Get, uid)],
  }, connection('alice'));
  t.same(cont.items.map((i) => reasonName(i.resultReason)), ['ItemNotFound', undefined], 'Continue: the failure, then the Get');
  const stop = await exchange(handler, { version: '2.1', items: [byUid(Op.Get, 'no-such-uid'), byUid(Op.Get, uid)] }, connection('alice'));
  t.same(stop.items.map((i) => reasonName(i.resultReason)), ['ObjectNotFound'], 'Stop: the batch ends at the failure');
});

t.test('an Undo batch opens on the event loop, inside its transaction', async (t) => {
  const { keys, calls } = counting();
  const handler = handlerWith(keys, 'always');
  const uid = uidOf(await h.ok('1.4', createAes('1.4')));
  const r = await exchange(handler, { version: '1.4', batchErrorContinuationOption: Enum.BatchErrorContinuationOption.Undo, items: [byUid(Op.Get, uid), byUid(Op.Get, uid)] }, connection('alice'));
  t.same(r.items.map((i) => i.resultStatus), [0, 0]);
  t.same(calls, { open: 2, openAsync: 0 });
});

t.test('a write made while a Get waits is kept: the Get clears Fresh on the object as it is now', async (t) => {
  const uid = uidOf(await h.ok('1.4', createAes('1.4')));
  t.equal(h.store.get(uid)!.state, Enum.State.PreActive);
  const handler = handlerWith(h.services.keys, 'always');
  const got = exchange(handler, { version: '1.4', items: [byUid(Op.Get, uid)] }, connection('alice'));
  const activated = exchange(handler, { version: '1.4', items: [byUid(Op.Activate, uid)] }, connection('alice'));
  const [g, a] = await Promise.all([got, activated]);
  t.equal(g.items[0]!.resultStatus, 0);
  t.equal(a.items[0]!.resultStatus, 0);
  const now = h.store.get(uid)!;
  t.equal(now.state, Enum.State.Active, 'the Activate made during the Get stands');
  const fresh = now.attributes.find((x) => x.name === 'Fresh')!.value;
  t.equal(fresh.type === ItemType.Boolean && fresh.value, false, 'and the key is no longer Fresh');
});

t.test("'busy': a lone request opens on the event loop, requests arriving together on the worker", async (t) => {
  const uid = uidOf(await h.ok('1.4', createAes('1.4')));
  const { keys, calls } = counting();
  const handler = handlerWith(keys, 'busy');
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    t.equal((await exchange(handler, { version: '1.4', items: [byUid(Op.Get, uid)] }, connection('alice'))).items[0]!.resultStatus, 0);
  }
  t.same(calls, { open: 3, openAsync: 0 }, 'one at a time, a few ms apart: on the event loop');
  const together = await Promise.all(Array.from({ length: 8 }, () => exchange(handler, { version: '1.4', items: [byUid(Op.Get, uid)] }, connection('alice'))));
  t.ok(together.every((r) => r.items[0]!.resultStatus === 0));
  t.ok(calls.openAsync >= 7, `eight at once: all but the first on the worker (${calls.openAsync})`);
});
