// `kmipd conformance`: replays OASIS KMIP test-case XML files against a running server over mTLS and judges each
// response under the permitted variations (KMIP Profiles §4.7).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { exitCode, fileLine, jsonSummary, stepLines, summarize, summaryLine } from '../conformance/report.js';
import { runFile, type RunOptions } from '../conformance/runner.js';
import { parseArgs, UsageError, type ParsedArgs } from './args.js';

export const CONFORMANCE_USAGE = `usage: kmipd conformance [options] FILE|DIR ...
Replays each OASIS KMIP test-case file (DIR: every *.xml below it, sorted) on its own TLS connection and prints
PASS or FAIL (the first differing field and step) per file, then "N passed, M failed".
  --host H            server host (default 127.0.0.1)
  --port N            server port (default 5696)
  --cert F --key F    client certificate and key, PEM (default certs/alice.crt, certs/alice.key)
  --ca F              CA of the server certificate, PEM (default certs/ca.crt)
  --server-name N     name the server certificate must carry (default localhost)
  --timeout S         seconds to wait for a connection or a response (default 30)
  --strict-query      Query's Operation and Object Type lists must hold every item the file lists (by default
                      only those the file's own requests use: the profiles require no others, 4.7.1)
  --verbose           print every step and each permitted variation used
  --json              end with one JSON line summarising every file
Exit code: 0 all passed, 1 some failed, 2 usage error, unreachable server or a file that cannot be replayed.`;

export interface ConformanceIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

const processIo: ConformanceIo = {
  out: (line) => void process.stdout.write(`${line}\n`),
  err: (line) => void process.stderr.write(`${line}\n`),
};

const VALUE_OPTIONS = ['host', 'port', 'cert', 'key', 'ca', 'server-name', 'timeout'] as const;
const FLAGS = ['verbose', 'json', 'strict-query', 'help'] as const;

export async function runConformance(argv: string[], io: ConformanceIo = processIo): Promise<number> {
  let options: RunOptions;
  let files: string[];
  let verbose: boolean;
  let json: boolean;
  try {
    const args = parseArgs(argv, FLAGS);
    for (const name of args.options.keys()) {
      if (!(VALUE_OPTIONS as readonly string[]).includes(name) && !(FLAGS as readonly string[]).includes(name)) {
        throw new UsageError(`unknown option --${name}`);
      }
    }
    if (args.options.has('help')) {
      io.out(CONFORMANCE_USAGE);
      return 0;
    }
    if (args.positional.length === 0) throw new UsageError('no FILE or DIR given');
    const port = Number(last(args, 'port') ?? '5696');
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`--port must be 1..65535, not ${last(args, 'port')}`);
    const timeout = Number(last(args, 'timeout') ?? '30');
    if (!Number.isFinite(timeout) || timeout <= 0) throw new UsageError(`--timeout must be a positive number of seconds`);
    verbose = args.options.has('verbose');
    json = args.options.has('json');
    files = args.positional.flatMap((p) => expand(p));
    if (files.length === 0) throw new UsageError(`no *.xml files in ${args.positional.join(' ')}`);
    options = {
      host: last(args, 'host') ?? '127.0.0.1',
      port,
      certFile: last(args, 'cert') ?? 'certs/alice.crt',
      keyFile: last(args, 'key') ?? 'certs/alice.key',
      caFile: last(args, 'ca') ?? 'certs/ca.crt',
      serverName: last(args, 'server-name') ?? 'localhost',
      timeoutMs: Math.round(timeout * 1000),
      strictQueryLists: args.options.has('strict-query'),
      ...(verbose ? { onStep: (_file: string, record) => stepLines(record).forEach((l) => io.out(l)) } : {}),
    } satisfies RunOptions;
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`kmipd conformance: ${e.message}\n${CONFORMANCE_USAGE}`);
      return 2;
    }
    throw e;
  }

  const results = [];
  for (const file of files) {
    if (verbose) io.out(`${file}`);
    const result = await runFile(file, options);
    results.push(result);
    io.out(fileLine(result));
  }
  io.out(summaryLine(summarize(results)));
  if (json) io.out(jsonSummary(results));
  return exitCode(results);
}

function last(args: ParsedArgs, name: string): string | undefined {
  const values = args.options.get(name);
  return values === undefined ? undefined : values[values.length - 1];
}

/** A file as given; a directory as every *.xml below it, sorted by path. */
function expand(path: string): string[] {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    throw new UsageError(`no such file or directory: ${path}`);
  }
  if (!isDir) return [path];
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.xml')) out.push(p);
    }
  };
  walk(path);
  return out.sort();
}
