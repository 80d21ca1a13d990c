// Set-up of the queue-mode test (queueMode.test.mjs; not a test file itself): Redis on a free
// port with no persistence, one simulator account with one compressed rate limit, one n8n user
// folder (one sqlite database, one encryption key) with the package, a credential and two
// published webhook workflows (the shared-limit one, and one whose node remembers what it looked
// up), an n8n main process and two `n8n worker` processes. Everything it starts is listed in
// `cluster.procs` and stopped by tearDown(), by pid.
import fs from 'node:fs';
import path from 'node:path';
import {
	createUserFolder,
	ensureHost,
	freePort,
	importCredential,
	importWorkflow,
	installPackage,
	n8nId,
	PACKAGE_NAME,
	redact,
	runN8n,
	workDir,
} from '../../scripts/n8n-host.mjs';
import {
	logTail,
	startN8n,
	stopProcess,
	stopProcesses,
	waitForReadiness,
	waitUntil,
} from '../../scripts/n8n-process.mjs';
import { startRedis } from '../../scripts/redis.mjs';
import { startSimulator } from '../../simulator/index.mjs';

export const KEY = 'queue-mode-key';
export const MEMORY_KEY = 'memory-queue-mode-key'; // its own account: its log entries apart
export const EXECUTIONS = 6;
export const DISTINCT_PER_EXECUTION = 100; // 4 requests each, 24 in all
export const WORKER_CONCURRENCY = 2; // 6 executions on 2 × 2 slots: both workers must take some
export const LIMIT = 5;
export const WINDOW_MS = 2000;
export const ENRICH_PATH = '/person/contact/enrich';
// Outside the repository (see workDir): Redis's and n8n's logs, and the shared n8n user folder.
export const WORK_DIR = workDir('queue-mode');
const WEBHOOK_PATH = 'crustdata-queue-mode';
const MEMORY_WEBHOOK_PATH = 'crustdata-queue-memory';
const NODE_TYPE = `${PACKAGE_NAME}.crustdataContactEnrich`;
const CREDENTIAL_NAME = 'Crustdata (queue mode)';
const MEMORY_CREDENTIAL_NAME = 'Crustdata (queue mode memory)';

const workflowNode = (
	name,
	type,
	typeVersion,
	parameters,
	position,
	extra = {},
	scope = 'queue',
) => ({
	id: n8nId(`${scope}/${name}`),
	name,
	type,
	typeVersion,
	parameters,
	position,
	...extra,
});

const mainTo = (to) => ({ main: [[{ node: to, type: 'main', index: 0 }]] });

function crustdataNode(credential) {
	const parameters = {
		operation: 'enrich',
		identifyBy: 'profileUrl',
		profileUrls: '={{ $json.url }}',
		// Far above the server's limit: the shared limit is met through its headers and 429s.
		options: { requestsPerMinute: 6000 },
	};
	return workflowNode('Crustdata', NODE_TYPE, 1, parameters, [440, 0], {
		credentials: { crustdataContactApi: credential },
	});
}

/** A Set node that copies the paired input row's run and row, and the execution id. */
function checkNode(name = 'Check', position = [660, 0], scope = 'queue') {
	const assign = (key, field, type, value) => ({
		id: n8nId(`${scope}/${name.toLowerCase()}/${key}`),
		name: field,
		type,
		value,
	});
	const assignments = [
		assign('run', 'run', 'string', "={{ $('Input').item.json.run }}"),
		assign('row', 'row', 'number', "={{ $('Input').item.json.row }}"),
		assign('exec', 'executionId', 'string', '={{ $execution.id }}'),
	];
	const parameters = {
		mode: 'manual',
		includeOtherFields: true,
		assignments: { assignments },
		options: {},
	};
	return workflowNode(name, 'n8n-nodes-base.set', 3.4, parameters, position, {}, scope);
}

