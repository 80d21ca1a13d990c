import type { IDataObject } from 'n8n-workflow';
import nock from 'nock';

import { runNode } from '../../integration/harness';
import { API, bulkOptions, FAKE_ACCOUNT, fakeBatch, profile, urlItems } from '../../fakes/batch';

const pairedIndex = (item: { pairedItem?: unknown }) => (item.pairedItem as { item: number }).item;

// 301 URLs: two jobs; item 0 holds the first 300, item 1 the last one.
const twoJobItems = () =>
	urlItems([
		Array.from({ length: 300 }, (_, i) => profile(`p-${i}`)).join('\n'),
		profile('last-one'),
	]);

describe('bulkEnrich: errors', () => {
	it('turns a failed job into error items with its error_message; the other job still outputs', async () => {
		fakeBatch({ failJobs: [1] });

		const { output } = await runNode(bulkOptions({}, twoJobItems()));

		const [first, second] = output[0];
		expect(output[0]).toHaveLength(2);
		expect(pairedIndex(first)).toBe(0);
		expect(first.json.error).toBe(
			'Batch job job-1 failed: Batch processing failed: internal error.',
		);
		expect((first.json.details as IDataObject).identifiers).toHaveLength(300);
		expect(second.json).toMatchObject({ identifier: profile('last-one'), matched: true });
		expect(pairedIndex(second)).toBe(1);
	});

	it('routes those error items to the error output with Continue (using error output)', async () => {
		fakeBatch({ failJobs: [2] });

		const { output } = await runNode(
			bulkOptions({}, twoJobItems(), { onError: 'continueErrorOutput' }),
		);

		expect(output[0]).toHaveLength(300);
		expect(output[1].map((item) => [pairedIndex(item), item.json.error])).toEqual([
			[1, 'Batch job job-2 failed: Batch processing failed: internal error.'],
		]);
	});

	it('turns a job that outlives the wait limit into error items naming its batch id', async () => {
		fakeBatch({ pollsBeforeDone: (job) => (job.id === 'job-2' ? 1_000_000 : 1) });

		const { output } = await runNode(
			bulkOptions({ maxWaitMinutes: 0.01, options: { pollIntervalSeconds: 0.05 } }, twoJobItems()),
		);

		const errors = output[0].filter((item) => item.json.error !== undefined);
		expect(output[0]).toHaveLength(301);
		expect(errors.map(pairedIndex)).toEqual([1]);
		expect(errors[0].json.error).toBe(
			'Batch job job-2 had not finished within 0.01 minutes ("Max Wait (Minutes)")',
		);
		expect((errors[0].json.details as IDataObject).description).toContain(
			'fetch the results later with the "Get Bulk Results" operation and batch ID job-2',
		);
	});

	it('stops on a rejected submit and names the jobs already submitted', async () => {
		const calls: number[] = [];
		let submits = 0;
		nock(API)
			.post('/batch/person/contact/enrich')
			.times(2)
			.reply(() => {
				submits++;
				calls.push(submits);
				return submits === 1
					? [200, { batch_id: 'job-ok', status: 'pending' }]
					: [402, { error: { type: 'insufficient_credits', message: 'Out of credits' } }];
			});

		const run = runNode(bulkOptions({}, twoJobItems()));

		await expect(run).rejects.toMatchObject({
			message:
				'The Crustdata account is out of credits (402): add credits, then run the workflow again',
			description: expect.stringContaining(
				'Batch jobs already submitted before this failure: job-ok',
			),
		});
		expect(calls).toEqual([1, 2]);
	});

	it('keeps the other chunks with Continue On Fail when a submit is rejected', async () => {
		fakeBatch({ busySubmits: [] });
		nock.cleanAll();
		let submits = 0;
		nock(API)
			.post('/batch/person/contact/enrich')
			.times(3)
			.reply((_path, body) => {
				submits++;
				if (submits === 1)
					return [400, { error: { type: 'invalid_request', message: 'Bad chunk' } }];
				const urls = (body as IDataObject).professional_network_profile_urls as string[];
				return [
					200,
					{ batch_id: `job-${submits}`, status: 'pending', identifier_count: urls.length },
				];
			});
		nock(API)
			.get('/batch/job-2')
			.reply(200, { batch_id: 'job-2', status: 'completed', result_count: 0, download_urls: [] });

		const { output } = await runNode(
			bulkOptions({ options: { includeUnmatched: true } }, twoJobItems(), { continueOnFail: true }),
		);

		expect(output[0]).toHaveLength(2);
		expect(output[0][0].json.error).toBe('Crustdata rejected the request as invalid (400)');
		expect(output[0][1].json).toMatchObject({ identifier: profile('last-one'), matched: false });
	});

	it('checks every item before the first request, and never leaks the API key', async () => {
		const batch = fakeBatch();

		await expect(
			runNode(bulkOptions({}, urlItems([profile('ada'), 'https://www.linkedin.com/company/acme']))),
		).rejects.toThrow(
			/Item 1: "https:\/\/www.linkedin.com\/company\/acme" is not a valid profile URL/,
		);
		expect(batch.submits).toEqual([]);

		await expect(
			runNode(bulkOptions({ fields: ['contact.websites'] }, urlItems([profile('ada')]))),
		).rejects.toThrow('Bulk Enrich cannot return websites; use the Enrich operation for them');
		expect(batch.submits).toEqual([]);

		nock.cleanAll();
		nock(API)
			.post('/batch/person/contact/enrich')
			.reply(401, { message: `Invalid API key in request: Bearer ${FAKE_ACCOUNT}` });
		const error: unknown = await runNode(bulkOptions({}, urlItems([profile('ada')]))).catch(
			(caught: unknown) => caught,
		);
		expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(FAKE_ACCOUNT);
	});

	it('warns that websites are not bought in bulk and sends the rest', async () => {
		const batch = fakeBatch();
		const { hints } = await runNode(
			bulkOptions(
				{ fields: ['contact.websites', 'contact.business_emails'], options: { verified: true } },
				urlItems([profile('ada')]),
			),
		);
		expect(batch.submits[0]).toEqual({
			professional_network_profile_urls: [profile('ada')],
			fields: ['business_email'],
			verified: true,
		});
		expect(hints.map((hint) => hint.message)).toContain(
			'Bulk Enrich cannot return websites, so they were not requested. Use the Enrich operation for websites.',
		);
	});
});
