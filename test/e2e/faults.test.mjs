// The fault matrix of "Nothing lost, nothing bought twice", inside a real n8n: every fault the
// simulator can inject, each in its own branch, with "Continue (using error output)".
//
// Six workflows run at once in six `n8n execute` processes (n8n runs the branches of one
// workflow one after the other, so each case that waits out every retry gets its own process):
// - Fast: 429 storms, one 500, one time-out and one dropped connection (not sent again by
//   default: the request may have been billed; sent again with "Re-Send Timed-Out Requests"),
//   malformed JSON, a short 200, a 404, 402 in the middle of a run, the key revoked in the middle
//   of a run.
// - Broke: 402 in the middle of a run without Continue On Fail (the run stops there).
// - Down, Cut, Throttled, Hung: 500 until the retries run out; the connection dropped on every
//   try and 429 until the retries run out; a time-out (Request Timeout 1 s) on every try (Cut and
//   Hung with "Re-Send Timed-Out Requests" on, so that they are retried at all).
// test/e2e/untrusted.test.mjs has the faults of answers and headers as untrusted input.
//
// Most failing branches use the same 28 items (see splitItems): their 28 distinct profiles go out
// in two requests, and the fault is pinned to the second one by identifier, so the first request
// shows what must survive the failure and item 27 has one result on each output.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
	enrichRequests,
	executeConcurrently,
	explain,
	nodeHints,
	nodeOutput,
	pairedIndices,
	setUp,
	WorkflowBuilder,
} from './harness.mjs';

// Distinctive keys, and distinct first two letters: the simulator logs keys as `<2 letters>***`.
const KEYS = {
	main: 'Fk-e2e-faults-3b9d7e1c5a8f2d46c0e9',
	credits: 'Cr-e2e-credits-8e2f6a4d1c7b9e35a1f0',
	broke: 'Bk-e2e-broke-5c1a9e7f3d2b8c46e0a7',
	revoked: 'Rv-e2e-revoked-2d8b4f6e1a9c7d35b2e8',
	slow: 'Sl-e2e-slow-7a3e9c1f5b2d8e46a9c3',
};
const mask = (key) => `${key.slice(0, 2)}***`;
const CREDITS = 27; // the first request (25 matches) leaves 2; the second needs 3
const url = (slug) => `https://www.linkedin.com/in/${slug}`;
const pad = (n) => String(n).padStart(2, '0');

/** 28 items: 0–26 one profile each, item 27 item 3's profile and one of its own. */
function splitItems(prefix) {
	const items = Array.from({ length: 27 }, (_, k) => ({
		itemId: `${prefix}#${k}`,
		url: url(`${prefix}-${pad(k)}`),
	}));
	items.push({ itemId: `${prefix}#27`, url: [items[3].url, url(`${prefix}-27`)] });
	return items;
}
const idsOf = (item) => [item.url].flat();
/** Canonical ids of the second request of splitItems(prefix). */
const secondRequest = (prefix) => [25, 26, 27].map((k) => url(`${prefix}-${pad(k)}`));

function smallItems(prefix) {
	return [0, 1, 2].map((k) => ({ itemId: `${prefix}#${k}`, url: url(`${prefix}-${pad(k)}`) }));
}

const MESSAGES = {
	malformed:
		'Crustdata answered 200 but the body is not valid JSON; the request was not sent again, because it may already have been billed',
	short:
		'Crustdata answered 2 of the 3 identifiers in one request and left this one out; it was not sent again, because the request may already have been billed. Run the item again to retry it.',
	credits:
		'The Crustdata account is out of credits (402): add credits, then run the workflow again',
	revoked: 'Crustdata rejected the API key (401): check the API key in the Crustdata credential',
	exhausted500: 'Crustdata had a server error (500) after 4 retries: try again later',
	exhausted429:
		'Crustdata kept answering 429 (rate limit reached) after 10 retries: another workflow may share this account\'s limit; lower "Requests per Minute" or run later',
	timedOut:
		"Crustdata did not answer (the request timed out) after 4 retries: each attempt may have been processed and billed. Check the account's usage before you run these items again",
	dropped:
		"Crustdata did not answer (the connection was dropped) after 4 retries: each attempt may have been processed and billed. Check the account's usage before you run these items again",
	notResent: (problem) =>
		`Crustdata did not answer (${problem}) and the request was not sent again: Crustdata may already have processed and billed it. Check the account's usage before you run these items again, or turn on "Re-Send Timed-Out Requests" in Options`,
};

