// The channel benchmark of `npm run bench`: 10,000 distinct profile URLs through Enrich's instant
// channel, Bulk Enrich's batch jobs, and Enrich's Auto channel (both side by side), each against
// a fresh simulator with both of Crustdata's limits compressed 30×: 15 instant requests per 2 s
// sliding window (15 per 60 s), 5 active batch jobs, each taking 4–6 s (the documented 2–3
// minutes). The node checks jobs every 1/3 s (the default 10 s, compressed the same).
//
// The two-channel bound: the node's own work before its first request (measured in the Auto run)
// plus N / (instant rate + batch rate): the time both channels, kept full all along, need for N.
// Instant rate = 15 × 25 URLs per 2 s window. Batch rate = 5 × 300 URLs per job cycle, and a job's
// cycle is its mean time (5 s) plus what no client can avoid: learning it ended (on average half
// a check interval) and three round trips (the check, the download, the next submit). The table
// also gives the bound without that overhead (the mean time alone).
import { spawn } from 'node:child_process';
import path from 'node:path';

const LIMIT = 15;
const WINDOW_MS = 2000;
const LATENCY_MS = 50;
const JOB_MS = [4000, 6000];
const ACTIVE_JOBS = 5;
const JOB_URLS = 300;
const POLL_SECONDS = 10 / 30;
const KEY = 'bench-channels-key';
const ENRICH_PATH = '/person/contact/enrich';
const SUBMIT_PATH = '/batch/person/contact/enrich';
export const CHANNEL_URLS = 10_000;

function startSimulator(root) {
	return new Promise((resolve, reject) => {
		const child = spawn(
			process.execPath,
			[
				path.join(root, 'simulator', 'cli.mjs'),
				...['--port', '0', '--key', KEY, '--limit', String(LIMIT)],
				...['--window-ms', String(WINDOW_MS), '--latency-ms', String(LATENCY_MS)],
				...['--reset-decimals', '3', '--batch-duration-ms', JOB_MS.join(',')],
				...['--batch-max-active', String(ACTIVE_JOBS), '--batch-seed', '20261129'],
			],
			{ stdio: ['ignore', 'pipe', 'inherit'] },
		);
		let buffer = '';
		child.stdout.on('data', (chunk) => {
			buffer += chunk;
			if (buffer.includes('\n')) resolve({ child, url: JSON.parse(buffer.split('\n')[0]).url });
		});
		child.on('error', reject);
		child.on('exit', (code) => reject(new Error(`the simulator exited (${code})`)));
	});
}

const simGet = async (url, what) => (await fetch(`${url}/__sim/${what}`)).json();

async function simReset(url) {
	const res = await fetch(`${url}/__sim/reset`, { method: 'POST' });
	if (!res.ok) throw new Error(`simulator reset failed: ${res.status}`);
}

const urls = () =>
	Array.from({ length: CHANNEL_URLS }, (_, n) => {
		const slug = `channel-lead-${String(n).padStart(5, '0')}`;
		return `https://www.linkedin.com/in/${n % 10 === 3 ? `nomatch-${slug}` : slug}`;
	});

const MODES = {
	instant: { operation: 'enrich', options: {} },
	bulk: { operation: 'bulkEnrich', options: {} },
	auto: { operation: 'enrich', options: { channel: 'auto' } },
};

async function runMode(mode, { simUrl, runChild, runNodeScript, dist, harness }) {
	await simReset(simUrl);
	const list = urls();
	const { operation, options } = MODES[mode];
	const result = await runChild(runNodeScript, {
		items: list.map((url, row) => ({ row, url })),
		dist,
		harness,
		simUrl,
		apiKey: KEY,
		parameters: {
			operation,
			identifyBy: 'profileUrl',
			profileUrls: '={{ $json.url }}',
			fields: ['contact.business_emails'],
			options: {
				requestsPerMinute: 100_000,
				includeUnmatched: true,
				pollIntervalSeconds: POLL_SECONDS,
				...options,
			},
		},
	});
	const log = await simGet(simUrl, 'log');
	const stats = await simGet(simUrl, 'stats');
	const instant = log.filter((e) => e.path === ENRICH_PATH);
	const submits = log.filter((e) => e.path === SUBMIT_PATH && e.status === 200);
	const viaInstant = new Set(instant.filter((e) => e.status === 200).flatMap((e) => e.identifiers));
	const viaJobs = new Set(submits.flatMap((e) => e.identifiers));
	const rowsOk = result.pairs.filter(
		([paired, identifier]) => paired.length === 1 && list[paired[0]] === identifier,
	).length;
	return {
		mode,
		wallMs: result.wallMs,
		beforeFirstRequestMs: Math.min(...log.map((e) => e.at)) - result.startedAt,
		requests: instant.length,
		jobs: submits.length,
		instantUrls: viaInstant.size,
		jobUrls: viaJobs.size,
		onBoth: [...viaInstant].filter((url) => viaJobs.has(url)).length,
		credits: stats.creditsCharged,
		maxRequestsInWindow: stats.maxAttemptsInWindow,
		maxActiveJobs: stats.maxActiveJobsSeen,
		outputItems: result.outputItems,
		rowsOk,
		hint: result.hints[0],
	};
}

