import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startSimulator } from '../index.mjs';
import { respell } from '../respell.mjs';
import { enrich, url } from './helpers.mjs';

const URLS = 'professional_network_profile_urls';
const EMAILS = 'business_emails';

describe('respell (the spellings themselves)', () => {
	it('writes each profile URL spelling as documented', () => {
		assert.equal(
			respell('https://www.linkedin.com/in/jos%C3%A9', URLS, 'decoded'),
			'https://www.linkedin.com/in/josé',
		);
		assert.equal(respell(url('ada'), URLS, 'noWww'), 'https://linkedin.com/in/ada');
		assert.equal(respell(url('ada'), URLS, 'trailingSlash'), 'https://www.linkedin.com/in/ada/');
		assert.equal(respell(`${url('ada')}/`, URLS, 'trailingSlash'), url('ada'));
		assert.equal(respell(url('ada'), URLS, 'http'), 'http://www.linkedin.com/in/ada');
		assert.equal(respell(url('ada'), URLS, 'upper'), 'HTTPS://WWW.LINKEDIN.COM/in/ADA');
	});

	it('falls back to a spelling that changes something', () => {
		assert.equal(respell(url('ada'), URLS, 'decoded'), 'https://linkedin.com/in/ada', 'no escapes');
		assert.equal(
			respell('https://linkedin.com/in/ada', URLS, 'noWww'),
			'https://linkedin.com/in/ada/',
			'no www',
		);
	});

	it('never upper-cases a member id (case-sensitive), only the host', () => {
		assert.equal(
			respell(url('ACoAAB1234567890'), URLS, 'upper'),
			'HTTPS://WWW.LINKEDIN.COM/in/ACoAAB1234567890',
		);
	});

	it('mixed cycles decoded, noWww, trailingSlash, http, upper by position', () => {
		const sent = [url('jos%C3%A9'), url('b'), url('c'), url('d'), url('e'), url('f')];
		assert.deepEqual(
			sent.map((u, i) => respell(u, URLS, 'mixed', i)),
			[
				'https://www.linkedin.com/in/josé',
				'https://linkedin.com/in/b',
				'https://www.linkedin.com/in/c/',
				'http://www.linkedin.com/in/d',
				'HTTPS://WWW.LINKEDIN.COM/in/E',
				'https://linkedin.com/in/f', // decoded again: nothing to decode, so noWww
			],
		);
	});

	it('upper-cases business emails whatever the spelling', () => {
		for (const spelling of ['decoded', 'noWww', 'mixed', undefined])
			assert.equal(respell('ada@acme.com', EMAILS, spelling), 'ADA@ACME.COM');
	});
});

