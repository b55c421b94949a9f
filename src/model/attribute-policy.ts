// Attribute policy: each attribute's versions, type, object types, who sets, changes, deletes it (1.x §3, 2.x §4).
import { ENUMERATIONS } from '../kmip/enumerations.js';
import { definedIn, versionRank, type KmipVersion } from '../kmip/versions.js';
import { ItemType, type ItemTypeCode } from '../ttlv/item-type.js';
import { isCustomAttributeName } from './attribute.js';

type EnumEntry = (typeof ENUMERATIONS)[number];
type ValueName<N extends EnumEntry['name']> = Extract<EnumEntry, { readonly name: N }>['values'][number]['name'];

/** An Object Type enumeration value name (1.4 §9.1.3.2.12, 2.1 §11.34). */
export type ObjectTypeName = ValueName<'ObjectType'>;
/** An Operation enumeration value name (1.4 §9.1.3.2.27, 2.1 §11.36). */
export type OperationName = ValueName<'Operation'>;
/** A State enumeration value name (1.4 §9.1.3.2.18, 2.1 §11.55). */
export type StateName = ValueName<'State'>;

/**
 * One row of the spec's attribute rules (1.4 §3 Table 54, 2.1 §4 Table 27) for the versions [since, until).
 * Where an attribute's rules differ between versions it has one rule per range, the ranges disjoint.
 * Names of operations or object types that a version in the range does not define (Re-key Key Pair in 1.0,
 * PGP Key before 1.2, Template from 2.0) are inert there: such rows were merged rather than split.
 */
export interface AttributeRule {
  /** kmipd's internal attribute name: the normalised name of the attribute's tag (tags.ts). */
  readonly name: string;
  readonly since: KmipVersion;
  /** First version that no longer has this rule (another rule, or no attribute of that name). */
  readonly until?: KmipVersion;
  /** Item type of the value (of the Attribute Value in 1.x, of the attribute item in 2.x). */
  readonly type: ItemTypeCode;
  /** "Applies to Object Types"; 'all' means every object type the version defines. */
  readonly objectTypes: 'all' | readonly ObjectTypeName[];
  /** "SHALL always have a value" (for the object types it applies to, from creation until destruction). */
  readonly alwaysPresent: boolean;
  /** Object types exempt from `alwaysPresent` although the attribute applies to them (2.x "Yes (except …)"). */
  readonly alwaysPresentExcept?: readonly ObjectTypeName[];
  /** "Initially set by": Server, Client, or either ("Server or Client", "Client or Server (…)"). */
  readonly initiallySetBy: 'server' | 'client' | 'either';
  /** "Modifiable by server": may the server change it without a client's request. */
  readonly serverModifiable: boolean;
  /** "Modifiable by client". */
  readonly clientModifiable: boolean;
  /** "Yes, only while in … state": the states in which either party may modify it. */
  readonly modifiableInStates?: readonly StateName[];
  /** "Deletable by client". */
  readonly clientDeletable: boolean;
  /** "Multiple instances permitted". */
  readonly multiValued: boolean;
  /** "When implicitly set" as Operation names; where the table names an event instead, that event's operations. */
  readonly implicitlySetBy: readonly OperationName[];
  /** The table's own words when "When implicitly set" names an event rather than operations. */
  readonly implicitlySetWhen?: string;
  /**
   * The rules say "Initially set by: Server", yet a creating request may carry the value: the server records it
   * (or checks it against the object) rather than refusing it (2.1 §4 Table 28 defaults; 2.1 BL-M-10-21).
   */
  readonly clientSuppliedOnCreate?: boolean;
  /** The value may be of any item type (1.x Custom Attribute); `type` is then only the structured form. */
  readonly anyValueType?: boolean;
  /** Where the rule comes from, e.g. '1.1-1.4 §3.4; 2.0-2.1 §4.13'. */
  readonly section: string;
  /** How this rule differs from the same attribute's rule in other versions. */
  readonly versionNotes?: string;
  /** Conditions the table states in words (e.g. "Yes, for client-created attributes"). */
  readonly notes?: string;
}

// 1.4 §2.2: "Managed Cryptographic Objects are the subset of Managed Objects that contain cryptographic material";
// §2.2.1–2.2.9 name Certificate, Symmetric/Public/Private Key, Split Key, Secret Data and PGP Key so. Tables say
// "All Cryptographic Objects" for them (not Template, not Opaque Object).
const CRYPTOGRAPHIC_OBJECTS = [
  'Certificate', 'SymmetricKey', 'PublicKey', 'PrivateKey', 'SplitKey', 'SecretData', 'PGPKey',
] as const satisfies readonly ObjectTypeName[];
// "Keys" in the 1.x tables; PGP Key (1.2) holds a key too.
const KEYS = [
  'SymmetricKey', 'PublicKey', 'PrivateKey', 'SplitKey', 'PGPKey',
] as const satisfies readonly ObjectTypeName[];

// The operations that create or register an object: the "When implicitly set" list of Unique Identifier (1.1–2.1).
const CREATING = [
  'Create', 'CreateKeyPair', 'Register', 'DeriveKey', 'Certify', 'ReCertify', 'ReKey', 'ReKeyKeyPair',
] as const satisfies readonly OperationName[];
// The operations that make a replacement object; 2.1 §4.48 calls automatic rotation their equivalent.
const RENEWING = ['ReKey', 'ReKeyKeyPair', 'ReCertify'] as const satisfies readonly OperationName[];

// 2.0-2.1 §4.6: one rules table covers the 24 Certificate Subject … and Certificate Issuer … attributes.
const CERTIFICATE_FIELD = {
  since: '2.0', type: ItemType.TextString,
  objectTypes: ['Certificate'],
  alwaysPresent: false, initiallySetBy: 'server',
  serverModifiable: false, clientModifiable: false, clientDeletable: false, multiValued: true,
  implicitlySetBy: ['Register', 'Certify', 'ReCertify'],
  section: '2.0-2.1 §4.6',
} as const;

