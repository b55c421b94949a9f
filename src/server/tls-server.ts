// The KMIP listener: node:tls with required client certificates, identity rules, limits and graceful close (KMIP 1.4 §10).
import { createHash } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import { createServer, type TLSSocket } from 'node:tls';
import type { AuditSink } from './audit-sink.js';
import { KmipConnection } from './connection.js';
import { certificateFingerprint, identityFromCertificate } from './identity.js';
import type { ConnectionContext, KmipHandler } from './kmip-handler.js';
import { type KmipServerConfig, type KmipServerOptions, resolveServerOptions } from './server-options.js';
import { SessionCache } from './session-cache.js';

export interface KmipServer {
  /** Starts listening; resolves with the bound address (port 0 → the ephemeral port chosen). */
  listen(): Promise<{ host: string; port: number }>;
  /**
   * Stops accepting, lets requests already received finish and their responses be written, closes the
   * connections, and resolves once all are closed (or `shutdownTimeoutMs` has passed and the rest were cut).
   */
  close(): Promise<void>;
  /** Connections established and authenticated right now. */
  readonly connections: number;
  readonly options: KmipServerOptions;
}

/** OpenSSL/node error codes of a failed handshake, in words for the audit trail. */
const HANDSHAKE_FAILURES: Readonly<Record<string, string>> = {
  ERR_TLS_HANDSHAKE_TIMEOUT: 'TLS handshake not finished in time',
  ECONNRESET: 'client closed the connection during the TLS handshake',
  ERR_SSL_UNSUPPORTED_PROTOCOL: 'TLS version not allowed',
  ERR_SSL_NO_SHARED_CIPHER: 'no TLS cipher suite in common',
  ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE: 'no client certificate',
  ERR_SSL_HTTP_REQUEST: 'plain HTTP sent to the TLS port',
  ERR_SSL_WRONG_VERSION_NUMBER: 'not a TLS client hello',
};

/**
 * Chain verification outcomes worth words (node's authorizationError codes). INVALID_PURPOSE comes from
 * OpenSSL's ssl_client purpose check: an extendedKeyUsage that is present but lacks clientAuth.
 */
const VERIFY_FAILURES: Readonly<Record<string, string>> = {
  CERT_HAS_EXPIRED: 'certificate expired',
  CERT_NOT_YET_VALID: 'certificate not yet valid',
  INVALID_PURPOSE: 'extendedKeyUsage does not allow clientAuth',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'issuer not among the trusted CAs',
  UNABLE_TO_GET_ISSUER_CERT: 'issuer not among the trusted CAs',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'issuer not among the trusted CAs',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'chain ends in an untrusted self-signed CA',
  CERT_SIGNATURE_FAILURE: 'bad certificate signature',
};

export function formatPeer(address: string | undefined, port: number | undefined): string {
  if (address === undefined) return 'unknown';
  return address.includes(':') ? `[${address}]:${port ?? '?'}` : `${address}:${port ?? '?'}`;
}

