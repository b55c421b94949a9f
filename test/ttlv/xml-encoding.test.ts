// KMIP XML encoding ⇄ TTLV tree (Addtl Msg Enc §6.1.6), against a small hand-written vocabulary: every type both
// ways, masks, enumerations in an Attribute Value, unknown tags, Date Time Extended, placeholders, every error path.
import t, { type Test } from 'tap';
import { ttlv, type TtlvItem } from '../../src/ttlv/ttlv-item.js';
import { TtlvError } from '../../src/ttlv/ttlv-error.js';
import { ttlvToXml, xmlMessages, xmlToTtlv, type XmlDecodeOptions } from '../../src/ttlv/xml-encoding.js';

import { TAGS, vocab } from '../helpers/test-vocabulary.js';

const T = TAGS;

function parse(xml: string, opts?: XmlDecodeOptions): TtlvItem {
  return xmlToTtlv(xml, vocab, opts);
}

function throwsAt(t: Test, xml: string, offset: number, reason: RegExp, opts?: XmlDecodeOptions): void {
  try {
    parse(xml, opts);
    t.fail(`accepted ${xml}`);
  } catch (e) {
    t.ok(e instanceof TtlvError, 'a TtlvError');
    t.equal((e as TtlvError).offset, offset, `offset for ${xml}`);
    t.match((e as TtlvError).reason, reason, xml);
  }
}

/** Parses to `item`, and `item` renders to `xml` (exact text). */
function both(t: Test, xml: string, item: TtlvItem): void {
  t.same(parse(xml), item, `parse ${xml}`);
  t.equal(ttlvToXml(item, vocab), xml, 'render');
}

// ---- types -------------------------------------------------------------------------------------------------

t.test('Structure: nested elements, type optional, empty self-closing (§6.1.6.2)', async (t) => {
  const pv = ttlv.structure(T.ProtocolVersion, [ttlv.integer(T.ProtocolVersionMajor, 1), ttlv.integer(T.ProtocolVersionMinor, 0)]);
  both(
    t,
    '<ProtocolVersion>\n  <ProtocolVersionMajor type="Integer" value="1"/>\n  <ProtocolVersionMinor type="Integer" value="0"/>\n</ProtocolVersion>',
    pv,
  );
  t.same(parse('<ProtocolVersion type="Structure"><ProtocolVersionMajor type="Integer" value="1"/><ProtocolVersionMinor type="Integer" value="0"/></ProtocolVersion>'), pv);
  both(t, '<ProtocolVersion/>', ttlv.structure(T.ProtocolVersion, []));
  t.same(parse('<ProtocolVersion></ProtocolVersion>'), ttlv.structure(T.ProtocolVersion, []));
  t.equal(ttlvToXml(pv, vocab, { indent: '' }), '<ProtocolVersion><ProtocolVersionMajor type="Integer" value="1"/><ProtocolVersionMinor type="Integer" value="0"/></ProtocolVersion>');
  t.equal(ttlvToXml(pv, vocab, { indent: '\t' }).split('\n')[1], '\t<ProtocolVersionMajor type="Integer" value="1"/>');
  t.same(parse('<ProtocolVersion xmlns="urn:oasis:tc:kmip:xmlns"/>'), ttlv.structure(T.ProtocolVersion, []));
});

