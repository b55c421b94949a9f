// Server benchmark: kmipd against PyKMIP 0.10's server under the same load generator (binary TTLV over mutual TLS,
// 1.4 §9.1 / KMIP profiles), in one run, with the machine's ceilings measured alongside (bare TLS answering the same
// bytes, durable SQLite commits, TLS handshakes). `npm run bench:server`; `--quick` for a short look; see
// bench/README.md for the options (`--target` drives a server started elsewhere instead). Ends with one JSON line
// holding every figure.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import { ensureDevCerts } from '../src/certs/dev-certs.js';
import { KmipConnection, tlsOptions, type Target } from './load/connection.js';
import { runCell, type CellResult, type Probe, type Timing } from './load/driver.js';
import { measureFsync, type FsyncFigures } from './load/fsync.js';
import type { OpFigures } from './load/latency.js';
import { parseOptions, type BenchOptions } from './load/options.js';
import { createAes256, discoverVersionsRequest, getRequest, getStateRequest, parseProtocolVersion, summarise, type ProtocolVersion } from './load/requests.js';
import { seedName, seedStore } from './load/seed.js';
import { startCeilingServer, startKmipd, startPykmip, type RunningServer } from './load/servers.js';
import { connectStep, handshakeStep, loadContext, persistentStep, type LoadContext, type Workload } from './load/workloads.js';

/** 'target': an external server (`--target`), in kmipd's place in the report. */
type Side = 'kmipd' | 'pykmip' | 'ceiling' | 'target';

interface Endpoint {
  readonly side: Side;
  readonly tls: ConnectionOptions;
  ctx: LoadContext;
  readonly probe?: Probe;
}

/** One row of the report: a workload at a concurrency, each side's figures, and the ceiling it is held against. */
interface Row {
  readonly id: string;
  readonly workload: string;
  readonly connections: number;
  readonly results: Partial<Record<Side, CellResult>>;
  /** Extra figures of the row (session reuse counts, the paced rate, store size). */
  readonly notes: Record<string, number>;
}

const log = (s: string): void => void process.stderr.write(`${s}\n`);

/** Keys named name(i) made over 4 connections; their UIDs in name order. */
async function precreate(tls: ConnectionOptions, v: ProtocolVersion, count: number, name: (i: number) => string): Promise<string[]> {
  const uids: string[] = new Array<string>(count);
  let next = 0;
  const conns = await openConnections(tls, Math.min(4, count));
  await Promise.all(
    conns.map(async (c) => {
      for (let i = next++; i < count; i = next++) {
        const s = summarise(await c.exchange(createAes256(v, name(i))));
        if (!s.ok || s.uid === undefined) throw new Error(`pre-creating key ${i} failed: ${s.reason}`);
        uids[i] = s.uid;
        // One Get each, as a server in service has long since handed out its keys: a key's first Get clears
        // its Fresh attribute (a durable write), which the steady-state get workload should not measure.
        const g = summarise(await c.exchange(getRequest(v, s.uid)));
        if (!g.ok) throw new Error(`first Get of key ${i} failed: ${g.reason}`);
      }
    }),
  );
  for (const c of conns) c.close();
  return uids;
}

/** Opened one after another: PyKMIP listens with a backlog of 5. */
async function openConnections(tls: ConnectionOptions, n: number): Promise<KmipConnection[]> {
  const out: KmipConnection[] = [];
  for (let i = 0; i < n; i++) out.push(await KmipConnection.open(tls));
  return out;
}

async function persistentCell(e: Endpoint, w: Workload, n: number, timing: Timing, rate?: number): Promise<CellResult> {
  const conns = await openConnections(e.tls, n);
  try {
    return await runCell((rec) => conns.map((c) => persistentStep(w, e.ctx, c, rec)), timing, rate, e.probe);
  } finally {
    for (const c of conns) c.close();
  }
}

async function connectCell(e: Endpoint, resume: boolean, n: number, timing: Timing, bare: boolean): Promise<[CellResult, { resumed: number; full: number }]> {
  const stats = { resumed: 0, full: 0 };
  const r = await runCell(
    (rec) => Array.from({ length: n }, () => (bare ? handshakeStep(e.tls, resume, rec, stats) : connectStep(e.ctx, e.tls, resume, rec, stats))),
    timing,
    undefined,
    e.probe,
  );
  return [r, stats];
}

// ---- report ---------------------------------------------------------------------------------------------------

