/**
 * Two upgrades of one migration on two connections: the first holds the lock inside the
 * migration until the second's onLockWait hook has fired twice. No clock: the events drive it.
 */
import type { Sequelize } from 'sequelize';
import { createMigrator, type InCodeMigration, type LockWait, type StepResult } from '../../lib';

export interface HeldAndWaited {
  readonly held: StepResult[];
  readonly waited: StepResult[];
  /** What the waiter's onLockWait hook was told, in order. */
  readonly events: LockWait[];
  /** How many times the migration's body ran. */
  readonly ran: number;
}

export async function holdAndWait(holderSequelize: Sequelize, waiterSequelize: Sequelize): Promise<HeldAndWaited> {
  const events: LockWait[] = [];
  let ran = 0;
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const migrations: InCodeMigration[] = [
    {
      name: '001-slow',
      async up({ context }: { context: { createTable(name: string, attributes: object): Promise<void> } }) {
        ran += 1;
        await released;
        await context.createTable('slow', { id: { type: 'INTEGER', primaryKey: true } });
      },
      async down() {},
    },
  ];
  const holder = createMigrator({ sequelize: holderSequelize, migrations, logger: false });
  const waiter = createMigrator({
    sequelize: waiterSequelize,
    migrations,
    logger: false,
    hooks: {
      onLockWait(wait) {
        events.push(wait);
        if (events.length === 2) release();
      },
    },
  });
  const first = holder.upgrade();
  // The holder is inside its migration (so it holds the lock) once `ran` moves.
  while (ran === 0) await new Promise((resolve) => setTimeout(resolve, 20));
  const [held, waited] = await Promise.all([first, waiter.upgrade()]);
  return { held, waited, events, ran };
}
