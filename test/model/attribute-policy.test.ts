// Checks the attribute policy table against the tag, enumeration and attribute-name tables and against the rules
// tables of the spec texts (1.0–1.4 §3, 2.0–2.1 §4) in ../shared/kmip-spec.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { ATTRIBUTE_NAMES } from '../../src/kmip/attribute-names.js';
import { enumValueDefByName, tagDefByName } from '../../src/kmip/dictionary.js';
import type { EnumDef } from '../../src/kmip/dictionary-types.js';
import { ENUMERATIONS } from '../../src/kmip/enumerations.js';
import { definedIn, KMIP_VERSIONS, versionRank, type KmipVersion } from '../../src/kmip/versions.js';
import {
  ATTRIBUTE_RULES,
  ATTRIBUTES_OF,
  attributeRule,
  isServerOnly,
  objectTypeDefined,
  SERVER_ONLY,
  type AttributeRule,
  type ObjectTypeName,
} from '../../src/model/attribute-policy.js';
import { ITEM_TYPE_NAMES, ItemType } from '../../src/ttlv/item-type.js';

const RULES: readonly AttributeRule[] = ATTRIBUTE_RULES;
const SPEC = fileURLToPath(new URL('../../../shared/kmip-spec/', import.meta.url));
const SPEC_FILES: Readonly<Record<KmipVersion, string>> = {
  '1.0': 'kmip-spec-1.0-os.txt',
  '1.1': 'kmip-spec-v1.1-os.txt',
  '1.2': 'kmip-spec-v1.2-os.txt',
  '1.3': 'kmip-spec-v1.3-os.txt',
  '1.4': 'kmip-spec-v1.4-os.txt',
  '2.0': 'kmip-spec-v2.0-os.txt',
  '2.1': 'kmip-spec-v2.1-os.txt',
};

const enumDef = (name: string): EnumDef => {
  const def = (ENUMERATIONS as readonly EnumDef[]).find((e) => e.name === name);
  if (def === undefined) throw new Error(`no enumeration ${name}`);
  return def;
};
const OPERATION = enumDef('Operation');
const OBJECT_TYPE = enumDef('ObjectType');
const STATE = enumDef('State');

const versionsOf = (r: AttributeRule): KmipVersion[] => KMIP_VERSIONS.filter((v) => definedIn(v, r.since, r.until));
const lastVersion = (r: AttributeRule): KmipVersion => versionsOf(r).at(-1) ?? r.since;
const names = [...new Set(RULES.map((r) => r.name))];

/** Parses a rule's section string ('1.0 §3.9; 1.1-1.4 §3.13') into version → section number. */
function sectionsOf(r: AttributeRule): Map<KmipVersion, string> {
  const out = new Map<KmipVersion, string>();
  for (const part of r.section.split('; ')) {
    const m = /^(\d\.\d)(?:-(\d\.\d))? §(\d+\.\d+)$/.exec(part);
    if (m === null) throw new Error(`bad section part '${part}' of ${r.name}`);
    const from = m[1] as KmipVersion;
    const to = (m[2] ?? m[1]) as KmipVersion;
    for (const v of KMIP_VERSIONS) {
      if (versionRank(v) >= versionRank(from) && versionRank(v) <= versionRank(to)) out.set(v, m[3] ?? '');
    }
  }
  return out;
}

t.test('one rule per (name, version), over sane version ranges', async (t) => {
  for (const r of RULES) {
    if (r.until !== undefined) t.ok(versionRank(r.since) < versionRank(r.until), `${r.name} ${r.since}..${r.until}`);
  }
  for (const name of names) {
    for (const v of KMIP_VERSIONS) {
      const n = RULES.filter((r) => r.name === name && definedIn(v, r.since, r.until)).length;
      t.ok(n <= 1, `${name} has ${n} rules in ${v}`);
    }
  }
  t.equal(RULES.length, 116);
  t.equal(names.length, 91);
});

t.test('every name is a tag that each version of its rule defines', async (t) => {
  for (const r of RULES) {
    const tag = tagDefByName(r.name);
    t.ok(tag, `${r.name} is a tag`);
    if (tag === undefined) continue;
    for (const v of versionsOf(r)) t.ok(definedIn(v, tag.since, tag.until), `tag ${r.name} defined in ${v}`);
  }
});

