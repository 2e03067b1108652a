/**
 * A 3-node MariaDB Galera cluster on loopback, started by the tests from the installed MariaDB
 * (provider /usr/lib/galera/libgalera_smm.so): one datadir made by mariadb-install-db and copied
 * for the other nodes, each node its own ports, the first started with --wsrep-new-cluster; ready
 * when every node reports wsrep_cluster_size=3 and Synced. Stopped by PID. Joiners receive the
 * state by rsync; rsync's daemon drops root privileges to `nobody`, so as root the nodes run as
 * the `mysql` user.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sequelize, type Options } from 'sequelize';
import { freePort, stopOnExit, stopPid, waitUntil, which } from './servers';

export const GALERA_PROVIDER = '/usr/lib/galera/libgalera_smm.so';

export interface GaleraCluster {
  /** The nodes' SQL ports, node 1 first. */
  readonly ports: readonly number[];
  /** Sequelize options for `database` on node `i` (0-based). */
  options(i: number, database: string): Options;
  stop(): Promise<void>;
}

interface NodePorts {
  sql: number;
  gcomm: number;
  ist: number;
  sst: number;
}

export async function startGalera(nodes = 3): Promise<GaleraCluster> {
  const mariadbd = which('mariadbd');
  const installDb = which('mariadb-install-db');
  if (!mariadbd || !installDb) throw new Error('MariaDB (mariadbd, mariadb-install-db) is not installed');
  if (!existsSync(GALERA_PROVIDER)) throw new Error(`the Galera provider ${GALERA_PROVIDER} is not installed (galera-4)`);
  if (!which('rsync')) throw new Error('rsync is not installed (Galera state transfer)');
  const dir = mkdtempSync(join(tmpdir(), 'am-galera-'));
  chmodSync(dir, 0o777);
  const user = process.getuid?.() === 0 ? 'mysql' : (process.env.USER ?? 'root');
  const installed = spawnSync(
    installDb,
    ['--no-defaults', `--datadir=${join(dir, 'n0')}`, `--user=${user}`, '--auth-root-authentication-method=normal', '--skip-test-db'],
    { encoding: 'utf8' },
  );
  if (installed.status !== 0) throw new Error(`mariadb-install-db failed: ${installed.stderr.slice(-1000)}`);
  for (let i = 1; i < nodes; i++) cpSync(join(dir, 'n0'), join(dir, `n${i}`), { recursive: true, preserveTimestamps: true });
  if (user === 'mysql') spawnSync('chown', ['-R', 'mysql:mysql', dir]);
  const ports: NodePorts[] = [];
  for (let i = 0; i < nodes; i++) ports.push({ sql: await freePort(), gcomm: await freePort(), ist: await freePort(), sst: await freePort() });
  const address = `gcomm://${ports.map((p) => `127.0.0.1:${p.gcomm}`).join(',')}`;
  const children: ChildProcess[] = [];
  const forgets: (() => void)[] = [];
  const start = (i: number, extra: string[]) => {
    const p = ports[i];
    const args = [
      '--no-defaults',
      `--datadir=${join(dir, `n${i}`)}`,
      `--user=${user}`,
      `--port=${p.sql}`,
      `--socket=${join(dir, `n${i}.sock`)}`,
      '--bind-address=127.0.0.1',
      `--pid-file=${join(dir, `n${i}.pid`)}`,
      `--log-error=${join(dir, `n${i}.err`)}`,
      '--skip-name-resolve',
      '--innodb-buffer-pool-size=32M',
      '--innodb-log-file-size=16M',
      '--performance-schema=OFF',
      '--binlog-format=ROW',
      '--default-storage-engine=InnoDB',
      '--innodb-autoinc-lock-mode=2',
      '--wsrep-on=ON',
      `--wsrep-provider=${GALERA_PROVIDER}`,
      '--wsrep-cluster-name=automigrate-test',
      `--wsrep-cluster-address=${address}`,
      `--wsrep-node-address=127.0.0.1:${p.gcomm}`,
      `--wsrep-node-name=n${i}`,
      `--wsrep-provider-options=base_port=${p.gcomm};ist.recv_addr=127.0.0.1:${p.ist};gmcast.listen_addr=tcp://127.0.0.1:${p.gcomm}`,
      '--wsrep-sst-method=rsync',
      `--wsrep-sst-receive-address=127.0.0.1:${p.sst}`,
      ...extra,
    ];
    const child = spawn(mariadbd, args, { stdio: 'ignore' });
    children.push(child);
    forgets.push(stopOnExit(child.pid));
  };
  const options = (i: number, database: string): Options => ({
    dialect: 'mysql',
    host: '127.0.0.1',
    port: ports[i].sql,
    username: 'root',
    password: '',
    database,
    logging: false,
  });
  const status = async (i: number) => {
    const probe = new Sequelize({ ...options(i, 'mysql'), pool: { max: 1 } });
    try {
      const [rows] = (await probe.query(
        "SHOW STATUS WHERE Variable_name IN ('wsrep_cluster_size', 'wsrep_local_state_comment')",
      )) as [{ Variable_name: string; Value: string }[], unknown];
      return Object.fromEntries(rows.map((r) => [r.Variable_name, r.Value]));
    } finally {
      await probe.close();
    }
  };
  const stop = async () => {
    for (const forget of forgets) forget();
    await Promise.all(children.map((c) => stopPid(c.pid, 30_000)));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    start(0, ['--wsrep-new-cluster']);
    await waitUntil('Galera node 1', 60_000, () => status(0));
    for (let i = 1; i < nodes; i++) start(i, []);
    await waitUntil(`a ${nodes}-node Galera cluster`, 120_000, async () => {
      for (let i = 0; i < nodes; i++) {
        const s = await status(i);
        if (Number(s.wsrep_cluster_size) !== nodes || s.wsrep_local_state_comment !== 'Synced') {
          throw new Error(`node ${i + 1}: size ${s.wsrep_cluster_size}, ${s.wsrep_local_state_comment}`);
        }
      }
    });
  } catch (error) {
    const log = existsSync(join(dir, 'n1.err')) ? readFileSync(join(dir, 'n1.err'), 'utf8').slice(-1500) : '';
    await stop();
    throw new Error(`${(error as Error).message}\n${log}`);
  }
  return { ports: ports.map((p) => p.sql), options, stop };
}

/** A fresh database on the cluster (created on node 1, replicated), dropped afterwards. */
export async function withClusterDatabase<T>(cluster: GaleraCluster, fn: (database: string) => Promise<T>): Promise<T> {
  const database = `am_galera_${process.pid}_${Math.random().toString(16).slice(2, 10)}`;
  const admin = new Sequelize({ ...cluster.options(0, 'mysql'), pool: { max: 1 } });
  await admin.query(`CREATE DATABASE \`${database}\``);
  try {
    return await fn(database);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS \`${database}\``).catch(() => undefined);
    await admin.close().catch(() => undefined);
  }
}
