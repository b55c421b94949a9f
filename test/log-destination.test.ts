// The log's block destination: records reach the descriptor whole and in order, within the flush interval, at
// exit, and through full pipes and short writes; a failing or stalled descriptor costs records, never the server.
// Every descriptor here is real: files, and FIFOs for full pipes, short writes, EPIPE and a reader that never reads.
import { execFile, execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readFileSync, readSync, rmSync } from 'node:fs';
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
/** A FIFO and a non-blocking reader on it (a writer can open it only once a reader has). */
const fifo = (): { path: string; reader: number } => {
  const path = join(dir, `fifo-${files++}`);
  execFileSync('mkfifo', [path]);
  return { path, reader: openSync(path, constants.O_RDONLY | constants.O_NONBLOCK) };
};
/** What a non-blocking descriptor holds now, up to `max` bytes. */
const readNow = (fd: number, max = 1 << 20): Buffer => {
  const buffer = Buffer.alloc(max);
  try {
    return buffer.subarray(0, readSync(fd, buffer));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EAGAIN') return Buffer.alloc(0);
    throw e;
  }
};
/** Reads `fd` a little at a time, every few milliseconds, until stopped: a slow reader. */
const slowReader = (fd: number, bytesPerRead: number): { stop: () => Buffer } => {
  const chunks: Buffer[] = [];
  const timer = setInterval(() => chunks.push(readNow(fd, bytesPerRead)), 2);
  return {
    stop: () => {
      clearInterval(timer);
      for (let c = readNow(fd); c.length > 0; c = readNow(fd)) chunks.push(c);
      return Buffer.concat(chunks);
    },
  };
};
/** Resolves once all is written; keeps the process alive meanwhile (the destination's own timers do not). */
const flushed = (d: BlockDestination): Promise<void> => {
  const alive = setInterval(() => undefined, 1000);
  return new Promise<void>((resolve) => d.flush(() => resolve())).finally(() => clearInterval(alive));
};
const module = fileURLToPath(new URL('../src/log-destination.ts', import.meta.url));
/** Runs `body` in a child process with a destination `d` made from `options` (source text); its stderr. */
const child = (options: string, body: string): Promise<string> => {
  const program = `
    import { openSync, constants } from 'node:fs';
    const { BlockDestination } = await import(${JSON.stringify(module)});
    const d = new BlockDestination(${options});
    ${body}`;
  return new Promise<string>((resolve, reject) =>
    execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', program], { timeout: 30_000 }, (error, _out, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stderr))),
  );
};
const records = (n: number, pad = ''): string[] => Array.from({ length: n }, (_, i) => `{"i":${i}${pad}}\n`);

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

for (const ending of ['process.exit(0)', '/* the event loop runs dry */']) {
  t.test(`what is held at exit is written, in order, before the process ends: ${ending}`, async (t) => {
    for (let round = 0; round < 5; round++) {
      const { path, fd } = file();
      closeSync(fd);
      // the first blocks are with the writer when exit comes: they must land first, and whole
      const stderr = await child(`{ fd: openSync(${JSON.stringify(path)}, 'a'), flushMs: 60000 }`, `for (let i = 0; i < 5000; i++) d.write('{"i":' + i + '}\\n');\n${ending};`);
      t.equal(readFileSync(path, 'utf8'), records(5000).join(''), `round ${round}`);
      t.equal(stderr, '');
    }
  });
}

t.test('a full pipe (EAGAIN) and short writes lose and reorder nothing', async (t) => {
  const { path, reader } = fifo();
  const fd = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
  const d = new BlockDestination({ fd, blockBytes: 4096 });
  const sent = records(20_000, ',"pad":"0123456789"');
  for (const r of sent) d.write(r);
  // nothing is read for a while: the pipe (64 KiB) fills and the writer meets EAGAIN; then small reads make room
  // a little at a time, so the writer's 4 KiB blocks go in part by part
  await sleep(100);
  const reading = slowReader(reader, 3000);
  await flushed(d);
  t.equal(reading.stop().toString(), sent.join(''));
  t.equal(d.failedWrites, 0);
  closeSync(fd);
  closeSync(reader);
});

t.test('a failing descriptor (EPIPE): reported once, counted, and writing goes on once it works again', async (t) => {
  const { path, reader } = fifo();
  const fd = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
  closeSync(reader); // no reader: every write fails with EPIPE
  const reports: string[] = [];
  const d = new BlockDestination({ fd, blockBytes: 64, report: (line) => reports.push(line) });
  for (let i = 0; i < 20; i++) d.write(`{"lost":${i},"pad":"${'x'.repeat(60)}"}\n`);
  await flushed(d);
  t.ok(d.failedWrites >= 1, `${d.failedWrites} blocks given up`);
  t.equal(reports.length, 1, 'one report');
  t.match(reports[0], /could not be written \(EPIPE\); records are being dropped/);
  const again = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  d.write('{"after":1}\n');
  await flushed(d);
  t.equal(readNow(again).toString(), '{"after":1}\n', 'written again once the descriptor works');
  t.equal(reports.length, 1);
  closeSync(fd);
  closeSync(again);
});

t.test('a descriptor that never answers: what is held stays bounded, the excess is counted, the rest still lands', async (t) => {
  const { path, reader } = fifo();
  const fd = openSync(path, 'r+'); // blocking, as a process's standard output is: the writer reopens it non-blocking
  const reports: string[] = [];
  const d = new BlockDestination({ fd, blockBytes: 1024, maxHeldBytes: 64 * 1024, report: (line) => reports.push(line) });
  const sent = records(5000, `,"pad":"${'y'.repeat(80)}"`);
  const kept: string[] = [];
  for (const r of sent) if (d.write(r)) kept.push(r);
  const refused = sent.length - kept.length;
  t.ok(refused > 3500, `${refused} of 5000 refused`);
  t.equal(d.droppedRecords, refused);
  t.equal(reports.length, 1);
  t.match(reports[0], /cannot keep up/);
  // once the pipe is read, everything accepted arrives, in order
  const reading = slowReader(reader, 64 * 1024);
  await flushed(d);
  t.equal(reading.stop().toString(), kept.join(''));
  closeSync(fd);
  closeSync(reader);
});

t.test('at exit, a full pipe is waited for, a stalled one given up with a report, and a failure reported', async (t) => {
  const { path, reader } = fifo();
  const reading = slowReader(reader, 8192);
  const body = (n: number) => `for (let i = 0; i < ${n}; i++) d.write('{"i":' + i + ',"pad":"0123456789"}\\n');\nprocess.exit(0);`;
  const full = await child(`{ fd: openSync(${JSON.stringify(path)}, constants.O_WRONLY | constants.O_NONBLOCK), flushMs: 60000 }`, body(8000));
  t.equal(reading.stop().toString(), records(8000, ',"pad":"0123456789"').join(''), 'a slow reader gets it all, in order');
  t.equal(full, '');
  closeSync(reader);

  const stalled = fifo();
  const start = Date.now();
  const given = await child(`{ fd: openSync(${JSON.stringify(stalled.path)}, 'r+'), flushMs: 60000, exitWaitMs: 200 }`, body(20_000));
  t.ok(Date.now() - start < 10_000, 'the process ends');
  t.match(given, /^kmipd: the log could not be written at exit \(\d+ blocks left\); records are being dropped\n$/);
  closeSync(stalled.reader);

  const broken = await child(`{ fd: 1000, flushMs: 60000 }`, body(10));
  t.equal(broken, 'kmipd: the log could not be written (EBADF); records are being dropped\n');
});
