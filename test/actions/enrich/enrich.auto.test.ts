import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';
import nock from 'nock';

import { answerFromPeople, bulkOptions, fakeBatch, profile, urlItems } from '../../fakes/batch';
import { fakeEnrich } from '../../fakes/crustdata';
import { virtualClock } from '../../helpers/sleep';
import { runNode } from '../../integration/harness';

// Channel Auto: batch jobs beside instant requests, each URL on one channel only, the same output.

beforeEach(() => virtualClock());

const urls = (count: number) => Array.from({ length: count }, (_, i) => profile(`p-${i}`));

function enrich(values: string[], options: INodeParameters = {}, extra: INodeParameters = {}) {
	const base = bulkOptions(
		{
			operation: 'enrich',
			identifyBy: 'profileUrl',
			// The fakes' people have all three; the enrich fake answers them whatever is asked.
			fields: ['contact.business_emails', 'contact.personal_emails', 'contact.phone_numbers'],
			options: { requestsPerMinute: 15, pollIntervalSeconds: 1, ...options },
			...extra,
		},
		urlItems(values),
	);
	return runNode(base);
}

const rows = (output: INodeExecutionData[]) =>
	output.map((item) => [(item.pairedItem as { item: number }).item, item.json]);

describe('Channel Auto', () => {
	it('sends a long list on both channels, no URL on both, with the output instant gives', async () => {
		const values = urls(1_000);
		const instantFake = fakeEnrich({ replies: [answerFromPeople] });
		const instant = await enrich(values);
		nock.cleanAll();

		const enriched = fakeEnrich({ replies: [answerFromPeople] });
		const batch = fakeBatch({ pollsBeforeDone: 1 });
		const auto = await enrich(values, { channel: 'auto' });

		const byRequest = enriched.calls.flatMap((call) => call.identifiers);
		const byJob = batch.jobs.flatMap((job) => job.urls);
		expect(byRequest.length).toBeGreaterThan(0);
		expect(byJob.length).toBeGreaterThan(0);
		expect(new Set([...byRequest, ...byJob]).size).toBe(1_000);
		expect(byRequest.length + byJob.length).toBe(1_000);
		// Jobs take from the end of the list, in input order: at 15 requests a minute and 2.5
		// minutes a job, the first job leaves the instant requests 937 URLs' time (25 are gone).
		expect(batch.jobs[0].urls).toEqual(values.slice(963));
		expect(instantFake.calls.flatMap((call) => call.identifiers)).toHaveLength(1_000);
		expect(rows(auto.output[0])).toEqual(rows(instant.output[0]));
		expect(auto.hints[0].message).toMatch(
			/^Crustdata: \d+ requests?, 1000 distinct identifiers sent \(\d+ in instant requests, \d+ in \d+ batch jobs?, checked with \d+ batch requests?\), 1000 matched, 0 unmatched, \d+ credits used \(instant requests; batch jobs report none\)\.$/,
		);
	});

	it('keeps a short list instant', async () => {
		const enriched = fakeEnrich({ replies: [answerFromPeople] });
		const batch = fakeBatch();
		await enrich(urls(100), { channel: 'auto' });
		expect(batch.submits).toHaveLength(0);
		expect(enriched.calls.flatMap((call) => call.identifiers)).toHaveLength(100);
	});

	it('stays instant when websites are asked for, and says why', async () => {
		const enriched = fakeEnrich({ replies: [answerFromPeople] });
		const batch = fakeBatch();
		const { hints } = await enrich(
			urls(1_000),
			{ channel: 'auto' },
			{
				fields: ['contact.business_emails', 'contact.websites'],
			},
		);
		expect(batch.submits).toHaveLength(0);
		expect(enriched.calls.flatMap((call) => call.identifiers)).toHaveLength(1_000);
		expect(hints.map((hint) => hint.message)).toContain(
			'Channel Auto sent everything as instant requests: batch jobs cannot return websites, and each person is bought on one channel only.',
		);
	});

	it('holds Max Credits per Run across both channels, a job reckoned at its worst case', async () => {
		const enriched = fakeEnrich({ replies: [answerFromPeople] });
		const batch = fakeBatch({ pollsBeforeDone: 1 });
		const { output } = await enrich(urls(1_000), { channel: 'auto', maxCredits: 1_200 });
		// Business, personal emails and phones: at most 5 credits a person, so at most 240 people.
		const sent = enriched.calls.flatMap((call) => call.identifiers).length;
		const jobbed = batch.jobs.flatMap((job) => job.urls).length;
		expect(sent + jobbed).toBeLessThanOrEqual(240);
		expect(output[0]).toHaveLength(sent + jobbed);
		expect(output[1].every((item) => item.json.reason === 'maxCredits')).toBe(true);
	});
});
