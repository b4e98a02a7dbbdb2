/**
 * Restart drills: app processes as detached process groups (killed whole, as a process manager
 * would), and throwaway Redis / PostgreSQL servers on free ports, so a drill can stop and restart
 * its own server without touching the run's shared ones (other test files use those in parallel).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { waitUntil } from './server';

const ROOT = path.resolve(__dirname, '../..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.once('error', reject);
  });
}

export interface GroupProc {
  proc: ChildProcess;
  /** The last 20 000 characters of stdout + stderr. */
  output(): string;
  alive(): boolean;
  /** Signals the whole process group; resolves when the leader has exited (SIGKILL after `graceMs`). */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

/** Spawns a command as the leader of its own process group, capturing its output. */
export function spawnGroup(cmd: string, args: string[], env: Record<string, string | undefined>, cwd = ROOT): GroupProc {
  const proc = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  const keep = (d: Buffer) => (out = (out + d.toString()).slice(-20_000));
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  const exited = new Promise<void>((r) => (proc.exitCode !== null ? r() : proc.once('exit', () => r())));
  const alive = () => proc.exitCode === null && proc.signalCode === null;
  const kill = (sig: NodeJS.Signals) => {
    try {
      process.kill(-proc.pid!, sig);
    } catch {
      /* already gone */
    }
  };
  return {
    proc,
    output: () => out,
    alive,
    stop: async (signal = 'SIGTERM', graceMs = 10_000) => {
      kill(signal);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, graceMs)))]);
      clearTimeout(timer);
      // The leader may be gone while a grandchild lingers: SIGKILL the group either way.
      kill('SIGKILL');
      await Promise.race([exited, sleep(2000)]);
    },
  };
}

/** `npm run start:<role>` without npm: tsx on bot/main.ts (tsx forks, hence the process group). */
export function startAppProcess(role: 'web' | 'worker', env: Record<string, string>): GroupProc {
  return spawnGroup(path.join(ROOT, 'node_modules/.bin/tsx'), ['bot/main.ts', `--role=${role}`], { ...process.env, NODE_OPTIONS: '', ...env });
}

/** A private, non-persistent redis-server on `port` (restartable on the same port). */
export async function startPrivateRedis(port: number): Promise<GroupProc> {
  const p = spawnGroup('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], process.env, os.tmpdir());
  await waitUntil(() => p.output().includes('Ready to accept connections') || !p.alive(), 15_000, 50);
  if (!p.alive()) throw new Error(`redis-server did not start on ${port}:\n${p.output()}`);
  return p;
}

export function redisCli(port: number, ...args: string[]): string {
  return execFileSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8', timeout: 10_000 });
}

/** Where initdb / pg_ctl live: PG_BIN, the newest /usr/lib/postgresql/<v>/bin, or PATH. */
export function findPgBin(): string | undefined {
  const candidates = [process.env.PG_BIN];
  try {
    const versions = fs.readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => `/usr/lib/postgresql/${v}/bin`));
  } catch {
    /* not a Debian layout */
  }
  for (const dir of candidates) if (dir && fs.existsSync(path.join(dir, 'initdb')) && fs.existsSync(path.join(dir, 'pg_ctl'))) return dir;
  for (const dir of (process.env.PATH ?? '').split(':')) if (fs.existsSync(path.join(dir, 'initdb')) && fs.existsSync(path.join(dir, 'pg_ctl'))) return dir;
  return undefined;
}

/** Why a throwaway cluster cannot be made here (no binaries; root without a `postgres` user), or null. */
export function throwawayPostgresUnavailable(): string | null {
  if (!findPgBin()) return 'initdb / pg_ctl not found (install postgresql or set PG_BIN)';
  if (process.getuid?.() === 0) {
    try {
      execFileSync('id', ['-u', 'postgres'], { stdio: 'pipe' });
    } catch {
      return 'running as root and there is no postgres OS user to run initdb as';
    }
  }
  return null;
}

export interface ThrowawayPostgres {
  port: number;
  dir: string;
  url(db?: string): string;
  start(): void;
  /** `pg_ctl stop -m <mode>` (immediate = a crash: no checkpoint, clients cut off). */
  stop(mode?: 'fast' | 'immediate'): void;
  /** Stops the server if running and removes its directory. */
  destroy(): void;
}

/**
 * A private PostgreSQL cluster in a temp directory. PostgreSQL refuses to run as root, so when we are
 * root initdb and pg_ctl run as the `postgres` OS user. Throws when the binaries or that user are missing.
 */
export function createThrowawayPostgres(port: number): ThrowawayPostgres {
  const bin = findPgBin();
  if (!bin) throw new Error('initdb / pg_ctl not found (set PG_BIN)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgdrill-'));
  const asRoot = process.getuid?.() === 0;
  const run = (args: string[]) => {
    const cmd = [path.join(bin, args[0]), ...args.slice(1)].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    if (asRoot) execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', cmd], { stdio: 'pipe', timeout: 120_000 });
    else execFileSync('/bin/sh', ['-c', cmd], { stdio: 'pipe', timeout: 120_000 });
  };
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    fs.chownSync(dir, uid, gid);
  }
  const data = path.join(dir, 'data');
  const log = path.join(dir, 'server.log');
  try {
    run(['initdb', '-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const running = () => fs.existsSync(path.join(data, 'postmaster.pid'));
  const pg: ThrowawayPostgres = {
    port,
    dir,
    url: (db = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${db}`,
    // -w waits until the server accepts connections; fsync off: a drill cluster needs no durability
    // against power loss, only against a process crash (which immediate mode is).
    start: () => run(['pg_ctl', '-D', data, '-l', log, '-w', '-t', '60', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']),
    stop: (mode = 'fast') => run(['pg_ctl', '-D', data, '-m', mode, '-w', '-t', '60', 'stop']),
    destroy: () => {
      try {
        if (running()) pg.stop('immediate');
      } catch {
        /* already stopped */
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return pg;
}
