// Where log and audit records go (DESIGN: audit and logs): gathered in a buffer as UTF-8 and written to a file
// descriptor in blocks, at least every 50 ms and synchronously at exit; a failing or stalled descriptor drops
// records, with one report, rather than stopping or filling the server.
import { write as fsWrite, writeSync as fsWriteSync } from 'node:fs';

/**
 * pino's own destination (sonic-boom) kept the pending records as one string, appended to and measured on every
 * record: each measure flattened the string so far, and those copies were 15 % of everything a Get allocated
 * (bench/README.md). Here a record is encoded once, straight into a block.
 */
export interface BlockDestinationOptions {
  readonly fd: number;
  /** A block is written once it holds this much. */
  readonly blockBytes?: number;
  /** Anything held is written at least this often: what a kill -9 can lose. */
  readonly flushMs?: number;
  /** Records held beyond this (the descriptor does not keep up) are dropped and counted. */
  readonly maxHeldBytes?: number;
  /** The writes, replaceable in narrow tests (EAGAIN, short writes, failures). */
  readonly write?: typeof fsWrite;
  readonly writeSync?: typeof fsWriteSync;
  /** Where the one-line report of a failing descriptor goes (stderr by default). */
  readonly report?: (line: string) => void;
}

const LOG_BLOCK_BYTES = 16 * 1024;
const LOG_FLUSH_MS = 50;
const MAX_HELD_BYTES = 64 * 1024 * 1024;
/** A buffer holds a block and the records that may still follow it before it is sealed: four blocks' worth. */
const BLOCKS_PER_BUFFER = 4;
/** A full pipe (EAGAIN) is tried again after this long. */
const RETRY_MS = 10;
/** At exit a full pipe is tried again this many times, 1 ms apart, then the rest is given up. */
const EXIT_RETRIES = 1000;
const FREE_BUFFERS_KEPT = 4;

const live = new Set<BlockDestination>();
let exitHooked = false;

export class BlockDestination {
  readonly #fd: number;
  readonly #blockBytes: number;
  readonly #bufferBytes: number;
  readonly #maxHeld: number;
  readonly #write: typeof fsWrite;
  readonly #writeSync: typeof fsWriteSync;
  readonly #report: (line: string) => void;
  #buffer: Buffer;
  #used = 0;
  /** Written in order; the first is in flight while #writing. */
  readonly #queue: Buffer[] = [];
  #held = 0;
  readonly #free: Buffer[] = [];
  #writing = false;
  readonly #waiters: (() => void)[] = [];
  #reported = false;
  /** Records refused because the descriptor fell too far behind. */
  droppedRecords = 0;
  /** Blocks given up because the descriptor failed. */
  failedWrites = 0;

  constructor(options: BlockDestinationOptions) {
    this.#fd = options.fd;
    this.#blockBytes = options.blockBytes ?? LOG_BLOCK_BYTES;
    this.#bufferBytes = BLOCKS_PER_BUFFER * this.#blockBytes;
    this.#maxHeld = options.maxHeldBytes ?? MAX_HELD_BYTES;
    this.#write = options.write ?? fsWrite;
    this.#writeSync = options.writeSync ?? fsWriteSync;
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
      const bytes = Buffer.from(record);
      this.#queue.push(bytes);
      this.#held += bytes.length;
    } else {
      this.#used += this.#buffer.write(record, this.#used);
      if (this.#used < this.#blockBytes) return true;
      this.#seal();
    }
    this.#drain();
    return true;
  }

  /** Writes what is held; `done` once everything written so far has reached the descriptor. */
  flush(done?: (error?: Error) => void): void {
    this.#seal();
    this.#drain();
    if (done === undefined) return;
    if (!this.#writing && this.#queue.length === 0) process.nextTick(done);
    else this.#waiters.push(() => done());
  }

  /**
   * At exit: writes what is queued, on this thread. A block already handed to libuv's pool is left to it, so in
   * that one case the last blocks may land before it.
   */
  flushSync(): void {
    this.#seal();
    const start = this.#writing ? 1 : 0;
    for (let i = start; i < this.#queue.length; i++) {
      let bytes = this.#queue[i]!;
      for (let tries = 0; bytes.length > 0; ) {
        try {
          bytes = bytes.subarray(this.#writeSync(this.#fd, bytes));
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'EAGAIN' && ++tries < EXIT_RETRIES) {
            Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
            continue;
          }
          this.#fail(e);
          break;
        }
      }
    }
    this.#queue.length = start;
    this.#held = start === 1 ? this.#queue[0]!.length : 0;
  }

  /** Moves what the buffer holds to the queue. */
  #seal(): void {
    if (this.#used === 0) return;
    this.#queue.push(this.#buffer.subarray(0, this.#used));
    this.#held += this.#used;
    this.#buffer = this.#free.pop() ?? Buffer.allocUnsafeSlow(this.#bufferBytes);
    this.#used = 0;
  }

  #drain(): void {
    if (this.#writing) return;
    const bytes = this.#queue[0];
    if (bytes === undefined) {
      for (const w of this.#waiters.splice(0)) w();
      return;
    }
    this.#writing = true;
    this.#write(this.#fd, bytes, 0, bytes.length, null, (error, written) => {
      this.#writing = false;
      if (error !== null) {
        if (error.code === 'EAGAIN') {
          setTimeout(() => this.#drain(), RETRY_MS).unref();
          return;
        }
        this.#fail(error);
        written = bytes.length; // given up: the next block may yet go through
      }
      if (written < bytes.length) {
        this.#queue[0] = bytes.subarray(written);
        this.#held -= written;
      } else {
        this.#queue.shift();
        this.#held -= bytes.length;
        if (bytes.buffer.byteLength === this.#bufferBytes && this.#free.length < FREE_BUFFERS_KEPT) this.#free.push(Buffer.from(bytes.buffer));
      }
      this.#drain();
    });
  }

  #fail(error: unknown): void {
    this.failedWrites++;
    this.#reportOnce(`the log could not be written (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }

  #reportOnce(why: string): void {
    if (this.#reported) return;
    this.#reported = true;
    this.#report(`kmipd: ${why}; records are being dropped\n`);
  }
}
