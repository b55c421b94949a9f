// kmipd's configuration: one table of keys, each with its default, environment variable and flag; values come
// from defaults, then a JSON file, then the environment, then `kmipd serve` flags (later wins).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

type Kind = 'string' | 'integer' | 'boolean' | 'list';

interface KeyDef {
  readonly kind: Kind;
  readonly env: string;
  /** Absent for secrets: a PIN or password never comes from a flag (it would show in `ps`). */
  readonly flag?: string;
  readonly default: string | number | boolean | readonly string[] | undefined;
  readonly doc: string;
  readonly allowed?: readonly string[];
  /** Largest value of an integer key, where the wire or the OS sets one. */
  readonly max?: number;
}

/** Every configuration key. The README's configuration section is written from this table. */
export const CONFIG_KEYS = {
  host: { kind: 'string', env: 'KMIPD_HOST', flag: 'host', default: '0.0.0.0', doc: 'address to listen on' },
  port: { kind: 'integer', env: 'KMIPD_PORT', flag: 'port', default: 5696, max: 65535, doc: 'TCP port (5696 is KMIP\'s IANA port)' },
  tlsCert: { kind: 'string', env: 'KMIPD_TLS_CERT', flag: 'tls-cert', default: 'certs/server.crt', doc: 'server certificate (PEM)' },
  tlsKey: { kind: 'string', env: 'KMIPD_TLS_KEY', flag: 'tls-key', default: 'certs/server.key', doc: 'server private key (PEM)' },
  tlsCa: { kind: 'string', env: 'KMIPD_TLS_CA', flag: 'tls-ca', default: 'certs/ca.crt', doc: 'CA bundle that client certificates must chain to' },
  devCerts: {
    kind: 'boolean', env: 'KMIPD_DEV_CERTS', flag: 'dev-certs', default: true,
    doc: 'when the certificate files are missing, make a development CA, server and client (alice) certificate next to them',
  },
  tlsCiphers: { kind: 'string', env: 'KMIPD_TLS_CIPHERS', flag: 'tls-ciphers', default: undefined, doc: 'TLS 1.2 cipher list (OpenSSL names); default ECDHE with AES-GCM or ChaCha20' },
  tlsMinVersion: { kind: 'string', env: 'KMIPD_TLS_MIN_VERSION', flag: 'tls-min-version', default: 'TLSv1.2', allowed: ['TLSv1.2', 'TLSv1.3'], doc: 'lowest TLS version' },
  tlsSessionLifetime: { kind: 'integer', env: 'KMIPD_TLS_SESSION_LIFETIME', flag: 'tls-session-lifetime', default: 7200, doc: 'seconds a TLS session can be resumed' },
  identity: { kind: 'string', env: 'KMIPD_IDENTITY', flag: 'identity', default: 'cn', allowed: ['cn', 'san', 'fingerprint'], doc: 'client identity: subject CN, subjectAltName, or certificate fingerprint' },
  requireClientAuthEku: { kind: 'boolean', env: 'KMIPD_REQUIRE_CLIENT_AUTH_EKU', flag: 'require-client-auth-eku', default: true, doc: 'refuse client certificates without extendedKeyUsage clientAuth' },
  dataDir: { kind: 'string', env: 'KMIPD_DATA_DIR', flag: 'data-dir', default: 'data', doc: 'directory of the database and, by default, the SoftHSM token' },
  pkcs11Module: { kind: 'string', env: 'KMIPD_PKCS11_MODULE', flag: 'pkcs11-module', default: '/usr/lib/softhsm/libsofthsm2.so', doc: 'PKCS#11 module' },
  tokenLabel: { kind: 'string', env: 'KMIPD_TOKEN_LABEL', flag: 'token-label', default: 'kmipd', doc: 'PKCS#11 token label' },
  tokenPin: { kind: 'string', env: 'KMIPD_TOKEN_PIN', default: undefined, doc: 'token user PIN (environment or config file only)' },
  tokenPinFile: { kind: 'string', env: 'KMIPD_TOKEN_PIN_FILE', flag: 'token-pin-file', default: undefined, doc: 'file holding the token user PIN' },
  logLevel: { kind: 'string', env: 'KMIPD_LOG_LEVEL', flag: 'log-level', default: 'info', allowed: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], doc: 'log level' },
  maxConnections: { kind: 'integer', env: 'KMIPD_MAX_CONNECTIONS', flag: 'max-connections', default: 1000, doc: 'open connections at most' },
  maxMessageBytes: { kind: 'integer', env: 'KMIPD_MAX_MESSAGE_BYTES', flag: 'max-message-bytes', default: 4 * 1024 * 1024, doc: 'largest request, checked against its header' },
  idleTimeoutMs: { kind: 'integer', env: 'KMIPD_IDLE_TIMEOUT_MS', flag: 'idle-timeout-ms', default: 300_000, doc: 'idle connections are closed after this' },
  handshakeTimeoutMs: { kind: 'integer', env: 'KMIPD_HANDSHAKE_TIMEOUT_MS', flag: 'handshake-timeout-ms', default: 10_000, doc: 'a TLS handshake must finish within this' },
  maxBatchItems: { kind: 'integer', env: 'KMIPD_MAX_BATCH_ITEMS', flag: 'max-batch-items', default: 256, doc: 'batch items in one request at most' },
  admins: { kind: 'list', env: 'KMIPD_ADMINS', flag: 'admins', default: [], doc: 'client identities that see every object (comma-separated)' },
  credentialsFile: {
    kind: 'string', env: 'KMIPD_CREDENTIALS_FILE', flag: 'credentials-file', default: undefined,
    doc: 'JSON [{"username","password"}]: when set, a request header\'s username/password credential must match one',
  },
  testMode: { kind: 'boolean', env: 'KMIPD_TEST_MODE', flag: 'test-mode', default: false, doc: 'answer test-only operations (Interop); never in production' },
} as const satisfies Record<string, KeyDef>;

