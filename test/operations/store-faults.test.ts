// A store that cannot make a request durable (a failed COMMIT, or a failed fdatasync of the WAL after it): the
// client is told General Failure, never Success, and the fault is logged (DESIGN: storage).
import t from 'tap';
import { Enum } from '../../src/kmip/enum.js';
import { MemoryAudit } from '../../src/protocol/audit.js';
import { SUPPORTED_OBJECT_TYPES } from '../../src/protocol/dispatch.js';
import { DEFAULT_PROTOCOL_OPTIONS, ProtocolHandler } from '../../src/protocol/handle-request.js';
import type { ObjectStore } from '../../src/store/object-store.js';
import { exchange, reasonName } from '../helpers/kmip-messages.js';
import { byUid, createAes, makeObjectHarness, uidOf } from '../helpers/object-harness.js';

const h = makeObjectHarness();
t.teardown(() => h.close());

t.test('durable() rejects: General Failure for the request, in both dialects, and the fault is logged', async (t) => {
  const uid = uidOf(await h.ok('1.4', createAes('1.4')));
  let failing = true;
  // A narrow stand-in around the real store: only durable() fails, as when the disk refuses fdatasync.
  const store: ObjectStore = new Proxy(h.store, {
    get(target, prop, receiver) {
      const real = Reflect.get(target, prop, receiver) as unknown;
      if (prop === 'durable' && failing) return () => Promise.reject(Object.assign(new Error('fdatasync: input/output error'), { code: 'EIO' }));
      return typeof real === 'function' ? (...args: unknown[]) => (real as (...a: unknown[]) => unknown).apply(target, args) : real;
    },
  });
  const audit = new MemoryAudit();
  const handler = new ProtocolHandler({ ...DEFAULT_PROTOCOL_OPTIONS, services: { ...h.services, store }, objectTypes: SUPPORTED_OBJECT_TYPES }, audit);
  for (const version of ['1.4', '2.1'] as const) {
    const r = await exchange(handler, { version, items: [createAes(version)] });
    t.equal(r.items[0]?.resultStatus, Enum.ResultStatus.OperationFailed, `${version}: a Create whose commit is not durable is not acknowledged`);
    t.equal(reasonName(r.items[0]?.resultReason), 'GeneralFailure');
    t.match(r.items[0]?.resultMessage, /could not make this request durable/);
  }
  t.equal(audit.faults.length, 2, 'each fault logged');
  t.match(String(audit.faults[0]), /fdatasync/);
  failing = false;
  const r = await exchange(handler, { version: '1.4', items: [byUid(Enum.Operation.Get, uid)] });
  t.equal(r.items[0]?.resultStatus, Enum.ResultStatus.Success, 'served again once the disk syncs');
});

t.test('a request alone is made durable on the event loop; amid other clients, on the thread pool', async (t) => {
  const asked: boolean[] = [];
  // A narrow stand-in around the real store: records what each durable() is told, and passes it on.
  const store: ObjectStore = new Proxy(h.store, {
    get(target, prop, receiver) {
      const real = Reflect.get(target, prop, receiver) as unknown;
      if (prop === 'durable') return (now?: boolean) => (asked.push(now === true), target.durable(now));
      return typeof real === 'function' ? (...args: unknown[]) => (real as (...a: unknown[]) => unknown).apply(target, args) : real;
    },
  });
  const handler = new ProtocolHandler({ ...DEFAULT_PROTOCOL_OPTIONS, services: { ...h.services, store }, objectTypes: SUPPORTED_OBJECT_TYPES }, new MemoryAudit());
  const from = (connectionId: number) => ({ connectionId, peer: '127.0.0.1', identity: { name: 'alice', fingerprint: 'x' }, tlsVersion: 'TLSv1.3' as const });
  const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));
  const create = async (connectionId: number): Promise<void> => {
    const r = await exchange(handler, { version: '1.4', items: [createAes('1.4')] }, from(connectionId));
    t.equal(r.items[0]?.resultStatus, Enum.ResultStatus.Success);
  };
  /** Creates from these connections one after another, a few milliseconds apart; what durable() was told. */
  const oneByOne = async (...connections: number[]): Promise<boolean[]> => {
    asked.length = 0;
    for (const [i, c] of connections.entries()) {
      if (i > 0) await pause();
      await create(c);
    }
    return [...asked];
  };
  t.same(await oneByOne(1, 1, 1), [false, true, true], 'one client: its first request is not yet alone, the later ones are');
  t.same(await oneByOne(2, 1, 1), [false, false, true], 'another client spoke: not alone until one client has been the only one for a while');
  await pause();
  asked.length = 0;
  await Promise.all([create(1), create(1)]);
  t.same(asked, [false, false], 'two requests at once: neither is alone');
});
