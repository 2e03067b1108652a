import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sequelize } from 'sequelize';
import type { ScratchDatabase } from '../dialect';
import { cloneSequelize } from '../scratch';

/** A temporary SQLite file in a folder of its own (the lock's companion file goes beside it). */
export async function openSqliteScratch(sequelize: Sequelize): Promise<ScratchDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'automigrate-squash-'));
  const file = join(dir, 'scratch.sqlite');
  const scratch = cloneSequelize(sequelize, 'scratch', { storage: file });
  return {
    sequelize: scratch,
    description: `file ${file}`,
    async drop() {
      await scratch.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
