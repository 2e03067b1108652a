'use strict';
/**
 * A serverless function (AWS Lambda's handler signature; Cloud Functions and Vercel differ only in
 * the arguments) that brings its database to head once per cold start, then serves requests.
 * Bundled into one file by build.js; see README.md.
 */
const { Sequelize } = require('sequelize');
const { autoMigrate } = require('sequelize-automigrate');
// The static index `npx automigrate bundle` writes: one `require` per migration file, so the
// bundler includes every migration. Run the command again after adding one (`automigrate check`
// fails while the index is stale).
const migrations = require('./migrations');
const defineModels = require('./models');

/** Leave this much of the function's time for the request itself when waiting for the lock. */
const REQUEST_MARGIN_MS = 5_000;
const DEFAULT_LOCK_TIMEOUT_MS = 20_000;

// Created once per execution environment and reused by warm invocations. A small pool, as
// Sequelize advises for Lambda (https://sequelize.org/docs/v6/other-topics/aws-lambda/); at least
// 2, because on PostgreSQL and MySQL the migration lock holds one connection while the migration
// runs on another.
const sequelize = new Sequelize(process.env.DATABASE_URL, {
  logging: false,
  pool: { max: 2, min: 0, idle: 1_000, acquire: 10_000 },
});
const { Note } = defineModels(sequelize);

let migrated = null;

/**
 * The first invocation of a cold start migrates; every later one (and any that arrives while it
 * runs) awaits the same promise. A failure is not memoised: the next invocation tries again.
 */
function migrateOnce(context) {
  if (migrated === null) {
    migrated = autoMigrate({
      sequelize,
      migrations,
      // Fail with LockTimeoutError before the platform kills the function, so the invocation
      // reports why and the next one retries, instead of a bare "Task timed out".
      lock: { timeoutMs: lockTimeout(context) },
      // The drift check introspects the database: run `automigrate check` in CI instead of
      // paying for it on every cold start.
      onDrift: 'ignore',
    }).then(
      (result) => {
        console.log(JSON.stringify({ msg: 'migrations', applied: result.applied.map((step) => step.name) }));
        return result;
      },
      (error) => {
        migrated = null;
        throw error;
      },
    );
  }
  return migrated;
}

function lockTimeout(context) {
  const configured = Number(process.env.AUTOMIGRATE_LOCK_TIMEOUT_MS) || DEFAULT_LOCK_TIMEOUT_MS;
  if (!context || typeof context.getRemainingTimeInMillis !== 'function') return configured;
  return Math.max(1_000, Math.min(configured, context.getRemainingTimeInMillis() - REQUEST_MARGIN_MS));
}

exports.handler = async (event, context) => {
  await migrateOnce(context);
  if (event && typeof event.note === 'string') await Note.create({ text: event.note });
  const open = await Note.count({ where: { done: false } });
  return { statusCode: 200, body: JSON.stringify({ open }) };
};
