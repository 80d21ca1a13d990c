import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { RequestFailure } from './retryPolicy';

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

function failureMessage(failure: RequestFailure, retries: number): string {
	const after = retries > 0 ? ` after ${retries} ${retries === 1 ? 'retry' : 'retries'}` : '';
	if (failure.kind === 'network') {
		// Plain words, not the code: n8n replaces messages that contain a code such as ECONNRESET.
		return `Crustdata did not answer (${networkProblem(failure.code)})${after}: check the Base URL in the credential and the network, then run again`;
	}
	if (failure.kind === 'malformed') {
		return `Crustdata answered ${failure.status} but ${failure.detail}; the request was not sent again, because it may already have been billed`;
	}
	if (failure.status === 429) {
		return `${STATUS_MESSAGES[429]}${after}: another workflow may share this account's limit; lower "Requests Per Minute" or run later`;
	}
	if (failure.status >= 500) {
		return `Crustdata had a server error (${failure.status})${after}: try again later`;
	}
	return (
		STATUS_MESSAGES[failure.status] ?? `Crustdata answered with HTTP ${failure.status}${after}`
	);
}

export function toNodeApiError(
	node: INode,
	failure: RequestFailure,
	context: FailureContext,
): NodeApiError {
	const apiText =
		failure.kind === 'status'
			? apiErrorText(failure.body)
			: failure.kind === 'network'
				? `${failure.code}: ${failure.message}`
				: undefined;
	const message = sanitizeApiMessage(failureMessage(failure, context.retries), context.secret);
	const description =
		apiText === undefined ? undefined : sanitizeApiMessage(apiText, context.secret);
	const httpCode = failure.kind === 'network' ? undefined : String(failure.status);
	const response: JsonObject = { message, ...(httpCode ? { httpCode } : {}) };
	return new NodeApiError(node, response, {
		message,
		description: description ?? message,
		httpCode,
		itemIndex: context.itemIndex,
	});
}
