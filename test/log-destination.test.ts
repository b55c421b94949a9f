// The log's block destination: records reach the descriptor whole and in order, within the flush interval, at
// exit, and through full pipes and short writes; a failing or stalled descriptor costs records, never the server.
import { execFile } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, type write as fsWrite } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { BlockDestination } from '../src/log-destination.js';

const dir = mkdtempSync(join(tmpdir(), 'kmipd-logdest-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const file = (): { path: string; fd: number } => {
  const path = join(dir, `log-${files++}`);
  return { path, fd: openSync(path, 'a') };
};
/** Resolves once all is written; keeps the process alive meanwhile (the destination's own timers do not). */
const flushed = (d: BlockDestination): Promise<void> => {
  const alive = setInterval(() => undefined, 1000);
  return new Promise<void>((resolve) => d.flush(() => resolve())).finally(() => clearInterval(alive));
};

type WriteCallback = (error: NodeJS.ErrnoException | null, written: number, buffer: Uint8Array) => void;
/** A stand-in for fs.write, called as the destination calls it: (fd, buffer, offset, length, position, callback). */
const fakeWrite = (impl: (bytes: Buffer, done: WriteCallback) => void): typeof fsWrite =>
  ((_fd: number, buffer: Buffer, offset: number, length: number, _position: null, cb: WriteCallback) => impl(buffer.subarray(offset, offset + length), cb)) as unknown as typeof fsWrite;
const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(code), { code });

t.test('records arrive whole and in order: across blocks, multi-byte text, a record larger than the buffer', async (t) => {
  const { path, fd } = file();
  const d = new BlockDestination({ fd, blockBytes: 1024 });
  const records: string[] = [];
  for (let i = 0; i < 3000; i++) records.push(`{"n":${i},"text":"${i % 7 === 0 ? 'ü€😀' : 'plain'}"}\n`);
  records.splice(1500, 0, `{"big":"${'é'.repeat(40_000)}"}\n`);
  for (const r of records) d.write(r);
  await flushed(d);
  closeSync(fd);
  t.equal(readFileSync(path, 'utf8'), records.join(''));
});

t.test('a record short of a block waits for the flush interval, no longer', async (t) => {
  const { path, fd } = file();
  const d = new BlockDestination({ fd, flushMs: 30 });
  d.write('{"one":1}\n');
  await sleep(5);
  t.equal(readFileSync(path, 'utf8'), '', 'held: less than a block');
  await sleep(150);
  t.equal(readFileSync(path, 'utf8'), '{"one":1}\n', 'written by the interval');
  closeSync(fd);
});

t.test('what is held at exit is written before the process ends', async (t) => {
  const { path, fd } = file();
  closeSync(fd);
  const module = fileURLToPath(new URL('../src/log-destination.ts', import.meta.url));
  const program = `
    import { openSync } from 'node:fs';
    const { BlockDestination } = await import(${JSON.stringify(module)});
    const d = new BlockDestination({ fd: openSync(${JSON.stringify(path)}, 'a'), flushMs: 60000 });
    for (let i = 0; i < 5000; i++) d.write('{"i":' + i + '}\\n');
    process.exit(0);`;
  await new Promise<void>((resolve, reject) =>
    execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', program], { timeout: 30_000 }, (error, _out, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve())),
  );
  const lines = readFileSync(path, 'utf8').split('\n');
  t.equal(lines.length, 5001);
  t.equal(lines[4999], '{"i":4999}');
});

t.test('a full pipe (EAGAIN) and short writes lose and reorder nothing', async (t) => {
  let out = '';
  let calls = 0;
  const d = new BlockDestination({
    fd: -1,
    blockBytes: 256,
    write: fakeWrite((bytes, done) => {
      calls++;
      if (calls % 3 === 1) return void setImmediate(() => done(errno('EAGAIN'), 0, bytes));
      const n = Math.min(bytes.length, 100);
      out += bytes.subarray(0, n).toString('latin1');
      setImmediate(() => done(null, n, bytes));
    }),
  });
  const records = Array.from({ length: 400 }, (_, i) => `{"i":${i}}\n`);
  for (const r of records) d.write(r);
  await flushed(d);
  t.equal(out, records.join(''));
  t.ok(calls > 40, `${calls} writes, a third of them refused`);
});

t.test('a failing descriptor: reported once, counted, and the server goes on', async (t) => {
  const reports: string[] = [];
  let fail = true;
  let out = '';
  const d = new BlockDestination({
    fd: -1,
    blockBytes: 64,
    report: (line) => reports.push(line),
    write: fakeWrite((bytes, done) => {
      if (fail) return void setImmediate(() => done(errno('EPIPE'), 0, bytes));
      out += bytes.toString();
      setImmediate(() => done(null, bytes.length, bytes));
    }),
  });
  for (let i = 0; i < 20; i++) d.write(`{"lost":${i},"pad":"${'x'.repeat(60)}"}\n`);
  await flushed(d);
  t.ok(d.failedWrites >= 1);
  t.equal(reports.length, 1, 'one report');
  t.match(reports[0], /could not be written \(EPIPE\); records are being dropped/);
  fail = false;
  d.write('{"after":1}\n');
  await flushed(d);
  t.equal(out, '{"after":1}\n', 'written again once the descriptor works');
  t.equal(reports.length, 1);
});

t.test('a descriptor that never answers: what is held stays bounded and the excess is counted', async (t) => {
  const reports: string[] = [];
  const d = new BlockDestination({ fd: -1, blockBytes: 1024, maxHeldBytes: 64 * 1024, report: (line) => reports.push(line), write: fakeWrite(() => undefined) });
  let refused = 0;
  for (let i = 0; i < 5000; i++) if (!d.write(`{"i":${i},"pad":"${'y'.repeat(80)}"}\n`)) refused++;
  t.ok(refused > 4000, `${refused} of 5000 refused`);
  t.equal(d.droppedRecords, refused);
  t.equal(reports.length, 1);
  t.match(reports[0], /cannot keep up/);
});

t.test('at exit, a full pipe is waited for and a failure given up', (t) => {
  let out = '';
  let calls = 0;
  const reports: string[] = [];
  const d = new BlockDestination({
    fd: -1,
    flushMs: 60_000,
    report: (line) => reports.push(line),
    writeSync: ((_fd: number, bytes: Buffer) => {
      calls++;
      if (calls <= 2) throw errno('EAGAIN');
      const n = Math.min(bytes.length, 7);
      out += bytes.subarray(0, n).toString();
      return n;
    }) as never,
  });
  d.write('{"exit":1}\n');
  d.write('{"exit":2}\n');
  d.flushSync();
  t.equal(out, '{"exit":1}\n{"exit":2}\n');
  t.equal(reports.length, 0);
  const broken = new BlockDestination({ fd: -1, report: (line) => reports.push(line), writeSync: (() => { throw errno('EBADF'); }) as never });
  broken.write('{"x":1}\n');
  broken.flushSync();
  t.equal(broken.failedWrites, 1);
  t.match(reports[0], /EBADF/);
  t.end();
});
