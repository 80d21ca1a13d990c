import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { IdentifierOutcome } from '../../pipeline/assembleItems';
import { eachAnswer } from '../../pipeline/assembleItems';
import { indexRecords, recordToEntry } from '../../pipeline/batchRecords';
import type { ItemIdentifiers } from '../../pipeline/dedupe';
import { dedupeIdentifiers } from '../../pipeline/dedupe';
import { shapeEntry } from '../../pipeline/shapeOutput';
import { buildApiError, toNodeApiError } from '../../transport/errors';
import type { EnrichEntry } from '../../types';
import { readBulkSettings } from '../batch/bulkSettings';
import type { JobOutcome } from '../batch/jobOutcome';
import { JobFollower, runJobs } from '../batch/jobs';
import { beginRun, finishRun } from '../run';
import { batchHint } from '../runStats';
import { connect } from '../settings';
import type { ItemJobs } from './readJobIds';
import { readJobIds } from './readJobIds';

// Fetches the results of batch jobs submitted earlier (Bulk Enrich without waiting) and maps them
// as Bulk Enrich would have: one item per match, paired to the item that named the job. A job
// still running is waited for, within the wait limit.

// Results are keyed by (batch id, URL): an item gets only the records of the jobs it names, even
// when another job holds the same person. A failed or unfinished job is keyed by its batch id.
const recordKey = (batchId: string, url: string) => `${batchId} ${url}`;
// A URL the item asked for that none of its (finished) jobs holds: answered as unmatched.
const absentKey = (url: string) => ` ${url}`;

interface JobRecords {
	outcomes: Map<string, IdentifierOutcome<EnrichEntry>>;
	/** The URLs each completed job holds, in file order. */
	urlsOf: Map<string, string[]>;
	records: number;
}

function jobRecords(jobOutcomes: Map<string, JobOutcome>): JobRecords {
	const outcomes = new Map<string, IdentifierOutcome<EnrichEntry>>();
	const urlsOf = new Map<string, string[]>();
	let records = 0;
	for (const [batchId, outcome] of jobOutcomes) {
		if (outcome.kind === 'failed') {
			outcomes.set(batchId, { kind: 'failed', failure: outcome.failure });
		} else if (outcome.kind === 'completed') {
			const byUrl = indexRecords(outcome.records);
			urlsOf.set(batchId, [...byUrl.keys()]);
			records += outcome.records.length;
			for (const [url, record] of byUrl) {
				outcomes.set(recordKey(batchId, url), {
					kind: 'answered',
					answer: recordToEntry(url, record),
				});
			}
		}
	}
	return { outcomes, urlsOf, records };
}

/** The keys of the outcomes one item gets: each URL once, from the first of its jobs that holds it. */
export function itemKeys(item: ItemJobs, { outcomes, urlsOf }: JobRecords): string[] {
	const keys: string[] = [];
	const taken = new Set<string>();
	let allCompleted = true;
	for (const batchId of item.batchIds) {
		const urls = urlsOf.get(batchId);
		if (urls === undefined) {
			allCompleted = false;
			if (outcomes.has(batchId)) keys.push(batchId);
			continue;
		}
		for (const url of urls) {
			if (taken.has(url) || (item.only !== undefined && !item.only.includes(url))) continue;
			taken.add(url);
			keys.push(recordKey(batchId, url));
		}
	}
	// A URL asked for that no finished job holds is unmatched, unless an unfinished job may hold it.
	const absent = allCompleted ? (item.only ?? []).filter((url) => !taken.has(url)) : [];
	return [...keys, ...absent.map(absentKey)];
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[][]> {
	const settings = readBulkSettings(this);
	const run = beginRun(this, readJobIds(this, items));
	const { distinct, owners } = dedupeIdentifiers(
		run.valid.map(({ itemIndex, batchIds }) => ({ itemIndex, identifiers: batchIds })),
	);
	let outcomes = new Map<string, JobOutcome>();
	if (distinct.length > 0) {
		const transport = await connect(this, settings, run.stats);
		// A job submitted earlier is likely done: ask before the first delay.
		const follow = { waitMinutes: settings.waitMinutes, poll: settings.poll, pollAtOnce: true };
		const follower = new JobFollower(this, transport, follow, distinct);
		const deadline = Date.now() + settings.waitMinutes * 60_000;
		await runJobs(this, follower, undefined, { deadline, waitForCompletion: true, now: Date.now });
		outcomes = follower.outcomes;
		for (const [batchId, outcome] of outcomes) {
			// Without Continue On Fail, a status request that failed (a wrong key, an unknown id)
			// stops the node as Enrich does; the ids are in the input, so nothing is lost.
			if (run.continueOnFail || outcome.kind !== 'failed' || outcome.request === undefined)
				continue;
			const itemIndex = owners.get(batchId)?.[0] ?? 0;
			const error = toNodeApiError(this.getNode(), outcome.request.failure, {
				itemIndex,
				retries: outcome.request.retries,
				secret: transport.secret,
			});
			throw buildApiError(this.getNode(), {
				message: outcome.failure.message,
				description: outcome.failure.description ?? error.description ?? undefined,
				httpCode: error.httpCode ?? undefined,
				itemIndex,
			});
		}
	}

	const records = jobRecords(outcomes);
	const valid: ItemIdentifiers[] = run.valid.map((item) => ({
		itemIndex: item.itemIndex,
		identifiers: itemKeys(item, records),
	}));
	for (const { identifiers } of valid) {
		for (const key of identifiers) {
			if (records.outcomes.has(key)) continue;
			const url = key.trimStart();
			records.outcomes.set(key, { kind: 'answered', answer: recordToEntry(url, undefined) });
		}
	}
	// Nothing is sent here: a failed job is a failure, never "not sent".
	run.stats.countOutcomes(records.outcomes, () => true);
	const shape = eachAnswer((_key, entry: EnrichEntry) =>
		shapeEntry(entry.matched_on, entry, settings.shape),
	);
	const hint = batchHint(run.stats, {
		jobs: distinct.length,
		records: records.records,
		fetched: true,
	});
	return finishRun(this, run, valid, records.outcomes, shape, hint);
}
