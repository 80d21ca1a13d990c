import type { NodeExecutionHint } from 'n8n-workflow';

import type { IdentifierOutcome } from '../pipeline/assembleItems';
import type { AttemptRecorder } from '../transport';
import type { ResponseHeaders } from '../transport/retryPolicy';
import { reportedCredits } from '../transport/budget';

/**
 * What one execution did, told to the user as an execution hint. Each counter has one meaning in
 * every operation; requests, re-sends and credits are counted by the transport, attempt by attempt.
 */
export class RunStats implements AttemptRecorder {
	/** Requests sent to the API: every attempt, every endpoint. */
	requests = 0;

	/** Requests sent again after a time-out or a dropped connection (may have been billed twice). */
	resent = 0;

	/** The sum of `x-credits-used` over every request. */
	credits = 0;

	/** Requests that got no answer after Crustdata may have processed (and billed) them. */
	unanswered = 0;

	/** The most those unanswered requests can have cost (undefined: unknown, a batch submit). */
	unansweredCredits: number | undefined = 0;

	matched = 0;

	unmatched = 0;

	/** Identifiers that were sent and came back failed. */
	failed = 0;

	/** Identifiers never sent (an earlier refusal, a budget, the memory, the wait limit). */
	notSent = 0;

	/** Identifiers answered from what this execution already bought, without a request. */
	fromMemory = 0;

	/** Input items without any identifier, sent to Not Sent ("When an Item Has No Identifier"). */
	blankItems = 0;

	/** Batch jobs submitted (Bulk Enrich, or Enrich's Auto channel). */
	jobs = 0;

	/** Identifiers sent in those jobs (the rest of `sent` went in instant requests). */
	jobIdentifiers = 0;

	/** Requests of Enrich's Auto channel to the batch endpoints (submits, checks, job lists). */
	batchRequests = 0;

	/** What counts the Auto channel's batch requests apart from the instant ones. */
	batchRecorder(): AttemptRecorder {
		return {
			recordAttempt: () => {
				this.batchRequests++;
			},
			recordResend: () => {},
			recordUnanswered: () => {},
		};
	}

	private readonly sentIdentifiers = new Set<string>();

	/** Distinct identifiers sent to Crustdata (in an enrich request or a batch job), once each. */
	get sent(): number {
		return this.sentIdentifiers.size;
	}

	markSent(identifiers: readonly string[]): void {
		for (const identifier of identifiers) this.sentIdentifiers.add(identifier);
	}

	wasSent(identifier: string): boolean {
		return this.sentIdentifiers.has(identifier);
	}

	recordAttempt(headers: ResponseHeaders | undefined): void {
		this.requests++;
		if (headers !== undefined) this.credits += reportedCredits(headers) ?? 0;
	}

	recordResend(): void {
		this.resent++;
	}

	recordUnanswered(cost: number | undefined): void {
		this.unanswered++;
		this.unansweredCredits =
			cost === undefined || this.unansweredCredits === undefined
				? undefined
				: this.unansweredCredits + cost;
	}

	/** Counts outcomes; a failure of an identifier that was never sent counts as not sent. */
	countOutcomes<A extends { matches: unknown[] }>(
		outcomes: Map<string, IdentifierOutcome<A>>,
		wasSent: (identifier: string) => boolean = (identifier) => this.wasSent(identifier),
	): void {
		for (const [identifier, outcome] of outcomes) {
			if (outcome.kind === 'answered') {
				if (outcome.answer.matches.length > 0) this.matched++;
				else this.unmatched++;
			} else if (outcome.kind === 'failed' && wasSent(identifier)) this.failed++;
			else this.notSent++;
		}
	}
}

export function formatCredits(credits: number): string {
	return String(Math.round(credits * 100) / 100);
}

const plural = (count: number, one: string, many = `${one}s`) =>
	`${count} ${count === 1 ? one : many}`;

function outcomeParts(stats: RunStats): string[] {
	const parts = [`${stats.matched} matched`, `${stats.unmatched} unmatched`];
	if (stats.failed > 0) parts.push(`${stats.failed} failed`);
	if (stats.notSent > 0) parts.push(`${stats.notSent} not sent`);
	if (stats.blankItems > 0) parts.push(`${plural(stats.blankItems, 'item')} without an identifier`);
	return parts;
}

function hint(message: string, stats: RunStats): NodeExecutionHint {
	const warn =
		stats.failed + stats.notSent + stats.resent + stats.unanswered + stats.blankItems > 0;
	return { message, type: warn ? 'warning' : 'info', location: 'outputPane' };
}

/** Enrich: requests, identifiers, outcomes and the credits the API reported. */
export function summaryHint(stats: RunStats): NodeExecutionHint {
	const sent =
		stats.jobs > 0
			? `${stats.sent} distinct identifiers sent (${stats.sent - stats.jobIdentifiers} in instant requests, ${stats.jobIdentifiers} in ${plural(stats.jobs, 'batch job')}, checked with ${plural(stats.batchRequests, 'batch request')})`
			: `${stats.sent} distinct identifiers sent`;
	const parts = [plural(stats.requests, 'request'), sent, ...outcomeParts(stats)];
	if (stats.fromMemory > 0) parts.push(`${stats.fromMemory} answered from this execution's memory`);
	if (stats.resent > 0) parts.push(`${plural(stats.resent, 'request')} re-sent after a time-out`);
	parts.push(
		`${formatCredits(stats.credits)} credits used${stats.jobs > 0 ? ' (instant requests; batch jobs report none)' : ''}`,
	);
	if (stats.unanswered > 0) {
		// The credits above are what answers reported: a request that got none may still be billed.
		const most =
			stats.unansweredCredits === undefined
				? ''
				: ` (up to ${formatCredits(stats.unansweredCredits)} more credits)`;
		parts.push(
			`and ${plural(stats.unanswered, 'request')} with no answer may have been billed${most}`,
		);
	}
	return hint(`Crustdata: ${parts.join(', ')}.`, stats);
}

/**
 * Batch jobs: the batch API reports no credits per request, so the hint says what it does tell
 * (jobs, identifiers submitted, records returned) and never "0 credits".
 */
export function batchHint(
	stats: RunStats,
	{ jobs, records, fetched }: { jobs: number; records: number; fetched?: boolean },
): NodeExecutionHint {
	const jobPart = fetched
		? `${plural(jobs, 'batch job')} fetched`
		: `${plural(jobs, 'batch job')} for ${stats.sent} distinct profile URLs`;
	const parts = [jobPart, `${plural(records, 'record')} returned`, ...outcomeParts(stats)];
	return hint(
		`Crustdata: ${parts.join(', ')}. Batch jobs do not report the credits they use: see the usage in your Crustdata account.`,
		stats,
	);
}
