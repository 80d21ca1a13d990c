// `npm run bench`: the enrich node against the simulator, with a realistic per-request latency
// and a compressed rate window, for 100, 1,000 and 10,000 input rows; and, on the same data
// and the same simulator, the naive approach (one request per row, no de-duplication, no
// pacing). Writes bench/results.json and bench/results.md. Not a test: it reports, and exits
// non-zero only when a run loses or double-buys something.
//
//   npm run bench [-- --latency-ms 50 --sizes 100,1000,10000]
//
// Set-up: the simulator in its own process (simulator/cli.mjs) with 15 requests per 2 s sliding
// window (the real 15 per 60 s, compressed 30×), reset headers in milliseconds, and a latency
// per enrich request (default 50 ms, about 1.5 s at real scale). Each run of the node is its own
// process (scripts/bench/run-node.mjs): the built node inside n8n-core's WorkflowExecute, run by
// the integration tests' harness (test/integration/harness.ts, compiled to CommonJS here), with
// Requests Per Minute set far above the server's limit so that the server's x-ratelimit-*
// headers drive the pacing, and On Error = Continue so bad rows become error items.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { ensureDeps } from './ensure-deps.mjs';
import { ROOT } from './n8n-host.mjs';
import { build, run } from './steps.mjs';
import { benchChannels, channelsMarkdown } from './bench/channels.mjs';
import { dataset, SHARES } from './bench/dataset.mjs';

const { values: args } = parseArgs({
	options: {
		'latency-ms': { type: 'string', default: '50' },
		sizes: { type: 'string', default: '100,1000,10000' },
		'no-build': { type: 'boolean', default: false },
		// Skips the channel benchmark (instant, bulk and Auto at 10,000 URLs; about 2 minutes).
		'no-channels': { type: 'boolean', default: false },
	},
});
const LATENCY_MS = Number(args['latency-ms']);
const SIZES = args.sizes.split(',').map(Number);
const LIMIT = 15;
const WINDOW_MS = 2000;
const KEY = 'bench-key';
const ENRICH_PATH = '/person/contact/enrich';
const API_VERSION = '2025-11-01';
const FIELDS = ['contact.business_emails'];
const OUT_DIR = path.join(ROOT, 'bench');

const log = (line) => console.log(line);

/**
 * A private copy of the build: other work in the same tree may rebuild (and empty) dist/ while
 * the benchmark runs. Under node_modules/ so that the node's own `require('n8n-workflow')`
 * still resolves to the project's copy.
 */
function snapshotDist() {
	const target = path.join(ROOT, 'node_modules', '.cache', 'crustdata-bench', 'dist');
	fs.rmSync(target, { recursive: true, force: true });
	fs.cpSync(path.join(ROOT, 'dist'), target, { recursive: true });
	return target;
}

/**
 * The jest integration harness (test/integration/harness.ts) as CommonJS, so that each run
 * executes the node exactly as the integration tests do.
 */
async function compileHarness() {
	const config = path.join('test', 'integration', 'tsconfig.harness.json');
	const code = await run(process.execPath, [
		path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
		'-p',
		config,
	]);
	if (code !== 0) throw new Error(`compiling ${config} failed (exit ${code})`);
	return path.join(ROOT, 'node_modules', '.cache', 'crustdata-bench', 'harness', 'harness.js');
}

/** The simulator as its own process; resolves once it printed its URL. */
function startSimulatorProcess() {
	return new Promise((resolve, reject) => {
		const child = spawn(
			process.execPath,
			[
				path.join(ROOT, 'simulator', 'cli.mjs'),
				'--port',
				'0',
				'--key',
				KEY,
				'--limit',
				String(LIMIT),
				'--window-ms',
				String(WINDOW_MS),
				'--latency-ms',
				String(LATENCY_MS),
				'--reset-decimals',
				'3',
			],
			{ stdio: ['ignore', 'pipe', 'inherit'] },
		);
		let buffer = '';
		child.stdout.on('data', (chunk) => {
			buffer += chunk;
			const line = buffer.split('\n')[0];
			if (buffer.includes('\n')) resolve({ child, url: JSON.parse(line).url });
		});
		child.on('error', reject);
		child.on('exit', (code) =>
			reject(new Error(`the simulator exited (${code}) before listening`)),
		);
	});
}