t.test('Integer: xsd:int (§6.1.6.3)', async (t) => {
  both(t, '<BatchCount type="Integer" value="10"/>', ttlv.integer(T.BatchCount, 10));
  both(t, '<BatchCount type="Integer" value="-2147483648"/>', ttlv.integer(T.BatchCount, -2147483648));
  both(t, '<BatchCount type="Integer" value="2147483647"/>', ttlv.integer(T.BatchCount, 2147483647));
  t.same(parse('<BatchCount type="Integer" value="+007"/>'), ttlv.integer(T.BatchCount, 7));
  throwsAt(t, '<BatchCount type="Integer" value="2147483648"/>', 0, /bad Integer '2147483648' for BatchCount/);
  throwsAt(t, '<BatchCount type="Integer" value="-2147483649"/>', 0, /bad Integer/);
  throwsAt(t, '<BatchCount type="Integer" value="1.5"/>', 0, /bad Integer/);
  throwsAt(t, '<BatchCount type="Integer" value="0x0000000a"/>', 0, /bad Integer/);
  throwsAt(t, '<BatchCount type="Integer" value=""/>', 0, /bad Integer/);
  throwsAt(t, '<BatchCount type="Integer" value=" 1"/>', 0, /bad Integer/);
});

t.test('Integer masks: names and hex components, space separated (§6.1.6.4)', async (t) => {
  const m = (v: number): TtlvItem => ttlv.integer(T.CryptographicUsageMask, v);
  const p = (v: string): TtlvItem => parse(`<CryptographicUsageMask type="Integer" value="${v}"/>`);
  t.same(p('0x0000100c'), m(0x100c));
  t.same(p('Encrypt Decrypt CertificateSign'), m(0x100c));
  t.same(p('CertificateSign 0x00000004 0x0000008'), m(0x100c));
  t.same(p('CertificateSign 0x0000000c'), m(0x100c));
  t.same(p('  Decrypt   Encrypt '), m(0xc));
  t.same(p('Decrypt&#9;Encrypt&#10;Sign'), m(0xd));
  t.same(p('4108'), m(0x100c), 'decimal is still an Integer');
  t.same(p('0x80000000 Sign'), m(-0x7fffffff), 'bit 31 gives the signed Integer');
  both(t, '<CryptographicUsageMask type="Integer" value="Encrypt Decrypt CertificateSign"/>', m(0x100c));
  both(t, '<CryptographicUsageMask type="Integer" value="Sign Encrypt 0x80100000"/>', m(0x80100005 | 0));
  both(t, '<CryptographicUsageMask type="Integer" value="0"/>', m(0));
  throwsAt(t, '<CryptographicUsageMask type="Integer" value="Encrypt Frobnicate"/>', 0, /unknown mask component 'Frobnicate'/);
  throwsAt(t, '<CryptographicUsageMask type="Integer" value="0x100000000"/>', 0, /unknown mask component '0x100000000'/);
  throwsAt(t, '<CryptographicUsageMask type="Integer" value=""/>', 0, /unknown mask component ''/);
  throwsAt(t, '<CryptographicUsageMask type="Integer" value="encrypt"/>', 0, /unknown mask component 'encrypt'/);
});

t.test('Long Integer: xsd:long (§6.1.6.5)', async (t) => {
  both(t, '<UsageLimitsCount type="LongInteger" value="1152921504606846976"/>', ttlv.longInteger(T.UsageLimitsCount, 1n << 60n));
  both(t, '<UsageLimitsCount type="LongInteger" value="-9223372036854775808"/>', ttlv.longInteger(T.UsageLimitsCount, -(1n << 63n)));
  both(t, '<UsageLimitsCount type="LongInteger" value="9223372036854775807"/>', ttlv.longInteger(T.UsageLimitsCount, (1n << 63n) - 1n));
  throwsAt(t, '<UsageLimitsCount type="LongInteger" value="9223372036854775808"/>', 0, /bad LongInteger/);
  throwsAt(t, '<UsageLimitsCount type="LongInteger" value="0x10"/>', 0, /bad LongInteger/);
  throwsAt(t, '<UsageLimitsCount type="LongInteger" value="1e3"/>', 0, /bad LongInteger/);
});

