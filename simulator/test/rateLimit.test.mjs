import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startSimulator } from '../index.mjs';
import { SlidingWindowLimiter } from '../rateLimit.mjs';
import { enrich, sleep, url } from './helpers.mjs';

describe('SlidingWindowLimiter (fake clock)', () => {
	const make = (options) => {
		const clock = { t: 1_000_000 };
		return { clock, limiter: new SlidingWindowLimiter(options, () => clock.t) };
	};

	it('slides: each request leaves the window windowMs after it was admitted', () => {
		const { clock, limiter } = make({ limit: 2, windowMs: 1000 });
		assert.notEqual(limiter.admit('k'), null);
		clock.t += 600;
		assert.notEqual(limiter.admit('k'), null);
		assert.equal(limiter.admit('k'), null, 'full');
		assert.equal(limiter.headers('k')['x-ratelimit-reset'], '1', 'ceil(400 ms)');
		clock.t += 400; // the first one has left, the second has not
		assert.deepEqual(limiter.headers('k'), {
			'x-ratelimit-limit': '2',
			'x-ratelimit-remaining': '1',
			'x-ratelimit-reset': '1',
		});
		assert.notEqual(limiter.admit('k'), null);
		assert.equal(limiter.admit('k'), null);
	});

	it('reports the full window when empty, and rejected requests do not count', () => {
		const { clock, limiter } = make({ limit: 1, windowMs: 60_000 });
		assert.equal(limiter.headers('k')['x-ratelimit-reset'], '60');
		limiter.admit('k');
		clock.t += 1001;
		assert.equal(limiter.admit('k'), null);
		assert.deepEqual(limiter.rejectHeaders('k'), {
			'x-ratelimit-limit': '1',
			'x-ratelimit-remaining': '0',
			'x-ratelimit-reset': '59',
			'retry-after': '59',
		});
		clock.t += 58_999;
		assert.notEqual(limiter.admit('k'), null, 'the rejected request did not extend the window');
	});

	it('prints reset with resetDecimals decimals, rounded up', () => {
		const { clock, limiter } = make({ limit: 3, windowMs: 300, resetDecimals: 3 });
		limiter.admit('k');
		clock.t += 13;
		assert.equal(limiter.headers('k')['x-ratelimit-reset'], '0.287');
		assert.equal(new SlidingWindowLimiter({ resetDecimals: 1 }).formatSeconds(1234), '1.3');
	});

	it('keeps one window per key and can release a slot', () => {
		const { limiter } = make({ limit: 1, windowMs: 1000 });
		const slot = limiter.admit('a');
		assert.notEqual(limiter.admit('b'), null);
		limiter.release('a', slot);
		assert.notEqual(limiter.admit('a'), null);
	});
});

describe('rate limiting over HTTP (limit 3 per 500 ms)', () => {
	let sim;
	before(async () => {
		sim = await startSimulator({
			keys: { 'test-key': {}, other: {} },
			rateLimit: { limit: 3, windowMs: 500 },
			resetDecimals: 3,
		});
	});
	after(() => sim.close());
	beforeEach(() => sim.reset()); // also empties the rate windows

	const one = (options) =>
		enrich(sim, { professional_network_profile_urls: [url('ada')] }, options);

	it('sends the rate headers on every enrich response', async () => {
		const res = await one();
		assert.equal(res.headers.get('x-ratelimit-limit'), '3');
		assert.equal(res.headers.get('x-ratelimit-remaining'), '2');
		const reset = Number(res.headers.get('x-ratelimit-reset'));
		assert.ok(reset > 0 && reset <= 0.5, `reset ${reset}`);
		assert.match(res.headers.get('x-ratelimit-reset'), /^0\.\d{3}$/);
		assert.match(res.headers.get('x-request-id'), /^[0-9a-f]{8}-[0-9a-f]{4}-4/);
	});

	it('answers the 4th request in the window 429 without a body, then admits after retry-after', async () => {
		for (const remaining of ['2', '1', '0'])
			assert.equal((await one()).headers.get('x-ratelimit-remaining'), remaining);
		const limited = await one();
		assert.equal(limited.status, 429);
		assert.equal(limited.text, '');
		assert.equal(limited.headers.get('x-ratelimit-remaining'), '0');
		assert.equal(limited.headers.get('retry-after'), limited.headers.get('x-ratelimit-reset'));
		assert.equal(sim.log.at(-1).creditsUsed, 0);
		await sleep(Number(limited.headers.get('retry-after')) * 1000 + 5);
		assert.equal((await one()).status, 200);
	});

	it('counts neither validation failures nor other keys', async () => {
		for (let i = 0; i < 3; i++) {
			const bad = await enrich(sim, { professional_network_profile_urls: [] });
			assert.equal(bad.status, 400);
			assert.equal(bad.headers.get('x-ratelimit-remaining'), '3');
			assert.equal(bad.headers.get('x-ratelimit-reset'), '0.500', 'empty window: the full window');
		}
		for (let i = 0; i < 3; i++) assert.equal((await one()).status, 200);
		assert.equal((await one({ key: 'other' })).status, 200);
		assert.equal((await one()).status, 429);
	});
});

describe('rateLimitBody: true', () => {
	it('gives the 429 a JSON body', async () => {
		const sim = await startSimulator({
			rateLimit: { limit: 1, windowMs: 5000 },
			rateLimitBody: true,
		});
		try {
			await enrich(sim, { professional_network_profile_urls: [url('a')] });
			const res = await enrich(sim, { professional_network_profile_urls: [url('a')] });
			assert.equal(res.status, 429);
			assert.equal(res.json.error.type, 'rate_limit_exceeded');
			assert.equal(res.headers.get('retry-after'), '5');
		} finally {
			await sim.close();
		}
	});
});
