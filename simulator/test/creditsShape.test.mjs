import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startSimulator } from '../index.mjs';
import { call } from './helpers.mjs';

const KEYS = {
	'test-key': {},
	counted: { credits: 12, recurringCredits: 500 },
	plain: { credits: 7 },
};

async function withSim(options, body) {
	const sim = await startSimulator({ keys: KEYS, ...options });
	try {
		await body(sim);
	} finally {
		await sim.close();
	}
}

describe('GET /account/credits shapes', () => {
	it("default 'flat': {credits} (auth.test.mjs relies on it)", () =>
		withSim({}, async (sim) => {
			assert.deepEqual((await call(sim, '/account/credits', { key: 'counted' })).json, {
				credits: 12,
			});
		}));

	it("creditsShape 'account': the documented {account: {credits, recurring_credits}}", () =>
		withSim({ creditsShape: 'account' }, async (sim) => {
			const res = await call(sim, '/account/credits', { key: 'counted' });
			assert.equal(res.status, 200);
			assert.deepEqual(res.json, { account: { credits: 12, recurring_credits: 500 } });
			assert.equal(res.headers.get('x-credits-used'), null, 'free');
			assert.deepEqual((await call(sim, '/account/credits', { key: 'plain' })).json, {
				account: { credits: 7, recurring_credits: 0 },
			});
			assert.deepEqual((await call(sim, '/account/credits')).json, {
				account: { credits: 1_000_000_000, recurring_credits: 0 },
			});
		}));

	it('switches at runtime: sim.setCreditsShape and POST /__sim/settings', () =>
		withSim({}, async (sim) => {
			sim.setCreditsShape('account');
			assert.deepEqual((await call(sim, '/account/credits', { key: 'plain' })).json, {
				account: { credits: 7, recurring_credits: 0 },
			});
			const res = await fetch(`${sim.url}/__sim/settings`, {
				method: 'POST',
				body: JSON.stringify({ creditsShape: 'flat' }),
			});
			assert.equal(res.status, 200);
			assert.deepEqual((await call(sim, '/account/credits', { key: 'plain' })).json, {
				credits: 7,
			});
			assert.throws(() => sim.setCreditsShape('nested'), /creditsShape/);
		}));

	it('refuses an unknown shape at start', async () => {
		await assert.rejects(startSimulator({ creditsShape: 'nested' }), /creditsShape/);
	});
});
