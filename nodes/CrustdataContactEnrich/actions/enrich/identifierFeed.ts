import type { NotSentReason } from '../../pipeline/assembleItems';
import type { EnrichOutcomes } from '../enrichPlan';
import type { LookupMemory } from '../memory';

/** Which end of the list a channel takes from: instant requests the front, batch jobs the back. */
export type FeedEnd = 'front' | 'back';

type Slot = 'unchecked' | 'checking' | 'ready' | 'gone';

/**
 * Hands out the identifiers a run sends, as the run goes: instant requests take from the front of
 * the list (input order), batch jobs (Auto channel) from the back, so no identifier goes to both.
 * It checks (and claims) them in the memory across runs in batches as it reaches them, so that
 * what a budget holds back at the end was never claimed, and it stops at "Max Identifiers per Run".
 */
export class IdentifierFeed {
	private readonly slots: Slot[];

	private head = 0;

	private tail: number;

	/** Identifiers handed out and given back (their request never went): the next to go. */
	private readonly returned: string[] = [];

	private given = 0;

	constructor(
		private readonly list: readonly string[],
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
		this.slots = list.map(() => (options.lookup ? 'unchecked' : 'ready'));
		this.tail = list.length;
	}

	/** Identifiers not handed out yet (some may still turn out to be remembered). */
	get remaining(): number {
		let left = this.returned.length;
		for (let position = this.head; position < this.tail; position++) {
			if (this.slots[position] !== 'gone') left++;
		}
		return Math.max(0, Math.min(left, this.options.allowed - this.given));
	}

	/** Up to `count` identifiers to send next; fewer (or none) when the list or a limit ends. */
	async take(count: number, end: FeedEnd = 'front'): Promise<string[]> {
		const out = end === 'front' ? this.returned.splice(0, count) : [];
		while (
			out.length < count &&
			this.head < this.tail &&
			this.given + out.length < this.options.allowed
		) {
			const position = end === 'front' ? this.head : this.tail - 1;
			const slot = this.slots[position];
			if (slot === 'checking') break; // the other end is checking the last ones
			if (slot === 'unchecked') {
				await this.check(end, Math.max(count - out.length, this.options.batchSize));
				continue;
			}
			if (end === 'front') this.head++;
			else this.tail--;
			if (slot === 'ready') out.push(this.list[position]);
		}
		this.given += out.length;
		// A job's identifiers in input order, as instant requests have theirs.
		return end === 'back' ? out.reverse() : out;
	}

	/** Claims up to `size` unchecked identifiers from one end in the memory across runs. */
	private async check(end: FeedEnd, size: number): Promise<void> {
		const { lookup, outcomes, claimed } = this.options;
		const positions: number[] = [];
		const step = end === 'front' ? 1 : -1;
		for (
			let position = end === 'front' ? this.head : this.tail - 1;
			positions.length < size && position >= this.head && position < this.tail;
			position += step
		) {
			if (this.slots[position] !== 'unchecked') break;
			positions.push(position);
			this.slots[position] = 'checking';
		}
		const batch = positions.map((position) => this.list[position]);
		const { remembered } = lookup ? await lookup.claim(batch) : { remembered: new Set<string>() };
		for (const position of positions) {
			const identifier = this.list[position];
			if (remembered.has(identifier)) {
				this.slots[position] = 'gone';
				outcomes.set(identifier, { kind: 'notSent', reason: 'lookedUpBefore' });
			} else {
				this.slots[position] = 'ready';
				claimed.push(identifier);
			}
		}
	}

	/** A task that never went: its identifiers are the next to go again. */
	giveBack(identifiers: string[]): void {
		this.returned.unshift(...identifiers);
		this.given -= identifiers.length;
	}

	/**
	 * Everything never handed out, held back for `reason` (what stopped the run); what is past
	 * "Max Identifiers per Run" is held back for that.
	 */
	holdBackRest(reason: NotSentReason | undefined): string[] {
		const { allowed, outcomes } = this.options;
		const rest = [...this.returned.splice(0)];
		for (let position = this.head; position < this.tail; position++) {
			if (this.slots[position] !== 'gone') rest.push(this.list[position]);
		}
		this.head = this.tail;
		rest.forEach((identifier, position) => {
			const over = this.given + position >= allowed;
			const why = over ? 'maxIdentifiers' : reason;
			if (why !== undefined) outcomes.set(identifier, { kind: 'notSent', reason: why });
		});
		return rest;
	}
}
