// The server benchmark's options: flags first, then BENCH_* variables, then defaults (a full run of ~15 minutes).
export interface BenchOptions {
  readonly warmupMs: number;
  readonly durationMs: number;
  /** Persistent connections per cell for get, poll, create, mixed. */
  readonly concurrency: readonly number[];
  readonly locateConcurrency: readonly number[];
  readonly connectConcurrency: readonly number[];
  /** Store sizes for Locate on kmipd; PyKMIP runs only the first (1k). */
  readonly locateSizes: readonly number[];
  readonly workloads: readonly string[];
  /** 'kmipd' and 'pykmip': a run without PyKMIP prints no ratio and says so. */
  readonly servers: readonly string[];
  readonly protocol: string;
  readonly tlsVersion: 'TLSv1.2' | 'TLSv1.3';
  /** Keys made on each server before the run (Get and poll pick among them). */
  readonly keys: number;
  /** Connections for the paced cells at half the peak throughput. */
  readonly pacedConcurrency: number;
  /** `node --cpu-prof` on the kmipd child; the profile lands in this directory. */
  readonly profileDir?: string;
  readonly keepDir: boolean;
  /** An external KMIP server to drive instead of the servers this run starts (kmipd elsewhere, or any other). */
  readonly target?: ExternalTarget;
}

/** `--target host:port`: no server is started, so there is no ratio, no ceiling and no in-server figure. */
export interface ExternalTarget {
  readonly host: string;
  readonly port: number;
  /** Directory holding ca.crt (the server's CA) and CLIENT.crt / CLIENT.key (this client's certificate). */
  readonly certs: string;
  readonly client: string;
  /** The name the server's certificate is checked against. */
  readonly servername: string;
}

export const ALL_WORKLOADS = ['get', 'poll', 'locate', 'create', 'mixed', 'connect', 'paced'] as const;

const USAGE = `node dist/bench/server.js [--quick] [--seconds S] [--warmup S] [--concurrency 1,4,16,64]
  [--workloads ${ALL_WORKLOADS.join(',')}] [--locate-sizes 1000,100000,1000000] [--servers kmipd,pykmip]
  [--protocol 1.2] [--tls 1.2|1.3] [--keys 1000] [--profile DIR] [--keep]
  [--target HOST:PORT --target-certs DIR [--target-client alice] [--target-servername localhost]]
Environment: BENCH_SECONDS, BENCH_WARMUP, BENCH_CONCURRENCY, BENCH_WORKLOADS, BENCH_LOCATE_SIZES, BENCH_SERVERS,
BENCH_TARGET, BENCH_TARGET_CERTS, BENCH_TARGET_CLIENT, BENCH_TARGET_SERVERNAME.`;

const list = (s: string): number[] => s.split(',').filter((x) => x !== '').map((x) => {
  const n = Number(x);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`not a positive integer: ${x}\n${USAGE}`);
  return n;
});

export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): BenchOptions {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--quick' || a === '--keep') flags.set(a.slice(2), 'true');
    else if (a === '--help') throw new Error(USAGE);
    else if (a.startsWith('--') && argv[i + 1] !== undefined) flags.set(a.slice(2), argv[++i]!);
    else throw new Error(`unexpected argument ${a}\n${USAGE}`);
  }
  const quick = flags.has('quick');
  const get = (flag: string, variable: string, def: string): string => flags.get(flag) ?? env[variable] ?? def;
  const workloads = get('workloads', 'BENCH_WORKLOADS', ALL_WORKLOADS.join(',')).split(',');
  for (const w of workloads) if (!(ALL_WORKLOADS as readonly string[]).includes(w)) throw new Error(`unknown workload ${w}\n${USAGE}`);
  const target = parseTarget(get('target', 'BENCH_TARGET', ''), get('target-certs', 'BENCH_TARGET_CERTS', ''),
    get('target-client', 'BENCH_TARGET_CLIENT', 'alice'), get('target-servername', 'BENCH_TARGET_SERVERNAME', 'localhost'));
  const servers = get('servers', 'BENCH_SERVERS', target === undefined ? 'kmipd,pykmip' : 'kmipd').split(',');
  if (!servers.includes('kmipd')) throw new Error('--servers must include kmipd');
  if (target !== undefined && servers.includes('pykmip')) {
    throw new Error('--target drives one external server: a ratio to a PyKMIP started here would compare two machines');
  }
  if (target !== undefined && (flags.has('profile') || env.BENCH_PROFILE !== undefined)) {
    throw new Error('--profile profiles the kmipd this run starts: with --target, profile the server where it runs');
  }
  const tls = get('tls', 'BENCH_TLS', '1.2');
  if (tls !== '1.2' && tls !== '1.3') throw new Error(`--tls is 1.2 or 1.3\n${USAGE}`);
  const concurrency = list(get('concurrency', 'BENCH_CONCURRENCY', quick ? '1,4' : '1,4,16,64'));
  return {
    warmupMs: Number(get('warmup', 'BENCH_WARMUP', quick ? '0.5' : '1')) * 1000,
    durationMs: Number(get('seconds', 'BENCH_SECONDS', quick ? '2' : '4')) * 1000,
    concurrency,
    locateConcurrency: list(get('locate-concurrency', 'BENCH_LOCATE_CONCURRENCY', quick ? '1' : '1,16')),
    connectConcurrency: list(get('connect-concurrency', 'BENCH_CONNECT_CONCURRENCY', quick ? '1,4' : '1,4,16')),
    locateSizes: list(get('locate-sizes', 'BENCH_LOCATE_SIZES', quick ? '1000,20000' : '1000,100000,1000000')),
    workloads,
    servers,
    protocol: get('protocol', 'BENCH_PROTOCOL', '1.2'),
    tlsVersion: tls === '1.3' ? 'TLSv1.3' : 'TLSv1.2',
    keys: Number(get('keys', 'BENCH_KEYS', '1000')),
    pacedConcurrency: Number(get('paced-concurrency', 'BENCH_PACED_CONCURRENCY', String(Math.min(16, Math.max(...concurrency))))),
    profileDir: flags.get('profile') ?? env.BENCH_PROFILE,
    keepDir: flags.has('keep'),
    ...(target !== undefined && { target }),
  };
}

function parseTarget(address: string, certs: string, client: string, servername: string): ExternalTarget | undefined {
  if (address === '') {
    if (certs !== '') throw new Error(`--target-certs without --target\n${USAGE}`);
    return undefined;
  }
  // host:port, or [v6 address]:port
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(address);
  const port = m === null ? NaN : Number(m[3]);
  if (m === null || !Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`--target is HOST:PORT, not ${address}\n${USAGE}`);
  if (certs === '') throw new Error(`--target needs --target-certs DIR (ca.crt, ${client}.crt, ${client}.key)\n${USAGE}`);
  return { host: m[1] ?? m[2]!, port, certs, client, servername };
}
