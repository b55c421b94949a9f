// openAsync: the unseal on the key store's worker thread, against a real SoftHSM2 token (DESIGN: key custody): the
// same plaintext and the same errors as open(), many in flight, recovery when the token drops its sessions.
import t from 'tap';
import { makeTestToken, observe, SOFTHSM_MODULE } from './fixtures/softhsm.js';
// The token and SOFTHSM2_CONF exist before any module is initialized (SoftHSM reads the file in C_Initialize).
const token = makeTestToken('kmipd-unseal-test', 'unseal-test-pin-0001');
t.teardown(() => token.cleanup());

const { openPkcs11KeyStore, IV_BYTES, TAG_BYTES } = await import('../../src/keystore/pkcs11-store.js');
const { startUnsealWorker } = await import('../../src/keystore/unseal-worker.js');

const opts = { module: SOFTHSM_MODULE, tokenLabel: token.label, pin: token.pin };
const store = openPkcs11KeyStore(opts);
t.teardown(() => store.close());

const key32 = (fill: number): Uint8Array => new Uint8Array(32).map((_, i) => (fill + i * 7) & 0xff);

t.test('the same plaintext as open(), with a hundred in flight', async (t) => {
  const sealed = Array.from({ length: 100 }, (_, i) => ({ uid: `uid-${i}`, plain: key32(i), blob: store.seal(`uid-${i}`, key32(i)) }));
  const opened = await Promise.all(sealed.map((s) => store.openAsync(s.uid, s.blob)));
  opened.forEach((plain, i) => t.same(Buffer.from(plain), Buffer.from(sealed[i]!.plain), `uid-${i}`));
  t.same(Buffer.from(await store.openAsync('uid-0', sealed[0]!.blob)), Buffer.from(store.open('uid-0', sealed[0]!.blob)), 'as open() gives it');
});

t.test('the same refusals as open()', async (t) => {
  const sealed = store.seal('uid-a', key32(2));
  await t.rejects(store.openAsync('uid-b', sealed), { name: 'KeyStoreError', message: /uid-b does not authenticate under KEK version 1/, unavailable: false }, 'moved to another UID');
  const tampered = Uint8Array.from(sealed.blob);
  tampered[IV_BYTES + 3]! ^= 0x01;
  await t.rejects(store.openAsync('uid-a', { blob: tampered, kekVersion: 1 }), { name: 'KeyStoreError', unavailable: false }, 'one bit of the ciphertext');
  await t.rejects(store.openAsync('uid-a', { blob: sealed.blob.subarray(0, IV_BYTES + TAG_BYTES), kekVersion: 1 }), /shorter than IV, tag and one byte/);
  await t.rejects(store.openAsync('uid-a', { blob: sealed.blob, kekVersion: 7 }), { name: 'KeyStoreError', message: /KEK version 7 is not on token/ });
  await t.rejects(store.openAsync('uid-a', { blob: sealed.blob, kekVersion: 0 }), /KEK version 0 is not a whole number/);
  t.same(Buffer.from(await store.openAsync('uid-a', sealed)), Buffer.from(key32(2)), 'and opens the genuine blob after them');
});

t.test('a refusal among opens in flight leaves the others opened, each with its own plaintext', async (t) => {
  const good = Array.from({ length: 5 }, (_, i) => ({ uid: `batch-${i}`, plain: key32(40 + i), blob: store.seal(`batch-${i}`, key32(40 + i)) }));
  const tampered = Uint8Array.from(good[2]!.blob.blob);
  tampered[IV_BYTES]! ^= 0x80;
  const results = await Promise.allSettled([
    ...good.map((g) => store.openAsync(g.uid, g.blob)),
    store.openAsync('batch-2', { blob: tampered, kekVersion: 1 }),
    store.openAsync('batch-9', good[0]!.blob),
  ]);
  results.slice(0, 5).forEach((r, i) => t.same(r.status === 'fulfilled' ? Buffer.from(r.value) : r.reason, Buffer.from(good[i]!.plain), `batch-${i}`));
  t.match(results[5], { status: 'rejected', reason: { name: 'KeyStoreError', unavailable: false } }, 'the tampered one');
  t.match(results[6], { status: 'rejected', reason: { message: /batch-9 does not authenticate/ } }, 'the one under another UID');
  // and the worker goes on serving
  t.same(Buffer.from(await store.openAsync('batch-4', good[4]!.blob)), Buffer.from(good[4]!.plain));
});

