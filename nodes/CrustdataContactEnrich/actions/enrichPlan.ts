import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { IdentifierOutcome } from '../pipeline/assembleItems';
import type { ItemIdentifiers } from '../pipeline/dedupe';
import { dedupeIdentifiers } from '../pipeline/dedupe';
import type { EnrichEntry } from '../types';
import type { EnrichSettings } from './enrichSettings';
import { collectIdentifiers } from './identifiers';
import { ExecutionMemory, LookupMemory, purchaseKey } from './memory';
import type { Run } from './run';
import { beginRun } from './run';

// What a run starts from, the same for Enrich and Estimate Cost: every item read and validated,
// each identifier once, what this execution already bought answered from its memory, and the
// memory across runs forgotten first when the user asks. Which of the rest go is decided as the
// run goes (memory, budgets): see enrich/identifierFeed.ts and estimate/.

export type EnrichOutcomes = Map<string, IdentifierOutcome<EnrichEntry>>;

export interface EnrichPlan {
	run: Run<ItemIdentifiers>;
	/** Every distinct identifier, in input order. */
	distinct: string[];
	owners: Map<string, number[]>;
	/** Identifiers already answered from this execution's memory. */
	outcomes: EnrichOutcomes;
	/** The rest, in input order: to send, unless the memory or a budget holds them back. */
	candidates: string[];
	/** "Skip Identifiers Looked Up Before": the memory across runs. */
	lookup?: LookupMemory;
	execution: ExecutionMemory;
	/** Identifiers this run may still send: "Max Identifiers per Run" less what the execution sent. */
	allowed: number;
	/** No request starts after this (epoch ms): "Max Run Time", from the execution's first run. */
	deadline: number;
}

/**
 * `estimate`: Estimate Cost's reading: invalid items are counted rather than thrown, and nothing
 * in the memory across runs changes.
 */
export async function planEnrichRun(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	settings: EnrichSettings,
	{ estimate = false, now = Date.now() }: { estimate?: boolean; now?: number } = {},
): Promise<EnrichPlan> {
	const { limits, memory } = settings;
	const blankIsNotSent = limits.noIdentifier === 'notSent';
	const collected = collectIdentifiers(context, items, settings.identifierType, blankIsNotSent);
	const run = beginRun(context, collected, { countInvalid: estimate });
	const { distinct, owners } = dedupeIdentifiers(run.valid);
	const purchase = purchaseKey(settings.fields, settings.verified);
	const execution = new ExecutionMemory(context, purchase, now);
	const outcomes: EnrichOutcomes = new Map();
	const candidates: string[] = [];
	for (const identifier of distinct) {
		const answer = execution.answerFor(identifier);
		if (answer === undefined) candidates.push(identifier);
		else outcomes.set(identifier, { kind: 'answered', answer });
	}
	const lookup = new LookupMemory(context, purchase, memory.lookUpAgainAfterDays, now);
	if (memory.forget === 'all' && !estimate) await lookup.forgetAll();
	if (memory.forget === 'items' && !estimate) await lookup.forget(candidates);
	const allowed =
		limits.maxIdentifiers > 0 ? Math.max(0, limits.maxIdentifiers - execution.sent) : Infinity;
	const deadline =
		limits.maxRunMinutes > 0 ? execution.startedAt + limits.maxRunMinutes * 60_000 : Infinity;
	return {
		run,
		distinct,
		owners,
		outcomes,
		candidates,
		lookup: memory.skipLookedUp ? lookup : undefined,
		execution,
		allowed,
		deadline,
	};
}
