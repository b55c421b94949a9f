// KMIP JSON encoding ⇄ TTLV tree (Addtl Msg Enc §4.1.6), against a small hand-written vocabulary: every type both
// ways, masks, enumerations in an Attribute Value, unknown tags, Date Time Extended, placeholders, every error path.
import t, { type Test } from 'tap';
import { ttlv, type TtlvItem } from '../../src/ttlv/ttlv-item.js';
import { TtlvError } from '../../src/ttlv/ttlv-error.js';
import { jsonToTtlv, ttlvToJson, ttlvToJsonText, type JsonDecodeOptions, type JsonTtlv } from '../../src/ttlv/json-encoding.js';
import { TEXT_MAX_DEPTH } from '../../src/ttlv/text-value.js';

import { TAGS, vocab, type TagName } from '../helpers/test-vocabulary.js';

const T = TAGS;

function parse(json: unknown, opts?: JsonDecodeOptions): TtlvItem {
  return jsonToTtlv(json, vocab, opts);
}

function throwsAt(t: Test, json: unknown, offset: number, reason: RegExp, opts?: JsonDecodeOptions): void {
  try {
    parse(json, opts);
    t.fail(`accepted ${JSON.stringify(json)}`);
  } catch (e) {
    t.ok(e instanceof TtlvError, 'a TtlvError');
    t.equal((e as TtlvError).offset, offset, `offset for ${JSON.stringify(json)}`);
    t.match((e as TtlvError).reason, reason, JSON.stringify(json));
  }
}

/** Rejected with `reason` at path $ (offset 0). */
function rejects(t: Test, json: JsonTtlv | Record<string, unknown>, reason: RegExp, opts?: JsonDecodeOptions): void {
  throwsAt(t, json, 0, reason, opts);
}

/** `json` parses to `item` (as an object and as text), and `item` renders to `json`. */
function both(t: Test, json: JsonTtlv, item: TtlvItem): void {
  t.same(parse(json), item, `parse ${JSON.stringify(json)}`);
  t.same(parse(JSON.stringify(json)), item, 'parse text');
  t.same(ttlvToJson(item, vocab), json, 'render');
}

/** `value` of `type` under `tag` parses to `item`. */
function val(tag: TagName, type: string, value: unknown): TtlvItem {
  return parse({ tag, type, value });
}

// ---- types -------------------------------------------------------------------------------------------------

t.test('Structure: value array, type optional, null or absent value is empty (§4.1.6.2)', async (t) => {
  const pv = ttlv.structure(T.ProtocolVersion, [ttlv.integer(T.ProtocolVersionMajor, 1), ttlv.integer(T.ProtocolVersionMinor, 0)]);
  both(
    t,
    {
      tag: 'ProtocolVersion',
      value: [
        { tag: 'ProtocolVersionMajor', type: 'Integer', value: 1 },
        { tag: 'ProtocolVersionMinor', type: 'Integer', value: 0 },
      ],
    },
    pv,
  );
  t.same(parse({ tag: 'ProtocolVersion', type: 'Structure', value: [{ tag: 'ProtocolVersionMajor', type: 'Integer', value: '0x00000001' }, { tag: 'ProtocolVersionMinor', type: 'Integer', value: '0x00000000' }] }), pv);
  both(t, { tag: 'ProtocolVersion', value: [] }, ttlv.structure(T.ProtocolVersion, []));
  t.same(parse({ tag: 'ProtocolVersion', value: null }), ttlv.structure(T.ProtocolVersion, []));
  t.same(parse({ tag: 'ProtocolVersion' }), ttlv.structure(T.ProtocolVersion, []));
  t.equal(ttlvToJsonText(pv, vocab), '{"tag":"ProtocolVersion","value":[{"tag":"ProtocolVersionMajor","type":"Integer","value":1},{"tag":"ProtocolVersionMinor","type":"Integer","value":0}]}');
  t.equal(ttlvToJsonText(ttlv.structure(T.ProtocolVersion, []), vocab, 2), '{\n  "tag": "ProtocolVersion",\n  "value": []\n}');
  rejects(t, { tag: 'ProtocolVersion', value: 'x' }, /^\$: a Structure value must be an array/);
  rejects(t, { tag: 'ProtocolVersion', value: [{ tag: 'BatchCount', type: 'Integer', value: 1 }, 7] }, /^\$\.value\[1\]: expected a TTLV object/);
});

