import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startSimulator } from '../index.mjs';
import { call, enrich, postGivingUp, sleep, submitBatch, url, waitForJob } from './helpers.mjs';

const ENRICH = '/person/contact/enrich';
const SUBMIT = '/batch/person/contact/enrich';
const THREE = [url('a'), url('b'), url('c')]; // 5 credits each: every tier, deliverable
const ALL_TIERS = ['contact.business_emails', 'contact.personal_emails', 'contact.phone_numbers'];
const ALL_BATCH = ['business_email', 'personal_contact_info'];

describe('billThenDelay and billThenDrop on enrich', () => {
	let sim;
	before(async () => {
		sim = await startSimulator({
			rateLimit: { limit: 1000, windowMs: 60_000 },
			keys: { 'test-key': { credits: 1000 }, poor: { credits: 4 } },
		});
	});
	after(() => sim.close());
	beforeEach(() => sim.reset());

	it('billThenDelay without ms: charged at once, never answered', async () => {
		sim.addFault({ kind: 'billThenDelay' });
		const before = sim.credits('test-key');
		const error = await postGivingUp(sim, ENRICH, { professional_network_profile_urls: THREE });
		assert.equal(error.name, 'TimeoutError');
		const [entry] = sim.log;
		assert.deepEqual(
			[entry.status, entry.fault, entry.billed, entry.creditsUsed],
			[null, 'billThenDelay', true, 15],
		);
		assert.equal(sim.credits('test-key'), before - 15);
		assert.equal(sim.creditsCharged('test-key'), 15);
		assert.deepEqual(sim.billing(), [
			{
				at: sim.billing()[0].at,
				kind: 'enrich',
				key: 'te***',
				requestId: entry.requestId,
				seq: 1,
				credits: 15,
				matched: 3,
			},
		]);
		assert.ok(sim.billing()[0].at >= entry.at);
		assert.equal(
			(await enrich(sim, { professional_network_profile_urls: [url('d')] })).status,
			200,
		);
	});

	it('billThenDelay with ms: a client that gave up was still charged; the late 200 goes nowhere', async () => {
		sim.addFault({ kind: 'billThenDelay', ms: 250 });
		const error = await postGivingUp(
			sim,
			ENRICH,
			{ professional_network_profile_urls: THREE },
			100,
		);
		assert.equal(error.name, 'TimeoutError');
		assert.deepEqual([sim.log[0].billed, sim.log[0].creditsUsed], [true, 15]);
		await sleep(300);
		assert.equal(sim.log[0].status, null, 'the answer could not be delivered');
		assert.equal(sim.creditsCharged(), 15);
	});

	it('billThenDelay with ms: a patient client gets the normal 200 late', async () => {
		sim.addFault({ kind: 'billThenDelay', ms: 120 });
		const started = Date.now();
		const res = await enrich(sim, { professional_network_profile_urls: THREE });
		assert.ok(Date.now() - started >= 115);
		assert.equal(res.status, 200);
		assert.equal(res.headers.get('x-credits-used'), '15');
		assert.deepEqual(
			res.json.map((e) => e.matched_on),
			THREE,
		);
		assert.deepEqual([sim.log[0].status, sim.log[0].billed], [200, true]);
	});

	it('billThenDrop: charged, then the socket is destroyed', async () => {
		sim.addFault({ kind: 'billThenDrop' });
		const before = sim.credits('test-key');
		await assert.rejects(enrich(sim, { professional_network_profile_urls: THREE }), TypeError);
		const [entry] = sim.log;
		assert.deepEqual(
			[entry.status, entry.fault, entry.billed, entry.creditsUsed],
			[null, 'billThenDrop', true, 15],
		);
		assert.equal(sim.credits('test-key'), before - 15);
		assert.equal(sim.creditsCharged(), 15);
	});

	it('a request that cannot be paid gets its 402 at once and is not billed', async () => {
		sim.addFault({ kind: 'billThenDelay' });
		const res = await enrich(sim, { professional_network_profile_urls: THREE }, { key: 'poor' });
		assert.equal(res.status, 402);
		assert.deepEqual([sim.log[0].billed, sim.log[0].creditsUsed], [false, 0]);
		assert.equal(sim.credits('poor'), 4);
		assert.deepEqual(sim.billing(), []);
	});

	it('plain drop and timeout still bill nothing', async () => {
		sim.addFault([{ kind: 'drop' }, { kind: 'timeout' }]);
		await assert.rejects(enrich(sim, { professional_network_profile_urls: THREE }), TypeError);
		await postGivingUp(sim, ENRICH, { professional_network_profile_urls: THREE });
		assert.deepEqual(
			sim.log.map((e) => [e.fault, e.billed, e.creditsUsed]),
			[
				['drop', false, 0],
				['timeout', false, 0],
			],
		);
		assert.equal(sim.creditsCharged(), 0);
	});

	it('the ledger lists every processed 200 (no-match ones at 0) and totals per key', async () => {
		await enrich(sim, { professional_network_profile_urls: THREE });
		await enrich(sim, { professional_network_profile_urls: [url('nomatch-1')] });
		await enrich(sim, { professional_network_profile_urls: [url('a')] }, { key: 'poor' }); // 402
		await enrich(
			sim,
			{ business_emails: ['ada@acme.com'], fields: ['contact.business_emails'] },
			{ key: 'poor' },
		);
		assert.deepEqual(
			sim.billing().map((r) => [r.key, r.seq, r.credits, r.matched]),
			[
				['te***', 1, 15, 3],
				['te***', 2, 0, 0],
				['po***', 4, 1, 1],
			],
		);
		assert.deepEqual(
			sim.log.map((e) => e.billed),
			[true, true, false, true],
		);
		assert.equal(sim.creditsCharged(), 16);
		assert.equal(sim.creditsCharged('test-key'), 15);
		assert.equal(sim.creditsCharged('poor'), 1);
		assert.equal(sim.creditsCharged('nobody'), 0);
		const remote = await (await fetch(`${sim.url}/__sim/billing`)).json();
		assert.equal(remote.total, 16);
		assert.equal(remote.records.length, 3);
		assert.ok(!JSON.stringify(remote).includes('test-key'), 'keys masked');
		sim.reset();
		assert.deepEqual([sim.creditsCharged(), sim.billing()], [0, []]);
	});
});

