// `kmipd ttlv decode|encode` through runTtlv with an injected Io (and once as the real CLI): round trips of the OASIS 1.1 test-case messages and profile XML, one-line errors (1.4 §9.1; Addtl Msg Enc §4, §6).
import t, { type Test } from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { processIo, runTtlv, TTLV_USAGE, type Io } from '../../src/cli/ttlv.js';
import { kmipVocabulary } from '../../src/kmip/kmip-vocabulary.js';
import { decodeTtlv, encodeTtlv, ItemType, ITEM_TYPE_NAMES, ttlv, type TtlvItem } from '../../src/ttlv/index.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const VECTORS = new URL('../../../shared/kmip-vectors/', import.meta.url);

interface Message {
  readonly section: string;
  readonly test_case: string;
  readonly direction: string;
  readonly hex: string;
}
const messages = (JSON.parse(readFileSync(new URL('testcases-v1.1/messages.json', VECTORS), 'utf8')) as { messages: Message[] }).messages;
const vocab = kmipVocabulary();

interface Run {
  readonly code: number;
  /** What was written to stdout, as bytes. */
  readonly out: Buffer;
  /** Each call of Io.error. */
  readonly err: string[];
  /** The FILE argument that readInput was given. */
  readonly file: string | undefined;
}

/** Runs the subcommand on `input`, served as FILE or stdin alike, capturing what it writes. */
function run(argv: readonly string[], input: string | Uint8Array = ''): Run {
  const out: Buffer[] = [];
  const err: string[] = [];
  let file: string | undefined;
  const io: Io = {
    readInput: (f) => {
      file = f;
      return Buffer.from(input);
    },
    write: (d) => void out.push(Buffer.from(d)),
    error: (line) => void err.push(line),
  };
  const code = runTtlv(argv, io);
  return { code, out: Buffer.concat(out), err, file };
}

/** Bad input: exit 2, nothing on stdout, exactly one line on stderr, which is returned. */
function badInput(t: Test, argv: readonly string[], input: string | Uint8Array): string {
  const r = run(argv, input);
  t.equal(r.code, 2, 'exit code 2');
  t.equal(r.out.length, 0, 'nothing on stdout');
  t.equal(r.err.length, 1, 'one error report');
  const line = r.err[0] ?? '';
  t.notMatch(line, /[\r\n]/, 'on one line');
  return line;
}

/** Usage error: exit 2, nothing on stdout, the reason on the first line and the usage text after it. */
function usageError(t: Test, argv: readonly string[], reason: string): void {
  const r = run(argv, '');
  t.equal(r.code, 2, 'exit code 2');
  t.equal(r.out.length, 0, 'nothing on stdout');
  t.equal(r.err.length, 1, 'one error report');
  t.equal(r.err[0], `kmipd ttlv: ${reason}\n${TTLV_USAGE}`);
}

/** Items in document order with their depth, as the tree prints them. */
function preorder(item: TtlvItem, depth = 0, out: { item: TtlvItem; depth: number }[] = []): { item: TtlvItem; depth: number }[] {
  out.push({ item, depth });
  if (item.type === ItemType.Structure) for (const c of item.value) preorder(c, depth + 1, out);
  return out;
}

const tagHex = (tag: number): string => `0x${tag.toString(16).toUpperCase().padStart(6, '0')}`;

t.test('every 1.1 test-case message: hex → xml → bin, hex → json → bin give the bytes back; the tree names tags and enumerations', async (t) => {
  t.equal(messages.length, 520);
  const failures: string[] = [];
  for (const m of messages) {
    const bytes = Buffer.from(m.hex, 'hex');
    const where = `${m.section} ${m.direction}`;
    for (const to of ['xml', 'json'] as const) {
      const text = run(['decode', '--from', 'hex', '--to', to], m.hex);
      if (text.code !== 0) {
        failures.push(`${where} decode --to ${to}: ${text.err.join()}`);
        continue;
      }
      const back = run(['encode', '--from', to, '--to', 'bin'], text.out);
      if (back.code !== 0 || !back.out.equals(bytes)) failures.push(`${where} ${to} → bin: ${back.err.join() || 'bytes differ'}`);
    }
    const tree = run(['decode', '--from', 'hex', '--to', 'tree'], m.hex);
    const lines = tree.out.toString('utf8').split('\n');
    t.equal(lines.pop(), '', 'the tree ends with a line break');
    const nodes = preorder(decodeTtlv(bytes));
    if (lines.length !== nodes.length) failures.push(`${where} tree: ${lines.length} lines for ${nodes.length} items`);
    nodes.forEach(({ item, depth }, i) => {
      const line = lines[i] ?? '';
      const head = `${'  '.repeat(depth)}${vocab.tagName(item.tag) ?? 'Unknown'} (${tagHex(item.tag)}) ${ITEM_TYPE_NAMES[item.type]}`;
      if (!line.startsWith(head)) failures.push(`${where} tree line ${i}: ${JSON.stringify(line)} does not start ${JSON.stringify(head)}`);
      // Every enumeration in these messages has a name in the tables: the tree shows it before the hex.
      if (item.type === ItemType.Enumeration && !/: [A-Za-z][A-Za-z0-9_]* \(0x[0-9a-f]{8}\)$/.test(line)) {
        failures.push(`${where} tree line ${i}: enumeration without its name: ${line}`);
      }
    });
  }
  t.same(failures, [], 'no failures');
});

