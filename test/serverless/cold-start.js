'use strict';
/**
 * One cold start of a bundled function, in its own process, with plain Node: wait until
 * AM_START_AT (epoch ms, so several processes start together), load the bundle AM_BUNDLE (what the
 * platform does when an instance starts), invoke its handler AM_INVOCATIONS times (the first is
 * cold, the others warm), print `{ msg: 'done', responses }` as a JSON line, and end the process
 * the way a platform ends an instance: without closing anything.
 */
const { pathToFileURL } = require('node:url');

function context(timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  return { getRemainingTimeInMillis: () => deadline - Date.now() };
}

async function main() {
  const startAt = Number(process.env.AM_START_AT || 0);
  if (startAt > Date.now()) await new Promise((resolve) => setTimeout(resolve, startAt - Date.now()));
  // import() loads both a CommonJS and an ES module bundle.
  const loaded = await import(pathToFileURL(process.env.AM_BUNDLE).href);
  const handler = loaded.handler || (loaded.default && loaded.default.handler);
  const responses = [];
  for (let i = 0; i < Number(process.env.AM_INVOCATIONS || 1); i += 1) {
    responses.push(await handler({}, context(60_000)));
  }
  console.log(JSON.stringify({ msg: 'done', responses }));
}

main().then(
  () => process.exit(0),
  (error) => {
    console.log(JSON.stringify({ msg: 'failed', code: (error && error.code) || null, message: String(error && error.message) }));
    process.exit(1);
  },
);
