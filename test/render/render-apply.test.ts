/**
 * Rendered migrations run for real: each test builds a starting schema with plain QueryInterface
 * calls, renders operations to a .js file, requires it, runs up, checks the database, runs down,
 * and checks it is back.
 */
import { DataTypes } from 'sequelize';
import { eachDialect } from '../helpers/each-dialect';
import type { Operation } from '../../types/operations';
import type { Table } from '../../types/schema';
import { reverseOperation } from '../../lib/diff/reverse-operation';
import { columnsOf, foreignKeysOf, indexesOf, rows, tableNames, uniqueColumnSets } from './inspect';
import { column, foreignKey, id, index, loadMigration, table, unique } from './schema-builders';

async function createTeams(db: { sequelize: import('sequelize').Sequelize }): Promise<void> {
  await db.sequelize.getQueryInterface().createTable('teams', {
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
    code: { type: DataTypes.STRING(10), allowNull: true },
    region: { type: DataTypes.INTEGER, allowNull: true },
  });
  await db.sequelize.query("INSERT INTO teams (code, region) VALUES ('red', 1), ('blue', 2)");
}

const members: Table = table(
  'members',
  [
    id(),
    column('email', { name: 'STRING', length: 120 }, { allowNull: false, comment: "the member's login" }),
    column('team_id', { name: 'INTEGER' }),
    column('a', { name: 'INTEGER' }),
    column('b', { name: 'INTEGER' }),
    column('status', { name: 'STRING', length: 10 }, { allowNull: false, defaultValue: { kind: 'value', value: "it's" } }),
    column('score', { name: 'DECIMAL', precision: 10, scale: 2 }, { defaultValue: { kind: 'value', value: 1.5 } }),
    column('joined_at', { name: 'DATE', precision: null }, { allowNull: false, defaultValue: { kind: 'now' } }),
  ],
  {
    comment: "Who's in",
    indexes: [unique(['email']), unique(['a', 'b']), index(['team_id', 'status'], { name: 'members_team_status' })],
    foreignKeys: [foreignKey(['team_id'], 'teams', { onDelete: 'CASCADE', onUpdate: 'CASCADE' })],
  },
);

eachDialect('createTable with keys, uniques, indexes and defaults; down drops it', async (t, db) => {
  await createTeams(db);
  const migration = loadMigration(db, [{ kind: 'createTable', table: members }], [{ kind: 'dropTable', table: members }]);
  await migration.up();

  const columns = await columnsOf(db.sequelize, 'members');
  t.deepEqual(Object.keys(columns), ['id', 'email', 'team_id', 'a', 'b', 'status', 'score', 'joined_at']);
  t.false(columns.email?.allowNull);
  t.true(columns.team_id?.allowNull);
  t.deepEqual(await uniqueColumnSets(db.sequelize, 'members'), ['a,b', 'email']);
  t.true((await indexesOf(db.sequelize, 'members')).some((i) => i.name === 'members_team_status' && !i.unique));
  t.deepEqual(
    (await foreignKeysOf(db.sequelize, 'members')).map((fk) => [fk.column, fk.referencedTable, fk.referencedColumn]),
    [['team_id', 'teams', 'id']],
  );

  if (db.dialect !== 'sqlite') {
    t.is((columns.email as { comment?: string } | undefined)?.comment, "the member's login");
    const tableComment =
      db.dialect === 'postgres'
        ? "SELECT obj_description('members'::regclass) AS comment"
        : "SELECT table_comment AS comment FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'members'";
    t.deepEqual(await rows(db.sequelize, tableComment), [{ comment: "Who's in" }]);
  }

  // The server-side defaults and the ON DELETE CASCADE work.
  await db.sequelize.query("INSERT INTO members (email, team_id) VALUES ('x@y', 1)");
  const [member] = await rows<{ status: string; score: string | number; joined_at: unknown }>(
    db.sequelize,
    'SELECT status, score, joined_at FROM members',
  );
  t.is(member?.status, "it's");
  t.is(Number(member?.score), 1.5);
  t.truthy(member?.joined_at);
  await db.sequelize.query('DELETE FROM teams WHERE id = 1');
  t.deepEqual(await rows(db.sequelize, 'SELECT id FROM members'), []);

  await migration.down();
  t.deepEqual(await tableNames(db.sequelize), ['teams']);
});