t.test('fields hold known names and item types', async (t) => {
  for (const r of RULES) {
    t.ok(ITEM_TYPE_NAMES[r.type] !== undefined && r.type !== ItemType.DateTimeExtended, `${r.name} type`);
    const last = lastVersion(r);
    // An operation newer than `since` is inert in the older versions; it must exist by the rule's last version.
    for (const op of r.implicitlySetBy) {
      const def = enumValueDefByName(OPERATION, op);
      t.ok(def !== undefined && definedIn(last, def.since, def.until), `${r.name}: operation ${op} in ${last}`);
    }
    t.equal(new Set(r.implicitlySetBy).size, r.implicitlySetBy.length, `${r.name}: no operation twice`);
    const types = r.objectTypes === 'all' ? [] : r.objectTypes;
    for (const ot of [...types, ...(r.alwaysPresentExcept ?? [])]) {
      t.ok(enumValueDefByName(OBJECT_TYPE, ot), `${r.name}: object type ${ot}`);
      t.ok(versionsOf(r).some((v) => objectTypeDefined(ot, v)), `${r.name}: ${ot} exists in some version of the rule`);
    }
    for (const s of r.modifiableInStates ?? []) t.ok(enumValueDefByName(STATE, s), `${r.name}: state ${s}`);
    if (r.modifiableInStates !== undefined) t.ok(r.clientModifiable || r.serverModifiable, `${r.name} modifiable`);
    if (r.alwaysPresentExcept !== undefined) t.ok(r.alwaysPresent, `${r.name}: exceptions to alwaysPresent`);
  }
});

t.test('section strings cover exactly the versions of each rule', async (t) => {
  for (const r of RULES) {
    const secs = sectionsOf(r);
    t.same([...secs.keys()], versionsOf(r), `${r.name} ${r.section}`);
    for (const [v, s] of secs) {
      t.ok(s.startsWith(versionRank(v) < versionRank('2.0') ? '3.' : '4.'), `${r.name} ${v} §${s}`);
    }
  }
});

t.test('every 1.x attribute name has a rule in each version that defines it', async (t) => {
  for (const a of ATTRIBUTE_NAMES) {
    for (const v of KMIP_VERSIONS) {
      if (!definedIn(v, a.since, 'until' in a ? a.until : undefined)) continue;
      t.equal(attributeRule(a.tag, v)?.name, a.tag, `${a.name} in ${v}`);
    }
  }
});

// The rules tables in the spec texts. Each row of a table is a pair of cells separated by lines holding "|".
interface SpecRow {
  readonly always: string;
  readonly init: string;
  readonly serverMod: string;
  readonly clientMod: string;
  readonly clientDel: string;
  readonly multi: string;
  readonly implicit: string | undefined;
  readonly types: string;
}

const specLines = new Map<KmipVersion, readonly string[]>();
function linesOf(v: KmipVersion): readonly string[] {
  let lines = specLines.get(v);
  if (lines === undefined) {
    lines = readFileSync(SPEC + SPEC_FILES[v], 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '');
    specLines.set(v, lines);
  }
  return lines;
}

/** The rules table of section `sec` of the spec of `v`, found after the attribute chapter's legend table. */
function specRules(v: KmipVersion, sec: string): SpecRow | undefined {
  const lines = linesOf(v);
  const isLegend = (i: number) => lines[i]?.toLowerCase() === 'shall always have a value' && lines[i + 1] === '|';
  let i = lines.findIndex((_, k) => isLegend(k));
  // The body heading is "3.22" or "3.22 State" (the table of contents writes a page number after the title).
  const isHeading = (l: string) => l === sec || (l.startsWith(`${sec} `) && !/\d$/.test(l));
  while (i < lines.length && !isHeading(lines[i] ?? '')) i++;
  while (i < lines.length && !isLegend(i)) i++;
  if (i >= lines.length) return undefined;
  const cells: string[] = [];
  let cur: string[] = [];
  for (let k = i; k < lines.length && !/^Table(\s|$)/.test(lines[k] ?? ''); k++) {
    const l = lines[k] ?? '';
    if (l === '|') {
      cells.push(cur.join(' '));
      cur = [];
    } else cur.push(l);
  }
  cells.push(cur.join(' '));
  const row = new Map<string, string>();
  for (let k = 0; k + 1 < cells.length; k += 2) row.set((cells[k] ?? '').toLowerCase(), cells[k + 1] ?? '');
  const get = (key: string) => row.get(key) ?? '';
  return {
    always: get('shall always have a value'),
    init: get('initially set by'),
    serverMod: get('modifiable by server'),
    clientMod: get('modifiable by client'),
    clientDel: get('deletable by client'),
    multi: get('multiple instances permitted'),
    implicit: row.get('when implicitly set'),
    types: get('applies to object types'),
  };
}