t.test('Integer: number or 32-bit hex (§4.1.6.3)', async (t) => {
  both(t, { tag: 'BatchCount', type: 'Integer', value: 10 }, ttlv.integer(T.BatchCount, 10));
  both(t, { tag: 'BatchCount', type: 'Integer', value: -2147483648 }, ttlv.integer(T.BatchCount, -2147483648));
  t.same(val('BatchCount', 'Integer', '0x0000000A'), ttlv.integer(T.BatchCount, 10));
  t.same(val('BatchCount', 'Integer', '0xffffffff'), ttlv.integer(T.BatchCount, -1));
  t.same(val('BatchCount', 'Integer', '0x7fffffff'), ttlv.integer(T.BatchCount, 0x7fffffff));
  for (const bad of [2147483648, -2147483649, 1.5, '10', '0x100000000', '0x', true, [1]]) {
    rejects(t, { tag: 'BatchCount', type: 'Integer', value: bad }, /bad Integer/);
  }
});

t.test('Integer masks: names and hex components joined by | (§4.1.6.4)', async (t) => {
  const m = (v: number): TtlvItem => ttlv.integer(T.CryptographicUsageMask, v);
  const p = (v: unknown): TtlvItem => val('CryptographicUsageMask', 'Integer', v);
  t.same(p('0x0000100c'), m(0x100c));
  t.same(p('Encrypt|Decrypt|CertificateSign'), m(0x100c));
  t.same(p('CertificateSign|0x00000004|0x0000008'), m(0x100c));
  t.same(p('CertificateSign|0x0000000c'), m(0x100c));
  t.same(p(' Encrypt | Decrypt '), m(0xc));
  t.same(p(4108), m(0x100c));
  both(t, { tag: 'CryptographicUsageMask', type: 'Integer', value: 'Encrypt|Decrypt|CertificateSign' }, m(0x100c));
  both(t, { tag: 'CryptographicUsageMask', type: 'Integer', value: 'Sign|Encrypt|0x80100000' }, m(0x80100005 | 0));
  both(t, { tag: 'CryptographicUsageMask', type: 'Integer', value: 0 }, m(0));
  rejects(t, { tag: 'CryptographicUsageMask', type: 'Integer', value: 'Encrypt Decrypt' }, /unknown mask component 'Encrypt Decrypt'/);
  rejects(t, { tag: 'CryptographicUsageMask', type: 'Integer', value: 'Encrypt||Decrypt' }, /unknown mask component ''/);
  rejects(t, { tag: 'CryptographicUsageMask', type: 'Integer', value: 'Frobnicate' }, /unknown mask component 'Frobnicate'/);
});

t.test('Long Integer: number inside ±2^52, hex beyond (§4.1.6.5)', async (t) => {
  const l = (v: bigint): TtlvItem => ttlv.longInteger(T.UsageLimitsCount, v);
  t.same(val('UsageLimitsCount', 'LongInteger', '0xfffffffffffffffe'), l(-2n));
  both(t, { tag: 'UsageLimitsCount', type: 'LongInteger', value: -2 }, l(-2n));
  both(t, { tag: 'UsageLimitsCount', type: 'LongInteger', value: '0x1000000000000000' }, l(1n << 60n));
  both(t, { tag: 'UsageLimitsCount', type: 'LongInteger', value: 2 ** 52 - 1 }, l((1n << 52n) - 1n));
  both(t, { tag: 'UsageLimitsCount', type: 'LongInteger', value: '0x0010000000000000' }, l(1n << 52n));
  both(t, { tag: 'UsageLimitsCount', type: 'LongInteger', value: '0xfff0000000000000' }, l(-(1n << 52n)));
  both(t, { tag: 'UsageLimitsCount', type: 'LongInteger', value: '0x8000000000000000' }, l(-(1n << 63n)));
  t.same(val('UsageLimitsCount', 'LongInteger', 2 ** 53 - 1), l((1n << 53n) - 1n), 'safe integers are read');
  for (const bad of [2 ** 53, 1.5, '0x10000000000000000', '123', 'x', false]) {
    rejects(t, { tag: 'UsageLimitsCount', type: 'LongInteger', value: bad }, /bad LongInteger/);
  }
});

