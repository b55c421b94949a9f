// All 520 messages of OASIS KMIP Test Cases 1.1 decode and re-encode byte-identical; a sample matches the document's tree (1.4 §9.1).
import t from 'tap';
import { readFileSync } from 'node:fs';
import { decodeTtlv, encodeTtlv, ItemType, ITEM_TYPE_NAMES, type TtlvItem } from '../../src/ttlv/index.js';

const DIR = new URL('../../../shared/kmip-vectors/testcases-v1.1/', import.meta.url);

interface Message {
  readonly section: string;
  readonly test_case: string;
  readonly step_label: string;
  readonly direction: string;
  readonly hex: string;
  readonly length: number;
  readonly well_formed_ttlv: boolean;
  readonly ttlv_check: string;
}
const messages = (JSON.parse(readFileSync(new URL('messages.json', DIR), 'utf8')) as { messages: Message[] }).messages;

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex').toUpperCase();

/** One node of the document's printed tree: "Tag: Name (0x420078), Type: Structure (0x01), Data: …". */
interface TreeNode {
  readonly name: string;
  readonly tag: number;
  readonly typeName: string;
  readonly type: number;
  readonly data: string;
  readonly children: TreeNode[];
}
interface TreeBlock {
  readonly root: TreeNode;
  /** The hex line that the document prints after the tree. */
  readonly hex: string;
  /** 1-based line of the root in the .txt, for messages. */
  readonly line: number;
}

const TAG_LINE = /^( *)Tag: (.*) \(0x([0-9A-Fa-f]{6})\), Type: (.*) \(0x([0-9A-Fa-f]{2})\), Data:(?: (.*))?$/;
const HEX_LINE = /^(?:[0-9A-Fa-f]{2}){8,}$/;

/**
 * Parse the document's trees: a root "Tag:" line at column 0, indented children (2 spaces a level), blank or
 * whitespace-only lines in between, closed by the message's hex line.
 */
function parseTrees(text: string): TreeBlock[] {
  const blocks: TreeBlock[] = [];
  let stack: { indent: number; node: TreeNode }[] = [];
  let root: TreeNode | undefined;
  let rootLine = 0;
  text.split(/\r?\n/).forEach((raw, i) => {
    const m = TAG_LINE.exec(raw);
    if (m) {
      const indent = m[1]!.length;
      const node: TreeNode = {
        name: m[2]!, tag: parseInt(m[3]!, 16), typeName: m[4]!, type: parseInt(m[5]!, 16), data: m[6] ?? '', children: [],
      };
      if (indent === 0) {
        if (root) throw new Error(`line ${i + 1}: new tree before the hex of the tree at line ${rootLine}`);
        root = node;
        rootLine = i + 1;
        stack = [{ indent, node }];
        return;
      }
      if (!root) throw new Error(`line ${i + 1}: indented Tag line outside a tree`);
      while (stack.length > 0 && stack[stack.length - 1]!.indent >= indent) stack.pop();
      const parent = stack[stack.length - 1];
      if (!parent) throw new Error(`line ${i + 1}: no parent for indent ${indent}`);
      parent.node.children.push(node);
      stack.push({ indent, node });
      return;
    }
    const line = raw.trim();
    if (root && HEX_LINE.test(line)) {
      blocks.push({ root, hex: line.toUpperCase(), line: rootLine });
      root = undefined;
    }
  });
  if (root) throw new Error(`tree at line ${rootLine} has no hex line`);
  return blocks;
}

