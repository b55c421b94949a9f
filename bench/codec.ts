// Codec benchmark: kmipd's TTLV decode/encode (tree and typed message) against PyKMIP 0.10 on the same bytes (1.4 §9.1).
//
// `npm run bench:codec`. Environment: BENCH_RUN_MS (each timed loop, default 500), BENCH_RUNS (default 3, the
// median is kept), BENCH_PYKMIP_SECONDS (PyKMIP's time per message and direction, default 1).
// Exits non-zero when PyKMIP cannot run or cannot read a message: a ratio without its peer is not reported.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeTtlv, encodeTtlv, ItemType, type TtlvItem } from '../src/ttlv/index.js';
import {
  decodeRequestMessage,
  decodeResponseMessage,
  encodeRequestMessage,
  encodeResponseMessage,
} from '../src/kmip/message-codec.js';
import { benchMessages, LARGE_BYTE_STRING_LENGTH, type BenchMessage } from './messages.js';
import { lastResult, measure, type Measurement, type MeasureOptions } from './stats.js';

const PYTHON = '/usr/bin/python3';
const options: MeasureOptions = {
  warmupMs: 150,
  runMs: Number(process.env.BENCH_RUN_MS ?? 500),
  runs: Number(process.env.BENCH_RUNS ?? 3),
};
const pykmipSeconds = Number(process.env.BENCH_PYKMIP_SECONDS ?? 1);

type Direction = 'decode' | 'encode';
type Level = 'tree' | 'typed';

interface Prepared {
  readonly message: BenchMessage;
  readonly bytes: Buffer;
  /** What each level times, per direction. */
  readonly work: Record<Level, Record<Direction, () => unknown>>;
}

/** The typed level: bytes → typed message, and that typed message → bytes in the version it was read in. */
function typedWork(message: BenchMessage, bytes: Buffer): { decode: () => unknown; encode: () => Buffer } {
  if (message.kind === 'request') {
    const d = decodeRequestMessage(bytes);
    return { decode: () => decodeRequestMessage(bytes), encode: () => encodeRequestMessage(d.message, d.version) };
  }
  const d = decodeResponseMessage(bytes);
  return { decode: () => decodeResponseMessage(bytes), encode: () => encodeResponseMessage(d.message, d.version) };
}

/** Encode the message once, check that both levels reproduce it byte for byte, and bind the timed closures. */
function prepare(message: BenchMessage): Prepared {
  const bytes = encodeTtlv(message.tree);
  const tree = decodeTtlv(bytes);
  if (!encodeTtlv(tree).equals(bytes)) throw new Error(`${message.name}: tree decode → encode is not byte-identical`);
  const typed = typedWork(message, bytes);
  if (!typed.encode().equals(bytes)) throw new Error(`${message.name}: typed decode → encode is not byte-identical`);
  return {
    message,
    bytes,
    work: { tree: { decode: () => decodeTtlv(bytes), encode: () => encodeTtlv(tree) }, typed },
  };
}

interface PykmipFigures {
  readonly decode: number;
  readonly encode: number;
  readonly decode_cpu: number;
  readonly encode_cpu: number;
  readonly bytes: number;
  readonly reencoded_bytes: number;
  readonly identical: boolean;
}
interface PykmipReport {
  readonly pykmip: string;
  readonly python: string;
  readonly results: Record<string, PykmipFigures>;
}

/** The script sits in bench/ of the repository, whether this runs from dist/bench or from bench. */
function pykmipScript(): string {
  for (const rel of ['../../bench/pykmip-codec.py', './pykmip-codec.py']) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error('bench/pykmip-codec.py not found');
}

