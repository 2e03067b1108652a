import type { Sequelize } from 'sequelize';
import type { ConnectionDescription } from './dialect';

/** A server database: `postgres database app on 127.0.0.1:5432` (host and port when configured). */
export function describeServer(sequelize: Sequelize): ConnectionDescription {
  const config = sequelize.config;
  const database = String(config.database ?? '');
  const where = config.host ? ` on ${config.host}${config.port ? `:${config.port}` : ''}` : '';
  return { database, text: `${sequelize.getDialect()} database ${database}${where}` };
}
