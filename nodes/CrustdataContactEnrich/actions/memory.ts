import type { IDataObject, IExecuteFunctions, ICheckProcessedOptions } from 'n8n-workflow';

import type { ContactField, EnrichEntry } from '../types';

// Two memories, so that the same person is not bought twice without the user's say-so.
//
// Across executions ("Skip Identifiers Looked Up Before"): n8n's deduplication store, the one
// behind Remove Duplicates, scoped to this node. It stores hashes of values without a date, so
// the date is in the values: time is cut into periods of a fifth of "Look Up Again After", and a
// lookup made in period p records the keys of periods p … p+5. A run checks only the key of its
// own period, so an identifier is remembered for between N and 1.2 N days after its lookup. The
// check records the current period's key at once (a claim that also holds back a second execution
// running at the same time); the later keys are recorded only once the lookup succeeded, and a
// claim that did not succeed is removed. A run that dies between the two leaves at most its own
// period's claim, forgotten at the next period.
//
// Within one execution: the node's execution context, where an AI agent's repeated tool calls (or
// a loop) find the answers already bought, and the run budgets already spent.

const DAY_MS = 86_400_000;
/** Periods per "Look Up Again After" span: expiry comes between N and N × (1 + 1/5) days. */
export const MEMORY_PERIODS = 5;
/** Identifiers the store keeps at most per node (each takes MEMORY_PERIODS + 1 entries). */
export const MEMORY_MAX_IDENTIFIERS = 50_000;

const STORE: ICheckProcessedOptions = {
	mode: 'entries',
	maxEntries: MEMORY_MAX_IDENTIFIERS * (MEMORY_PERIODS + 1),
};

/** Fields and Verified, as one part of a memory key: a lookup counts only for what it bought. */
export function purchaseKey(fields: readonly ContactField[], verified: boolean): string {
	return `${[...fields].sort().join('+')}${verified ? '+verified' : ''}`;
}

export class LookupMemory {
	private readonly period: number;

	private readonly periodMs: number;

	constructor(
		private readonly context: IExecuteFunctions,
		private readonly purchase: string,
		lookUpAgainAfterDays: number,
		now: number,
	) {
		this.periodMs = (lookUpAgainAfterDays * DAY_MS) / MEMORY_PERIODS;
		this.period = Math.floor(now / this.periodMs);
	}

	private key(identifier: string, period: number): string {
		return `crustdata-contact|${this.purchase}|${identifier}|${period}`;
	}

	private keys(identifiers: readonly string[], from: number, to: number): string[] {
		const keys: string[] = [];
		for (const identifier of identifiers) {
			for (let period = from; period <= to; period++) keys.push(this.key(identifier, period));
		}
		return keys;
	}

	/** Splits identifiers into those looked up before and the rest, which are claimed now. */
	async claim(identifiers: string[]): Promise<{ remembered: Set<string>; claimed: string[] }> {
		if (identifiers.length === 0) return { remembered: new Set(), claimed: [] };
		const byKey = new Map(identifiers.map((id) => [this.key(id, this.period), id]));
		const { processed } = await this.context.helpers.checkProcessedAndRecord(
			[...byKey.keys()],
			'node',
			STORE,
		);
		const remembered = new Set(processed.map((key) => byKey.get(String(key)) ?? ''));
		return { remembered, claimed: identifiers.filter((id) => !remembered.has(id)) };
	}

	/** Looked up (matched or not): remembered until "Look Up Again After" has passed. */
	async keep(identifiers: string[]): Promise<void> {
		if (identifiers.length === 0) return;
		const later = this.keys(identifiers, this.period + 1, this.period + MEMORY_PERIODS);
		await this.context.helpers.checkProcessedAndRecord(later, 'node', STORE);
	}

	/** Claimed but not looked up (failed, held back): forgotten again. */
	async release(identifiers: string[]): Promise<void> {
		if (identifiers.length === 0) return;
		await this.context.helpers.removeProcessed(
			this.keys(identifiers, this.period, this.period),
			'node',
			STORE,
		);
	}

	/** Forgets these identifiers, for this Fields selection. */
	async forget(identifiers: string[]): Promise<void> {
		if (identifiers.length === 0) return;
		const keys = this.keys(identifiers, this.period, this.period + MEMORY_PERIODS);
		await this.context.helpers.removeProcessed(keys, 'node', STORE);
	}

	/** Forgets everything this node remembers. */
	async forgetAll(): Promise<void> {
		await this.context.helpers.clearAllProcessedItems('node', STORE);
	}

	/** The identifiers looked up before, without claiming the others (the store has no plain check). */
	async peek(identifiers: string[]): Promise<Set<string>> {
		const { remembered, claimed } = await this.claim(identifiers);
		await this.release(claimed);
		return remembered;
	}
}

/** Answers kept per execution at most (an agent's calls; a loop over a list). */
export const EXECUTION_MEMORY_MAX_ANSWERS = 2_000;

interface ExecutionState extends IDataObject {
	startedAt: number;
	credits: number;
	sent: number;
	answers: IDataObject;
	order: string[];
}

/** What earlier runs of this node bought in the same execution. */
export class ExecutionMemory {
	private readonly state: ExecutionState;

	constructor(
		context: IExecuteFunctions,
		private readonly purchase: string,
		now: number,
	) {
		const store = context.getContext('node');
		const existing = store.crustdataContact as ExecutionState | undefined;
		this.state = existing ?? { startedAt: now, credits: 0, sent: 0, answers: {}, order: [] };
		store.crustdataContact = this.state;
	}

	/** When the first run of this node in the execution started. */
	get startedAt(): number {
		return this.state.startedAt;
	}

	/** Credits earlier runs spent. */
	get credits(): number {
		return this.state.credits;
	}

	/** Identifiers earlier runs sent. */
	get sent(): number {
		return this.state.sent;
	}

	answerFor(identifier: string): EnrichEntry | undefined {
		return this.state.answers[`${this.purchase}|${identifier}`] as EnrichEntry | undefined;
	}

	/** Adds this run's spending and answers. */
	record(run: { credits: number; sent: number; answers: Map<string, EnrichEntry> }): void {
		this.state.credits += run.credits;
		this.state.sent += run.sent;
		for (const [identifier, entry] of run.answers) {
			const key = `${this.purchase}|${identifier}`;
			if (!(key in this.state.answers)) this.state.order.push(key);
			this.state.answers[key] = entry as unknown as IDataObject;
		}
		for (const dropped of this.state.order.splice(
			0,
			this.state.order.length - EXECUTION_MEMORY_MAX_ANSWERS,
		)) {
			delete this.state.answers[dropped];
		}
	}
}
