import type { INodeProperties } from 'n8n-workflow';

// Parameters shared by the operations that take identifiers. Their names are the node's public
// interface (saved workflows hold them): never rename one.

export const profileUrlsProperty: INodeProperties = {
	displayName: 'Profile URLs',
	name: 'profileUrls',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. https://www.linkedin.com/in/jane-doe',
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
	displayOptions: { show: { operation: ['enrich', 'bulkEnrich', 'estimate'] } },
};

export const simplifyProperty: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description: 'Whether to return a simplified version of the response instead of the raw data',
	displayOptions: { hide: { operation: ['estimate'] } },
};

// Which operations an option applies to.
const RESULTS = ['enrich', 'bulkEnrich', 'getBulkResults'];
const SENDS = ['enrich', 'bulkEnrich', 'estimate'];
const INSTANT = ['enrich', 'estimate'];
const shownFor = (operations: string[]) => ({ show: { '/operation': operations } });

export const optionsProperty: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Channel',
			name: 'channel',
			type: 'options',
			options: [
				{
					name: 'Auto',
					value: 'auto',
					description:
						'Instant requests and batch jobs side by side, each person on one of them: long lists finish about twice as fast',
				},
				{
					name: 'Instant',
					value: 'instant',
					description: 'Instant requests only (25 identifiers each, paced to the rate limit)',
				},
			],
			default: 'instant',
			description:
				'How Enrich by profile URL sends the list. Auto also submits batch jobs (up to 300 URLs, typically 2–3 minutes each) while the instant requests alone would still be busy; a short list stays instant. Websites cannot be bought in batch jobs: with Websites selected, Auto stays instant.',
			displayOptions: { show: { '/operation': ['enrich'], '/identifyBy': ['profileUrl'] } },
		},
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
			default: ['deliverable', 'catch_all', 'unknown'],
			description:
				'Email statuses the simplified output keeps. Without this option, every status but invalid is kept; tick Invalid to keep undeliverable addresses too. The raw output is never filtered.',
			displayOptions: shownFor(RESULTS),
		},
		{
			displayName: 'Forget Looked-Up Identifiers',
			name: 'forgetLookedUp',
			type: 'options',
			options: [
				{
					name: 'All This Node Remembers',
					value: 'all',
					description: 'Clear the whole memory of this node before the run',
				},
				{ name: 'None', value: 'none', description: 'Keep the memory as it is' },
				{
					name: "This Run's Identifiers",
					value: 'items',
					description:
						"Forget only the identifiers of this run's items, so they are looked up again",
				},
			],
			default: 'none',
			description:
				'Make this node forget what it looked up before ("Skip Identifiers Looked Up Before"), then run as usual. Set it back to None after one run.',
			displayOptions: shownFor(['enrich']),
		},
		{
			displayName: 'Include Input Fields',
			name: 'includeInputFields',
			type: 'boolean',
			default: false,
			description:
				'Whether every output item (results, unmatched, Not Sent and error items) also carries the fields of its input item. An input field named like an output field is kept as input_&lt;name&gt;.',
			displayOptions: shownFor(['enrich', 'bulkEnrich', 'getBulkResults']),
		},
		{
			displayName: 'Include Unmatched',
			name: 'includeUnmatched',
			type: 'boolean',
			default: false,
			description:
				'Whether to output an item, flagged as unmatched, for every identifier Crustdata found nobody for',
			displayOptions: shownFor(RESULTS),
		},
		{
			displayName: 'Look Up Again After (Days)',
			name: 'lookUpAgainAfterDays',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 4 },
			default: 30,
			description:
				'With "Skip Identifiers Looked Up Before": how long an identifier counts as looked up. It is looked up again between this many days and a fifth more after its lookup.',
			displayOptions: shownFor(INSTANT),
		},
		{
			displayName: 'Max Credits per Run',
			name: 'maxCredits',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 1 },
			default: 0,
			description:
				'Most credits one execution may spend; 0 means no limit. No request goes out that could take the run past it, each person reckoned at the most the chosen Fields can cost. What is held back leaves on the Not Sent output.',
			displayOptions: shownFor(INSTANT),
		},
		{
			displayName: 'Max Identifiers per Run',
			name: 'maxIdentifiers',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description:
				'Most distinct identifiers one execution sends; 0 means no limit. The rest leave on the Not Sent output, for a later run.',
			displayOptions: shownFor(SENDS),
		},
		{
			displayName: 'Max Run Time (Minutes)',
			name: 'maxRunMinutes',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 2 },
			default: 0,
			description:
				"No request starts after this many minutes; 0 means no limit. What was bought comes out, the rest leaves on the Not Sent output. Keep it under the workflow's timeout: a cancelled execution outputs nothing.",
			displayOptions: shownFor(INSTANT),
		},
		{
			displayName: 'Minimum Confidence',
			name: 'minConfidence',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
			default: 0,
			description:
				'Drop matches whose confidence score (0 to 1) is below this. Email lookups can return several candidates of lower confidence.',
			displayOptions: shownFor(RESULTS),
		},
		{
			displayName: 'Poll Interval (Seconds)',
			name: 'pollIntervalSeconds',
			type: 'number',
			typeOptions: { minValue: 0.1, numberPrecision: 1 },
			default: 10,
			description:
				'How long to wait before the first check of a batch job. Later checks back off up to once a minute (Enrich with Channel Auto checks at this interval throughout); batch jobs usually take 2 to 3 minutes.',
			displayOptions: shownFor(['bulkEnrich', 'getBulkResults', 'enrich']),
		},
		{
			displayName: 'Re-Send Timed-Out Requests',
			name: 'resendTimedOut',
			type: 'boolean',
			default: false,
			description:
				'Whether to send a request again when Crustdata did not answer in time or the connection dropped. Crustdata may already have processed and billed such a request, so re-sending can buy the same people twice; when off, their items become error items that say so.',
			displayOptions: shownFor(['enrich']),
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
			displayName: 'Requests per Minute',
			name: 'requestsPerMinute',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 15,
			description:
				"Most requests the node sends in any 60 seconds. Crustdata's default limit is 15; the node also obeys the limit headers the API sends.",
		},
		{
			displayName: 'Skip Identifiers Looked Up Before',
			name: 'skipLookedUp',
			type: 'boolean',
			default: false,
			description:
				'Whether to remember every identifier this node looked up (matched or not, with the same Fields) and not buy it again until "Look Up Again After (Days)" has passed. Skipped identifiers leave on the Not Sent output.',
			displayOptions: shownFor(INSTANT),
		},
		{
			displayName: 'Verified Emails Only',
			name: 'verified',
			type: 'boolean',
			default: false,
			description:
				'Whether to re-check business emails at request time and return only those that pass (0.5 credit more per person who keeps one)',
			displayOptions: shownFor(SENDS),
		},
		{
			displayName: 'When an Item Has No Identifier',
			name: 'noIdentifier',
			type: 'options',
			options: [
				{
					name: 'Send It to Not Sent',
					value: 'notSent',
					description: 'The item leaves on the Not Sent output and the run goes on',
				},
				{
					name: 'Stop With an Error',
					value: 'error',
					description: 'The item is an error (an error item with "On Error: Continue")',
				},
			],
			default: 'error',
			description: 'What to do with an item whose identifier field is empty',
			displayOptions: shownFor(SENDS),
		},
	],
};
