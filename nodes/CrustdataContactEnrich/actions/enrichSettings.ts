import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { toBatchFields } from '../pipeline/batchFields';

import { worstCaseCredits } from '../pipeline/pricing';
import { DEFAULT_MAX_WAIT_MINUTES } from '../transport/limits';
import type { BatchField, ContactField, IdentifierType } from '../types';
import { DEFAULT_POLL_INTERVAL_SECONDS } from './batch/bulkSettings';
import type { MemorySettings, RunLimits } from './runLimits';
import { readMemorySettings, readRunLimits } from './runLimits';
import type { CommonSettings } from './settings';
import { readCommonSettings, readContactFields } from './settings';

// What Enrich reads once per run, and Estimate Cost reads the same way.

export type Channel = 'instant' | 'auto';

export interface EnrichSettings extends CommonSettings {
	/** "Channel": instant requests only, or batch jobs beside them (profile URLs only). */
	channel: Channel;
	/** The Fields in the batch vocabulary, for the Auto channel. */
	batchFields: BatchField[];
	/** "Max Wait (Minutes)" for the Auto channel's jobs. */
	waitMinutes: number;
	/** How often the Auto channel checks its jobs. */
	pollMs: number;
	identifierType: IdentifierType;
	fields: ContactField[];
	limits: RunLimits;
	memory: MemorySettings;
	/** The most one identifier can cost with these Fields and Verified (pricing.ts). */
	creditsPerIdentifier: number;
}

/** Auto runs jobs only where they can sell the same thing: profile URLs, no websites. */
function readChannel(
	context: IExecuteFunctions,
	options: IDataObject,
	identifierType: IdentifierType,
	unsupported: ContactField[],
): Channel {
	if (options.channel !== 'auto' || identifierType !== 'profileUrl') return 'instant';
	if (unsupported.length === 0) return 'auto';
	context.addExecutionHints({
		message:
			'Channel Auto sent everything as instant requests: batch jobs cannot return websites, and each person is bought on one channel only.',
		type: 'info',
		location: 'outputPane',
	});
	return 'instant';
}

export function readEnrichSettings(context: IExecuteFunctions): EnrichSettings {
	const identifierType = context.getNodeParameter('identifyBy', 0) as IdentifierType;
	const fields = readContactFields(context);
	const common = readCommonSettings(context, identifierType);
	const { fields: batchFields, unsupported } = toBatchFields(fields);
	const pollSeconds = Number(common.options.pollIntervalSeconds ?? DEFAULT_POLL_INTERVAL_SECONDS);
	return {
		...common,
		channel: readChannel(context, common.options, identifierType, unsupported),
		batchFields,
		waitMinutes: Number(context.getNodeParameter('maxWaitMinutes', 0, DEFAULT_MAX_WAIT_MINUTES)),
		pollMs: Math.max(100, pollSeconds * 1000),
		identifierType,
		fields,
		limits: readRunLimits(context, common.options),
		memory: readMemorySettings(context, common.options),
		creditsPerIdentifier: worstCaseCredits(fields, common.verified),
	};
}
