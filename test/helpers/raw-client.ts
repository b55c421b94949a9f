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
  /** Resolves when the connection closes; next() then rejects. */
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
  const waiting: { resolve(b: Buffer): void; reject(e: Error): void }[] = [];
  let ended = false;
  socket.on('data', (chunk: Buffer) => {
    for (const m of framer.push(chunk)) {
      const w = waiting.shift();
      if (w !== undefined) w.resolve(m);
      else ready.push(m);
    }
  });
  // a closed connection answers no more: waiting callers learn it at once, not at their timeout
  const closed = new Promise<void>((resolve) =>
    socket.once('close', () => {
      ended = true;
      for (const w of waiting.splice(0)) w.reject(new Error('the connection closed'));
      resolve();
    }),
  );
  socket.on('error', () => undefined);
  return {
    socket,
    send: (bytes) => void socket.write(bytes),
    next: (timeoutMs = 10_000) =>
      new Promise<Buffer>((resolve, reject) => {
        const m = ready.shift();
        if (m !== undefined) return resolve(m);
        if (ended) return reject(new Error('the connection closed'));
        const waiter = {
          resolve: (b: Buffer) => {
            clearTimeout(timer);
            resolve(b);
          },
          reject: (e: Error) => {
            clearTimeout(timer);
            reject(e);
          },
        };
        const timer = setTimeout(() => {
          waiting.splice(waiting.indexOf(waiter), 1);
          reject(new Error(`no response in ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.push(waiter);
      }),
    closed,
    close: () => socket.destroy(),
  };
}