async function simLog(url) {
	return (await fetch(`${url}/__sim/log`)).json();
}

async function simReset(url) {
	const res = await fetch(`${url}/__sim/reset`, { method: 'POST' });
	if (!res.ok) throw new Error(`simulator reset failed: ${res.status}`);
}

function runChild(script, job) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crustdata-bench-'));
	const jobFile = path.join(dir, 'job.json');
	const resultFile = path.join(dir, 'result.json');
	fs.writeFileSync(jobFile, JSON.stringify(job));
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ['--expose-gc', script, jobFile, resultFile], {
			stdio: 'inherit',
		});
		child.on('error', reject);
		child.on('exit', (code) => {
			try {
				if (code !== 0) throw new Error(`${path.basename(script)} exited ${code}`);
				resolve(JSON.parse(fs.readFileSync(resultFile, 'utf8')));
			} catch (error) {
				reject(error);
			} finally {
				fs.rmSync(dir, { recursive: true, force: true });
			}
		});
	});
}

/** What the simulator saw: requests by status, 429s never followed by a 200 for the same identifiers, credits. */
function traffic(entries) {
	const enrich = entries.filter((e) => e.path === ENRICH_PATH);
	const byStatus = {};
	for (const e of enrich) byStatus[e.status] = (byStatus[e.status] ?? 0) + 1;
	const key = (e) => JSON.stringify(e.identifiers);
	const lastAnswered = new Map(); // identifiers → seq of their last 200
	for (const e of enrich) if (e.status === 200) lastAnswered.set(key(e), e.seq);
	const unrecovered429 = enrich.filter(
		(e) => e.status === 429 && !(lastAnswered.get(key(e)) > e.seq),
	).length;
	const bought = enrich.filter((e) => e.status === 200).flatMap((e) => e.identifiers);
	const ats = enrich.map((e) => e.at);
	return {
		requests: enrich.length,
		byStatus,
		rateLimited: byStatus[429] ?? 0,
		unrecovered429,
		credits: enrich.reduce((sum, e) => sum + (e.creditsUsed ?? 0), 0),
		identifiersBought: bought.length,
		distinctBought: new Set(bought).size,
		firstAt: Math.min(...ats),
		lastAt: Math.max(...ats),
	};
}

/** The least time the limit allows for n requests: the last can start floor((n-1)/L)·W after the first, plus one latency. */
const boundMs = (n) => Math.floor((n - 1) / LIMIT) * WINDOW_MS + LATENCY_MS;
/** The same for a client that sends one request at a time (valid while L·d ≤ W): the last window's requests queue up. */
const sequentialBoundMs = (n) =>
	Math.floor((n - 1) / LIMIT) * WINDOW_MS + (((n - 1) % LIMIT) + 1) * LATENCY_MS;

async function benchNode(simUrl, rows, { dist, harness }) {
	await simReset(simUrl);
	const result = await runChild(path.join(ROOT, 'scripts', 'bench', 'run-node.mjs'), {
		items: rows.map(({ row, url }) => ({ row, url })),
		dist,
		harness,
		simUrl,
		apiKey: KEY,
		parameters: {
			operation: 'enrich',
			identifyBy: 'profileUrl',
			profileUrls: '={{ $json.url }}',
			fields: FIELDS,
			options: { requestsPerMinute: 100_000, includeUnmatched: true },
		},
	});
	const seen = traffic(await simLog(simUrl));

	// Nothing lost: one output item per row, paired with that row; the person a valid row holds,
	// an error item for a bad row.
	const problems = [];
	const perRow = new Map();
	for (const [paired, identifier, what] of result.pairs) {
		if (paired.length !== 1) problems.push(`an output item is paired with ${paired.length} rows`);
		perRow.set(paired[0], [...(perRow.get(paired[0]) ?? []), { identifier, what }]);
	}
	for (const r of rows) {
		const got = perRow.get(r.row) ?? [];
		const ok = r.bad
			? got.length === 1 && got[0].what === 'error'
			: got.length === 1 && got[0].identifier === r.expected && got[0].what === r.matches;
		if (!ok) problems.push(`row ${r.row} (${r.url}): ${JSON.stringify(got)}`);
	}
	// Where the wall time goes: local work before the first request arrives, the requests
	// (first arrival to last answer), local work after the last answer.
	const phases = {
		beforeFirstRequestMs: seen.firstAt - result.startedAt,
		requestsMs: seen.lastAt + LATENCY_MS - seen.firstAt,
		afterLastAnswerMs: result.endedAt - (seen.lastAt + LATENCY_MS),
	};
	return {
		...result,
		pairs: undefined,
		traffic: seen,
		phases,
		problems: problems.slice(0, 5),
		problemCount: problems.length,
	};
}

