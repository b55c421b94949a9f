// Cuts whole TTLV messages out of a byte stream, whatever its chunking (1.4 §9.1: 8-byte header, then Length bytes).
import { TtlvError } from './ttlv-error.js';

/** The stream cannot be framed any further; `messages` holds the whole messages cut before the fault. */
export class TtlvFramingError extends TtlvError {
  constructor(
    offset: number,
    reason: string,
    readonly messages: Buffer[],
  ) {
    super(offset, reason);
  }
}

const HEADER = 8;

/**
 * Feed it the chunks of a stream; it returns each complete message. A message that lies inside one chunk
 * is returned as a view of that chunk (no copy); one that spans chunks is assembled once. The declared
 * length is checked against `maxMessageBytes` as soon as the 8 header bytes are in, before any body is held.
 */
export class TtlvFramer {
  private chunks: Buffer[] = [];
  private held = 0;
  /** Total length of the message being assembled, once its header is known. */
  private need = -1;
  /** Bytes of the stream consumed so far, for error offsets. */
  private consumed = 0;

  constructor(private readonly maxMessageBytes: number) {}

  /** Bytes received but not yet returned as a message. */
  get buffered(): number {
    return this.held;
  }

  /** Returns the whole messages completed by `chunk`; throws TtlvFramingError (carrying those) on a bad header. */
  push(chunk: Uint8Array): Buffer[] {
    const out: Buffer[] = [];
    try {
      return this.cut(chunk, out);
    } catch (e) {
      if (e instanceof TtlvError) throw new TtlvFramingError(e.offset, e.reason, out);
      throw e;
    }
  }

  private cut(chunk: Uint8Array, out: Buffer[]): Buffer[] {
    let buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    // Fast path: nothing held, whole messages inside this chunk.
    while (this.held === 0 && buf.length >= HEADER) {
      const need = this.messageLength(buf);
      if (buf.length < need) break;
      out.push(buf.subarray(0, need));
      this.consumed += need;
      buf = buf.subarray(need);
    }
    if (buf.length === 0) return out;
    this.chunks.push(buf);
    this.held += buf.length;
    for (;;) {
      if (this.need < 0) {
        if (this.held < HEADER) return out;
        this.need = this.messageLength(this.peekHeader());
      }
      if (this.held < this.need) return out;
      // Copy only the message that spans chunks; what follows it stays a view of the last chunk.
      const last = this.chunks[this.chunks.length - 1]!;
      const fromLast = this.need - (this.held - last.length);
      const message = this.chunks.length === 1 ? last.subarray(0, this.need) : Buffer.concat(this.chunks, this.need);
      out.push(message);
      this.consumed += this.need;
      let rest = last.subarray(fromLast);
      this.chunks = [];
      this.held = 0;
      this.need = -1;
      // Whole messages inside the remainder come out as views, without a copy.
      while (rest.length >= HEADER) {
        const need = this.messageLength(rest);
        if (rest.length < need) break;
        out.push(rest.subarray(0, need));
        this.consumed += need;
        rest = rest.subarray(need);
      }
      if (rest.length === 0) return out;
      this.chunks = [rest];
      this.held = rest.length;
    }
  }

  private peekHeader(): Buffer {
    const first = this.chunks[0]!;
    if (first.length >= HEADER) return first;
    return Buffer.concat(this.chunks, this.held).subarray(0, HEADER);
  }

  /** The whole message length announced by a header: 8 + Length, padded to 8 (1.4 §9.1.1.3). */
  private messageLength(header: Buffer): number {
    const length = header.readUInt32BE(4);
    // Plain arithmetic: `(length + 7) & ~7` is 32-bit and wraps for lengths near 2^32.
    const total = HEADER + Math.ceil(length / 8) * 8;
    if (total > this.maxMessageBytes) {
      throw new TtlvError(this.consumed + 4, `message length ${length} exceeds the limit of ${this.maxMessageBytes}`);
    }
    return total;
  }
}
