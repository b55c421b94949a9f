// Query Profiles (1.4 §4.25, §2.1.19; 2.1 §6.1.37, §7.31, §7.32): the claimed profiles, under the Profile Names
// the client's version defines, with a Profile Version from 2.0 on; nothing before 1.3.
import t from 'tap';
import { Enum } from '../../src/kmip/enum.js';
import { Tag } from '../../src/kmip/tag.js';
import { KMIP_VERSIONS, versionRank } from '../../src/kmip/versions.js';
import { CLAIMED_PROFILES, claimedProfiles } from '../../src/operations/claimed-profiles.js';
import { MemoryAudit } from '../../src/protocol/audit.js';
import { DEFAULT_PROTOCOL_OPTIONS, ProtocolHandler } from '../../src/protocol/handle-request.js';
import { child, children, exchange, queryItem, statusName, undefinedIn } from '../helpers/kmip-messages.js';

const P = Enum.ProfileName;
const handler = new ProtocolHandler(DEFAULT_PROTOCOL_OPTIONS, new MemoryAudit());

async function profiles(version: (typeof KMIP_VERSIONS)[number]) {
  const r = await exchange(handler, { version, items: [queryItem([Enum.QueryFunction.QueryProfiles])] });
  const item = r.items[0]!;
  return { r, item, infos: item.payload === undefined ? [] : children(item.payload, Tag.ProfileInformation) };
}

const names = (infos: ReturnType<typeof children>) => infos.map((i) => child(i, Tag.ProfileName)?.value as number).sort((a, b) => a - b);

t.test('1.0–1.2: no Profile Information (the versions have no Profile Name)', async (t) => {
  for (const v of ['1.0', '1.1', '1.2'] as const) {
    const { r, item, infos } = await profiles(v);
    t.equal(statusName(item.resultStatus), 'Success', v);
    t.same(infos, [], v);
    t.same(undefinedIn(r.tree, v, ['ResponseMessage/BatchItem/Operation']), [], `${v}: nothing outside ${v}`);
  }
});

t.test('1.3: the 1.0 profiles in their 1.0–1.2 forms, by the 1.3 names', async (t) => {
  const { r, infos } = await profiles('1.3');
  t.same(names(infos), [
    P.SymmetricKeyLifecycleServerKMIPV1_0, P.SymmetricKeyLifecycleServerKMIPV1_1, P.SymmetricKeyLifecycleServerKMIPV1_2,
    P.SymmetricKeyFoundryServerKMIPV1_0, P.SymmetricKeyFoundryServerKMIPV1_1, P.SymmetricKeyFoundryServerKMIPV1_2,
    P.OpaqueManagedObjectStoreServerKMIPV1_0, P.OpaqueManagedObjectStoreServerKMIPV1_1, P.OpaqueManagedObjectStoreServerKMIPV1_2,
  ].sort((a, b) => a - b));
  t.same(undefinedIn(r.tree, '1.3'), []);
});

t.test('1.4: adds the 1.4 SKLC, SKFF, OMOS, SASED and TL server profiles', async (t) => {
  const { r, infos } = await profiles('1.4');
  const got = names(infos);
  for (const p of [P.SymmetricKeyLifecycleServerKMIPV1_4, P.SymmetricKeyFoundryServerKMIPV1_4, P.OpaqueManagedObjectStoreServerKMIPV1_4,
    P.StorageArrayWithSelfEncryptingDriveServerKMIPV1_4, P.TapeLibraryServerKMIPV1_4, P.SymmetricKeyLifecycleServerKMIPV1_0]) {
    t.ok(got.includes(p), `0x${p.toString(16)}`);
  }
  t.notOk(got.includes(P.BaselineServerBasicKMIPV1_4), 'Baseline Server is claimed in its 2.1 form only');
  t.equal(got.length, 14);
  t.ok(infos.every((i) => child(i, Tag.ProfileVersion) === undefined), 'no Profile Version in 1.x');
  t.same(undefinedIn(r.tree, '1.4'), []);
});

t.test('2.0 and 2.1: the six 2.x server profiles, Profile Version 2.1', async (t) => {
  for (const v of ['2.0', '2.1'] as const) {
    const { r, infos } = await profiles(v);
    t.same(names(infos), [P.TapeLibraryServer, P.SymmetricKeyLifecycleServer, P.SymmetricKeyFoundryServer, P.OpaqueManagedObjectStoreServer,
      P.StorageArrayWithSelfEncryptingDriveServer, P.BaselineServer].sort((a, b) => a - b), v);
    for (const i of infos) {
      const pv = child(i, Tag.ProfileVersion);
      t.ok(pv, `${v}: Profile Version`);
      if (pv !== undefined) t.same([child(pv, Tag.ProfileVersionMajor)?.value, child(pv, Tag.ProfileVersionMinor)?.value], [2, 1], `${v}: 2.1`);
    }
    t.same(undefinedIn(r.tree, v), [], `${v}: nothing outside ${v}`);
  }
});

t.test('every claim is reported in some version, and names its test set', async (t) => {
  const reported = new Set(KMIP_VERSIONS.filter((v) => versionRank(v) >= versionRank('1.3')).flatMap((v) => claimedProfiles(v)));
  t.equal(reported.size, CLAIMED_PROFILES.length);
  for (const c of CLAIMED_PROFILES) t.match(c.tests, /^v(1\.0|1\.4|2\.1)\/mandatory\/[A-Z]+-M-\*-(10|11|12|14|21)$/);
});
