import type { INodeProperties } from 'n8n-workflow';

// Parameters of Get Bulk Results. Their names are saved in workflows: never rename one.

export const getBulkResultsProperties: INodeProperties[] = [
	{
		displayName: 'Batch IDs',
		name: 'batchIds',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 3f2c9a1e-5b7d-4c1a-9e2f-0a1b2c3d4e5f',
		description:
			'IDs of batch jobs that Bulk Enrich submitted: one ID, a list separated by commas, semicolons, spaces or new lines, or an expression that returns a list. Each item gets the results of the jobs it names.',
		displayOptions: { show: { operation: ['getBulkResults'] } },
	},
	{
		displayName: 'Only Profile URLs',
		name: 'onlyProfileUrls',
		type: 'string',
		default: '',
		placeholder: 'e.g. https://www.linkedin.com/in/jane-doe',
		description:
			'Optional. Output only the results for these profile URLs, such as the profileUrls field Bulk Enrich returned for the item, so that items sharing a job each get their own people. Leave empty to output every result of the jobs.',
		displayOptions: { show: { operation: ['getBulkResults'] } },
	},
];
