// Test helper: kmipd as a separate process (`kmipd serve`), for signals and crashes.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly port: number;
  /** stdout so far (pino JSON lines). */
  output(): string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs `kmipd serve` from the sources (tsx) in `cwd` with `env`; resolves once it listens. */
export function startServerProcess(cwd: string, env: Record<string, string>): Promise<ServerProcess> {
  // The loader is named by its resolved URL: the server runs in another working directory.
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), `${ROOT}src/cli/kmipd.ts`, 'serve'], {
    cwd,
    env: { ...process.env, KMIPD_HOST: '127.0.0.1', KMIPD_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`kmipd did not start: ${err}${out}`)), 60_000);
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /"port":(\d+)[^\n]*"msg":"kmipd listening"/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]), output: () => out, exited });
      }
    });
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`kmipd exited with ${code}: ${err}${out}`));
    });
  });
}