// By the version that introduced the attribute, then in that version's section order; 2.x additions last.
export const ATTRIBUTE_RULES = [
  {
    name: 'UniqueIdentifier', since: '1.0', type: ItemType.TextString,
    objectTypes: 'all',
    alwaysPresent: true, initiallySetBy: 'server',
    serverModifiable: false, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: CREATING,
    section: '1.0-1.4 §3.1; 2.0 §4.51; 2.1 §4.58',
    notes: '2.x requests may also reference an object by Unique Identifier Enumeration or Integer (2.1 §4.58 '
      + 'Table 145); the attribute itself is a Text String.',
  },
  {
    name: 'Name', since: '1.0', type: ItemType.Structure,
    objectTypes: 'all',
    alwaysPresent: false, initiallySetBy: 'client',
    serverModifiable: true, clientModifiable: true, clientDeletable: true, multiValued: true,
    implicitlySetBy: RENEWING,
    section: '1.0-1.4 §3.2; 2.0-2.1 §4.32',
  },
  {
    name: 'ObjectType', since: '1.0', type: ItemType.Enumeration,
    objectTypes: 'all',
    alwaysPresent: true, initiallySetBy: 'server',
    serverModifiable: false, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: CREATING,
    section: '1.0-1.4 §3.3; 2.0-2.1 §4.36',
  },
  {
    name: 'CryptographicAlgorithm', since: '1.0', until: '1.1', type: ItemType.Enumeration,
    objectTypes: ['SymmetricKey', 'PublicKey', 'PrivateKey', 'SplitKey', 'Certificate', 'Template'],
    alwaysPresent: true, initiallySetBy: 'server',
    serverModifiable: false, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: ['Create', 'CreateKeyPair', 'Register', 'DeriveKey', 'ReKey'],
    clientSuppliedOnCreate: true,
    section: '1.0 §3.4',
    versionNotes: '1.0 lists neither Certify nor Re-certify among the operations that set it implicitly; 1.1 adds '
      + 'them.',
  },
  {
    name: 'CryptographicAlgorithm', since: '1.1', until: '2.0', type: ItemType.Enumeration,
    objectTypes: [...KEYS, 'Certificate', 'Template'],
    alwaysPresent: true, initiallySetBy: 'server',
    serverModifiable: false, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: CREATING,
    clientSuppliedOnCreate: true,
    section: '1.1-1.4 §3.4',
    versionNotes: '1.1-1.4: Certify and Re-certify also set it (not in 1.0); applies to keys, certificates, '
      + 'templates. 2.x: to all objects, always present except for Secret Data and Opaque Objects.',
  },
  {
    name: 'CryptographicAlgorithm', since: '2.0', type: ItemType.Enumeration,
    objectTypes: 'all',
    alwaysPresent: true, initiallySetBy: 'server',
    serverModifiable: false, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: CREATING,
    alwaysPresentExcept: ['SecretData', 'OpaqueObject'],
    clientSuppliedOnCreate: true,
    section: '2.0-2.1 §4.13',
    versionNotes: '2.x: applies to all objects, but SHALL always have a value only for objects other than Secret '
      + 'Data and Opaque Objects; 1.x: keys, certificates, templates.',
  },
  {
    name: 'CryptographicLength', since: '1.0', until: '1.1', type: ItemType.Integer,
    objectTypes: ['SymmetricKey', 'PublicKey', 'PrivateKey', 'SplitKey', 'Certificate', 'Template'],
    alwaysPresent: true, initiallySetBy: 'server',
    serverModifiable: false, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: ['Create', 'CreateKeyPair', 'Register', 'DeriveKey', 'ReKey'],
    clientSuppliedOnCreate: true,
    section: '1.0 §3.5',
    versionNotes: '1.0 lists neither Certify nor Re-certify among the operations that set it implicitly; 1.1 adds '
      + 'them.',
  },
  {
    name: 'CryptographicLength', since: '1.1', until: '2.0', type: ItemType.Integer,
    objectTypes: [...KEYS, 'Certificate', 'Template'],
    alwaysPresent: true, initiallySetBy: 'server',
    serverModifiable: false, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: CREATING,
    clientSuppliedOnCreate: true,
    section: '1.1-1.4 §3.5',
    versionNotes: '1.1-1.4: Certify and Re-certify also set it (not in 1.0); applies to keys, certificates, '
      + 'templates. 2.x: to all objects, always present except for Opaque Objects.',
  },
  {
    name: 'CryptographicLength', since: '2.0', type: ItemType.Integer,
    objectTypes: 'all',
    alwaysPresent: true, initiallySetBy: 'server',
    serverModifiable: false, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: CREATING,
    alwaysPresentExcept: ['OpaqueObject'],
    clientSuppliedOnCreate: true,
    section: '2.0-2.1 §4.15',
    versionNotes: '2.x: applies to all objects, but SHALL always have a value only for objects other than Opaque '
      + 'Objects; 1.x: keys, certificates, templates.',
  },
  {
    name: 'CryptographicParameters', since: '1.0', until: '2.0', type: ItemType.Structure,
    objectTypes: [...KEYS, 'Certificate', 'Template'],
    alwaysPresent: false, initiallySetBy: 'client',
    serverModifiable: false, clientModifiable: true, clientDeletable: true, multiValued: true,
    implicitlySetBy: RENEWING,
    section: '1.0-1.4 §3.6',
    versionNotes: '1.x: applies to keys, certificates and templates; 2.x: to all objects.',
  },
  {
    name: 'CryptographicParameters', since: '2.0', type: ItemType.Structure,
    objectTypes: 'all',
    alwaysPresent: false, initiallySetBy: 'client',
    serverModifiable: false, clientModifiable: true, clientDeletable: true, multiValued: true,
    implicitlySetBy: RENEWING,
    section: '2.0-2.1 §4.16',
    versionNotes: '2.x: applies to all objects; 1.x: keys, certificates and templates.',
  },
  {
    name: 'CryptographicDomainParameters', since: '1.0', until: '2.0', type: ItemType.Structure,
    objectTypes: ['PublicKey', 'PrivateKey', 'Template'],
    alwaysPresent: false, initiallySetBy: 'client',
    serverModifiable: false, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: ['ReKey', 'ReKeyKeyPair'],
    section: '1.0-1.4 §3.7',
    versionNotes: '1.x: "Asymmetric Keys, Templates" (read as Public Key, Private Key, Template); 2.x: Public '
      + 'Keys, Private Keys.',
  },
  {
    name: 'CryptographicDomainParameters', since: '2.0', type: ItemType.Structure,
    objectTypes: ['PublicKey', 'PrivateKey'],
    alwaysPresent: false, initiallySetBy: 'client',
    serverModifiable: false, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: ['ReKey', 'ReKeyKeyPair'],
    section: '2.0-2.1 §4.14',
    versionNotes: '2.x: Public Keys and Private Keys; 1.x also Templates.',
  },
  {
    name: 'CertificateType', since: '1.0', type: ItemType.Enumeration,
    objectTypes: ['Certificate'],
    alwaysPresent: true, initiallySetBy: 'server',
    serverModifiable: false, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: ['Register', 'Certify', 'ReCertify'],
    clientSuppliedOnCreate: true,
    section: '1.0-1.4 §3.8; 2.0-2.1 §4.7',
    notes: 'Set from the certificate; a 2.x Register may state it among the Attributes too (2.1 BL-M-10-21 does).',
  },
  {
    name: 'CertificateIdentifier', since: '1.0', until: '2.0', type: ItemType.Structure,
    objectTypes: ['Certificate'],
    alwaysPresent: true, initiallySetBy: 'server',
    serverModifiable: false, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: ['Register', 'Certify', 'ReCertify'],
    section: '1.0 §3.9; 1.1-1.4 §3.13',
    notes: 'Deprecated as of 1.1 in favour of X.509 Certificate Identifier; (Reserved) in 2.0.',
  },
  {
    name: 'CertificateSubject', since: '1.0', until: '2.0', type: ItemType.Structure,
    objectTypes: ['Certificate'],
    alwaysPresent: true, initiallySetBy: 'server',
    serverModifiable: false, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: ['Register', 'Certify', 'ReCertify'],
    section: '1.0 §3.10; 1.1-1.4 §3.14',
    notes: 'Deprecated as of 1.1 in favour of X.509 Certificate Subject; (Reserved) in 2.0.',
  },
  {
    name: 'CertificateIssuer', since: '1.0', until: '2.0', type: ItemType.Structure,
    objectTypes: ['Certificate'],
    alwaysPresent: true, initiallySetBy: 'server',
    serverModifiable: false, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: ['Register', 'Certify', 'ReCertify'],
    section: '1.0 §3.11; 1.1-1.4 §3.15',
    notes: 'Deprecated as of 1.1 in favour of X.509 Certificate Issuer; (Reserved) in 2.0.',
  },
  {
    name: 'Digest', since: '1.0', until: '2.0', type: ItemType.Structure,
    objectTypes: [...CRYPTOGRAPHIC_OBJECTS, 'OpaqueObject'],
    alwaysPresent: true, initiallySetBy: 'server',
    serverModifiable: false, clientModifiable: false, clientDeletable: false, multiValued: true,
    implicitlySetBy: CREATING,
    section: '1.0 §3.12; 1.1-1.4 §3.17',
    versionNotes: '1.x: applies to cryptographic objects and opaque objects (not templates); 2.x: to all objects.',
    notes: 'SHALL always have a value if the server has access to the Digest Value or the Key Material (keys, '
      + 'secret data), the Certificate Value (certificates) or the Opaque Data Value (opaque objects).',
  },
  {
    name: 'Digest', since: '2.0', type: ItemType.Structure,
    objectTypes: 'all',
    alwaysPresent: true, initiallySetBy: 'server',
    serverModifiable: false, clientModifiable: false, clientDeletable: false, multiValued: true,
    implicitlySetBy: CREATING,
    section: '2.0-2.1 §4.21',
    versionNotes: '2.x: applies to all objects; 1.x: cryptographic and opaque objects.',
    notes: 'SHALL always have a value if the server has access to the Digest Value or the Key Material (keys, '
      + 'secret data), the Certificate Value (certificates) or the Opaque Data Value (opaque objects).',
  },
  {
    name: 'OperationPolicyName', since: '1.0', until: '2.0', type: ItemType.TextString,
    objectTypes: 'all',
    alwaysPresent: false, initiallySetBy: 'either',
    serverModifiable: true, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: CREATING,
    section: '1.0 §3.13; 1.1-1.4 §3.18',
    notes: 'Deprecated as of 1.3; (Reserved) in 2.0.',
  },
  {
    name: 'CryptographicUsageMask', since: '1.0', until: '2.0', type: ItemType.Integer,
    objectTypes: [...CRYPTOGRAPHIC_OBJECTS, 'Template'],
    alwaysPresent: true, initiallySetBy: 'either',
    serverModifiable: true, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: CREATING,
    section: '1.0 §3.14; 1.1-1.4 §3.19',
    versionNotes: '1.x: applies to cryptographic objects and templates; 2.x: to all objects.',
  },
  {
    name: 'CryptographicUsageMask', since: '2.0', type: ItemType.Integer,
    objectTypes: 'all',
    alwaysPresent: true, initiallySetBy: 'either',
    serverModifiable: true, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: CREATING,
    alwaysPresentExcept: ['OpaqueObject'],
    section: '2.0-2.1 §4.17',
    versionNotes: '2.x: applies to all objects, always present except for Opaque Objects; 1.x: cryptographic '
      + 'objects and templates.',
  },
  {
    name: 'LeaseTime', since: '1.0', until: '2.0', type: ItemType.Interval,
    objectTypes: CRYPTOGRAPHIC_OBJECTS,
    alwaysPresent: false, initiallySetBy: 'server',
    serverModifiable: true, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: CREATING,
    section: '1.0 §3.15; 1.1-1.4 §3.20',
    versionNotes: '1.x: applies to cryptographic objects; 2.x: to all objects.',
  },
  {
    name: 'LeaseTime', since: '2.0', type: ItemType.Interval,
    objectTypes: 'all',
    alwaysPresent: false, initiallySetBy: 'server',
    serverModifiable: true, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: CREATING,
    section: '2.0-2.1 §4.30',
    versionNotes: '2.x: applies to all objects; 1.x: cryptographic objects only.',
  },
  {
    name: 'UsageLimits', since: '1.0', until: '2.0', type: ItemType.Structure,
    objectTypes: [...KEYS, 'Template'],
    alwaysPresent: false, initiallySetBy: 'either',
    serverModifiable: true, clientModifiable: true, clientDeletable: true, multiValued: false,
    implicitlySetBy: [
      'Create', 'CreateKeyPair', 'Register', 'DeriveKey', 'ReKey', 'ReKeyKeyPair', 'GetUsageAllocation',
    ],
    section: '1.0 §3.16; 1.1-1.4 §3.21',
    versionNotes: '1.x: applies to keys and templates; 2.x: to all objects.',
    notes: 'The server sets Total, Count and Unit; a client sets or modifies only Total and/or Unit, and modifies '
      + 'or deletes it only until Get Usage Allocation has been performed.',
  },
  {
    name: 'UsageLimits', since: '2.0', type: ItemType.Structure,
    objectTypes: 'all',
    alwaysPresent: false, initiallySetBy: 'either',
    serverModifiable: true, clientModifiable: true, clientDeletable: true, multiValued: false,
    implicitlySetBy: [
      'Create', 'CreateKeyPair', 'Register', 'DeriveKey', 'ReKey', 'ReKeyKeyPair', 'GetUsageAllocation',
    ],
    section: '2.0 §4.52; 2.1 §4.59',
    versionNotes: '2.x: applies to all objects; 1.x: keys and templates.',
    notes: 'The server sets Total, Count and Unit; a client sets or modifies only Total and/or Unit, and modifies '
      + 'or deletes it only until Get Usage Allocation has been performed.',
  },
  {
    name: 'State', since: '1.0', until: '2.0', type: ItemType.Enumeration,
    objectTypes: CRYPTOGRAPHIC_OBJECTS,
    alwaysPresent: true, initiallySetBy: 'server',
    serverModifiable: true, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: [
      'Create', 'CreateKeyPair', 'Register', 'DeriveKey', 'Activate', 'Revoke', 'Destroy', 'Certify', 'ReCertify',
      'ReKey', 'ReKeyKeyPair',
    ],
    section: '1.0 §3.17; 1.1-1.4 §3.22',
    versionNotes: '1.x: applies to cryptographic objects; 2.x: to all objects.',
    notes: 'Changed only by the server, in response to operations (Activate, Revoke, Destroy ...) and dates '
      + 'reached.',
  },
  {
    name: 'State', since: '2.0', type: ItemType.Enumeration,
    objectTypes: 'all',
    alwaysPresent: true, initiallySetBy: 'server',
    serverModifiable: true, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: [
      'Create', 'CreateKeyPair', 'Register', 'DeriveKey', 'Activate', 'Revoke', 'Destroy', 'Certify', 'ReCertify',
      'ReKey', 'ReKeyKeyPair',
    ],
    section: '2.0 §4.50; 2.1 §4.57',
    versionNotes: '2.x: applies to all objects; 1.x: cryptographic objects only.',
    notes: 'Changed only by the server, in response to operations (Activate, Revoke, Destroy ...) and dates '
      + 'reached.',
  },
  {
    name: 'InitialDate', since: '1.0', type: ItemType.DateTime,
    objectTypes: 'all',
    alwaysPresent: true, initiallySetBy: 'server',
    serverModifiable: false, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: CREATING,
    section: '1.0 §3.18; 1.1-1.4 §3.23; 2.0-2.1 §4.25',
  },
  {
    name: 'ActivationDate', since: '1.0', until: '2.0', type: ItemType.DateTime,
    objectTypes: [...CRYPTOGRAPHIC_OBJECTS, 'Template'],
    alwaysPresent: false, initiallySetBy: 'either',
    serverModifiable: true, clientModifiable: true, clientDeletable: false, multiValued: false,
    implicitlySetBy: [
      'Create', 'CreateKeyPair', 'Register', 'DeriveKey', 'Activate', 'Certify', 'ReCertify', 'ReKey', 'ReKeyKeyPair',
    ],
    modifiableInStates: ['PreActive'],
    section: '1.0 §3.19; 1.1-1.4 §3.24',
    versionNotes: '1.x: applies to cryptographic objects and templates; 2.x: to all objects.',
  },
  {
    name: 'ActivationDate', since: '2.0', type: ItemType.DateTime,
    objectTypes: 'all',
    alwaysPresent: false, initiallySetBy: 'either',
    serverModifiable: true, clientModifiable: true, clientDeletable: false, multiValued: false,
    implicitlySetBy: [
      'Create', 'CreateKeyPair', 'Register', 'DeriveKey', 'Activate', 'Certify', 'ReCertify', 'ReKey', 'ReKeyKeyPair',
    ],
    modifiableInStates: ['PreActive'],
    section: '2.0-2.1 §4.1',
    versionNotes: '2.x: applies to all objects; 1.x: cryptographic objects and templates.',
  },
  {
    name: 'ProcessStartDate', since: '1.0', until: '2.0', type: ItemType.DateTime,
    objectTypes: ['SymmetricKey', 'SplitKey', 'Template'],
    alwaysPresent: false, initiallySetBy: 'either',
    serverModifiable: true, clientModifiable: true, clientDeletable: false, multiValued: false,
    implicitlySetBy: ['Create', 'Register', 'DeriveKey', 'ReKey'],
    modifiableInStates: ['PreActive', 'Active'],
    section: '1.0 §3.20; 1.1-1.4 §3.25',
    versionNotes: '1.x: applies to symmetric keys, split keys of symmetric keys, and templates; 2.x: to all '
      + 'objects.',
    notes: 'Modifiable only until the Process Start Date has been reached.',
  },
  {
    name: 'ProcessStartDate', since: '2.0', type: ItemType.DateTime,
    objectTypes: 'all',
    alwaysPresent: false, initiallySetBy: 'either',
    serverModifiable: true, clientModifiable: true, clientDeletable: false, multiValued: false,
    implicitlySetBy: ['Create', 'Register', 'DeriveKey', 'ReKey'],
    modifiableInStates: ['PreActive', 'Active'],
    section: '2.0-2.1 §4.40',
    versionNotes: '2.x: applies to all objects; 1.x: symmetric keys, split keys of symmetric keys, templates.',
    notes: 'Modifiable only until the Process Start Date has been reached.',
  },
  {
    name: 'ProtectStopDate', since: '1.0', until: '2.0', type: ItemType.DateTime,
    objectTypes: ['SymmetricKey', 'SplitKey', 'Template'],
    alwaysPresent: false, initiallySetBy: 'either',
    serverModifiable: true, clientModifiable: true, clientDeletable: false, multiValued: false,
    implicitlySetBy: ['Create', 'Register', 'DeriveKey', 'ReKey'],
    modifiableInStates: ['PreActive', 'Active'],
    section: '1.0 §3.21; 1.1-1.4 §3.26',
    versionNotes: '1.x: applies to symmetric keys, split keys of symmetric keys, and templates; 2.x: to all '
      + 'objects.',
    notes: 'Modifiable only until the Protect Stop Date has been reached.',
  },
  {
    name: 'ProtectStopDate', since: '2.0', type: ItemType.DateTime,
    objectTypes: 'all',
    alwaysPresent: false, initiallySetBy: 'either',
    serverModifiable: true, clientModifiable: true, clientDeletable: false, multiValued: false,
    implicitlySetBy: ['Create', 'Register', 'DeriveKey', 'ReKey'],
    modifiableInStates: ['PreActive', 'Active'],
    section: '2.0-2.1 §4.41',
    versionNotes: '2.x: applies to all objects; 1.x: symmetric keys, split keys of symmetric keys, templates.',
    notes: 'Modifiable only until the Protect Stop Date has been reached.',
  },
  {
    name: 'DeactivationDate', since: '1.0', until: '2.0', type: ItemType.DateTime,
    objectTypes: [...CRYPTOGRAPHIC_OBJECTS, 'Template'],
    alwaysPresent: false, initiallySetBy: 'either',
    serverModifiable: true, clientModifiable: true, clientDeletable: false, multiValued: false,
    implicitlySetBy: [
      'Create', 'CreateKeyPair', 'Register', 'DeriveKey', 'Revoke', 'Certify', 'ReCertify', 'ReKey', 'ReKeyKeyPair',
    ],
    modifiableInStates: ['PreActive', 'Active'],
    section: '1.0 §3.22; 1.1-1.4 §3.27',
    versionNotes: '1.x: applies to cryptographic objects and templates; 2.x: to all objects.',
  },
  {
    name: 'DeactivationDate', since: '2.0', type: ItemType.DateTime,
    objectTypes: 'all',
    alwaysPresent: false, initiallySetBy: 'either',
    serverModifiable: true, clientModifiable: true, clientDeletable: false, multiValued: false,
    implicitlySetBy: [
      'Create', 'CreateKeyPair', 'Register', 'DeriveKey', 'Revoke', 'Certify', 'ReCertify', 'ReKey', 'ReKeyKeyPair',
    ],
    modifiableInStates: ['PreActive', 'Active'],
    section: '2.0-2.1 §4.18',
    versionNotes: '2.x: applies to all objects; 1.x: cryptographic objects and templates.',
  },
  {
    name: 'DestroyDate', since: '1.0', until: '2.0', type: ItemType.DateTime,
    objectTypes: [...CRYPTOGRAPHIC_OBJECTS, 'OpaqueObject'],
    alwaysPresent: false, initiallySetBy: 'server',
    serverModifiable: false, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: ['Destroy'],
    section: '1.0 §3.23; 1.1-1.4 §3.28',
    versionNotes: '1.x: applies to cryptographic and opaque objects; 2.x: to all objects.',
  },
  {
    name: 'DestroyDate', since: '2.0', type: ItemType.DateTime,
    objectTypes: 'all',
    alwaysPresent: false, initiallySetBy: 'server',
    serverModifiable: false, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: ['Destroy'],
    section: '2.0-2.1 §4.20',
    versionNotes: '2.x: applies to all objects; 1.x: cryptographic and opaque objects.',
  },
  {
    name: 'CompromiseOccurrenceDate', since: '1.0', until: '2.0', type: ItemType.DateTime,
    objectTypes: [...CRYPTOGRAPHIC_OBJECTS, 'OpaqueObject'],
    alwaysPresent: false, initiallySetBy: 'server',
    serverModifiable: false, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: ['Revoke'],
    section: '1.0 §3.24; 1.1-1.4 §3.29',
    versionNotes: '1.x: applies to cryptographic and opaque objects; 2.x: to all objects.',
  },
  {
    name: 'CompromiseOccurrenceDate', since: '2.0', type: ItemType.DateTime,
    objectTypes: 'all',
    alwaysPresent: false, initiallySetBy: 'server',
    serverModifiable: false, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: ['Revoke'],
    section: '2.0-2.1 §4.11',
    versionNotes: '2.x: applies to all objects; 1.x: cryptographic and opaque objects.',
  },
  {
    name: 'CompromiseDate', since: '1.0', until: '2.0', type: ItemType.DateTime,
    objectTypes: [...CRYPTOGRAPHIC_OBJECTS, 'OpaqueObject'],
    alwaysPresent: false, initiallySetBy: 'server',
    serverModifiable: false, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: ['Revoke'],
    section: '1.0 §3.25; 1.1-1.4 §3.30',
    versionNotes: '1.x: applies to cryptographic and opaque objects; 2.x: to all objects.',
  },
  {
    name: 'CompromiseDate', since: '2.0', type: ItemType.DateTime,
    objectTypes: 'all',
    alwaysPresent: false, initiallySetBy: 'server',
    serverModifiable: false, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: ['Revoke'],
    section: '2.0-2.1 §4.10',
    versionNotes: '2.x: applies to all objects; 1.x: cryptographic and opaque objects.',
  },
  {
    name: 'RevocationReason', since: '1.0', until: '2.0', type: ItemType.Structure,
    objectTypes: [...CRYPTOGRAPHIC_OBJECTS, 'OpaqueObject'],
    alwaysPresent: false, initiallySetBy: 'server',
    serverModifiable: true, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: ['Revoke'],
    section: '1.0 §3.26; 1.1-1.4 §3.31',
    versionNotes: '1.x: applies to cryptographic and opaque objects; 2.x: to all objects.',
  },
  {
    name: 'RevocationReason', since: '2.0', type: ItemType.Structure,
    objectTypes: 'all',
    alwaysPresent: false, initiallySetBy: 'server',
    serverModifiable: true, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: ['Revoke'],
    section: '2.0-2.1 §4.47',
    versionNotes: '2.x: applies to all objects; 1.x: cryptographic and opaque objects.',
  },
  {
    name: 'ArchiveDate', since: '1.0', type: ItemType.DateTime,
    objectTypes: 'all',
    alwaysPresent: false, initiallySetBy: 'server',
    serverModifiable: false, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: ['Archive'],
    section: '1.0 §3.27; 1.1-1.4 §3.32; 2.0-2.1 §4.5',
  },
  {
    name: 'ObjectGroup', since: '1.0', type: ItemType.TextString,
    objectTypes: 'all',
    alwaysPresent: false, initiallySetBy: 'either',
    serverModifiable: true, clientModifiable: true, clientDeletable: true, multiValued: true,
    implicitlySetBy: CREATING,
    section: '1.0 §3.28; 1.1-1.4 §3.33; 2.0-2.1 §4.35',
  },
  {
    name: 'Link', since: '1.0', until: '2.0', type: ItemType.Structure,
    objectTypes: CRYPTOGRAPHIC_OBJECTS,
    alwaysPresent: false, initiallySetBy: 'either',
    serverModifiable: true, clientModifiable: true, clientDeletable: true, multiValued: true,
    implicitlySetBy: ['CreateKeyPair', 'DeriveKey', 'Certify', 'ReCertify', 'ReKey', 'ReKeyKeyPair'],
    section: '1.0 §3.29; 1.1-1.4 §3.35',
    versionNotes: '1.x: applies to cryptographic objects, and Register does not set it implicitly; 2.x: all '
      + 'objects, Register may.',
  },
  {
    name: 'Link', since: '2.0', type: ItemType.Structure,
    objectTypes: 'all',
    alwaysPresent: false, initiallySetBy: 'either',
    serverModifiable: true, clientModifiable: true, clientDeletable: true, multiValued: true,
    implicitlySetBy: ['CreateKeyPair', 'DeriveKey', 'Certify', 'ReCertify', 'ReKey', 'ReKeyKeyPair', 'Register'],
    section: '2.0-2.1 §4.31',
    versionNotes: '2.x: applies to all objects and Register may set it implicitly; 1.x: cryptographic objects, '
      + 'not Register.',
  },
  {
    name: 'ApplicationSpecificInformation', since: '1.0', type: ItemType.Structure,
    objectTypes: 'all',
    alwaysPresent: false, initiallySetBy: 'either',
    serverModifiable: true, clientModifiable: true, clientDeletable: true, multiValued: true,
    implicitlySetBy: RENEWING,
    section: '1.0 §3.30; 1.1-1.4 §3.36; 2.0-2.1 §4.4',
    notes: "The server sets or modifies it only when the client's request omits the Application Data.",
  },
  {
    name: 'ContactInformation', since: '1.0', type: ItemType.TextString,
    objectTypes: 'all',
    alwaysPresent: false, initiallySetBy: 'either',
    serverModifiable: true, clientModifiable: true, clientDeletable: true, multiValued: false,
    implicitlySetBy: CREATING,
    section: '1.0 §3.31; 1.1-1.4 §3.37; 2.0-2.1 §4.12',
  },
  {
    name: 'LastChangeDate', since: '1.0', type: ItemType.DateTime,
    objectTypes: 'all',
    alwaysPresent: true, initiallySetBy: 'server',
    serverModifiable: true, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: [
      'Create', 'CreateKeyPair', 'Register', 'DeriveKey', 'Activate', 'Revoke', 'Destroy', 'Archive', 'Recover',
      'Certify', 'ReCertify', 'ReKey', 'ReKeyKeyPair', 'AddAttribute', 'ModifyAttribute', 'DeleteAttribute',
      'GetUsageAllocation',
    ],
    section: '1.0 §3.32; 1.1-1.4 §3.38; 2.0-2.1 §4.29',
    notes: 'The tables list the 1.x attribute operations only; a 2.x Set Attribute or Adjust Attribute changes '
      + 'the object too.',
  },
  {
    name: 'CustomAttribute', since: '1.0', until: '2.0', type: ItemType.Structure,
    objectTypes: 'all',
    alwaysPresent: false, initiallySetBy: 'either',
    serverModifiable: true, clientModifiable: true, clientDeletable: true, multiValued: true,
    implicitlySetBy: [
      'Create', 'CreateKeyPair', 'Register', 'DeriveKey', 'Activate', 'Revoke', 'Destroy', 'Certify', 'ReCertify',
      'ReKey', 'ReKeyKeyPair',
    ],
    anyValueType: true,
    section: '1.0 §3.33; 1.1-1.4 §3.39',
    versionNotes: "1.x Custom Attribute, carried as an Attribute with its 'x-'/'y-' name; 2.x replaces it by the "
      + "Vendor Attribute (rule 'Attribute').",
    notes: "Names 'x-...' are created by clients (client-modifiable and -deletable), 'y-...' by the server "
      + '(server-modifiable; the server refuses them from clients). The value is any data type, or a structure '
      + 'without sub-structures.',
  },
  {
    name: 'CertificateLength', since: '1.1', type: ItemType.Integer,
    objectTypes: ['Certificate'],
    alwaysPresent: true, initiallySetBy: 'server',
    serverModifiable: false, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: ['Register', 'Certify', 'ReCertify'],
    section: '1.1-1.4 §3.9; 2.0-2.1 §4.8',
  },
  {
    name: 'X_509CertificateIdentifier', since: '1.1', type: ItemType.Structure,
    objectTypes: ['Certificate'],
    alwaysPresent: true, initiallySetBy: 'server',
    serverModifiable: false, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: ['Register', 'Certify', 'ReCertify'],
    section: '1.1-1.4 §3.10; 2.0 §4.54; 2.1 §4.61',
    notes: 'Applies to X.509 certificates only (Certificate Type X.509).',
  },
  {
    name: 'X_509CertificateSubject', since: '1.1', type: ItemType.Structure,
    objectTypes: ['Certificate'],
    alwaysPresent: true, initiallySetBy: 'server',
    serverModifiable: false, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: ['Register', 'Certify', 'ReCertify'],
    section: '1.1-1.4 §3.11; 2.0 §4.56; 2.1 §4.63',
    notes: 'Applies to X.509 certificates only (Certificate Type X.509).',
  },
  {
    name: 'X_509CertificateIssuer', since: '1.1', type: ItemType.Structure,
    objectTypes: ['Certificate'],
    alwaysPresent: true, initiallySetBy: 'server',
    serverModifiable: false, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: ['Register', 'Certify', 'ReCertify'],
    section: '1.1-1.4 §3.12; 2.0 §4.55; 2.1 §4.62',
    notes: 'Applies to X.509 certificates only (Certificate Type X.509).',
  },
  {
    name: 'DigitalSignatureAlgorithm', since: '1.1', type: ItemType.Enumeration,
    objectTypes: ['Certificate', 'PGPKey'],
    alwaysPresent: true, initiallySetBy: 'server',
    serverModifiable: false, clientModifiable: false, clientDeletable: false, multiValued: true,
    implicitlySetBy: ['Certify', 'ReCertify', 'Register'],
    clientSuppliedOnCreate: true,
    section: '1.1-1.4 §3.16; 2.0-2.1 §4.22',
    notes: 'Multiple instances only for PGP keys (1.1: PGP certificates); a single instance for X.509 '
      + 'certificates. 1.1 applies it to Certificates only (PGP Key is new in 1.2).',
  },
  {
    name: 'Fresh', since: '1.1', until: '2.0', type: ItemType.Boolean,
    objectTypes: CRYPTOGRAPHIC_OBJECTS,
    alwaysPresent: false, initiallySetBy: 'either',
    serverModifiable: true, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: CREATING,
    section: '1.1-1.4 §3.34',
    versionNotes: '1.x: not always present, applies to cryptographic objects; 2.x: SHALL always have a value, '
      + 'applies to all objects.',
  },
  {
    name: 'Fresh', since: '2.0', type: ItemType.Boolean,
    objectTypes: 'all',
    alwaysPresent: true, initiallySetBy: 'either',
    serverModifiable: true, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: CREATING,
    section: '2.0-2.1 §4.24',
    versionNotes: '2.x: SHALL always have a value and applies to all objects; 1.x: optional, cryptographic '
      + 'objects only.',
  },
  {
    name: 'AlternativeName', since: '1.2', type: ItemType.Structure,
    objectTypes: 'all',
    alwaysPresent: false, initiallySetBy: 'client',
    serverModifiable: true, clientModifiable: true, clientDeletable: true, multiValued: true,
    implicitlySetBy: [],
    section: '1.2-1.4 §3.40; 2.0-2.1 §4.2',
    notes: 'The server may modify it only if no value is present.',
  },
  {
    name: 'KeyValuePresent', since: '1.2', until: '2.0', type: ItemType.Boolean,
    objectTypes: ['SymmetricKey', 'PrivateKey', 'SplitKey', 'SecretData'],
    alwaysPresent: false, initiallySetBy: 'server',
    serverModifiable: false, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: ['Register'],
    implicitlySetWhen: 'During Register operation',
    section: '1.2-1.4 §3.41',
    versionNotes: '1.x: applies to Symmetric Key, Private Key, Split Key and Secret Data; 2.x: to all objects.',
    notes: "Created by the server when a Register request's Key Block omits the Key Value; the client SHALL NOT "
      + 'specify it.',
  },
  {
    name: 'KeyValuePresent', since: '2.0', type: ItemType.Boolean,
    objectTypes: 'all',
    alwaysPresent: false, initiallySetBy: 'server',
    serverModifiable: false, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: ['Register'],
    implicitlySetWhen: 'During Register operation',
    section: '2.0-2.1 §4.28',
    versionNotes: '2.x: applies to all objects; 1.x: Symmetric Key, Private Key, Split Key, Secret Data.',
    notes: "Created by the server when a Register request's Key Block omits the Key Value; the client SHALL NOT "
      + 'specify it.',
  },
  {
    name: 'KeyValueLocation', since: '1.2', until: '2.0', type: ItemType.Structure,
    objectTypes: ['SymmetricKey', 'PrivateKey', 'SplitKey', 'SecretData'],
    alwaysPresent: false, initiallySetBy: 'client',
    serverModifiable: false, clientModifiable: true, clientDeletable: true, multiValued: true,
    implicitlySetBy: [],
    section: '1.2-1.4 §3.42',
    versionNotes: '1.x: applies to Symmetric Key, Private Key, Split Key and Secret Data; 2.x: to all objects.',
    notes: "Stated by the client when a Register request's Key Block omits the Key Value; never set implicitly.",
  },
  {
    name: 'KeyValueLocation', since: '2.0', type: ItemType.Structure,
    objectTypes: 'all',
    alwaysPresent: false, initiallySetBy: 'client',
    serverModifiable: false, clientModifiable: true, clientDeletable: true, multiValued: true,
    implicitlySetBy: [],
    section: '2.0-2.1 §4.27',
    versionNotes: '2.x: applies to all objects; 1.x: Symmetric Key, Private Key, Split Key, Secret Data.',
    notes: "Stated by the client when a Register request's Key Block omits the Key Value; never set implicitly.",
  },
  {
    name: 'OriginalCreationDate', since: '1.2', type: ItemType.DateTime,
    objectTypes: 'all',
    alwaysPresent: false, initiallySetBy: 'either',
    serverModifiable: false, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: ['Create', 'CreateKeyPair', 'DeriveKey', 'ReKey', 'ReKeyKeyPair'],
    section: '1.2-1.4 §3.43; 2.0-2.1 §4.38',
    notes: 'Set by the client when it registers an object it generated, or by the server when the server '
      + 'generates the object.',
  },
  {
    name: 'RandomNumberGenerator', since: '1.3', until: '2.0', type: ItemType.Structure,
    objectTypes: CRYPTOGRAPHIC_OBJECTS,
    alwaysPresent: false, initiallySetBy: 'either',
    serverModifiable: false, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: ['Create', 'CreateKeyPair', 'DeriveKey', 'ReKey', 'ReKeyKeyPair'],
    section: '1.3-1.4 §3.44',
    versionNotes: '1.x: applies to cryptographic objects; 2.x: to all objects.',
    notes: 'Set by the client when it registers an object it generated, or by the server when the server '
      + 'generates the object. Its value is an RNG Parameters structure tagged Random Number Generator.',
  },
  {
    name: 'RandomNumberGenerator', since: '2.0', type: ItemType.Structure,
    objectTypes: 'all',
    alwaysPresent: false, initiallySetBy: 'either',
    serverModifiable: false, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: ['Create', 'CreateKeyPair', 'DeriveKey', 'ReKey', 'ReKeyKeyPair'],
    section: '2.0-2.1 §4.46',
    versionNotes: '2.x: applies to all objects; 1.x: cryptographic objects only.',
    notes: 'Set by the client when it registers an object it generated, or by the server when the server '
      + 'generates the object. Its value is an RNG Parameters structure tagged Random Number Generator.',
  },
  {
    name: 'PKCS_12FriendlyName', since: '1.4', until: '2.0', type: ItemType.TextString,
    objectTypes: CRYPTOGRAPHIC_OBJECTS,
    alwaysPresent: false, initiallySetBy: 'either',
    serverModifiable: false, clientModifiable: true, clientDeletable: true, multiValued: false,
    implicitlySetBy: [],
    section: '1.4 §3.45',
    versionNotes: '1.4: applies to Managed Cryptographic Objects; 2.x: to all objects.',
  },
  {
    name: 'PKCS_12FriendlyName', since: '2.0', type: ItemType.TextString,
    objectTypes: 'all',
    alwaysPresent: false, initiallySetBy: 'either',
    serverModifiable: false, clientModifiable: true, clientDeletable: true, multiValued: false,
    implicitlySetBy: [],
    section: '2.0-2.1 §4.39',
    versionNotes: '2.x: applies to all objects; 1.4: Managed Cryptographic Objects only.',
  },
  {
    name: 'Description', since: '1.4', type: ItemType.TextString,
    objectTypes: 'all',
    alwaysPresent: false, initiallySetBy: 'either',
    serverModifiable: true, clientModifiable: true, clientDeletable: true, multiValued: false,
    implicitlySetBy: [],
    section: '1.4 §3.46; 2.0-2.1 §4.19',
  },
  {
    name: 'Comment', since: '1.4', type: ItemType.TextString,
    objectTypes: 'all',
    alwaysPresent: false, initiallySetBy: 'either',
    serverModifiable: true, clientModifiable: true, clientDeletable: true, multiValued: false,
    implicitlySetBy: [],
    section: '1.4 §3.47; 2.0-2.1 §4.9',
  },
  {
    name: 'Sensitive', since: '1.4', type: ItemType.Boolean,
    objectTypes: 'all',
    alwaysPresent: true, initiallySetBy: 'either',
    serverModifiable: true, clientModifiable: true, clientDeletable: false, multiValued: false,
    implicitlySetBy: CREATING,
    implicitlySetWhen: 'When object is created or registered',
    section: '1.4 §3.48; 2.0 §4.48; 2.1 §4.55',
    notes: 'The server sets False when the client does not provide a value.',
  },
  {
    name: 'AlwaysSensitive', since: '1.4', type: ItemType.Boolean,
    objectTypes: 'all',
    alwaysPresent: true, initiallySetBy: 'server',
    serverModifiable: true, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: [...CREATING, 'ModifyAttribute', 'SetAttribute'],
    implicitlySetWhen: 'When Sensitive attribute is set or changed',
    section: '1.4 §3.49; 2.0-2.1 §4.3',
  },
  {
    name: 'Extractable', since: '1.4', type: ItemType.Boolean,
    objectTypes: 'all',
    alwaysPresent: true, initiallySetBy: 'either',
    serverModifiable: true, clientModifiable: true, clientDeletable: false, multiValued: false,
    implicitlySetBy: CREATING,
    implicitlySetWhen: 'When object is created or registered',
    section: '1.4 §3.50; 2.0-2.1 §4.23',
  },
  {
    name: 'NeverExtractable', since: '1.4', type: ItemType.Boolean,
    objectTypes: 'all',
    alwaysPresent: true, initiallySetBy: 'server',
    serverModifiable: true, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: [...CREATING, 'ModifyAttribute', 'SetAttribute'],
    implicitlySetWhen: 'When Never Extractable attribute is set or changed',
    section: '1.4 §3.51; 2.0-2.1 §4.33',
    notes: "The table's trigger reads 'When Never Extractable attribute is set or changed'; taken to mean the "
      + 'Extractable attribute (as Always Sensitive follows Sensitive).',
  },
  // 2.0-2.1 §4.6 Certificate Attributes: the subject and issuer fields of RFC 2253, under one rules table.
  { name: 'CertificateSubjectCN', ...CERTIFICATE_FIELD },
  { name: 'CertificateSubjectO', ...CERTIFICATE_FIELD },
  { name: 'CertificateSubjectOU', ...CERTIFICATE_FIELD },
  { name: 'CertificateSubjectEmail', ...CERTIFICATE_FIELD },
  { name: 'CertificateSubjectC', ...CERTIFICATE_FIELD },
  { name: 'CertificateSubjectST', ...CERTIFICATE_FIELD },
  { name: 'CertificateSubjectL', ...CERTIFICATE_FIELD },
  { name: 'CertificateSubjectUID', ...CERTIFICATE_FIELD },
  { name: 'CertificateSubjectSerialNumber', ...CERTIFICATE_FIELD },
  { name: 'CertificateSubjectTitle', ...CERTIFICATE_FIELD },
  { name: 'CertificateSubjectDC', ...CERTIFICATE_FIELD },
  { name: 'CertificateSubjectDNQualifier', ...CERTIFICATE_FIELD },
  { name: 'CertificateIssuerCN', ...CERTIFICATE_FIELD },
  { name: 'CertificateIssuerO', ...CERTIFICATE_FIELD },
  { name: 'CertificateIssuerOU', ...CERTIFICATE_FIELD },
  { name: 'CertificateIssuerEmail', ...CERTIFICATE_FIELD },
  { name: 'CertificateIssuerC', ...CERTIFICATE_FIELD },
  { name: 'CertificateIssuerST', ...CERTIFICATE_FIELD },
  { name: 'CertificateIssuerL', ...CERTIFICATE_FIELD },
  { name: 'CertificateIssuerUID', ...CERTIFICATE_FIELD },
  { name: 'CertificateIssuerSerialNumber', ...CERTIFICATE_FIELD },
  { name: 'CertificateIssuerTitle', ...CERTIFICATE_FIELD },
  { name: 'CertificateIssuerDC', ...CERTIFICATE_FIELD },
  { name: 'CertificateIssuerDNQualifier', ...CERTIFICATE_FIELD },
  {
    name: 'KeyFormatType', since: '2.0', type: ItemType.Enumeration,
    objectTypes: 'all',
    alwaysPresent: true, initiallySetBy: 'server',
    serverModifiable: false, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: CREATING,
    section: '2.0-2.1 §4.26',
    notes: "Its rules table has no 'When implicitly set' row; a server-set attribute that SHALL always have a "
      + 'value is set when the object is created or registered.',
  },
  {
    name: 'NISTKeyType', since: '2.0', type: ItemType.Enumeration,
    objectTypes: 'all',
    alwaysPresent: false, initiallySetBy: 'client',
    serverModifiable: false, clientModifiable: false, clientDeletable: false, multiValued: true,
    implicitlySetBy: [],
    section: '2.0-2.1 §4.34',
    notes: 'As the table says: set by the client, then neither modifiable nor deletable, yet multi-instance.',
  },
  {
    name: 'OpaqueDataType', since: '2.0', type: ItemType.Enumeration,
    objectTypes: ['OpaqueObject'],
    alwaysPresent: true, initiallySetBy: 'server',
    serverModifiable: false, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: ['Register'],
    section: '2.0-2.1 §4.37',
    notes: "Set from the Opaque Object's Opaque Data Type when it is registered.",
  },
  {
    name: 'ProtectionLevel', since: '2.0', type: ItemType.Enumeration,
    objectTypes: 'all',
    alwaysPresent: false, initiallySetBy: 'client',
    serverModifiable: false, clientModifiable: true, clientDeletable: true, multiValued: false,
    implicitlySetBy: [],
    section: '2.0-2.1 §4.42',
  },
  {
    name: 'ProtectionPeriod', since: '2.0', type: ItemType.Interval,
    objectTypes: 'all',
    alwaysPresent: false, initiallySetBy: 'client',
    serverModifiable: false, clientModifiable: true, clientDeletable: true, multiValued: false,
    implicitlySetBy: [],
    section: '2.0-2.1 §4.43',
  },
  {
    name: 'ProtectionStorageMask', since: '2.0', type: ItemType.Integer,
    objectTypes: 'all',
    alwaysPresent: true, initiallySetBy: 'server',
    serverModifiable: false, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: CREATING,
    implicitlySetWhen: 'When object is stored',
    section: '2.0-2.1 §4.44',
  },
  {
    name: 'QuantumSafe', since: '2.0', type: ItemType.Boolean,
    objectTypes: 'all',
    alwaysPresent: false, initiallySetBy: 'client',
    serverModifiable: false, clientModifiable: true, clientDeletable: true, multiValued: false,
    implicitlySetBy: [],
    section: '2.0-2.1 §4.45',
  },
  {
    name: 'ShortUniqueIdentifier', since: '2.0', type: ItemType.ByteString,
    objectTypes: 'all',
    alwaysPresent: true, initiallySetBy: 'server',
    serverModifiable: false, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: CREATING,
    section: '2.0 §4.49; 2.1 §4.56',
  },
  {
    name: 'RotateAutomatic', since: '2.1', type: ItemType.Boolean,
    objectTypes: 'all',
    alwaysPresent: false, initiallySetBy: 'either',
    serverModifiable: true, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: [],
    section: '2.1 §4.48',
    notes: "As the table says: the client may set it initially but not modify it; the table's 'When implicitly "
      + "set' is N/A.",
  },
  {
    name: 'RotateDate', since: '2.1', type: ItemType.DateTime,
    objectTypes: 'all',
    alwaysPresent: false, initiallySetBy: 'server',
    serverModifiable: false, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: RENEWING,
    implicitlySetWhen: 'When object is rotated',
    section: '2.1 §4.49',
    notes: 'Rotation is the equivalent of Re-key, Re-key Key Pair or Re-certify, by the server or on request (2.1 '
      + '§4.48).',
  },
  {
    name: 'RotateGeneration', since: '2.1', type: ItemType.Integer,
    objectTypes: 'all',
    alwaysPresent: false, initiallySetBy: 'server',
    serverModifiable: false, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: RENEWING,
    implicitlySetWhen: 'When object is rotated',
    section: '2.1 §4.50',
    notes: 'Rotation is the equivalent of Re-key, Re-key Key Pair or Re-certify, by the server or on request (2.1 '
      + '§4.48).',
  },
  {
    name: 'RotateInterval', since: '2.1', type: ItemType.Interval,
    objectTypes: 'all',
    alwaysPresent: false, initiallySetBy: 'either',
    serverModifiable: true, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: CREATING,
    implicitlySetWhen: 'When created or registered',
    section: '2.1 §4.51',
  },
  {
    name: 'RotateLatest', since: '2.1', type: ItemType.Boolean,
    objectTypes: 'all',
    alwaysPresent: false, initiallySetBy: 'server',
    serverModifiable: true, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: RENEWING,
    implicitlySetWhen: 'When object is rotated by the server',
    section: '2.1 §4.52',
    notes: 'Rotation is the equivalent of Re-key, Re-key Key Pair or Re-certify, by the server or on request (2.1 '
      + '§4.48).',
  },
  {
    name: 'RotateName', since: '2.1', type: ItemType.Structure,
    objectTypes: 'all',
    alwaysPresent: false, initiallySetBy: 'client',
    serverModifiable: false, clientModifiable: true, clientDeletable: true, multiValued: false,
    implicitlySetBy: [],
    section: '2.1 §4.53',
  },
  {
    name: 'RotateOffset', since: '2.1', type: ItemType.Interval,
    objectTypes: 'all',
    alwaysPresent: false, initiallySetBy: 'either',
    serverModifiable: true, clientModifiable: false, clientDeletable: false, multiValued: false,
    implicitlySetBy: CREATING,
    implicitlySetWhen: 'When object is created or registered',
    section: '2.1 §4.54',
  },
  // 2.x Vendor Attribute: an Attribute structure {Vendor Identification, Attribute Name, Attribute Value}. 2.0 §4.53
  // and 2.1 §4.60 give it no rules table: these are the 1.x Custom Attribute rules, which the x/y text carries over.
  {
    name: 'Attribute', since: '2.0', type: ItemType.Structure, anyValueType: true,
    objectTypes: 'all',
    alwaysPresent: false, initiallySetBy: 'either',
    serverModifiable: true, clientModifiable: true, clientDeletable: true, multiValued: true,
    implicitlySetBy: [
      'Create', 'CreateKeyPair', 'Register', 'DeriveKey', 'Activate', 'Revoke', 'Destroy', 'Certify', 'ReCertify',
      'ReKey', 'ReKeyKeyPair',
    ],
    section: '2.0 §4.53; 2.1 §4.60',
    versionNotes: 'Replaces the 1.x Custom Attribute (rule CustomAttribute), whose rules it takes: 2.x gives Vendor '
      + 'Attributes no rules table.',
    notes: 'Vendor Identification "x" marks client-created attributes, which the server never sets, modifies or '
      + 'deletes; "y" marks server-created ones, which the client never sets, modifies or deletes. kmipd names them '
      + '"x-…" and "y-…".',
  },
] as const satisfies readonly AttributeRule[];