const yes = (cell: string) => /^yes/i.test(cell);
const initOf = (cell: string) => {
  const c = /client/i.test(cell);
  const s = /server/i.test(cell);
  return c && s ? 'either' : c ? 'client' : 'server';
};
const opKey = (s: string) => s.replace(/[-\s]/g, '').toLowerCase();
const OPS_BY_KEY = new Map(OPERATION.values.map((o) => [opKey(o.name), o.name]));

/** The operation names of a "When implicitly set" cell, or undefined when it names an event. */
function opsOf(cell: string | undefined): string[] | undefined {
  if (cell === undefined || cell === '' || cell === 'Never' || cell === 'N/A') return [];
  if (cell === 'During Register operation') return ['Register'];
  const out: string[] = [];
  for (const part of cell.split(',').map((p) => p.trim())) {
    const op = OPS_BY_KEY.get(opKey(part));
    if (op !== undefined) out.push(op);
    else {
      // 1.x–2.x tables print "Activate Certify" and "Revoke Certify" for two list items.
      const two = part.split(' ').map((w) => OPS_BY_KEY.get(opKey(w)));
      if (two.length !== 2 || two.some((o) => o === undefined)) return undefined;
      out.push(...(two as string[]));
    }
  }
  return [...new Set(out)];
}

const CRYPTO: readonly ObjectTypeName[] = [
  'Certificate', 'SymmetricKey', 'PublicKey', 'PrivateKey', 'SplitKey', 'SecretData', 'PGPKey',
];
const KEYS: readonly ObjectTypeName[] = ['SymmetricKey', 'PublicKey', 'PrivateKey', 'SplitKey', 'PGPKey'];
// How each "Applies to Object Types" phrase is read (the choices are the table's, stated in its header).
const TYPE_PHRASES: Readonly<Record<string, readonly ObjectTypeName[]>> = {
  'All Cryptographic Objects': CRYPTO,
  'Managed Cryptographic Objects': CRYPTO,
  'All Cryptographic Objects, Opaque Object': [...CRYPTO, 'OpaqueObject'],
  'All Cryptographic Objects, Opaque Objects': [...CRYPTO, 'OpaqueObject'],
  'All Cryptographic Objects, Templates': [...CRYPTO, 'Template'],
  'Asymmetric Keys, Templates': ['PublicKey', 'PrivateKey', 'Template'],
  Certificates: ['Certificate'],
  'X.509 Certificates': ['Certificate'],
  'Certificates, PGP keys': ['Certificate', 'PGPKey'],
  'Keys, Certificates, Templates': [...KEYS, 'Certificate', 'Template'],
  'Keys ,Certificates, Templates': [...KEYS, 'Certificate', 'Template'],
  'Keys, Templates': [...KEYS, 'Template'],
  'Opaque Objects': ['OpaqueObject'],
  'Public Keys, Private Keys': ['PublicKey', 'PrivateKey'],
  'Symmetric Key, Private Key, Split Key, Secret Data': ['SymmetricKey', 'PrivateKey', 'SplitKey', 'SecretData'],
  'Symmetric Keys, Split Keys of symmetric keys, Templates': ['SymmetricKey', 'SplitKey', 'Template'],
};

