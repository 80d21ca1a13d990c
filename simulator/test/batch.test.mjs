import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startSimulator } from '../index.mjs';
import { call, gunzipLines, sleep, url } from './helpers.mjs';

const TIMERS = { pendingMs: 40, processingMs: 40 };

async function submit(sim, body, options = {}) {
	return call(sim, '/batch/person/contact/enrich', {
		method: 'POST',
		body: { fields: ['business_email'], ...body },
		...options,
	});
}

/** Polls the job until it reaches `status` (no wall-clock assertion: the timers are short). */
async function waitFor(sim, id, status, key) {
	for (let i = 0; i < 200; i++) {
		const res = await call(sim, `/batch/${id}`, { key });
		if (res.json.status === status) return res.json;
		await sleep(10);
	}
	throw new Error(`batch ${id} never reached ${status}`);
}

const download = async (href, headers = {}) => fetch(href, { headers });

describe('batch contact enrich', () => {
	let sim;
	before(async () => {
		sim = await startSimulator({
			batch: TIMERS,
			keys: { 'test-key': {}, other: {}, selfserve: { contactAccess: false } },
		});
	});
	after(() => sim.close());
	beforeEach(() => sim.reset());

	const invalid = [
		['no URLs', { professional_network_profile_urls: undefined }],
		['an empty URL list', { professional_network_profile_urls: [] }],
		[
			'more than 300 URLs',
			{ professional_network_profile_urls: Array.from({ length: 301 }, (_, i) => url(`p${i}`)) },
		],
		['a non-string URL', { professional_network_profile_urls: [7] }],
		[
			'business emails',
			{ professional_network_profile_urls: [url('a')], business_emails: ['a@b.com'] },
		],
		['no fields', { professional_network_profile_urls: [url('a')], fields: undefined }],
		['empty fields', { professional_network_profile_urls: [url('a')], fields: [] }],
		[
			'a sync-API field',
			{ professional_network_profile_urls: [url('a')], fields: ['contact.business_emails'] },
		],
		['chunk_size below 10', { professional_network_profile_urls: [url('a')], chunk_size: 5 }],
		['chunk_size above 1000', { professional_network_profile_urls: [url('a')], chunk_size: 1001 }],
		['a non-boolean verified', { professional_network_profile_urls: [url('a')], verified: 1 }],
		[
			'a non-string webhook_url',
			{ professional_network_profile_urls: [url('a')], webhook_url: true },
		],
	];
	for (const [label, body] of invalid) {
		it(`rejects ${label} with 400`, async () => {
			const res = await submit(sim, body);
			assert.equal(res.status, 400);
			assert.equal(res.json.error.type, 'invalid_request');
		});
	}

	it('403 without contact access', async () => {
		assert.equal(
			(await submit(sim, { professional_network_profile_urls: [url('a')] }, { key: 'selfserve' }))
				.status,
			403,
		);
	});

	it('runs pending → processing → completed and serves a gzipped JSONL file', async () => {
		const urls = [url('ada'), url('nomatch-x'), url('bob-nophone')];
		const res = await submit(sim, {
			professional_network_profile_urls: urls,
			fields: ['business_email', 'personal_contact_info'],
			chunk_size: 10,
		});
		assert.equal(res.status, 200);
		const { batch_id, ...rest } = res.json;
		assert.deepEqual(rest, {
			status: 'pending',
			entity: 'person',
			action: 'contact_enrich',
			identifier_count: 3,
			status_url: `${sim.url}/batch/${batch_id}`,
		});
		assert.equal(sim.log[0].identifierKey, 'professional_network_profile_urls');
		const pending = (await call(sim, `/batch/${batch_id}`)).json;
		assert.equal(pending.download_url, null);
		await waitFor(sim, batch_id, 'processing');
		const done = await waitFor(sim, batch_id, 'completed');
		assert.equal(done.result_count, 2);
		assert.equal(done.identifier_count, 3);
		assert.ok(Date.parse(done.completed_at) >= Date.parse(done.created_at));
		assert.ok(done.download_url.startsWith(`${sim.url}/__files/`));
		assert.match(done.download_url, /\.jsonl\.gz$/);
		assert.deepEqual(done.download_urls, [done.download_url]);

		const file = await download(done.download_url);
		assert.equal(file.status, 200);
		assert.equal(file.headers.get('content-type'), 'application/octet-stream');
		assert.equal(file.headers.get('content-encoding'), null);
		const rows = gunzipLines(Buffer.from(await file.arrayBuffer()));
		assert.deepEqual(
			rows.map((r) => r.original_identifier),
			urls,
		);
		assert.equal(typeof rows[0].internal_id, 'number');
		assert.match(rows[0].data.business_email[0].email, /^ada@/);
		assert.equal(
			rows[0].data.personal_contact_info.personal_emails[0].email,
			'ada.home@example.org',
		);
		assert.deepEqual(rows[1], {
			original_identifier: urls[1],
			internal_id: null,
			data: {
				business_email: [],
				personal_contact_info: { personal_emails: [], phone_numbers: [] },
			},
		});
		assert.deepEqual(rows[2].data.personal_contact_info.phone_numbers, []);
	});

	it('refuses a download carrying an authorization header, like a pre-signed URL', async () => {
		const { batch_id } = (await submit(sim, { professional_network_profile_urls: [url('a')] }))
			.json;
		const done = await waitFor(sim, batch_id, 'completed');
		assert.equal(
			(await download(done.download_url, { authorization: 'Bearer test-key' })).status,
			400,
		);
		assert.equal((await download(done.download_url)).status, 200);
	});

	it('points a job without results to a file that answers 404', async () => {
		const { batch_id } = (
			await submit(sim, { professional_network_profile_urls: [url('nomatch-1')] })
		).json;
		const done = await waitFor(sim, batch_id, 'completed');
		assert.equal(done.result_count, 0);
		assert.equal((await download(done.download_url)).status, 404);
	});

	it('filters fields and verified in the file', async () => {
		const body = {
			professional_network_profile_urls: [url('a-catchall')],
			fields: ['business_email', 'personal_contact_info.phone_numbers'],
			verified: true,
		};
		const { batch_id } = (await submit(sim, body)).json;
		const [row] = gunzipLines(
			Buffer.from(
				await (
					await download((await waitFor(sim, batch_id, 'completed')).download_url)
				).arrayBuffer(),
			),
		);
		assert.deepEqual(Object.keys(row.data), ['business_email', 'personal_contact_info']);
		assert.deepEqual(row.data.business_email, []);
		assert.deepEqual(Object.keys(row.data.personal_contact_info), ['phone_numbers']);
	});

	it('hides unknown ids and other keys’ jobs behind 404', async () => {
		const { batch_id } = (await submit(sim, { professional_network_profile_urls: [url('a')] }))
			.json;
		assert.equal((await call(sim, '/batch/not-a-job')).status, 404);
		assert.equal((await call(sim, `/batch/${batch_id}`, { key: 'other' })).status, 404);
	});

	it('batchFail ends the chosen job failed with an error_message', async () => {
		sim.addFault([
			{ kind: 'batchFail', nth: 2 },
			{ kind: 'batchFail', identifier: url('Doomed') },
		]);
		const ok = (await submit(sim, { professional_network_profile_urls: [url('a')] })).json.batch_id;
		const byNth = (await submit(sim, { professional_network_profile_urls: [url('b')] })).json
			.batch_id;
		const byId = (
			await submit(sim, { professional_network_profile_urls: [url('c'), url('doomed')] })
		).json.batch_id;
		assert.equal((await waitFor(sim, ok, 'completed')).status, 'completed');
		for (const id of [byNth, byId]) {
			const failed = await waitFor(sim, id, 'failed');
			assert.equal(typeof failed.error_message, 'string');
			assert.equal(failed.download_url, null);
		}
	});

	it('applies response faults on batch paths', async () => {
		sim.addFault({ kind: 'status', status: 500, path: '/batch' });
		assert.equal((await call(sim, '/batch')).status, 500);
		assert.equal((await call(sim, '/batch')).status, 200);
	});
});

