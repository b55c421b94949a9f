// Where the transport reports connection events for audit: opened, closed, refused (KMIP 1.4 §10, who connected and why refused).

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
