// Test helper: a raw KMIP client over mTLS — sends bytes, reads whole TTLV responses (framed by TtlvFramer).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type TLSSocket } from 'node:tls';
import { TtlvFramer } from '../../src/ttlv/framing.js';

export interface RawClient {
  readonly socket: TLSSocket;
  send(bytes: Uint8Array): void;
  /** The next whole response (waits up to `timeoutMs`). */
  next(timeoutMs?: number): Promise<Buffer>;
  /** Resolves when the server closes the connection. */
  readonly closed: Promise<void>;
  close(): void;
}

export async function rawClient(port: number, certs: string, identity = 'alice'): Promise<RawClient> {
  const socket = connect({
    host: '127.0.0.1',
    port,
    ca: readFileSync(join(certs, 'ca.crt')),
    cert: readFileSync(join(certs, `${identity}.crt`)),
    key: readFileSync(join(certs, `${identity}.key`)),
    servername: 'localhost',
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('secureConnect', resolve);
    socket.once('error', reject);
  });
  const framer = new TtlvFramer(64 * 1024 * 1024);
  const ready: Buffer[] = [];
  const waiting: ((b: Buffer) => void)[] = [];
  socket.on('data', (chunk: Buffer) => {
    for (const m of framer.push(chunk)) {
      const w = waiting.shift();
      if (w !== undefined) w(m);
      else ready.push(m);
    }
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => undefined);
  return {
    socket,
    send: (bytes) => void socket.write(bytes),
    next: (timeoutMs = 10_000) =>
      new Promise<Buffer>((resolve, reject) => {
        const m = ready.shift();
        if (m !== undefined) return resolve(m);
        const timer = setTimeout(() => reject(new Error('no response in time')), timeoutMs);
        waiting.push((b) => {
          clearTimeout(timer);
          resolve(b);
        });
      }),
    closed,
    close: () => socket.destroy(),
  };
}
