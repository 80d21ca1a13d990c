// Failures inside a real n8n: "Continue (using error output)" with bad identifiers and a failing
// request, a 429 waited out, and a wrong API key. Two workflows, two `n8n execute` runs.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
	enrichRequests,
	explain,
	nodeOutput,
	pairedIndices,
	setUp,
	WorkflowBuilder,
} from './harness.mjs';

const KEYS = { errors: 'e2e-errors-key', wait: 'e2e-wait-key' };
// Known to nobody; long and odd enough that finding it in n8n's output is no accident.
const WRONG_KEY = 'sk-e2e-wrong-7f3a9c1e5b2d8f4a';
const canonical = (slug) => `https://www.linkedin.com/in/${slug}`;
const FAILING = canonical('e2e-fail-me');

/**
 * 29 items: two invalid (items 1 and 2), the rest one valid profile each, except item 28 which
 * holds an already-seen profile plus the one whose request fails. De-duplicated, the 27 distinct
 * profiles make two requests: 25, then [item 27's, FAILING].
 */
function errorItems() {
	const items = [];
	for (let k = 0; k < 28; k++)
		items.push({ itemId: `x${k}`, url: canonical(`e2e-ok-${String(k).padStart(2, '0')}`) });
	items[1].url = 'jane-doe-at-acme';
	items[2].url = 'https://www.linkedin.com/company/acme-corp';
	items.push({ itemId: 'x28', url: [items[5].url, FAILING] });
	return items;
}

const WAIT_SECONDS = 3;

