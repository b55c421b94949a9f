// The narrow interface between the TLS transport and the KMIP protocol layer (DESIGN: server/ → protocol/).
import type { TtlvError } from '../ttlv/ttlv-error.js';

/** Who is on the other end of a connection, from its verified client certificate. */
export interface ClientIdentity {
  /** The identity string the server uses for ownership (subject CN by default). */
  readonly name: string;
  /** SHA-256 fingerprint of the client certificate, hex, for audit. */
  readonly fingerprint: string;
}

export interface ConnectionContext {
  readonly connectionId: number;
  readonly peer: string;
  readonly identity: ClientIdentity;
  /** Negotiated TLS version, e.g. "TLSv1.3". */
  readonly tlsVersion: string;
}

export interface KmipHandler {
  /** Answer one whole framed request message. Never rejects: every fault becomes a KMIP error response. */
  handle(message: Buffer, ctx: ConnectionContext): Promise<Buffer>;
  /**
   * The response to send when the stream can no longer be framed (e.g. a header announcing more than the
   * size limit); the transport sends it and closes the connection. `header` holds the bytes read so far.
   */
  framingError(error: TtlvError, header: Buffer, ctx: ConnectionContext): Buffer;
}
