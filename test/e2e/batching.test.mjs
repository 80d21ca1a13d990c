// Batching, de-duplication and paired items, proven inside a real n8n: one workflow, three
// independent branches, one `n8n execute`.
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

const KEY = 'e2e-batching-key';
const canonical = (slug) => `https://www.linkedin.com/in/${slug}`;

// Five spellings of one profile; the node must send each person once, as the canonical URL.
const VARIANTS = [
	(slug) => `https://www.linkedin.com/in/${slug}`,
	(slug) => `http://linkedin.com/in/${slug}/`,
	(slug) => `https://uk.linkedin.com/in/${slug}?trk=public_profile`,
	(slug) => `www.linkedin.com/in/${slug}`,
	(slug) => `HTTPS://WWW.LINKEDIN.COM/in/${slug.toUpperCase()}/`,
];

/**
 * 11 items over 56 distinct profiles (55 that match, one that does not), with duplicates inside
 * an item and across items, in every spelling, as a list, a comma/newline string or one value.
 */
function profileItems() {
	const slug = (n) => `e2e-person-${String(n).padStart(2, '0')}`;
	const items = [];
	for (let k = 0; k < 11; k++) {
		const own = [0, 1, 2, 3, 4].map((j) => slug(5 * k + j));
		const urls = own.map((s, j) => VARIANTS[(k + j) % VARIANTS.length](s));
		urls.push(VARIANTS[(k + 2) % VARIANTS.length](slug((5 * k + 7) % 55))); // another item's person
		if (k === 3) urls.push(VARIANTS[4](own[0])); // the same person twice in one item
		if (k === 10) urls.push('https://www.linkedin.com/in/nomatch-e2e-ghost');
		const expected = [
			...new Set(urls.map((u) => canonical(/\/in\/([^/?]+)/.exec(u)[1].toLowerCase()))),
		];
		const value = k % 3 === 0 ? urls : k % 3 === 1 ? urls.join(', ') : urls.join('\n');
		items.push({ itemId: `p${k}`, urls: value, expected });
	}
	return items;
}

const EMAIL_ITEMS = [
	{ itemId: 'e0', email: 'multi.alpha@acme.com' },
	{ itemId: 'e1', email: 'solo.beta@globex.com' },
	{ itemId: 'e2', email: ' Multi.Gamma@Initech.com ; solo.delta@hooli.com' },
	{ itemId: 'e3', email: 'nomatch.epsilon@acme.com' },
	{ itemId: 'e4', email: 'MULTI.alpha@acme.com' }, // item e0's person again
];