/** The value the document prints, in the codec's representation for `type`. */
function expectedValue(node: TreeNode): number | bigint | boolean | string {
  const d = node.data;
  const word = (digits: number): string => {
    const m = new RegExp(`^0x([0-9A-Fa-f]{${digits}})(?: \\(.*\\))?$`).exec(d);
    if (!m) throw new Error(`${node.name}: cannot read ${node.typeName} data "${d}"`);
    return m[1]!;
  };
  switch (node.type) {
    case ItemType.Integer: return parseInt(word(8), 16) | 0;
    case ItemType.Enumeration:
    case ItemType.Interval: return parseInt(word(8), 16);
    case ItemType.LongInteger:
    case ItemType.DateTime:
    case ItemType.DateTimeExtended: return BigInt.asIntN(64, BigInt(`0x${word(16)}`));
    case ItemType.BigInteger: {
      // "0000…CC75…E5 (1434…)": two's complement hex, then (usually) the decimal; both must agree.
      const m = /^((?:[0-9A-Fa-f]{2})+)(?: \((-?\d+)\))?$/.exec(d);
      if (!m) throw new Error(`${node.name}: Big Integer data "${d.slice(0, 40)}…"`);
      const value = BigInt.asIntN(m[1]!.length * 4, BigInt(`0x${m[1]}`));
      if (m[2] !== undefined && BigInt(m[2]) !== value) throw new Error(`${node.name}: hex and decimal disagree`);
      return value;
    }
    case ItemType.Boolean:
      if (d !== 'TRUE' && d !== 'FALSE') throw new Error(`${node.name}: Boolean data "${d}"`);
      return d === 'TRUE';
    case ItemType.TextString: return d;
    case ItemType.ByteString: return d.toUpperCase();
    default: throw new Error(`${node.name}: no value for type 0x${node.type.toString(16)}`);
  }
}

/** Compare a decoded item with the document's node; returns the first difference (path and what), or undefined. */
function diff(item: TtlvItem, node: TreeNode, path: string): string | undefined {
  const here = `${path}/${node.name}`;
  if (item.tag !== node.tag) return `${here}: tag 0x${item.tag.toString(16)} ≠ 0x${node.tag.toString(16)}`;
  if (item.type !== node.type) return `${here}: type ${ITEM_TYPE_NAMES[item.type]} ≠ ${node.typeName}`;
  if (item.type === ItemType.Structure) {
    // An empty Structure prints "Data: null".
    if (node.data !== '' && !(node.data === 'null' && node.children.length === 0)) {
      return `${here}: Structure with data "${node.data}"`;
    }
    if (item.value.length !== node.children.length) {
      return `${here}: ${item.value.length} children ≠ ${node.children.length}`;
    }
    for (let i = 0; i < item.value.length; i++) {
      const d = diff(item.value[i]!, node.children[i]!, here);
      if (d) return d;
    }
    return undefined;
  }
  if (node.children.length > 0) return `${here}: ${node.typeName} with children`;
  const want = expectedValue(node);
  const got = item.type === ItemType.ByteString ? hex(item.value) : item.value;
  return got === want ? undefined : `${here}: value ${String(got)} ≠ ${String(want)}`;
}

t.test('messages.json holds the 520 messages, 2 of them with the vendor tag 0x014242', async (t) => {
  t.equal(messages.length, 520);
  const vendor = messages.filter((m) => !m.well_formed_ttlv);
  t.same(vendor.map((m) => m.section), ['7.1', '7.2']);
  for (const m of vendor) t.match(m.ttlv_check, /014242/);
});

t.test('every message decodes and re-encodes byte-identical', async (t) => {
  let ok = 0;
  for (const [i, m] of messages.entries()) {
    const where = `#${i} §${m.section} ${m.direction} "${m.step_label}"`;
    const bytes = Buffer.from(m.hex, 'hex');
    if (bytes.length !== m.length) t.fail(`${where}: hex is ${bytes.length} bytes, length field says ${m.length}`);
    let item: TtlvItem;
    try {
      item = decodeTtlv(bytes);
    } catch (e) {
      t.fail(`${where}: ${(e as Error).message}`);
      continue;
    }
    const again = encodeTtlv(item);
    if (!again.equals(bytes)) t.fail(`${where}: re-encoding differs`);
    else ok++;
    // The direction label comes from the first tag: Request Message 0x420078, Response Message 0x42007B.
    if (item.tag !== (m.direction === 'request' ? 0x420078 : 0x42007b)) t.fail(`${where}: root tag 0x${item.tag.toString(16)}`);
  }
  t.equal(ok, 520, 'all 520 round-trip');
});