t.test('every rule matches the rules table of its section in every version', async (t) => {
  let compared = 0;
  for (const r of RULES) {
    if (r.name === 'Attribute') continue; // 2.x Vendor Attribute: the spec gives it no rules table
    for (const [v, sec] of sectionsOf(r)) {
      const spec = specRules(v, sec);
      if (spec === undefined) {
        t.fail(`${v} §${sec}: no rules table`);
        continue;
      }
      const at = `${r.name} ${v} §${sec}`;
      compared++;
      t.equal(r.alwaysPresent, yes(spec.always), `${at} always: ${spec.always}`);
      t.equal(r.initiallySetBy, initOf(spec.init), `${at} init: ${spec.init}`);
      t.equal(r.serverModifiable, yes(spec.serverMod), `${at} server-modifiable: ${spec.serverMod}`);
      t.equal(r.clientModifiable, yes(spec.clientMod), `${at} client-modifiable: ${spec.clientMod}`);
      t.equal(r.clientDeletable, yes(spec.clientDel), `${at} client-deletable: ${spec.clientDel}`);
      t.equal(r.multiValued, yes(spec.multi), `${at} multi: ${spec.multi}`);
      const ops = opsOf(spec.implicit);
      const mine = r.implicitlySetBy.filter((o) => {
        const def = enumValueDefByName(OPERATION, o);
        return def !== undefined && definedIn(v, def.since, def.until);
      });
      if (ops === undefined) t.equal(r.implicitlySetWhen, spec.implicit, `${at} implicitly set: ${spec.implicit}`);
      else if (r.name !== 'KeyFormatType') t.same([...mine].sort(), [...ops].sort(), `${at} implicitly set`);
      const types = spec.types.startsWith('All Objects') ? 'all' : TYPE_PHRASES[spec.types];
      t.ok(types !== undefined, `${at} object types phrase '${spec.types}' is known`);
      const inV = (l: readonly ObjectTypeName[]) => l.filter((o) => objectTypeDefined(o, v)).sort();
      if (types === 'all' || r.objectTypes === 'all') t.equal(r.objectTypes, types, `${at} object types`);
      else if (types !== undefined) t.same(inV(r.objectTypes), inV(types), `${at} object types`);
    }
  }
  // 1.0: 33 tables, 1.1: 39, 1.2: 43, 1.3: 44, 1.4: 51, 2.0: 55 (+23 more certificate fields), 2.1: 62 (+23).
  t.equal(compared, 33 + 39 + 43 + 44 + 51 + 55 + 23 + 62 + 23);
});

t.test('Key Format Type: the table has no "When implicitly set" row; creation sets it', async (t) => {
  t.equal(specRules('2.1', '4.26')?.implicit, undefined);
  t.same(attributeRule('KeyFormatType', '2.1')?.implicitlySetBy, [
    'Create', 'CreateKeyPair', 'Register', 'DeriveKey', 'Certify', 'ReCertify', 'ReKey', 'ReKeyKeyPair',
  ]);
});

