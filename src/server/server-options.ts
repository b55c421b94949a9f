// Typed options of the mTLS transport, every default and limit in one place with its reason (KMIP 1.4 §10 → KMIP Profiles' TLS rules).
import { DEFAULT_TTLV_LIMITS } from '../ttlv/limits.js';

/** Where the client's identity (the owner of what it creates) comes from in its certificate. */
export const IDENTITY_SOURCES = ['cn', 'san', 'fingerprint'] as const;
export type IdentitySource = (typeof IDENTITY_SOURCES)[number];

/** subjectAltName entry types that can name a client (RFC 5280 §4.2.1.6), as node prints them. */
export const SAN_TYPES = ['DNS', 'email', 'URI', 'IP'] as const;
export type SanType = (typeof SAN_TYPES)[number];

export const TLS_VERSIONS = ['TLSv1.2', 'TLSv1.3'] as const;
export type TlsVersion = (typeof TLS_VERSIONS)[number];

export interface IdentityOptions {
  /** 'cn': the subject CN, which must occur exactly once (PyKMIP's rule); 'san': see sanTypes; 'fingerprint': SHA-256 of the certificate, hex. */
  readonly source: IdentitySource;
  /** For source 'san': the types looked for, in order; the identity is the first entry of the first type present. */
  readonly sanTypes: readonly SanType[];
  /**
   * Require extendedKeyUsage with clientAuth (1.3.6.1.5.5.7.3.2), as PyKMIP's server does: a server or
   * code-signing certificate that chains to the same CA must not be usable as a client identity.
   */
  readonly requireClientAuthEku: boolean;
}

/** PEM text or buffers, as node:tls takes them. */
export interface TlsMaterial {
  readonly cert: string | Buffer;
  readonly key: string | Buffer;
  /** The CA bundle client certificates are verified against. */
  readonly ca: string | Buffer;
  readonly passphrase?: string;
}

export interface KmipServerOptions {
  readonly host: string;
  readonly port: number;
  readonly tls: TlsMaterial;
  readonly minTlsVersion: TlsVersion;
  readonly maxTlsVersion: TlsVersion;
  /**
   * TLS 1.2 suites, OpenSSL names. The default is forward-secret AEAD only; add e.g. "AES256-SHA256" or
   * "AES128-SHA256" (TLS_RSA_WITH_AES_*_CBC_SHA256, the KMIP profiles' mandatory suites) for older arrays.
   */
  readonly ciphers: string;
  /** TLS 1.3 suites (OpenSSL TLS_* names). */
  readonly tls13Ciphersuites: string;
  readonly identity: IdentityOptions;
  /**
   * How long a TLS session (1.2 session ID or ticket, 1.3 ticket) can be resumed. Clients that open one
   * connection per operation (PyKMIP, many arrays) then pay for a full handshake once per lifetime.
   */
  readonly sessionLifetimeSeconds: number;
  /** TLS 1.2 session-ID cache entries held in memory (a few hundred bytes each); oldest dropped first. */
  readonly sessionCacheSize: number;
  /** 48 bytes to share TLS tickets across processes/nodes; default: random per process. */
  readonly ticketKeys?: Buffer;
  /**
   * Open TCP connections (handshaking or established); more are closed at once and audited. Each costs a
   * descriptor and buffers: the bound keeps a flood from exhausting the descriptor limit the store needs.
   */
  readonly maxConnections: number;
  /** Largest request, checked against the TTLV header before any body is buffered (1.4 §9.1). */
  readonly maxMessageBytes: number;
  /** A connection with nothing in flight and nothing received for this long is closed (frees descriptors). */
  readonly idleTimeoutMs: number;
  /** A TLS handshake must finish within this: stops half-open handshakes from holding connection slots. */
  readonly handshakeTimeoutMs: number;
  /**
   * A request must arrive whole within this from its first byte: a client dripping bytes (slowloris) cannot
   * hold a connection forever. Generous: 4 MiB at 150 KiB/s.
   */
  readonly messageReadTimeoutMs: number;
  /**
   * Whole requests read ahead of the one being answered. Requests are answered one at a time in order; past
   * this many queued, reading pauses (TCP backpressure) so a pipelining client cannot make the server buffer
   * without bound.
   */
  readonly maxPipelinedRequests: number;
  /** Batch items in one request: enforced by the protocol layer, carried here so all limits live together. */
  readonly maxBatchItems: number;
  /** close() waits this long for in-flight requests and closing connections, then destroys what is left. */
  readonly shutdownTimeoutMs: number;
}

/** What a caller must give; everything else has a default. */
export type KmipServerConfig = Partial<Omit<KmipServerOptions, 'tls' | 'identity'>> & {
  readonly tls: TlsMaterial;
  readonly identity?: Partial<IdentityOptions>;
};

/** The IANA-registered KMIP port (KMIP Profiles; also named in the Additional Message Encodings §2.2). */
export const KMIP_PORT = 5696;

