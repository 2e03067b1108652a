import type { Sequelize } from 'sequelize';
import { UnsupportedError } from '../errors';
import type { Dialect } from './dialect';

/** The Dialect for a Sequelize instance; MariaDB (either driver) is the MySQL dialect. */
export function dialectOf(sequelize: Sequelize): Dialect {
  const name = sequelize.getDialect();
  switch (name) {
    // Only the dialect in use is loaded.
    case 'sqlite':
      return (require('./sqlite') as typeof import('./sqlite')).sqliteDialect;
    case 'postgres':
      return (require('./postgres') as typeof import('./postgres')).postgresDialect;
    case 'mysql':
    case 'mariadb': {
      const { mysqlDialect } = require('./mysql') as typeof import('./mysql');
      return name === 'mariadb' ? { ...mysqlDialect, name: 'mariadb' } : mysqlDialect;
    }
    default:
      throw new UnsupportedError(
        `sequelize-automigrate supports sqlite, postgres, mysql and mariadb; this Sequelize instance uses ${name}.`,
        name,
      );
  }
}
