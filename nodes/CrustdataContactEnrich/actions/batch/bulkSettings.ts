import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { toBatchFields } from '../../pipeline/batchFields';
import type { PollSchedule } from '../../pipeline/batchJob';
import { DEFAULT_MAX_WAIT_MINUTES, DEFAULT_POLL_SCHEDULE } from '../../transport/limits';
import type { BatchField } from '../../types';
import type { CommonSettings } from '../settings';
import { readCommonSettings, readContactFields, settingsError } from '../settings';

// What both bulk operations read besides the common settings.

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

/** The chosen Fields in the batch vocabulary; websites cannot be bought in bulk. */
export function readBatchFields(context: IExecuteFunctions): BatchField[] {
	const { fields, unsupported } = toBatchFields(readContactFields(context));
	if (fields.length === 0) {
		const why =
			unsupported.length > 0
				? 'Bulk Enrich cannot return websites; use the Enrich operation for them'
				: 'with none, nothing would be bought';
		throw new NodeOperationError(
			context.getNode(),
			`Select business emails, personal emails or phone numbers under "Fields": ${why}.`,
			{ itemIndex: 0 },
		);
	}
	if (unsupported.length > 0) {
		context.addExecutionHints({
			message:
				'Bulk Enrich cannot return websites, so they were not requested. Use the Enrich operation for websites.',
			type: 'warning',
			location: 'outputPane',
		});
	}
	return fields;
}
