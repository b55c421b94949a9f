// TtlvFramer cuts whole messages from a stream whatever its chunking, without copying when it can (1.4 §9.1).
import t from 'tap';
import { readFileSync } from 'node:fs';
import { TtlvFramer, TtlvError, DEFAULT_TTLV_LIMITS } from '../../src/ttlv/index.js';

const VECTORS = new URL('../../../shared/kmip-vectors/testcases-v1.1/messages.json', import.meta.url);
const messages = (JSON.parse(readFileSync(VECTORS, 'utf8')) as { messages: { hex: string }[] }).messages
  .map((m) => Buffer.from(m.hex, 'hex'));
const MAX = DEFAULT_TTLV_LIMITS.maxMessageBytes;

/** Feed `chunks` to a fresh framer; return the messages and the `buffered` value after each push. */
function feed(chunks: Uint8Array[], framer = new TtlvFramer(MAX)): { out: Buffer[]; buffered: number[] } {
  const out: Buffer[] = [];
  const buffered: number[] = [];
  for (const c of chunks) {
    out.push(...framer.push(c));
    buffered.push(framer.buffered);
  }
  return { out, buffered };
}

/** A copy of `bytes` in an ArrayBuffer of its own (Buffer.concat of small sizes shares the allocation pool). */
function own(bytes: Uint8Array): Buffer {
  const b = Buffer.from(new ArrayBuffer(bytes.length));
  b.set(bytes);
  return b;
}

const same = (a: readonly Uint8Array[], b: readonly Uint8Array[]): boolean =>
  a.length === b.length && a.every((x, i) => Buffer.compare(x, b[i]!) === 0);

/** Split `stream` at the given offsets. */
const split = (stream: Buffer, at: number[]): Buffer[] => {
  const points = [0, ...at, stream.length];
  return points.slice(1).map((end, i) => stream.subarray(points[i]!, end));
};

t.test('every split point of a 2-message stream', async (t) => {
  for (const [a, b] of [[messages[0]!, messages[1]!], [messages[304]!, messages[305]!]] as const) {
    const stream = Buffer.concat([a, b]);
    let good = 0;
    for (let s = 0; s <= stream.length; s++) {
      const { out, buffered } = feed(split(stream, [s]));
      // After the first chunk: the part of it not yet returned is held.
      const heldFirst = s === stream.length ? 0 : s >= a.length ? s - a.length : s;
      if (same(out, [a, b]) && buffered[0] === heldFirst && buffered[1] === 0) good++;
      else t.fail(`split at ${s}: ${out.length} messages, buffered ${buffered.join(',')}`);
    }
    t.equal(good, stream.length + 1, `all ${stream.length + 1} splits of ${a.length}+${b.length} bytes`);
  }
});

t.test('a message split over 3 chunks, at every pair of points', async (t) => {
  const m = messages.reduce((s, x) => (x.length < s.length ? x : s));
  let good = 0;
  let pairs = 0;
  for (let i = 0; i <= m.length; i++) {
    for (let j = i; j <= m.length; j++) {
      pairs++;
      const { out, buffered } = feed(split(m, [i, j]));
      if (same(out, [m]) && buffered[0] === (i === m.length ? 0 : i) && buffered[1] === (j === m.length ? 0 : j) && buffered[2] === 0) good++;
    }
  }
  t.equal(good, pairs, `${pairs} ways to cut a ${m.length}-byte message in 3`);
});

t.test('1-byte chunks: each message comes out on its last byte; buffered counts the bytes held', async (t) => {
  const some = messages.slice(0, 6);
  const stream = Buffer.concat(some);
  const framer = new TtlvFramer(MAX);
  const out: Buffer[] = [];
  let ends = 0;
  let next = some[0]!.length;
  let k = 0;
  let accounting = true;
  for (let i = 0; i < stream.length; i++) {
    const got = framer.push(stream.subarray(i, i + 1));
    if (i + 1 === next) {
      if (got.length !== 1) t.fail(`byte ${i}: ${got.length} messages, expected 1`);
      ends++;
      next += some[++k]?.length ?? 0;
    } else if (got.length !== 0) t.fail(`byte ${i}: a message before its last byte`);
    out.push(...got);
    const returned = out.reduce((n, m) => n + m.length, 0);
    if (framer.buffered !== i + 1 - returned) accounting = false;
  }
  t.equal(ends, some.length, 'one message per message end');
  t.ok(same(out, some), 'the messages, intact');
  t.ok(accounting, 'buffered = pushed - returned after every byte');
  t.equal(framer.buffered, 0);
});

t.test('many messages in one chunk: all returned, as views of that chunk', async (t) => {
  const stream = own(Buffer.concat(messages));
  const { out, buffered } = feed([stream]);
  t.equal(out.length, 520, '520 messages');
  t.ok(same(out, messages), 'byte for byte');
  t.same(buffered, [0]);
  t.ok(out.every((m) => m.buffer === stream.buffer), 'every message shares the chunk\'s ArrayBuffer');
  let offset = stream.byteOffset;
  t.ok(out.every((m) => { const ok = m.byteOffset === offset; offset += m.length; return ok; }), 'at their offsets in the chunk');
});

