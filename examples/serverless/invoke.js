'use strict';
/**
 * Runs the bundle locally as the platform would: one cold start (loading dist/handler.js), then
 * warm invocations of the same instance.
 *
 *   node invoke.js 3                                   (SQLite in the temp folder)
 *   DATABASE_URL=postgres://user:pass@host:5432/db node invoke.js 3
 */
const { tmpdir } = require('node:os');
const { join } = require('node:path');

process.env.DATABASE_URL ??= `sqlite://${join(tmpdir(), 'automigrate-serverless-example.sqlite')}`;
const invocations = Number(process.argv[2] ?? 2);
const { handler } = require('./dist/handler.js');

/** The part of Lambda's context object the handler reads. */
function context(timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  return { getRemainingTimeInMillis: () => deadline - Date.now() };
}

(async () => {
  for (let i = 1; i <= invocations; i += 1) {
    const started = Date.now();
    const response = await handler({ note: `note ${i}` }, context(30_000));
    console.log(`invocation ${i}: ${response.statusCode} ${response.body} (${Date.now() - started} ms)`);
  }
  // A real instance is frozen between invocations; here the process simply ends.
  process.exit(0);
})().catch((error) => {
  console.error(`invocation failed: ${error.code ?? ''} ${error.message}`);
  process.exit(1);
});
