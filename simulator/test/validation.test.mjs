import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSimulator } from '../index.mjs';
import { enrich, url } from './helpers.mjs';

const u = url('ada');
const tooMany = Array.from({ length: 26 }, (_, i) => url(`p${i}`));

describe('enrich request validation', () => {
	let sim;
	before(async () => {
		sim = await startSimulator({
			rateLimit: { limit: 1000, windowMs: 60_000 },
			keys: {
				'test-key': {},
				selfserve: { contactAccess: false },
				broke: { credits: 0 },
				low: { credits: 6 },
			},
		});
	});
	after(() => sim.close());

	// One row per documented 400 cause (node:test has no it.each, so a table and a loop).
	const invalid = [
		['a body that is not JSON', { raw: '{"professional_network_profile_urls": [' }],
		['a JSON array body', { body: [u] }],
		[
			'both identifier keys',
			{ body: { professional_network_profile_urls: [u], business_emails: ['a@b.com'] } },
		],
		['neither identifier key', { body: { fields: ['contact'] } }],
		['identifiers not an array', { body: { professional_network_profile_urls: u } }],
		['an empty list', { body: { business_emails: [] } }],
		['more than 25 values', { body: { professional_network_profile_urls: tooMany } }],
		['a non-string value', { body: { professional_network_profile_urls: [u, 42] } }],
		[
			'an unknown field',
			{ body: { professional_network_profile_urls: [u], fields: ['contact.fax'] } },
		],
		[
			'fields not an array',
			{ body: { professional_network_profile_urls: [u], fields: 'contact' } },
		],
		['empty fields', { body: { professional_network_profile_urls: [u], fields: [] } }],
		[
			'verified not a boolean',
			{ body: { professional_network_profile_urls: [u], verified: 'yes' } },
		],
	];
	for (const [label, request] of invalid) {
		it(`rejects ${label} with 400 invalid_request`, async () => {
			const res = await enrich(sim, request.body, { raw: request.raw });
			assert.equal(res.status, 400);
			assert.equal(res.json.error.type, 'invalid_request');
			assert.equal(typeof res.json.error.message, 'string');
			assert.deepEqual(res.json.error.metadata, []);
		});
	}

	it('lists the allowed fields when a field is bad', async () => {
		const res = await enrich(sim, {
			professional_network_profile_urls: [u],
			fields: ['contact', 'email'],
		});
		for (const f of [
			'contact',
			'contact.business_emails',
			'contact.personal_emails',
			'contact.phone_numbers',
			'contact.websites',
		]) {
			assert.ok(res.json.error.message.includes(f), f);
		}
	});

	it('accepts exactly 25 identifiers', async () => {
		const res = await enrich(sim, { professional_network_profile_urls: tooMany.slice(0, 25) });
		assert.equal(res.status, 200);
		assert.equal(res.json.length, 25);
	});

	it('answers 403 permission_error with denied_fields for a key without contact access', async () => {
		const res = await enrich(sim, { professional_network_profile_urls: [u] }, { key: 'selfserve' });
		assert.equal(res.status, 403);
		assert.equal(res.json.error.type, 'permission_error');
		assert.deepEqual(res.json.error.metadata, [{ denied_fields: ['contact'] }]);
	});

	it('answers 402 insufficient_credits for a key with no credits', async () => {
		const res = await enrich(
			sim,
			{ professional_network_profile_urls: [url('nomatch-x')] },
			{ key: 'broke' },
		);
		assert.equal(res.status, 402);
		assert.equal(res.json.error.type, 'insufficient_credits');
	});

	it('refuses a whole request that needs more credits than left, and charges nothing', async () => {
		const ok = await enrich(sim, { professional_network_profile_urls: [url('a')] }, { key: 'low' });
		assert.equal(ok.headers.get('x-credits-used'), '5');
		assert.equal(sim.credits('low'), 1);
		const refused = await enrich(
			sim,
			{ professional_network_profile_urls: [url('b')] },
			{ key: 'low' },
		);
		assert.equal(refused.status, 402);
		assert.equal(refused.headers.get('x-credits-used'), null);
		assert.equal(sim.credits('low'), 1);
		const cheap = await enrich(
			sim,
			{ professional_network_profile_urls: [url('b')], fields: ['contact.business_emails'] },
			{ key: 'low' },
		);
		assert.equal(cheap.status, 200);
		assert.equal(sim.credits('low'), 0);
	});
});
