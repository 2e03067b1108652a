/**
 * reset() on PostgreSQL: the tables of the connection's current schema (`public` by default).
 */
import { QueryTypes } from 'sequelize';
import { UnsupportedError, describeError } from '../../errors';
import { childrenFirst, dirtyTables, quoter, rowsProbe, select, type ResetDriver, type ShapeRow } from '../reset-driver';

const OWN_TABLES = `SELECT c.oid, c.relname FROM pg_class c
  WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')`;

/**
 * Columns (position, type, nullability, default, identity, enum labels), indexes, constraints and
 * user triggers of every table, in one query. Column positions are part of the shape: a column a
 * test dropped and added back lands at the end.
 */
const SHAPE = `WITH t AS (${OWN_TABLES})
SELECT t.relname AS t, 'table' AS k, '' AS d FROM t
UNION ALL
SELECT t.relname, 'column', a.attnum || ' ' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
    || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
    || coalesce(' default ' || pg_get_expr(ad.adbin, ad.adrelid), '')
    || CASE WHEN a.attidentity <> '' THEN ' identity ' || a.attidentity::text ELSE '' END
    || coalesce(' (' || (SELECT string_agg(e.enumlabel, ', ' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = a.atttypid) || ')', '')
  FROM t JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped
  LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
UNION ALL
SELECT t.relname, 'index', pg_get_indexdef(i.indexrelid) FROM t JOIN pg_index i ON i.indrelid = t.oid
UNION ALL
SELECT t.relname, 'constraint', k.conname || ' ' || pg_get_constraintdef(k.oid) FROM t JOIN pg_constraint k ON k.conrelid = t.oid
UNION ALL
SELECT t.relname, 'trigger', g.tgname FROM t JOIN pg_trigger g ON g.tgrelid = t.oid AND NOT g.tgisinternal
UNION ALL
SELECT t.relname, 'references', r.relname FROM t JOIN pg_constraint k ON k.conrelid = t.oid AND k.contype = 'f' JOIN pg_class r ON r.oid = k.confrelid`;

/** The serial and identity sequences of the schema's tables: `c` the table, `s` the sequence. */
const SEQUENCES = `(${OWN_TABLES}) c
  JOIN pg_depend d ON d.refobjid = c.oid AND d.refclassid = 'pg_class'::regclass AND d.classid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
  JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'`;

/**
 * Tables whose sequence handed out a value since it was last restarted: `pg_sequence_last_value`
 * is null until then (https://www.postgresql.org/docs/15/view-pg-sequences.html). The CASE keeps
 * the planner from calling it on an index before the join has filtered those out.
 */
const MOVED_COUNTERS = `SELECT 'c' AS k, c.relname AS t FROM ${SEQUENCES}
  WHERE CASE WHEN s.relkind = 'S' THEN pg_sequence_last_value(s.oid) END IS NOT NULL`;

/** Enum types of the schema that no column uses any more (after their tables were dropped). */
const UNUSED_ENUMS = `SELECT t.typname AS name FROM pg_type t
  WHERE t.typnamespace = current_schema()::regnamespace AND t.typtype = 'e'
    AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.atttypid IN (t.oid, t.typarray) AND NOT a.attisdropped)`;

export const postgresReset: ResetDriver = {
  shape: (sequelize) => select<ShapeRow>(sequelize, SHAPE),

  internal: () => false,

  async dirty(sequelize, owned) {
    const found = await select<{ k: string; t: string }>(sequelize, `${rowsProbe(sequelize, owned)} UNION ALL ${MOVED_COUNTERS}`);
    return dirtyTables(found, owned);
  },

  /**
   * DELETE, children before parents, then `setval(sequence, start, false)`: one round trip, one
   * implicit transaction (a multi-statement simple query). On the few rows of a test this is
   * several times faster than TRUNCATE, which gives every table and index a new file
   * (benchmarks/reset.bench.ts), and setval, unlike ALTER SEQUENCE RESTART, writes no new file
   * either. setval is not transactional, so it comes last: a failed DELETE leaves every counter.
   * References in a cycle have no such order: TRUNCATE ... CASCADE empties them all at once.
   */
  async empty(sequelize, dirty, references) {
    const q = quoter(sequelize);
    const order = childrenFirst(dirty.rows, references);
    try {
      if (order === null) {
        const tables = [...new Set([...dirty.rows, ...dirty.counters])];
        await sequelize.query(`TRUNCATE TABLE ${tables.map(q).join(', ')} RESTART IDENTITY CASCADE`, { transaction: null as never });
        return;
      }
      const statements = order.map((t) => `DELETE FROM ${q(t)};`);
      if (dirty.counters.length > 0) {
        statements.push(
          `SELECT setval(s.oid, p.seqstart, false) FROM ${SEQUENCES} JOIN pg_sequence p ON p.seqrelid = s.oid ` +
            `WHERE c.relname IN (${dirty.counters.map((t) => sequelize.escape(t)).join(', ')});`,
        );
      }
      await sequelize.query(statements.join('\n'), { type: QueryTypes.RAW, transaction: null as never });
    } catch (error) {
      // 23503: a table the include filter leaves alone still references rows we delete.
      if ((error as { original?: { code?: string } }).original?.code !== '23503') throw error;
      const table = String((error as { table?: string }).table ?? '');
      throw new UnsupportedError(
        `reset() cannot empty the tables: ${describeError(error)}. A table the include filter leaves alone references one reset() empties. ` +
          'Include it, or drop the reference.',
        table,
      );
    }
  },

  /** The enum types the tables used go too: a migration's own `CREATE TYPE` would fail on them. */
  async drop(sequelize, tables) {
    const q = quoter(sequelize);
    if (tables.length > 0) await sequelize.query(`DROP TABLE IF EXISTS ${tables.map(q).join(', ')} CASCADE`, { transaction: null as never });
    const enums = await select<{ name: string }>(sequelize, UNUSED_ENUMS);
    if (enums.length > 0) await sequelize.query(`DROP TYPE ${enums.map((e) => q(e.name)).join(', ')}`, { transaction: null as never });
  },
};