const RULES: readonly AttributeRule[] = ATTRIBUTE_RULES;

// Name → its rules, newest first.
const BY_NAME: ReadonlyMap<string, readonly AttributeRule[]> = (() => {
  const map = new Map<string, AttributeRule[]>();
  for (const rule of RULES) {
    const list = map.get(rule.name);
    if (list === undefined) map.set(rule.name, [rule]);
    else list.push(rule);
  }
  for (const list of map.values()) list.sort((a, b) => versionRank(b.since) - versionRank(a.since));
  return map;
})();

/** The rule that carries custom attributes ("x-…", "y-…"): 1.x Custom Attribute, 2.x Vendor Attribute. */
function customRuleName(version: KmipVersion | undefined): string {
  return version !== undefined && versionRank(version) < versionRank('2.0') ? 'CustomAttribute' : 'Attribute';
}

/**
 * The rule for attribute `name` (kmipd's name: the tag name, or "x-…"/"y-…" for custom attributes) in `version`;
 * without a version, its newest rule. Undefined when the version does not define the attribute.
 */
export function attributeRule(name: string, version?: KmipVersion): AttributeRule | undefined {
  const rules = BY_NAME.get(isCustomAttributeName(name) ? customRuleName(version) : name);
  if (rules === undefined) return undefined;
  if (version === undefined) return rules[0];
  return rules.find((r) => definedIn(version, r.since, r.until));
}

