// Writes the answers of one busy turn of the event loop together, at its end (node's check phase; KMIP 1.4 §10:
// answers stay in order per connection, so holding one for the rest of a turn changes nothing a client sees).
/**
 * Why: on a 2-core machine whose clients are local, a status poll's socket write was ~half of its event-loop
 * time, and much of that was the kernel waking a client CPU that had gone idle. When many connections are served
 * in one turn, writing their answers back to back wakes it once per turn instead of once per answer (poll on 16
 * connections: ~30,000 → ~35,000/s). With few connections it costs latency instead: holding every answer made
 * poll on 4 connections 6 % slower, and holding the Gets the unseal worker answered cost 5–12 % on 16, so only
 * answers made at once (before any other request arrived) are held, and only after a turn that read from
 * HOLD_MIN connections.
 */
const HOLD_MIN = 4;

/** Data events (reads) of every connection so far. */
let reads = 0;
/** Reads in this turn so far, and in the last turn that had any. */
let turnReads = 0;
let lastTurnReads = 0;
let turnEndSet = false;
let waiting: (() => void)[] = [];
let heldTotal = 0;

function setTurnEnd(): void {
  if (turnEndSet) return;
  turnEndSet = true;
  setImmediate(endTurn);
}

function endTurn(): void {
  turnEndSet = false;
  lastTurnReads = turnReads;
  turnReads = 0;
  const go = waiting;
  waiting = [];
  for (const resolve of go) resolve();
}

/** A connection read data: counts toward this turn. */
export function noteRead(): void {
  reads++;
  turnReads++;
  setTurnEnd();
}

/** A mark to give shouldHold() once the answer is made. */
export function readMark(): number {
  return reads;
}

/**
 * Whether an answer begun at `mark` should wait for the end of the turn: it was made before any other read
 * (so it did not wait for a worker or the disk), and the last turn was busy.
 */
export function shouldHold(mark: number): boolean {
  return mark === reads && lastTurnReads >= HOLD_MIN;
}

/** Resolves at the end of this turn, after the reads of it are served. */
export function untilTurnEnd(): Promise<void> {
  heldTotal++;
  return new Promise((resolve) => {
    waiting.push(resolve);
    setTurnEnd();
  });
}

/** Answers held so far (tests: that the held path ran). */
export function heldAnswers(): number {
  return heldTotal;
}