t.test('Big Integer: two\'s-complement xsd:hexBinary, any length in, 8-byte multiples out (§6.1.6.6)', async (t) => {
  const b = (v: bigint): TtlvItem => ttlv.bigInteger(T.Modulus, v);
  both(t, '<Modulus type="BigInteger" value="0000000000000000"/>', b(0n));
  both(t, '<Modulus type="BigInteger" value="0000000000010001"/>', b(65537n));
  both(t, '<Modulus type="BigInteger" value="ffffffffffffffff"/>', b(-1n));
  both(t, '<Modulus type="BigInteger" value="00000000000000008000000000000000"/>', b(1n << 63n));
  both(t, '<Modulus type="BigInteger" value="ffffffffffffffff7fffffffffffffff"/>', b(-(1n << 63n) - 1n));
  t.same(parse('<Modulus type="BigInteger" value="ff"/>'), b(-1n), 'short input is sign-extended');
  t.same(parse('<Modulus type="BigInteger" value="00FF"/>'), b(255n));
  t.same(parse('<Modulus type="BigInteger" value="0000000000000000930451"/>'), b(0x930451n));
  t.same(parse('<Modulus type="BigInteger" value=""/>'), b(0n));
  throwsAt(t, '<Modulus type="BigInteger" value="fff"/>', 0, /bad BigInteger hex/);
  throwsAt(t, '<Modulus type="BigInteger" value="0x00"/>', 0, /bad BigInteger hex/);
  throwsAt(t, '<Modulus type="BigInteger" value="zz"/>', 0, /bad BigInteger hex/);
});

t.test('Enumeration: normalised name or hex; unknown values out in hex (§6.1.6.7)', async (t) => {
  both(t, '<ObjectType type="Enumeration" value="SymmetricKey"/>', ttlv.enumeration(T.ObjectType, 2));
  t.same(parse('<ObjectType type="Enumeration" value="0x00000002"/>'), ttlv.enumeration(T.ObjectType, 2));
  t.same(parse('<ObjectType type="Enumeration" value="0x2"/>'), ttlv.enumeration(T.ObjectType, 2), 'short hex is zero-extended');
  throwsAt(t, '<ObjectType type="Enumeration" value="0X00000002"/>', 0, /unknown enumeration name/);
  both(t, '<ObjectType type="Enumeration" value="0x80000001"/>', ttlv.enumeration(T.ObjectType, 0x80000001));
  both(t, '<ObjectType type="Enumeration" value="0xffffffff"/>', ttlv.enumeration(T.ObjectType, 0xffffffff));
  both(t, '<BatchCount type="Enumeration" value="0x00000007"/>', ttlv.enumeration(T.BatchCount, 7));
  throwsAt(t, '<ObjectType type="Enumeration" value="Symmetric Key"/>', 0, /unknown enumeration name 'Symmetric Key' for ObjectType/);
  throwsAt(t, '<ObjectType type="Enumeration" value="2"/>', 0, /unknown enumeration name '2'/);
  throwsAt(t, '<ObjectType type="Enumeration" value="0x100000000"/>', 0, /unknown enumeration name/);
  throwsAt(t, '<BatchCount type="Enumeration" value="AES"/>', 0, /unknown enumeration name 'AES' for BatchCount/);
});

