// The PKCS#11 KeyStore against a real SoftHSM2 token (DESIGN: key custody): AES-GCM seals bound to UID and KEK
// version, KEK protections, no per-request token objects, rotation, reopening, token recovery, errors.
import t from 'tap';
import { countObjects, makeTestToken, observe, SOFTHSM_MODULE } from './fixtures/softhsm.js';
// The token and SOFTHSM2_CONF exist before any module is initialized (SoftHSM reads the file in C_Initialize).
const token = makeTestToken('kmipd-store-test', 'store-test-pin-0001');
t.teardown(() => token.cleanup());

const { openPkcs11KeyStore, IV_BYTES, TAG_BYTES } = await import('../../src/keystore/pkcs11-store.js');
const { KeyStoreError } = await import('../../src/keystore/key-store.js');

const opts = { module: SOFTHSM_MODULE, tokenLabel: token.label, pin: token.pin };
let store = openPkcs11KeyStore(opts);
t.teardown(() => store.close());
// Our own session on the token; made again after the store reopens (its close finalizes the module, ending this one).
let observer = observe(token.label);
t.teardown(() => observer.close());

const key32 = (fill: number): Uint8Array => new Uint8Array(32).map((_, i) => (fill + i * 7) & 0xff);

t.test('a fresh token gets KEK version 1', async (t) => {
  t.equal(store.currentKekVersion, 1);
  t.same(store.kekVersions(), [1]);
});

t.test('seal/open round trip', async (t) => {
  for (const length of [1, 16, 32, 33, 64, 1000, 4096]) {
    const plain = new Uint8Array(length).map((_, i) => (i * 31 + length) & 0xff);
    const sealed = store.seal('uid-round-trip', plain);
    t.equal(sealed.kekVersion, 1);
    t.equal(sealed.blob.length, IV_BYTES + length + TAG_BYTES, `blob = IV ‖ ciphertext ‖ tag for ${length} bytes`);
    t.same(Buffer.from(store.open('uid-round-trip', sealed)), Buffer.from(plain), `${length} bytes come back`);
  }
  const a = store.seal('u', key32(1));
  const b = store.seal('u', key32(1));
  t.not(Buffer.from(a.blob.subarray(0, IV_BYTES)).toString('hex'), Buffer.from(b.blob.subarray(0, IV_BYTES)).toString('hex'), 'a fresh IV per seal');
  t.not(Buffer.from(a.blob).toString('hex'), Buffer.from(b.blob).toString('hex'));
});

t.test('the plaintext never appears in the blob', async (t) => {
  const plain = new Uint8Array(64).fill(0x41); // long runs would survive any byte-wise leak
  const blob = Buffer.from(store.seal('uid-plain', plain).blob);
  for (let i = 0; i + 8 <= plain.length; i += 8) {
    t.equal(blob.indexOf(Buffer.from(plain.subarray(i, i + 8))), -1, `no 8-byte window at ${i}`);
  }
  const key = key32(9);
  const keyBlob = Buffer.from(store.seal('uid-plain-2', key).blob);
  for (let i = 0; i + 4 <= key.length; i++) t.equal(keyBlob.indexOf(Buffer.from(key.subarray(i, i + 4))), -1);
});

t.test('a blob moved to another UID does not open', async (t) => {
  const sealed = store.seal('uid-a', key32(2));
  t.throws(() => store.open('uid-b', sealed), { name: 'KeyStoreError', message: /uid-b does not authenticate under KEK version 1/, unavailable: false });
  t.throws(() => store.open('uid-a ', sealed), KeyStoreError, 'even a UID one byte longer');
  t.throws(() => store.open('', sealed), KeyStoreError);
  t.same(Buffer.from(store.open('uid-a', sealed)), Buffer.from(key32(2)), 'the right UID still opens it');
});