export function createKmipServer(config: KmipServerConfig, handler: KmipHandler, audit: AuditSink): KmipServer {
  const options = resolveServerOptions(config);
  const sessions = new SessionCache(options.sessionCacheSize, options.sessionLifetimeSeconds * 1000);
  /** Established connections, each with the promise that settles once its close has been audited. */
  const live = new Map<KmipConnection, Promise<void>>();
  /** TCP connections whose TLS handshake has not finished, by peer, so close() can cut them. */
  const handshaking = new Map<string, Socket>();
  let nextConnectionId = 1;
  let shuttingDown = false;
  let closing: Promise<void> | undefined;

  const server = createServer({
    cert: options.tls.cert,
    key: options.tls.key,
    ca: options.tls.ca,
    passphrase: options.tls.passphrase,
    requestCert: true,
    // OpenSSL still verifies the chain against `ca` during the handshake and records the outcome. With
    // `true`, node would drop a failing client right after the handshake without saying why; we read the
    // outcome ourselves in 'secureConnection', before any byte of the client is read, so that the audit
    // record says why (expired, unknown CA …).
    rejectUnauthorized: false,
    minVersion: options.minTlsVersion,
    maxVersion: options.maxTlsVersion,
    // node splits this list: TLS_* names are TLS 1.3 suites, the rest the TLS 1.2 list.
    ciphers: `${options.tls13Ciphersuites}:${options.ciphers}`,
    honorCipherOrder: true,
    sessionTimeout: options.sessionLifetimeSeconds,
    ticketKeys: options.ticketKeys,
    // Sessions are bound to the trust configuration: a session made under one CA bundle never resumes under another.
    sessionIdContext: createHash('sha256').update(options.tls.ca).digest('hex').slice(0, 32),
    handshakeTimeout: options.handshakeTimeoutMs,
    // A client may send its last request and shut its write side; the answer must still go out.
    allowHalfOpen: true,
  });
  server.maxConnections = options.maxConnections;

  const refuse = (peer: string, reason: string, extra: { tlsVersion?: string; fingerprint?: string } = {}): void => {
    audit.connectionRefused({ connectionId: nextConnectionId++, peer, reason, ...extra });
  };

  server.on('connection', (raw: Socket) => {
    const peer = formatPeer(raw.remoteAddress, raw.remotePort);
    handshaking.set(peer, raw);
    raw.once('close', () => {
      if (handshaking.get(peer) === raw) handshaking.delete(peer);
    });
  });

  server.on('drop', (data) => {
    refuse(formatPeer(data?.remoteAddress, data?.remotePort), `connection limit of ${options.maxConnections} reached`);
  });

  server.on('tlsClientError', (error: NodeJS.ErrnoException & { reason?: string }, socket: TLSSocket) => {
    const words = (error.code && HANDSHAKE_FAILURES[error.code]) ?? `TLS handshake failed: ${error.reason ?? error.message}`;
    refuse(formatPeer(socket.remoteAddress, socket.remotePort), error.code ? `${words} (${error.code})` : words);
    // node leaves the socket open after a handshake timeout; a failed handshake has nothing more to say.
    socket.destroy();
  });

  server.on('newSession', (id: Buffer, data: Buffer, done: () => void) => {
    sessions.set(id, data);
    done();
  });
  server.on('resumeSession', (id: Buffer, done: (error: Error | null, data: Buffer | null) => void) => {
    done(null, sessions.get(id) ?? null);
  });

  server.on('secureConnection', (socket: TLSSocket) => {
    // TLS 1.2 renegotiation could present another certificate after the identity was taken from the first.
    socket.disableRenegotiation();
    const peer = formatPeer(socket.remoteAddress, socket.remotePort);
    handshaking.delete(peer);
    const tlsVersion = socket.getProtocol() ?? 'unknown';
    if (shuttingDown) {
      refuse(peer, 'server shutting down', { tlsVersion });
      socket.destroy();
      return;
    }
    const certificate = socket.getPeerCertificate();
    if (!certificate?.raw) {
      refuse(peer, 'no client certificate', { tlsVersion });
      socket.destroy();
      return;
    }
    const fingerprint = certificateFingerprint(certificate.raw);
    if (!socket.authorized) {
      const code = String(socket.authorizationError ?? 'NOT_VERIFIED');
      const words = VERIFY_FAILURES[code];
      refuse(peer, `client certificate rejected: ${code}${words ? ` (${words})` : ''}`, { tlsVersion, fingerprint });
      socket.destroy();
      return;
    }
    // A resumed session carries the verification made when it began; the certificate may have expired since.
    if (Date.parse(certificate.valid_to) <= Date.now()) {
      refuse(peer, 'client certificate rejected: CERT_HAS_EXPIRED (certificate expired)', { tlsVersion, fingerprint });
      socket.destroy();
      return;
    }
    const result = identityFromCertificate(certificate, options.identity);
    if (!result.ok) {
      refuse(peer, result.reason, { tlsVersion, fingerprint });
      socket.destroy();
      return;
    }
    const context: ConnectionContext = { connectionId: nextConnectionId++, peer, identity: result.identity, tlsVersion };
    const connection = new KmipConnection(socket, context, handler, options);
    live.set(connection, connection.closed.then((reason) => {
      live.delete(connection);
      audit.connectionClosed({ connectionId: context.connectionId, peer, identity: result.identity.name, tlsVersion, reason });
    }));
    audit.connectionOpened({
      connectionId: context.connectionId,
      peer,
      identity: result.identity.name,
      tlsVersion,
      fingerprint,
      resumed: socket.isSessionReused(),
    });
  });

  return {
    options,
    get connections() {
      return live.size;
    },
    listen() {
      return new Promise((resolve, reject) => {
        const onError = (error: Error): void => reject(error);
        server.once('error', onError);
        server.listen(options.port, options.host, () => {
          server.off('error', onError);
          const address = server.address() as AddressInfo;
          resolve({ host: address.address, port: address.port });
        });
      });
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        shuttingDown = true;
        const deadline = setTimeout(() => {
          for (const connection of live.keys()) connection.destroy('shutdown timeout');
          for (const raw of handshaking.values()) raw.destroy();
        }, options.shutdownTimeoutMs);
        // Resolves once every TCP connection has closed (or at once when not listening).
        server.close(() => {
          clearTimeout(deadline);
          sessions.clear();
          // The sockets are closed; wait for their close records to be written too.
          void Promise.all(live.values()).then(() => resolve());
        });
        for (const raw of handshaking.values()) raw.destroy();
        for (const connection of live.keys()) connection.shutdown();
      });
      return closing;
    },
  };
}
