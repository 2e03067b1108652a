import test from 'ava';
import type { IncludeObject } from '../../types/options';
import type { ForeignKey } from '../../types/schema';
import { col, diff, fk, roundTrip, schema, summary, table, INT, POSTGRES } from './fixtures';

const orgs = table('orgs', []);
const teams = table('teams', []);
const users = (foreignKeys: readonly ForeignKey[]) => table('users', [col('org_id', INT), col('team_id', INT)], { foreignKeys });
const T = { name: 'users', schema: null };
const dbKey = fk(['org_id'], 'orgs', { name: 'users_org_id_fkey', onDelete: 'CASCADE', onUpdate: 'CASCADE' });

test('an unnamed foreign key matches by columns and target; equal actions: nothing to do', (t) => {
  const desired = fk(['org_id'], 'orgs', { onDelete: 'CASCADE', onUpdate: 'CASCADE' });
  t.deepEqual(diff(schema([orgs, teams, users([dbKey])]), schema([orgs, teams, users([desired])])).operations, []);
});

test('different actions: the key is removed and added again, named', (t) => {
  const desired = fk(['org_id'], 'orgs', { onDelete: 'SET NULL', onUpdate: 'CASCADE' });
  const result = roundTrip(schema([orgs, teams, users([dbKey])]), schema([orgs, teams, users([desired])]));
  t.deepEqual(result.up, [
    { kind: 'removeForeignKey', table: T, foreignKey: dbKey },
    { kind: 'addForeignKey', table: T, foreignKey: { ...desired, name: 'users_org_id_orgs_fk' } },
  ]);
  t.deepEqual([result.afterUp, result.afterDown], [[], []]);
});

test('another target is another key', (t) => {
  const desired = fk(['org_id'], 'teams', { onDelete: 'CASCADE', onUpdate: 'CASCADE' });
  t.deepEqual(summary(diff(schema([orgs, teams, users([dbKey])]), schema([orgs, teams, users([desired])])).operations), [
    'removeForeignKey users.org_id->orgs',
    'addForeignKey users.org_id->teams',
  ]);
});

test('a named key matches by name', (t) => {
  const renamedTarget = { ...dbKey, referencedTable: 'teams' };
  t.deepEqual(summary(diff(schema([orgs, teams, users([dbKey])]), schema([orgs, teams, users([renamedTarget])])).operations), [
    'removeForeignKey users.org_id->orgs',
    'addForeignKey users.org_id->teams',
  ]);
  t.deepEqual(diff(schema([orgs, teams, users([dbKey])]), schema([orgs, teams, users([dbKey])])).operations, []);
});

test('keys the models lack are removed before the tables they point at are dropped', (t) => {
  const result = roundTrip(schema([orgs, teams, users([dbKey])]), schema([teams, users([])]));
  t.deepEqual(summary(result.up), ['removeForeignKey users.org_id->orgs', 'dropTable orgs']);
  t.deepEqual([result.afterUp, result.afterDown], [[], []]);
});

test('a key to a new table is added after the table exists', (t) => {
  const result = roundTrip(schema([teams, users([])]), schema([orgs, teams, users([fk(['org_id'], 'orgs')])]));
  t.deepEqual(summary(result.up), ['createTable orgs', 'addForeignKey users.org_id->orgs']);
  t.deepEqual([result.afterUp, result.afterDown], [[], []]);
});

test('include false on a foreign key leaves it alone', (t) => {
  const include = (object: IncludeObject) => object.kind !== 'foreignKey';
  t.deepEqual(diff(schema([orgs, teams, users([dbKey])]), schema([orgs, teams, users([fk(['team_id'], 'teams')])]), POSTGRES, { include }).operations, []);
});
