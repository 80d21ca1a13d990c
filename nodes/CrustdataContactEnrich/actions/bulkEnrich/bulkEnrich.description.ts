import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_MAX_WAIT_MINUTES } from './settings';

// Parameters of the asynchronous operations. Their names are saved in workflows: never rename one.

export const bulkEnrichProperties: INodeProperties[] = [
	{
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'boolean',
		default: true,
		description:
			'Whether to wait for the batch jobs and output their results. Turn off to output the batch IDs at once and fetch the results later with the Get Bulk Results operation.',
		displayOptions: { show: { operation: ['bulkEnrich'] } },
	},
];

export const getBulkResultsProperties: INodeProperties[] = [
	{
		displayName: 'Batch IDs',
		name: 'batchIds',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. {{ $json.batchIds }}',
		description:
			'IDs of batch jobs that Bulk Enrich submitted: one ID, a list separated by commas, semicolons, spaces or new lines, or an expression that returns a list. Each item gets the results of the jobs it names.',
		displayOptions: { show: { operation: ['getBulkResults'] } },
	},
	{
		displayName: 'Only Profile URLs',
		name: 'onlyProfileUrls',
		type: 'string',
		default: '',
		placeholder: 'e.g. {{ $json.profileUrls }}',
		description:
			'Optional. Output only the results for these profile URLs, such as the profileUrls field Bulk Enrich returned for the item, so that items sharing a job each get their own people. Leave empty to output every result of the jobs.',
		displayOptions: { show: { operation: ['getBulkResults'] } },
	},
];

export const maxWaitProperty: INodeProperties = {
	displayName: 'Max Wait (Minutes)',
	name: 'maxWaitMinutes',
	type: 'number',
	typeOptions: { minValue: 0 },
	default: DEFAULT_MAX_WAIT_MINUTES,
	description:
		'Longest time to wait for batch jobs to finish. Jobs still running then become error items that name their batch ID, to fetch later with Get Bulk Results. The default stays under the one-hour limit n8n puts on a workflow timeout.',
	displayOptions: { show: { operation: ['bulkEnrich', 'getBulkResults'] } },
};