describe('billing batch jobs', () => {
	let sim;
	before(async () => {
		sim = await startSimulator({
			rateLimit: { limit: 1000, windowMs: 60_000 },
			batch: { pendingMs: 40, processingMs: 40 },
			keys: { 'test-key': { credits: 1000 }, poor: { credits: 3 } },
		});
	});
	after(() => sim.close());
	beforeEach(() => sim.reset());

	const MIXED = [url('ada'), url('nomatch-x'), url('bob-nophone'), url('carl-nobiz')];

	it('charges on completion, per matched record, the same as enrich for the same data', async () => {
		const res = await submitBatch(sim, {
			professional_network_profile_urls: MIXED,
			fields: ALL_BATCH,
		});
		assert.equal(res.headers.get('x-credits-used'), null, 'a submit reports no credits');
		const { batch_id } = res.json;
		assert.equal(sim.creditsCharged(), 0, 'nothing charged while pending');
		const done = await waitForJob(sim, batch_id, 'completed');
		// ada 1+2+2, nomatch 0, bob-nophone 1+2, carl-nobiz 2+2
		assert.equal(sim.creditsCharged('test-key'), 12);
		assert.equal(sim.credits('test-key'), 988);
		assert.deepEqual(sim.billing(), [
			{
				at: Date.parse(done.completed_at),
				kind: 'batch',
				key: 'te***',
				requestId: sim.log[0].requestId,
				batchId: batch_id,
				credits: 12,
				matched: 3,
			},
		]);
		const sync = await enrich(sim, { professional_network_profile_urls: MIXED, fields: ALL_TIERS });
		assert.equal(sync.headers.get('x-credits-used'), '12', 'the same price by either channel');
		assert.equal(sim.creditsCharged(), 24);
		assert.deepEqual(
			sim.billing().map((r) => r.kind),
			['batch', 'enrich'],
		);
		assert.deepEqual(
			sim.batchJobs().map((j) => [j.batchId, j.price, j.charged, j.matched, j.status]),
			[[batch_id, 12, 12, 3, 'completed']],
		);
	});

	it('prices only the requested fields, with +0.5 for a kept verified business email', async () => {
		const urls = [url('ada'), url('dan-catchall')];
		const { batch_id } = (
			await submitBatch(sim, { professional_network_profile_urls: urls, verified: true })
		).json;
		await waitForJob(sim, batch_id, 'completed');
		assert.equal(sim.creditsCharged(), 1.5);
		const sync = await enrich(sim, {
			professional_network_profile_urls: urls,
			fields: ['contact.business_emails'],
			verified: true,
		});
		assert.equal(sync.headers.get('x-credits-used'), '1.5');
	});

	it('a failed job costs nothing', async () => {
		sim.addFault({ kind: 'batchFail' });
		const { batch_id } = (await submitBatch(sim, { professional_network_profile_urls: [url('a')] }))
			.json;
		await waitForJob(sim, batch_id, 'failed');
		assert.equal(sim.creditsCharged(), 0);
		assert.equal(sim.batchJobs()[0].charged, null);
	});

	it('a completion never runs a balance negative: the account is charged what is left', async () => {
		const { batch_id } = (
			await submitBatch(
				sim,
				{ professional_network_profile_urls: [url('ada')], fields: ALL_BATCH },
				{ key: 'poor' },
			)
		).json;
		await waitForJob(sim, batch_id, 'completed', 'poor');
		assert.equal(sim.credits('poor'), 0);
		assert.equal(sim.creditsCharged('poor'), 3);
		assert.deepEqual(
			sim.batchJobs('poor').map((j) => [j.price, j.charged]),
			[[5, 3]],
		);
	});

	it('billThenDrop on a submit: the job is created, the socket destroyed', async () => {
		sim.addFault({ kind: 'billThenDrop', path: SUBMIT });
		await assert.rejects(
			submitBatch(sim, { professional_network_profile_urls: [url('a')] }),
			TypeError,
		);
		const [entry] = sim.log;
		assert.deepEqual([entry.status, entry.fault], [null, 'billThenDrop']);
		assert.match(entry.batchId, /^[0-9a-f-]{36}$/);
		const job = await waitForJob(sim, entry.batchId, 'completed');
		assert.equal(job.identifier_count, 1);
		assert.equal(sim.creditsCharged(), 1, 'the job ran and was billed');
	});
});

