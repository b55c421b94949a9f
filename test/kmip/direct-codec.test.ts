// The one-pass message codec (schema-decoder.ts, schema-encoder.ts) against the tree path it stands in for:
// same typed messages, same errors, same bytes, on conformance vectors, built messages and mutations (1.4 §7; 2.1 §8).
import t from 'tap';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { Enum } from '../../src/kmip/enum.js';
import {
  decodeRequestMessage,
  decodeRequestMessageDirect,
  decodeResponseMessage,
  encodeRequestMessage,
  encodeResponseMessage,
  negotiateVersion,
  readRequestMessage,
  readResponseMessage,
} from '../../src/kmip/message-codec.js';
import { RequestMessageSchema, ResponseMessageSchema, type RequestMessage, type ResponseMessage } from '../../src/kmip/message-schema.js';
import { writeStructure } from '../../src/kmip/structure-schema.js';
import { Tag } from '../../src/kmip/tag.js';
import { KMIP_VERSIONS, type KmipVersion } from '../../src/kmip/versions.js';
import { decodeTtlv } from '../../src/ttlv/decode.js';
import { encodeTtlv } from '../../src/ttlv/encode.js';
import { DEFAULT_TTLV_LIMITS } from '../../src/ttlv/limits.js';
import { ttlv } from '../../src/ttlv/ttlv-item.js';
import { benchMessages } from '../../bench/messages.js';
import { queryItem, requestBytes, usernamePasswordAuthentication, type RequestSpec } from '../helpers/kmip-messages.js';

if (process.env['FC_SEED']) fc.configureGlobal({ seed: Number(process.env['FC_SEED']) });

const VECTORS = new URL('../../../shared/kmip-vectors/testcases-v1.1/messages.json', import.meta.url);
const vectorMessages = (JSON.parse(readFileSync(VECTORS, 'utf8')) as { messages: { hex: string }[] }).messages.map((m) =>
  Buffer.from(m.hex, 'hex'),
);

const fullHeader = (version: RequestSpec['version']): Buffer =>
  requestBytes({
    version,
    maximumResponseSize: 4096,
    ...(version >= '1.4' && { clientCorrelationValue: 'client-1', serverCorrelationValue: 'server-1' }),
    asynchronousIndicator: version.startsWith('2.') ? 2 : false,
    authentication: usernamePasswordAuthentication('user', 'pass'),
    batchErrorContinuationOption: Enum.BatchErrorContinuationOption.Continue,
    batchOrderOption: true,
    timeStamp: 1_700_000_000n,
    items: [
      queryItem([Enum.QueryFunction.QueryOperations], {
        uniqueBatchItemID: 'one',
        messageExtensions: [{ vendorIdentification: 'acme', criticalityIndicator: false, vendorExtension: [ttlv.integer(0x540001, 1)] }],
      }),
      queryItem([Enum.QueryFunction.QueryObjects], { uniqueBatchItemID: 'two' }),
    ],
  });

/** Well-formed messages of every version we speak, and newer minors whose unknown fields are ignored. */
const corpus: Buffer[] = [
  ...vectorMessages,
  ...benchMessages().map((m) => encodeTtlv(m.tree)),
  ...(['1.0', '1.2', '1.4', '2.0', '2.1'] as const).map(fullHeader),
  requestBytes({ version: '1.5', headerExtra: [ttlv.integer(0x420999, 7)], items: [queryItem([1], { extra: [ttlv.textString(0x42099a, 'x')] })] }),
  requestBytes({ version: '2.2', items: [queryItem([1])], messageExtra: [ttlv.structure(0x42099b, [])] }),
];

const isRequest = (b: Uint8Array): boolean => b[0] === 0x42 && b[1] === 0x00 && b[2] === 0x78;

/** A value as text, keys in their order, so that equal text means equal objects built the same way. */
function show(x: unknown): string {
  return JSON.stringify(x, (_k, v: unknown) => {
    if (typeof v === 'bigint') return `${v}n`;
    if (v instanceof Uint8Array) return `bytes:${Buffer.from(v).toString('hex')}:${Buffer.isBuffer(v)}`;
    return v;
  });
}

