/**
 * A baseline's tables on MySQL/MariaDB: every DDL statement there is a commit of its own with its
 * table files rewritten, so `CREATE TABLE` followed by `ALTER TABLE ... ADD INDEX` (and `ADD
 * CONSTRAINT`) for each index and foreign key costs one table rebuild per statement. The index
 * and constraint definitions are valid inside `CREATE TABLE` as they are written after `ADD`:
 * folded in, each table is one statement (measured on MariaDB 10.11 for 40 tables with 80 indexes
 * and 40 foreign keys: 118 ms against 550 ms as 160 statements, benchmarks/README.md).
 *
 * Only the shapes Sequelize's QueryInterface writes fold; anything else (several clauses, index
 * options such as ALGORITHM, comments) is sent as written. A definition folds into the table
 * created last, never across another CREATE TABLE, so a foreign key to a table created later
 * stays where it was, after that table.
 */
import type { DDLFolder } from '../dialect';

const IDENT = '`(?:[^`]|``)+`';
const TABLE = `(${IDENT}(?:\\.${IDENT})?)`;
const CREATE = new RegExp(`^CREATE TABLE (?:IF NOT EXISTS )?${TABLE} \\((.*)\\)( ENGINE=[^;]*?);?\\s*$`, 's');
const ADD = new RegExp(`^ALTER TABLE ${TABLE} ADD ((?:CONSTRAINT ${IDENT} (?:FOREIGN KEY|UNIQUE|CHECK)|(?:UNIQUE |FULLTEXT |SPATIAL )?INDEX) .*?);?\\s*$`, 's');
/** Anything that would not read as one definition inside CREATE TABLE. */
const UNSAFE = /,\s*(?:ADD|DROP|MODIFY|CHANGE|ALTER|RENAME|ALGORITHM|LOCK)\b|\b(?:ALGORITHM|LOCK)\s*=|\/\*|--|#/i;

export const mysqlFolder: DDLFolder = {
  fold(held, next) {
    if (CREATE.test(next) && next.split(') ENGINE=').length === 2) return { send: held, hold: [next] };
    const add = ADD.exec(next);
    const create = held.length === 1 ? CREATE.exec(held[0]) : null;
    if (!add || !create || add[1] !== create[1] || UNSAFE.test(add[2])) return null;
    return { send: [], hold: [`CREATE TABLE IF NOT EXISTS ${create[1]} (${create[2]}, ${add[2]})${create[3]};`] };
  },
  flush: (held) => [...held],
};
