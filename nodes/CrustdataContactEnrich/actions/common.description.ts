import type { INodeProperties } from 'n8n-workflow';

// Parameters shared by the operations that take identifiers. Their names are the node's public
// interface (saved workflows hold them): never rename one.

export const profileUrlsProperty: INodeProperties = {
	displayName: 'Profile URLs',
	name: 'profileUrls',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. {{ $json.linkedin_url }}',
	description:
		'LinkedIn profile URLs of the people to enrich, such as https://www.linkedin.com/in/jane-doe: one URL, a list separated by commas, semicolons, spaces or new lines, or an expression that returns a list. One item may carry several.',
};

export const fieldsProperty: INodeProperties = {
	displayName: 'Fields',
	name: 'fields',
	type: 'multiOptions',
	options: [
		{
			name: 'Business Emails',
			value: 'contact.business_emails',
			description: 'Work email addresses with their deliverability status (1 credit per person)',
		},
		{
			name: 'Personal Emails',
			value: 'contact.personal_emails',
			description: 'Private email addresses (2 credits per person)',
		},
		{
			name: 'Phone Numbers',
			value: 'contact.phone_numbers',
			description: 'Phone numbers in E.164 format (2 credits per person)',
		},
		{
			name: 'Websites',
			value: 'contact.websites',
			description: 'Personal and professional websites',
		},
	],
	default: ['contact.business_emails'],
	required: true,
	description:
		'Which contact data to buy. Each field costs credits per matched person, so choose only what you use. Bulk Enrich cannot return websites.',
	displayOptions: { show: { operation: ['enrich', 'bulkEnrich'] } },
};

export const simplifyProperty: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description: 'Whether to return a simplified version of the response instead of the raw data',
};

export const optionsProperty: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Email Statuses',
			name: 'emailStatuses',
			type: 'multiOptions',
			options: [
				{ name: 'Catch-All', value: 'catch_all' },
				{ name: 'Deliverable', value: 'deliverable' },
				{ name: 'Invalid', value: 'invalid' },
				{ name: 'Unknown', value: 'unknown' },
			],
			default: ['deliverable', 'catch_all'],
			description:
				'Keep only emails with these statuses in the simplified output. Leave empty to keep every status.',
		},
		{
			displayName: 'Include Unmatched',
			name: 'includeUnmatched',
			type: 'boolean',
			default: false,
			description:
				'Whether to output an item, flagged as unmatched, for every identifier Crustdata found nobody for',
		},
		{
			displayName: 'Minimum Confidence',
			name: 'minConfidence',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
			default: 0,
			description:
				'Drop matches whose confidence score (0 to 1) is below this. Email lookups can return several candidates of lower confidence.',
		},
		{
			displayName: 'Poll Interval (Seconds)',
			name: 'pollIntervalSeconds',
			type: 'number',
			typeOptions: { minValue: 0.1, numberPrecision: 1 },
			default: 10,
			description:
				'How long to wait before the first check of a batch job. Later checks back off up to once a minute; batch jobs usually take 2 to 3 minutes.',
			displayOptions: { show: { '/operation': ['bulkEnrich', 'getBulkResults'] } },
		},
		{
			displayName: 'Re-Send Timed-Out Requests',
			name: 'resendTimedOut',
			type: 'boolean',
			default: false,
			description:
				'Whether to send a request again when Crustdata did not answer in time or the connection dropped. Crustdata may already have processed and billed such a request, so re-sending can buy the same people twice; when off, their items become error items that say so.',
			displayOptions: { show: { '/operation': ['enrich'] } },
		},
		{
			displayName: 'Request Timeout (Seconds)',
			name: 'timeoutSeconds',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 60,
			description:
				'How long to wait for one answer before counting the request as timed out. A timed-out request is not sent again unless "Re-Send Timed-Out Requests" is on.',
		},
		{
			displayName: 'Requests Per Minute',
			name: 'requestsPerMinute',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 15,
			description:
				"Most requests the node sends in any 60 seconds. Crustdata's default limit is 15; the node also obeys the limit headers the API sends.",
		},
		{
			displayName: 'Verified Emails Only',
			name: 'verified',
			type: 'boolean',
			default: false,
			description:
				'Whether to re-check business emails at request time and return only those that pass (0.5 credit more per person who keeps one)',
			displayOptions: { show: { '/operation': ['enrich', 'bulkEnrich'] } },
		},
	],
};
