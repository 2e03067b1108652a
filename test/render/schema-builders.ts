/** Small builders for Schema values in render tests: every field explicit, overridable. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Sequelize } from 'sequelize';
import type { Operation } from '../../types/operations';
import type { Column, ColumnType, ForeignKey, Index, Table } from '../../types/schema';
import { renderMigration } from '../../lib/render/render-migration';
import type { TestDatabase } from '../helpers/databases';

export function column(name: string, type: ColumnType, extra: Partial<Column> = {}): Column {
  return { name, type, allowNull: true, defaultValue: null, autoIncrement: false, comment: null, ...extra };
}

export const id = (name = 'id'): Column =>
  column(name, { name: 'INTEGER' }, { allowNull: false, autoIncrement: true });

export function table(name: string, columns: readonly Column[], extra: Partial<Table> = {}): Table {
  return { name, schema: null, columns, primaryKey: ['id'], indexes: [], foreignKeys: [], comment: null, ...extra };
}

export function index(columns: readonly string[], extra: Partial<Index> = {}): Index {
  return { name: null, columns, unique: false, origin: 'index', where: null, using: null, ...extra };
}

export function unique(columns: readonly string[], name: string | null = null): Index {
  return { name, columns, unique: true, origin: 'constraint' };
}

export function foreignKey(columns: readonly string[], referencedTable: string, extra: Partial<ForeignKey> = {}): ForeignKey {
  return {
    name: null,
    columns,
    referencedTable,
    referencedSchema: null,
    referencedColumns: ['id'],
    onDelete: 'NO ACTION',
    onUpdate: 'NO ACTION',
    ...extra,
  };
}

export interface LoadedMigration {
  readonly source: string;
  up(): Promise<void>;
  down(): Promise<void>;
}

let counter = 0;

/**
 * Renders `up`/`down` as a CommonJS file in the test's folder, requires it, and binds it to the
 * test database's QueryInterface and the Sequelize class, as sequelize-cli and the runner call it.
 */
export function loadMigration(db: TestDatabase, operations: readonly Operation[], down: readonly Operation[]): LoadedMigration {
  const source = renderMigration({
    operations,
    down,
    notes: [],
    language: 'js',
    dialect: db.dialect,
    message: 'render test',
  });
  const folder = join(db.dir, 'migrations');
  mkdirSync(folder, { recursive: true });
  counter += 1;
  const file = join(folder, `${String(counter).padStart(4, '0')}-render.js`);
  writeFileSync(file, source);
  const migration = createRequire(file)(file) as {
    up(qi: unknown, s: unknown): Promise<void>;
    down(qi: unknown, s: unknown): Promise<void>;
  };
  const qi = db.sequelize.getQueryInterface();
  return {
    source,
    up: () => migration.up(qi, Sequelize),
    down: () => migration.down(qi, Sequelize),
  };
}
