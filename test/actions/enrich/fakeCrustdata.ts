import type {
	ICredentialType,
	IDataObject,
	INodeExecutionData,
	INodeParameters,
} from 'n8n-workflow';
import nock from 'nock';

import { CrustdataContactApi } from '../../../credentials/CrustdataContactApi.credentials';
import { CrustdataContactEnrich } from '../../../nodes/CrustdataContactEnrich/CrustdataContactEnrich.node';
import type { RunNodeOptions } from '../../integration/harness';

export const API = 'https://api.crustdata.test';
// A stand-in value: the tests look for it anywhere it must not appear.
export const API_KEY = ['leak', 'canary', '7f3a'].join('-');

export interface RecordedCall {
	identifiers: string[];
	body: IDataObject;
	headers: Record<string, string | string[] | undefined>;
}

/** A person for every identifier, unless it contains "nomatch"; email ids starting "multi" get three. */
export function answerFor(identifier: string, matchType: string): IDataObject {
	if (identifier.includes('nomatch'))
		return { matched_on: identifier, match_type: matchType, matches: [] };
	const slug = identifier.replace(/^.*\/in\//, '');
	const count = slug.startsWith('multi') ? 3 : 1;
	const matches = Array.from({ length: count }, (_, index) => ({
		confidence_score: [0.97, 0.61, 0.34][index],
		person_data: {
			crustdata_person_id: `${slug}#${index + 1}`,
			contact: {
				business_emails: [
					{ email: `${slug.replace(/@.*/, '')}.${index + 1}@acme.example`, status: 'deliverable' },
				],
			},
		},
	}));
	return { matched_on: identifier, match_type: matchType, matches };
}

export type Reply = (call: RecordedCall) => [number, unknown, Record<string, string>?];

export const answerAll: Reply = ({ identifiers, body }) => {
	const type = body.business_emails ? 'business_email' : 'professional_network_profile_url';
	const entries = identifiers.map((identifier) => answerFor(identifier, type));
	const credits = entries.filter((entry) => (entry.matches as unknown[]).length > 0).length;
	return [
		200,
		entries,
		{ 'x-credits-used': String(credits), 'x-ratelimit-remaining': '10', 'x-ratelimit-reset': '30' },
	];
};

/**
 * A recording fake of POST /person/contact/enrich: logs every call's identifiers, answers each
 * with the next reply (the last one repeats).
 */
export function fakeCrustdata(...replies: Reply[]): RecordedCall[] {
	const calls: RecordedCall[] = [];
	const queue = replies.length > 0 ? replies : [answerAll];
	nock(API)
		.post('/person/contact/enrich')
		.times(1000)
		.reply(function (_path, requestBody) {
			const body = requestBody as IDataObject;
			const identifiers = (body.professional_network_profile_urls ??
				body.business_emails ??
				[]) as string[];
			const call: RecordedCall = { identifiers, body, headers: this.req.headers };
			calls.push(call);
			const reply = queue[Math.min(calls.length - 1, queue.length - 1)];
			const [status, responseBody, headers] = reply(call);
			return [status, responseBody as nock.Body, headers ?? {}];
		});
	return calls;
}

export function enrichOptions(
	parameters: INodeParameters,
	items: INodeExecutionData[],
	overrides: Partial<RunNodeOptions> = {},
): RunNodeOptions {
	return {
		node: new CrustdataContactEnrich(),
		parameters: { operation: 'enrich', ...parameters },
		items,
		credentials: { type: 'crustdataContactApi', data: { apiKey: API_KEY, baseUrl: API } },
		credentialType: new CrustdataContactApi() as ICredentialType,
		...overrides,
	};
}

export const items = (values: unknown[], key = 'url'): INodeExecutionData[] =>
	values.map((value) => ({ json: { [key]: value } as IDataObject }));
