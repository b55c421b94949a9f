// `kmipd ttlv decode|encode`: converts between binary TTLV (or hex) and KMIP XML, JSON or a readable tree (1.4 §9.1; Addtl Msg Enc §4, §6).
import { readFileSync, writeSync } from 'node:fs';
import { kmipVocabulary } from '../kmip/kmip-vocabulary.js';
import { decodeTtlv } from '../ttlv/decode.js';
import { encodeTtlv } from '../ttlv/encode.js';
import { jsonToTtlv, ttlvToJson } from '../ttlv/json-encoding.js';
import { TtlvError } from '../ttlv/ttlv-error.js';
import type { TtlvItem } from '../ttlv/ttlv-item.js';
import { formatTree } from '../ttlv/tree-format.js';
import { ttlvToXml, xmlMessages } from '../ttlv/xml-encoding.js';
import { option, parseArgs, UsageError } from './args.js';

export const TTLV_USAGE = `usage:
  kmipd ttlv decode [--from bin|hex] [--to xml|json|tree] [FILE]   binary TTLV or hex → text (default: bin → xml)
  kmipd ttlv encode [--from xml|json] [--to bin|hex] [FILE]        KMIP XML or JSON → TTLV (default: xml → bin)
FILE defaults to standard input. Several concatenated messages are each converted; decode writes several as one
<KMIP> document or one JSON array, which encode reads back.`;

export interface Io {
  readonly readInput: (file: string | undefined) => Buffer;
  readonly write: (data: string | Uint8Array) => void;
  readonly error: (line: string) => void;
}

export const processIo: Io = {
  readInput: (file) => readFileSync(file ?? 0),
  write: (data) => {
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    for (let off = 0; off < buf.length; ) off += writeSync(1, buf, off);
  },
  error: (line) => process.stderr.write(`${line}\n`),
};

/** Runs the subcommand; returns the exit code (2 for bad input or usage). */
export function runTtlv(argv: readonly string[], io: Io = processIo): number {
  try {
    const [verb, ...rest] = argv;
    const args = parseArgs(rest);
    if (args.positional.length > 1) throw new UsageError('at most one FILE');
    // A mistyped option (`--form hex`) must not be ignored: the input would be read in the wrong form.
    for (const name of args.options.keys()) if (name !== 'from' && name !== 'to') throw new UsageError(`unknown option --${name}`);
    const file = args.positional[0];
    const vocab = kmipVocabulary();
    if (verb === 'decode') {
      const from = option(args, 'from', ['bin', 'hex'] as const, 'bin');
      const to = option(args, 'to', ['xml', 'json', 'tree'] as const, 'xml');
      const input = io.readInput(file);
      const bytes = from === 'hex' ? parseHex(input.toString('latin1')) : input;
      const messages = decodeAll(bytes);
      // The whole output is made before any is written: bad input leaves nothing on stdout.
      io.write(render(messages, to, vocab));
      return 0;
    }
    if (verb === 'encode') {
      const from = option(args, 'from', ['xml', 'json'] as const, 'xml');
      const to = option(args, 'to', ['bin', 'hex'] as const, 'bin');
      const text = io.readInput(file).toString('utf8');
      const items = from === 'xml' ? xmlMessages(text, vocab) : jsonItems(text, vocab);
      const encoded = items.map((item) => encodeTtlv(item));
      io.write(to === 'bin' ? Buffer.concat(encoded) : encoded.map((b) => b.toString('hex') + '\n').join(''));
      return 0;
    }
    throw new UsageError(verb === undefined ? 'decode or encode?' : `unknown verb ${verb}`);
  } catch (e) {
    if (e instanceof UsageError) {
      io.error(`kmipd ttlv: ${e.message}\n${TTLV_USAGE}`);
      return 2;
    }
    // Bad input is one line, whatever characters the reason quotes from the input.
    if (e instanceof TtlvError) {
      io.error(oneLine(`kmipd ttlv: offset ${e.offset}: ${e.reason}`));
      return 2;
    }
    if (e instanceof Error && 'code' in e && typeof e.code === 'string' && e.code.startsWith('E')) {
      io.error(oneLine(`kmipd ttlv: ${e.message}`));
      return 2;
    }
    throw e;
  }
}

/** Control characters (line breaks above all) escaped, so that an error stays on one line. */
function oneLine(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => JSON.stringify(c).slice(1, -1));
}

