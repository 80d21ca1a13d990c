import type { ResponseHeaders } from '../../nodes/CrustdataContactEnrich/transport/retryPolicy';
import { RateLimiter } from '../../nodes/CrustdataContactEnrich/transport/rateLimiter';
import { MAX_RESET_WAIT_MS } from '../../nodes/CrustdataContactEnrich/transport/limits';

function limiterAt(requestsPerMinute: number) {
	const clock = { now: 0 };
	const limiter = new RateLimiter({ requestsPerMinute, now: () => clock.now });
	return { clock, limiter };
}

const budget = (remaining: number, reset = 30): ResponseHeaders => ({
	'x-ratelimit-remaining': String(remaining),
	'x-ratelimit-reset': String(reset),
});

describe('RateLimiter: own window', () => {
	// Each request is answered before the next (with budget to spare), so only the own window
	// paces them. (Since concurrent sending, a request still in flight while the budget is unknown
	// holds the next one back: these tests now settle each request.)
	it('lets requestsPerMinute requests through, then waits for the oldest to leave the 60 s window', () => {
		const { clock, limiter } = limiterAt(3);
		for (const at of [0, 1000, 2000]) {
			clock.now = at;
			expect(limiter.delayMs()).toBe(0);
			limiter.settle(limiter.recordRequest(), budget(10));
		}
		clock.now = 2500;
		expect(limiter.delayMs()).toBe(57_500);
		clock.now = 60_000;
		expect(limiter.delayMs()).toBe(0);
		limiter.settle(limiter.recordRequest(), budget(10));
		expect(limiter.delayMs()).toBe(1000);
	});

	it('never has more than the limit in any sliding window', () => {
		const { clock, limiter } = limiterAt(15);
		const sent: number[] = [];
		while (sent.length < 100) {
			clock.now += limiter.delayMs();
			limiter.settle(limiter.recordRequest(), budget(100));
			sent.push(clock.now);
		}
		for (const start of sent) {
			expect(sent.filter((at) => at >= start && at < start + 60_000).length).toBeLessThanOrEqual(
				15,
			);
		}
		expect(sent[99]).toBe(6 * 60_000);
	});

	it('waits out x-ratelimit-reset when the server says nothing is left', () => {
		const { clock, limiter } = limiterAt(15);
		clock.now = 1000;
		limiter.observe({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '2.5' });
		expect(limiter.delayMs()).toBe(2500);
		limiter.observe({ 'x-ratelimit-remaining': '4', 'x-ratelimit-reset': '30' });
		expect(limiter.delayMs()).toBe(2500);
		clock.now = 3500;
		expect(limiter.delayMs()).toBe(0);
	});

	// The hardening issue: "0 left until 1.8e12" overflowed Node's timer (the node spun on 1 ms
	// timers); "45000" (milliseconds) waited 12.5 hours.
	it.each([
		['an epoch time in milliseconds', () => String(Date.UTC(2026, 10, 29) + 10_000), 10_000],
		['an epoch time in seconds', () => String(Date.UTC(2026, 10, 29) / 1000 + 12), 12_000],
		['milliseconds', () => '45000', MAX_RESET_WAIT_MS],
		['an epoch time far ahead', () => '1.8e12', MAX_RESET_WAIT_MS],
	])(
		'reads a reset given as %s, and never waits longer than the window allows',
		(_l, reset, wait) => {
			const { clock, limiter } = limiterAt(15);
			clock.now = Date.UTC(2026, 10, 29);
			limiter.observe({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset() });
			expect(limiter.delayMs()).toBe(wait);
		},
	);

	it('ignores missing or unreadable headers', () => {
		const { limiter } = limiterAt(15);
		limiter.observe({});
		limiter.observe({ 'x-ratelimit-remaining': 'none', 'x-ratelimit-reset': '9' });
		expect(limiter.delayMs()).toBe(0);
	});
});

// A script of steps on one limiter at clock 0 unless `at` says otherwise: `send` records a request
// (its ticket is kept under its number), `ok n headers` settles ticket n with a response,
// `fail n` settles it without one (a network failure). After the script: the delay and budget.
type Step = ['send'] | ['ok', number, ResponseHeaders] | ['fail', number] | ['at', number];

function play(requestsPerMinute: number, steps: Step[]) {
	const { clock, limiter } = limiterAt(requestsPerMinute);
	const tickets: Array<ReturnType<RateLimiter['recordRequest']>> = [];
	for (const step of steps) {
		if (step[0] === 'send') tickets.push(limiter.recordRequest());
		else if (step[0] === 'ok') limiter.settle(tickets[step[1]], step[2]);
		else if (step[0] === 'fail') limiter.settle(tickets[step[1]]);
		else clock.now = step[1];
	}
	return {
		delay: limiter.delayMs(),
		available: limiter.available(),
		inFlight: limiter.inFlightCount(),
	};
}

