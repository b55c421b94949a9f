// Property tests of the binary codec: random trees round-trip exactly; random and mutated bytes fail only as TtlvError (1.4 §9.1).
import t, { type Test } from 'tap';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { decodeTtlv, encodeTtlv, ttlv, ItemType, TtlvError, TtlvFramer, DEFAULT_TTLV_LIMITS, type TtlvItem } from '../../src/ttlv/index.js';

// Reproduce a failure with FC_SEED=<seed printed in the failure> npx tap test/ttlv/property.test.ts
if (process.env['FC_SEED']) fc.configureGlobal({ seed: Number(process.env['FC_SEED']) });

const VECTORS = new URL('../../../shared/kmip-vectors/testcases-v1.1/messages.json', import.meta.url);
const messages = (JSON.parse(readFileSync(VECTORS, 'utf8')) as { messages: { hex: string }[] }).messages
  .map((m) => Buffer.from(m.hex, 'hex'));

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

// ---- arbitraries -----------------------------------------------------------------------------------------

const kmipTag = fc.oneof(fc.integer({ min: 0x420000, max: 0x42ffff }), fc.integer({ min: 0x540000, max: 0x54ffff }));
const anyTag = fc.integer({ min: 0, max: 0xffffff });

const int64 = fc.oneof(fc.bigInt({ min: INT64_MIN, max: INT64_MAX }), fc.constantFrom(INT64_MIN, INT64_MAX, 0n, -1n, 1n));
/** Big Integers: small, around the 8-byte word boundaries, and huge (up to 4096 bits), both signs. */
const bigInteger = fc.oneof(
  fc.bigInt({ min: -(1n << 70n), max: 1n << 70n }),
  fc.bigInt({ min: -(1n << 4096n), max: 1n << 4096n }),
  fc.constantFrom(0n, -1n, INT64_MAX, INT64_MAX + 1n, INT64_MIN, INT64_MIN - 1n, (1n << 127n) - 1n, 1n << 127n, -(1n << 127n), -(1n << 127n) - 1n),
);
const uint32 = fc.oneof(fc.integer({ min: 0, max: 0xffffffff }), fc.constantFrom(0, 0xffffffff));
const int32 = fc.oneof(fc.integer({ min: -0x80000000, max: 0x7fffffff }), fc.constantFrom(-0x80000000, 0x7fffffff, 0, -1));
/** Text: any well-formed Unicode (astral included), graphemes, ASCII, and the empty string. */
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 10 }),
  fc.string({ maxLength: 40 }),
  fc.constantFrom('', '😀', '\uFEFF', '\u0000', 'é€𝄞'),
);
const bytes = fc.oneof(fc.uint8Array({ maxLength: 70 }), fc.constant(new Uint8Array(0)));

function leaf(tag: fc.Arbitrary<number>): fc.Arbitrary<TtlvItem> {
  return fc.oneof(
    fc.tuple(tag, int32).map(([g, v]) => ttlv.integer(g, v)),
    fc.tuple(tag, int64).map(([g, v]) => ttlv.longInteger(g, v)),
    fc.tuple(tag, bigInteger).map(([g, v]) => ttlv.bigInteger(g, v)),
    fc.tuple(tag, uint32).map(([g, v]) => ttlv.enumeration(g, v)),
    fc.tuple(tag, fc.boolean()).map(([g, v]) => ttlv.boolean(g, v)),
    fc.tuple(tag, text).map(([g, v]) => ttlv.textString(g, v)),
    fc.tuple(tag, bytes).map(([g, v]) => ttlv.byteString(g, v)),
    fc.tuple(tag, int64).map(([g, v]) => ttlv.dateTime(g, v)),
    fc.tuple(tag, uint32).map(([g, v]) => ttlv.interval(g, v)),
    fc.tuple(tag, int64).map(([g, v]) => ttlv.dateTimeExtended(g, v)),
  );
}

