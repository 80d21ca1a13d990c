import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { router } from './actions/router';
import { OUTPUTS_EXPRESSION } from './actions/runLimits';
import { nodeHints, nodeProperties } from './description';

export class CrustdataContactEnrich implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Crustdata Contact Enrich',
		name: 'crustdataContactEnrich',
		icon: { light: 'file:../../icons/crustdata.svg', dark: 'file:../../icons/crustdata.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ { enrich: "Enrich by " + ($parameter["identifyBy"] === "businessEmail" ? "Business Email" : "Profile URL"), bulkEnrich: "Bulk Enrich (Async)", getBulkResults: "Get Bulk Results", estimate: "Estimate Cost" }[$parameter["operation"]] }}',
		// Also the description an AI agent reads when it calls the node as a tool.
		description:
			'Find business emails, personal emails, phone numbers and websites for LinkedIn profiles or business emails with Crustdata. Costs credits per person found (about 1 for a business email, 2 for personal emails, 2 for phone numbers); up to 25 identifiers go in one request; asking again for someone already looked up in this run costs nothing.',
		defaults: { name: 'Crustdata Contact Enrich' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		// Not Sent appears as a second output when an option can hold identifiers back.
		outputs: OUTPUTS_EXPRESSION,
		credentials: [{ name: 'crustdataContactApi', required: true }],
		hints: nodeHints,
		properties: nodeProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
