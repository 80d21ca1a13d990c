import type { IExecuteFunctions, IHttpRequestOptions, INode } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { TransportSettings } from '../../nodes/CrustdataContactEnrich/transport';
import { crustdataApiRequest } from '../../nodes/CrustdataContactEnrich/transport';
import { RateLimiter } from '../../nodes/CrustdataContactEnrich/transport/rateLimiter';
import type { ResponseHeaders } from '../../nodes/CrustdataContactEnrich/transport/retryPolicy';
import { instantSleep, waits } from '../helpers/sleep';

// crustdataApiRequest on its own: a context whose request helper answers from a script, so each
// attempt, wait and count can be asserted.

type Answer = { statusCode: number; headers?: ResponseHeaders; body?: unknown } | Error;

const NODE: INode = {
	id: 'n',
	name: 'Crustdata',
	type: 'crustdataContactEnrich',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

function contextAnswering(answers: Answer[]) {
	const sent: IHttpRequestOptions[] = [];
	const context = {
		getNode: () => NODE,
		getExecutionCancelSignal: () => undefined,
		helpers: {
			httpRequestWithAuthentication: jest.fn(
				async (_type: string, options: IHttpRequestOptions) => {
					sent.push(options);
					const answer = answers[Math.min(sent.length - 1, answers.length - 1)];
					if (answer instanceof Error) throw answer;
					return { headers: {}, ...answer };
				},
			),
		},
	} as unknown as IExecuteFunctions;
	return { context, sent };
}

function settings(): TransportSettings & { attempts: Array<ResponseHeaders | undefined> } {
	const attempts: Array<ResponseHeaders | undefined> = [];
	return {
		baseUrl: 'https://api.crustdata.test',
		timeoutMs: 5000,
		secret: 'secret-key',
		limiter: new RateLimiter({ requestsPerMinute: 100, now: Date.now }),
		recorder: {
			recordAttempt: (headers) => attempts.push(headers),
			recordResend: () => undefined,
			recordUnanswered: () => undefined,
		},
		attempts,
	};
}

const networkError = (code: string) => Object.assign(new Error(`connect ${code}`), { code });
const request = { method: 'POST' as const, path: '/person/contact/enrich', body: { fields: [] } };

beforeEach(() => instantSleep());

describe('crustdataApiRequest', () => {
	it('sends one request to the base URL and path, and parses a JSON text body', async () => {
		const { context, sent } = contextAnswering([
			{ statusCode: 200, headers: { 'x-credits-used': '2' }, body: '[{"matched_on":"a"}]' },
		]);
		const transport = settings();
		const result = await crustdataApiRequest.call(context, request, transport);
		expect(result).toEqual({
			ok: true,
			retries: 0,
			response: {
				statusCode: 200,
				headers: { 'x-credits-used': '2' },
				body: [{ matched_on: 'a' }],
			},
		});
		expect(sent).toHaveLength(1);
		expect(sent[0]).toMatchObject({
			method: 'POST',
			url: 'https://api.crustdata.test/person/contact/enrich',
			body: { fields: [] },
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: 5000,
		});
		expect(transport.attempts).toEqual([{ 'x-credits-used': '2' }]);
	});

	it('retries a 5xx four times, counting every attempt, then gives the failure back', async () => {
		const { context, sent } = contextAnswering([
			{ statusCode: 503, body: { error: { message: 'down' } } },
		]);
		const transport = settings();
		const result = await crustdataApiRequest.call(context, request, transport);
		expect(result).toMatchObject({
			ok: false,
			retries: 4,
			failure: { kind: 'status', status: 503 },
		});
		expect(sent).toHaveLength(5);
		expect(transport.attempts).toHaveLength(5);
		expect(waits()).toHaveLength(4);
	});

	it('uses the turn its caller took for the first attempt and takes its own for a retry', async () => {
		const { context } = contextAnswering([{ statusCode: 500 }, { statusCode: 200, body: [] }]);
		const transport = settings();
		const acquire = jest.spyOn(transport.limiter, 'acquire');
		const turn = await transport.limiter.acquire();
		acquire.mockClear();
		const result = await crustdataApiRequest.call(context, request, transport, turn);
		expect(result.ok).toBe(true);
		expect(acquire).toHaveBeenCalledTimes(1);
		expect(transport.limiter.inFlightCount()).toBe(0);
	});

	it('blocks the limiter for the time a 429 asks, instead of sleeping in the request', async () => {
		const { context, sent } = contextAnswering([
			{ statusCode: 429, headers: { 'retry-after': '4' } },
			{ statusCode: 200, body: [] },
		]);
		const transport = settings();
		const block = jest.spyOn(transport.limiter, 'blockUntil');
		const result = await crustdataApiRequest.call(context, request, transport);
		expect(result.ok).toBe(true);
		expect(sent).toHaveLength(2);
		expect(block).toHaveBeenCalledTimes(1);
		// The retry waited for its turn, which the block set about 4 s away.
		expect(waits()).toHaveLength(1);
		expect(waits()[0]).toBeGreaterThanOrEqual(3900);
		expect(waits()[0]).toBeLessThanOrEqual(4250);
	});

	it('gives a batch submit its 429 back at once when asked not to retry it', async () => {
		const { context, sent } = contextAnswering([{ statusCode: 429 }]);
		const result = await crustdataApiRequest.call(
			context,
			{ ...request, retryRateLimited: false },
			settings(),
		);
		expect(result).toMatchObject({
			ok: false,
			retries: 0,
			failure: { kind: 'status', status: 429 },
		});
		expect(sent).toHaveLength(1);
	});

	it.each([
		['400', { statusCode: 400, body: { error: { message: 'bad' } } }],
		['401', { statusCode: 401, body: { message: 'Invalid API key in request' } }],
		['402', { statusCode: 402 }],
		['403', { statusCode: 403 }],
		['an unreadable 200', { statusCode: 200, body: '[{"matched_on": ' }],
	])('never retries %s', async (_label, answer) => {
		const { context, sent } = contextAnswering([answer]);
		const result = await crustdataApiRequest.call(context, request, settings());
		expect(result.ok).toBe(false);
		expect(sent).toHaveLength(1);
	});

	it('retries a refused connection and reports the network failure once retries are spent', async () => {
		const { context, sent } = contextAnswering([networkError('ECONNREFUSED')]);
		const transport = settings();
		const result = await crustdataApiRequest.call(context, request, transport);
		expect(result).toMatchObject({
			ok: false,
			retries: 4,
			failure: { kind: 'network', code: 'ECONNREFUSED' },
		});
		expect(sent).toHaveLength(5);
		// No response came back: nothing to learn from, but every attempt is counted.
		expect(transport.attempts).toEqual([undefined, undefined, undefined, undefined, undefined]);
	});

	it('throws what is not a network failure (a missing credential) as a NodeApiError', async () => {
		const { context } = contextAnswering([new Error('Credentials not found')]);
		await expect(crustdataApiRequest.call(context, request, settings())).rejects.toBeInstanceOf(
			NodeApiError,
		);
	});
});
