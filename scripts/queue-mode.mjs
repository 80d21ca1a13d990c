// `npm run test:queue`: the enrich node in n8n's queue mode (scale-out), from a clean clone.
//
// Starts Redis (Debian's redis-server, installed with apt-get when missing) on a free port with
// no persistence, one n8n main process and two `n8n worker` processes sharing one sqlite
// database (one user folder) and one encryption key, and one simulator account with one
// compressed rate limit. A webhook-triggered enrichment workflow is published in main; several
// executions are triggered at once with concurrent HTTP calls, run on both workers and share the
// limit. Checks, per execution: every result, paired with its input item (a downstream
// `$('Input').item`), the execution data main answers with; across all: every identifier bought
// once, every 429 recovered, work spread over both workers. Stops everything it started, by pid.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureDeps } from './ensure-deps.mjs';
import {
	createUserFolder,
	ensureHost,
	freePort,
	importCredential,
	importWorkflow,
	installPackage,
	n8nEnv,
	n8nId,
	redact,
	ROOT,
	runN8n,
} from './n8n-host.mjs';
import { build } from './steps.mjs';
import { startSimulator } from '../simulator/index.mjs';

const KEY = 'queue-mode-key';
const EXECUTIONS = 6;
const DISTINCT_PER_EXECUTION = 100; // 4 requests each, 24 in all
const WORKER_CONCURRENCY = 2; // 6 executions on 2 × 2 slots: both workers must take some
const LIMIT = 5;
const WINDOW_MS = 2000;
const WEBHOOK_PATH = 'crustdata-queue-mode';
const NODE_TYPE = 'n8n-nodes-crustdata-contact.crustdataContactEnrich';
const ENRICH_PATH = '/person/contact/enrich';

const log = (line) => console.log(line);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const started = [];

function which(command) {
	return spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).stdout.trim() || undefined;
}

