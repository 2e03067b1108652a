/**
 * What a migrator created with `schema` adds to a run: every migration transaction enters the
 * schema (the dialect's `SET LOCAL search_path`), and a step that would run outside a
 * transaction is refused, since nothing would scope its unqualified names.
 */
import type { Sequelize, Transaction } from 'sequelize';
import type { Dialect } from '../dialects/dialect';
import { UnsupportedError } from '../errors';
import type { RunContext } from '../runner/run';
import { installNamespace, runInTransaction } from '../runner/transaction-context';

export function schemaScope(sequelize: Sequelize, dialect: Dialect, schema: string | null): RunContext['scope'] {
  const rules = dialect.schemas;
  if (schema === null || !rules) return undefined;
  return {
    enter: (transaction: Transaction) => rules.enter(sequelize, transaction, schema),
    queryInterface: rules.queryInterface(sequelize, schema),
    refuseOutside: (migration: string) =>
      new UnsupportedError(
        `Migration "${migration}" runs outside a transaction, which a migrator with \`schema\` ("${schema}") cannot scope: ` +
          'its unqualified names would land in whatever schema the pooled connection has. Nothing ran. ' +
          'Remove `transaction = false` from it (or qualify every name in it with the schema and run it without `schema`).',
        migration,
      ),
  };
}

/**
 * Runs `fn` with unqualified names resolving to `schema`: inside a transaction that entered it
 * and is always rolled back (reads only: the data-loss probe of generate()). Without a schema,
 * just `fn`.
 */
export async function inSchema<T>(sequelize: Sequelize, dialect: Dialect, schema: string | null, fn: () => Promise<T>): Promise<T> {
  const rules = dialect.schemas;
  if (schema === null || !rules) return fn();
  const uninstall = installNamespace(sequelize);
  const transaction = await sequelize.transaction();
  try {
    await rules.enter(sequelize, transaction, schema);
    return await runInTransaction(sequelize, transaction, fn);
  } finally {
    await transaction.rollback().catch(() => undefined);
    uninstall();
  }
}
