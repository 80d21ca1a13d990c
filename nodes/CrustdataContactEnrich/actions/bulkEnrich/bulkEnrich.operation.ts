import type { IExecuteFunctions, INodeExecutionData, NodeApiError } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { FailedRequest } from '../../pipeline/assembleItems';
import { assembleItems, failedRequestOf } from '../../pipeline/assembleItems';
import { toBatchFields } from '../../pipeline/batchFields';
import { chunk } from '../../pipeline/chunk';
import { dedupeIdentifiers } from '../../pipeline/dedupe';
import { toNodeApiError } from '../../transport/errors';
import type { BatchField, ContactField } from '../../types';
import { createTransportSettings } from '../settings';
import { RunStats, summaryHint } from '../enrich/runStats';
import { collectIdentifiers, itemErrorsOf } from '../identifiers';
import type { BatchRunResult } from './batchRunner';
import { BatchRunner } from './batchRunner';
import { jobOutcomesByUrl, NOT_SUBMITTED, submittedItems } from './bulkOutput';
import { readBulkSettings } from './settings';

/** Batch Contact Enrich takes at most 300 profile URLs per job. */
export const MAX_URLS_PER_JOB = 300;

/** The four Enrich choices in the batch vocabulary; websites cannot be bought in bulk. */
export function readBatchFields(context: IExecuteFunctions): BatchField[] {
	const chosen = context.getNodeParameter('fields', 0, []) as ContactField[];
	const { fields, unsupported } = toBatchFields(Array.isArray(chosen) ? chosen : []);
	if (fields.length === 0) {
		const why =
			unsupported.length > 0
				? 'Bulk Enrich cannot return websites; use the Enrich operation for them'
				: 'with none, nothing would be bought';
		throw new NodeOperationError(
			context.getNode(),
			`Select business emails, personal emails or phone numbers under "Fields": ${why}.`,
			{ itemIndex: 0 },
		);
	}
	if (unsupported.length > 0) {
		context.addExecutionHints({
			message:
				'Bulk Enrich cannot return websites, so they were not requested. Use the Enrich operation for websites.',
			type: 'warning',
			location: 'outputPane',
		});
	}
	return fields;
}

const EMPTY_RUN: BatchRunResult = {
	submitted: new Map(),
	outcomes: new Map(),
	rejected: [],
	unsent: [],
};

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[][]> {
	const settings = readBulkSettings(this);
	const fields = readBatchFields(this);
	const waitForCompletion = this.getNodeParameter('waitForCompletion', 0, true) as boolean;
	const continueOnFail = this.continueOnFail();
	const { valid, invalid } = collectIdentifiers(this, items, 'profileUrl');
	if (invalid.length > 0 && !continueOnFail) throw invalid[0].error;

	const { distinct, owners } = dedupeIdentifiers(valid);
	const stats = new RunStats();
	const failures = new Map<string, FailedRequest>();
	let run = EMPTY_RUN;
	if (distinct.length > 0) {
		const transport = await createTransportSettings(this, settings);
		const runSettings = {
			fields,
			verified: settings.verified,
			deadline: Date.now() + settings.waitMinutes * 60_000,
			waitMinutes: settings.waitMinutes,
			poll: settings.poll,
			waitForCompletion,
			stopOnRejection: !continueOnFail,
			now: Date.now,
		};
		const chunks = chunk(distinct, MAX_URLS_PER_JOB);
		run = await new BatchRunner(this, transport, runSettings, stats, chunks).run();
		for (const { urls, failure, retries } of run.rejected) {
			const itemIndex = owners.get(urls[0])?.[0] ?? 0;
			const error = toNodeApiError(this.getNode(), failure, {
				itemIndex,
				retries,
				secret: transport.secret,
			});
			if (!continueOnFail) throw withSubmittedJobsNote(error, run);
			const asFailure = failedRequestOf(error);
			for (const url of urls) failures.set(url, asFailure);
		}
		for (const urls of run.unsent) for (const url of urls) failures.set(url, NOT_SUBMITTED);
	}

	const itemErrors = itemErrorsOf(invalid);
	if (!waitForCompletion) {
		this.addExecutionHints({
			message: `Crustdata: ${run.submitted.size} batch ${run.submitted.size === 1 ? 'job' : 'jobs'} submitted for ${distinct.length - failures.size} distinct profile URLs. Fetch the results with the "Get Bulk Results" operation.`,
			type: failures.size > 0 ? 'warning' : 'info',
			location: 'outputPane',
		});
		return [submittedItems(valid, itemErrors, run, failures)];
	}
	const { outcomes, completedUrls } = jobOutcomesByUrl(run);
	for (const [url, failure] of failures) outcomes.set(url, { kind: 'failed', failure });
	stats.sent += completedUrls;
	stats.countOutcomes(outcomes);
	this.addExecutionHints(summaryHint(stats));
	return [assembleItems(valid, itemErrors, outcomes, settings.shape)];
}

// Stopping must not hide jobs that were already submitted (and may be paid for): name them.
function withSubmittedJobsNote(error: NodeApiError, run: BatchRunResult): NodeApiError {
	if (run.submitted.size === 0) return error;
	const ids = [...run.submitted.keys()].join(', ');
	error.description =
		`${error.description ?? ''} Batch jobs already submitted before this failure: ${ids}. Fetch their results with the "Get Bulk Results" operation. Set "On Error" to "Continue" in the node's settings to get them in this run instead.`.trim();
	return error;
}
