// loadConfig: defaults, then the JSON file, then the environment, then flags; every CONFIG_KEYS entry in each form; refusals name key and source.
import t, { type Test } from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFIG_KEYS, ConfigError, loadConfig, type ConfigKey, type ConfigSources, type KmipdConfig } from '../src/config.js';

const cwd = mkdtempSync(join(tmpdir(), 'kmipd-config-'));
t.teardown(() => rmSync(cwd, { recursive: true, force: true }));

const PATH_KEYS: readonly ConfigKey[] = ['tlsCert', 'tlsKey', 'tlsCa', 'dataDir', 'tokenPinFile', 'credentialsFile'];
const KEYS = Object.keys(CONFIG_KEYS) as ConfigKey[];

function load(sources: Partial<ConfigSources> = {}): KmipdConfig {
  return loadConfig({ env: {}, argv: [], cwd, ...sources });
}

/** Writes a config file under cwd and returns its name relative to cwd. */
let files = 0;
function configFile(content: unknown): string {
  const name = `config-${++files}.json`;
  writeFileSync(join(cwd, name), typeof content === 'string' ? content : JSON.stringify(content));
  return name;
}

/** loadConfig must throw a ConfigError whose message matches. */
function refused(t: Test, sources: Partial<ConfigSources>, message: string | RegExp, what = String(message)): void {
  let error: unknown;
  try {
    load(sources);
  } catch (e) {
    error = e;
  }
  if (!(error instanceof ConfigError)) {
    t.fail(`${what}: a ConfigError, not ${String(error)}`);
    return;
  }
  if (typeof message === 'string') t.equal(error.message, message, what);
  else t.match(error.message, message, what);
}

/** A text value for the key that differs from its default, and the value it should load as. */
function sample(key: ConfigKey): { text: string; value: unknown } {
  const def: { kind: string; default: unknown; allowed?: readonly string[] } = CONFIG_KEYS[key];
  switch (def.kind) {
    case 'integer':
      return { text: '4242', value: 4242 };
    case 'boolean':
      return def.default === true ? { text: 'false', value: false } : { text: 'true', value: true };
    case 'list':
      return { text: 'alice, bob', value: ['alice', 'bob'] };
    default: {
      const text = def.allowed !== undefined ? def.allowed.find((a) => a !== def.default)! : `${key}-value`;
      return { text, value: PATH_KEYS.includes(key) ? join(cwd, text) : text };
    }
  }
}

t.test('defaults, with relative default paths under cwd', async (t) => {
  const c = load();
  for (const key of KEYS) {
    const d = CONFIG_KEYS[key].default;
    t.same(c[key], PATH_KEYS.includes(key) && typeof d === 'string' ? join(cwd, d) : d, key);
  }
  t.equal(c.port, 5696);
  t.equal(c.host, '0.0.0.0');
  t.equal(c.tlsCert, join(cwd, 'certs/server.crt'));
  t.equal(c.dataDir, join(cwd, 'data'));
  t.equal(c.tokenPin, undefined);
  t.equal(c.testMode, false);
  t.same(c.admins, []);
  t.ok(Object.isFrozen(c), 'frozen');
  t.same(Object.keys(c).sort(), [...KEYS].sort(), 'exactly the keys of the table');
});

t.test('each source overrides the one before: file, environment, flags', async (t) => {
  const file = configFile({ port: 1001, host: 'file-host', logLevel: 'warn', admins: ['file-admin'] });
  const fromFile = load({ argv: ['--config', file] });
  t.same([fromFile.port, fromFile.host, fromFile.logLevel, fromFile.admins], [1001, 'file-host', 'warn', ['file-admin']]);
  t.equal(fromFile.tokenLabel, 'kmipd', 'keys the file does not name keep their defaults');

  const env = { KMIPD_PORT: '1002', KMIPD_HOST: 'env-host' };
  const fromEnv = load({ argv: ['--config', file], env });
  t.same([fromEnv.port, fromEnv.host, fromEnv.logLevel, fromEnv.admins], [1002, 'env-host', 'warn', ['file-admin']]);

  const fromFlags = load({ argv: ['--config', file, '--port', '1003'], env });
  t.same([fromFlags.port, fromFlags.host, fromFlags.logLevel], [1003, 'env-host', 'warn']);

  t.equal(load({ env: { KMIPD_PORT: '' } }).port, 5696, 'an empty variable is unset');
  t.equal(load({ argv: ['--port', '1', '--port', '2'] }).port, 2, 'the last of a repeated flag wins');
});