/** Webhook → Input (one item per row of the body) → Crustdata → Check ($('Input').item). */
export function webhookWorkflow(credential) {
	const webhook = workflowNode(
		'Webhook',
		'n8n-nodes-base.webhook',
		2,
		{
			httpMethod: 'POST',
			path: WEBHOOK_PATH,
			responseMode: 'lastNode',
			responseData: 'allEntries',
			options: {},
		},
		[0, 0],
		{ webhookId: '0b9ad1e2-6d0c-4c53-9d6a-5c1f0e7a3b21' },
	);
	const jsCode = 'return $input.first().json.body.rows.map((json) => ({ json }));';
	return {
		id: n8nId('queue-mode/workflow'),
		name: 'Queue mode enrichment',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			webhook,
			workflowNode('Input', 'n8n-nodes-base.code', 2, { jsCode }, [220, 0]),
			crustdataNode(credential),
			checkNode(),
		],
		connections: {
			Webhook: mainTo('Input'),
			Input: mainTo('Crustdata'),
			Crustdata: mainTo('Check'),
		},
	};
}

/** One execution's rows: 100 distinct people over 120 rows (every sixth a re-spelled duplicate). */
export function rowsFor(run) {
	const rows = [];
	const slug = (n) => `queue-${run}-${String(n).padStart(3, '0')}`;
	for (let n = 0; n < DISTINCT_PER_EXECUTION; n++) {
		const expected = `https://www.linkedin.com/in/${slug(n)}`;
		rows.push({ run, row: rows.length, url: expected, expected });
		if (n % 5 === 4) {
			const again = slug(n - 3);
			const url = `linkedin.com/in/${again.toUpperCase()}/`;
			rows.push({ run, row: rows.length, url, expected: `https://www.linkedin.com/in/${again}` });
		}
	}
	return rows;
}

/**
 * Webhook → Input → Crustdata with "Skip Identifiers Looked Up Before" → Check (results) and Held
 * (Not Sent), both copying the paired row → Merge, whose items the webhook answers. Check and Held
 * add `output` (`done` or `notSent`) so that the answer says which output an item left by.
 */
export function memoryWorkflow(credential) {
	const scope = 'queue-memory';
	const node = (name, type, version, parameters, position, extra) =>
		workflowNode(name, type, version, parameters, position, extra, scope);
	const webhook = node(
		'Webhook',
		'n8n-nodes-base.webhook',
		2,
		{
			httpMethod: 'POST',
			path: MEMORY_WEBHOOK_PATH,
			responseMode: 'lastNode',
			responseData: 'allEntries',
			options: {},
		},
		[0, 0],
		{ webhookId: '4e1f7a2c-8b3d-4c6e-9f0a-2d5b8c1e7a94' },
	);
	const jsCode = 'return $input.first().json.body.rows.map((json) => ({ json }));';
	const crustdata = node(
		'Crustdata',
		NODE_TYPE,
		1,
		{
			operation: 'enrich',
			identifyBy: 'profileUrl',
			profileUrls: '={{ $json.url }}',
			options: { skipLookedUp: true, requestsPerMinute: 6000 },
		},
		[440, 0],
		{ credentials: { crustdataContactApi: credential }, onError: 'continueErrorOutput' },
	);
	const tagged = (name, position, output) => {
		const check = checkNode(name, position, scope);
		check.parameters.assignments.assignments.push({
			id: n8nId(`${scope}/${name}/output`),
			name: 'output',
			type: 'string',
			value: output,
		});
		return check;
	};
	const to = (name, index = 0) => ({ node: name, type: 'main', index });
	return {
		id: n8nId('queue-memory/workflow'),
		name: 'Queue mode memory',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			webhook,
			node('Input', 'n8n-nodes-base.code', 2, { jsCode }, [220, 0]),
			crustdata,
			tagged('Check', [660, -100], 'done'),
			tagged('Held', [660, 100], 'notSent'),
			node('Merge', 'n8n-nodes-base.merge', 3.2, {}, [880, 0]),
		],
		connections: {
			Webhook: mainTo('Input'),
			Input: mainTo('Crustdata'),
			Crustdata: { main: [[to('Check')], [to('Held')]] },
			Check: { main: [[to('Merge', 0)]] },
			Held: { main: [[to('Merge', 1)]] },
		},
	};
}

