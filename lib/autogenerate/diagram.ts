/**
 * `automigrate diagram`: the schema of the models or of the database as a Mermaid erDiagram.
 * Both sides go through the dialect's normalisation, as diff() compares them, so after an
 * upgrade that leaves diff() empty the two diagrams are the same text.
 */
import type { Schema, Table } from '../../types/schema';
import { ownTables } from './compute-diff';
import type { Dialect } from '../dialects/dialect';
import type { ResolvedOptions } from '../options';
import { mermaidDiagram } from '../render/mermaid';
import { schemaFromModels } from '../schema/from-models';

/** Where a diagram's schema comes from. */
export type DiagramSource = 'models' | 'database';

/** The schema `from` describes, without this library's own tables, each table normalised. */
export async function diagramSchema(options: ResolvedOptions, dialect: Dialect, from: DiagramSource): Promise<Schema> {
  const ours = ownTables(options.tableName);
  const schema =
    from === 'models' ? schemaFromModels(options.sequelize) : await dialect.introspect(options.sequelize, { excludeTables: ours });
  const include = options.include;
  const tables = schema.tables
    .filter((t: Table) => !ours.includes(t.name) && (include ? include({ kind: 'table', name: t.name }) : true))
    .map((t: Table) => dialect.normalizeTable(t));
  return { ...schema, tables };
}

/** The Mermaid erDiagram of the models or the database. */
export async function diagram(options: ResolvedOptions, dialect: Dialect, from: DiagramSource): Promise<string> {
  return mermaidDiagram(await diagramSchema(options, dialect, from));
}
