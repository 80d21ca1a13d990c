// "Skip Identifiers Looked Up Before" inside a real n8n: three consecutive `n8n execute` runs of
// ONE imported workflow, which share n8n's deduplication store (its database) the way a nightly
// schedule's executions do. The rows come from a small HTTP server in this file (an HTTP Request
// node stands in for a CRM), so the workflow stays the same while its input grows.
//
// - New: run 1 over 100 rows (4 requests); run 2 over the same 100 plus 20 new: exactly one
//   request, carrying the 20 new; the 100 leave on Not Sent with `lookedUpBefore`.
// - Failed: run 1's second request fails with a 500 every retry; run 2 sends exactly its 5
//   identifiers again (a failed request is never remembered), and nothing else.
// - Expiry: "Look Up Again After (Days)" 0.0003 (25.92 s; an identifier is forgotten between N
//   and 1.2 N after its lookup, by 31.1 s): run 2, within N, sends nothing; run 3, started once
//   1.2 N has passed since run 1's lookup, sends them again. (N is this large so that run 2 lands
//   within N even on a slow machine: it starts a new n8n process after run 1.)
// Run 3 also shows the other two nodes remember everything they bought, whatever run bought it.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { sleep } from '../../scripts/n8n-process.mjs';
import {
	ENRICH_PATH,
	explain,
	nodeHints,
	nodeOutput,
	pairedIndices,
	setUp,
	WorkflowBuilder,
} from './harness.mjs';

const KEYS = {
	new: 'Mn-e2e-memory-new-6a2e9c4f1d7b',
	failed: 'Mf-e2e-memory-failed-3d8b1f5a9c2e',
	expiry: 'Me-e2e-memory-expiry-9f4c2a7e5b1d',
};
const mask = (key) => `${key.slice(0, 2)}***`;
const LOOK_UP_AGAIN_AFTER_DAYS = 0.0003;
const N_MS = LOOK_UP_AGAIN_AFTER_DAYS * 86_400_000; // 25,920 ms
const FORGOTTEN_BY_MS = N_MS * 1.2; // 31,104 ms
const url = (slug) => `https://www.linkedin.com/in/${slug}`;
const pad = (n) => String(n).padStart(3, '0');
const range = (from, to) => Array.from({ length: to - from }, (_, i) => from + i);
const rows = (prefix, n) => range(0, n).map((i) => ({ row: i, url: url(`${prefix}-${pad(i)}`) }));
const LOOKED_UP_BEFORE =
	'Not sent: this node looked them up before with the same Fields, within "Look Up Again After (Days)". Nothing was bought for these identifiers.';
const SERVER_ERROR = 'Crustdata had a server error (500) after 4 retries: try again later';

/** The rows each branch's HTTP Request node gets, per run (1, 2, 3). */
const ROWS = {
	new: (run) => rows('mm-new', run === 1 ? 100 : 120),
	failed: () => rows('mm-failed', 30),
	expiry: () => rows('mm-expiry', 10),
};

