// The logger's last line of defence: secret-named fields are censored even if a record ever carried one.
import { Writable } from 'node:stream';
import t from 'tap';
import { createLogger } from '../src/log.js';

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
