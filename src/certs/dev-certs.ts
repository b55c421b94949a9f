// Development PKI for mTLS (KMIP 1.4 §10 → KMIP Profiles' TLS rules): a CA, a server certificate and client certificates, made with the openssl CLI.
import { spawnSync } from 'node:child_process';
import { X509Certificate, createPrivateKey, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * RSA-2048: every KMIP client we serve can use it (PyKMIP 0.10, arrays whose TLS stacks predate EC support,
 * and the KMIP profiles' TLS_RSA_* suites, which need an RSA key in the server certificate).
 */
const KEY_ALGORITHM = ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'] as const;
const DEFAULT_DAYS = 365;
const DEFAULT_CLIENTS = ['alice'] as const;
const CA_SUBJECT = '/O=kmipd development/CN=kmipd development CA';
/** Names used as file names and as subject CNs: no path separators, no characters that -subj would parse. */
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const RESERVED_NAMES = ['ca', 'server'] as const;

/** Extended key usages by role (RFC 5280 §4.2.1.12); clientAuth is what the server requires of clients. */
export const EXTENDED_KEY_USAGE = {
  server: 'serverAuth',
  client: 'clientAuth',
} as const;

/** Host names the development server certificate answers to. */
const SERVER_SAN = 'DNS:localhost, IP:127.0.0.1, IP:::1';

export interface CertificateRequest {
  /** File base name in `dir`: writes NAME.crt and NAME.key. */
  readonly name: string;
  /** openssl -subj form, e.g. "/CN=alice". */
  readonly subject: string;
  /** extendedKeyUsage value, e.g. "clientAuth"; omitted → no EKU extension. */
  readonly extendedKeyUsage?: string;
  /** subjectAltName value in openssl form, e.g. "DNS:localhost, IP:127.0.0.1". */
  readonly subjectAltName?: string;
  readonly days?: number;
}

export interface DevCertsResult {
  readonly dir: string;
  /** Files written by this call. */
  readonly made: string[];
  /** Files found in place and kept. */
  readonly kept: string[];
}

/** Runs openssl with an argument array (never a shell) and returns its stdout; throws with its stderr. */
function openssl(args: readonly string[], input?: string): Buffer {
  const run = spawnSync('openssl', args, { input, maxBuffer: 1 << 20 });
  if (run.error) throw new Error(`cannot run openssl: ${run.error.message}`);
  if (run.status !== 0) {
    throw new Error(`openssl ${args[0]} failed (exit ${run.status}): ${run.stderr.toString().trim()}`);
  }
  return run.stdout;
}

/** A private key, written 0600 in one step so that it is never readable by others, not even briefly. */
function writeNewKey(path: string): void {
  const pem = openssl(['genpkey', ...KEY_ALGORITHM]);
  rmSync(path, { force: true });
  writeFileSync(path, pem, { mode: 0o600, flag: 'wx' });
}

/** Config for `openssl req` of our own, so the system openssl.cnf cannot add or clash with extensions. */
const REQ_CONFIG = [
  '[req]',
  'distinguished_name = dn',
  'x509_extensions = v3_ca',
  '[dn]',
  '[v3_ca]',
  'basicConstraints = critical, CA:TRUE, pathlen:0',
  'keyUsage = critical, keyCertSign, cRLSign',
  'subjectKeyIdentifier = hash',
  'authorityKeyIdentifier = keyid:always',
  '',
].join('\n');

function leafExtensions(request: CertificateRequest): string {
  const lines = [
    '[v3_leaf]',
    'basicConstraints = critical, CA:FALSE',
    // digitalSignature for (EC)DHE suites, keyEncipherment for the TLS_RSA_* suites of the KMIP profiles.
    'keyUsage = critical, digitalSignature, keyEncipherment',
    'subjectKeyIdentifier = hash',
    'authorityKeyIdentifier = keyid',
  ];
  if (request.extendedKeyUsage) lines.push(`extendedKeyUsage = ${request.extendedKeyUsage}`);
  if (request.subjectAltName) lines.push(`subjectAltName = ${request.subjectAltName}`);
  return lines.join('\n') + '\n';
}

function withScratch<T>(work: (scratch: string) => T): T {
  const scratch = mkdtempSync(join(tmpdir(), 'kmipd-certs-'));
  try {
    return work(scratch);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function daysOf(days: number | undefined): string {
  const value = days ?? DEFAULT_DAYS;
  if (!Number.isInteger(value) || value < 1) throw new Error(`days must be a positive integer, not ${value}`);
  return String(value);
}

/** Makes a self-signed CA (NAME.crt, NAME.key) in `dir`, overwriting any that is there. */
export function makeCa(dir: string, name = 'ca', subject = CA_SUBJECT, days?: number): void {
  mkdirSync(dir, { recursive: true });
  const keyPath = join(dir, `${name}.key`);
  writeNewKey(keyPath);
  withScratch((scratch) => {
    const config = join(scratch, 'req.cnf');
    writeFileSync(config, REQ_CONFIG);
    const pem = openssl(['req', '-config', config, '-x509', '-new', '-key', keyPath, '-subj', subject,
      '-sha256', '-days', daysOf(days), '-set_serial', serial()]);
    writeFileSync(join(dir, `${name}.crt`), pem);
  });
}

/** A random 127-bit serial (RFC 5280 §4.1.2.2: positive, unique per CA, at most 20 octets). */
function serial(): string {
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f;
  return `0x${bytes.toString('hex')}`;
}

/**
 * Issues NAME.crt signed by the CA in `caDir` (ca.crt/ca.key unless `caName` says otherwise). An existing
 * NAME.key is reused; a missing one is made.
 */
export function issueCertificate(dir: string, request: CertificateRequest, caDir = dir, caName = 'ca'): void {
  mkdirSync(dir, { recursive: true });
  const keyPath = join(dir, `${request.name}.key`);
  if (!existsSync(keyPath)) writeNewKey(keyPath);
  const caKey = join(caDir, `${caName}.key`);
  if (!existsSync(caKey)) throw new Error(`cannot sign ${request.name}.crt: ${caKey} is missing`);
  withScratch((scratch) => {
    const config = join(scratch, 'req.cnf');
    const extensions = join(scratch, 'leaf.cnf');
    const csr = join(scratch, 'leaf.csr');
    writeFileSync(config, REQ_CONFIG);
    writeFileSync(extensions, leafExtensions(request));
    openssl(['req', '-config', config, '-new', '-key', keyPath, '-subj', request.subject, '-sha256', '-out', csr]);
    const pem = openssl(['x509', '-req', '-in', csr, '-CA', join(caDir, `${caName}.crt`), '-CAkey', caKey,
      '-set_serial', serial(), '-sha256', '-days', daysOf(request.days),
      '-extfile', extensions, '-extensions', 'v3_leaf']);
    writeFileSync(join(dir, `${request.name}.crt`), pem);
  });
}

/** True when CERT exists, belongs to KEY, is a leaf signed by CA and has not expired: such a certificate is kept. */
function stillGood(certPath: string, keyPath: string, ca: X509Certificate): boolean {
  try {
    const cert = new X509Certificate(readFileSync(certPath));
    return !cert.ca && cert.checkIssued(ca) && cert.verify(ca.publicKey) && Date.parse(cert.validTo) > Date.now()
      && cert.checkPrivateKey(createPrivateKey(readFileSync(keyPath)));
  } catch {
    return false;
  }
}

export function assertCertName(name: string): void {
  if (!NAME_PATTERN.test(name) || (RESERVED_NAMES as readonly string[]).includes(name)) {
    throw new Error(`bad certificate name ${JSON.stringify(name)}: use letters, digits, '.', '_', '-' (not ca or server)`);
  }
}

/**
 * Makes whatever is missing of: ca.crt/ca.key, server.crt/server.key (SAN localhost, 127.0.0.1, ::1; EKU
 * serverAuth), and NAME.crt/NAME.key for each client (CN=NAME; EKU clientAuth). Files already in place are
 * kept, unless a certificate is expired or not signed by the CA in `dir` (then it is re-issued with its key).
 */
export function ensureDevCerts(dir: string, clients: readonly string[] = DEFAULT_CLIENTS, days?: number): DevCertsResult {
  for (const name of clients) assertCertName(name);
  const result: DevCertsResult = { dir, made: [], kept: [] };
  mkdirSync(dir, { recursive: true });
  const caCrt = join(dir, 'ca.crt');
  const caKey = join(dir, 'ca.key');
  if (existsSync(caCrt) && existsSync(caKey)) {
    result.kept.push(caCrt, caKey);
  } else if (existsSync(caCrt)) {
    throw new Error(`${caCrt} exists without ${caKey}: move it away to make a new development CA`);
  } else {
    makeCa(dir, 'ca', CA_SUBJECT, days);
    result.made.push(caCrt, caKey);
  }
  const ca = new X509Certificate(readFileSync(caCrt));
  const leaves: CertificateRequest[] = [
    { name: 'server', subject: '/O=kmipd development/CN=localhost', extendedKeyUsage: EXTENDED_KEY_USAGE.server,
      subjectAltName: SERVER_SAN, days },
    ...[...new Set(clients)].map((name) => ({ name, subject: `/O=kmipd development/CN=${name}`,
      extendedKeyUsage: EXTENDED_KEY_USAGE.client, days })),
  ];
  for (const leaf of leaves) {
    const crt = join(dir, `${leaf.name}.crt`);
    const key = join(dir, `${leaf.name}.key`);
    if (existsSync(key) && stillGood(crt, key, ca)) {
      result.kept.push(crt, key);
      continue;
    }
    if (!existsSync(key)) result.made.push(key);
    issueCertificate(dir, leaf);
    result.made.push(crt);
  }
  // Private keys stay private even when made by an older version or by hand.
  for (const file of [caKey, ...leaves.map((leaf) => join(dir, `${leaf.name}.key`))]) chmodSync(file, 0o600);
  return result;
}
