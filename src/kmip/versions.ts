// KMIP protocol versions known to kmipd, in order (1.4 §6.1, 2.1 §6.1.1 Protocol Version).
export const KMIP_VERSIONS = ['1.0', '1.1', '1.2', '1.3', '1.4', '2.0', '2.1'] as const;
export type KmipVersion = (typeof KMIP_VERSIONS)[number];

const RANK: Readonly<Record<KmipVersion, number>> = {
  '1.0': 0, '1.1': 1, '1.2': 2, '1.3': 3, '1.4': 4, '2.0': 5, '2.1': 6,
};

/** Position of a version in KMIP_VERSIONS: compare versions by rank. */
export function versionRank(v: KmipVersion): number {
  return RANK[v];
}

/** True when `v` lies in [since, until): `until` is the first version that no longer defines it. */
export function definedIn(v: KmipVersion, since: KmipVersion, until?: KmipVersion): boolean {
  const r = RANK[v];
  return r >= RANK[since] && (until === undefined || r < RANK[until]);
}

/** The KmipVersion for a header's major/minor, or undefined when kmipd does not know it. */
export function versionOf(major: number, minor: number): KmipVersion | undefined {
  const s = `${major}.${minor}`;
  return (KMIP_VERSIONS as readonly string[]).includes(s) ? (s as KmipVersion) : undefined;
}