describe('batching and pairing in a real n8n', { timeout: 600_000 }, () => {
	let env;
	let result;
	const items = profileItems();

	before(async () => {
		env = await setUp('batching', {
			simulator: { keys: { [KEY]: {} }, rateLimit: { limit: 1000, windowMs: 60_000 } },
			credentials: [{ name: 'Crustdata (e2e batching)', apiKey: KEY }],
		});
		const credential = env.credential('Crustdata (e2e batching)');
		const fast = { requestsPerMinute: 600 };
		const wf = new WorkflowBuilder('E2E batching');
		wf.branch('Profiles', {
			items,
			credential,
			parameters: { identifyBy: 'profileUrl', profileUrls: '={{ $json.urls }}', options: fast },
		});
		wf.branch('Emails', {
			items: EMAIL_ITEMS,
			credential,
			parameters: {
				identifyBy: 'businessEmail',
				businessEmails: '={{ $json.email }}',
				options: fast,
			},
		});
		wf.branch('Confident', {
			items: [{ itemId: 'c0', email: 'multi.zeta@wayne.com' }],
			credential,
			parameters: {
				identifyBy: 'businessEmail',
				businessEmails: '={{ $json.email }}',
				options: { ...fast, minConfidence: 0.5 },
			},
		});
		wf.branch('Raw', {
			items: [{ itemId: 'r0', email: 'multi.eta@stark.com' }],
			credential,
			parameters: {
				identifyBy: 'businessEmail',
				businessEmails: '={{ $json.email }}',
				simplify: false,
				fields: ['contact.business_emails', 'contact.phone_numbers'],
				options: fast,
			},
		});
		const [id] = await env.importWorkflows(wf.toJSON());
		result = await env.execute(id);
		assert.equal(result.code, 0, `n8n execute failed: ${explain(result)}`);
	});

	after(async () => {
		await env?.tearDown();
	});

	it('sends every distinct profile once, in ceil(distinct / 25) requests of at most 25', () => {
		const distinct = new Set(items.flatMap((item) => item.expected));
		assert.equal(distinct.size, 56);
		const requests = enrichRequests(
			env.sim,
			(e) => e.identifierKey === 'professional_network_profile_urls',
		);
		assert.equal(requests.length, Math.ceil(distinct.size / 25));
		for (const r of requests) {
			assert.equal(r.status, 200);
			assert.ok(
				r.identifiers.length <= 25,
				`a request carried ${r.identifiers.length} identifiers`,
			);
		}
		const sent = requests.flatMap((r) => r.identifiers);
		assert.equal(sent.length, distinct.size, 'an identifier was sent twice');
		assert.deepEqual(new Set(sent), distinct);
	});

	it('returns every match, paired with each input item that carried it', () => {
		const output = nodeOutput(result, 'Profiles Crustdata');
		const got = output.map((o) => `${pairedIndices(o).join('+')} ${o.json.identifier}`).sort();
		const want = items
			.flatMap((item, index) =>
				item.expected.filter((u) => !u.includes('nomatch')).map((u) => `${index} ${u}`),
			)
			.sort();
		assert.deepEqual(got, want);
		for (const o of output) {
			const slug = o.json.identifier.split('/in/')[1];
			assert.equal(o.json.matched, true);
			assert.equal(o.json.confidence, 1);
			assert.match(o.json.businessEmail, new RegExp(`^${slug}@[a-z]+\\.example\\.com$`));
		}
	});

	it("lets a downstream $('Profiles Input').item resolve to the right input item", () => {
		const checked = nodeOutput(result, 'Profiles Check');
		assert.equal(checked.length, nodeOutput(result, 'Profiles Crustdata').length);
		for (const o of checked) {
			const owner = items.find((item) => item.itemId === o.json.pairedInput.itemId);
			assert.ok(
				owner.expected.includes(o.json.identifier),
				`${o.json.identifier} paired to ${owner.itemId}`,
			);
		}
	});

	it('fans an email out to its candidates, best first, in one de-duplicated request', () => {
		const requests = enrichRequests(env.sim, (e) => e.identifierKey === 'business_emails');
		const emailsRequest = requests.find((r) => r.identifiers.includes('solo.beta@globex.com'));
		assert.deepEqual([...emailsRequest.identifiers].sort(), [
			'multi.alpha@acme.com',
			'multi.gamma@initech.com',
			'nomatch.epsilon@acme.com',
			'solo.beta@globex.com',
			'solo.delta@hooli.com',
		]);
		const output = nodeOutput(result, 'Emails Crustdata');
		const summary = output.map((o) => [
			pairedIndices(o)[0],
			o.json.identifier,
			o.json.matchRank,
			o.json.confidence,
		]);
		assert.deepEqual(summary, [
			[0, 'multi.alpha@acme.com', 1, 0.92],
			[0, 'multi.alpha@acme.com', 2, 0.61],
			[0, 'multi.alpha@acme.com', 3, 0.34],
			[1, 'solo.beta@globex.com', 1, 0.97],
			[2, 'multi.gamma@initech.com', 1, 0.92],
			[2, 'multi.gamma@initech.com', 2, 0.61],
			[2, 'multi.gamma@initech.com', 3, 0.34],
			[2, 'solo.delta@hooli.com', 1, 0.97],
			[4, 'multi.alpha@acme.com', 1, 0.92],
			[4, 'multi.alpha@acme.com', 2, 0.61],
			[4, 'multi.alpha@acme.com', 3, 0.34],
		]);
		assert.equal(output[0].json.businessEmail, 'multi.alpha@acme.com');
		assert.equal(
			new Set(output.slice(0, 3).map((o) => o.json.personId)).size,
			3,
			'three different people',
		);
	});

	it("resolves $('Emails Input').item for every fanned-out match", () => {
		const checked = nodeOutput(result, 'Emails Check');
		assert.deepEqual(
			checked.map((o) => `${o.json.pairedInput.itemId} ${o.json.identifier}`),
			nodeOutput(result, 'Emails Crustdata').map(
				(o) => `${EMAIL_ITEMS[pairedIndices(o)[0]].itemId} ${o.json.identifier}`,
			),
		);
		assert.deepEqual(
			checked.map((o) => o.json.pairedInput.itemId),
			['e0', 'e0', 'e0', 'e1', 'e2', 'e2', 'e2', 'e2', 'e4', 'e4', 'e4'],
		);
	});

	it('drops candidates below the minimum confidence', () => {
		const output = nodeOutput(result, 'Confident Crustdata');
		assert.deepEqual(
			output.map((o) => [o.json.matchRank, o.json.confidence]),
			[
				[1, 0.92],
				[2, 0.61],
			],
		);
		assert.deepEqual(
			nodeOutput(result, 'Confident Check').map((o) => o.json.pairedInput.itemId),
			['c0', 'c0'],
		);
	});

	it('passes the raw API shape through when simplify is off', () => {
		const output = nodeOutput(result, 'Raw Crustdata');
		assert.equal(output.length, 3);
		for (const o of output) {
			assert.deepEqual(Object.keys(o.json).sort(), [
				'confidence_score',
				'match_type',
				'matched_on',
				'person_data',
			]);
			assert.equal(o.json.matched_on, 'multi.eta@stark.com');
			assert.equal(o.json.match_type, 'business_email');
			assert.ok(Array.isArray(o.json.person_data.contact.phone_numbers));
		}
		const request = enrichRequests(env.sim, (e) =>
			e.identifiers?.includes('multi.eta@stark.com'),
		)[0];
		assert.deepEqual(request.fields, ['contact.business_emails', 'contact.phone_numbers']);
		assert.deepEqual(
			nodeOutput(result, 'Raw Check').map((o) => o.json.pairedInput.itemId),
			['r0', 'r0', 'r0'],
		);
	});
});
