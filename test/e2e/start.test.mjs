// `npm start` as a newcomer meets it: n8n comes up with the package, the simulator credential
// and the examples, a login works, and Ctrl-C leaves nothing running.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort, ROOT } from '../../scripts/n8n-host.mjs';
import { e2eFolder, NODE_TYPE, printFolderOnFailure } from './harness.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function alive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

function groupAlive(pgid) {
	try {
		process.kill(-pgid, 0);
		return true;
	} catch {
		return false;
	}
}

describe('npm start', { timeout: 300_000 }, () => {
	let child;
	let output = '';
	let url;
	let exit;

	before(async () => {
		const folder = e2eFolder('start');
		fs.rmSync(folder, { recursive: true, force: true });
		printFolderOnFailure('start', folder);
		const port = await freePort();
		url = `http://127.0.0.1:${port}`;
		const env = { ...process.env, N8N_PORT: String(port), N8N_DEMO_FOLDER: folder };
		delete env.CRUSTDATA_API_KEY;
		child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'start.mjs'), '--no-build'], {
			cwd: ROOT,
			env,
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		child.stdout.on('data', (chunk) => (output += chunk));
		child.stderr.on('data', (chunk) => (output += chunk));
		exit = new Promise((resolve) =>
			child.once('close', (code, signal) => resolve({ code, signal })),
		);
		const started = Date.now();
		// The banner's last line: everything it prints (the URL, the password) has arrived.
		while (!output.includes('Press Ctrl-C to stop')) {
			assert.equal(child.exitCode, null, `npm start exited:\n${output.slice(-3000)}`);
			assert.ok(
				Date.now() - started < 240_000,
				`npm start was not ready in 240 s:\n${output.slice(-3000)}`,
			);
			await sleep(500);
		}
	});

	after(async () => {
		if (child && child.exitCode === null && child.signalCode === null) {
			try {
				process.kill(-child.pid, 'SIGKILL');
			} catch {}
		}
	});

	it('serves n8n on the port it prints, with a login that works', async () => {
		assert.match(output, new RegExp(`open ${url}`));
		assert.equal((await fetch(`${url}/healthz`)).status, 200);
		const password = /password (\S+)/.exec(output)?.[1];
		const login = await fetch(`${url}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ emailOrLdapLoginId: 'demo@example.com', password }),
		});
		assert.equal(login.status, 200);
		const cookie = login.headers.get('set-cookie').split(';')[0];
		const workflows = await (await fetch(`${url}/rest/workflows`, { headers: { cookie } })).json();
		assert.ok(
			workflows.data.some((w) => w.name.startsWith('Crustdata')),
			'no example workflow was imported',
		);
		const credentials = await (
			await fetch(`${url}/rest/credentials`, { headers: { cookie } })
		).json();
		assert.deepEqual(
			credentials.data.map((c) => [c.name, c.type]),
			[['Crustdata (simulator)', 'crustdataContactApi']],
		);
		const types = await (await fetch(`${url}/types/nodes.json`, { headers: { cookie } })).text();
		assert.ok(types.includes(`"${NODE_TYPE}"`), 'the node is not loaded');
	});

	it('stops n8n, its task runner and the simulator on Ctrl-C', async () => {
		const n8nPid = Number(/n8n pid (\d+)/.exec(output)?.[1]);
		assert.ok(alive(n8nPid));
		process.kill(child.pid, 'SIGINT');
		const { code } = await exit;
		assert.equal(code, 0);
		for (let i = 0; i < 20 && groupAlive(n8nPid); i++) await sleep(250);
		assert.equal(groupAlive(n8nPid), false, 'a process of n8n is still running');
		await assert.rejects(fetch(`${url}/healthz`));
	});
});
