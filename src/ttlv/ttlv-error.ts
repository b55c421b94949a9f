// The one error the codec throws: where in the input (byte offset) and why (1.4 §9.1.1).
export class TtlvError extends Error {
  override readonly name = 'TtlvError';
  constructor(
    /** Byte offset into the input where the fault was found (start of the offending field). */
    readonly offset: number,
    /** Short, stable reason, e.g. "non-zero padding". */
    readonly reason: string,
  ) {
    super(`TTLV error at offset ${offset}: ${reason}`);
  }
}