const fmtRate = (n: number | undefined): string => (n === undefined || Number.isNaN(n) ? '-' : n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toPrecision(3));
const fmtMs = (n: number | undefined): string => (n === undefined || Number.isNaN(n) ? '-' : n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
const fmtX = (n: number | undefined): string => (n === undefined || !Number.isFinite(n) ? '-' : `${n >= 100 ? Math.round(n) : n.toFixed(1)}×`);
const round = (n: number, digits = 3): number => (Number.isFinite(n) ? Number(n.toPrecision(digits)) : NaN);

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function opJson(prefix: string, f: OpFigures, out: Record<string, number | string | boolean>): void {
  out[`${prefix}_p50_ms`] = round(f.p50);
  out[`${prefix}_p99_ms`] = round(f.p99);
  out[`${prefix}_p999_ms`] = round(f.p999);
}

/** With --target: workload, conns, the target's ops/s, p50, p99, p999, errors and the generator's CPU. */
const TARGET_COLUMNS = 8;

function report(rows: Row[], fsync: FsyncFigures | undefined, meta: Record<string, number | string | boolean>, opts: BenchOptions): void {
  const withPy = opts.servers.includes('pykmip');
  const head = ['workload', 'conns', `${opts.target === undefined ? 'kmipd' : 'target'} ops/s`, 'p50 ms', 'p99 ms', 'p999 ms', 'errors', 'gen CPU', 'kmipd CPU', 'loop busy', 'loop p99',
    'PyKMIP ops/s', 'p50 ms', 'p99 ms', 'p999 ms', 'errors', 'ratio', 'ceiling/s', 'of ceiling'];
  const lines: string[][] = [];
  const json: Record<string, number | string | boolean> = {};
  for (const r of rows) {
    const k = r.results.kmipd ?? r.results.target;
    const p = r.results.pykmip;
    const c = r.results.ceiling;
    const ceiling = c?.unitsPerSec ?? (r.workload.startsWith('create') && fsync !== undefined ? fsync.commitsPerSec / 2 : undefined);
    const ratio = k !== undefined && p !== undefined && p.unitsPerSec > 0 ? k.unitsPerSec / p.unitsPerSec : undefined;
    lines.push([
      r.workload, String(r.connections),
      fmtRate(k?.unitsPerSec), fmtMs(k?.unit.p50), fmtMs(k?.unit.p99), fmtMs(k?.unit.p999), k ? String(k.errors) : '-',
      k ? `${Math.round(k.clientCpu * 100)}%` : c ? `${Math.round(c.clientCpu * 100)}%` : '-',
      k?.probe.cpu !== undefined ? `${Math.round(k.probe.cpu * 100)}%` : '-',
      k?.probe.loop_busy !== undefined ? `${Math.round(k.probe.loop_busy * 100)}%` : '-',
      fmtMs(k?.probe.loop_p99_ms),
      fmtRate(p?.unitsPerSec), fmtMs(p?.unit.p50), fmtMs(p?.unit.p99), fmtMs(p?.unit.p999), p ? String(p.errors) : '-',
      fmtX(ratio), fmtRate(ceiling), k && ceiling ? `${Math.round((100 * k.unitsPerSec) / ceiling)}%` : '-',
    ]);
    for (const [side, res] of Object.entries(r.results) as [Side, CellResult][]) {
      const pre = `${r.id}.${side}`;
      json[`${pre}_ops`] = round(res.unitsPerSec, 4);
      json[`${pre}_requests_per_s`] = round(res.requestsPerSec, 4);
      opJson(pre, res.unit, json);
      json[`${pre}_errors`] = res.errors;
      json[`${pre}_generator_cpu`] = round(res.clientCpu, 2);
      json[`${pre}_generator_loop_p99_ms`] = round(res.clientLoopP99, 3);
      json[`${pre}_generator_loop_max_ms`] = round(res.clientLoopMax, 3);
      for (const [op, f] of Object.entries(res.ops)) {
        json[`${pre}.${op}_count`] = f.count;
        json[`${pre}.${op}_errors`] = f.errors;
        opJson(`${pre}.${op}`, f, json);
      }
      for (const [reason, n] of Object.entries(res.errorReasons)) json[`${pre}.error.${reason}`] = n;
      for (const [key, v] of Object.entries(res.probe)) json[`${pre}_server_${key}`] = round(v, 3);
    }
    if (ratio !== undefined) json[`${r.id}.ratio`] = round(ratio);
    if (ceiling !== undefined) json[`${r.id}.ceiling_ops`] = round(ceiling, 4);
    if (k !== undefined && ceiling !== undefined) json[`${r.id}.kmipd_of_ceiling`] = round(k.unitsPerSec / ceiling);
    for (const [key, v] of Object.entries(r.notes)) json[`${r.id}.${key}`] = round(v, 4);
  }
  const what = opts.target === undefined
    ? `kmipd vs PyKMIP ${withPy ? '0.10' : '(not run)'}`
    : `target ${opts.target.host}:${opts.target.port} (started elsewhere: no ratio, no ceiling, no in-server figures)`;
  console.log(`${what}: KMIP ${opts.protocol} over ${opts.tlsVersion}, ${opts.durationMs / 1000} s per cell after ${opts.warmupMs / 1000} s warm-up, Node ${process.version}`);
  console.log('ops/s: whole units per second (Create + Activate is one unit; connect: one new connection and its Get);');
  if (opts.target !== undefined) {
    // the columns after the generator's CPU are all measured by or against servers started here
    console.log('latencies of whole units; gen CPU: the generator\'s CPU time as a share of one core\n');
    console.log(table(head.slice(0, TARGET_COLUMNS), lines.map((l) => l.slice(0, TARGET_COLUMNS))));
  } else {
    console.log('latencies of whole units; gen CPU: the generator\'s CPU time as a share of one core; kmipd CPU, loop busy (its main thread\'s busy share) and loop p99: measured inside kmipd;');
    console.log('ceiling: bare TLS answering kmipd\'s recorded responses (get, poll), durable commits / 2 (create), bare handshakes (connect)\n');
    console.log(table(head, lines));
  }
  const failed = rows.filter((r) => Object.values(r.results).some((x) => x.errors > 0));
  if (failed.length > 0) {
    console.log('\nErrors (by side, operation and reason):');
    for (const r of failed) {
      for (const [side, res] of Object.entries(r.results)) {
        if (res.errors > 0) console.log(`  ${r.id} ${side}: ${Object.entries(res.errorReasons).map(([k, n]) => `${k} ×${n}`).join(', ')}`);
      }
    }
  }
  if (fsync !== undefined) {
    console.log(`\nfsync ceiling: ${fmtRate(fsync.commitsPerSec)} durable SQLite commits/s (WAL, synchronous=FULL), p50 ${fmtMs(fsync.p50)} ms, p99 ${fmtMs(fsync.p99)} ms`);
    json['fsync.commits_per_s'] = round(fsync.commitsPerSec, 4);
    json['fsync.p50_ms'] = round(fsync.p50);
    json['fsync.p99_ms'] = round(fsync.p99);
  }
  console.log(JSON.stringify({ bench: 'server', ...meta, ...json }));
}

// ---- the run ---------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2), process.env);
  const started = performance.now();
  const timing: Timing = { warmupMs: opts.warmupMs, durationMs: opts.durationMs };
  const version = parseProtocolVersion(opts.protocol);
  const dir = mkdtempSync(join(tmpdir(), 'kmipd-bench-'));
  const running: RunningServer[] = [];
  const rows: Row[] = [];
  const withPy = opts.servers.includes('pykmip');
  const wants = (w: string): boolean => opts.workloads.includes(w);
  const localTarget = (name: string, certs: string, port: number): Target => ({ name, host: '127.0.0.1', port, certs, client: 'alice', tlsVersion: opts.tlsVersion });
  const ext = opts.target;
  // a server that outlives the run keeps its keys: names of its own, so that Locate by Name finds one object each
  const runTag = randomBytes(4).toString('hex');
  const benchName = (i: number): string => (ext === undefined ? `bench-key-${i}` : `bench-${runTag}-key-${i}`);
  try {
    log(`[bench] working directory ${dir}`);
    const kCerts = join(dir, 'kmipd-certs');
    const pCerts = join(dir, 'pykmip-certs');
    if (ext === undefined) ensureDevCerts(kCerts, ['alice']);
    if (withPy) ensureDevCerts(pCerts, ['alice']);

    // the target's disk is not this machine's
    const fsync = ext === undefined && (wants('create') || wants('mixed')) ? measureFsync(dir, Math.min(3000, opts.durationMs)) : undefined;
    if (fsync) log(`[bench] fsync ceiling ${fmtRate(fsync.commitsPerSec)} commits/s`);

    const kData = join(dir, 'kmipd-data');
    const kLog = join(dir, 'kmipd.log');
    const kmipdStart = async (): Promise<RunningServer> => {
      if (opts.profileDir !== undefined) mkdirSync(opts.profileDir, { recursive: true });
      const s = await startKmipd(kData, kCerts, kLog, opts.profileDir);
      running.push(s);
      return s;
    };
    let kmipd: RunningServer | undefined;
    let kUids: string[];
    let kEnd: Endpoint;
    let cEnd: Endpoint | undefined;
    let ceiling: RunningServer | undefined;
    if (ext !== undefined) {
      const tTls = tlsOptions({ name: 'target', host: ext.host, port: ext.port, certs: ext.certs, client: ext.client, tlsVersion: opts.tlsVersion, servername: ext.servername });
      kUids = await precreate(tTls, version, opts.keys, benchName);
      log(`[bench] target ${ext.host}:${ext.port}: ${opts.keys} keys made (${benchName(0)} …)`);
      kEnd = { side: 'target', tls: tTls, ctx: loadContext(version, kUids, opts.keys, benchName) };
    } else {
      kmipd = await kmipdStart();
      const kTls = tlsOptions(localTarget('kmipd', kCerts, kmipd.port));
      kUids = await precreate(kTls, version, opts.keys, benchName);
      log(`[bench] kmipd: ${opts.keys} keys made`);
      kEnd = { side: 'kmipd', tls: kTls, ctx: loadContext(version, kUids, opts.keys, benchName), probe: kmipd.probe };

      // kmipd's answers, recorded for the ceiling server to send back byte for byte
      const probeConn = await KmipConnection.open(kTls);
      const replies: Record<string, string> = {};
      for (const req of [getRequest(version, kUids[0]!), getStateRequest(version, kUids[0]!), discoverVersionsRequest(version)]) {
        replies[String(req.length)] = (await probeConn.exchange(req)).toString('hex');
      }
      probeConn.close();
      const ceilingConf = join(dir, 'ceiling.json');
      writeFileSync(ceilingConf, JSON.stringify({ cert: join(kCerts, 'server.crt'), key: join(kCerts, 'server.key'), ca: join(kCerts, 'ca.crt'), replies, fallback: Object.values(replies)[0] }));
      ceiling = await startCeilingServer(ceilingConf, join(dir, 'ceiling.log'));
      running.push(ceiling);
      cEnd = { side: 'ceiling', tls: tlsOptions(localTarget('ceiling', kCerts, ceiling.port)), ctx: kEnd.ctx };
    }
    const withCeiling = (es: Endpoint[]): Endpoint[] => (cEnd === undefined ? es : [...es, cEnd]);

    let pEnd: Endpoint | undefined;
    let pykmip: RunningServer | undefined;
    if (withPy) {
      pykmip = await startPykmip(join(dir, 'pykmip'), pCerts);
      running.push(pykmip);
      const pTls = tlsOptions(localTarget('pykmip', pCerts, pykmip.port));
      const pUids = await precreate(pTls, version, opts.keys, benchName);
      log(`[bench] PyKMIP: ${opts.keys} keys made`);
      pEnd = { side: 'pykmip', tls: pTls, ctx: loadContext(version, pUids, opts.keys, benchName) };
    }

    const cell = async (id: string, workload: string, n: number, sides: [Endpoint, () => Promise<CellResult>][], notes: Record<string, number> = {}): Promise<Row> => {
      const results: Partial<Record<Side, CellResult>> = {};
      for (const [e, run] of sides) {
        results[e.side] = await run();
        const r = results[e.side]!;
        const p = r.probe;
        const rss = p.rss_start_mb === undefined ? '' : opts.durationMs < 60_000
          ? `, RSS ${p.rss_start_mb.toFixed(1)} -> ${p.rss_end_mb!.toFixed(1)} MiB`
          : `, RSS at 0, 1/4, 1/2, 3/4, 1 of the window: ${[p.rss_start_mb, p.rss_q1_mb, p.rss_half_mb, p.rss_q3_mb, p.rss_end_mb].map((v) => v!.toFixed(1)).join(', ')} MiB (max ${p.rss_max_mb!.toFixed(1)})`;
        const stalls = p.loop_max_ms === undefined ? '' : `, loop max ${fmtMs(p.loop_max_ms)} ms (longest GC ${fmtMs(p.gc_max_ms)} ms, GC ${((p.gc_share ?? 0) * 100).toFixed(1)} % of the time)`;
        log(`[bench] ${id} ${e.side}: ${fmtRate(r.unitsPerSec)}/s p99 ${fmtMs(r.unit.p99)} ms, errors ${r.errors}${rss}${stalls}`);
      }
      const row = { id, workload, connections: n, results, notes };
      rows.push(row);
      return row;
    };
    const servers = (): Endpoint[] => [kEnd, ...(pEnd ? [pEnd] : [])];

    for (const w of ['get', 'poll'] as const) {
      if (!wants(w)) continue;
      for (const n of opts.concurrency) {
        await cell(`${w}.c${n}`, w, n, withCeiling(servers()).map((e) => [e, () => persistentCell(e, w, n, timing)]));
      }
    }
    if (wants('locate')) {
      for (const n of opts.locateConcurrency) {
        await cell(`locate.${opts.keys}.c${n}`, `locate ${opts.keys}`, n, servers().map((e) => [e, () => persistentCell(e, 'locate', n, timing)]), { objects: opts.keys });
      }
    }
    for (const w of ['create', 'mixed'] as const) {
      if (!wants(w)) continue;
      for (const n of opts.concurrency) await cell(`${w}.c${n}`, w, n, servers().map((e) => [e, () => persistentCell(e, w, n, timing)]));
    }
    if (wants('connect')) {
      for (const resume of [false, true]) {
        const w = resume ? 'connect_resumed' : 'connect_full';
        for (const n of opts.connectConcurrency) {
          const notes: Record<string, number> = {};
          const row = await cell(`${w}.c${n}`, w, n, withCeiling(servers()).map((e) => [e, async () => {
            const [r, s] = await connectCell(e, resume, n, timing, e.side === 'ceiling');
            notes[`${e.side}_resumed`] = s.resumed;
            notes[`${e.side}_full`] = s.full;
            return r;
          }]), notes);
          void row;
        }
      }
    }
    if (wants('paced')) {
      // half of the best rate the server reached on each workload, on one connection count: the latency a client sees
      // when the server is busy but not saturated
      for (const w of ['get', 'poll', 'create', 'mixed'] as const) {
        const peak = Math.max(...rows.filter((r) => r.workload === w && r.results[kEnd.side]).map((r) => r.results[kEnd.side]!.unitsPerSec));
        if (!Number.isFinite(peak) || peak <= 0) continue;
        const n = opts.pacedConcurrency;
        await cell(`${w}_paced_half.c${n}`, `${w} @½ peak`, n, [[kEnd, () => persistentCell(kEnd, w, n, timing, peak / 2)]], { rate: peak / 2 });
      }
    }
    if (pykmip) await pykmip.stop();
    await ceiling?.stop();

    // Locate over larger stores: kmipd stopped, its file grown, kmipd started again (only a kmipd started here)
    const sizes = wants('locate') && kmipd !== undefined ? opts.locateSizes.filter((s) => s > opts.keys) : [];
    let firstSeed: number | undefined;
    for (const size of sizes) {
      await kmipd!.stop();
      const seeded = seedStore(join(kData, 'kmipd.db'), kUids[0]!, size);
      firstSeed ??= seeded.before;
      log(`[bench] store seeded ${seeded.before} → ${seeded.after} objects in ${seeded.seconds.toFixed(1)} s`);
      kmipd = await kmipdStart();
      const seedFrom = firstSeed;
      const named = opts.keys + (seeded.after - seedFrom);
      const ctx = loadContext(version, kUids, named, (i) => (i < opts.keys ? benchName(i) : seedName(seedFrom + i - opts.keys)));
      const e: Endpoint = { side: 'kmipd', tls: tlsOptions(localTarget('kmipd', kCerts, kmipd.port)), ctx, probe: kmipd.probe };
      for (const n of opts.locateConcurrency) {
        await cell(`locate.${size}.c${n}`, `locate ${size}`, n, [[e, () => persistentCell(e, 'locate', n, timing)]], { objects: seeded.after, seed_seconds: seeded.seconds });
      }
    }
    await kmipd?.stop();

    report(rows, fsync, {
      node_version: process.version,
      protocol: opts.protocol,
      tls: opts.tlsVersion,
      cell_seconds: opts.durationMs / 1000,
      pykmip: withPy,
      ...(ext !== undefined && { target: `${ext.host}:${ext.port}` }),
      seconds: round((performance.now() - started) / 1000, 4),
    }, opts);
    if (opts.profileDir !== undefined) log(`[bench] kmipd CPU profiles: ${readdirSync(opts.profileDir).join(', ')} in ${opts.profileDir}`);
  } finally {
    for (const s of running) await s.stop().catch(() => undefined);
    if (opts.keepDir) log(`[bench] kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);