t.test('a tampered blob does not open', async (t) => {
  const sealed = store.seal('uid-tamper', key32(3));
  const positions = { 'IV': 0, 'ciphertext': IV_BYTES + 5, 'tag': sealed.blob.length - 1 };
  for (const [part, at] of Object.entries(positions)) {
    const blob = Uint8Array.from(sealed.blob);
    blob[at]! ^= 0x01;
    t.throws(() => store.open('uid-tamper', { blob, kekVersion: 1 }), { name: 'KeyStoreError', unavailable: false }, `one bit of the ${part}`);
  }
  t.throws(() => store.open('uid-tamper', { blob: sealed.blob.subarray(0, sealed.blob.length - 1), kekVersion: 1 }), KeyStoreError, 'truncated tag');
  t.throws(() => store.open('uid-tamper', { blob: sealed.blob.subarray(0, IV_BYTES + TAG_BYTES), kekVersion: 1 }), /shorter than IV, tag and one byte/);
  t.same(Buffer.from(store.open('uid-tamper', sealed)), Buffer.from(key32(3)), 'the session still works after failed opens');
});

t.test('a wrong or unknown KEK version does not open', async (t) => {
  const sealed = store.seal('uid-version', key32(4));
  t.throws(() => store.open('uid-version', { blob: sealed.blob, kekVersion: 7 }), { name: 'KeyStoreError', message: /KEK version 7 is not on token/ });
  t.throws(() => store.open('uid-version', { blob: sealed.blob, kekVersion: 0 }), /KEK version 0 is not a whole number/);
  t.throws(() => store.open('uid-version', { blob: sealed.blob, kekVersion: 1.5 }), KeyStoreError);
});

t.test('empty key material is refused', async (t) => {
  t.throws(() => store.seal('uid-empty', new Uint8Array(0)), { name: 'KeyStoreError', message: /empty/ });
});

t.test('the KEK is a sensitive, never extractable AES-256 token key', async (t) => {
  const found = observer.session.find({ label: 'kmipd-kek-1', token: true });
  t.equal(found.length, 1, 'one token object labelled kmipd-kek-1');
  const kek = found.items(0);
  const a = kek.getAttribute({
    keyType: null, valueLen: null, sensitive: null, extractable: null, alwaysSensitive: null, neverExtractable: null,
    token: null, private: null, encrypt: null, decrypt: null, wrap: null, id: null,
  });
  t.match(a, {
    valueLen: 32, sensitive: true, extractable: false, alwaysSensitive: true, neverExtractable: true,
    token: true, private: true, encrypt: true, decrypt: true, wrap: false,
  });
  t.same(a.id, Buffer.from([0, 0, 0, 1]), 'CKA_ID is the version, 4 bytes big-endian');
  t.throws(() => kek.getAttribute({ value: null }), /CKR_ATTRIBUTE_SENSITIVE/, 'CKA_VALUE cannot be read');
  // The session copies the store works with keep the same protections.
  const copies = observer.session.find({ label: 'kmipd-kek-1', token: false });
  t.equal(copies.length, 1, 'one session copy');
  t.match(copies.items(0).getAttribute({ sensitive: null, extractable: null }), { sensitive: true, extractable: false });
});

t.test('no token object is made per request', async (t) => {
  const before = countObjects(observer.session);
  t.same(before, { all: 2, token: 1, sessionObjects: 1 }, 'the KEK and its session copy');
  const plain = key32(5);
  for (let i = 0; i < 1000; i++) {
    const sealed = store.seal(`uid-${i}`, plain);
    store.open(`uid-${i}`, sealed).fill(0);
  }
  store.random(32);
  t.same(countObjects(observer.session), before, 'the same objects after 1,000 seals and opens');
});

t.test('random(n) comes from the token in the requested length', async (t) => {
  for (const n of [0, 1, 12, 16, 32, 100, 4096]) t.equal(store.random(n).length, n, `${n} bytes`);
  t.not(Buffer.from(store.random(32)).toString('hex'), Buffer.from(store.random(32)).toString('hex'));
  for (const bad of [-1, 1.5, Number.NaN, (1 << 20) + 1]) t.throws(() => store.random(bad), KeyStoreError, `refuses ${bad}`);
});

t.test('seal/open throughput for a 32-byte key (reported, not asserted)', async (t) => {
  const plain = key32(6);
  const n = 5000;
  let sealed = store.seal('uid-bench', plain);
  let start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) sealed = store.seal('uid-bench', plain);
  const sealSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) store.open('uid-bench', sealed);
  const openSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  t.comment(`seal: ${Math.round(n / sealSeconds)} ops/s, open: ${Math.round(n / openSeconds)} ops/s (32-byte key, ${n} each)`);
  t.pass('measured');
});

