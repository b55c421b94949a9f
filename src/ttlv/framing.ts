// Cuts whole TTLV messages out of a byte stream, whatever its chunking (1.4 §9.1: 8-byte header, then Length bytes).
import { TtlvError } from './ttlv-error.js';

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

  push(chunk: Uint8Array): Buffer[] {
    let buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const out: Buffer[] = [];
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
      const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.held);
      out.push(all.subarray(0, this.need));
      const rest = all.subarray(this.need);
      this.consumed += this.need;
      this.chunks = rest.length > 0 ? [rest] : [];
      this.held = rest.length;
      this.need = -1;
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
    const total = HEADER + ((length + 7) & ~7);
    if (total > this.maxMessageBytes) {
      throw new TtlvError(this.consumed + 4, `message length ${length} exceeds the limit of ${this.maxMessageBytes}`);
    }
    return total;
  }
}
