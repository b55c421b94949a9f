// The 1.x Attribute Name strings (1.0–1.4 §3) and the tag carrying each attribute's value (2.x §4 uses the tag itself).
import type { AttributeNameDef } from './dictionary-types.js';

// `name` is the text a 1.x Attribute's Attribute Name carries; `tag` the normalised tag name of its value
// (the AttributeValue's content in 1.x, the attribute item itself in 2.x). `since`/`until` bound the
// attribute, not the spelling: 2.x sends every attribute as its tag, so the name is wire text only in 1.x,
// while `until` marks the attributes 2.0 dropped (their tags are (Reserved) in 2.0 §11.54).
// Not listed: Custom Attribute (1.x §3.39: names "x-…"/"y-…" chosen by vendors and clients, reserved in 2.0)
// and 2.x-only attributes (2.1 §4: Quantum Safe, Rotate …, which have no 1.x name).
export const ATTRIBUTE_NAMES = [
  // 1.0 §3.1–3.32 (1.4 §3.1–3.38).
  { name: 'Unique Identifier', tag: 'UniqueIdentifier', since: '1.0' },
  { name: 'Name', tag: 'Name', since: '1.0' },
  { name: 'Object Type', tag: 'ObjectType', since: '1.0' },
  { name: 'Cryptographic Algorithm', tag: 'CryptographicAlgorithm', since: '1.0' },
  { name: 'Cryptographic Length', tag: 'CryptographicLength', since: '1.0' },
  { name: 'Cryptographic Parameters', tag: 'CryptographicParameters', since: '1.0' },
  { name: 'Cryptographic Domain Parameters', tag: 'CryptographicDomainParameters', since: '1.0' },
  { name: 'Certificate Type', tag: 'CertificateType', since: '1.0' },
  // Deprecated in 1.1 for the X.509 Certificate … attributes (1.1 §3.13–3.15), gone in 2.0.
  { name: 'Certificate Identifier', tag: 'CertificateIdentifier', since: '1.0', until: '2.0' },
  { name: 'Certificate Subject', tag: 'CertificateSubject', since: '1.0', until: '2.0' },
  { name: 'Certificate Issuer', tag: 'CertificateIssuer', since: '1.0', until: '2.0' },
  { name: 'Digest', tag: 'Digest', since: '1.0' },
  // Deprecated in 1.3 (1.3 §3.18), gone in 2.0.
  { name: 'Operation Policy Name', tag: 'OperationPolicyName', since: '1.0', until: '2.0' },
  { name: 'Cryptographic Usage Mask', tag: 'CryptographicUsageMask', since: '1.0' },
  { name: 'Lease Time', tag: 'LeaseTime', since: '1.0' },
  { name: 'Usage Limits', tag: 'UsageLimits', since: '1.0' },
  { name: 'State', tag: 'State', since: '1.0' },
  { name: 'Initial Date', tag: 'InitialDate', since: '1.0' },
  { name: 'Activation Date', tag: 'ActivationDate', since: '1.0' },
  { name: 'Process Start Date', tag: 'ProcessStartDate', since: '1.0' },
  { name: 'Protect Stop Date', tag: 'ProtectStopDate', since: '1.0' },
  { name: 'Deactivation Date', tag: 'DeactivationDate', since: '1.0' },
  { name: 'Destroy Date', tag: 'DestroyDate', since: '1.0' },
  { name: 'Compromise Occurrence Date', tag: 'CompromiseOccurrenceDate', since: '1.0' },
  { name: 'Compromise Date', tag: 'CompromiseDate', since: '1.0' },
  { name: 'Revocation Reason', tag: 'RevocationReason', since: '1.0' },
  { name: 'Archive Date', tag: 'ArchiveDate', since: '1.0' },
  { name: 'Object Group', tag: 'ObjectGroup', since: '1.0' },
  { name: 'Link', tag: 'Link', since: '1.0' },
  { name: 'Application Specific Information', tag: 'ApplicationSpecificInformation', since: '1.0' },
  { name: 'Contact Information', tag: 'ContactInformation', since: '1.0' },
  { name: 'Last Change Date', tag: 'LastChangeDate', since: '1.0' },
  // Added in 1.1 (1.1 §3.9–3.12, §3.16, §3.34).
  { name: 'Certificate Length', tag: 'CertificateLength', since: '1.1' },
  { name: 'X.509 Certificate Identifier', tag: 'X_509CertificateIdentifier', since: '1.1' },
  { name: 'X.509 Certificate Subject', tag: 'X_509CertificateSubject', since: '1.1' },
  { name: 'X.509 Certificate Issuer', tag: 'X_509CertificateIssuer', since: '1.1' },
  { name: 'Digital Signature Algorithm', tag: 'DigitalSignatureAlgorithm', since: '1.1' },
  { name: 'Fresh', tag: 'Fresh', since: '1.1' },
  // Added in 1.2 (1.2 §3.40–3.43).
  { name: 'Alternative Name', tag: 'AlternativeName', since: '1.2' },
  { name: 'Key Value Present', tag: 'KeyValuePresent', since: '1.2' },
  { name: 'Key Value Location', tag: 'KeyValueLocation', since: '1.2' },
  { name: 'Original Creation Date', tag: 'OriginalCreationDate', since: '1.2' },
  // Added in 1.3 (1.3 §3.44); its 1.x value is an RNG Parameters structure, its 2.x item is tagged Random Number Generator.
  { name: 'Random Number Generator', tag: 'RandomNumberGenerator', since: '1.3' },
  // Added in 1.4 (1.4 §3.45–3.51).
  { name: 'PKCS#12 Friendly Name', tag: 'PKCS_12FriendlyName', since: '1.4' },
  { name: 'Description', tag: 'Description', since: '1.4' },
  { name: 'Comment', tag: 'Comment', since: '1.4' },
  { name: 'Sensitive', tag: 'Sensitive', since: '1.4' },
  { name: 'Always Sensitive', tag: 'AlwaysSensitive', since: '1.4' },
  { name: 'Extractable', tag: 'Extractable', since: '1.4' },
  { name: 'Never Extractable', tag: 'NeverExtractable', since: '1.4' },
] as const satisfies readonly AttributeNameDef[];
