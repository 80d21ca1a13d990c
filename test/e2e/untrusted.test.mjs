// Answers and headers as untrusted input, inside a real n8n (the hardening issue): what the API
// sends back is paired by identity, read with suspicion, and never paid for twice.
//
// - (a) a reordered answer, (b) a short answer in other spellings: every result reaches its own
//   item, and only the identifier left out fails;
// - (c) `x-ratelimit-reset` as an epoch time in ms (converted: the wait is the real one) and in
//   plain ms (read as seconds, so capped at 65 s: the run still ends in bounded time);
// - (d) 404s that are not Crustdata's own answer (HTML, empty, `{"detail"}`): the items fail
//   naming the address, nothing is bought;
// - (e) a 200 that comes after the time-out, billed: not sent again unless "Re-Send Timed-Out
//   Requests" is on (then sent again, and the hint says so);
// - (f) a batch submit that timed out after creating its job: the job is found and adopted, not
//   submitted again;
// - (g) two jobs holding one URL: Get Bulk Results gives each item its own job's record;
// - (h) member ids (ACwAA…, ACoAA…) keep their case: two spellings are two identifiers.
//
// Three simulators: the main one (a high limit, so only the faults matter) and one per reset
// format of (c), each with 2 requests per 4 s. Two `n8n execute` processes at once: the plain-ms
// case waits 65 s alone while the other workflow runs every other case, branch after branch.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { lookupProfileUrl } from '../../simulator/fixtures.mjs';
import { startSimulator } from '../../simulator/index.mjs';
import {
	ENRICH_PATH,
	executeConcurrently,
	explain,
	nodeHints,
	nodeOutput,
	pairedIndices,
	setUp,
	WorkflowBuilder,
} from './harness.mjs';

// One key per case whose bill is asserted; distinct first two letters (the log masks keys so).
const KEYS = {
	main: 'Um-e2e-untrusted-5d2c8a1e7b3f9d04',
	late: 'Ul-e2e-untrusted-late-3a9e1c7d5b2f',
	resend: 'Ur-e2e-untrusted-resend-8c2e6a4f1d9b',
	bulk: 'Ub-e2e-untrusted-bulk-6f1a3d9c7e2b',
	jobs: 'Uj-e2e-untrusted-jobs-2b7d5f3a9c1e',
	epoch: 'Ue-e2e-untrusted-epoch-9d3b7f1c5a2e',
	ms: 'Us-e2e-untrusted-ms-4e8a2c6f1b9d',
};
const mask = (key) => `${key.slice(0, 2)}***`;
const BATCH_PATH = '/batch/person/contact/enrich';
const API_VERSION = '2025-11-01';
const SHARED_LIMIT = { limit: 2, windowMs: 4000 }; // of the two reset-format simulators
const MAX_RESET_WAIT_MS = 65_000;
const url = (slug) => `https://www.linkedin.com/in/${slug}`;
const pad = (n) => String(n).padStart(2, '0');
const person = (profileUrl) => lookupProfileUrl(profileUrl)[0].person;
const items = (prefix, n) =>
	Array.from({ length: n }, (_, k) => ({
		itemId: `${prefix}#${k}`,
		url: url(`${prefix}-${pad(k)}`),
	}));
const BATCH_HINT =
	'Batch jobs do not report the credits they use: see the usage in your Crustdata account.';

const MESSAGES = {
	short:
		'Crustdata answered 2 of the 3 identifiers in one request and left this one out; it was not sent again, because the request may already have been billed. Run the item again to retry it.',
	foreign404: (base) =>
		`Nothing answers at ${base}${ENRICH_PATH} (404, and not Crustdata's own answer): check the Base URL in the credential (${base}); it should be https://api.crustdata.com or a proxy that forwards to it`,
	timedOut:
		'Crustdata did not answer (the request timed out) and the request was not sent again: Crustdata may already have processed and billed it. Check the account\'s usage before you run these items again, or turn on "Re-Send Timed-Out Requests" in Options',
};

