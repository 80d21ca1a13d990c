import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startSimulator } from '../index.mjs';
import { SlidingWindowLimiter } from '../rateLimit.mjs';
import { enrich, sleep, url } from './helpers.mjs';

describe('most requests in one window (fake clock)', () => {
	const make = () => {
		const clock = { t: 1_000_000 };
		return {
			clock,
			limiter: new SlidingWindowLimiter({ limit: 3, windowMs: 1000 }, () => clock.t),
		};
	};

	it('counts admitted requests per sliding window, and attempts (refused too) apart', () => {
		const { clock, limiter } = make();
		for (const dt of [0, 100, 100]) {
			clock.t += dt;
			assert.notEqual(limiter.admit('k'), null);
		}
		clock.t += 100;
		assert.equal(limiter.admit('k'), null, 'the 4th within 1 s is refused');
		clock.t += 700; // t0 + 1000: the first request has just left the window
		assert.notEqual(limiter.admit('k'), null);
		assert.equal(limiter.maxAdmittedInWindow('k'), 3);
		assert.equal(limiter.maxAttemptsInWindow('k'), 4, 't0+0..300: three admitted, one refused');
		assert.equal(limiter.maxAdmittedInWindow('other'), 0);
		assert.equal(limiter.maxAdmittedInWindow(), 3, 'no key: the fullest key');
		limiter.clear();
		assert.deepEqual([limiter.maxAdmittedInWindow(), limiter.maxAttemptsInWindow()], [0, 0]);
	});

	it('a released slot (a simulated 429) is not counted as admitted', () => {
		const { limiter } = make();
		const slot = limiter.admit('k');
		limiter.release('k', slot);
		limiter.admit('k');
		assert.equal(limiter.maxAdmittedInWindow('k'), 1);
		assert.equal(limiter.maxAttemptsInWindow('k'), 2);
	});

	it('requests windowMs apart are never in one window', () => {
		const { clock, limiter } = make();
		for (let i = 0; i < 6; i++) {
			limiter.admit('k');
			if (i % 2) clock.t += 1000;
		}
		assert.equal(limiter.maxAdmittedInWindow('k'), 2);
	});
});

describe('sim.maxRequestsInWindow / maxAttemptsInWindow over HTTP', () => {
	let sim;
	before(async () => {
		sim = await startSimulator({
			rateLimit: { limit: 3, windowMs: 400 },
			keys: { 'test-key': {}, other: {} },
		});
	});
	after(() => sim.close());
	beforeEach(() => sim.reset());

	const one = (key) => enrich(sim, { professional_network_profile_urls: [url('a')] }, { key });

	it('a client that ignores the headers: 3 admitted, 5 attempted in one window', async () => {
		const statuses = [];
		for (let i = 0; i < 5; i++) statuses.push((await one()).status);
		assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
		assert.equal(sim.maxRequestsInWindow('test-key'), 3);
		assert.equal(sim.maxAttemptsInWindow('test-key'), 5);
		assert.equal(sim.maxRequestsInWindow('other'), 0);
		assert.equal(sim.maxRequestsInWindow(), 3);
		const stats = await (await fetch(`${sim.url}/__sim/stats`)).json();
		assert.equal(stats.maxRequestsInWindow, 3);
		assert.equal(stats.maxAttemptsInWindow, 5);
	});

	it('a paced client: 2 per window, never more', async () => {
		await one();
		await one();
		await sleep(420);
		await one();
		await one();
		assert.equal(sim.maxRequestsInWindow(), 2);
		assert.equal(sim.maxAttemptsInWindow(), 2);
	});

	it('a 429 status fault does not count as admitted; validation failures are not attempts', async () => {
		sim.addFault({ kind: 'status', status: 429 });
		assert.equal((await one()).status, 429);
		assert.equal((await enrich(sim, { professional_network_profile_urls: [] })).status, 400);
		assert.equal((await one()).status, 200);
		assert.equal(sim.maxRequestsInWindow(), 1);
		assert.equal(sim.maxAttemptsInWindow(), 2);
		sim.reset();
		assert.equal(sim.maxRequestsInWindow(), 0);
	});
});
