import type { Sequelize } from 'sequelize';
import type { TransactionMode } from '../../types/options';
import { dialectOf } from '../dialects';
import { OptionsError } from '../errors';

/**
 * Validates `createMigrator({ schema })`: a non-empty name, on a database with named schemas,
 * with migration transactions (the schema is entered with `SET LOCAL search_path`, which only a
 * transaction scopes: a session-level `SET` would follow the pooled connection to another tenant).
 */
export function resolveSchema(sequelize: Sequelize, schema: unknown, transaction: TransactionMode): string | null {
  if (schema === undefined || schema === null) return null;
  if (typeof schema !== 'string' || schema === '') throw new OptionsError('Option `schema` must be a non-empty string: the schema holding the tenant.', 'schema');
  const dialect = dialectOf(sequelize);
  if (!dialect.schemas) {
    throw new OptionsError(
      `Option \`schema\` ("${schema}") needs named schemas inside one database, which ${dialect.displayName} has not: ` +
        'keep a database (or file) per tenant and give each tenant its own Sequelize instance, without `schema`.',
      'schema',
    );
  }
  if (transaction === 'none') {
    throw new OptionsError(
      `Option \`transaction: 'none'\` cannot be combined with \`schema\` ("${schema}"): the migrations reach their schema through ` +
        "`SET LOCAL search_path` inside each migration's transaction. Use transaction: 'each' (or 'all').",
      'transaction',
    );
  }
  const limit = dialect.maxIdentifierLength;
  if (limit && (limit.unit === 'bytes' ? Buffer.byteLength(schema, 'utf8') : [...schema].length) > limit.max) {
    throw new OptionsError(`Option \`schema\` "${schema}" is longer than ${dialect.displayName}'s ${limit.max}-${limit.unit} identifiers.`, 'schema');
  }
  return schema;
}
