// Checks the enumeration and mask tables alone (1.4 §9.1.3.2-3, 2.1 §11-12): one-to-one, spec facts, XML vector names.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import type { EnumDef, EnumValueDef, MaskDef } from '../../src/kmip/dictionary-types.js';
import { ENUMERATIONS } from '../../src/kmip/enumerations.js';
import { MASKS } from '../../src/kmip/masks.js';
import { definedIn, KMIP_VERSIONS, versionOf, versionRank, type KmipVersion } from '../../src/kmip/versions.js';

const enums: readonly EnumDef[] = ENUMERATIONS;
const masks: readonly MaskDef[] = MASKS;

const VECTORS = fileURLToPath(new URL('../../../shared/kmip-vectors/oasis-profiles/', import.meta.url));

function entriesOf(def: EnumDef | MaskDef): readonly EnumValueDef[] {
  return 'values' in def ? def.values : def.bits;
}

function enumNamed(name: string): EnumDef {
  const def = enums.find((e) => e.name === name);
  if (def === undefined) throw new Error(`no enumeration ${name}`);
  return def;
}

function maskNamed(name: string): MaskDef {
  const def = masks.find((m) => m.name === name);
  if (def === undefined) throw new Error(`no mask ${name}`);
  return def;
}

/** The value of `name` in `def` as defined in `version`, or undefined when that version does not define the name. */
function valueIn(def: EnumDef | MaskDef, name: string, version: KmipVersion): number | undefined {
  return entriesOf(def).find((v) => v.name === name && definedIn(version, v.since, v.until))?.value;
}

/** The name `version` gives to `value` in `def`, or undefined when the value is not defined (absent or reserved). */
function nameIn(def: EnumDef | MaskDef, value: number, version: KmipVersion): string | undefined {
  return entriesOf(def).find((v) => v.value === value && definedIn(version, v.since, v.until))?.name;
}

t.test('table shape', async (t) => {
  const defs: readonly (EnumDef | MaskDef)[] = [...enums, ...masks];
  const names = defs.map((d) => d.name);
  t.same([...new Set(names)], names, 'enumeration and mask names are unique');
  for (const def of defs) {
    t.match(def.name, /^[A-Z][A-Za-z0-9_]*$/, `${def.name}: CamelCase name`);
    t.match(def.section, /^(\d\.\d(-\d\.\d)? §\d+(\.\d+)*)(; \d\.\d(-\d\.\d)? §\d+(\.\d+)*)*$/, `${def.name}: section cited`);
    t.ok(def.tags.length > 0, `${def.name}: carried by some tag`);
    for (const v of entriesOf(def)) {
      const where = `${def.name}.${v.name}`;
      if (!/^[A-Z][A-Za-z0-9_]*$/.test(v.name)) t.fail(`${where}: not a normalised name`);
      if (!Number.isInteger(v.value) || v.value < 0 || v.value >= 0x80000000) t.fail(`${where}: value outside 0..7FFFFFFF`);
      if (v.until !== undefined && versionRank(v.until) <= versionRank(v.since)) t.fail(`${where}: until not after since`);
      if ('bits' in def && (v.value & (v.value - 1)) !== 0) t.fail(`${where}: a mask bit must be a single bit`);
    }
  }
});

t.test('within each version, names and values are one-to-one', async (t) => {
  for (const version of KMIP_VERSIONS) {
    for (const def of [...enums, ...masks]) {
      const live = entriesOf(def).filter((v) => definedIn(version, v.since, v.until));
      const byName = new Set(live.map((v) => v.name));
      const byValue = new Set(live.map((v) => v.value));
      t.equal(byName.size, live.length, `${version} ${def.name}: no name twice`);
      t.equal(byValue.size, live.length, `${version} ${def.name}: no value twice`);
    }
  }
});