t.test('Attribute Value: its enumeration and mask follow the sibling Attribute Name (§6.1.6.7)', async (t) => {
  const attr = (name: string, value: TtlvItem): TtlvItem => ttlv.structure(T.Attribute, [ttlv.textString(T.AttributeName, name), value]);
  both(
    t,
    '<Attribute>\n  <AttributeName type="TextString" value="Cryptographic Algorithm"/>\n  <AttributeValue type="Enumeration" value="AES"/>\n</Attribute>',
    attr('Cryptographic Algorithm', ttlv.enumeration(T.AttributeValue, 3)),
  );
  both(
    t,
    '<Attribute>\n  <AttributeName type="TextString" value="Cryptographic Usage Mask"/>\n  <AttributeValue type="Integer" value="Encrypt Decrypt"/>\n</Attribute>',
    attr('Cryptographic Usage Mask', ttlv.integer(T.AttributeValue, 0xc)),
  );
  both(
    t,
    '<Attribute>\n  <AttributeName type="TextString" value="x-custom"/>\n  <AttributeValue type="Enumeration" value="0x00000003"/>\n</Attribute>',
    attr('x-custom', ttlv.enumeration(T.AttributeValue, 3)),
  );
  t.same(
    parse('<Attribute><AttributeName type="TextString" value="Cryptographic Usage Mask"/><AttributeValue type="Integer" value="12"/></Attribute>'),
    attr('Cryptographic Usage Mask', ttlv.integer(T.AttributeValue, 12)),
    'decimal mask in an Attribute Value',
  );
  throwsAt(t, '<Attribute><AttributeValue type="Enumeration" value="AES"/></Attribute>', 11, /unknown enumeration name 'AES' for AttributeValue/);
  throwsAt(
    t,
    '<Attribute><AttributeName type="TextString" value="Cryptographic Usage Mask"/><AttributeValue type="Enumeration" value="AES"/></Attribute>',
    78,
    /unknown enumeration name/,
  );
  // The name only colours the Attribute Value itself, not items with the same tag elsewhere.
  t.same(
    parse('<Attribute><AttributeName type="TextString" value="Cryptographic Algorithm"/><ObjectType type="Enumeration" value="Certificate"/></Attribute>'),
    ttlv.structure(T.Attribute, [ttlv.textString(T.AttributeName, 'Cryptographic Algorithm'), ttlv.enumeration(T.ObjectType, 1)]),
  );
});

t.test('Boolean: xsd:boolean (§6.1.6.8)', async (t) => {
  both(t, '<BatchOrderOption type="Boolean" value="true"/>', ttlv.boolean(T.BatchOrderOption, true));
  both(t, '<BatchOrderOption type="Boolean" value="false"/>', ttlv.boolean(T.BatchOrderOption, false));
  t.same(parse('<BatchOrderOption type="Boolean" value="1"/>'), ttlv.boolean(T.BatchOrderOption, true));
  t.same(parse('<BatchOrderOption type="Boolean" value="0"/>'), ttlv.boolean(T.BatchOrderOption, false));
  throwsAt(t, '<BatchOrderOption type="Boolean" value="TRUE"/>', 0, /bad Boolean/);
  throwsAt(t, '<BatchOrderOption type="Boolean" value="yes"/>', 0, /bad Boolean/);
});

t.test('Text String: xsd:string, with escapes both ways (§6.1.6.9)', async (t) => {
  both(t, '<AttributeName type="TextString" value="Cryptographic Algorithm"/>', ttlv.textString(T.AttributeName, 'Cryptographic Algorithm'));
  both(t, '<AttributeName type="TextString" value=""/>', ttlv.textString(T.AttributeName, ''));
  both(
    t,
    `<AttributeName type="TextString" value="a &amp; b &lt;c&gt; &quot;q&quot; 'x' tab&#9;nl&#10;cr&#13;é\u{1F511}"/>`,
    ttlv.textString(T.AttributeName, `a & b <c> "q" 'x' tab\tnl\ncr\ré\u{1F511}`),
  );
  t.same(parse(`<AttributeName type="TextString" value='&apos;q&apos;'/>`), ttlv.textString(T.AttributeName, "'q'"));
  t.throws(() => ttlvToXml(ttlv.textString(T.AttributeName, 'bell\u0007'), vocab), TtlvError, 'XML 1.0 cannot carry U+0007');
});

t.test('Byte String: hex without prefix (§6.1.6.10)', async (t) => {
  both(t, '<IVCounterNonce type="ByteString" value="c50f77"/>', ttlv.byteString(T.IVCounterNonce, Uint8Array.of(0xc5, 0x0f, 0x77)));
  t.same(parse('<IVCounterNonce type="ByteString" value="C50F77"/>'), ttlv.byteString(T.IVCounterNonce, Uint8Array.of(0xc5, 0x0f, 0x77)));
  both(t, '<IVCounterNonce type="ByteString" value=""/>', ttlv.byteString(T.IVCounterNonce, new Uint8Array(0)));
  throwsAt(t, '<IVCounterNonce type="ByteString" value="abc"/>', 0, /bad ByteString hex/);
  throwsAt(t, '<IVCounterNonce type="ByteString" value="0xab"/>', 0, /bad ByteString hex/);
  throwsAt(t, '<IVCounterNonce type="ByteString" value="gg"/>', 0, /bad ByteString hex/);
});

