import type { INodeExecutionData } from 'n8n-workflow';

import type { FailedRequest, IdentifierOutcome, ItemError } from '../../pipeline/assembleItems';
import { errorItem } from '../../pipeline/assembleItems';
import { indexRecords, recordToEntry } from '../../pipeline/batchRecords';
import type { ItemIdentifiers } from '../../pipeline/dedupe';
import type { BatchRunResult } from './batchRunner';

// Turns what the batch runner did into per-URL outcomes (the same map Enrich builds, so the same
// assembleItems shapes the output), or, when the node does not wait, into one item per input
// item listing the jobs that carry its URLs.

export const NOT_SUBMITTED: FailedRequest = {
	message:
		"These profile URLs were not submitted: the account's 5 batch job slots stayed busy until the wait limit",
	description:
		'Nothing was bought for them. Run the items again later, or raise "Max Wait (Minutes)".',
};

/** Outcome of every URL of a submitted job; `completedUrls` counts those with results. */
export function jobOutcomesByUrl(run: BatchRunResult): {
	outcomes: Map<string, IdentifierOutcome>;
	completedUrls: number;
} {
	const outcomes = new Map<string, IdentifierOutcome>();
	let completedUrls = 0;
	for (const [batchId, urls] of run.submitted) {
		const outcome = run.outcomes.get(batchId);
		if (outcome === undefined || outcome.kind === 'running') continue;
		if (outcome.kind === 'failed') {
			for (const url of urls) outcomes.set(url, { kind: 'failed', failure: outcome.failure });
			continue;
		}
		const records = indexRecords(outcome.records);
		for (const url of urls) {
			outcomes.set(url, { kind: 'answered', entry: recordToEntry(url, records.get(url)) });
		}
		completedUrls += urls.length;
	}
	return { outcomes, completedUrls };
}

/**
 * "Don't wait" output: per input item, the batch ids its URLs went into and the URLs themselves,
 * ready for Get Bulk Results (`{{ $json.batchIds }}`, `{{ $json.profileUrls }}`). URLs that were
 * not submitted become an error item of their own, paired to the same input item.
 */
export function submittedItems(
	valid: ItemIdentifiers[],
	invalid: ItemError[],
	run: BatchRunResult,
	failures: Map<string, FailedRequest>,
): INodeExecutionData[] {
	const jobOf = new Map<string, string>();
	for (const [batchId, urls] of run.submitted) for (const url of urls) jobOf.set(url, batchId);
	const perItem = new Map<number, INodeExecutionData[]>();
	for (const { itemIndex, ...failure } of invalid) {
		perItem.set(itemIndex, [errorItem(itemIndex, failure)]);
	}
	for (const { itemIndex, identifiers } of valid) {
		const submitted = identifiers.filter((url) => jobOf.has(url));
		const results: INodeExecutionData[] = [];
		if (submitted.length > 0) {
			const batchIds = [...new Set(submitted.map((url) => jobOf.get(url) as string))];
			results.push({
				json: { status: 'submitted', batchIds, profileUrls: submitted },
				pairedItem: { item: itemIndex },
			});
		}
		const failed = new Map<FailedRequest, string[]>();
		for (const url of identifiers) {
			const failure = failures.get(url);
			if (failure !== undefined && !jobOf.has(url)) {
				failed.set(failure, [...(failed.get(failure) ?? []), url]);
			}
		}
		for (const [failure, urls] of failed) results.push(errorItem(itemIndex, failure, urls));
		perItem.set(itemIndex, results);
	}
	return [...perItem.keys()]
		.sort((a, b) => a - b)
		.flatMap((itemIndex) => perItem.get(itemIndex) ?? []);
}
