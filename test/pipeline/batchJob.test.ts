import {
	interpretJob,
	pollDelayMs,
	UNKNOWN_FAILURE,
} from '../../nodes/CrustdataContactEnrich/pipeline/batchJob';

const URL_A = 'https://files.example/a.jsonl.gz?X-Amz-Signature=1';
const URL_B = 'https://files.example/b.jsonl.gz?X-Amz-Signature=2';

describe('interpretJob', () => {
	it.each<[string, unknown, ReturnType<typeof interpretJob>]>([
		['pending as running', { status: 'pending' }, { state: 'running', status: 'pending' }],
		[
			'processing as running',
			{ status: 'processing', result_count: null },
			{ state: 'running', status: 'processing' },
		],
		[
			'completed with every download URL, once',
			{ status: 'completed', result_count: 3, download_url: URL_A, download_urls: [URL_A, URL_B] },
			{ state: 'completed', downloadUrls: [URL_A, URL_B], resultCount: 3 },
		],
		[
			'completed with only download_url',
			{ status: 'completed', result_count: 1, download_url: URL_A },
			{ state: 'completed', downloadUrls: [URL_A], resultCount: 1 },
		],
		[
			'completed and empty',
			{ status: 'completed', result_count: 0, download_url: null, download_urls: [] },
			{ state: 'completed', downloadUrls: [], resultCount: 0 },
		],
		[
			'failed with its error_message',
			{ status: 'failed', error_message: 'Batch processing failed.' },
			{ state: 'failed', errorMessage: 'Batch processing failed.' },
		],
		[
			'failed without a message',
			{ status: 'failed', error_message: null },
			{ state: 'failed', errorMessage: UNKNOWN_FAILURE },
		],
		[
			'an unknown status as malformed',
			{ status: 'exploded' },
			{ state: 'malformed', detail: 'the job status "exploded" is not a documented one' },
		],
		[
			'a body without status as malformed',
			[],
			{ state: 'malformed', detail: 'the body is not a batch job' },
		],
	])('reads %s', (_label, body, expected) => {
		expect(interpretJob(body)).toEqual(expected);
	});

	it('keeps unknown keys from failing the parse', () => {
		expect(interpretJob({ status: 'pending', entity: 'person', webhook_url: null }).state).toBe(
			'running',
		);
	});
});

describe('pollDelayMs', () => {
	const schedule = { firstDelayMs: 10_000, maxDelayMs: 60_000, factor: 1.5 };

	it('grows by half each round up to the cap', () => {
		expect([0, 1, 2, 3, 4, 5, 6, 20].map((round) => pollDelayMs(round, schedule))).toEqual([
			10_000, 15_000, 22_500, 33_750, 50_625, 60_000, 60_000, 60_000,
		]);
	});

	it.each([
		['stops at the deadline', 3, 5_000, 5_000],
		['is 0 past the deadline', 0, -1_000, 0],
		['ignores a far deadline', 0, 3_600_000, 10_000],
	])('%s', (_label, round, untilDeadline, expected) => {
		expect(pollDelayMs(round, schedule, untilDeadline)).toBe(expected);
	});

	it('lets a first delay above the cap stand', () => {
		expect(pollDelayMs(4, { firstDelayMs: 120_000, maxDelayMs: 60_000 })).toBe(120_000);
	});
});
