import type { INodeProperties, NodeHint } from 'n8n-workflow';

import { maxWaitProperty } from './actions/batch/batch.description';
import {
	bulkProfileUrlsProperty,
	waitForCompletionProperty,
} from './actions/bulkEnrich/bulkEnrich.description';
import { fieldsProperty, optionsProperty, simplifyProperty } from './actions/common.description';
import { enrichIdentifierProperties } from './actions/enrich/enrich.description';
import { estimateNoticeProperty } from './actions/estimate/estimate.description';
import { getBulkResultsProperties } from './actions/getBulkResults/getBulkResults.description';

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
			name: 'Estimate Cost',
			value: 'estimate',
			action: 'Estimate the cost of enriching contacts',
			description:
				'Read and check the items as Enrich would, and say what enriching them would send and cost at most, with the credit balance. Free: nothing is bought.',
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
	estimateNoticeProperty,
	...enrichIdentifierProperties,
	bulkProfileUrlsProperty,
	...getBulkResultsProperties,
	fieldsProperty,
	waitForCompletionProperty,
	maxWaitProperty,
	simplifyProperty,
	optionsProperty,
];

/**
 * Hints in the node's panel before a run. Their conditions see the parameters only (not n8n's
 * Settings): the hints about "Retry On Fail" and "On Error" come with the run (actions/run.ts).
 */
export const nodeHints: NodeHint[] = [
	{
		message:
			'With these Fields (or Verified Emails Only) each person found costs more than 1 credit: personal emails and phone numbers cost 2 each, verification 0.5. Choose only what you use.',
		type: 'info',
		location: 'ndv',
		whenToDisplay: 'beforeExecution',
		displayCondition:
			'={{ ["enrich", "bulkEnrich", "estimate"].includes($parameter.operation) && ([].concat($parameter.fields || []).some((field) => field !== "contact.business_emails") || ($parameter.options || {}).verified === true) }}',
	},
];
