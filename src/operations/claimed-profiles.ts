// The conformance profiles kmipd claims, as Query Profiles reports them (1.4 §2.1.19 Profile Information, §9.1.3.2.42
// Profile Name; 2.1 §7.31, §7.32 Profile Version, §11.41): each claim is a profile version whose mandatory OASIS
// test cases kmipd passes (test/conformance/claimed-profiles.test.ts replays them all).
import { enumForTag, enumValueDef } from '../kmip/dictionary.js';
import { Enum } from '../kmip/enum.js';
import { Tag } from '../kmip/tag.js';
import type { KmipVersion } from '../kmip/versions.js';
import { ttlv, type TtlvItem } from '../ttlv/ttlv-item.js';

const P = Enum.ProfileName;

export interface ProfileClaim {
  /** Profile Name value: 1.3–1.4 names carry the KMIP version of the profile; 2.x names carry none. */
  readonly profileName: number;
  /** 2.x: the profile document's version (Profile Version), the 2.1 profiles' test cases being the ones passed. */
  readonly profileVersion?: readonly [major: number, minor: number];
  /** The OASIS test-case set that backs the claim. */
  readonly tests: string;
}

/**
 * One row per profile version whose mandatory test cases pass: the 1.0 profiles (SKLC, SKFF, OMOS) in their 1.0, 1.1
 * and 1.2 forms, the 1.4 profiles, and the 2.1 profiles. Baseline Server is claimed for 2.1 only (its 2.1 test set
 * is the one replayed), and no 1.3 profile is claimed: there is no 1.3 test set to back it.
 */
export const CLAIMED_PROFILES: readonly ProfileClaim[] = [
  { profileName: P.SymmetricKeyLifecycleServerKMIPV1_0, tests: 'v1.0/mandatory/SKLC-M-*-10' },
  { profileName: P.SymmetricKeyLifecycleServerKMIPV1_1, tests: 'v1.0/mandatory/SKLC-M-*-11' },
  { profileName: P.SymmetricKeyLifecycleServerKMIPV1_2, tests: 'v1.0/mandatory/SKLC-M-*-12' },
  { profileName: P.SymmetricKeyLifecycleServerKMIPV1_4, tests: 'v1.4/mandatory/SKLC-M-*-14' },
  { profileName: P.SymmetricKeyFoundryServerKMIPV1_0, tests: 'v1.0/mandatory/SKFF-M-*-10' },
  { profileName: P.SymmetricKeyFoundryServerKMIPV1_1, tests: 'v1.0/mandatory/SKFF-M-*-11' },
  { profileName: P.SymmetricKeyFoundryServerKMIPV1_2, tests: 'v1.0/mandatory/SKFF-M-*-12' },
  { profileName: P.SymmetricKeyFoundryServerKMIPV1_4, tests: 'v1.4/mandatory/SKFF-M-*-14' },
  { profileName: P.OpaqueManagedObjectStoreServerKMIPV1_0, tests: 'v1.0/mandatory/OMOS-M-*-10' },
  { profileName: P.OpaqueManagedObjectStoreServerKMIPV1_1, tests: 'v1.0/mandatory/OMOS-M-*-11' },
  { profileName: P.OpaqueManagedObjectStoreServerKMIPV1_2, tests: 'v1.0/mandatory/OMOS-M-*-12' },
  { profileName: P.OpaqueManagedObjectStoreServerKMIPV1_4, tests: 'v1.4/mandatory/OMOS-M-*-14' },
  { profileName: P.StorageArrayWithSelfEncryptingDriveServerKMIPV1_4, tests: 'v1.4/mandatory/SASED-M-*-14' },
  { profileName: P.TapeLibraryServerKMIPV1_4, tests: 'v1.4/mandatory/TL-M-*-14' },
  { profileName: P.BaselineServer, profileVersion: [2, 1], tests: 'v2.1/mandatory/BL-M-*-21' },
  { profileName: P.SymmetricKeyLifecycleServer, profileVersion: [2, 1], tests: 'v2.1/mandatory/SKLC-M-*-21' },
  { profileName: P.SymmetricKeyFoundryServer, profileVersion: [2, 1], tests: 'v2.1/mandatory/SKFF-M-*-21' },
  { profileName: P.OpaqueManagedObjectStoreServer, profileVersion: [2, 1], tests: 'v2.1/mandatory/OMOS-M-*-21' },
  { profileName: P.StorageArrayWithSelfEncryptingDriveServer, profileVersion: [2, 1], tests: 'v2.1/mandatory/SASED-M-*-21' },
  { profileName: P.TapeLibraryServer, profileVersion: [2, 1], tests: 'v2.1/mandatory/TL-M-*-21' },
];

const PROFILE_NAMES = enumForTag(Tag.ProfileName);

/** The claims a client of `version` can be told: those whose Profile Name the version defines (none before 1.3). */
export function claimedProfiles(version: KmipVersion): ProfileClaim[] {
  if (PROFILE_NAMES === undefined) return [];
  return CLAIMED_PROFILES.filter((c) => enumValueDef(PROFILE_NAMES, c.profileName, version) !== undefined);
}

/** Profile Information structures for `version`: Profile Version only where the version has it (2.0+). */
export function profileInformation(version: KmipVersion): TtlvItem[] {
  return claimedProfiles(version).map((c) => {
    const fields: TtlvItem[] = [ttlv.enumeration(Tag.ProfileName, c.profileName)];
    if (c.profileVersion !== undefined && version.startsWith('2.')) {
      fields.push(ttlv.structure(Tag.ProfileVersion, [
        ttlv.integer(Tag.ProfileVersionMajor, c.profileVersion[0]),
        ttlv.integer(Tag.ProfileVersionMinor, c.profileVersion[1]),
      ]));
    }
    return ttlv.structure(Tag.ProfileInformation, fields);
  });
}
