// The server process's GC setting: applied at start-up, unless the process was started with its own.
import { execFile } from 'node:child_process';
import t from 'tap';
import { HEAP_GROWING_PERCENT, tuneHeap } from '../src/heap-tuning.js';

t.test('applied when the process has no setting of its own, left alone when it has', (t) => {
  t.equal(tuneHeap([]), true);
  t.equal(tuneHeap(['--heap-growing-percent=50']), false);
  t.equal(tuneHeap(['--heap_growing_percent=50']), false);
  t.equal(HEAP_GROWING_PERCENT, 300);
  t.end();
});

t.test('V8 takes the flag at run time: fewer full collections under slow promotion', async (t) => {
  // A child with ~25 MB live whose objects each outlive the young generation and then die, promoted slowly (the
  // mutator computes between allocations, as a server does between requests): V8 then picks a growing factor
  // near 1, and starts a full collection every ~10 MB promoted; with the factor, every ~75 MB.
  const program = `
    const { setFlagsFromString } = require('node:v8');
    const { PerformanceObserver, constants } = require('node:perf_hooks');
    if (process.argv[1] === 'tune') setFlagsFromString('--heap-growing-percent=${HEAP_GROWING_PERCENT}');
    const live = Array.from({ length: 200000 }, (_, i) => ({ i, s: 'live-' + i }));
    let majors = 0;
    new PerformanceObserver((l) => { for (const e of l.getEntries()) if (e.detail.kind === constants.NODE_PERFORMANCE_GC_MAJOR) majors++; }).observe({ entryTypes: ['gc'] });
    const ring = new Array(50000);
    let x = 0, n = 0;
    const step = () => {
      for (let i = 0; i < 5000; i++, n++) {
        ring[n % ring.length] = { n, s: 'x' + n, a: [i, n] };
        for (let k = 0; k < 6000; k++) x = (x * 31 + k) | 0;
      }
      if (n < 300000) setImmediate(step); else setTimeout(() => console.log(JSON.stringify({ majors, x: x & 1, live: live.length })), 20);
    };
    step();`;
  const run = (mode: string): Promise<{ majors: number }> =>
    new Promise((resolve, reject) => {
      execFile(process.execPath, ['--max-semi-space-size=1', '-e', program, mode], { encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
        if (error) reject(new Error(`${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout) as { majors: number });
      });
    });
  const [plain, tuned] = await Promise.all([run('plain'), run('tune')]);
  t.comment(`full collections: ${plain.majors} with V8's own factor, ${tuned.majors} with ${1 + HEAP_GROWING_PERCENT / 100}`);
  t.ok(tuned.majors < plain.majors, 'fewer full collections with the factor');
});
