import type { NotSentReason } from '../../pipeline/assembleItems';
import type { EnrichOutcomes } from '../enrichPlan';
import type { LookupMemory } from '../memory';

/**
 * Hands out the identifiers a run sends, in input order, as the run goes: it checks (and claims)
 * them in the memory across runs in batches, so that what a budget holds back at the end was never
 * claimed, and it stops at "Max Identifiers per Run".
 */
export class IdentifierFeed {
	private readonly unchecked: string[];

	private readonly ready: string[] = [];

	private given = 0;

	constructor(
		candidates: readonly string[],
		private readonly options: {
			lookup?: LookupMemory;
			/** Identifiers this run may send at most. */
			allowed: number;
			/** Identifiers checked in the memory per round (a round costs a database write). */
			batchSize: number;
			/** Where remembered identifiers are put, as not sent. */
			outcomes: EnrichOutcomes;
			/** Where every identifier claimed in the memory across runs is recorded. */
			claimed: string[];
		},
	) {
		this.unchecked = [...candidates];
	}

	/** Up to `count` identifiers to send next; fewer (or none) when the list or a limit ends. */
	async take(count: number): Promise<string[]> {
		const { lookup, allowed, batchSize, outcomes, claimed: claims } = this.options;
		while (this.ready.length < count && this.unchecked.length > 0) {
			const room = allowed - this.given - this.ready.length;
			if (room <= 0) break;
			const batch = this.unchecked.splice(
				0,
				Math.min(room, Math.max(count - this.ready.length, batchSize)),
			);
			if (lookup === undefined) {
				this.ready.push(...batch);
				continue;
			}
			const { remembered, claimed } = await lookup.claim(batch);
			for (const identifier of remembered)
				outcomes.set(identifier, { kind: 'notSent', reason: 'lookedUpBefore' });
			this.ready.push(...claimed);
			claims.push(...claimed);
		}
		const out = this.ready.splice(0, count);
		this.given += out.length;
		return out;
	}

	/** A task that never went: its identifiers are the next to go again. */
	giveBack(identifiers: string[]): void {
		this.ready.unshift(...identifiers);
		this.given -= identifiers.length;
	}

	/**
	 * Everything never handed out, held back for `reason` (what stopped the run); what is past
	 * "Max Identifiers per Run" is held back for that.
	 */
	holdBackRest(reason: NotSentReason | undefined): string[] {
		const { allowed, outcomes } = this.options;
		const rest = [...this.ready.splice(0), ...this.unchecked.splice(0)];
		rest.forEach((identifier, position) => {
			const over = this.given + position >= allowed;
			const why = over ? 'maxIdentifiers' : reason;
			if (why !== undefined) outcomes.set(identifier, { kind: 'notSent', reason: why });
		});
		return rest;
	}
}