/** Requests that carried any identifier of this prefix, in arrival order. */
function requestsOf(sim, prefix) {
	return enrichRequests(sim, (e) => e.identifiers?.some((id) => id.startsWith(url(`${prefix}-`))));
}

/** Nothing bought twice: once a request carrying an identifier answered 200, it is never sent again. */
function assertNoResend(requests) {
	const bought = new Set();
	for (const r of requests) {
		for (const id of r.identifiers ?? [])
			assert.ok(!bought.has(id), `${id} was sent again after a 200`);
		if (r.status === 200) r.identifiers.forEach((id) => bought.add(id));
	}
}

/**
 * Nothing lost, nothing duplicated: the success output holds exactly one match per (item,
 * identifier) that did not fail, in input order and paired to its item; the error output exactly
 * one error item per item that lost identifiers, paired, naming them.
 */
function assertSplitOutputs(result, prefix, items, failedIds, message, { httpCode, extra } = {}) {
	const ok = nodeOutput(result, `${prefix} Crustdata`, 0);
	const failed = nodeOutput(result, `${prefix} Crustdata`, 1);
	const wantOk = items.flatMap((item, i) =>
		idsOf(item)
			.filter((id) => !failedIds.includes(id))
			.map((id) => `${i} ${id}`),
	);
	assert.deepEqual(
		ok.map((o) => `${pairedIndices(o).join('+')} ${o.json.identifier}`),
		wantOk,
	);
	assert.ok(
		ok.every((o) => o.json.matched === true && o.json.businessEmail),
		'a success item without its match',
	);
	const wantFailed = items
		.map((item, i) => [i, idsOf(item).filter((id) => failedIds.includes(id))])
		.filter(([, ids]) => ids.length > 0);
	assert.deepEqual(
		failed.map((o) => [
			pairedIndices(o),
			o.json.error,
			o.json.details.identifiers,
			o.json.details.httpCode,
		]),
		wantFailed.map(([i, ids]) => [[i], message, ids, httpCode]),
	);
	for (const o of failed) {
		// n8n merges the paired input item's fields into each error item.
		const input = items[pairedIndices(o)[0]];
		assert.deepEqual(
			o.json,
			{ ...input, error: o.json.error, details: o.json.details },
			'error item merged with the wrong input',
		);
		if (extra) extra(o.json);
	}
	// Downstream nodes on both outputs resolve $('<prefix> Input').item to the right item.
	// (A node whose input is empty does not run: no run data.)
	assert.deepEqual(
		(nodeOutput(result, `${prefix} OK`) ?? []).map((o) => o.json.pairedInput.itemId),
		ok.map((o) => items[pairedIndices(o)[0]].itemId),
	);
	assert.deepEqual(
		(nodeOutput(result, `${prefix} Failed`) ?? []).map((o) => o.json.pairedInput.itemId),
		failed.map((o) => items[pairedIndices(o)[0]].itemId),
	);
}

/** [identifiers carried, status (null: no answer)] of each request. */
const shape = (requests) => requests.map((r) => [r.identifiers.length, r.status]);

/**
 * The requests of a splitItems(prefix) branch, per batch of identifiers: `first` (profiles
 * 00–24) and `second` (25–27), each in arrival order. Batches may go out concurrently, so only
 * the order within one batch is asserted.
 */
function batches(sim, prefix) {
	const all = requestsOf(sim, prefix);
	const first = all.filter((r) => r.identifiers.includes(url(`${prefix}-00`)));
	const second = all.filter((r) => r.identifiers.includes(url(`${prefix}-26`)));
	assert.equal(first.length + second.length, all.length, 'a request outside both batches');
	for (const r of first) assert.deepEqual(r.identifiers, first[0].identifiers);
	for (const r of second) assert.deepEqual([...r.identifiers].sort(), secondRequest(prefix));
	return { all, first, second };
}

/** Every file n8n wrote in the user folder (its database, event logs, config), without the package. */
function userFolderFiles(dir) {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : userFolderFiles(full);
		return entry.isFile() ? [full] : [];
	});
}