/** What a call did: its result, or the error's class, reason and message. */
function outcome(fn: () => unknown): string {
  try {
    return `ok ${show(fn())}`;
  } catch (e) {
    const err = e as Error & { reason?: unknown; offset?: unknown };
    return `${err.name} ${String(err.reason)} ${String(err.offset)} ${err.message}`;
  }
}

/** The fast decoder against the tree path, on any bytes. */
function sameDecoding(bytes: Uint8Array): [string, string] {
  if (isRequest(bytes)) {
    return [outcome(() => decodeRequestMessage(bytes)), outcome(() => readRequestMessage(decodeTtlv(bytes)))];
  }
  return [outcome(() => decodeResponseMessage(bytes)), outcome(() => readResponseMessage(decodeTtlv(bytes)))];
}

t.test('well-formed messages: the one-pass reading is taken and equals the tree reading', async (t) => {
  let direct = 0;
  for (const bytes of corpus) {
    const [fast, tree] = sameDecoding(bytes);
    t.equal(fast, tree);
    t.match(fast, /^ok /);
    if (isRequest(bytes) && decodeRequestMessageDirect(bytes) !== undefined) direct++;
  }
  t.equal(direct, corpus.filter(isRequest).length, 'every well-formed request took the fast path');
});

t.test('mutated messages: the same result or the same error as the tree path', async (t) => {
  const mutation = fc.record({
    message: fc.integer({ min: 0, max: corpus.length - 1 }),
    at: fc.nat(),
    byte: fc.integer({ min: 0, max: 255 }),
    kind: fc.constantFrom('set', 'truncate', 'grow', 'swap'),
  });
  fc.assert(
    fc.property(mutation, ({ message, at, byte, kind }) => {
      const original = corpus[message]!;
      const i = at % original.length;
      let b: Buffer;
      if (kind === 'set') {
        b = Buffer.from(original);
        b[i] = byte;
      } else if (kind === 'truncate') {
        b = original.subarray(0, i);
      } else if (kind === 'grow') {
        b = Buffer.concat([original, Buffer.alloc(8 * (1 + (byte % 3)), byte)]);
      } else {
        // Two 8-byte-aligned blocks swapped: reordered fields with intact framing.
        b = Buffer.from(original);
        const x = (i >> 3) << 3;
        const y = ((byte * 8) % original.length) & ~7;
        if (x + 8 <= b.length && y + 8 <= b.length) {
          const tmp = Buffer.from(b.subarray(x, x + 8));
          b.copy(b, x, y, y + 8);
          tmp.copy(b, y);
        }
      }
      const [fast, tree] = sameDecoding(b);
      return fast === tree;
    }),
    { numRuns: 3000 },
  );
  t.pass('3000 mutations agree');
});

t.test('limits are the tree path\'s: size, items, depth', async (t) => {
  const bytes = fullHeader('1.4');
  for (const limits of [
    { ...DEFAULT_TTLV_LIMITS, maxMessageBytes: bytes.length - 1 },
    { ...DEFAULT_TTLV_LIMITS, maxItems: 10 },
    { ...DEFAULT_TTLV_LIMITS, maxDepth: 3 },
  ]) {
    t.equal(decodeRequestMessageDirect(bytes, limits), undefined);
    t.equal(outcome(() => decodeRequestMessage(bytes, limits)), outcome(() => readRequestMessage(decodeTtlv(bytes, limits))));
  }
});

t.test('encoding: the same bytes as writeStructure → encodeTtlv, in every version', async (t) => {
  for (const bytes of corpus) {
    const request = isRequest(bytes);
    const decoded = request ? decodeRequestMessage(bytes) : decodeResponseMessage(bytes);
    const schema = request ? RequestMessageSchema : ResponseMessageSchema;
    for (const version of KMIP_VERSIONS) {
      // Some fail (a 1.x Boolean Asynchronous Indicator is no 2.x Enumeration): then with the same error.
      const fast = outcome(() =>
        (request
          ? encodeRequestMessage(decoded.message as RequestMessage, version)
          : encodeResponseMessage(decoded.message as ResponseMessage, version)
        ).toString('hex'),
      );
      t.equal(fast, outcome(() => encodeTtlv(writeStructure(decoded.message, schema, version)).toString('hex')), version);
    }
    if (!decoded.newerMinor) {
      const again = request
        ? encodeRequestMessage(decoded.message as RequestMessage, decoded.version)
        : encodeResponseMessage(decoded.message as ResponseMessage, decoded.version);
      t.ok(again.equals(bytes), 'decode → encode is byte-identical');
    }
  }
});