// Job counts by status need jobs that stay active while the test runs: slow timers here.
describe('batch limits and listing', () => {
	let sim;
	before(async () => {
		sim = await startSimulator({
			batch: { pendingMs: 500, processingMs: 0 },
			keys: { 'test-key': {}, other: {} },
		});
	});
	after(() => sim.close());
	beforeEach(() => sim.reset());

	it('allows 5 active jobs per key; the 6th gets 429 until one completes', async () => {
		const first = (await submit(sim, { professional_network_profile_urls: [url('p0')] })).json
			.batch_id;
		for (let i = 1; i < 5; i++)
			assert.equal(
				(await submit(sim, { professional_network_profile_urls: [url(`p${i}`)] })).status,
				200,
			);
		const sixth = await submit(sim, { professional_network_profile_urls: [url('p5')] });
		assert.equal(sixth.status, 429);
		assert.equal(sixth.json.error.type, 'rate_limit_exceeded');
		assert.equal(
			(await submit(sim, { professional_network_profile_urls: [url('p5')] }, { key: 'other' }))
				.status,
			200,
		);
		await waitFor(sim, first, 'completed');
		assert.equal(
			(await submit(sim, { professional_network_profile_urls: [url('p5')] })).status,
			200,
		);
	});

	it('lists jobs newest first with cursor paging and a status filter', async () => {
		const ids = [];
		for (let i = 0; i < 3; i++)
			ids.push(
				(await submit(sim, { professional_network_profile_urls: [url(`l${i}`)] })).json.batch_id,
			);
		const page1 = (await call(sim, '/batch?limit=2')).json;
		assert.deepEqual(
			page1.jobs.map((j) => j.batch_id),
			[ids[2], ids[1]],
		);
		assert.equal(page1.has_more, true);
		const page2 = (await call(sim, `/batch?limit=2&cursor=${page1.next_cursor}`)).json;
		assert.deepEqual(
			[page2.jobs.map((j) => j.batch_id), page2.has_more, page2.next_cursor],
			[[ids[0]], false, null],
		);
		assert.equal((await call(sim, '/batch?status=completed')).json.jobs.length, 0);
		assert.equal((await call(sim, '/batch?status=pending')).json.jobs.length, 3);
		assert.equal((await call(sim, '/batch?status=bogus')).status, 400);
		assert.equal((await call(sim, '/batch?limit=0')).status, 400);
		assert.equal((await call(sim, '/batch', { key: 'other' })).json.jobs.length, 0);
	});
});

describe('batch flat layout', () => {
	it('writes flat rows', async () => {
		const sim = await startSimulator({ batch: { ...TIMERS, layout: 'flat' } });
		try {
			const { batch_id } = (await submit(sim, { professional_network_profile_urls: [url('ada')] }))
				.json;
			const done = await waitFor(sim, batch_id, 'completed');
			const [row] = gunzipLines(
				Buffer.from(await (await download(done.download_url)).arrayBuffer()),
			);
			assert.deepEqual(Object.keys(row), [
				'professional_network_url',
				'person_id',
				'business_email',
			]);
			assert.equal(row.professional_network_url, url('ada'));
		} finally {
			await sim.close();
		}
	});
});
