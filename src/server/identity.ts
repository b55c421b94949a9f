// The client's identity from its verified certificate: subject CN, a subjectAltName entry or the fingerprint (KMIP 1.4 §10 → Profiles' client authentication).
import { X509Certificate, createHash } from 'node:crypto';
import type { PeerCertificate } from 'node:tls';
import type { ClientIdentity } from './kmip-handler.js';
import type { IdentityOptions, SanType } from './server-options.js';

/** id-kp-clientAuth (RFC 5280 §4.2.1.12). */
export const OID_CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

/** How node prints each SAN type in `subjectAltName` (its prefix before the colon). */
const SAN_PREFIX = {
  DNS: 'DNS',
  email: 'email',
  URI: 'URI',
  IP: 'IP Address',
} as const satisfies Record<SanType, string>;

/**
 * Longest identity accepted. Identities are stored as object owners and written to the audit log; a
 * certificate field can be megabytes.
 */
const MAX_IDENTITY_LENGTH = 1024;
/** C0 and C1 controls: an identity with NUL or newline could impersonate another in logs or comparisons. */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

export type IdentityResult =
  | { readonly ok: true; readonly identity: ClientIdentity }
  | { readonly ok: false; readonly reason: string; readonly fingerprint: string };

/** Hex SHA-256 of the DER certificate, lower case, no separators. */
export function certificateFingerprint(der: Buffer): string {
  return createHash('sha256').update(der).digest('hex');
}

/**
 * Decides who the client is. The chain has been verified by TLS before this is called; this adds the rules
 * TLS does not know: extendedKeyUsage clientAuth, and exactly one value for the field that names the client.
 */
export function identityFromCertificate(
  certificate: PeerCertificate | X509Certificate,
  options: IdentityOptions,
): IdentityResult {
  const x509 = certificate instanceof X509Certificate ? certificate : new X509Certificate(certificate.raw);
  const fingerprint = certificateFingerprint(x509.raw);
  const refuse = (reason: string): IdentityResult => ({ ok: false, reason, fingerprint });

  if (options.requireClientAuthEku) {
    // node gives the EKU OIDs as keyUsage; undefined when the certificate has no EKU extension at all.
    const usages = x509.keyUsage as string[] | undefined;
    if (usages === undefined) return refuse('client certificate has no extendedKeyUsage (clientAuth required)');
    if (!usages.includes(OID_CLIENT_AUTH)) return refuse('client certificate extendedKeyUsage lacks clientAuth');
  }

  let name: string | undefined;
  switch (options.source) {
    case 'fingerprint':
      name = fingerprint;
      break;
    case 'cn': {
      // The legacy object keeps values unescaped and turns a repeated attribute into an array.
      const cn: unknown = (x509.toLegacyObject().subject as Record<string, unknown> | undefined)?.CN;
      if (cn === undefined) return refuse('client certificate subject has no CN');
      if (typeof cn !== 'string') return refuse('client certificate subject has more than one CN');
      name = cn;
      break;
    }
    case 'san': {
      const entries = parseSubjectAltName(x509.subjectAltName ?? '');
      for (const type of options.sanTypes) {
        name = entries.find((entry) => entry.type === SAN_PREFIX[type])?.value;
        if (name !== undefined) break;
      }
      if (name === undefined) return refuse(`client certificate has no subjectAltName of type ${options.sanTypes.join('/')}`);
      break;
    }
  }
  if (name.length === 0) return refuse(`client certificate ${options.source} identity is empty`);
  if (name.length > MAX_IDENTITY_LENGTH) return refuse(`client certificate ${options.source} identity is too long`);
  if (CONTROL_CHARACTERS.test(name)) return refuse(`client certificate ${options.source} identity has control characters`);
  return { ok: true, identity: { name, fingerprint } };
}

export interface SanEntry {
  /** As node prints it: "DNS", "email", "URI", "IP Address", "DirName", "othername" … */
  readonly type: string;
  readonly value: string;
}

/**
 * Splits node's subjectAltName text ("DNS:a, email:b@c, …"). Node writes a value that holds a comma, quote,
 * backslash or non-printable character as a JSON string, so a crafted value cannot forge a second entry.
 */
export function parseSubjectAltName(text: string): SanEntry[] {
  const entries: SanEntry[] = [];
  let at = 0;
  while (at < text.length) {
    const colon = text.indexOf(':', at);
    if (colon < 0) break;
    const type = text.slice(at, colon);
    let value: string;
    let next: number;
    if (text[colon + 1] === '"') {
      // JSON string: find its closing quote, skipping escaped characters.
      let end = colon + 2;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      try {
        value = JSON.parse(text.slice(colon + 1, end + 1)) as string;
      } catch {
        break; // not node's format: stop rather than guess
      }
      next = end + 1;
    } else {
      const comma = text.indexOf(', ', colon + 1);
      next = comma < 0 ? text.length : comma;
      value = text.slice(colon + 1, next);
    }
    entries.push({ type, value });
    at = text.startsWith(', ', next) ? next + 2 : next;
  }
  return entries;
}
