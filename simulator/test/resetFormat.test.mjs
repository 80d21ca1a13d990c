import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startSimulator } from '../index.mjs';
import { ABSURD_RESET, formatReset, SlidingWindowLimiter } from '../rateLimit.mjs';
import { enrich, url } from './helpers.mjs';

const NOW = 1_764_430_000_000; // an epoch in ms, as in the brief's examples

describe('formatReset', () => {
	it('writes a 45 s wait in each format', () => {
		const at = { now: NOW };
		assert.equal(formatReset(45_000, 'seconds', at), '45');
		assert.equal(formatReset(45_000, 'epochSeconds', at), '1764430045');
		assert.equal(formatReset(45_000, 'epochMs', at), '1764430045000');
		assert.equal(formatReset(45_000, 'ms', at), '45000');
		assert.equal(formatReset(45_000, 'absurd', at), '999999999999999');
		assert.equal(ABSURD_RESET, '999999999999999');
	});

	it('rounds up: waiting the printed time is always enough', () => {
		assert.equal(formatReset(44_000.2, 'ms', { now: NOW }), '44001');
		assert.equal(formatReset(44_001, 'epochSeconds', { now: NOW }), '1764430045');
		assert.equal(formatReset(1234, 'seconds', { decimals: 1, now: NOW }), '1.3');
	});
});

describe('SlidingWindowLimiter resetFormat (fake clock)', () => {
	const make = (resetFormat) => {
		const clock = { t: NOW };
		const limiter = new SlidingWindowLimiter(
			{ limit: 1, windowMs: 60_000, resetFormat },
			() => clock.t,
		);
		limiter.admit('k');
		clock.t += 15_000; // the request leaves the window 45 s from now
		return { clock, limiter };
	};

	for (const [format, reset] of [
		['seconds', '45'],
		['epochSeconds', '1764430060'],
		['epochMs', '1764430060000'],
		['ms', '45000'],
		['absurd', '999999999999999'],
	]) {
		it(`${format}: x-ratelimit-reset and retry-after are ${reset}`, () => {
			const { limiter } = make(format);
			assert.equal(limiter.admit('k'), null);
			assert.deepEqual(limiter.rejectHeaders('k'), {
				'x-ratelimit-limit': '1',
				'x-ratelimit-remaining': '0',
				'x-ratelimit-reset': reset,
				'retry-after': reset,
			});
		});
	}

	it('epochMs: the window end holds while the clock ticks between readings', () => {
		// A clock that moves 1 ms at every reading, as a busy machine's can between two calls.
		const clock = { t: NOW };
		const limiter = new SlidingWindowLimiter(
			{ limit: 1, windowMs: 60_000, resetFormat: 'epochMs' },
			() => clock.t++,
		);
		const slot = limiter.admit('k');
		const ends = [limiter.headers('k'), limiter.rejectHeaders('k')].map(
			(h) => h['x-ratelimit-reset'],
		);
		assert.deepEqual(ends, [String(slot + 60_000), String(slot + 60_000)]);
	});

	it('defaults to seconds and refuses an unknown format', () => {
		assert.equal(new SlidingWindowLimiter().resetFormat, 'seconds');
		assert.throws(() => new SlidingWindowLimiter({ resetFormat: 'minutes' }), /resetFormat/);
	});
});

