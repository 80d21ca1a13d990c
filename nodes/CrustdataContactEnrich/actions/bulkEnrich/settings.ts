import type { IExecuteFunctions } from 'n8n-workflow';

import { DEFAULT_POLL_SCHEDULE } from '../../pipeline/batchJob';
import type { PollSchedule } from '../../pipeline/batchJob';
import type { CommonSettings } from '../settings';
import { readCommonSettings, settingsError } from '../settings';

// What both bulk operations read besides the common settings.

/**
 * n8n caps a workflow's own timeout at EXECUTIONS_TIMEOUT_MAX, 3600 s unless raised: 55 minutes of
 * waiting leaves 5 for submitting, downloading and the nodes after this one.
 * @default 55
 */
export const DEFAULT_MAX_WAIT_MINUTES = 55;

/** @default 10 */
export const DEFAULT_POLL_INTERVAL_SECONDS = DEFAULT_POLL_SCHEDULE.firstDelayMs / 1000;

export interface BulkSettings extends CommonSettings {
	waitMinutes: number;
	poll: PollSchedule;
}

export function readBulkSettings(context: IExecuteFunctions): BulkSettings {
	const common = readCommonSettings(context, 'profileUrl');
	const waitMinutes = Number(
		context.getNodeParameter('maxWaitMinutes', 0, DEFAULT_MAX_WAIT_MINUTES),
	);
	if (!(waitMinutes >= 0)) {
		throw settingsError(
			context,
			`"Max Wait (Minutes)" must be 0 or more, got ${String(waitMinutes)}.`,
		);
	}
	const { pollIntervalSeconds } = common.options;
	const pollSeconds = Number(pollIntervalSeconds ?? DEFAULT_POLL_INTERVAL_SECONDS);
	if (!(pollSeconds > 0)) {
		throw settingsError(
			context,
			`"Poll Interval (Seconds)" must be more than 0, got ${String(pollIntervalSeconds)}.`,
		);
	}
	const firstDelayMs = pollSeconds * 1000;
	return {
		...common,
		waitMinutes,
		poll: {
			firstDelayMs,
			maxDelayMs: Math.max(firstDelayMs, DEFAULT_POLL_SCHEDULE.maxDelayMs),
			factor: DEFAULT_POLL_SCHEDULE.factor,
		},
	};
}