t.test('spot checks against the 1.4 and 2.1 texts', async (t) => {
  const rule = (name: string, v: KmipVersion): AttributeRule => {
    const r = attributeRule(name, v);
    if (r === undefined) throw new Error(`no rule ${name} ${v}`);
    return r;
  };
  for (const v of ['1.4', '2.1'] as const) {
    // State (1.4 §3.22, 2.1 §4.57): server-set, changed only by the server, single, always present.
    const state = rule('State', v);
    t.match(state, { initiallySetBy: 'server', serverModifiable: true, clientModifiable: false, multiValued: false });
    t.equal(state.alwaysPresent, true);
    t.ok(isServerOnly('State', v));
    // Name (1.4 §3.2, 2.1 §4.32): client-set, multi-valued, modifiable and deletable by the client.
    t.match(rule('Name', v), {
      initiallySetBy: 'client', multiValued: true, clientModifiable: true, clientDeletable: true,
    });
    t.same(rule('Name', v).implicitlySetBy, ['ReKey', 'ReKeyKeyPair', 'ReCertify']);
    // Object Group (1.4 §3.33, 2.1 §4.35) and Link (1.4 §3.35, 2.1 §4.31): multi-valued, either party.
    t.match(rule('ObjectGroup', v), { initiallySetBy: 'either', multiValued: true, clientDeletable: true });
    t.match(rule('Link', v), { initiallySetBy: 'either', multiValued: true, clientModifiable: true });
    // Cryptographic Usage Mask (1.4 §3.19, 2.1 §4.17): either sets it; only the server changes it.
    t.match(rule('CryptographicUsageMask', v), {
      alwaysPresent: true, initiallySetBy: 'either', serverModifiable: true, clientModifiable: false,
      clientDeletable: false, multiValued: false, type: ItemType.Integer,
    });
    // Activation Date (1.4 §3.24, 2.1 §4.1): server or client; modifiable only while Pre-Active; not deletable.
    t.match(rule('ActivationDate', v), {
      initiallySetBy: 'either', clientModifiable: true, clientDeletable: false, modifiableInStates: ['PreActive'],
    });
    t.ok(rule('ActivationDate', v).implicitlySetBy.includes('Activate'));
    t.same(rule('DeactivationDate', v).modifiableInStates, ['PreActive', 'Active']);
    // Contact Information (1.4 §3.37, 2.1 §4.12): either, single, modifiable and deletable by the client.
    t.match(rule('ContactInformation', v), {
      initiallySetBy: 'either', multiValued: false, clientModifiable: true, clientDeletable: true,
      type: ItemType.TextString,
    });
    // Sensitive / Extractable (1.4 §3.48, §3.50; 2.1 §4.55, §4.23): always present, either, client-modifiable.
    for (const name of ['Sensitive', 'Extractable']) {
      t.match(rule(name, v), {
        alwaysPresent: true, initiallySetBy: 'either', clientModifiable: true, clientDeletable: false,
        type: ItemType.Boolean,
      });
    }
    t.ok(isServerOnly('AlwaysSensitive', v) && isServerOnly('NeverExtractable', v));
    // Unique Identifier, Initial Date, Last Change Date, Digest: the server's alone; Digest is multi-valued.
    for (const name of ['UniqueIdentifier', 'InitialDate', 'LastChangeDate', 'Digest']) {
      t.ok(isServerOnly(name, v), name);
    }
    t.equal(rule('Digest', v).multiValued, true);
    // Digital Signature Algorithm: certificates and PGP keys; several instances for PGP keys.
    t.same(rule('DigitalSignatureAlgorithm', v).objectTypes, ['Certificate', 'PGPKey']);
    // Server-initialised, yet a Create or Register carries them (2.1 Table 28; BL-M-10-21): not server-only.
    const inputs = ['CryptographicAlgorithm', 'CryptographicLength', 'DigitalSignatureAlgorithm', 'CertificateType'];
    for (const name of inputs) {
      t.equal(rule(name, v).initiallySetBy, 'server', name);
      t.notOk(isServerOnly(name, v), name);
    }
  }
  for (const name of ['Sensitive', 'AlwaysSensitive', 'Extractable', 'NeverExtractable', 'Description', 'Comment']) {
    t.equal(attributeRule(name, '1.3'), undefined, `${name} not in 1.3`);
    t.equal(attributeRule(name, '1.4')?.since, '1.4', `${name} since 1.4`);
  }
  // State applies to cryptographic objects in 1.x (not Templates, not Opaque Objects), to all objects in 2.x.
  t.notOk(ATTRIBUTES_OF('OpaqueObject', '1.4').some((r) => r.name === 'State'));
  t.ok(ATTRIBUTES_OF('OpaqueObject', '2.1').some((r) => r.name === 'State'));
  // Fresh (1.4 §3.34, 2.1 §4.24): optional in 1.x, always present in 2.x.
  t.equal(rule('Fresh', '1.4').alwaysPresent, false);
  t.equal(rule('Fresh', '2.1').alwaysPresent, true);
  t.equal(attributeRule('Fresh', '1.0'), undefined);
  // Link: Register sets it implicitly in 2.x only.
  t.notOk(rule('Link', '1.4').implicitlySetBy.includes('Register'));
  t.ok(rule('Link', '2.1').implicitlySetBy.includes('Register'));
  // Cryptographic Algorithm: 1.0 has no Certify among its implicit setters; 2.x exempts Secret Data, Opaque Object.
  t.notOk(rule('CryptographicAlgorithm', '1.0').implicitlySetBy.includes('Certify'));
  t.same(rule('CryptographicAlgorithm', '2.1').alwaysPresentExcept, ['SecretData', 'OpaqueObject']);
  // Key Value Present (1.4 §3.41): only Symmetric Key, Private Key, Split Key, Secret Data in 1.x.
  t.same(rule('KeyValuePresent', '1.4').objectTypes, ['SymmetricKey', 'PrivateKey', 'SplitKey', 'SecretData']);
  // Gone in 2.0: Operation Policy Name, the 1.0 certificate attributes, Custom Attribute.
  for (const name of ['OperationPolicyName', 'CertificateIdentifier', 'CertificateSubject', 'CustomAttribute']) {
    t.ok(attributeRule(name, '1.4'), `${name} in 1.4`);
    t.equal(attributeRule(name, '2.0'), undefined, `${name} not in 2.0`);
  }
  // 2.x additions: the certificate fields (2.1 §4.6, multi-valued), Rotate … (2.1 only), Quantum Safe (2.0).
  t.match(rule('CertificateSubjectCN', '2.1'), { multiValued: true, objectTypes: ['Certificate'] });
  t.equal(attributeRule('CertificateSubjectCN', '1.4'), undefined);
  t.equal(attributeRule('RotateDate', '2.0'), undefined);
  t.match(rule('RotateName', '2.1'), { initiallySetBy: 'client', type: ItemType.Structure });
  t.match(rule('QuantumSafe', '2.0'), { initiallySetBy: 'client', clientDeletable: true, type: ItemType.Boolean });
  t.match(rule('ShortUniqueIdentifier', '2.0'), { alwaysPresent: true, type: ItemType.ByteString });
});

