// The ceiling server (a child process of the server benchmark): bare node:tls with kmipd's TLS settings (mutual
// TLS, session IDs and tickets) that answers each TTLV message with a canned response chosen by the request's
// length: kmipd's own answer to that request, recorded beforehand. No decode, no dispatch, no store, no log:
// what is left is TLS, the sockets and framing, i.e. the most any server could do on this machine.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:tls';
import { DEFAULT_TLS13_CIPHERSUITES, STRONG_TLS12_CIPHERS } from '../../src/server/server-options.js';
import { TtlvFramer } from '../../src/ttlv/framing.js';

export interface CeilingConfig {
  readonly cert: string;
  readonly key: string;
  readonly ca: string;
  /** Request length → response bytes (hex). A request of any other length gets `fallback`. */
  readonly replies: Record<string, string>;
  readonly fallback: string;
}

const config = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as CeilingConfig;
const replies = new Map(Object.entries(config.replies).map(([len, hex]) => [Number(len), Buffer.from(hex, 'hex')]));
const fallback = Buffer.from(config.fallback, 'hex');
const ca = readFileSync(config.ca);
const sessions = new Map<string, Buffer>();

const server = createServer({
  cert: readFileSync(config.cert),
  key: readFileSync(config.key),
  ca,
  requestCert: true,
  rejectUnauthorized: true,
  minVersion: 'TLSv1.2',
  // kmipd's suites in kmipd's order, so that both encrypt with the same cipher
  ciphers: `${DEFAULT_TLS13_CIPHERSUITES}:${STRONG_TLS12_CIPHERS}`,
  honorCipherOrder: true,
  sessionIdContext: createHash('sha256').update(ca).digest('hex').slice(0, 32),
  allowHalfOpen: true,
});
server.on('newSession', (id: Buffer, data: Buffer, done: () => void) => {
  if (sessions.size > 10_000) sessions.clear();
  sessions.set(id.toString('hex'), data);
  done();
});
server.on('resumeSession', (id: Buffer, done: (e: Error | null, data: Buffer | null) => void) => {
  done(null, sessions.get(id.toString('hex')) ?? null);
});
server.on('secureConnection', (socket) => {
  socket.setNoDelay(true);
  const framer = new TtlvFramer(1 << 20);
  socket.on('data', (chunk: Buffer) => {
    for (const m of framer.push(chunk)) socket.write(replies.get(m.length) ?? fallback);
  });
  socket.on('end', () => socket.end());
  socket.on('error', () => socket.destroy());
});
server.on('tlsClientError', (_e, socket) => socket.destroy());
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ listening: typeof address === 'object' && address !== null ? address.port : 0 });
});
process.once('SIGTERM', () => process.exit(0));
