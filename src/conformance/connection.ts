// The conformance runner's KMIP client connection: TTLV over mutually authenticated TLS (1.4 §10; KMIP Profiles
// §3 TLS), one request at a time, whole responses cut by TtlvFramer, reopened after the server closes it.
import { readFileSync } from 'node:fs';
import { connect, type TLSSocket } from 'node:tls';
import { TtlvFramer } from '../ttlv/framing.js';

export interface ConnectionOptions {
  readonly host: string;
  readonly port: number;
  /** PEM files: the client certificate, its key, and the CA that signed the server's certificate. */
  readonly certFile: string;
  readonly keyFile: string;
  readonly caFile: string;
  /** Name checked against the server's certificate (SNI too). */
  readonly serverName: string;
  /** How long to wait for the TLS handshake and for each response. */
  readonly timeoutMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
/** Largest response accepted: far above any test case's, small enough that a broken length cannot exhaust memory. */
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** The server could not be reached or refused the TLS handshake. */
export class ConnectError extends Error {
  override readonly name = 'ConnectError';
}

/** A request got no response: the server closed the connection or was silent too long. */
export class NoResponseError extends Error {
  override readonly name = 'NoResponseError';
}

interface Credentials {
  readonly cert: Buffer;
  readonly key: Buffer;
  readonly ca: Buffer;
}

export function readCredentials(o: ConnectionOptions): Credentials {
  const read = (what: string, file: string): Buffer => {
    try {
      return readFileSync(file);
    } catch (e) {
      throw new ConnectError(`cannot read the ${what} ${file}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  return { cert: read('client certificate', o.certFile), key: read('client key', o.keyFile), ca: read('CA certificate', o.caFile) };
}

export class KmipConnection {
  private socket: TLSSocket | undefined;
  private framer = new TtlvFramer(MAX_RESPONSE_BYTES);
  private ready: Buffer[] = [];
  private waiter: ((r: Buffer | Error) => void) | undefined;
  private closedReason: string | undefined;
  /** Times the connection was (re)opened, for the verbose report. */
  opened = 0;

  constructor(
    private readonly options: ConnectionOptions,
    private readonly credentials: Credentials = readCredentials(options),
  ) {}

  private get timeoutMs(): number {
    return this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** Sends one request and resolves with the next whole response; opens (or reopens) the connection first. */
  async exchange(request: Uint8Array): Promise<Buffer> {
    if (this.socket === undefined || this.closedReason !== undefined) await this.open();
    const socket = this.socket as TLSSocket;
    return new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new NoResponseError(`no response within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.waiter = (r) => {
        clearTimeout(timer);
        this.waiter = undefined;
        if (r instanceof Error) reject(r);
        else resolve(r);
      };
      socket.write(request);
      const next = this.ready.shift();
      if (next !== undefined) return this.waiter(next);
      if (this.closedReason !== undefined) return this.waiter(new NoResponseError(this.closedReason));
    });
  }

  private async open(): Promise<void> {
    this.close();
    this.framer = new TtlvFramer(MAX_RESPONSE_BYTES);
    this.ready = [];
    this.closedReason = undefined;
    const { host, port, serverName } = this.options;
    const socket = connect({ host, port, servername: serverName, ...this.credentials });
    this.socket = socket;
    this.opened++;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new ConnectError(`TLS connection to ${host}:${port} not established within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      socket.once('secureConnect', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once('error', (e) => {
        clearTimeout(timer);
        reject(new ConnectError(`cannot connect to ${host}:${port}: ${e.message}`));
      });
    });
    // Events of a socket already replaced (closed by us) must not touch the current one.
    const current = (): boolean => this.socket === socket;
    socket.on('data', (chunk: Buffer) => {
      if (!current()) return;
      let messages: Buffer[];
      try {
        messages = this.framer.push(chunk);
      } catch (e) {
        this.fail(`the server sent bytes that are not TTLV: ${e instanceof Error ? e.message : String(e)}`);
        socket.destroy();
        return;
      }
      for (const m of messages) {
        if (this.waiter !== undefined) this.waiter(m);
        else this.ready.push(m);
      }
    });
    socket.on('error', (e) => current() && this.fail(`connection error: ${e.message}`));
    socket.on('close', () => current() && this.fail('the server closed the connection without a response'));
  }

  private fail(reason: string): void {
    this.closedReason ??= reason;
    this.waiter?.(new NoResponseError(this.closedReason));
  }

  close(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }
}