t.test('Date-Time: xsd:dateTime in, UTC with +00:00 out (§6.1.6.11)', async (t) => {
  const d = (s: bigint): TtlvItem => ttlv.dateTime(T.ActivationDate, s);
  t.same(parse('<ActivationDate type="DateTime" value="2001-01-01T10:00:00+10:00"/>'), d(978307200n));
  both(t, '<ActivationDate type="DateTime" value="2001-01-01T00:00:00+00:00"/>', d(978307200n));
  both(t, '<ActivationDate type="DateTime" value="2012-04-27T08:12:24+00:00"/>', d(BigInt(Date.UTC(2012, 3, 27, 8, 12, 24) / 1000)));
  t.same(parse('<ActivationDate type="DateTime" value="2001-01-01T00:00:00Z"/>'), d(978307200n));
  t.same(parse('<ActivationDate type="DateTime" value="2001-01-01T00:00:00"/>'), d(978307200n), 'no zone reads as UTC');
  t.same(parse('<ActivationDate type="DateTime" value="2001-01-01T00:00:00.999Z"/>'), d(978307200n), 'fractions truncated');
  t.same(parse('<ActivationDate type="DateTime" value="2000-12-31T19:30:00-04:30"/>'), d(978307200n));
  both(t, '<ActivationDate type="DateTime" value="1969-12-31T23:59:59+00:00"/>', d(-1n));
  both(t, '<ActivationDate type="DateTime" value="2000-02-29T00:00:00+00:00"/>', d(951782400n));
  both(t, '<ActivationDate type="DateTime" value="0001-01-01T00:00:00+00:00"/>', d(-62135596800n));
  both(t, '<ActivationDate type="DateTime" value="-0001-12-31T23:59:59+00:00"/>', d(-62167219201n));
  both(t, '<ActivationDate type="DateTime" value="10000-01-01T00:00:00+00:00"/>', d(253402300800n));
  for (const bad of [
    '2001-13-01T00:00:00Z',
    '2001-00-01T00:00:00Z',
    '2001-02-29T00:00:00Z',
    '2001-04-31T00:00:00Z',
    '2001-01-01T24:00:00Z',
    '2001-01-01T00:60:00Z',
    '2001-01-01T00:00:60Z',
    '2001-01-01T00:00:00+15:00',
    '2001-01-01T00:00:00+01:60',
    '2001-01-01 00:00:00Z',
    '2001-1-01T00:00:00Z',
    '2001-01-01T00:00:00.Z',
    '978307200',
    '0x000000003a4fc880',
  ]) {
    throwsAt(t, `<ActivationDate type="DateTime" value="${bad}"/>`, 0, /bad DateTime/);
  }
});

t.test('Interval: xsd:unsignedInt (§6.1.6.12)', async (t) => {
  both(t, '<Offset type="Interval" value="27"/>', ttlv.interval(T.Offset, 27));
  both(t, '<Offset type="Interval" value="4294967295"/>', ttlv.interval(T.Offset, 0xffffffff));
  throwsAt(t, '<Offset type="Interval" value="4294967296"/>', 0, /bad Interval/);
  throwsAt(t, '<Offset type="Interval" value="-1"/>', 0, /bad Interval/);
  throwsAt(t, '<Offset type="Interval" value="0x1b"/>', 0, /bad Interval/);
});

