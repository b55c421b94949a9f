// KeyStore over a PKCS#11 token with graphene-pk11 (DESIGN: key custody): token KEKs, AES-256-GCM seals made by the
// token with a session copy of each KEK, the token's RNG, and recovery of the session when the token returns.
import * as graphene from 'graphene-pk11';
import { KeyStoreError, type KeyStore, type SealedMaterial } from './key-store.js';
import { CKR_AUTHENTICATION_FAILED, CKR_USER_ALREADY_LOGGED_IN, ckrOf, isUnavailable, pkcs11Failure } from './pkcs11-errors.js';
import { startUnsealWorker, type UnsealWorker } from './unseal-worker.js';

export interface Pkcs11KeyStoreOptions {
  /** Path of the PKCS#11 module (e.g. /usr/lib/softhsm/libsofthsm2.so). */
  readonly module: string;
  /** CKA_LABEL of the token (CK_TOKEN_INFO.label, at most 32 bytes). */
  readonly tokenLabel: string;
  /** User PIN; kept in memory only to log in again after the token returns. */
  readonly pin: string;
  /** Create KEK version 1 when the token has none (default true); `kmipd token status` passes false. */
  readonly createKek?: boolean;
}

/** CK_C_INITIALIZE_ARGS.flags: CKF_OS_LOCKING_OK. Without it SoftHSM corrupts handles under concurrent calls. */
const CKF_OS_LOCKING_OK = 0x2;
/** 96-bit IVs are GCM's native size (NIST SP 800-38D §8.2.2: random IVs of exactly 96 bits). */
export const IV_BYTES = 12;
export const TAG_BYTES = 16;
const KEK_BYTES = 32;
/** The token's KEK objects are named by label; the version is the label's suffix and, 4 bytes big-endian, CKA_ID. */
export const KEK_LABEL_PREFIX = 'kmipd-kek-';
const KEK_LABEL = /^kmipd-kek-([1-9][0-9]{0,9})$/;
const MAX_KEK_VERSION = 0xffff_ffff;
/** IVs are drawn from the token RNG this many at a time: IVs are public, so pooling them costs no secrecy. */
const IV_POOL = 256;
/** Largest random(n): RNG Retrieve and key generation need far less; this bounds one request's cost. */
export const MAX_RANDOM_BYTES = 1 << 20;
/**
 * A reconnect creates one session object per KEK version; when the token keeps failing right after reconnecting,
 * this spacing keeps those objects from being made per request (SoftHSM leaks each one).
 */
const RECONNECT_MIN_INTERVAL_MS = 1_000;

type Lib = graphene.Session['lib'];
type Handle = graphene.Session['handle'];

/** One loaded module per path and process: C_Initialize once, C_Finalize when its last store closes. */
interface LoadedModule {
  readonly module: graphene.Module;
  refs: number;
}
const modules = new Map<string, LoadedModule>();

function acquireModule(path: string): LoadedModule {
  let entry = modules.get(path);
  if (entry === undefined) {
    let module: graphene.Module;
    try {
      module = graphene.Module.load(path, 'kmipd');
    } catch (error) {
      throw pkcs11Failure(`loading module ${path}`, error);
    }
    entry = { module, refs: 0 };
    modules.set(path, entry);
  }
  if (entry.refs === 0) initialize(entry.module);
  entry.refs++;
  return entry;
}

function initialize(module: graphene.Module): void {
  try {
    // graphene ignores CKR_CRYPTOKI_ALREADY_INITIALIZED, so this also serves after a lost initialization.
    module.initialize({ flags: CKF_OS_LOCKING_OK });
  } catch (error) {
    throw pkcs11Failure('C_Initialize', error);
  }
}

function releaseModule(path: string, entry: LoadedModule): void {
  entry.refs--;
  if (entry.refs > 0) return;
  try {
    entry.module.finalize();
  } catch {
    // Already finalized or the library is gone: nothing is left to release.
  }
  modules.delete(path);
}

function kekLabel(version: number): string {
  return `${KEK_LABEL_PREFIX}${version}`;
}

function kekId(version: number): Buffer {
  const id = Buffer.alloc(4);
  id.writeUInt32BE(version);
  return id;
}

