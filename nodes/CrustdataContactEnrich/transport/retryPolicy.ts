// Which failures are worth another try, and how long to wait before it.
// Limits live in data; decisions are a flat list of early returns.

export type ResponseHeaders = Record<string, string | string[] | undefined>;

export type RequestFailure =
	| { kind: 'status'; status: number; headers: ResponseHeaders; body: unknown }
	| { kind: 'network'; code: string; message: string }
	| { kind: 'malformed'; status: number; headers: ResponseHeaders; detail: string };

/** Retries after the first attempt, per kind of failure. */
export const RETRY_LIMITS = {
	/** 5xx, time-outs and dropped connections. */
	transient: 4,
	/** 429: the server says when to come back, so waiting is cheap and safe. */
	rateLimited: 10,
} as const;

export const BACKOFF_BASE_MS = 1000;
export const BACKOFF_MAX_MS = 30_000;
/** The longest a server may ask us to wait before we give up instead. */
export const MAX_SERVER_WAIT_MS = 5 * 60_000;

// 400, 401, 402, 403 will answer the same again (and 402/403 may mean money): never retried.
const NEVER_RETRY = new Set([400, 401, 402, 403]);
// These refuse the account itself (key, plan, credits): every later request would be refused too.
const ACCOUNT_REFUSALS = new Set([401, 402, 403]);

export function refusesAccount(failure: RequestFailure): boolean {
	return failure.kind === 'status' && ACCOUNT_REFUSALS.has(failure.status);
}

export const RETRYABLE_NETWORK_CODES = new Set([
	'ECONNRESET',
	'ECONNABORTED',
	'ECONNREFUSED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EPIPE',
	'EAI_AGAIN',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
	'UND_ERR_SOCKET',
	'UND_ERR_CONNECT_TIMEOUT',
]);

export function isRateLimited(failure: RequestFailure): boolean {
	return failure.kind === 'status' && failure.status === 429;
}

export function isRetryable(failure: RequestFailure): boolean {
	// A 200 whose body cannot be read was probably billed: sending it again could buy twice.
	if (failure.kind === 'malformed') return false;
	if (failure.kind === 'network') return RETRYABLE_NETWORK_CODES.has(failure.code);
	if (NEVER_RETRY.has(failure.status)) return false;
	if (failure.status === 429) return true;
	return failure.status >= 500;
}

/** Retries allowed for this failure after the first attempt. */
export function retryLimit(failure: RequestFailure): number {
	return isRateLimited(failure) ? RETRY_LIMITS.rateLimited : RETRY_LIMITS.transient;
}

function headerValue(headers: ResponseHeaders, name: string): string | undefined {
	const value = headers[name];
	return Array.isArray(value) ? value[0] : value;
}

/** `retry-after` (seconds or a date) in ms, when the server sent one. */
export function retryAfterMs(headers: ResponseHeaders, nowMs: number): number | undefined {
	const retryAfter = headerValue(headers, 'retry-after');
	if (retryAfter === undefined || retryAfter.trim() === '') return undefined;
	const seconds = Number(retryAfter);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(retryAfter);
	return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** What the server asked for, in ms: `retry-after` (seconds or a date), else `x-ratelimit-reset` (seconds). */
export function serverWaitMs(headers: ResponseHeaders, nowMs: number): number | undefined {
	const retryAfter = retryAfterMs(headers, nowMs);
	if (retryAfter !== undefined) return retryAfter;
	const reset = Number(headerValue(headers, 'x-ratelimit-reset'));
	if (headerValue(headers, 'x-ratelimit-reset') !== undefined && Number.isFinite(reset)) {
		return Math.max(0, reset * 1000);
	}
	return undefined;
}

/**
 * Delay before retry number `retry` (1-based): the server's word when it gives one (plus a little
 * jitter so executions sharing a limit do not return in lock-step), else exponential backoff with
 * full jitter, capped.
 */
export function retryDelayMs(
	retry: number,
	failure: RequestFailure,
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
	if (asked !== undefined) return Math.min(asked, MAX_SERVER_WAIT_MS) + Math.round(random() * 250);
	const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (retry - 1));
	return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