t.test('encoding objects not built in schema order, or not plain', async (t) => {
  const { message } = decodeRequestMessage(fullHeader('1.4'));
  const reversed = (o: object): Record<string, unknown> => Object.fromEntries(Object.entries(o).reverse());
  class Header {
    constructor(private readonly h: RequestMessage['requestHeader']) {}
    get protocolVersion() { return this.h.protocolVersion; }
    get batchCount() { return this.h.batchCount; }
    get maximumResponseSize() { return this.h.maximumResponseSize; }
  }
  const variants: [string, object][] = [
    ['keys reversed', { batchItem: message.batchItem.map(reversed), requestHeader: reversed(message.requestHeader) }],
    ['unknown keys', { ...message, note: 'x', requestHeader: { extra: 1, ...message.requestHeader, zz: 2 } }],
    ['undefined values', { ...message, requestHeader: { ...message.requestHeader, maximumResponseSize: undefined } }],
    ['a class with getters', { ...message, requestHeader: new Header(message.requestHeader) }],
    ['inherited fields', { ...message, requestHeader: Object.create(message.requestHeader) as object }],
  ];
  for (const [name, obj] of variants) {
    for (const version of ['1.0', '1.4', '2.1'] as KmipVersion[]) {
      t.equal(
        outcome(() => encodeRequestMessage(obj as RequestMessage, version).toString('hex')),
        outcome(() => encodeTtlv(writeStructure(obj, RequestMessageSchema, version)).toString('hex')),
        `${name} in ${version}`,
      );
    }
  }
});

t.test('encoding faults: the tree path\'s errors', async (t) => {
  const { message } = decodeResponseMessage(encodeTtlv(benchMessages()[0]!.tree));
  const h = message.responseHeader;
  const item = message.batchItem[0]!;
  const bad: [string, object][] = [
    ['Integer out of range', { ...message, responseHeader: { ...h, batchCount: 2 ** 40 } }],
    ['Enumeration negative', { ...message, batchItem: [{ ...item, resultStatus: -1 }] }],
    ['number for a Date-Time', { ...message, responseHeader: { ...h, timeStamp: 5 } }],
    ['number for a Text String', { ...message, batchItem: [{ ...item, resultMessage: 5 }] }],
    ['payload of a bad tag', { ...message, batchItem: [{ ...item, responsePayload: ttlv.integer(0x1000000, 1) }] }],
    ['repeated field not iterable', { ...message, batchItem: 7 }],
    ['null structure', { ...message, responseHeader: null }],
    ['fault after a fault', { ...message, responseHeader: { ...h, batchCount: 1.5 }, batchItem: 7 }],
  ];
  for (const [name, obj] of bad) {
    const fast = outcome(() => encodeResponseMessage(obj as ResponseMessage, '1.2'));
    t.equal(fast, outcome(() => encodeTtlv(writeStructure(obj, ResponseMessageSchema, '1.2'))), name);
    t.notMatch(fast, /^ok /, `${name} fails`);
  }
});

t.test('negotiateVersion: exact versions, newer minors, unknown majors', async (t) => {
  // The rule as written before the table: our version, else our highest of the major for a newer minor.
  const reference = (major: number, minor: number): string => {
    const known = (KMIP_VERSIONS as readonly string[]).includes(`${major}.${minor}`);
    if (known) return `${major}.${minor} false`;
    const highest = KMIP_VERSIONS.filter((v) => v.startsWith(`${major}.`)).at(-1);
    if (highest === undefined || minor < Number(highest.split('.')[1])) return 'undefined';
    return `${highest} true`;
  };
  for (let major = -1; major <= 4; major++) {
    for (let minor = -1; minor <= 9; minor++) {
      const n = negotiateVersion(major, minor);
      t.equal(n === undefined ? 'undefined' : `${n.version} ${n.newerMinor}`, reference(major, minor), `${major}.${minor}`);
    }
  }
});

