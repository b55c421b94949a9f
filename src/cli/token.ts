// `kmipd token init|rotate-kek|status`: makes the development token and its KEK, rotates the KEK, reports the KEK
// versions (DESIGN: key custody). The PIN comes from KMIPD_TOKEN_PIN, --token-pin-file or dataDir/token-pin.
import { openSqliteStore } from '../store/sqlite-store.js';
import { rewrapObjects } from '../operations/rewrap-objects.js';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type KmipdConfig } from '../config.js';
import { KeyStoreError, type KeyStore } from '../keystore/key-store.js';
import { KEK_LABEL_PREFIX, openPkcs11KeyStore } from '../keystore/pkcs11-store.js';
import { ensureSoftHsmToken, resolveTokenPin, SOFTHSM_CONF_FILE, TOKEN_PIN_FILE } from '../keystore/softhsm-token.js';

export const TOKEN_USAGE = `usage: kmipd token init|rotate-kek|status [--data-dir DIR] [--pkcs11-module M] [--token-label L]
                  [--token-pin-file FILE] [--config FILE]

  init        with SoftHSM2 (the default module): make DIR/softhsm2.conf and the token if missing, with a random
              user PIN saved in DIR/token-pin (0600); then find or make the KEK (version 1) on the token
  rotate-kek  make KEK version n+1 on the token; new seals use it, blobs under older versions still open
              (re-sealing the stored objects is done by the server)
  status      list the KEK versions on the token

The PIN comes from KMIPD_TOKEN_PIN, else --token-pin-file, else DIR/token-pin; never from a flag.
`;

const SUBCOMMANDS = ['init', 'rotate-kek', 'status'] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

/** Options this command shares with `kmipd serve`, resolved by the same configuration table. */
const CONFIG_FLAGS = ['data-dir', 'pkcs11-module', 'token-label', 'token-pin-file', 'config'] as const;

/** Runs the command; returns the process exit code (0 done, 1 failed, 2 usage). */
export async function runToken(argv: string[]): Promise<number> {
  if (argv.some((a) => a === '--token-pin' || a.startsWith('--token-pin='))) {
    process.stderr.write('kmipd token: the token PIN is never taken from a flag: use KMIPD_TOKEN_PIN or --token-pin-file\n');
    return 2;
  }
  let values: Partial<Record<(typeof CONFIG_FLAGS)[number], string>> & { help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      options: {
        ...Object.fromEntries(CONFIG_FLAGS.map((f) => [f, { type: 'string' as const }])),
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${TOKEN_USAGE}`);
    return 2;
  }
  if (values.help === true) {
    process.stdout.write(TOKEN_USAGE);
    return 0;
  }
  const [sub, ...extra] = positionals;
  if (sub === undefined || !(SUBCOMMANDS as readonly string[]).includes(sub) || extra.length > 0) {
    process.stderr.write(`kmipd token: ${sub === undefined ? 'a subcommand is needed' : `unexpected ${[sub, ...extra].join(' ')}`}\n${TOKEN_USAGE}`);
    return 2;
  }
  let config: KmipdConfig;
  try {
    const flags = CONFIG_FLAGS.flatMap((f) => (values[f] === undefined ? [] : [`--${f}`, values[f]!]));
    config = loadConfig({ env: process.env, argv: flags, cwd: process.cwd() });
  } catch (error) {
    process.stderr.write(`kmipd token: ${(error as Error).message}\n`);
    return error instanceof ConfigError ? 2 : 1;
  }
  try {
    return await run(sub as Subcommand, config);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`kmipd token ${sub}: ${message}\n`);
    return 1;
  }
}

async function run(sub: Subcommand, config: KmipdConfig): Promise<number> {
  const softhsm = /softhsm/i.test(basename(config.pkcs11Module));
  let pin = resolveTokenPin({ pin: config.tokenPin, pinFile: config.tokenPinFile, dataDir: config.dataDir });
  if (sub === 'init' && softhsm) {
    const token = ensureSoftHsmToken(config.dataDir, config.tokenLabel, pin);
    out(`token "${config.tokenLabel}": ${token.created ? 'created' : 'found'} (SoftHSM2, SOFTHSM2_CONF=${process.env.SOFTHSM2_CONF ?? token.conf})`);
    if (token.created && pin === undefined) out(`user PIN saved in ${join(config.dataDir, TOKEN_PIN_FILE)} (mode 0600)`);
    pin = token.pin;
  } else if (softhsm && process.env.SOFTHSM2_CONF === undefined) {
    // The development token lives under the data directory; never create it from status or rotate-kek.
    const conf = join(config.dataDir, SOFTHSM_CONF_FILE);
    if (existsSync(conf)) process.env.SOFTHSM2_CONF = conf;
  }
  if (pin === undefined) {
    throw new KeyStoreError(`no token PIN: set KMIPD_TOKEN_PIN, --token-pin-file, or run kmipd token init (writes ${join(config.dataDir, TOKEN_PIN_FILE)})`);
  }
  const keystore = openPkcs11KeyStore({ module: config.pkcs11Module, tokenLabel: config.tokenLabel, pin, createKek: sub === 'init' });
  try {
    if (sub === 'rotate-kek') {
      const before = keystore.currentKekVersion;
      const version = keystore.rotateKek();
      out(`made KEK version ${version} (${KEK_LABEL_PREFIX}${version}) on token "${config.tokenLabel}"; it was ${before}`);
      const db = join(config.dataDir, 'kmipd.db');
      if (existsSync(db)) {
        // Re-seal the stored objects now; a running server picks up the new KEK within a minute and re-seals
        // whatever it sealed meanwhile. Both sides skip rows the other changed.
        const store = openSqliteStore(db);
        try {
          const r = await rewrapObjects({ store, keys: keystore });
          out(`re-sealed ${r.rewrapped} objects under KEK version ${r.kekVersion}${r.failed.length > 0 ? `; ${r.failed.length} did not open: ${r.failed.map((f) => f.uid).join(', ')}` : ''}`);
        } finally {
          store.close();
        }
      } else {
        out('no database yet: nothing to re-seal');
      }
    }
    report(keystore, config);
  } finally {
    keystore.close();
  }
  return 0;
}

function report(keystore: KeyStore, config: KmipdConfig): void {
  out(`module: ${config.pkcs11Module}`);
  out(`token: ${config.tokenLabel}`);
  out(`KEK versions: ${keystore.kekVersions().join(', ')}`);
  out(`current KEK version: ${keystore.currentKekVersion}`);
}

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}
