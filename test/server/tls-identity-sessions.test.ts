// Accepted clients: identity by CN, subjectAltName or fingerprint; TLS session resumption; the profiles' TLS 1.2 suites (KMIP 1.4 §10).
import t from 'tap';
import type tap from 'tap';
import { X509Certificate, constants } from 'node:crypto';
import { connect } from 'node:tls';
import { closeOf, connectClient, makePki, type TestClient, numberOf, request, startServer, type Pki, type Running } from './fixtures/tls-fixtures.js';
import { KMIP_PROFILE_TLS12_CIPHERS, STRONG_TLS12_CIPHERS } from '../../src/server/server-options.js';

const pki: Pki = makePki();
t.teardown(() => pki.cleanup());

/** Connects as NAME, makes one request, and returns the identity the handler saw. */
async function identityOf(running: Running, name: string): Promise<string | undefined> {
  const client = await connectClient(pki, running.port, name);
  client.send(request(7));
  const answer = await client.next();
  client.close();
  await client.closed;
  return answer ? running.handler.contexts.at(-1)?.identity.name : undefined;
}

t.test('identity is the subject CN by default', async (t) => {
  const running = await startServer(pki);
  t.teardown(() => running.server.close());
  t.equal(await identityOf(running, 'alice'), 'alice');
  t.equal(await identityOf(running, 'bob'), 'bob');
  const context = running.handler.contexts[0]!;
  t.match(context, { peer: /^127\.0\.0\.1:\d+$/, tlsVersion: 'TLSv1.3' });
  const der = new X509Certificate(pki.cert('alice')).fingerprint256.replaceAll(':', '').toLowerCase();
  t.equal(context.identity.fingerprint, der, 'the context carries the certificate fingerprint');
  const opened = await running.audit.waitFor((e) => e.kind === 'opened');
  t.match(opened, { identity: 'alice', tlsVersion: 'TLSv1.3', fingerprint: der, resumed: false });
  const closed = await running.audit.waitFor((e) => e.kind === 'closed' && e.connectionId === opened.connectionId);
  t.match(closed, { identity: 'alice', reason: 'client closed' });
});

t.test('identity from a subjectAltName', async (t) => {
  const first = await startServer(pki, { identity: { source: 'san' } });
  t.teardown(() => first.server.close());
  t.equal(await identityOf(first, 'sans'), 'array1.example.com', 'default order DNS, email, URI: the DNS name');
  t.equal(await identityOf(first, 'alice'), undefined, 'a certificate without SAN is refused');
  t.match((await first.audit.waitFor((e) => e.kind === 'refused')).reason, /no subjectAltName of type DNS\/email\/URI/);

  const email = await startServer(pki, { identity: { source: 'san', sanTypes: ['email'] } });
  t.teardown(() => email.server.close());
  t.equal(await identityOf(email, 'sans'), 'ops@example.com');

  const uri = await startServer(pki, { identity: { source: 'san', sanTypes: ['URI', 'DNS'] } });
  t.teardown(() => uri.server.close());
  t.equal(await identityOf(uri, 'sans'), 'spiffe://example.com/array1');
});

t.test('identity from the certificate fingerprint', async (t) => {
  const running = await startServer(pki, { identity: { source: 'fingerprint' } });
  t.teardown(() => running.server.close());
  const expected = new X509Certificate(pki.cert('twocn')).fingerprint256.replaceAll(':', '').toLowerCase();
  t.equal(await identityOf(running, 'twocn'), expected, 'the CN rule does not apply to fingerprint identities');
});

/** Connects, waits for a session to be handed out, and returns the socket and that session. */
async function sessionFrom(running: Running, extra: object): Promise<Buffer> {
  const client = await connectClient(pki, running.port, 'alice', extra);
  client.send(request(1)); // TLS 1.3 tickets come after the handshake: read something first
  await client.next();
  client.close();
  await client.closed;
  const session = client.sessions.at(-1);
  if (!session) throw new Error('no session handed out');
  return session;
}

