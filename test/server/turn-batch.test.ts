// The turn batch's rules, turn by turn (src/server/turn-batch.ts); over real TLS in tls-connection.test.ts.
import t from 'tap';
import { heldAnswers, noteRead, readMark, shouldHold, untilTurnEnd } from '../../src/server/turn-batch.js';

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

t.test('answers are held only after a busy turn, and only when made before another read', async (t) => {
  noteRead();
  await nextTurn();
  t.notOk(shouldHold(readMark()), 'after a turn with one read: written at once');

  for (let i = 0; i < 4; i++) noteRead();
  await nextTurn();
  const mark = readMark();
  t.ok(shouldHold(mark), 'after a turn with four reads: held');
  noteRead();
  t.notOk(shouldHold(mark), 'an answer that waited while another request was read: written at once');
  await nextTurn();
  t.notOk(shouldHold(readMark()), 'a quiet turn again: written at once');
});

t.test('a held answer waits for the end of the turn, even when no read started the turn', async (t) => {
  const before = heldAnswers();
  const order: string[] = [];
  const held = untilTurnEnd().then(() => order.push('held'));
  queueMicrotask(() => order.push('same turn'));
  await held;
  t.same(order, ['same turn', 'held']);
  t.equal(heldAnswers(), before + 1);
});