eachDialect('addColumn fills existing rows with the default; down removes it', async (t, db) => {
  await createTeams(db);
  const nick = column('nick', { name: 'STRING', length: 20 }, { allowNull: false, defaultValue: { kind: 'value', value: 'anon' } });
  const ref = { name: 'teams', schema: null };
  await db.sequelize.getQueryInterface().addIndex('teams', ['code'], { name: 'teams_code' });
  const migration = loadMigration(db, [{ kind: 'addColumn', table: ref, column: nick }], [{ kind: 'removeColumn', table: ref, column: nick }]);
  await migration.up();
  t.deepEqual(await rows(db.sequelize, 'SELECT nick FROM teams ORDER BY id'), [{ nick: 'anon' }, { nick: 'anon' }]);
  t.false((await columnsOf(db.sequelize, 'teams')).nick?.allowNull);
  await migration.down();
  t.deepEqual(Object.keys(await columnsOf(db.sequelize, 'teams')), ['id', 'code', 'region']);
  // The table's other indexes survive the removal (Sequelize's own SQLite removeColumn loses them).
  t.deepEqual((await indexesOf(db.sequelize, 'teams')).map((i) => i.name), ['teams_code']);
});

eachDialect('addIndex and unique constraints; down removes them by name', async (t, db) => {
  await createTeams(db);
  const ref = { name: 'teams', schema: null };
  const plain = index(['region', 'code'], { name: 'teams_region_code' });
  const uniqueCode = unique(['code']);
  const migration = loadMigration(
    db,
    [
      { kind: 'addIndex', table: ref, index: plain },
      { kind: 'addIndex', table: ref, index: uniqueCode },
    ],
    [
      // The differ gives down() the introspected name; here it is the one the renderer chose.
      { kind: 'removeIndex', table: ref, index: { ...uniqueCode, name: 'teams_code_uk' } },
      { kind: 'removeIndex', table: ref, index: plain },
    ],
  );
  await migration.up();
  const indexes = await indexesOf(db.sequelize, 'teams');
  t.deepEqual(
    indexes.map((i) => [i.name, i.unique, i.columns.join(',')]),
    [
      ['teams_code_uk', true, 'code'],
      ['teams_region_code', false, 'region,code'],
    ],
  );
  await t.throwsAsync(db.sequelize.query("INSERT INTO teams (code) VALUES ('red')"));
  await migration.down();
  t.deepEqual(await indexesOf(db.sequelize, 'teams'), []);
});

eachDialect(
  'changeColumn replaces the whole definition; down restores it',
  async (t, db) => {
    await createTeams(db);
    const ref = { name: 'teams', schema: null };
    const before = column('code', { name: 'STRING', length: 10 });
    const after = column('code', { name: 'STRING', length: 40 }, { allowNull: false, defaultValue: { kind: 'value', value: 'none' } });
    const idBefore = id();
    const idAfter = { ...id(), type: { name: 'BIGINT' as const } };
    const migration = loadMigration(
      db,
      [
        { kind: 'changeColumn', table: ref, from: before, to: after },
        { kind: 'changeColumn', table: ref, from: idBefore, to: idAfter },
      ],
      [
        { kind: 'changeColumn', table: ref, from: idAfter, to: idBefore },
        { kind: 'changeColumn', table: ref, from: after, to: before },
      ],
    );
    await migration.up();
    const changed = await columnsOf(db.sequelize, 'teams');
    t.regex(changed.code?.type ?? '', /\(40\)/);
    t.false(changed.code?.allowNull);
    t.regex(changed.id?.type ?? '', /BIGINT/i);
    // Still auto-incrementing after the type change, and the new default applies.
    await db.sequelize.query('INSERT INTO teams (region) VALUES (3)');
    t.deepEqual(await rows(db.sequelize, 'SELECT id, code FROM teams WHERE region = 3'), [{ id: db.dialect === 'postgres' ? '3' : 3, code: 'none' }]);

    await migration.down();
    const restored = await columnsOf(db.sequelize, 'teams');
    t.regex(restored.code?.type ?? '', /\(10\)/);
    t.true(restored.code?.allowNull);
    t.regex(restored.id?.type ?? '', /INT/i);
    t.notRegex(restored.id?.type ?? '', /BIGINT/i);
    await db.sequelize.query('INSERT INTO teams (region) VALUES (4)');
    t.deepEqual(await rows(db.sequelize, 'SELECT id FROM teams WHERE region = 4'), [{ id: 4 }]);
  },
  { dialects: ['postgres', 'mysql'] },
);