/** Requests that carried an identifier of this prefix (their `identifiers`, as sent). */
function requestsOf(sim, prefix, path = ENRICH_PATH) {
	return sim.log.filter(
		(e) => e.path === path && e.identifiers?.some((id) => id.startsWith(url(`${prefix}-`))),
	);
}

/** The ledger's enrich charges for these requests (by log seq). */
function chargesOf(sim, requests) {
	const seqs = new Set(requests.map((r) => r.seq));
	return sim.billing().filter((b) => b.kind === 'enrich' && seqs.has(b.seq));
}

/** What a matched result must hold: the person the simulator keeps for that URL. */
function expectedMatch(identifier, { phone = false, email = true } = {}) {
	const p = person(identifier);
	return {
		identifier,
		matched: true,
		personId: p.crustdata_person_id,
		businessEmail: email ? p.business_emails[0].email : null,
		phoneNumber: phone ? p.phone_numbers[0] : null,
	};
}
const resultOf = (o) => ({
	identifier: o.json.identifier,
	matched: o.json.matched,
	personId: o.json.personId,
	businessEmail: o.json.businessEmail,
	phoneNumber: o.json.phoneNumber,
});

/** [paired item index, result] of every item on the success output. */
const successes = (result, prefix) =>
	(nodeOutput(result, `${prefix} Crustdata`, 0) ?? []).map((o) => [pairedIndices(o), resultOf(o)]);

/** [paired item index, error, identifiers, httpCode] of every item on the error output. */
const failures = (result, prefix) =>
	(nodeOutput(result, `${prefix} Crustdata`, 1) ?? []).map((o) => [
		pairedIndices(o),
		o.json.error,
		o.json.details.identifiers,
		o.json.details.httpCode,
	]);

/** The downstream Set nodes resolve $('<prefix> Input').item to each output item's own input. */
function assertDownstreamPairing(result, prefix, itemList) {
	for (const [output, check] of [
		[0, 'OK'],
		[1, 'Failed'],
	]) {
		const out = nodeOutput(result, `${prefix} Crustdata`, output) ?? [];
		assert.deepEqual(
			(nodeOutput(result, `${prefix} ${check}`) ?? []).map((o) => o.json.pairedInput.itemId),
			out.map((o) => itemList[pairedIndices(o)[0]].itemId),
			`${prefix} ${check}: $('${prefix} Input').item`,
		);
	}
}

/** Submits a batch job straight to the simulator (not through n8n): its batch_id. */
async function submitJob(sim, key, urls, fields) {
	const res = await fetch(`${sim.url}${BATCH_PATH}`, {
		method: 'POST',
		headers: {
			authorization: `Bearer ${key}`,
			'x-api-version': API_VERSION,
			'content-type': 'application/json',
		},
		body: JSON.stringify({ professional_network_profile_urls: urls, fields }),
	});
	assert.equal(res.status, 200, `batch submit: ${await res.clone().text()}`);
	return (await res.json()).batch_id;
}