describe('RateLimiter: server budget and requests in flight', () => {
	it.each<[string, number, Step[], { delay: number; available: number; inFlight: number }]>([
		['the first request goes at once (the probe)', 15, [], { delay: 0, available: 0, inFlight: 0 }],
		[
			'nothing joins the probe while the budget is unknown',
			15,
			[['send']],
			{ delay: Infinity, available: 0, inFlight: 1 },
		],
		[
			'the probe answered: its remaining budget may all go at once',
			15,
			[['send'], ['ok', 0, budget(3)]],
			{ delay: 0, available: 3, inFlight: 0 },
		],
		[
			'requests sent after the answer use up the budget',
			15,
			[['send'], ['ok', 0, budget(3)], ['send'], ['send']],
			{ delay: 0, available: 1, inFlight: 2 },
		],
		[
			'budget used up with requests in flight: wait for an answer',
			15,
			[['send'], ['ok', 0, budget(2)], ['send'], ['send']],
			{ delay: Infinity, available: 0, inFlight: 2 },
		],
		[
			'an answer counts only the requests sent after its own as not yet counted',
			15,
			[['send'], ['ok', 0, budget(3)], ['send'], ['send'], ['send'], ['ok', 1, budget(3)]],
			{ delay: 0, available: 1, inFlight: 2 },
		],
		[
			'the latest answer replaces the budget, less the requests in flight when its own went',
			15,
			[['send'], ['ok', 0, budget(3)], ['send'], ['send'], ['ok', 2, budget(5)]],
			{ delay: 0, available: 4, inFlight: 1 },
		],
		[
			'an answer to a request that overtook earlier ones counts those as not yet counted',
			// The server admitted request 3 right after the probe (13 left), before 1 and 2 arrived.
			15,
			[['send'], ['ok', 0, budget(14)], ['send'], ['send'], ['send'], ['ok', 3, budget(13)]],
			{ delay: 0, available: 11, inFlight: 2 },
		],
		[
			'an overtaking answer saying 1 left, with 2 requests not yet counted: wait',
			15,
			[['send'], ['ok', 0, budget(3)], ['send'], ['send'], ['send'], ['ok', 3, budget(1)]],
			{ delay: Infinity, available: -1, inFlight: 2 },
		],
		[
			'a network failure frees its slot and keeps the budget (no headers to learn from)',
			15,
			[['send'], ['ok', 0, budget(2)], ['send'], ['send'], ['fail', 1]],
			{ delay: Infinity, available: 0, inFlight: 1 },
		],
		[
			'a failed request with headers frees its slot and updates the budget',
			15,
			[['send'], ['ok', 0, budget(2)], ['send'], ['send'], ['ok', 1, { ...budget(4) }]],
			{ delay: 0, available: 3, inFlight: 1 },
		],
		[
			'a response without headers makes the budget unknown again: probe alone',
			15,
			[['send'], ['ok', 0, budget(5)], ['send'], ['send'], ['ok', 1, {}]],
			{ delay: Infinity, available: 0, inFlight: 1 },
		],
		[
			'everything answered, budget unknown: the next probe goes',
			15,
			[['send'], ['ok', 0, {}]],
			{ delay: 0, available: 0, inFlight: 0 },
		],
		[
			'0 remaining blocks everyone until x-ratelimit-reset',
			15,
			[['at', 1000], ['send'], ['ok', 0, budget(0, 2.5)]],
			{ delay: 2500, available: 0, inFlight: 0 },
		],
		[
			'after the reset, one request goes alone to learn the budget',
			15,
			[['at', 1000], ['send'], ['ok', 0, budget(0, 2.5)], ['at', 3500], ['send']],
			{ delay: Infinity, available: -1, inFlight: 1 },
		],
		[
			'0 remaining while others are in flight: wait for them',
			15,
			[['send'], ['ok', 0, budget(2)], ['send'], ['send'], ['ok', 1, budget(0, 2)]],
			{ delay: Infinity, available: -1, inFlight: 1 },
		],
		[
			'the own window caps a large server budget',
			2,
			[['send'], ['ok', 0, budget(10)], ['send']],
			{ delay: 60_000, available: 9, inFlight: 1 },
		],
	])('%s', (_label, requestsPerMinute, steps, expected) => {
		expect(play(requestsPerMinute, steps)).toEqual(expected);
	});

	it('wakes a waiter when a request in flight ends, not before', async () => {
		const { limiter } = limiterAt(15);
		const ticket = limiter.recordRequest();
		let woken = false;
		const waiting = limiter.whenSettled().then(() => {
			woken = true;
		});
		await Promise.resolve();
		expect(woken).toBe(false);
		limiter.settle(ticket);
		await waiting;
		expect(woken).toBe(true);
	});
});
