/**
 * The config of a fleet (`--all-tenants`): it exports `migrations` and `tenants` (an array, an
 * (async) iterable, or a function returning one, called once), plus any migrator option; a
 * top-level `sequelize` is not needed (and is closed at the end when given).
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { Sequelize } from 'sequelize';
import type { MigratorOptions } from '../../types/options';
import type { Tenant } from '../../types/tenants';
import { describeError } from '../errors';
import { ConfigError, findConfigFile, loadConfigValue } from './config';

export interface FleetConfig {
  readonly file: string;
  readonly tenants: Iterable<Tenant> | AsyncIterable<Tenant>;
  /** Known when `tenants` is an array (for the ETA); null for an iterable. */
  readonly total: number | null;
  readonly options: Omit<MigratorOptions, 'sequelize' | 'schema'>;
  /** Closes the top-level `sequelize` and every tenant instance that has no `release` of its own. */
  close(): Promise<void>;
}

/** `onInstance`: called once per Sequelize instance the fleet uses (the CLI silences its SQL logging). */
export async function loadFleetConfig(
  cwd: string,
  explicit: string | undefined,
  retryFile: string | undefined,
  onInstance: (sequelize: Sequelize) => void,
): Promise<FleetConfig> {
  const file = findConfigFile(cwd, explicit);
  const shown = relative(cwd, file) || file;
  const value = (await loadConfigValue(file, cwd)) as Record<string, unknown> | null;
  if (!value || typeof value !== 'object' || !('tenants' in value)) {
    throw new ConfigError(`--all-tenants needs ${shown} to export \`tenants\` (an array or iterable of { id, sequelize, schema? }) and \`migrations\`.`, file);
  }
  const { tenants: exported, sequelize, onDrift: _onDrift, migrations = 'migrations', ...rest } = value as Record<string, unknown>;
  const produced = typeof exported === 'function' ? await (exported as () => unknown)() : exported;
  const iterable = produced as { [Symbol.iterator]?: unknown; [Symbol.asyncIterator]?: unknown } | null;
  if (!iterable || (typeof iterable[Symbol.iterator] !== 'function' && typeof iterable[Symbol.asyncIterator] !== 'function')) {
    throw new ConfigError(`\`tenants\` in ${shown} must be an array, an (async) iterable or a function returning one.`, file);
  }
  const folder = typeof migrations === 'string' && !isAbsolute(migrations) ? resolve(dirname(file), migrations) : migrations;
  const retry = retryFile === undefined ? null : retryIds(resolve(cwd, retryFile));
  const seen = new Set<Sequelize>();
  const all = produced as Iterable<Tenant> | AsyncIterable<Tenant>;
  const tenants = tracked(all, retry, seen, onInstance);
  const total = Array.isArray(all) ? (retry === null ? all.length : all.filter((t: Tenant) => retry.has(String(t?.id))).length) : null;
  return {
    file,
    tenants,
    total,
    options: { ...(rest as object), migrations: folder as MigratorOptions['migrations'] },
    async close() {
      if (sequelize && typeof (sequelize as Sequelize).close === 'function') seen.add(sequelize as Sequelize);
      await Promise.all([...seen].map((s) => s.close().catch(() => undefined)));
    },
  };
}

/** The tenants, lazily, without those a retry leaves out; remembers instances to close at the end. */
async function* tracked(
  tenants: Iterable<Tenant> | AsyncIterable<Tenant>,
  retry: ReadonlySet<string> | null,
  seen: Set<Sequelize>,
  onInstance: (sequelize: Sequelize) => void,
): AsyncGenerator<Tenant> {
  let last: Sequelize | undefined;
  for await (const tenant of tenants) {
    if (retry !== null && !retry.has(String(tenant?.id))) {
      await tenant?.release?.();
      continue;
    }
    const sequelize = tenant?.sequelize;
    if (sequelize && sequelize !== last && !seen.has(sequelize) && typeof sequelize.close === 'function') {
      onInstance(sequelize);
      // Released instances are the config's to close; the others are closed at the end.
      if (!tenant.release) seen.add(sequelize);
    }
    last = sequelize;
    yield tenant;
  }
}

/** The tenants a previous `--json` report lists as failed or skipped. */
function retryIds(path: string): Set<string> {
  let report: { tenants?: { id?: unknown; status?: unknown }[] };
  try {
    report = JSON.parse(readFileSync(path, 'utf8')) as typeof report;
  } catch (error) {
    throw new ConfigError(`--retry ${path}: cannot read the report (${describeError(error)}). Give the file \`upgrade --all-tenants --json\` wrote.`, path);
  }
  if (!Array.isArray(report?.tenants)) {
    throw new ConfigError(`--retry ${path}: not a report of \`upgrade --all-tenants --json\` (it has no \`tenants\` list).`, path);
  }
  return new Set(report.tenants.filter((t) => t.status === 'failed' || t.status === 'skipped').map((t) => String(t.id)));
}
