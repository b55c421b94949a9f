// The workloads: what one unit of work sends (Get, status poll, Create+Activate, Locate by Name, a mix, a new
// connection per Get), and how each request's outcome and latency are recorded.
import type { ConnectionOptions } from 'node:tls';
import { KmipConnection } from './connection.js';
import type { Recorder } from './latency.js';
import {
  activateRequest, createAes256, discoverVersionsRequest, getRequest, getStateRequest, locateByNameRequest, summarise,
  type ProtocolVersion, type ResponseSummary,
} from './requests.js';

/** One unit of work; `intended` is when a paced run meant it to start (latency counts from there). */
export type Step = (intended?: number) => Promise<void>;

export const WORKLOADS = ['get', 'poll', 'create', 'locate', 'mixed'] as const;
export type Workload = (typeof WORKLOADS)[number];

/** What the workloads of one server draw on: pre-encoded requests for the pre-created keys, and the name space. */
export interface LoadContext {
  readonly version: ProtocolVersion;
  readonly getBytes: readonly Buffer[];
  readonly stateBytes: readonly Buffer[];
  readonly discoverBytes: Buffer;
  readonly createBytes: Buffer;
  /** Names of every object a Locate may ask for (exactly one object holds each). */
  readonly nameCount: number;
  readonly nameOf: (i: number) => string;
}

export function loadContext(version: ProtocolVersion, uids: readonly string[], nameCount: number, nameOf: (i: number) => string): LoadContext {
  return {
    version,
    getBytes: uids.map((u) => getRequest(version, u)),
    stateBytes: uids.map((u) => getStateRequest(version, u)),
    discoverBytes: discoverVersionsRequest(version),
    createBytes: createAes256(version),
    nameCount,
    nameOf,
  };
}

const pick = (n: number): number => Math.floor(Math.random() * n);

/** Sends one request, records its latency under `op` (or its error), and returns what it said. */
async function timed(conn: KmipConnection, rec: Recorder, op: string, bytes: Buffer, t0 = performance.now()): Promise<ResponseSummary | undefined> {
  let s: ResponseSummary;
  try {
    s = summarise(await conn.exchange(bytes));
  } catch (e) {
    rec.error(op, e instanceof Error ? e.message : String(e), performance.now());
    throw e;
  }
  const t1 = performance.now();
  if (s.ok) rec.ok(op, t0, t1);
  else rec.error(op, s.reason ?? 'failed', t1);
  return s;
}

async function get(c: LoadContext, conn: KmipConnection, rec: Recorder, t0?: number): Promise<void> {
  await timed(conn, rec, 'get', c.getBytes[pick(c.getBytes.length)]!, t0);
}

/** A client's status poll: Get Attributes of State, and now and then a Discover Versions (one in ten). */
async function poll(c: LoadContext, conn: KmipConnection, rec: Recorder, t0?: number): Promise<void> {
  if (Math.random() < 0.1) await timed(conn, rec, 'discover_versions', c.discoverBytes, t0);
  else await timed(conn, rec, 'get_attributes', c.stateBytes[pick(c.stateBytes.length)]!, t0);
}

async function createActivate(c: LoadContext, conn: KmipConnection, rec: Recorder, t0?: number): Promise<void> {
  const created = await timed(conn, rec, 'create', c.createBytes, t0);
  if (created?.ok && created.uid !== undefined) await timed(conn, rec, 'activate', activateRequest(c.version, created.uid));
}

async function locate(c: LoadContext, conn: KmipConnection, rec: Recorder, t0?: number): Promise<void> {
  const name = c.nameOf(pick(c.nameCount));
  const s = await timed(conn, rec, 'locate', locateByNameRequest(c.version, name), t0);
  // a Locate that answers but finds nothing (or more than the one object) is wrong, not fast
  if (s?.ok && s.uids !== 1) rec.error('locate_result', `found ${s.uids} objects for one name`, performance.now());
}

/** 70 % poll, 20 % Get, 8 % Create + Activate, 2 % Locate. */
async function mixed(c: LoadContext, conn: KmipConnection, rec: Recorder, t0?: number): Promise<void> {
  const r = Math.random();
  if (r < 0.7) await poll(c, conn, rec, t0);
  else if (r < 0.9) await get(c, conn, rec, t0);
  else if (r < 0.98) await createActivate(c, conn, rec, t0);
  else await locate(c, conn, rec, t0);
}

const UNITS = { get, poll, create: createActivate, locate, mixed } as const;

/** A unit-of-work function bound to one persistent connection. */
export function persistentStep(w: Workload, c: LoadContext, conn: KmipConnection, rec: Recorder): Step {
  const unit = UNITS[w];
  return async (intended) => {
    const t0 = intended ?? performance.now();
    await unit(c, conn, rec, t0);
    rec.unit(t0, performance.now());
  };
}

/**
 * One handshake, timed and recorded, full or resuming the worker's last session; counts which it was within the
 * measuring window. Undefined when the handshake failed (recorded as an error).
 */
async function handshake(
  tls: ConnectionOptions,
  resumeFrom: { session: Buffer | undefined } | undefined,
  t0: number,
  rec: Recorder,
  stats: { resumed: number; full: number },
): Promise<{ conn: KmipConnection; t1: number } | undefined> {
  let conn: KmipConnection;
  try {
    conn = await KmipConnection.open(tls, resumeFrom?.session, resumeFrom === undefined ? undefined : (s) => (resumeFrom.session = s));
  } catch (e) {
    rec.error('handshake', e instanceof Error ? e.message : String(e), performance.now());
    return undefined;
  }
  const t1 = performance.now();
  rec.ok('handshake', t0, t1);
  if (rec.inWindow(t1)) {
    if (conn.resumed) stats.resumed++;
    else stats.full++;
  }
  return { conn, t1 };
}

/**
 * `connect`: a new TLS connection per Get, closed after the answer. With `resume`, each worker offers the session
 * its previous connection got (a ticket, or a TLS 1.2 session ID), so only the first handshake is full.
 */
export function connectStep(c: LoadContext, tls: ConnectionOptions, resume: boolean, rec: Recorder, stats: { resumed: number; full: number }): Step {
  const last = resume ? { session: undefined as Buffer | undefined } : undefined;
  return async (intended) => {
    const t0 = intended ?? performance.now();
    const opened = await handshake(tls, last, t0, rec, stats);
    if (opened === undefined) return;
    try {
      await timed(opened.conn, rec, 'get', c.getBytes[pick(c.getBytes.length)]!);
      rec.unit(t0, performance.now());
    } catch {
      // recorded by timed
    } finally {
      opened.conn.close();
    }
  };
}

/** The handshake ceiling: a TLS connection (full, or resuming the worker's last session) closed at once. */
export function handshakeStep(tls: ConnectionOptions, resume: boolean, rec: Recorder, stats: { resumed: number; full: number }): Step {
  const last = resume ? { session: undefined as Buffer | undefined } : undefined;
  return async (intended) => {
    const t0 = intended ?? performance.now();
    const opened = await handshake(tls, last, t0, rec, stats);
    if (opened === undefined) return;
    rec.unit(t0, opened.t1);
    // TLS 1.3 tickets arrive just after the handshake: give them a turn of the loop before closing
    if (last !== undefined && last.session === undefined) await new Promise((r) => setImmediate(r));
    opened.conn.close();
  };
}
