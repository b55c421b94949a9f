// The checkpoint worker reports a failure once and stops, so the store can fall back to SQLite's own checkpoints.
import t from 'tap';
import { startWalCheckpointer } from '../../src/store/wal-checkpointer.js';

t.test('a worker that cannot open the database reports it once, then ends', async (t) => {
  const reasons: string[] = [];
  await new Promise<void>((resolve) => {
    startWalCheckpointer('/nonexistent-kmipd-dir/kmipd.db', (reason) => {
      reasons.push(reason);
      resolve();
    });
  });
  await new Promise((resolve) => setTimeout(resolve, 300)); // six checkpoint intervals: no second report
  t.equal(reasons.length, 1, 'one report');
  t.match(reasons[0], /checkpoint worker failed: .*(directory|open)/i, 'it says why');
});
