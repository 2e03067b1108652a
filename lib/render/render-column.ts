import type { Column, DialectName, ForeignKey, TableRef } from '../../types/schema';
import { renderDefault } from './render-default';
import { renderTableRef } from './render-table-ref';
import { renderType } from './render-type';
import { quoteIdentifier, quoteTable, rulesOf, sqlString } from './quote-sql';
import { call, comment, obj, raw, sqlText, statement, str, type Code, type Line, type ObjectEntry } from './source-writer';

export interface RenderContext {
  readonly dialect: DialectName;
}

/** What createTable adds to a column beyond the column itself. */
export interface ColumnExtras {
  readonly primaryKey?: boolean;
  /** A single-column UNIQUE constraint whose name the database picks. */
  readonly unique?: boolean;
  /** A single-column foreign key, declared on the column (`references`). */
  readonly references?: ForeignKey;
}

/** The attribute object QueryInterface takes: `{ type, allowNull, defaultValue, ... }`. */
export function columnAttributes(column: Column, table: TableRef, ctx: RenderContext, extras: ColumnExtras = {}): Code {
  const typeCtx = { dialect: ctx.dialect, table, column: column.name };
  const fk = extras.references;
  return obj(
    [
      ['type', renderType(column.type, typeCtx)],
      extras.primaryKey ? ['primaryKey', raw('true')] : null,
      column.autoIncrement ? ['autoIncrement', raw('true')] : null,
      ['allowNull', raw(String(column.allowNull))],
      column.defaultValue ? ['defaultValue', renderDefault(column.defaultValue, column.type, ctx.dialect)] : null,
      extras.unique ? ['unique', raw('true')] : null,
      ...(fk ? referenceEntries(fk) : []),
      column.comment !== null ? ['comment', str(column.comment)] : null,
    ],
    { broken: true },
  );
}

function referenceEntries(fk: ForeignKey): ObjectEntry[] {
  const model = renderTableRef({ name: fk.referencedTable, schema: fk.referencedSchema });
  return [
    ['references', obj([['model', model], ['key', str(fk.referencedColumns[0] ?? 'id')]])],
    ['onDelete', str(fk.onDelete)],
    ['onUpdate', str(fk.onUpdate)],
  ];
}

export function renderAddColumn(table: TableRef, column: Column, ctx: RenderContext): Line[] {
  return [
    statement(
      call('queryInterface.addColumn', [renderTableRef(table), str(column.name), columnAttributes(column, table, ctx)]),
    ),
  ];
}

export function renderRemoveColumn(table: TableRef, column: Column, ctx: RenderContext): Line[] {
  if (rulesOf(ctx.dialect).dropColumnBySql) {
    const sql = `ALTER TABLE ${quoteTable(ctx.dialect, table)} DROP COLUMN ${quoteIdentifier(ctx.dialect, column.name)}`;
    return [
      ...comment(
        "Sequelize's SQLite removeColumn copies the table and loses its indexes;\n" +
          'SQLite 3.35+ drops the column in place\n' +
          '(https://www.sqlite.org/lang_altertable.html#altertabdropcol).',
      ),
      statement(call('queryInterface.sequelize.query', [sqlText(sql)])),
    ];
  }
  return [statement(call('queryInterface.removeColumn', [renderTableRef(table), str(column.name)]))];
}

/**
 * changeColumn replaces the whole definition, so the attribute carries all of `to`. Never
 * `unique` (uniques are separate operations, and Sequelize's PostgreSQL changeColumn emits
 * `SET DEFAULT 42 UNIQUE` for an attribute with both) nor `primaryKey` (MySQL's CHANGE would
 * add a second key).
 */
