import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { DEFAULT_POLL_SCHEDULE } from '../../pipeline/batchJob';
import type { PollSchedule } from '../../pipeline/batchJob';
import type { ShapeOptions } from '../../pipeline/shapeOutput';

// Settings both bulk operations read once (item 0): jobs span items, so they cannot vary per item.

/**
 * n8n caps a workflow's own timeout at EXECUTIONS_TIMEOUT_MAX, 3600 s unless raised: 55 minutes of
 * waiting leaves 5 for submitting, downloading and the nodes after this one.
 * @default 55
 */
export const DEFAULT_MAX_WAIT_MINUTES = 55;

/** @default 10 */
export const DEFAULT_POLL_INTERVAL_SECONDS = DEFAULT_POLL_SCHEDULE.firstDelayMs / 1000;

export interface BulkSettings {
	waitMinutes: number;
	poll: PollSchedule;
	requestsPerMinute: number;
	timeoutMs: number;
	verified: boolean;
	shape: ShapeOptions;
}

export function readBulkSettings(context: IExecuteFunctions): BulkSettings {
	const options = context.getNodeParameter('options', 0, {}) as IDataObject;
	const fail = (message: string) =>
		new NodeOperationError(context.getNode(), message, { itemIndex: 0 });
	const waitMinutes = Number(
		context.getNodeParameter('maxWaitMinutes', 0, DEFAULT_MAX_WAIT_MINUTES),
	);
	if (!(waitMinutes >= 0)) {
		throw fail(`"Max Wait (Minutes)" must be 0 or more, got ${String(waitMinutes)}.`);
	}
	const pollSeconds = Number(options.pollIntervalSeconds ?? DEFAULT_POLL_INTERVAL_SECONDS);
	if (!(pollSeconds > 0)) {
		throw fail(
			`"Poll Interval (Seconds)" must be more than 0, got ${String(options.pollIntervalSeconds)}.`,
		);
	}
	const minConfidence = Number(options.minConfidence ?? 0);
	if (!(minConfidence >= 0 && minConfidence <= 1)) {
		throw fail(
			`"Minimum Confidence" must be between 0 and 1, got ${String(options.minConfidence)}.`,
		);
	}
	const requestsPerMinute = Number(options.requestsPerMinute ?? 15);
	if (!(requestsPerMinute >= 1)) {
		throw fail(
			`"Requests Per Minute" must be 1 or more, got ${String(options.requestsPerMinute)}.`,
		);
	}
	const firstDelayMs = pollSeconds * 1000;
	return {
		waitMinutes,
		poll: {
			firstDelayMs,
			maxDelayMs: Math.max(firstDelayMs, DEFAULT_POLL_SCHEDULE.maxDelayMs),
			factor: DEFAULT_POLL_SCHEDULE.factor,
		},
		requestsPerMinute,
		timeoutMs: Math.max(1, Number(options.timeoutSeconds ?? 60)) * 1000,
		verified: options.verified === true,
		shape: {
			identifierType: 'profileUrl',
			simplify: context.getNodeParameter('simplify', 0, true) as boolean,
			includeUnmatched: options.includeUnmatched === true,
			emailStatuses: Array.isArray(options.emailStatuses)
				? (options.emailStatuses as string[])
				: [],
			minConfidence,
		},
	};
}
