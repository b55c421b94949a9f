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
FILE defaults to standard input. Several concatenated messages are each converted.`;

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
    const file = args.positional[0];
    const vocab = kmipVocabulary();
    if (verb === 'decode') {
      const from = option(args, 'from', ['bin', 'hex'] as const, 'bin');
      const to = option(args, 'to', ['xml', 'json', 'tree'] as const, 'xml');
      const input = io.readInput(file);
      const bytes = from === 'hex' ? parseHex(input.toString('latin1')) : input;
      const items = decodeAll(bytes);
      for (const item of items) {
        if (to === 'xml') io.write(ttlvToXml(item, vocab) + '\n');
        else if (to === 'json') io.write(JSON.stringify(ttlvToJson(item, vocab), null, 2) + '\n');
        else io.write(formatTree(item, vocab));
      }
      return 0;
    }
    if (verb === 'encode') {
      const from = option(args, 'from', ['xml', 'json'] as const, 'xml');
      const to = option(args, 'to', ['bin', 'hex'] as const, 'bin');
      const text = io.readInput(file).toString('utf8');
      const items = from === 'xml' ? xmlMessages(text, vocab) : jsonItems(text, vocab);
      for (const item of items) {
        const bytes = encodeTtlv(item);
        io.write(to === 'bin' ? bytes : bytes.toString('hex') + '\n');
      }
      return 0;
    }
    throw new UsageError(verb === undefined ? 'decode or encode?' : `unknown verb ${verb}`);
  } catch (e) {
    if (e instanceof UsageError) {
      io.error(`kmipd ttlv: ${e.message}\n${TTLV_USAGE}`);
      return 2;
    }
    if (e instanceof TtlvError) {
      io.error(`kmipd ttlv: offset ${e.offset}: ${e.reason}`);
      return 2;
    }
    if (e instanceof Error && 'code' in e && typeof e.code === 'string' && e.code.startsWith('E')) {
      io.error(`kmipd ttlv: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

/** Hex digits, whitespace ignored (so `xxd -p` output and spaced dumps work). */
function parseHex(text: string): Buffer {
  const compact = text.replace(/\s+/g, '');
  const bad = compact.search(/[^0-9a-fA-F]/);
  if (bad >= 0) throw new TtlvError(bad, `not a hex digit: ${JSON.stringify(compact[bad])}`);
  if (compact.length % 2 !== 0) throw new TtlvError(compact.length, 'odd number of hex digits');
  return Buffer.from(compact, 'hex');
}

/** Decode concatenated messages; an error inside a later message names its offset in the whole input. */
function decodeAll(bytes: Buffer): TtlvItem[] {
  const items: TtlvItem[] = [];
  let pos = 0;
  do {
    if (bytes.length - pos < 8) throw new TtlvError(pos, 'truncated item header');
    const end = Math.min(bytes.length, pos + 8 + ((bytes.readUInt32BE(pos + 4) + 7) & ~7));
    try {
      items.push(decodeTtlv(bytes.subarray(pos, end)));
    } catch (e) {
      if (e instanceof TtlvError) throw new TtlvError(pos + e.offset, e.reason);
      throw e;
    }
    pos = end;
  } while (pos < bytes.length);
  return items;
}

function jsonItems(text: string, vocab: ReturnType<typeof kmipVocabulary>): TtlvItem[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new TtlvError(0, `not JSON: ${(e as Error).message}`);
  }
  return Array.isArray(parsed) ? parsed.map((p) => jsonToTtlv(p, vocab)) : [jsonToTtlv(parsed, vocab)];
}