const OBJECT_TYPES = ENUMERATIONS.find((e) => e.name === 'ObjectType')?.values ?? [];

/** True when `version` defines Object Type `objectType` (Template ends with 1.4, PGP Key starts in 1.2 …). */
export function objectTypeDefined(objectType: ObjectTypeName, version: KmipVersion): boolean {
  const def = OBJECT_TYPES.find((v) => v.name === objectType);
  return def !== undefined && definedIn(version, def.since, 'until' in def ? def.until : undefined);
}

/** True when `rule` applies to `objectType` (read 'all' as every object type; the version check is the caller's). */
export function ruleAppliesTo(rule: AttributeRule, objectType: ObjectTypeName): boolean {
  return rule.objectTypes === 'all' || rule.objectTypes.includes(objectType);
}

const ATTRIBUTES_OF_CACHE = new Map<string, readonly AttributeRule[]>();

/** The rules of every attribute an object of `objectType` may have in `version` (none if `version` lacks the type). */
export function ATTRIBUTES_OF(objectType: ObjectTypeName, version: KmipVersion): readonly AttributeRule[] {
  const key = `${objectType}@${version}`;
  let rules = ATTRIBUTES_OF_CACHE.get(key);
  if (rules === undefined) {
    rules = objectTypeDefined(objectType, version)
      ? RULES.filter((r) => definedIn(version, r.since, r.until) && ruleAppliesTo(r, objectType))
      : [];
    ATTRIBUTES_OF_CACHE.set(key, rules);
  }
  return rules;
}

/**
 * True when a client may never give the attribute a value: the server sets it initially, the client cannot modify it,
 * and no creating request carries it (`clientSuppliedOnCreate`). Such a value in a request is Read Only Attribute.
 */
export function isServerOnlyRule(rule: AttributeRule): boolean {
  return rule.initiallySetBy === 'server' && !rule.clientModifiable && rule.clientSuppliedOnCreate !== true;
}

/** True when attribute `name` is server-only (see isServerOnlyRule) in `version`. */
export function isServerOnly(name: string, version: KmipVersion): boolean {
  const rule = attributeRule(name, version);
  return rule !== undefined && isServerOnlyRule(rule);
}

/**
 * Names of the attributes a client may never set in any version (UniqueIdentifier, State, InitialDate,
 * LastChangeDate, Digest …). Cryptographic Algorithm, Cryptographic Length, Digital Signature Algorithm and
 * Certificate Type are server-set too, but a creating request may carry them, so they are not here.
 */
export const SERVER_ONLY: ReadonlySet<string> = new Set(
  [...BY_NAME].filter(([, rules]) => rules.every(isServerOnlyRule)).map(([name]) => name),
);