t.test('every key in its environment form', async (t) => {
  for (const key of KEYS) {
    const { text, value } = sample(key);
    const env = CONFIG_KEYS[key].env;
    t.match(env, /^KMIPD_[A-Z0-9_]+$/, `${key}: ${env}`);
    t.same(load({ env: { [env]: text } })[key], value, `${env}=${text}`);
  }
  t.equal(new Set(KEYS.map((k) => CONFIG_KEYS[k].env)).size, KEYS.length, 'no two keys share a variable');
});

t.test('every key with a flag in its flag forms; every key in the file', async (t) => {
  for (const key of KEYS) {
    const def: { kind: string; flag?: string } = CONFIG_KEYS[key];
    const { text, value } = sample(key);
    if (def.flag !== undefined) {
      t.same(load({ argv: [`--${def.flag}`, text] })[key], value, `--${def.flag} ${text}`);
      t.same(load({ argv: [`--${def.flag}=${text}`] })[key], value, `--${def.flag}=${text}`);
    } else {
      t.equal(key, 'tokenPin', 'only the PIN has no flag');
    }
    const json = CONFIG_KEYS[key].kind === 'list' ? ['alice', 'bob'] : CONFIG_KEYS[key].kind === 'string' ? text : value;
    t.same(load({ argv: ['--config', configFile({ [key]: json })] })[key], value, `file key ${key}`);
  }
});

t.test('booleans', async (t) => {
  for (const text of ['true', '1', 'yes', 'on']) t.equal(load({ env: { KMIPD_TEST_MODE: text } }).testMode, true, text);
  for (const text of ['false', '0', 'no', 'off']) t.equal(load({ env: { KMIPD_DEV_CERTS: text } }).devCerts, false, text);
  t.equal(load({ argv: ['--test-mode'] }).testMode, true, 'a bare flag is true');
  const c = load({ argv: ['--test-mode', '--port', '7'] });
  t.same([c.testMode, c.port], [true, 7], 'a bare flag before another flag');
  t.equal(load({ argv: ['--dev-certs', 'false'] }).devCerts, false, 'a flag with its value');
  t.equal(load({ argv: ['--dev-certs=no'] }).devCerts, false);
  refused(t, { env: { KMIPD_TEST_MODE: 'maybe' } }, 'environment KMIPD_TEST_MODE: "maybe" is not a boolean');
  refused(t, { env: { KMIPD_TEST_MODE: 'TRUE' } }, 'environment KMIPD_TEST_MODE: "TRUE" is not a boolean');
  refused(t, { argv: ['--test-mode=2'] }, 'option --test-mode: "2" is not a boolean');
  refused(t, { argv: ['--config', configFile({ testMode: 'true' })] }, /^config file config-\d+\.json key testMode: must be true or false$/);
});

