import type {
	ICredentialType,
	IDataObject,
	INodeExecutionData,
	INodeParameters,
} from 'n8n-workflow';
import nock from 'nock';

import { CrustdataContactApi } from '../../credentials/CrustdataContactApi.credentials';
import { CrustdataContactEnrich } from '../../nodes/CrustdataContactEnrich/CrustdataContactEnrich.node';
import { ENRICH_PATH } from '../../nodes/CrustdataContactEnrich/transport/limits';
import type { RunNodeOptions } from '../integration/harness';
import { realSleep } from '../helpers/sleep';

// The one fake of POST /person/contact/enrich the jest tests share (the batch endpoints' fake is
// in batch.ts): it records every call, answers with scripted replies, and can add latency and a
// server-side sliding window of its own.

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

export interface EnrichFakeOptions {
	/** Answers in order; the last one repeats. @default [answerAll] */
	replies?: Reply[];
	/** Real milliseconds before each answer, given the call's 0-based number. @default 0 */
	latencyMs?: number | ((callIndex: number) => number);
	/**
	 * The server's own sliding window, counted on arrival: beyond `limit` requests in `windowMs` it
	 * answers 429 with no body; every answer carries `x-ratelimit-*` computed when it is sent.
	 */
	window?: { limit: number; windowMs: number };
}

export interface EnrichFake {
	calls: RecordedCall[];
	/** Status of every answer, in the order they were sent. */
	statuses: number[];
	/** Requests in flight at the server when each one arrived (itself included). */
	concurrentOnArrival: number[];
}

function windowHeaders(
	admitted: number[],
	{ limit, windowMs }: { limit: number; windowMs: number },
) {
	const now = Date.now();
	const recent = admitted.filter((at) => now - at < windowMs);
	const resetMs = recent.length > 0 ? recent[0] + windowMs - now : windowMs;
	return {
		'x-ratelimit-remaining': String(Math.max(0, limit - recent.length)),
		'x-ratelimit-reset': (Math.max(0, resetMs) / 1000).toFixed(3),
	};
}

export function fakeEnrich(options: EnrichFakeOptions = {}): EnrichFake {
	const fake: EnrichFake = { calls: [], statuses: [], concurrentOnArrival: [] };
	const replies = options.replies && options.replies.length > 0 ? options.replies : [answerAll];
	const admitted: number[] = [];
	let inFlight = 0;
	nock(API)
		.post(ENRICH_PATH)
		.times(10_000)
		.reply(function (_path, requestBody, callback) {
			const body = requestBody as IDataObject;
			const identifiers = (body.professional_network_profile_urls ??
				body.business_emails ??
				[]) as string[];
			const call: RecordedCall = { identifiers, body, headers: this.req.headers };
			const index = fake.calls.push(call) - 1;
			const { window } = options;
			const full =
				window !== undefined &&
				admitted.filter((at) => Date.now() - at < window.windowMs).length >= window.limit;
			if (window !== undefined && !full) admitted.push(Date.now());
			fake.concurrentOnArrival.push(++inFlight);
			const latency =
				typeof options.latencyMs === 'function'
					? options.latencyMs(index)
					: (options.latencyMs ?? 0);
			void (latency > 0 ? realSleep(latency) : Promise.resolve()).then(() => {
				inFlight--;
				const [status, responseBody, headers] = full
					? [429, '', {}]
					: replies[Math.min(index, replies.length - 1)](call);
				fake.statuses.push(status);
				const rate = window === undefined ? {} : windowHeaders(admitted, window);
				callback(null, [status, responseBody as nock.Body, { ...(headers ?? {}), ...rate }]);
			});
		});
	return fake;
}

/** The recorded calls of a fake that answers with `replies` (the last one repeats). */
export function fakeCrustdata(...replies: Reply[]): RecordedCall[] {
	return fakeEnrich({ replies }).calls;
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
