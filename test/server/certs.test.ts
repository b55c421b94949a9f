// `kmipd certs` and ensureDevCerts: the development PKI is complete, usable, private and idempotent.
import t from 'tap';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDevCerts } from '../../src/certs/dev-certs.js';
import { runCerts } from '../../src/cli/certs.js';

const OID_SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const OID_CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

const dir = mkdtempSync(join(tmpdir(), 'kmipd-certs-test-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const read = (file: string): X509Certificate => new X509Certificate(readFileSync(join(dir, file)));

t.test('ensureDevCerts makes a CA, a server and the clients', async (t) => {
  const result = ensureDevCerts(dir, ['alice', 'carol']);
  const names = ['ca', 'server', 'alice', 'carol'];
  t.same(result.made.sort(), names.flatMap((n) => [`${n}.crt`, `${n}.key`]).map((f) => join(dir, f)).sort());
  const ca = read('ca.crt');
  t.ok(ca.ca, 'ca.crt is a CA');
  for (const name of names) {
    t.equal(statSync(join(dir, `${name}.key`)).mode & 0o777, 0o600, `${name}.key is 0600`);
    if (name !== 'ca') t.ok(read(`${name}.crt`).verify(ca.publicKey), `${name}.crt is signed by the CA`);
  }
  const server = read('server.crt');
  t.equal(server.subjectAltName, 'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
  t.same(server.keyUsage, [OID_SERVER_AUTH]);
  t.match(server.publicKey.asymmetricKeyDetails, { modulusLength: 2048 }, 'RSA-2048: PyKMIP 0.10 can use it');
  const alice = read('alice.crt');
  t.match(alice.subject, /(^|\n)CN=alice$/);
  t.same(alice.keyUsage, [OID_CLIENT_AUTH]);
});

t.test('a second run keeps everything; a missing client is added', async (t) => {
  const before = readFileSync(join(dir, 'server.crt'));
  const again = ensureDevCerts(dir, ['alice', 'dave']);
  t.same(again.made.sort(), [join(dir, 'dave.crt'), join(dir, 'dave.key')]);
  t.ok(again.kept.includes(join(dir, 'ca.key')) && again.kept.includes(join(dir, 'alice.crt')));
  t.same(readFileSync(join(dir, 'server.crt')), before, 'server.crt untouched');
});

t.test('a certificate not signed by the CA is re-issued with its key', async (t) => {
  const key = readFileSync(join(dir, 'alice.key'));
  writeFileSync(join(dir, 'alice.crt'), readFileSync(join(dir, 'carol.crt'))); // signed by the CA, but not alice's
  const result = ensureDevCerts(dir, ['alice']);
  t.same(result.made, [join(dir, 'alice.crt')]);
  t.same(readFileSync(join(dir, 'alice.key')), key, 'the key is kept');
  t.ok(read('alice.crt').checkPrivateKey((await import('node:crypto')).createPrivateKey(key)));
});

t.test('bad client names are refused', async (t) => {
  t.throws(() => ensureDevCerts(dir, ['../evil']), /bad certificate name/);
  t.throws(() => ensureDevCerts(dir, ['server']), /bad certificate name/);
});

t.test('runCerts', async (t) => {
  const out = mkdtempSync(join(tmpdir(), 'kmipd-certs-cli-'));
  t.teardown(() => rmSync(out, { recursive: true, force: true }));
  const writes: string[] = [];
  const sink = { write: (text: string) => writes.push(text) };
  const io = { out: sink, err: sink };
  t.equal(await runCerts(['--dir', out, '--client', 'erin', '--client', 'frank', '--days', '30'], io), 0);
  t.equal(await runCerts(['--dir', out], io), 0, 'a second run (default client alice) succeeds');
  t.equal(await runCerts(['--days', 'ten'], io), 2, 'bad --days is a usage error');
  t.equal(await runCerts(['--bogus'], io), 2, 'unknown option is a usage error');
  t.equal(await runCerts(['--help'], io), 0);
  t.equal(await runCerts(['--dir', out, '--client', 'a/b'], io), 1, 'a bad name fails');
  const text = writes.join('');
  t.match(text, new RegExp(`made ${join(out, 'erin.crt')}`));
  t.match(text, new RegExp(`kept ${join(out, 'server.crt')}`));
  t.match(text, new RegExp(`made ${join(out, 'alice.crt')}`));
  t.match(text, /usage: kmipd certs/);
  const erin = new X509Certificate(readFileSync(join(out, 'erin.crt')));
  const days = (Date.parse(erin.validTo) - Date.parse(erin.validFrom)) / 86_400_000;
  t.equal(Math.round(days), 30, '--days sets the validity');
});