eachDialect(
  'addForeignKey, single and composite; down removes them',
  async (t, db) => {
    await createTeams(db);
    const qi = db.sequelize.getQueryInterface();
    await qi.addConstraint('teams', { type: 'unique', fields: ['code', 'region'], name: 'teams_code_region_uk' });
    await qi.createTable('players', {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      team_id: { type: DataTypes.INTEGER, allowNull: true },
      team_code: { type: DataTypes.STRING(10), allowNull: true },
      team_region: { type: DataTypes.INTEGER, allowNull: true },
    });
    await db.sequelize.query("INSERT INTO players (team_id, team_code, team_region) VALUES (1, 'red', 1), (2, 'blue', 2)");
    const ref = { name: 'players', schema: null };
    const single = foreignKey(['team_id'], 'teams', { onDelete: 'CASCADE' });
    const composite = foreignKey(['team_code', 'team_region'], 'teams', {
      name: 'players_team_pair_fk',
      referencedColumns: ['code', 'region'],
      onUpdate: 'CASCADE',
    });
    const migration = loadMigration(
      db,
      [
        { kind: 'addForeignKey', table: ref, foreignKey: single },
        { kind: 'addForeignKey', table: ref, foreignKey: composite },
      ],
      [
        { kind: 'removeForeignKey', table: ref, foreignKey: composite },
        { kind: 'removeForeignKey', table: ref, foreignKey: { ...single, name: 'players_team_id_teams_fk' } },
      ],
    );
    await migration.up();
    // Sequelize's PostgreSQL query pairs every column of a composite key with every referenced
    // one: compare distinct (column, name) pairs, and let the data below prove the pairing.
    const fks = await foreignKeysOf(db.sequelize, 'players');
    t.deepEqual(
      [...new Set(fks.map((fk) => `${fk.column} ${fk.referencedTable} ${fk.name}`))],
      ['team_code teams players_team_pair_fk', 'team_id teams players_team_id_teams_fk', 'team_region teams players_team_pair_fk'],
    );
    await db.sequelize.query("UPDATE teams SET code = 'azure' WHERE id = 2");
    t.deepEqual(await rows(db.sequelize, 'SELECT team_code FROM players WHERE team_id = 2'), [{ team_code: 'azure' }]);
    await db.sequelize.query('DELETE FROM teams WHERE id = 1');
    t.deepEqual(await rows(db.sequelize, 'SELECT team_id FROM players'), [{ team_id: 2 }]);

    await migration.down();
    t.deepEqual(await foreignKeysOf(db.sequelize, 'players'), []);
  },
  { dialects: ['postgres', 'mysql'] },
);

eachDialect(
  'PostgreSQL enums: createEnum before createTable, a custom-named type, added values; down drops all',
  async (t, db) => {
    const moodType = { name: 'mood', schema: null, values: ['ok', 'sad'] };
    const statusType = { name: 'enum_accounts_status', schema: null, values: ['on', 'off'] };
    const accounts = table('accounts', [
      id(),
      column('status', { name: 'ENUM', values: ['on', 'off'], enumName: 'enum_accounts_status' }, {
        allowNull: false,
        defaultValue: { kind: 'value', value: 'on' },
      }),
      column('mood', { name: 'ENUM', values: ['ok', 'sad'], enumName: 'mood' }),
    ]);
    const migration = loadMigration(
      db,
      [
        { kind: 'createEnum', enum: statusType },
        { kind: 'createEnum', enum: moodType },
        { kind: 'createTable', table: accounts },
        { kind: 'addEnumValues', enum: moodType, values: [{ value: 'meh', after: null }, { value: 'happy', after: 'ok' }] },
      ],
      [
        { kind: 'dropTable', table: accounts },
        { kind: 'dropEnum', enum: moodType },
        { kind: 'dropEnum', enum: statusType },
      ],
    );
    await migration.up();
    const enumValues = () =>
      rows<{ name: string; values: string }>(
        db.sequelize,
        "SELECT t.typname AS name, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) AS values FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname ORDER BY t.typname",
      );
    t.deepEqual(await enumValues(), [
      { name: 'enum_accounts_status', values: 'on,off' },
      { name: 'mood', values: 'meh,ok,happy,sad' },
    ]);
    const [columnTypes] = await db.sequelize.query(
      "SELECT column_name, udt_name FROM information_schema.columns WHERE table_name = 'accounts' ORDER BY ordinal_position",
    );
    t.deepEqual(columnTypes, [
      { column_name: 'id', udt_name: 'int4' },
      { column_name: 'status', udt_name: 'enum_accounts_status' },
      { column_name: 'mood', udt_name: 'mood' },
    ]);
    await db.sequelize.query("INSERT INTO accounts (mood) VALUES ('happy')");
    t.deepEqual(await rows(db.sequelize, 'SELECT status, mood FROM accounts'), [{ status: 'on', mood: 'happy' }]);

    // With the application's model registered, Sequelize's dropTable drops the model's enum type
    // itself; the dropEnum that follows must not fail on it.
    db.sequelize.define('Account', { status: DataTypes.ENUM('on', 'off') }, { tableName: 'accounts', timestamps: false });
    await migration.down();
    t.deepEqual(await enumValues(), []);
    t.deepEqual(await tableNames(db.sequelize), []);
  },
  { dialects: ['postgres'] },
);

