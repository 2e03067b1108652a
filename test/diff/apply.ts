/**
 * A tiny in-memory database for differ tests: applies operations to a Schema, written apart from
 * lib/diff so it can judge it. It is strict: an operation whose prior state does not match what is
 * there (a removeColumn carrying another column, a rebuild from another table), or that breaks a
 * reference a database would refuse (a table created before the one it references, a column
 * dropped under an index), throws. So "apply, then diff is empty" also checks the order and the
 * prior state every operation carries.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Operation } from '../../types/operations';
import type { ColumnType, EnumType, ForeignKey, Index, Schema, Table, TableRef } from '../../types/schema';

export interface ApplyOptions {
  /**
   * Check foreign keys point at existing tables when created and block dropping what they
   * reference. Off for SQLite, which resolves foreign keys when rows change, not at CREATE TABLE.
   */
  readonly checkReferences: boolean;
  /** Check a column type naming an enum type finds that type (PostgreSQL). */
  readonly checkEnums: boolean;
}

class ApplyError extends Error {}

function key(ref: TableRef): string {
  return `${ref.schema ?? ''}.${ref.name}`;
}

function fail(message: string, op: Operation): never {
  throw new ApplyError(`${message}\n  in ${JSON.stringify(op)}`);
}

function sameIndex(a: Index, b: Index): boolean {
  if (a.name !== null && b.name !== null) return a.name === b.name;
  return (
    isDeepStrictEqual(a.columns, b.columns) &&
    a.unique === b.unique &&
    (a.expression ?? null) === (b.expression ?? null) &&
    (a.where ?? null) === (b.where ?? null) &&
    (a.using ?? null) === (b.using ?? null)
  );
}

function sameKey(a: ForeignKey, b: ForeignKey): boolean {
  if (a.name !== null && b.name !== null) return a.name === b.name;
  return (
    isDeepStrictEqual(a.columns, b.columns) &&
    a.referencedTable === b.referencedTable &&
    isDeepStrictEqual(a.referencedColumns, b.referencedColumns)
  );
}

/**
 * The same table, whatever the order of its columns, indexes and keys: a column dropped and added
 * back lands at the end, and a rebuild copies rows by column name.
 */
function sameTable(a: Table, b: Table): boolean {
  const sorted = <T>(items: readonly T[]) => items.map((item) => JSON.stringify(item)).sort();
  return (
    a.name === b.name &&
    a.schema === b.schema &&
    a.comment === b.comment &&
    isDeepStrictEqual(a.primaryKey, b.primaryKey) &&
    isDeepStrictEqual(sorted(a.columns), sorted(b.columns)) &&
    isDeepStrictEqual(sorted(a.indexes), sorted(b.indexes)) &&
    isDeepStrictEqual(sorted(a.foreignKeys), sorted(b.foreignKeys))
  );
}

function enumNames(table: Table): string[] {
  return table.columns.flatMap((c) => {
    const type = c.type.name === 'ARRAY' ? c.type.element : c.type;
    return type?.name === 'ENUM' && type.enumName ? [type.enumName] : [];
  });
}

