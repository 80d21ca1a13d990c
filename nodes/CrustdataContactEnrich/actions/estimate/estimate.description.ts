import type { INodeProperties } from 'n8n-workflow';

// Estimate Cost reads Enrich's parameters (Identify By, Profile URLs or Business Emails, Fields,
// Options); its own is a notice. Names are saved in workflows: never rename one.

export const estimateNoticeProperty: INodeProperties = {
	displayName:
		'Reads and checks the items exactly as Enrich would with the same options (memory and budgets included), sends nothing to enrich, and outputs one item: what the run would send, how long it would take and the most it could cost, with your credit balance. It costs nothing.',
	name: 'estimateNotice',
	type: 'notice',
	default: '',
	displayOptions: { show: { operation: ['estimate'] } },
};