t.test('custom attribute names resolve to the version\'s custom rule', async (t) => {
  t.equal(attributeRule('x-Product', '1.2')?.name, 'CustomAttribute');
  t.equal(attributeRule('y-Owner', '1.4')?.name, 'CustomAttribute');
  t.equal(attributeRule('x-Product', '2.0')?.name, 'Attribute');
  t.equal(attributeRule('x-Product')?.name, 'Attribute');
  t.equal(attributeRule('NoSuchAttribute', '2.1'), undefined);
  t.equal(attributeRule('Fresh')?.since, '2.0', 'without a version: the newest rule');
});

t.test('ATTRIBUTES_OF follows object types and versions', async (t) => {
  t.same(ATTRIBUTES_OF('Template', '2.1'), [], 'Template is not a 2.x object type');
  t.same(ATTRIBUTES_OF('PGPKey', '1.1'), [], 'PGP Key is new in 1.2');
  t.ok(ATTRIBUTES_OF('Template', '1.4').some((r) => r.name === 'CryptographicAlgorithm'));
  t.notOk(ATTRIBUTES_OF('SecretData', '1.4').some((r) => r.name === 'CryptographicAlgorithm'));
  t.ok(ATTRIBUTES_OF('SecretData', '2.1').some((r) => r.name === 'CryptographicAlgorithm'));
  t.ok(ATTRIBUTES_OF('OpaqueObject', '2.1').some((r) => r.name === 'OpaqueDataType'));
  t.notOk(ATTRIBUTES_OF('SymmetricKey', '2.1').some((r) => r.name === 'OpaqueDataType'));
  t.notOk(ATTRIBUTES_OF('SymmetricKey', '1.0').some((r) => r.name === 'Fresh'));
  t.ok(ATTRIBUTES_OF('CertificateRequest', '2.0').some((r) => r.name === 'Name'));
  for (const v of KMIP_VERSIONS) {
    for (const r of ATTRIBUTES_OF('SymmetricKey', v)) t.ok(definedIn(v, r.since, r.until), `${r.name} in ${v}`);
    t.equal(new Set(ATTRIBUTES_OF('SymmetricKey', v).map((r) => r.name)).size, ATTRIBUTES_OF('SymmetricKey', v).length);
  }
});

t.test('SERVER_ONLY', async (t) => {
  for (const name of ['UniqueIdentifier', 'ObjectType', 'State', 'InitialDate', 'LastChangeDate', 'Digest']) {
    t.ok(SERVER_ONLY.has(name), name);
  }
  for (const name of ['Fresh', 'Name', 'CryptographicAlgorithm', 'CertificateType', 'ActivationDate', 'Attribute']) {
    t.notOk(SERVER_ONLY.has(name), name);
  }
  // No attribute is server-only in some versions and not in others, so the set needs no version.
  for (const name of names) {
    const verdicts = new Set(
      KMIP_VERSIONS.filter((v) => attributeRule(name, v) !== undefined).map((v) => isServerOnly(name, v)),
    );
    t.equal(verdicts.size, 1, name);
    t.equal(SERVER_ONLY.has(name), [...verdicts][0], name);
  }
});
