import type { RequestFailure } from '../../nodes/CrustdataContactEnrich/transport/retryPolicy';
import {
	retryAfterMs,
	retryDelayMs,
} from '../../nodes/CrustdataContactEnrich/transport/retryPolicy';

// Found by the e2e fault matrix: every Crustdata answer carries the sliding window's
// `x-ratelimit-reset` (up to 60 s), and a 500 was retried after that instead of after 1, 2, 4, 8 s.

const status = (code: number, headers: Record<string, string> = {}): RequestFailure => ({
	kind: 'status',
	status: code,
	headers,
	body: undefined,
});
// What the API sends with a 500 when the window holds requests: the reset of its oldest one.
const windowHeaders = {
	'x-ratelimit-limit': '15',
	'x-ratelimit-remaining': '12',
	'x-ratelimit-reset': '58',
};

describe('retryDelayMs after a 5xx', () => {
	it.each([
		[1, 500, 1000],
		[2, 1000, 2000],
		[3, 2000, 4000],
		[4, 4000, 8000],
	])('backs off exponentially on retry %i, ignoring the window reset', (retry, lowest, highest) => {
		for (const code of [500, 502, 503]) {
			expect(retryDelayMs(retry, status(code, windowHeaders), 0, () => 0)).toBe(lowest);
			expect(retryDelayMs(retry, status(code, windowHeaders), 0, () => 1)).toBe(highest);
		}
	});

	it('honours a retry-after on a 5xx', () => {
		expect(retryDelayMs(1, status(503, { ...windowHeaders, 'retry-after': '3' }), 0, () => 0)).toBe(
			3000,
		);
	});

	it('still waits the window reset after a 429', () => {
		expect(retryDelayMs(1, status(429, windowHeaders), 0, () => 0)).toBe(58_000);
	});
});

describe('retryAfterMs', () => {
	it.each([
		['seconds', { 'retry-after': '2' }, 2000],
		['a date', { 'retry-after': new Date(5000).toUTCString() }, 5000],
		['empty', { 'retry-after': ' ' }, undefined],
		['absent, with a window reset', { 'x-ratelimit-reset': '9' }, undefined],
		['garbage', { 'retry-after': 'later' }, undefined],
	])('reads %s', (_label, headers, expected) => {
		expect(retryAfterMs(headers, 0)).toBe(expected);
	});
});
