import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startSimulator } from '../index.mjs';
import { call, enrich, url } from './helpers.mjs';

describe('faults', () => {
	let sim;
	before(async () => {
		sim = await startSimulator({
			rateLimit: { limit: 1000, windowMs: 60_000 },
			keys: { 'test-key': { credits: 1000 } },
		});
	});
	after(() => sim.close());
	beforeEach(() => sim.reset());

	const ids = [url('a'), url('b'), url('c')];
	const three = () => enrich(sim, { professional_network_profile_urls: ids });
	const credits = () => sim.credits('test-key');

	it('status: 500 with the documented body, rate headers, no charge', async () => {
		sim.addFault({ kind: 'status', status: 500 });
		const before = credits();
		const res = await three();
		assert.equal(res.status, 500);
		assert.deepEqual(res.json, {
			error: {
				type: 'internal_error',
				message: 'Internal server error. Retry with exponential backoff',
				metadata: [],
			},
		});
		assert.ok(res.headers.get('x-ratelimit-limit'));
		assert.equal(res.headers.get('x-credits-used'), null);
		assert.equal(credits(), before);
		assert.deepEqual(
			[sim.log[0].status, sim.log[0].fault, sim.log[0].creditsUsed],
			[500, 'status', 0],
		);
		assert.equal((await three()).status, 200, 'times defaults to 1');
	});

	it('status: 429 has no body, its own reset headers, and takes no window slot', async () => {
		sim.addFault({ kind: 'status', status: 429, resetSeconds: 2 });
		const res = await three();
		assert.equal(res.status, 429);
		assert.equal(res.text, '');
		assert.equal(res.headers.get('retry-after'), '2');
		assert.equal(res.headers.get('x-ratelimit-reset'), '2');
		assert.equal(res.headers.get('x-ratelimit-remaining'), '0');
		assert.equal((await three()).headers.get('x-ratelimit-remaining'), '999');
	});

	it('status: default bodies for 402, 403, 404; custom body and headers', async () => {
		sim.addFault([
			{ kind: 'status', status: 402 },
			{ kind: 'status', status: 403 },
			{ kind: 'status', status: 404 },
			{ kind: 'status', status: 503, body: { message: 'down' }, headers: { 'Retry-After': '3' } },
		]);
		assert.equal((await three()).json.error.type, 'insufficient_credits');
		assert.deepEqual((await three()).json.error.metadata, [{ denied_fields: ['contact'] }]);
		assert.equal((await three()).json.error.type, 'not_found');
		const custom = await three();
		assert.deepEqual(
			[custom.status, custom.json, custom.headers.get('retry-after')],
			[503, { message: 'down' }, '3'],
		);
	});

	it('nth counts every enrich request since reset, failed ones too', async () => {
		sim.addFault({ kind: 'status', status: 500, nth: 3 });
		assert.equal((await enrich(sim, { business_emails: [] })).status, 400);
		assert.equal((await three()).status, 200);
		assert.equal((await three()).status, 500);
		assert.equal((await three()).status, 200);
	});

	it('identifier matches any request listing it, case-insensitively; times and order', async () => {
		sim.addFault({ kind: 'status', status: 502, identifier: url('B'), times: 2 });
		sim.addFault({ kind: 'status', status: 504, times: Infinity });
		assert.equal(
			(await enrich(sim, { professional_network_profile_urls: [url('b')] })).status,
			502,
			'first added wins',
		);
		assert.equal((await three()).status, 502);
		assert.equal((await three()).status, 504);
		assert.equal((await three()).status, 504);
		sim.clearFaults();
		assert.equal((await three()).status, 200);
	});

	it('path targets other endpoints', async () => {
		sim.addFault({ kind: 'status', status: 500, path: '/account/credits' });
		assert.equal((await three()).status, 200);
		assert.equal((await call(sim, '/account/credits')).status, 500);
	});

	it('delay: answers normally after the delay', async () => {
		sim.addFault({ kind: 'delay', ms: 120 });
		const started = Date.now();
		const res = await three();
		assert.ok(Date.now() - started >= 115);
		assert.equal(res.status, 200);
		assert.equal(sim.log[0].fault, 'delay');
	});

	it('timeout: never answers', async () => {
		sim.addFault({ kind: 'timeout' });
		await assert.rejects(
			fetch(`${sim.url}/person/contact/enrich`, {
				method: 'POST',
				headers: { authorization: 'Bearer test-key', 'x-api-version': '2025-11-01' },
				body: JSON.stringify({ professional_network_profile_urls: ids }),
				signal: AbortSignal.timeout(150),
			}),
			{ name: 'TimeoutError' },
		);
		assert.deepEqual(
			[sim.log[0].status, sim.log[0].fault, sim.log[0].creditsUsed],
			[null, 'timeout', 0],
		);
		assert.equal((await three()).status, 200, 'other requests still answered');
	});

	it('drop: destroys the socket without a response', async () => {
		sim.addFault({ kind: 'drop' });
		const before = credits();
		await assert.rejects(three(), TypeError);
		assert.deepEqual([sim.log[0].status, sim.log[0].fault], [null, 'drop']);
		assert.equal(credits(), before);
	});

	it('malformed: 200 with truncated JSON, not charged', async () => {
		sim.addFault({ kind: 'malformed' });
		const before = credits();
		const res = await three();
		assert.equal(res.status, 200);
		assert.equal(res.text, '[{"matched_on": ');
		assert.match(res.headers.get('content-type'), /application\/json/);
		assert.equal(credits(), before);
	});

	it('short: drops the last entries and charges only the returned ones', async () => {
		sim.addFault([{ kind: 'short' }, { kind: 'short', drop: 2 }]);
		const before = credits();
		const one = await three();
		assert.deepEqual(
			one.json.map((e) => e.matched_on),
			ids.slice(0, 2),
		);
		assert.equal(one.headers.get('x-credits-used'), '10');
		assert.equal((await three()).json.length, 1);
		assert.equal(credits(), before - 15);
	});
});

describe('latencyMs', () => {
	it('slows every enrich response', async () => {
		const sim = await startSimulator({ latencyMs: 80 });
		try {
			const started = Date.now();
			assert.equal((await enrich(sim, { business_emails: ['x@y.com'] })).status, 200);
			assert.ok(Date.now() - started >= 75);
		} finally {
			await sim.close();
		}
	});
});
