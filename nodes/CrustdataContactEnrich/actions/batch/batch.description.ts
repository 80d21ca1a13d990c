import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_MAX_WAIT_MINUTES } from '../../transport/limits';

// Shared by the operations that wait for batch jobs (Enrich only with Channel Auto). Names are saved in workflows: never
// rename one.

export const maxWaitProperty: INodeProperties = {
	displayName: 'Max Wait (Minutes)',
	name: 'maxWaitMinutes',
	type: 'number',
	typeOptions: { minValue: 0 },
	default: DEFAULT_MAX_WAIT_MINUTES,
	description:
		'Longest time to wait for batch jobs to finish (Enrich: only with Channel Auto). Jobs still running then become error items that name their batch ID, to fetch later with Get Bulk Results. The default stays under the one-hour limit n8n puts on a workflow timeout.',
	displayOptions: { show: { operation: ['bulkEnrich', 'getBulkResults', 'enrich'] } },
};