export type ConfigKey = keyof typeof CONFIG_KEYS;
type ValueOf<D extends KeyDef> = D['kind'] extends 'integer' ? number : D['kind'] extends 'boolean' ? boolean : D['kind'] extends 'list' ? readonly string[] : string;
export type KmipdConfig = {
  readonly [K in ConfigKey]: (typeof CONFIG_KEYS)[K]['default'] extends undefined ? ValueOf<(typeof CONFIG_KEYS)[K]> | undefined : ValueOf<(typeof CONFIG_KEYS)[K]>;
};

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export interface ConfigSources {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** `kmipd serve` arguments: `--name value` or `--name=value`; `--config FILE` names the JSON file. */
  readonly argv: readonly string[];
  readonly cwd: string;
}

/** Resolve the configuration; throws ConfigError naming the bad key and its source. */
export function loadConfig(sources: ConfigSources): KmipdConfig {
  const flags = parseFlags(sources.argv);
  const out: Record<string, unknown> = {};
  for (const [key, def] of Object.entries(CONFIG_KEYS) as [ConfigKey, KeyDef][]) out[key] = def.default;

  // An empty KMIPD_CONFIG is unset, as every other empty variable is.
  const file = flags.get('config') ?? (sources.env.KMIPD_CONFIG || undefined);
  if (file !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(resolve(sources.cwd, file), 'utf8'));
    } catch (e) {
      throw new ConfigError(`config file ${file}: ${(e as Error).message}`);
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ConfigError(`config file ${file}: not a JSON object`);
    for (const [key, value] of Object.entries(json)) {
      // Own keys only: "constructor" or "__proto__" would otherwise find Object.prototype's members.
      const def = Object.hasOwn(CONFIG_KEYS, key) ? (CONFIG_KEYS as Record<string, KeyDef>)[key] : undefined;
      if (def === undefined) throw new ConfigError(`config file ${file}: unknown key ${key}`);
      out[key] = fromJson(def, value, `config file ${file} key ${key}`);
    }
  }
  for (const [key, def] of Object.entries(CONFIG_KEYS) as [ConfigKey, KeyDef][]) {
    const env = sources.env[def.env];
    if (env !== undefined && env !== '') out[key] = fromText(def, env, `environment ${def.env}`);
  }
  const byFlag = new Map(Object.entries(CONFIG_KEYS).flatMap(([k, d]: [string, KeyDef]) => (d.flag ? [[d.flag, k] as const] : [])));
  for (const [flag, value] of flags) {
    if (flag === 'config') continue;
    const key = byFlag.get(flag);
    if (key === undefined) {
      if (flag === 'token-pin') throw new ConfigError('the token PIN is never taken from a flag: use KMIPD_TOKEN_PIN or --token-pin-file');
      throw new ConfigError(`unknown option --${flag}`);
    }
    out[key] = fromText((CONFIG_KEYS as Record<string, KeyDef>)[key]!, value, `option --${flag}`);
  }
  // Paths are relative to the working directory.
  for (const key of ['tlsCert', 'tlsKey', 'tlsCa', 'dataDir', 'tokenPinFile', 'credentialsFile'] as const) {
    if (typeof out[key] === 'string') out[key] = resolve(sources.cwd, out[key] as string);
  }
  return Object.freeze(out) as KmipdConfig;
}

