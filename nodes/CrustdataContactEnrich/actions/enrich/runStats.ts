import type { NodeExecutionHint } from 'n8n-workflow';

import type { IdentifierOutcome } from '../../pipeline/assembleItems';
import type { ResponseHeaders } from '../../transport/retryPolicy';

/** Credits a response says it spent (`x-credits-used`; absent on free endpoints). */
export function creditsUsed(headers: ResponseHeaders): number {
	const raw = headers['x-credits-used'];
	const value = Number(Array.isArray(raw) ? raw[0] : raw);
	return Number.isFinite(value) ? value : 0;
}

/** What one execution did, told to the user as an execution hint. */
export class RunStats {
	requests = 0;

	sent = 0;

	matched = 0;

	unmatched = 0;

	failed = 0;

	credits = 0;

	countOutcomes(outcomes: Map<string, IdentifierOutcome>): void {
		for (const outcome of outcomes.values()) {
			if (outcome.kind === 'failed') this.failed++;
			else if (outcome.entry.matches.length > 0) this.matched++;
			else this.unmatched++;
		}
	}

	succeededSummary(): string {
		return `${this.sent} identifiers had already been enriched for ${formatCredits(this.credits)} credits.`;
	}
}

function formatCredits(credits: number): string {
	return String(Math.round(credits * 100) / 100);
}

export function summaryHint(stats: RunStats): NodeExecutionHint {
	const parts = [
		`${stats.requests} ${stats.requests === 1 ? 'request' : 'requests'}`,
		`${stats.sent + stats.failed} distinct identifiers sent`,
		`${stats.matched} matched`,
		`${stats.unmatched} unmatched`,
	];
	if (stats.failed > 0) parts.push(`${stats.failed} failed`);
	parts.push(`${formatCredits(stats.credits)} credits used`);
	return {
		message: `Crustdata: ${parts.join(', ')}.`,
		type: stats.failed > 0 ? 'warning' : 'info',
		location: 'outputPane',
	};
}
