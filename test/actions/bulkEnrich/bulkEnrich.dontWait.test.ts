import { runNode } from '../../integration/harness';
import {
	bulkOptions,
	fakeBatch,
	getResultsOptions as getResults,
	pairedIndex,
	profile,
	urlItems,
} from '../../fakes/batch';

describe('bulkEnrich without waiting, then getBulkResults', () => {
	it('returns the batch ids per input item at once, and Get Bulk Results maps them later', async () => {
		const batch = fakeBatch();
		// Item 1 spans both jobs; items 0 and 2 share job 1; item 3 is invalid.
		const first = Array.from({ length: 299 }, (_, i) => profile(`p-${i}`));
		const values = [
			first.join(','),
			`${profile('shared')} ${profile('tail')}`,
			profile('p-1'),
			'nope',
		];

		const submitted = await runNode(
			bulkOptions({ waitForCompletion: false }, urlItems(values), { continueOnFail: true }),
		);

		expect(batch.jobs.map((job) => job.polls)).toEqual([0, 0]);
		expect(submitted.output[0].map((item) => [pairedIndex(item), item.json])).toEqual([
			[0, { status: 'submitted', batchIds: ['job-1'], profileUrls: first }],
			[
				1,
				{
					status: 'submitted',
					batchIds: ['job-1', 'job-2'],
					profileUrls: [profile('shared'), profile('tail')],
				},
			],
			[2, { status: 'submitted', batchIds: ['job-1'], profileUrls: [profile('p-1')] }],
			[3, expect.objectContaining({ error: expect.stringContaining('Item 3') })],
		]);

		const fetched = await runNode(getResults(submitted.output[0].slice(0, 3)));

		const rows = fetched.output[0].map((item) => [pairedIndex(item), item.json.identifier]);
		expect(rows).toEqual([
			...first.map((url) => [0, url]),
			[1, profile('shared')],
			[1, profile('tail')],
			[2, profile('p-1')],
		]);
		expect(fetched.output[0][0].json.businessEmail).toBe('p-0@acme.example');
	});
});
