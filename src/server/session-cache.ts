// In-memory TLS 1.2 session-ID cache for node:tls's newSession/resumeSession events (RFC 5246 §7.3 resumption).

/**
 * Bounded and time-limited: entries expire after the session lifetime, and past `capacity` the oldest is
 * dropped, so a client opening endless new sessions cannot grow it without bound. (Tickets, TLS 1.2 and
 * 1.3, need no server state; this serves clients that resume by session ID only.)
 */
export class SessionCache {
  /** Map iteration order is insertion order: the first key is the oldest. */
  private readonly entries = new Map<string, { data: Buffer; expires: number }>();

  constructor(
    private readonly capacity: number,
    private readonly lifetimeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  set(id: Buffer, data: Buffer): void {
    const key = id.toString('hex');
    this.entries.delete(key);
    this.entries.set(key, { data, expires: this.now() + this.lifetimeMs });
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  get(id: Buffer): Buffer | undefined {
    const key = id.toString('hex');
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expires <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.data;
  }

  clear(): void {
    this.entries.clear();
  }
}