/** ECDHE (forward secrecy) with AES-GCM or ChaCha20-Poly1305 (AEAD): no CBC, no static RSA key exchange. */
export const STRONG_TLS12_CIPHERS = [
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
].join(':');

/** TLS 1.2 suites of the KMIP Profiles' TLS 1.2 authentication suite, for arrays that know nothing newer. */
export const KMIP_PROFILE_TLS12_CIPHERS = ['AES256-SHA256', 'AES128-SHA256'].join(':');

export const DEFAULT_TLS13_CIPHERSUITES = [
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'TLS_AES_128_GCM_SHA256',
].join(':');

export const DEFAULT_SERVER_OPTIONS = Object.freeze({
  host: '0.0.0.0',
  port: KMIP_PORT,
  minTlsVersion: 'TLSv1.2',
  maxTlsVersion: 'TLSv1.3',
  ciphers: STRONG_TLS12_CIPHERS,
  tls13Ciphersuites: DEFAULT_TLS13_CIPHERSUITES,
  identity: Object.freeze({ source: 'cn', sanTypes: Object.freeze(['DNS', 'email', 'URI'] as const), requireClientAuthEku: true }),
  sessionLifetimeSeconds: 2 * 60 * 60,
  sessionCacheSize: 10_000,
  maxConnections: 1_000,
  maxMessageBytes: DEFAULT_TTLV_LIMITS.maxMessageBytes,
  idleTimeoutMs: 5 * 60_000,
  handshakeTimeoutMs: 10_000,
  messageReadTimeoutMs: 30_000,
  maxPipelinedRequests: 32,
  maxBatchItems: 1_000,
  shutdownTimeoutMs: 30_000,
} as const satisfies Omit<KmipServerOptions, 'tls'>);

/** Names of the options that must be positive integers, with the largest value each may take. */
const INTEGER_BOUNDS = {
  port: 65_535,
  sessionLifetimeSeconds: 7 * 24 * 60 * 60, // RFC 8446 §4.6.1: a ticket lives at most 7 days
  sessionCacheSize: 10_000_000,
  maxConnections: 1_000_000,
  maxMessageBytes: 2 ** 32 + 8, // the header's Length field is 32 bits
  idleTimeoutMs: 2 ** 31 - 1, // setTimeout's range
  handshakeTimeoutMs: 2 ** 31 - 1,
  messageReadTimeoutMs: 2 ** 31 - 1,
  maxPipelinedRequests: 100_000,
  maxBatchItems: 1_000_000,
  shutdownTimeoutMs: 2 ** 31 - 1,
} as const satisfies Partial<Record<keyof KmipServerOptions, number>>;

/** Fills in defaults and checks every value; throws an Error naming the bad option. */
export function resolveServerOptions(config: KmipServerConfig): KmipServerOptions {
  const identity: IdentityOptions = { ...DEFAULT_SERVER_OPTIONS.identity, ...definedOnly(config.identity ?? {}) };
  const options: KmipServerOptions = { ...DEFAULT_SERVER_OPTIONS, ...definedOnly(config), identity, tls: config.tls };
  for (const [name, max] of Object.entries(INTEGER_BOUNDS)) {
    const value = options[name as keyof typeof INTEGER_BOUNDS];
    const min = name === 'port' ? 0 : 1; // port 0: an ephemeral port (tests)
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new Error(`server option ${name} must be an integer in ${min}..${max}, not ${String(value)}`);
    }
  }
  if (!TLS_VERSIONS.includes(options.minTlsVersion) || !TLS_VERSIONS.includes(options.maxTlsVersion)) {
    throw new Error(`server TLS versions must be among ${TLS_VERSIONS.join(', ')}`);
  }
  if (TLS_VERSIONS.indexOf(options.minTlsVersion) > TLS_VERSIONS.indexOf(options.maxTlsVersion)) {
    throw new Error(`server option minTlsVersion ${options.minTlsVersion} is above maxTlsVersion ${options.maxTlsVersion}`);
  }
  if (!IDENTITY_SOURCES.includes(identity.source)) {
    throw new Error(`server option identity.source must be one of ${IDENTITY_SOURCES.join(', ')}`);
  }
  if (identity.sanTypes.length === 0 || identity.sanTypes.some((type) => !SAN_TYPES.includes(type))) {
    throw new Error(`server option identity.sanTypes must list some of ${SAN_TYPES.join(', ')}`);
  }
  if (options.ticketKeys !== undefined && options.ticketKeys.length !== 48) {
    throw new Error('server option ticketKeys must be 48 bytes');
  }
  if (!options.tls?.cert || !options.tls.key || !options.tls.ca) {
    throw new Error('server option tls needs cert, key and ca');
  }
  return options;
}

/** Drops keys whose value is undefined, so that `{ port: undefined }` keeps the default. */
function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