/**
 * What users do today: an HTTP Request node with one request per row, as it sends them by
 * default (every item's request started at once, no batching option, no retry): the raw cell
 * as the one identifier, duplicates and bad rows included.
 */
async function benchNaive(simUrl, rows) {
	await simReset(simUrl);
	const t0 = performance.now();
	const answers = await Promise.all(
		rows.map(async ({ url }) => {
			try {
				const res = await fetch(`${simUrl}${ENRICH_PATH}`, {
					method: 'POST',
					headers: {
						authorization: `Bearer ${KEY}`,
						'x-api-version': API_VERSION,
						'content-type': 'application/json',
					},
					body: JSON.stringify({ professional_network_profile_urls: [url], fields: FIELDS }),
				});
				const body = await res.text();
				const matched = res.status === 200 && (JSON.parse(body)[0]?.matches?.length ?? 0) > 0;
				return { status: res.status, matched };
			} catch (error) {
				return { status: `network:${error.cause?.code ?? error.message}`, matched: false };
			}
		}),
	);
	const wallMs = performance.now() - t0;
	const seen = traffic(await simLog(simUrl));
	const answeredRows = answers.filter((a) => a.status === 200).length;
	return {
		wallMs,
		traffic: seen,
		answeredRows,
		// Requests that failed in the client before any answer (connection refused or reset under the burst).
		networkErrors: answers.filter((a) => typeof a.status === 'string').length,
		// Rows with a findable person that came back with nothing (a 429 or an error).
		lostRows: rows.filter((r, i) => r.matches && !answers[i].matched).length,
	};
}