t.test('Date Time Extended (2.x, type 0x0B): xsd:dateTime with microseconds', async (t) => {
  const d = (us: bigint): TtlvItem => ttlv.dateTimeExtended(T.LastChangeDate, us);
  both(t, '<LastChangeDate type="DateTimeExtended" value="2001-01-01T00:00:00.123456+00:00"/>', d(978307200123456n));
  both(t, '<LastChangeDate type="DateTimeExtended" value="2001-01-01T00:00:00.000000+00:00"/>', d(978307200000000n));
  t.same(parse('<LastChangeDate type="DateTimeExtended" value="2001-01-01T10:00:00.5+10:00"/>'), d(978307200500000n));
  t.same(parse('<LastChangeDate type="DateTimeExtended" value="2001-01-01T00:00:00.1234567Z"/>'), d(978307200123456n));
  t.same(parse('<LastChangeDate type="DateTimeExtended" value="2001-01-01T00:00:00Z"/>'), d(978307200000000n));
  both(t, '<LastChangeDate type="DateTimeExtended" value="1969-12-31T23:59:59.999999+00:00"/>', d(-1n));
  throwsAt(t, '<LastChangeDate type="DateTimeExtended" value="yesterday"/>', 0, /bad DateTimeExtended/);
  throwsAt(t, '<LastChangeDate type="DateTimeExtended" value="300000-01-01T00:00:00Z"/>', 0, /bad DateTimeExtended/);
});

// ---- tags ----------------------------------------------------------------------------------------------------

t.test('unknown tags: the general TTLV form and the x540001 form (§6.1.6, §6.1.6.5)', async (t) => {
  both(t, '<TTLV tag="0x540001" type="LongInteger" value="-2"/>', ttlv.longInteger(0x540001, -2n));
  both(t, '<TTLV tag="0x54ffff">\n  <BatchCount type="Integer" value="1"/>\n</TTLV>', ttlv.structure(0x54ffff, [ttlv.integer(T.BatchCount, 1)]));
  both(t, '<TTLV tag="0x540002"/>', ttlv.structure(0x540002, []));
  t.same(parse('<x540001 type="LongInteger" value="-2"/>'), ttlv.longInteger(0x540001, -2n));
  t.same(parse('<TTLV tag="0x54FFFF" name="SomeExtension" type="DateTime" value="2001-01-01T10:00:00+10:00"/>'), ttlv.dateTime(0x54ffff, 978307200n));
  t.same(parse('<TTLV tag="0x420001" type="DateTime" value="2001-01-01T00:00:00Z"/>'), ttlv.dateTime(T.ActivationDate, 978307200n));
  t.same(parse('<TTLV tag="ActivationDate" type="DateTime" value="2001-01-01T00:00:00Z"/>'), ttlv.dateTime(T.ActivationDate, 978307200n));
  t.equal(ttlvToXml(ttlv.enumeration(0x540003, 5), vocab), '<TTLV tag="0x540003" type="Enumeration" value="0x00000005"/>');
  throwsAt(t, '<WELL_KNOWN_EXTENSION type="TextString" value="x"/>', 0, /unknown tag name 'WELL_KNOWN_EXTENSION'/);
  throwsAt(t, '<TTLV type="Integer" value="1"/>', 0, /without a tag attribute/);
  throwsAt(t, '<TTLV tag="0x5400011" type="Integer" value="1"/>', 0, /unknown tag '0x5400011'/);
  throwsAt(t, '<TTLV tag="Nope" type="Integer" value="1"/>', 0, /unknown tag 'Nope'/);
  throwsAt(t, '<x54001 type="Integer" value="1"/>', 0, /unknown tag name 'x54001'/);
});

// ---- element-level errors ----------------------------------------------------------------------------------

