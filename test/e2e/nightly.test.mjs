// Run budgets, the Not Sent output, blank rows and Estimate Cost inside a real n8n (the run-budgets
// issue): what a budget holds back leaves on Not Sent (output 1), paired to its own input item,
// and is never bought; what was bought always comes out.
//
// - Ids: 100 distinct profile URLs with "Max Identifiers per Run" 60: 60 sent in 25 + 25 + 10;
// - Credits, Faults, Exhausted: 60 business emails with "Max Credits per Run" 30, clean, with two
//   429s and a 500 in the middle (recovered), and with a 500 that never recovers;
// - Time: 250 profile URLs against a server that allows 2 requests per 3 s, with "Max Run Time
//   (Minutes)" 0.13 (7.8 s): no request starts after it, the rest is Not Sent;
// - Blank: 10 rows, 3 without an identifier, with "When an Item Has No Identifier" on Not Sent;
// - Estimate Cost beside Enrich, with the same items and options (each on its own key): no enrich
//   request and no credit for the estimate, its `requests` is what Enrich then sends and its
//   `mostCredits` never below what Enrich is charged; the balance read from GET /account/credits
//   in both shapes (`{credits}` and the documented `{account: {credits}}`).
//
// Two simulators: the main one (a high limit) and a slow one for the Time case (and the
// `{account: {credits}}` shape). One workflow, one `n8n execute`.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { lookupBusinessEmail, lookupProfileUrl } from '../../simulator/fixtures.mjs';
import { startSimulator } from '../../simulator/index.mjs';
import {
	ENRICH_PATH,
	explain,
	nodeHints,
	nodeOutput,
	pairedIndices,
	setUp,
	WorkflowBuilder,
} from './harness.mjs';

// One key per case; distinct first two letters (the log masks keys so).
const KEYS = {
	ids: 'Ni-e2e-nightly-ids-7c1e5a9d3f2b',
	credits: 'Nc-e2e-nightly-credits-2a8f4c6e1d9b',
	faults: 'Nf-e2e-nightly-faults-9e3b7d1f5c2a',
	exhausted: 'Nx-e2e-nightly-exhausted-4d6a2f8c1e7b',
	time: 'Nt-e2e-nightly-time-1f9c3e7a5d2b',
	blank: 'Nb-e2e-nightly-blank-8b2d6f4a9c1e',
	estAll: 'E1-e2e-nightly-estimate-all-5c7e',
	enrAll: 'R1-e2e-nightly-enrich-all-3a9d',
	estCredits: 'E2-e2e-nightly-estimate-credits-6f2b',
	enrCredits: 'R2-e2e-nightly-enrich-credits-1e8c',
	estCount: 'E3-e2e-nightly-estimate-count-7d4a',
	enrCount: 'R3-e2e-nightly-enrich-count-2b6f',
	estCheap: 'E4-e2e-nightly-estimate-cheap-9a3c',
	enrCheap: 'R4-e2e-nightly-enrich-cheap-4f1d',
	estAccount: 'Ea-e2e-nightly-estimate-account-8c5e',
};
const mask = (key) => `${key.slice(0, 2)}***`;
const SLOW_LIMIT = { limit: 2, windowMs: 3000 };
const MAX_RUN_MINUTES = 0.13; // 7.8 s: three windows of the slow server start (0, 3, 6 s), not a fourth (9 s)
const DEADLINE_MS = MAX_RUN_MINUTES * 60_000;
const START_MARGIN_MS = 250;
const BALANCES = { estAll: 300, estCredits: 1000, estCount: 1000, estCheap: 1000 };
const ACCOUNT_BALANCE = 5000;

const url = (slug) => `https://www.linkedin.com/in/${slug}`;
const pad = (n) => String(n).padStart(3, '0');
const range = (from, to) => Array.from({ length: to - from }, (_, i) => from + i);
const urlRows = (prefix, n, slug = (i) => `${prefix}-${pad(i)}`) =>
	Array.from({ length: n }, (_, i) => ({ row: i, url: url(slug(i)) }));
