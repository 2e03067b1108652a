import type { QueryInterface, Sequelize, Transaction } from 'sequelize';
import type { AppliedInfo, UmzugStorage } from '../../types/options';
import type { History, HistoryInsert } from './contract';
import { dialectOf } from '../dialects';
import { HistoryTableError, MigrationError, MigrationNameError, describeError } from '../errors';
import { compareNames, migrationName } from './sources';
import type { SchemaRules } from '../dialects/dialect';
import { identifierQuoter, sequelizeModuleOf } from '../sequelize-internals';

/**
 * The history table, shared with sequelize-cli and umzug's SequelizeStorage: their only column is
 * `name` (the primary key); ours are added beside it and nullable, so rows those tools write
 * (name only) stay valid, and they keep reading ours. umzug's three-method storage contract
 * (executed / log / unlog) is the shape of the runner's History (contract.ts).
 */
export const HISTORY_COLUMNS = ['checksum', 'applied_at', 'duration_ms'] as const;

/** The history table's default name, sequelize-cli's and umzug's SequelizeStorage's. */
export const DEFAULT_TABLE = 'SequelizeMeta';

/** `Sequelize.STRING`: VARCHAR(255), the `name` column sequelize-cli and we create. */
const DEFAULT_NAME_LENGTH = 255;

const TIMESTAMP_COLUMNS: readonly string[] = ['createdAt', 'updatedAt', 'created_at', 'updated_at'];

/**
 * The table holding markers of steps under way (see progress.ts). Here, not there: option
 * validation checks that it fits the dialect's identifier limit, on the no-op boot path too.
 */
export function progressTableName(historyTable: string): string {
  return `${historyTable}_progress`;
}

export interface HistoryRow {
  readonly name: string;
  readonly checksum?: string;
}

export type { History, HistoryInsert } from './contract';

/** The migrator's history: its umzug storage when it has one (loaded only then), else the table. */
export function historyFor(options: {
  readonly sequelize: Sequelize;
  readonly tableName: string;
  readonly storage?: UmzugStorage;
  readonly schema?: string | null;
}): History {
  if (options.storage === undefined) return new HistoryTable(options.sequelize, options.tableName, options.schema ?? null);
  const { StorageHistory } = require('./umzug-storage') as typeof import('./umzug-storage');
  return new StorageHistory(options.sequelize, options.storage);
}

export class HistoryTable implements History {
  private readonly location: TableLocation;
  private readonly quoted: string;
  /** QueryInterface's name for the table: with its schema when it has one. */
  private readonly target: TableTarget;
  private shapeChecked = false;
  /** umzug's SequelizeStorage with `timestamps: true` adds these, NOT NULL: we fill them. */
  private timestamps: string[] = [];
  /** The `name` column's length in characters once known; null: unlimited (TEXT) or not read yet. */
  private nameLength: number | null = null;
  /** Its declared type, for messages; null when this run creates the table. */
  private nameType: string | null = null;

  constructor(
    private readonly sequelize: Sequelize,
    readonly tableName: string,
    schema: string | null = null,
  ) {
    this.location = new TableLocation(sequelize, tableName, schema);
    this.quoted = this.location.quoted;
    this.target = this.location.target;
  }

  private get queryInterface(): QueryInterface {
    return this.sequelize.getQueryInterface();
  }

  /**
   * Applied migrations, sorted by name; null when the table does not exist yet. One round trip:
   * `SELECT *` tolerates a table that sequelize-cli created with `name` only.
   */
  async executed(): Promise<AppliedInfo[] | null> {
    let rows: Record<string, unknown>[];
    try {
      rows = await this.selectAll();
    } catch (error) {
      // An unreachable database fails once, within its connect timeout: no second try.
      const unreachable = connectionError(this.sequelize, error);
      if (unreachable) throw unreachable;
      if (!(await this.exists().catch(() => true))) return null;
      // Another process may have created the table between our SELECT and the check: read again.
      try {
        rows = await this.selectAll();
      } catch {
        throw this.wrap(error);
      }
    }
    if (rows.length > 0 && !('name' in rows[0])) throw this.badShape(Object.keys(rows[0]));
    return rows.map(toApplied).sort((a, b) => compareNames(a.name, b.name));
  }

  private async selectAll(): Promise<Record<string, unknown>[]> {
    return (await this.sequelize.query(`SELECT * FROM ${this.quoted}`, {
      type: 'SELECT' as never,
      raw: true,
      transaction: null as never,
    })) as unknown as Record<string, unknown>[];
  }

  private exists(): Promise<boolean> {
    return this.location.exists();
  }