t.test('element errors carry the element offset', async (t) => {
  throwsAt(t, '<ProtocolVersion>\n  <BatchCount type="Int" value="1"/></ProtocolVersion>', 20, /unknown type 'Int'/);
  throwsAt(t, '<ProtocolVersion value="1"/>', 0, /has a value attribute/);
  throwsAt(t, '<BatchCount type="Integer" value="1"><BatchCount type="Integer" value="1"/></BatchCount>', 37, /has child elements/);
  throwsAt(t, '<BatchCount type="Integer"/>', 0, /has no value attribute/);
  throwsAt(t, '<BatchCount type="Integer" value="1" name="x"/>', 0, /unexpected attribute 'name'/);
  throwsAt(t, '<TTLV tag="0x540001" type="Integer" value="1" extra="x"/>', 0, /unexpected attribute 'extra'/);
  throwsAt(t, '<BatchCount type="Integer" value="1"', 0, /unterminated start tag/);
  t.same(parse('<BatchCount xmlns:k="urn:oasis:tc:kmip:xmlns" type="Integer" value="1"/>'), ttlv.integer(T.BatchCount, 1));
});

// ---- placeholders -----------------------------------------------------------------------------------------

t.test('placeholders go through the substitute hook, whose text is then parsed', async (t) => {
  const calls: string[] = [];
  const substitute = (p: string, type: string, tag: string): string | undefined => {
    calls.push(`${p} ${type} ${tag}`);
    if (p === '$NOW-3600') return '2001-01-01T00:00:00Z';
    if (p === '$UNIQUE_IDENTIFIER_0') return 'uid-0';
    if (p === '$IV_COUNTER_NONCE') return '0011';
    if (p === '$BAD') return 'not hex';
    return undefined;
  };
  t.same(parse('<ActivationDate type="DateTime" value="$NOW-3600"/>', { substitute }), ttlv.dateTime(T.ActivationDate, 978307200n));
  t.same(parse('<AttributeName type="TextString" value="$UNIQUE_IDENTIFIER_0"/>', { substitute }), ttlv.textString(T.AttributeName, 'uid-0'));
  t.same(parse('<IVCounterNonce type="ByteString" value="$IV_COUNTER_NONCE"/>', { substitute }), ttlv.byteString(T.IVCounterNonce, Uint8Array.of(0, 0x11)));
  t.same(calls, ['$NOW-3600 DateTime ActivationDate', '$UNIQUE_IDENTIFIER_0 TextString AttributeName', '$IV_COUNTER_NONCE ByteString IVCounterNonce']);
  throwsAt(t, '<ActivationDate type="DateTime" value="$NOW"/>', 0, /no value for placeholder '\$NOW' \(DateTime ActivationDate\)/);
  throwsAt(t, '<ActivationDate type="DateTime" value="$NOW"/>', 0, /placeholder '\$NOW'/, { substitute });
  throwsAt(t, '<IVCounterNonce type="ByteString" value="$BAD"/>', 0, /bad ByteString hex 'not hex'/, { substitute });
  const s = (): string => '$NOW';
  throwsAt(t, '<ActivationDate type="DateTime" value="$NOW"/>', 0, /bad DateTime '\$NOW'/, { substitute: s });
});

// ---- files -----------------------------------------------------------------------------------------------

t.test('xmlMessages: the messages of a KMIP or KmipTestCase root, in order', async (t) => {
  const body = '<RequestMessage><BatchCount type="Integer" value="1"/></RequestMessage><!-- c --><RequestMessage/>';
  const expected = [ttlv.structure(T.RequestMessage, [ttlv.integer(T.BatchCount, 1)]), ttlv.structure(T.RequestMessage, [])];
  t.same(xmlMessages(`<KMIP>\n${body}\n</KMIP>`, vocab), expected);
  t.same(xmlMessages(`<?xml version="1.0"?><KmipTestCase>${body}</KmipTestCase>`, vocab), expected);
  t.same(xmlMessages('<RequestMessage/>', vocab), [ttlv.structure(T.RequestMessage, [])]);
  t.throws(() => xmlMessages('<KMIP><Bogus/></KMIP>', vocab), TtlvError);
});
