import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ShapeOptions } from '../pipeline/shapeOutput';
import type { TransportSettings } from '../transport';
import { CREDENTIAL_TYPE, DEFAULT_BASE_URL } from '../transport';
import { DEFAULT_REQUESTS_PER_MINUTE, DEFAULT_TIMEOUT_SECONDS } from '../transport/limits';
import { RateLimiter } from '../transport/rateLimiter';
import type { ContactField, IdentifierType } from '../types';
import { CONTACT_FIELDS } from '../types';
import type { RunStats } from './runStats';

// Settings every operation reads once (item 0): one request or job serves many items, so they
// cannot vary per item.

export interface CommonSettings {
	/** The node's `options` collection, as set. */
	options: IDataObject;
	verified: boolean;
	requestsPerMinute: number;
	timeoutMs: number;
	/** "Re-send Timed-Out Requests": a request that may have been billed is sent again. */
	resendTimedOut: boolean;
	shape: ShapeOptions;
}

/** The statuses the simplified output keeps when the user did not choose. */
export const DEFAULT_EMAIL_STATUSES = ['deliverable', 'catch_all', 'unknown'];

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
	const requestsPerMinute = Number(options.requestsPerMinute ?? DEFAULT_REQUESTS_PER_MINUTE);
	if (!(requestsPerMinute >= 1)) {
		throw settingsError(
			context,
			`"Requests per Minute" must be 1 or more, got ${String(options.requestsPerMinute)}.`,
		);
	}
	return {
		options,
		verified: options.verified === true,
		requestsPerMinute,
		timeoutMs: Math.max(1, Number(options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS)) * 1000,
		resendTimedOut: options.resendTimedOut === true,
		shape: {
			identifierType,
			simplify: context.getNodeParameter('simplify', 0, true) as boolean,
			includeUnmatched: options.includeUnmatched === true,
			// Without the option, every status but invalid: an undeliverable address never lands in a
			// CRM by default. An empty selection keeps every status.
			emailStatuses: Array.isArray(options.emailStatuses)
				? (options.emailStatuses as string[])
				: DEFAULT_EMAIL_STATUSES,
			minConfidence,
		},
	};
}

/**
 * The transport of one execution: the credential, a limiter that must not outlive the execution
 * (executions share nothing), and the run's accounting.
 */
export async function connect(
	context: IExecuteFunctions,
	{
		requestsPerMinute,
		timeoutMs,
		resendTimedOut,
	}: Pick<CommonSettings, 'requestsPerMinute' | 'timeoutMs' | 'resendTimedOut'>,
	stats: RunStats,
): Promise<TransportSettings> {
	const credentials = await context.getCredentials<{ apiKey?: string; baseUrl?: string }>(
		CREDENTIAL_TYPE,
	);
	const baseUrl = String(credentials.baseUrl || DEFAULT_BASE_URL).replace(/\/+$/, '');
	return {
		baseUrl,
		timeoutMs,
		secret: String(credentials.apiKey ?? ''),
		resendTimedOut,
		limiter: new RateLimiter({ requestsPerMinute, now: Date.now }),
		recorder: stats,
	};
}

/**
 * "Fields", as chosen or as an expression returns it (a list, or text separated by commas or
 * spaces): only the four contact fields. None is an error too: without `fields` the API would
 * return, and bill, every contact type.
 */
export function readContactFields(context: IExecuteFunctions): ContactField[] {
	const raw = context.getNodeParameter('fields', 0, []) as unknown;
	const values = (Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(/[\s,;]+/) : [])
		.map((value) => String(value).trim())
		.filter((value) => value !== '');
	const allowed = CONTACT_FIELDS.join(', ');
	const unknown = values.find((value) => !(CONTACT_FIELDS as readonly string[]).includes(value));
	if (unknown !== undefined) {
		throw settingsError(
			context,
			`"Fields" holds "${unknown}", which is not a contact field this node can buy. Use one or more of: ${allowed}.`,
		);
	}
	if (values.length === 0) {
		throw settingsError(
			context,
			`Select at least one field under "Fields" (${allowed}): with none, every contact type would be bought.`,
		);
	}
	return [...new Set(values)] as ContactField[];
}