/** Trees of all 11 types, nested Structures (empty ones too), and Vendor Extensions holding any tag. */
const { tree } = fc.letrec<{ tree: TtlvItem; vendor: TtlvItem; vendorInner: TtlvItem }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf(kmipTag),
    fc.tuple(kmipTag, fc.array(tie('tree'), { maxLength: 5 })).map(([g, c]) => ttlv.structure(g, c)),
    tie('vendor'),
  ),
  vendor: fc.array(tie('vendorInner'), { maxLength: 3 }).map((c) => ttlv.structure(0x42009c, c)),
  vendorInner: fc.oneof(
    { depthSize: 'small' },
    leaf(anyTag),
    fc.tuple(anyTag, fc.array(tie('vendorInner'), { maxLength: 3 })).map(([g, c]) => ttlv.structure(g, c)),
  ),
}));
const message = fc.tuple(kmipTag, fc.array(tree, { maxLength: 6 })).map(([g, c]) => ttlv.structure(g, c));

// ---- helpers ---------------------------------------------------------------------------------------------

/** Deep equality of trees: bigint by value, Byte Strings by content (a decoded one is a Buffer view). */
function sameTree(a: TtlvItem, b: TtlvItem): boolean {
  if (a.tag !== b.tag || a.type !== b.type) return false;
  if (a.type === ItemType.Structure && b.type === ItemType.Structure) {
    return a.value.length === b.value.length && a.value.every((c, i) => sameTree(c, b.value[i]!));
  }
  if (a.type === ItemType.ByteString && b.type === ItemType.ByteString) {
    return a.value.length === b.value.length && a.value.every((x, i) => x === b.value[i]);
  }
  return Object.is(a.value, b.value);
}

function decodeOrTtlvError(input: Uint8Array): TtlvItem | TtlvError {
  try {
    return decodeTtlv(input);
  } catch (e) {
    if (e instanceof TtlvError) return e;
    throw new Error(`decode threw something other than a TtlvError: ${String(e)}`, { cause: e });
  }
}

/** A decode that fails must fail as a TtlvError with an offset inside the input; one that succeeds re-encodes exactly. */
function robust(input: Uint8Array): boolean {
  const r = decodeOrTtlvError(input);
  if (r instanceof TtlvError) {
    if (!Number.isInteger(r.offset) || r.offset < 0 || r.offset > input.length) throw new Error(`offset ${r.offset} outside 0..${input.length}`);
    return true;
  }
  const again = encodeTtlv(r);
  if (Buffer.compare(again, input) !== 0) throw new Error(`decoded, but re-encodes to other bytes: ${Buffer.from(input).toString('hex')}`);
  return true;
}

function check(t: Test, name: string, property: fc.IProperty<never> | fc.IPropertyWithHooks<never> | fc.IRawProperty<unknown>, numRuns: number): void {
  const start = performance.now();
  try {
    fc.assert(property as fc.IRawProperty<unknown>, { numRuns });
    t.pass(`${name}: ${numRuns} runs in ${(performance.now() - start).toFixed(0)} ms`);
  } catch (e) {
    t.fail(`${name}: ${(e as Error).message}`);
  }
}

// ---- properties ------------------------------------------------------------------------------------------

t.test('random trees: encode → decode gives the same tree; re-encoding gives the same bytes', async (t) => {
  check(t, 'round trip', fc.property(message, (m) => {
    const wire = encodeTtlv(m);
    const back = decodeTtlv(wire);
    return sameTree(back, m) && Buffer.compare(encodeTtlv(back), wire) === 0;
  }), 1000);
  // Top-level items of every type, not only Structures.
  check(t, 'single items', fc.property(fc.oneof(leaf(kmipTag), tree), (it) => {
    const wire = encodeTtlv(it);
    return wire.length % 8 === 0 && sameTree(decodeTtlv(wire), it) && Buffer.compare(encodeTtlv(decodeTtlv(wire)), wire) === 0;
  }), 3000);
  // Big Integers are minimal: decode accepts the encoder's output, so every length the encoder picks is canonical.
  check(t, 'Big Integer length is minimal', fc.property(bigInteger, (n) => {
    const wire = encodeTtlv(ttlv.bigInteger(0x420001, n));
    const len = wire.readUInt32BE(4);
    const fitsShorter = len > 8 && BigInt.asIntN((len - 8) * 8, n) === n;
    return len % 8 === 0 && !fitsShorter && decodeTtlv(wire).value === n;
  }), 2000);
});