const fmtS = (ms) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
const fmtN = (n) => n.toLocaleString('en-US');
const pct = (x) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} %`;

function markdown(results, meta) {
	const lines = [];
	lines.push(
		`Run ${meta.date} on ${meta.machine}; simulator: ${LIMIT} requests per ` +
			`${WINDOW_MS / 1000} s sliding window ` +
			`(Crustdata's 15 per 60 s, compressed 30×), ${LATENCY_MS} ms per enrich request, ` +
			`reset headers in ms. ` +
			`Data per 100 rows: ${SHARES.distinct * 100} distinct people ` +
			`(${SHARES.unmatchedOfDistinct * 100} % of them unknown), ` +
			`${SHARES.duplicates * 100} re-spelled duplicates, ${SHARES.bad * 100} bad rows. ` +
			`Fields: business emails (1 credit per matched person).`,
	);
	const table = (title, columns, row) => {
		lines.push('', title, '');
		lines.push(`| ${columns.join(' | ')} |`, `|${columns.map(() => '---:').join('|')}|`);
		for (const r of results) lines.push(`| ${row(r).join(' | ')} |`);
	};
	table(
		"**The node**: requests, time and credits (Requests Per Minute set high, so the API's " +
			'headers pace it; On Error: Continue)',
		[
			'Rows',
			'Distinct valid',
			'Requests (target ⌈distinct/25⌉)',
			'429s (unrecovered)',
			'Wall time',
			'Rate-limit bound',
			'vs bound',
			'Requests phase¹',
			'Wall time without reading the items³',
			'Sequential bound²',
			'Credits',
			'Per-item approach would pay',
			'Rows lost',
		],
		({ node: n, ...r }) => {
			const readingFree = n.wallMs - n.phases.beforeFirstRequestMs;
			return [
				fmtN(r.rows),
				fmtN(r.distinctValid),
				`${n.traffic.requests} (${r.targetRequests})`,
				`${n.traffic.rateLimited} (${n.traffic.unrecovered429})`,
				fmtS(n.wallMs),
				fmtS(r.boundMs),
				pct(n.wallMs / r.boundMs - 1),
				`${fmtS(n.phases.requestsMs)} (${pct(n.phases.requestsMs / r.boundMs - 1)})`,
				`${fmtS(readingFree)} (${pct(readingFree / r.boundMs - 1)})`,
				fmtS(r.sequentialBoundMs),
				fmtN(n.traffic.credits),
				fmtN(r.perItemCredits),
				n.problemCount,
			];
		},
	);
	table(
		'**The node**: its own CPU and memory (measured around its execute() only; see below)',
		[
			'Rows',
			'CPU',
			'CPU per 1,000 rows',
			'Peak heap growth',
			'Peak heap growth per 1,000 rows',
			'Work before the first request',
			'Peak RSS of the whole process',
		],
		({ node: n, rows }) => [
			fmtN(rows),
			`${n.cpuMs.toFixed(0)} ms`,
			`${(n.cpuMs / (rows / 1000)).toFixed(0)} ms`,
			`${n.heapPeakDeltaMB.toFixed(1)} MB`,
			`${(n.heapPeakDeltaMB / (rows / 1000)).toFixed(1)} MB`,
			`${n.phases.beforeFirstRequestMs} ms`,
			`${n.maxRssMB.toFixed(0)} MB`,
		],
	);
	table(
		'**The naive approach** (one request per row, raw value, no de-duplication, no pacing, ' +
			"no retry: an HTTP Request node's default)",
		[
			'Rows',
			'Requests sent (reached the API)',
			'Answered 200',
			'429s (unrecovered)',
			'400s',
			'Credits',
			'Findable rows left without a result',
			'Wall time',
		],
		({ naive: n, ...r }) => [
			fmtN(r.rows),
			`${fmtN(r.rows)} (${fmtN(n.traffic.requests)})`,
			fmtN(n.traffic.byStatus[200] ?? 0),
			`${fmtN(n.traffic.rateLimited)} (${fmtN(n.traffic.unrecovered429)})`,
			fmtN(n.traffic.byStatus[400] ?? 0),
			fmtN(n.traffic.credits),
			`${fmtN(n.lostRows)} of ${fmtN(r.findableRows)}`,
			fmtS(n.wallMs),
		],
	);
	lines.push('');
	lines.push(
		"¹ From the first request's arrival at the simulator to the last answer; the rest of " +
			'the wall time is local work (reading and validating every row before the first ' +
			'request, shaping the output after the last). ' +
			`² The least time for a client that sends one request at a time: the last window's ` +
			`requests queue behind each other, ((n−1) mod ${LIMIT} + 1) × ${LATENCY_MS} ms ` +
			`instead of one latency. ` +
			"³ The wall time minus the work before the first request (reading every row's " +
			"parameter through n8n's expression engine and validating it, which the node " +
			'finishes before it sends anything, so that bad input costs nothing); it is the ' +
			'"Work before the first request" column of the next table.',
	);
	lines.push('');
	lines.push(`Load average during the run: ${meta.loadAverage}. ${meta.measurement}.`);
	return `${lines.join('\n')}\n`;
}

