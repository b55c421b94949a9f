// Hostile and malformed TTLV: every fault is a TtlvError with its reason and offset, in bounded time (1.4 §9.1.1).
import t, { type Test } from 'tap';
import { readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  decodeTtlv, encodeTtlv, ttlv, ItemType, TtlvError, DEFAULT_TTLV_LIMITS, type TtlvItem, type TtlvLimits,
} from '../../src/ttlv/index.js';

const REPO = new URL('../../', import.meta.url);
const VECTORS = new URL('../../../shared/kmip-vectors/testcases-v1.1/messages.json', import.meta.url);
const messages = (JSON.parse(readFileSync(VECTORS, 'utf8')) as { messages: { section: string; hex: string }[] }).messages;

/** Generous bound for one small decode on a loaded 2-core machine (CI runs files side by side); the point is "not a hang". */
const QUICK_MS = 5000;

/** An 8-byte header: 3-byte tag, type, 4-byte length. */
function header(tag: number, type: number, length: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUIntBE(tag, 0, 3);
  b[3] = type;
  b.writeUInt32BE(length, 4);
  return b;
}
const item = (tag: number, type: number, length: number, value: Buffer | number[] = []): Buffer =>
  Buffer.concat([header(tag, type, length), Buffer.from(value)]);
const structure = (tag: number, ...children: Buffer[]): Buffer => {
  const body = Buffer.concat(children);
  return Buffer.concat([header(tag, ItemType.Structure, body.length), body]);
};
const kids = (it: TtlvItem): TtlvItem[] => (it.type === ItemType.Structure ? it.value : []);
const hexBytes = (h: string): Buffer => Buffer.from(h.replace(/\s+/g, ''), 'hex');

/** Decoding `bytes` must throw a TtlvError with this reason (exact text or pattern) at this offset, quickly. */
function faults(t: Test, bytes: Uint8Array, reason: string | RegExp, offset: number, what: string, limits?: TtlvLimits, ms = QUICK_MS): void {
  const start = performance.now();
  let caught: unknown;
  try {
    decodeTtlv(bytes, limits);
  } catch (e) {
    caught = e;
  }
  const took = performance.now() - start;
  if (!(caught instanceof TtlvError)) {
    t.fail(`${what}: expected a TtlvError, got ${caught === undefined ? 'a decoded item' : String(caught)}`);
    return;
  }
  if (typeof reason === 'string') t.equal(caught.reason, reason, `${what}: reason`);
  else t.match(caught.reason, reason, `${what}: reason`);
  t.equal(caught.offset, offset, `${what}: offset`);
  t.ok(took < ms, `${what}: refused in ${took.toFixed(1)} ms (< ${ms})`);
}

/** Encoding `it` must throw a TtlvError. */
function encodeFaults(t: Test, it: TtlvItem, reason: RegExp, what: string): void {
  try {
    encodeTtlv(it);
    t.fail(`${what}: encoded`);
  } catch (e) {
    if (e instanceof TtlvError) t.match(e.reason, reason, what);
    else t.fail(`${what}: expected a TtlvError, got ${String(e)}`);
  }
}

t.test('truncation at every offset of five test-case messages', async (t) => {
  // Small and large, request and response, from different sections (incl. the vendor-extension one).
  const largest = messages.reduce((best, m, i) => (m.hex.length > messages[best]!.hex.length ? i : best), 0);
  const picks = [0, 1, 132, 305, largest].map((i) => messages[i]!);
  t.ok(picks.some((m) => m.hex.length / 2 > 1000), 'one of them is over 1000 bytes');
  for (const m of picks) {
    const whole = Buffer.from(m.hex, 'hex');
    let refused = 0;
    const start = performance.now();
    for (let cut = 0; cut < whole.length; cut++) {
      const prefix = whole.subarray(0, cut);
      try {
        decodeTtlv(prefix);
        t.fail(`§${m.section} prefix ${cut}: decoded`);
      } catch (e) {
        const want = cut < 8 ? { offset: 0, reason: 'truncated item header' } : { offset: 4, reason: 'Structure value truncated' };
        if (e instanceof TtlvError && e.offset === want.offset && e.reason === want.reason) refused++;
        else t.fail(`§${m.section} prefix ${cut}: ${String(e)}; want ${JSON.stringify(want)}`);
      }
    }
    t.equal(refused, whole.length, `§${m.section} (${whole.length} bytes): every prefix refused at the right place`);
    t.ok(performance.now() - start < 5 * QUICK_MS, 'in bounded time');
  }
});

