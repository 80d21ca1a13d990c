import type { ResponseHeaders, TransportFailure } from './retryPolicy';
import { headerValue, mayHaveBeenProcessed } from './retryPolicy';

// A run's credit budget ("Max Credits per Run"): no request goes unless its worst case fits under
// the cap together with what was already spent and what requests in flight may still spend. Each
// attempt reserves its worst case first, and its real cost replaces the reservation when it ends.

/** Below this the budget is treated as used up (credits come in halves). */
const EPSILON = 1e-9;

export class CreditBudget {
	/** Credits spent so far (real where known, worst case where unknown). */
	spent: number;

	private reserved = 0;

	/**
	 * @param cap the most credits the run may spend; 0 = no limit
	 * @param spentBefore credits earlier runs of this node spent in the same execution
	 */
	constructor(
		readonly cap: number,
		spentBefore = 0,
	) {
		this.spent = spentBefore;
	}

	get limited(): boolean {
		return this.cap > 0;
	}

	/** Credits still free for new requests. */
	free(): number {
		return this.limited ? this.cap - this.spent - this.reserved : Infinity;
	}

	/** How many identifiers costing `each` at most can still go. */
	affordable(each: number): number {
		if (!this.limited || each <= 0) return Infinity;
		return Math.max(0, Math.floor((this.free() + EPSILON) / each));
	}

	/** Reserves `cost` when it fits; false (and nothing reserved) when it does not. */
	reserve(cost: number): boolean {
		if (this.limited && cost > this.free() + EPSILON) return false;
		this.reserved += cost;
		return true;
	}

	/** A reserved attempt ended: `charged` replaces its reservation. */
	settle(reserved: number, charged: number): void {
		this.reserved = Math.max(0, this.reserved - reserved);
		this.spent += charged;
	}

	/** A reservation that was never used (the request never went). */
	release(reserved: number): void {
		this.reserved = Math.max(0, this.reserved - reserved);
	}

	/** Whether anything is reserved by requests that have not ended. */
	hasReservations(): boolean {
		return this.reserved > EPSILON;
	}
}

/** Credits a response says it spent (`x-credits-used`); undefined when it does not say. */
export function reportedCredits(headers: ResponseHeaders): number | undefined {
	const raw = headerValue(headers, 'x-credits-used');
	const value = Number(raw);
	return raw === undefined || raw.trim() === '' || !Number.isFinite(value)
		? undefined
		: Math.max(0, value);
}

/**
 * What an attempt is counted as having cost against the budget: what the response says; when it
 * says nothing, the worst case for an answer that may have been billed (a 2xx, a time-out, a
 * dropped connection) and nothing for an error status, which Crustdata does not bill.
 */
export function chargedFor(
	outcome: { headers: ResponseHeaders; statusCode: number } | TransportFailure | undefined,
	worstCase: number,
): number {
	if (outcome === undefined) return worstCase;
	if ('statusCode' in outcome) return reportedCredits(outcome.headers) ?? worstCase;
	if (outcome.kind === 'network') return mayHaveBeenProcessed(outcome) ? worstCase : 0;
	if (outcome.kind === 'halted') return 0;
	const reported = reportedCredits(outcome.headers);
	if (reported !== undefined) return reported;
	return outcome.kind === 'malformed' && outcome.status < 300 ? worstCase : 0;
}
