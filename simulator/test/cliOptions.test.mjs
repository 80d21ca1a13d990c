import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { call, enrich, submitBatch, url, waitForJob } from './helpers.mjs';

const CLI = fileURLToPath(new URL('../cli.mjs', import.meta.url));

/** Runs the CLI with `args`, hands `{url}` to `body`, then stops it and checks it exited 0. */
async function withCli(args, body) {
	const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
	try {
		const [line] = await once(createInterface({ input: child.stdout }), 'line');
		await body(JSON.parse(line));
	} finally {
		child.kill('SIGTERM');
	}
	const [code] = await once(child, 'exit');
	assert.equal(code, 0);
}

describe('cli.mjs options for reset format, credits shape and batch timing', () => {
	it('--reset-format, --credits-shape, --batch-duration-ms, --batch-max-active', () =>
		withCli(
			[
				'--reset-format',
				'ms',
				'--credits-shape',
				'account',
				'--batch-duration-ms',
				'300,400',
				'--batch-pending-ms',
				'0',
				'--batch-processing-ms',
				'1',
				'--batch-seed',
				'cli',
				'--batch-max-active',
				'1',
			],
			async (sim) => {
				const res = await enrich(sim, { professional_network_profile_urls: [url('a')] });
				const reset = Number(res.headers.get('x-ratelimit-reset'));
				assert.ok(reset > 59_000 && reset <= 60_000, `ms to wait, got ${reset}`);
				assert.deepEqual((await call(sim, '/account/credits')).json.account.recurring_credits, 0);
				const first = await submitBatch(sim, { professional_network_profile_urls: [url('a')] });
				assert.equal(first.status, 200);
				assert.equal(
					(await submitBatch(sim, { professional_network_profile_urls: [url('b')] })).status,
					429,
					'--batch-max-active 1',
				);
				const done = await waitForJob(sim, first.json.batch_id, 'completed');
				const took = Date.parse(done.completed_at) - Date.parse(done.created_at);
				assert.ok(took >= 300 && took <= 400, `took ${took}`);
			},
		));

	it('exits 2 with a message on a bad value', async () => {
		const child = spawn(process.execPath, [CLI, '--reset-format', 'hours'], {
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stderr = '';
		child.stderr.on('data', (c) => (stderr += c));
		const [code] = await once(child, 'exit');
		assert.equal(code, 2);
		assert.match(stderr, /resetFormat must be one of/);
	});
});
