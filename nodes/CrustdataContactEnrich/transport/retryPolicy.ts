import {
	BACKOFF_BASE_MS,
	BACKOFF_MAX_MS,
	MAX_RESET_WAIT_MS,
	MAX_SERVER_WAIT_MS,
	RETRY_LIMITS,
} from './limits';

// Which failures are worth another try, and how long to wait before it.
// Limits live in data (limits.ts); decisions are a flat list of early returns.

export type ResponseHeaders = Record<string, string | string[] | undefined>;

/** A limit of the run ("Max Credits per Run", "Max Run Time") that stopped a request going out. */
export type HaltReason = 'maxCredits' | 'maxRunMinutes';

/** Why one request to Crustdata got no usable answer (the transport's view). */
export type TransportFailure =
	| { kind: 'status'; status: number; headers: ResponseHeaders; body: unknown }
	| { kind: 'network'; code: string; message: string }
	| { kind: 'malformed'; status: number; headers: ResponseHeaders; detail: string }
	/** Not sent (again) because of a run limit; `after` is the failure of the attempt before. */
	| { kind: 'halted'; reason: HaltReason; after?: TransportFailure };

// 400, 401, 402, 403 will answer the same again (and 402/403 may mean money): never retried.
const NEVER_RETRY = new Set([400, 401, 402, 403]);
// These refuse the account itself (key, plan, credits): every later request would be refused too.
const ACCOUNT_REFUSALS = new Set([401, 402, 403]);

export function refusesAccount(failure: TransportFailure): boolean {
	return failure.kind === 'status' && ACCOUNT_REFUSALS.has(failure.status);
}

// Network failures in two kinds. Before the request reached Crustdata (refused, no DNS answer, no
// connection in time) nothing can have been processed: sending again is safe. After it may have
// been sent (a time-out waiting for the answer, a dropped connection), Crustdata may have processed
// and billed it, and the API has no idempotency key: money before availability, so these are sent
// again only when the user allows it.
export const NOT_SENT_NETWORK_CODES = new Set([
	'ECONNREFUSED',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
	'UND_ERR_CONNECT_TIMEOUT',
]);

export const MAYBE_PROCESSED_NETWORK_CODES = new Set([
	'ECONNRESET',
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EPIPE',
	'UND_ERR_SOCKET',
]);

export function isRateLimited(failure: TransportFailure): boolean {
	return failure.kind === 'status' && failure.status === 429;
}

/** Whether Crustdata may have processed (and billed) the request although no answer came. */
export function mayHaveBeenProcessed(failure: TransportFailure): boolean {
	return failure.kind === 'network' && MAYBE_PROCESSED_NETWORK_CODES.has(failure.code);
}

/**
 * Whether another try is worth it. `resendProcessed`: the user allows re-sending a request that
 * may already have been processed (a time-out, a dropped connection).
 */
export function isRetryable(failure: TransportFailure, resendProcessed = false): boolean {
	// A 200 whose body cannot be read was probably billed: sending it again could buy twice.
	if (failure.kind === 'malformed' || failure.kind === 'halted') return false;
	if (failure.kind === 'network') {
		if (mayHaveBeenProcessed(failure)) return resendProcessed;
		return NOT_SENT_NETWORK_CODES.has(failure.code);
	}
	if (NEVER_RETRY.has(failure.status)) return false;
	if (failure.status === 429) return true;
	return failure.status >= 500;
}

/** Retries allowed for this failure after the first attempt. */
export function retryLimit(failure: TransportFailure): number {
	return isRateLimited(failure) ? RETRY_LIMITS.rateLimited : RETRY_LIMITS.transient;
}

export function headerValue(headers: ResponseHeaders, name: string): string | undefined {
	const value = headers[name];
	return Array.isArray(value) ? value[0] : value;
}

// Headers are input too. Documented as seconds to wait, some servers and proxies send an epoch
// time instead; anything past these is read as one.
const EPOCH_MS_FROM = 1e11; // 1973 in milliseconds; 3,170 years in seconds
const EPOCH_SECONDS_FROM = 1e9; // 2001 in seconds; 31 years to wait

/** A header's number as milliseconds to wait from `nowMs`, or undefined when it is no number. */
export function headerWaitMs(raw: string | undefined, nowMs: number): number | undefined {
	if (raw === undefined || raw.trim() === '') return undefined;
	const value = Number(raw);
	if (!Number.isFinite(value)) return undefined;
	if (value >= EPOCH_MS_FROM) return Math.max(0, value - nowMs);
	if (value >= EPOCH_SECONDS_FROM) return Math.max(0, value * 1000 - nowMs);
	return Math.max(0, value * 1000);
}

/** `x-ratelimit-reset` in ms, never more than the window can hold (MAX_RESET_WAIT_MS). */
export function resetWaitMs(headers: ResponseHeaders, nowMs: number): number | undefined {
	const wait = headerWaitMs(headerValue(headers, 'x-ratelimit-reset'), nowMs);
	return wait === undefined ? undefined : Math.min(wait, MAX_RESET_WAIT_MS);
}

/** `retry-after` (seconds, an epoch time or an HTTP date) in ms, capped at MAX_SERVER_WAIT_MS. */
export function retryAfterMs(headers: ResponseHeaders, nowMs: number): number | undefined {
	const retryAfter = headerValue(headers, 'retry-after');
	const wait =
		headerWaitMs(retryAfter, nowMs) ??
		(retryAfter === undefined || Number.isNaN(Date.parse(retryAfter))
			? undefined
			: Math.max(0, Date.parse(retryAfter) - nowMs));
	return wait === undefined ? undefined : Math.min(wait, MAX_SERVER_WAIT_MS);
}

/** What the server asked for, in ms: `retry-after`, else `x-ratelimit-reset`; both capped. */
export function serverWaitMs(headers: ResponseHeaders, nowMs: number): number | undefined {
	return retryAfterMs(headers, nowMs) ?? resetWaitMs(headers, nowMs);
}

/**
 * Delay before retry number `retry` (1-based): the server's word when it gives one, capped (plus a little jitter so executions sharing a limit do not return in
 * lock-step), else exponential backoff with half jitter (between half and all of the step),
 * capped at BACKOFF_MAX_MS.
 */
export function retryDelayMs(
	retry: number,
	failure: TransportFailure,
	nowMs: number,
	random: () => number = Math.random,
): number {
	// Every answer carries `x-ratelimit-reset`, the time until the sliding window's oldest request
	// leaves it (up to 60 s): a reason to wait after a 429, not after a 5xx. `retry-after` is
	// honoured on any status.
	const asked =
		failure.kind !== 'status'
			? undefined
			: isRateLimited(failure)
				? serverWaitMs(failure.headers, nowMs)
				: retryAfterMs(failure.headers, nowMs);
	if (asked !== undefined) return asked + Math.round(random() * 250);
	const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (retry - 1));
	return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
