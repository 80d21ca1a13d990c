import type { INodeProperties } from 'n8n-workflow';

import { profileUrlsProperty } from '../common.description';

// Parameters of Enrich (and of Estimate Cost, which reads items as Enrich would). Their names are
// saved in workflows: never rename one.

export const enrichIdentifierProperties: INodeProperties[] = [
	{
		displayName: 'Identify By',
		name: 'identifyBy',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Business Email',
				value: 'businessEmail',
				description: 'Reverse lookup: find the person behind a work email address',
			},
			{
				name: 'Profile URL',
				value: 'profileUrl',
				description: 'Find contact data for a LinkedIn profile URL',
			},
		],
		default: 'profileUrl',
		description: 'What the input items hold to find each person by',
		displayOptions: { show: { operation: ['enrich', 'estimate'] } },
	},
	{
		...profileUrlsProperty,
		displayOptions: { show: { operation: ['enrich', 'estimate'], identifyBy: ['profileUrl'] } },
	},
	{
		displayName: 'Business Emails',
		name: 'businessEmails',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. jane@acme.com',
		description:
			'Work email addresses of the people to enrich, such as jane@acme.com: one address, a list separated by commas, semicolons, spaces or new lines, or an expression that returns a list. One item may carry several.',
		displayOptions: { show: { operation: ['enrich', 'estimate'], identifyBy: ['businessEmail'] } },
	},
];
