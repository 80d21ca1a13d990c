import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { TransportFailure } from './retryPolicy';
import { mayHaveBeenProcessed } from './retryPolicy';

// One message per failure: what happened and what to do. The API's own text goes into the
// description, sanitised; it is human text, shown but never branched on.

const MAX_API_MESSAGE_LENGTH = 500;

const STATUS_MESSAGES: Record<number, string> = {
	400: 'Crustdata rejected the request as invalid (400)',
	401: 'Crustdata rejected the API key (401): check the API key in the Crustdata credential',
	402: 'The Crustdata account is out of credits (402): add credits, then run the workflow again',
	403: 'The Crustdata plan has no access to contact data, or the account is out of credits (403): contact enrichment needs an enterprise plan with credits',
	404: 'Crustdata answered 404 for this request',
	429: 'Crustdata kept answering 429 (rate limit reached)',
};

/** The API's error text, if any: `{error: {message}}`, or the gateway's `{message}`. */
export function apiErrorText(body: unknown): string | undefined {
	if (typeof body === 'string') return body.trim() === '' ? undefined : body;
	if (typeof body !== 'object' || body === null) return undefined;
	const { error, message } = body as { error?: unknown; message?: unknown };
	if (typeof error === 'object' && error !== null) {
		const nested = (error as { message?: unknown }).message;
		if (typeof nested === 'string') return nested;
	}
	if (typeof message === 'string') return message;
	if (typeof error === 'string') return error;
	return undefined;
}