t.test('the tree of the first message, line by line where it matters', async (t) => {
  const m = messages[0]!;
  t.equal(`${m.section} ${m.direction}`, '3.1.1 request');
  const tree = run(['decode', '--from', 'hex', '--to', 'tree'], m.hex).out.toString();
  t.match(tree, /^RequestMessage \(0x420078\) Structure\n  RequestHeader \(0x420077\) Structure\n/);
  t.match(tree, '\n      ProtocolVersionMajor (0x42006A) Integer: 1\n');
  t.match(tree, '\n    Operation (0x42005C) Enumeration: Create (0x00000001)\n');
  t.match(tree, '\n      ObjectType (0x420057) Enumeration: SymmetricKey (0x00000002)\n');
  t.match(tree, '\n          AttributeName (0x42000A) TextString: "Cryptographic Algorithm"\n');
  t.match(tree, '\n          AttributeValue (0x42000B) Enumeration: AES (0x00000003)\n', 'the attribute value is named by its AttributeName');
  t.match(tree, '\n          AttributeValue (0x42000B) Integer: 12 (Encrypt Decrypt)\n', 'a usage mask by its bits');
});

t.test('several concatenated messages', async (t) => {
  const group = messages.filter((m) => m.test_case === messages[0]!.test_case);
  t.ok(group.length >= 4, `test case ${messages[0]!.test_case} has ${group.length} messages`);
  const hex = group.map((m) => m.hex).join('');
  const bytes = Buffer.from(hex, 'hex');

  const xml = run(['decode', '--from', 'hex'], hex);
  t.equal(xml.code, 0, xml.err.join());
  const xmlText = xml.out.toString();
  t.match(xmlText, /^<KMIP>\n  <RequestMessage>\n/, 'several messages are one <KMIP> document');
  t.equal(xmlText.match(/^  <(Request|Response)Message>$/gm)?.length, group.length, 'each message under it');
  t.ok(run(['encode'], xmlText).out.equals(bytes), 'xml → bin gives the bytes back');

  const json = run(['decode', '--from', 'hex', '--to', 'json'], hex);
  t.equal(json.code, 0, json.err.join());
  const docs = JSON.parse(json.out.toString()) as unknown[];
  t.ok(Array.isArray(docs) && docs.length === group.length, 'several messages are one JSON array');
  t.ok(run(['encode', '--from', 'json'], json.out).out.equals(bytes), 'json → bin gives the bytes back');

  const hexOut = run(['encode', '--to', 'hex'], xmlText).out.toString();
  t.same(hexOut.split('\n'), [...group.map((m) => m.hex.toLowerCase()), ''], '--to hex: one line per message');
  t.ok(run(['decode', '--from', 'hex', '--to', 'json'], hexOut).out.equals(json.out), 'which decode reads back');

  const tree = run(['decode', '--to', 'tree'], bytes).out.toString();
  t.equal(tree.match(/^(Request|Response)Message /gm)?.length, group.length, 'the tree: one root per message');

  const one = run(['decode', '--from', 'hex'], group[0]!.hex).out.toString();
  t.match(one, /^<RequestMessage>\n/, 'one message stays bare');
  t.notMatch(run(['decode', '--from', 'hex', '--to', 'json'], group[0]!.hex).out.toString(), /^\[/);
});

t.test('an OASIS profile XML file (KmipTestCase root): its placeholder refused in one line, and with a value put in, a round trip', async (t) => {
  const original = readFileSync(new URL('oasis-profiles/v1.0/mandatory/OMOS-M-1-10.xml', VECTORS), 'utf8');
  // The tool has no placeholder binding: the file's only placeholder is a text-string UID, refused as such.
  const at = original.indexOf('<UniqueIdentifier type="TextString" value="$UNIQUE_IDENTIFIER_0"');
  t.ok(at > 0);
  t.equal(badInput(t, ['encode'], original), `kmipd ttlv: offset ${at}: no value for placeholder '$UNIQUE_IDENTIFIER_0' (TextString UniqueIdentifier)`);

  const text = original.replaceAll('$UNIQUE_IDENTIFIER_0', 'uid-0');
  t.notMatch(text, /value="\$/, 'no placeholder left');
  const bin = run(['encode'], text);
  t.equal(bin.code, 0, bin.err.join());
  t.equal(text.match(/^  <(Request|Response)Message>/gm)?.length, 4);
  const tree = run(['decode', '--to', 'tree'], bin.out).out.toString();
  t.same(tree.match(/^(Request|Response)Message |^    Operation .*$/gm), [
    'RequestMessage ', '    Operation (0x42005C) Enumeration: Register (0x00000003)',
    'ResponseMessage ', '    Operation (0x42005C) Enumeration: Register (0x00000003)',
    'RequestMessage ', '    Operation (0x42005C) Enumeration: Destroy (0x00000014)',
    'ResponseMessage ', '    Operation (0x42005C) Enumeration: Destroy (0x00000014)',
  ], 'all four messages, in order');
  t.match(tree, 'UniqueIdentifier (0x420094) TextString: "uid-0"');
  t.match(tree, 'ObjectType (0x420057) Enumeration: OpaqueObject (0x00000008)\n');
  const xml = run(['decode'], bin.out).out.toString();
  t.match(xml, /^<KMIP>\n  <RequestMessage>\n/);
  t.ok(run(['encode'], xml).out.equals(bin.out), 'bin → xml → bin is the identity');
  const json = run(['decode', '--to', 'json'], bin.out).out;
  t.ok(run(['encode', '--from', 'json'], json).out.equals(bin.out), 'bin → json → bin is the identity');
  const hex = run(['encode', '--to', 'hex'], text).out.toString();
  t.equal(hex.trimEnd().split('\n').length, 4);
  t.ok(Buffer.from(hex.replace(/\n/g, ''), 'hex').equals(bin.out), '--to hex is the same bytes');
});

t.test('an OASIS profile XML file with a $NOW date-time: one line naming the offset and the placeholder', async (t) => {
  const text = readFileSync(new URL('oasis-profiles/v1.4/mandatory/CS-RNG-M-1-14.xml', VECTORS), 'utf8');
  const line = badInput(t, ['encode'], text);
  const offset = text.indexOf('<TimeStamp type="DateTime" value="$NOW"');
  t.ok(offset > 0);
  t.equal(line, `kmipd ttlv: offset ${offset}: no value for placeholder '$NOW' (DateTime TimeStamp)`);
});

t.test('stdin or FILE', async (t) => {
  const m = messages[0]!;
  t.equal(run(['decode', '--from', 'hex'], m.hex).file, undefined, 'no FILE: readInput(undefined), standard input');
  t.equal(run(['decode', '--from', 'hex', 'capture.hex'], m.hex).file, 'capture.hex', 'FILE is passed on');
  t.equal(run(['decode', 'capture.bin', '--to', 'tree'], Buffer.from(m.hex, 'hex')).file, 'capture.bin', 'before the options too');
  usageError(t, ['decode', 'a', 'b'], 'at most one FILE');

  // processIo reads a real FILE.
  const dir = mkdtempSync(join(tmpdir(), 'kmipd-cli-ttlv-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'message.hex');
  writeFileSync(file, `${m.hex.match(/.{1,64}/g)!.join('\n')}\n`);
  const out: Buffer[] = [];
  const code = runTtlv(['decode', '--from', 'hex', file], { ...processIo, write: (d) => void out.push(Buffer.from(d)), error: t.fail });
  t.equal(code, 0);
  t.equal(Buffer.concat(out).toString(), run(['decode', '--from', 'hex'], m.hex).out.toString(), 'FILE and stdin give the same output');

  const missing = join(dir, 'missing.bin');
  const err: string[] = [];
  t.equal(runTtlv(['decode', missing], { ...processIo, write: () => t.fail('no output'), error: (l) => void err.push(l) }), 2);
  t.same(err, [`kmipd ttlv: ENOENT: no such file or directory, open '${missing}'`], 'a missing FILE: one line');
});

t.test('the real CLI: node --import tsx src/cli/kmipd.ts ttlv decode --from hex, on stdin', async (t) => {
  const m = messages[0]!;
  const cli = (input: string) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/kmipd.ts', 'ttlv', 'decode', '--from', 'hex'], {
      cwd: REPO,
      input,
      encoding: 'utf8',
      timeout: 60_000,
    });
  const ok = cli(`${m.hex}\n`);
  t.equal(ok.status, 0, ok.stderr);
  t.equal(ok.stderr, '');
  t.equal(ok.stdout, run(['decode', '--from', 'hex'], m.hex).out.toString());
  t.match(ok.stdout, /^<RequestMessage>\n  <RequestHeader>\n/);
  const bad = cli('42007801zz\n');
  t.equal(bad.status, 2);
  t.equal(bad.stdout, '');
  t.equal(bad.stderr, 'kmipd ttlv: offset 8: not a hex digit: "z"\n');
});

t.test('bad input: one line on stderr naming the offset, exit 2, nothing on stdout', async (t) => {
  const first = messages[0]!;
  const bytes = Buffer.from(first.hex, 'hex');

  t.test('bad hex digit (offset in the text as given, spaces counted)', async (t) => {
    t.equal(badInput(t, ['decode', '--from', 'hex'], '42 00 78 0g'), 'kmipd ttlv: offset 10: not a hex digit: "g"');
    t.equal(badInput(t, ['decode', '--from', 'hex'], '0x420078'), 'kmipd ttlv: offset 1: not a hex digit: "x"');
  });
  t.test('odd hex length', async (t) => {
    t.equal(badInput(t, ['decode', '--from', 'hex'], '42 00 7\n'), 'kmipd ttlv: offset 6: odd number of hex digits (this last one has no pair)');
  });
  t.test('truncated message', async (t) => {
    t.match(badInput(t, ['decode', '--from', 'hex'], first.hex.slice(0, 200)), /^kmipd ttlv: offset \d+: .*truncated/);
    t.match(badInput(t, ['decode'], bytes.subarray(0, 100)), /^kmipd ttlv: offset \d+: .*truncated/);
    t.equal(badInput(t, ['decode'], bytes.subarray(0, 5)), 'kmipd ttlv: offset 0: truncated item header');
    t.equal(badInput(t, ['decode'], Buffer.alloc(0)), 'kmipd ttlv: offset 0: truncated item header', 'empty input');
  });
  t.test('a truncated second message is named by its offset in the whole input', async (t) => {
    const line = badInput(t, ['decode', '--to', 'json'], Buffer.concat([bytes, bytes.subarray(0, 40)]));
    const offset = Number(/offset (\d+)/.exec(line)?.[1]);
    t.ok(offset >= bytes.length && offset < bytes.length + 40, `offset ${offset} lies in the second message`);
    t.equal(badInput(t, ['decode'], Buffer.concat([bytes, bytes.subarray(0, 3)])), `kmipd ttlv: offset ${bytes.length}: truncated item header`);
  });
  t.test('a length of 2^31 or more is read as a length, not wrapped', async (t) => {
    t.equal(badInput(t, ['decode', '--from', 'hex'], '4200780180000000' + '42007701000000000'.slice(0, 16)), 'kmipd ttlv: offset 4: Structure value truncated');
    t.equal(badInput(t, ['decode', '--from', 'hex'], '42007801ffffffff4200770100000000'), 'kmipd ttlv: offset 4: Structure value truncated');
  });
  t.test('bad XML', async (t) => {
    t.equal(badInput(t, ['encode'], '<RequestMessage>\n  <Operation'), 'kmipd ttlv: offset 19: unterminated start tag <Operation>');
    t.match(badInput(t, ['encode'], '<RequestMessage></ResponseMessage>'), /^kmipd ttlv: offset \d+: end tag <\/ResponseMessage> does not match <RequestMessage>$/);
    t.equal(badInput(t, ['encode', '--to', 'hex'], ''), 'kmipd ttlv: offset 0: no root element');
    t.equal(badInput(t, ['encode'], '<RequestMessage><NoSuchTag type="Integer" value="1"/></RequestMessage>'), "kmipd ttlv: offset 16: unknown tag name 'NoSuchTag'");
  });
  t.test('bad JSON', async (t) => {
    t.equal(badInput(t, ['encode', '--from', 'json'], '{"tag": "RequestMessage",\n "value": [\n}'), "kmipd ttlv: offset 38: not JSON: Unexpected token '}'", 'the offset of the bad token, not the input quoted');
    t.equal(badInput(t, ['encode', '--from', 'json'], '{"tag": "RequestMessage"'), 'kmipd ttlv: offset 24: not JSON: Expected \',\' or \'}\' after property value in JSON at position 24');
    t.equal(badInput(t, ['encode', '--from', 'json'], ''), 'kmipd ttlv: offset 0: not JSON: Unexpected end of JSON input');
    t.equal(
      badInput(t, ['encode', '--from', 'json'], '{"tag": "RequestMessage", "value": [{"tag": "NoSuchTag", "type": "Integer", "value": 1}]}'),
      "kmipd ttlv: offset 0: $.value[0]: unknown tag 'NoSuchTag'",
    );
  });
  t.test('unknown enumeration name', async (t) => {
    t.equal(
      badInput(t, ['encode'], '<RequestMessage>\n<Operation type="Enumeration" value="Frobnicate"/></RequestMessage>'),
      "kmipd ttlv: offset 17: unknown enumeration name 'Frobnicate' for Operation",
    );
    t.equal(
      badInput(t, ['encode', '--from', 'json'], '{"tag": "RequestMessage", "value": [{"tag": "Operation", "type": "Enumeration", "value": "Frobnicate"}]}'),
      'kmipd ttlv: offset 0: $.value[0]: unknown enumeration name "Frobnicate" for Operation',
    );
    const good = '{"tag": "RequestMessage", "value": []}';
    const bad = '{"tag": "RequestMessage", "value": [{"tag": "Operation", "type": "Enumeration", "value": "Frobnicate"}]}';
    t.equal(
      badInput(t, ['encode', '--from', 'json'], `[${good}, ${bad}]`),
      'kmipd ttlv: offset 0: $[1].value[0]: unknown enumeration name "Frobnicate" for Operation',
      'in an array, the path names the element',
    );
  });
  t.test('a line break quoted from the input stays escaped', async (t) => {
    t.equal(
      badInput(t, ['encode'], '<RequestMessage><Operation type="Enumeration" value="a&#10;b"/></RequestMessage>'),
      "kmipd ttlv: offset 16: unknown enumeration name 'a\\nb' for Operation",
    );
  });
  t.test('a text string that XML cannot carry, in the second message: nothing written, the offset of that message', async (t) => {
    const other = encodeTtlv(ttlv.structure(0x420078, [ttlv.textString(0x42009d, 'a\u0001b')]));
    const line = badInput(t, ['decode'], Buffer.concat([bytes, other]));
    t.match(line, new RegExp(`^kmipd ttlv: offset ${bytes.length}: Text String VendorIdentification holds a character that XML 1.0 cannot carry$`));
    const json = run(['decode', '--to', 'json'], Buffer.concat([bytes, other]));
    t.equal(json.code, 0, 'JSON carries it');
  });
  t.test('a date-time outside what a Date can show: the tree prints the number', async (t) => {
    const item = encodeTtlv(ttlv.structure(0x420078, [ttlv.dateTime(0x420092, 1n << 60n)]));
    const r = run(['decode', '--to', 'tree'], item);
    t.equal(r.code, 0, r.err.join());
    t.match(r.out.toString(), `TimeStamp (0x420092) DateTime: ${1n << 60n} (outside the dates a Date can show)\n`);
  });
});

t.test('usage errors: the reason, then the usage text; exit 2, nothing on stdout', async (t) => {
  usageError(t, ['decode', '--to', 'yaml'], '--to must be one of xml, json, tree, not yaml');
  usageError(t, ['decode', '--from', 'xml'], '--from must be one of bin, hex, not xml');
  usageError(t, ['encode', '--to', 'xml'], '--to must be one of bin, hex, not xml');
  usageError(t, ['encode', '--from', 'bin'], '--from must be one of xml, json, not bin');
  usageError(t, ['decode', '--form', 'hex'], 'unknown option --form');
  usageError(t, ['decode', '--to'], 'option --to needs a value');
  usageError(t, ['transcode'], 'unknown verb transcode');
  usageError(t, [], 'decode or encode?');
});
