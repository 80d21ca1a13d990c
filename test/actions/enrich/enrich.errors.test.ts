import type { INodeExecutionData } from 'n8n-workflow';
import nock from 'nock';

import { runNode } from '../../integration/harness';
import type { Reply } from '../../fakes/crustdata';
import {
	answerAll,
	API,
	API_KEY,
	enrichOptions,
	fakeCrustdata,
	items,
} from '../../fakes/crustdata';
import { instantSleep, sleepMock } from '../../helpers/sleep';

// Waits are asserted, not waited: the pacing and backoff durations are what the tests check.
beforeEach(() => instantSleep());

const emails = (count: number, prefix = 'p') =>
	Array.from({ length: count }, (_, i) => `${prefix}${i}@acme.com`);
const pairedItems = (output: INodeExecutionData[] | undefined) =>
	(output ?? []).map((item) => (item.pairedItem as { item: number }).item);
const status =
	(code: number, body?: unknown, headers: Record<string, string> = {}): Reply =>
	() => [code, body ?? '', headers];

function run(
	replies: Reply[],
	count = 30,
	onError: 'continueErrorOutput' | 'stopWorkflow' = 'continueErrorOutput',
) {
	const calls = fakeCrustdata(...replies);
	const result = runNode(
		enrichOptions(
			{ identifyBy: 'businessEmail', businessEmails: '={{ $json.email }}' },
			items(emails(count), 'email'),
			{
				onError,
			},
		),
	);
	return { calls, result };
}

