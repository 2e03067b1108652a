/** Random model sets and changes for the property-based round trips (fast-check arbitraries). */
import test from 'ava';
import fc from 'fast-check';
import { DataTypes, type ModelAttributeColumnOptions, type Sequelize } from 'sequelize';
import { ALL_DIALECTS, unreachable, withDatabase, type TestDatabase } from '../helpers/databases';

export type Kind = 'STRING' | 'INTEGER' | 'BIGINT' | 'BOOLEAN' | 'DECIMAL' | 'TEXT' | 'DATE' | 'DATEONLY';
export interface ColumnSpec { name: string; kind: Kind; length: number; allowNull: boolean; withDefault: boolean }
export interface TableSpec { name: string; columns: ColumnSpec[]; index: { fields: string[]; unique: boolean } | null; parent: string | null }

const KINDS: Kind[] = ['STRING', 'INTEGER', 'BIGINT', 'BOOLEAN', 'DECIMAL', 'TEXT', 'DATE', 'DATEONLY'];
const column = (name: string) =>
  fc.record({ name: fc.constant(name), kind: fc.constantFrom(...KINDS), length: fc.constantFrom(20, 100, 255), allowNull: fc.boolean(), withDefault: fc.boolean() });
const table = (i: number) =>
  fc.integer({ min: 1, max: 4 }).chain((n) =>
    fc.record({
      name: fc.constant(`t${i}`),
      columns: fc.tuple(...Array.from({ length: n }, (_, c) => column(`c${c}`))),
      index: fc.option(fc.record({ fields: fc.constant(['c0']), unique: fc.boolean() }), { nil: null }),
      parent: fc.constant<string | null>(null),
    }),
  );
export const schema = fc.integer({ min: 1, max: 3 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => table(i)))).chain((tables) =>
  fc.array(fc.boolean(), { minLength: tables.length, maxLength: tables.length }).map((fks) =>
    tables.map((t, i) => ({ ...t, parent: i > 0 && fks[i] ? 't0' : null })),
  ),
);

export type Change = (tables: TableSpec[]) => TableSpec[];
export const changes: Record<string, Change> = {
  addColumn: (ts) => ts.map((t, i) => (i === ts.length - 1 ? { ...t, columns: [...t.columns, { name: 'added', kind: 'STRING', length: 60, allowNull: true, withDefault: false }] } : t)),
  removeColumn: (ts) => ts.map((t) => (t.columns.length > 1 ? { ...t, columns: t.columns.slice(0, -1), index: t.index } : t)),
  toggleNull: (ts) => ts.map((t) => ({ ...t, columns: t.columns.map((c, i) => (i === t.columns.length - 1 ? { ...c, allowNull: !c.allowNull } : c)) })),
  changeLength: (ts) => ts.map((t) => ({ ...t, columns: t.columns.map((c) => (c.kind === 'STRING' ? { ...c, length: c.length === 255 ? 40 : 255 } : c)) })),
  toggleDefault: (ts) => ts.map((t) => ({ ...t, columns: t.columns.map((c, i) => (i === 0 ? { ...c, withDefault: !c.withDefault } : c)) })),
  toggleIndex: (ts) => ts.map((t, i) => (i === 0 ? { ...t, index: t.index ? null : { fields: ['c0'], unique: false } } : t)),
  addTable: (ts) => [...ts, { name: 'extra', columns: [{ name: 'c0', kind: 'INTEGER', length: 0, allowNull: false, withDefault: true }], index: null, parent: 't0' }],
  dropLastTable: (ts) => (ts.length > 1 ? ts.slice(0, -1) : ts),
  toggleForeignKey: (ts) => ts.map((t, i) => (i === ts.length - 1 && i > 0 ? { ...t, parent: t.parent ? null : 't0' } : t)),
};

export function attribute(c: ColumnSpec): ModelAttributeColumnOptions {
  const type = {
    STRING: DataTypes.STRING(c.length),
    INTEGER: DataTypes.INTEGER,
    BIGINT: DataTypes.BIGINT,
    BOOLEAN: DataTypes.BOOLEAN,
    DECIMAL: DataTypes.DECIMAL(10, 2),
    TEXT: DataTypes.TEXT,
    DATE: DataTypes.DATE,
    DATEONLY: DataTypes.DATEONLY,
  }[c.kind];
  // Server defaults every dialect keeps (MySQL drops them on TEXT; dates would need literals).
  const defaults: Partial<Record<Kind, unknown>> = { STRING: 'x', INTEGER: 7, BIGINT: 9, BOOLEAN: true, DECIMAL: '1.50' };
  const defaultValue = c.withDefault ? defaults[c.kind] : undefined;
  return { type, allowNull: c.allowNull, ...(defaultValue === undefined ? {} : { defaultValue }) };
}

/** What the models really declare: a default flag on a type that gets no default is nothing. */
export function declared(tables: readonly TableSpec[]): unknown {
  return tables.map((t) => ({ ...t, columns: t.columns.map((c) => ({ name: c.name, ...attribute(c), type: String(attribute(c).type) })) }));
}

export function define(sequelize: Sequelize, tables: readonly TableSpec[]): void {
  for (const t of tables) {
    const attrs: Record<string, ModelAttributeColumnOptions> = Object.fromEntries(t.columns.map((c) => [c.name, attribute(c)]));
    if (t.parent) attrs.parent_id = { type: DataTypes.INTEGER, allowNull: true, references: { model: t.parent, key: 'id' }, onDelete: 'CASCADE', onUpdate: 'CASCADE' };
    sequelize.define(t.name, attrs, { tableName: t.name, timestamps: false, indexes: t.index ? [{ name: `${t.name}_c0_idx`, ...t.index }] : [] });
  }
}

/**
 * One ava test per dialect running `property` over `arbitrary` AM_PROPERTY_RUNS times (default 6,
 * seed AM_PROPERTY_SEED), each run on a fresh database.
 */
export function eachDialectProperty<T>(title: string, arbitrary: fc.Arbitrary<T>, property: (db: TestDatabase, value: T) => Promise<void>): void {
  const runs = Number(process.env.AM_PROPERTY_RUNS ?? 6);
  for (const dialect of ALL_DIALECTS) {
    test(`${title} [${dialect}]`, async (t) => {
      const why = await unreachable(dialect);
      if (why) {
        if (process.env.CI) t.fail(why);
        else t.pass(`skipped: ${why}`);
        return;
      }
      t.timeout(10 * 60_000);
      await fc.assert(
        fc.asyncProperty(arbitrary, (value) => withDatabase(dialect, (db) => property(db, value))),
        { numRuns: runs, includeErrorInReport: true, seed: process.env.AM_PROPERTY_SEED ? Number(process.env.AM_PROPERTY_SEED) : undefined },
      );
      t.pass();
    });
  }
}
