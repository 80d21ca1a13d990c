import { RateLimiter } from '../../nodes/CrustdataContactEnrich/transport/rateLimiter';

function limiterAt(requestsPerMinute: number) {
	const clock = { now: 0 };
	const limiter = new RateLimiter({ requestsPerMinute, now: () => clock.now });
	return { clock, limiter };
}

describe('RateLimiter', () => {
	it('lets requestsPerMinute requests through, then waits for the oldest to leave the 60 s window', () => {
		const { clock, limiter } = limiterAt(3);
		for (const at of [0, 1000, 2000]) {
			clock.now = at;
			expect(limiter.delayMs()).toBe(0);
			limiter.recordRequest();
		}
		clock.now = 2500;
		expect(limiter.delayMs()).toBe(57_500);
		clock.now = 60_000;
		expect(limiter.delayMs()).toBe(0);
		limiter.recordRequest();
		expect(limiter.delayMs()).toBe(1000);
	});

	it('never has more than the limit in any sliding window', () => {
		const { clock, limiter } = limiterAt(15);
		const sent: number[] = [];
		while (sent.length < 100) {
			clock.now += limiter.delayMs();
			limiter.recordRequest();
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

	it('ignores missing or unreadable headers', () => {
		const { limiter } = limiterAt(15);
		limiter.observe({});
		limiter.observe({ 'x-ratelimit-remaining': 'none', 'x-ratelimit-reset': '9' });
		expect(limiter.delayMs()).toBe(0);
	});
});