function runPykmip(prepared: readonly Prepared[], seconds: number): PykmipReport {
  const input = JSON.stringify(
    prepared.map((p) => ({ name: p.message.name, kind: p.message.kind, version: p.message.version, hex: p.bytes.toString('hex') })),
  );
  const run = spawnSync(PYTHON, [pykmipScript(), String(seconds)], { input, encoding: 'utf8', maxBuffer: 1 << 20 });
  if (run.error !== undefined || run.status !== 0) {
    process.stderr.write(run.stderr ?? '');
    throw new Error(`PyKMIP benchmark failed (${run.error?.message ?? `exit status ${run.status}`}); is python3-pykmip installed for ${PYTHON}?`);
  }
  const report = JSON.parse(run.stdout) as PykmipReport;
  for (const p of prepared) {
    const r = report.results[p.message.name];
    if (r === undefined || (seconds > 0 && !(r.decode > 0 && r.encode > 0))) throw new Error(`PyKMIP gave no figures for ${p.message.name}`);
  }
  return report;
}

/** The largest Byte String in a tree, found by walking it. */
function largestByteString(item: TtlvItem): Uint8Array | undefined {
  if (item.type === ItemType.ByteString) return item.value;
  if (item.type !== ItemType.Structure) return undefined;
  let best: Uint8Array | undefined;
  for (const child of item.value) {
    const b = largestByteString(child);
    if (b !== undefined && (best === undefined || b.length > best.length)) best = b;
  }
  return best;
}

/** True when the decoded 64 KiB value shares the input's ArrayBuffer, for a Buffer and for a plain Uint8Array input. */
function largeValueIsView(bytes: Buffer): boolean {
  const plain = new Uint8Array(bytes);
  return [bytes, plain].every((input) => {
    const value = largestByteString(decodeTtlv(input));
    return value !== undefined && value.length === LARGE_BYTE_STRING_LENGTH && value.buffer === input.buffer;
  });
}

const fmt = (n: number): string => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toPrecision(3));
const fmtRatio = (n: number): string => `${n >= 100 ? Math.round(n) : n.toFixed(1)}×`;
const pad = (s: string, n: number, right = false): string => (right ? s.padEnd(n) : s.padStart(n));

