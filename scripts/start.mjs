// `npm start`: a real n8n with this package installed, ready to open in a browser.
//
// deps → build → n8n host (once per lockfile, with progress) → the Crustdata simulator in this
// process (or the real API when CRUSTDATA_API_KEY is set) → the package, a ready credential and
// the example workflows in a persistent user folder outside the repository (demoFolder():
// ~/.cache/n8n-nodes-crustdata-contact/demo, or N8N_DEMO_FOLDER) → `n8n start` on
// 127.0.0.1:$N8N_PORT (5678). Ctrl-C stops n8n (its whole process group) and the simulator.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ensureDeps } from './ensure-deps.mjs';
import { CREDENTIAL_TYPE, exampleWorkflows } from './examples.mjs';
import {
	createUserFolder,
	demoFolder,
	ensureHost,
	freePort,
	importCredential,
	importWorkflow,
	installPackage,
} from './n8n-host.mjs';
import { checkLogin, setUpOwner, startN8n, stopProcess, waitForReadiness } from './n8n-process.mjs';
import { build } from './steps.mjs';

// Outside the repository: from a folder under it, the package would load the project's own
// n8n-workflow and zod instead of n8n's (see workDir in n8n-host.mjs).
const USER_FOLDER = demoFolder();
const N8N_PORT = Number(process.env.N8N_PORT || 5678);
// The examples refer to this credential id; every reference is pointed at the imported one.
const CREDENTIAL_ID = 'crustdataSim01';
const SIMULATOR_KEY = 'test-key';

const say = (line = '') => console.log(line);

function portInUse(port) {
	return new Promise((resolve) => {
		const socket = net.connect({ port, host: '127.0.0.1' });
		socket.once('connect', () => (socket.destroy(), resolve(true)));
		socket.once('error', () => resolve(false));
	});
}

/** The simulator in this process, or the real API: what the credential points at. */
async function apiTarget() {
	const apiKey = process.env.CRUSTDATA_API_KEY;
	if (apiKey) {
		const baseUrl = process.env.CRUSTDATA_BASE_URL || 'https://api.crustdata.com';
		return {
			name: 'Crustdata',
			apiKey,
			baseUrl,
			describe: `the real Crustdata API at ${baseUrl} (key from CRUSTDATA_API_KEY)`,
		};
	}
	const { startSimulator } = await import('../simulator/index.mjs');
	const port = Number(process.env.CRUSTDATA_SIM_PORT || 0) || (await freePort());
	const simulator = await startSimulator({ port, keys: { [SIMULATOR_KEY]: {} }, latencyMs: 150 });
	return {
		name: 'Crustdata (simulator)',
		apiKey: SIMULATOR_KEY,
		baseUrl: simulator.url,
		simulator,
		describe: `the Crustdata simulator at ${simulator.url} (15 requests a minute, like the real API)`,
	};
}

/** N8N_* settings the user gave (N8N_LOG_LEVEL, say), except the two this script owns. */
function userN8nSettings() {
	const owned = new Set(['N8N_USER_FOLDER', 'N8N_ENCRYPTION_KEY']);
	return Object.fromEntries(
		Object.entries(process.env).filter(([key]) => key.startsWith('N8N_') && !owned.has(key)),
	);
}

/**
 * Import the workflows only when they (or the credential they use) changed since the last
 * start, so edits made in the editor survive a restart until the examples change.
 */
async function importDemoWorkflows(host, ctx, workflows) {
	const stamp = path.join(USER_FOLDER, '.imported-workflows');
	const hash = createHash('sha256').update(JSON.stringify(workflows)).digest('hex');
	if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === hash) return false;
	await importWorkflow(host, ctx, workflows);
	fs.writeFileSync(stamp, hash);
	return true;
}

/** A login for the instance owner, made once per user folder and printed at every start. */
function ownerAccount() {
	const file = path.join(USER_FOLDER, '.demo-owner.json');
	if (!fs.existsSync(file)) {
		const password = `Demo-${randomBytes(6).toString('hex')}-1`;
		const owner = { email: 'demo@example.com', firstName: 'Demo', lastName: 'User', password };
		fs.writeFileSync(file, JSON.stringify(owner, null, 2), { mode: 0o600 });
	}
	return JSON.parse(fs.readFileSync(file, 'utf8'));
}