t.test('truncation inside: the outer length made consistent with the cut, the fault is found in a child', async (t) => {
  // Patch the root's Length to the cut: the damage then lies at the cut, inside some child, and is an
  // overrun of that child's Structure -- unless the cut falls between two children, which is a valid message.
  for (const i of [0, 1, 305]) {
    const whole = Buffer.from(messages[i]!.hex, 'hex');
    let refused = 0;
    let valid = 0;
    for (let cut = 16; cut < whole.length; cut += 8) {
      const prefix = Buffer.from(whole.subarray(0, cut));
      prefix.writeUInt32BE(cut - 8, 4);
      try {
        const decoded = decodeTtlv(prefix);
        if (encodeTtlv(decoded).equals(prefix)) valid++;
        else t.fail(`cut ${cut}: decoded but re-encodes differently`);
      } catch (e) {
        if (e instanceof TtlvError && e.offset >= 8 && e.offset < cut && /overruns its Structure$/.test(e.reason)) refused++;
        else t.fail(`cut ${cut}: ${String(e)}`);
      }
    }
    t.ok(refused > 0, `message #${i}: ${refused} cuts refused as overruns, ${valid} cuts between children decoded`);
  }
});

t.test('a wrong length for each fixed-length type', async (t) => {
  const fixed = [
    ['Integer', ItemType.Integer, 4], ['Long Integer', ItemType.LongInteger, 8], ['Enumeration', ItemType.Enumeration, 4],
    ['Boolean', ItemType.Boolean, 8], ['Date-Time', ItemType.DateTime, 8], ['Interval', ItemType.Interval, 4],
    ['Date-Time Extended', ItemType.DateTimeExtended, 8],
  ] as const;
  for (const [name, type, length] of fixed) {
    for (const wrong of [0, length - 1, length + 1, length === 4 ? 8 : 4, 16]) {
      // Enough value bytes follow for any of these lengths: only the Length field is wrong.
      faults(t, item(0x420001, type, wrong, Buffer.alloc(16)), `${name} length ${wrong}, must be ${length}`, 4, `${name} of length ${wrong}`);
    }
    // The same inside a Structure: the offset is that of the child's Length field.
    faults(t, structure(0x420001, item(0x420002, type, length + 4, Buffer.alloc(16))), `${name} length ${length + 4}, must be ${length}`, 12, `${name} child`);
    // And the right length decodes.
    t.equal(decodeTtlv(item(0x420001, type, length, Buffer.alloc(8))).type, type, `${name} of length ${length} decodes`);
  }
});

t.test('a child that overruns its Structure', async (t) => {
  const integer = item(0x420002, ItemType.Integer, 4, Buffer.alloc(8));
  // Structure says 8 bytes, the Integer child needs 16: its header fits, its value does not.
  faults(t, Buffer.concat([header(0x420001, ItemType.Structure, 8), integer.subarray(0, 8), Buffer.alloc(8)]),
    'Integer overruns its Structure', 16, 'Integer value past the Structure');
  // Structure says 4 bytes: not even the child header fits.
  faults(t, Buffer.concat([header(0x420001, ItemType.Structure, 4), Buffer.alloc(4)]), 'item header overruns its Structure', 8, 'header past the Structure', );
  // A Text String child whose length passes the end of its Structure (but not the end of the input).
  faults(t, Buffer.concat([header(0x420001, ItemType.Structure, 16), item(0x420002, ItemType.TextString, 9, Buffer.alloc(16))]),
    'Text String overruns its Structure', 12, 'Text String past the Structure');
  // A Text String whose value fits but whose padding does not.
  faults(t, Buffer.concat([header(0x420001, ItemType.Structure, 12), item(0x420002, ItemType.TextString, 3, Buffer.alloc(8))]),
    'Text String overruns its Structure', 12, 'padding past the Structure');
  // A nested Structure longer than its parent.
  faults(t, structure(0x420001, header(0x420002, ItemType.Structure, 16), Buffer.alloc(8)),
    'Structure overruns its Structure', 12, 'nested Structure past its parent');
  // A Big Integer child longer than its parent.
  faults(t, Buffer.concat([header(0x420001, ItemType.Structure, 16), item(0x420002, ItemType.BigInteger, 16, Buffer.alloc(16))]),
    'Big Integer overruns its Structure', 12, 'Big Integer past the Structure');
  // The second child overruns, after a good first one.
  faults(t, Buffer.concat([header(0x420001, ItemType.Structure, 24), integer, integer]), 'Integer overruns its Structure', 32, 'second child');
  // A Structure whose length passes the end of the input.
  faults(t, Buffer.concat([header(0x420001, ItemType.Structure, 64), integer]), 'Structure value truncated', 4, 'root past the input');
});

