import type { ResponseHeaders } from './retryPolicy';

// Keeps this execution under the account's limit while sending as much at once as it allows:
// - never more than `requestsPerMinute` requests in any sliding window of `windowMs` (own window,
//   counted at send time);
// - never more in flight than the server's last known budget: `x-ratelimit-remaining` of the
//   latest answer, minus the requests sent after the request it answers (the server may not have
//   counted those yet);
// - while that budget is unknown (the first request, or the latest answer had no such header),
//   one request goes alone to learn it (a probe);
// - none while the server says nothing is left (`x-ratelimit-remaining: 0` until
//   `x-ratelimit-reset`) or a 429 asked us to wait, since other workflows may share the limit.
// One limiter per execution: module-level state would leak between executions and workers.

export const RATE_WINDOW_MS = 60_000;

export interface RateLimiterOptions {
	/** @default 15 */
	requestsPerMinute: number;
	/** @default RATE_WINDOW_MS */
	windowMs?: number;
	now: () => number;
}

/** One request on the wire: hand it back to `settle` when it ends. */
export interface RequestTicket {
	seq: number;
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

	/** Until when the server's latest "0 left" answer holds (the oldest request leaves then). */
	private emptyUntil = 0;

	private sent = 0;

	private inFlight = 0;

	/** `x-ratelimit-remaining` of the latest answer and the ticket it answered; unknown at first. */
	private budget: { remaining: number; afterSeq: number } | undefined;

	private waiters: Array<() => void> = [];

	constructor(options: RateLimiterOptions) {
		this.limit = Math.max(1, Math.floor(options.requestsPerMinute));
		this.windowMs = options.windowMs ?? RATE_WINDOW_MS;
		this.now = options.now;
	}

	/**
	 * Milliseconds to wait before the next request may be sent: 0 = now; `Infinity` = only when a
	 * request in flight answers (no passing time frees the budget). A finite wait is never
	 * shortened by an answer: answers can only block longer or use up the budget.
	 */
	delayMs(): number {
		const now = this.now();
		this.sentAt = this.sentAt.filter((sent) => now - sent < this.windowMs);
		const windowFreesAt =
			this.sentAt.length >= this.limit
				? this.sentAt[this.sentAt.length - this.limit] + this.windowMs
				: 0;
		const timed = Math.max(0, windowFreesAt - now, this.blockedUntil - now);
		// With nothing in flight one request may always go (a probe): its answer tells the budget.
		return this.inFlight > 0 && this.available() <= 0 ? Infinity : timed;
	}

	/** Requests the server's latest known budget still allows (0 while unknown). */
	available(): number {
		if (this.budget === undefined) return 0;
		return this.budget.remaining - (this.sent - 1 - this.budget.afterSeq);
	}

	/** Requests sent and not answered yet. */
	inFlightCount(): number {
		return this.inFlight;
	}

	recordRequest(): RequestTicket {
		this.sentAt.push(this.now());
		this.inFlight++;
		return { seq: this.sent++ };
	}

	/**
	 * A request ended. `headers` are its response's (learn the budget from them); none when no
	 * response came back (a network failure): the slot is freed and the budget left as it was.
	 */
	settle(ticket: RequestTicket, headers?: ResponseHeaders): void {
		this.inFlight = Math.max(0, this.inFlight - 1);
		if (headers !== undefined) this.observe(headers, ticket);
		const waiters = this.waiters;
		this.waiters = [];
		for (const wake of waiters) wake();
	}

	/** Resolves when the next request in flight ends (for a caller told to wait `Infinity`). */
	async whenSettled(): Promise<void> {
		if (this.inFlight === 0) return;
		await new Promise<void>((resolve) => this.waiters.push(resolve));
	}

	/** Learns from the server's `x-ratelimit-*` headers on any response. */
	observe(headers: ResponseHeaders, ticket: RequestTicket = { seq: this.sent - 1 }): void {
		const raw = firstHeader(headers, 'x-ratelimit-remaining');
		const remaining = Number(raw);
		if (raw === undefined || raw.trim() === '' || !Number.isFinite(remaining)) {
			// A response without the header (a proxy's error page, another endpoint): probe again.
			this.budget = undefined;
			return;
		}
		this.budget = { remaining: Math.max(0, Math.floor(remaining)), afterSeq: ticket.seq };
		const reset = Number(firstHeader(headers, 'x-ratelimit-reset'));
		if (remaining > 0 || !Number.isFinite(reset)) return;
		// Answers that arrive together all say "0 left until the oldest request leaves": the first
		// one heard says it soonest after the server wrote it. Those heard later (processed after
		// the others) would only push the same moment back, by their own delay.
		const now = this.now();
		if (now < this.emptyUntil) return;
		this.emptyUntil = now + Math.max(0, reset) * 1000;
		this.blockUntil(this.emptyUntil);
	}

	/** No request before `timestamp` (a 429 told us when to come back). */
	blockUntil(timestamp: number): void {
		this.blockedUntil = Math.max(this.blockedUntil, timestamp);
	}
}
