import type { Sequelize } from 'sequelize';
import type { DialectName } from '../../types/schema';
import { UnsupportedError } from '../errors';
import type { Dialect } from './dialect';

/**
 * Every dialect, in the order a generated migration's branches take them. Only the dialect in use
 * is loaded. A new dialect is a folder beside these and one line here.
 */
const DIALECTS: Readonly<Record<DialectName, () => Dialect>> = {
  sqlite: () => (require('./sqlite') as typeof import('./sqlite')).sqliteDialect,
  mysql: () => (require('./mysql') as typeof import('./mysql')).mysqlDialect,
  // MariaDB (either driver) is the MySQL dialect under its own name.
  mariadb: () => ({ ...(require('./mysql') as typeof import('./mysql')).mysqlDialect, name: 'mariadb' }),
  postgres: () => (require('./postgres') as typeof import('./postgres')).postgresDialect,
};

/** True for the name of a supported dialect (Sequelize's `getDialect()`). */
export function isDialectName(name: string): name is DialectName {
  return Object.prototype.hasOwnProperty.call(DIALECTS, name);
}

/** The supported dialects' names, for messages: `sqlite, mysql, mariadb or postgres`. */
export function dialectNamesText(): string {
  const names = Object.keys(DIALECTS);
  return `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

/** The Dialect of a name. */
export function dialectNamed(name: DialectName): Dialect {
  return DIALECTS[name]();
}

/**
 * The dialects a generated migration may run on besides `name`, one per database (MariaDB is
 * MySQL's), in branch order.
 */
export function otherDialects(name: DialectName): Dialect[] {
  const own = dialectNamed(name);
  const seen = new Set<string>([own.displayName]);
  const others: Dialect[] = [];
  for (const other of Object.keys(DIALECTS) as DialectName[]) {
    const dialect = dialectNamed(other);
    if (seen.has(dialect.displayName)) continue;
    seen.add(dialect.displayName);
    others.push(dialect);
  }
  return others;
}

/** The Dialect for a Sequelize instance; MariaDB (either driver) is the MySQL dialect. */
export function dialectOf(sequelize: Sequelize): Dialect {
  const name = sequelize.getDialect();
  if (!isDialectName(name)) {
    throw new UnsupportedError(
      `sequelize-automigrate supports ${dialectNamesText()}; this Sequelize instance uses ${name}.`,
      name,
    );
  }
  return dialectNamed(name);
}
