import {
	bulkOptions,
	fakeBatch,
	getResultsOptions,
	pairedIndex,
	profile,
	urlItems,
} from '../../fakes/batch';
import { runNode } from '../../integration/harness';

// The hardening issue, for batch jobs: each case here failed before.

describe('bulkEnrich: a submit that timed out is never sent again blind', () => {
	it('adopts the job the timed-out submit created, instead of creating (and paying for) a second', async () => {
		const batch = fakeBatch({ timedOutSubmits: [1], pollsBeforeDone: 0 });
		const { output } = await runNode(
			bulkOptions({ options: { timeoutSeconds: 1 } }, urlItems([profile('ada'), profile('bob')])),
		);
		expect(batch.submits).toHaveLength(1);
		expect(batch.jobs).toHaveLength(1);
		expect(batch.listed).toBe(1);
		expect(output[0].map((item) => item.json.identifier)).toEqual([profile('ada'), profile('bob')]);
	});

	it('fails the items and names the possible jobs when it cannot tell which one the submit created', async () => {
		// Another run's job of the same size was created a moment before: two jobs fit.
		const batch = fakeBatch({ timedOutSubmits: [2], pollsBeforeDone: 0 });
		await runNode(bulkOptions({ waitForCompletion: false }, urlItems([profile('other')])));
		const { output } = await runNode({
			...bulkOptions({ options: { timeoutSeconds: 1 } }, urlItems([profile('ada')])),
			continueOnFail: true,
		});
		expect(batch.submits).toHaveLength(2);
		expect(output[0].map((item) => item.json)).toEqual([
			{
				error:
					'The batch submit for these profile URLs got no answer, and whether it created a job cannot be told (several jobs of that size were created then); they were not submitted again, to avoid paying twice',
				details: {
					description:
						'It may be one of these batch jobs: job-2, job-1. Fetch them with the "Get Bulk Results" operation before you run these items again.',
					identifiers: [profile('ada')],
				},
			},
		]);
	});
});

describe('bulkEnrich: jobs and their results', () => {
	it('submits nothing once Max Wait has run out', async () => {
		// 6 chunks: 5 slots, and the wait limit ends before a slot frees.
		const batch = fakeBatch({ pollsBeforeDone: 1_000 });
		const urls = Array.from({ length: 1_800 }, (_, i) => profile(`p-${i}`));
		const { output } = await runNode({
			...bulkOptions({ maxWaitMinutes: 0.02 }, urlItems([urls.join(',')])),
			continueOnFail: true,
		});
		expect(batch.jobs).toHaveLength(5);
		expect(output[0].map((item) => item.json.error)).toContain(
			"These profile URLs were not submitted: the account's 5 batch job slots stayed busy until the wait limit",
		);
	});

	it('names the batch id when a job that found people has no results file yet', async () => {
		fakeBatch({ missingFiles: [1], pollsBeforeDone: 0 });
		const { output } = await runNode({
			...bulkOptions({}, urlItems([profile('ada')])),
			continueOnFail: true,
		});
		expect(output[0].map((item) => item.json.error)).toEqual([
			'The results of batch job job-1 could not be read: its results file is not there yet (404). Fetch them later with Get Bulk Results',
		]);
	});

	it('waits through the 404s of a job it has just submitted', async () => {
		const batch = fakeBatch({ notFoundPolls: 2, pollsBeforeDone: 0 });
		const { output } = await runNode(bulkOptions({}, urlItems([profile('ada')])));
		expect(batch.notFoundPolls.get('job-1')).toBe(2);
		expect(output[0].map((item) => item.json.identifier)).toEqual([profile('ada')]);
	});
});

describe('getBulkResults: records are keyed by job and URL', () => {
	it("gives each item its own job's record when two jobs hold the same person", async () => {
		const batch = fakeBatch({ pollsBeforeDone: 0 });
		await runNode(bulkOptions({ waitForCompletion: false }, urlItems([profile('ada')])));
		await runNode(
			bulkOptions(
				{ waitForCompletion: false, fields: ['contact.personal_emails'] },
				urlItems([profile('ada')]),
			),
		);
		expect(batch.jobs.map((job) => job.id)).toEqual(['job-1', 'job-2']);

		const { output } = await runNode(
			getResultsOptions([{ json: { batchIds: 'job-2' } }, { json: { batchIds: 'job-1' } }]),
		);
		expect(
			output[0].map((item) => [
				pairedIndex(item),
				item.json.businessEmail,
				item.json.personalEmail,
			]),
		).toEqual([
			[0, null, 'ada@home.example'],
			[1, 'ada@acme.example', null],
		]);
	});
});