/** AAD = UTF-8 uid ‖ KEK version (4 bytes big-endian); the version's fixed width keeps the split unambiguous. */
export function sealAad(uid: string, kekVersion: number): Buffer {
  const length = Buffer.byteLength(uid, 'utf8');
  const aad = Buffer.alloc(length + 4);
  aad.write(uid, 0, 'utf8');
  aad.writeUInt32BE(kekVersion, length);
  return aad;
}

/** pkcs11js's tag for CK_GCM_PARAMS in the v2.40 errata layout, as graphene builds it (for the unseal worker). */
const GCM_PARAMS_TYPE = new graphene.AesGcm240Params(Buffer.alloc(IV_BYTES), Buffer.alloc(0), TAG_BYTES * 8).toCKI().type;

function gcm(iv: Buffer, aad: Buffer): Parameters<Lib['C_EncryptInit']>[1] {
  // CK_GCM_PARAMS of v2.40 errata (with ulIvBits), the layout SoftHSM 2.6 expects.
  return { mechanism: graphene.MechanismEnum.AES_GCM, parameter: new graphene.AesGcm240Params(iv, aad, TAG_BYTES * 8).toCKI() };
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Long enough to hold an IV, a tag and one byte of ciphertext. */
function sealable(sealed: SealedMaterial): boolean {
  return sealed.blob.length >= IV_BYTES + TAG_BYTES + 1;
}

function checkVersion(version: number): void {
  if (!Number.isInteger(version) || version < 1 || version > MAX_KEK_VERSION) {
    throw new KeyStoreError(`KEK version ${String(version)} is not a whole number from 1 to ${MAX_KEK_VERSION}`);
  }
}

/** The template of a KEK: AES-256 on the token, sensitive, never extractable, for encrypt/decrypt only. */
function kekTemplate(version: number): graphene.ITemplate {
  return {
    class: graphene.ObjectClass.SECRET_KEY,
    keyType: graphene.KeyType.AES,
    valueLen: KEK_BYTES,
    token: true,
    private: true,
    sensitive: true,
    extractable: false,
    encrypt: true,
    decrypt: true,
    wrap: false,
    unwrap: false,
    sign: false,
    verify: false,
    derive: false,
    label: kekLabel(version),
    id: kekId(version),
  };
}

/**
 * Opens the token named `tokenLabel`, logs in as user, finds (or makes) the KEKs and makes one session copy of
 * each. Throws KeyStoreError; its message never holds the PIN.
 */
export function openPkcs11KeyStore(opts: Pkcs11KeyStoreOptions): KeyStore {
  const entry = acquireModule(opts.module);
  const store = new Pkcs11KeyStore(opts, entry);
  try {
    store.connect();
  } catch (error) {
    store.close();
    throw error;
  }
  return store;
}

class Pkcs11KeyStore implements KeyStore {
  readonly #opts: Pkcs11KeyStoreOptions;
  readonly #entry: LoadedModule;
  #session: graphene.Session | undefined;
  /** Session copies (CKA_TOKEN false) by KEK version; their handles live only as long as #session. */
  readonly #keks = new Map<number, graphene.SessionObject>();
  #current = 0;
  #ivPool: Buffer = Buffer.alloc(0);
  #ivOffset = 0;
  #broken = false;
  #closed = false;
  #lastReconnect = 0;
  /** Opens for openAsync(); started with each session, as its slot may change when the token returns. */
  #worker: UnsealWorker | undefined;

  constructor(opts: Pkcs11KeyStoreOptions, entry: LoadedModule) {
    this.#opts = opts;
    this.#entry = entry;
  }

  get currentKekVersion(): number {
    return this.#current;
  }

  kekVersions(): readonly number[] {
    return [...this.#keks.keys()].sort((a, b) => a - b);
  }

  random(length: number): Uint8Array {
    if (!Number.isInteger(length) || length < 0 || length > MAX_RANDOM_BYTES) {
      throw new KeyStoreError(`random length must be a whole number from 0 to ${MAX_RANDOM_BYTES}, not ${String(length)}`);
    }
    if (length === 0) return new Uint8Array(0);
    return this.#call('C_GenerateRandom', (lib, session) => lib.C_GenerateRandom(session, Buffer.alloc(length)));
  }

  seal(uid: string, plaintext: Uint8Array): SealedMaterial {
    // PKCS#11 passes an empty buffer as NULL, which C_Encrypt refuses; no managed object has empty key material.
    if (plaintext.length === 0) throw new KeyStoreError(`nothing to seal for ${uid}: the key material is empty`);
    return this.#call('sealing (AES-GCM C_Encrypt)', (lib, session) => {
      const version = this.#current;
      const key = this.#kek(version);
      const iv = this.#nextIv(lib, session);
      const blob = Buffer.alloc(IV_BYTES + plaintext.length + TAG_BYTES);
      iv.copy(blob, 0);
      lib.C_EncryptInit(session, gcm(iv, sealAad(uid, version)), key.handle);
      // pkcs11js writes into the given buffer, so ciphertext ‖ tag lands right after the IV.
      const written = lib.C_Encrypt(session, asBuffer(plaintext), blob.subarray(IV_BYTES));
      if (written.length !== plaintext.length + TAG_BYTES) {
        throw new KeyStoreError(`the token returned ${written.length} bytes of AES-GCM output for ${plaintext.length} bytes of input`);
      }
      return { blob, kekVersion: version };
    });
  }

  openAsync(uid: string, sealed: SealedMaterial): Promise<Uint8Array> {
    const worker = this.#worker;
    const key = this.#keks.get(sealed.kekVersion);
    if (worker === undefined || !worker.ready || key === undefined || this.#broken || this.#closed || !sealable(sealed)) {
      return this.#openHere(uid, sealed);
    }
    const bytes = asBuffer(sealed.blob);
    // Any refusal (a tampered blob, a session the token dropped) is opened again here, where open() gives the
    // error its meaning, reconnects, or succeeds: the worker is a fast path, never a second set of rules.
    return worker
      .open({ kek: key.handle, iv: bytes.subarray(0, IV_BYTES), aad: sealAad(uid, sealed.kekVersion), body: bytes.subarray(IV_BYTES) })
      .catch(() => this.open(uid, sealed));
  }

  #openHere(uid: string, sealed: SealedMaterial): Promise<Uint8Array> {
    try {
      return Promise.resolve(this.open(uid, sealed));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  open(uid: string, sealed: SealedMaterial): Uint8Array {
    const { blob, kekVersion } = sealed;
    checkVersion(kekVersion);
    if (!sealable(sealed)) {
      throw new KeyStoreError(`sealed material of ${uid} is ${blob.length} bytes, shorter than IV, tag and one byte`);
    }
    return this.#call('opening (AES-GCM C_Decrypt)', (lib, session) => {
      const key = this.#kek(kekVersion);
      const bytes = asBuffer(blob);
      const iv = Buffer.from(bytes.subarray(0, IV_BYTES));
      const body = bytes.subarray(IV_BYTES);
      // C_Decrypt wants room for ciphertext ‖ tag; a short buffer (CKR_BUFFER_TOO_SMALL) would leave the
      // operation active. Buffer.alloc (not the shared pool) so the caller can zero all of it.
      const out = Buffer.alloc(body.length);
      lib.C_DecryptInit(session, gcm(iv, sealAad(uid, kekVersion)), key.handle);
      let plain: Buffer;
      try {
        plain = lib.C_Decrypt(session, body, out);
      } catch (error) {
        const code = ckrOf(error);
        if (code !== undefined && CKR_AUTHENTICATION_FAILED.includes(code)) {
          throw new KeyStoreError(
            `sealed material of ${uid} does not authenticate under KEK version ${kekVersion}: ` +
              'it belongs to another object, was altered, or was sealed under another KEK',
          );
        }
        throw error;
      }
      out.fill(0, plain.length); // only the plaintext is handed out, so only it needs the caller's zeroing
      return out.subarray(0, plain.length);
    });
  }

  rotateKek(): number {
    return this.#call('rotating the KEK', (_lib, _handle, session) => {
      this.#rescan(session);
      const next = Math.max(0, ...this.#keks.keys()) + 1;
      checkVersion(next);
      this.#createKek(session, next);
      this.#loadKeks(session);
      return this.#current;
    });
  }

  refresh(): number {
    return this.#call('re-reading the KEK versions', (_lib, _handle, session) => {
      this.#rescan(session);
      return this.#current;
    });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#worker?.stop();
    this.#worker = undefined;
    const session = this.#session;
    this.#session = undefined;
    this.#keks.clear();
    if (session !== undefined) {
      try {
        // Login is per application and token: log out only when no other store of this process shares it.
        if (this.#entry.refs === 1) session.logout();
      } catch {
        // Not logged in or the token is gone; finalizing releases the rest.
      }
      try {
        session.close(); // destroys the session KEK copies with it
      } catch {
        // The session is already gone.
      }
    }
    releaseModule(this.#opts.module, this.#entry);
  }

  /** Opens a session on the token, logs in, and loads (or makes) the KEKs with their session copies. */
  connect(): void {
    const slot = this.#findSlot();
    let session: graphene.Session;
    try {
      session = slot.open(graphene.SessionFlag.SERIAL_SESSION | graphene.SessionFlag.RW_SESSION);
    } catch (error) {
      throw pkcs11Failure(`C_OpenSession on token "${this.#opts.tokenLabel}"`, error);
    }
    this.#session = session;
    try {
      session.login(this.#opts.pin, graphene.UserType.USER);
    } catch (error) {
      if (ckrOf(error) !== CKR_USER_ALREADY_LOGGED_IN) {
        throw pkcs11Failure(`C_Login as user on token "${this.#opts.tokenLabel}"`, error, [this.#opts.pin]);
      }
    }
    try {
      this.#loadKeks(session);
      if (this.#keks.size === 0) {
        if (this.#opts.createKek === false) {
          throw new KeyStoreError(`token "${this.#opts.tokenLabel}" holds no KEK (${kekLabel(1)}): run kmipd token init`);
        }
        this.#createKek(session, 1);
        this.#loadKeks(session);
      }
    } catch (error) {
      throw pkcs11Failure('loading the KEKs', error);
    }
    this.#worker?.stop();
    this.#worker = startUnsealWorker({
      module: this.#opts.module,
      slot: slot.handle,
      initializeFlags: CKF_OS_LOCKING_OK,
      sessionFlags: graphene.SessionFlag.SERIAL_SESSION,
      mechanism: graphene.MechanismEnum.AES_GCM,
      paramsType: GCM_PARAMS_TYPE,
      tagBits: TAG_BYTES * 8,
    });
  }

  #findSlot(): graphene.Slot {
    let slots: graphene.SlotCollection;
    try {
      slots = this.#entry.module.getSlots(true);
    } catch (error) {
      throw pkcs11Failure('C_GetSlotList', error);
    }
    const labels: string[] = [];
    for (let i = 0; i < slots.length; i++) {
      const slot = slots.items(i);
      let label: string;
      try {
        label = slot.getToken().label.trim();
      } catch {
        continue; // a slot whose token vanished between the list and the query
      }
      if (label === this.#opts.tokenLabel) return slot;
      if (label !== '') labels.push(JSON.stringify(label)); // '' is SoftHSM's free slot, not a token
    }
    throw new KeyStoreError(
      `no token labelled "${this.#opts.tokenLabel}" in PKCS#11 module ${this.#opts.module}` +
        (labels.length > 0 ? ` (tokens present: ${labels.join(', ')})` : ' (no token present)'),
      true,
    );
  }

  /** Finds the KEKs on the token and makes a session copy of each version not yet copied. */
  #loadKeks(session: graphene.Session): void {
    const found = new Map<number, graphene.SessionObject[]>();
    const objects = session.find({ class: graphene.ObjectClass.SECRET_KEY, token: true });
    for (let i = 0; i < objects.length; i++) {
      const object = objects.items(i);
      const match = KEK_LABEL.exec(String(object.getAttribute('label')));
      if (match === null) continue;
      const version = Number(match[1]);
      if (version > MAX_KEK_VERSION) continue;
      found.set(version, [...(found.get(version) ?? []), object]);
    }
    for (const [version, list] of [...found].sort((a, b) => a[0] - b[0])) {
      // Two processes racing to make the same version would leave two keys under one label: refuse rather than
      // seal under a key the other process never uses.
      if (list.length > 1) {
        throw new KeyStoreError(`token holds ${list.length} keys labelled ${kekLabel(version)}: remove the one that sealed nothing`);
      }
      if (this.#keks.has(version)) continue;
      const kek = list[0]!;
      checkKek(kek, version);
      let copy: graphene.SessionObject;
      try {
        copy = session.copy(kek, { token: false });
      } catch (error) {
        throw pkcs11Failure(`C_CopyObject of ${kekLabel(version)}`, error);
      }
      this.#keks.set(version, copy);
    }
    this.#current = Math.max(0, ...this.#keks.keys());
  }

  #createKek(session: graphene.Session, version: number): void {
    try {
      session.generateKey(graphene.KeyGenMechanism.AES, kekTemplate(version));
    } catch (error) {
      throw pkcs11Failure(`C_GenerateKey of ${kekLabel(version)}`, error);
    }
  }

  /** Picks up KEK versions another process made on the same token since this store loaded its list. */
  #rescan(session: graphene.Session): void {
    this.#loadKeks(session);
  }

  #kek(version: number): graphene.SessionObject {
    let key = this.#keks.get(version);
    if (key === undefined && this.#session !== undefined) {
      this.#rescan(this.#session);
      key = this.#keks.get(version);
    }
    if (key === undefined) throw new KeyStoreError(`KEK version ${version} is not on token "${this.#opts.tokenLabel}"`);
    return key;
  }

  #nextIv(lib: Lib, session: Handle): Buffer {
    if (this.#ivOffset + IV_BYTES > this.#ivPool.length) {
      this.#ivPool = lib.C_GenerateRandom(session, Buffer.alloc(IV_BYTES * IV_POOL));
      this.#ivOffset = 0;
    }
    const iv = Buffer.from(this.#ivPool.subarray(this.#ivOffset, this.#ivOffset + IV_BYTES));
    // Each IV is used once: wipe it from the pool as it is handed out.
    this.#ivPool.fill(0, this.#ivOffset, this.#ivOffset + IV_BYTES);
    this.#ivOffset += IV_BYTES;
    return iv;
  }

  /** Runs one token step; a session or device failure marks the session for reopening on the next call. */
  #call<T>(step: string, fn: (lib: Lib, handle: Handle, session: graphene.Session) => T): T {
    if (this.#closed) throw new KeyStoreError('the key store is closed');
    if (this.#broken || this.#session === undefined) this.#reconnect();
    const session = this.#session!;
    try {
      return fn(session.lib, session.handle, session);
    } catch (error) {
      const failure = pkcs11Failure(step, error, [this.#opts.pin]);
      const code = ckrOf(error);
      if (code !== undefined && isUnavailable(code)) this.#broken = true;
      throw failure;
    }
  }

  /** Drops the dead session (its session objects go with it), then opens a new one with fresh KEK copies. */
  #reconnect(): void {
    const now = Date.now();
    if (now - this.#lastReconnect < RECONNECT_MIN_INTERVAL_MS) {
      throw new KeyStoreError(`token "${this.#opts.tokenLabel}" is unavailable; reconnecting again shortly`, true);
    }
    this.#lastReconnect = now;
    const old = this.#session;
    this.#session = undefined;
    this.#keks.clear();
    this.#ivPool = Buffer.alloc(0);
    this.#ivOffset = 0;
    if (old !== undefined) {
      try {
        old.close();
      } catch {
        // Expected when the token went away.
      }
    }
    try {
      initialize(this.#entry.module);
      this.connect();
    } catch (error) {
      const session = this.#session as graphene.Session | undefined;
      this.#session = undefined;
      this.#keks.clear();
      if (session !== undefined) {
        try {
          session.close();
        } catch {
          // Half-open session on a failing token.
        }
      }
      const failure = pkcs11Failure('reopening the token session', error, [this.#opts.pin]);
      throw new KeyStoreError(failure.message, true);
    }
    this.#broken = false;
  }
}

/** Refuses a key that carries a KEK label but not a KEK's protections (someone else made it). */
function checkKek(kek: graphene.SessionObject, version: number): void {
  const a = kek.getAttribute({ keyType: null, valueLen: null, sensitive: null, extractable: null, encrypt: null, decrypt: null });
  const ok =
    a.keyType === graphene.KeyType.AES && a.valueLen === KEK_BYTES && a.sensitive === true && a.extractable === false &&
    a.encrypt === true && a.decrypt === true;
  if (!ok) {
    throw new KeyStoreError(`${kekLabel(version)} on the token is not a sensitive, non-extractable AES-256 encrypt/decrypt key; refusing it`);
  }
}
