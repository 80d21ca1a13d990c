import type { IDataObject, IExecuteFunctions, IHttpRequestMethods, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { CreditBudget } from './budget';
import { chargedFor } from './budget';
import type { RateLimiter, RequestTicket } from './rateLimiter';
import type { HaltReason, ResponseHeaders, TransportFailure } from './retryPolicy';
import {
	isRateLimited,
	isRetryable,
	mayHaveBeenProcessed,
	retryDelayMs,
	retryLimit,
} from './retryPolicy';
import { waitMs } from './wait';

export const CREDENTIAL_TYPE = 'crustdataContactApi';
export const DEFAULT_BASE_URL = 'https://api.crustdata.com';

export interface CrustdataRequest {
	method: IHttpRequestMethods;
	path: string;
	body?: IDataObject;
	/**
	 * Whether a 429 is retried here. A batch submit's 429 means the account's active jobs are at
	 * their limit: its caller waits for a job to finish instead.
	 * @default true
	 */
	retryRateLimited?: boolean;
	/**
	 * Whether a time-out or dropped connection (the request may have been processed and billed) is
	 * sent again. A batch submit never is: its caller looks for the job first.
	 * @default the settings' `resendTimedOut`
	 */
	resendTimedOut?: boolean;
	/**
	 * The most one attempt can cost, for a request Crustdata bills: each attempt reserves it from
	 * the run's budget first, and none starts after the run's deadline.
	 */
	cost?: number;
}

export interface CrustdataResponse {
	statusCode: number;
	headers: ResponseHeaders;
	body: unknown;
}

/** The answer, or what went wrong once retries were spent; never the request's headers. */
export type CrustdataResult =
	| { ok: true; response: CrustdataResponse; retries: number }
	| { ok: false; failure: TransportFailure; retries: number };

/** Told of every request sent, whatever its outcome: the one place requests and credits are counted. */
export interface AttemptRecorder {
	recordAttempt(headers: ResponseHeaders | undefined): void;
	/** A request is sent again although Crustdata may have processed it (a time-out, a drop). */
	recordResend(): void;
	/** A request got no answer after Crustdata may have processed it; `cost`: its worst case. */
	recordUnanswered(cost: number | undefined): void;
}

export interface TransportSettings {
	baseUrl: string;
	limiter: RateLimiter;
	timeoutMs: number;
	/** The API key, only to scrub it from messages. */
	secret: string;
	/** The user's "Re-send Timed-Out Requests". @default false */
	resendTimedOut?: boolean;
	/** "Max Credits per Run", for requests that carry a `cost`. */
	budget?: CreditBudget;
	/** "Max Run Time": no request with a `cost` starts after this (epoch ms). */
	deadline?: number;
	recorder?: AttemptRecorder;
	now?: () => number;
}

/** What n8n's request helpers give back with `returnFullResponse: true`. */
export function isHttpResponse(value: unknown): value is CrustdataResponse {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as CrustdataResponse).statusCode === 'number'
	);
}

/** The error code of a failed connection, looked up through the wrappers n8n and axios add. */
export function networkErrorCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
		const { code } = current as { code?: unknown };
		if (typeof code === 'string' && /^[A-Z_]+$/.test(code)) return code;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

/**
 * A request that threw: a failed connection is a failure to retry; anything else (a missing
 * credential, a cancelled execution) is not ours to retry and is thrown.
 */
export function networkFailure(context: IExecuteFunctions, error: unknown): TransportFailure {
	const code = networkErrorCode(error);
	if (code === undefined || context.getExecutionCancelSignal()?.aborted) {
		throw new NodeApiError(context.getNode(), error as JsonObject);
	}
	return { kind: 'network', code, message: error instanceof Error ? error.message : String(error) };
}

function readBody(response: CrustdataResponse): TransportFailure | undefined {
	if (typeof response.body !== 'string' || response.body === '') return undefined;
	try {
		response.body = JSON.parse(response.body) as unknown;
		return undefined;
	} catch {
		return {
			kind: 'malformed',
			status: response.statusCode,
			headers: response.headers,
			detail: 'the body is not valid JSON',
		};
	}
}

