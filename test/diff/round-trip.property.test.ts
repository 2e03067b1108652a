/**
 * Property-based round trip over random schemas: for any database schema and any models schema,
 * applying the operations leaves nothing to do, and applying their reverse afterwards brings the
 * database back. The in-memory database (./apply.ts) also refuses operations in an order a real
 * one would refuse, or carrying a prior state that is not there.
 */
import test from 'ava';
import fc from 'fast-check';
import type { Column, ColumnType, EnumType, ForeignKey, Index, ReferentialAction, Schema, Table } from '../../types/schema';
import type { DialectCapabilities } from '../../lib/dialects/dialect';
import { roundTrip, summary, MYSQL, POSTGRES, SQLITE } from './fixtures';

const TABLES = ['a', 'b', 'c', 'd'] as const;
const COLUMNS = ['x', 'y', 'z', 'w'] as const;
const ACTIONS: readonly ReferentialAction[] = ['CASCADE', 'SET NULL', 'NO ACTION'];

/** Which side the schema plays: the database names everything, the models may leave names out. */
type Side = 'database' | 'models';

function typeArb(caps: DialectCapabilities, table: string, column: string): fc.Arbitrary<ColumnType> {
  return fc.oneof(
    fc.constant<ColumnType>({ name: 'INTEGER' }),
    fc.constantFrom<ColumnType>({ name: 'STRING', length: 50 }, { name: 'STRING', length: 255 }),
    fc.constant<ColumnType>({ name: 'TEXT', variant: null }),
    fc.constant<ColumnType>({ name: 'BOOLEAN' }),
    fc.subarray(['p', 'q', 'r', 's'], { minLength: 1 }).map(
      (values): ColumnType => ({ name: 'ENUM', values, enumName: caps.enumTypes ? `enum_${table}_${column}` : null }),
    ),
  );
}

function columnArb(caps: DialectCapabilities, table: string, name: string): fc.Arbitrary<Column> {
  return fc.record({
    name: fc.constant(name),
    type: typeArb(caps, table, name),
    allowNull: fc.boolean(),
    defaultValue: fc.constantFrom<Column['defaultValue']>(null, null, { kind: 'value', value: 'v' }, { kind: 'value', value: 1 }, { kind: 'now' }),
    autoIncrement: fc.constant(false),
    comment: fc.constantFrom<string | null>(null, null, 'note'),
  });
}

const ID: Column = { name: 'id', type: { name: 'INTEGER' }, allowNull: false, defaultValue: null, autoIncrement: true, comment: null };

function indexesArb(table: string, columns: readonly string[], side: Side): fc.Arbitrary<Index[]> {
  if (columns.length === 0) return fc.constant([]);
  const one = fc.record({
    columns: fc.subarray([...columns], { minLength: 1, maxLength: Math.min(2, columns.length) }),
    unique: fc.boolean(),
    partial: fc.boolean(),
    unnamed: fc.boolean(),
  });
  return fc.array(one, { maxLength: 3 }).map((specs) => {
    const seen = new Set<string>();
    const indexes: Index[] = [];
    for (const spec of specs) {
      const base = `${table}_${spec.columns.join('_')}_${spec.unique ? 'u' : 'i'}`;
      if (seen.has(base)) continue;
      seen.add(base);
      const unnamed = side === 'models' && spec.unique && spec.unnamed && !spec.partial;
      indexes.push({
        name: unnamed ? null : base,
        columns: spec.columns,
        unique: spec.unique,
        origin: spec.unique && !spec.partial ? 'constraint' : 'index',
        expression: null,
        where: spec.partial ? `${spec.columns[0]} IS NOT NULL` : null,
        using: null,
      });
    }
    return indexes;
  });
}

function foreignKeysArb(table: string, columns: readonly Column[], targets: readonly string[], side: Side): fc.Arbitrary<ForeignKey[]> {
  const candidates = columns.filter((c) => c.type.name === 'INTEGER' && c.name !== 'id');
  if (candidates.length === 0) return fc.constant([]);
  return fc
    .tuple(...candidates.map(() => fc.option(fc.record({ target: fc.constantFrom(...targets), onDelete: fc.constantFrom(...ACTIONS), unnamed: fc.boolean() }))))
    .map((choices) =>
      choices.flatMap((choice, i): ForeignKey[] => {
        const column = candidates[i]!.name;
        if (choice === null) return [];
        return [
          {
            name: side === 'models' && choice.unnamed ? null : `${table}_${column}_fkey`,
            columns: [column],
            referencedTable: choice.target,
            referencedSchema: null,
            referencedColumns: ['id'],
            onDelete: choice.onDelete,
            onUpdate: 'NO ACTION',
          },
        ];
      }),
    );
}