t.test('Big Integer: two\'s-complement hex sign-extended to 8-byte multiples, or a number (§4.1.6.6)', async (t) => {
  const b = (v: bigint): TtlvItem => ttlv.bigInteger(T.Modulus, v);
  t.same(val('Modulus', 'BigInteger', 0), b(0n));
  both(t, { tag: 'Modulus', type: 'BigInteger', value: '0x0000000000000000' }, b(0n));
  both(t, { tag: 'Modulus', type: 'BigInteger', value: '0x0000000000010001' }, b(65537n));
  both(t, { tag: 'Modulus', type: 'BigInteger', value: '0xffffffffffffffff' }, b(-1n));
  both(t, { tag: 'Modulus', type: 'BigInteger', value: '0x00000000000000008000000000000000' }, b(1n << 63n));
  t.same(val('Modulus', 'BigInteger', '0xff'), b(-1n));
  t.same(val('Modulus', 'BigInteger', -5), b(-5n));
  for (const bad of ['0x', '0xfff', '1234', '0xzz', 2 ** 53, 0.5, true]) {
    rejects(t, { tag: 'Modulus', type: 'BigInteger', value: bad }, /bad BigInteger/);
  }
});

t.test('Enumeration: number, hex or normalised name; unknown values out in hex (§4.1.6.7)', async (t) => {
  const e = (v: number): TtlvItem => ttlv.enumeration(T.ObjectType, v);
  t.same(val('ObjectType', 'Enumeration', 2), e(2));
  t.same(val('ObjectType', 'Enumeration', '0x00000002'), e(2));
  both(t, { tag: 'ObjectType', type: 'Enumeration', value: 'SymmetricKey' }, e(2));
  both(t, { tag: 'ObjectType', type: 'Enumeration', value: '0x80000001' }, e(0x80000001));
  t.same(val('ObjectType', 'Enumeration', 0xffffffff), e(0xffffffff));
  rejects(t, { tag: 'ObjectType', type: 'Enumeration', value: -1 }, /bad Enumeration/);
  rejects(t, { tag: 'ObjectType', type: 'Enumeration', value: 2 ** 32 }, /bad Enumeration/);
  rejects(t, { tag: 'ObjectType', type: 'Enumeration', value: true }, /bad Enumeration/);
  rejects(t, { tag: 'ObjectType', type: 'Enumeration', value: 'Bogus' }, /unknown enumeration name "Bogus" for ObjectType/);
});

t.test('Attribute Value: its enumeration and mask follow the sibling Attribute Name', async (t) => {
  const attr = (name: string, value: TtlvItem): TtlvItem => ttlv.structure(T.Attribute, [ttlv.textString(T.AttributeName, name), value]);
  both(
    t,
    { tag: 'Attribute', value: [{ tag: 'AttributeName', type: 'TextString', value: 'Cryptographic Algorithm' }, { tag: 'AttributeValue', type: 'Enumeration', value: 'AES' }] },
    attr('Cryptographic Algorithm', ttlv.enumeration(T.AttributeValue, 3)),
  );
  both(
    t,
    { tag: 'Attribute', value: [{ tag: 'AttributeName', type: 'TextString', value: 'Cryptographic Usage Mask' }, { tag: 'AttributeValue', type: 'Integer', value: 'Encrypt|Decrypt' }] },
    attr('Cryptographic Usage Mask', ttlv.integer(T.AttributeValue, 0xc)),
  );
  both(
    t,
    { tag: 'Attribute', value: [{ tag: 'AttributeName', type: 'TextString', value: 'x-custom' }, { tag: 'AttributeValue', type: 'Enumeration', value: '0x00000003' }] },
    attr('x-custom', ttlv.enumeration(T.AttributeValue, 3)),
  );
  rejects(t, { tag: 'Attribute', value: [{ tag: 'AttributeValue', type: 'Enumeration', value: 'AES' }] }, /^\$\.value\[0\]: unknown enumeration name "AES" for AttributeValue/);
});

t.test('Boolean: JSON boolean or hex (§4.1.6.8)', async (t) => {
  both(t, { tag: 'BatchOrderOption', type: 'Boolean', value: true }, ttlv.boolean(T.BatchOrderOption, true));
  both(t, { tag: 'BatchOrderOption', type: 'Boolean', value: false }, ttlv.boolean(T.BatchOrderOption, false));
  t.same(val('BatchOrderOption', 'Boolean', '0x0000000000000001'), ttlv.boolean(T.BatchOrderOption, true));
  t.same(val('BatchOrderOption', 'Boolean', '0x0000000000000000'), ttlv.boolean(T.BatchOrderOption, false));
  for (const bad of ['0x0000000000000002', 'true', 1, 0]) rejects(t, { tag: 'BatchOrderOption', type: 'Boolean', value: bad }, /bad Boolean/);
});