function parseFlags(argv: readonly string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new ConfigError(`unexpected argument ${a}`);
    const eq = a.indexOf('=');
    if (eq > 0) {
      flags.set(a.slice(2, eq), a.slice(eq + 1));
      continue;
    }
    const name = a.slice(2);
    const def = Object.values(CONFIG_KEYS).find((d: KeyDef) => d.flag === name) as KeyDef | undefined;
    const next = argv[i + 1];
    if (def?.kind === 'boolean' && (next === undefined || next.startsWith('--'))) {
      flags.set(name, 'true');
    } else {
      // `--host --test-mode` is a forgotten value, not the host "--test-mode" (write `--name=--x` for such a value).
      if (next === undefined || next.startsWith('--')) throw new ConfigError(`option --${name} needs a value`);
      flags.set(name, next);
      i++;
    }
  }
  return flags;
}

function fromText(def: KeyDef, text: string, where: string): unknown {
  switch (def.kind) {
    case 'integer': {
      if (!/^\d+$/.test(text)) throw new ConfigError(`${where}: ${JSON.stringify(text)} is not a non-negative integer`);
      return checkInteger(def, Number(text), where);
    }
    case 'boolean':
      if (['true', '1', 'yes', 'on'].includes(text)) return true;
      if (['false', '0', 'no', 'off'].includes(text)) return false;
      throw new ConfigError(`${where}: ${JSON.stringify(text)} is not a boolean`);
    case 'list':
      return text.split(',').map((s) => s.trim()).filter((s) => s !== '');
    default:
      if (def.allowed !== undefined && !def.allowed.includes(text)) {
        throw new ConfigError(`${where}: must be one of ${def.allowed.join(', ')}, not ${JSON.stringify(text)}`);
      }
      return text;
  }
}

function fromJson(def: KeyDef, value: unknown, where: string): unknown {
  if (def.kind === 'list') {
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw new ConfigError(`${where}: must be an array of strings`);
    return value;
  }
  if (def.kind === 'integer') {
    if (!(typeof value === 'number' && Number.isInteger(value) && value >= 0)) throw new ConfigError(`${where}: must be a non-negative integer`);
    return checkInteger(def, value, where);
  }
  if (def.kind === 'boolean' && typeof value !== 'boolean') throw new ConfigError(`${where}: must be true or false`);
  if (def.kind === 'string') {
    if (typeof value !== 'string') throw new ConfigError(`${where}: must be a string`);
    return fromText(def, value, where);
  }
  return value;
}

/** Past 2^53 a number no longer holds the integer written; past `max` the key's own limit. */
function checkInteger(def: KeyDef, n: number, where: string): number {
  const max = def.max ?? Number.MAX_SAFE_INTEGER;
  if (!(n <= max)) throw new ConfigError(`${where}: ${n} is more than ${max}`);
  return n;
}