describe('errors and waits in a real n8n', { timeout: 600_000 }, () => {
	let env;
	let main;
	let wrongKey;
	const items = errorItems();

	before(async () => {
		env = await setUp('errors', {
			simulator: {
				keys: { [KEYS.errors]: {}, [KEYS.wait]: {} },
				rateLimit: { limit: 1000, windowMs: 60_000 },
			},
			credentials: [
				{ name: 'Crustdata (e2e errors)', apiKey: KEYS.errors },
				{ name: 'Crustdata (e2e wait)', apiKey: KEYS.wait },
				{ name: 'Crustdata (wrong key)', apiKey: WRONG_KEY },
			],
		});
		// Forbidden for the request that carries FAILING (403 is never retried); and one 429
		// whose headers say to come back in WAIT_SECONDS.
		env.sim.addFault({ kind: 'status', status: 403, identifier: FAILING, times: 'Infinity' });
		env.sim.addFault({
			kind: 'status',
			status: 429,
			identifier: canonical('e2e-wait-00'),
			times: 1,
			resetSeconds: WAIT_SECONDS,
		});

		const profile = { identifyBy: 'profileUrl', profileUrls: '={{ $json.url }}' };
		const wf = new WorkflowBuilder('E2E errors');
		wf.branch('Errors', {
			items,
			credential: env.credential('Crustdata (e2e errors)'),
			parameters: { ...profile, options: { requestsPerMinute: 600 } },
			onError: 'continueErrorOutput',
			after: { 0: 'Errors OK', 1: 'Errors Failed' },
		});
		wf.branch('Wait', {
			items: [0, 1, 2].map((n) => ({ itemId: `w${n}`, url: canonical(`e2e-wait-0${n}`) })),
			credential: env.credential('Crustdata (e2e wait)'),
			parameters: { ...profile, options: { requestsPerMinute: 600 } },
		});
		const bad = new WorkflowBuilder('E2E wrong key');
		bad.branch('Bad', {
			items: [{ itemId: 'b0', url: canonical('e2e-someone') }],
			credential: env.credential('Crustdata (wrong key)'),
			parameters: profile,
		});
		const [mainId, badId] = await env.importWorkflows([wf.toJSON(), bad.toJSON()]);
		main = await env.execute(mainId);
		assert.equal(main.code, 0, `n8n execute failed: ${explain(main)}`);
		wrongKey = await env.execute(badId);
	});

	after(async () => {
		await env?.tearDown();
	});

	describe('Continue (using error output)', () => {
		it('sends only valid identifiers, and the failing request once', () => {
			const requests = enrichRequests(
				env.sim,
				(e) =>
					e.key?.startsWith(KEYS.errors.slice(0, 2)) &&
					e.identifiers?.some((id) => id.includes('e2e-ok') || id === FAILING),
			);
			assert.deepEqual(
				requests.map((r) => [r.identifiers.length, r.status]),
				[
					[25, 200],
					[2, 403],
				],
			);
			assert.deepEqual(requests[1].identifiers, [items[27].url, FAILING]);
			for (const r of requests)
				for (const id of r.identifiers) assert.match(id, /^https:\/\/www\.linkedin\.com\/in\/e2e-/);
		});

		it('puts bad identifiers and the failed request on the error output, paired to their items', () => {
			const failed = nodeOutput(main, 'Errors Crustdata', 1);
			assert.deepEqual(
				failed.map((o) => pairedIndices(o)[0]),
				[1, 2, 27, 28],
			);
			const [bad1, bad2, lost27, lost28] = failed.map((o) => o.json);
			assert.match(bad1.error, /Item 1\b.*"jane-doe-at-acme"/);
			assert.match(
				bad2.error,
				/Item 2\b.*"https:\/\/www\.linkedin\.com\/company\/acme-corp".*company page/,
			);
			for (const lost of [lost27, lost28]) assert.match(lost.error, /403/);
			assert.deepEqual(lost28.details.identifiers, [FAILING]);
			// n8n merges the paired input item's fields into each error item.
			assert.deepEqual(
				failed.map((o) => o.json.itemId),
				['x1', 'x2', 'x27', 'x28'],
			);
		});

		it('keeps every other match on the success output, item 28 on both', () => {
			const ok = nodeOutput(main, 'Errors Crustdata', 0);
			const want = items
				.map((item, index) => [index, item.url])
				.filter(([index]) => ![1, 2, 27].includes(index))
				.map(([index, url]) => `${index} ${Array.isArray(url) ? url[0] : url}`);
			assert.deepEqual(
				ok.map((o) => `${pairedIndices(o)[0]} ${o.json.identifier}`),
				want,
			);
			assert.ok(ok.every((o) => o.json.matched === true && o.json.businessEmail));
		});

		it("lets nodes on both outputs resolve $('Errors Input').item", () => {
			const okIds = nodeOutput(main, 'Errors OK').map((o) => o.json.pairedInput.itemId);
			assert.equal(okIds.length, 26);
			assert.ok(okIds.includes('x28') && !okIds.includes('x27') && !okIds.includes('x1'));
			assert.deepEqual(
				nodeOutput(main, 'Errors Failed').map((o) => o.json.pairedInput.itemId),
				['x1', 'x2', 'x27', 'x28'],
			);
		});
	});

	it('waits out a 429 as its reset header says, then succeeds', () => {
		const requests = enrichRequests(env.sim, (e) =>
			e.identifiers?.includes(canonical('e2e-wait-00')),
		);
		assert.deepEqual(
			requests.map((r) => r.status),
			[429, 200],
		);
		assert.deepEqual(requests[1].identifiers, requests[0].identifiers);
		const waited = requests[1].at - requests[0].at;
		assert.ok(waited >= WAIT_SECONDS * 1000 - 50, `retried after ${waited} ms, before the reset`);
		assert.ok(
			waited < WAIT_SECONDS * 1000 + 5000,
			`waited ${waited} ms, far longer than the reset`,
		);
		assert.deepEqual(
			nodeOutput(main, 'Wait Check').map((o) => [o.json.pairedInput.itemId, o.json.matched]),
			[
				['w0', true],
				['w1', true],
				['w2', true],
			],
		);
	});

	describe('a wrong API key', () => {
		it('fails the run with a message that names the key as the problem', () => {
			assert.notEqual(wrongKey.code, 0, 'n8n execute succeeded with a wrong key');
			assert.match(wrongKey.output, /Crustdata rejected the API key \(401\)/);
			const error = wrongKey.data?.data?.resultData?.error;
			assert.ok(error, 'n8n printed no run data with the error');
			assert.match(error.message, /API key/);
			assert.equal(wrongKey.data.data.resultData.lastNodeExecuted, 'Bad Crustdata');
			assert.equal(nodeOutput(wrongKey, 'Bad Check'), undefined, 'the node after it ran');
		});

		it('never prints the key', () => {
			assert.equal(wrongKey.secretsPrinted, 0, 'the API key appears in n8n output');
			assert.equal(main.secretsPrinted, 0, 'an API key appears in n8n output');
		});

		it('got 401s only, and sent nothing to enrich after them', () => {
			const seen = env.sim.log.filter((e) => e.key === `${WRONG_KEY.slice(0, 2)}***`);
			assert.ok(seen.length >= 1 && seen.length <= 2, `${seen.length} requests with the wrong key`);
			assert.ok(seen.every((e) => e.status === 401));
		});
	});
});