t.test('Text String (§4.1.6.9)', async (t) => {
  both(t, { tag: 'AttributeName', type: 'TextString', value: 'Cryptographic Algorithm' }, ttlv.textString(T.AttributeName, 'Cryptographic Algorithm'));
  both(t, { tag: 'AttributeName', type: 'TextString', value: 'tab\t"q"\u0007é' }, ttlv.textString(T.AttributeName, 'tab\t"q"\u0007é'));
  rejects(t, { tag: 'AttributeName', type: 'TextString', value: 5 }, /bad TextString/);
});

t.test('Byte String: hex without prefix (§4.1.6.10)', async (t) => {
  both(t, { tag: 'IVCounterNonce', type: 'ByteString', value: 'c50f77' }, ttlv.byteString(T.IVCounterNonce, Uint8Array.of(0xc5, 0x0f, 0x77)));
  t.same(val('IVCounterNonce', 'ByteString', 'C50F77'), ttlv.byteString(T.IVCounterNonce, Uint8Array.of(0xc5, 0x0f, 0x77)));
  both(t, { tag: 'IVCounterNonce', type: 'ByteString', value: '' }, ttlv.byteString(T.IVCounterNonce, new Uint8Array(0)));
  for (const bad of ['0xc50f77', 'abc', 'zz', 12]) rejects(t, { tag: 'IVCounterNonce', type: 'ByteString', value: bad }, /bad ByteString hex/);
});

t.test('Date-Time: ISO 8601 or hex (§4.1.6.11)', async (t) => {
  const d = (s: bigint): TtlvItem => ttlv.dateTime(T.ActivationDate, s);
  t.same(val('ActivationDate', 'DateTime', '0x000000003a505520'), d(978343200n));
  t.same(val('ActivationDate', 'DateTime', '2001-01-01T10:00:00+10:00'), d(978307200n));
  both(t, { tag: 'ActivationDate', type: 'DateTime', value: '2001-01-01T10:00:00+00:00' }, d(978343200n));
  t.same(val('ActivationDate', 'DateTime', '0xffffffffffffffff'), d(-1n));
  for (const bad of [978307200, '2001-02-30T00:00:00Z', '0x10000000000000000', 'now']) {
    rejects(t, { tag: 'ActivationDate', type: 'DateTime', value: bad }, /bad DateTime/);
  }
});

t.test('Interval: number or hex (§4.1.6.12)', async (t) => {
  both(t, { tag: 'Offset', type: 'Interval', value: 27 }, ttlv.interval(T.Offset, 27));
  t.same(val('Offset', 'Interval', '0x0000001b'), ttlv.interval(T.Offset, 27));
  both(t, { tag: 'Offset', type: 'Interval', value: 4294967295 }, ttlv.interval(T.Offset, 0xffffffff));
  for (const bad of [-1, 4294967296, 2.5, '27', '0x100000000']) rejects(t, { tag: 'Offset', type: 'Interval', value: bad }, /bad Interval/);
});

t.test('Date Time Extended (2.x): ISO 8601 with microseconds, or hex', async (t) => {
  const d = (us: bigint): TtlvItem => ttlv.dateTimeExtended(T.LastChangeDate, us);
  both(t, { tag: 'LastChangeDate', type: 'DateTimeExtended', value: '2001-01-01T00:00:00.123456+00:00' }, d(978307200123456n));
  t.same(val('LastChangeDate', 'DateTimeExtended', '0x00000000000000ff'), d(255n));
  t.same(val('LastChangeDate', 'DateTimeExtended', '2001-01-01T10:00:00.5+10:00'), d(978307200500000n));
  both(t, { tag: 'LastChangeDate', type: 'DateTimeExtended', value: '1969-12-31T23:59:59.999999+00:00' }, d(-1n));
  for (const bad of [5, 'soon']) rejects(t, { tag: 'LastChangeDate', type: 'DateTimeExtended', value: bad }, /bad DateTimeExtended/);
});

// ---- tags and objects ------------------------------------------------------------------------------------