t.test('integers', async (t) => {
  t.equal(load({ env: { KMIPD_PORT: '0' } }).port, 0, 'port 0: any free port (tests use it)');
  t.equal(load({ env: { KMIPD_PORT: '65535' } }).port, 65535);
  t.equal(load({ env: { KMIPD_MAX_BATCH_ITEMS: '007' } }).maxBatchItems, 7);
  for (const text of ['-1', '1.5', '0x10', '1e3', ' 1', 'many']) {
    refused(t, { env: { KMIPD_PORT: text } }, `environment KMIPD_PORT: ${JSON.stringify(text)} is not a non-negative integer`, text);
  }
  refused(t, { argv: ['--port='] }, 'option --port: "" is not a non-negative integer');
  refused(t, { env: { KMIPD_PORT: '65536' } }, 'environment KMIPD_PORT: 65536 is more than 65535', 'a port past 65535');
  refused(t, { argv: ['--max-message-bytes', '99999999999999999999'] }, /^option --max-message-bytes: .* is more than 9007199254740991$/, 'past 2^53');
  for (const v of [1.5, -1, '5696', null, 1e300]) {
    refused(t, { argv: ['--config', configFile({ port: v })] }, /^config file config-\d+\.json key port: (must be a non-negative integer|.* is more than 65535)$/, `file ${JSON.stringify(v)}`);
  }
  refused(t, { argv: ['--config', configFile({ idleTimeoutMs: 2 ** 60 })] }, /key idleTimeoutMs: .* is more than 9007199254740991$/);
  t.equal(load({ argv: ['--config', configFile({ maxConnections: 0 })] }).maxConnections, 0);
});

t.test('lists', async (t) => {
  t.same(load({ env: { KMIPD_ADMINS: ' alice , bob,,carol ' } }).admins, ['alice', 'bob', 'carol'], 'split on commas, trimmed, empties dropped');
  t.same(load({ argv: ['--admins', 'root'] }).admins, ['root']);
  t.same(load({ argv: ['--admins', ','] }).admins, []);
  t.same(load({ argv: ['--config', configFile({ admins: ['a, b'] })] }).admins, ['a, b'], 'a file list is taken as written');
  refused(t, { argv: ['--config', configFile({ admins: 'alice' })] }, /key admins: must be an array of strings$/);
  refused(t, { argv: ['--config', configFile({ admins: [1] })] }, /key admins: must be an array of strings$/);
});