t.test('invalid UTF-8 in a Text String', async (t) => {
  const cases: [string, number[]][] = [
    ['lone continuation byte', [0x80]],
    ['bad second byte', [0xc3, 0x28]],
    ['overlong "/"', [0xc0, 0xaf]],
    ['UTF-16 surrogate', [0xed, 0xa0, 0x80]],
    ['truncated 3-byte sequence', [0xe2, 0x82]],
    ['0xFF', [0x61, 0xff]],
    ['code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
  ];
  for (const [what, bytes] of cases) {
    const padded = Buffer.alloc((bytes.length + 7) & ~7);
    padded.set(bytes);
    faults(t, item(0x420001, ItemType.TextString, bytes.length, padded), 'Text String is not valid UTF-8', 8, what);
    faults(t, structure(0x420001, integerItem(1), item(0x420002, ItemType.TextString, bytes.length, padded)),
      'Text String is not valid UTF-8', 32, `${what}, second child`);
  }
  // Valid multi-byte text, a BOM and NUL included, is accepted and kept as is.
  const text = '\uFEFFé€😀\u0000x';
  const valid = encodeTtlv(ttlv.textString(0x420001, text));
  t.equal(decodeTtlv(valid).value, text, 'valid UTF-8 decodes, BOM kept');
});

function integerItem(n: number): Buffer {
  const b = item(0x420003, ItemType.Integer, 4, Buffer.alloc(8));
  b.writeInt32BE(n, 8);
  return b;
}

t.test('a Boolean other than 0 or 1', async (t) => {
  faults(t, item(0x420001, ItemType.Boolean, 8, hexBytes('00000000 00000002')), 'Boolean value is neither 0 nor 1', 8, 'Boolean 2');
  faults(t, item(0x420001, ItemType.Boolean, 8, hexBytes('00000001 00000001')), 'Boolean value is neither 0 nor 1', 8, 'high word set');
  faults(t, item(0x420001, ItemType.Boolean, 8, hexBytes('FFFFFFFF FFFFFFFF')), 'Boolean value is neither 0 nor 1', 8, 'all ones');
  t.equal(decodeTtlv(item(0x420001, ItemType.Boolean, 8, hexBytes('00000000 00000001'))).value, true);
  t.equal(decodeTtlv(item(0x420001, ItemType.Boolean, 8, hexBytes('00000000 00000000'))).value, false);
});

t.test('non-zero padding', async (t) => {
  for (const [name, type] of [['Integer', ItemType.Integer], ['Enumeration', ItemType.Enumeration], ['Interval', ItemType.Interval]] as const) {
    for (const at of [4, 5, 7]) {
      const value = Buffer.alloc(8);
      value[3] = 1;
      value[at] = 0x01;
      faults(t, item(0x420001, type, 4, value), 'non-zero padding', 8 + at, `${name} padding byte ${at}`);
    }
  }
  for (const [name, type] of [['Text String', ItemType.TextString], ['Byte String', ItemType.ByteString]] as const) {
    for (const [length, at] of [[3, 3], [3, 7], [1, 5], [9, 15]] as const) {
      const value = Buffer.alloc((length + 7) & ~7, 0x61);
      value.fill(0, length);
      value[at] = 0x20;
      faults(t, item(0x420001, type, length, value), 'non-zero padding', 8 + at, `${name} of length ${length}, padding byte ${at}`);
    }
    // Length 0 has no padding: the next item begins right after the header.
    t.equal(kids(decodeTtlv(structure(0x420001, item(0x420002, type, 0), integerItem(7)))).length, 2, `${name} of length 0`);
  }
});

t.test('Big Integer: non-minimal, length 0, length 12', async (t) => {
  const big = (h: string): Buffer => item(0x420001, ItemType.BigInteger, h.replace(/\s/g, '').length / 2, hexBytes(h));
  const reason = 'Big Integer is not minimally sign-extended';
  faults(t, big('00000000 00000000 00000000 00000001'), reason, 8, 'positive 1 in 16 bytes');
  faults(t, big('00000000 00000000 7FFFFFFF FFFFFFFF'), reason, 8, 'positive, top bit of next word clear');
  faults(t, big('FFFFFFFF FFFFFFFF FFFFFFFF FFFFFFFF'), reason, 8, 'negative -1 in 16 bytes');
  faults(t, big('FFFFFFFF FFFFFFFF 80000000 00000000'), reason, 8, 'negative, top bit of next word set');
  faults(t, big('00000000 00000000 00000000 00000000 80000000 00000000 00000000 00000000'), reason, 8, '24 bytes for a 16-byte value');
  // The minimal forms decode.
  t.equal(decodeTtlv(big('00000000 00000000 80000000 00000000')).value, 1n << 63n, '2^63 needs 16 bytes');
  t.equal(decodeTtlv(big('FFFFFFFF FFFFFFFF 7FFFFFFF FFFFFFFF')).value, -(1n << 63n) - 1n, '-2^63-1 needs 16 bytes');
  t.equal(decodeTtlv(big('00000000 00000000')).value, 0n, 'zero is 8 zero bytes');
  t.equal(decodeTtlv(big('FFFFFFFF FFFFFFFF')).value, -1n, '-1 is 8 bytes');
  faults(t, item(0x420001, ItemType.BigInteger, 0), 'Big Integer length 0 is not a positive multiple of 8', 4, 'length 0');
  faults(t, item(0x420001, ItemType.BigInteger, 12, Buffer.alloc(16)), 'Big Integer length 12 is not a positive multiple of 8', 4, 'length 12');
  faults(t, structure(0x420001, item(0x420002, ItemType.BigInteger, 12, Buffer.alloc(16))),
    'Big Integer length 12 is not a positive multiple of 8', 12, 'length 12 in a Structure');
});

t.test('tags outside 0x42xxxx/0x54xxxx: refused, except inside a Vendor Extension', async (t) => {
  const vendorText = item(0x014242, ItemType.TextString, 2, Buffer.from('na\0\0\0\0\0\0', 'latin1'));
  faults(t, vendorText, 'tag 0x014242 is neither 0x42xxxx nor 0x54xxxx', 0, 'root');
  faults(t, structure(0x420051, vendorText), 'tag 0x014242 is neither 0x42xxxx nor 0x54xxxx', 8, 'in a Message Extension');
  for (const tag of [0x000000, 0x410001, 0x430001, 0x550001, 0xffffff]) {
    faults(t, structure(0x420001, integerItem(1), item(tag, ItemType.Integer, 4, Buffer.alloc(8))),
      `tag 0x${tag.toString(16).padStart(6, '0')} is neither 0x42xxxx nor 0x54xxxx`, 24, `tag 0x${tag.toString(16)}`);
  }
  // Inside Vendor Extension 0x42009C any tag is accepted, at any depth below it, and round-trips.
  const inside = structure(0x420051, structure(0x42009c, vendorText, structure(0x123456, item(0xffffff, ItemType.Boolean, 8, Buffer.alloc(8)))));
  t.same(encodeTtlv(decodeTtlv(inside)), inside, 'accepted inside a Vendor Extension, re-encoded identically');
  // The exemption ends with the Vendor Extension: a sibling after it is checked again.
  faults(t, structure(0x420051, structure(0x42009c, vendorText), vendorText), 'tag 0x014242 is neither 0x42xxxx nor 0x54xxxx', 32, 'after the Vendor Extension');
  // A 0x54xxxx extension tag is accepted anywhere.
  t.equal(decodeTtlv(structure(0x540001, item(0x54ffff, ItemType.Integer, 4, Buffer.alloc(8)))).tag, 0x540001, '0x54xxxx accepted');
});

t.test('unknown item types 0x00, 0x0C, 0xFF', async (t) => {
  for (const type of [0x00, 0x0c, 0xff]) {
    const name = `0x${type.toString(16).padStart(2, '0')}`;
    faults(t, item(0x420001, type, 0), `unknown item type ${name}`, 3, `type ${name}, length 0`);
    faults(t, item(0x420001, type, 8, Buffer.alloc(8)), `unknown item type ${name}`, 3, `type ${name}, length 8`);
    faults(t, structure(0x420001, integerItem(1), item(0x420002, type, 4, Buffer.alloc(8))), `unknown item type ${name}`, 27, `type ${name} as second child`);
  }
});

t.test('an unknown item type is reported as such even when its Length is also bogus', async (t) => {
  // The type byte (offset 3) precedes the Length (offset 4): the first fault in the input is the type.
  // Reporting "type 0xff value truncated" names a length check that has no meaning for an unknown type.
  for (const type of [0x00, 0x0c, 0xff]) {
    const name = `0x${type.toString(16).padStart(2, '0')}`;
    faults(t, item(0x420001, type, 0xffffffff, Buffer.alloc(8)), `unknown item type ${name}`, 3, `type ${name}, length 0xFFFFFFFF`);
    faults(t, item(0x420001, type, 5, Buffer.alloc(5)), `unknown item type ${name}`, 3, `type ${name}, length 5 without padding`);
  }
});

t.test('nesting 10,000 deep is refused by the depth limit, without stack overflow', async (t) => {
  const depth = 10_000;
  const nested = (n: number): Buffer => {
    const b = Buffer.alloc(n * 8);
    for (let i = 0; i < n; i++) b.set(header(0x420001, ItemType.Structure, (n - i - 1) * 8), i * 8);
    return b;
  };
  const max = DEFAULT_TTLV_LIMITS.maxDepth;
  // The Structure at depth max+1 is refused; it starts after max headers.
  faults(t, nested(depth), `nesting deeper than ${max}`, max * 8, '10,000 nested Structures');
  t.doesNotThrow(() => decodeTtlv(nested(max)), `${max} nested Structures are accepted`);
  faults(t, nested(max + 1), `nesting deeper than ${max}`, max * 8, `${max + 1} nested Structures`);
  faults(t, nested(3), 'nesting deeper than 2', 16, 'custom maxDepth 2', { ...DEFAULT_TTLV_LIMITS, maxDepth: 2 });
});

t.test('a header claiming 4 GiB: decodeTtlv refuses without allocating', async (t) => {
  for (const [name, type] of [['Structure', ItemType.Structure], ['Text String', ItemType.TextString], ['Byte String', ItemType.ByteString], ['Big Integer', ItemType.BigInteger]] as const) {
    for (const length of [0xffffffff, 0xfffffff8, 0x80000000]) {
      const before = process.memoryUsage().arrayBuffers;
      faults(t, item(0x420001, type, length, Buffer.alloc(64)), `${name} value truncated`, 4, `${name} of length 0x${length.toString(16)}`);
      t.ok(process.memoryUsage().arrayBuffers - before < 1 << 20, 'nothing large allocated');
      faults(t, structure(0x420001, item(0x420002, type, length, Buffer.alloc(16))), `${name} overruns its Structure`, 12, `${name} child of length 0x${length.toString(16)}`);
    }
  }
});

/**
 * Run a TtlvFramer scenario in a child process with a time and heap bound, so that a framer that loops or
 * allocates without end fails this test instead of hanging or killing the test runner.
 */
function framerInChild(length: number, chunkSize: number): Promise<{ result?: Record<string, unknown>; failure?: string }> {
  const framing = new URL('../../src/ttlv/index.js', import.meta.url).href;
  const code = `
    const { TtlvFramer, TtlvError } = await import(${JSON.stringify(framing)});
    console.log('ready');
    const h = Buffer.alloc(8); h.writeUIntBE(0x420078, 0, 3); h[3] = 1; h.writeUInt32BE(${length}, 4);
    const f = new TtlvFramer(${DEFAULT_TTLV_LIMITS.maxMessageBytes});
    const before = process.memoryUsage().arrayBuffers;
    let pushed = 0, out = 0;
    try {
      for (let i = 0; i < 8; i += ${chunkSize}) { out += f.push(h.subarray(i, i + ${chunkSize})).length; pushed = i + ${chunkSize}; }
      console.log(JSON.stringify({ kind: 'no error', messages: out, buffered: f.buffered }));
    } catch (e) {
      console.log(JSON.stringify({ kind: e instanceof TtlvError ? 'TtlvError' : String(e), reason: e.reason, offset: e.offset,
        refusedWhenBytesIn: Math.min(8, pushed + ${chunkSize}), allocated: process.memoryUsage().arrayBuffers - before }));
    }`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--max-old-space-size=96', '--import', 'tsx', '--input-type=module', '-e', code], {
      cwd: fileURLToPath(REPO), stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    // the 8 s bound is the framer's: it starts once the child has loaded (tsx start-up on a loaded machine is slow)
    let killedFor = '';
    const kill = (why: string): void => {
      killedFor = why;
      child.kill('SIGKILL');
    };
    let timer = setTimeout(() => kill('not started after 60 s (killed)'), 60_000);
    child.stdout.on('data', (d: Buffer) => {
      const ready = !stdout.includes('ready\n');
      stdout += d.toString();
      if (ready && stdout.includes('ready\n')) {
        clearTimeout(timer);
        timer = setTimeout(() => kill('still running after 8 s (killed)'), 8000);
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.trim().split('\n').pop();
      if (code === 0 && line && line !== 'ready') resolve({ result: JSON.parse(line) as Record<string, unknown> });
      else resolve({ failure: killedFor !== '' ? killedFor : `exit ${code ?? signal}: ${/FATAL ERROR[^\n]*/.exec(stderr)?.[0] ?? stderr.slice(-300)}` });
    });
  });
}

