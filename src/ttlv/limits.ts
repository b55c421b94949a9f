// Named limits on what the TTLV decoder and framer accept, each with the reason it exists (1.4 §9.1).

export interface TtlvLimits {
  /**
   * Largest message, header included. KMIP messages are small (a Get of an RSA-4096 private key is under
   * 4 KiB; a Register of a large certificate chain a few tens of KiB); the bound stops a client from making
   * the server buffer gigabytes on the strength of a length field.
   */
  readonly maxMessageBytes: number;
  /**
   * Deepest Structure nesting. The deepest KMIP message (a 2.x Attribute inside Attributes inside a
   * payload inside a batch item) nests under 12; the bound keeps recursion far from the stack limit.
   */
  readonly maxDepth: number;
  /**
   * Most items in one message. A Locate response with 10,000 identifiers has about 10,000 items; the bound
   * stops a message of a million 8-byte empty items from costing a million allocations.
   */
  readonly maxItems: number;
}

export const DEFAULT_TTLV_LIMITS: TtlvLimits = Object.freeze({
  maxMessageBytes: 4 * 1024 * 1024,
  maxDepth: 32,
  maxItems: 100_000,
});