function tableArb(caps: DialectCapabilities, name: string, targets: readonly string[], side: Side): fc.Arbitrary<Table> {
  return fc
    .record({
      names: fc.subarray([...COLUMNS]),
      compositeKey: fc.boolean(),
      comment: fc.constantFrom<string | null>(null, 'a table'),
    })
    .chain(({ names, compositeKey, comment }) =>
      fc.tuple(...names.map((column) => columnArb(caps, name, column))).chain((generated) => {
        const primaryKey = compositeKey && generated.length > 0 ? ['id', generated[0]!.name] : ['id'];
        const columns = [ID, ...generated.map((c) => (primaryKey.includes(c.name) ? { ...c, allowNull: false } : c))];
        return fc
          .tuple(indexesArb(name, names, side), foreignKeysArb(name, columns, targets, side))
          .map(([indexes, foreignKeys]): Table => ({ name, schema: null, columns, primaryKey, indexes, foreignKeys, comment }));
      }),
    );
}

function enumsOf(tables: readonly Table[]): EnumType[] {
  return tables.flatMap((table) =>
    table.columns.flatMap((column) =>
      column.type.name === 'ENUM' && column.type.enumName
        ? [{ name: column.type.enumName, schema: null, values: column.type.values ?? [] }]
        : [],
    ),
  );
}

function schemaArb(caps: DialectCapabilities, side: Side): fc.Arbitrary<Schema> {
  return fc.subarray([...TABLES]).chain((names) =>
    fc
      .tuple(...names.map((name) => tableArb(caps, name, names, side)))
      .chain((tables) =>
        fc.boolean().map((orphan): Schema => {
          const enums = caps.enumTypes ? enumsOf(tables) : [];
          // A type the database has that no column uses: the differ drops it.
          const extra: EnumType[] = caps.enumTypes && orphan && side === 'database' ? [{ name: 'enum_orphan', schema: null, values: ['o'] }] : [];
          return { dialect: 'postgres', tables, enums: [...enums, ...extra] };
        }),
      ),
  );
}

const dialects: [string, DialectCapabilities][] = [
  ['postgres-like (ALTER, enum types, comments)', POSTGRES],
  ['mysql-like (ALTER, inline enums, comments)', MYSQL],
  ['sqlite-like (rebuilds, no comments)', SQLITE],
];

for (const [label, caps] of dialects) {
  test(`round trip over random schemas: ${label}`, (t) => {
    fc.assert(
      fc.property(schemaArb(caps, 'database'), schemaArb(caps, 'models'), (current, desired) => {
        const result = roundTrip(current, desired, caps);
        if (result.afterUp.length > 0 || result.afterDown.length > 0) {
          throw new Error(
            `left after up: ${summary(result.afterUp).join('; ')}\nleft after down: ${summary(result.afterDown).join('; ')}\nup: ${summary(result.up).join('; ')}`,
          );
        }
      }),
      { numRuns: 400 },
    );
    t.pass();
  });
}

test('the generators do produce every kind of change', (t) => {
  const seen = new Set<string>();
  fc.assert(
    fc.property(schemaArb(POSTGRES, 'database'), schemaArb(POSTGRES, 'models'), (current, desired) => {
      roundTrip(current, desired, POSTGRES).up.forEach((op) => seen.add(op.kind));
    }),
    { numRuns: 300, seed: 42 },
  );
  fc.assert(
    fc.property(schemaArb(SQLITE, 'database'), schemaArb(SQLITE, 'models'), (current, desired) => {
      roundTrip(current, desired, SQLITE).up.forEach((op) => seen.add(op.kind));
    }),
    { numRuns: 100, seed: 42 },
  );
  t.deepEqual([...seen].sort(), [
    'addColumn',
    'addEnumValues',
    'addForeignKey',
    'addIndex',
    'alterPrimaryKey',
    'changeColumn',
    'createEnum',
    'createTable',
    'dropEnum',
    'dropTable',
    'rebuildTable',
    'removeColumn',
    'removeForeignKey',
    'removeIndex',
  ]);
});
