/**
 * The compat corpus (test/compat/fixtures/<pattern>/NNN-*.js): migration files in the styles real
 * sequelize-cli and umzug projects use, run unchanged. Helpers to run them the two ways and read
 * what they left.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Sequelize } from 'sequelize';
import type { Logger } from '../../lib';
import { dialectOf } from '../../lib/dialects';
import type { Schema } from '../../types/schema';

export const FIXTURES = join(__dirname, 'fixtures');

export function fixture(pattern: string): string {
  return join(FIXTURES, pattern);
}

/** The files of a pattern, in order: what a run applies and the history records. */
export function fixtureFiles(pattern: string): string[] {
  return readdirSync(fixture(pattern))
    .filter((f) => f.endsWith('.js'))
    .sort();
}

/** A logger that keeps what it is given. */
export function recordingLogger(): Logger & { warnings: string[]; infos: string[] } {
  const warnings: string[] = [];
  const infos: string[] = [];
  return { warnings, infos, info: (m) => infos.push(m), warn: (m) => warnings.push(m), error: (m) => warnings.push(m), debug() {} };
}

/**
 * sequelize-cli's convention without any runner: require each file in order and await
 * up(queryInterface, Sequelize). No transaction, no CLS, no history table.
 */
export async function bareLoop(sequelize: Sequelize, pattern: string): Promise<void> {
  const queryInterface = sequelize.getQueryInterface();
  for (const file of fixtureFiles(pattern)) {
    const migration = require(join(fixture(pattern), file)) as { up(qi: unknown, S: unknown): Promise<unknown> };
    await migration.up(queryInterface, Sequelize);
  }
}

/** The schema as the library introspects it, bookkeeping tables left out. */
export function schemaOf(sequelize: Sequelize): Promise<Schema> {
  return dialectOf(sequelize).introspect(sequelize, { excludeTables: ['SequelizeMeta', 'SequelizeMeta_progress'] });
}

/** Names recorded by _count.js, one per run of a migration body, in insertion order. */
export async function runsOf(sequelize: Sequelize): Promise<string[]> {
  const rows = (await sequelize.query('SELECT name FROM compat_runs ORDER BY id', { type: 'SELECT' as never })) as unknown as { name: string }[];
  return rows.map((r) => r.name);
}

export async function column(sequelize: Sequelize, sql: string): Promise<unknown[]> {
  const rows = (await sequelize.query(sql, { type: 'SELECT' as never })) as unknown as Record<string, unknown>[];
  return rows.map((r) => Object.values(r)[0]);
}