// [enumeration or mask, name, version, value or undefined (= not defined in that version)], read from the spec texts.
type Fact = readonly [string, string, KmipVersion, number | undefined];
const FACTS: readonly Fact[] = [
  // 1.0 §9.1.3.2
  ['CryptographicAlgorithm', 'DES3', '1.0', 0x02],
  ['CryptographicAlgorithm', 'AES', '1.0', 0x03],
  ['CryptographicAlgorithm', 'EC', '1.0', undefined],
  ['ResultReason', 'ItemNotFound', '1.0', 0x01],
  ['ResultReason', 'IllegalOperation', '1.0', 0x0b],
  ['ResultReason', 'GeneralFailure', '1.0', 0x100],
  ['ObjectType', 'SymmetricKey', '1.0', 0x02],
  ['ObjectType', 'Template', '1.0', 0x06],
  ['KeyFormatType', 'TransparentSymmetricKey', '1.0', 0x07],
  ['LinkType', 'CertificateLink', '1.0', 0x101],
  ['Operation', 'DiscoverVersions', '1.0', undefined],
  ['CryptographicUsageMask', 'CRLSign', '1.0', 0x2000],
  // 1.1 §9.1.3.2
  ['Operation', 'ReKeyKeyPair', '1.1', 0x1d],
  ['Operation', 'DiscoverVersions', '1.1', 0x1e],
  ['Operation', 'Encrypt', '1.1', undefined],
  ['DigitalSignatureAlgorithm', 'SHA_256WithRSAEncryptionPKCS_1V1_5', '1.1', 0x05],
  ['EncodingOption', 'TTLVEncoding', '1.1', 0x02],
  ['ResultReason', 'EncodingOptionError', '1.1', 0x12],
  // 1.2 §9.1.3.2
  ['Operation', 'Encrypt', '1.2', 0x1f],
  ['Operation', 'Sign', '1.2', 0x21],
  ['Operation', 'RNGRetrieve', '1.2', 0x25],
  ['Operation', 'JoinSplitKey', '1.2', 0x29],
  ['ObjectType', 'PGPKey', '1.2', 0x09],
  ['LinkType', 'NextLink', '1.2', 0x10b],
  ['RecommendedCurve', 'BRAINPOOLP512T1', '1.2', 0x44],
  ['AlternativeNameType', 'X_500DistinguishedName', '1.2', 0x06],
  // 1.3 §9.1.3.2
  ['KeyFormatType', 'TransparentECPrivateKey', '1.3', 0x14],
  ['QueryFunction', 'QueryProfiles', '1.3', 0x0a],
  ['ProfileName', 'BaselineServerBasicKMIPV1_2', '1.3', 0x01],
  ['CryptographicAlgorithm', 'OneTimePad', '1.3', 0x1b],
  ['Operation', 'Import', '1.3', undefined],
  // 1.4 §9.1.3.2
  ['Operation', 'Import', '1.4', 0x2a],
  ['Operation', 'Export', '1.4', 0x2b],
  ['ResultReason', 'IllegalOperation', '1.4', 0x0b],
  ['ResultReason', 'IndexOutOfBounds', '1.4', 0x0e],
  ['ResultReason', 'Sensitive', '1.4', 0x16],
  ['ResultReason', 'NotExtractable', '1.4', 0x17],
  ['ResultReason', 'ObjectAlreadyExists', '1.4', 0x18],
  ['ResultReason', 'WrongKeyLifecycleState', '1.4', undefined],
  ['HashingAlgorithm', 'SHA_3_256', '1.4', 0x0f],
  ['HashingAlgorithm', 'SHA3_256', '1.4', undefined],
  ['KeyFormatType', 'PKCS_12', '1.4', 0x16],
  ['MaskGenerator', 'MGF1', '1.4', 0x01],
  ['CryptographicAlgorithm', 'ChaCha20Poly1305', '1.4', 0x1e],
  // 2.0 §11
  ['ResultReason', 'IllegalOperation', '2.0', undefined],
  ['ResultReason', 'IndexOutOfBounds', '2.0', undefined],
  ['ResultReason', 'NonUniqueNameAttribute', '2.0', 0x35],
  ['ResultReason', 'ObjectDestroyed', '2.0', 0x36],
  ['ResultReason', 'WrongKeyLifecycleState', '2.0', 0x43],
  ['ResultReason', 'GeneralFailure', '2.0', 0x100],
  ['ObjectType', 'Template', '2.0', undefined],
  ['ObjectType', 'CertificateRequest', '2.0', 0x0a],
  ['Operation', 'Log', '2.0', 0x2c],
  ['Operation', 'Login', '2.0', 0x2d],
  ['Operation', 'Interop', '2.0', 0x34],
  ['Operation', 'Ping', '2.0', undefined],
  ['HashingAlgorithm', 'SHA3_256', '2.0', 0x0f],
  ['DigitalSignatureAlgorithm', 'SHA_256WithRSAEncryption', '2.0', 0x05],
  ['KeyFormatType', 'PKCS_10', '2.0', 0x17],
  ['ProfileName', 'CompleteServerBasic', '2.0', 0x104],
  ['CredentialType', 'Ticket', '2.0', 0x06],
  ['CryptographicUsageMask', 'Export', '2.0', undefined],
  ['CryptographicUsageMask', 'Authenticate', '2.0', 0x100000],
  ['StorageStatusMask', 'DestroyedStorage', '2.0', 0x04],
  ['ProtectionStorageMask', 'Software', '2.0', 0x01],
  // 2.1 §11
  ['Operation', 'Ping', '2.1', 0x3b],
  ['Operation', 'SetDefaults', '2.1', 0x36],
  ['ResultReason', 'ConstraintViolation', '2.1', 0x4b],
  ['ProcessingStage', 'InProcess', '2.1', 0x02],
  ['ProtectionStorageMask', 'SameJurisdiction', '2.1', 0x2000],
  ['UniqueIdentifier', 'IDPlaceholder', '2.1', 0x01],
  ['CryptographicAlgorithm', 'Ed448', '2.1', 0x38],
];

