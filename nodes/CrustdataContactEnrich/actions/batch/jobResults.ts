import type { IdentifierOutcome } from '../../pipeline/assembleItems';
import { indexRecords, recordToEntry } from '../../pipeline/batchRecords';
import type { EnrichEntry } from '../../types';
import type { JobOutcome } from './jobOutcome';

// Turns what became of each job into per-URL outcomes: the same map Enrich builds, so the same
// shaper makes the output.

/** Outcome of every URL of the jobs that ended; `records` counts the records their files held. */
export function jobOutcomesByUrl(
	submitted: Map<string, string[]>,
	jobOutcomes: Map<string, JobOutcome>,
): { outcomes: Map<string, IdentifierOutcome<EnrichEntry>>; records: number } {
	const outcomes = new Map<string, IdentifierOutcome<EnrichEntry>>();
	let records = 0;
	for (const [batchId, urls] of submitted) {
		const outcome = jobOutcomes.get(batchId);
		if (outcome === undefined || outcome.kind === 'running') continue;
		if (outcome.kind === 'failed') {
			for (const url of urls) outcomes.set(url, { kind: 'failed', failure: outcome.failure });
			continue;
		}
		const byUrl = indexRecords(outcome.records);
		for (const url of urls) {
			outcomes.set(url, { kind: 'answered', answer: recordToEntry(url, byUrl.get(url)) });
		}
		records += outcome.records.length;
	}
	return { outcomes, records };
}
