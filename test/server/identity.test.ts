// Identity rules over certificates, the server options' defaults and checks, the session cache (KMIP 1.4 §10).
import t from 'tap';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { issueCertificate } from '../../src/certs/dev-certs.js';
import { identityFromCertificate, parseSubjectAltName } from '../../src/server/identity.js';
import { DEFAULT_SERVER_OPTIONS, resolveServerOptions, type IdentityOptions } from '../../src/server/server-options.js';
import { SessionCache } from '../../src/server/session-cache.js';
import { makePki, type Pki } from './fixtures/tls-fixtures.js';

const pki: Pki = makePki();
t.teardown(() => pki.cleanup());

const x509 = (name: string): X509Certificate => new X509Certificate(pki.cert(name));
const cn: IdentityOptions = { source: 'cn', sanTypes: ['DNS', 'email', 'URI'], requireClientAuthEku: true };

t.test('subject CN', async (t) => {
  t.match(identityFromCertificate(x509('alice'), cn), { ok: true, identity: { name: 'alice', fingerprint: /^[0-9a-f]{64}$/ } });
  t.match(identityFromCertificate(x509('twocn'), cn), { ok: false, reason: /more than one CN/ });
  t.match(identityFromCertificate(x509('noeku'), cn), { ok: false, reason: /no extendedKeyUsage/ });
  t.match(identityFromCertificate(x509('serveronly'), cn), { ok: false, reason: /lacks clientAuth/ });
  t.match(identityFromCertificate(x509('noeku'), { ...cn, requireClientAuthEku: false }), { ok: true, identity: { name: 'noeku' } });
  // The same answer from the tls.PeerCertificate form.
  t.match(identityFromCertificate(x509('alice').toLegacyObject(), cn), { ok: true, identity: { name: 'alice' } });
});

t.test('a CN with a control character is refused', async (t) => {
  issueCertificate(pki.dir, { name: 'ctrl', subject: '/CN=alice\nadmin', extendedKeyUsage: 'clientAuth' });
  const cert = new X509Certificate(readFileSync(join(pki.dir, 'ctrl.crt')));
  t.match(identityFromCertificate(cert, cn), { ok: false, reason: /control characters/ });
});

t.test('subjectAltName', async (t) => {
  const sans = x509('sans');
  t.match(identityFromCertificate(sans, { ...cn, source: 'san' }), { ok: true, identity: { name: 'array1.example.com' } });
  t.match(identityFromCertificate(sans, { ...cn, source: 'san', sanTypes: ['email'] }), { ok: true, identity: { name: 'ops@example.com' } });
  t.match(identityFromCertificate(sans, { ...cn, source: 'san', sanTypes: ['IP'] }), { ok: false, reason: /no subjectAltName of type IP/ });
  t.match(identityFromCertificate(x509('server'), { ...cn, source: 'san', sanTypes: ['IP'], requireClientAuthEku: false }),
    { ok: true, identity: { name: '127.0.0.1' } });
});

t.test('fingerprint', async (t) => {
  const cert = x509('twocn');
  const result = identityFromCertificate(cert, { ...cn, source: 'fingerprint' });
  t.match(result, { ok: true, identity: { name: cert.fingerprint256.replaceAll(':', '').toLowerCase() } });
});

t.test('parseSubjectAltName reads node’s quoting, so a value cannot forge an entry', async (t) => {
  t.same(parseSubjectAltName('DNS:a.example, email:b@c, IP Address:::1'), [
    { type: 'DNS', value: 'a.example' },
    { type: 'email', value: 'b@c' },
    { type: 'IP Address', value: '::1' },
  ]);
  t.same(parseSubjectAltName('DNS:"evil, DNS:admin", URI:x:y'), [
    { type: 'DNS', value: 'evil, DNS:admin' },
    { type: 'URI', value: 'x:y' },
  ]);
  t.same(parseSubjectAltName(''), []);
});

t.test('server options', async (t) => {
  const tls = { cert: 'c', key: 'k', ca: 'a' };
  const options = resolveServerOptions({ tls });
  t.match(options, {
    port: 5696,
    minTlsVersion: 'TLSv1.2',
    maxTlsVersion: 'TLSv1.3',
    identity: { source: 'cn', requireClientAuthEku: true },
    maxMessageBytes: 4 * 1024 * 1024,
  });
  t.ok(options.sessionLifetimeSeconds >= 3600, 'sessions resumable for at least an hour');
  t.notMatch(DEFAULT_SERVER_OPTIONS.ciphers, /CBC|^AES|:AES|RSA-AES\d+-SHA/, 'default TLS 1.2 suites are ECDHE + AEAD only');
  t.equal(resolveServerOptions({ tls, port: undefined }).port, 5696, 'undefined keeps the default');
  t.match(resolveServerOptions({ tls, identity: { source: 'san' } }).identity, { source: 'san', sanTypes: ['DNS', 'email', 'URI'] });
  t.throws(() => resolveServerOptions({ tls, maxConnections: 0 }), /maxConnections must be an integer/);
  t.throws(() => resolveServerOptions({ tls, idleTimeoutMs: 1.5 }), /idleTimeoutMs/);
  t.throws(() => resolveServerOptions({ tls, minTlsVersion: 'TLSv1.1' as 'TLSv1.2' }), /TLS versions/);
  t.throws(() => resolveServerOptions({ tls, minTlsVersion: 'TLSv1.3', maxTlsVersion: 'TLSv1.2' }), /above maxTlsVersion/);
  t.throws(() => resolveServerOptions({ tls, identity: { source: 'ou' as 'cn' } }), /identity.source/);
  t.throws(() => resolveServerOptions({ tls, identity: { sanTypes: [] } }), /sanTypes/);
  t.throws(() => resolveServerOptions({ tls, ticketKeys: Buffer.alloc(16) }), /48 bytes/);
  t.throws(() => resolveServerOptions({ tls: { cert: 'c', key: 'k', ca: '' } }), /cert, key and ca/);
});

t.test('session cache: bounded and expiring', async (t) => {
  let now = 0;
  const cache = new SessionCache(2, 1_000, () => now);
  const id = (n: number): Buffer => Buffer.from([n]);
  cache.set(id(1), Buffer.from('one'));
  cache.set(id(2), Buffer.from('two'));
  cache.set(id(3), Buffer.from('three'));
  t.equal(cache.size, 2);
  t.equal(cache.get(id(1)), undefined, 'the oldest went first');
  t.same(cache.get(id(3)), Buffer.from('three'));
  now = 1_000;
  t.equal(cache.get(id(3)), undefined, 'expired after its lifetime');
});
