import { UnsupportedError } from '../errors';
import type { Index, TableRef } from '../../types/schema';
import type { RenderContext } from './render-column';
import { rulesOf } from './quote-sql';
import { renderTableRef } from './render-table-ref';
import { arr, call, obj, raw, sqlText, statement, str, type Code, type Line, type ObjectEntry } from './source-writer';

/**
 * The name to give a UNIQUE constraint the models leave unnamed: Sequelize's own convention for
 * `addConstraint({ type: 'unique' })`, written out so the migration shows it.
 */
export function uniqueConstraintName(table: TableRef, index: Index): string {
  return index.name ?? `${table.name}_${index.columns.join('_')}_uk`;
}

export function renderAddIndex(table: TableRef, index: Index, ctx: RenderContext): Line[] {
  if (index.origin === 'constraint' && !rulesOf(ctx.dialect).uniqueConstraintsAsIndexes) {
    return [statement(call('queryInterface.addConstraint', [renderTableRef(table), uniqueConstraintOptions(table, index)]))];
  }
  // SQLite: a unique index, not addConstraint, whose SQLite version copies the table through
  // describeTable and loses every index on it (the dialect's uniqueConstraintsAsIndexes).
  return [statement(addIndexCall(table, index, ctx))];
}

export function uniqueConstraintOptions(table: TableRef, index: Index): Code {
  return obj([
    ['type', str('unique')],
    ['fields', arr(index.columns.map(str))],
    ['name', str(uniqueConstraintName(table, index))],
  ]);
}

function addIndexCall(table: TableRef, index: Index, ctx: RenderContext): Code {
  const name = index.origin === 'constraint' ? uniqueConstraintName(table, index) : index.name;
  const method = index.using ?? null;
  const indexType = method !== null && rulesOf(ctx.dialect).indexTypes.has(method.toUpperCase());
  const options: (ObjectEntry | null)[] = [
    name !== null ? ['name', str(name)] : null,
    index.unique || index.origin === 'constraint' ? ['unique', raw('true')] : null,
    method !== null && indexType ? ['type', str(method.toUpperCase())] : null,
    method !== null && !indexType ? ['using', str(method)] : null,
    index.where ? ['where', call('Sequelize.literal', [sqlText(index.where)])] : null,
  ];
  // Expression fields and operator classes (`{ name, operator }` fields) are only typed in the
  // options form: addIndex(table, { fields, ... }).
  const fields = index.expression ? arr([call('Sequelize.literal', [sqlText(index.expression)])]) : operatorFields(index);
  if (fields !== null) {
    return call('queryInterface.addIndex', [renderTableRef(table), obj([...options, ['fields', fields]])]);
  }
  return call('queryInterface.addIndex', [renderTableRef(table), arr(index.columns.map(str)), obj(options)]);
}

/** The fields of an index that names operator classes; null when it names none. */
function operatorFields(index: Index): Code | null {
  const operators = index.operators ?? [];
  if (!operators.some((operator) => operator !== null)) return null;
  return arr(
    index.columns.map((column, i) => {
      const operator = operators[i] ?? null;
      return operator === null ? str(column) : obj([['name', str(column)], ['operator', str(operator)]]);
    }),
  );
}

export function renderRemoveIndex(table: TableRef, index: Index, ctx: RenderContext): Line[] {
  const name = index.name;
  if (name === null) {
    throw new UnsupportedError(
      `Cannot render the removal of an unnamed index on ${table.name} (${index.columns.join(', ')}): ` +
        'removeIndex needs the name the database gave it. Introspect the database for it.',
      table.name,
    );
  }
  const rules = rulesOf(ctx.dialect);
  const prefix = rules.constraintIndexPrefix;
  if (index.origin === 'constraint' && prefix !== null && name.startsWith(prefix)) {
    throw new UnsupportedError(
      `SQLite cannot drop ${name}, the index behind a UNIQUE constraint of ${table.name}: ` +
        'the table must be rebuilt (a rebuildTable operation).',
      table.name,
    );
  }
  if (index.origin === 'constraint' && !rules.uniqueConstraintsAsIndexes) {
    return [statement(call('queryInterface.removeConstraint', [renderTableRef(table), str(name)]))];
  }
  return [statement(call('queryInterface.removeIndex', [renderTableRef(table), str(name)]))];
}
