// Composition root: configuration → logger → protocol handler → mTLS server. The only module that wires
// layers together; nothing imports it but the CLI.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import { ensureDevCerts } from './certs/dev-certs.js';
import type { KmipdConfig } from './config.js';
import { ConfigError } from './config.js';
import { createLogger, LogAudit, type LogLevel } from './log.js';
import { checkCredential, loadCredentials } from './protocol/credentials.js';
import { ProtocolHandler } from './protocol/handle-request.js';
import { createKmipServer, type KmipServer } from './server/tls-server.js';
import { DEFAULT_TTLV_LIMITS } from './ttlv/limits.js';
import type { KeyStore } from './keystore/key-store.js';
import { openPkcs11KeyStore } from './keystore/pkcs11-store.js';
import { ensureSoftHsmToken, resolveTokenPin } from './keystore/softhsm-token.js';
import { sweepDueStates } from './operations/object-access.js';
import { rewrapObjects } from './operations/rewrap-objects.js';
import type { ObjectServices } from './operations/operation.js';
import { SUPPORTED_OBJECT_TYPES } from './protocol/dispatch.js';
import { openSqliteStore } from './store/sqlite-store.js';

/** How often the sweep moves objects whose Activation or Deactivation Date has come. */
const STATE_SWEEP_INTERVAL_MS = 60_000;
const SOFTHSM_MODULE_NAME = 'libsofthsm2.so';

export const KMIPD_VERSION = '0.1.0';

export interface RunningKmipd {
  readonly host: string;
  readonly port: number;
  readonly server: KmipServer;
  readonly log: Logger;
  /** Stop accepting, finish in-flight requests, close everything. */
  close(): Promise<void>;
}

export async function startKmipd(config: KmipdConfig, log: Logger = createLogger(config.logLevel as LogLevel)): Promise<RunningKmipd> {
  const certFiles = [config.tlsCert, config.tlsKey, config.tlsCa];
  if (certFiles.some((f) => !existsSync(f))) {
    const dir = dirname(config.tlsCert);
    if (!config.devCerts || dirname(config.tlsKey) !== dir || dirname(config.tlsCa) !== dir) {
      throw new ConfigError(`missing TLS files: ${certFiles.filter((f) => !existsSync(f)).join(', ')}`);
    }
    const made = ensureDevCerts(dir, ['alice']);
    log.warn({ dir, made: made.made }, 'made development certificates: for development only');
  }
  const credentials = config.credentialsFile === undefined ? undefined : loadCredentials(config.credentialsFile);
  const services = openServices(config, log);
  const audit = new LogAudit(log);
  const handler = new ProtocolHandler(
    {
      ttlvLimits: { ...DEFAULT_TTLV_LIMITS, maxMessageBytes: config.maxMessageBytes },
      maxBatchItems: config.maxBatchItems,
      testMode: config.testMode,
      productVersion: KMIPD_VERSION,
      services,
      objectTypes: SUPPORTED_OBJECT_TYPES,
      ...(credentials !== undefined && { checkAuthentication: (auth) => checkCredential(auth, credentials) }),
    },
    audit,
  );
  const server = createKmipServer(
    {
      host: config.host,
      port: config.port,
      tls: { cert: readFileSync(config.tlsCert), key: readFileSync(config.tlsKey), ca: readFileSync(config.tlsCa) },
      minTlsVersion: config.tlsMinVersion as 'TLSv1.2' | 'TLSv1.3',
      ...(config.tlsCiphers !== undefined && { ciphers: config.tlsCiphers }),
      sessionLifetimeSeconds: config.tlsSessionLifetime,
      identity: { source: config.identity as 'cn' | 'san' | 'fingerprint', requireClientAuthEku: config.requireClientAuthEku },
      maxConnections: config.maxConnections,
      maxMessageBytes: config.maxMessageBytes,
      idleTimeoutMs: config.idleTimeoutMs,
      handshakeTimeoutMs: config.handshakeTimeoutMs,
      maxBatchItems: config.maxBatchItems,
    },
    handler,
    audit,
  );
  let rewrapping: Promise<unknown> | undefined;
  let kekVersion = services.keys.currentKekVersion;
  const sweep = setInterval(() => {
    try {
      const moved = sweepDueStates(services);
      if (moved > 0) log.info({ moved }, 'state sweep: activation/deactivation dates reached');
      // A KEK rotated by `kmipd token rotate-kek` is picked up here; objects sealed meanwhile are re-sealed.
      const current = services.keys.refresh();
      if (current !== kekVersion && rewrapping === undefined) {
        kekVersion = current;
        rewrapping = rewrapObjects(services)
          .then((r) => log.info({ kekVersion: r.kekVersion, rewrapped: r.rewrapped, failed: r.failed.length }, 'objects re-sealed under the new KEK'))
          .catch((e: unknown) => log.error({ err: String(e) }, 're-sealing under the new KEK failed'))
          .finally(() => (rewrapping = undefined));
      }
    } catch (e) {
      log.error({ err: String(e) }, 'state sweep failed');
    }
  }, STATE_SWEEP_INTERVAL_MS);
  sweep.unref();
  let address: { host: string; port: number };
  try {
    address = await server.listen();
  } catch (e) {
    clearInterval(sweep);
    services.store.close();
    services.keys.close();
    throw e;
  }
  log.info({ host: address.host, port: address.port, testMode: config.testMode }, 'kmipd listening');
  return {
    ...address,
    server,
    log,
    async close() {
      await server.close();
      clearInterval(sweep);
      await rewrapping;
      // In-flight work is over: close the store, then log out of the token and finalize it, once.
      services.store.close();
      services.keys.close();
      log.info('kmipd stopped');
      log.flush();
    },
  };
}

/**
 * The object store (SQLite file in the data directory) and the key store (the PKCS#11 token). With the default
 * SoftHSM module, a token is made in the data directory on first start, its PIN saved there (0600).
 */
function openServices(config: KmipdConfig, log: Logger): ObjectServices {
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  let pin = resolveTokenPin({ pin: config.tokenPin, pinFile: config.tokenPinFile, dataDir: config.dataDir });
  if (config.pkcs11Module.endsWith(SOFTHSM_MODULE_NAME)) {
    const token = ensureSoftHsmToken(config.dataDir, config.tokenLabel, pin);
    if (token.created) log.warn({ dataDir: config.dataDir, label: config.tokenLabel }, 'initialised a SoftHSM token in the data directory');
    pin = token.pin;
  }
  if (pin === undefined) throw new ConfigError('no token PIN: set KMIPD_TOKEN_PIN or KMIPD_TOKEN_PIN_FILE');
  const keys: KeyStore = openPkcs11KeyStore({ module: config.pkcs11Module, tokenLabel: config.tokenLabel, pin });
  let store;
  try {
    store = openSqliteStore(join(config.dataDir, 'kmipd.db'), { groupCommit: true, onWarning: (message) => log.warn({ store: 'sqlite' }, message) });
  } catch (e) {
    keys.close();
    throw e;
  }
  const admins = new Set(config.admins);
  return {
    store,
    keys,
    now: () => BigInt(Math.floor(Date.now() / 1000)),
    isAdmin: (identity) => admins.has(identity),
  };
}
