// Byte String values decode as views into the message buffer, never copies (ttlv-item.ts; 1.4 §9.1.1.4).
import t from 'tap';
import { decodeTtlv, encodeTtlv, ttlv, ItemType, TtlvFramer, DEFAULT_TTLV_LIMITS, type TtlvItem } from '../../src/ttlv/index.js';

const SIZE = 64 * 1024;
const payload = (): Uint8Array => Uint8Array.from({ length: SIZE }, (_, i) => (i * 131 + 7) & 0xff);

/** A Key Block-like message: Structure { Integer, Structure { Byte String (64 KiB) } }. */
const message = (bytes: Uint8Array): TtlvItem =>
  ttlv.structure(0x420040, [ttlv.integer(0x42006a, 1), ttlv.structure(0x420045, [ttlv.byteString(0x420043, bytes)])]);

function byteString(item: TtlvItem): Uint8Array {
  if (item.type === ItemType.ByteString) return item.value;
  if (item.type === ItemType.Structure) {
    for (const c of item.value) {
      try { return byteString(c); } catch { /* not in this branch */ }
    }
  }
  throw new Error('no Byte String');
}

t.test('a 64 KiB Byte String at the top level is a view of the input', async (t) => {
  const wire = encodeTtlv(ttlv.byteString(0x420043, payload()));
  t.equal(wire.length, 8 + SIZE);
  const value = byteString(decodeTtlv(wire));
  t.equal(value.length, SIZE);
  t.equal(value.buffer, wire.buffer, 'same ArrayBuffer');
  t.equal(value.byteOffset, wire.byteOffset + 8, 'right after the header');
  t.same(Buffer.from(value), Buffer.from(payload()), 'the bytes');
});

t.test('a 64 KiB Byte String inside Structures, input an offset Uint8Array over a larger ArrayBuffer', async (t) => {
  const wire = encodeTtlv(message(payload()));
  const backing = new ArrayBuffer(wire.length + 100);
  const input = new Uint8Array(backing, 40, wire.length);
  input.set(wire);
  const value = byteString(decodeTtlv(input));
  t.equal(value.buffer, backing, 'same ArrayBuffer as the input');
  t.equal(value.byteOffset, 40 + 8 + 16 + 8 + 8, 'at its place in the input');
  // A view, not a copy: zeroing it (key-material hygiene) zeroes the message buffer.
  value.fill(0);
  t.ok(input.subarray(40, 40 + SIZE).every((b) => b === 0), 'zeroing the value zeroes the input');
  t.equal(input[0], 0x42, 'and nothing else');
});

t.test('through the framer: socket chunk → message → Byte String, one ArrayBuffer', async (t) => {
  const wire = encodeTtlv(message(payload()));
  const chunk = Buffer.from(new ArrayBuffer(wire.length));
  chunk.set(wire);
  const [m] = new TtlvFramer(DEFAULT_TTLV_LIMITS.maxMessageBytes).push(chunk);
  t.ok(m, 'one message');
  const value = byteString(decodeTtlv(m!));
  t.equal(value.buffer, chunk.buffer, 'the Byte String is a view of the socket chunk');
  t.equal(value.length, SIZE);
});

t.test('encoding copies: the encoded bytes do not alias the item\'s value', async (t) => {
  const bytes = payload();
  const wire = encodeTtlv(ttlv.byteString(0x420043, bytes));
  t.not(wire.buffer, bytes.buffer);
  bytes.fill(0);
  t.equal(wire[8], payload()[0], 'changing the value afterwards leaves the encoding as it was');
  // Nor do two encodings alias each other (the encoder's scratch buffer is never handed out).
  const again = encodeTtlv(ttlv.byteString(0x420043, new Uint8Array(SIZE)));
  t.equal(wire[8], payload()[0], 'a later encode does not overwrite an earlier result');
  t.not(again.buffer, wire.buffer);
});
