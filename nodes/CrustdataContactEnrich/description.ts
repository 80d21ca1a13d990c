import type { INodeProperties } from 'n8n-workflow';

import {
	bulkEnrichProperties,
	getBulkResultsProperties,
	maxWaitProperty,
} from './actions/bulkEnrich/bulkEnrich.description';
import {
	fieldsProperty,
	identifierProperties,
	optionsProperty,
	simplifyProperty,
} from './actions/common.description';

export const operationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Bulk Enrich (Async)',
			value: 'bulkEnrich',
			action: 'Bulk enrich contacts',
			description:
				'Submit profile URLs as batch jobs of up to 300: higher fill rate and no base fee per profile, results in minutes',
		},
		{
			name: 'Enrich',
			value: 'enrich',
			action: 'Enrich contacts',
			description: 'Look up contact data for up to 25 people per request and get it back at once',
		},
		{
			name: 'Get Bulk Results',
			value: 'getBulkResults',
			action: 'Get bulk enrich results',
			description: 'Fetch the results of batch jobs that Bulk Enrich submitted without waiting',
		},
	],
	default: 'enrich',
};

export const nodeProperties: INodeProperties[] = [
	operationProperty,
	...identifierProperties,
	...getBulkResultsProperties,
	fieldsProperty,
	...bulkEnrichProperties,
	maxWaitProperty,
	simplifyProperty,
	optionsProperty,
];