t.test('when the token drops every session, the next open recovers, and the worker with it', async (t) => {
  const sealed = store.seal('uid-recover', key32(8));
  const observer = observe(token.label);
  observer.slot.closeAll(); // as a token removal would: the store's session, its KEK copies and the worker's session
  // The worker's decrypt fails and the store opens here instead, which fails as open() would on a lost session
  // (and marks it for reopening); the next open reconnects, logs in, copies the KEKs and starts a new worker.
  await t.rejects(store.openAsync('uid-recover', sealed), { name: 'KeyStoreError', message: /CKR_SESSION_HANDLE_INVALID/, unavailable: true });
  t.same(Buffer.from(await store.openAsync('uid-recover', sealed)), Buffer.from(key32(8)), 'opened after the loss');
  await new Promise((resolve) => setTimeout(resolve, 200)); // the new worker opens its session
  const again = await Promise.all([1, 2, 3].map(() => store.openAsync('uid-recover', sealed)));
  t.ok(again.every((p) => Buffer.from(p).equals(Buffer.from(key32(8)))), 'and on the new worker');
  observer.close();
});

t.test('a worker that cannot open its session is never used', async (t) => {
  const worker = startUnsealWorker({
    module: SOFTHSM_MODULE, slot: Buffer.alloc(8, 0xee), initializeFlags: 2, sessionFlags: 4, mechanism: 0x1087, paramsType: 7, tagBits: 128,
  });
  await new Promise((resolve) => setTimeout(resolve, 300));
  t.equal(worker.ready, false, 'not ready');
  await t.rejects(worker.open({ kek: Buffer.alloc(8), iv: new Uint8Array(12), aad: new Uint8Array(4), body: new Uint8Array(17) }), /not running/);
  worker.stop();
  // stopped at once, even before its failure is reported: stop() waits only for a worker that may still call
  const early = startUnsealWorker({
    module: SOFTHSM_MODULE, slot: Buffer.alloc(8, 0xee), initializeFlags: 2, sessionFlags: 4, mechanism: 0x1087, paramsType: 7, tagBits: 128,
  });
  const started = performance.now();
  early.stop();
  t.ok(performance.now() - started < 5_000, `stop() returned in ${(performance.now() - started).toFixed(0)} ms, not at its 10 s bound`);
});

t.test('once the store is closed, openAsync is refused like open()', async (t) => {
  const other = openPkcs11KeyStore(opts);
  const sealed = other.seal('uid-closed', key32(9));
  other.close();
  await t.rejects(other.openAsync('uid-closed', sealed), { name: 'KeyStoreError', message: /closed/ });
});

t.test('closing the store while opens are in flight: they settle, the process does not crash', async (t) => {
  const other = openPkcs11KeyStore(opts);
  await new Promise((resolve) => setTimeout(resolve, 200)); // its worker is ready
  const sealed = other.seal('uid-inflight', key32(11));
  const inFlight = Array.from({ length: 200 }, () => other.openAsync('uid-inflight', sealed).then(() => 'opened', (e: Error) => e.message));
  other.close(); // stops the worker (waiting for it to close its session), then releases the library
  const outcomes = await Promise.all(inFlight);
  t.ok(outcomes.every((o) => o === 'opened' || /closed/.test(o)), 'each opened before the close or refused as closed');
  t.same(Buffer.from(await store.openAsync('uid-inflight', sealed)), Buffer.from(key32(11)), 'the other store of the process goes on');
});