const emailRows = (prefix, n) =>
	Array.from({ length: n }, (_, i) => ({ row: i, email: `${prefix}-${pad(i)}@acme.com` }));
const byUrl = (options, extra = {}) => ({
	identifyBy: 'profileUrl',
	profileUrls: '={{ $json.url }}',
	options,
	...extra,
});
const byEmail = (options, extra = {}) => ({
	identifyBy: 'businessEmail',
	businessEmails: '={{ $json.email }}',
	options,
	...extra,
});
const BOTH_FIELDS = ['contact.business_emails', 'contact.phone_numbers'];

const notSent = (reason, identifiers) => ({
	reason,
	identifiers,
	message: {
		maxIdentifiers:
			'Not sent: the run reached "Max Identifiers per Run". Nothing was bought for these identifiers.',
		maxCredits:
			'Not sent: sending them could have taken the run past "Max Credits per Run". Nothing was bought for these identifiers.',
		maxRunMinutes:
			'Not sent: "Max Run Time (Minutes)" ran out before their request could start. Nothing was bought for these identifiers.',
		noIdentifier: 'Not sent: the item has no identifier. Nothing was bought for this item.',
	}[reason],
});
const SERVER_ERROR = 'Crustdata had a server error (500) after 4 retries: try again later';

/** What the simulator charges for one identifier (its fixture person), for these Fields. */
function price(identifier, fields = ['contact.business_emails']) {
	const candidates = identifier.includes('@')
		? lookupBusinessEmail(identifier)
		: lookupProfileUrl(identifier);
	if (candidates.length === 0) return 0;
	const { person } = candidates[0];
	let credits = 0;
	if (fields.includes('contact.business_emails')) credits += 1;
	if (fields.includes('contact.phone_numbers') && person.phone_numbers.length > 0) credits += 2;
	return Math.min(credits, 5);
}

