import nock from 'nock';

import { runNode } from '../../integration/harness';
import {
	API,
	bulkOptions,
	fakeBatch,
	getResultsOptions as getResults,
	pairedIndex,
	profile,
	urlItems,
} from '../../fakes/batch';

describe('getBulkResults', () => {
	it('gives every result of a job to an item without a profile URL filter', async () => {
		const batch = fakeBatch({ pollsBeforeDone: 0 });
		await runNode(
			bulkOptions(
				{ waitForCompletion: false },
				urlItems([`${profile('a')},${profile('nomatch-b')}`]),
			),
		);
		expect(batch.jobs).toHaveLength(1);

		const { output } = await runNode(
			getResults([{ json: { id: 'job-1' } }], {
				batchIds: '={{ $json.id }}',
				options: { includeUnmatched: true },
			}),
		);
		expect(output[0].map((item) => [item.json.identifier, item.json.matched])).toEqual([
			[profile('a'), true],
			[profile('nomatch-b'), false],
		]);
	});

	it('waits for a job still running, within the wait limit', async () => {
		const batch = fakeBatch({ pollsBeforeDone: 3 });
		await runNode(bulkOptions({ waitForCompletion: false }, urlItems([profile('ada')])));

		const { output } = await runNode(getResults([{ json: { batchIds: 'job-1' } }]));

		expect(batch.jobs[0].polls).toBe(4);
		expect(output[0][0].json).toMatchObject({ identifier: profile('ada'), personId: 'id-ada' });
	});

	it('stops on an unknown batch id, or makes it an error item with Continue On Fail', async () => {
		fakeBatch();
		await expect(runNode(getResults([{ json: { batchIds: 'job-404' } }]))).rejects.toThrow(
			'Crustdata knows no batch job job-404 for this API key (404)',
		);

		const { output } = await runNode({
			...getResults([{ json: { batchIds: 'job-404' } }, { json: { batchIds: 'no/slash' } }]),
			continueOnFail: true,
		});
		expect(output[0].map((item) => [pairedIndex(item), item.json.error])).toEqual([
			[0, 'Crustdata knows no batch job job-404 for this API key (404)'],
			[1, expect.stringContaining('"no/slash" is not a batch ID')],
		]);
	});

	it('fetches a job once however many items name it', async () => {
		let polls = 0;
		nock(API)
			.get('/batch/job-9')
			.times(5)
			.reply(() => {
				polls++;
				return [200, { batch_id: 'job-9', status: 'failed', error_message: 'Boom.' }];
			});
		const { output } = await runNode(
			getResults([{ json: { batchIds: 'job-9' } }, { json: { batchIds: ['job-9'] } }]),
		);
		expect(polls).toBe(1);
		expect(output[0].map((item) => [pairedIndex(item), item.json.error])).toEqual([
			[0, 'Batch job job-9 failed: Boom.'],
			[1, 'Batch job job-9 failed: Boom.'],
		]);
	});
});

describe('getBulkResults: what each item gets', () => {
	async function submitted(urls: string[]) {
		await runNode(bulkOptions({ waitForCompletion: false }, urlItems([urls.join(',')])));
	}

	it('gives an item only the profile URLs it names, and unmatched for one the job answered empty', async () => {
		fakeBatch({ pollsBeforeDone: 0 });
		await submitted([profile('ada'), profile('bob'), profile('nomatch-c')]);
		const { output } = await runNode(
			getResults(
				[
					{ json: { batchIds: 'job-1', profileUrls: [profile('bob')] } },
					{ json: { batchIds: 'job-1', profileUrls: `${profile('ada')} ${profile('nomatch-c')}` } },
				],
				{ options: { includeUnmatched: true } },
			),
		);
		expect(
			output[0].map((item) => [pairedIndex(item), item.json.identifier, item.json.matched]),
		).toEqual([
			[0, profile('bob'), true],
			[1, profile('ada'), true],
			[1, profile('nomatch-c'), false],
		]);
	});

	it('names the batch id of a job still running at Max Wait, to fetch later', async () => {
		fakeBatch({ pollsBeforeDone: 1_000 });
		await submitted([profile('ada')]);
		const { output } = await runNode({
			...getResults([{ json: { batchIds: 'job-1' } }], { maxWaitMinutes: 0.0005 }),
			continueOnFail: true,
		});
		expect(output[0]).toHaveLength(1);
		expect(output[0][0].json.error).toBe(
			'Batch job job-1 had not finished within 0.0005 minutes ("Max Wait (Minutes)")',
		);
		expect(output[0][0].json.details).toEqual({
			description: expect.stringContaining('batch ID job-1'),
			identifiers: ['job-1'],
		});
	});

	it('sends no request at all when every item is invalid', async () => {
		const calls: string[] = [];
		nock(API)
			.get(/.*/)
			.times(10)
			.reply((path) => {
				calls.push(path);
				return [200, {}];
			});
		const { output } = await runNode({
			...getResults([{ json: { batchIds: '' } }]),
			continueOnFail: true,
		});
		expect(calls).toEqual([]);
		expect(output[0][0].json.error).toBe(
			'Item 0 has no batch ID: "Batch IDs" is empty for this item. Map it to the batch IDs Bulk Enrich returned, such as {{ $json.batchIds }}.',
		);
	});
});