export function renderChangeColumn(table: TableRef, from: Column, to: Column, ctx: RenderContext): Line[] {
  const lines: Line[] = [];
  const rules = rulesOf(ctx.dialect);
  // The comment in its own statement where the dialect's changeColumn mishandles it.
  const separateComment = rules.separateColumnComment;
  const definition: Column = separateComment ? { ...to, comment: null } : to;
  let attributes = columnAttributes(definition, table, ctx);
  if (rules.serialSequences && to.autoIncrement) {
    if (!from.autoIncrement) lines.push(...createSequence(table, to.name, ctx));
    lines.push(
      ...comment(
        `PostgreSQL: changeColumn drops the column's default;\nnextval keeps ${to.name} auto-incrementing.`,
      ),
    );
    attributes = postgresSerialAttributes(definition, table, ctx);
  }
  lines.push(statement(call('queryInterface.changeColumn', [renderTableRef(table), str(to.name), attributes])));
  if (rules.serialSequences && from.autoIncrement && !to.autoIncrement) {
    // What SERIAL (or the lines above) created goes with the auto-increment, as in the reverse.
    const sequence = sequenceName(table, from.name, ctx);
    lines.push(statement(call('queryInterface.sequelize.query', [sqlText(`DROP SEQUENCE IF EXISTS ${sequence}`)])));
  }
  if (separateComment && from.comment !== to.comment) {
    const target = `${quoteTable(ctx.dialect, table)}.${quoteIdentifier(ctx.dialect, to.name)}`;
    const value = to.comment === null ? 'NULL' : sqlString(ctx.dialect, to.comment);
    lines.push(statement(call('queryInterface.sequelize.query', [sqlText(`COMMENT ON COLUMN ${target} IS ${value}`)])));
  }
  return lines;
}

/**
 * Sequelize's PostgreSQL changeColumn turns `autoIncrement` into `TYPE SERIAL` (not a type) and
 * drops the default when none is given, which would detach the column from its sequence. The
 * sequence is the one SERIAL created: `<table>_<column>_seq`
 * (https://www.postgresql.org/docs/current/datatype-numeric.html#DATATYPE-SERIAL).
 */
function postgresSerialAttributes(to: Column, table: TableRef, ctx: RenderContext): Code {
  const qualified = sequenceName(table, to.name, ctx);
  const column: Column = {
    ...to,
    autoIncrement: false,
    defaultValue: to.defaultValue ?? { kind: 'sql', sql: `nextval('${qualified.replace(/'/g, "''")}'::regclass)` },
  };
  return columnAttributes(column, table, ctx);
}

function sequenceName(table: TableRef, column: string, ctx: RenderContext): string {
  const sequence = unfoldedName(`${table.name}_${column}_seq`, ctx);
  return table.schema ? `${unfoldedName(table.schema, ctx)}.${sequence}` : sequence;
}

/**
 * A column becoming auto-incrementing needs the sequence SERIAL would have made, owned by the
 * column (dropped with it) and started after the values already there
 * (https://www.postgresql.org/docs/current/sql-createsequence.html).
 */
function createSequence(table: TableRef, column: string, ctx: RenderContext): Line[] {
  const sequence = sequenceName(table, column, ctx);
  const q = (name: string) => quoteIdentifier(ctx.dialect, name);
  const target = quoteTable(ctx.dialect, table);
  return [
    ...comment(`Auto-increment ${column}: the sequence SERIAL would have created, continuing after the rows.`),
    statement(call('queryInterface.sequelize.query', [sqlText(`CREATE SEQUENCE IF NOT EXISTS ${sequence} OWNED BY ${target}.${q(column)}`)])),
    statement(
      call('queryInterface.sequelize.query', [
        sqlText(`SELECT setval('${sequence.replace(/'/g, "''")}', COALESCE(MAX(${q(column)}), 0) + 1, false) FROM ${target}`),
      ]),
    ),
  ];
}

/** Quoted only when PostgreSQL would otherwise fold it to lower case or misread it. */
function unfoldedName(name: string, ctx: RenderContext): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : quoteIdentifier(ctx.dialect, name);
}
