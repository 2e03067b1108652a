/**
 * The dialect contract, one body for every dialect: what `sync()` creates from the models,
 * introspected (`Dialect.introspect`), equals what the models describe (`schemaFromModels`) once
 * both are normalised (`Dialect.normalizeTable`). Any difference is a false drift: `check` would
 * fail and `generate` would write a migration on a database that matches its models. A new dialect
 * passes this suite before anything else.
 *
 * Two model sets: the same portable models on every dialect, and each dialect's own blog, which
 * uses what that database has (PostgreSQL arrays and enum types, MySQL unsigned and sized TEXT,
 * SQLite's datetime('now')).
 */
import { DataTypes, type Sequelize } from 'sequelize';
import type { Index, Schema, Table } from '../../types/schema';
import { dialectOf } from '../../lib/dialects';
import { schemaFromModels } from '../../lib/schema/from-models';
import type { TestDialect } from '../helpers/databases';
import { eachDialect } from '../helpers/each-dialect';
import { defineBlog as mysqlBlog } from './mysql-blog-models';
import { defineBlog as postgresBlog } from './postgres-blog-models';
import { defineBlog as sqliteBlog } from './sqlite-blog-models';

const OWN_BLOG: Record<TestDialect, (sequelize: Sequelize) => void> = { sqlite: sqliteBlog, postgres: postgresBlog, mysql: mysqlBlog };

/** Models every dialect runs unchanged: the common column types, defaults, keys and indexes. */
function definePortable(sequelize: Sequelize): void {
  const Author = sequelize.define(
    'Author',
    {
      email: { type: DataTypes.STRING, allowNull: false, unique: true },
      name: { type: DataTypes.STRING(120), defaultValue: 'anonymous' },
      active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      balance: { type: DataTypes.DECIMAL(10, 2), defaultValue: 0 },
      joinedOn: DataTypes.DATEONLY,
      karma: { type: DataTypes.INTEGER, defaultValue: -1 },
      bio: DataTypes.TEXT,
      kind: { type: DataTypes.ENUM('staff', 'guest'), allowNull: false, defaultValue: 'guest' },
    },
    { tableName: 'authors', underscored: true, indexes: [{ name: 'authors_active_name', fields: ['active', 'name'] }] },
  );
  const Book = sequelize.define(
    'Book',
    {
      title: { type: DataTypes.STRING(200), allowNull: false },
      pages: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      isbn: { type: DataTypes.STRING(13), unique: 'books_isbn_key' },
    },
    { tableName: 'books', underscored: true },
  );
  const Shelf = sequelize.define('Shelf', { label: { type: DataTypes.STRING(50), allowNull: false } }, { tableName: 'shelves', timestamps: false });
  Book.belongsTo(Author, { foreignKey: 'authorId', onDelete: 'CASCADE', onUpdate: 'CASCADE' });
  Book.belongsToMany(Shelf, { through: 'book_shelves', foreignKey: 'bookId', otherKey: 'shelfId' });
  Shelf.belongsToMany(Book, { through: 'book_shelves', foreignKey: 'shelfId', otherKey: 'bookId' });
}

/**
 * Names the database chose where the model leaves them to it (`unique: true`, a foreign key):
 * taken from the live table for the object with the same columns, as the differ matches them.
 */
function withDatabaseNames(model: Table, live: Table): Table {
  const sameColumns = (a: readonly string[], b: readonly string[]) => a.join('\0') === b.join('\0');
  const liveIndex = (i: Index) =>
    live.indexes.find((l) => sameColumns(l.columns, i.columns) && l.unique === i.unique && l.origin === i.origin) ??
    live.indexes.find((l) => sameColumns(l.columns, i.columns) && l.unique === i.unique);
  return {
    ...model,
    indexes: model.indexes.map((i) => (i.name === null ? { ...i, name: liveIndex(i)?.name ?? null } : i)),
    foreignKeys: model.foreignKeys.map((fk) =>
      fk.name === null
        ? { ...fk, name: live.foreignKeys.find((l) => sameColumns(l.columns, fk.columns) && l.referencedTable === fk.referencedTable)?.name ?? null }
        : fk,
    ),
  };
}

function tableNamed(schema: Schema, name: string): Table {
  const table = schema.tables.find((candidate) => candidate.name === name);
  if (table === undefined) throw new Error(`no table ${name} in ${schema.tables.map((t) => t.name).join(', ')}`);
  return table;
}

/** The contract itself: the same assertions whatever the dialect and the models. */
async function assertNoFalseDrift(t: import('ava').ExecutionContext, sequelize: Sequelize): Promise<void> {
  await sequelize.sync();
  const dialect = dialectOf(sequelize);
  const live = await dialect.introspect(sequelize);
  const models = schemaFromModels(sequelize);
  t.is(live.dialect, models.dialect);
  t.deepEqual(models.tables.map((table) => table.name).sort(), live.tables.map((table) => table.name).sort());
  for (const model of models.tables) {
    const normalizedLive = dialect.normalizeTable(tableNamed(live, model.name));
    const desired = dialect.normalizeTable(withDatabaseNames(dialect.normalizeTable(model), normalizedLive));
    t.deepEqual(desired, normalizedLive, model.name);
  }
  const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  t.deepEqual([...models.enums].sort(byName), [...live.enums].sort(byName));
}

eachDialect('introspect(sync(models)) equals fromModels(models) once normalised: the portable models', async (t, db) => {
  definePortable(db.sequelize);
  await assertNoFalseDrift(t, db.sequelize);
});

eachDialect("introspect(sync(models)) equals fromModels(models) once normalised: the dialect's own blog", async (t, db) => {
  OWN_BLOG[db.dialect](db.sequelize);
  await assertNoFalseDrift(t, db.sequelize);
});
