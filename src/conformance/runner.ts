// Replays test-case files against a running KMIP server: one TLS connection per file, each request sent as written
// (its own protocol version, placeholders filled), each response judged (KMIP Profiles §3, §4.7).
import { Tag } from '../kmip/tag.js';
import { decodeTtlv } from '../ttlv/decode.js';
import { encodeTtlv } from '../ttlv/encode.js';
import { TtlvError } from '../ttlv/ttlv-error.js';
import type { TtlvItem } from '../ttlv/ttlv-item.js';
import type { Difference } from './compare.js';
import { ConnectError, KmipConnection, NoResponseError, readCredentials, type ConnectionOptions } from './connection.js';
import { child, children, enumOf, operationName } from './facts.js';
import { UnboundPlaceholderError } from './placeholders.js';
import { Replay, type ReplayOptions } from './replay.js';
import { readTestCase, TestCaseError, type TestCase } from './test-case.js';

export type { ConnectionOptions } from './connection.js';

export interface RunOptions extends ConnectionOptions, ReplayOptions {
  /** Called after each step (for --verbose). */
  readonly onStep?: (file: string, record: StepRecord) => void;
}

export interface StepRecord {
  readonly step: number;
  /** Operations of the request's batch items. */
  readonly operations: readonly string[];
  readonly ok: boolean;
  /** Permitted variations the judge used. */
  readonly notes: readonly string[];
  readonly ms: number;
}

export type ErrorKind = 'bad-file' | 'unbound-placeholder' | 'unreachable' | 'runner';

export interface FileResult {
  readonly file: string;
  readonly status: 'pass' | 'fail' | 'error';
  /** Steps in the file. */
  readonly steps: number;
  readonly records: readonly StepRecord[];
  /** status 'fail': the first difference, and the 0-based step whose response shows it. */
  readonly failure?: Difference & { readonly step: number };
  /** status 'error': the runner could not judge the file. */
  readonly error?: { readonly kind: ErrorKind; readonly message: string; readonly step?: number };
}

/** Replays the files one after another (each on its own connection). */
export async function runFiles(files: readonly string[], options: RunOptions): Promise<FileResult[]> {
  const results: FileResult[] = [];
  for (const file of files) results.push(await runFile(file, options));
  return results;
}

export async function runFile(file: string, options: RunOptions): Promise<FileResult> {
  let testCase: TestCase;
  try {
    testCase = readTestCase(file);
  } catch (e) {
    if (e instanceof TestCaseError) return { file, status: 'error', steps: 0, records: [], error: { kind: 'bad-file', message: e.message } };
    throw e;
  }
  let connection: KmipConnection;
  try {
    connection = new KmipConnection(options, readCredentials(options));
  } catch (e) {
    if (e instanceof ConnectError) return { file, status: 'error', steps: testCase.steps.length, records: [], error: { kind: 'unreachable', message: e.message } };
    throw e;
  }
  try {
    return await replay(testCase, connection, options);
  } finally {
    connection.close();
  }
}

async function replay(testCase: TestCase, connection: KmipConnection, options: RunOptions): Promise<FileResult> {
  const { file, steps } = testCase;
  const state = new Replay(testCase, options);
  const records: StepRecord[] = [];
  const base = { file, steps: steps.length, records };
  for (const step of steps) {
    const started = Date.now();
    let request: TtlvItem;
    let bytes: Buffer;
    try {
      request = state.request(step);
      bytes = encodeTtlv(request);
    } catch (e) {
      if (e instanceof UnboundPlaceholderError) {
        return { ...base, status: 'error', error: { kind: 'unbound-placeholder', step: step.index, message: `request ${step.index}: ${e.message}` } };
      }
      if (e instanceof TtlvError) {
        return { ...base, status: 'error', error: { kind: 'runner', step: step.index, message: `request ${step.index} cannot be encoded: ${e.reason}` } };
      }
      throw e;
    }
    const operations = children(request, Tag.BatchItem).map((b) => operationName(enumOf(child(b, Tag.Operation))) ?? '?');
    let response: TtlvItem;
    try {
      const reply = await connection.exchange(bytes);
      response = decodeTtlv(reply);
    } catch (e) {
      if (e instanceof ConnectError) return { ...base, status: 'error', error: { kind: 'unreachable', step: step.index, message: e.message } };
      const got =
        e instanceof NoResponseError ? `no response (${e.message})` : e instanceof TtlvError ? `an undecodable response (offset ${e.offset}: ${e.reason})` : undefined;
      if (got === undefined) throw e;
      const record: StepRecord = { step: step.index, operations, ok: false, notes: [], ms: Date.now() - started };
      records.push(record);
      options.onStep?.(file, record);
      return { ...base, status: 'fail', failure: { step: step.index, path: '(message)', expected: 'a ResponseMessage', got } };
    }
    const judgement = state.judge(step, request, response);
    const record: StepRecord = { step: step.index, operations, ok: judgement.difference === undefined, notes: judgement.notes, ms: Date.now() - started };
    records.push(record);
    options.onStep?.(file, record);
    if (judgement.difference !== undefined) return { ...base, status: 'fail', failure: { ...judgement.difference, step: step.index } };
  }
  return { ...base, status: 'pass' };
}
