import { runNode } from '../../integration/harness';
import type { Reply } from '../../fakes/crustdata';
import { answerAll, enrichOptions, fakeCrustdata, items } from '../../fakes/crustdata';
import { instantSleep, sleepMock } from '../../helpers/sleep';

// Waits are asserted, not waited: the pacing and backoff durations are what the tests check.
beforeEach(() => instantSleep());

const byEmail = (options = {}, extra = {}) => ({
	identifyBy: 'businessEmail',
	businessEmails: '={{ $json.email }}',
	options,
	...extra,
});

describe('enrich: email mode', () => {
	it('fans one item out to every candidate, each linked back to its input item', async () => {
		const calls = fakeCrustdata();
		const { output, downstream } = await runNode({
			...enrichOptions(byEmail(), items(['Multi.Jane@Acme.com ', 'bob@acme.com'], 'email')),
			downstreamExpression: '={{ $("Input").item.json.email }}',
		});
		expect(calls[0].body).toEqual({
			business_emails: ['multi.jane@acme.com', 'bob@acme.com'],
			fields: ['contact.business_emails'],
		});
		expect(
			output[0].map((item) => [item.pairedItem, item.json.matchRank, item.json.confidence]),
		).toEqual([
			[{ item: 0 }, 1, 0.97],
			[{ item: 0 }, 2, 0.61],
			[{ item: 0 }, 3, 0.34],
			[{ item: 1 }, 1, 0.97],
		]);
		expect(downstream).toEqual([
			'Multi.Jane@Acme.com ',
			'Multi.Jane@Acme.com ',
			'Multi.Jane@Acme.com ',
			'bob@acme.com',
		]);
	});

	it('keeps candidates at or above the minimum confidence', async () => {
		fakeCrustdata();
		const { output } = await runNode(
			enrichOptions(byEmail({ minConfidence: 0.6 }), items(['multi@acme.com'], 'email')),
		);
		expect(output[0].map((item) => item.json.confidence)).toEqual([0.97, 0.61]);
	});
});

describe('enrich: fields and options', () => {
	it('asks for exactly the chosen fields, and verified when set', async () => {
		const calls = fakeCrustdata();
		await runNode(
			enrichOptions(
				{
					profileUrls: '={{ $json.url }}',
					fields: ['contact.phone_numbers', 'contact.personal_emails'],
					options: { verified: true },
				},
				items(['linkedin.com/in/ada']),
			),
		);
		expect(calls[0].body).toEqual({
			professional_network_profile_urls: ['https://www.linkedin.com/in/ada'],
			fields: ['contact.phone_numbers', 'contact.personal_emails'],
			verified: true,
		});
	});

	it('refuses an empty field selection (an expression or an AI agent can send one) before sending anything', async () => {
		const calls = fakeCrustdata();
		await expect(
			runNode(
				enrichOptions(
					{ profileUrls: '={{ $json.url }}', fields: '={{ [] }}' },
					items(['linkedin.com/in/ada']),
				),
			),
		).rejects.toThrow(
			'Select at least one field under "Fields" (contact.business_emails, contact.personal_emails, contact.phone_numbers, contact.websites): with none, every contact type would be bought.',
		);
		expect(calls).toEqual([]);
	});

	it('returns the raw match when simplify is off', async () => {
		fakeCrustdata();
		const { output } = await runNode(
			enrichOptions(
				{ profileUrls: '={{ $json.url }}', simplify: false },
				items(['linkedin.com/in/ada']),
			),
		);
		expect(output[0].map((item) => item.json)).toEqual([
			{
				matched_on: 'https://www.linkedin.com/in/ada',
				match_type: 'professional_network_profile_url',
				confidence_score: 0.97,
				person_data: {
					crustdata_person_id: 'ada#1',
					contact: { business_emails: [{ email: 'ada.1@acme.example', status: 'deliverable' }] },
				},
			},
		]);
	});

	it('flags unmatched identifiers only with includeUnmatched, and reports the run in a hint', async () => {
		fakeCrustdata();
		const values = ['linkedin.com/in/ada', 'linkedin.com/in/nomatch-1'];
		const without = await runNode(
			enrichOptions({ profileUrls: '={{ $json.url }}' }, items(values)),
		);
		expect(without.output[0].map((item) => item.json.identifier)).toEqual([
			'https://www.linkedin.com/in/ada',
		]);

		const withUnmatched = await runNode(
			enrichOptions(
				{ profileUrls: '={{ $json.url }}', options: { includeUnmatched: true } },
				items(values),
			),
		);
		expect(withUnmatched.output[0].map((item) => [item.pairedItem, item.json.matched])).toEqual([
			[{ item: 0 }, true],
			[{ item: 1 }, false],
		]);
		expect(withUnmatched.hints).toEqual([
			{
				message:
					'Crustdata: 1 request, 2 distinct identifiers sent, 1 matched, 1 unmatched, 1 credits used.',
				type: 'info',
				location: 'outputPane',
			},
		]);
	});
});

describe('enrich: pacing', () => {
	function virtualClock() {
		let now = Date.now();
		jest.spyOn(Date, 'now').mockImplementation(() => now);
		sleepMock.mockImplementation(async (ms: number) => {
			now += ms;
		});
	}

	it('never sends more than requestsPerMinute in any 60 seconds', async () => {
		virtualClock();
		const calls = fakeCrustdata();
		const urls = Array.from({ length: 125 }, (_, i) => `linkedin.com/in/p${i}`);
		await runNode(
			enrichOptions(
				{ profileUrls: '={{ $json.url }}', options: { requestsPerMinute: 2 } },
				items(urls),
			),
		);
		expect(calls).toHaveLength(5);
		expect(sleepMock.mock.calls.map(([ms]) => ms)).toEqual([60_000, 60_000]);
	});

	it('waits x-ratelimit-reset when the server says no request is left', async () => {
		virtualClock();
		const lastOne: Reply = (call) => {
			const [status, body] = answerAll(call);
			return [status, body, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '3.5' }];
		};
		const calls = fakeCrustdata(lastOne);
		const urls = Array.from({ length: 30 }, (_, i) => `linkedin.com/in/p${i}`);
		await runNode(enrichOptions({ profileUrls: '={{ $json.url }}' }, items(urls)));
		expect(calls).toHaveLength(2);
		expect(sleepMock.mock.calls.map(([ms]) => ms)).toEqual([3500]);
	});
});
