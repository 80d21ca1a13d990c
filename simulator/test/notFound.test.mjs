import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startSimulator } from '../index.mjs';
import { enrich, url } from './helpers.mjs';

// The contract tells the API's own JSON 404 ("no match for every identifier") from a 404 that
// is not the API's (a wrong Base URL, a proxy without the route). `status` faults with `body`
// and `headers` already make every variant; these tests pin down how.
const HTML =
	'<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>';

describe('404 variants through status faults', () => {
	let sim;
	before(async () => {
		sim = await startSimulator({ keys: { 'test-key': { credits: 100 } } });
	});
	after(() => sim.close());
	beforeEach(() => sim.reset());

	const send = () => enrich(sim, { professional_network_profile_urls: [url('a')] });

	it("the API's own: JSON {error: {type, message, metadata}}", async () => {
		sim.addFault({ kind: 'status', status: 404 });
		const res = await send();
		assert.equal(res.status, 404);
		assert.equal(res.headers.get('content-type'), 'application/json');
		assert.deepEqual(res.json, {
			error: {
				type: 'not_found',
				message: 'No records found for the given identifiers',
				metadata: [],
			},
		});
	});

	it('an HTML page, content-type text/html', async () => {
		sim.addFault({
			kind: 'status',
			status: 404,
			body: HTML,
			headers: { 'content-type': 'text/html; charset=utf-8' },
		});
		const res = await send();
		assert.equal(res.status, 404);
		assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
		assert.equal(res.text, HTML);
		assert.equal(res.json, undefined);
	});

	it('an empty body, no content-type', async () => {
		sim.addFault({ kind: 'status', status: 404, body: null });
		const res = await send();
		assert.equal(res.status, 404);
		assert.equal(res.text, '');
		assert.equal(res.headers.get('content-type'), null);
		assert.equal(res.headers.get('content-length'), '0');
	});

	it('a foreign JSON shape: {"detail": "Not Found"}', async () => {
		sim.addFault({ kind: 'status', status: 404, body: { detail: 'Not Found' } });
		const res = await send();
		assert.equal(res.status, 404);
		assert.equal(res.headers.get('content-type'), 'application/json');
		assert.equal(res.text, '{"detail":"Not Found"}');
	});

	it('the same over the control surface (body null in JSON), never charged', async () => {
		const post = (fault) =>
			fetch(`${sim.url}/__sim/faults`, { method: 'POST', body: JSON.stringify(fault) });
		await post([
			{ kind: 'status', status: 404, body: HTML, headers: { 'content-type': 'text/html' } },
			{ kind: 'status', status: 404, body: null },
		]);
		const html = await send();
		assert.deepEqual(
			[html.status, html.headers.get('content-type'), html.text],
			[404, 'text/html', HTML],
		);
		const empty = await send();
		assert.deepEqual([empty.status, empty.text], [404, '']);
		assert.equal(sim.credits('test-key'), 100);
		assert.deepEqual(
			sim.log.map((e) => [e.billed, e.creditsUsed]),
			[
				[false, 0],
				[false, 0],
			],
		);
	});
});
