// The audit records the protocol layer emits, one per batch item (DESIGN: audit and logs); no credential or key material.

export interface BatchItemAudit {
  readonly connectionId: number;
  readonly peer: string;
  readonly identity: string;
  readonly version: string;
  /** Operation name, or its hex value when unknown; "none" when the item could not be read. */
  readonly operation: string;
  readonly uniqueIdentifiers: readonly string[];
  readonly status: string;
  readonly reason?: string;
  /** The Result Message for a failure: server-written text, never client data. */
  readonly message?: string;
  readonly durationMs: number;
  readonly clientCorrelationValue?: string;
  readonly serverCorrelationValue: string;
}

export interface ProtocolAudit {
  batchItem(record: BatchItemAudit): void;
  /** A record an operation asks for (the Log operation's message, Interop markers), with who asked. */
  note(record: { readonly connectionId: number; readonly identity: string; readonly event: string; readonly fields: Readonly<Record<string, string>> }): void;
  /** An unexpected fault (a bug or a broken dependency): logged with its stack, never sent to the client. */
  fault(error: unknown, where: { readonly connectionId: number; readonly operation?: string }): void;
}

/** For tests and tools: keeps records in memory. */
export class MemoryAudit implements ProtocolAudit {
  readonly records: BatchItemAudit[] = [];
  readonly faults: unknown[] = [];
  readonly notes: { readonly event: string; readonly fields: Readonly<Record<string, string>> }[] = [];
  batchItem(record: BatchItemAudit): void {
    this.records.push(record);
  }
  note(record: { readonly event: string; readonly fields: Readonly<Record<string, string>> }): void {
    this.notes.push(record);
  }
  fault(error: unknown): void {
    this.faults.push(error);
  }
}

// ---- connection events (the transport reports them; they are audit records like the rest) ----------------

export interface ConnectionAuditEvent {
  /** Server-wide counter; refused handshakes get one too, so every event names a distinct attempt. */
  readonly connectionId: number;
  /** "address:port" of the client, "[v6]:port" for IPv6; "unknown" when the socket was gone before we looked. */
  readonly peer: string;
  /** The client identity, once its certificate has been accepted. */
  readonly identity?: string;
  /** Why a connection was refused or closed, in words (refusals always carry one). */
  readonly reason?: string;
  /** Negotiated TLS version, when the handshake got that far. */
  readonly tlsVersion?: string;
  /** SHA-256 of the client certificate (hex), when one was presented: names the certificate of a refused client. */
  readonly fingerprint?: string;
  /** True when the TLS session was resumed rather than fully negotiated. */
  readonly resumed?: boolean;
}

export interface AuditSink {
  /** A client passed the handshake and the identity rules; requests will be served. */
  connectionOpened(event: ConnectionAuditEvent): void;
  /** A served connection ended; `reason` says who or what ended it. */
  connectionClosed(event: ConnectionAuditEvent): void;
  /** A connection was turned away: TLS handshake failure, certificate rule, connection limit, shutdown. */
  connectionRefused(event: ConnectionAuditEvent): void;
}

/** A sink that drops everything, for callers that audit elsewhere. */
export const NULL_AUDIT_SINK: AuditSink = Object.freeze({
  connectionOpened() {},
  connectionClosed() {},
  connectionRefused() {},
});
