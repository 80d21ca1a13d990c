import type {
	ICredentialType,
	IDataObject,
	INodeExecutionData,
	INodeParameters,
} from 'n8n-workflow';
import nock from 'nock';

import { CrustdataContactApi } from '../../credentials/CrustdataContactApi.credentials';
import { CrustdataContactEnrich } from '../../nodes/CrustdataContactEnrich/CrustdataContactEnrich.node';
import type { RunNodeOptions } from '../integration/harness';
import type { Reply } from './crustdata';
import { API } from './crustdata';
import { realSleep } from '../helpers/sleep';

// A fake of the batch endpoints and the pre-signed file storage, with its own fixture people
// (`personFor`); `answerFromPeople` lets the enrich fake answer from the same people.

export { API };
export const FILES = 'https://files.crustdata.test';
export const FAKE_ACCOUNT = 'bulk-test-credential-0042';

export const profile = (slug: string) => `https://www.linkedin.com/in/${slug}`;

/** Contact data of a person, or undefined for slugs containing "nomatch". */
export function personFor(url: string): IDataObject | undefined {
	const slug = url.replace(/^.*\/in\//, '');
	if (slug.includes('nomatch')) return undefined;
	return {
		crustdata_person_id: `id-${slug}`,
		business_emails: [{ email: `${slug}@acme.example`, status: 'deliverable' }],
		personal_emails: [{ email: `${slug}@home.example`, status: 'catch_all' }],
		phone_numbers: ['+15555550123'],
	};
}

/** An enrich reply from the same people: one match at confidence 1, as URL lookups answer. */
export const answerFromPeople: Reply = ({ identifiers }) => [
	200,
	identifiers.map((url) => {
		const person = personFor(url);
		const matches = person
			? [
					{
						confidence_score: 1,
						person_data: {
							crustdata_person_id: person.crustdata_person_id,
							contact: {
								business_emails: person.business_emails,
								personal_emails: person.personal_emails,
								phone_numbers: person.phone_numbers,
							},
						},
					},
				]
			: [];
		return { matched_on: url, match_type: 'professional_network_profile_url', matches };
	}),
];

export interface FakeJob {
	id: string;
	createdAt: string;
	urls: string[];
	fields: string[];
	polls: number;
	status: 'pending' | 'processing' | 'completed' | 'failed';
}

export interface FakeBatchOptions {
	/** Polls a job answers "pending/processing" before its end. @default 1 */
	pollsBeforeDone?: number | ((job: FakeJob) => number);
	/** Jobs (by submission number, 1-based) that end as failed. */
	failJobs?: number[];
	/** Submits (1-based) answered 429 before anything else is checked. */
	busySubmits?: number[];
	/** Active jobs allowed per account. @default 5 */
	maxActive?: number;
	layout?: 'envelope' | 'flat';
	/** Jobs whose results file is missing (404), by submission number. */
	missingFiles?: number[];
	/** Submits (1-based) that create their job, then answer only after 1.5 s (a client time-out of 1 s). */
	timedOutSubmits?: number[];
	/** Polls of each job answered with the API's own 404 before the job is seen. @default 0 */
	notFoundPolls?: number;
}

export interface FakeBatch {
	jobs: FakeJob[];
	submits: IDataObject[];
	/** Authorization headers seen on file downloads. */
	fileAuth: Array<string | undefined>;
	/** Most jobs active at once. */
	maxSeenActive: number;
	rejected429: number;
	/** GET /batch calls (the job list). */
	listed: number;
	/** 404s answered to each job's polls so far. */
	notFoundPolls: Map<string, number>;
}

async function gzip(text: string): Promise<Buffer> {
	const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
	return Buffer.from(await new Response(stream).arrayBuffer());
}

function row(url: string, fields: string[], layout: 'envelope' | 'flat'): IDataObject {
	const person = personFor(url);
	const contact: IDataObject = {};
	if (fields.includes('business_email')) contact.business_email = person?.business_emails ?? [];
	const info: IDataObject = {};
	if (fields.includes('personal_contact_info.personal_emails'))
		info.personal_emails = person?.personal_emails ?? [];
	if (fields.includes('personal_contact_info.phone_numbers'))
		info.phone_numbers = person?.phone_numbers ?? [];
	if (Object.keys(info).length > 0) contact.personal_contact_info = info;
	const id = person?.crustdata_person_id ?? null;
	return layout === 'flat'
		? { professional_network_url: url, person_id: id, ...contact }
		: { original_identifier: url, internal_id: id, data: contact };
}

/** A recording fake of the batch endpoints and the pre-signed file storage. */
export function fakeBatch(options: FakeBatchOptions = {}): FakeBatch {
	const state: FakeBatch = {
		jobs: [],
		submits: [],
		fileAuth: [],
		maxSeenActive: 0,
		rejected429: 0,
		listed: 0,
		notFoundPolls: new Map(),
	};
	const maxActive = options.maxActive ?? 5;
	const active = () =>
		state.jobs.filter((job) => job.status === 'pending' || job.status === 'processing').length;
	nock(API)
		.post('/batch/person/contact/enrich')
		.times(1000)
		.reply((_path, body, callback) => {
			state.submits.push(body as IDataObject);
			const number = state.submits.length;
			if (options.busySubmits?.includes(number) || active() >= maxActive) {
				state.rejected429++;
				callback(null, [
					429,
					{ error: { type: 'rate_limit_exceeded', message: 'At most 5 jobs.' } },
				]);
				return;
			}
			const { professional_network_profile_urls: urls, fields } = body as {
				professional_network_profile_urls: string[];
				fields: string[];
			};
			const job: FakeJob = {
				id: `job-${state.jobs.length + 1}`,
				createdAt: new Date().toISOString(),
				urls,
				fields,
				polls: 0,
				status: 'pending',
			};
			state.jobs.push(job);
			state.maxSeenActive = Math.max(state.maxSeenActive, active());
			const answer: nock.ReplyFnResult = [
				200,
				{ batch_id: job.id, status: 'pending', identifier_count: urls.length },
			];
			if (options.timedOutSubmits?.includes(number)) {
				void realSleep(1500).then(() => callback(null, answer));
				return;
			}
			callback(null, answer);
		});
	nock(API)
		.get('/batch')
		.query(true)
		.times(100)
		.reply(() => {
			state.listed++;
			const jobs = [...state.jobs].reverse().map((job) => ({
				batch_id: job.id,
				status: job.status,
				identifier_count: job.urls.length,
				created_at: job.createdAt,
			}));
			return [200, { jobs, next_cursor: null, has_more: false }];
		});
	nock(API)
		.get(/^\/batch\/[^/]+$/)
		.times(10_000)
		.reply((path) => {
			const job = state.jobs.find((candidate) => path === `/batch/${candidate.id}`);
			const notFound = [404, { error: { type: 'not_found', message: 'Batch job not found' } }];
			if (!job) return notFound;
			const unseen = (state.notFoundPolls.get(job.id) ?? 0) < (options.notFoundPolls ?? 0);
			if (unseen) {
				state.notFoundPolls.set(job.id, (state.notFoundPolls.get(job.id) ?? 0) + 1);
				return notFound;
			}
			const number = state.jobs.indexOf(job) + 1;
			const wait =
				typeof options.pollsBeforeDone === 'function'
					? options.pollsBeforeDone(job)
					: (options.pollsBeforeDone ?? 1);
			job.polls++;
			if (job.status === 'pending' || job.status === 'processing') {
				if (job.polls > wait)
					job.status = options.failJobs?.includes(number) ? 'failed' : 'completed';
				else job.status = job.polls > 0 ? 'processing' : 'pending';
			}
			const done = job.status === 'completed';
			const matched = job.urls.filter((url) => personFor(url) !== undefined).length;
			const file = `${FILES}/${job.id}.jsonl.gz?X-Amz-Signature=abc`;
			return [
				200,
				{
					batch_id: job.id,
					status: job.status,
					identifier_count: job.urls.length,
					result_count: done ? matched : null,
					download_url: done ? file : null,
					download_urls: done ? [file] : [],
					error_message:
						job.status === 'failed' ? 'Batch processing failed: internal error.' : null,
				},
			];
		});
	nock(FILES)
		.get(/\.jsonl\.gz/)
		.query(true)
		.times(1000)
		.reply(async function (path) {
			state.fileAuth.push(this.req.headers.authorization as string | undefined);
			const job = state.jobs.find((candidate) => path.startsWith(`/${candidate.id}.`));
			const number = job ? state.jobs.indexOf(job) + 1 : 0;
			if (!job || options.missingFiles?.includes(number)) {
				return [
					404,
					'<Error><Code>NoSuchKey</Code></Error>',
					{ 'content-type': 'application/xml' },
				];
			}
			const lines = job.urls.map((url) =>
				JSON.stringify(row(url, job.fields, options.layout ?? 'envelope')),
			);
			return [
				200,
				await gzip(`${lines.join('\n')}\n`),
				{ 'content-type': 'application/octet-stream' },
			];
		});
	return state;
}

/** Fast polling and no pacing, so tests take milliseconds. */
export const FAST_OPTIONS: INodeParameters = {
	pollIntervalSeconds: 0.005,
	requestsPerMinute: 10_000,
};

export function bulkOptions(
	parameters: INodeParameters,
	items: INodeExecutionData[],
	overrides: Partial<RunNodeOptions> = {},
): RunNodeOptions {
	return {
		node: new CrustdataContactEnrich(),
		parameters: {
			operation: 'bulkEnrich',
			profileUrls: '={{ $json.url }}',
			...parameters,
			options: {
				...FAST_OPTIONS,
				...((parameters.options as IDataObject) ?? {}),
			} as INodeParameters,
		},
		items,
		credentials: { type: 'crustdataContactApi', data: { apiKey: FAKE_ACCOUNT, baseUrl: API } },
		credentialType: new CrustdataContactApi() as ICredentialType,
		...overrides,
	};
}

export const urlItems = (values: unknown[]): INodeExecutionData[] =>
	values.map((url) => ({ json: { url } as IDataObject }));

/** Get Bulk Results reading `batchIds` and `profileUrls` from each item, as Bulk Enrich wrote them. */
export const getResultsOptions = (items: INodeExecutionData[], parameters: IDataObject = {}) =>
	bulkOptions(
		{
			operation: 'getBulkResults',
			profileUrls: undefined,
			batchIds: '={{ $json.batchIds }}',
			onlyProfileUrls: '={{ $json.profileUrls }}',
			...parameters,
		},
		items,
	);

export const pairedIndex = (item: { pairedItem?: unknown }) =>
	(item.pairedItem as { item: number }).item;
