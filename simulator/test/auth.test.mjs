import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startSimulator } from '../index.mjs';
import { call, enrich, url } from './helpers.mjs';

describe('auth, version header, account endpoints, log', () => {
	let sim;
	before(async () => {
		sim = await startSimulator({
			keys: {
				'test-key': {},
				'secret-key-123': {},
				'no-contact': { contactAccess: false, credits: 12 },
			},
		});
	});
	after(() => sim.close());
	beforeEach(() => sim.reset());

	it('answers 401 in the gateway shape without a key', async () => {
		const res = await enrich(sim, { professional_network_profile_urls: [url('a')] }, { key: null });
		assert.equal(res.status, 401);
		assert.deepEqual(res.json, { message: 'Missing API key in request' });
		assert.equal(res.headers.get('x-ratelimit-limit'), null, 'no rate headers before auth');
	});

	it('answers 401 Invalid for an unknown key and for a revoked one', async () => {
		assert.deepEqual((await call(sim, '/account/credits', { key: 'nope' })).json, {
			message: 'Invalid API key in request',
		});
		sim.setKey('temp', {});
		assert.equal((await call(sim, '/account/credits', { key: 'temp' })).status, 200);
		sim.revokeKey('temp');
		const res = await call(sim, '/account/credits', { key: 'temp' });
		assert.equal(res.status, 401);
		assert.deepEqual(res.json, { message: 'Invalid API key in request' });
	});

	it('checks auth before the version header', async () => {
		assert.equal((await call(sim, '/account/credits', { key: 'nope', version: null })).status, 401);
	});

	it('requires x-api-version 2025-11-01 once auth passed', async () => {
		const missing = await enrich(
			sim,
			{ professional_network_profile_urls: [url('a')] },
			{ version: null },
		);
		assert.equal(missing.status, 400);
		assert.equal(missing.json.error.type, 'invalid_request');
		assert.equal(missing.json.error.message, 'Missing required header: x-api-version');
		assert.deepEqual(missing.json.error.metadata, []);
		assert.equal(
			missing.headers.get('x-ratelimit-limit'),
			'15',
			'errors after auth carry rate headers',
		);
		const wrong = await call(sim, '/account/credits', { version: '2024-01-01' });
		assert.equal(wrong.status, 400);
		assert.match(wrong.json.error.message, /x-api-version/);
	});

	it('reports credits for free, without x-credits-used', async () => {
		const res = await call(sim, '/account/credits', { key: 'no-contact' });
		assert.deepEqual(res.json, { credits: 12 });
		assert.equal(res.headers.get('x-credits-used'), null);
		assert.match(res.headers.get('x-request-id'), /^[0-9a-f-]{36}$/);
		assert.ok(
			(await call(sim, '/account/credits')).json.credits >= 1e9,
			'unlimited is a big number',
		);
	});

	it('lists endpoints with the rate limit and contact access', async () => {
		const find = (res) => res.json.endpoints.find((e) => e.endpoint === '/person/contact/enrich');
		const ok = find(await call(sim, '/account/endpoints'));
		assert.equal(ok.status, 'enabled');
		assert.equal(ok.effective_rate_limit_rpm, 15);
		assert.equal(
			find(await call(sim, '/account/endpoints', { key: 'no-contact' })).status,
			'not_enabled',
		);
	});

	it('logs every request in order with the key masked', async () => {
		await enrich(
			sim,
			{ professional_network_profile_urls: [url('a')], fields: ['contact'] },
			{ key: 'secret-key-123' },
		);
		await call(sim, '/account/credits', { key: null });
		assert.equal(sim.log.length, 2);
		const [first, second] = sim.log;
		assert.equal(first.seq, 1);
		assert.equal(first.key, 'se***');
		assert.equal(first.status, 200);
		assert.equal(first.apiVersion, '2025-11-01');
		assert.equal(first.identifierKey, 'professional_network_profile_urls');
		assert.deepEqual(first.identifiers, [url('a')]);
		assert.deepEqual(first.fields, ['contact']);
		assert.equal(first.creditsUsed, 5);
		assert.equal(second.key, null);
		assert.equal(second.status, 401);
		assert.equal(sim.enrichLog().length, 1);
		const remote = await (await fetch(`${sim.url}/__sim/log`)).text();
		assert.ok(
			!remote.includes('secret-key-123') && !JSON.stringify(sim.log).includes('secret-key-123'),
		);
	});

	it('is steerable over the /__sim control surface', async () => {
		const post = (path, body) =>
			fetch(sim.url + path, { method: 'POST', body: JSON.stringify(body) });
		await post('/__sim/keys', { key: 'remote', settings: { credits: 3 } });
		assert.deepEqual((await call(sim, '/account/credits', { key: 'remote' })).json, { credits: 3 });
		await fetch(`${sim.url}/__sim/keys/remote`, { method: 'DELETE' });
		assert.equal((await call(sim, '/account/credits', { key: 'remote' })).status, 401);
		assert.equal((await post('/__sim/faults', [{ kind: 'status', status: 500 }])).status, 200);
		assert.equal(
			(await enrich(sim, { professional_network_profile_urls: [url('a')] })).status,
			500,
		);
		await post('/__sim/faults', { kind: 'status', status: 503, times: 'Infinity' });
		await fetch(`${sim.url}/__sim/faults`, { method: 'DELETE' });
		assert.equal(
			(await enrich(sim, { professional_network_profile_urls: [url('a')] })).status,
			200,
		);
		assert.equal((await post('/__sim/faults', { kind: 'bogus' })).status, 400);
		await post('/__sim/reset');
		assert.deepEqual(await (await fetch(`${sim.url}/__sim/log`)).json(), []);
	});
});