t.test('spot checks read from the spec texts', async (t) => {
  for (const [defName, name, version, expected] of FACTS) {
    const def = enums.find((e) => e.name === defName) ?? maskNamed(defName);
    t.equal(valueIn(def, name, version), expected, `${version} ${defName}.${name} = ${expected?.toString(16) ?? 'undefined'}`);
  }
  // Reserved values have no name in the versions that reserve them.
  t.equal(nameIn(enumNamed('ObjectType'), 0x06, '2.0'), undefined, '2.0 reserves Object Type 0x06');
  t.equal(nameIn(enumNamed('ResultReason'), 0x0b, '2.1'), undefined, '2.1 reserves Result Reason 0x0B');
  t.equal(nameIn(enumNamed('HashingAlgorithm'), 0x0e, '1.4'), 'SHA_3_224', 'renamed value: 1.4 name');
  t.equal(nameIn(enumNamed('HashingAlgorithm'), 0x0e, '2.1'), 'SHA3_224', 'renamed value: 2.x name');
  t.same(enumNamed('HashingAlgorithm').tags, ['HashingAlgorithm', 'MaskGeneratorHashingAlgorithm'], 'Hashing Algorithm tags');
  const perVersion = KMIP_VERSIONS.map((v) => enums.filter((e) => e.values.some((x) => definedIn(v, x.since, x.until))).length);
  t.ok(perVersion.every((n, i) => i === 0 || n >= (perVersion[i - 1] ?? 0)), `enumerations per version grow: ${perVersion.join(', ')}`);
});

// ---- OASIS XML vectors --------------------------------------------------------------------------

function xmlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...xmlFiles(path));
    else if (entry.name.endsWith('.xml')) out.push(path);
  }
  return out.sort();
}

/** Each request/response message of a file with the protocol version its header states. */
function messages(text: string): { readonly version: KmipVersion | undefined; readonly body: string }[] {
  const out: { version: KmipVersion | undefined; body: string }[] = [];
  for (const m of text.matchAll(/<(RequestMessage|ResponseMessage)>[\s\S]*?<\/\1>/g)) {
    const major = /<ProtocolVersionMajor type="Integer" value="(\d+)"/.exec(m[0]);
    const minor = /<ProtocolVersionMinor type="Integer" value="(\d+)"/.exec(m[0]);
    const version = major?.[1] !== undefined && minor?.[1] !== undefined ? versionOf(+major[1], +minor[1]) : undefined;
    out.push({ version, body: m[0] });
  }
  return out;
}

/**
 * Names the vectors write that these tables do not hold, on purpose:
 * - Attribute Reference (2.x) takes the Tag Enumeration (2.1 §11.56), i.e. tag names: that table is tags.ts.
 * - PKCS#11 Function / Return Code (2.1 §11.38–39) are defined by reference to PKCS#11 (function index in
 *   CK_FUNCTION_LIST_3_0, CK_RV codes); KMIP lists no values, and PKCS11-M-1-21 writes PKCS#11's own names.
 */
