/**
 * Property, on real databases: for random model sets and a random change, generate + upgrade
 * leaves no drift, and downgrade returns to a schema with no drift against the older models.
 * Runs per dialect: AM_PROPERTY_RUNS (default 6); each run gets a fresh database.
 */
import { join } from 'node:path';
import fc from 'fast-check';
import { createMigrator } from '../../lib';
import type { TestDatabase } from '../helpers/databases';
import { changes, declared, define, eachDialectProperty, schema, type TableSpec } from './random-models';

async function roundTrip(db: TestDatabase, before: TableSpec[], after: TableSpec[], label: string): Promise<void> {
  const folder = join(db.dir, `m-${Math.random().toString(36).slice(2)}`);
  const at = (tables: TableSpec[]) => {
    const s = db.connect();
    define(s, tables);
    return createMigrator({ sequelize: s, migrations: folder, logger: false, language: 'js' });
  };
  const v1 = at(before);
  await v1.generate('v1');
  await v1.upgrade();
  const drift1 = await v1.diff();
  if (drift1.length) throw new Error(`${label}: drift after v1: ${JSON.stringify(drift1)}`);
  const v2 = at(after);
  const second = await v2.generate('v2');
  const unchanged = JSON.stringify(declared(before)) === JSON.stringify(declared(after));
  if ((second === null) !== unchanged) throw new Error(`${label}: generate returned ${second === null ? 'null for a change' : 'a file for no change'}`);
  if (unchanged) return;
  await v2.upgrade();
  const drift2 = await v2.diff();
  if (drift2.length) throw new Error(`${label}: drift after v2: ${JSON.stringify(drift2)}`);
  await v2.downgrade();
  const back = await at(before).diff();
  if (back.length) throw new Error(`${label}: drift after downgrade: ${JSON.stringify(back)}`);
  await v2.downgrade({ to: 0 });
}

eachDialectProperty(
  'random models and a random change: generate/upgrade/downgrade leave no drift',
  fc.tuple(schema, fc.constantFrom(...Object.keys(changes))),
  async (db, [before, change]) => {
    const after = changes[change]!(before as TableSpec[]);
    await roundTrip(db, before as TableSpec[], after, `${change} on ${JSON.stringify(before)}`);
  },
);
