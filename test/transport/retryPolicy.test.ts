import {
	BACKOFF_MAX_MS,
	MAX_RESET_WAIT_MS,
	MAX_SERVER_WAIT_MS,
} from '../../nodes/CrustdataContactEnrich/transport/limits';
import type { TransportFailure } from '../../nodes/CrustdataContactEnrich/transport/retryPolicy';
import {
	isRetryable,
	mayHaveBeenProcessed,
	resetWaitMs,
	retryAfterMs,
	retryDelayMs,
	retryLimit,
	serverWaitMs,
} from '../../nodes/CrustdataContactEnrich/transport/retryPolicy';

const status = (code: number, headers: Record<string, string> = {}): TransportFailure => ({
	kind: 'status',
	status: code,
	headers,
	body: undefined,
});
const network = (code: string): TransportFailure => ({ kind: 'network', code, message: code });

describe('isRetryable', () => {
	it.each([
		['429', status(429), true],
		['500', status(500), true],
		['503', status(503), true],
		['a refused connection', network('ECONNREFUSED'), true],
		['a DNS failure to retry', network('EAI_AGAIN'), true],
		['no connection in time', network('UND_ERR_CONNECT_TIMEOUT'), true],
		// Since the hardening issue: Crustdata may have processed (and billed) these.
		['a time-out', network('ECONNABORTED'), false],
		['a dropped connection', network('ECONNRESET'), false],
		['400', status(400), false],
		['401', status(401), false],
		['402', status(402), false],
		['403', status(403), false],
		['404', status(404), false],
		['an unknown host', network('ENOTFOUND'), false],
		[
			'a malformed 200 (maybe billed)',
			{ kind: 'malformed', status: 200, headers: {}, detail: 'x' } as TransportFailure,
			false,
		],
	])('%s → %s', (_label, failure, expected) => {
		expect(isRetryable(failure)).toBe(expected);
	});

	it.each([
		['a time-out', network('ECONNABORTED')],
		['a socket time-out', network('ETIMEDOUT')],
		['a dropped connection', network('ECONNRESET')],
	])(
		'retries %s only when the user allows re-sending what may have been billed',
		(_label, failure) => {
			expect(mayHaveBeenProcessed(failure)).toBe(true);
			expect(isRetryable(failure, false)).toBe(false);
			expect(isRetryable(failure, true)).toBe(true);
		},
	);

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

// Headers are input too: a reset in another unit once made the node wait 12.5 hours, or spin on
// 1 ms timers after an epoch time overflowed Node's timer.
describe('header waits are read as seconds, epoch times converted, absurd values capped', () => {
	const now = Date.UTC(2026, 10, 29, 12, 0, 0);
	it.each([
		['seconds', '45', 45_000],
		['an epoch time in seconds', String(now / 1000 + 30), 30_000],
		['an epoch time in milliseconds', String(now + 20_000), 20_000],
		['an epoch time already past', String(now - 5_000), 0],
		[
			'milliseconds given as seconds (capped at the window plus a margin)',
			'45000',
			MAX_RESET_WAIT_MS,
		],
		['a negative value', '-3', 0],
	])('x-ratelimit-reset as %s', (_label, reset, expected) => {
		expect(resetWaitMs({ 'x-ratelimit-reset': reset }, now)).toBe(expected);
	});

	it.each([
		['an epoch time in milliseconds', String(now + 90_000), 90_000],
		['a day in seconds (capped at the 429 cap)', '86400', MAX_SERVER_WAIT_MS],
		['an HTTP date', new Date(now + 7_000).toUTCString(), 7_000],
	])('retry-after as %s', (_label, retryAfter, expected) => {
		expect(retryAfterMs({ 'retry-after': retryAfter }, now)).toBe(expected);
	});

	it.each([['1.8e12'], ['45000'], ['1e300'], ['99999999999999999999']])(
		'never asks a 429 wait longer than the cap, whatever x-ratelimit-reset says (%s)',
		(reset) => {
			const delay = retryDelayMs(1, status(429, { 'x-ratelimit-reset': reset }), now, () => 1);
			expect(delay).toBeLessThanOrEqual(MAX_RESET_WAIT_MS + 250);
		},
	);
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

// Found by the e2e fault matrix: every Crustdata answer carries the sliding window's
// `x-ratelimit-reset` (up to 60 s), and a 500 was retried after that instead of after 1, 2, 4, 8 s.

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