t.test('a header claiming 4 GiB: TtlvFramer refuses as soon as the 8 header bytes are in', async (t) => {
  const cases: [number, number][] = [];
  for (const length of [0xffffffff, 0xfffffff8, 0x80000000, 0x7ffffff8, DEFAULT_TTLV_LIMITS.maxMessageBytes]) {
    for (const chunk of [8, 1]) cases.push([length, chunk]);
  }
  const results = await Promise.all(cases.map(([length, chunk]) => framerInChild(length, chunk)));
  cases.forEach(([length, chunk], i) => {
    const what = `Length 0x${length.toString(16)} in ${chunk === 1 ? '1-byte chunks' : 'one chunk'}`;
    const { result, failure } = results[i]!;
    if (failure !== undefined) {
      t.fail(`${what}: the framer did not return: ${failure}`);
      return;
    }
    t.same(result, {
      kind: 'TtlvError',
      reason: `message length ${length} exceeds the limit of ${DEFAULT_TTLV_LIMITS.maxMessageBytes}`,
      offset: 4,
      refusedWhenBytesIn: 8,
      allocated: result?.['allocated'],
    }, what);
    if (result?.['kind'] === 'TtlvError') t.ok(Number(result['allocated']) < 1 << 20, `${what}: nothing large allocated`);
  });
});

