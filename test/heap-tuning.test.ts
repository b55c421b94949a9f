// The server process's GC setting: applied at start-up, unless the process was started with its own.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { HEAP_GROWING_PERCENT, tuneHeap } from '../src/heap-tuning.js';

t.test('applied when the process has no setting of its own, left alone when it has', (t) => {
  t.equal(tuneHeap([]), true);
  t.equal(tuneHeap(['--heap-growing-percent=50']), false);
  t.equal(tuneHeap(['--heap_growing_percent=50']), false);
  t.equal(HEAP_GROWING_PERCENT, 300);
  t.end();
});

/** The factor V8 applied when it last set the old generation's limit, from its own trace of a full collection. */
function limitFactor(setup: string): number {
  const program = `${setup}
    const live = Array.from({ length: 200000 }, (_, i) => ({ i, s: 'live-' + i }));
    globalThis.gc();
    globalThis.gc();
    console.log(live.length);`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '--expose-gc', '--trace-gc-verbose', '-e', program], { encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) throw new Error(r.stderr);
  // "[HeapController] Limit: old size: 10627 KB, new limit: 46536 KB (4.0)"
  const factors = [...r.stdout.matchAll(/\[HeapController\] Limit: .*\((\d+(?:\.\d+)?)\)/g)].map((m) => Number(m[1]));
  if (factors.length === 0) throw new Error(`no limit in V8's trace:\n${r.stdout.slice(0, 2000)}`);
  return factors.at(-1)!;
}

t.test('V8 applies the factor set at run time to the next limit', (t) => {
  const module = JSON.stringify(fileURLToPath(new URL('../src/heap-tuning.ts', import.meta.url)));
  // the readout itself: a factor V8 would never pick on its own shows up as set
  t.equal(limitFactor(`(await import('node:v8')).setFlagsFromString('--heap-growing-percent=50');`), 1.5, 'a factor set at run time is the one applied');
  // V8's own factor is 4.0 in so small a program too: start from 1.5, so that only tuneHeap can make it 4.0
  const tuned = `(await import('node:v8')).setFlagsFromString('--heap-growing-percent=50'); (await import(${module})).tuneHeap([]);`;
  t.equal(limitFactor(tuned), 1 + HEAP_GROWING_PERCENT / 100, "tuneHeap's factor is applied");
  t.end();
});
