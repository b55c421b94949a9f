// `kmipd token init|status|rotate-kek` through runToken, against a SoftHSM2 token made under a temporary data dir.
import t from 'tap';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dataDir = mkdtempSync(join(tmpdir(), 'kmipd-cli-token-'));
t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
// SoftHSM reads SOFTHSM2_CONF in C_Initialize: point it at the file `token init` writes, before any module loads.
process.env.SOFTHSM2_CONF = join(dataDir, 'softhsm2.conf');
for (const name of ['KMIPD_TOKEN_PIN', 'KMIPD_TOKEN_PIN_FILE', 'KMIPD_TOKEN_LABEL', 'KMIPD_DATA_DIR', 'KMIPD_CONFIG']) delete process.env[name];

const { runToken } = await import('../../src/cli/token.js');

/** Runs the command, capturing what it writes. */
async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const write = { out: process.stdout.write, err: process.stderr.write };
  process.stdout.write = ((chunk: string | Uint8Array) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => (err.push(String(chunk)), true)) as typeof process.stderr.write;
  try {
    const code = await runToken(argv);
    return { code, out: out.join(''), err: err.join('') };
  } finally {
    process.stdout.write = write.out;
    process.stderr.write = write.err;
  }
}

const common = ['--data-dir', dataDir, '--token-label', 'cli-test'];

t.test('status before init fails with a clear message', async (t) => {
  const r = await run('status', ...common);
  t.equal(r.code, 1);
  t.match(r.err, /no token PIN/);
});

t.test('init makes the token, the PIN file and KEK version 1', async (t) => {
  const r = await run('init', ...common);
  t.equal(r.code, 0, r.err);
  t.match(r.out, 'token "cli-test": created');
  t.match(r.out, `user PIN saved in ${join(dataDir, 'token-pin')}`);
  t.match(r.out, 'KEK versions: 1\n');
  t.match(r.out, 'current KEK version: 1\n');
  const pin = readFileSync(join(dataDir, 'token-pin'), 'utf8').trim();
  t.equal(statSync(join(dataDir, 'token-pin')).mode & 0o777, 0o600);
  t.notMatch(r.out + r.err, pin, 'the PIN is never printed');
});

t.test('init again finds the token and the KEK', async (t) => {
  const r = await run('init', ...common);
  t.equal(r.code, 0, r.err);
  t.match(r.out, 'token "cli-test": found');
  t.match(r.out, 'KEK versions: 1\n');
});

t.test('status lists the KEK versions', async (t) => {
  const r = await run('status', ...common);
  t.equal(r.code, 0, r.err);
  t.match(r.out, 'token: cli-test\nKEK versions: 1\ncurrent KEK version: 1\n');
});

t.test('rotate-kek makes the next version', async (t) => {
  const r = await run('rotate-kek', ...common);
  t.equal(r.code, 0, r.err);
  t.match(r.out, 'made KEK version 2 (kmipd-kek-2) on token "cli-test"; it was 1');
  t.match(r.out, 'KEK versions: 1, 2\ncurrent KEK version: 2\n');
  const s = await run('status', ...common);
  t.match(s.out, 'KEK versions: 1, 2\ncurrent KEK version: 2\n');
});

t.test('the PIN from KMIPD_TOKEN_PIN or --token-pin-file; a wrong one fails without showing it', async (t) => {
  const pin = readFileSync(join(dataDir, 'token-pin'), 'utf8').trim();
  const wrong = join(dataDir, 'wrong-pin');
  writeFileSync(wrong, 'not-the-pin-42\n', { mode: 0o600 });
  const bad = await run('status', ...common, '--token-pin-file', wrong);
  t.equal(bad.code, 1);
  t.match(bad.err, /CKR_PIN_INCORRECT/);
  t.notMatch(bad.err, 'not-the-pin-42');
  process.env.KMIPD_TOKEN_PIN = pin;
  t.teardown(() => delete process.env.KMIPD_TOKEN_PIN);
  const good = await run('status', ...common, '--token-pin-file', wrong);
  t.equal(good.code, 0, 'KMIPD_TOKEN_PIN wins over the file');
});

t.test('usage errors', async (t) => {
  t.equal((await run('status', ...common, '--token-pin', '1234')).code, 2, 'never a PIN flag');
  t.match((await run('status', ...common, '--token-pin=1234')).err, /never taken from a flag/);
  t.equal((await run(...common)).code, 2, 'no subcommand');
  t.equal((await run('frobnicate', ...common)).code, 2);
  t.equal((await run('status', '--bogus', 'x')).code, 2);
  const help = await run('--help');
  t.equal(help.code, 0);
  t.match(help.out, 'usage: kmipd token init|rotate-kek|status');
});

t.test('an unknown token label fails', async (t) => {
  const r = await run('status', '--data-dir', dataDir, '--token-label', 'absent');
  t.equal(r.code, 1);
  t.match(r.err, /no token labelled "absent"/);
});