t.test('strings, and the keys with a fixed set of values', async (t) => {
  refused(t, { env: { KMIPD_LOG_LEVEL: 'verbose' } }, 'environment KMIPD_LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent, not "verbose"');
  refused(t, { argv: ['--identity', 'email'] }, 'option --identity: must be one of cn, san, fingerprint, not "email"');
  refused(t, { argv: ['--config', configFile({ tlsMinVersion: 'TLSv1.1' })] }, /^config file config-\d+\.json key tlsMinVersion: must be one of TLSv1\.2, TLSv1\.3, not "TLSv1\.1"$/);
  refused(t, { argv: ['--config', configFile({ host: 5 })] }, /key host: must be a string$/);
  t.equal(load({ argv: ['--tls-ciphers', 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384'] }).tlsCiphers, 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384');
});

t.test('unknown flags, arguments and file keys are refused', async (t) => {
  refused(t, { argv: ['--prot', '5697'] }, 'unknown option --prot');
  refused(t, { argv: ['--port=1', '--verbose'] }, 'option --verbose needs a value');
  refused(t, { argv: ['--verbose=1'] }, 'unknown option --verbose');
  refused(t, { argv: ['serve'] }, 'unexpected argument serve');
  refused(t, { argv: ['-p', '5697'] }, 'unexpected argument -p');
  refused(t, { argv: ['--port'] }, 'option --port needs a value');
  refused(t, { argv: ['--host', '--test-mode'] }, 'option --host needs a value', 'a flag is not taken as the value of the one before');
  t.equal(load({ argv: ['--tls-ciphers=--odd'] }).tlsCiphers, '--odd', 'such a value is written with =');
  for (const key of ['prot', 'tokenpin', 'token-pin', 'constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    const file = configFile(`{${JSON.stringify(key)}: "x"}`);
    refused(t, { argv: ['--config', file] }, `config file ${file}: unknown key ${key}`, `file key ${key}`);
  }
});

t.test('the token PIN never from a flag; from the environment or the file', async (t) => {
  const pin = 'S3cret-pin';
  const message = 'the token PIN is never taken from a flag: use KMIPD_TOKEN_PIN or --token-pin-file';
  refused(t, { argv: ['--token-pin', pin] }, message);
  refused(t, { argv: [`--token-pin=${pin}`] }, message);
  refused(t, { argv: ['--port', '1', '--token-pin', pin], env: { KMIPD_TOKEN_PIN: pin } }, message, 'even when the environment also has it');
  try {
    load({ argv: ['--token-pin', pin] });
  } catch (e) {
    t.notMatch((e as Error).message, pin, 'the refusal does not repeat the PIN');
  }
  t.equal(load({ env: { KMIPD_TOKEN_PIN: pin } }).tokenPin, pin, 'KMIPD_TOKEN_PIN');
  const file = configFile({ tokenPin: pin });
  t.equal(load({ argv: ['--config', file] }).tokenPin, pin, 'the file key tokenPin');
  t.equal(load({ argv: ['--config', file], env: { KMIPD_TOKEN_PIN: 'other' } }).tokenPin, 'other', 'the environment over the file');
  t.equal(load({ argv: ['--token-pin-file', 'pin.txt'] }).tokenPinFile, join(cwd, 'pin.txt'), '--token-pin-file is a flag');
});

t.test('relative paths are resolved against cwd, absolute ones kept', async (t) => {
  const c = load({
    argv: ['--config', configFile({ tlsKey: 'keys/server.key' }), '--data-dir', 'var/kmipd'],
    env: { KMIPD_TLS_CA: '../ca.crt', KMIPD_CREDENTIALS_FILE: '/etc/kmipd/credentials.json' },
  });
  t.equal(c.tlsKey, join(cwd, 'keys/server.key'), 'from the file');
  t.equal(c.dataDir, join(cwd, 'var/kmipd'), 'from a flag');
  t.equal(c.tlsCa, join(cwd, '../ca.crt'), 'from the environment');
  t.equal(c.credentialsFile, '/etc/kmipd/credentials.json', 'absolute');
  t.equal(c.tokenPinFile, undefined, 'an unset path stays unset');
  t.equal(c.pkcs11Module, '/usr/lib/softhsm/libsofthsm2.so');
  t.equal(load({ cwd: '/srv/kmipd' }).tlsCert, '/srv/kmipd/certs/server.crt', 'the cwd given, not the process cwd');
});

t.test('--config FILE and KMIPD_CONFIG', async (t) => {
  const a = configFile({ port: 2001 });
  const b = configFile({ port: 2002 });
  t.equal(load({ argv: ['--config', a] }).port, 2001, '--config FILE, relative to cwd');
  t.equal(load({ argv: [`--config=${join(cwd, a)}`] }).port, 2001, '--config=FILE, absolute');
  t.equal(load({ env: { KMIPD_CONFIG: a } }).port, 2001, 'KMIPD_CONFIG');
  t.equal(load({ env: { KMIPD_CONFIG: a }, argv: ['--config', b] }).port, 2002, '--config over KMIPD_CONFIG');
  t.equal(load({ env: { KMIPD_CONFIG: '' } }).port, 5696, 'an empty KMIPD_CONFIG is unset');
  t.equal(load({ argv: ['--config', configFile({})] }).port, 5696, 'an empty object changes nothing');
  refused(t, { argv: ['--config', 'missing.json'] }, /^config file missing\.json: ENOENT/);
  refused(t, { env: { KMIPD_CONFIG: 'missing.json' } }, /^config file missing\.json: ENOENT/);
  const broken = configFile('{"port": 1,');
  refused(t, { argv: ['--config', broken] }, new RegExp(`^config file ${broken}: .*JSON`));
  for (const text of ['[]', '"port"', 'null', '7']) {
    const f = configFile(text);
    refused(t, { argv: ['--config', f] }, `config file ${f}: not a JSON object`, text);
  }
});