/** Debian's redis-server, installed with apt-get (as root, or through sudo) when missing. */
function ensureRedis() {
	const found = which('redis-server');
	if (found) return found;
	const sudo = process.getuid?.() === 0 ? [] : ['sudo', '-n'];
	log('[queue] redis-server is missing: apt-get install -y redis-server');
	for (const args of [['apt-get', 'update'], ['apt-get', 'install', '-y', 'redis-server']]) {
		const [command, ...rest] = [...sudo, ...args];
		const result = spawnSync(command, rest, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
		if (result.status !== 0) throw new Error(`${args.join(' ')} failed (exit ${result.status}); install redis-server and run again`);
	}
	const installed = which('redis-server');
	if (!installed) throw new Error('redis-server is still missing after apt-get install');
	return installed;
}

/**
 * Spawns a long-running process in its own process group (n8n starts a task runner as its
 * child), remembers it for stop(), and keeps its output in a log file.
 */
function startProcess(name, command, args, { env, cwd, logFile }) {
	const out = fs.openSync(logFile, 'w');
	const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', out, out] });
	fs.closeSync(out);
	const entry = { name, child, logFile };
	started.push(entry);
	child.on('exit', (code, signal) => {
		entry.exited = { code, signal };
	});
	return entry;
}

async function waitFor(what, check, { timeoutMs = 120_000, entry } = {}) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (entry?.exited) throw new Error(`${entry.name} exited (${JSON.stringify(entry.exited)}) before ${what}:\n${tail(entry)}`);
		if (await check().catch(() => false)) return;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${entry ? `:\n${tail(entry)}` : ''}`);
		await sleep(250);
	}
}

function tail(entry, chars = 3000) {
	try {
		return fs.readFileSync(entry.logFile, 'utf8').slice(-chars);
	} catch {
		return '';
	}
}

/** Ends every process this script started, by its process group id; SIGKILL after 15 s. */
async function stopAll() {
	await Promise.all(
		started.reverse().map(async (entry) => {
			if (entry.exited) return;
			const exited = new Promise((resolve) => entry.child.once('exit', resolve));
			try {
				process.kill(-entry.child.pid, 'SIGTERM');
			} catch {}
			const timer = setTimeout(() => {
				try {
					process.kill(-entry.child.pid, 'SIGKILL');
				} catch {}
			}, 15_000);
			await exited;
			clearTimeout(timer);
			// The task runner of an n8n process may outlive it in the same group.
			try {
				process.kill(-entry.child.pid, 'SIGKILL');
			} catch {}
		}),
	);
}

/** Webhook → Input (one item per row of the body) → Crustdata → Check ($('Input').item). */
function webhookWorkflow(credential) {
	const node = (name, type, typeVersion, parameters, position, extra = {}) => ({
		id: n8nId(`queue/${name}`),
		name,
		type,
		typeVersion,
		parameters,
		position,
		...extra,
	});
	const main = (to) => ({ main: [[{ node: to, type: 'main', index: 0 }]] });
	return {
		id: n8nId('queue-mode/workflow'),
		name: 'Queue mode enrichment',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			node(
				'Webhook',
				'n8n-nodes-base.webhook',
				2,
				{ httpMethod: 'POST', path: WEBHOOK_PATH, responseMode: 'lastNode', responseData: 'allEntries', options: {} },
				[0, 0],
				{ webhookId: '0b9ad1e2-6d0c-4c53-9d6a-5c1f0e7a3b21' },
			),
			node('Input', 'n8n-nodes-base.code', 2, { jsCode: 'return $input.first().json.body.rows.map((json) => ({ json }));' }, [220, 0]),
			node(
				'Crustdata',
				NODE_TYPE,
				1,
				{
					operation: 'enrich',
					identifyBy: 'profileUrl',
					profileUrls: '={{ $json.url }}',
					// Far above the server's limit: the shared limit is met through its headers and 429s.
					options: { requestsPerMinute: 6000 },
				},
				[440, 0],
				{ credentials: { crustdataContactApi: credential } },
			),
			node(
				'Check',
				'n8n-nodes-base.set',
				3.4,
				{
					mode: 'manual',
					includeOtherFields: true,
					assignments: {
						assignments: [
							{ id: n8nId('queue/check/run'), name: 'run', type: 'string', value: "={{ $('Input').item.json.run }}" },
							{ id: n8nId('queue/check/row'), name: 'row', type: 'number', value: "={{ $('Input').item.json.row }}" },
							{ id: n8nId('queue/check/exec'), name: 'executionId', type: 'string', value: '={{ $execution.id }}' },
						],
					},
					options: {},
				},
				[660, 0],
			),
		],
		connections: { Webhook: main('Input'), Input: main('Crustdata'), Crustdata: main('Check') },
	};
}

/** One execution's rows: 100 distinct people over 120 rows (every sixth a re-spelled duplicate). */
function rowsFor(run) {
	const rows = [];
	for (let n = 0; n < DISTINCT_PER_EXECUTION; n++) {
		const slug = `queue-${run}-${String(n).padStart(3, '0')}`;
		rows.push({ run, row: rows.length, url: `https://www.linkedin.com/in/${slug}`, expected: `https://www.linkedin.com/in/${slug}` });
		if (n % 5 === 4) {
			const again = `queue-${run}-${String(n - 3).padStart(3, '0')}`;
			rows.push({ run, row: rows.length, url: `linkedin.com/in/${again.toUpperCase()}/`, expected: `https://www.linkedin.com/in/${again}` });
		}
	}
	return rows;
}