// What this script started, so that stop() can end exactly that.
const running = { n8n: undefined, simulator: undefined, stopping: false };

async function stop(reason, exitCode = 0) {
	if (running.stopping) return;
	running.stopping = true;
	say(`\n[start] ${reason}: stopping what npm start started`);
	// n8n's whole process group, its task runner included.
	if (running.n8n) await stopProcess(running.n8n);
	await running.simulator?.close();
	process.exit(exitCode);
}

/** The user folder: the package, the credential pointing at `target`, the example workflows. */
async function prepareUserFolder(host, target) {
	say(`\n[start] user folder ${USER_FOLDER}`);
	const ctx = await createUserFolder(USER_FOLDER, { brokerPort: await freePort() });
	installPackage(USER_FOLDER, { log: say });
	await importCredential(host, ctx, {
		id: CREDENTIAL_ID,
		name: target.name,
		type: CREDENTIAL_TYPE,
		data: { apiKey: target.apiKey, baseUrl: target.baseUrl },
	});
	say(`[start] credential "${target.name}" → ${target.describe}`);
	const workflows = exampleWorkflows({ id: CREDENTIAL_ID, name: target.name });
	const imported = await importDemoWorkflows(host, ctx, workflows);
	const names = workflows.map((w) => `"${w.name}"`).join(', ');
	say(`[start] ${imported ? 'imported' : 'kept'} ${workflows.length} workflow(s): ${names}`);
	return ctx;
}

/**
 * `n8n start` in its own process group (so stopping it takes the task runner along), output in
 * this terminal; resolves with the owner's login once n8n is ready and that login works.
 */
async function startN8nServer(host, ctx, url) {
	say(`\n[start] n8n start on ${url}`);
	const n8n = startN8n(host, ctx, ['start'], {
		name: 'n8n',
		env: {
			...userN8nSettings(),
			N8N_PORT: String(N8N_PORT),
			N8N_HOST: '127.0.0.1',
			N8N_SECURE_COOKIE: 'false',
		},
	});
	running.n8n = n8n;
	say(`[start] n8n pid ${n8n.pid}`);
	n8n.exited.then(({ code }) => {
		if (!running.stopping) stop(`n8n exited (${code})`, 1);
	});
	await waitForReadiness(url, { proc: n8n });
	const owner = ownerAccount();
	await setUpOwner(url, owner);
	await checkLogin(url, owner, {
		hint: `The owner of ${USER_FOLDER} is not the one in its .demo-owner.json: delete that folder and run npm start again.`,
	});
	return owner;
}

function printBanner({ started, url, owner, target }) {
	say('');
	say('='.repeat(72));
	say(`n8n is ready (${((Date.now() - started) / 1000).toFixed(0)} s): open ${url}`);
	say(`  sign in as   ${owner.email}   password ${owner.password}`);
	say(`  credential   "${target.name}" → ${target.describe}`);
	say(`  user folder  ${USER_FOLDER} (delete it to start afresh)`);
	say(
		'  workflows    Overview → the "Crustdata: …" workflows; open one and click "Execute workflow"',
	);
	if (target.simulator) say('  real API     stop, then CRUSTDATA_API_KEY=<your key> npm start');
	say('Press Ctrl-C to stop n8n and the simulator.');
	say('='.repeat(72));
}

async function main() {
	const started = Date.now();
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stop(signal));
	if (await portInUse(N8N_PORT)) {
		throw new Error(
			`port ${N8N_PORT} is in use on 127.0.0.1: stop what runs there, or set N8N_PORT`,
		);
	}
	ensureDeps();
	// --no-build: the caller has just built (the e2e test of this script does).
	if (!process.argv.includes('--no-build')) await build();
	say('\n[start] n8n host');
	const host = await ensureHost();

	const target = await apiTarget();
	running.simulator = target.simulator;
	const ctx = await prepareUserFolder(host, target);
	const url = `http://127.0.0.1:${N8N_PORT}`;
	const owner = await startN8nServer(host, ctx, url);
	printBanner({ started, url, owner, target });
}

main().catch((error) => {
	console.error(`\n[start] ${error.message}`);
	stop('error', 1);
});
