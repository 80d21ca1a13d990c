// Enrich's Channel Auto in a real n8n (the Auto issue): 1,000 profile URLs go out on both
// channels (instant requests and batch jobs), no URL on both, and the output equals, item for
// item, what the instant channel alone gives for the same list against the same simulator.
// Both limits are compressed (15 requests per 2 s, batch jobs of 1–1.5 s), and neither is ever
// exceeded: at most 15 requests in any window, at most 5 active jobs.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
	ENRICH_PATH,
	explain,
	nodeHints,
	nodeOutput,
	pairedIndices,
	setUp,
	WorkflowBuilder,
} from './harness.mjs';

const KEYS = { instant: 'Ai-e2e-auto-instant-3c8e1f7a', auto: 'Aa-e2e-auto-auto-9d2b6e4c' };
const SUBMIT_PATH = '/batch/person/contact/enrich';
const mask = (key) => `${key.slice(0, 2)}***`;
const URLS = Array.from({ length: 1_000 }, (_, i) => {
	const slug = `auto-lead-${String(i).padStart(4, '0')}`;
	return { row: i, url: `https://www.linkedin.com/in/${i % 10 === 3 ? `nomatch-${slug}` : slug}` };
});
const FIELDS = ['contact.business_emails', 'contact.personal_emails', 'contact.phone_numbers'];

describe('Channel Auto in a real n8n', { timeout: 600_000 }, () => {
	let env;
	const results = {};
	const output = (prefix) =>
		(nodeOutput(results[prefix], `${prefix} Crustdata`, 0) ?? []).map((o) => [
			pairedIndices(o),
			o.json,
		]);
	const log = (key) => env.sim.log.filter((e) => e.key === mask(key));

	before(async () => {
		env = await setUp('auto', {
			simulator: {
				keys: Object.fromEntries(Object.values(KEYS).map((key) => [key, {}])),
				rateLimit: { limit: 15, windowMs: 2_000 },
				batch: { durationMs: [1_000, 1_500], maxActive: 5, seed: 1129 },
			},
			credentials: Object.entries(KEYS).map(([name, apiKey]) => ({ name, apiKey })),
		});
		// One workflow per channel, run one after the other: they share nothing but the simulator.
		for (const [prefix, channel] of [
			['Instant', 'instant'],
			['Auto', 'auto'],
		]) {
			const wf = new WorkflowBuilder(`E2E Channel ${prefix}`);
			wf.branch(prefix, {
				items: URLS,
				credential: env.credential(channel),
				parameters: {
					identifyBy: 'profileUrl',
					profileUrls: '={{ $json.url }}',
					fields: FIELDS,
					options: {
						channel,
						includeUnmatched: true,
						// The simulator's window is 2 s: the node follows its headers, not its own 60 s.
						requestsPerMinute: 450,
						pollIntervalSeconds: 0.2,
					},
				},
				onError: 'continueErrorOutput',
				after: { 0: `${prefix} Done`, 1: `${prefix} Failed` },
			});
			const [id] = await env.importWorkflows([wf.toJSON()]);
			const started = Date.now();
			results[prefix] = await env.execute(id);
			process.stderr.write(`[auto] ${prefix}: n8n execute ${(Date.now() - started) / 1000} s\n`);
			assert.equal(results[prefix].code, 0, `n8n execute failed: ${explain(results[prefix])}`);
		}
	});

	after(async () => {
		await env?.tearDown();
	});

	it('sends the list on both channels, each URL on one only', () => {
		const instant = log(KEYS.auto).filter((e) => e.path === ENRICH_PATH && e.status === 200);
		const jobs = log(KEYS.auto).filter((e) => e.path === SUBMIT_PATH && e.status === 200);
		const viaInstant = instant.flatMap((e) => e.identifiers);
		const viaJobs = jobs.flatMap((e) => e.identifiers);
		assert.ok(viaInstant.length > 0, 'no instant request');
		assert.ok(viaJobs.length > 0, 'no batch job');
		assert.equal(
			new Set(viaInstant).size,
			viaInstant.length,
			'a URL went twice by instant requests',
		);
		assert.equal(new Set(viaJobs).size, viaJobs.length, 'a URL went in two jobs');
		assert.deepEqual(
			viaInstant.filter((u) => viaJobs.includes(u)),
			[],
			'a URL went on both channels',
		);
		assert.deepEqual([...viaInstant, ...viaJobs].sort(), URLS.map((r) => r.url).sort());
	});

	it('gives the output the instant channel gives: the same items, pairing and fields', () => {
		const instant = output('Instant');
		const auto = output('Auto');
		assert.equal(instant.length, 1_000);
		assert.deepEqual(auto, instant);
		assert.deepEqual(
			auto.map(([paired]) => paired),
			URLS.map((r) => [r.row]),
		);
	});

	it('never exceeds the instant limit nor 5 active jobs', () => {
		assert.ok(
			env.sim.maxAttemptsInWindow(KEYS.auto) <= 15,
			`${env.sim.maxAttemptsInWindow(KEYS.auto)} requests in a window`,
		);
		assert.ok(
			env.sim.maxActiveJobsSeen(KEYS.auto) <= 5,
			`${env.sim.maxActiveJobsSeen(KEYS.auto)} active jobs`,
		);
		assert.equal(log(KEYS.auto).filter((e) => e.status === 429).length, 0);
	});

	it('counts each channel in the hint', () => {
		const jobs = log(KEYS.auto).filter((e) => e.path === SUBMIT_PATH && e.status === 200);
		const jobUrls = jobs.flatMap((e) => e.identifiers).length;
		const requests = log(KEYS.auto).filter((e) => e.path === ENRICH_PATH).length;
		const checks = log(KEYS.auto).filter((e) => e.path.startsWith('/batch')).length;
		assert.deepEqual(nodeHints(results.Auto, 'Auto Crustdata'), [
			`Crustdata: ${requests} requests, 1000 distinct identifiers sent (${1_000 - jobUrls} in instant requests, ${jobUrls} in ${jobs.length} batch job${jobs.length === 1 ? '' : 's'}, checked with ${checks} batch requests), 900 matched, 100 unmatched, ${env.sim
				.billing(KEYS.auto)
				.filter((b) => b.kind === 'enrich')
				.reduce(
					(sum, b) => sum + b.credits,
					0,
				)} credits used (instant requests; batch jobs report none).`,
		]);
	});
});
