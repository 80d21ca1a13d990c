import type { INodeProperties } from 'n8n-workflow';

import { profileUrlsProperty } from '../common.description';

// Parameters of Bulk Enrich. Their names are saved in workflows: never rename one.

// Bulk Enrich takes profile URLs only: the same parameter as Enrich's, shown by its own condition
// because display conditions cannot say "Enrich by profile URL, or Bulk Enrich".
export const bulkProfileUrlsProperty: INodeProperties = {
	...profileUrlsProperty,
	displayOptions: { show: { operation: ['bulkEnrich'] } },
};

export const waitForCompletionProperty: INodeProperties = {
	displayName: 'Wait for Completion',
	name: 'waitForCompletion',
	type: 'boolean',
	default: true,
	description:
		'Whether to wait for the batch jobs and output their results. Turn off to output the batch IDs at once and fetch the results later with the Get Bulk Results operation.',
	displayOptions: { show: { operation: ['bulkEnrich'] } },
};
