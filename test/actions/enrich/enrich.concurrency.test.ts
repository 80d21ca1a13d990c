import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';
import nock from 'nock';

import { RateLimiter } from '../../../nodes/CrustdataContactEnrich/transport/rateLimiter';
import { runNode } from '../../integration/harness';
import { answerAll, API, enrichOptions, fakeCrustdata, items } from './fakeCrustdata';

// Real waits by default (the server below answers after a real delay); the virtual-clock test
// swaps in a sleep that only moves the clock.
jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual<typeof import('n8n-workflow')>('n8n-workflow');
	return { ...actual, sleep: jest.fn(actual.sleep) };
});
const sleepMock = jest.mocked(sleep);
const realSleep = jest.requireActual<typeof import('n8n-workflow')>('n8n-workflow').sleep;

beforeAll(() => nock.disableNetConnect());
beforeEach(() => sleepMock.mockClear());
afterEach(() => {
	nock.cleanAll();
	jest.restoreAllMocks();
	sleepMock.mockImplementation(realSleep);
});
afterAll(() => nock.enableNetConnect());

const emails = (count: number) => Array.from({ length: count }, (_, i) => `p${i}@acme.com`);

/**
 * A server with its own sliding window (LIMIT requests per WINDOW_MS, counted on arrival,
 * `x-ratelimit-*` computed when it answers, LATENCY_MS later) that records how many requests
 * it holds at once, and answers 429 beyond its limit.
 */
function slowServer(limit: number, windowMs: number, latencyMs: number) {
	const admitted: number[] = [];
	const log = { concurrentOnArrival: [] as number[], statuses: [] as number[], inFlight: 0 };
	const rateHeaders = () => {
		const now = Date.now();
		const recent = admitted.filter((at) => now - at < windowMs);
		const resetMs = recent.length > 0 ? recent[0] + windowMs - now : windowMs;
		return {
			'x-ratelimit-remaining': String(Math.max(0, limit - recent.length)),
			'x-ratelimit-reset': (Math.max(0, resetMs) / 1000).toFixed(3),
		};
	};
	nock(API)
		.post('/person/contact/enrich')
		.times(1000)
		.reply(function (_path, requestBody, callback) {
			const body = requestBody as IDataObject;
			const identifiers = body.business_emails as string[];
			const now = Date.now();
			const full = admitted.filter((at) => now - at < windowMs).length >= limit;
			if (!full) admitted.push(now);
			log.inFlight++;
			log.concurrentOnArrival.push(log.inFlight);
			void realSleep(latencyMs).then(() => {
				log.inFlight--;
				const [status, entries] = full ? [429, ''] : answerAll({ identifiers, body, headers: {} });
				log.statuses.push(status);
				callback(null, [status, entries as nock.Body, rateHeaders()]);
			});
		});
	return log;
}

describe('enrich: concurrent sending', () => {
	it('probes alone, then overlaps requests up to the remaining budget the server reported', async () => {
		// 5 per 600 ms, 100 ms per answer: 250 identifiers are 10 requests, two windows' worth.
		const server = slowServer(5, 600, 100);
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
		let now = Date.now();
		const start = now;
		jest.spyOn(Date, 'now').mockImplementation(() => now);
		sleepMock.mockImplementation(async (ms: number) => {
			now += ms;
		});
		const calls = fakeCrustdata(answerAll); // x-ratelimit-remaining: 10 on every answer
		// Send times as the client sends (the fake sees arrivals later, after virtual sleeps).
		const sentAt: number[] = [];
		const record = RateLimiter.prototype.recordRequest;
		jest.spyOn(RateLimiter.prototype, 'recordRequest').mockImplementation(function (
			this: RateLimiter,
		) {
			sentAt.push(now - start);
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
		const arrivals: string[] = [];
		nock(API)
			.post('/person/contact/enrich')
			.times(1000)
			.reply(function (_path, requestBody, callback) {
				const body = requestBody as IDataObject;
				const identifiers = body.business_emails as string[];
				arrivals.push(identifiers[0]);
				const [status, entries] =
					arrivals.length === 2
						? [402, { error: { message: 'Out of credits' } }]
						: answerAll({ identifiers, body, headers: {} });
				const headers = {
					'x-credits-used': status === 200 ? '25' : '0',
					'x-ratelimit-remaining': '3',
					'x-ratelimit-reset': '30',
				};
				void realSleep([20, 10][arrivals.length - 1] ?? 150).then(() =>
					callback(null, [status, entries as nock.Body, headers]),
				);
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
		expect(arrivals).toEqual(['p0@acme.com', 'p25@acme.com', 'p50@acme.com', 'p75@acme.com']);
	});
});