/** Runs the three modes; returns their measurements and the bounds. */
export async function benchChannels({ root, runChild, dist, harness, log }) {
	const sim = await startSimulator(root);
	const runNodeScript = path.join(root, 'scripts', 'bench', 'run-node.mjs');
	const runs = {};
	try {
		for (const mode of Object.keys(MODES)) {
			runs[mode] = await runMode(mode, { simUrl: sim.url, runChild, runNodeScript, dist, harness });
			const r = runs[mode];
			log(
				`[bench] ${mode}: ${(r.wallMs / 1000).toFixed(1)} s, ${r.requests} requests, ${r.jobs} jobs, ` +
					`${r.credits} credits, ${r.onBoth} URLs on both channels, ${r.rowsOk} rows right`,
			);
		}
	} finally {
		sim.child.kill('SIGTERM');
	}
	const instantRate = (LIMIT * 25) / WINDOW_MS;
	const meanJobMs = (JOB_MS[0] + JOB_MS[1]) / 2;
	// A job's cycle: its mean time, half a check interval to learn it ended, three round trips.
	const jobCycleMs = meanJobMs + (POLL_SECONDS * 1000) / 2 + 3 * LATENCY_MS;
	const boundMs = (jobMs) =>
		runs.auto.beforeFirstRequestMs +
		CHANNEL_URLS / (instantRate + (ACTIVE_JOBS * JOB_URLS) / jobMs);
	const twoChannelBoundMs = boundMs(jobCycleMs);
	return {
		runs,
		twoChannelBoundMs,
		fluidBoundMs: boundMs(meanJobMs),
		jobCycleMs,
		autoVsInstant: runs.auto.wallMs / runs.instant.wallMs,
		autoVsBound: runs.auto.wallMs / twoChannelBoundMs,
		setUp: {
			limit: LIMIT,
			windowMs: WINDOW_MS,
			latencyMs: LATENCY_MS,
			jobMs: JOB_MS,
			pollSeconds: POLL_SECONDS,
		},
	};
}

/** The channel table, for bench/results.md. */
export function channelsMarkdown(channels) {
	const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
	const lines = [
		'',
		`**Channels** at ${CHANNEL_URLS.toLocaleString('en-US')} distinct profile URLs (1 in 10 unknown), ` +
			`business emails; limits compressed 30×: ${LIMIT} instant requests per ${WINDOW_MS / 1000} s, ` +
			`${ACTIVE_JOBS} active jobs of up to ${JOB_URLS}, ${JOB_MS[0] / 1000}–${JOB_MS[1] / 1000} s a job ` +
			`(2–3 minutes real), jobs checked every ${POLL_SECONDS.toFixed(2)} s.`,
		'',
		'| Channel | Instant requests | Batch jobs | URLs instant / in jobs (on both) | Credits charged | Most requests in a window | Most active jobs | Rows right | Wall time |',
		'|---|---:|---:|---:|---:|---:|---:|---:|---:|',
	];
	for (const r of Object.values(channels.runs)) {
		lines.push(
			`| ${r.mode} | ${r.requests} | ${r.jobs} | ${r.instantUrls} / ${r.jobUrls} (${r.onBoth}) | ${r.credits} | ` +
				`${r.maxRequestsInWindow} | ${r.maxActiveJobs} | ${r.rowsOk} | ${s(r.wallMs)} |`,
		);
	}
	const over = (ms) => `${((channels.runs.auto.wallMs / ms - 1) * 100).toFixed(1)} %`;
	lines.push(
		'',
		`Auto: ${(channels.autoVsInstant * 100).toFixed(0)} % of the instant-only wall time (target ≤ 50 %); ` +
			`${over(channels.twoChannelBoundMs)} over the two-channel bound of ` +
			`${s(channels.twoChannelBoundMs)} (target ≤ 10 %): the node's work before its first request, plus ` +
			`N / (15 × 25 per 2 s + 5 × 300 per job cycle of ${(channels.jobCycleMs / 1000).toFixed(2)} s: the mean ` +
			`job time of 5 s, half a check interval to learn it ended, and three round trips). ` +
			`Without that overhead (5 s a cycle) the bound is ${s(channels.fluidBoundMs)} and Auto ${over(channels.fluidBoundMs)} over it.`,
	);
	return lines.join('\n');
}
