// A client connection of the load generator: mutual TLS (node:tls) to any KMIP server, one request in flight,
// responses cut out of the stream by TTLV framing (1.4 §9.1; KMIP profiles: TLS).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { TtlvFramer } from '../../src/ttlv/framing.js';

export interface Target {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  /** Directory holding ca.crt and CLIENT.crt / CLIENT.key. */
  readonly certs: string;
  readonly client: string;
  readonly tlsVersion: 'TLSv1.2' | 'TLSv1.3';
  /** The name the server's certificate is checked against (default localhost, as the development certificates have). */
  readonly servername?: string;
}

/** TLS options read once per target: reading PEM files per connection would be the generator's cost, not the server's. */
export function tlsOptions(t: Target): ConnectionOptions {
  return {
    host: t.host,
    port: t.port,
    ca: readFileSync(join(t.certs, 'ca.crt')),
    cert: readFileSync(join(t.certs, `${t.client}.crt`)),
    key: readFileSync(join(t.certs, `${t.client}.key`)),
    servername: t.servername ?? 'localhost',
    minVersion: t.tlsVersion,
    maxVersion: t.tlsVersion,
  };
}

export class KmipConnection {
  private readonly framer = new TtlvFramer(64 * 1024 * 1024);
  private pending: ((err: Error | undefined, response?: Buffer) => void) | undefined;
  private closedError: Error | undefined;

  private constructor(readonly socket: TLSSocket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      for (const m of this.framer.push(chunk)) {
        const p = this.pending;
        this.pending = undefined;
        if (p !== undefined) p(undefined, m);
      }
    });
    const fail = (err: Error): void => {
      this.closedError ??= err;
      const p = this.pending;
      this.pending = undefined;
      if (p !== undefined) p(err);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed by the server')));
  }

  /** Connects and completes the handshake; `session` resumes an earlier TLS session. */
  static open(options: ConnectionOptions, session?: Buffer, onSession?: (s: Buffer) => void): Promise<KmipConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect(session === undefined ? options : { ...options, session });
      // TLS 1.2 hands its session over during the handshake, TLS 1.3 its tickets after it: listen from the start
      if (onSession !== undefined) socket.on('session', onSession);
      socket.once('secureConnect', () => {
        socket.off('error', reject);
        resolve(new KmipConnection(socket));
      });
      socket.once('error', reject);
    });
  }

  /** Sends one request and resolves with its response. One request at a time per connection. */
  exchange(bytes: Uint8Array): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      if (this.closedError !== undefined) return reject(this.closedError);
      if (this.pending !== undefined) return reject(new Error('a request is already in flight on this connection'));
      this.pending = (err, response) => (err === undefined ? resolve(response!) : reject(err));
      this.socket.write(bytes);
    });
  }

  get resumed(): boolean {
    return this.socket.isSessionReused();
  }

  close(): void {
    this.socket.end();
    this.socket.destroySoon();
  }

  destroy(): void {
    this.socket.destroy();
  }
}
