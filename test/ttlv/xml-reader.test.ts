// The strict XML reader behind the KMIP XML encoding (Addtl Msg Enc §6.1.6): accepted syntax and every error path.
import t, { type Test } from 'tap';
import { readXml } from '../../src/ttlv/xml-reader.js';
import { TtlvError } from '../../src/ttlv/ttlv-error.js';
import { TEXT_MAX_DEPTH } from '../../src/ttlv/text-value.js';

function throwsAt(t: Test, xml: string, offset: number, reason: RegExp): void {
  try {
    readXml(xml);
    t.fail(`accepted ${JSON.stringify(xml)}`);
  } catch (e) {
    t.ok(e instanceof TtlvError, 'a TtlvError');
    const err = e as TtlvError;
    t.equal(err.offset, offset, `offset of ${JSON.stringify(xml)}`);
    t.match(err.reason, reason);
  }
}

t.test('elements, attributes, nesting and offsets', async (t) => {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<!-- header -->
<KMIP>
  <A type="Integer" value='1'/>
  <B><C x = "y" /></B >
</KMIP>
<!-- trailer -->
`;
  const root = readXml(xml);
  t.equal(root.name, 'KMIP');
  t.equal(root.offset, xml.indexOf('<KMIP>'));
  t.equal(root.children.length, 2);
  const [a, b] = root.children;
  t.equal(a?.name, 'A');
  t.same({ ...a?.attrs }, { type: 'Integer', value: '1' });
  t.equal(a?.offset, xml.indexOf('<A '));
  t.equal(b?.children[0]?.name, 'C');
  t.same({ ...b?.children[0]?.attrs }, { x: 'y' });
  t.equal(b?.children[0]?.offset, xml.indexOf('<C'));
});

t.test('byte order mark, no declaration, single-quoted and double-quoted values', async (t) => {
  const root = readXml(`\uFEFF<R a='say "hi"' b="it's"/>`);
  t.same({ ...root.attrs }, { a: 'say "hi"', b: "it's" });
  t.same(root.children, []);
});

t.test('entities and character references', async (t) => {
  const root = readXml(`<R v="&lt;&gt;&amp;&quot;&apos; &#65;&#x42;&#x1F600;"/>`);
  t.equal(root.attrs['v'], `<>&"' AB\u{1F600}`);
});

t.test('attribute-value normalisation: literal tabs and line breaks become spaces, references stay', async (t) => {
  const root = readXml('<R v="a\tb\nc\r\nd\re" w="x&#10;y&#9;z&#13;"/>');
  t.equal(root.attrs['v'], 'a b c d e');
  t.equal(root.attrs['w'], 'x\ny\tz\r');
});

t.test('attribute names that look like Object.prototype keys stay plain data', async (t) => {
  const root = readXml('<R __proto__="1" constructor="2"/>');
  t.equal(root.attrs['__proto__'], '1');
  t.equal(root.attrs['constructor'], '2');
});

t.test('nesting up to the limit is read without recursion', async (t) => {
  const depth = TEXT_MAX_DEPTH;
  const xml = '<a>'.repeat(depth) + '</a>'.repeat(depth);
  let el = readXml(xml);
  let n = 1;
  while (el.children[0] !== undefined) {
    el = el.children[0];
    n++;
  }
  t.equal(n, depth);
  throwsAt(t, '<a>'.repeat(depth + 1) + '</a>'.repeat(depth + 1), 3 * depth, /nest deeper/);
});

t.test('errors carry the character offset and a reason', async (t) => {
  throwsAt(t, '', 0, /no root element/);
  throwsAt(t, '   <!-- c -->  ', 15, /no root element/);
  throwsAt(t, 'hello', 0, /text outside the root/);
  throwsAt(t, '<a></b>', 3, /does not match <a>/);
  throwsAt(t, '<a><b></a>', 6, /does not match <b>/);
  throwsAt(t, '<a><b/>', 0, /unclosed element <a>/);
  throwsAt(t, '<a/><b/>', 4, /content after the root/);
  throwsAt(t, '<a/>x', 4, /content after the root/);
  throwsAt(t, '<a>text</a>', 3, /unexpected text/);
  throwsAt(t, '<a>&amp;</a>', 3, /unexpected text/);
  throwsAt(t, '<a><!-- never closed </a>', 3, /unterminated comment/);
  throwsAt(t, '<a><!-- a -- b --></a>', 10, /'--' inside a comment/);
  throwsAt(t, '<!DOCTYPE a><a/>', 0, /DOCTYPE/);
  throwsAt(t, '<?pi x?><a/>', 0, /processing instructions/);
  throwsAt(t, '<a><?pi x?></a>', 3, /not supported/);
  throwsAt(t, '<a><![CDATA[x]]></a>', 3, /not supported/);
  throwsAt(t, '<?xml version="2"?><a/>', 0, /malformed XML declaration/);
  throwsAt(t, ' <?xml version="1.0"?><a/>', 1, /processing instructions/);
  throwsAt(t, '<a v="1"w="2"/>', 8, /whitespace before an attribute/);
  throwsAt(t, '<a v="1" v="2"/>', 9, /duplicate attribute 'v'/);
  throwsAt(t, '<a v/>', 4, /expected '='/);
  throwsAt(t, '<a v=1/>', 5, /quoted attribute value/);
  throwsAt(t, '<a v="1/>', 5, /unterminated attribute value/);
  throwsAt(t, '<a v="<"/>', 6, /'<' in an attribute value/);
  throwsAt(t, '<a v="&nbsp;"/>', 6, /unknown entity/);
  throwsAt(t, '<a v="& x"/>', 6, /malformed entity/);
  throwsAt(t, '<a v="&#0;"/>', 6, /non-XML character/);
  throwsAt(t, '<a v="&#xD800;"/>', 6, /non-XML character/);
  throwsAt(t, '<a v="&#x110000;"/>', 6, /non-XML character/);
  throwsAt(t, '<a v="\u0001"/>', 6, /invalid XML character/);
  throwsAt(t, '<a v="\uD800"/>', 6, /invalid XML character/);
  throwsAt(t, '<1a/>', 1, /invalid element name/);
  throwsAt(t, '<a =""/>', 3, /invalid attribute name/);
  throwsAt(t, '<a v="1"', 0, /unterminated start tag/);
  throwsAt(t, '<a></a', 6, /expected '>'/);
  throwsAt(t, '</a>', 0, /unexpected end tag/);
});