describe('run budgets, Not Sent and Estimate Cost in a real n8n', { timeout: 300_000 }, () => {
	let env;
	let slow;
	let result;
	const lists = {};

	/** The enrich requests (on `sim`) made with one key. */
	const requestsOf = (sim, key) =>
		sim.log.filter((e) => e.path === ENRICH_PATH && e.key === mask(key));
	/** [identifiers.length, status] of each, in the order the simulator saw them. */
	const shape = (requests) => requests.map((r) => [r.identifiers.length, r.status]);
	/**
	 * The same, largest first: after its first request the node sends several at once, and they
	 * may arrive in any order.
	 */
	const sizes = (requests) => shape(requests).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
	/** Every identifier sent, sorted. */
	const sent = (requests) => requests.flatMap((r) => r.identifiers).sort();
	/** [paired input index, json] of every item on one output of a Crustdata node. */
	const output = (prefix, index) =>
		(nodeOutput(result, `${prefix} Crustdata`, index) ?? []).map((o) => [pairedIndices(o), o.json]);
	const pairs = (prefix, index) => output(prefix, index).map(([[i]]) => i);

	/** The Set node after each output finds its own input row with $('<prefix> Input').item. */
	function assertDownstreamPairing(prefix, outputs) {
		for (const [index, check] of outputs) {
			assert.deepEqual(
				(nodeOutput(result, `${prefix} ${check}`) ?? []).map((o) => o.json.pairedInput.row),
				pairs(prefix, index),
				`${prefix} ${check}: $('${prefix} Input').item`,
			);
		}
	}
	const ALL_OUTPUTS = [
		[0, 'Done'],
		[1, 'Not Sent'],
		[2, 'Failed'],
	];

	before(async () => {
		slow = await startSimulator({
			port: 0,
			keys: {
				[KEYS.time]: {},
				[KEYS.estAccount]: { credits: ACCOUNT_BALANCE, recurringCredits: 250 },
			},
			rateLimit: SLOW_LIMIT,
			creditsShape: 'account',
		});
		const onMain = [
			'ids',
			'credits',
			'faults',
			'exhausted',
			'blank',
			'estAll',
			'enrAll',
			'estCredits',
			'enrCredits',
			'estCount',
			'enrCount',
			'estCheap',
			'enrCheap',
		];
		env = await setUp('nightly', {
			simulator: {
				keys: Object.fromEntries(
					onMain.map((name) => [KEYS[name], { credits: BALANCES[name] ?? 1_000_000 }]),
				),
				rateLimit: { limit: 1000, windowMs: 60_000 },
			},
			credentials: [
				...onMain.map((name) => ({ name, apiKey: KEYS[name] })),
				{ name: 'time', apiKey: KEYS.time, baseUrl: slow.url },
				{ name: 'estAccount', apiKey: KEYS.estAccount, baseUrl: slow.url },
			],
		});
		const wf = new WorkflowBuilder('E2E nightly budgets');
		const enrich = (prefix, key, items, parameters) => {
			lists[prefix] = items;
			wf.branch(prefix, {
				items,
				credential: env.credential(key),
				parameters,
				onError: 'continueErrorOutput',
				after: { 0: `${prefix} Done`, 1: `${prefix} Not Sent`, 2: `${prefix} Failed` },
			});
		};
		// Estimate Cost outputs one item paired to every input item: no $('Input').item after it.
		const estimate = (prefix, key, items, parameters) => {
			lists[prefix] = items;
			wf.branch(prefix, {
				items,
				credential: env.credential(key),
				parameters: { ...parameters, operation: 'estimate' },
				after: {},
			});
		};

		enrich('Ids', 'ids', urlRows('nt-ids', 100), byUrl({ maxIdentifiers: 60 }));
		enrich('Credits', 'credits', emailRows('nt-credits', 60), byEmail({ maxCredits: 30 }));
		enrich('Faults', 'faults', emailRows('nt-faults', 60), byEmail({ maxCredits: 30 }));
		env.sim.addFault([
			{ kind: 'status', status: 429, identifier: 'nt-faults-000@acme.com', times: 2 },
			{ kind: 'status', status: 500, identifier: 'nt-faults-025@acme.com', times: 1 },
		]);
		enrich('Exhausted', 'exhausted', emailRows('nt-exhausted', 60), byEmail({ maxCredits: 30 }));
		env.sim.addFault({
			kind: 'status',
			status: 500,
			identifier: 'nt-exhausted-025@acme.com',
			times: 5,
		});
		enrich('Time', 'time', urlRows('nt-time', 250), byUrl({ maxRunMinutes: MAX_RUN_MINUTES }));
		const blank = emailRows('nt-blank', 10);
		blank[2].email = '';
		blank[5].email = null;
		blank[7].email = '   ';
		enrich('Blank', 'blank', blank, byEmail({ noIdentifier: 'notSent' }));

		// Estimate Cost, then Enrich with the same items and options.
		const allRows = urlRows('nt-all', 130, (i) =>
			i % 10 === 3
				? `nomatch-nt-all-${pad(i)}`
				: `nt-all-${pad(i)}${i % 7 === 0 ? '-nophone' : ''}`,
		);
		const all = byUrl({}, { fields: BOTH_FIELDS });
		estimate('EstAll', 'estAll', allRows, all);
		enrich('EnrAll', 'enrAll', allRows, all);
		const credits = byEmail({ maxCredits: 70 });
		estimate('EstCredits', 'estCredits', emailRows('nt-est-credits', 130), credits);
		enrich('EnrCredits', 'enrCredits', emailRows('nt-est-credits', 130), credits);
		const countRows = urlRows('nt-count', 130, (i) =>
			i % 9 === 4 ? `nomatch-nt-count-${pad(i)}` : `nt-count-${pad(i)}`,
		);
		estimate('EstCount', 'estCount', countRows, byUrl({ maxIdentifiers: 101 }));
		enrich('EnrCount', 'enrCount', countRows, byUrl({ maxIdentifiers: 101 }));
		const cheapRows = urlRows('nt-cheap', 60, (i) =>
			i % 2 === 0 ? `nomatch-nt-cheap-${pad(i)}` : `nt-cheap-${pad(i)}`,
		);
		estimate('EstCheap', 'estCheap', cheapRows, byUrl({ maxCredits: 30 }));
		enrich('EnrCheap', 'enrCheap', cheapRows, byUrl({ maxCredits: 30 }));
		estimate('EstAccount', 'estAccount', urlRows('nt-account', 3), byUrl({}));

		const [id] = await env.importWorkflows([wf.toJSON()]);
		const started = Date.now();
		result = await env.execute(id);
		process.stderr.write(`[nightly] n8n execute: ${(Date.now() - started) / 1000} s\n`);
		assert.equal(result.code, 0, `n8n execute failed: ${explain(result)}`);
		assert.equal(result.secretsPrinted, 0, 'n8n printed an API key');
	});

	after(async () => {
		await env?.tearDown();
		await slow?.close();
	});

	describe('Max Identifiers per Run', () => {
		it('sends exactly 60 of 100 in 25 + 25 + 10, and the other 40 leave on Not Sent, paired, unbought', () => {
			const list = lists.Ids;
			const requests = requestsOf(env.sim, KEYS.ids);
			assert.deepEqual(sizes(requests), [
				[25, 200],
				[25, 200],
				[10, 200],
			]);
			assert.deepEqual(
				sent(requests),
				list
					.slice(0, 60)
					.map((r) => r.url)
					.sort(),
			);
			assert.deepEqual(
				output('Ids', 0).map(([paired, json]) => [paired, json.identifier, json.matched]),
				range(0, 60).map((i) => [[i], list[i].url, true]),
			);
			assert.deepEqual(
				output('Ids', 1),
				range(60, 100).map((i) => [[i], notSent('maxIdentifiers', [list[i].url])]),
			);
			assert.deepEqual(output('Ids', 2), []);
			assertDownstreamPairing('Ids', ALL_OUTPUTS);
			// 60 credits, all for the 60 sent: nothing for the 40 held back.
			assert.equal(env.sim.creditsCharged(KEYS.ids), 60);
			// Billed in the order the requests arrived: concurrent ones may overtake each other.
			assert.deepEqual(
				env.sim
					.billing(KEYS.ids)
					.map((b) => b.credits)
					.sort((a, b) => b - a),
				[25, 25, 10],
			);
			assert.deepEqual(nodeHints(result, 'Ids Crustdata'), [
				'Crustdata: 3 requests, 60 distinct identifiers sent, 60 matched, 0 unmatched, 40 not sent, 60 credits used.',
			]);
		});
	});

	describe('Max Credits per Run', () => {
		it('charges exactly 30 for 30 business emails (25 + 5); the other 30 leave on Not Sent', () => {
			const list = lists.Credits;
			assert.deepEqual(sizes(requestsOf(env.sim, KEYS.credits)), [
				[25, 200],
				[5, 200],
			]);
			assert.equal(env.sim.creditsCharged(KEYS.credits), 30);
			assert.deepEqual(pairs('Credits', 0), range(0, 30));
			assert.deepEqual(
				output('Credits', 1),
				range(30, 60).map((i) => [[i], notSent('maxCredits', [list[i].email])]),
			);
			assert.deepEqual(output('Credits', 2), []);
			assertDownstreamPairing('Credits', ALL_OUTPUTS);
			assert.deepEqual(nodeHints(result, 'Credits Crustdata'), [
				'Crustdata: 2 requests, 30 distinct identifiers sent, 30 matched, 0 unmatched, 30 not sent, 30 credits used.',
			]);
		});

		it('holds with two 429s and a 500 in the middle: never more than 30 charged, retries included', () => {
			const list = lists.Faults;
			const requests = requestsOf(env.sim, KEYS.faults);
			assert.deepEqual(shape(requests), [
				[25, 429],
				[25, 429],
				[25, 200],
				[5, 500],
				[5, 200],
			]);
			// The charges, in order, never add up past the cap.
			let total = 0;
			for (const { credits } of env.sim.billing(KEYS.faults)) {
				total += credits;
				assert.ok(total <= 30, `${total} credits charged`);
			}
			assert.equal(env.sim.creditsCharged(KEYS.faults), 30);
			assert.deepEqual(pairs('Faults', 0), range(0, 30));
			assert.deepEqual(
				output('Faults', 1),
				range(30, 60).map((i) => [[i], notSent('maxCredits', [list[i].email])]),
			);
			assert.deepEqual(output('Faults', 2), []);
			assertDownstreamPairing('Faults', ALL_OUTPUTS);
			assert.deepEqual(nodeHints(result, 'Faults Crustdata'), [
				'Crustdata: 5 requests, 30 distinct identifiers sent, 30 matched, 0 unmatched, 30 not sent, 30 credits used.',
			]);
		});

		it('holds when a 500 never recovers: its 5 fail alone, 5 others take their place, 30 charged', () => {
			const list = lists.Exhausted;
			const requests = requestsOf(env.sim, KEYS.exhausted);
			assert.deepEqual(shape(requests), [
				[25, 200],
				[5, 500],
				[5, 500],
				[5, 500],
				[5, 500],
				[5, 500],
				[5, 200],
			]);
			assert.deepEqual(
				requests.at(-1).identifiers,
				list.slice(30, 35).map((r) => r.email),
			);
			assert.equal(env.sim.creditsCharged(KEYS.exhausted), 30);
			assert.deepEqual(pairs('Exhausted', 0), [...range(0, 25), ...range(30, 35)]);
			// On the error output n8n adds the input item's fields to each error item.
			assert.deepEqual(
				output('Exhausted', 2).map(([paired, json]) => [
					paired,
					json.row,
					json.error,
					json.details.httpCode,
					json.details.identifiers,
				]),
				range(25, 30).map((i) => [[i], i, SERVER_ERROR, '500', [list[i].email]]),
			);
			assert.deepEqual(
				output('Exhausted', 1),
				range(35, 60).map((i) => [[i], notSent('maxCredits', [list[i].email])]),
			);
			assertDownstreamPairing('Exhausted', ALL_OUTPUTS);
			assert.deepEqual(nodeHints(result, 'Exhausted Crustdata'), [
				'Crustdata: 7 requests, 35 distinct identifiers sent, 30 matched, 0 unmatched, 5 failed, 25 not sent, 30 credits used.',
			]);
		});
	});

	describe('Max Run Time (Minutes)', () => {
		it('starts no request after the deadline; what was bought comes out, the rest leaves on Not Sent', () => {
			const list = lists.Time;
			const requests = requestsOf(slow, KEYS.time);
			// 2 per 3 s: at about 0, 3 and 6 s; the next turn (9 s) is past 7.8 s.
			assert.deepEqual(
				shape(requests),
				Array.from({ length: 6 }, () => [25, 200]),
			);
			const first = requests[0].at;
			for (const r of requests) {
				assert.ok(
					r.at - first <= DEADLINE_MS + START_MARGIN_MS,
					`request #${r.seq} started ${r.at - first} ms after the first`,
				);
			}
			assert.ok(slow.maxAttemptsInWindow(KEYS.time) <= SLOW_LIMIT.limit, 'a 429');
			assert.deepEqual(
				sent(requests),
				list
					.slice(0, 150)
					.map((r) => r.url)
					.sort(),
			);
			assert.equal(slow.creditsCharged(KEYS.time), 150);
			assert.deepEqual(
				output('Time', 0).map(([paired, json]) => [paired, json.identifier]),
				range(0, 150).map((i) => [[i], list[i].url]),
			);
			assert.deepEqual(
				output('Time', 1),
				range(150, 250).map((i) => [[i], notSent('maxRunMinutes', [list[i].url])]),
			);
			assert.deepEqual(output('Time', 2), []);
			assertDownstreamPairing('Time', ALL_OUTPUTS);
			assert.deepEqual(nodeHints(result, 'Time Crustdata'), [
				'Crustdata: 6 requests, 150 distinct identifiers sent, 150 matched, 0 unmatched, 100 not sent, 150 credits used.',
			]);
		});
	});

	describe('When an Item Has No Identifier: Not Sent', () => {
		it('sends the 7 rows that have one, and puts the 3 blank rows on Not Sent', () => {
			const list = lists.Blank;
			const sentRows = [0, 1, 3, 4, 6, 8, 9];
			const requests = requestsOf(env.sim, KEYS.blank);
			assert.deepEqual(
				requests.map((r) => [r.identifiers, r.status]),
				[[sentRows.map((i) => list[i].email), 200]],
			);
			assert.equal(env.sim.creditsCharged(KEYS.blank), 7);
			assert.deepEqual(pairs('Blank', 0), sentRows);
			assert.deepEqual(
				output('Blank', 1),
				[2, 5, 7].map((i) => [[i], notSent('noIdentifier', [])]),
			);
			assert.deepEqual(output('Blank', 2), []);
			assertDownstreamPairing('Blank', ALL_OUTPUTS);
			assert.deepEqual(nodeHints(result, 'Blank Crustdata'), [
				'Crustdata: 1 request, 7 distinct identifiers sent, 7 matched, 0 unmatched, 3 items without an identifier, 7 credits used.',
			]);
		});
	});

	describe('Estimate Cost', () => {
		/** The estimate's one item, checked to be paired to every input item. */
		function estimateOf(prefix) {
			const out = nodeOutput(result, `${prefix} Crustdata`, 0) ?? [];
			assert.equal(out.length, 1, `${prefix}: ${out.length} items`);
			assert.deepEqual(
				pairedIndices(out[0]),
				lists[prefix].map((_, i) => i),
			);
			return out[0].json;
		}

		/** Free: one GET /account/credits, no enrich request, nothing charged. */
		function assertFree(sim, key) {
			const seen = sim.log.filter((e) => e.key === mask(key));
			assert.deepEqual(
				seen.map((e) => [e.method, e.path, e.status]),
				[['GET', '/account/credits', 200]],
			);
			assert.equal(sim.creditsCharged(key), 0);
			assert.deepEqual(sim.billing(key), []);
		}

		/** Estimate and Enrich side by side: the same requests, a ceiling never below the charge. */
		function compare(estimatePrefix, estimateKey, enrichPrefix, enrichKey) {
			assertFree(env.sim, estimateKey);
			const estimate = estimateOf(estimatePrefix);
			const requests = requestsOf(env.sim, enrichKey);
			assert.ok(requests.every((r) => r.status === 200));
			const charged = env.sim.creditsCharged(enrichKey);
			assert.ok(
				estimate.mostCredits >= charged,
				`estimate ${estimate.mostCredits} < charged ${charged}`,
			);
			return { estimate, requests, charged };
		}

		it('no budget, two Fields: 6 requests as Enrich sends, at most 390 credits, the balance too low', () => {
			const { estimate, requests, charged } = compare('EstAll', KEYS.estAll, 'EnrAll', KEYS.enrAll);
			assert.equal(estimate.requests, requests.length);
			assert.equal(requests.length, 6);
			const list = lists.EstAll;
			assert.equal(
				charged,
				list.reduce((sum, r) => sum + price(r.url, BOTH_FIELDS), 0),
			);
			assert.ok(charged < 390, 'nobody found and no phone cost less than the most');
			assert.deepEqual(estimate, {
				items: 130,
				invalidItems: 0,
				itemsWithoutIdentifier: 0,
				identifiers: 130,
				distinctIdentifiers: 130,
				answeredInThisExecution: 0,
				rememberedIdentifiers: 0,
				heldBackByMaxIdentifiers: 0,
				heldBackByMaxCredits: 0,
				heldBackByMaxRunMinutes: 0,
				identifiersToSend: 130,
				requests: 6,
				minutes: 0,
				creditsPerIdentifier: 3,
				mostCredits: 390,
				balance: 300,
				enoughCredits: false,
			});
			assert.deepEqual(nodeHints(result, 'EstAll Crustdata'), [
				'Estimate: 130 identifiers to send in 6 requests, at most 390 credits; balance 300. Nothing was bought.',
			]);
		});

		it('Max Credits per Run 70: 3 requests as Enrich sends, at most 70, and Enrich is charged 70', () => {
			const { estimate, requests, charged } = compare(
				'EstCredits',
				KEYS.estCredits,
				'EnrCredits',
				KEYS.enrCredits,
			);
			assert.deepEqual(sizes(requests), [
				[25, 200],
				[25, 200],
				[20, 200],
			]);
			assert.equal(estimate.requests, 3);
			assert.equal(charged, 70);
			assert.equal(estimate.mostCredits, 70);
			assert.equal(estimate.heldBackByMaxCredits, 60);
			assert.equal(estimate.balance, 1000);
			assert.equal(estimate.enoughCredits, true);
			assert.deepEqual(nodeHints(result, 'EstCredits Crustdata'), [
				'Estimate: 70 identifiers to send in 3 requests, at most 70 credits; balance 1000. Nothing was bought.',
			]);
		});

		it('Max Identifiers per Run 101: 5 requests as Enrich sends, at most 101', () => {
			const { estimate, requests, charged } = compare(
				'EstCount',
				KEYS.estCount,
				'EnrCount',
				KEYS.enrCount,
			);
			assert.deepEqual(
				sizes(requests).map(([n]) => n),
				[25, 25, 25, 25, 1],
			);
			assert.equal(estimate.requests, 5);
			assert.equal(estimate.identifiersToSend, 101);
			assert.equal(estimate.heldBackByMaxIdentifiers, 29);
			assert.equal(estimate.mostCredits, 101);
			assert.equal(
				charged,
				lists.EstCount.slice(0, 101).reduce((sum, r) => sum + price(r.url), 0),
			);
		});

		it('Max Credits per Run with people nobody finds: the ceiling holds; Enrich then sends more than estimated', () => {
			// Estimate reckons every identifier at its worst case (1 credit). Enrich counts what the
			// answers really cost: nobody found costs nothing, so it goes on sending until 30 are
			// charged or the list ends. `requests` is then a floor, `mostCredits` still a ceiling.
			const { estimate, requests, charged } = compare(
				'EstCheap',
				KEYS.estCheap,
				'EnrCheap',
				KEYS.enrCheap,
			);
			assert.equal(estimate.requests, 2);
			assert.equal(estimate.identifiersToSend, 30);
			assert.equal(estimate.mostCredits, 30);
			assert.equal(charged, 30);
			assert.deepEqual(sent(requests), lists.EstCheap.map((r) => r.url).sort());
			assert.ok(requests.length > estimate.requests, `${requests.length} requests`);
		});

		it('reads the balance from the documented {account: {credits}} as well', () => {
			assertFree(slow, KEYS.estAccount);
			const estimate = estimateOf('EstAccount');
			assert.equal(estimate.balance, ACCOUNT_BALANCE);
			assert.equal(estimate.mostCredits, 3);
			assert.equal(estimate.enoughCredits, true);
		});
	});
});