t.test('random bytes decode or fail as TtlvError; what decodes re-encodes identically', async (t) => {
  check(t, 'arbitrary bytes', fc.property(fc.uint8Array({ maxLength: 200 }), robust), 5000);
  // Bytes behind a plausible header, so that the decoder gets past the first checks.
  const plausible = fc.tuple(kmipTag, fc.integer({ min: 0, max: 0x0d }), fc.uint8Array({ maxLength: 120 }), fc.boolean())
    .map(([tag, type, body, honest]) => {
      const b = Buffer.alloc(8 + body.length);
      b.writeUIntBE(tag, 0, 3);
      b[3] = type;
      b.writeUInt32BE(honest ? body.length : body.length ^ 0x10, 4);
      b.set(body, 8);
      return b;
    });
  check(t, 'bytes behind a plausible header', fc.property(plausible, robust), 10000);
});

/** Edits of a valid message: bit flips, byte changes, truncation, insertion, deletion. */
type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set'; at: number; value: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; count: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 16 }) }),
);

function mutate(input: Buffer, ms: Mutation[]): Buffer {
  let b = Buffer.from(input);
  for (const m of ms) {
    if (b.length === 0) break;
    const at = m.at % b.length;
    switch (m.kind) {
      case 'flip': b[at] = b[at]! ^ (1 << m.bit); break;
      case 'set': b[at] = m.value; break;
      case 'truncate': b = b.subarray(0, at); break;
      case 'insert': b = Buffer.concat([b.subarray(0, at), m.bytes, b.subarray(at)]); break;
      case 'delete': b = Buffer.concat([b.subarray(0, at), b.subarray(at + m.count)]); break;
    }
  }
  return b;
}

t.test('mutated valid messages never raise anything but TtlvError; what decodes re-encodes identically', async (t) => {
  const vector = fc.integer({ min: 0, max: messages.length - 1 }).map((i) => messages[i]!);
  check(t, 'mutated test-case messages', fc.property(vector, fc.array(mutation, { minLength: 1, maxLength: 3 }), (m, ms) => robust(mutate(m, ms))), 10000);
  check(t, 'mutated random trees', fc.property(message, fc.array(mutation, { minLength: 1, maxLength: 3 }), (m, ms) => robust(mutate(encodeTtlv(m), ms))), 3000);
  // Header fields are where a single change matters most: hit type and length bytes of some item directly.
  const headerHit = fc.tuple(vector, fc.nat(), fc.integer({ min: 3, max: 7 }), fc.integer({ min: 0, max: 255 }));
  check(t, 'type and length bytes of item headers', fc.property(headerHit, ([m, which, field, value]) => {
    const starts: number[] = [];
    const walk = (pos: number, end: number): void => {
      while (pos < end) {
        starts.push(pos);
        const type = m[pos + 3]!;
        const length = m.readUInt32BE(pos + 4);
        if (type === ItemType.Structure) walk(pos + 8, pos + 8 + length);
        pos += 8 + (type === ItemType.Structure ? length : Math.ceil(length / 8) * 8);
      }
    };
    walk(0, m.length);
    const b = Buffer.from(m);
    b[starts[which % starts.length]! + field] = value;
    return robust(b);
  }), 10000);
});

t.test('a stream of random messages cut at random points comes out of the framer whole', async (t) => {
  // Valid streams only: a header with a hostile Length is adversarial.test.ts's business.
  const stream = fc.tuple(fc.array(message, { minLength: 1, maxLength: 5 }), fc.array(fc.nat(), { maxLength: 8 }));
  check(t, 'framer', fc.property(stream, ([ms, cuts]) => {
    const wires = ms.map((m) => encodeTtlv(m));
    const all = Buffer.concat(wires);
    const points = [...new Set(cuts.map((c) => c % (all.length + 1)))].sort((a, b) => a - b);
    const framer = new TtlvFramer(DEFAULT_TTLV_LIMITS.maxMessageBytes);
    const out: Buffer[] = [];
    let from = 0;
    for (const p of [...points, all.length]) {
      out.push(...framer.push(all.subarray(from, p)));
      from = p;
    }
    return framer.buffered === 0 && out.length === wires.length && out.every((o, i) => o.equals(wires[i]!)) &&
      out.every((o, i) => sameTree(decodeTtlv(o), ms[i]!));
  }), 1000);
});