describe('resetFormat over HTTP', () => {
	let sim;
	before(async () => {
		sim = await startSimulator({
			rateLimit: { limit: 1, windowMs: 60_000 },
			resetFormat: 'epochMs',
			keys: { 'test-key': {}, k2: {}, k3: {}, k4: {} },
		});
	});
	after(() => sim.close());
	beforeEach(() => {
		sim.reset();
		sim.setResetFormat('epochMs');
	});

	const one = (key = 'test-key') =>
		enrich(sim, { professional_network_profile_urls: [url('ada')] }, { key });

	it('option resetFormat: epochMs on the 200 and on the real 429 (both headers)', async () => {
		const ok = await one();
		const admittedAt = sim.log[0].at;
		const reset = Number(ok.headers.get('x-ratelimit-reset'));
		assert.match(ok.headers.get('x-ratelimit-reset'), /^\d{13}$/);
		// The window holds this request: it ends windowMs after it was admitted.
		assert.ok(reset >= admittedAt + 60_000 && reset <= Date.now() + 60_000, `reset ${reset}`);
		const limited = await one();
		assert.equal(limited.status, 429);
		assert.equal(limited.headers.get('x-ratelimit-reset'), String(reset), 'the same window end');
		assert.equal(limited.headers.get('retry-after'), String(reset));
	});

	it('setResetFormat switches at runtime: seconds, epochSeconds, ms, absurd', async () => {
		sim.setResetFormat('seconds');
		assert.equal((await one('test-key')).headers.get('x-ratelimit-reset'), '60');
		sim.setResetFormat('epochSeconds');
		const epochS = (await one('k2')).headers.get('x-ratelimit-reset');
		assert.match(epochS, /^\d{10}$/);
		assert.ok(Math.abs(Number(epochS) - (Date.now() + 60_000) / 1000) < 2);
		sim.setResetFormat('ms');
		const ms = Number((await one('k3')).headers.get('x-ratelimit-reset'));
		assert.ok(ms > 59_000 && ms <= 60_000, `ms ${ms}`);
		sim.setResetFormat('absurd');
		assert.equal((await one('k4')).headers.get('x-ratelimit-reset'), '999999999999999');
		assert.throws(() => sim.setResetFormat('minutes'), /resetFormat/);
	});

	it('POST /__sim/settings {resetFormat}; a bad value is a 400 and changes nothing', async () => {
		const settings = (body) =>
			fetch(`${sim.url}/__sim/settings`, { method: 'POST', body: JSON.stringify(body) });
		const ok = await settings({ resetFormat: 'ms' });
		assert.deepEqual([ok.status, await ok.json()], [200, { ok: true }]);
		const bad = await settings({ resetFormat: 'ms', creditsShape: 'bogus' });
		assert.equal(bad.status, 400);
		assert.equal((await settings({ resetFormat: 'hours' })).status, 400);
		assert.match((await one()).headers.get('x-ratelimit-reset'), /^\d{5}$/, 'still ms');
	});

	it('a 429 status fault follows the simulator format; its own resetFormat wins', async () => {
		sim.addFault([
			{ kind: 'status', status: 429, resetSeconds: 2 },
			{ kind: 'status', status: 429, resetSeconds: 2, resetFormat: 'ms' },
			{ kind: 'status', status: 429, resetSeconds: 2, resetFormat: 'absurd' },
			{ kind: 'status', status: 429, resetSeconds: 2, resetFormat: 'epochSeconds' },
		]);
		const startedAt = Date.now();
		const epochMs = await one();
		const value = Number(epochMs.headers.get('retry-after'));
		assert.ok(value >= startedAt + 2000 && value <= Date.now() + 2000, `epochMs ${value}`);
		assert.equal(epochMs.headers.get('x-ratelimit-reset'), String(value));
		const ms = await one();
		assert.deepEqual(
			[ms.headers.get('x-ratelimit-reset'), ms.headers.get('retry-after')],
			['2000', '2000'],
		);
		assert.equal((await one()).headers.get('retry-after'), '999999999999999');
		const epochS = Number((await one()).headers.get('retry-after'));
		assert.ok(Math.abs(epochS - (Date.now() + 2000) / 1000) < 2);
		assert.throws(() => sim.addFault({ kind: 'status', status: 429, resetFormat: 'x' }));
	});
});

describe('resetFormat default', () => {
	it('stays seconds to wait, and a 429 fault prints resetSeconds as given', async () => {
		const sim = await startSimulator({ resetDecimals: 3 });
		try {
			const res = await enrich(sim, { professional_network_profile_urls: [url('a')] });
			assert.match(res.headers.get('x-ratelimit-reset'), /^(60\.000|59\.9\d\d)$/);
			sim.addFault({ kind: 'status', status: 429, resetSeconds: 2 });
			const limited = await enrich(sim, { professional_network_profile_urls: [url('a')] });
			assert.equal(limited.headers.get('retry-after'), '2');
		} finally {
			await sim.close();
		}
	});

	it('startSimulator refuses an unknown resetFormat', async () => {
		await assert.rejects(startSimulator({ resetFormat: 'minutes' }), /resetFormat/);
	});
});
