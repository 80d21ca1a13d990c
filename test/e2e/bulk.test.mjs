// Bulk Enrich (Async) inside a real n8n: 700 distinct URLs over items become three batch jobs
// (300, 300, 100) whose gzipped results come back paired to their input items; and the
// don't-wait path, whose job ids Get Bulk Results turns into the same output later.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { explain, nodeOutput, pairedIndices, setUp, WorkflowBuilder } from './harness.mjs';

const KEY = 'e2e-bulk-key';
const BATCH_PATH = '/batch/person/contact/enrich';
const canonical = (n) => `https://www.linkedin.com/in/e2e-bulk-${String(n).padStart(3, '0')}`;

// 70 items of 10 URLs each (700 distinct people, every 7th without a match), plus 5 items that
// repeat earlier people in other spellings: they must not create a fourth job.
function bulkItems() {
	const items = [];
	for (let k = 0; k < 70; k++) {
		const urls = Array.from({ length: 10 }, (_, j) => {
			const n = 10 * k + j;
			return n % 7 === 6 ? `https://www.linkedin.com/in/nomatch-e2e-bulk-${n}` : canonical(n);
		});
		items.push({ itemId: `b${k}`, urls });
	}
	for (let k = 0; k < 5; k++) {
		items.push({
			itemId: `dup${k}`,
			urls: [`http://uk.linkedin.com/in/E2E-BULK-${String(k).padStart(3, '0')}/`],
		});
	}
	return items;
}

// The node normalises to the canonical form; the expected people of one item.
const expectedPeople = (item) =>
	item.urls
		.map((url) =>
			url.toLowerCase().replace(/^.*\/in\/([^/?]+).*$/, 'https://www.linkedin.com/in/$1'),
		)
		.filter((url) => !url.includes('nomatch'));

describe('Bulk Enrich in a real n8n', { timeout: 600_000 }, () => {
	let env;
	let result;
	const items = bulkItems();
	const fast = { requestsPerMinute: 600, pollIntervalSeconds: 0.5 };

	before(async () => {
		env = await setUp('bulk', {
			simulator: {
				keys: { [KEY]: {} },
				rateLimit: { limit: 1000, windowMs: 60_000 },
				batch: { pendingMs: 300, processingMs: 700, maxActive: 5 },
			},
			credentials: [{ name: 'Crustdata (e2e bulk)', apiKey: KEY }],
		});
		const credential = env.credential('Crustdata (e2e bulk)');
		const wf = new WorkflowBuilder('E2E bulk');
		wf.branch('Bulk', {
			items,
			credential,
			parameters: {
				operation: 'bulkEnrich',
				profileUrls: '={{ $json.urls }}',
				fields: ['contact.business_emails', 'contact.phone_numbers'],
				options: fast,
			},
		});
		const later = wf.branch('Later', {
			items: [
				{ itemId: 'l0', urls: [canonical(1000), canonical(1001)] },
				{ itemId: 'l1', urls: [canonical(1001), canonical(1002)] },
			],
			credential,
			parameters: {
				operation: 'bulkEnrich',
				waitForCompletion: false,
				profileUrls: '={{ $json.urls }}',
				options: fast,
			},
			after: {},
		});
		wf.add(
			{
				name: 'Later Results',
				type: wf.nodes.find((node) => node.name === later.crustdata).type,
				typeVersion: 1,
				parameters: {
					operation: 'getBulkResults',
					batchIds: '={{ $json.batchIds }}',
					onlyProfileUrls: '={{ $json.profileUrls }}',
					options: fast,
				},
				credentials: { crustdataContactApi: credential },
			},
			3,
		);
		wf.connect(later.crustdata, 'Later Results');
		const [id] = await env.importWorkflows([wf.toJSON()]);
		result = await env.execute(id);
	});

	after(async () => {
		await env?.tearDown();
	});

	it('runs to the end', () => {
		assert.equal(result.code, 0, explain(result));
		assert.equal(result.secretsPrinted, 0);
	});

	it('submits 700 distinct URLs as three jobs of 300, 300 and 100', () => {
		const submits = env.sim.log.filter((e) => e.method === 'POST' && e.path === BATCH_PATH);
		const later = new Set([canonical(1000), canonical(1001), canonical(1002)]);
		const bulkSubmits = submits.filter((e) => !e.identifiers.some((url) => later.has(url)));
		assert.deepEqual(
			bulkSubmits.map((e) => e.identifiers.length),
			[300, 300, 100],
		);
		const sent = bulkSubmits.flatMap((e) => e.identifiers);
		assert.equal(new Set(sent).size, 700, 'every distinct URL once');
		assert.deepEqual(
			env.sim.log.filter((e) => e.status === 429),
			[],
		);
	});

	it('pairs every match to the input item that carried it, and $("Input").item resolves', () => {
		const output = nodeOutput(result, 'Bulk Crustdata');
		const expected = items.flatMap((item, index) =>
			expectedPeople(item).map((url) => [index, url]),
		);
		assert.equal(output.length, 605);
		assert.deepEqual(
			output.map((item) => [pairedIndices(item)[0], item.json.identifier]),
			expected,
		);
		// The Set node after it reads $('Bulk Input').item: the input item each match came from.
		const checked = nodeOutput(result, 'Bulk Check');
		assert.deepEqual(
			checked.map((item) => item.json.pairedInput.itemId),
			expected.map(([index]) => items[index].itemId),
		);
		for (const item of output) {
			assert.equal(item.json.matched, true);
			assert.match(item.json.businessEmail, /@[a-z]+\.example\.com$/);
		}
	});

	it('returns job ids when told not to wait, and Get Bulk Results maps them later', () => {
		const submitted = nodeOutput(result, 'Later Crustdata');
		assert.deepEqual(
			submitted.map((item) => [pairedIndices(item)[0], item.json.status, item.json.profileUrls]),
			[
				[0, 'submitted', [canonical(1000), canonical(1001)]],
				[1, 'submitted', [canonical(1001), canonical(1002)]],
			],
		);
		assert.equal(submitted[0].json.batchIds.length, 1);
		const fetched = nodeOutput(result, 'Later Results');
		assert.deepEqual(
			fetched.map((item) => [pairedIndices(item)[0], item.json.identifier]),
			[
				[0, canonical(1000)],
				[0, canonical(1001)],
				[1, canonical(1001)],
				[1, canonical(1002)],
			],
		);
	});
});