t.test('the fast path needs the usual layout: anything else is judged by the tree path', async (t) => {
  const tree = decodeTtlv(fullHeader('1.2'));
  if (tree.type !== 1) throw new Error('not a structure');
  const [header, ...items] = tree.value;
  if (header?.type !== 1) throw new Error('not a structure');
  const [pv, ...fields] = header.value;
  const layouts = {
    'header last': ttlv.structure(Tag.RequestMessage, [...items, header]),
    'Protocol Version not first': ttlv.structure(Tag.RequestMessage, [ttlv.structure(Tag.RequestHeader, [...fields, pv!]), ...items]),
  };
  for (const [name, root] of Object.entries(layouts)) {
    const bytes = encodeTtlv(root);
    t.equal(decodeRequestMessageDirect(bytes), undefined, name);
    const [fast, slow] = sameDecoding(bytes);
    t.equal(fast, slow, name);
  }
});

t.test('structural faults: the tree path names each one', async (t) => {
  const q = queryItem([1]);
  const specs: [string, RequestSpec][] = [
    ['a field twice', { version: '1.4', maximumResponseSize: 1, headerExtra: [ttlv.integer(Tag.MaximumResponseSize, 2)], items: [q] }],
    ['a field twice, out of order', { version: '1.4', headerExtra: [ttlv.integer(Tag.MaximumResponseSize, 2), ttlv.integer(Tag.MaximumResponseSize, 3)], items: [q] }],
    ['Batch Count twice', { version: '1.2', headerExtra: [ttlv.integer(Tag.BatchCount, 1)], items: [q] }],
    ['no Batch Count', { version: '1.2', batchCount: null, items: [q] }],
    ['no Batch Item', { version: '1.2', items: [] }],
    ['no Operation', { version: '2.0', items: [{ payload: [] }] }],
    ['no payload', { version: '2.0', items: [{ operation: 1, payload: null }] }],
    ['a later version\'s field', { version: '1.4', items: [{ ...q, ephemeral: true }] }],
    ['its version\'s field', { version: '2.0', items: [{ ...q, ephemeral: true }] }],
    ['an unknown field', { version: '1.4', headerExtra: [ttlv.integer(0x420999, 1)], items: [q] }],
    ['an unknown field in a newer minor', { version: '1.5', headerExtra: [ttlv.integer(0x420999, 1)], items: [q] }],
    ['a field of the wrong type', { version: '1.4', headerExtra: [ttlv.enumeration(Tag.TimeStamp, 1)], items: [q] }],
    ['the 2.x type in 1.x', { version: '1.4', asynchronousIndicator: 1, items: [q] }],
    ['the 1.x type in 2.x', { version: '2.1', asynchronousIndicator: true, items: [q] }],
    ['an unknown major', { version: '3.0', items: [q] }],
    ['an older minor', { version: '0.9', items: [q] }],
    ['a Message Extension without its Vendor Extension', {
      version: '1.4',
      items: [{ ...q, extra: [ttlv.structure(Tag.MessageExtension, [ttlv.textString(Tag.VendorIdentification, 'v'), ttlv.boolean(Tag.CriticalityIndicator, false)])] }],
    }],
  ];
  for (const [name, spec] of specs) {
    const bytes = requestBytes(spec);
    const [fast, tree] = sameDecoding(bytes);
    t.equal(fast, tree, name);
  }
  const faults = specs.filter(([, spec]) => decodeRequestMessageDirect(requestBytes(spec)) === undefined).map(([name]) => name);
  t.same(faults, specs.map(([name]) => name).filter((n) => !["its version's field", 'an unknown field in a newer minor'].includes(n)), 'only valid ones take the fast path');
});
