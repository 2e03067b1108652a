import type { Sequelize } from 'sequelize';
import { ConnectionError, MigrationError, describeError } from '../errors';
import { dialectOf } from '../dialects';

/**
 * Sequelize's connection failures (refused, unknown host, access denied, pool acquire timeout,
 * a server that closed the connection) as our ConnectionError naming the database; null for any
 * other error. Also drops a connection that failed to open where Sequelize would otherwise hand it
 * out again (SQLite: and wait on it forever).
 */
export function asConnectionError(sequelize: Sequelize, error: unknown): ConnectionError | null {
  if (error instanceof ConnectionError) return error;
  if (error instanceof MigrationError) {
    const cause = (error as { cause?: unknown }).cause;
    return cause === undefined ? null : asConnectionError(sequelize, cause);
  }
  const name = (error as { name?: string })?.name ?? '';
  const dialect = dialectOf(sequelize);
  const openFailure = dialect.isOpenFailure?.(error) ?? false;
  if (!openFailure && !/^Sequelize.*(Connection|HostNotFound|HostNotReachable|AccessDenied|InvalidConnection)/.test(name)) return null;
  dialect.forgetFailedConnection?.(sequelize);
  const { database, text } = dialect.describe(sequelize);
  return new ConnectionError(`Cannot reach the ${text}: ${describeError(error)}`, database || dialect.name, error);
}
