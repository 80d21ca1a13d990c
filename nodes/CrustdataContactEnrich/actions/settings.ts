import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ShapeOptions } from '../pipeline/shapeOutput';
import type { TransportSettings } from '../transport';
import { CREDENTIAL_TYPE, DEFAULT_BASE_URL } from '../transport';
import { RateLimiter } from '../transport/rateLimiter';
import type { IdentifierType } from '../types';

// Settings every operation reads once (item 0): one request or job serves many items, so they
// cannot vary per item.

export interface CommonSettings {
	/** The node's `options` collection, as set. */
	options: IDataObject;
	verified: boolean;
	requestsPerMinute: number;
	timeoutMs: number;
	shape: ShapeOptions;
}

export function settingsError(context: IExecuteFunctions, message: string): NodeOperationError {
	return new NodeOperationError(context.getNode(), message, { itemIndex: 0 });
}

export function readCommonSettings(
	context: IExecuteFunctions,
	identifierType: IdentifierType,
): CommonSettings {
	const options = context.getNodeParameter('options', 0, {}) as IDataObject;
	const minConfidence = Number(options.minConfidence ?? 0);
	if (!(minConfidence >= 0 && minConfidence <= 1)) {
		throw settingsError(
			context,
			`"Minimum Confidence" must be between 0 and 1, got ${String(options.minConfidence)}.`,
		);
	}
	const requestsPerMinute = Number(options.requestsPerMinute ?? 15);
	if (!(requestsPerMinute >= 1)) {
		throw settingsError(
			context,
			`"Requests Per Minute" must be 1 or more, got ${String(options.requestsPerMinute)}.`,
		);
	}
	return {
		options,
		verified: options.verified === true,
		requestsPerMinute,
		timeoutMs: Math.max(1, Number(options.timeoutSeconds ?? 60)) * 1000,
		shape: {
			identifierType,
			simplify: context.getNodeParameter('simplify', 0, true) as boolean,
			includeUnmatched: options.includeUnmatched === true,
			emailStatuses: Array.isArray(options.emailStatuses)
				? (options.emailStatuses as string[])
				: [],
			minConfidence,
		},
	};
}

/** One per execution: the limiter must not outlive it (executions share nothing). */
export async function createTransportSettings(
	context: IExecuteFunctions,
	{ requestsPerMinute, timeoutMs }: Pick<CommonSettings, 'requestsPerMinute' | 'timeoutMs'>,
): Promise<TransportSettings & { secret: string }> {
	const credentials = await context.getCredentials<{ apiKey?: string; baseUrl?: string }>(
		CREDENTIAL_TYPE,
	);
	const baseUrl = String(credentials.baseUrl || DEFAULT_BASE_URL).replace(/\/+$/, '');
	return {
		baseUrl,
		timeoutMs,
		secret: String(credentials.apiKey ?? ''),
		limiter: new RateLimiter({ requestsPerMinute, now: Date.now }),
	};
}
