/**
 * hooks.onLockWait (issue 18), in one process with two migrators on two connections: the second
 * upgrade waits for the lock the first holds inside a migration and is told who holds it. No clock
 * in the assertions: the holder's migration waits until the waiter's hook has fired twice.
 */
import { hostname } from 'node:os';
import { createMigrator, type LockWait } from '../../lib';
import { eachDialect } from '../helpers/each-dialect';
import { holdAndWait } from '../helpers/lock-wait';

eachDialect('onLockWait names the holder while a second upgrade waits, then says acquired once', async (t, db) => {
  const { held, waited, events, ran } = await holdAndWait(db.sequelize, db.connect());
  t.deepEqual(held.map((s) => s.name), ['001-slow']);
  t.deepEqual(waited, [], 'the waiter found it applied');
  t.is(ran, 1, 'the migration ran once');
  t.true(events.length >= 3, JSON.stringify(events));
  t.deepEqual(events.map((e) => e.state), [...events.slice(0, -1).map(() => 'waiting'), 'acquired']);
  const first1 = events[0]!;
  t.true(events.every((e, i) => i === 0 || e.waitedMs >= events[i - 1]!.waitedMs));
  t.is(first1.holder.process, `${hostname()} pid ${process.pid}`);
  t.true(first1.holder.since instanceof Date);
  t.regex(first1.holder.backend ?? '', { sqlite: /^lock file /, postgres: /^backend pid \d+/, mysql: /^connection \d+ \(/ }[db.dialect]);
});

eachDialect('onLockWait is not called when the lock is free', async (t, db) => {
  const events: LockWait[] = [];
  const migrator = createMigrator({
    sequelize: db.sequelize,
    migrations: [{ name: '001-a', async up() {}, async down() {} }],
    logger: false,
    hooks: { onLockWait: (wait) => events.push(wait) },
  });
  t.is((await migrator.upgrade()).length, 1);
  t.deepEqual(events, []);
});
