import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createMigrator } from '../../lib';
import { withDatabase } from '../helpers/databases';
import { eachDialect } from '../helpers/each-dialect';
import { historyNames, tableNames, writeMigrations } from '../helpers/migrations';
import { BASELINE, HISTORY, LAST_REPLACED, REPLACED, schemaDiff } from './fixtures';

const file = (name: string) => `${name}.js`;
const everyName = [...REPLACED.map(file), file(BASELINE), '20250101000005-tags.js'].sort();

eachDialect('squash writes a baseline; fresh, part-way and past databases reach the same schema and history', async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'migrations'), HISTORY);
  const make = (sequelize = db.sequelize) => createMigrator({ sequelize, migrations: folder, logger: false, include: () => false });
  // "past": every original applied before the squash.
  const past = make();
  await past.upgrade();
  await withDatabase(db.dialect, async (partDb) => {
    const part = make(partDb.sequelize);
    await part.upgrade({ to: REPLACED[1] });

    const result = await past.squash({ to: LAST_REPLACED });
    t.is(result.path, join(folder, file(BASELINE)));
    t.deepEqual(result.replaces, REPLACED.map(file));
    t.deepEqual([...new Set(result.data.map((d) => d.migration))], [REPLACED[1]], 'the seed row is named, the rest is schema');
    const text = readFileSync(result.path, 'utf8');
    t.regex(text, /DATA: 1 replaced migration\(s\) also wrote rows/);
    t.true(text.includes(REPLACED[1]));
    t.deepEqual(await tableNames(db.sequelize), ['posts', 'tags', 'users'], 'the squash ran nowhere near the live database');

    // One past the range: the baseline is recorded, nothing runs.
    t.deepEqual((await past.upgrade()).map((r) => r.name), [BASELINE]);
    // Part-way: the originals run, then the baseline is recorded.
    t.deepEqual((await part.upgrade()).map((r) => r.name), [REPLACED[2], REPLACED[3], BASELINE, '20250101000005-tags']);

    await withDatabase(db.dialect, async (freshDb) => {
      const fresh = make(freshDb.sequelize);
      // Fresh: the baseline instead of the originals; every replaced name recorded.
      t.deepEqual((await fresh.upgrade()).map((r) => r.name), [BASELINE, '20250101000005-tags']);
      for (const sequelize of [db.sequelize, partDb.sequelize, freshDb.sequelize]) t.deepEqual(await historyNames(sequelize), everyName);
      t.deepEqual(await schemaDiff(freshDb.sequelize, db.sequelize), [], 'fresh (baseline) = past (originals)');
      t.deepEqual(await schemaDiff(partDb.sequelize, db.sequelize), [], 'part-way = past');
      t.deepEqual(await schemaDiff(db.sequelize, freshDb.sequelize), []);
      const checksums = (await fresh.status()).applied.filter((a) => REPLACED.includes(a.name)).map((a) => a.checksum);
      t.true(checksums.every((c) => c !== null && /^[0-9a-f]{64}$/.test(c)), 'replaced rows carry their files checksums');

      // A target inside the range cannot be reached by reverting the baseline (its down drops it all).
      const inside = await t.throwsAsync(fresh.downgrade({ to: REPLACED[2] }));
      t.is((inside as { code?: string }).code, 'E_UNSUPPORTED');
      t.deepEqual(await historyNames(freshDb.sequelize), everyName, 'nothing reverted');

      // The replaced files go: every database stays green.
      for (const name of REPLACED) rmSync(join(folder, file(name)));
      for (const sequelize of [db.sequelize, partDb.sequelize, freshDb.sequelize]) {
        const migrator = make(sequelize);
        await t.notThrowsAsync(migrator.check());
        t.deepEqual(await migrator.upgrade(), []);
        const status = await migrator.status();
        t.deepEqual([status.pending, status.problems], [[], []]);
      }
    });
    // A fresh database with the baseline alone.
    await withDatabase(db.dialect, async (lateDb) => {
      t.deepEqual((await make(lateDb.sequelize).upgrade()).map((r) => r.name), [BASELINE, '20250101000005-tags']);
      t.deepEqual(await historyNames(lateDb.sequelize), everyName);
      t.deepEqual(await schemaDiff(lateDb.sequelize, db.sequelize), []);
      // Reverting the baseline reverts the whole range: the rows of the files it replaced go with its own.
      await make(lateDb.sequelize).downgrade({ to: 0 });
      t.deepEqual([await historyNames(lateDb.sequelize), await tableNames(lateDb.sequelize)], [[], []]);
    });
  });
});

eachDialect('a database part-way through a range whose files were deleted is told to restore them', async (t, db) => {
  const folder = writeMigrations(join(db.dir, 'migrations'), HISTORY);
  const migrator = createMigrator({ sequelize: db.sequelize, migrations: folder, logger: false });
  await migrator.upgrade({ to: REPLACED[0] });
  await migrator.squash({ to: LAST_REPLACED });
  for (const name of REPLACED) rmSync(join(folder, file(name)));
  const error = await t.throwsAsync(migrator.upgrade());
  t.is((error as { code?: string }).code, 'E_MISSING_MIGRATION');
  t.regex(error!.message, new RegExp(`${BASELINE}[\\s\\S]*Restore them`));
  t.deepEqual(await historyNames(db.sequelize), [file(REPLACED[0])], 'nothing ran');
});
