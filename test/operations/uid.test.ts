// New Unique Identifiers: UUIDv7 text (RFC 9562 §5.7), strictly increasing in creation order.
import t from 'tap';
import { newUid } from '../../src/operations/uid.js';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

t.test('version 7, variant 10, the millisecond in the first 48 bits', (t) => {
  const ms = Date.now();
  const uid = newUid(ms + 1000);
  t.match(uid, V7);
  t.equal(parseInt(uid.replace(/-/g, '').slice(0, 12), 16), ms + 1000);
  t.end();
});

t.test('strictly increasing: within a millisecond, past 4,096 of them, and when the clock steps back', (t) => {
  const base = Date.now() + 10_000;
  const uids = [newUid(base)];
  for (let i = 0; i < 5000; i++) uids.push(newUid(base)); // more than rand_a can count in one millisecond
  uids.push(newUid(base - 5000)); // the clock stepped back
  uids.push(newUid(base + 2));
  t.ok(uids.every((u) => V7.test(u)), 'every one a v7 UUID');
  const sorted = [...uids].sort();
  t.same(sorted, uids, 'text order is creation order');
  t.equal(new Set(uids).size, uids.length, 'all distinct');
  t.end();
});
