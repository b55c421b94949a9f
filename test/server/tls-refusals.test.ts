// Clients the mTLS transport must turn away, each audited with its reason (KMIP 1.4 §10).
import t from 'tap';
import { connect, type ConnectionOptions } from 'node:tls';
import { closeOf, makePki, request, startServer, type Pki, type Running } from './fixtures/tls-fixtures.js';

const pki: Pki = makePki();
t.teardown(() => pki.cleanup());

/** Connects, sends one request if the handshake lets it, and waits for the server to hang up. */
async function attempt(running: Running, options: ConnectionOptions): Promise<{ answered: boolean }> {
  const socket = connect({ host: '127.0.0.1', port: running.port, servername: 'localhost', ca: pki.cert('ca'), ...options });
  let answered = false;
  socket.on('secureConnect', () => socket.write(request(1)));
  socket.on('data', () => {
    answered = true;
    socket.end();
  });
  await closeOf(socket);
  return { answered };
}

const client = (name: string): ConnectionOptions => ({ cert: pki.cert(name), key: pki.key(name) });

t.test('refused clients', async (t) => {
  const running = await startServer(pki);
  t.teardown(() => running.server.close());
  const cases: [string, ConnectionOptions, RegExp][] = [
    ['no client certificate', {}, /no client certificate/],
    ['a certificate from an untrusted CA', client('other/mallory'), /client certificate rejected: UNABLE_TO_(VERIFY_LEAF_SIGNATURE|GET_ISSUER_CERT)/],
    ['an expired certificate', client('expired'), /client certificate rejected: CERT_HAS_EXPIRED/],
    // OpenSSL's own purpose check (ssl_client) already refuses an EKU without clientAuth.
    ['a certificate with serverAuth only', client('serveronly'), /INVALID_PURPOSE \(extendedKeyUsage does not allow clientAuth\)/],
    ['a certificate without extendedKeyUsage', client('noeku'), /no extendedKeyUsage/],
    ['a certificate with two CNs', client('twocn'), /more than one CN/],
    ['TLS 1.1', { ...client('alice'), minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' }, /TLS version not allowed/],
    ['TLS 1.2 without a strong suite', { ...client('alice'), maxVersion: 'TLSv1.2', ciphers: 'AES256-SHA256' }, /no TLS cipher suite in common/],
  ];
  for (const [name, options, reason] of cases) {
    const before = running.audit.events.length;
    const { answered } = await attempt(running, options);
    t.notOk(answered, `${name}: no request answered`);
    const event = await running.audit.waitFor((e) => running.audit.events.indexOf(e) >= before && e.kind === 'refused');
    t.match(event.reason, reason, `${name}: refused and audited with its reason`);
    t.notOk(running.audit.events.slice(before).some((e) => e.kind === 'opened'), `${name}: never opened`);
  }
  t.equal(running.handler.contexts.length, 0, 'the handler never saw a refused client');
  t.equal(running.server.connections, 0);
  // The expired client's certificate is named in the audit record.
  const expired = running.audit.events.find((e) => /CERT_HAS_EXPIRED/.test(e.reason ?? ''));
  t.match(expired?.fingerprint, /^[0-9a-f]{64}$/);
});

t.test('the EKU rule can be switched off, the CN rule cannot be fooled', async (t) => {
  const running = await startServer(pki, { identity: { requireClientAuthEku: false } });
  t.teardown(() => running.server.close());
  const { answered } = await attempt(running, client('noeku'));
  t.ok(answered, 'a certificate without EKU is served when the rule is off');
  const refused = await attempt(running, client('twocn'));
  t.notOk(refused.answered, 'two CNs are still refused');
});

t.test('the connection limit refuses the one too many', async (t) => {
  const running = await startServer(pki, { maxConnections: 3 });
  t.teardown(() => running.server.close());
  const sockets = [];
  for (let i = 0; i < 3; i++) {
    const socket = connect({ host: '127.0.0.1', port: running.port, servername: 'localhost', ca: pki.cert('ca'), ...client('alice') });
    await new Promise((resolve) => socket.once('secureConnect', resolve));
    sockets.push(socket);
  }
  await t.resolves(running.audit.waitFor(() => running.server.connections === 3), 'three served');
  const { answered } = await attempt(running, client('alice'));
  t.notOk(answered, 'the fourth is closed');
  const event = await running.audit.waitFor((e) => e.kind === 'refused');
  t.match(event.reason, /connection limit of 3 reached/);
  // A slot freed is a slot usable again.
  const closing = closeOf(sockets[0]!);
  sockets[0]!.end();
  await closing;
  await running.audit.waitFor((e) => e.kind === 'closed');
  const again = await attempt(running, client('alice'));
  t.ok(again.answered, 'served again once a connection closed');
  for (const socket of sockets) socket.destroy();
});

t.test('a handshake that never finishes is cut and audited', async (t) => {
  const running = await startServer(pki, { handshakeTimeoutMs: 300 });
  t.teardown(() => running.server.close());
  const { Socket } = await import('node:net');
  const raw = new Socket();
  raw.connect(running.port, '127.0.0.1');
  raw.on('error', () => {});
  const started = Date.now();
  await new Promise((resolve) => raw.once('close', resolve));
  t.ok(Date.now() - started < 3_000, 'closed soon after the handshake timeout');
  const event = await running.audit.waitFor((e) => e.kind === 'refused');
  t.match(event.reason, /TLS handshake not finished in time/);
  t.match(event.peer, /^127\.0\.0\.1:\d+$/);
});

t.test('TLS 1.2 renegotiation (a second certificate mid-connection) is refused', async (t) => {
  const running = await startServer(pki);
  t.teardown(() => running.server.close());
  const socket = connect({ host: '127.0.0.1', port: running.port, servername: 'localhost', ca: pki.cert('ca'),
    maxVersion: 'TLSv1.2', ...client('alice') });
  await new Promise((resolve) => socket.once('secureConnect', resolve));
  socket.on('error', () => {});
  socket.renegotiate({ rejectUnauthorized: true }, () => {});
  socket.write(request(1));
  const event = await running.audit.waitFor((e) => e.kind === 'closed');
  t.match(event.reason, /RENEGOTIATION_DISABLED/, 'the server closed the connection');
  socket.destroy();
});
