// The conformance runner's output: a PASS / FAIL / ERROR line per file, a summary line, a JSON summary, and the
// exit code (0 all passed, 1 some failed, 2 the runner could not judge a file).
import type { FileResult, StepRecord } from './runner.js';

/** Control characters of a server's text must not break the one-line-per-file format. */
function oneLine(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function fileLine(r: FileResult): string {
  switch (r.status) {
    case 'pass':
      return `PASS ${r.file}`;
    case 'fail': {
      const f = r.failure;
      if (f === undefined) return `FAIL ${r.file}`;
      return oneLine(`FAIL ${r.file}: ${f.path} expected ${f.expected} got ${f.got} (step ${f.step})`);
    }
    case 'error':
      return oneLine(`ERROR ${r.file}: ${r.error?.message ?? 'runner error'}`);
  }
}

export function stepLines(record: StepRecord): string[] {
  const head = `  step ${record.step} ${record.operations.join(', ')}: ${record.ok ? 'ok' : 'differs'} (${record.ms} ms)`;
  return [head, ...record.notes.map((n) => oneLine(`    permitted: ${n}`))];
}

export interface Summary {
  readonly passed: number;
  readonly failed: number;
  readonly errors: number;
}

export function summarize(results: readonly FileResult[]): Summary {
  let passed = 0;
  let failed = 0;
  let errors = 0;
  for (const r of results) {
    if (r.status === 'pass') passed++;
    else if (r.status === 'fail') failed++;
    else errors++;
  }
  return { passed, failed, errors };
}

export function summaryLine(s: Summary): string {
  return `${s.passed} passed, ${s.failed} failed${s.errors > 0 ? `, ${s.errors} not run (runner errors)` : ''}`;
}

/** One JSON line: the counts and each file's outcome. */
export function jsonSummary(results: readonly FileResult[]): string {
  const s = summarize(results);
  return JSON.stringify({
    ...s,
    files: results.map((r) => ({
      file: r.file,
      status: r.status,
      steps: r.steps,
      ...(r.failure === undefined ? {} : { failure: r.failure }),
      ...(r.error === undefined ? {} : { error: r.error }),
    })),
  });
}

export function exitCode(results: readonly FileResult[]): number {
  const s = summarize(results);
  if (s.errors > 0) return 2;
  return s.failed > 0 ? 1 : 0;
}