function main(): void {
  const started = process.hrtime.bigint();
  const prepared = benchMessages().map(prepare);
  const register = prepared.find((p) => p.message.name === 'register_request_1.2');
  const isView = register !== undefined && largeValueIsView(register.bytes);

  // PyKMIP reads and re-encodes every message first, untimed: if it cannot, fail before kmipd's loops.
  const preflight = runPykmip(prepared, 0);
  const figures: Record<string, number | string | boolean> = {};
  const rows: string[][] = [];
  const kmipd = new Map<string, Measurement>();
  const peer: Record<string, PykmipFigures> = {};
  // Each message's PyKMIP run follows kmipd's on the same message, so that both see the same machine load.
  for (const p of prepared) {
    for (const dir of ['decode', 'encode'] as const) {
      for (const level of ['tree', 'typed'] as const) {
        kmipd.set(`${p.message.name}.${dir}.${level}`, measure(p.work[level][dir], options));
      }
    }
    peer[p.message.name] = runPykmip([p], pykmipSeconds).results[p.message.name]!;
  }
  const pykmip: PykmipReport = { ...preflight, results: peer };
  void lastResult();

  for (const p of prepared) {
    const name = p.message.name;
    const py = pykmip.results[name]!;
    figures[`${name}.bytes`] = p.bytes.length;
    figures[`${name}.pykmip_reencode_identical`] = py.identical;
    for (const dir of ['decode', 'encode'] as const) {
      const pyOps = py[dir];
      const pyCpu = py[`${dir}_cpu`];
      const tree = kmipd.get(`${name}.${dir}.tree`)!;
      const typed = kmipd.get(`${name}.${dir}.typed`)!;
      const mbps = (ops: number): number => (ops * p.bytes.length) / 1e6;
      const ratio = (n: number): number => Number(n.toFixed(1));
      Object.assign(figures, {
        [`${name}.${dir}.tree_ops`]: Math.round(tree.opsPerSec),
        [`${name}.${dir}.tree_mbps`]: Number(mbps(tree.opsPerSec).toFixed(1)),
        [`${name}.${dir}.typed_ops`]: Math.round(typed.opsPerSec),
        [`${name}.${dir}.typed_mbps`]: Number(mbps(typed.opsPerSec).toFixed(1)),
        [`${name}.${dir}.pykmip_ops`]: Number(pyOps.toPrecision(4)),
        [`${name}.${dir}.tree_ratio`]: ratio(tree.opsPerSec / pyOps),
        [`${name}.${dir}.typed_ratio`]: ratio(typed.opsPerSec / pyOps),
        [`${name}.${dir}.tree_cpu_ops`]: Math.round(tree.opsPerCpuSec),
        [`${name}.${dir}.typed_cpu_ops`]: Math.round(typed.opsPerCpuSec),
        [`${name}.${dir}.pykmip_cpu_ops`]: Number(pyCpu.toPrecision(4)),
        [`${name}.${dir}.tree_cpu_ratio`]: ratio(tree.opsPerCpuSec / pyCpu),
        [`${name}.${dir}.typed_cpu_ratio`]: ratio(typed.opsPerCpuSec / pyCpu),
      });
      rows.push([
        name, dir, String(p.bytes.length),
        fmt(tree.opsPerSec), mbps(tree.opsPerSec).toFixed(1), fmt(typed.opsPerSec), mbps(typed.opsPerSec).toFixed(1),
        fmt(pyOps), fmtRatio(tree.opsPerSec / pyOps), fmtRatio(typed.opsPerSec / pyOps),
        `${fmtRatio(tree.opsPerCpuSec / pyCpu)} / ${fmtRatio(typed.opsPerCpuSec / pyCpu)}`,
      ]);
    }
  }

  const head = ['message', 'dir', 'bytes', 'tree ops/s', 'tree MB/s', 'typed ops/s', 'typed MB/s', 'PyKMIP ops/s', 'tree/PyKMIP', 'typed/PyKMIP', 'CPU-time tree / typed'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => pad(c, widths[i]!, i < 2)).join('  ');
  console.log(`kmipd codec vs PyKMIP ${pykmip.pykmip} (Python ${pykmip.python}), Node ${process.version}`);
  console.log(`kmipd: median of ${options.runs} loops of ${options.runMs} ms after ${options.warmupMs} ms warm-up; PyKMIP: ${pykmipSeconds} s per direction`);
  console.log('tree = bytes ⇄ TtlvItem; typed = bytes ⇄ typed message (src/kmip/message-codec.ts)');
  console.log('ops/s and ratios are wall-clock; the last column is the same ratios on each process\'s CPU time\n');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
  console.log(
    `\n64 KiB Byte String of register_request_1.2 decodes as a view (same ArrayBuffer as the input): ${isView ? 'yes' : 'NO — it is a copy'}`,
  );

  figures['large_byte_string_is_view'] = isView;
  figures['pykmip_version'] = pykmip.pykmip;
  figures['node_version'] = process.version;
  figures['seconds'] = Number((Number(process.hrtime.bigint() - started) / 1e9).toFixed(1));
  console.log(JSON.stringify({ bench: 'codec', ...figures }));
}

/**
 * `--only <message>.<decode|encode>.<tree|typed> [--seconds n]`: loop that one case and print its rate, without
 * PyKMIP, for `node --cpu-prof dist/bench/codec.js --only …` (see bench/README.md).
 */
function only(spec: string, seconds: number): void {
  const m = /^(.+)\.(decode|encode)\.(tree|typed)$/.exec(spec);
  const message = m && benchMessages().find((b) => b.name === m[1]);
  if (!m || !message) throw new Error(`--only wants <message>.<decode|encode>.<tree|typed>, got ${spec}`);
  const fn = prepare(message).work[m[3] as Level][m[2] as Direction];
  const rate = measure(fn, { warmupMs: 150, runMs: seconds * 1000, runs: 1 });
  console.log(`${spec}: ${fmt(rate.opsPerSec)} ops/s over ${seconds} s (${fmt(rate.opsPerCpuSec)} per CPU second)`);
}

try {
  const at = process.argv.indexOf('--only');
  if (at >= 0) {
    const s = process.argv.indexOf('--seconds');
    only(process.argv[at + 1] ?? '', s >= 0 ? Number(process.argv[s + 1]) : 3);
  } else {
    main();
  }
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