t.test('tags: normalised names, or 3-byte hex for unknown tags (§4.1.6.1)', async (t) => {
  both(t, { tag: '0x540001', type: 'LongInteger', value: -2 }, ttlv.longInteger(0x540001, -2n));
  both(t, { tag: '0x54ffff', value: [{ tag: 'BatchCount', type: 'Integer', value: 1 }] }, ttlv.structure(0x54ffff, [ttlv.integer(T.BatchCount, 1)]));
  t.same(parse({ tag: '0x54FFFF', name: 'SomeExtension', type: 'Integer', value: '0x00000001' }), ttlv.integer(0x54ffff, 1));
  t.same(parse({ tag: '0x420001', type: 'DateTime', value: '2001-01-01T10:00:00+10:00' }), ttlv.dateTime(T.ActivationDate, 978307200n));
  t.same(ttlvToJson(ttlv.enumeration(0x540003, 5), vocab), { tag: '0x540003', type: 'Enumeration', value: '0x00000005' });
  rejects(t, { tag: 'WELL_KNOWN_EXTENSION', type: 'TextString', value: 'x' }, /unknown tag 'WELL_KNOWN_EXTENSION'/);
  rejects(t, { tag: '0x5400011', type: 'TextString', value: 'x' }, /unknown tag '0x5400011'/);
  rejects(t, { tag: 0x540001, type: 'TextString', value: 'x' }, /tag must be a string/);
  rejects(t, { type: 'TextString', value: 'x' }, /tag must be a string/);
});

t.test('object-level errors', async (t) => {
  throwsAt(t, null, 0, /^\$: expected a TTLV object/);
  throwsAt(t, [], 0, /expected a TTLV object/);
  throwsAt(t, 5, 0, /expected a TTLV object/);
  throwsAt(t, '[1]', 0, /expected a TTLV object/);
  rejects(t, { tag: 'BatchCount', type: 'Integer', value: 1, extra: 1 }, /unexpected property 'extra'/);
  rejects(t, { tag: 'BatchCount', type: 'Int', value: 1 }, /unknown type "Int"/);
  rejects(t, { tag: 'BatchCount', type: 3, value: 1 }, /unknown type 3/);
  rejects(t, { tag: 'BatchCount', type: 'Integer' }, /Integer without a value/);
  rejects(t, { tag: 'BatchCount', type: 'Integer', value: null }, /Integer without a value/);
  throwsAt(t, '{"tag": "BatchCount", "type": "Integer", value: 1}', 41, /malformed JSON/);
  throwsAt(t, '{"tag": ', 8, /malformed JSON/);
  let deep: JsonTtlv = { tag: 'ProtocolVersion', value: [] };
  for (let i = 0; i < TEXT_MAX_DEPTH; i++) deep = { tag: 'ProtocolVersion', value: [deep] };
  rejects(t, deep, /nest deeper than/);
});

// ---- placeholders -----------------------------------------------------------------------------------------

t.test('placeholders go through the substitute hook, whose text is then parsed', async (t) => {
  const calls: string[] = [];
  const substitute = (p: string, type: string, tag: string): string | undefined => {
    calls.push(`${p} ${type} ${tag}`);
    if (p === '$NOW') return '2001-01-01T00:00:00Z';
    if (p === '$UNIQUE_IDENTIFIER_1') return 'uid-1';
    if (p === '$DATA_1') return '00ff';
    if (p === '$COUNT') return '0x00000007';
    return undefined;
  };
  t.same(parse({ tag: 'ActivationDate', type: 'DateTime', value: '$NOW' }, { substitute }), ttlv.dateTime(T.ActivationDate, 978307200n));
  t.same(parse({ tag: 'AttributeName', type: 'TextString', value: '$UNIQUE_IDENTIFIER_1' }, { substitute }), ttlv.textString(T.AttributeName, 'uid-1'));
  t.same(parse({ tag: 'IVCounterNonce', type: 'ByteString', value: '$DATA_1' }, { substitute }), ttlv.byteString(T.IVCounterNonce, Uint8Array.of(0, 0xff)));
  t.same(parse({ tag: 'BatchCount', type: 'Integer', value: '$COUNT' }, { substitute }), ttlv.integer(T.BatchCount, 7));
  t.same(calls, ['$NOW DateTime ActivationDate', '$UNIQUE_IDENTIFIER_1 TextString AttributeName', '$DATA_1 ByteString IVCounterNonce', '$COUNT Integer BatchCount']);
  rejects(t, { tag: 'ActivationDate', type: 'DateTime', value: '$NOW' }, /^\$: no value for placeholder '\$NOW' \(DateTime ActivationDate\)/);
  rejects(t, { tag: 'ProtocolVersion', value: [{ tag: 'ActivationDate', type: 'DateTime', value: '$NOW' }] }, /^\$\.value\[0\]: no value for placeholder/);
  rejects(t, { tag: 'ActivationDate', type: 'DateTime', value: '$NOW+3600' }, /placeholder '\$NOW\+3600'/, { substitute });
});
