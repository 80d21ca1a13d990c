import type { IExecuteFunctions, INode } from 'n8n-workflow';

import type { ItemFailure } from '../../pipeline/assembleItems';
import { interpretJob } from '../../pipeline/batchJob';
import { parseJsonLines } from '../../pipeline/batchRecords';
import { decodeResultsFile } from '../../pipeline/gunzip';
import { downloadResultsFile } from '../../transport/download';
import { isApiNotFound, sanitizeApiMessage, toNodeApiError } from '../../transport/errors';
import type { TransportFailure } from '../../transport/retryPolicy';
import type { BatchRecord } from '../../types';

// What became of one batch job. Once a job exists its credits may be spent, so whatever goes
// wrong afterwards names the batch id: the results can still be fetched with Get Bulk Results.

export type JobOutcome =
	| { kind: 'running' }
	| { kind: 'completed'; records: BatchRecord[] }
	| {
			kind: 'failed';
			failure: ItemFailure;
			/** Set when asking for the job's status failed (not the job itself). */
			request?: { failure: TransportFailure; retries: number };
	  };

const FETCH_LATER = (batchId: string) =>
	`Nothing is lost: fetch the results later with the "Get Bulk Results" operation and batch ID ${batchId} (Crustdata keeps them for 5 days after the job completes).`;

export function timedOutFailure(batchId: string, waitMinutes?: number): ItemFailure {
	const limit = waitMinutes === undefined ? 'the wait limit' : `${waitMinutes} minutes`;
	return {
		message: `Batch job ${batchId} had not finished within ${limit} ("Max Wait (Minutes)")`,
		description: `The job keeps running at Crustdata. ${FETCH_LATER(batchId)}`,
	};
}

/** A poll that failed once its retries were spent, as an item error naming the job. */
export function jobFailure(
	node: INode,
	batchId: string,
	failure: TransportFailure,
	context: { retries: number; secret?: string; address?: { baseUrl: string; path: string } },
): ItemFailure {
	if (isApiNotFound(failure)) {
		return {
			message: `Crustdata knows no batch job ${batchId} for this API key (404)`,
			description:
				'Check the batch ID, and that the credential uses the API key that submitted the job.',
			httpCode: '404',
		};
	}
	const error = toNodeApiError(node, failure, { itemIndex: 0, ...context });
	return {
		message: `Batch job ${batchId}: ${error.message}`,
		description: `${error.description ?? ''} ${FETCH_LATER(batchId)}`.trim(),
		httpCode: error.httpCode ?? undefined,
	};
}

function unreadable(batchId: string, why: string): JobOutcome {
	return {
		kind: 'failed',
		failure: {
			message: `The results of batch job ${batchId} could not be read: ${why}. Fetch them later with Get Bulk Results`,
			description: `Each "Get Bulk Results" call fetches fresh download links. ${FETCH_LATER(batchId)}`,
		},
	};
}

async function downloadRecords(
	context: IExecuteFunctions,
	batchId: string,
	{ urls, resultCount }: { urls: string[]; resultCount: number | null },
	timeoutMs: number,
): Promise<JobOutcome> {
	const records: BatchRecord[] = [];
	for (const url of urls) {
		const download = await downloadResultsFile.call(context, url, timeoutMs);
		if (!download.ok) {
			const { failure } = download;
			const why =
				failure.kind === 'status' || failure.kind === 'malformed'
					? `the download answered HTTP ${failure.status}`
					: 'the download failed on the network';
			return unreadable(batchId, why);
		}
		// An empty job's file may never be written: a 404 is an empty result only when the job
		// says it has none. Otherwise results were paid for: say where to fetch them later.
		if ('missing' in download) {
			if (resultCount === 0) continue;
			return unreadable(batchId, 'its results file is not there yet (404)');
		}
		let text: string;
		try {
			text = await decodeResultsFile(download.bytes);
		} catch {
			return unreadable(batchId, 'the file is not valid gzip');
		}
		const parsed = parseJsonLines(text);
		if (!parsed.ok) return unreadable(batchId, `the file is not JSON Lines (${parsed.reason})`);
		records.push(...parsed.records);
	}
	return { kind: 'completed', records };
}

/** Reads a `GET /batch/{id}` answer and, for a completed job, downloads its results. */
export async function fetchJobOutcome(
	context: IExecuteFunctions,
	batchId: string,
	body: unknown,
	timeoutMs: number,
): Promise<JobOutcome> {
	const job = interpretJob(body);
	if (job.state === 'running') return { kind: 'running' };
	if (job.state === 'malformed') return unreadable(batchId, `its status answer: ${job.detail}`);
	if (job.state === 'failed') {
		return {
			kind: 'failed',
			failure: {
				message: `Batch job ${batchId} failed: ${sanitizeApiMessage(job.errorMessage)}`,
				description:
					'Crustdata did not process these profile URLs. Run the items again to submit them in a new job.',
			},
		};
	}
	if (job.downloadUrls.length === 0 && (job.resultCount ?? 0) > 0) {
		return unreadable(batchId, 'the job completed but lists no results file');
	}
	return await downloadRecords(
		context,
		batchId,
		{ urls: job.downloadUrls, resultCount: job.resultCount },
		timeoutMs,
	);
}
