/**
 * PgBouncer in front of the test PostgreSQL, started by the tests themselves on a free loopback
 * port: a temp config with `auth_type = trust`, stopped by PID. Two setups, as hosted PostgreSQL
 * offers them: transaction pooling (Neon's and Supabase's pooled strings) and session pooling with
 * two server connections for the whole database, the smallest pool a migrator can live with.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sequelize } from 'sequelize';
import { SERVERS } from './databases';
import { freePort, stopOnExit, stopPid, waitUntil, which } from './servers';

export type PoolMode = 'transaction' | 'session';

export interface Bouncer {
  readonly mode: PoolMode;
  readonly port: number;
  /** Stops PgBouncer and removes its files. */
  stop(): Promise<void>;
}

/** Starts PgBouncer; rejects with why when it is not installed or does not answer. */
export async function startPgBouncer(mode: PoolMode): Promise<Bouncer> {
  const binary = which('pgbouncer');
  if (!binary) throw new Error('pgbouncer is not installed (apt-get install -y pgbouncer)');
  const dir = mkdtempSync(join(tmpdir(), `am-pgbouncer-${mode}-`));
  // PgBouncer refuses to run as root: it runs as `postgres` when we are root, and writes its log
  // and pid file here.
  chmodSync(dir, 0o777);
  const port = await freePort();
  const pool = mode === 'session' ? 'default_pool_size = 2\nmax_db_connections = 2\nreserve_pool_size = 0' : 'default_pool_size = 20';
  writeFileSync(join(dir, 'userlist.txt'), `"${SERVERS.postgres.username}" ""\n`);
  writeFileSync(
    join(dir, 'pgbouncer.ini'),
    `[databases]
* = host=${SERVERS.postgres.host} port=${SERVERS.postgres.port}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${port}
unix_socket_dir =
auth_type = trust
auth_file = ${join(dir, 'userlist.txt')}
pool_mode = ${mode}
${pool}
max_client_conn = 500
ignore_startup_parameters = extra_float_digits,options
pidfile = ${join(dir, 'pgbouncer.pid')}
logfile = ${join(dir, 'pgbouncer.log')}
`,
  );
  const asRoot = process.getuid?.() === 0;
  const child = spawn(binary, [...(asRoot ? ['-u', 'postgres'] : []), join(dir, 'pgbouncer.ini')], { stdio: 'ignore', detached: false });
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`pgbouncer exited with ${code}: ${log(dir)}`))));
  exited.catch(() => undefined);
  const forget = stopOnExit(child.pid);
  const stop = async () => {
    forget();
    await stopPid(child.pid);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await Promise.race([
      exited,
      waitUntil(`pgbouncer (${mode}) on port ${port}`, 30_000, async () => {
        const probe = new Sequelize({ ...bouncedOptions(port, SERVERS.postgres.adminDatabase), pool: { max: 1 } });
        try {
          await probe.query('SELECT 1');
        } finally {
          await probe.close();
        }
      }),
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { mode, port, stop };
}

/** Sequelize options for `database` through PgBouncer on `port`, with Sequelize's default pool. */
export function bouncedOptions(port: number, database: string): import('sequelize').Options {
  const s = SERVERS.postgres;
  return { dialect: 'postgres', host: '127.0.0.1', port, username: s.username, password: s.password, database, logging: false };
}

function log(dir: string): string {
  try {
    return readFileSync(join(dir, 'pgbouncer.log'), 'utf8').slice(-2000);
  } catch {
    return '(no log)';
  }
}