async function main() {
	if (!args['no-build']) {
		ensureDeps();
		await build();
	}
	const nodeUnderTest = { dist: snapshotDist(), harness: await compileHarness() };
	const sim = await startSimulatorProcess();
	log(`[bench] simulator ${sim.url}: ${LIMIT} per ${WINDOW_MS} ms, ${LATENCY_MS} ms latency`);
	const results = [];
	try {
		for (const size of SIZES) {
			const rows = dataset(size);
			const valid = rows.filter((r) => !r.bad);
			const distinctValid = new Set(valid.map((r) => r.expected)).size;
			const targetRequests = Math.ceil(distinctValid / 25);
			log(
				`\n[bench] ${fmtN(size)} rows: ${distinctValid} distinct valid, target ` +
					`${targetRequests} requests`,
			);
			const node = await benchNode(sim.url, rows, nodeUnderTest);
			log(
				`[bench]   node: ${node.traffic.requests} requests, ` +
					`${node.traffic.rateLimited} × 429, ${fmtS(node.wallMs)} ` +
					`(bound ${fmtS(boundMs(targetRequests))}; ` +
					`before the first request ${node.phases.beforeFirstRequestMs} ms, ` +
					`requests ${node.phases.requestsMs} ms, ` +
					`after ${node.phases.afterLastAnswerMs.toFixed(0)} ms), ` +
					`CPU ${node.cpuMs.toFixed(0)} ms, heap +${node.heapPeakDeltaMB.toFixed(1)} MB, ` +
					`${node.problemCount} problems`,
			);
			const naive = await benchNaive(sim.url, rows);
			log(
				`[bench]   naive: ${naive.traffic.requests} requests, ` +
					`${naive.traffic.rateLimited} × 429, ${naive.traffic.credits} credits, ` +
					`${naive.lostRows} findable rows without a result, ${fmtS(naive.wallMs)}`,
			);
			const creditPerPerson =
				FIELDS.length === 1 && FIELDS[0] === 'contact.business_emails' ? 1 : NaN;
			results.push({
				rows: size,
				validRows: valid.length,
				badRows: rows.length - valid.length,
				distinctValid,
				findableRows: valid.filter((r) => r.matches).length,
				targetRequests,
				boundMs: boundMs(targetRequests),
				sequentialBoundMs: sequentialBoundMs(targetRequests),
				// A per-item approach that got every row through pays each findable row, duplicates included.
				perItemCredits: valid.filter((r) => r.matches).length * creditPerPerson,
				node,
				naive,
			});
		}
	} finally {
		sim.child.kill('SIGTERM');
	}
	const channels = !args['no-channels']
		? await benchChannels({ root: ROOT, runChild, ...nodeUnderTest, log })
		: undefined;

	const meta = {
		date: new Date().toISOString().slice(0, 10),
		machine: `${os.cpus().length} vCPU ${os.cpus()[0]?.model?.trim() ?? ''}, Node ${process.version}`,
		limit: LIMIT,
		windowMs: WINDOW_MS,
		latencyMs: LATENCY_MS,
		shares: SHARES,
		fields: FIELDS,
		loadAverage: '',
		measurement:
			"CPU: process.cpuUsage() (user + system) from the start to the end of the node's " +
			"execute(), run in-process by n8n-core's WorkflowExecute in a process of its own, " +
			'with the simulator in another process, so it counts the node, the n8n expression ' +
			"and HTTP-client code it calls, and GC, nothing of the simulator's; peak heap " +
			"growth: V8's used heap sampled every 10 ms during execute(), highest value minus " +
			'the value just before (after a full GC), garbage not yet collected included; peak ' +
			'RSS: getrusage maxRSS of that process, n8n-core and the modules it loads included',
	};
	meta.loadAverage =
		os
			.loadavg()
			.map((x) => x.toFixed(1))
			.join(' / ') + ` (1 / 5 / 15 min, ${os.cpus().length} vCPU)`;
	fs.mkdirSync(OUT_DIR, { recursive: true });
	fs.writeFileSync(
		path.join(OUT_DIR, 'results.json'),
		`${JSON.stringify({ meta, results, channels }, null, 2)}\n`,
	);
	const md = markdown(results, meta) + (channels ? `${channelsMarkdown(channels)}\n` : '');
	fs.writeFileSync(path.join(OUT_DIR, 'results.md'), md);
	log(`\n${md}`);
	log(`[bench] wrote bench/results.json and bench/results.md`);

	const failures = results.flatMap((r) => [
		...(r.node.problemCount
			? [`${r.rows} rows: ${r.node.problemCount} rows lost or wrong, e.g. ${r.node.problems[0]}`]
			: []),
		...(r.node.traffic.unrecovered429
			? [`${r.rows} rows: ${r.node.traffic.unrecovered429} unrecovered 429s`]
			: []),
		...(r.node.traffic.identifiersBought !== r.distinctValid
			? [
					`${r.rows} rows: ${r.node.traffic.identifiersBought} identifiers bought for ` +
						`${r.distinctValid} distinct`,
				]
			: []),
	]);
	if (channels) {
		for (const r of Object.values(channels.runs)) {
			if (r.onBoth > 0) failures.push(`${r.mode}: ${r.onBoth} URLs sent on both channels`);
			if (r.rowsOk !== r.outputItems || r.outputItems !== 10_000)
				failures.push(`${r.mode}: ${r.rowsOk} of ${r.outputItems} output items right`);
			if (r.maxRequestsInWindow > LIMIT)
				failures.push(`${r.mode}: ${r.maxRequestsInWindow} requests in a window`);
			if (r.maxActiveJobs > 5) failures.push(`${r.mode}: ${r.maxActiveJobs} active jobs`);
		}
	}
	for (const failure of failures) console.error(`[bench] FAIL ${failure}`);
	process.exitCode = failures.length ? 1 : 0;
}

await main();
