import type { RequestFailure } from '../../nodes/CrustdataContactEnrich/transport/retryPolicy';
import {
	BACKOFF_MAX_MS,
	isRetryable,
	retryDelayMs,
	retryLimit,
	serverWaitMs,
} from '../../nodes/CrustdataContactEnrich/transport/retryPolicy';

const status = (code: number, headers: Record<string, string> = {}): RequestFailure => ({
	kind: 'status',
	status: code,
	headers,
	body: undefined,
});
const network = (code: string): RequestFailure => ({ kind: 'network', code, message: code });

describe('isRetryable', () => {
	it.each([
		['429', status(429), true],
		['500', status(500), true],
		['503', status(503), true],
		['a time-out', network('ECONNABORTED'), true],
		['a dropped connection', network('ECONNRESET'), true],
		['400', status(400), false],
		['401', status(401), false],
		['402', status(402), false],
		['403', status(403), false],
		['404', status(404), false],
		['an unknown host', network('ENOTFOUND'), false],
		[
			'a malformed 200 (maybe billed)',
			{ kind: 'malformed', status: 200, headers: {}, detail: 'x' } as RequestFailure,
			false,
		],
	])('%s → %s', (_label, failure, expected) => {
		expect(isRetryable(failure)).toBe(expected);
	});

	it('allows more retries for 429, whose wait the server names', () => {
		expect(retryLimit(status(429))).toBe(10);
		expect(retryLimit(status(500))).toBe(4);
	});
});

describe('serverWaitMs', () => {
	it.each([
		['retry-after seconds', { 'retry-after': '3' }, 3000],
		['retry-after as a date', { 'retry-after': new Date(10_000).toUTCString() }, 10_000],
		['x-ratelimit-reset with decimals', { 'x-ratelimit-reset': '1.25' }, 1250],
		[
			'retry-after before x-ratelimit-reset',
			{ 'retry-after': '2', 'x-ratelimit-reset': '9' },
			2000,
		],
		['nothing', {}, undefined],
		['garbage', { 'x-ratelimit-reset': 'soon' }, undefined],
	])('reads %s', (_label, headers, expected) => {
		expect(serverWaitMs(headers, 0)).toBe(expected);
	});
});

describe('retryDelayMs', () => {
	it('waits what the server asks, plus at most 250 ms of jitter', () => {
		expect(retryDelayMs(1, status(429, { 'x-ratelimit-reset': '4' }), 0, () => 0)).toBe(4000);
		expect(retryDelayMs(1, status(429, { 'x-ratelimit-reset': '4' }), 0, () => 1)).toBe(4250);
	});

	it.each([
		[1, 500, 1000],
		[2, 1000, 2000],
		[3, 2000, 4000],
		[4, 4000, 8000],
		[10, BACKOFF_MAX_MS / 2, BACKOFF_MAX_MS],
	])('backs off exponentially with jitter on retry %i', (retry, lowest, highest) => {
		expect(retryDelayMs(retry, status(500), 0, () => 0)).toBe(lowest);
		expect(retryDelayMs(retry, status(500), 0, () => 1)).toBe(highest);
	});
});