describe('billThenDelay on a batch submit: the job exists and counts as active', () => {
	let sim;
	before(async () => {
		sim = await startSimulator({ batch: { pendingMs: 3000, processingMs: 0 } });
	});
	after(() => sim.close());
	beforeEach(() => sim.reset());

	it('a timed-out submit that created a job, which GET /batch then shows', async () => {
		sim.addFault({ kind: 'billThenDelay', path: SUBMIT });
		const urls = [url('t1'), url('t2'), url('t3')];
		const sentAt = Date.now();
		const error = await postGivingUp(sim, SUBMIT, {
			professional_network_profile_urls: urls,
			fields: ['business_email'],
		});
		const gaveUpAt = Date.now();
		assert.equal(error.name, 'TimeoutError');
		const [entry] = sim.log;
		assert.deepEqual([entry.status, entry.fault], [null, 'billThenDelay']);
		assert.match(entry.batchId, /^[0-9a-f-]{36}$/);

		// What a client does before submitting again: look for a job of this size made then.
		const { jobs } = (await call(sim, '/batch?status=pending')).json;
		const found = jobs.filter(
			(j) =>
				j.identifier_count === urls.length &&
				Date.parse(j.created_at) >= sentAt &&
				Date.parse(j.created_at) <= gaveUpAt,
		);
		assert.deepEqual(
			found.map((j) => j.batch_id),
			[entry.batchId],
		);
		assert.deepEqual(
			[found[0].status, found[0].result_count, found[0].completed_at],
			['pending', null, null],
		);

		// It counts against the 5 active jobs: four more are accepted, the sixth is refused.
		for (let i = 0; i < 4; i++)
			assert.equal(
				(await submitBatch(sim, { professional_network_profile_urls: [url(`p${i}`)] })).status,
				200,
			);
		assert.equal(
			(await submitBatch(sim, { professional_network_profile_urls: [url('p5')] })).status,
			429,
		);
		assert.equal(sim.maxActiveJobsSeen('test-key'), 5);
	});

	it('with ms, a patient client gets the usual submit answer late', async () => {
		sim.addFault({ kind: 'billThenDelay', path: SUBMIT, ms: 100 });
		const started = Date.now();
		const res = await submitBatch(sim, { professional_network_profile_urls: [url('a')] });
		assert.ok(Date.now() - started >= 95);
		assert.equal(res.status, 200);
		assert.equal(res.json.batch_id, sim.log[0].batchId);
		assert.equal(res.json.status, 'pending');
	});
});
