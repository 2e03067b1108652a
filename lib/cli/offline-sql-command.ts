import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Direction, SqlOptions } from '../../types/options';
import { OptionsError } from '../errors';
import { plural } from './output';
import { parseTarget, type Session } from './session';

/** What `--sql` commands share: where the script goes. */
export interface OfflineSqlFlags {
  readonly out?: string;
}

/**
 * An Alembic range, `FROM:TO` (`base:head`, `a:b`), or `TO` alone (from the database's current
 * migration). An empty side means its default: `:b` from current, `a:` to the end.
 */
export function parseRange(text: string | undefined, direction: Direction): SqlOptions {
  const request: { from?: SqlOptions['from']; to?: SqlOptions['to']; direction: Direction } = { direction };
  if (text === undefined || text === '') return request;
  const colon = text.indexOf(':');
  const from = colon < 0 ? '' : text.slice(0, colon);
  const to = colon < 0 ? text : text.slice(colon + 1);
  if (from !== '') request.from = parseTarget(from);
  if (to !== '' && !(direction === 'up' && to === 'head')) request.to = parseTarget(to);
  return request;
}

/** Refuses `a:b` and `--out` without `--sql`: online, the database's history says where a run starts. */
export function refuseOfflineFlagsOnline(target: string | undefined, flags: OfflineSqlFlags, verb: string): void {
  if (target?.includes(':')) {
    throw new OptionsError(`${verb} ${target}: a FROM:TO range needs --sql (online, the run starts where the database is).`, 'target');
  }
  if (flags.out !== undefined) throw new OptionsError(`${verb} --out ${flags.out}: --out writes the script of --sql; add --sql.`, 'out');
}

/** Writes the offline script to stdout, or to `--out`, or its parts as JSON (`--json`). */
export async function printOfflineSql(session: Session, request: SqlOptions, flags: OfflineSqlFlags): Promise<number> {
  const script = await session.migrator.sqlScript(request);
  const out = flags.out === undefined ? undefined : resolve(flags.out);
  if (out !== undefined) writeFileSync(out, script.text);
  if (session.json) {
    session.printer.json({ ...script, ...(out !== undefined ? { out: session.show(out) } : {}) });
  } else if (out !== undefined) {
    const verb = script.direction === 'up' ? 'upgrade' : 'downgrade';
    session.printer.line(`Wrote the ${verb} script from ${script.from ?? 'base'} to ${script.to ?? 'base'} (${plural(script.migrations.length, 'migration')}) to ${session.show(out)}`);
  } else {
    session.printer.text(script.text);
  }
  return 0;
}