describe('untrusted answers in a real n8n', { timeout: 300_000 }, () => {
	let env;
	const sims = {};
	const runs = {};
	const lists = {};
	const jobs = {};

	before(async () => {
		const resetSim = (resetFormat, key) =>
			startSimulator({ port: 0, keys: { [key]: {} }, rateLimit: SHARED_LIMIT, resetFormat });
		sims.epoch = await resetSim('epochMs', KEYS.epoch);
		sims.ms = await resetSim('ms', KEYS.ms);
		env = await setUp('untrusted', {
			simulator: {
				keys: Object.fromEntries(
					['main', 'late', 'resend', 'bulk', 'jobs'].map((name) => [KEYS[name], {}]),
				),
				rateLimit: { limit: 1000, windowMs: 60_000 },
				batch: { pendingMs: 300, processingMs: 700 },
			},
			credentials: [
				...['main', 'late', 'resend', 'bulk', 'jobs'].map((name) => ({
					name,
					apiKey: KEYS[name],
				})),
				{ name: 'epoch', apiKey: KEYS.epoch, baseUrl: sims.epoch.url },
				{ name: 'ms', apiKey: KEYS.ms, baseUrl: sims.ms.url },
			],
		});
		const { sim } = env;
		sims.main = sim;

		// (g) Two jobs of one account, one URL in both, each with other fields: the records of
		// that URL differ (a business email in one, a phone number in the other).
		jobs.urls = [url('ux-jobs-00'), url('ux-jobs-01'), url('ux-jobs-02')];
		jobs.a = await submitJob(sim, KEYS.jobs, jobs.urls.slice(0, 2), ['business_email']);
		jobs.b = await submitJob(sim, KEYS.jobs, jobs.urls.slice(1), [
			'personal_contact_info.phone_numbers',
		]);

		const enrich = (options = {}) => ({
			identifyBy: 'profileUrl',
			profileUrls: '={{ $json.url }}',
			options: { requestsPerMinute: 600, ...options },
		});
		const branch = (wf, prefix, itemList, { key = 'main', parameters = enrich() } = {}) => {
			lists[prefix] = itemList;
			wf.branch(prefix, {
				items: itemList,
				credential: env.credential(key),
				parameters,
				onError: 'continueErrorOutput',
				after: { 0: `${prefix} OK`, 1: `${prefix} Failed` },
			});
		};
		const fault = (spec) => sim.addFault(spec);
		const wf = new WorkflowBuilder('E2E untrusted');

		// (a) Answered in reverse order: no entry at its own position.
		branch(wf, 'Reorder', items('ux-reorder', 4));
		fault({ kind: 'reorder', identifier: url('ux-reorder-00') });
		// (b) Each matched_on in another spelling, the last one left out, the rest swapped.
		branch(wf, 'Respell', items('ux-respell', 3));
		fault({ kind: 'respell', drop: 1, order: [1, 0], identifier: url('ux-respell-00') });
		// (d) 404s that are not Crustdata's own JSON error.
		const html = '<html><body><h1>Not Found</h1></body></html>';
		branch(wf, 'Html', items('ux-html', 3));
		fault({
			kind: 'status',
			status: 404,
			body: html,
			headers: { 'content-type': 'text/html' },
			identifier: url('ux-html-00'),
		});
		branch(wf, 'Empty', items('ux-empty', 2));
		fault({ kind: 'status', status: 404, body: null, identifier: url('ux-empty-00') });
		branch(wf, 'Detail', items('ux-detail', 2));
		fault({
			kind: 'status',
			status: 404,
			body: { detail: 'Not Found' },
			identifier: url('ux-detail-00'),
		});
		// (e) Processed and billed at once, answered after 3 s; the node gives up after 1 s.
		branch(wf, 'Late', items('ux-late', 3), {
			key: 'late',
			parameters: enrich({ timeoutSeconds: 1 }),
		});
		fault({ kind: 'billThenDelay', ms: 3000, identifier: url('ux-late-00') });
		branch(wf, 'Resend', items('ux-resend', 3), {
			key: 'resend',
			parameters: enrich({ timeoutSeconds: 1, resendTimedOut: true }),
		});
		fault({ kind: 'billThenDelay', ms: 3000, identifier: url('ux-resend-00') });
		// (h) Member ids: one letter's case apart is another id; a custom slug is lower-cased.
		const member = 'ACwAAAKQZ3sBxYk0XzT7tQ3m9rLpHq5vW2nDc8E';
		branch(wf, 'Member', [
			{ itemId: 'm0', url: url(member) },
			{ itemId: 'm1', url: url(member.replace('KQZ', 'KqZ')) },
			{ itemId: 'm2', url: 'linkedin.com/in/ACoAABcDeFgHiJkLmNoP/' },
			{ itemId: 'm3', url: url('UX-Member-Slug') },
			{ itemId: 'm4', url: url('ux-member-slug') },
		]);
		// (c) epoch ms: 60 identifiers are 3 requests; the second answer says "0 left" until an
		// epoch time in ms about 4 s after the first request.
		branch(wf, 'Epoch', items('ux-epoch', 60), { key: 'epoch' });
		// (f) The submit creates its job, is billed at completion, and is answered after 3 s.
		branch(
			wf,
			'BulkLate',
			[
				{ itemId: 'b0', urls: [url('ux-bulk-00'), url('ux-bulk-01')] },
				{ itemId: 'b1', urls: [url('ux-bulk-02'), url('nomatch-ux-bulk-03')] },
			],
			{
				key: 'bulk',
				parameters: {
					operation: 'bulkEnrich',
					profileUrls: '={{ $json.urls }}',
					fields: ['contact.business_emails'],
					options: { requestsPerMinute: 600, pollIntervalSeconds: 0.5, timeoutSeconds: 1 },
				},
			},
		);
		fault({ kind: 'billThenDelay', ms: 3000, path: BATCH_PATH, identifier: url('ux-bulk-00') });
		// (g) Each item names its own job and its own URLs.
		branch(
			wf,
			'Jobs',
			[
				{ itemId: 'j0', batchIds: [jobs.a], profileUrls: jobs.urls.slice(0, 2) },
				{ itemId: 'j1', batchIds: [jobs.b], profileUrls: jobs.urls.slice(1) },
			],
			{
				key: 'jobs',
				parameters: {
					operation: 'getBulkResults',
					batchIds: '={{ $json.batchIds }}',
					onlyProfileUrls: '={{ $json.profileUrls }}',
					options: { pollIntervalSeconds: 0.5 },
				},
			},
		);

		// (c) plain ms, alone: "0 left" with a reset of about 4000 (ms), read as 4000 s, capped.
		const msWf = new WorkflowBuilder('E2E untrusted ms');
		branch(msWf, 'Ms', items('ux-ms', 60), { key: 'ms' });

		const ids = await env.importWorkflows([wf.toJSON(), msWf.toJSON()]);
		[runs.main, runs.ms] = await executeConcurrently(env, ids);
		process.stderr.write(
			`[untrusted] n8n execute seconds: main ${runs.main.seconds}, ms ${runs.ms.seconds}\n`,
		);
		for (const [name, run] of Object.entries(runs)) {
			assert.equal(run.code, 0, `${name} failed: ${explain(run)}`);
			assert.equal(run.secretsPrinted, 0, `${name} printed an API key`);
		}
	});

	after(async () => {
		await env?.tearDown();
		await sims.epoch?.close();
		await sims.ms?.close();
	});

	describe('answers paired by identity', () => {
		it('(a) a reordered answer: every item gets its own person, from one request bought once', () => {
			const list = lists.Reorder;
			const requests = requestsOf(sims.main, 'ux-reorder');
			assert.deepEqual(
				requests.map((r) => [r.identifiers, r.status, r.fault]),
				[[list.map((i) => i.url), 200, 'reorder']],
			);
			assert.deepEqual(
				successes(runs.main, 'Reorder'),
				list.map((item, i) => [[i], expectedMatch(item.url)]),
			);
			assert.deepEqual(failures(runs.main, 'Reorder'), []);
			assertDownstreamPairing(runs.main, 'Reorder', list);
			assert.deepEqual(nodeHints(runs.main, 'Reorder Crustdata'), [
				'Crustdata: 1 request, 4 distinct identifiers sent, 4 matched, 0 unmatched, 4 credits used.',
			]);
			assert.deepEqual(
				chargesOf(sims.main, requests).map((b) => b.credits),
				[4],
			);
		});

		it('(b) a short answer in other spellings: the two answered come out, only the one left out fails', () => {
			const list = lists.Respell;
			const requests = requestsOf(sims.main, 'ux-respell');
			assert.deepEqual(
				requests.map((r) => [r.identifiers, r.status, r.fault]),
				[[list.map((i) => i.url), 200, 'respell']],
			);
			assert.deepEqual(successes(runs.main, 'Respell'), [
				[[0], expectedMatch(list[0].url)],
				[[1], expectedMatch(list[1].url)],
			]);
			assert.deepEqual(failures(runs.main, 'Respell'), [
				[[2], MESSAGES.short, [list[2].url], undefined],
			]);
			assertDownstreamPairing(runs.main, 'Respell', list);
			assert.deepEqual(nodeHints(runs.main, 'Respell Crustdata'), [
				'Crustdata: 1 request, 3 distinct identifiers sent, 2 matched, 0 unmatched, 1 failed, 2 credits used.',
			]);
			// Only the entries that came back were billed, and nothing was sent again.
			assert.deepEqual(
				chargesOf(sims.main, requests).map((b) => [b.credits, b.matched]),
				[[2, 2]],
			);
		});

		it('(h) member ids keep their case: two spellings of one id are two identifiers', () => {
			const requests = sims.main.log.filter(
				(e) => e.path === ENRICH_PATH && e.identifiers?.some((id) => id.includes('/ACwAA')),
			);
			const sent = [
				url('ACwAAAKQZ3sBxYk0XzT7tQ3m9rLpHq5vW2nDc8E'),
				url('ACwAAAKqZ3sBxYk0XzT7tQ3m9rLpHq5vW2nDc8E'),
				url('ACoAABcDeFgHiJkLmNoP'),
				url('ux-member-slug'),
			];
			assert.deepEqual(
				requests.map((r) => [r.identifiers, r.status]),
				[[sent, 200]],
			);
			assert.deepEqual(
				(nodeOutput(runs.main, 'Member Crustdata', 0) ?? []).map((o) => [
					pairedIndices(o),
					o.json.identifier,
					o.json.matched,
				]),
				[
					[[0], sent[0], true],
					[[1], sent[1], true],
					[[2], sent[2], true],
					[[3], sent[3], true],
					[[4], sent[3], true],
				],
			);
			assert.deepEqual(nodeHints(runs.main, 'Member Crustdata'), [
				'Crustdata: 1 request, 4 distinct identifiers sent, 4 matched, 0 unmatched, 4 credits used.',
			]);
		});
	});

	describe('reset headers in other units', () => {
		/** The three requests of a 60-identifier branch on a reset-format simulator. */
		function paced(run, branch, sim, key, prefix) {
			const requests = requestsOf(sim, prefix);
			assert.deepEqual(
				requests.map((r) => [r.identifiers.length, r.status]),
				[
					[25, 200],
					[25, 200],
					[10, 200],
				],
			);
			// Never above the limit, 429s included: the node obeyed "0 left" instead of asking.
			assert.ok(sim.maxAttemptsInWindow(key) <= SHARED_LIMIT.limit, 'a request above the limit');
			const list = items(prefix, 60);
			assert.deepEqual(
				successes(run, branch),
				list.map((item, i) => [[i], expectedMatch(item.url)]),
			);
			assert.deepEqual(failures(run, branch), []);
			assert.equal(sim.creditsCharged(key), 60);
			return requests;
		}

		it('(c) epoch ms: converted, the run waits only until the window frees (about 4 s)', () => {
			const [first, second, third] = paced(runs.main, 'Epoch', sims.epoch, KEYS.epoch, 'ux-epoch');
			const wait = third.at - first.at;
			assert.ok(
				wait >= SHARED_LIMIT.windowMs - 100 && wait < SHARED_LIMIT.windowMs + 2500,
				`the third request came ${wait} ms after the first (second at +${second.at - first.at} ms)`,
			);
			assert.deepEqual(nodeHints(runs.main, 'Epoch Crustdata'), [
				'Crustdata: 3 requests, 60 distinct identifiers sent, 60 matched, 0 unmatched, 60 credits used.',
			]);
		});

		it('(c) plain ms: read as seconds and capped at 65 s, so the run still ends in bounded time', () => {
			const [, second, third] = paced(runs.ms, 'Ms', sims.ms, KEYS.ms, 'ux-ms');
			const wait = third.at - second.at;
			assert.ok(
				wait >= MAX_RESET_WAIT_MS - 500 && wait < MAX_RESET_WAIT_MS + 2500,
				`waited ${wait} ms after the "0 left" answer`,
			);
			assert.ok(runs.ms.seconds < 90, `the run took ${runs.ms.seconds} s`);
			assert.deepEqual(nodeHints(runs.ms, 'Ms Crustdata'), [
				'Crustdata: 3 requests, 60 distinct identifiers sent, 60 matched, 0 unmatched, 60 credits used.',
			]);
		});
	});

	describe("a 404 that is not Crustdata's answer", () => {
		for (const [prefix, slug, description] of [
			['Html', 'ux-html', '<html><body><h1>Not Found</h1></body></html>'],
			['Empty', 'ux-empty', undefined],
			['Detail', 'ux-detail', undefined],
		]) {
			it(`(d) ${prefix}: every item fails naming the address, nothing bought, nothing retried`, () => {
				const list = lists[prefix];
				const requests = requestsOf(sims.main, slug);
				assert.deepEqual(
					requests.map((r) => [r.identifiers.length, r.status, r.billed]),
					[[list.length, 404, false]],
				);
				assert.deepEqual(chargesOf(sims.main, requests), []);
				assert.deepEqual(successes(runs.main, prefix), []);
				assert.deepEqual(
					failures(runs.main, prefix),
					list.map((item, i) => [[i], MESSAGES.foreign404(sims.main.url), [item.url], '404']),
				);
				for (const o of nodeOutput(runs.main, `${prefix} Crustdata`, 1))
					assert.equal(o.json.details.description, description);
				assertDownstreamPairing(runs.main, prefix, list);
				assert.deepEqual(nodeHints(runs.main, `${prefix} Crustdata`), [
					`Crustdata: 1 request, ${list.length} distinct identifiers sent, 0 matched, 0 unmatched, ${list.length} failed, 0 credits used.`,
				]);
			});
		}
	});

	describe('a 200 after the time-out, already billed', () => {
		it('(e) not sent again by default: the items fail saying why, billed exactly once', () => {
			const list = lists.Late;
			const requests = requestsOf(sims.main, 'ux-late');
			assert.deepEqual(
				requests.map((r) => [r.identifiers, r.status, r.fault, r.billed]),
				[[list.map((i) => i.url), null, 'billThenDelay', true]],
			);
			assert.deepEqual(successes(runs.main, 'Late'), []);
			assert.deepEqual(
				failures(runs.main, 'Late'),
				list.map((item, i) => [[i], MESSAGES.timedOut, [item.url], undefined]),
			);
			assertDownstreamPairing(runs.main, 'Late', list);
			assert.deepEqual(
				sims.main.billing(KEYS.late).map((b) => [b.kind, b.seq, b.credits]),
				[['enrich', requests[0].seq, 3]],
			);
			assert.equal(sims.main.creditsCharged(KEYS.late), 3);
			// The answer never arrived, so the node cannot know its price: it says what answers
			// reported (0), and that the request with no answer may have been billed, at most 3.
			assert.deepEqual(nodeHints(runs.main, 'Late Crustdata'), [
				'Crustdata: 1 request, 3 distinct identifiers sent, 0 matched, 0 unmatched, 3 failed, 0 credits used, and 1 request with no answer may have been billed (up to 3 more credits).',
			]);
		});

		it('(e) with "Re-Send Timed-Out Requests": sent again, answered, billed twice, and the hint says so', () => {
			const list = lists.Resend;
			const requests = requestsOf(sims.main, 'ux-resend');
			assert.deepEqual(
				requests.map((r) => [r.identifiers, r.status, r.fault, r.billed]),
				[
					[list.map((i) => i.url), null, 'billThenDelay', true],
					[list.map((i) => i.url), 200, null, true],
				],
			);
			const gap = requests[1].at - requests[0].at;
			assert.ok(gap >= 1000 && gap < 4500, `sent again ${gap} ms after the first`);
			assert.deepEqual(
				successes(runs.main, 'Resend'),
				list.map((item, i) => [[i], expectedMatch(item.url)]),
			);
			assert.deepEqual(failures(runs.main, 'Resend'), []);
			assert.deepEqual(
				sims.main.billing(KEYS.resend).map((b) => [b.seq, b.credits]),
				requests.map((r) => [r.seq, 3]),
			);
			assert.equal(sims.main.creditsCharged(KEYS.resend), 6);
			// The hint counts the credits the answers reported (3): the re-send is what warns.
			assert.deepEqual(nodeHints(runs.main, 'Resend Crustdata'), [
				'Crustdata: 2 requests, 3 distinct identifiers sent, 3 matched, 0 unmatched, 1 request re-sent after a time-out, 3 credits used, and 1 request with no answer may have been billed (up to 3 more credits).',
			]);
		});
	});

	describe('batch jobs', () => {
		it('(f) a batch submit that timed out: its job is found in GET /batch and adopted, not submitted again', () => {
			const seen = sims.main.log.filter((e) => e.key === mask(KEYS.bulk));
			const [submit] = seen;
			assert.deepEqual(
				seen.map((e) => [e.method, e.path.replace(submit.batchId, '<job>'), e.status]),
				[
					['POST', BATCH_PATH, null],
					['GET', '/batch', 200],
					['GET', '/batch/<job>', 200],
				],
			);
			// One results file per job (this one and the two of (g)), fetched without the key.
			const files = sims.main.log.filter((e) => e.path.startsWith('/__files/'));
			assert.deepEqual(
				files.map((e) => [e.method, e.status, e.key]),
				[
					['GET', 200, null],
					['GET', 200, null],
					['GET', 200, null],
				],
			);
			assert.equal(submit.fault, 'billThenDelay');
			assert.deepEqual(
				sims.main.batchJobs(KEYS.bulk).map((j) => [j.batchId, j.identifierCount, j.status]),
				[[submit.batchId, 4, 'completed']],
			);
			assert.deepEqual(
				sims.main.billing(KEYS.bulk).map((b) => [b.kind, b.batchId, b.credits]),
				[['batch', submit.batchId, 3]],
			);
			assert.deepEqual(successes(runs.main, 'BulkLate'), [
				[[0], expectedMatch(url('ux-bulk-00'))],
				[[0], expectedMatch(url('ux-bulk-01'))],
				[[1], expectedMatch(url('ux-bulk-02'))],
			]);
			assert.deepEqual(failures(runs.main, 'BulkLate'), []);
			assert.deepEqual(nodeHints(runs.main, 'BulkLate Crustdata'), [
				`Crustdata: 1 batch job for 4 distinct profile URLs, 4 records returned, 3 matched, 1 unmatched. ${BATCH_HINT}`,
			]);
		});

		it("(g) two jobs holding one URL: Get Bulk Results gives each item its own job's record", () => {
			const [u0, u1, u2] = jobs.urls;
			const email = { email: true, phone: false };
			const phone = { email: false, phone: true };
			assert.deepEqual(successes(runs.main, 'Jobs'), [
				[[0], expectedMatch(u0, email)],
				[[0], expectedMatch(u1, email)],
				[[1], expectedMatch(u1, phone)],
				[[1], expectedMatch(u2, phone)],
			]);
			assert.deepEqual(failures(runs.main, 'Jobs'), []);
			assertDownstreamPairing(runs.main, 'Jobs', lists.Jobs);
			assert.deepEqual(nodeHints(runs.main, 'Jobs Crustdata'), [
				`Crustdata: 2 batch jobs fetched, 4 records returned, 4 matched, 0 unmatched. ${BATCH_HINT}`,
			]);
			// The node only read: the two submits are the test's own, billed once each.
			const seen = sims.main.log.filter((e) => e.key === mask(KEYS.jobs));
			assert.deepEqual(
				seen.filter((e) => e.method === 'POST').map((e) => e.batchId),
				[jobs.a, jobs.b],
			);
			assert.deepEqual(
				sims.main.billing(KEYS.jobs).map((b) => [b.batchId, b.credits]),
				[
					[jobs.a, 2],
					[jobs.b, 4],
				],
			);
		});
	});
});
