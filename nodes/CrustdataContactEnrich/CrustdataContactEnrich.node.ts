import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { router } from './actions/router';
import { nodeProperties } from './description';

export class CrustdataContactEnrich implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Crustdata Contact Enrich',
		name: 'crustdataContactEnrich',
		icon: { light: 'file:../../icons/crustdata.svg', dark: 'file:../../icons/crustdata.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ $parameter["operation"] === "enrich" ? "Enrich by " + ($parameter["identifyBy"] === "businessEmail" ? "Business Email" : "Profile URL") : $parameter["operation"] === "bulkEnrich" ? "Bulk Enrich (Async)" : "Get Bulk Results" }}',
		description:
			'Find business emails, personal emails, phone numbers and websites for LinkedIn profiles or business emails with Crustdata',
		defaults: { name: 'Crustdata Contact Enrich' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'crustdataContactApi', required: true }],
		properties: nodeProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
