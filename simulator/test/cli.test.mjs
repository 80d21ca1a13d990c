import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { call } from './helpers.mjs';

const CLI = fileURLToPath(new URL('../cli.mjs', import.meta.url));

describe('cli.mjs', () => {
	it('prints {url, port} when listening, applies its flags and exits on SIGTERM', async () => {
		const child = spawn(
			process.execPath,
			[CLI, '--key', 'cli-key', '--limit', '2', '--window-ms', '1000'],
			{ stdio: ['ignore', 'pipe', 'inherit'] },
		);
		try {
			const [line] = await once(createInterface({ input: child.stdout }), 'line');
			const info = JSON.parse(line);
			assert.equal(info.url, `http://127.0.0.1:${info.port}`);
			const endpoints = await call(info, '/account/endpoints', { key: 'cli-key' });
			const enrich = endpoints.json.endpoints.find((e) => e.endpoint === '/person/contact/enrich');
			assert.equal(enrich.effective_rate_limit_rpm, 120);
			assert.equal(
				(await call(info, '/account/credits')).status,
				401,
				'test-key replaced by --key',
			);
		} finally {
			child.kill('SIGTERM');
		}
		const [code] = await once(child, 'exit');
		assert.equal(code, 0);
	});
});
