// Every KMIP 1.0–2.1 bit mask, bits with their versions (1.4 §9.1.3.3, 2.1 §12); names per Addtl Msg Enc §6.1.3.
// Generated once from the spec texts, then reviewed by hand. XML writes a mask as its bit names separated by spaces
// (JSON: by "|"). Bits above those listed are extensions (Cryptographic Usage Mask XXX00000, the others XXXXXXX0).
import type { MaskDef } from './dictionary-types.js';

// `as const` keeps the names literal (typed constants in enum.ts); `satisfies` checks the shape.
export const MASKS = [
  // Cryptographic Usage Mask
  // 2.0 reserves Export, Content Commitment and the cryptogram/translate bits.
  {
    name: 'CryptographicUsageMask',
    section: '1.0-1.4 §9.1.3.3.1; 2.0-2.1 §12.1',
    tags: ['CryptographicUsageMask'],
    bits: [
      { name: 'Sign', value: 0x00000001, since: '1.0' },
      { name: 'Verify', value: 0x00000002, since: '1.0' },
      { name: 'Encrypt', value: 0x00000004, since: '1.0' },
      { name: 'Decrypt', value: 0x00000008, since: '1.0' },
      { name: 'WrapKey', value: 0x00000010, since: '1.0' },
      { name: 'UnwrapKey', value: 0x00000020, since: '1.0' },
      { name: 'Export', value: 0x00000040, since: '1.0', until: '2.0' },
      { name: 'MACGenerate', value: 0x00000080, since: '1.0' },
      { name: 'MACVerify', value: 0x00000100, since: '1.0' },
      { name: 'DeriveKey', value: 0x00000200, since: '1.0' },
      { name: 'ContentCommitmentNonRepudiation', value: 0x00000400, since: '1.0', until: '2.0' },
      { name: 'KeyAgreement', value: 0x00000800, since: '1.0' },
      { name: 'CertificateSign', value: 0x00001000, since: '1.0' },
      { name: 'CRLSign', value: 0x00002000, since: '1.0' },
      { name: 'GenerateCryptogram', value: 0x00004000, since: '1.0', until: '2.0' },
      { name: 'ValidateCryptogram', value: 0x00008000, since: '1.0', until: '2.0' },
      { name: 'TranslateEncrypt', value: 0x00010000, since: '1.0', until: '2.0' },
      { name: 'TranslateDecrypt', value: 0x00020000, since: '1.0', until: '2.0' },
      { name: 'TranslateWrap', value: 0x00040000, since: '1.0', until: '2.0' },
      { name: 'TranslateUnwrap', value: 0x00080000, since: '1.0', until: '2.0' },
      { name: 'Authenticate', value: 0x00100000, since: '2.0' },
      { name: 'Unrestricted', value: 0x00200000, since: '2.0' },
      { name: 'FPEEncrypt', value: 0x00400000, since: '2.0' },
      { name: 'FPEDecrypt', value: 0x00800000, since: '2.0' },
    ],
  },
  // Protection Storage Mask
  {
    name: 'ProtectionStorageMask',
    section: '2.0-2.1 §12.2',
    tags: ['ProtectionStorageMask'],
    bits: [
      { name: 'Software', value: 0x00000001, since: '2.0' },
      { name: 'Hardware', value: 0x00000002, since: '2.0' },
      { name: 'OnProcessor', value: 0x00000004, since: '2.0' },
      { name: 'OnSystem', value: 0x00000008, since: '2.0' },
      { name: 'OffSystem', value: 0x00000010, since: '2.0' },
      { name: 'Hypervisor', value: 0x00000020, since: '2.0' },
      { name: 'OperatingSystem', value: 0x00000040, since: '2.0' },
      { name: 'Container', value: 0x00000080, since: '2.0' },
      { name: 'OnPremises', value: 0x00000100, since: '2.0' },
      { name: 'OffPremises', value: 0x00000200, since: '2.0' },
      { name: 'SelfManaged', value: 0x00000400, since: '2.0' },
      { name: 'Outsourced', value: 0x00000800, since: '2.0' },
      { name: 'Validated', value: 0x00001000, since: '2.0' },
      { name: 'SameJurisdiction', value: 0x00002000, since: '2.0' },
    ],
  },
  // Storage Status Mask
  {
    name: 'StorageStatusMask',
    section: '1.0-1.4 §9.1.3.3.2; 2.0-2.1 §12.3',
    tags: ['StorageStatusMask'],
    bits: [
      { name: 'OnLineStorage', value: 0x00000001, since: '1.0' },
      { name: 'ArchivalStorage', value: 0x00000002, since: '1.0' },
      { name: 'DestroyedStorage', value: 0x00000004, since: '2.0' },
    ],
  },
] as const satisfies readonly MaskDef[];
