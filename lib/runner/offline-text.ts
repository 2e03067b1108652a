import type { SqlScript } from '../../types/options';
import type { OfflineContext } from './offline-sql';

type Parts = Omit<SqlScript, 'text'>;

/**
 * The script as a DBA reads and runs it: a header saying what it is and what it assumes, the
 * history table, then each migration with its history row inside the transaction the runner
 * would use (`transaction: 'all'`: one around them all). Where DDL commits implicitly there is no
 * BEGIN/COMMIT, and each migration says what a failure midway leaves.
 */
export function scriptText(ctx: OfflineContext, script: Parts): string {
  const { dialect, mode } = ctx;
  const rules = dialect.offlineScript;
  const transactional = dialect.capabilities.transactionalDDL && mode !== 'none';
  const allInOne = transactional && mode === 'all';
  const verb = script.direction === 'up' ? 'upgrade' : 'downgrade';
  const out: string[] = [
    `-- sequelize-automigrate: ${verb} from ${script.from ?? 'base'} to ${script.to ?? 'base'} on ${dialect.displayName} (${count(script.migrations.length)}).`,
    '-- Written offline: nothing was run, and the schema was not read. Review it, then run it whole, stopping at the first error.',
  ];
  if (!dialect.capabilities.transactionalDDL) {
    out.push(`-- ${dialect.displayName} commits each DDL statement implicitly: no migration below is atomic (see the note on each).`);
  } else if (allInOne) {
    out.push("-- transaction: 'all': every migration in one transaction, as the runner does.");
  } else if (transactional) {
    out.push('-- Each migration runs in its own transaction with its history row, as the runner does.');
  }
  if (ctx.foreignHistory) out.push('-- The history is kept by an umzug storage: record these migrations there (automigrate stamp) once the script ran.');
  for (const note of script.assumptions) out.push(`-- Assumed: ${note}.`);
  if (script.migrations.length === 0) {
    out.push('', `-- Nothing to ${verb}.`);
    return `${out.join('\n')}\n`;
  }
  if (script.prelude.length > 0) out.push('', `-- History table ${ctx.tableName} (the runner creates it before the first migration)`, ...script.prelude);
  if (allInOne) out.push('', ...rules.begin);
  for (const m of script.migrations) {
    out.push('', `-- ${m.name} (${m.direction})`);
    const own = m.transaction && !allInOne;
    if (!dialect.capabilities.transactionalDDL) {
      out.push(
        `-- Not atomic: if a statement fails, the ones before it stay applied and the history row below is not written; ` +
          'repair by hand, then record the outcome (automigrate stamp).',
      );
    } else if (!m.transaction && mode !== 'none') {
      out.push('-- Outside a transaction (the migration exports `transaction = false`): if it fails midway, what ran stays.');
    }
    if (own) out.push(...rules.begin);
    out.push(...m.statements, ...m.history);
    if (own) out.push(...rules.commit);
  }
  if (allInOne) out.push('', ...rules.commit);
  return `${out.join('\n')}\n`;
}

function count(n: number): string {
  return `${n} migration${n === 1 ? '' : 's'}`;
}
