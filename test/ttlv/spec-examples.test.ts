// The ten TTLV encoding examples of KMIP 1.4 §9.1.2: decode, check type and value, re-encode byte for byte.
import t, { type Test } from 'tap';
import { readFileSync } from 'node:fs';
import { decodeTtlv, encodeTtlv, ItemType, type TtlvItem, type ItemTypeName } from '../../src/ttlv/index.js';

const VECTORS = new URL('../../../shared/kmip-vectors/spec-examples/kmip_spec_9_1_2_ttlv_examples.json', import.meta.url);

/** A JSON number kept as its source text: the examples hold values beyond 2^53 (Long and Big Integer). */
interface RawNumber { readonly $num: string }
interface Example {
  readonly description: string;
  readonly hex: string;
  readonly spec_notation: string;
  readonly type: ItemTypeName;
  readonly value: RawNumber | string | boolean;
  readonly well_formed_ttlv: boolean;
}

function loadExamples(): Example[] {
  const text = readFileSync(VECTORS, 'utf8');
  // JSON.parse would round 1234567890000000000000000000 to a double; wrap every bare numeric value first.
  const exact = text.replace(/("value":\s*)(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)(\s*[,}\n])/g, '$1{"$$num":"$2"}$3');
  return (JSON.parse(exact) as { examples: Example[] }).examples;
}

function num(v: Example['value']): string {
  if (typeof v !== 'object' || v === null || !('$num' in v)) throw new Error(`expected a JSON number, got ${JSON.stringify(v)}`);
  return v.$num;
}

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex').toUpperCase();

/** Check a decoded item against the example's `type` and `value` fields (their shapes are per type). */
function checkValue(t: Test, item: TtlvItem, ex: Example): void {
  switch (item.type) {
    case ItemType.Integer:
    case ItemType.Enumeration:
    case ItemType.Interval:
      t.equal(item.value, Number(num(ex.value)), 'value');
      break;
    case ItemType.LongInteger:
    case ItemType.BigInteger:
      t.equal(item.value, BigInt(num(ex.value)), 'value (exact bigint)');
      break;
    case ItemType.Boolean:
      t.equal(item.value, ex.value, 'value');
      break;
    case ItemType.TextString:
      t.equal(item.value, ex.value, 'value');
      break;
    case ItemType.ByteString:
      t.equal(hex(item.value), String(ex.value).toUpperCase(), 'value');
      break;
    case ItemType.DateTime: {
      // "2008-03-14T11:56:40Z (POSIX 1205495800)": both forms must agree with the decoded seconds.
      const m = /^(\S+) \(POSIX (\d+)\)$/.exec(String(ex.value));
      t.ok(m, 'Date-Time value has the expected shape');
      if (!m) return;
      t.equal(item.value, BigInt(m[2]!), 'POSIX seconds');
      t.equal(item.value, BigInt(Date.parse(m[1]!) / 1000), 'ISO date');
      break;
    }
    case ItemType.Structure: {
      // "[Enumeration tag 420004 = 254, Integer tag 420005 = 255]"
      const children = [...String(ex.value).matchAll(/(\w+) tag ([0-9A-Fa-f]{6}) = (-?\d+)/g)];
      t.equal(item.value.length, children.length, 'child count');
      children.forEach((m, i) => {
        const child = item.value[i];
        t.equal(child?.type, ItemType[m[1] as ItemTypeName], `child ${i} type`);
        t.equal(child?.tag, parseInt(m[2]!, 16), `child ${i} tag`);
        t.equal(child?.value, Number(m[3]), `child ${i} value`);
      });
      break;
    }
    default:
      t.fail(`no check for type ${item.type}`);
  }
}

const examples = loadExamples();
t.equal(examples.length, 10, 'ten examples in §9.1.2');
t.same(
  new Set(examples.map((e) => e.type)),
  new Set(['Integer', 'LongInteger', 'BigInteger', 'Enumeration', 'Boolean', 'TextString', 'ByteString', 'DateTime', 'Interval', 'Structure']),
  'the examples cover ten item types',
);

for (const ex of examples) {
  t.test(ex.description, async (t) => {
    t.ok(ex.well_formed_ttlv, 'marked well-formed');
    const bytes = Buffer.from(ex.hex, 'hex');
    const item = decodeTtlv(bytes);
    t.equal(item.tag, 0x420020, 'tag 0x420020');
    t.equal(item.type, ItemType[ex.type], `type ${ex.type}`);
    checkValue(t, item, ex);
    t.equal(hex(encodeTtlv(item)), ex.hex.toUpperCase(), 're-encodes byte for byte');
    t.equal(ex.spec_notation.replace(/[\s|]/g, '').toUpperCase(), ex.hex.toUpperCase(), 'hex field is the spec notation');
    t.end();
  });
}
