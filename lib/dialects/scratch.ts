/**
 * A scratch database beside the configured one, for `squash` (lib/squash): the migrations run
 * there, never on the user's database. Server dialects create a database on the same server (the
 * user needs CREATE DATABASE); SQLite a temporary file.
 */
import { randomBytes } from 'node:crypto';
import type { Sequelize, Options } from 'sequelize';
import type { ScratchDatabase } from './dialect';

/** A Sequelize like `sequelize` (same server, user, options) on another database or file. */
export function cloneSequelize(sequelize: Sequelize, database: string, overrides: Options = {}): Sequelize {
  const S = sequelize.constructor as unknown as new (d: string, u: string | undefined, p: string | null | undefined, o: Options) => Sequelize;
  const { config } = sequelize;
  const options = (sequelize as unknown as { options: Options }).options;
  return new S(database, config.username, config.password, { ...options, host: config.host, port: Number(config.port) || undefined, logging: false, ...overrides });
}

/** A name no one else uses: `<database>_squash_<random>`, within `max` characters. */
export function scratchName(database: string, max: number): string {
  const suffix = `_squash_${randomBytes(4).toString('hex')}`;
  return `${database.slice(0, Math.max(1, max - suffix.length))}${suffix}`;
}

/**
 * `CREATE DATABASE <name> <extra>` through `sequelize`, a Sequelize on it, and `drop()` closing it
 * and dropping the database (also when creating the Sequelize failed).
 */
export async function serverScratch(sequelize: Sequelize, name: string, extra = ''): Promise<ScratchDatabase> {
  const quoted = (sequelize.getQueryInterface() as unknown as { quoteIdentifier(n: string): string }).quoteIdentifier(name);
  await sequelize.query(`CREATE DATABASE ${quoted}${extra ? ` ${extra}` : ''}`, { raw: true, transaction: null as never });
  const scratch = cloneSequelize(sequelize, name);
  return {
    sequelize: scratch,
    description: `database "${name}"`,
    async drop() {
      await scratch.close().catch(() => undefined);
      await sequelize.query(`DROP DATABASE IF EXISTS ${quoted}`, { raw: true, transaction: null as never });
    },
  };
}
