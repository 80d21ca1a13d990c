import type { IExecuteFunctions } from 'n8n-workflow';

import { worstCaseCredits } from '../pipeline/pricing';
import type { ContactField, IdentifierType } from '../types';
import type { MemorySettings, RunLimits } from './runLimits';
import { readMemorySettings, readRunLimits } from './runLimits';
import type { CommonSettings } from './settings';
import { readCommonSettings, readContactFields } from './settings';

// What Enrich reads once per run, and Estimate Cost reads the same way.

export interface EnrichSettings extends CommonSettings {
	identifierType: IdentifierType;
	fields: ContactField[];
	limits: RunLimits;
	memory: MemorySettings;
	/** The most one identifier can cost with these Fields and Verified (pricing.ts). */
	creditsPerIdentifier: number;
}

export function readEnrichSettings(context: IExecuteFunctions): EnrichSettings {
	const identifierType = context.getNodeParameter('identifyBy', 0) as IdentifierType;
	const fields = readContactFields(context);
	const common = readCommonSettings(context, identifierType);
	return {
		...common,
		identifierType,
		fields,
		limits: readRunLimits(context, common.options),
		memory: readMemorySettings(context, common.options),
		creditsPerIdentifier: worstCaseCredits(fields, common.verified),
	};
}
