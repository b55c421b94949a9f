// resultReasonFor: every Result Reason, in every version, maps to a value that version defines (1.4 §9.1.3.2.29;
// 2.0 §11.45; 2.1 §11.46), checked against the enumeration table's since/until.
import t from 'tap';
import { ENUMERATIONS } from '../../src/kmip/enumerations.js';
import { definedIn, KMIP_VERSIONS, type KmipVersion } from '../../src/kmip/versions.js';
import { isResultReasonName, resultReasonFor } from '../../src/protocol/result-reason.js';

interface ReasonDef {
  readonly name: string;
  readonly value: number;
  readonly since: KmipVersion;
  readonly until?: KmipVersion;
}

const REASONS: readonly ReasonDef[] = ENUMERATIONS.find((e) => e.name === 'ResultReason')!.values;
const V1 = KMIP_VERSIONS.filter((v) => v.startsWith('1.'));
const V2 = KMIP_VERSIONS.filter((v) => v.startsWith('2.'));

const valueOf = (name: string): number => REASONS.find((r) => r.name === name)!.value;
/** The names the table gives `value` in `version`; empty when the version does not define it. */
const definedNames = (value: number, version: KmipVersion): string[] =>
  REASONS.filter((r) => r.value === value && definedIn(version, r.since, r.until)).map((r) => r.name);

t.test('every reason in every version maps to a value that version defines', async (t) => {
  t.ok(REASONS.length > 60, 'the table lists the 2.1 reasons');
  for (const v of KMIP_VERSIONS) {
    for (const r of REASONS) {
      const got = resultReasonFor(r.name, v);
      t.ok(definedNames(got, v).length > 0, `${r.name} in ${v} → 0x${got.toString(16)} is defined in ${v}`);
      t.ok(definedNames(got, v).length === 1, `${r.name} in ${v}: one name for the value`);
      if (definedIn(v, r.since, r.until)) t.equal(got, r.value, `${r.name} is sent as itself in ${v}`);
      else t.not(got, r.value, `${r.name} is not sent in ${v}, which lacks it`);
    }
  }
});

t.test('1.x has no Wrong Key Lifecycle State: Permission Denied there', async (t) => {
  for (const v of V1) t.equal(resultReasonFor('WrongKeyLifecycleState', v), valueOf('PermissionDenied'), v);
  for (const v of V2) t.equal(resultReasonFor('WrongKeyLifecycleState', v), 0x43, v);
});

t.test('2.x has no Illegal Operation nor Index Out of Bounds', async (t) => {
  for (const v of V2) {
    for (const name of ['IllegalOperation', 'IndexOutOfBounds']) {
      const got = resultReasonFor(name, v);
      t.not(got, valueOf(name), `${name} in ${v}`);
      t.not(got, 0x0b, `${name} in ${v} is not 0x0B`);
      t.not(got, 0x0e, `${name} in ${v} is not 0x0E`);
      t.ok(definedNames(got, v).length > 0, `${name} in ${v} becomes a 2.x reason`);
    }
  }
  for (const v of V1) {
    t.equal(resultReasonFor('IllegalOperation', v), 0x0b, `IllegalOperation in ${v}`);
    t.equal(resultReasonFor('IndexOutOfBounds', v), 0x0e, `IndexOutOfBounds in ${v}`);
  }
});

t.test('reasons a version lacks fall back to a near reason, not always General Failure', async (t) => {
  // 2.x object reasons in a 1.x message: the 1.x reason that says the same.
  t.equal(resultReasonFor('ObjectNotFound', '1.4'), valueOf('ItemNotFound'));
  t.equal(resultReasonFor('NotAuthorised', '1.2'), valueOf('PermissionDenied'));
  t.equal(resultReasonFor('InvalidAttributeValue', '1.0'), valueOf('InvalidField'));
  // Reasons added in 1.4 sent to a 1.0 client stay defined there.
  for (const name of ['Sensitive', 'NotExtractable', 'ObjectAlreadyExists', 'EncodingOptionError', 'KeyValueNotPresent']) {
    t.ok(definedNames(resultReasonFor(name, '1.0'), '1.0').length > 0, `${name} in 1.0`);
  }
});

t.test('an unknown name is General Failure in every version', async (t) => {
  for (const v of KMIP_VERSIONS) t.equal(resultReasonFor('NoSuchReason', v), 0x100, v);
  t.equal(isResultReasonName('NoSuchReason'), false);
  t.equal(isResultReasonName('ItemNotFound'), true);
});
