import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { BatchStore } from '../batch.mjs';
import { startSimulator } from '../index.mjs';
import { call, downloadRows, enrich, submitBatch, url, waitForJob } from './helpers.mjs';

describe('batch durationMs (fake clock)', () => {
	const store = (options) => new BatchStore(options, () => 0);
	const totals = (s, n) =>
		Array.from({ length: n }, (_, i) => {
			const { pendingMs, processingMs } = s.timing(i + 1);
			return pendingMs + processingMs;
		});

	it('without durationMs: pendingMs and processingMs as given (unchanged default)', () => {
		assert.deepEqual(store().timing(1), { pendingMs: 2000, processingMs: 5000 });
		assert.deepEqual(store({ pendingMs: 10, processingMs: 20 }).timing(9), {
			pendingMs: 10,
			processingMs: 20,
		});
	});

	it('draws each total from [min, max], split in the pendingMs:processingMs ratio', () => {
		const s = store({ durationMs: [120_000, 180_000], pendingMs: 2000, processingMs: 5000 });
		for (let n = 1; n <= 50; n++) {
			const { pendingMs, processingMs } = s.timing(n);
			const total = pendingMs + processingMs;
			assert.ok(total >= 120_000 && total <= 180_000, `job ${n}: ${total}`);
			assert.equal(pendingMs, Math.round((total * 2) / 7));
		}
	});

	it('is deterministic per seed and job number, and differs across seeds', () => {
		const a = totals(store({ durationMs: [1000, 2000], seed: 'bench' }), 20);
		assert.deepEqual(totals(store({ durationMs: [1000, 2000], seed: 'bench' }), 20), a);
		assert.notDeepEqual(totals(store({ durationMs: [1000, 2000], seed: 'other' }), 20), a);
	});

	it('is uniform over the range, both ends included', () => {
		const all = totals(store({ durationMs: [0, 9], seed: 'uniform' }), 5000);
		const counts = Array.from({ length: 10 }, (_, v) => all.filter((t) => t === v).length);
		for (const c of counts) assert.ok(c > 400 && c < 600, `counts ${counts}`);
		const wide = totals(store({ durationMs: [1000, 2000], seed: 'uniform' }), 2000);
		const mean = wide.reduce((s, t) => s + t, 0) / wide.length;
		assert.ok(Math.abs(mean - 1500) < 20, `mean ${mean}`);
	});

	it('takes one number as a fixed duration; refuses a range that cannot work', () => {
		assert.deepEqual(store({ durationMs: 700, pendingMs: 0, processingMs: 1 }).timing(3), {
			pendingMs: 0,
			processingMs: 700,
		});
		assert.deepEqual(store({ durationMs: [70, 70], pendingMs: 0, processingMs: 0 }).timing(1), {
			pendingMs: 0,
			processingMs: 70,
		});
		for (const bad of [
			[5, 1],
			[-1, 3],
			['1', '2'],
			[1.5, 2],
		])
			assert.throws(() => store({ durationMs: bad }), /durationMs/);
	});
});

describe('batch durationMs over HTTP', () => {
	it("each job's completed_at - created_at is its drawn duration", async () => {
		const batch = { durationMs: [60, 120], pendingMs: 1, processingMs: 1, seed: 'http' };
		const sim = await startSimulator({ batch });
		try {
			const ids = [];
			for (let i = 0; i < 3; i++)
				ids.push(
					(await submitBatch(sim, { professional_network_profile_urls: [url(`d${i}`)] })).json
						.batch_id,
				);
			const expected = new BatchStore(batch);
			for (const [i, id] of ids.entries()) {
				const done = await waitForJob(sim, id, 'completed');
				const took = Date.parse(done.completed_at) - Date.parse(done.created_at);
				const { pendingMs, processingMs } = expected.timing(i + 1);
				assert.equal(took, pendingMs + processingMs);
				assert.ok(took >= 60 && took <= 120);
				assert.deepEqual(
					[sim.batchJobs()[i].pendingMs, sim.batchJobs()[i].processingMs],
					[pendingMs, processingMs],
				);
			}
		} finally {
			await sim.close();
		}
	});
});