t.test('a message inside one chunk is returned without a copy', async (t) => {
  const [a, b, c] = [messages[10]!, messages[11]!, messages[12]!];
  // Chunk given as a plain Uint8Array over a larger ArrayBuffer (an offset view, as sockets hand out).
  const backing = new ArrayBuffer(a.length + 64);
  const chunk = new Uint8Array(backing, 32, a.length);
  chunk.set(a);
  const [m] = new TtlvFramer(MAX).push(chunk);
  t.equal(m?.buffer, backing, 'same ArrayBuffer');
  t.equal(m?.byteOffset, 32, 'same offset');
  t.equal(m?.length, a.length);

  // A message, then the head of the next: the first is a view; the held head is not a message yet.
  const f = new TtlvFramer(MAX);
  const first = own(Buffer.concat([a, b.subarray(0, 20)]));
  const got = f.push(first);
  t.equal(got.length, 1);
  t.equal(got[0]!.buffer, first.buffer, 'first message: view of its chunk');
  t.equal(f.buffered, 20);
  // The rest of b, then c whole in the same chunk: c lies inside this one chunk.
  const second = own(Buffer.concat([b.subarray(20), c]));
  const got2 = f.push(second);
  t.ok(same(got2, [b, c]), 'b assembled, c cut');
  t.equal(f.buffered, 0);
  t.ok(got2[1]?.buffer === second.buffer && got2[1].byteOffset === b.length - 20,
    'c, which lies inside the second chunk, is a view of it (no copy)');
});

t.test('a message that spans chunks is assembled, and later pushes do not disturb returned messages', async (t) => {
  const [a, b] = [messages[20]!, messages[21]!];
  const f = new TtlvFramer(MAX);
  const c1 = Buffer.from(a.subarray(0, 50));
  const c2 = Buffer.from(Buffer.concat([a.subarray(50), b.subarray(0, 30)]));
  const [ma] = [...f.push(c1), ...f.push(c2)];
  t.ok(ma && Buffer.compare(ma, a) === 0, 'a assembled');
  const [mb] = f.push(Buffer.from(b.subarray(30)));
  t.ok(mb && Buffer.compare(mb, b) === 0, 'b assembled');
  t.ok(ma && Buffer.compare(ma, a) === 0, 'a unchanged after later pushes');
});

t.test('random chunkings of the whole 520-message stream', async (t) => {
  const stream = Buffer.concat(messages);
  let seed = 0x9e3779b9;
  const rand = (n: number): number => {
    // xorshift32: reproducible chunk sizes.
    seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0;
    return seed % n;
  };
  for (const maxChunk of [3, 17, 200, 5000]) {
    const chunks: Buffer[] = [];
    for (let p = 0; p < stream.length;) {
      const n = 1 + rand(maxChunk);
      chunks.push(stream.subarray(p, p + n));
      p += n;
    }
    const { out, buffered } = feed(chunks);
    t.ok(same(out, messages), `chunks of 1..${maxChunk} bytes (${chunks.length} chunks): 520 messages intact`);
    t.equal(buffered[buffered.length - 1], 0, 'nothing left over');
  }
});

t.test('empty chunks are harmless', async (t) => {
  const a = messages[0]!;
  const { out, buffered } = feed([Buffer.alloc(0), a.subarray(0, 5), Buffer.alloc(0), a.subarray(5), Buffer.alloc(0)]);
  t.ok(same(out, [a]));
  t.same(buffered, [0, 5, 5, 0, 0]);
});

t.test('the message length is 8 + Length padded to 8 (a top-level non-Structure item)', async (t) => {
  const text = Buffer.from('42000107000000036162630000000000', 'hex'); // Text String "abc": 16 bytes
  const { out } = feed([Buffer.concat([text, text]).subarray(0, 20), Buffer.concat([text, text]).subarray(20)]);
  t.ok(same(out, [text, text]));
});

t.test('an oversize header is refused when its 8 bytes are in, with the stream offset of its Length', async (t) => {
  const limit = 1024;
  const head = (length: number): Buffer => {
    const h = Buffer.from('4200780100000000', 'hex');
    h.writeUInt32BE(length, 4);
    return h;
  };
  // Exactly at the limit is accepted: 8 + 1016 = 1024.
  const atLimit = Buffer.concat([head(1016), Buffer.alloc(1016)]);
  t.equal(feed([atLimit], new TtlvFramer(limit)).out.length, 1, 'a message of exactly the limit');
  const refuse = (what: string, chunks: Buffer[], offset: number, length: number, refusedAtChunk: number): void => {
    const f = new TtlvFramer(limit);
    let i = 0;
    try {
      for (; i < chunks.length; i++) f.push(chunks[i]!);
      t.fail(`${what}: not refused`);
    } catch (e) {
      t.ok(e instanceof TtlvError, `${what}: TtlvError`);
      t.equal((e as TtlvError).reason, `message length ${length} exceeds the limit of ${limit}`, `${what}: reason`);
      t.equal((e as TtlvError).offset, offset, `${what}: offset`);
      t.equal(i, refusedAtChunk, `${what}: refused on chunk ${refusedAtChunk}`);
    }
  };
  const over = head(1017);
  refuse('one byte over, one chunk', [over], 4, 1017, 0);
  refuse('one byte over, 1-byte chunks', [...over].map((b) => Buffer.from([b])), 4, 1017, 7);
  refuse('after a good message', [Buffer.concat([atLimit, over])], 1024 + 4, 1017, 0);
  refuse('after a good message, in pieces', [atLimit.subarray(0, 100), Buffer.concat([atLimit.subarray(100), over.subarray(0, 3)]), over.subarray(3)], 1024 + 4, 1017, 2);
  refuse('1 MiB claimed', [head(1 << 20)], 4, 1 << 20, 0);
});
