import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import nock from 'nock';

import { runNode } from '../../integration/harness';
import { API, bulkOptions, fakeBatch, personFor, profile, urlItems } from './fakeBatch';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const pairedIndex = (item: { pairedItem?: unknown }) => (item.pairedItem as { item: number }).item;
const getResults = (items: INodeExecutionData[], parameters: IDataObject = {}) =>
	bulkOptions(
		{
			operation: 'getBulkResults',
			profileUrls: undefined,
			batchIds: '={{ $json.batchIds }}',
			onlyProfileUrls: '={{ $json.profileUrls }}',
			...parameters,
		},
		items,
	);

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
		expect(personFor(profile('x'))).toBeDefined();
	});
});
