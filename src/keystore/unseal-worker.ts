// Opens sealed material on a worker thread with a PKCS#11 session of its own (DESIGN: key custody): AES-GCM
// C_DecryptInit and C_Decrypt under the KEK's session copy, off the event loop.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * A Get spent a quarter of its event-loop time in the token's unseal, and the loop's slowness cost more than that
 * (bench/README.md: with the unseal out of the way, Gets ran 2.6× faster). The worker shares the process's
 * token login and session objects (PKCS#11 makes both per application), so it needs no PIN and uses the KEK
 * copies the store made: it opens only a session of its own, for the decrypt operation's state.
 *
 * Its program: CommonJS, handed to it as text so that it runs the same from dist/ and under tsx. It never calls
 * C_Finalize: the library is the process's, and the main thread still uses it.
 */
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
// the key store waits for this before it may finalize the library under us
const done = () => {
  Atomics.store(workerData.stopped, 0, 1);
  Atomics.notify(workerData.stopped, 0);
};
let lib;
let session;
try {
  const { PKCS11 } = require(workerData.pkcs11js);
  lib = new PKCS11();
  lib.load(workerData.module);
  try {
    lib.C_Initialize({ flags: workerData.initializeFlags });
  } catch (error) {
    if (!/CKR_CRYPTOKI_ALREADY_INITIALIZED/.test(String(error && error.message))) throw error;
  }
  session = lib.C_OpenSession(Buffer.from(workerData.slot), workerData.sessionFlags);
} catch (error) {
  done(); // no call will come from here: a stop() need not wait
  throw error;
}
parentPort.on('message', (m) => {
  if (m === 'stop') {
    try { lib.C_CloseSession(session); } catch {}
    done();
    parentPort.close();
    return;
  }
  // one buffer, moved here: KEK handle (8 bytes), IV length, AAD length (2 bytes each), IV, AAD, ciphertext ‖ tag
  const [id, packed] = m;
  const all = Buffer.from(packed);
  const ivEnd = 12 + all.readUInt16BE(8);
  const aadEnd = ivEnd + all.readUInt16BE(10);
  const body = all.subarray(aadEnd);
  const out = Buffer.alloc(body.length);
  try {
    const iv = all.subarray(12, ivEnd);
    lib.C_DecryptInit(session, { mechanism: workerData.mechanism, parameter: { type: workerData.paramsType, iv, ivBits: iv.length * 8, aad: all.subarray(ivEnd, aadEnd), tagBits: workerData.tagBits } }, all.subarray(0, 8));
    const plain = lib.C_Decrypt(session, body, out);
    out.fill(0, plain.length);
    const bytes = new Uint8Array(plain.length);
    bytes.set(plain);
    out.fill(0);
    parentPort.postMessage({ id, plaintext: bytes }, [bytes.buffer]);
  } catch (error) {
    out.fill(0);
    parentPort.postMessage({ id, error: String(error && error.message || error) });
  }
});
parentPort.postMessage({ ready: true });
`;

/**
 * How long stop() waits for the worker to close its session (it finishes queued calls first: microseconds each).
 * Normally milliseconds; the bound is for a worker that hangs, and is generous because giving up early lets the
 * library be finalized under a worker that is still starting on a loaded machine.
 */
const STOP_WAIT_MS = 10_000;

export interface UnsealRequest {
  /** Session-object handle of the KEK copy (the store's; valid while its session lives): 8 bytes, as pkcs11js has it. */
  readonly kek: Buffer;
  readonly iv: Uint8Array;
  readonly aad: Uint8Array;
  /** Ciphertext ‖ tag. */
  readonly body: Uint8Array;
}

export interface UnsealWorkerOptions {
  readonly module: string;
  /** The slot of the token, as a PKCS#11 handle. */
  readonly slot: Buffer;
  readonly initializeFlags: number;
  readonly sessionFlags: number;
  readonly mechanism: number;
  /** pkcs11js's parameter type of CK_GCM_PARAMS (2.40 errata layout). */
  readonly paramsType: number;
  readonly tagBits: number;
}

export interface UnsealWorker {
  /** The plaintext; rejects with the token's error text (its CKR name) when the token refused. */
  open(request: UnsealRequest): Promise<Uint8Array>;
  /** False until the worker's session is open, and once it failed or stopped: callers open on their own thread. */
  readonly ready: boolean;
  /** Ends the worker and returns once it has closed its session (pending opens reject). */
  stop(): void;
}

/**
 * Starts the worker. Should it fail to start or end on its own, `ready` turns false and every pending open
 * rejects, so the key store opens on the event loop as before: slower, never wrong.
 */
export function startUnsealWorker(options: UnsealWorkerOptions): UnsealWorker {
  const pkcs11js = createRequire(import.meta.url).resolve('pkcs11js');
  const stoppedFlag = new Int32Array(new SharedArrayBuffer(4));
  // none of the parent's flags (a test runner's loaders, --input-type): its text is plain CommonJS, and it starts sooner
  const worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], workerData: { ...options, pkcs11js, stopped: stoppedFlag } });
  worker.unref();
  const pending = new Map<number, { resolve(plaintext: Uint8Array): void; reject(error: Error): void }>();
  let next = 0;
  let ready = false;
  let stopped = false;
  /** The worker ended (or never ran): nothing of it touches the library any more. */
  let gone = false;
  const failAll = (reason: string): void => {
    ready = false;
    stopped = true;
    for (const p of pending.values()) p.reject(new Error(reason));
    pending.clear();
  };
  worker.on('message', (m: { ready?: true; id?: number; plaintext?: Uint8Array; error?: string }) => {
    if (m.ready === true) {
      ready = !stopped;
      return;
    }
    const p = pending.get(m.id!);
    if (p === undefined) {
      m.plaintext?.fill(0);
      return;
    }
    pending.delete(m.id!);
    if (m.plaintext !== undefined) p.resolve(m.plaintext);
    else p.reject(new Error(m.error ?? 'the unseal worker gave no answer'));
  });
  worker.on('error', (e) => {
    gone = true;
    failAll(`the unseal worker failed: ${e.message}`);
  });
  worker.on('exit', () => {
    gone = true;
    failAll('the unseal worker ended');
  });
  return {
    get ready() {
      return ready;
    },
    open(request) {
      if (!ready) return Promise.reject(new Error('the unseal worker is not running'));
      if (request.kek.length !== 8 || request.iv.length > 0xffff || request.aad.length > 0xffff) {
        return Promise.reject(new Error('the unseal worker takes 8-byte handles and IV and AAD of at most 65,535 bytes'));
      }
      const id = next++;
      // one buffer, moved rather than copied: a message of four typed arrays cost a tenth of a Get to clone
      const { kek, iv, aad, body } = request;
      const packed = new Uint8Array(12 + iv.length + aad.length + body.length);
      const view = new DataView(packed.buffer);
      packed.set(kek.subarray(0, 8), 0);
      view.setUint16(8, iv.length);
      view.setUint16(10, aad.length);
      packed.set(iv, 12);
      packed.set(aad, 12 + iv.length);
      packed.set(body, 12 + iv.length + aad.length);
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage([id, packed.buffer], [packed.buffer]);
      });
    },
    stop() {
      if (stopped) return;
      failAll('the key store closed');
      if (gone) return;
      worker.postMessage('stop');
      // Synchronously: the caller may finalize the library next (close), and a worker still inside a call or
      // holding a session then would crash the process. The worker finishes the calls queued before 'stop'.
      Atomics.wait(stoppedFlag, 0, 0, STOP_WAIT_MS);
    },
  };
}
