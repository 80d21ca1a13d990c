import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { lookupProfileUrl, profileSlug } from '../fixtures.mjs';
import { startSimulator } from '../index.mjs';
import { contactOf, enrich, url } from './helpers.mjs';

describe('fixture people, tiers, verified and billing', () => {
	let sim;
	before(async () => {
		// Many calls in a row: lift the 15/min limit, which rateLimit.test.mjs covers.
		sim = await startSimulator({ rateLimit: { limit: 1000, windowMs: 60_000 } });
	});
	after(() => sim.close());

	const byUrl = (urls, extra = {}) =>
		enrich(sim, { professional_network_profile_urls: urls, ...extra });
	const byEmail = (emails, extra = {}) => enrich(sim, { business_emails: emails, ...extra });

	it('answers one entry per identifier, in order, matched_on as sent', async () => {
		const sent = ['https://LinkedIn.com/in/Zed/?utm=1', url('nomatch-1'), url('ada')];
		const res = await byUrl(sent);
		assert.equal(res.status, 200);
		assert.deepEqual(
			res.json.map((e) => e.matched_on),
			sent,
		);
		assert.ok(res.json.every((e) => e.match_type === 'professional_network_profile_url'));
		assert.deepEqual(res.json[1].matches, []);
		assert.equal(
			res.json[0].matches[0].person_data.crustdata_person_id,
			lookupProfileUrl(url('zed'))[0].person.crustdata_person_id,
		);
	});

	it('reads the slug lower-cased, ignoring trailing slash and query', () => {
		assert.equal(profileSlug('http://uk.linkedin.com/in/Jane-Doe/?a=b#c'), 'jane-doe');
		assert.equal(profileSlug('https://example.com/jane'), null);
	});

	it('serves the doc person for abhilashchowdhary', async () => {
		const res = await byUrl([url('abhilashchowdhary')], { fields: ['contact'] });
		const match = res.json[0].matches[0];
		assert.equal(match.confidence_score, 1);
		assert.equal(match.person_data.crustdata_person_id, 1068035);
		assert.deepEqual(match.person_data.contact.business_emails, [
			{ email: 'abhilash@crustdata.com', status: 'deliverable' },
		]);
	});

	it('derives a stable person from any other slug', async () => {
		const [a, b] = (await byUrl([url('grace-hopper'), url('grace-hopper/')])).json;
		assert.deepEqual(a.matches, b.matches);
		const { crustdata_person_id: id, contact } = a.matches[0].person_data;
		assert.ok(id >= 100000 && id <= 999999);
		assert.match(
			contact.business_emails[0].email,
			/^grace-hopper@(acme|globex|initech|umbrella|hooli|stark|wayne|wonka)\.example\.com$/,
		);
		assert.equal(contact.business_emails[0].status, 'deliverable');
		assert.deepEqual(contact.personal_emails, [
			{ email: 'grace-hopper.home@example.org', status: 'deliverable' },
		]);
		assert.match(contact.phone_numbers[0], /^\+1555\d{7}$/);
		assert.deepEqual(contact.websites, ['https://grace-hopper.example.net']);
	});

	it('applies the slug markers', async () => {
		const res = await byUrl([
			url('a-catchall'),
			url('b-invalid'),
			url('c-unknown'),
			url('d-nobiz'),
			url('e-nophone'),
		]);
		assert.deepEqual(
			[0, 1, 2].map((i) => contactOf(res, i).business_emails[0].status),
			['catch_all', 'invalid', 'unknown'],
		);
		assert.deepEqual(contactOf(res, 3).business_emails, []);
		assert.deepEqual(contactOf(res, 4).phone_numbers, []);
	});

	it('reverse-looks-up business emails', async () => {
		const res = await byEmail(['Jane@Corp.com', 'nomatch@corp.com', 'multi.person@corp.com']);
		assert.equal(res.json[0].match_type, 'business_email');
		assert.equal(res.json[0].matched_on, 'Jane@Corp.com');
		assert.equal(res.json[0].matches[0].confidence_score, 0.97);
		assert.deepEqual(contactOf(res, 0).business_emails, [
			{ email: 'jane@corp.com', status: 'deliverable' },
		]);
		assert.deepEqual(res.json[1].matches, []);
		const multi = res.json[2].matches;
		assert.deepEqual(
			multi.map((m) => m.confidence_score),
			[0.92, 0.61, 0.34],
		);
		assert.equal(new Set(multi.map((m) => m.person_data.crustdata_person_id)).size, 3);
		assert.equal(multi[0].person_data.contact.business_emails[0].email, 'multi.person@corp.com');
	});

	it('returns only the requested tiers', async () => {
		const only = async (fields) => Object.keys(contactOf(await byUrl([url('ada')], { fields })));
		assert.deepEqual(await only(['contact.phone_numbers']), ['phone_numbers']);
		assert.deepEqual(await only(['contact.business_emails', 'contact.websites']), [
			'business_emails',
			'websites',
		]);
		const all = ['business_emails', 'personal_emails', 'phone_numbers', 'websites'];
		assert.deepEqual(await only(['contact']), all);
		assert.deepEqual(Object.keys(contactOf(await byUrl([url('ada')]))), all);
	});

	it('keeps only deliverable business emails when verified', async () => {
		const res = await byUrl([url('ok'), url('x-catchall')], { verified: true });
		assert.equal(contactOf(res, 0).business_emails.length, 1);
		assert.equal(contactOf(res, 0).business_emails_message, undefined);
		assert.deepEqual(contactOf(res, 1).business_emails, []);
		assert.equal(
			contactOf(res, 1).business_emails_message,
			'No business email passed verification',
		);
	});

	// [label, identifiers, extra body, expected x-credits-used]
	const billing = [
		['all tiers, one person', [url('a')], {}, '5'],
		['two people', [url('a'), url('b')], {}, '10'],
		['no match is free', [url('nomatch-a')], {}, '0'],
		['business only', [url('a')], { fields: ['contact.business_emails'] }, '1'],
		['personal only', [url('a')], { fields: ['contact.personal_emails'] }, '2'],
		['phone only', [url('a')], { fields: ['contact.phone_numbers'] }, '2'],
		['websites are free', [url('a')], { fields: ['contact.websites'] }, '0'],
		['no business email, no phone', [url('a-nobiz-nophone')], {}, '2'],
		['verified and kept', [url('a')], { verified: true }, '5.5'],
		['verified and dropped', [url('a-invalid')], { verified: true }, '4'],
		[
			'verified, business only',
			[url('a'), url('b-unknown')],
			{ verified: true, fields: ['contact.business_emails'] },
			'1.5',
		],
	];
	for (const [label, urls, extra, expected] of billing) {
		it(`bills ${label}: ${expected}`, async () => {
			const res = await byUrl(urls, extra);
			assert.equal(res.headers.get('x-credits-used'), expected);
			assert.equal(sim.log.at(-1).creditsUsed, Number(expected));
		});
	}

	it('bills an email lookup from its best candidate only', async () => {
		assert.equal((await byEmail(['multi@corp.com'])).headers.get('x-credits-used'), '5');
	});
});