// A client's output must not depend on which channel answered: a URL's results-file record
// holds the same contact data as its enrich entry.
const SAMPLE = [
	url('ada'),
	url('abhilashchowdhary'),
	url('jos%C3%A9'),
	'https://LinkedIn.com/in/Zed/?utm=1',
	url('bob-nophone'),
	url('carl-nobiz'),
	url('dan-catchall'),
	url('eve-invalid'),
	url('fay-unknown'),
	url('nomatch-1'),
	url('nomatch-zz'),
	'https://www.linkedin.com/company/acme',
];

/** Enrich's answer for one entry, in the batch file's vocabulary. */
function fromEnrich(entry) {
	const person = entry.matches[0]?.person_data;
	const contact = person?.contact ?? {};
	return {
		id: person?.crustdata_person_id ?? null,
		business_email: contact.business_emails ?? [],
		personal_emails: contact.personal_emails ?? [],
		phone_numbers: contact.phone_numbers ?? [],
	};
}

function fromEnvelope(row) {
	return {
		id: row.internal_id,
		business_email: row.data.business_email,
		personal_emails: row.data.personal_contact_info.personal_emails,
		phone_numbers: row.data.personal_contact_info.phone_numbers,
	};
}

function fromFlat(row) {
	return {
		id: row.person_id,
		business_email: row.business_email,
		personal_emails: row.personal_contact_info.personal_emails,
		phone_numbers: row.personal_contact_info.phone_numbers,
	};
}

for (const [layout, read] of [
	['envelope', fromEnvelope],
	['flat', fromFlat],
]) {
	describe(`results file = enrich answer (${layout} layout)`, () => {
		let sim;
		before(async () => {
			sim = await startSimulator({
				rateLimit: { limit: 1000, windowMs: 60_000 },
				batch: { pendingMs: 20, processingMs: 20, layout },
			});
		});
		after(() => sim.close());

		for (const verified of [false, true]) {
			it(`same person, emails, statuses and phones for every URL (verified: ${verified})`, async () => {
				const sync = await enrich(sim, {
					professional_network_profile_urls: SAMPLE,
					fields: ['contact.business_emails', 'contact.personal_emails', 'contact.phone_numbers'],
					verified,
				});
				const { batch_id } = (
					await submitBatch(sim, {
						professional_network_profile_urls: SAMPLE,
						fields: ['business_email', 'personal_contact_info'],
						verified,
					})
				).json;
				const rows = await downloadRows(await waitForJob(sim, batch_id, 'completed'));
				assert.equal(rows.length, SAMPLE.length, 'one record per URL, unmatched ones too');
				assert.deepEqual(rows.map(read), sync.json.map(fromEnrich));
				// Unmatched URLs: an empty record in the file, `matches: []` from enrich.
				const empty = { id: null, business_email: [], personal_emails: [], phone_numbers: [] };
				for (const i of [9, 10, 11]) {
					assert.deepEqual(read(rows[i]), empty);
					assert.deepEqual(sync.json[i].matches, []);
				}
				// Spot check against values the fixtures document.
				assert.deepEqual(read(rows[1]), {
					id: 1068035,
					business_email: [{ email: 'abhilash@crustdata.com', status: 'deliverable' }],
					personal_emails: [{ email: 'personal@example.com', status: 'deliverable' }],
					phone_numbers: ['+1-555-0100'],
				});
			});
		}
	});
}

