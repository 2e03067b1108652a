import { QueryTypes, type Sequelize } from 'sequelize';
import type { DataRisk, Operation } from '../../types/operations';
import type { Column, ColumnType, Table, TableRef } from '../../types/schema';
import type { Dialect } from '../dialects/dialect';
import { misfitPredicate } from '../dialects/value-fit';
import { assertNever } from '../errors';

/**
 * What a generated migration would destroy in the database as it is now (Prisma's warnings before
 * `migrate dev`): rows of a dropped table, values of a dropped column, values a narrower type
 * cannot hold, NULLs in a column made NOT NULL without a default. One COUNT per risky operation;
 * read-only.
 */
export async function findDataLoss(sequelize: Sequelize, dialect: Dialect, operations: readonly Operation[]): Promise<DataRisk[]> {
  const names = new RenameTracker(operations);
  const risks: DataRisk[] = [];
  const count = async (table: TableRef, where: string | null): Promise<number> => {
    const sql = `SELECT COUNT(*) AS n FROM ${quoteTable(sequelize, names.tableNow(table))}${where === null ? '' : ` WHERE ${where}`}`;
    const [row] = await sequelize.query<{ n: number | string }>(sql, { type: QueryTypes.SELECT });
    return Number(row?.n ?? 0);
  };
  const add: Add = async (operation, kind, table, column, where, text) => {
    const n = await count(table, where);
    if (n > 0) risks.push({ operation, kind, table: label(table), column, count: n, text: text(n) });
  };
  const columnRisks = async (operation: number, table: TableRef, from: Column, to: Column) => {
    const q = quoteColumn(sequelize, names.columnNow(table, from.name));
    const misfit = dialect.valueFit === null ? null : misfitPredicate(dialect.valueFit, q, from.type, to.type, (v) => sequelize.escape(v));
    if (misfit !== null) {
      await add(operation, 'narrowType', table, to.name, `${q} IS NOT NULL AND ${misfit}`, (n) =>
        `${label(table)}.${to.name} becomes ${typeText(to.type)}: ${plural(n, 'value')} ${n === 1 ? 'does' : 'do'} not fit`,
      );
    }
    if (from.allowNull && !to.allowNull && to.defaultValue === null) {
      await add(operation, 'notNull', table, to.name, `${q} IS NULL`, (n) =>
        `${label(table)}.${to.name} becomes NOT NULL without a default: ${plural(n, 'row')} hold NULL`,
      );
    }
  };
  for (const [i, op] of operations.entries()) {
    switch (op.kind) {
      case 'dropTable':
        await add(i, 'dropTable', op.table, null, null, (n) => `drop table ${label(op.table)}: ${plural(n, 'row')} deleted`);
        break;
      case 'removeColumn':
        await add(i, 'dropColumn', op.table, op.column.name, `${quoteColumn(sequelize, names.columnNow(op.table, op.column.name))} IS NOT NULL`, (n) =>
          `drop column ${label(op.table)}.${op.column.name}: ${plural(n, 'non-null value')} deleted` +
            (op.column.allowNull || op.column.defaultValue !== null
              ? ''
              : ' (down() re-adds it NOT NULL without a default, which fails while the table holds rows where the database requires a value: give it a default there)'),
        );
        break;
      case 'changeColumn':
        await columnRisks(i, op.table, op.from, op.to);
        break;
      case 'rebuildTable':
        await rebuildRisks(i, op.from, op.to, add, columnRisks, (t, c) => quoteColumn(sequelize, names.columnNow(t, c)));
        break;
      case 'createTable':
      case 'addColumn':
      case 'addIndex':
      case 'removeIndex':
      case 'addForeignKey':
      case 'removeForeignKey':
      case 'alterPrimaryKey':
      case 'renameTable':
      case 'renameColumn':
      case 'createEnum':
      case 'dropEnum':
      case 'addEnumValues':
      case 'removeEnumValues':
      case 'renameEnum':
        break;
      default:
        return assertNever(op, 'operation');
    }
  }
  return risks;
}

type Add = (
  operation: number,
  kind: DataRisk['kind'],
  table: TableRef,
  column: string | null,
  where: string | null,
  text: (n: number) => string,
) => Promise<void>;

/** A SQLite rebuild copies the columns both sides have: the others are dropped, the copied ones may change. */
async function rebuildRisks(
  operation: number,
  from: Table,
  to: Table,
  add: Add,
  columnRisks: (operation: number, table: TableRef, from: Column, to: Column) => Promise<void>,
  quote: (table: TableRef, column: string) => string,
): Promise<void> {
  const kept = new Map(to.columns.map((column) => [column.name, column]));
  for (const column of from.columns) {
    const after = kept.get(column.name);
    if (after === undefined) {
      await add(operation, 'dropColumn', to, column.name, `${quote(to, column.name)} IS NOT NULL`, (n) =>
        `drop column ${label(to)}.${column.name}: ${plural(n, 'non-null value')} deleted`,
      );
    } else {
      await columnRisks(operation, to, column, after);
    }
  }
}

/**
 * Renames run first in a generated migration, and the operations after them use the new names:
 * the counts run on the database as it is, under the old ones.
 */
class RenameTracker {
  private readonly tables = new Map<string, string>();
  private readonly columns = new Map<string, string>();
  constructor(operations: readonly Operation[]) {
    for (const op of operations) {
      if (op.kind === 'renameTable') this.tables.set(op.to.name, op.from.name);
      if (op.kind === 'renameColumn') this.columns.set(`${op.table.name}\u0000${op.to}`, op.from);
    }
  }
  tableNow(table: TableRef): TableRef {
    return { name: this.tables.get(table.name) ?? table.name, schema: table.schema };
  }
  columnNow(table: TableRef, column: string): string {
    return this.columns.get(`${table.name}\u0000${column}`) ?? column;
  }
}

function quoteTable(sequelize: Sequelize, table: TableRef): string {
  const qi = sequelize.getQueryInterface();
  const name = qi.quoteIdentifier(table.name, true);
  return table.schema === null ? name : `${qi.quoteIdentifier(table.schema, true)}.${name}`;
}

function quoteColumn(sequelize: Sequelize, column: string): string {
  return sequelize.getQueryInterface().quoteIdentifier(column, true);
}

function label(table: TableRef): string {
  return table.schema === null ? table.name : `${table.schema}.${table.name}`;
}

function plural(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

function typeText(type: ColumnType): string {
  if (type.name === 'ENUM' && type.values) return `ENUM(${type.values.join(', ')})`;
  const size = [type.length ?? type.precision, type.scale].filter((n) => typeof n === 'number');
  return `${type.unsigned ? 'UNSIGNED ' : ''}${type.name}${size.length > 0 ? `(${size.join(',')})` : ''}`;
}