/** Removes the secret (and anything that looks like a bearer token) and bounds the length. */
export function sanitizeApiMessage(text: string, secret?: string): string {
	let clean = text.replace(/bearer\s+[^\s"',]+/gi, 'Bearer ***');
	if (secret !== undefined && secret.length >= 4) clean = clean.split(secret).join('***');
	return clean.length > MAX_API_MESSAGE_LENGTH
		? `${clean.slice(0, MAX_API_MESSAGE_LENGTH)}…`
		: clean;
}

export interface FailureContext {
	itemIndex: number;
	retries: number;
	secret?: string;
	/** Where the request went, named when the address itself looks wrong (a foreign 404). */
	address?: { baseUrl: string; path: string };
	/** The user's "Re-send Timed-Out Requests". @default false */
	resendTimedOut?: boolean;
}

/**
 * Whether a body is the API's own error answer (`{"error": {"type" | "message": …}}`). A 404 with
 * such a body is Crustdata speaking; any other 404 (an HTML page, an empty body, another shape)
 * means the address does not exist there: a wrong Base URL, or a proxy without the route.
 */
export function isApiErrorBody(body: unknown): boolean {
	if (typeof body !== 'object' || body === null) return false;
	const { error } = body as { error?: unknown };
	if (typeof error !== 'object' || error === null) return false;
	const { type, message } = error as { type?: unknown; message?: unknown };
	return typeof type === 'string' || typeof message === 'string';
}

/** A 404 that is Crustdata's own answer (for enrich: nothing in the request matched). */
export function isApiNotFound(failure: TransportFailure): boolean {
	return failure.kind === 'status' && failure.status === 404 && isApiErrorBody(failure.body);
}

export function isForeignNotFound(failure: TransportFailure): boolean {
	return failure.kind === 'status' && failure.status === 404 && !isApiErrorBody(failure.body);
}

const NETWORK_PROBLEMS: Record<string, string> = {
	ETIMEDOUT: 'the request timed out',
	ECONNABORTED: 'the request timed out',
	ESOCKETTIMEDOUT: 'the request timed out',
	UND_ERR_CONNECT_TIMEOUT: 'the request timed out',
	ERR_SOCKET_CONNECTION_TIMEOUT: 'the request timed out',
	ECONNRESET: 'the connection was dropped',
	EPIPE: 'the connection was dropped',
	UND_ERR_SOCKET: 'the connection was dropped',
	ECONNREFUSED: 'the connection was refused',
};

function networkProblem(code: string): string {
	return NETWORK_PROBLEMS[code] ?? 'the network failed';
}

function failureMessage(failure: TransportFailure, context: FailureContext): string {
	const { retries } = context;
	const after = retries > 0 ? ` after ${retries} ${retries === 1 ? 'retry' : 'retries'}` : '';
	if (failure.kind === 'network') {
		// Plain words, not the code: n8n replaces messages that contain a code such as ECONNRESET.
		const problem = networkProblem(failure.code);
		if (mayHaveBeenProcessed(failure) && context.resendTimedOut !== true) {
			return `Crustdata did not answer (${problem}) and the request was not sent again: Crustdata may already have processed and billed it. Check the account's usage before you run these items again, or turn on "Re-Send Timed-Out Requests" in Options`;
		}
		if (mayHaveBeenProcessed(failure)) {
			return `Crustdata did not answer (${problem})${after}: each attempt may have been processed and billed. Check the account's usage before you run these items again`;
		}
		return `Crustdata did not answer (${problem})${after}: check the Base URL in the credential and the network, then run again`;
	}
	if (failure.kind === 'halted') {
		const limit =
			failure.reason === 'maxCredits' ? '"Max Credits per Run"' : '"Max Run Time (Minutes)"';
		const before = failure.after
			? ` (it had failed before: ${failureMessage(failure.after, context)})`
			: '';
		return `The request was not sent again: the run reached ${limit}${before}`;
	}
	if (isForeignNotFound(failure) && context.address !== undefined) {
		const { baseUrl, path } = context.address;
		return `Nothing answers at ${baseUrl}${path} (404, and not Crustdata's own answer): check the Base URL in the credential (${baseUrl}); it should be https://api.crustdata.com or a proxy that forwards to it`;
	}
	if (failure.kind === 'malformed') {
		return `Crustdata answered ${failure.status} but ${failure.detail}; the request was not sent again, because it may already have been billed`;
	}
	if (failure.status === 429) {
		return `${STATUS_MESSAGES[429]}${after}: another workflow may share this account's limit; lower "Requests per Minute" or run later`;
	}
	if (failure.status >= 500) {
		return `Crustdata had a server error (${failure.status})${after}: try again later`;
	}
	return (
		STATUS_MESSAGES[failure.status] ?? `Crustdata answered with HTTP ${failure.status}${after}`
	);
}

export interface ApiErrorParts {
	message: string;
	description?: string;
	httpCode?: string;
	itemIndex: number;
}

/** A NodeApiError built from its parts (errors are built whole, never edited afterwards). */
export function buildApiError(node: INode, parts: ApiErrorParts): NodeApiError {
	const { message, description, httpCode, itemIndex } = parts;
	const response: JsonObject = { message, ...(httpCode ? { httpCode } : {}) };
	return new NodeApiError(node, response, {
		message,
		description: description ?? message,
		httpCode,
		itemIndex,
	});
}

export function toNodeApiError(
	node: INode,
	failure: TransportFailure,
	context: FailureContext,
): NodeApiError {
	const apiText =
		failure.kind === 'status'
			? apiErrorText(failure.body)
			: failure.kind === 'network'
				? `${failure.code}: ${failure.message}`
				: undefined;
	const status =
		failure.kind === 'status' || failure.kind === 'malformed' ? failure.status : undefined;
	return buildApiError(node, {
		message: sanitizeApiMessage(failureMessage(failure, context), context.secret),
		description: apiText === undefined ? undefined : sanitizeApiMessage(apiText, context.secret),
		httpCode: status === undefined ? undefined : String(status),
		itemIndex: context.itemIndex,
	});
}

/** The same error with `note` added to its description. */
export function withNote(
	node: INode,
	error: NodeApiError,
	itemIndex: number,
	note: string,
): NodeApiError {
	return buildApiError(node, {
		message: error.message,
		description: `${error.description ?? ''} ${note}`.trim(),
		httpCode: error.httpCode ?? undefined,
		itemIndex,
	});
}
