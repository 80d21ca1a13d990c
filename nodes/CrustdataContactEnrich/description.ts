import type { INodeProperties } from 'n8n-workflow';

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
			name: 'Enrich',
			value: 'enrich',
			action: 'Enrich contacts',
			description: 'Look up contact data for up to 25 people per request and get it back at once',
		},
	],
	default: 'enrich',
};

export const nodeProperties: INodeProperties[] = [
	operationProperty,
	...identifierProperties,
	fieldsProperty,
	simplifyProperty,
	optionsProperty,
];