t.test('a million empty items: refused by the item limit, or by the size limit', async (t) => {
  const count = 1_000_000;
  const b = Buffer.alloc(8 + count * 8);
  b.set(header(0x420001, ItemType.Structure, count * 8), 0);
  const empty = header(0x420002, ItemType.TextString, 0);
  for (let i = 0; i < count; i++) b.set(empty, 8 + i * 8);
  t.equal(b.length, 8_000_008, '8 MB');
  // Default limits: 8 MB is over the 4 MiB message limit, refused before any item is read.
  faults(t, b, `message of 8000008 bytes exceeds the limit of ${DEFAULT_TTLV_LIMITS.maxMessageBytes}`, 0, 'default limits');
  // A larger size limit: the item limit stops it at item maxItems + 1 (the Structure is item 1), which is
  // Text String number maxItems, at 8 + (maxItems - 1) * 8.
  const roomy = { ...DEFAULT_TTLV_LIMITS, maxMessageBytes: 16 << 20 };
  faults(t, b, `more than ${DEFAULT_TTLV_LIMITS.maxItems} items`, DEFAULT_TTLV_LIMITS.maxItems * 8, 'item limit', roomy, 10_000);
  faults(t, b, 'more than 10 items', 10 * 8, 'custom item limit 10', { ...roomy, maxItems: 10 });
  // A larger item limit but a smaller size limit: the size limit refuses.
  faults(t, b, 'message of 8000008 bytes exceeds the limit of 1048576', 0, 'custom size limit', { ...roomy, maxMessageBytes: 1 << 20, maxItems: 2 * count });
  // With both limits raised it decodes: the limits are what refused it.
  const start = performance.now();
  const decoded = decodeTtlv(b, { ...roomy, maxItems: count + 1 });
  t.equal(kids(decoded).length, count, `decodes with room (${(performance.now() - start).toFixed(0)} ms)`);
  faults(t, b, `more than ${count} items`, count * 8, 'one item short', { ...roomy, maxItems: count }, 20_000);
});

