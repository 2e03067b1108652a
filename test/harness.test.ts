import { eachDialect } from './helpers/each-dialect';

eachDialect('a fresh database is empty and writable', async (t, db) => {
  await db.sequelize.query('CREATE TABLE probe (id INTEGER)');
  await db.sequelize.query('INSERT INTO probe (id) VALUES (1)');
  const [rows] = await db.sequelize.query('SELECT id FROM probe');
  t.deepEqual(rows, [{ id: 1 }]);
});