eachDialect(
  'PostgreSQL: a table in another schema, with its index and foreign key',
  async (t, db) => {
    await db.sequelize.query('CREATE SCHEMA app');
    const groups = { ...table('groups', [id()]), schema: 'app' };
    const people = {
      ...table('people', [id(), column('group_id', { name: 'INTEGER' }), column('name', { name: 'TEXT', variant: null })], {
        indexes: [index(['name'], { name: 'people_name' })],
        foreignKeys: [foreignKey(['group_id'], 'groups', { referencedSchema: 'app', onDelete: 'CASCADE' })],
      }),
      schema: 'app',
    };
    const migration = loadMigration(
      db,
      [
        { kind: 'createTable', table: groups },
        { kind: 'createTable', table: people },
      ],
      [
        { kind: 'removeIndex', table: { name: 'people', schema: 'app' }, index: index(['name'], { name: 'people_name' }) },
        { kind: 'dropTable', table: people },
        { kind: 'dropTable', table: groups },
      ],
    );
    await migration.up();
    // (Sequelize rewrites the result of a query starting `SELECT table_name FROM information_schema.tables`.)
    const appTables = () => rows(db.sequelize, "SELECT tablename FROM pg_tables WHERE schemaname = 'app' ORDER BY 1");
    t.deepEqual(await appTables(), [{ tablename: 'groups' }, { tablename: 'people' }]);
    t.deepEqual(await rows(db.sequelize, "SELECT indexname FROM pg_indexes WHERE schemaname = 'app' AND indexname = 'people_name'"), [
      { indexname: 'people_name' },
    ]);
    await db.sequelize.query('INSERT INTO app.groups DEFAULT VALUES');
    await db.sequelize.query('INSERT INTO app.people (group_id) VALUES (1)');
    await db.sequelize.query('DELETE FROM app.groups');
    t.deepEqual(await rows(db.sequelize, 'SELECT id FROM app.people'), []);
    await migration.down();
    t.deepEqual(await appTables(), []);
  },
  { dialects: ['postgres'] },
);

eachDialect(
  'alterPrimaryKey alters the key in place; down restores it',
  async (t, db) => {
    await createTeams(db);
    await db.sequelize.query("UPDATE teams SET code = 'x'");
    const up: Operation = { kind: 'alterPrimaryKey', table: { name: 'teams', schema: null }, from: ['id'], to: ['id', 'code'] };
    const migration = loadMigration(db, [up], [reverseOperation(up)]);
    const keyColumns = async () =>
      Object.entries(await columnsOf(db.sequelize, 'teams'))
        .filter(([, c]) => (c as { primaryKey?: boolean }).primaryKey)
        .map(([name]) => name);
    await db.sequelize.getQueryInterface().changeColumn('teams', 'code', { type: DataTypes.STRING(10), allowNull: false });
    await migration.up();
    t.deepEqual(await keyColumns(), ['id', 'code']);
    // id 1 again, with another code: only the pair is unique now.
    await db.sequelize.query("INSERT INTO teams (id, code) VALUES (1, 'y')");
    await db.sequelize.query("DELETE FROM teams WHERE code = 'y'");
    await migration.down();
    t.deepEqual(await keyColumns(), ['id']);
    await t.throwsAsync(db.sequelize.query("INSERT INTO teams (id, code) VALUES (1, 'z')"));
    // Still auto-incrementing.
    await db.sequelize.query("INSERT INTO teams (code) VALUES ('w')");
    t.is((await rows(db.sequelize, 'SELECT id FROM teams')).length, 3);
  },
  { dialects: ['postgres', 'mysql'] },
);
