// Where log and audit records go (DESIGN: audit and logs): gathered in a buffer as UTF-8 and handed in blocks, at
// least every 50 ms, to a writer thread that owns the descriptor; at exit the rest is handed over and waited for. A
// failing or stalled descriptor drops records, with one report, rather than stopping or filling the server.
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';

/**
 * pino's own destination (sonic-boom) kept the pending records as one string, appended to and measured on every
 * record: each measure flattened the string so far, and those copies were 15 % of everything a Get allocated
 * (bench/README.md). Here a record is encoded once, straight into a block.
 *
 * Why a thread of its own, not libuv's pool: a block handed to the pool cannot be waited for at exit (its callback
 * needs the event loop), so the blocks written at exit could land before it, or it could be lost with the process.
 * The writer thread reports each block through shared memory, which the exiting thread can wait on.
 */
export interface BlockDestinationOptions {
  readonly fd: number;
  /** A block is handed to the writer once it holds this much. */
  readonly blockBytes?: number;
  /** Anything held is handed over at least this often: what a kill -9 can lose. */
  readonly flushMs?: number;
  /** Records beyond this many bytes not yet written (the descriptor does not keep up) are dropped and counted. */
  readonly maxHeldBytes?: number;
  /** How long exit waits for the writer before giving up what is left (a stalled descriptor). */
  readonly exitWaitMs?: number;
  /** Where the one-line report of a failing descriptor goes (stderr by default). */
  readonly report?: (line: string) => void;
}

const LOG_BLOCK_BYTES = 16 * 1024;
const LOG_FLUSH_MS = 50;
const MAX_HELD_BYTES = 64 * 1024 * 1024;
/** A buffer holds a block and the records that may still follow it before it is sealed: four blocks' worth. */
const BLOCKS_PER_BUFFER = 4;
/** A full non-blocking pipe (EAGAIN) is tried again after this long. */
const RETRY_MS = 10;
/** Long enough for a loaded machine to start the writer and let it finish; only a stalled descriptor waits it out. */
const EXIT_WAIT_MS = 5000;
const FREE_BUFFERS_KEPT = 4;

/** Slots of the shared counters: blocks the writer has finished (written or given up), and of those, given up. */
const DONE = 0;
const FAILED = 1;

/**
 * The writer's program: CommonJS, handed to it as text so that it runs the same from dist/ and under tsx. Blocks
 * arrive in order on one port and are written whole: a short write is continued, a full pipe waited for. A block
 * the descriptor refuses is given up and the next one tried. Each block goes back to its sender, for reuse.
 * A socket cannot be reopened as a pipe is: a blocking socket whose reader stalls holds the process at exit, as it
 * would hold Node's own process.stdout.
 */
