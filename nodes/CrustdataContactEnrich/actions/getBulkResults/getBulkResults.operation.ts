import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { IdentifierOutcome } from '../../pipeline/assembleItems';
import { assembleItems } from '../../pipeline/assembleItems';
import { itemErrorsOf } from '../identifiers';
import { indexRecords, recordToEntry } from '../../pipeline/batchRecords';
import type { ItemIdentifiers } from '../../pipeline/dedupe';
import { dedupeIdentifiers } from '../../pipeline/dedupe';
import { toNodeApiError } from '../../transport/errors';
import { BatchRunner } from '../bulkEnrich/batchRunner';
import type { JobOutcome } from '../bulkEnrich/jobOutcome';
import { readBulkSettings } from '../bulkEnrich/settings';
import { createTransportSettings } from '../settings';
import { RunStats, summaryHint } from '../enrich/runStats';
import type { ItemJobs } from './readJobIds';
import { readJobIds } from './readJobIds';

// Fetches the results of batch jobs submitted earlier (Bulk Enrich without waiting) and maps them
// as Bulk Enrich would have: one item per match, paired to the item that named the job. A job
// still running is waited for, within the wait limit.

// A job that yields no URLs (failed, timed out) is carried under this key, which is never a URL.
const jobKey = (batchId: string) => `batch:${batchId}`;

/** The URLs (or failed-job keys) whose outcomes one item gets. */
export function itemIdentifiers(
	item: ItemJobs,
	outcomes: Map<string, JobOutcome>,
	urlsOf: Map<string, string[]>,
): string[] {
	const identifiers: string[] = [];
	const held = new Set<string>();
	let allCompleted = true;
	for (const batchId of item.batchIds) {
		const urls = urlsOf.get(batchId);
		if (outcomes.get(batchId)?.kind !== 'completed' || urls === undefined) {
			allCompleted = false;
			identifiers.push(jobKey(batchId));
			continue;
		}
		for (const url of urls) held.add(url);
		if (item.only === undefined) identifiers.push(...urls);
	}
	if (item.only !== undefined) {
		// A URL no finished job holds is unmatched, unless an unfinished job may hold it.
		identifiers.push(...item.only.filter((url) => held.has(url) || allCompleted));
	}
	return [...new Set(identifiers)];
}

function urlOutcomesOf(outcomes: Map<string, JobOutcome>) {
	const urlOutcomes = new Map<string, IdentifierOutcome>();
	const urlsOf = new Map<string, string[]>();
	for (const [batchId, outcome] of outcomes) {
		if (outcome.kind === 'failed') {
			urlOutcomes.set(jobKey(batchId), { kind: 'failed', failure: outcome.failure });
		} else if (outcome.kind === 'completed') {
			const records = indexRecords(outcome.records);
			urlsOf.set(batchId, [...records.keys()]);
			for (const [url, record] of records) {
				urlOutcomes.set(url, { kind: 'answered', entry: recordToEntry(url, record) });
			}
		}
	}
	return { urlOutcomes, urlsOf };
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[][]> {
	const settings = readBulkSettings(this);
	const continueOnFail = this.continueOnFail();
	const { jobs, invalid } = readJobIds(this, items);
	if (invalid.length > 0 && !continueOnFail) throw invalid[0].error;

	const { distinct, owners } = dedupeIdentifiers(
		jobs.map(({ itemIndex, batchIds }) => ({ itemIndex, identifiers: batchIds })),
	);
	const stats = new RunStats();
	let outcomes = new Map<string, JobOutcome>();
	if (distinct.length > 0) {
		const transport = await createTransportSettings(this, settings);
		const runSettings = {
			fields: [],
			verified: false,
			deadline: Date.now() + settings.waitMinutes * 60_000,
			waitMinutes: settings.waitMinutes,
			poll: settings.poll,
			// A job submitted earlier is likely done: ask before the first delay.
			pollAtOnce: true,
			waitForCompletion: true,
			stopOnRejection: !continueOnFail,
			now: Date.now,
		};
		outcomes = (await new BatchRunner(this, transport, runSettings, stats, [], distinct).run())
			.outcomes;
		for (const [batchId, outcome] of outcomes) {
			// Without Continue On Fail, a status request that failed (a wrong key, an unknown id)
			// stops the node as Enrich does; the ids are in the input, so nothing is lost.
			if (continueOnFail || outcome.kind !== 'failed' || outcome.request === undefined) continue;
			const error = toNodeApiError(this.getNode(), outcome.request.failure, {
				itemIndex: owners.get(batchId)?.[0] ?? 0,
				retries: outcome.request.retries,
				secret: transport.secret,
			});
			error.message = outcome.failure.message;
			error.description = outcome.failure.description ?? error.description;
			throw error;
		}
	}

	const { urlOutcomes, urlsOf } = urlOutcomesOf(outcomes);
	const valid: ItemIdentifiers[] = jobs.map((item) => ({
		itemIndex: item.itemIndex,
		identifiers: itemIdentifiers(item, outcomes, urlsOf),
	}));
	for (const { identifiers } of valid) {
		for (const url of identifiers) {
			if (urlOutcomes.has(url)) continue;
			urlOutcomes.set(url, { kind: 'answered', entry: recordToEntry(url, undefined) });
		}
	}
	stats.sent = [...urlOutcomes.values()].filter(({ kind }) => kind === 'answered').length;
	stats.countOutcomes(urlOutcomes);
	this.addExecutionHints(summaryHint(stats));
	const itemErrors = itemErrorsOf(invalid);
	return [assembleItems(valid, itemErrors, urlOutcomes, settings.shape)];
}