const NOT_IN_TABLES: ReadonlySet<string> = new Set(['AttributeReference']);
const PKCS11_NAMES: Readonly<Record<string, readonly string[]>> = {
  PKCS_11Function: ['C_Initialize', 'C_GetInfo', 'C_Finalize'],
  PKCS_11ReturnCode: ['OK'],
};

t.test('every Enumeration name in the OASIS XML vectors is in ENUMERATIONS', async (t) => {
  const files = xmlFiles(VECTORS);
  t.ok(files.length > 100, `found the vectors (${files.length} files)`);
  const enumByTag = new Map<string, EnumDef>();
  for (const def of enums) for (const tag of def.tags) enumByTag.set(tag, def);
  const allNames = new Set(enums.flatMap((e) => e.values.map((v) => v.name)));
  const problems = new Set<string>();
  let checked = 0;
  for (const file of files) {
    for (const { version, body } of messages(readFileSync(file, 'utf8'))) {
      for (const [, tag, value] of body.matchAll(/<(\w+) type="Enumeration" value="([^"]*)"/g)) {
        if (tag === undefined || value === undefined || /^0x[0-9A-Fa-f]+$/.test(value)) continue;
        if (NOT_IN_TABLES.has(tag)) continue;
        checked++;
        const where = `${file.slice(VECTORS.length)} ${tag}=${value}`;
        const pkcs11 = PKCS11_NAMES[tag];
        if (pkcs11 !== undefined) {
          if (!pkcs11.includes(value)) problems.add(`${where}: PKCS#11 name not listed as known`);
          continue;
        }
        if (tag === 'AttributeValue') {
          // 1.x Attribute Value: the enumeration is that of the sibling Attribute Name; any table may hold it.
          if (!allNames.has(value)) problems.add(`${where}: no enumeration has this name`);
          continue;
        }
        const def = enumByTag.get(tag);
        if (def === undefined) {
          problems.add(`${where}: no enumeration lists tag ${tag}`);
          continue;
        }
        const entry = def.values.find((v) => v.name === value);
        if (entry === undefined) problems.add(`${where}: not a name of ${def.name}`);
        else if (version !== undefined && !definedIn(version, entry.since, entry.until))
          problems.add(`${where}: ${def.name}.${value} not defined in ${version}`);
      }
    }
  }
  t.ok(checked > 1000, `checked ${checked} Enumeration items`);
  t.same([...problems], [], 'every vector name matches');
});

t.test('every mask bit name in the OASIS XML vectors is in MASKS', async (t) => {
  const maskByTag = new Map<string, MaskDef>();
  for (const def of masks) for (const tag of def.tags) maskByTag.set(tag, def);
  const allBits = new Set(masks.flatMap((m) => m.bits.map((b) => b.name)));
  const problems = new Set<string>();
  let checked = 0;
  for (const file of xmlFiles(VECTORS)) {
    for (const { version, body } of messages(readFileSync(file, 'utf8'))) {
      for (const [, tag, value] of body.matchAll(/<(\w+) type="Integer" value="([^"]*)"/g)) {
        if (tag === undefined || value === undefined) continue;
        // Numbers (decimal, hex) and $VARIABLES are not names.
        if (/^\s*(-?\d+|0x[0-9A-Fa-f]+|\$\w+([+-]\d+)?)\s*$/.test(value)) continue;
        const def = maskByTag.get(tag);
        for (const bit of value.trim().split(/\s+/)) {
          checked++;
          const where = `${file.slice(VECTORS.length)} ${tag}=${value}`;
          if (def === undefined) {
            if (!allBits.has(bit)) problems.add(`${where}: ${bit} is no mask bit`);
            continue;
          }
          const entry = def.bits.find((b) => b.name === bit);
          if (entry === undefined) problems.add(`${where}: ${bit} is not a bit of ${def.name}`);
          else if (version !== undefined && !definedIn(version, entry.since, entry.until))
            problems.add(`${where}: ${def.name}.${bit} not defined in ${version}`);
        }
      }
    }
  }
  t.ok(checked > 100, `checked ${checked} mask bit names`);
  t.same([...problems], [], 'every vector bit name matches');
});