/** Several messages in the container form that encode reads back (a KMIP root, a JSON array); one message bare. */
function render(messages: readonly Decoded[], to: 'xml' | 'json' | 'tree', vocab: ReturnType<typeof kmipVocabulary>): string {
  // A message that the text form cannot carry is named by its offset in the input.
  const each = <T>(f: (item: TtlvItem) => T): T[] =>
    messages.map(({ item, offset }) => {
      try {
        return f(item);
      } catch (e) {
        if (e instanceof TtlvError) throw new TtlvError(offset + e.offset, e.reason);
        throw e;
      }
    });
  if (to === 'tree') return each((item) => formatTree(item, vocab)).join('');
  if (to === 'json') {
    const docs = each((item) => ttlvToJson(item, vocab));
    return JSON.stringify(docs.length === 1 ? docs[0] : docs, null, 2) + '\n';
  }
  const docs = each((item) => ttlvToXml(item, vocab));
  if (docs.length === 1) return docs[0] + '\n';
  return `<KMIP>\n${docs.map((d) => d.replace(/^/gm, '  ')).join('\n')}\n</KMIP>\n`;
}

/** Hex digits, whitespace ignored (so `xxd -p` output and spaced dumps work); offsets are in the text as given. */
function parseHex(text: string): Buffer {
  const bad = text.search(/[^0-9a-fA-F\s]/);
  if (bad >= 0) throw new TtlvError(bad, `not a hex digit: ${JSON.stringify(text[bad])}`);
  const compact = text.replace(/\s+/g, '');
  if (compact.length % 2 !== 0) {
    throw new TtlvError(text.search(/[0-9a-fA-F]\s*$/), 'odd number of hex digits (this last one has no pair)');
  }
  return Buffer.from(compact, 'hex');
}

interface Decoded {
  readonly item: TtlvItem;
  /** Where the message starts in the input. */
  readonly offset: number;
}

/** Decode concatenated messages; an error inside a later message names its offset in the whole input. */
function decodeAll(bytes: Buffer): Decoded[] {
  const items: Decoded[] = [];
  let pos = 0;
  do {
    if (bytes.length - pos < 8) throw new TtlvError(pos, 'truncated item header');
    // Arithmetic, not `& ~7`: a length of 2^31 or more must not wrap to a negative end.
    const end = Math.min(bytes.length, pos + 8 + Math.ceil(bytes.readUInt32BE(pos + 4) / 8) * 8);
    try {
      items.push({ item: decodeTtlv(bytes.subarray(pos, end)), offset: pos });
    } catch (e) {
      if (e instanceof TtlvError) throw new TtlvError(pos + e.offset, e.reason);
      throw e;
    }
    pos = end;
  } while (pos < bytes.length);
  return items;
}

/** One JSON TTLV object, or an array of them (what decode writes for several messages). */
function jsonItems(text: string, vocab: ReturnType<typeof kmipVocabulary>): TtlvItem[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    // V8 quotes the input in "Unexpected token" messages (line breaks and all) and gives no position there.
    throw new TtlvError(jsonErrorOffset(text, message), `not JSON: ${message.replace(/, (?:\.\.\.)?".*" is not valid JSON$/s, '')}`);
  }
  if (!Array.isArray(parsed)) return [jsonToTtlv(parsed, vocab)];
  return parsed.map((p, i) => {
    try {
      return jsonToTtlv(p, vocab);
    } catch (e) {
      // The decoder's path starts at the element: name which one.
      if (e instanceof TtlvError) throw new TtlvError(e.offset, e.reason.replace(/^\$/, `$[${i}]`));
      throw e;
    }
  });
}

/** Where JSON.parse failed: its own position if it gives one, else the longest prefix that still reads as a JSON prefix. */
function jsonErrorOffset(text: string, message: string): number {
  const at = /at position (\d+)/.exec(message);
  if (at !== null) return Number(at[1]);
  if (message === 'Unexpected end of JSON input') return text.length;
  const fine = (k: number): boolean => {
    try {
      JSON.parse(text.slice(0, k));
      return true;
    } catch (e) {
      const m = (e as Error).message;
      const p = /at position (\d+)/.exec(m);
      return m === 'Unexpected end of JSON input' || (p !== null && Number(p[1]) >= k);
    }
  };
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fine(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
