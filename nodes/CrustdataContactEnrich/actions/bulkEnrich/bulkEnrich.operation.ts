import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	NodeApiError,
} from 'n8n-workflow';

import type { IdentifierOutcome, ItemFailure, ItemShaper } from '../../pipeline/assembleItems';
import { eachAnswer, failureOf } from '../../pipeline/assembleItems';
import { chunk } from '../../pipeline/chunk';
import { dedupeIdentifiers } from '../../pipeline/dedupe';
import { shapeEntry } from '../../pipeline/shapeOutput';
import { withNote } from '../../transport/errors';
import { MAX_URLS_PER_JOB } from '../../transport/limits';
import type { EnrichEntry } from '../../types';
import { readBatchFields, readBulkSettings } from '../batch/bulkSettings';
import { jobOutcomesByUrl } from '../batch/jobResults';
import { JobFollower, JobSubmitter, rejectionError, runJobs } from '../batch/jobs';
import { collectIdentifiers } from '../identifiers';
import { beginRun, finishRun } from '../run';
import { readRunLimits } from '../runLimits';
import { batchHint } from '../runStats';
import { connect } from '../settings';

// Sends the distinct profile URLs as batch jobs of up to 300 and, by default, waits for them and
// outputs their results as Enrich would; without waiting, outputs the batch ids per item.

export const NOT_SUBMITTED: ItemFailure = {
	message:
		"These profile URLs were not submitted: the account's 5 batch job slots stayed busy until the wait limit",
	description:
		'Nothing was bought for them. Run the items again later, or raise "Max Wait (Minutes)".',
};

/**
 * "Don't wait" output: per input item, the batch ids its URLs went into and the URLs themselves,
 * ready for Get Bulk Results (`{{ $json.batchIds }}`, `{{ $json.profileUrls }}`).
 */
const submittedItem: ItemShaper<string> = (answered) => {
	if (answered.length === 0) return [];
	const json: IDataObject = {
		status: 'submitted',
		batchIds: [...new Set(answered.map(({ answer }) => answer))],
		profileUrls: answered.map(({ identifier }) => identifier),
	};
	return [json];
};

function jobOfEachUrl(submitted: Map<string, string[]>) {
	const outcomes = new Map<string, IdentifierOutcome<string>>();
	for (const [batchId, urls] of submitted) {
		for (const url of urls) outcomes.set(url, { kind: 'answered', answer: batchId });
	}
	return outcomes;
}

// Stopping must not hide jobs that were already submitted (and may be paid for): name them.
function withSubmittedJobsNote(
	context: IExecuteFunctions,
	error: NodeApiError,
	itemIndex: number,
	submitted: Map<string, string[]>,
): NodeApiError {
	if (submitted.size === 0) return error;
	const ids = [...submitted.keys()].join(', ');
	const note = `Batch jobs already submitted before this failure: ${ids}. Fetch their results with the "Get Bulk Results" operation. Set "On Error" to "Continue" in the node's settings to get them in this run instead.`;
	return withNote(context.getNode(), error, itemIndex, note);
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[][]> {
	const settings = readBulkSettings(this);
	const fields = readBatchFields(this);
	const waitForCompletion = this.getNodeParameter('waitForCompletion', 0, true) as boolean;
	const limits = readRunLimits(this, settings.options);
	const blankIsNotSent = limits.noIdentifier === 'notSent';
	const run = beginRun(this, collectIdentifiers(this, items, 'profileUrl', blankIsNotSent));
	const { distinct: all, owners } = dedupeIdentifiers(run.valid);
	// "Max Identifiers per Run": the first ones in input order go; the rest leave on Not Sent.
	const distinct = limits.maxIdentifiers > 0 ? all.slice(0, limits.maxIdentifiers) : all;
	const heldBack = all.slice(distinct.length);
	const failures = new Map<string, ItemFailure>();
	let submitted = new Map<string, string[]>();
	let follower: JobFollower | undefined;
	if (distinct.length > 0) {
		const transport = await connect(this, settings, run.stats);
		const deadline = Date.now() + settings.waitMinutes * 60_000;
		const submitter = new JobSubmitter(
			this,
			transport,
			{
				fields,
				verified: settings.verified,
				stopOnRejection: !run.continueOnFail,
				deadline,
				now: Date.now,
			},
			chunk(distinct, MAX_URLS_PER_JOB),
		);
		follower = new JobFollower(this, transport, {
			waitMinutes: settings.waitMinutes,
			poll: settings.poll,
		});
		await runJobs(this, follower, submitter, { deadline, waitForCompletion, now: Date.now });
		submitted = submitter.submitted;
		for (const rejection of submitter.rejected) {
			const itemIndex = owners.get(rejection.urls[0])?.[0] ?? 0;
			const error = rejectionError(this.getNode(), rejection, itemIndex, transport);
			if (!run.continueOnFail) throw withSubmittedJobsNote(this, error, itemIndex, submitted);
			const asFailure = failureOf(error);
			for (const url of rejection.urls) failures.set(url, asFailure);
		}
		for (const urls of submitter.takeUnsent())
			for (const url of urls) failures.set(url, NOT_SUBMITTED);
		for (const urls of submitted.values()) run.stats.markSent(urls);
	}

	if (!waitForCompletion) {
		const outcomes = jobOfEachUrl(submitted);
		for (const [url, failure] of failures) outcomes.set(url, { kind: 'failed', failure });
		for (const url of heldBack) outcomes.set(url, { kind: 'notSent', reason: 'maxIdentifiers' });
		const jobs = `${submitted.size} batch ${submitted.size === 1 ? 'job' : 'jobs'}`;
		const hint = {
			message: `Crustdata: ${jobs} submitted for ${run.stats.sent} distinct profile URLs. Fetch the results with the "Get Bulk Results" operation.`,
			type: failures.size > 0 ? ('warning' as const) : ('info' as const),
			location: 'outputPane' as const,
		};
		return finishRun(this, run, run.valid, outcomes, submittedItem, hint);
	}
	const { outcomes, records } = jobOutcomesByUrl(submitted, follower?.outcomes ?? new Map());
	for (const [url, failure] of failures) outcomes.set(url, { kind: 'failed', failure });
	for (const url of heldBack) outcomes.set(url, { kind: 'notSent', reason: 'maxIdentifiers' });
	run.stats.countOutcomes(outcomes);
	run.stats.blankItems = run.valid.filter(({ identifiers }) => identifiers.length === 0).length;
	const shape = eachAnswer((url, entry: EnrichEntry) => shapeEntry(url, entry, settings.shape));
	const hint = batchHint(run.stats, { jobs: submitted.size, records });
	return finishRun(this, run, run.valid, outcomes, shape, hint);
}