/** One user folder for main and workers: the package, the credentials, the published workflows. */
async function prepareUserFolder(host, simUrl, log) {
	const ctx = await createUserFolder(path.join(WORK_DIR, 'n8n'));
	installPackage(ctx.userFolder, { log });
	const [credentialId, memoryCredentialId] = await importCredential(host, ctx, [
		{
			id: n8nId('queue-mode/credential'),
			name: CREDENTIAL_NAME,
			type: 'crustdataContactApi',
			data: { apiKey: KEY, baseUrl: simUrl },
		},
		{
			id: n8nId('queue-mode/memory-credential'),
			name: MEMORY_CREDENTIAL_NAME,
			type: 'crustdataContactApi',
			data: { apiKey: MEMORY_KEY, baseUrl: simUrl },
		},
	]);
	const workflowIds = await importWorkflow(host, ctx, [
		webhookWorkflow({ id: credentialId, name: CREDENTIAL_NAME }),
		memoryWorkflow({ id: memoryCredentialId, name: MEMORY_CREDENTIAL_NAME }),
	]);
	for (const workflowId of workflowIds) {
		const published = await runN8n(host, ctx, ['publish:workflow', `--id=${workflowId}`]);
		if (published.code !== 0) {
			const output = redact(ctx, published.stdout + published.stderr).slice(-2000);
			throw new Error(`publish:workflow failed:\n${output}`);
		}
	}
	return ctx;
}

/** What main and workers share: queue mode on this Redis; each its own ports. */
async function queueEnv(redisPort, extra = {}) {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redisPort),
		QUEUE_HEALTH_CHECK_ACTIVE: 'true',
		N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		QUEUE_HEALTH_CHECK_PORT: String(await freePort()),
		...extra,
	};
}

/**
 * Until its database is migrated n8n answers every path 200 "n8n is starting up", so first
 * /healthz/readiness. Then a GET on a POST-only webhook answers 404 "not registered for GET ...
 * Did you mean to make a POST request?" once the published workflow is active.
 */
async function webhookRegistered(url, webhookPath = WEBHOOK_PATH) {
	const res = await fetch(`${url}/webhook/${webhookPath}`);
	return res.status === 404 && /POST request/i.test(await res.text());
}

async function startMain(cluster, host, ctx, redisPort) {
	const port = await freePort();
	const env = await queueEnv(redisPort, { N8N_PORT: String(port) });
	const logFile = path.join(WORK_DIR, 'main.log');
	const proc = startN8n(host, ctx, ['start'], { name: 'n8n main', env, logFile });
	cluster.procs.push(proc);
	const url = `http://127.0.0.1:${port}`;
	await waitForReadiness(url, { proc, intervalMs: 250 });
	for (const webhookPath of [WEBHOOK_PATH, MEMORY_WEBHOOK_PATH]) {
		await waitUntil(`n8n main to serve ${webhookPath}`, () => webhookRegistered(url, webhookPath), {
			proc,
			timeoutMs: 180_000,
		});
	}
	cluster.log(`[queue] n8n main pid ${proc.pid} on ${url}`);
	return url;
}

async function startWorkers(cluster, host, ctx, redisPort) {
	const args = ['worker', `--concurrency=${WORKER_CONCURRENCY}`];
	const workers = [];
	for (const n of [1, 2]) {
		const env = await queueEnv(redisPort);
		const logFile = path.join(WORK_DIR, `worker-${n}.log`);
		const proc = startN8n(host, ctx, args, { name: `n8n worker ${n}`, env, logFile });
		cluster.procs.push(proc);
		workers.push(proc);
	}
	for (const proc of workers) {
		const ready = async () => /n8n worker is now ready/.test(logTail(proc, 1e6));
		await waitUntil(`${proc.name} to be ready`, ready, { proc, timeoutMs: 180_000 });
		cluster.log(`[queue] ${proc.name} pid ${proc.pid} ready (concurrency ${WORKER_CONCURRENCY})`);
	}
	return workers;
}