describe('enrich: failed requests', () => {
	it.each([
		[
			400,
			{ error: { type: 'invalid_request', message: 'fields: unknown value' } },
			'Crustdata rejected the request as invalid (400)',
			'fields: unknown value',
		],
		[
			401,
			{ message: 'Invalid API key in request' },
			'Crustdata rejected the API key (401): check the API key in the Crustdata credential',
			'Invalid API key in request',
		],
		[
			402,
			{ error: { type: 'insufficient_credits', message: 'Out of credits' } },
			'The Crustdata account is out of credits (402): add credits, then run the workflow again',
			'Out of credits',
		],
		[
			403,
			{ error: { type: 'permission_error', message: 'No contact access' } },
			'The Crustdata plan has no access to contact data, or the account is out of credits (403): contact enrichment needs an enterprise plan with credits',
			'No contact access',
		],
	])(
		'%i is not retried and fails exactly the items of its request',
		async (code, body, message, description) => {
			const { calls, result } = run([answerAll, status(code, body)]);
			const { output } = await result;
			expect(calls.map((call) => call.identifiers.length)).toEqual([25, 5]);
			expect(pairedItems(output[0])).toEqual(Array.from({ length: 25 }, (_, i) => i));
			expect(pairedItems(output[1])).toEqual([25, 26, 27, 28, 29]);
			expect(output[1][0].json).toMatchObject({
				error: message,
				details: { description, httpCode: String(code), identifiers: ['p25@acme.com'] },
			});
			expect(sleepMock).not.toHaveBeenCalled();
		},
	);

	it('sends nothing more once the account is refused, and says so on the items never sent', async () => {
		const { calls, result } = run([status(402, { error: { message: 'Out of credits' } })], 60);
		const { output } = await result;
		expect(calls.map((call) => call.identifiers.length)).toEqual([25]);
		expect(output[0] ?? []).toEqual([]);
		expect(pairedItems(output[1])).toEqual(Array.from({ length: 60 }, (_, i) => i));
		const message =
			'The Crustdata account is out of credits (402): add credits, then run the workflow again';
		expect(output[1][0].json).toMatchObject({
			error: message,
			details: { description: 'Out of credits', httpCode: '402' },
		});
		expect(output[1][25].json).toMatchObject({
			error: message,
			details: {
				description:
					'Not sent: Crustdata refused an earlier request of this run (Out of credits), so the node sent nothing more. Nothing was bought for this item.',
				identifiers: ['p25@acme.com'],
			},
		});
	});

	it('stops the run with the error, and says what was already bought, without Continue On Fail', async () => {
		const { calls, result } = run(
			[answerAll, status(402, { error: { message: 'Out of credits' } })],
			30,
			'stopWorkflow',
		);
		await expect(result).rejects.toMatchObject({
			message:
				'The Crustdata account is out of credits (402): add credits, then run the workflow again',
			description: expect.stringContaining(
				'25 identifiers had already been enriched for 25 credits.',
			),
			httpCode: '402',
		});
		expect(calls).toHaveLength(2);
	});

	it('retries a 500 with backoff and gives up after 4 retries', async () => {
		const { calls, result } = run(
			[status(500, { error: { message: 'Internal server error' } })],
			3,
		);
		const { output } = await result;
		expect(calls).toHaveLength(5);
		// Full jitter over the upper half of 1, 2, 4 and 8 seconds.
		const waits = sleepMock.mock.calls.map(([ms]) => ms);
		expect(waits).toHaveLength(4);
		[1000, 2000, 4000, 8000].forEach((ceiling, retry) => {
			expect(waits[retry]).toBeGreaterThanOrEqual(ceiling / 2);
			expect(waits[retry]).toBeLessThanOrEqual(ceiling);
		});
		expect(output[1].map((item) => item.json.error)).toEqual(
			Array(3).fill('Crustdata had a server error (500) after 4 retries: try again later'),
		);
	});

	it('succeeds when a 500 is followed by a 200, and sends nothing twice after that', async () => {
		const { calls, result } = run([status(500), answerAll], 30);
		const { output } = await result;
		expect(calls.map((call) => call.identifiers.length)).toEqual([25, 25, 5]);
		expect(output[0]).toHaveLength(30);
		expect(output[1] ?? []).toEqual([]);
	});

	it('waits out a 429 for as long as x-ratelimit-reset says, then succeeds', async () => {
		const { calls, result } = run(
			[
				status(429, undefined, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '7' }),
				answerAll,
			],
			3,
		);
		const { output } = await result;
		expect(calls).toHaveLength(2);
		expect(sleepMock).toHaveBeenCalledTimes(1);
		expect(sleepMock.mock.calls[0][0]).toBeGreaterThanOrEqual(6900);
		expect(sleepMock.mock.calls[0][0]).toBeLessThanOrEqual(7250);
		expect(output[0]).toHaveLength(3);
	});

	it('gives up on a 429 storm after 10 retries', async () => {
		const { calls, result } = run([status(429, undefined, { 'retry-after': '1' })], 2);
		const { output } = await result;
		expect(calls).toHaveLength(11);
		expect(output[1][0].json.error).toBe(
			'Crustdata kept answering 429 (rate limit reached) after 10 retries: another workflow may share this account\'s limit; lower "Requests per Minute" or run later',
		);
	});

	// Changed with the hardening issue: a time-out may come after Crustdata billed the request, so
	// it is no longer re-sent unless the user turns on "Re-Send Timed-Out Requests".
	it('does not send a timed-out request again by default: Crustdata may have billed it', async () => {
		nock(API).post('/person/contact/enrich').delay(1500).reply(200, [], { 'x-credits-used': '2' });
		const calls = fakeCrustdata(answerAll);
		const { output, hints } = await runNode(
			enrichOptions(
				{
					identifyBy: 'businessEmail',
					businessEmails: '={{ $json.email }}',
					options: { timeoutSeconds: 1 },
				},
				items(emails(2), 'email'),
				{ onError: 'continueErrorOutput' },
			),
		);
		expect(calls).toHaveLength(0);
		expect(sleepMock).not.toHaveBeenCalled();
		expect(output[0]).toEqual([]);
		expect(output[1].map((item) => item.json.error)).toEqual(
			Array(2).fill(
				'Crustdata did not answer (the request timed out) and the request was not sent again: Crustdata may already have processed and billed it. Check the account\'s usage before you run these items again, or turn on "Re-Send Timed-Out Requests" in Options',
			),
		);
		expect(hints[0].message).toBe(
			'Crustdata: 1 request, 2 distinct identifiers sent, 0 matched, 0 unmatched, 2 failed, 0 credits used, and 1 request with no answer may have been billed (up to 2 more credits).',
		);
	});

	it('sends a timed-out request again with "Re-Send Timed-Out Requests", and says so', async () => {
		nock(API).post('/person/contact/enrich').delay(1500).reply(200, []);
		const calls = fakeCrustdata(answerAll);
		const { output, hints } = await runNode(
			enrichOptions(
				{
					identifyBy: 'businessEmail',
					businessEmails: '={{ $json.email }}',
					options: { timeoutSeconds: 1, resendTimedOut: true },
				},
				items(emails(2), 'email'),
			),
		);
		expect(calls).toHaveLength(1);
		expect(sleepMock).toHaveBeenCalledTimes(1);
		expect(output[0].map((item) => item.json.identifier)).toEqual(['p0@acme.com', 'p1@acme.com']);
		expect(hints[0].message).toBe(
			'Crustdata: 2 requests, 2 distinct identifiers sent, 2 matched, 0 unmatched, 1 request re-sent after a time-out, 2 credits used, and 1 request with no answer may have been billed (up to 2 more credits).',
		);
	});

	it('does not resend a 200 whose body is not JSON: it may have been billed', async () => {
		const { calls, result } = run([() => [200, '[{"matched_on": ', { 'x-credits-used': '3' }]], 2);
		const { output } = await result;
		expect(calls).toHaveLength(1);
		expect(output[1].map((item) => item.json.error)).toEqual(
			Array(2).fill(
				'Crustdata answered 200 but the body is not valid JSON; the request was not sent again, because it may already have been billed',
			),
		);
	});

	it('fails only the identifiers a short answer left out', async () => {
		const short: Reply = (call) => {
			const [, body, headers] = answerAll(call);
			return [200, (body as unknown[]).slice(0, -1), headers];
		};
		const { calls, result } = run([short], 3);
		const { output } = await result;
		expect(calls).toHaveLength(1);
		expect(pairedItems(output[0])).toEqual([0, 1]);
		expect(pairedItems(output[1])).toEqual([2]);
		expect(output[1][0].json.error).toContain(
			'Crustdata answered 2 of the 3 identifiers in one request and left this one out',
		);
	});

	// Changed with the hardening issue: only the API's own JSON 404 means "no match"; any other 404
	// (an HTML page, an empty body, a gateway's `{message}`) is a wrong address, and an error.
	it("treats the API's own JSON 404 as no match for every identifier of that request", async () => {
		const calls = fakeCrustdata(
			status(404, { error: { type: 'not_found', message: 'No records found' } }),
		);
		const { output, hints } = await runNode(
			enrichOptions(
				{
					identifyBy: 'businessEmail',
					businessEmails: '={{ $json.email }}',
					options: { includeUnmatched: true },
				},
				items(emails(2), 'email'),
			),
		);
		expect(calls).toHaveLength(1);
		expect(output[0].map((item) => [item.json.identifier, item.json.matched])).toEqual([
			['p0@acme.com', false],
			['p1@acme.com', false],
		]);
		expect(hints[0].message).toBe(
			'Crustdata: 1 request, 2 distinct identifiers sent, 0 matched, 2 unmatched, 0 credits used.',
		);
	});

	it.each([
		['an HTML page', '<html><body><h1>404 Not Found</h1></body></html>'],
		['an empty body', ''],
		["a gateway's own shape", { message: 'Not Found' }],
	])(
		'fails the items of a 404 with %s, naming the address and the Base URL',
		async (_label, body) => {
			const { calls, result } = run([status(404, body)], 2);
			const { output } = await result;
			expect(calls).toHaveLength(1);
			expect(output[0] ?? []).toEqual([]);
			expect(output[1].map((item) => item.json.error)).toEqual(
				Array(2).fill(
					"Nothing answers at https://api.crustdata.test/person/contact/enrich (404, and not Crustdata's own answer): check the Base URL in the credential (https://api.crustdata.test); it should be https://api.crustdata.com or a proxy that forwards to it",
				),
			);
		},
	);
});

describe('enrich: the API key never leaks', () => {
	it('keeps the key out of errors even when the server echoes it', async () => {
		const { result } = run(
			[status(401, { message: `Invalid API key in request: Bearer ${API_KEY}` })],
			1,
			'stopWorkflow',
		);
		const error: unknown = await result.catch((caught: unknown) => caught);
		expect(error).toMatchObject({
			message:
				'Crustdata rejected the API key (401): check the API key in the Crustdata credential',
		});
		expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(API_KEY);
	});

	it('keeps the key out of error items and sends it only as the bearer header', async () => {
		const { calls, result } = run(
			[status(403, { error: { message: `key ${API_KEY} has no contact access` } })],
			1,
		);
		const { output } = await result;
		expect(calls[0].headers.authorization).toBe(`Bearer ${API_KEY}`);
		expect(calls[0].headers['x-api-version']).toBe('2025-11-01');
		expect(JSON.stringify(output)).not.toContain(API_KEY);
		expect(output[1][0].json.details).toMatchObject({
			description: 'key *** has no contact access',
		});
	});
});
