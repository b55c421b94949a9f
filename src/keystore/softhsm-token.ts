// Development token (DESIGN: key custody): a SoftHSM2 configuration and token under the data directory, made by
// softhsm2-util on first start, with a random user PIN kept in a 0600 file; and where the user PIN comes from.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const SOFTHSM_CONF_FILE = 'softhsm2.conf';
export const TOKEN_DIR = 'tokens';
/** The user PIN made for the development token; read again on later starts. */
export const TOKEN_PIN_FILE = 'token-pin';
/** The security officer PIN, kept so that the user PIN can be reset with softhsm2-util / C_InitPIN. */
export const TOKEN_SO_PIN_FILE = 'token-so-pin';
const SOFTHSM_UTIL = 'softhsm2-util';
/** 24 random bytes as hex: 48 characters, inside SoftHSM's 4–255 PIN length range. */
const PIN_BYTES = 24;
/** CK_TOKEN_INFO.label is 32 bytes, blank padded. */
const MAX_TOKEN_LABEL_BYTES = 32;

export interface SoftHsmToken {
  /** Path of dataDir/softhsm2.conf (SOFTHSM2_CONF points at it unless it was already set). */
  readonly conf: string;
  readonly pin: string;
  /** True when this call initialised the token. */
  readonly created: boolean;
}

/**
 * Makes sure a SoftHSM2 token labelled `label` exists: writes dataDir/softhsm2.conf if absent, points
 * SOFTHSM2_CONF at it when unset, and initialises the token when none has the label. Without `pin`, the PIN is read
 * from dataDir/token-pin, or made at random and saved there (0600). Call before the PKCS#11 module is initialised:
 * SoftHSM reads SOFTHSM2_CONF in C_Initialize.
 */
export function ensureSoftHsmToken(dataDir: string, label: string, pin?: string): SoftHsmToken {
  if (label === '' || Buffer.byteLength(label, 'utf8') > MAX_TOKEN_LABEL_BYTES) {
    throw new Error(`token label must be 1 to ${MAX_TOKEN_LABEL_BYTES} bytes, not ${JSON.stringify(label)}`);
  }
  const dir = resolve(dataDir);
  const tokens = join(dir, TOKEN_DIR);
  mkdirSync(tokens, { recursive: true, mode: 0o700 });
  const conf = join(dir, SOFTHSM_CONF_FILE);
  if (!existsSync(conf)) {
    writeFileSync(conf, `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\n`, { mode: 0o600 });
  }
  // An operator's own SOFTHSM2_CONF wins; the token is then made where the module of this process will look.
  process.env.SOFTHSM2_CONF ??= conf;
  const env = { ...process.env, SOFTHSM2_CONF: process.env.SOFTHSM2_CONF };

  const pinFile = join(dir, TOKEN_PIN_FILE);
  const savedPin = existsSync(pinFile) ? readPinFile(pinFile) : undefined;
  if (tokenLabels(env).includes(label)) {
    const known = pin ?? savedPin;
    if (known === undefined) {
      throw new Error(`SoftHSM token "${label}" exists but its PIN is unknown: set KMIPD_TOKEN_PIN or --token-pin-file`);
    }
    return { conf, pin: known, created: false };
  }

  let userPin = pin ?? savedPin;
  if (userPin === undefined) {
    userPin = randomBytes(PIN_BYTES).toString('hex');
    // 'wx': never overwrite a PIN file another start wrote meanwhile.
    writeFileSync(pinFile, `${userPin}\n`, { mode: 0o600, flag: 'wx' });
  }
  const soPin = randomBytes(PIN_BYTES).toString('hex');
  // The PINs go to our own child as arguments (softhsm2-util takes them no other way); they are never logged, and
  // its output, which does not echo them, is only quoted on failure.
  const result = spawnSync(SOFTHSM_UTIL, ['--init-token', '--free', '--label', label, '--so-pin', soPin, '--pin', userPin], {
    env,
    encoding: 'utf8',
  });
  if (result.error !== undefined) throw new Error(`cannot run ${SOFTHSM_UTIL}: ${result.error.message}`);
  if (result.status !== 0) {
    const output = scrub(`${result.stdout}${result.stderr}`.trim(), [soPin, userPin]);
    throw new Error(`${SOFTHSM_UTIL} --init-token --label ${label} failed (exit ${String(result.status)}): ${output}`);
  }
  writeFileSync(join(dir, TOKEN_SO_PIN_FILE), `${soPin}\n`, { mode: 0o600 });
  return { conf, pin: userPin, created: true };
}

/** Labels of the initialised tokens softhsm2-util sees under `env`. */
export function tokenLabels(env: NodeJS.ProcessEnv): string[] {
  const result = spawnSync(SOFTHSM_UTIL, ['--show-slots'], { env, encoding: 'utf8' });
  if (result.error !== undefined) throw new Error(`cannot run ${SOFTHSM_UTIL}: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`${SOFTHSM_UTIL} --show-slots failed (exit ${String(result.status)}): ${`${result.stdout}${result.stderr}`.trim()}`);
  }
  const labels: string[] = [];
  // Each token block holds "Initialized: yes" before "Label: <label padded with blanks>".
  let initialized = false;
  for (const line of result.stdout.split('\n')) {
    const init = /^\s*Initialized:\s*(\S+)/.exec(line);
    if (init !== null) initialized = init[1] === 'yes';
    const label = /^\s*Label:(.*)$/.exec(line);
    if (label !== null && initialized) labels.push(label[1]!.trim()); // the value is column-aligned and blank padded
  }
  return labels;
}

export interface TokenPinSources {
  /** KMIPD_TOKEN_PIN, from the environment or the configuration file. */
  readonly pin?: string | undefined;
  /** --token-pin-file / KMIPD_TOKEN_PIN_FILE. */
  readonly pinFile?: string | undefined;
  readonly dataDir: string;
}

/** The user PIN: KMIPD_TOKEN_PIN, else the PIN file, else dataDir/token-pin; undefined when none is there. */
export function resolveTokenPin(sources: TokenPinSources): string | undefined {
  if (sources.pin !== undefined && sources.pin !== '') return sources.pin;
  if (sources.pinFile !== undefined) return readPinFile(sources.pinFile);
  const saved = join(sources.dataDir, TOKEN_PIN_FILE);
  return existsSync(saved) ? readPinFile(saved) : undefined;
}

function readPinFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the token PIN file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  const pin = text.replace(/\r?\n$/, '');
  if (pin === '') throw new Error(`the token PIN file ${path} is empty`);
  return pin;
}

function scrub(text: string, secrets: readonly string[]): string {
  return secrets.reduce((out, secret) => out.split(secret).join('***'), text);
}
