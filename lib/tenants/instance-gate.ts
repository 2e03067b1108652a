import type { Sequelize } from 'sequelize';

/**
 * Tenants sharing one Sequelize instance (PostgreSQL schemas) share its pool, and each running
 * migrator holds two of its connections (the lock's and the migration's). With as many migrators
 * as connections, each would hold the lock's and wait for a second one until the pool's acquire
 * timeout. So at most `floor(pool.max / 2)` tenants of one instance run at once; the rest wait
 * here, holding nothing. (Sequelize's default pool.max is 5.)
 */
export class InstanceGate {
  private readonly slots = new WeakMap<Sequelize, { used: number; waiting: (() => void)[] }>();

  async enter(sequelize: Sequelize): Promise<() => void> {
    let slot = this.slots.get(sequelize);
    if (!slot) {
      slot = { used: 0, waiting: [] };
      this.slots.set(sequelize, slot);
    }
    const capacity = capacityOf(sequelize);
    const s = slot;
    if (s.used >= capacity) await new Promise<void>((resolve) => s.waiting.push(resolve));
    else s.used++;
    return () => {
      // Hand the slot straight to the next waiter, or give it back.
      const next = s.waiting.shift();
      if (next) next();
      else s.used--;
    };
  }
}

function capacityOf(sequelize: Sequelize): number {
  const max = (sequelize as unknown as { options?: { pool?: { max?: number } } }).options?.pool?.max ?? 5;
  return Math.max(1, Math.floor(max / 2));
}
