import { RateLimiter } from '../../../nodes/CrustdataContactEnrich/transport/rateLimiter';
import { runNode } from '../../integration/harness';
import type { Reply } from '../../fakes/crustdata';
import { answerAll, enrichOptions, fakeCrustdata, fakeEnrich, items } from '../../fakes/crustdata';
import { sleepMock, virtualClock } from '../../helpers/sleep';

// Real waits by default (the server answers after a real delay); one test runs on a virtual clock.

const emails = (count: number) => Array.from({ length: count }, (_, i) => `p${i}@acme.com`);
const budget = (credits: string) => ({
	'x-credits-used': credits,
	'x-ratelimit-remaining': '3',
	'x-ratelimit-reset': '30',
});

describe('enrich: concurrent sending', () => {
	it('probes alone, then overlaps requests up to the remaining budget the server reported', async () => {
		// 5 per 600 ms, 100 ms per answer: 250 identifiers are 10 requests, two windows' worth.
		const server = fakeEnrich({ window: { limit: 5, windowMs: 600 }, latencyMs: 100 });
		const { output } = await runNode(
			enrichOptions(
				{
					identifyBy: 'businessEmail',
					businessEmails: '={{ $json.email }}',
					options: { requestsPerMinute: 1000 },
				},
				items(emails(250), 'email'),
			),
		);
		expect(server.statuses).toEqual(Array(10).fill(200));
		// The probe alone; its answer says 4 remain, and all 4 go at once.
		expect(server.concurrentOnArrival.slice(0, 5)).toEqual([1, 1, 2, 3, 4]);
		expect(Math.max(...server.concurrentOnArrival)).toBe(4);
		expect(output[0].map((item) => item.json.identifier)).toEqual(emails(250));
	});

	it('never sends more than requestsPerMinute in any 60 s of virtual time, even with budget to spare', async () => {
		const clock = virtualClock();
		const calls = fakeCrustdata(answerAll); // x-ratelimit-remaining: 10 on every answer
		// Send times as the client sends (the fake sees arrivals later, after virtual sleeps).
		const sentAt: number[] = [];
		const record = RateLimiter.prototype.recordRequest;
		jest.spyOn(RateLimiter.prototype, 'recordRequest').mockImplementation(function (
			this: RateLimiter,
		) {
			sentAt.push(clock.elapsed());
			return record.call(this);
		});
		await runNode(
			enrichOptions(
				{
					identifyBy: 'businessEmail',
					businessEmails: '={{ $json.email }}',
					options: { requestsPerMinute: 2 },
				},
				items(emails(125), 'email'),
			),
		);
		expect(calls.map((call) => call.identifiers.length)).toEqual([25, 25, 25, 25, 25]);
		expect(sentAt).toEqual([0, 0, 60_000, 60_000, 120_000]);
		expect(sleepMock.mock.calls.map(([ms]) => ms)).toEqual([60_000, 60_000]);
	});

	it('after a failed request without Continue On Fail, starts nothing more, lets the requests in flight end, then throws', async () => {
		// 8 chunks; the probe says 3 remain; of the three sent together, the first answers first: 402.
		const outOfCredits: Reply = () => [402, { error: { message: 'Out of credits' } }, budget('0')];
		const bought: Reply = (call) => [200, answerAll(call)[1], budget('25')];
		const server = fakeEnrich({
			replies: [bought, outOfCredits, bought],
			latencyMs: (call) => [20, 10][call] ?? 150,
		});
		await expect(
			runNode(
				enrichOptions(
					{ identifyBy: 'businessEmail', businessEmails: '={{ $json.email }}' },
					items(emails(200), 'email'),
				),
			),
		).rejects.toMatchObject({
			message:
				'The Crustdata account is out of credits (402): add credits, then run the workflow again',
			// The probe and the two requests still in flight when the 402 came back were all bought.
			description: expect.stringContaining(
				'75 identifiers had already been enriched for 75 credits.',
			),
		});
		expect(server.calls.map((call) => call.identifiers[0])).toEqual([
			'p0@acme.com',
			'p25@acme.com',
			'p50@acme.com',
			'p75@acme.com',
		]);
	});
});