describe('reorder and respell faults over HTTP', () => {
	let sim;
	before(async () => {
		sim = await startSimulator({
			rateLimit: { limit: 1000, windowMs: 60_000 },
			keys: { 'test-key': { credits: 1000 } },
		});
	});
	after(() => sim.close());
	beforeEach(() => sim.reset());

	const ids = [url('a'), url('nomatch-1'), url('c')];
	const send = (identifiers = ids) => enrich(sim, { [URLS]: identifiers });
	const personIds = (res) =>
		res.json.map((e) => e.matches[0]?.person_data.crustdata_person_id ?? null);

	it('reorder: reversed by default, each entry keeps its own matches, billed as normal', async () => {
		const plain = await send();
		sim.addFault({ kind: 'reorder' });
		const before = sim.credits('test-key');
		const res = await send();
		assert.equal(res.status, 200);
		assert.deepEqual(
			res.json.map((e) => e.matched_on),
			[ids[2], ids[1], ids[0]],
		);
		assert.deepEqual(personIds(res), personIds(plain).reverse());
		assert.equal(res.headers.get('x-credits-used'), '10');
		assert.equal(sim.credits('test-key'), before - 10);
		assert.deepEqual(
			[sim.log[1].fault, sim.log[1].billed, sim.log[1].creditsUsed],
			['reorder', true, 10],
		);
	});

	it('reorder with order: [2, 0, 1]; indexes past the end skipped, unlisted ones follow', async () => {
		sim.addFault([
			{ kind: 'reorder', order: [2, 0, 1] },
			{ kind: 'reorder', order: [7, 1] },
		]);
		assert.deepEqual(
			(await send()).json.map((e) => e.matched_on),
			[ids[2], ids[0], ids[1]],
		);
		assert.deepEqual(
			(await send()).json.map((e) => e.matched_on),
			[ids[1], ids[0], ids[2]],
		);
	});

	it('respell: every matched_on differs from what was sent, same person, billed as normal', async () => {
		const sent = [url('jos%C3%A9'), url('b'), url('c'), url('d'), url('e')];
		const plain = await send(sent);
		sim.addFault({ kind: 'respell' }); // spelling defaults to mixed
		const res = await send(sent);
		assert.equal(res.status, 200);
		assert.deepEqual(
			res.json.map((e) => e.matched_on),
			[
				'https://www.linkedin.com/in/josé',
				'https://linkedin.com/in/b',
				'https://www.linkedin.com/in/c/',
				'http://www.linkedin.com/in/d',
				'HTTPS://WWW.LINKEDIN.COM/in/E',
			],
		);
		assert.deepEqual(personIds(res), personIds(plain));
		assert.equal(res.headers.get('x-credits-used'), '25');
		assert.equal(sim.log[1].fault, 'respell');
	});

	it('respell with a chosen spelling', async () => {
		for (const [spelling, expected] of [
			['noWww', 'https://linkedin.com/in/a'],
			['trailingSlash', 'https://www.linkedin.com/in/a/'],
			['upper', 'HTTPS://WWW.LINKEDIN.COM/in/A'],
			['decoded', 'https://linkedin.com/in/a'], // nothing to decode: falls back to noWww
		]) {
			sim.addFault({ kind: 'respell', spelling });
			assert.deepEqual(
				(await send([url('a')])).json.map((e) => e.matched_on),
				[expected],
			);
		}
	});

	it('respell of business emails: upper case, same person', async () => {
		const emails = ['ada@acme.com', 'multi-x@globex.com'];
		const plain = await enrich(sim, { [EMAILS]: emails });
		sim.addFault({ kind: 'respell', spelling: 'upper' });
		const res = await enrich(sim, { [EMAILS]: emails });
		assert.deepEqual(
			res.json.map((e) => e.matched_on),
			['ADA@ACME.COM', 'MULTI-X@GLOBEX.COM'],
		);
		assert.deepEqual(personIds(res), personIds(plain));
		assert.equal(res.json[1].matches.length, 3);
	});

	it('respell with drop: a short answer in another spelling; only returned entries charged', async () => {
		sim.addFault({ kind: 'respell', spelling: 'noWww', drop: 1 });
		const before = sim.credits('test-key');
		const res = await send([url('a'), url('b'), url('c')]);
		assert.deepEqual(
			res.json.map((e) => e.matched_on),
			['https://linkedin.com/in/a', 'https://linkedin.com/in/b'],
		);
		assert.equal(res.headers.get('x-credits-used'), '10');
		assert.equal(sim.credits('test-key'), before - 10);
		assert.deepEqual(
			sim.billing('test-key').map((r) => [r.kind, r.credits, r.matched]),
			[['enrich', 10, 2]],
		);
	});

	it('respell with order: respelled and reordered', async () => {
		sim.addFault({ kind: 'respell', spelling: 'http', order: [1, 0] });
		assert.deepEqual(
			(await send([url('a'), url('b')])).json.map((e) => e.matched_on),
			['http://www.linkedin.com/in/b', 'http://www.linkedin.com/in/a'],
		);
	});

	it('rejects a bad order or spelling when the fault is added', async () => {
		assert.throws(() => sim.addFault({ kind: 'reorder', order: [0, 0] }), /order/);
		assert.throws(() => sim.addFault({ kind: 'reorder', order: [-1] }), /order/);
		assert.throws(() => sim.addFault({ kind: 'respell', spelling: 'lower' }), /spelling/);
		assert.throws(() => sim.addFault({ kind: 'respell', drop: -1 }), /drop/);
		const res = await fetch(`${sim.url}/__sim/faults`, {
			method: 'POST',
			body: JSON.stringify({ kind: 'respell', spelling: 'bogus' }),
		});
		assert.equal(res.status, 400);
		assert.deepEqual(sim.faults(), []);
	});
});