t.test('reopening the store finds the same KEK', async (t) => {
  const sealed = store.seal('uid-reopen', key32(7));
  store.close();
  t.throws(() => store.seal('uid-reopen', key32(7)), /closed/, 'a closed store refuses work');
  store = openPkcs11KeyStore(opts);
  observer = observe(token.label);
  t.same(store.kekVersions(), [1]);
  t.same(Buffer.from(store.open('uid-reopen', sealed)), Buffer.from(key32(7)), 'a blob sealed before the reopen opens after it');
  t.equal(observer.session.find({ token: true }).length, 1, 'no second KEK was made');
});

t.test('the store recovers when its session is lost', async (t) => {
  const sealed = store.seal('uid-recover', key32(8));
  observer.slot.closeAll(); // as a token removal would: every session of this process on the token is gone
  t.throws(() => store.seal('uid-recover', key32(8)), { name: 'KeyStoreError', message: /CKR_SESSION_HANDLE_INVALID/, unavailable: true });
  // The next call reopens the session, logs in again and copies the KEKs again.
  t.same(Buffer.from(store.open('uid-recover', sealed)), Buffer.from(key32(8)));
  t.equal(store.seal('uid-recover', key32(8)).kekVersion, 1);
  observer = observe(token.label);
  t.same(countObjects(observer.session), { all: 2, token: 1, sessionObjects: 1 }, 'one session copy again, the old one went with its session');
});

t.test('rotateKek: old blobs still open, new seals use the new version', async (t) => {
  const old = store.seal('uid-rotate', key32(10));
  t.equal(store.rotateKek(), 2);
  t.equal(store.currentKekVersion, 2);
  t.same(store.kekVersions(), [1, 2]);
  const fresh = store.seal('uid-rotate', key32(11));
  t.equal(fresh.kekVersion, 2, 'new seals use version 2');
  t.same(Buffer.from(store.open('uid-rotate', old)), Buffer.from(key32(10)), 'a version-1 blob still opens');
  t.same(Buffer.from(store.open('uid-rotate', fresh)), Buffer.from(key32(11)));
  t.throws(() => store.open('uid-rotate', { blob: old.blob, kekVersion: 2 }), { name: 'KeyStoreError', message: /does not authenticate under KEK version 2/ }, 'a v1 blob claimed as v2');
  t.throws(() => store.open('uid-rotate', { blob: fresh.blob, kekVersion: 1 }), /does not authenticate under KEK version 1/, 'a v2 blob claimed as v1');
  const kek2 = observer.session.find({ label: 'kmipd-kek-2', token: true });
  t.equal(kek2.length, 1);
  t.match(kek2.items(0).getAttribute({ sensitive: null, extractable: null }), { sensitive: true, extractable: false });
  t.same(countObjects(observer.session), { all: 4, token: 2, sessionObjects: 2 }, 'two KEKs, two session copies');
  store.close();
  store = openPkcs11KeyStore(opts);
  t.equal(store.currentKekVersion, 2, 'a reopened store seals with the newest version');
  t.same(Buffer.from(store.open('uid-rotate', old)), Buffer.from(key32(10)));
});

t.test('a wrong PIN is a KeyStoreError that does not hold the PIN', async (t) => {
  store.close(); // login is per process: while a store is logged in, C_Login answers "already logged in"
  const pin = 'wrong-pin-7f3a9c';
  const error = t.throws(() => openPkcs11KeyStore({ ...opts, pin }), { name: 'KeyStoreError', message: /CKR_PIN_INCORRECT/, unavailable: false });
  t.notMatch(String((error as Error).message), pin);
  t.notMatch(String((error as Error).stack), pin);
  store = openPkcs11KeyStore(opts);
  t.equal(store.currentKekVersion, 2, 'the right PIN still opens');
});

t.test('a missing token or module is a clear KeyStoreError', async (t) => {
  t.throws(() => openPkcs11KeyStore({ ...opts, tokenLabel: 'no-such-token' }), { name: 'KeyStoreError', message: /no token labelled "no-such-token"/, unavailable: true });
  t.throws(() => openPkcs11KeyStore({ ...opts, module: '/nonexistent/libpkcs11.so' }), { name: 'KeyStoreError', message: /loading module \/nonexistent\/libpkcs11.so/ });
  t.equal(store.seal('uid-after', key32(1)).kekVersion, 2, 'the open store is unaffected');
});
