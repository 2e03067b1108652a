/** A migrations project for offline SQL tests, and running a script with the database's own client. */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVERS, type TestDialect } from './databases';

/** Tables, an ENUM column (a type of its own on PostgreSQL), a foreign key, an index, an added column, a renamed table. */
export const PROJECT: Record<string, string> = {
  '001-users.js': `module.exports = {
  up: async (qi, S) => qi.createTable('users', {
    id: { type: S.INTEGER, primaryKey: true, autoIncrement: true },
    name: { type: S.STRING(100), allowNull: false },
    role: { type: S.ENUM('admin', 'member'), allowNull: false, defaultValue: 'member' },
  }),
  down: async (qi) => { await qi.dropTable('users'); },
};`,
  '002-posts.js': `module.exports = {
  up: async (qi, S) => {
    await qi.createTable('posts', {
      id: { type: S.INTEGER, primaryKey: true, autoIncrement: true },
      title: { type: S.STRING(200), allowNull: false },
      userId: { type: S.INTEGER, allowNull: false, references: { model: 'users', key: 'id' }, onDelete: 'CASCADE' },
    });
    await qi.addIndex('posts', ['title'], { name: 'posts_title' });
  },
  down: async (qi) => { await qi.dropTable('posts'); },
};`,
  '003-bio.js': `module.exports = {
  up: async (qi, S) => { await qi.addColumn('users', 'bio', { type: S.TEXT, allowNull: true }); },
  down: async (qi) => { await qi.removeColumn('users', 'bio'); },
};`,
  '004-rename.js': `module.exports = {
  up: async (qi) => { await qi.renameTable('posts', 'articles'); },
  down: async (qi) => { await qi.renameTable('articles', 'posts'); },
};`,
};

/** Runs a script with the dialect's command-line client, stopping at the first error. */
export function runWithClient(db: { dialect: TestDialect; database: string; dir: string }, script: string): void {
  const file = join(db.dir, `script-${Date.now()}.sql`);
  writeFileSync(file, script);
  const input = Buffer.from(script);
  switch (db.dialect) {
    case 'postgres': {
      const s = SERVERS.postgres;
      execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', s.host, '-p', String(s.port), '-U', s.username, '-d', db.database, '-f', file], { stdio: 'pipe' });
      return;
    }
    case 'mysql': {
      const s = SERVERS.mysql;
      execFileSync('mysql', ['-h', s.host, '-P', String(s.port), '-u', s.username, db.database], { input, stdio: ['pipe', 'pipe', 'pipe'] });
      return;
    }
    case 'sqlite':
      execFileSync('sqlite3', ['-bail', db.database], { input, stdio: ['pipe', 'pipe', 'pipe'] });
      return;
  }
}