async function sendOnce(
	context: IExecuteFunctions,
	request: CrustdataRequest,
	settings: TransportSettings,
): Promise<CrustdataResponse | TransportFailure> {
	try {
		const response: unknown = await context.helpers.httpRequestWithAuthentication.call(
			context,
			CREDENTIAL_TYPE,
			{
				method: request.method,
				url: `${settings.baseUrl}${request.path}`,
				body: request.body,
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: settings.timeoutMs,
			},
		);
		if (!isHttpResponse(response)) {
			return { kind: 'malformed', status: 0, headers: {}, detail: 'no HTTP response came back' };
		}
		const unreadable = readBody(response);
		if (unreadable && response.statusCode < 300) return unreadable;
		if (response.statusCode >= 400) {
			return {
				kind: 'status',
				status: response.statusCode,
				headers: response.headers,
				body: response.body,
			};
		}
		return response;
	} catch (error) {
		return networkFailure(context, error);
	}
}

/**
 * The only caller of httpRequestWithAuthentication: every request takes its turn from the limiter
 * (the first attempt may bring the turn its caller took), and what is safe to retry is retried.
 * Answers below 400 are `ok`; anything else comes back as a failure once its retries are spent,
 * for the caller to pin on exactly the items of this request.
 */
export async function crustdataApiRequest(
	this: IExecuteFunctions,
	request: CrustdataRequest,
	settings: TransportSettings,
	firstTurn?: RequestTicket,
): Promise<CrustdataResult> {
	const now = settings.now ?? Date.now;
	const signal = this.getExecutionCancelSignal();
	const cost = request.cost ?? 0;
	let last: TransportFailure | undefined;
	for (let retries = 0; ; retries++) {
		// The first turn may come from the caller, who then reserved its cost too.
		const turn =
			retries === 0 && firstTurn !== undefined
				? { ticket: firstTurn }
				: await takeTurn(request, settings, signal);
		if ('halted' in turn) {
			const failure: TransportFailure = { kind: 'halted', reason: turn.halted, after: last };
			return { ok: false, failure, retries: Math.max(0, retries - 1) };
		}
		let outcome: CrustdataResponse | TransportFailure | undefined;
		try {
			outcome = await sendOnce(this, request, settings);
		} finally {
			// Frees the slot however the request ended; only a response teaches the budget.
			const headers = outcome && 'headers' in outcome ? outcome.headers : undefined;
			settings.limiter.settle(turn.ticket, headers);
			settings.recorder?.recordAttempt(headers);
			if (outcome && 'kind' in outcome && mayHaveBeenProcessed(outcome)) {
				settings.recorder?.recordUnanswered(request.cost);
			}
			if (request.cost !== undefined) settings.budget?.settle(cost, chargedFor(outcome, cost));
		}
		if (!('kind' in outcome)) return { ok: true, response: outcome, retries };

		last = outcome;
		const resend = request.resendTimedOut ?? settings.resendTimedOut ?? false;
		if (!isRetryable(outcome, resend) || retries >= retryLimit(outcome)) {
			return { ok: false, failure: outcome, retries };
		}
		if (request.retryRateLimited === false && isRateLimited(outcome)) {
			return { ok: false, failure: outcome, retries };
		}
		if (mayHaveBeenProcessed(outcome)) settings.recorder?.recordResend();
		const delay = retryDelayMs(retries + 1, outcome, now());
		if (isRateLimited(outcome)) {
			settings.limiter.blockUntil(now() + delay);
		} else {
			await waitMs(delay, signal);
		}
	}
}

/** A turn for one attempt: its cost reserved from the run's budget, before the run's deadline. */
async function takeTurn(
	request: CrustdataRequest,
	settings: TransportSettings,
	signal: AbortSignal | undefined,
): Promise<{ ticket: RequestTicket } | { halted: HaltReason }> {
	const { cost } = request;
	if (cost !== undefined && settings.budget && !settings.budget.reserve(cost)) {
		return { halted: 'maxCredits' };
	}
	const deadline = cost === undefined ? Infinity : settings.deadline;
	const ticket = await settings.limiter.acquire(signal, undefined, deadline);
	if (ticket !== undefined) return { ticket };
	if (cost !== undefined) settings.budget?.release(cost);
	return { halted: 'maxRunMinutes' };
}