/** What setUp fills in and tearDown stops; `log` writes a line to stderr. */
export function newCluster() {
	const log = (line) => process.stderr.write(`${line}\n`);
	return { log, procs: [], sim: undefined, url: undefined, workers: [] };
}

/** Redis, the simulator, the user folder, n8n main, then both workers. */
export async function setUp(cluster) {
	const host = await ensureHost({ log: cluster.log });
	fs.rmSync(WORK_DIR, { recursive: true, force: true });
	fs.mkdirSync(WORK_DIR, { recursive: true });
	const redis = await startRedis(WORK_DIR, { log: cluster.log });
	cluster.procs.push(redis.proc);
	cluster.sim = await startSimulator({
		port: 0,
		keys: { [KEY]: {}, [MEMORY_KEY]: {} },
		rateLimit: { limit: LIMIT, windowMs: WINDOW_MS },
		resetDecimals: 3,
		latencyMs: 30,
	});
	cluster.log(
		`[queue] simulator ${cluster.sim.url}: ${LIMIT} requests per ${WINDOW_MS} ms for the one key`,
	);
	const ctx = await prepareUserFolder(host, cluster.sim.url, cluster.log);
	cluster.url = await startMain(cluster, host, ctx, redis.port);
	cluster.workers = await startWorkers(cluster, host, ctx, redis.port);
}

/** Stops every process setUp started (by pid, process group included) and the simulator. */
export async function tearDown(cluster) {
	await stopProcesses(cluster.procs);
	await cluster.sim?.close();
}

async function callWebhook(url, run, rows, webhookPath = WEBHOOK_PATH) {
	const res = await fetch(`${url}/webhook/${webhookPath}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ rows: rows.map(({ expected, ...row }) => row) }),
		signal: AbortSignal.timeout(240_000),
	});
	const text = await res.text();
	let output;
	try {
		output = JSON.parse(text);
	} catch {
		// Not JSON: the test that checks the answers says so.
	}
	return { run, status: res.status, text, output };
}

/**
 * Several executions at once, each its own webhook call with its own rows. Resolves with
 * { rows: {run: rows}, answers: [{ run, status, text, output }], seconds }.
 */
export async function runExecutions(cluster) {
	const runs = Array.from({ length: EXECUTIONS }, (_, i) => `r${i}`);
	const rows = Object.fromEntries(runs.map((run) => [run, rowsFor(run)]));
	const started = Date.now();
	const answers = await Promise.all(runs.map((run) => callWebhook(cluster.url, run, rows[run])));
	return { rows, answers, seconds: (Date.now() - started) / 1000 };
}

/**
 * One execution of the memory workflow over `rows` ({run, row, url}), answered with the items of
 * both outputs: { run, status, text, output }.
 */
export function runMemoryExecution(cluster, run, rows) {
	return callWebhook(
		cluster.url,
		run,
		rows.map((row) => ({ ...row, run })),
		MEMORY_WEBHOOK_PATH,
	);
}

/** Stops one worker (by pid, as tearDown would): the executions queued next go to the other. */
export async function stopWorker(cluster, worker) {
	await stopProcess(worker);
	cluster.log(`[queue] ${worker.name} pid ${worker.pid} stopped`);
}

/** The ids of the executions each worker finished, from its log. */
export function workerExecutions(workers) {
	return workers.map((proc) =>
		[...logTail(proc, 1e7).matchAll(/Worker finished execution (\d+)/g)].map((m) => m[1]),
	);
}

/** The simulator's enrich requests: all, answered 200, answered 429, answered otherwise. */
export function enrichTraffic(sim) {
	const enrich = sim.log.filter((e) => e.path === ENRICH_PATH);
	return {
		enrich,
		answered: enrich.filter((e) => e.status === 200),
		rejected: enrich.filter((e) => e.status === 429),
		other: enrich.filter((e) => e.status !== 200 && e.status !== 429),
	};
}
