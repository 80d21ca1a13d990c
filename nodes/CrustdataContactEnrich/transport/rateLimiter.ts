import { DEFAULT_REQUESTS_PER_MINUTE, RATE_WINDOW_MS } from './limits';
import type { ResponseHeaders } from './retryPolicy';
import { headerValue, resetWaitMs } from './retryPolicy';
import { waitMs } from './wait';

// Keeps this execution under the account's limit while sending as much at once as it allows:
// - never more than `requestsPerMinute` requests in any sliding window of `windowMs` (own window,
//   counted when a turn is given);
// - never more in flight than the server's last known budget: `x-ratelimit-remaining` of the
//   latest answer, minus the requests the server may not have counted when it wrote it: those sent
//   after the request it answers, and those still in flight when that request went (requests
//   overtake each other on the way, over sockets old and new);
// - while that budget is unknown (the first request, or the latest answer had no such header),
//   one request goes alone to learn it (a probe);
// - none while the server says nothing is left (`x-ratelimit-remaining: 0` until
//   `x-ratelimit-reset`) or a 429 asked us to wait, since other workflows may share the limit.
// A request is counted when `acquire` gives it its turn, so how its sender awaits afterwards
// cannot change the pace. One limiter per execution: module-level state would leak between
// executions and workers.

export interface RateLimiterOptions {
	/** @default 15 */
	requestsPerMinute: number;
	/** @default RATE_WINDOW_MS */
	windowMs?: number;
	now: () => number;
}

/** One request's turn: counted from `acquire`; hand it back to `settle` when the request ends. */
export interface RequestTicket {
	seq: number;
	/** Requests in flight when this one got its turn: the server may count them after it. */
	inFlightBefore: number;
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
	private budget: { remaining: number; ticket: RequestTicket } | undefined;

	private waiters: Array<() => void> = [];

	/** `x-ratelimit-limit` as the server last said it. */
	private serverLimit: number | undefined;

	/** The window's length as measured from a "0 left" answer (the headers do not name it). */
	private measuredWindowMs: number | undefined;

	constructor(options: RateLimiterOptions) {
		this.limit = Math.max(1, Math.floor(options.requestsPerMinute));
		this.windowMs = options.windowMs ?? RATE_WINDOW_MS;
		this.now = options.now;
	}

	/**
	 * Waits until one more request may go, then counts it and returns its ticket. The caller sends
	 * the request carrying that ticket and settles it when the request ends. While only an answer
	 * can free the budget, the wait lasts until a request in flight is settled, or, when given,
	 * until `whenAnswerUsed` resolves (a pool that must read an answer before it sends more).
	 * Undefined when the turn would come only after `deadline` (epoch ms): nothing is counted.
	 */
	async acquire(
		signal?: AbortSignal,
		whenAnswerUsed?: () => Promise<void>,
		deadline = Infinity,
	): Promise<RequestTicket | undefined> {
		if (!(await this.waitForTurn(signal, whenAnswerUsed, deadline))) return undefined;
		// Counted in the same step as the last check: no other turn can come in between.
		return this.recordRequest();
	}

	private async waitForTurn(
		signal: AbortSignal | undefined,
		whenAnswerUsed: (() => Promise<void>) | undefined,
		deadline: number,
	): Promise<boolean> {
		for (let wait = this.delayMs(); ; wait = this.delayMs()) {
			if (this.now() + (wait === Infinity ? 0 : wait) > deadline) return false;
			if (wait === 0) return true;
			if (wait === Infinity) {
				await (whenAnswerUsed ? whenAnswerUsed() : this.whenSettled(signal));
				signal?.throwIfAborted();
				continue;
			}
			await waitMs(wait, signal);
			// The wait was the one asked for; only a budget used up meanwhile holds this request back.
			if (this.delayMs() !== Infinity) return this.now() <= deadline;
		}
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
		const { remaining, ticket } = this.budget;
		return remaining - ticket.inFlightBefore - (this.sent - 1 - ticket.seq);
	}

	/** Requests sent and not answered yet. */
	inFlightCount(): number {
		return this.inFlight;
	}

	/**
	 * The pace this limiter can keep: requests per window and the window's length, as the
	 * server's headers tell them (the documented 60 s until an answer shows otherwise).
	 */
	pace(): { requestsPerWindow: number; windowMs: number } {
		// Until an answer names the account's limit, Crustdata's default is the best guess.
		const requestsPerWindow = Math.min(this.limit, this.serverLimit ?? DEFAULT_REQUESTS_PER_MINUTE);
		return { requestsPerWindow, windowMs: this.measuredWindowMs ?? this.windowMs };
	}

	/** Counts a request now, without waiting: `acquire` is the way to send one. */
	recordRequest(): RequestTicket {
		this.sentAt.push(this.now());
		const ticket = { seq: this.sent++, inFlightBefore: this.inFlight };
		this.inFlight++;
		return ticket;
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

	/** Resolves when the next request in flight ends, or the signal aborts. */
	async whenSettled(signal?: AbortSignal): Promise<void> {
		if (this.inFlight === 0 || signal?.aborted) return;
		await new Promise<void>((resolve) => {
			const wake = () => {
				signal?.removeEventListener('abort', wake);
				resolve();
			};
			signal?.addEventListener('abort', wake, { once: true });
			this.waiters.push(wake);
		});
		signal?.throwIfAborted();
	}

	/** Learns from the server's `x-ratelimit-*` headers on any response. */
	observe(
		headers: ResponseHeaders,
		ticket: RequestTicket = { seq: this.sent - 1, inFlightBefore: 0 },
	): void {
		const raw = headerValue(headers, 'x-ratelimit-remaining');
		const remaining = Number(raw);
		if (raw === undefined || raw.trim() === '' || !Number.isFinite(remaining)) {
			// A response without the header (a proxy's error page, another endpoint): probe again.
			this.budget = undefined;
			return;
		}
		this.budget = { remaining: Math.max(0, Math.floor(remaining)), ticket };
		const limit = Number(headerValue(headers, 'x-ratelimit-limit'));
		if (Number.isFinite(limit) && limit >= 1) this.serverLimit = Math.floor(limit);
		const now = this.now();
		const resetMs = resetWaitMs(headers, now);
		if (remaining > 0 || resetMs === undefined) return;
		this.measureWindow(now, resetMs);
		// Answers that arrive together all say "0 left until the oldest request leaves": the first
		// one heard says it soonest after the server wrote it. Those heard later (processed after
		// the others) would only push the same moment back, by their own delay.
		if (now < this.emptyUntil) return;
		this.emptyUntil = now + resetMs;
		this.blockUntil(this.emptyUntil);
	}

	/**
	 * "0 left until the oldest leaves in `resetMs`": the oldest of the server's last `limit`
	 * requests was (about) our `limit`-th latest send, so the window is its age plus `resetMs`.
	 */
	private measureWindow(now: number, resetMs: number): void {
		const limit = this.serverLimit;
		if (limit === undefined || this.sentAt.length < limit) return;
		const oldest = this.sentAt[this.sentAt.length - limit];
		this.measuredWindowMs = Math.max(1, now - oldest + resetMs);
	}

	/** No request before `timestamp` (a 429 told us when to come back). */
	blockUntil(timestamp: number): void {
		this.blockedUntil = Math.max(this.blockedUntil, timestamp);
	}
}