t.test('the vendor-extension messages of §7.1/7.2 keep tag 0x014242 inside Vendor Extension 0x42009C', async (t) => {
  for (const m of messages.filter((x) => x.section === '7.1' || x.section === '7.2')) {
    const root = decodeTtlv(Buffer.from(m.hex, 'hex'));
    const found: { parent: number; item: TtlvItem }[] = [];
    const walk = (it: TtlvItem): void => {
      if (it.type !== ItemType.Structure) return;
      for (const c of it.value) {
        if (c.tag === 0x014242) found.push({ parent: it.tag, item: c });
        walk(c);
      }
    };
    walk(root);
    if (m.well_formed_ttlv) {
      t.equal(found.length, 0, `§${m.section} ${m.direction}: no vendor tag`);
      continue;
    }
    t.equal(found.length, 1, `§${m.section} ${m.direction}: one item with tag 0x014242`);
    t.equal(found[0]?.parent, 0x42009c, 'inside Vendor Extension');
    t.equal(found[0]?.item.type, ItemType.TextString);
    t.equal(found[0]?.item.value, 'na');
  }
});

const blocks = parseTrees(readFileSync(new URL('kmip-testcases-v1.1.txt', DIR), 'utf8'));

t.test('the document prints one tree per message, in the same order, followed by the same hex', async (t) => {
  t.equal(blocks.length, messages.length, 'as many trees as messages');
  const mismatched = messages.filter((m, i) => blocks[i]?.hex !== m.hex.toUpperCase()).length;
  t.equal(mismatched, 0, 'tree i is followed by the hex of message i');
});

/**
 * ~20 messages across the sections: the first request of every top-level section, the first response of
 * §3 and §13 (the largest), both vendor-extension requests (§7.1/7.2), and the first message holding each of
 * the rarer types (Big Integer, Long Integer, Interval, Boolean, Date-Time).
 */
function sample(): number[] {
  const picked = new Set<number>();
  const seen = new Set<string>();
  messages.forEach((m, i) => {
    const section = m.section.split('.')[0]!;
    const key = `${section}:${m.direction}`;
    if (!seen.has(key) && (m.direction === 'request' || section === '3' || section === '13')) picked.add(i);
    seen.add(key);
    if (!m.well_formed_ttlv && m.direction === 'request') picked.add(i);
  });
  const types = [ItemType.BigInteger, ItemType.LongInteger, ItemType.Interval, ItemType.Boolean, ItemType.DateTime];
  for (const type of types) {
    const has = (n: TreeNode): boolean => n.type === type || n.children.some(has);
    const i = blocks.findIndex((b) => has(b.root));
    if (i >= 0) picked.add(i);
  }
  return [...picked].sort((a, b) => a - b);
}

t.test('sampled messages decode to the tags, types and values of the document tree', async (t) => {
  const indices = sample();
  t.ok(indices.length >= 18 && indices.length <= 26, `sample of ${indices.length} messages`);
  t.ok(new Set(indices.map((i) => messages[i]!.section.split('.')[0])).size >= 14, 'spread over the sections');
  for (const i of indices) {
    const m = messages[i]!;
    const block = blocks[i]!;
    const item = decodeTtlv(Buffer.from(m.hex, 'hex'));
    t.equal(diff(item, block.root, ''), undefined, `#${i} §${m.section} ${m.direction} "${m.step_label}" (txt line ${block.line})`);
  }
});

t.test('the sample covers every item type the document uses', async (t) => {
  const types = new Set<number>();
  const collect = (n: TreeNode): void => { types.add(n.type); n.children.forEach(collect); };
  for (const i of sample()) collect(blocks[i]!.root);
  for (const name of ['Structure', 'Integer', 'LongInteger', 'BigInteger', 'Enumeration', 'Boolean', 'TextString', 'ByteString', 'DateTime', 'Interval'] as const) {
    t.ok(types.has(ItemType[name]), name);
  }
});

t.test('beyond the sample: every one of the 520 messages matches its document tree', async (t) => {
  const differences: string[] = [];
  messages.forEach((m, i) => {
    const d = diff(decodeTtlv(Buffer.from(m.hex, 'hex')), blocks[i]!.root, '');
    if (d !== undefined) differences.push(`#${i} §${m.section}: ${d}`);
  });
  t.same(differences, [], 'no differences');
});