t.test('trailing bytes after the item', async (t) => {
  const one = integerItem(5);
  faults(t, Buffer.concat([one, Buffer.from([0])]), 'trailing bytes after the item', 16, 'one byte');
  faults(t, Buffer.concat([one, one]), 'trailing bytes after the item', 16, 'a second item');
  faults(t, Buffer.concat([structure(0x420001, one), Buffer.alloc(8)]), 'trailing bytes after the item', 24, 'after a Structure');
  faults(t, Buffer.alloc(0), 'truncated item header', 0, 'empty input');
});

t.test('encoder faults are TtlvErrors', async (t) => {
  const T = 0x420001;
  for (const n of [2 ** 31, -(2 ** 31) - 1, 1.5, Number.NaN, Infinity, Number.MAX_SAFE_INTEGER]) {
    encodeFaults(t, ttlv.integer(T, n), /^Integer .* out of range$/, `Integer ${n}`);
  }
  for (const n of [-1, 2 ** 32, 0.5, -0.5, Number.NaN]) {
    encodeFaults(t, ttlv.enumeration(T, n), /^Enumeration .* out of range$/, `Enumeration ${n}`);
    encodeFaults(t, ttlv.interval(T, n), /^Interval .* out of range$/, `Interval ${n}`);
  }
  for (const n of [1n << 63n, -(1n << 63n) - 1n, 1n << 100n]) {
    encodeFaults(t, ttlv.longInteger(T, n), /^64-bit value .* out of range$/, `Long Integer ${n}`);
    encodeFaults(t, ttlv.dateTime(T, n), /^64-bit value .* out of range$/, `Date-Time ${n}`);
    encodeFaults(t, ttlv.dateTimeExtended(T, n), /^64-bit value .* out of range$/, `Date-Time Extended ${n}`);
  }
  for (const tag of [0x1000000, -1, 1.5, Number.NaN]) {
    encodeFaults(t, ttlv.integer(tag, 1), /is not a 3-byte value$/, `tag ${tag}`);
    encodeFaults(t, ttlv.structure(tag, []), /is not a 3-byte value$/, `Structure tag ${tag}`);
    encodeFaults(t, ttlv.textString(tag, 'x'), /is not a 3-byte value$/, `Text String tag ${tag}`);
  }
  // A fault deep in a tree, then a normal encode: the shared scratch buffer is not left in a bad state.
  encodeFaults(t, ttlv.structure(T, [ttlv.textString(T, 'a'.repeat(100_000)), ttlv.structure(T, [ttlv.integer(T, 2 ** 40)])]), /out of range/, 'nested fault');
  const good = ttlv.structure(T, [ttlv.integer(T, -(2 ** 31)), ttlv.integer(T, 2 ** 31 - 1), ttlv.enumeration(T, 2 ** 32 - 1),
    ttlv.longInteger(T, -(1n << 63n)), ttlv.longInteger(T, (1n << 63n) - 1n), ttlv.integer(0x54ffff, 0)]);
  t.same(decodeTtlv(encodeTtlv(good)), good, 'the range bounds themselves encode and decode');
});
