import type { Sequelize } from 'sequelize';
import { UnsupportedError } from '../errors';
import type { Dialect } from './dialect';
import { mysqlDialect } from './mysql';
import { postgresDialect } from './postgres';
import { sqliteDialect } from './sqlite';

/** The Dialect for a Sequelize instance; MariaDB (either driver) is the MySQL dialect. */
export function dialectOf(sequelize: Sequelize): Dialect {
  const name = sequelize.getDialect();
  switch (name) {
    case 'sqlite':
      return sqliteDialect;
    case 'postgres':
      return postgresDialect;
    case 'mysql':
    case 'mariadb':
      return name === 'mariadb' ? { ...mysqlDialect, name: 'mariadb' } : mysqlDialect;
    default:
      throw new UnsupportedError(
        `sequelize-automigrate supports sqlite, postgres, mysql and mariadb; this Sequelize instance uses ${name}.`,
        name,
      );
  }
}
