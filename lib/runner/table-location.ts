import type { Sequelize } from 'sequelize';
import { dialectOf } from '../dialects';
import type { SchemaRules } from '../dialects/dialect';
import { identifierQuoter } from '../sequelize-internals';

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