async function main() {
	const t0 = Date.now();
	ensureDeps();
	await build();
	const host = await ensureHost({ log });
	const redisServer = ensureRedis();
	const work = path.join(ROOT, '.e2e', 'queue-mode');
	fs.rmSync(work, { recursive: true, force: true });
	fs.mkdirSync(work, { recursive: true });

	// Redis: a free port on 127.0.0.1, no RDB snapshots, no AOF.
	const redisPort = await freePort();
	const redis = startProcess(
		'redis',
		redisServer,
		['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', work, '--daemonize', 'no'],
		{ cwd: work, env: process.env, logFile: path.join(work, 'redis.log') },
	);
	await waitFor('Redis', async () => /Ready to accept connections/.test(tail(redis)), { entry: redis, timeoutMs: 20_000 });
	log(`[queue] redis-server pid ${redis.child.pid} on 127.0.0.1:${redisPort}`);

	const sim = await startSimulator({
		port: 0,
		keys: { [KEY]: {} },
		rateLimit: { limit: LIMIT, windowMs: WINDOW_MS },
		resetDecimals: 3,
		latencyMs: 30,
	});
	log(`[queue] simulator ${sim.url}: ${LIMIT} requests per ${WINDOW_MS} ms window for the one key`);

	try {
		// One user folder = one sqlite database and one encryption key for main and workers.
		const ctx = await createUserFolder(path.join(work, 'n8n'));
		installPackage(ctx.userFolder, { log });
		const [credentialId] = await importCredential(host, ctx, {
			id: n8nId('queue-mode/credential'),
			name: 'Crustdata (queue mode)',
			type: 'crustdataContactApi',
			data: { apiKey: KEY, baseUrl: sim.url },
		});
		const [workflowId] = await importWorkflow(host, ctx, webhookWorkflow({ id: credentialId, name: 'Crustdata (queue mode)' }));
		const published = await runN8n(host, ctx, ['publish:workflow', `--id=${workflowId}`]);
		if (published.code !== 0) throw new Error(`publish:workflow failed:\n${redact(ctx, published.stdout + published.stderr).slice(-2000)}`);

		const queueEnv = {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redisPort),
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
		};
		const mainPort = await freePort();
		const mainProcess = startProcess('n8n main', host.node, [host.n8n, 'start'], {
			cwd: ctx.userFolder,
			env: n8nEnv(host, ctx, { ...queueEnv, N8N_PORT: String(mainPort), N8N_RUNNERS_BROKER_PORT: String(await freePort()), QUEUE_HEALTH_CHECK_PORT: String(await freePort()) }),
			logFile: path.join(work, 'main.log'),
		});
		const url = `http://127.0.0.1:${mainPort}`;
		await waitFor('n8n main to serve the webhook', async () => {
			// Until its database is migrated n8n answers every path 200 "n8n is starting up", so first
			// /healthz/readiness. Then a GET on a POST-only webhook answers 404 "not registered for
			// GET ... Did you mean to make a POST request?" once the published workflow is active.
			if (!(await fetch(`${url}/healthz/readiness`)).ok) return false;
			const res = await fetch(`${url}/webhook/${WEBHOOK_PATH}`);
			return res.status === 404 && /POST request/i.test(await res.text());
		}, { entry: mainProcess, timeoutMs: 180_000 });
		log(`[queue] n8n main pid ${mainProcess.child.pid} on ${url}`);

		const workers = [];
		for (const n of [1, 2]) {
			const healthPort = await freePort();
			const worker = startProcess(`n8n worker ${n}`, host.node, [host.n8n, 'worker', `--concurrency=${WORKER_CONCURRENCY}`], {
				cwd: ctx.userFolder,
				env: n8nEnv(host, ctx, { ...queueEnv, N8N_RUNNERS_BROKER_PORT: String(await freePort()), QUEUE_HEALTH_CHECK_PORT: String(healthPort) }),
				logFile: path.join(work, `worker-${n}.log`),
			});
			worker.healthPort = healthPort;
			workers.push(worker);
		}
		for (const worker of workers) {
			await waitFor(`${worker.name} to be ready`, async () => /n8n worker is now ready/.test(tail(worker, 1e6)), { entry: worker, timeoutMs: 180_000 });
			log(`[queue] ${worker.name} pid ${worker.child.pid} ready (concurrency ${WORKER_CONCURRENCY})`);
		}

		// Several executions at once, each its own webhook call with its own rows.
		const runs = Array.from({ length: EXECUTIONS }, (_, i) => `r${i}`);
		const rows = Object.fromEntries(runs.map((run) => [run, rowsFor(run)]));
		const t1 = Date.now();
		const answers = await Promise.all(
			runs.map(async (run) => {
				const res = await fetch(`${url}/webhook/${WEBHOOK_PATH}`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ rows: rows[run].map(({ expected, ...row }) => row) }),
					signal: AbortSignal.timeout(240_000),
				});
				const text = await res.text();
				assert.equal(res.status, 200, `execution ${run}: webhook answered ${res.status}: ${text.slice(0, 500)}`);
				return [run, JSON.parse(text)];
			}),
		);
		const seconds = ((Date.now() - t1) / 1000).toFixed(1);

		// Every execution: all its results, each with its own input row (pairing through $('Input').item).
		const executionIds = new Set();
		for (const [run, output] of answers) {
			assert.ok(Array.isArray(output), `execution ${run}: the answer is not a list`);
			assert.equal(output.length, rows[run].length, `execution ${run}: ${output.length} results for ${rows[run].length} rows`);
			const got = output.map((o) => `${o.run} ${o.row} ${o.identifier} ${o.matched}`).sort();
			const want = rows[run].map((r) => `${run} ${r.row} ${r.expected} true`).sort();
			assert.deepEqual(got, want, `execution ${run}: results or pairing differ`);
			const ids = new Set(output.map((o) => o.executionId));
			assert.equal(ids.size, 1, `execution ${run}: items from several executions`);
			executionIds.add([...ids][0]);
		}
		assert.equal(executionIds.size, EXECUTIONS, 'two webhook calls shared an execution');

		// The simulator's view: each identifier bought once per execution, every 429 recovered.
		const enrich = sim.log.filter((e) => e.path === ENRICH_PATH);
		const answered = enrich.filter((e) => e.status === 200);
		const rejected = enrich.filter((e) => e.status === 429);
		const other = enrich.filter((e) => e.status !== 200 && e.status !== 429);
		assert.deepEqual(other.map((e) => `#${e.seq} ${e.status}`), [], 'requests that failed otherwise');
		assert.equal(answered.length, EXECUTIONS * Math.ceil(DISTINCT_PER_EXECUTION / 25), 'answered requests');
		const bought = answered.flatMap((e) => e.identifiers);
		assert.equal(bought.length, EXECUTIONS * DISTINCT_PER_EXECUTION, 'identifiers bought');
		assert.equal(new Set(bought).size, bought.length, 'an identifier was bought twice');
		for (const r of rejected) {
			const key = r.identifiers.join('|');
			assert.ok(
				enrich.some((e) => e.seq > r.seq && e.status === 200 && e.identifiers.join('|') === key),
				`the 429 of request #${r.seq} was never recovered`,
			);
		}
		const ats = answered.map((e) => e.at);
		const span = Math.max(...ats) - Math.min(...ats);
		const minimum = Math.floor((answered.length - 1) / LIMIT) * WINDOW_MS;
		assert.ok(span >= minimum - 50, `the limit was exceeded: ${answered.length} requests in ${span} ms`);

		// Both workers ran executions; main ran none.
		const ranBy = workers.map((w) => [...tail(w, 1e7).matchAll(/Worker finished execution (\d+)/g)].map((m) => m[1]));
		for (const [i, ids] of ranBy.entries()) assert.ok(ids.length > 0, `${workers[i].name} ran no execution`);
		assert.deepEqual(new Set(ranBy.flat()), executionIds, 'the workers did not run exactly these executions');

		log(
			`[queue] PASS: ${EXECUTIONS} executions at once in ${seconds} s on 2 workers ` +
				`(${ranBy.map((ids, i) => `worker ${i + 1}: ${ids.length}`).join(', ')}); ` +
				`${enrich.length} enrich requests: ${answered.length} answered 200, ${rejected.length} answered 429 and retried, 0 unrecovered; ` +
				`every result paired to its row; ${((Date.now() - t0) / 1000).toFixed(0)} s in all`,
		);
	} finally {
		await stopAll();
		await sim.close();
	}
}

try {
	await main();
} catch (error) {
	console.error(`\n[queue] FAIL: ${error.stack ?? error.message}`);
	console.error(`[queue] logs: ${path.join(ROOT, '.e2e', 'queue-mode')}`);
	await stopAll().catch(() => {});
	process.exitCode = 1;
}