  /**
   * Creates the table, or adds our columns to one another tool created, and refuses `names` (the
   * history rows a run is about to write) that its `name` column cannot hold, before any of that
   * runs: MySQL would otherwise commit a migration's DDL and then reject its history row. Call
   * under the lock.
   */
  async prepare(names: readonly string[] = []): Promise<void> {
    if (!this.shapeChecked) await this.checkShape(names);
    this.assertNamesFit(names);
  }

  private async checkShape(names: readonly string[]): Promise<void> {
    const { name, ...ours } = historyAttributes(this.sequelize);
    let doing = 'Looking for';
    try {
      if (!(await this.exists())) {
        this.nameLength = DEFAULT_NAME_LENGTH;
        this.assertNamesFit(names);
        doing = 'Creating';
        await this.location.ensureSchema();
        await this.queryInterface.createTable(this.target, { name, ...ours });
      } else {
        doing = 'Reading the columns of';
        const described = (await this.queryInterface.describeTable(this.target)) as Record<string, DescribedColumn>;
        const columns = Object.keys(described);
        if (!columns.includes('name') || /INT|SERIAL|NUMERIC|DECIMAL|BOOL|DATE|TIME/i.test(String(described.name.type))) {
          throw this.badShape(columns, described.name ? `its \`name\` column is ${described.name.type}, not text` : undefined);
        }
        this.timestamps = columns.filter((c) => TIMESTAMP_COLUMNS.includes(c));
        // A column we cannot fill would fail the history insert after the migration ran.
        const unfillable = columns.filter((c) => {
          const d = described[c];
          const filled = c === 'name' || this.timestamps.includes(c);
          return !filled && !d.allowNull && (d.defaultValue === null || d.defaultValue === undefined) && !d.autoIncrement;
        });
        if (unfillable.length > 0) {
          throw this.badShape(columns, `${unfillable.map((c) => `\`${c}\``).join(', ')} cannot be null and has no default`);
        }
        this.nameType = String(described.name.type);
        this.nameLength = declaredLength(this.nameType);
        this.assertNamesFit(names);
        doing = 'Adding our columns to';
        for (const column of HISTORY_COLUMNS) {
          if (!columns.includes(column)) await this.queryInterface.addColumn(this.target, column, ours[column]);
        }
      }
    } catch (error) {
      throw error instanceof MigrationError ? error : this.wrap(error, doing);
    }
    this.shapeChecked = true;
  }

  /** Where the database enforces `VARCHAR(n)` (SQLite stores any length). */
  private assertNamesFit(names: readonly string[]): void {
    const max = this.nameLength;
    if (max === null || !dialectOf(this.sequelize).enforcesVarcharLength) return;
    const tooLong = names.find((name) => [...name].length > max);
    if (tooLong === undefined) return;
    const column = this.nameType
      ? `its \`name\` column is ${this.nameType}`
      : `the \`name\` column this run would create is VARCHAR(${max}), as sequelize-cli's`;
    const widen = this.nameType
      ? `widen the column (queryInterface.changeColumn('${this.tableName}', 'name', { type: Sequelize.STRING(${Math.max(DEFAULT_NAME_LENGTH, [...tooLong].length)}), allowNull: false }), or ALTER TABLE)`
      : 'create the history table beforehand with a wider `name` column';
    throw new MigrationNameError(
      `Migration "${tooLong}" has a name of ${[...tooLong].length} characters, longer than history table "${this.tableName}" can record: ` +
        `${column}, at most ${max}. Nothing ran. Shorten the name, or ${widen}.`,
      migrationName(tooLong),
      max,
    );
  }

  async logMigration(row: HistoryInsert, transaction: Transaction | null): Promise<void> {
    await this.insertMany([row], transaction);
  }

  /** 100 rows per INSERT: far below every dialect's limit on statement size and parameters. */
  async insertMany(rows: readonly HistoryInsert[], transaction: Transaction | null): Promise<void> {
    const now = new Date();
    const stamps = Object.fromEntries(this.timestamps.map((c) => [c, now]));
    for (let start = 0; start < rows.length; start += 100) {
      await this.queryInterface.bulkInsert(
        this.target,
        rows.slice(start, start + 100).map((row) => ({ name: row.storedName, checksum: row.checksum, applied_at: row.appliedAt, duration_ms: row.durationMs, ...stamps })),
        { transaction: transaction ?? (null as never) },
      );
    }
  }

  async unlogMigration(storedNames: readonly string[], transaction: Transaction | null): Promise<void> {
    if (storedNames.length === 0) return;
    await this.queryInterface.bulkDelete(this.target, { name: [...storedNames] }, { transaction: transaction ?? (null as never) });
  }

  forget(): void {
    this.shapeChecked = false;
    this.timestamps = [];
    this.nameLength = null;
    this.nameType = null;
  }

  private badShape(columns: string[], why = 'it has no `name` column'): HistoryTableError {
    return new HistoryTableError(
      `History table "${this.tableName}" exists with a shape we cannot use: ${why} (columns: ${columns.join(', ') || 'none'}). ` +
        'It belongs to something else: pick another `tableName`, or rename that table.',
      this.tableName,
    );
  }

  /** `doing`: what failed, so that a failed CREATE does not read as "Reading ... failed". */
  private wrap(error: unknown, doing = 'Reading'): Error {
    return (
      connectionError(this.sequelize, error) ??
      new HistoryTableError(`${doing} history table "${this.tableName}" failed: ${describeError(error)}`, this.tableName, error)
    );
  }
}

/**
 * The history table's columns as this library creates it: `name` as sequelize-cli defines it
 * (lib/core/migrator.js: STRING, 255), ours beside it, nullable. Shared with offline scripts.
 */
export function historyAttributes(sequelize: Sequelize) {
  const S = sequelizeModuleOf(sequelize);
  return {
    name: { type: S.STRING, allowNull: false, unique: true, primaryKey: true, autoIncrement: false },
    checksum: { type: S.STRING(64), allowNull: true },
    applied_at: { type: S.DATE, allowNull: true },
    duration_ms: { type: S.INTEGER, allowNull: true },
  };
}

/** Loaded on the error path only. */
function connectionError(sequelize: Sequelize, error: unknown): Error | null {
  return (require('./connection') as typeof import('./connection')).asConnectionError(sequelize, error);
}

/** `VARCHAR(255)`, `CHARACTER VARYING(100)`, `CHAR(36)` -> the length; TEXT and friends -> null. */
function declaredLength(type: string): number | null {
  const match = /CHAR(?:ACTER)?(?:\s+VARYING)?\s*\(\s*(\d+)\s*\)/i.exec(type);
  return match ? Number(match[1]) : null;
}

interface DescribedColumn {
  readonly type: string;
  readonly allowNull: boolean;
  readonly defaultValue: unknown;
  readonly autoIncrement?: boolean;
}

function toApplied(row: Record<string, unknown>): AppliedInfo {
  const storedName = String(row.name);
  const at = row.applied_at;
  const duration = row.duration_ms;
  return {
    name: migrationName(storedName),
    storedName,
    appliedAt: at === null || at === undefined ? null : at instanceof Date ? at : parseDate(String(at)),
    durationMs: duration === null || duration === undefined ? null : Number(duration),
    checksum: typeof row.checksum === 'string' ? row.checksum : null,
  };
}

/** SQLite hands dates back as text, `2026-11-24 01:02:03.123 +00:00`, which Date cannot parse. */
export function parseDate(text: string): Date {
  const m = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d(?:\.\d+)?) ?(Z|[+-]\d\d:?\d\d)?$/.exec(text);
  return new Date(m ? `${m[1]}T${m[2]}${m[3] ?? 'Z'}` : text);
}

/** QueryInterface's TableName: a bare name, or the name in a schema. */
export type TableTarget = string | { readonly tableName: string; readonly schema: string };

/**
 * Where one of our tables (history, progress markers) lives: the connection's default schema, or
 * the schema of `createMigrator({ schema })`. `target` goes to QueryInterface calls, `quoted` into
 * SQL text, `exists()` asks the catalog of that schema only, so a same-named table elsewhere
 * never answers for it.
 */
export class TableLocation {
  readonly target: TableTarget;
  readonly quoted: string;
  private readonly rules: SchemaRules | undefined;

  constructor(
    private readonly sequelize: Sequelize,
    readonly tableName: string,
    readonly schema: string | null = null,
  ) {
    this.rules = schema === null ? undefined : dialectOf(sequelize).schemas;
    if (schema !== null && this.rules) {
      this.target = { tableName, schema };
      this.quoted = this.rules.qualify(sequelize, schema, tableName);
    } else {
      this.target = tableName;
      this.quoted = identifierQuoter(sequelize)(tableName);
    }
  }

  async exists(): Promise<boolean> {
    if (this.schema !== null && this.rules) return this.rules.tableExists(this.sequelize, this.schema, this.tableName);
    const tables = (await this.sequelize.getQueryInterface().showAllTables()) as unknown[];
    return tables.some((t) => (typeof t === 'string' ? t : (t as { tableName?: string }).tableName) === this.tableName);
  }

  /** Creates the schema when missing (call before creating the table); nothing without one. */
  async ensureSchema(): Promise<void> {
    if (this.schema !== null && this.rules) await this.rules.ensure(this.sequelize, this.schema);
  }
}