describe('active batch jobs', () => {
	let sim;
	before(async () => {
		sim = await startSimulator({
			batch: { pendingMs: 400, processingMs: 0 },
			keys: { 'test-key': {}, other: {} },
		});
	});
	after(() => sim.close());
	beforeEach(() => sim.reset());

	const one = (slug, key) =>
		submitBatch(sim, { professional_network_profile_urls: [url(slug)] }, { key });

	it('never more than 5 pending or processing: the 6th is a 429; the peak is 5', async () => {
		const first = (await one('p0')).json.batch_id;
		for (let i = 1; i < 5; i++) assert.equal((await one(`p${i}`)).status, 200);
		const sixth = await one('p5');
		assert.equal(sixth.status, 429);
		assert.equal(sixth.json.error.type, 'rate_limit_exceeded');
		assert.equal(sim.maxActiveJobsSeen('test-key'), 5);
		assert.equal((await one('o1', 'other')).status, 200);
		assert.equal(sim.maxActiveJobsSeen('other'), 1);
		await waitForJob(sim, first, 'completed');
		await waitForJob(sim, sim.batchJobs('test-key')[4].batchId, 'completed');
		for (let i = 0; i < 5; i++) assert.equal((await one(`q${i}`)).status, 200);
		assert.equal((await one('q5')).status, 429);
		assert.equal(sim.maxActiveJobsSeen(), 5, 'no key: the busiest key');
		assert.equal((await (await fetch(`${sim.url}/__sim/stats`)).json()).maxActiveJobsSeen, 5);
		sim.reset();
		assert.equal(sim.maxActiveJobsSeen(), 0);
	});

	it('follows maxActive', async () => {
		const small = await startSimulator({
			batch: { pendingMs: 400, processingMs: 0, maxActive: 2 },
		});
		try {
			const statuses = [];
			for (let i = 0; i < 3; i++)
				statuses.push(
					(await submitBatch(small, { professional_network_profile_urls: [url(`m${i}`)] })).status,
				);
			assert.deepEqual(statuses, [200, 200, 429]);
			assert.equal(small.maxActiveJobsSeen(), 2);
		} finally {
			await small.close();
		}
	});
});

describe('GET /batch', () => {
	let sim;
	before(async () => {
		sim = await startSimulator({ batch: { pendingMs: 0, processingMs: 30 } });
	});
	after(() => sim.close());
	beforeEach(() => sim.reset());

	it('shows batch_id, status, identifier_count, result_count, created_at, completed_at', async () => {
		const urls = [url('ada'), url('nomatch-1')];
		const { batch_id } = (await submitBatch(sim, { professional_network_profile_urls: urls })).json;
		const processing = (await call(sim, '/batch')).json.jobs[0];
		assert.equal(processing.batch_id, batch_id);
		assert.equal(processing.status, 'processing');
		assert.equal(processing.identifier_count, 2);
		assert.equal(processing.result_count, null);
		assert.match(processing.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
		assert.equal(processing.completed_at, null);
		await waitForJob(sim, batch_id, 'completed');
		const done = (await call(sim, '/batch?status=completed')).json.jobs[0];
		assert.equal(done.result_count, 1);
		assert.equal(Date.parse(done.completed_at) - Date.parse(done.created_at), 30);
	});

	it('pages newest first; jobs submitted between pages neither shift nor repeat', async () => {
		const submit = async (slug) =>
			(await submitBatch(sim, { professional_network_profile_urls: [url(slug)] })).json.batch_id;
		const ids = [await submit('j0'), await submit('j1'), await submit('j2')];
		const page1 = (await call(sim, '/batch?limit=2')).json;
		assert.deepEqual([page1.jobs.map((j) => j.batch_id), page1.has_more], [[ids[2], ids[1]], true]);
		const newer = await submit('j3');
		const page2 = (await call(sim, `/batch?limit=2&cursor=${page1.next_cursor}`)).json;
		assert.deepEqual(
			[page2.jobs.map((j) => j.batch_id), page2.has_more, page2.next_cursor],
			[[ids[0]], false, null],
		);
		assert.equal((await call(sim, '/batch?limit=1')).json.jobs[0].batch_id, newer);
		assert.equal((await call(sim, '/batch?cursor=bm90LWEtbnVtYmVy')).status, 400);
	});
});