describe('fault matrix in a real n8n', { timeout: 600_000 }, () => {
	let env;
	let fast;
	const runs = {};
	let revokedAt;
	const items = {};

	before(async () => {
		env = await setUp('faults', {
			simulator: {
				keys: {
					[KEYS.main]: {},
					[KEYS.credits]: { credits: CREDITS },
					[KEYS.broke]: { credits: CREDITS },
					[KEYS.revoked]: {},
					[KEYS.slow]: {},
				},
				rateLimit: { limit: 1000, windowMs: 60_000 },
			},
			credentials: Object.entries(KEYS).map(([name, apiKey]) => ({ name, apiKey })),
		});
		const { sim } = env;
		const fault = (prefix, k, spec) =>
			sim.addFault({ identifier: url(`${prefix}-${pad(k)}`), ...spec });
		const errorOutput = (prefix) => ({
			onError: 'continueErrorOutput',
			after: { 0: `${prefix} OK`, 1: `${prefix} Failed` },
		});
		const params = (options = {}) => ({
			identifyBy: 'profileUrl',
			profileUrls: '={{ $json.url }}',
			options: { requestsPerMinute: 600, ...options },
		});
		const branch = (wf, prefix, itemList, { key = 'main', options, stop = false } = {}) => {
			items[prefix] = itemList;
			wf.branch(prefix, {
				items: itemList,
				credential: env.credential(key),
				parameters: params(options),
				...(stop ? {} : errorOutput(prefix)),
			});
		};

		// Fast workflow. 429 storm: the first request is refused twice (retry-after 1 s, then
		// x-ratelimit-reset 2 s alone), the second once.
		const fastWf = new WorkflowBuilder('E2E faults fast');
		branch(fastWf, 'Storm', splitItems('fx-storm'));
		fault('fx-storm', 0, {
			kind: 'status',
			status: 429,
			headers: { 'retry-after': '1', 'x-ratelimit-reset': '1' },
		});
		fault('fx-storm', 0, {
			kind: 'status',
			status: 429,
			headers: { 'retry-after': '', 'x-ratelimit-reset': '2' },
		});
		fault('fx-storm', 26, { kind: 'status', status: 429, resetSeconds: 1 });
		branch(fastWf, 'Flaky', smallItems('fx-flaky'));
		fault('fx-flaky', 0, { kind: 'status', status: 500 });
		// A time-out and a dropped connection, once each: by default not sent again (the request
		// may have been processed and billed); with "Re-Send Timed-Out Requests", sent again.
		const resend = { resendTimedOut: true };
		branch(fastWf, 'Slow', smallItems('fx-slow'), { options: { timeoutSeconds: 2 } });
		fault('fx-slow', 0, { kind: 'timeout' });
		branch(fastWf, 'SlowResend', smallItems('fx-slowresend'), {
			options: { timeoutSeconds: 2, ...resend },
		});
		fault('fx-slowresend', 0, { kind: 'timeout' });
		branch(fastWf, 'Dropped', smallItems('fx-dropped'));
		fault('fx-dropped', 0, { kind: 'drop' });
		branch(fastWf, 'DroppedResend', smallItems('fx-droppedresend'), { options: resend });
		fault('fx-droppedresend', 0, { kind: 'drop' });
		branch(fastWf, 'Malformed', splitItems('fx-malformed'));
		fault('fx-malformed', 26, { kind: 'malformed' });
		branch(fastWf, 'Short', splitItems('fx-short'));
		fault('fx-short', 26, { kind: 'short' });
		branch(fastWf, 'Missing', splitItems('fx-missing'), { options: { includeUnmatched: true } });
		fault('fx-missing', 26, { kind: 'status', status: 404 });
		branch(fastWf, 'Credits', splitItems('fx-credits'), { key: 'credits' });
		// Revoked: the first request is held 1.5 s after it passed auth; the key goes meanwhile.
		branch(fastWf, 'Revoked', splitItems('fx-revoked'), { key: 'revoked' });
		fault('fx-revoked', 0, { kind: 'delay', ms: 1500 });
		// 402 in the middle, without Continue On Fail: a workflow of its own, because it stops the
		// run, and n8n may cut the run data it prints after a failed run short when it is large.
		const brokeWf = new WorkflowBuilder('E2E faults Broke');
		branch(brokeWf, 'Broke', splitItems('fx-broke'), { key: 'broke', stop: true });

		// One workflow per case that waits out every retry, each in its own n8n process.
		const slowWf = (prefix, spec, options) => {
			const wf = new WorkflowBuilder(`E2E faults ${prefix}`);
			branch(wf, prefix, splitItems(`fx-${prefix.toLowerCase()}`), { key: 'slow', options });
			fault(`fx-${prefix.toLowerCase()}`, 26, { ...spec, times: Infinity });
			return wf;
		};
		const workflows = {
			fast: fastWf,
			Broke: brokeWf,
			Down: slowWf('Down', { kind: 'status', status: 500 }),
			Cut: slowWf('Cut', { kind: 'drop' }, { resendTimedOut: true }),
			Throttled: slowWf('Throttled', { kind: 'status', status: 429, resetSeconds: 1 }),
			Hung: slowWf('Hung', { kind: 'timeout' }, { timeoutSeconds: 1, resendTimedOut: true }),
		};
		const ids = await env.importWorkflows(Object.values(workflows).map((wf) => wf.toJSON()));

		const revoker = setInterval(() => {
			const held = sim.log.find(
				(e) => e.fault === 'delay' && e.identifiers?.includes(url('fx-revoked-00')),
			);
			if (held && revokedAt === undefined) {
				sim.revokeKey(KEYS.revoked);
				revokedAt = held.seq;
			}
		}, 10);
		try {
			const results = await executeConcurrently(env, ids);
			Object.keys(workflows).forEach((name, i) => (runs[name] = results[i]));
		} finally {
			clearInterval(revoker);
		}
		const seconds = Object.fromEntries(
			Object.entries(runs).map(([name, run]) => [name, run.seconds]),
		);
		process.stderr.write(`[faults] n8n execute seconds: ${JSON.stringify(seconds)}\n`);
		fast = runs.fast;
		for (const [name, run] of Object.entries(runs)) {
			if (name !== 'Broke') assert.equal(run.code, 0, `${name} failed: ${explain(run)}`);
		}
		assert.ok(runs.Broke.data, `the Broke run printed no run data: ${explain(runs.Broke)}`);
	});

	after(async () => {
		await env?.tearDown();
	});

	describe('retried until it works: every result, each identifier bought once', () => {
		it('429 storm: waits what retry-after, then x-ratelimit-reset, asks, and resends only the refused request', () => {
			const { all: requests, first, second } = batches(env.sim, 'fx-storm');
			assert.deepEqual(shape(first), [
				[25, 429],
				[25, 429],
				[25, 200],
			]);
			assert.deepEqual(shape(second), [
				[3, 429],
				[3, 200],
			]);
			const gap = (list, a, b) => list[b].at - list[a].at;
			for (const [list, a, b, seconds, header] of [
				[first, 0, 1, 1, 'retry-after'],
				[first, 1, 2, 2, 'x-ratelimit-reset'],
				[second, 0, 1, 1, 'retry-after'],
			]) {
				const ms = gap(list, a, b);
				assert.ok(
					ms >= seconds * 1000 && ms < seconds * 1000 + 1500,
					`${header} ${seconds} s, retried after ${ms} ms`,
				);
			}
			assertNoResend(requests);
			assertSplitOutputs(fast, 'Storm', items.Storm, [], undefined);
		});

		for (const [prefix, slug, status, minGapMs, label, resent] of [
			['Flaky', 'fx-flaky', 500, 500, 'a 500, then success', 0],
			[
				'SlowResend',
				'fx-slowresend',
				null,
				2000,
				'a time-out (Request Timeout 2 s), then success, with "Re-Send Timed-Out Requests"',
				1,
			],
			[
				'DroppedResend',
				'fx-droppedresend',
				null,
				500,
				'a dropped connection, then success, with "Re-Send Timed-Out Requests"',
				1,
			],
		]) {
			it(`${label}: sent again after a backoff, every item answered once`, () => {
				const requests = requestsOf(env.sim, slug);
				assert.deepEqual(shape(requests), [
					[3, status],
					[3, 200],
				]);
				assert.deepEqual(requests[1].identifiers, requests[0].identifiers);
				const gap = requests[1].at - requests[0].at;
				assert.ok(gap >= minGapMs && gap < minGapMs + 2500, `retried after ${gap} ms`);
				assertSplitOutputs(fast, prefix, items[prefix], [], undefined);
				const again = resent ? ', 1 request re-sent after a time-out' : '';
				assert.deepEqual(nodeHints(fast, `${prefix} Crustdata`), [
					`Crustdata: 2 requests, 3 distinct identifiers sent, 3 matched, 0 unmatched${again}, 3 credits used${resent ? ', and 1 request with no answer may have been billed (up to 3 more credits)' : ''}.`,
				]);
			});
		}
	});

	describe('no answer, maybe billed: not sent again by default, only its items fail', () => {
		for (const [prefix, slug, problem, label] of [
			['Slow', 'fx-slow', 'the request timed out', 'a time-out (Request Timeout 2 s)'],
			['Dropped', 'fx-dropped', 'the connection was dropped', 'a dropped connection'],
		]) {
			it(`${label}: one request, its three items fail saying why`, () => {
				const requests = requestsOf(env.sim, slug);
				assert.deepEqual(shape(requests), [[3, null]]);
				assertSplitOutputs(
					fast,
					prefix,
					items[prefix],
					items[prefix].map((item) => item.url),
					MESSAGES.notResent(problem),
				);
				assert.deepEqual(nodeHints(fast, `${prefix} Crustdata`), [
					'Crustdata: 1 request, 3 distinct identifiers sent, 0 matched, 0 unmatched, 3 failed, 0 credits used, and 1 request with no answer may have been billed (up to 3 more credits).',
				]);
			});
		}
	});

	describe('answered but unusable: not resent (it may be billed), only its items fail', () => {
		it('malformed JSON in a 200: the three items of that request become error items', () => {
			const { all: requests, first, second } = batches(env.sim, 'fx-malformed');
			assert.deepEqual([shape(first), shape(second)], [[[25, 200]], [[3, 200]]]);
			assert.equal(second[0].fault, 'malformed');
			assertNoResend(requests);
			assertSplitOutputs(
				fast,
				'Malformed',
				items.Malformed,
				secondRequest('fx-malformed'),
				MESSAGES.malformed,
				{ httpCode: '200' },
			);
		});

		it('a 200 with fewer entries than identifiers: only the identifier left out fails', () => {
			const { all: requests, first, second } = batches(env.sim, 'fx-short');
			assert.deepEqual([shape(first), shape(second)], [[[25, 200]], [[3, 200]]]);
			assert.equal(second[0].fault, 'short');
			assertNoResend(requests);
			// Item 27 gets its match for item 3's profile on the success output and the error for the other.
			assertSplitOutputs(fast, 'Short', items.Short, [url('fx-short-27')], MESSAGES.short);
		});

		it('a 404 for a whole request: no match for its identifiers, not an error, not retried', () => {
			const { all: requests, first, second } = batches(env.sim, 'fx-missing');
			assert.deepEqual([shape(first), shape(second)], [[[25, 200]], [[3, 404]]]);
			const output = nodeOutput(fast, 'Missing Crustdata', 0);
			const want = items.Missing.flatMap((item, i) =>
				idsOf(item).map((id) => `${i} ${id} ${!secondRequest('fx-missing').includes(id)}`),
			);
			assert.deepEqual(
				output.map((o) => `${pairedIndices(o).join('+')} ${o.json.identifier} ${o.json.matched}`),
				want,
			);
			assert.deepEqual(nodeOutput(fast, 'Missing Crustdata', 1), []);
			assert.equal(nodeOutput(fast, 'Missing OK').length, want.length);
		});
	});

	describe('refused: never retried, the error names the cause', () => {
		/**
		 * With 27 credits, one batch is bought (1 credit per match) and the other refused, once,
		 * without a retry: the second (3) when the first (25) goes first, as it does today.
		 */
		const ranOut = (prefix) => {
			const { all, first, second } = batches(env.sim, prefix);
			assert.deepEqual(
				shape(all)
					.map(([, status]) => status)
					.sort(),
				[200, 402],
			);
			return {
				kept: all.find((r) => r.status === 200),
				refused: all.find((r) => r.status === 402),
			};
		};
		const insufficient = (kept, refused) =>
			`Insufficient credits: this request needs ${refused.identifiers.length} credits and ${CREDITS - kept.identifiers.length} remain.`;

		it('402 in the middle of a run: the first 25 are kept, the request that ran out fails', () => {
			const { kept, refused } = ranOut('fx-credits');
			assert.equal(env.sim.credits(KEYS.credits), CREDITS - kept.identifiers.length);
			assertSplitOutputs(fast, 'Credits', items.Credits, refused.identifiers, MESSAGES.credits, {
				httpCode: '402',
				extra: (json) => assert.equal(json.details.description, insufficient(kept, refused)),
			});
		});

		it('the key revoked in the middle of a run: the answered request is kept, the rest fail with 401', () => {
			assert.ok(revokedAt !== undefined, 'the key was never revoked');
			const seen = env.sim.log.filter((e) => e.key === mask(KEYS.revoked));
			assert.deepEqual(
				seen.map((e) => [e.identifiers?.length ?? null, e.status]),
				[
					[25, 200],
					[null, 401],
				],
			);
			assertSplitOutputs(
				fast,
				'Revoked',
				items.Revoked,
				secondRequest('fx-revoked'),
				MESSAGES.revoked,
				{
					httpCode: '401',
					extra: (json) => assert.equal(json.details.description, 'Invalid API key in request'),
				},
			);
		});

		it('402 without Continue On Fail: the run stops there, and the error says what was already bought', () => {
			const { kept, refused } = ranOut('fx-broke');
			const n = kept.identifiers.length;
			const broke = runs.Broke;
			assert.notEqual(broke.code, 0);
			const error = broke.data.data.resultData.error;
			assert.equal(broke.data.data.resultData.lastNodeExecuted, 'Broke Crustdata');
			assert.equal(error.message, MESSAGES.credits);
			assert.equal(
				error.description,
				`${insufficient(kept, refused)} ${n} identifiers had already been enriched for ${n} credits. Set "On Error" to "Continue" in the node's settings to keep results that were already paid for when a request fails.`,
			);
			assert.equal(nodeOutput(broke, 'Broke Check'), undefined, 'the node after it ran');
		});
	});

	describe('retries run out: only the items of that request fail', () => {
		for (const [prefix, slug, status, tries, message, httpCode] of [
			['Down', 'fx-down', 500, 5, MESSAGES.exhausted500, '500'],
			['Cut', 'fx-cut', null, 5, MESSAGES.dropped, undefined],
			['Throttled', 'fx-throttled', 429, 11, MESSAGES.exhausted429, '429'],
			['Hung', 'fx-hung', null, 5, MESSAGES.timedOut, undefined],
		]) {
			it(`${prefix}: ${message.slice(0, 60)}…`, () => {
				const { all: requests, first, second } = batches(env.sim, slug);
				assert.deepEqual(shape(first), [[25, 200]]);
				assert.deepEqual(
					shape(second),
					Array.from({ length: tries }, () => [3, status]),
				);
				assertNoResend(requests);
				assertSplitOutputs(runs[prefix], prefix, items[prefix], secondRequest(slug), message, {
					httpCode,
				});
			});
		}

		it('waits about 1, 2, 4, 8 s between 500s, and what the 429 asks (1 s) between 429s', () => {
			const gaps = (slug) =>
				batches(env.sim, slug)
					.second.map((r, i, all) => (i === 0 ? 0 : r.at - all[i - 1].at))
					.slice(1);
			const down = gaps('fx-down');
			[1000, 2000, 4000, 8000].forEach((ceiling, i) => {
				assert.ok(
					down[i] >= ceiling / 2 && down[i] <= ceiling + 500,
					`backoff ${i + 1} was ${down[i]} ms`,
				);
			});
			for (const gap of gaps('fx-throttled'))
				assert.ok(gap >= 1000 && gap < 2000, `429 retried after ${gap} ms`);
		});
	});

	describe('the API key', () => {
		it("is not in n8n's output, logs or run data", () => {
			for (const run of Object.values(runs))
				assert.equal(run.secretsPrinted, 0, 'an API key was printed');
			const files = userFolderFiles(env.ctx.userFolder);
			assert.ok(
				files.some((f) => f.endsWith('database.sqlite')),
				'no database to search',
			);
			for (const file of files) {
				const bytes = fs.readFileSync(file);
				for (const key of Object.values(KEYS))
					assert.ok(!bytes.includes(key), `a key is in ${path.relative(env.ctx.userFolder, file)}`);
			}
		});

		it('reached the simulator masked, on every request', () => {
			const masks = new Set(Object.values(KEYS).map(mask));
			for (const e of env.sim.log)
				assert.ok(masks.has(e.key), `request ${e.seq} with key ${e.key}`);
		});
	});
});
