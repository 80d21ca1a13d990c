import type { ResponseHeaders } from './retryPolicy';

// Keeps this execution under the account's limit: never more than `requestsPerMinute` requests in
// any sliding window of `windowMs`, and no request while the server says none is left
// (`x-ratelimit-remaining: 0` until `x-ratelimit-reset`), since other workflows may share the limit.
// One limiter per execution: module-level state would leak between executions and workers.

export const RATE_WINDOW_MS = 60_000;

export interface RateLimiterOptions {
	/** @default 15 */
	requestsPerMinute: number;
	/** @default RATE_WINDOW_MS */
	windowMs?: number;
	now: () => number;
}

function firstHeader(headers: ResponseHeaders, name: string): string | undefined {
	const value = headers[name];
	return Array.isArray(value) ? value[0] : value;
}

export class RateLimiter {
	private readonly limit: number;

	private readonly windowMs: number;

	private readonly now: () => number;

	private sentAt: number[] = [];

	private blockedUntil = 0;

	constructor(options: RateLimiterOptions) {
		this.limit = Math.max(1, Math.floor(options.requestsPerMinute));
		this.windowMs = options.windowMs ?? RATE_WINDOW_MS;
		this.now = options.now;
	}

	/** Milliseconds to wait before the next request may be sent (0 = now). */
	delayMs(): number {
		const now = this.now();
		this.sentAt = this.sentAt.filter((sent) => now - sent < this.windowMs);
		const windowFreesAt =
			this.sentAt.length >= this.limit
				? this.sentAt[this.sentAt.length - this.limit] + this.windowMs
				: 0;
		return Math.max(0, windowFreesAt - now, this.blockedUntil - now);
	}

	recordRequest(): void {
		this.sentAt.push(this.now());
	}

	/** Learns from the server's `x-ratelimit-*` headers on any response. */
	observe(headers: ResponseHeaders): void {
		const remaining = Number(firstHeader(headers, 'x-ratelimit-remaining'));
		const reset = Number(firstHeader(headers, 'x-ratelimit-reset'));
		if (firstHeader(headers, 'x-ratelimit-remaining') === undefined || !Number.isFinite(remaining))
			return;
		if (remaining > 0 || !Number.isFinite(reset)) return;
		this.blockUntil(this.now() + Math.max(0, reset) * 1000);
	}

	/** No request before `timestamp` (a 429 told us when to come back). */
	blockUntil(timestamp: number): void {
		this.blockedUntil = Math.max(this.blockedUntil, timestamp);
	}
}
