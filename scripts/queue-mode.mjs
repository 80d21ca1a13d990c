// `npm run test:queue`: the enrich node in n8n's queue mode (scale-out), from a clean clone.
//
// deps → build → n8n host → Redis (Debian's redis-server, installed with apt-get when missing)
// → the test test/queue/queueMode.test.mjs under node's test runner. The test starts Redis on a
// free port, an n8n main process and two `n8n worker` processes, runs six webhook-triggered
// executions at once against one simulator account's limit, checks what they answered and what
// the simulator saw, and stops everything it started, by pid.
import path from 'node:path';
import { ensureDeps } from './ensure-deps.mjs';
import { ensureHost, ROOT, workDir } from './n8n-host.mjs';
import { ensureRedis } from './redis.mjs';
import { build, run } from './steps.mjs';

const TEST_FILE = path.join('test', 'queue', 'queueMode.test.mjs');

try {
	ensureDeps();
	await build();
	await ensureHost();
	ensureRedis();
	console.log(`\n[queue] node --test ${TEST_FILE}`);
	const code = await run(process.execPath, [
		'--test',
		'--test-reporter=spec',
		path.join(ROOT, TEST_FILE),
	]);
	if (code !== 0) console.error(`\n[queue] FAIL (exit ${code}); logs: ${workDir('queue-mode')}`);
	process.exitCode = code;
} catch (error) {
	console.error(`\n[queue] FAIL: ${error.stack ?? error.message}`);
	process.exitCode = 1;
}