async function resumed(t: Pick<typeof tap, 'equal' | 'match'>, running: Running, extra: object): Promise<TestClient> {
  const session = await sessionFrom(running, extra);
  const client = await connectClient(pki, running.port, 'alice', { ...extra, session });
  client.send(request(2));
  t.equal(numberOf((await client.next())!), 2, 'the resumed connection is served');
  t.equal(client.socket.isSessionReused(), true, 'the client resumed its session');
  t.equal(running.handler.contexts.at(-1)?.identity.name, 'alice', 'with the identity of the original certificate');
  const opened = running.audit.events.filter((e) => e.kind === 'opened');
  t.match(opened.at(-1), { resumed: true, identity: 'alice' }, 'audited as resumed');
  client.close();
  await client.closed;
  return client;
}

t.test('TLS session resumption', async (t) => {
  const running = await startServer(pki);
  t.teardown(() => running.server.close());
  t.test('TLS 1.3 ticket', async (t) => {
    const socket = await resumed(t, running, { minVersion: 'TLSv1.3' });
    t.equal(socket.protocol, 'TLSv1.3');
  });
  t.test('TLS 1.2 ticket', async (t) => {
    const socket = await resumed(t, running, { maxVersion: 'TLSv1.2' });
    t.equal(socket.protocol, 'TLSv1.2');
  });
  t.test('TLS 1.2 session ID (client without tickets)', async (t) => {
    const socket = await resumed(t, running, { maxVersion: 'TLSv1.2', secureOptions: constants.SSL_OP_NO_TICKET });
    t.equal(socket.protocol, 'TLSv1.2');
  });
  t.equal(running.server.options.sessionLifetimeSeconds >= 3600, true, 'sessions live at least an hour by default');
});

t.test('a session of a refused client does not let it in', async (t) => {
  const running = await startServer(pki);
  t.teardown(() => running.server.close());
  for (const extra of [{ maxVersion: 'TLSv1.2' as const }, { minVersion: 'TLSv1.3' as const }]) {
    const first = connect({ host: '127.0.0.1', port: running.port, servername: 'localhost', ca: pki.cert('ca'),
      cert: pki.cert('expired'), key: pki.key('expired'), ...extra });
    let session: Buffer | undefined;
    first.on('session', (handed: Buffer) => (session = handed));
    await closeOf(first);
    if (session === undefined) {
      t.pass(`${extra.maxVersion ?? extra.minVersion}: no session was handed out`);
      continue;
    }
    const again = await connectClient(pki, running.port, 'expired', { ...extra, session }).catch(() => undefined);
    if (again) {
      again.send(request(3));
      t.equal(await again.next(), undefined, `${extra.maxVersion ?? extra.minVersion}: the resumed session is refused too`);
    } else {
      t.pass(`${extra.maxVersion ?? extra.minVersion}: the resumption failed at the handshake`);
    }
  }
  t.equal(running.handler.contexts.length, 0, 'no request of the expired client was handled');
  t.equal(running.audit.events.filter((e) => e.kind === 'opened').length, 0);
});

t.test("the KMIP profiles' TLS 1.2 suites can be enabled for older arrays", async (t) => {
  const running = await startServer(pki, { ciphers: `${STRONG_TLS12_CIPHERS}:${KMIP_PROFILE_TLS12_CIPHERS}` });
  t.teardown(() => running.server.close());
  const client = await connectClient(pki, running.port, 'alice', { maxVersion: 'TLSv1.2', ciphers: 'AES256-SHA256' });
  t.equal(client.socket.getCipher().name, 'AES256-SHA256');
  client.send(request(5));
  t.equal(numberOf((await client.next())!), 5);
  client.close();
  await client.closed;
  // A client that can do better still gets a strong suite.
  const modern = await connectClient(pki, running.port, 'alice', { maxVersion: 'TLSv1.2' });
  t.match(modern.socket.getCipher().name, /^ECDHE-RSA-(AES256-GCM-SHA384|CHACHA20-POLY1305)$/);
  modern.close();
  await modern.closed;
});
