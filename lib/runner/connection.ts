import type { Sequelize } from 'sequelize';
import { ConnectionError, MigrationError, describeError } from '../errors';
import { forgetFailedSqliteConnection, sqliteStorage } from '../sequelize-internals';

/**
 * Sequelize's connection failures (refused, unknown host, access denied, pool acquire timeout,
 * a server that closed the connection) as our ConnectionError naming the database; null for any
 * other error. Also drops a SQLite connection that failed to open, which Sequelize would otherwise
 * hand out again (and wait on forever).
 */
export function asConnectionError(sequelize: Sequelize, error: unknown): ConnectionError | null {
  if (error instanceof ConnectionError) return error;
  if (error instanceof MigrationError) {
    const cause = (error as { cause?: unknown }).cause;
    return cause === undefined ? null : asConnectionError(sequelize, cause);
  }
  const name = (error as { name?: string })?.name ?? '';
  // SQLite opening its file: Sequelize creates the folder first, and that can fail too.
  const fileSystem = sequelize.getDialect() === 'sqlite' && typeof (error as NodeJS.ErrnoException)?.syscall === 'string';
  if (!fileSystem && !/^Sequelize.*(Connection|HostNotFound|HostNotReachable|AccessDenied|InvalidConnection)/.test(name)) return null;
  forgetFailedSqliteConnection(sequelize);
  const config = sequelize.config;
  const where = config.host && sequelize.getDialect() !== 'sqlite' ? ` on ${config.host}${config.port ? `:${config.port}` : ''}` : '';
  const database = sequelize.getDialect() === 'sqlite' ? sqliteStorage(sequelize) : String(config.database ?? '');
  return new ConnectionError(
    `Cannot reach the ${sequelize.getDialect()} database ${database}${where}: ${describeError(error)}`,
    database || sequelize.getDialect(),
    error,
  );
}