export function applyOperations(schema: Schema, operations: readonly Operation[], options: ApplyOptions): Schema {
  let tables = new Map(schema.tables.map((t) => [key(t), t]));
  let enums = new Map(schema.enums.map((e) => [e.name, e]));

  const get = (ref: TableRef, op: Operation): Table => tables.get(key(ref)) ?? fail(`no table ${key(ref)}`, op);
  const put = (table: Table) => {
    tables = new Map(tables);
    tables.set(key(table), table);
  };
  const referencedBy = (target: string, except: string): string[] =>
    [...tables.values()]
      .filter((t) => key(t) !== except)
      .filter((t) => t.foreignKeys.some((fk) => key({ name: fk.referencedTable, schema: fk.referencedSchema }) === target))
      .map((t) => t.name);
  const checkKeysResolve = (table: Table, op: Operation) => {
    if (!options.checkReferences) return;
    for (const fk of table.foreignKeys) {
      const target = key({ name: fk.referencedTable, schema: fk.referencedSchema });
      const referenced = target === key(table) ? table : tables.get(target);
      if (!referenced) fail(`foreign key to missing table ${target}`, op);
      for (const column of fk.referencedColumns) {
        if (!referenced.columns.some((c) => c.name === column)) fail(`foreign key to missing column ${target}.${column}`, op);
      }
    }
  };
  const checkTableUses = (table: Table, op: Operation) => {
    const names = new Set(table.columns.map((c) => c.name));
    for (const column of [...table.primaryKey, ...table.indexes.flatMap((i) => i.columns), ...table.foreignKeys.flatMap((f) => f.columns)]) {
      if (!names.has(column)) fail(`${table.name} uses missing column ${column}`, op);
    }
    if (options.checkEnums) {
      for (const name of enumNames(table)) if (!enums.has(name)) fail(`column type uses missing enum ${name}`, op);
    }
  };

  for (const op of operations) {
    switch (op.kind) {
      case 'createTable': {
        if (tables.has(key(op.table))) fail('table exists', op);
        checkTableUses(op.table, op);
        checkKeysResolve(op.table, op);
        put(op.table);
        break;
      }
      case 'dropTable': {
        const existing = get(op.table, op);
        if (!sameTable(existing, op.table)) fail(`dropTable carries another table than ${JSON.stringify(existing)}`, op);
        if (options.checkReferences) {
          const users = referencedBy(key(op.table), key(op.table));
          if (users.length > 0) fail(`table still referenced by ${users.join(', ')}`, op);
        }
        tables = new Map(tables);
        tables.delete(key(op.table));
        break;
      }
      case 'addColumn': {
        const table = get(op.table, op);
        if (table.columns.some((c) => c.name === op.column.name)) fail('column exists', op);
        const next = { ...table, columns: [...table.columns, op.column] };
        checkTableUses(next, op);
        put(next);
        break;
      }
      case 'removeColumn': {
        const table = get(op.table, op);
        const existing = table.columns.find((c) => c.name === op.column.name);
        if (!existing || !isDeepStrictEqual(existing, op.column)) fail(`removeColumn carries another column than ${JSON.stringify(existing)}`, op);
        const next = { ...table, columns: table.columns.filter((c) => c.name !== op.column.name) };
        checkTableUses(next, op);
        put(next);
        break;
      }
      case 'changeColumn': {
        const table = get(op.table, op);
        const existing = table.columns.find((c) => c.name === op.from.name);
        if (!existing || !isDeepStrictEqual(existing, op.from)) fail(`changeColumn from another column than ${JSON.stringify(existing)}`, op);
        if (op.from.name !== op.to.name) fail('changeColumn renames', op);
        const next = { ...table, columns: table.columns.map((c) => (c.name === op.from.name ? op.to : c)) };
        checkTableUses(next, op);
        put(next);
        break;
      }
      case 'addIndex': {
        const table = get(op.table, op);
        if (op.index.name !== null && table.indexes.some((i) => i.name === op.index.name)) fail('index name taken', op);
        const next = { ...table, indexes: [...table.indexes, op.index] };
        checkTableUses(next, op);
        put(next);
        break;
      }
      case 'removeIndex': {
        const table = get(op.table, op);
        const at = table.indexes.findIndex((i) => sameIndex(i, op.index));
        if (at < 0 || !isDeepStrictEqual(table.indexes[at], op.index)) fail('removeIndex of an index that is not there', op);
        put({ ...table, indexes: table.indexes.filter((_, i) => i !== at) });
        break;
      }
      case 'addForeignKey': {
        const table = get(op.table, op);
        const next = { ...table, foreignKeys: [...table.foreignKeys, op.foreignKey] };
        checkTableUses(next, op);
        checkKeysResolve({ ...next, foreignKeys: [op.foreignKey] }, op);
        put(next);
        break;
      }
      case 'removeForeignKey': {
        const table = get(op.table, op);
        const at = table.foreignKeys.findIndex((fk) => sameKey(fk, op.foreignKey));
        if (at < 0 || !isDeepStrictEqual(table.foreignKeys[at], op.foreignKey)) fail('removeForeignKey of a key that is not there', op);
        put({ ...table, foreignKeys: table.foreignKeys.filter((_, i) => i !== at) });
        break;
      }
      case 'rebuildTable': {
        const table = get(op.from, op);
        if (!sameTable(table, op.from)) fail(`rebuild from another table than ${JSON.stringify(table)}`, op);
        if (key(op.from) !== key(op.to)) fail('rebuild renames', op);
        checkTableUses(op.to, op);
        put(op.to);
        break;
      }
      case 'alterPrimaryKey': {
        const table = get(op.table, op);
        if (!isDeepStrictEqual(table.primaryKey, op.from)) fail('alterPrimaryKey from another key', op);
        const after = { ...table, primaryKey: [...op.to] };
        checkTableUses(after, op);
        put(after);
        break;
      }
      case 'renameTable': {
        const table = get(op.from, op);
        if (tables.has(key(op.to))) fail('table name taken', op);
        const points = (fk: ForeignKey, t: Table) => fk.referencedTable === table.name && (fk.referencedSchema ?? t.schema) === table.schema;
        const renamed = [...tables.values()].map((t) => {
          const foreignKeys = t.foreignKeys.map((fk) => (points(fk, t) ? { ...fk, referencedTable: op.to.name } : fk));
          return key(t) === key(table) ? { ...t, name: op.to.name, foreignKeys } : { ...t, foreignKeys };
        });
        tables = new Map(renamed.map((t) => [key(t), t]));
        break;
      }
      case 'renameColumn': {
        const table = get(op.table, op);
        if (!table.columns.some((c) => c.name === op.from) || table.columns.some((c) => c.name === op.to)) fail('renameColumn of a missing column, or to a taken name', op);
        const swap = (names: readonly string[]) => names.map((n) => (n === op.from ? op.to : n));
        const points = (fk: ForeignKey, t: Table) => fk.referencedTable === table.name && (fk.referencedSchema ?? t.schema) === table.schema;
        const renamed = [...tables.values()].map((t) => {
          const foreignKeys = t.foreignKeys.map((fk) => (points(fk, t) ? { ...fk, referencedColumns: swap(fk.referencedColumns) } : fk));
          if (key(t) !== key(table)) return { ...t, foreignKeys };
          return {
            ...t,
            columns: t.columns.map((c) => (c.name === op.from ? { ...c, name: op.to } : c)),
            primaryKey: swap(t.primaryKey),
            indexes: t.indexes.map((i) => ({ ...i, columns: swap(i.columns) })),
            foreignKeys: foreignKeys.map((fk) => ({ ...fk, columns: swap(fk.columns) })),
          };
        });
        tables = new Map(renamed.map((t) => [key(t), t]));
        break;
      }
      case 'createEnum': {
        if (enums.has(op.enum.name)) fail('enum exists', op);
        enums = new Map(enums).set(op.enum.name, op.enum);
        break;
      }
      case 'dropEnum': {
        const existing = enums.get(op.enum.name);
        if (!existing || !isDeepStrictEqual(existing, op.enum)) fail('dropEnum carries another enum', op);
        const users = [...tables.values()].filter((t) => enumNames(t).includes(op.enum.name));
        if (users.length > 0) fail(`enum still used by ${users.map((t) => t.name).join(', ')}`, op);
        enums = new Map(enums);
        enums.delete(op.enum.name);
        break;
      }
      case 'addEnumValues': {
        const existing = enums.get(op.enum.name);
        if (!existing || !isDeepStrictEqual(existing, op.enum)) fail('addEnumValues on another enum', op);
        let values = [...existing.values];
        for (const { value, after } of op.values) {
          if (values.includes(value)) fail(`enum value ${value} exists`, op);
          if (after !== null && !values.includes(after)) fail(`enum value ${after} missing`, op);
          const at = after === null ? 0 : values.indexOf(after) + 1;
          values = [...values.slice(0, at), value, ...values.slice(at)];
        }
        const next: EnumType = { ...existing, values };
        enums = new Map(enums).set(next.name, next);
        break;
      }
      case 'renameEnum': {
        const existing = enums.get(op.enum.name);
        if (!existing || enums.has(op.to)) fail('renameEnum of a missing enum, or to a taken name', op);
        const renamed: EnumType = { ...existing, name: op.to };
        enums = new Map([...enums].filter(([name]) => name !== op.enum.name)).set(op.to, renamed);
        const retype = (type: ColumnType): ColumnType =>
          type.name === 'ENUM' && type.enumName === op.enum.name ? { ...type, enumName: op.to } : type.element ? { ...type, element: retype(type.element) } : type;
        tables = new Map([...tables].map(([k, t]) => [k, { ...t, columns: t.columns.map((c) => ({ ...c, type: retype(c.type) })) }]));
        break;
      }
      case 'removeEnumValues': {
        const existing = enums.get(op.enum.name);
        if (!existing || !isDeepStrictEqual(existing, op.enum)) fail('removeEnumValues on another enum', op);
        if (op.values.some((v) => !existing.values.includes(v))) fail('removeEnumValues of a missing value', op);
        const next: EnumType = { ...existing, values: existing.values.filter((v) => !op.values.includes(v)) };
        enums = new Map(enums).set(next.name, next);
        break;
      }
      default: {
        const never: never = op;
        throw new Error(`unknown operation ${(never as { kind: string }).kind}`);
      }
    }
  }
  return { dialect: schema.dialect, tables: [...tables.values()], enums: [...enums.values()] };
}
