// The logger's last line of defence: secret-named fields are censored even if a record ever carried one.
import { Writable } from 'node:stream';
import t from 'tap';
import { createLogger, LogAudit } from '../src/log.js';
import type { BatchItemAudit } from '../src/protocol/audit.js';

t.test('secret fields are redacted', (t) => {
  const lines: string[] = [];
  const sink = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
  const log = createLogger('info', sink);
  log.info({ password: 'hunter2', pin: '1234', keyMaterial: 'c0ffee', authentication: { u: 'x' }, uid: 'abc' }, 'test');
  const text = lines.join('');
  for (const secret of ['hunter2', '1234', 'c0ffee', '"u"']) t.notOk(text.includes(secret), `${secret} censored`);
  t.ok(text.includes('"uid":"abc"'), 'other fields kept');
  t.end();
});

t.test('a batch-item record is the line pino would write, and follows the level', (t) => {
  const lines: string[] = [];
  const sink = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
  const log = createLogger('info', sink);
  const audit = new LogAudit(log);
  const records: BatchItemAudit[] = [
    {
      connectionId: 7, peer: '[::1]:5000', identity: 'CN="quoted" \\ back', version: '1.4', operation: 'Get',
      uniqueIdentifiers: ['a', 'ü\u0000\n'], status: 'Success', durationMs: 0.123456789, serverCorrelationValue: 's-1',
    },
    {
      connectionId: 8, peer: '127.0.0.1:1', identity: 'alice', version: '2.1', operation: '0x7f', uniqueIdentifiers: [],
      status: 'OperationFailed', reason: 'ItemNotFound', message: 'no object "x"', durationMs: 12,
      clientCorrelationValue: '\u2028', serverCorrelationValue: 's-2',
    },
    // the connection of the first record again, now in another version: its cached fields follow
    {
      connectionId: 7, peer: '[::1]:5000', identity: 'CN="quoted" \\ back', version: '2.0', operation: 'Locate',
      uniqueIdentifiers: ['b'], status: 'Success', durationMs: 1, serverCorrelationValue: 's-3',
    },
  ];
  for (const r of records) {
    audit.batchItem(r);
    log.info({ audit: 'batch-item', ...r }, 'kmip request');
  }
  t.equal(lines.length, 6);
  for (let i = 0; i < lines.length; i += 2) {
    const ours = JSON.parse(lines[i]!) as Record<string, unknown>;
    const pinos = JSON.parse(lines[i + 1]!) as Record<string, unknown>;
    t.match(ours.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    t.strictSame(Object.keys(ours), Object.keys(pinos), 'same fields in the same order');
    t.strictSame({ ...ours, time: 0 }, { ...pinos, time: 0 }, 'same values');
    t.ok(lines[i]!.endsWith('}\n'), 'one line');
  }
  const quiet: string[] = [];
  const warnOnly = new LogAudit(createLogger('warn', new Writable({ write(chunk, _enc, cb) { quiet.push(String(chunk)); cb(); } })));
  warnOnly.batchItem(records[0]!);
  t.equal(quiet.length, 0, 'nothing at level warn');
  t.end();
});