const WRITER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { constants, fstatSync, openSync, writeSync } = require('node:fs');
const { shared, port, retryMs } = workerData;
let fd = workerData.fd;
try {
  // a pipe: write through a non-blocking description of our own, so that a stalled reader never holds this thread
  // inside write(), where the process's exit (which joins it) would wait forever; the shared description is untouched
  if (fstatSync(fd).isFIFO()) fd = openSync('/proc/self/fd/' + fd, constants.O_WRONLY | constants.O_NONBLOCK);
} catch {}
const pause = new Int32Array(new SharedArrayBuffer(4));
port.on('message', (bytes) => {
  let rest = bytes;
  let failed;
  while (rest.length > 0) {
    try {
      rest = rest.subarray(writeSync(fd, rest));
    } catch (error) {
      if (error.code === 'EAGAIN') {
        Atomics.wait(pause, 0, 0, retryMs);
        continue;
      }
      failed = error.code ?? String(error);
      break;
    }
  }
  if (failed !== undefined) Atomics.add(shared, ${FAILED}, 1);
  // the answer is queued before the count moves: a thread that sees the count at exit finds the answer waiting
  port.postMessage({ bytes, failed }, [bytes.buffer]);
  Atomics.add(shared, ${DONE}, 1);
  Atomics.notify(shared, ${DONE});
});
`;

interface Written {
  readonly bytes: Uint8Array;
  readonly failed?: string;
}

const live = new Set<BlockDestination>();
let exitHooked = false;

export class BlockDestination {
  readonly #fd: number;
  readonly #blockBytes: number;
  readonly #bufferBytes: number;
  readonly #maxHeld: number;
  readonly #exitWaitMs: number;
  readonly #report: (line: string) => void;
  readonly #shared = new Int32Array(new SharedArrayBuffer(8));
  #port: MessagePort | undefined;
  #buffer: Buffer;
  #used = 0;
  /** Blocks handed to the writer, and of those, the ones whose answer has been read. */
  #posted = 0;
  #answered = 0;
  /** Bytes handed over and not yet answered for. */
  #held = 0;
  readonly #free: Buffer[] = [];
  readonly #waiters: { readonly block: number; readonly done: () => void }[] = [];
  #reported = false;
  /** The writer thread failed to start or ended: nothing more is handed to it. */
  #gone = false;
  #lostBlocks = 0;
  /** Records refused because the descriptor fell too far behind. */
  droppedRecords = 0;

  constructor(options: BlockDestinationOptions) {
    this.#fd = options.fd;
    this.#blockBytes = options.blockBytes ?? LOG_BLOCK_BYTES;
    this.#bufferBytes = BLOCKS_PER_BUFFER * this.#blockBytes;
    this.#maxHeld = options.maxHeldBytes ?? MAX_HELD_BYTES;
    this.#exitWaitMs = options.exitWaitMs ?? EXIT_WAIT_MS;
    this.#report = options.report ?? ((line) => void process.stderr.write(line));
    this.#buffer = Buffer.allocUnsafeSlow(this.#bufferBytes);
    setInterval(() => this.flush(), options.flushMs ?? LOG_FLUSH_MS).unref();
    live.add(this);
    if (!exitHooked) {
      exitHooked = true;
      process.on('exit', () => {
        for (const d of live) d.flushSync();
      });
    }
  }

  /** Blocks given up because the descriptor failed (or the writer thread was gone). */
  get failedWrites(): number {
    return Atomics.load(this.#shared, FAILED) + this.#lostBlocks;
  }

  /** pino's stream interface: one record, a whole line. */
  write(record: string): boolean {
    // a UTF-16 unit is at most 3 bytes of UTF-8: with that much room the record always fits whole
    const worst = record.length * 3;
    if (this.#held + worst > this.#maxHeld) {
      this.droppedRecords++;
      this.#reportOnce('the log cannot keep up');
      return false;
    }
    if (this.#used + worst > this.#bufferBytes) this.#seal();
    if (worst > this.#bufferBytes) {
      // a buffer of its own: one from Buffer's shared pool could not be handed to the writer
      const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(record));
      bytes.write(record);
      this.#post(bytes);
    } else {
      this.#used += this.#buffer.write(record, this.#used);
      if (this.#used >= this.#blockBytes) this.#seal();
    }
    return true;
  }

  /** Hands over what is held; `done` once everything written so far has reached the descriptor (or failed to). */
  flush(done?: (error?: Error) => void): void {
    this.#seal();
    if (done === undefined) return;
    if (this.#answered === this.#posted) process.nextTick(done);
    else this.#waiters.push({ block: this.#posted, done: () => done() });
  }

  /**
   * At exit: hands over what is held and waits for the writer to finish it all, on this thread (the event loop no
   * longer turns). A descriptor that stalls past the wait costs what is left, with a report.
   */
  flushSync(): void {
    this.#seal();
    const port = this.#port;
    if (port === undefined || this.#gone) return;
    const deadline = Date.now() + this.#exitWaitMs;
    for (let finished = Atomics.load(this.#shared, DONE); finished < this.#posted; finished = Atomics.load(this.#shared, DONE)) {
      const left = deadline - Date.now();
      if (left <= 0) {
        this.#reportOnce(`the log could not be written at exit (${this.#posted - finished} blocks left)`);
        break;
      }
      Atomics.wait(this.#shared, DONE, finished, left);
    }
    for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) this.#answer(m.message as Written);
  }

  /** Moves what the buffer holds to the writer. */
  #seal(): void {
    if (this.#used === 0) return;
    const block = this.#buffer.subarray(0, this.#used);
    this.#buffer = this.#free.pop() ?? Buffer.allocUnsafeSlow(this.#bufferBytes);
    this.#used = 0;
    this.#post(block);
  }

  #post(bytes: Buffer): void {
    if (this.#gone) {
      this.#lostBlocks++;
      return;
    }
    this.#posted++;
    this.#held += bytes.length;
    // the block's memory moves to the writer (no copy) and comes back with its answer
    this.#writer().postMessage(bytes, [bytes.buffer as ArrayBuffer]);
  }

  #writer(): MessagePort {
    if (this.#port !== undefined) return this.#port;
    const { port1, port2 } = new MessageChannel();
    // none of the parent's flags: the writer needs no loader, and --input-type=module would read its text as ESM
    const worker = new Worker(WRITER_SOURCE, { eval: true, execArgv: [], workerData: { fd: this.#fd, shared: this.#shared, port: port2, retryMs: RETRY_MS }, transferList: [port2] });
    worker.unref();
    worker.on('error', (e) => this.#writerGone(`the log writer failed (${e.message})`));
    worker.on('exit', () => this.#writerGone('the log writer ended'));
    port1.on('message', (m: Written) => this.#answer(m));
    port1.unref();
    this.#port = port1;
    return port1;
  }

  #answer({ bytes, failed }: Written): void {
    this.#answered++;
    this.#held -= bytes.length;
    if (failed !== undefined) this.#reportOnce(`the log could not be written (${failed})`);
    if (bytes.buffer.byteLength === this.#bufferBytes && this.#free.length < FREE_BUFFERS_KEPT) this.#free.push(Buffer.from(bytes.buffer));
    while (this.#waiters.length > 0 && this.#waiters[0]!.block <= this.#answered) this.#waiters.shift()!.done();
  }

  /** What was handed over and not answered is counted lost; callers waiting on a flush hear back. */
  #writerGone(why: string): void {
    if (this.#gone) return;
    this.#gone = true;
    this.#lostBlocks += this.#posted - this.#answered;
    this.#answered = this.#posted;
    this.#held = 0;
    for (const w of this.#waiters.splice(0)) w.done();
    this.#reportOnce(why);
  }

  #reportOnce(why: string): void {
    if (this.#reported) return;
    this.#reported = true;
    this.#report(`kmipd: ${why}; records are being dropped\n`);
  }
}
