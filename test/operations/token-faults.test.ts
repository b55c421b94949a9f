// Token faults become KMIP errors, never a crash, and service resumes when the token returns (DESIGN: key custody).
import t from 'tap';
import { Enum } from '../../src/kmip/enum.js';
import { KeyStoreError, type KeyStore } from '../../src/keystore/key-store.js';
import { MemoryAudit } from '../../src/protocol/audit.js';
import { SUPPORTED_OBJECT_TYPES } from '../../src/protocol/dispatch.js';
import { DEFAULT_PROTOCOL_OPTIONS, ProtocolHandler } from '../../src/protocol/handle-request.js';
import { exchange, reasonName } from '../helpers/kmip-messages.js';
import { byUid, createAes, makeObjectHarness, uidOf } from '../helpers/object-harness.js';

const h = makeObjectHarness();
t.teardown(() => h.close());

t.test('an unavailable token: General Failure with a clear message, then recovery', async (t) => {
  const uid = uidOf(await h.ok('1.4', createAes('1.4')));
  let down = true;
  // A narrow stand-in for the token's failure modes around the real key store.
  const flaky: KeyStore = new Proxy(h.services.keys, {
    get(target, prop, receiver) {
      const real = Reflect.get(target, prop, receiver) as unknown;
      if (typeof real !== 'function') return real;
      return (...args: unknown[]) => {
        if (down && (prop === 'open' || prop === 'openAsync' || prop === 'seal' || prop === 'random')) throw new KeyStoreError('CKR_DEVICE_REMOVED', true);
        return (real as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  const audit = new MemoryAudit();
  const handler = new ProtocolHandler({ ...DEFAULT_PROTOCOL_OPTIONS, services: { ...h.services, keys: flaky }, objectTypes: SUPPORTED_OBJECT_TYPES }, audit);
  for (const item of [byUid(Enum.Operation.Get, uid), createAes('1.4')]) {
    const r = await exchange(handler, { version: '1.4', items: [item] });
    t.equal(reasonName(r.items[0]?.resultReason), 'GeneralFailure');
    t.match(r.items[0]?.resultMessage, /key store is unavailable/);
  }
  t.equal(audit.faults.length, 2, 'each fault logged');
  t.notOk(h.store.locate({ owner: undefined, filters: [], include: { online: true, archived: true, destroyed: true } }).length > 1, 'the failed Create left nothing behind');
  down = false;
  const r = await exchange(handler, { version: '1.4', items: [byUid(Enum.Operation.Get, uid)] });
  t.equal(r.items[0]?.resultStatus, Enum.ResultStatus.Success, 'served again once the token is back');
});