describe('memory across runs in a real n8n', { timeout: 300_000 }, () => {
	let env;
	let server;
	let run = 0;
	/** Per run: the n8n result and the simulator log entries it added. */
	const runs = [];

	const requestsIn = (r, key) =>
		runs[r - 1].log.filter((e) => e.path === ENRICH_PATH && e.key === mask(key));
	const shape = (requests) => requests.map((e) => [e.identifiers.length, e.status]);
	const output = (r, prefix, index) =>
		(nodeOutput(runs[r - 1].result, `${prefix} Crustdata`, index) ?? []).map((o) => [
			pairedIndices(o),
			o.json,
		]);
	const pairs = (r, prefix, index) => output(r, prefix, index).map(([[i]]) => i);
	const hints = (r, prefix) => nodeHints(runs[r - 1].result, `${prefix} Crustdata`);
	const lookedUpBefore = (list, indices) =>
		indices.map((i) => [
			[i],
			{ reason: 'lookedUpBefore', identifiers: [list[i].url], message: LOOKED_UP_BEFORE },
		]);

	/** Each output's Set node finds its own input row with $('<prefix> Input').item. */
	function assertDownstreamPairing(r, prefix) {
		for (const [index, check] of [
			[0, 'Done'],
			[1, 'Not Sent'],
			[2, 'Failed'],
		]) {
			assert.deepEqual(
				(nodeOutput(runs[r - 1].result, `${prefix} ${check}`) ?? []).map(
					(o) => o.json.pairedInput.row,
				),
				pairs(r, prefix, index),
				`run ${r}, ${prefix} ${check}: $('${prefix} Input').item`,
			);
		}
	}

	async function execute(id) {
		run += 1;
		const from = env.sim.log.length;
		const started = Date.now();
		const result = await env.execute(id);
		const ended = Date.now();
		process.stderr.write(`[memory] run ${run}: n8n execute ${(ended - started) / 1000} s\n`);
		assert.equal(result.code, 0, `run ${run} failed: ${explain(result)}`);
		runs.push({ result, log: env.sim.log.slice(from), started, ended });
	}

	before(async () => {
		server = http.createServer((req, res) => {
			const branch = req.url.replace('/rows/', '');
			const body = ROWS[branch]?.(run);
			res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
			res.end(JSON.stringify(body ?? { error: 'no such rows' }));
		});
		await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
		const rowsUrl = (branch) => `http://127.0.0.1:${server.address().port}/rows/${branch}`;

		env = await setUp('memory', {
			simulator: {
				keys: Object.fromEntries(Object.values(KEYS).map((key) => [key, {}])),
				rateLimit: { limit: 1000, windowMs: 60_000 },
			},
			credentials: Object.entries(KEYS).map(([name, apiKey]) => ({ name, apiKey })),
		});
		const wf = new WorkflowBuilder('E2E memory across runs');
		const branch = (prefix, key, options = {}) => {
			const { input } = wf.branch(prefix, {
				items: [],
				credential: env.credential(key),
				parameters: {
					identifyBy: 'profileUrl',
					profileUrls: '={{ $json.url }}',
					options: { skipLookedUp: true, ...options },
				},
				onError: 'continueErrorOutput',
				after: { 0: `${prefix} Done`, 1: `${prefix} Not Sent`, 2: `${prefix} Failed` },
			});
			// The rows come from the server (an HTTP Request node returning a list: one item each).
			Object.assign(
				wf.nodes.find((n) => n.name === input),
				{
					type: 'n8n-nodes-base.httpRequest',
					typeVersion: 4.2,
					parameters: { url: rowsUrl(key), options: {} },
				},
			);
		};
		branch('New', 'new');
		branch('Failed', 'failed');
		// Last: in run 2 it runs right after the two quick branches, well within N of run 1.
		branch('Expiry', 'expiry', { lookUpAgainAfterDays: LOOK_UP_AGAIN_AFTER_DAYS });
		const [id] = await env.importWorkflows([wf.toJSON()]);

		// Run 1: the second request of Failed (its last 5) fails with a 500, every retry.
		env.sim.addFault({ kind: 'status', status: 500, identifier: url('mm-failed-025'), times: 5 });
		await execute(id);
		// Run 2, at once.
		await execute(id);
		// Run 3, once run 1's Expiry lookup is surely forgotten.
		const [lookup] = requestsIn(1, KEYS.expiry);
		const wait = lookup.at + FORGOTTEN_BY_MS + 500 - Date.now();
		process.stderr.write(`[memory] waiting ${wait} ms for Expiry's lookup to be forgotten\n`);
		await sleep(Math.max(0, wait));
		await execute(id);
	});

	after(async () => {
		await env?.tearDown();
		server?.close();
	});

	describe('New: run 2 sends only the 20 new rows', () => {
		const list = ROWS.new(2);

		it('run 1 buys the 100 in 4 requests', () => {
			assert.deepEqual(shape(requestsIn(1, KEYS.new)), [
				[25, 200],
				[25, 200],
				[25, 200],
				[25, 200],
			]);
			assert.deepEqual(pairs(1, 'New', 0), range(0, 100));
			assert.deepEqual(output(1, 'New', 1), []);
			assertDownstreamPairing(1, 'New');
			assert.deepEqual(hints(1, 'New'), [
				'Crustdata: 4 requests, 100 distinct identifiers sent, 100 matched, 0 unmatched, 100 credits used.',
			]);
		});

		it('run 2 sends exactly 1 request with the 20 new; the 100 leave on Not Sent, paired', () => {
			const requests = requestsIn(2, KEYS.new);
			assert.deepEqual(
				requests.map((e) => [e.identifiers, e.status]),
				[[list.slice(100).map((r) => r.url), 200]],
			);
			assert.deepEqual(
				output(2, 'New', 0).map(([paired, json]) => [paired, json.identifier, json.matched]),
				range(100, 120).map((i) => [[i], list[i].url, true]),
			);
			assert.deepEqual(output(2, 'New', 1), lookedUpBefore(list, range(0, 100)));
			assert.deepEqual(output(2, 'New', 2), []);
			assertDownstreamPairing(2, 'New');
			assert.equal(env.sim.creditsCharged(KEYS.new), 120, 'each person bought once');
			assert.deepEqual(hints(2, 'New'), [
				'Crustdata: 1 request, 20 distinct identifiers sent, 20 matched, 0 unmatched, 100 not sent, 20 credits used.',
			]);
		});

		it('run 3 sends nothing: all 120 are remembered', () => {
			assert.deepEqual(requestsIn(3, KEYS.new), []);
			assert.deepEqual(output(3, 'New', 0), []);
			assert.deepEqual(output(3, 'New', 1), lookedUpBefore(list, range(0, 120)));
			assertDownstreamPairing(3, 'New');
			assert.deepEqual(hints(3, 'New'), [
				'Crustdata: 0 requests, 0 distinct identifiers sent, 0 matched, 0 unmatched, 120 not sent, 0 credits used.',
			]);
		});
	});

	describe('Failed: a request that failed in run 1 is sent again in run 2', () => {
		const list = ROWS.failed();

		it('run 1: the second request fails every retry; its 5 rows leave on the error output', () => {
			assert.deepEqual(shape(requestsIn(1, KEYS.failed)), [
				[25, 200],
				[5, 500],
				[5, 500],
				[5, 500],
				[5, 500],
				[5, 500],
			]);
			assert.deepEqual(pairs(1, 'Failed', 0), range(0, 25));
			assert.deepEqual(
				output(1, 'Failed', 2).map(([paired, json]) => [paired, json.error]),
				range(25, 30).map((i) => [[i], SERVER_ERROR]),
			);
			assertDownstreamPairing(1, 'Failed');
		});

		it('run 2 sends exactly those 5 again, and puts the 25 bought on Not Sent', () => {
			assert.deepEqual(
				requestsIn(2, KEYS.failed).map((e) => [e.identifiers, e.status]),
				[[list.slice(25).map((r) => r.url), 200]],
			);
			assert.deepEqual(pairs(2, 'Failed', 0), range(25, 30));
			assert.deepEqual(output(2, 'Failed', 1), lookedUpBefore(list, range(0, 25)));
			assert.deepEqual(output(2, 'Failed', 2), []);
			assertDownstreamPairing(2, 'Failed');
			assert.equal(env.sim.creditsCharged(KEYS.failed), 30, 'each person bought once');
		});

		it('run 3 sends nothing', () => {
			assert.deepEqual(requestsIn(3, KEYS.failed), []);
			assert.deepEqual(output(3, 'Failed', 1), lookedUpBefore(list, range(0, 30)));
		});
	});

	describe('Expiry: "Look Up Again After (Days)"', () => {
		const list = ROWS.expiry();

		it('run 2, within N of the lookup, sends nothing', () => {
			const [lookup] = requestsIn(1, KEYS.expiry);
			assert.deepEqual(shape(requestsIn(1, KEYS.expiry)), [[10, 200]]);
			// The premise: run 2 (its Expiry node ran before its process ended) came within N.
			assert.ok(
				runs[1].ended - lookup.at < N_MS,
				`run 2 ended ${runs[1].ended - lookup.at} ms after the lookup, not within ${N_MS} ms`,
			);
			assert.deepEqual(requestsIn(2, KEYS.expiry), []);
			assert.deepEqual(output(2, 'Expiry', 1), lookedUpBefore(list, range(0, 10)));
			assertDownstreamPairing(2, 'Expiry');
		});

		it('run 3, once 1.2 N has passed, sends them again', () => {
			const [lookup] = requestsIn(1, KEYS.expiry);
			assert.ok(runs[2].started - lookup.at >= FORGOTTEN_BY_MS);
			assert.deepEqual(
				requestsIn(3, KEYS.expiry).map((e) => [e.identifiers, e.status]),
				[[list.map((r) => r.url), 200]],
			);
			assert.deepEqual(pairs(3, 'Expiry', 0), range(0, 10));
			assert.deepEqual(output(3, 'Expiry', 1), []);
			assertDownstreamPairing(3, 'Expiry');
			assert.equal(env.sim.creditsCharged(KEYS.expiry), 20, 'bought twice, once per lookup');
		});
	});
});
