// The development SoftHSM2 token under the data directory: made once, its PIN in a 0600 file, reused later.
import t from 'tap';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureSoftHsmToken, resolveTokenPin, tokenLabels } from '../../src/keystore/softhsm-token.js';
import { SOFTHSM_MODULE } from './fixtures/softhsm.js';

const dataDir = mkdtempSync(join(tmpdir(), 'kmipd-token-'));
t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
// ensureSoftHsmToken points SOFTHSM2_CONF at dataDir/softhsm2.conf only when it is unset.
delete process.env.SOFTHSM2_CONF;

t.test('the first call makes the configuration, the token and a 0600 PIN file', async (t) => {
  const first = ensureSoftHsmToken(dataDir, 'kmipd-dev');
  t.equal(first.created, true);
  t.equal(first.conf, join(dataDir, 'softhsm2.conf'));
  t.equal(process.env.SOFTHSM2_CONF, first.conf, 'SOFTHSM2_CONF set, as it was unset');
  const conf = readFileSync(first.conf, 'utf8');
  t.match(conf, `directories.tokendir = ${join(dataDir, 'tokens')}`);
  t.match(conf, 'objectstore.backend = file');
  t.match(conf, 'log.level = ERROR');
  const pinFile = join(dataDir, 'token-pin');
  t.equal(statSync(pinFile).mode & 0o777, 0o600, 'PIN file mode 0600');
  t.equal(statSync(join(dataDir, 'token-so-pin')).mode & 0o777, 0o600, 'SO PIN file mode 0600');
  t.equal(readFileSync(pinFile, 'utf8').trim(), first.pin);
  t.match(first.pin, /^[0-9a-f]{48}$/, 'a random PIN');
  t.same(tokenLabels(process.env), ['kmipd-dev'], 'one token');
});

t.test('a second call reuses the token and its PIN', async (t) => {
  const first = readFileSync(join(dataDir, 'token-pin'), 'utf8').trim();
  const second = ensureSoftHsmToken(dataDir, 'kmipd-dev');
  t.equal(second.created, false);
  t.equal(second.pin, first);
  t.same(tokenLabels(process.env), ['kmipd-dev'], 'still one token');
});

t.test('an operator SOFTHSM2_CONF is left alone; the path is returned anyway', async (t) => {
  process.env.SOFTHSM2_CONF = join(dataDir, 'softhsm2.conf'); // same file, but set before the call
  const again = ensureSoftHsmToken(dataDir, 'kmipd-dev');
  t.equal(again.conf, join(dataDir, 'softhsm2.conf'));
  t.equal(again.created, false);
});

t.test('a given PIN makes a second token without touching the PIN file', async (t) => {
  const before = readFileSync(join(dataDir, 'token-pin'), 'utf8');
  const other = ensureSoftHsmToken(dataDir, 'kmipd-other', 'given-pin-1234');
  t.equal(other.created, true);
  t.equal(other.pin, 'given-pin-1234');
  t.equal(readFileSync(join(dataDir, 'token-pin'), 'utf8'), before);
  t.same(tokenLabels(process.env).sort(), ['kmipd-dev', 'kmipd-other']);
});

t.test('a token whose PIN is unknown is an error, not a new token', async (t) => {
  const bare = mkdtempSync(join(tmpdir(), 'kmipd-token-bare-'));
  t.teardown(() => rmSync(bare, { recursive: true, force: true }));
  // Another data directory on the same SoftHSM configuration: the token exists, its PIN file is elsewhere.
  t.throws(() => ensureSoftHsmToken(bare, 'kmipd-dev'), /exists but its PIN is unknown/);
  t.notOk(existsSync(join(bare, 'token-pin')));
});

t.test('bad labels are refused', async (t) => {
  t.throws(() => ensureSoftHsmToken(dataDir, ''), /token label/);
  t.throws(() => ensureSoftHsmToken(dataDir, 'x'.repeat(33)), /token label/);
});

t.test('resolveTokenPin: environment, then PIN file, then dataDir/token-pin', async (t) => {
  const file = join(dataDir, 'other-pin');
  writeFileSync(file, 'from-file\n', { mode: 0o600 });
  t.equal(resolveTokenPin({ pin: 'from-env', pinFile: file, dataDir }), 'from-env');
  t.equal(resolveTokenPin({ pin: undefined, pinFile: file, dataDir }), 'from-file');
  t.equal(resolveTokenPin({ dataDir }), readFileSync(join(dataDir, 'token-pin'), 'utf8').trim());
  t.equal(resolveTokenPin({ dataDir: join(dataDir, 'nowhere') }), undefined);
  t.throws(() => resolveTokenPin({ pinFile: join(dataDir, 'missing'), dataDir }), /cannot read the token PIN file .*ENOENT/);
});

t.test('the made token opens with its PIN', async (t) => {
  const { openPkcs11KeyStore } = await import('../../src/keystore/pkcs11-store.js');
  const { pin } = ensureSoftHsmToken(dataDir, 'kmipd-dev');
  const store = openPkcs11KeyStore({ module: SOFTHSM_MODULE, tokenLabel: 'kmipd-dev', pin });
  t.teardown(() => store.close());
  t.equal(store.currentKekVersion, 1);
});
